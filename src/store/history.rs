//! The history of writes: each write's time, the command that made it, and the changes
//! that undo it. Undoing replays those changes as a new write, whose own entry holds
//! the changes that redo it.
//!
//! Each change to the store, while a write is being recorded, notes the changes that
//! put back what it changed (its inverse) before it changes anything; the write's undo
//! is those notes in reverse order. The inverse of an addition is a removal by id, and
//! additions of consecutive ids fold into one range, so the undo of a large import is a
//! few changes; the inverse of a removal carries what was removed.

use serde::Serialize;

use super::Store;
use super::change::{Change, Entry};
use super::error::StoreError;

/// What a write did, counted from its undo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub entities_added: u64,
    pub entities_removed: u64,
    pub entities_changed: u64,
    pub relations_added: u64,
    pub relations_removed: u64,
    pub relations_changed: u64,
    pub types_added: u64,
    pub types_removed: u64,
    pub types_changed: u64,
    pub kinds_added: u64,
    pub kinds_changed: u64,
}

impl Entry {
    /// What the write did, counted from the changes that undo it.
    pub fn tally(&self) -> Tally {
        use std::collections::HashSet;
        let mut t = Tally::default();
        let span = |first: u32, last: u32| u64::from(last - first) + 1;
        // An entity or relation changed several times in one write counts once, and
        // not at all when the write added or removed it.
        let (mut entities, mut relations) = (HashSet::new(), HashSet::new());
        let (mut whole_entities, mut whole_relations) = (HashSet::new(), HashSet::new());
        for change in &self.inverse {
            match change {
                Change::RemoveEntity { id } => {
                    t.entities_added += 1;
                    whole_entities.insert(id.0);
                }
                Change::RemoveEntities { first, last } => t.entities_added += span(first.0, last.0),
                Change::RestoreEntity { id, .. } | Change::AddEntity { id, .. } => {
                    t.entities_removed += 1;
                    whole_entities.insert(id.0);
                }
                Change::UpdateEntity { id, .. } | Change::RenameEntity { id, .. } => {
                    entities.insert(id.0);
                }
                Change::RemoveRelation { id } => {
                    t.relations_added += 1;
                    whole_relations.insert(id.0);
                }
                Change::RemoveRelations { first, last } => {
                    t.relations_added += span(first.0, last.0)
                }
                Change::RestoreRelation { id, .. } | Change::AddRelation { id, .. } => {
                    t.relations_removed += 1;
                    whole_relations.insert(id.0);
                }
                Change::UpdateRelation { id, .. } | Change::MoveRelation { id, .. } => {
                    relations.insert(id.0);
                }
                Change::RemoveType { .. } => t.types_added += 1,
                Change::AddType { .. } => t.types_removed += 1,
                Change::DescribeType { .. } | Change::ReplaceType { .. } => t.types_changed += 1,
                Change::Record { .. } | Change::SkipIds { .. } => {}
                Change::ForgetKind { .. } => t.kinds_added += 1,
                Change::DeclareKind { .. } => t.kinds_changed += 1,
            }
        }
        t.entities_changed = entities.difference(&whole_entities).count() as u64;
        t.relations_changed = relations.difference(&whole_relations).count() as u64;
        t
    }
}

