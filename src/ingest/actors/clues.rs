//! The clues that tell what a capitalised word is: words of titles, words that start
//! sentences, demonyms, words for news media an actor speaks to, and the words that
//! make a name an organisation's, a medium's, a person's or a place's.

use crate::model::Kind;

use super::super::tokens::Token;

/// Whether a name from the world list is a demonym ("Russian", "Chinese", "Saudi").
pub(super) fn is_demonym(written: &str) -> bool {
    let w = written.to_lowercase();
    !written
        .chars()
        .all(|c| !c.is_alphabetic() || c.is_uppercase())
        && ["an", "ese", "ish", "i", "ch", "ss", "ek", "ino", "kh"]
            .iter()
            .any(|end| w.ends_with(end))
        && !w.ends_with("stan")
        && !matches!(
            w.as_str(),
            "jordan"
                | "bhutan"
                | "yerevan"
                | "abidjan"
                | "amsterdam"
                | "iran"
                | "oman"
                | "japan"
                | "taiwan"
                | "sudan"
                | "azerbaijan"
                | "afghanistan"
                | "pakistan"
                | "kazakhstan"
                | "vatican"
                | "tehran"
                | "amman"
                | "helsinki"
                | "tbilisi"
                | "riyadh"
                | "minsk"
                | "berlin"
                | "beijing"
                | "bucharest"
                | "budapest"
                | "copenhagen"
                | "kremlin"
        )
}

/// Words that qualify a title ("Foreign Minister", "Secretary of State", "deputy
/// director").
pub(super) fn is_title_modifier(word: &str) -> bool {
    matches!(
        word,
        "foreign"
            | "prime"
            | "deputy"
            | "vice"
            | "defense"
            | "defence"
            | "interior"
            | "finance"
            | "state"
            | "security"
            | "national"
            | "top"
            | "senior"
            | "former"
            | "acting"
            | "trade"
            | "justice"
            | "energy"
            | "health"
            | "economy"
            | "economic"
            | "attorney"
            | "intelligence"
            | "spy"
            | "military"
            | "affairs"
            | "homeland"
            | "treasury"
            | "commerce"
            | "war"
            | "army"
            | "general"
            | "executive"
            | "chief"
            | "assistant"
    )
}

/// Capitalised words that start sentences or stand for people without naming them.
pub(super) fn is_common_word(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "you"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "this"
            | "that"
            | "these"
            | "those"
            | "on"
            | "in"
            | "at"
            | "by"
            | "for"
            | "with"
            | "from"
            | "to"
            | "of"
            | "and"
            | "but"
            | "or"
            | "as"
            | "after"
            | "before"
            | "during"
            | "despite"
            | "while"
            | "when"
            | "where"
            | "if"
            | "both"
            | "two"
            | "three"
            | "one"
            | "mr"
            | "ms"
            | "mrs"
            | "dr"
            | "there"
            | "what"
            | "who"
            | "why"
            | "how"
            | "not"
            | "no"
            | "yes"
            | "all"
            | "some"
            | "many"
            | "last"
            | "next"
            | "earlier"
            | "later"
            | "today"
            | "yesterday"
            | "tomorrow"
            | "meanwhile"
            | "however"
            | "also"
            | "still"
            | "such"
            | "other"
            | "more"
            | "most"
            | "presidents"
            | "officials"
            | "amid"
            | "under"
            | "over"
            | "about"
            | "so"
            | "then"
            | "now"
            | "here"
            | "said"
            | "says"
            | "according"
            | "is"
            | "was"
    ) || super::super::timex::is_calendar_word(word)
}

pub(super) fn is_name_word(t: &Token) -> bool {
    t.capital && !is_common_word(&t.word) && t.word.chars().any(char::is_alphabetic)
}

/// Words for the news media an actor speaks to ("told reporters", "told state
/// television"): where they end, if they are at token `i`.
pub(super) fn audience_at(tokens: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| tokens.get(i + k).map_or("", |t| t.word.as_str());
    let told = i > 0
        && matches!(
            tokens[i - 1].word.as_str(),
            "told" | "tell" | "tells" | "telling" | "to"
        );
    if !told {
        return None;
    }
    match (w(0), w(1)) {
        ("reporters" | "journalists", _) => Some(i + 1),
        ("state", "television" | "media" | "tv" | "radio") => Some(i + 2),
        ("the", "press" | "media") => Some(i + 2),
        _ => None,
    }
}

