//! Hostile inputs (issue 11): each bad file gets a located notification, the scan ends in bounded
//! time, and a good file in the same scan still gets its finding. Big inputs are generated here,
//! at sizes that keep the debug build quick; `scripts/hostile_inputs.py` runs the same cases at
//! full size (100,000-deep nesting, 100 MB, 10 MB line, 15 MiB Terraform and one-line ARM, 50,000
//! files) on the release binary and prints time and peak memory.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const NSG_TF: &str = r#"resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
"#;

/// An ARM template with `n` NSGs open to SSH, pretty or on one line.
fn nsg_arm(n: usize, pretty: bool) -> String {
    let resources: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "type": "Microsoft.Network/networkSecurityGroups",
                "apiVersion": "2023-09-01",
                "name": format!("nsg{i}"),
                "location": "westeurope",
                "properties": { "securityRules": [ { "name": "ssh", "properties": {
                    "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                    "sourceAddressPrefix": "*", "sourcePortRange": "*",
                    "destinationAddressPrefix": "*", "destinationPortRange": "22" } } ] }
            })
        })
        .collect();
    let t = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources,
    });
    if pretty {
        serde_json::to_string_pretty(&t).unwrap()
    } else {
        t.to_string()
    }
}

/// A scan folder with `good/main.tf` (one NET001 finding) beside what the test adds.
fn scan_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir_all(d.path().join("good")).unwrap();
    fs::create_dir_all(d.path().join("bad")).unwrap();
    fs::write(d.path().join("good/main.tf"), NSG_TF).unwrap();
    d
}

/// Runs `batchguard scan . --format json ARGS` in `dir`, killed after `limit`.
fn scan(dir: &Path, args: &[&str], limit: Duration) -> (Output, Value) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(["scan", ".", "--format", "json", "--fail-on", "error"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the output on threads so that a full pipe never stalls the scan.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut b).unwrap();
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut b).unwrap();
        b
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the scan did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let o = Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o, v)
}

const LIMIT: Duration = Duration::from_secs(30);

/// The notifications about `path`.
fn notes_on<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["path"] == path)
        .collect()
}

/// `good/main.tf` still has its finding.
fn assert_good_reported(v: &Value) {
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "NET001" && f["path"] == "good/main.tf"),
        "the good file lost its finding: {v:#}"
    );
}

/// One bad file: exit 2, an error on `path` whose message contains `says` (at a line and column
/// when `located`), and the good file reported.
fn assert_error(o: &Output, v: &Value, path: &str, says: &str, located: bool) {
    assert_eq!(o.status.code(), Some(2), "{v:#}");
    let notes = notes_on(v, path);
    let note = notes
        .iter()
        .find(|n| n["level"] == "error" && n["message"].as_str().unwrap().contains(says))
        .unwrap_or_else(|| panic!("no error on {path} saying {says:?}: {v:#}"));
    if located {
        assert!(note["start"]["line"].as_u64().unwrap() >= 1, "{note:#}");
        assert!(note["start"]["column"].as_u64().unwrap() >= 1, "{note:#}");
    }
    assert_good_reported(v);
}

const DEEP: usize = 100_000;

#[test]
fn deep_nesting_in_json_and_hcl_is_a_located_error() {
    let d = scan_dir();
    let b = d.path().join("bad");
    let n = DEEP;
    let json = |open: &str, inner: &str, close: &str| {
        format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"x\": {}{inner}{}}}",
            open.repeat(n),
            close.repeat(n)
        )
    };
    fs::write(b.join("objects.json"), json("{\"a\":", "1", "}")).unwrap();
    fs::write(b.join("arrays.json"), json("[", "", "]")).unwrap();
    let hcl = |open: &str, inner: &str, close: &str| {
        format!(
            "locals {{\n  x = {}{inner}{}\n}}\n",
            open.repeat(n),
            close.repeat(n)
        )
    };
    fs::write(b.join("objects.tf"), hcl("{a = ", "1", "}")).unwrap();
    fs::write(b.join("arrays.tf"), hcl("[", "", "]")).unwrap();
    fs::write(b.join("parens.tf"), hcl("(", "1", ")")).unwrap();
    fs::write(
        b.join("blocks.tf"),
        format!(
            "resource \"a\" \"b\" {{\n{}{}}}\n",
            "dynamic {\n".repeat(n),
            "}\n".repeat(n)
        ),
    )
    .unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    for f in ["objects.json", "arrays.json"] {
        assert_error(&o, &v, &format!("bad/{f}"), "nested more than", true);
    }
    for f in ["objects.tf", "arrays.tf", "parens.tf", "blocks.tf"] {
        assert_error(&o, &v, &format!("bad/{f}"), "nesting depth", true);
    }
}

