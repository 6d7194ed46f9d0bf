//! What evaluation does for Bicep and linked templates beyond ARM's inline templates: each local
//! `module` joins the template of the module file it names (a nested deployment with an inner
//! scope, as Bicep compiles it), and so does each ARM `templateLink` that names a scanned
//! template (read by [`linked`]); a `.bicep` file or template that another scanned one deploys
//! is analysed through those deployments only, with what they pass; a `.bicepparam` file
//! supplies the parameters of the template it is `using`; and a template that Bicep compiled
//! (`metadata._generator.name`) beside its scanned `.bicep` source is left to the source, with a
//! note, so that nothing is reported twice.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::linked;
use crate::findings::{Level, Notification};
use crate::frontend::bicep::{is_compiled, MODULE_PATH, USING};
use crate::ir::{DocKind, Document, Member, Node, Span, Value};
use crate::source::{FileId, SourceFile};

/// Deepest chain of modules joined (Azure's own limit on nested deployments is far above what
/// modules reach in practice).
const MAX_MODULE_DEPTH: usize = 10;

/// Most templates joined into one root, counting each deployment of one: a template that
/// deploys several copies of one that deploys several copies of another, ten levels down, would
/// otherwise hold exponentially many.
const MAX_JOINS: usize = 1_000;

/// Most text of the templates joined into one root, counting each deployment of one.
const MAX_JOINED_BYTES: usize = 16 << 20;

/// What one root has joined so far, against [`MAX_JOINS`] and [`MAX_JOINED_BYTES`].
struct Budget {
    /// The root, as the scan names it.
    root: String,
    count: usize,
    bytes: usize,
    warned: bool,
}

pub fn is_bicep(file: &SourceFile) -> bool {
    is_bicep_path(Path::new(&file.rel))
}

/// `dir/rel` with `.` and `..` resolved in the text, as Bicep resolves module paths.
fn join(dir: &Path, rel: &str) -> PathBuf {
    crate::source::normalized(&dir.join(rel))
}

/// How the templates of one scan are evaluated.
pub struct Plan {
    /// Templates that are not scopes of their own: Bicep modules and linked templates that
    /// another scanned template deploys, and compiled twins of scanned `.bicep` files (by
    /// document index).
    pub skip: HashSet<usize>,
    /// The root of each Bicep template, and of each ARM template that links others, with its
    /// modules or linked templates joined, and the files of those it reads.
    pub roots: HashMap<usize, (Node, Vec<FileId>)>,
}

