//! Planning: before any row is matched, each variable gets a slot in a row, each
//! pattern a starting point and a walk, each `WHERE` the variables it may see, and each
//! aggregate call of `RETURN` and each pattern predicate an id (a predicate is planned
//! here once, not per row). Errors in names, labels, types, functions and aggregates
//! are found here, so that a query over no rows still reports them.
//!
//! A pattern starts from its most selective node: a node already bound, then a node
//! whose name is given (by its property map or by `WHERE n.name = ...`, looked up in
//! the name index), then a node with a label (a scan of that kind), then any node;
//! from there it walks the relations of the store in both directions of the chain.

use super::ast::*;
use super::error::{Pos, QueryError};
use grouping::check_grouping;
use nested::Nested;
pub(crate) use nested::Subquery;
pub(crate) use pattern::{MatchPlan, PatternPlan, kind_of_label};
use slots::is_data;
pub(crate) use slots::{Slots, VarKind};
use writes::update_expressions_mut;
use writes::{check_creatable, declare_created};
pub(crate) use writes::{merge_match, update_expressions};

mod grouping;
mod nested;
mod pattern;
mod slots;
mod writes;
use crate::store::Store;

/// How a query will run: a plan per stage of each single query of a `UNION`.
pub(crate) struct Plan {
    pub(crate) query: Query,
    pub(crate) unions: Vec<Vec<StagePlan>>,
}

impl Plan {
    /// Plans `query` against `store` (its relation types and name index).
    pub(crate) fn new(store: &Store, query: &Query) -> Result<Plan, QueryError> {
        Plan::importing(store, query, &[])
    }

    /// Plans `query`, a subquery, whose first stages begin with the variables
    /// `imports` (their names and what they hold) bound by the query around it.
    pub(crate) fn importing(
        store: &Store,
        query: &Query,
        imports: &[(String, VarKind)],
    ) -> Result<Plan, QueryError> {
        let mut unions = Vec::new();
        for single in &query.unions {
            let mut stages: Vec<StagePlan> = Vec::new();
            for stage in &single.stages {
                let planned = match stages.last() {
                    Some(previous) => StagePlan::new(
                        store,
                        stage,
                        previous.columns(),
                        previous.stage.filter.clone(),
                    )?,
                    None => StagePlan::new(store, stage, imports.to_vec(), None)?,
                };
                stages.push(planned);
            }
            unions.push(stages);
        }
        for (i, stages) in unions.iter().enumerate().skip(1) {
            let columns = |stages: &[StagePlan]| -> Vec<String> {
                let last = &stages[stages.len() - 1];
                last.ret
                    .items
                    .iter()
                    .map(|item| item.name.clone())
                    .collect()
            };
            if columns(stages) != columns(&unions[0]) {
                return Err(QueryError::new(format!(
                    "the queries of a UNION must return the same columns: {} against {} in part {}",
                    columns(&unions[0]).join(", "),
                    columns(stages).join(", "),
                    i + 1
                )));
            }
        }
        Ok(Plan {
            query: query.clone(),
            unions,
        })
    }
}

/// How one stage runs: its reading clauses, then its `WITH` or `RETURN`.
pub(crate) struct StagePlan {
    pub(crate) stage: Stage,
    /// The first slots hold the previous stage's columns, in their order.
    pub(crate) slots: Slots,
    /// The previous `WITH`'s `WHERE`, on those columns.
    pub(crate) entry_filter: Option<Expr>,
    pub(crate) clauses: Vec<ClausePlan>,
    /// The projection with its items checked (`*` spelt out), each aggregate call
    /// replaced by [`Expr::Aggregate`] and each pattern predicate by
    /// [`Expr::Predicate`].
    pub(crate) ret: Return,
    /// The aggregate calls of the items, by id.
    pub(crate) aggregates: Vec<Expr>,
    /// The pattern predicates, by id.
    pub(crate) predicates: Vec<Predicate>,
    /// The subqueries, by id.
    pub(crate) subqueries: Vec<Subquery>,
}

/// How a reading clause runs.
pub(crate) enum ClausePlan {
    /// A plan per pattern, and the `WHERE` with its pattern predicates numbered.
    Match {
        plan: MatchPlan,
        filter: Option<Expr>,
    },
    /// The list, and the slot each item goes to.
    Unwind { list: Expr, slot: usize },
    /// A clause that changes the graph (see `eval::update`): how many slots were
    /// bound before it, and for `MERGE` the pattern as a `MATCH` and its plan.
    Update {
        before: usize,
        merge: Option<Box<(Match, MatchPlan)>>,
    },
}

