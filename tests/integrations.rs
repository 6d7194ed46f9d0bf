//! The GitHub Action and the pre-commit hook parse as YAML and only use batchguard flags and values
//! that `batchguard scan --help` lists.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

/// Flags named by the integrations that come with the configuration-file work (`--config`): they
/// are reported while `scan --help` does not list them yet, and checked like the others once it
/// does.
const PENDING: &[&str] = &[];

fn scan_help() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .args(["scan", "--help"])
        .output()
        .expect("batchguard runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn load(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

/// `--flags` on the lines of a shell script that run batchguard (the `scan` command line and the
/// argument lists built for it).
fn batchguard_flags(script: &str) -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    for line in script.lines() {
        let line = line.trim();
        if line.starts_with('#') || !(line.contains(" scan ") || line.contains("args+=(")) {
            continue;
        }
        for word in line.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
            let word = word.trim_matches('"');
            if word.starts_with("--") && word.len() > 2 {
                let flag = word.split('=').next().unwrap();
                flags.insert(flag.to_string());
            }
        }
    }
    flags
}

fn check_flags(source: &str, flags: &BTreeSet<String>, help: &str) {
    for flag in flags {
        let listed = help
            .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
            .any(|w| w == flag);
        if !listed && PENDING.contains(&flag.as_str()) {
            println!("{source}: `{flag}` is not in `batchguard scan --help` yet (pending)");
            continue;
        }
        assert!(
            listed,
            "{source} uses `{flag}`, which `batchguard scan --help` does not list"
        );
    }
}

#[test]
fn action_parses_and_names_only_existing_flags_and_values() {
    let help = scan_help();
    let action = load("integrations/github-action/action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_mapping().expect("inputs");
    for name in ["paths", "fail-on", "config", "upload", "binary"] {
        assert!(
            inputs.contains_key(Value::from(name)),
            "input `{name}` is missing"
        );
    }
    assert_eq!(action["inputs"]["paths"]["default"], ".");
    assert_eq!(action["inputs"]["upload"]["default"], "true");
    let fail_on = action["inputs"]["fail-on"]["default"].as_str().unwrap();
    assert!(help.contains(fail_on), "fail-on default `{fail_on}`");

    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let mut flags = BTreeSet::new();
    let mut scripts = String::new();
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            flags.extend(batchguard_flags(run));
            scripts.push_str(run);
        }
    }
    for expected in ["--format", "--output", "--fail-on", "--config"] {
        assert!(flags.contains(expected), "{expected} not used: {flags:?}");
    }
    check_flags("action.yml", &flags, &help);
    for format in ["sarif", "github"] {
        assert!(scripts.contains(&format!("--format {format}")));
        assert!(help.contains(format), "`--format {format}` is not listed");
    }
    assert!(scripts.contains("cargo install --locked"));
    assert!(scripts.contains("$GITHUB_ACTION_PATH/../.."));

    // Upload before failing: the upload step comes before the step that applies fail-on.
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/cache@")));
    let upload = steps
        .iter()
        .position(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload step");
    assert_eq!(steps[upload]["with"]["category"], "batchguard");
    let fail = steps
        .iter()
        .position(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("BATCHGUARD_FAIL_ON"))
        })
        .expect("a fail-on step");
    assert!(upload < fail);
}

#[test]
fn pre_commit_hook_parses_and_runs_scan() {
    let help = scan_help();
    let hooks = load(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "batchguard")
        .expect("the batchguard hook");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "batchguard scan");
    assert_eq!(hook["pass_filenames"], true);
    let files = hook["files"].as_str().unwrap();
    assert_eq!(files, r"\.(tf|tfvars|json)$");
    let mut command = format!(" {} ", hook["entry"].as_str().unwrap());
    if let Some(args) = hook["args"].as_sequence() {
        for a in args {
            command.push_str(a.as_str().unwrap());
            command.push(' ');
        }
    }
    check_flags(".pre-commit-hooks.yaml", &batchguard_flags(&command), &help);
}

#[test]
fn flags_are_found_on_batchguard_lines_only() {
    let script = "cargo install --locked --path x\n\"$bin\" scan a --format sarif --fail-on=never\nargs+=(--config \"$C\")\n# scan --nothing\n";
    let flags: Vec<String> = batchguard_flags(script).into_iter().collect();
    assert_eq!(flags, ["--config", "--fail-on", "--format"]);
}

/// The VS Code extension's commands: each one `package.json` declares is registered by
/// `extension.ts`, and the server command "batchguard: Fix all in file" sends is one the language
/// server announces.
#[test]
fn the_vscode_commands_are_declared_registered_and_served() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("integrations/vscode");
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("package.json")).unwrap()).unwrap();
    let source = std::fs::read_to_string(root.join("src/extension.ts")).unwrap();
    let declared = package["contributes"]["commands"].as_array().unwrap();
    assert!(declared.len() >= 2);
    for c in declared {
        let id = c["command"].as_str().unwrap();
        assert!(
            source.contains(&format!("registerCommand(\"{id}\"")),
            "{id} is declared but not registered"
        );
    }
    let served = batchguard::lsp::capabilities()
        .execute_command_provider
        .unwrap()
        .commands;
    let sent: Vec<&String> = served
        .iter()
        .filter(|c| source.contains(&format!("command: \"{c}\"")))
        .collect();
    assert_eq!(sent, [&"batchguard.fixAll".to_string()], "{served:?}");
}
