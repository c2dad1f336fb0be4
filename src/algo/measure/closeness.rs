//! Closeness centrality, as networkx's `closeness_centrality` (Wasserman and Faust's
//! improved formula for graphs that are not connected): for a node reached by r - 1
//! others at distances summing to d, (r - 1) / d × (r - 1) / (n - 1); 0 when none
//! reaches it. Directed, the distances are those to the node (incoming), as networkx
//! takes them. A breadth-first search from each node: O(V (V + E)).

use super::{Graph, MeasureError, Reach, Stop, over_sources};

pub fn closeness(graph: &Graph, stop: Stop) -> Result<Vec<f64>, MeasureError> {
    let n = graph.len();
    let sources: Vec<usize> = (0..n).collect();
    over_sources(&sources, n, stop, |reach: &mut Reach, u, score| {
        let (mut reached, mut total) = (0u64, 0u64);
        for (_, d) in reach.from(graph, u, graph.directed) {
            reached += 1;
            total += u64::from(d);
        }
        if total > 0 && n > 1 {
            let others = (reached - 1) as f64;
            score[u] = others / total as f64 * others / (n - 1) as f64;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, by_name, store};
    use super::*;
    use crate::algo::measure::NEVER;
    use crate::select::Selection;

    #[test]
    fn closeness_is_scaled_by_the_share_reached() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let scores = by_name(&store, &graph, &closeness(&graph, NEVER).unwrap());
        // b reaches a, c (1) and d (2) of 5 others: 3/4 * 3/5.
        assert_eq!(scores[1], ("b".to_string(), 0.45));
        // e reaches f only: 1/1 * 1/5.
        assert_eq!(scores[4], ("e".to_string(), 0.2));
    }
}
