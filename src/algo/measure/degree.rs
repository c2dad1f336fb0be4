//! Degree centrality, as networkx's `degree_centrality`, `in_degree_centrality` and
//! `out_degree_centrality`: the number of neighbours (each counted once however many
//! relations join them) over n - 1. O(V).

use super::Graph;

/// Which degree: undirected graphs have only the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degree {
    Total,
    In,
    Out,
}

/// Each node's degree over n - 1 (1 for the one node of a graph of one).
pub fn degree(graph: &Graph, which: Degree) -> Vec<f64> {
    let n = graph.len();
    let scale = if n > 1 { 1.0 / (n - 1) as f64 } else { 1.0 };
    (0..n)
        .map(|i| {
            let count = match (which, graph.directed) {
                (_, false) => graph.out(i).len(),
                (Degree::Total, true) => graph.out(i).len() + graph.incoming(i).len(),
                (Degree::In, true) => graph.incoming(i).len(),
                (Degree::Out, true) => graph.out(i).len(),
            };
            if n > 1 { count as f64 * scale } else { 1.0 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, by_name, store};
    use super::*;
    use crate::select::Selection;

    #[test]
    fn degree_counts_neighbours_over_n_minus_one() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let scores = by_name(&store, &graph, &degree(&graph, Degree::Total));
        assert_eq!(scores[1], ("b".to_string(), 0.4));
        let directed = Graph::new(&store, &Selection::default(), true, false);
        let into = by_name(&store, &directed, &degree(&directed, Degree::In));
        assert_eq!(into[3], ("d".to_string(), 0.2));
        let out = by_name(&store, &directed, &degree(&directed, Degree::Out));
        assert_eq!(out[3], ("d".to_string(), 0.0));
    }
}
