//! One function per command: open the database, call the library, render the result.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::output::{self, Dated, arrow, cell, date_text, notes};
use super::paths;
use super::{
    AddCommand, Cli, Command, ExportFormat, Format, PathArgs, RemoveCommand, RenderFormat,
    SelectionArgs,
};
use crate::algo::path::{
    MAX_PATHS, PathFinder, PathQuery, all_shortest_paths, k_shortest_paths, shortest_path,
};
use crate::algo::timeline;
use crate::algo::{self, neighbors};
use crate::export::{self, Subgraph};
use crate::fields::relation_json;
use crate::import::{self, Duplicates};
use crate::model::{Entity, EntityId, Kind, RelationId, RelationType};
use crate::query;
use crate::select::Selection;
use crate::source::{self, Batch, Location, NameRef, ReadOptions, RelationDecl, sorted_properties};
use crate::storage::{self, Database, Replayed};
use crate::store::{Lookup, Store};
use crate::{Error, bundled_graph};

fn timing(what: &str, start: std::time::Instant) {
    super::terminal::timing(what, start);
}

/// How a command ended when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The query ran and found nothing (exit code 1), with the message for stderr.
    NothingFound(String),
}

/// The database a command line names: --db, else KG_DB; an empty one means no
/// database (the bundled graph), as if it were not set.
pub fn database_of(cli: &Cli) -> Option<PathBuf> {
    let from_env = std::env::var_os("KG_DB").map(PathBuf::from);
    cli.db
        .clone()
        .or(from_env)
        .filter(|p| !p.as_os_str().is_empty())
}

/// Runs one command line.
pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<Outcome, Error> {
    let mut session = Session::new(database_of(cli));
    let result = execute(&mut session, cli, out);
    // The process ends right after the command, and freeing ten million relations
    // one by one would only delay the exit.
    std::mem::forget(session);
    result
}

/// One database (or the bundled graph) across commands: opened once for reads and
/// kept, replaced by the state each write leaves. The shell keeps one; a command line
/// makes one for its command.
pub struct Session {
    db: Option<PathBuf>,
    store: Option<Store>,
}

impl Session {
    pub fn new(db: Option<PathBuf>) -> Session {
        Session { db, store: None }
    }

    pub fn db(&self) -> Option<&Path> {
        self.db.as_deref()
    }

    /// The store reads work on: the file, or the bundled graph without one.
    pub fn read(&mut self) -> Result<&Store, Error> {
        if self.store.is_none() {
            let start = std::time::Instant::now();
            let store = match &self.db {
                Some(path) => database(path).open()?.store,
                None => {
                    let store = bundled_graph()?;
                    timing(
                        &format!(
                            "opened {} entities and {} relations",
                            store.entity_count(),
                            store.relation_count()
                        ),
                        start,
                    );
                    store
                }
            };
            self.store = Some(store);
        }
        match &self.store {
            Some(store) => Ok(store),
            None => Err(Error::Usage("no database is open".to_string())),
        }
    }

    /// Runs `change` as [`write_store`] does, then keeps the store it left.
    fn write<T>(
        &mut self,
        change: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let (result, store) = write_store(self.db.as_deref(), change)?;
        self.store = Some(store);
        Ok(result)
    }

    /// Forgets the kept store: the next read opens the file again.
    pub fn reload(&mut self) {
        self.store = None;
    }
}

