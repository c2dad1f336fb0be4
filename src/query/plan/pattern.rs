//! Planning a pattern: a slot per node and relationship, the kinds and types it
//! names, and where its walk starts (a bound node, a node looked up by name, a scan of
//! a kind, or every entity).

use super::{Slots, VarKind};
use crate::model::{Kind, TypeId};
use crate::query::ast::*;
use crate::query::error::{Pos, QueryError};
use crate::store::Store;

/// How to match one clause: a plan per pattern.
pub(crate) struct MatchPlan {
    pub(crate) patterns: Vec<PatternPlan>,
}

pub(crate) struct PatternPlan {
    /// Slot per node of the chain (anonymous nodes get hidden slots too).
    pub(crate) node_slots: Vec<usize>,
    /// Whether that node's variable was bound by an earlier pattern.
    pub(crate) node_bound: Vec<bool>,
    pub(crate) rel_slots: Vec<Option<(usize, bool)>>,
    pub(crate) path_slot: Option<usize>,
    pub(crate) labels: Vec<Vec<Kind>>,
    pub(crate) types: Vec<Option<Vec<TypeId>>>,
    /// The node the walk starts from.
    pub(crate) anchor: usize,
    /// The names that pick out each node (if any), to look up instead of scanning.
    pub(crate) names: Vec<Option<Vec<Expr>>>,
    /// For `shortestPath` and `allShortestPaths`: whether kg's path engine answers
    /// (see [`engine_fits`]) rather than a search that checks each relationship.
    pub(crate) path_engine: bool,
    /// Per relationship: whether it is a path search (variable length, or a
    /// `shortestPath`) that leaves out `denied` relations unless the run includes them;
    /// one whose property map names `status` chooses its statuses itself.
    pub(crate) skips_denied: Vec<bool>,
}

impl MatchPlan {
    pub(crate) fn new(
        store: &Store,
        clause: &Match,
        slots: &mut Slots,
    ) -> Result<MatchPlan, QueryError> {
        let mut patterns = Vec::new();
        for pattern in &clause.patterns {
            patterns.push(PatternPlan::new(
                store,
                pattern,
                clause.filter.as_ref(),
                slots,
            )?);
        }
        Ok(MatchPlan { patterns })
    }
}

impl PatternPlan {
    /// The plan of one pattern, declaring its variables in `slots`.
    pub(crate) fn new(
        store: &Store,
        pattern: &Pattern,
        filter: Option<&Expr>,
        slots: &mut Slots,
    ) -> Result<PatternPlan, QueryError> {
        let chain = &pattern.chain;
        // Variables with a slot before this pattern are bound by an earlier one.
        let before = slots.names.len();
        let mut node_slots = Vec::new();
        let mut node_bound = Vec::new();
        let mut labels = Vec::new();
        for (i, node) in chain.nodes.iter().enumerate() {
            let name = node.var.clone().unwrap_or_else(|| {
                format!(" node {}:{}:{i}", pattern.pos.line, pattern.pos.column)
            });
            let (slot, _) = slots.declare(&name, VarKind::Node, pattern.pos)?;
            node_slots.push(slot);
            node_bound.push(slot < before);
            let mut kinds = Vec::new();
            for (label, pos) in &node.labels {
                // A kind no entity has yet matches nothing (a hint says so on no rows).
                kinds.push(match kind_of_label(store, label, *pos) {
                    Ok(kind) => kind,
                    Err(e) => label.parse::<Kind>().map_err(|_| e)?,
                });
            }
            labels.push(kinds);
        }
        let mut rel_slots = Vec::new();
        let mut types = Vec::new();
        for rel in &chain.rels {
            let kind = if rel.length.is_some() {
                VarKind::RelList
            } else {
                VarKind::Rel
            };
            rel_slots.push(match &rel.var {
                Some(v) => {
                    let (slot, _) = slots.declare(v, kind, pattern.pos)?;
                    if slot >= before && rel_slots.iter().flatten().any(|&(s, _): &(usize, bool)| s == slot) {
                        return Err(QueryError::at(
                            pattern.pos,
                            format!("relationship variable `{v}` appears twice in one pattern: one relationship cannot be matched twice"),
                        ));
                    }
                    Some((slot, slot < before))
                }
                None => None,
            });
            types.push(if rel.types.is_empty() {
                None
            } else {
                // A type no relation has yet matches nothing (a hint says so on no rows).
                let ids = rel
                    .types
                    .iter()
                    .filter_map(|(t, _)| store.find_type(t))
                    .collect();
                Some(ids)
            });
        }
        let path_slot = match &pattern.path_var {
            Some(p) => Some(slots.declare(p, VarKind::Path, pattern.pos)?.0),
            None => None,
        };
        // The anchor: a bound node, else a named one, else a labelled one, else the first.
        let fixed = |e: &Expr| known_before(e, slots, before);
        let names: Vec<Option<Vec<Expr>>> = chain
            .nodes
            .iter()
            .map(|n| names_of(n, filter, &fixed))
            .collect();
        let score = |i: usize| {
            if node_bound[i] {
                0
            } else if names[i].is_some() {
                1
            } else if !labels[i].is_empty() {
                2
            } else {
                3
            }
        };
        let anchor = (0..chain.nodes.len())
            .min_by_key(|&i| score(i))
            .unwrap_or(0);
        let path_engine = pattern.search != PathSearch::All
            && chain
                .rels
                .first()
                .zip(types.first())
                .is_some_and(|(rel, types)| engine_fits(store, rel, types.as_deref()));
        let skips_denied = chain
            .rels
            .iter()
            .map(|rel| {
                (rel.length.is_some() || pattern.search != PathSearch::All)
                    && !rel.props.iter().any(|(k, _)| k == "status")
            })
            .collect();
        Ok(PatternPlan {
            path_engine,
            skips_denied,
            names,
            node_slots,
            node_bound,
            rel_slots,
            path_slot,
            labels,
            types,
            anchor,
        })
    }
}

