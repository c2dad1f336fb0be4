//! What a projection that groups or deduplicates may compute: its items mix aggregates
//! only with grouping keys, and its `ORDER BY` sees only what it projects.

use super::{Slots, VarKind};
use crate::query::ast::*;
use crate::query::error::{Pos, QueryError};

/// Refuses what a projection that groups or deduplicates cannot compute: an item that
/// mixes an aggregate with a variable that is not a grouping key (its value would be
/// one row's of the group), and an `ORDER BY` on a variable the projection dropped.
pub(super) fn check_grouping(ret: &Return, slots: &Slots) -> Result<(), QueryError> {
    let aggregating = ret.items.iter().any(|i| i.expr.has_aggregate());
    if !aggregating && ret.order.iter().any(|(e, _, _)| e.has_aggregate()) {
        return Err(QueryError::new(
            "ORDER BY cannot aggregate where the projection does not: project the aggregate and sort by it",
        ));
    }
    if !aggregating && !ret.distinct {
        return Ok(());
    }
    let keys: Vec<&Expr> = ret
        .items
        .iter()
        .filter(|i| !i.expr.has_aggregate())
        .map(|i| &i.expr)
        .collect();
    let columns: Vec<&str> = ret.items.iter().map(|i| i.name.as_str()).collect();
    for item in ret.items.iter().filter(|i| i.expr.has_aggregate()) {
        if let Some((v, pos)) = ungrouped(&item.expr, &keys, &[], slots) {
            return Err(QueryError::at(
                pos,
                format!(
                    "`{v}` is not a grouping key of this projection, so {} cannot use it beside an aggregate: project `{v}` too, or aggregate it",
                    item.name
                ),
            ));
        }
    }
    for (expr, written, _) in &ret.order {
        if columns.contains(&written.as_str()) {
            continue;
        }
        let projected: Vec<&str> = columns.clone();
        if let Some((v, pos)) = ungrouped(expr, &keys, &projected, slots) {
            return Err(QueryError::at(
                pos,
                format!(
                    "variable `{v}` is not defined here: after DISTINCT or an aggregate, ORDER BY sees only what the projection gives ({})",
                    columns.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The first variable (and where it is) that `e` uses outside aggregate calls and
/// outside the grouping `keys`, other than the `columns` and comprehension variables.
fn ungrouped<'e>(
    e: &'e Expr,
    keys: &[&Expr],
    columns: &[&str],
    slots: &Slots,
) -> Option<(&'e str, Pos)> {
    if e.is_aggregate_call() || keys.iter().any(|k| same_expr(k, e)) {
        return None;
    }
    match e {
        Expr::Var(v, pos) => {
            let local = slots
                .index
                .get(v)
                .is_some_and(|&s| matches!(slots.kinds[s], VarKind::Local | VarKind::Alias));
            (!local && !columns.contains(&v.as_str())).then_some((v.as_str(), *pos))
        }
        Expr::PatternComprehension {
            pattern,
            filter,
            map,
        } => {
            // The pattern's own variables are local to it; those bound outside must be
            // grouped like any other.
            let vars: Vec<&str> = pattern
                .chain
                .variables()
                .chain(pattern.path_var.as_deref())
                .collect();
            for v in &vars {
                let outer = Expr::Var(v.to_string(), pattern.pos);
                if slots.index.contains_key(*v) && ungrouped(&outer, keys, columns, slots).is_some()
                {
                    return Some((*v, pattern.pos));
                }
            }
            let mut inner: Vec<&str> = columns.to_vec();
            inner.extend(vars.iter().copied());
            filter
                .iter()
                .map(|f| &**f)
                .chain(std::iter::once(&**map))
                .find_map(|part| ungrouped(part, keys, &inner, slots))
        }
        e => e
            .children()
            .into_iter()
            .find_map(|c| ungrouped(c, keys, columns, slots)),
    }
}

/// Whether two expressions are the same variable or the same property of one.
fn same_expr(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Var(x, _), Expr::Var(y, _)) => x == y,
        (Expr::Property(x, k), Expr::Property(y, l)) => k == l && same_expr(x, y),
        _ => false,
    }
}
