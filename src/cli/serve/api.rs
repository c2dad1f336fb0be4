//! The JSON API of `kg serve`: each endpoint is a command of the command line, its
//! parameters that command's flags, and its answer that command's `--format json`
//! (docs/serve.md lists them). Only the DOT export of a chosen part is a library call of
//! its own, since no flag names a set of relations.

use clap::Parser;
use serde_json::{Value, json};

use kg::Error;
use kg::export::Subgraph;
use kg::model::{EntityId, RelationId};
use kg::store::StoreError;

use super::super::args::Cli;
use super::super::commands::{self, Outcome};
use super::{Asked, Reply, Served, Watched};

/// The selection flags every searching or listing endpoint takes: (parameter, kind).
const SELECTION: [(&str, Param); 8] = [
    ("type", Param::Many),
    ("kind", Param::Many),
    ("from", Param::Value),
    ("to", Param::Value),
    ("strict", Param::Flag),
    ("status", Param::Value),
    ("min_grade", Param::Value),
    ("include_denied", Param::Flag),
];

/// The path flags of `/api/path`.
const PATH: [(&str, Param); 5] = [
    ("directed", Param::Flag),
    ("all", Param::Flag),
    ("k", Param::Value),
    ("max_hops", Param::Value),
    ("chronological", Param::Flag),
];

/// The commands `/api/write` runs (with `--write`).
const WRITES: [&str; 7] = ["add", "set", "alias", "rename", "merge", "remove", "undo"];

/// How a parameter becomes a flag.
#[derive(Clone, Copy, PartialEq)]
enum Param {
    /// `--name=VALUE`, once.
    Value,
    /// `--name=VALUE` for each time it is given.
    Many,
    /// `--name` when true (`true`, `1`, `yes`, `on` or empty), nothing when false.
    Flag,
}

/// Answers `/api/{route}`.
pub fn answer(served: &Served, watched: &mut Watched, route: &str, asked: &Asked) -> Reply {
    match answer_or_error(served, watched, route, asked) {
        Ok(reply) => reply,
        Err(reply) => reply,
    }
}

