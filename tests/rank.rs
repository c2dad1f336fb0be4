//! `kg rank`: every measure against networkx on the graphs it ships (Zachary's karate
//! club, Les Misérables, the Florentine families, Davis' southern women), filtered and
//! directed (tests/rank/against_networkx.py); the command's own rules and output.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

mod common;
use common::*;

#[test]
fn every_measure_agrees_with_networkx() -> TestResult {
    if !have("python3", &["-c", "import networkx"]) {
        return Ok(());
    }
    let env = Env::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rank/against_networkx.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(cargo_bin("kg"))
        .arg(env.dir.path())
        .output()?;
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{report}");
    assert!(report.contains("all agree"), "{report}");
    Ok(())
}

#[test]
fn the_brokers_of_the_bundled_graph() {
    let env = Env::new();
    let out = env.bare(&[
        "--format",
        "json",
        "rank",
        "--measure",
        "betweenness",
        "--top",
        "3",
    ]);
    assert_exit(&out, 0);
    let ranking = json(&out);
    assert_eq!(ranking["measure"], "betweenness");
    let scores = ranking["scores"].as_array().expect("scores");
    assert_eq!(scores.len(), 3);
    assert_eq!(scores[0]["rank"], 1);
    assert!(scores[0]["score"].as_f64().unwrap() >= scores[1]["score"].as_f64().unwrap());
    // Calls and meetings only, in 2025.
    let out = env.bare(&[
        "rank",
        "--measure",
        "degree",
        "--type",
        "phoned",
        "--type",
        "met",
        "--from",
        "2025",
    ]);
    assert_exit(&out, 0);
    assert!(stdout(&out).starts_with("degree over "), "{}", stdout(&out));
    // As CSV, every actor.
    let out = env.bare(&["--format", "csv", "rank", "--measure", "pagerank", "--all"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).starts_with("rank,name,kind,score\n"));
}

#[test]
fn what_a_measure_cannot_do_is_refused() {
    let env = Env::new();
    for (args, why) in [
        (vec!["rank", "--measure", "in-degree"], "needs --directed"),
        (
            vec!["rank", "--measure", "pagerank", "--samples", "5"],
            "betweenness only",
        ),
        (
            vec!["rank", "--measure", "pagerank", "--damping", "1.5"],
            "--damping 1.5",
        ),
        (
            vec!["rank", "--measure", "pagerank", "--tolerance", "0"],
            "--tolerance 0",
        ),
        (
            vec![
                "rank",
                "--measure",
                "eigenvector",
                "--tolerance",
                "1e-30",
                "--max-iter",
                "2",
            ],
            "did not converge in 2 iterations",
        ),
    ] {
        assert_error(&env.bare(&args), why);
    }
    // A selection with no relations ranks no one: exit 1.
    let out = env.bare(&[
        "rank",
        "--measure",
        "degree",
        "--type",
        "phoned",
        "--from",
        "2030",
    ]);
    assert_exit(&out, 1);
}
