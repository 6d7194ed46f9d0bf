//! Compiles `src/frontend/bicep_scanner.c`, the guard on tree-sitter-bicep's external scanner
//! (see that file), against the tree-sitter runtime's own `parser.h`, which defines the layout of
//! a language.

use std::path::PathBuf;

fn main() {
    let shim = "src/frontend/bicep_scanner.c";
    println!("cargo:rerun-if-changed={shim}");
    // The runtime exports its public headers' folder; `parser.h` is in `src` beside it.
    let include = std::env::var("DEP_TREE_SITTER_INCLUDE")
        .expect("the tree-sitter crate names its include folder (DEP_TREE_SITTER_INCLUDE)");
    let runtime_src = PathBuf::from(include).join("..").join("src");
    cc::Build::new()
        .std("c11")
        .include(&runtime_src)
        .file(shim)
        .warnings(false)
        .compile("batchguard_bicep_scanner");
}
