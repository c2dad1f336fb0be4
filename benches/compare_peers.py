#!/usr/bin/env python3
"""kg against other graph engines, on the same generated event graph and the same pairs.

What it does, all inside this repository:
  1. generates the data with kg's own generator (`cargo run --release --example
     gen_events`, see benches/support/synthetic.rs): entities.csv, relations.csv, 1000
     query pairs (pairs.csv) and 20 pairs for the filtered query (filtered_pairs.csv);
     --size 10k is 10,000 actors and 100,000 events, 100k is 100,000 and 1,000,000,
     1m is 1,000,000 and 10,000,000;
  2. kg: imports the CSVs into a database, then `kg -v --db FILE path --pairs pairs.csv`
     and the filtered pairs with `--type phoned --type met --from 2020-01-01 --to
     2022-12-31` (and, for the notes, `--chronological`), each pairs file given --reps
     times over in one run, as the peers repeat theirs in one process; kg prints on
     stderr how long opening, the adjacency and the searches took: "ready to query" is
     open plus adjacency, shortest paths/s counts the searches only (a pass's share);
  3. each peer in a process of its own under /usr/bin/time -v (peak memory):
     networkx, igraph, rustworkx and Kùzu through benches/peers/peers.py, in a venv the
     script makes and fills with pip; petgraph through benches/petgraph-baseline, a
     small cargo package of its own (a StableGraph and a name map saved and opened with
     bincode, breadth-first search on the StableGraph, bidirectional breadth-first
     search on a CSR built after opening);
  4. checks the path lengths pair for pair against kg's and prints one table, in the
     README's shape, with kg's ratios against each engine.

All numbers of one table come from one run on one machine: quote ratios, not seconds,
and compare ratios within a table, not seconds across tables or machines.

  python3 benches/compare_peers.py --size 10k --peers networkx,petgraph,igraph,kuzu
  python3 benches/compare_peers.py --size 100k --peers networkx,petgraph
  python3 benches/compare_peers.py --size 1m --peers petgraph,igraph,kuzu --budget 60
  python3 benches/compare_peers.py --size 10k --kg target/release/kg --data /tmp/d10k

--kg PATH uses that kg binary instead of `cargo build --release`; --gen PATH runs that
gen_events binary instead of `cargo run --release --example gen_events`; --data DIR
keeps the generated files there and reuses them when present. --budget caps each query
phase of each engine in seconds (its rate is then over the pairs it did). Scratch files
(venv, data, databases, results) go under target/peers/ unless --scratch says otherwise.

Needs: cargo, python3 with venv and pip (the peers' packages are installed into the
venv, from PyPI), and /usr/bin/time (GNU time).
"""
import argparse
import csv
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS_PY = os.path.join(HERE, "peers", "peers.py")
BASELINE = os.path.join(HERE, "petgraph-baseline")
SIZES = {"10k": (10_000, 100_000), "100k": (100_000, 1_000_000), "1m": (1_000_000, 10_000_000)}
ENGINES = ["petgraph", "igraph", "kuzu", "networkx", "rustworkx"]
PIP = {"networkx": ["networkx", "pandas"], "igraph": ["igraph", "numpy", "pandas"],
       "kuzu": ["kuzu==0.11.*", "pandas"], "rustworkx": ["rustworkx", "numpy", "pandas"]}
NAMES = {"networkx": "networkx", "igraph": "igraph", "kuzu": "Kùzu", "rustworkx": "rustworkx"}
FILTER = ["--type", "phoned", "--type", "met", "--from", "2020-01-01", "--to", "2022-12-31"]


