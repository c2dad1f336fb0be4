//! The values a query computes with, and openCypher's rules for comparing them: `null`
//! propagates, values of different types are unequal and unordered, and a relation's
//! date (a span of days) compares by overlap, the rule of every date window in kg.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::{EntityId, RelationId, TimeSpan};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A date or span of days, printed as written.
    Date(TimeSpan),
    List(Vec<Value>),
    /// Keys sorted and unique.
    Map(Vec<(String, Value)>),
    Node(EntityId),
    Rel(RelationId),
    /// Boxed: paths are rare, and every row holds values.
    Path(Box<Path>),
}

/// A path: its entities, and the relations between consecutive ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    pub nodes: Vec<EntityId>,
    pub rels: Vec<RelationId>,
}

impl Value {
    /// A property's value: kg keeps properties as text, and text that is exactly how
    /// a number is written (`42`, `-3`, `2.5`, not `042` or `1e3`) is that number, so
    /// that `r.deaths > 10` compares numbers; anything else stays a string.
    pub fn of_property(text: &str) -> Value {
        match text {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
        if let Ok(i) = text.parse::<i64>()
            && i.to_string() == text
        {
            return Value::Int(i);
        }
        if text.contains('.')
            && !text.starts_with(['.', '+'])
            && !text.ends_with('.')
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && let Ok(f) = text.parse::<f64>()
            && f.is_finite()
            && !text.trim_start_matches('-').starts_with("00")
            && (text.trim_start_matches('-').starts_with("0.")
                || !text.trim_start_matches('-').starts_with('0'))
        {
            return Value::Float(f);
        }
        Value::Str(text.to_string())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a count (a length, `SKIP`, `LIMIT`), or what it is instead: "a
    /// non-negative integer" is needed.
    pub(crate) fn as_count(&self) -> Result<usize, String> {
        match self {
            Value::Int(n) if *n >= 0 => Ok(*n as usize),
            Value::Int(n) => Err(format!("needs a non-negative integer, not {n}")),
            other => Err(format!(
                "needs a non-negative integer, not {}",
                other.type_name()
            )),
        }
    }

    /// The type's name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::Date(_) => "a date",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Node(_) => "a node",
            Value::Rel(_) => "a relationship",
            Value::Path(_) => "a path",
        }
    }

    /// A string that is a date, compared with a date, is taken as that date.
    fn as_date(&self) -> Option<TimeSpan> {
        match self {
            Value::Date(d) => Some(*d),
            Value::Str(s) => TimeSpan::parse(s).ok().filter(|d| !d.is_undated()),
            _ => None,
        }
    }

