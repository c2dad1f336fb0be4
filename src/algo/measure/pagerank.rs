//! PageRank, as networkx's `pagerank`: power iteration of x = d (x W + dangling) +
//! (1 - d) / n, W the arcs' weights over each node's total out (parallel relations
//! weigh what they number), the rank of nodes with no arcs out spread evenly; it stops
//! when the L1 change is under n × tolerance. O(E) an iteration.

use super::{Graph, MeasureError, power_iteration};

pub fn pagerank(
    graph: &Graph,
    damping: f64,
    tolerance: f64,
    max_iter: usize,
) -> Result<Vec<f64>, MeasureError> {
    let n = graph.len();
    let total: Vec<f64> = (0..n).map(|i| graph.out_weights(i).iter().sum()).collect();
    let even = 1.0 / n.max(1) as f64;
    power_iteration("pagerank", n, tolerance, max_iter, |last| {
        let mut x = vec![0.0; n];
        let dangling: f64 = (0..n).filter(|&i| total[i] == 0.0).map(|i| last[i]).sum();
        for i in 0..n {
            if total[i] == 0.0 {
                continue;
            }
            let share = damping * last[i] / total[i];
            for (&j, &w) in graph.out(i).iter().zip(graph.out_weights(i)) {
                x[j as usize] += share * w;
            }
        }
        let spread = damping * dangling * even + (1.0 - damping) * even;
        x.iter_mut().for_each(|v| *v += spread);
        x
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, store};
    use super::*;
    use crate::select::Selection;

    #[test]
    fn pagerank_sums_to_one_and_favours_the_middle() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let rank = pagerank(&graph, 0.85, 1e-10, 1000).unwrap();
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let of = |name: &str| {
            let i = graph
                .entities
                .iter()
                .position(|&id| store.name(id) == name)
                .unwrap();
            rank[i]
        };
        assert!(of("b") > of("a") && of("c") > of("d"));
        assert_eq!(
            pagerank(&graph, 0.85, 1e-30, 2),
            Err(MeasureError::NoConvergence {
                measure: "pagerank",
                iterations: 2
            })
        );
    }
}