/// The documents' Bicep plan; notes for what it leaves out.
pub fn plan(files: &[SourceFile], docs: &[Document], notes: &mut Vec<Notification>) -> Plan {
    let mut by_path: HashMap<&Path, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.kind == DocKind::ArmTemplate && is_bicep(&files[d.file]) {
            by_path.insert(files[d.file].path.as_path(), i);
        }
    }
    let mut plan = Plan {
        skip: HashSet::new(),
        roots: HashMap::new(),
    };
    for (i, d) in docs.iter().enumerate() {
        let file = &files[d.file];
        if by_path.is_empty() || d.kind != DocKind::ArmTemplate || is_bicep(file) {
            continue;
        }
        // A compiled template beside its source.
        let Some(root) = &d.root else { continue };
        let Some(stem) = file
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| {
                let lower = n.to_ascii_lowercase();
                lower
                    .ends_with(".json")
                    .then(|| n[..n.len() - 5].to_string())
            })
        else {
            continue;
        };
        // `X.json` is compiled from `X.bicep`; the quickstarts' `azuredeploy.json` from the
        // `main.bicep` beside it.
        let source = [stem.as_str()]
            .into_iter()
            .chain(stem.eq_ignore_ascii_case("azuredeploy").then_some("main"))
            .map(|s| file.path.with_file_name(format!("{s}.bicep")))
            .find(|p| by_path.contains_key(p.as_path()));
        if let Some(source) = source.filter(|_| is_compiled(root)) {
            let stem = source
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            plan.skip.insert(i);
            notes.push(Notification {
                level: Level::Note,
                message: format!(
                    "`{}` is compiled from `{stem}.bicep`, which is scanned instead; its findings \
                     are reported at the Bicep source",
                    file.rel
                ),
                span: None,
                file: Some(d.file),
            });
        }
    }
    // What a module path may name: a Bicep file, or an ARM template in JSON (Bicep deploys a
    // `.json` module as it is).
    let mut modules = by_path.clone();
    for (i, d) in docs.iter().enumerate() {
        if d.kind == DocKind::ArmTemplate && !is_bicep(&files[d.file]) {
            modules.entry(files[d.file].path.as_path()).or_insert(i);
        }
    }
    // The templates whose modules or linked templates are joined: every Bicep file, and each
    // ARM template that links another, in document order.
    let mut roots: Vec<(&Path, usize)> = docs
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            d.kind == DocKind::ArmTemplate
                && !plan.skip.contains(i)
                && (is_bicep(&files[d.file]) || d.root.as_ref().is_some_and(links_templates))
        })
        .map(|(i, d)| (files[d.file].path.as_path(), i))
        .collect();
    roots.sort_by_key(|&(_, i)| i);
    if roots.is_empty() {
        return plan;
    }
    let mut called: HashSet<usize> = HashSet::new();
    // What joining each root says; a root that another calls keeps none of it (a linked
    // template reads its `_artifactsLocation` from its caller, not as if deployed alone).
    let mut said: Vec<(usize, Vec<Notification>)> = Vec::new();
    for (path, i) in roots {
        let Some(root) = &docs[i].root else { continue };
        let mut used = Vec::new();
        let mut stack = vec![i];
        let mut own = Vec::new();
        let joined = join_modules(
            root,
            path,
            files,
            docs,
            &modules,
            &mut stack,
            &mut used,
            &mut own,
            0,
            &linked::Artifacts::Own,
            &mut Budget {
                root: files[docs[i].file].rel.clone(),
                count: 0,
                bytes: 0,
                warned: false,
            },
        );
        said.push((i, own));
        called.extend(used.iter().copied());
        let module_files = used.iter().map(|&m| docs[m].file).collect();
        plan.roots.insert(i, (joined, module_files));
    }
    for (i, own) in said {
        if !called.contains(&i) {
            notes.extend(own);
        }
    }
    plan.skip.extend(called);
    plan
}

/// Does an ARM template deploy a linked template (`templateLink`)?
pub fn links_templates(root: &Node) -> bool {
    root.get("resources").is_some_and(|r| {
        r.items()
            .iter()
            .any(|item| item.path(&["properties", "templateLink"]).is_some())
    })
}

/// Is the template at `path` written in Bicep?
fn is_bicep_path(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().ends_with(".bicep"))
}

/// A path as the linked-template reader writes it: absolute, `/`-separated.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// What a deployment of the template at `path` deploys: the path of that template (relative to
/// `path`'s folder, or absolute) as messages name it, where the deployment names it, whether
/// the text names it for certain (a module path, a `relativePath`, not an address built on
/// `_artifactsLocation`), and the `_artifactsLocation` the deployment passes down. A Bicep
/// module's path, or an ARM `templateLink` read as [`linked::target`] reads it; `artifacts` is
/// what the template's own `_artifactsLocation` stands for.
fn link_target(
    item: &Node,
    template: &Node,
    path: &Path,
    artifacts: &linked::Artifacts,
) -> Option<(String, Span, bool, linked::Artifacts)> {
    if is_bicep_path(path) {
        let rel = item.path(&MODULE_PATH)?;
        let own = linked::Artifacts::Own;
        return Some((rel.as_str()?.to_string(), rel.span, true, own));
    }
    let link = item.path(&["properties", "templateLink"])?;
    let file = slashed(path);
    let folder = file
        .rfind('/')
        .map_or(String::new(), |i| file[..=i].to_string());
    let place = linked::Place {
        file: &file,
        artifacts: match artifacts {
            linked::Artifacts::Own => Some(folder.as_str()),
            linked::Artifacts::At(a) => Some(a.as_str()),
            linked::Artifacts::Unknown => None,
        },
    };
    let target = linked::target(link, template, &place)?;
    let passed = linked::artifacts_passed(item, template, &place);
    // Named from the linking template's folder where it is under it.
    let shown = target
        .strip_prefix(folder.as_str())
        .map_or_else(|| target.clone(), str::to_string);
    let certain = link.get("relativePath").is_some();
    Some((shown, link.span, certain, passed))
}

