//! Storage: the only code that opens, writes or locks a database file. A database is a
//! snapshot file (`snapshot`) and an append-only journal of later changes beside it
//! (`journal`), written by one writer at a time (`lock`) through atomic replaces
//! (`file`).
//!
//! [`Database::open`] reads the snapshot, replays the journal and checks every
//! invariant. [`Database::write`] takes the write lock, opens the database as it is
//! on disk (or starts an empty one), runs the change, and makes it durable: a small
//! change is appended to the journal, a large one (or a journal grown past its limit)
//! goes into a new snapshot, which folds the journal in. An error before the change is
//! in place leaves the files as they were; one after it (removing the folded journal,
//! syncing the folder) leaves the new state, whose stale journal is then ignored.
//! Nothing here prints: slow steps are reported to an [`Observer`].

mod codec;
mod error;
mod file;
pub(crate) mod header;
pub(crate) mod journal;
mod lock;
pub(crate) mod mapped;
pub(crate) mod snapshot;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::StorageError;
pub use file::write_file;
pub use journal::Replayed;
pub use snapshot::{FORMAT_VERSION, decode, encode};

use crate::store::{Recording, Store};
use header::SnapshotId;
use lock::WriteLock;

/// A write that changes more than this many things goes straight into a new snapshot.
const JOURNAL_MAX_CHANGES: usize = 100_000;
/// A write that had to build the graph of a file read in place (anything but adding)
/// writes a new snapshot when the file is larger than this, so that the next commands
/// read in place again instead of building the graph to replay the journal.
const REBUILT_SNAPSHOT_FROM: u64 = 16 << 20;

/// A step of opening, writing or compacting a database that may take a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Open,
    Save,
    Compact,
}

/// Told of the slow steps of [`Database`]'s work, to show progress and timings (the
/// command line's spinner and `--verbose`). Every method does nothing by default.
pub trait Observer {
    /// `step` begins on the database `db`.
    fn begin(&self, _step: Step, _db: &Path) {}
    /// `step` ended after `took`, having done what `done` says.
    fn end(&self, _step: Step, _done: &str, _took: Duration) {}
    /// Opening dropped the journal's last record, `bytes` long, cut short by an
    /// interrupted write (it was never acknowledged).
    fn dropped_torn_record(&self, _journal: &Path, _bytes: u64) {}
    /// Another writer holds the lock on `db`: this one waits for it.
    fn waiting_for_lock(&self, _db: &Path) {}
}

/// The observer that is told nothing.
struct Unobserved;

impl Observer for Unobserved {}

/// A database file, which may not exist yet (the first write creates it).
pub struct Database {
    path: PathBuf,
    journal_limit: Option<u64>,
    rebuilt_snapshot_from: u64,
    observer: Box<dyn Observer>,
    /// The command history records for each write.
    command: String,
}

/// A database as opened: the snapshot with its journal replayed.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    /// What replaying the journal found.
    pub journal: Replayed,
    snapshot: SnapshotId,
}

/// What [`Database::recover`] kept, and what it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The entities and relations of the new database.
    pub entities: usize,
    pub relations: usize,
    /// Journal records (writes) kept, and their changes.
    pub records: usize,
    pub changes: usize,
    /// The damage that ended the journal, if any, and the journal bytes from there on
    /// that were not kept.
    pub damage: Option<String>,
    pub lost_bytes: u64,
    /// A last record cut short by a crash (never acknowledged), dropped.
    pub torn_bytes: u64,
    /// The journal belonged to another snapshot and was not replayed.
    pub stale: bool,
}

/// What [`Database::compact`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    /// Whether there was a journal, now folded into a new snapshot.
    pub compacted: bool,
    /// Journal records (writes) folded in.
    pub records: usize,
    /// Changes those records held.
    pub changes: usize,
    /// The older format the file was in, now rewritten in the current one.
    pub upgraded_from: Option<u32>,
}

impl Database {
    /// The database in the file `path`. A symbolic link is followed to the file it
    /// names, so that the journal, the lock and every save are beside the real file
    /// (and a save replaces the file, not the link).
    pub fn new(path: impl Into<PathBuf>) -> Database {
        let path: PathBuf = path.into();
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let path = match is_link {
            true => std::fs::canonicalize(&path).unwrap_or(path),
            false => path,
        };
        Database {
            path,
            journal_limit: None,
            rebuilt_snapshot_from: REBUILT_SNAPSHOT_FROM,
            observer: Box::new(Unobserved),
            command: String::new(),
        }
    }

    /// Reports slow steps to `observer`.
    pub fn observed_by(mut self, observer: Box<dyn Observer>) -> Database {
        self.observer = observer;
        self
    }

