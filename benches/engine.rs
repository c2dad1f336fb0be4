//! Criterion benchmarks of the engine on synthetic event graphs: CSV import, open,
//! save, one added relation (open, add, append to the journal with fsync), and on the
//! database read in place as the command line reads it: shortest path (plain,
//! filtered, chronological, k = 3) and neighbours; the network measures (projecting
//! the graph, pagerank, betweenness from 20 sources, Louvain); a Cypher two-hop question
//! as one MATCH and as two joined by WITH, and a LIMIT that stops a whole-graph walk.
//!
//! ```text
//! cargo bench --bench engine                         # 100k relations
//! KG_BENCH_SIZES=100k,1m,10m cargo bench --bench engine
//! ```
//!
//! Sizes are relation counts (10 events per actor). Each size's data is generated
//! (benches/support/synthetic.rs), imported and saved once, outside the timings.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kg::Store;
use kg::algo::communities;
use kg::algo::measure::{self, Graph, Measure, NEVER, Settings};
use kg::algo::{PathFinder, PathQuery, k_shortest_paths, neighbors, shortest_path};
use kg::import::{self, Duplicates};
use kg::model::{EntityId, TimeSpan};
use kg::query::{Params, Value};
use kg::select::Selection;
use kg::source::{self, ReadOptions};
use kg::storage::Database;

struct Prepared {
    label: String,
    dir: tempfile::TempDir,
    store: Store,
    pairs: Vec<(EntityId, EntityId)>,
    filtered_pairs: Vec<(EntityId, EntityId)>,
}

fn relations_of(label: &str) -> usize {
    match label {
        "10m" => 10_000_000,
        "1m" => 1_000_000,
        _ => 100_000,
    }
}

fn prepare(label: &str) -> Prepared {
    let events = relations_of(label);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = synthetic::Config {
        actors: events / 10,
        events,
        seed: 42,
        zipf: 1.0,
    };
    let mut entities = std::io::BufWriter::new(
        std::fs::File::create(dir.path().join("entities.csv")).expect("create"),
    );
    let mut relations = std::io::BufWriter::new(
        std::fs::File::create(dir.path().join("relations.csv")).expect("create"),
    );
    let generated = synthetic::generate(config, &mut entities, &mut relations).expect("generate");
    drop((entities, relations));
    let store = import_files(dir.path());
    Database::new(dir.path().join("bench.kgdb"))
        .save(&store)
        .expect("save");
    let resolve = |pairs: Vec<(String, String)>| -> Vec<(EntityId, EntityId)> {
        pairs
            .into_iter()
            .filter_map(|(a, b)| Some((store.resolve(&a).ok()?, store.resolve(&b).ok()?)))
            .collect()
    };
    let pairs = resolve(synthetic::pairs(
        &generated.names,
        &generated.active,
        200,
        43,
    ));
    let filtered_pairs = resolve(synthetic::pairs(
        &generated.names,
        &generated.qualifying,
        20,
        44,
    ));
    Prepared {
        label: label.to_string(),
        dir,
        store,
        pairs,
        filtered_pairs,
    }
}

fn import_files(dir: &Path) -> Store {
    let mut batch = source::Batch::default();
    for file in ["entities.csv", "relations.csv"] {
        batch.extend(
            source::read_file(&dir.join(file), ReadOptions { strict: false }).expect("read"),
        );
    }
    let mut store = Store::new();
    import::apply(&mut store, batch, Duplicates::Skip).expect("import");
    store
}

