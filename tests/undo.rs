//! History, undo and merge on the real binary: every write is listed with its command,
//! and undoing it gives back a graph whose `.kg` export is byte for byte the one before;
//! ids hold through merges, undos, compaction and reload.

mod common;
use common::*;

/// Runs `write`, checks it changed the export, undoes it and checks the export is back.
fn undone_gives_back(env: &Env, write: &[&str]) {
    let before = export(env);
    assert_exit(&env.kg(write), 0);
    assert_ne!(export(env), before, "{write:?} changed something");
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(env), before, "undo of {write:?}");
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn each_kind_of_write_is_undone_byte_for_byte() {
    let env = imported();
    undone_gives_back(&env, &["remove", "entity", "Naryshkin", "--force"]);
    undone_gives_back(
        &env,
        &["remove", "entity", "Russian state media", "--force"],
    );
    undone_gives_back(&env, &["remove", "relation", "3"]);
    undone_gives_back(&env, &["rename", "Putin", "Vladimir Vladimirovich Putin"]);
    undone_gives_back(
        &env,
        &["rename", "Naryshkin", "Sergei Naryshkin", "--drop-old"],
    );
    undone_gives_back(&env, &["alias", "add", "SVR", "Foreign Intelligence"]);
    undone_gives_back(&env, &["alias", "remove", "Russia", "Moscow"]);
    undone_gives_back(
        &env,
        &["set", "SVR", "--kind", "other", "--prop", "founded=1991"],
    );
    undone_gives_back(
        &env,
        &["set", "#13", "--date", "2025-02", "--status", "denied"],
    );
    undone_gives_back(&env, &["add", "relation", "Rubio", "told", "Politico"]);
    undone_gives_back(&env, &["add", "type", "vetoed"]);
    undone_gives_back(&env, &["add", "entity", "Lavrov", "--kind", "person"]);
}

