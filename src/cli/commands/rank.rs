//! `kg rank` and `kg communities`: who matters in the selected graph, by a centrality
//! measure, and which actors cluster together.

use serde_json::{Value, json};

use kg::Error;
use kg::algo::communities;
use kg::algo::measure::{self, Graph};
use kg::model::EntityId;
use kg::store::Store;

use crate::cli::args::{CommunitiesArgs, Measure, Method, Period, RankArgs};
use crate::cli::describe::plural;
use crate::cli::render::{Answer, Block, Report, Sheet, cell};
use crate::cli::session::Session;
use crate::cli::terminal;

/// The ranking as printed.
struct Ranking<'s> {
    store: &'s Store,
    measure: Measure,
    directed: bool,
    /// The graph's size, which the normalisation counts.
    nodes: usize,
    /// (entity, score), best first.
    rows: Vec<(EntityId, f64)>,
}

impl Ranking<'_> {
    fn kind(&self, id: EntityId) -> String {
        self.store
            .kind_of(id)
            .map(|k| k.to_string())
            .unwrap_or_default()
    }
}

impl Report for Ranking<'_> {
    fn json(&self) -> Value {
        let scores: Vec<Value> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, &(id, score))| {
                json!({
                    "rank": i + 1,
                    "name": self.store.name(id),
                    "kind": self.kind(id),
                    "score": score,
                })
            })
            .collect();
        json!({
            "measure": self.measure.name(),
            "directed": self.directed,
            "nodes": self.nodes,
            "scores": scores,
        })
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, &(id, score))| {
                vec![
                    (i + 1).to_string(),
                    self.store.name(id).to_string(),
                    self.kind(id),
                    score.to_string(),
                ]
            })
            .collect();
        Sheet::new(&["rank", "name", "kind", "score"], rows)
    }

    fn text(&self) -> Vec<Block> {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, &(id, score))| {
                vec![
                    (i + 1).to_string(),
                    cell(self.store.name(id)),
                    self.kind(id),
                    format!("{score:.6}"),
                ]
            })
            .collect();
        vec![
            Block::Line(format!(
                "{} over {} actors{}",
                self.measure.name(),
                self.nodes,
                if self.directed { ", directed" } else { "" }
            )),
            Block::table(&["rank", "name", "kind", "score"], rows),
        ]
    }
}

/// Runs `kg rank`.
pub fn run<'s>(store: &'s Store, args: &RankArgs) -> Result<Answer<'s>, Error> {
    let selection = args.selection.resolve_for_search(store)?;
    let directed = args.directed;
    let measure = args.measure;
    if measure.is_directional() && !directed {
        return Err(Error::Usage(format!(
            "--measure {} needs --directed",
            measure.name()
        )));
    }
    // A flag the measure does not read is a mistake to point out, not to ignore.
    let pagerank = measure == kg::algo::measure::Measure::Pagerank;
    let iterates = pagerank || measure == kg::algo::measure::Measure::Eigenvector;
    for (given, applies, flag) in [
        (args.damping.is_some(), pagerank, "--damping"),
        (args.tolerance.is_some(), iterates, "--tolerance"),
        (args.max_iter.is_some(), iterates, "--max-iter"),
    ] {
        if given && !applies {
            return Err(Error::Usage(format!(
                "{flag} does not apply to --measure {}",
                measure.name()
            )));
        }
    }
    // Each setting's error names it; on the command line it is a flag.
    settings(args)
        .check(measure)
        .map_err(|e| Error::Usage(format!("--{e}")))?;
    if let Some(every) = args.every {
        return sliced(store, &selection, args, every);
    }
    let (graph, scores) = measured(store, &selection, args)?;
    let mut rows: Vec<(EntityId, f64)> = graph.entities.iter().copied().zip(scores).collect();
    best_first(store, &mut rows);
    if !args.all {
        rows.truncate(args.top as usize);
    }
    let empty = rows.is_empty();
    Ok(Answer::report(Ranking {
        store,
        measure: args.measure,
        directed,
        nodes: graph.len(),
        rows,
    })
    .found_nothing_if(empty, "no relations in the selection to rank by"))
}

