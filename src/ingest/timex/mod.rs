//! Time expressions: finding them in text and resolving them against the document's
//! date, as TimeML's TIMEX3 values and as kg dates.
//!
//! `words` reads the calendar's words; `cursor` is the place the rules read from and
//! the readings they share; `rules` holds the rules; `recognise` takes the longest
//! match at each place; `value` holds the resolved values and their spans.

mod cursor;
mod recognise;
mod rules;
mod value;
mod words;

use chrono::NaiveDate;

use super::tokens::{Token, sentences, tokens};
pub use value::{TimexType, Value};

use cursor::Context;
use recognise::{recognise, recognise_from};

/// Whether a word names a month, a weekday or a season (capitalised, yet no actor).
pub fn is_calendar_word(word: &str) -> bool {
    words::month_of(word).is_some()
        || words::weekday_of(word).is_some()
        || words::season_of(word).is_some()
}

/// A time expression found in a text: its byte range and its resolved value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub value: Value,
}

/// Every time expression in `text`, resolved against `anchor` (the document's date);
/// each sentence's tense decides which way a date without a year looks.
pub fn find(text: &str, anchor: NaiveDate) -> Vec<Timex> {
    let all = tokens(text);
    let mut found = Vec::new();
    for range in sentences(&all) {
        found.extend(in_tokens(&all[range], anchor));
    }
    found
}

/// The time expressions in one sentence's tokens, resolved against `anchor`.
pub fn in_tokens(sentence: &[Token], anchor: NaiveDate) -> Vec<Timex> {
    let context = Context {
        anchor,
        delimited: false,
    };
    recognise(sentence, context)
        .into_iter()
        .map(|f| Timex {
            start: sentence[f.start].start,
            end: sentence[f.end - 1].end,
            value: f.value,
        })
        .collect()
}

/// The value of the expression at bytes `start..end` of `text` (delimited already, as
/// an annotator marked it), read with the words before it: the longest expression the
/// rules find in it.
pub fn resolve(text: &str, start: usize, end: usize, anchor: NaiveDate) -> Option<Value> {
    let all = tokens(text);
    let first = all.iter().position(|t| t.start >= start)?;
    let last = all.iter().rposition(|t| t.end <= end)? + 1;
    if last <= first {
        return None;
    }
    // The sentence's words before the expression set its tense.
    let from = sentences(&all)
        .into_iter()
        .find(|r| r.contains(&first))
        .map_or(first, |r| r.start);
    let context = Context {
        anchor,
        delimited: true,
    };
    recognise_from(&all[from..last], first - from, context)
        .into_iter()
        .max_by_key(|f| f.end - f.start)
        .map(|f| f.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_read_sentence_by_sentence() {
        let text = "Talks opened on Feb. 18. They will resume on Feb. 12.";
        let anchor = NaiveDate::from_ymd_opt(2025, 6, 29).unwrap();
        let found: Vec<(String, String)> = find(text, anchor)
            .into_iter()
            .map(|t| (text[t.start..t.end].to_string(), t.value.timeml()))
            .collect();
        assert_eq!(
            found,
            [
                ("Feb. 18".to_string(), "2025-02-18".to_string()),
                ("Feb. 12".to_string(), "2026-02-12".to_string())
            ]
        );
    }

    #[test]
    fn an_annotated_expression_resolves_on_its_own() {
        let anchor = NaiveDate::from_ymd_opt(1998, 1, 8).unwrap();
        let text = "Stocks fell last week, as they will on Tuesday.";
        let value = |expression: &str| {
            let start = text.find(expression).unwrap();
            resolve(text, start, start + expression.len(), anchor).map(|v| v.timeml())
        };
        assert_eq!(value("last week").as_deref(), Some("1998-W01"));
        assert_eq!(value("Tuesday").as_deref(), Some("1998-01-13"));
        assert_eq!(value("Stocks"), None);
    }
}
