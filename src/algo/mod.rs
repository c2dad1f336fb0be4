//! Searches and listings over the store, each consulting a [`crate::select::Selection`]:
//! shortest paths and timelines.

pub mod path;
pub mod timeline;

pub use path::{Path, Step, shortest_path};
pub use timeline::timeline;
