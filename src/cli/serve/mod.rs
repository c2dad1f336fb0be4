//! `kg serve`: the link chart in a browser. A small HTTP server (tiny_http) on
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
mod page;

use std::io::{Read, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use kg::Error;

use super::args::ServeArgs;
use super::session::Session;
use super::terminal;

/// The largest request body read: a query or a command, not a file.
pub const BODY_LIMIT: usize = 1 << 20;
/// How many requests are handled at once (the API's commands take turns on the session).
const WORKERS: usize = 4;

/// What every request handler shares.
struct Served {
    session: Mutex<Watched>,
    token: Option<String>,
    write: bool,
    time_limit: u64,
    /// The Host header values a loopback server answers to; empty when any is accepted.
    hosts: Vec<String>,
}

/// The session and the state of the database file when it was last read, so a write
/// by another process (the CLI) is seen by the next request.
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
    let mut session = Session::new(db);
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
    let server = tiny_http::Server::http(address).map_err(|e| {
        Error::Usage(format!(
            "cannot listen on {address}: {e} (--port N chooses another port; 0 picks a free one)"
        ))
    })?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let shown_host = match args.bind {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".to_string(),
        a => a.to_string(),
    };
    let mut url = format!("http://{shown_host}:{port}/");
    if let Some(t) = &token {
        url.push_str(&format!("#token={t}"));
    }
    let hosts = if loopback {
        ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|h| format!("{h}:{port}"))
            .collect()
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
    let stamp = stamp(&session);
    println!("kg serve: {url} ({database}, {mode}); Ctrl-C stops it");
    if !loopback {
        terminal::note(&format!(
            "warning: listening on {} — anyone who can reach this machine and has the token can read{} the database",
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
        session: Mutex::new(Watched { session, stamp }),
        token,
        write: args.write,
        time_limit: args.time_limit.max(1),
        hosts,
    });
    let server = Arc::new(server);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = server.clone();
            let served = served.clone();
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(&served, request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
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

/// A response: status, content type and body.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec_pretty(value).unwrap_or_default(),
        }
    }

    /// An error as the API gives it: `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message }))
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

fn handle(served: &Served, mut request: tiny_http::Request) {
    let reply = reply(served, &mut request);
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
    };
    let headers = [
        header("Content-Type", reply.content_type),
        header("Content-Security-Policy", page::CONTENT_SECURITY_POLICY),
        header("X-Content-Type-Options", "nosniff"),
        header("Referrer-Policy", "no-referrer"),
        header("X-Frame-Options", "DENY"),
        header("Cache-Control", "no-store"),
    ];
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for h in headers.into_iter().flatten() {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn reply(served: &Served, request: &mut tiny_http::Request) -> Reply {
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if !served.hosts.is_empty() {
        let host = header("Host").unwrap_or_default().to_ascii_lowercase();
        if !served.hosts.contains(&host) {
            return Reply::error(403, "this server answers only as 127.0.0.1 or localhost");
        }
    }
    if request.body_length().is_some_and(|n| n > BODY_LIMIT) {
        return Reply::error(413, &format!("the request body is over {BODY_LIMIT} bytes"));
    }
    let mut body = Vec::new();
    if let Err(e) = request
        .as_reader()
        .take(BODY_LIMIT as u64 + 1)
        .read_to_end(&mut body)
    {
        return Reply::error(400, &format!("reading the request: {e}"));
    }
    if body.len() > BODY_LIMIT {
        return Reply::error(413, &format!("the request body is over {BODY_LIMIT} bytes"));
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let asked = Asked {
        method: request.method().as_str().to_ascii_uppercase(),
        path: path.to_string(),
        params,
        body,
        from_script: header("X-Requested-With").is_some_and(|v| v == "kg"),
    };
    if let Some(rest) = asked.path.strip_prefix("/api/") {
        if let Some(token) = &served.token {
            let given = header("Authorization")
                .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string))
                .or_else(|| {
                    asked
                        .params
                        .iter()
                        .find(|(k, _)| k == "token")
                        .map(|(_, v)| v.clone())
                });
            if given.as_deref() != Some(token.as_str()) {
                return Reply::error(
                    401,
                    "this server needs its access token (Authorization: Bearer TOKEN)",
                );
            }
        }
        let rest = rest.to_string();
        return api::answer(served, &rest, &asked);
    }
    match asked.method.as_str() {
        "GET" | "HEAD" => page::asset(&asked.path),
        _ => Reply::error(405, "the page's files are read with GET"),
    }
}
