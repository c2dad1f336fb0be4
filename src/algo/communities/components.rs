//! Connected components (weakly, for a directed graph) by breadth-first search, and
//! strongly connected components by Tarjan's algorithm, both O(V + E).

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

/// The strongly connected components (Tarjan's, without recursion).
pub fn strong_components(graph: &Graph) -> Partition {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut label = vec![usize::MAX; n];
    let mut next = 0;
    // (node, position in its arc list)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        calls.push((root, 0));
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(u, at)) = calls.last() {
            if let Some(&v) = graph.out(u).get(at) {
                let top = calls.len() - 1;
                calls[top].1 += 1;
                let v = v as usize;
                if index[v] == usize::MAX {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                    calls.push((v, 0));
                } else if on_stack[v] {
                    low[u] = low[u].min(index[v]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[u]);
            }
            if low[u] == index[u] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    label[w] = u;
                    if w == u {
                        break;
                    }
                }
            }
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
