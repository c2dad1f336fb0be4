//! Searches, listings and centrality measures over the store, each consulting one
//! [`crate::select::Selection`] through a [`walk::Walker`]: paths (shortest, all
//! shortest, k shortest, chronological), neighbourhoods and timelines.

mod bidirectional;
mod chronological;
pub mod communities;
mod earliest;
pub mod measure;
mod neighbors;
mod path;
mod timeline;
mod walk;

pub use neighbors::{Neighbor, neighbors};
pub use path::{
    MAX_PATHS, Path, PathFinder, PathQuery, all_shortest_paths, k_shortest_paths, shortest_path,
};
pub use timeline::timeline;
pub use walk::{Step, Walker, Work};
