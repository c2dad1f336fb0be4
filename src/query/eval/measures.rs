//! The graph functions: `kg.degree(n)`, `kg.inDegree(n)`, `kg.outDegree(n)`,
//! `kg.betweenness(n)`, `kg.closeness(n)`, `kg.harmonic(n)`, `kg.pagerank(n)`,
//! `kg.eigenvector(n)` and `kg.community(n)`, each with an optional map of options
//! (the selection measured, as `kg rank`'s and `kg communities`' flags give it).
//!
//! A measure is of the whole selected graph, not of one node: the first call with
//! given options measures every node at once (as `kg rank` would), the run keeps the
//! scores, and every later call with the same options reads them.

use std::collections::HashMap;
use std::rc::Rc;

use super::{Evaluator, Row};
use crate::algo::communities;
use crate::algo::measure::{self, Graph, Measure, Settings};
use crate::model::{EntityId, Grade, Kind, Status, TimeSpan};
use crate::query::ast::Expr;
use crate::query::error::{Pos, QueryError};
use crate::query::value::Value;
use crate::select::Selection;

/// The graph functions, lower case, as the planner accepts them.
pub(crate) const GRAPH_FUNCTIONS: [&str; 9] = [
    "kg.betweenness",
    "kg.closeness",
    "kg.community",
    "kg.degree",
    "kg.eigenvector",
    "kg.harmonic",
    "kg.indegree",
    "kg.outdegree",
    "kg.pagerank",
];

/// Each measured node's value, by entity.
pub(crate) type Scores = HashMap<EntityId, Value>;

/// The options a graph function takes, and which functions take each.
const SELECTION_OPTIONS: [&str; 9] = [
    "types",
    "kinds",
    "from",
    "to",
    "strict",
    "status",
    "minGrade",
    "directed",
    "keepIsolated",
];
const COMMUNITY_OPTIONS: [&str; 4] = ["method", "seed", "resolution", "threshold"];

/// The options of the function's own (besides the selection).
fn own_options(lower: &str) -> &'static [&'static str] {
    match lower {
        "kg.pagerank" => &["damping", "tolerance", "maxIter"],
        "kg.eigenvector" => &["tolerance", "maxIter"],
        "kg.betweenness" => &["samples", "seed"],
        "kg.community" => &COMMUNITY_OPTIONS,
        _ => &[],
    }
}

