//! The database file of format 7 (6, without the lists' order by other end, and 5,
//! whose relations held their own types and dates): a header, a table of sections, and the sections, each with its own checksum. The store reads its arrays in place from the memory-mapped
//! file (see `store::frozen`); only the small head (types, kinds, history) is decoded.
//!
//! ```text
//! offset  size  field
//!      0     8  magic  89 'K' 'G' 'D' 'B' 0D 0A 1A
//!      8     4  format version 7 (u32, little-endian, as every number here)
//!     12     4  flags (zero)
//!     16     8  length of the table in bytes (32 per section)
//!     24     4  CRC-32 of the table
//!     28     4  CRC-32 of bytes 0..28
//!     32     …  the table, one entry per section:
//!               number (u32; 256 is the head), zero (u32), offset (u64), length (u64),
//!               CRC-32 of the section (u32), zero (u32)
//!      …     …  the sections in table order, each at a multiple of 64, zero bytes
//!               between them; the file ends where the last one does
//! ```
//!
//! Opening checks the header, the table, every section's checksum and that every byte
//! between sections is zero, so that no flipped or missing byte goes unnoticed; then
//! the shapes of the arrays. The file is never written in place: a save writes a new
//! file and renames it over the old one, so a mapping stays valid while it is read.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use super::codec::{config, decode_limited};
use super::error::{StorageError, damaged, io_error};
use super::header::{HEADER_LEN, MAGIC, SnapshotId};
use crate::store::Store;
use crate::store::columns::{Backing, Bytes};
use crate::store::frozen::Section;
use crate::store::snapshot::FrozenHead;

/// The format version of these files.
pub const VERSION: u32 = crate::store::frozen::VERSION;
/// The versions of this layout read in place: 5 held relations' types and dates by id
/// (converted in memory when read).
pub const READS: std::ops::RangeInclusive<u32> = 5..=VERSION;
/// The table number of the head: the bincode of the small values.
const HEAD: u32 = 256;
const ENTRY_LEN: usize = 32;
/// Every section starts at a multiple of this.
const ALIGN: usize = 64;

/// A section as the table lists it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    number: u32,
    offset: u64,
    len: u64,
    crc: u32,
}

/// Writes `store` as a file of generation `generation` into `out`.
pub(super) fn write_to<W: Write>(
    path: &Path,
    store: &Store,
    generation: u64,
    out: &mut W,
) -> Result<SnapshotId, StorageError> {
    let head = bincode::serde::encode_to_vec(store.frozen_head(generation), config())
        .map_err(|e| io_error(path)(io::Error::other(e.to_string())))?;
    let sections = store
        .frozen_sections()
        .map_err(|e| damaged(path, format!("cannot be written: {e}")))?;
    let parts: Vec<(u32, &[u8])> = std::iter::once((HEAD, head.as_slice()))
        .chain(sections.parts().into_iter().map(|(s, b)| (s.number(), b)))
        .collect();
    let table_len = parts.len() * ENTRY_LEN;
    let mut offset = (HEADER_LEN + table_len).next_multiple_of(ALIGN);
    let mut table = Vec::with_capacity(table_len);
    for (number, bytes) in &parts {
        table.extend_from_slice(&number.to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        table.extend_from_slice(&(offset as u64).to_le_bytes());
        table.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        table.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        offset = (offset + bytes.len()).next_multiple_of(ALIGN);
    }
    let table_crc = crc32fast::hash(&table);
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&VERSION.to_le_bytes());
    header[16..24].copy_from_slice(&(table_len as u64).to_le_bytes());
    header[24..28].copy_from_slice(&table_crc.to_le_bytes());
    let header_crc = crc32fast::hash(&header[..28]);
    header[28..32].copy_from_slice(&header_crc.to_le_bytes());
    let mut write = |bytes: &[u8]| out.write_all(bytes).map_err(io_error(path));
    write(&header)?;
    write(&table)?;
    let mut written = HEADER_LEN + table.len();
    for (_, bytes) in &parts {
        let padding = written.next_multiple_of(ALIGN) - written;
        write(&[0u8; ALIGN][..padding])?;
        write(bytes)?;
        written += padding + bytes.len();
    }
    Ok(SnapshotId {
        generation,
        len: written as u64,
        crc: table_crc,
    })
}

