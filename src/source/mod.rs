//! Graph sources: the `.kg` text format, CSV (relations, entities or relation types)
//! and JSONL, parsed into a [`Batch`] of declarations that still name entities and
//! types by text. [`crate::import`] resolves a batch against
//! the store and applies it all at once.

mod batch;
pub mod csv;
mod decl;
pub mod jsonl;
pub mod kg;
mod relations;

use std::path::Path;
use std::sync::Arc;

pub use batch::{
    Batch, EntityDecl, KindDeclAt, Location, NameRef, ReadOptions, RelationDecl, SourceError,
    TypeDecl, io_words, sorted_properties, utf8,
};
pub use relations::{RelationView, Relations, WrittenName, WrittenRelation, WrittenText};

/// Reads one source file, choosing the format by its extension.
pub fn read_file(path: &Path, options: ReadOptions) -> Result<Batch, SourceError> {
    read_file_reporting(path, options, &mut |_, _| {})
}

/// Like [`read_file`], calling `report(bytes read, bytes in all)` now and then while it
/// reads a large CSV file (for a progress bar).
pub fn read_file_reporting(
    path: &Path,
    options: ReadOptions,
    report: &mut dyn FnMut(u64, u64),
) -> Result<Batch, SourceError> {
    let file: Arc<str> = Arc::from(path.display().to_string());
    let at_start = || Location {
        file: file.clone(),
        line: 0,
        column: 0,
    };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| SourceError::new(at_start(), io_words(&e)))?;
    let is_text_source = matches!(extension.as_str(), "kg" | "jsonl" | "ndjson");
    if is_text_source && bytes.iter().all(u8::is_ascii_whitespace) {
        // An import of nothing is a mistake (a wrong path, a failed download); CSV says
        // which header it expected instead.
        let at = Location {
            line: 1,
            ..at_start()
        };
        let expected = if extension == "kg" {
            "expected statements (type, entity or relation lines)"
        } else {
            "expected one JSON record per line"
        };
        return Err(SourceError::new(at, format!("empty file: {expected}")));
    }
    match extension.as_str() {
        "kg" => {
            let text = utf8(&file, &bytes)?;
            kg::parse(&file, text)
        }
        "csv" => csv::parse_reporting(&file, &bytes, options, report),
        "jsonl" | "ndjson" => {
            let text = utf8(&file, &bytes)?;
            jsonl::parse(&file, text, options)
        }
        _ => Err(SourceError::new(
            at_start(),
            "unknown source format: expected a .kg graph source, a .csv or a .jsonl file",
        )),
    }
}
