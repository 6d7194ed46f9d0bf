//! What evaluation does for Bicep beyond ARM: each local `module` joins the template of the
//! module file it names (a nested deployment with an inner scope, as Bicep compiles it), a
//! `.bicep` file that another scanned one calls as a module is analysed through its calls only,
//! a `.bicepparam` file supplies the parameters of the template it is `using`, and a template
//! that Bicep compiled (`metadata._generator.name`) beside its scanned `.bicep` source is left
//! to the source, with a note, so that nothing is reported twice.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::findings::{Level, Notification};
use crate::frontend::bicep::{is_compiled, MODULE_PATH, USING};
use crate::ir::{DocKind, Document, Member, Node, Value};
use crate::source::{FileId, SourceFile};

/// Deepest chain of modules joined (Azure's own limit on nested deployments is far above what
/// modules reach in practice).
const MAX_MODULE_DEPTH: usize = 10;

pub fn is_bicep(file: &SourceFile) -> bool {
    file.rel.to_ascii_lowercase().ends_with(".bicep")
}

/// `dir/rel` with `.` and `..` resolved in the text, as Bicep resolves module paths.
fn join(dir: &Path, rel: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in dir.join(rel).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// How the templates of one scan are evaluated.
pub struct Plan {
    /// Templates that are not scopes of their own: Bicep modules that another scanned Bicep file
    /// calls, and compiled twins of scanned `.bicep` files (by document index).
    pub skip: HashSet<usize>,
    /// The root of each Bicep template with its modules joined, and the module files it reads.
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
    if by_path.is_empty() {
        return plan;
    }
    for (i, d) in docs.iter().enumerate() {
        let file = &files[d.file];
        if d.kind != DocKind::ArmTemplate || is_bicep(file) {
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
        let source = file.path.with_file_name(format!("{stem}.bicep"));
        if is_compiled(root) && by_path.contains_key(source.as_path()) {
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
    let mut called: HashSet<usize> = HashSet::new();
    for (&path, &i) in &by_path {
        let Some(root) = &docs[i].root else { continue };
        let mut used = Vec::new();
        let mut stack = vec![i];
        let joined = join_modules(
            root, path, files, docs, &modules, &mut stack, &mut used, notes, 0,
        );
        called.extend(used.iter().copied());
        let module_files = used.iter().map(|&m| docs[m].file).collect();
        plan.roots.insert(i, (joined, module_files));
    }
    plan.skip.extend(called);
    plan
}

/// `root` with each local module's deployment holding the module's template; `modules`: the
/// templates a module path may name, by path.
#[allow(clippy::too_many_arguments)]
fn join_modules(
    root: &Node,
    path: &Path,
    files: &[SourceFile],
    docs: &[Document],
    modules: &HashMap<&Path, usize>,
    stack: &mut Vec<usize>,
    used: &mut Vec<usize>,
    notes: &mut Vec<Notification>,
    depth: usize,
) -> Node {
    let mut root = root.clone();
    let Some(Value::Object(members)) = Some(&mut root.value) else {
        return root;
    };
    let Some(resources) = members.iter_mut().find(|m| m.key == "resources") else {
        return root;
    };
    let Value::Array(items) = &mut resources.value.value else {
        return root;
    };
    for item in items.iter_mut() {
        let Some(rel) = item
            .path(&MODULE_PATH)
            .and_then(Node::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        let at = item.path(&MODULE_PATH).map(|n| n.span);
        let dir = path.parent().unwrap_or(Path::new(""));
        let target = join(dir, &rel);
        let Some(&m) = modules.get(target.as_path()) else {
            notes.push(Notification {
                level: Level::Warning,
                message: format!(
                    "the module `{rel}` is not among the scanned files; what it deploys is not \
                     analysed (scan the folder that holds it too)"
                ),
                span: at,
                file: at.map(|s| s.file),
            });
            continue;
        };
        if stack.contains(&m) || depth >= MAX_MODULE_DEPTH {
            notes.push(Notification {
                level: Level::Warning,
                message: format!(
                    "the module `{rel}` calls itself, or is more than {MAX_MODULE_DEPTH} modules \
                     deep; what it deploys there is not analysed"
                ),
                span: at,
                file: at.map(|s| s.file),
            });
            continue;
        }
        let Some(module_root) = &docs[m].root else {
            continue;
        };
        if !used.contains(&m) {
            used.push(m);
        }
        stack.push(m);
        let template = join_modules(
            module_root,
            &files[docs[m].file].path,
            files,
            docs,
            modules,
            stack,
            used,
            notes,
            depth + 1,
        );
        stack.pop();
        if let Value::Object(members) = &mut item.value {
            if let Some(props) = members.iter_mut().find(|m| m.key == "properties") {
                if let Value::Object(p) = &mut props.value.value {
                    p.retain(|m| m.key != "templateLink");
                    p.push(Member {
                        key: "template".into(),
                        key_span: template.span,
                        value: template,
                        written: None,
                    });
                }
            }
        }
    }
    root
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
