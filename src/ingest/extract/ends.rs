//! A trigger's two ends, read off the sentence's shape, and who the sentence reports
//! the words of.

use crate::model::Kind;

use super::super::actors::{Actor, Mention};
use super::super::lexicon::stem;
use super::proposal::{Discourse, Sentence};

/// The mentions that can be a relation's ends: a mention repeated in brackets
/// ("Central Intelligence Agency (CIA)") counts once, and one that only qualifies a
/// title or an organisation ("CIA Director John Ratcliffe", "Russia's Foreign
/// Intelligence Service") is left out.
pub(super) fn arguments(s: &Sentence, actors: &[Actor]) -> Vec<Mention> {
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
pub(super) fn speaker(s: &Sentence, stems: &[String]) -> Option<usize> {
    for (i, st) in stems.iter().enumerate() {
        if s.tokens[i].word == "according" && s.tokens.get(i + 1).is_some_and(|t| t.word == "to") {
            return named_after(s, i + 2);
        }
        // "Secretary of State" holds no reporting verb.
        let in_title = s.roles.iter().any(|r| r.start <= i && i < r.end);
        // "reportedly" hedges; it reports no one's words.
        let adverb = s.tokens[i].word.ends_with("ly");
        if !is_reporting(st) || s.tokens[i].capital || in_title || adverb {
            continue;
        }
        // "is said to have met": no one speaks.
        if matches!(
            word(s, i.wrapping_sub(1)),
            "is" | "was" | "are" | "were" | "been"
        ) {
            continue;
        }
        // The speaker stands right before the verb ("Naryshkin said", "Naryshkin
        // later said", "a Kenyan government statement said") or right after it ("said
        // Trump", "said Kenyan President William Ruto").
        if let Some(actor) = named_before(s, i).or_else(|| named_after(s, i + 1)) {
            return Some(actor);
        }
    }
    None
}

/// Words that may stand between a speaker and the reporting verb: adverbs, and the
/// nouns of an institution's voice ("a Kenyan government statement said").
fn between_speaker_and_verb(w: &str) -> bool {
    w.ends_with("ly")
        || matches!(
            w,
            "also"
                | "later"
                | "has"
                | "had"
                | "government"
                | "statement"
                | "official"
                | "officials"
                | "spokesman"
                | "spokeswoman"
                | "spokesperson"
                | "ministry"
                | "foreign"
                | "defence"
                | "defense"
                | "office"
                | "presidency"
                | "press"
                | "service"
                | "readout"
                | "embassy"
                | "military"
                | "source"
                | "sources"
        )
}

/// The actor named right before token `i`, across the words of
/// [`between_speaker_and_verb`] and titles.
fn named_before(s: &Sentence, i: usize) -> Option<usize> {
    let mut k = i;
    while k > 0 {
        k -= 1;
        if let Some(m) = s.mentions.iter().find(|m| m.start <= k && k < m.end) {
            return Some(m.actor);
        }
        let in_title = s.roles.iter().any(|r| r.start <= k && k < r.end);
        if !in_title && !between_speaker_and_verb(word(s, k)) {
            return None;
        }
    }
    None
}

/// The actor named from token `i` on: after an article, the last of a run of names,
/// titles and possessives ("Kenyan President William Ruto" is Ruto, "a Japanese
/// official" Japan).
fn named_after(s: &Sentence, i: usize) -> Option<usize> {
    let mut k = i;
    if matches!(word(s, k), "a" | "an" | "the") {
        k += 1;
    }
    let mut last = None;
    while k < s.tokens.len() {
        if let Some(m) = s.mentions.iter().find(|m| m.start <= k && k < m.end) {
            last = Some(m.actor);
            k = m.end;
        } else if let Some(r) = s.roles.iter().find(|r| r.start <= k && k < r.end) {
            k = r.end;
        } else if word(s, k) == "'s" && last.is_some() {
            k += 1;
        } else {
            break;
        }
    }
    last
}

/// A sentence's token `i` as a word ("" past either end).
pub(super) fn word<'s>(s: &'s Sentence, i: usize) -> &'s str {
    s.tokens.get(i).map_or("", |t| t.word.as_str())
}