#[test]
fn merge_moves_relations_and_undo_takes_it_back() {
    let env = imported();
    assert_exit(
        &env.kg(&["add", "entity", "V. Putin", "--kind", "person"]),
        0,
    );
    assert_exit(&env.kg(&["set", "V. Putin", "--prop", "born=1952"]), 0);
    assert_exit(
        &env.kg(&[
            "add",
            "relation",
            "V. Putin",
            "met",
            "Trump",
            "--date",
            "2025-08-15",
        ]),
        0,
    );
    assert_exit(
        &env.kg(&[
            "add", "relation", "V. Putin", "told", "Politico", "--date", "2025-06",
        ]),
        0,
    );
    let before = export(&env);
    let relations = |env: &Env| {
        json(&env.kg(&["--format", "json", "stats"]))["relations"]
            .as_u64()
            .unwrap_or(0)
    };
    let count = relations(&env);

    // The dry run says what would happen and changes nothing.
    let out = env.kg(&["merge", "Putin", "V. Putin", "--dry-run"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("would merge V. Putin"),
        "{}",
        stdout(&out)
    );
    assert_eq!(export(&env), before);

    let out = env.kg(&["--format", "json", "merge", "Putin", "V. Putin"]);
    assert_exit(&out, 0);
    let report = json(&out);
    assert_eq!(
        report["moved"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );
    assert_eq!(report["aliases"][0], "V. Putin");
    assert_eq!(report["properties"][0]["key"], "born");
    assert_eq!(relations(&env), count, "nothing lost");
    // The old name resolves to the kept entity, with the moved relations.
    let card = json(&env.kg(&["--format", "json", "show", "V. Putin"]));
    assert_eq!(card["name"], "Putin");
    let path = env.kg(&["path", "V. Putin", "Politico"]);
    assert_exit(&path, 0);

    // Ids hold through compaction and reload; then undo gives the graph back.
    assert_exit(&env.kg(&["compact"]), 0);
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(&env), before);
    let history = json(&env.kg(&["--format", "json", "history"]));
    assert_eq!(history[0]["undoes"][0], history[1]["write"], "{history}");
    assert!(
        history[1]["command"]
            .as_str()
            .is_some_and(|c| c.ends_with("merge Putin 'V. Putin'")),
        "{history}"
    );
}

#[test]
fn merged_relations_that_become_identical_collapse() {
    let env = imported();
    assert_exit(
        &env.kg(&["add", "entity", "Naryshkin twin", "--kind", "person"]),
        0,
    );
    // The same call as #13 (Naryshkin -[phoned]-> Ratcliffe), recorded against the twin.
    let show = json(&env.kg(&["--format", "json", "show", "Naryshkin"]));
    let call = show["relations"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == "phoned").cloned())
        .unwrap_or_default();
    let date = call["date"].as_str().unwrap_or_default().to_string();
    assert!(!date.is_empty(), "{show}");
    let mut add = vec![
        "add",
        "relation",
        "Naryshkin twin",
        "phoned",
        "Ratcliffe",
        "--date",
    ];
    add.push(&date);
    let fields: Vec<(String, String)> = ["source", "quote", "status", "grade"]
        .iter()
        .filter_map(|k| call[*k].as_str().map(|v| (format!("--{k}"), v.to_string())))
        .collect();
    for (k, v) in &fields {
        add.push(k);
        add.push(v);
    }
    if let Some(c) = call["claimed_by"].as_str() {
        add.push("--claimed-by");
        add.push(c);
    }
    let props: Vec<String> = call["properties"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    for p in &props {
        add.push("--prop");
        add.push(p);
    }
    assert_exit(&env.kg(&add), 0);
    let before = export(&env);
    let out = env.kg(&["merge", "Naryshkin", "Naryshkin twin"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("collapsed relation"),
        "{}",
        stdout(&out)
    );
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(&env), before);
}

#[test]
fn undo_walks_back_and_an_undo_can_be_taken_back() {
    let env = imported();
    let full = export(&env);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    assert_exit(&env.kg(&["undo", "2"]), 0);
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(stats["entities"], 0, "the import is undone too: {stats}");
    assert_error(&env.kg(&["undo"]), "nothing to undo");
    // Taking back the undo (write 3) redoes both writes.
    assert_exit(&env.kg(&["undo", "--write", "3"]), 0);
    assert!(export(&env).contains("Lavrov"));
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(&env), full);
    assert_error(
        &env.kg(&["undo", "--write", "3"]),
        "write #3 is undone already",
    );
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn an_undo_that_no_longer_applies_changes_nothing() {
    let env = imported();
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    assert_exit(&env.kg(&["add", "relation", "Lavrov", "met", "Rubio"]), 0);
    let before = std::fs::read(env.db()).unwrap_or_default();
    // The import (write 1) added Rubio, whom write 3's relation now needs: undoing
    // the import alone would take that relation with Rubio, so it is refused.
    let out = env.kg(&["undo", "--write", "1"]);
    assert_error(&out, "write #1 cannot be undone");
    assert_eq!(std::fs::read(env.db()).unwrap_or_default(), before);
}

#[test]
fn an_older_write_cannot_be_undone_over_later_ones() {
    let env = imported();
    assert_exit(&env.kg(&["rename", "Politico", "Politico EU"]), 0);
    assert_exit(&env.kg(&["alias", "add", "Politico EU", "POL"]), 0);
    let before = export(&env);
    let out = env.kg(&["undo", "--write", "2"]);
    assert_error(
        &out,
        "write #2 cannot be undone alone: write #3 came after it and stands",
    );
    assert_eq!(export(&env), before, "nothing changed");
    // Taken back in order, both go.
    assert_exit(&env.kg(&["undo", "2"]), 0);
    assert!(
        export(&env).contains("media Politico\n"),
        "{}",
        export(&env)
    );
    // Redo of the later undo only once the undo is the latest standing write.
    assert_exit(&env.kg(&["undo", "--write", "4"]), 0);
    assert!(export(&env).contains("POL"));
}

#[test]
fn merge_collapses_through_claims_reports_loops_and_placeholder_kinds_yield() {
    let env = Env::new();
    let kg = env.write(
        "abc.kg",
        "type met symmetric\ntype phoned directed\nperson A\nperson B\nother C\nperson D\n\
         A -[met]- D @ 2025-01 claimed_by=A status=claimed source=s1\n\
         B -[met]- D @ 2025-01 claimed_by=B status=claimed source=s1\n\
         A -[phoned]-> B @ 2025-02\n",
    );
    assert_exit(&env.kg(&["import", kg.to_str().unwrap_or_default()]), 0);
    let before = export(&env);
    let out = env.kg(&["--format", "json", "merge", "A", "B"]);
    assert_exit(&out, 0);
    let report = json(&out);
    assert_eq!(report["collapsed"][0]["removed"], 1, "{report}");
    assert_eq!(report["self_loops"][0], 2, "{report}");
    let text = export(&env);
    assert_eq!(text.matches("-[met]-").count(), 1, "{text}");
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(&env), before);
    // A placeholder of kind other takes the real kind, without a conflict.
    let out = env.kg(&["--format", "json", "merge", "C", "D"]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["conflicts"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        json(&env.kg(&["--format", "json", "show", "C"]))["kind"],
        "person"
    );
    // A name that is the kept entity already is said so.
    assert_error(
        &env.kg(&["merge", "C", "D"]),
        "'D' is C itself (its name or an alias): nothing to merge",
    );
}

#[test]
fn merging_claimants_collapses_claims_made_identical_and_reports_final_values() {
    let env = imported();
    for name in ["A", "B"] {
        assert_exit(&env.kg(&["add", "entity", name, "--kind", "person"]), 0);
    }
    for claimant in ["A", "B"] {
        let add = [
            "add",
            "relation",
            "Trump",
            "met",
            "Rubio",
            "--date",
            "2025",
            "--claimed-by",
            claimant,
        ];
        assert_exit(&env.kg(&add), 0);
    }
    let before = export(&env);
    let out = env.kg(&["--format", "json", "merge", "A", "B"]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["collapsed"][0]["into"], 28, "{}", stdout(&out));
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(export(&env), before);
    // With several others, each conflict names the value kept in the end.
    for (name, kind, p) in [
        ("K1", "person", "keep"),
        ("O1", "org", "one"),
        ("O2", "person", "two"),
    ] {
        let prop = format!("p={p}");
        assert_exit(
            &env.kg(&["add", "entity", name, "--kind", kind, "--prop", &prop]),
            0,
        );
    }
    let out = env.kg(&[
        "--format",
        "json",
        "merge",
        "K1",
        "O1",
        "O2",
        "--prefer-others",
        "--dry-run",
    ]);
    let conflicts = json(&out)["conflicts"].clone();
    for c in conflicts.as_array().into_iter().flatten() {
        let kept = if c["key"] == "kind" { "person" } else { "two" };
        assert_eq!(c["kept"], kept, "{conflicts}");
    }
}