/// Rewrites every checksum of a file of this format that its table lets it find, so
/// that damaged bytes reach the readers behind the checksums (for the fuzzers).
#[cfg(feature = "fuzzing")]
pub(crate) fn reseal(bytes: &mut [u8]) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    let table_len = u64::from_le_bytes(bytes[16..24].try_into().unwrap_or_default());
    let Some(table_end) = (HEADER_LEN as u64)
        .checked_add(table_len)
        .filter(|&end| end <= bytes.len() as u64)
    else {
        return;
    };
    for at in (HEADER_LEN..table_end as usize).step_by(ENTRY_LEN) {
        let Some(entry) = bytes.get(at..at + ENTRY_LEN) else {
            break;
        };
        let offset = u64::from_le_bytes(entry[8..16].try_into().unwrap_or_default());
        let len = u64::from_le_bytes(entry[16..24].try_into().unwrap_or_default());
        let Some(section) = offset
            .checked_add(len)
            .and_then(|end| bytes.get(offset as usize..end as usize))
        else {
            continue;
        };
        let crc = crc32fast::hash(section);
        bytes[at + 24..at + 28].copy_from_slice(&crc.to_le_bytes());
    }
    let crc = crc32fast::hash(&bytes[HEADER_LEN..table_end as usize]);
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
    let crc = crc32fast::hash(&bytes[..28]);
    bytes[28..32].copy_from_slice(&crc.to_le_bytes());
}

/// The CRC-32 of `bytes`, a large run's two halves on two cores (checking a file of
/// hundreds of megabytes is most of what opening it costs).
fn checksum(bytes: &[u8]) -> u32 {
    const SPLIT_FROM: usize = 4 << 20;
    if bytes.len() < SPLIT_FROM {
        return crc32fast::hash(bytes);
    }
    let (first, second) = bytes.split_at(bytes.len() / 2);
    let hash = |part: &[u8]| {
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(part);
        hasher
    };
    std::thread::scope(|scope| {
        let later = scope.spawn(|| hash(second));
        let mut hasher = hash(first);
        // A thread that cannot be joined leaves a checksum that cannot match.
        match later.join() {
            Ok(later) => {
                hasher.combine(&later);
                hasher.finalize()
            }
            Err(_) => !crc32fast::hash(bytes),
        }
    })
}

/// Maps the database file `file` (at `path`) and reads the store in place.
pub(super) fn load(
    path: &Path,
    file: &File,
    version: u32,
) -> Result<(Store, SnapshotId), StorageError> {
    // SAFETY: kg never writes a database file in place (a save renames a new file over
    // it), so the mapped bytes do not change while the store reads them. Another
    // program writing into the file meanwhile is outside kg's contract, as it is for
    // every database that maps its files.
    let map = unsafe { memmap2::Mmap::map(file) }.map_err(io_error(path))?;
    read(path, Arc::new(map), version)
}

