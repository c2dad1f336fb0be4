//! HTTP/1.1 for `kg serve`, on std's TCP listener with httparse (hyper's parser) to
//! read requests: every part of a request is bounded before it is read (the request
//! line and headers together to 16 KiB, the body to 1 MiB, 64 headers, 10 seconds to
//! send it), and every connection answers one request and closes. tiny_http was tried
//! first and dropped: it reads a request line of any length into memory (a 200 MB
//! address held 650 MB), with no setting to bound it.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The most the request line and headers may take together.
pub const HEAD_LIMIT: usize = 16 << 10;
/// The largest request body read: a query or a command, not a file.
pub const BODY_LIMIT: usize = 1 << 20;
/// The most of a refused body read and dropped before the refusal.
const DRAIN_LIMIT: usize = 16 << 20;
/// The most connections whose requests are being read at once; beyond, 503.
const READERS: usize = 64;
/// The most headers a request may have.
const HEADERS: usize = 64;
/// How long a client may take to send its request, or to take the answer.
const PATIENCE: Duration = Duration::from_secs(10);

/// A request as read.
pub struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// Serves `listener`: each connection's request is read by a thread of its own (at most
/// [`READERS`] at once, so idle connections hold up no one), then answered by one of
/// `workers` threads, each with its own `handler` (made by `make`), until the process
/// ends. `busy` is the answer when too many are being read.
pub fn serve<H>(listener: TcpListener, workers: usize, busy: Response, make: impl Fn() -> H)
where
    H: FnMut(Result<Request, (u16, String)>) -> Response + Send + 'static,
{
    type Job = (TcpStream, Result<Request, (u16, String)>);
    let (send, receive) = mpsc::channel::<Job>();
    let receive = Arc::new(Mutex::new(receive));
    for _ in 0..workers {
        let receive = receive.clone();
        let mut handler = make();
        std::thread::spawn(move || {
            loop {
                let next = receive
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .recv();
                let Ok((mut stream, request)) = next else {
                    break;
                };
                let head_only = request.as_ref().is_ok_and(|r| r.method == "HEAD");
                let response = handler(request);
                let _ = write(&mut stream, &response, head_only);
            }
        });
    }
    let reading = Arc::new(AtomicUsize::new(0));
    for mut stream in listener.incoming().flatten() {
        let _ = stream.set_read_timeout(Some(PATIENCE));
        let _ = stream.set_write_timeout(Some(PATIENCE));
        if reading.fetch_add(1, Ordering::SeqCst) >= READERS {
            reading.fetch_sub(1, Ordering::SeqCst);
            let _ = write(&mut stream, &busy, false);
            continue;
        }
        let send = send.clone();
        let reading = reading.clone();
        std::thread::spawn(move || {
            let request = read(&mut stream);
            reading.fetch_sub(1, Ordering::SeqCst);
            let _ = send.send((stream, request));
        });
    }
}

/// Reads one request, or the status and reason to refuse it with.
fn read(stream: &mut TcpStream) -> Result<Request, (u16, String)> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = find(&buffer, b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > HEAD_LIMIT {
            return Err((
                431,
                format!(
                    "the request line and headers are over {HEAD_LIMIT} bytes: send a long query as a POST body"
                ),
            ));
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err((400, "the request ended early".to_string())),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) => return Err((408, format!("reading the request: {e}"))),
        }
    };
    let mut slots = [httparse::EMPTY_HEADER; HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(&buffer[..head_end]) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err((400, "an incomplete request".to_string())),
        Err(httparse::Error::TooManyHeaders) => {
            return Err((431, format!("more than {HEADERS} headers")));
        }
        Err(e) => return Err((400, format!("not an HTTP request: {e}"))),
    }
    let method = parsed.method.unwrap_or_default().to_ascii_uppercase();
    let target = parsed.path.unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let request = |body| Request {
        method: method.clone(),
        target: target.clone(),
        headers: headers.clone(),
        body,
    };
    let probe = request(Vec::new());
    if probe.header("transfer-encoding").is_some() {
        return Err((411, "send the body with a Content-Length".to_string()));
    }
    let length: usize = match probe.header("content-length") {
        None => 0,
        Some(text) => text
            .trim()
            .parse()
            .map_err(|_| (400, format!("Content-Length {text:?} is not a number")))?,
    };
    if length > BODY_LIMIT {
        // What the client is still sending is read and dropped (up to a bound), so that
        // it gets to read the refusal instead of a broken connection.
        let mut left = (length - (buffer.len() - head_end)).min(DRAIN_LIMIT);
        while left > 0 {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
        return Err((413, format!("the request body is over {BODY_LIMIT} bytes")));
    }
    let mut body = buffer[head_end..].to_vec();
    body.truncate(length);
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) => return Err((400, "the body ended before its Content-Length".to_string())),
            Ok(n) => body.extend_from_slice(&chunk[..n.min(length - body.len())]),
            Err(e) => return Err((408, format!("reading the body: {e}"))),
        }
    }
    Ok(request(body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Writes a response and its length; the connection closes after it.
fn write(stream: &mut TcpStream, response: &Response, head_only: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        // A value is ours, but a newline in one would end the headers early.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}
