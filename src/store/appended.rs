//! What a store that reads its file in place has had added since it was opened: new
//! relation types aside (they live with the other types), new entities, new relations
//! and new strings, with the names and aliases of the new entities. Adding is all a
//! journal usually holds (a script adding relations one by one), so a write or a
//! reader replaying such a journal leaves the file's arrays where they are and keeps
//! these few things beside them, and so do the removal of a relation (the undo of an
//! addition) and the change of a relation's fields or of an entity's kind, aliases or
//! properties: the file's relations removed are a set of ids that readers pass over,
//! and the relations and entities changed are kept as they are now (the entities'
//! aliases indexed apart). Any other change builds the graph first (`thaw`), which
//! takes these along.
//!
//! Ids carry on from the file's: the new entities are numbered from one past the
//! file's highest entity id, the relations likewise, and the strings' symbols from one
//! past the file's last string.

use foldhash::{HashMap, HashSet};

use crate::model::{Entity, EntityId, Relation, RelationId, Sym};

/// The additions to a store read in place.
#[derive(Debug, Clone, Default)]
pub(crate) struct Appended {
    /// The first id of each: one past the file's highest.
    entity_base: u32,
    relation_base: u32,
    /// How many strings the file holds.
    string_base: u32,
    /// By id from `entity_base`; `None` for an id skipped (a JSONL import keeping ids).
    entities: Vec<Option<Entity>>,
    /// Whether each of `entities` is there: an import checks the ends of millions of
    /// relations against these bytes rather than the entities.
    present: Vec<bool>,
    relations: Vec<Option<(EntityId, EntityId, Relation)>>,
    /// The file's relations removed since.
    removed: HashSet<RelationId>,
    /// The file's relations changed since (their ends stay), as they are now.
    updated: HashMap<RelationId, Relation>,
    /// The file's entities removed since.
    removed_entities: HashSet<EntityId>,
    /// The file's entities changed since, as they are now, and the keys of their
    /// aliases now (the file's alias index is not read for them).
    updated_entities: HashMap<EntityId, Entity>,
    updated_aliases: HashMap<String, Vec<EntityId>>,
    strings: Vec<String>,
    string_index: HashMap<String, Sym>,
    /// Name and alias keys of the new entities.
    names: HashMap<String, EntityId>,
    aliases: HashMap<String, Vec<EntityId>>,
}

impl Appended {
    /// Nothing added yet to a file of these bounds.
    pub(crate) fn after(entity_base: u32, relation_base: u32, string_base: u32) -> Appended {
        Appended {
            entity_base,
            relation_base,
            string_base,
            ..Appended::default()
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && self.relations.is_empty()
            && self.strings.is_empty()
            && self.removed.is_empty()
            && self.updated.is_empty()
            && self.updated_entities.is_empty()
            && self.removed_entities.is_empty()
    }

    /// One past the highest entity and relation ids, the file's and these.
    pub(crate) fn bounds(&self) -> (u32, u32) {
        (
            self.entity_base + self.entities.len() as u32,
            self.relation_base + self.relations.len() as u32,
        )
    }

    /// How many of the file's relations were removed.
    pub(crate) fn removed_count(&self) -> usize {
        self.removed.len()
    }

    /// The file's relations removed, in no set order.
    pub(crate) fn removed(&self) -> impl Iterator<Item = RelationId> + '_ {
        self.removed.iter().copied()
    }

    /// Whether the file's relation `id` was removed.
    pub(crate) fn is_removed(&self, id: RelationId) -> bool {
        !self.removed.is_empty() && self.removed.contains(&id)
    }

    /// Whether the file's entity `id` was removed since.
    pub(crate) fn is_entity_removed(&self, id: EntityId) -> bool {
        !self.removed_entities.is_empty() && self.removed_entities.contains(&id)
    }

    /// The file's entities removed since, in no set order.
    pub(crate) fn removed_entities(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.removed_entities.iter().copied()
    }

