//! The openCypher subset: `kg query 'MATCH ... RETURN ...'`.
//!
//! A query runs in three stages: `lexer` and `parser` turn the text into the
//! `ast`; `plan` gives each variable a slot, each pattern a starting point and each
//! aggregate an id, and checks names (so errors come before any row); `eval` matches
//! the patterns against the store and projects the `RETURN` items. Values and their
//! comparison rules are in [`value`], their output forms in `cells`, `--explain` in
//! `explain`, and what a run is handed besides its text (cancellation, work counters)
//! in `context`.
//!
//! Semantics are openCypher's: relationships are unique within a `MATCH`, `null`
//! propagates through comparisons and `WHERE` keeps only rows where the predicate is
//! true, and aggregates group by the other return items. kg's own choices: labels are
//! entity kinds, a relationship's direction is the direction it was stored in (a
//! symmetric type matches `-[]-` either way, `-[]->` only as written), and `r.date`
//! (a span of days, printed as written) compares by overlap, as every date window in
//! kg does: `r.date >= date('2025-02-01') AND r.date <= date('2025-02-28')` keeps
//! what overlaps February.

mod ast;
mod cells;
mod context;
mod error;
mod eval;
mod explain;
mod hints;
mod lexer;
mod parser;
mod plan;
pub mod value;

use std::sync::atomic::AtomicBool;

use serde_json::Value as Json;

pub use cells::{cell_json, cell_text};
pub use error::{Pos, QueryError};
pub use eval::project::Table;
pub use value::{Params, Value};

use context::Context;
use plan::Plan;

use crate::store::Store;

/// How a query runs besides its text and parameters.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    /// Once set (by the shell's Ctrl-C), the query stops with the error "cancelled".
    pub cancel: Option<&'a AtomicBool>,
    /// Say how the query ran: each pattern's plan, the rows each clause left, the work.
    pub explain: bool,
    /// Stop with an error once the query has run this long.
    pub timeout: Option<std::time::Duration>,
    /// Let variable-length patterns and shortest paths walk `denied` relations (by
    /// default they do not, unless the relationship's property map names `status`).
    pub include_denied: bool,
}

/// A query's answer, and with [`Options::explain`] how it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    pub table: Table,
    pub explain: Vec<String>,
    /// When no row was found: texts compared to a name that are an alias of an entity
    /// or its name in another case, each with the likely entity.
    pub hints: Vec<String>,
}

/// Runs `work` on a thread with a large stack: parsing and evaluation recurse as
/// deeply as a query nests (at most `parser`'s limit), whatever thread asks.
pub(crate) fn with_stack<T: Send>(
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
    run_with(store, text, params, Options::default()).map(|ran| ran.table)
}

/// Parses, plans and runs `text` on `store` as `options` say.
pub fn run_with(
    store: &Store,
    text: &str,
    params: &Params,
    options: Options,
) -> Result<Ran, QueryError> {
    with_stack(|| {
        let with_source = |mut e: QueryError| {
            e.source = Some(text.to_string());
            e
        };
        let query = parser::parse(text).map_err(with_source)?;
        let plan = Plan::new(store, &query).map_err(with_source)?;
        let mut context = Context::new(options.cancel, options.timeout);
        context.walk_denied = options.include_denied;
        let mut explain = options.explain.then(Vec::new);
        let table =
            execute(store, params, &plan, &context, explain.as_mut()).map_err(with_source)?;
        let hints = if table.rows.is_empty() {
            hints::name_hints(store, &query, params)
        } else {
            Vec::new()
        };
        Ok(Ran {
            table,
            explain: explain.unwrap_or_default(),
            hints,
        })
    })
}

