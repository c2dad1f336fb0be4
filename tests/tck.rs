//! The openCypher TCK as the judge of `kg query`.
//!
//! Reads the TCK's feature files (fetched by `tests/tck/fetch.py` into
//! `target/tck/features`, never committed; the test fetches them when they are missing),
//! runs each scenario of the clauses the issue names and of `expressions/` on a fresh
//! store (its setup `CREATE`s included) and compares as the TCK says: rows in order or
//! in any order, lists in any order where it says so, side effects, expected errors.
//!
//! A scenario kg's model cannot hold is not applicable, with the reason, never dropped:
//! a node without a name (kg's entities are named), several labels on one node (an
//! entity has one kind), two entities of one name, a list or map as a property value,
//! the TCK's named graphs and procedures (not in its feature files). Error types are
//! not compared (kg's errors are messages): an expected error passes when kg refuses.
//!
//! It prints passed / failed / not applicable per feature file and writes every
//! scenario's outcome to `target/tck/report.txt`. It fails when a scenario listed in
//! `tests/tck/passing.txt` (the ones that passed before) no longer passes;
//! `KG_TCK_BLESS=1` rewrites that list from this run.

#[path = "tck/gherkin.rs"]
mod gherkin;
#[path = "tck/values.rs"]
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gherkin::{Scenario, Step};
use kg::Store;
use kg::model::Kind;
use kg::query::{self, Options, Params, Table, Value};
use values::Tv;

/// The clause folders the issue names; every folder of `expressions/` runs too.
const CLAUSES: [&str; 16] = [
    "match",
    "match-where",
    "return",
    "return-orderby",
    "return-skip-limit",
    "with",
    "with-where",
    "with-orderBy",
    "with-skip-limit",
    "unwind",
    "union",
    "create",
    "merge",
    "set",
    "remove",
    "delete",
];

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Pass,
    Fail(String),
    NotApplicable(String),
}

/// The features folder, fetched if missing; `None` (the test then says why and
/// passes) only outside CI, when the fetch fails.
fn features() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("KG_TCK_FEATURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/tck/features"));
    if !dir.is_dir() {
        let fetched = std::process::Command::new("python3")
            .arg(root.join("tests/tck/fetch.py"))
            .status();
        if !fetched.is_ok_and(|s| s.success()) || !dir.is_dir() {
            assert!(
                std::env::var_os("CI").is_none(),
                "the TCK's feature files are missing from {}: run python3 tests/tck/fetch.py",
                dir.display()
            );
            eprintln!("skipped: no TCK feature files in {}", dir.display());
            return None;
        }
    }
    Some(dir)
}

