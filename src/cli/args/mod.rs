//! The command line as clap parses it: the flags and subcommands (their doc comments
//! are the help text and the manual page). The selection and path flags, and their
//! conversion into the library's values, are in `selection.rs`; the manual page in
//! `manual.rs`.

mod ingest;
pub mod manual;
mod rank;
mod selection;
mod serve;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use kg::model::{Grade, Kind, Status, TimeSpan};

pub use ingest::IngestArgs;
pub use rank::{CommunitiesArgs, Measure, Method, Period, RankArgs};
pub use selection::{PathArgs, SelectionArgs};
pub use serve::ServeArgs;

use super::values::{at_least_one, date_given, duration, score};

const EXAMPLES: &str = "\
Examples:
  kg path Naryshkin Putin                      how are they connected? (bundled graph)
  kg show Naryshkin                            the card of an entity
  kg timeline --from 2025-02-01 --to 2025-02-28
  kg --db news.kgdb import graphs/seed.kg      create a database from a source
  kg --db news.kgdb add relation Naryshkin met Ratcliffe --date 2025-07
  kg --format json stats";

/// An embedded knowledge-graph database of actors and typed, dated relations.
///
/// Without --db (or KG_DB), read commands answer from the bundled graph of
/// graphs/seed.kg; write commands need a database file, created by the first write.
#[derive(Debug, Parser)]
#[command(name = "kg", version, after_help = EXAMPLES)]
pub struct Cli {
    /// The database file, created by the first write command [default: $KG_DB]
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// How to print results
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Report on stderr how long opening the database and the work took
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print results and errors only: no notes on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Under a table, each relation's source and quote as numbered notes
    #[arg(long, global = true)]
    pub sources: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people
    Table,
    /// One JSON document with stable field names
    Json,
    /// A header row, then one row per result
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import .kg graph sources, .csv and .jsonl files, all or nothing
    ///
    /// Several files form one import: if any line is bad, nothing changes. Importing the
    /// same data twice changes nothing. CSV relations (header from,type,to[,date,source,
    /// quote,status,grade,claimed_by,...]) create unknown entities (kind other) and
    /// unknown types (directed) unless --strict; CSV entities have the header
    /// name,kind[,aliases,...], relation types name,direction[,cameo,description].
    /// JSONL holds the records `kg export jsonl` writes.
    #[command(
        after_help = "Example:\n  kg --db news.kgdb import graphs/seed.kg extra-relations.csv"
    )]
    Import {
        /// The files to import (.kg, .csv or .jsonl)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Refuse CSV relations that name unknown entities or types
        #[arg(long)]
        strict: bool,
        /// Add every relation, even one equal to a relation already stored (by
        /// default such a row is counted as already present, so that importing the same
        /// data twice adds nothing): for data imported in parts whose rows may repeat
        #[arg(long)]
        duplicate: bool,
    },
    /// Add an entity, a relation or a relation type
    #[command(
        subcommand,
        after_help = "Examples:\n  kg --db news.kgdb add type hailed --description \"Praise publicly\"\n  kg --db news.kgdb add entity Lavrov --kind person --alias \"Sergey Lavrov\"\n  kg --db news.kgdb add relation Lavrov hailed Trump --date 2025-03"
    )]
    Add(AddCommand),
    /// Remove an entity (with its relations) or a relation
    #[command(
        subcommand,
        after_help = "Examples:\n  kg --db news.kgdb remove entity Lavrov\n  kg --db news.kgdb remove relation 28"
    )]
    Remove(RemoveCommand),
    /// Give an entity a new canonical name; the old one stays an alias
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb rename \"Estonian foreign minister\" \"Margus Tsahkna\"\n  kg --db news.kgdb rename Politico \"Politico Europe\" --drop-old"
    )]
    Rename {
        /// The entity: its name, an alias or #ID
        old: String,
        /// Its new canonical name
        new: String,
        /// Do not keep the old name as an alias
        #[arg(long)]
        drop_old: bool,
    },
    /// Add or remove an entity's alias
    #[command(
        subcommand,
        after_help = "Examples:\n  kg --db news.kgdb alias add Naryshkin \"S. Naryshkin\"\n  kg --db news.kgdb alias remove Russia Moscow"
    )]
    Alias(AliasCommand),
    /// Change an entity (kind, properties) or a relation (#ID: type, date, status, ...)
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb set SVR --kind organization --prop founded=1991\n  kg --db news.kgdb set Naryshkin --unset title\n  kg --db news.kgdb set '#28' --status reported --grade B2\n  kg --db news.kgdb set '#13' --date 2025-02-12 --unset quote"
    )]
    Set(SetArgs),
    /// Merge entities that are one actor into the first: relations, claims, names
    ///
    /// Every relation of the others moves to KEEP (relations that become identical
    /// collapse into one), relations they claimed are claimed by KEEP, and their names
    /// and aliases become KEEP's aliases. Where the entities disagree on a property or
    /// the kind, KEEP's value stays (the others' with --prefer-others) and the merge
    /// says so. `kg undo` takes it back.
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb merge Putin \"Vladimir Putin\" --dry-run\n  kg --db news.kgdb merge Naryshkin Narishkin '#41'\n  kg --db news.kgdb duplicates   # candidates to merge"
    )]
    Merge {
        /// The entity kept: its name, an alias or #ID
        keep: String,
        /// The entities merged into it
        #[arg(required = true)]
        others: Vec<String>,
        /// Show what the merge would do, and change nothing
        #[arg(long)]
        dry_run: bool,
        /// On a conflict, keep the others' value rather than KEEP's
        #[arg(long)]
        prefer_others: bool,
    },
    /// The writes made to the database, newest first, each with its command and time
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb history\n  kg --db news.kgdb history --limit 5 --format json"
    )]
    History {
        /// Show only the newest N writes
        #[arg(long, value_name = "N", value_parser = at_least_one)]
        limit: Option<usize>,
    },
    /// Take back the last N writes (merges and removals included), as a new write
    ///
    /// Writes already undone are skipped, and an undo is itself a write that history
    /// lists: `kg undo --write K` on it takes the undo back (redo).
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb undo\n  kg --db news.kgdb undo 3\n  kg --db news.kgdb undo --write 12"
    )]
    Undo {
        /// How many writes to take back
        #[arg(default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        count: u32,
        /// Take back write K of `kg history` (which must still apply)
        #[arg(long, value_name = "K", conflicts_with = "count")]
        write: Option<u64>,
    },
    /// The entities, by name, with their kind, aliases and number of relations
    #[command(after_help = "Examples:\n  kg list\n  kg list --kind person --format csv")]
    List {
        /// Only entities of this kind
        #[arg(long, value_hint = clap::ValueHint::Other)]
        kind: Option<Kind>,
        /// Show at most N
        #[arg(long, value_name = "N", value_parser = at_least_one)]
        limit: Option<usize>,
    },
    /// Entities whose name or alias matches TEXT, in any script, best first
    ///
    /// Exact names first, then names that begin with TEXT (or have a word that does),
    /// names that hold it, names equal or holding it once accents, scripts and
    /// transliteration are set aside (Нарышкин finds Naryshkin), and names within a
    /// few spelling slips.
    #[command(
        after_help = "Examples:\n  kg search naryshkin\n  kg search нарышкин\n  kg search rat --limit 3"
    )]
    Search {
        /// A name, part of one, or a misspelling
        text: String,
        /// Show at most N (default 20)
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = at_least_one)]
        limit: usize,
    },
    /// Pairs of entities that may be one actor, best first, ready for `kg merge`
    ///
    /// Candidates are names within two spelling edits of each other or sharing a word,
    /// across case, spacing, accents, scripts and transliterations (Naryshkin,
    /// Narishkin, Нарышкин). Each pair's score (0 to 1) is its name score (1 the same
    /// name, 0.9 the same once folded, 0.8 one name part of the other, 0.75 or 0.65
    /// for the words they do not share spelt alike, 0.4 apart by a number) times 0.55 +
    /// 0.45 × its context: 0.35 for the same kind, 0.5 for two or more shared
    /// neighbours (half for one), 0.15 for dated relations in overlapping years; less
    /// 0.25 when the two are related to each other. The reasons are printed with it.
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb duplicates\n  kg --db news.kgdb duplicates --min-score 0.8 --format json\n  kg --db news.kgdb merge Naryshkin Narishkin   # then merge a pair"
    )]
    Duplicates {
        /// Only pairs scoring at least this
        #[arg(long, value_name = "SCORE", default_value_t = 0.6, value_parser = score)]
        min_score: f64,
        /// Show at most N pairs (default 50)
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = at_least_one)]
        limit: usize,
    },
    /// An entity's card (kind, aliases, properties, relations by type in date order), or a
    /// relation's ('#ID')
    #[command(
        after_help = "Examples:\n  kg show Naryshkin\n  kg show путин --format json\n  kg show '#28'              # a relation's card: evidence and history"
    )]
    Show {
        /// A name or alias, in any case; or '#ID', a relation
        name: String,
    },
    /// Relations in date order (earliest first, undated last), of one entity or all
    #[command(
        after_help = "Examples:\n  kg timeline --from 2025-02-01 --to 2025-02-28\n  kg timeline Naryshkin --type phoned --status claimed"
    )]
    Timeline {
        /// Only the relations of this entity
        name: Option<String>,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Paths between two entities: the shortest, all shortest, the k shortest, or the
    /// chronological one
    ///
    /// Relations are followed in either direction unless --directed. The selection
    /// flags restrict the relations and the entities passed through (the two named
    /// ends are always allowed). Exit 1 when there is no path.
    #[command(
        after_help = "Examples:\n  kg path Naryshkin Putin\n  kg path Naryshkin Putin --all\n  kg path Naryshkin Trump -k 3\n  kg path Trump Ratcliffe --chronological --format json\n  kg path Naryshkin Putin --type heads --type part_of --type president_of"
    )]
    Path {
        /// Where the path starts
        #[arg(value_name = "FROM", required_unless_present = "pairs")]
        start: Option<String>,
        /// Where the path ends
        #[arg(value_name = "TO", required_unless_present = "pairs")]
        end: Option<String>,
        /// Answer every pair of a CSV file with the header from,to, one row per pair
        #[arg(long, value_name = "FILE", conflicts_with_all = ["start", "end"])]
        pairs: Option<PathBuf>,
        /// Also print on stderr how the answer was searched: the selection, the
        /// algorithm, and the entities and relations it looked at
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        options: PathArgs,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// The ego network: every entity within N hops, with its distance and the
    /// relations that reach it
    #[command(
        after_help = "Examples:\n  kg neighbors Naryshkin\n  kg neighbors Putin --depth 2 --kind person"
    )]
    Neighbors {
        /// The centre: a name or alias
        name: String,
        /// How many hops out
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        depth: u32,
        /// Follow directed relations forward only (symmetric ones both ways)
        #[arg(long)]
        directed: bool,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Who matters: the actors ranked by a centrality measure over the selection
    ///
    /// The graph is the selected relations between the selected entities (denied ones
    /// left out unless --include-denied), parallel relations between two actors one
    /// edge (weighing as many for pagerank and eigenvector), undirected unless
    /// --directed. Scores are normalised as
    /// networkx's default functions normalise them: degree over n - 1; closeness with
    /// Wasserman and Faust's scaling for graphs that are not connected; harmonic
    /// unnormalised; betweenness over (n - 1)(n - 2) ordered pairs; pagerank summing to
    /// 1; eigenvector of unit length.
    #[command(
        after_help = "Examples:\n  kg rank --measure betweenness\n  kg rank --measure pagerank --type phoned --type met --from 2025-01 --top 5\n  kg rank --measure betweenness --samples 500 --seed 7 --format csv --all\n  kg rank --measure degree --every month --top 3 --chart brokers.svg --format csv"
    )]
    Rank(RankArgs),
    /// Communities of actors: Louvain modularity (seeded), or connected components
    ///
    /// Over the same graph as kg rank (the selection's relations, parallel ones one
    /// edge weighing as many for Louvain and the modularity). Prints each community's size and members and the
    /// partition's modularity (as networkx computes it); --save PROPERTY writes each
    /// actor's community number as a property.
    #[command(
        after_help = "Examples:\n  kg communities\n  kg communities --type phoned --type met --seed 7\n  kg communities --method strong --directed\n  kg --db news.kgdb communities --save community"
    )]
    Communities(CommunitiesArgs),
    /// Export the graph (or the part around an entity, or along a path) as Graphviz DOT,
    /// JSONL, CSV, GraphML, a .kg source or an SVG timeline picture
    ///
    /// Selection flags choose what goes in (entities they leave without relations are
    /// dropped unless --keep-isolated). DOT draws a link chart: nodes shaped and coloured
    /// by kind, titles inside, relations labelled with type and date, symmetric ones
    /// without arrowheads, claims dashed, a legend; --render runs Graphviz's dot. The
    /// timeline draws a row per actor and a mark per dated relation; --render png runs
    /// rsvg-convert. JSONL, CSV (relations; --entities or --types for the other layouts)
    /// and .kg import back unchanged.
    #[command(
        after_help = "Examples:\n  kg export dot --render svg -o graphs/seed.svg\n  kg export dot --around Naryshkin --depth 2 | dot -Tpng -o naryshkin.png\n  kg export dot --highlight-path Naryshkin Putin -o chart.dot\n  kg export timeline --from 2025-01-01 -o timeline.svg\n  kg export jsonl -o graph.jsonl\n  kg export csv --entities -o entities.csv\n  kg export graphml --type phoned --type met -o calls.graphml"
    )]
    Export(ExportArgs),
    /// Run a query in kg's openCypher subset
    ///
    /// MATCH and OPTIONAL MATCH patterns (labels are entity kinds, relationship types,
    /// property maps, directions, variable length *1..3, shortestPath,
    /// allShortestPaths), WHERE, WITH, UNWIND, UNION, RETURN with DISTINCT, aggregates
    /// (count, min, max, collect, sum, avg), ORDER BY, SKIP and LIMIT, CASE, maps,
    /// EXISTS { } and COUNT { } subqueries, pattern comprehensions; CREATE, MERGE, SET,
    /// REMOVE and [DETACH] DELETE change the database as one write that kg undo takes
    /// back. r.date = '2025-02' is that written date; <, > order by overlap. Unbounded *
    /// walks at most 10 relationships; path searches skip denied relations. The CSV
    /// header is the return items as written. Exit 1: a query that returns rows found none
    /// and changed nothing.
    #[command(
        after_help = "Examples:\n  kg query \"MATCH (a)-[r:phoned]->(b) RETURN a.name, b.name, r.date ORDER BY r.date\"\n  kg query \"MATCH (c {name: \\$chief})-[r]-(x) RETURN type(r), x.name\" --param chief=Naryshkin\n  kg query -f queries/us_russia_chronology.cypher --format json"
    )]
    Query {
        /// The query text (or use -f FILE)
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        text: Option<String>,
        /// Read the query from this file (- for standard input)
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: Option<PathBuf>,
        /// A parameter for $NAME: an integer, float, true, false or null as written, a
        /// JSON list or object, else a string
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Also print on stderr how the query ran: each pattern's starting point and
        /// walk, the rows each MATCH left, and the entities and relations looked at
        #[arg(long)]
        explain: bool,
        /// Stop the query with an error after this long: seconds (2.5) or 500ms, 30s, 2m
        #[arg(long, value_name = "DURATION", value_parser = duration)]
        timeout: Option<std::time::Duration>,
        /// Let variable-length patterns and shortestPath walk denied relations too
        #[arg(long)]
        include_denied: bool,
        /// Refuse a query that would change the database (CREATE, MERGE, SET, REMOVE,
        /// DELETE), as scripts that only read may want
        #[arg(long)]
        read_only: bool,
    },
    /// Propose relations read from articles, with quotes and resolved dates, for review
    ///
    /// Reads plain-text articles (a `# published:` and `# source:` header is read if
    /// present) and prints candidate relations as a .kg file to edit and then import:
    /// ingest itself writes to no database. Names are looked up in --db (none if the
    /// file does not exist yet) or, without --db, in the bundled graph, whose entities
    /// and types the file then declares. With --timeml, reads TimeML documents instead
    /// and measures the date resolver against their annotations.
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb ingest article.txt --date 2025-06-29 > candidates.kg\n  kg ingest --timeml TimeBank/ --format json"
    )]
    Ingest(IngestArgs),
    /// Counts of entities, relations and types
    #[command(after_help = "Examples:\n  kg stats\n  kg --db news.kgdb stats --format json")]
    Stats,
    /// A full integrity check of the database file and its journal (or of the bundled graph)
    #[command(
        after_help = "Example:\n  kg --db news.kgdb check      exit 0 when sound, 2 naming the damage"
    )]
    Check,
    /// Fold the journal of small writes into a new snapshot of the database
    ///
    /// Writes append to FILE.journal and compact on their own once it passes a quarter
    /// of the snapshot and 16 MiB (KG_JOURNAL_LIMIT sets the limit in bytes). A database
    /// of an older format (read as before, decoded whole) is rewritten in the current
    /// one, which is read in place.
    #[command(after_help = "Example:\n  kg --db news.kgdb compact")]
    Compact,
    /// Save what is intact of a damaged database into a new one
    ///
    /// Writes NEW from the snapshot of --db FILE and every journal record before the
    /// first damaged one, and says exactly what it could not keep. FILE and its journal
    /// are only read; NEW must not exist yet.
    #[command(
        after_help = "Example:\n  kg --db news.kgdb check                        # names the damage\n  kg --db news.kgdb recover -o news-saved.kgdb\n  kg --db news-saved.kgdb check"
    )]
    Recover {
        /// The new database to write
        #[arg(short = 'o', long = "output", value_name = "NEW")]
        output: std::path::PathBuf,
    },
    /// An interactive session on one open database: commands, queries, completion
    ///
    /// Every command of the command line (without `kg`), openCypher queries ended by
    /// `;` or an empty line, and dot commands (.help, .format, .timing, .reload,
    /// .quit). History is kept in ~/.kg_history (KG_HISTORY sets the file). Writes go
    /// through the same lock and journal as the command line. From a pipe or a file,
    /// it runs the script and stops at the first error with its line number (exit 2).
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb shell\n  kg shell < session.kgs\n  printf 'show Putin\\nMATCH (n:person) RETURN n.name;\\n' | kg shell"
    )]
    Shell,
    /// The link chart in a browser: a local web server with the page and a JSON API
    ///
    /// Serves one page (embedded in kg: search, expand, paths, a time window, evidence
    /// cards, Cypher) and the JSON API behind it (docs/serve.md), on the database of
    /// --db or the bundled graph. Listens on 127.0.0.1 only unless --bind says
    /// otherwise; read-only unless --write.
    #[command(after_help = "Examples:
  kg serve --open
  kg --db news.kgdb serve --port 8080 --write
  kg --db news.kgdb serve --bind 0.0.0.0      (prints the access token to give)")]
    Serve(ServeArgs),
    /// Print a shell completion script (commands, flags and formats)
    #[command(
        after_help = "Examples:\n  source <(kg completions bash)\n  kg completions zsh > ~/.zfunc/_kg\n  kg completions fish > ~/.config/fish/completions/kg.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print kg's manual page (roff), generated from these definitions
    #[command(
        after_help = "Examples:\n  kg man | man -l -\n  kg man > /usr/local/share/man/man1/kg.1"
    )]
    Man,
}

