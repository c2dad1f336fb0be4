//! The reading commands: `kg show` (an entity's card), `kg timeline` and `kg stats`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use kg::Error;
use kg::algo::timeline;
use kg::fields::relation_json;
use kg::model::{Entity, EntityId, Kind};
use kg::select::Selection;
use kg::store::{RelationRef, Store};

use crate::cli::args::SelectionArgs;
use crate::cli::describe::{Dated, arrow, date_or_undated, notes, relations_sheet};
use crate::cli::render::{Answer, Block, Evidence, Report, Sheet, cell, evidence_of};

/// An entity's card: its fields, and its relations by type in date order.
struct Card<'s> {
    store: &'s Store,
    id: EntityId,
    entity: std::borrow::Cow<'s, Entity>,
    relations: Vec<RelationRef<'s>>,
}

/// `kg show NAME`, or `kg show '#ID'` for a relation's card.
pub fn show<'s>(store: &'s Store, name: &str) -> Result<Answer<'s>, Error> {
    if let Some(id) = name
        .trim()
        .strip_prefix('#')
        .and_then(|n| n.parse::<u32>().ok())
    {
        let id = kg::model::RelationId(id);
        let r = store
            .relation(id)
            .ok_or(kg::store::StoreError::UnknownRelation(id))?;
        return Ok(Answer::report(RelationCard { store, r }));
    }
    let id = store.resolve(name)?;
    let Some(entity) = store.entity(id) else {
        return Err(Error::Usage(format!("no entity '{name}'")));
    };
    let relations = timeline(store, Some(id), &Selection::all());
    Ok(Answer::report(Card {
        store,
        id,
        entity,
        relations,
    }))
}

/// A relation's card: its ends, type, date as written and as days, provenance,
/// properties, and the writes that made or changed it.
struct RelationCard<'s> {
    store: &'s Store,
    r: RelationRef<'s>,
}

impl RelationCard<'_> {
    /// The writes in the history that touched this relation, oldest first.
    fn writes(&self) -> Vec<(u64, String)> {
        use kg::store::Change;
        let id = self.r.id;
        self.store
            .history()
            .iter()
            .filter(|e| {
                e.inverse.iter().any(|c| match c {
                    Change::RemoveRelation { id: x }
                    | Change::RestoreRelation { id: x, .. }
                    | Change::UpdateRelation { id: x, .. }
                    | Change::MoveRelation { id: x, .. } => *x == id,
                    Change::RemoveRelations { first, last } => (*first..=*last).contains(&id),
                    _ => false,
                })
            })
            .map(|e| (e.seq, e.command.clone()))
            .collect()
    }

    /// The date as days: the first and last it may fall on (`None` for an open end).
    #[allow(clippy::type_complexity)]
    fn days(&self) -> Option<(Option<String>, Option<String>)> {
        use kg::model::time::{MAX_DAY, MIN_DAY, format_day};
        let w = self.r.relation.when;
        (!w.is_undated()).then(|| {
            let day = |d, open| (d != open).then(|| format_day(d));
            (day(w.earliest(), MIN_DAY), day(w.latest(), MAX_DAY))
        })
    }
}

