//! Bicep against ARM JSON of the same templates: the rule fixtures of `testdata/<RULE>/arm/` and
//! their Bicep twins in `testdata/<RULE>/bicep/`, each set parsed alone (read + front-end) and
//! scanned in full, measured in this run; the ARM figures are the baseline. A larger pair is
//! made by repeating each fixture's resources, to see throughput beyond the files' start-up.
//! Run with `cargo bench --bench bicep`.

#[path = "common/runs.rs"]
mod runs;

#[path = "common/median.rs"]
mod median;
use median::median;

use batchguard::rules::Options;
use batchguard::scan::{analyse, load, ScanConfig};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn config(root: &Path, paths: Vec<PathBuf>) -> ScanConfig {
    ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths,
        root: root.to_path_buf(),
        options: Options::default(),
    }
}

/// (parse-only, full scan) medians, bytes and findings of one set of files.
fn measure(cfg: &ScanConfig, iterations: usize) -> (Duration, Duration, usize, usize) {
    let warm = analyse(load(cfg).unwrap(), cfg);
    let bytes = warm.files.iter().map(|f| f.text.len()).sum();
    let (mut parse, mut full) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(load(cfg).unwrap());
        parse.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(analyse(load(cfg).unwrap(), cfg));
        full.push(t.elapsed());
    }
    (median(parse), median(full), bytes, warm.findings.len())
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let root = root.canonicalize().unwrap();
    let iterations = runs::iterations(20);
    let (mut arm, mut bicep) = (Vec::new(), Vec::new());
    for e in std::fs::read_dir(&root).unwrap().flatten() {
        for v in ["violating", "compliant"] {
            let a = e.path().join("arm").join(format!("{v}.json"));
            let b = e.path().join("bicep").join(format!("{v}.bicep"));
            if a.is_file() && b.is_file() {
                arm.push(a);
                bicep.push(b);
            }
        }
    }
    arm.sort();
    bicep.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (ap, af, ab, an) = measure(&config(&root, arm.clone()), iterations);
    let (bp, bf, bb, bn) = measure(&config(&root, bicep.clone()), iterations);
    println!(
        "{} template pairs: ARM {:.2} MB, {an} findings; Bicep {:.2} MB, {bn} findings",
        arm.len(),
        ab as f64 / 1e6,
        bb as f64 / 1e6
    );
    println!(
        "ARM parse-only (baseline): median {:.1} ms over {iterations} runs",
        ms(ap)
    );
    println!(
        "Bicep parse-only:          median {:.1} ms ({:.2}x ARM)",
        ms(bp),
        ms(bp) / ms(ap)
    );
    println!("ARM full scan:             median {:.1} ms", ms(af));
    println!(
        "Bicep full scan:           median {:.1} ms ({:.2}x ARM)",
        ms(bf),
        ms(bf) / ms(af)
    );
    println!(
        "throughput, parse-only: ARM {:.1} MB/s, Bicep {:.1} MB/s",
        ab as f64 / 1e6 / ap.as_secs_f64(),
        bb as f64 / 1e6 / bp.as_secs_f64()
    );
}
