//! The edits of a store that reads its file in place, kept beside the file's arrays
//! (`appended`) instead of building the graph: a relation's removal, change and
//! return, an entity's change, rename, removal and return. [`Store`]'s edits (`edit`)
//! come here when the store reads a file in place; each records its change and notes
//! its undo as the graph's edits do, so that both answer alike (`tests/additions.rs`
//! checks it).

use super::Store;
use super::change::{Change, Recording};
use super::checks::{check_entity, check_not_id};
use super::error::StoreError;
use crate::model::{Entity, EntityId, Relation, RelationId, name_key};

impl Store {
    /// [`Store::remove_relation`] on a store read in place: the relation is passed over
    /// from now on (the undo of an addition stays as cheap as the addition).
    pub(super) fn remove_relation_in_place(
        &mut self,
        id: RelationId,
    ) -> Result<(EntityId, EntityId, Relation), StoreError> {
        let r = self.relation(id).ok_or(StoreError::UnknownRelation(id))?;
        let (from, to, relation) = (r.from, r.to, r.relation.into_owned());
        self.note_inverse(|s| {
            vec![Change::RestoreRelation {
                id,
                from,
                to,
                relation: s.relation_text(&relation),
            }]
        });
        self.appended.remove_relation(id);
        self.changed();
        self.record(|_| Change::RemoveRelation { id });
        Ok((from, to, relation))
    }

    /// [`Store::update_relation`] on a store read in place: the relation as it is now
    /// is kept beside the file's arrays.
    pub(super) fn update_relation_in_place(
        &mut self,
        id: RelationId,
        relation: Relation,
    ) -> Result<(), StoreError> {
        let old = self.relation(id).ok_or(StoreError::UnknownRelation(id))?;
        if *old.relation == relation {
            return Ok(());
        }
        let old = self.relation_text(&old.relation);
        self.check_relation(&relation)?;
        self.changed();
        if matches!(self.recording, Some(Recording::Changes(..))) {
            let text = self.relation_text(&relation);
            self.record(|_| Change::UpdateRelation { id, relation: text });
        }
        self.note_inverse_one(Change::UpdateRelation { id, relation: old });
        self.appended.update_relation(id, relation);
        Ok(())
    }

    /// [`Store::update_entity`] on a store read in place: the change is kept beside the
    /// file's arrays (the entity as it is now, its aliases indexed apart).
    pub(super) fn update_entity_in_place(
        &mut self,
        id: EntityId,
        f: impl FnOnce(&mut Entity),
    ) -> Result<(), StoreError> {
        let Some(stored) = self.entity(id).map(std::borrow::Cow::into_owned) else {
            return Err(StoreError::Invalid(format!("no entity with id {}", id.0)));
        };
        let mut entity = stored.clone();
        f(&mut entity);
        entity.name = stored.name.clone();
        if entity == stored {
            return Ok(());
        }
        check_entity(&entity)?;
        self.check_kind(&entity)?;
        self.check_aliases_free(&entity, Some(id))?;
        for alias in (entity.aliases.iter()).filter(|a| !stored.aliases.contains(a)) {
            check_not_id(alias)?;
        }
        self.record(|_| Change::UpdateEntity {
            id,
            entity: entity.clone(),
        });
        let keys = |e: &Entity| e.aliases.iter().map(|a| name_key(a)).collect::<Vec<_>>();
        let (old_keys, new_keys) = (keys(&stored), keys(&entity));
        self.note_inverse_one(Change::UpdateEntity { id, entity: stored });
        self.changed();
        (self.appended).update_entity(id, entity, &old_keys, new_keys, None);
        Ok(())
    }

    /// [`Store::rename_entity`]'s change on a store read in place, checked and recorded:
    /// entity `id`, `stored`, is `entity` now, kept beside the file's arrays with its new
    /// name indexed apart.
    pub(super) fn rename_in_place(&mut self, id: EntityId, stored: &Entity, entity: Entity) {
        let keys = |e: &Entity| e.aliases.iter().map(|a| name_key(a)).collect::<Vec<_>>();
        let (old_keys, new_keys) = (keys(stored), keys(&entity));
        let renamed = Some((name_key(&stored.name), name_key(&entity.name)));
        self.changed();
        (self.appended).update_entity(id, entity, &old_keys, new_keys, renamed);
    }

