//! Evaluation: patterns matched against the store, expressions, and the `RETURN`
//! projection with grouping, `DISTINCT`, `ORDER BY`, `SKIP` and `LIMIT`.
//!
//! A row holds one value per variable (a slot each, in order of appearance). Each
//! pattern starts from its most selective node, a plan made once per pattern: a node
//! already bound, then a node whose name is given (by its property map or by
//! `WHERE n.name = ...`, looked up in the name index), then a node with a label (a scan
//! of that kind), then any node; from there it walks the relations of the store in both
//! directions of the chain. Relationships are unique within one `MATCH`.

use std::collections::{HashMap, VecDeque};

use super::QueryError;
use super::ast::*;
use super::lexer::Pos;
use super::value::{Path, Value};

mod project;
use crate::algo::{self, path::PathQuery};
use crate::model::{EntityId, Kind, RelationId, TimeSpan, TypeId};
use crate::select::Selection;
use crate::store::{Lookup, RelationRef, Store};

pub type Params = HashMap<String, Value>;
type Row = Vec<Value>;
/// Where the matcher hands each match: the row and the relationships it used.
type Sink<'s> = dyn FnMut(Row, Vec<RelationId>) -> Result<(), QueryError> + 's;
/// The message a pattern predicate stops its search with at the first match.
const FOUND: &str = "\u{0}found";
/// The aggregates of one group, computed: by the address of their call in the query.
type Aggregated = HashMap<*const Expr, Value>;

/// What a query returns: the column names and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

pub fn run(store: &Store, query: &Query, params: &Params) -> Result<Table, QueryError> {
    run_explaining(store, query, params, None)
}

/// Runs the query and, with `explain`, describes how: each pattern's plan, the rows
/// each clause left, the work done.
pub fn run_explaining(
    store: &Store,
    query: &Query,
    params: &Params,
    mut explain: Option<&mut Vec<String>>,
) -> Result<Table, QueryError> {
    let mut slots = Slots::default();
    let mut plans = Vec::new();
    // How many variables exist after each clause: a WHERE sees only those.
    let mut in_scope = Vec::new();
    for clause in &query.matches {
        plans.push(MatchPlan::new(store, clause, &mut slots)?);
        in_scope.push(slots.names.len());
    }
    // The variables of list comprehensions and predicates get slots too, as do the
    // return items' aliases, which ORDER BY may use.
    let mut locals = Vec::new();
    for clause in &query.matches {
        for pattern in &clause.patterns {
            pattern.chain.local_variables(&mut locals);
        }
        if let Some(filter) = &clause.filter {
            filter.local_variables(&mut locals);
        }
    }
    let ret = &query.ret;
    let tail = ret.items.iter().map(|i| &i.expr);
    let tail = tail.chain(ret.order.iter().map(|(e, _, _)| e));
    for e in tail.chain(ret.skip.iter()).chain(ret.limit.iter()) {
        e.local_variables(&mut locals);
    }
    for item in &ret.items {
        // An alias (not a variable returned under its own name).
        let own_name = matches!(&item.expr, Expr::Var(v, _) if *v == item.name);
        if is_identifier(&item.name) && !own_name {
            locals.push(item.name.clone());
        }
    }
    for name in locals {
        slots.declare_local(&name);
    }
    if let Some(lines) = explain.as_deref_mut() {
        for (c, (clause, plan)) in query.matches.iter().zip(&plans).enumerate() {
            for (p, (pattern, pp)) in clause.patterns.iter().zip(&plan.patterns).enumerate() {
                lines.push(format!(
                    "MATCH {} pattern {}: {}",
                    c + 1,
                    p + 1,
                    describe_pattern(store, pattern, pp, &slots)
                ));
            }
            if clause.filter.is_some() {
                lines.push(format!(
                    "MATCH {}: then WHERE keeps the rows where it is true",
                    c + 1
                ));
            }
        }
        algo::walk::work::take();
    }
    let ev = Evaluator {
        store,
        params,
        slots: &slots,
    };
    for (clause, &scope) in query.matches.iter().zip(&in_scope) {
        if let Some(filter) = &clause.filter {
            ev.check_names(filter, false, scope)?;
        }
    }
    let items = ev.return_items(&query.ret)?;
    let mut projector = project::Projector::new(&ev, &query.ret, &items)?;
    let mut rows: Vec<Row> = vec![vec![Value::Null; slots.names.len()]];
    let clauses = query.matches.len();
    for (c, (clause, plan)) in query.matches.iter().zip(&plans).enumerate() {
        let mut next = Vec::new();
        let mut count = 0usize;
        if c + 1 == clauses {
            // The last clause's rows go straight to the projection.
            let mut sink = |row: Row| {
                count += 1;
                projector.accept(row)
            };
            for row in &rows {
                ev.match_clause(clause, plan, row, &mut sink)?;
            }
            rows = Vec::new();
        } else {
            let mut keep = |row: Row| {
                next.push(row);
                Ok(())
            };
            for row in &rows {
                ev.match_clause(clause, plan, row, &mut keep)?;
            }
            count = next.len();
            rows = next;
        }
        if let Some(lines) = explain.as_deref_mut() {
            lines.push(format!("MATCH {} left {count} rows", c + 1));
        }
    }
    for row in rows {
        projector.accept(row)?;
    }
    let table = projector.finish()?;
    if let Some(lines) = explain {
        let ret = &query.ret;
        let mut steps = Vec::new();
        let items = if ret.star {
            Vec::new()
        } else {
            ret.items.clone()
        };
        let aggregates = items.iter().filter(|i| i.expr.has_aggregate()).count();
        if aggregates > 0 {
            steps.push(format!(
                "grouped by {} key(s) with {aggregates} aggregate(s)",
                items.len() - aggregates
            ));
        }
        if ret.distinct {
            steps.push("DISTINCT".to_string());
        }
        if !ret.order.is_empty() {
            steps.push(format!("sorted by {} key(s)", ret.order.len()));
        }
        if ret.skip.is_some() || ret.limit.is_some() {
            steps.push("SKIP/LIMIT".to_string());
        }
        if steps.is_empty() {
            steps.push("projected".to_string());
        }
        lines.push(format!(
            "RETURN: {}; {} rows",
            steps.join(", "),
            table.rows.len()
        ));
        let (expanded, examined) = algo::walk::work::take();
        lines.push(format!(
            "work: {expanded} entities expanded, {examined} relations examined (the graph has {} entities, {} relations)",
            store.entity_count(),
            store.relation_count()
        ));
    }
    Ok(table)
}

