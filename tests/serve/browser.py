#!/usr/bin/env python3
"""Drives kg serve's page in headless Chromium through ChromeDriver (the W3C WebDriver
protocol over HTTP, with nothing but the standard library), as a person would: searches
an actor, expands it, finds a path, moves the time window, reads a relation's card, and
loads a graph of hostile names. Prints a line per step that held; exits 1 at the first
that does not. Screenshots go to SHOTS.

Usage: browser.py BASE_URL HOSTILE_BASE_URL WRITABLE_BASE_URL SHOTS_DIR
"""
import os
import sys

from webdriver import Browser

base, hostile_base, writable_base, shots = sys.argv[1:5]
browser = Browser()
run = browser.run
click = browser.click
type_into = browser.type_into


def wait(description, script, timeout=20):
    value = browser.wait(script, timeout)
    if not value:
        fail(f"{description}: not so after {timeout} s")
    return value


def chart():
    return run("return document.getElementById('chart').getAttribute('aria-label') || ''")


def shown():
    words = chart().replace(":", " ").replace(",", " ").split()
    at = words.index("relation") if "relation" in words else words.index("relations")
    return int(words[at - 1])


def screenshot(name):
    browser.screenshot(os.path.join(shots, name))


def fail(message):
    print(f"FAILED: {message}", file=sys.stderr)
    try:
        screenshot("failure.png")
        print("status:", run("return document.getElementById('status').textContent"), file=sys.stderr)
        print("chart:", chart(), file=sys.stderr)
    finally:
        finish(1)


def finish(code):
    browser.close()
    sys.exit(code)


# Any script the page runs from the data would set this.
ALARM = "window.__ran_data = true"

try:
    browser.open(base + "/")
    wait("the page loads the database", "return document.getElementById('database').textContent")

    # Search an actor and put it on the chart.
    type_into("#search", "Naryshkin")
    click("#search-form button[type=submit]")
    wait("a search result", "return document.querySelector('#search-results button')")
    click("#search-results button")
    wait("Naryshkin on the chart", "return (document.getElementById('chart').getAttribute('aria-label') || '').includes('1 actor')")
    print("searched Naryshkin:", chart())
    # Nothing the page does is refused by its own security policy, or fails.
    for level, message in browser.console():
        if level == "SEVERE":
            fail(f"the console: {message}")

    # Expand it from its card.
    wait("the card", "return document.getElementById('card-title').textContent === 'Naryshkin'")
    run(
        "for (const b of document.querySelectorAll('#card-body button'))"
        " if (b.textContent === 'Expand') { b.click(); return true; } return false;"
    )
    wait("neighbours on the chart", "return !/: 1 actor /.test(document.getElementById('chart').getAttribute('aria-label'))")
    print("expanded Naryshkin:", chart())

    # Find a path and see it highlighted.
    type_into("#path-source", "Naryshkin")
    type_into("#path-target", "Putin")
    click("#path-form button[type=submit]")
    wait("the highlighted path", "return document.getElementById('chart').getAttribute('aria-label').includes('highlighted path')")
    label = chart()
    for name in ["Naryshkin", "Putin"]:
        if name not in label.split("highlighted path:")[1]:
            fail(f"{name} is not on the highlighted path: {label}")
    print("path highlighted:", label)
    screenshot("path.png")

    # Move the time window: dated relations outside it disappear, then return.
    run("document.getElementById('show-undated').checked = false; document.getElementById('show-undated').dispatchEvent(new Event('input'));")
    before = shown()
    run(
        "const s = document.getElementById('window-start'), e = document.getElementById('window-end');"
        "s.value = s.max; e.value = e.max; s.dispatchEvent(new Event('input'));"
    )
    during = shown()
    run(
        "const s = document.getElementById('window-start'), e = document.getElementById('window-end');"
        "s.value = s.min; e.value = e.max; s.dispatchEvent(new Event('input'));"
    )
    after = shown()
    if not (during < before and after == before):
        fail(f"the time window: {before} relations, then {during}, then {after}")
    print(f"time window hides and shows: {before} -> {during} -> {after}")
    run("document.getElementById('show-undated').checked = true; document.getElementById('show-undated').dispatchEvent(new Event('input'));")

    # Open a relation's card and read its quote.
    type_into("#search", "Ratcliffe")
    click("#search-form button[type=submit]")
    wait("Ratcliffe found", "return [...document.querySelectorAll('#search-results button')].some(b => b.textContent.startsWith('Ratcliffe'))")
    run("[...document.querySelectorAll('#search-results button')].find(b => b.textContent.startsWith('Ratcliffe')).click()")
    wait("Ratcliffe's card", "return document.getElementById('card-title').textContent === 'Ratcliffe'")
    run("[...document.querySelectorAll('#card-body ul button')].find(b => b.textContent.includes('phoned')).click()")
    quote = wait("a quote", "const q = document.querySelector('#card-body blockquote'); return q && q.textContent")
    if "phone call" not in quote:
        fail(f"the quote: {quote!r}")
    print("card quote:", quote[:60])
    screenshot("card.png")

    # The hostile graph: every name drawn and listed as text, no markup, no script.
    browser.open(hostile_base + "/")
    wait("the hostile page loads", "return document.getElementById('database').textContent")
    run(ALARM.replace("true", "false"))
    type_into("#query", "MATCH (a)-[r]-(b) RETURN a, r, b")
    click("#query-form button[type=submit]")
    wait("the query's table", "return document.querySelector('#query-result table')")
    wait("names on the chart", "return document.querySelectorAll('#on-chart li').length >= 10")
    names = run("return [...document.querySelectorAll('#on-chart li .name')].map(b => b.textContent)")
    for expected in [
        "<b>html</b>",
        "{braces}",
        "习近平",
        'a "quoted" name',
        "<script>window.__ran_data=true</script>",
        '<img src=x onerror="window.__ran_data=true">',
    ]:
        if expected not in names:
            fail(f"{expected!r} is not listed as written: {names}")
    if run("return document.querySelectorAll('#panel b, #card b, #query-result b, img, body script:not([src])').length") != 0:
        fail("a name was rendered as markup")
    if run("return window.__ran_data === true"):
        fail("a script from the data ran")
    run("[...document.querySelectorAll('#on-chart li .name')].find(b => b.textContent === '<b>html</b>').click()")
    wait("the hostile card", "return document.getElementById('card-title').textContent === '<b>html</b>'")
    if run("return document.querySelectorAll('#card b').length") != 0:
        fail("the card rendered markup")
    print("hostile names are text:", len(names), "names")
    screenshot("hostile.png")

    # A server started with --write: a command typed in the Curate box, quotes and all.
    browser.open(writable_base + "/")
    wait("the curation box", "return !document.getElementById('curate').hidden")
    type_into("#write", 'add entity "Web \\"Desk\\" Person" --kind person')
    click("#write-form button[type=submit]")
    wait("the write done", "return document.getElementById('status').textContent.startsWith('Done')")
    type_into("#search", "Web")
    click("#search-form button[type=submit]")
    found = wait("the new entity found", "const b = document.querySelector('#search-results button'); return b && b.textContent")
    if found != 'Web "Desk" Person':
        fail(f"the written entity: {found!r}")
    click("#undo")
    wait("the undo done", "return document.getElementById('status').textContent.startsWith('Done: undid write')")
    print("curated from the page:", found)
except SystemExit:
    raise
except Exception as e:
    fail(f"{type(e).__name__}: {e}")
finish(0)
