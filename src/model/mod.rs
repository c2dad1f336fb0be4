//! The data model: entities, relation types, relations with their dates and provenance.
//!
//! The model knows nothing of petgraph, clap or bincode: it is plain values that the
//! store keeps, the sources produce and the commands print. Repeated strings of
//! relations (sources, quotes, property keys and values) are interned in [`Strings`]
//! and referred to by [`Sym`], so that ten million relations stay small.

mod entity;
mod relation;
mod strings;
pub mod time;

pub use entity::{Entity, EntityId, Kind};
pub use relation::{Grade, Relation, RelationId, RelationType, Status, TypeId};
pub use strings::{Strings, Sym};
pub use time::{DateError, Day, Precision, Shape, TimeSpan};

/// Longest name, alias, type name or property key, in bytes.
pub const MAX_NAME_BYTES: usize = 1024;
/// Longest text value (a quote, a source, a property value), in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
