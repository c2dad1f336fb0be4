//! The flags of `kg rank` and `kg communities`.

use clap::{Args, ValueEnum};

use super::SelectionArgs;

pub use kg::algo::measure::Measure;

/// Reads a measure by its name, each listed in the help with what it measures.
pub fn measure_parser() -> impl clap::builder::TypedValueParser<Value = Measure> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Measure::ALL.map(|m| PossibleValue::new(m.name()).help(m.about())))
        .map(|name| Measure::from_name(&name).unwrap_or(Measure::Degree)) // infallible: a listed name
}

// What `kg rank` measures and shows (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The measure
    #[arg(long, value_parser = measure_parser())]
    pub measure: Measure,
    /// Show the N best
    #[arg(long, value_name = "N", default_value_t = 20, conflicts_with = "all",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub top: u64,
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
    /// Pagerank: the damping factor, at least 0 and below 1 [default: 0.85]
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub damping: Option<f64>,
    /// Pagerank and eigenvector: stop when the L1 change is under n × this [default: 1e-6]
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub tolerance: Option<f64>,
    /// Pagerank and eigenvector: give up after this many iterations [default: 100]
    #[arg(long, value_name = "N")]
    pub max_iter: Option<usize>,
    /// Keep the entities the selection leaves without relations (they count in n)
    #[arg(long)]
    pub keep_isolated: bool,
    /// One ranking per window of this length, from the first dated relation selected to
    /// the last (or --from to --to): how actors rose and fell
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub every: Option<Period>,
    /// With --every: also draw the top actors' scores across the windows as an SVG line
    /// chart in FILE
    #[arg(long, value_name = "FILE", requires = "every")]
    pub chart: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

/// The windows of `kg rank --every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

/// How communities are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Louvain modularity, seeded
    Louvain,
    /// Connected components (weakly, with --directed)
    Components,
    /// Strongly connected components (needs --directed)
    Strong,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Louvain => "louvain",
            Method::Components => "components",
            Method::Strong => "strong",
        }
    }
}

// What `kg communities` finds and shows (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct CommunitiesArgs {
    /// How communities are found
    #[arg(long, value_enum, default_value = "louvain")]
    pub method: Method,
    /// Louvain: the seed of the order nodes are visited in [default: 0]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Louvain: above 1 favours smaller communities, below 1 larger ones [default: 1]
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub resolution: Option<f64>,
    /// Louvain: stop when a level raises modularity by no more than this [default: 1e-7]
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub threshold: Option<f64>,
    /// Follow directed relations forward only (for --method strong)
    #[arg(long)]
    pub directed: bool,
    /// Keep the entities the selection leaves without relations (each alone)
    #[arg(long)]
    pub keep_isolated: bool,
    /// Write each actor's community number as this property (one write; kg undo takes
    /// it back), for exports and the chart to colour by
    #[arg(long, value_name = "PROPERTY")]
    pub save: Option<String>,
    /// List the N largest communities
    #[arg(long, value_name = "N", default_value_t = 20, conflicts_with = "all",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub top: u64,
    /// List every community
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
}
