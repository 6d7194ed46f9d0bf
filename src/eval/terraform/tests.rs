use super::value::is_error;
use super::*;
use crate::frontend::{input_kind, terraform};
use crate::ir::{Node, Reference, Resource, Span, Value};
use std::path::PathBuf;

struct Scanned {
    files: Vec<SourceFile>,
    scopes: Vec<Scope>,
    notes: Vec<Notification>,
    /// Every resource block evaluated as written, by address.
    blocks: Vec<(String, Node)>,
}

fn run(inputs: &[(&str, &str)], opts: &EvalOptions) -> Scanned {
    run_in(std::path::Path::new("/t"), inputs, opts)
}

/// [`run`] with the files at `root` on disk (they need not be written there).
fn run_in(root: &std::path::Path, inputs: &[(&str, &str)], opts: &EvalOptions) -> Scanned {
    let mut sorted: Vec<(&str, &str)> = inputs.to_vec();
    sorted.sort();
    let files: Vec<SourceFile> = sorted
        .iter()
        .enumerate()
        .map(|(i, (rel, text))| SourceFile::new(i, root.join(rel), rel.to_string(), text))
        .collect();
    let mut docs: Vec<Document> = Vec::new();
    let mut bodies = Bodies::new();
    for f in &files {
        let parsed = terraform::load(f, input_kind(&f.path).unwrap());
        if let Some(body) = parsed.body {
            bodies.insert(f.id, body);
        }
        docs.push(parsed.doc);
    }
    let mut notes = Vec::new();
    let scopes = scopes(&files, &docs, &bodies, opts, &mut notes);
    let modules = module_dirs(&files, &docs);
    let shared = Shared::new(&files, &docs, &bodies, modules.clone(), Default::default());
    let blocks = modules
        .iter()
        .flat_map(|(dir, ds)| module::evaluated_blocks(&shared, dir, ds.clone(), opts))
        .collect();
    drop(shared);
    Scanned {
        files,
        scopes,
        notes,
        blocks,
    }
}

fn eval(inputs: &[(&str, &str)]) -> Scanned {
    run(inputs, &EvalOptions::default())
}

impl Scanned {
    fn all(&self) -> Vec<&Resource> {
        self.scopes
            .iter()
            .flat_map(|s| s.resources.iter())
            .collect()
    }
    fn res(&self, addr: &str) -> &Resource {
        self.all()
            .into_iter()
            .find(|r| r.tf_address.as_deref() == Some(addr))
            .unwrap_or_else(|| panic!("no {addr} in {:?}", self.addresses()))
    }
    fn addresses(&self) -> Vec<String> {
        self.all()
            .iter()
            .filter_map(|r| r.tf_address.clone())
            .collect()
    }
    /// The resource block at `addr` as written, evaluated.
    fn block(&self, addr: &str) -> &Node {
        self.blocks
            .iter()
            .find(|(a, _)| a == addr)
            .map(|(_, b)| b)
            .unwrap_or_else(|| panic!("no block {addr}"))
    }
    /// Attribute `k` of the resource block at `addr` as written (evaluated).
    fn attr(&self, addr: &str, k: &str) -> Node {
        self.block(addr)
            .member(k)
            .map(|m| m.value.clone())
            .unwrap_or_else(|| panic!("no {k}"))
    }
    fn text(&self, s: Span) -> &str {
        &self.files[s.file].text[s.start..s.end]
    }
}

const NSG: &str = "azurerm_network_security_group.n";

/// A module whose NSG has the given attributes.
fn nsg(attrs: &str) -> String {
    format!("resource \"azurerm_network_security_group\" \"n\" {{\n{attrs}\n}}\n")
}

fn value_of(expr: &str, extra: &str) -> Node {
    let main = nsg(&format!("  x = {expr}\n")) + extra;
    eval(&[("main.tf", &main)]).attr(NSG, "x")
}

fn s(expr: &str, extra: &str) -> Option<String> {
    value_of(expr, extra).as_str().map(str::to_string)
}

#[test]
fn variable_precedence_each_source() {
    let decl = "variable \"v\" {\n  default = \"default\"\n}\n";
    let main = nsg("  name = var.v") + decl;
    let name = |inputs: &[(&str, &str)], opts: &EvalOptions| {
        run(inputs, opts).res(NSG).name().map(str::to_string)
    };
    let none = EvalOptions::default();
    assert_eq!(
        name(&[("main.tf", &main)], &none).as_deref(),
        Some("default")
    );
    let env = EvalOptions {
        env_vars: vec![("v".into(), "env".into())],
        ..Default::default()
    };
    assert_eq!(name(&[("main.tf", &main)], &env).as_deref(), Some("env"));
    let tfvars = [
        ("main.tf", main.as_str()),
        ("terraform.tfvars", "v = \"tfvars\"\n"),
    ];
    assert_eq!(name(&tfvars, &env).as_deref(), Some("tfvars"));
    let json = [
        ("main.tf", main.as_str()),
        ("terraform.tfvars", "v = \"tfvars\"\n"),
        ("terraform.tfvars.json", "{\"v\": \"json\"}"),
    ];
    assert_eq!(name(&json, &env).as_deref(), Some("json"));
    let auto = [
        ("main.tf", main.as_str()),
        ("terraform.tfvars.json", "{\"v\": \"json\"}"),
        ("b.auto.tfvars", "v = \"b-auto\"\n"),
        ("a.auto.tfvars.json", "{\"v\": \"a-auto\"}"),
    ];
    assert_eq!(name(&auto, &none).as_deref(), Some("b-auto"));
    let cli_files = [
        ("main.tf", main.as_str()),
        ("b.auto.tfvars", "v = \"b-auto\"\n"),
        ("custom.tfvars", "v = \"file\"\n"),
    ];
    let file_then_var = EvalOptions {
        var_files: vec![PathBuf::from("/t/custom.tfvars")],
        vars: vec![("v".into(), "cli".into())],
        cli_order: vec![true, false],
        ..Default::default()
    };
    assert_eq!(name(&cli_files, &file_then_var).as_deref(), Some("cli"));
    let var_then_file = EvalOptions {
        cli_order: vec![false, true],
        ..file_then_var.clone()
    };
    assert_eq!(name(&cli_files, &var_then_file).as_deref(), Some("file"));
    // No value at all: Unknown.
    let bare = nsg("  name = var.w") + "variable \"w\" {}\n";
    let r = eval(&[("main.tf", &bare)]);
    assert_eq!(r.res(NSG).name(), None);
}

#[test]
fn cli_values_follow_the_declared_type() {
    let main = nsg("  x = var.l[1]\n  y = var.n + 1")
        + "variable \"l\" {\n  type = list(string)\n}\nvariable \"n\" {\n  type = number\n}\n";
    let opts = EvalOptions {
        vars: vec![
            ("l".into(), "[\"a\", \"b\"]".into()),
            ("n".into(), "41".into()),
        ],
        cli_order: vec![false, false],
        ..Default::default()
    };
    let r = run(&[("main.tf", &main)], &opts);
    assert_eq!(r.attr(NSG, "x").as_str(), Some("b"));
    assert_eq!(r.attr(NSG, "y").value, Value::Number(42.0));
}

