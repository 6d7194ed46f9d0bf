//! The allocator and its settings. The command line, the parse-only example and the benchmarks
//! allocate with mimalloc (v3; transparent huge pages off, see `src/main.rs`) through
//! [`Mimalloc`], and call [`tune`] first, so that their figures compare like with like.

/// Sets mimalloc's options, before any other thread exists:
/// - arenas commit memory as it is used rather than when they are reserved: the monorepo
///   benchmark's peak fell from 230 MB to 192 MB, with the same CPU time;
/// - freed memory goes back to the system 10 ms after it is freed (mimalloc v3 waits a second,
///   longer than most scans last): memory a phase frees (a parse's growing lists, the trees of
///   scopes done) is returned before the next one peaks. 16 MB module 300 → 284 MB, monorepo
///   173 → 153 MB, for about 2 % more CPU time. A scan of small scopes only turns this off
///   ([`keep_freed_memory`]).
pub fn tune() {
    // SAFETY: called first in main, before any other thread exists; it only sets options.
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 10);
    }
}

/// Keeps freed memory for reuse instead of returning it to the system, for a scan whose scopes
/// are all small (see [`SMALL_SCOPE_BYTES`]). What one small scope frees, the next one allocates
/// again at once; returned 10 ms after, it came back as fresh pages, and each fresh page is a
/// fault the kernel zeroes. On the 54 MB synthetic monorepo (1,200 scopes), eight alternating
/// runs: system time 0.32 → 0.27 s, CPU 1.89 → 1.80 s, wall 1.01 → 0.96 s, for a peak of
/// 157 MB instead of 146 MB. A big scope keeps the 10 ms: the trees it frees are what its
/// peak is made of (a 16 MB module: 293 MB with it, 316 MB without).
///
/// Call it between phases, when no other thread allocates: mimalloc reads the option, a plain
/// word, when it schedules a purge.
pub fn keep_freed_memory() {
    // SAFETY: it only stores the option's value; the caller's threads are idle (see above).
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

/// A scope of fewer input bytes than this is small for [`keep_freed_memory`]: the freed memory
/// of a scope this size is a few tens of megabytes at most.
pub const SMALL_SCOPE_BYTES: usize = 2 << 20;

extern "C" {
    // mimalloc.h: `void mi_option_set(mi_option_t option, long value)` (bound by
    // `libmimalloc-sys` only with its `extended` feature, without these two options).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
// Indexes in `mi_option_e`, the same in mimalloc v2 and v3.
const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const PURGE_DELAY: std::ffi::c_int = 15;

/// mimalloc as the global allocator, asking for an alignment only when a layout needs more than
/// a machine word: every mimalloc block is word-aligned, and its plain `mi_malloc` skips the
/// alignment checks `mi_malloc_aligned` makes on each call (the `mimalloc` crate's allocator
/// calls the aligned functions always).
pub struct Mimalloc;

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each function passes the layout's size (and, above a word, its alignment) to the
// mimalloc function that honours it; memory from any of them is freed by `mi_free`.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        if layout.align() <= WORD {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        if layout.align() <= WORD {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys as mi;
        if layout.align() <= WORD {
            mi::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mimalloc;
    use std::alloc::{GlobalAlloc, Layout};

    /// Every size class and alignment a scan asks for, and past them: each block is aligned as
    /// its layout says, zeroed when asked, and keeps its bytes through a reallocation.
    #[test]
    fn blocks_are_aligned_zeroed_and_kept() {
        let sizes = [
            1, 2, 7, 8, 9, 12, 16, 24, 40, 48, 56, 72, 100, 1000, 4096, 70_000, 600_000,
        ];
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in sizes {
                let layout = Layout::from_size_align(size, align).unwrap();
                // Several blocks of one class, so that a misaligned slot in a page would show.
                let blocks: Vec<*mut u8> = (0..8)
                    .map(|k| unsafe {
                        let p = if k % 2 == 0 {
                            Mimalloc.alloc(layout)
                        } else {
                            Mimalloc.alloc_zeroed(layout)
                        };
                        assert!(!p.is_null());
                        assert_eq!(p as usize % align, 0, "{size} bytes aligned to {align}");
                        if k % 2 == 1 {
                            assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                        }
                        std::ptr::write_bytes(p, 0xA5, size);
                        p
                    })
                    .collect();
                for p in blocks {
                    unsafe {
                        let q = Mimalloc.realloc(p, layout, size * 3);
                        assert!(!q.is_null());
                        assert_eq!(
                            q as usize % align,
                            0,
                            "{size} → {} bytes aligned to {align}",
                            size * 3
                        );
                        assert!(std::slice::from_raw_parts(q, size)
                            .iter()
                            .all(|&b| b == 0xA5));
                        Mimalloc.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    }
                }
            }
        }
    }
}
