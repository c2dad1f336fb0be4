//! The engine end to end on a generated event graph (benches/support/synthetic.rs):
//! CSV import through the real binary, then `path --pairs` (plain and filtered)
//! against an independent breadth-first search over the CSV rows.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::collections::{HashMap, VecDeque};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Which CSV rows (by type and date) a search may use.
type RowFilter = Box<dyn Fn(&str, &str) -> bool>;

/// Hops between two actors over the rows `keep` accepts, in either direction.
fn bfs(
    rows: &[(String, String, String, String)],
    keep: impl Fn(&str, &str) -> bool,
    from: &str,
    to: &str,
) -> Option<usize> {
    let mut adjacent: HashMap<&str, Vec<&str>> = HashMap::new();
    for (a, t, b, d) in rows {
        if keep(t, d) {
            adjacent.entry(a).or_default().push(b);
            adjacent.entry(b).or_default().push(a);
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::from([(from, 0)]);
    let mut queue = VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            return seen.get(at).copied();
        }
        let d = seen[at];
        for &next in adjacent.get(at).into_iter().flatten() {
            if !seen.contains_key(next) {
                seen.insert(next, d + 1);
                queue.push_back(next);
            }
        }
    }
    None
}

#[test]
fn generated_graph_paths_match_an_independent_search() -> TestResult {
    let dir = tempfile::tempdir()?;
    let config = synthetic::Config {
        actors: 3000,
        events: 15_000,
        seed: 7,
        zipf: 1.0,
    };
    let mut entities = Vec::new();
    let mut relations = Vec::new();
    let generated = synthetic::generate(config, &mut entities, &mut relations)?;
    std::fs::write(dir.path().join("entities.csv"), &entities)?;
    std::fs::write(dir.path().join("relations.csv"), &relations)?;
    let mut pairs = String::from("from,to\n");
    let chosen = synthetic::pairs(&generated.names, &generated.active, 150, 8);
    for (a, b) in &chosen {
        pairs.push_str(&format!("{a},{b}\n"));
    }
    std::fs::write(dir.path().join("pairs.csv"), pairs)?;
    let db = dir.path().join("events.kgdb");
    let kg = |args: &[&str]| -> Result<String, Box<dyn std::error::Error>> {
        let out = Command::cargo_bin("kg")?
            .current_dir(dir.path())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()?;
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    };
    kg(&["import", "entities.csv", "relations.csv"])?;
    let text = String::from_utf8(relations)?;
    let rows: Vec<(String, String, String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((
                f.first()?.to_string(),
                f.get(1)?.to_string(),
                f.get(2)?.to_string(),
                f.get(3)?.to_string(),
            ))
        })
        .collect();
    let filters: [(&[&str], RowFilter); 2] = [
        (&[], Box::new(|_: &str, _: &str| true)),
        (
            &[
                "--type",
                "phoned",
                "--type",
                "met",
                "--from",
                "2020-01-01",
                "--to",
                "2022-12-31",
            ],
            Box::new(|t: &str, d: &str| {
                (t == "phoned" || t == "met") && ("2020".."2023").contains(&&d[..4])
            }),
        ),
    ];
    for (flags, keep) in &filters {
        let mut args = vec!["--format", "csv", "path", "--pairs", "pairs.csv"];
        args.extend_from_slice(flags);
        let out = kg(&args)?;
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let mut checked = 0;
        for (row, (a, b)) in reader.records().zip(&chosen) {
            let row = row?;
            assert_eq!((&row[0], &row[1]), (a.as_str(), b.as_str()));
            let hops = row[2].parse::<usize>().ok();
            assert_eq!(hops, bfs(&rows, keep, a, b), "{a} -> {b} with {flags:?}");
            checked += 1;
        }
        assert_eq!(checked, chosen.len());
    }
    Ok(())
}
