//! What the language server keeps of a folder's analysis to use again after an edit: the parsed
//! document (and Terraform body) of every file, and the results of every unit of the folder
//! ([`crate::eval::units`]: an ARM template with its parameters file, the folder's Terraform
//! files, every ARM and Bicep document of a folder with Bicep in it).
//!
//! After an edit the folder's inputs are found and read again (an open document from its buffer,
//! the others from disk, so a change on disk counts whether the client reports it or not); a file
//! whose text is the one of the last analysis, under the same id and path, keeps its parsed
//! document, and only the others are parsed. A unit whose files are the same and all kept keeps
//! its results (findings before the merge of instances, notifications, failed scopes, metadata
//! suppressions, NSG verdicts); the others are evaluated and checked again. The end of the scan
//! (merge, order, suppressions, configuration) runs over every unit, so the result is the one of
//! a full analysis. Nothing is kept across a change of the settings, or of the list of inputs
//! (file ids follow their sorted paths).

use std::collections::{HashMap, HashSet};

use crate::frontend::terraform::Bodies;
use crate::ir::Document;
use crate::rules::query::verdicts::RuleVerdict;
use crate::scan::{self, Overrides, ScanConfig, ScanOutput};
use crate::source::{FileId, SourceFile};

/// A folder's parsed documents and unit results, kept for its next analysis.
pub struct Kept {
    /// The settings the analysis was made with: another value keeps nothing.
    settings: String,
    /// Every parsed document, by file id.
    docs: HashMap<FileId, Document>,
    bodies: Bodies,
    /// Each unit's files and results, in the order of the analysis.
    units: Vec<(Vec<FileId>, scan::Unit)>,
}

/// What an analysis did again and what it used again, for the log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub files: usize,
    pub parsed: usize,
    pub units: usize,
    pub evaluated: usize,
}

impl std::fmt::Display for Work {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "parsed {} of {} files, evaluated {} of {} units",
            self.parsed, self.files, self.evaluated, self.units
        )
    }
}

/// Where an analysis spent its time: finding and reading the inputs, parsing those that
/// changed, evaluating and checking the units that changed, and the end of the scan over all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    pub read: std::time::Duration,
    pub parse: std::time::Duration,
    pub units: std::time::Duration,
    pub finish: std::time::Duration,
}

/// The analysis of a folder and what is kept of it.
pub struct Analysed {
    pub out: ScanOutput,
    pub verdicts: Vec<RuleVerdict>,
    pub kept: Kept,
    pub work: Work,
    pub phases: Phases,
}

/// Everything that decides how the same texts are analysed.
fn settings(cfg: &ScanConfig) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        cfg.paths, cfg.root, cfg.options, cfg.eval, cfg.config
    )
}

/// The same inputs, in the same order, read as the same kind (the kind follows the name and the
/// settings).
fn same_inputs(a: &[SourceFile], b: &[SourceFile]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.rel == y.rel && x.path == y.path)
}

