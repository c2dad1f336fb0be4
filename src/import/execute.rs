//! Applying a checked plan: types, kinds, entities, then relations, with the ids a
//! JSONL file gives kept where they can be, and relations already stored not added
//! again.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::plan::{Plan, Target, TypeTarget};
use super::summary::{Duplicates, ImportSummary};
use crate::model::{EntityId, Relation, RelationId, Sym, TypeId};
use crate::source::{Batch, WrittenText};
use crate::store::{Store, StoreError};

/// Whether the import keeps the ids its file gives: it brings the whole graph into an
/// empty database, every entity and relation has an id, and the ids go up in the order
/// of the file (as `kg export jsonl` writes them).
fn keeps_ids(store: &Store, batch: &Batch, new_entities: usize) -> bool {
    fn rising(ids: impl Iterator<Item = Option<u32>>) -> bool {
        let mut last: Option<u32> = None;
        for id in ids {
            match id {
                Some(id) if last.is_none_or(|l| id > l) => last = Some(id),
                _ => return false,
            }
        }
        true
    }
    store.entity_bound() == 0
        && store.relation_bound() == 0
        && batch.entities.len() == new_entities
        && !batch.entities.is_empty()
        && rising(batch.entities.iter().map(|e| e.id))
        && rising(batch.relations.iter().map(|r| r.id()))
}

/// The identity of a relation for duplicate detection: symmetric relations ignore the
/// order of their ends.
fn relation_key(
    store: &Store,
    from: EntityId,
    to: EntityId,
    relation: &Relation,
) -> (EntityId, EntityId, Relation) {
    let symmetric = store.relation_type(relation.rtype).symmetric;
    let (a, b) = if symmetric && to < from {
        (to, from)
    } else {
        (from, to)
    };
    (a, b, relation.clone())
}

