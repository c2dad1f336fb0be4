//! Additions and removals of relations on a store that reads its file in place (kept
//! beside the file's arrays) against the same changes to the graph built from it:
//! every answer, every error and the file each writes must be the same.

use std::path::Path;

use kg::algo::{PathQuery, shortest_path};
use kg::model::{
    Entity, EntityId, Kind, Relation, RelationId, RelationType, Status, TimeSpan, TypeId,
};
use kg::select::Selection;
use kg::storage;
use kg::store::Store;
use proptest::prelude::*;

/// One addition, its choices drawn as numbers and resolved against the store.
#[derive(Debug, Clone)]
enum Op {
    Type(usize, bool),
    Entity(usize, usize, Vec<usize>),
    Relation(usize, usize, usize, Option<usize>, Option<usize>),
    Skip(u32, u32),
    /// Removes the relation at this position among those there.
    Remove(usize),
    /// Puts back the relation removed this many removals ago.
    Restore(usize),
    /// Changes the relation at this position: its type, date, status.
    Update(usize, usize, Option<usize>, usize),
    /// Changes the entity at this position: its kind and aliases.
    UpdateEntity(usize, usize, Vec<usize>),
    /// Renames the entity at this position (to a name drawn, perhaps with a suffix).
    Rename(usize, usize, bool),
    /// Removes the entity at this position, with its relations.
    RemoveEntity(usize),
    /// Takes back the last write that stands (each op is a write of its own).
    Undo,
}

/// The relations a run removed, to put back: id, ends and relation.
type Removed = Vec<(RelationId, EntityId, EntityId, Relation)>;

const NAMES: [&str; 8] = [
    "Naryshkin",
    "Lavrov",
    "svr",
    "Foreign Intelligence Service",
    "Shoigu",
    "Nato",
    "Kremlin",
    "Peskov",
];
const TEXTS: [&str; 4] = ["Tass", "Reuters", "Kremlin readout", ""];
const DATES: [&str; 4] = ["2025-03-18", "2025-03", "2024..2025-06", "..2025-01-02"];
const KINDS: [Kind; 3] = [Kind::Person, Kind::Organization, Kind::Country];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..4, any::<bool>()).prop_map(|(n, s)| Op::Type(n, s)),
        (0usize..8, 0usize..3, prop::collection::vec(0usize..8, 0..3))
            .prop_map(|(n, k, a)| Op::Entity(n, k, a)),
        (
            any::<usize>(),
            any::<usize>(),
            0usize..20,
            prop::option::of(0usize..4),
            prop::option::of(0usize..4)
        )
            .prop_map(|(a, b, t, d, s)| Op::Relation(a, b, t, d, s)),
        (0u32..3, 0u32..3).prop_map(|(e, r)| Op::Skip(e, r)),
        any::<usize>().prop_map(Op::Remove),
        (0usize..3).prop_map(Op::Restore),
        (
            any::<usize>(),
            0usize..20,
            prop::option::of(0usize..4),
            0usize..5
        )
            .prop_map(|(n, t, d, s)| Op::Update(n, t, d, s)),
        (
            any::<usize>(),
            0usize..3,
            prop::collection::vec(0usize..8, 0..3)
        )
            .prop_map(|(n, k, a)| Op::UpdateEntity(n, k, a)),
        (any::<usize>(), 0usize..8, any::<bool>()).prop_map(|(n, k, s)| Op::Rename(n, k, s)),
        any::<usize>().prop_map(Op::RemoveEntity),
        Just(Op::Undo),
    ]
}

