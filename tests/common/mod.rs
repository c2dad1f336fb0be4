//! What the integration tests share: a fresh folder per test, the `kg` binary run in
//! it, and assertions on what it printed.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A fresh folder with a database path in it, and the `kg` binary to run there.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("news.kgdb")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    /// `kg` without a database (the bundled graph).
    pub fn bare(&self, args: &[&str]) -> Output {
        self.command_bare(args).output().expect("kg runs")
    }

    /// `kg --db news.kgdb ...`.
    pub fn kg(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("kg runs")
    }

    /// `kg --db news.kgdb ...` with `input` on its standard input.
    pub fn kg_with_input(&self, args: &[&str], input: &[u8]) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kg starts");
        let mut stdin = child.stdin.take().expect("a pipe");
        // A command may stop reading early (an error): a closed pipe is no failure here.
        let _ = std::io::Write::write_all(&mut stdin, input);
        drop(stdin);
        child.wait_with_output().expect("kg ends")
    }

    /// The command `kg` without a database, to be started by the caller.
    pub fn command_bare(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("kg").expect("the kg binary");
        cmd.current_dir(self.dir.path())
            .env_remove("KG_DB")
            .env_remove("KG_JOURNAL_LIMIT")
            .env_remove("CLICOLOR_FORCE")
            .args(args);
        cmd
    }

    /// The command `kg --db news.kgdb ...`, to be started by the caller.
    pub fn command(&self, args: &[&str]) -> Command {
        let db = self.db();
        let mut all = vec!["--db", db.to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        self.command_bare(&all)
    }

    /// The names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("the test folder")
            .map(|e| {
                e.expect("a folder entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

pub fn seed() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("graphs/seed.kg")
        .display()
        .to_string()
}

/// A fresh folder whose database holds the seed graph.
pub fn imported() -> Env {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    env
}

/// The database's `.kg` export.
pub fn export(env: &Env) -> String {
    let out = env.kg(&["export", "kg"]);
    assert_exit(&out, 0);
    stdout(&out)
}

/// Runs `cmd` and kills it after a random part of `whole` microseconds (up to a
/// quarter more): whether it had finished with success by then.
pub fn killed_at_random(
    mut cmd: Command,
    whole: u64,
    below: &mut dyn FnMut(u64) -> u64,
) -> std::io::Result<bool> {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    std::thread::sleep(std::time::Duration::from_micros(below(whole + whole / 4)));
    child.kill()?;
    Ok(child.wait()?.success())
}

/// The bundled graph in a database, with a denied meeting of Naryshkin and Putin.
pub fn with_a_denied_meeting() -> Env {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let add = [
        "add",
        "relation",
        "Naryshkin",
        "met",
        "Putin",
        "--status",
        "denied",
    ];
    assert_exit(&env.kg(&add), 0);
    env
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

/// A clear error: exit 2, one line on stderr containing `needle`.
#[track_caller]
pub fn assert_error(out: &Output, needle: &str) {
    assert_exit(out, 2);
    let err = stderr(out);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err}"
    );
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

/// Whether a tool is on the PATH. Under CI (`CI` set) a missing tool fails the test,
/// since `.ci/run` installs it; elsewhere the test says it is skipped.
pub fn have(tool: &str, probe: &[&str]) -> bool {
    let found = Command::new(tool)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing under CI: .ci/run must install it"
        );
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

/// A graph whose names and types are hostile to every output format: quotes,
/// backslashes, newlines, DOT keywords and punctuation, markup, other scripts.
pub const HOSTILE: &str = r#"
type "node" directed
type "-> ; {}" symmetric
type "link \"q\"" directed
person "a \"quoted\" name"
person "back\\slash"
person "tail\\"
person "\\N and \\G"
person "new\nline"
person "carriage\r\nreturn"
person node
person graph
person edge
person "digraph"
person "->"
person ";"
person "{braces}"
person "<b>html</b>"
person "&amp; entity"
person "Сергей Нарышкин"
person "习近平"
person "🙂 emoji"
person "comma, separated"
"a \"quoted\" name" -[node]-> "back\\slash" @ 2025-02-12 status=claimed
"new\nline" -["-> ; {}"]- node @ ..2025-06-29
graph -["link \"q\""]-> "->" source="a \"source\""
";" -[node]-> "{braces}"
"<b>html</b>" -[node]-> "Сергей Нарышкин" @ 2025
"习近平" -["-> ; {}"]- "🙂 emoji" status=denied
"tail\\" -[node]-> "\\N and \\G"
"#;

/// The entity names of [`HOSTILE`].
pub const HOSTILE_NAMES: [&str; 19] = [
    "a \"quoted\" name",
    "back\\slash",
    "tail\\",
    "\\N and \\G",
    "new\nline",
    "carriage\r\nreturn",
    "node",
    "graph",
    "edge",
    "digraph",
    "->",
    ";",
    "{braces}",
    "<b>html</b>",
    "&amp; entity",
    "Сергей Нарышкин",
    "习近平",
    "🙂 emoji",
    "comma, separated",
];

/// Imports [`HOSTILE`] into `hostile.kgdb` in folder `dir`; its path.
pub fn hostile_db(dir: &Path) -> String {
    std::fs::write(dir.join("hostile.kg"), HOSTILE).expect("write");
    let db = dir.join("hostile.kgdb").display().to_string();
    let out = Command::cargo_bin("kg")
        .expect("the kg binary")
        .current_dir(dir)
        .env_remove("KG_DB")
        .args(["--db", &db, "import", "hostile.kg"])
        .output()
        .expect("kg runs");
    assert_exit(&out, 0);
    db
}
