//! Throughput of GitHub's line hashes (`partialFingerprints.primaryLocationLineHash`), which the
//! SARIF writer computes for every line of a file up to its last finding: on the templates of
//! `../shared/corpus` (every file, each hashed whole) and on the generated 16 MB module
//! (benches/common), one thread. Medians of `BENCH_ITERATIONS` runs (default 7), in MB/s.
//! Run with `cargo bench --bench line_hash`.

#[path = "common/runs.rs"]
mod runs;

#[path = "common/median.rs"]
mod median;
use median::median;

#[path = "common/module.rs"]
mod module;

use batchguard::report::fingerprint::line_hashes_of;
use std::collections::BTreeSet;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: batchguard::alloc::Mimalloc = batchguard::alloc::Mimalloc;

fn main() {
    batchguard::alloc::tune();
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    let runs = runs::iterations(7);
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let mut texts: Vec<String> = ignore::WalkBuilder::new(corpus)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let found = texts.len();
    let mut module = String::new();
    module::fill(&mut module, 16 << 20);
    let sets: [(&str, Vec<String>); 2] = [
        ("../shared/corpus", std::mem::take(&mut texts)),
        ("generated 16 MB module", vec![module]),
    ];
    println!("line hashes, one thread, medians of {runs} runs");
    if found == 0 {
        println!("(no files under {corpus})");
    }
    for (name, texts) in &sets {
        // The last line of each text is the one asked for, so that every line is hashed.
        let last: Vec<BTreeSet<usize>> = texts
            .iter()
            .map(|t| BTreeSet::from([t.lines().count().max(1)]))
            .collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        let times = (0..runs)
            .map(|_| {
                let t = Instant::now();
                for (text, last) in texts.iter().zip(&last) {
                    std::hint::black_box(line_hashes_of(text, last));
                }
                t.elapsed()
            })
            .collect();
        let rate = bytes as f64 / median(times).as_secs_f64() / 1e6;
        println!(
            "{name:24} {:5} files {:7.1} MB {rate:7.1} MB/s",
            texts.len(),
            bytes as f64 / 1e6
        );
    }
}
