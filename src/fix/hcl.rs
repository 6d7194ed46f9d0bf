//! Text edits of Terraform: values replaced where they are written, attributes and blocks added
//! after the last attribute of a block (indented, and aligned on `=`, like it), members added to
//! azapi body objects, attributes removed with their line.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::Span as _;
use serde_json::Value as Json;

use super::{indentation, line_end, line_start, newline};
use crate::findings::TextEdit;
use crate::ir::spelling::StepKind;
use crate::ir::{Node, Span, Value};

/// Is `s` an HCL literal: null, a boolean, a number, a string without interpolation, or a list
/// or object of them?
pub fn is_literal(s: &str) -> bool {
    fn plain(e: &Expression) -> bool {
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => true,
            Expression::Array(a) => a.iter().all(plain),
            Expression::Object(o) => o.iter().all(|(_, v)| plain(v.expr())),
            _ => false,
        }
    }
    hcl_edit::parser::parse_expr(s.trim()).is_ok_and(|e| plain(&e))
}

/// The value of an HCL literal ([`is_literal`]).
pub fn literal_value(s: &str) -> Option<Json> {
    fn value(e: &Expression) -> Option<Json> {
        Some(match e {
            Expression::Null(_) => Json::Null,
            Expression::Bool(b) => Json::Bool(*b.value()),
            Expression::Number(n) => {
                serde_json::Number::from_f64(n.value().as_f64()?).map(Json::Number)?
            }
            Expression::String(s) => Json::String(s.value().clone()),
            Expression::Array(a) => Json::Array(a.iter().map(value).collect::<Option<_>>()?),
            Expression::Object(o) => Json::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            hcl_edit::expr::ObjectKey::Ident(i) => i.as_str().to_string(),
                            hcl_edit::expr::ObjectKey::Expression(Expression::String(s)) => {
                                s.value().clone()
                            }
                            _ => return None,
                        };
                        Some((key, value(v.expr())?))
                    })
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }
    value(&hcl_edit::parser::parse_expr(s.trim()).ok()?)
}

