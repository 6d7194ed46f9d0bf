//! Where an ARM linked template lives, read from the deployment's `templateLink` before
//! evaluation: a `relativePath` (relative to the template that links it, as Azure resolves it),
//! or a `uri` built on the template's own location the way templates that ship their linked
//! templates beside them write it: `uri(parameters('_artifactsLocation'), 'nested/x.json')`,
//! `concat(parameters('_artifactsLocation'), '/nested/x.json',
//! parameters('_artifactsLocationSasToken'))`, through variables too. `_artifactsLocation` is,
//! by that convention, the folder of the template that declares it (its default is
//! `deployment().properties.templateLink.uri`, or the address that folder is published at), and
//! `_artifactsLocationSasToken` is a query string that does not change which file is named.
//!
//! Only what the text says for certain is read: a link built from any other value (a parameter
//! the caller chooses, a template spec `id`, an address elsewhere) names no scanned file.

use crate::ir::{Node, Value};

use super::expr::{self, Expr, Kind};

/// Deepest chain of variables followed while reading a link.
const MAX_DEPTH: usize = 8;

/// A string built while reading a link: text, or an address on the scanned file system (an
/// absolute path, `/`-separated) followed by what was appended to it.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Here(String),
}

/// Where the template being read is: its own path, and the address its `_artifactsLocation`
/// stands for (its own folder, unless the template that links it passes another down; `None`
/// when that is not known), both absolute, `/`-separated, a folder ending in `/`.
pub struct Place<'a> {
    pub file: &'a str,
    pub artifacts: Option<&'a str>,
}

/// What a deployment gives the template it links as its `_artifactsLocation`.
#[derive(Debug, Clone, PartialEq)]
pub enum Artifacts {
    /// Nothing: the template's own default, by the convention its own folder.
    Own,
    /// An address on the scanned file system, built on the caller's place.
    At(String),
    /// Something else, or parameters that are not known.
    Unknown,
}

/// The path (absolute, `/`-separated, `..` not resolved) of the template a deployment's
/// `templateLink` names, when the text says it for certain.
pub fn target(link: &Node, root: &Node, place: &Place) -> Option<String> {
    if let Some(rel) = link.get("relativePath") {
        return match read(rel, root, place, 0)? {
            Part::Text(t) if !t.contains(':') && !t.starts_with('/') => {
                let folder = place.file.rfind('/').map_or("", |i| &place.file[..=i]);
                clean(&format!("{folder}{t}"))
            }
            _ => None,
        };
    }
    match read(link.get("uri")?, root, place, 0)? {
        Part::Here(path) => clean(&path),
        Part::Text(_) => None,
    }
}

/// The `_artifactsLocation` a deployment passes to the template it links: most often its own
/// (`[parameters('_artifactsLocation')]`).
pub fn artifacts_passed(item: &Node, root: &Node, place: &Place) -> Artifacts {
    let Some(props) = item.get("properties") else {
        return Artifacts::Own;
    };
    let parameters = props.get("parameters");
    if props.get("parametersLink").is_some()
        || parameters.is_some_and(|p| matches!(p.value, Value::Unknown(_)))
    {
        return Artifacts::Unknown;
    }
    let Some(passed) = parameters.and_then(|p| p.get("_artifactsLocation")) else {
        return Artifacts::Own;
    };
    match passed.get("value").and_then(|v| read(v, root, place, 0)) {
        Some(Part::Here(path)) => Artifacts::At(path),
        _ => Artifacts::Unknown,
    }
}

/// The path without a query string and without `.` segments or doubled slashes (an address
/// joined with `/` on both sides).
fn clean(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return None;
    }
    let lead = if path.starts_with('/') { "/" } else { "" };
    Some(format!("{lead}{}", parts.join("/")))
}

