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

use std::collections::HashMap;

use super::ast::*;
use super::error::{Pos, QueryError};
use super::eval::measures::GRAPH_FUNCTIONS;
use super::value::Value;
use grouping::check_grouping;
use nested::Nested;
pub(crate) use nested::Subquery;
pub(crate) use pattern::{MatchPlan, PatternPlan, kind_of_label};
use writes::update_expressions_mut;
use writes::{check_creatable, declare_created};
pub(crate) use writes::{merge_match, update_expressions};

mod grouping;
mod nested;
mod pattern;
mod writes;
use crate::model::Kind;
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

impl Slots {
    /// The first `n` slots: the variables as they were before a clause.
    pub(crate) fn first(&self, n: usize) -> Slots {
        let mut slots = self.clone();
        slots.names.truncate(n);
        slots.kinds.truncate(n);
        slots.index.retain(|_, &mut slot| slot < n);
        slots
    }
}

/// Whether `e` may give a boolean (anything but a literal, list or map of another type).
fn could_be_bool(e: &Expr) -> bool {
    match e {
        Expr::Literal(v) => matches!(v, Value::Bool(_) | Value::Null),
        Expr::List(_) | Expr::Map(_) | Expr::MapProjection(..) | Expr::Comprehension { .. } => {
            false
        }
        Expr::Arith(..) | Expr::Negate(_) => false,
        _ => true,
    }
}

