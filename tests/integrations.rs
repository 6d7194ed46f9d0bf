//! The GitHub Action and the pre-commit hook parse as YAML and only use batchguard flags and values
//! that `batchguard scan --help` lists.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_norway::Value;

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
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
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
    for name in [
        "paths", "fail-on", "config", "upload", "binary", "install", "version",
    ] {
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
    assert_eq!(action["inputs"]["install"]["default"], "auto");
    // The installer is the script the installer test runs; it builds with --locked.
    assert!(scripts.contains("bash \"$GITHUB_ACTION_PATH/install.sh\""));
    let installer = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("integrations/github-action/install.sh"),
    )
    .unwrap();
    assert!(installer.contains("cargo install --locked"));
    // One scan writes both reports.
    assert!(scripts.contains("--format sarif --output batchguard.sarif --format github"));

    // Upload before failing: the upload step comes before the step that applies fail-on. The
    // upload action is v4 (v3 is deprecated); a source build's cache is keyed by the sources.
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(
        uses.contains(&"github/codeql-action/upload-sarif@v4"),
        "{uses:?}"
    );
    assert!(!uses.iter().any(|u| u.ends_with("@v3")), "{uses:?}");
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    assert_eq!(cache["with"]["key"], "${{ steps.key.outputs.key }}");
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
                .is_some_and(|r| r.contains("exit \"$BATCHGUARD_EXIT\""))
        })
        .expect("the step that exits with the scan's code");
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
    assert_eq!(files, r"\.(tf|tfvars|json|bicep|bicepparam)$");

    // The hook repository that installs the wheel: the same hook in Python, pinned to this version.
    let mirror = load("integrations/pre-commit/mirror/.pre-commit-hooks.yaml");
    let wheel_hook = &mirror.as_sequence().expect("a list of hooks")[0];
    assert_eq!(wheel_hook["language"], "python");
    for key in ["id", "entry", "files", "pass_filenames"] {
        assert_eq!(
            wheel_hook[key], hook[key],
            "`{key}` differs between the two hooks"
        );
    }
    let pyproject: toml::Value = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("integrations/pre-commit/mirror/pyproject.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(pyproject["project"]["version"].as_str(), Some(version));
    assert_eq!(
        pyproject["project"]["dependencies"][0].as_str(),
        Some(format!("batchguard=={version}").as_str())
    );
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
    // The extension downloads the release of its own version: it must be batchguard's.
    assert_eq!(package["version"], env!("CARGO_PKG_VERSION"));
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

/// The Action's installer (integrations/github-action/install.sh) against a release laid out as
/// GitHub serves it, from a `file://` URL: it installs the archive whose SHA-256 matches, refuses
/// one that does not (and builds nothing instead), and fails for a missing release or an
/// unsupported runner when told to use releases only.
#[test]
fn the_action_installs_the_release_binary_only_when_its_checksum_matches() {
    for tool in ["bash", "curl", "tar", "sha256sum"] {
        if Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map_or(true, |o| !o.status.success())
        {
            println!("skipped: `{tool}` is not installed");
            return;
        }
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = tempfile::tempdir().unwrap();
    let target = "x86_64-unknown-linux-musl";
    let archive = format!("batchguard-{target}.tar.gz");
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let release = t.path().join("releases/download").join(&tag);
    let stage = t.path().join("stage");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_batchguard"), stage.join("batchguard")).unwrap();
    std::fs::write(stage.join("LICENSE"), "MIT\n").unwrap();
    let sh = |script: &str, dir: &Path| {
        let o = Command::new("bash")
            .args(["-c", script])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{script}: {o:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    sh(
        &format!(
            "tar -czf '{}' -C '{}' .",
            release.join(&archive).display(),
            stage.display()
        ),
        t.path(),
    );
    let good = sh(&format!("sha256sum {archive}"), &release);
    std::fs::write(release.join(format!("{archive}.sha256")), &good).unwrap();

    let install = |name: &str, env: &[(&str, &str)]| {
        let root = t.path().join(name);
        let output = t.path().join(format!("{name}.output"));
        let mut c = Command::new("bash");
        c.arg(manifest.join("integrations/github-action/install.sh"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("BATCHGUARD_SOURCE", manifest)
            .env(
                "BATCHGUARD_RELEASES",
                format!("file://{}", t.path().join("releases").display()),
            )
            .env("BATCHGUARD_ROOT", &root)
            .env("BATCHGUARD_INSTALL", "release")
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", t.path().join(format!("{name}.path")));
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let installed = root.join("bin/batchguard");
        (o.status.success(), text, installed, output)
    };

    let (ok, text, installed, output) = install("good", &[]);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!("batchguard {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let out = std::fs::read_to_string(output).unwrap();
    assert_eq!(out.trim(), format!("path={}", installed.display()));
    let v = Command::new(&installed).arg("--version").output().unwrap();
    assert!(v.status.success());

    // A checksum that does not match: nothing is installed, whatever the install mode.
    std::fs::write(
        release.join(format!("{archive}.sha256")),
        format!("{}  {archive}\n", "0".repeat(64)),
    )
    .unwrap();
    for mode in ["release", "auto"] {
        let (ok, text, installed, _) =
            install(&format!("tampered-{mode}"), &[("BATCHGUARD_INSTALL", mode)]);
        assert!(!ok, "{mode}: {text}");
        assert!(
            text.contains("does not match its published SHA-256"),
            "{text}"
        );
        assert!(!text.contains("building from source"), "{text}");
        assert!(!installed.exists());
    }
    std::fs::write(release.join(format!("{archive}.sha256")), &good).unwrap();

    let (ok, text, _, _) = install("missing", &[("BATCHGUARD_VERSION", "v99.0.0")]);
    assert!(!ok);
    assert!(
        text.contains("could not download batchguard v99.0.0"),
        "{text}"
    );
    let (ok, text, _, _) = install("freebsd", &[("RUNNER_OS", "FreeBSD")]);
    assert!(!ok);
    assert!(text.contains("no release binary for FreeBSD/X64"), "{text}");
    let (ok, text, _, _) = install("bad-mode", &[("BATCHGUARD_INSTALL", "sometimes")]);
    assert!(!ok);
    assert!(
        text.contains("install must be auto, release or source"),
        "{text}"
    );
}
