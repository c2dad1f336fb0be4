//! Terminal manners: how chatty to be (`--quiet`, `--verbose`), colour only on a
//! terminal and never with `NO_COLOR` (or `TERM=dumb`), and the terminal's width for
//! tables. Set once at start; read wherever output is written.

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, Default)]
pub struct Manners {
    /// Only results and errors: no notes.
    pub quiet: bool,
    /// Timings on stderr.
    pub verbose: bool,
    /// Colour on standard output (a terminal, colour allowed).
    pub colour_out: bool,
    /// Colour on standard error.
    pub colour_err: bool,
    /// Columns of the terminal standard output is, if it is one.
    pub width: Option<usize>,
}

static MANNERS: OnceLock<Manners> = OnceLock::new();

/// Whether colour is allowed at all: `NO_COLOR` (set and not empty) and `TERM=dumb`
/// forbid it (<https://no-color.org>).
fn colour_allowed() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !no_color && !dumb
}

/// Reads the terminal and the environment, for a run with these flags.
pub fn init(quiet: bool, verbose: bool) {
    let allowed = colour_allowed();
    let stdout_tty = io::stdout().is_terminal();
    let manners = Manners {
        quiet,
        verbose,
        colour_out: allowed && stdout_tty,
        colour_err: allowed && io::stderr().is_terminal(),
        width: stdout_tty
            .then(|| {
                terminal_size::terminal_size()
                    .map(|(w, _)| w.0 as usize)
                    .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
            })
            .flatten(),
    };
    let _ = MANNERS.set(manners);
}

/// `--quiet` and `--verbose` of the command running now, when they differ from the
/// start's (a command typed in the shell): (set, quiet, verbose).
static CHATTER: std::sync::Mutex<Option<(bool, bool)>> = std::sync::Mutex::new(None);

/// Sets `--quiet` and `--verbose` for one command of the shell (`None`: back to the
/// start's).
pub fn set_chatter(chatter: Option<(bool, bool)>) {
    if let Ok(mut current) = CHATTER.lock() {
        *current = chatter;
    }
}

pub fn manners() -> Manners {
    let mut m = MANNERS.get().copied().unwrap_or_default();
    if let Ok(current) = CHATTER.lock()
        && let Some((quiet, verbose)) = *current
    {
        m.quiet = quiet;
        m.verbose = verbose;
    }
    m
}

/// A note on stderr (not with `--quiet`), dimmed on a terminal.
pub fn note(text: &str) {
    let m = manners();
    if m.quiet {
        return;
    }
    let text = kg::model::printable(text);
    let _ = if m.colour_err {
        writeln!(io::stderr(), "\x1b[2m{text}\x1b[0m")
    } else {
        writeln!(io::stderr(), "{text}")
    };
}

/// A timing on stderr, with `--verbose` only.
pub fn timing(what: &str, start: std::time::Instant) {
    if manners().verbose {
        note(&format!(
            "kg: {what} in {:.6} s",
            start.elapsed().as_secs_f64()
        ));
    }
}

/// Progress of the storage's slow steps: a spinner while each runs, its timing with
/// `--verbose`, and a note when opening dropped a torn journal record.
#[derive(Default)]
pub struct Progress {
    busy: std::cell::RefCell<Option<Busy>>,
}

impl kg::storage::Observer for Progress {
    fn begin(&self, step: kg::storage::Step, db: &std::path::Path) {
        use kg::storage::Step;
        let doing = match step {
            Step::Open => "opening",
            Step::Save => "saving",
            Step::Compact => "compacting",
        };
        *self.busy.borrow_mut() = Some(Busy::start(&format!("{doing} {}", db.display())));
    }

    fn end(&self, _step: kg::storage::Step, done: &str, took: std::time::Duration) {
        self.busy.borrow_mut().take();
        if manners().verbose {
            note(&format!("kg: {done} in {:.6} s", took.as_secs_f64()));
        }
    }

    fn dropped_torn_record(&self, journal: &std::path::Path, bytes: u64) {
        note(&format!(
            "note: {}: dropped an incomplete last record ({bytes} bytes) left by an interrupted write",
            journal.display()
        ));
    }
}

/// An error line on stderr, red on a terminal.
pub fn error_line(text: &str) {
    let text = kg::model::printable(text);
    let _ = if manners().colour_err {
        writeln!(io::stderr(), "\x1b[31m{text}\x1b[0m")
    } else {
        writeln!(io::stderr(), "{text}")
    };
}

/// Text in bold on standard output when colour is on.
pub fn bold(text: &str) -> String {
    if manners().colour_out {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// A spinner on stderr for work that may take a while: it appears only after a
/// second, only on a terminal and not with `--quiet`, and erases itself when dropped.
pub struct Busy {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Busy {
    pub fn start(label: &str) -> Busy {
        let m = manners();
        if m.quiet || !io::stderr().is_terminal() {
            return Busy {
                stop: None,
                thread: None,
            };
        }
        let label = kg::model::printable(label).into_owned();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError;
            if stopped.recv_timeout(std::time::Duration::from_secs(1))
                != Err(RecvTimeoutError::Timeout)
            {
                return;
            }
            let frames = ['|', '/', '-', '\\'];
            let mut i = 0;
            loop {
                let _ = write!(io::stderr(), "\r{label} {}", frames[i % frames.len()]);
                i += 1;
                match stopped.recv_timeout(std::time::Duration::from_millis(150)) {
                    Err(RecvTimeoutError::Timeout) => continue,
                    _ => break,
                }
            }
            let _ = write!(
                io::stderr(),
                "\r{}\r",
                " ".repeat(label.chars().count() + 2)
            );
        });
        Busy {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal and at most a few
/// times a second; it erases itself when done.
pub struct ProgressBar {
    label: String,
    on_terminal: bool,
    started: std::time::Instant,
    drawn: Option<std::time::Instant>,
}

impl ProgressBar {
    pub fn new(label: &str) -> ProgressBar {
        use std::io::IsTerminal;
        ProgressBar {
            label: kg::model::printable(label).into_owned(),
            on_terminal: io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            drawn: None,
        }
    }

    /// Shows `done` of `all`, once the work has taken over half a second.
    pub fn show(&mut self, done: u64, all: u64) {
        let now = std::time::Instant::now();
        if !self.on_terminal
            || manners().quiet
            || now.duration_since(self.started).as_millis() < 500
            || self
                .drawn
                .is_some_and(|t| now.duration_since(t).as_millis() < 200)
        {
            return;
        }
        self.drawn = Some(now);
        let share = if all == 0 {
            1.0
        } else {
            done as f64 / all as f64
        };
        let filled = (share * 30.0).round() as usize;
        let _ = write!(
            io::stderr(),
            "\r{} [{}{}] {:3.0}%",
            self.label,
            "#".repeat(filled.min(30)),
            " ".repeat(30 - filled.min(30)),
            share * 100.0
        );
    }

    /// Erases the bar.
    pub fn finish(self) {
        if self.drawn.is_some() {
            let _ = write!(
                io::stderr(),
                "\r{}\r",
                " ".repeat(self.label.chars().count() + 40)
            );
        }
    }
}
