//! Command-line manners: colour only on a terminal and never with NO_COLOR, tables
//! that fit the terminal, --quiet, --version, help with examples for every command,
//! shell completions that load in bash and a man page that `man -l` renders.
//! A terminal is a pseudo-terminal from `script` (util-linux).

use std::process::Command;

use assert_cmd::cargo::cargo_bin;

mod common;
use common::*;

/// Runs `kg ARGS` on a pseudo-terminal of 24 rows and `cols` columns; what it printed.
fn on_terminal(args: &str, cols: usize, env: &[(&str, &str)]) -> String {
    let kg = cargo_bin("kg");
    let line = format!("stty rows 24 cols {cols}; {} {args}", kg.display());
    let mut cmd = Command::new("script");
    // anstream (as clap) colours a CI log on a terminal whatever TERM says: the
    // terminal here is not one, so CI and the CLICOLOR variables are left out.
    cmd.args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("script runs");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

const QUERY: &str = "query 'MATCH (n:person) RETURN n.name, n.title ORDER BY n.name'";

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    if !have("script", &["-qec", "true", "/dev/null"]) {
        return;
    }
    let coloured = on_terminal(QUERY, 200, &[]);
    assert!(coloured.contains("\x1b[1mn.name"), "{coloured:?}");
    let plain = on_terminal(QUERY, 200, &[("NO_COLOR", "1")]);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(plain.starts_with("n.name"), "{plain:?}");
    let dumb = on_terminal(QUERY, 200, &[("TERM", "dumb")]);
    assert!(!dumb.contains('\x1b'), "{dumb:?}");
    // Piped: never colour, and rows are never cut.
    let env = Env::new();
    let out = env.bare(&[
        "query",
        "MATCH (n:person) RETURN n.name, n.title ORDER BY n.name",
    ]);
    assert!(!stdout(&out).contains('\x1b'));
    assert!(stdout(&out).contains("Director of the Central Intelligence Agency (CIA)"));
    // CLICOLOR_FORCE asks for colour even in a pipe.
    let forced = env
        .command_bare(&["query", "MATCH (n:person) RETURN n.name"])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .expect("kg runs");
    assert!(
        stdout(&forced).contains("\x1b[1mn.name"),
        "{}",
        stdout(&forced)
    );
}

#[test]
fn tables_fit_the_terminal() {
    if !have("script", &["-qec", "true", "/dev/null"]) {
        return;
    }
    let text = on_terminal(&format!("--quiet {QUERY}"), 50, &[("NO_COLOR", "1")]);
    assert!(text.lines().count() >= 6, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 50, "{line:?} is wider than 50");
    }
    assert!(text.contains('…'), "{text}");
}

#[test]
fn quiet_keeps_results_and_errors_only() {
    let env = Env::new();
    let csv = env.write(
        "r.csv",
        "from,type,to\nLavrov,met,Rubio\nShoigu,met,Putin\n",
    );
    let out = env.kg(&["import", csv.to_str().unwrap_or_default()]);
    assert_exit(&out, 0);
    let out = env.kg(&["path", "Lavrov", "Putin"]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("no path"), "{}", stderr(&out));
    let out = env.kg(&["--quiet", "path", "Lavrov", "Putin"]);
    assert_exit(&out, 1);
    assert_eq!(stderr(&out), "");
    let out = env.kg(&["-q", "show", "Nobody"]);
    assert_exit(&out, 2);
    assert!(!stderr(&out).is_empty());
}

#[test]
fn version_and_examples_in_every_help() {
    let env = Env::new();
    let out = env.bare(&["--version"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), format!("kg {}\n", env!("CARGO_PKG_VERSION")));
    let commands = [
        "add",
        "remove",
        "import",
        "add entity",
        "add relation",
        "add type",
        "remove entity",
        "remove relation",
        "show",
        "timeline",
        "path",
        "neighbors",
        "export",
        "stats",
        "check",
        "compact",
        "query",
        "completions",
        "man",
        "shell",
    ];
    for command in commands {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let out = env.bare(&args);
        assert_exit(&out, 0);
        assert!(
            stdout(&out).contains("Example"),
            "kg {command} --help has no example"
        );
    }
}

#[test]
fn completions_load_in_bash_and_complete_commands() {
    if !have("bash", &["-c", "true"]) {
        return;
    }
    let kg = cargo_bin("kg");
    let script = format!(
        "source <({kg} completions bash) && complete -p kg && \
         COMP_WORDS=(kg que) COMP_CWORD=1 COMP_LINE='kg que' COMP_POINT=6 && _kg kg que kg && \
         echo \"${{COMPREPLY[@]}}\"",
        kg = kg.display()
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("complete -o bashdefault -o default -o nosort -F _kg kg"),
        "{text}"
    );
    assert!(
        text.lines().last().is_some_and(|l| l.trim() == "query"),
        "{text}"
    );
    for shell in ["zsh", "fish"] {
        let out = Env::new().bare(&["completions", shell]);
        assert_exit(&out, 0);
        assert!(stdout(&out).contains("query"));
    }
}

#[test]
fn the_man_page_renders() {
    let env = Env::new();
    let out = env.bare(&["man"]);
    assert_exit(&out, 0);
    let page = env.write("kg.1", &out.stdout);
    if !have("man", &["--version"]) {
        return;
    }
    let rendered = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man runs");
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    for needle in [
        "NAME",
        "SYNOPSIS",
        "KG QUERY",
        "KG PATH",
        "openCypher",
        "--param",
    ] {
        assert!(
            text.contains(needle),
            "{needle} missing from the man page:\n{text}"
        );
    }
}
