//! The path engine against a brute-force oracle: on small random graphs (dated and
//! undated relations, directed and symmetric types, random selections), every simple
//! path is enumerated and each search mode is checked against that list.

use std::collections::BTreeSet;

use kg::Store;
use kg::algo::{Path, PathQuery, all_shortest_paths, k_shortest_paths, shortest_path};
use kg::model::{
    Day, Entity, EntityId, Kind, Relation, RelationId, RelationType, Status, TimeSpan, TypeId,
};
use kg::select::Selection;
use proptest::prelude::*;

const OPEN: Day = Day::MIN;

#[derive(Debug, Clone)]
struct Case {
    kinds: Vec<Kind>,
    /// (from, type, to, date as written)
    relations: Vec<(usize, usize, usize, String)>,
    symmetric: [bool; 3],
    from: usize,
    to: usize,
    types: Option<Vec<usize>>,
    kind_filter: Vec<Kind>,
    window: Option<(String, String)>,
    strict: bool,
    directed: bool,
    max_hops: Option<usize>,
}

fn date() -> impl Strategy<Value = String> {
    let day = (1u32..=20).prop_map(|d| format!("2025-01-{d:02}"));
    prop_oneof![
        2 => Just(String::new()),
        3 => day.clone(),
        1 => day.clone().prop_map(|d| format!("..{d}")),
        1 => day.clone().prop_map(|d| format!("{d}..")),
        2 => (day.clone(), day).prop_map(|(a, b)| if a <= b { format!("{a}..{b}") } else { format!("{b}..{a}") }),
        1 => Just("2025-01".to_string()),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..8).prop_flat_map(|n| {
        let kinds = prop::collection::vec(
            prop::sample::select(vec![Kind::Person, Kind::Organization, Kind::Country]),
            n,
        );
        let relations = prop::collection::vec((0..n, 0usize..3, 0..n, date()), 0..16);
        let window = prop::option::weighted(
            0.3,
            ((1u32..=20), (1u32..=20)).prop_map(|(a, b)| {
                let (a, b) = (a.min(b), a.max(b));
                (format!("2025-01-{a:02}"), format!("2025-01-{b:02}"))
            }),
        );
        (
            kinds,
            relations,
            any::<[bool; 3]>(),
            0..n,
            0..n,
            prop::option::weighted(0.3, prop::collection::vec(0usize..3, 1..3)),
            prop::collection::vec(
                prop::sample::select(vec![Kind::Person, Kind::Organization]),
                0..2,
            ),
            window,
            any::<bool>(),
            any::<bool>(),
            prop::option::weighted(0.3, 0usize..4),
        )
            .prop_map(
                |(
                    kinds,
                    relations,
                    symmetric,
                    from,
                    to,
                    types,
                    kind_filter,
                    window,
                    strict,
                    directed,
                    max_hops,
                )| Case {
                    kinds,
                    relations,
                    symmetric,
                    from,
                    to,
                    types,
                    kind_filter,
                    window,
                    strict,
                    directed,
                    max_hops,
                },
            )
    })
}

struct Built {
    store: Store,
    ids: Vec<EntityId>,
    selection: Selection,
    query: PathQuery,
}

fn build(case: &Case) -> Built {
    let mut store = Store::new();
    for (i, symmetric) in case.symmetric.iter().enumerate() {
        store
            .add_type(RelationType {
                symmetric: *symmetric,
                ..RelationType::directed(format!("t{i}"))
            })
            .expect("a type");
    }
    let ids: Vec<EntityId> = case
        .kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            store
                .add_entity(Entity::new(format!("e{i}"), k.clone()))
                .expect("an entity")
        })
        .collect();
    for (from, rtype, to, date) in &case.relations {
        let mut r = Relation::new(TypeId(*rtype as u16));
        r.when = TimeSpan::parse(date).expect("a date");
        r.status = Status::Reported;
        store
            .add_relation(ids[*from], ids[*to], r)
            .expect("a relation");
    }
    let mut selection = Selection::all();
    if let Some(types) = &case.types {
        selection = selection.with_types(types.iter().map(|&t| TypeId(t as u16)));
    }
    selection.kinds = case.kind_filter.clone();
    if let Some((a, b)) = &case.window {
        selection = selection.with_window(TimeSpan::parse(a).ok(), TimeSpan::parse(b).ok());
        selection.strict = case.strict;
    }
    let query = PathQuery {
        directed: case.directed,
        max_hops: case.max_hops,
        chronological: false,
    };
    Built {
        store,
        ids,
        selection,
        query,
    }
}

