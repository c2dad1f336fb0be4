//! The write lock: one writer at a time on a database, through an exclusive lock on
//! `FILE.lock` beside it (the database file itself is replaced by every save, so it
//! cannot carry the lock).

use std::fs::{self, File, OpenOptions};
use std::path::Path;

use super::error::{StorageError, io_error};
use super::file::{beside, check_writable, creating_beside, folder_of, temp_prefix};

/// An exclusive lock on a database for one writer at a time, held until dropped.
#[derive(Debug)]
pub(super) struct WriteLock {
    _file: File,
    path: std::path::PathBuf,
}

impl WriteLock {
    /// Waits for and takes the lock, then clears temporary files that writers which
    /// died mid-save left behind (no live writer can own one while we hold the lock).
    pub(super) fn acquire(db: &Path) -> Result<WriteLock, StorageError> {
        WriteLock::acquire_telling(db, || {})
    }

    /// As [`WriteLock::acquire`], calling `waiting` first when another writer holds the
    /// lock (so that a person is told why nothing happens).
    pub(super) fn acquire_telling(
        db: &Path,
        waiting: impl FnOnce(),
    ) -> Result<WriteLock, StorageError> {
        check_writable(db)?;
        let lock_path = beside(db, "lock");
        let mut waiting = Some(waiting);
        let file = loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_path)
                .map_err(creating_beside(db, &lock_path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    if let Some(waiting) = waiting.take() {
                        waiting();
                    }
                    file.lock().map_err(io_error(&lock_path))?;
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_error(&lock_path)(e)),
            }
            // The writer before may have removed the lock file (a first write that
            // created nothing): a lock on that file excludes no one, so take the new one.
            if still_there(&file, &lock_path) {
                break file;
            }
        };
        remove_stale_temps(db);
        Ok(WriteLock {
            _file: file,
            path: lock_path,
        })
    }
}

impl WriteLock {
    /// Removes the lock file, still holding the lock (for a database that a failed
    /// first write did not create).
    pub(super) fn remove_file(self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether `path` still names the file `file` has open.
fn still_there(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

fn remove_stale_temps(db: &Path) {
    let prefix = temp_prefix(db);
    let Ok(entries) = fs::read_dir(folder_of(db)) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_removed_and_made_again_is_not_the_one_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.kgdb.lock");
        let held = File::create(&path).unwrap();
        assert!(still_there(&held, &path));
        fs::remove_file(&path).unwrap();
        assert!(!still_there(&held, &path));
        let _made_again = File::create(&path).unwrap();
        assert!(!still_there(&held, &path));
    }

    #[test]
    fn a_first_write_after_one_that_created_nothing_takes_a_lock_that_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.kgdb");
        let first = WriteLock::acquire(&db).unwrap();
        first.remove_file();
        let second = WriteLock::acquire(&db).unwrap();
        assert!(still_there(&second._file, &second.path));
        assert!(matches!(
            File::open(&second.path).unwrap().try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
    }
}
