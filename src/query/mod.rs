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
mod changes;
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
pub use changes::Changes;
pub use error::{Pos, QueryError};
pub use eval::project::Table;
pub use value::{Params, Value};

use context::Context;
use eval::pipeline::Target;
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
    /// What the query changed (nothing, for a query that only reads).
    pub changes: Changes,
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

/// Parses, plans and runs `text` on `store` as `options` say. A query that would
/// change the graph is refused before it runs (see [`run_writing`]).
pub fn run_with(
    store: &Store,
    text: &str,
    params: &Params,
    options: Options,
) -> Result<Ran, QueryError> {
    with_stack(|| run_on(Target::Read(store), text, params, options))
}

/// Parses, plans and runs `text` on `store`, which its `CREATE`, `MERGE`, `SET`,
/// `REMOVE` and `DELETE` clauses change through the store's own edits (the caller
/// makes the store durable, or drops it on an error: a query's changes are all or
/// nothing only so).
pub fn run_writing(
    store: &mut Store,
    text: &str,
    params: &Params,
    options: Options,
) -> Result<Ran, QueryError> {
    with_stack(|| {
        run_on(
            Target::Write(store, Changes::default()),
            text,
            params,
            options,
        )
    })
}

/// The first clause of `text` that changes the graph (`CREATE`, `SET`, ...), if it
/// parses and has one: whether it must run with [`run_writing`].
pub fn updating_clause(text: &str) -> Option<&'static str> {
    let query = with_stack(|| parser::parse(text)).ok()?;
    query
        .unions
        .iter()
        .find_map(|single| single.first_update())
        .map(ast::Clause::keyword)
}

fn run_on(
    mut target: Target,
    text: &str,
    params: &Params,
    options: Options,
) -> Result<Ran, QueryError> {
    let with_source = |mut e: QueryError| {
        e.source = Some(text.to_string());
        e
    };
    let query = parser::parse(text).map_err(with_source)?;
    if let Target::Read(_) = target
        && let Some(clause) = query.unions.iter().find_map(|single| single.first_update())
    {
        return Err(with_source(read_only(clause)));
    }
    let plan = Plan::new(target.store(), &query).map_err(with_source)?;
    let mut context = Context::new(options.cancel, options.timeout);
    context.walk_denied = options.include_denied;
    let mut explain = options.explain.then(Vec::new);
    let table =
        execute(&mut target, params, &plan, &context, explain.as_mut()).map_err(with_source)?;
    let hints = if table.rows.is_empty() {
        let mut hints = hints::schema_hints(target.store(), &query);
        hints.extend(hints::name_hints(target.store(), &query, params));
        hints
    } else {
        Vec::new()
    };
    let changes = match target {
        Target::Write(_, changes) => changes,
        Target::Read(_) => Changes::default(),
    };
    Ok(Ran {
        table,
        explain: explain.unwrap_or_default(),
        hints,
        changes,
    })
}

/// The error of a query that would change the graph where queries only read.
fn read_only(clause: &ast::Clause) -> QueryError {
    QueryError::at(
        clause.pos(),
        format!(
            "{} changes the graph, and this query may only read (kg query --read-only, kg serve)",
            clause.keyword()
        ),
    )
}

/// Runs a plan: each single query's stages (see `eval::pipeline`), and the parts of a
/// `UNION` one after the other, duplicates removed unless it is `UNION ALL`. With
/// `explain`, says how.
fn execute(
    target: &mut Target,
    params: &Params,
    plan: &Plan,
    context: &Context,
    mut explain: Option<&mut Vec<String>>,
) -> Result<Table, QueryError> {
    if let Some(lines) = explain.as_deref_mut() {
        lines.extend(explain::plan_lines(
            target.store(),
            plan,
            context.walk_denied,
        ));
    }
    let mut table: Option<Table> = None;
    for part in 0..plan.unions.len() {
        let (answer, counts) =
            eval::pipeline::run_stages(target, params, plan, part, context, Vec::new())?;
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
        lines.push(explain::work_line(target.store(), context.work()));
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
    let value = if raw.starts_with('[') || raw.starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(raw).map_err(|e| {
            format!(
                "--param {name}: a list or map must be JSON, e.g. [\"a\", 2] or {{\"k\": 1}}: {e}"
            )
        })?;
        json_value(&json)?
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
        Json::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), json_value(v)?)))
                .collect::<Result<Vec<_>, String>>()?,
        ),
    })
}

#[cfg(test)]
mod tests;
