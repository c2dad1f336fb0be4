//! What every source reader produces: a [`Batch`] of declarations that still name
//! entities and types by text, the [`Location`] each came from, and the errors that
//! point there.

use std::sync::Arc;

pub use super::decl::{Location, NameRef, RelationDecl};
use super::relations::Relations;
use crate::model::{Entity, KindDecl, RelationType};

/// A problem in a source, at the place it was found.
/// A location whose file is empty (a command-line argument) prints as the message alone.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{message}", located(.at))]
pub struct SourceError {
    pub at: Location,
    pub message: String,
}

fn located(at: &Location) -> String {
    if at.file.is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    }
}

impl Location {
    /// The location of a value given on the command line rather than in a file.
    pub fn command_line() -> Location {
        Location {
            file: Arc::from(""),
            line: 0,
            column: 0,
        }
    }
}

impl SourceError {
    pub fn new(at: Location, message: impl Into<String>) -> SourceError {
        SourceError {
            at,
            message: message.into(),
        }
    }
}

/// A relation type as a source declares it.
#[derive(Debug, Clone)]
pub struct TypeDecl {
    pub at: Location,
    pub rtype: RelationType,
}

/// A kind of the graph's own as a source declares it (`kind vessel shape=box`).
#[derive(Debug, Clone)]
pub struct KindDeclAt {
    pub at: Location,
    pub decl: KindDecl,
}

/// An entity as a source declares it.
#[derive(Debug, Clone)]
pub struct EntityDecl {
    pub at: Location,
    /// A kind of the graph's own that nothing declares is created (CSV, JSONL);
    /// otherwise it is an error (`.kg`).
    pub creates_kind: bool,
    /// The id the file gives it (JSONL), kept when the whole graph is imported into
    /// an empty database.
    pub id: Option<u32>,
    pub entity: Entity,
}

/// Everything one import brings, from one or several files.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// The id counters of the database a JSONL export came from (entities,
    /// relations): kept with the ids, so that ids removed there are not given here.
    pub id_bounds: Option<(u32, u32)>,
    pub types: Vec<TypeDecl>,
    pub kinds: Vec<KindDeclAt>,
    pub entities: Vec<EntityDecl>,
    pub relations: Relations,
}

impl Batch {
    /// Adds another batch's declarations after these (moving, not copying, into an
    /// empty list: a batch of ten million relations is gigabytes).
    pub fn extend(&mut self, other: Batch) {
        fn join<T>(mine: &mut Vec<T>, theirs: Vec<T>) {
            if mine.is_empty() {
                *mine = theirs;
            } else {
                mine.extend(theirs);
            }
        }
        self.id_bounds = self.id_bounds.or(other.id_bounds);
        join(&mut self.types, other.types);
        join(&mut self.kinds, other.kinds);
        join(&mut self.entities, other.entities);
        self.relations.append(other.relations);
    }
}

/// How to read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// CSV relations naming unknown entities or types are errors instead of creating them.
    pub strict: bool,
}

/// An I/O error in words a user acts on, without the OS's error number.
pub fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::IsADirectory => "is a folder, not a file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        std::io::ErrorKind::StorageFull => "the disk is full".to_string(),
        _ => {
            // The OS's own words, without "(os error N)".
            let text = e.to_string();
            match text.rfind(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// The text of a file, or an error at the line and column of its first invalid byte.
pub fn utf8<'a>(file: &Arc<str>, bytes: &'a [u8]) -> Result<&'a str, SourceError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        SourceError::new(
            Location {
                file: file.clone(),
                line,
                column,
            },
            "invalid UTF-8: sources must be UTF-8 text",
        )
    })
}

/// Puts properties in key order and refuses a key given twice.
pub fn sorted_properties(
    mut properties: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, String> {
    properties.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(pair) = properties.windows(2).find(|p| p[0].0 == p[1].0) {
        return Err(format!("property '{}' is given twice", pair[0].0));
    }
    Ok(properties)
}
