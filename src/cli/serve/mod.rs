//! `kg serve`: the link chart in a browser. A small HTTP server (`http`) on
//! loopback serves the page embedded in the binary (`page`) and the JSON API behind it
//! (`api`), which runs the command line's own commands on one session, so the API
//! answers with the same JSON as `--format json` and writes through the same lock and
//! journal as the CLI.
//!
//! Safe by default: it binds to 127.0.0.1 and checks the Host header (a page elsewhere
//! cannot reach it through DNS rebinding); any other address needs an access token;
//! every response carries a Content-Security-Policy; request bodies are limited in size
//! and queries in time; writes need `--write`, and a request that writes must carry the
//! header `X-Requested-With: kg` (a form on another site cannot send it).

mod api;
mod http;
mod page;

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use kg::Error;

use super::args::ServeArgs;
use super::session::Session;
use super::terminal;

/// How many requests are handled at once, each worker with a session of its own (a
/// long query holds up only its own worker).
const WORKERS: usize = 4;

/// What every request handler shares.
struct Served {
    db: Option<PathBuf>,
    token: Option<String>,
    write: bool,
    time_limit: u64,
    /// The Host header values a loopback server answers to; empty when any is accepted.
    hosts: Vec<String>,
}

/// A worker's session and the state of the database file when it was last read, so a
/// write by another process (the CLI, another worker) is seen by the next request.
struct Watched {
    session: Session,
    stamp: Option<Stamp>,
}

/// The sizes and modification times of the database file and its journal.
type Stamp = Vec<Option<(u64, std::time::SystemTime)>>;

fn stamp(session: &Session) -> Option<Stamp> {
    let db = session.db()?;
    let mut journal = db.as_os_str().to_owned();
    journal.push(".journal");
    Some(
        [db.to_path_buf(), PathBuf::from(journal)]
            .iter()
            .map(|p| {
                let meta = std::fs::metadata(p).ok()?;
                Some((meta.len(), meta.modified().ok()?))
            })
            .collect(),
    )
}

impl Watched {
    /// The session, reloaded first if the file changed since it was read.
    fn fresh(&mut self) -> &mut Session {
        let now = stamp(&self.session);
        if now != self.stamp {
            self.session.reload();
            self.stamp = now;
        }
        &mut self.session
    }

    /// Notes the file as this session left it (after its own write).
    fn settle(&mut self) {
        self.stamp = stamp(&self.session);
    }
}

/// Runs the server until it is stopped (Ctrl-C).
pub fn main(db: Option<PathBuf>, args: &ServeArgs) -> ExitCode {
    match serve(db, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            terminal::error_line(&e.to_string());
            ExitCode::from(2)
        }
    }
}