/// Runs a plan: each single query's stages (see `eval::pipeline`), and the parts of a
/// `UNION` one after the other, duplicates removed unless it is `UNION ALL`. With
/// `explain`, says how.
fn execute(
    store: &Store,
    params: &Params,
    plan: &Plan,
    context: &Context,
    mut explain: Option<&mut Vec<String>>,
) -> Result<Table, QueryError> {
    if let Some(lines) = explain.as_deref_mut() {
        lines.extend(explain::plan_lines(store, plan, context.walk_denied));
    }
    let mut table: Option<Table> = None;
    for (part, stages) in plan.unions.iter().enumerate() {
        let (answer, counts) = eval::pipeline::run_stages(store, params, stages, context)?;
        if let Some(lines) = explain.as_deref_mut() {
            lines.extend(explain::count_lines(plan, part, &counts));
        }
        match table.as_mut() {
            None => table = Some(answer),
            Some(table) => table.rows.extend(answer.rows),
        }
    }
    let mut table = table.ok_or_else(|| QueryError::new("a query with no parts"))?;
    if plan.unions.len() > 1 && !plan.query.union_all {
        let mut seen = std::collections::HashSet::new();
        table.rows.retain(|row| {
            let mut key = String::new();
            for v in row {
                v.group_key(&mut key);
                key.push('\u{1}');
            }
            seen.insert(key)
        });
    }
    if let Some(lines) = explain {
        lines.push(explain::work_line(store, context.work()));
    }
    Ok(table)
}

