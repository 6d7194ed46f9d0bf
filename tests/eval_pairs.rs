//! One pair of fixtures per evaluation mechanism (testdata/eval/pairs/<mechanism>): on the
//! violating side the mechanism produces an SSH rule open to the internet, reported as NET001
//! (BATCH010 for nested `dynamic` blocks) on exactly the lines marked `expect: NET001`, with a
//! related location naming where the value came from; on the compliant side the same template,
//! given a restricting tfvars file, parameters file or variable value (or, where the mechanism has
//! none, the smallest change), reports nothing. The `unknown_*` cases have a compliant side only:
//! a value that cannot be known is never a violation, and is no error either.

mod common;

use batchguard::eval::EvalOptions;
use batchguard::findings::Level;
use batchguard::rules::Options;
use batchguard::scan::{scan, ScanConfig, ScanOutput};
use common::manifest_dir;
use std::path::{Path, PathBuf};

/// Marks a line where a finding is expected: `expect: NET001` (or another rule, for a mechanism
/// that NSG rules cannot use).
const MARKER: &str = "expect: ";
/// Marks the line a related location must point at (in files that allow comments).
const ORIGIN_MARKER: &str = "origin: NET001";

fn pairs_dir() -> PathBuf {
    manifest_dir()
        .join("testdata/eval/pairs")
        .canonicalize()
        .expect("pairs fixtures exist")
}

fn side(mechanism: &str, side: &str) -> PathBuf {
    pairs_dir().join(mechanism).join(side)
}