/// Applies `op`, saying what it returned.
fn apply(store: &mut Store, removed: &mut Removed, op: &Op) -> String {
    match op {
        Op::Type(n, symmetric) => {
            let rtype = RelationType {
                symmetric: *symmetric,
                ..RelationType::directed(format!("told{n}"))
            };
            format!("{:?}", store.add_type(rtype))
        }
        Op::Entity(n, kind, aliases) => {
            let mut e = Entity::new(NAMES[*n], KINDS[*kind].clone());
            e.aliases = aliases.iter().map(|&a| NAMES[a].to_lowercase()).collect();
            format!("{:?}", store.add_entity(e))
        }
        Op::Relation(a, b, t, date, source) => {
            let ids: Vec<EntityId> = store.entities().map(|(id, _)| id).collect();
            let (from, to) = (ids[a % ids.len()], ids[b % ids.len()]);
            let mut r = Relation::new(TypeId((t % store.types().len()) as u16));
            if let Some(d) = date {
                r.when = TimeSpan::parse(DATES[*d]).expect("a date");
            }
            if let Some(s) = source {
                match store.intern(TEXTS[*s]) {
                    Ok(sym) => r.source = Some(sym),
                    Err(e) => return format!("{e}"),
                }
            }
            format!("{:?}", store.add_relation(from, to, r))
        }
        Op::Skip(e, r) => {
            let (entities, relations) =
                (store.entity_bound() as u32, store.relation_bound() as u32);
            store.skip_ids_to(
                Some(EntityId(entities + e)),
                Some(RelationId(relations + r)),
            );
            String::new()
        }
        Op::Remove(n) => {
            let ids: Vec<RelationId> = store.relations().map(|r| r.id).collect();
            let Some(&id) = ids.get(n % ids.len().max(1)) else {
                return "none".to_string();
            };
            let result = store.remove_relation(id);
            if let Ok((from, to, relation)) = &result {
                removed.push((id, *from, *to, relation.clone()));
            }
            format!("{result:?}")
        }
        Op::Update(n, t, date, status) => {
            let ids: Vec<RelationId> = store.relations().map(|r| r.id).collect();
            let Some(&id) = ids.get(n % ids.len().max(1)) else {
                return "none".to_string();
            };
            let Some(mut r) = store.relation_weight(id).map(|r| r.into_owned()) else {
                return "gone".to_string();
            };
            r.rtype = TypeId((t % store.types().len()) as u16);
            r.when = match date {
                Some(d) => TimeSpan::parse(DATES[*d]).expect("a date"),
                None => TimeSpan::UNDATED,
            };
            r.status = Status::ALL[*status];
            format!("{:?}", store.update_relation(id, r))
        }
        Op::UpdateEntity(n, kind, aliases) => {
            let ids: Vec<EntityId> = store.entities().map(|(id, _)| id).collect();
            let id = ids[n % ids.len()];
            let result = store.update_entity(id, |e| {
                e.kind = KINDS[*kind].clone();
                e.aliases = aliases.iter().map(|&a| NAMES[a].to_uppercase()).collect();
            });
            format!("{result:?}")
        }
        Op::Rename(n, name, suffix) => {
            let ids: Vec<EntityId> = store.entities().map(|(id, _)| id).collect();
            let id = ids[n % ids.len()];
            let name = format!("{}{}", NAMES[*name], if *suffix { " Jr" } else { "" });
            format!("{:?}", store.rename_entity(id, &name))
        }
        Op::RemoveEntity(n) => {
            let ids: Vec<EntityId> = store.entities().map(|(id, _)| id).collect();
            let Some(&id) = ids.get(n % ids.len().max(1)) else {
                return "none".to_string();
            };
            format!("{:?}", store.remove_entity(id).map(|(e, n)| (e.name, n)))
        }
        Op::Undo => {
            let seqs = store.undoable(1);
            format!("{:?}", store.undo(&seqs))
        }
        Op::Restore(back) => {
            let Some(at) = removed.len().checked_sub(back + 1) else {
                return "none".to_string();
            };
            let (id, from, to, relation) = removed.remove(at);
            format!("{:?}", store.restore_relation(id, from, to, relation))
        }
    }
}

