//! The flags of `kg rank`.

use clap::{Args, ValueEnum};

use super::SelectionArgs;

/// The centrality measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Measure {
    /// Neighbours over n - 1 (directed: in plus out)
    Degree,
    /// Directed: arcs in over n - 1
    InDegree,
    /// Directed: arcs out over n - 1
    OutDegree,
    /// Share of the shortest paths between others through the actor (Brandes)
    Betweenness,
    /// Inverse mean distance from the actors that reach it, scaled by their share
    Closeness,
    /// Sum of inverse distances from the others (for graphs that are not connected)
    Harmonic,
    /// The random surfer's share of time (damping, tolerance)
    Pagerank,
    /// The principal eigenvector of the adjacency (tolerance)
    Eigenvector,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Degree => "degree",
            Measure::InDegree => "in-degree",
            Measure::OutDegree => "out-degree",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Harmonic => "harmonic",
            Measure::Pagerank => "pagerank",
            Measure::Eigenvector => "eigenvector",
        }
    }
}

// What `kg rank` measures and shows (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The measure
    #[arg(long, value_enum)]
    pub measure: Measure,
    /// Show the N best (default 20)
    #[arg(long, value_name = "N", default_value_t = 20, conflicts_with = "all")]
    pub top: usize,
    /// Show every actor of the graph
    #[arg(long)]
    pub all: bool,
    /// Follow directed relations forward only (symmetric ones both ways)
    #[arg(long)]
    pub directed: bool,
    /// Betweenness: estimate it from K sources drawn at random (with --seed)
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub samples: Option<u64>,
    /// Betweenness with --samples: the seed of the draw
    #[arg(long, value_name = "S", default_value_t = 0, requires = "samples")]
    pub seed: u64,
    /// Pagerank: the damping factor
    #[arg(long, value_name = "D", default_value_t = 0.85)]
    pub damping: f64,
    /// Pagerank and eigenvector: stop when the L1 change is under n × this
    #[arg(long, value_name = "T", default_value_t = 1e-6)]
    pub tolerance: f64,
    /// Pagerank and eigenvector: give up after this many iterations
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_iter: usize,
    /// Keep the entities the selection leaves without relations (they count in n)
    #[arg(long)]
    pub keep_isolated: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
}
