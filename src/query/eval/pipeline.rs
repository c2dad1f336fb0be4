//! How rows flow through a query. Each row a clause makes goes straight on to the next
//! clause, and through a `WITH` that needs no other row (no grouping, `DISTINCT`,
//! `ORDER BY`, `SKIP` or `LIMIT`) into the next stage, so a query piped by such `WITH`s
//! holds no more rows than the same question written as one `MATCH`. A projection that
//! needs all its rows collects them (as `RETURN` always does) and, once the stages
//! before it are done, passes its rows on.

use super::expr::truth;
use super::project::{Projector, Table};
use super::{Evaluator, Row};
use crate::query::context::Context;
use crate::query::error::QueryError;
use crate::query::plan::{ClausePlan, StagePlan};
use crate::query::value::{Params, Value};
use crate::store::Store;

/// How many rows each clause of each stage made, and (last) how many its projection
/// passed on: what `--explain` reports.
pub(crate) type Counts = Vec<Vec<usize>>;

/// Runs the stages of one single query and returns what its `RETURN` gives.
pub(crate) fn run_stages(
    store: &Store,
    params: &Params,
    plans: &[StagePlan],
    context: &Context,
) -> Result<(Table, Counts), QueryError> {
    let evaluators: Vec<Evaluator> = plans
        .iter()
        .map(|plan| Evaluator {
            store,
            params,
            slots: &plan.slots,
            predicates: &plan.predicates,
            context,
        })
        .collect();
    let mut state = State {
        projectors: plans
            .iter()
            .zip(&evaluators)
            .map(|(plan, ev)| Projector::new(ev, &plan.ret, &plan.aggregates).map(Some))
            .collect::<Result<_, _>>()?,
        counts: plans.iter().map(|p| vec![0; p.clauses.len() + 1]).collect(),
    };
    let flow = Flow {
        evaluators: &evaluators,
        plans,
    };
    let mut input = vec![vec![Value::Null; plans[0].slots.names.len()]];
    let mut start = 0;
    loop {
        // The rows go through the streaming stages up to the first that collects.
        let end = (start..plans.len())
            .find(|&s| s + 1 == plans.len() || !plans[s].streams())
            .unwrap_or(plans.len() - 1);
        for row in input {
            flow.feed(&mut state, start, 0, row)?;
        }
        let table = match state.projectors[end].take() {
            Some(projector) => projector.finish()?,
            None => return Err(QueryError::new("a stage ran twice")),
        };
        if end + 1 == plans.len() {
            if let Some(count) = state.counts[end].last_mut() {
                *count = table.rows.len();
            }
            return Ok((table, state.counts));
        }
        input = Vec::new();
        for values in table.rows {
            if let Some(row) = flow.enter(end + 1, values)? {
                input.push(row);
            }
        }
        if let Some(count) = state.counts[end].last_mut() {
            *count = input.len();
        }
        start = end + 1;
    }
}

/// What the run changes as rows flow: the projections that collect, and the counts.
struct State<'e, 'q> {
    projectors: Vec<Option<Projector<'e, 'q>>>,
    counts: Counts,
}

/// What the run reads: an evaluator and a plan per stage.
struct Flow<'r, 'e, 'q> {
    evaluators: &'r [Evaluator<'e>],
    plans: &'r [StagePlan<'q>],
}

impl Flow<'_, '_, '_> {
    /// Takes `row` into clause `c` of stage `s` (the projection when `c` is past the
    /// clauses), and everything it leads to downstream.
    fn feed(&self, state: &mut State, s: usize, c: usize, row: Row) -> Result<(), QueryError> {
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
                ev.match_clause(m, mp, filter.as_ref(), &row, &mut |out| {
                    found = true;
                    state.counts[s][c] += 1;
                    self.feed(state, s, c + 1, out)
                })?;
                if m.optional && !found {
                    // Its variables stay null.
                    state.counts[s][c] += 1;
                    self.feed(state, s, c + 1, row)?;
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
                    self.feed(state, s, c + 1, row)?;
                }
            }
        }
        Ok(())
    }

    /// Stage `s`'s projection of `row`: collected, or (a `WITH` that streams) passed
    /// straight into the next stage.
    fn project(&self, state: &mut State, s: usize, row: Row) -> Result<(), QueryError> {
        let (ev, plan) = (&self.evaluators[s], &self.plans[s]);
        if s + 1 < self.plans.len() && plan.streams() {
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
                self.feed(state, s + 1, 0, next)?;
            }
            return Ok(());
        }
        match state.projectors[s].as_mut() {
            Some(projector) => projector.accept(row),
            None => Err(QueryError::new("a stage ran twice")),
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
