//! The serialised form of a store, and its rebuilding from a decoded snapshot with every
//! index rebuilt and every invariant checked.

use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{Graph, Store, entity_id};
use crate::model::{EntityId, RelationType, Strings, TypeId, name_key};

/// The serialised form of a store, written by reference.
#[derive(Serialize)]
pub(crate) struct SnapshotRef<'a> {
    generation: u64,
    graph: &'a Graph,
    types: &'a [RelationType],
    strings: &'a Strings,
}

/// The serialised form of a store, as read back.
#[derive(Deserialize)]
pub(crate) struct Snapshot {
    generation: u64,
    graph: Graph,
    types: Vec<RelationType>,
    strings: Strings,
}

impl Store {
    pub(crate) fn snapshot(&self, generation: u64) -> SnapshotRef<'_> {
        SnapshotRef {
            generation,
            graph: &self.graph,
            types: &self.types,
            strings: &self.strings,
        }
    }

    /// Rebuilds a store from a decoded snapshot, verifying every invariant.
    /// With `build_adjacency`, the searches' adjacency is built on the other core
    /// meanwhile.
    pub(crate) fn from_snapshot(
        snapshot: Snapshot,
        build_adjacency: bool,
    ) -> Result<Store, Vec<String>> {
        let mut store = Store {
            graph: snapshot.graph,
            types: snapshot.types,
            strings: snapshot.strings,
            generation: snapshot.generation,
            ..Store::default()
        };
        let mut problems = Vec::new();
        if store.types.len() > u16::MAX as usize + 1 {
            return Err(vec![format!(
                "{} relation types: at most 65,536 fit",
                store.types.len()
            )]);
        }
        for (i, t) in store.types.iter().enumerate() {
            if store
                .type_index
                .insert(name_key(&t.name), TypeId(i as u16))
                .is_some()
            {
                problems.push(format!("relation type '{}' is defined twice", t.name));
            }
        }
        // The searches' adjacency is built on the other core while this one indexes the
        // names and checks the invariants.
        let (names, aliases, name_problems, structure_problems, adjacency) =
            std::thread::scope(|scope| {
                let (graph, strings) = (&store.graph, &store.strings);
                let adjacency = scope.spawn(move || {
                    let adjacency = build_adjacency.then(|| super::build_adjacency(graph));
                    (adjacency, strings.duplicates())
                });
                let (names, aliases, name_problems) = index_names(graph);
                let structure_problems = store.verify_structure();
                (
                    names,
                    aliases,
                    name_problems,
                    structure_problems,
                    adjacency.join(),
                )
            });
        store.names = names;
        store.aliases = aliases;
        problems.extend(name_problems);
        problems.extend(structure_problems);
        match adjacency {
            Ok((adjacency, duplicates)) => {
                if duplicates > 0 {
                    problems.push(format!("{duplicates} interned strings are stored twice"));
                }
                if let Some(adjacency) = adjacency {
                    store.adjacency = OnceLock::from(adjacency);
                }
            }
            Err(_) => problems.push("the load checks failed".to_string()),
        }
        if problems.is_empty() {
            Ok(store)
        } else {
            Err(problems)
        }
    }
}

/// The name and alias indexes of a graph, and the duplicates found building them.
#[allow(clippy::type_complexity)]
fn index_names(
    graph: &Graph,
) -> (
    HashMap<String, EntityId>,
    HashMap<String, Vec<EntityId>>,
    Vec<String>,
) {
    let mut problems = Vec::new();
    let mut names = HashMap::with_capacity(graph.node_count());
    let mut aliases: HashMap<String, Vec<EntityId>> = HashMap::new();
    for n in graph.node_indices() {
        let entity = &graph[n];
        let id = entity_id(n);
        if names.insert(name_key(&entity.name), id).is_some() {
            problems.push(format!("entity name '{}' is used twice", entity.name));
        }
        for alias in &entity.aliases {
            let ids: &mut Vec<EntityId> = aliases.entry(name_key(alias)).or_default();
            if ids.contains(&id) {
                problems.push(format!(
                    "entity '{}' has the alias '{alias}' twice",
                    entity.name
                ));
            } else {
                ids.push(id);
            }
        }
    }
    (names, aliases, problems)
}
