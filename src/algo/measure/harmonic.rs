//! Harmonic centrality, as networkx's `harmonic_centrality`: the sum of 1 / d over the
//! nodes at distance d from which the node is reached (incoming when directed); not
//! normalised, as networkx leaves it; defined on graphs that are not connected. A
//! breadth-first search from each node: O(V (V + E)).

use super::{Graph, MeasureError, Reach, Stop, over_sources};

pub fn harmonic(graph: &Graph, stop: Stop) -> Result<Vec<f64>, MeasureError> {
    let n = graph.len();
    let sources: Vec<usize> = (0..n).collect();
    over_sources(&sources, n, stop, |reach: &mut Reach, u, score| {
        score[u] = reach
            .from(graph, u, graph.directed)
            .skip(1)
            .map(|(_, d)| 1.0 / f64::from(d))
            .fold(0.0, |a, b| a + b);
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, by_name, store};
    use super::*;
    use crate::algo::measure::NEVER;
    use crate::select::Selection;

    #[test]
    fn harmonic_sums_inverse_distances() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let scores = by_name(&store, &graph, &harmonic(&graph, NEVER).unwrap());
        // a: b at 1, c at 2, d at 3.
        assert_eq!(scores[0], ("a".to_string(), 1.833333));
    }
}
