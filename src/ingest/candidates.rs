//! Candidates for review: the same relation proposed twice in an article is merged,
//! one the database already holds is marked (and written commented out, so importing
//! the file does not add it again), and the whole is written as a `.kg` file the
//! analyst edits and imports: the types and new entities it needs, then each candidate
//! under a comment that explains its evidence.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::model::{Kind, RelationId, Status, TimeSpan, name_key};
use crate::source::kg::quote;
use crate::store::Store;

use super::actors::Actor;
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
/// for a symmetric type), same type, dates that overlap (or both undated), and the same
/// side of a denial (a denial of a stored relation contradicts it, and is kept).
pub fn already_stored(
    store: &Store,
    actors: &[Actor],
    candidates: &[Candidate],
) -> Vec<Option<RelationId>> {
    candidates
        .iter()
        .map(|c| {
            let from = actors[c.from].id?;
            let to = actors[c.to].id?;
            store.relations_of(from).find_map(|r| {
                let t = store.relation_type(r.relation.rtype);
                let ends =
                    (r.from == from && r.to == to) || (t.symmetric && r.from == to && r.to == from);
                let dates = match (r.relation.when.is_undated(), c.when.is_undated()) {
                    (true, true) => true,
                    (false, false) => r.relation.when.overlaps(&c.when),
                    _ => false,
                };
                let denial = (r.relation.status == Status::Denied) == (c.status == Status::Denied);
                (ends && t.name == c.type_name && dates && denial).then_some(r.id)
            })
        })
        .collect()
}

/// One article read, for the candidates file: its name, publication, source, what it
/// proposed, and which candidates the database already holds.
pub struct Read {
    pub name: String,
    pub published: NaiveDate,
    pub source: Option<String>,
    pub candidates: Vec<Candidate>,
    pub stored: Vec<Option<RelationId>>,
}

/// The `.kg` file of candidates of one or more articles: a header saying how to use
/// it, the declarations of the types and entities it needs (each once; with
/// `declare_known`, those the store already has too, for a file read against the
/// bundled graph and imported elsewhere), and each article's candidates, each under a
/// comment with its confidence and evidence (those already stored commented out).
pub fn to_kg(
    articles: &[Read],
    actors: &[Actor],
    store: &Store,
    lexicon: &Lexicon,
    declare_known: bool,
) -> String {
    with_edits(articles, actors, store, lexicon, declare_known, &[])
}

/// A candidate's line as the analyst corrected it in a review, with what it needs
/// declared: its type unless stored, and the article's actors it names that are new.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub line: String,
    pub type_name: String,
    pub actors: Vec<usize>,
}

/// Reads an analyst's corrected line: one `.kg` relation line, whose type the store
/// or the lexicon declares and whose ends (and claimant) are stored entities or actors
/// the articles named. The error says what is wrong, for the analyst to try again.
pub fn check_edit(
    line: &str,
    evidence: (Option<&str>, &str),
    actors: &[Actor],
    store: &Store,
    lexicon: &Lexicon,
) -> Result<Edit, String> {
    let batch = crate::source::kg::parse(&std::sync::Arc::from("your edit"), line)
        .map_err(|e| e.to_string())?;
    let mut relations = batch.relations.iter();
    let (Some(relation), None) = (relations.next(), relations.next()) else {
        return Err("expected one relation line: FROM -[TYPE]-> TO @ DATE ...".to_string());
    };
    if !batch.entities.is_empty() || !batch.types.is_empty() {
        return Err("expected one relation line, not a declaration".to_string());
    }
    let type_name = relation.rtype().name().to_string();
    if !store.types().iter().any(|t| t.name == type_name)
        && lexicon.type_entry(&type_name).is_none()
    {
        return Err(format!(
            "unknown relation type '{type_name}': neither the database nor the lexicon declares it"
        ));
    }
    let mut needed = Vec::new();
    let claimant = relation.claimed_by().map(|n| n.name());
    for name in [relation.from().name(), relation.to().name()]
        .into_iter()
        .chain(claimant)
    {
        if store.by_name(name).is_some() {
            continue;
        }
        let key = name_key(name);
        let actor = actors.iter().position(|a| {
            a.id.is_none()
                && (name_key(&a.name) == key || a.aliases.iter().any(|x| name_key(x) == key))
        });
        match actor {
            Some(a) => needed.push(a),
            None => {
                return Err(format!(
                    "unknown entity '{name}': use a name from the database or one the article's candidates name"
                ));
            }
        }
    }
    // The candidate's evidence stays with the corrected line unless it says otherwise.
    let mut line = line.trim_end().to_string();
    let (source, quote_text) = evidence;
    if relation.source().is_none()
        && let Some(source) = source
    {
        line.push_str(&format!(" source={}", quote(source)));
    }
    if relation.quote().is_none() && !quote_text.is_empty() {
        line.push_str(&format!(" quote={}", quote(quote_text)));
    }
    Ok(Edit {
        line,
        type_name,
        actors: needed,
    })
}

