//! Subqueries, `EXISTS { }` and `COUNT { }`: each planned once as a query of its own,
//! whose first stages begin with the variables in scope where it is written.

use super::{Plan, Slots, VarKind};
use crate::query::ast::Expr;
use crate::query::error::QueryError;
use crate::store::Store;

/// A subquery (`EXISTS { }`, `COUNT { }`) planned: its plan, and the slots of the
/// query around it that its first stages begin with.
pub(crate) struct Subquery {
    pub(crate) count: bool,
    pub(crate) plan: Plan,
    pub(crate) imports: Vec<usize>,
}

/// Plans each subquery in `e` (in place of it, [`Expr::PlannedSubquery`]), importing the
/// variables of `slots` in scope there: those below `limit`, and the list
/// comprehensions' variables `bound` around it.
pub(super) fn plan_subqueries(
    e: &mut Expr,
    store: &Store,
    slots: &Slots,
    limit: usize,
    bound: &mut Vec<String>,
    out: &mut Vec<Subquery>,
) -> Result<(), QueryError> {
    match e {
        Expr::Subquery { count, query, pos } => {
            let imports: Vec<usize> = (0..slots.names.len())
                .filter(|&s| {
                    let name = &slots.names[s];
                    !name.starts_with(' ')
                        && ((s < limit
                            && !matches!(slots.kinds[s], VarKind::Local | VarKind::Alias))
                            || bound.contains(name))
                })
                .collect();
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
            let plan =
                Plan::importing(store, query, &columns).map_err(|e| e.at_if_unplaced(*pos))?;
            out.push(Subquery {
                count: *count,
                plan,
                imports,
            });
            *e = Expr::PlannedSubquery(out.len() - 1);
            return Ok(());
        }
        Expr::Comprehension {
            var,
            list,
            filter,
            map,
        } => {
            plan_subqueries(list, store, slots, limit, bound, out)?;
            bound.push(var.clone());
            for part in filter.iter_mut().chain(map.iter_mut()) {
                plan_subqueries(part, store, slots, limit, bound, out)?;
            }
            bound.pop();
            return Ok(());
        }
        Expr::ListPredicate {
            var,
            list,
            predicate,
            ..
        } => {
            plan_subqueries(list, store, slots, limit, bound, out)?;
            bound.push(var.clone());
            plan_subqueries(predicate, store, slots, limit, bound, out)?;
            bound.pop();
            return Ok(());
        }
        _ => {}
    }
    for child in e.children_mut() {
        plan_subqueries(child, store, slots, limit, bound, out)?;
    }
    Ok(())
}
