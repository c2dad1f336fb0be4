//! Evaluation: rows matched against the store by the plan's patterns, expressions
//! evaluated on them, and `RETURN` projecting them. A row holds one value per variable,
//! in the slots the plan gave them.
//!
//! By concern: `pipeline` passes rows from clause to clause and stage to stage,
//! `update` applies the clauses that change the graph,
//! `matching` walks the patterns, `shortest` answers `shortestPath` and
//! `allShortestPaths`, `expr` evaluates expressions, `functions` the function calls
//! (`measures` the graph functions, `kg.pagerank(n)` and the like),
//! and `project` groups, sorts and cuts the rows `RETURN` keeps. This file holds the
//! evaluator and what it reads of the store.

pub(crate) mod expr;
mod functions;
mod matching;
pub(crate) mod measures;
pub(crate) mod pipeline;
pub(crate) mod project;
mod shortest;
pub(crate) mod update;

use std::ops::ControlFlow;

use super::context::{Context, DeletedRelation};
use super::error::QueryError;
use super::plan::{Predicate, Slots, Subquery};
use super::value::{Params, Value};
use crate::model::{EntityId, RelationId, Shape, TimeSpan};
use crate::store::Store;

/// One value per variable slot.
pub(crate) type Row = Vec<Value>;

/// Whether a search goes on after a match, or stops there (a pattern predicate stops at
/// its first match).
pub(crate) type Flow = ControlFlow<()>;

/// Where the matcher hands each match: the row and the relationships it used.
pub(crate) type Sink<'s> = dyn FnMut(Row, Vec<RelationId>) -> Result<Flow, QueryError> + 's;

/// Evaluates `$flow` (a `Result<Flow, QueryError>`) and returns from the function with
/// `Break` when it breaks.
macro_rules! go_on {
    ($flow:expr) => {
        if $flow?.is_break() {
            return Ok(std::ops::ControlFlow::Break(()));
        }
    };
}
pub(crate) use go_on;

/// What evaluation reads: the store, the parameters, the plan's slots, the context.
pub(crate) struct Evaluator<'a> {
    pub(crate) store: &'a Store,
    pub(crate) params: &'a Params,
    pub(crate) slots: &'a Slots,
    /// The pattern predicates the plan made, by id.
    pub(crate) predicates: &'a [Predicate],
    /// The subqueries the plan made, by id.
    pub(crate) subqueries: &'a [Subquery],
    pub(crate) context: &'a Context<'a>,
}

impl<'a> Evaluator<'a> {
    /// A relation's type and ends, also of one this query deleted (openCypher still
    /// answers `type(r)`, `startNode(r)` and `endNode(r)` of it).
    fn relation_shape(&self, id: RelationId) -> Result<DeletedRelation, QueryError> {
        if let Some(r) = self.store.relation(id) {
            return Ok(DeletedRelation {
                rtype: self.store.type_name(r.relation.rtype).to_string(),
                from: r.from,
                to: r.to,
            });
        }
        self.context
            .deleted
            .borrow()
            .relations
            .get(&id)
            .cloned()
            .ok_or_else(|| QueryError::new(format!("relation {id} does not exist")))
    }

    /// The error for reading what this query deleted.
    fn deleted_error(&self, value: &Value) -> QueryError {
        let deleted = self.context.deleted.borrow();
        let what = match value {
            Value::Node(id) => match deleted.entities.get(id) {
                Some(name) => format!("entity {name} (#{})", id.0),
                None => format!("entity #{}", id.0),
            },
            Value::Rel(id) => match deleted.relations.get(id) {
                Some(r) => format!("relation #{} ({})", id.0, r.rtype),
                None => format!("relation #{}", id.0),
            },
            other => other.type_name().to_string(),
        };
        let rest = match value {
            Value::Rel(_) => {
                "its properties can no longer be read or set (its type(), startNode() and endNode() can)"
            }
            _ => "its properties and kind can no longer be read or set",
        };
        QueryError::new(format!("{what} was deleted earlier in this query: {rest}"))
    }

