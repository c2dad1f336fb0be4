//! Matching patterns: from each pattern's starting point, a depth-first walk along its
//! chain (rightwards to the end, then leftwards to the start), each relationship taken
//! at most once within a `MATCH`, each match handed on as a row.

use std::ops::ControlFlow;

use super::expr::truth;
use super::{Evaluator, Flow, Row, Sink, go_on};
use crate::model::{EntityId, RelationId, Status};
use crate::query::ast::*;
use crate::query::error::QueryError;
use crate::query::plan::{MatchPlan, PatternPlan, Predicate};
use crate::query::value::{Path, Value};
use crate::store::{Lookup, RelationRef};

/// The state of one pattern's walk: where each node of the chain landed, and the
/// relations (with the entity each reached) of each relationship of the chain, in
/// walking order.
#[derive(Clone)]
struct Walk {
    nodes: Vec<Option<EntityId>>,
    segments: Vec<Vec<(RelationId, EntityId)>>,
}

impl<'a> Evaluator<'a> {
    /// Every row `clause` makes of `row`, handed to `out` as it is found (the rows of
    /// all but the last pattern are kept; the last pattern's go straight through the
    /// `WHERE` to `out`).
    pub(crate) fn match_clause(
        &self,
        clause: &Match,
        plan: &MatchPlan,
        filter: Option<&Expr>,
        row: &Row,
        out: &mut dyn FnMut(Row) -> Result<Flow, QueryError>,
    ) -> Result<Flow, QueryError> {
        let mut partial = vec![(row.clone(), Vec::<RelationId>::new())];
        let last = clause.patterns.len().saturating_sub(1);
        for (pattern, pp) in clause.patterns[..last].iter().zip(&plan.patterns) {
            let mut next = Vec::new();
            let mut keep = |row: Row, used: Vec<RelationId>| {
                next.push((row, used));
                Ok(ControlFlow::Continue(()))
            };
            for (row, used) in &partial {
                if self
                    .match_pattern(pattern, pp, row, used, &mut keep)?
                    .is_break()
                {
                    break;
                }
            }
            partial = next;
        }
        let mut filtered = |row: Row, _: Vec<RelationId>| {
            let keep = match filter {
                Some(f) => truth(&self.eval(f, &row, None)?) == Some(true),
                None => true,
            };
            if keep {
                return out(row);
            }
            Ok(ControlFlow::Continue(()))
        };
        for (row, used) in &partial {
            let (pattern, pp) = (&clause.patterns[last], &plan.patterns[last]);
            go_on!(self.match_pattern(pattern, pp, row, used, &mut filtered));
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Every way `pattern` matches, extending `row`, handed to `out` until it breaks;
    /// relationships in `used` are taken. Depth first over trails, O(d^k) for k
    /// relationships of degree d at worst.
    pub(crate) fn match_pattern(
        &self,
        pattern: &Pattern,
        pp: &PatternPlan,
        row: &Row,
        used: &[RelationId],
        out: &mut Sink<'_>,
    ) -> Result<Flow, QueryError> {
        let chain = &pattern.chain;
        if pattern.search != PathSearch::All {
            return self.match_shortest(pattern, pp, row, used, out);
        }
        for start in self.candidates(pp, pp.anchor, row)? {
            self.context.check()?;
            if !self.node_fits(&chain.nodes[pp.anchor], pp, pp.anchor, start, row)? {
                continue;
            }
            let mut row = row.clone();
            row[pp.node_slots[pp.anchor]] = Value::Node(start);
            let mut walk = Walk {
                nodes: vec![None; chain.nodes.len()],
                segments: vec![Vec::new(); chain.rels.len()],
            };
            walk.nodes[pp.anchor] = Some(start);
            go_on!(self.extend(pattern, pp, pp.anchor, true, row, used.to_vec(), walk, out));
        }
        Ok(ControlFlow::Continue(()))
    }

    /// The entities node `i` of the pattern may be, before its own checks.
    pub(crate) fn candidates(
        &self,
        pp: &PatternPlan,
        i: usize,
        row: &Row,
    ) -> Result<Vec<EntityId>, QueryError> {
        if pp.node_bound[i] {
            return match &row[pp.node_slots[i]] {
                // A node the query deleted matches nothing.
                Value::Node(id) if !self.store.has_entity(*id) => Ok(Vec::new()),
                Value::Node(id) => Ok(vec![*id]),
                Value::Null => Ok(Vec::new()),
                other => Err(QueryError::new(format!(
                    "`{}` is {}, not a node, so a pattern cannot start from it",
                    self.slots.names[pp.node_slots[i]],
                    other.type_name()
                ))),
            };
        }
        if let Some(names) = &pp.names[i] {
            let mut ids = Vec::new();
            for name in names {
                let texts = match self.eval(name, row, None)? {
                    Value::List(items) => items,
                    one => vec![one],
                };
                for text in texts {
                    if let Value::Str(name) = text
                        && let Lookup::Found(id) = self.store.lookup(&name)
                        && self.store.name(id) == name
                        && !ids.contains(&id)
                    {
                        ids.push(id);
                    }
                }
            }
            return Ok(ids);
        }
        // Every entity of the labels' kind: read by kind alone, not whole.
        let labels = &pp.labels[i];
        Ok(self
            .store
            .entity_ids()
            .filter(|&id| {
                labels.is_empty()
                    || self
                        .store
                        .kind_of(id)
                        .is_some_and(|kind| labels.iter().all(|k| k == kind))
            })
            .collect())
    }

    /// Whether entity `id` fits node pattern `i`: bound value, labels, properties.
    pub(crate) fn node_fits(
        &self,
        node: &NodePattern,
        pp: &PatternPlan,
        i: usize,
        id: EntityId,
        row: &Row,
    ) -> Result<bool, QueryError> {
        let slot = pp.node_slots[i];
        if let Value::Node(bound) = &row[slot]
            && *bound != id
        {
            return Ok(false);
        }
        if pp.labels[i].is_empty() && node.props.is_empty() {
            // Nothing to check on the entity itself (it exists: a relation reached it).
            return Ok(true);
        }
        let Some(entity) = self.store.entity(id) else {
            return Ok(false);
        };
        if !pp.labels[i].iter().all(|k| *k == entity.kind) {
            return Ok(false);
        }
        for (key, expr) in &node.props {
            let want = self.eval(expr, row, None)?;
            if want.equals(&self.node_property(id, key)?) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether relation `r` fits relationship pattern `j` (types and properties).
    pub(crate) fn rel_fits(
        &self,
        rel: &RelPattern,
        pp: &PatternPlan,
        j: usize,
        r: &RelationRef,
        row: &Row,
    ) -> Result<bool, QueryError> {
        if let Some(types) = &pp.types[j]
            && !types.contains(&r.relation.rtype)
        {
            return Ok(false);
        }
        if pp.skips_denied[j] && !self.context.walk_denied && r.relation.status == Status::Denied {
            return Ok(false);
        }
        for (key, expr) in &rel.props {
            let want = self.eval(expr, row, None)?;
            if want.equals(&self.rel_property(r.id, key)?) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The relations leaving `at` along a relationship of direction `direction`, walked
    /// forwards (left to right in the pattern) or backwards, with the entity each reaches.
    pub(crate) fn steps(
        &self,
        at: EntityId,
        direction: Direction,
        forwards: bool,
    ) -> Vec<(RelationRef<'a>, EntityId)> {
        // The compressed adjacency, read in order, rather than the graph's linked lists.
        let adjacency = self.store.adjacency();
        self.context.work().count(adjacency.degree(at));
        adjacency
            .of(at)
            .filter_map(|inc| {
                let self_loop = inc.other == at;
                let out_of = inc.forward || self_loop;
                let into = !inc.forward || self_loop;
                let along = match (direction, forwards) {
                    (Direction::Either, _) => true,
                    (Direction::Right, true) | (Direction::Left, false) => out_of,
                    (Direction::Right, false) | (Direction::Left, true) => into,
                };
                if !along {
                    return None;
                }
                self.store.relation(inc.relation).map(|r| (r, inc.other))
            })
            .collect()
    }

    /// Extends a partial walk: first rightwards from the anchor to the end of the
    /// chain, then leftwards from the anchor to its start.
    #[allow(clippy::too_many_arguments)]
    fn extend(
        &self,
        pattern: &Pattern,
        pp: &PatternPlan,
        at: usize,
        rightwards: bool,
        row: Row,
        used: Vec<RelationId>,
        walk: Walk,
        out: &mut Sink<'_>,
    ) -> Result<Flow, QueryError> {
        let chain = &pattern.chain;
        let (j, next) = if rightwards {
            if at + 1 >= chain.nodes.len() {
                return self.extend(pattern, pp, pp.anchor, false, row, used, walk, out);
            }
            (at, at + 1)
        } else {
            if at == 0 {
                return self.finish(pp, row, used, walk, out);
            }
            (at - 1, at - 1)
        };
        let rel = &chain.rels[j];
        let from = walk.nodes[at].unwrap_or(EntityId(0));
        let (min, max) = rel.walk_range();
        // Depth-first over trails of min..=max relations.
        let mut stack: Vec<(EntityId, Vec<(RelationId, EntityId)>)> = vec![(from, Vec::new())];
        while let Some((here, trail)) = stack.pop() {
            self.context.check()?;
            let len = trail.len() as u32;
            if len >= min && self.node_fits(&chain.nodes[next], pp, next, here, &row)? {
                let mut row = row.clone();
                row[pp.node_slots[next]] = Value::Node(here);
                let fits_var = match pp.rel_slots[j] {
                    Some((slot, true)) => {
                        let value = rel_value(rel, &trail, rightwards);
                        value.equals(&row[slot]) == Some(true)
                    }
                    Some((slot, false)) => {
                        row[slot] = rel_value(rel, &trail, rightwards);
                        true
                    }
                    None => true,
                };
                if fits_var {
                    let mut walk = walk.clone();
                    walk.nodes[next] = Some(here);
                    if pp.path_slot.is_some() {
                        // Only a named path needs the relations each step took.
                        walk.segments[j] = trail.clone();
                    }
                    let mut used = used.clone();
                    used.extend(trail.iter().map(|(r, _)| *r));
                    go_on!(self.extend(pattern, pp, next, rightwards, row, used, walk, out));
                }
            }
            if len >= max {
                continue;
            }
            for (r, other) in self.steps(here, rel.direction, rightwards) {
                if used.contains(&r.id) || trail.iter().any(|(t, _)| *t == r.id) {
                    continue;
                }
                if !self.rel_fits(rel, pp, j, &r, &row)? {
                    continue;
                }
                let mut longer = trail.clone();
                longer.push((r.id, other));
                stack.push((other, longer));
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    fn finish(
        &self,
        pp: &PatternPlan,
        mut row: Row,
        used: Vec<RelationId>,
        walk: Walk,
        out: &mut Sink<'_>,
    ) -> Result<Flow, QueryError> {
        if let Some(slot) = pp.path_slot {
            row[slot] = Value::Path(Box::new(assemble(pp.anchor, &walk)));
        }
        out(row, used)
    }

    /// Whether the planned pattern predicate `id` matches with the row's bindings.
    pub(crate) fn holds(&self, id: usize, row: &Row) -> Result<bool, QueryError> {
        let predicate = self
            .predicates
            .get(id)
            .ok_or_else(|| QueryError::new("a pattern predicate that was not planned"))?;
        self.first_match(predicate, row)
    }

    /// A pattern comprehension's list: `map` for each match of planned pattern `id`
    /// that `filter` keeps, the pattern's variables bound.
    pub(crate) fn pattern_list(
        &self,
        id: usize,
        filter: Option<&Expr>,
        map: &Expr,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Value, QueryError> {
        let predicate = self
            .predicates
            .get(id)
            .ok_or_else(|| QueryError::new("a pattern comprehension that was not planned"))?;
        let mut start = row.clone();
        start.resize(predicate.slots.names.len(), Value::Null);
        let ev = Evaluator {
            slots: &predicate.slots,
            ..*self
        };
        let mut matches = Vec::new();
        let mut keep = |matched: Row, _: Vec<RelationId>| {
            matches.push(matched);
            Ok(ControlFlow::Continue(()))
        };
        let _all = ev.match_pattern(&predicate.pattern, &predicate.plan, &start, &[], &mut keep)?;
        let mut out = Vec::new();
        for matched in matches {
            if let Some(f) = filter
                && truth(&ev.eval(f, &matched, group)?) != Some(true)
            {
                continue;
            }
            out.push(ev.eval(map, &matched, group)?);
        }
        Ok(Value::List(out))
    }

    /// Whether a pattern predicate the planner did not reach (one inside another's
    /// property map) matches: planned here, for this row.
    pub(crate) fn exists(&self, chain: &Chain, row: &Row) -> Result<bool, QueryError> {
        let predicate = Predicate::new(self.store, chain, self.slots)?;
        self.first_match(&predicate, row)
    }

    /// Whether `predicate` has a match: the search stops at the first.
    fn first_match(&self, predicate: &Predicate, row: &Row) -> Result<bool, QueryError> {
        let mut row = row.clone();
        row.resize(predicate.slots.names.len(), Value::Null);
        let ev = Evaluator {
            slots: &predicate.slots,
            ..*self
        };
        let mut first = |_: Row, _: Vec<RelationId>| Ok(ControlFlow::Break(()));
        let (pattern, pp) = (&predicate.pattern, &predicate.plan);
        Ok(ev
            .match_pattern(pattern, pp, &row, &[], &mut first)?
            .is_break())
    }
}

/// The value bound to a relationship variable: the relation, or for a
/// variable-length relationship the list of them, in the pattern's order.
pub(crate) fn rel_value(
    rel: &RelPattern,
    trail: &[(RelationId, EntityId)],
    rightwards: bool,
) -> Value {
    if rel.length.is_none() {
        return trail.first().map_or(Value::Null, |(r, _)| Value::Rel(*r));
    }
    let mut rels: Vec<Value> = trail.iter().map(|(r, _)| Value::Rel(*r)).collect();
    if !rightwards {
        rels.reverse();
    }
    Value::List(rels)
}

/// The path a finished walk took, from the chain's first node to its last.
fn assemble(anchor: usize, walk: &Walk) -> Path {
    let first = walk.nodes[0].unwrap_or(EntityId(0));
    let mut path = Path {
        nodes: vec![first],
        rels: Vec::new(),
    };
    for (j, segment) in walk.segments.iter().enumerate() {
        if j >= anchor {
            // Walked rightwards: already in order.
            for (r, n) in segment {
                path.rels.push(*r);
                path.nodes.push(*n);
            }
        } else {
            // Walked leftwards from node j+1 to node j.
            let right_end = walk.nodes[j + 1].unwrap_or(EntityId(0));
            let m = segment.len();
            for k in (0..m).rev() {
                path.rels.push(segment[k].0);
                path.nodes
                    .push(if k == 0 { right_end } else { segment[k - 1].1 });
            }
        }
    }
    path
}
