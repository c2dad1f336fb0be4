//! Who matters: centrality measures over the selected graph, each normalised as
//! networkx normalises it by default, one file per measure. They read a [`Graph`]: the
//! selected entities and relations as a simple graph (parallel relations between two
//! actors are one edge whose weight is how many there are; self-loops are left out),
//! undirected, or directed with symmetric types both ways.

mod betweenness;
mod closeness;
mod degree;
mod eigenvector;
mod harmonic;
mod pagerank;

pub use betweenness::betweenness;
pub use closeness::closeness;
pub use degree::{Degree, degree};
pub use eigenvector::eigenvector;
pub use harmonic::harmonic;
pub use pagerank::pagerank;

use std::collections::VecDeque;
use std::sync::atomic::Ordering;

use super::walk::Walker;
use crate::model::EntityId;
use crate::select::Selection;
use crate::store::Store;

/// The selected graph in compressed rows: node `i` is `entities[i]`; its arcs out and
/// in, each with its weight (the number of parallel relations). Undirected, each edge
/// is an arc both ways.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub entities: Vec<EntityId>,
    pub directed: bool,
    out: Rows,
    into: Rows,
}

#[derive(Debug, Clone, Default)]
struct Rows {
    start: Vec<u32>,
    to: Vec<u32>,
    weight: Vec<f64>,
}

impl Rows {
    fn of(&self, i: usize) -> std::ops::Range<usize> {
        self.start[i] as usize..self.start[i + 1] as usize
    }
}

