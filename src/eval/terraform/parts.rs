//! A big root module evaluated in parts, in parallel. Its top-level blocks are cut into runs of
//! about equal size (one per thread, at most [`MAX_PARTS`]), and each run is evaluated on a
//! thread of its own as the whole module would
//! be (its own module instance: variables, locals and module calls evaluated again as that run's
//! blocks ask for them), lowering only that run's resources. The runs' resources, in order, are
//! the module's.
//!
//! That is exactly what evaluating the module whole gives unless the outcome depends on the order
//! in which values are first asked for: a value or a `count` that refers to itself, a limit or a
//! bound reached (every warning), or together more instances, `dynamic` elements or work than
//! one evaluation may have. Evaluating a run can only meet these where evaluating the whole
//! module meets them too or sooner (a run asks for no value the whole does not, and counts its
//! work again where the whole remembers it), so when no run meets one the result is kept, and
//! otherwise the module is evaluated again whole. The output is the same on any number of
//! threads (D42).

use super::module::{
    eval_root_part, top_level, Shared, MAX_MODULE_INSTANCES, MAX_ROOT_BLOCKS, MAX_ROOT_INSTANCES,
};
use crate::eval::EvalOptions;
use crate::findings::Notification;
use crate::ir::{Document, Resource};
use hcl_edit::Span as _;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A root module is evaluated in parts when its top-level blocks hold at least twice this many
/// bytes, in parts of at least this many: each part evaluates again the locals and module calls
/// it uses.
pub const PART_BYTES: usize = 1 << 20;

/// Most parts a module is cut into, whatever the number of threads: each part holds its own copy
/// of the locals and module calls it evaluates.
pub const MAX_PARTS: usize = 4;

/// The part size in force: [`PART_BYTES`], or another set for a test that compares a scan with
/// every module cut into the smallest parts with a scan of them whole.
#[doc(hidden)]
pub static PART_BYTES_IN_FORCE: AtomicUsize = AtomicUsize::new(PART_BYTES);

/// How many root modules were evaluated in parts and kept, and how many in parts and then again
/// whole, for that test.
#[doc(hidden)]
pub static KEPT: AtomicUsize = AtomicUsize::new(0);
#[doc(hidden)]
pub static EVALUATED_AGAIN: AtomicUsize = AtomicUsize::new(0);

/// One part evaluated.
struct Part {
    resources: Vec<Resource>,
    notes: Vec<Notification>,
    instances: usize,
    modules: usize,
    blocks: usize,
    /// The largest share of a module instance's work limit spent, in millionths.
    share: u64,
    order_dependent: bool,
}

/// The resources of the root module `docs` in `dir`, evaluated in parts; `None` when the module
/// is too small to gain from it, or when a part met something whose outcome depends on the order
/// of evaluation (then the caller evaluates it whole). The parts' notes are added to `shared`'s.
pub(super) fn eval_in_parts<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: &[&'s Document],
    opts: &EvalOptions,
) -> Option<Vec<Resource>> {
    let threads = rayon::current_num_threads();
    let sizes: Vec<usize> = top_level(shared, docs)
        .map(|(_, s, _)| s.span().map_or(1, |r| r.len().max(1)))
        .collect();
    let ranges = cut(
        &sizes,
        PART_BYTES_IN_FORCE.load(Ordering::Relaxed).max(1),
        threads.min(MAX_PARTS),
    );
    if threads < 2 || ranges.len() < 2 {
        return None;
    }
    let (files, all, bodies, dirs, plans) = (
        shared.files,
        shared.docs,
        shared.bodies,
        &shared.dirs,
        &shared.plans,
    );
    let parts = crate::stack::deep_jobs(ranges.len(), |i| {
        let own = Shared::new(files, all, bodies, dirs.clone(), plans.clone());
        let (resources, share) = eval_root_part(&own, dir, docs.to_vec(), opts, &ranges[i]);
        Part {
            resources,
            notes: own.notes.take(),
            instances: own.instances.get(),
            modules: own.modules.get(),
            blocks: own.blocks.get(),
            share,
            order_dependent: own.order_dependent.get(),
        }
    });
    let parts: Vec<Part> = parts.into_iter().collect::<Option<_>>()?;
    let sum = |f: fn(&Part) -> usize| parts.iter().map(f).sum::<usize>();
    let kept = !parts.iter().any(|p| p.order_dependent)
        && sum(|p| p.instances) < MAX_ROOT_INSTANCES
        && sum(|p| p.modules) < MAX_MODULE_INSTANCES
        && sum(|p| p.blocks) <= MAX_ROOT_BLOCKS
        && parts.iter().map(|p| p.share).sum::<u64>() <= 1_000_000;
    if !kept {
        EVALUATED_AGAIN.fetch_add(1, Ordering::Relaxed);
        return None;
    }
    KEPT.fetch_add(1, Ordering::Relaxed);
    let mut resources = Vec::with_capacity(parts.iter().map(|p| p.resources.len()).sum());
    let mut notes = shared.notes.borrow_mut();
    for p in parts {
        resources.extend(p.resources);
        notes.extend(p.notes);
    }
    Some(resources)
}

/// Consecutive runs of the items of `sizes`, each holding at least `min` (the last may hold
/// less than twice it), at most `most` runs, of about equal size; a single run when the items
/// hold less than twice `min`.
fn cut(sizes: &[usize], min: usize, most: usize) -> Vec<Range<usize>> {
    let total: usize = sizes.iter().sum();
    let parts = (total / min).min(most).min(sizes.len()).max(1);
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut held) = (0, 0);
    for (i, size) in sizes.iter().enumerate() {
        held += size;
        // Cut once the runs so far hold their share of the total.
        if out.len() + 1 < parts && held * parts >= total * (out.len() + 1) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < sizes.len() || out.is_empty() {
        out.push(start..sizes.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn runs_cover_every_item_once_in_order_with_about_equal_sizes() {
        assert_eq!(cut(&[10; 8], 20, 4), vec![0..2, 2..4, 4..6, 6..8]);
        // Fewer parts than the bound when the items are small.
        assert_eq!(cut(&[10; 8], 40, 4), vec![0..4, 4..8]);
        assert_eq!(cut(&[10; 8], 100, 4), vec![0..8]);
        // No more runs than items, or than allowed.
        assert_eq!(cut(&[100, 1], 1, 8), vec![0..1, 1..2]);
        assert_eq!(cut(&[1; 5], 1, 2), vec![0..3, 3..5]);
        // A big item ends a run on its own.
        assert_eq!(cut(&[1, 1, 50, 1, 1, 50], 10, 2), vec![0..3, 3..6]);
        assert_eq!(cut(&[], 1, 4), vec![0..0]);
        for n in 1..40 {
            for most in 1..6 {
                let sizes: Vec<usize> = (0..n).map(|i| 1 + (i * 7) % 5).collect();
                let runs = cut(&sizes, 1, most);
                assert!(runs.len() <= most && !runs.is_empty());
                assert_eq!(runs[0].start, 0);
                assert_eq!(runs.last().unwrap().end, n);
                assert!(runs.windows(2).all(|w| w[0].end == w[1].start));
                assert!(runs.iter().all(|r| !r.is_empty()));
            }
        }
    }
}
