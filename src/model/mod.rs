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

pub use entity::{ENTITY_RESERVED_KEYS, Entity, EntityId, Kind, KindDecl, clean_name, name_key};
pub use relation::{
    Grade, RESERVED_KEYS, Relation, RelationFacts, RelationId, RelationType, Status, TypeId,
};
pub use strings::{Strings, Sym};
pub use time::{DateError, Day, Precision, Shape, TimeSpan};

/// `text` made safe to print on one line of a terminal: control characters and the
/// bidirectional overrides that could reorder a line are escaped (`\n`, `\u{202e}`).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Longest name, alias, type name or property key, in bytes.
pub const MAX_NAME_BYTES: usize = 1024;
/// Longest text value (a quote, a source, a property value), in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
