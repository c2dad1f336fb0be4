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

/// Per-entity states of one side: (depth, value), depths increasing.
type States = HashMap<EntityId, Vec<(u32, Day)>>;

/// The fewest hops of a chronological path from `from` to `to`, and every entity such a
/// path can pass through; `None` if there is none (within `max_hops`). A state per
/// entity and depth that improves: O(h·(V + E)) for h hops at worst.
pub fn fewest_hops(
    walker: &Walker,
    from: EntityId,
    to: EntityId,
    max_hops: Option<usize>,
) -> Option<(usize, HashSet<EntityId>)> {
    // Most pairs without a chronological path are told so here, cheaply: the search
    // below would otherwise explore every improving state before giving up.
    if from != to && !reachable_in_time(walker, from, to) {
        return None;
    }
    let adjacency = walker.store().adjacency();
    let mut forward: States = HashMap::new();
    let mut backward: States = HashMap::new();
    forward.insert(from, vec![(0, OPEN)]);
    backward.insert(to, vec![(0, ANY)]);
    let mut frontiers: [Vec<(EntityId, Day)>; 2] = [vec![(from, OPEN)], vec![(to, ANY)]];
    let mut depth = [0u32; 2];
    let mut best: Option<u32> = (from == to).then_some(0);
    loop {
        let reached = depth[0] + depth[1];
        if best.is_some_and(|b| reached >= b) || max_hops.is_some_and(|m| reached as usize >= m) {
            break;
        }
        let cost =
            |f: &[(EntityId, Day)]| f.iter().map(|&(e, _)| adjacency.degree(e)).sum::<usize>();
        let side = match (frontiers[0].is_empty(), frontiers[1].is_empty()) {
            (true, true) => break,
            (true, false) => 1,
            (false, true) => 0,
            (false, false) => usize::from(cost(&frontiers[1]) < cost(&frontiers[0])),
        };
        depth[side] += 1;
        let d = depth[side];
        let mut next: Vec<(EntityId, Day)> = Vec::new();
        let mut in_next: HashMap<EntityId, usize> = HashMap::new();
        let frontier = std::mem::take(&mut frontiers[side]);
        for (at, value) in frontier {
            for (entity, v) in side_steps(walker, side, at, value) {
                // Forward values improve downwards (earlier), backward ones upwards.
                let better = |old: Day| if side == 0 { v < old } else { v > old };
                let states = if side == 0 {
                    &mut forward
                } else {
                    &mut backward
                };
                let list = states.entry(entity).or_default();
                match list.last_mut() {
                    Some(&mut (depth_of, old)) if depth_of < d && !better(old) => continue,
                    Some(last) if last.0 == d => {
                        if !better(last.1) {
                            continue;
                        }
                        last.1 = v;
                    }
                    _ => list.push((d, v)),
                }
                match in_next.get(&entity) {
                    Some(&i) => next[i].1 = v,
                    None => {
                        in_next.insert(entity, next.len());
                        next.push((entity, v));
                    }
                }
                // A meeting: the fewest hops on the other side that fit.
                let other = if side == 0 { &backward } else { &forward };
                if let Some(list) = other.get(&entity) {
                    let fits = list
                        .iter()
                        .find(|&&(_, o)| if side == 0 { v <= o } else { o <= v });
                    if let Some(&(b, _)) = fits {
                        let total = d + b;
                        if best.is_none_or(|best| total < best)
                            && max_hops.is_none_or(|m| total as usize <= m)
                        {
                            best = Some(total);
                        }
                    }
                }
            }
        }
        frontiers[side] = next;
    }
    let hops = best?;
    Some((hops as usize, useful(&forward, &backward, hops, depth)))
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
        for (next, v) in side_steps(walker, side, at, value) {
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

/// The steps of one side out of an entity reached with `value`: forwards (side 0), each
/// entity reached and the arrival there; backwards (side 1), each entity a step comes
/// from and the latest day one may be there.
fn side_steps(walker: &Walker, side: usize, at: EntityId, value: Day) -> Vec<(EntityId, Day)> {
    if side == 0 {
        walker
            .dated_steps_where(at, |_| true)
            .filter_map(|(s, days)| Some((s.to, advance(value, days)?)))
            .collect()
    } else {
        walker
            .dated_steps_into(at)
            .filter_map(|(s, days)| Some((s.from, latest_before(days, value)?)))
            .collect()
    }
}

/// The entities a path of `hops` hops can use: at step i, within the forward reach
/// (i <= forward depth) or the backward reach (hops - i <= backward depth), and where
/// both reach, only if the two sides meet there.
fn useful(forward: &States, backward: &States, hops: u32, depth: [u32; 2]) -> HashSet<EntityId> {
    let (df, db) = (depth[0], depth[1]);
    let mut useful: HashSet<EntityId> = HashSet::default();
    for (&v, states) in forward {
        let meets = |a: u32, f: Day| {
            backward
                .get(&v)
                .is_some_and(|back| back.iter().any(|&(b, l)| a + b <= hops && f <= l))
        };
        if states.iter().any(|&(a, f)| a + db < hops || meets(a, f)) {
            useful.insert(v);
        }
    }
    for (&v, states) in backward {
        if states.iter().any(|&(b, _)| b + df < hops) {
            useful.insert(v);
        }
    }
    useful
}
