//! Timelines: relations in date order ([`TimeSpan::timeline_order`](crate::model::TimeSpan::timeline_order):
//! an open start at its known end, an open end at its start, ties by precision; undated last).

use crate::model::EntityId;
use crate::select::Selection;
use crate::store::{RelationRef, Store};

/// The selected relations of one entity (or of the whole graph), in date order, ties by
/// id. A relation is listed when it and both its ends are selected; the named entity
/// itself is always allowed. O(E) over the whole graph (the entity's degree for one
/// entity), then a sort of the m kept, O(m log m).
pub fn timeline<'s>(
    store: &'s Store,
    entity: Option<EntityId>,
    selection: &Selection,
) -> Vec<RelationRef<'s>> {
    let end_ok = |id: EntityId| {
        Some(id) == entity
            || store
                .entity(id)
                .is_some_and(|e| selection.allows_entity(&e))
    };
    let keep =
        |r: &RelationRef| selection.allows_relation(&r.relation) && end_ok(r.from) && end_ok(r.to);
    let mut relations: Vec<RelationRef> = match entity {
        Some(id) => store.relations_of(id).filter(keep).collect(),
        None => store.relations().filter(keep).collect(),
    };
    relations.sort_by(|a, b| {
        a.relation
            .when
            .timeline_order(&b.relation.when)
            .then(a.id.cmp(&b.id))
    });
    relations
}