/// Runs one command on a session.
pub fn execute(session: &mut Session, cli: &Cli, out: &mut dyn Write) -> Result<Outcome, Error> {
    let db_path = session.db.clone();
    let db = db_path.as_deref();
    let format = cli.format;
    match &cli.command {
        Command::Import { files, strict } => {
            let options = ReadOptions { strict: *strict };
            let start = std::time::Instant::now();
            let mut batch = Batch::default();
            for file in files {
                let mut bar = output::ProgressBar::new(&format!("reading {}", file.display()));
                batch.extend(source::read_file_reporting(
                    file,
                    options,
                    &mut |done, all| bar.show(done, all),
                )?);
                bar.finish();
            }
            timing("read the sources", start);
            let summary = session.write(|store| {
                let start = std::time::Instant::now();
                let summary = import::apply(store, batch, Duplicates::Skip)?;
                timing("applied the import", start);
                Ok(summary)
            })?;
            match format {
                Format::Json => output::json(
                    out,
                    &serde_json::to_value(&summary).map_err(std::io::Error::from)?,
                )?,
                _ => {
                    let mut line = format!(
                        "imported {}: {} entities, {} relations, {} types added",
                        files
                            .iter()
                            .map(|f| f.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        summary.entities_added,
                        summary.relations_added,
                        summary.types_added.len(),
                    );
                    if summary.relations_present > 0 {
                        line.push_str(&format!(
                            "; {} relations already present",
                            summary.relations_present
                        ));
                    }
                    if summary.entities_updated > 0 {
                        line.push_str(&format!("; {} entities updated", summary.entities_updated));
                    }
                    writeln!(out, "{line}")?;
                    if !summary.entities_created.is_empty() {
                        writeln!(
                            out,
                            "created {} undeclared entities as kind other: {}",
                            summary.entities_created.len(),
                            list(&summary.entities_created)
                        )?;
                    }
                    if !summary.names_shadowed.is_empty() {
                        writeln!(
                            out,
                            "note: these new names were aliases of other entities and now name the new ones: {}",
                            list(&summary.names_shadowed)
                        )?;
                    }
                    if !summary.types_updated.is_empty() {
                        writeln!(
                            out,
                            "relation types redescribed: {}",
                            list(&summary.types_updated)
                        )?;
                    }
                    if !summary.types_added.is_empty() {
                        writeln!(
                            out,
                            "new relation types: {}",
                            summary.types_added.join(", ")
                        )?;
                    }
                }
            }
            Ok(Outcome::Done)
        }
        Command::Add(add) => run_add(session, format, add, out),
        Command::Remove(remove) => run_remove(session, format, remove, out),
        Command::Show { name } => {
            let store = session.read()?;
            show(store, name, format, out)
        }
        Command::Timeline { name, selection } => {
            let store = session.read()?;
            let selection = selection_of(store, selection)?;
            let entity = name.as_deref().map(|n| store.resolve(n)).transpose()?;
            let relations = timeline(store, entity, &selection);
            match format {
                Format::Json => {
                    let all: Vec<Value> =
                        relations.iter().map(|r| relation_json(store, r)).collect();
                    output::json(out, &Value::Array(all))?;
                }
                Format::Csv => output::relations_csv(out, store, &relations)?,
                Format::Table => {
                    let rows: Vec<Vec<String>> = relations
                        .iter()
                        .map(|r| {
                            vec![
                                date_or_undated(r),
                                arrow(store, r, entity, Dated::Apart),
                                notes(store, r),
                                r.id.to_string(),
                            ]
                        })
                        .collect();
                    output::table(out, None, &rows)?;
                }
            }
            if relations.is_empty() {
                return Ok(Outcome::NothingFound("no relations match".to_string()));
            }
            Ok(Outcome::Done)
        }
        Command::Path {
            pairs: Some(file),
            options,
            selection,
            ..
        } => {
            let store = session.read()?;
            let selection = selection_of(store, selection)?;
            path_pairs(store, file, &selection, options, format, out)
        }
        Command::Path {
            start,
            end,
            options,
            selection,
            explain,
            ..
        } => {
            let store = session.read()?;
            let selection = selection_of(store, selection)?;
            let (start, end) = (
                start.as_deref().unwrap_or_default(),
                end.as_deref().unwrap_or_default(),
            );
            algo::walk::work::take();
            let started = std::time::Instant::now();
            let found = find_paths(store, start, end, &selection, options)?;
            if *explain {
                let work = algo::walk::work::take();
                let found = found.as_ref().ok().map(|(p, _)| p.as_slice());
                let text = paths::explain(store, &selection, options, found, work, started);
                for line in text.lines() {
                    super::terminal::note(line);
                }
            }
            let (paths, more) = match found {
                Ok(found) => found,
                Err(nothing) => return Ok(Outcome::NothingFound(nothing)),
            };
            let listing = options.all || options.k.is_some();
            paths::print(store, &paths, listing, options.chronological, format, out)?;
            if more {
                eprintln_note(&format!(
                    "listed the first {MAX_PATHS} shortest paths; there are more"
                ));
            }
            Ok(Outcome::Done)
        }
        Command::Export {
            target: export_format,
            output,
            around,
            depth,
            path,
            highlight_path,
            render,
            entities,
            types_layout,
            options,
            selection,
        } => {
            let store = session.read()?;
            let selection = selection_of(store, selection)?;
            let ends = |pair: &Vec<String>| (pair[0].clone(), pair[1].clone());
            let mut part = match (around, path.as_ref().map(ends)) {
                (Some(name), _) => {
                    let center = store.resolve(name)?;
                    Subgraph::around(store, &selection, center, *depth as usize)
                }
                (None, Some((from, to))) => {
                    match find_paths(store, &from, &to, &selection, options)? {
                        Ok((paths, _)) => Subgraph::of_paths(store, &paths),
                        Err(nothing) => return Ok(Outcome::NothingFound(nothing)),
                    }
                }
                (None, None) => Subgraph::selected(store, &selection),
            };
            if let Some((from, to)) = highlight_path.as_ref().map(ends) {
                match find_paths(store, &from, &to, &selection, options)? {
                    Ok((paths, _)) => part.highlight(&paths),
                    Err(nothing) => return Ok(Outcome::NothingFound(nothing)),
                }
            }
            let mut bytes = Vec::new();
            match export_format {
                ExportFormat::Dot => export::dot::write(store, &part, &mut bytes)?,
                ExportFormat::Graphml => export::graphml::write(store, &part, &mut bytes)?,
                ExportFormat::Jsonl => {
                    export::jsonl::write(store, &part.with_claimants(store), &mut bytes)?
                }
                ExportFormat::Kg => {
                    source::kg::write_part(store, &part.with_claimants(store), &mut bytes)?
                }
                ExportFormat::Csv if *types_layout => export::csv::types(store, &mut bytes)?,
                ExportFormat::Csv if *entities => {
                    export::csv::entities(store, &part.with_claimants(store), &mut bytes)?
                }
                ExportFormat::Csv => export::csv::relations(store, &part, &mut bytes)?,
            }
            if let Some(render) = render {
                if *export_format != ExportFormat::Dot {
                    return Err(Error::Usage(
                        "--render needs the dot format: kg export dot --render svg -o FILE"
                            .to_string(),
                    ));
                }
                bytes = graphviz(&bytes, *render)?;
            }
            match output {
                Some(file) => storage::write_file(file, &bytes)?,
                None => out.write_all(&bytes)?,
            }
            Ok(Outcome::Done)
        }
        Command::Neighbors {
            name,
            depth,
            directed,
            selection,
        } => {
            let store = session.read()?;
            let selection = selection_of(store, selection)?;
            let center = store.resolve(name)?;
            let found = neighbors(store, center, &selection, *depth as usize, *directed);
            paths::print_neighbors(store, center, *depth, &found, format, out)?;
            if found.is_empty() {
                return Ok(Outcome::NothingFound(format!(
                    "no neighbours of {} match",
                    store.name(center)
                )));
            }
            Ok(Outcome::Done)
        }
        Command::Query {
            text,
            file,
            params,
            explain,
        } => {
            let text = match (text, file) {
                (Some(text), _) => text.clone(),
                (None, Some(file)) if file.as_os_str() == "-" => {
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                        .map_err(|e| Error::Usage(format!("standard input: {e}")))?;
                    text
                }
                (None, Some(file)) => std::fs::read_to_string(file)
                    .map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?,
                (None, None) => return Err(Error::Usage("give a query or -f FILE".into())),
            };
            let mut values = query::Params::new();
            for p in params {
                let (name, value) = query::parse_param(p).map_err(Error::Usage)?;
                values.insert(name, value);
            }
            let store = session.read()?;
            let start = std::time::Instant::now();
            let table = if *explain {
                let (table, lines) = query::run_explained(store, &text, &values)?;
                for line in lines {
                    super::terminal::note(&format!("explain: {line}"));
                }
                table
            } else {
                query::run(store, &text, &values)?
            };
            timing(&format!("ran the query ({} rows)", table.rows.len()), start);
            print_table(store, &table, format, out)?;
            if table.rows.is_empty() {
                return Ok(Outcome::NothingFound("no rows".to_string()));
            }
            Ok(Outcome::Done)
        }
        Command::Stats => {
            let store = session.read()?;
            stats(store, format, out)
        }
        Command::Check => {
            let (what, store, journal) = match db {
                Some(path) => {
                    let opened = database(path).open()?;
                    (path.display().to_string(), opened.store, opened.journal)
                }
                None => (
                    "bundled graph".to_string(),
                    bundled_graph()?,
                    Replayed::default(),
                ),
            };
            let problems = store.verify();
            if let Some(first) = problems.first() {
                return Err(Error::Usage(format!("{what}: damaged: {first}")));
            }
            match format {
                Format::Json => output::json(
                    out,
                    &json!({
                        "ok": true,
                        "database": what,
                        "entities": store.entity_count(),
                        "relations": store.relation_count(),
                        "format_version": storage::FORMAT_VERSION,
                        "journal_records": journal.records,
                        "journal_torn_bytes": journal.torn_bytes,
                    }),
                )?,
                Format::Csv => output::csv(
                    out,
                    &["ok", "database", "entities", "relations", "journal_records"],
                    &[vec![
                        "true".into(),
                        what,
                        store.entity_count().to_string(),
                        store.relation_count().to_string(),
                        journal.records.to_string(),
                    ]],
                )?,
                Format::Table => writeln!(
                    out,
                    "ok: {what}: {} entities, {} relations{}, every check passed",
                    store.entity_count(),
                    store.relation_count(),
                    match journal.records {
                        0 => String::new(),
                        n => format!(" ({n} writes in the journal)"),
                    }
                )?,
            }
            Ok(Outcome::Done)
        }
        Command::Shell => Err(Error::Usage(
            "the shell starts from the command line: kg [--db FILE] shell".to_string(),
        )),
        Command::Completions { shell } => {
            let mut command = <super::Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "kg", out);
            Ok(Outcome::Done)
        }
        Command::Man => {
            super::man_page(out)?;
            Ok(Outcome::Done)
        }
        Command::Compact => {
            let Some(path) = db else {
                return Err(Error::Usage(
                    "compact needs a database: give --db FILE or set KG_DB".to_string(),
                ));
            };
            let done = database(path).compact()?;
            let pending = done.compacted;
            let message = match (pending, done.records) {
                (false, _) => "nothing to compact: there is no journal".to_string(),
                (true, 0) => "removed a journal with no changes to keep".to_string(),
                (true, n) => format!(
                    "folded {n} journal records ({} changes) into a new snapshot",
                    done.changes
                ),
            };
            match format {
                Format::Json => output::json(
                    out,
                    &json!({"compacted": pending, "records": done.records, "changes": done.changes}),
                )?,
                Format::Csv => output::csv(
                    out,
                    &["compacted", "records", "changes"],
                    &[vec![
                        pending.to_string(),
                        done.records.to_string(),
                        done.changes.to_string(),
                    ]],
                )?,
                Format::Table => writeln!(out, "{message}")?,
            }
            Ok(Outcome::Done)
        }
    }
}

