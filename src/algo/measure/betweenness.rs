//! Betweenness centrality, as networkx's `betweenness_centrality` (normalised, endpoints
//! left out): Brandes' algorithm, a breadth-first search from each source and the
//! dependencies accumulated back, O(V E) exact; with `samples` k, from k sources drawn
//! with a seed, O(k E), scaled as networkx scales a sample.

use super::{Graph, MeasureError, Stop, over_sources};

/// Each node's share of the shortest paths between other nodes that pass through it.
/// `samples`: (k, seed) to estimate it from k sources.
pub fn betweenness(
    graph: &Graph,
    samples: Option<(usize, u64)>,
    stop: Stop,
) -> Result<Vec<f64>, MeasureError> {
    let n = graph.len();
    let sources: Option<Vec<usize>> = samples.filter(|&(k, _)| k < n).map(|(k, seed)| {
        let mut all: Vec<usize> = (0..n).collect();
        fastrand::Rng::with_seed(seed).shuffle(&mut all);
        all.truncate(k);
        all.sort_unstable();
        all
    });
    let all: Vec<usize>;
    let from: &[usize] = match &sources {
        Some(list) => list,
        None => {
            all = (0..n).collect();
            &all
        }
    };
    let mut score = over_sources(from, n, stop, |state: &mut Brandes, s, score| {
        state.accumulate(graph, s, score)
    })?;
    // networkx's rescaling: by the (s, t) pairs a path through v may join.
    let pairs = n.saturating_sub(1);
    if pairs < 2 {
        return Ok(score);
    }
    match &sources {
        None => {
            let scale = 1.0 / (pairs * (pairs - 1)) as f64;
            score.iter_mut().for_each(|x| *x *= scale);
        }
        Some(list) => {
            let k = list.len();
            let source_scale = if k > 1 {
                1.0 / ((k - 1) * (pairs - 1)) as f64
            } else {
                f64::NAN
            };
            let other_scale = 1.0 / (k * (pairs - 1)) as f64;
            let mut sampled = vec![false; n];
            for &s in list {
                sampled[s] = true;
            }
            for (v, x) in score.iter_mut().enumerate() {
                *x *= if sampled[v] {
                    source_scale
                } else {
                    other_scale
                };
            }
        }
    }
    Ok(score)
}

/// One source's search state, kept between sources: each node's distance, its
/// shortest paths, and (1 + its dependency) / its paths, which it passes back to its
/// predecessors; and the nodes reached, in order.
#[derive(Default)]
struct Brandes {
    distance: Vec<u32>,
    paths: Vec<f64>,
    coeff: Vec<f64>,
    order: Vec<u32>,
}

impl Brandes {
    /// Adds source `s`'s dependencies to `score`: a breadth-first search counting
    /// shortest paths, then the dependencies accumulated back from the farthest. O(E).
    fn accumulate(&mut self, graph: &Graph, s: usize, score: &mut [f64]) {
        let n = graph.len();
        if self.distance.len() != n {
            self.distance = vec![u32::MAX; n];
            self.paths = vec![0.0; n];
            self.coeff = vec![0.0; n];
        }
        let Brandes {
            distance,
            paths,
            coeff,
            order,
        } = self;
        for &v in order.iter() {
            distance[v as usize] = u32::MAX;
            paths[v as usize] = 0.0;
        }
        order.clear();
        distance[s] = 0;
        paths[s] = 1.0;
        order.push(s as u32);
        let mut head = 0;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            let (next, through) = (distance[v] + 1, paths[v]);
            for &w in graph.out(v) {
                let w = w as usize;
                if distance[w] == u32::MAX {
                    distance[w] = next;
                    order.push(w as u32);
                    paths[w] += through;
                } else if distance[w] == next {
                    paths[w] += through;
                }
            }
        }
        // v's dependency: over its successors w on shortest paths, paths[v] /
        // paths[w] (1 + dependency[w]); w's share is final once its distance is done.
        for &v in order.iter().rev() {
            let v = v as usize;
            let next = distance[v] + 1;
            let mut sum = 0.0;
            for &w in graph.out(v) {
                if distance[w as usize] == next {
                    sum += coeff[w as usize];
                }
            }
            let dependency = paths[v] * sum;
            coeff[v] = (1.0 + dependency) / paths[v];
            if v != s {
                score[v] += dependency;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, by_name, store};
    use super::*;
    use crate::algo::measure::NEVER;
    use crate::select::Selection;

    #[test]
    fn betweenness_is_the_share_of_paths_through() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let scores = by_name(&store, &graph, &betweenness(&graph, None, NEVER).unwrap());
        // b lies on a-c and a-d (2 unordered pairs of the 10 among 5 others).
        assert_eq!(scores[1], ("b".to_string(), 0.2));
        assert_eq!(scores[0], ("a".to_string(), 0.0));
        // Sampling every source is the exact measure; a sample is the same for a seed.
        assert_eq!(
            betweenness(&graph, Some((6, 1)), NEVER),
            betweenness(&graph, None, NEVER)
        );
        assert_eq!(
            betweenness(&graph, Some((3, 7)), NEVER),
            betweenness(&graph, Some((3, 7)), NEVER)
        );
    }

    #[test]
    fn a_stop_ends_the_search_with_an_error() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        assert_eq!(
            betweenness(&graph, None, &|| true),
            Err(MeasureError::Stopped)
        );
    }
}
