//! An article as `kg ingest` reads it: plain UTF-8 text, an optional header of
//! `# published: YYYY-MM-DD` and `# source: TEXT` lines, a headline (the first line),
//! and paragraphs; and the checks that refuse what is not an article.

use chrono::NaiveDate;

/// The longest line an article may have: a longer one is a data file, not prose.
pub const MAX_LINE: usize = 1 << 20;

/// An article read.
#[derive(Debug, Clone)]
pub struct Article {
    /// The whole text, header lines included (offsets point into it).
    pub text: String,
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
    /// The paragraphs' byte ranges in `text`: lines of prose, the headline first.
    pub paragraphs: Vec<(usize, usize)>,
}

/// Why a file is not an article; `line` is 1-based, 0 for the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnArticle {
    pub line: usize,
    pub reason: String,
}

impl Article {
    /// Reads an article from a file's bytes.
    pub fn read(bytes: &[u8]) -> Result<Article, NotAnArticle> {
        let whole = |reason: &str| NotAnArticle {
            line: 0,
            reason: reason.to_string(),
        };
        let utf16 = bytes.starts_with(&[0xff, 0xfe])
            || bytes.starts_with(&[0xfe, 0xff])
            || (bytes.len() >= 4
                && (bytes[1] == 0 && bytes[3] == 0 || bytes[0] == 0 && bytes[2] == 0));
        if utf16 && bytes.len().is_multiple_of(2) {
            return Err(whole(
                "UTF-16 text, not UTF-8: convert it first, e.g. iconv -f utf-16 -t utf-8",
            ));
        }
        if bytes.contains(&0) {
            return Err(whole("a binary file, not text"));
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.valid_up_to();
                let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(NotAnArticle {
                    line,
                    reason: format!(
                        "not UTF-8 text (byte {at} is not valid UTF-8): convert it first, e.g. iconv -f windows-1252 -t utf-8"
                    ),
                });
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(whole("empty: an article needs text"));
        }
        let mut published = None;
        let mut source = None;
        let mut paragraphs = Vec::new();
        let mut offset = 0;
        let mut in_header = true;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += line.len();
            if line.len() > MAX_LINE {
                return Err(NotAnArticle {
                    line: n + 1,
                    reason: format!(
                        "a line of {} bytes: an article's paragraphs are shorter than {} bytes",
                        line.len(),
                        MAX_LINE
                    ),
                });
            }
            let content = line.trim_end_matches(['\n', '\r']);
            if in_header && let Some(rest) = content.strip_prefix('#') {
                let (key, value) = rest.split_once(':').unwrap_or((rest, ""));
                let value = value.trim();
                match key.trim().to_ascii_lowercase().as_str() {
                    "published" | "date" => {
                        published = Some(parse_date(value).ok_or_else(|| NotAnArticle {
                            line: n + 1,
                            reason: format!("the published date {value:?} is not YYYY-MM-DD"),
                        })?);
                    }
                    "source" => source = Some(value.to_string()).filter(|s| !s.is_empty()),
                    _ => {}
                }
                continue;
            }
            if content.trim().is_empty() {
                continue;
            }
            in_header = false;
            let mut lead = content.len() - content.trim_start().len();
            if !paragraphs.is_empty() {
                // A dateline ("MOSCOW (Reuters) —") says where the story was filed.
                let rest = &content[lead..];
                lead += dateline(rest)
                    .map_or(0, |n| n + rest[n..].len() - rest[n..].trim_start().len());
            }
            paragraphs.push((start + lead, start + content.trim_end().len()));
        }
        if paragraphs.is_empty() {
            return Err(whole("empty: only header lines, no text"));
        }
        Ok(Article {
            text: text.to_string(),
            published,
            source,
            paragraphs,
        })
    }

    /// The headline: the first paragraph.
    pub fn headline(&self) -> &str {
        self.paragraphs
            .first()
            .map_or("", |&(s, e)| &self.text[s..e])
    }
}