impl Graph {
    /// The graph `selection` leaves of `store`: the entities of its kinds that keep at
    /// least one of its relations (all of its kinds with `keep_isolated`), and its
    /// relations between them. O(V + E) to build, plus a sort of each entity's list.
    pub fn new(store: &Store, selection: &Selection, directed: bool, keep_isolated: bool) -> Graph {
        let walker = Walker::new(store, selection, directed, &[]);
        let candidates: Vec<EntityId> = (0..store.entity_bound())
            .map(|i| EntityId(i as u32))
            .filter(|&id| {
                store.has_entity(id)
                    && store
                        .kind_of(id)
                        .is_none_or(|kind| selection.allows_kind(kind))
            })
            .collect();
        // Each candidate's number, by entity id (u32::MAX for the others).
        let mut index = vec![u32::MAX; store.entity_bound()];
        for (i, &id) in candidates.iter().enumerate() {
            index[id.0 as usize] = i as u32;
        }
        // The arcs out of each candidate in flat rows: (to, weight), parallel
        // relations summed.
        let mut start = Vec::with_capacity(candidates.len() + 1);
        let mut to: Vec<u32> = Vec::new();
        let mut weight: Vec<f64> = Vec::new();
        let mut list: Vec<u32> = Vec::new();
        start.push(0usize);
        for &id in &candidates {
            list.clear();
            list.extend(walker.steps(id).filter(|s| s.to != id).filter_map(|s| {
                let i = index[s.to.0 as usize];
                (i != u32::MAX).then_some(i)
            }));
            list.sort_unstable();
            for &next in &list {
                if to.len() > *start.last().unwrap_or(&0) && to.last() == Some(&next) {
                    *weight.last_mut().unwrap_or(&mut 0.0) += 1.0;
                } else {
                    to.push(next);
                    weight.push(1.0);
                }
            }
            start.push(to.len());
        }
        // Which candidates stay: those with an arc in or out (or all).
        let mut touched = vec![keep_isolated; candidates.len()];
        for i in 0..candidates.len() {
            if start[i + 1] > start[i] {
                touched[i] = true;
            }
        }
        for &t in &to {
            touched[t as usize] = true;
        }
        let mut renumber = vec![u32::MAX; candidates.len()];
        let mut entities = Vec::new();
        for (i, &id) in candidates.iter().enumerate() {
            if touched[i] {
                renumber[i] = entities.len() as u32;
                entities.push(id);
            }
        }
        let n = entities.len();
        let mut out = Rows {
            start: Vec::with_capacity(n + 1),
            to: Vec::with_capacity(to.len()),
            weight: Vec::with_capacity(to.len()),
        };
        out.start.push(0);
        // The arcs in, counted first so that they fill one array.
        let mut in_count = vec![0u32; n + 1];
        for i in (0..candidates.len()).filter(|&i| touched[i]) {
            for a in start[i]..start[i + 1] {
                let t = renumber[to[a] as usize];
                out.to.push(t);
                out.weight.push(weight[a]);
                in_count[t as usize + 1] += 1;
            }
            out.start.push(out.to.len() as u32);
        }
        for i in 0..n {
            in_count[i + 1] += in_count[i];
        }
        let mut into = Rows {
            start: in_count.clone(),
            to: vec![0; out.to.len()],
            weight: vec![0.0; out.to.len()],
        };
        let mut fill = in_count;
        for from in 0..n {
            for a in out.of(from) {
                let t = out.to[a] as usize;
                let at = fill[t] as usize;
                into.to[at] = from as u32;
                into.weight[at] = out.weight[a];
                fill[t] += 1;
            }
        }
        Graph {
            entities,
            directed,
            out,
            into,
        }
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The nodes node `i` has arcs to.
    pub fn out(&self, i: usize) -> &[u32] {
        &self.out.to[self.out.of(i)]
    }

    /// The weights of [`Graph::out`]'s arcs.
    pub fn out_weights(&self, i: usize) -> &[f64] {
        &self.out.weight[self.out.of(i)]
    }

    /// The nodes with arcs to node `i`.
    pub fn incoming(&self, i: usize) -> &[u32] {
        &self.into.to[self.into.of(i)]
    }

    /// The weights of [`Graph::incoming`]'s arcs.
    pub fn incoming_weights(&self, i: usize) -> &[f64] {
        &self.into.weight[self.into.of(i)]
    }

    /// Breadth-first distances from `source` (following arcs backwards when
    /// `backwards`): `distance[v]` in hops, `u32::MAX` where unreached; `order` gets the
    /// nodes reached, nearest first. O(V + E).
    pub fn bfs(&self, source: usize, backwards: bool, distance: &mut [u32], order: &mut Vec<u32>) {
        for &v in order.iter() {
            distance[v as usize] = u32::MAX;
        }
        order.clear();
        distance[source] = 0;
        order.push(source as u32);
        let mut queue = VecDeque::from([source as u32]);
        while let Some(u) = queue.pop_front() {
            let next = distance[u as usize] + 1;
            let neighbours = if backwards {
                self.incoming(u as usize)
            } else {
                self.out(u as usize)
            };
            for &v in neighbours {
                if distance[v as usize] == u32::MAX {
                    distance[v as usize] = next;
                    order.push(v);
                    queue.push_back(v);
                }
            }
        }
    }
}

/// Runs `visit` once for each of `sources`, spread over the machine's cores: each
/// thread takes every t-th source, with a state of its own (`S::default()`, kept
/// between its sources) and scores of its own, and the scores are summed in thread
/// order, so that the same number of threads gives the same scores every run. What one source adds must
/// not depend on another.
fn over_sources<S: Default>(
    sources: &[usize],
    n: usize,
    stop: Stop,
    visit: impl Fn(&mut S, usize, &mut [f64]) + Sync,
) -> Result<Vec<f64>, MeasureError> {
    let threads = threads().min(sources.len().div_ceil(32)).max(1);
    let stopped = std::sync::atomic::AtomicBool::new(false);
    let run = |t: usize| {
        let mut state = S::default();
        let mut score = vec![0.0; n];
        for (i, &s) in sources.iter().skip(t).step_by(threads).enumerate() {
            if i % 8 == 0 && (stopped.load(Ordering::Relaxed) || stop()) {
                stopped.store(true, Ordering::Relaxed);
                break;
            }
            visit(&mut state, s, &mut score);
        }
        score
    };
    if threads == 1 {
        let score = run(0);
        return match stopped.load(Ordering::Relaxed) {
            true => Err(MeasureError::Stopped),
            false => Ok(score),
        };
    }
    let parts: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || run(t))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    if stopped.load(Ordering::Relaxed) {
        return Err(MeasureError::Stopped);
    }
    let mut total = vec![0.0; n];
    for part in parts {
        for (t, x) in total.iter_mut().zip(part) {
            *t += x;
        }
    }
    Ok(total)
}

/// Whether a long measure should give up now (a query's time limit, Ctrl-C): asked
/// between sources, from every thread.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

fn never() -> bool {
    false
}

/// A [`Stop`] that never stops.
pub const NEVER: Stop<'static> = &never;

/// How many threads the measures that search from every source use: `KG_THREADS` when
/// set to a number above 0, else the machine's cores.
pub fn threads() -> usize {
    std::env::var("KG_THREADS")
        .ok()
        .and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|&t| t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |t| t.get()))
}