/// Values Terraform refuses for a variable's type are errors where they are written (the
/// declaration's `type` for the command line and the environment), and the variable is unknown;
/// values it converts (`"22"` for a number, `1` for a bool, a tuple for a list) are not.
#[test]
fn values_terraform_refuses_for_the_type_are_errors() {
    let main = nsg("  p = var.port\n  o = var.open\n  r = var.rules")
        + r#"variable "port" {
  type = number
}
variable "open" {
  type = bool
}
variable "rules" {
  type = list(object({
    name     = string
    priority = number
    ports    = optional(list(string))
  }))
}
"#;
    let errors = |r: &Scanned| -> Vec<String> {
        r.notes
            .iter()
            .filter(|n| n.level == Level::Error)
            .map(|n| format!("{}: {}", r.text(n.span.unwrap()), n.message))
            .collect()
    };
    let cli = |vars: &[(&str, &str)], env: &[(&str, &str)]| EvalOptions {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        env_vars: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        cli_order: vec![false; vars.len()],
        ..Default::default()
    };
    // Accepted as Terraform converts them.
    let ok = run(
        &[
            ("main.tf", &main),
            (
                "terraform.tfvars",
                "rules = [{ name = \"a\", priority = \"100\" }]\n",
            ),
        ],
        &cli(&[("port", " 22 "), ("open", "1")], &[]),
    );
    assert_eq!(errors(&ok), Vec::<String>::new());
    assert_eq!(ok.attr(NSG, "p").value, Value::Number(22.0));
    assert_eq!(ok.attr(NSG, "o").value, Value::Bool(true));
    // Refused: a word for a number, `yes` for a bool, text that does not parse for a list.
    let bad = run(
        &[("main.tf", &main)],
        &cli(
            &[("port", "ssh"), ("rules", "[{name = \"x\"")],
            &[("open", "yes")],
        ),
    );
    let list = "type = list(object({\n    name     = string\n    priority = number\n    ports    = optional(list(string))\n  }))";
    assert_eq!(
        errors(&bad),
        [
            "type = bool: the value `TF_VAR_open` gives variable `open` is not a bool; Terraform refuses it, so the variable is unknown".to_string(),
            "type = number: the value `--var port=…` gives variable `port` is not a number; Terraform refuses it, so the variable is unknown".to_string(),
            format!("{list}: the value `--var rules=…` gives variable `rules` does not parse as an HCL expression (expected `]`); Terraform refuses it, so the variable is unknown"),
        ]
    );
    for k in ["p", "o", "r"] {
        assert!(matches!(bad.attr(NSG, k).value, Value::Unknown(_)), "{k}");
    }
    // In a variable file: at the refused part (at the name in JSON), with its path in the value.
    let file = run(
        &[
            ("main.tf", &main),
            (
                "terraform.tfvars",
                "rules = [{ name = \"a\", priority = 1 }, { name = \"b\", priority = \"high\" }]\n",
            ),
            ("terraform.tfvars.json", "{\"port\": [22]}"),
        ],
        &EvalOptions::default(),
    );
    assert_eq!(
        errors(&file),
        [
            "\"high\": `[1].priority` in the value `terraform.tfvars` gives variable `rules` is not a number; Terraform refuses it, so the variable is unknown",
            "\"port\": the value `terraform.tfvars.json` gives variable `port` is not a number; Terraform refuses it, so the variable is unknown",
        ]
    );
    // A required attribute left out.
    let missing = run(
        &[
            ("main.tf", &main),
            ("terraform.tfvars", "rules = [{ priority = 1 }]\n"),
        ],
        &EvalOptions::default(),
    );
    assert!(errors(&missing)[0].ends_with(
        "`[0]` in the value `terraform.tfvars` gives variable `rules` has no attribute `name`, which the type requires; Terraform refuses it, so the variable is unknown"
    ));
}

/// The JSON of a value (every part known), for comparing a whole structure.
fn json_of(n: &Node) -> serde_json::Value {
    super::value::to_json(n, 0).expect("a known value")
}

#[test]
fn optional_object_attributes_take_their_defaults() {
    let decl = r#"
variable "v" {
  type = list(object({
    name   = string
    prefix = optional(string, "*")
    ports  = optional(set(string))
    inner  = optional(object({ a = optional(number, 1), b = optional(bool) }), {})
  }))
  default = [
    { name = "given", prefix = "10.0.0.0/8", ports = ["22"], inner = { a = 2 }, extra = true },
    { name = "left", prefix = null },
  ]
}
"#;
    let x = value_of("var.v", decl);
    assert_eq!(
        json_of(&x),
        serde_json::json!([
            { "name": "given", "prefix": "10.0.0.0/8", "ports": ["22"], "inner": { "a": 2, "b": null } },
            { "name": "left", "prefix": "*", "ports": null, "inner": { "a": 1, "b": null } },
        ])
    );
}

#[test]
fn types_convert_through_maps_tuples_and_module_arguments() {
    let decl = r#"
variable "m" {
  type    = map(tuple([string, object({ p = optional(string, "d") })]))
  default = { k = ["s", {}] }
}
"#;
    assert_eq!(
        json_of(&value_of("var.m", decl)),
        serde_json::json!({ "k": ["s", { "p": "d" }] })
    );
    // A child module's variable, given by its caller.
    let child = "variable \"rules\" {\n  type = map(object({ src = optional(string, \"*\"), ports = optional(list(string)) }))\n}\noutput \"o\" {\n  value = var.rules\n}\n";
    let main = nsg("  x = module.c.o")
        + "module \"c\" {\n  source = \"./c\"\n  rules  = { ssh = {} }\n}\n";
    let r = eval(&[("main.tf", &main), ("c/main.tf", child)]);
    assert_eq!(
        json_of(&r.attr(NSG, "x")),
        serde_json::json!({ "ssh": { "src": "*", "ports": null } })
    );
    // What is not known, or not of the type's shape, is left as it is.
    let decl = "variable \"u\" {\n  type = object({ a = optional(string, \"x\") })\n  default = \"text\"\n}\n";
    assert_eq!(s("var.u", decl).as_deref(), Some("text"));
    let decl = "variable \"w\" {\n  type = object({ a = optional(string, \"x\") })\n}\n";
    assert!(value_of("var.w", decl).is_unknown());
}

#[test]
fn provenance_names_default_and_tfvars_entry() {
    let main = nsg("  name = var.v") + "variable \"v\" {\n  default = \"d\"\n}\n";
    let r = eval(&[("main.tf", &main)]);
    let p = &r.res(NSG).provenance;
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].label, "default of variable `v`");
    assert_eq!(r.text(p[0].from), "default = \"d\"");
    assert_eq!(r.text(p[0].used_at), "var.v");
    let r = eval(&[("main.tf", &main), ("terraform.tfvars", "v = \"t\"\n")]);
    let p = &r.res(NSG).provenance;
    assert_eq!(p[0].label, "value of variable `v` (terraform.tfvars)");
    assert_eq!(r.text(p[0].from), "v = \"t\"");
    // Through a local, the variable is still named where the local is used.
    let main = nsg("  name = local.l")
        + "variable \"v\" {\n  default = \"d\"\n}\nlocals {\n  l = \"${var.v}-x\"\n}\n";
    let r = eval(&[("main.tf", &main)]);
    assert_eq!(r.res(NSG).name(), Some("d-x"));
    let p = &r.res(NSG).provenance;
    assert_eq!(r.text(p[0].used_at), "local.l");
    // Then the local itself, by its name: the variable first, as the value is built from it.
    let named: Vec<(&str, &str)> = p
        .iter()
        .map(|o| (o.label.as_str(), r.text(o.from)))
        .collect();
    assert_eq!(
        named,
        [
            ("default of variable `v`", "default = \"d\""),
            ("local value `local.l`", "l")
        ]
    );
    // --var has no file: no provenance.
    let opts = EvalOptions {
        vars: vec![("v".into(), "c".into())],
        cli_order: vec![false],
        ..Default::default()
    };
    let main = nsg("  name = var.v") + "variable \"v\" {\n  default = \"d\"\n}\n";
    assert!(run(&[("main.tf", &main)], &opts)
        .res(NSG)
        .provenance
        .is_empty());
}

