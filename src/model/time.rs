//! Dates with the precision they were written in.
//!
//! A [`TimeSpan`] is a closed interval of calendar days (`earliest..=latest`) that
//! remembers how it was written: a day (`2025-02-12`), a month (`2025-03`), a year
//! (`2025`), a range whose ends each have their own precision (`2025-06-24..2025-06-25`,
//! `2025-03..2025-05`), an open start (`..2025-06-29`), an open end (`2022-02-24..`) or
//! nothing at all (undated: a standing role). It prints back exactly as written.
//!
//! Days are stored as day numbers (days since 0001-01-01), not as chrono dates, so a
//! span is twelve bytes in memory and a few bytes in a bincode file.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar day, as the number of days since 0001-01-01 (chrono's "days from CE" minus one).
pub type Day = i32;

/// The earliest day a date may name (0001-01-01).
pub const MIN_DAY: Day = 0;
/// The latest day a date may name (9999-12-31).
pub const MAX_DAY: Day = 3_652_058;

/// How finely one end of a span was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// How a span was written; with the two bounds it determines the text exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    /// No date: the relation holds or happened at an unknown time.
    Undated,
    /// One date (`2025-02-12`, `2025-03`, `2025`).
    Point(Precision),
    /// `START..END`.
    Range(Precision, Precision),
    /// `..END`: some time up to the end.
    Until(Precision),
    /// `START..`: since the start.
    Since(Precision),
}

impl Precision {
    const ALL: [Precision; 3] = [Precision::Day, Precision::Month, Precision::Year];
}

impl Shape {
    /// The shape as one number, as a file stores it: the form in the high bits, the
    /// precisions of the start and end in the low ones.
    pub fn code(self) -> u8 {
        let (form, start, end) = match self {
            Shape::Undated => (0, Precision::Day, Precision::Day),
            Shape::Point(p) => (1, p, Precision::Day),
            Shape::Range(s, e) => (2, s, e),
            Shape::Until(p) => (3, Precision::Day, p),
            Shape::Since(p) => (4, p, Precision::Day),
        };
        form << 4 | (start as u8) << 2 | end as u8
    }

    /// The shape numbered `code`, if it is one.
    pub fn from_code(code: u8) -> Option<Shape> {
        let start = *Precision::ALL.get((code >> 2 & 3) as usize)?;
        let end = *Precision::ALL.get((code & 3) as usize)?;
        let shape = match code >> 4 {
            0 => Shape::Undated,
            1 => Shape::Point(start),
            2 => Shape::Range(start, end),
            3 => Shape::Until(end),
            4 => Shape::Since(start),
            _ => return None,
        };
        // One number for each shape: the unused precisions are days.
        (shape.code() == code).then_some(shape)
    }
}

/// A closed interval of days with the precision it was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeSpan {
    earliest: Day,
    latest: Day,
    shape: Shape,
}

/// Why a date did not parse; the message names what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad date '{text}': {reason}")]
pub struct DateError {
    pub text: String,
    pub reason: &'static str,
}

impl Default for TimeSpan {
    fn default() -> Self {
        TimeSpan::UNDATED
    }
}

impl TimeSpan {
    /// The span of a relation whose time is unknown; it overlaps every window.
    pub const UNDATED: TimeSpan = TimeSpan {
        earliest: MIN_DAY,
        latest: MAX_DAY,
        shape: Shape::Undated,
    };

    /// One day.
    pub fn day(date: NaiveDate) -> TimeSpan {
        let d = day_number(date);
        TimeSpan {
            earliest: d,
            latest: d,
            shape: Shape::Point(Precision::Day),
        }
    }

    /// One day, by its number (clamped to the days a date may name).
    pub fn on_day(day: Day) -> TimeSpan {
        let d = day.clamp(MIN_DAY, MAX_DAY);
        TimeSpan {
            earliest: d,
            latest: d,
            shape: Shape::Point(Precision::Day),
        }
    }

