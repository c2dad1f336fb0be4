//! The graph store: a petgraph `StableDiGraph` of entities and relations, the name and
//! alias index, the relation type registry and the interned strings.
//!
//! Ids are kg's own: an entity or relation keeps its id for its whole life (through
//! saves, compaction, replay and moves to other ends) and no id is given twice. The map
//! to petgraph's slots, which petgraph reuses after a removal, is in `ids`.
//!
//! Invariants (checked by [`Store::verify`] when a file is loaded):
//! - canonical names are non-empty and unique, compared case-insensitively;
//! - every relation's type, strings and `claimed_by` entity exist;
//! - every stored date and grade is well formed, properties are sorted with unique keys.
//!
//! Beside this file: every change to the graph (`edit`), kg's ids and their map to
//! petgraph's slots (`ids`), the history of writes and undo (`history`), merging
//! (`merge`), the searches' compressed adjacency (`adjacency`), the recorded changes
//! (`change`) and their replay (`replay`), the value limits (`checks`), name
//! suggestions (`nearest`), the serialised form (`snapshot`), the invariant checks
//! (`verify`), the kinds of the graph's own (`kinds`), and the file's arrays read in
//! place (`frozen`, over `columns`) that a store opened from a file reads until it
//! changes.

mod adjacency;
mod appended;
mod change;
mod checks;
pub(crate) mod columns;
mod edit;
mod error;
pub(crate) mod frozen;
mod history;
mod ids;
mod in_place;
mod kinds;
mod merge;
mod nearest;
mod replay;
pub(crate) mod sections;
pub(crate) mod snapshot;
mod types;
mod verify;

use foldhash::HashMap;
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

use crate::model::{
    Entity, EntityId, Kind, KindDecl, Relation, RelationFacts, RelationId, RelationType, Strings,
    Sym, TypeId,
};
pub use adjacency::{Adjacency, Incidence};
use appended::Appended;
pub use change::{Change, Entry, Recording, RelationText};
pub use checks::{check_name, check_not_id, check_property, check_text};
pub use error::StoreError;
use frozen::Frozen;
pub use history::Tally;
use ids::IdMap;
pub use merge::{Conflict, Merged};
pub use nearest::nearest;
use nearest::nearest_by;

/// The graph as petgraph holds it.
pub type Graph = StableDiGraph<Entity, Relation, u32>;

/// How a name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(EntityId),
    /// Several entities carry the name as an alias.
    Ambiguous(Vec<EntityId>),
    Missing,
}

/// A relation together with its stored ends (borrowed from the graph, or decoded from
/// the file a store reads in place).
#[derive(Debug, Clone)]
pub struct RelationRef<'a> {
    pub id: RelationId,
    pub from: EntityId,
    pub to: EntityId,
    pub relation: Cow<'a, Relation>,
}

/// The whole database in memory.
#[derive(Debug, Default, Clone)]
pub struct Store {
    graph: Graph,
    types: Vec<RelationType>,
    /// The kinds of the graph's own, in the order they were declared.
    kinds: Vec<KindDecl>,
    strings: Strings,
    type_index: HashMap<String, TypeId>,
    names: HashMap<String, EntityId>,
    aliases: HashMap<String, Vec<EntityId>>,
    /// Entity ids and the graph's node slots.
    entity_ids: IdMap,
    /// Relation ids and the graph's edge slots.
    relation_ids: IdMap,
    /// The searches' compressed adjacency, derived from `graph` on first use and
    /// dropped by every change.
    adjacency: OnceLock<Adjacency>,
    /// The changes made since recording started, for the journal.
    recording: Option<Recording>,
    /// The writes made to this database, each with its undo.
    history: Vec<Entry>,
    /// The undo of the write in progress, while one is being gathered.
    pending: Option<history::Pending>,
    /// How many times the snapshot this store was read from has been rewritten; a
    /// journal names the generation it extends.
    generation: u64,
    /// The database file's arrays, read in place, until something other than adding
    /// changes the store: while they are here every read comes from them and from
    /// `appended`, and `graph`, `strings` and the name indexes are empty (the id maps
    /// are the identity over the file's ids and the added ones).
    frozen: Option<Arc<Frozen>>,
    /// The entities, relations and strings added to `frozen`.
    appended: Appended,
    /// The symbols of `frozen`'s strings by their text, read when a string is interned.
    file_strings: OnceLock<HashMap<String, Sym>>,
    /// The graph of `frozen` and `appended`, built when petgraph's own algorithms ask
    /// for it.
    frozen_graph: OnceLock<Graph>,
}