impl Evaluator<'_> {
    /// A call of the graph function `lower` (`name` as written): the node's score, or
    /// null for null or a node the selection leaves out.
    pub(crate) fn graph_function(
        &self,
        name: &str,
        lower: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Value, QueryError> {
        if args.is_empty() || args.len() > 2 {
            return Err(QueryError::at(
                pos,
                format!("{name}() takes a node and, optionally, a map of options"),
            ));
        }
        let options: Vec<(String, Value)> = match args.get(1) {
            None => Vec::new(),
            Some(Expr::Map(entries)) => entries
                .iter()
                .map(|(k, e)| Ok((k.clone(), self.eval(e, row, group)?)))
                .collect::<Result<_, QueryError>>()?,
            Some(_) => {
                return Err(QueryError::at(
                    pos,
                    format!("{name}(): the options are a map, as in {{types: ['phoned', 'met']}}"),
                ));
            }
        };
        let id = match self.eval(&args[0], row, group)? {
            Value::Null => return Ok(Value::Null),
            Value::Node(id) => id,
            other => {
                return Err(QueryError::at(
                    pos,
                    format!("{name}() takes a node, not {}", other.type_name()),
                ));
            }
        };
        let key = format!("{lower} {options:?}");
        let known = self.context.measured.borrow().get(&key).cloned();
        let scores = match known {
            Some(scores) => scores,
            None => {
                self.context.check()?;
                let scores = Rc::new(self.measure_all(name, lower, &options, pos)?);
                self.context
                    .measured
                    .borrow_mut()
                    .insert(key, Rc::clone(&scores));
                scores
            }
        };
        Ok(scores.get(&id).cloned().unwrap_or(Value::Null))
    }

    /// Every node's value of the graph function `lower` with `options`.
    fn measure_all(
        &self,
        name: &str,
        lower: &str,
        options: &[(String, Value)],
        pos: Pos,
    ) -> Result<Scores, QueryError> {
        let fail = |message: String| QueryError::at(pos, format!("{name}(): {message}"));
        let community = lower == "kg.community";
        let own = own_options(lower);
        for (key, _) in options {
            if !SELECTION_OPTIONS.contains(&key.as_str()) && !own.contains(&key.as_str()) {
                let mut known: Vec<&str> = SELECTION_OPTIONS.to_vec();
                known.extend(own);
                return Err(fail(format!(
                    "unknown option '{key}' (it takes {})",
                    known.join(", ")
                )));
            }
        }
        let get = |key: &str| {
            options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .filter(|v| !v.is_null())
        };
        let selection = self.selection(get, &fail)?;
        // kg.inDegree and kg.outDegree count arcs one way: directed unless told.
        let directional = matches!(lower, "kg.indegree" | "kg.outdegree");
        let directed = match get("directed") {
            None => directional,
            v => flag(v, "directed", &fail)?,
        };
        let keep_isolated = flag(get("keepIsolated"), "keepIsolated", &fail)?;
        let seed = match get("seed") {
            None => 0,
            Some(v) => count(v, "seed", &fail)? as u64,
        };
        let graph = Graph::new(self.store, &selection, directed, keep_isolated);
        let values: Vec<Value> = if community {
            let resolution = number(get("resolution"), 1.0, "resolution", &fail)?;
            let threshold = number(get("threshold"), 1e-7, "threshold", &fail)?;
            if !resolution.is_finite() || resolution <= 0.0 {
                return Err(fail(format!(
                    "resolution {resolution}: expected a number above 0"
                )));
            }
            if !threshold.is_finite() || threshold < 0.0 {
                return Err(fail(format!(
                    "threshold {threshold}: expected a number at least 0"
                )));
            }
            let method = match get("method") {
                None => "louvain".to_string(),
                Some(Value::Str(s)) => s.to_ascii_lowercase(),
                Some(other) => {
                    return Err(fail(format!(
                        "method is a string, not {}",
                        other.type_name()
                    )));
                }
            };
            if method != "louvain" {
                for key in ["seed", "resolution", "threshold"] {
                    if get(key).is_some() {
                        return Err(fail(format!(
                            "{key} is Louvain's: not for method '{method}'"
                        )));
                    }
                }
            }
            let partition = match (method.as_str(), directed) {
                ("louvain", false) => communities::louvain(&graph, resolution, threshold, seed),
                ("louvain", true) => {
                    return Err(fail(
                        "louvain works on the undirected graph: leave out directed".to_string(),
                    ));
                }
                ("components", _) => communities::components(&graph),
                ("strong", true) => communities::strong_components(&graph),
                ("strong", false) => {
                    return Err(fail("method 'strong' needs directed: true".to_string()));
                }
                (other, _) => {
                    return Err(fail(format!(
                        "unknown method '{other}' (louvain, components or strong)"
                    )));
                }
            };
            // Numbered from 1, largest first, as `kg communities --save` writes them.
            partition
                .iter()
                .map(|&c| Value::Int(i64::from(c) + 1))
                .collect()
        } else {
            let measure = Measure::ALL
                .into_iter()
                .find(|m| format!("kg.{}", m.name().replace('-', "")) == lower)
                .ok_or_else(|| fail("not a measure".to_string()))?;
            let defaults = Settings::default();
            let settings = Settings {
                samples: match get("samples") {
                    None => None,
                    Some(v) => Some((count(v, "samples", &fail)?, seed)),
                },
                damping: number(get("damping"), defaults.damping, "damping", &fail)?,
                tolerance: number(get("tolerance"), defaults.tolerance, "tolerance", &fail)?,
                max_iter: match get("maxIter") {
                    None => defaults.max_iter,
                    Some(v) => count(v, "maxIter", &fail)?,
                },
            };
            let (cancel, deadline) = self.context.stop_signals();
            let stop = move || {
                cancel.is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
                    || deadline.is_some_and(|d| std::time::Instant::now() >= d)
            };
            let scores = match measure::score(&graph, measure, &settings, &stop) {
                Ok(scores) => scores,
                Err(measure::MeasureError::Stopped) => {
                    if cancel.is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed)) {
                        return Err(QueryError::new("cancelled"));
                    }
                    return Err(fail(
                        "stopped at the time limit (--timeout) before the measure was done: \
                         narrow the selection (types, kinds, from, to) or, for betweenness, \
                         estimate it from a sample ({samples: 100})"
                            .to_string(),
                    ));
                }
                Err(e) => return Err(fail(e.to_string())),
            };
            scores.into_iter().map(Value::Float).collect()
        };
        Ok(graph.entities.iter().copied().zip(values).collect())
    }

    /// The selection the options describe: as `kg rank`'s flags, and without denied
    /// relations unless a status is given or the run walks them (`--include-denied`).
    fn selection<'v>(
        &self,
        get: impl Fn(&str) -> Option<&'v Value>,
        fail: &dyn Fn(String) -> QueryError,
    ) -> Result<Selection, QueryError> {
        let mut selection = Selection::all();
        if let Some(v) = get("types") {
            let types = strings(v, "types", fail)?
                .iter()
                .map(|t| self.store.resolve_type(t).map_err(|e| fail(e.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            selection = selection.with_types(types);
        }
        if let Some(v) = get("kinds") {
            selection.kinds = strings(v, "kinds", fail)?
                .iter()
                .map(|k| k.parse::<Kind>().map_err(|e| fail(format!("kinds: {e}"))))
                .collect::<Result<_, _>>()?;
        }
        let from = date(get("from"), "from", fail)?;
        let to = date(get("to"), "to", fail)?;
        let strict = flag(get("strict"), "strict", fail)?;
        selection = selection
            .with_checked_window(from, to, strict, "")
            .map_err(fail)?;
        selection.min_status = match get("status") {
            None if self.context.walk_denied => None,
            None => Some(Status::Unconfirmed),
            Some(v) => Some(parsed::<Status>(v, "status", fail)?),
        };
        selection.min_grade = match get("minGrade") {
            None => None,
            Some(v) => Some(parsed::<Grade>(v, "minGrade", fail)?),
        };
        Ok(selection)
    }
}

/// A boolean option; false when absent.
fn flag(
    v: Option<&Value>,
    key: &str,
    fail: &dyn Fn(String) -> QueryError,
) -> Result<bool, QueryError> {
    match v {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(fail(format!(
            "{key} is true or false, not {}",
            other.type_name()
        ))),
    }
}

/// A number option (an integer or a float); `default` when absent.
fn number(
    v: Option<&Value>,
    default: f64,
    key: &str,
    fail: &dyn Fn(String) -> QueryError,
) -> Result<f64, QueryError> {
    match v {
        None => Ok(default),
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Float(f)) => Ok(*f),
        Some(other) => Err(fail(format!(
            "{key} is a number, not {}",
            other.type_name()
        ))),
    }
}

/// A count option: a non-negative integer.
fn count(v: &Value, key: &str, fail: &dyn Fn(String) -> QueryError) -> Result<usize, QueryError> {
    v.as_count().map_err(|e| fail(format!("{key} {e}")))
}

/// A list of strings, or one string.
fn strings(
    v: &Value,
    key: &str,
    fail: &dyn Fn(String) -> QueryError,
) -> Result<Vec<String>, QueryError> {
    let wrong = |v: &Value| fail(format!("{key} is a list of strings, not {}", v.type_name()));
    match v {
        Value::Str(s) => Ok(vec![s.clone()]),
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::Str(s) => Ok(s.clone()),
                other => Err(wrong(other)),
            })
            .collect(),
        other => Err(wrong(other)),
    }
}

