//! The lexicon: which words propose which relation type (triggers), which titles give
//! roles, and the declarations of the types it proposes. The default ships with kg
//! (`lexicon.txt`, which documents the format); a user's adds to it or removes from it.
//!
//! Words are compared by stem (Snowball's English stemmer) after irregular forms are
//! brought back to their lemma, so one entry finds every inflection.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use crate::store::Store;

/// The lexicon kg ships with.
pub const DEFAULT: &str = include_str!("lexicon.txt");

/// A relation type a lexicon proposes, with its `.kg` declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeEntry {
    pub name: String,
    pub symmetric: bool,
    /// The declaration line, as a .kg file writes it.
    pub declaration: String,
}

/// A trigger: the stems of its words, and the type it proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub stems: Vec<String>,
    pub type_name: String,
    /// The trigger as written in the lexicon.
    pub text: String,
}

/// A lexicon: types, triggers and role titles.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub types: Vec<TypeEntry>,
    pub triggers: Vec<Trigger>,
    /// Title stems (one or two words) and the type the bearer gets.
    pub roles: Vec<(Vec<String>, String)>,
}

/// A line of a lexicon that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub line: usize,
    pub reason: String,
}

impl Lexicon {
    /// The lexicon kg ships with.
    pub fn default_lexicon() -> Lexicon {
        let mut lexicon = Lexicon::default();
        // The shipped lexicon is tested to read without error.
        let _ = lexicon.add(DEFAULT);
        lexicon
    }

    /// Adds a lexicon's lines to this one (a later type declaration replaces an
    /// earlier one of the same name; `-trigger` removes a trigger).
    pub fn add(&mut self, text: &str) -> Result<(), LexiconError> {
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let error = |reason: String| LexiconError {
                line: n + 1,
                reason,
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("type ") {
                let mut words = rest.split_whitespace();
                let name = words.next().unwrap_or_default().to_string();
                let symmetric = match words.next() {
                    Some("symmetric") => true,
                    Some("directed") => false,
                    _ => {
                        return Err(error(format!(
                            "type {name}: expected `directed` or `symmetric` after the name"
                        )));
                    }
                };
                self.types.retain(|t| t.name != name);
                self.types.push(TypeEntry {
                    name,
                    symmetric,
                    declaration: line.to_string(),
                });
                continue;
            }
            if let Some(rest) = line.strip_prefix("role ") {
                let (title, type_name) = rest
                    .split_once(':')
                    .ok_or_else(|| error("expected `role TITLE: TYPE`".to_string()))?;
                let type_name = type_name.trim().to_string();
                let stems = stems_of(title);
                if stems.is_empty() || type_name.is_empty() {
                    return Err(error("expected `role TITLE: TYPE`".to_string()));
                }
                self.roles.retain(|(s, _)| *s != stems);
                self.roles.push((stems, type_name));
                continue;
            }
            let (type_name, list) = line.split_once(':').ok_or_else(|| {
                error("expected `TYPE: trigger, trigger`, `type ...` or `role ...`".to_string())
            })?;
            let type_name = type_name.trim();
            if type_name.is_empty() || type_name.contains(char::is_whitespace) {
                return Err(error(format!("{type_name:?} is not a relation type name")));
            }
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (remove, item) = match item.strip_prefix('-') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, item),
                };
                let stems = stems_of(item);
                if stems.is_empty() {
                    continue;
                }
                // A later line decides what a trigger proposes (a user's lexicon over
                // kg's).
                self.triggers.retain(|t| t.stems != stems);
                if !remove {
                    self.triggers.push(Trigger {
                        stems,
                        type_name: type_name.to_string(),
                        text: item.to_string(),
                    });
                }
            }
        }
        let known: Vec<&str> = self.types.iter().map(|t| t.name.as_str()).collect();
        if let Some(t) = self
            .triggers
            .iter()
            .map(|t| &t.type_name)
            .chain(self.roles.iter().map(|(_, t)| t))
            .find(|t| !known.contains(&t.as_str()))
        {
            return Err(LexiconError {
                line: 0,
                reason: format!("triggers for {t}, which no `type {t} ...` line declares"),
            });
        }
        Ok(())
    }

    /// The type named `name`.
    pub fn type_entry(&self, name: &str) -> Option<&TypeEntry> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Whether the type `name` is symmetric: as `store` declares it, or else as this
    /// lexicon does.
    pub fn is_symmetric(&self, store: &Store, name: &str) -> bool {
        match store.types().iter().find(|t| t.name == name) {
            Some(t) => t.symmetric,
            None => self.type_entry(name).is_some_and(|t| t.symmetric),
        }
    }

    /// The triggers by their first stem, for matching.
    pub fn by_first_stem(&self) -> HashMap<&str, Vec<&Trigger>> {
        let mut map: HashMap<&str, Vec<&Trigger>> = HashMap::new();
        for t in &self.triggers {
            map.entry(t.stems[0].as_str()).or_default().push(t);
        }
        for list in map.values_mut() {
            list.sort_by_key(|t| std::cmp::Reverse(t.stems.len()));
        }
        map
    }
}