/// A breadth-first search's state, kept between searches: each node's distance and the
/// nodes reached, nearest first.
#[derive(Debug, Default)]
struct Reach {
    distance: Vec<u32>,
    order: Vec<u32>,
}

impl Reach {
    /// Searches from `source` (backwards along arcs when `backwards`), and answers the
    /// nodes reached, nearest first (`source` itself first), each with its distance.
    fn from(
        &mut self,
        graph: &Graph,
        source: usize,
        backwards: bool,
    ) -> impl Iterator<Item = (u32, u32)> + '_ {
        if self.distance.len() != graph.len() {
            self.distance = vec![u32::MAX; graph.len()];
            self.order.clear();
        }
        graph.bfs(source, backwards, &mut self.distance, &mut self.order);
        self.order.iter().map(|&v| (v, self.distance[v as usize]))
    }
}

/// The centrality measures, by the names `kg rank --measure` and Cypher's `kg.*`
/// functions give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Degree,
    InDegree,
    OutDegree,
    Betweenness,
    Closeness,
    Harmonic,
    Pagerank,
    Eigenvector,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Measure::Degree,
        Measure::InDegree,
        Measure::OutDegree,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Harmonic,
        Measure::Pagerank,
        Measure::Eigenvector,
    ];

    /// The name on the command line: `in-degree`.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Degree => "degree",
            Measure::InDegree => "in-degree",
            Measure::OutDegree => "out-degree",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Harmonic => "harmonic",
            Measure::Pagerank => "pagerank",
            Measure::Eigenvector => "eigenvector",
        }
    }

    /// The measure named `name` (as [`Measure::name`] gives it).
    pub fn from_name(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name)
    }

    /// What it measures, in a line.
    pub fn about(self) -> &'static str {
        match self {
            Measure::Degree => "Neighbours over n - 1 (directed: in plus out)",
            Measure::InDegree => "Directed: arcs in over n - 1",
            Measure::OutDegree => "Directed: arcs out over n - 1",
            Measure::Betweenness => {
                "Share of the shortest paths between others through the actor (Brandes)"
            }
            Measure::Closeness => {
                "Inverse mean distance from the actors that reach it, scaled by their share"
            }
            Measure::Harmonic => {
                "Sum of inverse distances from the others (for graphs that are not connected)"
            }
            Measure::Pagerank => "The random surfer's share of time (damping, tolerance)",
            Measure::Eigenvector => "The principal eigenvector of the adjacency (tolerance)",
        }
    }

    /// Whether it counts arcs one way, and so needs a directed graph.
    pub fn is_directional(self) -> bool {
        matches!(self, Measure::InDegree | Measure::OutDegree)
    }
}

/// How a measure is computed besides the graph: betweenness' sample, pagerank's damping,
/// the power iterations' tolerance and limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Betweenness: (k, seed) to estimate it from k sources drawn at random.
    pub samples: Option<(usize, u64)>,
    pub damping: f64,
    pub tolerance: f64,
    pub max_iter: usize,
}

impl Default for Settings {
    /// networkx's defaults: damping 0.85, tolerance 1e-6, 100 iterations.
    fn default() -> Settings {
        Settings {
            samples: None,
            damping: 0.85,
            tolerance: 1e-6,
            max_iter: 100,
        }
    }
}

impl Settings {
    /// An error naming the first setting out of range.
    pub fn check(&self, measure: Measure) -> Result<(), MeasureError> {
        let wrong = |setting: &'static str, value: String, expected: &'static str| {
            Err(MeasureError::Setting {
                setting,
                value,
                expected,
            })
        };
        if self.samples.is_some() && measure != Measure::Betweenness {
            return Err(MeasureError::SamplesNeedBetweenness);
        }
        if self.samples.is_some_and(|(k, _)| k == 0) {
            return wrong("samples", "0".to_string(), "a number of sources above 0");
        }
        if !(0.0..1.0).contains(&self.damping) {
            return wrong(
                "damping",
                self.damping.to_string(),
                "a number at least 0 and below 1",
            );
        }
        if !self.tolerance.is_finite() || self.tolerance <= 0.0 {
            return wrong("tolerance", self.tolerance.to_string(), "a number above 0");
        }
        if self.max_iter == 0 {
            return wrong("max-iter", "0".to_string(), "at least 1 iteration");
        }
        Ok(())
    }
}

