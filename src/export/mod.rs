//! Exports: a part of the graph ([`Subgraph`]: everything selected, an ego network, or
//! the entities and relations of some paths) written as Graphviz DOT, JSONL, CSV,
//! GraphML or an SVG timeline picture (the `.kg` source is written by [`crate::source::kg::write_part`], beside
//! its reader). Every writer is deterministic: the same graph gives the same bytes.

pub mod csv;
pub mod dot;
pub mod graphml;
pub mod jsonl;
pub mod timeline;
pub mod trend;

pub use crate::subgraph::Subgraph;