/// Whether kg's path engine follows a shortest-path pattern's rules: no relationship
/// properties to check, and either direction, or a direction along which every
/// admitted type is directed (the engine walks symmetric types both ways).
fn engine_fits(store: &Store, rel: &RelPattern, types: Option<&[TypeId]>) -> bool {
    let admitted_symmetric = match types {
        Some(types) => types.iter().any(|t| store.relation_type(*t).symmetric),
        None => store.types().iter().any(|t| t.symmetric),
    };
    rel.props.is_empty() && (rel.direction == Direction::Either || !admitted_symmetric)
}

/// The names a node pattern is pinned to: `{name: X}`, or `WHERE n.name = X` or
/// `n.name IN [...]` among the top-level conjuncts of the clause's filter, where X
/// depends on no variable of the pattern.
fn names_of(
    node: &NodePattern,
    filter: Option<&Expr>,
    is_constant: &dyn Fn(&Expr) -> bool,
) -> Option<Vec<Expr>> {
    if let Some((_, e)) = node.props.iter().find(|(k, _)| k == "name")
        && is_constant(e)
    {
        return Some(vec![e.clone()]);
    }
    let var = node.var.as_ref()?;
    let mut conjuncts = Vec::new();
    collect_conjuncts(filter?, &mut conjuncts);
    let is_name = |e: &Expr| matches!(e, Expr::Property(inner, key) if key == "name" && matches!(&**inner, Expr::Var(v, _) if v == var));
    for c in conjuncts {
        match c {
            Expr::Compare(Cmp::Eq, a, b) if is_name(a) && is_constant(b) => {
                return Some(vec![(**b).clone()]);
            }
            Expr::Compare(Cmp::Eq, a, b) if is_name(b) && is_constant(a) => {
                return Some(vec![(**a).clone()]);
            }
            Expr::In(a, b) if is_name(a) => {
                if let Expr::List(items) = &**b
                    && items.iter().all(is_constant)
                {
                    return Some(items.clone());
                }
                if is_constant(b) {
                    // A list known before the pattern: each of its texts is looked up.
                    return Some(vec![(**b).clone()]);
                }
            }
            _ => {}
        }
    }
    None
}

fn collect_conjuncts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    if let Expr::And(a, b) = e {
        collect_conjuncts(a, out);
        collect_conjuncts(b, out);
    } else {
        out.push(e);
    }
}

/// Whether `e` has one value per row before the pattern walks: literals, parameters
/// and variables bound before it (slots below `before`), combined by anything but
/// aggregates and pattern predicates.
fn known_before(e: &Expr, slots: &Slots, before: usize) -> bool {
    match e {
        Expr::Literal(_) | Expr::Param(..) => true,
        Expr::Var(v, _) => slots.index.get(v).is_some_and(|&s| {
            s < before && !matches!(slots.kinds[s], VarKind::Local | VarKind::Alias)
        }),
        Expr::Exists(..) | Expr::Predicate(_) | Expr::Aggregate(_) => false,
        Expr::Comprehension { .. } | Expr::ListPredicate { .. } => false,
        e if e.is_aggregate_call() => false,
        e => e
            .children()
            .into_iter()
            .all(|c| known_before(c, slots, before)),
    }
}

/// The kind a label names: a built-in kind (in any case, `Org` too) or one the store
/// declares.
pub(crate) fn kind_of_label(store: &Store, label: &str, pos: Pos) -> Result<Kind, QueryError> {
    let kind = label.parse::<Kind>().ok().filter(|k| store.knows_kind(k));
    kind.ok_or_else(|| {
        let known: Vec<&str> = Kind::BUILT_IN
            .iter()
            .map(|k| k.as_str())
            .chain(store.kinds().iter().map(|k| k.name.as_str()))
            .collect();
        let hint = crate::store::nearest(label, known.iter().copied())
            .map(|k| format!("did you mean {k}? "))
            .unwrap_or_default();
        QueryError::at(
            pos,
            format!(
                "unknown label '{label}': {hint}labels are entity kinds ({})",
                known.join(", ")
            ),
        )
    })
}