/// The measure's settings as the flags give them.
fn settings(args: &RankArgs) -> measure::Settings {
    let defaults = measure::Settings::default();
    measure::Settings {
        samples: args.samples.map(|k| (k as usize, args.seed)),
        damping: args.damping.unwrap_or(defaults.damping),
        tolerance: args.tolerance.unwrap_or(defaults.tolerance),
        max_iter: args.max_iter.unwrap_or(defaults.max_iter),
    }
}

/// The graph `selection` leaves and the measure's score of each of its nodes.
fn measured(
    store: &Store,
    selection: &kg::select::Selection,
    args: &RankArgs,
) -> Result<(Graph, Vec<f64>), Error> {
    let start = std::time::Instant::now();
    let graph = Graph::new(store, selection, args.directed, args.keep_isolated);
    terminal::timing("projected the selected graph", start);
    let start = std::time::Instant::now();
    let scores = measure::score(&graph, args.measure, &settings(args), measure::NEVER)
        .map_err(|e| Error::Usage(e.to_string()))?;
    terminal::timing(&format!("measured {}", args.measure.name()), start);
    Ok((graph, scores))
}

/// Best first; ties by name, then id, so that the order is the same every run. Scores
/// equal to 12 decimals tie: sums taken in another order differ in their last bits.
fn best_first(store: &Store, rows: &mut [(EntityId, f64)]) {
    let key = |x: f64| (x * 1e12).round();
    rows.sort_by(|a, b| {
        key(b.1)
            .total_cmp(&key(a.1))
            .then_with(|| store.name(a.0).cmp(store.name(b.0)))
            .then(a.0.cmp(&b.0))
    });
}

/// One window's ranking: its label ("2025-03", "2025-Q1", "2025"), first and last day,
/// the graph's size in it, and the best, best first.
type Window = (String, String, String, usize, Vec<(EntityId, f64)>);

/// Rankings per window, as printed.
struct Sliced<'s> {
    store: &'s Store,
    measure: Measure,
    windows: Vec<Window>,
}

impl Report for Sliced<'_> {
    fn json(&self) -> Value {
        let windows: Vec<Value> = self
            .windows
            .iter()
            .map(|(label, from, to, nodes, rows)| {
                let scores: Vec<Value> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, &(id, score))| json!({"rank": i + 1, "name": self.store.name(id), "score": score}))
                    .collect();
                json!({"window": label, "from": from, "to": to, "nodes": nodes, "scores": scores})
            })
            .collect();
        json!({"measure": self.measure.name(), "windows": windows})
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .windows
            .iter()
            .flat_map(|(label, _, _, _, rows)| {
                rows.iter().enumerate().map(move |(i, &(id, score))| {
                    vec![
                        label.clone(),
                        (i + 1).to_string(),
                        self.store.name(id).to_string(),
                        score.to_string(),
                    ]
                })
            })
            .collect();
        Sheet::new(&["window", "rank", "name", "score"], rows)
    }

    fn text(&self) -> Vec<Block> {
        let rows = self
            .windows
            .iter()
            .flat_map(|(label, _, _, _, rows)| {
                rows.iter().enumerate().map(move |(i, &(id, score))| {
                    vec![
                        label.clone(),
                        (i + 1).to_string(),
                        cell(self.store.name(id)),
                        format!("{score:.6}"),
                    ]
                })
            })
            .collect();
        vec![
            Block::Line(format!("{} per window", self.measure.name())),
            Block::table(&["window", "rank", "name", "score"], rows),
        ]
    }
}

