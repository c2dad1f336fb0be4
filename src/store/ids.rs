//! Ids and petgraph's indices. An entity or a relation keeps its id for its whole life
//! and no id is ever given twice, while petgraph's `StableGraph` gives the slot of a
//! removed element to the next one added, and cannot move a relation to other ends in
//! place. So ids come from a counter, and a map joins each id to the slot that holds
//! it: the identity while every id sits in the slot of its own number (a graph that
//! was only ever added to), a pair of arrays from the first time that stops being so.

use serde::{Deserialize, Serialize};

/// No slot, or no id.
const NONE: u32 = u32::MAX;

/// The ids of one kind of element (entities or relations) and their slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdMap {
    /// The next id to give: one past the highest ever given.
    next: u32,
    /// `None` while every live id is its own slot.
    mapped: Option<Mapped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Mapped {
    /// The slot of each id, `NONE` for a removed one.
    slot_of: Vec<u32>,
    /// The id in each slot (stale for a vacant slot).
    id_of: Vec<u32>,
}

/// An id map as a snapshot keeps it: the counter, and the id in each slot once they
/// differ (the slots of ids are rebuilt on load).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct IdMapForm {
    next: u32,
    ids_by_slot: Option<Vec<u32>>,
}

impl IdMap {
    /// The map of a graph whose live slots `0..bound` hold the ids of their own number,
    /// as files before ids had their own map were written.
    pub(crate) fn identity(bound: u32) -> IdMap {
        IdMap {
            next: bound,
            mapped: None,
        }
    }

    /// One past the highest id ever given: ids index arrays of this length.
    pub(crate) fn bound(&self) -> u32 {
        self.next
    }

    /// The slot that holds `id`, if it may be live (the graph says whether it is).
    pub(crate) fn slot(&self, id: u32) -> Option<u32> {
        match &self.mapped {
            None => (id < self.next).then_some(id),
            Some(m) => m.slot_of.get(id as usize).copied().filter(|&s| s != NONE),
        }
    }

    /// The id held by the live slot `slot`.
    pub(crate) fn id(&self, slot: u32) -> u32 {
        match &self.mapped {
            None => slot,
            Some(m) => m.id_of.get(slot as usize).copied().unwrap_or(NONE),
        }
    }

    /// Whether ids and slots still coincide.
    pub(crate) fn is_identity(&self) -> bool {
        self.mapped.is_none()
    }

    /// Whether another id can be given (the last number is kept for "none").
    pub(crate) fn has_room(&self) -> bool {
        self.next < NONE - 1
    }

    /// Gives a new id to the element petgraph just put in `slot`; `live` lists the
    /// live slots, in case the map must stop being the identity. The caller checked
    /// [`IdMap::has_room`].
    pub(crate) fn assign(&mut self, slot: u32, live: impl Iterator<Item = u32>) -> u32 {
        let id = self.next;
        self.next += 1;
        self.place(id, slot, live);
        id
    }

    /// Records that `id` (given before) now sits in `slot`: a relation moved to other
    /// ends, or an element brought back by undo. `live` lists the other live slots.
    pub(crate) fn place(&mut self, id: u32, slot: u32, live: impl Iterator<Item = u32>) {
        if self.mapped.is_none() && id == slot {
            return;
        }
        let next = self.next;
        let others = live.filter(|&s| s != slot);
        let m = self
            .mapped
            .get_or_insert_with(|| Mapped::identity(next, others));
        m.set(id, slot, next);
    }

    /// Moves the counter up to `next`, so that the next id given is `next` (an import
    /// that keeps a file's ids, or the replay of one); `live` lists the live slots.
    pub(crate) fn skip_to(&mut self, next: u32, live: impl Iterator<Item = u32>) {
        if next <= self.next {
            return;
        }
        let old = self.next;
        let m = self
            .mapped
            .get_or_insert_with(|| Mapped::identity(old, live));
        m.slot_of.resize(next as usize, NONE);
        self.next = next;
    }

    /// Records that `id` no longer sits anywhere. Its number is not given again.
    pub(crate) fn release(&mut self, id: u32) {
        if let Some(m) = &mut self.mapped
            && let Some(s) = m.slot_of.get_mut(id as usize)
        {
            *s = NONE;
        }
    }