/// Whether `e` gives a value that is never a node, relationship or path.
fn is_data(e: &Expr) -> bool {
    matches!(e, Expr::Literal(v) if !v.is_null())
        || matches!(
            e,
            Expr::List(_)
                | Expr::Map(_)
                | Expr::MapProjection(..)
                | Expr::Property(..)
                | Expr::Not(_)
                | Expr::And(..)
                | Expr::Or(..)
                | Expr::Xor(..)
                | Expr::Compare(..)
                | Expr::In(..)
                | Expr::Str(..)
                | Expr::IsNull(..)
                | Expr::Arith(..)
                | Expr::Negate(_)
                | Expr::Comprehension { .. }
                | Expr::ListPredicate { .. }
                | Expr::HasLabels(..)
        )
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

/// The scope [`Slots::check_names`] gives `ORDER BY`: every variable, and the
/// projection's aliases.
const ORDER_BY: usize = usize::MAX;

/// The variables of a query, each with its slot in a row.
#[derive(Debug, Default, Clone)]
pub(crate) struct Slots {
    pub(crate) names: Vec<String>,
    pub(crate) index: HashMap<String, usize>,
    /// What each variable holds, to catch `(n)` used later as `[n]`.
    pub(crate) kinds: Vec<VarKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarKind {
    /// A list comprehension's variable.
    Local,
    /// A name the projection gives (`AS name`), seen only by its `ORDER BY`.
    Alias,
    /// Any value: a column of the previous stage that is not a variable carried as it
    /// is, or an `UNWIND`'s item.
    Value,
    /// A value that is no node, relationship or path: a column of the previous stage
    /// that is a literal, a property, a list, a map, or computed by an operator.
    Data,
    Node,
    Rel,
    RelList,
    Path,
}

impl VarKind {
    /// What a variable of this kind holds, in words.
    fn text(self) -> &'static str {
        match self {
            VarKind::Node => "a node",
            VarKind::Rel => "a relationship",
            VarKind::RelList => "a list of relationships",
            VarKind::Path => "a path",
            VarKind::Data => "a value that is no node, relationship or path",
            VarKind::Local | VarKind::Alias | VarKind::Value => "a value",
        }
    }
}

/// Whether function `lower` (its name in lower case) may take a variable of `kind`:
/// what openCypher refuses before running (`type(n)` of a node, `length(r)`).
fn takes(lower: &str, kind: VarKind) -> bool {
    use VarKind::*;
    match lower {
        "type" | "startnode" | "endnode" => !matches!(kind, Node | Path | RelList),
        "labels" => !matches!(kind, Rel | Path | RelList),
        "length" => !matches!(kind, Node | Rel),
        "size" => !matches!(kind, Node | Rel | Path),
        "nodes" | "relationships" | "rels" => !matches!(kind, Node | Rel | RelList),
        _ => true,
    }
}

impl Slots {
    /// A slot for a list comprehension's variable: its own, or the slot of a variable
    /// of that name, whose value the comprehension replaces only inside itself.
    pub(crate) fn declare_local(&mut self, name: &str) {
        self.declare_hidden(name, VarKind::Local);
    }

    /// A slot for a projection's alias: its own, or that of a variable of that name
    /// (`RETURN n.name AS n`), whose value `ORDER BY` then reads as the alias's.
    fn declare_alias(&mut self, name: &str) {
        self.declare_hidden(name, VarKind::Alias);
    }

    /// These slots inside a list comprehension over `var`, which holds its items there.
    fn with_local(&self, var: &str) -> Slots {
        let mut inner = self.clone();
        match inner.index.get(var) {
            Some(&slot) => inner.kinds[slot] = VarKind::Local,
            None => inner.declare_local(var),
        }
        inner
    }

    fn declare_hidden(&mut self, name: &str, kind: VarKind) {
        if !self.index.contains_key(name) {
            self.index.insert(name.to_string(), self.names.len());
            self.names.push(name.to_string());
            self.kinds.push(kind);
        }
    }

    /// The slot of `name`, declaring it if new; whether it was bound before.
    pub(crate) fn declare(
        &mut self,
        name: &str,
        kind: VarKind,
        pos: Pos,
    ) -> Result<(usize, bool), QueryError> {
        if let Some(&slot) = self.index.get(name) {
            let any = matches!(
                self.kinds[slot],
                VarKind::Local | VarKind::Alias | VarKind::Value
            );
            if self.kinds[slot] != kind && !any {
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

impl Slots {
    /// Checks that every variable an expression uses is defined among the first
    /// `scope` slots (comprehension variables anywhere), and that aggregates appear
    /// only where allowed.
    pub(crate) fn check_names(
        &self,
        e: &Expr,
        aggregates_allowed: bool,
        scope: usize,
    ) -> Result<(), QueryError> {
        let defined = |name: &str| {
            self.index
                .get(name)
                .is_some_and(|&slot| match self.kinds[slot] {
                    VarKind::Local => true,
                    VarKind::Alias => scope == ORDER_BY,
                    _ => slot < scope,
                })
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
                let lower = name.to_ascii_lowercase();
                if !AGGREGATES.contains(&lower.as_str())
                    && !FUNCTIONS.contains(&lower.as_str())
                    && !GRAPH_FUNCTIONS.contains(&lower.as_str())
                {
                    return Err(QueryError::at(
                        *pos,
                        if lower.starts_with("kg.") {
                            format!(
                                "function {name}() is not supported (the graph functions: \
                                 kg.degree, kg.inDegree, kg.outDegree, kg.betweenness, \
                                 kg.closeness, kg.harmonic, kg.pagerank, kg.eigenvector, \
                                 kg.community)"
                            )
                        } else {
                            format!("function {name}() is not supported")
                        },
                    ));
                }
                if lower != "exists" && args.iter().any(|a| matches!(a, Expr::Exists(_, false))) {
                    return Err(QueryError::at(
                        *pos,
                        format!("{name}() cannot take a pattern: a pattern is a predicate here"),
                    ));
                }
                if !aggregates_allowed && AGGREGATES.contains(&lower.as_str()) {
                    return Err(QueryError::at(
                        *pos,
                        format!(
                            "{name}() aggregates, so it may only appear in the items of RETURN or WITH"
                        ),
                    ));
                }
                for a in args {
                    self.check_names(a, aggregates_allowed, scope)?;
                }
                if let [Expr::Var(v, at)] = &args[..]
                    && let Some(&slot) = self.index.get(v)
                    && !takes(&lower, self.kinds[slot])
                {
                    return Err(QueryError::at(
                        *at,
                        format!(
                            "{name}() does not take `{v}`: it is {}",
                            self.kinds[slot].text()
                        ),
                    ));
                }
            }
            Expr::Comprehension {
                var,
                list,
                filter,
                map,
            } => {
                // Its variable is its own inside, and aggregates are not computed there.
                self.check_names(list, aggregates_allowed, scope)?;
                let inner = self.with_local(var);
                for part in filter.iter().chain(map.iter()) {
                    inner.check_names(part, false, scope)?;
                }
            }
            Expr::ListPredicate {
                var,
                list,
                predicate,
                ..
            } => {
                self.check_names(list, aggregates_allowed, scope)?;
                self.with_local(var).check_names(predicate, false, scope)?;
            }
            Expr::HasLabels(a, labels) => {
                self.check_names(a, aggregates_allowed, scope)?;
                for (label, pos) in labels {
                    label.parse::<Kind>().map_err(|e| QueryError::at(*pos, e))?;
                }
            }
            Expr::PatternComprehension {
                pattern,
                filter,
                map,
            } => {
                // The pattern's variables are its own, seen by its WHERE and its map.
                let mut inner = self.clone();
                let vars = pattern.chain.variables();
                for v in vars.chain(pattern.path_var.as_deref()) {
                    if !defined(v) {
                        inner.declare_local(v);
                        if let Some(&slot) = inner.index.get(v) {
                            inner.kinds[slot] = VarKind::Local;
                        }
                    }
                }
                for part in filter.iter().map(|f| &**f).chain(std::iter::once(&**map)) {
                    inner.check_names(part, aggregates_allowed, scope)?;
                }
            }
            Expr::Exists(chain, own_variables) => {
                for v in chain.variables() {
                    if !own_variables && !defined(v) {
                        return Err(QueryError::new(format!(
                            "variable `{v}` in a pattern predicate is not defined: a pattern in WHERE may only use variables of the MATCH"
                        )));
                    }
                }
            }
            Expr::Property(inner, key) => {
                if let Expr::Var(v, pos) = &**inner
                    && let Some(&slot) = self.index.get(v)
                    && matches!(self.kinds[slot], VarKind::Path | VarKind::RelList)
                {
                    return Err(QueryError::at(
                        *pos,
                        format!(
                            "`{v}` is {}: it has no property {key}",
                            if self.kinds[slot] == VarKind::Path {
                                "a path"
                            } else {
                                "a list of relationships"
                            }
                        ),
                    ));
                }
                self.check_names(inner, aggregates_allowed, scope)?;
            }
            Expr::Not(a) | Expr::And(a, _) | Expr::Or(a, _) | Expr::Xor(a, _)
                if is_data(a)
                    && !matches!(**a, Expr::Literal(Value::Bool(_)))
                    && !could_be_bool(a) =>
            {
                return Err(QueryError::new(
                    "NOT, AND, OR and XOR take booleans".to_string(),
                ));
            }
            Expr::And(_, b) | Expr::Or(_, b) | Expr::Xor(_, b)
                if is_data(b)
                    && !matches!(**b, Expr::Literal(Value::Bool(_)))
                    && !could_be_bool(b) =>
            {
                return Err(QueryError::new(
                    "NOT, AND, OR and XOR take booleans".to_string(),
                ));
            }
            other => {
                for child in other.children() {
                    self.check_names(child, aggregates_allowed, scope)?;
                }
            }
        }
        Ok(())
    }

    /// The items `RETURN` projects (`*`: every named variable), checked.
    fn return_items(&self, ret: &Return) -> Result<Vec<ReturnItem>, QueryError> {
        let mut items: Vec<ReturnItem> = if ret.star {
            let named: Vec<ReturnItem> = self
                .names
                .iter()
                .zip(&self.kinds)
                .filter(|(n, k)| {
                    !n.starts_with(' ') && !matches!(**k, VarKind::Local | VarKind::Alias)
                })
                .map(|(n, _)| ReturnItem {
                    expr: Expr::Var(n.clone(), Pos::default()),
                    name: n.clone(),
                    alias: false,
                })
                .collect();
            // In the order of their names, as openCypher's `*` lists them.
            let mut named = named;
            named.sort_by(|a, b| a.name.cmp(&b.name));
            if named.is_empty() && ret.items.is_empty() {
                return Err(QueryError::new(
                    "* needs at least one named variable in scope",
                ));
            }
            named
        } else {
            Vec::new()
        };
        items.extend(ret.items.iter().cloned());
        for item in &items {
            self.check_names(&item.expr, true, self.names.len())?;
        }
        for (e, _, _) in &ret.order {
            self.check_names(e, true, ORDER_BY)?;
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
