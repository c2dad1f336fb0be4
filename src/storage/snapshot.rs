//! The database file's header, and the files of formats 2 to 4: the header, then the
//! store as bincode. Format 7, which this build writes, 6 and 5 keep the same first 32
//! bytes and are read in place (`mapped`); the older formats are decoded whole, as
//! before, and the next save writes them as format 7.
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
//! Loading checks magic, version, header checksum, length and payload checksum before
//! it decodes anything, then decodes with a size limit and verifies the store's
//! invariants: a damaged or hostile file is an error, never a panic or a huge
//! allocation. Saving writes the next generation through an atomic replace.

use std::fs;
use std::io;
#[cfg(feature = "fuzzing")]
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

#[cfg(feature = "fuzzing")]
use super::codec::config;
use super::codec::decode_limited;
use super::error::{StorageError, damaged, io_error};
use super::file::replace_file;
use super::mapped;
use crate::store::Store;
use crate::store::snapshot::{Snapshot, SnapshotV2, SnapshotV3};

/// The file format this build writes (version 7: each list's order by other end; 6:
/// relations' types and dates beside the adjacency; 5: sections read in place; 4: the history of writes; 3: ids apart from
/// petgraph's slots).
pub const FORMAT_VERSION: u32 = super::mapped::VERSION;
/// The oldest format this build reads (version 2: ids were petgraph's slots); the next
/// save writes it in the current format.
pub const OLDEST_READABLE: u32 = 2;
use super::header::{HEADER_LEN, MAGIC, SnapshotId};

/// Reads and fully checks the snapshot of the file `path`. The searches' adjacency is
/// built while the invariants are checked when `build_adjacency` (not when a journal is
/// about to change the graph).
pub(super) fn load(
    path: &Path,
    build_adjacency: bool,
) -> Result<(Store, SnapshotId), StorageError> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(StorageError::Missing {
                path: path.display().to_string(),
            });
        }
        Err(_) if path.is_dir() => {
            return Err(StorageError::NotADatabase {
                path: path.display().to_string(),
                reason: "it is a folder".to_string(),
            });
        }
        Err(e) => return Err(io_error(path)(e)),
    };
    let mut head = Vec::with_capacity(HEADER_LEN);
    io::Read::read_to_end(&mut io::Read::take(&mut file, HEADER_LEN as u64), &mut head).map_err(
        |e| match path.is_dir() {
            true => StorageError::NotADatabase {
                path: path.display().to_string(),
                reason: "it is a folder".to_string(),
            },
            false => io_error(path)(e),
        },
    )?;
    let version = check_version(path, &head)?;
    if mapped::READS.contains(&version) {
        return mapped::load(path, &file, version);
    }
    let mut bytes = head;
    io::Read::read_to_end(&mut file, &mut bytes).map_err(io_error(path))?;
    let (snapshot, mut id) = decode_snapshot(path, &bytes)?;
    // The file's bytes are not needed once decoded: free them before the indexes grow.
    drop(bytes);
    let store = checked_store(path, snapshot, build_adjacency)?;
    id.generation = store.generation();
    Ok((store, id))
}

/// The format version the file at `path` says it has, if it has a kg header.
pub(super) fn version_of(path: &Path) -> Option<u32> {
    let mut head = [0u8; HEADER_LEN];
    io::Read::read_exact(&mut fs::File::open(path).ok()?, &mut head).ok()?;
    (head[..8] == MAGIC).then(|| u32::from_le_bytes([head[8], head[9], head[10], head[11]]))
}

/// Checks and decodes the bytes of a database file (`path` names it in errors).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Store, StorageError> {
    let version = check_version(path, bytes)?;
    if mapped::READS.contains(&version) {
        let backing = crate::store::columns::aligned(bytes);
        return mapped::read(path, backing, version).map(|(store, _)| store);
    }
    let (snapshot, _) = decode_snapshot(path, bytes)?;
    checked_store(path, snapshot, false)
}

/// The snapshot a file holds, and which one it is (generation filled in later).
fn decode_snapshot(path: &Path, bytes: &[u8]) -> Result<(Snapshot, SnapshotId), StorageError> {
    let (payload, version) = check_header(path, bytes)?;
    let decoded = match version {
        4 => decode_limited::<Snapshot>(payload),
        3 => decode_limited::<SnapshotV3>(payload).map(|(old, used)| (old.into(), used)),
        _ => decode_limited::<SnapshotV2>(payload).map(|(old, used)| (old.into(), used)),
    };
    let (snapshot, used) =
        decoded.map_err(|e| damaged(path, format!("the payload does not decode: {e}")))?;
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
) -> Result<Store, StorageError> {
    Store::from_snapshot(snapshot, build_adjacency).map_err(|problems| {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more problems)", n - 1),
        };
        damaged(path, format!("{}{more}", problems[0]))
    })
}

