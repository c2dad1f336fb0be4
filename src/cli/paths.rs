//! Rendering paths and neighbourhoods in the three formats.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Format;
use super::output::{self, Dated, arrow, cell};
use crate::algo::{Neighbor, Path, Step};
use crate::model::EntityId;
use crate::model::time::format_day;
use crate::store::Store;

/// A step as the JSON contract has it: the relation as stored, its date as written,
/// and with `chronological` the day chosen for it.
fn edge_json(store: &Store, step: &Step, chronological: bool) -> Value {
    let Some(r) = store.relation(step.relation) else {
        return Value::Null;
    };
    let date = (!r.relation.when.is_undated()).then(|| r.relation.when.to_string());
    let mut edge = json!({
        "from": store.name(r.from),
        "type": store.type_name(r.relation.rtype),
        "to": store.name(r.to),
        "date": date,
    });
    if chronological {
        edge["at"] = json!(step.at.map(format_day));
    }
    edge
}

fn path_json(store: &Store, path: &Path, chronological: bool) -> Value {
    let nodes: Vec<&str> = path.nodes().into_iter().map(|n| store.name(n)).collect();
    let edges: Vec<Value> = path
        .steps
        .iter()
        .map(|s| edge_json(store, s, chronological))
        .collect();
    json!({ "hops": path.hops(), "nodes": nodes, "edges": edges })
}

/// Prints paths: one path as an object, a listing (`--all`, `-k`) as an array.
pub fn print(
    store: &Store,
    paths: &[Path],
    listing: bool,
    chronological: bool,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let values: Vec<Value> = paths
                .iter()
                .map(|p| path_json(store, p, chronological))
                .collect();
            match (listing, values.first()) {
                (false, Some(one)) => output::json(out, one),
                _ => output::json(out, &Value::Array(values)),
            }
        }
        Format::Csv => {
            let mut headers = vec!["path", "step", "from", "type", "to", "date"];
            if chronological {
                headers.push("at");
            }
            headers.push("id");
            let mut rows = Vec::new();
            for (i, path) in paths.iter().enumerate() {
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
                    if chronological {
                        row.push(step.at.map(format_day).unwrap_or_default());
                    }
                    row.push(r.id.0.to_string());
                    rows.push(row);
                }
            }
            output::csv(out, &headers, &rows)
        }
        Format::Table => {
            for (i, path) in paths.iter().enumerate() {
                if listing {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    write!(out, "path {} of {}: ", i + 1, paths.len())?;
                }
                let hops = path.hops();
                let names: Vec<String> =
                    path.nodes().iter().map(|&n| cell(store.name(n))).collect();
                writeln!(
                    out,
                    "{hops} hop{}: {}",
                    if hops == 1 { "" } else { "s" },
                    names.join(" → ")
                )?;
                let rows: Vec<Vec<String>> = path
                    .steps
                    .iter()
                    .filter_map(|step| {
                        let r = store.relation(step.relation)?;
                        let line = arrow(store, &r, Some(step.from), Dated::InLabel);
                        Some(if chronological {
                            let at = match step.at {
                                Some(day) => format!("on {}", format_day(day)),
                                None if r.relation.when.is_undated() => "undated".to_string(),
                                None => format!("any day {}", r.relation.when),
                            };
                            vec![format!("  {line}"), at]
                        } else {
                            vec![format!("  {line}")]
                        })
                    })
                    .collect();
                output::table(out, None, &rows)?;
            }
            Ok(())
        }
    }
}