#[test]
fn locals_are_lazy_across_files_and_cycle_safe() {
    let main = nsg("  x = local.b\n  y = local.c1");
    let locals =
        "locals {\n  a = \"A\"\n  b = \"${local.a}-B\"\n  c1 = local.c2\n  c2 = local.c1\n}\n";
    let r = eval(&[("main.tf", &main), ("locals.tf", locals)]);
    assert_eq!(r.attr(NSG, "x").as_str(), Some("A-B"));
    assert!(!super::value::wholly_known(&r.attr(NSG, "y")));
}

#[test]
fn operators_and_conditionals() {
    assert_eq!(value_of("1 + 2 * 3", "").value, Value::Number(7.0));
    assert_eq!(value_of("(7 - 1) / 4", "").value, Value::Number(1.5));
    assert_eq!(value_of("7 % 4", "").value, Value::Number(3.0));
    assert_eq!(value_of("-(2)", "").value, Value::Number(-2.0));
    assert_eq!(value_of("3 >= 3 && 2 < 1", "").as_bool(), Some(false));
    assert_eq!(
        value_of("\"a\" == \"a\" || false", "").as_bool(),
        Some(true)
    );
    assert_eq!(value_of("!(1 != 1)", "").as_bool(), Some(true));
    // Short-circuit (D26): the unknown side does not matter.
    assert_eq!(
        value_of("false && var.u", "variable \"u\" {}\n").as_bool(),
        Some(false)
    );
    assert_eq!(
        value_of("var.u || true", "variable \"u\" {}\n").as_bool(),
        Some(true)
    );
    assert!(value_of("var.u && true", "variable \"u\" {}\n").is_unknown());
    assert_eq!(
        s("true ? \"a\" : var.u", "variable \"u\" {}\n").as_deref(),
        Some("a")
    );
    assert_eq!(
        s("var.u ? \"same\" : \"same\"", "variable \"u\" {}\n").as_deref(),
        Some("same")
    );
    assert!(value_of("var.u ? \"a\" : \"b\"", "variable \"u\" {}\n").is_unknown());
}

#[test]
fn for_expressions_splats_templates_heredocs() {
    let l = "locals {\n  rules = [{ p = 22, n = \"ssh\" }, { p = 80, n = \"http\" }]\n  m = { b = 2, a = 1 }\n}\n";
    let v = value_of("[for r in local.rules : r.n if r.p < 50]", l);
    assert_eq!(v.items().len(), 1);
    assert_eq!(v.items()[0].as_str(), Some("ssh"));
    let v = value_of("{ for r in local.rules : r.n => r.p }", l);
    assert_eq!(v.get("http").unwrap().value, Value::Number(80.0));
    let v = value_of("[for k, x in local.m : \"${k}=${x}\"]", l);
    assert_eq!(
        v.items()
            .iter()
            .map(|i| i.as_str().unwrap())
            .collect::<Vec<_>>(),
        ["a=1", "b=2"]
    );
    let v = value_of("{ for r in local.rules : \"all\" => r.p... }", l);
    assert_eq!(v.get("all").unwrap().items().len(), 2);
    let v = value_of("local.rules[*].p", l);
    assert_eq!(v.items()[1].value, Value::Number(80.0));
    assert_eq!(
        s("\"${local.m.a}-${upper(\"x\")}\"", l).as_deref(),
        Some("1-X")
    );
    assert_eq!(
        s("<<-EOT\n    n=${local.m.b}\n    EOT", l).as_deref(),
        Some("n=2\n")
    );
    assert_eq!(s("\"%{if true}x%{endif}\"", l).as_deref(), Some("x"));
    assert_eq!(s("local.rules[0][\"n\"]", l).as_deref(), Some("ssh"));
    assert_eq!(
        s("try(local.m.zz, \"fallback\")", l).as_deref(),
        Some("fallback")
    );
    assert_eq!(value_of("can(local.m.zz)", l).as_bool(), Some(false));
    assert_eq!(s("coalesce(\"\", null, \"c\")", l).as_deref(), Some("c"));
    assert_eq!(
        s("join(\",\", [for r in local.rules : tostring(r.p)])", l).as_deref(),
        Some("22,80")
    );
    assert_eq!(
        s("cidrsubnet(\"10.0.0.0/16\", 8, 1)", l).as_deref(),
        Some("10.0.1.0/24")
    );
    assert!(value_of("unknownfn(1)", l).is_unknown());
}

#[test]
fn resource_references_resolve_configured_attributes_only() {
    let main = "resource \"azurerm_resource_group\" \"rg\" {\n  name = \"rg1\"\n}\nresource \"azurerm_network_security_group\" \"n\" {\n  name = \"${azurerm_resource_group.rg.name}-nsg\"\n  x = azurerm_resource_group.rg.id\n  y = data.azurerm_subnet.s.id\n}\n";
    let r = eval(&[("main.tf", main)]);
    assert_eq!(r.res(NSG).name(), Some("rg1-nsg"));
    match &r.attr(NSG, "x").value {
        Value::Unknown(u) => assert_eq!(
            u.reference,
            Some(Reference::Terraform {
                address: "azurerm_resource_group.rg".into(),
                attribute: vec!["id".into()]
            })
        ),
        v => panic!("{v:?}"),
    }
    match &r.attr(NSG, "y").value {
        Value::Unknown(u) => assert!(u.reference.is_none()),
        v => panic!("{v:?}"),
    }
}

/// An id built from another resource's id and literal segments, by interpolation or `format()`,
/// keeps the reference and the segments (D38); a segment that is not known is `None`, and other
/// strings with an unknown part are that part.
#[test]
fn ids_built_from_a_resource_id_keep_reference_and_segments() {
    let extra = "variable \"unset\" {}\nlocals {\n  s = \"s\"\n}\n";
    let built = |expr: &str| match value_of(expr, extra).value {
        Value::Unknown(u) => u.reference,
        v => panic!("{expr}: {v:?}"),
    };
    let id = |segments: &[Option<&str>]| {
        Some(Reference::BuiltId {
            address: "azurerm_virtual_network.v".into(),
            segments: segments.iter().map(|s| s.map(str::to_string)).collect(),
        })
    };
    assert_eq!(
        built("\"${azurerm_virtual_network.v.id}/subnets/${local.s}\""),
        id(&[Some("subnets"), Some("s")])
    );
    assert_eq!(
        built("format(\"%s/subnets/%s\", azurerm_virtual_network.v.id, \"s\")"),
        id(&[Some("subnets"), Some("s")])
    );
    assert_eq!(
        built("\"${azurerm_virtual_network.v.id}/subnets/sub-${var.unset}\""),
        id(&[Some("subnets"), None])
    );
    // Not an id below the reference: the reference itself, as before.
    let vnet = Some(Reference::Terraform {
        address: "azurerm_virtual_network.v".into(),
        attribute: vec!["id".into()],
    });
    assert_eq!(built("\"${azurerm_virtual_network.v.id}-x\""), vnet);
    assert_eq!(
        built("format(\"%s//x\", azurerm_virtual_network.v.id)"),
        vnet
    );
    assert_eq!(built("\"x/${azurerm_virtual_network.v.id}\""), vnet);
    // Known parts still give strings.
    assert_eq!(
        s("format(\"%s-%03d\", local.s, 7)", extra).as_deref(),
        Some("s-007")
    );
    assert_eq!(s("\"${local.s}/x\"", extra).as_deref(), Some("s/x"));
}

