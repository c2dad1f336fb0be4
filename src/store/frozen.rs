//! The store as a database file holds it, read in place: fixed-width arrays of
//! entities and relations by id, the searches' adjacency, the name and alias index
//! and the interned strings, over bytes that are not copied (see `columns`). A store
//! opened from a file answers every read from here, decoding only the entity or
//! relation asked for; the petgraph graph is built (`thaw`) only when something is
//! about to change it.
//!
//! Every array is checked for its shape when read (lengths agree, offsets in order);
//! a value out of range in a record (which only a damaged file that passed its
//! checksums could hold) reads as absent, and `kg check` reports it.

use bytemuck::{Pod, Zeroable};
use petgraph::stable_graph::NodeIndex;

use super::Graph;
use super::adjacency::{Adjacency, Incidence, PackedFacts};
use super::appended::Appended;
use super::columns::{Bytes, Column, Texts};
use crate::model::{
    Entity, EntityId, Grade, Kind, KindDecl, Relation, RelationFacts, RelationId, Shape, Status,
    Sym, TimeSpan, TypeId,
};

/// No entity, or a removed relation's ends.
pub(super) const NONE: u32 = u32::MAX;
/// The kind code of an id no entity holds.
pub(super) const NO_KIND: u16 = u16::MAX;
/// The built-in kinds, numbered by position; a graph's own kinds follow.
pub(super) const BUILT_IN: [Kind; 7] = Kind::BUILT_IN;

/// The parts of a database file the store reads in place, each an array or a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    EntityNames,
    EntityKinds,
    EntityDetails,
    Relations,
    RelationTags,
    RelationProperties,
    Strings,
    AdjacencyOffsets,
    AdjacencyOthers,
    AdjacencyRelations,
    AdjacencyForward,
    AdjacencyFacts,
    NameKeys,
    NameIds,
    AliasKeys,
    AliasStarts,
    AliasIds,
    AdjacencyByOther,
}

impl Section {
    /// In the order of their numbers in a file (1 up); the relations' tags are read
    /// from files of format 5 only.
    pub const ALL: [Section; 18] = [
        Section::EntityNames,
        Section::EntityKinds,
        Section::EntityDetails,
        Section::Relations,
        Section::RelationTags,
        Section::RelationProperties,
        Section::Strings,
        Section::AdjacencyOffsets,
        Section::AdjacencyOthers,
        Section::AdjacencyRelations,
        Section::AdjacencyForward,
        Section::NameKeys,
        Section::NameIds,
        Section::AliasKeys,
        Section::AliasStarts,
        Section::AliasIds,
        Section::AdjacencyFacts,
        Section::AdjacencyByOther,
    ];

    /// The section's number in a file (1 up).
    pub fn number(self) -> u32 {
        Section::ALL.iter().position(|&s| s == self).unwrap_or(0) as u32 + 1
    }

    /// The section numbered `number`.
    pub fn from_number(number: u32) -> Option<Section> {
        Section::ALL.get((number as usize).checked_sub(1)?).copied()
    }

    /// What the section holds, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Section::EntityNames => "entity names",
            Section::EntityKinds => "entity kinds",
            Section::EntityDetails => "entity aliases and properties",
            Section::Relations => "relations",
            Section::RelationTags => "relation types and statuses",
            Section::RelationProperties => "relation properties",
            Section::Strings => "strings",
            Section::AdjacencyOffsets => "adjacency offsets",
            Section::AdjacencyOthers => "adjacency entities",
            Section::AdjacencyRelations => "adjacency relations",
            Section::AdjacencyForward => "adjacency directions",
            Section::AdjacencyFacts => "adjacency types and dates",
            Section::NameKeys => "name index keys",
            Section::NameIds => "name index entities",
            Section::AliasKeys => "alias index keys",
            Section::AliasStarts => "alias index lists",
            Section::AliasIds => "alias index entities",
            Section::AdjacencyByOther => "adjacency order by entity",
        }
    }
}

