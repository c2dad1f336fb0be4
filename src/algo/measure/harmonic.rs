//! Harmonic centrality, as networkx's `harmonic_centrality`: the sum of 1 / d over the
//! nodes at distance d from which the node is reached (incoming when directed); not
//! normalised, as networkx leaves it; defined on graphs that are not connected. A
//! breadth-first search from each node: O(V (V + E)).

use super::Graph;

pub fn harmonic(graph: &Graph) -> Vec<f64> {
    let n = graph.len();
    let mut distance = vec![u32::MAX; n];
    let mut order = Vec::new();
    (0..n)
        .map(|u| {
            graph.bfs(u, graph.directed, &mut distance, &mut order);
            order
                .iter()
                .skip(1)
                .map(|&v| 1.0 / f64::from(distance[v as usize]))
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, by_name, store};
    use super::*;
    use crate::select::Selection;

    #[test]
    fn harmonic_sums_inverse_distances() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let scores = by_name(&store, &graph, &harmonic(&graph));
        // a: b at 1, c at 2, d at 3.
        assert_eq!(scores[0], ("a".to_string(), 1.833333));
    }
}
