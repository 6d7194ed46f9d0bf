//! How interactive the editor diagnostics are: a generated Terraform file of about 3,000 lines
//! (30 NSGs with 9 rules each) is analysed again after a one-line change, as `batchguard lsp` does
//! after each edit, and the time is reported beside the parse-only pass of the same text (the
//! baseline) as a ratio. The last figure is the whole round trip through the server, from
//! `didChange` to `publishDiagnostics`, which adds the debounce delay.
//! Run with `cargo bench --bench lsp`.

#[path = "../tests/common/lsp.rs"]
mod lsp;

use batchguard::rules::Options;
use batchguard::scan::{analyse, load_with_overrides, Overrides, ScanConfig};
use lsp::{file_uri, Client, Memory};
use serde_json::json;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

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

fn main() {
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
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
