//! Planning the clauses that change the graph: the expressions an updating clause
//! evaluates, what `CREATE` and `MERGE` cannot make, the variables they bind, and the
//! `MATCH` that finds what a `MERGE` pattern names.

use super::{Slots, VarKind};
use crate::query::ast::*;
use crate::query::error::QueryError;
use crate::store::Store;

/// The expressions of an updating clause (property maps, values, targets), copied.
pub(crate) fn update_expressions(clause: &Clause) -> Vec<Expr> {
    let mut clause = clause.clone();
    update_expressions_mut(&mut clause)
        .into_iter()
        .map(|e| e.clone())
        .collect()
}

/// The expressions of an updating clause, to change in place (the planner puts its
/// pattern comprehensions and subqueries' plans in).
pub(crate) fn update_expressions_mut(clause: &mut Clause) -> Vec<&mut Expr> {
    let mut out: Vec<&mut Expr> = Vec::new();
    fn set_items<'c>(items: &'c mut [SetItem], out: &mut Vec<&'c mut Expr>) {
        for item in items {
            match item {
                SetItem::Property { target, value, .. } => out.extend([target, value]),
                SetItem::Map { value, .. } => out.push(value),
                SetItem::Label { .. } => {}
            }
        }
    }
    match clause {
        Clause::Create { patterns, .. } => {
            for pattern in patterns {
                out.extend(pattern_expressions(pattern));
            }
        }
        Clause::Merge {
            pattern,
            on_create,
            on_match,
            ..
        } => {
            out.extend(pattern_expressions(pattern));
            set_items(on_create, &mut out);
            set_items(on_match, &mut out);
        }
        Clause::Set { items, .. } => set_items(items, &mut out),
        Clause::Remove { items, .. } => {
            for item in items {
                if let RemoveItem::Property { target, .. } = item {
                    out.push(target);
                }
            }
        }
        Clause::Delete { targets, .. } => out.extend(targets),
        Clause::Match(_) | Clause::Unwind { .. } => {}
    }
    out
}

/// The property values of a pattern's nodes and relationships.
fn pattern_expressions(pattern: &mut Pattern) -> impl Iterator<Item = &mut Expr> {
    let chain = &mut pattern.chain;
    let nodes = chain.nodes.iter_mut().flat_map(|n| &mut n.props);
    nodes
        .chain(chain.rels.iter_mut().flat_map(|r| &mut r.props))
        .map(|(_, e)| e)
}

/// Refuses what `CREATE` or `MERGE` cannot make: a relationship without one type or
/// a direction, a variable length, a bound variable given labels or properties, a
/// bound relationship.
pub(super) fn check_creatable(
    pattern: &Pattern,
    slots: &Slots,
    clause: &str,
) -> Result<(), QueryError> {
    let pos = pattern.pos;
    if pattern.search != PathSearch::All {
        return Err(QueryError::at(
            pos,
            format!("{clause} cannot make a shortest path"),
        ));
    }
    let chain = &pattern.chain;
    for rel in &chain.rels {
        if rel.types.len() != 1 {
            return Err(QueryError::at(
                pos,
                format!("{clause} makes a relationship of one type: -[:type]->"),
            ));
        }
        if rel.direction == Direction::Either && clause == "CREATE" {
            return Err(QueryError::at(
                pos,
                "CREATE makes a relationship in one direction: -[:type]-> or <-[:type]-",
            ));
        }
        if rel.length.is_some() {
            return Err(QueryError::at(
                pos,
                format!("{clause} cannot make a variable-length relationship"),
            ));
        }
        if let Some(v) = &rel.var
            && slots.index.contains_key(v)
        {
            return Err(QueryError::at(
                pos,
                format!("{clause} cannot make relationship `{v}`: it is already bound"),
            ));
        }
    }
    for node in &chain.nodes {
        if let Some(v) = &node.var
            && slots.index.contains_key(v)
            && (!node.labels.is_empty() || !node.props.is_empty())
            && (clause == "CREATE" || chain.nodes.len() == 1)
        {
            return Err(QueryError::at(
                pos,
                format!(
                    "{clause} cannot give `{v}` labels or properties: it is already bound (set them with SET)"
                ),
            ));
        }
        if node.labels.len() > 1 {
            return Err(QueryError::at(
                node.labels[1].1,
                "an entity has one kind: give one label",
            ));
        }
    }
    Ok(())
}

/// Declares the variables a `CREATE` pattern makes.
pub(super) fn declare_created(pattern: &Pattern, slots: &mut Slots) -> Result<(), QueryError> {
    for node in &pattern.chain.nodes {
        if let Some(v) = &node.var {
            slots.declare(v, VarKind::Node, pattern.pos)?;
        }
    }
    for rel in &pattern.chain.rels {
        if let Some(v) = &rel.var {
            slots.declare(v, VarKind::Rel, pattern.pos)?;
        }
    }
    if let Some(p) = &pattern.path_var {
        slots.declare(p, VarKind::Path, pattern.pos)?;
    }
    Ok(())
}

/// A `MERGE` pattern as the `MATCH` that finds it: a relationship of a symmetric type
/// is found either way round, as kg keeps one such relation between two entities.
pub(crate) fn merge_match(store: &Store, pattern: &Pattern) -> Match {
    let mut pattern = pattern.clone();
    for rel in &mut pattern.chain.rels {
        let symmetric = rel.types.first().and_then(|(t, _)| store.find_type(t));
        if symmetric.is_some_and(|t| store.relation_type(t).symmetric) {
            rel.direction = Direction::Either;
        }
    }
    Match {
        optional: false,
        patterns: vec![pattern],
        filter: None,
    }
}
