//! Inputs that once crashed, hung or exhausted memory in a fuzz target (`fuzz/`), kept under
//! `testdata/fuzz/<target>/` and fed through the same function the target calls, so that what the
//! fuzzer found stays fixed in `cargo test`. A file's name says what it found; `cargo fuzz tmin`
//! makes the minimized input to keep (README, "Fuzzing").

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

/// What a fuzz target does with one input.
type Target = fn(&[u8]);

/// The targets, by the name of their folder under `testdata/fuzz/`.
const TARGETS: &[(&str, Target)] = &[
    ("arm_frontend", fuzz::arm_frontend),
    ("hcl_frontend", fuzz::hcl_frontend),
    ("arm_expr", fuzz::arm_expr),
    ("tf_module", fuzz::tf_module),
    ("arm_pipeline", fuzz::arm_pipeline),
    ("bicep_pipeline", fuzz::bicep_pipeline),
    ("tfjson_pipeline", fuzz::tfjson_pipeline),
    ("lsp", fuzz::lsp),
    ("rule_file", fuzz::rule_file),
];

#[test]
fn kept_inputs_run_through_their_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz");
    let mut ran = 0;
    for entry in std::fs::read_dir(&root).expect("testdata/fuzz exists") {
        let dir = entry.expect("readable").path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Some((_, target)) = TARGETS.iter().find(|(t, _)| *t == name) else {
            panic!("testdata/fuzz/{name} is not a fuzz target's folder");
        };
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .expect("readable")
            .map(|e| e.expect("readable").path())
            .collect();
        inputs.sort();
        for input in inputs {
            let data = std::fs::read(&input).expect("readable");
            eprintln!("{name}: {}", input.display());
            target(&data);
            ran += 1;
        }
    }
    assert!(ran > 0, "no kept inputs under {}", root.display());
    fuzz::remove_own_workdirs();
}

/// The harness's own guarantee: the fuzzer's `lsp` conversations only ever name files in its
/// work directory, whatever URIs the input holds.
#[test]
fn lsp_uris_stay_in_the_work_directory() {
    let dir = fuzz::workdir("regression-uris");
    for uri in [
        "file:///etc/passwd",
        "file:///fuzz/../../etc/main.tf",
        "file://host/share/x.tf",
        "file:///fuzz/%2e%2e/%2e%2e/etc/x.tf",
        "FILE:///fuzz/main.tf",
    ] {
        let mut v = serde_json::json!({ "uri": uri });
        fuzz::confine(&mut v, &dir);
        let moved = v["uri"].as_str().unwrap().to_string();
        let path = batchguard::lsp::file_path(&moved).expect("a file URI");
        assert_eq!(path.parent(), Some(dir.as_path()), "{uri} became {moved}");
    }
    fuzz::remove_own_workdirs();
}
