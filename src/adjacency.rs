//! Compressed adjacency (CSR) derived from the store's `StableDiGraph`, for the
//! searches: every relation appears in the list of each of its ends (once for a
//! self-loop), each list in relation-id order, all lists in one array. Walking it reads
//! memory in order, where the StableGraph's linked edge lists jump about: at ten
//! million relations that is the difference between hundreds and thousands of paths a
//! second. It is built on first use after a load or change, in one pass over the edges.

use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use crate::model::{EntityId, RelationId};
use crate::store::{Graph, entity_id, relation_id};

/// One relation in an entity's list: the entity at its other end, and whether the
/// relation is stored from this entity (forward) or to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incidence {
    pub relation: RelationId,
    pub other: EntityId,
    pub forward: bool,
}

/// The lists of relations of every entity slot.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    /// `offsets[n]..offsets[n + 1]` is the list of entity slot `n`.
    offsets: Vec<u32>,
    others: Vec<u32>,
    relations: Vec<u32>,
    /// Bit i set: entry i is forward.
    forward: Vec<u64>,
}

impl Adjacency {
    /// Builds the lists from the graph in two passes over its edges.
    pub fn build(graph: &Graph) -> Adjacency {
        let bound = graph.node_bound();
        let mut counts = vec![0u32; bound + 1];
        // Ends out of range (only in a damaged file, which the load refuses) are skipped.
        let in_range = |e: &petgraph::stable_graph::EdgeReference<'_, _, u32>| {
            e.source().index() < bound && e.target().index() < bound
        };
        for e in graph.edge_references().filter(in_range) {
            counts[e.source().index()] += 1;
            if e.source() != e.target() {
                counts[e.target().index()] += 1;
            }
        }
        let mut offsets = Vec::with_capacity(bound + 1);
        let mut total = 0u32;
        for &c in &counts[..bound] {
            offsets.push(total);
            total += c;
        }
        offsets.push(total);
        let len = total as usize;
        let mut cursor: Vec<u32> = offsets[..bound].to_vec();
        let mut others = vec![0u32; len];
        let mut relations = vec![0u32; len];
        let mut forward = vec![0u64; len.div_ceil(64)];
        // A StableGraph gives its edges in index order, so every list is sorted by id.
        for e in graph.edge_references().filter(in_range) {
            let (a, b) = (e.source().index(), e.target().index());
            let id = e.id().index() as u32;
            let i = cursor[a] as usize;
            others[i] = b as u32;
            relations[i] = id;
            forward[i / 64] |= 1 << (i % 64);
            cursor[a] += 1;
            if a != b {
                let j = cursor[b] as usize;
                others[j] = a as u32;
                relations[j] = id;
                cursor[b] += 1;
            }
        }
        Adjacency {
            offsets,
            others,
            relations,
            forward,
        }
    }

    /// The relations of `entity`, in relation-id order.
    pub fn of(&self, entity: EntityId) -> impl Iterator<Item = Incidence> + '_ {
        let n = entity.0 as usize;
        let (start, end) = match (self.offsets.get(n), self.offsets.get(n + 1)) {
            (Some(&s), Some(&e)) => (s as usize, e as usize),
            _ => (0, 0),
        };
        (start..end).map(move |i| Incidence {
            relation: relation_id(petgraph::stable_graph::EdgeIndex::new(
                self.relations[i] as usize,
            )),
            other: entity_id(petgraph::stable_graph::NodeIndex::new(
                self.others[i] as usize,
            )),
            forward: self.forward[i / 64] & (1 << (i % 64)) != 0,
        })
    }

    /// How many relations `entity` has.
    pub fn degree(&self, entity: EntityId) -> usize {
        let n = entity.0 as usize;
        match (self.offsets.get(n), self.offsets.get(n + 1)) {
            (Some(&s), Some(&e)) => (e - s) as usize,
            _ => 0,
        }
    }

    /// The memory the lists take, in bytes.
    pub fn heap_bytes(&self) -> usize {
        4 * (self.offsets.len() + self.others.len() + self.relations.len()) + 8 * self.forward.len()
    }
}
