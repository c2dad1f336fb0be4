//! The ego network: every entity within `depth` hops of a centre, with its distance
//! and the relations that reach it from the ring before.

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

/// The neighbours of `center` up to `depth` hops, nearest first, then by name:
/// breadth-first rings, O(V + E) within the depth, then a sort of the n found,
/// O(n log n).
pub fn neighbors(
    store: &Store,
    center: EntityId,
    selection: &Selection,
    depth: usize,
    directed: bool,
) -> Vec<Neighbor> {
    let walker = Walker::new(store, selection, directed, &[center]);
    let mut rings = walker.rings(center, Some(depth), None);
    let mut found: Vec<Neighbor> = rings
        .order
        .iter()
        .map(|&entity| Neighbor {
            entity,
            distance: rings.distance.get(&entity).copied().unwrap_or_default(),
            via: rings.into.remove(&entity).unwrap_or_default(),
        })
        .collect();
    found.sort_by_cached_key(|n| (n.distance, name_key(store.name(n.entity)), n.entity));
    found
}
