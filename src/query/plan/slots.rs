//! The variables of a stage: each name's slot in a row and what it holds, and the
//! check that every name an expression uses is in scope where it is written (the
//! clauses before it, a list comprehension around it, the projection's aliases for
//! its `ORDER BY` only), with what openCypher refuses before running (an aggregate
//! where none is computed, a function given the wrong kind of variable).

use std::collections::HashMap;

use crate::model::Kind;
use crate::query::ast::*;
use crate::query::error::{Pos, QueryError};
use crate::query::eval::measures::GRAPH_FUNCTIONS;
use crate::query::value::Value;

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
    pub(super) fn declare_alias(&mut self, name: &str) {
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
    pub(super) fn return_items(&self, ret: &Return) -> Result<Vec<ReturnItem>, QueryError> {
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
pub(super) fn is_data(e: &Expr) -> bool {
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