/// A relation's type, status and grade by id, as files of format 5 held them (the
/// adjacency now holds them beside its entries).
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
struct RelationTagV5 {
    rtype: u16,
    status: u8,
    /// 0 for none, else [`Grade::code`].
    grade: u8,
}

/// A relation's record as files of format 5 held it: this format's, with its days.
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
struct RelationRecordV5 {
    from: u32,
    to: u32,
    earliest: i32,
    latest: i32,
    source: u32,
    quote: u32,
    claimed_by: u32,
    properties: u32,
    property_count: u16,
    shape: u8,
    reserved: u8,
}

/// A relation as the file holds it by id, 24 bytes. Its ends, type, days, status and
/// grade are in its entry in the adjacency list of the entity it is stored from, whose
/// position the record holds.
#[repr(C)]
#[derive(Clone, Copy, Debug, Pod, Zeroable)]
pub struct RelationRecord {
    /// The position of its forward entry in the adjacency's arrays; `NONE` for an id
    /// no relation holds.
    entry: u32,
    /// Symbol numbers, 0 for none.
    source: u32,
    quote: u32,
    /// `NONE` for none.
    claimed_by: u32,
    /// The first of its properties in the property array.
    properties: u32,
    property_count: u16,
    shape: u8,
    reserved: u8,
}

impl RelationRecord {
    /// The record of relation `relation` whose forward entry is at `entry`, its
    /// properties at `properties` in the property array.
    pub(super) fn of(entry: u32, relation: &Relation, properties: u32) -> RelationRecord {
        RelationRecord {
            entry,
            source: relation.source.map_or(0, Sym::number),
            quote: relation.quote.map_or(0, Sym::number),
            claimed_by: relation.claimed_by.map_or(NONE, |e| e.0),
            properties,
            property_count: relation.properties.len() as u16,
            shape: relation.when.shape().code(),
            reserved: 0,
        }
    }

    pub(super) const VACANT: RelationRecord = RelationRecord {
        entry: NONE,
        source: 0,
        quote: 0,
        claimed_by: NONE,
        properties: 0,
        property_count: 0,
        shape: 0,
        reserved: 0,
    };
}

/// The arrays of a store read in place.
#[derive(Debug)]
pub struct Frozen {
    entity_names: Texts,
    entity_kinds: Column<u16>,
    entity_details: Texts,
    relations: Column<RelationRecord>,
    properties: Column<[u32; 2]>,
    strings: Texts,
    name_keys: Texts,
    name_ids: Column<u32>,
    alias_keys: Texts,
    alias_starts: Column<u32>,
    alias_ids: Column<u32>,
    adjacency: Adjacency,
    /// Every kind by its code: the built-in ones, then the graph's own.
    kinds: Vec<Kind>,
    type_count: usize,
    /// How many entities and relations are live (as the file says).
    counts: (usize, usize),
}

/// The format of the files whose arrays this module reads and writes.
pub const VERSION: u32 = 7;

