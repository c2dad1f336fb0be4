//! Arrays read in place: bytes that stay put while the store reads them (a
//! memory-mapped database file, or an aligned buffer), viewed as fixed-width
//! little-endian arrays without being copied or decoded, and tables of texts.

use std::ops::Deref;
use std::sync::Arc;

use bytemuck::Pod;

#[cfg(target_endian = "big")]
compile_error!(
    "kg's database file holds little-endian arrays that it reads in place: big-endian machines are not supported"
);

/// Bytes that stay put and unchanged while anything reads them.
pub type Backing = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A range of a backing's bytes.
#[derive(Clone)]
pub struct Bytes {
    backing: Backing,
    start: usize,
    len: usize,
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({} at {})", self.len, self.start)
    }
}

/// A buffer of bytes aligned for every array a store reads.
struct Aligned {
    words: Vec<u64>,
    len: usize,
}

impl AsRef<[u8]> for Aligned {
    fn as_ref(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.words)[..self.len]
    }
}

/// `bytes` copied into a buffer aligned for every array a store reads.
pub fn aligned(bytes: &[u8]) -> Backing {
    let mut words = vec![0u64; bytes.len().div_ceil(8)];
    bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
    Arc::new(Aligned {
        words,
        len: bytes.len(),
    })
}

impl Bytes {
    /// `len` bytes of `backing` from `start`, if it holds them.
    pub fn new(backing: Backing, start: usize, len: usize) -> Option<Bytes> {
        let end = start.checked_add(len)?;
        ((*backing).as_ref().len() >= end).then_some(Bytes {
            backing,
            start,
            len,
        })
    }

    /// `bytes` copied into an aligned buffer of their own.
    #[cfg(test)]
    pub fn copied(bytes: &[u8]) -> Bytes {
        Bytes {
            backing: aligned(bytes),
            start: 0,
            len: bytes.len(),
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        &(*self.backing).as_ref()[self.start..self.start + self.len]
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The bytes `from..from + len` of these, if they hold them.
    pub fn part(&self, from: usize, len: usize) -> Option<Bytes> {
        let end = from.checked_add(len)?;
        (end <= self.len).then(|| Bytes {
            backing: self.backing.clone(),
            start: self.start + from,
            len,
        })
    }
}

/// An array of `T`, owned or read in place from bytes.
#[derive(Clone)]
pub enum Column<T> {
    Owned(Vec<T>),
    /// Bytes checked to be aligned for `T` and a whole number of `T`s.
    InPlace(Bytes),
}

impl<T> Default for Column<T> {
    fn default() -> Column<T> {
        Column::Owned(Vec::new())
    }
}

impl<T> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Owned(v) => write!(f, "Column(owned, {})", v.len()),
            Column::InPlace(b) => write!(f, "Column(in place, {b:?})"),
        }
    }
}

impl<T: Pod> Column<T> {
    /// The array `bytes` hold, or why they cannot hold one.
    pub fn in_place(bytes: Bytes) -> Result<Column<T>, String> {
        bytemuck::try_cast_slice::<u8, T>(bytes.as_slice())
            .map_err(|e| format!("an array of {}-byte values: {e}", size_of::<T>()))?;
        Ok(Column::InPlace(bytes))
    }
}

impl<T: Pod> Deref for Column<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Column::Owned(v) => v,
            // Checked when made (`in_place`): aligned, a whole number of values.
            Column::InPlace(b) => bytemuck::cast_slice(b.as_slice()),
        }
    }
}

/// The bytes of an array, for writing.
pub fn bytes_of<T: Pod>(values: &[T]) -> &[u8] {
    bytemuck::cast_slice(values)
}

/// A table of texts by number: `[count: u64][offsets: (count + 1) × u64][bytes]`.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    offsets: Column<u64>,
    bytes: Option<Bytes>,
}

impl Texts {
    /// The table `bytes` hold, its offsets checked to be in order and in range.
    pub fn read(bytes: &Bytes) -> Result<Texts, String> {
        let head = bytes
            .part(0, 8)
            .ok_or("a table of texts without its count")?;
        let count = u64::from_le_bytes(head.as_slice().try_into().map_err(|_| "a count")?);
        let offsets_len = usize::try_from(count)
            .ok()
            .and_then(|n| n.checked_add(1)?.checked_mul(8))
            .ok_or("a table of texts with an impossible count")?;
        let offsets = bytes
            .part(8, offsets_len)
            .ok_or_else(|| format!("a table of {count} texts cut short"))?;
        let offsets: Column<u64> = Column::in_place(offsets)?;
        let text_bytes = bytes
            .part(8 + offsets_len, bytes.len() - 8 - offsets_len)
            .ok_or("a table of texts cut short")?;
        let in_order = offsets.first() == Some(&0)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.last() == Some(&(text_bytes.len() as u64));
        if !in_order {
            return Err("a table of texts whose offsets are out of order".into());
        }
        Ok(Texts {
            offsets,
            bytes: Some(text_bytes),
        })
    }

    /// How many texts the table holds.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The bytes of text `i`.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let (start, end) = (*self.offsets.get(i)?, *self.offsets.get(i + 1)?);
        self.bytes
            .as_ref()?
            .as_slice()
            .get(start as usize..end as usize)
    }

    /// Text `i` as a string (`None` out of range or not UTF-8).
    pub fn str(&self, i: usize) -> Option<&str> {
        std::str::from_utf8(self.get(i)?).ok()
    }

    /// The bytes of the table of `texts`.
    pub fn encode<'a>(texts: impl ExactSizeIterator<Item = &'a [u8]> + Clone) -> Vec<u8> {
        let total: usize = texts.clone().map(<[u8]>::len).sum();
        let mut out = Vec::with_capacity(8 * (texts.len() + 2) + total);
        out.extend_from_slice(&(texts.len() as u64).to_le_bytes());
        let mut offset = 0u64;
        out.extend_from_slice(&offset.to_le_bytes());
        for text in texts.clone() {
            offset += text.len() as u64;
            out.extend_from_slice(&offset.to_le_bytes());
        }
        for text in texts {
            out.extend_from_slice(text);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_and_damage_is_refused() {
        let texts: Vec<&[u8]> = vec![b"Naryshkin", b"", "Нарышкин".as_bytes()];
        let bytes = Texts::encode(texts.iter().copied());
        let table = Texts::read(&Bytes::copied(&bytes)).unwrap();
        assert_eq!(table.len(), 3);
        assert_eq!(table.str(0), Some("Naryshkin"));
        assert_eq!(table.str(1), Some(""));
        assert_eq!(table.str(2), Some("Нарышкин"));
        assert_eq!(table.get(3), None);
        for cut in 0..bytes.len() {
            assert!(Texts::read(&Bytes::copied(&bytes[..cut])).is_err(), "{cut}");
        }
        let mut bad = bytes.clone();
        bad[16] = 0xff; // the second offset past the end
        assert!(Texts::read(&Bytes::copied(&bad)).is_err());
    }

    #[test]
    fn columns_read_in_place_only_whole_values() {
        let values = [1u32, 2, 3];
        let bytes = Bytes::copied(bytes_of(&values));
        let column: Column<u32> = Column::in_place(bytes.clone()).unwrap();
        assert_eq!(&*column, &values);
        assert!(Column::<u32>::in_place(bytes.part(0, 5).unwrap()).is_err());
        assert!(Column::<u32>::in_place(bytes.part(1, 4).unwrap()).is_err());
    }
}