/// The length of the dateline a paragraph begins with, dash included: a place in
/// capitals ("ADDIS ABABA", "WASHINGTON, D.C."), perhaps a short date and an agency in
/// brackets ("MOSCOW, March 3 (Reuters)"), then a dash.
fn dateline(paragraph: &str) -> Option<usize> {
    let (dash_at, dash) = ["\u{2014}", "\u{2013}", " -- ", " - "]
        .iter()
        .filter_map(|d| paragraph.find(d).map(|i| (i, d.len())))
        .min()?;
    let before = paragraph[..dash_at].trim_end();
    if before.len() > 60 {
        return None;
    }
    let without_agency = match (before.find('('), before.ends_with(')')) {
        (Some(open), true) => before[..open].trim_end(),
        _ => before,
    };
    let (place, rest) = without_agency
        .split_once(',')
        .map_or((without_agency, ""), |(p, r)| (p, r));
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = place
        .chars()
        .all(|c| c.is_uppercase() || c.is_whitespace() || ".'-\u{2019}".contains(c));
    // After the place's comma: a state or a date ("D.C.", "March 3"), a few words.
    let short = rest.split_whitespace().count() <= 3;
    (letters >= 3 && capitals && short).then_some(dash_at + dash)
}

/// A date written YYYY-MM-DD, with four digits for the year.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .filter(|d| chrono::Datelike::year(d) >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_gives_date_and_source_and_paragraphs_follow() {
        let a = Article::read(
            "# published: 2025-06-29\n# source: Kyiv Independent\nHeadline here\n\n  First para.\r\nSecond.\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2025, 6, 29));
        assert_eq!(a.source.as_deref(), Some("Kyiv Independent"));
        let paras: Vec<&str> = a.paragraphs.iter().map(|&(s, e)| &a.text[s..e]).collect();
        assert_eq!(paras, ["Headline here", "First para.", "Second."]);
        assert_eq!(a.headline(), "Headline here");
    }

    #[test]
    fn a_dateline_is_not_part_of_the_paragraph() {
        for (line, first) in [
            ("ADDIS ABABA \u{2014} The summit opened.", "The summit"),
            ("MOSCOW, March 3 (Reuters) - Putin met Trump.", "Putin met"),
            ("WASHINGTON (AP) \u{2014} Rubio spoke.", "Rubio spoke"),
            ("WASHINGTON, D.C. -- Rubio spoke.", "Rubio spoke"),
            ("NATO said on Monday - in a statement - that", "NATO said"),
            (
                "The talks \u{2014} the first in years \u{2014} ended.",
                "The talks",
            ),
        ] {
            let article = Article::read(format!("Headline\n\n{line}\n").as_bytes()).unwrap();
            let (start, end) = article.paragraphs[1];
            assert!(article.text[start..end].starts_with(first), "{line}");
        }
    }

    #[test]
    fn utf16_is_named_with_the_way_to_convert_it() {
        let text: Vec<u8> = "\u{feff}Headline\n\nPoland met Latvia.\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let refused = Article::read(&text).unwrap_err();
        assert!(
            refused.reason.starts_with("UTF-16 text"),
            "{}",
            refused.reason
        );
    }

    #[test]
    fn what_is_not_an_article_is_refused_with_a_reason() {
        assert!(
            Article::read(b"\x00\x01ELF")
                .unwrap_err()
                .reason
                .contains("binary")
        );
        let latin1 = Article::read(b"line one\ncaf\xe9\n").unwrap_err();
        assert_eq!(latin1.line, 2);
        assert!(latin1.reason.contains("not UTF-8"));
        assert!(
            Article::read(b"  \n\n")
                .unwrap_err()
                .reason
                .starts_with("empty")
        );
        let long = "x".repeat(MAX_LINE + 1);
        assert_eq!(Article::read(long.as_bytes()).unwrap_err().line, 1);
        assert!(
            Article::read(b"# published: June\nText")
                .unwrap_err()
                .reason
                .contains("YYYY-MM-DD")
        );
    }
}