def say(*words):
    print(*words, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    say("+", " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, timeout=None):
    """Runs cmd under /usr/bin/time -v: (return code, stdout, stderr, wall s, peak RSS MB)."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return p.returncode, p.stdout, p.stderr, wall, int(rss.group(1)) / 1024 if rss else None


def count_rows(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


# ------------------------------------------------------------------ data

def generate(a, data):
    actors, events = SIZES[a.size]
    want = dict(actors=actors, events=events)
    stamp = os.path.join(data, "generated.json")
    files = ("entities.csv", "relations.csv", "pairs.csv", "filtered_pairs.csv")
    if all(os.path.exists(os.path.join(data, f)) for f in files):
        if os.path.exists(stamp):
            with open(stamp) as f:
                had = json.load(f)
            if had != want:
                sys.exit(f"{data} holds {had['actors']} actors and {had['events']} events, not {a.size}: "
                         "give another --data or remove it")
        say(f"reusing the data in {data}")
        return
    os.makedirs(data, exist_ok=True)
    gen = [a.gen] if a.gen else ["cargo", "run", "--release", "--manifest-path",
                                 os.path.join(ROOT, "Cargo.toml"), "--example", "gen_events", "--"]
    sh(gen + ["--actors", str(actors), "--events", str(events), "--out", data])
    with open(stamp, "w") as f:
        json.dump(want, f)


# ------------------------------------------------------------------ kg

def kg_seconds(text, what):
    m = re.search(rf"kg: {what} in ([0-9.]+) s", text)
    if not m:
        sys.exit(f"kg -v printed no timing for {what!r}:\n{text[-2000:]}")
    return float(m.group(1))


def kg_hops(stdout):
    """Hops per pair from `--format csv` output, -1 where there is no path."""
    return [int(r["hops"]) if r["hops"] else -1 for r in csv.DictReader(stdout.splitlines())]


def run_kg(a, kg, data, scratch):
    db = os.path.join(scratch, f"kg-{a.label}.kgdb")
    for f in os.listdir(scratch):
        if f.startswith(os.path.basename(db)):
            os.remove(os.path.join(scratch, f))
    rc, _, err, import_s, import_mb = timed([kg, "--db", db, "import", os.path.join(data, "entities.csv"),
                                            os.path.join(data, "relations.csv")])
    if rc != 0:
        sys.exit(f"kg import failed:\n{err[-2000:]}")

    def batch(pairs_file, extra):
        """Runs the pairs --reps times over in one process, as the peers run their reps in
        theirs (the first pass pays for the search state's fresh pages and cold caches), in
        --reps processes: medians of the timings (per pass), the hops, the peak memory."""
        with open(pairs_file) as f:
            header, *rows = f.read().splitlines()
        repeated = os.path.join(scratch, os.path.basename(pairs_file) + f".x{a.reps}")
        with open(repeated, "w") as f:
            f.write("\n".join([header] + rows * a.reps) + "\n")
        runs = []
        for _ in range(a.reps):
            cmd = [kg, "-v", "--db", db, "--format", "csv", "path", "--pairs", repeated] + extra
            rc, out, err, _, mb = timed(cmd, a.timeout)
            if rc not in (0, 1):  # 1: no path for any pair
                sys.exit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
            runs.append(dict(open=kg_seconds(err, r"opened \d+ entities and \d+ relations"),
                             adjacency=kg_seconds(err, "built the adjacency"),
                             search=kg_seconds(err, r"answered \d+ pairs") / a.reps,
                             hops=kg_hops(out)[:len(rows)], mb=mb,
                             sizes=re.search(r"kg: opened (\d+) entities and (\d+) relations", err).groups()))
        if any(r["hops"] != runs[0]["hops"] for r in runs):
            sys.exit("kg found other path lengths on another run")
        med = {k: statistics.median(r[k] for r in runs) for k in ("open", "adjacency", "search")}
        return dict(med, hops=runs[0]["hops"], mb=max(r["mb"] for r in runs), sizes=runs[0]["sizes"])

    pairs = os.path.join(data, "pairs.csv")
    filtered = os.path.join(data, "filtered_pairs.csv")
    plain = batch(pairs, [])
    only = batch(filtered, FILTER)
    chrono = batch(filtered, ["--chronological"])
    n, nf = count_rows(pairs), count_rows(filtered)
    return dict(
        engine="kg", ready_s=plain["open"] + plain["adjacency"], qps=n / plain["search"],
        filtered_ms=only["search"] * 1000 / nf, peak_mb=max(plain["mb"], only["mb"]),
        hops=plain["hops"], filtered_hops=only["hops"], done=n, filtered_done=nf,
        note=(f"kg: import {import_s:.2f} s (peak {import_mb:,.0f} MB); open {plain['open']:.3f} s + "
              f"adjacency {plain['adjacency']:.3f} s; chronological path "
              f"{chrono['search'] * 1000 / nf:.3g} ms a pair ({nf} pairs)"),
        sizes=tuple(int(x) for x in plain["sizes"]))


# ------------------------------------------------------------------ peers

def venv_python(a, peers):
    venv = os.path.join(a.scratch, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        sh([sys.executable, "-m", "venv", venv])
    need = sorted({p for peer in peers for p in PIP[peer]})
    sh([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + need)
    return py


def run_python_peer(a, py, peer, data):
    out = os.path.join(a.scratch, "results", a.label, f"{peer}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    cmd = [py, PEERS_PY, "--engine", peer, "--data", data, "--out", out,
           "--scratch", os.path.join(a.scratch, "engines", a.label),
           "--budget", str(a.budget), "--reps", str(a.reps)]
    say("+", " ".join(cmd))
    try:
        rc, _, err, _, mb = timed(cmd, a.timeout)
    except subprocess.TimeoutExpired:
        return [dict(engine=NAMES[peer], error=f"killed after {a.timeout:.0f} s")]
    if rc != 0 or not os.path.exists(out):
        return [dict(engine=NAMES[peer], error=err.split("\tCommand being timed")[0].strip()[-600:])]
    with open(out) as f:
        r = json.load(f)
    row = dict(engine=f"{NAMES[peer]} {r['version']}", ready_s=r["ready_s"],
               qps=r["paths_done"] / r["paths_seconds"],
               filtered_ms=r["filtered_seconds"] * 1000 / max(r["filtered_done"], 1), peak_mb=mb,
               hops=r["paths_hops"], filtered_hops=r["filtered_hops"],
               done=r["paths_done"], filtered_done=r["filtered_done"])
    if "import_s" in r:
        row["note"] = f"{NAMES[peer]}: import (COPY) {r['import_s']:.2f} s; ready = opening its database"
    return [row]


def petgraph_version():
    lock = os.path.join(BASELINE, "Cargo.lock")
    if os.path.exists(lock):
        m = re.search(r'name = "petgraph"\nversion = "([^"]+)"', open(lock).read())
        if m:
            return m.group(1)
    return "0.8"


def run_petgraph(a, data):
    sh(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(BASELINE, "Cargo.toml")])
    exe = os.path.join(BASELINE, "target", "release", "petgraph-baseline")
    out = os.path.join(a.scratch, "results", a.label, "petgraph.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [exe, "--data", data, "--out", out, "--budget", str(a.budget), "--reps", str(a.reps),
           "--bin", os.path.join(a.scratch, f"petgraph-{a.label}.bincode")]
    say("+", " ".join(cmd))
    name = f"petgraph {petgraph_version()}"
    try:
        rc, _, err, _, mb = timed(cmd, a.timeout)
    except subprocess.TimeoutExpired:
        return [dict(engine=name, error=f"killed after {a.timeout:.0f} s")]
    if rc != 0:
        return [dict(engine=name, error=err.split("\tCommand being timed")[0].strip()[-600:])]
    with open(out) as f:
        r = json.load(f)
    rate = lambda key: r[key + "_done"] / r[key + "_seconds"]
    ms = lambda key: r[key + "_seconds"] * 1000 / max(r[key + "_done"], 1)
    stable = dict(engine=f"{name} StableGraph BFS", ready_s=r["open_s"], qps=rate("stable_bfs"),
                  filtered_ms=ms("filtered_stable_bfs"), peak_mb=mb,
                  hops=r["stable_bfs_hops"], filtered_hops=r["filtered_stable_bfs_hops"],
                  done=r["stable_bfs_done"], filtered_done=r["filtered_stable_bfs_done"],
                  note=(f"petgraph: CSV to StableGraph {r['csv_load_s']:.2f} s, bincode save {r['save_s']:.3f} s "
                        f"({r['file_bytes'] / 1e6:,.0f} MB); ready = bincode decode + name map "
                        f"{r['open_s']:.3f} s (+ CSR build {r['csr_build_s']:.3f} s for the CSR row); "
                        f"StableGraph against CSR path lengths: "
                        f"{r['stable_vs_csr_disagreements']:.0f} and {r['filtered_stable_vs_csr_disagreements']:.0f}"
                        " disagreements"))
    csr = dict(engine=f"{name} CSR, bidirectional", ready_s=r["open_s"] + r["csr_build_s"],
               qps=rate("csr_bibfs"), filtered_ms=ms("filtered_csr_bibfs"), peak_mb=None,
               hops=r["csr_bibfs_hops"], filtered_hops=r["filtered_csr_bibfs_hops"],
               done=r["csr_bibfs_done"], filtered_done=r["filtered_csr_bibfs_done"])
    return [stable, csr]


# ------------------------------------------------------------------ table

def sig(v, digits=3):
    """3 significant digits, thousands separated: 0.0981, 14.1, 517, 1,235."""
    if v is None:
        return "-"
    if v == 0:
        return "0"
    if abs(v) >= 10 ** (digits - 1):
        return f"{v:,.0f}"
    return f"{v:.{digits}g}" if abs(v) >= 1e-4 else f"{v:.1e}"


def ratio(v):
    if v is None:
        return "-"
    return f"{v:,.0f}x" if v >= 10 else f"{v:.1f}x"


def agreement(kg, row, key, done_key):
    n = min(row[done_key], len(kg[key]))
    same = sum(1 for x, y in zip(kg[key][:n], row[key][:n]) if x == y)
    return same, n


def main():
    ap = argparse.ArgumentParser(description="kg against other graph engines (see the docstring)")
    ap.add_argument("--size", default="100k", choices=sorted(SIZES))
    ap.add_argument("--peers", default="networkx,petgraph",
                    help=f"comma-separated, of {','.join(ENGINES)}; empty for kg alone")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds at most per query phase per engine")
    ap.add_argument("--reps", type=int, default=3, help="runs of a cheap query phase (median kept)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="kill an engine's process after this")
    ap.add_argument("--kg", help="kg binary to use (default: cargo build --release, target/release/kg)")
    ap.add_argument("--gen", help="gen_events binary (default: cargo run --release --example gen_events)")
    ap.add_argument("--data", help="folder for the generated data, reused when present")
    ap.add_argument("--scratch", default=os.environ.get("SCRATCH", os.path.join(ROOT, "target", "peers")),
                    help="scratch folder: venv, data, databases, results (default target/peers)")
    a = ap.parse_args()
    peers = [p for p in a.peers.split(",") if p]
    unknown = [p for p in peers if p not in ENGINES]
    if unknown:
        sys.exit(f"unknown peers {','.join(unknown)}: choose from {','.join(ENGINES)}")
    if not shutil.which("/usr/bin/time"):
        sys.exit("needs GNU time at /usr/bin/time (apt-get install time)")
    a.scratch = os.path.abspath(a.scratch)
    os.makedirs(a.scratch, exist_ok=True)
    data = os.path.abspath(a.data or os.path.join(a.scratch, "data", a.size))
    a.label = a.size
    generate(a, data)

    if a.kg:
        kg = os.path.abspath(a.kg)
    else:
        sh(["cargo", "build", "--release", "--manifest-path", os.path.join(ROOT, "Cargo.toml")])
        kg = os.path.join(ROOT, "target", "release", "kg")
    say("kg on", data)
    kg_row = run_kg(a, kg, data, a.scratch)

    rows = [kg_row]
    python_peers = [p for p in peers if p != "petgraph"]
    py = venv_python(a, python_peers) if python_peers else None
    for peer in peers:
        say(f"{peer} on {data}")
        rows += run_petgraph(a, data) if peer == "petgraph" else run_python_peer(a, py, peer, data)

    entities, relations = kg_row["sizes"]
    print(f"\n{entities:,} actors, {relations:,} relations ({datetime.date.today()}, "
          f"{os.uname().nodename}, {os.cpu_count()} cores; one run, compare ratios):\n")
    print("| engine | ready to query (s) | shortest paths/s | filtered path (ms) | peak memory (MB) "
          "| kg's paths/s against it | kg's filtered speed against it |")
    print("|---|---|---|---|---|---|---|")
    notes, agree, short = [kg_row["note"]], [], []
    for r in rows:
        if "error" in r:
            print(f"| {r['engine']} | failed | | | | | |")
            notes.append(f"{r['engine']} failed: {r['error']}")
            continue
        if r is kg_row:
            against, fagainst = "1x", "1x"
        else:
            against = ratio(kg_row["qps"] / r["qps"] if r["qps"] else None)
            fagainst = ratio(r["filtered_ms"] / kg_row["filtered_ms"] if kg_row["filtered_ms"] else None)
            same, n = agreement(kg_row, r, "hops", "done")
            fsame, fn = agreement(kg_row, r, "filtered_hops", "filtered_done")
            agree.append(f"{r['engine']} {same}/{n} and {fsame}/{fn}")
            for key, done, total in (("paths", r["done"], kg_row["done"]),
                                     ("filtered", r["filtered_done"], kg_row["filtered_done"])):
                if done < total:
                    short.append(f"{r['engine']} did {done} of {total} {key} pairs")
        if r.get("note") and r is not kg_row:
            notes.append(r["note"])
        peak = "-" if r["peak_mb"] is None else f"{r['peak_mb']:,.0f}"
        print(f"| {r['engine']} | {r['ready_s']:.2f} | {sig(r['qps'])} | {sig(r['filtered_ms'])} | {peak} "
              f"| {against} | {fagainst} |")
    print()
    print("Path lengths against kg's, pair for pair (shortest, filtered): " + "; ".join(agree or ["no peers"]) + ".")
    if short:
        print("Budget of " + f"{a.budget:.0f} s reached: " + "; ".join(short) + " (rates over the pairs done).")
    for n in notes:
        print(n + ".")
    if any(s != n for e in agree for s, n in re.findall(r"(\d+)/(\d+)", e)):
        print("\nSome path lengths differ: see the per-engine results under "
              + os.path.join(a.scratch, "results", a.label))
        sys.exit(2)


if __name__ == "__main__":
    main()
