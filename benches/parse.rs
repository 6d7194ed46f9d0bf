//! Terraform parse throughput on one core, on the generated 16 MB module (benches/common): the
//! front-end's parse as the scan runs it (size pre-pass, parse in parts, compaction), the same
//! with the resources lowered to the IR (`terraform::load`, "parse and lower"), and, as the
//! reference, `hcl-edit` parsing the whole text and nothing else. Medians of `BENCH_ITERATIONS`
//! runs (default 5), in MB/s, on a thread pool of one thread.
//! Run with `cargo bench --bench parse`.

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
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    batchguard::alloc::tune();
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .stack_size(batchguard::stack::DEEP_STACK)
        .start_handler(|_| batchguard::stack::mark_deep())
        .build_global();
    let runs: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut text = String::from("variable \"location\" {\n  default = \"westeurope\"\n}\n\n");
    let mut i = 0;
    while text.len() < 16 << 20 {
        module::block(&mut text, i);
        i += 1;
    }
    let mb = text.len() as f64 / 1e6;
    let file = SourceFile::new(0, "main.tf".into(), "main.tf".into(), &text);
    let time = |f: &dyn Fn()| {
        let v: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        median(v)
    };
    let rate = |d: Duration| mb / d.as_secs_f64();
    let hcl = time(&|| drop(std::hint::black_box(hcl_edit::parser::parse_body(&text))));
    let parse = time(&|| {
        drop(std::hint::black_box(terraform::parse(
            &file,
            InputKind::Terraform,
        )))
    });
    let lower = time(&|| {
        drop(std::hint::black_box(terraform::load(
            &file,
            InputKind::Terraform,
        )))
    });
    println!("generated main.tf: {mb:.1} MB, {i} NSGs; one thread, medians of {runs} runs");
    println!(
        "hcl-edit alone, whole text (reference): {:6.1} MB/s",
        rate(hcl)
    );
    println!(
        "front-end parse (pre-pass, parts, compaction): {:6.1} MB/s ({:.2}x hcl-edit's time)",
        rate(parse),
        parse.as_secs_f64() / hcl.as_secs_f64()
    );
    println!(
        "front-end parse and lower (terraform::load): {:6.1} MB/s ({:.2}x hcl-edit's time)",
        rate(lower),
        lower.as_secs_f64() / hcl.as_secs_f64()
    );
}
