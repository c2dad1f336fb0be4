//! The journal: an append-only file of changes beside the snapshot (`FILE.journal`),
//! so that a small write appends a few bytes instead of rewriting the database.
//!
//! ```text
//! header, 32 bytes   magic 89 'K' 'G' 'J' 'R' 'N' 'L' 1A; format version (u32);
//!                    the snapshot's generation (u64), payload length (low 32 bits)
//!                    and payload CRC-32; CRC-32 of the header's first 28 bytes
//! records            payload length (u32), CRC-32 of the payload (u32), payload: the
//!                    changes of one command (bincode), applied all or not at all
//! ```
//!
//! The header names the snapshot it extends (generation and payload checksum); a
//! journal of another snapshot is stale, left by a crash between writing a new snapshot
//! and removing the journal, and ignored (the snapshot holds its changes). Opening a
//! database replays the journal on the snapshot; a last record cut short by a crash is
//! dropped (it was never acknowledged) and the next write cuts it off; a damaged record
//! before the end is an error. A record is acknowledged once it is fsynced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::persist::{
    PersistError, SnapshotId, config, damaged, file_name, folder_of, io_error, sync_folder,
};
use crate::store::{Change, Store};

const MAGIC: [u8; 8] = *b"\x89KGJRNL\x1a";
const VERSION: u32 = 1;
const HEADER_LEN: u64 = 32;
const RECORD_HEAD: usize = 8;

/// What replaying a journal found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Records (commands) replayed.
    pub records: usize,
    /// Changes replayed.
    pub changes: usize,
    /// Bytes of the journal that hold whole records (0 when there is no usable
    /// journal: the next append starts a new one).
    pub valid_len: u64,
    /// Bytes of a last record cut short by a crash, dropped.
    pub torn_bytes: u64,
    /// The journal belonged to an older snapshot and was ignored.
    pub stale: bool,
}

/// The journal of a database file.
pub fn path_of(db: &Path) -> PathBuf {
    folder_of(db).join(format!("{}.journal", file_name(db)))
}

fn header(snapshot: SnapshotId) -> [u8; HEADER_LEN as usize] {
    let mut h = [0u8; HEADER_LEN as usize];
    h[..8].copy_from_slice(&MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h[12..20].copy_from_slice(&snapshot.generation.to_le_bytes());
    h[20..24].copy_from_slice(&(snapshot.len as u32).to_le_bytes());
    h[24..28].copy_from_slice(&snapshot.crc.to_le_bytes());
    let crc = crc32fast::hash(&h[..28]);
    h[28..32].copy_from_slice(&crc.to_le_bytes());
    h
}

/// Replays the journal of `db` (if any) onto `store`, read from snapshot `snapshot`.
pub fn replay(
    db: &Path,
    snapshot: SnapshotId,
    store: &mut Store,
) -> Result<Replayed, PersistError> {
    let path = path_of(db);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Replayed::default()),
        Err(e) => return Err(io_error(&path)(e)),
    };
    let mut replayed = Replayed::default();
    if bytes.len() < HEADER_LEN as usize {
        // A crash while the journal was being started: nothing in it was acknowledged.
        let n = bytes.len().min(MAGIC.len());
        if bytes[..n] != MAGIC[..n] {
            return Err(damaged(&path, "not a kg journal (bad magic number)"));
        }
        replayed.torn_bytes = bytes.len() as u64;
        return Ok(replayed);
    }
    if bytes[..8] != MAGIC {
        return Err(damaged(&path, "not a kg journal (bad magic number)"));
    }
    if crc32fast::hash(&bytes[..28]).to_le_bytes() != bytes[28..32] {
        return Err(damaged(&path, "the journal header checksum does not match"));
    }
    if bytes[..32] != header(snapshot) {
        if bytes[8..12] != VERSION.to_le_bytes() {
            return Err(damaged(
                &path,
                "a journal of a format this kg does not read",
            ));
        }
        replayed.stale = true;
        return Ok(replayed);
    }
    let mut at = HEADER_LEN as usize;
    while at < bytes.len() {
        let rest = bytes.len() - at;
        if rest < RECORD_HEAD {
            replayed.torn_bytes = rest as u64;
            break;
        }
        let len =
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let crc = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        let end = at + RECORD_HEAD + len;
        if end > bytes.len() {
            replayed.torn_bytes = rest as u64;
            break;
        }
        let payload = &bytes[at + RECORD_HEAD..end];
        if crc32fast::hash(payload) != crc {
            if end == bytes.len() {
                replayed.torn_bytes = rest as u64;
                break;
            }
            return Err(damaged(
                &path,
                format!(
                    "journal record {} at byte {at} fails its checksum",
                    replayed.records + 1
                ),
            ));
        }
        let (changes, used): (Vec<Change>, usize) =
            bincode::serde::decode_from_slice(payload, config()).map_err(|e| {
                damaged(
                    &path,
                    format!(
                        "journal record {} does not decode: {e}",
                        replayed.records + 1
                    ),
                )
            })?;
        if used != payload.len() {
            return Err(damaged(
                &path,
                format!("journal record {} has trailing bytes", replayed.records + 1),
            ));
        }
        replayed.changes += changes.len();
        for change in changes {
            store.replay(change).map_err(|e| {
                damaged(
                    &path,
                    format!(
                        "journal record {} does not apply: {e}",
                        replayed.records + 1
                    ),
                )
            })?;
        }
        replayed.records += 1;
        at = end;
    }
    replayed.valid_len = at as u64;
    Ok(replayed)
}

