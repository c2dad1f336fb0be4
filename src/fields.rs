//! A relation written out as flat fields: the one list of its columns and the one form
//! of its CSV row and JSON object, shared by the CSV import and export, the JSONL
//! export, query results and the commands' output.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::store::{RelationRef, Store};

/// The columns of a relation in every CSV layout, in order; a column per property key
/// follows them where properties are written.
pub const RELATION_COLUMNS: [&str; 9] = [
    "from",
    "type",
    "to",
    "date",
    "source",
    "quote",
    "status",
    "grade",
    "claimed_by",
];

/// A relation's fields as text, in the order of [`RELATION_COLUMNS`] (empty where a
/// field is not set).
pub fn relation_row(store: &Store, r: &RelationRef) -> Vec<String> {
    let rel = &r.relation;
    let text = |s: Option<crate::model::Sym>| s.map(|s| store.text(s).to_string());
    vec![
        store.name(r.from).to_string(),
        store.type_name(rel.rtype).to_string(),
        store.name(r.to).to_string(),
        rel.when.to_string(),
        text(rel.source).unwrap_or_default(),
        text(rel.quote).unwrap_or_default(),
        rel.status.to_string(),
        rel.grade.map(|g| g.to_string()).unwrap_or_default(),
        rel.claimed_by
            .map(|c| store.name(c).to_string())
            .unwrap_or_default(),
    ]
}

/// Relations in the CSV import layout: the headers ([`RELATION_COLUMNS`], then a column
/// per property key any of them has, sorted) and a row per relation.
pub fn relation_table<'s>(
    store: &'s Store,
    relations: &[RelationRef<'s>],
) -> (Vec<&'s str>, Vec<Vec<String>>) {
    let keys: BTreeSet<&str> = relations
        .iter()
        .flat_map(|r| r.relation.properties.iter().map(|(k, _)| store.text(*k)))
        .collect();
    let rows = relations
        .iter()
        .map(|r| {
            let mut row = relation_row(store, r);
            for key in &keys {
                let value = r
                    .relation
                    .properties
                    .iter()
                    .find(|(k, _)| store.text(*k) == *key);
                row.push(value.map_or_else(String::new, |(_, v)| store.text(*v).to_string()));
            }
            row
        })
        .collect();
    let headers = RELATION_COLUMNS.iter().copied().chain(keys).collect();
    (headers, rows)
}

/// Every field of a relation as JSON: `from`, `type`, `to`, `date` (as written, null
/// when undated), `status`, `grade`, `source`, `quote`, `claimed_by`, `properties`.
pub fn relation_fields(store: &Store, r: &RelationRef) -> Map<String, Value> {
    let rel = &r.relation;
    let properties: Map<String, Value> = rel
        .properties
        .iter()
        .map(|(k, v)| (store.text(*k).to_string(), Value::from(store.text(*v))))
        .collect();
    let fields = json!({
        "from": store.name(r.from),
        "type": store.type_name(rel.rtype),
        "to": store.name(r.to),
        "date": (!rel.when.is_undated()).then(|| rel.when.to_string()),
        "status": rel.status.as_str(),
        "grade": rel.grade.map(|g| g.to_string()),
        "source": rel.source.map(|s| store.text(s)),
        "quote": rel.quote.map(|s| store.text(s)),
        "claimed_by": rel.claimed_by.map(|c| store.name(c)),
        "properties": properties,
    });
    match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A relation as a JSON object with every field, its id first.
pub fn relation_json(store: &Store, r: &RelationRef) -> Value {
    let mut object = Map::new();
    object.insert("id".to_string(), json!(r.id.0));
    object.extend(relation_fields(store, r));
    Value::Object(object)
}
