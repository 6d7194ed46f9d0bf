//! The one way a rule reports: it states where (a resource and the member, node or span that is
//! wrong), what it found (a [`Message`] after the rule's title) and, where one property change
//! fixes it, the [`Fix`]. The checker formats the title, computes the span, and records which
//! resource of the scope the finding is about, so the scan can add provenance, sensitivity and
//! the conditional note from fields rather than from the message text. Resources named through
//! [`who`] stay resource pieces of the message, so the scan can merge the results that differ
//! only by the instance they name (D37).

use crate::findings::{Finding, Fix, Level, Message, Related};
use crate::ir::spelling::PropPath;
use crate::ir::{Member, Node, Resource, Span};
use crate::rules::{Ctx, RuleMeta};

/// Where a finding points, and the resource whose text holds that place.
#[derive(Clone, Copy)]
pub struct At<'r> {
    pub resource: &'r Resource,
    pub span: Span,
}

impl<'r> At<'r> {
    /// The resource as a whole: its header (`resource "t" "n" {`, the ARM `type` member), for
    /// what it leaves out.
    pub fn resource(r: &'r Resource) -> At<'r> {
        At {
            resource: r,
            span: r.header,
        }
    }
    /// A property or attribute: from its name to the end of its value; for a block, its
    /// opening line.
    pub fn member(r: &'r Resource, m: &Member) -> At<'r> {
        At {
            resource: r,
            span: m.location(),
        }
    }
    /// A property from its name to the end of its value, even when it is a block.
    pub fn whole(r: &'r Resource, m: &Member) -> At<'r> {
        At {
            resource: r,
            span: m.span(),
        }
    }
    /// A value: an array element, an object.
    pub fn node(r: &'r Resource, n: &Node) -> At<'r> {
        At {
            resource: r,
            span: n.span,
        }
    }
    /// A place the engine or graph located (a rule's priority, a reference).
    pub fn span(r: &'r Resource, span: Span) -> At<'r> {
        At { resource: r, span }
    }
}

/// What a rule sees and where its findings go.
pub struct Checker<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub meta: &'static RuleMeta,
    out: &'c mut Vec<Finding>,
}

/// A finding just reported, to add what else the rule knows about it.
pub struct Reported<'f>(&'f mut Finding);

/// A rule checks this many items (NSG groups) of one scope in parallel ([`Checker::each`]).
pub const PARALLEL_FROM: usize = 256;

impl<'c, 'a> Checker<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>, meta: &'static RuleMeta, out: &'c mut Vec<Finding>) -> Self {
        Checker { ctx, meta, out }
    }

    /// Reports a finding at `at`: the message is the rule's title, `: `, then `says` (the facts,
    /// and what to do about them as [`Message::help`]).
    /// Runs `check` on each of `items` with its index, as a loop would, their findings in that
    /// order; in parallel, each with a checker of its own, when there are at least
    /// [`PARALLEL_FROM`] of them (the NSG groups of a big scope).
    pub fn each<T: Sync>(&mut self, items: &[T], check: impl Fn(&mut Checker, usize, &T) + Sync) {
        if items.len() < PARALLEL_FROM {
            for (i, item) in items.iter().enumerate() {
                check(self, i, item);
            }
            return;
        }
        use rayon::prelude::*;
        let (ctx, meta) = (self.ctx, self.meta);
        let found: Vec<Vec<Finding>> = items
            .par_iter()
            .enumerate()
            .with_min_len(PARALLEL_FROM / 4)
            .map(|(i, item)| {
                let mut out = Vec::new();
                check(&mut Checker::new(ctx, meta, &mut out), i, item);
                out
            })
            .collect();
        self.out.extend(found.into_iter().flatten());
    }

    pub fn report(&mut self, at: At, says: Message) -> Reported<'_> {
        let message = Message::titled(self.meta.title, says);
        let mut f = Finding::new(self.meta.id, self.meta.level, at.span, message);
        f.resource = self.ctx.id_of(at.resource);
        self.out.push(f);
        Reported(self.out.last_mut().expect("just pushed"))
    }
}

impl Reported<'_> {
    pub fn related(self, span: Span, message: impl Into<Message>) -> Self {
        self.0.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
    /// The finding is about `workload`, written elsewhere (a pool whose subnet's NSG rule is
    /// reported): when its existence is not known, the message says so (D21).
    pub fn about(self, workload: &Resource) -> Self {
        if let Some(why) = &workload.conditional {
            self.0.conditional = Some(format!("{} is conditional: {why}", workload.display()));
        }
        self
    }
    /// Distinguishes several results of the rule at one location (a port, a field).
    pub fn discriminator(self, d: impl Into<String>) -> Self {
        self.0.set_discriminator(&d.into());
        self
    }
    /// A level other than the rule's default.
    pub fn level(self, level: Level) -> Self {
        self.0.level = level;
        self
    }
    pub fn security_severity(self, s: &'static str) -> Self {
        self.0.security_severity = Some(s);
        self
    }
    pub fn fix(self, fix: Fix) -> Self {
        self.0.fix = Some(fix);
        self
    }
    /// Given once per scan for this rule and `key`: on the first such finding in report order.
    pub fn once_per_scan(self, key: &str) -> Self {
        let key = crate::findings::plain(key);
        self.0.discriminator = format!("once-per-scan:{key}");
        self.0.discriminator_pieces.clear();
        self.0.once_per_scan = Some(key);
        self
    }
    /// The related locations reported so far (to avoid repeating one).
    pub fn related_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.0.related.iter().map(|r| r.span)
    }
}

/// The resource as messages name it: its address or type and name. The text it returns carries
/// which resource it names, so a [`Message`] (or a discriminator) that it is formatted into keeps
/// it as a resource piece, and results that differ only by the instance they name are merged
/// (D37); use it for every resource a message names.
pub fn who(r: &Resource) -> String {
    crate::findings::named(r.span, &r.display())
}

/// The property's name as the resource's syntax writes it.
pub fn name(r: &Resource, path: PropPath) -> String {
    r.spelling().name(path)
}

/// Setting the property to `value`, as the resource's syntax writes it: "publicNetworkAccess to
/// Disabled" or "public_network_access_enabled = false".
pub fn assignment(r: &Resource, path: PropPath, value: &serde_json::Value) -> String {
    r.spelling().assignment(path, value)
}

/// What the member `m` at `path` is found set to, as [`assignment`] writes it, with the value
/// located where it is written: a value from an azapi `sensitive_body` is then never quoted.
pub fn found_assignment(
    r: &Resource,
    path: PropPath,
    m: &Member,
    value: &serde_json::Value,
) -> Message {
    let spelling = r.spelling();
    let full = spelling.assignment(path, value);
    let shown = spelling.value(path, value);
    match full.strip_suffix(&shown) {
        Some(prefix) => Message::new().text(prefix).value(shown, Some(m.value.span)),
        None => Message::new().value(full, Some(m.value.span)),
    }
}

/// A member's value quoted in a message: its text as a string (numbers and booleans as written
/// in JSON), located where it is written.
pub fn quote(n: &Node) -> Message {
    let text = match &n.value {
        crate::ir::Value::String(s) => s.clone(),
        crate::ir::Value::Number(x) => x.to_string(),
        crate::ir::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    Message::new().value(text, Some(n.span))
}
