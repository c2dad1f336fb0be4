//! Merging entities that are one actor: every relation and claim of the others moves to
//! the one kept, their names and aliases become its aliases, and relations that become
//! identical collapse into one.

use std::collections::HashMap;

use super::Store;
use super::error::StoreError;
use crate::model::{EntityId, Kind, Relation, RelationId};

/// A property (or the kind) the merged entities disagree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The property's key, or `kind`.
    pub key: String,
    /// The value the merged entity keeps.
    pub kept: String,
    /// The value it does not keep, and the entity that had it (the kept entity, or
    /// the merged one it came from).
    pub dropped: String,
    pub from: String,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub keep: EntityId,
    /// The merged entities' names and ids, as they were.
    pub others: Vec<(EntityId, String)>,
    /// Relations that now end at the kept entity.
    pub moved: Vec<RelationId>,
    /// Relations removed because an identical one was there: (removed, kept).
    pub collapsed: Vec<(RelationId, RelationId)>,
    /// Relations whose claimant is now the kept entity.
    pub claims: Vec<RelationId>,
    /// Aliases the kept entity gained.
    pub aliases: Vec<String>,
    /// Properties it gained from the others.
    pub properties: Vec<(String, String)>,
    pub conflicts: Vec<Conflict>,
    /// Moved relations that now join the kept entity to itself.
    pub loops: Vec<RelationId>,
}

impl Store {
    /// Merges `others` into `keep`. On a property (or kind) the entities disagree on,
    /// `keep`'s value stays, or the first other's that has one with `prefer_others`.
    pub fn merge(
        &mut self,
        keep: EntityId,
        others: &[EntityId],
        prefer_others: bool,
    ) -> Result<Merged, StoreError> {
        self.thaw()?;
        let mut merged = Merged {
            keep,
            others: Vec::new(),
            moved: Vec::new(),
            collapsed: Vec::new(),
            claims: Vec::new(),
            aliases: Vec::new(),
            properties: Vec::new(),
            conflicts: Vec::new(),
            loops: Vec::new(),
        };
        if self.entity(keep).is_none() {
            return Err(StoreError::Invalid(format!("no entity with id {}", keep.0)));
        }
        for (i, &other) in others.iter().enumerate() {
            if other == keep || others[..i].contains(&other) {
                return Err(StoreError::Invalid(format!(
                    "{} is named twice in the merge",
                    self.name(other)
                )));
            }
            if self.entity(other).is_none() {
                return Err(StoreError::Invalid(format!(
                    "no entity with id {}",
                    other.0
                )));
            }
        }
        // Which entity each kept value came from, to name the owner of a value dropped.
        let mut origins = HashMap::new();
        for &other in others {
            self.merge_one(keep, other, prefer_others, &mut merged, &mut origins)?;
        }
        // With several others a value may be replaced more than once: each conflict
        // reports the value kept in the end, and a dropped value once.
        if let Some(entity) = self.entity(keep) {
            let final_value = |key: &str| match key {
                "kind" => Some(entity.kind.to_string()),
                key => entity.property(key).map(str::to_string),
            };
            let mut seen = std::collections::HashSet::new();
            merged.conflicts.retain_mut(|c| {
                if let Some(kept) = final_value(&c.key) {
                    c.kept = kept;
                }
                c.dropped != c.kept && seen.insert((c.key.clone(), c.dropped.clone()))
            });
        }
        Ok(merged)
    }

