//! The openCypher subset: `kg query 'MATCH ... RETURN ...'`.
//!
//! [`lexer`] splits the text into tokens with positions, [`parser`] builds the
//! [`ast`], and [`eval`] matches the patterns against the store and projects the
//! `RETURN` items. Values and their comparison rules are in [`value`]; this module
//! renders them for the three output formats.
//!
//! Semantics are openCypher's: relationships are unique within a `MATCH`, `null`
//! propagates through comparisons and `WHERE` keeps only rows where the predicate is
//! true, and aggregates group by the other return items. kg's own choices: labels are
//! entity kinds, a relationship's direction is the direction it was stored in (a
//! symmetric type matches `-[]-` either way, `-[]->` only as written), and `r.date`
//! (a span of days, printed as written) compares by overlap, as every date window in
//! kg does: `r.date >= date('2025-02-01') AND r.date <= date('2025-02-28')` keeps
//! what overlaps February.

pub mod ast;
pub mod eval;
pub mod lexer;
pub mod parser;
pub mod value;

use std::fmt;

use serde_json::{Map, Value as Json, json};

pub use eval::{Params, Table};
use lexer::Pos;
pub use value::Value;

use crate::fields::relation_fields;
use crate::store::Store;

/// Set (by the shell's Ctrl-C handler) to stop the running query; it then fails with
/// "cancelled". Cleared before each command.
pub static CANCEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// An error if the running query was cancelled.
pub(crate) fn check_cancelled() -> Result<(), QueryError> {
    if CANCEL.load(std::sync::atomic::Ordering::Relaxed) {
        Err(QueryError::new("cancelled"))
    } else {
        Ok(())
    }
}

/// What went wrong with a query: where (when known) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub pos: Option<Pos>,
    pub message: String,
    /// The query's text, for showing the line with a caret.
    pub source: Option<String>,
}

impl QueryError {
    pub fn at(pos: Pos, message: impl Into<String>) -> QueryError {
        QueryError {
            pos: Some(pos),
            message: message.into(),
            source: None,
        }
    }

    pub fn new(message: impl Into<String>) -> QueryError {
        QueryError {
            pos: None,
            message: message.into(),
            source: None,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(pos) = self.pos else {
            return write!(f, "query: {}", self.message);
        };
        write!(f, "query:{}:{}: {}", pos.line, pos.column, self.message)?;
        if let Some(line) = self
            .source
            .as_deref()
            .and_then(|s| s.lines().nth(pos.line.saturating_sub(1)))
        {
            let shown = crate::model::printable(line);
            let pad: String = line
                .chars()
                .take(pos.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n  {shown}\n  {pad}^")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// Runs `work` on a thread with a large stack: parsing and evaluation recurse as
/// deeply as a query nests (at most [`parser`]'s limit), whatever thread asks.
pub fn with_stack<T: Send>(
    work: impl FnOnce() -> Result<T, QueryError> + Send,
) -> Result<T, QueryError> {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("query".to_string())
            .stack_size(64 << 20)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(e) => Err(QueryError::new(format!(
                "cannot start a thread for the query: {e}"
            ))),
        }
    })
}

/// Parses and runs `text` on `store`.
pub fn run(store: &Store, text: &str, params: &Params) -> Result<Table, QueryError> {
    with_stack(|| {
        let with_source = |mut e: QueryError| {
            e.source = Some(text.to_string());
            e
        };
        let query = parser::parse(text).map_err(with_source)?;
        eval::run(store, &query, params).map_err(with_source)
    })
}

/// Parses and runs `text`, and says how it ran (for `kg query --explain`).
pub fn run_explained(
    store: &Store,
    text: &str,
    params: &Params,
) -> Result<(Table, Vec<String>), QueryError> {
    with_stack(|| {
        let with_source = |mut e: QueryError| {
            e.source = Some(text.to_string());
            e
        };
        let query = parser::parse(text).map_err(with_source)?;
        let mut lines = Vec::new();
        let table =
            eval::run_explaining(store, &query, params, Some(&mut lines)).map_err(with_source)?;
        Ok((table, lines))
    })
}

/// A `--param name=value`: an integer, a float, true, false or null as written, a
/// quoted string without its quotes, else the text itself as a string.
pub fn parse_param(text: &str) -> Result<(String, Value), String> {
    let (name, raw) = text
        .split_once('=')
        .ok_or_else(|| format!("--param {text}: expected NAME=VALUE"))?;
    let name = name.trim_start_matches('$').to_string();
    if name.is_empty() {
        return Err(format!("--param {text}: expected NAME=VALUE"));
    }
    let value = if raw.starts_with('[') {
        let list: Vec<serde_json::Value> = serde_json::from_str(raw)
            .map_err(|e| format!("--param {name}: a list must be JSON, e.g. [\"a\", 2]: {e}"))?;
        Value::List(list.iter().map(json_value).collect::<Result<_, _>>()?)
    } else if let Ok(i) = raw.parse::<i64>() {
        Value::Int(i)
    } else if let Ok(f) = raw.parse::<f64>()
        && raw.chars().any(|c| c.is_ascii_digit())
    {
        Value::Float(f)
    } else {
        match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ => {
                let quoted = raw.len() >= 2
                    && ((raw.starts_with('\'') && raw.ends_with('\''))
                        || (raw.starts_with('"') && raw.ends_with('"')));
                Value::Str(if quoted {
                    raw[1..raw.len() - 1].to_string()
                } else {
                    raw.to_string()
                })
            }
        }
    };
    Ok((name, value))
}

/// A parameter's list item from JSON.
fn json_value(v: &serde_json::Value) -> Result<Value, String> {
    Ok(match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(json_value).collect::<Result<_, _>>()?),
        Json::Object(_) => return Err("maps are not supported as parameters".to_string()),
    })
}

