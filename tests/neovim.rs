//! batchguard's language server in a real editor: headless Neovim, set up as
//! integrations/neovim.md says for its version (the snippet is read from there, so that the page
//! cannot drift from what works), opens a Terraform file with an NSG rule that allows SSH from anywhere and must show NET001 on
//! the right line; the code actions at it must arrive, and applying its quick fix in the buffer
//! must make the diagnostic go. Skipped, with the reason printed, where `nvim` is not installed (`.ci/run`
//! installs it on CI machines where it can).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const MAIN_TF: &str = r#"resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
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

/// A Neovim version, `(major, minor)`.
type Version = (u32, u32);

/// One setup of integrations/neovim.md: the heading it is under, and the Neovim versions it is for
/// (the first and, when it has one, the last).
struct Setup {
    heading: &'static str,
    first: Version,
    last: Option<Version>,
}

const SETUPS: &[Setup] = &[
    Setup {
        heading: "### Neovim 0.7",
        first: (0, 7),
        // `vim.lsp.start_client` is deprecated from 0.11 on.
        last: Some((0, 10)),
    },
    Setup {
        heading: "### Neovim 0.8 to 0.10",
        first: (0, 8),
        last: None,
    },
    Setup {
        heading: "### Neovim 0.11 and later",
        first: (0, 11),
        last: None,
    },
];

/// The installed Neovim's first `--version` line and its (major, minor).
fn nvim_version() -> Option<(String, Version)> {
    let out = Command::new("nvim").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap_or("").to_string();
    let number = line.split_whitespace().find_map(|w| w.strip_prefix('v'))?;
    let mut parts = number.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    let version = (parts.next()??, parts.next()??);
    Some((line, version))
}

/// The first Lua code block after `heading` in the Neovim page, as users copy it.
fn snippet(doc: &str, heading: &str) -> String {
    let at = doc
        .lines()
        .position(|l| l.trim_end() == heading)
        .unwrap_or_else(|| panic!("integrations/neovim.md has no `{heading}`"));
    let lines: Vec<&str> = doc.lines().skip(at + 1).collect();
    let start = lines
        .iter()
        .position(|l| l.trim_end() == "```lua")
        .unwrap_or_else(|| panic!("no Lua block under `{heading}`"));
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_end() == "```")
        .unwrap();
    lines[start + 1..start + 1 + end].join("\n") + "\n"
}

/// Each setup of integrations/neovim.md for the installed Neovim, run as written: `batchguard` is
/// on PATH, the snippet is sourced as an init.lua would be, and opening main.tf must start the
/// server through the FileType event and show NET001, whose quick fix then clears it. The setups
/// for other versions are skipped with the reason printed.
#[test]
fn neovim_shows_net001() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("integrations/neovim.md"),
    )
    .unwrap();
    // Every setup is found, whichever runs here.
    let snippets: Vec<(&Setup, String)> = SETUPS
        .iter()
        .map(|setup| (setup, snippet(&doc, setup.heading)))
        .collect();
    let Some((line, version)) = nvim_version() else {
        println!("skipped: `nvim` is not installed (apt-get install neovim, or see .ci/run)");
        return;
    };
    println!("using {line}");
    let mut ran = 0;
    for (setup, lua) in &snippets {
        let heading = setup.heading;
        if version < setup.first || setup.last.is_some_and(|last| version > last) {
            println!(
                "skipped `{heading}`: not for Neovim {}.{}",
                version.0, version.1
            );
            continue;
        }
        println!("running `{heading}`");
        run_setup(lua);
        ran += 1;
    }
    assert!(ran > 0, "no setup of integrations/neovim.md is for {line}");
}

fn run_setup(lua: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    std::fs::write(&file, MAIN_TF).unwrap();
    let setup = dir.path().join("setup.lua");
    std::fs::write(&setup, lua).unwrap();
    let out = dir.path().join("diagnostics.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/nvim_diagnostics.lua");
    // `batchguard` on PATH is the binary under test.
    let bin = Path::new(env!("CARGO_BIN_EXE_batchguard"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("PATH", path)
        .env("BATCHGUARD_SETUP", &setup)
        .env("BATCHGUARD_FILE", &file)
        .env("BATCHGUARD_OUT", &out)
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nvim starts");
    let mut waited = Duration::ZERO;
    while child.try_wait().unwrap().is_none() {
        if waited > Duration::from_secs(40) {
            let _ = child.kill();
            panic!("nvim did not quit within 40 s");
        }
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    }
    let text = std::fs::read_to_string(&out).expect("the script wrote its diagnostics");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["error"].is_null(), "{v:#}");
    assert_eq!(v["filetype"], "terraform", "{v:#}");
    // The FileType event started the server and attached the buffer to it.
    assert_eq!(v["clients"], serde_json::json!(["batchguard"]), "{v:#}");
    let diags = v["diagnostics"].as_array().unwrap();
    let net001: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["message"].as_str().unwrap_or("").contains("SSH"))
        .collect();
    assert_eq!(net001.len(), 1, "{v:#}");
    let line = MAIN_TF
        .lines()
        .position(|l| l.contains("source_address_prefix"))
        .unwrap();
    assert_eq!(net001[0]["lnum"], line, "{v:#}");
    assert_eq!(net001[0]["col"], 4, "{v:#}");
    assert_eq!(net001[0]["source"], "batchguard", "{v:#}");
    assert_eq!(net001[0]["code"], "NET001", "{v:#}");
    // Error severity in Neovim's numbering.
    assert_eq!(net001[0]["severity"], 1, "{v:#}");
    // The code actions arrived: the quick fix (unsafe, so not preferred) and a suppression.
    let titles: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("Fix NET001")), "{v:#}");
    assert!(
        titles.iter().any(|t| t.starts_with("Suppress NET001")),
        "{v:#}"
    );
    // Neovim applied the fix and sent the change: NET001 is gone.
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("source_address_prefix      = \"VirtualNetwork\""),
        "{text}"
    );
    let after = v["after"].as_array().unwrap();
    assert!(after.iter().all(|d| d["code"] != "NET001"), "{v:#}");
}