    /// Removes entity `id`, whose name and alias keys are `name` and `aliases` (its
    /// relations are removed apart): an added one leaves its slot empty, a file's one
    /// is passed over from now on, with any change made to it since.
    pub(crate) fn remove_entity(&mut self, id: EntityId, name: &str, aliases: &[String]) {
        let index = match id.0.checked_sub(self.entity_base) {
            Some(at) => {
                if let Some(slot) = self.entities.get_mut(at as usize) {
                    *slot = None;
                }
                if let Some(present) = self.present.get_mut(at as usize) {
                    *present = false;
                }
                &mut self.aliases
            }
            None => {
                self.removed_entities.insert(id);
                self.updated_entities.remove(&id);
                &mut self.updated_aliases
            }
        };
        for key in aliases {
            if let Some(ids) = index.get_mut(key) {
                ids.retain(|&x| x != id);
                if ids.is_empty() {
                    index.remove(key);
                }
            }
        }
        if self.names.get(name) == Some(&id) {
            self.names.remove(name);
        }
    }

    /// Puts back entity `id`, removed, as `entity` (name key `name`, alias keys
    /// `aliases`): an added one into its empty slot; a file's one is read again (the
    /// caller keeps any difference from the file's record as a change). `None` when it
    /// was not removed.
    pub(crate) fn restore_entity(
        &mut self,
        id: EntityId,
        entity: Entity,
        name: String,
        aliases: Vec<String>,
    ) -> Option<()> {
        match id.0.checked_sub(self.entity_base) {
            Some(at) => {
                let slot = self.entities.get_mut(at as usize)?;
                if slot.is_some() {
                    return None;
                }
                *slot = Some(entity);
                if let Some(present) = self.present.get_mut(at as usize) {
                    *present = true;
                }
                self.names.insert(name, id);
                for key in aliases {
                    let ids = self.aliases.entry(key).or_default();
                    if let Err(at) = ids.binary_search(&id) {
                        ids.insert(at, id);
                    }
                }
                Some(())
            }
            None => self.removed_entities.remove(&id).then_some(()),
        }
    }

    /// The file's entity `id` as it was changed since, if it was.
    pub(crate) fn updated_entity(&self, id: EntityId) -> Option<&Entity> {
        match self.updated_entities.is_empty() {
            true => None,
            false => self.updated_entities.get(&id),
        }
    }

