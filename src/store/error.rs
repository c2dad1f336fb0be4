//! What can go wrong with a request to the store.

use crate::model::RelationId;

/// What went wrong with a request to the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no entity '{name}'{}", did_you_mean(.suggestion))]
    UnknownEntity {
        name: String,
        suggestion: Option<String>,
    },
    #[error("'{name}' is ambiguous: it names {}", .candidates.join(", "))]
    AmbiguousEntity {
        name: String,
        candidates: Vec<String>,
    },
    #[error("no relation type '{name}'{}", did_you_mean(.suggestion))]
    UnknownType {
        name: String,
        suggestion: Option<String>,
    },
    #[error("no relation {0}")]
    UnknownRelation(RelationId),
    #[error("entity '{0}' already exists")]
    DuplicateEntity(String),
    #[error("relation type '{0}' already exists")]
    DuplicateType(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the database is full: {0}")]
    Full(&'static str),
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("; did you mean {s}?"),
        None => String::new(),
    }
}
