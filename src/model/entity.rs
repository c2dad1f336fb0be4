//! Entities: the actors of the graph (people, organisations, countries, places, media,
//! multi-party events).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A stable entity id: it does not change when other entities are removed, nor across
/// save and reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Person,
    Organization,
    Country,
    Place,
    Media,
    Event,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Person,
        Kind::Organization,
        Kind::Country,
        Kind::Place,
        Kind::Media,
        Kind::Event,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Country => "country",
            Kind::Place => "place",
            Kind::Media => "media",
            Kind::Event => "event",
            Kind::Other => "other",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    /// Accepts the kind names and `org` for organization, in any case.
    fn from_str(s: &str) -> Result<Kind, String> {
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "org" | "organisation" => return Ok(Kind::Organization),
            _ => {}
        }
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == lower)
            .ok_or_else(|| {
                format!("unknown kind '{s}': expected person, organization (org), country, place, media, event or other")
            })
    }
}

/// Keys an entity's own fields use in every format, so no property may take them.
pub const ENTITY_RESERVED_KEYS: [&str; 4] = ["id", "name", "kind", "aliases"];

/// An actor: a canonical name, a kind, aliases in any script and free properties.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
    pub kind: Kind,
    pub aliases: Vec<String>,
    /// Key-value properties, sorted by key, keys unique.
    pub properties: Vec<(String, String)>,
}

impl Entity {
    /// An entity named `name` (stored clean: trimmed, NFC).
    pub fn new(name: impl Into<String>, kind: Kind) -> Entity {
        Entity {
            name: clean_name(&name.into()),
            kind,
            aliases: Vec::new(),
            properties: Vec::new(),
        }
    }

    /// The value of a property.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.properties[i].1.as_str())
    }

    /// Sets a property, keeping the list sorted; returns the value it replaced.
    pub fn set_property(&mut self, key: String, value: String) -> Option<String> {
        match self
            .properties
            .binary_search_by(|(k, _)| k.as_str().cmp(&key))
        {
            Ok(i) => Some(std::mem::replace(&mut self.properties[i].1, value)),
            Err(i) => {
                self.properties.insert(i, (key, value));
                None
            }
        }
    }

    /// Adds an alias unless the entity already goes by it (as its name or an alias, in
    /// any case: names resolve case-insensitively).
    pub fn add_alias(&mut self, alias: String) -> bool {
        let alias = clean_name(&alias);
        let key = name_key(&alias);
        if name_key(&self.name) == key || self.aliases.iter().any(|a| name_key(a) == key) {
            return false;
        }
        self.aliases.push(alias);
        true
    }
}

/// Names and aliases resolve with surrounding spaces, Unicode form (NFC) and case
/// aside: the key they are compared and indexed by.
pub fn name_key(name: &str) -> String {
    let name = name.trim();
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    clean_name(name).to_lowercase()
}

/// A name as it is stored: without surrounding spaces, in Unicode's composed form
/// (NFC), so that "Nary\u{0161}kin" typed as `s` + combining caron is the same name.
pub fn clean_name(name: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, is_nfc_quick};
    let name = name.trim();
    if name.is_ascii() || is_nfc_quick(name.chars()) == unicode_normalization::IsNormalized::Yes {
        name.to_string()
    } else {
        name.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_trimmed_composed_and_caseless() {
        assert_eq!(name_key(" Naryshkin "), "naryshkin");
        // š precomposed and as s + combining caron.
        assert_eq!(name_key("Nary\u{161}kin"), name_key("Narys\u{30c}kin"));
        assert_eq!(clean_name(" Narys\u{30c}kin\t"), "Nary\u{161}kin");
        assert_eq!(name_key("НАРЫШКИН"), "нарышкин");
        let mut e = Entity::new("  Putin ", Kind::Person);
        assert_eq!(e.name, "Putin");
        assert!(e.add_alias(" Vladimir Putin".into()));
        assert!(!e.add_alias("vladimir putin ".into()));
        assert_eq!(e.aliases, vec!["Vladimir Putin"]);
    }
}
