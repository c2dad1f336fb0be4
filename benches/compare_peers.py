#!/usr/bin/env python3
"""kg against its peers on the same generated event graph and the same query pairs.

Copies ../shared/bench (the peer harness: networkx, igraph, Kùzu, rustworkx and a raw
petgraph baseline) into a scratch folder, generates its data, runs the chosen peers,
runs kg on the same files (import, open, 1000 shortest paths, the filtered pairs, the
chronological pairs) and prints one table with ratios against each peer. All numbers of
a table come from one run on one machine; quote ratios, not seconds.

  python3 benches/compare_peers.py --size 100k --peers networkx,petgraph
  python3 benches/compare_peers.py --size 1m --peers petgraph,igraph,kuzu --budget 90

Needs: cargo, python3 with venv; pip packages are installed into the scratch venv.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")
PIP = {"networkx": ["networkx", "numpy", "pandas"], "igraph": ["igraph", "numpy", "pandas"],
       "kuzu": ["kuzu==0.11.*", "numpy", "pandas"], "rustworkx": ["rustworkx", "numpy", "pandas"],
       "petgraph": ["numpy"]}


def sh(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    """Runs kg under /usr/bin/time -v; returns (stderr text, wall seconds, peak RSS MB)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return p.stderr, wall, int(rss.group(1)) / 1024 if rss else None


def seconds(text, what):
    m = re.search(rf"kg: {what} in ([0-9.]+) s", text)
    return float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="100k", choices=["10k", "100k", "1m"])
    ap.add_argument("--peers", default="networkx,petgraph")
    ap.add_argument("--budget", default="120")
    ap.add_argument("--scratch", default=os.environ.get("SCRATCH", "/tmp/kg-bench"))
    a = ap.parse_args()

    bench = os.path.join(a.scratch, "bench")
    if not os.path.exists(bench):
        shutil.copytree(SHARED, bench)
        for root, dirs, files in os.walk(bench):
            for d in dirs + files:
                os.chmod(os.path.join(root, d), 0o755)
    venv = os.path.join(a.scratch, "venv")
    if not os.path.exists(venv):
        sh([sys.executable, "-m", "venv", venv])
    py = os.path.join(venv, "bin", "python")
    need = sorted({p for peer in a.peers.split(",") for p in PIP.get(peer, [])})
    sh([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + need)
    data = os.path.join(bench, "data", a.size)
    if not os.path.exists(os.path.join(data, "relations.csv")):
        sh([py, os.path.join(bench, "gen_events.py"), "--size", a.size])

    # The same files in kg's import layout (header names differ; actors come with events).
    kgdata = os.path.join(a.scratch, "kg-" + a.size)
    os.makedirs(kgdata, exist_ok=True)
    for name, header in (("relations.csv", "from,type,to,date"), ("pairs.csv", "from,to"),
                         ("filtered_pairs.csv", "from,to")):
        with open(os.path.join(data, name)) as src, open(os.path.join(kgdata, name), "w") as dst:
            next(src)
            dst.write(header + "\n")
            shutil.copyfileobj(src, dst)

    sh(["cargo", "build", "--release", "--manifest-path", os.path.join(ROOT, "Cargo.toml")])
    kg = os.path.join(ROOT, "target", "release", "kg")
    db = os.path.join(kgdata, "events.kgdb")
    for f in (db, db + ".lock"):
        if os.path.exists(f):
            os.remove(f)
    _, import_s, import_rss = timed([kg, "--db", db, "import", os.path.join(kgdata, "relations.csv")])
    err, _, open_rss = timed([kg, "-v", "--db", db, "stats"])
    open_s = seconds(err, r"opened \d+ entities and \d+ relations")
    err, _, paths_rss = timed([kg, "-v", "--db", db, "path", "--pairs", os.path.join(kgdata, "pairs.csv")])
    adjacency_s = seconds(err, "built the adjacency")
    pairs_s = seconds(err, r"answered \d+ pairs")
    npairs = sum(1 for _ in open(os.path.join(kgdata, "pairs.csv"))) - 1
    filters = ["--type", "phoned", "--type", "met", "--from", "2020-01-01", "--to", "2022-12-31"]
    err, _, _ = timed([kg, "-v", "--db", db, "path", "--pairs", os.path.join(kgdata, "filtered_pairs.csv")] + filters)
    nf = sum(1 for _ in open(os.path.join(kgdata, "filtered_pairs.csv"))) - 1
    filtered_ms = seconds(err, r"answered \d+ pairs") * 1000 / max(nf, 1)
    err, _, _ = timed([kg, "-v", "--db", db, "path", "--pairs", os.path.join(kgdata, "filtered_pairs.csv"), "--chronological"])
    chrono_ms = seconds(err, r"answered \d+ pairs") * 1000 / max(nf, 1)
    kg_row = dict(peer="kg", load_s=open_s + adjacency_s, qps=npairs / pairs_s, filtered_ms=filtered_ms,
                  peak_mb=paths_rss)

    sh([py, os.path.join(bench, "peers.py"), "--size", a.size, "--peers", a.peers, "--budget", a.budget])
    with open(os.path.join(bench, "data", "results", a.size, "summary.json")) as f:
        peers = json.load(f)["results"]

    print(f"\n## kg and peers, {a.size} actors ({os.uname().nodename}, {time.strftime('%Y-%m-%d')})\n")
    print(f"kg: import {import_s:.2f} s (peak {import_rss:.0f} MB); open {open_s:.3f} s + adjacency "
          f"{adjacency_s:.3f} s (peak {open_rss:.0f} MB); chronological {chrono_ms:.2f} ms/pair\n")
    print("| engine | ready to query (s) | shortest paths/s | filtered path (ms) | peak memory (MB) |"
          " kg paths/s ratio | kg filtered speed ratio |")
    print("|---|---|---|---|---|---|---|")
    rows = [kg_row]
    for r in peers:
        if "error" in r:
            print(f"| {r['peer']} | error | | | | | |")
            continue
        rows.append(dict(peer=r["peer"], load_s=r.get("load_s") or r.get("load_csv_s"),
                         qps=r.get("qps") or r.get("stable_bfs_qps"),
                         filtered_ms=r.get("filtered_ms_per_query") or r.get("filtered_stable_bfs_ms_per_query"),
                         peak_mb=r.get("peak_rss_mb")))
        if r["peer"] == "petgraph":
            rows.append(dict(peer="petgraph (CSR, bidirectional)", load_s=None, qps=r.get("csr_bibfs_qps"),
                             filtered_ms=r.get("filtered_csr_bibfs_ms_per_query"), peak_mb=None))
    f = lambda v, nd=2: "-" if v is None else f"{v:.{nd}f}"
    for r in rows:
        ratio = kg_row["qps"] / r["qps"] if r.get("qps") else None
        fratio = r["filtered_ms"] / kg_row["filtered_ms"] if r.get("filtered_ms") else None
        print(f"| {r['peer']} | {f(r['load_s'])} | {f(r['qps'], 0)} | {f(r['filtered_ms'], 3)} | {f(r['peak_mb'], 0)} | "
              f"{f(ratio, 1)}x | {f(fratio, 1)}x |")


if __name__ == "__main__":
    main()
