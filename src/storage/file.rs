//! Files replaced atomically (a reader sees the old file or the new one, never a part)
//! and the names of the files that live beside a database: its journal, its lock and
//! the temporary files of a save.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::{StorageError, io_error};

/// Writes `bytes` to `path` atomically (an export's `-o FILE`): a reader sees the old
/// file or the new one, never a part.
/// A device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in
/// place instead: renaming a file over it would put a regular file where it was.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), StorageError> {
    let target = followed(path);
    if is_special(&target) {
        return OpenOptions::new()
            .write(true)
            .open(&target)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(io_error(path));
    }
    replace_file(&target, |out| out.write_all(bytes).map_err(io_error(path)))
}

/// The file a symbolic link names (followed to the end), so that a save replaces the
/// file and the link stays; any other path as it is.
fn followed(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    fs::canonicalize(path).unwrap_or_else(|_| match fs::read_link(path) {
        // A link to a file not made yet: the file is made where the link points.
        Ok(to) => folder_of(path).join(to),
        Err(_) => path.to_path_buf(),
    })
}

/// Whether `path` exists and is neither a regular file nor a folder.
fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir())
}

/// Replaces `path` with what `fill` writes: into a temporary file in the same folder
/// (with the old file's permissions), fsynced, renamed over `path`, and the folder
/// fsynced. On any error the temporary file is removed and `path` is untouched.
pub(super) fn replace_file(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    let path = &followed(path);
    check_writable(path)?;
    let temp = temp_path(path);
    let result = (|| {
        // The new file is born with the old one's permissions (a private database stays
        // private, with no moment in which it is readable by others).
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        with_mode_of(&mut options, path);
        let file = options.open(&temp).map_err(creating_beside(path, &temp))?;
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

/// Refuses to write `path` for the reason a user can act on: its folder is missing or
/// not a folder, the folder does not let us write, or the file itself is read-only
/// (rather than the name of a lock or temporary file that could not be made).
pub(super) fn check_writable(path: &Path) -> Result<(), StorageError> {
    let folder = folder_of(path);
    let refuse = |reason: String| StorageError::Unwritable {
        path: path.display().to_string(),
        reason,
    };
    match fs::metadata(&folder) {
        Ok(meta) if !meta.is_dir() => {
            return Err(refuse(format!("{} is not a folder", folder.display())));
        }
        Ok(_) => {}
        Err(_) => {
            return Err(refuse(format!(
                "the folder {} does not exist",
                folder.display()
            )));
        }
    }
    if let Ok(meta) = fs::metadata(path) {
        if meta.is_dir() {
            return Err(refuse("it is a folder".to_string()));
        }
        if meta.permissions().readonly() {
            return Err(refuse(
                "the file is read-only (make it writable to change it)".to_string(),
            ));
        }
    }
    Ok(())
}

/// The error of a file that could not be created beside `path` (a lock or temporary
/// file): named by `path`, and by the folder when that is what refused.
pub(super) fn creating_beside(
    path: &Path,
    made: &Path,
) -> impl FnOnce(std::io::Error) -> StorageError {
    let (path, made) = (path.to_path_buf(), made.to_path_buf());
    move |e| match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StorageError::Unwritable {
                path: path.display().to_string(),
                reason: format!(
                    "the folder {} does not allow new files ({e})",
                    folder_of(&path).display()
                ),
            }
        }
        _ => io_error(&made)(e),
    }
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

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;

    #[test]
    fn a_link_stays_a_link_and_its_file_is_replaced() {
        let dir = tempfile::tempdir().expect("temp folder");
        let real = dir.path().join("real.dot");
        fs::write(&real, "old").expect("write");
        let link = dir.path().join("link.dot");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_file(&link, b"new").expect("write through the link");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).expect("read"), "new");
    }

    #[test]
    fn a_pipe_is_written_in_place() {
        let dir = tempfile::tempdir().expect("temp folder");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            return; // no mkfifo on this machine
        }
        assert!(is_special(&fifo));
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                File::open(&fifo)
                    .and_then(|mut f| f.read_to_string(&mut text))
                    .map(|_| text)
            })
        };
        write_file(&fifo, b"through the pipe").expect("write to the pipe");
        assert!(fs::metadata(&fifo).expect("fifo").file_type().is_fifo());
        assert_eq!(
            reader.join().expect("reader").expect("read"),
            "through the pipe"
        );
    }
}
