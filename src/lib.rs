//! `kg`: an embedded knowledge-graph database of actors and typed, dated relations.
//!
//! Entities (people, organisations, countries, places, media, events) are the nodes of
//! a petgraph `StableDiGraph`; relations (phoned, met, heads, ...) are its edges, each
//! with a date at the precision it was written in and its provenance. The store is
//! saved as one checksummed bincode file, read from `.kg` sources and CSV, and
//! searched for paths and timelines.
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
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod import;
pub mod model;
pub mod query;
pub mod select;
pub mod source;
pub mod storage;
pub mod store;
pub mod subgraph;

use std::sync::Arc;

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
