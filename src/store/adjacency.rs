//! Compressed adjacency (CSR) derived from the store's `StableDiGraph`, for the
//! searches: every relation appears in the list of each of its ends (once for a
//! self-loop), each list in relation-id order, all lists in one array. Walking it reads
//! memory in order, where the StableGraph's linked edge lists jump about: at ten
//! million relations that is the difference between hundreds and thousands of paths a
//! second. Beside each entry lie its relation's type, days, status and grade, so that
//! a filtered or chronological search reads them in order too instead of looking each
//! relation up. It is built on first use after a load or change, in two passes over
//! the relations (count, then fill).

use bytemuck::{Pod, Zeroable};
use std::sync::OnceLock;

use foldhash::HashMap;

use super::columns::Column;
use crate::model::{Day, EntityId, Grade, RelationFacts, RelationId, Status, TypeId};

/// One relation in an entity's list: the entity at its other end, whether the
/// relation is stored from this entity (forward) or to it, and what searches filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incidence {
    pub relation: RelationId,
    pub other: EntityId,
    pub forward: bool,
    pub facts: PackedFacts,
}

/// A relation's [`RelationFacts`] in 12 bytes, as the adjacency holds them beside each
/// of its entries.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct PackedFacts {
    earliest: i32,
    latest: i32,
    rtype: u16,
    /// [`Status::code`], with [`UNDATED`] set for a relation without a date.
    status: u8,
    /// 0 for none, else [`Grade::code`].
    grade: u8,
}

/// The bit of [`PackedFacts::status`] that marks an undated relation.
const UNDATED: u8 = 0x80;

impl PackedFacts {
    pub fn pack(facts: &RelationFacts) -> PackedFacts {
        let (earliest, latest) = facts.days.unwrap_or((0, 0));
        PackedFacts {
            earliest,
            latest,
            rtype: facts.rtype.0,
            status: facts.status.code() | if facts.days.is_none() { UNDATED } else { 0 },
            grade: facts.grade.map_or(0, Grade::code),
        }
    }

    /// The first and last day (`None`: undated), read without the rest.
    pub fn days(self) -> Option<(Day, Day)> {
        (self.status & UNDATED == 0).then_some((self.earliest, self.latest))
    }

    /// The facts, if every code is in range (a damaged file read in place could hold
    /// anything); the type is not checked against the store's types.
    pub fn unpack(self) -> Option<RelationFacts> {
        let grade = match self.grade {
            0 => None,
            code => Some(Grade::from_code(code)?),
        };
        let undated = self.status & UNDATED != 0;
        Some(RelationFacts {
            rtype: TypeId(self.rtype),
            days: (!undated).then_some((self.earliest, self.latest)),
            status: Status::from_code(self.status & !UNDATED)?,
            grade,
        })
    }
}

/// Orders the positions `list` by the entity at their other end in `others`, then by
/// position (one 8-byte key each).
fn order_by_other(list: &mut [u32], others: &[u32]) {
    if list.len() > 1 {
        list.sort_unstable_by_key(|&p| {
            let other = others.get(p as usize).copied().unwrap_or(u32::MAX);
            (u64::from(other) << 32) | u64::from(p)
        });
    }
}

/// The lists of relations of every entity, built or read in place from a file.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    /// `offsets[n]..offsets[n + 1]` is the list of entity `n`.
    offsets: Column<u32>,
    others: Column<u32>,
    relations: Column<u32>,
    /// Bit i set: entry i is forward.
    forward: Column<u64>,
    facts: Column<PackedFacts>,
    /// Entries added to a store read in place, by entity, after its list in the
    /// arrays (their relations' ids are past every id there).
    extra: HashMap<EntityId, Vec<Incidence>>,
    /// Bit r set: relation r was removed from a store read in place, and its entries in
    /// the arrays are passed over (empty: none was).
    hidden: Vec<u64>,
    /// How many of each entity's entries in the arrays are hidden.
    hidden_entries: HashMap<EntityId, u32>,
    /// The facts of relations changed since the arrays were laid out, by id, read
    /// instead of those beside their entries.
    changed: HashMap<u32, PackedFacts>,
    /// One past the highest entity id: an entry naming one beyond (only a damaged
    /// file read in place could hold it) is skipped.
    bound: u32,
    /// Each list's positions ordered by the entity at the other end, then by position:
    /// `by_other[span(e)]` is a permutation of `span(e)`, so that the relations between
    /// two entities are found by halving (read from a file of format 7, or laid out on
    /// first use).
    by_other: OnceLock<Column<u32>>,
    /// Whether searches should halve lists through `by_other` when it is not laid out
    /// yet ([`Adjacency::orders_by_other`]): not for the lists of a file written before
    /// it held them (a search then reads the lists whole, as it did, rather than lay
    /// out the order of millions of entries first; a save still lays it out).
    by_other_on_demand: bool,
}

