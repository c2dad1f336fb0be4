//! Candidate relations from one sentence: titles give roles ("CIA Director John
//! Ratcliffe" heads the CIA), a country's organisation is part of it, and a trigger of
//! the lexicon between two actors proposes its type, the subject and object read off
//! the sentence's shape (X ... trigger ... with/to Y; "X and Y" or "between X and Y"
//! for symmetric types; passives). Each candidate carries its flags: negation ("has
//! not confirmed"), hedging ("reportedly") and reported speech (who claims it), which
//! set its status and claimant, and the date expression nearest its trigger.

mod dates;
mod ends;
mod proposal;
mod roles;

use std::collections::HashMap;

use crate::model::{Kind, Status, TimeSpan};

use super::actors::Actor;
use super::lexicon::{Trigger, stem};

use dates::{clipped_to, date_near, future_sentence, past_span, year_before};
use ends::{anonymous_report, arguments, ends_of, is_reporting, speaker, word};
pub use proposal::{Candidate, Discourse, Method, Sentence};
use roles::{parts, roles};

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
    let speaker = speaker(s, &stems);
    out.extend(roles(s, actors, &quote));
    out.extend(parts(s, actors, &quote));
    for (start, end, t) in &found {
        for (from, to, how, mut confidence) in ends_of(
            s,
            &args,
            *start,
            *end,
            symmetric(&t.type_name),
            speaker,
            discourse,
            actors,
        ) {
            if from == to {
                continue;
            }
            // "Back" after a verb is an adverb ("hit back", "came back from"): it
            // supports no one.
            if word(s, *start) == "back"
                && !args.iter().any(|m| m.end == *start)
                && !matches!(
                    word(s, start.wrapping_sub(1)),
                    "to" | "not" | "also" | "strongly" | "firmly" | "will" | "would" | "and"
                )
                && !word(s, start.wrapping_sub(1)).ends_with("n't")
            {
                continue;
            }
            // A place is where things happen, not who does them.
            let place = |a: usize| matches!(actors[a].kind, Kind::Place | Kind::Event);
            if place(from) || (place(to) && t.type_name != "visited") {
                continue;
            }
            // What may, would or will happen, or what someone wants or plans to do, has
            // not happened: no candidate.
            let intent = word(s, start.wrapping_sub(1)) == "to"
                && matches!(
                    stem(word(s, start.wrapping_sub(2))).as_str(),
                    "yet"
                        | "decis"
                        | "decid"
                        | "agre"
                        | "promis"
                        | "vow"
                        | "invit"
                        | "readi"
                        | "unabl"
                        | "fail"
                        | "want"
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
            let modal = in_clause_before(s, *start, 10).any(|w| {
                matches!(
                    w,
                    "if" | "whether"
                        | "might"
                        | "could"
                        | "would"
                        | "may"
                        | "should"
                        | "will"
                        | "shall"
                        | "unless"
                        | "wo"
                ) || w.ends_with("'ll")
            });
            // A meeting planned, postponed or called off has not taken place.
            let not_yet = (start.saturating_sub(2)..*start).any(|i| {
                matches!(
                    word(s, i),
                    "planned"
                        | "proposed"
                        | "possible"
                        | "potential"
                        | "upcoming"
                        | "expected"
                        | "scheduled"
                        | "postponed"
                        | "cancelled"
                        | "canceled"
                        | "delayed"
                        | "future"
                        | "prospective"
                        | "mooted"
                )
            }) || (*end..s.tokens.len().min(end + 8)).any(|i| {
                matches!(
                    word(s, i),
                    "postponed" | "cancelled" | "canceled" | "delayed"
                ) || (word(s, i) == "called" && word(s, i + 1) == "off")
            });
            // "called Kagame a liar" is no phone call.
            let name_calling = t.text == "call"
                && args
                    .iter()
                    .find(|m| m.start == *end)
                    .is_some_and(|m| matches!(word(s, m.end), "a" | "an"));
            if intent || modal || not_yet || name_calling {
                continue;
            }
            let not = |i: usize| {
                let w = word(s, i);
                matches!(w, "not" | "never" | "no" | "without" | "neither") || w.ends_with("n't")
            };
            // "has not confirmed (that) X met Y": not denied, not yet confirmed.
            let unconfirmed = (start.saturating_sub(12)..*start).any(|i| {
                let w = word(s, i);
                matches!(w, "unconfirmed" | "unverified")
                    || (matches!(stem(w).as_str(), "confirm" | "verifi" | "verify")
                        && (not(i.wrapping_sub(1)) || not(i.wrapping_sub(2))))
            });
            // A denial denied ("did not deny that") is none.
            let denial = (start.saturating_sub(6)..*start).any(|i| {
                matches!(
                    word(s, i),
                    "denied" | "denies" | "deny" | "declined" | "refused"
                ) && !(not(i.wrapping_sub(1)) || not(i.wrapping_sub(2)))
            });
            let negated = !unconfirmed
                && ((start.saturating_sub(2)..*start).any(not)
                    || denial && !t.text.starts_with("declined") && !t.text.starts_with("refused"));
            // Hedges, and words reported from no one named ("sources said", "is said to").
            let hedged = s.tokens.iter().any(|t| {
                matches!(
                    t.word.as_str(),
                    "reportedly"
                        | "allegedly"
                        | "purportedly"
                        | "apparently"
                        | "rumored"
                        | "rumoured"
                )
            }) || (speaker.is_none() && anonymous_report(s, &stems));
            let reporting_verb = is_reporting(&stems[*start]);
            let claimant = speaker.filter(|_| !reporting_verb || t.type_name != "told");
            let status = if negated {
                Status::Denied
            } else if unconfirmed {
                Status::Unconfirmed
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
                    Some(earlier)
                        if earlier.latest() <= crate::model::time::day_number(s.anchor) =>
                    {
                        when = earlier
                    }
                    _ => {
                        when = TimeSpan::UNDATED;
                        date_text = None;
                    }
                }
            }
            when = clipped_to(when, s.anchor);
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
            // "called on the prime minister" without "to do" is a courtesy call.
            let courtesy_call = t.text.starts_with("call on")
                && !(*end..s.tokens.len().min(end + 10)).any(|i| word(s, i) == "to");
            let type_name = match t.type_name.as_str() {
                "contacted" if by_phone => "phoned".to_string(),
                "urged" if courtesy_call => "met".to_string(),
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
    }
    for m in s.mentions {
        if is_person(m.actor) {
            discourse.recent_people.retain(|&p| p != m.actor);
            discourse.recent_people.push(m.actor);
        }
    }
    out
}

/// The words before token `start`, nearest first, at most `n`, up to the start of its
/// clause (a comma, colon, semicolon or dash, or a word that opens another clause).
fn in_clause_before<'s>(s: &'s Sentence, start: usize, n: usize) -> impl Iterator<Item = &'s str> {
    s.tokens[start.saturating_sub(n)..start]
        .iter()
        .rev()
        .map(|t| t.word.as_str())
        .take_while(|w| {
            !matches!(
                *w,
                "," | ";"
                    | ":"
                    | "\u{2014}"
                    | "\u{2013}"
                    | "that"
                    | "but"
                    | "because"
                    | "after"
                    | "before"
                    | "when"
                    | "while"
            )
        })
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

