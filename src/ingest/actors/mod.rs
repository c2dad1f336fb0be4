//! The article's actors: names found by longest match against the database's names and
//! aliases, then kg's list of countries and international bodies (with demonyms and
//! capitals standing for governments: "Russian officials", "the Kremlin"), then
//! unknown capitalised names, proposed as new entities with a guessed kind. Within an
//! article a surname or an acronym given in brackets refers back to the full name.
//!
//! Titles are cut off names ("Foreign Minister Sergei Lavrov" is Sergei Lavrov) and
//! kept as role marks for the extraction of roles.

use std::collections::HashMap;

use crate::model::{EntityId, Kind, name_key};
use crate::store::{Lookup, Store};

use super::lexicon::{Lexicon, stem};
use super::tokens::Token;

mod clues;

use clues::{
    audience_at, guess_kind, is_demonym, is_name_start, is_name_word, is_the_of_a_name,
    is_title_modifier,
};

/// The list of countries and international bodies kg knows without a database.
pub const WORLD: &str = include_str!("../world.txt");

/// An actor of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The name candidates use: the database's canonical name, or the fullest name
    /// the article gives.
    pub name: String,
    pub kind: Kind,
    /// The database's entity, if the actor is in it.
    pub id: Option<EntityId>,
    /// Other names the article uses (surnames, acronyms), for a new entity.
    pub aliases: Vec<String>,
    /// Why the kind was guessed, for a new entity.
    pub why: String,
    /// Where the name was found.
    pub origin: Origin,
}

/// What `Cast::step` found at a token.
enum Step {
    /// A name: where it ends, and its actor.
    Mention(usize, usize),
    /// A title: where it ends, and the relation type its bearer gets.
    Role(usize, String),
    /// Nothing to keep, up to here.
    Skip(usize),
}

/// Where an actor's name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Database,
    /// kg's list of countries and international bodies.
    World,
    /// The article's own capitalised words.
    Article,
}

/// A mention of an actor: tokens `start..end` of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub actor: usize,
}

/// A title in a sentence: tokens `start..end`, and the relation type its bearer gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMark {
    pub start: usize,
    pub end: usize,
    pub type_name: String,
}

/// The actors of one article, as they are found sentence by sentence.
pub struct Cast<'a> {
    store: &'a Store,
    world: HashMap<String, (String, Kind)>,
    roles: Vec<(Vec<String>, String)>,
    pub actors: Vec<Actor>,
    /// Every name the articles used for an actor, by name key.
    names: HashMap<String, usize>,
    /// Words the current article writes in lower case (so a capital at the start of a
    /// sentence does not make "Drone" a name).
    lowercase: std::collections::HashSet<String>,
}

const MAX_NAME_WORDS: usize = 7;

/// Why an actor of the world list is one.
const WORLD_WHY: &str = "a country or international body kg knows";