/// "The" inside a sentence before a capitalised word ("in The Hague").
pub(super) fn is_the_of_a_name(tokens: &[Token], i: usize) -> bool {
    i > 0
        && tokens[i].capital
        && tokens[i].word == "the"
        && tokens.get(i + 1).is_some_and(is_name_word)
}

pub(super) fn is_name_start(tokens: &[Token], i: usize) -> bool {
    is_name_word(&tokens[i])
}

/// Words that make a name an organisation's or a medium's.
pub(super) const ORGANISATION_WORDS: &[&str] = &[
    "agency",
    "service",
    "ministry",
    "council",
    "committee",
    "bank",
    "party",
    "organization",
    "organisation",
    "union",
    "department",
    "office",
    "court",
    "army",
    "forces",
    "parliament",
    "assembly",
    "commission",
    "institute",
    "university",
    "company",
    "inc",
    "corp",
    "group",
    "fund",
    "association",
    "bureau",
    "administration",
    "government",
    "navy",
    "police",
    "guard",
    "federation",
    "alliance",
    "front",
    "movement",
    "command",
    "directorate",
    "authority",
    "senate",
    "congress",
    "duma",
    "cabinet",
    "kremlin",
    "foundation",
    "watch",
    "international",
    "corporation",
    "holdings",
    "industries",
    "airlines",
    "airways",
    "shipping",
    "ltd",
    "plc",
    "llc",
    "asa",
    "gmbh",
    "society",
    "league",
    "coalition",
    "centre",
    "center",
    "network",
    "brigade",
    "battalion",
    "regiment",
];

pub(super) const MEDIA_WORDS: &[&str] = &[
    "times",
    "post",
    "news",
    "journal",
    "herald",
    "telegraph",
    "guardian",
    "gazette",
    "daily",
    "tribune",
    "politico",
    "reuters",
    "tass",
    "ria",
    "interfax",
    "bloomberg",
    "axios",
    "cnn",
    "bbc",
    "ap",
    "afp",
    "independent",
    "economist",
    "monitor",
    "press",
    "radio",
    "tv",
    "television",
    "media",
    "novosti",
    "kommersant",
    "izvestia",
    "vedomosti",
];

/// A guess at the kind of an unknown name, and why.
pub(super) fn guess_kind(
    text: &str,
    tokens: &[Token],
    start: usize,
    end: usize,
    after_title: bool,
) -> (Kind, String) {
    let words: Vec<&str> = tokens[start..end]
        .iter()
        .map(|t| t.word.as_str())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    // "Jean-Yves Le Drian", "Ursula von der Leyen": the parts of one name.
    // The parts of a name: "Jean-Yves" is one, as is "al-Kaabi"; "Le" is none.
    let name_words = (start..end)
        .filter(|&k| {
            let t = &tokens[k];
            let joined_part = k >= start + 2 && tokens[k - 1].word == "-" && tokens[k - 2].capital;
            t.capital && !matches!(t.word.as_str(), "le" | "la" | "de") && !joined_part
        })
        .count();
    if words.iter().any(|w| MEDIA_WORDS.contains(w)) {
        return (Kind::Media, "a name of news media".to_string());
    }
    if words.iter().any(|w| ORGANISATION_WORDS.contains(w)) {
        return (
            Kind::Organization,
            "a word that names organisations".to_string(),
        );
    }
    if after_title {
        return (Kind::Person, "named after a title".to_string());
    }
    let before = start.checked_sub(1).map(|k| tokens[k].word.as_str());
    if matches!(
        before,
        Some("mr" | "ms" | "mrs" | "dr" | "gen" | "sen" | "rep" | "gov")
    ) {
        return (Kind::Person, "named after an honorific".to_string());
    }
    let written = &text[tokens[start].start..tokens[end - 1].end];
    if end - start == 1
        && (2..=6).contains(&written.chars().filter(|c| c.is_alphabetic()).count())
        && written
            .chars()
            .all(|c| !c.is_alphabetic() || c.is_uppercase())
    {
        return (Kind::Organization, "an acronym".to_string());
    }
    let according = before == Some("to") && start >= 2 && tokens[start - 2].word == "according";
    if matches!(before, Some("in" | "at" | "near" | "to" | "from"))
        && words.len() <= 2
        && !according
    {
        return (
            Kind::Place,
            "named after a preposition of place".to_string(),
        );
    }
    let next = tokens.get(end).map(|t| t.word.as_str());
    let parts = name_words.max(1);
    if (2..=4).contains(&parts) || matches!(next, Some("said" | "says" | "told")) || according {
        return (
            Kind::Person,
            "a name of two to four words, or a speaker".to_string(),
        );
    }
    (Kind::Other, "a capitalised name".to_string())
}
