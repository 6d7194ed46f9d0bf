/// musl's allocator serialises the threads of a scan (the static Linux release binaries are
/// built for musl); mimalloc does not.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    lazy_mimalloc_arenas();
    batchguard::stack::build_deep_pool();
    malloc_arenas();
    let cli = match batchguard::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    std::process::exit(batchguard::cli::run(cli));
}

/// With mimalloc, arenas commit memory as it is used rather than when they are reserved: the
/// monorepo benchmark's peak falls from 230 MB to 192 MB, and its CPU time does not grow.
fn lazy_mimalloc_arenas() {
    #[cfg(target_env = "musl")]
    {
        extern "C" {
            // mimalloc.h: `void mi_option_set(mi_option_t option, long value)`.
            fn mi_option_set(option: libc::c_int, value: libc::c_long);
        }
        // `mi_option_arena_eager_commit`, the fifth of `mi_option_e` in mimalloc v2 and v3.
        const ARENA_EAGER_COMMIT: libc::c_int = 4;
        // SAFETY: called first in main, before any other thread exists; it only sets an option.
        unsafe { mi_option_set(ARENA_EAGER_COMMIT, 0) };
    }
}

/// With glibc, one allocation arena per worker thread. Fewer (one for every thread) kept a big
/// single module's peak about 10% lower but made the workers wait on each other's allocations:
/// a scan of thousands of modules took 2.2 times the CPU. More (glibc's default, eight per core)
/// let a big module's peak grow 15% for nothing measured.
fn malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let arenas = libc::c_int::try_from(rayon::current_num_threads().max(2)).unwrap_or(2);
        // SAFETY: called before the pool's workers allocate; mallopt only sets an allocator
        // parameter.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
