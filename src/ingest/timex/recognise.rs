//! Finding time expressions in a sentence's tokens and resolving them against the
//! document's date, in the manner of HeidelTime's news rules: explicit dates without a
//! year take the document's, past-biased (a sentence about the future looks forward);
//! "on Tuesday" is the nearest Tuesday on the side of the sentence's tense; "last week",
//! "in March", "earlier this month" become values at their own granularity; when
//! nothing resolves, nothing is found rather than a guess.
//!
//! Extents follow TimeML: determiners and modifiers ("the", "early", "ago") belong to
//! the expression, prepositions ("in", "on", "since") do not.

use super::super::tokens::Token;
use super::cursor::{At, Context};
use super::rules::RULES;
use super::value::Value;

/// An expression found: tokens `start..end` of the sentence, and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub value: Value,
}

/// Every expression in `tokens` (one sentence), longest first at each place, left to
/// right without overlap.
pub fn recognise(tokens: &[Token], context: Context) -> Vec<Found> {
    recognise_from(tokens, 0, context)
}

/// The expressions that start at token `first` or later; the tokens before it are
/// read for the tense only.
pub fn recognise_from(tokens: &[Token], first: usize, context: Context) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = first;
    while i < tokens.len() {
        let at = At::new(tokens, context, i);
        match longest(&at, i) {
            Some((end, value)) => {
                found.push(Found {
                    start: i,
                    end,
                    value,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// The longest expression starting at token `i`: from `i` itself, or from after a
/// leading modifier ("early", "mid-", "the end of"), which joins the expression it
/// precedes.
fn longest(at: &At, i: usize) -> Option<(usize, Value)> {
    let mut best: Option<(usize, Value)> = None;
    for start in [Some(i), modifier(at, i)].into_iter().flatten() {
        for rule in RULES {
            if let Some((end, value)) = rule(at, start)
                && end > start
                && best.as_ref().is_none_or(|(e, _)| end > *e)
            {
                best = Some((end, value));
            }
        }
    }
    best
}

/// The token after a leading modifier at `i`, if one is there.
fn modifier(at: &At, i: usize) -> Option<usize> {
    let mut j = i;
    if at.w(j) == "the" {
        j += 1;
    }
    match at.w(j) {
        "early" | "late" | "mid" | "earlier" | "later" => {
            j += 1;
            if at.w(j) == "-" {
                j += 1;
            }
            if at.w(j) == "in" {
                j += 1;
            }
            Some(j)
        }
        "end" | "beginning" | "start" | "middle" | "turn" if at.w(j + 1) == "of" => Some(j + 2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tokens::tokens;
    use super::*;
    use chrono::NaiveDate;

    fn values(text: &str, anchor: (i32, u32, u32)) -> Vec<(String, String)> {
        let t = tokens(text);
        let context = Context {
            anchor: NaiveDate::from_ymd_opt(anchor.0, anchor.1, anchor.2).unwrap(),
            delimited: false,
        };
        recognise(&t, context)
            .into_iter()
            .map(|f| {
                (
                    text[t[f.start].start..t[f.end - 1].end].to_string(),
                    f.value.timeml(),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_articles_dates_take_its_year() {
        let june = (2025, 6, 29);
        assert_eq!(
            values(
                "During a phone call on Feb. 12, Presidents Trump and Putin agreed",
                june
            ),
            pairs(&[("Feb. 12", "2025-02-12")])
        );
        assert_eq!(
            values("the last known exchange occurred in March.", june),
            pairs(&[("March", "2025-03")])
        );
        assert_eq!(
            values("On June 5, Trump declined", june),
            pairs(&[("June 5", "2025-06-05")])
        );
        assert_eq!(
            values("in Istanbul in over three years", june),
            pairs(&[("three years", "P3Y")])
        );
    }

    #[test]
    fn dates_past_the_anchor_fall_in_the_year_before_unless_the_sentence_looks_ahead() {
        let january = (1998, 1, 8);
        assert_eq!(
            values("It fell on Dec. 20.", january),
            pairs(&[("Dec. 20", "1997-12-20")])
        );
        assert_eq!(
            values("The summit will open on March 3.", january),
            pairs(&[("March 3", "1998-03-03")])
        );
    }

    #[test]
    fn weekdays_and_relative_words_resolve_against_the_anchor() {
        // 1998-01-08 was a Thursday.
        let anchor = (1998, 1, 8);
        assert_eq!(
            values("He spoke on Tuesday.", anchor),
            pairs(&[("Tuesday", "1998-01-06")])
        );
        assert_eq!(
            values("He will speak on Tuesday.", anchor),
            pairs(&[("Tuesday", "1998-01-13")])
        );
        assert_eq!(
            values("Stocks fell last week.", anchor),
            pairs(&[("last week", "1998-W01")])
        );
        assert_eq!(
            values("It was said earlier this month.", anchor),
            pairs(&[("earlier this month", "1998-01")])
        );
        assert_eq!(
            values("two years ago", anchor),
            pairs(&[("two years ago", "1996")])
        );
        assert_eq!(
            values("yesterday morning", anchor),
            pairs(&[("yesterday morning", "1998-01-07TMO")])
        );
        assert_eq!(
            values("at 3:30 p.m.", anchor),
            pairs(&[("3:30 p.m.", "1998-01-08T15:30")])
        );
        assert_eq!(
            values("in the 1990s", anchor),
            pairs(&[("the 1990s", "199")])
        );
        assert_eq!(
            values("the third quarter", anchor),
            pairs(&[("the third quarter", "1997-Q3")])
        );
        assert_eq!(
            values("for the past five years", anchor),
            pairs(&[("the past five years", "P5Y")])
        );
    }

    #[test]
    fn words_that_only_look_like_dates_are_left_alone() {
        let anchor = (1998, 1, 8);
        assert!(values("You may march on.", anchor).is_empty());
        assert!(values("It cost $2000 or 40%.", anchor).is_empty());
        assert!(values("The Sun rose; a 6-year-old came second.", anchor).is_empty());
    }
}
