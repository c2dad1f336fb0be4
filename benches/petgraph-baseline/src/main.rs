//! What plain petgraph gives on kg's benchmark data, for `benches/compare_peers.py`.
//!
//! Reads `entities.csv` (`name,kind,...`) and `relations.csv` (`from,type,to,date`) as
//! written by `cargo run --release --example gen_events` into a
//! `StableGraph<Node, Edge>` plus a `HashMap<String, NodeIndex>`, saves it with bincode
//! 2 (serde), drops it and opens the file again (decode + name index: what opening a
//! petgraph-backed store costs), then answers `pairs.csv` and `filtered_pairs.csv`
//! (relations of type phoned or met dated 2020-01-01..2022-12-31) four ways:
//!
//! - breadth-first search over the `StableGraph` (`neighbors_undirected`, or
//!   `edges_directed` both ways with the filter), stopping when the target is reached;
//! - bidirectional breadth-first search over a CSR snapshot of both directions, built
//!   once after opening (its build time is reported apart).
//!
//! Relations are undirected for the search, as in kg's `path`. Writes one JSON object
//! (timings, path lengths per pair, -1 for none) to `--out`.
//!
//! usage: petgraph-baseline --data DIR --out FILE [--reps N] [--budget SECONDS]

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::time::Instant;

