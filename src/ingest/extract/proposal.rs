//! What extraction works on and what it proposes: a sentence with what was found in
//! it, the candidate relation, what carries from sentence to sentence, and the method.

use chrono::NaiveDate;

use crate::model::{Status, TimeSpan};

use super::super::actors::{Mention, RoleMark};
use super::super::timex::Timex;
use super::super::tokens::Token;

/// A proposed relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Actors (indices into the article's cast).
    pub from: usize,
    pub type_name: String,
    pub to: usize,
    pub when: TimeSpan,
    /// The expression the date was resolved from.
    pub date_text: Option<String>,
    pub status: Status,
    pub claimed_by: Option<usize>,
    pub confidence: f64,
    /// The sentence, verbatim.
    pub quote: String,
    /// What in the sentence proposes it, for the analyst.
    pub evidence: String,
}

/// What one sentence offers: its text and tokens, the actors found in it, its titles
/// and its time expressions.
pub struct Sentence<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub mentions: &'a [Mention],
    pub roles: &'a [RoleMark],
    pub timexes: &'a [Timex],
    /// The byte offset of the sentence in `text` (tokens' offsets are into `text`).
    pub start: usize,
    pub end: usize,
    /// The publication date.
    pub anchor: NaiveDate,
}

/// What carries from sentence to sentence: the people last named, for "he" and "the
/// two".
#[derive(Debug, Default)]
pub struct Discourse {
    pub(super) recent_people: Vec<usize>,
}

/// Which candidates to propose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The rules of this module.
    Rules,
    /// Every pair of actors in a sentence with any trigger, for comparison.
    Baseline,
}