/// Prints a neighbourhood: one row per relation that reaches a neighbour.
pub fn print_neighbors(
    store: &Store,
    center: EntityId,
    depth: u32,
    found: &[Neighbor],
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let kind = |id: EntityId| store.entity(id).map_or("?", |e| e.kind.as_str());
    match format {
        Format::Json => {
            let neighbors: Vec<Value> = found
                .iter()
                .map(|n| {
                    let via: Vec<Value> = n
                        .via
                        .iter()
                        .filter_map(|s| {
                            let mut edge = edge_json(store, s, false);
                            edge.as_object_mut()?.insert("id".to_string(), json!(s.relation.0));
                            Some(edge)
                        })
                        .collect();
                    json!({"name": store.name(n.entity), "kind": kind(n.entity), "distance": n.distance, "via": via})
                })
                .collect();
            output::json(
                out,
                &json!({"center": store.name(center), "depth": depth, "neighbors": neighbors}),
            )
        }
        Format::Csv => {
            let mut rows = Vec::new();
            for n in found {
                for s in &n.via {
                    let Some(r) = store.relation(s.relation) else {
                        continue;
                    };
                    rows.push(vec![
                        n.distance.to_string(),
                        store.name(n.entity).to_string(),
                        kind(n.entity).to_string(),
                        r.id.0.to_string(),
                        store.name(r.from).to_string(),
                        store.type_name(r.relation.rtype).to_string(),
                        store.name(r.to).to_string(),
                        r.relation.when.to_string(),
                    ]);
                }
            }
            output::csv(
                out,
                &[
                    "distance", "name", "kind", "id", "from", "type", "to", "date",
                ],
                &rows,
            )
        }
        Format::Table => {
            let mut rows = Vec::new();
            for n in found {
                for (i, s) in n.via.iter().enumerate() {
                    let Some(r) = store.relation(s.relation) else {
                        continue;
                    };
                    let line = arrow(store, &r, Some(s.from), Dated::InLabel);
                    rows.push(if i == 0 {
                        vec![
                            n.distance.to_string(),
                            store.name(n.entity).to_string(),
                            kind(n.entity).to_string(),
                            line,
                            r.id.to_string(),
                        ]
                    } else {
                        vec![
                            String::new(),
                            String::new(),
                            String::new(),
                            line,
                            r.id.to_string(),
                        ]
                    });
                }
            }
            output::table(out, Some(&["HOPS", "NAME", "KIND", "VIA", "ID"]), &rows)
        }
    }
}

/// Prints the answers of `path --pairs`: one row per pair. In JSON, a pair carries its
/// path's fields (`hops` null when there is none) or, listing, its `paths`.
pub fn print_pairs(
    store: &Store,
    rows: &[(EntityId, EntityId, Vec<Path>)],
    listing: bool,
    chronological: bool,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let hops = |paths: &[Path]| paths.first().map(Path::hops);
    let route = |path: &Path| {
        path.nodes()
            .iter()
            .map(|&n| store.name(n).to_string())
            .collect::<Vec<_>>()
            .join(" → ")
    };
    match format {
        Format::Json => {
            let values: Vec<Value> = rows
                .iter()
                .map(|(from, to, paths)| {
                    let mut value = match (listing, paths.first()) {
                        (true, _) => json!({ "paths": paths.iter().map(|p| path_json(store, p, chronological)).collect::<Vec<_>>() }),
                        (false, Some(p)) => path_json(store, p, chronological),
                        (false, None) => json!({ "hops": null, "nodes": [], "edges": [] }),
                    };
                    if let Some(object) = value.as_object_mut() {
                        object.insert("from".into(), json!(store.name(*from)));
                        object.insert("to".into(), json!(store.name(*to)));
                    }
                    value
                })
                .collect();
            output::json(out, &Value::Array(values))
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|(from, to, paths)| {
                    vec![
                        store.name(*from).to_string(),
                        store.name(*to).to_string(),
                        hops(paths).map(|h| h.to_string()).unwrap_or_default(),
                        paths.len().to_string(),
                        paths.first().map(route).unwrap_or_default(),
                    ]
                })
                .collect();
            output::csv(out, &["from", "to", "hops", "paths", "path"], &rows)
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|(from, to, paths)| {
                    vec![
                        cell(store.name(*from)),
                        cell(store.name(*to)),
                        hops(paths).map_or_else(|| "-".to_string(), |h| h.to_string()),
                        paths
                            .first()
                            .map_or_else(|| "no path".to_string(), |p| cell(&route(p))),
                    ]
                })
                .collect();
            output::table(out, Some(&["FROM", "TO", "HOPS", "PATH"]), &rows)
        }
    }
}

/// How a path answer was searched, for `--explain`: the selection, the algorithm, the
/// work done and what came of it.
pub fn explain(
    store: &Store,
    selection: &crate::select::Selection,
    options: &super::PathArgs,
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
