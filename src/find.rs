//! Finding entities: by a piece of a name in any script (`search`), and pairs of
//! entities that may be one actor (`duplicates`), each pair with a score that says
//! where it comes from.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::model::time::{MAX_DAY, MIN_DAY};
use crate::model::{Day, EntityId, Kind, name_key};
use crate::similar::{NameIndex, fold, similarity, words};
use crate::store::Store;

/// How a search matched a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    /// The name itself (case and spacing aside).
    Exact,
    /// The name, or one of its words, begins with the text.
    Prefix,
    /// The text is inside the name.
    Substring,
    /// Equal or contained once both are folded (accents, script, transliteration).
    Folded,
    /// Within a few spelling slips.
    Fuzzy,
}

/// An entity a search found, by the best of its names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: EntityId,
    /// The name or alias that matched.
    pub matched: String,
    pub how: Match,
    /// From 0 to 1, best first.
    pub score: f64,
}

/// How well `name` matches the search `text` (its key and folded form given).
fn match_name(key: &str, folded: &str, name: &str) -> Option<(Match, f64)> {
    let name_key = name_key(name);
    // Shorter names that hold the text rank above longer ones.
    let closeness = |len: usize| 0.05 * key.chars().count() as f64 / len.max(1) as f64;
    if name_key == key {
        return Some((Match::Exact, 1.0));
    }
    let len = name_key.chars().count();
    if name_key.starts_with(key) {
        return Some((Match::Prefix, 0.9 + closeness(len)));
    }
    if name_key.split_whitespace().any(|w| w.starts_with(key)) {
        return Some((Match::Prefix, 0.85 + closeness(len)));
    }
    if name_key.contains(key) {
        return Some((Match::Substring, 0.8 + closeness(len)));
    }
    if folded.is_empty() {
        return None;
    }
    let name_folded = fold(name);
    if name_folded == folded {
        return Some((Match::Folded, 0.78));
    }
    if folded.chars().count() >= 3 && name_folded.contains(folded) {
        return Some((Match::Folded, 0.7 + closeness(name_folded.len())));
    }
    let best = std::iter::once(name_folded)
        .chain(words(name))
        .map(|w| similarity(folded, &w))
        .fold(0.0, f64::max);
    (best >= 0.7 && folded.chars().count() >= 3).then_some((Match::Fuzzy, 0.65 * best))
}

/// The entities whose name or an alias matches `text`, best first (ties by name):
/// exact, then prefix, substring, folded (script, accents, transliteration) and fuzzy
/// matches. Linear in the number of names.
pub fn search(store: &Store, text: &str) -> Vec<Hit> {
    let key = name_key(text);
    if key.is_empty() {
        return Vec::new();
    }
    let folded = fold(text);
    let mut hits: Vec<Hit> = Vec::new();
    for (id, entity) in store.entities() {
        let best = std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .filter_map(|name| match_name(&key, &folded, name).map(|m| (m, name)))
            .fold(
                None,
                |best: Option<((Match, f64), &String)>, m| match best {
                    Some(b) if b.0.1 >= m.0.1 => Some(b),
                    _ => Some(m),
                },
            );
        if let Some(((how, score), name)) = best {
            hits.push(Hit {
                id,
                matched: name.clone(),
                how,
                score,
            });
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| name_key(store.name(a.id)).cmp(&name_key(store.name(b.id))))
    });
    hits
}

/// Finds the stored entity a new name most likely means: the name within two spelling
/// edits, another script or spacing, or a word of it. Stores of more than
/// [`FULL_INDEX_LIMIT`] entities are matched by folded form only (case, spacing,
/// accents, script), which needs no index of spelling slips.
pub struct NameMatcher {
    index: NameIndex<EntityId>,
    folded: HashMap<String, EntityId>,
}

/// The most entities whose names [`NameMatcher`] indexes for spelling slips.
pub const FULL_INDEX_LIMIT: usize = 200_000;

