//! The serialised form of a store, and its rebuilding from a decoded snapshot with every
//! index rebuilt and every invariant checked.

use foldhash::{HashMap, HashMapExt};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::appended::Appended;
use super::change::Entry;
use super::columns::{Bytes, aligned};
use super::frozen::{Frozen, Section};
use super::ids::{IdMap, IdMapForm};
use super::sections;
use super::sections::Sections;
use super::{Graph, Store, StoreError, edge_slots, node_slots};
use crate::model::{EntityId, KindDecl, RelationType, Strings, TypeId, name_key};

/// What a database file read in place holds beside the store's arrays: the small
/// values, decoded at open, written by reference.
#[derive(Serialize)]
pub(crate) struct FrozenHeadRef<'a> {
    generation: u64,
    counts: (usize, usize),
    types: &'a [RelationType],
    kinds: &'a [KindDecl],
    history: &'a [Entry],
}

/// The small values of a database file read in place, as read back.
#[derive(Deserialize)]
pub(crate) struct FrozenHead {
    generation: u64,
    counts: (usize, usize),
    types: Vec<RelationType>,
    kinds: Vec<KindDecl>,
    history: Vec<Entry>,
}

/// The serialised form of a store of format 4, written by reference (for the tests
/// that read old files).
#[cfg(feature = "fuzzing")]
#[derive(Serialize)]
pub(crate) struct SnapshotRef<'a> {
    generation: u64,
    graph: &'a Graph,
    types: &'a [RelationType],
    kinds: &'a [KindDecl],
    strings: &'a Strings,
    entity_ids: IdMapForm,
    relation_ids: IdMapForm,
    history: &'a [Entry],
}

/// The serialised form of a store, as read back.
#[derive(Deserialize)]
pub(crate) struct Snapshot {
    generation: u64,
    graph: Graph,
    types: Vec<RelationType>,
    kinds: Vec<KindDecl>,
    strings: Strings,
    entity_ids: IdMapForm,
    relation_ids: IdMapForm,
    history: Vec<Entry>,
}

/// The serialised form of format version 3, which kept no history.
#[derive(Deserialize)]
pub(crate) struct SnapshotV3 {
    generation: u64,
    graph: Graph,
    types: Vec<RelationType>,
    strings: Strings,
    entity_ids: IdMapForm,
    relation_ids: IdMapForm,
}

impl From<SnapshotV3> for Snapshot {
    fn from(old: SnapshotV3) -> Snapshot {
        Snapshot {
            generation: old.generation,
            graph: old.graph,
            types: old.types,
            kinds: Vec::new(),
            strings: old.strings,
            entity_ids: old.entity_ids,
            relation_ids: old.relation_ids,
            history: Vec::new(),
        }
    }
}

/// The serialised form of format version 2, whose ids were petgraph's slots.
#[derive(Deserialize)]
pub(crate) struct SnapshotV2 {
    generation: u64,
    graph: Graph,
    types: Vec<RelationType>,
    strings: Strings,
}

impl From<SnapshotV2> for Snapshot {
    /// Each id is its slot, and the next ids follow the highest slot the file kept
    /// (version 2 did not remember removed ids past it); then as version 3.
    fn from(old: SnapshotV2) -> Snapshot {
        use petgraph::visit::{EdgeIndexable, NodeIndexable};
        let entity_ids = IdMap::identity(old.graph.node_bound() as u32).form(0);
        let relation_ids = IdMap::identity(old.graph.edge_bound() as u32).form(0);
        Snapshot::from(SnapshotV3 {
            generation: old.generation,
            graph: old.graph,
            types: old.types,
            strings: old.strings,
            entity_ids,
            relation_ids,
        })
    }
}

