//! The journal: an append-only file of changes beside the snapshot (`FILE.journal`),
//! so that a small write appends a few bytes instead of rewriting the database.
//!
//! ```text
//! header, 32 bytes   magic 89 'K' 'G' 'J' 'R' 'N' 'L' 1A; format version (u32);
//!                    the snapshot's generation (u64), payload length (low 32 bits)
//!                    and payload CRC-32; CRC-32 of the header's first 28 bytes
//! records            payload length (u32), CRC-32 of the payload (u32), CRC-32 of
//!                    those eight bytes (u32), payload: the changes of one command
//!                    (bincode), applied all or not at all
//! ```
//!
//! The header names the snapshot it extends (generation and payload checksum); a
//! journal of another snapshot is stale, left by a crash between writing a new snapshot
//! and removing the journal, and ignored (the snapshot holds its changes). Opening a
//! database replays the journal on the snapshot. A last record cut short by a crash (an
//! incomplete head, or a sound head whose payload runs past the end of the file) is
//! dropped, since it was never acknowledged, and the next write cuts it off; any other
//! damage (a head or payload that fails its checksum) is an error, and the database
//! refuses writes. A record is acknowledged once it is fsynced; a failed append is
//! taken back. A file cut exactly at a record boundary cannot be told from a shorter
//! journal.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::codec::{config, decode_limited};
use super::error::{StorageError, damaged, io_error};
use super::file::{beside, sync_folder, with_mode_of};
use super::header::SnapshotId;
use crate::store::{Change, Store};

const MAGIC: [u8; 8] = *b"\x89KGJRNL\x1a";
const VERSION: u32 = 1;
const HEADER_LEN: u64 = 32;
/// A record's head: payload length, payload CRC-32, and a CRC-32 of those eight bytes.
const RECORD_HEAD: usize = 12;
/// The largest record a write appends; a bigger change goes into a new snapshot.
const MAX_RECORD: usize = 64 << 20;

/// What replaying a journal found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Records (commands) replayed.
    pub records: usize,
    /// Changes replayed.
    pub changes: usize,
    /// Bytes of the journal, its header included, that hold whole records (0 when there
    /// is no usable journal: the next append starts a new one).
    pub valid_len: u64,
    /// Bytes of a last record cut short by a crash, dropped.
    pub torn_bytes: u64,
    /// The journal belonged to an older snapshot and was ignored.
    pub stale: bool,
    /// When salvaging: the damage that ended the replay.
    pub damage: Option<String>,
    /// When salvaging: the record that ended the replay was applied in part, so the
    /// store must be read again and replayed without it.
    pub partial: bool,
    /// When salvaging: the bytes from the damage (or the last record kept) to the end,
    /// not replayed.
    pub lost_bytes: u64,
}

/// The journal of a database file.
pub fn path_of(db: &Path) -> PathBuf {
    beside(db, "journal")
}

/// The header of a journal that extends `snapshot`.
pub(crate) fn header(snapshot: SnapshotId) -> [u8; HEADER_LEN as usize] {
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

/// Opens the journal of `db` for a later [`replay`], if there is one. Open it before
/// reading the snapshot: a compaction that replaces the snapshot in between removes
/// this journal's name, not the file open here, whose header then names the older
/// snapshot and is ignored; opened after, a reader could see the old snapshot without
/// the journal that held its acknowledged writes.
pub(super) fn open(db: &Path) -> Result<Option<File>, StorageError> {
    let path = path_of(db);
    match File::open(&path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(&path)(e)),
    }
}

/// Whether the opened journal `file` may hold records (it is longer than its header).
pub(super) fn may_hold_records(file: &File) -> bool {
    file.metadata().is_ok_and(|m| m.len() > HEADER_LEN)
}

/// The length of a journal of `valid_len` whole bytes once `record` is appended (a new
/// journal starts with its header).
pub(super) fn len_after_append(valid_len: u64, record: &[u8]) -> u64 {
    valid_len.max(HEADER_LEN) + record.len() as u64
}

