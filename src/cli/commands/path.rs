//! The searching commands: `kg path` (one pair, or every pair of a file) and
//! `kg neighbors`, with their reports.

use std::path::Path as FilePath;
use std::sync::Arc;

use serde_json::{Value, json};

use kg::Error;
use kg::algo::{MAX_PATHS, Neighbor, Path, PathFinder, Step, Work, neighbors};
use kg::model::EntityId;
use kg::model::time::format_day;
use kg::select::Selection;
use kg::source::{Location, SourceError};
use kg::store::Store;

use crate::cli::args::{PathArgs, SelectionArgs};
use crate::cli::describe::{Dated, arrow, count};
use crate::cli::render::{Answer, Block, Evidence, Report, Sheet, cell, evidence_of};
use crate::cli::terminal::{self, ProgressBar};

/// `kg path FROM TO`: the paths the options ask for, or exit 1.
pub fn path<'s>(
    store: &'s Store,
    (start, end): (&str, &str),
    options: &PathArgs,
    selection: &SelectionArgs,
    explained: bool,
) -> Result<Answer<'s>, Error> {
    let selection = selection.resolve_for_search(store)?;
    let work = Work::default();
    let started = std::time::Instant::now();
    let found = find_paths(store, (start, end), &selection, options, &work)?;
    if explained {
        let work = (work.expanded(), work.examined());
        let found = found.as_ref().ok().map(|(p, _)| p.as_slice());
        let text = explain(store, &selection, options, found, work, started);
        for line in text.lines() {
            terminal::note(line);
        }
    }
    let (paths, more) = match found {
        Ok(found) => found,
        Err(nothing) => return Ok(Answer::nothing_found(nothing)),
    };
    if more {
        terminal::note(&format!(
            "listed the first {MAX_PATHS} shortest paths; there are more"
        ));
    }
    Ok(Answer::report(Paths {
        store,
        paths,
        listing: options.listing(),
        chronological: options.chronological,
    }))
}

/// The paths the path options ask for between two names (their work counted into
/// `work`), and whether there were more than were listed; or the message saying there
/// are none.
#[allow(clippy::type_complexity)]
pub fn find_paths(
    store: &Store,
    (start, end): (&str, &str),
    selection: &Selection,
    options: &PathArgs,
    work: &Work,
) -> Result<Result<(Vec<Path>, bool), String>, Error> {
    let (from, to) = (store.resolve(start)?, store.resolve(end)?);
    let mut finder = PathFinder::new(store, selection, options.query()).counting(work);
    let (paths, more) = answer(&mut finder, options, from, to);
    if paths.is_empty() {
        let kind = if options.chronological {
            "chronological path"
        } else {
            "path"
        };
        let within = options
            .max_hops
            .map(|n| format!(": none within {}", count(n, "hop", "hops")))
            .unwrap_or_default();
        return Ok(Err(format!(
            "no {kind} from {} to {}{within}",
            store.name(from),
            store.name(to)
        )));
    }
    Ok(Ok((paths, more)))
}

/// The paths the options ask for from `from` to `to`, and whether more were left out.
fn answer(
    finder: &mut PathFinder,
    options: &PathArgs,
    from: EntityId,
    to: EntityId,
) -> (Vec<Path>, bool) {
    match (options.all, options.k) {
        (true, _) => finder.all_shortest(from, to),
        (false, Some(k)) => (finder.k_shortest(from, to, k as usize), false),
        (false, None) => (finder.shortest(from, to).into_iter().collect(), false),
    }
}

/// `kg path --pairs FILE`: every pair of a `from,to` CSV file, one result row per pair.
pub fn pairs<'s>(
    store: &'s Store,
    file: &FilePath,
    options: &PathArgs,
    selection: &SelectionArgs,
) -> Result<Answer<'s>, Error> {
    let selection = selection.resolve_for_search(store)?;
    let pairs = read_pairs(store, file)?;
    let start = std::time::Instant::now();
    store.adjacency();
    terminal::timing("built the adjacency", start);
    let start = std::time::Instant::now();
    let count = pairs.len();
    let mut finder = PathFinder::new(store, &selection, options.query());
    let mut rows: Vec<(EntityId, EntityId, Vec<Path>)> = Vec::with_capacity(pairs.len());
    let mut bar = ProgressBar::items("answering pairs");
    for (done, (from, to)) in pairs.into_iter().enumerate() {
        if done % 64 == 0 {
            bar.show(done as u64, count as u64);
        }
        rows.push((from, to, answer(&mut finder, options, from, to).0));
    }
    bar.finish();
    terminal::timing(&format!("answered {count} pairs"), start);
    let none = !rows.is_empty() && rows.iter().all(|(_, _, p)| p.is_empty());
    Ok(Answer::report(PairPaths {
        store,
        rows,
        listing: options.listing(),
        chronological: options.chronological,
    })
    .found_nothing_if(none, "no path for any pair"))
}

