//! Entities: the actors of the graph (people, organisations, countries, places, media,
//! multi-party events).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A stable entity id: it does not change when other entities are removed, nor across
/// save and reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// What an entity is: one of the seven kinds kg draws with their own shapes and
/// colours, or any other kind a graph declares (`vessel`, `company` ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Person,
    Organization,
    Country,
    Place,
    Media,
    Event,
    Other,
    // Variants are only ever added at the end: files name them by position.
    /// A kind of the graph's own, by its name (lowercase).
    Custom(Box<str>),
}

/// The longest name of a kind.
const KIND_NAME_MAX: usize = 40;

/// Words no kind may be named, since `.kg` lines begin with them.
const RESERVED_KIND_NAMES: [&str; 3] = ["type", "kind", "aka"];

/// The node shapes Graphviz draws (its "polygon-based" shapes), as a kind may declare.
pub const GRAPHVIZ_SHAPES: [&str; 45] = [
    "record",
    "Mrecord",
    "box",
    "polygon",
    "ellipse",
    "oval",
    "circle",
    "point",
    "egg",
    "triangle",
    "plaintext",
    "plain",
    "diamond",
    "trapezium",
    "parallelogram",
    "house",
    "pentagon",
    "hexagon",
    "septagon",
    "octagon",
    "doublecircle",
    "doubleoctagon",
    "tripleoctagon",
    "invtriangle",
    "invtrapezium",
    "invhouse",
    "Mdiamond",
    "Msquare",
    "Mcircle",
    "rect",
    "rectangle",
    "square",
    "star",
    "none",
    "underline",
    "cylinder",
    "note",
    "tab",
    "folder",
    "box3d",
    "component",
    "promoter",
    "cds",
    "terminator",
    "signature",
];

impl KindDecl {
    /// Checks the style: a shape Graphviz knows, and a colour that is `#rgb`,
    /// `#rrggbb`, `#rrggbbaa` or a colour name (letters and digits), so that nothing
    /// else can reach a DOT file.
    pub fn check_style(&self) -> Result<(), String> {
        if let Some(shape) = &self.shape
            && !GRAPHVIZ_SHAPES.contains(&shape.as_str())
        {
            return Err(format!(
                "kind '{}': unknown shape '{shape}': expected a Graphviz shape such as box, ellipse, hexagon, cds, note",
                self.name
            ));
        }
        if let Some(colour) = &self.colour {
            let hex = colour.strip_prefix('#').is_some_and(|h| {
                [3, 6, 8].contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit())
            });
            let named = !colour.is_empty()
                && colour.len() <= 32
                && colour.chars().all(|c| c.is_ascii_alphanumeric());
            if !hex && !named {
                return Err(format!(
                    "kind '{}': bad colour '{colour}': expected #rrggbb or a colour name such as lightblue",
                    self.name
                ));
            }
        }
        Ok(())
    }
}

impl Kind {
    /// The seven kinds every graph has.
    pub const BUILT_IN: [Kind; 7] = [
        Kind::Person,
        Kind::Organization,
        Kind::Country,
        Kind::Place,
        Kind::Media,
        Kind::Event,
        Kind::Other,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Country => "country",
            Kind::Place => "place",
            Kind::Media => "media",
            Kind::Event => "event",
            Kind::Other => "other",
            Kind::Custom(name) => name,
        }
    }

    /// The built-in kind `name` names (`org` and `organisation` for organization), in
    /// any case.
    pub fn built_in(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        if matches!(lower.as_str(), "org" | "organisation") {
            return Some(Kind::Organization);
        }
        Kind::BUILT_IN.into_iter().find(|k| k.as_str() == lower)
    }

    pub fn is_built_in(&self) -> bool {
        !matches!(self, Kind::Custom(_))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    /// A built-in kind (`org` for organization), in any case, or a kind of the graph's
    /// own: a word of letters, digits, `_` and `-` that starts with a letter, kept in
    /// lowercase.
    fn from_str(s: &str) -> Result<Kind, String> {
        if let Some(kind) = Kind::built_in(s) {
            return Ok(kind);
        }
        let valid = s.chars().next().is_some_and(|c| c.is_alphabetic())
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && s.chars().count() <= KIND_NAME_MAX;
        // The `.kg` format's own words start its other statements.
        if valid && RESERVED_KIND_NAMES.contains(&s.to_lowercase().as_str()) {
            return Err(format!(
                "'{s}' cannot be a kind: type, kind and aka are words of the .kg format"
            ));
        }
        if valid {
            Ok(Kind::Custom(s.to_lowercase().into()))
        } else {
            Err(format!(
                "bad kind '{s}': a kind is a word of letters, digits, _ and - (at most {KIND_NAME_MAX}), e.g. person, organization (org), country, place, media, event, other, vessel"
            ))
        }
    }
}

/// A kind of the graph's own as declared (`kind vessel shape=box colour="#cfe2f3"`),
/// with how DOT draws it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDecl {
    /// The kind's name, lowercase.
    pub name: String,
    /// A Graphviz node shape, if not the default.
    pub shape: Option<String>,
    /// A Graphviz fill colour (a name or `#rrggbb`), if not the default.
    pub colour: Option<String>,
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
