//! The rules: each reads the tokens at one place and, when an expression starts there,
//! says where it ends and what it resolves to. `recognise` takes the longest.

use chrono::{Datelike, Duration, NaiveDate};

use super::cursor::At;
use super::value::{Value, add_months, week_of};
use super::words::{
    Unit, day_part_of, decade_word, is_vague_amount, month_of, number_of, ordinal_of, season_of,
    weekday_of,
};

/// A rule: where the expression starting at a token ends, and its value.
pub(super) type Rule = fn(&At, usize) -> Option<(usize, Value)>;

/// Every rule, in the order ties are settled (the first of equally long matches wins).
pub(super) const RULES: [Rule; 13] = [
    explicit_date,
    day_month,
    numeric_date,
    year_or_decade,
    relative_day,
    reference,
    shifted,
    ago,
    this_period,
    duration,
    part_of_year,
    clock,
    recurrence,
];

/// How many units "last", "this" and "next" move.
fn shift_word(word: &str) -> Option<i32> {
    match word {
        "last" | "past" | "previous" => Some(-1),
        "this" | "current" => Some(0),
        "next" | "coming" => Some(1),
        _ => None,
    }
}

/// The last quarter that has ended by `day`.
fn last_quarter(day: NaiveDate) -> Value {
    let (year, month) = add_months(day.year(), day.month(), -3);
    Value::Quarter {
        year,
        quarter: (month - 1) / 3 + 1,
    }
}

fn date(year: i32, month: u32, day: u32) -> Option<Value> {
    NaiveDate::from_ymd_opt(year, month, day).map(Value::Day)
}

/// "Feb. 12", "February 12, 2025", "Tuesday, Jan. 8", "March 1998", "March of 1998",
/// "in March".
fn explicit_date(at: &At, i: usize) -> Option<(usize, Value)> {
    let mut j = i;
    if weekday_of(at.w(j)).is_some() && at.capital(j) {
        j += 1;
        if at.w(j) == "," {
            j += 1;
        }
    }
    let month = at.month_at(j)?;
    if let Some(day) = at.day_at(j + 1) {
        let mut k = j + 2;
        // "June 24-25": the expression is the first day.
        let with_year = |k: usize| {
            let k = if at.w(k) == "," { k + 1 } else { k };
            at.year_at(k).map(|y| (k + 1, y))
        };
        if let Some((end, year)) = with_year(k) {
            return date(year, month, day).map(|v| (end, v));
        }
        if at.w(k) == "-" && at.day_at(k + 1).is_some() && with_year(k + 2).is_none() {
            k = j + 2;
        }
        return date(at.year_for(month, Some(day)), month, day).map(|v| (k, v));
    }
    let k = if matches!(at.w(j + 1), "of" | ",") {
        j + 2
    } else {
        j + 1
    };
    if let Some(year) = at.year_at(k).or_else(|| at.spoken_year(k).map(|(_, y)| y)) {
        let end = at.spoken_year(k).map_or(k + 1, |(end, _)| end);
        return Some((end, Value::Month { year, month }));
    }
    if let Some(by) = shift_word(at.w(j + 1))
        && at.w(j + 2) == "year"
    {
        let year = at.c.anchor.year() + by;
        return Some((j + 3, Value::Month { year, month }));
    }
    // A month alone only where a date is expected.
    let before = if j > 0 { at.w(j - 1) } else { "" };
    let expected = matches!(
        before,
        "in" | "since"
            | "by"
            | "until"
            | "till"
            | "from"
            | "early"
            | "late"
            | "mid"
            | "of"
            | "during"
            | "before"
            | "after"
            | "through"
            | "between"
            | "and"
            | "to"
            | "-"
            | "last"
            | "next"
            | "this"
            | "that"
            | "throughout"
    );
    if !(expected || at.c.delimited) || j != i && weekday_of(at.w(i)).is_some() {
        return None;
    }
    let year = at.year_for(month, None);
    Some((j + 1, Value::Month { year, month }))
}