/// Replays the journal `file` of `db` onto `store`, read from snapshot `snapshot`.
pub(super) fn replay(
    db: &Path,
    file: Option<File>,
    snapshot: SnapshotId,
    store: &mut Store,
) -> Result<Replayed, StorageError> {
    let path = path_of(db);
    let Some(mut file) = file else {
        return Ok(Replayed::default());
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io_error(&path))?;
    replay_bytes(&path, &bytes, snapshot, store)
}

/// Replays the journal bytes `bytes` (from the file `path`) onto `store`.
pub(crate) fn replay_bytes(
    path: &Path,
    bytes: &[u8],
    snapshot: SnapshotId,
    store: &mut Store,
) -> Result<Replayed, StorageError> {
    replay_records(path, bytes, snapshot, store, None)
}

/// How a journal is replayed: strictly (damage is an error), or to salvage the
/// records before the damage, at most `max_records` of them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Salvage {
    pub max_records: usize,
}

/// Replays `bytes` as [`replay_bytes`] does, except that with `salvage` damage ends the
/// replay instead of failing it, and is told in [`Replayed::damage`] (a record that
/// decodes but does not apply is still an error, naming the record, since part of it
/// may be applied: salvage again with fewer records).
pub(super) fn replay_records(
    path: &Path,
    bytes: &[u8],
    snapshot: SnapshotId,
    store: &mut Store,
    salvage: Option<Salvage>,
) -> Result<Replayed, StorageError> {
    let mut replayed = Replayed::default();
    if bytes.len() < HEADER_LEN as usize || bytes[..HEADER_LEN as usize].iter().all(|&b| b == 0) {
        // A crash while the journal was being started (its first record and header are
        // fsynced together): nothing in it was acknowledged.
        let n = bytes.len().min(MAGIC.len());
        if bytes[..n] != MAGIC[..n] && bytes[..n].iter().any(|&b| b != 0) {
            return Err(damaged(path, "not a kg journal (bad magic number)"));
        }
        replayed.torn_bytes = bytes.len() as u64;
        return Ok(replayed);
    }
    let stop = |replayed: &mut Replayed, at: usize, why: String| {
        if salvage.is_some() {
            replayed.damage = Some(why);
            replayed.lost_bytes = (bytes.len() - at) as u64;
            Ok(())
        } else {
            let db = path.with_extension("");
            Err(damaged(
                path,
                format!(
                    "{why} (kg --db {} recover -o NEW saves the snapshot and the records before it)",
                    db.display()
                ),
            ))
        }
    };
    if bytes[..8] != MAGIC {
        stop(
            &mut replayed,
            0,
            "not a kg journal (bad magic number)".into(),
        )?;
        return Ok(replayed);
    }
    if crc32fast::hash(&bytes[..28]).to_le_bytes() != bytes[28..32] {
        stop(
            &mut replayed,
            0,
            "the journal header checksum does not match".into(),
        )?;
        return Ok(replayed);
    }
    if bytes[..32] != header(snapshot) {
        if bytes[8..12] != VERSION.to_le_bytes() {
            stop(
                &mut replayed,
                0,
                "a journal of a format this kg does not read".into(),
            )?;
            return Ok(replayed);
        }
        let generation = u64::from_le_bytes(bytes[12..20].try_into().unwrap_or_default());
        if generation >= snapshot.generation {
            // Not left by a crash (that journal names an older snapshot): this journal
            // extends another copy of the database, whose writes this file lacks.
            let why = format!(
                "the journal extends snapshot generation {generation}, not this file's (generation {}): its writes are not in this file; restore the database it belongs to, or move {} away to use this file without them",
                snapshot.generation,
                path.display()
            );
            stop(&mut replayed, 0, why)?;
            return Ok(replayed);
        }
        replayed.stale = true;
        return Ok(replayed);
    }
    let mut at = HEADER_LEN as usize;
    while at < bytes.len() {
        if salvage.is_some_and(|s| replayed.records >= s.max_records) {
            replayed.lost_bytes = (bytes.len() - at) as u64;
            break;
        }
        let rest = bytes.len() - at;
        let number = replayed.records + 1;
        if rest < RECORD_HEAD {
            // An append cut short before its head was complete.
            replayed.torn_bytes = rest as u64;
            break;
        }
        let word =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let (len, crc, head_crc) = (word(at) as usize, word(at + 4), word(at + 8));
        if crc32fast::hash(&bytes[at..at + 8]) != head_crc || len > MAX_RECORD {
            let why = format!("journal record {number} at byte {at} has a damaged head");
            stop(&mut replayed, at, why)?;
            break;
        }
        let end = at + RECORD_HEAD + len;
        if end > bytes.len() {
            // A sound head whose payload runs past the end: an append cut short.
            replayed.torn_bytes = rest as u64;
            break;
        }
        let payload = &bytes[at + RECORD_HEAD..end];
        if crc32fast::hash(payload) != crc {
            let why = format!("journal record {number} at byte {at} fails its checksum");
            stop(&mut replayed, at, why)?;
            break;
        }
        let changes: Vec<Change> = match decode_limited(payload) {
            Ok((changes, used)) if used == payload.len() => changes,
            Ok(_) => {
                let why = format!("journal record {number} has trailing bytes");
                stop(&mut replayed, at, why)?;
                break;
            }
            Err(e) => {
                let why = format!("journal record {number} does not decode: {e}");
                stop(&mut replayed, at, why)?;
                break;
            }
        };
        replayed.changes += changes
            .iter()
            .filter(|c| !matches!(c, Change::Record { .. }))
            .count();
        for change in changes {
            if let Err(e) = store.replay(change) {
                let why = format!("journal record {number} does not apply: {e}");
                stop(&mut replayed, at, why)?;
                // Part of the record may be in the store: salvage again without it.
                replayed.partial = true;
                return Ok(replayed);
            }
        }
        replayed.records += 1;
        at = end;
    }
    replayed.valid_len = at as u64;
    Ok(replayed)
}

