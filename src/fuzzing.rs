//! Entry points for fuzzing every reader of outside input: the `.kg`, CSV and JSONL
//! sources (through the import that follows them), the database loader and the
//! journal replay. The coverage-guided targets in `tests/fuzz` (run with `cargo fuzz`)
//! and their bounded property-test versions in `tests/fuzzing.rs` call these.
//!
//! Each takes arbitrary bytes and must answer with a value or an error, never a panic;
//! whatever it accepts must leave a store that passes every check.

use std::path::Path;
use std::sync::Arc;

use crate::import::{self, Duplicates};
use crate::persist::{self, SnapshotId};
use crate::source::{self, Batch, ReadOptions, SourceError};
use crate::{Store, bundled_graph, journal};

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
    if let Ok(store) = persist::decode(Path::new("fuzz.kgdb"), &persist::seal(data)) {
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
    let bytes = persist::encode(store).expect("an accepted store encodes");
    persist::decode(Path::new("fuzz.kgdb"), &bytes).expect("an accepted store loads back");
}