/// `path --pairs FILE`: every pair of a `from,to` CSV file, one result row per pair.
fn path_pairs(
    store: &Store,
    file: &std::path::Path,
    selection: &Selection,
    options: &PathArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let name: std::sync::Arc<str> = std::sync::Arc::from(file.display().to_string());
    let at = |line: usize| Location {
        file: name.clone(),
        line,
        column: 0,
    };
    let bytes = std::fs::read(file).map_err(|e| source::SourceError::new(at(0), e.to_string()))?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut pairs = Vec::new();
    let mut columns = None;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            source::SourceError::new(at(line), e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let Some((f, t)) = columns else {
            let find = |name: &str| {
                record
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name))
            };
            match (find("from"), find("to")) {
                (Some(f), Some(t)) => columns = Some((f, t)),
                _ => {
                    return Err(source::SourceError::new(
                        at(line),
                        "expected a header with from,to",
                    )
                    .into());
                }
            }
            continue;
        };
        let resolve = |i: usize| {
            let text = record.get(i).unwrap_or_default();
            store
                .resolve(text)
                .map_err(|e| source::SourceError::new(at(line), e.to_string()))
        };
        pairs.push((resolve(f)?, resolve(t)?));
    }
    let query = PathQuery {
        directed: options.directed,
        max_hops: options.max_hops,
        chronological: options.chronological,
    };
    let listing = options.all || options.k.is_some();
    let start = std::time::Instant::now();
    store.adjacency();
    timing("built the adjacency", start);
    let start = std::time::Instant::now();
    let count = pairs.len();
    let mut finder = PathFinder::new(store, selection, query);
    let mut rows: Vec<(EntityId, EntityId, Vec<algo::Path>)> = Vec::with_capacity(pairs.len());
    let mut bar = output::ProgressBar::new("answering pairs");
    for (done, (from, to)) in pairs.into_iter().enumerate() {
        if done % 64 == 0 {
            bar.show(done as u64, count as u64);
        }
        let paths = match (options.all, options.k) {
            (true, _) => all_shortest_paths(store, from, to, selection, query).0,
            (false, Some(k)) => k_shortest_paths(store, from, to, selection, query, k as usize),
            (false, None) => finder.shortest(from, to).into_iter().collect(),
        };
        rows.push((from, to, paths));
    }
    bar.finish();
    timing(&format!("answered {count} pairs"), start);
    paths::print_pairs(store, &rows, listing, options.chronological, format, out)?;
    if !rows.is_empty() && rows.iter().all(|(_, _, p)| p.is_empty()) {
        return Ok(Outcome::NothingFound("no path for any pair".to_string()));
    }
    Ok(Outcome::Done)
}