/// A value as one cell of a table or CSV file: a node by its name, a relationship as
/// `from -[type]-> to @ date`, a path as its arrows, a list in brackets.
pub fn cell_text(store: &Store, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => eval::float_text(*f),
        Value::Str(s) => s.clone(),
        Value::Date(d) => d.to_string(),
        Value::Node(n) => store.name(*n).to_string(),
        Value::Rel(r) => match store.relation(*r) {
            Some(r) => {
                let date = if r.relation.when.is_undated() {
                    String::new()
                } else {
                    format!(" @ {}", r.relation.when)
                };
                let rtype = store.relation_type(r.relation.rtype);
                let head = if rtype.symmetric { "" } else { ">" };
                format!(
                    "{} -[{}]-{head} {}{date}",
                    store.name(r.from),
                    rtype.name,
                    store.name(r.to)
                )
            }
            None => String::new(),
        },
        Value::List(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::Str(s) => format!("'{s}'"),
                    other => cell_text(store, other),
                })
                .collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Path(p) => {
            let mut text = store.name(p.nodes[0]).to_string();
            for (r, n) in p.rels.iter().zip(&p.nodes[1..]) {
                if let Some(rel) = store.relation(*r) {
                    let rtype = store.relation_type(rel.relation.rtype);
                    let t = &rtype.name;
                    text.push_str(&if rtype.symmetric {
                        format!(" -[{t}]- ")
                    } else if rel.to == *n {
                        format!(" -[{t}]-> ")
                    } else {
                        format!(" <-[{t}]- ")
                    });
                }
                text.push_str(store.name(*n));
            }
            text
        }
    }
}