fn answer_or_error(
    served: &Served,
    watched: &mut Watched,
    route: &str,
    asked: &Asked,
) -> Result<Reply, Reply> {
    let get = || {
        if matches!(asked.method.as_str(), "GET" | "HEAD") {
            Ok(())
        } else {
            Err(Reply::wrong_method(&format!("/api/{route}"), "GET, HEAD"))
        }
    };
    let post = || {
        if asked.method == "POST" {
            Ok(())
        } else {
            Err(Reply::wrong_method(&format!("/api/{route}"), "POST"))
        }
    };
    let words: Vec<String> = match route {
        "stats" => {
            get()?;
            known(asked, &[])?;
            vec!["stats".into()]
        }
        "search" => {
            get()?;
            known(asked, &[("q", Param::Value), ("limit", Param::Value)])?;
            let mut words = flags(asked, &[("limit", Param::Value)])?;
            words.splice(0..0, ["search".to_string()]);
            words.extend(["--".into(), required(asked, "q")?]);
            words
        }
        "entity" => {
            get()?;
            known(asked, &[("name", Param::Value)])?;
            vec!["show".into(), "--".into(), required(asked, "name")?]
        }
        "relation" => {
            get()?;
            known(asked, &[("id", Param::Value)])?;
            let id = required(asked, "id")?;
            let number: u32 = id.trim_start_matches('#').parse().map_err(|_| {
                Reply::error(400, &format!("id {id:?}: expected a relation number"))
            })?;
            vec!["show".into(), "--".into(), format!("#{number}")]
        }
        "neighbors" => {
            get()?;
            let own = [
                ("name", Param::Value),
                ("depth", Param::Value),
                ("directed", Param::Flag),
            ];
            let all: Vec<_> = own.iter().chain(&SELECTION).copied().collect();
            known(asked, &all)?;
            let mut words = vec!["neighbors".to_string()];
            words.extend(flags(asked, &all[1..])?);
            words.extend(["--".into(), required(asked, "name")?]);
            words
        }
        "path" => {
            get()?;
            let own = [("source", Param::Value), ("target", Param::Value)];
            let all: Vec<_> = own.iter().chain(&PATH).chain(&SELECTION).copied().collect();
            known(asked, &all)?;
            let mut words = vec!["path".to_string()];
            words.extend(flags(asked, &all[2..])?);
            words.extend([
                "--".into(),
                required(asked, "source")?,
                required(asked, "target")?,
            ]);
            words
        }
        "timeline" => {
            get()?;
            let all: Vec<_> = [("name", Param::Value)]
                .iter()
                .chain(&SELECTION)
                .copied()
                .collect();
            known(asked, &all)?;
            let mut words = vec!["timeline".to_string()];
            words.extend(flags(asked, &SELECTION)?);
            if let Some(name) = param(asked, "name") {
                words.extend(["--".into(), name]);
            }
            words
        }
        "history" => {
            get()?;
            known(asked, &[("limit", Param::Value)])?;
            let mut words = vec!["history".to_string()];
            words.extend(flags(asked, &[("limit", Param::Value)])?);
            words
        }
        "query" => {
            // GET ?q=..., or POST {"query": ..., "params": {...}}.
            let (text, params) = match asked.method.as_str() {
                "GET" | "HEAD" => {
                    known(
                        asked,
                        &[("q", Param::Value), ("include_denied", Param::Flag)],
                    )?;
                    (required(asked, "q")?, Vec::new())
                }
                "POST" => query_body(&asked.body)?,
                _ => return Err(Reply::wrong_method("/api/query", "GET, HEAD, POST")),
            };
            // Queries through the server only read, whatever the server may write.
            let mut words = vec![
                "query".to_string(),
                "--read-only".to_string(),
                format!("--timeout={}", served.time_limit),
            ];
            if include_denied(asked)? {
                words.push("--include-denied".to_string());
            }
            words.extend(params.into_iter().map(|p| format!("--param={p}")));
            words.extend(["--".into(), text]);
            words
        }
        "server" => {
            get()?;
            known(asked, &[])?;
            let database = served
                .db
                .as_ref()
                .map_or("the bundled graph".to_string(), |p| p.display().to_string());
            return Ok(Reply::json(
                200,
                &json!({
                    "database": database,
                    "write": served.write,
                    "draw_limit": super::page::DRAW_LIMIT,
                    "time_limit": served.time_limit,
                    "version": env!("CARGO_PKG_VERSION"),
                }),
            ));
        }
        "types" => {
            get()?;
            known(asked, &[])?;
            return types(watched);
        }
        "dot" => {
            post()?;
            return dot(watched, &asked.body);
        }
        "write" => {
            post()?;
            if !served.write {
                return Err(Reply::error(
                    403,
                    "this server is read-only: start it with kg serve --write to change the database",
                ));
            }
            if !asked.from_script {
                return Err(Reply::error(
                    403,
                    "a write must carry the header X-Requested-With: kg",
                ));
            }
            let words = write_body(&asked.body)?;
            let reply = run(watched, words, true)?;
            return Ok(reply);
        }
        _ => {
            return Err(Reply::error(
                404,
                &format!(
                    "no endpoint /api/{route}: the API has server, stats, types, search, entity, relation, neighbors, path, timeline, history, query, dot and write"
                ),
            ));
        }
    };
    run(watched, words, false)
}

/// The value of parameter `name`, if given.
fn param(asked: &Asked, name: &str) -> Option<String> {
    asked
        .params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn required(asked: &Asked, name: &str) -> Result<String, Reply> {
    param(asked, name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Reply::error(400, &format!("the parameter {name} is required")))
}

/// Refuses a parameter the endpoint does not take (the token excepted).
fn known(asked: &Asked, params: &[(&str, Param)]) -> Result<(), Reply> {
    for (k, _) in &asked.params {
        if k != "token" && !params.iter().any(|(p, _)| p == k) {
            let names: Vec<&str> = params.iter().map(|(p, _)| *p).collect();
            return Err(Reply::error(
                400,
                &format!(
                    "unknown parameter {k:?}{}",
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(": this endpoint takes {}", names.join(", "))
                    }
                ),
            ));
        }
    }
    Ok(())
}

