//! What an expression nests that is planned once, before the query runs: pattern
//! predicates and pattern comprehensions (a pattern matched for each row), and the
//! subqueries `EXISTS { }` and `COUNT { }` (a query of their own, whose first stage
//! begins with the variables it imports). Each sees the variables in scope where it is
//! written: those of the clauses before it (and of its own clause), and the list
//! comprehensions' variables around it. A name defined elsewhere in the query (a later
//! clause, a projection's alias) is free for the pattern's or the subquery's own use.

use std::iter::once;

use super::{Plan, Predicate, Slots, VarKind};
use crate::query::ast::Expr;
use crate::query::error::QueryError;
use crate::query::value::Value;
use crate::store::Store;

/// A subquery (`EXISTS { }`, `COUNT { }`) planned: its plan, and the slots of the
/// query around it that its first stages begin with.
pub(crate) struct Subquery {
    pub(crate) count: bool,
    pub(crate) plan: Plan,
    pub(crate) imports: Vec<usize>,
}

/// The nested plans of a stage, by id, and the store they are planned against.
pub(super) struct Nested<'s> {
    pub(super) store: &'s Store,
    pub(super) predicates: Vec<Predicate>,
    pub(super) subqueries: Vec<Subquery>,
}

impl Nested<'_> {
    /// Plans what `e` nests, each in place of it by id ([`Expr::Predicate`],
    /// [`Expr::PatternList`], [`Expr::PlannedSubquery`]), seeing the variables of `slots`
    /// below `limit` and the list comprehensions' variables `bound` around it.
    pub(super) fn plan(
        &mut self,
        e: &mut Expr,
        slots: &Slots,
        limit: usize,
        bound: &mut Vec<String>,
    ) -> Result<(), QueryError> {
        match e {
            Expr::Subquery { count, query, pos } => {
                let seen = in_scope(slots, limit, bound);
                let mut imports: Vec<usize> = seen
                    .index
                    .iter()
                    .filter(|(name, _)| !name.starts_with(' '))
                    .map(|(_, &s)| s)
                    .collect();
                imports.sort_unstable();
                let columns: Vec<(String, VarKind)> = imports
                    .iter()
                    .map(|&s| {
                        let kind = match slots.kinds[s] {
                            VarKind::Local | VarKind::Alias => VarKind::Value,
                            kind => kind,
                        };
                        (slots.names[s].clone(), kind)
                    })
                    .collect();
                let plan = Plan::importing(self.store, query, &columns)
                    .map_err(|e| e.at_if_unplaced(*pos))?;
                self.subqueries.push(Subquery {
                    count: *count,
                    plan,
                    imports,
                });
                *e = Expr::PlannedSubquery(self.subqueries.len() - 1);
            }
            Expr::Exists(chain, _) => {
                let seen = in_scope(slots, limit, bound);
                self.predicates
                    .push(Predicate::new(self.store, chain, &seen)?);
                *e = Expr::Predicate(self.predicates.len() - 1);
            }
            Expr::PatternComprehension {
                pattern,
                filter,
                map,
            } => {
                let seen = in_scope(slots, limit, bound);
                let predicate = Predicate::of_pattern(self.store, (**pattern).clone(), &seen)?;
                let inner = predicate.slots.clone();
                let (mut filter, mut map) = (
                    filter.take(),
                    std::mem::replace(map, Box::new(Expr::Literal(Value::Null))),
                );
                self.predicates.push(predicate);
                let id = self.predicates.len() - 1;
                // Its WHERE and map see its own variables too.
                for part in filter.iter_mut().chain(once(&mut map)) {
                    self.plan(part, &inner, inner.names.len(), bound)?;
                }
                *e = Expr::PatternList { id, filter, map };
            }
            Expr::Comprehension {
                var,
                list,
                filter,
                map,
            } => {
                self.plan(list, slots, limit, bound)?;
                bound.push(var.clone());
                for part in filter.iter_mut().chain(map.iter_mut()) {
                    self.plan(part, slots, limit, bound)?;
                }
                bound.pop();
            }
            Expr::ListPredicate {
                var,
                list,
                predicate,
                ..
            } => {
                self.plan(list, slots, limit, bound)?;
                bound.push(var.clone());
                self.plan(predicate, slots, limit, bound)?;
                bound.pop();
            }
            _ => {
                for child in e.children_mut() {
                    self.plan(child, slots, limit, bound)?;
                }
            }
        }
        Ok(())
    }
}

/// `slots` as something nested in an expression sees them: only the variables in
/// scope keep their names (their slots stay where they are, so a row still fits).
fn in_scope(slots: &Slots, limit: usize, bound: &[String]) -> Slots {
    let mut seen = slots.clone();
    seen.index.retain(|name, slot| match slots.kinds[*slot] {
        VarKind::Local => bound.contains(name),
        VarKind::Alias => false,
        _ => *slot < limit,
    });
    seen
}