    fn entity_kind(&self, id: EntityId) -> Result<&'a str, QueryError> {
        self.store
            .kind_of(id)
            .map(|k| k.as_str())
            .ok_or_else(|| self.deleted_error(&Value::Node(id)))
    }

    fn node_property(&self, id: EntityId, key: &str) -> Result<Value, QueryError> {
        let Some(e) = self.store.entity(id) else {
            return Err(self.deleted_error(&Value::Node(id)));
        };
        Ok(match key {
            "name" => Value::Str(e.name.clone()),
            "kind" => Value::Str(e.kind.as_str().to_string()),
            "aliases" => Value::List(e.aliases.iter().map(|a| Value::Str(a.clone())).collect()),
            _ => e.property(key).map_or(Value::Null, Value::of_property),
        })
    }

    fn rel_property(&self, id: RelationId, key: &str) -> Result<Value, QueryError> {
        let Some(r) = self.store.relation(id) else {
            return Err(self.deleted_error(&Value::Rel(id)));
        };
        let rel = r.relation;
        let text = |s: Option<crate::model::Sym>| {
            s.map_or(Value::Null, |s| Value::Str(self.store.text(s).to_string()))
        };
        Ok(match key {
            "type" => Value::Str(self.store.type_name(rel.rtype).to_string()),
            "date" => {
                if rel.when.is_undated() {
                    Value::Null
                } else {
                    Value::Date(rel.when)
                }
            }
            // The first and last day the date can mean; null for an open end or undated.
            "earliest" => match rel.when.shape() {
                Shape::Undated | Shape::Until(_) => Value::Null,
                _ => Value::Date(TimeSpan::on_day(rel.when.earliest())),
            },
            "latest" => match rel.when.shape() {
                Shape::Undated | Shape::Since(_) => Value::Null,
                _ => Value::Date(TimeSpan::on_day(rel.when.latest())),
            },
            "status" => Value::Str(rel.status.as_str().to_string()),
            "grade" => rel.grade.map_or(Value::Null, |g| Value::Str(g.to_string())),
            "source" => text(rel.source),
            "quote" => text(rel.quote),
            "claimed_by" => rel
                .claimed_by
                .map_or(Value::Null, |c| Value::Str(self.store.name(c).to_string())),
            _ => rel
                .properties
                .iter()
                .find(|(k, _)| self.store.text(*k) == key)
                .map_or(Value::Null, |(_, v)| {
                    Value::of_property(self.store.text(*v))
                }),
        })
    }

    /// The properties a node or relationship shows, as `properties(x)` and `keys(x)`
    /// list them: an entity's name and its own properties (its kind and aliases are
    /// kg's fields, read as `n.kind` and `n.aliases`); a relation's evidence that is set (its status when not the default)
    /// and its own properties. Sorted by key.
    pub(crate) fn properties_of(&self, v: &Value) -> Result<Vec<(String, Value)>, QueryError> {
        let gone = match v {
            Value::Node(id) => !self.store.has_entity(*id),
            Value::Rel(id) => self.store.relation(*id).is_none(),
            _ => false,
        };
        if gone {
            return Err(self.deleted_error(v));
        }
        let entries: Vec<(String, Value)> = match v {
            Value::Node(id) => self.store.entity(*id).map_or(Vec::new(), |e| {
                let mut entries = vec![("name".to_string(), Value::Str(e.name.clone()))];
                entries.extend(
                    e.properties
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::of_property(v))),
                );
                entries
            }),
            Value::Rel(id) => self.store.relation(*id).map_or(Vec::new(), |r| {
                let mut entries = Vec::new();
                for key in ["date", "grade", "source", "quote", "claimed_by"] {
                    let value = self.rel_property(*id, key).unwrap_or(Value::Null);
                    if !value.is_null() {
                        entries.push((key.to_string(), value));
                    }
                }
                if r.relation.status != crate::model::Status::default() {
                    entries.push((
                        "status".to_string(),
                        Value::Str(r.relation.status.as_str().to_string()),
                    ));
                }
                entries.extend(r.relation.properties.iter().map(|(k, v)| {
                    (
                        self.store.text(*k).to_string(),
                        Value::of_property(self.store.text(*v)),
                    )
                }));
                entries
            }),
            Value::Map(entries) => entries.clone(),
            _ => Vec::new(),
        };
        Ok(match Value::map(entries) {
            Value::Map(sorted) => sorted,
            _ => Vec::new(),
        })
    }
}