/// Text whose syntax tree would pass the memory bound (a few MB of `[x.y, x.y, …]` would take
/// gigabytes as a tree) is refused before it is parsed, at the place the bound is passed.
#[test]
fn files_too_dense_to_parse_are_located_errors() {
    let d = scan_dir();
    let b = d.path().join("bad");
    let xy = vec!["x.y"; 600_000].join(",");
    fs::write(b.join("main.tf"), format!("locals {{\n  a = [{xy}]\n}}\n")).unwrap();
    let ones = vec!["1"; 4_100_000].join(",");
    fs::write(
        b.join("azuredeploy.json"),
        format!("{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": [],\n\"variables\": {{\"a\": [{ones}]}}}}"),
    )
    .unwrap();
    fs::write(
        b.join("terraform.tfvars.json"),
        format!("{{\"a\": [{ones}]}}"),
    )
    .unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_error(&o, &v, "bad/main.tf", "too dense in expressions", true);
    assert_error(
        &o,
        &v,
        "bad/azuredeploy.json",
        "more than 4,000,000 JSON values",
        true,
    );
    assert_error(
        &o,
        &v,
        "bad/terraform.tfvars.json",
        "more than 4,000,000 JSON values",
        true,
    );
    let line = |path: &str| notes_on(&v, path)[0]["start"]["line"].as_u64().unwrap();
    assert_eq!((line("bad/main.tf"), line("bad/azuredeploy.json")), (2, 2));
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let d = scan_dir();
    // 200 MB, sparse: refused by its size before a byte is read.
    let f = fs::File::create(d.path().join("bad/main.tf")).unwrap();
    f.set_len(200_000_000).unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_error(&o, &v, "bad/main.tf", "larger than 128 MiB", false);
}