// What `kg export` writes, and where (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// dot, jsonl, csv, graphml, kg or timeline (an SVG picture)
    #[arg(value_enum, value_name = "FORMAT")]
    pub target: ExportFormat,
    /// Write to this file (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only this entity and its neighbourhood
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "path",
        allow_hyphen_values = true
    )]
    pub around: Option<String>,
    /// With --around: how many hops out
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..), requires = "around")]
    pub depth: u32,
    /// Only the path(s) between two entities (with the path options)
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"], allow_hyphen_values = true)]
    pub path: Option<Vec<String>>,
    /// DOT: the path(s) between two entities stand out (added to an --around or --path part)
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"], allow_hyphen_values = true)]
    pub highlight_path: Option<Vec<String>>,
    /// DOT and timeline: leave out the legend (kinds' shapes, statuses' line styles)
    #[arg(long)]
    pub no_legend: bool,
    /// Keep the entities a selection leaves without relations (dropped by default)
    #[arg(long)]
    pub keep_isolated: bool,
    /// DOT (with Graphviz) or timeline (with rsvg-convert): render into this format (needs -o)
    #[arg(long, value_enum, requires = "output")]
    pub render: Option<RenderFormat>,
    /// DOT: size the nodes by this measure of the selected graph (as kg rank measures
    /// it; with --directed, directed)
    #[arg(long, value_name = "MEASURE", value_parser = rank::measure_parser())]
    pub size_by: Option<Measure>,
    /// DOT: fill the nodes by their value of this property (as kg communities --save
    /// writes), instead of by kind
    #[arg(long, visible_alias = "color-by", value_name = "PROPERTY")]
    pub colour_by: Option<String>,
    /// CSV: the entities layout (name,kind,aliases,...) instead of relations
    #[arg(long, conflicts_with = "csv_types")]
    pub entities: bool,
    /// CSV: the relation types layout (name,direction,cameo,description)
    #[arg(long = "types", id = "csv_types")]
    pub types_layout: bool,
    #[command(flatten)]
    pub options: PathArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// Add one entity
    #[command(
        after_help = "Example:\n  kg --db news.kgdb add entity Lavrov --kind person --alias \"Sergey Lavrov\" --prop title=\"Foreign Minister of Russia\""
    )]
    Entity {
        /// Its canonical name (unique, compared case-insensitively)
        name: String,
        /// person, organization (org), country, place, media, event or other
        #[arg(long, value_hint = clap::ValueHint::Other)]
        kind: Kind,
        /// Another name it goes by, in any script (repeatable)
        #[arg(long = "alias", value_name = "ALIAS")]
        aliases: Vec<String>,
        /// A property KEY=VALUE (repeatable)
        #[arg(long = "prop", value_name = "KEY=VALUE")]
        properties: Vec<String>,
    },
    /// Add one relation between existing entities, of an existing type
    #[command(
        after_help = "Example:\n  kg --db news.kgdb add relation Naryshkin phoned Ratcliffe --date ..2025-06-29 --status claimed --claimed-by Naryshkin"
    )]
    Relation(RelationArgs),
    /// Add a relation type
    #[command(
        after_help = "Example:\n  kg --db news.kgdb add type met --symmetric --cameo 044 --description \"Meet at a third location\""
    )]
    Type {
        /// Its name
        name: String,
        /// Relations of this type have no direction (met, agreed)
        #[arg(long)]
        symmetric: bool,
        /// CAMEO event code
        #[arg(long)]
        cameo: Option<String>,
        /// What it means
        #[arg(long)]
        description: Option<String>,
    },
}

