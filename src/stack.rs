//! Stack for deep recursion. Reading nested HCL and evaluating nested expressions recurse as
//! deep as the input nests (within the front-ends' and evaluators' own depth limits), which needs
//! more stack than a thread gets by default. Such work runs on a thread with [`DEEP_STACK`]: the
//! calling one when it has that much (the command line's thread pool is built with it, see
//! [`mark_deep`]), else a thread made for it. Making a thread per file or per module cost a
//! third of the system time of a scan of thousands of small modules.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;

/// Stack of a thread that reads or evaluates (reserved, not committed, until used).
pub const DEEP_STACK: usize = 64 << 20;

thread_local! {
    static DEEP: Cell<bool> = const { Cell::new(false) };
}

/// Says that the calling thread has a stack of at least [`DEEP_STACK`] (a thread pool's start
/// handler calls it for threads built with that size).
pub fn mark_deep() {
    DEEP.with(|d| d.set(true));
}

/// Builds rayon's global pool with workers of [`DEEP_STACK`], marked as such, so that they read
/// and evaluate themselves instead of making a thread for each file and module. Where the pool
/// cannot be built this way (it exists already), rayon's pool is used and the work makes its own
/// threads, as a library caller's does.
pub fn build_deep_pool() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(DEEP_STACK)
        .start_handler(|_| mark_deep())
        .build_global();
}

/// Runs `job(0)` … `job(jobs - 1)` on up to as many threads as the pool has, made for this call
/// with [`DEEP_STACK`] and ended with it; `None` for a job that panicked. Threads of their own
/// rather than the pool's, for work that allocates and frees much on the way to what it keeps
/// (parsing): the allocator returns an ended thread's free memory, which a pool thread would keep
/// for itself; and any thread may wait for them, even one the pool's threads are waiting for.
/// Where no thread can be made, the jobs run on the calling thread.
pub fn deep_jobs<T: Send>(jobs: usize, job: impl Fn(usize) -> T + Sync) -> Vec<Option<T>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<T>>> =
        (0..jobs).map(|_| std::sync::Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= jobs {
            break;
        }
        let out = std::panic::catch_unwind(AssertUnwindSafe(|| job(i))).ok();
        if let Ok(mut slot) = results[i].lock() {
            *slot = out;
        }
    };
    let threads = rayon::current_num_threads().clamp(1, jobs.max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            let spawned = std::thread::Builder::new()
                .stack_size(DEEP_STACK)
                .spawn_scoped(s, || {
                    mark_deep();
                    work();
                });
            if spawned.is_err() {
                break;
            }
        }
    });
    // Jobs no thread took (none could be made): here, on a deep stack.
    if next.load(Ordering::Relaxed) < jobs {
        deep(work);
    }
    results
        .into_iter()
        .map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// Runs `f` on a thread with a stack of [`DEEP_STACK`]; `None` when it panicked (the panic is
/// reported by the panic hook, as on any thread).
pub fn deep<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    if DEEP.with(Cell::get) {
        return std::panic::catch_unwind(AssertUnwindSafe(f)).ok();
    }
    let job = std::sync::Mutex::new(Some(f));
    let take = || job.lock().ok().and_then(|mut j| j.take());
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .stack_size(DEEP_STACK)
            .spawn_scoped(s, || {
                mark_deep();
                take().map(|f| f())
            });
        match spawned {
            Ok(h) => h.join().ok().flatten(),
            // No thread available: run on this one.
            Err(_) => take().and_then(|f| std::panic::catch_unwind(AssertUnwindSafe(f)).ok()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_jobs_run_each_job_once_in_order_and_a_panic_is_none() {
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let out = deep_jobs(7, |i| {
            assert!(DEEP.with(Cell::get));
            assert_ne!(i, 3, "a bug");
            i * 10
        });
        std::panic::set_hook(quiet);
        assert_eq!(
            out,
            [
                Some(0),
                Some(10),
                Some(20),
                None,
                Some(40),
                Some(50),
                Some(60)
            ]
        );
        assert!(deep_jobs(0, |i| i).is_empty());
    }

    #[test]
    fn work_runs_once_on_a_deep_stack_and_panics_are_none() {
        assert_eq!(deep(|| DEEP.with(Cell::get)), Some(true));
        // Already deep: inline, on the same thread.
        let outer = deep(|| {
            let here = std::thread::current().id();
            deep(move || std::thread::current().id() == here)
        });
        assert_eq!(outer, Some(Some(true)));
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let panicked: Option<()> = deep(|| panic!("a bug"));
        let nested: Option<Option<()>> = deep(|| deep(|| panic!("a bug")));
        std::panic::set_hook(quiet);
        assert_eq!(panicked, None);
        assert_eq!(nested, Some(None));
    }
}