#[cfg(test)]
mod tests {
    use super::super::lexicon::Lexicon;
    use super::super::{article::Article, read_article};
    use super::*;
    use chrono::NaiveDate;

    /// What the rules read in one sentence (after a headline), published 2024-03-15,
    /// with no database.
    fn read(text: &str) -> super::super::Ingestion {
        let article = Article::read(format!("Headline\n{text}\n").as_bytes()).unwrap();
        let store = crate::store::Store::new();
        let lexicon = Lexicon::default_lexicon();
        let day = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        read_article(&article, day, None, &store, &lexicon, Method::Rules)
    }

    fn triples(text: &str) -> Vec<String> {
        let read = read(text);
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
        assert_eq!(
            triples("Poland and Latvia met Belarus."),
            ["Poland met Belarus", "Latvia met Belarus"]
        );
        assert_eq!(
            triples("Poland, which met Latvia on Monday, criticized Belarus."),
            ["Poland met Latvia", "Poland criticized Belarus"]
        );
        assert_eq!(
            triples("Qatar's energy minister, Saad al-Kaabi, met Poland."),
            ["Saad al-Kaabi serves Qatar", "Saad al-Kaabi met Poland"]
        );
    }

    #[test]
    fn words_that_look_like_triggers_but_are_not() {
        assert!(triples("Poland came back from Belarus.").is_empty());
        assert!(triples("Poland called Belarus a liar.").is_empty());
        // A known word that begins a longer name is that name's.
        assert_eq!(
            triples("Lloyd Austin phoned Israel Katz."),
            ["Lloyd Austin phoned Israel Katz"]
        );
        assert!(triples("Poland's planned meeting with Belarus was postponed.").is_empty());
        // The object stays in the trigger's clause; a place gone to is not the subject.
        assert!(triples("Poland criticized the plan on Monday, and Belarus left.").is_empty());
        assert_eq!(
            triples("Duda travelled to Minsk on Monday for talks with Belarus."),
            ["Duda visited Belarus", "Duda contacted Belarus"]
        );
        assert_eq!(
            triples("Poland hit back at Belarus."),
            ["Poland criticized Belarus"]
        );
        assert_eq!(
            triples("Poland called for a ceasefire between Belarus and Ukraine."),
            ["Poland urged Belarus"]
        );
        assert_eq!(
            triples("Poland called on Latvia on Friday."),
            ["Poland met Latvia"]
        );
        assert_eq!(
            triples("Poland called on Latvia to withdraw."),
            ["Poland urged Latvia"]
        );
    }