/// `each.key` and `each.value` name where the `for_each` collection came from, in resources and
/// in module calls.
#[test]
fn each_names_the_origin_of_the_for_each_collection() {
    let main = "variable \"m\" {\n  default = { a = \"A\" }\n}\nresource \"azurerm_network_security_group\" \"f\" {\n  for_each = var.m\n  name = each.value\n}\nmodule \"k\" {\n  source   = \"./k\"\n  for_each = var.m\n  v        = each.key\n}\n";
    let child = nsg("  name = var.v") + "variable \"v\" {}\n";
    let r = eval(&[
        ("main.tf", main),
        ("terraform.tfvars", "m = { b = \"B\" }\n"),
        ("k/main.tf", &child),
    ]);
    let f = r.res("azurerm_network_security_group.f[\"b\"]");
    assert_eq!(f.name(), Some("B"));
    let at_each: Vec<&str> = f
        .provenance
        .iter()
        .filter(|p| r.text(p.used_at) == "each.value")
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(at_each, ["value of variable `m` (terraform.tfvars)"]);
    let k = r.res("module.k[\"b\"].azurerm_network_security_group.n");
    assert_eq!(k.name(), Some("b"));
    assert!(
        k.provenance
            .iter()
            .any(|p| p.label == "value of variable `m` (terraform.tfvars)"),
        "{:?}",
        k.provenance
    );
}

/// In the one instance analysed of a block whose `for_each` or `count` is not known, `each` and
/// `count.index` are Unknowns, not errors: `try(each.value.x, null)` is not known rather than its
/// fallback, in resources and in module calls (an NSG rule written so read as having no ports).
#[test]
fn each_and_count_are_unknown_where_for_each_and_count_are() {
    let main = "variable \"m\" {}\nvariable \"n\" {}\nlocals {\n  l = [\"a\"]\n}\nresource \"azurerm_network_security_group\" \"f\" {\n  for_each = var.m\n  x = try(each.value.x, null)\n  y = can(each.key)\n  z = try(each.value.z, \"fallback\")\n}\nresource \"azurerm_network_security_group\" \"c\" {\n  count = var.n\n  x = try(local.l[count.index], null)\n}\nmodule \"k\" {\n  source   = \"./k\"\n  for_each = var.m\n  v        = try(each.value.v, null)\n}\n";
    let child = nsg("  x = var.v") + "variable \"v\" {}\n";
    let r = eval(&[("main.tf", main), ("k/main.tf", &child)]);
    for (addr, k) in [
        ("azurerm_network_security_group.f", "x"),
        ("azurerm_network_security_group.f", "y"),
        ("azurerm_network_security_group.f", "z"),
        ("azurerm_network_security_group.c", "x"),
        ("module.k.azurerm_network_security_group.n", "x"),
    ] {
        let v = r.attr(addr, k);
        assert!(v.is_unknown() && !is_error(&v), "{addr} {k}: {v:?}");
    }
    // A known collection still gives each instance its own values.
    let r = eval(&[(
        "main.tf",
        "resource \"azurerm_network_security_group\" \"f\" {\n  for_each = { a = {} }\n  x = try(each.value.x, null)\n}\n",
    )]);
    assert!(r
        .attr("azurerm_network_security_group.f[\"a\"]", "x")
        .is_null());
}

#[test]
fn count_and_for_each_expand_with_addresses() {
    let main = "resource \"azurerm_network_security_group\" \"c\" {\n  count = 2\n  name = \"c${count.index}\"\n}\nresource \"azurerm_network_security_group\" \"z\" {\n  count = 0\n  name = \"z\"\n}\nresource \"azurerm_network_security_group\" \"f\" {\n  for_each = { b = \"B\", a = \"A\" }\n  name = \"${each.key}-${each.value}\"\n}\nresource \"azurerm_network_security_group\" \"s\" {\n  for_each = toset([\"y\", \"x\"])\n  name = each.value\n  x = azurerm_network_security_group.c[1].name\n}\nresource \"azurerm_network_security_group\" \"u\" {\n  count = var.n\n  name = \"u\"\n}\nvariable \"n\" {}\n";
    let r = eval(&[("main.tf", main)]);
    assert_eq!(
        r.addresses(),
        [
            "azurerm_network_security_group.c[0]",
            "azurerm_network_security_group.c[1]",
            "azurerm_network_security_group.f[\"a\"]",
            "azurerm_network_security_group.f[\"b\"]",
            "azurerm_network_security_group.s[\"x\"]",
            "azurerm_network_security_group.s[\"y\"]",
            "azurerm_network_security_group.u",
        ]
    );
    assert_eq!(
        r.res("azurerm_network_security_group.c[1]").name(),
        Some("c1")
    );
    assert_eq!(
        r.res("azurerm_network_security_group.f[\"a\"]").name(),
        Some("a-A")
    );
    assert_eq!(
        r.attr("azurerm_network_security_group.s[\"x\"]", "x")
            .as_str(),
        Some("c1")
    );
    let u = r.res("azurerm_network_security_group.u");
    assert_eq!(u.conditional.as_deref(), Some("its count is not known"));
    assert!(r
        .res("azurerm_network_security_group.c[0]")
        .conditional
        .is_none());
}

#[test]
fn huge_count_is_capped_with_a_warning() {
    let main = "resource \"azurerm_network_security_group\" \"c\" {\n  count = 100000\n  name = \"c\"\n}\n";
    let r = eval(&[("main.tf", main)]);
    assert_eq!(r.all().len(), 1000);
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("only the first 1000")));
}

#[test]
fn dynamic_blocks_expand_with_content_spans() {
    let main = "locals {\n  rules = [\n    { name = \"a\", port = \"22\" },\n    { name = \"b\", port = \"80\", inner = [1, 2] },\n  ]\n}\nresource \"azurerm_network_security_group\" \"n\" {\n  dynamic \"security_rule\" {\n    for_each = local.rules\n    content {\n      name                   = security_rule.value.name\n      destination_port_range = security_rule.value.port\n      k                      = security_rule.key\n    }\n  }\n  dynamic \"other\" {\n    for_each = local.rules\n    iterator = it\n    content {\n      n = it.value.name\n      dynamic \"nested\" {\n        for_each = try(it.value.inner, [])\n        content {\n          v = \"${it.value.name}-${nested.value}\"\n        }\n      }\n    }\n  }\n  dynamic \"u\" {\n    for_each = var.unknown\n    content {\n      a = u.value\n    }\n  }\n}\nvariable \"unknown\" {}\n";
    let r = eval(&[("main.tf", main)]);
    let body = r.block(NSG).clone();
    let rules = body.get("security_rule").unwrap().items();
    assert_eq!(rules.len(), 2);
    let port = rules[0].member("destination_port_range").unwrap();
    assert_eq!(port.value.as_str(), Some("22"));
    assert_eq!(
        r.text(port.span()),
        "destination_port_range = security_rule.value.port"
    );
    assert_eq!(rules[1].get("k").unwrap().value, Value::Number(1.0));
    assert!(r
        .text(rules[1].span)
        .starts_with("dynamic \"security_rule\" {"));
    let other = body.get("other").unwrap().items();
    assert_eq!(other[1].get("n").unwrap().as_str(), Some("b"));
    assert!(other[0].get("nested").is_none());
    let nested = other[1].get("nested").unwrap().items();
    assert_eq!(nested.len(), 2);
    assert_eq!(nested[1].get("v").unwrap().as_str(), Some("b-2"));
    // Over an unknown collection: blocks that are not known.
    let u = body.get("u").unwrap().items();
    assert_eq!(u.len(), 1);
    assert!(u[0].is_unknown());
    // The ARM shape follows: two security rules.
    let arm = r
        .res(NSG)
        .properties()
        .unwrap()
        .get("securityRules")
        .unwrap();
    assert_eq!(arm.items().len(), 2);
}

