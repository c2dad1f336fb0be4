//! Relations and relation types: typed, dated, sourced edges between entities.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::entity::EntityId;
use super::strings::Sym;
use super::time::{Day, TimeSpan};

/// A stable relation id: unchanged by other removals and across save and reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RelationId(pub u32);

impl fmt::Display for RelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// An index into the store's type registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TypeId(pub u16);

/// A relation type: `phoned` (directed), `met` (symmetric), with an optional CAMEO event
/// code and description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    pub name: String,
    pub symmetric: bool,
    pub cameo: Option<String>,
    pub description: Option<String>,
}

impl RelationType {
    pub fn directed(name: impl Into<String>) -> RelationType {
        RelationType {
            name: name.into(),
            symmetric: false,
            cameo: None,
            description: None,
        }
    }
}

/// How far a relation is established, from least to most.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum Status {
    Denied,
    Unconfirmed,
    Claimed,
    #[default]
    Reported,
    Confirmed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Confirmed,
        Status::Reported,
        Status::Claimed,
        Status::Unconfirmed,
        Status::Denied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Denied => "denied",
            Status::Unconfirmed => "unconfirmed",
            Status::Claimed => "claimed",
            Status::Reported => "reported",
            Status::Confirmed => "confirmed",
        }
    }

    /// The status as a number, from 0 (denied) to 4 (confirmed), as a file stores it.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The status numbered `code`.
    pub fn from_code(code: u8) -> Option<Status> {
        [
            Status::Denied,
            Status::Unconfirmed,
            Status::Claimed,
            Status::Reported,
            Status::Confirmed,
        ]
        .get(code as usize)
        .copied()
    }

    /// Whether a reader should be warned: the relation is claimed, unconfirmed or denied.
    pub fn is_doubtful(self) -> bool {
        self < Status::Reported
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Status, String> {
        let lower = s.to_ascii_lowercase();
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == lower)
            .ok_or_else(|| {
                format!("unknown status '{s}': expected confirmed, reported, claimed, unconfirmed or denied")
            })
    }
}

/// An Admiralty (NATO) grade: source reliability A (reliable) to F (cannot be judged) and
/// information credibility 1 (confirmed) to 6 (cannot be judged), written `B2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grade {
    reliability: u8,
    credibility: u8,
}

impl Grade {
    /// The weakest grade, F6, which an ungraded relation is taken to have.
    pub const UNGRADED: Grade = Grade {
        reliability: b'F',
        credibility: 6,
    };

    /// Whether this grade is at least as good as `min` on both scales.
    pub fn at_least(self, min: Grade) -> bool {
        self.reliability <= min.reliability && self.credibility <= min.credibility
    }

    /// The grade as one number, 1 (A1) to 36 (F6), as a file stores it.
    pub fn code(self) -> u8 {
        (self.reliability - b'A') * 6 + self.credibility
    }

    /// The grade numbered `code` (1 to 36).
    pub fn from_code(code: u8) -> Option<Grade> {
        let c = code.checked_sub(1)?;
        let grade = Grade {
            reliability: b'A' + c / 6,
            credibility: c % 6 + 1,
        };
        grade.is_valid().then_some(grade)
    }

    /// Whether the parts are in range (a loaded file might hold anything).
    pub fn is_valid(self) -> bool {
        (b'A'..=b'F').contains(&self.reliability) && (1..=6).contains(&self.credibility)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.reliability as char, self.credibility)
    }
}

impl FromStr for Grade {
    type Err = String;

    fn from_str(s: &str) -> Result<Grade, String> {
        if let [r, c] = s.as_bytes() {
            let grade = Grade {
                reliability: r.to_ascii_uppercase(),
                credibility: c.wrapping_sub(b'0'),
            };
            if grade.is_valid() {
                return Ok(grade);
            }
        }
        Err(format!(
            "bad grade '{s}': expected a reliability letter A-F and a credibility digit 1-6, e.g. B2"
        ))
    }
}

/// Keys a relation's own fields use in every format, so no property may take them.
pub const RESERVED_KEYS: [&str; 10] = [
    "id",
    "from",
    "type",
    "to",
    "date",
    "status",
    "grade",
    "source",
    "quote",
    "claimed_by",
];

/// A typed, dated relation with its provenance. Its ends live in the store's graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    pub rtype: TypeId,
    pub when: TimeSpan,
    pub status: Status,
    pub grade: Option<Grade>,
    /// Where it was reported: a publication, title or URL.
    pub source: Option<Sym>,
    /// The sentence it rests on.
    pub quote: Option<Sym>,
    /// Who claims it (an entity), when it is a claim.
    pub claimed_by: Option<EntityId>,
    /// Free properties, sorted by the text of their keys, keys unique.
    pub properties: Box<[(Sym, Sym)]>,
}

/// What a search's filter reads of a relation: its type, the first and last day its
/// date can mean (`None` when undated), status and grade (the adjacency holds them
/// beside each of its entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelationFacts {
    pub rtype: TypeId,
    pub days: Option<(Day, Day)>,
    pub status: Status,
    pub grade: Option<Grade>,
}

impl Relation {
    /// What a search's filter reads of this relation.
    pub fn facts(&self) -> RelationFacts {
        RelationFacts {
            rtype: self.rtype,
            days: self.when.days(),
            status: self.status,
            grade: self.grade,
        }
    }

    pub fn new(rtype: TypeId) -> Relation {
        Relation {
            rtype,
            when: TimeSpan::UNDATED,
            status: Status::default(),
            grade: None,
            source: None,
            quote: None,
            claimed_by: None,
            properties: Box::new([]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_compare_on_both_scales() {
        let g = |s: &str| s.parse::<Grade>().unwrap();
        assert!(g("A1").at_least(g("B2")));
        assert!(g("B2").at_least(g("B2")));
        assert!(!g("A3").at_least(g("B2")));
        assert!(!g("C1").at_least(g("B2")));
        assert!(!Grade::UNGRADED.at_least(g("E5")));
        assert_eq!(g("b2").to_string(), "B2");
        for bad in ["G1", "A0", "A7", "AA", "B", "B22", ""] {
            assert!(bad.parse::<Grade>().is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_are_ordered_by_strength() {
        assert!(Status::Confirmed > Status::Reported);
        assert!(Status::Claimed.is_doubtful());
        assert!(!Status::Reported.is_doubtful());
        assert_eq!("Claimed".parse::<Status>(), Ok(Status::Claimed));
    }
}