/// The pairs of a CSV file with a `from,to` header, resolved.
fn read_pairs(store: &Store, file: &FilePath) -> Result<Vec<(EntityId, EntityId)>, Error> {
    let name: Arc<str> = Arc::from(file.display().to_string());
    let at = |line: usize| Location {
        file: name.clone(),
        line,
        column: 0,
    };
    let bytes =
        std::fs::read(file).map_err(|e| SourceError::new(at(0), kg::source::io_words(&e)))?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut pairs = Vec::new();
    let mut columns = None;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            SourceError::new(at(line), e.to_string())
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
                    return Err(SourceError::new(at(line), "expected a header with from,to").into());
                }
            }
            continue;
        };
        let resolve = |i: usize| {
            let text = record.get(i).unwrap_or_default();
            store
                .resolve(text)
                .map_err(|e| SourceError::new(at(line), e.to_string()))
        };
        pairs.push((resolve(f)?, resolve(t)?));
    }
    Ok(pairs)
}

/// A step as the JSON contract has it: the relation as stored with its id, date as
/// written and provenance (status, grade, source, quote, claimant, properties), and
/// with `chronological` the day chosen for it.
fn edge_json(store: &Store, step: &Step, chronological: bool) -> Value {
    let Some(r) = store.relation(step.relation) else {
        return Value::Null;
    };
    let mut edge = kg::fields::relation_json(store, &r);
    if chronological {
        edge["at"] = json!(step.at.map(format_day));
    }
    edge
}

/// The days step `i` of a chronological path may take when no day is fixed for it:
/// its own span, no earlier than the day of a step before it and no later than the day
/// of a step after it (`..2025-04-01` for a call "some time up to 29 June" followed by
/// a meeting on 1 April).
fn free_days(path: &Path, i: usize, when: kg::model::TimeSpan) -> String {
    let before = path.steps[..i].iter().filter_map(|s| s.at).max();
    let after = path.steps[i + 1..].iter().filter_map(|s| s.at).min();
    let narrows_start = before.is_some_and(|b| b > when.earliest());
    let narrows_end = after.is_some_and(|a| a < when.latest());
    if !narrows_start && !narrows_end {
        return when.to_string();
    }
    let (open_start, open_end) = match when.shape() {
        kg::model::Shape::Until(_) => (true, false),
        kg::model::Shape::Since(_) => (false, true),
        _ => (false, false),
    };
    let start = match (open_start, before) {
        (true, None) => None,
        (true, Some(b)) => Some(b),
        (false, b) => Some(b.map_or(when.earliest(), |b| b.max(when.earliest()))),
    };
    let end = match (open_end, after) {
        (true, None) => None,
        (true, Some(a)) => Some(a),
        (false, a) => Some(a.map_or(when.latest(), |a| a.min(when.latest()))),
    };
    match (start, end) {
        (Some(a), Some(b)) if a == b => format_day(a),
        (a, b) => format!(
            "{}..{}",
            a.map(format_day).unwrap_or_default(),
            b.map(format_day).unwrap_or_default()
        ),
    }
}

/// The CSV columns of a relation's provenance, after its id.
const PROVENANCE: [&str; 5] = ["status", "grade", "claimed_by", "source", "quote"];

/// A relation's status, grade, claimant, source and quote as CSV cells (empty when not
/// set).
fn provenance_cells(store: &Store, r: &kg::store::RelationRef) -> [String; 5] {
    let text = |s: Option<kg::model::Sym>| s.map(|s| store.text(s).to_string());
    [
        r.relation.status.as_str().to_string(),
        r.relation.grade.map(|g| g.to_string()).unwrap_or_default(),
        r.relation
            .claimed_by
            .map(|c| store.name(c).to_string())
            .unwrap_or_default(),
        text(r.relation.source).unwrap_or_default(),
        text(r.relation.quote).unwrap_or_default(),
    ]
}

