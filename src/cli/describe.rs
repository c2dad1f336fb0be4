//! How relations read in a report: the one-line form of a relation
//! (`Naryshkin -[phoned ..2025-06-29, claimed]-> Ratcliffe`), its provenance notes,
//! and relations as CSV rows.

use kg::fields::relation_table;
use kg::model::EntityId;
use kg::store::{RelationRef, Store};

use super::render::{Sheet, cell};

/// "1 relation", "3 relations".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The date as written, or the empty string for an undated relation.
pub fn date_text(r: &RelationRef) -> String {
    r.relation.when.to_string()
}

/// Whether [`arrow`] puts the date in the label (not where a column shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    InLabel,
    Apart,
}

/// The one-line form of a relation, read from `walked_from` when given (so a relation
/// walked against its direction reads `Russia <-[president_of]- Putin`).
pub fn arrow(
    store: &Store,
    r: &RelationRef,
    walked_from: Option<EntityId>,
    dated: Dated,
) -> String {
    let rel = &r.relation;
    let mut label = store.type_name(rel.rtype).to_string();
    if dated == Dated::InLabel && !rel.when.is_undated() {
        label.push(' ');
        label.push_str(&rel.when.to_string());
    }
    // Every status but the default one is said: a claim, a denial, a confirmation.
    if rel.status != kg::model::Status::Reported {
        label.push_str(", ");
        label.push_str(rel.status.as_str());
    }
    let symmetric = store.relation_type(rel.rtype).symmetric;
    let backward = walked_from == Some(r.to) && r.from != r.to;
    let (first, second) = if backward {
        (r.to, r.from)
    } else {
        (r.from, r.to)
    };
    let (a, b) = (cell(store.name(first)), cell(store.name(second)));
    match (symmetric, backward) {
        (true, _) => format!("{a} -[{label}]- {b}"),
        (false, false) => format!("{a} -[{label}]-> {b}"),
        (false, true) => format!("{a} <-[{label}]- {b}"),
    }
}

/// The provenance notes of a relation for a table: who claims it, its grade.
pub fn notes(store: &Store, r: &RelationRef) -> String {
    let mut notes = Vec::new();
    if let Some(c) = r.relation.claimed_by {
        notes.push(format!("claimed by {}", store.name(c)));
    }
    if let Some(g) = r.relation.grade {
        notes.push(format!("grade {g}"));
    }
    notes.join(", ")
}

/// The date as written, or `undated`.
pub fn date_or_undated(r: &RelationRef) -> String {
    match date_text(r) {
        d if d.is_empty() => "undated".to_string(),
        d => d,
    }
}

/// A count with its noun: "1 relation", "3 relations".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Names as a list for a message: the first ten, then how many more.
pub fn list(names: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| cell(n))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// Relations as CSV: each one's id, then its fields and properties in the CSV import
/// layout (so that the rows import back; the id is ignored there).
pub fn relations_sheet(store: &Store, relations: &[RelationRef]) -> Sheet {
    let (columns, rows) = relation_table(store, relations);
    let mut headers = vec!["id"];
    headers.extend(columns);
    let rows = relations
        .iter()
        .zip(rows)
        .map(|(r, row)| {
            let mut with_id = vec![r.id.0.to_string()];
            with_id.extend(row);
            with_id
        })
        .collect();
    Sheet::new(&headers, rows)
}
