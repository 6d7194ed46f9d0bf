//! Every Terraform file of the shared corpus (real templates and other analyzers' fixtures, all
//! accepted by `terraform fmt`) reads without an error notice, and every span the front-end
//! produces lies inside its file on character boundaries.

use std::path::{Path, PathBuf};

use batchguard::frontend::{input_kind, terraform, InputKind};
use batchguard::ir::{Node, Span, Value};
use batchguard::source::SourceFile;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("tf") | Some("tfvars")
        ) {
            out.push(p);
        }
    }
}

fn check_span(text: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what}: {s:?} outside the file"
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what}: {s:?}"
    );
}

fn check_node(text: &str, n: &Node, what: &str) {
    check_span(text, n.span, what);
    match &n.value {
        Value::Object(members) => {
            for m in members {
                check_span(text, m.key_span, what);
                check_node(text, &m.value, what);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| check_node(text, i, what)),
        _ => {}
    }
}

#[test]
fn corpus_terraform_files_read_cleanly() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!ci, "the shared corpus is missing at {}", corpus.display());
        eprintln!("skipped: no shared corpus at {}", corpus.display());
        return;
    }
    let mut files = Vec::new();
    collect(&corpus, &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no Terraform files under {}",
        corpus.display()
    );

    let mut resources = 0;
    for (id, path) in files.iter().enumerate() {
        let raw = std::fs::read(path).unwrap();
        let raw = String::from_utf8_lossy(&raw);
        let rel = path
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let file = SourceFile::new(id, path.clone(), rel.clone(), &raw);
        let kind = input_kind(path).unwrap_or(InputKind::Terraform);
        let doc = terraform::load(&file, kind).doc;
        let errors: Vec<_> = doc.notices.iter().filter(|n| n.is_error()).collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        for r in &doc.resources {
            let what = format!("{rel}: {}", r.display());
            assert_eq!(r.span.file, id);
            check_span(&file.text, r.header, &what);
            check_span(&file.text, r.span, &what);
            check_span(&file.text, r.name_span, &what);
            assert!(
                file.text[r.header.start..r.header.end].starts_with("resource"),
                "{what}"
            );
            assert!(
                file.text[r.header.start..r.header.end].ends_with('{'),
                "{what}"
            );
            check_node(&file.text, &r.body, &what);
        }
        resources += doc.resources.len();
    }
    assert!(
        resources > 100,
        "only {resources} resources lowered from {} files",
        files.len()
    );
}
