//! How many runs a benchmark makes: `BENCH_ITERATIONS` when it is a number, else the bench's
//! default; at least one.

pub fn iterations(default: usize) -> usize {
    std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
        .max(1)
}