impl Store {
    /// The small values of this store as a file read in place keeps them.
    pub(crate) fn frozen_head(&self, generation: u64) -> FrozenHeadRef<'_> {
        FrozenHeadRef {
            generation,
            counts: (self.entity_count(), self.relation_count()),
            types: &self.types,
            kinds: &self.kinds,
            history: self.history(),
        }
    }

    /// The arrays of this store as a file read in place keeps them.
    pub(crate) fn frozen_sections(&self) -> Result<Sections<'_>, String> {
        sections::sections(self)
    }

    /// A store that reads the arrays `section` gives in place, with the small values
    /// of `head`; only the arrays' shapes are checked (a read finds a record that does
    /// not read absent; `kg check` reads them all).
    pub(crate) fn from_frozen(
        head: FrozenHead,
        version: u32,
        section: impl FnMut(Section) -> Option<Bytes>,
    ) -> Result<Store, Vec<String>> {
        let frozen = Frozen::read(section, version, head.types.len(), &head.kinds, head.counts)
            .map_err(|e| vec![e])?;
        let appended = Appended::after(
            frozen.entity_bound(),
            frozen.relation_bound(),
            frozen.string_count() as u32,
        );
        Ok(Store {
            type_index: type_index(&head.types)?,
            types: head.types,
            kinds: head.kinds,
            generation: head.generation,
            history: head.history,
            entity_ids: IdMap::identity(frozen.entity_bound()),
            relation_ids: IdMap::identity(frozen.relation_bound()),
            frozen: Some(Arc::new(frozen)),
            appended,
            ..Store::default()
        })
    }

    /// A store of nothing that reads the arrays of an empty file in place: a new
    /// database's first write keeps what it adds beside them, as a write to any file
    /// read in place does (an import of millions of relations builds no graph).
    pub fn new_in_place() -> Store {
        let head = FrozenHead {
            generation: 0,
            counts: (0, 0),
            types: Vec::new(),
            kinds: Vec::new(),
            history: Vec::new(),
        };
        let empty = Store::new();
        let arrays = match sections::sections(&empty) {
            Ok(arrays) => arrays,
            Err(_) => return Store::new(),
        };
        let parts = arrays.parts();
        let section = |s: Section| {
            let (_, bytes) = parts.iter().find(|(name, _)| *name == s)?;
            Bytes::new(aligned(bytes), 0, bytes.len())
        };
        Store::from_frozen(head, super::frozen::VERSION, section).unwrap_or_else(|_| Store::new())
    }

    /// Whether this store reads a file's arrays in place and keeps additions beside them.
    pub(crate) fn has_additions(&self) -> bool {
        self.frozen.is_some() && !self.appended.is_empty()
    }

    /// Whether this store reads a file's arrays in place (nothing has changed it).
    pub fn is_read_in_place(&self) -> bool {
        self.frozen.is_some()
    }

    /// Builds the graph, the strings and the name indexes from the file's arrays this
    /// store reads in place and what was added to them, so that it can change in any
    /// way (a store that has them already is left as it is). An error names the first
    /// record of a damaged file that does not read, and leaves the store reading in
    /// place.
    pub fn thaw(&mut self) -> Result<(), StoreError> {
        let Some(frozen) = self.frozen.clone() else {
            return Ok(());
        };
        let damaged = |e: String| StoreError::Invalid(format!("the database is damaged: {e}"));
        let graph = match self.frozen_graph.take() {
            Some(graph) => graph,
            None => frozen.graph(&self.appended).map_err(damaged)?,
        };
        let mut strings = frozen.strings().map_err(damaged)?;
        strings.extend(self.appended.strings().iter().cloned());
        let (names, aliases, problems) = index_names(&graph, &self.entity_ids);
        if let Some(problem) = problems.into_iter().next() {
            return Err(damaged(problem));
        }
        self.graph = graph;
        // Ids and slots coincide: the file's adjacency is the graph's, if nothing was
        // added (else it is built again on first use).
        self.adjacency = match self.appended.is_empty() {
            true => OnceLock::from(frozen.adjacency().clone()),
            false => OnceLock::new(),
        };
        self.strings = Strings::from_list(strings);
        self.names = names;
        self.aliases = aliases;
        self.frozen = None;
        self.appended = Appended::default();
        Ok(())
    }

    #[cfg(feature = "fuzzing")]
    pub(crate) fn snapshot(&self, generation: u64) -> SnapshotRef<'_> {
        use petgraph::visit::{EdgeIndexable, NodeIndexable};
        SnapshotRef {
            generation,
            graph: &self.graph,
            types: &self.types,
            kinds: &self.kinds,
            strings: &self.strings,
            entity_ids: self.entity_ids.form(self.graph.node_bound() as u32),
            relation_ids: self.relation_ids.form(self.graph.edge_bound() as u32),
            history: &self.history,
        }
    }

    /// Rebuilds a store from a decoded snapshot, verifying every invariant.
    /// With `build_adjacency`, the searches' adjacency is built on the other core
    /// meanwhile.
    pub(crate) fn from_snapshot(
        snapshot: Snapshot,
        build_adjacency: bool,
    ) -> Result<Store, Vec<String>> {
        let entity_ids =
            IdMap::from_form(snapshot.entity_ids, "entity", node_slots(&snapshot.graph))
                .map_err(|e| vec![e])?;
        let relation_ids = IdMap::from_form(
            snapshot.relation_ids,
            "relation",
            edge_slots(&snapshot.graph),
        )
        .map_err(|e| vec![e])?;
        let mut store = Store {
            graph: snapshot.graph,
            types: snapshot.types,
            kinds: snapshot.kinds,
            strings: snapshot.strings,
            generation: snapshot.generation,
            entity_ids,
            relation_ids,
            history: snapshot.history,
            ..Store::default()
        };
        store.type_index = type_index(&store.types)?;
        let mut problems = Vec::new();
        // The searches' adjacency is built on the other core while this one indexes the
        // names and checks the invariants.
        let (names, aliases, name_problems, structure_problems, adjacency) =
            std::thread::scope(|scope| {
                let (graph, strings) = (&store.graph, &store.strings);
                let (entity_ids, relation_ids) = (&store.entity_ids, &store.relation_ids);
                let adjacency = scope.spawn(move || {
                    let adjacency = build_adjacency
                        .then(|| super::build_adjacency(graph, entity_ids, relation_ids));
                    (adjacency, strings.duplicates())
                });
                let (names, aliases, name_problems) = index_names(graph, entity_ids);
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

/// The index of relation types by name, or why `types` cannot have one.
fn type_index(types: &[RelationType]) -> Result<HashMap<String, TypeId>, Vec<String>> {
    if types.len() > u16::MAX as usize + 1 {
        return Err(vec![format!(
            "{} relation types: at most 65,536 fit",
            types.len()
        )]);
    }
    let mut index = HashMap::with_capacity(types.len());
    let mut problems = Vec::new();
    for (i, t) in types.iter().enumerate() {
        if index.insert(name_key(&t.name), TypeId(i as u16)).is_some() {
            problems.push(format!("relation type '{}' is defined twice", t.name));
        }
    }
    match problems.is_empty() {
        true => Ok(index),
        false => Err(problems),
    }
}

/// The name and alias indexes of a graph, and the duplicates found building them.
#[allow(clippy::type_complexity)]
fn index_names(
    graph: &Graph,
    ids: &IdMap,
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
        let id = EntityId(ids.id(n.index() as u32));
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
    if !ids.is_identity() {
        // Candidates are listed in id order, as the graph's slots are not.
        for ids in aliases.values_mut() {
            ids.sort_unstable();
        }
    }
    (names, aliases, problems)
}