impl<'a> Cast<'a> {
    pub fn new(store: &'a Store, lexicon: &Lexicon) -> Cast<'a> {
        let mut world = HashMap::new();
        for line in WORLD.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, aliases)) = line.split_once(':') else {
                continue;
            };
            let Some((kind, name)) = head.split_once(' ') else {
                continue;
            };
            let kind = if kind == "country" {
                Kind::Country
            } else {
                Kind::Organization
            };
            for alias in std::iter::once(name).chain(aliases.split(',')) {
                world.insert(name_key(alias.trim()), (name.to_string(), kind.clone()));
            }
        }
        Cast {
            store,
            world,
            roles: lexicon.roles.clone(),
            actors: Vec::new(),
            names: HashMap::new(),
            lowercase: Default::default(),
        }
    }

    /// Notes the words an article writes in lower case, before its sentences are read.
    pub fn start_article(&mut self, text: &str) {
        self.lowercase = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_string)
            .collect();
    }

    /// The mentions and role marks of one sentence (`tokens` of `text`).
    pub fn read(&mut self, text: &str, tokens: &[Token]) -> (Vec<Mention>, Vec<RoleMark>) {
        let mut mentions = Vec::new();
        let mut roles = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            i = match self.step(text, tokens, i, &roles) {
                Step::Mention(end, actor) => {
                    mentions.push(Mention {
                        start: i,
                        end,
                        actor,
                    });
                    end
                }
                Step::Role(end, type_name) => {
                    roles.push(RoleMark {
                        start: i,
                        end,
                        type_name,
                    });
                    end
                }
                Step::Skip(end) => end,
            };
        }
        (mentions, roles)
    }

    /// What starts at token `i`: a name, a title, words that name no one, or nothing
    /// (one token skipped).
    fn step(&mut self, text: &str, tokens: &[Token], i: usize, roles: &[RoleMark]) -> Step {
        // A title wins over a name no longer than it ("Foreign Minister", not an
        // entity called "Foreign").
        let role = self.role_at(tokens, i);
        let known = self.known_at(text, tokens, i);
        if let Some((end, actor)) = known
            && role.as_ref().is_none_or(|(role_end, _)| end > *role_end)
        {
            // One known word that begins a longer name ("Israel Katz", "Santiago
            // Pena", "Xi Jinping" after a headline's "Xi") is that name's, unless it is a
            // demonym ("Russian Foreign Ministry" is Russia's ministry).
            let written = &text[tokens[i].start..tokens[end - 1].end];
            let demonym = is_demonym(written) && self.world.contains_key(&name_key(written));
            let longer = end == i + 1
                && !demonym
                && tokens.get(end).is_some_and(is_name_word)
                && self.known_at(text, tokens, end).is_none()
                && self.role_at(tokens, end).is_none();
            if !longer {
                return Step::Mention(end, actor);
            }
            let end = self.name_end(text, tokens, i + 1).max(end + 1);
            return Step::Mention(end, self.unknown(text, tokens, i, end, roles));
        }
        if let Some((end, type_name)) = role {
            return Step::Role(end, type_name);
        }
        if let Some(end) = audience_at(tokens, i) {
            let name = text[tokens[i].start..tokens[end - 1].end].to_lowercase();
            return Step::Mention(end, self.media(name, "words for news media"));
        }
        // A demonym known_at left out ("my American counterpart", "her South
        // Korean counterpart").
        if let Some(end) = (i + 1..=(i + 3).min(tokens.len())).rev().find(|&end| {
            let written = &text[tokens[i].start..tokens[end - 1].end];
            is_demonym(written) && self.world.contains_key(&name_key(written))
        }) {
            return Step::Skip(end);
        }
        if !(is_name_start(tokens, i) || is_the_of_a_name(tokens, i)) {
            return Step::Skip(i + 1);
        }
        let end = self.name_end(text, tokens, i);
        // A capital at the start of a sentence makes no name of a word the article
        // also writes in lower case ("Drone strikes hit ...").
        let sentence_start =
            i == 0 || matches!(tokens[i - 1].word.as_str(), "\"" | "\u{201c}" | "'" | "(");
        if sentence_start && end == i + 1 && self.lowercase.contains(&tokens[i].word) {
            return Step::Skip(end);
        }
        // Words of titles alone ("Foreign ministers") name no one.
        if tokens[i..end].iter().all(|t| is_title_modifier(&t.word)) {
            return Step::Skip(end);
        }
        Step::Mention(end, self.unknown(text, tokens, i, end, roles))
    }

    /// Where the run of capitalised words starting at token `i` ends: names with
    /// hyphens and particles ("Jean-Yves Le Drian", "Ursula von der Leyen") whole.
    fn name_end(&mut self, text: &str, tokens: &[Token], i: usize) -> usize {
        let mut end = i + 1;
        loop {
            if end >= tokens.len() || end - i >= MAX_NAME_WORDS {
                break;
            }
            // A name the article made up from a surname joins ("Sergei" +
            // "Lavrov" after a headline named Lavrov); names the database or
            // the world list know end the run.
            let stops = self
                .known_at(text, tokens, end)
                .is_some_and(|(_, a)| self.actors[a].origin != Origin::Article)
                || self.role_at(tokens, end).is_some();
            if stops {
                break;
            }
            let t = &tokens[end];
            let joined = tokens[end - 1].end == t.start;
            if is_name_word(t) || (joined && t.capital) {
                end += 1;
            } else if t.word == "-"
                && joined
                && tokens
                    .get(end + 1)
                    .is_some_and(|n| n.start == t.end && n.word.chars().all(char::is_alphabetic))
            {
                // "Jean-Yves", "Smith-Jones", "al-Kaabi".
                end += 2;
            } else if matches!(
                t.word.as_str(),
                "of" | "for"
                    | "de"
                    | "al"
                    | "von"
                    | "van"
                    | "der"
                    | "den"
                    | "da"
                    | "di"
                    | "du"
                    | "del"
                    | "la"
                    | "le"
                    | "bin"
                    | "ibn"
            ) && tokens.get(end + 1).is_some_and(|n| {
                is_name_word(n) || n.word == "-" || matches!(n.word.as_str(), "der" | "den" | "la")
            }) {
                end += 1;
            } else {
                break;
            }
        }
        // "Jr." ends a name without being one.
        if end < tokens.len() && matches!(tokens[end].word.as_str(), "jr" | "sr") {
            end += 1;
        }
        end
    }

    /// The longest name known (database, then the world list, then the article's own
    /// names) starting at token `i`. A demonym stands for its country ("Russian
    /// officials"), except before words for people it does not act through ("my
    /// American counterpart"); with a word for news media it names the media ("Russian
    /// state media").
    fn known_at(&mut self, text: &str, tokens: &[Token], i: usize) -> Option<(usize, usize)> {
        let (end, actor) = self.name_at(text, tokens, i)?;
        let written = &text[tokens[i].start..tokens[end - 1].end];
        if !is_demonym(written) || !self.world.contains_key(&name_key(written)) {
            return Some((end, actor));
        }
        let next = |k: usize| tokens.get(end + k).map_or("", |t| t.word.as_str());
        if matches!(
            next(0),
            "counterpart"
                | "counterparts"
                | "colleague"
                | "colleagues"
                | "friend"
                | "friends"
                | "partner"
                | "partners"
                | "citizen"
                | "citizens"
                | "people"
                | "man"
                | "woman"
                | "men"
                | "women"
                | "journalist"
                | "journalists"
                | "national"
                | "nationals"
                | "student"
                | "students"
                | "tourist"
                | "tourists"
                | "language"
                | "word"
        ) {
            return None;
        }
        let media = [
            &["state", "media"][..],
            &["state", "television"],
            &["state", "tv"],
            &["state", "news", "agency"],
            &["state", "-", "run", "media"],
            &["state", "-", "run", "television"],
            &["media"],
            &["press"],
            &["news", "agency"],
            &["news", "agencies"],
        ];
        let Some(phrase) = media
            .iter()
            .find(|p| p.iter().enumerate().all(|(k, w)| next(k) == *w))
        else {
            return Some((end, actor));
        };
        let last = end + phrase.len() - 1;
        let name = text[tokens[i].start..tokens[last].end].to_string();
        let actor = self.media(name, "a demonym with a word for news media");
        Some((last + 1, actor))
    }

    fn name_at(&mut self, text: &str, tokens: &[Token], i: usize) -> Option<(usize, usize)> {
        let first = &tokens[i];
        if !(first.capital || first.word.starts_with(|c: char| c.is_ascii_digit())) {
            return None;
        }
        let longest = (i + 1..=(i + MAX_NAME_WORDS).min(tokens.len())).rev();
        for end in longest {
            let last = &tokens[end - 1];
            if !last.word.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let slice = &text[first.start..last.end];
            // A short name matches only as written: "US" is the United States, "Us"
            // starts a sentence; "Kim" is Sarah Kim when the database writes it so.
            let short = slice.chars().filter(|c| c.is_alphanumeric()).count() <= 3;
            let key = name_key(slice);
            if let Some(&actor) = self.names.get(&key) {
                return Some((end, actor));
            }
            if let Lookup::Found(id) = self.store.lookup(slice)
                && (!short
                    || self
                        .store
                        .entity(id)
                        .is_some_and(|e| e.name == slice || e.aliases.iter().any(|a| a == slice)))
            {
                let name = self.store.name(id).to_string();
                let kind = self.store.kind_of(id).cloned().unwrap_or(Kind::Other);
                let actor = self.actor(name, kind, Some(id), "in the database");
                self.names.insert(key, actor);
                return Some((end, actor));
            }
            let capitals = slice
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_uppercase());
            if let Some((name, kind)) = self.world.get(&key).cloned().filter(|_| !short || capitals)
            {
                let actor = match self.store.lookup(&name) {
                    Lookup::Found(id) => {
                        let name = self.store.name(id).to_string();
                        let kind = self.store.kind_of(id).cloned().unwrap_or(kind);
                        self.actor(name, kind, Some(id), "in the database")
                    }
                    _ => self.actor(name, kind, None, WORLD_WHY),
                };
                self.names.insert(key.clone(), actor);
                // An acronym the article writes ("ECOWAS", "IGAD") is kept as an alias.
                let letters = slice.chars().filter(|c| c.is_alphabetic()).count();
                if self.actors[actor].origin == Origin::World
                    && capitals
                    && letters >= 2
                    && name_key(&self.actors[actor].name) != key
                {
                    self.alias(actor, slice);
                }
                return Some((end, actor));
            }
        }
        None
    }

    /// A title at token `i` (one or two words, as the lexicon's roles list them, with
    /// the words that qualify them: "Foreign Minister", "Secretary of State").
    fn role_at(&self, tokens: &[Token], i: usize) -> Option<(usize, String)> {
        let mut start = i;
        while start < tokens.len() && start < i + 2 && is_title_modifier(&tokens[start].word) {
            start += 1;
        }
        let (mut end, type_name) = self
            .bare_role_at(tokens, start)
            .or_else(|| (start > i).then(|| self.bare_role_at(tokens, i)).flatten())?;
        while tokens.get(end).is_some_and(|t| t.word == "of")
            && tokens
                .get(end + 1)
                .is_some_and(|t| is_title_modifier(&t.word))
        {
            end += 2;
            while tokens.get(end).is_some_and(|t| is_title_modifier(&t.word)) {
                end += 1;
            }
        }
        Some((end, type_name))
    }

    fn bare_role_at(&self, tokens: &[Token], i: usize) -> Option<(usize, String)> {
        let one = stem(&tokens.get(i)?.word);
        // "Secretary-General" is the title "secretary general".
        let hyphen = tokens.get(i + 1).is_some_and(|t| t.word == "-");
        let second = i + 1 + usize::from(hyphen);
        let two = tokens.get(second).map(|t| stem(&t.word));
        let mut best: Option<(usize, String)> = None;
        for (stems, type_name) in &self.roles {
            let fits = match stems.as_slice() {
                [a] => *a == one,
                [a, b] => *a == one && two.as_deref() == Some(b.as_str()),
                _ => false,
            };
            let end = match stems.len() {
                1 => i + 1,
                _ => second + 1,
            };
            if fits && best.as_ref().is_none_or(|(e, _)| end > *e) {
                best = Some((end, type_name.clone()));
            }
        }
        // Plural titles ("Presidents Trump and Putin") mark no role.
        best.filter(|_| !tokens[i].word.ends_with('s') || tokens[i].word.ends_with("ss"))
    }

    /// The actor named by the unknown capitalised words `start..end`: one the article
    /// named before (a surname, an acronym), or a new one.
    fn unknown(
        &mut self,
        text: &str,
        tokens: &[Token],
        start: usize,
        end: usize,
        roles: &[RoleMark],
    ) -> usize {
        let name = text[tokens[start].start..tokens[end - 1].end].to_string();
        let key = name_key(&name);
        if let Some(&actor) = self.names.get(&key) {
            return actor;
        }
        // A surname alone refers to the person named in full before.
        if end - start == 1
            && let Some(actor) = self.actors.iter().position(|a| {
                a.kind == Kind::Person && a.id.is_none() && name_key(family_name(&a.name)) == key
            })
        {
            self.alias(actor, &name);
            return actor;
        }
        let after_title = roles
            .last()
            .is_some_and(|r| r.end == start || (r.end + 1 == start && tokens[r.end].word == ","));
        let (kind, why) = guess_kind(text, tokens, start, end, after_title);
        let surname =
            (kind == Kind::Person && end - start >= 2).then(|| family_name(&name).to_string());
        // The full name of someone met by surname before ("Kim met Rubio. John Kim
        // phoned Trump."): that actor, now under the full name.
        if let Some(surname) = &surname
            && let Some(&earlier) = self.names.get(&name_key(surname))
            && self.actors[earlier].origin == Origin::Article
            && name_key(&self.actors[earlier].name) == name_key(surname)
        {
            let a = &mut self.actors[earlier];
            a.name = name.clone();
            a.kind = Kind::Person;
            a.why = why;
            a.aliases.retain(|x| name_key(x) != key);
            if !a.aliases.iter().any(|x| x == surname) {
                a.aliases.push(surname.clone());
            }
            self.names.insert(key, earlier);
            return earlier;
        }
        let actor = self.actor(name, kind, None, &why);
        self.names.insert(key, actor);
        // A person is named by surname later on, and by analysts; a name of three
        // words perhaps by its last two ("Ruben Ramirez Lezcano", "Ramirez Lezcano").
        if let Some(surname) = surname {
            self.alias(actor, &surname);
            let words: Vec<&str> = self.actors[actor].name.split(' ').collect();
            if let [_, second, last] = words[..]
                && second.starts_with(char::is_uppercase)
                && *last == surname
            {
                let pair = format!("{second} {last}");
                self.alias(actor, &pair);
            }
        }
        // "Central Intelligence Agency (CIA)": the bracketed acronym is an alias.
        if tokens.get(end).is_some_and(|t| t.word == "(")
            && tokens.get(end + 2).is_some_and(|t| t.word == ")")
            && tokens[end + 1].word.len() <= 6
            && text[tokens[end + 1].start..tokens[end + 1].end]
                .chars()
                .all(|c| c.is_uppercase() || c == '.')
        {
            let acronym = text[tokens[end + 1].start..tokens[end + 1].end].to_string();
            self.alias(actor, &acronym);
        }
        actor
    }

    /// The news media named `name`, met before or new.
    fn media(&mut self, name: String, why: &str) -> usize {
        let key = name_key(&name);
        if let Some(&a) = self.names.get(&key) {
            return a;
        }
        let a = self.actor(name, Kind::Media, None, why);
        self.names.insert(key, a);
        a
    }

    fn alias(&mut self, actor: usize, name: &str) {
        self.names.insert(name_key(name), actor);
        let a = &mut self.actors[actor];
        if a.name != name && !a.aliases.iter().any(|x| x == name) {
            a.aliases.push(name.to_string());
        }
    }

    fn actor(&mut self, name: String, kind: Kind, id: Option<EntityId>, why: &str) -> usize {
        let origin = match (id, why) {
            (Some(_), _) => Origin::Database,
            (None, WORLD_WHY) => Origin::World,
            _ => Origin::Article,
        };
        if let Some(i) = self
            .actors
            .iter()
            .position(|a| a.name == name && (a.id == id || id.is_none()))
        {
            return i;
        }
        self.actors.push(Actor {
            name,
            kind,
            id,
            aliases: Vec::new(),
            why: why.to_string(),
            origin,
        });
        self.actors.len() - 1
    }
}

