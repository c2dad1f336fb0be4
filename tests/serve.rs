//! `kg serve`: the JSON API started on a free port and checked against the command
//! line's `--format json` on the bundled graph, a generated graph and the hostile one;
//! its errors; its guards (Host, token, read-only, body size); writes from the API and
//! the CLI at once; a SIGKILL during writes; and the page in headless Chromium
//! (`tests/serve/browser.py`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

mod common;
use common::*;

/// A running `kg serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Server {
    /// Starts `kg [--db DB] serve --port 0 EXTRA...` in `env`'s folder.
    fn start(env: &Env, db: Option<&str>, extra: &[&str]) -> Server {
        let mut args: Vec<&str> = Vec::new();
        if let Some(db) = db {
            args.extend(["--db", db]);
        }
        args.extend(["serve", "--port", "0"]);
        args.extend_from_slice(extra);
        let mut child = env
            .command_bare(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kg serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("kg serve prints its address");
        let start = line.find("http://").expect("an address") + "http://".len();
        let host = line[start..].split('/').next().expect("host:port");
        let base = format!("http://{host}");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server { child, base, agent }
    }

    /// GET `path` (with its query): the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .call()
            .expect("an answer");
        let status = response.status().as_u16();
        (
            status,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// GET `path` and its JSON, insisting on 200.
    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    /// POST `body` to `path` as a script of the page does.
    fn post(&self, path: &str, body: &str) -> (u16, String) {
        let mut response = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("X-Requested-With", "kg")
            .header("Content-Type", "application/json")
            .send(body)
            .expect("an answer");
        let status = response.status().as_u16();
        (
            status,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A query string's value.
fn q(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The CLI's JSON for `args` on `db` (or the bundled graph).
fn cli_json(env: &Env, db: Option<&str>, args: &[&str]) -> Value {
    let mut all: Vec<&str> = Vec::new();
    if let Some(db) = db {
        all.extend(["--db", db]);
    }
    all.extend(["--format", "json"]);
    all.extend_from_slice(args);
    let out = env.bare(&all);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "kg {all:?}: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// Each endpoint against the command it stands for, on `db`, for the entity `a`,
/// the relation `#id` and the path from `a` to `b`.
fn endpoints_agree_with_the_cli(env: &Env, db: Option<&str>, a: &str, b: &str, id: u32) {
    let server = Server::start(env, db, &[]);
    let cases: Vec<(String, Vec<String>)> = vec![
        ("/api/stats".into(), vec!["stats".into()]),
        (
            format!("/api/search?q={}&limit=5", q(&a[..a.len().min(4)])),
            vec![
                "search".into(),
                a[..a.len().min(4)].into(),
                "--limit".into(),
                "5".into(),
            ],
        ),
        (
            format!("/api/entity?name={}", q(a)),
            vec!["show".into(), "--".into(), a.into()],
        ),
        (
            format!("/api/relation?id={id}"),
            vec!["show".into(), format!("#{id}")],
        ),
        (
            format!("/api/neighbors?name={}&depth=2", q(a)),
            vec![
                "neighbors".into(),
                "--depth".into(),
                "2".into(),
                "--".into(),
                a.into(),
            ],
        ),
        (
            format!("/api/path?source={}&target={}", q(a), q(b)),
            vec!["path".into(), "--".into(), a.into(), b.into()],
        ),
        (
            format!("/api/path?source={}&target={}&k=3", q(a), q(b)),
            vec![
                "path".into(),
                "-k".into(),
                "3".into(),
                "--".into(),
                a.into(),
                b.into(),
            ],
        ),
        (
            format!("/api/timeline?name={}&from=2025", q(a)),
            vec![
                "timeline".into(),
                "--from".into(),
                "2025".into(),
                "--".into(),
                a.into(),
            ],
        ),
        (
            format!(
                "/api/query?q={}",
                q(
                    "MATCH (n)-[r]->(m) RETURN n.name AS n, type(r) AS t, m.name AS m ORDER BY n, t, m"
                )
            ),
            vec![
                "query".into(),
                "MATCH (n)-[r]->(m) RETURN n.name AS n, type(r) AS t, m.name AS m ORDER BY n, t, m"
                    .into(),
            ],
        ),
    ];
    for (path, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expected = cli_json(env, db, &args);
        let mut answer = server.json(&path);
        // What the CLI says on stderr when it finds nothing, the API says in the JSON.
        if let Some(map) = answer.as_object_mut()
            && map.get("found") == Some(&json!(false))
        {
            map.remove("found");
            map.remove("message");
        }
        if expected.is_null() {
            assert!(
                answer.as_object().is_some_and(|m| m.is_empty()),
                "{path}: {answer}"
            );
        } else {
            assert_eq!(answer, expected, "{path} against kg {args:?}");
        }
    }
}

#[test]
fn every_endpoint_answers_as_the_command_line_does() {
    let env = Env::new();
    endpoints_agree_with_the_cli(&env, None, "Naryshkin", "Putin", 8);

    // A generated graph: a ring of 60 people with chords, calls and meetings dated
    // over two years.
    let mut text = String::from("type met symmetric\ntype phoned symmetric\ntype heads directed\n");
    for i in 0..60 {
        text.push_str(&format!("person \"Person {i}\"\n"));
    }
    for i in 0..60 {
        let month = 1 + i % 12;
        let year = 2024 + i % 2;
        text.push_str(&format!(
            "\"Person {i}\" -[met]- \"Person {}\" @ {year}-{month:02}\n",
            (i + 1) % 60
        ));
        if i % 7 == 0 {
            text.push_str(&format!(
                "\"Person {i}\" -[phoned]- \"Person {}\" @ {year}-{month:02}-15 status=claimed\n",
                (i + 17) % 60
            ));
        }
    }
    env.write("generated.kg", text);
    let db = env.path("generated.kgdb").display().to_string();
    assert_exit(&env.bare(&["--db", &db, "import", "generated.kg"]), 0);
    endpoints_agree_with_the_cli(&env, Some(&db), "Person 0", "Person 31", 5);

    // The hostile names come back exactly, through the query string and as JSON.
    let hostile = hostile_db(env.dir.path());
    let server = Server::start(&env, Some(&hostile), &[]);
    for name in HOSTILE_NAMES {
        let card = server.json(&format!("/api/entity?name={}", q(name)));
        assert_eq!(card["name"], json!(name));
        assert_eq!(
            card,
            cli_json(&env, Some(&hostile), &["show", "--", name]),
            "{name:?}"
        );
    }
}

#[test]
fn errors_have_their_statuses_and_say_why() {
    let env = Env::new();
    let server = Server::start(&env, None, &[]);
    // An unknown name: 404 with the CLI's suggestion.
    let (status, body) = server.get("/api/entity?name=Narishkin");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("did you mean Naryshkin?"), "{body}");
    let (status, _) = server.get("/api/path?source=Naryshkin&target=Nobody");
    assert_eq!(status, 404);
    let (status, _) = server.get("/api/relation?id=9999");
    assert_eq!(status, 404);
    // Bad parameters: 400.
    for path in [
        "/api/path?source=Naryshkin",
        "/api/path?source=Naryshkin&target=Putin&bogus=1",
        "/api/path?source=Naryshkin&target=Putin&from=someday",
        "/api/neighbors?name=Putin&depth=zero",
        "/api/relation?id=abc",
        "/api/query?q=MATCH%20(n)%20RETURN%20m",
        "/api/path?source=Naryshkin&target=Putin&chronological=maybe",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
    }
    // Queries through the server only read: a write is refused, 400, and says why.
    let (status, body) = server.get(&format!(
        "/api/query?q={}",
        q("MATCH (n {name: 'Putin'}) DETACH DELETE n")
    ));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("DETACH DELETE changes the graph"), "{body}");
    // No path is an answer, not an error.
    let answer = server.json("/api/path?source=Naryshkin&target=Putin&type=met");
    assert_eq!(answer["found"], json!(false));
    assert_eq!(answer["message"], json!("no path from Naryshkin to Putin"));
    // Too large: 413 for a body, 431 for an address, both refused before they are read.
    let big = format!("{{\"query\": \"{}\"}}", "x".repeat(2 << 20));
    let (status, _) = server.post("/api/query", &big);
    assert_eq!(status, 413);
    let mut response = server
        .agent
        .get(&format!(
            "{}/api/search?q={}",
            server.base,
            "a".repeat(20 << 10)
        ))
        .call()
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 431);
    assert!(response.headers().contains_key("content-security-policy"));
    let _ = response.body_mut().read_to_string();
    // Wrong method (saying which are right), unknown endpoint, a file outside the page.
    let mut response = server
        .agent
        .post(&format!("{}/api/stats", server.base))
        .send("{}")
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("GET, HEAD")
    );
    let _ = response.body_mut().read_to_string();
    assert_eq!(server.get("/api/nothing").0, 404);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/vendor/../../Cargo.toml",
        "/src/main.rs",
    ] {
        assert_eq!(server.get(path).0, 404, "{path}");
    }
    // The page and its files are served with the security policy.
    let mut response = server
        .agent
        .get(&format!("{}/", server.base))
        .call()
        .expect("the page");
    assert_eq!(response.status().as_u16(), 200);
    let policy = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        policy.contains("script-src 'self'") && !policy.contains("unsafe"),
        "{policy}"
    );
    assert!(
        response
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("cytoscape.min.js")
    );
    // A query's parameters keep their JSON types: the string "2025" stays a string.
    let (status, body) = server.post(
        "/api/query",
        r#"{"query": "RETURN $s AS s, $n AS n", "params": {"s": "2025", "n": 2025}}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!([{"s": "2025", "n": 2025}])
    );
    assert_eq!(
        server
            .post("/api/query", r#"{"query": "RETURN 1", "bogus": 1}"#)
            .0,
        400
    );
    // The DOT of a part: a list is a list, a name is a name.
    assert_eq!(server.post("/api/dot", r#"{"entities": "x"}"#).0, 400);
    let (status, body) = server.post("/api/dot", r#"{"entities": ["Narishkin"]}"#);
    assert_eq!(status, 404);
    assert!(body.contains("did you mean Naryshkin?"), "{body}");
    // Writes are refused on a read-only server, and --write needs a database file.
    let (status, body) = server.post("/api/write", r#"{"args": ["undo"]}"#);
    assert_eq!(status, 403, "{body}");
    assert_error(
        &env.bare(&["serve", "--write", "--port", "0"]),
        "--write needs a database",
    );
}

#[test]
fn a_server_answers_only_to_its_own_host_and_token() {
    let env = Env::new();
    let server = Server::start(&env, None, &[]);
    // A page on another site that rebinds its name to 127.0.0.1 is refused.
    let mut response = server
        .agent
        .get(&format!("{}/api/stats", server.base))
        .header("Host", "attacker.example:80")
        .call()
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 403);
    let _ = response.body_mut().read_to_string();
    drop(server);
    // With a token every API request must carry it.
    let server = Server::start(&env, None, &["--token", "s3cret"]);
    assert_eq!(server.get("/api/stats").0, 401);
    // Not in the address, where logs and history would keep it.
    assert_eq!(server.get("/api/stats?token=s3cret").0, 401);
    let mut response = server
        .agent
        .get(&format!("{}/api/stats", server.base))
        .header("Authorization", "Bearer s3cret")
        .call()
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    let _ = response.body_mut().read_to_string();
    // The page itself needs no token (it reads it from the address's #token=).
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn writes_from_the_api_and_the_cli_at_once_lose_nothing() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let db = env.db().display().to_string();
    let server = Server::start(&env, Some(&db), &["--write"]);
    // A write without the script header (a form on another site) is refused.
    let mut response = server
        .agent
        .post(&format!("{}/api/write", server.base))
        .send(r#"{"args": ["add", "entity", "Forged", "--kind", "person"]}"#)
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 403);
    let _ = response.body_mut().read_to_string();
    // Only the curation commands.
    assert_eq!(server.post("/api/write", r#"{"args": ["compact"]}"#).0, 400);
    assert_eq!(
        server
            .post(
                "/api/write",
                r#"{"args": ["add", "entity", "X", "--db", "other.kgdb"]}"#
            )
            .0,
        400
    );
    let api = std::thread::scope(|scope| {
        let api = scope.spawn(|| {
            (0..25)
                .map(|i| {
                    let body =
                        json!({"args": ["add", "entity", format!("Api {i}"), "--kind", "person"]});
                    server.post("/api/write", &body.to_string()).0
                })
                .collect::<Vec<u16>>()
        });
        for i in 0..25 {
            assert_exit(
                &env.kg(&["add", "entity", &format!("Cli {i}"), "--kind", "person"]),
                0,
            );
        }
        api.join().expect("the API writer")
    });
    assert!(api.iter().all(|&s| s == 200), "{api:?}");
    // Both writers' entities are in the file, and the server sees the CLI's.
    for i in 0..25 {
        assert_exit(&env.kg(&["show", &format!("Api {i}")]), 0);
        let card = server.json(&format!("/api/entity?name={}", q(&format!("Cli {i}"))));
        assert_eq!(card["kind"], json!("person"));
    }
    // A write from the API is undone like any other.
    let (status, body) = server.post(
        "/api/write",
        r#"{"args": ["add", "relation", "Api 1", "met", "Cli 1", "--date", "2025-07"]}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.post("/api/write", r#"{"args": ["undo"]}"#).0, 200);
    assert_eq!(
        server.json(&format!("/api/entity?name={}", q("Api 1")))["relations"],
        json!([])
    );
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn a_sigkill_during_writes_loses_nothing_acknowledged() {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let db = env.db().display().to_string();
    let mut server = Server::start(&env, Some(&db), &["--write"]);
    let acknowledged = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut done = Vec::new();
            for i in 0..400 {
                let body =
                    json!({"args": ["add", "entity", format!("Kept {i}"), "--kind", "person"]});
                let Ok(mut response) = server
                    .agent
                    .post(&format!("{}/api/write", server.base))
                    .header("X-Requested-With", "kg")
                    .send(body.to_string())
                else {
                    break;
                };
                let ok = response.status().as_u16() == 200;
                let _ = response.body_mut().read_to_string();
                if !ok {
                    break;
                }
                done.push(i);
            }
            done
        });
        std::thread::sleep(std::time::Duration::from_millis(400));
        let _ = Command::new("kill")
            .args(["-9", &server.child.id().to_string()])
            .status();
        writer.join().expect("the writer")
    });
    let _ = server.child.wait();
    assert!(
        !acknowledged.is_empty(),
        "no write was acknowledged before the kill"
    );
    assert_exit(&env.kg(&["check"]), 0);
    for i in acknowledged {
        assert_exit(&env.kg(&["show", &format!("Kept {i}")]), 0);
    }
}

#[test]
fn the_page_works_in_a_real_browser() -> TestResult {
    if !have("chromedriver", &["--version"]) || !have("python3", &["--version"]) {
        return Ok(());
    }
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let hostile = hostile_db(env.dir.path());
    // Names that would run a script if the page ever parsed them as markup.
    let image = "<img src=x onerror=\"window.__ran_data=true\">";
    let script = "<script>window.__ran_data=true</script>";
    for args in [
        vec!["add", "entity", image, "--kind", "person"],
        vec!["add", "entity", script, "--kind", "person"],
        vec!["add", "relation", image, "node", script],
    ] {
        let mut all = vec!["--db", hostile.as_str()];
        all.extend(args);
        assert_exit(&env.bare(&all), 0);
    }
    let db = env.db().display().to_string();
    let server = Server::start(&env, Some(&db), &[]);
    let hostile_server = Server::start(&env, Some(&hostile), &[]);
    let writable = env.path("writable.kgdb").display().to_string();
    assert_exit(&env.bare(&["--db", &writable, "import", &seed()]), 0);
    let writable_server = Server::start(&env, Some(&writable), &["--write"]);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve/browser.py");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-screenshots");
    std::fs::create_dir_all(&shots)?;
    let out = Command::new("python3")
        .arg(script)
        .arg(&server.base)
        .arg(&hostile_server.base)
        .arg(&writable_server.base)
        .arg(&shots)
        .output()?;
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{report}");
    for step in [
        "searched Naryshkin",
        "expanded Naryshkin",
        "path highlighted",
        "time window hides and shows",
        "card quote",
        "hostile names are text",
        "curated from the page",
    ] {
        assert!(report.contains(step), "{step} missing from:\n{report}");
    }
    Ok(())
}