/// Everything a reader can ask, in one comparable text.
fn answers(store: &Store) -> String {
    let mut out = format!(
        "{} entities, {} relations, bounds {} {}\n",
        store.entity_count(),
        store.relation_count(),
        store.entity_bound(),
        store.relation_bound()
    );
    // Counts by kind and by type, as `kg stats` gives them.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for (kind, n) in store.entity_counts() {
        match kinds.iter_mut().find(|(k, _)| *k == kind.as_str()) {
            Some((_, count)) => *count += n,
            None => kinds.push((kind.as_str().to_string(), n)),
        }
    }
    kinds.retain(|(_, n)| *n > 0);
    kinds.sort();
    out += &format!("kinds {kinds:?} types {:?}\n", store.relation_counts());
    // Every name the ops use, and the bundled graph's, looked up: a name an entity had
    // before a rename must not find it.
    let names = NAMES.iter().map(|n| n.to_string());
    let seed = ["Putin", "Trump", "SVR", "Vladimir Putin", "Kremlin"].map(String::from);
    for name in names.clone().chain(names.map(|n| n + " Jr")).chain(seed) {
        out += &format!(
            "{name}: {:?} {:?}\n",
            store.by_name(&name),
            store.by_alias(&name)
        );
    }
    for (id, e) in store.entities() {
        out += &format!("{id:?} {e:?} by name {:?}", store.by_name(&e.name));
        for alias in &e.aliases {
            out += &format!(" alias {alias} {:?}", store.by_alias(alias));
        }
        let list: Vec<_> = store.adjacency().of(id).collect();
        out += &format!(" lists {list:?}\n");
    }
    for r in store.relations() {
        let text = store.relation_text(&r.relation);
        out += &format!(
            "{} {:?} {:?} {text:?} {:?}\n",
            r.id.0,
            r.from,
            r.to,
            store.relation_facts(r.id)
        );
    }
    let ids: Vec<EntityId> = store.entities().map(|(id, _)| id).collect();
    for (i, &a) in ids.iter().enumerate().step_by(3) {
        let b = ids[(i * 7 + 1) % ids.len()];
        for chronological in [false, true] {
            let query = PathQuery {
                chronological,
                ..PathQuery::default()
            };
            let path = shortest_path(store, a, b, &Selection::all(), query);
            out += &format!("path {a:?} {b:?} {path:?}\n");
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn additions_and_removals_beside_the_file_answer_as_the_graph_does(ops in prop::collection::vec(op(), 1..40)) {
        let file = storage::encode(&kg::bundled_graph().expect("the bundled graph")).expect("encodes");
        let mut in_place = storage::decode(Path::new("seed"), &file).expect("decodes");
        prop_assert!(in_place.is_read_in_place());
        let mut graph = in_place.clone();
        graph.thaw().expect("thaws");
        let (mut removed_here, mut removed_there) = (Removed::new(), Removed::new());
        // Each op a write of its own, as a command is, so that undo takes it back.
        let step = |store: &mut Store, removed: &mut Removed, op: &Op| {
            store.start_entry();
            let out = apply(store, removed, op);
            store.finish_entry("op", 0);
            out
        };
        for op in &ops {
            let was_in_place = in_place.is_read_in_place();
            prop_assert_eq!(
                step(&mut in_place, &mut removed_here, op),
                step(&mut graph, &mut removed_there, op),
                "{:?}", op
            );
            // Only an undo may build the graph (of the removal of a type, say).
            if was_in_place && !matches!(op, Op::Undo) {
                prop_assert!(in_place.is_read_in_place(), "{:?} built the graph", op);
            }
        }
        prop_assert_eq!(answers(&in_place), answers(&graph));
        prop_assert_eq!(in_place.verify(), Vec::<String>::new());
        let written = storage::encode(&in_place).expect("encodes");
        let other = storage::encode(&graph).expect("encodes");
        let at = written.iter().zip(&other).position(|(a, b)| a != b);
        prop_assert!(written == other, "the files differ at {:?} of {} and {}", at, written.len(), other.len());
        // Read back, and built again: the same answers.
        let mut reread = storage::decode(Path::new("again"), &written).expect("decodes");
        prop_assert_eq!(answers(&reread), answers(&graph));
        reread.thaw().expect("thaws");
        prop_assert_eq!(answers(&reread), answers(&graph));
    }
}

/// A write that has to build the graph (a relation moved to other ends) writes a new snapshot of a file past
/// the size given, so that the next commands read it in place instead of building the
/// graph again to replay the journal.
#[test]
fn a_write_that_builds_the_graph_leaves_a_file_read_in_place() -> Result<(), kg::Error> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("t.kgdb");
    let db = || kg::storage::Database::new(&path).with_rebuilt_snapshot_from(0);
    db().save(&kg::bundled_graph()?)?;
    db().write(|s| -> Result<_, kg::Error> {
        Ok(s.add_entity(Entity::new("Lavrov", Kind::Person))?)
    })?;
    let journal = db().journal_path();
    assert!(journal.exists(), "an addition is appended to the journal");
    assert!(db().open()?.store.is_read_in_place());
    db().write(|s| -> Result<_, kg::Error> {
        let (lavrov, putin) = (s.resolve("Lavrov")?, s.resolve("Putin")?);
        Ok(s.move_relation(RelationId(0), lavrov, putin)?)
    })?;
    assert!(!journal.exists(), "the move wrote a snapshot");
    let opened = db().open()?.store;
    assert!(opened.is_read_in_place());
    let moved = opened.relation(RelationId(0)).map(|r| (r.from, r.to));
    assert_eq!(
        moved,
        Some((opened.resolve("Lavrov")?, opened.resolve("Putin")?))
    );
    assert_eq!(opened.verify(), Vec::<String>::new());
    Ok(())
}
