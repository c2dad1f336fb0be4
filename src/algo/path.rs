//! Shortest paths: the fewest hops between two entities, following relations in either
//! direction (or, `directed`, directed types forward only and symmetric types both
//! ways), through the selected relations and entities only. The two named ends are
//! always allowed, whatever their kind.

use std::collections::VecDeque;

use petgraph::visit::NodeIndexable;

use crate::model::{EntityId, RelationId};
use crate::select::Selection;
use crate::store::Store;

/// One step of a path, as walked: from `from` to `to` over `relation` (which may be
/// stored the other way round).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub relation: RelationId,
    pub from: EntityId,
    pub to: EntityId,
}

/// A walk from `start` through `steps`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub start: EntityId,
    pub steps: Vec<Step>,
}

impl Path {
    pub fn hops(&self) -> usize {
        self.steps.len()
    }

    /// The entities visited, in order, `start` first.
    pub fn nodes(&self) -> Vec<EntityId> {
        std::iter::once(self.start)
            .chain(self.steps.iter().map(|s| s.to))
            .collect()
    }
}

/// How a search may walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathOptions {
    /// Follow directed relations forward only.
    pub directed: bool,
    /// Give up beyond this many hops.
    pub max_hops: Option<usize>,
}

/// The steps a walk may take out of `at`.
pub(crate) fn steps_from<'a>(
    store: &'a Store,
    selection: &'a Selection,
    options: PathOptions,
    at: EntityId,
) -> impl Iterator<Item = Step> + 'a {
    store.relations_of(at).filter_map(move |r| {
        if !selection.allows_relation(r.relation) {
            return None;
        }
        let forward = r.from == at;
        if !forward && options.directed && !store.relation_type(r.relation.rtype).symmetric {
            return None;
        }
        let to = if forward { r.to } else { r.from };
        Some(Step {
            relation: r.id,
            from: at,
            to,
        })
    })
}

/// A shortest path from `from` to `to` (breadth-first; among equals, the one found
/// through the lowest relation ids first). `None` when there is none.
pub fn shortest_path(
    store: &Store,
    from: EntityId,
    to: EntityId,
    selection: &Selection,
    options: PathOptions,
) -> Option<Path> {
    if store.entity(from).is_none() || store.entity(to).is_none() {
        return None;
    }
    if from == to {
        return Some(Path {
            start: from,
            steps: Vec::new(),
        });
    }
    let bound = store.graph().node_bound();
    let mut reached: Vec<Option<Step>> = vec![None; bound];
    let mut depth = vec![u32::MAX; bound];
    depth[from.0 as usize] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        let d = depth[at.0 as usize];
        if options.max_hops.is_some_and(|max| d as usize >= max) {
            continue;
        }
        let mut steps: Vec<Step> = steps_from(store, selection, options, at).collect();
        steps.sort_by_key(|s| s.relation);
        for step in steps {
            let next = step.to.0 as usize;
            if depth[next] != u32::MAX {
                continue;
            }
            let allowed = step.to == to
                || store
                    .entity(step.to)
                    .is_some_and(|e| selection.allows_entity(e));
            if !allowed {
                continue;
            }
            depth[next] = d + 1;
            reached[next] = Some(step);
            if step.to == to {
                let mut steps = Vec::new();
                let mut cur = to;
                while let Some(s) = reached[cur.0 as usize] {
                    steps.push(s);
                    cur = s.from;
                }
                steps.reverse();
                return Some(Path { start: from, steps });
            }
            queue.push_back(step.to);
        }
    }
    None
}