/// Encodes the changes of one command as a journal record, or `None` when it would be
/// larger than [`MAX_RECORD`] (the change then goes into a new snapshot).
pub(crate) fn encode_record(changes: &[Change]) -> Result<Option<Vec<u8>>, StorageError> {
    let payload = bincode::serde::encode_to_vec(changes, config())
        .map_err(|e| io_error(Path::new("<journal>"))(io::Error::other(e.to_string())))?;
    if payload.len() > MAX_RECORD {
        return Ok(None);
    }
    Ok(Some(seal_record(&payload)))
}

/// A journal record holding `payload` behind a correct head (the fuzzers and damage
/// tests use it to reach the decoder with arbitrary payloads).
pub(crate) fn seal_record(payload: &[u8]) -> Vec<u8> {
    let mut record = Vec::with_capacity(RECORD_HEAD + payload.len());
    record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    record.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    let head_crc = crc32fast::hash(&record[..8]);
    record.extend_from_slice(&head_crc.to_le_bytes());
    record.extend_from_slice(payload);
    record
}

/// Appends a record to the journal of `db`, after cutting off whatever follows its
/// `valid_len` whole bytes (a torn record, or a stale journal), and fsyncs it. Call it
/// while holding the write lock. Returns the journal's new length.
pub(super) fn append(
    db: &Path,
    snapshot: SnapshotId,
    valid_len: u64,
    record: &[u8],
) -> Result<u64, StorageError> {
    let path = path_of(db);
    let created = !path.exists();
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    with_mode_of(&mut options, db);
    let mut file = options.open(&path).map_err(io_error(&path))?;
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
    let written = file.write_all(record).and_then(|()| file.sync_data());
    if let Err(e) = written {
        // Not acknowledged: take it back, so that a later open does not replay it.
        let _ = file.set_len(start);
        let _ = file.sync_data();
        return Err(io_error(&path)(e));
    }
    if created {
        sync_folder(db)?;
    }
    Ok(start + record.len() as u64)
}

/// Removes the journal of `db` (after its changes went into a new snapshot).
pub(super) fn remove(db: &Path) -> Result<(), StorageError> {
    let path = path_of(db);
    match fs::remove_file(&path) {
        Ok(()) => sync_folder(db),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(&path)(e)),
    }
}

/// The size of the journal of `db` in bytes (0 when there is none).
pub(super) fn size(db: &Path) -> u64 {
    File::open(path_of(db))
        .and_then(|f| f.metadata())
        .map_or(0, |m| m.len())
}
