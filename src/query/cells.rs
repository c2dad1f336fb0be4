//! Query values as the three output formats show them: a cell of a table or CSV file,
//! and JSON.

use serde_json::{Map, Value as Json, json};

use super::value::{Value, float_text};
use crate::fields::{relation_fields, relation_json};
use crate::model::{EntityId, Status};
use crate::store::Store;

/// A value inside a list or map: strings quoted, null written.
fn inner_text(store: &Store, v: &Value) -> String {
    match v {
        Value::Str(s) => format!("'{s}'"),
        Value::Null => "null".to_string(),
        other => cell_text(store, other),
    }
}

/// A value as one cell of a table or CSV file: a node by its name, a relationship as
/// `from -[type]-> to @ date (status) #id`, a path as its arrows, each step labelled
/// `type date, status #id` (the status when not reported), a list in brackets; a node
/// or relationship the query deleted as `#id (deleted)`.
pub fn cell_text(store: &Store, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        Value::Str(s) => s.clone(),
        Value::Date(d) => d.to_string(),
        Value::Node(n) => node_text(store, *n),
        Value::Rel(r) => match store.relation(*r) {
            Some(r) => {
                let date = if r.relation.when.is_undated() {
                    String::new()
                } else {
                    format!(" @ {}", r.relation.when)
                };
                let rtype = store.relation_type(r.relation.rtype);
                let head = if rtype.symmetric { "" } else { ">" };
                format!(
                    "{} -[{}]-{head} {}{date} ({}) #{}",
                    store.name(r.from),
                    rtype.name,
                    store.name(r.to),
                    r.relation.status.as_str(),
                    r.id.0
                )
            }
            None => format!("#{} (deleted)", r.0),
        },
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(|i| inner_text(store, i)).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", inner_text(store, v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Path(p) => {
            let mut text = node_text(store, p.nodes[0]);
            for (r, n) in p.rels.iter().zip(&p.nodes[1..]) {
                let step = match store.relation(*r) {
                    None => format!(" -[#{} (deleted)]- ", r.0),
                    Some(rel) => {
                        let rtype = store.relation_type(rel.relation.rtype);
                        // Each step with its date, its status unless reported, its id.
                        let mut label = rtype.name.to_string();
                        if !rel.relation.when.is_undated() {
                            label.push_str(&format!(" {}", rel.relation.when));
                        }
                        if rel.relation.status != Status::Reported {
                            label.push_str(&format!(", {}", rel.relation.status.as_str()));
                        }
                        label.push_str(&format!(" #{}", rel.id.0));
                        if rtype.symmetric {
                            format!(" -[{label}]- ")
                        } else if rel.to == *n {
                            format!(" -[{label}]-> ")
                        } else {
                            format!(" <-[{label}]- ")
                        }
                    }
                };
                text.push_str(&step);
                text.push_str(&node_text(store, *n));
            }
            text
        }
    }
}

/// A node as a cell: its name, or `#id (deleted)` once the query deleted it.
fn node_text(store: &Store, id: EntityId) -> String {
    if store.has_entity(id) {
        store.name(id).to_string()
    } else {
        format!("#{} (deleted)", id.0)
    }
}

/// A value in JSON: a node as an object (id, name, kind, aliases, properties), a
/// relationship as `kg export jsonl` writes it (with its id), a path as `kg path`
/// does (hops, nodes, edges).
pub fn cell_json(store: &Store, v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) if f.is_finite() => json!(f),
        // JSON has no infinities or NaN: they are written as strings.
        Value::Float(f) => json!(float_text(*f)),
        Value::Str(s) => json!(s),
        Value::Date(d) => json!(d.to_string()),
        Value::Node(n) => match store.entity(*n) {
            Some(e) => {
                let properties: Map<String, Json> = e
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                json!({
                    "id": n.0,
                    "name": e.name,
                    "kind": e.kind.as_str(),
                    "aliases": e.aliases,
                    "properties": properties,
                })
            }
            None => json!({"id": n.0, "deleted": true}),
        },
        Value::Rel(r) => match store.relation(*r) {
            Some(rel) => {
                let mut fields = Map::new();
                fields.insert("id".into(), json!(r.0));
                fields.extend(relation_fields(store, &rel));
                Json::Object(fields)
            }
            None => json!({"id": r.0, "deleted": true}),
        },
        Value::List(items) => Json::Array(items.iter().map(|i| cell_json(store, i)).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), cell_json(store, v)))
                .collect(),
        ),
        Value::Path(p) => {
            let edges: Vec<Json> = p
                .rels
                .iter()
                .map(|r| match store.relation(*r) {
                    Some(rel) => relation_json(store, &rel),
                    None => json!({"id": r.0, "deleted": true}),
                })
                .collect();
            json!({
                "hops": p.rels.len(),
                "nodes": p.nodes.iter().map(|n| node_text(store, *n)).collect::<Vec<_>>(),
                "edges": edges,
            })
        }
    }
}
