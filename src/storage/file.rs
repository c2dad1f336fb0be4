//! Files replaced atomically (a reader sees the old file or the new one, never a part)
//! and the names of the files that live beside a database: its journal, its lock and
//! the temporary files of a save.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::{StorageError, io_error};

/// Writes `bytes` to `path` atomically (an export's `-o FILE`): a reader sees the old
/// file or the new one, never a part.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), StorageError> {
    replace_file(path, |out| out.write_all(bytes).map_err(io_error(path)))
}

/// Replaces `path` with what `fill` writes: into a temporary file in the same folder
/// (with the old file's permissions), fsynced, renamed over `path`, and the folder
/// fsynced. On any error the temporary file is removed and `path` is untouched.
pub(super) fn replace_file(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    let temp = temp_path(path);
    let result = (|| {
        // The new file is born with the old one's permissions (a private database stays
        // private, with no moment in which it is readable by others).
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        with_mode_of(&mut options, path);
        let file = options.open(&temp).map_err(io_error(&temp))?;
        if let Ok(meta) = fs::metadata(path) {
            file.set_permissions(meta.permissions())
                .map_err(io_error(&temp))?;
        }
        let mut out = BufWriter::new(file);
        fill(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| io_error(&temp)(e.into_error()))?;
        file.sync_all().map_err(io_error(&temp))?;
        drop(file);
        fs::rename(&temp, path).map_err(io_error(path))?;
        sync_folder(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Creates files with the permissions of `model` when it exists (on Unix).
pub(super) fn with_mode_of(options: &mut OpenOptions, model: &Path) {
    #[cfg(unix)]
    if let Ok(meta) = fs::metadata(model) {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(meta.permissions().mode() & 0o7777);
    }
    #[cfg(not(unix))]
    let _ = (options, model);
}

/// Fsyncs the folder of `path`, so that a rename or a new file in it is durable.
pub(super) fn sync_folder(path: &Path) -> Result<(), StorageError> {
    let folder = folder_of(path);
    File::open(&folder)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error(&folder))
}

/// The file `FILE.suffix` beside the database `db` (`FILE.journal`, `FILE.lock`).
pub(super) fn beside(db: &Path, suffix: &str) -> PathBuf {
    folder_of(db).join(format!("{}.{suffix}", file_name(db)))
}

/// The prefix of the temporary files a save of `path` writes (`.FILE.tmp.`).
pub(super) fn temp_prefix(path: &Path) -> String {
    format!(".{}.tmp.", file_name(path))
}

fn temp_path(path: &Path) -> PathBuf {
    folder_of(path).join(format!("{}{}", temp_prefix(path), std::process::id()))
}

pub(super) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".to_string())
}