pub use crate::model::name_key;

/// The compressed adjacency of `graph`, by id.
/// The relations come in id order (not petgraph's slot order, which differs once a
/// removed relation's slot is reused), so that every list is in id order.
fn build_adjacency(graph: &Graph, entities: &IdMap, relations: &IdMap) -> Adjacency {
    let edges = (0..relations.bound()).filter_map(|id| {
        let slot = EdgeIndex::new(relations.slot(id)? as usize);
        let (from, to) = graph.edge_endpoints(slot)?;
        Some((
            EntityId(entities.id(from.index() as u32)),
            EntityId(entities.id(to.index() as u32)),
            RelationId(id),
            graph[slot].facts(),
        ))
    });
    Adjacency::build(entities.bound() as usize, edges)
}

/// The live slots of the graph's nodes.
fn node_slots(graph: &Graph) -> impl Iterator<Item = u32> + '_ {
    graph.node_indices().map(|n| n.index() as u32)
}

/// The live slots of the graph's edges.
fn edge_slots(graph: &Graph) -> impl Iterator<Item = u32> + '_ {
    graph.edge_indices().map(|e| e.index() as u32)
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    /// The generation of the snapshot this store was read from (0 for a new store).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Records that this store was just saved as snapshot generation `generation`.
    pub(crate) fn saved_as(&mut self, generation: u64) {
        self.generation = generation;
    }

    /// The petgraph graph, for petgraph's own algorithms (read-only). A store read in
    /// place from a file builds it on first use.
    pub fn graph(&self) -> &Graph {
        match &self.frozen {
            None => &self.graph,
            Some(frozen) => self
                .frozen_graph
                .get_or_init(|| frozen.graph(&self.appended).unwrap_or_default()),
        }
    }

    /// One past the highest entity id ever given (ids index per-entity arrays).
    pub fn entity_bound(&self) -> usize {
        self.entity_ids.bound() as usize
    }

    /// One past the highest relation id ever given.
    pub fn relation_bound(&self) -> usize {
        self.relation_ids.bound() as usize
    }

    /// The graph's node that holds entity `id`, for petgraph's own algorithms over
    /// [`Store::graph`] or a selection's view of it.
    pub fn node_index(&self, id: EntityId) -> Option<NodeIndex<u32>> {
        let slot = NodeIndex::new(self.entity_ids.slot(id.0)? as usize);
        match &self.frozen {
            None => self.graph.contains_node(slot).then_some(slot),
            Some(_) => self.has_entity(id).then_some(slot),
        }
    }

    /// The entity a node of the graph holds.
    pub fn entity_at(&self, node: NodeIndex<u32>) -> EntityId {
        EntityId(self.entity_ids.id(node.index() as u32))
    }

    /// The graph's edge that holds relation `id`.
    fn edge_index(&self, id: RelationId) -> Option<EdgeIndex<u32>> {
        Some(EdgeIndex::new(self.relation_ids.slot(id.0)? as usize))
    }

    /// The relation an edge of the graph holds.
    fn relation_at(&self, edge: EdgeIndex<u32>) -> RelationId {
        RelationId(self.relation_ids.id(edge.index() as u32))
    }

    /// The compressed adjacency of the graph, built on first use.
    pub fn adjacency(&self) -> &Adjacency {
        if let Some(frozen) = &self.frozen {
            let removed = self.appended.removed_count() > 0;
            let updated = self.appended.updates().next().is_some();
            if self.appended.relations().next().is_none() && !removed && !updated {
                return frozen.adjacency();
            }
            if frozen.relation_bound() == 0 {
                // All the relations are added ones: their lists are laid out in arrays.
                let added = (self.appended.relations())
                    .map(|(id, (from, to, r))| (*from, *to, id, r.facts()));
                return self
                    .adjacency
                    .get_or_init(|| Adjacency::build(self.entity_bound(), added));
            }
            return self.adjacency.get_or_init(|| {
                let added = self
                    .appended
                    .relations()
                    .map(|(id, (from, to, r))| (*from, *to, id, r.facts()));
                let removed = (self.appended.removed())
                    .filter_map(|id| frozen.relation(id).map(|(from, to, _)| (id, from, to)));
                let updated = (self.appended.updates()).map(|(id, r)| (id, r.facts()));
                (frozen.adjacency().extended(added))
                    .hiding(removed)
                    .changing(updated)
            });
        }
        self.adjacency
            .get_or_init(|| build_adjacency(&self.graph, &self.entity_ids, &self.relation_ids))
    }

    /// Forgets what was derived from the graph, after a change.
    fn changed(&mut self) {
        self.adjacency = OnceLock::new();
        if self.frozen.is_some() {
            self.frozen_graph = OnceLock::new();
        }
    }

    /// Makes room for `entities` more entities and `relations` more relations, so that
    /// a large import does not regrow the graph's arrays again and again.
    /// A store reading its file in place makes the room beside it.
    pub fn reserve(&mut self, entities: usize, relations: usize) {
        if self.frozen.is_some() {
            self.appended.reserve(entities, relations);
            return;
        }
        self.graph.reserve_nodes(entities);
        self.graph.reserve_edges(relations);
    }

    /// Starts recording changes, up to `limit` of them.
    pub fn start_recording(&mut self, limit: usize) {
        self.recording = Some(Recording::Changes(Vec::new(), limit));
    }

    /// The changes recorded since [`Store::start_recording`] (which it stops), or `None`
    /// when recording was not started.
    pub fn take_recording(&mut self) -> Option<Recording> {
        self.recording.take()
    }

    fn record(&mut self, change: impl FnOnce(&Store) -> Change) {
        if let Some(Recording::Changes(changes, limit)) = &self.recording {
            if changes.len() >= *limit {
                self.recording = Some(Recording::TooMany);
                return;
            }
            let change = change(self);
            if let Some(Recording::Changes(changes, _)) = &mut self.recording {
                changes.push(change);
            }
        }
    }

    /// A relation from its written-out form, its strings interned.
    pub fn relation_of_text(&mut self, text: RelationText) -> Result<Relation, StoreError> {
        let mut r = Relation::new(text.rtype);
        r.when = text.when;
        r.status = text.status;
        r.grade = text.grade;
        r.source = text.source.as_deref().map(|s| self.intern(s)).transpose()?;
        r.quote = text.quote.as_deref().map(|s| self.intern(s)).transpose()?;
        r.claimed_by = text.claimed_by;
        r.properties = text
            .properties
            .iter()
            .map(|(k, v)| Ok((self.intern(k)?, self.intern(v)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(r)
    }

    /// A relation with its strings written out.
    pub fn relation_text(&self, relation: &Relation) -> RelationText {
        let text = |s: Sym| self.text(s).to_string();
        RelationText {
            rtype: relation.rtype,
            when: relation.when,
            status: relation.status,
            grade: relation.grade,
            source: relation.source.map(text),
            quote: relation.quote.map(text),
            claimed_by: relation.claimed_by,
            properties: relation
                .properties
                .iter()
                .map(|(k, v)| (text(*k), text(*v)))
                .collect(),
        }
    }

    /// How many strings are interned.
    pub fn string_count(&self) -> usize {
        match &self.frozen {
            None => self.strings.len(),
            Some(frozen) => frozen.string_count() + self.appended.string_count(),
        }
    }

    /// The string of an interned symbol.
    pub fn text(&self, sym: Sym) -> &str {
        match &self.frozen {
            None => self.strings.get(sym),
            Some(frozen) => self.appended.text(sym).unwrap_or_else(|| frozen.text(sym)),
        }
    }

    pub fn entity_count(&self) -> usize {
        match &self.frozen {
            None => self.graph.node_count(),
            Some(frozen) => {
                let removed = self.appended.removed_entities().count();
                frozen.counts().0 - removed + self.appended.counts().0
            }
        }
    }

    pub fn relation_count(&self) -> usize {
        match &self.frozen {
            None => self.graph.edge_count(),
            Some(frozen) => {
                frozen.counts().1 - self.appended.removed_count() + self.appended.counts().1
            }
        }
    }

    /// Entity `id`, if it exists (borrowed from the graph, or decoded from the file a
    /// store reads in place).
    pub fn entity(&self, id: EntityId) -> Option<Cow<'_, Entity>> {
        match &self.frozen {
            None => self
                .graph
                .node_weight(self.node_index(id)?)
                .map(Cow::Borrowed),
            Some(_) if self.appended.is_entity_removed(id) => None,
            Some(frozen) => match self.appended.entity(id) {
                Some(entity) => Some(Cow::Borrowed(entity)),
                None => match self.appended.updated_entity(id) {
                    Some(entity) => Some(Cow::Borrowed(entity)),
                    None => frozen.entity(id).map(Cow::Owned),
                },
            },
        }
    }

    /// Whether entity `id` exists.
    pub fn has_entity(&self, id: EntityId) -> bool {
        match &self.frozen {
            Some(frozen) => match self.appended.has_entity(id) {
                Some(present) => present,
                None => frozen.kind(id).is_some() && !self.appended.is_entity_removed(id),
            },
            None => self.kind_of(id).is_some(),
        }
    }

    /// The kind of entity `id`, if it exists.
    pub fn kind_of(&self, id: EntityId) -> Option<&Kind> {
        match &self.frozen {
            None => self
                .graph
                .node_weight(self.node_index(id)?)
                .map(|e| &e.kind),
            Some(_) if self.appended.is_entity_removed(id) => None,
            Some(frozen) => match self.appended.entity(id) {
                Some(entity) => Some(&entity.kind),
                None => match self.appended.updated_entity(id) {
                    Some(entity) => Some(&entity.kind),
                    None => frozen.kind(id),
                },
            },
        }
    }

    /// The name of an entity, or `?` for an id that does not exist.
    pub fn name(&self, id: EntityId) -> &str {
        let name = match &self.frozen {
            None => self
                .node_index(id)
                .and_then(|n| self.graph.node_weight(n))
                .map(|e| e.name.as_str()),
            Some(_) if self.appended.is_entity_removed(id) => None,
            Some(frozen) => match self.appended.entity(id) {
                Some(entity) => Some(entity.name.as_str()),
                None => match self.appended.updated_entity(id) {
                    Some(entity) => Some(entity.name.as_str()),
                    None => frozen.name(id),
                },
            },
        };
        name.unwrap_or("?")
    }

    /// Every entity, in id order.
    /// The ids of the entities there are, in order, without reading the entities.
    pub fn entity_ids(&self) -> impl Iterator<Item = EntityId> + '_ {
        (0..self.entity_ids.bound())
            .map(EntityId)
            .filter(move |&id| self.has_entity(id))
    }

    pub fn entities(&self) -> impl Iterator<Item = (EntityId, Cow<'_, Entity>)> + '_ {
        (0..self.entity_ids.bound()).filter_map(move |id| {
            let id = EntityId(id);
            Some((id, self.entity(id)?))
        })
    }

    pub fn relation(&self, id: RelationId) -> Option<RelationRef<'_>> {
        if let Some(frozen) = &self.frozen {
            if self.appended.is_removed(id) {
                return None;
            }
            if let Some((from, to, relation)) = self.appended.relation(id) {
                return Some(RelationRef {
                    id,
                    from: *from,
                    to: *to,
                    relation: Cow::Borrowed(relation),
                });
            }
            let (from, to, relation) = frozen.relation(id)?;
            let relation = match self.appended.updated(id) {
                Some(updated) => Cow::Borrowed(updated),
                None => Cow::Owned(relation),
            };
            return Some(RelationRef {
                id,
                from,
                to,
                relation,
            });
        }
        let e = self.edge_index(id)?;
        let (from, to) = self.graph.edge_endpoints(e)?;
        Some(RelationRef {
            id,
            from: self.entity_at(from),
            to: self.entity_at(to),
            relation: Cow::Borrowed(&self.graph[e]),
        })
    }

    /// What a search's filter reads of relation `id` (a search walking the adjacency
    /// finds them in its entries instead).
    pub fn relation_facts(&self, id: RelationId) -> Option<RelationFacts> {
        match &self.frozen {
            None => self
                .graph
                .edge_weight(self.edge_index(id)?)
                .map(Relation::facts),
            Some(_) if self.appended.is_removed(id) => None,
            Some(frozen) => match (self.appended.relation(id), self.appended.updated(id)) {
                (Some((_, _, relation)), _) | (None, Some(relation)) => Some(relation.facts()),
                (None, None) => frozen.facts(id),
            },
        }
    }

    /// The relation of that id alone, without its ends.
    pub fn relation_weight(&self, id: RelationId) -> Option<Cow<'_, Relation>> {
        match &self.frozen {
            None => self
                .graph
                .edge_weight(self.edge_index(id)?)
                .map(Cow::Borrowed),
            Some(_) if self.appended.is_removed(id) => None,
            Some(frozen) => match (self.appended.relation(id), self.appended.updated(id)) {
                (Some((_, _, relation)), _) | (None, Some(relation)) => {
                    Some(Cow::Borrowed(relation))
                }
                (None, None) => frozen.relation(id).map(|(_, _, r)| Cow::Owned(r)),
            },
        }
    }

    /// Every relation, in id order.
    pub fn relations(&self) -> Box<dyn Iterator<Item = RelationRef<'_>> + '_> {
        let Some(frozen) = &self.frozen else {
            return Box::new(
                (0..self.relation_ids.bound()).filter_map(move |id| self.relation(RelationId(id))),
            );
        };
        // The file's relations found in one pass, then the added ones.
        let stored = frozen.relations().filter_map(|(id, read)| {
            if self.appended.is_removed(id) {
                return None;
            }
            let (from, to, relation) = read?;
            let relation = match self.appended.updated(id) {
                Some(updated) => Cow::Borrowed(updated),
                None => Cow::Owned(relation),
            };
            Some(RelationRef {
                id,
                from,
                to,
                relation,
            })
        });
        let added = self
            .appended
            .relations()
            .map(|(id, (from, to, r))| RelationRef {
                id,
                from: *from,
                to: *to,
                relation: Cow::Borrowed(r),
            });
        Box::new(stored.chain(added))
    }

    /// Every relation touching `id`, in either direction (a self-loop once).
    pub fn relations_of(&self, id: EntityId) -> Box<dyn Iterator<Item = RelationRef<'_>> + '_> {
        if self.frozen.is_some() {
            return Box::new(
                self.adjacency()
                    .of(id)
                    .filter_map(move |inc| self.relation(inc.relation)),
            );
        }
        let n = self.node_index(id);
        let outgoing = n
            .into_iter()
            .flat_map(|n| self.graph.edges_directed(n, Direction::Outgoing));
        let incoming = n
            .into_iter()
            .flat_map(|n| self.graph.edges_directed(n, Direction::Incoming))
            .filter(|e| e.source() != e.target());
        Box::new(outgoing.chain(incoming).map(|e| RelationRef {
            id: self.relation_at(e.id()),
            from: self.entity_at(e.source()),
            to: self.entity_at(e.target()),
            relation: Cow::Borrowed(e.weight()),
        }))
    }

    // ----- names -----

    /// Resolves a name or alias, case-insensitively: a canonical name wins over aliases.
    pub fn lookup(&self, name: &str) -> Lookup {
        if let Some(id) = self.by_name(name) {
            return Lookup::Found(id);
        }
        match self.by_alias(name).as_ref() {
            [id] => Lookup::Found(*id),
            [] => Lookup::Missing,
            ids => Lookup::Ambiguous(ids.to_vec()),
        }
    }

    /// Resolves a name or alias, or explains why it does not resolve.
    pub fn resolve(&self, name: &str) -> Result<EntityId, StoreError> {
        match self.lookup(name) {
            Lookup::Found(id) => Ok(id),
            Lookup::Ambiguous(ids) => Err(StoreError::AmbiguousEntity {
                name: name.to_string(),
                candidates: ids.iter().map(|&id| self.describe(id)).collect(),
            }),
            Lookup::Missing => Err(StoreError::UnknownEntity {
                name: name.to_string(),
                suggestion: self.suggest(name),
            }),
        }
    }

    /// Resolves `#ID` (an entity's id, as `show --format json` gives it) or else a name
    /// or alias as [`Store::resolve`] does.
    pub fn resolve_ref(&self, text: &str) -> Result<EntityId, StoreError> {
        if let Some(number) = text.strip_prefix('#')
            && let Ok(id) = number.parse::<u32>()
            && self.by_name(text).is_none()
        {
            let id = EntityId(id);
            return match self.entity(id) {
                Some(_) => Ok(id),
                None => Err(StoreError::Invalid(format!("no entity #{number}"))),
            };
        }
        self.resolve(text)
    }

    /// The entity whose canonical name `name` is (case-insensitively), aliases aside.
    pub fn by_name(&self, name: &str) -> Option<EntityId> {
        match &self.frozen {
            None => self.names.get(&name_key(name)).copied(),
            Some(frozen) => {
                let key = name_key(name);
                let in_file = || {
                    // A file's entity renamed since no longer has the name it had.
                    frozen.by_name(&key).filter(|&id| {
                        !self.appended.is_entity_removed(id)
                            && (self.appended.updated_entity(id))
                                .is_none_or(|e| name_key(&e.name) == key)
                    })
                };
                (self.appended.by_name(&key)).or_else(in_file)
            }
        }
    }

    /// The entities that have `name` as an alias.
    pub fn by_alias(&self, name: &str) -> Cow<'_, [EntityId]> {
        match &self.frozen {
            None => Cow::Borrowed(self.aliases.get(&name_key(name)).map_or(&[], Vec::as_slice)),
            Some(frozen) => {
                let key = name_key(name);
                let mut ids = frozen.by_alias(&key);
                let changed = self.appended.updated_alias(&key);
                let changed_any = self.appended.updated_entities().next().is_some();
                if changed_any || self.appended.removed_entities().next().is_some() {
                    // The file's index holds the aliases the changed entities had, and
                    // those of the entities removed.
                    ids.retain(|&id| {
                        self.appended.updated_entity(id).is_none()
                            && !self.appended.is_entity_removed(id)
                    });
                    ids.extend_from_slice(changed);
                    ids.sort_unstable();
                }
                ids.extend_from_slice(self.appended.by_alias(&key));
                Cow::Owned(ids)
            }
        }
    }

    /// The relations that name `id` as their claimant, in id order.
    pub fn claimed_by(&self, id: EntityId) -> Vec<RelationId> {
        let Some(frozen) = &self.frozen else {
            return (self.relations())
                .filter(|r| r.relation.claimed_by == Some(id))
                .map(|r| r.id)
                .collect();
        };
        // The file's claimants are a column of its records: read it, not the relations.
        let appended = &self.appended;
        let mut ids: Vec<RelationId> = (frozen.claimed_by(id))
            .filter(|&r| !appended.is_removed(r) && appended.updated(r).is_none())
            .collect();
        let changed = (appended.updates())
            .filter(|(r, relation)| relation.claimed_by == Some(id) && !appended.is_removed(*r));
        ids.extend(changed.map(|(r, _)| r));
        let added = appended.relations();
        ids.extend((added.filter(|(_, (_, _, r))| r.claimed_by == Some(id))).map(|(r, _)| r));
        ids.sort_unstable();
        ids
    }

    /// `Name (kind)`, as candidates are listed.
    fn describe(&self, id: EntityId) -> String {
        match self.entity(id) {
            Some(e) => format!("{} ({})", e.name, e.kind),
            None => "?".to_string(),
        }
    }

    /// The canonical name nearest to `name` among names and aliases, if any is close.
    pub fn suggest(&self, name: &str) -> Option<String> {
        let candidates = self.entities().flat_map(|(_, e)| {
            let Entity { name, aliases, .. } = e.into_owned();
            std::iter::once((name.clone(), name.clone()))
                .chain(aliases.into_iter().map(move |a| (a, name.clone())))
        });
        nearest_by(name, candidates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn person(name: &str, aliases: &[&str]) -> Entity {
        let mut e = Entity::new(name, Kind::Person);
        e.aliases = aliases.iter().map(|a| a.to_string()).collect();
        e
    }

    #[test]
    fn names_resolve_case_insensitively_and_by_alias() {
        let mut store = Store::new();
        let n = store
            .add_entity(person("Naryshkin", &["Нарышкин", "Sergey Naryshkin"]))
            .unwrap();
        assert_eq!(store.lookup("naryshkin"), Lookup::Found(n));
        assert_eq!(store.lookup("НАРЫШКИН"), Lookup::Found(n));
        assert_eq!(store.lookup("sergey naryshkin"), Lookup::Found(n));
        let err = store.resolve("Narishkin").unwrap_err().to_string();
        assert_eq!(err, "no entity 'Narishkin'; did you mean Naryshkin?");
        assert!(matches!(
            store.add_entity(person("NARYSHKIN", &[])),
            Err(StoreError::DuplicateEntity(_))
        ));
    }

    #[test]
    fn aliases_differing_in_case_are_one_alias() {
        let mut store = Store::new();
        let mut e = person("Sergey Lavrov", &[]);
        assert!(e.add_alias("Lavrov".into()));
        assert!(!e.add_alias("LAVROV".into()));
        assert!(!e.add_alias("sergey lavrov".into()));
        let id = store.add_entity(e).unwrap();
        assert_eq!(store.lookup("lavrov"), Lookup::Found(id));
    }

    #[test]
    fn ambiguous_aliases_list_the_candidates() {
        let mut store = Store::new();
        store
            .add_entity(person("George H. W. Bush", &["Bush"]))
            .unwrap();
        store
            .add_entity(person("George W. Bush", &["Bush"]))
            .unwrap();
        let err = store.resolve("bush").unwrap_err().to_string();
        assert_eq!(
            err,
            "'bush' is ambiguous: it names George H. W. Bush (person), George W. Bush (person)"
        );
    }

    #[test]
    fn removing_an_entity_removes_its_relations_and_keeps_other_ids() {
        let mut store = Store::new();
        let t = store.add_type(RelationType::directed("phoned")).unwrap();
        let a = store.add_entity(person("A", &["alpha"])).unwrap();
        let b = store.add_entity(person("B", &[])).unwrap();
        let c = store.add_entity(person("C", &[])).unwrap();
        let mut claimed = Relation::new(t);
        claimed.claimed_by = Some(a);
        store.add_relation(a, b, Relation::new(t)).unwrap();
        let bc = store.add_relation(b, c, claimed).unwrap();
        let (_, removed) = store.remove_entity(a).unwrap();
        assert_eq!(removed, 1);
        assert_eq!(store.lookup("alpha"), Lookup::Missing);
        assert_eq!(store.resolve("C").unwrap(), c);
        assert_eq!(store.relation(bc).unwrap().relation.claimed_by, None);
        assert!(store.verify().is_empty());
    }
}
