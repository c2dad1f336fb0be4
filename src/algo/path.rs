//! Paths between two entities, through the selected relations and entities only (the
//! two named ends are always allowed, whatever their kind).
//!
//! - [`shortest_path`]: the fewest hops, by bidirectional breadth-first search (which
//!   of several equally short paths is unspecified, though fixed by the ids).
//! - [`all_shortest_paths`]: every path of the fewest hops: the fewest hops first, then
//!   rings of half that from each end, joined where they meet.
//! - [`k_shortest_paths`]: the k shortest loopless paths in order of length (Yen's
//!   algorithm, each spur search bidirectional).
//! - With [`PathQuery::chronological`], only paths along which days t1 <= t2 <= ... can
//!   be chosen, each inside its relation's interval (undated relations always pass):
//!   the fewest hops, ties to the earliest arrival, each step with the day chosen.
//!
//! A chronological search is a layered breadth-first search over states (entity,
//! earliest arrival), inside the entities that the meet in the middle of
//! `chronological` found useful: a state is dropped when the same entity was already
//! reached with no more hops and no later arrival. It is exact, because arriving earlier
//! never closes a way that arriving later leaves open; walking back to an entity already
//! on the path never arrives earlier, so every path found is loopless.

use foldhash::{HashMap, HashSet};

use super::bidirectional::{self, Scratch};
pub use super::walk::Path;
use super::walk::{OPEN, Step, Walker, Work, advance};
use super::{chronological, earliest};
use crate::model::time::MIN_DAY;
use crate::model::{Day, EntityId, RelationId, Shape, TimeSpan};
use crate::select::Selection;
use crate::store::Store;

/// At most this many paths are listed by `--all` (the count can grow exponentially).
pub const MAX_PATHS: usize = 10_000;

/// How a path search may walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathQuery {
    /// Follow directed relations forward only (symmetric ones both ways).
    pub directed: bool,
    /// Give up beyond this many hops.
    pub max_hops: Option<usize>,
    /// Only time-respecting paths.
    pub chronological: bool,
}

/// The day shown for a step taken at `next` after arriving at `t` (none for undated
/// relations, or open-start ones that nothing before has pinned).
fn shown_day(t: Day, next: Day, when: &TimeSpan) -> Option<Day> {
    match when.shape() {
        Shape::Undated => None,
        // Only open starts before it (which reach back to 0001-01-01): no day is fixed.
        Shape::Until(_) if t <= MIN_DAY => None,
        _ => Some(next),
    }
}

/// Entities and relations a search must avoid (Yen's spur searches).
#[derive(Debug, Default)]
struct Blocks {
    entities: HashSet<EntityId>,
    relations: HashSet<RelationId>,
}

struct Search<'a> {
    walker: Walker<'a>,
    /// State for the bidirectional spur searches of plain (undated) queries.
    scratch: std::cell::RefCell<Scratch>,
    to: EntityId,
    query: PathQuery,
}

#[derive(Clone, Copy)]
struct State {
    at: EntityId,
    /// The number of `at` among the entities this search reaches.
    slot: usize,
    time: Day,
    parent: usize,
    step: Option<Step>,
}

/// A step out of an entity with its relation's days and the slot of the entity it
/// reaches.
type SlotStep = (Step, Option<(Day, Day)>, usize);

/// Dense numbers (slots) for the entities a layered search reaches, so that its state
/// per entity is in arrays, hashed once per step.
#[derive(Default)]
struct Slots {
    of: HashMap<EntityId, usize>,
    /// The earliest arrival at each so far (`Day::MAX`: not reached).
    best: Vec<Day>,
    /// The layer in which each was last put in the next one, and its state there.
    in_next: Vec<(usize, usize)>,
}

impl Slots {
    fn of(&mut self, entity: EntityId) -> usize {
        let fresh = self.best.len();
        let slot = *self.of.entry(entity).or_insert(fresh);
        if slot == fresh {
            self.best.push(Day::MAX);
            self.in_next.push((0, 0));
        }
        slot
    }
}

