//! The earliest chronological arrival by a given number of hops, inside the few
//! entities that the meet in the middle of `chronological` found useful.
//!
//! Those entities are often hubs joined by thousands of relations each way, so the
//! search does not walk relations one by one: the relations from one entity to another
//! (parallel relations) are kept as one group, ordered by their last day, latest first,
//! with the earliest first day (and its relation) of each prefix. Reached on day `t`,
//! the relations that can still be taken are those ending on or after `t`, a prefix
//! found by halving, and the earliest arrival through them is `max(t, earliest first
//! day)` of that prefix. A layer of the search is then O(n² log p) for n entities and
//! groups of p relations, however many relations join them.
//!
//! The groups of an entity are read when it is first expanded: by halving its list
//! ordered by other end for each useful entity, or, when the list is short (or the
//! file keeps no such order), by reading the list once.

use foldhash::HashMap;

use super::walk::{OPEN, Step, Walker};
use crate::model::{Day, EntityId, RelationId};

/// A relation and its first and last day (`None`: undated).
type DatedRelation = (RelationId, Option<(Day, Day)>);

/// The relations from one entity to another that a walk may take, as one group.
struct Parallel {
    /// The number of the entity they lead to among the useful ones.
    to: usize,
    /// Their last days, latest first (`Day::MAX` for an undated relation).
    last: Vec<Day>,
    /// For each prefix of `last`, the earliest first day and the relation that has it
    /// (the lowest id among equals).
    earliest: Vec<(Day, RelationId)>,
}

impl Parallel {
    /// The group of `steps` (each with its relation's days; `None`: undated) into the
    /// useful entity numbered `to`, or `None` if none of them can ever be taken.
    fn of(
        to: usize,
        steps: impl Iterator<Item = (RelationId, Option<(Day, Day)>)>,
    ) -> Option<Parallel> {
        let mut days: Vec<(Day, Day, RelationId)> = steps
            .map(|(r, days)| {
                let (first, last) = days.unwrap_or((OPEN, Day::MAX));
                (last, first, r)
            })
            .filter(|&(last, first, _)| first <= last)
            .collect();
        if days.is_empty() {
            return None;
        }
        days.sort_unstable_by_key(|&(last, _, _)| std::cmp::Reverse(last));
        let mut earliest = Vec::with_capacity(days.len());
        let mut best = (Day::MAX, RelationId(u32::MAX));
        for &(_, first, r) in &days {
            best = best.min((first, r));
            earliest.push(best);
        }
        Some(Parallel {
            to,
            last: days.iter().map(|&(last, _, _)| last).collect(),
            earliest,
        })
    }

    /// The earliest arrival through one of these relations after reaching their start
    /// on day `t`, and that relation; `None` if every one ended before `t`.
    fn arrival(&self, t: Day) -> Option<(Day, RelationId)> {
        let open = self.last.partition_point(|&last| last >= t);
        let &(first, relation) = self.earliest.get(open.checked_sub(1)?)?;
        Some((t.max(first), relation))
    }
}

/// About what finding one entity's relations in a list by halving costs, in entries of
/// the list read in order.
const HALVING_COST: usize = 32;

/// The groups of relations out of one entity, read when first asked for.
enum Out {
    /// Every group, from one reading of its list, in order of target.
    Whole(Vec<Parallel>),
    /// The groups found so far by halving its list, by target (`None`: no relation).
    Halving(HashMap<usize, Option<Parallel>>),
}

impl Out {
    /// The groups out of `at` into `useful` (ids in increasing order): a short list (or
    /// one a file keeps no order of) is read whole now, a long one halved per target.
    fn of(walker: &Walker, at: EntityId, useful: &[EntityId], halving: bool) -> Out {
        let adjacency = walker.store().adjacency();
        if halving
            && adjacency.orders_by_other()
            && useful.len() * HALVING_COST < adjacency.degree(at)
        {
            walker.count_examined(0, true);
            return Out::Halving(HashMap::default());
        }
        Out::whole(walker, at, useful)
    }

    /// Every group out of `at` into `useful`, from one reading of its list.
    fn whole(walker: &Walker, at: EntityId, useful: &[EntityId]) -> Out {
        let mut by_target: Vec<Vec<DatedRelation>> = Vec::new();
        by_target.resize_with(useful.len(), Vec::new);
        let index = |e: EntityId| useful.binary_search(&e).ok();
        for (step, days) in walker.dated_steps_where(at, |e| index(e).is_some()) {
            if let Some(i) = index(step.to) {
                by_target[i].push((step.relation, days));
            }
        }
        Out::Whole(
            (by_target.into_iter().enumerate())
                .filter_map(|(i, steps)| Parallel::of(i, steps.into_iter()))
                .collect(),
        )
    }