impl Frozen {
    /// The store's arrays in `sections` (each section's bytes, aligned to 8) of a file of
    /// format `version` (7; 6, without the lists' order by entity; or 5, whose relations
    /// are converted), for a graph whose
    /// relation types number `type_count` and whose own kinds are `kinds`. Returns the
    /// arrays, or what is wrong with their shape.
    pub fn read(
        mut section: impl FnMut(Section) -> Option<Bytes>,
        version: u32,
        type_count: usize,
        kinds: &[KindDecl],
        counts: (usize, usize),
    ) -> Result<Frozen, String> {
        let mut get = |s: Section| section(s).ok_or_else(|| format!("no {} section", s.name()));
        let texts =
            |s: Section, b: Bytes| Texts::read(&b).map_err(|e| format!("{}: {e}", s.name()));
        let entity_kinds: Column<u16> = column(Section::EntityKinds, get(Section::EntityKinds)?)?;
        let bound = entity_kinds.len();
        let adjacency_parts = (
            column(Section::AdjacencyOffsets, get(Section::AdjacencyOffsets)?)?,
            column(Section::AdjacencyOthers, get(Section::AdjacencyOthers)?)?,
            column(
                Section::AdjacencyRelations,
                get(Section::AdjacencyRelations)?,
            )?,
            column(Section::AdjacencyForward, get(Section::AdjacencyForward)?)?,
        );
        let (relations, facts) = match version {
            5 => from_v5(
                get(Section::Relations)?,
                get(Section::RelationTags)?,
                &adjacency_parts.2,
                &adjacency_parts.3,
            )?,
            _ => (
                column(Section::Relations, get(Section::Relations)?)?,
                column(Section::AdjacencyFacts, get(Section::AdjacencyFacts)?)?,
            ),
        };
        let (offsets, others, adjacency_relations, forward) = adjacency_parts;
        // Files of format 7 keep each list's order by other end; older ones do not.
        let by_other = match version {
            ..7 => None,
            _ => Some(column(
                Section::AdjacencyByOther,
                get(Section::AdjacencyByOther)?,
            )?),
        };
        let adjacency = Adjacency::in_place(
            bound,
            offsets,
            others,
            adjacency_relations,
            forward,
            facts,
            by_other,
        )?;
        let frozen = Frozen {
            entity_names: texts(Section::EntityNames, get(Section::EntityNames)?)?,
            entity_kinds,
            entity_details: texts(Section::EntityDetails, get(Section::EntityDetails)?)?,
            relations,
            properties: column(
                Section::RelationProperties,
                get(Section::RelationProperties)?,
            )?,
            strings: texts(Section::Strings, get(Section::Strings)?)?,
            name_keys: texts(Section::NameKeys, get(Section::NameKeys)?)?,
            name_ids: column(Section::NameIds, get(Section::NameIds)?)?,
            alias_keys: texts(Section::AliasKeys, get(Section::AliasKeys)?)?,
            alias_starts: column(Section::AliasStarts, get(Section::AliasStarts)?)?,
            alias_ids: column(Section::AliasIds, get(Section::AliasIds)?)?,
            adjacency,
            kinds: BUILT_IN
                .iter()
                .cloned()
                .chain(kinds.iter().map(|k| Kind::Custom(k.name.as_str().into())))
                .collect(),
            type_count,
            counts,
        };
        let shapes = [
            (frozen.entity_names.len() == bound, Section::EntityNames),
            (frozen.entity_details.len() == bound, Section::EntityDetails),
            (
                frozen.name_ids.len() == frozen.name_keys.len(),
                Section::NameIds,
            ),
            (
                frozen.alias_starts.len() == frozen.alias_keys.len() + 1
                    && frozen.alias_starts.first() == Some(&0)
                    && frozen.alias_starts.windows(2).all(|w| w[0] <= w[1])
                    && frozen.alias_starts.last().map(|&l| l as usize)
                        == Some(frozen.alias_ids.len()),
                Section::AliasStarts,
            ),
        ];
        if let Some((_, s)) = shapes.iter().find(|(fits, _)| !fits) {
            return Err(format!("the {} do not fit the other sections", s.name()));
        }
        if version != 5 && get(Section::RelationTags).is_ok() {
            return Err(format!(
                "a {} section, which only format 5 has",
                Section::RelationTags.name()
            ));
        }
        if version < 7 && get(Section::AdjacencyByOther).is_ok() {
            return Err(format!(
                "an {} section, which format {version} does not have",
                Section::AdjacencyByOther.name()
            ));
        }
        Ok(frozen)
    }

    /// The searches' adjacency.
    pub fn adjacency(&self) -> &Adjacency {
        &self.adjacency
    }

    /// How many entities and relations are live.
    pub fn counts(&self) -> (usize, usize) {
        self.counts
    }

    /// One past the highest entity id.
    pub fn entity_bound(&self) -> u32 {
        self.entity_kinds.len() as u32
    }

    /// One past the highest relation id.
    pub fn relation_bound(&self) -> u32 {
        self.relations.len() as u32
    }