/// The limit is the user's: `--max-file-size` (MiB) and `max_file_size` in batchguard.toml lower
/// or raise it, and a value out of range is a usage error.
#[test]
fn the_size_limit_is_configurable() {
    let d = scan_dir();
    // Two MiB of valid Terraform: over a limit of 1 MiB, under the default.
    let mut big = String::from("locals {\n");
    while big.len() < 2 << 20 {
        big.push_str(&format!("  l{} = \"{}\"\n", big.len(), "x".repeat(60)));
    }
    big.push_str("}\n");
    fs::write(d.path().join("bad/main.tf"), &big).unwrap();
    let (o, v) = scan(d.path(), &["--max-file-size", "1"], LIMIT);
    assert_error(&o, &v, "bad/main.tf", "larger than 1 MiB", false);
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert!(notes_on(&v, "bad/main.tf").is_empty(), "{v}");
    assert_ne!(o.status.code(), Some(2));
    fs::write(d.path().join("batchguard.toml"), "max_file_size = 1\n").unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_error(&o, &v, "bad/main.tf", "larger than 1 MiB", false);
    // The command line wins over the file.
    let (_, v) = scan(d.path(), &["--max-file-size", "4"], LIMIT);
    assert!(notes_on(&v, "bad/main.tf").is_empty(), "{v}");
    for bad in ["0", "2000", "-3"] {
        let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
            .current_dir(d.path())
            .args(["scan", ".", "--max-file-size", bad])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("from 1 to 1024"),
            "{bad}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn a_long_line_is_scanned_in_bounded_time() {
    let d = scan_dir();
    // A 10 MB line in a Terraform string, and a one-line template of many findings.
    fs::write(
        d.path().join("bad/main.tf"),
        format!("locals {{\n  x = \"{}\"\n}}\n", "a".repeat(10 << 20)),
    )
    .unwrap();
    fs::write(d.path().join("bad/min.json"), nsg_arm(1500, false)).unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_eq!(o.status.code(), Some(1), "{v:#}");
    assert_good_reported(&v);
    let on_min = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "bad/min.json")
        .count();
    assert_eq!(on_min, 1500);
    // The console shows a window of the line around each finding.
    let started = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(d.path())
        .args(["scan", "bad/min.json"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(started.elapsed() < LIMIT);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("--> bad/min.json:1:"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() < 400));
}

#[test]
fn nul_bytes_and_invalid_text_are_located_errors() {
    let d = scan_dir();
    let b = d.path().join("bad");
    fs::write(b.join("nul.tf"), "locals {\n  x = 1\0\0\n}\n").unwrap();
    fs::write(
        b.join("nul.json"),
        "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\",\0 \"resources\": []}",
    )
    .unwrap();
    fs::write(b.join("latin1.tf"), b"locals {\n  x = \"caf\xe9\"\n}\n").unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_error(&o, &v, "bad/nul.tf", "", true);
    assert_error(&o, &v, "bad/nul.json", "U+0000", true);
    assert_error(&o, &v, "bad/latin1.tf", "not UTF-8", true);
    let n = &notes_on(&v, "bad/latin1.tf")[0];
    assert_eq!(
        (n["start"]["line"].as_u64(), n["start"]["column"].as_u64()),
        (Some(2), Some(11))
    );
}

#[test]
fn utf16_templates_are_decoded_and_located_in_their_own_columns() {
    let text = nsg_arm(1, true).replace("\n", "\r\n");
    let utf8 = scan_dir();
    fs::write(utf8.path().join("bad/t.json"), &text).unwrap();
    let (_, expected) = scan(utf8.path(), &[], LIMIT);
    let region = |v: &Value| -> Vec<Value> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == "bad/t.json")
            .map(|f| f["start"].clone())
            .collect()
    };
    assert_eq!(region(&expected).len(), 1, "{expected:#}");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for bytes in [le, be] {
        let d = scan_dir();
        fs::write(d.path().join("bad/t.json"), bytes).unwrap();
        let (o, v) = scan(d.path(), &[], LIMIT);
        assert_eq!(o.status.code(), Some(1), "{v:#}");
        assert_eq!(region(&v), region(&expected));
        assert_good_reported(&v);
    }
}

#[test]
fn templates_and_parameters_that_are_not_json_are_located_errors() {
    let d = scan_dir();
    let b = d.path().join("bad");
    // Names its schema, but is not JSON.
    fs::write(
        b.join("azuredeploy.json"),
        "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", resources: [}",
    )
    .unwrap();
    // Names no schema, and is not JSON.
    fs::write(
        b.join("noschema.json"),
        "{\"resources\": [{\"type\": \"Microsoft.Network/networkSecurityGroups\", \"apiVersion\": \"2023-09-01\",}",
    )
    .unwrap();
    // A parameters file beside its template that is not JSON.
    fs::write(b.join("vm.json"), nsg_arm(1, true)).unwrap();
    fs::write(b.join("vm.parameters.json"), "adminUsername=bob\n").unwrap();
    // Parameters given on the command line: no schema, not JSON.
    fs::write(b.join("t.json"), nsg_arm(1, true)).unwrap();
    fs::write(b.join("p.txt"), "{\"parameters\": {\"a\": {\"value\": 1}").unwrap();
    let (o, v) = scan(d.path(), &["--parameters", "bad/t.json=bad/p.txt"], LIMIT);
    assert_error(&o, &v, "bad/azuredeploy.json", "invalid JSON", true);
    assert_error(&o, &v, "bad/p.txt", "parameters file", true);
    // Files that only look like ARM are named in a note, not errors (§1.14).
    for (path, says) in [
        ("bad/noschema.json", "invalid JSON"),
        ("bad/vm.parameters.json", "parameters file"),
    ] {
        let notes = notes_on(&v, path);
        assert!(
            notes.len() == 1
                && notes[0]["level"] == "note"
                && notes[0]["message"].as_str().unwrap().contains(says)
                && notes[0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("names no ARM schema"),
            "{path}: {v:#}"
        );
    }
    // The templates are still analysed.
    for t in ["bad/vm.json", "bad/t.json"] {
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["path"] == t),
            "{t}: {v:#}"
        );
    }
}