impl NameMatcher {
    pub fn of(store: &Store) -> NameMatcher {
        let full = store.entity_count() <= FULL_INDEX_LIMIT;
        let mut matcher = NameMatcher {
            index: NameIndex::new(),
            folded: HashMap::new(),
        };
        for (id, entity) in store.entities() {
            for name in std::iter::once(&entity.name).chain(&entity.aliases) {
                if full {
                    matcher.index.insert(name, id);
                } else {
                    matcher.folded.entry(fold(name)).or_insert(id);
                }
            }
        }
        matcher
    }

    /// The entity `name` most likely means, with the name of it that is closest, if
    /// any is alike enough (a name score of 0.65, as `kg duplicates` scores names:
    /// a slip in a word).
    pub fn likely(&self, store: &Store, name: &str) -> Option<(EntityId, String)> {
        if let Some(&id) = self.folded.get(&fold(name)) {
            return Some((id, store.name(id).to_string()));
        }
        let mut best: Option<(f64, EntityId, String)> = None;
        for id in self.index.candidates(name) {
            let Some(entity) = store.entity(id) else {
                continue;
            };
            for known in std::iter::once(&entity.name).chain(&entity.aliases) {
                let (score, _) = name_pair(name, known);
                if score >= 0.65 && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, id, known.clone()));
                }
            }
        }
        best.map(|(_, id, known)| (id, known))
    }
}

/// Two entities that may be one actor, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub a: EntityId,
    pub b: EntityId,
    /// From 0 to 1: the name score times 0.55 + 0.45 × the context, where the context
    /// is 0.35 for the same kind (half when one is `other`), 0.5 for two or more shared
    /// neighbours (half for one) and 0.15 for dated relations in overlapping years
    /// (half when unknown); less 0.25 when the two are related to each other.
    pub score: f64,
    /// How alike their closest names are: 1 the same name, 0.9 the same once folded
    /// (script, transliteration, case, spacing) or the same words in another order,
    /// 0.8 one name part of the other, 0.75 or 0.65 for the words they do not share
    /// spelt alike (similarity at least 0.85 or 0.75), 0.4 apart by a number.
    pub name_score: f64,
    /// The two names compared.
    pub names: (String, String),
    /// Each part of the score in words.
    pub reasons: Vec<String>,
}

/// The most entities one index key may gather before it is too common to tell
/// anything (a word such as "ministry" shared by hundreds of names).
const LARGEST_GROUP: usize = 64;

/// Pairs of entities that may be one actor, best first, with a score of at least
/// `min_score`. Candidates come from an index of names within two spelling edits or
/// sharing a word (across scripts), so the work grows with the pairs found, not with
/// the square of the entities.
pub fn duplicates(store: &Store, min_score: f64) -> Vec<Candidate> {
    let mut index = NameIndex::new();
    for (id, entity) in store.entities() {
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            index.insert(name, id);
        }
    }
    let mut pairs: HashSet<(EntityId, EntityId)> = HashSet::new();
    for group in index.groups().filter(|g| g.len() <= LARGEST_GROUP) {
        for (i, &a) in group.iter().enumerate() {
            for &b in &group[i + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    let profiles = Profiles::of(store, pairs.iter().flat_map(|&(a, b)| [a, b]));
    let mut found: Vec<Candidate> = pairs
        .into_iter()
        .filter_map(|(a, b)| candidate(store, &profiles, a, b))
        .filter(|c| c.score >= min_score)
        .collect();
    found.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
    });
    found
}

/// What the score needs of each entity in a pair: its neighbours and the days its
/// dated relations span.
struct Profiles {
    neighbours: HashMap<EntityId, HashSet<EntityId>>,
    active: HashMap<EntityId, (Day, Day)>,
}