    /// The file's entities changed since, as they are now, in no set order.
    pub(crate) fn updated_entities(&self) -> impl Iterator<Item = (EntityId, &Entity)> + '_ {
        self.updated_entities.iter().map(|(&id, e)| (id, e))
    }

    /// The file's entities changed since that have an alias of key `key` now, in id
    /// order (the file's alias index no longer counts for them).
    pub(crate) fn updated_alias(&self, key: &str) -> &[EntityId] {
        self.updated_aliases.get(key).map_or(&[], Vec::as_slice)
    }

    /// Changes entity `id` to `new`, whose alias keys were `old_keys` and are
    /// `new_keys` now, and whose name's key was and is `renamed` when it changes.
    pub(crate) fn update_entity(
        &mut self,
        id: EntityId,
        new: Entity,
        old_keys: &[String],
        new_keys: Vec<String>,
        renamed: Option<(String, String)>,
    ) {
        if let Some((old, new)) = renamed {
            // A file's entity keeps its old key in the file's index, where readers
            // find it no longer names the entity.
            if self.names.get(&old) == Some(&id) {
                self.names.remove(&old);
            }
            self.names.insert(new, id);
        }
        let index = match id.0.checked_sub(self.entity_base) {
            Some(at) => {
                if let Some(Some(entity)) = self.entities.get_mut(at as usize) {
                    *entity = new;
                }
                &mut self.aliases
            }
            None => {
                self.updated_entities.insert(id, new);
                &mut self.updated_aliases
            }
        };
        for key in old_keys {
            if let Some(ids) = index.get_mut(key) {
                ids.retain(|&x| x != id);
                if ids.is_empty() {
                    index.remove(key);
                }
            }
        }
        for key in new_keys {
            let ids = index.entry(key).or_default();
            if let Err(at) = ids.binary_search(&id) {
                ids.insert(at, id);
            }
        }
    }

    /// The file's relation `id` as it was changed since, if it was.
    pub(crate) fn updated(&self, id: RelationId) -> Option<&Relation> {
        match self.updated.is_empty() {
            true => None,
            false => self.updated.get(&id),
        }
    }

    /// The file's relations changed since, as they are now, in no set order.
    pub(crate) fn updates(&self) -> impl Iterator<Item = (RelationId, &Relation)> + '_ {
        self.updated.iter().map(|(&id, r)| (id, r))
    }

    /// Changes relation `id` (not its ends) to `relation`. The caller checked that it
    /// is there.
    pub(crate) fn update_relation(&mut self, id: RelationId, relation: Relation) {
        match id.0.checked_sub(self.relation_base) {
            Some(at) => {
                if let Some(Some((_, _, r))) = self.relations.get_mut(at as usize) {
                    *r = relation;
                }
            }
            None => {
                self.updated.insert(id, relation);
            }
        }
    }

    /// Forgets the change of the file's relation `id`: the file's record holds again.
    pub(crate) fn forget_update(&mut self, id: RelationId) {
        self.updated.remove(&id);
    }

    /// Removes relation `id`: an added one leaves its slot empty, a file's one is
    /// passed over from now on. The caller checked that it is there.
    pub(crate) fn remove_relation(&mut self, id: RelationId) {
        match id.0.checked_sub(self.relation_base) {
            Some(at) => {
                if let Some(slot) = self.relations.get_mut(at as usize) {
                    *slot = None;
                }
            }
            None => {
                self.removed.insert(id);
            }
        }
    }

    /// Puts back relation `id` as it was removed: a file's one read again (`None`
    /// when it was not removed), an added one into its empty slot (`None` when the
    /// slot is taken or past the bound).
    pub(crate) fn restore_relation(
        &mut self,
        id: RelationId,
        relation: (EntityId, EntityId, Relation),
    ) -> Option<()> {
        match id.0.checked_sub(self.relation_base) {
            Some(at) => {
                let slot = self.relations.get_mut(at as usize)?;
                if slot.is_some() {
                    return None;
                }
                *slot = Some(relation);
                Some(())
            }
            None => self.removed.remove(&id).then_some(()),
        }
    }

    /// How many entities and relations were added (and are there).
    pub(crate) fn counts(&self) -> (usize, usize) {
        (
            self.entities.iter().flatten().count(),
            self.relations.iter().flatten().count(),
        )
    }

    pub(crate) fn entity(&self, id: EntityId) -> Option<&Entity> {
        let at = id.0.checked_sub(self.entity_base)?;
        self.entities.get(at as usize)?.as_ref()
    }

    /// Whether `id` is an added entity, or `None` when it is the file's.
    pub(crate) fn has_entity(&self, id: EntityId) -> Option<bool> {
        let at = id.0.checked_sub(self.entity_base)?;
        Some(self.present.get(at as usize).copied().unwrap_or(false))
    }

    /// The added entities, in id order.
    pub(crate) fn entities(&self) -> impl Iterator<Item = &Entity> + '_ {
        self.entities.iter().flatten()
    }

    pub(crate) fn relation(&self, id: RelationId) -> Option<&(EntityId, EntityId, Relation)> {
        let at = id.0.checked_sub(self.relation_base)?;
        self.relations.get(at as usize)?.as_ref()
    }

    /// The added relations with their ids, in id order.
    pub(crate) fn relations(
        &self,
    ) -> impl Iterator<Item = (RelationId, &(EntityId, EntityId, Relation))> + Clone + '_ {
        (self.relations.iter().enumerate())
            .filter_map(|(i, r)| Some((RelationId(self.relation_base + i as u32), r.as_ref()?)))
    }

    /// Makes room for `entities` more entities and `relations` more relations.
    pub(crate) fn reserve(&mut self, entities: usize, relations: usize) {
        self.entities.reserve(entities);
        self.present.reserve(entities);
        self.names.reserve(entities);
        self.relations.reserve(relations);
    }

    /// Adds `entity` as the next id, indexed by the keys of its name and aliases.
    pub(crate) fn add_entity(
        &mut self,
        entity: Entity,
        name: String,
        aliases: Vec<String>,
    ) -> EntityId {
        let id = EntityId(self.bounds().0);
        self.entities.push(Some(entity));
        self.present.push(true);
        self.names.insert(name, id);
        for alias in aliases {
            let ids = self.aliases.entry(alias).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        id
    }

    /// Adds a relation as the next id.
    pub(crate) fn add_relation(
        &mut self,
        from: EntityId,
        to: EntityId,
        relation: Relation,
    ) -> RelationId {
        let id = RelationId(self.bounds().1);
        self.relations.push(Some((from, to, relation)));
        id
    }

    /// Moves the id counters up so that the next ids given are `entity` and
    /// `relation` (those between are never given).
    pub(crate) fn skip_to(&mut self, entity: Option<EntityId>, relation: Option<RelationId>) {
        let (entities, relations) = self.bounds();
        if let Some(id) = entity.filter(|id| id.0 > entities) {
            let len = (id.0 - self.entity_base) as usize;
            self.entities.resize(len, None);
            self.present.resize(len, false);
        }
        if let Some(id) = relation.filter(|id| id.0 > relations) {
            let len = (id.0 - self.relation_base) as usize;
            self.relations.resize(len, None);
        }
    }

    /// The new entity whose name has the key `key`.
    pub(crate) fn by_name(&self, key: &str) -> Option<EntityId> {
        self.names.get(key).copied()
    }

    /// The new entities with an alias of key `key`, in id order.
    pub(crate) fn by_alias(&self, key: &str) -> &[EntityId] {
        self.aliases.get(key).map_or(&[], Vec::as_slice)
    }

    /// The text of an added string's symbol.
    pub(crate) fn text(&self, sym: Sym) -> Option<&str> {
        let at = (sym.number() as usize).checked_sub(self.string_base as usize + 1)?;
        self.strings.get(at).map(String::as_str)
    }

    /// How many strings were added.
    pub(crate) fn string_count(&self) -> usize {
        self.strings.len()
    }

    /// The symbol of an added string `text`, if it was added.
    pub(crate) fn find_string(&self, text: &str) -> Option<Sym> {
        self.string_index.get(text).copied()
    }

    /// Adds the string `text` (not among the file's nor the added ones) as the next
    /// symbol; `None` when every symbol is taken.
    pub(crate) fn add_string(&mut self, text: &str) -> Option<Sym> {
        let number = self
            .string_base
            .checked_add(self.strings.len() as u32)?
            .checked_add(1)?;
        let sym = Sym::from_number(number)?;
        self.strings.push(text.to_string());
        self.string_index.insert(text.to_string(), sym);
        Some(sym)
    }

    /// The added strings, in symbol order.
    pub(crate) fn strings(&self) -> &[String] {
        &self.strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, TypeId};

    #[test]
    fn ids_carry_on_from_the_file_and_skipped_ones_stay_empty() {
        let mut a = Appended::after(10, 20, 3);
        let e = a.add_entity(
            Entity::new("Naryshkin", Kind::Person),
            "naryshkin".into(),
            vec![],
        );
        assert_eq!(e, EntityId(10));
        a.skip_to(Some(EntityId(13)), Some(RelationId(25)));
        let f = a.add_entity(
            Entity::new("SVR", Kind::Organization),
            "svr".into(),
            vec!["foreign intelligence".into()],
        );
        assert_eq!(f, EntityId(13));
        assert_eq!(a.entity(EntityId(11)), None);
        assert_eq!(a.has_entity(EntityId(11)), Some(false));
        assert_eq!(a.has_entity(EntityId(13)), Some(true));
        assert_eq!(a.has_entity(EntityId(14)), Some(false));
        assert_eq!(a.has_entity(EntityId(9)), None);
        assert_eq!(a.by_alias("foreign intelligence"), &[EntityId(13)]);
        let r = a.add_relation(e, f, Relation::new(TypeId(0)));
        assert_eq!(r, RelationId(25));
        assert_eq!(a.counts(), (2, 1));
        assert_eq!(a.bounds(), (14, 26));
        let s = a.add_string("Tass").map(Sym::number);
        assert_eq!(s, Some(4));
        assert_eq!(a.text(Sym::from_number(4).unwrap()), Some("Tass"));
        assert_eq!(a.text(Sym::from_number(3).unwrap()), None);
    }
}
