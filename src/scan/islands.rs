//! Groups of inputs that can be analysed apart: the scan parses, evaluates and checks each group
//! on its own and releases it before memory holds them all (see [`super::scan`]).
//!
//! Inputs are grouped by folder, and folders are joined when a file in one refers to the other by
//! a relative path: a Terraform module source (`"../modules/net"`, `"${path.module}/net"`), a
//! Bicep module or `using` path (`'modules/pool.bicep'`), an ARM `templateLink.relativePath`, a
//! file a function reads (`file("./x.json")`). References are found in the text, before parsing,
//! by looking at every quoted string: joining two folders that did not need it only makes a group
//! larger, so a string that merely looks like a path is harmless, while a reference missed would
//! change what evaluation sees. A scan with inputs that have a role across folders (variable
//! files, parameter files given by name, Terraform plans, which are matched to their
//! configuration by content) is one group.

use std::collections::HashMap;

use rayon::prelude::*;

use super::Role;
use crate::frontend::arm::Expect;
use crate::frontend::InputKind;
use crate::source::{FileId, SourceFile};

/// The groups of file ids (each ascending; the groups ordered by their first file), or one group
/// of every file when the scan must be analysed whole.
pub(super) fn islands(
    files: &[SourceFile],
    kinds: &[(InputKind, Expect)],
    roles: &[Role],
) -> Vec<Vec<FileId>> {
    let all = || vec![(0..files.len()).collect::<Vec<FileId>>()];
    let whole = roles.iter().any(|r| *r != Role::Found)
        || files.iter().zip(kinds).any(|(f, (kind, expect))| {
            *kind == InputKind::Plan
                || (*kind == InputKind::Json
                    && *expect == Expect::Any
                    && crate::frontend::plan::is_plan(&f.text))
        });
    if whole || files.len() < 2 {
        return all();
    }
    let mut sets = Folders::default();
    let dirs: Vec<usize> = files.iter().map(|f| sets.node(folder(&f.rel))).collect();
    // Reading the strings is most of the work: the files in parallel.
    let references: Vec<Vec<String>> = files
        .par_iter()
        .map(|f| relative_strings(&f.text))
        .collect();
    for ((f, &dir), references) in files.iter().zip(&dirs).zip(references) {
        let here = folder(&f.rel);
        for reference in references {
            let Some(target) = resolve(here, &reference) else {
                continue;
            };
            // The path itself (a module folder) and the folder holding it (a file).
            let parent = folder(&target).to_string();
            for t in [target, parent] {
                if let Some(&other) = sets.ids.get(t.as_str()) {
                    sets.union(dir, other);
                }
            }
        }
    }
    // An ARM template that deploys linked templates may name their folder alone, through a
    // variable (`concat(parameters('_artifactsLocation'), 'nested/')`): such a folder joins.
    for (f, (kind, _)) in files.iter().zip(kinds) {
        if *kind != InputKind::Json {
            continue;
        }
        let here = folder(&f.rel);
        let dir = sets.ids[here];
        for reference in linked_folders(&f.text) {
            if let Some(&other) = resolve(here, &reference).and_then(|t| sets.ids.get(t.as_str())) {
                sets.union(dir, other);
            }
        }
    }
    let mut groups: Vec<Vec<FileId>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (id, &dir) in dirs.iter().enumerate() {
        let root = sets.find(dir);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(id);
    }
    groups
}