#[test]
fn local_modules_take_inputs_and_give_outputs() {
    let root = "module \"m\" {\n  source = \"./mod\"\n  src = \"0.0.0.0/0\"\n}\nresource \"azurerm_network_security_group\" \"n\" {\n  name = module.m.nsg_name\n}\n";
    let child = "variable \"src\" {\n  default = \"10.0.0.0/8\"\n}\nresource \"azurerm_network_security_group\" \"inner\" {\n  name = \"inner\"\n  x = var.src\n}\noutput \"nsg_name\" {\n  value = \"${azurerm_network_security_group.inner.name}-out\"\n}\n";
    let r = eval(&[("main.tf", root), ("mod/main.tf", child)]);
    assert_eq!(r.res(NSG).name(), Some("inner-out"));
    let inner = "module.m.azurerm_network_security_group.inner";
    assert_eq!(r.attr(inner, "x").as_str(), Some("0.0.0.0/0"));
    let p = &r.res(inner).provenance;
    assert_eq!(p[0].label, "argument `src` of module.m");
    assert_eq!(r.text(p[0].from), "src = \"0.0.0.0/0\"");
    assert_eq!(r.text(p[0].used_at), "var.src");
    // The module directory is also scanned on its own, with its defaults.
    assert_eq!(
        r.attr("azurerm_network_security_group.inner", "x").as_str(),
        Some("10.0.0.0/8")
    );
}

#[test]
fn module_count_and_recursion() {
    let root = "module \"m\" {\n  source = \"./mod\"\n  count = 2\n  n = \"n${count.index}\"\n}\nmodule \"gone\" {\n  source = \"./mod\"\n  count = 0\n}\n";
    let child = "variable \"n\" {\n  default = \"d\"\n}\nresource \"azurerm_network_security_group\" \"i\" {\n  name = var.n\n}\nmodule \"again\" {\n  source = \"../mod\"\n}\n";
    let r = eval(&[("main.tf", root), ("mod/main.tf", child)]);
    assert_eq!(
        r.res("module.m[1].azurerm_network_security_group.i").name(),
        Some("n1")
    );
    assert!(!r.addresses().iter().any(|a| a.starts_with("module.gone")));
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("already being evaluated")));
}