use petgraph::stable_graph::{NodeIndex, StableGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use petgraph::Direction;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Node {
    name: String,
    kind: u16,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
struct Edge {
    /// Index into `Store::types`.
    rel: u16,
    /// Days since 1970-01-01.
    day: i32,
}

#[derive(Serialize, Deserialize)]
struct Store {
    graph: StableGraph<Node, Edge>,
    types: Vec<String>,
    kinds: Vec<String>,
}

type Names = HashMap<String, NodeIndex>;

fn intern(table: &mut Vec<String>, text: &str) -> u16 {
    match table.iter().position(|t| t == text) {
        Some(i) => i as u16,
        None => {
            table.push(text.to_string());
            (table.len() - 1) as u16
        }
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (Howard Hinnant's days_from_civil).
fn day_number(text: &str) -> i32 {
    let b = text.as_bytes();
    assert!(b.len() >= 10 && b[4] == b'-' && b[7] == b'-', "bad date {text:?}");
    let num = |r: &[u8]| r.iter().fold(0i64, |a, c| a * 10 + i64::from(c - b'0'));
    let (y, m, d) = (num(&b[0..4]), num(&b[5..7]), num(&b[8..10]));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

fn column(headers: &csv::StringRecord, name: &str, file: &str) -> usize {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("{file}: no column {name}"))
}

fn reader(path: &str) -> csv::Reader<File> {
    csv::ReaderBuilder::new()
        .buffer_capacity(1 << 20)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Builds the store from the two CSV files.
fn read_csv(dir: &str) -> (Store, Names) {
    let mut store = Store { graph: StableGraph::new(), types: Vec::new(), kinds: Vec::new() };
    let mut names = Names::new();
    let path = format!("{dir}/entities.csv");
    let mut r = reader(&path);
    let h = r.headers().unwrap().clone();
    let (name_at, kind_at) = (column(&h, "name", &path), column(&h, "kind", &path));
    for rec in r.records() {
        let rec = rec.unwrap();
        let kind = intern(&mut store.kinds, &rec[kind_at]);
        let name = rec[name_at].to_string();
        let ix = store.graph.add_node(Node { name: name.clone(), kind });
        names.insert(name, ix);
    }
    let path = format!("{dir}/relations.csv");
    let mut r = reader(&path);
    let h = r.headers().unwrap().clone();
    let at = ["from", "type", "to", "date"].map(|c| column(&h, c, &path));
    let mut rec = csv::StringRecord::new();
    while r.read_record(&mut rec).unwrap() {
        let mut node = |name: &str, g: &mut StableGraph<Node, Edge>| match names.get(name) {
            Some(&ix) => ix,
            None => {
                let ix = g.add_node(Node { name: name.to_string(), kind: u16::MAX });
                names.insert(name.to_string(), ix);
                ix
            }
        };
        let a = node(&rec[at[0]], &mut store.graph);
        let b = node(&rec[at[2]], &mut store.graph);
        let rel = intern(&mut store.types, &rec[at[1]]);
        store.graph.add_edge(a, b, Edge { rel, day: day_number(&rec[at[3]]) });
    }
    (store, names)
}

fn name_index(store: &Store) -> Names {
    let g = &store.graph;
    let mut names = Names::with_capacity(g.node_count());
    for ix in g.node_indices() {
        names.insert(g[ix].name.clone(), ix);
    }
    names
}

// ------------------------------------------------------------------ what a search reads

#[derive(Clone, Copy)]
struct Filter {
    types: [u16; 2],
    from: i32,
    to: i32,
}

impl Filter {
    fn keeps(&self, rel: u16, day: i32) -> bool {
        (rel == self.types[0] || rel == self.types[1]) && day >= self.from && day <= self.to
    }
}

/// The neighbours a search may step to.
trait Neighbours {
    fn count(&self) -> usize;
    /// Calls `visit` for each neighbour of `n`, stopping when it returns true; true if it did.
    fn each(&self, n: u32, visit: &mut dyn FnMut(u32) -> bool) -> bool;
}

struct Stable<'a>(&'a StableGraph<Node, Edge>, Option<Filter>);

impl Neighbours for Stable<'_> {
    fn count(&self) -> usize {
        self.0.node_indices().map(|i| i.index() + 1).max().unwrap_or(0)
    }
    fn each(&self, n: u32, visit: &mut dyn FnMut(u32) -> bool) -> bool {
        let ix = NodeIndex::new(n as usize);
        match self.1 {
            None => self.0.neighbors_undirected(ix).any(|m| visit(m.index() as u32)),
            Some(f) => {
                self.0
                    .edges_directed(ix, Direction::Outgoing)
                    .filter(|e| f.keeps(e.weight().rel, e.weight().day))
                    .any(|e| visit(e.target().index() as u32))
                    || self
                        .0
                        .edges_directed(ix, Direction::Incoming)
                        .filter(|e| f.keeps(e.weight().rel, e.weight().day))
                        .any(|e| visit(e.source().index() as u32))
            }
        }
    }
}

/// Both directions of every relation, grouped by entity, with the relation's type and day.
struct Csr {
    start: Vec<u32>,
    to: Vec<u32>,
    rel: Vec<u16>,
    day: Vec<i32>,
}

impl Csr {
    fn build(g: &StableGraph<Node, Edge>) -> Csr {
        let n = g.node_indices().map(|i| i.index() + 1).max().unwrap_or(0);
        let mut start = vec![0u32; n + 1];
        for e in g.edge_references() {
            start[e.source().index() + 1] += 1;
            start[e.target().index() + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let m = start[n] as usize;
        let mut csr = Csr { to: vec![0; m], rel: vec![0; m], day: vec![0; m], start };
        let mut next = csr.start[..n].to_vec();
        for e in g.edge_references() {
            let (a, b, w) = (e.source().index(), e.target().index(), *e.weight());
            for (x, y) in [(a, b), (b, a)] {
                let p = next[x] as usize;
                next[x] += 1;
                csr.to[p] = y as u32;
                csr.rel[p] = w.rel;
                csr.day[p] = w.day;
            }
        }
        csr
    }
}

struct CsrView<'a>(&'a Csr, Option<Filter>);

impl Neighbours for CsrView<'_> {
    fn count(&self) -> usize {
        self.0.start.len() - 1
    }
    fn each(&self, n: u32, visit: &mut dyn FnMut(u32) -> bool) -> bool {
        let range = self.0.start[n as usize] as usize..self.0.start[n as usize + 1] as usize;
        match self.1 {
            None => self.0.to[range].iter().any(|&m| visit(m)),
            Some(f) => range
                .filter(|&p| f.keeps(self.0.rel[p], self.0.day[p]))
                .any(|p| visit(self.0.to[p])),
        }
    }
}

// ------------------------------------------------------------------ searches

/// Per-entity search state, stamped with a query number instead of cleared between queries.
struct State {
    seen: Vec<u32>,
    from_s: Vec<u32>,
    from_t: Vec<u32>,
    query: u32,
}

impl State {
    fn new(n: usize) -> State {
        State { seen: vec![0; n], from_s: vec![u32::MAX; n], from_t: vec![u32::MAX; n], query: 0 }
    }
    /// Two fresh stamps: one for each side of a search.
    fn stamps(&mut self) -> (u32, u32) {
        self.query += 1;
        (2 * self.query, 2 * self.query + 1)
    }
}

/// Breadth-first search from `s`, stopping when `t` is reached: the path's entities.
fn bfs(g: &dyn Neighbours, s: u32, t: u32, st: &mut State) -> Option<Vec<u32>> {
    if s == t {
        return Some(vec![s]);
    }
    let (mine, _) = st.stamps();
    st.seen[s as usize] = mine;
    let mut level = vec![s];
    let mut next = Vec::new();
    let mut reached = false;
    while !level.is_empty() && !reached {
        for &u in &level {
            let (seen, from) = (&mut st.seen, &mut st.from_s);
            reached = g.each(u, &mut |v| {
                if seen[v as usize] == mine {
                    return false;
                }
                seen[v as usize] = mine;
                from[v as usize] = u;
                next.push(v);
                v == t
            });
            if reached {
                break;
            }
        }
        std::mem::swap(&mut level, &mut next);
        next.clear();
    }
    if !reached {
        return None;
    }
    let mut path = vec![t];
    while *path.last().unwrap() != s {
        path.push(st.from_s[*path.last().unwrap() as usize]);
    }
    path.reverse();
    Some(path)
}

/// Bidirectional breadth-first search: grows the smaller frontier a whole level at a time
/// and stops at the first relation joining the two sides, which closes a shortest path.
fn bidirectional(g: &dyn Neighbours, s: u32, t: u32, st: &mut State) -> Option<Vec<u32>> {
    if s == t {
        return Some(vec![s]);
    }
    let (stamp_s, stamp_t) = st.stamps();
    st.seen[s as usize] = stamp_s;
    st.seen[t as usize] = stamp_t;
    let (mut front_s, mut front_t, mut next) = (vec![s], vec![t], Vec::new());
    let mut joint = None;
    while joint.is_none() && !front_s.is_empty() && !front_t.is_empty() {
        let from_s_side = front_s.len() <= front_t.len();
        let (front, mine, theirs, from) = if from_s_side {
            (&front_s, stamp_s, stamp_t, &mut st.from_s)
        } else {
            (&front_t, stamp_t, stamp_s, &mut st.from_t)
        };
        let seen = &mut st.seen;
        for &u in front {
            let hit = g.each(u, &mut |v| {
                let mark = seen[v as usize];
                if mark == theirs {
                    joint = Some(if from_s_side { (u, v) } else { (v, u) });
                    return true;
                }
                if mark != mine {
                    seen[v as usize] = mine;
                    from[v as usize] = u;
                    next.push(v);
                }
                false
            });
            if hit {
                break;
            }
        }
        if from_s_side {
            std::mem::swap(&mut front_s, &mut next);
        } else {
            std::mem::swap(&mut front_t, &mut next);
        }
        next.clear();
    }
    // a on s's side, b on t's side
    let (a, b) = joint?;
    let mut path = vec![a];
    while *path.last().unwrap() != s {
        path.push(st.from_s[*path.last().unwrap() as usize]);
    }
    path.reverse();
    path.push(b);
    while *path.last().unwrap() != t {
        path.push(st.from_t[*path.last().unwrap() as usize]);
    }
    Some(path)
}

// ------------------------------------------------------------------ timing

/// How one search did on one file of pairs.
struct Batch {
    /// Pairs answered (fewer than asked when the budget ran out).
    done: usize,
    /// Seconds for those pairs: the median over the repetitions.
    seconds: f64,
    reps: usize,
    /// Hops per pair answered, -1 for no path.
    hops: Vec<i64>,
}

fn run(
    pairs: &[(u32, u32)],
    reps: usize,
    budget: f64,
    search: &mut dyn FnMut(u32, u32) -> Option<Vec<u32>>,
) -> Batch {
    let mut times = Vec::new();
    let mut hops = Vec::new();
    let all = Instant::now();
    loop {
        let mut lengths = Vec::with_capacity(pairs.len());
        let t = Instant::now();
        for &(s, d) in pairs {
            let path = search(s, d);
            if let Some(p) = &path {
                assert!(p[0] == s && p[p.len() - 1] == d, "a path must join its ends");
            }
            lengths.push(path.map_or(-1, |p| p.len() as i64 - 1));
            if t.elapsed().as_secs_f64() > budget {
                break;
            }
        }
        times.push(t.elapsed().as_secs_f64());
        if !hops.is_empty() {
            assert_eq!(hops, lengths, "a repetition found other lengths");
        }
        hops = lengths;
        // Repeat only complete, cheap batches, and keep the median.
        let spent = all.elapsed().as_secs_f64();
        if times.len() >= reps || hops.len() < pairs.len() || spent + times[0] > budget / 2.0 {
            break;
        }
    }
    let reps = times.len();
    times.sort_by(f64::total_cmp);
    Batch { done: hops.len(), seconds: times[reps / 2], reps, hops }
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn read_pairs(path: &str, names: &Names) -> Vec<(u32, u32)> {
    let mut r = reader(path);
    let h = r.headers().unwrap().clone();
    let (a, b) = (column(&h, "from", path), column(&h, "to", path));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let id = |n: &str| names.get(n).unwrap_or_else(|| panic!("{path}: unknown {n}")).index() as u32;
            (id(&rec[a]), id(&rec[b]))
        })
        .collect()
}

/// The JSON object written to `--out`, built by hand (numbers and arrays only).
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    fn num(&mut self, key: &str, value: f64) {
        eprintln!("petgraph-baseline: {key} = {value}");
        self.0.push(format!("\"{key}\": {value}"));
    }
    fn text(&mut self, key: &str, value: &str) {
        self.0.push(format!("\"{key}\": \"{value}\""));
    }
    fn batch(&mut self, key: &str, b: &Batch) {
        self.num(&format!("{key}_done"), b.done as f64);
        self.num(&format!("{key}_seconds"), b.seconds);
        self.num(&format!("{key}_reps"), b.reps as f64);
        let hops: Vec<String> = b.hops.iter().map(i64::to_string).collect();
        self.0.push(format!("\"{key}_hops\": [{}]", hops.join(",")));
    }
}

/// Hop counts that differ between two searches on the pairs both answered.
fn disagreements(a: &Batch, b: &Batch) -> usize {
    a.hops.iter().zip(&b.hops).filter(|(x, y)| x != y).count()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let dir = arg("--data").expect("usage: petgraph-baseline --data DIR --out FILE [--reps N] [--budget SECONDS]");
    let out = arg("--out").expect("--out FILE");
    let reps: usize = arg("--reps").map_or(3, |v| v.parse().expect("--reps N"));
    let budget: f64 = arg("--budget").map_or(120.0, |v| v.parse().expect("--budget SECONDS"));
    let file = arg("--bin").unwrap_or(format!("{dir}/petgraph.bincode"));
    let config = bincode::config::standard();
    let mut report = Report::default();
    report.text("engine", "petgraph");
    report.text("version", "0.8");

    let t = Instant::now();
    let (store, _) = read_csv(&dir);
    report.num("csv_load_s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut w = BufWriter::with_capacity(1 << 20, File::create(&file).unwrap());
    bincode::serde::encode_into_std_write(&store, &mut w, config).unwrap();
    w.flush().unwrap();
    drop(w);
    report.num("save_s", t.elapsed().as_secs_f64());
    report.num("file_bytes", std::fs::metadata(&file).unwrap().len() as f64);
    drop(store);

    // Open: decode the file and index the names, as a store would on start.
    let t = Instant::now();
    let mut r = BufReader::with_capacity(1 << 20, File::open(&file).unwrap());
    let store: Store = bincode::serde::decode_from_std_read(&mut r, config).unwrap();
    let names = name_index(&store);
    report.num("open_s", t.elapsed().as_secs_f64());
    report.num("nodes", store.graph.node_count() as f64);
    report.num("edges", store.graph.edge_count() as f64);
    std::fs::remove_file(&file).ok();

    let pairs = read_pairs(&format!("{dir}/pairs.csv"), &names);
    let filtered = read_pairs(&format!("{dir}/filtered_pairs.csv"), &names);
    let rel = |t: &str| store.types.iter().position(|x| x == t).map_or(u16::MAX, |i| i as u16);
    let filter = Filter {
        types: [rel("phoned"), rel("met")],
        from: day_number("2020-01-01"),
        to: day_number("2022-12-31"),
    };
    let g = &store.graph;
    let plain = Stable(g, None);
    let mut st = State::new(plain.count());

    let stable = run(&pairs, reps, budget, &mut |s, t| bfs(&plain, s, t, &mut st));
    report.batch("stable_bfs", &stable);
    let t = Instant::now();
    let csr = Csr::build(g);
    report.num("csr_build_s", t.elapsed().as_secs_f64());
    let view = CsrView(&csr, None);
    let fast = run(&pairs, reps, budget, &mut |s, t| bidirectional(&view, s, t, &mut st));
    report.batch("csr_bibfs", &fast);

    let plain_filtered = Stable(g, Some(filter));
    let fstable = run(&filtered, reps, budget, &mut |s, t| bfs(&plain_filtered, s, t, &mut st));
    report.batch("filtered_stable_bfs", &fstable);
    let fview = CsrView(&csr, Some(filter));
    let ffast = run(&filtered, reps, budget, &mut |s, t| bidirectional(&fview, s, t, &mut st));
    report.batch("filtered_csr_bibfs", &ffast);

    report.num("stable_vs_csr_disagreements", disagreements(&stable, &fast) as f64);
    report.num("filtered_stable_vs_csr_disagreements", disagreements(&fstable, &ffast) as f64);
    report.num("peak_rss_mb_self", peak_rss_mb());
    let json = format!("{{{}}}\n", report.0.join(", "));
    std::fs::write(&out, json).unwrap_or_else(|e| panic!("{out}: {e}"));
}