/// "12 February 2025", "the 5th of June".
fn day_month(at: &At, i: usize) -> Option<(usize, Value)> {
    let mut j = i;
    if at.w(j) == "the" {
        j += 1;
    }
    let day = at.day_at(j)?;
    let mut k = j + 1;
    if at.w(k) == "of" {
        k += 1;
    }
    let month = at.month_at(k)?;
    let k = k + 1;
    let k_year = if at.w(k) == "," { k + 1 } else { k };
    match at.year_at(k_year) {
        Some(year) => date(year, month, day).map(|v| (k_year + 1, v)),
        None => date(at.year_for(month, Some(day)), month, day).map(|v| (k, v)),
    }
}

/// "2025-02-12", "2/12/2025", "02/12/98".
fn numeric_date(at: &At, i: usize) -> Option<(usize, Value)> {
    let n = |k: usize| -> Option<u32> {
        let w = at.w(k);
        (w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty() && w.len() <= 4)
            .then(|| w.parse().ok())
            .flatten()
    };
    if let Some(year) = at.year_at(i)
        && at.w(i + 1) == "-"
        && at.w(i + 3) == "-"
        && at.w(i + 2).len() == 2
    {
        return date(year, n(i + 2)?, n(i + 4)?).map(|v| (i + 5, v));
    }
    if at.w(i + 1) == "/" && at.w(i + 3) == "/" {
        let (m, d, y) = (n(i)?, n(i + 2)?, n(i + 4)?);
        let y = match at.w(i + 4).len() {
            4 => y as i32,
            2 if y >= 50 => 1900 + y as i32,
            2 => 2000 + y as i32,
            _ => return None,
        };
        return date(y, m, d).map(|v| (i + 5, v));
    }
    None
}

/// "1998", "the 1990s", "the '90s", "fiscal 1998".
fn year_or_decade(at: &At, i: usize) -> Option<(usize, Value)> {
    let mut j = i;
    if at.w(j) == "the" {
        j += 1;
    }
    let w = at.w(j);
    if let Some(digits) = w.strip_suffix('s')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        let decade = match digits.len() {
            4 => digits.parse::<i32>().ok().filter(|y| y % 10 == 0)? / 10,
            2 if at.w(j.wrapping_sub(1)) == "'" || j > i => {
                let y: i32 = digits.parse().ok().filter(|y: &i32| y % 10 == 0)?;
                if y >= 30 { 190 + y / 10 } else { 200 + y / 10 }
            }
            _ => return None,
        };
        return Some((j + 1, Value::Decade(decade)));
    }
    if w == "fiscal" {
        let k = if at.w(j + 1) == "year" { j + 2 } else { j + 1 };
        return at.year_at(k).map(|y| (k + 1, Value::Year(y)));
    }
    if let Some(decade) = decade_word(w) {
        return Some((j + 1, Value::Decade(decade)));
    }
    if let Some(n) = ordinal_of(w)
        && at.w(j + 1) == "century"
        && (1..=30).contains(&n)
    {
        return Some((j + 2, Value::Century(n as i32 - 1)));
    }
    let k = if w == "year" && j > i { j + 1 } else { j };
    if let Some((end, year)) = at.spoken_year(k) {
        return Some((end, Value::Year(year)));
    }
    if j != i {
        return None;
    }
    let year = at.year_at(j)?;
    // Not an amount ("1998 people", "$2000").
    let before = if j > 0 { at.w(j - 1) } else { "" };
    if matches!(before, "$" | "#" | "no") || matches!(at.w(j + 1), "%" | "percent") {
        return None;
    }
    Some((j + 1, Value::Year(year)))
}

