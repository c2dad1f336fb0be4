//! `kg shell`: one open database, many commands. Every command of the command line
//! (without `kg`), openCypher queries (ended by `;` or an empty line), and dot
//! commands (`.help`, `.format`, `.timing`, `.reload`, `.quit`). On a terminal it
//! edits lines with rustyline, keeps a history across sessions and completes
//! commands, flags, entity names and aliases and relation types; Ctrl-C cancels a
//! running query, not the session. From a pipe or file it runs the script and stops
//! at the first error, naming its line.

use std::borrow::Cow;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use clap::{CommandFactory, Parser};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};

use kg::Error;

use super::args::manual::clap_error_line;
use super::args::{Cli, Format};
use super::commands::{self, Outcome};
use super::session::Session;
use super::terminal;

const HELP: &str = "\
Commands are kg's, without `kg` and `--db`:
  show Naryshkin
  path Naryshkin Putin --all
  timeline --from 2025-02-01 --to 2025-02-28
  add relation Naryshkin met Ratcliffe --date 2025-07     (writes go to the database)
  merge Putin \"V. Putin\"       search нарышкин       history       undo
Queries are openCypher, ended by ; or an empty line, over as many lines as needed:
  MATCH (a)-[r:phoned]->(b)
  RETURN a.name, b.name, r.date;
Dot commands:
  .help                 this text
  .format table|json|csv   how results are printed
  .timing on|off        report how long each command took
  .reload               open the database file again (after another process wrote)
  .quit                 leave (also Ctrl-D)
Tab completes commands, flags, names, aliases and relation types; Ctrl-C cancels a
running query.";

/// The first words that start an openCypher query.
const QUERY_WORDS: [&str; 8] = [
    "match", "return", "optional", "with", "unwind", "create", "merge", "call",
];

fn is_query(input: &str) -> bool {
    let first = input
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if first == "merge" {
        // Cypher's MERGE takes a pattern, `kg merge` names: `merge (a ...` is a query,
        // `merge Putin "V. Putin"` the command.
        return input.trim_start()[5..].trim_start().starts_with('(');
    }
    QUERY_WORDS.contains(&first.as_str())
}

/// Whether a query typed so far (`input`, without the newline that ends its last
/// line) is complete: its last line ends with `;` (a `//` comment may follow), or is
/// blank after the first.
fn query_complete(input: &str) -> bool {
    let last = input.rsplit('\n').next().unwrap_or_default();
    if input.contains('\n') && last.trim().is_empty() {
        return true;
    }
    // A `//` outside quotes starts a comment.
    let comment = last.match_indices("//").map(|(i, _)| i).find(|&i| {
        let before = &last[..i];
        before.matches('\'').count().is_multiple_of(2)
            && before.matches('"').count().is_multiple_of(2)
    });
    let code = comment.map_or(last, |i| &last[..i]);
    code.trim_end().ends_with(';')
}

