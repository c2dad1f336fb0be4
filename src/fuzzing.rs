//! Entry points for fuzzing every reader of outside input: the `.kg`, CSV and JSONL
//! sources (through the import that follows them), the database loader, the
//! journal replay and the query language. The coverage-guided targets in `tests/fuzz` (run with `cargo fuzz`)
//! and their bounded property-test versions in `tests/fuzzing.rs` call these.
//!
//! Each takes arbitrary bytes and must answer with a value or an error, never a panic;
//! whatever it accepts must leave a store that passes every check.

use std::path::Path;
use std::sync::Arc;

use crate::import::{self, Duplicates};
use crate::source::{self, Batch, ReadOptions, SourceError};
use crate::storage::header::SnapshotId;
use crate::storage::journal;
use crate::storage::snapshot;
use crate::store::Change;
use crate::{Store, bundled_graph};

/// A `.kg` graph source, imported onto the bundled graph.
pub fn kg_source(data: &[u8]) {
    let file: Arc<str> = Arc::from("fuzz.kg");
    let batch = source::utf8(&file, data).and_then(|text| source::kg::parse(&file, text));
    import_onto_bundled(batch);
}

/// A CSV file (any of its layouts), imported onto the bundled graph, leniently or
/// strictly as its first byte says.
pub fn csv_source(data: &[u8]) {
    let strict = data.first().is_some_and(|b| b & 1 == 1);
    let file: Arc<str> = Arc::from("fuzz.csv");
    let rest = data.get(1..).unwrap_or_default();
    import_onto_bundled(source::csv::parse(&file, rest, ReadOptions { strict }));
}

/// A JSONL file, imported onto the bundled graph.
pub fn jsonl_source(data: &[u8]) {
    let file: Arc<str> = Arc::from("fuzz.jsonl");
    let batch = source::utf8(&file, data)
        .and_then(|text| source::jsonl::parse(&file, text, ReadOptions { strict: false }));
    import_onto_bundled(batch);
}

/// A database file whose payload is `data`, behind a header with correct checksums
/// (so that the decoder and the load checks see the bytes).
pub fn database(data: &[u8]) {
    if let Ok(store) = snapshot::decode(Path::new("fuzz.kgdb"), &snapshot::seal(data)) {
        assert_sound(&store);
    }
}

/// A database file of the current format holding `data`, its checksums rewritten to
/// match (so that the table and the arrays read in place see the bytes): whatever
/// opens must answer every read without a panic, and `check` must say what is wrong.
pub fn database_in_place(data: &[u8]) {
    let mut bytes = data.to_vec();
    crate::storage::mapped::reseal(&mut bytes);
    let Ok(store) = snapshot::decode(Path::new("fuzz.kgdb"), &bytes) else {
        return;
    };
    for (id, entity) in store.entities() {
        let _ = (
            store.lookup(&entity.name),
            store.name(id),
            store.kind_of(id),
        );
        for alias in &entity.aliases {
            let _ = store.lookup(alias);
        }
        for r in store.relations_of(id) {
            let _ = store.relation_text(&r.relation);
        }
    }
    for r in store.relations() {
        let _ = (store.relation_text(&r.relation), store.name(r.from));
    }
    if store.verify().is_empty() {
        assert_sound(&store);
    }
}

/// A journal of the bundled graph whose one record holds `data` behind a correct
/// head (or, when the first byte is odd, whose records are the raw bytes that follow).
pub fn journal(data: &[u8]) {
    let Ok(mut store) = bundled_graph() else {
        panic!("the bundled graph loads");
    };
    let snapshot = SnapshotId {
        generation: store.generation(),
        len: 0,
        crc: 0,
    };
    let mut bytes = journal::header(snapshot).to_vec();
    match data.split_first() {
        Some((first, rest)) if first & 1 == 1 => bytes.extend_from_slice(rest),
        _ => bytes.extend_from_slice(&journal::seal_record(data)),
    }
    if journal::replay_bytes(Path::new("fuzz.kgdb.journal"), &bytes, snapshot, &mut store).is_ok() {
        assert_sound(&store);
    }
}

/// A query, parsed and (when it parses) run on a small graph with cycles, parallel
/// relations and every kind of date, where even unbounded patterns stay small.
pub fn query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let store = small_graph();
    let mut params = crate::query::Params::new();
    params.insert(
        "name".to_string(),
        crate::query::Value::Str("A".to_string()),
    );
    params.insert("n".to_string(), crate::query::Value::Int(2));
    let _ = crate::query::run(&store, text, &params);
}

/// Four entities, six relations: a cycle, a parallel pair, a symmetric type, dates
/// of every shape and an undated relation.
fn small_graph() -> Store {
    const SOURCE: &str = "type met symmetric\ntype phoned directed\n\
        person A aka Alpha\nperson B\norg C title=\"the c\"\ncountry D\n\
        A -[phoned]-> B @ 2025-02-12\nB -[phoned]-> C @ 2025-03\nC -[phoned]-> A @ ..2025-06-29\n\
        A -[met]- B @ 2024..2025\nA -[met]- B @ 2025-02-18 status=confirmed\nC -[met]- D\n";
    let file: Arc<str> = Arc::from("small.kg");
    let Ok(batch) = source::kg::parse(&file, SOURCE) else {
        panic!("the small graph parses");
    };
    let mut store = Store::new();
    if let Err(e) = import::apply(&mut store, batch, Duplicates::Skip) {
        panic!("the small graph imports: {e}");
    }
    store
}

fn import_onto_bundled(batch: Result<Batch, SourceError>) {
    let Ok(batch) = batch else { return };
    let Ok(mut store) = bundled_graph() else {
        panic!("the bundled graph loads");
    };
    if import::apply(&mut store, batch, Duplicates::Skip).is_ok() {
        assert_sound(&store);
    }
}

/// What a reader accepted must pass every check, and save and load back.
fn assert_sound(store: &Store) {
    let problems = store.verify();
    assert!(problems.is_empty(), "accepted a broken store: {problems:?}");
    // A failure here is what the fuzzers look for: it panics to report it.
    match snapshot::encode(store) {
        Ok(bytes) => {
            if let Err(e) = snapshot::decode(Path::new("fuzz.kgdb"), &bytes) {
                panic!("an accepted store does not load back: {e}");
            }
        }
        Err(e) => panic!("an accepted store does not encode: {e}"),
    }
}

/// A database file holding `payload` behind a header with correct checksums, for tests
/// that reach the decoder and the load checks with arbitrary bytes.
pub fn seal_database(payload: &[u8]) -> Vec<u8> {
    snapshot::seal(payload)
}

/// A store encoded as a database file of format 4, as builds before format 5 wrote it.
pub fn encode_database_v4(store: &Store) -> Vec<u8> {
    match snapshot::encode_v4(store) {
        Ok(bytes) => bytes,
        Err(e) => panic!("a store encodes in format 4: {e}"),
    }
}

/// The payload of a database file's bytes, unchecked (`None` if there is no header).
pub fn database_payload(bytes: &[u8]) -> Option<&[u8]> {
    snapshot::payload_of(bytes)
}

/// A journal record holding `payload` behind a head with correct checksums.
pub fn seal_journal_record(payload: &[u8]) -> Vec<u8> {
    journal::seal_record(payload)
}

/// The journal record of `changes` (`None` when it would be too large for one record).
pub fn journal_record(changes: &[Change]) -> Option<Vec<u8>> {
    journal::encode_record(changes).ok().flatten()
}