/// "today", "yesterday morning", "tonight", "tomorrow".
fn relative_day(at: &At, i: usize) -> Option<(usize, Value)> {
    let a = at.c.anchor;
    let (day, next) = match at.w(i) {
        "today" => (a, i + 1),
        "yesterday" => (a - Duration::days(1), i + 1),
        "tomorrow" => (a + Duration::days(1), i + 1),
        "tonight" => return Some((i + 1, Value::DayPart { day: a, part: "NI" })),
        "this" | "that" if day_part_of(at.w(i + 1)).is_some() => {
            let part = day_part_of(at.w(i + 1))?;
            return Some((i + 2, Value::DayPart { day: a, part }));
        }
        w if weekday_of(w).is_some() && at.capital(i) && w.len() > 4 => {
            let day = at.weekday_near(weekday_of(w)?, 0);
            (day, i + 1)
        }
        _ => return None,
    };
    match day_part_of(at.w(next)) {
        Some(part) => Some((next + 1, Value::DayPart { day, part })),
        None => Some((next, Value::Day(day))),
    }
}

/// "now", "currently", "recently", "the past", "the future", "former".
fn reference(at: &At, i: usize) -> Option<(usize, Value)> {
    let v = match at.w(i) {
        "now" | "currently" | "nowadays" | "presently" => (i + 1, Value::Present),
        "recently" | "lately" | "previously" | "formerly" => (i + 1, Value::Past),
        "current" | "already" if at.c.delimited => (i + 1, Value::Present),
        "recent" | "once" | "earlier" if at.c.delimited && Unit::of(at.w(i + 1)).is_none() => {
            (i + 1, Value::Past)
        }
        "future" if at.c.delimited => (i + 1, Value::Future),
        "recent" if Unit::of(at.w(i + 1)).is_some() => (i + 2, Value::Past),
        "coming"
            if matches!(
                Unit::of(at.w(i + 1)),
                Some(Unit::Day | Unit::Week | Unit::Month)
            ) && at.w(i + 1).ends_with('s') =>
        {
            (i + 2, Value::Future)
        }
        "the" if at.w(i + 1) == "near" && matches!(at.w(i + 2), "future" | "term") => {
            (i + 3, Value::Future)
        }
        "the" if at.w(i + 1) == "past" && !is_amount_or_unit(at, i + 2) => (i + 2, Value::Past),
        "the" if at.w(i + 1) == "future" => (i + 2, Value::Future),
        "the" if at.w(i + 1) == "present" => (i + 2, Value::Present),
        "soon" => (i + 1, Value::Future),
        _ => return None,
    };
    Some(v)
}

fn is_amount_or_unit(at: &At, i: usize) -> bool {
    number_of(at.w(i)).is_some() || is_vague_amount(at.w(i)) || Unit::of(at.w(i)).is_some()
}

/// "last week", "this year", "next month", "last Tuesday", "this summer", "the previous
/// day", "earlier this month" (the modifier joins in `longest`).
fn shifted(at: &At, i: usize) -> Option<(usize, Value)> {
    let (by, j): (i64, usize) = match (at.w(i), at.w(i + 1)) {
        ("last" | "past" | "previous", _) => (-1, i + 1),
        ("this" | "current", _) => (0, i + 1),
        ("next" | "coming", _) => (1, i + 1),
        ("the", "previous" | "preceding") => (-1, i + 2),
        ("the", "following" | "next") => (1, i + 2),
        ("the", "same") => (0, i + 2),
        _ => return None,
    };
    let a = at.c.anchor;
    let w = at.w(j);
    let value = match (w, Unit::of(w)) {
        (_, Some(Unit::Day)) if at.w(i) == "the" => Value::Day(a + Duration::days(by)),
        ("night", _) if by == -1 => Value::DayPart {
            day: a - Duration::days(1),
            part: "NI",
        },
        (_, Some(Unit::Week)) => {
            let (year, week) = week_of(a, by);
            Value::Week { year, week }
        }
        ("weekend", _) => {
            let (year, week) = week_of(a, by);
            Value::Weekend { year, week }
        }
        (_, Some(Unit::Month)) => {
            let (year, month) = add_months(a.year(), a.month(), by as i32);
            Value::Month { year, month }
        }
        (_, Some(Unit::Quarter)) => {
            let (year, month) = add_months(a.year(), a.month(), 3 * by as i32);
            Value::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            }
        }
        (_, Some(Unit::Year)) => Value::Year(a.year() + by as i32),
        (_, Some(Unit::Decade)) => Value::Decade(a.year() / 10 + by as i32),
        (_, Some(Unit::Century)) => Value::Century(a.year() / 100 + by as i32),
        _ if weekday_of(w).is_some() && at.capital(j) => {
            let weekday = weekday_of(w)?;
            Value::Day(match by {
                0 => at.weekday_near(weekday, 0),
                _ => at.weekday_near(weekday, by),
            })
        }
        _ if month_of(w).is_some() && at.capital(j) => {
            let month = month_of(w)?;
            let year = match by {
                -1 if month >= a.month() => a.year() - 1,
                1 if month <= a.month() => a.year() + 1,
                _ => a.year(),
            };
            Value::Month { year, month }
        }
        _ if season_of(w).is_some() => {
            let season = season_of(w)?;
            Value::Season {
                year: a.year() + by as i32,
                season,
            }
        }
        _ => return None,
    };
    // "the past year" is a stretch of time, not last year.
    if at.w(i) == "the" && matches!(at.w(i + 1), "past" | "last") {
        return None;
    }
    Some((j + 1, value))
}