/// What a `templateLink` names, for a message: its `uri` or template spec `id`, as written.
fn link_description(link: &Node) -> String {
    let written = |key: &str| {
        let value = link.get(key)?;
        let text = match &value.value {
            Value::Unknown(u) => u.arm_expression()?,
            _ => value.as_str()?,
        };
        Some(format!("`{}`", crate::findings::shorten(text, 120)))
    };
    if let Some(uri) = written("uri") {
        format!("the template at {uri}")
    } else if let Some(id) = written("id") {
        format!("the template spec {id}")
    } else {
        "a template by a value that is not known".to_string()
    }
}

/// The warning at a link to a scanned file that is not a template batchguard could read.
fn unreadable(what: &str, rel: &str) -> String {
    format!(
        "the {what} `{rel}` is scanned but is not a template batchguard could read; what it \
         deploys is not analysed"
    )
}

/// `root` with each local module's deployment holding the module's template; `modules`: the
/// templates a module path may name, by path.
#[allow(clippy::too_many_arguments)]
fn join_modules(
    template: &Node,
    path: &Path,
    files: &[SourceFile],
    docs: &[Document],
    modules: &HashMap<&Path, usize>,
    stack: &mut Vec<usize>,
    used: &mut Vec<usize>,
    notes: &mut Vec<Notification>,
    depth: usize,
    artifacts: &linked::Artifacts,
    budget: &mut Budget,
) -> Node {
    let mut root = template.clone();
    let Some(Value::Object(members)) = Some(&mut root.value) else {
        return root;
    };
    let Some(resources) = members.iter_mut().find(|m| m.key == "resources") else {
        return root;
    };
    let Value::Array(items) = &mut resources.value.value else {
        return root;
    };
    let what = if is_bicep_path(path) {
        "module"
    } else {
        "linked template"
    };
    // A warning at the link, which then joins nothing.
    let warn = |notes: &mut Vec<Notification>, at: Span, message: String| {
        notes.push(Notification {
            level: Level::Warning,
            message,
            span: Some(at),
            file: Some(at.file),
        });
    };
    let mut unread = Unread::default();
    for item in items.iter_mut() {
        let Some((rel, at, certain, passed)) = link_target(item, template, path, artifacts) else {
            // A link to an address elsewhere (a URL, a template spec, a parameter's value).
            if let Some(link) = item.path(&["properties", "templateLink"]) {
                let described = link_description(link);
                let what = if matches!(artifacts, linked::Artifacts::Unknown)
                    && described.contains("_artifactsLocation")
                {
                    format!(
                        "{described}, but where `_artifactsLocation` points is not known here \
                         (the deployment of this template does not pass it, or passes it in a \
                         `parametersLink`)"
                    )
                } else {
                    format!("{described}, which names no scanned file")
                };
                unread.add(what, link.span);
            }
            continue;
        };
        let dir = path.parent().unwrap_or(Path::new(""));
        let target = join(dir, &rel);
        let Some(&m) = modules.get(target.as_path()) else {
            // An address built on `_artifactsLocation` follows a convention that a template may
            // not keep: it is joined when it names a scanned template, and otherwise left alone.
            if !certain {
                let what = format!(
                    "`{rel}` beside the template (by its `_artifactsLocation`), which is not \
                     among the scanned files"
                );
                unread.add(what, at);
                continue;
            }
            // A scanned file that is not a template (it did not parse, say: its own
            // notification says why) is named as such.
            let message = if files.iter().any(|f| f.path == target) {
                unreadable(what, &rel)
            } else if std::fs::symlink_metadata(&target).is_err() {
                let fails = if what == "module" {
                    "Bicep cannot build this file"
                } else {
                    "the deployment fails to find it"
                };
                format!(
                    "the {what} `{rel}` does not exist: {fails}, and what it would deploy is not \
                     analysed"
                )
            } else {
                format!(
                    "the {what} `{rel}` is not among the scanned files; what it deploys is not \
                     analysed (scan the folder that holds it too)"
                )
            };
            warn(notes, at, message);
            continue;
        };
        if stack.contains(&m) || depth >= MAX_MODULE_DEPTH {
            let message = format!(
                "the {what} `{rel}` deploys itself, or is more than {MAX_MODULE_DEPTH} \
                 deployments deep; what it deploys there is not analysed"
            );
            warn(notes, at, message);
            continue;
        }
        let Some(module_root) = &docs[m].root else {
            warn(notes, at, unreadable(what, &rel));
            continue;
        };
        let bytes = files[docs[m].file].text.len();
        if budget.count >= MAX_JOINS || budget.bytes.saturating_add(bytes) > MAX_JOINED_BYTES {
            if !budget.warned {
                budget.warned = true;
                let message = format!(
                    "the {what} `{rel}` is not joined: `{}` deploys more than {MAX_JOINS} \
                     modules and linked templates in all, or more than {} MiB of their text \
                     (each counted as often as it is deployed); what these deploy from here \
                     on is not analysed",
                    budget.root,
                    MAX_JOINED_BYTES >> 20
                );
                warn(notes, at, message);
            }
            continue;
        }
        budget.count += 1;
        budget.bytes += bytes;
        if !used.contains(&m) {
            used.push(m);
        }
        stack.push(m);
        let joined = join_modules(
            module_root,
            &files[docs[m].file].path,
            files,
            docs,
            modules,
            stack,
            used,
            notes,
            depth + 1,
            &passed,
            budget,
        );
        stack.pop();
        if let Value::Object(members) = &mut item.value {
            if let Some(props) = members.iter_mut().find(|m| m.key == "properties") {
                if let Value::Object(p) = &mut props.value.value {
                    // The link, as the path of the template it names: what messages call the
                    // joined template ([`super::passed_to`]).
                    for link in p.iter_mut().filter(|m| m.key == "templateLink") {
                        let at = link.value.span;
                        link.value = Node::new(
                            Value::Object(vec![Member {
                                key: "relativePath".into(),
                                key_span: at,
                                value: Node::new(Value::String(rel.clone()), at),
                                written: None,
                            }]),
                            at,
                        );
                    }
                    // A linked template is evaluated in its own scope, from the parameters
                    // passed to it, as a module is.
                    if !p.iter().any(|m| m.key == "expressionEvaluationOptions") {
                        let at = joined.span;
                        p.push(Member {
                            key: "expressionEvaluationOptions".into(),
                            key_span: at,
                            value: Node::new(
                                Value::Object(vec![Member {
                                    key: "scope".into(),
                                    key_span: at,
                                    value: Node::new(Value::String("inner".into()), at),
                                    written: None,
                                }]),
                                at,
                            ),
                            written: None,
                        });
                    }
                    p.push(Member {
                        key: "template".into(),
                        key_span: joined.span,
                        value: joined,
                        written: None,
                    });
                }
            }
        }
    }
    unread.report(notes);
    root
}