/// A path as JSON: its hops, the names it visits, its steps.
fn path_json(store: &Store, path: &Path, chronological: bool) -> Value {
    let nodes: Vec<&str> = path.nodes().into_iter().map(|n| store.name(n)).collect();
    let edges: Vec<Value> = path
        .steps
        .iter()
        .map(|s| edge_json(store, s, chronological))
        .collect();
    json!({ "hops": path.hops(), "nodes": nodes, "edges": edges })
}

/// The paths of one pair: one path, or a listing (`--all`, `-k`).
struct Paths<'s> {
    store: &'s Store,
    paths: Vec<Path>,
    listing: bool,
    chronological: bool,
}

impl Report for Paths<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        let steps = self.paths.iter().flat_map(|p| &p.steps);
        evidence_of(self.store, steps.map(|s| s.relation))
    }

    /// One path as an object, a listing as an array.
    fn json(&self) -> Value {
        let values: Vec<Value> = self
            .paths
            .iter()
            .map(|p| path_json(self.store, p, self.chronological))
            .collect();
        match (self.listing, values.first()) {
            (false, Some(one)) => one.clone(),
            _ => Value::Array(values),
        }
    }

    /// A row per step.
    fn csv(&self) -> Sheet {
        let store = self.store;
        let mut headers = vec!["path", "step", "from", "type", "to", "date"];
        if self.chronological {
            headers.push("at");
        }
        headers.push("id");
        headers.extend(PROVENANCE);
        let mut rows = Vec::new();
        for (i, path) in self.paths.iter().enumerate() {
            for (j, step) in path.steps.iter().enumerate() {
                let Some(r) = store.relation(step.relation) else {
                    continue;
                };
                let mut row = vec![
                    (i + 1).to_string(),
                    (j + 1).to_string(),
                    store.name(r.from).to_string(),
                    store.type_name(r.relation.rtype).to_string(),
                    store.name(r.to).to_string(),
                    r.relation.when.to_string(),
                ];
                if self.chronological {
                    row.push(step.at.map(format_day).unwrap_or_default());
                }
                row.push(r.id.0.to_string());
                row.extend(provenance_cells(store, &r));
                rows.push(row);
            }
        }
        Sheet::new(&headers, rows)
    }

    /// Each path's route, then its steps as they were walked.
    fn text(&self) -> Vec<Block> {
        let store = self.store;
        let mut blocks = Vec::new();
        for (i, path) in self.paths.iter().enumerate() {
            let mut line = String::new();
            if self.listing {
                if i > 0 {
                    blocks.push(Block::Line(String::new()));
                }
                line = format!("path {} of {}: ", i + 1, self.paths.len());
            }
            let hops = path.hops();
            let names: Vec<String> = path.nodes().iter().map(|&n| cell(store.name(n))).collect();
            line.push_str(&format!(
                "{hops} hop{}: {}",
                if hops == 1 { "" } else { "s" },
                names.join(" → ")
            ));
            blocks.push(Block::Line(line));
            let rows = path
                .steps
                .iter()
                .enumerate()
                .filter_map(|(i, step)| {
                    let r = store.relation(step.relation)?;
                    let line = format!("  {}", arrow(store, &r, Some(step.from), Dated::InLabel));
                    let id = format!("#{}", r.id.0);
                    if !self.chronological {
                        return Some(vec![line, id]);
                    }
                    let at = match step.at {
                        Some(day) => format!("on {}", format_day(day)),
                        None if r.relation.when.is_undated() => "undated".to_string(),
                        None => format!("any day {}", free_days(path, i, r.relation.when)),
                    };
                    Some(vec![line, at, id])
                })
                .collect();
            blocks.push(Block::rows(rows));
        }
        blocks
    }
}

/// The answers of `path --pairs`: a row per pair.
struct PairPaths<'s> {
    store: &'s Store,
    rows: Vec<(EntityId, EntityId, Vec<Path>)>,
    listing: bool,
    chronological: bool,
}