impl Report for RelationCard<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        evidence_of(self.store, [self.r.id])
    }

    fn json(&self) -> Value {
        let mut card = relation_json(self.store, &self.r);
        if let Some(object) = card.as_object_mut() {
            let days = self.days();
            object.insert(
                "earliest".into(),
                json!(days.as_ref().and_then(|d| d.0.clone())),
            );
            object.insert(
                "latest".into(),
                json!(days.as_ref().and_then(|d| d.1.clone())),
            );
            let writes: Vec<Value> = self
                .writes()
                .into_iter()
                .map(|(seq, command)| json!({"write": seq, "command": command}))
                .collect();
            object.insert("history".into(), Value::Array(writes));
        }
        card
    }

    fn csv(&self) -> Sheet {
        relations_sheet(self.store, std::slice::from_ref(&self.r))
    }

    fn text(&self) -> Vec<Block> {
        let (store, r) = (self.store, &self.r);
        let mut rows = vec![
            vec!["relation".to_string(), format!("#{}", r.id.0)],
            vec!["what".to_string(), arrow(store, r, None, Dated::InLabel)],
            vec!["date".to_string(), date_or_undated(r)],
        ];
        if let Some((from, to)) = self.days() {
            let open = |d: Option<String>| d.unwrap_or_else(|| "open".to_string());
            rows.push(vec![
                "days".to_string(),
                format!("{} to {}", open(from), open(to)),
            ]);
        }
        rows.push(vec!["status".to_string(), r.relation.status.to_string()]);
        let text = |s: Option<kg::model::Sym>| s.map(|s| cell(store.text(s)));
        let optional = [
            ("grade", r.relation.grade.map(|g| g.to_string())),
            (
                "claimed by",
                r.relation.claimed_by.map(|c| cell(store.name(c))),
            ),
            ("source", text(r.relation.source)),
            ("quote", text(r.relation.quote)),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                rows.push(vec![key.to_string(), value]);
            }
        }
        for (k, v) in &r.relation.properties {
            rows.push(vec![cell(store.text(*k)), cell(store.text(*v))]);
        }
        for (seq, command) in self.writes() {
            rows.push(vec![
                "written by".to_string(),
                format!("#{seq} {}", cell(&command)),
            ]);
        }
        vec![Block::rows(rows)]
    }
}

impl<'s> Card<'s> {
    /// The relations grouped by type (types in order of their first relation), date
    /// order within.
    fn groups(&self) -> Vec<(&'s str, Vec<&RelationRef<'s>>)> {
        let mut groups: Vec<(&str, Vec<&RelationRef>)> = Vec::new();
        for r in &self.relations {
            let t = self.store.type_name(r.relation.rtype);
            match groups.iter_mut().find(|(name, _)| *name == t) {
                Some((_, group)) => group.push(r),
                None => groups.push((t, vec![r])),
            }
        }
        groups
    }
}

impl Report for Card<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        evidence_of(self.store, self.relations.iter().map(|r| r.id))
    }

    fn json(&self) -> Value {
        let (store, entity) = (self.store, &*self.entity);
        let properties: serde_json::Map<String, Value> = entity
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        let grouped: serde_json::Map<String, Value> = self
            .groups()
            .iter()
            .map(|(t, rs)| {
                let relations = rs.iter().map(|r| relation_json(store, r)).collect();
                (t.to_string(), Value::Array(relations))
            })
            .collect();
        json!({
            "id": self.id.0,
            "name": entity.name,
            "kind": entity.kind.as_str(),
            "aliases": entity.aliases,
            "properties": properties,
            "relations": self.relations.iter().map(|r| relation_json(store, r)).collect::<Vec<_>>(),
            "relations_by_type": grouped,
        })
    }

    fn csv(&self) -> Sheet {
        relations_sheet(self.store, &self.relations)
    }

    fn text(&self) -> Vec<Block> {
        let entity = &*self.entity;
        let mut blocks = vec![Block::Line(format!(
            "{} ({})",
            cell(&entity.name),
            entity.kind
        ))];
        let mut facts: Vec<Vec<String>> = Vec::new();
        if !entity.aliases.is_empty() {
            let aliases: Vec<String> = entity.aliases.iter().map(|a| cell(a)).collect();
            facts.push(vec!["  aliases".into(), aliases.join(", ")]);
        }
        for (k, v) in &entity.properties {
            facts.push(vec![format!("  {k}"), v.clone()]);
        }
        blocks.push(Block::rows(facts));
        let groups = self.groups();
        for (t, rs) in &groups {
            blocks.push(Block::Line(format!("\n{}", cell(t))));
            let rows = rs
                .iter()
                .map(|r| {
                    vec![
                        format!("  {}", date_or_undated(r)),
                        arrow(self.store, r, Some(self.id), Dated::Apart),
                        notes(self.store, r),
                        r.id.to_string(),
                    ]
                })
                .collect();
            blocks.push(Block::rows(rows));
        }
        if groups.is_empty() {
            blocks.push(Block::Line("\nno relations".to_string()));
        }
        blocks
    }
}

