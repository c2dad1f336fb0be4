//! Scoring candidates against a gold graph (a `.kg` file of the relations an article
//! states, read into a store): precision, recall and F1 of subject-type-object triples
//! (symmetric types in either order), and of the triples matched, how many carry a
//! date right at the gold's precision (inside the gold's interval; undated where the
//! gold is).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{EntityId, TimeSpan};
use crate::store::{Lookup, Store};

use super::actors::Actor;
use super::extract::Candidate;

/// A triple by the gold graph's ids: (from, type name, to), the ends ordered for a
/// symmetric type.
type Triple = (EntityId, String, EntityId);

/// How candidates compare with the gold.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub gold: usize,
    pub proposed: usize,
    pub matched: usize,
    /// Matched triples whose date is right.
    pub dates_right: usize,
    /// Gold triples no candidate found, as text.
    pub missed: Vec<String>,
    /// Candidate triples the gold lacks, as text.
    pub extra: Vec<String>,
    /// Matched triples whose date is wrong: the triple, the gold's dates and kg's.
    pub wrong_dates: Vec<String>,
}

impl Evaluation {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.proposed)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }

    pub fn date_accuracy(&self) -> f64 {
        ratio(self.dates_right, self.matched)
    }

    /// Adds another article's counts.
    pub fn add(&mut self, other: Evaluation) {
        self.gold += other.gold;
        self.proposed += other.proposed;
        self.matched += other.matched;
        self.dates_right += other.dates_right;
        self.missed.extend(other.missed);
        self.extra.extend(other.extra);
        self.wrong_dates.extend(other.wrong_dates);
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores candidates (naming `actors`; from one article or many, the gold counted
/// once) against the relations of `gold`.
pub fn evaluate<'c>(
    actors: &[Actor],
    candidates: impl IntoIterator<Item = &'c Candidate>,
    gold: &Store,
) -> Evaluation {
    let triple = |from: EntityId, type_name: &str, to: EntityId| -> Triple {
        let symmetric = gold
            .types()
            .iter()
            .any(|t| t.name == type_name && t.symmetric);
        if symmetric && to < from {
            (to, type_name.to_string(), from)
        } else {
            (from, type_name.to_string(), to)
        }
    };
    let mut gold_dates: BTreeMap<Triple, Vec<TimeSpan>> = BTreeMap::new();
    for r in gold.relations() {
        let t = gold.relation_type(r.relation.rtype);
        gold_dates
            .entry(triple(r.from, &t.name, r.to))
            .or_default()
            .push(r.relation.when);
    }
    let resolve = |actor: usize| -> Option<EntityId> {
        let a = &actors[actor];
        std::iter::once(&a.name)
            .chain(&a.aliases)
            .find_map(|name| match gold.lookup(name) {
                Lookup::Found(id) => Some(id),
                _ => None,
            })
    };
    let mut proposed: BTreeMap<Triple, Vec<TimeSpan>> = BTreeMap::new();
    let mut unresolved = BTreeSet::new();
    for c in candidates {
        match (resolve(c.from), resolve(c.to)) {
            (Some(from), Some(to)) => proposed
                .entry(triple(from, &c.type_name, to))
                .or_default()
                .push(c.when),
            _ => {
                unresolved.insert(format!(
                    "{} -[{}]- {} (a name the gold lacks)",
                    actors[c.from].name, c.type_name, actors[c.to].name
                ));
            }
        }
    }
    let show = |(from, t, to): &Triple| {
        let symmetric = gold.types().iter().any(|x| x.name == *t && x.symmetric);
        let close = if symmetric { "]-" } else { "]->" };
        format!("{} -[{t}{close} {}", gold.name(*from), gold.name(*to))
    };
    let mut e = Evaluation {
        gold: gold_dates.len(),
        proposed: proposed.len() + unresolved.len(),
        ..Evaluation::default()
    };
    for (t, dates) in &proposed {
        match gold_dates.get(t) {
            Some(gold_spans) => {
                e.matched += 1;
                let right = dates
                    .iter()
                    .any(|c| gold_spans.iter().any(|g| date_right(c, g)));
                e.dates_right += usize::from(right);
                if !right {
                    let list = |spans: &[TimeSpan]| {
                        let texts: Vec<String> = spans
                            .iter()
                            .map(|d| {
                                if d.is_undated() {
                                    "undated".to_string()
                                } else {
                                    d.to_string()
                                }
                            })
                            .collect();
                        texts.join(", ")
                    };
                    e.wrong_dates.push(format!(
                        "{}: gold {}, kg {}",
                        show(t),
                        list(gold_spans),
                        list(dates)
                    ));
                }
            }
            None => e.extra.push(show(t)),
        }
    }
    e.extra.extend(unresolved);
    e.missed = gold_dates
        .keys()
        .filter(|t| !proposed.contains_key(*t))
        .map(show)
        .collect();
    e
}

/// Whether a candidate's date is right against the gold's: inside the gold's interval
/// (so at its precision or finer), or undated where the gold is.
pub fn date_right(candidate: &TimeSpan, gold: &TimeSpan) -> bool {
    match (candidate.is_undated(), gold.is_undated()) {
        (true, true) => true,
        (false, false) => candidate.within(gold),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_right_inside_the_gold_interval() {
        let d = |s: &str| TimeSpan::parse(s).unwrap();
        assert!(date_right(&d("2025-03-14"), &d("2025-03")));
        assert!(!date_right(&d("2025"), &d("2025-03")));
        assert!(date_right(&d(""), &d("")));
        assert!(!date_right(&d("2025-02-12"), &d("")));
        assert!(date_right(&d("2025-06-20"), &d("..2025-06-29")));
    }
}
