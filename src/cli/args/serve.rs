//! The flags of `kg serve`.

use std::net::IpAddr;

use clap::Args;

// How `kg serve` listens (a plain comment: the help text is the variant's).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0 picks a free one, printed at start)
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    /// The address to listen on: loopback by default; any other needs the access token
    /// printed at start (or --token), and is warned about
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The access token every API request must carry (default: a random one when
    /// --bind is not loopback, none on loopback)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Allow the curation commands (add, set, alias, rename, merge, remove, undo) from
    /// the page and the API; read-only without it
    #[arg(long)]
    pub write: bool,
    /// Open the page in the default browser once the server listens
    #[arg(long)]
    pub open: bool,
    /// Stop a Cypher query after this many seconds (path searches are not interrupted)
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub time_limit: u64,
}