/// `kg rank --every PERIOD`: a ranking per window from the first dated relation selected
/// to the last (or the selection's own window).
fn sliced<'s>(
    store: &'s Store,
    selection: &kg::select::Selection,
    args: &RankArgs,
    every: Period,
) -> Result<Answer<'s>, Error> {
    use chrono::Datelike;
    use kg::model::time::{MAX_DAY, MIN_DAY, date_of, day_number, format_day};
    let (mut first, mut last) = (MAX_DAY, MIN_DAY);
    for r in store.relations() {
        let mut undated = selection.clone();
        undated.window = None;
        if r.relation.when.is_undated() || !undated.allows_relation(&r.relation) {
            continue;
        }
        // An open end is bounded by the known one: `..2022-06-28` falls by then.
        let (a, b) = (r.relation.when.earliest(), r.relation.when.latest());
        let (a, b) = (
            if a == MIN_DAY { b } else { a },
            if b == MAX_DAY { a } else { b },
        );
        if a != MAX_DAY {
            first = first.min(a);
        }
        if b != MIN_DAY {
            last = last.max(b);
        }
    }
    if let Some((a, b)) = selection.window {
        if a != MIN_DAY {
            first = a;
        }
        if b != MAX_DAY {
            last = b;
        }
    }
    if first > last {
        return Ok(Answer::nothing_found(
            "no dated relations in the selection to rank by window",
        ));
    }
    let months = match every {
        Period::Month => 1,
        Period::Quarter => 3,
        Period::Year => 12,
    };
    let start = date_of(first);
    let mut month = (start.month0() / months) * months;
    let mut year = start.year();
    if every == Period::Year {
        month = 0;
    }
    let mut windows = Vec::new();
    let mut all_scores: Vec<std::collections::HashMap<EntityId, f64>> = Vec::new();
    while let Some(from) = chrono::NaiveDate::from_ymd_opt(year, month + 1, 1) {
        let (next_year, next_month) =
            (year + ((month + months) / 12) as i32, (month + months) % 12);
        let Some(next) = chrono::NaiveDate::from_ymd_opt(next_year, next_month + 1, 1) else {
            break;
        };
        let (a, b) = (day_number(from), day_number(next) - 1);
        if a > last {
            break;
        }
        let label = match every {
            Period::Month => format!("{year}-{:02}", month + 1),
            Period::Quarter => format!("{year}-Q{}", month / 3 + 1),
            Period::Year => format!("{year}"),
        };
        let mut window = selection.clone();
        window.window = Some((a, b));
        let (graph, scores) = measured(store, &window, args)?;
        let mut rows: Vec<(EntityId, f64)> = graph.entities.iter().copied().zip(scores).collect();
        all_scores.push(rows.iter().copied().collect());
        best_first(store, &mut rows);
        if !args.all {
            rows.truncate(args.top as usize);
        }
        windows.push((label, format_day(a), format_day(b), graph.len(), rows));
        year = next_year;
        month = next_month;
        if windows.len() > 1200 {
            return Err(Error::Usage(
                "over 1,200 windows: choose a longer --every or a --from/--to window".to_string(),
            ));
        }
    }
    if let Some(path) = &args.chart {
        // The ten actors with the highest score in any window.
        let mut best: std::collections::HashMap<EntityId, f64> = Default::default();
        for scores in &all_scores {
            for (&id, &score) in scores {
                let top = best.entry(id).or_insert(score);
                *top = top.max(score);
            }
        }
        let mut chosen: Vec<(EntityId, f64)> = best.into_iter().collect();
        best_first(store, &mut chosen);
        chosen.truncate(10);
        let labels: Vec<String> = windows.iter().map(|w| w.0.clone()).collect();
        let series: Vec<(String, Vec<Option<f64>>)> = chosen
            .iter()
            .map(|&(id, _)| {
                (
                    store.name(id).to_string(),
                    all_scores.iter().map(|s| s.get(&id).copied()).collect(),
                )
            })
            .collect();
        let mut bytes = Vec::new();
        kg::export::trend::write(
            &format!(
                "{} per {}",
                args.measure.name(),
                labels.first().map_or("window", |_| match every {
                    Period::Month => "month",
                    Period::Quarter => "quarter",
                    Period::Year => "year",
                })
            ),
            &labels,
            &series,
            &mut bytes,
        )?;
        kg::storage::write_file(path, &bytes)?;
    }
    Ok(Answer::report(Sliced {
        store,
        measure: args.measure,
        windows,
    }))
}

/// How many members of each community a table lists.
const MEMBERS_SHOWN: usize = 12;