fn serve(db: Option<PathBuf>, args: &ServeArgs) -> Result<(), Error> {
    if args.write && db.is_none() {
        return Err(Error::Usage(
            "--write needs a database: give --db FILE (the bundled graph is read-only)".to_string(),
        ));
    }
    let mut session = Session::new(db.clone());
    // A bad file is reported now, not at the first request.
    match session.read() {
        Ok(_) => {}
        Err(Error::Storage(kg::storage::StorageError::Missing { .. })) if args.write => {}
        Err(e) => return Err(e),
    }
    let loopback = args.bind.is_loopback();
    let token = match (&args.token, loopback) {
        (Some(t), _) if t.is_empty() => {
            return Err(Error::Usage("--token: give a non-empty token".to_string()));
        }
        (Some(t), _) => Some(t.clone()),
        (None, true) => None,
        (None, false) => Some(random_token()?),
    };
    let address = std::net::SocketAddr::new(args.bind, args.port);
    let listener = TcpListener::bind(address).map_err(|e| {
        Error::Usage(format!(
            "cannot listen on {address}: {e} (--port N chooses another port; 0 picks a free one)"
        ))
    })?;
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let host_of = |ip: IpAddr| match ip {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let shown_host = if args.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        host_of(args.bind)
    };
    let mut url = format!("http://{shown_host}:{port}/");
    if let Some(t) = &token {
        url.push_str(&format!("#token={t}"));
    }
    // On loopback, the names a browser on this machine sends as Host (without the port
    // when it is 80); a page elsewhere that rebinds its own name to 127.0.0.1 sends its
    // own.
    let hosts = if loopback {
        let mut names = vec![
            host_of(args.bind),
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        names.dedup();
        let mut hosts: Vec<String> = names.iter().map(|h| format!("{h}:{port}")).collect();
        if port == 80 {
            hosts.extend(names);
        }
        hosts
    } else {
        Vec::new()
    };
    let database = match session.db() {
        Some(path) => path.display().to_string(),
        None => "the bundled graph".to_string(),
    };
    let mode = if args.write {
        "read-write"
    } else {
        "read-only"
    };
    println!("kg serve: {url} ({database}, {mode}); Ctrl-C stops it");
    if !loopback {
        terminal::note(&format!(
            "warning: listening on {} — anyone who can reach this machine and has the token can read{} the database; others open http://THIS-MACHINE:{port}/#token=...",
            args.bind,
            if args.write { " and change" } else { "" }
        ));
    }
    let _ = std::io::stdout().flush();
    if args.open
        && let Err(e) = opener::open(&url)
    {
        terminal::note(&format!("could not open a browser: {e}"));
    }
    let served = Arc::new(Served {
        db,
        token,
        write: args.write,
        time_limit: args.time_limit.max(1),
        hosts,
    });
    let first = std::sync::Mutex::new(Some(session));
    let mut busy = respond(Reply::error(503, "too many connections at once: try again"));
    busy.headers.push(("Retry-After", "1".to_string()));
    http::serve(listener, WORKERS, busy, || {
        let served = served.clone();
        // The session opened to check the file serves the first worker.
        let session = first
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_else(|| Session::new(served.db.clone()));
        let mut watched = Watched {
            stamp: stamp(&session),
            session,
        };
        move |request| handle(&served, &mut watched, request)
    });
    Ok(())
}

/// A token of 128 random bits, from the operating system.
fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::Usage(format!("cannot make an access token: {e}: give --token")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A response: status, content type and body; for a 405, the methods allowed.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub allow: Option<&'static str>,
}

impl Reply {
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec_pretty(value).unwrap_or_default(),
            allow: None,
        }
    }

    /// An error as the API gives it: `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message }))
    }

    /// A 405: `path` is asked with `allow` only.
    pub fn wrong_method(path: &str, allow: &'static str) -> Reply {
        let mut reply = Reply::error(405, &format!("{path} is asked with {allow}"));
        reply.allow = Some(allow);
        reply
    }
}

/// The request as the handlers read it.
pub struct Asked {
    pub method: String,
    pub path: String,
    pub params: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether it carries `X-Requested-With: kg`, which a cross-site form cannot send.
    pub from_script: bool,
}

fn handle(
    served: &Served,
    watched: &mut Watched,
    request: Result<http::Request, (u16, String)>,
) -> http::Response {
    respond(match request {
        Ok(request) => reply(served, watched, &request),
        Err((status, why)) => Reply::error(status, &why),
    })
}

/// A reply with the headers every response carries.
fn respond(reply: Reply) -> http::Response {
    let mut headers: Vec<(&'static str, String)> = vec![
        ("Content-Type", reply.content_type.to_string()),
        (
            "Content-Security-Policy",
            page::CONTENT_SECURITY_POLICY.to_string(),
        ),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        ("X-Frame-Options", "DENY".to_string()),
        ("Cache-Control", "no-store".to_string()),
    ];
    if let Some(allow) = reply.allow {
        headers.push(("Allow", allow.to_string()));
    }
    http::Response {
        status: reply.status,
        headers,
        body: reply.body,
    }
}

fn reply(served: &Served, watched: &mut Watched, request: &http::Request) -> Reply {
    if !served.hosts.is_empty() {
        let host = request
            .header("host")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !served.hosts.contains(&host) {
            return Reply::error(
                403,
                "this server answers only as 127.0.0.1 or localhost with its port",
            );
        }
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let asked = Asked {
        method: request.method.clone(),
        path: path.to_string(),
        params,
        body: request.body.clone(),
        from_script: request.header("x-requested-with") == Some("kg"),
    };
    if let Some(rest) = asked.path.strip_prefix("/api/") {
        if let Some(token) = &served.token {
            let given = request
                .header("authorization")
                .and_then(|v| v.strip_prefix("Bearer "));
            if given != Some(token.as_str()) {
                return Reply::error(
                    401,
                    "this server needs its access token: open the address kg serve printed (…/#token=…), or send Authorization: Bearer TOKEN",
                );
            }
        }
        let rest = rest.to_string();
        return api::answer(served, watched, &rest, &asked);
    }
    match asked.method.as_str() {
        "GET" | "HEAD" => page::asset(&asked.path),
        _ => Reply::wrong_method(&asked.path, "GET, HEAD"),
    }
}
