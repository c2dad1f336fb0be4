//! The relation types: registered, described, replaced and removed, each change noting
//! its undo (the types live in memory beside the arrays of a store read in place).

use super::adjacency::PackedFacts;
use super::{Change, Store, StoreError, check_name, name_key, nearest};
use crate::model::{RelationType, TypeId};

impl Store {
    pub fn types(&self) -> &[RelationType] {
        &self.types
    }

    /// How many relations there are of each type, by type id. A store read in place
    /// counts the facts laid out beside its adjacency, without decoding a relation.
    pub fn relation_counts(&self) -> Vec<usize> {
        let mut counts = vec![0usize; self.types.len()];
        let mut count = |rtype: TypeId| {
            if let Some(n) = counts.get_mut(rtype.0 as usize) {
                *n += 1;
            }
        };
        match &self.frozen {
            Some(_) => (self.adjacency().stored_facts())
                .filter_map(PackedFacts::unpack)
                .for_each(|f| count(f.rtype)),
            None => self.graph.edge_weights().for_each(|r| count(r.rtype)),
        }
        counts
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
        self.thaw()?;
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
        self.thaw()?;
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
}
