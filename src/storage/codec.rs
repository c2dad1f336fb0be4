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
    // panic is caught, and not reported while this thread decodes.
    let decoded = silenced(|| std::panic::catch_unwind(|| decode_within_limits(bytes)));
    decoded.unwrap_or(Err(bincode::error::DecodeError::Other(
        "its graph structure is inconsistent",
    )))
}

thread_local! {
    /// Whether this thread is decoding, so that a panic here is damage to report as an
    /// error, not a crash to print.
    static DECODING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` with panics on this thread kept quiet. The panic hook is wrapped once per
/// process: the wrapper stays silent on a decoding thread and hands every other panic
/// to the hook that was there before, so no other thread's panic is hidden.
fn silenced<T>(work: impl FnOnce() -> T) -> T {
    static WRAPPED: std::sync::Once = std::sync::Once::new();
    WRAPPED.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !DECODING.with(std::cell::Cell::get) {
                before(info);
            }
        }));
    });
    let was = DECODING.with(|d| d.replace(true));
    let result = work();
    DECODING.with(|d| d.set(was));
    result
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