/// One pattern's plan in words.
fn describe_pattern(store: &Store, pattern: &Pattern, pp: &PatternPlan, slots: &Slots) -> String {
    let name_of = |i: usize| {
        let n = &slots.names[pp.node_slots[i]];
        if n.starts_with(' ') {
            format!("node {}", i + 1)
        } else {
            format!("`{n}`")
        }
    };
    let count_kind = |kinds: &[Kind]| {
        store
            .entities()
            .filter(|(_, e)| kinds.iter().all(|k| *k == e.kind))
            .count()
    };
    let start_of = |i: usize| {
        if pp.node_bound[i] {
            format!("{} (bound by an earlier pattern)", name_of(i))
        } else if pp.names[i].is_some() {
            let n = pp.names[i].as_ref().map_or(0, Vec::len);
            format!(
                "{} looked up by name in the name index ({n} name{})",
                name_of(i),
                if n == 1 { "" } else { "s" }
            )
        } else if !pp.labels[i].is_empty() {
            let kinds: Vec<&str> = pp.labels[i].iter().map(|k| k.as_str()).collect();
            format!(
                "{} by a scan of kind {} ({} entities)",
                name_of(i),
                kinds.join(":"),
                count_kind(&pp.labels[i])
            )
        } else {
            format!(
                "{} by a scan of every entity ({})",
                name_of(i),
                store.entity_count()
            )
        }
    };
    match pattern.search {
        PathSearch::All => {
            let n = pattern.chain.nodes.len();
            let mut text = format!("starts at {}", start_of(pp.anchor));
            if pp.anchor + 1 < n {
                text.push_str(&format!(", walks right to {}", name_of(n - 1)));
            }
            if pp.anchor > 0 {
                text.push_str(&format!(", walks left to {}", name_of(0)));
            }
            if pattern.chain.rels.iter().any(|r| r.length.is_some()) {
                text.push_str(" (variable length: every trail in range, depth first)");
            }
            text
        }
        search => {
            let rel = &pattern.chain.rels[0];
            let engine = rel.props.is_empty()
                && (rel.direction == Direction::Either
                    || !match &pp.types[0] {
                        Some(types) => types.iter().any(|t| store.relation_type(*t).symmetric),
                        None => store.types().iter().any(|t| t.symmetric),
                    });
            format!(
                "{} from {} to {}, by {}",
                if search == PathSearch::Shortest {
                    "shortestPath"
                } else {
                    "allShortestPaths"
                },
                start_of(0),
                start_of(1),
                if engine {
                    "kg's path engine (bidirectional search over the compressed adjacency)"
                } else {
                    "a breadth-first search that checks every relationship property"
                }
            )
        }
    }
}

/// The variables of a query, each with its slot in a row.
#[derive(Default)]
struct Slots {
    names: Vec<String>,
    index: HashMap<String, usize>,
    /// What each variable holds, to catch `(n)` used later as `[n]`.
    kinds: Vec<VarKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VarKind {
    /// A list comprehension's variable.
    Local,
    Node,
    Rel,
    RelList,
    Path,
}

impl Slots {
    /// A slot for a list comprehension's variable: its own, or the slot of a variable
    /// of that name, whose value the comprehension replaces only inside itself.
    fn declare_local(&mut self, name: &str) {
        if !self.index.contains_key(name) {
            self.index.insert(name.to_string(), self.names.len());
            self.names.push(name.to_string());
            self.kinds.push(VarKind::Local);
        }
    }

    /// The slot of `name`, declaring it if new; whether it was bound before.
    fn declare(
        &mut self,
        name: &str,
        kind: VarKind,
        pos: Pos,
    ) -> Result<(usize, bool), QueryError> {
        if let Some(&slot) = self.index.get(name) {
            if self.kinds[slot] != kind && self.kinds[slot] != VarKind::Local {
                return Err(QueryError::at(
                    pos,
                    format!("variable `{name}` is already bound to a different kind of value"),
                ));
            }
            return Ok((slot, true));
        }
        let slot = self.names.len();
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), slot);
        self.kinds.push(kind);
        Ok((slot, false))
    }
}

/// How to match one clause: a plan per pattern.
struct MatchPlan {
    patterns: Vec<PatternPlan>,
}

struct PatternPlan {
    /// Slot per node of the chain (anonymous nodes get hidden slots too).
    node_slots: Vec<usize>,
    /// Whether that node's variable was bound by an earlier pattern.
    node_bound: Vec<bool>,
    rel_slots: Vec<Option<(usize, bool)>>,
    path_slot: Option<usize>,
    labels: Vec<Vec<Kind>>,
    types: Vec<Option<Vec<TypeId>>>,
    /// The node the walk starts from.
    anchor: usize,
    /// The names that pick out each node (if any), to look up instead of scanning.
    names: Vec<Option<Vec<Expr>>>,
}