impl<'a> Search<'a> {
    fn new(finder: &PathFinder<'a>, from: EntityId, to: EntityId) -> Option<Search<'a>> {
        let (store, query) = (finder.store, finder.query);
        if store.kind_of(from).is_none() || store.kind_of(to).is_none() {
            return None;
        }
        Some(Search {
            walker: finder.walker(from, to),
            scratch: std::cell::RefCell::new(Scratch::default()),
            to,
            query,
        })
    }

    /// The fewest-hop path from `from`, reached at `t0`, to the target within `hops`
    /// hops, avoiding `blocks`: layered breadth-first search over (entity, arrival)
    /// states, O(h·(V + E)) for h hops at worst.
    fn fewest_hops(
        &self,
        from: EntityId,
        t0: Day,
        blocks: &Blocks,
        hops: Option<usize>,
    ) -> Option<Path> {
        if from == self.to {
            return Some(Path {
                start: from,
                steps: Vec::new(),
            });
        }
        let mut slots = Slots::default();
        let start = slots.of(from);
        slots.best[start] = t0;
        let mut states = vec![State {
            at: from,
            slot: start,
            time: t0,
            parent: usize::MAX,
            step: None,
        }];
        let mut layer = vec![0usize];
        let mut hop = 0;
        // The steps of the entity being expanded (one buffer).
        let mut steps: Vec<SlotStep> = Vec::new();
        while !layer.is_empty() && hops.is_none_or(|max| hop < max) {
            hop += 1;
            let mut next: Vec<usize> = Vec::new();
            for &si in &layer {
                let state = states[si];
                steps.clear();
                let out = self.walker.dated_steps_where(state.at, |_| true);
                steps.extend(out.map(|(step, days)| (step, days, slots.of(step.to))));
                for &(step, days, slot) in &steps {
                    if blocks.relations.contains(&step.relation)
                        || blocks.entities.contains(&step.to)
                    {
                        continue;
                    }
                    let time = if self.query.chronological {
                        let Some(time) = advance(state.time, days) else {
                            continue;
                        };
                        time
                    } else {
                        OPEN
                    };
                    if slots.best[slot] <= time {
                        continue;
                    }
                    let candidate = State {
                        at: step.to,
                        slot,
                        time,
                        parent: si,
                        step: Some(step),
                    };
                    match slots.in_next[slot] {
                        (h, i) if h == hop && states[i].time <= time => {}
                        (h, i) if h == hop => states[i] = candidate,
                        _ => {
                            slots.in_next[slot] = (hop, states.len());
                            next.push(states.len());
                            states.push(candidate);
                        }
                    }
                }
            }
            for &i in &next {
                slots.best[states[i].slot] = states[i].time;
            }
            let target = slots.of(self.to);
            if let (h, i) = slots.in_next[target]
                && h == hop
            {
                let mut path = unwind(&states, from, i);
                if self.query.chronological {
                    self.show_days(&mut path.steps, t0);
                }
                return Some(path);
            }
            layer = next;
        }
        None
    }

    /// The arrival day after walking `steps` from the start.
    fn arrival(&self, steps: &[Step]) -> Day {
        let store = self.walker.store();
        steps.iter().fold(OPEN, |t, s| {
            store
                .relation_facts(s.relation)
                .and_then(|r| advance(t, r.days))
                .unwrap_or(t)
        })
    }

    /// Sets the day shown for each of `steps`, walked in date order from a start
    /// reached on `t`.
    fn show_days(&self, steps: &mut [Step], mut t: Day) {
        let store = self.walker.store();
        for step in steps {
            let Some(relation) = store.relation_weight(step.relation) else {
                continue;
            };
            let when = relation.when;
            let next = advance(t, when.days()).unwrap_or(t);
            step.at = shown_day(t, next, &when);
            t = next;
        }
    }

    /// The fewest-hop path from `from` reached at `t`, avoiding `blocks`: bidirectional
    /// for plain queries, the layered search for chronological ones.
    fn spur(&self, from: EntityId, t: Day, blocks: &Blocks, hops: Option<usize>) -> Option<Path> {
        if self.query.chronological {
            return self.fewest_hops(from, t, blocks, hops);
        }
        let avoid = |r: RelationId, e: EntityId| {
            blocks.relations.contains(&r) || blocks.entities.contains(&e)
        };
        bidirectional::fewest_hops_avoiding(
            &self.walker,
            &mut self.scratch.borrow_mut(),
            from,
            self.to,
            hops,
            &avoid,
        )
    }

    /// Yen's algorithm: the `k` shortest loopless paths from `from`, shortest first;
    /// with `same_length_only`, stops when paths grow longer than the first. Each of
    /// the k rounds runs a spur search from every entity of the path before: O(k·n·S)
    /// for paths of n hops and a search cost S.
    fn yen(&self, from: EntityId, k: usize, same_length_only: bool) -> Vec<Path> {
        let Some(first) = self.spur(from, OPEN, &Blocks::default(), self.query.max_hops) else {
            return Vec::new();
        };
        let mut found = vec![first];
        let mut candidates: Vec<Path> = Vec::new();
        while found.len() < k {
            let Some(last) = found.last().cloned() else {
                break;
            };
            let nodes = last.nodes();
            for i in 0..last.hops() {
                let root = &last.steps[..i];
                let hops_left = match self.query.max_hops {
                    Some(max) if max <= i => continue,
                    Some(max) => Some(max - i),
                    None => None,
                };
                let mut blocks = Blocks::default();
                for p in &found {
                    if p.steps.len() > i && p.steps[..i] == *root {
                        blocks.relations.insert(p.steps[i].relation);
                    }
                }
                blocks.entities.extend(&nodes[..i]);
                let t = if self.query.chronological {
                    self.arrival(root)
                } else {
                    OPEN
                };
                if let Some(spur) = self.spur(nodes[i], t, &blocks, hops_left) {
                    let mut steps = root.to_vec();
                    steps.extend(spur.steps);
                    let path = Path { start: from, steps };
                    if !found.contains(&path) && !candidates.contains(&path) {
                        candidates.push(path);
                    }
                }
            }
            let Some(best) = (0..candidates.len()).min_by_key(|&i| candidates[i].order_key())
            else {
                break;
            };
            if same_length_only && candidates[best].hops() > found[0].hops() {
                break;
            }
            found.push(candidates.swap_remove(best));
        }
        found
    }
}

fn unwind(states: &[State], start: EntityId, mut i: usize) -> Path {
    let mut steps = Vec::new();
    while let Some(step) = states[i].step {
        steps.push(step);
        i = states[i].parent;
    }
    steps.reverse();
    Path { start, steps }
}

/// Answers path questions under one selection and query, reusing its search state
/// from one pair to the next, and counting its work when asked to.
pub struct PathFinder<'a> {
    store: &'a Store,
    selection: &'a Selection,
    query: PathQuery,
    scratch: Scratch,
    /// The chronological search's state, likewise.
    chronological: chronological::Scratch,
    work: Option<&'a Work>,
}

