//! Every query in `queries/` runs on the bundled graph and prints exactly its
//! `.expected` file (the table); its CSV and JSON forms hold the same rows.
//! Each runs with `kg query -f FILE` and nothing else: a line `// --param NAME=VALUE`
//! in a query gives its parameter a default, which `--param` on the command line
//! overrides.

use std::path::Path;

mod common;
use common::*;

#[test]
fn every_example_query_prints_what_is_expected() -> TestResult {
    let env = Env::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut ran = 0;
    for entry in std::fs::read_dir(&folder)? {
        let path = entry?.path();
        let expected_path = path.with_extension("expected");
        match path.extension().and_then(|e| e.to_str()) {
            Some("cypher") => {}
            Some("expected") => {
                assert!(
                    path.with_extension("cypher").exists(),
                    "{} has no query",
                    path.display()
                );
                continue;
            }
            _ => panic!(
                "{}: queries/ holds .cypher and .expected files",
                path.display()
            ),
        }
        let file = path.to_str().unwrap_or_default();
        let args = vec!["query", "-f", file];
        let out = env.bare(&args);
        assert_exit(&out, 0);
        let expected = std::fs::read_to_string(&expected_path)
            .map_err(|e| format!("{}: {e}", expected_path.display()))?;
        assert_eq!(stdout(&out), expected, "{}", path.display());
        let rows = expected.lines().count() - 1;

        let mut csv_args = args.clone();
        csv_args.extend(["--format", "csv"]);
        let out = env.bare(&csv_args);
        assert_exit(&out, 0);
        let mut reader = csv::Reader::from_reader(&out.stdout[..]);
        assert_eq!(reader.records().count(), rows, "{}", path.display());

        let mut json_args = args.clone();
        json_args.extend(["--format", "json"]);
        let out = env.bare(&json_args);
        assert_exit(&out, 0);
        let value = json(&out);
        let array = value.as_array().expect("a JSON array of rows");
        assert_eq!(array.len(), rows, "{}", path.display());
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} example queries");
    Ok(())
}

#[test]
fn query_errors_point_at_the_place() {
    let env = Env::new();
    let out = env.bare(&[
        "query",
        "MATCH (n:person)\nWHERE n.name = 'Putin'\nRETURN m.name",
    ]);
    assert_exit(&out, 2);
    assert_eq!(
        stderr(&out),
        "query:3:8: variable `m` is not defined\n  RETURN m.name\n         ^\n"
    );
    let out = env.bare(&["query", "MATCH (n) CALL db.labels() RETURN n"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).starts_with("query:1:11: CALL is not supported"),
        "{}",
        stderr(&out)
    );
    let out = env.bare(&["query", "MATCH (n {name: 'Nobody'}) RETURN n"]);
    assert_exit(&out, 1);
    assert_eq!(stdout(&out), "n\n");
}

#[test]
fn a_query_file_gives_its_parameters_defaults_the_command_line_overrides() {
    let env = Env::new();
    let file = format!(
        "{}/queries/shortest_connection.cypher",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = env.bare(&[
        "query", "-f", &file, "--param", "to=Trump", "--format", "csv",
    ]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("Trump"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("Putin"), "{}", stdout(&out));
}

#[test]
fn parameters_and_outputs() {
    let env = Env::new();
    let out = env.bare(&[
        "query",
        "MATCH (c {name: $chief})-[r:phoned]->(x) RETURN x.name AS callee, r.date, r",
        "--param",
        "chief=Naryshkin",
        "--format",
        "json",
    ]);
    assert_exit(&out, 0);
    let rows = json(&out);
    assert_eq!(rows[0]["callee"], "Ratcliffe");
    assert_eq!(rows[0]["r.date"], "..2025-06-29");
    assert_eq!(rows[0]["r"]["type"], "phoned");
    assert_eq!(rows[0]["r"]["claimed_by"], "Naryshkin");
    let out = env.bare(&["query", "MATCH (n) RETURN n.name, $missing"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("parameter $missing is not given"));
}

#[test]
fn an_error_in_a_query_file_names_the_file_line_and_column() {
    let env = Env::new();
    let file = env.write("bad.cypher", "MATCH (n)\nRETURN n.name,\n  foo(1)\n");
    let out = env.bare(&["query", "-f", file.to_str().unwrap_or_default()]);
    assert_exit(&out, 2);
    let expected = format!(
        "{}:3:3: function foo() is not supported\n    foo(1)\n    ^\n",
        file.display()
    );
    assert_eq!(stderr(&out), expected);
}

#[test]
fn explain_says_how_the_query_ran() {
    let env = Env::new();
    let text =
        "MATCH (a:person {name: 'Naryshkin'})-[r]-(b) RETURN type(r), b.name ORDER BY type(r)";
    let plain = env.bare(&["query", text]);
    let explained = env.bare(&["query", text, "--explain"]);
    assert_exit(&explained, 0);
    assert_eq!(stdout(&plain), stdout(&explained), "the answer is the same");
    let notes = stderr(&explained);
    for needle in [
        "explain: MATCH 1 pattern 1: starts at `a` looked up by name in the name index (1 name), walks right to `b`",
        "explain: MATCH 1 left 5 rows",
        "explain: RETURN: sorted by 1 key(s); 5 rows",
        "explain: work: 1 entities expanded, 5 relations examined",
    ] {
        assert!(notes.contains(needle), "{needle:?} missing from:\n{notes}");
    }
    let scan = env.bare(&["query", "MATCH (n:country) RETURN count(*)", "--explain"]);
    assert!(
        stderr(&scan).contains("by a scan of kind country (5 entities)"),
        "{}",
        stderr(&scan)
    );
    let predicate = env.bare(&[
        "query",
        "MATCH (n:person) WHERE (n)-[:phoned]->() RETURN n.name",
        "--explain",
    ]);
    assert!(
        stderr(&predicate).contains(
            "pattern predicate 1: for each row, starts at `n` (bound by an earlier pattern), walks right to node 2"
        ),
        "{}",
        stderr(&predicate)
    );
    let piped = env.bare(&[
        "query",
        "MATCH (a:person)-[:heads]->(o) WITH o MATCH (o)-[:part_of]->(c) RETURN c.name",
        "--explain",
    ]);
    assert_exit(&piped, 0);
    for needle in [
        "explain: WITH 1: projected; passes each row on as it comes",
        "explain: MATCH 2 pattern 1: starts at `o` (bound by an earlier pattern)",
        "explain: MATCH 1 left 2 rows",
        "explain: WITH 1 passed 2 rows on",
        "explain: MATCH 2 left 2 rows",
        "explain: RETURN: projected; 2 rows",
    ] {
        assert!(
            stderr(&piped).contains(needle),
            "{needle:?} missing from:\n{}",
            stderr(&piped)
        );
    }
}

#[test]
fn a_date_equals_its_written_interval_and_reads_as_text() {
    let env = Env::new();
    let out = env.bare(&[
        "--format",
        "csv",
        "query",
        "MATCH (a)-[r]->(b) WHERE r.date = '2025-02-12' RETURN r.date AS d",
    ]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.lines().skip(1).all(|l| l == "2025-02-12"), "{text}");
    assert!(text.lines().count() > 1, "{text}");
    let out = env.bare(&[
        "--format",
        "csv",
        "query",
        "MATCH (a)-[r]->(b) WHERE r.date STARTS WITH '2025-02' RETURN r.date AS d",
    ]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("2025-02")),
        "{text}"
    );
    assert!(text.contains("2025-02-18"), "{text}");
}