    /// Calls `visit` with the group into each target `allowed` lets it take, in order
    /// of target (`to` numbers `useful`, `at` is the entity these groups leave).
    fn visit(
        &mut self,
        walker: &Walker,
        at: EntityId,
        useful: &[EntityId],
        allowed: &[usize],
        mut visit: impl FnMut(&Parallel),
    ) {
        match self {
            Out::Whole(groups) => {
                for group in groups.iter() {
                    if allowed.binary_search(&group.to).is_ok() {
                        visit(group);
                    }
                }
            }
            Out::Halving(groups) => {
                for &to in allowed {
                    let group = groups.entry(to).or_insert_with(|| {
                        let steps: Vec<_> = walker.dated_steps_between(at, useful[to]).collect();
                        walker.count_examined(steps.len(), false);
                        Parallel::of(to, steps.into_iter().map(|(s, days)| (s.relation, days)))
                    });
                    if let Some(group) = group {
                        visit(group);
                    }
                }
            }
        }
    }
}

/// A state of the layered search: an entity reached, when, and how.
#[derive(Clone, Copy)]
struct State {
    /// The number of the entity among the useful ones.
    at: usize,
    time: Day,
    /// The state it was reached from and the relation taken (none for the start).
    parent: usize,
    relation: Option<RelationId>,
}

/// The earliest-arriving chronological walk from `from` to `to` of at most `hops`
/// hops through the entities `useful` only (both ends among them): the fewest hops,
/// then the earliest arrival. A layered breadth-first search over (entity, arrival)
/// states in which a state is kept only when it arrives earlier than every state of
/// that entity with fewer hops; arriving earlier never closes a way that arriving
/// later leaves open, so this is exact, and walking back to an entity already on the
/// walk never arrives earlier, so every walk found is loopless. Each entity in `useful`
/// comes with the fewest hops it needs to reach `to` (a lower bound), and is entered
/// only with that many hops left. With `halving`, long lists are halved for their
/// relations to each useful entity; without, every list is read whole.
pub fn earliest_within(
    walker: &Walker,
    from: EntityId,
    to: EntityId,
    useful: &[(EntityId, u32)],
    hops: usize,
    halving: bool,
) -> Option<Vec<Step>> {
    let mut useful = useful.to_vec();
    useful.extend([(from, u32::MAX), (to, 0)]);
    useful.sort_unstable();
    useful.dedup_by_key(|(e, _)| *e);
    let (useful, need): (Vec<EntityId>, Vec<u32>) = useful.into_iter().unzip();
    let number = |e: EntityId| useful.binary_search(&e).ok();
    let (start, target) = (number(from)?, number(to)?);
    if start == target {
        return Some(Vec::new());
    }
    let mut out: Vec<Option<Out>> = Vec::new();
    out.resize_with(useful.len(), || None);
    // The earliest arrival at each entity with fewer hops than the layer being grown.
    let mut best = vec![Day::MAX; useful.len()];
    best[start] = OPEN;
    let mut states = vec![State {
        at: start,
        time: OPEN,
        parent: usize::MAX,
        relation: None,
    }];
    let mut layer = vec![0usize];
    for hop in 1..=hops {
        // Only entities that can still reach the target in the hops left.
        let left = (hops - hop) as u32;
        let allowed: Vec<usize> = (0..useful.len()).filter(|&v| need[v] <= left).collect();
        // The state of each entity in the next layer, if reached.
        let mut next: Vec<Option<usize>> = vec![None; useful.len()];
        let mut order = Vec::new();
        for &si in &layer {
            let State { at, time, .. } = states[si];
            let groups =
                out[at].get_or_insert_with(|| Out::of(walker, useful[at], &useful, halving));
            groups.visit(walker, useful[at], &useful, &allowed, |group| {
                let Some((arrival, relation)) = group.arrival(time) else {
                    return;
                };
                if best[group.to] <= arrival {
                    return;
                }
                let state = State {
                    at: group.to,
                    time: arrival,
                    parent: si,
                    relation: Some(relation),
                };
                match next[group.to] {
                    Some(i) if states[i].time <= arrival => {}
                    Some(i) => states[i] = state,
                    None => {
                        next[group.to] = Some(states.len());
                        order.push(states.len());
                        states.push(state);
                    }
                }
            });
        }
        for &i in &order {
            best[states[i].at] = states[i].time;
        }
        if let Some(i) = next[target] {
            return Some(unwind(&states, &useful, i));
        }
        if order.is_empty() {
            return None;
        }
        layer = order;
    }
    None
}

