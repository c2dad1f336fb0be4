//! Walking the selected graph: the steps a search may take out of an entity, read from
//! the store's compressed adjacency and filtered by the selection, in either direction
//! or (directed) forward only for directed types. Every path search, neighbourhood and
//! export part walks through a [`Walker`] (the query engine reads the adjacency itself,
//! by its patterns' rules).

use std::cell::Cell;

use foldhash::HashMap;

use crate::model::{Day, EntityId, RelationId};
use crate::select::Selection;
use crate::store::{Incidence, Store};

/// "No day fixed yet": earlier than every day (the arrival at a walk's start).
pub(super) const OPEN: Day = Day::MIN;

/// The earliest day a walk can go on along a relation of days `days` (`None`:
/// undated, which passes any day on) after reaching its start on `t`, or `None` if the
/// relation ended before `t`.
pub(super) fn advance(t: Day, days: Option<(Day, Day)>) -> Option<Day> {
    let Some((first, last)) = days else {
        return Some(t);
    };
    let next = t.max(first);
    (next <= last).then_some(next)
}

/// One step of a walk: from `from` to `to` over `relation` (which may be stored the
/// other way round). `at` is the day chosen for it on a chronological path (`None`
/// when the relation is undated or nothing before it fixes a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub relation: RelationId,
    pub from: EntityId,
    pub to: EntityId,
    pub at: Option<Day>,
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

    /// The relations walked, in order.
    pub fn relations(&self) -> Vec<RelationId> {
        self.steps.iter().map(|s| s.relation).collect()
    }

    /// The order paths of equal length are listed in: by their relation ids.
    pub(super) fn order_key(&self) -> (usize, Vec<(RelationId, EntityId)>) {
        (
            self.hops(),
            self.steps.iter().map(|s| (s.relation, s.to)).collect(),
        )
    }
}

/// The steps a search may take, under one selection.
pub struct Walker<'a> {
    store: &'a Store,
    selection: &'a Selection,
    /// Entities entered whatever their kind (the ends a user named).
    exempt: [Option<EntityId>; 2],
    directed: bool,
    work: Option<&'a Work>,
}

impl<'a> Walker<'a> {
    /// A walker over `store` as `selection` sees it; `exempt` entities (the ends a user
    /// named) may be entered whatever their kind.
    pub fn new(
        store: &'a Store,
        selection: &'a Selection,
        directed: bool,
        exempt: &[EntityId],
    ) -> Walker<'a> {
        Walker {
            store,
            selection,
            exempt: [exempt.first().copied(), exempt.get(1).copied()],
            directed,
            work: None,
        }
    }

    /// The walker, counting what it expands into `work`.
    pub fn counting(mut self, work: Option<&'a Work>) -> Walker<'a> {
        self.work = work;
        self
    }

    fn count(&self, at: EntityId) {
        if let Some(work) = self.work {
            work.count(self.store.adjacency().degree(at));
        }
    }

    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// The steps out of `at`, ordered by relation id, so that every search is
    /// deterministic. They come from the store's compressed adjacency, filtered by the
    /// selection's predicates (the same ones its petgraph view applies).
    pub fn steps(&self, at: EntityId) -> impl Iterator<Item = Step> + '_ {
        self.steps_where(at, |_| true)
    }

    /// The steps out of `at` into entities `enter` allows, which is asked first (a
    /// search confined to a few entities skips the rest of a hub's list cheaply).
    pub fn steps_where<'s>(
        &'s self,
        at: EntityId,
        enter: impl Fn(EntityId) -> bool + Copy + 's,
    ) -> impl Iterator<Item = Step> + 's {
        self.dated_steps_where(at, enter).map(|(step, _)| step)
    }

    /// The steps out of `at` into entities `enter` allows, each with the first and last
    /// day of its relation (`None` when undated), read beside the adjacency's entries.
    pub fn dated_steps_where<'s>(
        &'s self,
        at: EntityId,
        enter: impl Fn(EntityId) -> bool + Copy + 's,
    ) -> impl Iterator<Item = (Step, Option<(Day, Day)>)> + 's {
        self.count(at);
        self.store
            .adjacency()
            .of_entering(at, enter)
            .filter_map(move |inc| self.dated_step(at, inc))
    }

    /// The steps out of `at` into `to`, with their days, in relation-id order, found by
    /// halving `at`'s list ordered by other end (O(log d), where
    /// [`Walker::dated_steps_where`] reads the whole list). Not counted as an expansion:
    /// the caller counts what it examined ([`Walker::count_examined`]).
    pub fn dated_steps_between(
        &self,
        at: EntityId,
        to: EntityId,
    ) -> impl Iterator<Item = (Step, Option<(Day, Day)>)> + '_ {
        (self.store.adjacency().between(at, to)).filter_map(move |inc| self.dated_step(at, inc))
    }

    /// Counts `relations` more relations examined, and one more entity expanded if
    /// `expanded`.
    pub fn count_examined(&self, relations: usize, expanded: bool) {
        if let Some(work) = self.work {
            work.examine(relations, expanded);
        }
    }

    /// The step out of `at` along `inc`, with its days, if the walk may take it.
    fn dated_step(&self, at: EntityId, inc: Incidence) -> Option<(Step, Option<(Day, Day)>)> {
        let days = self.admits(inc, inc.forward)?;
        let step = Step {
            relation: inc.relation,
            from: at,
            to: inc.other,
            at: None,
        };
        Some((step, days))
    }

    /// The steps into `at`: those a walk may take from a neighbour to `at` (the
    /// backward half of a bidirectional search), ordered by relation id.
    pub fn steps_into(&self, at: EntityId) -> impl Iterator<Item = Step> + '_ {
        self.dated_steps_into(at).map(|(step, _)| step)
    }

    /// The steps into `at`, each with the days of its relation.
    pub fn dated_steps_into(
        &self,
        at: EntityId,
    ) -> impl Iterator<Item = (Step, Option<(Day, Day)>)> + '_ {
        self.count(at);
        self.store.adjacency().of(at).filter_map(move |inc| {
            // The walk goes other -> at: forward for `other` when the relation is
            // stored other -> at, that is when it is not forward from `at`.
            let forward_for_other = !inc.forward || inc.other == at;
            let days = self.admits(inc, forward_for_other)?;
            let step = Step {
                relation: inc.relation,
                from: inc.other,
                to: at,
                at: None,
            };
            Some((step, days))
        })
    }

    /// The days of the relation of `inc` (`None` inside: undated) if a walk may use it
    /// in the direction that is `forward` (as stored) or not, and enter the entity at
    /// its other end.
    fn admits(&self, inc: Incidence, forward: bool) -> Option<Option<(Day, Day)>> {
        let filtered = !self.selection.keeps_every_relation();
        let days = if filtered || (self.directed && !forward) {
            let relation = inc.facts.unpack()?;
            if filtered && !self.selection.allows_facts(&relation) {
                return None;
            }
            let symmetric = || {
                (self.store.types())
                    .get(relation.rtype.0 as usize)
                    .is_some_and(|t| t.symmetric)
            };
            if self.directed && !forward && !symmetric() {
                return None;
            }
            relation.days
        } else {
            inc.facts.days()
        };
        let enters = self.selection.kinds.is_empty()
            || self.exempt.contains(&Some(inc.other))
            || self
                .store
                .kind_of(inc.other)
                .is_some_and(|k| self.selection.allows_kind(k));
        enters.then_some(days)
    }
}

