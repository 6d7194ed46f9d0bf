//! batchguard's language server in a real editor: headless Neovim, with its built-in LSP client,
//! opens a Terraform file with an NSG rule that allows SSH from anywhere and must show NET001 on
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

fn nvim_version() -> Option<String> {
    let out = Command::new("nvim").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().next().unwrap_or("").to_string())
}

#[test]
fn neovim_shows_net001() {
    let Some(version) = nvim_version() else {
        println!("skipped: `nvim` is not installed (apt-get install neovim, or see .ci/run)");
        return;
    };
    println!("using {version}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    std::fs::write(&file, MAIN_TF).unwrap();
    let out = dir.path().join("diagnostics.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/nvim_diagnostics.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("BATCHGUARD_BIN", env!("CARGO_BIN_EXE_batchguard"))
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