/// The folder of a `/`-separated relative path (`""` for the scan root).
fn folder(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// Union-find over folders.
#[derive(Default)]
struct Folders {
    ids: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl Folders {
    fn node(&mut self, dir: &str) -> usize {
        if let Some(&id) = self.ids.get(dir) {
            return id;
        }
        let id = self.parent.len();
        self.parent.push(id);
        self.ids.insert(dir.to_string(), id);
        id
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller id stays the root, so that the result does not depend on the order.
            let (keep, join) = if a < b { (a, b) } else { (b, a) };
            self.parent[join] = keep;
        }
    }
}

/// Extensions of the files a reference without `./` names (Bicep module paths, ARM relative
/// template links).
const FILE_EXTENSIONS: &[&str] = &[".bicep", ".bicepparam", ".json", ".jsonc", ".tf"];

/// The quoted strings of `text` that are relative paths: starting with `./` or `../` (or
/// `${path.module}/`), or naming a template file by its extension. Every quote is taken as the
/// start of a string that ends at the next same quote on its line, so that a lone apostrophe (in
/// a comment, say) cannot hide the strings after it; the extra "strings" between a closing and
/// an opening quote are harmless. Strings longer than a path are passed over.
///
/// Every string [`as_relative`] accepts holds a `.` (`./`, `../`, `${path.module}`, an
/// extension), and templates hold far fewer dots than quotes, so the search starts from each dot:
/// the strings holding it are those that start after the last quote of each kind before it on
/// its line. The strings are those of [`strings_from_every_quote`], in another order.
pub(crate) fn relative_strings(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The opening quote of the last string looked at, per kind of quote: a string with several
    // dots is read once.
    let mut last_open = [usize::MAX; 2];
    for dot in memchr::memchr_iter(b'.', bytes) {
        for (kind, quote) in [b'"', b'\''].into_iter().enumerate() {
            // A string longer than LONGEST_STRING is passed over: its quote is no further back.
            let from = dot.saturating_sub(LONGEST_STRING + 1);
            let Some(open) = memchr::memrchr2(quote, b'\n', &bytes[from..dot]).map(|i| from + i)
            else {
                continue;
            };
            if bytes[open] != quote || open == last_open[kind] {
                continue;
            }
            last_open[kind] = open;
            let start = open + 1;
            let window = &bytes[dot + 1..(start + LONGEST_STRING + 1).min(bytes.len())];
            let Some(end) = memchr::memchr2(quote, b'\n', window).map(|i| dot + 1 + i) else {
                continue;
            };
            if bytes[end] != quote {
                continue;
            }
            // Both ends are ASCII quotes, so these are character boundaries.
            if let Some(path) = as_relative(&text[start..end]) {
                out.push(path);
            }
        }
    }
    out
}

/// The longest string read as a path.
const LONGEST_STRING: usize = 1024;

/// What an ARM template that deploys linked templates holds.
const LINK: &[u8] = b"\"templateLink\"";

/// In an ARM template that deploys linked templates, the quoted strings that may name a folder
/// below its own (`'nested/'`, `"./linked/"`, `"nested"`), without a trailing slash: where it
/// may keep the templates it links, named through a variable that holds only the folder. A
/// string that names no folder joins nothing. Read from every quote, as
/// [`strings_from_every_quote`] reads them; nothing for a text that links no template.
pub(crate) fn linked_folders(text: &str) -> Vec<String> {
    if memchr::memmem::find(text.as_bytes(), LINK).is_none() {
        return Vec::new();
    }
    every_quote(text, as_folder)
}

/// `s` as a folder below the current one, if it is written as one.
fn as_folder(s: &str) -> Option<String> {
    let path = s.strip_suffix('/').unwrap_or(s);
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/');
    (!path.is_empty() && path.chars().all(plain) && !path.split('/').any(|p| p == ".."))
        .then(|| path.to_string())
}

/// [`relative_strings`] read from every quote: each quote starts a string that ends at the next
/// same quote on its line, within [`LONGEST_STRING`].
#[cfg(test)]
fn strings_from_every_quote(text: &str) -> Vec<String> {
    every_quote(text, as_relative)
}

/// The strings of `text` that `accept` takes, each quote read as the start of a string that
/// ends at the next same quote on its line, within [`LONGEST_STRING`].
fn every_quote(text: &str, accept: fn(&str) -> Option<String>) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = memchr::memchr2(b'"', b'\'', &bytes[from..]) {
        let quote = bytes[from + p];
        let start = from + p + 1;
        from = start;
        let window = &bytes[start..(start + LONGEST_STRING + 1).min(bytes.len())];
        let Some(len) = memchr::memchr2(quote, b'\n', window) else {
            continue;
        };
        let end = start + len;
        if bytes[end] != quote || len == 0 {
            continue;
        }
        if let Some(path) = accept(&text[start..end]) {
            out.push(path);
        }
    }
    out
}