impl Profiles {
    fn of(store: &Store, ids: impl Iterator<Item = EntityId>) -> Profiles {
        let mut profiles = Profiles {
            neighbours: HashMap::new(),
            active: HashMap::new(),
        };
        for id in ids {
            if profiles.neighbours.contains_key(&id) {
                continue;
            }
            let mut neighbours = HashSet::new();
            let mut span: Option<(Day, Day)> = None;
            for r in store.relations_of(id) {
                neighbours.insert(if r.from == id { r.to } else { r.from });
                let w = r.relation.when;
                for day in [w.earliest(), w.latest()] {
                    if !w.is_undated() && day != MIN_DAY && day != MAX_DAY {
                        span = Some(span.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
                    }
                }
            }
            neighbours.remove(&id);
            profiles.neighbours.insert(id, neighbours);
            if let Some(span) = span {
                profiles.active.insert(id, span);
            }
        }
        profiles
    }
}

/// The closest names of two entities: the score and the pair, with how they match.
fn closest_names(store: &Store, a: EntityId, b: EntityId) -> (f64, String, String, &'static str) {
    let names = |id: EntityId| {
        store.entity(id).map_or_else(Vec::new, |e| {
            std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .collect::<Vec<_>>()
        })
    };
    let mut best = (0.0, String::new(), String::new(), "");
    for x in names(a) {
        for y in names(b) {
            let (score, how) = name_pair(&x, &y);
            if score > best.0 {
                best = (score, x.clone(), y.clone(), how);
            }
        }
    }
    best
}

/// Words that number things, folded: names apart by one of them name different things.
const ORDINALS: [&str; 16] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "last", "next", "i", "ii", "iii", "iv",
    "v", "vi", "pervi", "vtoroi",
];

/// How alike two names are, and in which way.
fn name_pair(x: &str, y: &str) -> (f64, &'static str) {
    if name_key(x) == name_key(y) {
        return (1.0, "the same name");
    }
    let (fx, fy) = (fold(x), fold(y));
    if !fx.is_empty() && fx == fy {
        return (
            0.9,
            "the same name in another script, spelling, case or spacing",
        );
    }
    let (wx, wy) = (words(x), words(y));
    // The words the names do not share: "Konstantin Naenko" and "Konstantin Saenko"
    // are as alike as "Naenko" and "Saenko", not as their whole names.
    let odd_x: Vec<&String> = wx.iter().filter(|w| !wy.contains(w)).collect();
    let odd_y: Vec<&String> = wy.iter().filter(|w| !wx.contains(w)).collect();
    // "first round" and "second round", "Summit 2024" and "Summit 2025": one word
    // apart, and that word counts, so they are two things.
    let counted = |w: &&String| {
        w.chars().all(|c| c.is_ascii_digit())
            || ORDINALS.contains(&w.as_str())
            || (w.len() > 2 && w[..w.len() - 2].chars().all(|c| c.is_ascii_digit()))
    };
    if odd_x.iter().chain(&odd_y).any(counted) {
        return (0.4, "apart by a number or an ordinal");
    }
    match (odd_x.is_empty(), odd_y.is_empty()) {
        (true, true) => return (0.9, "the same words in another order"),
        (true, false) | (false, true) if odd_x.len() + odd_y.len() < wx.len().max(wy.len()) => {
            return (0.8, "one name is part of the other");
        }
        _ => {}
    }
    let concat = |ws: &[&String]| ws.iter().map(|w| w.as_str()).collect::<String>();
    let sim = similarity(&concat(&odd_x), &concat(&odd_y)).max(similarity(&fx, &fy) - 0.1);
    let level = if sim >= 0.85 {
        0.75
    } else if sim >= 0.75 {
        0.65
    } else {
        0.6 * sim
    };
    (level, "spelt alike")
}