/// The communities as printed.
struct Found<'s> {
    store: &'s Store,
    method: Method,
    modularity: f64,
    nodes: usize,
    /// Each community's members, largest community first, members by name.
    communities: Vec<Vec<EntityId>>,
    /// How many there are in all (`communities` may be the first few).
    count: usize,
    /// The property written, if any, and what the write changed.
    saved: Option<Saved>,
}

impl Report for Found<'_> {
    fn json(&self) -> Value {
        let list: Vec<Value> = self
            .communities
            .iter()
            .enumerate()
            .map(|(i, members)| {
                let names: Vec<&str> = members.iter().map(|&id| self.store.name(id)).collect();
                json!({"id": i + 1, "size": members.len(), "members": names})
            })
            .collect();
        json!({
            "method": self.method.name(),
            "modularity": self.modularity,
            "nodes": self.nodes,
            "count": self.count,
            "communities": list,
            "saved_as": self.saved.as_ref().map(|s| &s.property),
            "changed": self.saved.as_ref().map(|s| s.changed),
        })
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .communities
            .iter()
            .enumerate()
            .flat_map(|(i, members)| {
                members.iter().map(move |&id| {
                    vec![
                        self.store.name(id).to_string(),
                        self.store
                            .kind_of(id)
                            .map(|k| k.to_string())
                            .unwrap_or_default(),
                        (i + 1).to_string(),
                    ]
                })
            })
            .collect();
        Sheet::new(&["name", "kind", "community"], rows)
    }

    fn text(&self) -> Vec<Block> {
        let rows = self
            .communities
            .iter()
            .enumerate()
            .map(|(i, members)| {
                // A table lists a community's first members (JSON and CSV list all).
                let mut names: Vec<String> = members
                    .iter()
                    .take(MEMBERS_SHOWN)
                    .map(|&id| cell(self.store.name(id)))
                    .collect();
                if members.len() > MEMBERS_SHOWN {
                    names.push(format!("and {} more", members.len() - MEMBERS_SHOWN));
                }
                vec![
                    (i + 1).to_string(),
                    members.len().to_string(),
                    names.join(", "),
                ]
            })
            .collect();
        let mut blocks = vec![Block::Line(format!(
            "{}: {} over {}, modularity {:.6}{}",
            self.method.name(),
            plural(self.count, "community", "communities"),
            plural(self.nodes, "actor", "actors"),
            self.modularity,
            match &self.saved {
                Some(s) if s.changed == 0 => format!(
                    "; the property {} already held these communities: nothing written",
                    s.property
                ),
                Some(s) => format!(
                    "; saved as the property {} on {}{}{} (kg undo takes it back)",
                    s.property,
                    plural(s.changed, "actor", "actors"),
                    match s.replaced {
                        0 => String::new(),
                        r => format!(", replacing {r} earlier values"),
                    },
                    match s.cleared {
                        0 => String::new(),
                        c => format!(", clearing it on {c} outside the selection"),
                    }
                ),
                None => String::new(),
            }
        ))];
        blocks.push(Block::table(&["community", "size", "members"], rows));
        blocks
    }
}

