//! `shortestPath` and `allShortestPaths`: for each pair of end nodes, kg's path engine
//! when the pattern's rules are its own, else a breadth-first search here that checks
//! every relationship property.

use std::collections::{HashMap, VecDeque};
use std::ops::ControlFlow;

use super::{Evaluator, Flow, Row, Sink, go_on};
use crate::algo::{PathFinder, PathQuery};
use crate::model::{EntityId, RelationId, Status};
use crate::query::ast::*;
use crate::query::error::QueryError;
use crate::query::plan::PatternPlan;
use crate::query::value::{Path, Value};
use crate::select::Selection;

impl Evaluator<'_> {
    /// `shortestPath` and `allShortestPaths`: for each pair of end nodes, a
    /// breadth-first search over the relations the relationship pattern admits.
    pub(crate) fn match_shortest(
        &self,
        pattern: &Pattern,
        pp: &PatternPlan,
        row: &Row,
        used: &[RelationId],
        out: &mut Sink<'_>,
    ) -> Result<Flow, QueryError> {
        // The same variable at both ends: a path from a node back to itself.
        let same_ends = pp.node_slots[0] == pp.node_slots[1];
        let chain = &pattern.chain;
        let rel = &chain.rels[0];
        let (min, max) = rel.length.unwrap_or((1, Some(1)));
        let starts = self.candidates(pp, 0, row)?;
        let ends = self.candidates(pp, 1, row)?;
        let mut ends_ok = Vec::new();
        for &b in &ends {
            if self.node_fits(&chain.nodes[1], pp, 1, b, row)? {
                ends_ok.push(b);
            }
        }
        for a in starts {
            if !self.node_fits(&chain.nodes[0], pp, 0, a, row)? {
                continue;
            }
            for &b in &ends_ok {
                if (a == b && min > 0) || (same_ends && a != b) {
                    continue;
                }
                for path in self.shortest_between(
                    rel,
                    pp,
                    a,
                    b,
                    max,
                    pattern.search == PathSearch::AllShortest,
                    row,
                )? {
                    let mut row = row.clone();
                    row[pp.node_slots[0]] = Value::Node(a);
                    row[pp.node_slots[1]] = Value::Node(b);
                    if let Some((slot, bound)) = pp.rel_slots[0] {
                        let value = Value::List(path.rels.iter().map(|r| Value::Rel(*r)).collect());
                        if bound && value.equals(&row[slot]) != Some(true) {
                            continue;
                        }
                        row[slot] = value;
                    }
                    if let Some(slot) = pp.path_slot {
                        row[slot] = Value::Path(Box::new(path.clone()));
                    }
                    // Relationships stay unique across the MATCH's patterns.
                    if path.rels.iter().any(|r| used.contains(r)) {
                        continue;
                    }
                    let mut taken = used.to_vec();
                    taken.extend(&path.rels);
                    go_on!(out(row, taken));
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// The shortest paths from `a` to `b` over the relations `rel` admits: by kg's path
    /// engine (bidirectional search over the compressed adjacency) when the pattern
    /// asks only for types and a direction it shares, else by a breadth-first search
    /// here that checks every relationship property.
    #[allow(clippy::too_many_arguments)]
    fn shortest_between(
        &self,
        rel: &RelPattern,
        pp: &PatternPlan,
        a: EntityId,
        b: EntityId,
        max: Option<u32>,
        all: bool,
        row: &Row,
    ) -> Result<Vec<Path>, QueryError> {
        if a == b {
            return Ok(vec![Path {
                nodes: vec![a],
                rels: Vec::new(),
            }]);
        }
        if let Some(paths) = self.engine_paths(rel, pp, a, b, max, all) {
            return Ok(paths);
        }
        // Distances from a, and for each entity the relations that reach it first.
        let mut dist: HashMap<EntityId, u32> = HashMap::from([(a, 0)]);
        let mut parents: HashMap<EntityId, Vec<(RelationId, EntityId)>> = HashMap::new();
        let mut queue = VecDeque::from([a]);
        let mut found: Option<u32> = None;
        while let Some(here) = queue.pop_front() {
            self.context.check()?;
            let d = dist[&here];
            if found.is_some_and(|f| d >= f) || max.is_some_and(|m| d >= m) {
                continue;
            }
            for (r, other) in self.steps(here, rel.direction, true) {
                if !self.rel_fits(rel, pp, 0, &r, row)? {
                    continue;
                }
                match dist.get(&other) {
                    None => {
                        dist.insert(other, d + 1);
                        parents.entry(other).or_default().push((r.id, here));
                        if other == b {
                            found = Some(d + 1);
                        } else {
                            queue.push_back(other);
                        }
                    }
                    Some(&od) if od == d + 1 && all => {
                        parents.entry(other).or_default().push((r.id, here));
                    }
                    _ => {}
                }
            }
        }
        if found.is_none() {
            return Ok(Vec::new());
        }
        // Every (or the first) way back from b to a along the parents.
        let mut paths = Vec::new();
        let mut stack = vec![(b, Vec::<(RelationId, EntityId)>::new())];
        while let Some((here, back)) = stack.pop() {
            if here == a {
                let mut nodes = vec![a];
                let mut rels = Vec::new();
                for (r, n) in back.iter().rev() {
                    rels.push(*r);
                    nodes.push(*n);
                }
                paths.push(Path { nodes, rels });
                if !all {
                    break;
                }
                continue;
            }
            for (r, prev) in parents.get(&here).into_iter().flatten().rev() {
                let mut longer = back.clone();
                longer.push((*r, here));
                stack.push((*prev, longer));
            }
        }
        paths.sort_by(|x, y| x.rels.cmp(&y.rels));
        Ok(paths)
    }

    /// The path engine's answer, when the planner found that its rules are the
    /// pattern's (`PatternPlan::path_engine`).
    fn engine_paths(
        &self,
        rel: &RelPattern,
        pp: &PatternPlan,
        a: EntityId,
        b: EntityId,
        max: Option<u32>,
        all: bool,
    ) -> Option<Vec<Path>> {
        if !pp.path_engine {
            return None;
        }
        let types = pp.types[0].clone();
        let mut selection = match types {
            Some(types) => Selection::all().with_types(types),
            None => Selection::all(),
        };
        if pp.skips_denied[0] && !self.context.walk_denied {
            selection.min_status = Some(Status::Unconfirmed);
        }
        let query = PathQuery {
            directed: rel.direction != Direction::Either,
            max_hops: max.map(|m| m as usize),
            chronological: false,
        };
        // A leftward pattern is a rightward search from the other end, reversed.
        let (from, to) = if rel.direction == Direction::Left {
            (b, a)
        } else {
            (a, b)
        };
        let mut finder =
            PathFinder::new(self.store, &selection, query).counting(self.context.work());
        let found = if all {
            finder.all_shortest(from, to).0
        } else {
            finder.shortest(from, to).into_iter().collect()
        };
        Some(
            found
                .into_iter()
                .map(|p| {
                    let mut path = Path {
                        nodes: p.nodes(),
                        rels: p.relations(),
                    };
                    if rel.direction == Direction::Left {
                        path.nodes.reverse();
                        path.rels.reverse();
                    }
                    path
                })
                .collect(),
        )
    }
}