fn candidate(store: &Store, profiles: &Profiles, a: EntityId, b: EntityId) -> Option<Candidate> {
    let (ea, eb) = (store.entity(a)?, store.entity(b)?);
    let (name_score, x, y, how) = closest_names(store, a, b);
    if name_score < 0.6 {
        return None;
    }
    let mut reasons = vec![format!("names {name_score:.2} ('{x}' ~ '{y}'): {how}")];
    let kind = if ea.kind == eb.kind {
        reasons.push(format!("same kind ({})", ea.kind));
        1.0
    } else if ea.kind == Kind::Other || eb.kind == Kind::Other {
        reasons.push(format!(
            "kinds {} and {} (other fits any)",
            ea.kind, eb.kind
        ));
        0.5
    } else {
        reasons.push(format!("different kinds ({} and {})", ea.kind, eb.kind));
        0.0
    };
    let empty = HashSet::new();
    let na = profiles.neighbours.get(&a).unwrap_or(&empty);
    let nb = profiles.neighbours.get(&b).unwrap_or(&empty);
    let related = na.contains(&b);
    let shared: Vec<EntityId> = na.intersection(nb).copied().collect();
    // One shared neighbour is some evidence, two or more strong evidence.
    let neighbours = (shared.len() as f64 / 2.0).min(1.0);
    if !shared.is_empty() {
        let mut names: Vec<&str> = shared.iter().map(|&e| store.name(e)).collect();
        names.sort_unstable();
        names.truncate(5);
        reasons.push(format!(
            "{} shared neighbour{} ({})",
            shared.len(),
            if shared.len() == 1 { "" } else { "s" },
            names.join(", ")
        ));
    } else {
        reasons.push("no shared neighbours".to_string());
    }
    let dates = match (profiles.active.get(&a), profiles.active.get(&b)) {
        (Some(&(a0, a1)), Some(&(b0, b1))) => {
            // A year's slack: reports of one actor cluster, but not to the day.
            if a0 <= b1 + 366 && b0 <= a1 + 366 {
                reasons.push("active in overlapping years".to_string());
                1.0
            } else {
                reasons.push("active in years apart".to_string());
                0.0
            }
        }
        _ => 0.5,
    };
    let context = 0.35 * kind + 0.5 * neighbours + 0.15 * dates;
    let mut score = name_score * (0.55 + 0.45 * context);
    if related {
        reasons.push("related to each other (less likely one actor)".to_string());
        score -= 0.25;
    }
    Some(Candidate {
        a,
        b,
        score: score.clamp(0.0, 1.0),
        name_score,
        names: (x, y),
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entity;

    fn store(names: &[(&str, Kind)]) -> Store {
        let mut s = Store::new();
        for (name, kind) in names {
            s.add_entity(Entity::new(*name, kind.clone())).unwrap();
        }
        s
    }

    #[test]
    fn search_ranks_exact_prefix_substring_folded_fuzzy() {
        let s = store(&[
            ("Putin", Kind::Person),
            ("Putinism", Kind::Other),
            ("Vladimir Putin", Kind::Person),
            ("Нарышкин", Kind::Person),
            ("Ratcliffe", Kind::Person),
        ]);
        let hits = search(&s, "putin");
        let found: Vec<(&str, Match)> = hits.iter().map(|h| (s.name(h.id), h.how)).collect();
        assert_eq!(
            found,
            vec![
                ("Putin", Match::Exact),
                ("Putinism", Match::Prefix),
                ("Vladimir Putin", Match::Prefix),
            ]
        );
        assert_eq!(search(&s, "Naryshkin")[0].how, Match::Folded);
        assert_eq!(search(&s, "Ratclife")[0].how, Match::Folded);
        assert_eq!(search(&s, "Rakclife")[0].how, Match::Fuzzy);
        assert!(search(&s, "zzz").is_empty());
    }

    #[test]
    fn duplicates_pair_spellings_and_scripts_not_strangers() {
        let s = store(&[
            ("Naryshkin", Kind::Person),
            ("Нарышкин", Kind::Person),
            ("Narishkin S.", Kind::Other),
            ("Ratcliffe", Kind::Person),
            ("Trump", Kind::Person),
        ]);
        let found = duplicates(&s, 0.5);
        let pairs: Vec<(&str, &str)> = found.iter().map(|c| (s.name(c.a), s.name(c.b))).collect();
        assert!(pairs.contains(&("Naryshkin", "Нарышкин")), "{pairs:?}");
        assert!(pairs.contains(&("Naryshkin", "Narishkin S.")), "{pairs:?}");
        assert!(!pairs.iter().any(|p| p.0 == "Trump" || p.1 == "Trump"));
        assert!(
            found[0].reasons[0].contains("another script"),
            "{:?}",
            found[0]
        );
    }
}
