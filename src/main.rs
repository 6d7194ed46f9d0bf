fn main() {
    one_malloc_arena();
    let cli = match batchguard::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    std::process::exit(batchguard::cli::run(cli));
}

/// With glibc, one allocation arena for every thread: memory one worker frees is reused by the
/// others instead of staying in its arena, which keeps the peak of a big scan about 10% lower
/// (a 15 MiB Terraform file: 0.97 GB instead of 1.07 GB) at no cost in time measured.
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called before any other thread exists; mallopt only sets an allocator parameter.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
