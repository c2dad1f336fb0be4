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
//! suggestions (`nearest`), the serialised form (`snapshot`) and the invariant checks
//! (`verify`).

mod adjacency;
mod change;
mod checks;
mod edit;
mod error;
mod history;
mod ids;
mod merge;
mod nearest;
mod replay;
pub(crate) mod snapshot;
mod verify;

use foldhash::HashMap;
use std::sync::OnceLock;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

use crate::model::{
    Entity, EntityId, Kind, KindDecl, Relation, RelationId, RelationType, Strings, Sym, TypeId,
};
pub use adjacency::{Adjacency, Incidence};
pub use change::{Change, Entry, Recording, RelationText};
pub use checks::{check_name, check_not_id, check_property, check_text};
pub use error::StoreError;
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

/// A relation together with its stored ends.
#[derive(Debug, Clone, Copy)]
pub struct RelationRef<'a> {
    pub id: RelationId,
    pub from: EntityId,
    pub to: EntityId,
    pub relation: &'a Relation,
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
}

pub use crate::model::name_key;

/// The compressed adjacency of `graph`, by id.
fn build_adjacency(graph: &Graph, entities: &IdMap, relations: &IdMap) -> Adjacency {
    use petgraph::visit::IntoEdgeReferences;
    let relations = graph.edge_references().map(|e| {
        (
            EntityId(entities.id(e.source().index() as u32)),
            EntityId(entities.id(e.target().index() as u32)),
            RelationId(relations.id(e.id().index() as u32)),
        )
    });
    Adjacency::build(entities.bound() as usize, relations)
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

    /// The petgraph graph, for the searches (read-only).
    pub fn graph(&self) -> &Graph {
        &self.graph
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
        self.graph.contains_node(slot).then_some(slot)
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
        self.adjacency
            .get_or_init(|| build_adjacency(&self.graph, &self.entity_ids, &self.relation_ids))
    }

    /// Forgets what was derived from the graph, after a change.
    fn changed(&mut self) {
        self.adjacency = OnceLock::new();
    }

    /// Makes room for `entities` more entities and `relations` more relations, so that
    /// a large import does not regrow the graph's arrays again and again.
    pub fn reserve(&mut self, entities: usize, relations: usize) {
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
        let text = |s: Sym| self.strings.get(s).to_string();
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

    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// The string of an interned symbol.
    pub fn text(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    pub fn entity_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn relation_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.graph.node_weight(self.node_index(id)?)
    }

    /// The name of an entity, or `?` for an id that does not exist.
    pub fn name(&self, id: EntityId) -> &str {
        self.entity(id).map_or("?", |e| e.name.as_str())
    }

    /// Every entity, in id order.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, &Entity)> + '_ {
        (0..self.entity_ids.bound()).filter_map(move |id| {
            let id = EntityId(id);
            Some((id, self.entity(id)?))
        })
    }

    pub fn relation(&self, id: RelationId) -> Option<RelationRef<'_>> {
        let e = self.edge_index(id)?;
        let (from, to) = self.graph.edge_endpoints(e)?;
        Some(RelationRef {
            id,
            from: self.entity_at(from),
            to: self.entity_at(to),
            relation: &self.graph[e],
        })
    }

    /// The relation of that id alone, without its ends (what a search's filter reads).
    pub fn relation_weight(&self, id: RelationId) -> Option<&Relation> {
        self.graph.edge_weight(self.edge_index(id)?)
    }

    /// Every relation, in id order.
    pub fn relations(&self) -> impl Iterator<Item = RelationRef<'_>> + '_ {
        (0..self.relation_ids.bound()).filter_map(move |id| self.relation(RelationId(id)))
    }

    /// Every relation touching `id`, in either direction (a self-loop once).
    pub fn relations_of(&self, id: EntityId) -> impl Iterator<Item = RelationRef<'_>> + '_ {
        let n = self.node_index(id);
        let outgoing = n
            .into_iter()
            .flat_map(|n| self.graph.edges_directed(n, Direction::Outgoing));
        let incoming = n
            .into_iter()
            .flat_map(|n| self.graph.edges_directed(n, Direction::Incoming))
            .filter(|e| e.source() != e.target());
        outgoing.chain(incoming).map(|e| RelationRef {
            id: self.relation_at(e.id()),
            from: self.entity_at(e.source()),
            to: self.entity_at(e.target()),
            relation: e.weight(),
        })
    }

    // ----- relation types -----

    pub fn types(&self) -> &[RelationType] {
        &self.types
    }

    pub fn relation_type(&self, id: TypeId) -> &RelationType {
        &self.types[id.0 as usize]
    }

    pub fn type_name(&self, id: TypeId) -> &str {
        self.types
            .get(id.0 as usize)
            .map_or("?", |t| t.name.as_str())
    }

    pub fn find_type(&self, name: &str) -> Option<TypeId> {
        self.type_index.get(&name_key(name)).copied()
    }

    /// The type of that name, or an error suggesting the nearest.
    pub fn resolve_type(&self, name: &str) -> Result<TypeId, StoreError> {
        self.find_type(name).ok_or_else(|| StoreError::UnknownType {
            name: name.to_string(),
            suggestion: nearest(name, self.types.iter().map(|t| t.name.as_str())),
        })
    }

    /// Registers a new relation type.
    pub fn add_type(&mut self, rtype: RelationType) -> Result<TypeId, StoreError> {
        check_name("relation type", &rtype.name)?;
        if self.find_type(&rtype.name).is_some() {
            return Err(StoreError::DuplicateType(rtype.name));
        }
        let id = u16::try_from(self.types.len())
            .map(TypeId)
            .map_err(|_| StoreError::Full("at most 65,536 relation types"))?;
        self.type_index.insert(name_key(&rtype.name), id);
        self.record(|_| Change::AddType {
            id,
            rtype: rtype.clone(),
        });
        self.note_inverse(|_| vec![Change::RemoveType { id }]);
        self.types.push(rtype);
        Ok(id)
    }

    /// Replaces the description and CAMEO code of a type (its direction is fixed).
    pub fn describe_type(
        &mut self,
        id: TypeId,
        cameo: Option<String>,
        description: Option<String>,
    ) {
        self.record(|_| Change::DescribeType {
            id,
            cameo: cameo.clone(),
            description: description.clone(),
        });
        self.note_inverse(|s| {
            vec![Change::ReplaceType {
                id,
                rtype: s.types[id.0 as usize].clone(),
            }]
        });
        let t = &mut self.types[id.0 as usize];
        if cameo.is_some() {
            t.cameo = cameo;
        }
        if description.is_some() {
            t.description = description;
        }
    }

    /// Removes the newest relation type, which no relation may use (the undo of adding
    /// it: type ids are positions, so only the last one can go).
    pub fn remove_type(&mut self, id: TypeId) -> Result<(), StoreError> {
        if id.0 as usize + 1 != self.types.len() {
            return Err(StoreError::Invalid(format!(
                "relation type {} is not the newest",
                id.0
            )));
        }
        if self.graph.edge_weights().any(|r| r.rtype == id) {
            return Err(StoreError::Invalid(format!(
                "relation type '{}' is in use",
                self.types[id.0 as usize].name
            )));
        }
        self.record(|_| Change::RemoveType { id });
        // `id` was checked to be the last of a non-empty list.
        let rtype = self.types.pop().expect("the newest type exists"); // infallible
        self.note_inverse(|_| {
            vec![Change::AddType {
                id,
                rtype: rtype.clone(),
            }]
        });
        self.type_index.remove(&name_key(&rtype.name));
        Ok(())
    }

    /// Replaces a relation type's description and CAMEO code (its name and direction
    /// stay): the undo of describing it.
    pub fn replace_type(&mut self, id: TypeId, rtype: RelationType) -> Result<(), StoreError> {
        let Some(t) = self.types.get(id.0 as usize) else {
            return Err(StoreError::Invalid(format!(
                "no relation type with id {}",
                id.0
            )));
        };
        if name_key(&t.name) != name_key(&rtype.name) || t.symmetric != rtype.symmetric {
            return Err(StoreError::Invalid(format!(
                "relation type '{}' keeps its name and direction",
                t.name
            )));
        }
        self.note_inverse(|s| {
            vec![Change::ReplaceType {
                id,
                rtype: s.types[id.0 as usize].clone(),
            }]
        });
        self.record(|_| Change::ReplaceType {
            id,
            rtype: rtype.clone(),
        });
        self.types[id.0 as usize] = rtype;
        Ok(())
    }

    // ----- kinds -----

    /// The kinds of the graph's own (beyond the seven built in), in declaration order.
    pub fn kinds(&self) -> &[KindDecl] {
        &self.kinds
    }

    /// The declaration of the graph's own kind `name`.
    pub fn kind_decl(&self, name: &str) -> Option<&KindDecl> {
        self.kinds.iter().find(|k| k.name == name)
    }

    /// Whether an entity may have `kind`: a built-in one or one declared.
    pub fn knows_kind(&self, kind: &Kind) -> bool {
        match kind {
            Kind::Custom(name) => self.kind_decl(name).is_some(),
            _ => true,
        }
    }

    /// Declares a kind of the graph's own, or gives a declared one another style.
    pub fn declare_kind(&mut self, decl: KindDecl) -> Result<(), StoreError> {
        match decl.name.parse::<Kind>() {
            Ok(Kind::Custom(name)) if *name == *decl.name => {}
            Ok(_) => {
                return Err(StoreError::Invalid(format!(
                    "'{}' is a built-in kind: its style is fixed",
                    decl.name
                )));
            }
            Err(e) => return Err(StoreError::Invalid(e)),
        }
        decl.check_style().map_err(StoreError::Invalid)?;
        let at = self.kinds.iter().position(|k| k.name == decl.name);
        self.note_inverse(|s| match at {
            Some(i) => vec![Change::DeclareKind {
                decl: s.kinds[i].clone(),
            }],
            None => vec![Change::ForgetKind {
                name: decl.name.clone(),
            }],
        });
        self.record(|_| Change::DeclareKind { decl: decl.clone() });
        match at {
            Some(i) => self.kinds[i] = decl,
            None => self.kinds.push(decl),
        }
        Ok(())
    }

    /// Declares `kind` if it is a kind of the graph's own not declared yet; returns
    /// whether it did.
    pub fn ensure_kind(&mut self, kind: &Kind) -> Result<bool, StoreError> {
        if self.knows_kind(kind) {
            return Ok(false);
        }
        self.declare_kind(KindDecl {
            name: kind.as_str().to_string(),
            shape: None,
            colour: None,
        })?;
        Ok(true)
    }

    /// Forgets a declared kind that no entity has (the undo of declaring it).
    pub fn forget_kind(&mut self, name: &str) -> Result<(), StoreError> {
        let Some(i) = self.kinds.iter().position(|k| k.name == name) else {
            return Err(StoreError::Invalid(format!("no kind '{name}' is declared")));
        };
        if self.graph.node_weights().any(|e| e.kind.as_str() == name) {
            return Err(StoreError::Invalid(format!(
                "entities are of kind '{name}'"
            )));
        }
        self.note_inverse(|s| {
            vec![Change::DeclareKind {
                decl: s.kinds[i].clone(),
            }]
        });
        self.record(|_| Change::ForgetKind {
            name: name.to_string(),
        });
        self.kinds.remove(i);
        Ok(())
    }

    // ----- names -----

    /// Resolves a name or alias, case-insensitively: a canonical name wins over aliases.
    pub fn lookup(&self, name: &str) -> Lookup {
        let key = name_key(name);
        if let Some(&id) = self.names.get(&key) {
            return Lookup::Found(id);
        }
        match self.aliases.get(&key).map(Vec::as_slice) {
            Some([id]) => Lookup::Found(*id),
            Some(ids) if !ids.is_empty() => Lookup::Ambiguous(ids.to_vec()),
            _ => Lookup::Missing,
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
            && !self.names.contains_key(&name_key(text))
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
        self.names.get(&name_key(name)).copied()
    }

    /// The entities that have `name` as an alias.
    pub fn by_alias(&self, name: &str) -> &[EntityId] {
        self.aliases.get(&name_key(name)).map_or(&[], Vec::as_slice)
    }

    /// The relations that name `id` as their claimant, in id order.
    pub fn claimed_by(&self, id: EntityId) -> Vec<RelationId> {
        self.relations()
            .filter(|r| r.relation.claimed_by == Some(id))
            .map(|r| r.id)
            .collect()
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
            std::iter::once((e.name.as_str(), e.name.as_str()))
                .chain(e.aliases.iter().map(move |a| (a.as_str(), e.name.as_str())))
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
