#!/usr/bin/env python3
"""Drives `kg shell` on a pseudo-terminal, as a person would: types lines and keys,
waits for what kg prints, and prints the whole transcript for tests/shell.rs to check.

Usage: drive.py KG_BINARY DB_FILE HISTORY_FILE
"""
import os
import pty
import select
import sys
import time

kg, db, history = sys.argv[1:4]
# An article for `ingest --review`, beside the history file.
article = os.path.join(os.path.dirname(history), "article.txt")
with open(article, "w") as f:
    f.write("# published: 2025-06-29\nHeadline\n\nPoland phoned Belarus on Tuesday.\n")
pid, fd = pty.fork()
if pid == 0:
    os.environ["KG_HISTORY"] = history
    os.environ["TERM"] = "xterm"
    os.environ["NO_COLOR"] = "1"
    os.execv(kg, [kg, "--db", db, "shell"])

transcript = b""
# Where the last expected text ended: each wait looks for its text after it.
cursor = 0


def read_until(needle, timeout=20.0):
    """Reads until `needle` appears after the last text waited for, or the time is up."""
    global transcript, cursor
    deadline = time.time() + timeout
    while True:
        found = transcript.find(needle.encode(), cursor)
        if found >= 0:
            cursor = found + len(needle.encode())
            return True
        if time.time() >= deadline:
            return False
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            transcript += chunk


def send(text):
    os.write(fd, text.encode())


# (keys to type, what kg prints afterwards). Each wait names text that only the
# answer prints (the line editor redraws "kg> " with every key), then the prompt after
# it, so nothing is typed before kg is ready for it.
steps = [
    ("", "kg> "),
    ("show Putin\r", "President of Russia"),
    ("", "kg> "),
    ("que\t", "query"),                   # completes the command
    (" 'MATCH (n:person) RETURN count(*) AS people'\r", "people"),
    ("", "kg> "),
    ("show Naryshk\t", "Naryshkin"),     # completes the name
    ("\r", "Foreign Intelligence Service"),
    ("", "kg> "),
    ("MATCH (a)-[r:phoned]->(b)\r", ""),  # a query over two lines
    ("RETURN a.name, b.name;\r", "Trump      Putin"),
    ("", "kg> "),
    ("MATCH p = (a)-[*..30]-(b) RETURN count(*);\r", ""),
    (None, "cancelled"),                  # Ctrl-C cancels the query, not the session
    ("", "kg> "),
    ("add entity Lavrov --kind person\r", "added entity Lavrov"),
    ("", "kg> "),
    ("show Lavr\t", "Lavrov"),           # a name added in this session completes
    ("\r", "Lavrov (person)"),
    ("", "kg> "),
    (f"ingest {article} --review\r", "[q]uit (reject the rest)? "),
    ("z\r", "answer a, r, e, A or q"),     # a wrong answer is asked again
    ("a\r", "accepted 1 of 1 candidate"),  # the answer is read from the terminal
    ("", "kg> "),
    (".quit\r", None),
]
ok = True
for keys, expect in steps:
    if keys is None:
        time.sleep(3.0)  # well after the query started, even on a loaded machine
        send("\x03")
    elif keys:
        send(keys)
    if expect is None:
        time.sleep(0.5)
        read_until("\x00", timeout=2)
    elif expect and not read_until(expect):
        print(f"kg did not print {expect!r} after {keys!r}", file=sys.stderr)
        ok = False
        break
if not ok:
    os.kill(pid, 9)  # a session that went astray must not hang the test
os.waitpid(pid, 0)
sys.stdout.write(transcript.decode("utf-8", "replace").replace("\r\n", "\n"))
sys.exit(0 if ok else 1)
