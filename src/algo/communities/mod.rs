//! Communities: a partition of the selected graph's actors, by Louvain modularity
//! (seeded, so the same seed gives the same partition) or by (strongly) connected
//! components, with the partition's modularity as networkx computes it.

mod components;
mod louvain;

pub use components::{components, strong_components};
pub use louvain::louvain;

use super::measure::Graph;

/// Each node's community, numbered 0.. by size, largest first (ties by first node).
pub type Partition = Vec<u32>;

/// Renumbers `labels` (any numbers) as communities by size, largest first, then by the
/// first node in each.
pub fn numbered(labels: &[usize]) -> Partition {
    let mut groups: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
    for (node, &label) in labels.iter().enumerate() {
        let entry = groups.entry(label).or_insert((0, node));
        entry.0 += 1;
    }
    let mut order: Vec<(usize, usize, usize)> = groups
        .iter()
        .map(|(&label, &(size, first))| (label, size, first))
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut number = std::collections::HashMap::new();
    for (i, (label, _, _)) in order.iter().enumerate() {
        number.insert(*label, i as u32);
    }
    labels.iter().map(|l| number[l]).collect()
}

/// The modularity of `partition` on the undirected view of `graph` (edges weighted by
/// their relations), as networkx's `modularity` with `resolution`: the sum over
/// communities of (weight inside) / m - resolution × ((degree sum) / 2m)². O(E).
pub fn modularity(graph: &Graph, partition: &[u32], resolution: f64) -> f64 {
    if graph.directed {
        return directed_modularity(graph, partition, resolution);
    }
    let n = graph.len();
    let groups = partition.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut inside = vec![0.0; groups];
    let mut degree = vec![0.0; groups];
    let mut total = 0.0;
    for i in 0..n {
        for (&j, &w) in undirected(graph, i) {
            total += w;
            degree[partition[i] as usize] += w;
            if partition[i] == partition[j as usize] {
                inside[partition[i] as usize] += w;
            }
        }
    }
    if total == 0.0 {
        return 0.0;
    }
    // Each edge was met from both ends: total is 2m, inside twice the weight inside.
    let m = total / 2.0;
    (0..groups)
        .map(|c| inside[c] / 2.0 / m - resolution * (degree[c] / total).powi(2))
        .sum()
}

/// The modularity of `partition` on a directed graph, as networkx's `modularity` on a
/// DiGraph: the sum over communities of (arc weight inside) / m - resolution × (out
/// weight) (in weight) / m², m the arcs' total weight (a symmetric relation is an arc
/// each way). O(E).
fn directed_modularity(graph: &Graph, partition: &[u32], resolution: f64) -> f64 {
    let groups = partition.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let (mut inside, mut out, mut into) = (vec![0.0; groups], vec![0.0; groups], vec![0.0; groups]);
    let mut m = 0.0;
    for i in 0..graph.len() {
        let from = partition[i] as usize;
        for (&j, &w) in graph.out(i).iter().zip(graph.out_weights(i)) {
            let to = partition[j as usize] as usize;
            m += w;
            out[from] += w;
            into[to] += w;
            if from == to {
                inside[from] += w;
            }
        }
    }
    if m == 0.0 {
        return 0.0;
    }
    (0..groups)
        .map(|c| inside[c] / m - resolution * out[c] * into[c] / (m * m))
        .sum()
}

/// The arcs of node `i` in the undirected view: the graph's own when undirected; out
/// and in together when directed (an arc both ways counted once each way).
fn undirected(graph: &Graph, i: usize) -> Box<dyn Iterator<Item = (&u32, &f64)> + '_> {
    if graph.directed {
        Box::new(
            graph
                .out(i)
                .iter()
                .zip(graph.out_weights(i))
                .chain(graph.incoming(i).iter().zip(graph.incoming_weights(i))),
        )
    } else {
        Box::new(graph.out(i).iter().zip(graph.out_weights(i)))
    }
}