/// Encodes the changes of one command as a journal record.
pub fn encode_record(changes: &[Change]) -> Result<Vec<u8>, PersistError> {
    let payload =
        bincode::serde::encode_to_vec(changes, config()).map_err(|e| PersistError::Io {
            path: "<journal>".to_string(),
            source: io::Error::other(e.to_string()),
        })?;
    let len = u32::try_from(payload.len()).map_err(|_| PersistError::Io {
        path: "<journal>".to_string(),
        source: io::Error::other("a journal record of over 4 GiB"),
    })?;
    let mut record = Vec::with_capacity(RECORD_HEAD + payload.len());
    record.extend_from_slice(&len.to_le_bytes());
    record.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    record.extend_from_slice(&payload);
    Ok(record)
}

/// Appends a record to the journal of `db`, after cutting off whatever follows its
/// `valid_len` whole bytes (a torn record, or a stale journal), and fsyncs it. Call it
/// while holding the write lock. Returns the journal's new length.
pub fn append(
    db: &Path,
    snapshot: SnapshotId,
    valid_len: u64,
    record: &[u8],
) -> Result<u64, PersistError> {
    let path = path_of(db);
    let created = !path.exists();
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_error(&path))?;
    if created && let Ok(meta) = fs::metadata(db) {
        file.set_permissions(meta.permissions())
            .map_err(io_error(&path))?;
    }
    let mut start = valid_len;
    if start < HEADER_LEN {
        file.set_len(0).map_err(io_error(&path))?;
        file.write_all(&header(snapshot)).map_err(io_error(&path))?;
        start = HEADER_LEN;
    } else {
        // Make sure the header on disk is the one we replayed against.
        let mut head = [0u8; HEADER_LEN as usize];
        file.read_exact(&mut head).map_err(io_error(&path))?;
        if head != header(snapshot) {
            return Err(damaged(&path, "the journal changed under the write lock"));
        }
        file.set_len(start).map_err(io_error(&path))?;
    }
    file.seek(SeekFrom::Start(start)).map_err(io_error(&path))?;
    file.write_all(record).map_err(io_error(&path))?;
    file.sync_data().map_err(io_error(&path))?;
    if created {
        sync_folder(db)?;
    }
    Ok(start + record.len() as u64)
}

/// Removes the journal of `db` (after its changes went into a new snapshot).
pub fn remove(db: &Path) -> Result<(), PersistError> {
    let path = path_of(db);
    match fs::remove_file(&path) {
        Ok(()) => sync_folder(db),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(&path)(e)),
    }
}

/// The size of the journal of `db` in bytes (0 when there is none).
pub fn size(db: &Path) -> u64 {
    File::open(path_of(db))
        .and_then(|f| f.metadata())
        .map_or(0, |m| m.len())
}