type Walk = Vec<(RelationId, EntityId)>;

/// Every simple path from `from` to `to` the selection and direction allow, by brute force.
fn all_simple_paths(b: &Built, from: EntityId, to: EntityId) -> Vec<Walk> {
    let mut out = Vec::new();
    let mut visited = vec![from];
    let mut walk = Vec::new();
    dfs(b, from, to, &mut visited, &mut walk, &mut out);
    out
}

fn dfs(
    b: &Built,
    at: EntityId,
    to: EntityId,
    visited: &mut Vec<EntityId>,
    walk: &mut Walk,
    out: &mut Vec<Walk>,
) {
    if at == to {
        out.push(walk.clone());
        return;
    }
    if b.query.max_hops.is_some_and(|m| walk.len() >= m) {
        return;
    }
    for r in b.store.relations() {
        if !b.selection.allows_relation(&r.relation) || r.from == r.to {
            continue;
        }
        let symmetric = b.store.relation_type(r.relation.rtype).symmetric;
        let next = if r.from == at {
            r.to
        } else if r.to == at && (!b.query.directed || symmetric) {
            r.from
        } else {
            continue;
        };
        let allowed = next == to
            || b.store
                .entity(next)
                .is_some_and(|e| b.selection.allows_entity(&e));
        if !allowed || visited.contains(&next) {
            continue;
        }
        visited.push(next);
        walk.push((r.id, next));
        dfs(b, next, to, visited, walk, out);
        walk.pop();
        visited.pop();
    }
}

/// The arrival day of a walk taken as early as possible, or `None` if no dates fit.
fn arrival(b: &Built, walk: &Walk) -> Option<Day> {
    let mut t = OPEN;
    for (r, _) in walk {
        let when = b.store.relation(*r)?.relation.when;
        if when.is_undated() {
            continue;
        }
        t = t.max(when.earliest());
        if t > when.latest() {
            return None;
        }
    }
    Some(t)
}