fn feature_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders: Vec<PathBuf> = CLAUSES
        .iter()
        .map(|c| dir.join("clauses").join(c))
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join("expressions")) {
        folders.extend(entries.flatten().map(|e| e.path()));
    }
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "feature") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_tck_scenarios_that_passed_still_pass() {
    let Some(dir) = features() else {
        return;
    };
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut lines = Vec::new();
    let (mut pass, mut fail, mut na) = (0, 0, 0);
    for file in feature_files(&dir) {
        let relative = file
            .strip_prefix(&dir)
            .unwrap_or(&file)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let (mut p, mut f, mut n) = (0, 0, 0);
        for scenario in gherkin::scenarios(&text) {
            let outcome = run_caught(&scenario);
            match &outcome {
                Outcome::Pass => p += 1,
                Outcome::Fail(_) => f += 1,
                Outcome::NotApplicable(_) => n += 1,
            }
            outcomes.insert(format!("{relative}: {}", scenario.name), outcome);
        }
        lines.push(format!(
            "{relative}: {p} passed, {f} failed, {n} not applicable"
        ));
        (pass, fail, na) = (pass + p, fail + f, na + n);
    }
    let applicable = pass + fail;
    let share = if applicable == 0 {
        0.0
    } else {
        100.0 * pass as f64 / applicable as f64
    };
    lines.push(format!(
        "total: {pass} passed, {fail} failed, {na} not applicable; {share:.1}% of the applicable pass"
    ));
    println!("{}", lines.join("\n"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut report = lines.join("\n");
    report.push_str("\n\n");
    for (key, outcome) in &outcomes {
        match outcome {
            Outcome::Pass => {}
            Outcome::Fail(why) => report.push_str(&format!("FAIL {key}\n  {why}\n")),
            Outcome::NotApplicable(why) => report.push_str(&format!("N/A  {key}\n  {why}\n")),
        }
    }
    let _ = std::fs::write(root.join("target/tck/report.txt"), report);
    let passing: Vec<&String> = outcomes
        .iter()
        .filter(|(_, o)| **o == Outcome::Pass)
        .map(|(k, _)| k)
        .collect();
    let list = root.join("tests/tck/passing.txt");
    if std::env::var_os("KG_TCK_BLESS").is_some() {
        let text: String = passing.iter().map(|k| format!("{k}\n")).collect();
        std::fs::write(&list, text).expect("write tests/tck/passing.txt");
        return;
    }
    let before = std::fs::read_to_string(&list).unwrap_or_default();
    let lost: Vec<String> = before
        .lines()
        .filter(|k| !k.trim().is_empty())
        .filter(|k| outcomes.get(*k) != Some(&Outcome::Pass))
        .map(|k| match outcomes.get(k) {
            Some(Outcome::Fail(why)) => format!("{k}\n  {why}"),
            Some(Outcome::NotApplicable(why)) => format!("{k}\n  now not applicable: {why}"),
            _ => format!("{k}\n  no such scenario"),
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{} scenario(s) that passed before do not pass now:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

/// Runs a scenario; a panic is a failure.
fn run_caught(scenario: &Scenario) -> Outcome {
    match std::panic::catch_unwind(|| run(scenario)) {
        Ok(outcome) => outcome,
        Err(panic) => Outcome::Fail(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

/// What a query left: its table, or its error.
type Answer = Result<Table, String>;

/// The temporal types kg's dates do not model, by their functions.
const TIMES: [&str; 5] = ["datetime", "localdatetime", "localtime", "time", "duration"];

/// Whether `text` calls a function of a temporal type kg does not model.
fn uses_times(text: &str) -> bool {
    let lower = text.to_lowercase();
    TIMES.iter().any(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + f.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && matches!(after, Some('(' | '.'))
        })
    })
}

fn run(scenario: &Scenario) -> Outcome {
    let docs = scenario.steps.iter().filter_map(|s| s.doc.as_deref());
    if docs.into_iter().any(uses_times) {
        return Outcome::NotApplicable(
            "kg's dates are days, months and years and spans of them: times of day, time \
             zones and durations are not in its model"
                .into(),
        );
    }
    let mut store = Store::new();
    let mut params = Params::new();
    let mut answer: Option<Answer> = None;
    let mut effects = BTreeMap::new();
    for step in &scenario.steps {
        let text = step.text.as_str();
        match text {
            "an empty graph" | "any graph" => store = Store::new(),
            "having executed:" => {
                let doc = step.doc.as_deref().unwrap_or_default();
                if let Err(e) = execute(&mut store, doc, &Params::new()) {
                    return match model_reason(&e) {
                        Some(why) => Outcome::NotApplicable(format!("setup: {why}")),
                        None => Outcome::Fail(format!("setup failed: {e}")),
                    };
                }
            }
            "parameters are:" => {
                for row in step.table.iter().flatten() {
                    let Some(value) = row.get(1).and_then(|v| values::parse(v)) else {
                        return Outcome::NotApplicable(format!(
                            "a parameter kg cannot read: {row:?}"
                        ));
                    };
                    let Some(value) = to_kg(&value) else {
                        return Outcome::NotApplicable(format!(
                            "a parameter that is a node, relationship or path: {row:?}"
                        ));
                    };
                    params.insert(row[0].clone(), value);
                }
            }
            "executing query:" | "executing control query:" => {
                let doc = step.doc.as_deref().unwrap_or_default();
                let before = state(&store);
                answer = Some(execute(&mut store, doc, &params));
                effects = side_effects(&before, &state(&store));
            }
            "no side effects" => {
                if let Some(changed) = effects.iter().find(|(_, n)| **n != 0) {
                    return Outcome::Fail(format!("side effect {changed:?}, expected none"));
                }
            }
            "the side effects should be:" => {
                if let Some(outcome) = compare_effects(step, &effects) {
                    return outcome;
                }
            }
            t if t.starts_with("the result should be") => {
                if let Some(outcome) = compare_result(step, answer.as_ref(), &store) {
                    return outcome;
                }
            }
            t if t.starts_with("the ") && t.ends_with(" graph") => {
                return Outcome::NotApplicable(format!(
                    "{t}: the TCK's named graphs are not among its feature files"
                ));
            }
            t if t.starts_with("there exists a procedure") => {
                return Outcome::NotApplicable("procedures (CALL) are outside kg's subset".into());
            }
            t if t.contains("should be raised") => {
                return match &answer {
                    Some(Err(_)) => Outcome::Pass,
                    Some(Ok(_)) => Outcome::Fail(format!("no error; expected {t}")),
                    None => Outcome::Fail("no query ran".into()),
                };
            }
            other => return Outcome::Fail(format!("a step the runner does not know: {other}")),
        }
    }
    match answer {
        Some(_) => Outcome::Pass,
        None => Outcome::Fail("no query ran".into()),
    }
}

/// Runs `text` on `store`, writing when it has an updating clause.
fn execute(store: &mut Store, text: &str, params: &Params) -> Answer {
    let ran = if query::updating_clause(text).is_some() {
        query::run_writing(store, text, params, Options::default())
    } else {
        query::run_with(store, text, params, Options::default())
    };
    ran.map(|r| r.table).map_err(|e| e.to_string())
}

/// Why an error is kg's model rather than a fault, when it is.
fn model_reason(error: &str) -> Option<String> {
    let reasons = [
        (
            "an entity needs a name",
            "kg's entities are named: a node without a name",
        ),
        (
            "an entity has one kind",
            "kg's entities have one kind: a node with several labels",
        ),
        (
            "already exists",
            "kg's names are unique: two entities of one name",
        ),
        (
            "holds text, a number, a boolean or a date",
            "kg's properties hold text, numbers, booleans and dates: a list or map property",
        ),
        (
            "is a reserved key",
            "id, name, kind and aliases are kg's own fields",
        ),
        (
            "an entity's name is text",
            "kg's entities are named: a name cannot be removed or set to null",
        ),
    ];
    reasons
        .iter()
        .find(|(fragment, _)| error.contains(fragment))
        .map(|(_, why)| format!("{why} ({error})"))
}

fn to_kg(v: &Tv) -> Option<Value> {
    Some(match v {
        Tv::Null => Value::Null,
        Tv::Bool(b) => Value::Bool(*b),
        Tv::Int(i) => Value::Int(*i),
        Tv::Float(f) => Value::Float(*f),
        Tv::Str(s) => Value::Str(s.clone()),
        Tv::List(items) => Value::List(items.iter().map(to_kg).collect::<Option<_>>()?),
        Tv::Map(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| Some((k.clone(), to_kg(v)?)))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

fn compare_result(step: &Step, answer: Option<&Answer>, store: &Store) -> Option<Outcome> {
    let table = match answer {
        None => return Some(Outcome::Fail("no query ran".into())),
        Some(Err(e)) => {
            return Some(match model_reason(e) {
                Some(why) => Outcome::NotApplicable(why),
                None => Outcome::Fail(format!("error: {e}")),
            });
        }
        Some(Ok(table)) => table,
    };
    if step.text == "the result should be empty" {
        return (!table.rows.is_empty())
            .then(|| Outcome::Fail(format!("{} rows, expected none", table.rows.len())));
    }
    let expected = step.table.as_deref().unwrap_or_default();
    let Some((header, rows)) = expected.split_first() else {
        return Some(Outcome::Fail("an expected result without a table".into()));
    };
    let mut wanted = Vec::new();
    for row in rows {
        let mut values = Vec::new();
        for cell in row {
            let Some(v) = values::parse(cell) else {
                return Some(Outcome::NotApplicable(format!(
                    "an expected value in a notation kg has no value for: {cell}"
                )));
            };
            if values::has_several_labels(&v) {
                return Some(Outcome::NotApplicable(
                    "kg's entities have one kind: a node with several labels".into(),
                ));
            }
            values.push(v);
        }
        wanted.push(Tv::List(values));
    }
    if *header != table.columns {
        return Some(Outcome::Fail(format!(
            "columns {:?}, expected {header:?}",
            table.columns
        )));
    }
    let got: Vec<Tv> = table
        .rows
        .iter()
        .map(|row| Tv::List(row.iter().map(|v| values::of_kg(store, v)).collect()))
        .collect();
    let unordered_lists = step.text.contains("ignoring element order for lists");
    let matches = if step.text.contains("in order") {
        got.len() == wanted.len()
            && got
                .iter()
                .zip(&wanted)
                .all(|(a, b)| values::same(a, b, unordered_lists))
    } else {
        values::same_bag(&got, &wanted, unordered_lists)
    };
    (!matches).then(|| Outcome::Fail(format!("rows {}, expected {}", shown(&got), shown(&wanted))))
}

fn shown(rows: &[Tv]) -> String {
    let text = format!("{rows:?}");
    if text.chars().count() > 400 {
        format!("{}...", text.chars().take(400).collect::<String>())
    } else {
        text
    }
}

fn compare_effects(step: &Step, effects: &BTreeMap<String, i64>) -> Option<Outcome> {
    let mut wanted: BTreeMap<String, i64> = BTreeMap::new();
    for row in step.table.iter().flatten() {
        let n = row.get(1).and_then(|n| n.parse().ok()).unwrap_or(0);
        wanted.insert(row[0].clone(), n);
    }
    let keys: BTreeSet<&String> = wanted.keys().chain(effects.keys()).collect();
    for key in keys {
        let (w, g) = (
            wanted.get(key).copied().unwrap_or(0),
            effects.get(key).copied().unwrap_or(0),
        );
        if w != g {
            return Some(Outcome::Fail(format!(
                "side effect {key}: {g}, expected {w}"
            )));
        }
    }
    None
}

/// What the TCK counts of a graph: its entities, relations, labels in use and
/// properties (each with its owner and value).
struct State {
    nodes: BTreeSet<u32>,
    rels: BTreeSet<u32>,
    labels: BTreeSet<String>,
    properties: BTreeSet<String>,
}

fn state(store: &Store) -> State {
    let mut s = State {
        nodes: BTreeSet::new(),
        rels: BTreeSet::new(),
        labels: BTreeSet::new(),
        properties: BTreeSet::new(),
    };
    for (id, e) in store.entities() {
        s.nodes.insert(id.0);
        if e.kind != Kind::Other {
            s.labels.insert(e.kind.as_str().to_string());
        }
        if let Tv::Node(_, props) = values::of_kg(store, &Value::Node(id)) {
            for (k, v) in props {
                s.properties.insert(format!("n{} {k} {v:?}", id.0));
            }
        }
        for r in store.relations_of(id).filter(|r| r.from == id) {
            s.rels.insert(r.id.0);
            if let Tv::Rel(_, props) = values::of_kg(store, &Value::Rel(r.id)) {
                for (k, v) in props {
                    s.properties.insert(format!("r{} {k} {v:?}", r.id.0));
                }
            }
        }
    }
    s
}

fn side_effects(before: &State, after: &State) -> BTreeMap<String, i64> {
    fn count<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> i64 {
        a.difference(b).count() as i64
    }
    let mut effects = BTreeMap::new();
    for (key, n) in [
        ("+nodes", count(&after.nodes, &before.nodes)),
        ("-nodes", count(&before.nodes, &after.nodes)),
        ("+relationships", count(&after.rels, &before.rels)),
        ("-relationships", count(&before.rels, &after.rels)),
        ("+labels", count(&after.labels, &before.labels)),
        ("-labels", count(&before.labels, &after.labels)),
        ("+properties", count(&after.properties, &before.properties)),
        ("-properties", count(&before.properties, &after.properties)),
    ] {
        if n != 0 {
            effects.insert(key.to_string(), n);
        }
    }
    effects
}