    fn merge_one(
        &mut self,
        keep: EntityId,
        other: EntityId,
        prefer_others: bool,
        merged: &mut Merged,
        origins: &mut HashMap<String, String>,
    ) -> Result<(), StoreError> {
        let gone = || StoreError::Invalid(format!("no entity with id {}", other.0));
        let absorbed = self
            .entity(other)
            .map(std::borrow::Cow::into_owned)
            .ok_or_else(gone)?;
        merged.others.push((other, absorbed.name.clone()));
        // Claims first, so that relations the move makes identical are found identical
        // with their claimant too.
        for id in self.claimed_by(other) {
            let r = self.relation(id).ok_or(StoreError::UnknownRelation(id))?;
            let (from, to) = (r.from, r.to);
            let mut relation = r.relation.into_owned();
            relation.claimed_by = Some(keep);
            // A relation between two others that is now identical to one already
            // there collapses into it (one that touches `other` is moved below, and
            // collapses there).
            let key = self.identity(from, to, &relation);
            let twin = (from != other && to != other)
                .then(|| {
                    self.relations_of(from)
                        .find(|t| t.id != id && self.identity(t.from, t.to, &t.relation) == key)
                        .map(|t| t.id)
                })
                .flatten();
            match twin {
                Some(kept) => {
                    self.remove_relation(id)?;
                    merged.collapsed.push((id, kept));
                }
                None => {
                    self.update_relation(id, relation)?;
                    merged.claims.push(id);
                }
            }
        }
        // The relations of the kept entity, by what they are, to find the ones a move
        // makes identical.
        let mut present: HashMap<(EntityId, EntityId, Relation), RelationId> = self
            .relations_of(keep)
            .map(|r| (self.identity(r.from, r.to, &r.relation), r.id))
            .collect();
        let mut touching: Vec<(RelationId, EntityId, EntityId)> = self
            .relations_of(other)
            .map(|r| (r.id, r.from, r.to))
            .collect();
        touching.sort_unstable();
        touching.dedup();
        let end = |e: EntityId| if e == other { keep } else { e };
        // Decided oldest first (the oldest of identical relations stays), done newest
        // first: petgraph keeps a node's edges newest first, so each edge taken off a
        // hub is at the head of its list, and a merge is linear in the relations moved.
        let mut steps = Vec::with_capacity(touching.len());
        for (id, from, to) in touching {
            let (from, to) = (end(from), end(to));
            let relation = self
                .relation_weight(id)
                .map(std::borrow::Cow::into_owned)
                .ok_or(StoreError::UnknownRelation(id))?;
            let key = self.identity(from, to, &relation);
            match present.get(&key) {
                Some(&kept) => steps.push((id, from, to, Some(kept))),
                None => {
                    present.insert(key, id);
                    steps.push((id, from, to, None));
                }
            }
        }
        for &(id, from, to, collapse) in steps.iter().rev() {
            match collapse {
                Some(_) => {
                    self.remove_relation(id)?;
                }
                None => self.move_relation(id, from, to)?,
            }
        }
        for (id, from, to, collapse) in steps {
            match collapse {
                Some(kept) => merged.collapsed.push((id, kept)),
                None => {
                    merged.moved.push(id);
                    if from == keep && to == keep {
                        merged.loops.push(id);
                    }
                }
            }
        }
        self.remove_entity(other);
        let kept = self
            .entity(keep)
            .map(std::borrow::Cow::into_owned)
            .ok_or_else(|| StoreError::Invalid(format!("no entity with id {}", keep.0)))?;
        let mut entity = kept.clone();
        for name in std::iter::once(&absorbed.name).chain(&absorbed.aliases) {
            if entity.add_alias(name.clone()) {
                merged.aliases.push(name.clone());
            }
        }
        let kind_origin = origins
            .entry(" kind".to_string())
            .or_insert_with(|| kept.name.clone())
            .clone();
        if entity.kind == Kind::Other && absorbed.kind != Kind::Other {
            // A placeholder takes the real kind.
            entity.kind = absorbed.kind.clone();
            origins.insert(" kind".to_string(), absorbed.name.clone());
        } else if entity.kind != absorbed.kind && absorbed.kind != Kind::Other {
            let conflict = if prefer_others {
                let dropped = std::mem::replace(&mut entity.kind, absorbed.kind.clone());
                origins.insert(" kind".to_string(), absorbed.name.clone());
                Conflict {
                    key: "kind".to_string(),
                    kept: entity.kind.to_string(),
                    dropped: dropped.to_string(),
                    from: kind_origin,
                }
            } else {
                Conflict {
                    key: "kind".to_string(),
                    kept: entity.kind.to_string(),
                    dropped: absorbed.kind.to_string(),
                    from: absorbed.name.clone(),
                }
            };
            merged.conflicts.push(conflict);
        }
        for (key, value) in &absorbed.properties {
            let origin = origins
                .entry(key.clone())
                .or_insert_with(|| kept.name.clone())
                .clone();
            match entity.property(key).map(str::to_string) {
                None => {
                    entity.set_property(key.clone(), value.clone());
                    origins.insert(key.clone(), absorbed.name.clone());
                    merged.properties.push((key.clone(), value.clone()));
                }
                Some(mine) if mine == *value => {}
                Some(mine) => {
                    let conflict = if prefer_others {
                        entity.set_property(key.clone(), value.clone());
                        origins.insert(key.clone(), absorbed.name.clone());
                        Conflict {
                            key: key.clone(),
                            kept: value.clone(),
                            dropped: mine,
                            from: origin,
                        }
                    } else {
                        Conflict {
                            key: key.clone(),
                            kept: mine,
                            dropped: value.clone(),
                            from: absorbed.name.clone(),
                        }
                    };
                    merged.conflicts.push(conflict);
                }
            }
        }
        if entity != kept {
            self.update_entity(keep, |e| *e = entity)?;
        }
        Ok(())
    }

