#!/usr/bin/env python3
"""One Python graph engine on kg's benchmark data, in a process of its own.

Run by benches/compare_peers.py (under /usr/bin/time -v, which measures the peak
memory), with the interpreter of the venv it made:

  python benches/peers/peers.py --engine networkx --data DIR --out result.json

ENGINE is networkx, igraph, rustworkx or kuzu. DIR holds the files written by
`cargo run --release --example gen_events`: entities.csv (name,kind,country),
relations.csv (from,type,to,date), pairs.csv and filtered_pairs.csv (from,to).

It times, for the engine:
  ready   from the files at rest to the first query: read the CSVs and build the
          graph (networkx, igraph, rustworkx); for Kùzu, which keeps its own database
          on disk like kg, import it once (reported as import_s), then time opening it
          again and counting the actors (ready_s);
  paths   a shortest path, relations taken both ways, for each pair of pairs.csv;
  filtered
          the same for filtered_pairs.csv, walking only relations of type phoned or
          met dated 2020-01-01..2022-12-31, the filter given with each query.
Each search returns the path's entities; the ends are checked and the hop count per
pair (-1 for none) goes to the JSON output, for compare_peers.py to check across
engines. A query phase stops once it has used --budget seconds (the rate is then over
the pairs done); a complete phase that is cheap is repeated up to --reps times and the
median kept.
"""
import argparse
import json
import os
import shutil
import sys
import time
import warnings

TYPES = ("phoned", "met")
FROM, TO = "2020-01-01", "2022-12-31"


def read_pairs(path):
    import csv
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        return [(r["from"], r["to"]) for r in rows]


def memory_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return None


def frames(data):
    import pandas as pd
    entities = pd.read_csv(os.path.join(data, "entities.csv"), dtype=str, keep_default_na=False)
    relations = pd.read_csv(os.path.join(data, "relations.csv"), dtype=str, keep_default_na=False)
    return entities, relations


def encoded(entities, relations):
    """Entities as numbers 0..n-1, relations as arrays of numbers (ends, type, day)."""
    import numpy as np
    import pandas as pd
    names = pd.Index(entities["name"])
    extra = pd.Index(pd.unique(pd.concat([relations["from"], relations["to"]])))
    extra = extra[~extra.isin(names)]  # relations may name actors entities.csv lacks
    names = names.append(extra)
    a = names.get_indexer(relations["from"])
    b = names.get_indexer(relations["to"])
    types = relations["type"].to_numpy()
    day = pd.to_datetime(relations["date"], format="%Y-%m-%d").to_numpy().astype("datetime64[D]").astype(np.int64)
    return names.tolist(), a, b, types, day


def filter_mask(types, day):
    import numpy as np
    lo, hi = (int(np.datetime64(d, "D").astype(np.int64)) for d in (FROM, TO))
    return np.isin(types, TYPES) & (day >= lo) & (day <= hi)


# ------------------------------------------------------------------ engines
# Each returns (version, facts, path(s, t), filtered_path(s, t)); a search returns
# the list of entity names from s to t, or None.

def networkx_engine(data, scratch, facts):
    import networkx as nx
    entities, relations = frames(data)
    # A MultiGraph keeps parallel relations apart, with their own type and date.
    g = nx.from_pandas_edgelist(relations, "from", "to", edge_attr=["type", "date"],
                                create_using=nx.MultiGraph)
    g.add_nodes_from(entities["name"])
    facts.update(nodes=g.number_of_nodes(), edges=g.number_of_edges())

    def path(s, t, graph=g):
        try:
            return nx.shortest_path(graph, s, t)
        except nx.NetworkXNoPath:
            return None

    def filtered(s, t):
        def keep(u, v, k):
            r = g[u][v][k]
            return r["type"] in TYPES and FROM <= r["date"] <= TO
        return path(s, t, nx.subgraph_view(g, filter_edge=keep))
    return nx.__version__, path, filtered


def igraph_engine(data, scratch, facts):
    import igraph as ig
    import numpy as np
    warnings.filterwarnings("ignore", message="Couldn't reach some vertices")
    entities, relations = frames(data)
    names, a, b, types, day = encoded(entities, relations)
    g = ig.Graph(n=len(names), edges=np.column_stack([a, b]), directed=True)
    index = {n: i for i, n in enumerate(names)}
    facts.update(nodes=g.vcount(), edges=g.ecount())

    def path(s, t, graph=g):
        p = graph.get_shortest_path(index[s], index[t], mode="all", output="vpath")
        return [names[i] for i in p] if p else None

    def filtered(s, t):
        kept = np.flatnonzero(filter_mask(types, day))
        return path(s, t, g.subgraph_edges(kept, delete_vertices=False))
    return ig.__version__, path, filtered


def rustworkx_engine(data, scratch, facts):
    import rustworkx as rx
    entities, relations = frames(data)
    names, a, b, types, day = encoded(entities, relations)
    index = {n: i for i, n in enumerate(names)}

    def graph(a, b):
        g = rx.PyGraph(multigraph=True)
        g.add_nodes_from(range(len(names)))
        g.add_edges_from_no_data(list(zip(a.tolist(), b.tolist())))
        return g
    g = graph(a, b)
    facts.update(nodes=g.num_nodes(), edges=g.num_edges())

    # rustworkx has no point-to-point breadth-first search: Dijkstra with unit weights.
    def path(s, t, graph=g):
        found = rx.graph_dijkstra_shortest_paths(graph, index[s], target=index[t])
        p = found[index[t]] if index[t] in found else None
        return [names[i] for i in p] if p else None

    def filtered(s, t):
        keep = filter_mask(types, day)
        return path(s, t, graph(a[keep], b[keep]))
    return rx.__version__, path, filtered