/// The stems of a phrase's words.
pub fn stems_of(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| stem(&w.to_lowercase()))
        .collect()
}

/// A word's stem, irregular forms first brought back to their lemma ("met" is
/// "meet", "spoke" is "speak").
pub fn stem(word: &str) -> String {
    thread_local! {
        static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
    }
    let lemma = IRREGULAR
        .iter()
        .find(|(form, _)| *form == word)
        .map_or(word, |(_, lemma)| lemma);
    let mut stem = STEMMER.with(|s| s.stem(lemma).into_owned());
    // Snowball undoubles a final consonant only after it removes an ending ("rebuffed"
    // is "rebuf", "rebuff" stays): undouble it always, so both forms meet.
    let bytes = stem.as_bytes();
    if let [.., a, b] = bytes
        && a == b
        && b"bdfgmnprt".contains(b)
    {
        stem.pop();
    }
    stem
}

/// Irregular verb forms and their lemmas: the verbs news uses of contacts, talks,
/// deals and conflict.
const IRREGULAR: &[(&str, &str)] = &[
    ("met", "meet"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("held", "hold"),
    ("told", "tell"),
    ("said", "say"),
    ("says", "say"),
    ("sought", "seek"),
    ("fought", "fight"),
    ("led", "lead"),
    ("sent", "send"),
    ("gave", "give"),
    ("given", "give"),
    ("made", "make"),
    ("took", "take"),
    ("taken", "take"),
    ("saw", "see"),
    ("seen", "see"),
    ("went", "go"),
    ("gone", "go"),
    ("came", "come"),
    ("began", "begin"),
    ("begun", "begin"),
    ("struck", "strike"),
    ("wrote", "write"),
    ("written", "write"),
    ("broke", "break"),
    ("broken", "break"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("brought", "bring"),
    ("bought", "buy"),
    ("sold", "sell"),
    ("thought", "think"),
    ("paid", "pay"),
    ("won", "win"),
    ("lost", "lose"),
    ("shot", "shoot"),
    ("kept", "keep"),
    ("left", "leave"),
    ("sat", "sit"),
    ("stood", "stand"),
    ("beaten", "beat"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("swore", "swear"),
    ("sworn", "swear"),
    ("withdrew", "withdraw"),
    ("withdrawn", "withdraw"),
    ("undertook", "undertake"),
    ("overtook", "overtake"),
    ("rang", "ring"),
    ("rung", "ring"),
    ("hung", "hang"),
    ("meant", "mean"),
    ("heard", "hear"),
    ("understood", "understand"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("felt", "feel"),
    ("dealt", "deal"),
    ("slew", "slay"),
    ("bore", "bear"),
    ("borne", "bear"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_reads_and_declares_every_type_it_uses() {
        let mut lexicon = Lexicon::default();
        assert_eq!(lexicon.add(DEFAULT), Ok(()));
        assert!(lexicon.type_entry("phoned").is_some_and(|t| t.symmetric));
        assert!(
            lexicon
                .triggers
                .iter()
                .any(|t| t.stems == stems_of("held talks"))
        );
        assert!(
            lexicon
                .roles
                .iter()
                .any(|(s, t)| s == &["director"] && t == "heads")
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(stem("phoned"), stem("phone"));
        assert_eq!(stem("phoning"), stem("phone"));
        assert_eq!(stem("met"), stem("meet"));
        assert_eq!(stem("meetings"), stem("meeting"));
        assert_eq!(stems_of("held talks"), stems_of("hold talk"));
        for (word, form) in [
            ("rebuff", "rebuffed"),
            ("bluff", "bluffing"),
            ("snub", "snubbed"),
        ] {
            assert_eq!(stem(word), stem(form), "{form}");
        }
    }

    #[test]
    fn a_users_lines_add_and_remove() {
        let mut lexicon = Lexicon::default_lexicon();
        lexicon
            .add("type hailed directed \"Praise publicly\"\nhailed: hail\nmet: -summit")
            .unwrap();
        assert!(lexicon.triggers.iter().any(|t| t.type_name == "hailed"));
        assert!(
            !lexicon
                .triggers
                .iter()
                .any(|t| t.type_name == "met" && t.text == "summit")
        );
        let bad = lexicon.add("nonsense line").unwrap_err();
        assert_eq!(bad.line, 1);
        assert!(
            lexicon
                .add("ghost: boo")
                .unwrap_err()
                .reason
                .contains("no `type ghost")
        );
    }
}
