//! `kg query`: an openCypher query from the command line, a file or standard input,
//! answered as a table of rows.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use kg::Error;
use kg::query::{self, Table};
use kg::store::Store;

use crate::cli::describe::count;
use crate::cli::render::{Answer, Block, Evidence, Report, Sheet, evidence_of};
use crate::cli::session::Session;
use crate::cli::terminal;

/// What `kg query` was asked.
pub struct Request<'a> {
    pub text: Option<&'a str>,
    pub file: Option<&'a PathBuf>,
    pub params: &'a [String],
    pub explain: bool,
    pub timeout: Option<std::time::Duration>,
    pub include_denied: bool,
    /// Refuse a query that would change the database.
    pub read_only: bool,
    /// Stops the query once set.
    pub cancel: &'a AtomicBool,
}

/// Reads the query, runs it (a query that changes the graph as one write of the
/// database, which `kg undo` takes back whole), and answers with its rows (exit 1 when
/// a query that only reads finds none).
pub fn run<'s>(session: &'s mut Session, request: &Request) -> Result<Answer<'s>, Error> {
    let text = query_text(request.text, request.file)?;
    // The file's own `// --param` lines give defaults; the command line overrides them.
    let mut values = query::declared_params(&text).map_err(|(line, e)| {
        let name = match request.file {
            Some(file) if request.text.is_none() && file.as_os_str() != "-" => {
                file.display().to_string()
            }
            Some(_) if request.text.is_none() => "stdin".to_string(),
            _ => "query".to_string(),
        };
        Error::Usage(format!("{name}:{line}: {e}"))
    })?;
    for p in request.params {
        let (name, value) = query::parse_param(p).map_err(Error::Usage)?;
        values.insert(name, value);
    }
    let start = std::time::Instant::now();
    let options = query::Options {
        cancel: Some(request.cancel),
        explain: request.explain,
        timeout: request.timeout,
        include_denied: request.include_denied,
    };
    let located = |e: query::QueryError| match request.file {
        Some(file) if request.text.is_none() => {
            let name = if file.as_os_str() == "-" {
                "stdin".to_string()
            } else {
                file.display().to_string()
            };
            Error::from(e.located(&name, 1))
        }
        _ => Error::from(e),
    };
    let writes = !request.read_only && query::updating_clause(&text).is_some();
    let ran = if writes {
        session
            .write(|store| query::run_writing(store, &text, &values, options).map_err(located))?
    } else {
        query::run_with(session.read()?, &text, &values, options).map_err(located)?
    };
    let store = session.read()?;
    for line in &ran.explain {
        terminal::note(&format!("explain: {line}"));
    }
    for hint in &ran.hints {
        terminal::note(&format!("hint: {hint}"));
    }
    let table = ran.table;
    terminal::timing(
        &format!("ran the query ({})", count(table.rows.len(), "row", "rows")),
        start,
    );
    if writes {
        let undo = if ran.changes.is_empty() {
            ""
        } else {
            " (kg undo takes it back)"
        };
        terminal::note(&format!("{}{undo}", ran.changes.summary()));
        if table.columns.is_empty() {
            return Ok(Answer::report(Rows { store, table }));
        }
    }
    // Exit 1 says the query found nothing: not so for one whose writes landed.
    let empty = table.rows.is_empty() && ran.changes.is_empty();
    Ok(Answer::report(Rows { store, table }).found_nothing_if(empty, "no rows"))
}

/// The query's text: as given, from a file, or from standard input (`-f -`).
fn query_text(text: Option<&str>, file: Option<&PathBuf>) -> Result<String, Error> {
    match (text, file) {
        (Some(text), _) => Ok(text.to_string()),
        (None, Some(file)) if file.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Error::Usage(format!("standard input: {e}")))?;
            Ok(text)
        }
        (None, Some(file)) => std::fs::read_to_string(file)
            .map_err(|e| Error::Usage(format!("{}: {}", file.display(), kg::source::io_words(&e)))),
        (None, None) => Err(Error::Usage("give a query or -f FILE".into())),
    }
}

/// A query's result: its columns as the return items were written, and its rows.
struct Rows<'s> {
    store: &'s Store,
    table: Table,
}

impl Rows<'_> {
    fn text_rows(&self) -> Vec<Vec<String>> {
        let cells = |row: &Vec<query::Value>| {
            row.iter()
                .map(|v| query::cell_text(self.store, v))
                .collect()
        };
        self.table.rows.iter().map(cells).collect()
    }
}

/// The relations a value shows: a relationship, those in a list or along a path.
fn relations_in(value: &query::Value, out: &mut Vec<kg::model::RelationId>) {
    match value {
        query::Value::Rel(id) => out.push(*id),
        query::Value::List(items) => items.iter().for_each(|v| relations_in(v, out)),
        query::Value::Path(path) => out.extend(&path.rels),
        _ => {}
    }
}

impl Report for Rows<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        let mut ids = Vec::new();
        self.table
            .rows
            .iter()
            .flatten()
            .for_each(|v| relations_in(v, &mut ids));
        evidence_of(self.store, ids)
    }

    /// An array of row objects.
    fn json(&self) -> Value {
        let rows = self.table.rows.iter().map(|row| {
            let object: serde_json::Map<String, Value> = self
                .table
                .columns
                .iter()
                .zip(row)
                .map(|(c, v)| (c.clone(), query::cell_json(self.store, v)))
                .collect();
            Value::Object(object)
        });
        Value::Array(rows.collect())
    }

    fn csv(&self) -> Sheet {
        Sheet {
            headers: self.table.columns.clone(),
            rows: self.text_rows(),
        }
    }

    fn text(&self) -> Vec<Block> {
        vec![Block::Table {
            headers: Some(self.table.columns.clone()),
            rows: self.text_rows(),
        }]
    }
}
