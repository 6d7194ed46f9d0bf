//! What lies outside the repository being scanned never changes its scan (configuration and
//! ignore files are looked up only inside it), and a scan neither opens a network connection nor
//! runs a process.

mod common;

use common::lsp::{file_uri, Client, Pipes};
use serde_json::{json, Value};
use std::fs;
use std::path::Path;
use std::process::Command;

const NSG_TF: &str = r#"resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
"#;

/// `batchguard scan --format json` in `dir`: the (rule, level, path) of each finding.
fn findings(dir: &Path) -> Vec<(String, String, String)> {
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("rule"), s("level"), s("path"))
        })
        .collect()
}

fn net001(level: &str, path: &str) -> (String, String, String) {
    ("NET001".into(), level.into(), path.into())
}

/// A `.gitignore` and a `batchguard.toml` around a checkout (in a home folder, in a CI
/// workspace) would hide its inputs and turn its rules off; they are not read. Inside the
/// checkout they apply, from a sub-folder too.
#[test]
fn configuration_and_ignore_files_above_the_repository_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let outer = tmp.path();
    fs::write(outer.join(".gitignore"), "*.tf\nrepo/\nplain/\n").unwrap();
    fs::write(outer.join(".ignore"), "*.tf\n").unwrap();
    fs::write(
        outer.join("batchguard.toml"),
        "exclude = [\"**\"]\n[rules]\ndisable = [\"NET001\"]\n",
    )
    .unwrap();

    // A git work tree (`.git` a folder, or a file in a worktree).
    let repo = outer.join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("sub/skipped")).unwrap();
    fs::write(repo.join("main.tf"), NSG_TF).unwrap();
    fs::write(repo.join("sub/main.tf"), NSG_TF).unwrap();
    fs::write(repo.join("sub/skipped/main.tf"), NSG_TF).unwrap();
    assert_eq!(
        findings(&repo),
        vec![
            net001("error", "main.tf"),
            net001("error", "sub/main.tf"),
            net001("error", "sub/skipped/main.tf")
        ]
    );
    // The repository's own files apply, to a scan of a sub-folder too.
    fs::write(repo.join(".gitignore"), "skipped/\n").unwrap();
    fs::write(
        repo.join("batchguard.toml"),
        "[rules.level]\nNET001 = \"warning\"\n",
    )
    .unwrap();
    assert_eq!(
        findings(&repo.join("sub")),
        vec![net001("warning", "main.tf")]
    );
    let worktree = outer.join("worktree");
    fs::create_dir_all(&worktree).unwrap();
    fs::write(
        worktree.join(".git"),
        "gitdir: /elsewhere/.git/worktrees/w\n",
    )
    .unwrap();
    fs::write(worktree.join("main.tf"), NSG_TF).unwrap();
    assert_eq!(findings(&worktree), vec![net001("error", "main.tf")]);

    // Outside git the scan root is the top.
    let plain = outer.join("plain");
    fs::create_dir_all(plain.join("sub")).unwrap();
    fs::write(plain.join("sub/main.tf"), NSG_TF).unwrap();
    assert_eq!(findings(&plain), vec![net001("error", "sub/main.tf")]);
    assert_eq!(
        findings(&plain.join("sub")),
        vec![net001("error", "main.tf")]
    );
}