/// The family name of a person's full name: the last word, or the first for the
/// Chinese, Korean and Vietnamese names news writes family name first ("Xi Jinping",
/// "Kim Jong Un", "Nguyen Phu Trong").
fn family_name(name: &str) -> &str {
    const FIRST: [&str; 65] = [
        "Xi", "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
        "Sun", "Ma", "Zhu", "Hu", "Guo", "Lin", "Gao", "Luo", "Zheng", "Liang", "Song", "Tang",
        "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai",
        "Jiang", "Du", "Ye", "Cheng", "Wei", "Su", "Ding", "Shen", "Yao", "Qin", "Zhong", "Kim",
        "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Moon", "Ri", "Pak", "Nguyen", "Tran",
        "Pham", "Hoang", "Phan", "Vo", "Bui", "Hun",
    ];
    let words: Vec<&str> = name.split(' ').collect();
    match words.as_slice() {
        [first, _] | [first, _, _] if FIRST.contains(first) => first,
        // A Korean given name is hyphenated: "Lee Jae-myung", "Yoon Suk-yeol".
        [first, given] if given.contains('-') && first.len() <= 4 && !first.contains('-') => first,
        _ => words.last().copied().unwrap_or(name),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokens;
    use super::*;

    fn names(store: &Store, sentences: &[&str]) -> Vec<Vec<(String, Kind)>> {
        let lexicon = Lexicon::default_lexicon();
        let mut cast = Cast::new(store, &lexicon);
        sentences
            .iter()
            .map(|s| {
                let t = tokens(s);
                let (mentions, _) = cast.read(s, &t);
                mentions
                    .iter()
                    .map(|m| {
                        (
                            cast.actors[m.actor].name.clone(),
                            cast.actors[m.actor].kind.clone(),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn names_resolve_through_the_database_then_the_world_then_the_article() {
        let store = crate::bundled_graph().unwrap();
        let found = names(
            &store,
            &[
                "The Director of Russia’s Foreign Intelligence Service (SVR), Sergey Naryshkin, told Russian state media that he spoke with Central Intelligence Agency (CIA) Director John Ratcliffe.",
            ],
        );
        let want = [
            ("Russia", Kind::Country),
            ("SVR", Kind::Organization),
            ("SVR", Kind::Organization),
            ("Naryshkin", Kind::Person),
            ("Russian state media", Kind::Media),
            ("CIA", Kind::Organization),
            ("CIA", Kind::Organization),
            ("Ratcliffe", Kind::Person),
        ];
        assert_eq!(found[0], want.map(|(n, k)| (n.to_string(), k)));
    }

    #[test]
    fn family_names_come_last_or_first_as_the_name_is_written() {
        assert_eq!(family_name("Sergei Lavrov"), "Lavrov");
        assert_eq!(family_name("Xi Jinping"), "Xi");
        assert_eq!(family_name("Kim Jong Un"), "Kim");
        assert_eq!(family_name("Lee Jae-myung"), "Lee");
        assert_eq!(family_name("Jean-Yves Drian"), "Drian");
        assert_eq!(family_name("Putin"), "Putin");
    }

    #[test]
    fn without_a_database_new_names_are_proposed_and_surnames_refer_back() {
        let store = Store::new();
        let found = names(
            &store,
            &[
                "Foreign Minister Sergei Lavrov met U.S. envoy Steve Witkoff in Moscow.",
                "Lavrov told Politico about the Central Intelligence Agency (CIA).",
                "The CIA said nothing.",
            ],
        );
        let n = |list: &[(String, Kind)]| list.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            n(&found[0]),
            ["Sergei Lavrov", "United States", "Steve Witkoff", "Russia"]
        );
        assert_eq!(found[0][0].1, Kind::Person);
        assert_eq!(
            n(&found[1]),
            [
                "Sergei Lavrov",
                "Politico",
                "Central Intelligence Agency",
                "Central Intelligence Agency"
            ]
        );
        assert_eq!(found[1][1].1, Kind::Media);
        assert_eq!(n(&found[2]), ["Central Intelligence Agency"]);
    }
}
