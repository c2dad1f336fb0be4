//! Tokens of the openCypher subset, each with the line and column it starts at.

use super::error::{Pos, QueryError};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name: an identifier or a keyword (keywords are recognised by the parser,
    /// case-insensitively). `quoted` when written in backticks, never a keyword.
    Ident {
        name: String,
        quoted: bool,
    },
    Str(String),
    Int(i64),
    Float(f64),
    Param(String),
    /// Punctuation and operators: `( ) [ ] { } , . : | * + - / % = <> < <= > >= .. ;`
    /// and the arrow heads, `->` and `<-`, kept as one token each.
    Sym(&'static str),
    End,
}

impl Tok {
    /// How the token is named in "expected X, found Y".
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident { name, .. } => format!("'{name}'"),
            Tok::Str(s) => format!("the string '{s}'"),
            Tok::Int(i) => format!("the number {i}"),
            Tok::Float(f) => format!("the number {f}"),
            Tok::Param(p) => format!("the parameter ${p}"),
            Tok::Sym(s) => format!("'{s}'"),
            Tok::End => "the end of the query".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// Where it starts and ends in the query, in characters.
    pub start: usize,
    pub end: usize,
}

const SYMBOLS: [&str; 25] = [
    "->", "<-", "<>", "<=", ">=", "..", "!=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|",
    "*", "+", "-", "/", "%", "=", "<", ">",
];

/// Splits a query into tokens, ending with [`Tok::End`].
pub fn tokens(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut column) = (0usize, 1usize, 1usize);
    // Advances over `n` characters, keeping line and column.
    let advance = |i: &mut usize, line: &mut usize, column: &mut usize, n: usize| {
        for _ in 0..n {
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
                *column = 1;
            } else {
                *column += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let (pos, start) = (Pos { line, column }, i);
        let error = |message: String| QueryError::at(pos, message);
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut column, 1);
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                advance(&mut i, &mut line, &mut column, 1);
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            advance(&mut i, &mut line, &mut column, 2);
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                advance(&mut i, &mut line, &mut column, 1);
            }
            if i >= chars.len() {
                return Err(error(
                    "a comment that is never closed: expected '*/'".into(),
                ));
            }
            advance(&mut i, &mut line, &mut column, 2);
            continue;
        }
        if c == '=' && chars.get(i + 1) == Some(&'~') {
            return Err(error("regular expressions (=~) are not supported".into()));
        }
        let tok = if c == '\'' || c == '"' {
            let (s, used) = string(&chars[i..]).map_err(error)?;
            advance(&mut i, &mut line, &mut column, used);
            Tok::Str(s)
        } else if c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == '`')
                .ok_or_else(|| error("a name in backticks that is never closed".into()))?;
            let name: String = chars[i + 1..i + 1 + end].iter().collect();
            advance(&mut i, &mut line, &mut column, end + 2);
            Tok::Ident { name, quoted: true }
        } else if c.is_ascii_digit() {
            let mut end = i;
            while end < chars.len() && chars[end].is_ascii_digit() {
                end += 1;
            }
            let float = chars.get(end) == Some(&'.')
                && chars.get(end + 1).is_some_and(|d| d.is_ascii_digit());
            if float {
                end += 1;
                while end < chars.len() && chars[end].is_ascii_digit() {
                    end += 1;
                }
            }
            // An exponent: 1e3, 2.5E-2.
            let mut float = float;
            if matches!(chars.get(end), Some('e' | 'E')) {
                let sign = usize::from(matches!(chars.get(end + 1), Some('+' | '-')));
                if chars
                    .get(end + 1 + sign)
                    .is_some_and(|d| d.is_ascii_digit())
                {
                    end += 1 + sign;
                    while end < chars.len() && chars[end].is_ascii_digit() {
                        end += 1;
                    }
                    float = true;
                }
            }
            let digits: String = chars[start..end].iter().collect();
            advance(&mut i, &mut line, &mut column, end - start);
            if float {
                Tok::Float(
                    digits
                        .parse()
                        .map_err(|_| error(format!("bad number {digits}")))?,
                )
            } else {
                Tok::Int(
                    digits
                        .parse()
                        .map_err(|_| error(format!("the number {digits} is too large")))?,
                )
            }
        } else if c == '$' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| !(d.is_alphanumeric() || d == '_'))
                .map_or(chars.len(), |p| i + 1 + p);
            if end == i + 1 {
                return Err(error("expected a parameter name after '$'".into()));
            }
            let name: String = chars[i + 1..end].iter().collect();
            let n = end - i;
            advance(&mut i, &mut line, &mut column, n);
            Tok::Param(name)
        } else if c.is_alphabetic() || c == '_' {
            let end = chars[i..]
                .iter()
                .position(|&d| !(d.is_alphanumeric() || d == '_'))
                .map_or(chars.len(), |p| i + p);
            let name: String = chars[i..end].iter().collect();
            let n = end - i;
            advance(&mut i, &mut line, &mut column, n);
            Tok::Ident {
                name,
                quoted: false,
            }
        } else if let Some(sym) = SYMBOLS.iter().find(|s| {
            s.chars()
                .enumerate()
                .all(|(k, sc)| chars.get(i + k) == Some(&sc))
        }) {
            advance(&mut i, &mut line, &mut column, sym.chars().count());
            Tok::Sym(if *sym == "!=" { "<>" } else { sym })
        } else if c == ';' {
            advance(&mut i, &mut line, &mut column, 1);
            Tok::Sym(";")
        } else {
            return Err(error(format!(
                "unexpected character '{}'",
                c.escape_default()
            )));
        };
        out.push(Token {
            tok,
            pos,
            start,
            end: i,
        });
    }
    out.push(Token {
        tok: Tok::End,
        pos: Pos { line, column },
        start: i,
        end: i,
    });
    Ok(out)
}

