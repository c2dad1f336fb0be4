//! The page of `kg serve`, embedded in the binary: its own HTML, script and style
//! (`page/`), and cytoscape.js (MIT, vendored from the npm registry with its licence in
//! `page/vendor/`). Only these paths are served: nothing is read from the disk.

use super::Reply;

/// What the page may load and run: its own files only, no inline script or style,
/// no frames, no form posts; pictures from the canvas (exports) as data or blob URLs.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The most elements (entities and relations) the page draws: a larger neighbourhood
/// or result is refused with a request to narrow it by types, status or dates.
pub const DRAW_LIMIT: usize = 2000;

/// (path, content type, bytes).
const ASSETS: [(&str, &str, &[u8]); 8] = [
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("page/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/app.js"),
    ),
    (
        "/dates.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/dates.js"),
    ),
    (
        "/legend.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/legend.js"),
    ),
    (
        "/exports.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/exports.js"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_bytes!("page/style.css"),
    ),
    (
        "/vendor/cytoscape.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/vendor/cytoscape.min.js"),
    ),
    (
        "/vendor/cytoscape.LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("page/vendor/cytoscape.LICENSE.txt"),
    ),
];

/// The embedded file at `path`, or 404.
pub fn asset(path: &str) -> Reply {
    let path = if path == "/index.html" { "/" } else { path };
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, content_type, bytes)) => Reply {
            status: 200,
            content_type,
            body: bytes.to_vec(),
            allow: None,
        },
        None => Reply::error(404, &format!("no page file {path}")),
    }
}
