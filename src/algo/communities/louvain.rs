//! Louvain modularity communities (Blondel et al. 2008), as networkx's
//! `louvain_communities`: each level moves nodes, in an order shuffled from the seed, to
//! the neighbouring community that raises modularity most, until none moves; then each
//! community becomes one node and the next level begins, until a level raises
//! modularity by no more than `threshold`. About O(E) a pass; few passes and levels in
//! practice. The same seed gives the same partition (kg's generator is not Python's, so
//! not networkx's partition for that seed).

use super::{Graph, Partition, modularity, numbered, undirected};

/// A level's graph: weighted neighbour lists and each node's self-loop weight (the
/// weight inside the community it stands for).
struct Level {
    arcs: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

pub fn louvain(graph: &Graph, resolution: f64, threshold: f64, seed: u64) -> Partition {
    let n = graph.len();
    let mut level = Level {
        arcs: (0..n)
            .map(|i| {
                let mut list: Vec<(usize, f64)> = undirected(graph, i)
                    .map(|(&j, &w)| (j as usize, w))
                    .collect();
                list.sort_by_key(|&(j, _)| j);
                // A directed graph's arcs both ways are one undirected edge.
                let mut merged: Vec<(usize, f64)> = Vec::with_capacity(list.len());
                for (j, w) in list {
                    match merged.last_mut() {
                        Some((last, total)) if *last == j => *total += w,
                        _ => merged.push((j, w)),
                    }
                }
                merged
            })
            .collect(),
        self_loops: vec![0.0; n],
    };
    // Each original node's community at the current level.
    let mut membership: Vec<usize> = (0..n).collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut quality = modularity(graph, &numbered(&membership), resolution);
    loop {
        let (moved, communities) = one_level(&level, resolution, &mut rng);
        if !moved {
            break;
        }
        for c in membership.iter_mut() {
            *c = communities[*c];
        }
        let now = modularity(graph, &numbered(&membership), resolution);
        if now - quality <= threshold {
            break;
        }
        quality = now;
        level = aggregate(&level, &communities);
    }
    numbered(&membership)
}

/// One level of moves: each node's community afterwards, renumbered 0.. in order of
/// first appearance, and whether any node moved.
fn one_level(level: &Level, resolution: f64, rng: &mut fastrand::Rng) -> (bool, Vec<usize>) {
    let n = level.arcs.len();
    let degree: Vec<f64> = (0..n)
        .map(|i| level.arcs[i].iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * level.self_loops[i])
        .collect();
    let two_m: f64 = degree.iter().sum();
    let mut community: Vec<usize> = (0..n).collect();
    if two_m == 0.0 {
        return (false, community);
    }
    let mut total = degree.clone();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut moved_any = false;
    let mut weight_to: Vec<f64> = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    loop {
        let mut moved = false;
        for &i in &order {
            let own = community[i];
            for &(j, w) in &level.arcs[i] {
                if j == i {
                    continue;
                }
                let c = community[j];
                if weight_to[c] == 0.0 {
                    touched.push(c);
                }
                weight_to[c] += w;
            }
            total[own] -= degree[i];
            let gain = |c: usize, weight_to: &[f64]| {
                weight_to[c] - resolution * total[c] * degree[i] / two_m
            };
            let mut best = own;
            let mut best_gain = gain(own, &weight_to);
            touched.sort_unstable();
            for &c in &touched {
                let g = gain(c, &weight_to);
                if g > best_gain {
                    best = c;
                    best_gain = g;
                }
            }
            total[best] += degree[i];
            if best != own {
                community[i] = best;
                moved = true;
                moved_any = true;
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            touched.clear();
        }
        if !moved {
            break;
        }
    }
    // Renumbered 0.. in order of first appearance.
    let mut number = vec![usize::MAX; n];
    let mut next = 0;
    for c in community.iter_mut() {
        if number[*c] == usize::MAX {
            number[*c] = next;
            next += 1;
        }
        *c = number[*c];
    }
    (moved_any, community)
}

/// The next level's graph: a node per community, the weights between them summed, the
/// weight inside each its self-loop.
fn aggregate(level: &Level, community: &[usize]) -> Level {
    let count = community.iter().max().map_or(0, |&c| c + 1);
    let mut arcs: Vec<std::collections::BTreeMap<usize, f64>> = vec![Default::default(); count];
    let mut self_loops = vec![0.0; count];
    for (i, list) in level.arcs.iter().enumerate() {
        let ci = community[i];
        self_loops[ci] += level.self_loops[i];
        for &(j, w) in list {
            let cj = community[j];
            if ci == cj {
                // Met from both ends: half each time.
                self_loops[ci] += w / 2.0;
            } else {
                *arcs[ci].entry(cj).or_default() += w;
            }
        }
    }
    Level {
        arcs: arcs.into_iter().map(|m| m.into_iter().collect()).collect(),
        self_loops,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::measure::tests::store;
    use super::*;
    use crate::select::Selection;

    /// Two triangles joined by one edge.
    const TWO: &str = "type met symmetric\nperson a\nperson b\nperson c\nperson x\nperson y\nperson z\na -[met]- b\nb -[met]- c\nc -[met]- a\nx -[met]- y\ny -[met]- z\nz -[met]- x\nc -[met]- x\n";

    #[test]
    fn two_triangles_are_two_communities() {
        let store = store(TWO);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let parts = louvain(&graph, 1.0, 1e-7, 42);
        let of = |name: &str| {
            parts[(0..graph.len())
                .find(|&i| store.name(graph.entities[i]) == name)
                .unwrap()]
        };
        assert_eq!(of("a"), of("b"));
        assert_eq!(of("b"), of("c"));
        assert_eq!(of("x"), of("z"));
        assert_ne!(of("a"), of("x"));
        // 2 × (3/7 - (7/14)²) = 5/14.
        assert!((modularity(&graph, &parts, 1.0) - 5.0 / 14.0).abs() < 1e-12);
        assert_eq!(louvain(&graph, 1.0, 1e-7, 42), parts);
    }
}