/// The command-line flags of the parameters given among `params`, each as one word
/// (`--name=VALUE`, so a value that starts with a dash stays a value).
fn flags(asked: &Asked, params: &[(&str, Param)]) -> Result<Vec<String>, Reply> {
    let mut words = Vec::new();
    for (name, how) in params {
        let flag = format!("--{}", name.replace('_', "-"));
        let given: Vec<&String> = asked
            .params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect();
        if given.len() > 1 && *how != Param::Many {
            return Err(Reply::error(
                400,
                &format!("the parameter {name} is given twice"),
            ));
        }
        for value in given {
            match how {
                Param::Flag => match value.to_ascii_lowercase().as_str() {
                    "" | "1" | "true" | "yes" | "on" => words.push(flag.clone()),
                    "0" | "false" | "no" | "off" => {}
                    _ => {
                        return Err(Reply::error(
                            400,
                            &format!("{name}={value:?}: expected true or false"),
                        ));
                    }
                },
                // `-k N` is the one flag with a short name only.
                Param::Value if *name == "k" => words.push(format!("-k{value}")),
                _ => words.push(format!("{flag}={value}")),
            }
        }
    }
    Ok(words)
}

/// The query text and parameters of a POST to `/api/query`: `{"query": "...",
/// "params": {"name": value}, "include_denied": false}`. A parameter keeps its JSON type
/// (the string "1984" stays a string).
fn query_body(body: &[u8]) -> Result<(String, Vec<String>), Reply> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Reply::error(400, &format!("the body is not JSON: {e}")))?;
    if let Some(map) = value.as_object()
        && let Some(other) = map
            .keys()
            .find(|k| !["query", "params", "include_denied"].contains(&k.as_str()))
    {
        return Err(Reply::error(
            400,
            &format!("unknown key {other:?}: expected query, params and include_denied"),
        ));
    }
    let text = value["query"]
        .as_str()
        .ok_or_else(|| Reply::error(400, "expected {\"query\": \"MATCH ...\"}"))?
        .to_string();
    let mut params = Vec::new();
    if let Some(map) = value.get("params").and_then(Value::as_object) {
        for (k, v) in map {
            let written = match v {
                // Quoted, a string stays one whatever it holds.
                Value::String(s) => format!("\"{s}\""),
                Value::Object(_) => {
                    return Err(Reply::error(
                        400,
                        &format!("params.{k}: a map is not a parameter kg takes"),
                    ));
                }
                other => other.to_string(),
            };
            params.push(format!("{k}={written}"));
        }
    }
    Ok((text, params))
}

/// Whether a query asks to walk denied relations: `include_denied` in the query
/// string or in the POST body.
fn include_denied(asked: &Asked) -> Result<bool, Reply> {
    if asked.method == "POST" {
        let value: Value = serde_json::from_slice(&asked.body).unwrap_or_default();
        return match &value["include_denied"] {
            Value::Null => Ok(false),
            Value::Bool(b) => Ok(*b),
            other => Err(Reply::error(
                400,
                &format!("include_denied: expected true or false, not {other}"),
            )),
        };
    }
    Ok(flags(asked, &[("include_denied", Param::Flag)])?.len() == 1)
}

/// The command of a POST to `/api/write`: `{"args": ["add", "relation", ...]}`, one
/// of the curation commands.
fn write_body(body: &[u8]) -> Result<Vec<String>, Reply> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Reply::error(400, &format!("the body is not JSON: {e}")))?;
    let words: Vec<String> = value["args"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|w| w.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    match words.first() {
        Some(first) if WRITES.contains(&first.as_str()) => Ok(words),
        _ => Err(Reply::error(
            400,
            &format!(
                "expected {{\"args\": [COMMAND, ...]}} with COMMAND one of {}",
                WRITES.join(", ")
            ),
        )),
    }
}