    /// Parses the written form; the empty string is undated.
    pub fn parse(text: &str) -> Result<TimeSpan, DateError> {
        let bad = |reason| DateError {
            text: text.to_string(),
            reason,
        };
        if text.is_empty() {
            return Ok(TimeSpan::UNDATED);
        }
        match text.split_once("..") {
            None => {
                let (lo, hi, p) = parse_point(text).map_err(bad)?;
                Ok(TimeSpan {
                    earliest: lo,
                    latest: hi,
                    shape: Shape::Point(p),
                })
            }
            Some(("", "")) => Err(bad("a range needs at least one end (e.g. ..2025-06-29)")),
            Some(("", end)) => {
                let (_, hi, p) = parse_point(end).map_err(bad)?;
                Ok(TimeSpan {
                    earliest: MIN_DAY,
                    latest: hi,
                    shape: Shape::Until(p),
                })
            }
            Some((start, "")) => {
                let (lo, _, p) = parse_point(start).map_err(bad)?;
                Ok(TimeSpan {
                    earliest: lo,
                    latest: MAX_DAY,
                    shape: Shape::Since(p),
                })
            }
            Some((start, end)) => {
                let (lo, _, ps) = parse_point(start).map_err(bad)?;
                let (_, hi, pe) = parse_point(end).map_err(bad)?;
                if hi < lo {
                    return Err(bad("the range ends before it starts"));
                }
                Ok(TimeSpan {
                    earliest: lo,
                    latest: hi,
                    shape: Shape::Range(ps, pe),
                })
            }
        }
    }

    /// Rebuilds a span from its stored parts, if they are consistent (a loaded file
    /// might hold anything): each bound must be the first or last day of a unit of its
    /// precision, open ends at the limits, the start no later than the end.
    pub fn from_parts(earliest: Day, latest: Day, shape: Shape) -> Option<TimeSpan> {
        let span = TimeSpan {
            earliest,
            latest,
            shape,
        };
        let in_range = MIN_DAY <= earliest && earliest <= latest && latest <= MAX_DAY;
        // Every day starts and ends a day: only months and years need the calendar.
        let starts = |p| in_range && (p == Precision::Day || unit_start(earliest, p) == earliest);
        let ends = |p| in_range && (p == Precision::Day || unit_end(latest, p) == latest);
        let consistent = match shape {
            Shape::Undated => earliest == MIN_DAY && latest == MAX_DAY,
            Shape::Point(Precision::Day) => in_range && earliest == latest,
            Shape::Point(p) => starts(p) && unit_end(earliest, p) == latest,
            Shape::Range(ps, pe) => starts(ps) && ends(pe),
            Shape::Until(p) => earliest == MIN_DAY && ends(p),
            Shape::Since(p) => latest == MAX_DAY && starts(p),
        };
        consistent.then_some(span)
    }

    /// Whether the relation has no date at all.
    pub fn is_undated(&self) -> bool {
        self.shape == Shape::Undated
    }

    /// The first and last day the span can mean; `None` when undated.
    pub fn days(&self) -> Option<(Day, Day)> {
        (!self.is_undated()).then_some((self.earliest, self.latest))
    }

    /// The first day the span can mean (0001-01-01 for an open start or undated).
    pub fn earliest(&self) -> Day {
        self.earliest
    }

