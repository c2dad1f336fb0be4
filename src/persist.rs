//! The database file: a fixed header, then the store as bincode.
//!
//! ```text
//! offset  size  field
//!      0     8  magic  89 'K' 'G' 'D' 'B' 0D 0A 1A
//!      8     4  format version (u32, little-endian)
//!     12     4  flags (u32, zero)
//!     16     8  payload length in bytes (u64)
//!     24     4  CRC-32 of the payload
//!     28     4  CRC-32 of bytes 0..28
//!     32     …  payload: the store's snapshot, bincode 2 standard configuration
//! ```
//!
//! Open checks magic, version, header checksum, length and payload checksum before it
//! decodes anything, then decodes with a size limit and verifies the store's
//! invariants: a damaged or hostile file is an error, never a panic or a huge
//! allocation. Save writes a temporary file in the same folder, fsyncs it, renames it
//! over the database and fsyncs the folder, so a crash leaves the old or the new file.
//! Writers hold an exclusive lock on `FILE.lock` for the whole read-modify-write.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::journal;
use crate::store::{Snapshot, Store};

const MAGIC: [u8; 8] = *b"\x89KGDB\r\n\x1a";
/// The file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 2;
const HEADER_LEN: usize = 32;
/// Decoding never claims more memory than this for one payload (16 GiB).
/// The most memory decoding may claim: at least 8 times the bytes being decoded, so
/// that a forged length inside a checksummed payload cannot ask for gigabytes.
const DECODE_LIMITS: [(usize, usize); 4] = [
    (1 << 20, 8 << 20),
    (64 << 20, 512 << 20),
    (1 << 30, 8 << 30),
    (usize::MAX, 64 << 30),
];

/// What is wrong with a database file, or with writing one.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error(
        "{path}: no such database (a write command creates it, e.g. kg --db {path} import graphs/seed.kg)"
    )]
    Missing { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: not a kg database ({reason})")]
    NotADatabase { path: String, reason: String },
    #[error("{path}: damaged database: {reason}")]
    Damaged { path: String, reason: String },
    #[error(
        "{path}: format version {found} is not one this kg reads (it reads version {FORMAT_VERSION})"
    )]
    Version { path: String, found: u32 },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> PersistError + '_ {
    move |source| PersistError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub(crate) fn damaged(path: &Path, reason: impl Into<String>) -> PersistError {
    PersistError::Damaged {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// The bincode configuration of every file kg writes.
pub(crate) fn config() -> impl bincode::config::Config {
    bincode::config::standard()
}

/// Decodes `bytes` with a memory limit in proportion to their length.
pub(crate) fn decode_limited<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<(T, usize), bincode::error::DecodeError> {
    // petgraph checks a decoded graph's node holes with a debug assertion, which a
    // forged payload can trip in a debug build: that is damage too, not a crash. The
    // panic hook is silenced meanwhile so that nothing is printed.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let decoded = std::panic::catch_unwind(|| decode_within_limits(bytes));
    std::panic::set_hook(hook);
    decoded.unwrap_or(Err(bincode::error::DecodeError::Other(
        "its graph structure is inconsistent",
    )))
}

fn decode_within_limits<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<(T, usize), bincode::error::DecodeError> {
    let n = bytes.len();
    let standard = bincode::config::standard();
    match DECODE_LIMITS.iter().position(|&(most, _)| n <= most) {
        Some(0) => bincode::serde::decode_from_slice(
            bytes,
            standard.with_limit::<{ DECODE_LIMITS[0].1 }>(),
        ),
        Some(1) => bincode::serde::decode_from_slice(
            bytes,
            standard.with_limit::<{ DECODE_LIMITS[1].1 }>(),
        ),
        Some(2) => bincode::serde::decode_from_slice(
            bytes,
            standard.with_limit::<{ DECODE_LIMITS[2].1 }>(),
        ),
        _ => bincode::serde::decode_from_slice(
            bytes,
            standard.with_limit::<{ DECODE_LIMITS[3].1 }>(),
        ),
    }
}

/// Which snapshot a journal extends: its generation, payload length and checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotId {
    pub generation: u64,
    pub len: u64,
    pub crc: u32,
}

/// A database as opened: the snapshot with its journal replayed.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub snapshot: SnapshotId,
    pub journal: journal::Replayed,
}

/// Reads and fully checks a database file and replays its journal.
pub fn load(path: &Path) -> Result<Store, PersistError> {
    open(path).map(|opened| opened.store)
}

/// Reads and fully checks a database file, then replays the journal beside it.
pub fn open(path: &Path) -> Result<Opened, PersistError> {
    // The journal is opened first (see journal::open).
    let journal_file = journal::open(path)?;
    let pending = journal_file
        .as_ref()
        .and_then(|f| f.metadata().ok())
        .is_some_and(|m| m.len() > 32);
    let (mut store, snapshot) = load_snapshot(path, !pending)?;
    let journal = journal::replay(path, journal_file, snapshot, &mut store)?;
    Ok(Opened {
        store,
        snapshot,
        journal,
    })
}

