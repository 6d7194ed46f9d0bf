//! Reads every ARM JSON file of the shared real-world corpus: no file may crash the front-end, and
//! every deployment template (`azuredeploy.json`, `main.json`) must yield resources without errors.

use std::path::{Path, PathBuf};

use batchguard::frontend::arm;
use batchguard::ir::DocKind;
use batchguard::source::SourceFile;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
}

#[test]
fn corpus_arm_files_load() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.is_dir() {
        let reason = format!("the shared corpus is not at {}", shared.display());
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{reason}");
        }
        eprintln!("skipping: {reason}");
        return;
    }
    let mut files = Vec::new();
    for sub in ["corpus/arm", "corpus/peer-tests"] {
        json_files(&shared.join(sub), &mut files);
    }
    files.sort();
    assert!(
        !files.is_empty(),
        "no .json files under {}",
        shared.display()
    );

    let mut failures = Vec::new();
    let mut templates = 0;
    for (id, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let raw = String::from_utf8_lossy(&bytes);
        let rel = path
            .strip_prefix(&shared)
            .unwrap_or(path)
            .display()
            .to_string();
        let file = SourceFile::new(id, path.clone(), rel.clone(), &raw);
        let doc = match std::panic::catch_unwind(|| arm::load(&file)) {
            Ok(doc) => doc,
            Err(_) => {
                failures.push(format!("{rel}: panicked"));
                continue;
            }
        };
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name != "azuredeploy.json" && name != "main.json" {
            continue;
        }
        templates += 1;
        match doc {
            None => failures.push(format!("{rel}: not recognised as an ARM template")),
            Some(doc) => {
                if doc.kind != DocKind::ArmTemplate {
                    failures.push(format!("{rel}: read as {:?}", doc.kind));
                }
                if doc.resources.is_empty() {
                    failures.push(format!("{rel}: no resources"));
                }
                for n in doc.notices.iter().filter(|n| n.is_error()) {
                    let line = file.position(n.span.start).line;
                    failures.push(format!("{rel}:{line}: {}", n.message));
                }
            }
        }
    }
    assert!(
        templates > 0,
        "no azuredeploy.json or main.json in the corpus"
    );
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