/// `measure`'s score of each node of `graph` (in the order of `graph.entities`).
/// `stop` may end the measures that search from every source early (an error).
pub fn score(
    graph: &Graph,
    measure: Measure,
    settings: &Settings,
    stop: Stop,
) -> Result<Vec<f64>, MeasureError> {
    settings.check(measure)?;
    if measure.is_directional() && !graph.directed {
        return Err(MeasureError::Undirected(measure.name()));
    }
    Ok(match measure {
        Measure::Degree => degree(graph, Degree::Total),
        Measure::InDegree => degree(graph, Degree::In),
        Measure::OutDegree => degree(graph, Degree::Out),
        Measure::Betweenness => betweenness(graph, settings.samples, stop)?,
        Measure::Closeness => closeness(graph, stop)?,
        Measure::Harmonic => harmonic(graph, stop)?,
        Measure::Pagerank => pagerank(
            graph,
            settings.damping,
            settings.tolerance,
            settings.max_iter,
        )?,
        Measure::Eigenvector => eigenvector(graph, settings.tolerance, settings.max_iter)?,
    })
}

/// Power iteration from an even start: `step` maps the last vector to the next, until
/// the L1 change is under n × `tolerance` (networkx's test), or `max_iter` steps.
fn power_iteration(
    measure: &'static str,
    n: usize,
    tolerance: f64,
    max_iter: usize,
    mut step: impl FnMut(&[f64]) -> Vec<f64>,
) -> Result<Vec<f64>, MeasureError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut x = vec![1.0 / n as f64; n];
    for _ in 0..max_iter {
        let next = step(&x);
        let change: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        x = next;
        if change < n as f64 * tolerance {
            return Ok(x);
        }
    }
    Err(MeasureError::NoConvergence {
        measure,
        iterations: max_iter,
    })
}

/// Why a measure gave no scores.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasureError {
    #[error(
        "{measure} did not converge in {iterations} iterations (raise the iteration limit or the tolerance)"
    )]
    NoConvergence {
        measure: &'static str,
        iterations: usize,
    },
    #[error("{setting} {value}: expected {expected}")]
    Setting {
        setting: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("stopped before the measure was done")]
    Stopped,
    #[error("samples estimate betweenness only")]
    SamplesNeedBetweenness,
    #[error("{0} counts arcs one way: it needs the directed graph")]
    Undirected(&'static str),
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::import::{Duplicates, apply};
    use crate::source::kg::parse;

    /// A store from `.kg` text.
    pub fn store(text: &str) -> Store {
        let batch = parse(&std::sync::Arc::from("test"), text).expect("a .kg text");
        let mut store = Store::new();
        apply(&mut store, batch, Duplicates::Keep).expect("it imports");
        store
    }

    /// The scores of a measure by name, rounded to 6 places.
    pub fn by_name(store: &Store, graph: &Graph, scores: &[f64]) -> Vec<(String, f64)> {
        let mut named: Vec<(String, f64)> = graph
            .entities
            .iter()
            .zip(scores)
            .map(|(&id, &s)| (store.name(id).to_string(), (s * 1e6).round() / 1e6))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        named
    }

    /// A path a - b - c - d, and e - f apart; b and c also met twice.
    pub const LINE: &str = "type met symmetric\ntype told directed\nperson a\nperson b\nperson c\nperson d\nperson e\nperson f\nperson lone\na -[met]- b\nb -[met]- c\nb -[met]- c @ 2024\nc -[told]-> d\ne -[met]- f\n";

    #[test]
    fn the_graph_merges_parallel_relations_and_leaves_out_the_isolated() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        assert_eq!(graph.len(), 6, "lone has no relation");
        let b = graph
            .entities
            .iter()
            .position(|&id| store.name(id) == "b")
            .unwrap();
        assert_eq!(graph.out(b).len(), 2);
        assert_eq!(graph.out_weights(b).iter().sum::<f64>(), 3.0);
        let kept = Graph::new(&store, &Selection::default(), false, true);
        assert_eq!(kept.len(), 7);
        // Directed: told goes one way, met both.
        let directed = Graph::new(&store, &Selection::default(), true, false);
        let d = directed
            .entities
            .iter()
            .position(|&id| store.name(id) == "d")
            .unwrap();
        assert_eq!((directed.out(d).len(), directed.incoming(d).len()), (0, 1));
    }
}