/// Under `strace -f -e trace=network,execve`, a scan of Terraform, tfvars, ARM templates and
/// parameters makes no network call and runs no process: the only traced call is the execve
/// that starts batchguard. Skipped, with a message, where strace is absent or cannot trace.
#[test]
fn a_scan_opens_no_connection_and_runs_no_process() {
    let probe = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: strace is absent or cannot trace here");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    fs::create_dir_all(d.path().join("arm")).unwrap();
    fs::write(
        d.path().join("main.tf"),
        format!(
            "{NSG_TF}\nvariable \"v\" {{}}\nlocals {{\n  f = file(\"x.txt\")\n  t = templatefile(\"x.tpl\", {{}})\n}}\nmodule \"m\" {{\n  source = \"git::https://example.com/m.git\"\n}}\nmodule \"r\" {{\n  source = \"Azure/network/azurerm\"\n}}\n"
        ),
    )
    .unwrap();
    fs::write(d.path().join("terraform.tfvars"), "v = 1\n").unwrap();
    fs::write(
        d.path().join("arm/azuredeploy.json"),
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "parameters": {"p": {"type": "string"}},
            "resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
              "name": "linked", "properties": {"mode": "Incremental",
              "templateLink": {"uri": "https://example.com/t.json"}}}]}"#,
    )
    .unwrap();
    fs::write(
        d.path().join("arm/azuredeploy.parameters.json"),
        r#"{"parameters": {"p": {"value": "x"}}}"#,
    )
    .unwrap();
    let trace = d.path().join("trace.txt");
    for format in ["console", "sarif", "json"] {
        let o = Command::new("strace")
            .current_dir(d.path())
            .arg("-f")
            .arg("-e")
            .arg("trace=network,execve")
            .arg("-o")
            .arg(&trace)
            .arg(env!("CARGO_BIN_EXE_batchguard"))
            .args(["scan", "--format", format, "--fail-on", "never"])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = fs::read_to_string(&trace).unwrap();
        let calls = traced_calls(&text);
        assert_eq!(calls.len(), 1, "{format}: {text}");
        assert_eq!(calls[0].0, "execve", "{text}");
        assert!(
            calls[0].1.contains(env!("CARGO_BIN_EXE_batchguard")),
            "{text}"
        );
    }
}

/// The language server, traced the same way through a whole conversation (open, analysis,
/// diagnostics, shutdown), makes no network call and runs no process.
#[test]
fn the_language_server_opens_no_connection_and_runs_no_process() {
    let probe = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: strace is absent or cannot trace here");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().canonicalize().unwrap();
    let main = dir.join("main.tf");
    fs::write(&main, NSG_TF).unwrap();
    let trace = dir.join("trace.txt");
    let mut command = Command::new("strace");
    command
        .args(["-f", "-e", "trace=network,execve", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_batchguard"))
        .arg("lsp");
    let mut client = Pipes::spawn_command(command);
    client.initialize(json!({ "capabilities": {} }));
    let uri = file_uri(&main);
    client.open(&uri, "terraform", 1, NSG_TF);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().any(|d| d["code"] == "NET001"), "{diags:#?}");
    client.shutdown_and_exit(2);
    assert_eq!(client.wait().code(), Some(0));
    let text = fs::read_to_string(&trace).unwrap();
    let calls = traced_calls(&text);
    assert_eq!(calls.len(), 1, "{text}");
    assert_eq!(calls[0].0, "execve", "{text}");
}

/// The system calls in an `strace -f -o` log, as (name, line). Left out: process exits and
/// signals (`+++ exited`, `--- SIG`), the second half of a call strace split in two
/// (`<... connect resumed>`: its first half is already counted), and the `???(` strace writes
/// for a thread that was inside an untraced call when the process ended — it names no call
/// and is not one of those traced.
fn traced_calls(text: &str) -> Vec<(String, &str)> {
    text.lines()
        .filter_map(|line| {
            // "PID name(args…" — the pid is there with -f.
            let rest = line.trim_start();
            let rest = rest
                .split_once(' ')
                .filter(|(pid, _)| pid.chars().all(|c| c.is_ascii_digit()))
                .map_or(rest, |(_, r)| r)
                .trim_start();
            if rest.starts_with("+++") || rest.starts_with("---") || rest.starts_with("<...") {
                return None;
            }
            let name = rest.split('(').next().unwrap_or("").trim();
            if name.is_empty() || name == "???" {
                return None;
            }
            Some((name.to_string(), line))
        })
        .collect()
}

/// The log CI printed when a worker thread was caught inside a call at exit: one traced call.
#[test]
fn strace_artefacts_are_not_counted_as_calls() {
    let log = "28646 execve(\"/x/batchguard\", [\"/x/batchguard\", \"scan\"], 0x7ffc /* 60 vars */) = 0\n\
               28649 +++ exited with 0 +++\n\
               28648 ???( <unfinished ...>\n\
               28647 --- SIGCHLD {si_signo=SIGCHLD} ---\n\
               28650 connect(3, {sa_family=AF_INET}, 16 <unfinished ...>\n\
               28650 <... connect resumed>) = 0\n\
               28646 +++ exited with 0 +++\n";
    let calls = traced_calls(log);
    let names: Vec<&str> = calls.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["execve", "connect"]);
}
