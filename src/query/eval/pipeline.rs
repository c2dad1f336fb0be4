//! How rows flow through a query. Each row a clause makes goes straight on to the next
//! clause, and through a `WITH` that needs no other row (no grouping, `DISTINCT`,
//! `ORDER BY`, `SKIP` or `LIMIT`) into the next stage, so a query piped by such `WITH`s
//! holds no more rows than the same question written as one `MATCH`.
//!
//! Two things stop the flow. A projection that needs all its rows collects them (as
//! `RETURN` always does) and passes them on once the clauses before it are done. A
//! clause that changes the graph takes all the rows before it too (so no read sees a
//! half-made change), changes the graph for each, and the query is planned again
//! against the changed graph (a type or kind it made is known from then on) before the
//! rows go on.

use super::expr::truth;
use super::project::{Projector, Table};
use super::update;
use super::{Evaluator, Flow, Row, go_on};
use crate::query::changes::Changes;
use crate::query::context::Context;
use crate::query::error::QueryError;
use crate::query::plan::{ClausePlan, Plan, StagePlan};
use crate::query::value::{Params, Value};
use crate::store::Store;
use std::collections::HashSet;

/// How many rows each clause of each stage made, and (last) how many its projection
/// passed on: what `--explain` reports.
pub(crate) type Counts = Vec<Vec<usize>>;

/// The store a run reads, or the store it may change and what it changed.
pub(crate) enum Target<'s> {
    Read(&'s Store),
    Write(&'s mut Store, Changes),
}

impl Target<'_> {
    pub(crate) fn store(&self) -> &Store {
        match self {
            Target::Read(store) => store,
            Target::Write(store, _) => store,
        }
    }
}

/// Where the rows of a part of the run stop: an updating clause (stage, clause), or a
/// projection that collects (stage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Barrier {
    Update(usize, usize),
    Projection(usize),
}

/// Rows that start at clause `at.1` of stage `at.0`; `enter`: they are the previous
/// stage's projected values, which go through its `WITH ... WHERE` first.
struct Input {
    at: (usize, usize),
    rows: Vec<Row>,
    enter: bool,
}

/// Runs the stages of single query `part` of `plan` and returns what its `RETURN`
/// gives (no columns and no rows for a query that only writes; the last count says how
/// many rows its last stage gave). `imports`: the values its first row begins with (a
/// subquery's variables from the query around it).
pub(crate) fn run_stages(
    target: &mut Target,
    params: &Params,
    plan: &Plan,
    part: usize,
    context: &Context,
    imports: Vec<Value>,
) -> Result<(Table, Counts), QueryError> {
    let mut replanned: Option<Plan> = None;
    let first = &plan.unions[part];
    let mut counts: Counts = first.iter().map(|p| vec![0; p.clauses.len() + 1]).collect();
    let mut row = imports;
    row.resize(first[0].slots.names.len(), Value::Null);
    let mut input = Input {
        at: (0, 0),
        rows: vec![row],
        enter: false,
    };
    loop {
        let stages = &replanned.as_ref().unwrap_or(plan).unions[part];
        let barrier = barrier_from(stages, input.at);
        let (table, rows) = run_segment(
            target.store(),
            params,
            stages,
            context,
            input,
            barrier,
            &mut counts,
        )?;
        match barrier {
            Barrier::Projection(s) if s + 1 == stages.len() => {
                let table = table.unwrap_or_else(|| Table {
                    columns: Vec::new(),
                    rows: Vec::new(),
                });
                if let Some(count) = counts[s].last_mut() {
                    *count = table.rows.len();
                }
                if plan.query.unions[part].returns {
                    return Ok((table, counts));
                }
                let empty = Table {
                    columns: Vec::new(),
                    rows: Vec::new(),
                };
                return Ok((empty, counts));
            }
            Barrier::Projection(s) => {
                let rows = table.map(|t| t.rows).unwrap_or_default();
                input = Input {
                    at: (s + 1, 0),
                    rows,
                    enter: true,
                };
            }
            Barrier::Update(s, c) => {
                let Target::Write(store, changes) = target else {
                    let clause = &plan.query.unions[part].stages[s].clauses[c];
                    return Err(QueryError::new(format!(
                        "{} changes the graph, and this run only reads",
                        clause.keyword()
                    )));
                };
                let rows = update::apply(store, params, &stages[s], c, rows, context, changes)?;
                counts[s][c] += rows.len();
                // Scores of graph functions measured before the change are stale.
                context.measured.borrow_mut().clear();
                replanned = Some(Plan::new(store, &plan.query)?);
                input = Input {
                    at: (s, c + 1),
                    rows,
                    enter: false,
                };
            }
        }
    }
}

