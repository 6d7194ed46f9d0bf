//! Front-ends: one per syntax, each lowering its files into the common IR ([`crate::ir`]).
//!
//! - [`arm`]: ARM JSON templates and parameter files (`jsonc-parser`, spans kept).
//! - [`terraform`]: `.tf` and `.tfvars` files (`hcl-edit`, spans kept); dispatches each resource
//!   block to [`azurerm`] (mapping table onto the ARM shape) or [`azapi`] (ARM body as written).
//!   `.tf.json` files are translated to HCL first ([`tfjson`]), spans mapped back to the JSON.
//! - [`plan`]: Terraform plans in JSON, their planned values translated the same way.
//!
//! Front-ends depend on `ir` and `source` only.

pub mod arm;
pub mod azapi;
pub mod azurerm;
pub mod bicep;
pub mod budget;
pub mod hcl;
pub mod hcl_parse;
pub mod plan;
pub mod terraform;
pub mod tfjson;

use crate::ir::spelling::Need;

/// The syntaxes batchguard reads templates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Syntax {
    Arm,
    Azurerm,
    Azapi,
    /// Bicep, read as the ARM template it compiles to.
    Bicep,
}

/// The syntaxes that can write everything a rule needs: ARM templates, Bicep and azapi bodies
/// write any ARM property of any type; azurerm only what its mapping table maps.
pub fn syntaxes(needs: &[Need]) -> Vec<Syntax> {
    let mut out = vec![Syntax::Arm];
    if needs.iter().all(azurerm::expresses) {
        out.push(Syntax::Azurerm);
    }
    out.push(Syntax::Azapi);
    out.push(Syntax::Bicep);
    out
}

/// Which front-end reads a path, by its name alone. `.json` files are confirmed by content
/// (see [`arm::load`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Terraform,
    Tfvars,
    Json,
    /// A `.bicep` template.
    Bicep,
    /// A `.bicepparam` parameters file.
    BicepParams,
    /// A Terraform plan in JSON named by `--plan` (a `.json` file is recognised as a plan by its
    /// content too).
    Plan,
}

pub fn input_kind(path: &std::path::Path) -> Option<InputKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf") || lower.ends_with(".tf.json") {
        Some(InputKind::Terraform)
    } else if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
        Some(InputKind::Tfvars)
    } else if lower.ends_with(".json") {
        Some(InputKind::Json)
    } else if lower.ends_with(".bicep") {
        Some(InputKind::Bicep)
    } else if lower.ends_with(".bicepparam") {
        Some(InputKind::BicepParams)
    } else {
        None
    }
}