impl StagePlan {
    /// The plan of `stage`, whose rows begin with `columns` (the previous stage's, or a
    /// subquery's imports) and pass `entry_filter` (the previous `WITH`'s `WHERE`).
    fn new(
        store: &Store,
        stage: &Stage,
        columns: Vec<(String, VarKind)>,
        mut entry_filter: Option<Expr>,
    ) -> Result<StagePlan, QueryError> {
        let mut slots = Slots::default();
        for (name, kind) in &columns {
            slots.declare(name, *kind, Pos::default())?;
        }
        let carried = slots.names.len();
        // How many variables exist before and after each clause: a clause's WHERE sees
        // those after it, an UNWIND's list those before.
        let mut clauses = Vec::new();
        let mut in_scope = Vec::new();
        for clause in &stage.clauses {
            let before = slots.names.len();
            clauses.push(match clause {
                Clause::Match(m) => ClausePlan::Match {
                    plan: MatchPlan::new(store, m, &mut slots)?,
                    filter: m.filter.clone(),
                },
                Clause::Unwind { list, var, pos } => {
                    let (slot, bound) = slots.declare(var, VarKind::Value, *pos)?;
                    if bound {
                        return Err(QueryError::at(
                            *pos,
                            format!("variable `{var}` is already defined"),
                        ));
                    }
                    ClausePlan::Unwind {
                        list: list.clone(),
                        slot,
                    }
                }
                Clause::Create { patterns, .. } => {
                    for pattern in patterns {
                        check_creatable(pattern, &slots, "CREATE")?;
                        declare_created(pattern, &mut slots)?;
                    }
                    ClausePlan::Update {
                        before,
                        merge: None,
                    }
                }
                Clause::Merge { pattern, .. } => {
                    check_creatable(pattern, &slots, "MERGE")?;
                    let m = merge_match(store, pattern);
                    let plan = MatchPlan::new(store, &m, &mut slots)?;
                    ClausePlan::Update {
                        before,
                        merge: Some(Box::new((m, plan))),
                    }
                }
                Clause::Delete { targets, pos, .. } if targets.iter().any(is_data) => {
                    return Err(QueryError::at(
                        *pos,
                        "DELETE takes entities, relationships and paths",
                    ));
                }
                Clause::Set { .. } | Clause::Remove { .. } | Clause::Delete { .. } => {
                    ClausePlan::Update {
                        before,
                        merge: None,
                    }
                }
            });
            in_scope.push((before, slots.names.len()));
        }
        let mut locals = local_variables(stage);
        if let Some(filter) = &entry_filter {
            filter.local_variables(&mut locals);
        }
        for name in locals {
            slots.declare_local(&name);
        }
        for name in aliases(stage) {
            slots.declare_alias(name);
        }
        if let Some(filter) = &entry_filter {
            slots.check_names(filter, false, carried)?;
        }
        for (clause, &(before, after)) in clauses.iter().zip(&in_scope) {
            match clause {
                ClausePlan::Match {
                    filter: Some(filter),
                    ..
                } => slots.check_names(filter, false, after)?,
                ClausePlan::Unwind { list, .. } => slots.check_names(list, false, before)?,
                ClausePlan::Match { filter: None, .. } => {}
                ClausePlan::Update { .. } => {}
            }
        }
        for (clause, &(_, after)) in stage.clauses.iter().zip(&in_scope) {
            for e in update_expressions(clause) {
                slots.check_names(&e, false, after)?;
            }
            if let Clause::Match(m) = clause {
                // Property maps see the clause's own variables and those before it.
                for chain in m.patterns.iter().map(|p| &p.chain) {
                    let nodes = chain.nodes.iter().flat_map(|n| &n.props);
                    for (_, e) in nodes.chain(chain.rels.iter().flat_map(|r| &r.props)) {
                        slots.check_names(e, false, after)?;
                    }
                }
            }
        }
        let mut ret = stage.projection.clone();
        ret.items = slots.return_items(&stage.projection)?;
        ret.star = false;
        check_grouping(&ret, &slots)?;
        let mut aggregates = Vec::new();
        for item in &mut ret.items {
            number_aggregates(&mut item.expr, &mut aggregates);
        }
        if !aggregates.is_empty() {
            // An aggregate in a sort key is computed per group beside the items'
            // (`ORDER BY $age + avg(p.age)`).
            for (e, _, _) in &mut ret.order {
                number_aggregates(e, &mut aggregates);
            }
        }
        // What expressions nest (pattern predicates and comprehensions, subqueries) is
        // planned once, each seeing the variables in scope where it is written.
        let mut owned = stage.clone();
        let everything = slots.names.len();
        let mut scoped: Vec<(&mut Expr, usize)> = Vec::new();
        scoped.extend(entry_filter.iter_mut().map(|e| (e, carried)));
        let clause_exprs = clauses.iter_mut().zip(owned.clauses.iter_mut());
        for ((clause, written), &(before, after)) in clause_exprs.zip(&in_scope) {
            match clause {
                ClausePlan::Match {
                    filter: Some(filter),
                    ..
                } => scoped.push((filter, after)),
                ClausePlan::Unwind { list, .. } => scoped.push((list, before)),
                ClausePlan::Match { filter: None, .. } => {}
                ClausePlan::Update { .. } => {
                    let values = update_expressions_mut(written);
                    scoped.extend(values.into_iter().map(|e| (e, after)));
                }
            }
        }
        let projected = ret.items.iter_mut().map(|i| &mut i.expr);
        let projected = projected
            .chain(aggregates.iter_mut())
            .chain(ret.order.iter_mut().map(|(e, _, _)| e))
            .chain(ret.skip.iter_mut())
            .chain(ret.limit.iter_mut());
        scoped.extend(projected.map(|e| (e, everything)));
        let mut nested = Nested {
            store,
            predicates: Vec::new(),
            subqueries: Vec::new(),
        };
        for (e, limit) in scoped {
            nested.plan(e, &slots, limit, &mut Vec::new())?;
        }
        Ok(StagePlan {
            stage: owned,
            slots,
            entry_filter,
            clauses,
            ret,
            aggregates,
            predicates: nested.predicates,
            subqueries: nested.subqueries,
        })
    }

