//! The sections a store writes as a database file of format 7: its entities, relations,
//! strings, adjacency and name index as the arrays `frozen` reads in place.

use super::Store;
use super::adjacency::Adjacency;
use super::columns::{Texts, bytes_of};
use super::frozen::{BUILT_IN, NO_KIND, RelationRecord, Section, encode_details, forward_entries};
use crate::model::{EntityId, Kind, KindDecl, Sym};

/// The code of `kind` among the built-in kinds and `kinds`.
fn kind_code(kind: &Kind, kinds: &[KindDecl]) -> Result<u16, String> {
    let code = match kind {
        Kind::Custom(name) => kinds
            .iter()
            .position(|k| *k.name == **name)
            .map(|i| BUILT_IN.len() + i),
        built_in => BUILT_IN.iter().position(|k| k == built_in),
    };
    code.and_then(|c| u16::try_from(c).ok())
        .filter(|&c| c != NO_KIND)
        .ok_or_else(|| format!("kind '{kind}' is not declared"))
}

/// The arrays a store writes as a file's sections, held until they are written: each
/// section's bytes are lent from these (or from the store's own adjacency), not copied,
/// so that a save of a large graph holds its arrays once.
pub struct Sections<'s> {
    store: &'s Store,
    /// The lists laid out again with the relations added beside a file read in place.
    rebuilt: Option<Adjacency>,
    entity_names: Vec<u8>,
    kinds: Vec<u16>,
    details: Vec<u8>,
    records: Vec<RelationRecord>,
    properties: Vec<[u32; 2]>,
    strings: Vec<u8>,
    name_keys: Vec<u8>,
    name_ids: Vec<u32>,
    alias_keys: Vec<u8>,
    alias_starts: Vec<u32>,
    alias_ids: Vec<u32>,
}

impl Sections<'_> {
    /// Each section's bytes, in the order a file holds them, as [`Frozen::read`]
    /// reads them.
    pub fn parts(&self) -> Vec<(Section, &[u8])> {
        let adjacency = self
            .rebuilt
            .as_ref()
            .unwrap_or_else(|| self.store.adjacency());
        let (offsets, others, relations, forward, facts) = adjacency.arrays();
        vec![
            (Section::EntityNames, &self.entity_names),
            (Section::EntityKinds, bytes_of(&self.kinds)),
            (Section::EntityDetails, &self.details),
            (Section::Relations, bytes_of(&self.records)),
            (Section::RelationProperties, bytes_of(&self.properties)),
            (Section::Strings, &self.strings),
            (Section::AdjacencyOffsets, bytes_of(offsets)),
            (Section::AdjacencyOthers, bytes_of(others)),
            (Section::AdjacencyRelations, bytes_of(relations)),
            (Section::AdjacencyForward, bytes_of(forward)),
            (Section::AdjacencyFacts, bytes_of(facts)),
            (Section::NameKeys, &self.name_keys),
            (Section::NameIds, bytes_of(&self.name_ids)),
            (Section::AliasKeys, &self.alias_keys),
            (Section::AliasStarts, bytes_of(&self.alias_starts)),
            (Section::AliasIds, bytes_of(&self.alias_ids)),
            (Section::AdjacencyByOther, bytes_of(adjacency.by_other())),
        ]
    }
}

/// The sections of `store`, as [`Frozen::read`] reads them.
pub fn sections(store: &Store) -> Result<Sections<'_>, String> {
    std::thread::scope(|scope| {
        // The adjacency and its order by entity are laid out on the other core while
        // the entities are written (the first to ask for them builds them; the other
        // waits). Lists laid out again with additions get their order when written.
        scope.spawn(|| {
            let adjacency = store.adjacency();
            if !store.has_additions() || adjacency.is_laid_out(store.entity_bound()) {
                adjacency.by_other();
            }
        });
        written(store)
    })
}

