//! Candidate relations from one sentence: titles give roles ("CIA Director John
//! Ratcliffe" heads the CIA), a country's organisation is part of it, and a trigger of
//! the lexicon between two actors proposes its type, the subject and object read off
//! the sentence's shape (X ... trigger ... with/to Y; "X and Y" or "between X and Y"
//! for symmetric types; passives). Each candidate carries its flags: negation ("has
//! not confirmed"), hedging ("reportedly") and reported speech (who claims it), which
//! set its status and claimant, and the date expression nearest its trigger.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::{Kind, Precision, Shape, Status, TimeSpan};

use super::actors::{Actor, Mention, RoleMark};
use super::lexicon::{Trigger, stem};
use super::timex::{Timex, Value};
use super::tokens::Token;

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
    recent_people: Vec<usize>,
}

/// Which candidates to propose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The rules of this module.
    Rules,
    /// Every pair of actors in a sentence with any trigger, for comparison.
    Baseline,
}

/// The candidates of one sentence.
pub fn candidates(
    s: &Sentence,
    actors: &[Actor],
    triggers: &HashMap<&str, Vec<&Trigger>>,
    symmetric: &dyn Fn(&str) -> bool,
    discourse: &mut Discourse,
    method: Method,
) -> Vec<Candidate> {
    let stems: Vec<String> = s.tokens.iter().map(|t| stem(&t.word)).collect();
    let found = find_triggers(s, &stems, triggers);
    let quote = s.text[s.start..s.end].to_string();
    let mut out = Vec::new();
    let is_person = |a: usize| actors[a].kind == Kind::Person;
    if method == Method::Baseline {
        for (start, end, t) in &found {
            for (i, a) in s.mentions.iter().enumerate() {
                for b in &s.mentions[i + 1..] {
                    if a.actor != b.actor {
                        out.push(Candidate {
                            from: a.actor,
                            type_name: t.type_name.clone(),
                            to: b.actor,
                            when: date_near(s, *start, *end).0,
                            date_text: None,
                            status: Status::Reported,
                            claimed_by: None,
                            confidence: 0.1,
                            quote: quote.clone(),
                            evidence: format!("baseline: \"{}\" in the sentence", t.text),
                        });
                    }
                }
            }
        }
        return out;
    }
    let args = arguments(s, actors);
    let speaker = speaker(s, &args, &stems);
    out.extend(roles(s, actors, &quote));
    out.extend(parts(s, actors, &quote));
    for (start, end, t) in &found {
        let Some((from, to, how, mut confidence)) = ends_of(
            s,
            &args,
            *start,
            *end,
            symmetric(&t.type_name),
            speaker,
            discourse,
            actors,
        ) else {
            continue;
        };
        if from == to {
            continue;
        }
        // A place is where things happen, not who does them.
        let place = |a: usize| matches!(actors[a].kind, Kind::Place | Kind::Event);
        if place(from) || (place(to) && t.type_name != "visited") {
            continue;
        }
        let before = |n: usize, words: &[&str]| {
            s.tokens[start.saturating_sub(n)..*start]
                .iter()
                .any(|t| words.contains(&t.word.as_str()))
        };
        // What may, would or will happen, or what someone wants or plans to do, has
        // not happened: no candidate.
        let intent = word(s, start.wrapping_sub(1)) == "to"
            && matches!(
                stem(word(s, start.wrapping_sub(2))).as_str(),
                "want"
                    | "plan"
                    | "intend"
                    | "hope"
                    | "offer"
                    | "seek"
                    | "aim"
                    | "propos"
                    | "expect"
                    | "schedul"
                    | "due"
                    | "set"
                    | "wish"
                    | "prepar"
                    | "tri"
            );
        let modal = before(
            4,
            &[
                "if", "whether", "might", "could", "would", "may", "should", "will", "shall",
                "'ll", "unless",
            ],
        ) || s.tokens[start.saturating_sub(3)..*start]
            .iter()
            .any(|t| t.word.ends_with("'ll") || t.word == "wo");
        if intent || modal {
            continue;
        }
        let negated = before(2, &["not", "never", "no", "without", "neither"])
            || s.tokens[start.saturating_sub(2)..*start]
                .iter()
                .any(|t| t.word.ends_with("n't"))
            || before(6, &["denied", "denies", "deny", "declined", "refused"])
                && !t.text.starts_with("declined")
                && !t.text.starts_with("refused");
        // Hedges, and words reported from no one named ("sources said", "is said to").
        let hedged = s.tokens.iter().any(|t| {
            matches!(
                t.word.as_str(),
                "reportedly" | "allegedly" | "purportedly" | "apparently" | "rumored" | "rumoured"
            )
        }) || (speaker.is_none() && anonymous_report(s, &stems));
        let reporting_verb = is_reporting(&stems[*start]);
        let claimant = speaker.filter(|_| !reporting_verb || t.type_name != "told");
        let status = if negated {
            Status::Denied
        } else if claimant.is_some() {
            Status::Claimed
        } else if hedged {
            Status::Unconfirmed
        } else {
            Status::Reported
        };
        if hedged {
            confidence -= 0.1;
        }
        let (mut when, mut date_text) = date_near(s, *start, *end);
        // Something an article reports as done cannot be dated after the article: a
        // date without a year then belongs to the year before, or the date is dropped.
        if !future_sentence(s)
            && !when.is_undated()
            && when.earliest() > crate::model::time::day_number(s.anchor)
        {
            match year_before(&when) {
                Some(earlier) if earlier.latest() <= crate::model::time::day_number(s.anchor) => {
                    when = earlier
                }
                _ => {
                    when = TimeSpan::UNDATED;
                    date_text = None;
                }
            }
        }
        if when.is_undated() && !future_sentence(s) {
            // What an article reports as done happened by the day it was published.
            when = past_span(s).unwrap_or(when);
        }
        if date_text.is_some() {
            confidence += 0.05;
        }
        let trigger_text = &s.text[s.tokens[*start].start..s.tokens[*end - 1].end];
        // "spoke with X by phone" is a phone call.
        let by_phone = (*end..s.tokens.len().min(end + 10)).any(|i| {
            word(s, i) == "by" && matches!(word(s, i + 1), "phone" | "telephone")
                || (word(s, i) == "over" && word(s, i + 2) == "phone")
        });
        let type_name = match t.type_name.as_str() {
            "contacted" if by_phone => "phoned".to_string(),
            other => other.to_string(),
        };
        let mut evidence = format!("\"{trigger_text}\" ({}) {how}", t.type_name);
        if negated {
            evidence.push_str("; negated");
        }
        if hedged {
            evidence.push_str("; hedged");
        }
        if let Some(c) = claimant {
            evidence.push_str(&format!("; reported speech of {}", actors[c].name));
        }
        if let Some(d) = &date_text {
            evidence.push_str(&format!("; date from \"{d}\""));
        }
        out.push(Candidate {
            from,
            type_name,
            to,
            when,
            date_text,
            status,
            claimed_by: claimant,
            confidence: confidence.clamp(0.05, 0.95),
            quote: quote.clone(),
            evidence,
        });
    }
    for m in s.mentions {
        if is_person(m.actor) {
            discourse.recent_people.retain(|&p| p != m.actor);
            discourse.recent_people.push(m.actor);
        }
    }
    out
}