impl MatchPlan {
    fn new(store: &Store, clause: &Match, slots: &mut Slots) -> Result<MatchPlan, QueryError> {
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
    fn new(
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
            labels.push(
                node.labels
                    .iter()
                    .map(|(l, pos)| kind_of_label(l, *pos))
                    .collect::<Result<Vec<_>, _>>()?,
            );
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
                Some(
                    rel.types
                        .iter()
                        .map(|(t, pos)| {
                            store
                                .find_type(t)
                                .ok_or_else(|| unknown_type(store, t, *pos))
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                )
            });
        }
        let path_slot = match &pattern.path_var {
            Some(p) => Some(slots.declare(p, VarKind::Path, pattern.pos)?.0),
            None => None,
        };
        // The anchor: a bound node, else a named one, else a labelled one, else the first.
        let names: Vec<Option<Vec<Expr>>> =
            chain.nodes.iter().map(|n| names_of(n, filter)).collect();
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
        Ok(PatternPlan {
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

/// The names a node pattern is pinned to: `{name: X}`, or `WHERE n.name = X` or
/// `n.name IN [...]` among the top-level conjuncts of the clause's filter, where X
/// depends on no variable of the pattern.
fn names_of(node: &NodePattern, filter: Option<&Expr>) -> Option<Vec<Expr>> {
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

fn is_constant(e: &Expr) -> bool {
    matches!(e, Expr::Literal(_) | Expr::Param(..))
}

fn kind_of_label(label: &str, pos: Pos) -> Result<Kind, QueryError> {
    label.parse::<Kind>().map_err(|_| {
        QueryError::at(
            pos,
            format!(
                "unknown label '{label}': labels are entity kinds (person, organization, country, place, media, event, other)"
            ),
        )
    })
}

fn unknown_type(store: &Store, name: &str, pos: Pos) -> QueryError {
    let known: Vec<&str> = store.types().iter().map(|t| t.name.as_str()).collect();
    let suggestion = known
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&k.to_lowercase(), &name.to_lowercase()),
                k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!("; did you mean '{k}'?"))
        .unwrap_or_default();
    QueryError::at(
        pos,
        format!("unknown relationship type '{name}'{suggestion}"),
    )
}

struct Evaluator<'a> {
    store: &'a Store,
    params: &'a Params,
    slots: &'a Slots,
}

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
    fn match_clause(
        &self,
        clause: &Match,
        plan: &MatchPlan,
        row: &Row,
        out: &mut dyn FnMut(Row) -> Result<(), QueryError>,
    ) -> Result<(), QueryError> {
        let mut partial = vec![(row.clone(), Vec::<RelationId>::new())];
        let last = clause.patterns.len().saturating_sub(1);
        for (pattern, pp) in clause.patterns[..last].iter().zip(&plan.patterns) {
            let mut next = Vec::new();
            let mut keep = |row: Row, used: Vec<RelationId>| {
                next.push((row, used));
                Ok(())
            };
            for (row, used) in &partial {
                self.match_pattern(pattern, pp, row, used, &mut keep)?;
            }
            partial = next;
        }
        let mut filtered = |row: Row, _: Vec<RelationId>| {
            let keep = match &clause.filter {
                Some(f) => truth(&self.eval(f, &row, None)?) == Some(true),
                None => true,
            };
            if keep { out(row) } else { Ok(()) }
        };
        for (row, used) in &partial {
            self.match_pattern(
                &clause.patterns[last],
                &plan.patterns[last],
                row,
                used,
                &mut filtered,
            )?;
        }
        Ok(())
    }

    /// Every way `pattern` matches, extending `row`; relationships in `used` are taken.
    fn match_pattern(
        &self,
        pattern: &Pattern,
        pp: &PatternPlan,
        row: &Row,
        used: &[RelationId],
        out: &mut Sink<'_>,
    ) -> Result<(), QueryError> {
        let chain = &pattern.chain;
        if pattern.search != PathSearch::All {
            return self.match_shortest(pattern, pp, row, used, out);
        }
        for start in self.candidates(pp, pp.anchor, row)? {
            super::check_cancelled()?;
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
            self.extend(pattern, pp, pp.anchor, true, row, used.to_vec(), walk, out)?;
        }
        Ok(())
    }

    /// The entities node `i` of the pattern may be, before its own checks.
    fn candidates(
        &self,
        pp: &PatternPlan,
        i: usize,
        row: &Row,
    ) -> Result<Vec<EntityId>, QueryError> {
        if pp.node_bound[i] {
            return Ok(match &row[pp.node_slots[i]] {
                Value::Node(id) => vec![*id],
                _ => Vec::new(),
            });
        }
        if let Some(names) = &pp.names[i] {
            let mut ids = Vec::new();
            for name in names {
                if let Value::Str(name) = self.eval(name, row, None)?
                    && let Lookup::Found(id) = self.store.lookup(&name)
                    && self.store.name(id) == name
                    && !ids.contains(&id)
                {
                    ids.push(id);
                }
            }
            return Ok(ids);
        }
        let labels = &pp.labels[i];
        Ok(self
            .store
            .entities()
            .filter(|(_, e)| labels.iter().all(|k| *k == e.kind))
            .map(|(id, _)| id)
            .collect())
    }

    /// Whether entity `id` fits node pattern `i`: bound value, labels, properties.
    fn node_fits(
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
            if want.equals(&self.node_property(id, key)) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether relation `r` fits relationship pattern `j` (types and properties).
    fn rel_fits(
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
        for (key, expr) in &rel.props {
            let want = self.eval(expr, row, None)?;
            if want.equals(&self.rel_property(r.id, key)) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The relations leaving `at` along a relationship of direction `direction`, walked
    /// forwards (left to right in the pattern) or backwards, with the entity each reaches.
    fn steps(
        &self,
        at: EntityId,
        direction: Direction,
        forwards: bool,
    ) -> Vec<(RelationRef<'a>, EntityId)> {
        // The compressed adjacency, read in order, rather than the graph's linked lists.
        let adjacency = self.store.adjacency();
        algo::walk::work::count(adjacency.degree(at));
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
    ) -> Result<(), QueryError> {
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
        let (min, max) = rel.length.unwrap_or((1, Some(1)));
        // Depth-first over trails of min..=max relations.
        let mut stack: Vec<(EntityId, Vec<(RelationId, EntityId)>)> = vec![(from, Vec::new())];
        while let Some((here, trail)) = stack.pop() {
            super::check_cancelled()?;
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
                    self.extend(pattern, pp, next, rightwards, row, used, walk, out)?;
                }
            }
            if max.is_some_and(|m| len >= m) {
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
        Ok(())
    }

    fn finish(
        &self,
        pp: &PatternPlan,
        mut row: Row,
        used: Vec<RelationId>,
        walk: Walk,
        out: &mut Sink<'_>,
    ) -> Result<(), QueryError> {
        if let Some(slot) = pp.path_slot {
            row[slot] = Value::Path(Box::new(assemble(pp.anchor, &walk)));
        }
        out(row, used)
    }

    /// `shortestPath` and `allShortestPaths`: for each pair of end nodes, a
    /// breadth-first search over the relations the relationship pattern admits.
    fn match_shortest(
        &self,
        pattern: &Pattern,
        pp: &PatternPlan,
        row: &Row,
        used: &[RelationId],
        out: &mut Sink<'_>,
    ) -> Result<(), QueryError> {
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
                    out(row, taken)?;
                }
            }
        }
        Ok(())
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
            super::check_cancelled()?;
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

    /// The path engine's answer, when its rules are the pattern's: no relationship
    /// properties to check, and either direction, or a direction along which every
    /// admitted type is directed (the engine walks symmetric types both ways).
    fn engine_paths(
        &self,
        rel: &RelPattern,
        pp: &PatternPlan,
        a: EntityId,
        b: EntityId,
        max: Option<u32>,
        all: bool,
    ) -> Option<Vec<Path>> {
        if !rel.props.is_empty() {
            return None;
        }
        let types = pp.types[0].clone();
        let admitted_symmetric = match &types {
            Some(types) => types.iter().any(|t| self.store.relation_type(*t).symmetric),
            None => self.store.types().iter().any(|t| t.symmetric),
        };
        if rel.direction != Direction::Either && admitted_symmetric {
            return None;
        }
        let selection = match types {
            Some(types) => Selection::all().with_types(types),
            None => Selection::all(),
        };
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
        let found = if all {
            algo::path::all_shortest_paths(self.store, from, to, &selection, query).0
        } else {
            algo::path::shortest_path(self.store, from, to, &selection, query)
                .into_iter()
                .collect()
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

    // ----- expressions -----

    /// Checks that every variable an expression uses is defined, and that aggregates
    /// appear only where allowed.
    /// Checks that every variable an expression uses is defined among the first
    /// `scope` slots (comprehension variables anywhere), and that aggregates appear
    /// only where allowed.
    fn check_names(
        &self,
        e: &Expr,
        aggregates_allowed: bool,
        scope: usize,
    ) -> Result<(), QueryError> {
        let defined = |name: &str| {
            self.slots
                .index
                .get(name)
                .is_some_and(|&slot| slot < scope || self.slots.kinds[slot] == VarKind::Local)
        };
        match e {
            Expr::Var(name, pos) => {
                if !defined(name) {
                    return Err(QueryError::at(
                        *pos,
                        format!("variable `{name}` is not defined"),
                    ));
                }
            }
            Expr::Call {
                name, args, pos, ..
            } => {
                if !aggregates_allowed && AGGREGATES.contains(&name.to_ascii_lowercase().as_str()) {
                    return Err(QueryError::at(
                        *pos,
                        format!("{name}() aggregates, so it may only appear in RETURN"),
                    ));
                }
                for a in args {
                    self.check_names(a, aggregates_allowed, scope)?;
                }
            }
            Expr::HasLabels(a, labels) => {
                self.check_names(a, aggregates_allowed, scope)?;
                for (label, pos) in labels {
                    kind_of_label(label, *pos)?;
                }
            }
            Expr::Exists(chain) => {
                for node in &chain.nodes {
                    if let Some(v) = &node.var
                        && !defined(v)
                    {
                        return Err(QueryError::new(format!(
                            "variable `{v}` in a pattern predicate is not defined: a pattern in WHERE may only use variables of the MATCH"
                        )));
                    }
                }
            }
            other => {
                for child in other.children() {
                    self.check_names(child, aggregates_allowed, scope)?;
                }
            }
        }
        Ok(())
    }

    /// Evaluates `e` on `row`; `group` holds the rows of a group when aggregates are
    /// being computed.
    fn eval(&self, e: &Expr, row: &Row, group: Option<&Aggregated>) -> Result<Value, QueryError> {
        Ok(match e {
            Expr::Literal(v) => v.clone(),
            Expr::Param(name, pos) => self.params.get(name).cloned().ok_or_else(|| {
                QueryError::at(
                    *pos,
                    format!("parameter ${name} is not given (use --param {name}=VALUE)"),
                )
            })?,
            Expr::Var(name, pos) => {
                let slot = self.slots.index.get(name).ok_or_else(|| {
                    QueryError::at(*pos, format!("variable `{name}` is not defined"))
                })?;
                row.get(*slot).cloned().unwrap_or(Value::Null)
            }
            Expr::Property(inner, key) => match self.eval(inner, row, group)? {
                Value::Null => Value::Null,
                Value::Node(id) => self.node_property(id, key),
                Value::Rel(id) => self.rel_property(id, key),
                other => {
                    return Err(QueryError::new(format!(
                        "cannot read property '{key}' of {}",
                        other.type_name()
                    )));
                }
            },
            Expr::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| self.eval(i, row, group))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Index(list, index) => {
                match (self.eval(list, row, group)?, self.eval(index, row, group)?) {
                    (Value::List(items), Value::Int(i)) => {
                        let len = items.len() as i64;
                        let at = if i < 0 { len + i } else { i };
                        if (0..len).contains(&at) {
                            items[at as usize].clone()
                        } else {
                            Value::Null
                        }
                    }
                    (Value::Null, _) | (_, Value::Null) => Value::Null,
                    (l, i) => {
                        return Err(QueryError::new(format!(
                            "cannot index {} with {}",
                            l.type_name(),
                            i.type_name()
                        )));
                    }
                }
            }
            Expr::Not(a) => tri(truth_of(&self.eval(a, row, group)?)?.map(|b| !b)),
            Expr::And(a, b) => {
                let x = truth_of(&self.eval(a, row, group)?)?;
                if x == Some(false) {
                    return Ok(Value::Bool(false));
                }
                let y = truth_of(&self.eval(b, row, group)?)?;
                tri(match (x, y) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                })
            }
            Expr::Or(a, b) => {
                let x = truth_of(&self.eval(a, row, group)?)?;
                if x == Some(true) {
                    return Ok(Value::Bool(true));
                }
                let y = truth_of(&self.eval(b, row, group)?)?;
                tri(match (x, y) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                })
            }
            Expr::Xor(a, b) => {
                let x = truth_of(&self.eval(a, row, group)?)?;
                let y = truth_of(&self.eval(b, row, group)?)?;
                tri(x.zip(y).map(|(x, y)| x != y))
            }
            Expr::Compare(op, a, b) => {
                let (x, y) = (self.eval(a, row, group)?, self.eval(b, row, group)?);
                tri(match op {
                    Cmp::Eq => x.equals(&y),
                    Cmp::Ne => x.equals(&y).map(|b| !b),
                    _ => x.compare(&y, *op),
                })
            }
            Expr::In(a, b) => {
                let x = self.eval(a, row, group)?;
                match self.eval(b, row, group)? {
                    Value::Null => Value::Null,
                    Value::List(items) => {
                        let mut result = Some(false);
                        for item in &items {
                            match x.equals(item) {
                                Some(true) => return Ok(Value::Bool(true)),
                                None => result = None,
                                Some(false) => {}
                            }
                        }
                        tri(result)
                    }
                    other => {
                        return Err(QueryError::new(format!(
                            "IN needs a list on its right, not {}",
                            other.type_name()
                        )));
                    }
                }
            }
            Expr::Str(op, a, b) => match (self.eval(a, row, group)?, self.eval(b, row, group)?) {
                (Value::Str(s), Value::Str(t)) => Value::Bool(match op {
                    StringOp::StartsWith => s.starts_with(&t),
                    StringOp::EndsWith => s.ends_with(&t),
                    StringOp::Contains => s.contains(&t),
                }),
                _ => Value::Null,
            },
            Expr::IsNull(a, negated) => {
                Value::Bool(self.eval(a, row, group)?.is_null() != *negated)
            }
            Expr::Arith(op, a, b) => {
                arith(*op, self.eval(a, row, group)?, self.eval(b, row, group)?)?
            }
            Expr::Negate(a) => match self.eval(a, row, group)? {
                Value::Int(i) => Value::Int(
                    i.checked_neg()
                        .ok_or_else(|| QueryError::new("integer overflow"))?,
                ),
                Value::Float(f) => Value::Float(-f),
                Value::Null => Value::Null,
                other => {
                    return Err(QueryError::new(format!(
                        "cannot negate {}",
                        other.type_name()
                    )));
                }
            },
            Expr::Call { name, pos, .. } if is_aggregate(name) => match group {
                Some(computed) => computed.get(&(e as *const Expr)).cloned().ok_or_else(|| {
                    QueryError::at(*pos, format!("{name}() cannot be computed here"))
                })?,
                None => {
                    return Err(QueryError::at(
                        *pos,
                        format!("{name}() aggregates, so it may only appear in RETURN"),
                    ));
                }
            },
            Expr::Call {
                name, args, pos, ..
            } => self.call(name, args, *pos, row, group)?,
            Expr::Exists(chain) => Value::Bool(self.exists(chain, row)?),
            Expr::Comprehension {
                var,
                list,
                filter,
                map,
            } => {
                if self.eval(list, row, group)?.is_null() {
                    return Ok(Value::Null);
                }
                let mut out = Vec::new();
                for (inner, item) in self.each_item(var, list, row, group)? {
                    if let Some(f) = filter
                        && truth_of(&self.eval(f, &inner, group)?)? != Some(true)
                    {
                        continue;
                    }
                    out.push(match map {
                        Some(m) => self.eval(m, &inner, group)?,
                        None => item,
                    });
                }
                Value::List(out)
            }
            Expr::ListPredicate {
                quantifier,
                var,
                list,
                predicate,
            } => {
                let mut answers = Vec::new();
                for (inner, _) in self.each_item(var, list, row, group)? {
                    answers.push(truth_of(&self.eval(predicate, &inner, group)?)?);
                }
                let trues = answers.iter().filter(|a| **a == Some(true)).count();
                let nulls = answers.iter().filter(|a| a.is_none()).count();
                if matches!(self.eval(list, row, group)?, Value::Null) {
                    Value::Null
                } else {
                    tri(match quantifier {
                        Quantifier::All if trues == answers.len() => Some(true),
                        Quantifier::All if trues + nulls == answers.len() => None,
                        Quantifier::All => Some(false),
                        Quantifier::Any if trues > 0 => Some(true),
                        Quantifier::Any if nulls > 0 => None,
                        Quantifier::Any => Some(false),
                        Quantifier::None if trues > 0 => Some(false),
                        Quantifier::None if nulls > 0 => None,
                        Quantifier::None => Some(true),
                        Quantifier::Single if nulls > 0 && trues <= 1 => None,
                        Quantifier::Single => Some(trues == 1),
                    })
                }
            }
            Expr::HasLabels(a, labels) => match self.eval(a, row, group)? {
                Value::Null => Value::Null,
                Value::Node(id) => {
                    let kind = self.store.entity(id).map(|e| e.kind);
                    let mut all = true;
                    for (label, pos) in labels {
                        all &= Some(kind_of_label(label, *pos)?) == kind;
                    }
                    Value::Bool(all)
                }
                other => {
                    return Err(QueryError::new(format!(
                        "labels belong to nodes, not {}",
                        other.type_name()
                    )));
                }
            },
        })
    }

    /// The rows a list comprehension evaluates its parts on: `row` with `var` bound to
    /// each item of `list` in turn (none for a null list).
    fn each_item(
        &self,
        var: &str,
        list: &Expr,
        row: &Row,
        group: Option<&Aggregated>,
    ) -> Result<Vec<(Row, Value)>, QueryError> {
        let slot = *self
            .slots
            .index
            .get(var)
            .ok_or_else(|| QueryError::new(format!("`{var}` cannot be introduced here")))?;
        let items = match self.eval(list, row, group)? {
            Value::List(items) => items,
            Value::Null => Vec::new(),
            other => {
                return Err(QueryError::new(format!(
                    "`{var} IN ...` needs a list, not {}",
                    other.type_name()
                )));
            }
        };
        Ok(items
            .into_iter()
            .map(|item| {
                let mut inner = row.clone();
                inner[slot] = item.clone();
                (inner, item)
            })
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        name: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&Aggregated>,
    ) -> Result<Value, QueryError> {
        let lower = name.to_ascii_lowercase();
        let arity = |n: usize| -> Result<(), QueryError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(QueryError::at(
                    pos,
                    format!(
                        "{name}() takes {n} argument{}",
                        if n == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        if lower == "exists" {
            arity(1)?;
            let value = self.eval(&args[0], row, group)?;
            // exists((a)-->(b)) is the pattern's own truth; exists(n.x) is "not null".
            return Ok(match &args[0] {
                Expr::Exists(_) => value,
                _ => Value::Bool(!value.is_null()),
            });
        }
        if lower == "coalesce" {
            for a in args {
                let v = self.eval(a, row, group)?;
                if !v.is_null() {
                    return Ok(v);
                }
            }
            return Ok(Value::Null);
        }
        if let Some(v) = self.string_function(&lower, name, args, pos, row, group)? {
            return Ok(v);
        }
        arity(1)?;
        let arg = self.eval(&args[0], row, group)?;
        if arg.is_null() {
            return Ok(Value::Null);
        }
        let wrong = || QueryError::at(pos, format!("{name}() does not take {}", arg.type_name()));
        Ok(match (lower.as_str(), &arg) {
            ("type", Value::Rel(r)) => Value::Str(
                self.store
                    .type_name(self.relation(*r)?.relation.rtype)
                    .to_string(),
            ),
            ("labels", Value::Node(n)) => {
                Value::List(vec![Value::Str(self.entity_kind(*n).to_string())])
            }
            ("id", Value::Node(n)) => Value::Int(i64::from(n.0)),
            ("id", Value::Rel(r)) => Value::Int(i64::from(r.0)),
            ("length", Value::Path(p)) => Value::Int(p.rels.len() as i64),
            ("length" | "size", Value::List(items)) => Value::Int(items.len() as i64),
            ("length" | "size", Value::Str(s)) => Value::Int(s.chars().count() as i64),
            ("nodes", Value::Path(p)) => {
                Value::List(p.nodes.iter().map(|n| Value::Node(*n)).collect())
            }
            ("relationships" | "rels", Value::Path(p)) => {
                Value::List(p.rels.iter().map(|r| Value::Rel(*r)).collect())
            }
            ("startnode", Value::Rel(r)) => Value::Node(self.relation(*r)?.from),
            ("endnode", Value::Rel(r)) => Value::Node(self.relation(*r)?.to),
            ("tolower", Value::Str(s)) => Value::Str(s.to_lowercase()),
            ("toupper", Value::Str(s)) => Value::Str(s.to_uppercase()),
            ("trim", Value::Str(s)) => Value::Str(s.trim().to_string()),
            ("tostring", Value::Str(_)) => arg.clone(),
            ("tostring", Value::Int(i)) => Value::Str(i.to_string()),
            ("tostring", Value::Float(f)) => Value::Str(float_text(*f)),
            ("tostring", Value::Bool(b)) => Value::Str(b.to_string()),
            ("tostring", Value::Date(d)) => Value::Str(d.to_string()),
            ("tointeger", Value::Int(_)) => arg.clone(),
            ("tointeger", Value::Float(f)) => Value::Int(f.trunc() as i64),
            ("tointeger", Value::Str(s)) => match s.trim().parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && f.abs() < 9.2e18)
                    .map_or(Value::Null, |f| Value::Int(f.trunc() as i64)),
            },
            ("tofloat", Value::Int(i)) => Value::Float(*i as f64),
            ("tofloat", Value::Float(_)) => arg.clone(),
            ("tofloat", Value::Str(s)) => s.trim().parse::<f64>().map_or(Value::Null, Value::Float),
            ("abs", Value::Int(i)) => Value::Int(
                i.checked_abs()
                    .ok_or_else(|| QueryError::at(pos, "integer overflow"))?,
            ),
            ("abs", Value::Float(f)) => Value::Float(f.abs()),
            ("round", Value::Float(f)) => Value::Float(f.round()),
            ("floor", Value::Float(f)) => Value::Float(f.floor()),
            ("ceil", Value::Float(f)) => Value::Float(f.ceil()),
            ("round" | "floor" | "ceil", Value::Int(i)) => Value::Float(*i as f64),
            ("head", Value::List(items)) => items.first().cloned().unwrap_or(Value::Null),
            ("last", Value::List(items)) => items.last().cloned().unwrap_or(Value::Null),
            ("tail", Value::List(items)) => Value::List(items.iter().skip(1).cloned().collect()),
            ("reverse", Value::List(items)) => Value::List(items.iter().rev().cloned().collect()),
            ("reverse", Value::Str(s)) => Value::Str(s.chars().rev().collect()),
            ("keys", Value::Node(_) | Value::Rel(_)) => Value::List(
                self.properties_of(&arg)
                    .into_iter()
                    .map(|(k, _)| Value::Str(k))
                    .collect(),
            ),
            ("date", Value::Str(s)) => {
                let span = TimeSpan::parse(s)
                    .map_err(|e| QueryError::at(pos, format!("date('{s}'): {e}")))?;
                if span.is_undated() {
                    return Err(QueryError::at(pos, "date('') needs a date"));
                }
                Value::Date(span)
            }
            ("date", Value::Date(_)) => arg.clone(),
            (
                "type" | "labels" | "id" | "length" | "size" | "nodes" | "relationships" | "rels"
                | "startnode" | "endnode" | "tolower" | "toupper" | "trim" | "tostring"
                | "tointeger" | "tofloat" | "abs" | "date" | "round" | "floor" | "ceil" | "head"
                | "last" | "tail" | "reverse" | "keys",
                _,
            ) => return Err(wrong()),
            _ => {
                return Err(QueryError::at(
                    pos,
                    format!("function {name}() is not supported"),
                ));
            }
        })
    }

    /// The string functions of several arguments: `substring`, `replace`, `split`,
    /// `left`, `right` (`None` for any other function).
    fn string_function(
        &self,
        lower: &str,
        name: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&Aggregated>,
    ) -> Result<Option<Value>, QueryError> {
        let arity = match lower {
            "substring" => 2..=3,
            "replace" => 3..=3,
            "split" | "left" | "right" => 2..=2,
            _ => return Ok(None),
        };
        if !arity.contains(&args.len()) {
            return Err(QueryError::at(
                pos,
                format!("{name}() takes {} arguments", arity.end()),
            ));
        }
        let values = args
            .iter()
            .map(|a| self.eval(a, row, group))
            .collect::<Result<Vec<_>, _>>()?;
        if values.iter().any(Value::is_null) {
            return Ok(Some(Value::Null));
        }
        let text = |i: usize| match &values[i] {
            Value::Str(s) => Ok(s.as_str()),
            other => Err(QueryError::at(
                pos,
                format!("{name}() needs a string, not {}", other.type_name()),
            )),
        };
        let count = |i: usize| match &values[i] {
            Value::Int(n) if *n >= 0 => Ok(*n as usize),
            other => Err(QueryError::at(
                pos,
                format!(
                    "{name}() needs a non-negative integer, not {}",
                    other.type_name()
                ),
            )),
        };
        let chars: Vec<char> = text(0)?.chars().collect();
        Ok(Some(match lower {
            "substring" => {
                let start = count(1)?.min(chars.len());
                let len = if values.len() == 3 {
                    count(2)?
                } else {
                    usize::MAX
                };
                Value::Str(chars[start..].iter().take(len).collect())
            }
            "replace" => Value::Str(text(0)?.replace(text(1)?, text(2)?)),
            "split" if text(1)?.is_empty() => {
                Value::List(chars.iter().map(|c| Value::Str(c.to_string())).collect())
            }
            "split" => Value::List(
                text(0)?
                    .split(text(1)?)
                    .map(|p| Value::Str(p.to_string()))
                    .collect(),
            ),
            "left" => Value::Str(chars.iter().take(count(1)?).collect()),
            _ => {
                let n = count(1)?.min(chars.len());
                Value::Str(chars[chars.len() - n..].iter().collect())
            }
        }))
    }

    /// A node's or relationship's own properties (not name, kind, date and the like).
    fn properties_of(&self, v: &Value) -> Vec<(String, Value)> {
        match v {
            Value::Node(id) => self.store.entity(*id).map_or(Vec::new(), |e| {
                e.properties
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::of_property(v)))
                    .collect()
            }),
            Value::Rel(id) => self.store.relation(*id).map_or(Vec::new(), |r| {
                r.relation
                    .properties
                    .iter()
                    .map(|(k, v)| {
                        (
                            self.store.text(*k).to_string(),
                            Value::of_property(self.store.text(*v)),
                        )
                    })
                    .collect()
            }),
            _ => Vec::new(),
        }
    }

    /// A pattern predicate: whether the chain matches with the row's bindings.
    fn exists(&self, chain: &Chain, row: &Row) -> Result<bool, QueryError> {
        let pattern = Pattern {
            path_var: None,
            search: PathSearch::All,
            chain: chain.clone(),
            pos: Pos::default(),
        };
        // Plan against a copy of the slots that binds nothing new.
        let mut slots = Slots {
            names: self.slots.names.clone(),
            index: self.slots.index.clone(),
            kinds: self.slots.kinds.clone(),
        };
        let pp = PatternPlan::new(self.store, &pattern, None, &mut slots)?;
        let mut row = row.clone();
        row.resize(slots.names.len(), Value::Null);
        let ev = Evaluator {
            store: self.store,
            params: self.params,
            slots: &slots,
        };
        // The first match answers: the search stops there.
        let mut found = false;
        let mut sink = |_: Row, _: Vec<RelationId>| {
            found = true;
            Err(QueryError::new(FOUND))
        };
        match ev.match_pattern(&pattern, &pp, &row, &[], &mut sink) {
            Err(e) if e.message == FOUND && found => Ok(true),
            Err(e) => Err(e),
            Ok(()) => Ok(false),
        }
    }

    fn relation(&self, id: RelationId) -> Result<RelationRef<'a>, QueryError> {
        self.store
            .relation(id)
            .ok_or_else(|| QueryError::new(format!("relation {id} does not exist")))
    }

