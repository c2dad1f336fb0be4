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

const SYMBOLS: [&str; 26] = [
    "->", "<-", "<>", "<=", ">=", "..", "!=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|",
    "*", "+", "-", "/", "%", "^", "=", "<", ">",
];

/// Splits a query into tokens, ending with [`Tok::End`].
pub fn tokens(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut cursor = Cursor {
        chars: &chars,
        i: 0,
        line: 1,
        column: 1,
    };
    let mut out = Vec::new();
    while cursor.i < chars.len() {
        let (pos, start) = (cursor.pos(), cursor.i);
        let error = |message: String| QueryError::at(pos, message);
        if cursor.skip_blank().map_err(error)? {
            continue;
        }
        let (tok, used) = token_at(&chars[start..]).map_err(error)?;
        if tok == Tok::Int(i64::MIN)
            && !matches!(
                out.last(),
                Some(Token {
                    tok: Tok::Sym("-"),
                    ..
                })
            )
        {
            let written: String = chars[start..start + used].iter().collect();
            return Err(error(format!("the number {written} is too large")));
        }
        cursor.advance(used);
        out.push(Token {
            tok,
            pos,
            start,
            end: cursor.i,
        });
    }
    out.push(Token {
        tok: Tok::End,
        pos: cursor.pos(),
        start: cursor.i,
        end: cursor.i,
    });
    Ok(out)
}

/// Where the lexer is: a character index, and its line and column.
struct Cursor<'a> {
    chars: &'a [char],
    i: usize,
    line: usize,
    column: usize,
}

impl Cursor<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    /// Advances over `n` characters, keeping line and column.
    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            if self.at(0) == Some('\n') {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
            self.i += 1;
        }
    }

    /// Skips whitespace or a comment (`// ...`, `/* ... */`); whether there was one.
    fn skip_blank(&mut self) -> Result<bool, String> {
        match (self.at(0), self.at(1)) {
            (Some(c), _) if c.is_whitespace() => self.advance(1),
            (Some('/'), Some('/')) => {
                while self.at(0).is_some_and(|c| c != '\n') {
                    self.advance(1);
                }
            }
            (Some('/'), Some('*')) => {
                self.advance(2);
                while self.at(0).is_some() && !(self.at(0) == Some('*') && self.at(1) == Some('/'))
                {
                    self.advance(1);
                }
                if self.at(0).is_none() {
                    return Err("a comment that is never closed: expected '*/'".into());
                }
                self.advance(2);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The token at the start of `chars`, and how many characters it takes.
fn token_at(chars: &[char]) -> Result<(Tok, usize), String> {
    let c = chars[0];
    // The end of the name or parameter that starts at `from`.
    let word_end = |from: usize| {
        chars[from..]
            .iter()
            .position(|&d| !(d.is_alphanumeric() || d == '_'))
            .map_or(chars.len(), |p| from + p)
    };
    if c == '=' && chars.get(1) == Some(&'~') {
        return Err("regular expressions (=~) are not supported".into());
    }
    if c == '\'' || c == '"' {
        let (s, used) = string(chars)?;
        return Ok((Tok::Str(s), used));
    }
    if c == '`' {
        let end = chars[1..]
            .iter()
            .position(|&d| d == '`')
            .ok_or("a name in backticks that is never closed")?;
        let name: String = chars[1..1 + end].iter().collect();
        return Ok((Tok::Ident { name, quoted: true }, end + 2));
    }
    if c.is_ascii_digit() || (c == '.' && chars.get(1).is_some_and(char::is_ascii_digit)) {
        return number(chars);
    }
    if c == '$' {
        let end = word_end(1);
        if end == 1 {
            return Err("expected a parameter name after '$'".into());
        }
        return Ok((Tok::Param(chars[1..end].iter().collect()), end));
    }
    if c.is_alphabetic() || c == '_' {
        let end = word_end(0);
        let name = chars[..end].iter().collect();
        return Ok((
            Tok::Ident {
                name,
                quoted: false,
            },
            end,
        ));
    }
    let starts = |s: &&&str| {
        s.chars()
            .enumerate()
            .all(|(k, sc)| chars.get(k) == Some(&sc))
    };
    if let Some(sym) = SYMBOLS.iter().find(starts) {
        let used = sym.chars().count();
        let sym = if *sym == "!=" { "<>" } else { sym };
        return Ok((Tok::Sym(sym), used));
    }
    if c == ';' {
        return Ok((Tok::Sym(";"), 1));
    }
    Err(format!("unexpected character '{}'", c.escape_default()))
}

/// The number at the start of `chars` (an integer, or a float with a fraction or an
/// exponent: `1.5`, `1e3`, `2.5E-2`), and how many characters it takes.
fn number(chars: &[char]) -> Result<(Tok, usize), String> {
    let digits_from = |mut end: usize| {
        while chars.get(end).is_some_and(char::is_ascii_digit) {
            end += 1;
        }
        end
    };
    // Hexadecimal (0x1F) and octal (0o17) integers.
    if chars[0] == '0' && matches!(chars.get(1), Some('x' | 'X' | 'o' | 'O')) {
        let radix = if matches!(chars[1], 'x' | 'X') { 16 } else { 8 };
        let mut end = 2;
        while chars.get(end).is_some_and(|c| c.is_digit(radix)) {
            end += 1;
        }
        if end > 2
            && !chars
                .get(end)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            let digits: String = chars[2..end].iter().collect();
            let value = integer(i128::from_str_radix(&digits, radix).ok()).ok_or_else(|| {
                format!(
                    "the number {} is too large",
                    chars[..end].iter().collect::<String>()
                )
            })?;
            return Ok((Tok::Int(value), end));
        }
        return Err(format!(
            "bad number {}",
            chars[..end.max(2)].iter().collect::<String>()
        ));
    }
    let mut end = digits_from(0);
    let mut float =
        chars.get(end) == Some(&'.') && chars.get(end + 1).is_some_and(char::is_ascii_digit);
    if float {
        end = digits_from(end + 1);
    }
    if matches!(chars.get(end), Some('e' | 'E')) {
        let sign = usize::from(matches!(chars.get(end + 1), Some('+' | '-')));
        if chars.get(end + 1 + sign).is_some_and(char::is_ascii_digit) {
            end = digits_from(end + 1 + sign);
            float = true;
        }
    }
    let digits: String = chars[..end].iter().collect();
    let tok = if float {
        Tok::Float(digits.parse().map_err(|_| format!("bad number {digits}"))?)
    } else {
        Tok::Int(
            integer(digits.parse().ok())
                .ok_or_else(|| format!("the number {digits} is too large"))?,
        )
    };
    Ok((tok, end))
}

/// An integer literal's value: up to `i64::MAX`, and 2^63 as `i64::MIN`, which only a
/// minus sign before it makes a number (`-9223372036854775808`; see `tokens`).
fn integer(value: Option<i128>) -> Option<i64> {
    match value? {
        v if v == -i128::from(i64::MIN) => Some(i64::MIN),
        v => i64::try_from(v).ok(),
    }
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
                        let c = Some(&hex)
                            .filter(|h| h.len() == 4 && h.chars().all(|d| d.is_ascii_hexdigit()))
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
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
