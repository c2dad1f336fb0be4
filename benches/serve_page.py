#!/usr/bin/env python3
"""How kg serve's page copes with a 10,000-relation neighbourhood, in headless Chromium.

Generates a graph with a hub related to 10,000 others (five relation types, dates over
five years) and a few hundred other relations, imports it, starts `kg serve`, and times
in the page:

- first draw: from the search's click to the hub drawn on the chart;
- expand, unfiltered: from the click to the refusal (10,000 relations are over the
  drawing limit), which must leave the page responsive;
- expand, filtered to one type (about 1,700 elements, under the limit): from the click
  to the neighbourhood drawn and laid out;
- the time window: one move of a slider over that neighbourhood, to the chart redrawn.

Each is the median of --runs runs, each in a fresh page. Needs chromium and
chromedriver (Debian's packages). Usage:

    python3 benches/serve_page.py --kg target/release/kg [--runs 5]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

# The WebDriver client the browser test uses.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "serve"))
from webdriver import Browser  # noqa: E402


def generate(path, spokes):
    types = ["met", "phoned", "visited", "supported", "criticized"]
    with open(path, "w") as f:
        f.write("type met symmetric\ntype phoned symmetric\ntype visited directed\n")
        f.write("type supported directed\ntype criticized directed\n")
        f.write("person Hub\n")
        for i in range(spokes):
            f.write(f'person "Spoke {i}"\n')
        for i in range(spokes):
            # One in twelve is a meeting: the filtered expansion draws about 1,700
            # elements, under the page's limit of 2,000.
            t = "met" if i % 12 == 0 else types[1 + i % 4]
            year = 2021 + (i // 7) % 5
            month = 1 + i % 12
            arrow = "-" if t in ("met", "phoned") else "->"
            f.write(f'Hub -[{t}]{arrow} "Spoke {i}" @ {year}-{month:02}-{1 + i % 28:02}\n')
        for i in range(0, spokes - 1, 37):
            f.write(f'"Spoke {i}" -[met]- "Spoke {i + 1}" @ 2023\n')


# The page's clock: performance.now() in milliseconds, read before a click and after the
# condition holds (the wait's polling adds at most 20 ms).
def timed(browser, act, until):
    browser.run("window.__t0 = performance.now();" + act)
    if not browser.wait(until, timeout=300):
        raise RuntimeError(f"timed out waiting for: {until}")
    return browser.run("return performance.now() - window.__t0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kg", required=True)
    parser.add_argument("--spokes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    kg = os.path.abspath(args.kg)
    work = tempfile.mkdtemp(prefix="kg-serve-bench-")
    source = os.path.join(work, "hub.kg")
    db = os.path.join(work, "hub.kgdb")
    generate(source, args.spokes)
    subprocess.run([kg, "--db", db, "-q", "import", source], check=True)
    server = subprocess.Popen([kg, "--db", db, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    base = "http://" + line.split("http://")[1].split("/")[0]
    results = {"first draw": [], "expand, refused": [], "expand, one type": [], "time window move": []}
    drawn = 0
    try:
        for _ in range(args.runs):
            browser = Browser()
            try:
                browser.open(base + "/")
                browser.wait("return document.getElementById('database').textContent")
                browser.run("document.getElementById('search').value = 'Hub';"
                            "document.querySelector('#search-form button').click();")
                browser.wait("return document.querySelector('#search-results button')")
                results["first draw"].append(timed(
                    browser,
                    "document.querySelector('#search-results button').click();",
                    "return document.getElementById('chart').getAttribute('aria-label').includes('1 actor')",
                ))
                results["expand, refused"].append(timed(
                    browser,
                    "[...document.querySelectorAll('#card-body button')].find(b => b.textContent === 'Expand').click();",
                    "return document.getElementById('status').textContent.includes('draws at most')",
                ))
                browser.run("document.querySelector('#types input[value=met]').checked = true;")
                results["expand, one type"].append(timed(
                    browser,
                    "[...document.querySelectorAll('#card-body button')].find(b => b.textContent === 'Expand').click();",
                    "return /: \\d{3,} actors/.test(document.getElementById('chart').getAttribute('aria-label'))",
                ))
                drawn = browser.run("return document.getElementById('chart').getAttribute('aria-label')")
                results["time window move"].append(timed(
                    browser,
                    "const s = document.getElementById('window-start'); s.value = Number(s.min) + (Number(s.max) - Number(s.min)) / 2;"
                    "s.dispatchEvent(new Event('input')); window.__moved = true;",
                    "return window.__moved && document.getElementById('chart').getAttribute('aria-label').includes('outside the time window')",
                ))
            finally:
                browser.close()
    finally:
        server.kill()
    print(f"{args.spokes:,} relations around one hub; {args.runs} runs; after the filtered expansion: {drawn}")
    print("| step | median (ms) | min (ms) | max (ms) |")
    print("| --- | --- | --- | --- |")
    for step, times in results.items():
        print(f"| {step} | {statistics.median(times):.0f} | {min(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    sys.exit(main())