#[test]
fn a_big_terraform_file_is_scanned_in_bounded_time() {
    let d = scan_dir();
    let module: String = (0..2000)
        .map(|i| NSG_TF.replace("\"n\"", &format!("\"n{i}\"")))
        .collect();
    fs::write(d.path().join("bad/main.tf"), module).unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(v["findings"].as_array().unwrap().len(), 2001);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_and_loops_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.tf"), NSG_TF).unwrap();
    let d = scan_dir();
    let b = d.path().join("bad");
    symlink("b.tf", b.join("a.tf")).unwrap();
    symlink("a.tf", b.join("b.tf")).unwrap();
    symlink(outside.path().join("secret.tf"), b.join("out.tf")).unwrap();
    symlink(outside.path(), b.join("outdir")).unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_error(&o, &v, "bad/a.tf", "loop", false);
    assert_error(&o, &v, "bad/out.tf", "outside the scan root", false);
    let text = v.to_string();
    assert!(text.contains("bad/outdir"), "{v:#}");
    assert!(!text.contains("secret"), "{v:#}");
    assert_eq!(v["findings"].as_array().unwrap().len(), 1, "{v:#}");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
#[test]
fn named_pipes_are_never_opened_for_reading() {
    let d = scan_dir();
    let b = d.path().join("bad");
    mkfifo(&b.join("x.tf"));
    fs::write(b.join("vm.json"), nsg_arm(1, true)).unwrap();
    mkfifo(&b.join("vm.parameters.json"));
    mkfifo(&b.join("vars.tfvars"));
    mkfifo(&b.join("p.json"));
    fs::write(b.join("t.json"), nsg_arm(1, true)).unwrap();
    let (o, v) = scan(
        d.path(),
        &[
            "--var-file",
            "bad/vars.tfvars",
            "--parameters",
            "bad/t.json=bad/p.json",
        ],
        LIMIT,
    );
    for f in ["x.tf", "vm.parameters.json", "vars.tfvars", "p.json"] {
        assert_error(&o, &v, &format!("bad/{f}"), "named pipe", false);
    }
}

#[test]
fn a_folder_named_like_an_input_is_walked() {
    let d = scan_dir();
    fs::create_dir_all(d.path().join("bad/main.tf")).unwrap();
    fs::write(d.path().join("bad/main.tf/inner.tf"), NSG_TF).unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_eq!(o.status.code(), Some(1), "{v:#}");
    assert_good_reported(&v);
    assert!(v.to_string().contains("bad/main.tf/inner.tf"), "{v:#}");
    assert!(
        v.to_string().contains(
            "`bad/main.tf` is a folder, not a file: batchguard scans the files inside it"
        ),
        "{v:#}"
    );
    // Given where a variables file is expected, it is a located error.
    let (o, v) = scan(d.path(), &["--var-file", "bad/main.tf"], LIMIT);
    assert_error(&o, &v, "bad/main.tf", "folder", false);
}

#[test]
fn many_small_files() {
    let d = scan_dir();
    for i in 0..5000 {
        let dir = d.path().join(format!("bad/m{}", i / 500));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join(format!("f{i}.tf")),
            format!("locals {{ a{i} = {i} }}\n"),
        )
        .unwrap();
    }
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_eq!(o.status.code(), Some(1), "{v:#}");
    assert_good_reported(&v);
    assert_eq!(v["summary"]["files"], 5001);
}

