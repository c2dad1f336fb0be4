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

#[test]
fn communities_are_found_and_saved_as_a_property_that_undo_takes_back() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let out = env.kg(&["--format", "json", "communities", "--seed", "3"]);
    assert_exit(&out, 0);
    let found = json(&out);
    let count = found["count"].as_u64().expect("a count");
    assert!(count >= 2, "{found}");
    assert!(found["modularity"].as_f64().unwrap() > 0.3, "{found}");
    // The same seed, the same partition.
    assert_eq!(
        json(&env.kg(&["--format", "json", "communities", "--seed", "3"])),
        found
    );
    let out = env.kg(&["communities", "--seed", "3", "--save", "community"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("saved as the property community"),
        "{}",
        stdout(&out)
    );
    let card = json(&env.kg(&["--format", "json", "show", "Naryshkin"]));
    assert!(card["properties"]["community"].is_string(), "{card}");
    assert_exit(&env.kg(&["undo"]), 0);
    let card = json(&env.kg(&["--format", "json", "show", "Naryshkin"]));
    assert!(card["properties"].get("community").is_none(), "{card}");
    // What cannot be asked.
    assert_error(
        &env.kg(&["communities", "--method", "strong"]),
        "needs --directed",
    );
    assert_error(&env.bare(&["communities", "--save", "community"]), "--db");
}

#[test]
fn a_ranking_per_window_shows_who_rose_and_fell() {
    let env = Env::new();
    let chart = env.path("trend.svg");
    let out = env.bare(&[
        "--format",
        "json",
        "rank",
        "--measure",
        "degree",
        "--every",
        "month",
        "--top",
        "3",
        "--chart",
        chart.to_str().unwrap(),
    ]);
    assert_exit(&out, 0);
    let answer = json(&out);
    let windows = answer["windows"].as_array().expect("windows");
    assert!(windows.len() >= 3, "{answer}");
    assert_eq!(windows[0]["window"], "2025-02");
    for w in windows {
        assert!(w["scores"].as_array().unwrap().len() <= 3, "{w}");
    }
    let svg = std::fs::read_to_string(&chart).expect("the chart is written");
    assert!(svg.starts_with("<svg") && svg.contains("Russia"), "{svg}");
    // Quarters, as CSV.
    let out = env.bare(&[
        "--format",
        "csv",
        "rank",
        "--measure",
        "pagerank",
        "--every",
        "quarter",
    ]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).starts_with("window,rank,name,score\n2025-Q1,1,"),
        "{}",
        stdout(&out)
    );
}