/// Runs `kg communities`.
pub fn communities<'s>(
    session: &'s mut Session,
    args: &CommunitiesArgs,
) -> Result<Answer<'s>, Error> {
    if args.method == Method::Strong && !args.directed {
        return Err(Error::Usage(
            "--method strong needs --directed (undirected, strong components are the components)"
                .to_string(),
        ));
    }
    if args.method == Method::Louvain && args.directed {
        return Err(Error::Usage(
            "--method louvain works on the undirected graph: leave out --directed".to_string(),
        ));
    }
    if args.method != Method::Louvain {
        for (given, flag) in [
            (args.seed.is_some(), "--seed"),
            (args.resolution.is_some(), "--resolution"),
            (args.threshold.is_some(), "--threshold"),
        ] {
            if given {
                return Err(Error::Usage(format!(
                    "{flag} is Louvain's: not for --method {}",
                    args.method.name()
                )));
            }
        }
    }
    let resolution = args.resolution.unwrap_or(1.0);
    let threshold = args.threshold.unwrap_or(1e-7);
    if !resolution.is_finite() || resolution <= 0.0 {
        return Err(Error::Usage(format!(
            "--resolution {resolution}: expected a number above 0"
        )));
    }
    if !threshold.is_finite() || threshold < 0.0 {
        return Err(Error::Usage(format!(
            "--threshold {threshold}: expected a number at least 0"
        )));
    }
    if let Some(property) = &args.save
        && property.trim().is_empty()
    {
        return Err(Error::Usage("--save: give a property name".to_string()));
    }
    let (partition, entities, modularity) = {
        let store = session.read()?;
        let selection = args.selection.resolve_for_search(store)?;
        let start = std::time::Instant::now();
        let graph = Graph::new(store, &selection, args.directed, args.keep_isolated);
        terminal::timing("projected the selected graph", start);
        let start = std::time::Instant::now();
        let partition = match args.method {
            Method::Louvain => {
                communities::louvain(&graph, resolution, threshold, args.seed.unwrap_or(0))
            }
            Method::Components => communities::components(&graph),
            Method::Strong => communities::strong_components(&graph),
        };
        terminal::timing(
            &format!("found the {} communities", args.method.name()),
            start,
        );
        let modularity = communities::modularity(&graph, &partition, resolution);
        (partition, graph.entities, modularity)
    };
    let saved = match &args.save {
        Some(property) => Some(save(session, property, &entities, &partition)?),
        None => None,
    };
    let store = session.read()?;
    let count = partition.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut groups: Vec<Vec<EntityId>> = vec![Vec::new(); count];
    for (&id, &c) in entities.iter().zip(&partition) {
        groups[c as usize].push(id);
    }
    for group in &mut groups {
        group.sort_by(|a, b| store.name(*a).cmp(store.name(*b)));
    }
    if !args.all {
        groups.truncate(args.top as usize);
    }
    let empty = entities.is_empty();
    Ok(Answer::report(Found {
        store,
        method: args.method,
        modularity,
        nodes: entities.len(),
        communities: groups,
        count,
        saved,
    })
    .found_nothing_if(
        empty,
        "no relations in the selection to find communities in",
    ))
}

/// What `--save` wrote.
struct Saved {
    property: String,
    /// Actors whose property changed.
    changed: usize,
    /// Of those, actors that held another value before.
    replaced: usize,
    /// Of those, actors outside the partition whose value was removed.
    cleared: usize,
}

/// Writes each actor's community number (1 the largest) as `property`, and removes the
/// property from actors outside the partition, so that it holds one partition; in one
/// write, and none when nothing changes.
fn save(
    session: &mut Session,
    property: &str,
    entities: &[EntityId],
    partition: &[u32],
) -> Result<Saved, Error> {
    let number: std::collections::HashMap<EntityId, u32> = entities
        .iter()
        .copied()
        .zip(partition.iter().copied())
        .collect();
    let mut changes: Vec<(EntityId, Option<String>)> = Vec::new();
    let (mut replaced, mut cleared) = (0, 0);
    {
        let store = session.read()?;
        for id in (0..store.entity_bound()).map(|i| EntityId(i as u32)) {
            let Some(entity) = store.entity(id) else {
                continue;
            };
            let old = entity.property(property).map(str::to_string);
            let new = number.get(&id).map(|c| (c + 1).to_string());
            if old == new {
                continue;
            }
            match (&old, &new) {
                (Some(_), Some(_)) => replaced += 1,
                (Some(_), None) => cleared += 1,
                _ => {}
            }
            changes.push((id, new));
        }
    }
    if !changes.is_empty() {
        session.write(|store| {
            for (id, value) in &changes {
                if !store.has_entity(*id) {
                    continue;
                }
                let mut properties = store
                    .entity(*id)
                    .map(|e| e.properties.clone())
                    .unwrap_or_default();
                properties.retain(|(k, _)| k != property);
                if let Some(value) = value {
                    properties.push((property.to_string(), value.clone()));
                }
                let properties = kg::source::sorted_properties(properties).map_err(Error::Usage)?;
                store.update_entity(*id, |e| e.properties = properties)?;
            }
            Ok(())
        })?;
    }
    Ok(Saved {
        property: property.to_string(),
        changed: changes.len(),
        replaced,
        cleared,
    })
}
