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
        // A flag the measure does not read is refused, not ignored.
        (
            vec!["rank", "--measure", "betweenness", "--damping", "0.5"],
            "--damping does not apply",
        ),
        (
            vec!["communities", "--method", "components", "--seed", "2"],
            "Louvain's",
        ),
        (
            vec!["communities", "--resolution", "inf"],
            "--resolution inf",
        ),
        (vec!["rank", "--measure", "pagerank", "--top", "0"], "--top"),
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
    // Saved again over calls alone, the property holds that partition only: the
    // actors outside it lose their earlier number.
    let out = env.kg(&["communities", "--type", "phoned", "--save", "community"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("clearing it on"), "{}", stdout(&out));
    let card = json(&env.kg(&["--format", "json", "show", "CIA"]));
    assert!(card["properties"].get("community").is_none(), "{card}");
    let out = env.kg(&["communities", "--type", "phoned", "--save", "community"]);
    assert!(stdout(&out).contains("nothing written"), "{}", stdout(&out));
    assert_exit(&env.kg(&["undo"]), 0);
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
    // The first window is the invasion's (dated ..2022-06-28: it counts at its end).
    assert_eq!(windows[0]["window"], "2022-06");
    for w in windows {
        assert!(w["scores"].as_array().unwrap().len() <= 3, "{w}");
    }
    // A relation known only by its end (`..2022-06-28`) still gets its window.
    let out = env.bare(&[
        "rank",
        "--measure",
        "degree",
        "--every",
        "year",
        "--type",
        "invaded",
    ]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("2022"), "{}", stdout(&out));
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
        stdout(&out).starts_with("window,rank,name,score\n2022-Q2,1,"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_graph_functions_in_cypher_score_as_kg_rank_does() {
    let env = Env::new();
    for (function, measure, options, flags) in [
        ("pagerank", "pagerank", "", vec![]),
        (
            "betweenness",
            "betweenness",
            ", {types: ['phoned', 'met'], from: '2025'}",
            vec!["--type", "phoned", "--type", "met", "--from", "2025"],
        ),
        ("outDegree", "out-degree", "", vec!["--directed"]),
    ] {
        let query = format!(
            "MATCH (n) WHERE kg.{function}(n{options}) IS NOT NULL \
             RETURN n.name AS name, kg.{function}(n{options}) AS score"
        );
        let rows = json(&env.bare(&["--format", "json", "query", &query]));
        let mut args = vec!["--format", "json", "rank", "--measure", measure, "--all"];
        args.extend(flags);
        let ranking = json(&env.bare(&args));
        let scores = ranking["scores"].as_array().expect("scores");
        let rows = rows.as_array().expect("rows");
        assert_eq!(rows.len(), scores.len(), "{function}: {rows:?}");
        for s in scores {
            let row = rows
                .iter()
                .find(|r| r["name"] == s["name"])
                .unwrap_or_else(|| panic!("{function}: {} not scored", s["name"]));
            assert_eq!(row["score"], s["score"], "{function}: {}", s["name"]);
        }
    }
    // The options are checked, each error naming its option (with the query's caret).
    for (query, says) in [
        ("MATCH (n) RETURN kg.pagerank(n, {damping: 7})", "damping 7"),
        ("CALL kg.pagerank()", "kg.pagerank(n)"),
    ] {
        let out = env.bare(&["query", query]);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}

#[test]
fn a_drawing_sizes_nodes_by_a_measure_and_fills_them_by_a_community() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(
        &env.kg(&["communities", "--seed", "1", "--save", "community"]),
        0,
    );
    let out = env.kg(&[
        "export",
        "dot",
        "--size-by",
        "pagerank",
        "--colour-by",
        "community",
    ]);
    assert_exit(&out, 0);
    let dot = stdout(&out);
    let width = |name: &str| -> f64 {
        let line = dot
            .lines()
            .find(|l| l.contains(&format!("label=\"{name}\"")) || l.contains(&format!("<{name}<")))
            .unwrap_or_else(|| panic!("{name} drawn: {dot}"));
        let at = line.find("width=").expect("a width") + 6;
        line[at..].split(',').next().unwrap().parse().unwrap()
    };
    // Russia has the highest pagerank of the bundled graph, Politico one of the lowest.
    assert!(width("Russia") > width("Politico"), "{dot}");
    assert!(
        dot.contains("size: pagerank") && dot.contains("community 1"),
        "{dot}"
    );
    // The members of one community share a fill.
    let fill = |name: &str| {
        let line = dot
            .lines()
            .find(|l| l.contains(&format!("<{name}<")))
            .unwrap();
        let at = line.find("fillcolor=").unwrap();
        line[at..at + 20].to_string()
    };
    let communities = json(&env.kg(&["--format", "json", "communities", "--seed", "1"]));
    let together = |a: &str, b: &str| {
        communities["communities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| {
                let m = c["members"].as_array().unwrap();
                m.contains(&a.into()) && m.contains(&b.into())
            })
    };
    assert_eq!(
        fill("Naryshkin") == fill("Ratcliffe"),
        together("Naryshkin", "Ratcliffe")
    );
    assert_error(
        &env.kg(&["export", "csv", "--size-by", "degree"]),
        "DOT only",
    );
}