/// A value written as a string and parsed (a status, a grade).
fn parsed<T: std::str::FromStr>(
    v: &Value,
    key: &str,
    fail: &dyn Fn(String) -> QueryError,
) -> Result<T, QueryError>
where
    T::Err: std::fmt::Display,
{
    match v {
        Value::Str(s) => s.parse::<T>().map_err(|e| fail(format!("{key}: {e}"))),
        other => Err(fail(format!(
            "{key} is a string, not {}",
            other.type_name()
        ))),
    }
}

/// A date option: a date value or a date as written (`2025`, `2025-03`, `2025-03-14`).
fn date(
    v: Option<&Value>,
    key: &str,
    fail: &dyn Fn(String) -> QueryError,
) -> Result<Option<TimeSpan>, QueryError> {
    match v {
        None => Ok(None),
        Some(Value::Date(d)) => Ok(Some(*d)),
        Some(Value::Str(s)) => s
            .parse::<TimeSpan>()
            .map(Some)
            .map_err(|e| fail(format!("{key}: {e}"))),
        Some(other) => Err(fail(format!("{key} is a date, not {}", other.type_name()))),
    }
}

#[cfg(test)]
mod tests {
    use crate::algo::measure::tests::{LINE, store};
    use crate::query::run;
    use crate::query::value::{Params, Value};