/// The steps from the start to state `i`.
fn unwind(states: &[State], useful: &[EntityId], mut i: usize) -> Vec<Step> {
    let mut steps = Vec::new();
    while let Some(relation) = states[i].relation {
        let parent = states[i].parent;
        steps.push(Step {
            relation,
            from: useful[states[parent].at],
            to: useful[states[i].at],
            at: None,
        });
        i = parent;
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_gives_the_earliest_arrival_of_the_relations_still_open() {
        let r = RelationId;
        let group = Parallel::of(
            0,
            [
                (r(1), Some((10, 20))),
                (r(2), Some((5, 8))),
                (r(3), Some((15, 40))),
                (r(4), Some((30, 25))), // ends before it starts: never taken
            ]
            .into_iter(),
        )
        .expect("a group");
        assert_eq!(group.arrival(0), Some((5, r(2))));
        assert_eq!(group.arrival(8), Some((8, r(2))));
        assert_eq!(group.arrival(9), Some((10, r(1))));
        assert_eq!(group.arrival(12), Some((12, r(1))));
        assert_eq!(group.arrival(21), Some((21, r(3))));
        assert_eq!(group.arrival(41), None);
        let undated =
            Parallel::of(1, [(r(7), None), (r(2), Some((5, 8)))].into_iter()).expect("a group");
        assert_eq!(undated.arrival(100), Some((100, r(7))));
        assert_eq!(undated.arrival(OPEN), Some((OPEN, r(7))));
        assert!(Parallel::of(0, [(r(4), Some((30, 25)))].into_iter()).is_none());
    }

    /// Groups found by halving a list are those found by reading it, on a store with
    /// hubs and many parallel relations both ways, dated and not.
    #[test]
    fn halving_and_reading_a_list_find_the_same_groups() {
        use crate::model::{Entity, Kind, Relation, RelationType, TimeSpan, TypeId};
        use crate::select::Selection;
        use crate::store::Store;
        let mut store = Store::new();
        store
            .add_type(RelationType::directed("met"))
            .expect("a type");
        let ids: Vec<EntityId> = (0..12)
            .map(|i| {
                store
                    .add_entity(Entity::new(format!("e{i}"), Kind::Person))
                    .expect("an entity")
            })
            .collect();
        let mut x = 7u64;
        for _ in 0..400 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (a, b) = ((x >> 33) as usize % 3, (x >> 40) as usize % 12);
            let mut r = Relation::new(TypeId(0));
            if !(x >> 50).is_multiple_of(5) {
                let day = 1 + (x >> 20) % 27;
                r.when = TimeSpan::parse(&format!("2020-02-{day:02}..2020-03-{day:02}"))
                    .expect("a date");
            }
            let (from, to) = if (x >> 60).is_multiple_of(2) {
                (a, b)
            } else {
                (b, a)
            };
            store
                .add_relation(ids[from], ids[to], r)
                .expect("a relation");
        }
        let selection = Selection::all();
        for directed in [false, true] {
            let walker = Walker::new(&store, &selection, directed, &[]);
            let useful: Vec<EntityId> = ids.iter().copied().step_by(2).collect();
            let allowed: Vec<usize> = (0..useful.len()).collect();
            for &at in &ids {
                let arrivals = |out: &mut Out| {
                    let mut seen = Vec::new();
                    out.visit(&walker, at, &useful, &allowed, |g| {
                        let days = [OPEN, 737_000, 737_460, 737_480, Day::MAX - 1];
                        seen.push((g.to, days.map(|t| g.arrival(t))));
                    });
                    seen
                };
                let read = arrivals(&mut Out::whole(&walker, at, &useful));
                let halved = arrivals(&mut Out::Halving(HashMap::default()));
                assert_eq!(read, halved, "out of {at:?}, directed {directed}");
                assert!(!read.is_empty() || at.0 > 2);
            }
        }
    }
}