    /// A relation's identity for collapsing: its ends (in order unless its type is
    /// symmetric) and every field.
    fn identity(
        &self,
        from: EntityId,
        to: EntityId,
        relation: &Relation,
    ) -> (EntityId, EntityId, Relation) {
        let symmetric = self.relation_type(relation.rtype).symmetric;
        let (a, b) = if symmetric && to < from {
            (to, from)
        } else {
            (from, to)
        };
        (a, b, relation.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, Kind, RelationType};

    fn store() -> (Store, EntityId, EntityId, EntityId) {
        let mut s = Store::new();
        let met = s
            .add_type(RelationType {
                symmetric: true,
                ..RelationType::directed("met")
            })
            .unwrap();
        let mut putin = Entity::new("Putin", Kind::Person);
        putin.set_property("born".into(), "1952".into());
        let a = s.add_entity(putin).unwrap();
        let mut twin = Entity::new("Vladimir Putin", Kind::Person);
        twin.aliases.push("VVP".into());
        twin.set_property("born".into(), "1953".into());
        twin.set_property("party".into(), "UR".into());
        let b = s.add_entity(twin).unwrap();
        let c = s.add_entity(Entity::new("Trump", Kind::Person)).unwrap();
        s.add_relation(a, c, Relation::new(met)).unwrap();
        s.add_relation(c, b, Relation::new(met)).unwrap();
        s.add_relation(b, c, Relation::new(met)).unwrap();
        (s, a, b, c)
    }

    #[test]
    fn a_merge_moves_collapses_and_reports_conflicts() {
        let (mut s, a, b, _) = store();
        let m = s.merge(a, &[b], false).unwrap();
        assert_eq!(s.entity_count(), 2);
        assert_eq!(
            s.relation_count(),
            1,
            "both of the twin's meetings were the same"
        );
        assert_eq!(m.collapsed.len(), 2);
        assert_eq!(m.aliases, vec!["Vladimir Putin", "VVP"]);
        assert_eq!(m.properties, vec![("party".to_string(), "UR".to_string())]);
        assert_eq!(m.conflicts[0].kept, "1952");
        assert_eq!(s.resolve("vladimir putin").unwrap(), a);
        assert!(s.verify().is_empty());
    }

    #[test]
    fn the_others_win_when_told() {
        let (mut s, a, b, _) = store();
        let m = s.merge(a, &[b], true).unwrap();
        assert_eq!(m.conflicts[0].kept, "1953");
        assert_eq!(s.entity(a).unwrap().property("born"), Some("1953"));
    }

    #[test]
    fn naming_an_entity_twice_is_refused() {
        let (mut s, a, b, _) = store();
        assert!(s.merge(a, &[a], false).is_err());
        assert!(s.merge(a, &[b, b], false).is_err());
    }
}
