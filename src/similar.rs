//! How alike two names are, across case, spacing, accents and scripts: the folded form
//! of a name (Latin letters and digits only, Cyrillic transliterated, spelling variants
//! of transliterations made one), a similarity of folded forms, and an index that finds
//! the names within a spelling slip of a given one without comparing it to every name.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// A name folded for comparison: accents dropped, lowercase, Cyrillic written in Latin
/// letters, spaces and punctuation removed, and the letters transliterations disagree
/// on made one (y and j as i, kh as h, w as v, ph as f, doubled letters single), so
/// that Naryshkin, Narishkin, NARYSHKIN and Нарышкин fold alike.
pub fn fold(name: &str) -> String {
    let mut latin = String::with_capacity(name.len());
    for c in name.nfkd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        for lower in c.to_lowercase() {
            match cyrillic(lower) {
                Some(text) => latin.push_str(text),
                None if lower.is_alphanumeric() => latin.push(lower),
                None => {}
            }
        }
    }
    let latin = latin
        .replace("kh", "h")
        .replace("ph", "f")
        .replace("ck", "k")
        .replace('x', "ks");
    let mut folded = String::with_capacity(latin.len());
    for c in latin.chars() {
        let c = match c {
            'y' | 'j' => 'i',
            'w' => 'v',
            c => c,
        };
        if !folded.ends_with(c) {
            folded.push(c);
        }
    }
    folded
}

/// The Latin letters of a Cyrillic lowercase letter (a common Russian and Ukrainian
/// romanisation), or `None` for any other character.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'й' => "i",
        'ї' => "yi",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// How alike two folded names are, from 0 to 1: one minus their edit distance (with
/// transpositions) over the longer length.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    strsim::normalized_damerau_levenshtein(a, b)
}

/// The words of a name, folded, for matching "Putin" against "Vladimir Putin".
pub fn words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '.' || c == ',')
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Folded names indexed by their one-letter deletions (and themselves), so that two
/// names within two edits of each other (a deletion on each side: a slip, a swap or a
/// different letter) share a key; and by their words, so that a name that is one of
/// another's words is found too.
#[derive(Debug, Default)]
pub struct NameIndex<T> {
    keys: HashMap<String, Vec<T>>,
}

/// Names shorter than this (folded) are matched exactly only: "Li" and "Lu" are not
/// slips of each other.
const SHORTEST_FUZZY: usize = 4;

impl<T: Copy + PartialEq> NameIndex<T> {
    pub fn new() -> NameIndex<T> {
        NameIndex {
            keys: HashMap::new(),
        }
    }

    /// Indexes `name` (not folded yet) for `item`.
    pub fn insert(&mut self, name: &str, item: T) {
        for key in keys(name) {
            let items = self.keys.entry(key).or_default();
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }

    /// The items whose names may be close to `name`: a superset of those within two
    /// edits (folded) or sharing a whole word with it, each once.
    pub fn candidates(&self, name: &str) -> Vec<T> {
        let mut found: Vec<T> = Vec::new();
        for key in keys(name) {
            for &item in self.keys.get(&key).into_iter().flatten() {
                if !found.contains(&item) {
                    found.push(item);
                }
            }
        }
        found
    }

    /// Every key with more than one item: the groups of items that may be alike.
    pub fn groups(&self) -> impl Iterator<Item = &[T]> {
        self.keys
            .values()
            .filter(|items| items.len() > 1)
            .map(Vec::as_slice)
    }
}

/// The index keys of a name: its folded form, its one-letter deletions when long
/// enough, and its folded words of four letters or more (marked apart).
fn keys(name: &str) -> Vec<String> {
    let folded = fold(name);
    let mut keys = vec![folded.clone()];
    let chars: Vec<char> = folded.chars().collect();
    if chars.len() >= SHORTEST_FUZZY {
        for i in 0..chars.len() {
            let deleted: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
            keys.push(deleted);
        }
    }
    for word in words(name) {
        if word.chars().count() >= SHORTEST_FUZZY {
            keys.push(format!(" {word}"));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterations_and_spellings_fold_alike() {
        for name in [
            "Naryshkin",
            "Narishkin",
            "NARYSHKIN",
            "Нарышкин",
            " Nary shkin ",
        ] {
            assert_eq!(fold(name), "narishkin", "{name}");
        }
        assert_eq!(fold("Khodorkovsky"), fold("Ходорковский"));
        assert_eq!(fold("Zelensky"), fold("Зеленский"));
        assert_eq!(fold("Tsahkna"), "tsahkna");
        assert_eq!(fold("Señor Müller"), "senormuler");
    }

    #[test]
    fn similarity_is_one_for_equal_and_falls_with_edits() {
        assert_eq!(similarity("putin", "putin"), 1.0);
        assert!(similarity("narishkin", "narshkin") > 0.85);
        assert!(similarity("putin", "trump") < 0.3);
    }

    #[test]
    fn the_index_finds_slips_swaps_and_words() {
        let mut index = NameIndex::new();
        for (i, name) in ["Naryshkin", "Ratcliffe", "Vladimir Putin", "Li"]
            .iter()
            .enumerate()
        {
            index.insert(name, i);
        }
        assert_eq!(index.candidates("Naryshkn"), vec![0]);
        assert_eq!(index.candidates("Ratclifef"), vec![1]);
        assert_eq!(index.candidates("Нарышкин"), vec![0]);
        assert_eq!(index.candidates("Putin Vladimir"), vec![2]);
        assert!(index.candidates("Lu").is_empty());
        assert!(index.candidates("Trump").is_empty());
    }
}
