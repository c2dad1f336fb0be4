//! The changes to a store: adding, updating, renaming, moving and removing entities
//! and relations, each recorded for the journal as it is made.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::change::{Change, Recording};
use super::checks::{check_entity, check_not_id, check_property};
use super::error::StoreError;
use super::ids::IdMap;
use super::{RelationRef, Store, edge_slots, node_slots};
use crate::model::{
    Entity, EntityId, RESERVED_KEYS, Relation, RelationId, Sym, TimeSpan, clean_name, name_key,
};

impl Store {
    /// Adds an entity; its canonical name must be new.
    /// Its name and aliases are stored clean (trimmed, NFC).
    /// A store that reads its file in place keeps it beside the file's arrays.
    pub fn add_entity(&mut self, mut entity: Entity) -> Result<EntityId, StoreError> {
        entity.name = clean_name(&entity.name);
        for alias in &mut entity.aliases {
            *alias = clean_name(alias);
        }
        check_entity(&entity)?;
        self.check_kind(&entity)?;
        let key = name_key(&entity.name);
        if self.by_name(&entity.name).is_some() {
            return Err(StoreError::DuplicateEntity(entity.name));
        }
        // A name means one entity: not another's alias, and no alias another's name.
        if let Some(&owner) = self.by_alias(&entity.name).first() {
            return Err(StoreError::Invalid(format!(
                "'{}' is an alias of {}",
                entity.name,
                self.name(owner)
            )));
        }
        self.check_aliases_free(&entity, None)?;
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            check_not_id(name)?;
        }
        if !self.entity_ids.has_room() {
            return Err(StoreError::Full("at most 4,294,967,293 entities"));
        }
        let aliases: Vec<String> = entity.aliases.iter().map(|a| name_key(a)).collect();
        self.changed();
        let recorded =
            matches!(self.recording, Some(Recording::Changes(..))).then(|| entity.clone());
        let id = if self.frozen.is_some() {
            let id = self.appended.add_entity(entity, key, aliases);
            self.entity_ids = IdMap::identity(self.appended.bounds().0);
            id
        } else {
            let slot = self.graph.add_node(entity).index() as u32;
            let id = EntityId(self.entity_ids.assign(slot, node_slots(&self.graph)));
            self.names.insert(key, id);
            for alias in aliases {
                self.index_alias(alias, id);
            }
            id
        };
        if let Some(entity) = recorded {
            self.record(|_| Change::AddEntity { id, entity });
        }
        self.note_inverse_one(Change::RemoveEntity { id });
        Ok(id)
    }

    /// Changes an entity's kind, aliases or properties (not its name).
    pub fn update_entity(
        &mut self,
        id: EntityId,
        f: impl FnOnce(&mut Entity),
    ) -> Result<(), StoreError> {
        if self.frozen.is_some() {
            return self.update_entity_in_place(id, f);
        }
        let Some(n) = self.node_index(id) else {
            return Err(StoreError::Invalid(format!("no entity with id {}", id.0)));
        };
        let stored = &self.graph[n];
        let mut entity = stored.clone();
        let before: Vec<String> = stored.aliases.clone();
        f(&mut entity);
        entity.name = stored.name.clone();
        if entity == *stored {
            // Nothing changes: nothing to record or undo.
            return Ok(());
        }
        check_entity(&entity)?;
        self.check_kind(&entity)?;
        self.check_aliases_free(&entity, Some(id))?;
        for alias in entity
            .aliases
            .iter()
            .filter(|a| !stored.aliases.contains(a))
        {
            check_not_id(alias)?;
        }
        let after: Vec<String> = entity.aliases.clone();
        self.record(|_| Change::UpdateEntity {
            id,
            entity: entity.clone(),
        });
        self.note_inverse(|s| {
            vec![Change::UpdateEntity {
                id,
                entity: s.graph[n].clone(),
            }]
        });
        self.graph[n] = entity;
        for alias in before.iter().filter(|a| !after.contains(a)) {
            self.unindex_alias(&name_key(alias), id);
        }
        for alias in after.into_iter().filter(|a| !before.contains(a)) {
            self.index_alias(name_key(&alias), id);
        }
        Ok(())
    }

    /// Adds a relation between two existing entities (a store that reads its file in
    /// place keeps it beside the file's arrays).
    pub fn add_relation(
        &mut self,
        from: EntityId,
        to: EntityId,
        relation: Relation,
    ) -> Result<RelationId, StoreError> {
        for end in [from, to] {
            if !self.has_entity(end) {
                return Err(StoreError::Invalid(format!("no entity with id {}", end.0)));
            }
        }
        self.check_relation(&relation)?;
        if !self.relation_ids.has_room() {
            return Err(StoreError::Full("at most 4,294,967,293 relations"));
        }
        let (Some(a), Some(b)) = (self.node_index(from), self.node_index(to)) else {
            return Err(StoreError::Invalid(
                "a relation's end does not exist".to_string(),
            ));
        };
        self.changed();
        let recording = matches!(self.recording, Some(Recording::Changes(..)));
        let text = recording.then(|| self.relation_text(&relation));
        let id = if self.frozen.is_some() {
            let id = self.appended.add_relation(from, to, relation);
            self.relation_ids = IdMap::identity(self.appended.bounds().1);
            id
        } else {
            let slot = self.graph.add_edge(a, b, relation).index() as u32;
            RelationId(self.relation_ids.assign(slot, edge_slots(&self.graph)))
        };
        if let Some(relation) = text {
            self.record(|_| Change::AddRelation {
                id,
                from,
                to,
                relation,
            });
        }
        self.note_inverse_one(Change::RemoveRelation { id });
        Ok(id)
    }

    /// Moves both id counters up to `entities` and `relations` (those below are never
    /// given), recorded for the journal: an import that keeps a file's ids and the
    /// counters of the database it came from.
    pub fn skip_counters_to(&mut self, entities: EntityId, relations: RelationId) {
        if entities.0 > self.entity_ids.bound() || relations.0 > self.relation_ids.bound() {
            self.record(|_| Change::SkipIds {
                entities,
                relations,
            });
            self.skip_ids_to(Some(entities), Some(relations));
        }
    }

    /// Gives the next new entity the id `entity` and the next new relation the id
    /// `relation` when those are past the ids given so far (the ids between are never
    /// given): an import that keeps a file's ids.
    pub fn skip_ids_to(&mut self, entity: Option<EntityId>, relation: Option<RelationId>) {
        let entity = entity.filter(|id| id.0 < u32::MAX - 1);
        let relation = relation.filter(|id| id.0 < u32::MAX - 1);
        // The adjacency's lists are one per entity id.
        self.changed();
        if self.frozen.is_some() {
            self.appended.skip_to(entity, relation);
            let (entities, relations) = self.appended.bounds();
            self.entity_ids = IdMap::identity(entities);
            self.relation_ids = IdMap::identity(relations);
            return;
        }
        if let Some(id) = entity {
            self.entity_ids.skip_to(id.0, node_slots(&self.graph));
        }
        if let Some(id) = relation {
            self.relation_ids.skip_to(id.0, edge_slots(&self.graph));
        }
    }

    /// Interns a string for a relation's source, quote or property.
    /// A store that reads its file in place looks for it among the file's strings
    /// (reading them all, the first time) and the added ones, and adds it beside them.
    pub fn intern(&mut self, text: &str) -> Result<Sym, StoreError> {
        let full = StoreError::Full("at most 4,294,967,295 distinct strings");
        let Some(frozen) = &self.frozen else {
            return self.strings.intern(text).ok_or(full);
        };
        if let Some(sym) = self.appended.find_string(text) {
            return Ok(sym);
        }
        if let Some(sym) = self
            .file_strings
            .get_or_init(|| frozen.string_index())
            .get(text)
        {
            return Ok(*sym);
        }
        self.appended.add_string(text).ok_or(full)
    }

    /// Removes an entity with every relation touching it. Relations it merely claimed
    /// keep their claim status but lose the claimant. Returns the entity and the number of
    /// relations removed.
    pub fn remove_entity(&mut self, id: EntityId) -> Option<(Entity, usize)> {
        if self.frozen.is_some() {
            return self.remove_entity_in_place(id);
        }
        self.thaw().ok()?;
        self.node_index(id)?;
        let claimed = self.claimed_by(id);
        self.remove_entity_claiming(id, &claimed)
    }

    /// Removes the entities with ids `first..=last` that are there (the undo of adding
    /// them), finding the relations they claim in one pass over the relations rather
    /// than one per entity.
    pub fn remove_entities(&mut self, first: EntityId, last: EntityId) -> Result<(), StoreError> {
        self.thaw()?;
        let mut claims: foldhash::HashMap<EntityId, Vec<RelationId>> = Default::default();
        for r in self.relations() {
            if let Some(c) = r.relation.claimed_by
                && (first..=last).contains(&c)
            {
                claims.entry(c).or_default().push(r.id);
            }
        }
        for id in first.0..=last.0 {
            let id = EntityId(id);
            let claimed = claims.remove(&id).unwrap_or_default();
            self.remove_entity_claiming(id, &claimed)
                .ok_or_else(|| StoreError::Invalid(format!("no entity with id {}", id.0)))?;
        }
        Ok(())
    }

    /// Removes entity `id`, which claims the relations `claimed` (ids of relations of
    /// other entities or its own).
    fn remove_entity_claiming(
        &mut self,
        id: EntityId,
        claimed: &[RelationId],
    ) -> Option<(Entity, usize)> {
        let n = self.node_index(id)?;
        let touching: Vec<RelationId> = self.relations_of(id).map(|r| r.id).collect();
        let degree = touching.len();
        self.note_inverse(|s| s.inverse_of_removal(id, claimed));
        let entity = self.graph.remove_node(n)?;
        self.entity_ids.release(id.0);
        for r in touching {
            self.relation_ids.release(r.0);
        }
        self.changed();
        self.record(|_| Change::RemoveEntity { id });
        self.names.remove(&name_key(&entity.name));
        for alias in &entity.aliases {
            self.unindex_alias(&name_key(alias), id);
        }
        for &r in claimed {
            if let Some(e) = self.edge_index(r)
                && let Some(relation) = self.graph.edge_weight_mut(e)
            {
                relation.claimed_by = None;
            }
        }
        Some((entity, degree))
    }

    pub fn remove_relation(
        &mut self,
        id: RelationId,
    ) -> Result<(EntityId, EntityId, Relation), StoreError> {
        if self.frozen.is_some() {
            return self.remove_relation_in_place(id);
        }
        let e = self.edge_index(id).ok_or(StoreError::UnknownRelation(id))?;
        let (from, to) = self
            .graph
            .edge_endpoints(e)
            .ok_or(StoreError::UnknownRelation(id))?;
        let (from, to) = (self.entity_at(from), self.entity_at(to));
        self.note_inverse(|s| {
            let relation = s.relation_text(&s.graph[e]);
            vec![Change::RestoreRelation {
                id,
                from,
                to,
                relation,
            }]
        });
        let relation = self
            .graph
            .remove_edge(e)
            .ok_or(StoreError::UnknownRelation(id))?;
        self.relation_ids.release(id.0);
        self.changed();
        self.record(|_| Change::RemoveRelation { id });
        Ok((from, to, relation))
    }

    /// Indexes alias `key` of entity `id`, the entities of each alias in id order (as
    /// a file's index holds them, whatever order they came in).
    fn index_alias(&mut self, key: String, id: EntityId) {
        let ids = self.aliases.entry(key).or_default();
        if let Err(at) = ids.binary_search(&id) {
            ids.insert(at, id);
        }
    }

    fn unindex_alias(&mut self, key: &str, id: EntityId) {
        if let Some(ids) = self.aliases.get_mut(key) {
            ids.retain(|&x| x != id);
            if ids.is_empty() {
                self.aliases.remove(key);
            }
        }
    }

    /// Gives entity `id` a new canonical name (its id, relations and aliases stay).
    /// The name must not be another entity's name or alias.
    pub fn rename_entity(&mut self, id: EntityId, name: &str) -> Result<(), StoreError> {
        let name = &clean_name(name);
        check_not_id(name)?;
        let Some(stored) = self.entity(id).map(std::borrow::Cow::into_owned) else {
            return Err(StoreError::Invalid(format!("no entity with id {}", id.0)));
        };
        let key = name_key(name);
        if self.by_name(name).is_some_and(|other| other != id) {
            return Err(StoreError::DuplicateEntity(name.to_string()));
        }
        if let Some(&owner) = self.by_alias(name).iter().find(|&&o| o != id) {
            return Err(StoreError::Invalid(format!(
                "'{name}' is an alias of {}",
                self.name(owner)
            )));
        }
        if stored.name == *name {
            return Ok(());
        }
        let mut entity = stored.clone();
        let old_key = name_key(&entity.name);
        entity.name = name.to_string();
        // The new name may have been one of its own aliases: it is the name now.
        entity.aliases.retain(|a| name_key(a) != key);
        check_entity(&entity)?;
        self.record(|_| Change::RenameEntity {
            id,
            name: name.to_string(),
        });
        let old = stored.clone();
        self.note_inverse(|_| {
            vec![
                Change::RenameEntity {
                    id,
                    name: old.name.clone(),
                },
                Change::UpdateEntity { id, entity: old },
            ]
        });
        let Some(n) = self.node_index(id).filter(|_| self.frozen.is_none()) else {
            self.rename_in_place(id, &stored, entity);
            return Ok(());
        };
        let dropped: Vec<String> = self.graph[n]
            .aliases
            .iter()
            .filter(|a| name_key(a) == key)
            .map(|a| name_key(a))
            .collect();
        for alias in dropped {
            self.unindex_alias(&alias, id);
        }
        self.names.remove(&old_key);
        self.names.insert(key, id);
        self.graph[n] = entity;
        Ok(())
    }

    /// Replaces the fields of relation `id` (type, date, status, grade, source, quote,
    /// claimant, properties); its ends and id stay.
    pub fn update_relation(
        &mut self,
        id: RelationId,
        relation: Relation,
    ) -> Result<(), StoreError> {
        if self.frozen.is_some() {
            return self.update_relation_in_place(id, relation);
        }
        self.thaw()?;
        let e = self.edge_index(id).ok_or(StoreError::UnknownRelation(id))?;
        match self.graph.edge_weight(e) {
            None => return Err(StoreError::UnknownRelation(id)),
            Some(stored) if *stored == relation => return Ok(()),
            Some(_) => {}
        }
        self.check_relation(&relation)?;
        self.changed();
        let recording = matches!(self.recording, Some(Recording::Changes(..)));
        if recording {
            let text = self.relation_text(&relation);
            self.record(|_| Change::UpdateRelation { id, relation: text });
        }
        self.note_inverse(|s| {
            vec![Change::UpdateRelation {
                id,
                relation: s.relation_text(&s.graph[e]),
            }]
        });
        self.graph[e] = relation;
        Ok(())
    }

    /// Moves relation `id` to the ends `from` and `to`, keeping its id and fields.
    pub fn move_relation(
        &mut self,
        id: RelationId,
        from: EntityId,
        to: EntityId,
    ) -> Result<(), StoreError> {
        self.thaw()?;
        let e = self.edge_index(id).ok_or(StoreError::UnknownRelation(id))?;
        let (Some(a), Some(b)) = (self.node_index(from), self.node_index(to)) else {
            return Err(StoreError::Invalid(
                "a relation's end does not exist".to_string(),
            ));
        };
        self.note_inverse(|s| {
            // The edge was found live just above, so it has ends.
            let (a, b) = s.graph.edge_endpoints(e).expect("a live edge has ends"); // infallible
            vec![Change::MoveRelation {
                id,
                from: s.entity_at(a),
                to: s.entity_at(b),
            }]
        });
        let relation = self
            .graph
            .remove_edge(e)
            .ok_or(StoreError::UnknownRelation(id))?;
        self.changed();
        self.record(|_| Change::MoveRelation { id, from, to });
        self.place_relation(id, a, b, relation);
        Ok(())
    }

    /// Brings back a removed entity under its old id (undo of a removal). Its name must
    /// be free.
    pub fn restore_entity(&mut self, id: EntityId, entity: Entity) -> Result<(), StoreError> {
        check_entity(&entity)?;
        self.check_kind(&entity)?;
        if self.frozen.is_some() {
            if self.has_entity(id) {
                return Err(StoreError::Invalid(format!(
                    "entity id {} is not a removed one",
                    id.0
                )));
            }
            if self.restore_entity_in_place(id, &entity)? {
                return Ok(());
            }
        }
        self.thaw()?;
        if id.0 >= self.entity_ids.bound() || self.node_index(id).is_some() {
            return Err(StoreError::Invalid(format!(
                "entity id {} is not a removed one",
                id.0
            )));
        }
        let key = name_key(&entity.name);
        if self.names.contains_key(&key) {
            return Err(StoreError::DuplicateEntity(entity.name));
        }
        self.changed();
        self.record(|_| Change::RestoreEntity {
            id,
            entity: entity.clone(),
        });
        self.note_inverse_one(Change::RemoveEntity { id });
        let aliases: Vec<String> = entity.aliases.iter().map(|a| name_key(a)).collect();
        let slot = self.graph.add_node(entity).index() as u32;
        self.entity_ids.place(id.0, slot, node_slots(&self.graph));
        self.names.insert(key, id);
        for alias in aliases {
            self.index_alias(alias, id);
        }
        Ok(())
    }

    /// Brings back a removed relation under its old id (undo of a removal).
    pub fn restore_relation(
        &mut self,
        id: RelationId,
        from: EntityId,
        to: EntityId,
        relation: Relation,
    ) -> Result<(), StoreError> {
        if self.frozen.is_some() {
            if self.relation(id).is_some() {
                return Err(StoreError::Invalid(format!(
                    "relation id {} is not a removed one",
                    id.0
                )));
            }
            if self.restore_in_place(id, from, to, &relation)? {
                return Ok(());
            }
        }
        self.thaw()?;
        if id.0 >= self.relation_ids.bound()
            || self
                .edge_index(id)
                .is_some_and(|e| self.graph.edge_weight(e).is_some())
        {
            return Err(StoreError::Invalid(format!(
                "relation id {} is not a removed one",
                id.0
            )));
        }
        let (Some(a), Some(b)) = (self.node_index(from), self.node_index(to)) else {
            return Err(StoreError::Invalid(
                "a relation's end does not exist".to_string(),
            ));
        };
        self.check_relation(&relation)?;
        self.changed();
        self.record_restore(id, from, to, &relation);
        self.place_relation(id, a, b, relation);
        Ok(())
    }

    /// Records the return of relation `id` between `from` and `to` for the journal,
    /// and notes its undo (the removal).
    pub(super) fn record_restore(
        &mut self,
        id: RelationId,
        from: EntityId,
        to: EntityId,
        relation: &Relation,
    ) {
        if matches!(self.recording, Some(Recording::Changes(..))) {
            let text = self.relation_text(relation);
            self.record(|_| Change::RestoreRelation {
                id,
                from,
                to,
                relation: text,
            });
        }
        self.note_inverse_one(Change::RemoveRelation { id });
    }

    /// Refuses aliases that are another entity's canonical name (`id` is the entity's
    /// own, when it is stored).
    pub(super) fn check_aliases_free(
        &self,
        entity: &Entity,
        id: Option<EntityId>,
    ) -> Result<(), StoreError> {
        for alias in &entity.aliases {
            if let Some(owner) = self.by_name(alias)
                && Some(owner) != id
            {
                return Err(StoreError::Invalid(format!(
                    "'{alias}' is the name of {}: it cannot be an alias of {} too",
                    self.name(owner),
                    entity.name
                )));
            }
        }
        Ok(())
    }

    /// Refuses an entity of a kind of the graph's own that is not declared.
    pub(super) fn check_kind(&self, entity: &Entity) -> Result<(), StoreError> {
        if self.knows_kind(&entity.kind) {
            Ok(())
        } else {
            Err(StoreError::Invalid(format!(
                "entity '{}': kind '{}' is not declared",
                entity.name, entity.kind
            )))
        }
    }

    /// The changes that bring back entity `id` as it is now, with its relations and its
    /// claims on others.
    fn inverse_of_removal(&self, id: EntityId, claimed: &[RelationId]) -> Vec<Change> {
        let Some(n) = self.node_index(id) else {
            return Vec::new();
        };
        let mut changes = vec![Change::RestoreEntity {
            id,
            entity: self.graph[n].clone(),
        }];
        let mut touching: Vec<RelationRef<'_>> = self.relations_of(id).collect();
        touching.sort_by_key(|r| r.id);
        touching.dedup_by_key(|r| r.id);
        for r in touching {
            changes.push(Change::RestoreRelation {
                id: r.id,
                from: r.from,
                to: r.to,
                relation: self.relation_text(&r.relation),
            });
        }
        for r in claimed.iter().filter_map(|&r| self.relation(r)) {
            if r.from != id && r.to != id {
                changes.push(Change::UpdateRelation {
                    id: r.id,
                    relation: self.relation_text(&r.relation),
                });
            }
        }
        changes
    }

    /// Puts relation `id` between the nodes `a` and `b`.
    fn place_relation(
        &mut self,
        id: RelationId,
        a: NodeIndex<u32>,
        b: NodeIndex<u32>,
        relation: Relation,
    ) {
        let slot: EdgeIndex<u32> = self.graph.add_edge(a, b, relation);
        self.relation_ids
            .place(id.0, slot.index() as u32, edge_slots(&self.graph));
    }

    /// Checks a relation's fields against the store: its claimant and type exist, its
    /// properties are valid and sorted, its date and grade well formed, no empty text.
    pub(super) fn check_relation(&self, relation: &Relation) -> Result<(), StoreError> {
        if let Some(end) = relation.claimed_by
            && !self.has_entity(end)
        {
            return Err(StoreError::Invalid(format!("no entity with id {}", end.0)));
        }
        if relation.rtype.0 as usize >= self.types.len() {
            return Err(StoreError::Invalid(format!(
                "no relation type with id {}",
                relation.rtype.0
            )));
        }
        for (k, v) in relation.properties.iter() {
            check_property(self.text(*k), self.text(*v), &RESERVED_KEYS)?;
        }
        if !relation
            .properties
            .windows(2)
            .all(|p| self.text(p[0].0) < self.text(p[1].0))
        {
            return Err(StoreError::Invalid(
                "properties must be sorted by key, each key once".to_string(),
            ));
        }
        let w = relation.when;
        if TimeSpan::from_parts(w.earliest(), w.latest(), w.shape()).is_none() {
            return Err(StoreError::Invalid("a malformed date".to_string()));
        }
        if relation.grade.is_some_and(|g| !g.is_valid()) {
            return Err(StoreError::Invalid("a malformed grade".to_string()));
        }
        if [relation.source, relation.quote]
            .into_iter()
            .flatten()
            .any(|s| self.text(s).is_empty())
        {
            return Err(StoreError::Invalid(
                "an empty source or quote: leave it out instead".to_string(),
            ));
        }
        Ok(())
    }
}
