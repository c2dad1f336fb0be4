//! `kg rank`: the actors ordered by a centrality measure over the selected graph.

use serde_json::{Value, json};

use kg::Error;
use kg::algo::measure::{self, Degree, Graph};
use kg::model::EntityId;
use kg::store::Store;

use crate::cli::args::{Measure, RankArgs};
use crate::cli::render::{Answer, Block, Report, Sheet, cell};

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
    let directional = matches!(args.measure, Measure::InDegree | Measure::OutDegree);
    if directional && !directed {
        return Err(Error::Usage(format!(
            "--measure {} needs --directed",
            args.measure.name()
        )));
    }
    if args.samples.is_some() && args.measure != Measure::Betweenness {
        return Err(Error::Usage(
            "--samples estimates betweenness only".to_string(),
        ));
    }
    if !(0.0..1.0).contains(&args.damping) {
        return Err(Error::Usage(format!(
            "--damping {}: expected a number from 0 up to 1",
            args.damping
        )));
    }
    if args.tolerance.is_nan() || args.tolerance <= 0.0 {
        return Err(Error::Usage(format!(
            "--tolerance {}: expected a number above 0",
            args.tolerance
        )));
    }
    let graph = Graph::new(store, &selection, directed, args.keep_isolated);
    let converge = |e: measure::MeasureError| Error::Usage(e.to_string());
    let scores = match args.measure {
        Measure::Degree => measure::degree(&graph, Degree::Total),
        Measure::InDegree => measure::degree(&graph, Degree::In),
        Measure::OutDegree => measure::degree(&graph, Degree::Out),
        Measure::Betweenness => {
            measure::betweenness(&graph, args.samples.map(|k| (k as usize, args.seed)))
        }
        Measure::Closeness => measure::closeness(&graph),
        Measure::Harmonic => measure::harmonic(&graph),
        Measure::Pagerank => measure::pagerank(&graph, args.damping, args.tolerance, args.max_iter)
            .map_err(converge)?,
        Measure::Eigenvector => {
            measure::eigenvector(&graph, args.tolerance, args.max_iter).map_err(converge)?
        }
    };
    let mut rows: Vec<(EntityId, f64)> = graph.entities.iter().copied().zip(scores).collect();
    // Best first; ties by name, then id, so that the order is the same every run.
    rows.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| store.name(a.0).cmp(store.name(b.0)))
            .then(a.0.cmp(&b.0))
    });
    if !args.all {
        rows.truncate(args.top);
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
