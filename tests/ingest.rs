//! `kg ingest`: candidates from articles, reviewed as .kg, scored against gold files,
//! and the date resolver measured on TimeML; nothing is ever written to a database.

mod common;

use std::path::Path;

use common::*;

/// The test articles of tests/ingest, each beside its gold .kg file.
fn dev_article(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/ingest")
        .join(name)
        .display()
        .to_string()
}

/// The bundled graph's article, as far as its sentences stand in graphs/seed.kg: the
/// quotes of its relations, in order, each once, one paragraph each.
fn spy_chiefs_article() -> String {
    let seed = std::fs::read_to_string(seed()).expect("the seed");
    let mut quotes: Vec<String> = Vec::new();
    for line in seed.lines().filter(|l| !l.starts_with('#')) {
        let Some(at) = line.find(" quote=\"") else {
            continue;
        };
        let rest = &line[at + 8..];
        let mut quote = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => quote.extend(chars.next()),
                '"' => break,
                c => quote.push(c),
            }
        }
        if !quotes.iter().any(|q| q.contains(&quote)) {
            quotes.retain(|q| !quote.contains(q.as_str()));
            quotes.push(quote);
        }
    }
    format!(
        "# published: 2025-06-29\n# source: The Kyiv Independent\n{}\n",
        quotes.join("\n\n")
    )
}

