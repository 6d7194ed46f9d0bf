//! What users control on top of the rules: inline suppressions, a baseline of accepted findings,
//! and the `batchguard.toml` configuration. Depends on `findings`, `ir`, `source` and rule
//! metadata; runs after the rules, before the reporters.

pub mod baseline;
pub mod config;
pub mod rulefile;
pub mod suppress;