impl PairPaths<'_> {
    fn route(&self, path: &Path) -> String {
        let names: Vec<&str> = path.nodes().iter().map(|&n| self.store.name(n)).collect();
        names.join(" → ")
    }
}

impl Report for PairPaths<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        let steps = self.rows.iter().filter_map(|(_, _, p)| p.first());
        evidence_of(self.store, steps.flat_map(|p| &p.steps).map(|s| s.relation))
    }

    /// A pair carries its path's fields (`hops` null when there is none) or, listing,
    /// its `paths`.
    fn json(&self) -> Value {
        let store = self.store;
        let values = self.rows.iter().map(|(from, to, paths)| {
            let mut value = match (self.listing, paths.first()) {
                (true, _) => {
                    let all: Vec<Value> = paths
                        .iter()
                        .map(|p| path_json(store, p, self.chronological))
                        .collect();
                    json!({ "paths": all })
                }
                (false, Some(p)) => path_json(store, p, self.chronological),
                (false, None) => json!({ "hops": null, "nodes": [], "edges": [] }),
            };
            if let Some(object) = value.as_object_mut() {
                object.insert("from".into(), json!(store.name(*from)));
                object.insert("to".into(), json!(store.name(*to)));
            }
            value
        });
        Value::Array(values.collect())
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .rows
            .iter()
            .map(|(from, to, paths)| {
                vec![
                    self.store.name(*from).to_string(),
                    self.store.name(*to).to_string(),
                    paths
                        .first()
                        .map(|p| p.hops().to_string())
                        .unwrap_or_default(),
                    paths.len().to_string(),
                    paths.first().map(|p| self.route(p)).unwrap_or_default(),
                ]
            })
            .collect();
        Sheet::new(&["from", "to", "hops", "paths", "path"], rows)
    }

    fn text(&self) -> Vec<Block> {
        let rows = self
            .rows
            .iter()
            .map(|(from, to, paths)| {
                vec![
                    cell(self.store.name(*from)),
                    cell(self.store.name(*to)),
                    paths
                        .first()
                        .map_or_else(|| "-".to_string(), |p| p.hops().to_string()),
                    paths
                        .first()
                        .map_or_else(|| "no path".to_string(), |p| cell(&self.route(p))),
                ]
            })
            .collect();
        vec![Block::table(&["FROM", "TO", "HOPS", "PATH"], rows)]
    }
}

/// `kg neighbors NAME`: the ego network.
pub fn run_neighbors<'s>(
    store: &'s Store,
    name: &str,
    depth: u32,
    directed: bool,
    selection: &SelectionArgs,
) -> Result<Answer<'s>, Error> {
    let selection = selection.resolve_for_search(store)?;
    let center = store.resolve(name)?;
    let found = neighbors(store, center, &selection, depth as usize, directed);
    let empty = found.is_empty();
    let message = format!("no neighbours of {} match", store.name(center));
    Ok(Answer::report(Neighbourhood {
        store,
        center,
        depth,
        found,
    })
    .found_nothing_if(empty, message))
}

/// The entities around a centre: a row per relation that reaches one.
struct Neighbourhood<'s> {
    store: &'s Store,
    center: EntityId,
    depth: u32,
    found: Vec<Neighbor>,
}

impl Neighbourhood<'_> {
    fn kind(&self, id: EntityId) -> &str {
        self.store.kind_of(id).map_or("?", |k| k.as_str())
    }
}