def kuzu_engine(data, scratch, facts):
    import kuzu
    db_dir = os.path.join(scratch, "kuzu.db")
    for p in (db_dir, db_dir + ".wal"):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    data = os.path.abspath(data)
    start = time.perf_counter()
    db = kuzu.Database(db_dir)
    c = kuzu.Connection(db)
    c.execute("CREATE NODE TABLE Actor(name STRING, kind STRING, country STRING, PRIMARY KEY(name))")
    c.execute("CREATE REL TABLE Rel(FROM Actor TO Actor, type STRING, date DATE)")
    c.execute(f"COPY Actor FROM '{data}/entities.csv' (header=true)")
    # A relation file must start with its two ends: reorder from,type,to,date.
    c.execute(f"COPY Rel FROM (LOAD FROM '{data}/relations.csv' (header=true) "
              "RETURN `from`, `to`, `type`, CAST(`date` AS DATE))")
    facts["import_s"] = time.perf_counter() - start
    del c, db

    start = time.perf_counter()
    db = kuzu.Database(db_dir)
    c = kuzu.Connection(db)
    facts["nodes"] = c.execute("MATCH (a:Actor) RETURN count(*)").get_next()[0]
    facts["ready_s"] = time.perf_counter() - start
    facts["edges"] = c.execute("MATCH ()-[r:Rel]->() RETURN count(*)").get_next()[0]
    facts["db_bytes"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(db_dir) for f in fs) \
        if os.path.isdir(db_dir) else os.path.getsize(db_dir)

    ends = "(a:Actor {name: $s})-[r:Rel* SHORTEST 1..30%s]-(b:Actor {name: $t})"
    kinds = ", ".join(f"'{t}'" for t in TYPES)
    condition = (f" (e, n | WHERE e.type IN [{kinds}] AND e.date >= date('{FROM}') "
                 f"AND e.date <= date('{TO}'))")
    plain = c.prepare(f"MATCH p = {ends % ''} RETURN properties(nodes(p), 'name')")
    only = c.prepare(f"MATCH p = {ends % condition} RETURN properties(nodes(p), 'name')")

    def run(statement, s, t):
        result = c.execute(statement, {"s": s, "t": t})
        return result.get_next()[0] if result.has_next() else None
    return kuzu.__version__, (lambda s, t: run(plain, s, t)), (lambda s, t: run(only, s, t))


ENGINES = {"networkx": networkx_engine, "igraph": igraph_engine,
           "rustworkx": rustworkx_engine, "kuzu": kuzu_engine}


# ------------------------------------------------------------------ timing

def phase(pairs, search, budget, reps):
    """Answers the pairs (until the budget is used); repeats a complete cheap run."""
    times, hops = [], None
    began = time.perf_counter()
    while True:
        lengths = []
        start = time.perf_counter()
        for s, t in pairs:
            p = search(s, t)
            if p is not None:
                assert p[0] == s and p[-1] == t, f"a path from {s} to {t} reads {p}"
            lengths.append(-1 if p is None else len(p) - 1)
            if time.perf_counter() - start > budget:
                break
        times.append(time.perf_counter() - start)
        if hops is not None and hops != lengths:
            raise SystemExit("a repetition found other path lengths")
        hops = lengths
        spent = time.perf_counter() - began
        if len(times) >= reps or len(hops) < len(pairs) or spent + times[0] > budget / 2:
            break
    times.sort()
    return dict(done=len(hops), seconds=times[len(times) // 2], reps=len(times), hops=hops)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engine", required=True, choices=sorted(ENGINES))
    ap.add_argument("--data", required=True, help="folder of the generated CSV files")
    ap.add_argument("--out", required=True, help="JSON result file")
    ap.add_argument("--scratch", help="folder for an engine's own files (default: next to --out)")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds at most per query phase")
    ap.add_argument("--reps", type=int, default=3, help="runs of a cheap complete phase (median kept)")
    a = ap.parse_args()
    scratch = a.scratch or os.path.dirname(os.path.abspath(a.out))
    os.makedirs(scratch, exist_ok=True)
    pairs = read_pairs(os.path.join(a.data, "pairs.csv"))
    filtered_pairs = read_pairs(os.path.join(a.data, "filtered_pairs.csv"))

    facts = {}
    start = time.perf_counter()
    version, path, filtered = ENGINES[a.engine](a.data, scratch, facts)
    facts.setdefault("ready_s", time.perf_counter() - start)
    facts["rss_ready_mb"] = memory_mb("VmRSS")
    print(f"{a.engine}: ready in {facts['ready_s']:.2f} s", file=sys.stderr, flush=True)
    paths = phase(pairs, path, a.budget, a.reps)
    print(f"{a.engine}: {paths['done']} paths in {paths['seconds']:.2f} s", file=sys.stderr, flush=True)
    only = phase(filtered_pairs, filtered, a.budget, a.reps)
    print(f"{a.engine}: {only['done']} filtered paths in {only['seconds']:.2f} s", file=sys.stderr, flush=True)
    result = dict(engine=a.engine, version=version, **facts, peak_rss_mb_self=memory_mb("VmHWM"))
    result.update({"paths_" + k: v for k, v in paths.items()})
    result.update({"filtered_" + k: v for k, v in only.items()})
    with open(a.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
