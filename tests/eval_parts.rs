//! A big Terraform root module is evaluated in parts, in parallel (src/eval/terraform/parts.rs),
//! and the result must be what evaluating it whole gives: the same SARIF, byte for byte, for the
//! test data, the real templates of ../shared/corpus and modules made to meet what depends on
//! the order of evaluation (values that refer to themselves across parts, instances, module
//! instances and work that only the parts together go past the limits of), every module cut
//! into the most parts (`MAX_PARTS`) the smallest part size allows. The part size is a
//! process-wide setting, so this is the only test of its binary.

mod common;

use batchguard::eval::terraform::parts::{EVALUATED_AGAIN, KEPT, MAX_PARTS, PART_BYTES_IN_FORCE};
use batchguard::rules::Options;
use batchguard::stack::{mark_deep, DEEP_STACK};
use common::*;
use std::path::Path;
use std::sync::atomic::Ordering;

/// SARIF of a scan of `root` on a thread for each of the most parts, with root modules evaluated in parts of `bytes`, and
/// how many modules were evaluated in parts and kept, and evaluated in parts then again whole.
fn sarif_with_parts(root: &Path, bytes: usize) -> (String, usize, usize) {
    PART_BYTES_IN_FORCE.store(bytes, Ordering::Relaxed);
    let (kept, again) = (
        KEPT.load(Ordering::Relaxed),
        EVALUATED_AGAIN.load(Ordering::Relaxed),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(MAX_PARTS)
        .stack_size(DEEP_STACK)
        .start_handler(|_| mark_deep())
        .build()
        .unwrap();
    let out = pool.install(|| scan_paths(root, &[root.to_path_buf()], Options::default()));
    (
        render_sarif(&out),
        KEPT.load(Ordering::Relaxed) - kept,
        EVALUATED_AGAIN.load(Ordering::Relaxed) - again,
    )
}

/// Scans `root` whole and in parts, which must agree; how many modules the parts were kept for
/// and how many were evaluated again whole.
fn assert_same(root: &Path) -> (usize, usize) {
    let (whole, kept_whole, again_whole) = sarif_with_parts(root, usize::MAX / 4);
    let (parts, kept, again) = sarif_with_parts(root, 1);
    assert_eq!((kept_whole, again_whole), (0, 0));
    if parts != whole {
        let diff = similar::TextDiff::from_lines(&whole, &parts)
            .unified_diff()
            .context_radius(3)
            .to_string();
        panic!(
            "{}: evaluating in parts differs from evaluating whole:\n{}",
            root.display(),
            &diff[..diff.len().min(20_000)]
        );
    }
    (kept, again)
}

/// A module of `blocks` network security groups with a rule open to the Internet each, named
/// through `names` (an expression of `i`), with `head` before them.
fn module(
    head: &str,
    blocks: usize,
    count: impl Fn(usize) -> String,
    names: impl Fn(usize) -> String,
) -> String {
    let mut out = head.to_string();
    for i in 0..blocks {
        out.push_str(&format!(
            r#"
resource "azurerm_network_security_group" "n{i}" {{
  name                = {name}
  location            = "westeurope"
  resource_group_name = "rg"
  {count}
  security_rule {{
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }}
}}
"#,
            name = names(i),
            count = count(i)
        ));
    }
    out
}

#[test]
fn evaluating_in_parts_gives_the_scan_of_whole_modules() {
    let (kept, _) = assert_same(&manifest_dir().join("testdata").canonicalize().unwrap());
    assert!(
        kept > 20,
        "only {kept} test data modules were kept in parts"
    );
    if let Some(shared) = shared_dir() {
        let (kept, _) = assert_same(&shared.join("corpus"));
        assert!(kept > 20, "only {kept} corpus modules were kept in parts");
    }

    let d = tempfile::tempdir().unwrap();
    let write = |dir: &str, text: String| {
        std::fs::create_dir_all(d.path().join(dir)).unwrap();
        std::fs::write(d.path().join(dir).join("main.tf"), text).unwrap();
    };
    // Kept: locals, variables and a local module's output read by every part.
    write(
        "shared_values",
        module(
            "variable \"prefix\" {\n  default = \"nsg\"\n}\nlocals {\n  names = { for i in range(8) : i => \"${var.prefix}-${i}\" }\n}\nmodule \"tags\" {\n  source = \"../child\"\n  seed   = local.names[0]\n}\n",
            8,
            |_| String::new(),
            |i| format!("\"${{local.names[{i}]}}-${{module.tags.out}}\""),
        ),
    );
    write(
        "child",
        "variable \"seed\" {}\noutput \"out\" {\n  value = upper(var.seed)\n}\n".into(),
    );
    // Evaluated again: values that refer to each other, first asked for in different parts.
    write(
        "cycle",
        module(
            "locals {\n  a = \"x${local.b}\"\n  b = \"y${local.c}\"\n  c = \"z${local.a}\"\n}\n",
            6,
            |_| String::new(),
            |i| ["local.a", "local.b", "local.c"][i % 3].to_string(),
        ),
    );
    // Evaluated again: `count`s that refer to each other.
    write(
        "count_cycle",
        module(
            "",
            4,
            // `n0` and `n3` count each other's instances; `n1` and `n2` count `n0`'s.
            |i| {
                let of = if i == 0 { 3 } else { 0 };
                format!("count = length(azurerm_network_security_group.n{of})")
            },
            |i| format!("\"n{i}\""),
        ),
    );
    // Evaluated again: each part under the instance limit (20,000 resource and module
    // instances) and the module instance limit (2,000), the parts together over them.
    let calls = |count: usize, calls: usize, leaf: &str| {
        (0..calls)
            .map(|i| {
                format!("module \"m{i}\" {{\n  source = \"../{leaf}\"\n  count  = {count}\n}}\n")
            })
            .collect::<String>()
    };
    let leaf = |count: usize| {
        format!("resource \"azurerm_resource_group\" \"g\" {{\n  count    = {count}\n  name     = \"g${{count.index}}\"\n  location = \"westeurope\"\n}}\n")
    };
    write("instances", calls(300, 4, "leaf20"));
    write("leaf20", leaf(20));
    write("module_instances", calls(700, 3, "leaf1"));
    write("leaf1", leaf(1));
    // Evaluated again: each part within the module's work limit, the parts together past it
    // (evaluated whole, the module reaches it, with a warning).
    write(
        "work",
        module(
            "",
            12,
            |_| String::new(),
            |i| {
                format!(
                "\"n{i}-${{length([for i in range(400) : length([for j in range(400) : j])])}}\""
            )
            },
        ),
    );
    // `shared_values` kept; the other five evaluated again (the leaves have one block each).
    assert_eq!(assert_same(d.path()), (1, 5));
}