/// Validates the first 32 bytes every format shares (magic, header checksum, a version
/// this build reads, no flags) and returns the format version.
fn check_version(path: &Path, bytes: &[u8]) -> Result<u32, StorageError> {
    let not_db = |reason: &str| StorageError::NotADatabase {
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
    if !(OLDEST_READABLE..=FORMAT_VERSION).contains(&version) {
        return Err(StorageError::Version {
            path: path.display().to_string(),
            found: version,
            oldest: OLDEST_READABLE,
            reads: FORMAT_VERSION,
        });
    }
    if u32_at(12) != 0 {
        return Err(damaged(path, "unknown header flags"));
    }
    Ok(version)
}

/// Validates the header of a file of format 2 to 4 and returns the payload it vouches
/// for, and its format version.
fn check_header<'a>(path: &Path, bytes: &'a [u8]) -> Result<(&'a [u8], u32), StorageError> {
    let version = check_version(path, bytes)?;
    let u32_at =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
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
    Ok((payload, version))
}

/// Encodes a store as the bytes of a database file (of the store's own generation).
pub fn encode(store: &Store) -> Result<Vec<u8>, StorageError> {
    let mut out = Vec::new();
    mapped::write_to(Path::new("<memory>"), store, store.generation(), &mut out)?;
    Ok(out)
}

/// Encodes a store as the bytes of a database file of format 4, as builds before
/// format 5 wrote them (for the tests that read old files).
#[cfg(feature = "fuzzing")]
pub(crate) fn encode_v4(store: &Store) -> Result<Vec<u8>, StorageError> {
    let mut out = io::Cursor::new(Vec::new());
    write_to(Path::new("<memory>"), store, store.generation(), &mut out)?;
    Ok(out.into_inner())
}

/// Saves `store` to `path` atomically, as the next generation (the caller holds the
/// write lock and removes the journal the new snapshot makes stale).
pub(super) fn save(path: &Path, store: &Store) -> Result<SnapshotId, StorageError> {
    let mut id = None;
    replace_file(path, |out| {
        id = Some(mapped::write_to(path, store, store.generation() + 1, out)?);
        Ok(())
    })?;
    id.ok_or_else(|| damaged(path, "the snapshot was not written"))
}

/// Writes header and payload of a format 4 file of generation `generation` into `out`
/// (which must be seekable, starting empty).
#[cfg(feature = "fuzzing")]
fn write_to<W: Write + Seek>(
    path: &Path,
    store: &Store,
    generation: u64,
    out: &mut W,
) -> Result<SnapshotId, StorageError> {
    out.write_all(&[0u8; HEADER_LEN]).map_err(io_error(path))?;
    let mut counted = Checksummed {
        inner: out,
        hasher: crc32fast::Hasher::new(),
        len: 0,
    };
    bincode::serde::encode_into_std_write(store.snapshot(generation), &mut counted, config())
        .map_err(|e| io_error(path)(io::Error::other(e.to_string())))?;
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

/// The header of a format 4 payload of `len` bytes whose CRC-32 is `crc`.
#[cfg(feature = "fuzzing")]
fn header(len: u64, crc: u32) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&4u32.to_le_bytes());
    header[16..24].copy_from_slice(&len.to_le_bytes());
    header[24..28].copy_from_slice(&crc.to_le_bytes());
    let header_crc = crc32fast::hash(&header[..28]);
    header[28..32].copy_from_slice(&header_crc.to_le_bytes());
    header
}

/// The payload of a database file's bytes, unchecked (`None` if there is no header).
#[cfg(feature = "fuzzing")]
pub(crate) fn payload_of(bytes: &[u8]) -> Option<&[u8]> {
    bytes.get(HEADER_LEN..)
}

/// A database file holding `payload` behind a correct header: what the fuzzers and
/// the damage tests use to reach the decoder and the load checks with arbitrary bytes
/// that pass the checksums.
#[cfg(feature = "fuzzing")]
pub(crate) fn seal(payload: &[u8]) -> Vec<u8> {
    let mut file = header(payload.len() as u64, crc32fast::hash(payload)).to_vec();
    file.extend_from_slice(payload);
    file
}

/// A writer that counts and checksums what passes through it.
#[cfg(feature = "fuzzing")]
struct Checksummed<'a, W> {
    inner: &'a mut W,
    hasher: crc32fast::Hasher,
    len: u64,
}

#[cfg(feature = "fuzzing")]
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