/// Reads and fully checks the snapshot alone. The searches' adjacency is built while
/// the invariants are checked, unless a journal is about to change the graph.
fn load_snapshot(path: &Path, build_adjacency: bool) -> Result<(Store, SnapshotId), PersistError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(PersistError::Missing {
                path: path.display().to_string(),
            });
        }
        Err(e) => return Err(io_error(path)(e)),
    };
    let (snapshot, mut id) = decode_snapshot(path, &bytes)?;
    // The file's bytes are not needed once decoded: free them before the indexes grow.
    drop(bytes);
    let store = checked_store(path, snapshot, build_adjacency)?;
    id.generation = store.generation();
    Ok((store, id))
}

/// Checks and decodes the bytes of a database file (`path` names it in errors).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Store, PersistError> {
    let (snapshot, _) = decode_snapshot(path, bytes)?;
    checked_store(path, snapshot, false)
}

/// The snapshot a file holds, and which one it is (generation filled in later).
fn decode_snapshot(path: &Path, bytes: &[u8]) -> Result<(Snapshot, SnapshotId), PersistError> {
    let payload = check_header(path, bytes)?;
    let (snapshot, used): (Snapshot, usize) = decode_limited(payload)
        .map_err(|e| damaged(path, format!("the payload does not decode: {e}")))?;
    if used != payload.len() {
        return Err(damaged(
            path,
            format!("{} bytes follow the payload", payload.len() - used),
        ));
    }
    let crc = u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]);
    let id = SnapshotId {
        generation: 0,
        len: payload.len() as u64,
        crc,
    };
    Ok((snapshot, id))
}

/// The store of a decoded snapshot, every invariant checked.
fn checked_store(
    path: &Path,
    snapshot: Snapshot,
    build_adjacency: bool,
) -> Result<Store, PersistError> {
    Store::from_snapshot(snapshot, build_adjacency).map_err(|problems| {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more problems)", n - 1),
        };
        damaged(path, format!("{}{more}", problems[0]))
    })
}

/// Validates the header and returns the payload it vouches for.
fn check_header<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a [u8], PersistError> {
    let not_db = |reason: &str| PersistError::NotADatabase {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(not_db("it does not start with the kg magic number"));
    }
    if bytes.len() < HEADER_LEN {
        return Err(damaged(
            path,
            format!(
                "truncated: {} bytes, shorter than the {HEADER_LEN}-byte header",
                bytes.len()
            ),
        ));
    }
    let u32_at =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let header_crc = u32_at(28);
    if crc32fast::hash(&bytes[..28]) != header_crc {
        return Err(damaged(path, "the header checksum does not match"));
    }
    let version = u32_at(8);
    if version != FORMAT_VERSION {
        return Err(PersistError::Version {
            path: path.display().to_string(),
            found: version,
        });
    }
    if u32_at(12) != 0 {
        return Err(damaged(path, "unknown header flags"));
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[16..24]);
    let claimed = u64::from_le_bytes(len_bytes);
    let actual = (bytes.len() - HEADER_LEN) as u64;
    if claimed != actual {
        let what = if claimed > actual {
            "truncated"
        } else {
            "too long"
        };
        return Err(damaged(
            path,
            format!("{what}: the header promises {claimed} payload bytes, the file holds {actual}"),
        ));
    }
    let payload = &bytes[HEADER_LEN..];
    if crc32fast::hash(payload) != u32_at(24) {
        return Err(damaged(path, "the payload checksum does not match"));
    }
    Ok(payload)
}

/// Encodes a store as the bytes of a database file (of the store's own generation).
pub fn encode(store: &Store) -> Result<Vec<u8>, PersistError> {
    let mut out = io::Cursor::new(Vec::new());
    write_to(Path::new("<memory>"), store, store.generation(), &mut out)?;
    Ok(out.into_inner())
}

/// Writes header and payload of generation `generation` into `out` (which must be
/// seekable, starting empty).
fn write_to<W: Write + Seek>(
    path: &Path,
    store: &Store,
    generation: u64,
    out: &mut W,
) -> Result<SnapshotId, PersistError> {
    out.write_all(&[0u8; HEADER_LEN]).map_err(io_error(path))?;
    let mut counted = Checksummed {
        inner: out,
        hasher: crc32fast::Hasher::new(),
        len: 0,
    };
    bincode::serde::encode_into_std_write(store.snapshot(generation), &mut counted, config())
        .map_err(|e| PersistError::Io {
            path: path.display().to_string(),
            source: io::Error::other(e.to_string()),
        })?;
    let (len, crc) = (counted.len, counted.hasher.finalize());
    out.seek(SeekFrom::Start(0)).map_err(io_error(path))?;
    out.write_all(&header(len, crc)).map_err(io_error(path))?;
    out.flush().map_err(io_error(path))?;
    Ok(SnapshotId {
        generation,
        len,
        crc,
    })
}