/// "three years ago", "a week ago", "two days earlier".
fn ago(at: &At, i: usize) -> Option<(usize, Value)> {
    let a = at.c.anchor;
    // "year-earlier", "the year-ago quarter": compared with a year before.
    let mut j = i;
    if at.w(j) == "the" {
        j += 1;
    }
    if at.w(j) == "year" && at.w(j + 1) == "-" && matches!(at.w(j + 2), "ago" | "earlier") {
        let mut end = j + 3;
        if j > i && matches!(at.w(end), "quarter" | "period") {
            end += 1;
        }
        return Some((end, year_before(at)));
    }
    let n = number_of(at.w(i))?;
    let unit = Unit::of(at.w(i + 1))?;
    if !matches!(at.w(i + 2), "ago" | "earlier") {
        return None;
    }
    if n == 1 && unit == Unit::Year {
        return Some((i + 3, year_before(at)));
    }
    let n = n as i64;
    let value = match unit {
        Unit::Day => Value::Day(a - Duration::days(n)),
        Unit::Week => {
            let (year, week) = week_of(a, -n);
            Value::Week { year, week }
        }
        Unit::Month => {
            let (year, month) = add_months(a.year(), a.month(), -(n as i32));
            Value::Month { year, month }
        }
        Unit::Year => Value::Year(a.year() - n as i32),
        Unit::Decade => Value::Decade(a.year() / 10 - n as i32),
        _ => Value::Day(a),
    };
    Some((i + 3, value))
}

/// A year before the anchor; in a sentence about quarters (earnings news), the
/// quarter a year before the last one ended.
fn year_before(at: &At) -> Value {
    let a = at.c.anchor;
    if at.t.iter().any(|t| t.word == "quarter")
        && let Value::Quarter { year, quarter } = last_quarter(a)
    {
        return Value::Quarter {
            year: year - 1,
            quarter,
        };
    }
    Value::Year(a.year() - 1)
}