    /// The kind of entity `id`, if it exists.
    pub fn kind(&self, id: EntityId) -> Option<&Kind> {
        let code = *self.entity_kinds.get(id.0 as usize)?;
        self.kinds.get(code as usize)
    }

    /// How many of the file's entities have each kind, read off the kinds column.
    pub fn kind_counts(&self) -> impl Iterator<Item = (&Kind, usize)> + '_ {
        let mut counts = vec![0usize; self.kinds.len()];
        for &code in self.entity_kinds.iter() {
            if let Some(n) = counts.get_mut(code as usize) {
                *n += 1;
            }
        }
        self.kinds.iter().zip(counts)
    }

    /// The name of entity `id`, if it exists.
    pub fn name(&self, id: EntityId) -> Option<&str> {
        self.kind(id)?;
        self.entity_names.str(id.0 as usize)
    }

    /// Entity `id`, decoded.
    pub fn entity(&self, id: EntityId) -> Option<Entity> {
        let kind = self.kind(id)?.clone();
        let name = self.name(id)?.to_string();
        let (aliases, properties) = decode_details(self.entity_details.get(id.0 as usize)?)?;
        Some(Entity {
            name,
            kind,
            aliases,
            properties,
        })
    }

    /// The record of relation `id`, if it exists.
    fn record(&self, id: RelationId) -> Option<&RelationRecord> {
        self.relations
            .get(id.0 as usize)
            .filter(|r| r.entry != NONE)
    }

    /// The entity relation `id` is stored from (`from`, when known) and its entry in
    /// that entity's list.
    fn entry(&self, id: RelationId, from: Option<EntityId>) -> Option<(EntityId, Incidence)> {
        let i = self.record(id)?.entry as usize;
        let from = match from {
            Some(from) => Some(from).filter(|&from| self.adjacency.holds(from, i)),
            None => self.adjacency.owner(i),
        }?;
        let entry = self.adjacency.at(i)?;
        (entry.relation == id && entry.forward).then_some((from, entry))
    }

    /// The file's relations that name `claimant` as their claimant, in id order, read
    /// off the records' claimant column.
    pub fn claimed_by(&self, claimant: EntityId) -> impl Iterator<Item = RelationId> + '_ {
        (self.relations.iter().enumerate())
            .filter(move |(_, r)| r.entry != NONE && r.claimed_by == claimant.0)
            .map(|(i, _)| RelationId(i as u32))
    }

    /// Relation `id` with its ends, decoded.
    pub fn relation(&self, id: RelationId) -> Option<(EntityId, EntityId, Relation)> {
        self.relation_from(id, None)
    }

    /// Every relation of the file in id order, each `None` when it does not read: the
    /// ends found in one pass over the adjacency instead of halving for each.
    #[allow(clippy::type_complexity)]
    pub fn relations(
        &self,
    ) -> impl Iterator<Item = (RelationId, Option<(EntityId, EntityId, Relation)>)> + '_ {
        let owners = self.adjacency.owners(self.relation_bound() as usize);
        (0..self.relation_bound()).filter_map(move |id| {
            let id = RelationId(id);
            self.record(id)?;
            let from = owners[id.0 as usize];
            Some((id, from.and_then(|from| self.relation_from(id, Some(from)))))
        })
    }

    /// Relation `id` stored from `from` (found when not given), decoded.
    fn relation_from(
        &self,
        id: RelationId,
        from: Option<EntityId>,
    ) -> Option<(EntityId, EntityId, Relation)> {
        let r = self.record(id)?;
        let (from, entry) = self.entry(id, from)?;
        let to = entry.other;
        self.kind(from)?;
        self.kind(to)?;
        let sym = |n: u32| match n {
            0 => Some(None),
            n => Sym::from_number(n)
                .filter(|_| (n as usize) <= self.strings.len())
                .map(Some),
        };
        let start = r.properties as usize;
        let pairs = self
            .properties
            .get(start..start + r.property_count as usize)?;
        let properties = pairs
            .iter()
            .map(|&[k, v]| Some((sym(k)??, sym(v)??)))
            .collect::<Option<Box<[_]>>>()?;
        let facts = self.checked(entry.facts)?;
        let when = match (facts.days, Shape::from_code(r.shape)?) {
            (None, Shape::Undated) => TimeSpan::UNDATED,
            (Some((earliest, latest)), shape) if shape != Shape::Undated => {
                TimeSpan::from_parts(earliest, latest, shape)?
            }
            _ => return None,
        };
        let relation = Relation {
            rtype: facts.rtype,
            when,
            status: facts.status,
            grade: facts.grade,
            source: sym(r.source)?,
            quote: sym(r.quote)?,
            claimed_by: match r.claimed_by {
                NONE => None,
                e => Some(EntityId(e)).filter(|&e| self.kind(e).is_some()),
            },
            properties,
        };
        Some((from, to, relation))
    }

    /// What a search's filter reads of relation `id`: its type, days, status and grade,
    /// from its entry in the adjacency list of the entity it is stored from.
    pub fn facts(&self, id: RelationId) -> Option<RelationFacts> {
        self.checked(self.entry(id, None)?.1.facts)
    }

    /// The facts of an entry, if they read and name a type there is.
    fn checked(&self, facts: PackedFacts) -> Option<RelationFacts> {
        let facts = facts.unpack()?;
        ((facts.rtype.0 as usize) < self.type_count).then_some(facts)
    }

    /// How many names the name index holds, and how many (alias, entity) pairs the
    /// alias index.
    pub fn index_sizes(&self) -> (usize, usize) {
        (self.name_keys.len(), self.alias_ids.len())
    }

    /// How many interned strings there are.
    pub fn string_count(&self) -> usize {
        self.strings.len()
    }

    /// The string of a symbol ("" for one out of range).
    pub fn text(&self, sym: Sym) -> &str {
        self.strings
            .str(sym.number() as usize - 1)
            .unwrap_or_default()
    }

    /// The entity whose name has the key `key`.
    pub fn by_name(&self, key: &str) -> Option<EntityId> {
        let at = search(&self.name_keys, key)?;
        self.name_ids.get(at).map(|&id| EntityId(id))
    }

    /// The entities with an alias of key `key`, in id order.
    pub fn by_alias(&self, key: &str) -> Vec<EntityId> {
        let Some(at) = search(&self.alias_keys, key) else {
            return Vec::new();
        };
        let (start, end) = (
            self.alias_starts[at] as usize,
            self.alias_starts[at + 1] as usize,
        );
        self.alias_ids[start..end]
            .iter()
            .map(|&id| EntityId(id))
            .collect()
    }

    /// The symbol of every string by its text (the first, should a damaged file hold
    /// one twice), for a store about to intern one.
    pub fn string_index(&self) -> foldhash::HashMap<String, Sym> {
        let mut index = foldhash::HashMap::default();
        for i in 0..self.strings.len() {
            if let (Some(text), Some(sym)) = (self.strings.str(i), Sym::from_number(i as u32 + 1)) {
                index.entry(text.to_string()).or_insert(sym);
            }
        }
        index
    }

    /// Every string, for a store about to change.
    pub fn strings(&self) -> Result<Vec<String>, String> {
        (0..self.strings.len())
            .map(|i| {
                self.strings
                    .str(i)
                    .map(str::to_string)
                    .ok_or_else(|| format!("string {} is not UTF-8", i + 1))
            })
            .collect()
    }

    /// The petgraph graph of these arrays and what was `appended` to them, each entity
    /// and relation in the slot of its id (so that ids and slots coincide), or the first
    /// record that does not read.
    pub fn graph(&self, appended: &Appended) -> Result<Graph, String> {
        let (bound, relation_bound) = appended.bounds();
        let mut graph = Graph::with_capacity(bound as usize + 1, relation_bound as usize);
        let placeholder = || Entity::new("", Kind::Other);
        for id in 0..bound {
            let id = EntityId(id);
            let entity = match (self.kind(id), appended.entity(id)) {
                (Some(_), _) if appended.is_entity_removed(id) => placeholder(),
                (Some(_), _) if appended.updated_entity(id).is_some() => appended
                    .updated_entity(id)
                    .cloned()
                    .unwrap_or_else(placeholder),
                (Some(_), _) => self
                    .entity(id)
                    .ok_or_else(|| format!("entity {} does not read", id.0))?,
                (None, Some(entity)) => entity.clone(),
                (None, None) => placeholder(),
            };
            graph.add_node(entity);
        }
        // Removed relations hold their slots as loops on an anchor past the entities.
        let anchor = graph.add_node(placeholder());
        let mut stored = self.relations().peekable();
        for id in 0..relation_bound {
            let id = RelationId(id);
            let added = || appended.relation(id).cloned();
            match stored.next_if(|(next, _)| *next == id) {
                Some(_) if appended.is_removed(id) => {
                    graph.add_edge(anchor, anchor, Relation::new(TypeId(0)));
                }
                Some((_, read)) => {
                    let (from, to, relation) =
                        read.ok_or_else(|| format!("relation {} does not read", id.0))?;
                    let relation = appended.updated(id).cloned().unwrap_or(relation);
                    graph.add_edge(
                        NodeIndex::new(from.0 as usize),
                        NodeIndex::new(to.0 as usize),
                        relation,
                    );
                }
                None => match added() {
                    Some((from, to, relation)) => {
                        graph.add_edge(
                            NodeIndex::new(from.0 as usize),
                            NodeIndex::new(to.0 as usize),
                            relation,
                        );
                    }
                    None => {
                        graph.add_edge(anchor, anchor, Relation::new(TypeId(0)));
                    }
                },
            }
        }
        graph.remove_node(anchor);
        for id in (0..bound).rev() {
            let id = EntityId(id);
            let removed = appended.is_entity_removed(id);
            if (self.kind(id).is_none() || removed) && appended.entity(id).is_none() {
                graph.remove_node(NodeIndex::new(id.0 as usize));
            }
        }
        Ok(graph)
    }
}

