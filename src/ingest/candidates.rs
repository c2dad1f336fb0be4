//! Candidates for review: the same relation proposed twice in an article is merged,
//! one the database already holds is marked (and written commented out, so importing
//! the file does not add it again), and the whole is written as a `.kg` file the
//! analyst edits and imports: the types and new entities it needs, then each candidate
//! under a comment that explains its evidence.

use std::fmt::Write;

use crate::model::{Kind, RelationId, Status, TimeSpan};
use crate::source::kg::quote;
use crate::store::Store;

use super::Ingestion;
use super::extract::Candidate;
use super::lexicon::Lexicon;

/// The candidates with each relation once: one proposed again (same ends, type and
/// date) keeps its first place and the higher confidence.
pub fn merged(candidates: Vec<Candidate>, symmetric: &dyn Fn(&str) -> bool) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for c in candidates {
        let same = |o: &Candidate| {
            o.type_name == c.type_name
                && o.when == c.when
                && ((o.from == c.from && o.to == c.to)
                    || (symmetric(&c.type_name) && o.from == c.to && o.to == c.from))
        };
        match out.iter_mut().find(|o| same(o)) {
            Some(o) => o.confidence = o.confidence.max(c.confidence),
            None => out.push(c),
        }
    }
    out
}

/// For each candidate, the stored relation it repeats, if any: same ends (either way
/// for a symmetric type), same type, and dates that overlap (or both undated).
pub fn already_stored(store: &Store, ingestion: &Ingestion) -> Vec<Option<RelationId>> {
    ingestion
        .candidates
        .iter()
        .map(|c| {
            let from = ingestion.actors[c.from].id?;
            let to = ingestion.actors[c.to].id?;
            store.relations_of(from).find_map(|r| {
                let t = store.relation_type(r.relation.rtype);
                let ends =
                    (r.from == from && r.to == to) || (t.symmetric && r.from == to && r.to == from);
                let dates = match (r.relation.when.is_undated(), c.when.is_undated()) {
                    (true, true) => true,
                    (false, false) => r.relation.when.overlaps(&c.when),
                    _ => false,
                };
                (ends && t.name == c.type_name && dates).then_some(r.id)
            })
        })
        .collect()
}

/// One article read, for the candidates file: its name, what it proposed, and which
/// candidates the database already holds.
pub struct Read {
    pub name: String,
    pub ingestion: Ingestion,
    pub stored: Vec<Option<RelationId>>,
}

/// The `.kg` file of candidates of one or more articles: a header saying how to use
/// it, the declarations of the types and entities the database lacks (each once), and
/// each article's candidates, each under a comment with its confidence and evidence
/// (those already stored commented out).
pub fn to_kg(articles: &[Read], store: &Store, lexicon: &Lexicon) -> String {
    let mut out = String::new();
    let total: usize = articles.iter().map(|a| a.ingestion.candidates.len()).sum();
    let _ = writeln!(
        out,
        "# kg ingest: {total} candidate relations from {}",
        match articles {
            [one] => format!("{}, published {}", one.name, one.ingestion.published),
            _ => format!("{} articles", articles.len()),
        }
    );
    let _ = writeln!(
        out,
        "# Review: keep, correct or delete each candidate, then `kg import` this file.\n# Nothing enters the database until then."
    );
    let mut types: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.ingestion.candidates.iter().map(|c| c.type_name.as_str()))
        .collect();
    types.sort_unstable();
    types.dedup();
    let missing: Vec<&str> = types
        .into_iter()
        .filter(|t| !store.types().iter().any(|s| s.name == *t))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "\n# ===== relation types the database lacks =====");
        for t in missing {
            if let Some(entry) = lexicon.type_entry(t) {
                let _ = writeln!(out, "{}", entry.declaration);
            }
        }
    }
    let mut declared: Vec<&str> = Vec::new();
    for read in articles {
        let ingestion = &read.ingestion;
        let used = |a: usize| {
            ingestion
                .candidates
                .iter()
                .any(|c| c.from == a || c.to == a || c.claimed_by == Some(a))
        };
        for (a, actor) in ingestion.actors.iter().enumerate() {
            if actor.id.is_some() || !used(a) || declared.contains(&actor.name.as_str()) {
                continue;
            }
            if declared.is_empty() {
                let _ = writeln!(
                    out,
                    "\n# ===== new entities (kinds guessed: check them) ====="
                );
            }
            declared.push(&actor.name);
            let kind = match &actor.kind {
                Kind::Organization => "org".to_string(),
                k => k.as_str().to_string(),
            };
            let _ = write!(out, "{kind} {}", quote(&actor.name));
            for (i, alias) in actor.aliases.iter().enumerate() {
                let _ = write!(
                    out,
                    "{}{}",
                    if i == 0 { " aka " } else { ", " },
                    quote(alias)
                );
            }
            let _ = writeln!(out, "  # {}", actor.why);
        }
    }
    for read in articles {
        let ingestion = &read.ingestion;
        let _ = writeln!(
            out,
            "\n# ===== {}: {} candidates =====",
            read.name,
            ingestion.candidates.len()
        );
        for (n, (c, stored)) in ingestion.candidates.iter().zip(&read.stored).enumerate() {
            let _ = writeln!(
                out,
                "# {}. confidence {:.2}: {}",
                n + 1,
                c.confidence,
                c.evidence
            );
            if let Some(id) = stored {
                let _ = writeln!(out, "# already in the database as #{}:", id.0);
                out.push_str("# ");
            }
            let _ = writeln!(out, "{}", relation_line(ingestion, c, store, lexicon));
        }
    }
    out
}

/// One candidate as a `.kg` relation line.
pub fn relation_line(
    ingestion: &Ingestion,
    c: &Candidate,
    store: &Store,
    lexicon: &Lexicon,
) -> String {
    let symmetric = match store.types().iter().find(|t| t.name == c.type_name) {
        Some(t) => t.symmetric,
        None => lexicon
            .type_entry(&c.type_name)
            .is_some_and(|t| t.symmetric),
    };
    let close = if symmetric { "]-" } else { "]->" };
    let mut line = format!(
        "{} -[{}{close} {}",
        quote(&ingestion.actors[c.from].name),
        quote(&c.type_name),
        quote(&ingestion.actors[c.to].name)
    );
    if !c.when.is_undated() {
        let _ = write!(line, " @ {}", c.when);
    }
    if c.status != Status::default() {
        let _ = write!(line, " status={}", c.status);
    }
    if let Some(claimant) = c.claimed_by {
        let _ = write!(
            line,
            " claimed_by={}",
            quote(&ingestion.actors[claimant].name)
        );
    }
    let _ = write!(line, " confidence={:.2}", c.confidence);
    if let Some(source) = &ingestion.source {
        let _ = write!(line, " source={}", quote(source));
    }
    let _ = write!(line, " quote={}", quote(&c.quote));
    line
}

/// A candidate's date as the `.kg` format writes it ("" when undated).
pub fn date_text(when: &TimeSpan) -> String {
    if when.is_undated() {
        String::new()
    } else {
        when.to_string()
    }
}
