#!/usr/bin/env python3
"""Writes docs/tck.md from the TCK runner's report (target/tck/report.txt).

Run `cargo test --release --test tck` first; then python3 tests/tck/summarize.py.
The page gives the totals, each feature file's counts, every failing scenario with
its cause and the reasons scenarios are not applicable, grouped.
"""

import collections
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    report = open(os.path.join(ROOT, "target", "tck", "report.txt")).read().split("\n\n", 1)
    counts, details = report[0].splitlines(), report[1] if len(report) > 1 else ""
    total = counts[-1]
    files = counts[:-1]
    failures, not_applicable = [], collections.Counter()
    lines = details.splitlines()
    for head, why in zip(lines[0::2], lines[1::2]):
        why = why.strip()
        if head.startswith("FAIL "):
            failures.append((head[5:], why))
        elif head.startswith("N/A  "):
            reason = re.sub(r" \(.*", "", why)
            not_applicable[reason] += 1
    out = [
        "[kg](../README.md) · [documentation](README.md)",
        "",
        "# The openCypher TCK",
        "",
        "`tests/tck.rs` runs the openCypher Technology Compatibility Kit (220 feature files,",
        "openCypher commit ecbde675, Apache-2.0; `tests/tck/fetch.py` fetches them into",
        "`target/tck`, nothing of them is committed) on the clauses MATCH, MATCH WHERE, RETURN,",
        "RETURN ORDER BY, RETURN SKIP LIMIT, WITH, WITH WHERE, WITH ORDER BY, WITH SKIP LIMIT,",
        "UNWIND, UNION, CREATE, MERGE, SET, REMOVE, DELETE and every folder of `expressions/`.",
        "Each scenario runs on a fresh store, its setup included, and is compared as the TCK",
        "says: rows in order or in any order, lists in any order where it says so, side",
        "effects, expected errors (an error is expected and kg refuses: the error's type is",
        "not compared, kg's errors are messages). The test fails when a scenario listed in",
        "`tests/tck/passing.txt` stops passing.",
        "",
        f"**{total.replace('total: ', '')}.**",
        "",
        "A scenario is not applicable when kg's model cannot hold it, never because it",
        "fails; the reasons, with how many scenarios each keeps out:",
        "",
    ]
    for reason, n in not_applicable.most_common():
        out.append(f"- {n}: {reason}")
    out += [
        "",
        "The two largest are choices of kg's model, kept on purpose:",
        "",
        "- **Dates are calendar days, months and years and spans of them**, not instants:",
        "  what reporting states (`2025-02`, `..2025-06-29`), compared by overlap. Times of",
        "  day, time zones and durations would be a second date model beside it.",
        "- **Every entity has a unique name.** Most TCK setups create nodes without one",
        "  (`CREATE (:A {num: 1})`); kg refuses that (`an entity needs a name`). An actor is",
        "  found, merged, aliased, imported, exported (`.kg`, DOT, CSV), shown in paths and",
        "  addressed on the command line by its name; the identity checks (an alias never",
        "  takes another entity's name, `kg merge`, ingest's matching of names) all rest on",
        "  it. Nameless entities, shown by id, would bring about 700 scenarios into scope",
        "  but give every one of those paths a second kind of entity that cannot be",
        "  written in a `.kg` file or named in `kg path`; an analyst's graph has no use for",
        "  an actor nobody can name. The runner does not invent names for these setups",
        "  either: `RETURN n` would then show a property the scenario never set.",
        "",
        "## What still fails",
        "",
        "Every failing scenario, with what kg did:",
        "",
    ]
    for key, why in failures:
        out.append(f"- {key}: {why.replace('|', '¦')}")
    out += ["", "## Per feature file", "", "```text"] + files + ["```", ""]
    path = os.path.join(ROOT, "docs", "tck.md")
    with open(path, "w") as f:
        f.write("\n".join(out))
    print(f"wrote {path}: {len(failures)} failures listed")


if __name__ == "__main__":
    main()