/// `scan::load_with_overrides` then `scan::analyse_explaining` of the folder of `cfg`, using
/// again what `before` (the files of the last analysis and what was kept of it) still holds.
pub fn analyse(
    cfg: &ScanConfig,
    overrides: &Overrides,
    before: Option<(&[SourceFile], Kept)>,
) -> Result<Analysed, String> {
    let clock = std::time::Instant::now();
    let mut phases = Phases::default();
    let read = scan::read_inputs(cfg, overrides)?;
    phases.read = clock.elapsed();
    let settings = settings(cfg);
    let before = before
        .filter(|(files, kept)| kept.settings == settings && same_inputs(files, read.files()));
    let (old_files, mut old_docs, mut old_bodies, old_units) = match before {
        Some((files, kept)) => (files, kept.docs, kept.bodies, kept.units),
        None => (&[][..], HashMap::new(), Bodies::new(), Vec::new()),
    };
    let mut reused: HashSet<FileId> = HashSet::new();
    let loaded = scan::parse_reusing(read, |file| {
        let old = old_files.get(file.id)?;
        if old.text != file.text || old.had_bom != file.had_bom || old.encoding != file.encoding {
            return None;
        }
        let doc = old_docs.remove(&file.id)?;
        reused.insert(file.id);
        Some((doc, old_bodies.remove(&file.id)))
    });
    drop((old_docs, old_bodies));
    phases.parse = clock.elapsed() - phases.read;
    let scan::Loaded {
        root,
        files,
        docs,
        bodies,
        notifications,
    } = loaded;
    let parsed = docs.iter().filter(|d| !reused.contains(&d.file)).count();
    let groups = crate::eval::units(&files, &docs, &cfg.eval);
    let mut slots: Vec<Option<Document>> = docs.into_iter().map(Some).collect();
    let unit_docs: Vec<Vec<Document>> = groups
        .iter()
        .map(|g| g.iter().filter_map(|&i| slots[i].take()).collect())
        .collect();
    drop(slots);
    let keys: Vec<Vec<FileId>> = unit_docs
        .iter()
        .map(|u| u.iter().map(|d| d.file).collect())
        .collect();
    let mut old_units: HashMap<Vec<FileId>, scan::Unit> = old_units.into_iter().collect();
    let mut results: Vec<Option<scan::Unit>> = keys
        .iter()
        .map(|key| {
            if key.iter().all(|id| reused.contains(id)) {
                old_units.remove(key)
            } else {
                None
            }
        })
        .collect();
    drop(old_units);
    let dirty: Vec<usize> = (0..keys.len()).filter(|&u| results[u].is_none()).collect();
    let slices: Vec<&[Document]> = dirty.iter().map(|&u| unit_docs[u].as_slice()).collect();
    let fresh = scan::analyse_units(&files, &slices, &bodies, cfg);
    for (u, unit) in dirty.iter().zip(fresh) {
        results[*u] = Some(unit);
    }
    let results: Vec<scan::Unit> = results.into_iter().flatten().collect();
    phases.units = clock.elapsed() - phases.read - phases.parse;
    let work = Work {
        files: files.len(),
        parsed,
        units: keys.len(),
        evaluated: dirty.len(),
    };
    let (out, verdicts) = scan::finish_units(root, files, results.clone(), notifications, cfg);
    phases.finish = clock.elapsed() - phases.read - phases.parse - phases.units;
    let kept = Kept {
        settings,
        docs: unit_docs
            .into_iter()
            .flatten()
            .map(|d| (d.file, d))
            .collect(),
        bodies,
        units: keys.into_iter().zip(results).collect(),
    };
    Ok(Analysed {
        out,
        verdicts,
        kept,
        work,
        phases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{analyse_explaining, load_with_overrides};
    use std::path::Path;

    fn testdata(rel: &str) -> String {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata")
                .join(rel),
        )
        .unwrap()
    }

    fn config(folder: &Path, options: &[(&str, &str)]) -> ScanConfig {
        let given = crate::settings::Given {
            options: options
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        };
        crate::settings::scan_config(folder, super::super::folder_inputs(folder), &given).unwrap()
    }

    /// Everything the server shows of an analysis.
    fn shown(out: &ScanOutput, verdicts: &[RuleVerdict]) -> String {
        let files: Vec<(&str, &str)> = out
            .files
            .iter()
            .map(|f| (f.rel.as_str(), f.text.as_str()))
            .collect();
        format!(
            "{files:?}\n{:#?}\n{:#?}\n{:#?}\n{verdicts:#?}",
            out.findings, out.notifications, out.failed
        )
    }

    /// Over a sequence of edits to a folder of two ARM templates (one with a parameters file)
    /// and a Terraform module of three files, each incremental analysis shows what a full
    /// analysis of the same texts shows, and evaluates again only the units an edit touches.
    #[test]
    fn each_edit_gives_the_full_analysis_and_evaluates_only_its_unit() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().canonicalize().unwrap();
        let write = |name: &str, text: &str| std::fs::write(folder.join(name), text).unwrap();
        let pairs = "eval/pairs/arm_property_copy/violating";
        write("a.json", &testdata(&format!("{pairs}/nsg.json")));
        write(
            "a.parameters.json",
            &testdata(&format!("{pairs}/nsg.parameters.json")),
        );
        write("b.json", &testdata("NET001/arm/violating.json"));
        let module = "eval/terraform/tfvars_override";
        write("main.tf", &testdata(&format!("{module}/main.tf")));
        write(
            "terraform.tfvars",
            &testdata(&format!("{module}/terraform.tfvars")),
        );
        write("web.tf", &testdata("NET001/azurerm/violating/main.tf"));

        let mut overrides = Overrides::new();
        let mut kept: Option<(Vec<SourceFile>, Kept)> = None;
        let mut step = |overrides: &Overrides, options: &[(&str, &str)]| -> Work {
            let cfg = config(&folder, options);
            let full = analyse_explaining(load_with_overrides(&cfg, overrides).unwrap(), &cfg);
            let (files, before) = match kept.take() {
                Some((files, k)) => (files, Some(k)),
                None => (Vec::new(), None),
            };
            let before = before.map(|k| (files.as_slice(), k));
            let Analysed {
                out,
                verdicts,
                kept: now,
                work,
                ..
            } = analyse(&cfg, overrides, before).unwrap();
            assert_eq!(shown(&out, &verdicts), shown(&full.0, &full.1), "{work}");
            kept = Some((out.files, now));
            work
        };
        let edit = |overrides: &mut Overrides, name: &str, from: &str, to: &str| {
            let path = folder.join(name);
            let text = overrides
                .get(&path)
                .cloned()
                .unwrap_or_else(|| std::fs::read_to_string(&path).unwrap());
            assert!(text.contains(from), "{name}: {from}");
            overrides.insert(path, text.replacen(from, to, 1));
        };
        let work = |parsed, evaluated| Work {
            files: 6,
            parsed,
            units: 3,
            evaluated,
        };

        // The folder has findings in each unit.
        let cfg = config(&folder, &[]);
        let full = analyse_explaining(load_with_overrides(&cfg, &overrides).unwrap(), &cfg).0;
        let mut with_findings: Vec<&str> = full
            .findings
            .iter()
            .map(|f| full.files[f.span.file].rel.as_str())
            .collect();
        with_findings.dedup();
        assert_eq!(with_findings, ["a.json", "b.json", "main.tf", "web.tf"]);

        // Everything, then nothing.
        assert_eq!(step(&overrides, &[]), work(6, 3));
        assert_eq!(step(&overrides, &[]), work(0, 0));
        // A parameters file: its template's unit.
        edit(
            &mut overrides,
            "a.parameters.json",
            "\"*\"",
            "\"10.0.0.0/8\"",
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        // A variables file: the module.
        edit(
            &mut overrides,
            "terraform.tfvars",
            "0.0.0.0/0",
            "10.0.0.0/8",
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        // One file of the module among three.
        edit(&mut overrides, "web.tf", "\"Internet\"", "\"10.1.0.0/16\"");
        assert_eq!(step(&overrides, &[]), work(1, 1));
        // A template, lines moved; then broken; then mended.
        edit(&mut overrides, "b.json", "{", "{\n\n");
        assert_eq!(step(&overrides, &[]), work(1, 1));
        edit(
            &mut overrides,
            "b.json",
            "\"resources\"",
            "\"resources\" [,",
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        edit(
            &mut overrides,
            "b.json",
            "\"resources\" [,",
            "\"resources\"",
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        // An internal error in the module costs the module only, and goes with the edit.
        edit(
            &mut overrides,
            "main.tf",
            "var.admin_source",
            "batchguard_test_panic()",
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        edit(
            &mut overrides,
            "main.tf",
            "batchguard_test_panic()",
            "\"*\"",
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        // Other settings: everything again.
        assert_eq!(step(&overrides, &[("redundant_rules", "true")]), work(6, 3));
        assert_eq!(step(&overrides, &[]), work(6, 3));
        // A change on disk, not in a buffer.
        write(
            "a.json",
            &testdata(&format!("{pairs}/nsg.json")).replacen('{', "{ ", 1),
        );
        assert_eq!(step(&overrides, &[]), work(1, 1));
        // A new file: ids shift, everything again.
        write("0.json", &testdata("NET001/arm/compliant.json"));
        let w = step(&overrides, &[]);
        assert_eq!((w.files, w.parsed, w.units, w.evaluated), (7, 7, 4, 4));
        assert_eq!(step(&overrides, &[]).evaluated, 0);
        // A parameters file removed: its template's unit changes.
        std::fs::remove_file(folder.join("a.parameters.json")).unwrap();
        overrides.remove(&folder.join("a.parameters.json"));
        let w = step(&overrides, &[]);
        assert_eq!((w.files, w.units), (6, 4));
    }

    /// A template that links others is one unit with them: an edit of a linked template shows
    /// what a full analysis shows, findings at the linked template from what its caller passes.
    #[test]
    fn linked_templates_are_analysed_with_their_callers() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(folder.join("nested")).unwrap();
        for name in ["azuredeploy.json", "nested/nsg.json", "nested/extra.json"] {
            std::fs::write(
                folder.join(name),
                testdata(&format!("eval/arm_linked/{name}")),
            )
            .unwrap();
        }
        let cfg = config(&folder, &[]);
        let mut overrides = Overrides::new();
        let check = |overrides: &Overrides, kept: Option<(&[SourceFile], Kept)>| {
            let full = analyse_explaining(load_with_overrides(&cfg, overrides).unwrap(), &cfg);
            let a = analyse(&cfg, overrides, kept).unwrap();
            assert_eq!(
                shown(&a.out, &a.verdicts),
                shown(&full.0, &full.1),
                "{}",
                a.work
            );
            a
        };
        let first = check(&overrides, None);
        assert_eq!(first.work.units, 1);
        let names: Vec<&str> = first
            .out
            .findings
            .iter()
            .map(|f| first.out.files[f.span.file].rel.as_str())
            .collect();
        assert_eq!(
            names,
            ["nested/extra.json", "nested/nsg.json"],
            "{:?} {:#?}",
            first.out.files.iter().map(|f| &f.rel).collect::<Vec<_>>(),
            first.out.notifications
        );
        // The caller passes a private range from now on: nothing is reported.
        let path = folder.join("azuredeploy.json");
        let text = std::fs::read_to_string(&path).unwrap();
        overrides.insert(
            path,
            text.replacen(
                r#""sshSource": { "value": "*" }"#,
                r#""sshSource": { "value": "10.1.0.0/16" }"#,
                1,
            ),
        );
        let second = check(&overrides, Some((first.out.files.as_slice(), first.kept)));
        assert!(second.out.findings.is_empty(), "{:#?}", second.out.findings);
    }
}