/// The parameters a query's text declares for itself: each comment line
/// `// --param NAME=VALUE` (as on the command line) gives NAME that value by default, so
/// a query file runs as it is; values given when it runs take their place.
pub fn declared_params(text: &str) -> Result<Params, (usize, String)> {
    let mut params = Params::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(param) = line.trim().strip_prefix("//").map(str::trim)
            && let Some(param) = param
                .strip_prefix("--param")
                .filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            let (name, value) = parse_param(param.trim()).map_err(|e| (n + 1, e))?;
            params.insert(name, value);
        }
    }
    Ok(params)
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
        assert_eq!(counted, [["21"]]);
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
    fn case_takes_the_first_branch_that_holds() {
        assert_eq!(
            rows(
                "MATCH (p:person) WHERE p.name IN ['Putin', 'Trump', 'Rubio'] \
                  RETURN p.name, CASE p.name WHEN 'Putin' THEN 'Kremlin' WHEN 'Trump' THEN 'White House' END AS seat \
                  ORDER BY p.name"
            ),
            [
                ["Putin", "Kremlin"],
                ["Rubio", ""],
                ["Trump", "White House"]
            ]
        );
        assert_eq!(
            rows(
                "MATCH (a)-[r:phoned]-(b) WHERE a.name < b.name \
                  RETURN CASE WHEN r.status = 'claimed' THEN 'claim' WHEN r.date < date('2025-06') THEN 'early' ELSE 'other' END AS k, \
                  count(*) ORDER BY k"
            ),
            [["claim", "1"], ["early", "1"]]
        );
        // A variable named case is still a variable.
        assert_eq!(
            rows("MATCH (case:person {name: 'Putin'}) RETURN case.name"),
            [["Putin"]]
        );
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

    /// The plan finds these before any row: a query that matches nothing reports them.
    #[test]
    fn planning_errors_need_no_rows() {
        let nobody = "MATCH (a) WHERE a.name = 'Nobody'";
        let unknown_function = error(&format!("{nobody} RETURN foo(a)"));
        assert!(
            unknown_function.contains("function foo() is not supported"),
            "{unknown_function}"
        );
        let unknown_type = error(&format!("{nobody} AND (a)-[:nosuch]->() RETURN a"));
        assert!(
            unknown_type.contains("unknown relationship type 'nosuch'"),
            "{unknown_type}"
        );
        let in_return = error(&format!("{nobody} RETURN exists((a)-[:nosuch]-())"));
        assert!(
            in_return.contains("unknown relationship type"),
            "{in_return}"
        );
    }

    #[test]
    fn with_pipes_projects_groups_and_filters() {
        assert_eq!(
            rows(
                "MATCH (a)-[r]->() WITH a, count(r) AS n WHERE n >= 4 RETURN a.name, n ORDER BY a.name"
            ),
            [["Naryshkin", "5"], ["Trump", "4"]]
        );
        // A streaming WITH: the carried node anchors the next MATCH.
        assert_eq!(
            rows(
                "MATCH (:person {name: 'Naryshkin'})-[:heads]->(o) WITH o MATCH (o)-[:part_of]->(c) RETURN c.name"
            ),
            [["Russia"]]
        );
        assert_eq!(
            rows(
                "MATCH (a)-[r]->() WITH a, count(*) AS n ORDER BY n DESC, a.name LIMIT 2 RETURN collect(a.name) AS top"
            ),
            [["['Naryshkin', 'Trump']"]]
        );
        assert_eq!(
            rows("MATCH (a {name: 'Putin'}) WITH * RETURN a.name"),
            [["Putin"]]
        );
        assert_eq!(rows("WITH 1 AS x WITH x + 1 AS y RETURN y * 10"), [["20"]]);
        assert_eq!(
            rows("MATCH (n) WITH DISTINCT n.kind AS kind RETURN count(*)"),
            [["6"]]
        );
        let store = bundled_graph().unwrap();
        for (query, error) in [
            (
                "MATCH (a)-->(b) WITH a RETURN b",
                "variable `b` is not defined",
            ),
            ("MATCH (a) WITH a.name RETURN 1", "needs a name"),
            (
                "MATCH (a) WITH a AS x WHERE a.name = 'P' RETURN x",
                "`a` is not defined",
            ),
            ("RETURN 1 AS a UNION RETURN 2 AS b", "the same columns"),
        ] {
            let e = run(&store, query, &Params::new()).unwrap_err().to_string();
            assert!(e.contains(error), "{query}: {e}");
        }
    }

    #[test]
    fn optional_match_unwind_and_union() {
        assert_eq!(
            rows(
                "MATCH (p:person) OPTIONAL MATCH (p)-[:heads]->(o) RETURN p.name, o.name ORDER BY p.name"
            ),
            [
                ["Estonian foreign minister", ""],
                ["Naryshkin", "SVR"],
                ["Putin", ""],
                ["Ratcliffe", "CIA"],
                ["Rubio", ""],
                ["Trump", ""]
            ]
        );
        // WHERE belongs to the optional pattern: a row it rules out keeps its person.
        assert_eq!(
            rows(
                "MATCH (p:person) OPTIONAL MATCH (p)-[:heads]->(o) WHERE o.name = 'CIA' RETURN p.name, count(o) AS n ORDER BY n DESC, p.name LIMIT 2"
            ),
            [["Ratcliffe", "1"], ["Estonian foreign minister", "0"]]
        );
        // A null from an OPTIONAL MATCH matches nothing later.
        assert_eq!(
            rows(
                "MATCH (p {name: 'Putin'}) OPTIONAL MATCH (p)-[:heads]->(o) OPTIONAL MATCH (o)-[:part_of]->(c) RETURN p.name, o, c"
            ),
            [["Putin", "", ""]]
        );
        assert_eq!(
            rows(
                "UNWIND ['Trump', 'Nobody', 'Putin'] AS name MATCH (p {name: name}) RETURN p.name ORDER BY p.name"
            ),
            [["Putin"], ["Trump"]]
        );
        assert_eq!(
            rows("UNWIND [[1, 2], null, 3] AS x UNWIND x AS y RETURN collect(y) AS ys"),
            [["[1, 2, 3]"]]
        );
        assert_eq!(
            rows(
                "MATCH (a {name: 'Putin'}) RETURN a.name AS n UNION MATCH (b {name: 'Putin'}) RETURN b.name AS n"
            ),
            [["Putin"]]
        );
        assert_eq!(
            rows("RETURN 1 AS n UNION ALL RETURN 1 AS n UNION ALL RETURN 2 AS n").len(),
            3
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