/// The links of one template whose targets are not analysed: one note for each distinct
/// target, at its first link, counting the others (a loop of deployments links one address
/// many times).
#[derive(Default)]
struct Unread(Vec<(String, Span, usize)>);

impl Unread {
    /// A link at `at` to `what` (the link's target, and why it is not read).
    fn add(&mut self, what: String, at: Span) {
        match self.0.iter_mut().find(|(w, _, _)| *w == what) {
            Some((_, _, more)) => *more += 1,
            None => self.0.push((what, at, 0)),
        }
    }

    fn report(self, notes: &mut Vec<Notification>) {
        for (what, at, more) in self.0 {
            let (who, it) = match more {
                0 => ("this deployment links".to_string(), "it deploys"),
                n => (
                    format!("this deployment and {n} more of this template link"),
                    "they deploy",
                ),
            };
            notes.push(Notification {
                level: Level::Note,
                message: format!("{who} {what}; what {it} is not analysed"),
                span: Some(at),
                file: Some(at.file),
            });
        }
    }
}

/// The `.bicepparam` file `using` a Bicep template, if one is scanned (the first by path).
pub fn bicepparam_for<'a>(
    files: &[SourceFile],
    docs: &'a [Document],
    template: &Document,
) -> Option<&'a Document> {
    let path = &files[template.file].path;
    docs.iter()
        .filter(|d| d.kind == DocKind::ArmParameters)
        .find(|d| {
            let Some(using) = d
                .root
                .as_ref()
                .and_then(|r| r.get(USING))
                .and_then(Node::as_str)
            else {
                return false;
            };
            let dir = files[d.file].path.parent().unwrap_or(Path::new(""));
            join(dir, using) == *path
        })
}
