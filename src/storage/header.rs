//! What every format of the database file shares, and what a journal names a snapshot
//! by.

/// The first eight bytes of every database file.
pub(super) const MAGIC: [u8; 8] = *b"\x89KGDB\r\n\x1a";
/// The header every format starts with: magic, version, flags, a length and checksums.
pub(super) const HEADER_LEN: usize = 32;

/// Which snapshot a journal extends: its generation, payload length and checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SnapshotId {
    pub generation: u64,
    pub len: u64,
    pub crc: u32,
}
