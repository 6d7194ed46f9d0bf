//! Panic isolation: a bug that panics while one module or template is evaluated or analysed
//! costs that scope, not the scan. [`isolate`] runs one scope's work and turns a panic into a
//! [`Caught`] (its message, where in batchguard's source it happened, and the construct of the
//! template that was being evaluated); the caller makes it an error notification at that scope
//! and goes on with the others.
//!
//! A panic inside [`isolate`] prints one line on standard error (`batchguard: internal error …`)
//! instead of Rust's message and backtrace: the report carries the rest. A panic anywhere else
//! goes to the hook that was installed before (Rust's, or a test harness's). Fuzzing builds
//! (`cfg(fuzzing)`) isolate nothing, so that the fuzzer sees every panic.

use crate::findings::{Level, Notification};
use crate::ir::Span;
use crate::source::FileId;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Longest panic message kept (a message may quote a whole value).
const MAX_MESSAGE: usize = 300;

/// A panic caught by [`isolate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Caught {
    /// The panic's message, at most [`MAX_MESSAGE`] bytes.
    pub message: String,
    /// Where in batchguard's source it panicked (`src/eval/…rs:824:33`).
    pub location: Option<String>,
    /// The construct of the template that was being evaluated (innermost), and its definition.
    pub construct: Option<(String, Span)>,
}

impl Caught {
    /// The error notification for this panic while `doing` (e.g. "evaluating the Terraform
    /// module `net`"): at the construct being evaluated when it is in one of `files`, else at
    /// the start of the scope's first file.
    pub fn notification(&self, doing: &str, files: &[FileId]) -> Notification {
        self.notification_losing(doing, files, "the resources of this scope are not analysed")
    }

    /// [`Caught::notification`], saying what is lost (`lost`: "this file is not analysed").
    pub fn notification_losing(&self, doing: &str, files: &[FileId], lost: &str) -> Notification {
        let construct = self
            .construct
            .as_ref()
            .filter(|(_, at)| files.contains(&at.file));
        let span = construct
            .map(|(_, at)| *at)
            .or_else(|| files.first().map(|&f| Span::new(f, 0, 0)));
        let within = construct.map_or(String::new(), |(what, _)| format!(" (in {what})"));
        let place = self
            .location
            .as_ref()
            .map_or(String::new(), |l| format!(" at {l}"));
        Notification {
            level: Level::Error,
            message: format!(
                "internal error while {doing}{within}: {}{place}; {lost}, the rest of the scan is. Please report it.",
                self.message
            ),
            span,
            file: span.map(|s| s.file),
        }
    }
}

