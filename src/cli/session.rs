//! One database (or the bundled graph) across commands: opened once for reads and kept,
//! replaced by the state each write leaves. The shell keeps one session; a command line
//! makes one for its command.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use kg::storage::Database;
use kg::store::Store;
use kg::{Error, bundled_graph};

use super::terminal;

pub struct Session {
    db: Option<PathBuf>,
    store: Option<Store>,
    /// Set to stop the running query (the shell's Ctrl-C).
    cancel: Arc<AtomicBool>,
    /// The command being run, as history records it.
    command: String,
    /// Lines of standard input the commands read as answers (`ingest --review`) since
    /// the shell last asked: a shell script counts them among its own lines.
    answer_lines: usize,
}

impl Session {
    /// A session on the database file `db`, or on the bundled graph without one.
    pub fn new(db: Option<PathBuf>) -> Session {
        Session {
            db,
            store: None,
            cancel: Arc::default(),
            command: String::new(),
            answer_lines: 0,
        }
    }

    /// Records that a command read `lines` lines of standard input as answers.
    pub fn read_answer_lines(&mut self, lines: usize) {
        self.answer_lines += lines;
    }

    /// The lines of standard input read as answers since the last call.
    pub fn take_answer_lines(&mut self) -> usize {
        std::mem::take(&mut self.answer_lines)
    }

    /// Names the command about to run, from its words: history records it with the
    /// write it makes.
    pub fn set_command<S: AsRef<str>>(&mut self, words: impl IntoIterator<Item = S>) {
        let quoted: Vec<String> = words.into_iter().map(|w| quote(w.as_ref())).collect();
        self.command = quoted.join(" ");
    }

    /// The flag that stops the running query once set (the shell clears it before each
    /// command).
    pub fn cancel(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    pub fn db(&self) -> Option<&Path> {
        self.db.as_deref()
    }

    /// The database file, which commands that change it need.
    pub fn database(&self) -> Result<Database, Error> {
        match &self.db {
            Some(path) => Ok(database(path).for_command(self.command.clone())),
            None => Err(Error::Usage(
                "this command changes the database: give --db FILE or set KG_DB (the bundled graph is read-only)".to_string(),
            )),
        }
    }

    /// The store reads work on: the file, or the bundled graph without one.
    pub fn read(&mut self) -> Result<&Store, Error> {
        if self.store.is_none() {
            let store = match &self.db {
                Some(path) => database(path).open()?.store,
                None => {
                    let start = std::time::Instant::now();
                    let store = bundled_graph()?;
                    terminal::timing(
                        &format!(
                            "opened {} entities and {} relations",
                            store.entity_count(),
                            store.relation_count()
                        ),
                        start,
                    );
                    store
                }
            };
            self.store = Some(store);
        }
        match &self.store {
            Some(store) => Ok(store),
            None => Err(Error::Usage("no database is open".to_string())),
        }
    }

    /// Runs `change` on the database file as [`Database::write`] does (under the lock,
    /// on the file as it is now), then keeps the store it left.
    pub fn write<T>(
        &mut self,
        change: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let database = self.database()?;
        let missing = !database.path().exists();
        let (result, store) = database.write(change).map_err(|e| match e {
            // A command that names what is not there, on a database that is not there
            // either: most likely a mistyped --db, which is what to say.
            Error::Store(
                kg::store::StoreError::UnknownEntity { .. }
                | kg::store::StoreError::UnknownRelation(_),
            ) if missing => Error::Storage(kg::storage::StorageError::Missing {
                path: database.path().display().to_string(),
            }),
            e => e,
        })?;
        self.store = Some(store);
        Ok(result)
    }

    /// Forgets the kept store: the next read opens the file again.
    pub fn reload(&mut self) {
        self.store = None;
    }
}

/// The database at `path`, its slow steps shown on the terminal; `KG_JOURNAL_LIMIT`
/// sets how large its journal may grow, in bytes.
pub fn database(path: &Path) -> Database {
    let limit = std::env::var("KG_JOURNAL_LIMIT").ok().and_then(|v| {
        let bytes = v.trim().parse().ok();
        if bytes.is_none() {
            terminal::note(&format!(
                "warning: KG_JOURNAL_LIMIT='{v}' is not a number of bytes; the default limit holds"
            ));
        }
        bytes
    });
    Database::new(path)
        .observed_by(Box::new(terminal::Progress::default()))
        .with_journal_limit(limit)
}

/// A word as a shell would need it typed: bare when it is plain, else in single quotes.
fn quote(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./:=,#@+%".contains(c);
    // A word that begins with # would be a comment to a shell.
    if !word.is_empty() && !word.starts_with('#') && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn words_are_quoted_only_when_they_need_it() {
        assert_eq!(quote("Naryshkin"), "Naryshkin");
        assert_eq!(quote("#12"), "'#12'");
        assert_eq!(quote("a#1"), "a#1");
        assert_eq!(quote("Vladimir Putin"), "'Vladimir Putin'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