#[test]
fn odd_numbers_are_read_or_located_errors() {
    for (n, arm_ok, tf_ok) in [
        ("1e400", true, false),
        ("-1e400", true, false),
        ("-0", true, true),
        ("0x10", false, false),
        ("1e-400", true, true),
        ("99999999999999999999999999", true, true),
    ] {
        let d = scan_dir();
        let b = d.path().join("bad");
        fs::write(
            b.join("t.json"),
            format!(
                "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": [], \"variables\": {{\"a\": {n}}}, \
                 \"outputs\": {{\"o\": {{\"type\": \"int\", \"value\": \"[add(variables('a'), 1)]\"}}}}}}"
            ),
        )
        .unwrap();
        fs::write(
            b.join("main.tf"),
            format!("locals {{\n  a = {n}\n}}\noutput \"o\" {{\n  value = local.a + 1\n}}\n"),
        )
        .unwrap();
        let (o, v) = scan(d.path(), &[], LIMIT);
        assert_good_reported(&v);
        for (path, ok) in [("bad/t.json", arm_ok), ("bad/main.tf", tf_ok)] {
            let errors: Vec<_> = notes_on(&v, path)
                .into_iter()
                .filter(|n| n["level"] == "error")
                .collect();
            if ok {
                assert!(errors.is_empty(), "{n} in {path}: {v:#}");
            } else if n.contains("e400") && path.ends_with(".tf") {
                assert_error(
                    &o,
                    &v,
                    path,
                    &format!("the number `{}` is beyond", n.trim_start_matches('-')),
                    true,
                );
            } else {
                assert_error(&o, &v, path, "", true);
            }
        }
    }
}

#[test]
fn a_tfvars_file_with_a_syntax_error_is_a_located_error() {
    let d = scan_dir();
    let b = d.path().join("bad");
    fs::write(b.join("main.tf"), "variable \"a\" {}\n").unwrap();
    fs::write(b.join("terraform.tfvars"), "a = \"unterminated\n").unwrap();
    fs::write(b.join("other.tfvars"), "b = [1, 2\n").unwrap();
    let (o, v) = scan(d.path(), &["--var-file", "bad/other.tfvars"], LIMIT);
    assert_error(&o, &v, "bad/terraform.tfvars", "syntax error", true);
    assert_error(&o, &v, "bad/other.tfvars", "syntax error", true);
}

#[test]
fn a_deeply_nested_template_expression_is_a_located_warning() {
    let d = scan_dir();
    let name = format!("[{}'a'{}]", "concat(".repeat(DEEP), ")".repeat(DEEP));
    fs::write(
        d.path().join("bad/t.json"),
        nsg_arm(1, false).replace("\"nsg0\"", &serde_json::to_string(&name).unwrap()),
    )
    .unwrap();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_eq!(o.status.code(), Some(1), "{v:#}");
    let notes = notes_on(&v, "bad/t.json");
    assert!(
        notes.iter().any(|n| n["level"] == "warning"
            && n["message"].as_str().unwrap().contains("nested too deeply")
            && n["start"]["line"] == 1),
        "{v:#}"
    );
    // The NSG is still judged.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "bad/t.json"),
        "{v:#}"
    );
    assert_good_reported(&v);
}

/// Bicep past the token bound is refused where it passes it; text that is mostly syntax errors
/// (which tree-sitter's error recovery takes far more than linear time on) stops at the parse
/// time bound; a good file beside them still gets its finding.
#[test]
fn dense_or_broken_bicep_is_a_located_error_in_bounded_time() {
    let d = scan_dir();
    let b = d.path().join("bad");
    let ones = vec!["1"; 1_100_000].join("\n");
    fs::write(b.join("dense.bicep"), format!("var a = [\n{ones}\n]\n")).unwrap();
    // A type the front-end blanks out (`resourceInput<…>`) followed by a token no declaration
    // takes, on every line.
    let broken = "param a resourceInput<'x'>.y? :\n".repeat(8_000);
    fs::write(b.join("broken.bicep"), broken).unwrap();
    let started = Instant::now();
    let (o, v) = scan(d.path(), &[], LIMIT);
    assert_error(
        &o,
        &v,
        "bad/dense.bicep",
        "more than 1,000,000 tokens",
        true,
    );
    let notes = notes_on(&v, "bad/broken.bicep");
    assert!(notes.iter().any(|n| n["level"] == "error"), "{notes:?}");
    println!("scanned in {:?}", started.elapsed());
}
