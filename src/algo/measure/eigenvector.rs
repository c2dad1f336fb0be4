//! Eigenvector centrality, as networkx's `eigenvector_centrality`: power iteration of
//! x = (A + I) x from an even start, normalised to unit length each time (A's weights
//! the numbers of parallel relations; directed, the scores flow along arcs, so a node
//! scores by who points to it); it stops when the L1 change is under n × tolerance.
//! O(E) an iteration.

use super::{Graph, MeasureError, power_iteration};

pub fn eigenvector(
    graph: &Graph,
    tolerance: f64,
    max_iter: usize,
) -> Result<Vec<f64>, MeasureError> {
    power_iteration("eigenvector", graph.len(), tolerance, max_iter, |last| {
        let mut x = last.to_vec();
        for (i, &from) in last.iter().enumerate() {
            for (&j, &w) in graph.out(i).iter().zip(graph.out_weights(i)) {
                x[j as usize] += from * w;
            }
        }
        let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
        let norm = if norm > 0.0 { norm } else { 1.0 };
        x.iter_mut().for_each(|v| *v /= norm);
        x
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{LINE, store};
    use super::*;
    use crate::select::Selection;

    #[test]
    fn eigenvector_is_a_unit_vector_led_by_the_best_connected() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let x = eigenvector(&graph, 1e-10, 1000).unwrap();
        assert!((x.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-9);
        let best = (0..x.len()).max_by(|&a, &b| x[a].total_cmp(&x[b])).unwrap();
        assert!(["b", "c"].contains(&store.name(graph.entities[best])));
    }
}