/// "the weekend", "the full year", "the fiscal year", "the quarter", "the latest
/// period": the one the anchor is in, or for weekends and quarters the last one ended.
fn this_period(at: &At, i: usize) -> Option<(usize, Value)> {
    if at.w(i) != "the" {
        return None;
    }
    let a = at.c.anchor;
    let mut j = i + 1;
    let latest = matches!(at.w(j), "latest" | "recent" | "past" | "last" | "just")
        || (at.w(j) == "most" && at.w(j + 1) == "recent");
    if at.w(j) == "most" {
        j += 1;
    }
    if latest {
        j += 1;
        if at.w(j - 1) == "just" && at.w(j) == "-" {
            j += 2;
        }
    }
    let full = matches!(at.w(j), "full" | "fiscal" | "current" | "calendar");
    if full {
        j += 1;
        if at.w(j) == "fiscal" {
            j += 1;
        }
    }
    let value = match at.w(j) {
        "weekend" if !latest && !full => {
            let back = match a.weekday().num_days_from_monday() {
                5 | 6 => 0,
                _ => -1,
            };
            let (year, week) = week_of(a, back);
            Value::Weekend { year, week }
        }
        "year" if full || at.c.delimited && !latest => Value::Year(a.year()),
        "quarter" if !full || at.w(j - 1) == "current" => match at.w(j - 1) {
            "current" => Value::Quarter {
                year: a.year(),
                quarter: (a.month() - 1) / 3 + 1,
            },
            _ => last_quarter(a),
        },
        "period" if latest => last_quarter(a),
        _ => return None,
    };
    Some((j + 1, value))
}

/// "three years", "the past two weeks", "a five-year", "several months", "24 hours",
/// "the next decade".
fn duration(at: &At, i: usize) -> Option<(usize, Value)> {
    let mut j = i;
    if at.w(j) == "the" {
        j += 1;
        if matches!(
            at.w(j),
            "past"
                | "last"
                | "next"
                | "coming"
                | "previous"
                | "first"
                | "final"
                | "following"
                | "recent"
                | "latest"
        ) {
            j += 1;
        }
    } else if matches!(at.w(j), "a" | "an") && matches!(at.w(j + 1), "few" | "couple") {
        j += 1;
    }
    let amount = if is_vague_amount(at.w(j)) {
        j += 1;
        if at.w(j) == "of" {
            j += 1;
        }
        None
    } else if let Some(n) = number_of(at.w(j)) {
        j += 1;
        if at.w(j) == "of" && at.w(j - 1) == "couple" {
            j += 1;
        }
        let tens = (20..100).contains(&n) && n % 10 == 0;
        let unit_at = |k: usize| number_of(at.w(k)).filter(|u| (1..10).contains(u));
        if tens && at.w(j) == "-" && unit_at(j + 1).is_some() {
            // "twenty-four": add the units.
            j += 2;
            Some(n + unit_at(j - 1)?)
        } else if tens && unit_at(j).is_some() {
            j += 1;
            Some(n + unit_at(j - 1)?)
        } else {
            Some(n)
        }
    } else if j > i && Unit::of(at.w(j)).is_some() {
        // "the past year", "the next decade": one of the unit.
        Some(1)
    } else if at.c.delimited && j == i && Unit::of(at.w(j)).is_some() {
        // An annotated "weeks" is some weeks, "day" one day.
        match at.w(j).ends_with('s') {
            true => None,
            false => Some(1),
        }
    } else {
        return None;
    };
    if at.w(j) == "-" {
        j += 1;
    }
    let unit = Unit::of(at.w(j))?;
    j += 1;
    if at.w(j) == "-" && at.w(j + 1) == "long" {
        j += 2;
    }
    // An age ("a 6-year-old") is not a time expression.
    if at.w(j) == "-" && at.w(j + 1) == "old" || at.w(j) == "old" {
        return None;
    }
    // "the second", "a second": an ordinal or a moment, unless counted.
    if unit == Unit::Second
        && !amount.is_some_and(|_| {
            number_of(at.w(j - 2)).is_some_and(|_| !matches!(at.w(j - 2), "a" | "an"))
        })
    {
        return None;
    }
    if at.w(j) == "ago" {
        return None;
    }
    // Bare "a day" or "one year" after a price is a rate, not a stretch ("$5 a day").
    if i > 0 && matches!(at.w(i), "a" | "an" | "per") && number_of(at.w(i - 1)).is_some() {
        return None;
    }
    let prefix = if unit.is_clock() { "PT" } else { "P" };
    let (count, letter) = match (unit, amount) {
        (Unit::Quarter, Some(n)) => (format!("{}", n * 3), "M"),
        (Unit::Quarter, None) => ("X".to_string(), "M"),
        // One decade is P1E, as TimeBank writes it; more are counted in years.
        (Unit::Decade, Some(n)) if n > 1 => (format!("{}", n * 10), "Y"),
        (_, Some(n)) => (n.to_string(), unit.letter()),
        (_, None) => ("X".to_string(), unit.letter()),
    };
    Some((j, Value::Duration(format!("{prefix}{count}{letter}"))))
}

