//! A candidate's date: the expression nearest its trigger, or some time up to the
//! publication for what an article reports as done.

use crate::model::{Precision, Shape, TimeSpan};

use super::super::timex::{Timex, Value};
use super::proposal::Sentence;

/// The date of the expression nearest tokens `start..end` (after it first), as a span,
/// with its text; "recently" and the like are some time up to the anchor.
pub(super) fn date_near(s: &Sentence, start: usize, end: usize) -> (TimeSpan, Option<String>) {
    let at = |offset: usize| {
        s.tokens
            .iter()
            .position(|t| t.start >= offset)
            .unwrap_or(s.tokens.len())
    };
    let distance = |t: &Timex| {
        let (a, b) = (at(t.start), at(t.end));
        if a >= end {
            a - end
        } else if b <= start {
            (start - b) + 1
        } else {
            0
        }
    };
    // A date before "that" belongs to the reporting verb, not to what is reported.
    let across_that = |t: &Timex| {
        let a = at(t.end);
        a <= start && s.tokens[a..start].iter().any(|t| t.word == "that")
    };
    // A date inside a relative clause ("Putin, who arrived on Saturday, met ...")
    // dates that clause, unless the trigger is in it too.
    let clauses = relative_clauses(s);
    let in_other_clause = |t: &Timex| {
        let a = at(t.start);
        clauses
            .iter()
            .any(|c| c.contains(&a) && !c.contains(&start))
    };
    // A clause boundary (", and", ", but", ";") between the date and the trigger makes
    // it another clause's date, taken only when nothing nearer is there.
    let across_clauses = |t: &Timex| {
        let (a, b) = (at(t.start), at(t.end));
        let (from, to) = if a >= end {
            (end, a)
        } else {
            (b.min(start), start)
        };
        (from..to).any(|i| {
            let w = s.tokens[i].word.as_str();
            w == ";"
                || (w == ","
                    && matches!(
                        s.tokens.get(i + 1).map(|t| t.word.as_str()),
                        Some("and" | "but" | "while" | "whereas")
                    ))
        })
    };
    // A clock time ("at 9 a.m.") says when in a day another expression names.
    let is_clock = |t: &Timex| matches!(t.value, Value::Clock { .. });
    let best = s
        .timexes
        .iter()
        .filter(|t| t.value.span().is_some() || t.value == Value::Past)
        .filter(|t| !across_that(t) && !in_other_clause(t))
        .min_by_key(|t| (across_clauses(t), is_clock(t), distance(t)));
    match best {
        Some(t) => {
            let span = t.value.span().or_else(|| past_span(s));
            match span {
                Some(span) => (span, Some(s.text[t.start..t.end].to_string())),
                None => (TimeSpan::UNDATED, None),
            }
        }
        None => (TimeSpan::UNDATED, None),
    }
}

/// The token ranges of the sentence's non-restrictive relative clauses: from a comma
/// followed by "who", "which", "whose" or "where" to the next comma or the end.
fn relative_clauses(s: &Sentence) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (i, t) in s.tokens.iter().enumerate() {
        let opens = t.word == ","
            && matches!(
                s.tokens.get(i + 1).map(|n| n.word.as_str()),
                Some("who" | "which" | "whose" | "where")
            );
        if opens {
            let close = (i + 2..s.tokens.len())
                .find(|&j| matches!(s.tokens[j].word.as_str(), "," | ";"))
                .unwrap_or(s.tokens.len());
            out.push(i + 1..close);
        }
    }
    out
}

/// A span of days that runs past the publication ("this week" in a report of what
/// happened) ends at the publication; other spans are kept.
pub(super) fn clipped_to(when: TimeSpan, anchor: chrono::NaiveDate) -> TimeSpan {
    let last = crate::model::time::day_number(anchor);
    match when.shape() {
        Shape::Range(Precision::Day, Precision::Day)
            if when.earliest() <= last && when.latest() > last =>
        {
            TimeSpan::from_parts(when.earliest(), last, when.shape()).unwrap_or(when)
        }
        _ => when,
    }
}

/// The same span a year earlier, for a day or a month.
pub(super) fn year_before(when: &TimeSpan) -> Option<TimeSpan> {
    let text = when.to_string();
    let year: i32 = text.get(..4)?.parse().ok()?;
    let earlier = format!("{:04}{}", year - 1, text.get(4..)?);
    if text.contains("..") || !matches!(text.len(), 7 | 10) {
        return None;
    }
    TimeSpan::parse(&earlier).ok()
}

/// Whether a sentence speaks of what is to come ("will", "'ll", "plans to").
pub(super) fn future_sentence(s: &Sentence) -> bool {
    s.tokens.iter().enumerate().any(|(i, t)| {
        matches!(t.word.as_str(), "will" | "shall" | "won't")
            || t.word.ends_with("'ll")
            || (matches!(
                t.word.as_str(),
                "plans"
                    | "planning"
                    | "going"
                    | "set"
                    | "expected"
                    | "scheduled"
                    | "due"
                    | "intends"
            ) && s.tokens.get(i + 1).is_some_and(|n| n.word == "to"))
    })
}

/// "Recently", "earlier", or a past event with no date: some time up to the anchor.
pub(super) fn past_span(s: &Sentence) -> Option<TimeSpan> {
    TimeSpan::from_parts(
        crate::model::time::MIN_DAY,
        crate::model::time::day_number(s.anchor),
        Shape::Until(Precision::Day),
    )
}