    /// The last day the span can mean (9999-12-31 for an open end or undated).
    pub fn latest(&self) -> Day {
        self.latest
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Whether the span shares at least one day with `other` (undated overlaps everything).
    pub fn overlaps(&self, other: &TimeSpan) -> bool {
        self.earliest <= other.latest && other.earliest <= self.latest
    }

    /// Whether every day the span can mean lies inside `window`.
    pub fn within(&self, window: &TimeSpan) -> bool {
        window.earliest <= self.earliest && self.latest <= window.latest
    }

    /// Whether `day` lies inside the span.
    pub fn contains(&self, day: Day) -> bool {
        self.earliest <= day && day <= self.latest
    }

    /// The day a span sorts at: its known end when the start is open (`..2025-06-29`
    /// sorts at 29 June), its start otherwise (`2022-02-24..` at 24 February 2022,
    /// `2025-03` at 1 March). `None` when undated.
    pub fn anchor(&self) -> Option<Day> {
        match self.shape {
            Shape::Undated => None,
            Shape::Until(_) => Some(self.latest),
            _ => Some(self.earliest),
        }
    }

    /// The precision of the end a span sorts at.
    fn anchor_precision(&self) -> Precision {
        match self.shape {
            Shape::Undated => Precision::Year,
            Shape::Point(p) | Shape::Since(p) | Shape::Until(p) | Shape::Range(p, _) => p,
        }
    }

    /// The order of timelines, `ORDER BY` and `min`/`max`: by the day a span sorts at
    /// ([`TimeSpan::anchor`]); on the same day the finer written date first (a day,
    /// then a month, then a year), then a closed span before an open one, then the
    /// shorter span first; undated last. Total: two spans that tie on all of it are the
    /// same span.
    pub fn timeline_order(&self, other: &TimeSpan) -> Ordering {
        let key = |s: &TimeSpan| {
            let open = matches!(s.shape, Shape::Until(_) | Shape::Since(_));
            (
                s.anchor().is_none(),
                s.anchor(),
                s.anchor_precision(),
                open,
                s.latest,
                s.earliest,
            )
        };
        key(self)
            .cmp(&key(other))
            .then_with(|| self.to_string().cmp(&other.to_string()))
    }
}

impl std::str::FromStr for TimeSpan {
    type Err = DateError;

    fn from_str(text: &str) -> Result<TimeSpan, DateError> {
        TimeSpan::parse(text)
    }
}

impl fmt::Display for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.shape {
            Shape::Undated => Ok(()),
            Shape::Point(p) => write_point(f, self.earliest, p),
            Shape::Range(ps, pe) => {
                write_point(f, self.earliest, ps)?;
                f.write_str("..")?;
                write_point(f, self.latest, pe)
            }
            Shape::Until(p) => {
                f.write_str("..")?;
                write_point(f, self.latest, p)
            }
            Shape::Since(p) => {
                write_point(f, self.earliest, p)?;
                f.write_str("..")
            }
        }
    }
}

/// The day number of a chrono date.
pub fn day_number(date: NaiveDate) -> Day {
    date.num_days_from_ce() - 1
}

/// The chrono date of a day number (clamped to the supported range).
pub fn date_of(day: Day) -> NaiveDate {
    let day = day.clamp(MIN_DAY, MAX_DAY);
    // Every day in MIN_DAY..=MAX_DAY is a valid date.
    NaiveDate::from_num_days_from_ce_opt(day + 1).unwrap_or(NaiveDate::MIN)
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    date_of(day).format("%Y-%m-%d").to_string()
}

/// The first day of the day, month or year that `day` falls in.
fn unit_start(day: Day, precision: Precision) -> Day {
    let date = date_of(day);
    let first = match precision {
        Precision::Day => Some(date),
        Precision::Month => date.with_day(1),
        Precision::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
    };
    first.map_or(day, day_number)
}

/// The last day of the day, month or year that `day` falls in.
fn unit_end(day: Day, precision: Precision) -> Day {
    let date = date_of(day);
    let last = match precision {
        Precision::Day => Some(date),
        Precision::Month => NaiveDate::from_ymd_opt(date.year(), date.month(), 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt()),
        Precision::Year => NaiveDate::from_ymd_opt(date.year(), 12, 31),
    };
    last.map_or(day, day_number)
}