impl<'a> PathFinder<'a> {
    pub fn new(store: &'a Store, selection: &'a Selection, query: PathQuery) -> PathFinder<'a> {
        PathFinder {
            store,
            selection,
            query,
            scratch: Scratch::default(),
            chronological: chronological::Scratch::default(),
            work: None,
        }
    }

    /// The finder, counting the entities its searches expand into `work`.
    pub fn counting(mut self, work: &'a Work) -> PathFinder<'a> {
        self.work = Some(work);
        self
    }

    /// A walker for a search from `from` to `to` (both always enterable).
    fn walker(&self, from: EntityId, to: EntityId) -> Walker<'a> {
        Walker::new(self.store, self.selection, self.query.directed, &[from, to])
            .counting(self.work)
    }

    /// The shortest path, or `None`: the fewest hops (found by bidirectional search,
    /// O(V + E) at worst and usually far less; among equals, which one is returned is
    /// fixed by the ids but not otherwise specified); chronological: the fewest hops,
    /// then the earliest arrival.
    pub fn shortest(&mut self, from: EntityId, to: EntityId) -> Option<Path> {
        if self.store.kind_of(from).is_none() || self.store.kind_of(to).is_none() {
            return None;
        }
        if !self.query.chronological {
            let walker = self.walker(from, to);
            return bidirectional::fewest_hops(
                &walker,
                &mut self.scratch,
                from,
                to,
                self.query.max_hops,
            );
        }
        let search = Search::new(self, from, to)?;
        // Meet in the middle for the fewest hops and the entities any such path can use,
        // then the exact search inside them for the earliest arrival.
        let (hops, useful) = chronological::fewest_hops(
            &search.walker,
            &mut self.chronological,
            from,
            to,
            self.query.max_hops,
        )?;
        // The meet proved a path of `hops` hops: if halving lists finds none (only a
        // damaged order by other end, which `kg check` reports, could lose it), the
        // lists are read whole.
        let within =
            |halving| earliest::earliest_within(&search.walker, from, to, &useful, hops, halving);
        let steps = within(true).or_else(|| within(false))?;
        let mut path = Path { start: from, steps };
        search.show_days(&mut path.steps, OPEN);
        Some(path)
    }

    /// The `k` shortest loopless paths, shortest first (ties by relation ids), by Yen's
    /// algorithm: k rounds of spur searches along the path before, each a shortest-path
    /// search, O(k·n·S) for paths of n hops and a search cost S.
    pub fn k_shortest(&self, from: EntityId, to: EntityId, k: usize) -> Vec<Path> {
        match Search::new(self, from, to) {
            Some(search) if k > 0 => search.yen(from, k, false),
            _ => Vec::new(),
        }
    }

    /// Every path of the fewest hops (at most [`MAX_PATHS`]; the flag says whether more
    /// were left out), ordered by relation ids: the fewest hops first, then breadth-first
    /// rings of half that from each end, O(V + E), and every way through the entities
    /// where they meet.
    pub fn all_shortest(&self, from: EntityId, to: EntityId) -> (Vec<Path>, bool) {
        let Some(search) = Search::new(self, from, to) else {
            return (Vec::new(), false);
        };
        search.all_shortest(from, to)
    }
}

