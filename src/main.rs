/// mimalloc on every target: glibc's allocator took a quarter of a big module's CPU time (a scan
/// makes millions of small allocations) and musl's serialises the threads of a scan. Built with
/// transparent huge pages off (the `no_thp` feature): with them, every fresh page of a big
/// module cost a 2 MiB clear and a third of the run was system time.
#[global_allocator]
static ALLOCATOR: batchguard::alloc::Mimalloc = batchguard::alloc::Mimalloc;

fn main() {
    batchguard::alloc::tune();
    batchguard::stack::build_deep_pool();
    let cli = match batchguard::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    std::process::exit(batchguard::cli::run(cli));
}
