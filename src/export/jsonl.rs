//! JSONL: one JSON object per line, each a kind, a relation type, an entity or a relation with
//! every field, told apart by `record`. [`crate::source::jsonl`] reads it back.
//!
//! ```text
//! {"record":"ids","entities":23,"relations":32}
//! {"record":"kind","name":"vessel","shape":"cds","colour":"#cfe2f3"}
//! {"record":"type","name":"phoned","symmetric":false,"cameo":"041","description":"Discuss by telephone"}
//! {"record":"entity","id":0,"name":"Naryshkin","kind":"person","aliases":["Нарышкин"],"properties":{"title":"…"}}
//! {"record":"relation","id":28,"from":"Naryshkin","type":"phoned","to":"Ratcliffe","date":"..2025-06-29","status":"claimed","grade":null,"source":"…","quote":"…","claimed_by":"Naryshkin","properties":{}}
//! ```

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::fields::relation_fields;
use crate::store::Store;
use crate::subgraph::Subgraph;

/// Writes the types of the store and the part's entities and relations, a line each.
pub fn write(store: &Store, part: &Subgraph, out: &mut impl Write) -> io::Result<()> {
    let mut line = |value: Value| -> io::Result<()> {
        serde_json::to_writer(&mut *out, &value).map_err(io::Error::from)?;
        out.write_all(b"\n")
    };
    line(json!({
        "record": "ids",
        "entities": store.entity_bound(),
        "relations": store.relation_bound(),
    }))?;
    for k in store.kinds() {
        line(json!({
            "record": "kind",
            "name": k.name,
            "shape": k.shape,
            "colour": k.colour,
        }))?;
    }
    for t in store.types() {
        line(json!({
            "record": "type",
            "name": t.name,
            "symmetric": t.symmetric,
            "cameo": t.cameo,
            "description": t.description,
        }))?;
    }
    for (id, e) in part
        .entities
        .iter()
        .filter_map(|&id| store.entity(id).map(|e| (id, e)))
    {
        let properties: Map<String, Value> = e
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        line(json!({
            "record": "entity",
            "id": id.0,
            "name": e.name,
            "kind": e.kind.as_str(),
            "aliases": e.aliases,
            "properties": properties,
        }))?;
    }
    for r in part.relations.iter().filter_map(|&id| store.relation(id)) {
        let mut record = Map::new();
        record.insert("record".to_string(), json!("relation"));
        record.insert("id".to_string(), json!(r.id.0));
        record.extend(relation_fields(store, &r));
        line(Value::Object(record))?;
    }
    Ok(())
}