impl Tally {
    /// The tally in words: "added 2 entities and 3 relations, changed 1 relation".
    pub fn describe(&self) -> String {
        let things = |n: u64, one: &str| {
            let many = if one == "entity" {
                "entities"
            } else {
                &format!("{one}s")
            };
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        };
        let clause = |verb: &str, parts: [Option<String>; 4]| {
            let parts: Vec<String> = parts.into_iter().flatten().collect();
            match parts.len() {
                0 => None,
                1 => Some(format!("{verb} {}", parts[0])),
                _ => Some(format!(
                    "{verb} {} and {}",
                    parts[..parts.len() - 1].join(", "),
                    parts[parts.len() - 1]
                )),
            }
        };
        let clauses: Vec<String> = [
            clause(
                "added",
                [
                    things(self.entities_added, "entity"),
                    things(self.relations_added, "relation"),
                    things(self.types_added, "type"),
                    things(self.kinds_added, "kind"),
                ],
            ),
            clause(
                "removed",
                [
                    things(self.entities_removed, "entity"),
                    things(self.relations_removed, "relation"),
                    things(self.types_removed, "type"),
                    None,
                ],
            ),
            clause(
                "changed",
                [
                    things(self.entities_changed, "entity"),
                    things(self.relations_changed, "relation"),
                    things(self.types_changed, "type"),
                    things(self.kinds_changed, "kind"),
                ],
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        if clauses.is_empty() {
            "changed nothing".to_string()
        } else {
            clauses.join("; ")
        }
    }
}

/// The undo being gathered for the write in progress.
#[derive(Debug, Clone, Default)]
pub(super) struct Pending {
    /// Each change's inverse, in the order the changes were made.
    groups: Vec<Vec<Change>>,
    /// The writes this one undoes.
    undoes: Vec<u64>,
}

impl Pending {
    /// Notes the inverse of one change, folding the removal of an id that follows the
    /// previous removal into a range.
    pub(super) fn push(&mut self, inverse: Vec<Change>) {
        if let [one] = inverse.as_slice()
            && self.extend_last(one)
        {
            return;
        }
        self.groups.push(inverse);
    }

    /// Notes an inverse of one change, without allocating when it extends the last
    /// range (an import's additions, one after another).
    pub(super) fn push_one(&mut self, inverse: Change) {
        if !self.extend_last(&inverse) {
            self.groups.push(vec![inverse]);
        }
    }

    /// Extends the last noted removal by `next` when it removes the id after it.
    fn extend_last(&mut self, next: &Change) -> bool {
        if let Some(last) = self.groups.last_mut()
            && let [previous] = last.as_mut_slice()
            && let Some(range) = extend(previous, next)
        {
            *previous = range;
            return true;
        }
        false
    }
}

/// The range of `previous` extended by `next` when `next` removes the id after it.
fn extend(previous: &Change, next: &Change) -> Option<Change> {
    use crate::model::{EntityId, RelationId};
    let follows = |last: u32, next: u32| last.checked_add(1) == Some(next);
    match (previous, next) {
        (
            Change::RemoveEntity { id: first } | Change::RemoveEntities { first, .. },
            Change::RemoveEntity { id: next },
        ) => {
            let (Change::RemoveEntity { id: last } | Change::RemoveEntities { last, .. }) =
                previous
            else {
                return None;
            };
            follows(last.0, next.0).then_some(Change::RemoveEntities {
                first: EntityId(first.0),
                last: *next,
            })
        }
        (
            Change::RemoveRelation { id: first } | Change::RemoveRelations { first, .. },
            Change::RemoveRelation { id: next },
        ) => {
            let (Change::RemoveRelation { id: last } | Change::RemoveRelations { last, .. }) =
                previous
            else {
                return None;
            };
            follows(last.0, next.0).then_some(Change::RemoveRelations {
                first: RelationId(first.0),
                last: *next,
            })
        }
        _ => None,
    }
}

impl Store {
    /// Starts gathering the undo of a write (the storage layer calls this).
    pub fn start_entry(&mut self) {
        self.pending = Some(Pending::default());
    }

    /// Notes `inverse()`, the changes that undo the change about to be made, when a
    /// write is being gathered.
    pub(super) fn note_inverse(&mut self, inverse: impl FnOnce(&Store) -> Vec<Change>) {
        if self.pending.is_some() {
            let changes = inverse(self);
            if let Some(pending) = &mut self.pending {
                pending.push(changes);
            }
        }
    }

    /// Notes the one change that undoes the addition just made.
    pub(super) fn note_inverse_one(&mut self, inverse: Change) {
        if let Some(pending) = &mut self.pending {
            pending.push_one(inverse);
        }
    }

    /// Ends the write being gathered: when it changed anything, adds its entry to the
    /// history (and to the journal's record of the write) and returns its number.
    pub fn finish_entry(&mut self, command: &str, time: i64) -> Option<u64> {
        let pending = self.pending.take()?;
        if pending.groups.is_empty() {
            return None;
        }
        let seq = self.history.last().map_or(1, |e| e.seq + 1);
        let entry = Entry {
            seq,
            time,
            command: command.to_string(),
            undoes: pending.undoes,
            inverse: pending.groups.into_iter().rev().flatten().collect(),
        };
        self.record(|_| Change::Record {
            entry: Box::new(entry.clone()),
        });
        self.history.push(entry);
        Some(seq)
    }

    /// The writes recorded, oldest first.
    pub fn history(&self) -> &[Entry] {
        &self.history
    }

    /// The writes that an undo of `count` would revert, newest first: the latest writes
    /// that are neither undos themselves nor undone (by an undo that stands).
    pub fn undoable(&self, count: usize) -> Vec<u64> {
        let mut undone = std::collections::HashSet::new();
        let mut picked = Vec::new();
        for entry in self.history.iter().rev() {
            if picked.len() == count {
                break;
            }
            if undone.contains(&entry.seq) {
                continue;
            }
            if entry.undoes.is_empty() {
                picked.push(entry.seq);
            } else {
                undone.extend(entry.undoes.iter().copied());
            }
        }
        picked
    }

    /// Whether write `seq` has been undone by an undo that stands.
    pub fn is_undone(&self, seq: u64) -> bool {
        self.undone().contains(&seq)
    }

    /// The writes undone by undos that stand (one pass over the history: ask this once
    /// when listing many writes, rather than [`Store::is_undone`] for each).
    pub fn undone(&self) -> std::collections::HashSet<u64> {
        let mut undone = std::collections::HashSet::new();
        for entry in self.history.iter().rev() {
            if !undone.contains(&entry.seq) {
                undone.extend(entry.undoes.iter().copied());
            }
        }
        undone
    }

    /// The first later write that still stands over write `seq` (so undoing `seq`
    /// alone would take back what that write did too, or clash with it): a later
    /// write not undone, or a later undo of a write before `seq`. `also` are writes
    /// undone by the same undo, before `seq`.
    pub fn standing_after(&self, seq: u64, also: &[u64]) -> Option<u64> {
        let mut undone = self.undone();
        undone.extend(also.iter().copied());
        self.history
            .iter()
            .filter(|e| e.seq > seq && !undone.contains(&e.seq))
            .find(|e| e.undoes.is_empty() || e.undoes.iter().any(|&t| t < seq))
            .map(|e| e.seq)
    }

    /// Reverts the writes `seqs`, newest first, as part of the write in progress, which
    /// history then lists as their undo. Fails, changing nothing the caller keeps, when
    /// an undo no longer applies (the graph moved on since).
    pub fn undo(&mut self, seqs: &[u64]) -> Result<(), StoreError> {
        // Each change builds the graph if it needs it: undoing an addition to a store
        // read in place removes it in place.
        for (i, &seq) in seqs.iter().enumerate() {
            let Some(entry) = self.history.iter().find(|e| e.seq == seq) else {
                return Err(StoreError::Invalid(format!(
                    "no write #{seq} in the history"
                )));
            };
            if let Some(later) = self.standing_after(seq, &seqs[..i]) {
                return Err(StoreError::Invalid(format!(
                    "write #{seq} cannot be undone alone: write #{later} came after it and stands (undo that first, or kg undo to take back the latest)"
                )));
            }
            let inverse = entry.inverse.clone();
            for change in inverse {
                self.check_undo_removal(&change).map_err(|e| {
                    StoreError::Invalid(format!("write #{seq} cannot be undone: {e}"))
                })?;
                self.replay(change).map_err(|e| {
                    StoreError::Invalid(format!(
                        "write #{seq} cannot be undone: the graph changed since ({e})"
                    ))
                })?;
            }
            if let Some(pending) = &mut self.pending {
                pending.undoes.push(seq);
            }
        }
        Ok(())
    }

    /// Refuses an undo's removal of entities that relations or claims made since then
    /// need (the removal would take them too).
    fn check_undo_removal(&self, change: &Change) -> Result<(), String> {
        let ids = match change {
            Change::RemoveEntity { id } => id.0..=id.0,
            Change::RemoveEntities { first, last } => first.0..=last.0,
            _ => return Ok(()),
        };
        // One pass over the relations for the claimants, however many entities go.
        let claimants: std::collections::HashSet<crate::model::EntityId> = self
            .relations()
            .filter_map(|r| r.relation.claimed_by)
            .collect();
        for id in ids.map(crate::model::EntityId) {
            if self.relations_of(id).next().is_some() || claimants.contains(&id) {
                return Err(format!(
                    "{} has relations or claims made since",
                    self.name(id)
                ));
            }
        }
        Ok(())
    }

    /// Adds an entry read back from a journal.
    pub(super) fn push_entry(&mut self, entry: Entry) {
        self.history.push(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityId, RelationId};

    #[test]
    fn consecutive_removals_fold_into_ranges() {
        let mut p = Pending::default();
        for id in [3, 4, 5] {
            p.push(vec![Change::RemoveRelation { id: RelationId(id) }]);
        }
        p.push(vec![Change::RemoveRelation { id: RelationId(9) }]);
        p.push(vec![Change::RemoveEntity { id: EntityId(1) }]);
        p.push(vec![Change::RemoveEntity { id: EntityId(2) }]);
        assert_eq!(
            p.groups,
            vec![
                vec![Change::RemoveRelations {
                    first: RelationId(3),
                    last: RelationId(5)
                }],
                vec![Change::RemoveRelation { id: RelationId(9) }],
                vec![Change::RemoveEntities {
                    first: EntityId(1),
                    last: EntityId(2)
                }],
            ]
        );
    }

    #[test]
    fn an_entry_nested_in_an_entry_is_refused() {
        let inner = Entry {
            seq: 1,
            time: 0,
            command: String::new(),
            undoes: Vec::new(),
            inverse: vec![Change::RemoveEntity { id: EntityId(0) }],
        };
        let outer = Entry {
            inverse: vec![Change::Record {
                entry: Box::new(inner.clone()),
            }],
            ..inner.clone()
        };
        let config = bincode::config::standard();
        let bytes = bincode::serde::encode_to_vec(&outer, config).unwrap();
        let back: Result<(Entry, usize), _> = bincode::serde::decode_from_slice(&bytes, config);
        assert!(back.is_err());
        let bytes = bincode::serde::encode_to_vec(&inner, config).unwrap();
        let back: (Entry, usize) = bincode::serde::decode_from_slice(&bytes, config).unwrap();
        assert_eq!(
            back.0, inner,
            "a plain entry reads back, and the depth is reset"
        );
    }

    #[test]
    fn tallies_read_as_words() {
        let t = Tally {
            entities_added: 1,
            relations_added: 3,
            relations_changed: 1,
            ..Tally::default()
        };
        assert_eq!(
            t.describe(),
            "added 1 entity and 3 relations; changed 1 relation"
        );
        assert_eq!(Tally::default().describe(), "changed nothing");
    }
}