/// The first barrier at or after clause `at.1` of stage `at.0`.
fn barrier_from(stages: &[StagePlan], at: (usize, usize)) -> Barrier {
    for (s, stage) in stages.iter().enumerate().skip(at.0) {
        let from = if s == at.0 { at.1 } else { 0 };
        for (c, clause) in stage.clauses.iter().enumerate().skip(from) {
            if matches!(clause, ClausePlan::Update { .. }) {
                return Barrier::Update(s, c);
            }
        }
        if s + 1 == stages.len() || !stage.streams() {
            return Barrier::Projection(s);
        }
    }
    Barrier::Projection(stages.len() - 1)
}

/// Runs `input` through the stages up to `barrier` on `store`: the table of the
/// projection there, or the rows that reached the updating clause there.
#[allow(clippy::type_complexity)]
fn run_segment(
    store: &Store,
    params: &Params,
    stages: &[StagePlan],
    context: &Context,
    input: Input,
    barrier: Barrier,
    counts: &mut Counts,
) -> Result<(Option<Table>, Vec<Row>), QueryError> {
    let evaluators: Vec<Evaluator> = stages
        .iter()
        .map(|plan| Evaluator {
            store,
            params,
            slots: &plan.slots,
            predicates: &plan.predicates,
            subqueries: &plan.subqueries,
            context,
        })
        .collect();
    let projector = match barrier {
        Barrier::Projection(s) => Some(Projector::new(
            &evaluators[s],
            &stages[s].ret,
            &stages[s].aggregates,
        )?),
        Barrier::Update(..) => None,
    };
    let pipe = Pipe {
        evaluators: &evaluators,
        plans: stages,
        barrier,
    };
    let mut state = State {
        projector,
        collected: Vec::new(),
        counts,
    };
    let (s, c) = input.at;
    for row in input.rows {
        let row = if input.enter {
            match pipe.enter(s, row)? {
                Some(row) => {
                    if let Some(count) = s.checked_sub(1).and_then(|p| state.counts[p].last_mut()) {
                        *count += 1;
                    }
                    row
                }
                None => continue,
            }
        } else {
            row
        };
        if pipe.feed(&mut state, s, c, row)?.is_break() {
            // The projection has all the rows it keeps (a LIMIT without sorting).
            break;
        }
    }
    let table = match state.projector {
        Some(projector) => Some(projector.finish()?),
        None => None,
    };
    Ok((table, state.collected))
}

/// What a part of the run changes as rows flow: the projection at its barrier, the
/// rows that reached an updating clause, the counts.
struct State<'e, 'q, 'c> {
    projector: Option<Projector<'e, 'q>>,
    collected: Vec<Row>,
    counts: &'c mut Counts,
}

/// What a part of the run reads: an evaluator and a plan per stage, and where it stops.
struct Pipe<'r, 'e> {
    evaluators: &'r [Evaluator<'e>],
    plans: &'r [StagePlan],
    barrier: Barrier,
}

impl Pipe<'_, '_> {
    /// Takes `row` into clause `c` of stage `s` (the projection when `c` is past the
    /// clauses), and everything it leads to downstream; breaks once the projection
    /// at the barrier needs no more rows.
    fn feed(&self, state: &mut State, s: usize, c: usize, row: Row) -> Result<Flow, QueryError> {
        if self.barrier == Barrier::Update(s, c) {
            state.collected.push(row);
            return Ok(Flow::Continue(()));
        }
        let (ev, plan) = (&self.evaluators[s], &self.plans[s]);
        let Some(clause) = plan.clauses.get(c) else {
            return self.project(state, s, row);
        };
        match clause {
            ClausePlan::Match { plan: mp, filter } => {
                let crate::query::ast::Clause::Match(m) = &plan.stage.clauses[c] else {
                    return Err(QueryError::new("a clause planned as MATCH is not one"));
                };
                let mut found = false;
                go_on!(ev.match_clause(m, mp, filter.as_ref(), &row, &mut |out| {
                    found = true;
                    state.counts[s][c] += 1;
                    self.feed(state, s, c + 1, out)
                }));
                if m.optional && !found {
                    // Its variables stay null.
                    state.counts[s][c] += 1;
                    return self.feed(state, s, c + 1, row);
                }
            }
            ClausePlan::Unwind { list, slot } => {
                let items = match ev.eval(list, &row, None)? {
                    Value::Null => Vec::new(),
                    Value::List(items) => items,
                    one => vec![one],
                };
                for item in items {
                    ev.context.check()?;
                    let mut row = row.clone();
                    row[*slot] = item;
                    state.counts[s][c] += 1;
                    go_on!(self.feed(state, s, c + 1, row));
                }
            }
            ClausePlan::Update { .. } => {
                return Err(QueryError::new(
                    "an updating clause was reached past its barrier",
                ));
            }
        }
        Ok(Flow::Continue(()))
    }

