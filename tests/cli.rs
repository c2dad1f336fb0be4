//! Integration tests: the real `kg` binary on real files, each test in a fresh folder.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

mod common;
use common::*;

#[test]
fn readme_main_command_finds_the_connection() {
    let env = Env::new();
    let out = env.bare(&["path", "Naryshkin", "Putin"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("3 hops: Naryshkin → SVR → Russia → Putin"),
        "{text}"
    );
    assert!(text.contains("Russia <-[president_of]- Putin"), "{text}");
}

#[test]
fn path_json_follows_the_contract() {
    let env = Env::new();
    let out = env.bare(&["--format", "json", "path", "naryshkin", "ПУТИН"]);
    assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["hops"], 3);
    assert_eq!(
        v["nodes"],
        serde_json::json!(["Naryshkin", "SVR", "Russia", "Putin"])
    );
    let edges = v["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 3);
    // Edges are given as stored, so the last one runs from Putin to Russia, with the
    // relation's id and its provenance.
    let last = &edges[2];
    assert_eq!(
        (
            &last["id"],
            &last["from"],
            &last["type"],
            &last["to"],
            &last["date"]
        ),
        (
            &serde_json::json!(5),
            &serde_json::json!("Putin"),
            &serde_json::json!("president_of"),
            &serde_json::json!("Russia"),
            &serde_json::Value::Null
        )
    );
    assert_eq!(last["status"], "reported");
    for field in ["grade", "claimed_by", "source", "quote", "properties"] {
        assert!(last.get(field).is_some(), "{field} in {last}");
    }
    // The CSV has id and status too.
    let out = env.bare(&["--format", "csv", "path", "Naryshkin", "Putin"]);
    assert!(
        stdout(&out)
            .starts_with("path,step,from,type,to,date,id,status,grade,claimed_by,source,quote\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn path_with_a_type_filter_or_hop_limit_can_find_nothing() {
    let env = Env::new();
    let out = env.bare(&[
        "path",
        "Naryshkin",
        "Putin",
        "--type",
        "phoned",
        "--type",
        "met",
    ]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("no path from Naryshkin to Putin"));
    let out = env.bare(&["path", "Naryshkin", "Putin", "--max-hops", "2"]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("no path from Naryshkin to Putin: none within 2 hops"));
    let out = env.bare(&[
        "--format", "json", "path", "Trump", "Putin", "--type", "phoned",
    ]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["edges"][0]["date"], "2025-02-12");
}

#[test]
fn show_naryshkin_as_the_article_says() {
    let env = Env::new();
    let out = env.bare(&["show", "Naryshkin"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    for expected in [
        "Naryshkin (person)",
        "Нарышкин",
        "Director of the Foreign Intelligence Service (SVR)",
        "Naryshkin -[heads]-> SVR",
        "Naryshkin -[phoned, claimed]- Ratcliffe",
        "Naryshkin -[agreed, claimed]- Ratcliffe",
        "..2025-06-29",
        "claimed by Naryshkin",
        "2025-03",
        "claimed by Russian state media",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let v = json(&env.bare(&["--format", "json", "show", "Naryshkin"]));
    let phoned = &v["relations_by_type"]["phoned"][0];
    assert_eq!(phoned["to"], "Ratcliffe");
    assert_eq!(phoned["date"], "..2025-06-29");
    assert_eq!(phoned["status"], "claimed");
    assert!(
        phoned["quote"]
            .as_str()
            .unwrap_or("")
            .contains("I had a phone call with my American counterpart")
    );
}

#[test]
fn show_trump_as_the_article_says() {
    let env = Env::new();
    let v = json(&env.bare(&["--format", "json", "show", "Donald Trump"]));
    assert_eq!(v["name"], "Trump");
    assert_eq!(v["kind"], "person");
    let relations = v["relations"].as_array().expect("relations");
    let find = |t: &str| {
        relations
            .iter()
            .find(|r| r["type"] == t)
            .unwrap_or_else(|| panic!("no {t} relation"))
    };
    assert_eq!(find("phoned")["to"], "Putin");
    assert_eq!(find("phoned")["date"], "2025-02-12");
    assert_eq!(find("agreed")["date"], "2025-02-12");
    assert_eq!(find("president_of")["to"], "United States");
    assert_eq!(find("commented_on")["date"], "2025-06-05");
    // Dated relations come in date order, undated last.
    let dates: Vec<&str> = relations
        .iter()
        .map(|r| r["date"].as_str().unwrap_or("~"))
        .collect();
    assert_eq!(dates.last(), Some(&"~"));
}

#[test]
fn timeline_of_february_2025() {
    let env = Env::new();
    let v = json(&env.bare(&[
        "--format",
        "json",
        "timeline",
        "--from",
        "2025-02-01",
        "--to",
        "2025-02-28",
    ]));
    let relations = v.as_array().expect("an array");
    let dated: Vec<(&str, &str, &str, &str)> = relations
        .iter()
        .filter(|r| r["date"].as_str().is_some_and(|d| d.starts_with("2025-02")))
        .map(|r| {
            (
                r["date"].as_str().unwrap(),
                r["from"].as_str().unwrap(),
                r["type"].as_str().unwrap(),
                r["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        dated.contains(&("2025-02-12", "Trump", "phoned", "Putin")),
        "{dated:?}"
    );
    assert!(
        dated.contains(&("2025-02-18", "United States", "met", "Russia")),
        "{dated:?}"
    );
    // Nothing that certainly lies outside February.
    for r in relations {
        let date = r["date"].as_str().unwrap_or("");
        assert!(
            ![
                "2025-03",
                "2025-06-05",
                "2025-06-29",
                "2025-06-24..2025-06-25"
            ]
            .contains(&date),
            "{r}"
        );
    }
    // --strict keeps only what is certainly inside the window (and undated relations).
    let strict = json(&env.bare(&[
        "--format", "json", "timeline", "--from", "2025-02", "--to", "2025-02", "--strict",
    ]));
    assert!(
        strict
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["date"].is_null() || r["date"].as_str().unwrap().starts_with("2025-02"))
    );
}

#[test]
fn timeline_of_one_actor_with_filters() {
    let env = Env::new();
    let out = env.bare(&[
        "--format",
        "csv",
        "timeline",
        "Naryshkin",
        "--status",
        "claimed",
        "--type",
        "phoned",
    ]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,from,type,to,date,source,quote,status,grade,claimed_by,note"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains(",Naryshkin,phoned,Ratcliffe,..2025-06-29,"));
    assert!(lines[1].contains(",claimed,,Naryshkin,"), "{text}");
    let out = env.bare(&[
        "timeline",
        "Naryshkin",
        "--status",
        "confirmed",
        "--type",
        "phoned",
    ]);
    assert_exit(&out, 1);
}

#[test]
fn the_timeline_as_csv_imports_back_as_what_is_already_there() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let out = env.kg(&["--format", "csv", "timeline"]);
    assert_exit(&out, 0);
    let header = stdout(&out).lines().next().unwrap_or_default().to_string();
    assert!(
        header.ends_with(",claimed_by,event,note,outcome,place,role,scope,topic,verb"),
        "{header}"
    );
    let rows = env.write("timeline.csv", stdout(&out));
    let out = env.kg(&["import", rows.to_str().unwrap_or_default()]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("0 relations"), "{}", stdout(&out));
    Ok(())
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let env = Env::new();
    assert_error(
        &env.bare(&["show", "Narishkin"]),
        "no entity 'Narishkin'; did you mean Naryshkin?",
    );
    assert_error(
        &env.bare(&["path", "Naryshkin", "Putn"]),
        "did you mean Putin?",
    );
    assert_error(
        &env.bare(&["timeline", "--type", "phoneed"]),
        "no relation type 'phoneed'; did you mean phoned?",
    );
    assert_error(
        &env.bare(&["timeline", "--from", "2025-13-45"]),
        "2025-13-45",
    );
}

#[test]
fn import_twice_changes_nothing_and_matches_the_bundled_graph() -> TestResult {
    let env = Env::new();
    let seed = seed();
    assert_exit(&env.kg(&["import", &seed]), 0);
    let once = json(&env.kg(&["--format", "json", "stats"]));
    let bytes_once = std::fs::read(env.db())?;
    let again = env.kg(&["import", &seed]);
    assert_exit(&again, 0);
    assert!(
        stdout(&again)
            .contains("0 entities, 0 relations, 0 types added; 28 relations already present"),
        "{}",
        stdout(&again)
    );
    let twice = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(once, twice);
    assert_eq!(
        bytes_once,
        std::fs::read(env.db())?,
        "a second import rewrote different bytes"
    );
    let bundled = json(&env.bare(&["--format", "json", "stats"]));
    assert_eq!(once, bundled);
    assert_eq!(once["entities"], 21);
    assert_eq!(once["relations"], 28);
    Ok(())
}

/// `--duplicate` adds every row, those equal to stored relations too (data imported in
/// parts whose rows repeat), and the import stays one write that `undo` takes back.
#[test]
fn import_with_duplicate_adds_rows_equal_to_stored_relations() -> TestResult {
    let env = Env::new();
    let part = env.path("part.csv");
    std::fs::write(
        &part,
        "from,type,to,date\nNaryshkin,phoned,Ratcliffe,2025-03-18\nNaryshkin,phoned,Ratcliffe,2025-03-18\n",
    )?;
    let part = part.display().to_string();
    assert_exit(&env.kg(&["import", &part]), 0);
    let skipped = env.kg(&["import", &part]);
    assert!(
        stdout(&skipped).contains("0 relations"),
        "{}",
        stdout(&skipped)
    );
    assert!(stdout(&skipped).contains("2 relations already present"));
    let kept = env.kg(&["import", "--duplicate", &part]);
    assert_exit(&kept, 0);
    assert!(stdout(&kept).contains("2 relations"), "{}", stdout(&kept));
    assert_eq!(
        json(&env.kg(&["--format", "json", "stats"]))["relations"],
        4
    );
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(
        json(&env.kg(&["--format", "json", "stats"]))["relations"],
        2
    );
    Ok(())
}

#[test]
fn additions_survive_a_reload_and_check_passes() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(
        &env.kg(&[
            "add",
            "entity",
            "Lavrov",
            "--kind",
            "person",
            "--alias",
            "Сергей Лавров",
            "--prop",
            "title=Foreign Minister of Russia",
        ]),
        0,
    );
    let out = env.kg(&[
        "add",
        "relation",
        "Lavrov",
        "met",
        "rubio",
        "--date",
        "2025-02-18",
        "--source",
        "test",
        "--grade",
        "B2",
    ]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("Lavrov -[met 2025-02-18]- Rubio"),
        "{}",
        stdout(&out)
    );
    let v = json(&env.kg(&["--format", "json", "show", "сергей лавров"]));
    assert_eq!(v["name"], "Lavrov");
    assert_eq!(v["properties"]["title"], "Foreign Minister of Russia");
    assert_eq!(v["relations"][0]["grade"], "B2");
    let out = env.kg(&["check"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("ok"), "{}", stdout(&out));
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(
        (stats["entities"].as_u64(), stats["relations"].as_u64()),
        (Some(22), Some(29))
    );
}

#[test]
fn removals_report_what_went() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let out = env.kg(&["remove", "entity", "Ratcliffe", "--force"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("removed entity Ratcliffe and 4 relations"),
        "{}",
        stdout(&out)
    );
    let out = env.kg(&["remove", "relation", "#0"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("Naryshkin -[heads]-> SVR"),
        "{}",
        stdout(&out)
    );
    assert_error(&env.kg(&["remove", "relation", "0"]), "no relation #0");
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(stats["relations"], 28 - 4 - 1);
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn writes_without_a_database_are_refused() {
    let env = Env::new();
    assert_error(
        &env.bare(&["add", "entity", "X", "--kind", "person"]),
        "give --db FILE or set KG_DB",
    );
}

#[test]
fn kg_db_names_the_database() {
    let env = Env::new();
    let mut cmd = Command::cargo_bin("kg").expect("kg");
    let out = cmd
        .current_dir(env.dir.path())
        .env("KG_DB", env.db())
        .args(["import", &seed()])
        .output()
        .expect("kg runs");
    assert_exit(&out, 0);
    assert!(env.db().exists());
}

#[test]
fn damaged_files_are_refused_with_a_clear_message() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let good = std::fs::read(env.db())?;

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    std::fs::write(env.db(), &flipped)?;
    for args in [&["stats"][..], &["check"], &["show", "Putin"]] {
        assert_error(&env.kg(args), "damaged database: the checksum of the");
    }
    // A write to a damaged database is refused and leaves it as it was.
    assert_error(
        &env.kg(&["add", "entity", "X", "--kind", "person"]),
        "damaged database",
    );
    assert_eq!(std::fs::read(env.db())?, flipped);

    std::fs::write(env.db(), &good[..good.len() - 7])?;
    assert_error(&env.kg(&["check"]), "truncated");

    std::fs::write(env.db(), b"name,kind\nX,person\n")?;
    assert_error(&env.kg(&["stats"]), "not a kg database");
    std::fs::write(env.db(), b"")?;
    assert_error(&env.kg(&["stats"]), "not a kg database");

    let missing = env.path("nowhere.kgdb");
    assert_error(
        &env.bare(&["--db", missing.to_str().unwrap_or_default(), "stats"]),
        "no such database",
    );
    // Compacting nothing says so and leaves nothing behind (no FILE.lock).
    assert_error(
        &env.bare(&["--db", missing.to_str().unwrap_or_default(), "compact"]),
        "no such database",
    );
    assert!(!env.path("nowhere.kgdb.lock").exists());
    // Nor does an import that adds nothing to a database that is not there.
    let empty = env.write("empty.csv", "from,type,to\n");
    let imported = env.bare(&[
        "--db",
        missing.to_str().unwrap_or_default(),
        "import",
        empty.to_str().unwrap_or_default(),
    ]);
    assert_exit(&imported, 0);
    assert!(!missing.exists());
    assert!(!env.path("nowhere.kgdb.lock").exists());
    // A write naming what is not there, on a database that is not there (a mistyped
    // --db), says the database is missing rather than the entity.
    let db = missing.to_str().unwrap_or_default();
    for args in [
        &["remove", "entity", "Putin"][..],
        &["set", "#1", "--status", "denied"],
        &["add", "relation", "Putin", "met", "Trump"],
    ] {
        assert_error(
            &env.bare(&[&["--db", db][..], args].concat()),
            "no such database",
        );
    }
    assert!(!missing.exists());
    Ok(())
}

#[test]
fn a_bad_kg_line_names_file_and_line_and_changes_nothing() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let before = std::fs::read(env.db())?;
    let cases: [(&str, &str); 5] = [
        (
            "type met symmetric\nperson A\nperson B\nA -[met]- B @ 2025-13-45\n",
            "bad.kg:4:15: bad date '2025-13-45'",
        ),
        (
            "person A\nA -[mett]-> Putin\n",
            "bad.kg:2:5: undeclared relation type 'mett'; did you mean met?",
        ),
        (
            "person A\nA -[met]- Nobody\n",
            "bad.kg:2:11: undeclared entity 'Nobody'",
        ),
        (
            "person A\nperson a\n",
            "bad.kg:2:1: entity 'a' is already declared at",
        ),
        (
            "person A\nA -[told]- Putin\n",
            "bad.kg:2:5: relation type 'told' is directed",
        ),
    ];
    for (text, expected) in cases {
        let file = env.write("bad.kg", text);
        let out = env.kg(&["import", &seed(), file.to_str().unwrap_or_default()]);
        assert_error(&out, expected);
        assert!(
            stderr(&out).contains(&format!("{}:", file.display())),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(env.db())?,
            before,
            "the database changed after {expected}"
        );
    }
    Ok(())
}

#[test]
fn a_bad_csv_line_names_file_and_line_and_changes_nothing() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let before = std::fs::read(env.db())?;
    let cases: [(&[u8], &str); 4] = [
        (
            b"from,type,to,date\nA,met,B,2025-01-01\nA,met,B,2025-13-45\n",
            "bad.csv:3: column 'date': bad date '2025-13-45'",
        ),
        (
            b"from,type,to\nA,met,B\nA,met\n",
            "bad.csv:3: expected 3 fields as in the header, found 2",
        ),
        (
            b"from,type,to\nA,met,\xff\xfe\n",
            "bad.csv:2: invalid UTF-8",
        ),
        (b"", "bad.csv:1: empty file"),
    ];
    for (text, expected) in cases {
        let file = env.write("bad.csv", text);
        assert_error(
            &env.kg(&["import", file.to_str().unwrap_or_default()]),
            expected,
        );
        assert_eq!(
            std::fs::read(env.db())?,
            before,
            "the database changed after {expected}"
        );
    }
    let strict = env.write("strict.csv", "from,type,to\nNaryshkin,phoned,Somebody\n");
    assert_error(
        &env.kg(&["import", "--strict", strict.to_str().unwrap_or_default()]),
        "strict.csv:2: undeclared entity 'Somebody'",
    );
    assert_eq!(std::fs::read(env.db())?, before);
    // A CSV has no declarations: the way to declare a type is another file or command.
    let strict = env.write("types.csv", "from,type,to\nNaryshkin,zzzq,Putin\n");
    assert_error(
        &env.kg(&["import", "--strict", strict.to_str().unwrap_or_default()]),
        "types.csv:2: undeclared relation type 'zzzq'; add it first (kg add type zzzq), or import a relation types file (name,direction)",
    );
    assert_eq!(std::fs::read(env.db())?, before);
    Ok(())
}

#[test]
fn csv_imports_create_types_and_entities_and_are_idempotent() {
    let env = Env::new();
    let entities = env.write(
        "entities.csv",
        "name,kind,aliases,title\nLavrov,person,Сергей Лавров|Sergey Lavrov,Foreign Minister\n",
    );
    let relations = env.write(
        "relations.csv",
        "from,type,to,date,source,status,channel\nLavrov,phoned,Rubio,2025-02-15,Reuters,reported,phone\nLavrov,phoned,Rubio,2025-02-15,Reuters,reported,phone\nSergey Lavrov,briefed,Putin,,,,\n",
    );
    let files = [
        entities.to_str().unwrap_or_default(),
        relations.to_str().unwrap_or_default(),
    ];
    let out = env.kg(&["import", files[0], files[1]]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("3 entities, 3 relations, 2 types added"),
        "{text}"
    );
    assert!(
        text.contains("of which 2 entities undeclared, created as kind other: Rubio, Putin"),
        "{text}"
    );
    assert!(
        text.contains("new relation types: phoned, briefed"),
        "{text}"
    );
    // The same event twice stays twice, and a second import adds nothing.
    let out = env.kg(&["--format", "json", "import", files[0], files[1]]);
    assert_exit(&out, 0);
    let summary = json(&out);
    assert_eq!(summary["relations_added"], 0);
    assert_eq!(summary["relations_present"], 3);
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(
        (stats["entities"].as_u64(), stats["relations"].as_u64()),
        (Some(3), Some(3))
    );
    let v = json(&env.kg(&["--format", "json", "show", "Lavrov"]));
    assert_eq!(v["relations"][0]["properties"]["channel"], "phone");
}

#[test]
fn a_closed_pipe_is_no_panic() -> TestResult {
    let env = Env::new();
    let mut csv = String::from("from,type,to,date\n");
    for i in 0..20_000 {
        csv.push_str(&format!(
            "actor{},met,actor{},2020-01-{:02}\n",
            i % 500,
            (i * 7) % 499 + 1,
            i % 28 + 1
        ));
    }
    let file = env.write("big.csv", csv);
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    let db = env.db();
    for command in [
        &["timeline"][..],
        &["export", "dot"],
        &["export", "jsonl"],
        &["--format", "json", "timeline"],
    ] {
        let mut child = Command::cargo_bin("kg")?
            .args(["--db", db.to_str().unwrap_or_default()])
            .args(command)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        drop(child.stdout.take());
        let out = child.wait_with_output()?;
        assert!(
            !stderr(&out).contains("panicked"),
            "{command:?}: {}",
            stderr(&out)
        );
        assert_eq!(out.status.code(), Some(0), "{command:?}");
    }
    Ok(())
}

#[test]
fn check_on_the_bundled_graph() {
    let env = Env::new();
    let out = env.bare(&["--format", "json", "check"]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["ok"], true);
}

#[test]
fn path_listings_all_and_k() {
    let env = Env::new();
    let out = env.bare(&["--format", "json", "path", "Naryshkin", "Trump", "-k", "4"]);
    assert_exit(&out, 0);
    let paths = json(&out);
    let hops: Vec<u64> = paths
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|p| p["hops"].as_u64())
        .collect();
    assert_eq!(hops, [3, 4, 4, 4]);
    let out = env.bare(&["--format", "json", "path", "Putin", "Trump", "--all"]);
    assert_exit(&out, 0);
    let all = json(&out);
    let types: Vec<&str> = all
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|p| p["edges"][0]["type"].as_str())
        .collect();
    assert_eq!(types, ["phoned", "agreed"]);
    let out = env.bare(&["path", "Putin", "Trump", "--all"]);
    assert!(
        stdout(&out).contains("path 2 of 2: 1 hop: Putin → Trump"),
        "{}",
        stdout(&out)
    );
    assert_error(&env.bare(&["path", "Putin", "Trump", "-k", "0"]), "0");
    assert_error(
        &env.bare(&["path", "Putin", "Trump", "-k", "2", "--all"]),
        "cannot be used with",
    );
}

#[test]
fn chronological_paths_choose_days_in_order() {
    let env = Env::new();
    let out = env.bare(&[
        "--format",
        "json",
        "path",
        "Politico",
        "Putin",
        "--chronological",
    ]);
    assert_exit(&out, 0);
    let v = json(&out);
    // Rubio spoke to Politico after 5 June, so the 4-hop way through Trump's February
    // call with Putin is out of date order, and so is the way through Trump's words of
    // 5 June; the way through the spy chiefs' call (some time up to 29 June) is not.
    assert_eq!(v["hops"], 8);
    let at: Vec<Option<&str>> = v["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["at"].as_str())
        .collect();
    assert_eq!(
        at,
        [
            Some("2025-06-06"),
            None,
            None,
            None,
            Some("2025-06-06"),
            None,
            None,
            None
        ]
    );
    let plain = json(&env.bare(&["--format", "json", "path", "Politico", "Putin"]));
    assert_eq!(plain["hops"], 4);
    assert!(plain["edges"][0].get("at").is_none());

    let out = env.bare(&[
        "path",
        "Russian state media",
        "Ratcliffe",
        "--type",
        "told",
        "--type",
        "contacted",
    ]);
    assert_exit(&out, 0);
    let out = env.bare(&[
        "path",
        "Russian state media",
        "Ratcliffe",
        "--type",
        "told",
        "--type",
        "contacted",
        "--chronological",
    ]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("no chronological path from Russian state media to Ratcliffe"));
}

#[test]
fn neighbors_of_an_intelligence_chief() {
    let env = Env::new();
    let out = env.bare(&["--format", "json", "neighbors", "Naryshkin"]);
    assert_exit(&out, 0);
    let v = json(&out);
    let names: Vec<&str> = v["neighbors"]
        .as_array()
        .expect("neighbors")
        .iter()
        .filter_map(|n| n["name"].as_str())
        .collect();
    assert_eq!(names, ["Ratcliffe", "Russian state media", "SVR"]);
    assert_eq!(v["neighbors"][0]["via"].as_array().map(Vec::len), Some(3));
    let out = env.bare(&[
        "--format",
        "json",
        "neighbors",
        "Naryshkin",
        "--depth",
        "2",
        "--kind",
        "person",
    ]);
    let v = json(&out);
    let far: Vec<(&str, u64)> = v["neighbors"]
        .as_array()
        .expect("neighbors")
        .iter()
        .filter_map(|n| Some((n["name"].as_str()?, n["distance"].as_u64()?)))
        .collect();
    assert_eq!(far, [("Ratcliffe", 1)]);
    let out = env.bare(&["neighbors", "Naryshkin", "--type", "invaded"]);
    assert_exit(&out, 1);
    assert_error(&env.bare(&["neighbors", "Naryshkin", "--depth", "0"]), "0");
}

#[test]
fn review_regressions() -> TestResult {
    let env = Env::new();
    // Aliases differing only in case are one alias, before and after a reload.
    assert_exit(
        &env.kg(&[
            "add",
            "entity",
            "Sergey Lavrov",
            "--kind",
            "person",
            "--alias",
            "Lavrov",
            "--alias",
            "LAVROV",
        ]),
        0,
    );
    let v = json(&env.kg(&["--format", "json", "show", "lavrov"]));
    assert_eq!(v["aliases"], serde_json::json!(["Lavrov"]));
    // A private database stays private across saves.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o600))?;
        assert_exit(&env.kg(&["add", "entity", "Zed", "--kind", "person"]), 0);
        assert_eq!(
            std::fs::metadata(env.db())?.permissions().mode() & 0o777,
            0o600
        );
    }
    // Provenance keys cannot hide among properties.
    assert_exit(&env.kg(&["add", "type", "met", "--symmetric"]), 0);
    assert_error(
        &env.kg(&[
            "add",
            "relation",
            "Zed",
            "met",
            "Lavrov",
            "--prop",
            "status=confirmed",
        ]),
        "'status' is a reserved key",
    );
    // Names in messages cannot break the one line.
    assert_error(&env.kg(&["show", "Put\nin"]), "no entity 'Put\\nin'");
    // A new name that is another entity's alias is refused with the way forward.
    let out = env.kg(&["add", "entity", "LAVROV", "--kind", "other"]);
    assert_error(
        &out,
        "'LAVROV' is an alias of Sergey Lavrov: use Sergey Lavrov, or drop the alias first",
    );
    let out = env.kg(&["add", "entity", "sergey lavrov", "--kind", "person"]);
    assert_error(&out, "already exists");
    Ok(())
}

#[test]
fn an_empty_kg_db_means_the_bundled_graph() {
    let env = Env::new();
    let mut cmd = Command::cargo_bin("kg").expect("kg");
    let out = cmd
        .current_dir(env.dir.path())
        .env("KG_DB", "")
        .args(["--format", "json", "stats"])
        .output()
        .expect("kg runs");
    assert_exit(&out, 0);
    assert_eq!(json(&out)["entities"], 21);
}

#[test]
fn path_pairs_answers_every_pair() {
    let env = Env::new();
    let pairs = env.write(
        "pairs.csv",
        "from,to\nNaryshkin,Putin\nTrump,Putin\nNATO,Estonia\n",
    );
    let file = pairs.to_str().unwrap_or_default();
    let out = env.bare(&["--format", "csv", "path", "--pairs", file]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "from,to,hops,paths,path\nNaryshkin,Putin,3,1,Naryshkin → SVR → Russia → Putin\nTrump,Putin,1,1,Trump → Putin\nNATO,Estonia,,0,\n"
    );
    let v = json(&env.bare(&["--format", "json", "path", "--pairs", file, "-k", "2"]));
    assert_eq!(v[1]["paths"].as_array().map(Vec::len), Some(2));
    assert_eq!(v[2]["paths"], serde_json::json!([]));
    let v = json(&env.bare(&[
        "--format",
        "json",
        "path",
        "--pairs",
        file,
        "--chronological",
    ]));
    assert_eq!(
        (v[0]["from"].as_str(), v[0]["hops"].as_u64()),
        (Some("Naryshkin"), Some(3))
    );
    assert!(v[2]["hops"].is_null());
    let bad = env.write("bad.csv", "from,to\nNaryshkin,Putn\n");
    assert_error(
        &env.bare(&["path", "--pairs", bad.to_str().unwrap_or_default()]),
        "bad.csv:2: no entity 'Putn'; did you mean Putin?",
    );
    let none = env.write("none.csv", "from,to\nNATO,Estonia\n");
    assert_exit(
        &env.bare(&["path", "--pairs", none.to_str().unwrap_or_default()]),
        1,
    );
}

fn journal_of(env: &Env) -> PathBuf {
    env.path("news.kgdb.journal")
}

#[test]
fn small_writes_go_to_the_journal_and_compact_folds_them() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let snapshot = std::fs::read(env.db())?;
    assert!(!journal_of(&env).exists());
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    assert_exit(
        &env.kg(&[
            "add",
            "relation",
            "Lavrov",
            "met",
            "Rubio",
            "--date",
            "2025-02-18",
        ]),
        0,
    );
    assert_exit(&env.kg(&["remove", "relation", "0"]), 0);
    // The snapshot is untouched; the journal holds the three writes.
    assert_eq!(std::fs::read(env.db())?, snapshot);
    assert!(journal_of(&env).exists());
    let out = env.kg(&["check"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("22 entities, 28 relations (3 writes in the journal)"),
        "{}",
        stdout(&out)
    );
    let before = stdout(&env.kg(&["export", "kg"]));
    assert!(
        before.contains("Lavrov -[met]- Rubio @ 2025-02-18"),
        "{before}"
    );
    let out = env.kg(&["compact"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("folded 3 journal records (3 changes) into a new snapshot"),
        "{}",
        stdout(&out)
    );
    assert!(!journal_of(&env).exists());
    assert_eq!(stdout(&env.kg(&["export", "kg"])), before);
    assert!(stdout(&env.kg(&["compact"])).contains("nothing to compact"));
    Ok(())
}

#[test]
fn a_write_past_the_journal_limit_writes_a_snapshot() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let mut cmd = Command::cargo_bin("kg")?;
    let out = cmd
        .env("KG_JOURNAL_LIMIT", "40")
        .args([
            "--db",
            env.db().to_str().unwrap_or_default(),
            "add",
            "entity",
            "Lavrov",
            "--kind",
            "person",
        ])
        .output()?;
    assert_exit(&out, 0);
    assert!(!journal_of(&env).exists());
    assert_eq!(
        json(&env.kg(&["--format", "json", "stats"]))["entities"],
        22
    );
    Ok(())
}

#[test]
fn a_torn_last_journal_record_is_dropped_and_cut_off_by_the_next_write() -> TestResult {
    use std::io::Write;
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    // A crash in the middle of the next append leaves part of a record.
    std::fs::OpenOptions::new()
        .append(true)
        .open(journal_of(&env))?
        .write_all(&[200, 0, 0, 0, 1, 2, 3])?;
    let out = env.kg(&["--format", "json", "stats"]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["entities"], 22);
    let out = env.kg(&["check"]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("dropped an incomplete last record (7 bytes)"),
        "{}",
        stderr(&out)
    );
    assert_exit(&env.kg(&["add", "entity", "Shoigu", "--kind", "person"]), 0);
    let out = env.kg(&["check"]);
    assert_exit(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("23 entities, 28 relations (2 writes in the journal)"),
        "{}",
        stdout(&out)
    );
    Ok(())
}

#[test]
fn a_damaged_journal_record_is_refused() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    assert_exit(&env.kg(&["add", "entity", "Shoigu", "--kind", "person"]), 0);
    let good = std::fs::read(journal_of(&env))?;
    // A flipped bit in the first record's payload, in the last record's payload, in a
    // record's length: damage, never taken for a torn write, and never written over.
    let last = good.len() - 3;
    for (at, expected) in [
        (
            32 + 12 + 3,
            "journal record 1 at byte 32 fails its checksum",
        ),
        (last, "journal record 2 at byte"),
        (32 + 1, "journal record 1 at byte 32 has a damaged head"),
    ] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x10;
        std::fs::write(journal_of(&env), &bytes)?;
        assert_error(&env.kg(&["stats"]), expected);
        assert_error(&env.kg(&["check"]), expected);
        assert_error(
            &env.kg(&["add", "entity", "X", "--kind", "person"]),
            expected,
        );
        assert_eq!(
            std::fs::read(journal_of(&env))?,
            bytes,
            "a write touched a damaged journal"
        );
    }
    // A last record cut short (its head whole) is a torn write: dropped, then cut off.
    std::fs::write(journal_of(&env), &good[..good.len() - 2])?;
    let out = env.kg(&["check"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("22 entities, 28 relations (1 write in the journal)"),
        "{}",
        stdout(&out)
    );
    Ok(())
}

#[test]
fn a_journal_of_an_older_snapshot_is_ignored() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    let old = std::fs::read(journal_of(&env))?;
    assert_exit(&env.kg(&["compact"]), 0);
    // As if the compaction had crashed after writing the snapshot, before removing it.
    std::fs::write(journal_of(&env), &old)?;
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(
        stats["entities"], 22,
        "the journal's change was applied twice"
    );
    assert_exit(&env.kg(&["add", "entity", "Shoigu", "--kind", "person"]), 0);
    assert_eq!(
        json(&env.kg(&["--format", "json", "stats"]))["entities"],
        23
    );
    assert_exit(&env.kg(&["check"]), 0);
    Ok(())
}

#[test]
fn journaled_removals_and_new_ids_replay_exactly() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["remove", "entity", "Ratcliffe", "--force"]), 0);
    assert_exit(&env.kg(&["remove", "relation", "3"]), 0);
    assert_exit(
        &env.kg(&[
            "add",
            "entity",
            "Lavrov",
            "--kind",
            "person",
            "--alias",
            "Лавров",
        ]),
        0,
    );
    assert_exit(&env.kg(&["add", "type", "briefed"]), 0);
    assert_exit(
        &env.kg(&[
            "add",
            "relation",
            "Lavrov",
            "briefed",
            "Putin",
            "--source",
            "TASS",
            "--prop",
            "topic=talks",
        ]),
        0,
    );
    let journaled = stdout(&env.kg(&["export", "jsonl"]));
    let ids = stdout(&env.kg(&["--format", "csv", "timeline"]));
    assert_exit(&env.kg(&["compact"]), 0);
    assert_eq!(stdout(&env.kg(&["export", "jsonl"])), journaled);
    assert_eq!(
        stdout(&env.kg(&["--format", "csv", "timeline"])),
        ids,
        "ids changed in compaction"
    );
    assert_exit(&env.kg(&["check"]), 0);
    Ok(())
}

