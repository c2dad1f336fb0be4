//! The flags of `kg ingest`.

use std::path::PathBuf;

use clap::Args;

// What `kg ingest` reads and how (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Articles as plain UTF-8 text, or folders of .txt files; with --timeml, TimeML
    /// files or folders of .tml files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The publication date the article's dates are resolved against (YYYY-MM-DD);
    /// required unless the article has a `# published:` line
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Where the article comes from (publication, title, address), recorded as each
    /// candidate's source; a `# source:` line in the article gives it too
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Score the candidates against a gold .kg file instead of printing them
    /// (precision, recall and F1 of subject-type-object; dates of matched triples)
    #[arg(long, value_name = "GOLD", conflicts_with = "timeml")]
    pub evaluate: Option<PathBuf>,
    /// A lexicon to add to kg's own: `type` lines, `TYPE: trigger, ...` and `role
    /// TITLE: TYPE` (docs/ingest.md); a file DATABASE.lexicon beside the database is
    /// read too
    #[arg(long, value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
    /// Propose every pair of actors in a sentence with any trigger word (the baseline
    /// the rules are measured against)
    #[arg(long)]
    pub baseline: bool,
    /// Show each candidate with its evidence and read a decision from standard input
    /// (a: accept, r: reject, e: edit the line, A: accept the rest, q: reject the rest);
    /// the accepted candidates are imported into --db in one write, which `kg undo`
    /// takes back
    #[arg(long, conflicts_with_all = ["evaluate", "timeml"])]
    pub review: bool,
    /// Read TimeML documents and measure the date resolver against their annotations
    #[arg(long)]
    pub timeml: bool,
}
