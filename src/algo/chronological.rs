//! The fewest hops of a chronological path, met in the middle.
//!
//! The forward side keeps, for each entity, the earliest arrival with at most `a`
//! hops; the backward side, from the target, the latest day one may be at an entity
//! and still reach the target in date order with at most `b` hops (through a relation
//! dated `[e, l]` towards an entity whose latest day is `L`, that is `min(l, L)`,
//! provided `e` is not later; undated relations pass it on). A path of `a + b` hops
//! exists through an entity when the forward arrival is no later than the backward
//! latest day. Each side keeps only improving states (more hops must mean an earlier
//! arrival, or a later latest day), grows the cheaper side first, and stops once the
//! two depths add up to the best total found: every path of that length has met by
//! then. The entities the two sides reached hold every fewest-hop chronological path,
//! so the exact search for the earliest arrival then runs inside them alone.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::walk::{OPEN, Walker, advance};
use crate::model::{Day, EntityId};

const ANY: Day = Day::MAX;

/// The latest day one may be at the start of a relation dated `when` and still reach,
/// through it, an entity where the latest day is `latest`; `None` if none.
fn latest_before(days: Option<(Day, Day)>, latest: Day) -> Option<Day> {
    let Some((first, last)) = days else {
        return Some(latest);
    };
    let limit = last.min(latest);
    (first <= limit).then_some(limit)
}

/// The improving states of one side: per entity, (depth, value) with depths increasing
/// and values improving, kept in one arena as a list per entity from its latest state
/// back, found through an array by entity id (a search that expands a hub reaches
/// most of the graph, and hashing every state was most of its time).
struct Side {
    /// Forward (earlier is better) or backward (later is better).
    forward: bool,
    /// Each entity's latest state and its value, read together (the value decides
    /// most steps).
    head: Vec<Head>,
    /// A bit per entity: whether it has a state (a hub's list is read with a look at
    /// both sides for every entry, and these bits stay in cache where `head` does not).
    seen: Vec<u64>,
    arena: Vec<State>,
    /// The arena indexes of the states of the last depth reached.
    frontier: Vec<u32>,
    depth: u32,
}

/// Whether `new` improves on `old` on the forward side (earlier) or the backward one
/// (later).
fn improves(forward: bool, new: Day, old: Day) -> bool {
    if forward { new < old } else { new > old }
}

/// Where an entity's states are found, and the value of the latest.
#[derive(Clone, Copy, Default)]
struct Head {
    /// 1 + the arena index of the latest state; 0 for none.
    state: u32,
    value: Day,
}

#[derive(Clone, Copy)]
struct State {
    entity: EntityId,
    depth: u32,
    value: Day,
    /// 1 + the arena index of the entity's state before; 0 for none.
    before: u32,
}

/// The two sides' arrays, kept from one search to the next: a search over a million
/// entities would otherwise ask for megabytes of fresh zeroed pages each time. Every
/// `head` is all zeros between searches.
#[derive(Default)]
pub struct Scratch {
    heads: [Vec<Head>; 2],
    seen: [Vec<u64>; 2],
    arenas: [Vec<State>; 2],
    /// The steps out of the entity being expanded.
    steps: Vec<(EntityId, Day)>,
}

impl Side {
    /// The side of a search over `bound` entities from `start`, in `scratch`'s arrays of
    /// side `s`.
    fn new(scratch: &mut Scratch, s: usize, bound: usize, start: EntityId, value: Day) -> Side {
        let mut head = std::mem::take(&mut scratch.heads[s]);
        if head.len() < bound {
            head.resize(bound, Head::default());
        }
        let mut seen = std::mem::take(&mut scratch.seen[s]);
        if seen.len() < bound.div_ceil(64) {
            seen.resize(bound.div_ceil(64), 0);
        }
        let mut arena = std::mem::take(&mut scratch.arenas[s]);
        arena.clear();
        let mut side = Side {
            forward: s == 0,
            head,
            seen,
            arena,
            frontier: Vec::new(),
            depth: 0,
        };
        side.add(start, 0, value);
        side
    }

    /// Gives the arrays back to `scratch`, `head` and `seen` zeroed where this search
    /// set them.
    fn give_back(mut self, scratch: &mut Scratch, s: usize) {
        for state in &self.arena {
            let e = state.entity.0 as usize;
            if let Some(h) = self.head.get_mut(e) {
                *h = Head::default();
            }
            if let Some(w) = self.seen.get_mut(e / 64) {
                *w = 0;
            }
        }
        scratch.heads[s] = self.head;
        scratch.seen[s] = self.seen;
        scratch.arenas[s] = self.arena;
    }

    /// Whether a forward value `f` and a backward value `b` meet.
    fn fit(&self, mine: Day, theirs: Day) -> bool {
        if self.forward {
            mine <= theirs
        } else {
            theirs <= mine
        }
    }

    /// Whether `entity` has a state on this side.
    fn has(&self, entity: EntityId) -> bool {
        let e = entity.0 as usize;
        self.seen
            .get(e / 64)
            .is_some_and(|w| w & (1 << (e % 64)) != 0)
    }