/// The shortest path, or `None`, as [`PathFinder::shortest`] finds it.
pub fn shortest_path(
    store: &Store,
    from: EntityId,
    to: EntityId,
    selection: &Selection,
    query: PathQuery,
) -> Option<Path> {
    PathFinder::new(store, selection, query).shortest(from, to)
}

/// Every walk over the kept ring steps from `start` to `end` (at most [`MAX_PATHS`]),
/// each as the steps taken from `start`; `next` gives the entity a step leads to.
fn walks(
    steps: &HashMap<EntityId, Vec<Step>>,
    start: EntityId,
    end: EntityId,
    next: impl Fn(&Step) -> EntityId,
) -> Vec<Vec<Step>> {
    let mut found = Vec::new();
    let mut stack: Vec<(EntityId, Vec<Step>)> = vec![(start, Vec::new())];
    while let Some((at, walk)) = stack.pop() {
        if at == end {
            found.push(walk);
            if found.len() == MAX_PATHS {
                break;
            }
            continue;
        }
        for step in steps.get(&at).into_iter().flatten() {
            let mut longer = walk.clone();
            longer.push(*step);
            stack.push((next(step), longer));
        }
    }
    found
}

/// The `k` shortest loopless paths, as [`PathFinder::k_shortest`] finds them.
pub fn k_shortest_paths(
    store: &Store,
    from: EntityId,
    to: EntityId,
    selection: &Selection,
    query: PathQuery,
    k: usize,
) -> Vec<Path> {
    PathFinder::new(store, selection, query).k_shortest(from, to, k)
}

/// Every path of the fewest hops, as [`PathFinder::all_shortest`] finds them.
pub fn all_shortest_paths(
    store: &Store,
    from: EntityId,
    to: EntityId,
    selection: &Selection,
    query: PathQuery,
) -> (Vec<Path>, bool) {
    PathFinder::new(store, selection, query).all_shortest(from, to)
}

impl Search<'_> {
    /// Every path of the fewest hops from `from` to `to` (see [`PathFinder::all_shortest`]).
    fn all_shortest(&self, from: EntityId, to: EntityId) -> (Vec<Path>, bool) {
        if self.query.chronological {
            let mut paths = self.yen(from, MAX_PATHS + 1, true);
            let more = paths.len() > MAX_PATHS;
            paths.truncate(MAX_PATHS);
            paths.sort_by_key(Path::order_key);
            return (paths, more);
        }
        if from == to {
            return (
                vec![Path {
                    start: from,
                    steps: Vec::new(),
                }],
                false,
            );
        }
        // The fewest hops first; then rings of half that from each end, every step kept,
        // and every way through the entities where the two meet.
        let Some(first) = self.spur(from, OPEN, &Blocks::default(), self.query.max_hops) else {
            return (Vec::new(), false);
        };
        let hops = first.hops();
        let (forward_depth, backward_depth) = (hops / 2, hops - hops / 2);
        let forward = self.walker.rings(from, Some(forward_depth), None);
        let backward = self.walker.rings_back(to, Some(backward_depth));
        let mut middles: Vec<EntityId> = forward
            .distance
            .iter()
            .filter(|&(v, &d)| {
                d == forward_depth && backward.distance.get(v) == Some(&backward_depth)
            })
            .map(|(&v, _)| v)
            .collect();
        middles.sort();
        let mut paths = Vec::new();
        let mut more = false;
        'middles: for middle in middles {
            let heads = walks(&forward.into, middle, from, |s| s.from);
            let tails = walks(&backward.into, middle, to, |s| s.to);
            for head in &heads {
                for tail in &tails {
                    if paths.len() == MAX_PATHS {
                        more = true;
                        break 'middles;
                    }
                    let mut steps: Vec<Step> = head.iter().rev().copied().collect();
                    steps.extend(tail.iter().copied());
                    paths.push(Path { start: from, steps });
                }
            }
        }
        paths.sort_by_key(Path::order_key);
        (paths, more)
    }
}
