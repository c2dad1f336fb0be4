#!/usr/bin/env python3
"""One Python engine's network measures on kg's benchmark data, in a process of its own.

Run by benches/compare_measures.py with the interpreter of the venv it made:

  python benches/peers/measures.py --engine networkx --data DIR --task pagerank --out r.json

ENGINE is networkx or igraph; DIR holds relations.csv (from,type,to,date) written by
`cargo run --release --example gen_events`. The graph is the one `kg rank` measures:
undirected, self-loops left out, parallel relations one edge whose weight is how many
there are (pagerank and Louvain read the weight; betweenness does not).

TASK is one of
  pagerank      damping 0.85, weighted (networkx: its SciPy pagerank, the default;
                igraph: PRPACK)
  betweenness   exact, normalised as networkx normalises it
  sampled       betweenness from --samples sources drawn with --seed (networkx's k;
                igraph from those sources, scaled as networkx scales a sample)
  louvain       Louvain modularity, weighted, seeded (networkx) / igraph's multilevel
Only the measure is timed, not reading the file or building the graph; the best
scores (top 10) and, for Louvain, the modularity go to the JSON output. --budget stops
exact betweenness early: it then times --samples sources and reports the estimate for
all of them (sources cost alike), marked "estimated".
"""
import argparse
import json
import random
import time


def edges(data):
    """The undirected simple graph: names, and {(a, b): weight} with a < b."""
    import csv
    import os
    index, weight = {}, {}
    with open(os.path.join(data, "relations.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["from"] == row["to"]:
                continue
            a = index.setdefault(row["from"], len(index))
            b = index.setdefault(row["to"], len(index))
            key = (a, b) if a < b else (b, a)
            weight[key] = weight.get(key, 0) + 1
    names = [None] * len(index)
    for name, i in index.items():
        names[i] = name
    return names, weight


def top(names, scores, k=10):
    best = sorted(range(len(scores)), key=lambda i: (-scores[i], names[i]))[:k]
    return [[names[i], scores[i]] for i in best]


def run_networkx(a, names, weight):
    import networkx as nx
    g = nx.Graph()
    g.add_nodes_from(range(len(names)))
    g.add_weighted_edges_from((u, v, w) for (u, v), w in weight.items())
    out = {"version": nx.__version__}
    start = time.perf_counter()
    if a.task == "pagerank":
        scores = nx.pagerank(g, alpha=0.85, weight="weight")
    elif a.task == "sampled":
        scores = nx.betweenness_centrality(g, k=a.samples, seed=a.seed)
    elif a.task == "betweenness":
        if a.budget:
            # Exact Brandes costs n sources; time --samples of them and scale up.
            nx.betweenness_centrality(g, k=a.samples, seed=a.seed)
            out["estimated"] = True
            out["seconds"] = (time.perf_counter() - start) * g.number_of_nodes() / a.samples
            return out
        scores = nx.betweenness_centrality(g)
    elif a.task == "louvain":
        parts = nx.community.louvain_communities(g, weight="weight", seed=a.seed)
        out["seconds"] = time.perf_counter() - start
        out["modularity"] = nx.community.modularity(g, parts, weight="weight")
        out["communities"] = len(parts)
        return out
    out["seconds"] = time.perf_counter() - start
    out["top"] = top(names, [scores[i] for i in range(len(names))])
    return out


def run_igraph(a, names, weight):
    import igraph as ig
    pairs = list(weight.keys())
    g = ig.Graph(n=len(names), edges=pairs, directed=False)
    g.es["weight"] = [weight[p] for p in pairs]
    n = g.vcount()
    out = {"version": ig.__version__}
    start = time.perf_counter()
    if a.task == "pagerank":
        scores = g.pagerank(damping=0.85, weights="weight")
    elif a.task in ("sampled", "betweenness"):
        if a.task == "sampled":
            sources = random.Random(a.seed).sample(range(n), min(a.samples, n))
            raw = g.betweenness(directed=False, sources=sources)
            # As networkx scales a sample: n / k, then over the (n-1)(n-2)/2 pairs.
            scale = n / len(sources) / ((n - 1) * (n - 2) / 2)
        else:
            raw = g.betweenness(directed=False)
            scale = 1 / ((n - 1) * (n - 2) / 2)
        scores = [x * scale for x in raw]
    elif a.task == "louvain":
        parts = g.community_multilevel(weights="weight")
        out["seconds"] = time.perf_counter() - start
        out["modularity"] = g.modularity(parts.membership, weights="weight")
        out["communities"] = len(parts)
        return out
    out["seconds"] = time.perf_counter() - start
    out["top"] = top(names, scores)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--engine", choices=["networkx", "igraph"], required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--task", choices=["pagerank", "betweenness", "sampled", "louvain"], required=True)
    p.add_argument("--samples", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--budget", action="store_true",
                   help="estimate exact betweenness from --samples sources")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    names, weight = edges(a.data)
    run = run_networkx if a.engine == "networkx" else run_igraph
    result = run(a, names, weight)
    result.update(engine=a.engine, task=a.task, nodes=len(names), edges=len(weight))
    with open(a.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
