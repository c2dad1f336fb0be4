//! The bincode encoding of every file kg writes, and decoding with a memory limit in
//! proportion to the bytes decoded, so that a forged length inside a checksummed
//! payload cannot ask for gigabytes.

/// The most memory decoding may claim, by the size of what is decoded: at least 8
/// times the bytes, and never more than 64 GiB.
const DECODE_LIMITS: [(usize, usize); 4] = [
    (1 << 20, 8 << 20),
    (64 << 20, 512 << 20),
    (1 << 30, 8 << 30),
    (usize::MAX, 64 << 30),
];

/// The bincode configuration of every file kg writes.
pub(super) fn config() -> impl bincode::config::Config {
    bincode::config::standard()
}

/// Decodes `bytes` with a memory limit in proportion to their length; returns the value
/// and the number of bytes it used.
pub(super) fn decode_limited<T: serde::de::DeserializeOwned>(
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
