//! `kg shell`: a session on a pseudo-terminal (driven by `tests/shell/drive.py`) with
//! completion, a query over two lines, a cancelled query, a write and the history;
//! and the script mode, which stops at the first error with its line.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

mod common;
use common::*;

#[test]
fn a_session_on_a_terminal() -> TestResult {
    if !have("python3", &["-c", "import pty"]) {
        return Ok(());
    }
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let history = env.path("history");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shell/drive.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(cargo_bin("kg"))
        .arg(env.db())
        .arg(&history)
        .output()?;
    let transcript = stdout(&out);
    assert!(out.status.success(), "{transcript}\n{}", stderr(&out));
    for needle in [
        "kg shell on",
        "President of Russia", // show Putin
        "kg> query",           // "que" + Tab
        "people\n6\n",         // the query after it
        "show Naryshkin",      // "Naryshk" + Tab
        "Director of the Foreign Intelligence Service (SVR)",
        "a.name     b.name\nNaryshkin  Ratcliffe\nTrump      Putin\n", // two lines
        "query: cancelled",                                            // Ctrl-C
        "added entity Lavrov (person)",
        "show Lavrov", // a new name completes
        "accepted 1 of 1 candidate (0 edited): added 2 entities and 1 relation",
    ] {
        assert!(
            transcript.contains(needle),
            "{needle:?} missing from:\n{transcript}"
        );
    }
    let kept = std::fs::read_to_string(&history)?;
    assert!(kept.contains("show Putin\n"), "{kept}");
    assert!(kept.contains("RETURN a.name, b.name;"), "{kept}");
    // The write went through the journal and the lock: the file has it.
    let out = env.kg(&["show", "Lavrov"]);
    assert_exit(&out, 0);
    assert!(stdout(&env.kg(&["neighbors", "Poland"])).contains("Belarus"));
    assert_exit(&env.kg(&["check"]), 0);
    Ok(())
}

fn shell_script(env: &Env, script: &str) -> std::process::Output {
    env.kg_with_input(&["shell"], script.as_bytes())
}

#[test]
fn a_script_runs_until_its_first_error() {
    let env = Env::new();
    let script = format!(
        "import {}\n# a comment\nadd entity Lavrov --kind person\n.format csv\n\
         MATCH (n:person)\nWHERE n.name STARTS WITH 'L'\nRETURN n.name;\n\
         -q path Lavrov Putin\npath Lavrov Putin\nshow Nobody\nstats\n",
        seed()
    );
    let out = shell_script(&env, &script);
    assert_exit(&out, 2);
    assert_eq!(
        stderr(&out),
        "no path from Lavrov to Putin\nline 10: no entity 'Nobody'\n"
    );
    let text = stdout(&out);
    assert!(
        text.contains("added entity Lavrov (person)\nn.name\nLavrov\n"),
        "{text}"
    );
    assert!(
        !text.contains("measure,name,count"),
        "stats ran after the error: {text}"
    );
    // What ran before the error is in the database.
    assert_exit(&env.kg(&["show", "Lavrov"]), 0);

    // A query error names its line and column in the script and shows the caret.
    let out = shell_script(&env, ".timing off\nMATCH (n)\nRETURN m;\nstats\n");
    assert_exit(&out, 2);
    assert!(
        stderr(&out).starts_with("stdin:3:8: variable `m` is not defined\n  RETURN m\n"),
        "{}",
        stderr(&out)
    );
    // Without errors: exit 0; .quit stops early.
    let out = shell_script(&env, "stats --format json\n.quit\nshow Nobody\n");
    assert_exit(&out, 0);
    assert!(json(&out)["relations"].as_u64().is_some());
}

#[test]
fn curation_runs_in_the_shell_and_merge_is_not_taken_for_cypher() {
    let env = Env::new();
    let script = format!(
        "import {}\nadd entity \"V. Putin\" --kind person\nmerge Putin \"V. Putin\"\nshow \"V. Putin\"\nundo\nsearch \"v. putin\"\nhistory --format csv\n",
        seed()
    );
    let out = shell_script(&env, &script);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("merged V. Putin (#21) into Putin (#3)"),
        "{text}"
    );
    assert!(text.contains("Putin (person)"), "{text}");
    assert!(
        text.contains("undid write #3 (kg merge Putin 'V. Putin')"),
        "{text}"
    );
    assert!(text.contains("#21  V. Putin"), "{text}");
    assert!(text.contains(",kg undo,"), "{text}");
}

#[test]
fn ingest_review_in_a_script_takes_its_answers_from_the_lines_after_it() {
    let env = Env::new();
    let article = env.write(
        "a.txt",
        "# published: 2025-06-29\nHeadline\n\nPoland phoned Belarus on Tuesday.\nPoland met Lithuania on Monday.\n",
    );
    let script = format!(
        "ingest {} --review\na\nr\n.format csv\ntimeline\nshow Nobody\n",
        article.display()
    );
    let out = shell_script(&env, &script);
    assert_exit(&out, 2);
    let text = stdout(&out);
    assert!(text.contains("accepted 1 of 2 candidates"), "{text}");
    assert!(
        text.contains("phoned") && !text.contains("Lithuania"),
        "{text}"
    );
    // The answers count among the script's lines.
    assert!(
        stderr(&out).ends_with("? line 6: no entity 'Nobody'\n"),
        "{}",
        stderr(&out)
    );
}