/// "the first quarter", "the third quarter of 1998", "the fourth-quarter", "the first
/// half", "summer 1998", "the summer of 1998".
fn part_of_year(at: &At, i: usize) -> Option<(usize, Value)> {
    let mut j = i;
    if at.w(j) == "the" {
        j += 1;
    }
    let a = at.c.anchor;
    if let Some(season) = season_of(at.w(j)) {
        let k = if at.w(j + 1) == "of" { j + 2 } else { j + 1 };
        let year = at.year_at(k)?;
        return Some((k + 1, Value::Season { year, season }));
    }
    let n = ordinal_of(at.w(j))?;
    let mut k = j + 1;
    if at.w(k) == "-" {
        k += 1;
    }
    let quarter = match at.w(k) {
        "quarter" => true,
        "half" => false,
        _ => return None,
    };
    if (quarter && !(1..=4).contains(&n)) || (!quarter && !(1..=2).contains(&n)) {
        return None;
    }
    k += 1;
    let (year, end) = match (at.w(k), at.year_at(k + 1)) {
        ("of" | ",", Some(y)) => (y, k + 2),
        _ => {
            let now = if quarter {
                (a.month() - 1) / 3 + 1
            } else {
                (a.month() - 1) / 6 + 1
            };
            let year = if n > now && !at.future {
                a.year() - 1
            } else {
                a.year()
            };
            (year, k)
        }
    };
    let value = if quarter {
        Value::Quarter { year, quarter: n }
    } else {
        Value::Half { year, half: n }
    };
    Some((end, value))
}

/// "3 p.m.", "10:30 a.m.", "noon", "midnight".
fn clock(at: &At, i: usize) -> Option<(usize, Value)> {
    let day = Some(at.c.anchor);
    match at.w(i) {
        "noon" | "midday" => {
            return Some((
                i + 1,
                Value::Clock {
                    day,
                    hour: 12,
                    minute: 0,
                },
            ));
        }
        "midnight" => {
            return Some((
                i + 1,
                Value::Clock {
                    day,
                    hour: 24,
                    minute: 0,
                },
            ));
        }
        _ => {}
    }
    let hour: u32 = at.w(i).parse().ok().filter(|h| *h <= 24)?;
    let (minute, mut j) = if at.w(i + 1) == ":" {
        let m: u32 = at.w(i + 2).parse().ok().filter(|m| *m < 60)?;
        (m, i + 3)
    } else {
        (0, i + 1)
    };
    let hour = match at.w(j) {
        "a.m" | "am" if hour <= 12 => {
            j += 1;
            hour % 12
        }
        "p.m" | "pm" if hour <= 12 => {
            j += 1;
            hour % 12 + 12
        }
        "o'clock" => {
            j += 1;
            hour
        }
        _ if j == i + 3 => hour,
        _ => return None,
    };
    Some((j, Value::Clock { day, hour, minute }))
}

/// "every week", "each year", "weekly", "annually".
fn recurrence(at: &At, i: usize) -> Option<(usize, Value)> {
    let value = match at.w(i) {
        "daily" => "P1D",
        "weekly" => "P1W",
        "monthly" => "P1M",
        "annually" | "yearly" => "P1Y",
        "every" | "each" | "per" => {
            let unit = Unit::of(at.w(i + 1))?;
            let value = format!("P1{}", unit.letter());
            let value = if unit.is_clock() {
                value.replacen('P', "PT", 1)
            } else {
                value
            };
            return Some((i + 2, Value::Set(value)));
        }
        _ => return None,
    };
    Some((i + 1, Value::Set(value.to_string())))
}