    fn entity_kind(&self, id: EntityId) -> &'static str {
        self.store.entity(id).map_or("other", |e| e.kind.as_str())
    }

    fn node_property(&self, id: EntityId, key: &str) -> Value {
        let Some(e) = self.store.entity(id) else {
            return Value::Null;
        };
        match key {
            "name" => Value::Str(e.name.clone()),
            "kind" => Value::Str(e.kind.as_str().to_string()),
            "aliases" => Value::List(e.aliases.iter().map(|a| Value::Str(a.clone())).collect()),
            _ => e.property(key).map_or(Value::Null, Value::of_property),
        }
    }

    fn rel_property(&self, id: RelationId, key: &str) -> Value {
        let Some(r) = self.store.relation(id) else {
            return Value::Null;
        };
        let rel = r.relation;
        let text = |s: Option<crate::model::Sym>| {
            s.map_or(Value::Null, |s| Value::Str(self.store.text(s).to_string()))
        };
        match key {
            "type" => Value::Str(self.store.type_name(rel.rtype).to_string()),
            "date" => {
                if rel.when.is_undated() {
                    Value::Null
                } else {
                    Value::Date(rel.when)
                }
            }
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
        }
    }

    // ----- RETURN -----

    /// The items `RETURN` projects (`*`: every named variable), checked.
    fn return_items(&self, ret: &Return) -> Result<Vec<ReturnItem>, QueryError> {
        let items: Vec<ReturnItem> = if ret.star {
            let named: Vec<ReturnItem> = self
                .slots
                .names
                .iter()
                .zip(&self.slots.kinds)
                .filter(|(n, k)| !n.starts_with(' ') && **k != VarKind::Local)
                .map(|(n, _)| ReturnItem {
                    expr: Expr::Var(n.clone(), Pos::default()),
                    name: n.clone(),
                })
                .collect();
            if named.is_empty() {
                return Err(QueryError::new(
                    "RETURN * needs at least one named variable",
                ));
            }
            named
        } else {
            ret.items.clone()
        };
        for item in &items {
            self.check_names(&item.expr, true, usize::MAX)?;
        }
        for (i, item) in items.iter().enumerate() {
            if items[..i].iter().any(|other| other.name == item.name) {
                return Err(QueryError::new(format!(
                    "two columns are named '{}': give one of them another name with AS",
                    item.name
                )));
            }
        }
        Ok(items)
    }
}

