//! Scan speed on the shared corpus: the parse-only pass (read + front-ends) is the baseline, and
//! the full scan (parse + scopes + graph + rules) is reported as a ratio to it, both measured in
//! this run. Run with `cargo bench --bench scan` (or `scripts/bench`, which adds peak memory).

#[path = "common/runs.rs"]
mod runs;

#[path = "common/median.rs"]
mod median;
use median::median;

use batchguard::rules::Options;
use batchguard::scan::{analyse, load, ScanConfig};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(corpus) = corpus.canonicalize() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let cfg = ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![corpus.clone()],
        root: corpus.clone(),
        options: Options::default(),
    };
    let iterations = runs::iterations(30);
    // Warm the file cache and the thread pool.
    let warm = analyse(load(&cfg).unwrap(), &cfg);
    let bytes: usize = warm.files.iter().map(|f| f.text.len()).sum();
    let (mut parse, mut full) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        let loaded = load(&cfg).unwrap();
        parse.push(t.elapsed());
        std::hint::black_box(&loaded);
        let t = Instant::now();
        let out = analyse(load(&cfg).unwrap(), &cfg);
        full.push(t.elapsed());
        std::hint::black_box(&out);
    }
    let (p, f) = (median(parse), median(full));
    println!(
        "corpus: {} files, {:.2} MB, {} findings",
        warm.files.len(),
        bytes as f64 / 1e6,
        warm.findings.len()
    );
    println!(
        "parse-only (baseline): median {:.1} ms over {iterations} runs",
        p.as_secs_f64() * 1e3
    );
    println!(
        "full scan:             median {:.1} ms over {iterations} runs",
        f.as_secs_f64() * 1e3
    );
    println!(
        "full / parse-only:     {:.2}x",
        f.as_secs_f64() / p.as_secs_f64()
    );
}