/// Relations in date order, of one entity or all.
struct Timeline<'s> {
    store: &'s Store,
    entity: Option<EntityId>,
    relations: Vec<RelationRef<'s>>,
}

/// `kg timeline [NAME]`.
pub fn run_timeline<'s>(
    store: &'s Store,
    name: Option<&str>,
    selection: &SelectionArgs,
) -> Result<Answer<'s>, Error> {
    let selection = selection.resolve(store)?;
    let entity = name.map(|n| store.resolve(n)).transpose()?;
    let relations = timeline(store, entity, &selection);
    let empty = relations.is_empty();
    Ok(Answer::report(Timeline {
        store,
        entity,
        relations,
    })
    .found_nothing_if(empty, "no relations match"))
}

impl Report for Timeline<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        evidence_of(self.store, self.relations.iter().map(|r| r.id))
    }

    fn json(&self) -> Value {
        let all = self.relations.iter().map(|r| relation_json(self.store, r));
        Value::Array(all.collect())
    }

    fn csv(&self) -> Sheet {
        relations_sheet(self.store, &self.relations)
    }

    fn text(&self) -> Vec<Block> {
        let rows = self
            .relations
            .iter()
            .map(|r| {
                vec![
                    date_or_undated(r),
                    arrow(self.store, r, self.entity, Dated::Apart),
                    notes(self.store, r),
                    r.id.to_string(),
                ]
            })
            .collect();
        vec![Block::rows(rows)]
    }
}

/// Counts of entities (by kind), relations (by type) and types.
struct Stats {
    entities: usize,
    relations: usize,
    types: usize,
    kinds: BTreeMap<String, usize>,
    per_type: BTreeMap<String, usize>,
}

/// `kg stats`.
pub fn stats(store: &Store) -> Answer<'static> {
    // Every built-in and declared kind, with those no entity has yet.
    let mut kinds: BTreeMap<String, usize> = Kind::BUILT_IN
        .iter()
        .map(|k| k.as_str())
        .chain(store.kinds().iter().map(|k| k.name.as_str()))
        .map(|k| (k.to_string(), 0))
        .collect();
    for (kind, n) in store.entity_counts() {
        *kinds.entry(kind.as_str().to_string()).or_default() += n;
    }
    let per_type = store
        .types()
        .iter()
        .zip(store.relation_counts())
        .map(|(t, n)| (t.name.clone(), n))
        .collect();
    Answer::report(Stats {
        entities: store.entity_count(),
        relations: store.relation_count(),
        types: store.types().len(),
        kinds,
        per_type,
    })
}

impl Report for Stats {
    fn json(&self) -> Value {
        json!({
            "entities": self.entities,
            "relations": self.relations,
            "types": self.types,
            "kinds": self.kinds,
            "relation_types": self.per_type,
        })
    }

    fn csv(&self) -> Sheet {
        let measure =
            |m: &str, name: &str, n: usize| vec![m.to_string(), name.to_string(), n.to_string()];
        let mut rows = vec![
            measure("entities", "", self.entities),
            measure("relations", "", self.relations),
            measure("types", "", self.types),
        ];
        rows.extend(self.kinds.iter().map(|(k, n)| measure("kind", k, *n)));
        rows.extend(self.per_type.iter().map(|(t, n)| measure("type", t, *n)));
        Sheet::new(&["measure", "name", "count"], rows)
    }

    fn text(&self) -> Vec<Block> {
        let mut rows = vec![
            vec!["entities".to_string(), self.entities.to_string()],
            vec!["relations".to_string(), self.relations.to_string()],
            vec!["relation types".to_string(), self.types.to_string()],
        ];
        rows.extend(
            self.kinds
                .iter()
                // Built-in kinds when some entity has them; a graph's own always.
                .filter(|(k, n)| **n > 0 || Kind::built_in(k).is_none())
                .map(|(k, n)| vec![format!("  {k}"), n.to_string()]),
        );
        let types = self
            .per_type
            .iter()
            .map(|(t, n)| vec![cell(t), n.to_string()])
            .collect();
        vec![
            Block::rows(rows),
            Block::Line(String::new()),
            Block::table(&["TYPE", "RELATIONS"], types),
        ]
    }
}