/// The header of a payload of `len` bytes whose CRC-32 is `crc`.
fn header(len: u64, crc: u32) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[16..24].copy_from_slice(&len.to_le_bytes());
    header[24..28].copy_from_slice(&crc.to_le_bytes());
    let header_crc = crc32fast::hash(&header[..28]);
    header[28..32].copy_from_slice(&header_crc.to_le_bytes());
    header
}

/// The payload of a database file's bytes, unchecked (`None` if there is no header).
pub fn payload_of(bytes: &[u8]) -> Option<&[u8]> {
    bytes.get(HEADER_LEN..)
}

/// A database file holding `payload` behind a correct header: what the fuzzers and
/// the damage tests use to reach the decoder and the load checks with arbitrary bytes
/// that pass the checksums.
pub fn seal(payload: &[u8]) -> Vec<u8> {
    let mut file = header(payload.len() as u64, crc32fast::hash(payload)).to_vec();
    file.extend_from_slice(payload);
    file
}

/// A writer that counts and checksums what passes through it.
struct Checksummed<'a, W> {
    inner: &'a mut W,
    hasher: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for Checksummed<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Saves atomically, as the next generation: temporary file, fsync, rename over
/// `path`, fsync of the folder; then removes the journal, whose changes the new
/// snapshot holds (a crash in between leaves a journal of an older generation, which
/// is ignored). Call it while holding the [`WriteLock`].
pub fn save(path: &Path, store: &Store) -> Result<SnapshotId, PersistError> {
    let mut id = None;
    replace_file(path, |out| {
        id = Some(write_to(path, store, store.generation() + 1, out)?);
        Ok(())
    })?;
    journal::remove(path)?;
    id.ok_or_else(|| damaged(path, "the snapshot was not written"))
}

/// Writes `bytes` to `path` atomically (an export's `-o FILE`): a reader sees the old
/// file or the new one, never a part.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
    replace_file(path, |out| out.write_all(bytes).map_err(io_error(path)))
}

/// Replaces `path` with what `fill` writes: into a temporary file in the same folder
/// (with the old file's permissions), fsynced, renamed over `path`, and the folder
/// fsynced. On any error the temporary file is removed and `path` is untouched.
fn replace_file(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<(), PersistError>,
) -> Result<(), PersistError> {
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
pub(crate) fn with_mode_of(options: &mut OpenOptions, model: &Path) {
    #[cfg(unix)]
    if let Ok(meta) = fs::metadata(model) {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(meta.permissions().mode() & 0o7777);
    }
    #[cfg(not(unix))]
    let _ = (options, model);
}

pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub(crate) fn sync_folder(path: &Path) -> Result<(), PersistError> {
    let folder = folder_of(path);
    File::open(&folder)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error(&folder))
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".to_string())
}

fn temp_prefix(path: &Path) -> String {
    format!(".{}.tmp.", file_name(path))
}

fn temp_path(path: &Path) -> PathBuf {
    folder_of(path).join(format!("{}{}", temp_prefix(path), std::process::id()))
}

/// An exclusive lock on a database for one writer at a time, held until dropped.
/// The lock lives on `FILE.lock` beside the database (the database file itself is
/// replaced by every save, so it cannot carry the lock).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Waits for and takes the lock, then clears temporary files that writers which
    /// died mid-save left behind (no live writer can own one while we hold the lock).
    pub fn acquire(path: &Path) -> Result<WriteLock, PersistError> {
        let lock_path = folder_of(path).join(format!("{}.lock", file_name(path)));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(io_error(&lock_path))?;
        file.lock().map_err(io_error(&lock_path))?;
        remove_stale_temps(path);
        Ok(WriteLock { _file: file })
    }
}

fn remove_stale_temps(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Reads just enough of a file to tell whether it is a kg database (by its magic).
pub fn looks_like_database(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| magic == MAGIC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, Kind, Relation, RelationType};

    fn small_store() -> Store {
        let mut store = Store::new();
        let t = store.add_type(RelationType::directed("phoned")).unwrap();
        let a = store.add_entity(Entity::new("A", Kind::Person)).unwrap();
        let b = store.add_entity(Entity::new("B", Kind::Person)).unwrap();
        let mut r = Relation::new(t);
        r.source = Some(store.intern("src").unwrap());
        store.add_relation(a, b, r).unwrap();
        store
    }

    #[test]
    fn every_flipped_byte_and_truncation_is_detected() {
        let bytes = encode(&small_store()).unwrap();
        let path = Path::new("t.kgdb");
        assert!(decode(path, &bytes).is_ok());
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= flip;
                assert!(
                    decode(path, &bad).is_err(),
                    "flip {flip:#x} at {i} went unnoticed"
                );
            }
        }
        for len in 0..bytes.len() {
            assert!(
                decode(path, &bytes[..len]).is_err(),
                "truncation to {len} went unnoticed"
            );
        }
    }

    #[test]
    fn a_header_claiming_a_huge_payload_fails_at_once() {
        let mut bytes = encode(&small_store()).unwrap();
        bytes[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        let crc = crc32fast::hash(&bytes[..28]);
        bytes[28..32].copy_from_slice(&crc.to_le_bytes());
        let err = decode(Path::new("t.kgdb"), &bytes).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
    }
}
