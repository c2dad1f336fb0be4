//! `kg list`, `kg search` and `kg duplicates`: finding entities, and entities that may
//! be one actor.

use serde_json::{Value, json};

use kg::find::{Candidate, Hit};
use kg::model::{EntityId, Kind, name_key};
use kg::store::Store;

use crate::cli::render::{Answer, Block, Report, Sheet, cell};

/// Entities as `list` prints them.
struct Listed<'s> {
    store: &'s Store,
    ids: Vec<EntityId>,
}

impl Listed<'_> {
    fn row(&self, id: EntityId) -> (String, String, String, usize) {
        // Listed ids come from the store's own entities, just read.
        let e = self.store.entity(id).expect("listed entities exist"); // infallible
        (
            e.name.clone(),
            e.kind.to_string(),
            e.aliases.join("|"),
            self.store.relations_of(id).count(),
        )
    }
}

impl Report for Listed<'_> {
    fn json(&self) -> Value {
        Value::Array(
            self.ids
                .iter()
                .map(|&id| {
                    let (name, kind, _, relations) = self.row(id);
                    let aliases = self.store.entity(id).map(|e| e.aliases.clone()).unwrap_or_default();
                    json!({"id": id.0, "name": name, "kind": kind, "aliases": aliases, "relations": relations})
                })
                .collect(),
        )
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .ids
            .iter()
            .map(|&id| {
                let (name, kind, aliases, relations) = self.row(id);
                vec![id.0.to_string(), name, kind, aliases, relations.to_string()]
            })
            .collect();
        Sheet::new(&["id", "name", "kind", "aliases", "relations"], rows)
    }

    fn text(&self) -> Vec<Block> {
        if self.ids.is_empty() {
            return Vec::new();
        }
        let rows = self
            .ids
            .iter()
            .map(|&id| {
                let (name, kind, aliases, relations) = self.row(id);
                vec![
                    format!("#{}", id.0),
                    cell(&name),
                    kind,
                    cell(&aliases.replace('|', ", ")),
                    relations.to_string(),
                ]
            })
            .collect();
        vec![Block::table(
            &["id", "name", "kind", "aliases", "relations"],
            rows,
        )]
    }
}

/// `kg list [--kind K] [--limit N]`: by name.
pub fn list<'s>(store: &'s Store, kind: Option<&Kind>, limit: Option<usize>) -> Answer<'s> {
    let mut ids: Vec<(String, EntityId)> = store
        .entities()
        .filter(|(_, e)| kind.is_none_or(|k| e.kind == *k))
        .map(|(id, e)| (name_key(&e.name), id))
        .collect();
    ids.sort();
    let ids: Vec<EntityId> = ids
        .into_iter()
        .map(|(_, id)| id)
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    let empty = ids.is_empty();
    let message = match kind {
        Some(k) => format!("no entities of kind {k}"),
        None => "no entities".to_string(),
    };
    Answer::report(Listed { store, ids }).found_nothing_if(empty, message)
}

/// Search hits as printed.
struct Hits<'s> {
    store: &'s Store,
    hits: Vec<Hit>,
}

impl Hits<'_> {
    fn fields(&self, h: &Hit) -> [String; 6] {
        // Hits come from the store's own entities, just read.
        let e = self.store.entity(h.id).expect("hits exist"); // infallible
        [
            h.id.0.to_string(),
            e.name.clone(),
            e.kind.to_string(),
            h.matched.clone(),
            serde_json::to_value(h.how)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            format!("{:.2}", h.score),
        ]
    }
}

impl Report for Hits<'_> {
    fn json(&self) -> Value {
        Value::Array(
            self.hits
                .iter()
                .map(|h| {
                    let [_, name, kind, matched, how, _] = self.fields(h);
                    json!({"id": h.id.0, "name": name, "kind": kind, "matched": matched, "how": how, "score": (h.score * 1000.0).round() / 1000.0})
                })
                .collect(),
        )
    }

    fn csv(&self) -> Sheet {
        let rows = self.hits.iter().map(|h| self.fields(h).to_vec()).collect();
        Sheet::new(&["id", "name", "kind", "matched", "how", "score"], rows)
    }

    fn text(&self) -> Vec<Block> {
        if self.hits.is_empty() {
            return Vec::new();
        }
        let rows = self
            .hits
            .iter()
            .map(|h| {
                let [id, name, kind, matched, how, score] = self.fields(h);
                let matched = if matched == name {
                    String::new()
                } else {
                    cell(&matched)
                };
                vec![format!("#{id}"), cell(&name), kind, matched, how, score]
            })
            .collect();
        vec![Block::table(
            &["id", "name", "kind", "matched", "how", "score"],
            rows,
        )]
    }
}

/// `kg search TEXT [--limit N]`.
pub fn search<'s>(store: &'s Store, text: &str, limit: usize) -> Answer<'s> {
    let mut hits = kg::find::search(store, text);
    hits.truncate(limit);
    let empty = hits.is_empty();
    Answer::report(Hits { store, hits })
        .found_nothing_if(empty, format!("no entity matches '{}'", cell(text)))
}

/// Candidate pairs as printed.
struct Pairs<'s> {
    store: &'s Store,
    pairs: Vec<Candidate>,
}

impl Report for Pairs<'_> {
    fn json(&self) -> Value {
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        Value::Array(
            self.pairs
                .iter()
                .map(|c| {
                    json!({
                        "a": {"id": c.a.0, "name": self.store.name(c.a)},
                        "b": {"id": c.b.0, "name": self.store.name(c.b)},
                        "score": round(c.score),
                        "name_score": round(c.name_score),
                        "names": [c.names.0, c.names.1],
                        "reasons": c.reasons,
                    })
                })
                .collect(),
        )
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .pairs
            .iter()
            .map(|c| {
                vec![
                    c.a.0.to_string(),
                    self.store.name(c.a).to_string(),
                    c.b.0.to_string(),
                    self.store.name(c.b).to_string(),
                    format!("{:.3}", c.score),
                    c.reasons.join("; "),
                ]
            })
            .collect();
        Sheet::new(&["a_id", "a", "b_id", "b", "score", "reasons"], rows)
    }

    fn text(&self) -> Vec<Block> {
        if self.pairs.is_empty() {
            return Vec::new();
        }
        let rows = self
            .pairs
            .iter()
            .map(|c| {
                vec![
                    format!("{:.2}", c.score),
                    format!("{} (#{})", cell(self.store.name(c.a)), c.a.0),
                    format!("{} (#{})", cell(self.store.name(c.b)), c.b.0),
                    cell(&c.reasons.join("; ")),
                ]
            })
            .collect();
        vec![Block::table(&["score", "entity", "may be", "why"], rows)]
    }
}

/// `kg duplicates [--min-score S] [--limit N]`.
pub fn duplicates(store: &Store, min_score: f64, limit: usize) -> Answer<'_> {
    let mut pairs = kg::find::duplicates(store, min_score);
    pairs.truncate(limit);
    let empty = pairs.is_empty();
    Answer::report(Pairs { store, pairs }).found_nothing_if(
        empty,
        format!("no pairs of entities score {min_score} or more as one actor"),
    )
}