pub(super) fn execute(
    store: &mut Store,
    batch: Batch,
    plan: Plan,
    duplicates: Duplicates,
) -> ImportSummary {
    let mut summary = ImportSummary::default();
    store.reserve(plan.new_entities.len(), plan.relations.len());
    // The plan was checked: these additions cannot fail, and an error here would be a bug.
    let mut type_ids = Vec::with_capacity(plan.new_types.len());
    for t in plan.new_types {
        summary.types_added.push(t.name.clone());
        type_ids.push(store.add_type(t).unwrap_or(TypeId(0)));
    }
    for (id, t) in plan.described_types {
        summary.types_updated.push(t.name.clone());
        store.describe_type(id, t.cameo, t.description);
    }
    for k in plan.kinds {
        summary.kinds_added.push(k.name.clone());
        let _ = store.declare_kind(k);
    }
    // The entities the relations create (named, not declared) come after the declared
    // ones: the plan reads every declaration before the first relation.
    summary.entities_added = plan.new_entities.len() - plan.created.len();
    let keep_ids = keeps_ids(store, &batch, plan.new_entities.len());
    summary.ids_kept = keep_ids;
    summary.ids_given = batch.entities.iter().any(|e| e.id.is_some());
    let batch_bounds = batch.id_bounds;
    let mut entity_ids = Vec::with_capacity(plan.new_entities.len());
    for (i, e) in plan.new_entities.into_iter().enumerate() {
        if keep_ids {
            store.skip_ids_to(batch.entities[i].id.map(EntityId), None);
        }
        entity_ids.push(store.add_entity(e).unwrap_or(EntityId(u32::MAX)));
    }
    summary.entities_created = plan.created;
    summary.near_names = plan.near;
    summary.pointed_symmetric = plan.pointed_symmetric;
    for (id, merged) in plan.merges {
        if store.update_entity(id, |e| *e = merged).is_ok() {
            summary.entities_updated += 1;
        }
    }
    let entity = |t: Target| match t {
        Target::Stored(id) => id,
        Target::New(i) => entity_ids[i as usize],
    };
    // Only a relation between two entities the store had before can be there already;
    // when there is none (a first import), relations go straight into the store.
    let dedupe = duplicates == Duplicates::Skip
        && plan
            .relations
            .iter()
            .any(|p| matches!((p.from, p.to), (Target::Stored(_), Target::Stored(_))));
    let mut relations = Vec::new();
    // Each distinct source and quote interned once.
    let mut texts: Vec<Option<Sym>> = vec![None; batch.relations.text_count()];
    for (planned, decl) in plan.relations.into_iter().zip(batch.relations.iter()) {
        let rtype = match planned.rtype {
            TypeTarget::Stored(id) => id,
            TypeTarget::New(i) => type_ids[i as usize],
        };
        let mut text = |t: Option<WrittenText>| -> Result<Option<Sym>, StoreError> {
            // An empty source or quote is no source or quote.
            let Some(t) = t.filter(|t| !t.text.is_empty()) else {
                return Ok(None);
            };
            let sym = match texts[t.number as usize] {
                Some(sym) => sym,
                None => store.intern(t.text)?,
            };
            texts[t.number as usize] = Some(sym);
            Ok(Some(sym))
        };
        // The plan checked the limits, so interning cannot fail here.
        let (Ok(source), Ok(quote)) = (text(decl.source()), text(decl.quote())) else {
            continue;
        };
        let Ok(properties) = (decl.properties().iter())
            .map(|(k, v)| Ok((store.intern(k)?, store.intern(v)?)))
            .collect::<Result<_, StoreError>>()
        else {
            continue;
        };
        let relation = Relation {
            when: decl.when(),
            status: decl.status(),
            grade: decl.grade(),
            source,
            quote,
            claimed_by: planned.claimed_by.map(entity),
            properties,
            ..Relation::new(rtype)
        };
        let (from, to) = (entity(planned.from), entity(planned.to));
        if keep_ids {
            store.skip_ids_to(None, decl.id().map(RelationId));
        }
        if dedupe {
            let both_stored = matches!(
                (planned.from, planned.to),
                (Target::Stored(_), Target::Stored(_))
            );
            relations.push((from, to, relation, both_stored));
        } else if let Ok(id) = store.add_relation(from, to, relation) {
            summary.relations_added += 1;
            summary.relation_ids.push(id);
        }
    }
    if keep_ids && let Some((entities, relations)) = batch_bounds {
        // Ids removed in the database the file came from are not given here either.
        store.skip_counters_to(EntityId(entities), RelationId(relations));
    }
    // The declarations are all read: their memory goes before the copies are sought.
    drop(batch);
    let mut present = match dedupe {
        true => stored_copies(store, &relations),
        false => HashMap::new(),
    };
    for (from, to, relation, both_stored) in relations {
        if both_stored
            && let Some(ids) = present.get_mut(&relation_key(store, from, to, &relation))
            && let Some(id) = ids.pop()
        {
            summary.relations_present += 1;
            summary.present_ids.push(id);
            continue;
        }
        if let Ok(id) = store.add_relation(from, to, relation) {
            summary.relations_added += 1;
            summary.relation_ids.push(id);
        }
    }
    summary
}

/// The stored relations equal to each of the batch's relations (the highest id last,
/// so the lowest is matched first). Only the relations between two entities that a
/// relation of the batch joins are read (a hub's list is walked, not decoded).
fn stored_copies(
    store: &Store,
    relations: &[(EntityId, EntityId, Relation, bool)],
) -> HashMap<(EntityId, EntityId, Relation), Vec<RelationId>> {
    let candidates = || relations.iter().filter(|r| r.3);
    let wanted: HashSet<(EntityId, EntityId, Relation)> = candidates()
        .map(|(f, t, r, _)| relation_key(store, *f, *t, r))
        .collect();
    if wanted.is_empty() {
        return HashMap::new();
    }
    let pair = |a: EntityId, b: EntityId| (a.min(b), a.max(b));
    let pairs: HashSet<(EntityId, EntityId)> =
        candidates().map(|(f, t, _, _)| pair(*f, *t)).collect();
    let ends: HashSet<EntityId> = candidates().flat_map(|(f, t, _, _)| [*f, *t]).collect();
    let mut copies: HashMap<_, Vec<RelationId>> = HashMap::new();
    for &end in &ends {
        // Each relation once, from the entity it is stored from.
        let stored_here = store.adjacency().of(end).filter(|inc| {
            (inc.forward || inc.other == end) && pairs.contains(&pair(end, inc.other))
        });
        for r in stored_here.filter_map(|inc| store.relation(inc.relation)) {
            let key = relation_key(store, r.from, r.to, &r.relation);
            if wanted.contains(&key) {
                copies.entry(key).or_default().push(r.id);
            }
        }
    }
    for ids in copies.values_mut() {
        ids.sort_unstable_by(|a, b| b.cmp(a));
    }
    copies
}