fn sizes() -> Vec<String> {
    std::env::var("KG_BENCH_SIZES")
        .unwrap_or_else(|_| "100k".to_string())
        .split(',')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

fn filtered(store: &Store) -> Selection {
    let types = ["phoned", "met"].map(|t| store.find_type(t).expect("a generated type"));
    Selection::all().with_types(types).with_window(
        TimeSpan::parse("2020-01-01").ok(),
        TimeSpan::parse("2022-12-31").ok(),
    )
}

fn engine(c: &mut Criterion) {
    for label in sizes() {
        let p = prepare(&label);
        let db: PathBuf = p.dir.path().join("bench.kgdb");
        let heavy = relations_of(&p.label) >= 1_000_000;
        let mut group = c.benchmark_group("store");
        group.sample_size(10);
        if !heavy || label == "1m" {
            group.bench_function(BenchmarkId::new("import", &p.label), |b| {
                b.iter(|| black_box(import_files(p.dir.path())))
            });
        }
        group.bench_function(BenchmarkId::new("open", &p.label), |b| {
            b.iter(|| {
                let store = Database::new(&db).open().expect("open").store;
                black_box(store.adjacency().degree(EntityId(0)));
                store
            })
        });
        let out = p.dir.path().join("saved.kgdb");
        group.bench_function(BenchmarkId::new("save", &p.label), |b| {
            b.iter(|| Database::new(&out).save(&p.store).expect("save"))
        });
        // Each iteration adds one relation to a copy of the database (its journal grows
        // by a record an iteration, and is replayed in place by the next open).
        let copy = p.dir.path().join("added.kgdb");
        std::fs::copy(&db, &copy).expect("a copy");
        let (from, to) = p.pairs[0];
        group.bench_function(BenchmarkId::new("add_relation", &p.label), |b| {
            b.iter(|| {
                Database::new(&copy)
                    .write(|s| -> Result<_, kg::Error> {
                        let met = s.resolve_type("met")?;
                        Ok(s.add_relation(from, to, kg::model::Relation::new(met))?)
                    })
                    .expect("added")
            })
        });
        group.finish();

        // The searches read the database in place, as a command does.
        let opened = Database::new(&db).open().expect("open").store;
        let store = &opened;
        let all = Selection::all();
        let only = filtered(store);
        let mut group = c.benchmark_group("search");
        let mut finder = PathFinder::new(store, &all, PathQuery::default());
        let mut i = 0;
        group.bench_function(BenchmarkId::new("path", &p.label), |b| {
            b.iter(|| {
                let (from, to) = p.pairs[i % p.pairs.len()];
                i += 1;
                black_box(finder.shortest(from, to))
            })
        });
        let mut filtered_finder = PathFinder::new(store, &only, PathQuery::default());
        group.bench_function(BenchmarkId::new("path_filtered", &p.label), |b| {
            b.iter(|| {
                let (from, to) = p.filtered_pairs[i % p.filtered_pairs.len()];
                i += 1;
                black_box(filtered_finder.shortest(from, to))
            })
        });
        group.sample_size(10);
        let chronological = PathQuery {
            chronological: true,
            ..PathQuery::default()
        };
        group.bench_function(BenchmarkId::new("path_chronological", &p.label), |b| {
            b.iter(|| {
                let (from, to) = p.filtered_pairs[i % p.filtered_pairs.len()];
                i += 1;
                black_box(shortest_path(store, from, to, &all, chronological))
            })
        });
        group.bench_function(BenchmarkId::new("path_k3", &p.label), |b| {
            b.iter(|| {
                let (from, to) = p.pairs[i % p.pairs.len()];
                i += 1;
                black_box(k_shortest_paths(
                    store,
                    from,
                    to,
                    &all,
                    PathQuery::default(),
                    3,
                ))
            })
        });
        group.bench_function(BenchmarkId::new("neighbors", &p.label), |b| {
            b.iter(|| {
                let (from, _) = p.pairs[i % p.pairs.len()];
                i += 1;
                black_box(neighbors(store, from, &all, 1, false))
            })
        });
        group.finish();

        // The measures of `kg rank` and `kg communities`, on the graph projected from
        // the database as the commands project it.
        let mut group = c.benchmark_group("measures");
        group.sample_size(10);
        group.bench_function(BenchmarkId::new("project", &p.label), |b| {
            b.iter(|| black_box(Graph::new(store, &all, false, false)))
        });
        let graph = Graph::new(store, &all, false, false);
        let settings = Settings::default();
        group.bench_function(BenchmarkId::new("pagerank", &p.label), |b| {
            b.iter(|| black_box(measure::score(&graph, Measure::Pagerank, &settings, NEVER)))
        });
        let sampled = Settings {
            samples: Some((20, 1)),
            ..Settings::default()
        };
        group.bench_function(BenchmarkId::new("betweenness_20_sources", &p.label), |b| {
            b.iter(|| {
                black_box(measure::score(
                    &graph,
                    Measure::Betweenness,
                    &sampled,
                    NEVER,
                ))
            })
        });
        group.bench_function(BenchmarkId::new("louvain", &p.label), |b| {
            b.iter(|| black_box(communities::louvain(&graph, 1.0, 1e-7, 1)))
        });
        group.finish();

        // Cypher: a two-hop question written as one MATCH, and as two joined by a WITH
        // (which passes each row on as it comes), from the same actors in turn.
        let mut group = c.benchmark_group("query");
        let names: Vec<String> = p
            .pairs
            .iter()
            .map(|&(from, _)| store.name(from).to_string())
            .collect();
        for (variant, text) in [
            (
                "one_match",
                "MATCH (a {name: $name})-[:phoned]->(b)-[:met]-(c) RETURN count(*)",
            ),
            (
                "with_joined",
                "MATCH (a {name: $name})-[:phoned]->(b) WITH b MATCH (b)-[:met]-(c) RETURN count(*)",
            ),
            // LIMIT without sorting stops the walk once it has its rows; the count
            // walks every relation of the type (what LIMIT cost before it stopped).
            (
                "scan_limit_10",
                "MATCH (a)-[:phoned]->(b) RETURN a.name, b.name LIMIT 10",
            ),
            ("scan_count", "MATCH (a)-[:phoned]->(b) RETURN count(*)"),
        ] {
            let mut i = 0;
            group.bench_function(BenchmarkId::new(variant, &p.label), |b| {
                b.iter(|| {
                    let mut params = Params::new();
                    params.insert(
                        "name".to_string(),
                        Value::Str(names[i % names.len()].clone()),
                    );
                    i += 1;
                    black_box(kg::query::run(store, text, &params).expect("a query"))
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