/// The paths the path options ask for, or the message saying there are none.
#[allow(clippy::type_complexity)]
fn find_paths(
    store: &Store,
    start: &str,
    end: &str,
    selection: &Selection,
    options: &PathArgs,
) -> Result<Result<(Vec<algo::Path>, bool), String>, Error> {
    let (from, to) = (store.resolve(start)?, store.resolve(end)?);
    let query = PathQuery {
        directed: options.directed,
        max_hops: options.max_hops,
        chronological: options.chronological,
    };
    let (paths, more) = match (options.all, options.k) {
        (true, _) => all_shortest_paths(store, from, to, selection, query),
        (false, Some(k)) => (
            k_shortest_paths(store, from, to, selection, query, k as usize),
            false,
        ),
        (false, None) => (
            shortest_path(store, from, to, selection, query)
                .into_iter()
                .collect(),
            false,
        ),
    };
    if paths.is_empty() {
        let kind = if options.chronological {
            "chronological path"
        } else {
            "path"
        };
        let within = options
            .max_hops
            .map(|n| format!(": none within {n} hops"))
            .unwrap_or_default();
        return Ok(Err(format!(
            "no {kind} from {} to {}{within}",
            store.name(from),
            store.name(to)
        )));
    }
    Ok(Ok((paths, more)))
}

