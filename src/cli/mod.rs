//! The command line, which belongs to the binary: clap's definitions (`args`, with the
//! values they read, `values`), the commands that run on a session (`commands`,
//! `session`), the one renderer of their
//! reports (`render`, `describe`), the shell (`shell`) and terminal manners
//! (`terminal`). This module is `main`: it parses, runs, and maps the outcome and any
//! error to the exit code (0 done, 1 found nothing, 2 error). Only the CLI prints.

mod args;
mod commands;
mod describe;
mod render;
mod serve;
mod session;
mod shell;
mod terminal;
mod values;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use kg::Error;

use args::{Cli, Command};
use commands::Outcome;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}", args::manual::clap_error_line(&e));
            return ExitCode::from(2);
        }
    };
    terminal::init(cli.quiet, cli.verbose);
    if matches!(cli.command, Command::Shell) {
        return shell::main(args::database_of(&cli), cli.format);
    }
    if let Command::Serve(serve) = &cli.command {
        return serve::main(args::database_of(&cli), serve);
    }
    let mut out = io::BufWriter::new(terminal::stdout());
    let result = commands::run(&cli, &mut out).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound(message)) => {
            terminal::note(&message);
            ExitCode::from(1)
        }
        Err(Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Error::Query(e)) => {
            // The message, then the query's line with a caret under the place.
            for line in e.to_string().lines() {
                terminal::error_line(line);
            }
            ExitCode::from(2)
        }
        Err(e) => {
            // One line whatever names the message quotes.
            terminal::error_line(&e.to_string());
            ExitCode::from(2)
        }
    }
}
