//! Interned strings: each distinct source, quote, property key or value is stored once
//! and relations refer to it by a four-byte [`Sym`].

use foldhash::{HashMap, HashMapExt};
use std::num::NonZeroU32;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A reference to an interned string. `Option<Sym>` is four bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sym(NonZeroU32);

impl Sym {
    fn index(self) -> usize {
        self.0.get() as usize - 1
    }

    /// The symbol's number (1 for the first string), as a file stores it.
    pub fn number(self) -> u32 {
        self.0.get()
    }

    /// The symbol numbered `number`, if it is one (0 is none).
    pub fn from_number(number: u32) -> Option<Sym> {
        NonZeroU32::new(number).map(Sym)
    }

    fn of_index(index: usize) -> Option<Sym> {
        u32::try_from(index + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .map(Sym)
    }
}

/// The table of interned strings. The reverse index (string to symbol) is only needed
/// by writers, so it is built on first use rather than at load.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Strings {
    list: Vec<String>,
    #[serde(skip)]
    index: OnceLock<HashMap<String, Sym>>,
}

impl Clone for Strings {
    fn clone(&self) -> Strings {
        Strings {
            list: self.list.clone(),
            index: OnceLock::new(),
        }
    }
}

impl PartialEq for Strings {
    fn eq(&self, other: &Strings) -> bool {
        self.list == other.list
    }
}

impl Strings {
    /// The string of a symbol. A symbol from another table, or out of range, reads as
    /// the empty string; [`Strings::contains`] tells which symbols are valid.
    pub fn get(&self, sym: Sym) -> &str {
        self.list.get(sym.index()).map_or("", String::as_str)
    }

    pub fn contains(&self, sym: Sym) -> bool {
        sym.index() < self.list.len()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The table holding `list`, in symbol order (strings read back from a file).
    pub fn from_list(list: Vec<String>) -> Strings {
        Strings {
            list,
            index: OnceLock::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The symbol of a string already in the table.
    pub fn find(&self, text: &str) -> Option<Sym> {
        self.reverse().get(text).copied()
    }

    /// The symbol of a string, adding it when new. `None` only when the table is full
    /// (four billion strings).
    pub fn intern(&mut self, text: &str) -> Option<Sym> {
        if let Some(sym) = self.find(text) {
            return Some(sym);
        }
        let sym = Sym::of_index(self.list.len())?;
        self.list.push(text.to_string());
        if let Some(index) = self.index.get_mut() {
            index.insert(text.to_string(), sym);
        }
        Some(sym)
    }

    /// Whether every string is stored once (an invariant `check` verifies).
    pub fn duplicates(&self) -> usize {
        // A temporary set of borrowed strings: the load checks this without building
        // the reverse index, which only writes need.
        let mut seen = std::collections::HashSet::with_capacity(self.list.len());
        self.list
            .iter()
            .filter(|s| !seen.insert(s.as_str()))
            .count()
    }

    fn reverse(&self) -> &HashMap<String, Sym> {
        self.index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.list.len());
            for (i, s) in self.list.iter().enumerate() {
                if let Some(sym) = Sym::of_index(i) {
                    index.entry(s.clone()).or_insert(sym);
                }
            }
            index
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_idempotent() {
        let mut strings = Strings::default();
        let a = strings.intern("Kyiv Independent").unwrap();
        let b = strings.intern("quote").unwrap();
        assert_ne!(a, b);
        assert_eq!(strings.intern("Kyiv Independent"), Some(a));
        assert_eq!(strings.get(b), "quote");
        assert_eq!(strings.len(), 2);
        assert_eq!(strings.duplicates(), 0);
    }
}