#[test]
fn hostile_inputs_end_with_unknowns() {
    let mut locals = String::from("locals {\n");
    for i in 0..400 {
        locals.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    locals.push_str("  l400 = \"end\"\n");
    for i in 0..40 {
        locals.push_str(&format!("  d{} = [local.d{i}, local.d{i}]\n", i + 1));
    }
    locals.push_str("  d0 = \"x\"\n}\n");
    let main = nsg("  x = local.l0\n  y = local.d40\n  z = length(range(1000000))") + &locals;
    let r = eval(&[("main.tf", &main)]);
    assert!(r.attr(NSG, "x").is_unknown());
    assert!(!super::value::wholly_known(&r.attr(NSG, "y")));
    assert!(r.attr(NSG, "z").is_unknown());
}

/// D39: the limits stop runaway input only, each with a warning that names the construct that
/// reached it and points at its definition.
#[test]
fn limits_name_the_construct_that_reached_them() {
    let warning = |r: &Scanned, what: &str| -> String {
        let n = r
            .notes
            .iter()
            .find(|n| n.message.contains(what))
            .unwrap_or_else(|| panic!("no `{what}` in {:#?}", r.notes));
        r.text(n.span.unwrap()).to_string()
    };
    // Work that grows with the square of a small module: the loop's local is named.
    let main = nsg("  x = local.square")
        + "locals {\n  square = length(flatten([for a in range(1000) : [for b in range(1000) : a + b]]))\n}\n";
    let r = eval(&[("main.tf", &main)]);
    assert!(r.attr(NSG, "x").is_unknown(), "{:?}", r.attr(NSG, "x"));
    let at = warning(&r, "evaluation of `local.square` stopped at the work limit");
    assert!(at.starts_with("length(flatten("), "{at}");
    // A value doubled again and again: the first local too large is named.
    let mut locals = String::from("locals {\n  d0 = \"x\"\n");
    for i in 0..40 {
        locals.push_str(&format!("  d{} = [local.d{i}, local.d{i}]\n", i + 1));
    }
    let r = eval(&[("main.tf", &(nsg("  y = local.d40") + &locals + "}\n"))]);
    assert!(!super::value::wholly_known(&r.attr(NSG, "y")));
    let at = warning(&r, "`local.d16` holds more than");
    assert!(at.starts_with("[local.d"), "{at}");
    // A chain of locals deeper than the stack allows.
    let mut locals = String::from("locals {\n  l400 = \"end\"\n");
    for i in 0..400 {
        locals.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    let r = eval(&[("main.tf", &(nsg("  x = local.l0") + &locals + "}\n"))]);
    assert!(r.attr(NSG, "x").is_unknown());
    let at = warning(&r, "nests expressions more than 200 deep");
    assert!(at.starts_with("local.l"), "{at}");
    // A huge count names the block.
    let r = eval(&[(
        "main.tf",
        "resource \"azurerm_network_security_group\" \"c\" {\n  count = 5000\n}\n",
    )]);
    assert_eq!(
        warning(
            &r,
            "the `count` of `azurerm_network_security_group.c` gives 5000 instances"
        ),
        "count = 5000"
    );
}

/// D39: the limits follow the input. A module whose evaluation is linear in its size is
/// evaluated to the end whatever its size: a `for_each` over a thousand entries written in a
/// tfvars file, every instance reading a member of a large local, spends far less than the
/// limit it earns by its size.
#[test]
fn large_linear_modules_are_evaluated_completely() {
    let mut tfvars = String::from("entries = {\n");
    for i in 0..1000 {
        tfvars.push_str(&format!(
            "  e{i:04} = {{ port = {}, cidr = \"10.{}.{}.0/24\", tags = [\"a\", \"b\", \"c\"] }}\n",
            1000 + i,
            i / 250,
            i % 250
        ));
    }
    tfvars.push_str("}\n");
    let main = "variable \"entries\" {}\nlocals {\n  by_port = { for k, e in var.entries : k => merge(e, { name = \"n-${k}\", rule = \"r-${e.port}\" }) }\n  all     = flatten([for k, e in local.by_port : [for t in e.tags : \"${k}-${t}\"]])\n}\nresource \"azurerm_network_security_group\" \"n\" {\n  for_each = var.entries\n  name     = local.by_port[each.key].name\n  rule     = lookup(local.by_port, each.key, null).rule\n  count_all = length(local.all)\n}\n";
    let r = eval(&[("main.tf", main), ("terraform.tfvars", &tfvars)]);
    assert!(r.notes.is_empty(), "{:#?}", r.notes);
    assert_eq!(r.all().len(), 1000);
    let last = "azurerm_network_security_group.n[\"e0999\"]";
    assert_eq!(r.res(last).name(), Some("n-e0999"));
    assert_eq!(r.attr(last, "rule").as_str(), Some("r-1999"));
    assert_eq!(r.attr(last, "count_all").value, Value::Number(3000.0));
}

/// Every function or template that can build a large value has a size bound: reaching it makes
/// the value Unknown, with a warning at the construct that names the bound; the NSG around it is
/// still evaluated.
#[test]
fn values_that_grow_past_a_size_bound_are_unknown_with_a_warning() {
    let warned = |r: &Scanned, what: &str| -> String {
        let n = r
            .notes
            .iter()
            .find(|n| n.message.contains(what))
            .unwrap_or_else(|| panic!("no `{what}` in {:#?}", r.notes));
        r.text(n.span.unwrap()).to_string()
    };
    // A string doubled through locals stops at the first local past 1 MiB.
    let mut locals = String::from("locals {\n  a0 = \"xxxxxxxxxx\"\n");
    for i in 1..=60 {
        locals.push_str(&format!(
            "  a{i} = \"${{local.a{0}}}${{local.a{0}}}\"\n",
            i - 1
        ));
    }
    let r = eval(&[(
        "main.tf",
        &(nsg("  name = local.a60\n  x = \"ok\"") + &locals + "}\n"),
    )]);
    assert!(r.attr(NSG, "name").is_unknown());
    assert_eq!(r.attr(NSG, "x").as_str(), Some("ok"));
    let at = warned(
        &r,
        "in `local.a17`, the string template `\"${local.a16}${local.a16}\"` would build a string of 1310720 bytes; strings stop at 1048576 bytes and the value is unknown",
    );
    assert_eq!(at, "\"${local.a16}${local.a16}\"");
    assert_eq!(r.notes.len(), 1, "{:#?}", r.notes);
    // The same through functions, and through lists.
    for (grow, bound) in [
        (
            "join(\"\", [local.a{0}, local.a{0}])",
            "`join(...)` would build a string of",
        ),
        (
            "replace(local.a{0}, \"x\", \"xx\")",
            "`replace(...)` would build a string of",
        ),
        (
            "format(\"%s%s\", local.a{0}, local.a{0})",
            "`format(...)` would build a string of more than 1048576 bytes",
        ),
        (
            "concat(local.a{0}, local.a{0})",
            "`concat(...)` would have 16384 elements; lists stop at 10000",
        ),
        (
            "flatten([local.a{0}, [local.a{0}]])",
            "`flatten(...)` would have more than 10000 elements",
        ),
    ] {
        let first = if grow.starts_with("concat") || grow.starts_with("flatten") {
            "[\"x\"]"
        } else {
            "\"xxxxxxxxxx\""
        };
        let mut locals = format!("locals {{\n  a0 = {first}\n");
        for i in 1..=60 {
            locals.push_str(&format!(
                "  a{i} = {}\n",
                grow.replace("{0}", &(i - 1).to_string())
            ));
        }
        let r = eval(&[(
            "main.tf",
            &(nsg("  name = tostring(length(local.a60))\n  x = \"ok\"") + &locals + "}\n"),
        )]);
        assert!(r.attr(NSG, "name").is_unknown(), "{grow}");
        assert_eq!(r.attr(NSG, "x").as_str(), Some("ok"));
        warned(&r, bound);
        assert_eq!(r.notes.len(), 1, "{grow}: {:#?}", r.notes);
    }
    // Widths and precisions of `format`, and `range`.
    for (expr, bound) in [
        ("format(\"%-70000s\", \"x\")", None),
        ("format(\"%070000d\", 1)", None),
        ("format(\"%.60000f\", 1)", None),
        (
            "format(\"%-2000000s\", \"x\")",
            Some("`format(...)` would build a string of more than 1048576 bytes (here with a width of 2000000)"),
        ),
        (
            "format(\"%099999999999999999999999d\", 1)",
            Some("(here with a width of 099999999999999999999999)"),
        ),
        (
            "format(\"%.70000f\", 1)",
            Some("`format(...)` with a precision of 70000 digits; precisions stop at 65535"),
        ),
        (
            "range(2000000)",
            Some("`range(...)` would have 2000000 elements; Terraform allows 1024 and the value is unknown"),
        ),
    ] {
        let r = eval(&[("main.tf", &nsg(&format!("  x = {expr}")))]);
        match bound {
            None => {
                assert!(r.notes.is_empty(), "{expr}: {:#?}", r.notes);
                let x = r.attr(NSG, "x");
                assert!(x.as_str().unwrap().len() >= 60000, "{expr}");
            }
            Some(bound) => {
                assert!(r.attr(NSG, "x").is_unknown(), "{expr}");
                assert_eq!(warned(&r, bound), *expr);
            }
        }
    }
    // Copies of a large string count as work: a list of a thousand 1 MiB strings stops at the
    // module's work limit instead of holding a gigabyte.
    let locals = "locals {\n  b0 = \"xxxxxxxxxx\"\n  b1 = join(\"\", [for i in range(1000) : local.b0])\n  b2 = join(\"\", [for i in range(100) : local.b1])\n  l = [for i in range(1000) : local.b2]\n}\n";
    let r = eval(&[("main.tf", &(nsg("  x = length(local.l)") + locals))]);
    assert!(r.attr(NSG, "x").is_unknown());
    warned(&r, "`local.l`");
}

/// Module calls with a `count` inside each other multiply their instances (here 300 × 300): evaluation stops at the instances a root module may have, with a warning at
/// the call that goes past it; a module that calls itself (`source = "./"`) and locals that
/// refer to each other end with a warning at their place.
#[test]
fn module_fan_out_and_self_calls_are_bounded() {
    let mut files = Vec::new();
    for i in 0..2 {
        files.push((
            format!("m{i}/main.tf"),
            format!("module \"next\" {{\n  source = \"../m{}\"\n  count  = 300\n}}\nresource \"azurerm_network_security_group\" \"n\" {{\n  name = \"n{i}\"\n}}\n", i + 1),
        ));
    }
    files.push((
        "m2/main.tf".into(),
        "resource \"azurerm_network_security_group\" \"n\" {\n  name = \"leaf\"\n}\n".into(),
    ));
    files.push((
        "self/main.tf".into(),
        "module \"me\" {\n  source = \"./\"\n  count  = 3\n}\nlocals {\n  a = local.b\n  b = local.a\n}\nresource \"azurerm_network_security_group\" \"n\" {\n  name = local.a\n}\n".into(),
    ));
    let inputs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let started = std::time::Instant::now();
    let r = eval(&inputs);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let at = |what: &str| -> (String, String) {
        let n = r
            .notes
            .iter()
            .find(|n| n.message.contains(what))
            .unwrap_or_else(|| panic!("no `{what}` in {:#?}", r.notes));
        (
            r.files[n.span.unwrap().file].rel.clone(),
            r.text(n.span.unwrap()).to_string(),
        )
    };
    let (file, text) = at("the module call `module.next[5].module.next` goes past the 20000 resource and module instances (2000 module instances) batchguard evaluates in one root module");
    assert_eq!(file, "m1/main.tf");
    assert!(text.starts_with("module \"next\" {"), "{text}");
    // Every root module stops at the bound; the leaf is analysed.
    let per_root = |dir: &str| {
        r.scopes
            .iter()
            .find(|s| s.files.iter().any(|&f| r.files[f].rel.starts_with(dir)))
            .map_or(0, |s| s.resources.len())
    };
    assert!(per_root("m0/") <= 2_001);
    assert_eq!(per_root("m1/"), 301);
    assert_eq!(per_root("m2/"), 1);
    let (file, text) = at("module `me` calls `./`, which is already being evaluated on this path");
    assert_eq!(file, "self/main.tf");
    assert!(text.starts_with("module \"me\" {"), "{text}");
    assert_eq!(at("`local.a` refers to itself").0, "self/main.tf");
}

/// Terraform's file functions read nothing: their value is Unknown, and a path outside the
/// scanned tree (absolute, `..` above the root, or a symbolic link that leads out) gets a note
/// at the call. A module source outside the tree is not followed, with a note. What a file
/// holds never appears in a message.
#[test]
fn file_functions_and_module_sources_stay_inside_the_scanned_tree() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("repo");
    std::fs::create_dir_all(root.join("env")).unwrap();
    std::fs::write(outer.path().join("secret.txt"), "TOPSECRET-OUTSIDE").unwrap();
    std::fs::write(root.join("env/inside.txt"), "TOPSECRET-INSIDE").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outer.path().join("secret.txt"), root.join("env/link.txt")).unwrap();
    let calls = [
        ("a", "file(\"inside.txt\")", false),
        ("b", "file(\"../../secret.txt\")", true),
        ("c", "file(\"/etc/passwd\")", true),
        ("d", "templatefile(\"~/.ssh/id_rsa\", {})", true),
        ("e", "filebase64(\"link.txt\")", cfg!(unix)),
        ("f", "fileexists(\"../../secret.txt\")", true),
        ("g", "fileset(\"/\", \"*\")", true),
        ("h", "length(file(\"inside.txt\"))", false),
    ];
    let attrs: String = calls
        .iter()
        .map(|(k, e, _)| format!("  {k} = {e}\n"))
        .collect();
    let main = nsg(&attrs)
        + "module \"up\" {\n  source = \"../../outside\"\n}\nmodule \"abs\" {\n  source = \"/opt/modules/x\"\n}\n";
    let r = run_in(&root, &[("env/main.tf", &main)], &EvalOptions::default());
    for (k, e, outside) in calls {
        assert!(r.attr(NSG, k).is_unknown(), "{e}");
        let noted = r.notes.iter().any(|n| r.text(n.span.unwrap()) == e);
        assert_eq!(noted, outside, "{e}: {:#?}", r.notes);
    }
    let messages: Vec<&str> = r.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(messages.contains(&"`file(...)` names `../../secret.txt`, outside the scanned tree: batchguard does not read it, and the value is unknown"), "{messages:#?}");
    assert!(messages.contains(&"module `up` calls `../../outside`, outside the scanned tree: batchguard does not read it, and its outputs are unknown"), "{messages:#?}");
    assert!(messages.contains(&"module `abs` calls `/opt/modules/x`, outside the scanned tree: batchguard does not read it, and its outputs are unknown"), "{messages:#?}");
    assert!(
        r.notes.iter().all(|n| n.level == Level::Note),
        "{messages:#?}"
    );
    assert!(!format!("{:?}", r.notes).contains("TOPSECRET"));
    assert!(!format!("{:?}", r.scopes).contains("TOPSECRET"));
}