// The relation `kg add relation` adds (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct RelationArgs {
    /// The entity it starts from
    #[arg(value_name = "FROM")]
    pub start: String,
    /// Its type (see `kg add type`)
    #[arg(value_name = "TYPE")]
    pub rtype: String,
    /// The entity it leads to
    #[arg(value_name = "TO")]
    pub end: String,
    /// When: 2025-02-12, 2025-03, 2025, A..B, ..B or A.. (undated if absent)
    #[arg(long, value_name = "DATE", value_parser = date_given, allow_hyphen_values = true)]
    pub date: Option<TimeSpan>,
    /// Where it was reported (publication, title or URL)
    #[arg(long)]
    pub source: Option<String>,
    /// The sentence it rests on
    #[arg(long)]
    pub quote: Option<String>,
    /// The entity that claims it (the status is then `claimed` unless given)
    #[arg(long, value_name = "ENTITY")]
    pub claimed_by: Option<String>,
    /// confirmed, reported (default; claimed with --claimed-by), claimed, unconfirmed
    /// or denied
    #[arg(long)]
    pub status: Option<Status>,
    /// Admiralty grade: reliability A-F and credibility 1-6, e.g. B2
    #[arg(long)]
    pub grade: Option<Grade>,
    /// A property KEY=VALUE (repeatable)
    #[arg(long = "prop", value_name = "KEY=VALUE")]
    pub properties: Vec<String>,
    /// Add it even when an equal relation (ends, type, date, status, grade, source,
    /// quote, claimant, properties) is already stored
    #[arg(long)]
    pub duplicate: bool,
}