/// A quoted string at the start of `chars`: its value and how many characters it used.
fn string(chars: &[char]) -> Result<(String, usize), String> {
    let quote = chars[0];
    let mut out = String::new();
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Ok((out, i + 1)),
            '\\' => {
                let escaped = chars.get(i + 1).ok_or("a string that is never closed")?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    '\\' | '\'' | '"' => out.push(*escaped),
                    'u' => {
                        let hex: String =
                            chars.get(i + 2..i + 6).unwrap_or_default().iter().collect();
                        let c = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or("expected four hex digits after \\u")?;
                        out.push(c);
                        i += 4;
                    }
                    other => return Err(format!("unknown escape '\\{other}' in a string")),
                }
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err(format!("a string that is never closed: expected {quote}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokens(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn arrows_ranges_and_strings() {
        assert_eq!(
            toks("(a)-[:met*1..3]->(b) WHERE a.name = 'O\\'Neil' // c"),
            vec![
                Tok::Sym("("),
                Tok::Ident {
                    name: "a".into(),
                    quoted: false
                },
                Tok::Sym(")"),
                Tok::Sym("-"),
                Tok::Sym("["),
                Tok::Sym(":"),
                Tok::Ident {
                    name: "met".into(),
                    quoted: false
                },
                Tok::Sym("*"),
                Tok::Int(1),
                Tok::Sym(".."),
                Tok::Int(3),
                Tok::Sym("]"),
                Tok::Sym("->"),
                Tok::Sym("("),
                Tok::Ident {
                    name: "b".into(),
                    quoted: false
                },
                Tok::Sym(")"),
                Tok::Ident {
                    name: "WHERE".into(),
                    quoted: false
                },
                Tok::Ident {
                    name: "a".into(),
                    quoted: false
                },
                Tok::Sym("."),
                Tok::Ident {
                    name: "name".into(),
                    quoted: false
                },
                Tok::Sym("="),
                Tok::Str("O'Neil".into()),
                Tok::End,
            ]
        );
    }

    #[test]
    fn positions_count_lines_and_columns() {
        let t = tokens("MATCH (n)\n  RETURN n").unwrap();
        assert_eq!(t[4].pos, Pos { line: 2, column: 3 });
        assert!(tokens("RETURN 'open").is_err());
        assert!(tokens("RETURN #").is_err());
    }
}
