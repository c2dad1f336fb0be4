//! The place the rules read from: a sentence's tokens, the expression's start, the
//! document's date and the tense of the words before it, with the readings the rules
//! share (a year, a day, a month, a spoken year, the year a date without one falls in,
//! the weekday nearest the anchor).

use chrono::{Datelike, Duration, NaiveDate};

use super::super::tokens::Token;
use super::words::{month_of, number_of, ordinal_of};

/// What an expression is resolved against.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// The document's date (publication or creation).
    pub anchor: NaiveDate,
    /// The expression was delimited by someone else (an annotator): bare words such
    /// as "January" or "weeks" count, which in running text are too often not dates.
    pub delimited: bool,
}

/// A sentence's tokens as the rules read them, for an expression starting at one place.
pub(super) struct At<'a> {
    pub(super) t: &'a [Token],
    pub(super) c: Context,
    /// The words before the expression speak of the future.
    pub(super) future: bool,
}

impl<'a> At<'a> {
    /// The tokens read for an expression starting at token `i`.
    pub(super) fn new(t: &'a [Token], c: Context, i: usize) -> At<'a> {
        At {
            t,
            c,
            future: future_near(t, i),
        }
    }
    pub(super) fn w(&self, i: usize) -> &str {
        self.t.get(i).map_or("", |t| t.word.as_str())
    }

    pub(super) fn capital(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.capital)
    }

    pub(super) fn year_at(&self, i: usize) -> Option<i32> {
        let w = self.w(i);
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
            .filter(|y| (1000..2200).contains(y))
    }

    /// A year said in words at `i` ("nineteen ninety-six", "two thousand"): where it
    /// ends, and the year.
    pub(super) fn spoken_year(&self, i: usize) -> Option<(usize, i32)> {
        let century = match self.w(i) {
            "nineteen" => 1900,
            "eighteen" => 1800,
            "twenty" if self.w(i + 1) != "-" => 2000,
            "two" if self.w(i + 1) == "thousand" => {
                let mut end = i + 2;
                if self.w(end) == "and" {
                    end += 1;
                }
                return match number_of(self.w(end)).filter(|n| (1..20).contains(n)) {
                    Some(n) => Some((end + 1, 2000 + n as i32)),
                    None => Some((i + 2, 2000)),
                };
            }
            _ => return None,
        };
        let tens = number_of(self.w(i + 1)).filter(|n| (10..100).contains(n))?;
        if tens >= 20
            && tens % 10 == 0
            && self.w(i + 2) == "-"
            && let Some(unit) = number_of(self.w(i + 3)).filter(|n| (1..10).contains(n))
        {
            return Some((i + 4, century + (tens + unit) as i32));
        }
        if tens >= 20
            && tens % 10 == 0
            && let Some(unit) = number_of(self.w(i + 2)).filter(|n| (1..10).contains(n))
        {
            return Some((i + 3, century + (tens + unit) as i32));
        }
        Some((i + 2, century + tens as i32))
    }

    pub(super) fn day_at(&self, i: usize) -> Option<u32> {
        let w = self.w(i);
        let n = if w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 2 {
            w.parse().ok()
        } else {
            ordinal_of(w).filter(|_| w.bytes().next().is_some_and(|b| b.is_ascii_digit()))
        }?;
        (1..=31).contains(&n).then_some(n)
    }

    pub(super) fn month_at(&self, i: usize) -> Option<u32> {
        // Capitals keep "may" and "march" the verbs out.
        month_of(self.w(i)).filter(|_| self.capital(i))
    }

    /// The year of a month (and day) written without one: of the anchor's year and
    /// the years either side, the one that puts the date nearest the anchor, a date on
    /// the far side of the tense counting as further (a past-tense sentence is about the
    /// past).
    pub(super) fn year_for(&self, month: u32, day: Option<u32>) -> i32 {
        let a = self.c.anchor;
        let distance = |year: i32| -> Option<i64> {
            let first = NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1))?;
            let last = match day {
                Some(_) => first,
                None => super::value::last_day(year, month)?,
            };
            let (days, ahead) = if last < a {
                ((a - last).num_days(), false)
            } else if first > a {
                ((first - a).num_days(), true)
            } else {
                (0, false)
            };
            Some(if ahead != self.future { days * 2 } else { days })
        };
        (a.year() - 1..=a.year() + 1)
            .filter_map(|y| Some((distance(y)?, y)))
            .min()
            .map_or(a.year(), |(_, y)| y)
    }

    /// The day `weekday` nearest the anchor on the side of the tense (the anchor itself
    /// when it is that day).
    pub(super) fn weekday_near(&self, weekday: u32, step: i64) -> NaiveDate {
        let mut day = self.c.anchor;
        if step == 0 {
            let step = if self.future { 1 } else { -1 };
            while day.weekday().num_days_from_monday() != weekday {
                day += Duration::days(step);
            }
            return day;
        }
        day += Duration::days(step);
        while day.weekday().num_days_from_monday() != weekday {
            day += Duration::days(step);
        }
        day
    }
}

/// Whether the words just before token `i` speak of the future ("will", "'ll", "going
/// to", "scheduled"): the tense that decides which way a date without a year looks.
fn future_near(tokens: &[Token], i: usize) -> bool {
    let window = &tokens[i.saturating_sub(FUTURE_WINDOW)..i];
    window.iter().enumerate().any(|(k, t)| {
        matches!(
            t.word.as_str(),
            "will" | "shall" | "won't" | "scheduled" | "upcoming" | "resume" | "expected"
        ) || t.word.ends_with("'ll")
            || (matches!(
                t.word.as_str(),
                "going" | "set" | "due" | "plans" | "planned"
            ) && window.get(k + 1).is_some_and(|n| n.word == "to"))
    })
}

/// How many tokens before an expression are searched for signs of the future.
const FUTURE_WINDOW: usize = 9;