/// A module call batchguard does not follow is named at its `source`: a registry or remote
/// module with a note (it is not fetched), a local module that no scanned file is in with a
/// warning (Terraform would not find it, or the scan left it out).
#[test]
fn module_calls_that_are_not_followed_are_named_at_their_source() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path();
    std::fs::create_dir_all(root.join("modules/empty")).unwrap();
    let calls = [
        ("reg", "Azure/naming/azurerm", "batchguard does not fetch registry modules (`Azure/naming/azurerm`); what module `reg` deploys is not analysed, and its outputs are unknown", Level::Note),
        ("host", "app.terraform.io/corp/k8s/azurerm", "batchguard does not fetch registry modules (`app.terraform.io/corp/k8s/azurerm`); what module `host` deploys is not analysed, and its outputs are unknown", Level::Note),
        ("git", "git::https://example.com/net.git?ref=v1", "batchguard does not fetch remote modules (`git::https://example.com/net.git?ref=v1`); what module `git` deploys is not analysed, and its outputs are unknown", Level::Note),
        ("gh", "github.com/corp/net", "batchguard does not fetch remote modules (`github.com/corp/net`); what module `gh` deploys is not analysed, and its outputs are unknown", Level::Note),
        ("gone", "./modules/gone", "module `gone` calls `./modules/gone`, which does not exist; what it deploys is not analysed, and its outputs are unknown", Level::Warning),
        ("empty", "./modules/empty", "module `empty` calls `./modules/empty`, whose folder holds no scanned Terraform file; what it deploys is not analysed, and its outputs are unknown", Level::Warning),
    ];
    let main: String = calls
        .iter()
        .map(|(name, source, _, _)| format!("module \"{name}\" {{\n  source = \"{source}\"\n}}\n"))
        .chain(["module \"here\" {\n  source = \"./modules/here\"\n}\nvariable \"where\" {}\nmodule \"expr\" {\n  source = var.where\n}\n".to_string()])
        .collect();
    let r = run_in(
        root,
        &[
            ("main.tf", &main),
            ("modules/here/main.tf", "variable \"x\" {}\n"),
        ],
        &EvalOptions::default(),
    );
    for (_, source, message, level) in calls {
        let n = r.notes.iter().find(|n| n.message == message);
        let n = n.unwrap_or_else(|| panic!("{message}: {:#?}", r.notes));
        assert_eq!(n.level, level, "{message}");
        assert_eq!(r.text(n.span.unwrap()), format!("\"{source}\""));
    }
    // Terraform takes only a literal string as a source.
    let n = r
        .notes
        .iter()
        .find(|n| r.text(n.span.unwrap()) == "var.where")
        .unwrap_or_else(|| panic!("{:#?}", r.notes));
    assert_eq!(n.message, "the `source` of module `expr` is not a string, which Terraform requires; what it deploys is not analysed, and its outputs are unknown");
    assert_eq!(n.level, Level::Warning);
    assert_eq!(r.notes.len(), calls.len() + 1, "{:#?}", r.notes);
}

/// A `dynamic` block over more elements than are expanded says so, at its `for_each`.
#[test]
fn dynamic_blocks_over_huge_lists_are_named() {
    let main = nsg("  dynamic \"security_rule\" {\n    for_each = [for i in range(1024) : [i, i]]\n    content {\n      name = \"r${security_rule.key}\"\n    }\n  }");
    let r = eval(&[("main.tf", &main)]);
    let n = r
        .notes
        .iter()
        .find(|n| n.message.starts_with("the `dynamic` block of `azurerm_network_security_group.n` iterates over 1024 elements; a `dynamic` block of more than 1000 is not expanded"))
        .unwrap_or_else(|| panic!("{:#?}", r.notes));
    assert_eq!(r.text(n.span.unwrap()), "[for i in range(1024) : [i, i]]");
    assert_eq!(r.notes.len(), 1, "{:#?}", r.notes);
}

/// A `for` object whose value goes on across line breaks (after `&&`, before `?`, with a comment
/// between), which `hcl-edit` alone refuses, evaluates as Terraform evaluates it.
#[test]
fn for_objects_across_line_breaks_evaluate() {
    let locals = "locals {\n  open = {\n    for k, v in { ssh = 22, web = 443 } :\n    k => v == 22 &&\n    true # only SSH\n    ? \"Allow\"\n    : \"Deny\"\n  }\n}\n";
    assert_eq!(s("local.open.ssh", locals).as_deref(), Some("Allow"));
    assert_eq!(s("local.open.web", locals).as_deref(), Some("Deny"));
}

