//! Evaluation time must follow the input (D39): the generated network module of
//! `tests/common/network.rs` (a tfvars map of subnets with eight NSG rules each, locals that
//! flatten, merge and group them, a `for_each` NSG per subnet with a `dynamic "security_rule"`,
//! subnets, route tables and associations over a dozen files) is evaluated at 35, 70, 140 and 280
//! subnets. For each size it prints the median evaluation time (Terraform evaluation alone, after
//! parsing), the resources and NSG rules evaluated, and the limit warnings (none expected); the
//! ratio between successive sizes should stay near 2.
//! Run with `cargo bench --bench eval_budget`; `BENCH_ITERATIONS` sets the runs per size
//! (default 5).

#[path = "common/runs.rs"]
mod runs;

#[path = "common/median.rs"]
mod median;
use median::median;

#[path = "../tests/common/network.rs"]
mod network;

use batchguard::scan::{load, ScanConfig};
use std::time::{Duration, Instant};

fn main() {
    let iterations = runs::iterations(5);
    println!("subnets  files  bytes    resources  rules  warnings  eval (median)  ratio");
    let mut previous: Option<Duration> = None;
    for subnets in [35, 70, 140, 280] {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut bytes = 0;
        let files = network::network_module(subnets);
        for (rel, text) in &files {
            bytes += text.len();
            std::fs::write(dir.path().join(rel), text).expect("write the module");
        }
        let cfg = ScanConfig {
            eval: Default::default(),
            config: Default::default(),
            paths: vec![dir.path().to_path_buf()],
            root: dir.path().to_path_buf(),
            options: Default::default(),
        };
        let loaded = load(&cfg).expect("load the module");
        let mut times = Vec::new();
        let mut summary = (0, 0, 0);
        for _ in 0..iterations {
            let start = Instant::now();
            let (scopes, notes) =
                batchguard::eval::scopes(&loaded.files, &loaded.docs, &loaded.bodies, &cfg.eval);
            times.push(start.elapsed());
            let resources: Vec<_> = scopes.iter().flat_map(|s| s.resources.iter()).collect();
            let rules: usize = resources
                .iter()
                .filter_map(|r| r.properties()?.get("securityRules"))
                .map(|r| r.items().len())
                .sum();
            summary = (resources.len(), rules, notes.len());
        }
        let t = median(times);
        let ratio = previous.map_or(String::from("-"), |p| {
            format!("{:.2}", t.as_secs_f64() / p.as_secs_f64())
        });
        println!(
            "{subnets:>7}  {:>5}  {bytes:>7}  {:>9}  {:>5}  {:>8}  {:>10.1} ms  {ratio:>5}",
            files.len(),
            summary.0,
            summary.1,
            summary.2,
            t.as_secs_f64() * 1e3
        );
        previous = Some(t);
    }
}
