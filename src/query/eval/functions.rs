//! Function calls: `type`, `labels`, `id`, `length`, `size`, `nodes`,
//! `relationships`, `startNode`, `endNode`, `exists`, `coalesce`, the string, number,
//! list and conversion functions, and `date`.

use super::{Evaluator, Row};
use crate::model::TimeSpan;
use crate::query::ast::Expr;
use crate::query::error::{Pos, QueryError};
use crate::query::value::{Value, float_text};

impl Evaluator<'_> {
    /// A call of the function `name` (not an aggregate) on `args`.
    pub(crate) fn call(
        &self,
        name: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Value, QueryError> {
        let lower = name.to_ascii_lowercase();
        let arity = |n: usize| -> Result<(), QueryError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(QueryError::at(
                    pos,
                    format!(
                        "{name}() takes {n} argument{}",
                        if n == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        if lower == "exists" {
            arity(1)?;
            let value = self.eval(&args[0], row, group)?;
            // exists((a)-->(b)) is the pattern's own truth; exists(n.x) is "not null".
            return Ok(match &args[0] {
                Expr::Exists(..) | Expr::Predicate(_) => value,
                _ => Value::Bool(!value.is_null()),
            });
        }
        if lower.starts_with("kg.") {
            return self.graph_function(name, &lower, args, pos, row, group);
        }
        if lower == "coalesce" {
            for a in args {
                let v = self.eval(a, row, group)?;
                if !v.is_null() {
                    return Ok(v);
                }
            }
            return Ok(Value::Null);
        }
        if lower == "rand" {
            arity(0)?;
            return Ok(Value::Float(random_fraction()));
        }
        if lower == "range" {
            return self.range(name, args, pos, row, group);
        }
        if let Some(v) = self.string_function(&lower, name, args, pos, row, group)? {
            return Ok(v);
        }
        if let Some(v) = self.date_relation(&lower, name, args, pos, row, group)? {
            return Ok(v);
        }
        arity(1)?;
        let arg = self.eval(&args[0], row, group)?;
        if arg.is_null() {
            return Ok(Value::Null);
        }
        self.function_of_one(name, &lower, arg, pos)
    }

    /// `range(start, end [, step])`: the integers from `start` to `end`, both included,
    /// `step` apart.
    fn range(
        &self,
        name: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Value, QueryError> {
        if !(2..=3).contains(&args.len()) {
            return Err(QueryError::at(
                pos,
                format!("{name}() takes 2 or 3 arguments"),
            ));
        }
        let mut ints = Vec::new();
        for a in args {
            match self.eval(a, row, group)? {
                Value::Int(i) => ints.push(i),
                other => {
                    return Err(QueryError::at(
                        pos,
                        format!("{name}() takes integers, not {}", other.type_name()),
                    ));
                }
            }
        }
        let (start, end, step) = (ints[0], ints[1], ints.get(2).copied().unwrap_or(1));
        if step == 0 {
            return Err(QueryError::at(
                pos,
                format!("{name}() takes a step other than 0"),
            ));
        }
        let span = i128::from(end) - i128::from(start);
        let count = if span != 0 && (span > 0) != (step > 0) {
            0
        } else {
            span / i128::from(step) + 1
        };
        if count > RANGE_MAX {
            return Err(QueryError::at(
                pos,
                format!("{name}() would make {count} numbers; at most {RANGE_MAX}"),
            ));
        }
        Ok(Value::List(
            (0..count)
                .map(|k| Value::Int((i128::from(start) + k * i128::from(step)) as i64))
                .collect(),
        ))
    }

    /// A function of one argument, not null, on `arg` (`lower` is its name in lower
    /// case).
    fn function_of_one(
        &self,
        name: &str,
        lower: &str,
        arg: Value,
        pos: Pos,
    ) -> Result<Value, QueryError> {
        let wrong = || QueryError::at(pos, format!("{name}() does not take {}", arg.type_name()));
        Ok(match (lower, &arg) {
            ("type", Value::Rel(r)) => Value::Str(self.relation_shape(*r)?.rtype),
            ("labels", Value::Node(n)) => Value::List(vec![Value::Str(
                self.entity_kind(*n)
                    .map_err(|e| e.at_if_unplaced(pos))?
                    .to_string(),
            )]),
            ("id", Value::Node(n)) => Value::Int(i64::from(n.0)),
            ("id", Value::Rel(r)) => Value::Int(i64::from(r.0)),
            ("length", Value::Path(p)) => Value::Int(p.rels.len() as i64),
            ("length" | "size", Value::List(items)) => Value::Int(items.len() as i64),
            ("length" | "size", Value::Str(s)) => Value::Int(s.chars().count() as i64),
            ("nodes", Value::Path(p)) => {
                Value::List(p.nodes.iter().map(|n| Value::Node(*n)).collect())
            }
            ("relationships" | "rels", Value::Path(p)) => {
                Value::List(p.rels.iter().map(|r| Value::Rel(*r)).collect())
            }
            ("startnode", Value::Rel(r)) => Value::Node(self.relation_shape(*r)?.from),
            ("endnode", Value::Rel(r)) => Value::Node(self.relation_shape(*r)?.to),
            ("tolower", Value::Str(s)) => Value::Str(s.to_lowercase()),
            ("toupper", Value::Str(s)) => Value::Str(s.to_uppercase()),
            ("trim", Value::Str(s)) => Value::Str(s.trim().to_string()),
            ("tostring", Value::Str(_)) => arg.clone(),
            ("tostring", Value::Int(i)) => Value::Str(i.to_string()),
            ("tostring", Value::Float(f)) => Value::Str(float_text(*f)),
            ("tostring", Value::Bool(b)) => Value::Str(b.to_string()),
            ("tostring", Value::Date(d)) => Value::Str(d.to_string()),
            ("tointeger", Value::Int(_)) => arg.clone(),
            ("tointeger", Value::Float(f)) => Value::Int(f.trunc() as i64),
            ("tointeger", Value::Str(s)) => match s.trim().parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && f.abs() < 9.2e18)
                    .map_or(Value::Null, |f| Value::Int(f.trunc() as i64)),
            },
            ("tofloat", Value::Int(i)) => Value::Float(*i as f64),
            ("tofloat", Value::Float(_)) => arg.clone(),
            ("tofloat", Value::Str(s)) => s.trim().parse::<f64>().map_or(Value::Null, Value::Float),
            ("abs", Value::Int(i)) => Value::Int(
                i.checked_abs()
                    .ok_or_else(|| QueryError::at(pos, "integer overflow"))?,
            ),
            ("abs", Value::Float(f)) => Value::Float(f.abs()),
            ("sign", Value::Int(i)) => Value::Int(i.signum()),
            ("sign", Value::Float(f)) if *f == 0.0 => Value::Int(0),
            ("sign", Value::Float(f)) => Value::Int(if f.is_sign_negative() { -1 } else { 1 }),
            ("sqrt", Value::Int(_) | Value::Float(_)) => {
                Value::Float(arg.number().unwrap_or(0.0).sqrt())
            }
            ("toboolean", Value::Bool(_)) => arg.clone(),
            ("toboolean", Value::Str(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            },
            ("round", Value::Float(f)) => Value::Float(f.round()),
            ("floor", Value::Float(f)) => Value::Float(f.floor()),
            ("ceil", Value::Float(f)) => Value::Float(f.ceil()),
            ("round" | "floor" | "ceil", Value::Int(i)) => Value::Float(*i as f64),
            ("head", Value::List(items)) => items.first().cloned().unwrap_or(Value::Null),
            ("last", Value::List(items)) => items.last().cloned().unwrap_or(Value::Null),
            ("tail", Value::List(items)) => Value::List(items.iter().skip(1).cloned().collect()),
            ("reverse", Value::List(items)) => Value::List(items.iter().rev().cloned().collect()),
            ("reverse", Value::Str(s)) => Value::Str(s.chars().rev().collect()),
            ("properties", Value::Node(_) | Value::Rel(_) | Value::Map(_)) => Value::Map(
                self.properties_of(&arg)
                    .map_err(|e| e.at_if_unplaced(pos))?,
            ),
            ("keys", Value::Node(_) | Value::Rel(_) | Value::Map(_)) => Value::List(
                self.properties_of(&arg)
                    .map_err(|e| e.at_if_unplaced(pos))?
                    .into_iter()
                    .map(|(k, _)| Value::Str(k))
                    .collect(),
            ),
            ("date", Value::Str(s)) => {
                let span = TimeSpan::parse(s)
                    .map_err(|e| QueryError::at(pos, format!("date('{s}'): {e}")))?;
                if span.is_undated() {
                    return Err(QueryError::at(pos, "date('') needs a date"));
                }
                Value::Date(span)
            }
            ("date", Value::Date(_)) => arg.clone(),
            ("date", Value::Map(entries)) => Value::Date(
                date_of_map(entries).map_err(|e| QueryError::at(pos, format!("date(): {e}")))?,
            ),
            (
                "type" | "labels" | "id" | "length" | "size" | "nodes" | "relationships" | "rels"
                | "startnode" | "endnode" | "tolower" | "toupper" | "trim" | "tostring"
                | "tointeger" | "tofloat" | "abs" | "date" | "round" | "floor" | "ceil" | "head"
                | "last" | "tail" | "reverse" | "keys",
                _,
            ) => return Err(wrong()),
            _ => {
                return Err(QueryError::at(
                    pos,
                    format!("function {name}() is not supported"),
                ));
            }
        })
    }

    /// The relations between two dates (`None` for any other function): `overlaps(a, b)`
    /// (some day in both), `within(a, b)` (every day `a` can mean lies in `b`),
    /// `before(a, b)` (every day of `a` is before every day of `b`) and `after(a, b)`.
    /// A date or a date's text on each side; null if either is null.
    fn date_relation(
        &self,
        lower: &str,
        name: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Option<Value>, QueryError> {
        if !matches!(lower, "overlaps" | "within" | "before" | "after") {
            return Ok(None);
        }
        if args.len() != 2 {
            return Err(QueryError::at(pos, format!("{name}() takes 2 arguments")));
        }
        let mut dates = [TimeSpan::UNDATED; 2];
        for (slot, arg) in dates.iter_mut().zip(args) {
            *slot = match self.eval(arg, row, group)? {
                Value::Null => return Ok(Some(Value::Null)),
                Value::Date(d) => d,
                Value::Str(s) => match TimeSpan::parse(&s) {
                    Ok(d) if !d.is_undated() => d,
                    _ => {
                        return Err(QueryError::at(
                            pos,
                            format!("{name}() needs dates; '{s}' is not a date"),
                        ));
                    }
                },
                other => {
                    return Err(QueryError::at(
                        pos,
                        format!("{name}() needs dates, not {}", other.type_name()),
                    ));
                }
            };
        }
        let [a, b] = dates;
        Ok(Some(Value::Bool(match lower {
            "overlaps" => a.overlaps(&b),
            "within" => a.within(&b),
            "before" => a.latest() < b.earliest(),
            _ => a.earliest() > b.latest(),
        })))
    }

    /// The string functions of several arguments: `substring`, `replace`, `split`,
    /// `left`, `right` (`None` for any other function).
    fn string_function(
        &self,
        lower: &str,
        name: &str,
        args: &[Expr],
        pos: Pos,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Option<Value>, QueryError> {
        let arity = match lower {
            "substring" => 2..=3,
            "replace" => 3..=3,
            "split" | "left" | "right" => 2..=2,
            _ => return Ok(None),
        };
        if !arity.contains(&args.len()) {
            return Err(QueryError::at(
                pos,
                format!("{name}() takes {} arguments", arity.end()),
            ));
        }
        let values = args
            .iter()
            .map(|a| self.eval(a, row, group))
            .collect::<Result<Vec<_>, _>>()?;
        if values.iter().any(Value::is_null) {
            return Ok(Some(Value::Null));
        }
        let text = |i: usize| match &values[i] {
            Value::Str(s) => Ok(s.as_str()),
            other => Err(QueryError::at(
                pos,
                format!("{name}() needs a string, not {}", other.type_name()),
            )),
        };
        let count = |i: usize| {
            values[i]
                .as_count()
                .map_err(|e| QueryError::at(pos, format!("{name}() {e}")))
        };
        let chars: Vec<char> = text(0)?.chars().collect();
        Ok(Some(match lower {
            "substring" => {
                let start = count(1)?.min(chars.len());
                let len = if values.len() == 3 {
                    count(2)?
                } else {
                    usize::MAX
                };
                Value::Str(chars[start..].iter().take(len).collect())
            }
            "replace" => Value::Str(text(0)?.replace(text(1)?, text(2)?)),
            "split" if text(1)?.is_empty() => {
                Value::List(chars.iter().map(|c| Value::Str(c.to_string())).collect())
            }
            "split" => Value::List(
                text(0)?
                    .split(text(1)?)
                    .map(|p| Value::Str(p.to_string()))
                    .collect(),
            ),
            "left" => Value::Str(chars.iter().take(count(1)?).collect()),
            _ => {
                let n = count(1)?.min(chars.len());
                Value::Str(chars[chars.len() - n..].iter().collect())
            }
        }))
    }
}

/// The most numbers `range()` makes.
const RANGE_MAX: i128 = 10_000_000;

/// A number in [0, 1) for `rand()`: from the standard library's randomly seeded hasher
/// (no random crate for one function), different at each call.
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// `date({year, month, day})`, `date({year, week, dayOfWeek})`, `date({year,
/// ordinalDay})`, `date({year, quarter, dayOfQuarter})`: the day the map names (the
/// parts it leaves out are the first: month 1, day 1, week day 1).
fn date_of_map(entries: &[(String, Value)]) -> Result<TimeSpan, String> {
    use chrono::{Datelike, NaiveDate, Weekday};
    let part = |key: &str| -> Result<Option<i64>, String> {
        let found = entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key));
        match found.map(|(_, v)| v) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i)),
            Some(other) => Err(format!("{key} takes an integer, not {}", other.type_name())),
        }
    };
    let small = |n: Option<i64>, default: u32| -> Result<u32, String> {
        n.map_or(Ok(default), |n| {
            u32::try_from(n).map_err(|_| format!("{n} is out of range"))
        })
    };
    const KEYS: [&str; 8] = [
        "year",
        "month",
        "day",
        "week",
        "dayofweek",
        "ordinalday",
        "quarter",
        "dayofquarter",
    ];
    if let Some((key, _)) = entries
        .iter()
        .find(|(k, _)| !KEYS.contains(&k.to_ascii_lowercase().as_str()))
    {
        return Err(format!(
            "no date part '{key}' (year, month, day, week, dayOfWeek, ordinalDay, quarter, dayOfQuarter)"
        ));
    }
    for (part_name, needs) in [
        ("day", "month"),
        ("dayOfWeek", "week"),
        ("dayOfQuarter", "quarter"),
    ] {
        if part(part_name)?.is_some() && part(needs)?.is_none() {
            return Err(format!("{part_name} needs {needs}"));
        }
    }
    let year = part("year")?.ok_or("the map needs a year")?;
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year} is outside 1 to 9999"));
    }
    let year = i32::try_from(year).map_err(|_| format!("year {year} is out of range"))?;
    let day = if let Some(week) = part("week")? {
        let weekday = match small(part("dayOfWeek")?, 1)? {
            1 => Weekday::Mon,
            2 => Weekday::Tue,
            3 => Weekday::Wed,
            4 => Weekday::Thu,
            5 => Weekday::Fri,
            6 => Weekday::Sat,
            7 => Weekday::Sun,
            n => return Err(format!("dayOfWeek {n} is not 1 to 7")),
        };
        NaiveDate::from_isoywd_opt(year, small(Some(week), 1)?, weekday)
    } else if let Some(ordinal) = part("ordinalDay")? {
        NaiveDate::from_yo_opt(year, small(Some(ordinal), 1)?)
    } else if let Some(quarter) = part("quarter")? {
        let quarter = small(Some(quarter), 1)?;
        let first = NaiveDate::from_ymd_opt(year, quarter.saturating_sub(1) * 3 + 1, 1);
        let offset = i64::from(small(part("dayOfQuarter")?, 1)?) - 1;
        first
            .and_then(|d| d.checked_add_signed(chrono::Duration::days(offset)))
            .filter(|d| (d.month() - 1) / 3 + 1 == quarter)
    } else {
        NaiveDate::from_ymd_opt(year, small(part("month")?, 1)?, small(part("day")?, 1)?)
    };
    day.map(TimeSpan::day)
        .ok_or_else(|| "no such day".to_string())
}