impl Report for Neighbourhood<'_> {
    fn evidence(&self) -> Vec<Evidence> {
        let via = self.found.iter().flat_map(|n| &n.via);
        evidence_of(self.store, via.map(|s| s.relation))
    }

    fn json(&self) -> Value {
        let store = self.store;
        let neighbors: Vec<Value> = self
            .found
            .iter()
            .map(|n| {
                let via: Vec<Value> = n
                    .via
                    .iter()
                    .filter_map(|s| {
                        let edge = edge_json(store, s, false);
                        (!edge.is_null()).then_some(edge)
                    })
                    .collect();
                json!({"name": store.name(n.entity), "kind": self.kind(n.entity), "distance": n.distance, "via": via})
            })
            .collect();
        json!({"center": store.name(self.center), "depth": self.depth, "neighbors": neighbors})
    }

    fn csv(&self) -> Sheet {
        let store = self.store;
        let mut rows = Vec::new();
        for n in &self.found {
            for s in &n.via {
                let Some(r) = store.relation(s.relation) else {
                    continue;
                };
                let mut row = vec![
                    n.distance.to_string(),
                    store.name(n.entity).to_string(),
                    self.kind(n.entity).to_string(),
                    r.id.0.to_string(),
                    store.name(r.from).to_string(),
                    store.type_name(r.relation.rtype).to_string(),
                    store.name(r.to).to_string(),
                    r.relation.when.to_string(),
                ];
                row.extend(provenance_cells(store, &r));
                rows.push(row);
            }
        }
        let mut headers = vec![
            "distance", "name", "kind", "id", "from", "type", "to", "date",
        ];
        headers.extend(PROVENANCE);
        Sheet::new(&headers, rows)
    }

    /// The first relation reaching a neighbour names it; the others follow below.
    fn text(&self) -> Vec<Block> {
        if self.found.is_empty() {
            // Nothing found: the note says so, without an empty table over it.
            return Vec::new();
        }
        let store = self.store;
        let mut rows = Vec::new();
        for n in &self.found {
            for (i, s) in n.via.iter().enumerate() {
                let Some(r) = store.relation(s.relation) else {
                    continue;
                };
                let line = arrow(store, &r, Some(s.from), Dated::InLabel);
                let (distance, name, kind) = if i == 0 {
                    (
                        n.distance.to_string(),
                        store.name(n.entity).to_string(),
                        self.kind(n.entity).to_string(),
                    )
                } else {
                    Default::default()
                };
                rows.push(vec![distance, name, kind, line, r.id.to_string()]);
            }
        }
        vec![Block::table(&["HOPS", "NAME", "KIND", "VIA", "ID"], rows)]
    }
}

/// How a path answer was searched, for `--explain`: the selection, the algorithm, the
/// work done and what came of it.
fn explain(
    store: &Store,
    selection: &Selection,
    options: &PathArgs,
    found: Option<&[Path]>,
    (expanded, examined): (u64, u64),
    started: std::time::Instant,
) -> String {
    let direction = if options.directed {
        "directed types forward only, symmetric types either way"
    } else {
        "every relation in either direction"
    };
    let bound = options
        .max_hops
        .map(|n| format!(", at most {n} hops"))
        .unwrap_or_default();
    let plan = match (options.chronological, options.all, options.k) {
        (false, false, None) => {
            "bidirectional breadth-first search over the compressed adjacency: each round grows the side with fewer relations to look at, and the search stops at the first entity both sides reach".to_string()
        }
        (false, true, _) => {
            "breadth-first rings from both ends to the meeting distance, then every walk through the entities on a shortest path (at most 10,000)".to_string()
        }
        (false, false, Some(k)) => format!(
            "Yen's algorithm for the {k} shortest loopless paths; each spur path by the bidirectional search, with the root path's entities and the used relations blocked"
        ),
        (true, false, None) => {
            "chronological: a meet-in-the-middle search for the fewest hops and the entities a time-respecting path can use, then an exact layered search among them for the earliest arrival (t = max(t, earliest) must stay <= latest)".to_string()
        }
        (true, _, k) => format!(
            "chronological, every path ({}): Yen's algorithm with the exact layered search for each spur",
            k.map_or("all shortest".to_string(), |k| format!("{k} shortest"))
        ),
    };
    let result = match found {
        Some(paths) if !paths.is_empty() => {
            let fewest = paths.iter().map(Path::hops).min().unwrap_or(0);
            let most = paths.iter().map(Path::hops).max().unwrap_or(0);
            let hops = if fewest == most {
                format!("{fewest}")
            } else {
                format!("{fewest} to {most}")
            };
            format!(
                "{} path{} of {hops} hops",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" }
            )
        }
        _ => "no path".to_string(),
    };
    format!(
        "explain: selection: {}\n\
         explain: walking: {direction}{bound}\n\
         explain: plan: {plan}\n\
         explain: work: {expanded} entities expanded, {examined} relations examined (the graph has {} entities, {} relations)\n\
         explain: result: {result} in {:.3} ms",
        selection.describe(store),
        store.entity_count(),
        store.relation_count(),
        started.elapsed().as_secs_f64() * 1000.0
    )
}
