//! The front-end stage alone: finds, reads and parses every input under a folder, as
//! `batchguard scan` does before analysing them, and prints what it read. `scripts/bench-scale`
//! times it beside the full scan of the same folder, as the baseline of its ratios.
//!
//! `cargo run --release --example parse_only -- DIR`

use batchguard::rules::Options;
use batchguard::scan::{load, ScanConfig};
use std::path::PathBuf;

/// The command line's allocator, so that the ratio compares like with like.
#[global_allocator]
static ALLOCATOR: batchguard::alloc::Mimalloc = batchguard::alloc::Mimalloc;

fn main() {
    // The same allocator settings and thread pool as the command line's.
    batchguard::alloc::tune();
    batchguard::stack::build_deep_pool();
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parse_only DIR");
        std::process::exit(2);
    };
    let cfg = ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![dir.clone()],
        root: dir,
        options: Options::default(),
    };
    match load(&cfg) {
        Ok(loaded) => {
            let bytes: usize = loaded.files.iter().map(|f| f.text.len()).sum();
            println!(
                "{} files, {bytes} bytes, {} documents",
                loaded.files.len(),
                loaded.docs.len()
            );
            // Exit without freeing, as the command line does.
            std::mem::forget(loaded);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
