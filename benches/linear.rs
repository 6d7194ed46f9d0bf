//! Scan time must grow linearly with module size. Generates one Terraform module of ~4 MiB and
//! one of ~8 MiB (NSGs with six inline rules, some allowing 22/3389 from `*`; a subnet and an
//! NSG association per NSG; every tenth NSG a Batch pool in that subnet with SSH open to `*`),
//! scans each through the library a few times, and prints the median process CPU time (user +
//! system, all threads, from `getrusage`; system time is mostly page faults of a growing heap)
//! and the 8/4 ratio, which should stay near 2.
//! Run with `cargo bench --bench linear`; `BENCH_ITERATIONS` sets the runs per size (default 3).

#[path = "common/runs.rs"]
mod runs;

#[path = "common/module.rs"]
mod module;

use batchguard::rules::Options;
use batchguard::scan::{analyse, load, ScanConfig};
use std::path::Path;
use std::time::Duration;

/// CPU time this process has used so far, all threads: (user, system).
fn cpu_time() -> (Duration, Duration) {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (tv(usage.ru_utime), tv(usage.ru_stime))
}

/// Writes `main.tf` of at least `target` bytes into `dir`; returns its size and NSG count.
fn generate(dir: &Path, target: usize) -> (usize, usize) {
    let mut body = String::with_capacity(target + 4096);
    let nsgs = module::fill(&mut body, target);
    let text = format!("variable \"location\" {{\n  default = \"westeurope\"\n}}\n\n{body}");
    std::fs::write(dir.join("main.tf"), &text).expect("write main.tf");
    (text.len(), nsgs)
}

struct Run {
    bytes: usize,
    nsgs: usize,
    findings: usize,
    /// The run with the median CPU time: (user, system).
    cpu: (Duration, Duration),
}

impl Run {
    fn total(&self) -> f64 {
        (self.cpu.0 + self.cpu.1).as_secs_f64()
    }
}

fn measure(mib: usize, iterations: usize) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let (bytes, nsgs) = generate(dir.path(), mib * 1024 * 1024);
    let root = dir.path().canonicalize().expect("temp dir path");
    let cfg = ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![root.clone()],
        root,
        options: Options::default(),
    };
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..iterations {
        let (user, system) = cpu_time();
        let out = analyse(load(&cfg).expect("load"), &cfg);
        let (user2, system2) = cpu_time();
        times.push((user2 - user, system2 - system));
        findings = out.findings.len();
        std::hint::black_box(&out);
    }
    times.sort_by_key(|(u, s)| *u + *s);
    Run {
        bytes,
        nsgs,
        findings,
        cpu: times[times.len() / 2],
    }
}

fn main() {
    let iterations = runs::iterations(3);
    let runs: Vec<Run> = [4, 8].iter().map(|&m| measure(m, iterations)).collect();
    for r in &runs {
        println!(
            "{:.2} MB, {} NSGs, {} findings: median CPU {:.2} s ({:.2} s user, {:.2} s system) over {iterations} runs",
            r.bytes as f64 / 1e6,
            r.nsgs,
            r.findings,
            r.total(),
            r.cpu.0.as_secs_f64(),
            r.cpu.1.as_secs_f64()
        );
    }
    println!(
        "8 MiB / 4 MiB CPU time: {:.2} (user alone {:.2}; linear is 2)",
        runs[1].total() / runs[0].total(),
        runs[1].cpu.0.as_secs_f64() / runs[0].cpu.0.as_secs_f64()
    );
}