fn run(dir: &Path, eval: EvalOptions) -> ScanOutput {
    scan(&ScanConfig {
        eval,
        config: Default::default(),
        paths: vec![dir.to_path_buf()],
        root: manifest_dir().canonicalize().unwrap(),
        options: Options::default(),
    })
    .expect("scan runs")
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_below(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// (rule, file path relative to the crate, 1-based line) of every line carrying `expect: RULE`.
fn expected(dir: &Path) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    for (file, line, text) in marked(dir, MARKER) {
        let rule = text.split(MARKER).nth(1).unwrap_or("");
        let rule: String = rule
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        out.push((rule, file, line));
    }
    out.sort();
    out
}

/// (file, line) of every line carrying `marker`.
fn marked_lines(dir: &Path, marker: &str) -> Vec<(String, usize)> {
    marked(dir, marker)
        .into_iter()
        .map(|(f, l, _)| (f, l))
        .collect()
}

/// (file path relative to the crate, 1-based line, line text) of every line carrying `marker`.
fn marked(dir: &Path, marker: &str) -> Vec<(String, usize, String)> {
    let root = manifest_dir().canonicalize().unwrap();
    let mut files = Vec::new();
    files_below(dir, &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let rel = rel_of(&f, &root);
        for (i, line) in text.lines().enumerate() {
            if line.contains(marker) {
                out.push((rel.clone(), i + 1, line.to_string()));
            }
        }
    }
    out
}

fn rel_of(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// (rule, file, line) of every finding of `rules`, sorted.
fn found(out: &ScanOutput, rules: &[String]) -> Vec<(String, String, usize)> {
    let mut v: Vec<(String, String, usize)> = out
        .findings
        .iter()
        .filter(|f| rules.iter().any(|r| r == f.rule))
        .map(|f| {
            let file = &out.files[f.span.file];
            (
                f.rule.to_string(),
                file.rel.clone(),
                file.position(f.span.start).line,
            )
        })
        .collect();
    v.sort();
    v
}

fn no_errors(out: &ScanOutput, what: &str) {
    let errors: Vec<_> = out
        .notifications
        .iter()
        .filter(|n| n.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

/// Where the violating value must come from: a file (by name) and a fragment of the related
/// location's message. The line is the one marked `origin: NET001` in that file, if any.
struct Origin {
    file: &'static str,
    message: &'static str,
}

fn origin(file: &'static str, message: &'static str) -> Option<Origin> {
    Some(Origin { file, message })
}

/// Checks one pair: findings exactly on the marked lines of the violating side, each with the
/// expected related location; nothing of those rules on the compliant side.
fn check_pair(
    mechanism: &str,
    violating: EvalOptions,
    compliant: EvalOptions,
    from: Option<Origin>,
) {
    let dir = side(mechanism, "violating");
    let out = run(&dir, violating);
    no_errors(&out, mechanism);
    let want = expected(&dir);
    assert!(!want.is_empty(), "{mechanism}: no `{MARKER}` marker");
    let mut rules: Vec<String> = want.iter().map(|w| w.0.clone()).collect();
    rules.push("NET001".into());
    rules.dedup();
    assert_eq!(
        found(&out, &rules),
        want,
        "{mechanism}: findings {:#?}",
        out.findings
            .iter()
            .map(|f| (f.rule, &f.message))
            .collect::<Vec<_>>()
    );
    if let Some(o) = from {
        let origin_lines = marked_lines(&dir, ORIGIN_MARKER);
        for f in out
            .findings
            .iter()
            .filter(|f| rules.iter().any(|r| r == f.rule))
        {
            let related: Vec<(String, usize, &str)> = f
                .related
                .iter()
                .map(|r| {
                    let rf = &out.files[r.span.file];
                    (
                        rf.rel.clone(),
                        rf.position(r.span.start).line,
                        r.message.as_str(),
                    )
                })
                .collect();
            let hit = related.iter().any(|(file, line, message)| {
                let marked: Vec<usize> = origin_lines
                    .iter()
                    .filter(|(f, _)| f == file)
                    .map(|(_, l)| *l)
                    .collect();
                file.rsplit('/').next() == Some(o.file)
                    && (marked.is_empty() || marked.contains(line))
                    && message.contains(o.message)
            });
            assert!(
                hit,
                "{mechanism}: no related location in {} containing {:?} (at the `{ORIGIN_MARKER}` \
                 line) among {related:#?}",
                o.file, o.message
            );
        }
    }

    let dir = side(mechanism, "compliant");
    let out = run(&dir, compliant);
    no_errors(&out, mechanism);
    assert!(
        expected(&dir).is_empty(),
        "{mechanism}: the compliant side has a marker"
    );
    assert_eq!(
        found(&out, &rules),
        Vec::<(String, String, usize)>::new(),
        "{mechanism}: compliant side"
    );
}

fn pair(mechanism: &str, from: Option<Origin>) {
    check_pair(
        mechanism,
        EvalOptions::default(),
        EvalOptions::default(),
        from,
    );
}

/// A compliant-only case: no NET001, and no notification at all.
fn silent(case: &str) {
    let dir = side(case, "compliant");
    let out = run(&dir, EvalOptions::default());
    assert!(
        out.notifications.is_empty(),
        "{case}: {:?}",
        out.notifications
    );
    assert_eq!(
        found(&out, &["NET001".to_string()]),
        Vec::<(String, String, usize)>::new(),
        "{case}"
    );
    assert!(!side(case, "violating").exists());
}

fn canonical(mechanism: &str, side_name: &str, file: &str) -> PathBuf {
    side(mechanism, side_name)
        .join(file)
        .canonicalize()
        .unwrap()
}

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Terraform

#[test]
fn tf_variable_default() {
    pair(
        "tf_variable_default",
        origin("main.tf", "default of variable `ssh_source`"),
    );
}

#[test]
fn tf_terraform_tfvars() {
    pair(
        "tf_terraform_tfvars",
        origin(
            "terraform.tfvars",
            "value of variable `ssh_source` (terraform.tfvars)",
        ),
    );
}

#[test]
fn tf_terraform_tfvars_json() {
    pair(
        "tf_terraform_tfvars_json",
        origin(
            "terraform.tfvars.json",
            "value of variable `ssh_source` (terraform.tfvars.json)",
        ),
    );
}

#[test]
fn tf_auto_tfvars_lexical_order() {
    pair(
        "tf_auto_tfvars",
        origin("b-access.auto.tfvars", "value of variable `ssh_source`"),
    );
}

/// `--var` and `--var-file` apply in command-line order: the later wins.
#[test]
fn tf_var_file_and_var_order() {
    let m = "tf_var_file";
    let violating = EvalOptions {
        vars: vars(&[("ssh_source", "10.0.0.0/8")]),
        var_files: vec![canonical(m, "violating", "open.tfvars")],
        cli_order: vec![false, true],
        ..Default::default()
    };
    let compliant = EvalOptions {
        vars: vars(&[("ssh_source", "10.0.0.0/8")]),
        var_files: vec![canonical(m, "compliant", "open.tfvars")],
        cli_order: vec![true, false],
        ..Default::default()
    };
    check_pair(
        m,
        violating,
        compliant,
        origin("open.tfvars", "value of variable `ssh_source`"),
    );
}

#[test]
fn tf_var_on_the_command_line() {
    let violating = EvalOptions {
        vars: vars(&[("ssh_source", "0.0.0.0/0")]),
        cli_order: vec![false],
        ..Default::default()
    };
    let compliant = EvalOptions {
        vars: vars(&[("ssh_source", "10.0.0.0/8")]),
        cli_order: vec![false],
        ..Default::default()
    };
    check_pair("tf_var", violating, compliant, None);
}

/// `TF_VAR_name` overrides the default; a tfvars file overrides `TF_VAR_name`.
#[test]
fn tf_var_environment() {
    let env = EvalOptions {
        env_vars: vars(&[("ssh_source", "*")]),
        ..Default::default()
    };
    check_pair("tf_env_var", env.clone(), env, None);
}

#[test]
fn tf_locals() {
    pair(
        "tf_locals",
        origin("terraform.tfvars", "value of variable `environment`"),
    );
}

#[test]
fn tf_conditional() {
    pair(
        "tf_conditional",
        origin("terraform.tfvars", "value of variable `allow_public_ssh`"),
    );
}

#[test]
fn tf_for_expression_into_dynamic() {
    pair(
        "tf_for_expression",
        origin("terraform.tfvars", "value of variable `admin_source`"),
    );
}

#[test]
fn tf_splat() {
    pair(
        "tf_splat",
        origin("terraform.tfvars", "value of variable `admin_networks`"),
    );
}

#[test]
fn tf_string_template() {
    pair(
        "tf_string_template",
        origin("terraform.tfvars", "value of variable `prefix_length`"),
    );
}

#[test]
fn tf_functions_format_lookup_merge() {
    pair(
        "tf_functions_lookup_merge",
        origin("terraform.tfvars", "value of variable `extra_sources`"),
    );
}

#[test]
fn tf_functions_coalesce_element_concat_join_split() {
    pair(
        "tf_functions_lists",
        origin("terraform.tfvars", "value of variable `office_sources`"),
    );
}

#[test]
fn tf_functions_cidrsubnet() {
    pair(
        "tf_functions_cidrsubnet",
        origin("terraform.tfvars", "value of variable `address_space`"),
    );
}

#[test]
fn tf_count_index() {
    pair(
        "tf_count",
        origin("terraform.tfvars", "value of variable `ssh_sources`"),
    );
}

#[test]
fn tf_for_each_map() {
    pair(
        "tf_for_each",
        origin("terraform.tfvars", "value of variable `ssh_rules`"),
    );
}

#[test]
fn tf_dynamic_over_variable() {
    pair(
        "tf_dynamic",
        origin("main.tf", "default of variable `rules`"),
    );
}

/// NSG rules have no nested blocks, so nested `dynamic` blocks are shown on a Batch pool's
/// endpoints and their NSG rules: the open one is BATCH010, the same exposure through a NAT pool.
#[test]
fn tf_nested_dynamic() {
    pair(
        "tf_nested_dynamic",
        origin("terraform.tfvars", "value of variable `endpoints`"),
    );
}

/// Objects whose optional attributes are left out: the type's default fills one, `null` the
/// others (a `source_port_ranges` left out is not a rule of unknown source ports).
#[test]
fn tf_optional_object_attributes() {
    pair(
        "tf_optional_attributes",
        origin("main.tf", "default of variable `rules`"),
    );
}

#[test]
fn tf_local_module_argument() {
    pair(
        "tf_module",
        origin("main.tf", "argument `ssh_source` of module.bastion"),
    );
}

#[test]
fn tf_resource_reference() {
    pair("tf_resource_reference", None);
}

// ---------------------------------------------------------------------------------------------
// ARM

#[test]
fn arm_default_value() {
    pair(
        "arm_default_value",
        origin("nsg.json", "default value of parameter `sshSource`"),
    );
}

#[test]
fn arm_parameters_file() {
    pair(
        "arm_parameters_file",
        origin(
            "nsg.parameters.json",
            "value of parameter `sshSource` (nsg.parameters.json)",
        ),
    );
}

/// `--parameters TEMPLATE=FILE` is used instead of the parameters file beside the template.
#[test]
fn arm_parameters_option() {
    let m = "arm_parameters_option";
    let opts = |side_name: &str, file: &str| EvalOptions {
        parameters: vec![(
            canonical(m, side_name, "nsg.json"),
            canonical(m, side_name, file),
        )],
        ..Default::default()
    };
    check_pair(
        m,
        opts("violating", "internet.parameters.json"),
        opts("compliant", "private.parameters.json"),
        origin(
            "internet.parameters.json",
            "value of parameter `sshSource` (internet.parameters.json)",
        ),
    );
}

#[test]
fn arm_variables() {
    pair(
        "arm_variables",
        origin("nsg.parameters.json", "value of parameter `exposure`"),
    );
}

#[test]
fn arm_variable_copy() {
    pair(
        "arm_variable_copy",
        origin("nsg.parameters.json", "value of parameter `adminSources`"),
    );
}

#[test]
fn arm_functions_concat_format_if_coalesce() {
    pair(
        "arm_functions_format_if",
        origin("nsg.json", "value of variable `defaultSource`"),
    );
}

#[test]
fn arm_functions_arrays_and_strings() {
    pair(
        "arm_functions_arrays",
        origin("nsg.parameters.json", "value of parameter `sshSources`"),
    );
}

#[test]
fn arm_property_copy() {
    pair(
        "arm_property_copy",
        origin("nsg.parameters.json", "value of parameter `admins`"),
    );
}

#[test]
fn arm_resource_copy() {
    pair(
        "arm_resource_copy",
        origin("nsg.parameters.json", "value of parameter `sshSources`"),
    );
}

#[test]
fn arm_condition() {
    pair("arm_condition", None);
}

#[test]
fn arm_nested_inner_scope() {
    pair(
        "arm_nested_inner",
        // The value passed to the inner template came from the parent's parameters file: the
        // origin follows it there.
        origin(
            "nsg.parameters.json",
            "(passed to the nested template as `sshSource`)",
        ),
    );
}

#[test]
fn arm_nested_outer_scope() {
    pair(
        "arm_nested_outer",
        origin("nsg.json", "default value of parameter `sshSource`"),
    );
}

#[test]
fn arm_symbolic_resources() {
    pair(
        "arm_symbolic_resources",
        origin("nsg.json", "default value of parameter `sshSource`"),
    );
}

// ---------------------------------------------------------------------------------------------
// Unknown stays silent

#[test]
fn unknown_arm_parameter_without_value() {
    silent("unknown_arm_parameter");
}

#[test]
fn unknown_tf_variable_without_default() {
    silent("unknown_tf_variable");
}

#[test]
fn unknown_arm_reference() {
    silent("unknown_arm_reference");
}

#[test]
fn unknown_tf_data_source() {
    silent("unknown_tf_data_source");
}