/// The array of section `s`, if its bytes fit one.
fn column<T: Pod>(s: Section, b: Bytes) -> Result<Column<T>, String> {
    Column::in_place(b).map_err(|e| format!("{}: {e}", s.name()))
}

/// Format 5's relation records and tags by id, as this format's records and the facts
/// beside the adjacency's entries `adjacency_relations` (made in memory, as the
/// formats before 5 are read whole; `kg compact` rewrites the file).
fn from_v5(
    relations: Bytes,
    tags: Bytes,
    adjacency_relations: &[u32],
    adjacency_forward: &[u64],
) -> Result<(Column<RelationRecord>, Column<PackedFacts>), String> {
    let old: Column<RelationRecordV5> = column(Section::Relations, relations)?;
    let tags: Column<RelationTagV5> = column(Section::RelationTags, tags)?;
    if tags.len() != old.len() {
        return Err(format!(
            "the {} do not fit the other sections",
            Section::RelationTags.name()
        ));
    }
    let entries = forward_entries(adjacency_relations, adjacency_forward, old.len());
    let mut records = Vec::with_capacity(old.len());
    let mut facts = Vec::with_capacity(old.len());
    for (id, (r, tag)) in old.iter().zip(tags.iter()).enumerate() {
        let entry = match r.to {
            NONE => NONE,
            _ => entries[id],
        };
        records.push(RelationRecord {
            entry,
            source: r.source,
            quote: r.quote,
            claimed_by: r.claimed_by,
            properties: r.properties,
            property_count: r.property_count,
            shape: r.shape,
            reserved: 0,
        });
        if r.to == NONE {
            facts.push(PackedFacts::zeroed());
            continue;
        }
        let does_not_read = || format!("relation {id} does not read");
        let grade = match tag.grade {
            0 => None,
            code => Some(Grade::from_code(code).ok_or_else(does_not_read)?),
        };
        let undated = Shape::from_code(r.shape).ok_or_else(does_not_read)? == Shape::Undated;
        facts.push(PackedFacts::pack(&RelationFacts {
            rtype: TypeId(tag.rtype),
            days: (!undated).then_some((r.earliest, r.latest)),
            status: Status::from_code(tag.status).ok_or_else(does_not_read)?,
            grade,
        }));
    }
    let beside = adjacency_relations
        .iter()
        .map(|&id| facts.get(id as usize).copied())
        .collect::<Option<Vec<_>>>()
        .ok_or("the adjacency names a relation beyond the relations")?;
    Ok((Column::Owned(records), Column::Owned(beside)))
}