fn walk_of(p: &Path) -> Walk {
    p.steps.iter().map(|s| (s.relation, s.to)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_mode_agrees_with_brute_force(case in case()) {
        let b = build(&case);
        let (from, to) = (b.ids[case.from], b.ids[case.to]);
        let oracle = all_simple_paths(&b, from, to);
        let min = oracle.iter().map(Vec::len).min();

        // Shortest.
        let found = shortest_path(&b.store, from, to, &b.selection, b.query);
        prop_assert_eq!(found.as_ref().map(Path::hops), min);
        if let Some(p) = &found {
            prop_assert!(oracle.contains(&walk_of(p)), "not a real path: {:?}", p);
        }

        // All shortest.
        let (all, more) = all_shortest_paths(&b.store, from, to, &b.selection, b.query);
        prop_assert!(!more);
        let got: BTreeSet<Walk> = all.iter().map(walk_of).collect();
        let want: BTreeSet<Walk> = oracle.iter().filter(|w| Some(w.len()) == min).cloned().collect();
        prop_assert_eq!(got.len(), all.len(), "duplicates in --all");
        prop_assert_eq!(got, want);

        // k shortest: distinct real paths whose lengths are the k smallest.
        let mut lengths: Vec<usize> = oracle.iter().map(Vec::len).collect();
        lengths.sort();
        for k in 1..=6 {
            let paths = k_shortest_paths(&b.store, from, to, &b.selection, b.query, k);
            let walks: Vec<Walk> = paths.iter().map(walk_of).collect();
            let distinct: BTreeSet<&Walk> = walks.iter().collect();
            prop_assert_eq!(distinct.len(), walks.len(), "duplicates in -k {}", k);
            for w in &walks {
                prop_assert!(oracle.contains(w), "-k {} gave a path that is not real: {:?}", k, w);
            }
            let got: Vec<usize> = walks.iter().map(Vec::len).collect();
            prop_assert_eq!(&got[..], &lengths[..k.min(lengths.len())], "-k {}", k);
        }

        // Chronological: feasibility and optimality (fewest hops, then earliest arrival).
        let chrono = PathQuery { chronological: true, ..b.query };
        let feasible: Vec<(Walk, Day)> = oracle.iter().filter_map(|w| Some((w.clone(), arrival(&b, w)?))).collect();
        let fewest = feasible.iter().map(|(w, _)| w.len()).min();
        let found = shortest_path(&b.store, from, to, &b.selection, chrono);
        prop_assert_eq!(found.as_ref().map(Path::hops), fewest);
        if let Some(p) = &found {
            let w = walk_of(p);
            prop_assert!(oracle.contains(&w));
            let earliest = feasible.iter().filter(|(w, _)| Some(w.len()) == fewest).map(|(_, t)| *t).min();
            prop_assert_eq!(arrival(&b, &w), earliest, "not the earliest arrival");
            // The days shown are non-decreasing and inside each relation's dates.
            let mut last = OPEN;
            for s in &p.steps {
                if let Some(day) = s.at {
                    let when = b.store.relation(s.relation).map(|r| r.relation.when).unwrap_or_default();
                    prop_assert!(when.contains(day) && day >= last);
                    last = day;
                }
            }
        }
        let (all, _) = all_shortest_paths(&b.store, from, to, &b.selection, chrono);
        let got: BTreeSet<Walk> = all.iter().map(walk_of).collect();
        let want: BTreeSet<Walk> = feasible.iter().filter(|(w, _)| Some(w.len()) == fewest).map(|(w, _)| w.clone()).collect();
        prop_assert_eq!(got, want);
        let mut lengths: Vec<usize> = feasible.iter().map(|(w, _)| w.len()).collect();
        lengths.sort();
        for k in [1, 3, 6] {
            let paths = k_shortest_paths(&b.store, from, to, &b.selection, chrono, k);
            let got: Vec<usize> = paths.iter().map(Path::hops).collect();
            prop_assert_eq!(&got[..], &lengths[..k.min(lengths.len())], "chronological -k {}", k);
            for p in &paths {
                prop_assert!(arrival(&b, &walk_of(p)).is_some(), "chronological -k gave an out-of-order path");
            }
        }

        // petgraph's own Dijkstra on the selection's view agrees where it applies
        // (forward-only walks over directed types).
        if b.query.directed && !case.symmetric.iter().any(|&s| s) && b.query.max_hops.is_none() && from != to {
            let entities = b.selection.entity_view(&b.store, &[from, to]);
            let view = b.selection.view(&entities);
            let costs = petgraph::algo::dijkstra(&view, b.store.node_index(from).unwrap(), b.store.node_index(to), |_| 1usize);
            prop_assert_eq!(costs.get(&b.store.node_index(to).unwrap()).copied(), min);
        }
    }
}

#[test]
fn a_path_only_out_of_date_order_is_refused() {
    let store = kg::bundled_graph().expect("the bundled graph");
    let from = store.resolve("Russian state media").expect("a name");
    let to = store.resolve("Ratcliffe").expect("a name");
    let types = ["told", "contacted"].map(|t| store.find_type(t).expect("a type"));
    let selection = Selection::all().with_types(types);
    let plain = shortest_path(&store, from, to, &selection, PathQuery::default());
    assert_eq!(plain.map(|p| p.hops()), Some(2));
    let chrono = PathQuery {
        chronological: true,
        ..PathQuery::default()
    };
    assert_eq!(shortest_path(&store, from, to, &selection, chrono), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// On larger graphs with hubs, the bidirectional search finds paths as short as the
    /// one-sided ring search (which --all uses), and real ones.
    #[test]
    fn bidirectional_search_matches_ring_search(
        edges in prop::collection::vec((0usize..60, 0usize..300, 0usize..2, any::<bool>(), date()), 50..600),
        pairs in prop::collection::vec((0usize..300, 0usize..300), 10),
        directed in any::<bool>(),
        kinds in any::<bool>(),
    ) {
        let mut store = Store::new();
        store.add_type(RelationType::directed("d")).expect("a type");
        store.add_type(RelationType { symmetric: true, ..RelationType::directed("s") }).expect("a type");
        let kind = |i: usize| if i.is_multiple_of(7) { Kind::Organization } else { Kind::Person };
        let ids: Vec<EntityId> = (0..300).map(|i| store.add_entity(Entity::new(format!("e{i}"), kind(i))).expect("an entity")).collect();
        // Low ids are hubs: one end of every edge is drawn from the first 60.
        for (hub, other, t, flip, date) in edges {
            let (a, b) = if flip { (ids[other], ids[hub]) } else { (ids[hub], ids[other]) };
            let mut r = Relation::new(TypeId(t as u16));
            r.when = TimeSpan::parse(&date).expect("a date");
            store.add_relation(a, b, r).expect("a relation");
        }
        let mut selection = Selection::all();
        if kinds {
            selection.kinds = vec![Kind::Person];
        }
        let query = PathQuery { directed, ..PathQuery::default() };
        for (a, b) in pairs {
            let (from, to) = (ids[a], ids[b]);
            let fast = shortest_path(&store, from, to, &selection, query);
            // One-sided breadth-first rings give the reference distance.
            let walker = kg::algo::Walker::new(&store, &selection, directed, &[from, to]);
            let distance = walker.rings(from, None, Some(to)).distance.get(&to).copied();
            prop_assert_eq!(fast.as_ref().map(Path::hops), distance);
            let (all, more) = all_shortest_paths(&store, from, to, &selection, query);
            prop_assert_eq!(all.first().map(Path::hops), distance);
            if let Some(p) = fast && !more {
                prop_assert!(all.iter().any(|r| r.steps == p.steps), "not one of the shortest paths: {:?}", p);
            }
            // Chronological: met in the middle, then searched inside, against the
            // one-sided exact search (the first of Yen's paths): the same hops and the
            // same arrival (which of several equal paths comes back is not specified).
            let chrono = PathQuery { chronological: true, ..query };
            let arrival = |p: &Path| p.steps.iter().filter_map(|s| s.at).max();
            let met = shortest_path(&store, from, to, &selection, chrono);
            let one_sided = k_shortest_paths(&store, from, to, &selection, chrono, 1);
            prop_assert_eq!(met.as_ref().map(Path::hops), one_sided.first().map(Path::hops));
            prop_assert_eq!(met.as_ref().map(arrival), one_sided.first().map(arrival));
        }
    }
}

/// Open starts (`..2025-03`) fix no day, one after another or after an undated step:
/// each step of such a path says it may be taken any day up to its end.
#[test]
fn open_starts_in_a_row_fix_no_day() {
    let mut store = Store::new();
    let t = store
        .add_type(RelationType::directed("met"))
        .expect("a type");
    let ids: Vec<EntityId> = ["A", "B", "C", "D"]
        .iter()
        .map(|n| {
            store
                .add_entity(Entity::new(*n, Kind::Person))
                .expect("an entity")
        })
        .collect();
    for (i, date) in [Some("..2025-03"), None, Some("..2025-04")]
        .into_iter()
        .enumerate()
    {
        let mut r = Relation::new(t);
        if let Some(date) = date {
            r.when = TimeSpan::parse(date).expect("a date");
        }
        store
            .add_relation(ids[i], ids[i + 1], r)
            .expect("a relation");
    }
    let chrono = PathQuery {
        chronological: true,
        ..PathQuery::default()
    };
    let path = shortest_path(&store, ids[0], ids[3], &Selection::all(), chrono).expect("a path");
    assert_eq!(path.hops(), 3);
    assert!(path.steps.iter().all(|s| s.at.is_none()), "{path:?}");
}
