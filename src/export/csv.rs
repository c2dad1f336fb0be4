//! CSV in the import layouts of [`crate::source::csv`]: relations (`id,from,type,to,date,
//! source,quote,status,grade,claimed_by` and a column per property key; the id is
//! ignored by an import, which gives new ids), entities
//! (`name,kind,aliases` and a column per property key) and relation types
//! (`name,direction,cameo,description`). Importing the three gives the graph back;
//! aliases containing `|` are the one thing CSV cannot carry (use JSONL or `.kg`).

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::fields::relation_table;
use crate::store::Store;
use crate::subgraph::Subgraph;

fn writer(out: &mut impl Write) -> csv::Writer<&mut dyn Write> {
    csv::Writer::from_writer(out as &mut dyn Write)
}

fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The part's relations, one row each.
pub fn relations(store: &Store, part: &Subgraph, out: &mut impl Write) -> io::Result<()> {
    let rels: Vec<_> = part
        .relations
        .iter()
        .filter_map(|&id| store.relation(id))
        .collect();
    let (headers, rows) = relation_table(store, &rels);
    let mut w = writer(out);
    w.write_record(std::iter::once("id").chain(headers.iter().copied()))
        .map_err(io_error)?;
    for (r, row) in rels.iter().zip(rows) {
        w.write_record(std::iter::once(r.id.0.to_string()).chain(row))
            .map_err(io_error)?;
    }
    w.flush()
}

/// The part's entities, one row each.
pub fn entities(store: &Store, part: &Subgraph, out: &mut impl Write) -> io::Result<()> {
    let list: Vec<_> = part
        .entities
        .iter()
        .filter_map(|&id| store.entity(id))
        .collect();
    let keys: BTreeSet<&str> = list
        .iter()
        .flat_map(|e| e.properties.iter().map(|(k, _)| k.as_str()))
        .collect();
    let mut w = writer(out);
    w.write_record(
        ["name", "kind", "aliases"]
            .into_iter()
            .chain(keys.iter().copied()),
    )
    .map_err(io_error)?;
    for e in &list {
        let mut row = vec![e.name.clone(), e.kind.to_string(), e.aliases.join("|")];
        for key in &keys {
            row.push(e.property(key).unwrap_or_default().to_string());
        }
        w.write_record(&row).map_err(io_error)?;
    }
    w.flush()
}

/// Every relation type of the store, one row each.
pub fn types(store: &Store, out: &mut impl Write) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(["name", "direction", "cameo", "description"])
        .map_err(io_error)?;
    for t in store.types() {
        let direction = if t.symmetric { "symmetric" } else { "directed" };
        w.write_record([
            t.name.as_str(),
            direction,
            t.cameo.as_deref().unwrap_or_default(),
            t.description.as_deref().unwrap_or_default(),
        ])
        .map_err(io_error)?;
    }
    w.flush()
}
