//! Closeness centrality, as networkx's `closeness_centrality` (Wasserman and Faust's
//! improved formula for graphs that are not connected): for a node reached by r - 1
//! others at distances summing to d, (r - 1) / d × (r - 1) / (n - 1); 0 when none
//! reaches it. Directed, the distances are those to the node (incoming), as networkx
//! takes them. A breadth-first search from each node: O(V (V + E)).

use super::Graph;

pub fn closeness(graph: &Graph) -> Vec<f64> {
    let n = graph.len();
    let mut distance = vec![u32::MAX; n];
    let mut order = Vec::new();
    (0..n)
        .map(|u| {
            graph.bfs(u, graph.directed, &mut distance, &mut order);
            let total: u64 = order.iter().map(|&v| u64::from(distance[v as usize])).sum();
            let reached = order.len() as f64;
            if total > 0 && n > 1 {
                (reached - 1.0) / total as f64 * (reached - 1.0) / (n - 1) as f64
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, by_name, store};
    use super::*;
    use crate::select::Selection;

    #[test]
    fn closeness_is_scaled_by_the_share_reached() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let scores = by_name(&store, &graph, &closeness(&graph));
        // b reaches a, c (1) and d (2) of 5 others: 3/4 * 3/5.
        assert_eq!(scores[1], ("b".to_string(), 0.45));
        // e reaches f only: 1/1 * 1/5.
        assert_eq!(scores[4], ("e".to_string(), 0.2));
    }
}