    fn column(text: &str, q: &str) -> Result<Vec<Value>, String> {
        let store = store(text);
        run(&store, q, &Params::new())
            .map(|t| t.rows.into_iter().map(|mut r| r.remove(1)).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn every_node_is_scored_once_and_left_out_nodes_are_null() {
        // The line a-b-c-d, e-f: b's degree is 2 of 5 others.
        let rows = column(
            LINE,
            "MATCH (n) RETURN n.name, kg.degree(n) ORDER BY n.name",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows[1], Value::Float(0.4));
        // Measured over `met` relations only, the nodes without one are null.
        let types = column(
            "type met symmetric\ntype told directed\nperson a\nperson b\nperson c\na -[met]- b\nb -[told]-> c\n",
            "MATCH (n) RETURN n.name, kg.degree(n, {types: ['met']}) ORDER BY n.name",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(types, [Value::Float(1.0), Value::Float(1.0), Value::Null]);
    }

    #[test]
    fn options_are_checked_with_their_names() {
        for (q, says) in [
            ("RETURN kg.pagerank(1)", "takes a node, not"),
            (
                "MATCH (n) RETURN n, kg.pagerank(n, {damping: 1.5})",
                "damping 1.5",
            ),
            (
                "MATCH (n) RETURN n, kg.pagerank(n, {colour: 1})",
                "unknown option 'colour'",
            ),
            (
                "MATCH (n) RETURN n, kg.degree(n, {samples: 3})",
                "unknown option 'samples'",
            ),
            (
                "MATCH (n) RETURN n, kg.degree(n, {types: ['flew']})",
                "flew",
            ),
            (
                "MATCH (n) RETURN n, kg.community(n, {method: 'strong'})",
                "needs directed",
            ),
            (
                "MATCH (n) RETURN n, kg.degree(n, {from: 2025, to: 2024})",
                "is a date",
            ),
            (
                "MATCH (n) RETURN n, kg.degree(n, {from: '2025', to: '2024'})",
                "before from",
            ),
            ("MATCH (n) RETURN n, kg.nope(n)", "kg.pagerank"),
        ] {
            let error = column(LINE, q).expect_err(q);
            assert!(error.contains(says), "{q}: {error}");
        }
    }
}
