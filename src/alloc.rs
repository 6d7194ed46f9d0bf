//! The allocator's settings. The command line, the parse-only example and the language server's
//! benchmark allocate with mimalloc (v3; transparent huge pages off, see `src/main.rs`) and call
//! [`tune`] first, so that their figures compare like with like.

/// Sets mimalloc's options, before any other thread exists:
/// - arenas commit memory as it is used rather than when they are reserved: the monorepo
///   benchmark's peak fell from 230 MB to 192 MB, with the same CPU time;
/// - freed memory goes back to the system 10 ms after it is freed (mimalloc v3 waits a second,
///   longer than most scans last): memory a phase frees (a parse's growing lists, the trees of
///   scopes done) is returned before the next one peaks. 16 MB module 300 → 284 MB, monorepo
///   173 → 153 MB, for about 2 % more CPU time.
///
/// Harmless under another allocator: the options are then never read.
pub fn tune() {
    extern "C" {
        // mimalloc.h: `void mi_option_set(mi_option_t option, long value)`.
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // Indexes in `mi_option_e`, the same in mimalloc v2 and v3.
    const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
    const PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: called first in main, before any other thread exists; it only sets options.
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 10);
    }
}