thread_local! {
    /// How many [`isolate`] calls this thread is inside.
    static GUARDED: Cell<usize> = const { Cell::new(0) };
    /// The message and location of the last panic caught on this thread.
    static CAUGHT: RefCell<Option<(String, Option<String>)>> = const { RefCell::new(None) };
    /// The constructs being evaluated on this thread, innermost last ([`doing`]).
    static DOING: RefCell<Vec<(String, Span)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f`, one scope's work; a panic inside becomes `Err`.
pub fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    if cfg!(fuzzing) {
        return Ok(f());
    }
    install_hook();
    let depth = DOING.with(|d| d.borrow().len());
    GUARDED.with(|g| g.set(g.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    let payload = match outcome {
        Ok(v) => return Ok(v),
        Err(p) => p,
    };
    // A panic [`part`] caught on another thread and passed on: as it was caught there.
    let payload = match payload.downcast::<Caught>() {
        Ok(caught) => return Err(*caught),
        Err(other) => other,
    };
    // The constructs entered inside and not left: the panic left them.
    let construct = DOING.with(|d| {
        let mut d = d.borrow_mut();
        let innermost = (d.len() > depth).then(|| d.last().cloned()).flatten();
        d.truncate(depth);
        innermost
    });
    let (message, location) = CAUGHT
        .with(|c| c.borrow_mut().take())
        .unwrap_or_else(|| (payload_text(payload.as_ref()), None));
    // Dropping a payload may panic in turn; it is forgotten instead (it is only a message).
    std::mem::forget(payload);
    Err(Caught {
        message,
        location,
        construct,
    })
}

/// Runs `f` as a part of an [`isolate`]d computation that a thread pool may run on another
/// thread (the rules of one scope, its findings explained in parallel): a panic inside is caught
/// and reported where it happens, as `isolate` does, and passed on whole (message, location,
/// construct) to the `isolate` that waits for the part.
pub fn part<T>(f: impl FnOnce() -> T) -> T {
    match isolate(f) {
        Ok(v) => v,
        Err(caught) => std::panic::resume_unwind(Box::new(caught)),
    }
}

/// Evaluates `f` as the construct `what` defined at `at`: a panic inside is reported there.
pub fn doing<T>(what: String, at: Span, f: impl FnOnce() -> T) -> T {
    DOING.with(|d| d.borrow_mut().push((what, at)));
    let out = f();
    DOING.with(|d| {
        d.borrow_mut().pop();
    });
    out
}

fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
    let text = p
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| p.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    shorten(text)
}

/// At most [`MAX_MESSAGE`] bytes of `text`, on one line.
fn shorten(text: &str) -> String {
    let one: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one.len() <= MAX_MESSAGE {
        return one;
    }
    format!("{}…", &one[..one.floor_char_boundary(MAX_MESSAGE)])
}

/// Installs, once, the hook that reports a panic inside [`isolate`] in one line and hands any
/// other to the hook installed before.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                return previous(info);
            }
            let message = payload_text(info.payload());
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            eprintln!(
                "batchguard: internal error: {message}{}; reported as an error notification, the rest of the scan goes on",
                location
                    .as_ref()
                    .map_or(String::new(), |l| format!(" at {l}"))
            );
            CAUGHT.with(|c| {
                if let Ok(mut c) = c.try_borrow_mut() {
                    *c = Some((message, location));
                }
            });
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_part_on_another_thread_reaches_its_isolate_whole() {
        use rayon::prelude::*;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let caught = pool.install(|| {
            isolate(|| {
                (0..64)
                    .into_par_iter()
                    .map(|i| {
                        part(|| {
                            if i == 37 {
                                panic!("part {i} failed");
                            }
                            i
                        })
                    })
                    .sum::<i32>()
            })
        });
        let caught = caught.unwrap_err();
        assert_eq!(caught.message, "part 37 failed");
        assert!(caught.location.is_some_and(|l| l.contains("guard.rs")));
        // The thread that runs the next isolated computation starts clean.
        assert_eq!(pool.install(|| isolate(|| 1)), Ok(1));
    }

    #[test]
    fn a_panic_becomes_a_caught_value_with_its_construct() {
        let at = Span::new(3, 10, 20);
        let caught = isolate(|| {
            doing("`local.x`".into(), at, || -> u8 {
                doing("`local.y`".into(), Span::new(3, 30, 40), || {
                    panic!("boom {}", 7)
                })
            })
        })
        .unwrap_err();
        assert_eq!(caught.message, "boom 7");
        assert!(caught.location.as_deref().unwrap().contains("guard.rs"));
        assert_eq!(
            caught.construct,
            Some(("`local.y`".to_string(), Span::new(3, 30, 40)))
        );
        // The constructs left by the panic are gone; the next isolated work starts clean.
        assert_eq!(isolate(|| DOING.with(|d| d.borrow().len())), Ok(0));
        let n = caught.notification("evaluating the Terraform module `m`", &[3]);
        assert_eq!(n.level, Level::Error);
        assert_eq!(n.span, Some(Span::new(3, 30, 40)));
        assert!(
            n.message
                .starts_with("internal error while evaluating the Terraform module `m` (in `local.y`): boom 7 at src/eval/guard.rs:"),
            "{}",
            n.message
        );
        // A construct outside the scope's files is not where the scope is reported.
        let n = caught.notification("analysing", &[5, 6]);
        assert_eq!(n.span, Some(Span::new(5, 0, 0)));
        assert!(!n.message.contains("local.y"), "{}", n.message);
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let long = "é".repeat(400);
        let caught = isolate(|| -> () { panic!("{long}") }).unwrap_err();
        assert!(caught.message.len() <= MAX_MESSAGE + "…".len());
        assert!(caught.message.ends_with('…'));
    }
}
