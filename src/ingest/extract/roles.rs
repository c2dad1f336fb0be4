//! Roles from titles, and organisations that are part of a country.

use crate::model::{Kind, Status, TimeSpan};

use super::super::actors::{Actor, Mention};
use super::proposal::{Candidate, Sentence};

/// Roles from titles: "CIA Director John Ratcliffe", "the Director of Russia's Foreign
/// Intelligence Service (SVR), Sergey Naryshkin", "Marco Rubio, secretary of state of
/// the United States".
pub(super) fn roles(s: &Sentence, actors: &[Actor], quote: &str) -> Vec<Candidate> {
    let word = |i: usize| s.tokens.get(i).map_or("", |t| t.word.as_str());
    let ending_at = |i: usize| {
        s.mentions
            .iter()
            .rev()
            .find(|m| m.end == i || (m.end + 1 == i && word(m.end) == "'s"))
    };
    let mut out = Vec::new();
    for r in s.roles {
        // "Qatar's energy minister, Saad al-Kaabi": a comma may stand before the name.
        let person_after = s
            .mentions
            .iter()
            .find(|m| m.start == r.end || (m.start == r.end + 1 && word(r.end) == ","));
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
pub(super) fn parts(s: &Sentence, actors: &[Actor], quote: &str) -> Vec<Candidate> {
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