/// [`to_kg`], with the analyst's edited lines after the candidates and what they need
/// declared with the rest.
pub fn with_edits(
    articles: &[Read],
    actors: &[Actor],
    store: &Store,
    lexicon: &Lexicon,
    declare_known: bool,
    edits: &[Edit],
) -> String {
    let mut out = String::new();
    let total: usize = articles.iter().map(|a| a.candidates.len()).sum();
    let _ = writeln!(
        out,
        "# kg ingest: {} from {}",
        plural(total, "candidate relation", "candidate relations"),
        match articles {
            [one] => format!("{}, published {}", one.name, one.published),
            _ => plural(articles.len(), "article", "articles"),
        }
    );
    let _ = writeln!(
        out,
        "# Review: keep, correct or delete each candidate, then `kg import` this file.\n# Nothing enters the database until then."
    );
    let mut types: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.candidates.iter().map(|c| c.type_name.as_str()))
        .chain(edits.iter().map(|e| e.type_name.as_str()))
        .collect();
    types.sort_unstable();
    types.dedup();
    let declared_types: Vec<String> = types
        .iter()
        .filter_map(|t| match store.types().iter().find(|s| s.name == *t) {
            Some(known) if declare_known => Some(type_line(known)),
            Some(_) => None,
            None => lexicon.type_entry(t).map(|e| e.declaration.clone()),
        })
        .collect();
    if !declared_types.is_empty() {
        let _ = writeln!(out, "\n# ===== relation types =====");
        for line in declared_types {
            let _ = writeln!(out, "{line}");
        }
    }
    let used = |a: usize| {
        edits.iter().any(|e| e.actors.contains(&a))
            || articles.iter().any(|r| {
                r.candidates
                    .iter()
                    .any(|c| c.from == a || c.to == a || c.claimed_by == Some(a))
            })
    };
    let declared: Vec<usize> = (0..actors.len())
        .filter(|&a| used(a) && (actors[a].id.is_none() || declare_known))
        .collect();
    if !declared.is_empty() {
        let _ = writeln!(
            out,
            "\n# ===== entities (new ones' kinds guessed: check them) ====="
        );
    }
    // No alias may be another entity's name, or taken twice.
    let names: Vec<String> = actors.iter().map(|a| name_key(&a.name)).collect();
    let mut taken: Vec<String> = Vec::new();
    for &a in &declared {
        let actor = &actors[a];
        let mut aliases: Vec<String> = match actor.id.and_then(|id| store.entity(id)) {
            Some(entity) => entity.aliases.clone(),
            None => actor.aliases.clone(),
        };
        aliases.retain(|x| {
            let key = name_key(x);
            let free = !names.contains(&key) && !taken.contains(&key) && store.by_name(x).is_none();
            if free {
                taken.push(key);
            }
            free
        });
        let kind = match &actor.kind {
            Kind::Organization => "org".to_string(),
            k => k.as_str().to_string(),
        };
        let _ = write!(out, "{kind} {}", quote(&actor.name));
        for (i, alias) in aliases.iter().enumerate() {
            let _ = write!(
                out,
                "{}{}",
                if i == 0 { " aka " } else { ", " },
                quote(alias)
            );
        }
        match actor.id {
            Some(_) => {
                let _ = writeln!(out);
            }
            None => {
                let _ = writeln!(out, "  # {}", actor.why);
            }
        }
    }
    for read in articles {
        let _ = writeln!(
            out,
            "\n# ===== {}: {} =====",
            read.name,
            plural(read.candidates.len(), "candidate", "candidates")
        );
        for (n, (c, stored)) in read.candidates.iter().zip(&read.stored).enumerate() {
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
            let _ = writeln!(
                out,
                "{}",
                relation_line(actors, c, read.source.as_deref(), store, lexicon)
            );
        }
    }
    if !edits.is_empty() {
        let _ = writeln!(out, "\n# ===== edited in review =====");
        for edit in edits {
            let _ = writeln!(out, "{}", edit.line);
        }
    }
    out
}

/// A type as a `.kg` file declares it.
fn type_line(t: &crate::model::RelationType) -> String {
    let mut line = format!(
        "type {} {}",
        quote(&t.name),
        if t.symmetric { "symmetric" } else { "directed" }
    );
    if let Some(cameo) = &t.cameo {
        let _ = write!(line, " cameo={}", quote(cameo));
    }
    if let Some(description) = &t.description {
        let _ = write!(line, " description={}", quote(description));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One candidate as a `.kg` relation line.
pub fn relation_line(
    actors: &[Actor],
    c: &Candidate,
    source: Option<&str>,
    store: &Store,
    lexicon: &Lexicon,
) -> String {
    let symmetric = lexicon.is_symmetric(store, &c.type_name);
    let close = if symmetric { "]-" } else { "]->" };
    let mut line = format!(
        "{} -[{}{close} {}",
        quote(&actors[c.from].name),
        quote(&c.type_name),
        quote(&actors[c.to].name)
    );
    if !c.when.is_undated() {
        let _ = write!(line, " @ {}", c.when);
    }
    if c.status != Status::default() {
        let _ = write!(line, " status={}", c.status);
    }
    if let Some(claimant) = c.claimed_by {
        let _ = write!(line, " claimed_by={}", quote(&actors[claimant].name));
    }
    let _ = write!(line, " confidence={:.2}", c.confidence);
    if let Some(source) = source {
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
