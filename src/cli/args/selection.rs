//! The flags that choose what a command looks at (relation types, kinds, a date window,
//! statuses, grades) and how paths are searched, and their conversion into the
//! library's [`Selection`] and [`PathQuery`].

use clap::Args;

use kg::Error;
use kg::algo::PathQuery;
use kg::model::{Grade, Kind, Status, TimeSpan};
use kg::select::Selection;
use kg::store::Store;

/// How paths are searched, for `path` and `export --path`.
#[derive(Debug, Clone, Default, Args)]
pub struct PathArgs {
    /// Follow directed relations forward only (symmetric ones both ways)
    #[arg(long)]
    pub directed: bool,
    /// Every shortest path (at most 10,000)
    #[arg(long, conflicts_with = "k")]
    pub all: bool,
    /// The N shortest loopless paths, in order of length
    #[arg(short, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub k: Option<u32>,
    /// Give up beyond this many hops
    #[arg(long, value_name = "N")]
    pub max_hops: Option<usize>,
    /// Only paths whose relations can be dated in order (t1 <= t2 <= ...): the fewest
    /// hops, ties to the earliest arrival, each step with the day chosen
    #[arg(long)]
    pub chronological: bool,
}

/// The selection flags shared by the searching and listing commands.
#[derive(Debug, Clone, Default, Args)]
pub struct SelectionArgs {
    /// Only relations of this type (repeatable)
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Only entities of this kind (repeatable)
    #[arg(long = "kind", value_name = "KIND", value_hint = clap::ValueHint::Other)]
    pub kinds: Vec<Kind>,
    /// Only relations that may fall on or after this date
    #[arg(long, value_name = "DATE")]
    pub from: Option<TimeSpan>,
    /// Only relations that may fall on or before this date (2025-02 means to its end)
    #[arg(long, value_name = "DATE")]
    pub to: Option<TimeSpan>,
    /// With --from/--to: only relations certainly inside the window (undated ones pass)
    #[arg(long)]
    pub strict: bool,
    /// Only relations at least this established (confirmed > reported > claimed > unconfirmed > denied)
    #[arg(long, value_name = "STATUS")]
    pub status: Option<Status>,
    /// Only relations graded at least this well on both scales, e.g. B2 (ungraded ones fail)
    #[arg(long, value_name = "GRADE")]
    pub min_grade: Option<Grade>,
    /// Searches and measures (path, neighbors, rank, communities) walk denied relations
    /// too (by default they do not)
    #[arg(long, conflicts_with = "status")]
    pub include_denied: bool,
}

impl PathArgs {
    /// How the searches may walk.
    pub fn query(&self) -> PathQuery {
        PathQuery {
            directed: self.directed,
            max_hops: self.max_hops,
            chronological: self.chronological,
        }
    }

    /// Whether several paths are listed (`--all`, `-k`) rather than one.
    pub fn listing(&self) -> bool {
        self.all || self.k.is_some()
    }
}

impl SelectionArgs {
    /// The selection these flags describe, its names resolved against `store`.
    pub fn resolve(&self, store: &Store) -> Result<Selection, Error> {
        let mut selection = Selection::all();
        if !self.types.is_empty() {
            let types = self
                .types
                .iter()
                .map(|t| store.resolve_type(t))
                .collect::<Result<Vec<_>, _>>()?;
            selection = selection.with_types(types);
        }
        selection.kinds = self.kinds.clone();
        selection = selection
            .with_checked_window(self.from, self.to, self.strict, "--")
            .map_err(Error::Usage)?;
        selection.min_status = self.status;
        selection.min_grade = self.min_grade;
        Ok(selection)
    }

    /// The selection a search walks: as [`SelectionArgs::resolve`], and without denied
    /// relations unless `--include-denied` or `--status` says otherwise (a denied
    /// relation is no evidence of a connection).
    pub fn resolve_for_search(&self, store: &Store) -> Result<Selection, Error> {
        let mut selection = self.resolve(store)?;
        if self.status.is_none() && !self.include_denied {
            selection.min_status = Some(Status::Unconfirmed);
        }
        Ok(selection)
    }
}