#[test]
fn an_article_becomes_candidates_that_import_and_answer_paths() -> TestResult {
    let env = Env::new();
    let article = env.write("spy-chiefs.txt", spy_chiefs_article());
    let out = env.kg(&["ingest", article.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(!env.db().exists(), "ingest created the database");
    let candidates = stdout(&out);
    assert!(candidates.contains("\"Donald Trump\" -[phoned]- \"Vladimir Putin\" @ 2025-02-12"));
    assert!(candidates.contains("person \"Sergey Naryshkin\" aka Naryshkin"));
    let file = env.write("candidates.kg", &candidates);
    assert_exit(&env.kg(&["import", file.to_str().unwrap()]), 0);
    // Where the article states a link between the named actors, the ingested graph
    // has a path as the bundled graph does (docs/ingest.md lists the differences).
    for (a, b) in [
        ("Naryshkin", "Ratcliffe"),
        ("Trump", "Putin"),
        ("Naryshkin", "Putin"),
        ("Ratcliffe", "Trump"),
        ("Rubio", "Trump"),
        ("Rubio", "Naryshkin"),
    ] {
        assert_exit(&env.kg(&["path", a, b]), 0);
        assert_exit(&env.bare(&["path", a, b]), 0);
    }
    Ok(())
}

#[test]
fn candidates_the_database_holds_are_marked_and_commented_out() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let before = std::fs::read(env.db())?;
    let article = env.write("spy-chiefs.txt", spy_chiefs_article());
    let out = env.kg(&["ingest", article.to_str().unwrap()]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("# already in the database as #"));
    assert!(text.contains("# Trump -[phoned]- Putin @ 2025-02-12"));
    assert_eq!(
        std::fs::read(env.db())?,
        before,
        "ingest wrote to the database"
    );
    // Importing the file adds only what was not there.
    let file = env.write("candidates.kg", &text);
    assert_exit(&env.kg(&["import", file.to_str().unwrap()]), 0);
    let again = stdout(&env.kg(&["ingest", article.to_str().unwrap()]));
    assert!(!again.lines().any(|l| l.starts_with("Trump -[phoned]-")));
    Ok(())
}

#[test]
fn the_rules_beat_the_baseline_on_the_dev_articles() -> TestResult {
    let env = Env::new();
    let score = |name: &str, baseline: bool| {
        let article = dev_article(&format!("{name}.txt"));
        let gold = dev_article(&format!("{name}.kg"));
        let mut args = vec!["--format", "json", "ingest", &article, "--evaluate", &gold];
        if baseline {
            args.push("--baseline");
        }
        let out = env.kg(&args);
        assert_exit(&out, 0);
        json(&out)
    };
    for name in ["baltic-energy", "tokyo-seoul", "sahel-mission"] {
        let rules = score(name, false);
        let baseline = score(name, true);
        let f1 = |v: &serde_json::Value| v["f1"].as_f64().unwrap();
        assert!(f1(&rules) > f1(&baseline), "{name}: {rules} vs {baseline}");
        assert!(
            rules["precision"].as_f64().unwrap() >= 0.7,
            "{name}: {rules}"
        );
        assert!(rules["recall"].as_f64().unwrap() >= 0.5, "{name}: {rules}");
        assert!(
            rules["date_accuracy"].as_f64().unwrap() >= 0.7,
            "{name}: {rules}"
        );
    }
    Ok(())
}

#[test]
fn a_folder_of_articles_is_read_in_one_go() -> TestResult {
    let env = Env::new();
    let folder = dev_article("");
    let out = env.kg(&["--format", "json", "ingest", &folder]);
    assert_exit(&out, 0);
    let list = json(&out)["candidates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for name in ["baltic-energy.txt", "tokyo-seoul.txt", "sahel-mission.txt"] {
        assert!(
            list.iter()
                .any(|c| c["article"].as_str().unwrap().ends_with(name)),
            "{name}"
        );
    }
    let first = &list[0];
    for field in [
        "from",
        "type",
        "to",
        "date",
        "status",
        "confidence",
        "quote",
        "evidence",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    // As CSV: a header naming every JSON field and each row as wide as it.
    let out = env.kg(&["--format", "csv", "ingest", &folder]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers()?.clone();
    for field in first.as_object().expect("an object").keys() {
        assert!(header.iter().any(|h| h == field), "{field} in {header:?}");
    }
    assert_eq!(rows.records().count(), list.len());
    Ok(())
}

#[test]
fn what_is_not_an_article_is_refused_and_nothing_is_written() -> TestResult {
    let env = Env::new();
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "binary.txt",
            vec![0x7f, b'E', b'L', b'F', 0, 1, 2],
            "binary",
        ),
        (
            "latin1.txt",
            b"# published: 2024-01-01\ncaf\xe9 au lait\n".to_vec(),
            "latin1.txt:2: not UTF-8",
        ),
        ("empty.txt", Vec::new(), "empty"),
        ("long.txt", vec![b'a'; 10 << 20], "long.txt:1: a line of"),
        (
            "undated.txt",
            b"Poland phoned Belarus.\n".to_vec(),
            "no publication date",
        ),
    ];
    for (name, bytes, needle) in cases {
        let path = env.write(name, bytes);
        assert_error(&env.kg(&["ingest", path.to_str().unwrap()]), needle);
    }
    assert_error(
        &env.kg(&["ingest", "missing.txt", "--date", "2024-01-01"]),
        "missing.txt: no such file",
    );
    assert_error(
        &env.kg(&["ingest", "x.txt", "--date", "June 5"]),
        "expected a publication date YYYY-MM-DD",
    );
    assert!(!env.db().exists());
    Ok(())
}

#[test]
fn a_users_lexicon_beside_the_database_adds_triggers() -> TestResult {
    let env = Env::new();
    let article = env.write(
        "a.txt",
        "# published: 2024-05-02\nHeadline\nPoland lauded Belarus on Tuesday.\n",
    );
    let plain = stdout(&env.kg(&["ingest", article.to_str().unwrap()]));
    assert!(!plain.contains("-[hailed]->"));
    env.write(
        "news.kgdb.lexicon",
        "type hailed directed \"Praise publicly\"\nhailed: laud, praise\n",
    );
    let out = env.kg(&["ingest", article.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("Poland -[hailed]-> Belarus @ 2024-04-30"));
    // The user's line decides what a trigger of kg's lexicon proposes.
    let praise = env.write(
        "b.txt",
        "# published: 2024-05-02\nHeadline\nPoland praised Belarus.\n",
    );
    assert!(
        stdout(&env.kg(&["ingest", praise.to_str().unwrap()]))
            .contains("Poland -[hailed]-> Belarus")
    );
    env.write("news.kgdb.lexicon", "hailed: laud\n");
    assert_error(
        &env.kg(&["ingest", article.to_str().unwrap()]),
        "news.kgdb.lexicon: triggers for hailed",
    );
    Ok(())
}

#[test]
fn timeml_documents_measure_the_date_resolver() -> TestResult {
    let env = Env::new();
    let doc = env.write(
        "doc.tml",
        r#"<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">January 8, 1998</TIMEX3></DCT>
<TEXT>
Stocks fell <TIMEX3 tid="t1" type="DATE" value="1998-W01">last week</TIMEX3> and rose on <TIMEX3 tid="t2" type="DATE" value="1998-01-06">Tuesday</TIMEX3>. Growth has been slow for <TIMEX3 tid="t3" type="DURATION" value="P3Y">three years</TIMEX3>; it may return <TIMEX3 tid="t4" type="DATE" value="1998-Q2">next quarter</TIMEX3>.
</TEXT>
</TimeML>"#,
    );
    let out = env.bare(&[
        "--format",
        "json",
        "ingest",
        "--timeml",
        doc.to_str().unwrap(),
    ]);
    assert_exit(&out, 0);
    let v = json(&out);
    let expressions = v["documents"][0]["expressions"].as_array().unwrap();
    let kg: Vec<&str> = expressions
        .iter()
        .map(|e| e["kg"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kg, ["1998-W01", "1998-01-06", "P3Y", "1998-Q2"]);
    assert_eq!(v["scores"]["value"]["f1"].as_f64(), Some(1.0));
    assert_error(
        &env.bare(&[
            "ingest",
            "--timeml",
            env.write("bad.tml", "<TimeML/>").to_str().unwrap(),
        ]),
        "no document creation time",
    );
    Ok(())
}

#[test]
fn candidates_of_many_articles_and_of_the_bundled_graph_import_into_a_new_database() -> TestResult {
    let env = Env::new();
    env.write(
        "one.txt",
        "# published: 2025-03-04\nHeadline\n\nKim met Zelenskyy on Monday.\nJohn Kim phoned Trump.\n",
    );
    env.write(
        "two.txt",
        "# published: 2025-03-05\nHeadline\n\nPresident Volodymyr Zelenskyy met Kim on Tuesday.\n",
    );
    let out = env.kg(&["ingest", env.dir.path().to_str().unwrap()]);
    assert_exit(&out, 0);
    let file = env.write("batch.kg", stdout(&out));
    assert_exit(&env.kg(&["import", file.to_str().unwrap()]), 0);
    assert_exit(&env.kg(&["path", "Kim", "Zelenskyy"]), 0);
    // Read against the bundled graph (no --db), the file declares what it names.
    let other = Env::new();
    let article = other.write(
        "a.txt",
        "# published: 2025-07-01\nHeadline\n\nRubio met Putin on Monday.\n",
    );
    let out = other.bare(&["ingest", article.to_str().unwrap()]);
    assert_exit(&out, 0);
    let file = other.write("c.kg", stdout(&out));
    assert_exit(&other.kg(&["import", file.to_str().unwrap()]), 0);
    assert_exit(&other.kg(&["path", "Rubio", "Putin"]), 0);
    Ok(())
}

#[test]
fn what_has_not_happened_is_no_candidate_and_a_denial_is_not_a_duplicate() -> TestResult {
    let env = Env::new();
    let candidates = |text: &str| {
        let article = env.write(
            "a.txt",
            format!("# published: 2025-06-29\nHeadline\n\n{text}\n"),
        );
        let out = env.bare(&["ingest", article.to_str().unwrap()]);
        assert_exit(&out, 0);
        stdout(&out)
            .lines()
            .filter(|l| l.contains("-["))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(candidates("Trump will phone Putin on Tuesday.").is_empty());
    assert!(candidates("Trump wants to meet Putin.").is_empty());
    let denial = candidates("Trump did not phone Putin in February, the Kremlin said.");
    assert_eq!(denial.len(), 1, "{denial:?}");
    assert!(
        denial[0].starts_with("Trump -[phoned]- Putin @ 2025-02 status=denied claimed_by=Russia")
    );
    // A date after publication in a sentence about the past is the year before.
    let march = candidates("Trump phoned Putin in March.");
    let earlier = env.write(
        "b.txt",
        "# published: 2025-01-15\nHeadline\n\nRubio met Putin in March.\n",
    );
    let out = stdout(&env.bare(&["ingest", earlier.to_str().unwrap()]));
    assert!(out.contains("Rubio -[met]- Putin @ 2024-03"), "{out}");
    assert!(march[0].contains("@ 2025-03"));
    assert_error(
        &env.bare(&["ingest", "a.txt", "--date", "25-06-16"]),
        "expected a publication date YYYY-MM-DD",
    );
    Ok(())
}

#[test]
fn review_imports_what_is_accepted_and_undo_takes_it_back() -> TestResult {
    let env = Env::new();
    let article = env.write(
        "a.txt",
        "# published: 2025-06-29\nHeadline\n\nPoland phoned Belarus on Tuesday.\nPoland met Lithuania on Monday.\nPoland criticized Latvia.\n",
    );
    // Accept the first, edit the second into another type, reject the third.
    let out = env.kg_with_input(
        &["ingest", article.to_str().unwrap(), "--review"],
        b"a\ne\nPoland -[contacted]- Lithuania @ 2025-06-23\nr\n",
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("accepted 2 of 3 candidates (1 edited)"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("[a]ccept, [r]eject, [e]dit"));
    let listed = stdout(&env.kg(&["--format", "csv", "timeline"]));
    assert!(
        listed.contains("phoned") && listed.contains("contacted"),
        "{listed}"
    );
    assert!(
        !listed.contains("criticized") && !listed.contains("Latvia"),
        "{listed}"
    );
    assert_exit(&env.kg(&["undo"]), 0);
    assert!(!stdout(&env.kg(&["--format", "csv", "timeline"])).contains("phoned"));
    // Without --db there is no database to put them in.
    assert_error(
        &env.bare(&["ingest", article.to_str().unwrap(), "--review"]),
        "give --db FILE",
    );
    Ok(())
}

#[test]
fn an_edit_in_review_brings_only_what_it_needs_and_a_wrong_answer_in_a_script_writes_nothing()
-> TestResult {
    let env = Env::new();
    let article = env.write(
        "a.txt",
        "# published: 2025-06-29\nHeadline\n\nPoland phoned Belarus on Tuesday.\nPoland criticized Lithuania.\nPoland met Latvia.\n",
    );
    let review = |answers: &str| -> std::io::Result<std::process::Output> {
        Ok(env.kg_with_input(
            &["ingest", article.to_str().unwrap(), "--review"],
            answers.as_bytes(),
        ))
    };
    // Piped answers are a script: a wrong one, or a wrong edit, ends the review with
    // nothing written.
    for (answers, why) in [
        ("a\nz\n", "\"z\" is no answer"),
        ("e\nnot a line\n", "your edit:1:11: expected '='"),
        (
            "e\nPoland -[nosuch]- Lithuania\n",
            "unknown relation type 'nosuch'",
        ),
        ("e\nPoland -[met]- Nobody\n", "unknown entity 'Nobody'"),
    ] {
        let out = review(answers)?;
        assert_exit(&out, 2);
        let last = stderr(&out).lines().last().unwrap_or_default().to_string();
        assert!(
            last.contains(why) && last.ends_with("nothing was written"),
            "{last}"
        );
        assert!(!env.db().exists(), "{answers:?} wrote the database");
    }
    // The first candidate edited into another type, naming an entity only a rejected
    // candidate names; then the end of input: only the edit and what it needs go in,
    // with the candidate's quote.
    let out = review("e\nPoland -[met]- Lithuania @ 2025-06-23\n")?;
    assert_exit(&out, 0);
    assert!(
        stdout(&out)
            .contains("accepted 1 of 3 candidates (1 edited): added 2 entities and 1 relation"),
        "{}",
        stdout(&out)
    );
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    let types = &stats["relation_types"];
    assert_eq!(types["met"], 1, "{stats}");
    assert!(
        types.get("phoned").is_none() && types.get("criticized").is_none(),
        "types of rejected candidates: {stats}"
    );
    let timeline = json(&env.kg(&["--format", "json", "timeline"]));
    assert_eq!(
        timeline[0]["quote"], "Poland phoned Belarus on Tuesday.",
        "{timeline}"
    );
    // Accepting nothing writes nothing.
    let out = review("r\nr\nr\n")?;
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("accepted none of"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        stdout(&env.kg(&["--format", "csv", "history"]))
            .lines()
            .count(),
        2
    );
    Ok(())
}