/// Runs command-line `words` (without `kg`) on the session as JSON.
fn run(watched: &mut Watched, words: Vec<String>, writes: bool) -> Result<Reply, Reply> {
    if words
        .iter()
        .any(|w| w == "--db" || w.starts_with("--db=") || w.starts_with("--format"))
    {
        return Err(Reply::error(400, "--db and --format are the server's"));
    }
    let argv: Vec<String> = ["kg", "--format", "json"]
        .iter()
        .map(|w| w.to_string())
        .chain(words.iter().cloned())
        .collect();
    let cli = Cli::try_parse_from(&argv)
        .map_err(|e| Reply::error(400, &super::super::args::manual::clap_error_line(&e)))?;
    let session = watched.fresh();
    session.set_command(std::iter::once("kg".to_string()).chain(words));
    let mut out = Vec::new();
    let outcome = commands::execute(session, &cli, &mut out);
    if writes {
        watched.settle();
    }
    match outcome {
        Ok(Outcome::Done) if out.is_empty() => Ok(Reply::json(200, &json!({}))),
        Ok(Outcome::Done) => Ok(Reply {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: out,
            allow: None,
        }),
        Ok(Outcome::NothingFound(message)) => {
            let mut answer = serde_json::from_slice::<Value>(&out).unwrap_or(json!({}));
            if let Some(map) = answer.as_object_mut() {
                map.insert("found".into(), json!(false));
                map.insert("message".into(), json!(message));
            }
            Ok(Reply::json(200, &answer))
        }
        Err(e) => Err(error_reply(&e)),
    }
}

/// The HTTP status of a command's error: 404 for what is not there (with the CLI's
/// suggestion), 400 for a request that cannot be carried out, 500 for the rest.
fn error_reply(e: &Error) -> Reply {
    let status = match e {
        Error::Store(StoreError::UnknownEntity { .. } | StoreError::UnknownRelation(_)) => 404,
        Error::Store(_) | Error::Usage(_) | Error::Date(_) | Error::Query(_) | Error::Source(_) => {
            400
        }
        Error::Storage(kg::storage::StorageError::Missing { .. }) => 404,
        Error::Storage(_) | Error::Io(_) => 500,
    };
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    Reply::error(status, first)
}

/// `GET /api/types`: the relation types, as `kg export csv --types` lists them, with
/// whether each is symmetric (the page draws those without arrowheads).
fn types(watched: &mut Watched) -> Result<Reply, Reply> {
    let store = watched.fresh().read().map_err(|e| error_reply(&e))?;
    let list: Vec<Value> = store
        .types()
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "symmetric": t.symmetric,
                "cameo": t.cameo,
                "description": t.description,
            })
        })
        .collect();
    Ok(Reply::json(200, &Value::Array(list)))
}

/// `POST /api/dot {"entities": [NAME or ID...], "relations": [ID...]}`: kg's DOT
/// export of exactly that part (the page's current view).
fn dot(watched: &mut Watched, body: &[u8]) -> Result<Reply, Reply> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Reply::error(400, &format!("the body is not JSON: {e}")))?;
    for key in ["entities", "relations"] {
        if !(value[key].is_null() || value[key].is_array()) {
            return Err(Reply::error(400, &format!("{key}: expected a list")));
        }
    }
    if let Some(map) = value.as_object()
        && let Some(other) = map
            .keys()
            .find(|k| !["entities", "relations"].contains(&k.as_str()))
    {
        return Err(Reply::error(
            400,
            &format!("unknown key {other:?}: expected entities and relations"),
        ));
    }
    let store = watched.fresh().read().map_err(|e| error_reply(&e))?;
    let mut part = Subgraph::default();
    for r in value["relations"].as_array().into_iter().flatten() {
        let id = r
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(RelationId)
            .ok_or_else(|| Reply::error(400, &format!("relation {r}: expected a number")))?;
        let relation = store
            .relation(id)
            .ok_or_else(|| Reply::error(404, &format!("no relation #{}", id.0)))?;
        part.relations.push(id);
        part.entities.extend([relation.from, relation.to]);
    }
    for e in value["entities"].as_array().into_iter().flatten() {
        let id = match e {
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(EntityId)
                .filter(|id| store.entity(*id).is_some()),
            Value::String(name) => Some(store.resolve(name).map_err(|e| error_reply(&e.into()))?),
            _ => None,
        }
        .ok_or_else(|| Reply::error(404, &format!("no entity {e}")))?;
        part.entities.push(id);
    }
    part.entities.sort_unstable();
    part.entities.dedup();
    part.relations.sort_unstable();
    part.relations.dedup();
    let mut out = Vec::new();
    kg::export::dot::write(
        store,
        &part,
        kg::export::dot::DotOptions::default(),
        &mut out,
    )
    .map_err(|e| Reply::error(500, &e.to_string()))?;
    Ok(Reply {
        status: 200,
        content_type: "text/vnd.graphviz; charset=utf-8",
        body: out,
        allow: None,
    })
}
