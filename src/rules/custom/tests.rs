use super::cond::{Cond, Each, Leaf, Op};
use super::doc::{Doc, Query};
use crate::ir::build::*;
use crate::ir::{Node, Resource, Value};
use crate::tri::Tri;

fn query(text: &str) -> Query {
    Query::new(
        text.to_string(),
        jsonpath_rust::parser::parse_json_path(text).unwrap(),
    )
}

fn leaf(path: &str, op: Op, each: Each) -> Cond {
    Cond::Leaf(Box::new(Leaf {
        query: query(path),
        op,
        each,
        default: None,
    }))
}

fn account(properties: Node) -> Resource {
    Resource {
        name_segments: vec![Some("acct".into())],
        ..resource(
            "Microsoft.Batch/batchAccounts",
            obj(vec![("properties", properties)]),
        )
    }
}

fn list(items: Vec<Node>) -> Node {
    Node::new(Value::Array(items), span())
}

#[test]
fn queries_tell_singular_paths_and_name_properties() {
    let q = query("$.properties.publicNetworkAccess");
    assert!(q.singular);
    assert_eq!(
        q.names,
        Some(vec![
            "properties".to_string(),
            "publicNetworkAccess".to_string()
        ])
    );
    let q = query("$.properties.rules[*].name");
    assert!(!q.singular);
    assert_eq!(q.names, None);
}

#[test]
fn members_match_without_case_and_unknown_values_stay_unknown() {
    let r = account(obj(vec![
        ("PublicNetworkAccess", s("ENABLED")),
        ("modes", list(vec![s("AAD"), unknown("a variable")])),
    ]));
    let doc = Doc::of(&r, &|_| None);
    let c = leaf(
        "$.properties.publicNetworkAccess",
        Op::Equals(serde_json::json!("enabled")),
        Each::All,
    );
    assert_eq!(c.eval(&doc).tri, Tri::Yes);
    // One element unknown: all of them cannot be told; any of them can.
    let all = leaf(
        "$.properties.modes",
        Op::In(vec![serde_json::json!("AAD")]),
        Each::All,
    );
    assert_eq!(all.eval(&doc).tri, Tri::Unknown);
    let any = leaf(
        "$.properties.modes",
        Op::In(vec![serde_json::json!("AAD")]),
        Each::Any,
    );
    assert_eq!(any.eval(&doc).tri, Tri::Yes);
    // A known failing element decides `all` whatever the unknown one is.
    let none = leaf(
        "$.properties.modes",
        Op::NotIn(vec![serde_json::json!("aad")]),
        Each::All,
    );
    assert_eq!(none.eval(&doc).tri, Tri::No);
}

#[test]
fn a_path_through_an_unknown_value_is_unknown() {
    let r = account(unknown("a variable"));
    let doc = Doc::of(&r, &|_| None);
    for op in [
        Op::Exists(true),
        Op::Exists(false),
        Op::Equals(serde_json::json!("x")),
        Op::NotEquals(serde_json::json!("x")),
    ] {
        let c = leaf("$.properties.a.b", op, Each::All);
        assert_eq!(c.eval(&doc).tri, Tri::Unknown);
    }
    // A filter that reads it, too.
    let c = leaf("$.properties[?@.x == 'y']", Op::Exists(false), Each::All);
    assert_eq!(c.eval(&doc).tri, Tri::Unknown);
}

#[test]
fn absent_properties_and_empty_selections() {
    let r = account(obj(vec![("rules", list(vec![]))]));
    let doc = Doc::of(&r, &|_| None);
    let absent = |op| leaf("$.properties.missing", op, Each::All).eval(&doc).tri;
    assert_eq!(absent(Op::Exists(false)), Tri::Yes);
    assert_eq!(absent(Op::NotEquals(serde_json::json!(1))), Tri::Yes);
    assert_eq!(absent(Op::NotIn(vec![serde_json::json!(1)])), Tri::Yes);
    assert_eq!(absent(Op::Equals(serde_json::json!(1))), Tri::No);
    assert_eq!(absent(Op::LessThan(3.0)), Tri::No);
    let empty = |each| {
        leaf("$.properties.rules[*].priority", Op::LessThan(3.0), each)
            .eval(&doc)
            .tri
    };
    assert_eq!(empty(Each::All), Tri::Yes);
    assert_eq!(empty(Each::Any), Tri::No);
    let not = Cond::Not(Box::new(leaf(
        "$.properties.missing",
        Op::Exists(true),
        Each::All,
    )));
    assert_eq!(not.eval(&doc).tri, Tri::Yes);
}

#[test]
fn cidr_within_reads_prefixes_addresses_and_tags() {
    let r = account(obj(vec![(
        "sources",
        arr(&["10.1.0.0/16", "10.2.3.4", "*", "VirtualNetwork"]),
    )]));
    let doc = Doc::of(&r, &|_| None);
    let nets = vec!["10.0.0.0/8".parse().unwrap()];
    let o = leaf(
        "$.properties.sources[0:2]",
        Op::CidrWithin(nets.clone()),
        Each::All,
    )
    .eval(&doc)
    .tri;
    assert_eq!(o, Tri::Yes);
    let o = leaf(
        "$.properties.sources[2]",
        Op::CidrWithin(nets.clone()),
        Each::All,
    )
    .eval(&doc)
    .tri;
    assert_eq!(o, Tri::No);
    let o = leaf("$.properties.sources[3]", Op::CidrWithin(nets), Each::All)
        .eval(&doc)
        .tri;
    assert_eq!(o, Tri::Unknown);
}

#[test]
fn filters_compare_numbers_written_as_strings_and_strings_in_any_case() {
    let rule = |priority: Node, access: &str| {
        obj(vec![(
            "properties",
            obj(vec![("priority", priority), ("access", s(access))]),
        )])
    };
    let r = account(obj(vec![(
        "securityRules",
        list(vec![rule(s("4096"), "DENY"), rule(num(100.0), "Allow")]),
    )]));
    let doc = Doc::of(&r, &|_| None);
    let c = leaf(
        "$.properties.securityRules[?@.properties.priority == 4096].properties.access",
        Op::Equals(serde_json::json!("Deny")),
        Each::Any,
    );
    assert_eq!(c.eval(&doc).tri, Tri::Yes);
    let c = leaf(
        "$.properties.securityRules[?@.properties.priority < 200 && @.properties.access == 'allow']",
        Op::Exists(true),
        Each::All,
    );
    assert_eq!(c.eval(&doc).tri, Tri::Yes);
    let c = leaf(
        "$.properties.securityRules[?@.properties.priority > '4000']",
        Op::Exists(true),
        Each::All,
    );
    assert_eq!(c.eval(&doc).tri, Tri::Yes);
}