    /// Lets the journal grow to `bytes` before a write folds it into a new snapshot
    /// (`None`: the default, a quarter of the snapshot and at least 16 MiB).
    pub fn with_journal_limit(mut self, bytes: Option<u64>) -> Database {
        self.journal_limit = bytes;
        self
    }

    /// Writes a new snapshot after a write that had to build the graph of a file read
    /// in place when the file is larger than `bytes` (default 16 MiB).
    pub fn with_rebuilt_snapshot_from(mut self, bytes: u64) -> Database {
        self.rebuilt_snapshot_from = bytes;
        self
    }

    /// Names the command that makes the writes, as history lists them.
    pub fn for_command(mut self, command: impl Into<String>) -> Database {
        self.command = command.into();
        self
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal beside the database file.
    pub fn journal_path(&self) -> PathBuf {
        journal::path_of(&self.path)
    }

    /// Reads and fully checks the database: its snapshot, then its journal replayed.
    pub fn open(&self) -> Result<Opened, StorageError> {
        let start = Instant::now();
        self.observer.begin(Step::Open, &self.path);
        let opened = self.open_unobserved()?;
        if opened.journal.torn_bytes > 0 {
            self.observer
                .dropped_torn_record(&self.journal_path(), opened.journal.torn_bytes);
        }
        let done = format!(
            "opened {} entities and {} relations",
            opened.store.entity_count(),
            opened.store.relation_count()
        );
        self.observer.end(Step::Open, &done, start.elapsed());
        Ok(opened)
    }

    fn open_unobserved(&self) -> Result<Opened, StorageError> {
        // The journal is opened before the snapshot (see journal::open).
        let journal_file = journal::open(&self.path)?;
        let pending = journal_file.as_ref().is_some_and(journal::may_hold_records);
        let (mut store, snapshot) = snapshot::load(&self.path, !pending)?;
        let journal = journal::replay(&self.path, journal_file, snapshot, &mut store)?;
        Ok(Opened {
            store,
            journal,
            snapshot,
        })
    }

    /// Runs `change` on the database under the write lock and makes what it changed
    /// durable when it succeeds, with an entry in its history that can undo it; on any
    /// error the files are left as they were. A missing file starts empty (and is
    /// created only if something changed); a damaged one is never overwritten. Returns what `change` returned and the store it left.
    pub fn write<T, E: From<StorageError>>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<(T, Store), E> {
        let lock =
            WriteLock::acquire_telling(&self.path, || self.observer.waiting_for_lock(&self.path))?;
        let result = self.write_locked(change);
        if !self.path.exists() {
            // A write that created nothing (it failed, or changed nothing) leaves no
            // lock file beside a database that is not there.
            lock.remove_file();
        }
        result
    }

    fn write_locked<T, E: From<StorageError>>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<(T, Store), E> {
        let (mut store, opened) = match self.open() {
            Ok(opened) => (opened.store, Some((opened.snapshot, opened.journal))),
            Err(StorageError::Missing { .. }) if self.journal_path().exists() => {
                return Err(StorageError::Damaged {
                    path: self.journal_path().display().to_string(),
                    reason: format!(
                        "a journal without its database {}: restore the database, or move the journal away to start a new one",
                        self.path.display()
                    ),
                }
                .into());
            }
            // A new database starts as an empty file read in place would.
            Err(StorageError::Missing { .. }) => (Store::new_in_place(), None),
            Err(e) => return Err(e.into()),
        };
        // A store that reads the file in place stays so for additions; any other
        // change builds the graph first.
        let file_in_place =
            snapshot::version_of(&self.path).is_some_and(|v| mapped::READS.contains(&v));
        store.start_recording(JOURNAL_MAX_CHANGES);
        store.start_entry();
        let result = change(&mut store)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        store.finish_entry(&self.command, now);
        let start = Instant::now();
        self.observer.begin(Step::Save, &self.path);
        let done = match (opened, store.take_recording()) {
            (_, Some(Recording::Changes(changes, _))) if changes.is_empty() => "changed nothing",
            (Some((snapshot, journal)), Some(Recording::Changes(changes, _))) => {
                let limit = self.journal_limit(snapshot);
                let fits = |record: &Vec<u8>| {
                    journal::len_after_append(journal.valid_len, record) <= limit
                };
                let rebuilt = file_in_place
                    && !store.is_read_in_place()
                    && snapshot.len > self.rebuilt_snapshot_from;
                let record = journal::encode_record(&changes)?.filter(fits);
                if let Some(record) = record.filter(|_| !rebuilt) {
                    journal::append(&self.path, snapshot, journal.valid_len, &record)?;
                    "appended to the journal"
                } else {
                    let saved = self.save_snapshot(&store)?;
                    store.saved_as(saved.generation);
                    "compacted the journal into a new snapshot"
                }
            }
            _ => {
                let saved = self.save_snapshot(&store)?;
                store.saved_as(saved.generation);
                "saved the database"
            }
        };
        self.observer.end(Step::Save, done, start.elapsed());
        Ok((result, store))
    }

    /// Saves `store` as the whole database, under the write lock: a new snapshot that
    /// replaces what the file held, journal included.
    pub fn save(&self, store: &Store) -> Result<(), StorageError> {
        let _lock = WriteLock::acquire(&self.path)?;
        self.save_snapshot(store).map(|_| ())
    }

    /// Writes a new database `to` from this one's snapshot and every intact journal
    /// record before the first damage, and says what it could not keep. This database's
    /// files are only read. A damaged snapshot cannot be recovered from (the error says
    /// so); `to` must not exist.
    pub fn recover(&self, to: &Path) -> Result<Recovery, StorageError> {
        let exists = |p: &Path| p.exists() || journal::path_of(p).exists();
        if exists(to) {
            return Err(StorageError::Exists {
                path: to.display().to_string(),
            });
        }
        let journal_bytes = match journal::open(&self.path)? {
            Some(mut file) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut file, &mut bytes)
                    .map_err(error::io_error(&self.journal_path()))?;
                bytes
            }
            None => Vec::new(),
        };
        let journal_path = self.journal_path();
        let salvage = |max_records: usize| -> Result<(Store, Replayed), StorageError> {
            let (mut store, snapshot) = snapshot::load(&self.path, false)?;
            let replayed = journal::replay_records(
                &journal_path,
                &journal_bytes,
                snapshot,
                &mut store,
                Some(journal::Salvage { max_records }),
            )?;
            Ok((store, replayed))
        };
        let (mut store, mut replayed) = salvage(usize::MAX)?;
        if replayed.partial {
            // The last record applied in part: read again, without it.
            let damage = replayed.damage.take();
            let lost = replayed.lost_bytes;
            (store, replayed) = salvage(replayed.records)?;
            replayed.damage = damage;
            replayed.lost_bytes = lost;
        }
        let _lock = WriteLock::acquire(to)?;
        store.saved_as(0);
        self.observer.begin(Step::Save, to);
        let start = Instant::now();
        snapshot::save(to, &store)?;
        self.observer
            .end(Step::Save, "wrote the recovered database", start.elapsed());
        Ok(Recovery {
            entities: store.entity_count(),
            relations: store.relation_count(),
            records: replayed.records,
            changes: replayed.changes,
            damage: replayed.damage,
            lost_bytes: replayed.lost_bytes,
            torn_bytes: replayed.torn_bytes,
            stale: replayed.stale,
        })
    }

    /// Folds the journal into a new snapshot, under the write lock; a file of an older
    /// format is rewritten in the current one.
    pub fn compact(&self) -> Result<Compaction, StorageError> {
        // A database that is not there has nothing to compact: say so before taking
        // the lock, which would leave a FILE.lock behind.
        if !self.path.exists() {
            return Err(StorageError::Missing {
                path: self.path.display().to_string(),
            });
        }
        let _lock = WriteLock::acquire(&self.path)?;
        let start = Instant::now();
        self.observer.begin(Step::Compact, &self.path);
        let opened = self.open_unobserved()?;
        if opened.journal.torn_bytes > 0 {
            self.observer
                .dropped_torn_record(&self.journal_path(), opened.journal.torn_bytes);
        }
        let compacted = journal::size(&self.path) > 0;
        let upgraded_from =
            snapshot::version_of(&self.path).filter(|&v| v < snapshot::FORMAT_VERSION);
        if compacted || upgraded_from.is_some() {
            self.save_snapshot(&opened.store)?;
        }
        self.observer
            .end(Step::Compact, "compacted the database", start.elapsed());
        Ok(Compaction {
            compacted,
            upgraded_from,
            records: opened.journal.records,
            changes: opened.journal.changes,
        })
    }

    /// Writes `store` as the next snapshot, then removes the journal, whose changes it
    /// holds (a crash in between leaves a journal of an older generation, which is
    /// ignored). The caller holds the write lock.
    fn save_snapshot(&self, store: &Store) -> Result<SnapshotId, StorageError> {
        let saved = snapshot::save(&self.path, store)?;
        journal::remove(&self.path)?;
        Ok(saved)
    }

    /// How large the journal may grow before a write folds it into a new snapshot.
    fn journal_limit(&self, snapshot: SnapshotId) -> u64 {
        self.journal_limit
            .unwrap_or((snapshot.len / 4).max(16 << 20))
    }
}