    /// The variables the next stage begins with: this stage's columns, each holding
    /// what its expression gives.
    fn columns(&self) -> Vec<(String, VarKind)> {
        self.ret
            .items
            .iter()
            .map(|item| {
                let kind = match &item.expr {
                    Expr::Var(v, _) => self.slots.index.get(v).map(|&s| self.slots.kinds[s]),
                    e if is_data(e) => Some(VarKind::Data),
                    _ => None,
                };
                let kind = match kind {
                    None | Some(VarKind::Local | VarKind::Alias) => VarKind::Value,
                    Some(kind) => kind,
                };
                (item.name.clone(), kind)
            })
            .collect()
    }

    /// Whether the projection passes each row on as it comes (no grouping, `DISTINCT`,
    /// `ORDER BY`, `SKIP` or `LIMIT`, which need all the rows first).
    pub(crate) fn streams(&self) -> bool {
        let ret = &self.ret;
        self.aggregates.is_empty()
            && !ret.distinct
            && ret.order.is_empty()
            && ret.skip.is_none()
            && ret.limit.is_none()
    }
}

/// A pattern used as a predicate (`WHERE (a)-[:phoned]->()`): its plan, and the slots
/// it matches in, those of the query and hidden ones of its own (it binds nothing the
/// query sees).
pub(crate) struct Predicate {
    pub(crate) pattern: Pattern,
    pub(crate) plan: PatternPlan,
    pub(crate) slots: Slots,
}

impl Predicate {
    /// The plan of the pattern predicate `chain`, given the query's `slots`.
    pub(crate) fn new(
        store: &Store,
        chain: &Chain,
        slots: &Slots,
    ) -> Result<Predicate, QueryError> {
        let pattern = Pattern {
            path_var: None,
            search: PathSearch::All,
            chain: chain.clone(),
            pos: Pos::default(),
        };
        Predicate::of_pattern(store, pattern, slots)
    }

    /// The plan of a pattern matched for each row (a pattern comprehension's), given
    /// the query's `slots`: its new variables get slots of their own.
    pub(crate) fn of_pattern(
        store: &Store,
        pattern: Pattern,
        slots: &Slots,
    ) -> Result<Predicate, QueryError> {
        let mut slots = slots.clone();
        let plan = PatternPlan::new(store, &pattern, None, &mut slots)?;
        Ok(Predicate {
            pattern,
            plan,
            slots,
        })
    }
}

/// The variables of a stage that need a slot besides the patterns': those of list
/// comprehensions and predicates, and the projection's aliases, which `ORDER BY` may
/// use.
fn local_variables(stage: &Stage) -> Vec<String> {
    let mut locals = Vec::new();
    for clause in &stage.clauses {
        match clause {
            Clause::Match(m) => {
                for pattern in &m.patterns {
                    pattern.chain.local_variables(&mut locals);
                }
                if let Some(filter) = &m.filter {
                    filter.local_variables(&mut locals);
                }
            }
            Clause::Unwind { list, .. } => list.local_variables(&mut locals),
            update => {
                for e in update_expressions(update) {
                    e.local_variables(&mut locals);
                }
            }
        }
    }
    let ret = &stage.projection;
    let tail = ret.items.iter().map(|i| &i.expr);
    let tail = tail.chain(ret.order.iter().map(|(e, _, _)| e));
    for e in tail.chain(ret.skip.iter()).chain(ret.limit.iter()) {
        e.local_variables(&mut locals);
    }
    locals
}

/// The projection's aliases (not variables returned under their own names), which only
/// its `ORDER BY` sees.
fn aliases(stage: &Stage) -> Vec<&str> {
    stage
        .projection
        .items
        .iter()
        .filter(|item| {
            let own_name = matches!(&item.expr, Expr::Var(v, _) if *v == item.name);
            item.alias && !own_name
        })
        .map(|item| item.name.as_str())
        .collect()
}

/// Replaces each aggregate call in `e` by [`Expr::Aggregate`], numbering the calls in
/// the order they appear (calls are not nested inside one another).
fn number_aggregates(e: &mut Expr, calls: &mut Vec<Expr>) {
    if e.is_aggregate_call() {
        let call = std::mem::replace(e, Expr::Aggregate(calls.len()));
        calls.push(call);
        return;
    }
    for child in e.children_mut() {
        number_aggregates(child, calls);
    }
}