/// `v` written as an HCL literal, on one line.
pub fn literal(v: &Json) -> String {
    match v {
        Json::String(s) => Json::String(s.clone())
            .to_string()
            .replace("${", "$${")
            .replace("%{", "%%{"),
        Json::Array(a) => format!("[{}]", a.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Json::Object(o) if o.is_empty() => "{}".into(),
        Json::Object(o) => format!(
            "{{ {} }}",
            o.iter()
                .map(|(k, v)| format!("{} = {}", key(k), literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// An object key: bare when it is an identifier, quoted otherwise.
fn key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        k.to_string()
    } else {
        Json::String(k.into()).to_string()
    }
}

/// Removes the attribute (or object element) at `index` of `parent` with its line, when it
/// stands alone on its lines.
pub fn remove_member(text: &str, parent: &Node, index: usize) -> Result<TextEdit, String> {
    let Value::Object(members) = &parent.value else {
        return Err("the value to remove is not in a block or object".into());
    };
    let m = &members[index];
    let from = line_start(text, m.key_span.start);
    let to = line_end(text, m.value.span.end);
    let before = &text[from..m.key_span.start];
    let after = text[m.value.span.end..to].trim();
    let comment = after.starts_with('#') || after.starts_with("//");
    if !before.trim().is_empty() || !(after.is_empty() || after == "," || comment) {
        return Err(format!(
            "`{}` shares its line with other text; remove it by hand",
            m.name()
        ));
    }
    Ok(TextEdit {
        span: Span::new(parent.span.file, from, to),
        text: String::new(),
        uses: Vec::new(),
        used_at: None,
    })
}

/// How azapi bodies write members: `key = value`, aligned on `=`.
pub const STYLE: super::objects::Style = super::objects::Style {
    key,
    literal,
    assign: " = ",
    align: true,
    within: " in the body",
};

/// What to write into one existing block of an azurerm resource.
pub struct Place {
    /// The block's start: places in the same block are merged.
    block: usize,
    file: usize,
    /// Where the new lines go: after the line of the block's last attribute.
    at: usize,
    indent: String,
    /// The column of the `=` of that attribute, to align a new attribute with it.
    equals: Option<usize>,
    entries: Vec<Entry>,
}

enum Entry {
    Attribute(&'static str, Json),
    Block(&'static str, Vec<Entry>),
}

/// Finds where the attribute at `names` (the blocks from the resource down, then the attribute)
/// goes in the `resource` block of `file`, and adds it to `places`. `text` is the file's text;
/// the block was parsed on its own from the text at `base`, so its spans count from there.
pub fn place(
    text: &str,
    resource: &Block,
    base: usize,
    file: usize,
    names: &[(&'static str, StepKind, Option<usize>)],
    value: Json,
    places: &mut Vec<Place>,
) -> Result<(), String> {
    let mut block = resource;
    let (last, blocks) = names.split_last().ok_or("nothing names the property")?;
    let mut depth = 0;
    for (name, kind, index) in blocks {
        let nth = if *kind == StepKind::BlockElement {
            index.unwrap_or(0)
        } else {
            0
        };
        match block
            .body
            .blocks()
            .filter(|b| b.ident.as_str() == *name)
            .nth(nth)
        {
            Some(inner) => {
                block = inner;
                depth += 1;
            }
            None if nth > 0 => {
                return Err(format!("block `{name}` number {} does not exist", nth + 1));
            }
            None => break,
        }
    }
    if depth == blocks.len() && block.body.attributes().any(|a| a.key.as_str() == last.0) {
        return Err(format!("`{}` is already written", last.0));
    }
    // What is missing, from the deepest existing block down.
    let mut entry = Entry::Attribute(last.0, value);
    for (name, _, _) in blocks[depth..].iter().rev() {
        entry = Entry::Block(name, vec![entry]);
    }
    let start = block.span().map_or(0, |s| s.start) + base;
    if let Some(p) = places.iter_mut().find(|p| p.block == start) {
        add_entry(&mut p.entries, entry);
        return Ok(());
    }
    let mut p = new_place(text, block, base, file)?;
    p.entries.push(entry);
    places.push(p);
    Ok(())
}

fn add_entry(entries: &mut Vec<Entry>, entry: Entry) {
    if let Entry::Block(name, inner) = entry {
        if let Some(Entry::Block(_, existing)) = entries
            .iter_mut()
            .find(|e| matches!(e, Entry::Block(n, _) if *n == name))
        {
            for e in inner {
                add_entry(existing, e);
            }
            return;
        }
        entries.push(Entry::Block(name, inner));
    } else {
        entries.push(entry);
    }
}

fn new_place(text: &str, block: &Block, base: usize, file: usize) -> Result<Place, String> {
    let moved = |s: std::ops::Range<usize>| s.start + base..s.end + base;
    let span = moved(block.span().ok_or("the block has no place in the text")?);
    let last = block
        .body
        .attributes()
        .filter_map(|a| a.span())
        .map(moved)
        .max_by_key(|s| s.end);
    match last {
        Some(attr) => {
            let at = line_end(text, attr.end);
            if at > span.end {
                return Err(format!(
                    "block `{}` is written on one line; change it by hand",
                    block.ident.as_str()
                ));
            }
            let line = line_start(text, attr.start);
            let equals = text[attr.start..attr.end]
                .find('=')
                .map(|i| attr.start + i - line);
            Ok(Place {
                block: span.start,
                file,
                at,
                indent: indentation(text, attr.start).to_string(),
                equals,
                entries: Vec::new(),
            })
        }
        None => {
            // After the line that opens the block.
            let open = text[span.start..span.end]
                .find('{')
                .map(|i| span.start + i)
                .ok_or("the block has no body")?;
            let at = line_end(text, open);
            if at > span.end {
                return Err(format!(
                    "block `{}` is written on one line; change it by hand",
                    block.ident.as_str()
                ));
            }
            Ok(Place {
                block: span.start,
                file,
                at,
                indent: format!("{}  ", indentation(text, span.start)),
                equals: None,
                entries: Vec::new(),
            })
        }
    }
}

/// The insertions for the places found.
pub fn render_places(text: &str, places: Vec<Place>) -> Vec<TextEdit> {
    places
        .into_iter()
        .map(|p| {
            let nl = newline(text, p.at);
            let mut s = String::new();
            render(&p.entries, &p.indent, p.equals, nl, &mut s);
            TextEdit {
                span: Span::new(p.file, p.at, p.at),
                text: s,
                uses: Vec::new(),
                used_at: None,
            }
        })
        .collect()
}

fn render(entries: &[Entry], indent: &str, equals: Option<usize>, nl: &str, out: &mut String) {
    // Attributes are aligned on `=` as `terraform fmt` aligns them: with the attribute above
    // when the names fit before its `=`, and with each other in a new block.
    let longest = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Attribute(name, _) => Some(name.len()),
            Entry::Block(..) => None,
        })
        .max()
        .unwrap_or(0);
    let column = equals.map(|col| col.saturating_sub(indent.len() + 1));
    let aligned = match (column, equals) {
        (Some(w), _) if w >= longest => w,
        (_, None) => longest,
        _ => 0,
    };
    for e in entries {
        match e {
            Entry::Attribute(name, v) => {
                let width = aligned.max(name.len());
                out.push_str(&format!("{indent}{name:<width$} = {}{nl}", literal(v)));
            }
            Entry::Block(name, inner) => {
                out.push_str(&format!("{indent}{name} {{{nl}"));
                render(inner, &format!("{indent}  "), None, nl, out);
                out.push_str(&format!("{indent}}}{nl}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_hold_no_expressions() {
        assert!(is_literal("\"Disabled\""));
        assert!(is_literal("[\"AAD\"]"));
        assert!(is_literal("false"));
        assert!(is_literal("{ a = 1, \"b c\" = [true] }"));
        assert!(!is_literal("var.x"));
        assert!(!is_literal("\"${var.x}\""));
        assert!(!is_literal("[local.a]"));
    }

    #[test]
    fn values_are_written_as_hcl() {
        assert_eq!(literal(&serde_json::json!("a${b}")), "\"a$${b}\"");
        assert_eq!(literal(&serde_json::json!(["AAD", 1])), "[\"AAD\", 1]");
        assert_eq!(
            literal(&serde_json::json!({"a": true, "b c": null})),
            "{ a = true, \"b c\" = null }"
        );
    }

    /// Where an attribute goes in a block parsed apart from its file (as fixes parse them), in
    /// the file's offsets.
    fn insert(
        text: &str,
        block_start: usize,
        block_end: usize,
        names: &[&'static str],
    ) -> Result<String, String> {
        let body = hcl_edit::parser::parse_body(&text[block_start..block_end]).unwrap();
        let block = body.get(0).and_then(|s| s.as_block()).unwrap();
        let (last, blocks) = names.split_last().unwrap();
        let mut steps: Vec<(&'static str, StepKind, Option<usize>)> =
            blocks.iter().map(|b| (*b, StepKind::Block, None)).collect();
        steps.push((last, StepKind::Attribute, None));
        let mut places = Vec::new();
        place(
            text,
            block,
            block_start,
            0,
            &steps,
            serde_json::json!(false),
            &mut places,
        )?;
        let edits = render_places(text, places);
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.span.start..e.span.end, &e.text);
        }
        Ok(out)
    }

    #[test]
    fn a_block_parsed_alone_is_edited_at_its_place_in_the_file() {
        let first = "resource \"azurerm_subnet\" \"s\" {\n  name = \"s\"\n}\n\n";
        let second = "  resource \"azurerm_batch_account\" \"a\" {\n    name     = \"acct\"\n    location = \"westeurope\"\n    network_profile {\n    }\n  }";
        let text = format!("{first}{second}\n# after\n");
        let start = first.len() + 2;
        let end = first.len() + second.len();
        assert_eq!(
            insert(&text, start, end, &["public_network_access_enabled"]).unwrap(),
            format!("{first}  resource \"azurerm_batch_account\" \"a\" {{\n    name     = \"acct\"\n    location = \"westeurope\"\n    public_network_access_enabled = false\n    network_profile {{\n    }}\n  }}\n# after\n")
        );
        assert_eq!(
            insert(&text, start, end, &["network_profile", "x"]).unwrap(),
            format!("{first}  resource \"azurerm_batch_account\" \"a\" {{\n    name     = \"acct\"\n    location = \"westeurope\"\n    network_profile {{\n      x = false\n    }}\n  }}\n# after\n")
        );
        // A block written on one line is left to the user, wherever it is in its file.
        let one_line = "resource \"azurerm_batch_account\" \"a\" { name = \"acct\" }";
        let text = format!("{first}{one_line}\n");
        let err = insert(
            &text,
            first.len(),
            text.len() - 1,
            &["public_network_access_enabled"],
        );
        assert!(err.unwrap_err().contains("written on one line"));
    }
}