    /// Ternary equality (`=`): `None` is null.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (self, other) {
            (Value::Null, _) | (_, Value::Null) => None,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                Some(*a as f64 == *b)
            }
            // A date equals the same written interval: `r.date = '2025-02-12'` is that
            // day, not any date that may fall on it.
            (Value::Date(a), b) | (b, Value::Date(a)) => match b.as_date() {
                Some(b) => Some(*a == b),
                None => Some(false),
            },
            (Value::Map(a), Value::Map(b)) => {
                if a.len() != b.len() || a.iter().zip(b).any(|((k, _), (l, _))| k != l) {
                    return Some(false);
                }
                let mut result = Some(true);
                for ((_, x), (_, y)) in a.iter().zip(b) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => result = None,
                        Some(true) => {}
                    }
                }
                result
            }
            (Value::List(a), Value::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut result = Some(true);
                for (x, y) in a.iter().zip(b) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => result = None,
                        Some(true) => {}
                    }
                }
                result
            }
            (a, b) => Some(a == b),
        }
    }

    /// Ternary ordering for `<`, `<=`, `>`, `>=`: `None` when either side is null or
    /// the two cannot be ordered. Dates order by overlap: `r.date < d` when some day
    /// of it is before some day of `d`, so a window `r.date >= A AND r.date <= B`
    /// keeps what overlaps [A, B]; `=` is the same written interval.
    pub fn compare(&self, other: &Value, op: Cmp) -> Option<bool> {
        use Cmp::*;
        if let (Some(a), Some(b)) = (self.as_date(), other.as_date())
            && (matches!(self, Value::Date(_)) || matches!(other, Value::Date(_)))
        {
            return Some(match op {
                Lt => a.earliest() < b.latest(),
                Le => a.earliest() <= b.latest(),
                Gt => a.latest() > b.earliest(),
                Ge => a.latest() >= b.earliest(),
                Eq => a == b,
                Ne => a != b,
            });
        }
        // NaN is neither less, equal nor greater than any number: every comparison with
        // it is false, but `<>`.
        if self.number().is_some_and(f64::is_nan) && other.number().is_some()
            || other.number().is_some_and(f64::is_nan) && self.number().is_some()
        {
            return Some(op == Ne);
        }
        let ordering = match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                self.number()?.partial_cmp(&other.number()?)?
            }
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) => {
                // Element by element; the first pair that cannot be ordered makes it null.
                let mut ordering = a.len().cmp(&b.len());
                for (x, y) in a.iter().zip(b) {
                    if x.equals(y) == Some(true) {
                        continue;
                    }
                    let less = x.compare(y, Lt)?;
                    ordering = if less {
                        std::cmp::Ordering::Less
                    } else {
                        std::cmp::Ordering::Greater
                    };
                    break;
                }
                ordering
            }
            _ => return None,
        };
        Some(match op {
            Lt => ordering.is_lt(),
            Le => ordering.is_le(),
            Gt => ordering.is_gt(),
            Ge => ordering.is_ge(),
            Eq => ordering.is_eq(),
            Ne => ordering.is_ne(),
        })
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The total order of `ORDER BY`, `min` and `max`: by type first (openCypher's
    /// order of types), nulls after everything.
    pub fn sort_cmp(&self, other: &Value) -> Ordering {
        fn rank(v: &Value) -> u8 {
            match v {
                Value::Map(_) => 0,
                Value::Node(_) => 0,
                Value::Rel(_) => 1,
                Value::List(_) => 2,
                Value::Path(_) => 3,
                Value::Date(_) => 4,
                Value::Str(_) => 5,
                Value::Bool(_) => 6,
                Value::Int(_) | Value::Float(_) => 7,
                Value::Null => 8,
            }
        }
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                let (a, b) = (self.number().unwrap_or(0.0), other.number().unwrap_or(0.0));
                a.total_cmp(&b)
            }
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.timeline_order(b),
            (Value::Node(a), Value::Node(b)) => a.cmp(b),
            (Value::Rel(a), Value::Rel(b)) => a.0.cmp(&b.0),
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let o = x.sort_cmp(y);
                    if o.is_ne() {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Value::Map(a), Value::Map(b)) => {
                for ((k, x), (l, y)) in a.iter().zip(b) {
                    let o = k.cmp(l).then_with(|| x.sort_cmp(y));
                    if o.is_ne() {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Value::Map(_), _) => Ordering::Less,
            (_, Value::Map(_)) => Ordering::Greater,
            (Value::Path(a), Value::Path(b)) => (a.rels.len(), &a.rels)
                .cmp(&(b.rels.len(), &b.rels))
                .then_with(|| a.nodes.cmp(&b.nodes)),
            _ => rank(self).cmp(&rank(other)),
        }
    }

    /// A key under which equal values (for `DISTINCT` and grouping) coincide: two
    /// values have the same key exactly when they are equivalent in openCypher's
    /// sense (null equivalent to null; 1 and 1.0 equivalent).
    pub fn group_key(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Null => out.push('N'),
            Value::Bool(b) => {
                let _ = write!(out, "B{b}");
            }
            Value::Int(i) => {
                let _ = write!(out, "I{i}");
            }
            // A float equal to an integer groups with it (1.0 with 1).
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => {
                let _ = write!(out, "I{}", *f as i64);
            }
            Value::Float(f) => {
                let _ = write!(out, "F{f}");
            }
            Value::Str(s) => {
                let _ = write!(out, "S{}:{s}", s.len());
            }
            Value::Date(d) => {
                let _ = write!(out, "D{d}|");
            }
            Value::Node(n) => {
                let _ = write!(out, "n{}", n.0);
            }
            Value::Rel(r) => {
                let _ = write!(out, "r{}", r.0);
            }
            Value::List(items) => {
                let _ = write!(out, "L{}[", items.len());
                for item in items {
                    item.group_key(out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::Map(entries) => {
                let _ = write!(out, "M{}{{", entries.len());
                for (k, v) in entries {
                    let _ = write!(out, "{}:{k}=", k.len());
                    v.group_key(out);
                    out.push(',');
                }
                out.push('}');
            }
            Value::Path(p) => {
                let _ = write!(out, "P{:?}{:?}", p.nodes, p.rels);
            }
        }
    }

    /// A map of `entries`, sorted by key, the last value of a repeated key kept.
    pub fn map(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        let mut sorted: Vec<(String, Value)> = Vec::new();
        for (k, v) in entries {
            match sorted.binary_search_by(|(key, _)| key.as_str().cmp(&k)) {
                Ok(i) => sorted[i].1 = v,
                Err(i) => sorted.insert(i, (k, v)),
            }
        }
        Value::Map(sorted)
    }

    /// The value of `key` in a map (null when it has none).
    pub fn get(entries: &[(String, Value)], key: &str) -> Value {
        entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .map_or(Value::Null, |i| entries[i].1.clone())
    }
}

/// The values of a query's parameters, by name (without the `$`).
pub type Params = HashMap<String, Value>;

/// A float as queries print it: `2.0` for a whole number, else as Rust writes it.
pub fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Value {
        Value::Date(TimeSpan::parse(s).unwrap())
    }

    #[test]
    fn nulls_propagate_and_types_do_not_mix() {
        assert_eq!(Value::Null.equals(&Value::Int(1)), None);
        assert_eq!(Value::Int(1).equals(&Value::Float(1.0)), Some(true));
        assert_eq!(Value::Int(1).equals(&Value::Str("1".into())), Some(false));
        assert_eq!(
            Value::Int(1).compare(&Value::Str("1".into()), Cmp::Lt),
            None
        );
    }

    #[test]
    fn properties_that_are_numbers_are_numbers() {
        assert_eq!(Value::of_property("42"), Value::Int(42));
        assert_eq!(Value::of_property("-3"), Value::Int(-3));
        assert_eq!(Value::of_property("2.5"), Value::Float(2.5));
        assert_eq!(Value::of_property("0.5"), Value::Float(0.5));
        for text in [
            "042", "+4", "1e3", "1.", ".5", "00.5", "12 dead", "", "1.2.3", "-",
        ] {
            assert_eq!(
                Value::of_property(text),
                Value::Str(text.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn lists_order_element_by_element_and_integers_group_exactly() {
        let list = |v: &[i64]| Value::List(v.iter().map(|i| Value::Int(*i)).collect());
        assert_eq!(list(&[1, 2]).compare(&list(&[1, 3]), Cmp::Lt), Some(true));
        assert_eq!(
            list(&[1, 2]).compare(&list(&[1, 2, 0]), Cmp::Lt),
            Some(true)
        );
        let mut a = String::new();
        let mut b = String::new();
        Value::Int(9_007_199_254_740_992).group_key(&mut a);
        Value::Int(9_007_199_254_740_993).group_key(&mut b);
        assert_ne!(a, b);
        let (mut one, mut one_f) = (String::new(), String::new());
        Value::Int(1).group_key(&mut one);
        Value::Float(1.0).group_key(&mut one_f);
        assert_eq!(one, one_f);
    }

    #[test]
    fn dates_order_by_overlap_and_equal_as_written() {
        let feb = date("2025-02");
        assert_eq!(feb.compare(&date("2025-02-10"), Cmp::Ge), Some(true));
        assert_eq!(feb.compare(&date("2025-02-10"), Cmp::Le), Some(true));
        assert_eq!(feb.compare(&date("2025-03-01"), Cmp::Ge), Some(false));
        assert_eq!(feb.equals(&Value::Str("2025-02-14".into())), Some(false));
        assert_eq!(feb.equals(&Value::Str("2025-02".into())), Some(true));
        assert_eq!(
            date("..2025-06-29").equals(&Value::Str("2025-02-12".into())),
            Some(false)
        );
        assert_eq!(
            date("..2025-06-29").compare(&date("2025-06-30"), Cmp::Lt),
            Some(true)
        );
        assert_eq!(
            date("..2025-06-29").compare(&date("2025-06-30"), Cmp::Ge),
            Some(false)
        );
    }
}
