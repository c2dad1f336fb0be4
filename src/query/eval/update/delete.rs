//! `[DETACH] DELETE`: entities, relations and paths, relations first.

use super::Run;
use super::values::store_error;
use crate::model::RelationId;
use crate::query::ast::Expr;
use crate::query::context::DeletedRelation;
use crate::query::error::QueryError;
use crate::query::eval::Row;
use crate::query::value::Value;

impl Run<'_, '_> {
    /// `[DETACH] DELETE`: what every row names, relations first, then entities, so that
    /// `DELETE a, r` of an entity and all its relations needs no DETACH, whatever the
    /// order of the rows and targets.
    pub(super) fn delete_all(
        &mut self,
        rows: &[Row],
        targets: &[Expr],
        detach: bool,
    ) -> Result<(), QueryError> {
        let mut values = Vec::new();
        for row in rows {
            self.context.check()?;
            for target in targets {
                values.push(self.reader().eval(target, row, None)?);
            }
        }
        let mut entities = Vec::new();
        let mut relations = Vec::new();
        for value in values {
            match value {
                Value::Null => {}
                Value::Rel(id) => relations.push(id),
                Value::Node(id) => entities.push(id),
                Value::Path(path) => {
                    relations.extend(path.rels);
                    entities.extend(path.nodes);
                }
                other => {
                    return Err(QueryError::new(format!(
                        "DELETE takes an entity, a relation or a path, not {}",
                        other.type_name()
                    )));
                }
            }
        }
        for id in relations {
            self.delete(Value::Rel(id), detach)?;
        }
        for id in entities {
            self.delete(Value::Node(id), detach)?;
        }
        Ok(())
    }

    /// Deletes an entity, a relation, or a path's relations and entities (null: nothing).
    fn delete(&mut self, value: Value, detach: bool) -> Result<(), QueryError> {
        match value {
            Value::Null => Ok(()),
            Value::Rel(id) => {
                if self.store.relation(id).is_some() {
                    self.note_deleted_relation(id);
                    self.store.remove_relation(id).map_err(store_error)?;
                    self.changes.relations_deleted += 1;
                }
                Ok(())
            }
            Value::Node(id) => {
                if !self.store.has_entity(id) {
                    return Ok(());
                }
                let ties = self.store.relations_of(id).count();
                let claims = self.store.claimed_by(id).len();
                if !detach && ties + claims > 0 {
                    return Err(QueryError::new(format!(
                        "cannot delete {}: it still has {ties} relation(s){}; DETACH DELETE removes them with it",
                        self.store.name(id),
                        if claims > 0 {
                            format!(" and claims {claims}")
                        } else {
                            String::new()
                        }
                    )));
                }
                let touching: Vec<RelationId> = self.store.relations_of(id).map(|r| r.id).collect();
                for r in touching {
                    self.note_deleted_relation(r);
                }
                let name = self.store.name(id).to_string();
                if let Some((_, removed)) = self.store.remove_entity(id) {
                    self.context.deleted.borrow_mut().entities.insert(id, name);
                    self.changes.entities_deleted += 1;
                    self.changes.relations_deleted += removed;
                }
                Ok(())
            }
            Value::Path(path) => {
                for id in path.rels {
                    self.delete(Value::Rel(id), detach)?;
                }
                for id in path.nodes {
                    self.delete(Value::Node(id), detach)?;
                }
                Ok(())
            }
            other => Err(QueryError::new(format!(
                "DELETE takes an entity, a relation or a path, not {}",
                other.type_name()
            ))),
        }
    }

    /// Keeps a relation's type and ends before it is deleted, for the reads openCypher
    /// still answers of it.
    fn note_deleted_relation(&self, id: RelationId) {
        if let Some(r) = self.store.relation(id) {
            let rtype = self.store.type_name(r.relation.rtype).to_string();
            let (from, to) = (r.from, r.to);
            self.context
                .deleted
                .borrow_mut()
                .relations
                .insert(id, DeletedRelation { rtype, from, to });
        }
    }
}