fn read(node: &Node, root: &Node, place: &Place, depth: usize) -> Option<Part> {
    match &node.value {
        Value::String(s) => Some(Part::Text(s.clone())),
        Value::Unknown(u) => {
            let text = u.arm_expression()?;
            let parsed = expr::parsed(text);
            let e = parsed.as_ref().as_ref().ok()?;
            eval(e, root, place, depth)
        }
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<&str> {
    match &e.kind {
        Kind::Str(s) => Some(s),
        _ => None,
    }
}

fn eval(e: &Expr, root: &Node, place: &Place, depth: usize) -> Option<Part> {
    if depth > MAX_DEPTH {
        return None;
    }
    match &e.kind {
        Kind::Str(s) => Some(Part::Text(s.clone())),
        Kind::Call { name, args } => {
            let arg = |i: usize| eval(args.get(i)?, root, place, depth);
            match name.to_ascii_lowercase().as_str() {
                "parameters" if args.len() == 1 => {
                    let name = literal(&args[0])?;
                    if name.eq_ignore_ascii_case("_artifactsLocation") {
                        place.artifacts.map(|a| Part::Here(a.to_string()))
                    } else if name.eq_ignore_ascii_case("_artifactsLocationSasToken") {
                        Some(Part::Text(String::new()))
                    } else {
                        None
                    }
                }
                "variables" if args.len() == 1 => {
                    let name = literal(&args[0])?;
                    let v = root.get("variables")?.get(name)?;
                    read(v, root, place, depth + 1)
                }
                "concat" => {
                    let mut out: Option<Part> = None;
                    for a in args {
                        let p = eval(a, root, place, depth)?;
                        out = Some(match (out, p) {
                            (None, p) => p,
                            (Some(Part::Text(a)), Part::Text(b)) => Part::Text(a + &b),
                            (Some(Part::Here(a)), Part::Text(b)) => Part::Here(a + &b),
                            // Nothing but the empty string comes before the location.
                            (Some(Part::Text(a)), Part::Here(b)) if a.is_empty() => Part::Here(b),
                            _ => return None,
                        });
                    }
                    out
                }
                "uri" if args.len() == 2 => {
                    let Part::Here(base) = arg(0)? else {
                        return None;
                    };
                    let Part::Text(rel) = arg(1)? else {
                        return None;
                    };
                    if rel.starts_with('/') || rel.contains(':') {
                        return None;
                    }
                    // RFC 3986: the base's last segment is replaced.
                    let folder = base.rfind('/').map_or("", |i| &base[..=i]);
                    Some(Part::Here(format!("{folder}{rel}")))
                }
                "format" if !args.is_empty() => {
                    let Part::Text(f) = arg(0)? else {
                        return None;
                    };
                    let values: Vec<Part> = args[1..]
                        .iter()
                        .map(|a| eval(a, root, place, depth))
                        .collect::<Option<_>>()?;
                    format(&f, &values)
                }
                _ => None,
            }
        }
        Kind::Prop(..) => {
            let mut path = Vec::new();
            let mut at = e;
            while let Kind::Prop(inner, p) = &at.kind {
                path.push(p.as_str());
                at = inner;
            }
            path.reverse();
            let Kind::Call { name, args } = &at.kind else {
                return None;
            };
            if name.eq_ignore_ascii_case("deployment") && args.is_empty() {
                // `deployment().properties.templateLink.uri`: the template's own address.
                let own = ["properties", "templateLink", "uri"];
                let is_own = path.len() == own.len()
                    && path.iter().zip(own).all(|(a, b)| a.eq_ignore_ascii_case(b));
                return is_own.then(|| Part::Here(place.file.to_string()));
            }
            if name.eq_ignore_ascii_case("variables") && args.len() == 1 {
                // A member of an object variable: `variables('cluster').templateUrl`.
                let v = root
                    .get("variables")?
                    .get(literal(&args[0])?)?
                    .path(&path)?;
                return read(v, root, place, depth + 1);
            }
            None
        }
        _ => None,
    }
}

/// `format('{0}/nested/{1}', …)` over parts: the location may only be the first thing written.
fn format(f: &str, values: &[Part]) -> Option<Part> {
    let mut out: Option<Part> = None;
    let mut text = String::new();
    let mut rest = f;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let index: usize = rest[open + 1..close].trim().parse().ok()?;
        match values.get(index)? {
            Part::Text(t) => text.push_str(t),
            Part::Here(h) => {
                if out.is_some() || !text.is_empty() {
                    return None;
                }
                out = Some(Part::Here(h.clone()));
            }
        }
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    Some(match out {
        Some(Part::Here(h)) => Part::Here(h + &text),
        _ => Part::Text(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::arm::load;
    use crate::source::SourceFile;

    fn link_of(template: &str) -> Option<String> {
        let file = SourceFile::new(0, "main.json".into(), "main.json".into(), template);
        let doc = load(&file).expect("a template");
        let root = doc.root.as_ref().unwrap();
        let deployment = &root.get("resources").unwrap().items()[0];
        let link = deployment.path(&["properties", "templateLink"]).unwrap();
        let place = Place {
            file: "/repo/app/azuredeploy.json",
            artifacts: Some("/repo/app/"),
        };
        target(link, root, &place)
    }

    fn with_link(link: &str, variables: &str) -> String {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
              "parameters": {{"_artifactsLocation": {{"type": "string", "defaultValue": "[deployment().properties.templateLink.uri]"}},
                              "_artifactsLocationSasToken": {{"type": "securestring", "defaultValue": ""}},
                              "other": {{"type": "string", "defaultValue": "x.json"}}}},
              "variables": {{{variables}}},
              "resources": [{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d",
                "properties": {{"mode": "Incremental", "templateLink": {link}}}}}]}}"#
        )
    }

    #[test]
    fn links_built_on_the_templates_location_name_a_path_beside_it() {
        let cases = [
            (
                r#"{"relativePath": "nested/nsg.json"}"#,
                "",
                Some("/repo/app/nested/nsg.json"),
            ),
            (
                r#"{"relativePath": "./nested/../nested/nsg.json"}"#,
                "",
                Some("/repo/app/nested/../nested/nsg.json"),
            ),
            (
                r#"{"uri": "[uri(parameters('_artifactsLocation'), concat('nested/nsg.json', parameters('_artifactsLocationSasToken')))]"}"#,
                "",
                Some("/repo/app/nested/nsg.json"),
            ),
            (
                r#"{"uri": "[concat(parameters('_artifactsLocation'), '/nested/nsg.json', parameters('_artifactsLocationSasToken'))]"}"#,
                "",
                Some("/repo/app/nested/nsg.json"),
            ),
            (
                r#"{"uri": "[variables('nsgUri')]"}"#,
                r#""folder": "nested/", "nsgUri": "[uri(deployment().properties.templateLink.uri, concat(variables('folder'), 'nsg.json'))]""#,
                Some("/repo/app/nested/nsg.json"),
            ),
            (
                r#"{"uri": "[variables('cluster').template.url]"}"#,
                r#""cluster": {"template": {"url": "[uri(parameters('_artifactsLocation'), 'nested/nsg.json')]"}}"#,
                Some("/repo/app/nested/nsg.json"),
            ),
            (
                r#"{"uri": "[format('{0}nested/nsg.json{1}', parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]"}"#,
                "",
                Some("/repo/app/nested/nsg.json"),
            ),
            // Addresses elsewhere, and paths a caller chooses, name no scanned file.
            (r#"{"uri": "https://example.com/nsg.json"}"#, "", None),
            (
                r#"{"uri": "[concat('https://example.com/', 'nsg.json')]"}"#,
                "",
                None,
            ),
            (
                r#"{"uri": "[uri(parameters('_artifactsLocation'), parameters('other'))]"}"#,
                "",
                None,
            ),
            (r#"{"relativePath": "[parameters('other')]"}"#, "", None),
            (
                r#"{"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/s/versions/1"}"#,
                "",
                None,
            ),
        ];
        for (link, variables, expected) in cases {
            assert_eq!(
                link_of(&with_link(link, variables)).as_deref(),
                expected,
                "{link}"
            );
        }
    }
}
