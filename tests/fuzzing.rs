//! Bounded fuzzing in `cargo test`: the entry points of `kg::fuzzing` (the same the
//! coverage-guided targets in `tests/fuzz` drive) on mutations of real inputs and on
//! arbitrary bytes. Each must answer with a value or an error, never a panic, and
//! whatever it accepts must be a sound store. Crashes the long fuzz runs found are
//! kept at the end as regression cases.

use std::sync::Arc;

use kg::export::Subgraph;
use kg::fuzzing;
use kg::import::{self, Duplicates};
use kg::store::Recording;
use kg::{Store, bundled_graph, storage};
use proptest::prelude::*;

/// One change to a byte string: overwrite, insert or delete at a position.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Cut(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Insert(at, b)),
        2 => any::<usize>().prop_map(Edit::Delete),
        1 => any::<usize>().prop_map(Edit::Cut),
    ];
    prop::collection::vec(edit, 1..6)
}

fn mutate(base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            Edit::Set(at, b) if !bytes.is_empty() => bytes[at % len] = b,
            Edit::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Edit::Delete(at) if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            Edit::Cut(at) => bytes.truncate(at % (bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

fn seed_store() -> Store {
    bundled_graph().expect("the bundled graph loads")
}

fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory");
    out
}

/// A few lines of each kind of a real source, so mutations stay near valid input.
fn kg_sample() -> Vec<u8> {
    let text = include_str!("../graphs/seed.kg");
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let mut sample = String::from("type hailed directed\nperson Lavrov aka \"Sergey Lavrov\"\n");
    sample.push_str("Lavrov -[hailed]-> Putin @ 2025-03..2025-04 status=claimed claimed_by=Lavrov grade=B2 source=\"TASS\" quote=\"q\"\n");
    for line in lines.iter().step_by(7) {
        sample.push_str(line);
        sample.push('\n');
    }
    sample.into_bytes()
}

fn csv_samples() -> [Vec<u8>; 3] {
    let store = seed_store();
    let part = Subgraph::whole(&store);
    [
        written(|o| kg::export::csv::relations(&store, &part, o)),
        written(|o| kg::export::csv::entities(&store, &part, o)),
        written(|o| kg::export::csv::types(&store, o)),
    ]
}

fn jsonl_sample() -> Vec<u8> {
    let store = seed_store();
    written(|o| kg::export::jsonl::write(&store, &Subgraph::whole(&store), o))
}

fn database_payload() -> Vec<u8> {
    let bytes = fuzzing::encode_database_v4(&seed_store());
    fuzzing::database_payload(&bytes)
        .expect("a payload")
        .to_vec()
}

/// The payload of a journal record holding every kind of change.
fn journal_payload() -> Vec<u8> {
    let mut store = seed_store();
    store.start_recording(1000);
    let batch = kg::source::kg::parse(
        &Arc::from("j.kg"),
        std::str::from_utf8(&kg_sample()).expect("utf-8"),
    )
    .expect("the sample parses");
    import::apply(&mut store, batch, Duplicates::Skip).expect("the sample imports");
    let lavrov = store.resolve("Lavrov").expect("Lavrov");
    store.remove_entity(lavrov);
    let Some(Recording::Changes(changes, _)) = store.take_recording() else {
        panic!("changes were recorded");
    };
    let record = fuzzing::journal_record(&changes).expect("small");
    record[12..].to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn kg_sources(edits in edits(), junk in any::<Vec<u8>>()) {
        fuzzing::kg_source(&mutate(&kg_sample(), &edits));
        fuzzing::kg_source(&junk);
    }

    #[test]
    fn csv_sources(layout in 0..3usize, strict in any::<bool>(), edits in edits(), junk in any::<Vec<u8>>()) {
        let mut data = vec![u8::from(strict)];
        data.extend(mutate(&csv_samples()[layout], &edits));
        fuzzing::csv_source(&data);
        fuzzing::csv_source(&junk);
    }

    #[test]
    fn jsonl_sources(edits in edits(), junk in any::<Vec<u8>>()) {
        fuzzing::jsonl_source(&mutate(&jsonl_sample(), &edits));
        fuzzing::jsonl_source(&junk);
    }

    #[test]
    fn database_files(edits in edits(), junk in any::<Vec<u8>>()) {
        fuzzing::database(&mutate(&database_payload(), &edits));
        fuzzing::database(&junk);
    }

    #[test]
    fn database_files_read_in_place(edits in edits(), junk in any::<Vec<u8>>()) {
        let file = storage::encode(&seed_store()).expect("encodes");
        fuzzing::database_in_place(&mutate(&file, &edits));
        fuzzing::database_in_place(&junk);
    }

    #[test]
    fn journals(edits in edits(), raw in any::<bool>(), junk in any::<Vec<u8>>()) {
        let mut data = vec![u8::from(raw)];
        let payload = journal_payload();
        let mutated = mutate(&payload, &edits);
        if raw {
            data.extend(fuzzing::seal_journal_record(&payload));
            data.extend(fuzzing::seal_journal_record(&mutated));
        } else {
            data.extend(mutated);
        }
        fuzzing::journal(&data);
        fuzzing::journal(&junk);
    }
}

/// The example queries of `queries/`, one after another.
fn query_sample(index: usize) -> Vec<u8> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("queries/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    std::fs::read(&files[index % files.len()]).expect("a query")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn queries(which in 0..100usize, edits in edits(), junk in "[ -~]{0,80}") {
        fuzzing::query(&mutate(&query_sample(which), &edits));
        fuzzing::query(junk.as_bytes());
    }
}

/// The unmutated samples are accepted: the mutations start from valid input.
#[test]
fn the_samples_are_valid() {
    let file: Arc<str> = Arc::from("s");
    let text = String::from_utf8(kg_sample()).expect("utf-8");
    assert!(kg::source::kg::parse(&file, &text).is_ok());
    assert!(
        storage::decode(
            std::path::Path::new("s"),
            &fuzzing::seal_database(&database_payload())
        )
        .is_ok()
    );
    assert!(!journal_payload().is_empty());
}

/// Every input a long fuzz run crashed on, kept in `tests/fuzz/regressions` as
/// `TARGET-what`, runs through its target again.
#[test]
fn crashes_the_fuzzers_found_stay_fixed() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/regressions");
    let mut ran = 0;
    for entry in std::fs::read_dir(folder).expect("tests/fuzz/regressions") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let data = std::fs::read(&path).expect("a regression input");
        let target = name.split('-').next().unwrap_or_default();
        let run: fn(&[u8]) = match target {
            "kg_source" => fuzzing::kg_source,
            "csv_source" => fuzzing::csv_source,
            "jsonl_source" => fuzzing::jsonl_source,
            "database" => fuzzing::database,
            "journal" => fuzzing::journal,
            "query" => fuzzing::query,
            _ => panic!("{name}: name it TARGET-what"),
        };
        run(&data);
        ran += 1;
    }
    assert!(ran > 0);
}