/// Splits a command line into words: whitespace separates them, 'single quotes' keep
/// everything, "double quotes" keep everything but \" and \\, and a backslash outside
/// quotes keeps the next character. `#` is an ordinary character (relation ids are
/// written `#12`). `None` when a quote is left open.
pub fn words_of(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

enum Flow {
    Continue,
    Quit,
}

struct Shell {
    session: Session,
    format: Format,
    timing: bool,
}

impl Shell {
    /// Runs one input: a dot command, a query or a command line.
    fn run(&mut self, input: &str, out: &mut dyn Write) -> Result<Flow, Error> {
        let input = input.trim();
        if input.is_empty() || input.starts_with('#') || input.starts_with("//") {
            return Ok(Flow::Continue);
        }
        let start = std::time::Instant::now();
        let flow = if let Some(dot) = input.strip_prefix('.') {
            self.dot(dot, out)?
        } else {
            let args: Vec<String> = if is_query(input) {
                let text = input.trim_end_matches(';').to_string();
                vec!["query".to_string(), text]
            } else {
                words_of(input).ok_or_else(|| {
                    Error::Usage("unbalanced quotes in the command line".to_string())
                })?
            };
            self.command(args, out)?;
            Flow::Continue
        };
        out.flush()?;
        if self.timing {
            terminal::note(&format!("time: {:.3} s", start.elapsed().as_secs_f64()));
        }
        Ok(flow)
    }

    fn dot(&mut self, dot: &str, out: &mut dyn Write) -> Result<Flow, Error> {
        let words: Vec<&str> = dot.split_whitespace().collect();
        match words.as_slice() {
            ["quit" | "exit" | "q"] => return Ok(Flow::Quit),
            ["help" | "h"] => writeln!(out, "{HELP}")?,
            ["format"] => writeln!(out, "{}", self.format.name())?,
            ["format", f] => {
                self.format = match *f {
                    "table" => Format::Table,
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    _ => {
                        return Err(Error::Usage(format!(
                            ".format {f}: expected table, json or csv"
                        )));
                    }
                }
            }
            ["timing"] => writeln!(out, "{}", if self.timing { "on" } else { "off" })?,
            ["timing", "on"] => self.timing = true,
            ["timing", "off"] => self.timing = false,
            ["reload"] => self.session.reload(),
            _ => {
                return Err(Error::Usage(format!(
                    "unknown dot command .{dot}: try .help"
                )));
            }
        }
        Ok(Flow::Continue)
    }

    fn command(&mut self, args: Vec<String>, out: &mut dyn Write) -> Result<(), Error> {
        if args.first().is_some_and(|a| a == "shell") {
            return Err(Error::Usage("already in the shell".to_string()));
        }
        if args.iter().any(|a| a == "--db" || a.starts_with("--db=")) {
            return Err(Error::Usage(
                "the shell works on the database it was started with (kg --db FILE shell)"
                    .to_string(),
            ));
        }
        self.session
            .set_command(std::iter::once("kg").chain(args.iter().map(String::as_str)));
        let mut argv = vec!["kg".to_string()];
        if !args
            .iter()
            .any(|a| a == "--format" || a.starts_with("--format="))
        {
            argv.extend(["--format".to_string(), self.format.name().to_string()]);
        }
        argv.extend(args);
        let cli = match Cli::try_parse_from(&argv) {
            Ok(cli) => cli,
            Err(e) if !e.use_stderr() => {
                // --help and the like: print them as the result.
                write!(out, "{}", e.render())?;
                return Ok(());
            }
            Err(e) => return Err(Error::Usage(clap_error_line(&e))),
        };
        self.session.cancel().store(false, Ordering::Relaxed);
        // -q or -v typed with the command hold for it alone.
        if cli.quiet || cli.verbose {
            terminal::set_chatter(Some((cli.quiet, cli.verbose)));
        }
        let outcome = commands::execute(&mut self.session, &cli, out);
        if let Ok(Outcome::NothingFound(message)) = &outcome {
            terminal::note(message);
        }
        if cli.quiet || cli.verbose {
            terminal::set_chatter(None);
        }
        outcome.map(|_| ())
    }

    /// Names, aliases and relation types for completion, lowercased for matching.
    fn words(&mut self) -> Vec<(String, String)> {
        let Ok(store) = self.session.read() else {
            return Vec::new();
        };
        let mut words: Vec<(String, String)> = store
            .entities()
            .flat_map(|(_, e)| {
                let e = e.into_owned();
                std::iter::once(e.name).chain(e.aliases)
            })
            .chain(store.types().iter().map(|t| t.name.clone()))
            .map(|w| (w.to_lowercase(), w))
            .collect();
        words.sort();
        words.dedup();
        words
    }
}

/// Runs the shell on `db`: interactive on a terminal, else a script from stdin.
pub fn main(db: Option<PathBuf>, format: Format) -> ExitCode {
    let mut shell = Shell {
        session: Session::new(db),
        format,
        timing: false,
    };
    // Open the database now, so that a bad file is reported before the first prompt
    // (a missing one is fine: the first write creates it).
    match shell.session.read() {
        Ok(_) | Err(Error::Storage(kg::storage::StorageError::Missing { .. })) => {}
        Err(e) => {
            terminal::error_line(&e.to_string());
            return ExitCode::from(2);
        }
    }
    if io::stdin().is_terminal() {
        interactive(shell)
    } else {
        script(shell)
    }
}

/// Reads statements from stdin as they come and runs them; stops at the first
/// error (a line that is not UTF-8 included). A closed output ends it quietly.
fn script(mut shell: Shell) -> ExitCode {
    let mut out = io::BufWriter::new(terminal::stdout());
    let mut statement = String::new();
    let (mut first_line, mut number) = (0, 0);
    loop {
        let mut bytes = Vec::new();
        // Locked a line at a time: a command that reads answers (`ingest --review`)
        // takes the lines after its own.
        let at_end = match io::stdin().lock().read_until(b'\n', &mut bytes) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => {
                error(&format!("line {}: ", number + 1), &Error::Io(e));
                return ExitCode::from(2);
            }
        };
        if !at_end {
            number += 1;
            let Ok(line) = String::from_utf8(bytes) else {
                let _ = out.flush();
                terminal::error_line(&format!("line {number}: not UTF-8 text"));
                return ExitCode::from(2);
            };
            if statement.is_empty() {
                first_line = number;
            }
            statement.push_str(line.trim_end_matches(['\n', '\r']));
            statement.push('\n');
            let typed = &statement[..statement.len() - 1];
            if is_query(statement.trim_start()) && !query_complete(typed) {
                continue;
            }
        }
        let text = std::mem::take(&mut statement);
        let flow = shell.run(&text, &mut out).and_then(|flow| {
            out.flush()?;
            Ok(flow)
        });
        number += shell.session.take_answer_lines();
        match flow {
            Ok(Flow::Continue) if !at_end => {}
            Ok(_) => break,
            Err(Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(Error::Query(e)) if e.pos.is_some() => {
                // The query's own line and column, counted in the script.
                let _ = out.flush();
                error("", &Error::Query(e.located("stdin", first_line)));
                return ExitCode::from(2);
            }
            Err(e) => {
                let _ = out.flush();
                error(&format!("line {first_line}: "), &e);
                return ExitCode::from(2);
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            terminal::error_line(&e.to_string());
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn error(prefix: &str, e: &Error) {
    let text = e.to_string();
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        terminal::error_line(&format!("{prefix}{first}"));
    }
    for line in lines {
        terminal::error_line(line);
    }
}

/// Where the history is kept: `KG_HISTORY`, else `~/.kg_history`.
fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("KG_HISTORY") {
        return (!path.is_empty()).then(|| PathBuf::from(path));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".kg_history"))
}

fn interactive(mut shell: Shell) -> ExitCode {
    let mut editor: Editor<ShellHelper, FileHistory> = match Editor::new() {
        Ok(editor) => editor,
        Err(e) => {
            terminal::error_line(&format!("cannot start the line editor: {e}"));
            return ExitCode::from(2);
        }
    };
    editor.set_helper(Some(ShellHelper {
        words: shell.words(),
    }));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    // Ctrl-C while a command runs asks the query to stop; at the prompt the line
    // editor reads it as a key.
    // A second Ctrl-C before the first was taken (by a command that does not check
    // for it, such as a long path search or a wait for the lock) leaves the shell.
    let cancel = shell.session.cancel();
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, Ordering::Relaxed) {
            let _ = writeln!(io::stderr(), "\ninterrupted");
            std::process::exit(130);
        }
    });
    println!(
        "kg shell on {}: .help for help, .quit to leave",
        database_name(&shell)
    );
    loop {
        match editor.readline("kg> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(path) = &history {
                        let _ = editor.save_history(path);
                    }
                }
                let changes = !is_query(&line)
                    && [
                        "import", "add", "remove", "compact", "rename", "alias", "set", "merge",
                        "undo",
                    ]
                    .iter()
                    .any(|w| line.trim_start().starts_with(w));
                let mut out = terminal::stdout();
                match shell.run(&line, &mut out) {
                    Ok(Flow::Continue) => {}
                    Ok(Flow::Quit) => break,
                    Err(Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => {}
                    Err(e) => error("", &e),
                }
                shell.session.cancel().store(false, Ordering::Relaxed);
                if changes || line.trim() == ".reload" {
                    let words = shell.words();
                    if let Some(helper) = editor.helper_mut() {
                        helper.words = words;
                    }
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                terminal::error_line(&format!("reading the line: {e}"));
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

fn database_name(shell: &Shell) -> String {
    match shell.session.db() {
        Some(path) => path.display().to_string(),
        None => "the bundled graph".to_string(),
    }
}

/// Completion, and multi-line queries, for the line editor.
struct ShellHelper {
    /// (lowercased, as written), sorted: entity names, aliases, relation types.
    words: Vec<(String, String)>,
}

/// What can complete `partial` at the start of a line, in the middle of a command
/// line, or inside a query.
pub fn candidates(words: &[(String, String)], line: &str, partial: &str) -> Vec<String> {
    let before = &line[..line.len() - partial.len()];
    let first_word = before.trim().is_empty();
    if first_word {
        let mut names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .chain([".help", ".format", ".timing", ".reload", ".quit"].map(String::from))
            .chain(["MATCH".to_string()])
            .filter(|c| {
                c.starts_with(partial) || c.to_lowercase().starts_with(&partial.to_lowercase())
            })
            .collect();
        names.sort();
        return names;
    }
    if before.trim_start().starts_with(".format") {
        return ["table", "json", "csv"]
            .iter()
            .filter(|f| f.starts_with(partial))
            .map(|f| f.to_string())
            .collect();
    }
    if partial.starts_with('-') {
        let command = Cli::command();
        let sub = before
            .split_whitespace()
            .next()
            .and_then(|name| command.find_subcommand(name).cloned());
        let mut flags: Vec<String> = command
            .get_arguments()
            .chain(sub.iter().flat_map(|s| s.get_arguments()))
            .chain(
                sub.iter()
                    .flat_map(|s| s.get_subcommands())
                    .filter(|s| before.split_whitespace().any(|w| w == s.get_name()))
                    .flat_map(|s| s.get_arguments()),
            )
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .filter(|f| f.starts_with(partial) && f != "--db")
            .collect();
        flags.sort();
        flags.dedup();
        return flags;
    }
    let in_query = is_query(line.trim_start());
    let (quote, bare) = match partial.chars().next() {
        Some(q @ ('"' | '\'')) => (Some(q), &partial[1..]),
        _ => (None, partial),
    };
    let key = bare.to_lowercase();
    let from = words.partition_point(|(lower, _)| lower.as_str() < key.as_str());
    words[from..]
        .iter()
        .take_while(|(lower, _)| lower.starts_with(&key))
        .take(200)
        .map(|(_, word)| {
            let plain = word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            let escaped = |q: char| {
                let inner = word.replace('\\', "\\\\").replace(q, &format!("\\{q}"));
                format!("{q}{inner}{q}")
            };
            match quote {
                Some(q) => escaped(q),
                None if plain => word.clone(),
                None if in_query => escaped('\''),
                None => escaped('"'),
            }
        })
        .collect()
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        let in_query = is_query(head.trim_start());
        let breaks = |c: char| {
            c.is_whitespace() || (in_query && matches!(c, '(' | ')' | ':' | ',' | '[' | '{' | '|'))
        };
        // A quoted partial name may hold spaces: start at its opening quote.
        let quote_start = head
            .char_indices()
            .filter(|(_, c)| *c == '"' || *c == '\'')
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        let start = if quote_start.len() % 2 == 1 {
            quote_start[quote_start.len() - 1]
        } else {
            head.rfind(breaks).map_or(0, |i| {
                i + head[i..].chars().next().map_or(1, char::len_utf8)
            })
        };
        let partial = &head[start..];
        let found = candidates(&self.words, head, partial)
            .into_iter()
            .map(|c| Pair {
                display: c.clone(),
                replacement: c,
            })
            .collect();
        Ok((start, found))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if is_query(input.trim_start()) && !query_complete(input) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<(String, String)> {
        let mut w: Vec<(String, String)> = ["Naryshkin", "Nato", "Sergey Naryshkin", "phoned"]
            .iter()
            .map(|s| (s.to_lowercase(), s.to_string()))
            .collect();
        w.sort();
        w
    }

    #[test]
    fn completes_commands_flags_and_names() {
        assert_eq!(candidates(&words(), "que", "que"), ["query"]);
        assert_eq!(candidates(&words(), ".fo", ".fo"), [".format"]);
        assert_eq!(candidates(&words(), "path --al", "--al"), ["--all"]);
        assert_eq!(candidates(&words(), "show nar", "nar"), ["Naryshkin"]);
        assert_eq!(
            candidates(&words(), "show \"serg", "\"serg"),
            ["\"Sergey Naryshkin\""]
        );
        assert_eq!(
            candidates(&words(), "show ser", "ser"),
            ["\"Sergey Naryshkin\""]
        );
        assert_eq!(candidates(&words(), "MATCH (n)-[:pho", "pho"), ["phoned"]);
    }

    #[test]
    fn command_lines_split_like_a_shell_without_comments() {
        assert_eq!(
            words_of(r#"remove relation #12"#).unwrap(),
            ["remove", "relation", "#12"]
        );
        assert_eq!(
            words_of(r#"show "Dwayne \"The Rock\" Johnson" 'O'\''Neil'"#).unwrap(),
            ["show", "Dwayne \"The Rock\" Johnson", "O'Neil"]
        );
        assert!(words_of("show \"open").is_none());
    }

    #[test]
    fn quoted_completions_escape_quotes() {
        let w = vec![(
            "dwayne \"the rock\"".to_string(),
            "Dwayne \"The Rock\"".to_string(),
        )];
        assert_eq!(
            candidates(&w, "show dw", "dw"),
            [r#""Dwayne \"The Rock\"""#]
        );
        let w = vec![("conan o'neil".to_string(), "Conan O'Neil".to_string())];
        assert_eq!(
            candidates(&w, "MATCH (n {name: 'con", "'con"),
            [r"'Conan O\'Neil'"]
        );
    }

    #[test]
    fn queries_end_with_a_semicolon_or_an_empty_line() {
        assert!(is_query("match (n) return n"));
        assert!(!is_query("show Putin"));
        assert!(is_query("MERGE (n {name: 'X'})"));
        assert!(is_query("merge(n)"));
        assert!(!is_query("merge Putin \"V. Putin\""));
        assert!(!query_complete("MATCH (n)\nRETURN n"));
        assert!(query_complete("MATCH (n)\nRETURN n;"));
        assert!(query_complete("MATCH (n)\nRETURN n\n"));
        assert!(query_complete("MATCH (n)\nRETURN n\n  \t"));
        assert!(query_complete("MATCH (n) RETURN n; // the end"));
        assert!(!query_complete("MATCH (n) RETURN n // not yet;"));
        assert!(query_complete("MATCH (n) WHERE n.s = 'http://x' RETURN n;"));
    }
}