/// Renders DOT with Graphviz's `dot`.
fn graphviz(dot: &[u8], format: RenderFormat) -> Result<Vec<u8>, Error> {
    let kind = match format {
        RenderFormat::Svg => "svg",
        RenderFormat::Png => "png",
        RenderFormat::Pdf => "pdf",
    };
    let spawned = std::process::Command::new("dot")
        .arg(format!("-T{kind}"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(
                "--render needs Graphviz's dot, which is not installed: install Graphviz (apt-get install graphviz, brew install graphviz, or https://graphviz.org/download/), or leave out --render to get the DOT text".to_string(),
            ));
        }
        Err(e) => return Err(Error::Usage(format!("cannot run Graphviz's dot: {e}"))),
    };
    // Feed dot from another thread, so that a large drawing cannot fill both pipes.
    let mut stdin = child.stdin.take();
    let input = dot.to_vec();
    let feeder = std::thread::spawn(move || stdin.as_mut().map(|s| s.write_all(&input)));
    let result = child.wait_with_output()?;
    let _ = feeder.join();
    if !result.status.success() {
        let message = String::from_utf8_lossy(&result.stderr);
        return Err(Error::Usage(format!(
            "Graphviz's dot failed: {}",
            message.lines().next().unwrap_or("no message")
        )));
    }
    Ok(result.stdout)
}

/// A note for the reader on stderr that does not change the exit code.
fn eprintln_note(note: &str) {
    super::terminal::note(note);
}

fn list(names: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| cell(n))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

fn date_or_undated(r: &crate::store::RelationRef) -> String {
    match date_text(r) {
        d if d.is_empty() => "undated".to_string(),
        d => d,
    }
}