    #[test]
    fn negation_hedging_and_reported_speech_set_the_status() {
        let statuses = |text: &str| {
            let read = read(text);
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
        // Not confirmed is not denied; a denial denied is none.
        assert_eq!(
            statuses("Russia has not confirmed that Poland attacked Belarus."),
            [(Status::Unconfirmed, None)]
        );
        assert_eq!(
            statuses("Poland has not confirmed meeting Belarus."),
            [(Status::Unconfirmed, None)]
        );
        assert_eq!(
            statuses("Russia did not deny that Poland met Belarus."),
            [(Status::Reported, None)]
        );
        // A speaker after a title, an institution's voice, "according to" a title.
        for (text, speaker) in [
            (
                "\"We met Belarus,\" said Polish President Andrzej Duda.",
                "Andrzej Duda",
            ),
            (
                "Poland met Belarus, a Latvian government statement said.",
                "Latvia",
            ),
            (
                "Poland met Belarus, according to a Latvian official.",
                "Latvia",
            ),
        ] {
            let found = statuses(text);
            assert!(
                found.contains(&(Status::Claimed, Some(speaker.to_string()))),
                "{text}: {found:?}"
            );
        }
        // What is to come, or has not come yet, is no candidate.
        for text in [
            "Poland will travel to Minsk on Thursday for talks with Belarus.",
            "Poland has yet to meet Belarus.",
            "Poland's decision to meet Belarus surprised Latvia.",
        ] {
            assert!(statuses(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_date_is_the_nearest_expression_or_up_to_publication() {
        let dates = |text: &str| {
            let read = read(text);
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
        // A clock time gives way to the day it is on.
        assert_eq!(
            dates("Poland phoned Belarus at 9 a.m. on Tuesday."),
            ["2024-03-12"]
        );
        // "This week" in a report ends at the publication.
        assert_eq!(
            dates("Poland phoned Belarus earlier this week."),
            ["2024-03-11..2024-03-15"]
        );
        // A relative clause's date, and another clause's, are not the trigger's.
        assert_eq!(
            dates("Lukashenko, who arrived in Warsaw on Monday, met Poland on Wednesday."),
            ["2024-03-11", "2024-03-13"]
        );
        assert_eq!(
            dates("Latvia met Estonia in September, and Poland met Belarus in March 2023."),
            ["2023-09", "2023-03"]
        );
    }
}