#[derive(Debug, Subcommand)]
pub enum AliasCommand {
    /// Give an entity another name it goes by
    Add {
        /// The entity: its name, an alias or #ID
        name: String,
        /// The new alias
        alias: String,
    },
    /// Take an alias from an entity
    Remove {
        /// The entity: its name, an alias or #ID
        name: String,
        /// The alias to take away
        alias: String,
    },
}

// What `kg set` changes (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct SetArgs {
    /// An entity (name, alias or #ID of `remove entity`) or, as #ID, a relation
    #[arg(value_name = "NAME|#ID")]
    pub target: String,
    /// Entity: its kind
    #[arg(long, value_hint = clap::ValueHint::Other)]
    pub kind: Option<Kind>,
    /// Relation: its type
    #[arg(long = "type", value_name = "TYPE")]
    pub rtype: Option<String>,
    /// Relation: its date
    #[arg(long, value_name = "DATE", value_parser = date_given, allow_hyphen_values = true)]
    pub date: Option<TimeSpan>,
    /// Relation: where it was reported
    #[arg(long)]
    pub source: Option<String>,
    /// Relation: the sentence it rests on
    #[arg(long)]
    pub quote: Option<String>,
    /// Relation: who claims it (the status becomes claimed unless given)
    #[arg(long, value_name = "ENTITY")]
    pub claimed_by: Option<String>,
    /// Relation: confirmed, reported, claimed, unconfirmed or denied
    #[arg(long)]
    pub status: Option<Status>,
    /// Relation: Admiralty grade, e.g. B2
    #[arg(long)]
    pub grade: Option<Grade>,
    /// A property KEY=VALUE to set (repeatable)
    #[arg(long = "prop", value_name = "KEY=VALUE")]
    pub properties: Vec<String>,
    /// A property to remove, or a relation's date, grade, source, quote or claimed_by
    /// (repeatable)
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum RemoveCommand {
    /// Remove an entity; one that has relations or claims only with --force
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb remove entity Politico\n  kg --db news.kgdb remove entity \"Estonian foreign minister\" --force\n  kg --db news.kgdb remove entity '#21'"
    )]
    Entity {
        /// Its canonical name or #ID (an alias is refused: it may not mean what you think)
        name: String,
        /// Remove it with every relation touching it; relations it claims lose their
        /// claimant
        #[arg(long)]
        force: bool,
    },
    /// Remove one relation by id (`#12` or `12`, as `show` and `timeline` print it)
    #[command(
        after_help = "Examples:\n  kg --db news.kgdb timeline Naryshkin     find the id (#28)\n  kg --db news.kgdb remove relation 28"
    )]
    Relation {
        /// The relation's id
        id: String,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT
    Dot,
    /// One JSON object per type, entity and relation
    Jsonl,
    /// CSV in the import layout
    Csv,
    /// GraphML for networkx, Gephi, yEd
    Graphml,
    /// The .kg graph source format
    Kg,
    /// An SVG timeline picture: a row per actor, a mark per dated relation
    Timeline,
}

/// What Graphviz renders DOT into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Svg,
    Png,
    Pdf,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// The database a command line names: --db, else KG_DB; an empty one means no
/// database (the bundled graph), as if it were not set.
pub fn database_of(cli: &Cli) -> Option<PathBuf> {
    let from_env = std::env::var_os("KG_DB").map(PathBuf::from);
    cli.db
        .clone()
        .or(from_env)
        .filter(|p| !p.as_os_str().is_empty())
}
