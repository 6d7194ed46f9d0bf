//! Terraform parse throughput on one core, on the generated 16 MB module (benches/common): the
//! front-end's parse as the scan runs it (size pre-pass, parse in parts, compaction; evaluation
//! lowers the blocks it needs later, with their values), the same with every resource block
//! lowered to the IR without values (`terraform::load`, "parse and lower"), and, as the
//! reference, `hcl-edit` parsing the whole text and nothing else. Medians of `BENCH_ITERATIONS`
//! runs (default 5), in MB/s, on a thread pool of one thread (run it under `taskset -c 0` for one
//! core: a big file's parts are parsed on threads of their own). Freeing each result is timed
//! apart.
//! Run with `cargo bench --bench parse`.

#[path = "common/runs.rs"]
mod runs;

#[path = "common/median.rs"]
mod median;
use median::median;

#[path = "common/module.rs"]
mod module;

use batchguard::frontend::{terraform, InputKind};
use batchguard::source::SourceFile;
use std::time::{Duration, Instant};

/// The command line's allocator and its settings, so that the figures are the scan's.
#[global_allocator]
static ALLOCATOR: batchguard::alloc::Mimalloc = batchguard::alloc::Mimalloc;

fn main() {
    batchguard::alloc::tune();
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .stack_size(batchguard::stack::DEEP_STACK)
        .start_handler(|_| batchguard::stack::mark_deep())
        .build_global();
    let runs = runs::iterations(5);
    let mut text = String::from("variable \"location\" {\n  default = \"westeurope\"\n}\n\n");
    let nsgs = module::fill(&mut text, 16 << 20);
    let mb = text.len() as f64 / 1e6;
    let file = SourceFile::new(0, "main.tf".into(), "main.tf".into(), &text);
    // The time to build each result, and apart from it the time to free it: the scan frees a
    // file's tree only after evaluating it (and the command line not at all at exit), so the
    // two are separate costs.
    fn time<T>(runs: usize, f: impl Fn() -> T) -> (Duration, Duration) {
        let (built, freed): (Vec<Duration>, Vec<Duration>) = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let value = std::hint::black_box(f());
                let built = t.elapsed();
                let t = Instant::now();
                drop(value);
                (built, t.elapsed())
            })
            .unzip();
        (median(built), median(freed))
    }
    let rate = |d: Duration| mb / d.as_secs_f64();
    let (hcl, hcl_free) = time(runs, || hcl_edit::parser::parse_body(&text));
    let (parse, parse_free) = time(runs, || terraform::parse(&file, InputKind::Terraform));
    let (lower, lower_free) = time(runs, || terraform::load(&file, InputKind::Terraform));
    println!("generated main.tf: {mb:.1} MB, {nsgs} NSGs; one thread, medians of {runs} runs");
    println!("(freeing the result is timed apart: the scan frees a tree after evaluating it)");
    let row = |what: &str, built: Duration, freed: Duration| {
        println!(
            "{what:46} {:6.1} MB/s ({:.2}x hcl-edit's time); freeing it {:5.1} ms",
            rate(built),
            built.as_secs_f64() / hcl.as_secs_f64(),
            freed.as_secs_f64() * 1e3
        );
    };
    row("hcl-edit alone, whole text (reference):", hcl, hcl_free);
    row("front-end parse, as the scan runs it:", parse, parse_free);
    row(
        "parse and lower every block (terraform::load):",
        lower,
        lower_free,
    );
}