impl Adjacency {
    /// Builds the lists of `bound` entity slots from the relations `(from, to, id,
    /// facts)`, given in id order, in two passes. O(E + V) time and memory.
    pub fn build<I>(bound: usize, edges: I) -> Adjacency
    where
        I: Iterator<Item = (EntityId, EntityId, RelationId, RelationFacts)> + Clone,
    {
        let mut counts = vec![0u32; bound + 1];
        // Ends out of range (only in a damaged file, which the load refuses) are skipped.
        let in_range = |&(a, b, _, _): &(EntityId, EntityId, RelationId, RelationFacts)| {
            (a.0 as usize) < bound && (b.0 as usize) < bound
        };
        for (a, b, _, _) in edges.clone().filter(in_range) {
            counts[a.0 as usize] += 1;
            if a != b {
                counts[b.0 as usize] += 1;
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
        let mut packed = vec![PackedFacts::zeroed(); len];
        // The relations come in id order, so every list is sorted by id.
        for (a, b, id, facts) in edges.filter(in_range) {
            let (a, b, id, facts) = (a.0 as usize, b.0 as usize, id.0, PackedFacts::pack(&facts));
            let i = cursor[a] as usize;
            others[i] = b as u32;
            relations[i] = id;
            forward[i / 64] |= 1 << (i % 64);
            packed[i] = facts;
            cursor[a] += 1;
            if a != b {
                let j = cursor[b] as usize;
                others[j] = a as u32;
                relations[j] = id;
                packed[j] = facts;
                cursor[b] += 1;
            }
        }
        Adjacency::laid_out(
            bound,
            [offsets, others, relations].map(Column::Owned),
            Column::Owned(forward),
            Column::Owned(packed),
        )
    }

    /// These lists with the relations `(from, to, id, facts)` added after them, their
    /// ids past every id here and in id order.
    pub fn extended(
        &self,
        added: impl Iterator<Item = (EntityId, EntityId, RelationId, RelationFacts)>,
    ) -> Adjacency {
        let mut extended = self.clone();
        for (from, to, relation, facts) in added {
            let facts = PackedFacts::pack(&facts);
            let entry = |other, forward| Incidence {
                relation,
                other,
                forward,
                facts,
            };
            extended
                .extra
                .entry(from)
                .or_default()
                .push(entry(to, true));
            if from != to {
                extended
                    .extra
                    .entry(to)
                    .or_default()
                    .push(entry(from, false));
            }
        }
        extended
    }

    /// These lists without the entries of the relations `removed` (id, from, to), which
    /// are in the arrays.
    pub fn hiding(
        mut self,
        removed: impl Iterator<Item = (RelationId, EntityId, EntityId)>,
    ) -> Adjacency {
        for (id, from, to) in removed {
            *self.hidden_entries.entry(from).or_default() += 1;
            if from != to {
                *self.hidden_entries.entry(to).or_default() += 1;
            }
            let word = id.0 as usize / 64;
            if self.hidden.len() <= word {
                self.hidden.resize(word + 1, 0);
            }
            self.hidden[word] |= 1 << (id.0 % 64);
        }
        self
    }

    /// These lists with the facts of the relations `changed` (id, facts) read instead
    /// of those beside their entries in the arrays.
    pub fn changing(
        mut self,
        changed: impl Iterator<Item = (RelationId, RelationFacts)>,
    ) -> Adjacency {
        self.changed
            .extend(changed.map(|(id, facts)| (id.0, PackedFacts::pack(&facts))));
        self
    }

    /// The facts of entry `i` of the arrays, those of its relation's change if any.
    fn facts_at(&self, i: usize) -> PackedFacts {
        match self.changed.is_empty() {
            true => self.facts[i],
            false => (self.changed.get(&self.relations[i]).copied()).unwrap_or(self.facts[i]),
        }
    }

    /// Whether relation `id`'s entries are passed over.
    fn is_hidden(&self, id: u32) -> bool {
        !self.hidden.is_empty()
            && (self.hidden.get(id as usize / 64)).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    /// The adjacency of `bound` entities in arrays read from a file, if their shapes
    /// agree: an offset per entity and one more, in order, the last the length of the
    /// entries.
    pub fn in_place(
        bound: usize,
        offsets: Column<u32>,
        others: Column<u32>,
        relations: Column<u32>,
        forward: Column<u64>,
        facts: Column<PackedFacts>,
        by_other: Option<Column<u32>>,
    ) -> Result<Adjacency, String> {
        let len = others.len();
        let fits = offsets.len() == bound + 1
            && offsets.first() == Some(&0)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.last().map(|&l| l as usize) == Some(len)
            && relations.len() == len
            && forward.len() == len.div_ceil(64)
            && facts.len() == len;
        if !fits {
            return Err("the adjacency arrays do not fit together".to_string());
        }
        let mut adjacency =
            Adjacency::laid_out(bound, [offsets, others, relations], forward, facts);
        adjacency.by_other_on_demand = false;
        if let Some(by_other) = by_other {
            if by_other.len() != len {
                return Err("the adjacency's order by entity does not fit its lists".to_string());
            }
            adjacency.by_other = OnceLock::from(by_other);
        }
        Ok(adjacency)
    }

    /// The lists in `arrays` (offsets, other ends, relations), `forward` and `facts`,
    /// of `bound` entities, with nothing added, hidden or changed beside them.
    fn laid_out(
        bound: usize,
        arrays: [Column<u32>; 3],
        forward: Column<u64>,
        facts: Column<PackedFacts>,
    ) -> Adjacency {
        let [offsets, others, relations] = arrays;
        Adjacency {
            offsets,
            others,
            relations,
            forward,
            facts,
            extra: HashMap::default(),
            hidden: Vec::new(),
            hidden_entries: HashMap::default(),
            changed: HashMap::default(),
            bound: bound as u32,
            by_other: OnceLock::new(),
            by_other_on_demand: true,
        }
    }

    /// Each list's positions ordered by the entity at the other end (then by
    /// position), laid out now if it was not read from the file: O(E log d).
    pub fn by_other(&self) -> &[u32] {
        self.by_other.get_or_init(|| {
            let mut order: Vec<u32> = (0..self.others.len() as u32).collect();
            for w in self.offsets.windows(2) {
                if let Some(list) = order.get_mut(w[0] as usize..w[1] as usize) {
                    order_by_other(list, &self.others);
                }
            }
            Column::Owned(order)
        })
    }

    /// Whether [`Adjacency::between`] finds relations by halving (the lists of a file
    /// written before the order by entity was kept are read whole instead).
    pub fn orders_by_other(&self) -> bool {
        self.by_other_on_demand || self.by_other.get().is_some()
    }

    /// Whether each list's order by entity is a permutation of the list, ordered by
    /// other end and then position (`kg check`; a damaged order would only lose
    /// relations to the searches).
    pub fn by_other_is_sound(&self) -> bool {
        let order = self.by_other();
        let mut seen = vec![false; order.len()];
        self.offsets.windows(2).all(|w| {
            let span = w[0] as usize..w[1] as usize;
            let Some(list) = order.get(span.clone()) else {
                return false;
            };
            let key = |p: u32| (self.others.get(p as usize).copied(), p);
            list.iter().all(|&p| {
                span.contains(&(p as usize)) && !std::mem::replace(&mut seen[p as usize], true)
            }) && list.windows(2).all(|q| key(q[0]) < key(q[1]))
        })
    }

    /// The relations between `entity` and `other` (either way), in relation-id order,
    /// found by halving `entity`'s list ordered by other end: O(log d), where reading
    /// the list for them is O(d).
    pub fn between(
        &self,
        entity: EntityId,
        other: EntityId,
    ) -> impl Iterator<Item = Incidence> + '_ {
        let span = self.span(entity);
        let order = self.by_other().get(span.clone()).unwrap_or(&[]);
        let key = |p: &u32| self.others.get(*p as usize).copied().unwrap_or(u32::MAX);
        let start = order.partition_point(|p| key(p) < other.0);
        let run = order.get(start..).unwrap_or(&[]);
        let run = &run[..run.partition_point(|p| key(p) == other.0)];
        let extra = match self.extra.is_empty() {
            true => &[][..],
            false => self.extra.get(&entity).map_or(&[][..], Vec::as_slice),
        };
        run.iter()
            .map(|&p| p as usize)
            .filter(move |&i| {
                span.contains(&i) && other.0 < self.bound && !self.is_hidden(self.relations[i])
            })
            .map(move |i| Incidence {
                relation: RelationId(self.relations[i]),
                other,
                forward: self
                    .forward
                    .get(i / 64)
                    .is_some_and(|w| w & (1 << (i % 64)) != 0),
                facts: self.facts_at(i),
            })
            .chain(extra.iter().copied().filter(move |inc| inc.other == other))
    }

    /// The arrays, for writing: offsets, other ends, relations, direction bits and
    /// facts.
    #[allow(clippy::type_complexity)]
    pub fn arrays(&self) -> (&[u32], &[u32], &[u32], &[u64], &[PackedFacts]) {
        (
            &self.offsets,
            &self.others,
            &self.relations,
            &self.forward,
            &self.facts,
        )
    }

    /// The positions of `entity`'s list in the arrays.
    fn span(&self, entity: EntityId) -> std::ops::Range<usize> {
        let n = entity.0 as usize;
        match (self.offsets.get(n), self.offsets.get(n + 1)) {
            (Some(&s), Some(&e)) => s as usize..e as usize,
            _ => 0..0,
        }
    }

    /// The relations of `entity`, in relation-id order.
    pub fn of(&self, entity: EntityId) -> impl Iterator<Item = Incidence> + '_ {
        self.of_entering(entity, |_| true)
    }

    /// The relations of `entity` whose other end `enter` allows, in relation-id order:
    /// the rest of an entry is read only for those (a search confined to a few
    /// entities reads little more than a hub's list of other ends).
    pub fn of_entering<'s>(
        &'s self,
        entity: EntityId,
        enter: impl Fn(EntityId) -> bool + Copy + 's,
    ) -> impl Iterator<Item = Incidence> + 's {
        let (others, relations, forward, facts) = (
            &self.others[..],
            &self.relations[..],
            &self.forward[..],
            &self.facts[..],
        );
        let extra = match self.extra.is_empty() {
            true => &[][..],
            false => self.extra.get(&entity).map_or(&[][..], Vec::as_slice),
        };
        self.span(entity)
            .filter(move |&i| {
                others[i] < self.bound
                    && !self.is_hidden(relations[i])
                    && enter(EntityId(others[i]))
            })
            .map(move |i| Incidence {
                relation: RelationId(relations[i]),
                other: EntityId(others[i]),
                forward: forward[i / 64] & (1 << (i % 64)) != 0,
                facts: match self.changed.is_empty() {
                    true => facts[i],
                    false => self.facts_at(i),
                },
            })
            .chain(extra.iter().copied().filter(move |inc| enter(inc.other)))
    }

    /// The entry at position `i` of the arrays.
    pub fn at(&self, i: usize) -> Option<Incidence> {
        let (other, relation, facts) = (
            *self.others.get(i)?,
            *self.relations.get(i)?,
            *self.facts.get(i)?,
        );
        (other < self.bound).then_some(Incidence {
            relation: RelationId(relation),
            other: EntityId(other),
            forward: self.forward.get(i / 64)? & (1 << (i % 64)) != 0,
            facts,
        })
    }

    /// The entity whose list holds position `i` of the arrays (found by halving the
    /// offsets: the last offset not past `i`, lists before it may be empty).
    pub fn owner(&self, i: usize) -> Option<EntityId> {
        let owner = self
            .offsets
            .partition_point(|&o| o as usize <= i)
            .checked_sub(1)?;
        let owner = EntityId(u32::try_from(owner).ok()?);
        self.holds(owner, i).then_some(owner)
    }

    /// Whether `entity`'s list holds position `i` of the arrays.
    pub fn holds(&self, entity: EntityId, i: usize) -> bool {
        entity.0 < self.bound && self.span(entity).contains(&i)
    }

    /// The entity that holds each relation's forward entry in its list, by relation id
    /// (`None` for an id no entry names), in one pass over the arrays.
    pub fn owners(&self, relation_bound: usize) -> Vec<Option<EntityId>> {
        let mut owners = vec![None; relation_bound];
        for e in 0..self.bound {
            for i in self.span(EntityId(e)) {
                let forward = self
                    .forward
                    .get(i / 64)
                    .is_some_and(|w| w & (1 << (i % 64)) != 0);
                if forward && let Some(owner) = owners.get_mut(self.relations[i] as usize) {
                    *owner = Some(EntityId(e));
                }
            }
        }
        owners
    }

    /// The facts of every relation once, from its entry in the list of the entity it
    /// is stored from (the arrays' entries, then the added ones), in no set order.
    pub fn stored_facts(&self) -> impl Iterator<Item = PackedFacts> + '_ {
        let bound = self.bound;
        let forward =
            |i: usize| (self.forward.get(i / 64)).is_some_and(|w| w & (1 << (i % 64)) != 0);
        let laid_out = (0..self.others.len())
            .filter(move |&i| {
                self.others[i] < bound && forward(i) && !self.is_hidden(self.relations[i])
            })
            .map(|i| self.facts_at(i));
        let added = (self.extra.values().flatten())
            .filter(|inc| inc.forward)
            .map(|inc| inc.facts);
        laid_out.chain(added)
    }

    /// Whether these lists are all in the arrays, one for each of `bound` entities.
    pub fn is_laid_out(&self, bound: usize) -> bool {
        self.extra.is_empty()
            && self.hidden.is_empty()
            && self.changed.is_empty()
            && self.bound as usize == bound
    }

    /// These lists, with the entries added after them, as arrays of `bound` entities.
    pub fn merged(&self, bound: usize) -> Adjacency {
        let (mut offsets, mut others, mut relations, mut facts) = (
            Vec::with_capacity(bound + 1),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        let mut forward: Vec<u64> = Vec::new();
        let mut by_other: Vec<u32> = Vec::new();
        for e in 0..bound as u32 {
            let start = others.len();
            offsets.push(start as u32);
            for inc in self.of(EntityId(e)) {
                let i = others.len();
                if i % 64 == 0 {
                    forward.push(0);
                }
                if inc.forward {
                    forward[i / 64] |= 1 << (i % 64);
                }
                others.push(inc.other.0);
                relations.push(inc.relation.0);
                facts.push(inc.facts);
            }
            // The list's order by other end, while the list is in cache.
            by_other.extend(start as u32..others.len() as u32);
            order_by_other(&mut by_other[start..], &others);
        }
        offsets.push(others.len() as u32);
        let merged = Adjacency::laid_out(
            bound,
            [offsets, others, relations].map(Column::Owned),
            Column::Owned(forward),
            Column::Owned(facts),
        );
        merged.by_other.get_or_init(|| Column::Owned(by_other));
        merged
    }

    /// How many relations `entity` has.
    pub fn degree(&self, entity: EntityId) -> usize {
        let extra = match self.extra.is_empty() {
            true => 0,
            false => self.extra.get(&entity).map_or(0, Vec::len),
        };
        let hidden = match self.hidden_entries.is_empty() {
            true => 0,
            false => self.hidden_entries.get(&entity).map_or(0, |&n| n as usize),
        };
        (self.span(entity).len() + extra).saturating_sub(hidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relations among 6 entities, many between 0 and 1 both ways, in id order.
    fn edges() -> Vec<(EntityId, EntityId, RelationId, RelationFacts)> {
        let pairs = [
            (0, 1),
            (2, 0),
            (1, 0),
            (0, 0),
            (0, 3),
            (1, 0),
            (4, 1),
            (0, 1),
            (3, 0),
        ];
        (pairs.iter().enumerate())
            .map(|(id, &(a, b))| {
                let facts = RelationFacts {
                    rtype: TypeId(0),
                    days: Some((id as Day, id as Day + 3)),
                    status: Status::default(),
                    grade: None,
                };
                (EntityId(a), EntityId(b), RelationId(id as u32), facts)
            })
            .collect()
    }

    /// What `between` must give: the list filtered by other end.
    fn read_whole(adjacency: &Adjacency, a: u32, b: u32) -> Vec<Incidence> {
        (adjacency.of(EntityId(a)))
            .filter(|inc| inc.other == EntityId(b))
            .collect()
    }

    fn agrees(adjacency: &Adjacency) {
        assert!(adjacency.by_other_is_sound());
        for a in 0..6 {
            for b in 0..6 {
                let halved: Vec<Incidence> = adjacency.between(EntityId(a), EntityId(b)).collect();
                assert_eq!(halved, read_whole(adjacency, a, b), "{a} to {b}");
            }
        }
    }

    #[test]
    fn the_relations_between_two_entities_are_found_by_halving() {
        let edges = edges();
        let built = Adjacency::build(6, edges.iter().copied());
        agrees(&built);
        assert_eq!(built.between(EntityId(0), EntityId(1)).count(), 4);
        assert_eq!(built.between(EntityId(0), EntityId(0)).count(), 1);
        // With relations added beside the arrays, some removed and one changed.
        let added = [(EntityId(5), EntityId(0), RelationId(9), edges[0].3)];
        let mut facts = edges[1].3;
        facts.days = Some((40, 50));
        let changed = built
            .extended(added.into_iter())
            .hiding([(RelationId(2), EntityId(1), EntityId(0))].into_iter())
            .changing([(RelationId(7), facts)].into_iter());
        agrees(&changed);
        // Laid out again, with the order made list by list.
        let merged = changed.merged(6);
        agrees(&merged);
        let (offsets, others, relations, forward, facts) = merged.arrays();
        let plain = Adjacency::in_place(
            6,
            Column::Owned(offsets.to_vec()),
            Column::Owned(others.to_vec()),
            Column::Owned(relations.to_vec()),
            Column::Owned(forward.to_vec()),
            Column::Owned(facts.to_vec()),
            None,
        )
        .expect("the arrays fit");
        assert!(!plain.orders_by_other());
        assert_eq!(merged.by_other(), plain.by_other());
        assert_eq!(changed.between(EntityId(0), EntityId(1)).count(), 3);
        assert_eq!(changed.between(EntityId(0), EntityId(5)).count(), 1);
    }

    #[test]
    fn an_order_by_entity_that_does_not_order_the_lists_is_found() {
        let built = Adjacency::build(6, edges().into_iter());
        let (offsets, others, relations, forward, facts) = built.arrays();
        let read = |order: Vec<u32>| {
            Adjacency::in_place(
                6,
                Column::Owned(offsets.to_vec()),
                Column::Owned(others.to_vec()),
                Column::Owned(relations.to_vec()),
                Column::Owned(forward.to_vec()),
                Column::Owned(facts.to_vec()),
                Some(Column::Owned(order)),
            )
        };
        let good = built.by_other().to_vec();
        assert!(
            read(good.clone())
                .expect("the arrays fit")
                .by_other_is_sound()
        );
        let mut swapped = good.clone();
        swapped.swap(0, 1);
        assert!(!read(swapped).expect("the arrays fit").by_other_is_sound());
        let mut outside = good.clone();
        outside[0] = good.len() as u32 - 1;
        let outside = read(outside).expect("the arrays fit");
        assert!(!outside.by_other_is_sound());
        // A damaged order loses relations to the searches, without a panic.
        let _ = outside.between(EntityId(0), EntityId(1)).count();
        assert!(read(good[1..].to_vec()).is_err());
    }
}