    fn latest(&self, entity: EntityId) -> Option<u32> {
        if !self.has(entity) {
            return None;
        }
        let e = entity.0 as usize;
        self.head.get(e)?.state.checked_sub(1)
    }

    /// The states of `entity`, the latest first.
    fn states(&self, entity: EntityId) -> impl Iterator<Item = &State> + '_ {
        std::iter::successors(self.latest(entity).map(|i| &self.arena[i as usize]), |s| {
            s.before.checked_sub(1).map(|i| &self.arena[i as usize])
        })
    }

    fn add(&mut self, entity: EntityId, depth: u32, value: Day) {
        let e = entity.0 as usize;
        let (Some(head), Some(seen)) = (self.head.get_mut(e), self.seen.get_mut(e / 64)) else {
            return;
        };
        // An entity without states has none to chain to (and its head is not read).
        let before = match *seen & (1 << (e % 64)) {
            0 => 0,
            _ => head.state,
        };
        *seen |= 1 << (e % 64);
        self.arena.push(State {
            entity,
            depth,
            value,
            before,
        });
        *head = Head {
            state: self.arena.len() as u32,
            value,
        };
        self.frontier.push(self.arena.len() as u32 - 1);
    }

    /// Records that `entity` is reached with `value` at depth `d` (the one being
    /// grown); whether that improves on what it had.
    fn reach(&mut self, entity: EntityId, d: u32, value: Day) -> bool {
        match self.latest(entity) {
            Some(i) => {
                let head = &mut self.head[entity.0 as usize];
                if !improves(self.forward, value, head.value) {
                    return false;
                }
                if self.arena[i as usize].depth == d {
                    head.value = value;
                    self.arena[i as usize].value = value;
                } else {
                    self.add(entity, d, value);
                }
                true
            }
            None => {
                self.add(entity, d, value);
                true
            }
        }
    }

    /// The fewest hops of this side's states of `entity` that meet `value`, a value of
    /// the other side.
    fn fewest_meeting(&self, entity: EntityId, value: Day) -> Option<u32> {
        // Values improve with depth: the states that fit are the latest ones.
        self.states(entity)
            .take_while(|s| self.fit(s.value, value))
            .last()
            .map(|s| s.depth)
    }
}

/// The fewest hops of a chronological path from `from` to `to`, and every entity such a
/// path can pass through with the fewest hops it needs from there to `to` (a lower
/// bound); `None` if there is none (within `max_hops`). A state per
/// entity and depth that improves: O(h·(V + E)) for h hops at worst.
pub fn fewest_hops(
    walker: &Walker,
    scratch: &mut Scratch,
    from: EntityId,
    to: EntityId,
    max_hops: Option<usize>,
) -> Option<(usize, Vec<(EntityId, u32)>)> {
    // Most pairs without a chronological path are told so here, cheaply: the search
    // below would otherwise explore every improving state before giving up.
    if from != to && !reachable_in_time(walker, from, to) {
        return None;
    }
    let adjacency = walker.store().adjacency();
    let bound = walker.store().entity_bound();
    let mut sides = [
        Side::new(scratch, 0, bound, from, OPEN),
        Side::new(scratch, 1, bound, to, ANY),
    ];
    let mut best: Option<u32> = (from == to).then_some(0);
    let mut steps = std::mem::take(&mut scratch.steps);
    loop {
        let reached = sides[0].depth + sides[1].depth;
        if best.is_some_and(|b| reached >= b) || max_hops.is_some_and(|m| reached as usize >= m) {
            break;
        }
        let cost = |side: &Side| {
            (side.frontier.iter())
                .map(|&i| adjacency.degree(side.arena[i as usize].entity))
                .sum::<usize>()
        };
        let s = match (sides[0].frontier.is_empty(), sides[1].frontier.is_empty()) {
            (true, true) => break,
            (true, false) => 1,
            (false, true) => 0,
            (false, false) => usize::from(cost(&sides[1]) < cost(&sides[0])),
        };
        let [mine, theirs] = match s {
            0 => {
                let [a, b] = &mut sides;
                [a, b]
            }
            _ => {
                let [a, b] = &mut sides;
                [b, a]
            }
        };
        mine.depth += 1;
        let d = mine.depth;
        let frontier = std::mem::take(&mut mine.frontier);
        // Once this layer meets the other side it is the last one, and then only its
        // steps into entities that side reached matter (no other state of it is read).
        let mut last = false;
        for i in frontier {
            let State {
                entity: at, value, ..
            } = mine.arena[i as usize];
            steps.clear();
            side_steps(walker, s, at, value, &mut steps);
            for &(entity, v) in &steps {
                if last && !theirs.has(entity) {
                    continue;
                }
                if !mine.reach(entity, d, v) {
                    continue;
                }
                // A meeting: the fewest hops on the other side that fit.
                if let Some(b) = theirs.fewest_meeting(entity, v) {
                    let total = d + b;
                    if best.is_none_or(|best| total < best)
                        && max_hops.is_none_or(|m| total as usize <= m)
                    {
                        best = Some(total);
                        last = true;
                    }
                }
            }
        }
    }
    let found = best.map(|hops| (hops as usize, useful(&sides, hops)));
    let [forward, backward] = sides;
    scratch.steps = steps;
    forward.give_back(scratch, 0);
    backward.give_back(scratch, 1);
    found
}