    /// Stage `s`'s projection of `row`: collected, or (a `WITH` that streams) passed
    /// straight into the next stage.
    fn project(&self, state: &mut State, s: usize, row: Row) -> Result<Flow, QueryError> {
        let (ev, plan) = (&self.evaluators[s], &self.plans[s]);
        if self.barrier != Barrier::Projection(s) {
            ev.context.check()?;
            let values = plan
                .ret
                .items
                .iter()
                .map(|item| ev.eval(&item.expr, &row, None))
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(next) = self.enter(s + 1, values)? {
                if let Some(count) = state.counts[s].last_mut() {
                    *count += 1;
                }
                return self.feed(state, s + 1, 0, next);
            }
            return Ok(Flow::Continue(()));
        }
        match state.projector.as_mut() {
            Some(projector) => {
                projector.accept(row)?;
                Ok(if projector.has_enough() {
                    Flow::Break(())
                } else {
                    Flow::Continue(())
                })
            }
            None => Err(QueryError::new("a projection without its projector")),
        }
    }

    /// The row of stage `s` that the previous stage's projected `values` begin, if it
    /// passes that `WITH`'s `WHERE`.
    fn enter(&self, s: usize, mut values: Vec<Value>) -> Result<Option<Row>, QueryError> {
        let (ev, plan) = (&self.evaluators[s], &self.plans[s]);
        values.resize(plan.slots.names.len(), Value::Null);
        if let Some(filter) = &plan.entry_filter
            && truth(&ev.eval(filter, &values, None)?) != Some(true)
        {
            return Ok(None);
        }
        Ok(Some(values))
    }
}

impl Evaluator<'_> {
    /// Subquery `id` (`EXISTS { }`, `COUNT { }`) for `row`: run with the variables it
    /// imports, whether it gives a row (it stops at the first part that does), or how
    /// many (a `UNION` counted without duplicates).
    pub(crate) fn subquery(&self, id: usize, row: &Row) -> Result<Value, QueryError> {
        let subquery = self
            .subqueries
            .get(id)
            .ok_or_else(|| QueryError::new("a subquery that was not planned"))?;
        let imports: Vec<Value> = subquery
            .imports
            .iter()
            .map(|&s| row.get(s).cloned().unwrap_or(Value::Null))
            .collect();
        let plan = &subquery.plan;
        let distinct = plan.unions.len() > 1 && !plan.query.union_all;
        let mut seen = HashSet::new();
        let mut rows = 0;
        let mut target = Target::Read(self.store);
        for part in 0..plan.unions.len() {
            let (table, counts) = run_stages(
                &mut target,
                self.params,
                plan,
                part,
                self.context,
                imports.clone(),
            )?;
            if !plan.query.unions[part].returns {
                // No RETURN: the rows its last stage gave.
                rows += counts.last().and_then(|c| c.last()).copied().unwrap_or(0);
            } else if distinct {
                for values in table.rows {
                    let mut key = String::new();
                    for v in &values {
                        v.group_key(&mut key);
                        key.push('\u{1}');
                    }
                    rows += usize::from(seen.insert(key));
                }
            } else {
                rows += table.rows.len();
            }
            if !subquery.count && rows > 0 {
                break;
            }
        }
        Ok(if subquery.count {
            Value::Int(rows as i64)
        } else {
            Value::Bool(rows > 0)
        })
    }
}