/// Whether the sentence reports words of no one named: "sources said", "officials
/// say", "is said to".
pub(super) fn anonymous_report(s: &Sentence, stems: &[String]) -> bool {
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

pub(super) fn is_reporting(stem_: &str) -> bool {
    [
        "say", "claim", "tell", "state", "announc", "report", "insist", "assert", "told", "deni",
    ]
    .iter()
    .any(|w| stem_ == stem(w))
}

/// The ends of a trigger's relations (two subjects give two), how they were read, and a
/// first confidence.
#[allow(clippy::too_many_arguments)]
pub(super) fn ends_of(
    s: &Sentence,
    args: &[Mention],
    start: usize,
    end: usize,
    symmetric: bool,
    speaker: Option<usize>,
    discourse: &Discourse,
    actors: &[Actor],
) -> Vec<(usize, usize, String, f64)> {
    let one = |from: usize, to: usize, how: &str, confidence: f64| {
        vec![(from, to, how.to_string(), confidence)]
    };
    let word = |i: usize| s.tokens.get(i).map_or("", |t| t.word.as_str());
    let mention_at = |i: usize| args.iter().find(|m| m.start == i);
    // "between X and Y", "between the two": the two ends of a symmetric relation ("a
    // call between X and Y"; "urged a ceasefire between X and Y" joins neither).
    let mut k = if symmetric { end } else { s.tokens.len() };
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
                return one(a, b, "between \"the two\" last named", 0.55);
            }
        }
        if let Some(a) = mention_at(k + 1)
            && word(a.end) == "and"
            && let Some(b) = mention_at(a.end + 1)
        {
            return one(a.actor, b.actor, "between the two named", 0.7);
        }
    }
    // Names and titles inside a stretch of words are not counted as words.
    let covered = |i: usize| {
        s.mentions.iter().any(|m| m.start <= i && i < m.end)
            || s.roles.iter().any(|r| r.start <= i && i < r.end)
            || matches!(word(i), "(" | ")" | "'s")
    };
    let words_between = |a: usize, b: usize| (a..b).filter(|&i| !covered(i)).count();
    // "Putin, who met Trump on Monday, criticized NATO": a relative clause between
    // the subject and its verb is passed over.
    // A place one goes to or is in ("travelled to Juba", "in Moscow") is not who acts.
    let located = |m: &Mention| {
        matches!(
            word(m.start.wrapping_sub(1)),
            "in" | "at" | "to" | "into" | "near" | "toward" | "towards"
        )
    };
    let mut left = args.iter().rev().find(|m| m.end <= start && !located(m));
    if let Some(m) = left
        && let Some(close) = (m.end..start).rev().find(|&i| word(i) == ",")
        && let Some(open) = (0..m.start).rev().find(|&i| word(i) == ",")
        && matches!(word(open + 1), "who" | "which" | "whose" | "where")
        && close > open
    {
        left = args.iter().rev().find(|m| m.end <= open);
    }
    // The object stands in the trigger's clause: not past ", and" ("criticized the plan
    // on Monday, and Hichilema left").
    let clause_end = (end..s.tokens.len())
        .find(|&i| {
            matches!(
                word(i),
                ";" | "that" | "which" | "who" | "but" | "while" | "because" | "." | "?" | "!"
            ) || (word(i) == "," && matches!(word(i + 1), "and" | "or" | "as" | "after" | "before"))
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
    // "X and Y agreed" (symmetric), titles between allowed ("Finnish Prime Minister
    // Petteri Orpo and Estonian Prime Minister Kaja Kallas signed"); "X and Y met Z"
    // is both of them with Z.
    if let Some(b) = left
        && words_between(b.end, start) <= 2
        && let Some(a) = args.iter().rev().find(|m| m.end < b.start)
        && word(a.end) == "and"
        && words_between(a.end + 1, b.start) == 0
    {
        // The object of the verb itself, not of an infinitive after it ("agreed to
        // reset U.S.-Russia ties").
        let direct = right.filter(|o| {
            words_between(end, o.start) <= 3 && !(end..o.start).any(|i| word(i) == "to")
        });
        match direct {
            Some(object) if !(object.actor == a.actor || object.actor == b.actor) => {
                let how = "the two named before it, each with the one after it";
                return vec![
                    (a.actor, object.actor, how.to_string(), 0.6),
                    (b.actor, object.actor, how.to_string(), 0.6),
                ];
            }
            _ if symmetric => return one(a.actor, b.actor, "the two named before it", 0.7),
            _ => {}
        }
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
            return one(a, b, "\"the two\" last named", 0.55);
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
    // "with X and Y" after a noun trigger with no subject (symmetric).
    if subject.is_none()
        && symmetric
        && let Some(a) = right
        && word(a.end) == "and"
        && let Some(b) = mention_at(a.end + 1)
    {
        return one(a.actor, b.actor, "the two named after it", 0.6);
    }
    let (Some((subject, by_pronoun)), Some(object)) = (subject, right) else {
        return Vec::new();
    };
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
        true => one(object.actor, subject, how, confidence),
        false => one(subject, object.actor, how, confidence),
    }
}