/// Whether `to` can be reached from `from` in date order at all, whatever the hops: two
/// searches in date order that meet in the middle. The forward one takes entities in
/// order of earliest arrival from `from`, the backward one in order of the latest day
/// one may be at an entity and still reach `to` (latest first); each entity once, since
/// arriving earlier (or being allowed to stay later) never closes a way the other opens.
/// A path exists as soon as an entity's arrival is no later than its latest day. When
/// the next forward arrival is later than the next backward latest day and they have
/// not met, there is none: on any path, the last entity reached before that arrival
/// would already have been taken by both sides. O(E log V) at worst, usually far less.
fn reachable_in_time(walker: &Walker, from: EntityId, to: EntityId) -> bool {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let adjacency = walker.store().adjacency();
    // Per side: each entity's best value so far, and whether it was taken.
    let mut best: [HashMap<EntityId, Day>; 2] = [HashMap::new(), HashMap::new()];
    let mut taken: [HashSet<EntityId>; 2] = [HashSet::default(), HashSet::default()];
    let mut earliest = BinaryHeap::from([Reverse((OPEN, from))]);
    let mut latest = BinaryHeap::from([(ANY, to)]);
    best[0].insert(from, OPEN);
    best[1].insert(to, ANY);
    // The relations each side has read, to grow the cheaper one.
    let mut work = [0usize; 2];
    let mut steps = Vec::new();
    loop {
        while earliest
            .peek()
            .is_some_and(|Reverse((_, e))| taken[0].contains(e))
        {
            earliest.pop();
        }
        while latest.peek().is_some_and(|(_, e)| taken[1].contains(e)) {
            latest.pop();
        }
        let (Some(&Reverse((t, f))), Some(&(l, b))) = (earliest.peek(), latest.peek()) else {
            return false;
        };
        if t > l {
            return false;
        }
        let side = usize::from(work[1] + adjacency.degree(b) < work[0] + adjacency.degree(f));
        let (at, value) = if side == 0 {
            earliest.pop();
            (f, t)
        } else {
            latest.pop();
            (b, l)
        };
        taken[side].insert(at);
        work[side] += adjacency.degree(at);
        steps.clear();
        side_steps(walker, side, at, value, &mut steps);
        for &(next, v) in &steps {
            let better = |old: &Day| if side == 0 { v < *old } else { v > *old };
            if taken[side].contains(&next) || best[side].get(&next).is_some_and(|old| !better(old))
            {
                continue;
            }
            best[side].insert(next, v);
            if side == 0 {
                earliest.push(Reverse((v, next)));
            } else {
                latest.push((v, next));
            }
            let other = &best[1 - side];
            let meets = other
                .get(&next)
                .is_some_and(|&o| if side == 0 { v <= o } else { o <= v });
            if meets {
                return true;
            }
        }
    }
}

/// The steps of one side out of an entity reached with `value`, into `out`: forwards
/// (side 0), each entity reached and the arrival there; backwards (side 1), each entity
/// a step comes from and the latest day one may be there.
fn side_steps(
    walker: &Walker,
    side: usize,
    at: EntityId,
    value: Day,
    out: &mut Vec<(EntityId, Day)>,
) {
    if side == 0 {
        out.extend(
            walker
                .dated_steps_where(at, |_| true)
                .filter_map(|(s, days)| Some((s.to, advance(value, days)?))),
        );
    } else {
        out.extend(
            walker
                .dated_steps_into(at)
                .filter_map(|(s, days)| Some((s.from, latest_before(days, value)?))),
        );
    }
}

/// The entities a path of `hops` hops can use: at step i, within the forward reach
/// (i <= forward depth) or the backward reach (hops - i <= backward depth), and where
/// both reach, only if the two sides meet there. Each comes with the fewest hops it
/// needs to reach the target in date order: its fewest backward hops, or one more than
/// the backward side's depth where that side did not reach it.
fn useful(sides: &[Side; 2], hops: u32) -> Vec<(EntityId, u32)> {
    let [forward, backward] = sides;
    let (df, db) = (forward.depth, backward.depth);
    let mut useful: HashSet<EntityId> = HashSet::default();
    for s in &forward.arena {
        let meets =
            || (backward.states(s.entity)).any(|b| s.depth + b.depth <= hops && s.value <= b.value);
        if s.depth + db < hops || meets() {
            useful.insert(s.entity);
        }
    }
    for s in &backward.arena {
        if s.depth + df < hops {
            useful.insert(s.entity);
        }
    }
    let need = |e: EntityId| backward.states(e).map(|s| s.depth).min().unwrap_or(db + 1);
    useful.into_iter().map(|e| (e, need(e))).collect()
}
