//! How interactive the editor diagnostics are: a generated Terraform file of about 3,000 lines
//! (30 NSGs with 9 rules each) is analysed again after a one-line change, as `batchguard lsp` does
//! after each edit, and the time is reported beside the parse-only pass of the same text (the
//! baseline) as a ratio. Then the server's incremental analysis (`batchguard::lsp::incremental`,
//! which parses again only the changed files and evaluates again only the units they belong to)
//! against the full re-analysis of the same folder after the same edits, in the same run, for
//! three folders: that file; a Terraform module of about 16 MB in 100 files, one line of one
//! file changed (one module is one unit: it is evaluated again whole); and 100 ARM templates,
//! one of them changed. The last figure is the whole round trip through the server, from
//! `didChange` to `publishDiagnostics`, which adds the debounce delay.
//! Run with `cargo bench --bench lsp` (`BENCH_ITERATIONS` runs of the small cases, default 30;
//! `BENCH_BIG_ITERATIONS` of the 16 MB module, default 5).

#[path = "common/runs.rs"]
mod runs;

#[path = "common/median.rs"]
mod median;
use median::median;

#[path = "../tests/common/lsp.rs"]
mod lsp;
#[path = "common/module.rs"]
mod module;

use batchguard::lsp::incremental::{self, Kept, Phases};
use batchguard::rules::Options;
use batchguard::scan::{analyse, analyse_explaining, load_with_overrides, Overrides, ScanConfig};
use batchguard::source::SourceFile;
use lsp::{file_uri, Client, Memory};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator of `batchguard lsp` (src/main.rs), so that the figures are the server's.
#[global_allocator]
static ALLOCATOR: batchguard::alloc::Mimalloc = batchguard::alloc::Mimalloc;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// NSGs with inline rules; every fifth rule allows SSH or RDP from the internet.
fn generate() -> String {
    let mut s = String::new();
    for n in 0..30 {
        s.push_str(&format!(
            "resource \"azurerm_network_security_group\" \"nsg{n}\" {{\n  name                = \"nsg-{n}\"\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n\n"
        ));
        for r in 0..9 {
            let port = [22, 3389, 443, 80, 8080][r % 5];
            let source = if r % 5 == 0 { "*" } else { "10.0.0.0/8" };
            s.push_str(&format!(
                "  security_rule {{\n    name                       = \"rule-{n}-{r}\"\n    priority                   = {}\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"{port}\"\n    source_address_prefix      = \"{source}\"\n    destination_address_prefix = \"*\"\n  }}\n",
                100 + r * 10
            ));
        }
        s.push_str("}\n\n");
    }
    s
}

/// A module of about `size` bytes in `files` files, as `scripts/bench-scale` makes its modules:
/// NSGs with six rules, subnets, associations, and a Batch pool every tenth block.
fn module(size: usize, files: usize) -> Vec<String> {
    let block = |i: usize| {
        let mut out = String::new();
        module::block(&mut out, i);
        out
    };
    let mut out = vec![String::new(); files];
    out[0].push_str("variable \"location\" {\n  default = \"westeurope\"\n}\n\n");
    let (mut n, mut i) = (0, 0);
    loop {
        let b = block(i);
        if n + b.len() > size {
            break;
        }
        n += b.len();
        out[i % files].push_str(&b);
        i += 1;
    }
    out
}

/// The settings the server makes for a folder: its inputs, rooted there.
fn folder_config(folder: &Path) -> ScanConfig {
    let paths = batchguard::lsp::folder_inputs(folder);
    batchguard::settings::scan_config(folder, paths, &Default::default()).unwrap()
}

/// The same edits analysed in full (the baseline: what the server did before) and
/// incrementally (from the analysis of the previous edit), alternating; prints the medians and
/// their ratio, with what the incremental analysis did again and where its time went.
fn compare(name: &str, cfg: &ScanConfig, buffer: &dyn Fn(usize) -> Overrides, runs: usize) {
    let mut kept: Option<(Vec<SourceFile>, Kept)> = None;
    let mut step = |o: &Overrides| {
        let (files, before) = match kept.take() {
            Some((f, k)) => (f, Some(k)),
            None => (Vec::new(), None),
        };
        let before = before.map(|k| (files.as_slice(), k));
        let t = Instant::now();
        let a = incremental::analyse(cfg, o, before).unwrap();
        let took = t.elapsed();
        let findings = a.out.findings.len();
        kept = Some((a.out.files, a.kept));
        (took, a.work, a.phases, findings)
    };
    // The warm-up reads the other text than the first run, so that every run has an edit.
    step(&buffer(1));
    let (mut full, mut inc, mut phases) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for i in 0..runs {
        let o = buffer(i);
        let t = Instant::now();
        let out = analyse_explaining(load_with_overrides(cfg, &o).unwrap(), cfg);
        full.push(t.elapsed());
        let (took, work, p, findings) = step(&o);
        assert_eq!(findings, out.0.findings.len(), "{name}: the same findings");
        std::hint::black_box(out);
        inc.push(took);
        phases.push(p);
        last = Some(work);
    }
    let (f, n) = (median(full), median(inc));
    let pick = |get: fn(&Phases) -> Duration| median(phases.iter().map(get).collect());
    println!("{name}:");
    println!(
        "  full re-analysis (baseline): median {:.1} ms over {runs} runs",
        ms(f)
    );
    println!(
        "  incremental:                 median {:.1} ms ({}): {:.3}x the baseline",
        ms(n),
        last.map_or(String::new(), |w| w.to_string()),
        n.as_secs_f64() / f.as_secs_f64()
    );
    println!(
        "    read {:.1} ms, parse {:.1} ms, evaluate + rules {:.1} ms, merge + suppressions {:.1} ms",
        ms(pick(|p| p.read)),
        ms(pick(|p| p.parse)),
        ms(pick(|p| p.units)),
        ms(pick(|p| p.finish)),
    );
}