#[test]
fn a_journal_record_claiming_a_huge_string_fails_without_allocating_it() -> TestResult {
    use std::io::Write;
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    // A well-checksummed record whose entity name claims 15 GiB.
    let mut payload = vec![0x01, 0x02, 0x00, 0xfd];
    payload.extend_from_slice(&(15u64 << 30).to_le_bytes());
    let record = kg::fuzzing::seal_journal_record(&payload);
    std::fs::OpenOptions::new()
        .append(true)
        .open(journal_of(&env))?
        .write_all(&record)?;
    assert_error(&env.kg(&["stats"]), "journal record 2 does not decode");
    Ok(())
}

#[test]
fn path_explain_names_the_selection_plan_and_work() {
    let env = Env::new();
    let plain = env.bare(&["path", "Naryshkin", "Putin"]);
    let out = env.bare(&[
        "path",
        "Naryshkin",
        "Putin",
        "--explain",
        "--type",
        "heads",
        "--type",
        "part_of",
        "--type",
        "president_of",
    ]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), stdout(&plain));
    let notes = stderr(&out);
    for needle in [
        "explain: selection: relation types heads, president_of, part_of",
        "explain: walking: every relation in either direction",
        "explain: plan: bidirectional breadth-first search",
        "entities expanded",
        "explain: result: 1 path of 3 hops",
    ] {
        assert!(notes.contains(needle), "{needle:?} missing from:\n{notes}");
    }
    let out = env.bare(&[
        "path",
        "Naryshkin",
        "Putin",
        "--explain",
        "--chronological",
        "-k",
        "2",
    ]);
    assert!(stderr(&out).contains("Yen's algorithm"), "{}", stderr(&out));
}

