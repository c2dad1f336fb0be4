//! What can go wrong with a database file: missing, unreadable, not a database, damaged,
//! of another format version.

use std::io;
use std::path::Path;

/// What is wrong with a database file, or with writing one.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "{path}: no such database (a write command creates it, e.g. kg --db {path} import graphs/seed.kg)"
    )]
    Missing { path: String },
    #[error("{path}: {}", crate::source::io_words(source))]
    Io { path: String, source: io::Error },
    #[error("{path}: not a kg database ({reason})")]
    NotADatabase { path: String, reason: String },
    #[error("{path}: damaged database: {reason}")]
    Damaged { path: String, reason: String },
    #[error("{path}: cannot write it: {reason}")]
    Unwritable { path: String, reason: String },
    #[error("{path}: already exists: recovery writes a new database, give a name not in use")]
    Exists { path: String },
    #[error(
        "{path}: format version {found} is not one this kg reads (it reads versions {oldest} to {reads})"
    )]
    Version {
        path: String,
        found: u32,
        oldest: u32,
        reads: u32,
    },
}

/// The error of a failed operation on `path`.
pub(super) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StorageError + '_ {
    move |source| StorageError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The error of a file whose contents fail a check.
pub(super) fn damaged(path: &Path, reason: impl Into<String>) -> StorageError {
    StorageError::Damaged {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}
