//! Applying a [`Batch`] to the store: all or nothing, and idempotent.
//!
//! Every declaration is checked and every name resolved before the store is touched, so
//! a bad line leaves the database as it was. Then types, entities and relations are
//! added. An entity already in the store is merged (new aliases and properties; a kind
//! `other` may be made specific); a conflicting kind or property value is an error. A
//! relation equal in every field to one already stored is not added again, counted as
//! a multiset: importing the same data twice changes nothing, and a file that holds the
//! same event twice keeps both.

mod execute;
mod plan;
mod summary;

use crate::source::{Batch, SourceError};
use crate::store::Store;
pub use summary::{Duplicates, ImportSummary, NearName};

/// Checks the batch against the store and applies it, or changes nothing and explains.
pub fn apply(
    store: &mut Store,
    batch: Batch,
    duplicates: Duplicates,
) -> Result<ImportSummary, SourceError> {
    let plan = plan::plan(store, &batch)?;
    Ok(execute::execute(store, batch, plan, duplicates))
}
