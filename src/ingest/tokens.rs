//! Cutting text into tokens that keep their byte offsets, and tokens into sentences:
//! the periods of abbreviations ("U.S.", "Feb.", "Mr.", "a.m.") stay inside their
//! tokens, so a sentence ends at a period, question or exclamation mark that is a token
//! of its own and is followed by what can start a sentence.

/// One token of a text: a run of letters and digits (with the periods of abbreviations
/// such as "a.m." and "Feb." and inner apostrophes), or one other visible character.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The token lowercased, without a trailing abbreviation period.
    pub word: String,
    /// Byte offsets of the token in the text.
    pub start: usize,
    pub end: usize,
    /// The token starts with a capital letter.
    pub capital: bool,
}

/// Cuts `text` into tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let end = start + c.len_utf8();
            out.push(Token {
                word: match c {
                    '\u{2019}' | '\u{2018}' => "'".to_string(),
                    '\u{2013}' | '\u{2014}' => "-".to_string(),
                    _ => c.to_string(),
                },
                start,
                end,
                capital: false,
            });
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let next_alnum = chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
            let inner =
                (c == '\'' || c == '\u{2019}') && next_alnum && chars[j - 1].1.is_alphabetic();
            // "a.m.", "U.S." keep their inner periods; "3.5" its decimal point.
            let dotted = c == '.' && next_alnum && {
                let prev = chars[j - 1].1;
                let next = chars[j + 1].1;
                (prev.is_alphabetic() && next.is_alphabetic() && short_run(&chars, j))
                    || (prev.is_ascii_digit() && next.is_ascii_digit())
            };
            if c.is_alphanumeric() || inner || dotted {
                j += 1;
            } else {
                break;
            }
        }
        let mut end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        let mut word = text[start..end].to_lowercase().replace('\u{2019}', "'");
        // The period of "Feb." or "a.m." belongs to the word when it abbreviates.
        if chars.get(j).is_some_and(|&(_, c)| c == '.') && takes_period(&word) {
            end += 1;
            j += 1;
        }
        word = word.trim_end_matches('.').to_string();
        // A possessive "'s" is a token of its own ("Friday's", "this year's").
        if let Some(stem) = word.strip_suffix("'s").filter(|s| !s.is_empty()) {
            let cut = start
                + text[start..end]
                    .rfind(['\'', '\u{2019}'])
                    .unwrap_or(end - start);
            out.push(Token {
                capital: c.is_uppercase(),
                word: stem.to_string(),
                start,
                end: cut,
            });
            out.push(Token {
                word: "'s".to_string(),
                start: cut,
                end,
                capital: false,
            });
            i = j;
            continue;
        }
        out.push(Token {
            capital: c.is_uppercase(),
            word,
            start,
            end,
        });
        i = j;
    }
    out
}

/// Whether the letters before the period at `j` form a short run (as in "a.m." or
/// "U.S."), not the end of a word followed by a new sentence without a space.
fn short_run(chars: &[(usize, char)], j: usize) -> bool {
    let mut k = j;
    let mut letters = 0;
    while k > 0 && chars[k - 1].1.is_alphabetic() {
        k -= 1;
        letters += 1;
    }
    letters <= 2
}

/// Whether a word written with a period after it is an abbreviation that keeps it.
fn takes_period(word: &str) -> bool {
    matches!(
        word,
        "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    ) || matches!(
        word,
        "a.m"
            | "p.m"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
            | "st"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "gen"
            | "gov"
            | "sen"
            | "rep"
            | "u.s"
            | "u.k"
            | "u.n"
            | "no"
            | "vs"
            | "jr"
            | "sr"
            | "oct"
            | "nov"
            | "dec"
            | "sept"
            | "sep"
            | "ft"
            | "mt"
            | "col"
            | "lt"
            | "sgt"
            | "capt"
    )
}

/// Abbreviations that also end sentences ("talks with the U.S. The envoy"): after one,
/// a capitalised word that often starts a sentence starts a new one.
fn ends_sentence_too(word: &str) -> bool {
    matches!(
        word,
        "u.s" | "u.k" | "u.n" | "a.m" | "p.m" | "d.c" | "inc" | "corp" | "ltd"
    )
}

fn starts_sentences(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "but"
            | "in"
            | "on"
            | "a"
            | "an"
            | "this"
            | "that"
            | "its"
            | "his"
            | "her"
            | "their"
            | "there"
            | "after"
            | "as"
            | "when"
            | "while"
            | "meanwhile"
            | "however"
    )
}

/// The sentences of a run of tokens (a paragraph), as ranges of token indices.
pub fn sentences(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let word = tokens[i].word.as_str();
        let stop = matches!(word, "." | "?" | "!" | "…");
        let abbreviation_end = ends_sentence_too(word)
            && tokens[i].end - tokens[i].start > word.len()
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.capital && starts_sentences(&n.word));
        if stop || abbreviation_end {
            let mut end = i + 1;
            // Closing quotes and brackets stay with the sentence they close.
            while tokens
                .get(end)
                .is_some_and(|t| matches!(t.word.as_str(), "\"" | "'" | "\u{201d}" | ")" | "]"))
            {
                end += 1;
            }
            let next = tokens.get(end);
            let starts = next.is_none_or(|n| {
                n.capital
                    || n.word.starts_with(|c: char| c.is_ascii_digit())
                    || matches!(n.word.as_str(), "\"" | "\u{201c}" | "'" | "(")
            });
            if starts {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.word).collect()
    }

    fn split(text: &str) -> Vec<&str> {
        let t = tokens(text);
        sentences(&t)
            .into_iter()
            .map(|r| &text[t[r.start].start..t[r.end - 1].end])
            .collect()
    }

    #[test]
    fn abbreviations_keep_their_periods_and_sentences_end() {
        assert_eq!(
            words("On Feb. 12, at 3 p.m. sharp"),
            ["on", "feb", "12", ",", "at", "3", "p.m", "sharp"]
        );
        assert_eq!(words("the U.S. said"), ["the", "u.s", "said"]);
        assert_eq!(words("It ended.Then"), ["it", "ended", ".", "then"]);
        assert_eq!(words("June 24-25"), ["june", "24", "-", "25"]);
        assert_eq!(words("Russia’s 3.5%"), ["russia", "'s", "3.5", "%"]);
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Feb. 12 — Moscow’s";
        for t in tokens(text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        assert_eq!(&text[tokens(text)[0].start..tokens(text)[0].end], "Feb.");
    }

    #[test]
    fn sentences_end_at_stops_not_at_abbreviations() {
        assert_eq!(
            split(
                "During a phone call on Feb. 12, Presidents Trump and Putin agreed to reset U.S.-Russia ties. That call was followed by talks."
            ),
            [
                "During a phone call on Feb. 12, Presidents Trump and Putin agreed to reset U.S.-Russia ties.",
                "That call was followed by talks."
            ]
        );
        assert_eq!(
            split("\"I had a phone call,\" Naryshkin said. He did not specify when."),
            [
                "\"I had a phone call,\" Naryshkin said.",
                "He did not specify when."
            ]
        );
        assert_eq!(
            split("Mr. Smith met Gen. Jones. Then he left."),
            ["Mr. Smith met Gen. Jones.", "Then he left."]
        );
        assert_eq!(
            split("He flew to the U.S. The talks began."),
            ["He flew to the U.S.", "The talks began."]
        );
        assert_eq!(
            split("Prices rose 3.5 percent. \u{201c}Good,\u{201d} he said."),
            ["Prices rose 3.5 percent.", "\u{201c}Good,\u{201d} he said."]
        );
    }
}
