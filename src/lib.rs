//! `kg`: an embedded knowledge-graph database of actors and typed, dated relations.
//!
//! Entities (people, organisations, countries, places, media, events) are the nodes of
//! a petgraph `StableDiGraph`; relations (phoned, met, heads, ...) are its edges, each
//! with a date at the precision it was written in and its provenance. What an
//! embedding program uses:
//!
//! - [`model`]: entities, relation types, relations, dates ([`model::TimeSpan`]);
//! - [`store`]: the graph in memory ([`Store`]) with its name index;
//! - [`storage`]: the database file ([`Database`]): a checksummed snapshot and a journal
//!   of small writes, opened, written under a lock, compacted;
//! - [`select`] and [`algo`]: which relations and entities count, and the searches
//!   (shortest, all shortest, k shortest and chronological paths, neighbourhoods,
//!   timelines);
//! - [`query`]: the openCypher subset;
//! - [`find`] (with [`similar`], names alike across scripts): search by name, and
//!   pairs of entities that may be one actor;
//! - [`source`] and [`import`]: `.kg`, CSV and JSONL read and applied all or nothing;
//! - [`export`] (with [`fields`], a relation's flat form): DOT, JSONL, CSV, GraphML.
//!
//! ```
//! use kg::algo::{shortest_path, PathQuery};
//! use kg::select::Selection;
//!
//! let store = kg::bundled_graph()?;
//! let from = store.resolve("Naryshkin")?;
//! let to = store.resolve("путин")?; // names and aliases, any case, any script
//! let path = shortest_path(&store, from, to, &Selection::all(), PathQuery::default())
//!     .ok_or("the article connects them")?;
//! assert_eq!(path.hops(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod algo;
pub mod export;
pub mod fields;
pub mod find;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod import;
pub mod ingest;
pub mod model;
pub mod query;
pub mod select;
pub mod similar;
pub mod source;
pub mod storage;
pub mod store;
mod subgraph;

use std::sync::Arc;

pub use storage::Database;
pub use store::Store;

/// The graph of `graphs/seed.kg`, compiled in: the database of read commands run
/// without `--db`.
pub const BUNDLED_SOURCE: &str = include_str!("../graphs/seed.kg");

/// Every error kg reports, by the boundary it comes from.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Source(#[from] source::SourceError),
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Date(#[from] model::DateError),
    #[error(transparent)]
    Query(#[from] query::QueryError),
    /// A request that cannot be carried out as asked.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Builds the bundled graph.
pub fn bundled_graph() -> Result<Store, Error> {
    let batch = source::kg::parse(&Arc::from("graphs/seed.kg"), BUNDLED_SOURCE)?;
    let mut store = Store::new();
    import::apply(&mut store, batch, import::Duplicates::Skip)?;
    Ok(store)
}
