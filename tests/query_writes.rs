//! Cypher writes on the real binary: a query that changes the graph is one write of the
//! database (listed in history, taken back whole by undo), all or nothing on an error,
//! refused by `--read-only` and on the bundled graph, and what it changed is said.

mod common;
use common::*;

#[test]
fn a_query_that_writes_is_one_change_that_undo_takes_back() {
    let env = imported();
    let before = export(&env);
    let out = env.kg(&[
        "query",
        "MATCH (n {name: 'Naryshkin'}) CREATE (a:person {name: 'Alice'})-[r:phoned {date: '2025-03-02', source: 'Reuters'}]->(n) SET n.checked = true RETURN a.name, type(r), r.date",
    ]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "a.name  type(r)  r.date\nAlice   phoned   2025-03-02\n"
    );
    assert!(
        stderr(&out).contains("created 1 entity and 1 relation, set 4 properties and 1 kind"),
        "{}",
        stderr(&out)
    );
    let history = env.kg(&["history", "--limit", "1", "--format", "json"]);
    assert!(
        json(&history)[0]["command"]
            .as_str()
            .unwrap_or_default()
            .contains("CREATE (a:person")
    );
    let shown = env.kg(&["show", "Alice"]);
    assert_exit(&shown, 0);
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(&env), before, "undo takes the whole query back");
    // A query that only writes prints no table and exits 0.
    let out = env.kg(&[
        "query",
        "UNWIND ['X1', 'X2'] AS n CREATE (:country {name: n})",
    ]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("created 2 entities"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_query_that_fails_midway_changes_nothing() {
    let env = imported();
    let before = export(&env);
    // The first row makes Y1; the second names an entity that exists: all or nothing.
    let out = env.kg(&[
        "query",
        "UNWIND ['Y1', 'Putin'] AS n CREATE (:person {name: n})",
    ]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("Putin"), "{}", stderr(&out));
    assert_eq!(export(&env), before);
    let out = env.kg(&["query", "MATCH (n {name: 'Putin'}) DELETE n"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("DETACH DELETE"), "{}", stderr(&out));
    assert_eq!(export(&env), before);
}

#[test]
fn read_only_runs_and_the_bundled_graph_refuse_writes() {
    let env = imported();
    let before = export(&env);
    let out = env.kg(&["query", "--read-only", "MATCH (n) SET n.x = 1"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("SET changes the graph, and this query may only read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(export(&env), before);
    // Reads still run with --read-only.
    assert_exit(
        &env.kg(&["query", "--read-only", "MATCH (n) RETURN count(n)"]),
        0,
    );
    let out = env.bare(&["query", "CREATE (n {name: 'X'})"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("give --db FILE"), "{}", stderr(&out));
}