fn written(store: &Store) -> Result<Sections<'_>, String> {
    use crate::model::name_key;
    let bound = store.entity_bound();
    let mut kinds = Vec::with_capacity(bound);
    let mut details = Vec::new();
    let mut detail_ends = Vec::with_capacity(bound);
    let mut names: Vec<(String, u32)> = Vec::with_capacity(store.entity_count());
    let mut aliases: Vec<(String, u32)> = Vec::new();
    let mut entity_names = Vec::with_capacity(bound);
    for id in 0..bound as u32 {
        match store.entity(EntityId(id)) {
            Some(e) => {
                kinds.push(kind_code(&e.kind, store.kinds())?);
                encode_details(&e, &mut details);
                names.push((name_key(&e.name), id));
                aliases.extend(e.aliases.iter().map(|a| (name_key(a), id)));
                entity_names.push(e.name.clone());
            }
            None => {
                kinds.push(NO_KIND);
                entity_names.push(String::new());
            }
        }
        detail_ends.push(details.len());
    }
    let detail_texts = (0..bound).map(|i| {
        let start = if i == 0 { 0 } else { detail_ends[i - 1] };
        &details[start..detail_ends[i]]
    });
    // Relations added to a file read in place are not in its arrays: the lists are
    // laid out again with them.
    let rebuilt = (store.has_additions() && !store.adjacency().is_laid_out(bound))
        .then(|| store.adjacency().merged(bound));
    let adjacency = rebuilt.as_ref().unwrap_or_else(|| store.adjacency());
    let (_, _, relations, forward, _) = adjacency.arrays();
    let entries = forward_entries(relations, forward, store.relation_bound());
    let mut records = Vec::with_capacity(store.relation_bound());
    let mut properties: Vec<[u32; 2]> = Vec::new();
    // Every relation in id order (a store read in place finds their ends in one pass),
    // the ids between them vacant.
    for r in store.relations() {
        let id = r.id.0;
        records.resize(id as usize, RelationRecord::VACANT);
        let first = u32::try_from(properties.len())
            .map_err(|_| "more than 4 billion relation properties".to_string())?;
        if r.relation.properties.len() > u16::MAX as usize {
            return Err(format!("relation {id} has more than 65,535 properties"));
        }
        properties.extend(
            r.relation
                .properties
                .iter()
                .map(|(k, v)| [k.number(), v.number()]),
        );
        records.push(RelationRecord::of(entries[id as usize], &r.relation, first));
    }
    records.resize(store.relation_bound(), RelationRecord::VACANT);
    names.sort_unstable();
    aliases.sort_unstable();
    aliases.dedup();
    let mut alias_keys: Vec<&str> = Vec::new();
    let mut alias_starts = vec![0u32];
    let mut alias_ids = Vec::with_capacity(aliases.len());
    for (key, id) in &aliases {
        if alias_keys.last() != Some(&key.as_str()) {
            if !alias_keys.is_empty() {
                alias_starts.push(alias_ids.len() as u32);
            }
            alias_keys.push(key);
        }
        alias_ids.push(*id);
    }
    if !alias_keys.is_empty() {
        alias_starts.push(alias_ids.len() as u32);
    }
    let strings: Vec<&str> = (1..=store.string_count() as u32)
        .filter_map(Sym::from_number)
        .map(|s| store.text(s))
        .collect();
    let entity_names = Texts::encode(entity_names.iter().map(|n| n.as_bytes()));
    let details = Texts::encode(detail_texts);
    let alias_keys = Texts::encode(alias_keys.iter().map(|k| k.as_bytes()));
    Ok(Sections {
        store,
        rebuilt,
        entity_names,
        kinds,
        details,
        records,
        properties,
        strings: Texts::encode(strings.iter().map(|s| s.as_bytes())),
        name_keys: Texts::encode(names.iter().map(|(k, _)| k.as_bytes())),
        name_ids: names.iter().map(|&(_, id)| id).collect(),
        alias_keys,
        alias_starts,
        alias_ids,
    })
}
