//! Time that reads right: uncertain dates in one documented order (an open start at
//! its known end, an open end at its start, ties by precision, undated last) in
//! timelines, `ORDER BY`, `min` and `max`; `r.earliest`, `r.latest` and the explicit
//! date relations of Cypher.

mod common;
use common::*;

const GRAPH: &str = "person A\nperson B\ntype did directed \"did\"\n\
A -[did]-> B @ ..2025-06-29\n\
A -[did]-> B @ 2025-06-29\n\
A -[did]-> B @ 2022-02-24..\n\
A -[did]-> B @ 2025-02\n\
A -[did]-> B @ 2025-02-01\n\
A -[did]-> B\n\
A -[did]-> B @ 2025-02-12\n";

/// The dates in the documented order.
const ORDER: [&str; 7] = [
    "2022-02-24..",
    "2025-02-01",
    "2025-02",
    "2025-02-12",
    "2025-06-29",
    "..2025-06-29",
    "",
];

fn loaded() -> Env {
    let env = Env::new();
    let file = env.write("g.kg", GRAPH);
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    env
}

fn dates(value: &serde_json::Value, key: &str) -> Vec<String> {
    value
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r[key].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn timeline_puts_an_open_start_at_its_known_end() {
    let env = loaded();
    let out = env.kg(&["--format", "json", "timeline"]);
    assert_exit(&out, 0);
    assert_eq!(dates(&json(&out), "date"), ORDER);
    let out = env.kg(&["--format", "json", "timeline", "A"]);
    assert_eq!(dates(&json(&out), "date"), ORDER);
}

#[test]
fn order_by_min_and_max_follow_the_same_rule() {
    let env = loaded();
    let out = env.kg(&[
        "--format",
        "json",
        "query",
        "MATCH ()-[r]->() RETURN r.date AS d ORDER BY r.date",
    ]);
    assert_exit(&out, 0);
    assert_eq!(dates(&json(&out), "d"), ORDER);
    let out = env.kg(&[
        "--format",
        "json",
        "query",
        "MATCH ()-[r]->() RETURN min(r.date) AS first, max(r.date) AS last",
    ]);
    let rows = json(&out);
    assert_eq!(rows[0]["first"], "2022-02-24..");
    assert_eq!(rows[0]["last"], "..2025-06-29");
    let out = env.kg(&[
        "--format",
        "csv",
        "query",
        "MATCH ()-[r]->() WHERE r.date IS NOT NULL RETURN r.date AS d ORDER BY r.date DESC LIMIT 1",
    ]);
    assert_eq!(stdout(&out), "d\n..2025-06-29\n");
}

#[test]
fn earliest_and_latest_are_days_and_null_where_open() {
    let env = loaded();
    let out = env.kg(&[
        "--format",
        "json",
        "query",
        "MATCH ()-[r]->() RETURN r.date AS d, r.earliest AS e, r.latest AS l ORDER BY r.date",
    ]);
    assert_exit(&out, 0);
    let rows = json(&out);
    let row = |d: &str| {
        rows.as_array()
            .and_then(|rs| rs.iter().find(|r| r["d"] == d).cloned())
            .unwrap_or_default()
    };
    assert_eq!(row("2025-02")["e"], "2025-02-01");
    assert_eq!(row("2025-02")["l"], "2025-02-28");
    assert_eq!(row("..2025-06-29")["e"], serde_json::Value::Null);
    assert_eq!(row("..2025-06-29")["l"], "2025-06-29");
    assert_eq!(row("2022-02-24..")["e"], "2022-02-24");
    assert_eq!(row("2022-02-24..")["l"], serde_json::Value::Null);
    let out = env.kg(&[
        "--format",
        "csv",
        "query",
        "MATCH ()-[r]->() WHERE r.earliest >= '2025-02-10' RETURN r.date AS d ORDER BY d",
    ]);
    assert_eq!(stdout(&out), "d\n2025-02-12\n2025-06-29\n");
}

#[test]
fn overlap_containment_and_order_are_explicit_functions() {
    let env = loaded();
    let ask = |condition: &str| {
        let query = format!("MATCH ()-[r]->() WHERE {condition} RETURN r.date AS d ORDER BY d");
        let out = env.kg(&["--format", "json", "query", &query]);
        assert_exit(&out, 0);
        dates(&json(&out), "d")
    };
    assert_eq!(
        ask("within(r.date, '2025-02')"),
        ["2025-02-01", "2025-02", "2025-02-12"]
    );
    assert_eq!(
        ask("overlaps(r.date, '2025-02-12')"),
        ["2022-02-24..", "2025-02", "2025-02-12", "..2025-06-29"]
    );
    assert_eq!(ask("before(r.date, '2025-02-12')"), ["2025-02-01"]);
    assert_eq!(ask("after(r.date, '2025-02')"), ["2025-06-29"]);
    let out = env.kg(&["query", "RETURN overlaps('2025', 42) AS x"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).starts_with("query:1:8: overlaps() needs dates"));
    let out = env.kg(&[
        "--format",
        "csv",
        "query",
        "RETURN within(null, '2025') AS x",
    ]);
    assert_eq!(stdout(&out), "x\n\"\"\n");
}