    /// The form a snapshot keeps.
    pub(crate) fn form(&self, slots: u32) -> IdMapForm {
        IdMapForm {
            next: self.next,
            ids_by_slot: self.mapped.as_ref().map(|m| {
                (0..slots)
                    .map(|s| m.id_of.get(s as usize).copied().unwrap_or(NONE))
                    .collect()
            }),
        }
    }

    /// Rebuilds the map from a snapshot's form, given the live slots; an id twice, an
    /// id past the counter or a live slot without an id is an error.
    pub(crate) fn from_form(
        form: IdMapForm,
        what: &str,
        live: impl Iterator<Item = u32>,
    ) -> Result<IdMap, String> {
        let next = form.next;
        let Some(ids) = form.ids_by_slot else {
            for slot in live {
                if slot >= next {
                    return Err(format!("{what} slot {slot} is past the id counter {next}"));
                }
            }
            return Ok(IdMap::identity(next));
        };
        let mut slot_of = vec![NONE; next as usize];
        for slot in live {
            let id = ids.get(slot as usize).copied().unwrap_or(NONE);
            let Some(place) = slot_of.get_mut(id as usize) else {
                return Err(format!(
                    "{what} slot {slot} holds id {id}, past the id counter {next}"
                ));
            };
            if *place != NONE {
                return Err(format!("{what} id {id} is held twice"));
            }
            *place = slot;
        }
        Ok(IdMap {
            next,
            mapped: Some(Mapped {
                slot_of,
                id_of: ids,
            }),
        })
    }
}

impl Mapped {
    /// The arrays of the identity map over the `live` slots, ids below `next`.
    fn identity(next: u32, live: impl Iterator<Item = u32>) -> Mapped {
        let mut slot_of = vec![NONE; next as usize];
        let mut id_of = Vec::new();
        for slot in live {
            if let Some(s) = slot_of.get_mut(slot as usize) {
                *s = slot;
            }
            if id_of.len() <= slot as usize {
                id_of.resize(slot as usize + 1, NONE);
            }
            id_of[slot as usize] = slot;
        }
        Mapped { slot_of, id_of }
    }

    fn set(&mut self, id: u32, slot: u32, next: u32) {
        if self.slot_of.len() < next as usize {
            self.slot_of.resize(next as usize, NONE);
        }
        self.slot_of[id as usize] = slot;
        if self.id_of.len() <= slot as usize {
            self.id_of.resize(slot as usize + 1, NONE);
        }
        self.id_of[slot as usize] = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_the_identity_until_a_slot_is_reused() {
        let mut ids = IdMap::default();
        for slot in 0..3 {
            assert_eq!(ids.assign(slot, 0..slot), slot);
        }
        assert!(ids.is_identity());
        // id 1 removed; petgraph gives its slot to the next element, which gets id 3.
        ids.release(1);
        assert_eq!(ids.assign(1, [0, 1, 2].into_iter()), 3);
        assert!(!ids.is_identity());
        assert_eq!(ids.slot(1), None);
        assert_eq!(ids.slot(3), Some(1));
        assert_eq!(ids.id(1), 3);
        assert_eq!(ids.slot(0), Some(0));
        assert_eq!(ids.bound(), 4);
    }

    #[test]
    fn the_form_round_trips_and_damage_is_found() {
        let mut ids = IdMap::default();
        for slot in 0..3 {
            ids.assign(slot, 0..slot);
        }
        ids.release(0);
        ids.assign(0, 0..3);
        let back = IdMap::from_form(ids.form(3), "entity", 0..3).unwrap();
        assert_eq!((back.slot(3), back.slot(0), back.id(2)), (Some(0), None, 2));
        let twice = IdMapForm {
            next: 4,
            ids_by_slot: Some(vec![3, 3, 2]),
        };
        assert!(IdMap::from_form(twice, "entity", 0..3).is_err());
        let past = IdMapForm {
            next: 2,
            ids_by_slot: None,
        };
        assert!(IdMap::from_form(past, "relation", 0..3).is_err());
    }
}