fn write_point(f: &mut fmt::Formatter<'_>, day: Day, precision: Precision) -> fmt::Result {
    let date = date_of(day);
    match precision {
        Precision::Day => write!(
            f,
            "{:04}-{:02}-{:02}",
            date.year(),
            date.month(),
            date.day()
        ),
        Precision::Month => write!(f, "{:04}-{:02}", date.year(), date.month()),
        Precision::Year => write!(f, "{:04}", date.year()),
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into (first day, last day, precision).
fn parse_point(text: &str) -> Result<(Day, Day, Precision), &'static str> {
    const EXPECTED: &str =
        "expected YYYY-MM-DD, YYYY-MM or YYYY, optionally as a range A..B, ..B or A..";
    let mut split = text.split('-');
    let parts: [Option<&str>; 4] = [split.next(), split.next(), split.next(), split.next()];
    let number = |s: &str, len: usize| -> Result<u32, &'static str> {
        if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EXPECTED);
        }
        s.parse().map_err(|_| EXPECTED)
    };
    match parts {
        [Some(y), None, _, _] => {
            let y = year(number(y, 4)?)?;
            let first = ymd(y, 1, 1)?;
            let last = ymd(y, 12, 31)?;
            Ok((first, last, Precision::Year))
        }
        [Some(y), Some(m), None, _] => {
            let y = year(number(y, 4)?)?;
            let m = number(m, 2)?;
            if !(1..=12).contains(&m) {
                return Err("month must be 01 to 12");
            }
            let first = ymd(y, m, 1)?;
            let last = match m {
                12 => ymd(y, 12, 31)?,
                _ => ymd(y, m + 1, 1)? - 1,
            };
            Ok((first, last, Precision::Month))
        }
        [Some(y), Some(m), Some(d), None] => {
            let y = year(number(y, 4)?)?;
            let m = number(m, 2)?;
            let d = number(d, 2)?;
            if !(1..=12).contains(&m) {
                return Err("month must be 01 to 12");
            }
            let day = ymd(y, m, d).map_err(|_| "no such day in that month")?;
            Ok((day, day, Precision::Day))
        }
        _ => Err(EXPECTED),
    }
}

