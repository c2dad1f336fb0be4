//! Exports through the real binary: DOT judged by Graphviz (installed by `.ci/run`),
//! GraphML read by networkx, and every interchange format imported back unchanged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

mod common;
use common::{HOSTILE_NAMES, have, hostile_db};

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, db: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = Command::cargo_bin("kg").expect("the kg binary");
        cmd.current_dir(self.dir.path()).env_remove("KG_DB");
        if let Some(db) = db {
            cmd.args(["--db", db]);
        }
        let out = cmd.args(args).output().expect("kg runs");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        out
    }

    /// Runs kg and insists on success; returns stdout.
    fn ok(&self, db: Option<&str>, args: &[&str]) -> Vec<u8> {
        let out = self.run(db, args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "kg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

/// Runs Graphviz's dot on DOT text with an output format; returns its output.
fn graphviz(dot: &[u8], format: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().ok_or("no stdin")?.write_all(dot)?;
    let out = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("Error") && !stderr.contains("syntax error"),
        "dot -T{format} refused it: {stderr}"
    );
    Ok(out.stdout)
}

/// A label as Graphviz shows it: DOT's escString turns `\\` into `\` and `\n`, `\r`,
/// `\l` into line breaks (`dot -Tjson` gives the attribute as written in the file).
fn shown(label: &str) -> String {
    let mut out = String::new();
    let mut chars = label.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[test]
fn graphviz_parses_every_dot_export_and_shows_each_name() -> TestResult {
    if !have("dot", &["-V"]) {
        return Ok(());
    }
    let env = Env::new();
    let db = hostile_db(env.dir.path());
    let exports: Vec<(Option<&str>, Vec<&str>)> = vec![
        (None, vec!["export", "dot"]),
        (
            None,
            vec!["export", "dot", "--around", "Naryshkin", "--depth", "2"],
        ),
        (
            None,
            vec!["export", "dot", "--path", "Naryshkin", "Putin", "--all"],
        ),
        (
            None,
            vec![
                "export",
                "dot",
                "--path",
                "Politico",
                "Putin",
                "--chronological",
            ],
        ),
        (
            None,
            vec![
                "export",
                "dot",
                "--highlight-path",
                "Naryshkin",
                "Trump",
                "-k",
                "2",
            ],
        ),
        (
            None,
            vec![
                "export", "dot", "--type", "phoned", "--type", "met", "--kind", "person",
            ],
        ),
        (Some(db.as_str()), vec!["export", "dot"]),
        (
            Some(db.as_str()),
            vec!["export", "dot", "--highlight-path", "graph", "->"],
        ),
    ];
    for (db, args) in &exports {
        let dot = env.ok(*db, args);
        graphviz(&dot, "svg")?;
        assert_eq!(dot, env.ok(*db, args), "kg {args:?} is not deterministic");
    }
    // Every hostile name is a node whose label Graphviz shows exactly as the name.
    let dot = env.ok(Some(&db), &["export", "dot"]);
    let json: serde_json::Value = serde_json::from_slice(&graphviz(&dot, "json")?)?;
    let mut labels: Vec<String> = json["objects"]
        .as_array()
        .ok_or("no objects")?
        .iter()
        .filter(|o| o["name"].as_str().is_some_and(is_entity_node))
        .filter_map(|o| o["label"].as_str())
        .map(shown)
        .collect();
    labels.sort();
    let mut names: Vec<String> = HOSTILE_NAMES.iter().map(|n| n.to_string()).collect();
    names.sort();
    assert_eq!(labels, names);
    let edges: Vec<String> = json["edges"]
        .as_array()
        .ok_or("no edges")?
        .iter()
        .filter_map(|e| e["label"].as_str())
        .map(shown)
        .collect();
    assert!(edges.contains(&"link \"q\"".to_string()), "{edges:?}");
    assert!(
        edges.contains(&"-> ; {} ..2025-06-29".to_string()),
        "{edges:?}"
    );
    Ok(())
}

/// Whether a DOT node id is an entity's (`n12`), not the legend's.
fn is_entity_node(id: &str) -> bool {
    id.strip_prefix('n')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The texts Graphviz draws in each node (`dot -Tjson`'s `_ldraw_` text operations),
/// by node id.
fn drawn_texts(json: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    json["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let texts = o["_ldraw_"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|op| op["op"] == "T")
                .filter_map(|op| op["text"].as_str().map(str::to_string))
                .collect();
            (o["name"].as_str().unwrap_or_default().to_string(), texts)
        })
        .collect()
}

#[test]
fn titles_are_drawn_in_their_own_nodes() -> TestResult {
    if !have("dot", &["-V"]) {
        return Ok(());
    }
    let env = Env::new();
    let dot = env.ok(
        None,
        &["export", "dot", "--around", "Naryshkin", "--depth", "2"],
    );
    let json: serde_json::Value = serde_json::from_slice(&graphviz(&dot, "json")?)?;
    let drawn = drawn_texts(&json);
    let node = |name: &str| {
        drawn
            .iter()
            .find(|(id, texts)| is_entity_node(id) && texts.first().is_some_and(|t| t == name))
            .map(|(_, texts)| texts.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        node("SVR"),
        [
            "SVR",
            "Foreign Intelligence Service of the Russian Federation"
        ]
    );
    assert_eq!(
        node("Ratcliffe"),
        [
            "Ratcliffe",
            "Director of the Central Intelligence Agency (CIA)"
        ]
    );
    // No title anywhere else: every text drawn is in the node whose entity it names.
    let svr_title = "Foreign Intelligence Service of the Russian Federation";
    let places: Vec<&String> = drawn
        .iter()
        .filter(|(_, texts)| texts.iter().any(|t| t == svr_title))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(places.len(), 1, "{drawn:?}");
    Ok(())
}

#[test]
fn a_filtered_export_leaves_no_entity_stranded_unless_asked() {
    let env = Env::new();
    let nodes = |args: &[&str]| -> (usize, usize) {
        let dot = String::from_utf8(env.ok(None, args)).expect("UTF-8");
        let nodes: Vec<&str> = dot
            .lines()
            .filter(|l| l.trim_start().starts_with('n') && !l.contains("->"))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|id| is_entity_node(id))
            .collect();
        let in_edges = nodes
            .iter()
            .filter(|id| {
                dot.lines().any(|l| {
                    l.contains(" -> ")
                        && l.split_whitespace()
                            .take(3)
                            .any(|w| w.trim_end_matches(';') == **id)
                })
            })
            .count();
        (nodes.len(), in_edges)
    };
    let (all, linked) = nodes(&["export", "dot", "--type", "phoned"]);
    assert_eq!(all, linked, "an entity without relations was drawn");
    assert!(all >= 2, "the calls' ends are drawn");
    let (kept, _) = nodes(&["export", "dot", "--type", "phoned", "--keep-isolated"]);
    let (whole, _) = nodes(&["export", "dot"]);
    assert_eq!(kept, whole, "--keep-isolated keeps every selected entity");
    // The same for the other formats.
    let kg = String::from_utf8(env.ok(None, &["export", "kg", "--type", "phoned"])).expect("UTF-8");
    assert!(!kg.contains("country "), "{kg}");
}

#[test]
fn the_legend_shows_the_kinds_and_line_styles_drawn() {
    let env = Env::new();
    let dot = String::from_utf8(env.ok(None, &["export", "dot", "--around", "Naryshkin"]))
        .expect("UTF-8");
    assert!(dot.contains(r#"graph [label="Legend""#), "{dot}");
    assert!(dot.contains(r#"[label="person", shape=ellipse"#), "{dot}");
    assert!(dot.contains(r#"[label="organization", shape=box"#), "{dot}");
    assert!(
        dot.contains(r#"[label="claimed or unconfirmed", dir=none, style=dashed]"#),
        "{dot}"
    );
    assert!(!dot.contains("country"), "only the kinds drawn: {dot}");
    let bare = String::from_utf8(env.ok(
        None,
        &["export", "dot", "--around", "Naryshkin", "--no-legend"],
    ))
    .expect("UTF-8");
    assert!(
        !bare.contains("Legend") && !bare.contains("legend_"),
        "{bare}"
    );
}

#[test]
fn a_highlighted_path_joins_an_around_or_path_part() {
    let env = Env::new();
    let dot = String::from_utf8(env.ok(
        None,
        &[
            "export",
            "dot",
            "--around",
            "Ratcliffe",
            "--highlight-path",
            "Naryshkin",
            "Putin",
        ],
    ))
    .expect("UTF-8");
    assert!(
        dot.contains(r#"[label=<Putin<BR/>"#),
        "the path's far end is drawn: {dot}"
    );
    assert!(dot.contains("color=red"), "{dot}");
    assert!(dot.contains("on the highlighted path"), "{dot}");
    let dot = String::from_utf8(env.ok(
        None,
        &[
            "export",
            "dot",
            "--path",
            "Ratcliffe",
            "CIA",
            "--highlight-path",
            "Naryshkin",
            "Putin",
        ],
    ))
    .expect("UTF-8");
    assert!(dot.contains(r#"[label=<CIA<BR/>"#), "{dot}");
    assert!(dot.contains(r#"[label=<Putin<BR/>"#), "{dot}");
}

#[test]
fn dot_styles_kinds_claims_symmetry_and_highlights() {
    let env = Env::new();
    let dot = String::from_utf8(env.ok(
        None,
        &["export", "dot", "--highlight-path", "Naryshkin", "Putin"],
    ))
    .expect("UTF-8");
    assert!(dot.starts_with("digraph {"), "{dot}");
    assert!(dot.contains(r##"n0 [label=<Naryshkin<BR/><FONT POINT-SIZE="9">Director of the Foreign Intelligence Service (SVR)</FONT>>, shape=ellipse, fillcolor="#cfe2f3""##), "{dot}");
    assert!(dot.contains(r#"[label=<SVR<BR/>"#), "{dot}");
    assert!(dot.contains(r#"[label="Russia", shape=hexagon"#));
    // The claimed call and agreement are dashed; symmetric types have no arrowheads.
    assert!(
        dot.contains(r#"n0 -> n1 [label="phoned ..2025-06-29", dir=none, style=dashed]"#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"[label="agreed ..2025-06-29", dir=none, style=dashed]"#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"n0 -> n10 [label="told 2025-06-29"]"#),
        "{dot}"
    );
    // The path Naryshkin -> SVR -> Russia <- Putin stands out.
    assert!(
        dot.contains(r#"n0 -> n6 [label="heads", color=red, fontcolor=red, penwidth=3]"#),
        "{dot}"
    );
    // Four entities, three relations, and the legend's sample line.
    assert_eq!(dot.matches("penwidth=3").count(), 4 + 3 + 1, "{dot}");
}

#[test]
fn parts_of_the_graph() {
    let env = Env::new();
    let around = String::from_utf8(env.ok(None, &["export", "dot", "--around", "Naryshkin"]))
        .expect("UTF-8");
    let nodes = around
        .lines()
        .filter(|l| l.contains("[label=") && !l.contains("->"))
        .filter(|l| l.split_whitespace().next().is_some_and(is_entity_node))
        .count();
    assert_eq!(nodes, 4, "Naryshkin and his three neighbours:\n{around}");
    let path = String::from_utf8(env.ok(None, &["export", "kg", "--path", "Naryshkin", "Putin"]))
        .expect("UTF-8");
    assert!(
        path.starts_with("# kg graph source: 4 entities, 3 relations"),
        "{path}"
    );
    let none = env.run(
        None,
        &[
            "export",
            "dot",
            "--path",
            "Naryshkin",
            "Putin",
            "--type",
            "phoned",
        ],
    );
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn render_writes_the_picture_or_says_how_to_install_graphviz() -> TestResult {
    let env = Env::new();
    if have("dot", &["-V"]) {
        env.ok(
            None,
            &["export", "dot", "--render", "svg", "-o", "seed.svg"],
        );
        let svg = std::fs::read_to_string(env.path("seed.svg"))?;
        assert!(svg.contains("<svg") && svg.contains("Naryshkin"));
    }
    let mut cmd = Command::cargo_bin("kg")?;
    let out = cmd
        .current_dir(env.dir.path())
        .env("PATH", env.dir.path())
        .args(["export", "dot", "--render", "png", "-o", "x.png"])
        .output()?;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not installed") && err.contains("install Graphviz"),
        "{err}"
    );
    assert!(!env.path("x.png").exists());
    let out = env.run(None, &["export", "jsonl", "--render", "svg", "-o", "x.svg"]);
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}

#[test]
fn the_committed_picture_is_current() -> TestResult {
    if !have("dot", &["-V"]) {
        return Ok(());
    }
    let env = Env::new();
    env.ok(
        None,
        &["export", "dot", "--render", "svg", "-o", "seed.svg"],
    );
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/seed.svg");
    assert!(
        std::fs::read(&committed)? == std::fs::read(env.path("seed.svg"))?,
        "graphs/seed.svg is stale: regenerate it with `cargo run --release -- export dot --render svg -o graphs/seed.svg`"
    );
    Ok(())
}

#[test]
fn the_committed_timeline_picture_is_current() -> TestResult {
    let env = Env::new();
    let args = ["export", "timeline", "--from", "2025-01-01", "-o", "t.svg"];
    env.ok(None, &args);
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/seed-timeline.svg");
    assert!(
        std::fs::read(&committed)? == std::fs::read(env.path("t.svg"))?,
        "graphs/seed-timeline.svg is stale: regenerate it with `cargo run --release -- export timeline --from 2025-01-01 -o graphs/seed-timeline.svg`"
    );
    Ok(())
}

#[test]
fn every_interchange_format_imports_back_unchanged() -> TestResult {
    let env = Env::new();
    let hostile = hostile_db(env.dir.path());
    for source in [None, Some(hostile.as_str())] {
        // .kg and JSONL: one file each.
        for (format, file) in [("kg", "out.kg"), ("jsonl", "out.jsonl")] {
            let first = env.ok(source, &["export", format]);
            std::fs::write(env.path(file), &first)?;
            let copy = env
                .path(&format!("copy-{format}.kgdb"))
                .display()
                .to_string();
            let _ = std::fs::remove_file(&copy);
            env.ok(Some(&copy), &["import", file]);
            assert_eq!(
                env.ok(Some(&copy), &["export", format]),
                first,
                "{format} did not round-trip"
            );
            assert_eq!(
                env.ok(Some(&copy), &["export", "kg"]),
                env.ok(source, &["export", "kg"])
            );
        }
        // CSV: relation types, entities and relations, imported together.
        env.ok(source, &["export", "csv", "--types", "-o", "types.csv"]);
        env.ok(
            source,
            &["export", "csv", "--entities", "-o", "entities.csv"],
        );
        env.ok(source, &["export", "csv", "-o", "relations.csv"]);
        let copy = env.path("copy-csv.kgdb").display().to_string();
        let _ = std::fs::remove_file(&copy);
        env.ok(
            Some(&copy),
            &[
                "import",
                "--strict",
                "types.csv",
                "entities.csv",
                "relations.csv",
            ],
        );
        assert_eq!(
            env.ok(Some(&copy), &["export", "csv"]),
            std::fs::read(env.path("relations.csv"))?
        );
        assert_eq!(
            env.ok(Some(&copy), &["export", "kg"]),
            env.ok(source, &["export", "kg"])
        );
    }
    // -o leaves no temporary files behind.
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    Ok(())
}

#[test]
fn networkx_reads_the_graphml() -> TestResult {
    if !have("python3", &["-c", "import networkx"]) {
        return Ok(());
    }
    let env = Env::new();
    let hostile = hostile_db(env.dir.path());
    for (source, nodes, edges) in [(None, 21, 28), (Some(hostile.as_str()), 19, 7)] {
        env.ok(source, &["export", "graphml", "-o", "g.graphml"]);
        let script = r#"
import json, sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
  "names": sorted(d["name"] for _, d in g.nodes(data=True)),
  "types": sorted(d["type"] for _, _, d in g.edges(data=True))}))
"#;
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(env.path("g.graphml"))
            .output()?;
        assert!(
            out.status.success(),
            "networkx: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(
            (v["nodes"].as_u64(), v["edges"].as_u64()),
            (Some(nodes), Some(edges))
        );
        if source.is_some() {
            let mut names: Vec<&str> = HOSTILE_NAMES.to_vec();
            names.sort();
            let got: Vec<&str> = v["names"]
                .as_array()
                .ok_or("names")?
                .iter()
                .filter_map(|n| n.as_str())
                .collect();
            // XML turns a bare carriage return into a newline when it reads; kg writes &#13;.
            assert_eq!(got, names);
        }
    }
    Ok(())
}

/// The timeline picture of `args`, parsed: the entity ids of its rows and the relation
/// ids of its marks.
fn timeline_picture(env: &Env, db: Option<&str>, args: &[&str]) -> (Vec<u64>, Vec<u64>) {
    let bytes = env.ok(db, args);
    let text = String::from_utf8(bytes).expect("UTF-8");
    let doc = roxmltree::Document::parse(&text).expect("the timeline is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let ids = |class: &str, attribute: &str| -> Vec<u64> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .filter_map(|n| n.attribute(attribute)?.parse().ok())
            .collect()
    };
    (ids("row", "data-entity"), ids("relation", "data-relation"))
}

#[test]
fn the_timeline_picture_has_a_row_per_actor_and_a_mark_per_dated_relation() {
    let env = Env::new();
    let out = env.run(None, &["--format", "json", "timeline"]);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let dated: Vec<&serde_json::Value> = listed
        .as_array()
        .expect("an array")
        .iter()
        .filter(|r| r["date"].is_string())
        .collect();
    let (rows, marks) = timeline_picture(&env, None, &["export", "timeline"]);
    let mut want: Vec<u64> = dated.iter().filter_map(|r| r["id"].as_u64()).collect();
    want.sort();
    let mut got = marks.clone();
    got.sort();
    assert_eq!(got, want, "one mark per dated relation");
    let mut actors: Vec<&str> = dated
        .iter()
        .flat_map(|r| [r["from"].as_str(), r["to"].as_str()])
        .flatten()
        .collect();
    actors.sort();
    actors.dedup();
    assert_eq!(rows.len(), actors.len(), "one row per actor");
    // Marks are in timeline order.
    let order: Vec<u64> = dated.iter().filter_map(|r| r["id"].as_u64()).collect();
    assert_eq!(marks, order);
    // A selection narrows it, as for every export.
    let (rows, marks) = timeline_picture(&env, None, &["export", "timeline", "--type", "phoned"]);
    assert_eq!(
        marks.len(),
        dated.iter().filter(|r| r["type"] == "phoned").count()
    );
    assert!(rows.len() >= 2);
}

#[test]
fn the_timeline_picture_survives_hostile_names_and_renders() -> TestResult {
    let env = Env::new();
    let db = hostile_db(env.dir.path());
    let (rows, marks) = timeline_picture(&env, Some(&db), &["export", "timeline"]);
    assert_eq!(marks.len(), 3, "the hostile graph's three dated relations");
    assert_eq!(rows.len(), 6);
    if have("rsvg-convert", &["--version"]) {
        env.ok(
            None,
            &["export", "timeline", "--render", "png", "-o", "t.png"],
        );
        let png = std::fs::read(env.path("t.png"))?;
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    }
    Ok(())
}

#[test]
fn an_empty_timeline_draws_nothing_and_the_legend_can_go() {
    let env = Env::new();
    let out = env.run(None, &["export", "timeline", "--from", "2030-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let with = String::from_utf8(env.ok(None, &["export", "timeline"])).expect("UTF-8");
    let without =
        String::from_utf8(env.ok(None, &["export", "timeline", "--no-legend"])).expect("UTF-8");
    assert!(with.contains(r#"class="legend""#));
    assert!(!without.contains(r#"class="legend""#));
}

#[test]
fn a_timeline_window_is_the_axis_and_a_picture_file_needs_its_render() {
    let env = Env::new();
    let svg = String::from_utf8(env.ok(
        None,
        &[
            "export",
            "timeline",
            "--from",
            "2025-03-15",
            "--to",
            "2025-06-24",
        ],
    ))
    .expect("UTF-8");
    // Monthly ticks within the window only: none for July, beyond --to.
    assert!(svg.contains("\n2025-06\n"), "{svg}");
    assert!(!svg.contains("\n2025-07\n"), "{svg}");
    let out = env.run(None, &["export", "timeline", "-o", "t.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("t.png: add --render png"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!env.path("t.png").exists());
}