fn main() {
    batchguard::alloc::tune();
    let iterations = runs::iterations(30);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().canonicalize().unwrap();
    let main = folder.join("main.tf");
    let text = generate();
    std::fs::write(&main, &text).unwrap();
    let lines = text.lines().count();
    let cfg = ScanConfig {
        config: Default::default(),
        eval: Default::default(),
        paths: vec![main.clone()],
        root: folder.clone(),
        options: Options::default(),
    };
    // The edit: one rule's source narrowed, alternately on and off.
    let edited = text.replacen(
        "source_address_prefix      = \"*\"",
        "source_address_prefix      = \"10.1.0.0/16\"",
        1,
    );
    let buffer = |i: usize| -> Overrides {
        let t = if i.is_multiple_of(2) { &edited } else { &text };
        [(main.clone(), t.clone())].into_iter().collect()
    };
    let warm = analyse(load_with_overrides(&cfg, &buffer(0)).unwrap(), &cfg);
    let (mut parse, mut full) = (Vec::new(), Vec::new());
    for i in 0..iterations {
        let overrides = buffer(i);
        let t = Instant::now();
        let loaded = load_with_overrides(&cfg, &overrides).unwrap();
        parse.push(t.elapsed());
        std::hint::black_box(&loaded);
        let t = Instant::now();
        let out = analyse(load_with_overrides(&cfg, &overrides).unwrap(), &cfg);
        full.push(t.elapsed());
        std::hint::black_box(&out);
    }
    let (p, f) = (median(parse), median(full));
    println!(
        "generated main.tf: {lines} lines, {:.0} KB, {} findings",
        text.len() as f64 / 1e3,
        warm.findings.len()
    );
    println!(
        "parse-only (baseline):        median {:.1} ms over {iterations} runs",
        ms(p)
    );
    println!(
        "re-analysis after one change: median {:.1} ms over {iterations} runs",
        ms(f)
    );
    println!(
        "re-analysis / parse-only:     {:.2}x",
        f.as_secs_f64() / p.as_secs_f64()
    );

    // The incremental path against the full re-analysis, the same run.
    let single = ScanConfig {
        paths: vec![main.clone()],
        root: folder.clone(),
        ..folder_config(&folder)
    };
    compare(
        &format!("{lines}-line main.tf, one line changed"),
        &single,
        &buffer,
        iterations,
    );

    let big_runs: usize = std::env::var("BENCH_BIG_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let big = tempfile::tempdir().expect("a temporary folder");
    let big_folder = big.path().canonicalize().unwrap();
    let parts = module((16 << 20) - (64 << 10), 100);
    for (i, text) in parts.iter().enumerate() {
        std::fs::write(big_folder.join(format!("m{i:03}.tf")), text).unwrap();
    }
    let edited_file = big_folder.join("m050.tf");
    let original = parts[50].clone();
    let changed = original.replacen("\"10.0.1.0/24\"", "\"10.0.9.0/24\"", 1);
    assert_ne!(original, changed);
    let big_cfg = folder_config(&big_folder);
    compare(
        &format!(
            "Terraform module of {:.1} MB in {} files, one line of one file changed",
            parts.iter().map(String::len).sum::<usize>() as f64 / 1e6,
            parts.len()
        ),
        &big_cfg,
        &|i| {
            let t = if i.is_multiple_of(2) {
                &changed
            } else {
                &original
            };
            [(edited_file.clone(), t.clone())].into_iter().collect()
        },
        big_runs,
    );
    drop(big);

    let arm = tempfile::tempdir().expect("a temporary folder");
    let arm_folder = arm.path().canonicalize().unwrap();
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/NET001/arm/violating.json"),
    )
    .unwrap();
    for i in 0..100 {
        std::fs::write(arm_folder.join(format!("t{i:03}.json")), &template).unwrap();
    }
    let arm_edited = arm_folder.join("t042.json");
    let arm_changed = template.replacen('{', "{\n", 1);
    let arm_cfg = folder_config(&arm_folder);
    compare(
        &format!("100 ARM templates of {} bytes, one changed", template.len()),
        &arm_cfg,
        &|i| {
            let t = if i.is_multiple_of(2) {
                &arm_changed
            } else {
                &template
            };
            [(arm_edited.clone(), t.clone())].into_iter().collect()
        },
        iterations,
    );
    drop(arm);

    // Through the server: didChange (a full-text change) to publishDiagnostics.
    let mut client = Memory::start();
    let uri = file_uri(&main);
    client.initialize(json!({"capabilities": {}}));
    client.open(&uri, "terraform", 0, &text);
    client.publication(&uri);
    let rounds = iterations.min(10);
    let mut round_trips = Vec::new();
    for i in 0..rounds {
        let t = if i.is_multiple_of(2) { &edited } else { &text };
        let start = Instant::now();
        client.change(&uri, i as i32 + 1, json!([{"text": t}]));
        client.publication(&uri);
        round_trips.push(start.elapsed());
    }
    client.shutdown_and_exit(2);
    let _ = client.join();
    println!(
        "server round trip (didChange → publishDiagnostics, {} ms debounce included): median {:.1} ms over {rounds} runs",
        batchguard::lsp::DEBOUNCE.as_millis(),
        ms(median(round_trips))
    );
}
