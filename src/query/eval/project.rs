//! `RETURN`: rows arrive one at a time from the last `MATCH` and are projected as they
//! come. With aggregates, each group keeps its key values, its first row and one
//! accumulator per aggregate call, never its rows, so `count(*)` over millions of
//! matches holds one number. Then `DISTINCT`, `ORDER BY`, `SKIP` and `LIMIT`.

use std::collections::{HashMap, HashSet};

use super::expr::arith;
use super::{Evaluator, Row};
use crate::query::ast::{Arith, Expr, Return, ReturnItem};
use crate::query::error::QueryError;
use crate::query::value::Value;

/// What a query returns: the column names and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// One aggregate call's running state.
struct Accumulator<'q> {
    function: String,
    distinct: bool,
    star: bool,
    argument: Option<&'q Expr>,
    seen: HashSet<String>,
    count: i64,
    values: Vec<Value>,
    best: Option<Value>,
    sum: Value,
    float_sum: f64,
}

impl<'q> Accumulator<'q> {
    fn new(call: &'q Expr) -> Result<Accumulator<'q>, QueryError> {
        let Expr::Call {
            name,
            distinct,
            star,
            args,
            pos,
        } = call
        else {
            return Err(QueryError::new("not an aggregate call"));
        };
        let function = name.to_ascii_lowercase();
        if *star && function != "count" {
            return Err(QueryError::at(
                *pos,
                format!("{name}(*) is not a function; count(*) is"),
            ));
        }
        if !*star && args.len() != 1 {
            return Err(QueryError::at(*pos, format!("{name}() takes one argument")));
        }
        if args.iter().any(Expr::has_aggregate) {
            return Err(QueryError::at(*pos, "aggregates cannot be nested"));
        }
        Ok(Accumulator {
            function,
            distinct: *distinct,
            star: *star,
            argument: args.first(),
            seen: HashSet::new(),
            count: 0,
            values: Vec::new(),
            best: None,
            sum: Value::Int(0),
            float_sum: 0.0,
        })
    }

    fn add(&mut self, ev: &Evaluator, row: &Row) -> Result<(), QueryError> {
        let Some(argument) = self.argument.filter(|_| !self.star) else {
            self.count += 1;
            return Ok(());
        };
        let v = ev.eval(argument, row, None)?;
        if v.is_null() {
            return Ok(());
        }
        if self.distinct {
            let mut key = String::new();
            v.group_key(&mut key);
            if !self.seen.insert(key) {
                return Ok(());
            }
        }
        self.count += 1;
        match self.function.as_str() {
            "collect" => self.values.push(v),
            "min" | "max" => {
                let better = match &self.best {
                    None => true,
                    Some(best) => {
                        let order = v.sort_cmp(best);
                        if self.function == "min" {
                            order.is_lt()
                        } else {
                            order.is_gt()
                        }
                    }
                };
                if better {
                    self.best = Some(v);
                }
            }
            "sum" => {
                if v.number().is_none() {
                    return Err(QueryError::new(format!("sum() of {}", v.type_name())));
                }
                self.sum = arith(Arith::Add, std::mem::replace(&mut self.sum, Value::Null), v)?;
            }
            "avg" => {
                self.float_sum += v
                    .number()
                    .ok_or_else(|| QueryError::new(format!("avg() of {}", v.type_name())))?;
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Value {
        match self.function.as_str() {
            "count" => Value::Int(self.count),
            "collect" => Value::List(self.values),
            "min" | "max" => self.best.unwrap_or(Value::Null),
            "sum" => self.sum,
            _ if self.count == 0 => Value::Null,
            _ => Value::Float(self.float_sum / self.count as f64),
        }
    }
}

struct Group<'q> {
    /// The group's first row: the items without aggregates are the same on all.
    first: Row,
    accumulators: Vec<Accumulator<'q>>,
}

/// A `RETURN` clause being fed rows.
pub(crate) struct Projector<'e, 'q> {
    ev: &'e Evaluator<'e>,
    ret: &'q Return,
    items: &'q [ReturnItem],
    /// For each `ORDER BY` key: the column it sorts by, if it is one.
    order_columns: Vec<Option<usize>>,
    aggregating: bool,
    /// The aggregate calls, by id.
    calls: &'q [Expr],
    groups: Vec<Group<'q>>,
    group_index: HashMap<String, usize>,
    /// Without aggregates: each row's values and its sort keys that are not columns.
    projected: Vec<(Vec<Value>, Vec<Value>)>,
    /// How many rows make the answer when it needs no more (a `LIMIT` without grouping,
    /// `DISTINCT` or `ORDER BY`: `SKIP` + `LIMIT`).
    enough: Option<usize>,
}

impl<'e, 'q> Projector<'e, 'q> {
    /// The projection of a planned `RETURN` (its aggregates numbered, the calls in
    /// `calls`): its items, grouped, deduplicated, ordered and cut as it says.
    pub(crate) fn new(
        ev: &'e Evaluator<'e>,
        ret: &'q Return,
        calls: &'q [Expr],
    ) -> Result<Projector<'e, 'q>, QueryError> {
        let items = &ret.items[..];
        let aggregating = !calls.is_empty();
        // Check the calls now, so that an empty result still reports a bad one.
        for call in calls {
            Accumulator::new(call)?;
        }
        let mut order_columns = Vec::new();
        for (expr, written, _) in &ret.order {
            let column = items
                .iter()
                .position(|i| &i.name == written)
                .or_else(|| match expr {
                    Expr::Var(v, _) => items.iter().position(|i| &i.name == v),
                    _ => None,
                });
            order_columns.push(column);
        }
        let mut projector = Projector {
            ev,
            ret,
            items,
            order_columns,
            aggregating,
            calls,
            groups: Vec::new(),
            group_index: HashMap::new(),
            projected: Vec::new(),
            enough: None,
        };
        if !aggregating && !ret.distinct && ret.order.is_empty() && ret.limit.is_some() {
            // A SKIP or LIMIT that is no count is reported by `finish`.
            if let (Ok(skip), Ok(Some(limit))) = (projector.skip(), projector.limit()) {
                projector.enough = Some(skip.saturating_add(limit));
            }
        }
        Ok(projector)
    }

    /// Whether the projection has every row it will keep: the rows after need not be
    /// found.
    pub(crate) fn has_enough(&self) -> bool {
        self.enough.is_some_and(|n| self.projected.len() >= n)
    }

    /// The value of `SKIP` (0 without one).
    fn skip(&self) -> Result<usize, QueryError> {
        Ok(self.count(&self.ret.skip, "SKIP")?.unwrap_or(0))
    }

    /// The value of `LIMIT`, if it has one.
    fn limit(&self) -> Result<Option<usize>, QueryError> {
        self.count(&self.ret.limit, "LIMIT")
    }

    /// The count `e` gives (`what` names it in the error), evaluated once for all rows.
    fn count(&self, e: &Option<Expr>, what: &str) -> Result<Option<usize>, QueryError> {
        let empty = vec![Value::Null; self.ev.slots.names.len()];
        match e {
            None => Ok(None),
            Some(e) => self
                .ev
                .eval(e, &empty, None)?
                .as_count()
                .map(Some)
                .map_err(|problem| QueryError::new(format!("{what} {problem}"))),
        }
    }

    /// Takes one row of the last `MATCH`.
    pub(crate) fn accept(&mut self, row: Row) -> Result<(), QueryError> {
        self.ev.context.check()?;
        if !self.aggregating {
            let values = self
                .items
                .iter()
                .map(|i| self.ev.eval(&i.expr, &row, None))
                .collect::<Result<Vec<_>, _>>()?;
            let keys = self.sort_keys(row, &values, None)?;
            self.projected.push((values, keys));
            return Ok(());
        }
        let mut key = String::new();
        for item in self.items.iter().filter(|i| !i.expr.has_aggregate()) {
            self.ev.eval(&item.expr, &row, None)?.group_key(&mut key);
            key.push('\u{1}');
        }
        let g = match self.group_index.get(&key) {
            Some(&g) => g,
            None => {
                let accumulators = self
                    .calls
                    .iter()
                    .map(Accumulator::new)
                    .collect::<Result<Vec<_>, _>>()?;
                self.group_index.insert(key, self.groups.len());
                self.groups.push(Group {
                    first: row.clone(),
                    accumulators,
                });
                self.groups.len() - 1
            }
        };
        for accumulator in &mut self.groups[g].accumulators {
            accumulator.add(self.ev, &row)?;
        }
        Ok(())
    }

    /// The `ORDER BY` keys that are not returned columns, evaluated on `row` with the
    /// return items' aliases bound to their values (so `ORDER BY size(n)` sorts by the
    /// returned `n`).
    fn sort_keys(
        &self,
        mut row: Row,
        values: &[Value],
        computed: Option<&[Value]>,
    ) -> Result<Vec<Value>, QueryError> {
        if self.order_columns.iter().all(Option::is_some) {
            return Ok(Vec::new());
        }
        for (item, value) in self.items.iter().zip(values) {
            if let Some(&slot) = self.ev.slots.index.get(&item.name) {
                row[slot] = value.clone();
            }
        }
        let mut keys = Vec::new();
        for ((expr, _, _), column) in self.ret.order.iter().zip(&self.order_columns) {
            if column.is_none() {
                keys.push(self.ev.eval(expr, &row, computed)?);
            }
        }
        Ok(keys)
    }

    /// The table: groups evaluated, then DISTINCT, ORDER BY, SKIP and LIMIT.
    pub(crate) fn finish(mut self) -> Result<Table, QueryError> {
        let columns: Vec<String> = self.items.iter().map(|i| i.name.clone()).collect();
        let mut projected = std::mem::take(&mut self.projected);
        if self.aggregating {
            if self.groups.is_empty() && self.items.iter().all(|i| i.expr.has_aggregate()) {
                // Aggregates over no rows: one row (count 0, collect [], ...).
                let accumulators = self
                    .calls
                    .iter()
                    .map(Accumulator::new)
                    .collect::<Result<Vec<_>, _>>()?;
                self.groups.push(Group {
                    first: vec![Value::Null; self.ev.slots.names.len()],
                    accumulators,
                });
            }
            for group in std::mem::take(&mut self.groups) {
                let computed: Vec<Value> = group
                    .accumulators
                    .into_iter()
                    .map(Accumulator::finish)
                    .collect();
                let values = self
                    .items
                    .iter()
                    .map(|i| self.ev.eval(&i.expr, &group.first, Some(&computed)))
                    .collect::<Result<Vec<_>, _>>()?;
                let keys = self.sort_keys(group.first, &values, Some(&computed))?;
                projected.push((values, keys));
            }
        }
        if self.ret.distinct {
            let mut seen = HashSet::new();
            projected.retain(|(values, _)| {
                let mut key = String::new();
                for v in values {
                    v.group_key(&mut key);
                    key.push('\u{1}');
                }
                seen.insert(key)
            });
        }
        if !self.ret.order.is_empty() {
            let sort_keys = |(values, extra): &(Vec<Value>, Vec<Value>)| -> Vec<Value> {
                let mut extra = extra.iter();
                self.order_columns
                    .iter()
                    .map(|column| match column {
                        Some(c) => values[*c].clone(),
                        None => extra.next().cloned().unwrap_or(Value::Null),
                    })
                    .collect()
            };
            let mut keyed: Vec<(Vec<Value>, Vec<Value>)> = projected
                .into_iter()
                .map(|row| (sort_keys(&row), row.0))
                .collect();
            keyed.sort_by(|(a, _), (b, _)| {
                for ((x, y), (_, _, descending)) in a.iter().zip(b).zip(&self.ret.order) {
                    let o = x.sort_cmp(y);
                    let o = if *descending { o.reverse() } else { o };
                    if o.is_ne() {
                        return o;
                    }
                }
                std::cmp::Ordering::Equal
            });
            projected = keyed.into_iter().map(|(_, v)| (v, Vec::new())).collect();
        }
        let skip = self.skip()?;
        let limit = self.limit()?.unwrap_or(usize::MAX);
        let rows = projected
            .into_iter()
            .skip(skip)
            .take(limit)
            .map(|(v, _)| v)
            .collect();
        Ok(Table { columns, rows })
    }
}
