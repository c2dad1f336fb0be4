//! GraphML, as networkx, Gephi and yEd read it: a directed graph whose nodes carry
//! `name`, `kind`, `aliases` (joined with `|`) and their properties, and whose edges
//! carry `type`, `symmetric`, `date` (as written), `earliest` and `latest` (ISO days,
//! empty when open), `status`, `grade`, `source`, `quote`, `claimed_by` and their
//! properties. Property keys that collide with these names get a `property.` prefix.
//! XML 1.0 cannot hold most control characters, so those are written as `\u{..}`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::model::time::{MAX_DAY, MIN_DAY, format_day};
use crate::store::Store;
use crate::subgraph::Subgraph;

const NODE_FIELDS: [&str; 3] = ["name", "kind", "aliases"];
const EDGE_FIELDS: [(&str, &str); 10] = [
    ("type", "string"),
    ("symmetric", "boolean"),
    ("date", "string"),
    ("earliest", "string"),
    ("latest", "string"),
    ("status", "string"),
    ("grade", "string"),
    ("source", "string"),
    ("quote", "string"),
    ("claimed_by", "string"),
];

/// Text escaped for XML content and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// The GraphML attribute name of a property key, prefixed where it would collide.
fn attribute(key: &str, fixed: &[&str]) -> String {
    if fixed.contains(&key) || key.starts_with("property.") {
        format!("property.{key}")
    } else {
        key.to_string()
    }
}

/// Writes the part as one GraphML document.
pub fn write(store: &Store, part: &Subgraph, out: &mut impl Write) -> io::Result<()> {
    let entities: Vec<_> = part
        .entities
        .iter()
        .filter_map(|&id| Some((id, store.entity(id)?)))
        .collect();
    let relations: Vec<_> = part
        .relations
        .iter()
        .filter_map(|&id| store.relation(id))
        .collect();
    let node_keys: BTreeSet<&str> = entities
        .iter()
        .flat_map(|(_, e)| e.properties.iter().map(|(k, _)| k.as_str()))
        .collect();
    let edge_keys: BTreeSet<&str> = relations
        .iter()
        .flat_map(|r| r.relation.properties.iter().map(|(k, _)| store.text(*k)))
        .collect();
    let edge_fixed: Vec<&str> = EDGE_FIELDS.iter().map(|(n, _)| *n).collect();

    let mut doc = String::new();
    doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    doc.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (i, name) in NODE_FIELDS
        .iter()
        .map(|n| n.to_string())
        .chain(node_keys.iter().map(|k| attribute(k, &NODE_FIELDS)))
        .enumerate()
    {
        let _ = writeln!(
            doc,
            "  <key id=\"n{i}\" for=\"node\" attr.name=\"{}\" attr.type=\"string\"/>",
            xml(&name)
        );
    }
    let edge_attrs = EDGE_FIELDS.iter().map(|(n, t)| (n.to_string(), *t)).chain(
        edge_keys
            .iter()
            .map(|k| (attribute(k, &edge_fixed), "string")),
    );
    for (i, (name, kind)) in edge_attrs.enumerate() {
        let _ = writeln!(
            doc,
            "  <key id=\"e{i}\" for=\"edge\" attr.name=\"{}\" attr.type=\"{kind}\"/>",
            xml(&name)
        );
    }
    doc.push_str("  <graph id=\"kg\" edgedefault=\"directed\">\n");
    let data = |doc: &mut String, prefix: char, index: usize, value: &str| {
        let _ = writeln!(
            doc,
            "      <data key=\"{prefix}{index}\">{}</data>",
            xml(value)
        );
    };
    for (id, e) in &entities {
        let _ = writeln!(doc, "    <node id=\"n{}\">", id.0);
        data(&mut doc, 'n', 0, &e.name);
        data(&mut doc, 'n', 1, e.kind.as_str());
        if !e.aliases.is_empty() {
            data(&mut doc, 'n', 2, &e.aliases.join("|"));
        }
        for (k, v) in &e.properties {
            if let Some(i) = node_keys.iter().position(|key| key == k) {
                data(&mut doc, 'n', NODE_FIELDS.len() + i, v);
            }
        }
        doc.push_str("    </node>\n");
    }
    for r in &relations {
        let rel = &r.relation;
        let _ = writeln!(
            doc,
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\">",
            r.id.0, r.from.0, r.to.0
        );
        let when = rel.when;
        let day = |d, open| {
            if d == open {
                String::new()
            } else {
                format_day(d)
            }
        };
        let fields: [Option<String>; 10] = [
            Some(store.type_name(rel.rtype).to_string()),
            Some(store.relation_type(rel.rtype).symmetric.to_string()),
            (!when.is_undated()).then(|| when.to_string()),
            (!when.is_undated())
                .then(|| day(when.earliest(), MIN_DAY))
                .filter(|d| !d.is_empty()),
            (!when.is_undated())
                .then(|| day(when.latest(), MAX_DAY))
                .filter(|d| !d.is_empty()),
            Some(rel.status.to_string()),
            rel.grade.map(|g| g.to_string()),
            rel.source.map(|s| store.text(s).to_string()),
            rel.quote.map(|s| store.text(s).to_string()),
            rel.claimed_by.map(|c| store.name(c).to_string()),
        ];
        for (i, value) in fields.iter().enumerate() {
            if let Some(value) = value {
                data(&mut doc, 'e', i, value);
            }
        }
        for (k, v) in rel.properties.iter() {
            if let Some(i) = edge_keys.iter().position(|key| *key == store.text(*k)) {
                data(&mut doc, 'e', EDGE_FIELDS.len() + i, store.text(*v));
            }
        }
        doc.push_str("    </edge>\n");
    }
    doc.push_str("  </graph>\n</graphml>\n");
    out.write_all(doc.as_bytes())
}