#[test]
fn searches_do_not_walk_denied_relations_unless_asked() {
    let env = with_a_denied_meeting();
    let out = env.kg(&["path", "Naryshkin", "Putin", "--explain"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).starts_with("3 hops:"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("explain: selection: every status but denied"),
        "{}",
        stderr(&out)
    );
    let out = env.kg(&["path", "Naryshkin", "Putin", "--include-denied"]);
    assert!(stdout(&out).starts_with("1 hop:"), "{}", stdout(&out));
    let out = env.kg(&["path", "Naryshkin", "Putin", "--status", "denied"]);
    assert!(stdout(&out).starts_with("1 hop:"), "{}", stdout(&out));
    let out = env.kg(&["neighbors", "Putin", "--format", "json"]);
    assert!(!stdout(&out).contains("\"denied\""), "{}", stdout(&out));
    // Listings still show what is denied.
    let out = env.kg(&["timeline", "Naryshkin", "--format", "json"]);
    assert!(stdout(&out).contains("\"denied\""), "{}", stdout(&out));
}

#[test]
fn show_of_a_relation_id_is_its_card_with_evidence_and_history() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["set", "#8", "--grade", "B2"]), 0);
    let out = env.kg(&["--format", "json", "show", "#8"]);
    assert_exit(&out, 0);
    let card = json(&out);
    assert_eq!(card["id"], 8);
    assert_eq!(card["status"], "claimed");
    assert_eq!(card["grade"], "B2");
    assert_eq!(card["claimed_by"], "Naryshkin");
    assert_eq!(
        card["earliest"],
        serde_json::Value::Null,
        "open start: {card}"
    );
    assert_eq!(card["latest"], "2025-06-29");
    assert!(
        card["history"][1]["command"]
            .as_str()
            .is_some_and(|c| c.ends_with("news.kgdb set '#8' --grade B2")),
        "{card}"
    );
    let out = env.kg(&["show", "#8"]);
    assert!(
        stdout(&out).contains("days        open to 2025-06-29"),
        "{}",
        stdout(&out)
    );
    assert_error(&env.kg(&["show", "#999"]), "no relation #999");
}
