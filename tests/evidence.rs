//! What counts as evidence in Cypher: variable-length patterns and shortest paths do
//! not walk denied relations unless asked; an unbounded pattern stops at its default
//! bound; a query stops at its time limit.

mod common;
use common::*;

/// A chain N0 -> N1 -> ... -> N14, and A - B reported, B - C denied.
fn graph() -> String {
    let mut text = String::from("type next directed \"next\"\ntype knows symmetric \"knows\"\n");
    for name in ["A", "B", "C"] {
        text.push_str(&format!("person {name}\n"));
    }
    for i in 0..=14 {
        text.push_str(&format!("person N{i}\n"));
    }
    for i in 0..14 {
        text.push_str(&format!("N{i} -[next]-> N{}\n", i + 1));
    }
    text.push_str("A -[knows]- B\nB -[knows]- C status=denied\n");
    text
}

fn loaded() -> Env {
    let env = Env::new();
    let file = env.write("g.kg", graph());
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    env
}

fn csv(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["--format", "csv", "query"];
    all.extend(args);
    let out = env.kg(&all);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn path_searches_skip_denied_relations_unless_asked() {
    let env = loaded();
    let reach = "MATCH (a {name: 'A'})-[*]-(x) RETURN DISTINCT x.name AS x ORDER BY x";
    assert_eq!(csv(&env, &[reach]), "x\nB\n");
    assert_eq!(csv(&env, &[reach, "--include-denied"]), "x\nB\nC\n");
    let shortest =
        "MATCH p = shortestPath((a {name: 'A'})-[*]-(c {name: 'C'})) RETURN length(p) AS n";
    let out = env.kg(&["query", shortest]);
    assert_exit(&out, 1);
    assert_eq!(csv(&env, &[shortest, "--include-denied"]), "n\n2\n");
    // Through the breadth-first search too (a symmetric type walked as stored).
    let checked =
        "MATCH p = shortestPath((a {name: 'A'})-[:knows*]->(c {name: 'C'})) RETURN length(p) AS n";
    assert_eq!(csv(&env, &[checked]), "n\n");
    assert_eq!(csv(&env, &[checked, "--include-denied"]), "n\n2\n");
    let out = env.kg(&["query", checked, "--explain"]);
    assert!(
        stderr(&out).contains("a breadth-first search"),
        "{}",
        stderr(&out)
    );
    // A pattern that names a status chooses for itself; one relationship is no search.
    assert_eq!(
        csv(
            &env,
            &["MATCH (b {name: 'B'})-[*1..1 {status: 'denied'}]-(x) RETURN x.name AS x"]
        ),
        "x\nC\n"
    );
    assert_eq!(
        csv(
            &env,
            &["MATCH (b {name: 'B'})-[r]-(x) RETURN x.name AS x, r.status AS s ORDER BY x"]
        ),
        "x,s\nA,reported\nC,denied\n"
    );
    let out = env.kg(&["query", reach, "--explain"]);
    assert!(
        stderr(&out).contains("walks every status but denied (--include-denied walks them too)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unbounded_pattern_stops_at_its_default_bound_and_says_so() {
    let env = loaded();
    let longest = "MATCH p = (a {name: 'N0'})-[*]->(b) RETURN max(length(p)) AS n";
    assert_eq!(csv(&env, &[longest]), "n\n10\n");
    let out = env.kg(&["query", longest, "--explain"]);
    assert!(
        stderr(&out).contains("without an upper bound walks at most 10 relationships"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        csv(
            &env,
            &["MATCH p = (a {name: 'N0'})-[*..14]->(b) RETURN max(length(p)) AS n"]
        ),
        "n\n14\n"
    );
    // shortestPath is a breadth-first search and is not bounded.
    assert_eq!(
        csv(
            &env,
            &[
                "MATCH p = shortestPath((a {name: 'N0'})-[*]->(b {name: 'N14'})) RETURN length(p) AS n"
            ]
        ),
        "n\n14\n"
    );
}

#[test]
fn a_query_stops_at_its_time_limit_with_a_clear_message() {
    let env = Env::new();
    // Nine entities all joined: its trails of up to 30 relationships are countless.
    let mut text = String::from("type knows symmetric \"knows\"\n");
    for i in 0..9 {
        text.push_str(&format!("person P{i}\n"));
    }
    for i in 0..9 {
        for j in i + 1..9 {
            text.push_str(&format!("P{i} -[knows]- P{j}\n"));
        }
    }
    let file = env.write("dense.kg", text);
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    let out = env.kg(&[
        "query",
        "MATCH (a)-[*..30]-(b) RETURN count(*)",
        "--timeout",
        "300ms",
    ]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("stopped at the time limit of 0.3 s (--timeout)"),
        "{}",
        stderr(&out)
    );
    assert_error(
        &env.kg(&["query", "RETURN 1", "--timeout", "soon"]),
        "'soon' is not a duration",
    );
}

#[test]
fn sources_are_numbered_notes_under_a_table() {
    let env = Env::new();
    let text = "person A\nperson B\nperson C\ntype met symmetric \"met\"\n\
        A -[met]- B @ 2025-01-02 source=\"Paper one\" quote=\"A met B.\"\n\
        B -[met]- C @ 2025-01-03 source=\"Paper two\" quote=\"B met C.\" status=claimed claimed_by=A\n\
        A -[met]- C @ 2025-01-04 source=\"Paper one\"\n";
    let file = env.write("g.kg", text);
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    let out = env.kg(&["timeline", "--sources"]);
    assert_exit(&out, 0);
    let printed = stdout(&out);
    let notes = printed.split("\nSources\n").nth(1).unwrap_or_default();
    assert_eq!(
        notes.lines().map(str::trim_end).collect::<Vec<_>>(),
        [
            "  [1] Paper one",
            "  [2] Paper two",
            "  #0  [1]  “A met B.”",
            "  #1  [2]  “B met C.” (claimed by A)",
            "  #2  [1]  no quote",
        ],
        "{printed}"
    );
    // The path's steps carry the ids the notes name.
    let out = env.kg(&["path", "A", "C", "--include-denied", "--sources"]);
    let printed = stdout(&out);
    assert!(printed.contains("A -[met 2025-01-04]- C  #2"), "{printed}");
    assert!(printed.contains("  #2  [1]  no quote"), "{printed}");
    // A query's relationships are noted too, and show their status and id.
    let out = env.kg(&[
        "query",
        "MATCH (b {name: 'B'})-[r]-(c {name: 'C'}) RETURN r",
        "--sources",
    ]);
    let printed = stdout(&out);
    assert!(
        printed.contains("B -[met]- C @ 2025-01-03 (claimed) #1"),
        "{printed}"
    );
    assert!(printed.contains("  [1] Paper two"), "{printed}");
    assert!(
        printed.contains("  #1  [1]  “B met C.” (claimed by A)"),
        "{printed}"
    );
    // JSON and CSV already carry the fields: --sources changes nothing there.
    let plain = env.kg(&["--format", "json", "timeline"]);
    let noted = env.kg(&["--format", "json", "timeline", "--sources"]);
    assert_eq!(stdout(&plain), stdout(&noted));
}

#[test]
fn a_symmetric_type_written_with_an_arrowhead_is_warned_of() {
    let env = Env::new();
    let file = env.write(
        "calls.kg",
        "person A\nperson B\ntype phoned symmetric \"call\"\nA -[phoned]-> B\nA -[phoned]- B @ 2025\n",
    );
    let out = env.kg(&["import", file.to_str().unwrap_or_default()]);
    assert_exit(&out, 0);
    let warned = stderr(&out);
    assert!(
        warned.contains("calls.kg:4:1: 'phoned' is symmetric, so the arrowhead is not kept"),
        "{warned}"
    );
    assert_eq!(warned.matches("warning:").count(), 1, "{warned}");
}

#[test]
fn exported_paths_and_neighbourhoods_skip_denied_relations_as_searches_do() {
    let env = with_a_denied_meeting();
    let path = env.kg(&["export", "kg", "--path", "Naryshkin", "Putin"]);
    assert_exit(&path, 0);
    assert!(!stdout(&path).contains("denied"), "{}", stdout(&path));
    assert!(stdout(&path).contains("-[part_of]->"), "{}", stdout(&path));
    let path = env.kg(&[
        "export",
        "kg",
        "--path",
        "Naryshkin",
        "Putin",
        "--include-denied",
    ]);
    assert!(stdout(&path).contains("status=denied"), "{}", stdout(&path));
    let dot = env.kg(&["export", "dot", "--highlight-path", "Naryshkin", "Putin"]);
    let text = stdout(&dot);
    let denied = text
        .lines()
        .find(|l| l.contains("met ") && l.contains("dotted"))
        .unwrap_or_default();
    assert!(
        !denied.contains("red"),
        "the denied meeting is no path: {denied}"
    );
    // One colour per edge: a highlighted claim is red, not also grey or black.
    assert!(
        text.lines()
            .filter(|l| l.contains(" -> "))
            .all(|l| l.matches(" color=").count() <= 1),
        "{text}"
    );
    let around = env.kg(&["export", "kg", "--around", "Naryshkin"]);
    assert!(!stdout(&around).contains("Putin"), "{}", stdout(&around));
    let around = env.kg(&["export", "kg", "--around", "Naryshkin", "--include-denied"]);
    assert!(stdout(&around).contains("Putin"), "{}", stdout(&around));
    // The whole graph lists every status.
    assert!(stdout(&env.kg(&["export", "kg"])).contains("status=denied"));
}

#[test]
fn query_paths_carry_their_evidence() {
    let env = with_a_denied_meeting();
    let query =
        "MATCH p = shortestPath((a {name: 'Ratcliffe'})-[*]-(b {name: 'Naryshkin'})) RETURN p";
    let out = env.kg(&["--format", "json", "query", query]);
    assert_exit(&out, 0);
    let edge = &json(&out)[0]["p"]["edges"][0];
    for field in ["id", "status", "grade", "source", "quote", "claimed_by"] {
        assert!(edge.get(field).is_some(), "{field} in {edge}");
    }
    assert_eq!(edge["status"], "claimed");
    let out = env.kg(&["--format", "csv", "query", query]);
    assert!(stdout(&out).contains(", claimed #"), "{}", stdout(&out));
    let query = "MATCH p = shortestPath((a {name: 'Naryshkin'})-[*]-(b {name: 'Putin'})) RETURN p";
    let out = env.kg(&["query", query, "--include-denied"]);
    assert!(
        stdout(&out).contains("-[met, denied #28]-"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_query_files_parameter_line_that_is_wrong_names_its_line() {
    let env = Env::new();
    let file = env.write("who.cypher", "// Who?\n// --param who\nRETURN $who AS w\n");
    let out = env.bare(&["query", "-f", file.to_str().unwrap_or_default()]);
    assert_error(&out, "who.cypher:2: --param who: expected NAME=VALUE");
}

#[test]
fn every_answer_that_shows_a_relation_gives_its_id_and_status() {
    let env = Env::new();
    let commands: [&[&str]; 6] = [
        &["path", "Naryshkin", "Putin"],
        &["neighbors", "Ratcliffe"],
        &["show", "Naryshkin"],
        &["show", "#8"],
        &["timeline", "Naryshkin"],
        &["query", "MATCH (a {name: 'Naryshkin'})-[r]-(b) RETURN r"],
    ];
    for args in commands {
        let mut json_args = vec!["--format", "json"];
        json_args.extend(args);
        let out = env.bare(&json_args);
        assert_exit(&out, 0);
        let text = stdout(&out);
        assert!(
            text.contains("\"id\": 8") || text.contains("\"id\": 0"),
            "{args:?}: {text}"
        );
        assert!(text.contains("\"status\": \""), "{args:?}: {text}");
        assert!(text.contains("\"claimed_by\""), "{args:?}: {text}");
        let mut csv_args = vec!["--format", "csv"];
        csv_args.extend(args);
        let out = env.bare(&csv_args);
        let text = stdout(&out);
        let header = text.lines().next().unwrap_or_default();
        let is_query = args[0] == "query";
        assert!(
            is_query || (header.contains("id") && header.contains("status")),
            "{args:?}: {header}"
        );
        if is_query {
            assert!(text.contains("(claimed) #8"), "{text}");
        }
    }
}

#[test]
fn a_chronological_step_without_a_fixed_day_says_which_days_it_may_take() {
    let env = Env::new();
    let text = "person A\nperson B\nperson C\ntype phoned symmetric \"call\"\ntype met symmetric \"meet\"\n\
        A -[phoned]- B @ ..2025-06-29\nB -[met]- C @ 2025-04-01\n";
    let file = env.write("g.kg", text);
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    let out = env.kg(&["path", "A", "C", "--chronological"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("any day ..2025-04-01"),
        "{}",
        stdout(&out)
    );
}
