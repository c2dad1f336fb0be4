//! Connected components (weakly, for a directed graph) by breadth-first search (kg's
//! own: petgraph's `connected_components` only counts them), and strongly connected
//! components by petgraph's Tarjan, both O(V + E).

use super::{Graph, Partition, numbered};

/// The connected components, following arcs either way.
pub fn components(graph: &Graph) -> Partition {
    let n = graph.len();
    let mut label = vec![usize::MAX; n];
    let mut queue = Vec::new();
    for start in 0..n {
        if label[start] != usize::MAX {
            continue;
        }
        label[start] = start;
        queue.push(start);
        while let Some(u) = queue.pop() {
            for &v in graph.out(u).iter().chain(graph.incoming(u)) {
                let v = v as usize;
                if label[v] == usize::MAX {
                    label[v] = start;
                    queue.push(v);
                }
            }
        }
    }
    numbered(&label)
}

/// The strongly connected components, by petgraph's Tarjan (`tarjan_scc`) on the
/// graph's arcs.
pub fn strong_components(graph: &Graph) -> Partition {
    let n = graph.len();
    let mut arcs = petgraph::graph::DiGraph::<(), (), u32>::with_capacity(n, 0);
    for _ in 0..n {
        arcs.add_node(());
    }
    for u in 0..n {
        for &v in graph.out(u) {
            arcs.add_edge((u as u32).into(), v.into(), ());
        }
    }
    let mut label = vec![0usize; n];
    for (c, members) in petgraph::algo::tarjan_scc(&arcs).iter().enumerate() {
        for node in members {
            label[node.index()] = c;
        }
    }
    numbered(&label)
}

#[cfg(test)]
mod tests {
    use super::super::super::measure::tests::{LINE, store};
    use super::*;
    use crate::select::Selection;

    #[test]
    fn components_split_what_no_relation_joins() {
        let store = store(LINE);
        let graph = Graph::new(&store, &Selection::default(), false, false);
        let parts = components(&graph);
        let name = |i: usize| store.name(graph.entities[i]).to_string();
        let mut largest: Vec<String> = (0..graph.len())
            .filter(|&i| parts[i] == 0)
            .map(name)
            .collect();
        largest.sort();
        assert_eq!(largest, ["a", "b", "c", "d"]);
        // Directed: told runs c -> d only, so d is a component of its own; met is both ways.
        let directed = Graph::new(&store, &Selection::default(), true, false);
        let strong = strong_components(&directed);
        let d = (0..directed.len())
            .find(|&i| store.name(directed.entities[i]) == "d")
            .unwrap();
        let c = (0..directed.len())
            .find(|&i| store.name(directed.entities[i]) == "c")
            .unwrap();
        assert_ne!(strong[c], strong[d]);
        assert_eq!(strong.iter().filter(|&&p| p == strong[c]).count(), 3);
    }
}
