//! A part of the graph to export or draw: everything selected, an ego network, or the
//! entities and relations of some paths, with those to highlight.

use std::collections::{BTreeSet, HashSet};

use crate::algo::{Path, Walker};
use crate::model::{EntityId, RelationId};
use crate::select::Selection;
use crate::store::Store;

/// The entities and relations to export, in id order, and those to highlight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    pub entities: Vec<EntityId>,
    pub relations: Vec<RelationId>,
    pub highlighted_entities: HashSet<EntityId>,
    pub highlighted_relations: HashSet<RelationId>,
}

impl Subgraph {
    /// The whole store.
    pub fn whole(store: &Store) -> Subgraph {
        Subgraph {
            entities: store.entities().map(|(id, _)| id).collect(),
            relations: store.relations().map(|r| r.id).collect(),
            ..Subgraph::default()
        }
    }

    /// Every selected entity, and every selected relation between two of them.
    pub fn selected(store: &Store, selection: &Selection) -> Subgraph {
        if selection.is_everything() {
            return Subgraph::whole(store);
        }
        let entities: BTreeSet<EntityId> = store
            .entities()
            .filter(|(_, e)| selection.allows_entity(e))
            .map(|(id, _)| id)
            .collect();
        Subgraph::among(store, selection, entities)
    }

    /// `center` and every entity within `depth` hops of it, with the selected relations
    /// among them.
    pub fn around(
        store: &Store,
        selection: &Selection,
        center: EntityId,
        depth: usize,
    ) -> Subgraph {
        let walker = Walker::new(store, selection, false, &[center]);
        let rings = walker.rings(center, Some(depth), None);
        Subgraph::among(store, selection, rings.distance.into_keys().collect())
    }

    /// The entities and relations of `paths`.
    pub fn of_paths(store: &Store, paths: &[Path]) -> Subgraph {
        let entities: BTreeSet<EntityId> = paths.iter().flat_map(Path::nodes).collect();
        let relations: BTreeSet<RelationId> = paths.iter().flat_map(Path::relations).collect();
        Subgraph {
            entities: entities
                .into_iter()
                .filter(|&e| store.entity(e).is_some())
                .collect(),
            relations: relations.into_iter().collect(),
            ..Subgraph::default()
        }
    }

    fn among(store: &Store, selection: &Selection, entities: BTreeSet<EntityId>) -> Subgraph {
        let mut relations: Vec<RelationId> = entities
            .iter()
            .flat_map(|&e| store.relations_of(e))
            .filter(|r| entities.contains(&r.from) && entities.contains(&r.to))
            .filter(|r| selection.allows_relation(&r.relation))
            .map(|r| r.id)
            .collect();
        relations.sort();
        relations.dedup();
        Subgraph {
            entities: entities.into_iter().collect(),
            relations,
            ..Subgraph::default()
        }
    }

    /// The part without the entities none of its relations touch (highlighted ones
    /// stay).
    pub fn without_isolated(mut self, store: &Store) -> Subgraph {
        let touched: HashSet<EntityId> = self
            .relations
            .iter()
            .filter_map(|&r| store.relation(r))
            .flat_map(|r| [r.from, r.to])
            .collect();
        let highlighted = &self.highlighted_entities;
        self.entities
            .retain(|e| touched.contains(e) || highlighted.contains(e));
        self
    }

    /// Adds the entities and relations of `paths` to the part, in id order.
    pub fn add_paths(&mut self, store: &Store, paths: &[Path]) {
        let more = Subgraph::of_paths(store, paths);
        let entities: BTreeSet<EntityId> = self
            .entities
            .iter()
            .chain(&more.entities)
            .copied()
            .collect();
        let relations: BTreeSet<RelationId> = self
            .relations
            .iter()
            .chain(&more.relations)
            .copied()
            .collect();
        self.entities = entities.into_iter().collect();
        self.relations = relations.into_iter().collect();
    }

    /// Marks the entities and relations of `paths` to stand out.
    pub fn highlight(&mut self, paths: &[Path]) {
        for path in paths {
            self.highlighted_entities.extend(path.nodes());
            self.highlighted_relations.extend(path.relations());
        }
    }

    /// Adds the entities that claim one of the relations, so that a re-import finds
    /// every name it refers to.
    pub fn with_claimants(mut self, store: &Store) -> Subgraph {
        let mut entities: BTreeSet<EntityId> = self.entities.iter().copied().collect();
        entities.extend(
            self.relations
                .iter()
                .filter_map(|&r| store.relation(r)?.relation.claimed_by),
        );
        self.entities = entities.into_iter().collect();
        self
    }
}