/// The triggers in a sentence: token ranges, longest first at each place, without
/// overlap. Between a phrase's words one other word may stand (not a name).
fn find_triggers<'t>(
    s: &Sentence,
    stems: &[String],
    triggers: &HashMap<&str, Vec<&'t Trigger>>,
) -> Vec<(usize, usize, &'t Trigger)> {
    let inside_mention = |i: usize| s.mentions.iter().any(|m| m.start <= i && i < m.end);
    let mut found = Vec::new();
    let mut i = 0;
    while i < stems.len() {
        let mut best: Option<(usize, &Trigger)> = None;
        if !inside_mention(i)
            && let Some(list) = triggers.get(stems[i].as_str())
        {
            for t in list {
                let mut at = i + 1;
                let mut ok = true;
                for want in &t.stems[1..] {
                    let limit = (at + 2).min(stems.len());
                    match (at..limit).find(|&k| stems[k] == *want) {
                        Some(k)
                            if (at..k).all(|g| {
                                !inside_mention(g)
                                    && s.tokens[g].word.chars().any(char::is_alphanumeric)
                            }) =>
                        {
                            at = k + 1
                        }
                        _ => {
                            ok = false;
                            break;
                        }
                    }
                }
                if ok && best.is_none_or(|(e, _)| at > e) {
                    best = Some((at, t));
                }
            }
        }
        match best {
            Some((end, t)) => {
                found.push((i, end, t));
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// The mentions that can be a relation's ends: a mention repeated in brackets
/// ("Central Intelligence Agency (CIA)") counts once, and one that only qualifies a
/// title or an organisation ("CIA Director John Ratcliffe", "Russia's Foreign
/// Intelligence Service") is left out.
fn arguments(s: &Sentence, actors: &[Actor]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for m in s.mentions {
        if let Some(last) = out.last_mut()
            && last.actor == m.actor
            && m.start <= last.end + 2
        {
            last.end = m.end;
            continue;
        }
        out.push(*m);
    }
    let word = |i: usize| s.tokens.get(i).map_or("", |t| t.word.as_str());
    let qualifies = |k: usize| {
        let m = out[k];
        let mut next = m.end;
        if matches!(word(next), "'s" | ")") {
            next += 1;
        }
        let before_title = s.roles.iter().any(|r| r.start == next);
        let before_organisation = out.get(k + 1).is_some_and(|n| {
            n.start == next
                && actors[m.actor].kind == Kind::Country
                && actors[n.actor].kind == Kind::Organization
        });
        before_title || before_organisation
    };
    (0..out.len())
        .filter(|&k| !qualifies(k))
        .map(|k| out[k])
        .collect()
}

/// Who the sentence reports the words of: the actor beside a reporting verb ("X said",
/// "said X", "according to X", "X claimed").
fn speaker(s: &Sentence, args: &[Mention], stems: &[String]) -> Option<usize> {
    for (i, st) in stems.iter().enumerate() {
        if s.tokens[i].word == "according" && s.tokens.get(i + 1).is_some_and(|t| t.word == "to") {
            return args
                .iter()
                .find(|m| m.start == i + 2 || m.start == i + 3)
                .map(|m| m.actor);
        }
        // "Secretary of State" holds no reporting verb.
        let in_title = s.roles.iter().any(|r| r.start <= i && i < r.end);
        // "reportedly" hedges; it reports no one's words.
        let adverb = s.tokens[i].word.ends_with("ly");
        if !is_reporting(st) || s.tokens[i].capital || in_title || adverb {
            continue;
        }
        // The speaker stands right before the verb ("Naryshkin said", "Naryshkin
        // later said") or right after it ("said Trump").
        let left = args.iter().rev().find(|m| {
            m.end <= i
                && s.tokens[m.end..i].iter().all(|t| {
                    t.word.ends_with("ly")
                        || matches!(t.word.as_str(), "also" | "later" | "has" | "had")
                })
        });
        let right = args.iter().find(|m| m.start == i + 1);
        // "is said to have met": no one speaks.
        if matches!(
            word(s, i.wrapping_sub(1)),
            "is" | "was" | "are" | "were" | "been"
        ) {
            continue;
        }
        if let Some(m) = left.or(right) {
            return Some(m.actor);
        }
    }
    None
}

/// A sentence's token `i` as a word ("" past either end).
fn word<'s>(s: &'s Sentence, i: usize) -> &'s str {
    s.tokens.get(i).map_or("", |t| t.word.as_str())
}

/// Whether the sentence reports words of no one named: "sources said", "officials
/// say", "is said to".
fn anonymous_report(s: &Sentence, stems: &[String]) -> bool {
    (0..stems.len()).any(|i| {
        is_reporting(&stems[i])
            && !s.tokens[i].capital
            && !s.tokens[i].word.ends_with("ly")
            && (matches!(
                word(s, i.wrapping_sub(1)),
                "sources" | "officials" | "diplomats" | "reports" | "is" | "was" | "media"
            ) || word(s, i + 1) == "to")
    })
}

fn is_reporting(stem_: &str) -> bool {
    [
        "say", "claim", "tell", "state", "announc", "report", "insist", "assert", "told", "deni",
    ]
    .iter()
    .any(|w| stem_ == stem(w))
}

/// The two ends of a trigger's relation, how they were read, and a first confidence.
#[allow(clippy::too_many_arguments)]
fn ends_of(
    s: &Sentence,
    args: &[Mention],
    start: usize,
    end: usize,
    symmetric: bool,
    speaker: Option<usize>,
    discourse: &Discourse,
    actors: &[Actor],
) -> Option<(usize, usize, String, f64)> {
    let word = |i: usize| s.tokens.get(i).map_or("", |t| t.word.as_str());
    let mention_at = |i: usize| args.iter().find(|m| m.start == i);
    // "between X and Y", "between the two".
    let mut k = end;
    while k < end + 3 && k < s.tokens.len() && word(k) != "between" {
        k += 1;
    }
    if word(k) == "between" {
        if word(k + 1) == "the" && word(k + 2) == "two" {
            let people = &discourse.recent_people;
            let here: Vec<usize> = args
                .iter()
                .filter(|m| m.end <= start && actors[m.actor].kind == Kind::Person)
                .map(|m| m.actor)
                .collect();
            let mut pool: Vec<usize> = people.clone();
            for a in here {
                pool.retain(|&p| p != a);
                pool.push(a);
            }
            if let [.., a, b] = pool[..] {
                return Some((a, b, "between \"the two\" last named".into(), 0.55));
            }
        }
        if let Some(a) = mention_at(k + 1)
            && word(a.end) == "and"
            && let Some(b) = mention_at(a.end + 1)
        {
            return Some((a.actor, b.actor, "between the two named".into(), 0.7));
        }
    }
    // Names and titles inside a stretch of words are not counted as words.
    let covered = |i: usize| {
        s.mentions.iter().any(|m| m.start <= i && i < m.end)
            || s.roles.iter().any(|r| r.start <= i && i < r.end)
            || matches!(word(i), "(" | ")" | "'s")
    };
    let words_between = |a: usize, b: usize| (a..b).filter(|&i| !covered(i)).count();
    // "X and Y agreed" (symmetric), titles between allowed ("Finnish Prime Minister
    // Petteri Orpo and Estonian Prime Minister Kaja Kallas signed").
    let left = args.iter().rev().find(|m| m.end <= start);
    if symmetric
        && let Some(b) = left
        && words_between(b.end, start) <= 2
        && let Some(a) = args.iter().rev().find(|m| m.end < b.start)
        && word(a.end) == "and"
        && words_between(a.end + 1, b.start) == 0
    {
        return Some((a.actor, b.actor, "the two named before it".into(), 0.7));
    }
    // "The two leaders met", "the ministers agreed": the last two people named.
    if symmetric
        && let Some(two) = (start.saturating_sub(4)..start).find(|&i| {
            matches!(
                word(i),
                "two" | "ministers" | "leaders" | "presidents" | "diplomats" | "envoys" | "sides"
            )
        })
        && matches!(word(two.wrapping_sub(1)), "the" | "both" | "two")
        && left.is_none_or(|m| m.end <= two)
    {
        let mut pool = discourse.recent_people.clone();
        for m in args
            .iter()
            .filter(|m| m.end <= two && actors[m.actor].kind == Kind::Person)
        {
            pool.retain(|&p| p != m.actor);
            pool.push(m.actor);
        }
        if let [.., a, b] = pool[..] {
            return Some((a, b, "\"the two\" last named".into(), 0.55));
        }
    }
    // "rejected the accusation": a trigger after an article names a thing, not an act
    // of the subject ("held talks", "had a call" are acts).
    let det = matches!(
        word(start.wrapping_sub(1)),
        "the" | "a" | "an" | "this" | "that"
    );
    let light = matches!(
        word(start.wrapping_sub(2)),
        "had"
            | "held"
            | "hold"
            | "holds"
            | "made"
            | "make"
            | "conducted"
            | "launched"
            | "has"
            | "have"
    );
    let noun_phrase = det && !light;
    let pronoun = (start.saturating_sub(8)..start).rev().find_map(|i| {
        let after = left.is_none_or(|m| m.end <= i);
        let person_before = || {
            args.iter()
                .rev()
                .find(|m| m.end <= i && actors[m.actor].kind == Kind::Person)
                .map(|m| m.actor)
                .or_else(|| discourse.recent_people.last().copied())
        };
        match word(i) {
            "he" | "she" if after => person_before().map(|p| (i, p)),
            "i" | "we" if after => speaker.map(|p| (i, p)),
            _ => None,
        }
    });
    // "X visited Y and held talks with Z": the subject of the first verb.
    let coordinated = left.is_some_and(|m| (m.end..start).any(|i| word(i) == "and"));
    let subject = match (pronoun, left) {
        _ if noun_phrase => None,
        (Some((_, p)), _) => Some((p, true)),
        (None, Some(_)) if coordinated => args
            .first()
            .filter(|m| m.end <= start)
            .map(|m| (m.actor, false)),
        (None, Some(m)) if start - m.end <= 12 => Some((m.actor, false)),
        _ => None,
    };
    let clause_end = (end..s.tokens.len())
        .find(|&i| {
            matches!(
                word(i),
                ";" | "that" | "which" | "who" | "but" | "while" | "because" | "." | "?" | "!"
            )
        })
        .unwrap_or(s.tokens.len());
    // The speaker of a closing attribution (", the State Department said") is not
    // the object.
    let right = args.iter().find(|m| {
        m.start >= end
            && m.start < clause_end
            && words_between(end, m.start) <= 7
            && !(Some(m.actor) == speaker
                && (word(m.start.wrapping_sub(1)) == ","
                    || (word(m.start.wrapping_sub(1)) == "the"
                        && word(m.start.wrapping_sub(2)) == ",")))
    });
    // "with X and Y" after a noun trigger with no subject (symmetric).
    if subject.is_none()
        && symmetric
        && let Some(a) = right
        && word(a.end) == "and"
        && let Some(b) = mention_at(a.end + 1)
    {
        return Some((a.actor, b.actor, "the two named after it".into(), 0.6));
    }
    let (subject, by_pronoun) = subject?;
    let object = right?;
    // "was attacked by", "was reportedly briefed by", "was not attacked by".
    let aux = (start.saturating_sub(3)..start).rev().find(|&i| {
        matches!(word(i), "was" | "were" | "been" | "be" | "is" | "are")
            && (i + 1..start)
                .all(|k| word(k).ends_with("ly") || matches!(word(k), "not" | "also" | "never"))
    });
    let passive = aux.is_some() && word(end) == "by";
    let gap = words_between(end, object.start);
    let mut confidence = 0.6 - 0.03 * gap as f64;
    if by_pronoun {
        confidence -= 0.1;
    }
    let how = match (passive, by_pronoun) {
        (true, _) => "passive: the actor after \"by\" acts",
        (false, true) => "subject by pronoun, object after it",
        (false, false) => "subject before it, object after it",
    };
    match passive {
        true => Some((object.actor, subject, how.into(), confidence)),
        false => Some((subject, object.actor, how.into(), confidence)),
    }
}

/// Roles from titles: "CIA Director John Ratcliffe", "the Director of Russia's Foreign
/// Intelligence Service (SVR), Sergey Naryshkin", "Marco Rubio, secretary of state of
/// the United States".
fn roles(s: &Sentence, actors: &[Actor], quote: &str) -> Vec<Candidate> {
    let word = |i: usize| s.tokens.get(i).map_or("", |t| t.word.as_str());
    let ending_at = |i: usize| {
        s.mentions
            .iter()
            .rev()
            .find(|m| m.end == i || (m.end + 1 == i && word(m.end) == "'s"))
    };
    let mut out = Vec::new();
    for r in s.roles {
        let person_after = s.mentions.iter().find(|m| m.start == r.end);
        let mut pairs = Vec::new();
        // AFFILIATION TITLE PERSON
        if let (Some(aff), Some(p)) = (
            ending_at(r.start).or_else(|| {
                ending_at(r.start.saturating_sub(1)).filter(|_| word(r.start - 1) == ")")
            }),
            person_after,
        ) {
            pairs.push((p.actor, aff.actor));
        }
        // TITLE of AFFILIATION, PERSON
        if word(r.end) == "of" {
            let chain: Vec<&Mention> = s
                .mentions
                .iter()
                .filter(|m| m.start > r.end && m.start <= r.end + 8)
                .collect();
            if let Some(comma) = (r.end..(r.end + 12).min(s.tokens.len())).find(|&i| word(i) == ",")
                && let Some(aff) = chain.iter().rev().find(|m| m.end <= comma)
                && let Some(p) = s.mentions.iter().find(|m| m.start == comma + 1)
            {
                pairs.push((p.actor, aff.actor));
            }
        }
        // PERSON, [the] TITLE of AFFILIATION
        let mut k = r.start;
        if matches!(word(k.wrapping_sub(1)), "the" | "a") {
            k -= 1;
        }
        if word(k.wrapping_sub(1)) == ","
            && let Some(p) = s.mentions.iter().find(|m| m.end + 1 == k)
            && word(r.end) == "of"
            && let Some(aff) = s.mentions.iter().find(|m| {
                m.start == r.end + 1 || (m.start == r.end + 2 && word(r.end + 1) == "the")
            })
        {
            pairs.push((p.actor, aff.actor));
        }
        for (person, aff) in pairs {
            if actors[person].kind != Kind::Person || person == aff {
                continue;
            }
            let type_name = match (r.type_name.as_str(), &actors[aff].kind) {
                ("president_of", Kind::Country) => "president_of",
                ("president_of", Kind::Organization) => "heads",
                ("heads", Kind::Organization) => "heads",
                ("serves", Kind::Country) => "serves",
                _ => continue,
            };
            let title = &s.text[s.tokens[r.start].start..s.tokens[r.end - 1].end];
            out.push(Candidate {
                from: person,
                type_name: type_name.to_string(),
                to: aff,
                when: TimeSpan::UNDATED,
                date_text: None,
                status: Status::Reported,
                claimed_by: None,
                confidence: 0.8,
                quote: quote.to_string(),
                evidence: format!(
                    "title \"{title}\" names {} with {}",
                    actors[person].name, actors[aff].name
                ),
            });
        }
    }
    out
}

/// "Russia's Foreign Intelligence Service", "the Russian Foreign Intelligence
/// Service": an organisation named with its country is part of it.
fn parts(s: &Sentence, actors: &[Actor], quote: &str) -> Vec<Candidate> {
    let word = |i: usize| s.tokens.get(i).map_or("", |t| t.word.as_str());
    let mut out = Vec::new();
    for (i, c) in s.mentions.iter().enumerate() {
        let Some(o) = s.mentions.get(i + 1) else {
            break;
        };
        let adjacent = o.start == c.end || (o.start == c.end + 1 && word(c.end) == "'s");
        if adjacent
            && actors[c.actor].kind == Kind::Country
            && actors[o.actor].kind == Kind::Organization
            && c.actor != o.actor
        {
            out.push(Candidate {
                from: o.actor,
                type_name: "part_of".to_string(),
                to: c.actor,
                when: TimeSpan::UNDATED,
                date_text: None,
                status: Status::Reported,
                claimed_by: None,
                confidence: 0.6,
                quote: quote.to_string(),
                evidence: format!(
                    "{} named as {}'s",
                    actors[o.actor].name, actors[c.actor].name
                ),
            });
        }
    }
    out
}

/// The date of the expression nearest tokens `start..end` (after it first), as a span,
/// with its text; "recently" and the like are some time up to the anchor.
fn date_near(s: &Sentence, start: usize, end: usize) -> (TimeSpan, Option<String>) {
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
    let best = s
        .timexes
        .iter()
        .filter(|t| t.value.span().is_some() || t.value == Value::Past)
        .filter(|t| !across_that(t))
        .min_by_key(|t| distance(t));
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

/// The same span a year earlier, for a day or a month.
fn year_before(when: &TimeSpan) -> Option<TimeSpan> {
    let text = when.to_string();
    let year: i32 = text.get(..4)?.parse().ok()?;
    let earlier = format!("{:04}{}", year - 1, text.get(4..)?);
    if text.contains("..") || !matches!(text.len(), 7 | 10) {
        return None;
    }
    TimeSpan::parse(&earlier).ok()
}

/// Whether a sentence speaks of what is to come ("will", "'ll", "plans to").
fn future_sentence(s: &Sentence) -> bool {
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
fn past_span(s: &Sentence) -> Option<TimeSpan> {
    TimeSpan::from_parts(
        crate::model::time::MIN_DAY,
        crate::model::time::day_number(s.anchor),
        Shape::Until(Precision::Day),
    )
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::Lexicon;
    use super::super::{article::Article, read_article};
    use super::*;

    fn triples(text: &str) -> Vec<String> {
        let article = Article::read(format!("Headline\n{text}\n").as_bytes()).unwrap();
        let store = crate::store::Store::new();
        let lexicon = Lexicon::default_lexicon();
        let day = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        let read = read_article(&article, day, None, &store, &lexicon, Method::Rules);
        read.candidates
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    read.actors[c.from].name, c.type_name, read.actors[c.to].name
                )
            })
            .collect()
    }

    #[test]
    fn subjects_and_objects_follow_the_sentence() {
        assert_eq!(
            triples("Estonia spoke with Sweden about joining."),
            ["Estonia contacted Sweden"]
        );
        assert_eq!(
            triples(
                "Finnish Prime Minister Petteri Orpo and Estonian Prime Minister Kaja Kallas signed an agreement."
            ),
            [
                "Petteri Orpo serves Finland",
                "Kaja Kallas serves Estonia",
                "Petteri Orpo signed Kaja Kallas"
            ]
        );
        assert_eq!(
            triples(
                "Yoko Kamikawa visited Seoul and held talks with her South Korean counterpart, Park Jin."
            ),
            [
                "Yoko Kamikawa visited South Korea",
                "Yoko Kamikawa met Park Jin"
            ]
        );
        assert_eq!(
            triples("Mali was attacked by Niger."),
            ["Niger attacked Mali"]
        );
    }

    #[test]
    fn negation_hedging_and_reported_speech_set_the_status() {
        let statuses = |text: &str| {
            let article = Article::read(format!("Headline\n{text}\n").as_bytes()).unwrap();
            let store = crate::store::Store::new();
            let lexicon = Lexicon::default_lexicon();
            let day = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
            let read = read_article(&article, day, None, &store, &lexicon, Method::Rules);
            read.candidates
                .iter()
                .map(|c| (c.status, c.claimed_by.map(|a| read.actors[a].name.clone())))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            statuses("Poland did not attack Belarus."),
            [(Status::Denied, None)]
        );
        assert_eq!(
            statuses("Poland reportedly attacked Belarus."),
            [(Status::Unconfirmed, None)]
        );
        assert_eq!(
            statuses("Poland attacked Belarus, Russia said."),
            [(Status::Claimed, Some("Russia".to_string()))]
        );
        assert!(statuses("Poland might attack Belarus.").is_empty());
    }

    #[test]
    fn the_date_is_the_nearest_expression_or_up_to_publication() {
        let dates = |text: &str| {
            let article = Article::read(format!("Headline\n{text}\n").as_bytes()).unwrap();
            let store = crate::store::Store::new();
            let lexicon = Lexicon::default_lexicon();
            let day = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
            let read = read_article(&article, day, None, &store, &lexicon, Method::Rules);
            read.candidates
                .iter()
                .map(|c| c.when.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(dates("Poland phoned Belarus on Tuesday."), ["2024-03-12"]);
        assert_eq!(dates("Poland phoned Belarus last month."), ["2024-02"]);
        assert_eq!(dates("Poland phoned Belarus."), ["..2024-03-15"]);
        // What will happen has not: no candidate.
        assert!(dates("Poland will phone Belarus.").is_empty());
        // A date before "that" dates the saying, not what was said.
        assert_eq!(
            dates("On Tuesday Russia said that Poland phoned Belarus."),
            ["..2024-03-15"]
        );
    }
}