    /// [`Store::remove_entity`] on a store read in place: the entity and its relations
    /// are passed over from now on, and the relations it claimed lose their claimant,
    /// beside the file's arrays.
    pub(super) fn remove_entity_in_place(&mut self, id: EntityId) -> Option<(Entity, usize)> {
        let entity = self.entity(id)?.into_owned();
        let claimed = self.claimed_by(id);
        let mut touching: Vec<RelationId> = self.relations_of(id).map(|r| r.id).collect();
        touching.sort_unstable();
        touching.dedup();
        let others: Vec<(RelationId, Relation)> = (claimed.iter())
            .filter(|r| touching.binary_search(r).is_err())
            .filter_map(|&r| Some((r, self.relation_weight(r)?.into_owned())))
            .collect();
        self.note_inverse(|s| {
            let mut changes = vec![Change::RestoreEntity {
                id,
                entity: entity.clone(),
            }];
            for r in touching.iter().filter_map(|&r| s.relation(r)) {
                changes.push(Change::RestoreRelation {
                    id: r.id,
                    from: r.from,
                    to: r.to,
                    relation: s.relation_text(&r.relation),
                });
            }
            for (r, relation) in &others {
                changes.push(Change::UpdateRelation {
                    id: *r,
                    relation: s.relation_text(relation),
                });
            }
            changes
        });
        self.changed();
        self.record(|_| Change::RemoveEntity { id });
        for &r in &touching {
            self.appended.remove_relation(r);
        }
        for (r, mut relation) in others {
            relation.claimed_by = None;
            self.appended.update_relation(r, relation);
        }
        let aliases: Vec<String> = entity.aliases.iter().map(|a| name_key(a)).collect();
        (self.appended).remove_entity(id, &name_key(&entity.name), &aliases);
        Some((entity, touching.len()))
    }

    /// Puts back, in place, an entity removed from a store read in place: `false` when
    /// that cannot be (the id is not one removed there), and the graph is to be built
    /// for it instead.
    pub(super) fn restore_entity_in_place(
        &mut self,
        id: EntityId,
        entity: &Entity,
    ) -> Result<bool, StoreError> {
        let Some(frozen) = self.frozen.clone() else {
            return Ok(false);
        };
        let removed = match self.appended.is_entity_removed(id) {
            true => true,
            false => {
                id.0 >= frozen.entity_bound()
                    && (id.0 as usize) < self.entity_bound()
                    && !self.has_entity(id)
            }
        };
        if !removed {
            return Ok(false);
        }
        if self.by_name(&entity.name).is_some() {
            return Err(StoreError::DuplicateEntity(entity.name.clone()));
        }
        self.changed();
        self.record(|_| Change::RestoreEntity {
            id,
            entity: entity.clone(),
        });
        self.note_inverse_one(Change::RemoveEntity { id });
        let keys = |e: &Entity| e.aliases.iter().map(|a| name_key(a)).collect::<Vec<_>>();
        let (name, aliases) = (name_key(&entity.name), keys(entity));
        if (self.appended)
            .restore_entity(id, entity.clone(), name.clone(), aliases.clone())
            .is_none()
        {
            return Ok(false);
        }
        // A file's entity read again: any difference from its record is a change.
        if let Some(file) = frozen.entity(id).filter(|file| file != entity) {
            let renamed = (file.name != entity.name).then(|| (name_key(&file.name), name));
            (self.appended).update_entity(id, entity.clone(), &keys(&file), aliases, renamed);
        }
        Ok(true)
    }

    /// Puts back, in place, a relation removed from a store read in place: `false` when
    /// that cannot be (the id is not one removed there, or the file's relation is not
    /// the one to restore), and the graph is to be built for it instead.
    pub(super) fn restore_in_place(
        &mut self,
        id: RelationId,
        from: EntityId,
        to: EntityId,
        relation: &Relation,
    ) -> Result<bool, StoreError> {
        let Some(frozen) = self.frozen.clone() else {
            return Ok(false);
        };
        // A file's relation comes back between the same ends (its fields may differ
        // from the file's record: they are then kept as its change).
        let file = frozen.relation(id).filter(|_| self.appended.is_removed(id));
        let removed = match self.appended.is_removed(id) {
            true => file
                .as_ref()
                .is_some_and(|(f, t, _)| (*f, *t) == (from, to)),
            false => {
                id.0 >= frozen.relation_bound()
                    && (id.0 as usize) < self.relation_bound()
                    && self.appended.relation(id).is_none()
            }
        };
        if !removed {
            return Ok(false);
        }
        if !self.has_entity(from) || !self.has_entity(to) {
            return Err(StoreError::Invalid(
                "a relation's end does not exist".to_string(),
            ));
        }
        self.check_relation(relation)?;
        self.changed();
        self.record_restore(id, from, to, relation);
        let restored = self
            .appended
            .restore_relation(id, (from, to, relation.clone()));
        if let Some((_, _, record)) = file {
            match record == *relation {
                true => self.appended.forget_update(id),
                false => self.appended.update_relation(id, relation.clone()),
            }
        }
        Ok(restored.is_some())
    }
}
