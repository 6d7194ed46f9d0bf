//! batchguard: a static analyzer for Azure Batch and Azure Machine Learning network security in
//! Terraform (azurerm, azapi) and ARM templates. See ARCHITECTURE.md for the pipeline.

pub mod alloc;
pub mod catalogue;
pub mod cli;
pub mod controls;
pub mod eval;
pub mod findings;
pub mod fix;
pub mod frontend;
pub mod graph;
pub mod hash;
pub mod ir;
pub mod lsp;
pub mod net;
pub mod report;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod source;
pub mod stack;
#[cfg(test)]
mod testing;
pub mod testrules;
pub mod tri;
