#!/usr/bin/env python3
"""kg's network measures against networkx and igraph, on the same generated event graph.

What it does, all inside this repository:
  1. generates the data as benches/compare_peers.py does (`cargo run --release
     --example gen_events`): --size 10k is 10,000 actors and 100,000 relations, 100k is
     100,000 and 1,000,000, 1m is 1,000,000 and 10,000,000;
  2. kg: imports it into a database, then runs `kg -v rank` / `kg -v communities`
     --runs times per task and keeps the medians of the whole command (open, project
     the selected graph, measure, print the top ten) and of the measure alone (the
     "measured ..." line of -v); the tasks that search from every source (betweenness)
     run again with KG_THREADS=1, since igraph and networkx use one core;
  3. each peer in a process of its own through benches/peers/measures.py, in the venv
     compare_peers.py makes (networkx with SciPy, igraph): it reads the relations into
     the same simple weighted graph, untimed, and times the measure alone;
  4. checks that the engines agree (the same best actor for pagerank and exact
     betweenness, modularities within 0.02) and prints one table with kg's ratios.

Tasks: pagerank (damping 0.85), sampled betweenness (--samples sources, seeded),
Louvain communities (seeded), and exact betweenness, which costs V x E: on --exact-size
data (10k by default) for kg and igraph, networkx estimated from --samples sources
(sources cost alike; marked "est."). --exact-size same runs it on the main data.

All numbers of one table come from one run on one machine: quote ratios, not seconds.

  python3 benches/compare_measures.py --size 100k
  python3 benches/compare_measures.py --size 1m --peers igraph --exact-size none
  python3 benches/compare_measures.py --size 100k --kg target/release/kg --data /tmp/d100k

--kg, --gen, --data and --scratch as in compare_peers.py.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_peers as peers  # noqa: E402

MEASURES_PY = os.path.join(HERE, "peers", "measures.py")
PIP = ["networkx", "scipy", "numpy", "igraph"]
TASKS = {
    "pagerank": ["rank", "--measure", "pagerank"],
    "sampled": ["rank", "--measure", "betweenness", "--samples", "{samples}", "--seed", "1"],
    "louvain": ["communities", "--seed", "1"],
    "betweenness": ["rank", "--measure", "betweenness"],
}
LABELS = {
    "pagerank": "pagerank",
    "sampled": "betweenness, {samples} sources",
    "louvain": "Louvain communities",
    "betweenness": "betweenness, exact",
}
PARALLEL = {"sampled", "betweenness"}


def kg_task(a, kg, db, task, threads=None):
    """Medians over --runs of kg's whole command and of its measure alone, and its answer."""
    cmd = [kg, "-v", "--db", db, "--format", "json"] + [
        w.format(samples=a.samples) for w in TASKS[task]]
    cmd += ["--top", "10"]
    env = dict(os.environ)
    if threads:
        env["KG_THREADS"] = str(threads)
    walls, alone, answer = [], [], None
    for _ in range(a.runs):
        start = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - start)
        if p.returncode != 0:
            sys.exit(f"kg failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
        m = re.search(r"kg: (?:measured \S+|found the \S+ communities) in ([0-9.]+) s", p.stderr)
        alone.append(float(m.group(1)))
        answer = json.loads(p.stdout)
    return statistics.median(walls), statistics.median(alone), answer


def peer_task(a, py, engine, data, task, estimate=False):
    out = os.path.join(a.scratch, "results", f"measures-{engine}-{task}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [py, MEASURES_PY, "--engine", engine, "--data", data, "--task", task,
           "--samples", str(a.samples), "--seed", "1", "--out", out]
    if estimate:
        cmd.append("--budget")
    peers.say("+", " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": p.stderr.strip()[-300:]}
    with open(out) as f:
        return json.load(f)


def best(answer):
    """kg's best actor, or its modularity for communities."""
    if "scores" in answer:
        return answer["scores"][0]["name"] if answer["scores"] else None
    return answer.get("modularity")


def data_dir(a, size):
    d = a.data if (a.data and size == a.size) else os.path.join(a.scratch, f"data-{size}")
    args = argparse.Namespace(size=size, gen=a.gen)
    peers.generate(args, d)
    return d


def kg_db(a, kg, data, size):
    db = os.path.join(a.scratch, f"measures-{size}.kgdb")
    for f in os.listdir(a.scratch):
        if f.startswith(os.path.basename(db)):
            os.remove(os.path.join(a.scratch, f))
    peers.sh([kg, "-q", "--db", db, "import", os.path.join(data, "entities.csv"),
              os.path.join(data, "relations.csv")])
    return db


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=sorted(peers.SIZES), default="100k")
    p.add_argument("--exact-size", default="10k", help="10k, 100k, 1m, same or none")
    p.add_argument("--peers", default="networkx,igraph")
    p.add_argument("--samples", type=int, default=100)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--kg")
    p.add_argument("--gen")
    p.add_argument("--data")
    p.add_argument("--scratch", default=os.path.join(peers.ROOT, "target", "peers"))
    a = p.parse_args()
    os.makedirs(a.scratch, exist_ok=True)
    engines = [e for e in a.peers.split(",") if e]
    kg = a.kg
    if not kg:
        peers.sh(["cargo", "build", "--release", "--manifest-path", os.path.join(peers.ROOT, "Cargo.toml")])
        kg = os.path.join(peers.ROOT, "target", "release", "kg")
    py = None
    if engines:
        venv = os.path.join(a.scratch, "venv")
        py = os.path.join(venv, "bin", "python")
        if not os.path.exists(py):
            peers.sh([sys.executable, "-m", "venv", venv])
        peers.sh([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + PIP)

    plan = [(a.size, t) for t in ("pagerank", "sampled", "louvain")]
    exact = a.size if a.exact_size == "same" else a.exact_size
    if exact != "none":
        plan.append((exact, "betweenness"))
    rows, problems, dbs, datas = [], [], {}, {}
    for size, task in plan:
        if size not in datas:
            datas[size] = data_dir(a, size)
            dbs[size] = kg_db(a, kg, datas[size], size)
        wall, alone, answer = kg_task(a, kg, dbs[size], task)
        row = dict(task=LABELS[task].format(samples=a.samples), size=size, kg_wall=wall, kg=alone)
        if task in PARALLEL:
            _, row["kg_one"], _ = kg_task(a, kg, dbs[size], task, threads=1)
        ours = best(answer)
        for engine in engines:
            estimate = engine == "networkx" and task == "betweenness"
            r = peer_task(a, py, engine, datas[size], task, estimate)
            if "error" in r:
                row[engine] = r["error"]
                continue
            row[engine] = r["seconds"]
            row[engine + "_est"] = bool(r.get("estimated"))
            theirs = r["modularity"] if task == "louvain" else (r["top"][0][0] if r.get("top") else None)
            if task == "louvain":
                if abs(theirs - ours) > 0.02:
                    problems.append(f"{task}: modularity kg {ours:.4f}, {engine} {theirs:.4f}")
            elif task in ("pagerank", "betweenness") and theirs is not None and theirs != ours:
                problems.append(f"{task}: best actor kg {ours}, {engine} {theirs}")
        rows.append(row)

    relations = {s: peers.SIZES[s][1] for s in peers.SIZES}
    head = ["measure", "relations", "kg (command)", "kg (measure)", "kg (1 thread)"]
    head += engines + [f"kg vs {e}" for e in engines]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for r in rows:
        cells = [r["task"], f"{relations[r['size']]:,}", f"{r['kg_wall']:.3f} s", f"{r['kg']:.3f} s",
                 f"{r['kg_one']:.3f} s" if "kg_one" in r else "-"]
        ratios = []
        for e in engines:
            v = r.get(e)
            if isinstance(v, float):
                est = " (est.)" if r.get(e + "_est") else ""
                cells.append(f"{v:.3f} s{est}")
                one = r.get("kg_one", r["kg"])
                ratios.append(f"{v / r['kg']:.1f}x ({v / one:.1f}x on 1 thread, {v / r['kg_wall']:.1f}x whole command)")
            else:
                cells.append(str(v or "-")[:60])
                ratios.append("-")
        print("| " + " | ".join(cells + ratios) + " |")
    print()
    print(f"kg: {kg}; peers: " + ", ".join(engines) + "; measures alone unless 'command'; "
          f"medians of {a.runs} kg runs, one run of each peer")
    if problems:
        print("disagreements:\n  " + "\n  ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