fn year(y: u32) -> Result<i32, &'static str> {
    if (1..=9999).contains(&y) {
        Ok(y as i32)
    } else {
        Err("year must be 0001 to 9999")
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Result<Day, &'static str> {
    NaiveDate::from_ymd_opt(y, m, d)
        .map(day_number)
        .ok_or("no such day")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Day {
        day_number(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn every_shape_has_one_code() {
        let mut codes = std::collections::HashSet::new();
        for code in 0..=u8::MAX {
            if let Some(shape) = Shape::from_code(code) {
                assert_eq!(shape.code(), code);
                assert!(codes.insert(code));
            }
        }
        // Undated, 3 points, 9 ranges, 3 open starts, 3 open ends.
        assert_eq!(codes.len(), 19);
    }

    #[test]
    fn month_bounds_follow_the_calendar() {
        let feb = TimeSpan::parse("2024-02").unwrap();
        assert_eq!(feb.earliest(), d("2024-02-01"));
        assert_eq!(feb.latest(), d("2024-02-29"));
        let feb = TimeSpan::parse("2025-02").unwrap();
        assert_eq!(feb.latest(), d("2025-02-28"));
        let year = TimeSpan::parse("2025").unwrap();
        assert_eq!(
            (year.earliest(), year.latest()),
            (d("2025-01-01"), d("2025-12-31"))
        );
    }

    #[test]
    fn open_ends_reach_the_limits() {
        let until = TimeSpan::parse("..2025-06-29").unwrap();
        assert_eq!(
            (until.earliest(), until.latest()),
            (MIN_DAY, d("2025-06-29"))
        );
        let since = TimeSpan::parse("2022-02-24..").unwrap();
        assert_eq!(
            (since.earliest(), since.latest()),
            (d("2022-02-24"), MAX_DAY)
        );
        let range = TimeSpan::parse("2025-03..2025").unwrap();
        assert_eq!(
            (range.earliest(), range.latest()),
            (d("2025-03-01"), d("2025-12-31"))
        );
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "2025-13-45",
            "2025-02-30",
            "2025-13",
            "25-01-01",
            "2025-1-5",
            "0000",
            "..",
            "x",
            "2025-06-25..2025-06-24",
            "2025-01-01...",
            "2025/01/01",
            "+2025",
            "2025-01-01..x",
        ] {
            assert!(TimeSpan::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn inconsistent_parts_are_refused() {
        let march = TimeSpan::parse("2025-03").unwrap();
        let (e, l) = (march.earliest(), march.latest());
        assert_eq!(TimeSpan::from_parts(e, l, march.shape()), Some(march));
        assert_eq!(TimeSpan::from_parts(e + 1, l, march.shape()), None);
        assert_eq!(TimeSpan::from_parts(e, l - 1, march.shape()), None);
        assert_eq!(
            TimeSpan::from_parts(e, l, Shape::Point(Precision::Day)),
            None
        );
        assert_eq!(
            TimeSpan::from_parts(l, e, Shape::Range(Precision::Day, Precision::Day)),
            None
        );
        assert_eq!(
            TimeSpan::from_parts(e, l, Shape::Until(Precision::Month)),
            None
        );
        assert_eq!(TimeSpan::from_parts(-5, MAX_DAY, Shape::Undated), None);
        assert_eq!(
            TimeSpan::from_parts(MIN_DAY, MAX_DAY, Shape::Undated),
            Some(TimeSpan::UNDATED)
        );
    }

    #[test]
    fn uncertain_dates_sort_at_their_known_end() {
        let mut spans: Vec<TimeSpan> = [
            "",
            "..2025-06-29",
            "2025-06-29",
            "2025",
            "2025-02",
            "2025-02-12",
            "2022-02-24..",
            "2025-02-01",
            "2025-06-24..2025-06-25",
            "2025-06-24",
        ]
        .iter()
        .map(|t| TimeSpan::parse(t).unwrap())
        .collect();
        spans.sort_by(|a, b| a.timeline_order(b));
        let written: Vec<String> = spans.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            written,
            [
                "2022-02-24..",
                "2025",
                "2025-02-01",
                "2025-02",
                "2025-02-12",
                "2025-06-24",
                "2025-06-24..2025-06-25",
                "2025-06-29",
                "..2025-06-29",
                "",
            ]
        );
    }

    #[test]
    fn overlap_and_containment() {
        let window = TimeSpan::parse("2025-02-01..2025-02-28").unwrap();
        let p = |s| TimeSpan::parse(s).unwrap();
        assert!(p("2025-02-12").overlaps(&window));
        assert!(p("2025-02").within(&window));
        assert!(p("..2025-06-29").overlaps(&window));
        assert!(!p("..2025-06-29").within(&window));
        assert!(!p("2025-03").overlaps(&window));
        assert!(p("2025").overlaps(&window) && !p("2025").within(&window));
        assert!(TimeSpan::UNDATED.overlaps(&window));
    }

    fn written() -> impl Strategy<Value = String> {
        let point = prop_oneof![
            (1u32..=9999, 1u32..=12, 1u32..=28)
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            (1u32..=9999, 1u32..=12).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
            (1u32..=9999).prop_map(|y| format!("{y:04}")),
        ];
        (point.clone(), point, 0..5u8).prop_map(|(a, b, form)| match form {
            0 => a,
            1 => format!("..{b}"),
            2 => format!("{a}.."),
            3 => String::new(),
            _ => {
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                format!("{a}..{b}")
            }
        })
    }

    proptest! {
        #[test]
        fn prints_back_exactly_as_written(text in written()) {
            // A range whose end lies before its start (2025-03..2025-02-15) is refused;
            // everything that parses prints back unchanged.
            if let Ok(span) = TimeSpan::parse(&text) {
                prop_assert_eq!(span.to_string(), text);
                prop_assert_eq!(TimeSpan::from_parts(span.earliest(), span.latest(), span.shape()), Some(span));
            }
        }

        #[test]
        fn bounds_are_the_first_and_last_day_meant(y in 1i32..=9999, m in 1u32..=12) {
            let span = TimeSpan::parse(&format!("{y:04}-{m:02}")).unwrap();
            let first = date_of(span.earliest());
            let after = date_of(span.latest()).succ_opt();
            prop_assert_eq!((first.year(), first.month(), first.day()), (y, m, 1));
            if let Some(after) = after {
                prop_assert_eq!(after.day(), 1);
                prop_assert_ne!(after.month(), m);
            }
        }

        #[test]
        fn overlap_is_symmetric_and_agrees_with_days(a in written(), b in written(), probe in 0i32..MAX_DAY) {
            if let (Ok(a), Ok(b)) = (TimeSpan::parse(&a), TimeSpan::parse(&b)) {
                prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
                if a.contains(probe) && b.contains(probe) {
                    prop_assert!(a.overlaps(&b));
                }
                if a.within(&b) {
                    prop_assert!(a.overlaps(&b));
                }
            }
        }
    }
}