/// A directory that another scanned module calls is a child module: evaluated on its own, it
/// takes its variables' defaults, not the command line's, the environment's or its own tfvars
/// files' (Terraform never runs it as a root). Scanned without its caller, it is a root.
#[test]
fn a_child_module_folder_takes_only_its_defaults() {
    let child = nsg("  name = var.v") + "variable \"v\" {\n  default = \"d\"\n}\n";
    let opts = EvalOptions {
        vars: vec![("v".into(), "c".into())],
        cli_order: vec![false],
        env_vars: vec![("v".into(), "e".into())],
        ..Default::default()
    };
    let caller = "module \"m\" {\n  source = \"./child\"\n}\nvariable \"v\" {}\n";
    let r = run(
        &[
            ("main.tf", caller),
            ("child/main.tf", &child),
            ("child/terraform.tfvars", "v = \"t\"\n"),
        ],
        &opts,
    );
    assert_eq!(r.res(NSG).name(), Some("d"));
    assert_eq!(r.res(&format!("module.m.{NSG}")).name(), Some("d"));
    let r = run(
        &[
            ("child/main.tf", &child),
            ("child/terraform.tfvars", "v = \"t\"\n"),
        ],
        &opts,
    );
    assert_eq!(r.res(NSG).name(), Some("c"));
}

/// A directory whose files declare the same resource, variable, local, module call or data
/// source is not one Terraform module (a folder of standalone examples): each file is evaluated
/// on its own, with a warning naming both files, so one file's declaration never takes the
/// other's value.
#[test]
fn a_name_declared_in_two_files_splits_the_directory() {
    let a = "variable \"v\" {\n  default = \"from-a\"\n}\nlocals {\n  l = \"a\"\n}\n";
    for (second, name) in [
        ("variable \"v\" {\n  default = \"from-b\"\n}\n", "var.v"),
        (
            "locals {\n  l = \"b\"\n}\nvariable \"w\" {\n  default = \"from-b\"\n}\n",
            "local.l",
        ),
    ] {
        let b = nsg("  name = var.v") + LOCAL_NSG + second;
        let b = b.replace("var.v", if name == "var.v" { "var.v" } else { "var.w" });
        let r = eval(&[("a.tf", a), ("b.tf", &b)]);
        let warnings: Vec<String> = r
            .notes
            .iter()
            .filter(|n| n.level == Level::Warning)
            .map(|n| format!("{}: {}", r.text(n.span.unwrap()), n.message))
            .collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains(&format!(
                "directory `.` declares `{name}` in both `a.tf` and `b.tf`, so it is not one Terraform module"
            )),
            "{warnings:?}"
        );
        assert_eq!(r.scopes.len(), 2);
        // b.tf alone: its own variable and local, never a.tf's.
        assert_eq!(r.res(NSG).name(), Some("from-b"));
        let local = r.res("azurerm_network_security_group.l").name();
        assert_eq!(local, if name == "local.l" { Some("b") } else { None });
    }
    // Distinct names in two files: one module, no warning.
    let b = nsg("  name = var.v") + LOCAL_NSG;
    let r = eval(&[("a.tf", a), ("b.tf", &b)]);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    assert_eq!(r.scopes.len(), 1);
    assert_eq!(r.res(NSG).name(), Some("from-a"));
    assert_eq!(r.res("azurerm_network_security_group.l").name(), Some("a"));
}

/// An NSG named by `local.l`.
const LOCAL_NSG: &str =
    "resource \"azurerm_network_security_group\" \"l\" {\n  name = local.l\n}\n";

/// `%{if}` and `%{for}` directives are evaluated, with the `~` marks that strip the white space
/// beside them, as Terraform evaluates them.
#[test]
fn template_directives_are_evaluated() {
    let extra = "locals {\n  open  = true\n  ports = [\"22\", \"3389\"]\n  tags  = { b = \"2\", a = \"1\" }\n}\n";
    let cases: &[(&str, Option<&str>)] = &[
        (
            r#""%{ if local.open }*%{ else }10.0.0.0/8%{ endif }""#,
            Some("*"),
        ),
        (
            r#""%{ if !local.open }*%{ else }10.0.0.0/8%{ endif }""#,
            Some("10.0.0.0/8"),
        ),
        (r#""a%{ if false }b%{ endif }c""#, Some("ac")),
        (
            r#""%{ for p in local.ports }${p},%{ endfor }""#,
            Some("22,3389,"),
        ),
        (
            r#""%{ for i, p in local.ports }${i}=${p} %{ endfor }""#,
            Some("0=22 1=3389 "),
        ),
        // Maps iterate in key order.
        (
            r#""%{ for k, v in local.tags }${k}${v}%{ endfor }""#,
            Some("a1b2"),
        ),
        // `~` strips the white space (new lines too) beside the mark.
        (
            "<<EOT\n%{ for p in local.ports ~}\n${p}\n%{ endfor ~}\nEOT",
            Some("22\n3389\n"),
        ),
        (
            "<<-EOT\n  a\n  %{ if true }\n    b\n  %{ endif }\n  EOT",
            Some("a\n\n  b\n\n"),
        ),
        (
            "<<EOT\n  x  \n  %{~ if true ~}  \n  y  %{~ endif }\nEOT",
            Some("  xy\n"),
        ),
        (r#""a ${~ "b" ~} c""#, Some("abc")),
        // An indented heredoc loses its indent before the marks strip.
        (
            "<<-EOT\n    %{ for p in local.ports ~}\n    ${p}\n    %{ endfor ~}\n    EOT",
            Some("22\n3389\n"),
        ),
        (
            "<<-EOT\n  a\n  %{ if true }\n    b\n  %{ endif }\n  EOT",
            Some("a\n\n  b\n\n"),
        ),
        (
            r#""x %{~ if true ~} y %{~ else ~} z %{~ endif ~} w""#,
            Some("xyw"),
        ),
        (
            r#""x %{~ if false ~} y %{~ else ~} z %{~ endif ~} w""#,
            Some("xzw"),
        ),
    ];
    for (expr, want) in cases {
        assert_eq!(s(expr, extra).as_deref(), *want, "{expr}");
    }
    // An unknown condition or collection leaves the string unknown, not an error.
    let unknown = value_of(r#""%{ if var.u }*%{ endif }""#, "variable \"u\" {}\n");
    assert!(unknown.is_unknown() && !is_error(&unknown));
    let unknown = value_of(
        r#""%{ for p in var.u }${p}%{ endfor }""#,
        "variable \"u\" {}\n",
    );
    assert!(unknown.is_unknown() && !is_error(&unknown));
    // What Terraform rejects is an error, which `can` sees.
    let can = |expr: &str| value_of(&format!("can({expr})"), extra).as_bool();
    assert_eq!(can(r#""%{ if "x" }y%{ endif }""#), Some(false));
    assert_eq!(can(r#""%{ for p in 3 }y%{ endfor }""#), Some(false));
    assert_eq!(
        can(r#""%{ for p in local.ports }${[p]}%{ endfor }""#),
        Some(false)
    );
    assert_eq!(
        can(r#""%{ for p in local.ports }${p}%{ endfor }""#),
        Some(true)
    );
}

/// Loops nested in a template stop at the module's work limit, with a warning.
#[test]
fn nested_template_loops_stop_at_the_work_limit() {
    let r = "range(1000)";
    let main = nsg(&format!(
        "  x = \"%{{ for a in {r} }}%{{ for b in {r} }}%{{ for c in {r} }}%{{ endfor }}%{{ endfor }}%{{ endfor }}\""
    ));
    let scanned = eval(&[("main.tf", &main)]);
    assert!(scanned.attr(NSG, "x").is_unknown());
    assert!(
        scanned
            .notes
            .iter()
            .any(|n| n.message.contains("work limit")),
        "{:?}",
        scanned.notes.iter().map(|n| &n.message).collect::<Vec<_>>()
    );
}