/// A value in JSON: a node as an object (id, name, kind, aliases, properties), a
/// relationship as `kg export jsonl` writes it (with its id), a path as `kg path`
/// does (hops, nodes, edges).
pub fn cell_json(store: &Store, v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) if f.is_finite() => json!(f),
        // JSON has no infinities or NaN: they are written as strings.
        Value::Float(f) => json!(eval::float_text(*f)),
        Value::Str(s) => json!(s),
        Value::Date(d) => json!(d.to_string()),
        Value::Node(n) => match store.entity(*n) {
            Some(e) => {
                let properties: Map<String, Json> = e
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                json!({
                    "id": n.0,
                    "name": e.name,
                    "kind": e.kind.as_str(),
                    "aliases": e.aliases,
                    "properties": properties,
                })
            }
            None => Json::Null,
        },
        Value::Rel(r) => match store.relation(*r) {
            Some(rel) => {
                let mut fields = Map::new();
                fields.insert("id".into(), json!(r.0));
                fields.extend(relation_fields(store, &rel));
                Json::Object(fields)
            }
            None => Json::Null,
        },
        Value::List(items) => Json::Array(items.iter().map(|i| cell_json(store, i)).collect()),
        Value::Path(p) => {
            let edges: Vec<Json> = p
                .rels
                .iter()
                .filter_map(|r| store.relation(*r))
                .map(|rel| {
                    json!({
                        "from": store.name(rel.from),
                        "type": store.type_name(rel.relation.rtype),
                        "to": store.name(rel.to),
                        "date": (!rel.relation.when.is_undated()).then(|| rel.relation.when.to_string()),
                    })
                })
                .collect();
            json!({
                "hops": p.rels.len(),
                "nodes": p.nodes.iter().map(|n| store.name(*n)).collect::<Vec<_>>(),
                "edges": edges,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled_graph;

    fn rows(q: &str) -> Vec<Vec<String>> {
        let store = bundled_graph().unwrap();
        let table = run(&store, q, &Params::new()).unwrap_or_else(|e| panic!("{e}"));
        table
            .rows
            .iter()
            .map(|r| r.iter().map(|v| cell_text(&store, v)).collect())
            .collect()
    }

    #[test]
    fn who_heads_what() {
        assert_eq!(
            rows("MATCH (p:person)-[:heads]->(o) RETURN p.name, o.name ORDER BY p.name"),
            [["Naryshkin", "SVR"], ["Ratcliffe", "CIA"]]
        );
    }

    #[test]
    fn anchored_paths_and_aggregates() {
        assert_eq!(
            rows(
                "MATCH p = shortestPath((a {name: 'Naryshkin'})-[*]-(b {name: 'Putin'})) RETURN length(p)"
            ),
            [["3"]]
        );
        let counted = rows("MATCH (n) RETURN count(*) AS n");
        assert_eq!(counted, [["22"]]);
        assert_eq!(rows("MATCH (n {name: 'Nobody'}) RETURN count(n)"), [["0"]]);
    }

    #[test]
    fn label_predicates_exists_and_uniqueness() {
        assert_eq!(
            rows(
                "MATCH (n) WHERE n:organization AND exists(n.title) RETURN n.name ORDER BY n.name"
            ),
            [["CIA"], ["NATO"], ["SVR"]]
        );
        // Relationships are unique within a MATCH: no walking back over the same one.
        assert_eq!(
            rows("MATCH (a {name: 'Naryshkin'})-[:heads]-(b)-[:heads]-(c) RETURN count(*)"),
            [["0"]]
        );
        // Across MATCH clauses they may repeat.
        assert_eq!(
            rows("MATCH (a {name: 'Naryshkin'})-[:heads]-(b) MATCH (b)-[:heads]-(c) RETURN c.name"),
            [["Naryshkin"]]
        );
        // Direction is as stored, also for symmetric types.
        assert_eq!(
            rows("MATCH (:person {name: 'Putin'})-[:agreed]->(x) RETURN x"),
            Vec::<Vec<String>>::new()
        );
        assert_eq!(
            rows("MATCH (:person {name: 'Putin'})-[:agreed]-(x) RETURN x"),
            [["Trump"]]
        );
    }

    #[test]
    fn list_comprehensions_predicates_and_functions() {
        assert_eq!(
            rows(
                "MATCH p = shortestPath((a {name: 'Naryshkin'})-[*]-(b {name: 'Putin'})) RETURN [n IN nodes(p) | n.name], all(r IN relationships(p) WHERE r.date IS NULL)"
            ),
            [["['Naryshkin', 'SVR', 'Russia', 'Putin']", "true"]]
        );
        assert_eq!(
            rows(
                "RETURN [x IN [1, 2, 3] WHERE x > 1 | x * 10], any(x IN [1, null] WHERE x = 2), single(x IN [1, 2] WHERE x = 2)"
            ),
            [["[20, 30]", "", "true"]]
        );
        assert_eq!(
            rows(
                "RETURN substring('Naryshkin', 1, 3), replace('aa', 'a', 'b'), split('a,b', ','), left('abc', 2), right('abc', 2), head([3, 4]), last([3, 4]), reverse('ab')"
            ),
            [["ary", "bb", "['a', 'b']", "ab", "bc", "3", "4", "ba"]]
        );
    }

    fn error(q: &str) -> String {
        let store = bundled_graph().unwrap();
        run(&store, q, &Params::new()).unwrap_err().to_string()
    }

    /// Bugs a review found (each was a crash or a wrong answer).
    #[test]
    fn review_regressions() {
        let none = Vec::<Vec<String>>::new();
        assert_eq!(
            rows("MATCH (n {name: [x IN ['Putin'] | x][0]}) RETURN n.name"),
            [["Putin"]]
        );
        assert_eq!(
            rows("RETURN 1 AS one LIMIT size([x IN [1, 2] | x])"),
            [["1"]]
        );
        let deep = format!("RETURN {}1{}", "(".repeat(3000), ")".repeat(3000));
        assert!(error(&deep).contains("nests more than"));
        assert_eq!(
            rows("MATCH (n:place) RETURN n.name, exists((n)-[:heads]->()) ORDER BY n.name"),
            [["Istanbul", "false"], ["The Hague", "false"]]
        );
        assert_eq!(
            rows(
                "MATCH p = shortestPath((a {name: 'Putin'})-[*0..2]-(a)) RETURN a.name, length(p)"
            ),
            [["Putin", "0"]]
        );
        assert_eq!(
            rows(
                "MATCH (a {name: 'Naryshkin'})-[r1:heads]->(b), p = shortestPath((b)-[*..3]-(c {name: 'Russia'})), (b)<-[r2:heads]-(d) RETURN d.name"
            ),
            none
        );
        assert!(error("MATCH (a)-[r]->(b)-[r]->(c) RETURN count(*)").contains("appears twice"));
        assert_eq!(
            rows(
                "RETURN [x IN null | x] IS NULL, [1, 2] < [1, 3], toInteger('2.9'), split('abc', '')"
            ),
            [["true", "true", "2", "['a', 'b', 'c']"]]
        );
        assert!(error("MATCH (n:person) RETURN sum(n.name)").contains("sum() of a string"));
        assert_eq!(
            rows("MATCH (n) RETURN DISTINCT 9007199254740992 + size(n.name) % 2 AS x ORDER BY x")
                .len(),
            2
        );
        assert_eq!(
            rows(
                "MATCH p = (a)-[:heads]->(b) RETURN [n IN nodes(p) WHERE (n)-[:part_of]->() | n.name] AS l ORDER BY l"
            ),
            [["['CIA']"], ["['SVR']"]]
        );
        assert_eq!(
            rows("MATCH (a:person) RETURN a.name AS n ORDER BY size(n), n LIMIT 2"),
            [["Putin"], ["Rubio"]]
        );
        assert_eq!(
            rows("MATCH (a)-[:heads]->(b) RETURN DISTINCT b ORDER BY b.name"),
            [["CIA"], ["SVR"]]
        );
        assert_eq!(
            rows("RETURN 1<-1, 1e3, 2.5E-1"),
            [["false", "1000.0", "0.25"]]
        );
        assert!(
            error("MATCH (a:person) WHERE (a)-[:heads]->(o) MATCH (o:organization) RETURN a")
                .contains("not defined")
        );
        assert!(error("RETURN abs(-9223372036854775807 - 1)").contains("overflow"));
    }

    #[test]
    fn nulls_and_grouping() {
        assert_eq!(
            rows("MATCH (a)-[r:heads]->(b) RETURN r.date IS NULL AS undated, count(*) AS n"),
            [["true", "2"]]
        );
        assert_eq!(
            rows("MATCH (a)-[r:phoned]->(b) WHERE r.grade = 'B2' RETURN a"),
            Vec::<Vec<String>>::new()
        );
        assert_eq!(
            rows("MATCH (a:person) RETURN DISTINCT size(a.aliases) > 2 AS many ORDER BY many"),
            [["false"], ["true"]]
        );
    }

    #[test]
    fn errors_show_the_line_and_a_caret() {
        let store = bundled_graph().unwrap();
        let e = run(&store, "MATCH (n)\nRETURN m", &Params::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "query:2:8: variable `m` is not defined\n  RETURN m\n         ^"
        );
    }

    #[test]
    fn params_parse_by_their_look() {
        assert_eq!(parse_param("n=3").unwrap(), ("n".into(), Value::Int(3)));
        assert_eq!(
            parse_param("who=Putin").unwrap(),
            ("who".into(), Value::Str("Putin".into()))
        );
        assert_eq!(
            parse_param("s='42'").unwrap(),
            ("s".into(), Value::Str("42".into()))
        );
        assert!(parse_param("novalue").is_err());
        assert_eq!(
            parse_param("names=[\"Putin\", 2]").unwrap().1,
            Value::List(vec![Value::Str("Putin".into()), Value::Int(2)])
        );
    }
}