/// Runs `change` on the database as [`Database::write`] does.
fn write_store<T>(
    db: Option<&Path>,
    change: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> Result<(T, Store), Error> {
    let Some(path) = db else {
        return Err(Error::Usage(
            "this command changes the database: give --db FILE or set KG_DB (the bundled graph is read-only)".to_string(),
        ));
    };
    database(path).write(change)
}

/// The database at `path`, its progress shown on the terminal; `KG_JOURNAL_LIMIT` sets
/// how large its journal may grow, in bytes.
fn database(path: &Path) -> Database {
    let limit = std::env::var("KG_JOURNAL_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok());
    Database::new(path)
        .observed_by(Box::new(super::terminal::Progress::default()))
        .with_journal_limit(limit)
}

/// Resolves the selection flags against the store.
fn selection_of(store: &Store, args: &SelectionArgs) -> Result<Selection, Error> {
    let mut selection = Selection::all();
    if !args.types.is_empty() {
        let types = args
            .types
            .iter()
            .map(|t| store.resolve_type(t))
            .collect::<Result<Vec<_>, _>>()?;
        selection = selection.with_types(types);
    }
    selection.kinds = args.kinds.clone();
    selection = selection.with_window(args.from, args.to);
    if let (Some(from), Some(to)) = (args.from, args.to)
        && to.latest() < from.earliest()
    {
        return Err(Error::Usage(format!("--to {to} is before --from {from}")));
    }
    if args.strict && selection.window.is_none() {
        return Err(Error::Usage(
            "--strict needs a window: give --from and/or --to".to_string(),
        ));
    }
    selection.strict = args.strict;
    selection.min_status = args.status;
    selection.min_grade = args.min_grade;
    Ok(selection)
}

fn key_values(pairs: &[String]) -> Result<Vec<(String, String)>, Error> {
    let pairs = pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(Error::Usage(format!(
                "bad property '{p}': expected KEY=VALUE"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    sorted_properties(pairs).map_err(Error::Usage)
}

fn run_add(
    session: &mut Session,
    format: Format,
    add: &AddCommand,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    match add {
        AddCommand::Entity {
            name,
            kind,
            aliases,
            properties,
        } => {
            let mut entity = Entity::new(name.clone(), *kind);
            for alias in aliases {
                entity.add_alias(alias.clone());
            }
            entity.properties = key_values(properties)?;
            let (id, entity, shadowed) = session.write(|store| {
                let shadowed: Vec<String> = match store.lookup(&entity.name) {
                    Lookup::Found(other) => vec![store.name(other).to_string()],
                    Lookup::Ambiguous(others) => {
                        others.iter().map(|&o| store.name(o).to_string()).collect()
                    }
                    Lookup::Missing => Vec::new(),
                };
                let id = store.add_entity(entity)?;
                Ok((id, store.entity(id).cloned(), shadowed))
            })?;
            let name = entity.map(|e| e.name).unwrap_or_default();
            if !shadowed.is_empty() {
                eprintln_note(&format!(
                    "note: '{}' was an alias of {}; it now names the new entity",
                    cell(&name),
                    list(&shadowed)
                ));
            }
            match format {
                Format::Json => output::json(
                    out,
                    &json!({"added": "entity", "id": id.0, "name": name, "kind": kind.as_str()}),
                )?,
                Format::Csv => output::csv(
                    out,
                    &["id", "name", "kind"],
                    &[vec![id.0.to_string(), name, kind.to_string()]],
                )?,
                Format::Table => writeln!(out, "added entity {} ({kind})", cell(&name))?,
            }
        }
        AddCommand::Relation {
            start,
            rtype,
            end,
            date,
            source,
            quote,
            claimed_by,
            status,
            grade,
            properties,
        } => {
            let here = Location::command_line;
            let name = |n: &String| NameRef {
                name: n.clone(),
                column: 0,
            };
            let decl = RelationDecl {
                at: here(),
                from: name(start),
                rtype: name(rtype),
                to: name(end),
                when: date.unwrap_or_default(),
                status: status.unwrap_or_default(),
                grade: *grade,
                source: source.as_deref().map(Box::from),
                quote: quote.as_deref().map(Box::from),
                claimed_by: claimed_by.as_ref().map(|c| Box::new(name(c))),
                properties: key_values(properties)?,
                undirected: false,
                creates_missing: false,
            };
            let batch = Batch {
                relations: vec![decl],
                ..Batch::default()
            };
            let (id, line, value) = session.write(|store| {
                // Resolve with the store's own messages (did you mean ...) first.
                store.resolve(start)?;
                store.resolve(end)?;
                store.resolve_type(rtype)?;
                if let Some(c) = claimed_by {
                    store.resolve(c)?;
                }
                let summary = import::apply(store, batch, Duplicates::Keep)?;
                let id = summary
                    .relation_ids
                    .first()
                    .copied()
                    .ok_or_else(|| Error::Usage("the relation was not added".to_string()))?;
                let r = store
                    .relation(id)
                    .ok_or_else(|| Error::Usage("the relation was not added".to_string()))?;
                Ok((
                    id,
                    arrow(store, &r, None, Dated::InLabel),
                    relation_json(store, &r),
                ))
            })?;
            match format {
                Format::Json => output::json(out, &value)?,
                Format::Csv => output::csv(out, &["id"], &[vec![id.0.to_string()]])?,
                Format::Table => writeln!(out, "added relation {id}: {line}")?,
            }
        }
        AddCommand::Type {
            name,
            symmetric,
            cameo,
            description,
        } => {
            let rtype = RelationType {
                name: name.clone(),
                symmetric: *symmetric,
                cameo: cameo.clone(),
                description: description.clone(),
            };
            session.write(|store| Ok(store.add_type(rtype)?))?;
            let direction = if *symmetric { "symmetric" } else { "directed" };
            match format {
                Format::Json => output::json(
                    out,
                    &json!({"added": "type", "name": name, "symmetric": symmetric}),
                )?,
                Format::Csv => output::csv(
                    out,
                    &["name", "direction"],
                    &[vec![name.clone(), direction.to_string()]],
                )?,
                Format::Table => writeln!(out, "added relation type {} ({direction})", cell(name))?,
            }
        }
    }
    Ok(Outcome::Done)
}

fn run_remove(
    session: &mut Session,
    format: Format,
    remove: &RemoveCommand,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    match remove {
        RemoveCommand::Entity { name } => {
            let (entity, relations) = session.write(|store| {
                let id = store.resolve(name)?;
                store
                    .remove_entity(id)
                    .ok_or_else(|| Error::Usage(format!("no entity '{name}'")))
            })?;
            match format {
                Format::Json => output::json(
                    out,
                    &json!({"removed": "entity", "name": entity.name, "relations": relations}),
                )?,
                Format::Csv => output::csv(
                    out,
                    &["name", "relations"],
                    &[vec![entity.name, relations.to_string()]],
                )?,
                Format::Table => writeln!(
                    out,
                    "removed entity {} and {relations} relation{}",
                    cell(&entity.name),
                    if relations == 1 { "" } else { "s" }
                )?,
            }
        }
        RemoveCommand::Relation { id } => {
            let number: u32 = id.trim_start_matches('#').parse().map_err(|_| {
                Error::Usage(format!(
                    "bad relation id '{id}': expected a number such as 12 or #12"
                ))
            })?;
            let rid = RelationId(number);
            let line = session.write(|store| {
                let r = store
                    .relation(rid)
                    .ok_or(crate::store::StoreError::UnknownRelation(rid))?;
                let line = arrow(store, &r, None, Dated::InLabel);
                store.remove_relation(rid)?;
                Ok(line)
            })?;
            match format {
                Format::Json => output::json(out, &json!({"removed": "relation", "id": number}))?,
                Format::Csv => output::csv(out, &["id"], &[vec![number.to_string()]])?,
                Format::Table => writeln!(out, "removed relation {rid}: {line}")?,
            }
        }
    }
    Ok(Outcome::Done)
}

fn show(store: &Store, name: &str, format: Format, out: &mut dyn Write) -> Result<Outcome, Error> {
    let id = store.resolve(name)?;
    let Some(entity) = store.entity(id) else {
        return Err(Error::Usage(format!("no entity '{name}'")));
    };
    let relations = timeline(store, Some(id), &Selection::all());
    // Grouped by type (types in order of their first relation), date order within.
    let mut groups: Vec<(String, Vec<&crate::store::RelationRef>)> = Vec::new();
    for r in &relations {
        let t = store.type_name(r.relation.rtype);
        match groups.iter_mut().find(|(name, _)| name == t) {
            Some((_, group)) => group.push(r),
            None => groups.push((t.to_string(), vec![r])),
        }
    }
    match format {
        Format::Json => {
            let properties: serde_json::Map<String, Value> = entity
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            let grouped: serde_json::Map<String, Value> = groups
                .iter()
                .map(|(t, rs)| {
                    (
                        t.clone(),
                        Value::Array(rs.iter().map(|r| relation_json(store, r)).collect()),
                    )
                })
                .collect();
            output::json(
                out,
                &json!({
                    "id": id.0,
                    "name": entity.name,
                    "kind": entity.kind.as_str(),
                    "aliases": entity.aliases,
                    "properties": properties,
                    "relations": relations.iter().map(|r| relation_json(store, r)).collect::<Vec<_>>(),
                    "relations_by_type": grouped,
                }),
            )?;
        }
        Format::Csv => output::relations_csv(out, store, &relations)?,
        Format::Table => {
            writeln!(out, "{} ({})", cell(&entity.name), entity.kind)?;
            let mut facts: Vec<Vec<String>> = Vec::new();
            if !entity.aliases.is_empty() {
                facts.push(vec![
                    "aliases".into(),
                    entity
                        .aliases
                        .iter()
                        .map(|a| cell(a))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]);
            }
            for (k, v) in &entity.properties {
                facts.push(vec![k.clone(), v.clone()]);
            }
            output::table(
                out,
                None,
                &facts
                    .into_iter()
                    .map(|mut row| {
                        row[0].insert_str(0, "  ");
                        row
                    })
                    .collect::<Vec<_>>(),
            )?;
            for (t, rs) in &groups {
                writeln!(out, "\n{}", cell(t))?;
                let rows: Vec<Vec<String>> = rs
                    .iter()
                    .map(|r| {
                        vec![
                            format!("  {}", date_or_undated(r)),
                            arrow(store, r, Some(id), Dated::Apart),
                            notes(store, r),
                            r.id.to_string(),
                        ]
                    })
                    .collect();
                output::table(out, None, &rows)?;
            }
            if groups.is_empty() {
                writeln!(out, "\nno relations")?;
            }
        }
    }
    Ok(Outcome::Done)
}

fn stats(store: &Store, format: Format, out: &mut dyn Write) -> Result<Outcome, Error> {
    let mut kinds: BTreeMap<&str, usize> = Kind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
    for (_, e) in store.entities() {
        *kinds.entry(e.kind.as_str()).or_default() += 1;
    }
    let mut per_type = vec![0usize; store.types().len()];
    for r in store.relations() {
        if let Some(n) = per_type.get_mut(r.relation.rtype.0 as usize) {
            *n += 1;
        }
    }
    let types: BTreeMap<&str, usize> = store
        .types()
        .iter()
        .zip(per_type)
        .map(|(t, n)| (t.name.as_str(), n))
        .collect();
    match format {
        Format::Json => output::json(
            out,
            &json!({
                "entities": store.entity_count(),
                "relations": store.relation_count(),
                "types": store.types().len(),
                "kinds": kinds,
                "relation_types": types,
            }),
        )?,
        Format::Csv => {
            let mut rows = vec![
                vec![
                    "entities".to_string(),
                    String::new(),
                    store.entity_count().to_string(),
                ],
                vec![
                    "relations".to_string(),
                    String::new(),
                    store.relation_count().to_string(),
                ],
                vec![
                    "types".to_string(),
                    String::new(),
                    store.types().len().to_string(),
                ],
            ];
            rows.extend(
                kinds
                    .iter()
                    .map(|(k, n)| vec!["kind".to_string(), k.to_string(), n.to_string()]),
            );
            rows.extend(
                types
                    .iter()
                    .map(|(t, n)| vec!["type".to_string(), t.to_string(), n.to_string()]),
            );
            output::csv(out, &["measure", "name", "count"], &rows)?;
        }
        Format::Table => {
            let mut rows = vec![
                vec!["entities".to_string(), store.entity_count().to_string()],
                vec!["relations".to_string(), store.relation_count().to_string()],
                vec![
                    "relation types".to_string(),
                    store.types().len().to_string(),
                ],
            ];
            rows.extend(
                kinds
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(k, n)| vec![format!("  {k}"), n.to_string()]),
            );
            output::table(out, None, &rows)?;
            writeln!(out)?;
            let rows: Vec<Vec<String>> = types
                .iter()
                .map(|(t, n)| vec![cell(t), n.to_string()])
                .collect();
            output::table(out, Some(&["TYPE", "RELATIONS"]), &rows)?;
        }
    }
    Ok(Outcome::Done)
}

/// Prints a query's result: a table with a header, CSV with the return items as
/// written as its header, or a JSON array of row objects.
fn print_table(
    store: &Store,
    table: &query::Table,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let headers: Vec<&str> = table.columns.iter().map(String::as_str).collect();
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = table
                .rows
                .iter()
                .map(|row| {
                    let object: serde_json::Map<String, serde_json::Value> = table
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| (c.clone(), query::cell_json(store, v)))
                        .collect();
                    serde_json::Value::Object(object)
                })
                .collect();
            output::json(out, &serde_json::Value::Array(rows))?;
        }
        Format::Csv | Format::Table => {
            let rows: Vec<Vec<String>> = table
                .rows
                .iter()
                .map(|row| row.iter().map(|v| query::cell_text(store, v)).collect())
                .collect();
            if format == Format::Csv {
                output::csv(out, &headers, &rows)?;
            } else {
                output::table(out, Some(&headers), &rows)?;
            }
        }
    }
    Ok(())
}
