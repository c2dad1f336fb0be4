#!/usr/bin/env python3
"""How well `kg duplicates` finds injected duplicates: precision and recall.

Generates a graph of actors (people with Russian-style names, organisations), dated
relations among them, and then duplicates of some actors written the ways reporting
writes one name differently:

  case       SERGEI NARYSHKIN with the space doubled or dropped (case alone is the
             same name to kg: names compare case-insensitively)
  spacing    "Sergei  Naryshkin", "SergeiNaryshkin"
  typo       one letter dropped, doubled, swapped with the next, or replaced
  spelling   the variants of transliteration: y/i, kh/h, ks/x, doubled letters
  cyrillic   the name in Cyrillic (Нарышкин)

Each duplicate has a few relations of its own, most to neighbours of the actor it
duplicates (two reports of the same actor), as happens when two sources are imported.
The script writes the graph as a .kg file, imports it with kg, runs
`kg duplicates --format json --min-score 0 --limit 1000000`, and reports:

  - precision and recall at the default threshold (score >= 0.6);
  - precision and recall of the top D pairs, D the number of injected duplicates;
  - recall by kind of variant.

A found pair counts as right when it is an injected (original, duplicate) pair. Pairs
of two different generated actors that happen to be alike (the generator can make two
"Ivanov"s) count against precision, as they would for an analyst.

  python3 benches/duplicates.py                       # 2,000 actors, 200 duplicates
  python3 benches/duplicates.py --actors 20000 --duplicates 2000 --seed 7
  python3 benches/duplicates.py --kg target/release/kg

--kg PATH uses that binary instead of `cargo build --release`. Files go to a temporary
folder (--keep DIR keeps them there).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

FIRST = ["Sergei", "Vladimir", "Dmitry", "Alexei", "Nikolai", "Mikhail", "Yuri", "Ivan",
         "Pavel", "Andrei", "Oleg", "Boris", "Viktor", "Grigory", "Konstantin", "Maxim",
         "Anna", "Maria", "Elena", "Olga", "Tatyana", "Natalya", "Irina", "Svetlana"]
ONSETS = ["b", "v", "g", "d", "zh", "z", "k", "l", "m", "n", "p", "r", "s", "t", "f",
          "kh", "ts", "ch", "sh", "shch", ""]
VOWELS = ["a", "o", "u", "e", "i", "y", "ya", "yu"]
ENDINGS = ["ov", "ev", "in", "sky", "enko", "yuk", "ich", "ko"]
ORG_WORDS = ["Agency", "Institute", "Bureau", "Committee", "Group", "Holding", "Fund",
             "Service", "Directorate", "Council"]
TYPES = ["met", "phoned", "accused", "praised", "visited", "funded"]

# Latin to Cyrillic, longest first, for the 'cyrillic' variant.
TO_CYRILLIC = [("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
               ("sh", "ш"), ("ya", "я"), ("yu", "ю"), ("sky", "ский"), ("a", "а"),
               ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
               ("i", "и"), ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
               ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
               ("f", "ф"), ("h", "х"), ("c", "к"), ("x", "кс"), ("j", "й"), ("w", "в"),
               ("q", "к")]


def surname(rng):
    syllables = rng.randint(1, 3)
    word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
    return (word + rng.choice(ENDINGS)).capitalize()


def to_cyrillic(text):
    out, i, lower = [], 0, text.lower()
    while i < len(lower):
        for latin, cyr in TO_CYRILLIC:
            if lower.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    # Capitalise each word as the Latin was.
    return " ".join(w[:1].upper() + w[1:] for w in "".join(out).split(" "))


def variant(name, how, rng):
    if how == "case":
        cased = name.upper() if rng.random() < 0.5 else name.lower()
        return variant(cased, "spacing", rng)
    if how == "spacing":
        parts = name.split(" ")
        return ("  " if rng.random() < 0.5 else "").join(parts)
    if how == "typo":
        letters = [i for i, c in enumerate(name) if c.isalpha()][1:]
        i = rng.choice(letters)
        kind = rng.choice(["drop", "double", "swap", "replace"])
        if kind == "drop":
            return name[:i] + name[i + 1:]
        if kind == "double":
            return name[:i] + name[i] + name[i:]
        if kind == "swap" and i + 1 < len(name) and name[i + 1].isalpha():
            return name[:i] + name[i + 1] + name[i] + name[i + 2:]
        return name[:i] + rng.choice("aeiounrst") + name[i + 1:]
    if how == "spelling":
        for a, b in [("y", "i"), ("kh", "h"), ("ks", "x"), ("i", "y"), ("v", "w"),
                     ("ts", "tz"), ("e", "ye")]:
            if a in name[1:]:
                return name[0] + name[1:].replace(a, b, 1)
        return name + name[-1]
    if how == "cyrillic":
        return to_cyrillic(name)
    raise ValueError(how)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(actors, duplicates, seed):
    rng = random.Random(seed)
    names, kinds, used = [], [], set()
    while len(names) < actors:
        if rng.random() < 0.8:
            name, kind = f"{rng.choice(FIRST)} {surname(rng)}", "person"
        else:
            name, kind = f"{surname(rng)} {rng.choice(ORG_WORDS)}", "org"
        if name.lower() not in used:
            used.add(name.lower())
            names.append(name)
            kinds.append(kind)
    relations = []
    neighbours = defaultdict(set)
    for _ in range(actors * 4):
        a, b = rng.randrange(actors), rng.randrange(actors)
        if a == b:
            continue
        day = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
        relations.append((a, rng.choice(TYPES), b, day))
        neighbours[a].add(b)
        neighbours[b].add(a)
    hows = ["case", "spacing", "typo", "spelling", "cyrillic"]
    truth = {}
    for original in rng.sample(range(actors), duplicates):
        how = hows[len(truth) % len(hows)]
        dup = variant(names[original], how, rng)
        if dup.strip().lower() in used or not dup.strip():
            continue
        used.add(dup.strip().lower())
        index = len(names)
        names.append(dup)
        kinds.append(kinds[original] if rng.random() < 0.8 else "other")
        truth[index] = (original, how)
        shared = list(neighbours[original])
        rng.shuffle(shared)
        for other in shared[:rng.randint(1, 3)] + [rng.randrange(actors)]:
            if other != index:
                day = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
                relations.append((index, rng.choice(TYPES), other, day))
    lines = [f"type {t} directed" for t in TYPES]
    lines += [f"{kinds[i]} {quote(names[i])}" for i in range(len(names))]
    lines += [f"{quote(names[a])} -[{t}]-> {quote(names[b])} @ {d}" for a, t, b, d in relations]
    return names, truth, "\n".join(lines) + "\n"


def kg_binary(path):
    if path:
        return path
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    return os.path.join("target", "release", "kg")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--duplicates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kg")
    parser.add_argument("--keep")
    args = parser.parse_args()
    kg = kg_binary(args.kg)
    folder = args.keep or tempfile.mkdtemp(prefix="kg-duplicates-")
    os.makedirs(folder, exist_ok=True)
    names, truth, source = generate(args.actors, args.duplicates, args.seed)
    graph = os.path.join(folder, "graph.kg")
    db = os.path.join(folder, "graph.kgdb")
    with open(graph, "w", encoding="utf-8") as f:
        f.write(source)
    for stale in (db, db + ".journal"):
        if os.path.exists(stale):
            os.remove(stale)
    subprocess.run([kg, "--db", db, "-q", "import", graph], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([kg, "--db", db, "--format", "json", "duplicates", "--min-score", "0",
                          "--limit", "1000000"], capture_output=True, text=True)
    pairs = json.loads(out.stdout) if out.stdout.strip() else []
    # kg stores names trimmed: match them back the same way.
    index = {name.strip(): i for i, name in enumerate(names)}
    right = {frozenset((dup, original)) for dup, (original, _) in truth.items()}
    found = [(p["score"], frozenset((index.get(p["a"]["name"]), index.get(p["b"]["name"]))))
             for p in pairs]
    found.sort(key=lambda x: -x[0])

    def measure(chosen):
        hits = sum(1 for _, pair in chosen if pair in right)
        precision = hits / len(chosen) if chosen else 1.0
        recall = hits / len(right) if right else 1.0
        return len(chosen), hits, precision, recall

    print(f"{args.actors} actors, {len(truth)} injected duplicates, {len(pairs)} candidate pairs (seed {args.seed})")
    print(f"{'selection':<24} {'pairs':>7} {'right':>7} {'precision':>10} {'recall':>8}")
    for label, chosen in [("score >= 0.6 (default)", [f for f in found if f[0] >= 0.6]),
                          (f"top {len(right)} (= duplicates)", found[:len(right)]),
                          ("score >= 0.8", [f for f in found if f[0] >= 0.8])]:
        n, hits, p, r = measure(chosen)
        print(f"{label:<24} {n:>7} {hits:>7} {p:>10.3f} {r:>8.3f}")
    default = {pair for score, pair in found if score >= 0.6}
    by_how = Counter(how for _, how in truth.values())
    caught = Counter(how for dup, (original, how) in truth.items()
                     if frozenset((dup, original)) in default)
    print("recall at the default threshold, by variant: " +
          ", ".join(f"{how} {caught[how] / by_how[how]:.2f}" for how in sorted(by_how)))
    if not args.keep:
        for path in (graph, db, db + ".lock"):
            if os.path.exists(path):
                os.remove(path)
        os.rmdir(folder) if not os.listdir(folder) else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
