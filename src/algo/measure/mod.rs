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

use foldhash::{HashMap, HashMapExt};

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
        let mut index: HashMap<EntityId, u32> = HashMap::with_capacity(candidates.len());
        for (i, &id) in candidates.iter().enumerate() {
            index.insert(id, i as u32);
        }
        // The arcs out of each candidate: (to, weight), parallel relations summed.
        let mut arcs: Vec<Vec<(u32, f64)>> = Vec::with_capacity(candidates.len());
        for &id in &candidates {
            let mut list: Vec<u32> = walker
                .steps(id)
                .filter(|s| s.to != id)
                .filter_map(|s| index.get(&s.to).copied())
                .collect();
            list.sort_unstable();
            let mut merged: Vec<(u32, f64)> = Vec::with_capacity(list.len());
            for to in list {
                match merged.last_mut() {
                    Some((last, w)) if *last == to => *w += 1.0,
                    _ => merged.push((to, 1.0)),
                }
            }
            arcs.push(merged);
        }
        // Which candidates stay: those with an arc in or out (or all).
        let mut touched = vec![keep_isolated; candidates.len()];
        for (i, list) in arcs.iter().enumerate() {
            if !list.is_empty() {
                touched[i] = true;
            }
            for &(to, _) in list {
                touched[to as usize] = true;
            }
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
            ..Rows::default()
        };
        out.start.push(0);
        let mut in_lists: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
        for (i, list) in arcs.iter().enumerate() {
            if !touched[i] {
                continue;
            }
            let from = renumber[i];
            for &(to, w) in list {
                let to = renumber[to as usize];
                out.to.push(to);
                out.weight.push(w);
                in_lists[to as usize].push((from, w));
            }
            out.start.push(out.to.len() as u32);
        }
        let mut into = Rows {
            start: Vec::with_capacity(n + 1),
            ..Rows::default()
        };
        into.start.push(0);
        for list in in_lists {
            for (from, w) in list {
                into.to.push(from);
                into.weight.push(w);
            }
            into.start.push(into.to.len() as u32);
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
                "a number from 0 up to 1",
            );
        }
        if self.tolerance.is_nan() || self.tolerance <= 0.0 {
            return wrong("tolerance", self.tolerance.to_string(), "a number above 0");
        }
        Ok(())
    }
}

/// `measure`'s score of each node of `graph` (in the order of `graph.entities`).
pub fn score(
    graph: &Graph,
    measure: Measure,
    settings: &Settings,
) -> Result<Vec<f64>, MeasureError> {
    settings.check(measure)?;
    if measure.is_directional() && !graph.directed {
        return Err(MeasureError::Undirected(measure.name()));
    }
    Ok(match measure {
        Measure::Degree => degree(graph, Degree::Total),
        Measure::InDegree => degree(graph, Degree::In),
        Measure::OutDegree => degree(graph, Degree::Out),
        Measure::Betweenness => betweenness(graph, settings.samples),
        Measure::Closeness => closeness(graph),
        Measure::Harmonic => harmonic(graph),
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
