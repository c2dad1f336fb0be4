//! What a source writes before anything is resolved: the place each declaration came
//! from ([`Location`]), a name as written ([`NameRef`]), and a relation whose ends and
//! type are still names ([`RelationDecl`]).

use std::fmt;
use std::sync::Arc;

use crate::model::{Grade, Status, TimeSpan};

/// A place in a source file (1-based line and column; column 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file),
            (line, 0) => write!(f, "{}:{line}", self.file),
            (line, column) => write!(f, "{}:{line}:{column}", self.file),
        }
    }
}

/// A name as written in a source, to be resolved against the store and the batch. It
/// keeps only its column: the file and line are its declaration's.
#[derive(Debug, Clone)]
pub struct NameRef {
    pub name: String,
    /// 1-based, or 0 when unknown (CSV, JSONL, the command line).
    pub column: u32,
}

impl NameRef {
    /// Where the name stands, on its declaration's `line`.
    pub fn at(&self, line: &Location) -> Location {
        Location {
            column: self.column as usize,
            ..line.clone()
        }
    }
}

/// A relation as a source writes it, its ends and type still names.
#[derive(Debug, Clone)]
pub struct RelationDecl {
    pub at: Location,
    pub from: NameRef,
    pub rtype: NameRef,
    pub to: NameRef,
    pub when: TimeSpan,
    pub status: Status,
    pub grade: Option<Grade>,
    /// Boxed, like the claimant, because they are often absent (a batch keeps its
    /// relations as columns, [`Relations`], each distinct text once).
    pub source: Option<Box<str>>,
    pub quote: Option<Box<str>>,
    pub claimed_by: Option<Box<NameRef>>,
    /// Sorted by key, keys unique.
    pub properties: Vec<(String, String)>,
    /// Written without an arrowhead (`A -[met]- B`): the type must be symmetric.
    pub undirected: bool,
    /// Written with an arrowhead (`A -[met]-> B`, `.kg` only): for a symmetric type the
    /// import warns that the direction it seems to give is not kept.
    pub pointed: bool,
    /// Unknown ends and types may be created (CSV); otherwise they are errors (`.kg`).
    pub creates_missing: bool,
    /// The id the file gives it (JSONL), kept as the entities' ids are.
    pub id: Option<u32>,
}