/// The value bound to a relationship variable: the relation, or for a
/// variable-length relationship the list of them, in the pattern's order.
fn rel_value(rel: &RelPattern, trail: &[(RelationId, EntityId)], rightwards: bool) -> Value {
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

fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

fn truth_of(v: &Value) -> Result<Option<bool>, QueryError> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(QueryError::new(format!(
            "expected a boolean, found {}",
            other.type_name()
        ))),
    }
}

fn tri(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

/// Whether `name` can be written as a variable without backticks.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn is_aggregate(name: &str) -> bool {
    AGGREGATES.contains(&name.to_ascii_lowercase().as_str())
}

pub fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

fn arith(op: Arith, a: Value, b: Value) -> Result<Value, QueryError> {
    let overflow = || QueryError::new("integer overflow");
    Ok(match (op, a, b) {
        (_, Value::Null, _) | (_, _, Value::Null) => Value::Null,
        (Arith::Add, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_add(y).ok_or_else(overflow)?)
        }
        (Arith::Sub, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_sub(y).ok_or_else(overflow)?)
        }
        (Arith::Mul, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_mul(y).ok_or_else(overflow)?)
        }
        (Arith::Div | Arith::Mod, Value::Int(_), Value::Int(0)) => {
            return Err(QueryError::new("division by zero"));
        }
        (Arith::Div, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_div(y).ok_or_else(overflow)?)
        }
        (Arith::Mod, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_rem(y).ok_or_else(overflow)?)
        }
        (op, a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => {
            let (x, y) = (a.number().unwrap_or(0.0), b.number().unwrap_or(0.0));
            Value::Float(match op {
                Arith::Add => x + y,
                Arith::Sub => x - y,
                Arith::Mul => x * y,
                Arith::Div => x / y,
                Arith::Mod => x % y,
            })
        }
        (Arith::Add, Value::Str(x), Value::Str(y)) => Value::Str(x + &y),
        (Arith::Add, Value::Str(x), y @ (Value::Int(_) | Value::Float(_))) => {
            Value::Str(x + &text_of_number(&y))
        }
        (Arith::Add, x @ (Value::Int(_) | Value::Float(_)), Value::Str(y)) => {
            Value::Str(text_of_number(&x) + &y)
        }
        (Arith::Add, Value::List(mut x), Value::List(y)) => {
            x.extend(y);
            Value::List(x)
        }
        (Arith::Add, Value::List(mut x), y) => {
            x.push(y);
            Value::List(x)
        }
        (op, a, b) => {
            return Err(QueryError::new(format!(
                "cannot apply {op:?} to {} and {}",
                a.type_name(),
                b.type_name()
            )));
        }
    })
}

fn text_of_number(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        _ => String::new(),
    }
}
