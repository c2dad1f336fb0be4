//! Terminal manners: how chatty to be (`--quiet`, `--verbose`), colour as clap has it
//! (anstream: only on a terminal, never with `NO_COLOR`, `CLICOLOR` and
//! `CLICOLOR_FORCE` honoured), the terminal's width for tables, and the progress shown
//! on stderr while slow work runs (indicatif). Set once at start; read wherever output
//! is written.

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Clone, Copy, Default)]
pub struct Manners {
    /// Only results and errors: no notes.
    pub quiet: bool,
    /// Timings on stderr.
    pub verbose: bool,
    /// Columns of the terminal standard output is, if it is one.
    pub width: Option<usize>,
}

static MANNERS: OnceLock<Manners> = OnceLock::new();

/// Reads the terminal and the environment, for a run with these flags.
pub fn init(quiet: bool, verbose: bool) {
    let width = io::stdout()
        .is_terminal()
        .then(|| {
            terminal_size::terminal_size()
                .map(|(w, _)| w.0 as usize)
                .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        })
        .flatten();
    let _ = MANNERS.set(Manners {
        quiet,
        verbose,
        width,
    });
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

/// Standard output, its colour stripped where colour is not wanted.
pub fn stdout() -> anstream::AutoStream<io::StdoutLock<'static>> {
    anstream::AutoStream::auto(io::stdout().lock())
}

/// `text` in `style` (the stream it is written to drops the style where colour is not
/// wanted).
fn styled(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// A note on stderr (not with `--quiet`), dimmed on a terminal.
pub fn note(text: &str) {
    if manners().quiet {
        return;
    }
    let text = kg::model::printable(text);
    let _ = writeln!(
        anstream::stderr(),
        "{}",
        styled(Style::new().dimmed(), &text)
    );
}

/// A timing on stderr, with `--verbose` only.
pub fn timing(what: &str, start: Instant) {
    timing_of(what, start.elapsed());
}

fn timing_of(what: &str, took: Duration) {
    if manners().verbose {
        note(&format!("kg: {what} in {:.6} s", took.as_secs_f64()));
    }
}

/// An error line on stderr, red on a terminal.
pub fn error_line(text: &str) {
    let text = kg::model::printable(text);
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let _ = writeln!(anstream::stderr(), "{}", styled(red, &text));
}

/// Text in bold (on a terminal that takes colour).
pub fn bold(text: &str) -> String {
    styled(Style::new().bold(), text)
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

    fn end(&self, _step: kg::storage::Step, done: &str, took: Duration) {
        self.busy.borrow_mut().take();
        timing_of(done, took);
    }

    fn waiting_for_lock(&self, db: &std::path::Path) {
        note(&format!(
            "waiting for another kg writing to {} to finish...",
            db.display()
        ));
    }

    fn dropped_torn_record(&self, journal: &std::path::Path, bytes: u64) {
        note(&format!(
            "note: {}: dropped an incomplete last record ({bytes} bytes) left by an interrupted write",
            journal.display()
        ));
    }
}

/// Whether progress may be drawn: stderr is a terminal and `--quiet` is not given.
fn may_draw() -> bool {
    !manners().quiet && io::stderr().is_terminal()
}

/// A spinner on stderr for work that may take a while: it appears only after a
/// second, only on a terminal and not with `--quiet`, and erases itself when dropped.
pub struct Busy {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Busy {
    pub fn start(label: &str) -> Busy {
        if !may_draw() {
            return Busy {
                stop: None,
                thread: None,
            };
        }
        let label = kg::model::printable(label).into_owned();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError;
            if stopped.recv_timeout(Duration::from_secs(1)) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let spinner = indicatif::ProgressBar::new_spinner().with_message(label);
            if let Ok(style) = ProgressStyle::with_template("{msg} {spinner}") {
                spinner.set_style(style.tick_chars("|/-\\ "));
            }
            spinner.enable_steady_tick(Duration::from_millis(150));
            let _ = stopped.recv();
            spinner.finish_and_clear();
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

/// A progress bar on stderr for work of known size, with its rate and the time left:
/// drawn only on a terminal, not with `--quiet`, once the work has taken half a
/// second, and erased when done.
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
    started: Instant,
    drawn: bool,
}

impl ProgressBar {
    /// A bar counting bytes (of a file read).
    pub fn bytes(label: &str) -> ProgressBar {
        ProgressBar::new(
            label,
            "{msg} [{bar:30}] {percent:>3}% {binary_bytes_per_sec}, {eta} left",
        )
    }

    /// A bar counting items (pairs answered).
    pub fn items(label: &str) -> ProgressBar {
        ProgressBar::new(label, "{msg} [{bar:30}] {pos}/{len} {per_sec}, {eta} left")
    }

    fn new(label: &str, template: &str) -> ProgressBar {
        let bar = indicatif::ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
            .with_message(kg::model::printable(label).into_owned());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("#>-"));
        }
        ProgressBar {
            bar,
            started: Instant::now(),
            drawn: false,
        }
    }

    /// Shows `done` of `all`.
    pub fn show(&mut self, done: u64, all: u64) {
        self.bar.set_length(all);
        self.bar.set_position(done);
        if !self.drawn && self.started.elapsed() >= Duration::from_millis(500) && may_draw() {
            self.drawn = true;
            self.bar
                .set_draw_target(ProgressDrawTarget::stderr_with_hz(5));
        }
    }

    /// Erases the bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