/// `s` as a relative path, if it is one.
fn as_relative(s: &str) -> Option<String> {
    // Most quoted strings are names and values, passed over without copying them: what follows
    // accepts only those that start with `.` or `${path.module}`, or end with an extension.
    let ends_with_extension = FILE_EXTENSIONS.iter().any(|e| {
        s.len() >= e.len() && s.as_bytes()[s.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
    });
    if !(s.starts_with('.') || s.starts_with("${path.module}") || ends_with_extension) {
        return None;
    }
    let s = s.replace('\\', "/");
    if let Some(rest) = s.strip_prefix("${path.module}/") {
        return Some(format!("./{rest}"));
    }
    if s.starts_with("./") || s.starts_with("../") {
        return Some(s);
    }
    let lower = s.to_ascii_lowercase();
    let names_file = FILE_EXTENSIONS.iter().any(|e| lower.ends_with(e));
    let elsewhere = s.contains(':') || s.contains(char::is_whitespace);
    // A path after a location (`concat(parameters('_artifactsLocation'), '/nested/x.json')`)
    // is read from the folder of the file that writes it.
    let s = s.trim_start_matches('/').to_string();
    (names_file && !elsewhere && !s.is_empty()).then_some(s)
}

/// `reference` from the folder `dir`, as a `/`-separated path under the scan root; `None` when it
/// leaves the root.
fn resolve(dir: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: FileId, rel: &str, text: &str) -> SourceFile {
        SourceFile::new(id, rel.into(), rel.into(), text)
    }

    fn groups(inputs: &[(&str, &str)]) -> Vec<Vec<FileId>> {
        let files: Vec<SourceFile> = inputs
            .iter()
            .enumerate()
            .map(|(i, (rel, text))| file(i, rel, text))
            .collect();
        let kinds: Vec<(InputKind, Expect)> = files
            .iter()
            .map(|f| {
                let kind = crate::frontend::input_kind(std::path::Path::new(&f.rel))
                    .unwrap_or(InputKind::Json);
                (kind, Expect::Any)
            })
            .collect();
        let roles = vec![Role::Found; files.len()];
        islands(&files, &kinds, &roles)
    }

    #[test]
    fn folders_are_groups_unless_a_reference_joins_them() {
        let g = groups(&[
            (
                "a/main.tf",
                "module \"net\" {\n  source = \"../modules/net\"\n}\n",
            ),
            ("a/variables.tf", "variable \"x\" {}\n"),
            ("b/main.tf", "resource \"azurerm_subnet\" \"s\" {}\n"),
            (
                "c/main.tf",
                "module \"m\" { source = \"${path.module}/../modules/net\" }\n",
            ),
            (
                "modules/net/main.tf",
                "resource \"azurerm_network_security_group\" \"n\" {}\n",
            ),
        ]);
        assert_eq!(g, vec![vec![0, 1, 3, 4], vec![2]]);
    }

    #[test]
    fn bicep_modules_and_arm_links_join_folders() {
        let g = groups(&[
            (
                "app/main.bicep",
                "module pool 'modules/pool.bicep' = {\n  name: 'p'\n}\n",
            ),
            ("app/modules/pool.bicep", "param x string\n"),
            (
                "arm/azuredeploy.json",
                r#"{"templateLink": {"relativePath": "../linked/nsg.json"}}"#,
            ),
            ("linked/nsg.json", "{}"),
            ("other/main.bicep", "param y string = 'a.b'\n"),
            ("params/dev.bicepparam", "using '../app/main.bicep'\n"),
            (
                "qs/azuredeploy.json",
                r#"{"uri": "[concat(parameters('_artifactsLocation'), '/nested/vnet.json', parameters('_artifactsLocationSasToken'))]"}"#,
            ),
            ("qs/nested/vnet.json", "{}"),
            (
                "qs2/azuredeploy.json",
                r#"{"variables": {"base": "[concat(parameters('_artifactsLocation'), 'nested/')]"}, "resources": [{"properties": {"templateLink": {"uri": "[concat(variables('base'), 'vnet', '.json')]"}}}]}"#,
            ),
            ("qs2/nested/vnet.json", "{}"),
            ("qs2b/nested/vnet.json", "{}"),
            (
                "qs3/azuredeploy.json",
                r#"{"variables": {"folder": "linked", "name": "web"}, "resources": [{"properties": {"templateLink": {"uri": "[uri(parameters('_artifactsLocation'), concat(variables('folder'), '/', variables('name'), '.json'))]"}}}]}"#,
            ),
            ("qs3/linked/web.json", "{}"),
            ("qs3/other/web.json", "{}"),
        ]);
        assert_eq!(
            g,
            vec![
                vec![0, 1, 5],
                vec![2, 3],
                vec![4],
                vec![6, 7],
                vec![8, 9],
                vec![10],
                vec![11, 12],
                vec![13]
            ]
        );
    }

    #[test]
    fn references_out_of_the_root_or_to_remote_places_join_nothing() {
        let g = groups(&[
            ("a/main.tf", "module \"x\" { source = \"../../outside\" }\n"),
            (
                "b/main.bicep",
                "module m 'br:contoso.azurecr.io/bicep/pool:v1' = {}\n",
            ),
            (
                "c/main.tf",
                "module \"r\" { source = \"Azure/network/azurerm\" }\n",
            ),
        ]);
        assert_eq!(g, vec![vec![0], vec![1], vec![2]]);
    }

    /// Starting from the dots finds the strings that starting from every quote finds: on the
    /// corpus, the test data, and texts made to put quotes, dots and line breaks everywhere.
    #[test]
    fn strings_found_from_dots_are_those_found_from_every_quote() {
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let same = |text: &str| {
            assert_eq!(
                sorted(relative_strings(text)),
                sorted(strings_from_every_quote(text)),
                "{text:?}"
            );
        };
        for root in ["testdata", "../shared/corpus"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
            for entry in ignore::WalkBuilder::new(&root)
                .standard_filters(false)
                .build()
            {
                let Ok(entry) = entry else { continue };
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    same(&text);
                }
            }
        }
        // Every text of up to 6 of these pieces, and long ones.
        let pieces = [
            "\"",
            "'",
            ".",
            "./a",
            "x.json",
            "\n",
            "${path.module}/m",
            "b",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for t in &longer {
                same(t);
            }
            texts = longer;
        }
        let long = "y".repeat(LONGEST_STRING);
        for text in [
            format!("\"./{long}\""),
            format!("\".{}\"", &long[1..]),
            format!("\"{long}.json\" \"./z\""),
            format!("'{long}' \"../q.bicep\" '.{long}'"),
        ] {
            same(&text);
        }
    }

    #[test]
    fn strings_are_read_on_one_line_and_unclosed_quotes_do_not_hide_the_rest() {
        let mut found = relative_strings("it's a \"./x\"\n'../y/z.json' \"no\nend\" \"./w\"");
        found.sort();
        assert_eq!(found, vec!["../y/z.json", "./w", "./x"]);
        assert_eq!(resolve("a/b", "../../c"), Some("c".into()));
        assert_eq!(resolve("a", "../../c"), None);
        assert_eq!(resolve("", "./m/x.bicep"), Some("m/x.bicep".into()));
    }

    #[test]
    fn a_plan_or_a_variable_file_keeps_the_scan_whole() {
        let files = vec![file(0, "a/main.tf", ""), file(1, "b/main.tf", "")];
        let kinds = vec![(InputKind::Terraform, Expect::Any); 2];
        assert_eq!(
            islands(&files, &kinds, &[Role::Found, Role::Found]).len(),
            2
        );
        assert_eq!(
            islands(&files, &kinds, &[Role::Found, Role::VarFile]).len(),
            1
        );
        let plan = vec![
            (InputKind::Terraform, Expect::Any),
            (InputKind::Plan, Expect::Any),
        ];
        assert_eq!(islands(&files, &plan, &[Role::Found, Role::Found]).len(), 1);
    }
}
