//! Replaying a journal's changes onto the store they were recorded on.

use super::Store;
use super::change::Change;
use super::error::StoreError;
use crate::model::RelationId;

/// How many relations one change may remove from a store read in place before the
/// graph is built for it.
const MANY_REMOVED: u32 = 1 << 16;

impl Store {
    /// Applies one change from a journal, checking that it lands where it landed when
    /// it was recorded.
    /// A store that reads its file in place stays so for the additions and for the
    /// removal and change of relations (every other change builds its graph first).
    pub fn replay(&mut self, change: Change) -> Result<(), StoreError> {
        let moved = |what: &str, want: u32, got: u32| {
            StoreError::Invalid(format!("the journal's {what} {want} came back as {got}"))
        };
        match change {
            Change::AddType { id, rtype } => {
                let got = self.add_type(rtype)?;
                if got != id {
                    return Err(moved("type", id.0 as u32, got.0 as u32));
                }
            }
            Change::DescribeType {
                id,
                cameo,
                description,
            } => {
                if id.0 as usize >= self.types.len() {
                    return Err(StoreError::Invalid(format!(
                        "no relation type with id {}",
                        id.0
                    )));
                }
                self.describe_type(id, cameo, description);
            }
            Change::AddEntity { id, entity } => {
                // An import that kept a file's ids skipped the ones before.
                self.skip_ids_to(Some(id), None);
                let got = self.add_entity(entity)?;
                if got != id {
                    return Err(moved("entity", id.0, got.0));
                }
            }
            Change::UpdateEntity { id, entity } => self.update_entity(id, |e| *e = entity)?,
            Change::AddRelation {
                id,
                from,
                to,
                relation,
            } => {
                let r = self.relation_of_text(relation)?;
                self.skip_ids_to(None, Some(id));
                let got = self.add_relation(from, to, r)?;
                if got != id {
                    return Err(moved("relation", id.0, got.0));
                }
            }
            Change::RemoveRelation { id } => {
                self.remove_relation(id)?;
            }
            Change::RemoveEntity { id } => {
                self.remove_entity(id)
                    .ok_or_else(|| StoreError::Invalid(format!("no entity with id {}", id.0)))?;
            }
            Change::RenameEntity { id, name } => self.rename_entity(id, &name)?,
            Change::UpdateRelation { id, relation } => {
                let r = self.relation_of_text(relation)?;
                self.update_relation(id, r)?;
            }
            Change::MoveRelation { id, from, to } => self.move_relation(id, from, to)?,
            Change::RestoreEntity { id, entity } => self.restore_entity(id, entity)?,
            Change::RestoreRelation {
                id,
                from,
                to,
                relation,
            } => {
                let r = self.relation_of_text(relation)?;
                self.restore_relation(id, from, to, r)?;
            }
            Change::RemoveType { id } => self.remove_type(id)?,
            Change::ReplaceType { id, rtype } => self.replace_type(id, rtype)?,
            Change::RemoveEntities { first, last } => self.remove_entities(first, last)?,
            Change::RemoveRelations { first, last } => {
                // A store read in place keeps the ids it passes over in a set: many of
                // them (the undo of a large import) are better folded into a new
                // file, which building the graph leads to.
                if last.0.saturating_sub(first.0) >= MANY_REMOVED {
                    self.thaw()?;
                }
                // Newest first: petgraph keeps a node's edges newest first, so each
                // removal finds its edge at the head of the list.
                for id in (first.0..=last.0).rev() {
                    self.remove_relation(RelationId(id))?;
                }
            }
            Change::Record { entry } => self.push_entry(*entry),
            Change::DeclareKind { decl } => self.declare_kind(decl)?,
            Change::ForgetKind { name } => self.forget_kind(&name)?,
            Change::SkipIds {
                entities,
                relations,
            } => self.skip_ids_to(Some(entities), Some(relations)),
        }
        Ok(())
    }
}
