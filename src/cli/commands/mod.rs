//! The commands, one file per group: each runs on a [`Session`] and answers with a
//! typed report; this file dispatches a parsed command line and prints the answer.

mod admin;
mod curate;
mod edit;
mod export;
mod find;
mod history;
mod import;
mod ingest;
mod path;
mod query;
mod rank;
mod read;

use std::io::Write;

use kg::Error;

use super::args::{Cli, Command};
use super::render::Answer;
use super::session::Session;

/// How a command ended when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// It ran and found nothing (exit code 1), with the message for stderr.
    NothingFound(String),
}

/// Runs one command line on its own session.
pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<Outcome, Error> {
    let mut session = Session::new(super::args::database_of(cli));
    session.set_command(std::iter::once("kg".to_string()).chain(std::env::args().skip(1)));
    let result = execute(&mut session, cli, out);
    // The process ends right after the command, and freeing ten million relations
    // one by one would only delay the exit.
    std::mem::forget(session);
    result
}

/// Runs one command on a session and prints its answer.
pub fn execute(session: &mut Session, cli: &Cli, out: &mut dyn Write) -> Result<Outcome, Error> {
    let answer = answer(session, cli)?;
    answer.print(cli.format, cli.sources, out)?;
    Ok(match answer.nothing_found {
        Some(message) => Outcome::NothingFound(message),
        None => Outcome::Done,
    })
}

fn answer<'s>(session: &'s mut Session, cli: &Cli) -> Result<Answer<'s>, Error> {
    match &cli.command {
        Command::Import {
            files,
            strict,
            duplicate,
        } => import::run(session, files, *strict, *duplicate),
        Command::Add(add) => edit::add(session, add),
        Command::Remove(remove) => edit::remove(session, remove),
        Command::Rename { old, new, drop_old } => curate::rename(session, old, new, *drop_old),
        Command::Alias(command) => curate::alias(session, command),
        Command::Set(args) => curate::set(session, args),
        Command::Merge {
            keep,
            others,
            dry_run,
            prefer_others,
        } => curate::merge(session, keep, others, *dry_run, *prefer_others),
        Command::List { kind, limit } => Ok(find::list(session.read()?, kind.as_ref(), *limit)),
        Command::Search { text, limit } => Ok(find::search(session.read()?, text, *limit)),
        Command::Duplicates { min_score, limit } => {
            Ok(find::duplicates(session.read()?, *min_score, *limit))
        }
        Command::History { limit } => Ok(history::history(session.read()?, *limit)),
        Command::Undo { count, write } => history::undo(session, *count, *write),
        Command::Show { name } => read::show(session.read()?, name),
        Command::Timeline { name, selection } => {
            read::run_timeline(session.read()?, name.as_deref(), selection)
        }
        Command::Stats => Ok(read::stats(session.read()?)),
        Command::Ingest(args) => ingest::run(session, args),
        Command::Path {
            pairs: Some(file),
            options,
            selection,
            ..
        } => path::pairs(session.read()?, file, options, selection),
        Command::Path {
            start,
            end,
            options,
            selection,
            explain,
            ..
        } => {
            let ends = (
                start.as_deref().unwrap_or_default(),
                end.as_deref().unwrap_or_default(),
            );
            path::path(session.read()?, ends, options, selection, *explain)
        }
        Command::Neighbors {
            name,
            depth,
            directed,
            selection,
        } => path::run_neighbors(session.read()?, name, *depth, *directed, selection),
        Command::Export(request) => export::run(session.read()?, request),
        Command::Rank(args) => rank::run(session.read()?, args),
        Command::Communities(args) => rank::communities(session, args),
        Command::Query {
            text,
            file,
            params,
            explain,
            timeout,
            include_denied,
            read_only,
        } => {
            let cancel = session.cancel();
            let request = query::Request {
                text: text.as_deref(),
                file: file.as_ref(),
                params,
                explain: *explain,
                timeout: *timeout,
                include_denied: *include_denied,
                read_only: *read_only,
                cancel: &cancel,
            };
            query::run(session, &request)
        }
        Command::Check => admin::check(session),
        Command::Compact => admin::compact(session),
        Command::Recover { output } => admin::recover(session, output),
        Command::Completions { shell } => Ok(admin::completions(*shell)),
        Command::Man => admin::man(),
        Command::Shell => Err(Error::Usage(
            "the shell starts from the command line: kg [--db FILE] shell".to_string(),
        )),
        Command::Serve(_) => Err(Error::Usage(
            "the server starts from the command line: kg [--db FILE] serve".to_string(),
        )),
    }
}
