//! Bidirectional breadth-first search for the fewest-hop path: rings grow from both
//! ends, the smaller side first, until they meet. On graphs where a few hubs touch
//! everything this visits a few thousand entities where a one-sided search visits
//! most of the graph. The state lives in a reusable [`Scratch`], stamped per search, so
//! answering many pairs costs no clearing.

use super::walk::{Path, Step, Walker};
use crate::model::{EntityId, RelationId};

const NONE: u32 = u32::MAX;

/// Per-entity search state, reused from one search to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    epoch: u32,
    /// The epoch in which each side reached the entity.
    seen: [Vec<u32>; 2],
    /// Hops from that side's end.
    dist: [Vec<u32>; 2],
    /// The relation and the neighbour it was reached through.
    via: [Vec<(u32, u32)>; 2],
}

impl Scratch {
    /// Makes room for `bound` entity slots and starts a new search.
    fn start(&mut self, bound: usize) {
        for side in 0..2 {
            if self.seen[side].len() < bound {
                self.seen[side].resize(bound, 0);
                self.dist[side].resize(bound, 0);
                self.via[side].resize(bound, (NONE, NONE));
            }
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            for side in &mut self.seen {
                side.fill(0);
            }
            self.epoch = 1;
        }
    }

    fn seen(&self, side: usize, e: EntityId) -> bool {
        self.seen[side][e.0 as usize] == self.epoch
    }

    fn mark(&mut self, side: usize, e: EntityId, dist: u32, via: (u32, u32)) {
        let i = e.0 as usize;
        self.seen[side][i] = self.epoch;
        self.dist[side][i] = dist;
        self.via[side][i] = via;
    }
}

/// The fewest-hop path from `from` to `to` within `max_hops`, or `None`. Each round
/// grows the side with fewer relations to look at and the search stops at the first
/// entity both sides reach: O(V + E) at worst, usually a small part of it.
pub fn fewest_hops(
    walker: &Walker,
    scratch: &mut Scratch,
    from: EntityId,
    to: EntityId,
    max_hops: Option<usize>,
) -> Option<Path> {
    fewest_hops_avoiding(walker, scratch, from, to, max_hops, &|_, _| false)
}

/// Like [`fewest_hops`], never using a relation or entering an entity for which
/// `avoid(relation, entity)` holds (Yen's spur searches).
pub fn fewest_hops_avoiding(
    walker: &Walker,
    scratch: &mut Scratch,
    from: EntityId,
    to: EntityId,
    max_hops: Option<usize>,
    avoid: &dyn Fn(RelationId, EntityId) -> bool,
) -> Option<Path> {
    if from == to {
        return Some(Path {
            start: from,
            steps: Vec::new(),
        });
    }
    scratch.start(walker.store().entity_bound());
    scratch.mark(0, from, 0, (NONE, NONE));
    scratch.mark(1, to, 0, (NONE, NONE));
    let mut frontiers = [vec![from], vec![to]];
    let mut depth = [0u32; 2];
    loop {
        if max_hops.is_some_and(|max| (depth[0] + depth[1]) as usize >= max) {
            return None;
        }
        // Grow the side whose frontier has fewer relations to look at by one ring.
        let adjacency = walker.store().adjacency();
        let cost = |f: &[EntityId]| f.iter().map(|&e| adjacency.degree(e)).sum::<usize>();
        let side = if cost(&frontiers[0]) <= cost(&frontiers[1]) {
            0
        } else {
            1
        };
        let other = 1 - side;
        depth[side] += 1;
        let mut next = Vec::new();
        let mut meeting: Option<EntityId> = None;
        // The first entity both sides reach ends the search: every entity the other
        // side reached before its last ring had all its neighbours reached then, so a
        // meeting in this ring is always with the other side's last ring, and every
        // meeting in this ring is equally short.
        let mut visit = |scratch: &mut Scratch, step: Step, at: EntityId, reached: EntityId| {
            if scratch.seen(side, reached) || avoid(step.relation, reached) {
                return false;
            }
            scratch.mark(side, reached, depth[side], (step.relation.0, at.0));
            if scratch.seen(other, reached) {
                meeting = Some(reached);
                return true;
            }
            next.push(reached);
            false
        };
        'ring: for &at in &frontiers[side] {
            if side == 0 {
                for step in walker.steps(at) {
                    if visit(scratch, step, at, step.to) {
                        break 'ring;
                    }
                }
            } else {
                for step in walker.steps_into(at) {
                    if visit(scratch, step, at, step.from) {
                        break 'ring;
                    }
                }
            }
        }
        if let Some(middle) = meeting {
            return Some(unwind(scratch, from, middle));
        }
        if next.is_empty() {
            return None;
        }
        frontiers[side] = next;
    }
}

/// The path through `middle`: back to `from` on the forward side, on to the target on
/// the backward side.
fn unwind(scratch: &Scratch, from: EntityId, middle: EntityId) -> Path {
    let mut steps = Vec::new();
    let mut at = middle;
    while at != from {
        let (relation, previous) = scratch.via[0][at.0 as usize];
        steps.push(Step {
            relation: RelationId(relation),
            from: EntityId(previous),
            to: at,
            at: None,
        });
        at = EntityId(previous);
    }
    steps.reverse();
    let mut at = middle;
    loop {
        let (relation, next) = scratch.via[1][at.0 as usize];
        if relation == NONE {
            break;
        }
        steps.push(Step {
            relation: RelationId(relation),
            from: at,
            to: EntityId(next),
            at: None,
        });
        at = EntityId(next);
    }
    Path { start: from, steps }
}