/// Reads the store in place from `backing`, the bytes of a file of this format.
pub(super) fn read(
    path: &Path,
    backing: Backing,
    version: u32,
) -> Result<(Store, SnapshotId), StorageError> {
    let bytes = (*backing).as_ref();
    let u32_at =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let u64_at = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(b)
    };
    // The caller checked magic, header checksum, version and flags.
    let table_len = u64_at(16);
    let table_end = (HEADER_LEN as u64)
        .checked_add(table_len)
        .filter(|&end| end <= bytes.len() as u64 && table_len % ENTRY_LEN as u64 == 0)
        .ok_or_else(|| {
            damaged(
                path,
                format!("truncated: the table of {table_len} bytes does not fit"),
            )
        })? as usize;
    let table = &bytes[HEADER_LEN..table_end];
    if crc32fast::hash(table) != u32_at(24) {
        return Err(damaged(path, "the table checksum does not match"));
    }
    let entries: Vec<Entry> = (0..table.len() / ENTRY_LEN)
        .map(|i| HEADER_LEN + i * ENTRY_LEN)
        .map(|at| Entry {
            number: u32_at(at),
            offset: u64_at(at + 8),
            len: u64_at(at + 16),
            crc: u32_at(at + 24),
        })
        .collect();
    if (0..entries.len()).any(|i| {
        u32_at(HEADER_LEN + i * ENTRY_LEN + 4) != 0 || u32_at(HEADER_LEN + i * ENTRY_LEN + 28) != 0
    }) {
        return Err(damaged(path, "the table holds unknown fields"));
    }
    // Sections in order, each at a multiple of ALIGN, zeros between, the file ending
    // at the last one's end.
    let mut end = table_end as u64;
    for entry in &entries {
        let fits = entry.offset % ALIGN as u64 == 0
            && entry.offset >= end
            && entry.offset - end < ALIGN as u64
            && entry
                .offset
                .checked_add(entry.len)
                .is_some_and(|e| e <= bytes.len() as u64);
        if !fits {
            return Err(damaged(
                path,
                format!(
                    "truncated or misplaced: section {} does not fit the file",
                    entry.number
                ),
            ));
        }
        if bytes[end as usize..entry.offset as usize]
            .iter()
            .any(|&b| b != 0)
        {
            return Err(damaged(path, "bytes between sections are not zero"));
        }
        end = entry.offset + entry.len;
    }
    if end != bytes.len() as u64 {
        return Err(damaged(
            path,
            format!("{} bytes follow the last section", bytes.len() as u64 - end),
        ));
    }
    let section_bytes =
        |entry: &Entry| &bytes[entry.offset as usize..(entry.offset + entry.len) as usize];
    for entry in &entries {
        if checksum(section_bytes(entry)) != entry.crc {
            let name = Section::from_number(entry.number).map_or("head", Section::name);
            return Err(damaged(
                path,
                format!("the checksum of the {name} section does not match"),
            ));
        }
    }
    let mut numbers: Vec<u32> = entries.iter().map(|e| e.number).collect();
    numbers.sort_unstable();
    if numbers.windows(2).any(|w| w[0] == w[1]) {
        return Err(damaged(path, "a section is listed twice"));
    }
    let head = entries
        .iter()
        .find(|e| e.number == HEAD)
        .ok_or_else(|| damaged(path, "no head section"))?;
    if let Some(e) = entries
        .iter()
        .find(|e| e.number != HEAD && Section::from_number(e.number).is_none())
    {
        return Err(damaged(path, format!("unknown section {}", e.number)));
    }
    let (head_value, used) = decode_limited::<FrozenHead>(section_bytes(head))
        .map_err(|e| damaged(path, format!("the head does not decode: {e}")))?;
    if used as u64 != head.len {
        return Err(damaged(path, "bytes follow the head"));
    }
    let section = |s: Section| {
        let e = entries.iter().find(|e| e.number == s.number())?;
        Bytes::new(backing.clone(), e.offset as usize, e.len as usize)
    };
    let store = Store::from_frozen(head_value, version, section).map_err(|problems| {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more problems)", n - 1),
        };
        damaged(path, format!("{}{more}", problems[0]))
    })?;
    let id = SnapshotId {
        generation: store.generation(),
        len: bytes.len() as u64,
        crc: u32_at(24),
    };
    Ok((store, id))
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn a_checksum_in_two_halves_is_the_checksum_of_the_whole() {
        for len in [0, 5, (4 << 20) - 1, 4 << 20, (9 << 20) + 3] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 3) as u8).collect();
            assert_eq!(checksum(&bytes), crc32fast::hash(&bytes), "{len} bytes");
        }
    }
}