/// Breadth-first rings around an entity: each entity reached, its distance, and every
/// step into it from the ring before.
#[derive(Debug, Default)]
pub struct Rings {
    /// Hops from the centre, for every entity reached (the centre at 0).
    pub distance: HashMap<EntityId, usize>,
    /// The steps between each entity and entities one hop closer to the centre (into
    /// it for [`Walker::rings`], out of it for [`Walker::rings_back`]).
    pub into: HashMap<EntityId, Vec<Step>>,
    /// The entities reached, in the order they were first reached (centre excluded).
    pub order: Vec<EntityId>,
}

impl Walker<'_> {
    /// The rings around `center`, out to `max_depth` hops, or only until the ring that
    /// reaches `until` is complete: breadth-first, O(V + E) within the depth.
    pub fn rings(
        &self,
        center: EntityId,
        max_depth: Option<usize>,
        until: Option<EntityId>,
    ) -> Rings {
        self.rings_towards(center, max_depth, until, false)
    }

    /// The rings of entities from which a walk reaches `center` in so many hops; the
    /// steps kept for an entity lead from it one ring closer to `center`.
    pub fn rings_back(&self, center: EntityId, max_depth: Option<usize>) -> Rings {
        self.rings_towards(center, max_depth, None, true)
    }

    fn rings_towards(
        &self,
        center: EntityId,
        max_depth: Option<usize>,
        until: Option<EntityId>,
        backward: bool,
    ) -> Rings {
        let mut rings = Rings {
            distance: HashMap::from_iter([(center, 0)]),
            ..Rings::default()
        };
        let mut ring = vec![center];
        let mut d = 0;
        while !ring.is_empty()
            && max_depth.is_none_or(|max| d < max)
            && until.is_none_or(|u| !rings.distance.contains_key(&u))
        {
            d += 1;
            let mut next = Vec::new();
            for &at in &ring {
                let steps: Box<dyn Iterator<Item = Step>> = if backward {
                    Box::new(self.steps_into(at))
                } else {
                    Box::new(self.steps(at))
                };
                for step in steps {
                    let reached = if backward { step.from } else { step.to };
                    match rings.distance.get(&reached) {
                        None => {
                            rings.distance.insert(reached, d);
                            rings.order.push(reached);
                            rings.into.insert(reached, vec![step]);
                            next.push(reached);
                        }
                        Some(&seen) if seen == d => {
                            rings.into.entry(reached).or_default().push(step)
                        }
                        Some(_) => {}
                    }
                }
            }
            ring = next;
        }
        rings
    }
}

/// How much a search did, for `--explain`: entities expanded and relations examined.
/// The caller owns it and hands it to the walkers that should count.
#[derive(Debug, Default)]
pub struct Work {
    expanded: Cell<u64>,
    examined: Cell<u64>,
}

impl Work {
    /// One entity expanded, with `relations` relations looked at.
    pub fn count(&self, relations: usize) {
        self.examine(relations, true);
    }

    /// `relations` more relations looked at, and one more entity expanded if
    /// `expanded` (an entity whose relations are looked at in several parts).
    pub fn examine(&self, relations: usize, expanded: bool) {
        self.expanded.set(self.expanded.get() + u64::from(expanded));
        self.examined.set(self.examined.get() + relations as u64);
    }

    /// Entities expanded so far.
    pub fn expanded(&self) -> u64 {
        self.expanded.get()
    }

    /// Relations examined so far.
    pub fn examined(&self) -> u64 {
        self.examined.get()
    }
}