/// The position of each relation's forward entry in the adjacency arrays `relations`
/// and `forward` (`NONE` for a relation without one), for `count` relation ids.
pub(super) fn forward_entries(relations: &[u32], forward: &[u64], count: usize) -> Vec<u32> {
    let mut entries = vec![NONE; count];
    for (i, &id) in relations.iter().enumerate() {
        let is_forward = forward
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0);
        if is_forward && let Some(entry) = entries.get_mut(id as usize) {
            *entry = i as u32;
        }
    }
    entries
}

/// The position of `key` in the sorted table `keys`.
fn search(keys: &Texts, key: &str) -> Option<usize> {
    let (mut lo, mut hi) = (0, keys.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match keys.get(mid)?.cmp(key.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

/// An entity's aliases and properties as a file holds them: the counts, then each
/// text as its length and bytes.
pub(super) fn encode_details(entity: &Entity, out: &mut Vec<u8>) {
    out.extend_from_slice(&(entity.aliases.len() as u32).to_le_bytes());
    out.extend_from_slice(&(entity.properties.len() as u32).to_le_bytes());
    let texts = (entity.aliases.iter()).chain(entity.properties.iter().flat_map(|(k, v)| [k, v]));
    for text in texts {
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
    }
}

/// The aliases and properties `encode_details` wrote.
#[allow(clippy::type_complexity)]
fn decode_details(mut bytes: &[u8]) -> Option<(Vec<String>, Vec<(String, String)>)> {
    let number = |bytes: &mut &[u8]| -> Option<u32> {
        let (head, rest) = bytes.split_first_chunk::<4>()?;
        *bytes = rest;
        Some(u32::from_le_bytes(*head))
    };
    let aliases = number(&mut bytes)? as usize;
    let properties = number(&mut bytes)? as usize;
    let text = |bytes: &mut &[u8]| -> Option<String> {
        let len = number(bytes)? as usize;
        let t = std::str::from_utf8(bytes.get(..len)?).ok()?.to_string();
        *bytes = &bytes[len..];
        Some(t)
    };
    // Every text takes at least its 4-byte length: a count beyond that is damage.
    if aliases.saturating_add(properties.saturating_mul(2)) > bytes.len() / 4 {
        return None;
    }
    let aliases = (0..aliases)
        .map(|_| text(&mut bytes))
        .collect::<Option<Vec<_>>>()?;
    let properties = (0..properties)
        .map(|_| Some((text(&mut bytes)?, text(&mut bytes)?)))
        .collect::<Option<Vec<_>>>()?;
    bytes.is_empty().then_some((aliases, properties))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_back_and_damage_reads_as_none() {
        let mut e = Entity::new("Naryshkin", Kind::Person);
        e.aliases = vec!["Нарышкин".into(), "SVR chief".into()];
        e.properties = vec![("born".into(), "1954".into())];
        let mut bytes = Vec::new();
        encode_details(&e, &mut bytes);
        assert_eq!(
            decode_details(&bytes),
            Some((e.aliases.clone(), e.properties.clone()))
        );
        for cut in 0..bytes.len() {
            assert_eq!(decode_details(&bytes[..cut]), None, "{cut}");
        }
        bytes[0] = 0xff;
        assert_eq!(decode_details(&bytes), None);
    }

    #[test]
    fn a_relation_is_24_bytes_and_12_beside_each_of_its_entries() {
        assert_eq!(size_of::<RelationRecord>(), 24);
        assert_eq!(size_of::<PackedFacts>(), 12);
    }
}
