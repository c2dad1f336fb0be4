//! The ego network: every entity within `depth` hops of a centre, with its distance
//! and the relations that reach it from the ring before.

use std::collections::HashMap;

use super::walk::{Step, Walker};
use crate::model::EntityId;
use crate::select::Selection;
use crate::store::{Store, name_key};

/// An entity of the neighbourhood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    pub entity: EntityId,
    /// Hops from the centre (at least 1).
    pub distance: usize,
    /// Every selected relation joining it to an entity one hop closer to the centre.
    pub via: Vec<Step>,
}

/// The neighbours of `center` up to `depth` hops, nearest first, then by name.
pub fn neighbors(
    store: &Store,
    center: EntityId,
    selection: &Selection,
    depth: usize,
    directed: bool,
) -> Vec<Neighbor> {
    let walker = Walker::new(store, selection, directed, &[center]);
    let mut distance: HashMap<EntityId, usize> = HashMap::from([(center, 0)]);
    let mut found: Vec<Neighbor> = Vec::new();
    let mut index: HashMap<EntityId, usize> = HashMap::new();
    let mut ring = vec![center];
    for d in 1..=depth {
        let mut next = Vec::new();
        for &at in &ring {
            for step in walker.steps(at) {
                match distance.get(&step.to) {
                    None => {
                        distance.insert(step.to, d);
                        index.insert(step.to, found.len());
                        found.push(Neighbor {
                            entity: step.to,
                            distance: d,
                            via: vec![step],
                        });
                        next.push(step.to);
                    }
                    Some(&seen) if seen == d => found[index[&step.to]].via.push(step),
                    Some(_) => {}
                }
            }
        }
        if next.is_empty() {
            break;
        }
        ring = next;
    }
    found.sort_by_cached_key(|n| (n.distance, name_key(store.name(n.entity)), n.entity));
    found
}
