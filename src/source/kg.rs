//! The `.kg` graph source format: human-written, line-oriented, diffable.
//!
//! ```text
//! # a comment
//! type phoned directed cameo=041 "Discuss by telephone"
//! type met symmetric cameo=044
//! kind vessel shape=box colour="#cfe2f3"
//! person Naryshkin aka "Sergey Naryshkin", Нарышкин title="Director of the SVR"
//! org SVR aka "Foreign Intelligence Service"
//! Naryshkin -[heads]-> SVR
//! Naryshkin -[phoned]-> Ratcliffe @ ..2025-06-29 status=claimed claimed_by=Naryshkin source="…" quote="…"
//! "United States" -[met]- Russia @ 2025-02-18
//! ```
//!
//! One statement per line: a type or kind declaration, an entity (kind, name, aliases after
//! `aka`, properties) or a relation (`FROM -[TYPE]-> TO`, `FROM <-[TYPE]- TO`, or
//! `FROM -[TYPE]- TO` for symmetric types; then `@ WHEN` and `key=value` pairs, where
//! `status`, `grade`, `source`, `quote` and `claimed_by` are provenance and other keys
//! properties). Names and values are bare words or double-quoted strings with `\"`,
//! `\\`, `\n`, `\r` and `\t` escapes. Errors say `file:line:column: what was expected`.
//! [`write()`] prints a store back in this format; parsing its output gives the same graph.

use std::io::{self, Write};
use std::sync::Arc;

use super::batch::{
    Batch, EntityDecl, KindDeclAt, Location, NameRef, RelationDecl, SourceError, TypeDecl,
    sorted_properties,
};
use crate::model::{Entity, Kind, KindDecl, MAX_TEXT_BYTES, RelationType, Status, TimeSpan};
use crate::store::Store;
use crate::subgraph::Subgraph;

/// The longest line a source may have (a few maximal quoted values fit).
pub const MAX_LINE_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Eq,
    Comma,
    At,
    /// `-[` (false) or `<-[` (true: the relation points back at the first name).
    Open(bool),
    /// `]->` (true) or `]-` (false).
    Close(bool),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("'{w}'"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Eq => "'='".into(),
            Tok::Comma => "','".into(),
            Tok::At => "'@'".into(),
            Tok::Open(false) => "'-['".into(),
            Tok::Open(true) => "'<-['".into(),
            Tok::Close(true) => "']->'".into(),
            Tok::Close(false) => "']-'".into(),
        }
    }
}

/// Characters that end a bare word.
fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '=' | ',' | '#' | '@' | '[' | ']' | '<' | '>')
}

struct Line<'a> {
    file: &'a Arc<str>,
    number: usize,
    /// Tokens with their 1-based character columns.
    tokens: Vec<(usize, Tok)>,
    /// Column just past the last character (for "expected ... at end of line").
    end: usize,
    pos: usize,
}

fn lex<'a>(file: &'a Arc<str>, number: usize, text: &str) -> Result<Line<'a>, SourceError> {
    let chars: Vec<char> = text.chars().collect();
    let at = |column: usize| Location {
        file: file.clone(),
        line: number,
        column,
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let rest = &chars[i..];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            break;
        } else if c == '"' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(SourceError::new(
                            at(column),
                            "unterminated string: expected a closing '\"'",
                        ));
                    }
                    Some('"') => break,
                    Some('\\') => {
                        let escaped = match chars.get(i + 1) {
                            Some('"') => '"',
                            Some('\\') => '\\',
                            Some('n') => '\n',
                            Some('r') => '\r',
                            Some('t') => '\t',
                            _ => {
                                return Err(SourceError::new(
                                    at(i + 1),
                                    "bad escape: expected \\\" \\\\ \\n \\r or \\t",
                                ));
                            }
                        };
                        value.push(escaped);
                        i += 2;
                    }
                    Some(&ch) => {
                        value.push(ch);
                        i += 1;
                    }
                }
            }
            if value.len() > MAX_TEXT_BYTES {
                return Err(SourceError::new(
                    at(column),
                    format!(
                        "string of {} bytes: the limit is {MAX_TEXT_BYTES}",
                        value.len()
                    ),
                ));
            }
            tokens.push((column, Tok::Str(value)));
            i += 1;
        } else if rest.starts_with(&['<', '-', '[']) {
            tokens.push((column, Tok::Open(true)));
            i += 3;
        } else if rest.starts_with(&['-', '[']) {
            tokens.push((column, Tok::Open(false)));
            i += 2;
        } else if rest.starts_with(&[']', '-', '>']) {
            tokens.push((column, Tok::Close(true)));
            i += 3;
        } else if rest.starts_with(&[']', '-']) {
            tokens.push((column, Tok::Close(false)));
            i += 2;
        } else if c == '=' {
            tokens.push((column, Tok::Eq));
            i += 1;
        } else if c == ',' {
            tokens.push((column, Tok::Comma));
            i += 1;
        } else if c == '@' {
            tokens.push((column, Tok::At));
            i += 1;
        } else if is_special(c) {
            return Err(SourceError::new(
                at(column),
                format!("unexpected '{c}': quote names and values that contain it"),
            ));
        } else {
            let start = i;
            while i < chars.len()
                && !is_special(chars[i])
                && !(chars[i] == '-' && chars.get(i + 1) == Some(&'['))
            {
                i += 1;
            }
            tokens.push((column, Tok::Word(chars[start..i].iter().collect())));
        }
    }
    Ok(Line {
        file,
        number,
        tokens,
        end: chars.len() + 1,
        pos: 0,
    })
}

impl Line<'_> {
    fn at(&self, column: usize) -> Location {
        Location {
            file: self.file.clone(),
            line: self.number,
            column,
        }
    }

    /// The location of the next token (or the end of the line).
    fn here(&self) -> Location {
        self.at(self.tokens.get(self.pos).map_or(self.end, |t| t.0))
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.1)
    }

    fn next(&mut self) -> Option<(usize, Tok)> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn error(&self, expected: &str) -> SourceError {
        let found = match self.peek() {
            Some(t) => format!("found {}", t.describe()),
            None => "found the end of the line".to_string(),
        };
        SourceError::new(self.here(), format!("expected {expected}, {found}"))
    }

    /// A name or value: a bare word or a quoted string.
    fn text(&mut self, expected: &str) -> Result<(Location, String), SourceError> {
        match self.peek() {
            Some(Tok::Word(_) | Tok::Str(_)) => {
                let here = self.here();
                match self.next() {
                    Some((_, Tok::Word(w) | Tok::Str(w))) => Ok((here, w)),
                    _ => Err(self.error(expected)),
                }
            }
            _ => Err(self.error(expected)),
        }
    }

    fn word(&mut self, expected: &str) -> Result<(Location, String), SourceError> {
        match self.peek() {
            Some(Tok::Word(_)) => self.text(expected),
            _ => Err(self.error(expected)),
        }
    }

    fn expect_token(&mut self, tok: Tok, expected: &str) -> Result<(), SourceError> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// `key=value` pairs up to the end of the line.
    fn pairs(&mut self) -> Result<Vec<(Location, String, String)>, SourceError> {
        let mut pairs = Vec::new();
        while self.peek().is_some() {
            let (at, key) = self.text("a key=value pair")?;
            self.expect_token(Tok::Eq, &format!("'=' after '{key}'"))?;
            let (_, value) = self.text(&format!("a value for '{key}'"))?;
            pairs.push((at, key, value));
        }
        Ok(pairs)
    }
}

/// Parses a `.kg` source; `file` names it in errors.
pub fn parse(file: &Arc<str>, text: &str) -> Result<Batch, SourceError> {
    let mut batch = Batch::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        if raw.len() > MAX_LINE_BYTES {
            return Err(SourceError::new(
                Location {
                    file: file.clone(),
                    line: index + 1,
                    column: 1,
                },
                format!("line of {} bytes: the limit is {MAX_LINE_BYTES}", raw.len()),
            ));
        }
        let mut line = lex(file, index + 1, raw)?;
        match (
            line.tokens.first().map(|t| &t.1),
            line.tokens.get(1).map(|t| &t.1),
        ) {
            (None, _) => {}
            (Some(Tok::Word(_) | Tok::Str(_)), Some(Tok::Open(_))) => {
                batch.relations.push(relation(&mut line)?);
            }
            (Some(Tok::Word(w)), _) if w == "type" => {
                line.pos = 1;
                batch.types.push(type_decl(&mut line)?);
            }
            (Some(Tok::Word(w)), Some(Tok::Word(_))) if w == "kind" => {
                line.pos = 1;
                batch.kinds.push(kind_decl(&mut line)?);
            }
            (Some(Tok::Word(w)), next)
                if Kind::built_in(w).is_some()
                    || (matches!(next, Some(Tok::Word(_) | Tok::Str(_)))
                        && w.parse::<Kind>().is_ok()) =>
            {
                batch.entities.push(entity(&mut line)?);
            }
            _ => {
                return Err(line.error(
                    "a statement: 'type NAME directed|symmetric', 'kind NAME [shape=S] [colour=C]', an entity 'KIND NAME ...' (person, org, country, place, media, event, other or a declared kind) or a relation 'FROM -[TYPE]-> TO'",
                ));
            }
        }
    }
    Ok(batch)
}

fn type_decl(line: &mut Line) -> Result<TypeDecl, SourceError> {
    let at = line.at(1);
    let (_, name) = line.text("a relation type name")?;
    let symmetric = match line.peek() {
        Some(Tok::Word(w)) if w == "directed" => false,
        Some(Tok::Word(w)) if w == "symmetric" => true,
        _ => return Err(line.error("'directed' or 'symmetric'")),
    };
    line.pos += 1;
    let mut rtype = RelationType {
        name,
        symmetric,
        cameo: None,
        description: None,
    };
    while line.peek().is_some() {
        if let Some(Tok::Str(_)) = line.peek()
            && line.tokens.get(line.pos + 1).map(|t| &t.1) != Some(&Tok::Eq)
        {
            let (_, description) = line.text("a description")?;
            set_once(&mut rtype.description, description, line, "description")?;
            continue;
        }
        let (key_at, key) = line.word("cameo=CODE, description=\"...\" or a quoted description")?;
        line.expect_token(Tok::Eq, &format!("'=' after '{key}'"))?;
        let (_, value) = line.text(&format!("a value for '{key}'"))?;
        match key.as_str() {
            "cameo" => set_once(&mut rtype.cameo, value, line, "cameo")?,
            "description" => set_once(&mut rtype.description, value, line, "description")?,
            _ => {
                return Err(SourceError::new(
                    key_at,
                    format!("unknown type attribute '{key}': expected cameo or description"),
                ));
            }
        }
    }
    Ok(TypeDecl { at, rtype })
}

fn kind_decl(line: &mut Line) -> Result<KindDeclAt, SourceError> {
    let at = line.at(1);
    let (name_at, name) = line.word("a kind name")?;
    match name.parse::<Kind>() {
        Ok(Kind::Custom(_)) => {}
        Ok(_) => {
            return Err(SourceError::new(
                name_at,
                format!("'{name}' is a built-in kind: only kinds of the graph's own are declared"),
            ));
        }
        Err(e) => return Err(SourceError::new(name_at, e)),
    }
    let mut decl = KindDecl {
        name: name.to_lowercase(),
        shape: None,
        colour: None,
    };
    while line.peek().is_some() {
        let (key_at, key) = line.word("shape=SHAPE or colour=COLOUR")?;
        line.expect_token(Tok::Eq, &format!("'=' after '{key}'"))?;
        if line.peek().is_none() && matches!(key.as_str(), "colour" | "color") {
            // `colour=#cfe2f3`: the # began a comment.
            return Err(line.error(
                "a colour; quote one that starts with # (colour=\"#cfe2f3\"), since # begins a comment",
            ));
        }
        let (_, value) = line.text(&format!("a value for '{key}'"))?;
        match key.as_str() {
            "shape" => set_once(&mut decl.shape, value, line, "shape")?,
            "colour" | "color" => set_once(&mut decl.colour, value, line, "colour")?,
            _ => {
                return Err(SourceError::new(
                    key_at,
                    format!("unknown kind attribute '{key}': expected shape or colour"),
                ));
            }
        }
    }
    Ok(KindDeclAt { at, decl })
}

fn set_once(
    slot: &mut Option<String>,
    value: String,
    line: &Line,
    what: &str,
) -> Result<(), SourceError> {
    if slot.is_some() {
        return Err(SourceError::new(
            line.at(line
                .tokens
                .get(line.pos.saturating_sub(1))
                .map_or(0, |t| t.0)),
            format!("{what} is given twice"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

fn entity(line: &mut Line) -> Result<EntityDecl, SourceError> {
    let at = line.at(1);
    let (_, kind) = line.word("an entity kind")?;
    let kind: Kind = kind
        .parse()
        .map_err(|e: String| SourceError::new(at.clone(), e))?;
    let (_, name) = line.text("the entity's name")?;
    let mut entity = Entity::new(name, kind);
    if matches!(line.peek(), Some(Tok::Word(w)) if w == "aka") {
        line.pos += 1;
        loop {
            let (alias_at, alias) = line.text("an alias")?;
            if !entity.add_alias(alias.clone()) {
                return Err(SourceError::new(
                    alias_at,
                    format!("alias '{alias}' repeats the name or another alias"),
                ));
            }
            if line.peek() != Some(&Tok::Comma) {
                break;
            }
            line.pos += 1;
        }
    }
    let pairs_at = line.here();
    let pairs = line.pairs()?;
    entity.properties = sorted_properties(pairs.into_iter().map(|(_, k, v)| (k, v)).collect())
        .map_err(|e| SourceError::new(pairs_at, e))?;
    Ok(EntityDecl {
        at,
        creates_kind: false,
        id: None,
        entity,
    })
}

fn relation(line: &mut Line) -> Result<RelationDecl, SourceError> {
    let at = line.at(1);
    let (first_at, first) = line.text("a name")?;
    let backward = matches!(line.next(), Some((_, Tok::Open(true))));
    let (type_at, type_name) = line.text("a relation type")?;
    let arrow_at = line.here();
    let (pointed, undirected) = match (line.next().map(|t| t.1), backward) {
        (Some(Tok::Close(true)), false) => (true, false),
        (Some(Tok::Close(false)), false) => (false, true),
        (Some(Tok::Close(false)), true) => (true, false),
        (Some(Tok::Close(true)), true) => {
            return Err(SourceError::new(
                arrow_at,
                "an arrow cannot point both ways: write '<-[T]-' or '-[T]->'",
            ));
        }
        _ => {
            line.pos -= 1;
            return Err(line.error("']->' or ']-' to close the relation type"));
        }
    };
    debug_assert!(pointed || undirected);
    let (second_at, second) = line.text("the name the relation leads to")?;
    let (from, to) = {
        let a = NameRef {
            name: first,
            column: first_at.column as u32,
        };
        let b = NameRef {
            name: second,
            column: second_at.column as u32,
        };
        if backward { (b, a) } else { (a, b) }
    };
    let mut when = TimeSpan::UNDATED;
    if line.peek() == Some(&Tok::At) {
        line.pos += 1;
        let (date_at, date) =
            line.word("a date after '@' (2025-02-12, 2025-03, 2025, A..B, ..B or A..)")?;
        when = TimeSpan::parse(&date).map_err(|e| SourceError::new(date_at, e.to_string()))?;
    }
    let mut decl = RelationDecl {
        at,
        from,
        rtype: NameRef {
            name: type_name,
            column: type_at.column as u32,
        },
        to,
        when,
        status: Status::default(),
        grade: None,
        source: None,
        quote: None,
        claimed_by: None,
        properties: Vec::new(),
        undirected,
        pointed,
        creates_missing: false,
        id: None,
    };
    let mut seen: Vec<String> = Vec::new();
    let mut properties = Vec::new();
    for (key_at, key, value) in line.pairs()? {
        if seen.contains(&key) {
            return Err(SourceError::new(key_at, format!("'{key}' is given twice")));
        }
        seen.push(key.clone());
        let bad = |e: String| SourceError::new(key_at.clone(), e);
        match key.as_str() {
            "status" => decl.status = value.parse().map_err(bad)?,
            "grade" => decl.grade = Some(value.parse().map_err(bad)?),
            "source" => decl.source = Some(value.into_boxed_str()),
            "quote" => decl.quote = Some(value.into_boxed_str()),
            "claimed_by" => {
                decl.claimed_by = Some(Box::new(NameRef {
                    name: value,
                    column: key_at.column as u32,
                }))
            }
            _ => properties.push((key, value)),
        }
    }
    decl.properties = properties;
    decl.properties.sort();
    Ok(decl)
}

// ----- writing -----

/// Whether `text` can be written as a bare word and read back unchanged.
fn is_bare(text: &str) -> bool {
    !text.is_empty()
        && !text.chars().any(|c| is_special(c) || c.is_control())
        && !text.contains("-[")
        && !matches!(text, "aka" | "type" | "kind")
        && Kind::built_in(text).is_none()
        && !text.ends_with('-')
}

/// A name or value as the format writes it: bare when that reads back the same,
/// quoted and escaped otherwise.
pub fn quote(text: &str) -> String {
    if is_bare(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the whole store as a `.kg` source: types, then entities, then relations, each
/// in id order.
pub fn write(store: &Store, out: &mut impl Write) -> io::Result<()> {
    write_part(store, &Subgraph::whole(store), out)
}

/// Writes part of the store as a `.kg` source: every type, then the part's entities
/// and relations.
pub fn write_part(store: &Store, part: &Subgraph, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "# kg graph source: {} {}, {} {}",
        part.entities.len(),
        if part.entities.len() == 1 {
            "entity"
        } else {
            "entities"
        },
        part.relations.len(),
        if part.relations.len() == 1 {
            "relation"
        } else {
            "relations"
        }
    )?;
    for k in store.kinds() {
        write!(out, "kind {}", quote(&k.name))?;
        if let Some(shape) = &k.shape {
            write!(out, " shape={}", quote(shape))?;
        }
        if let Some(colour) = &k.colour {
            write!(out, " colour={}", quote(colour))?;
        }
        writeln!(out)?;
    }
    for t in store.types() {
        write!(
            out,
            "type {} {}",
            quote(&t.name),
            if t.symmetric { "symmetric" } else { "directed" }
        )?;
        if let Some(cameo) = &t.cameo {
            write!(out, " cameo={}", quote(cameo))?;
        }
        if let Some(description) = &t.description {
            write!(out, " description={}", quote(description))?;
        }
        writeln!(out)?;
    }
    for e in part.entities.iter().filter_map(|&id| store.entity(id)) {
        let kind = match &e.kind {
            Kind::Organization => "org",
            k => k.as_str(),
        };
        write!(out, "{kind} {}", quote(&e.name))?;
        for (i, alias) in e.aliases.iter().enumerate() {
            write!(
                out,
                "{}{}",
                if i == 0 { " aka " } else { ", " },
                quote(alias)
            )?;
        }
        for (k, v) in &e.properties {
            write!(out, " {}={}", quote(k), quote(v))?;
        }
        writeln!(out)?;
    }
    for r in part.relations.iter().filter_map(|&id| store.relation(id)) {
        let rel = r.relation;
        let rtype = store.relation_type(rel.rtype);
        let close = if rtype.symmetric { "]-" } else { "]->" };
        write!(
            out,
            "{} -[{}{close} {}",
            quote(store.name(r.from)),
            quote(&rtype.name),
            quote(store.name(r.to))
        )?;
        if !rel.when.is_undated() {
            write!(out, " @ {}", rel.when)?;
        }
        if rel.status != Status::default() {
            write!(out, " status={}", rel.status)?;
        }
        if let Some(grade) = rel.grade {
            write!(out, " grade={grade}")?;
        }
        if let Some(claimant) = rel.claimed_by {
            write!(out, " claimed_by={}", quote(store.name(claimant)))?;
        }
        if let Some(source) = rel.source {
            write!(out, " source={}", quote(store.text(source)))?;
        }
        if let Some(q) = rel.quote {
            write!(out, " quote={}", quote(store.text(q)))?;
        }
        for (k, v) in rel.properties.iter() {
            write!(out, " {}={}", quote(store.text(*k)), quote(store.text(*v)))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Batch, SourceError> {
        parse(&Arc::from("t.kg"), text)
    }

    #[test]
    fn parses_each_statement() {
        let batch = parse_str(
            "# header\n\
             type phoned directed cameo=041 \"Discuss by telephone\"\n\
             person Naryshkin aka \"Sergey Naryshkin\", Нарышкин title=\"Director\" # trailing\n\
             Naryshkin -[phoned]-> Ratcliffe @ ..2025-06-29 status=claimed claimed_by=Naryshkin quote=\"a # b\" topic=x\n\
             \"United States\" -[met]- Russia @ 2025-02-18\n\
             Putin <-[phoned]- Trump\n",
        )
        .unwrap();
        assert_eq!(batch.types[0].rtype.cameo.as_deref(), Some("041"));
        assert_eq!(
            batch.types[0].rtype.description.as_deref(),
            Some("Discuss by telephone")
        );
        let e = &batch.entities[0].entity;
        assert_eq!(e.aliases, ["Sergey Naryshkin", "Нарышкин"]);
        assert_eq!(e.property("title"), Some("Director"));
        let r = batch.relations.get(0).unwrap();
        assert_eq!(
            (r.from.name.as_str(), r.to.name.as_str()),
            ("Naryshkin", "Ratcliffe")
        );
        assert_eq!(r.when.to_string(), "..2025-06-29");
        assert_eq!(r.status, Status::Claimed);
        assert_eq!(r.quote.as_deref(), Some("a # b"));
        assert_eq!(r.properties, [("topic".to_string(), "x".to_string())]);
        assert!(batch.relations.get(1).unwrap().undirected);
        assert_eq!(batch.relations.get(2).unwrap().from.name, "Trump");
    }

    #[test]
    fn errors_name_line_column_and_what_was_expected() {
        let cases = [
            (
                "type met sideways",
                "t.kg:1:10: expected 'directed' or 'symmetric', found 'sideways'",
            ),
            (
                "person",
                "t.kg:1:7: expected the entity's name, found the end of the line",
            ),
            (
                "\nA -[met]-> B @ 2025-13-45",
                "t.kg:2:16: bad date '2025-13-45': month must be 01 to 12",
            ),
            (
                "A -[met]-> B status=maybe",
                "t.kg:1:14: unknown status 'maybe': expected confirmed, reported, claimed, unconfirmed or denied",
            ),
            (
                "A -[met> B",
                "t.kg:1:8: unexpected '>': quote names and values that contain it",
            ),
            (
                "A -[met]-> \"B",
                "t.kg:1:12: unterminated string: expected a closing '\"'",
            ),
            (
                "hello",
                "t.kg:1:1: expected a statement: 'type NAME directed|symmetric', 'kind NAME [shape=S] [colour=C]', an entity 'KIND NAME ...' (person, org, country, place, media, event, other or a declared kind) or a relation 'FROM -[TYPE]-> TO', found 'hello'",
            ),
            ("A -[met]-> B x=1 x=2", "t.kg:1:18: 'x' is given twice"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_str(text).unwrap_err().to_string(), expected, "{text}");
        }
    }

    #[test]
    fn quoting_reads_back() {
        for text in [
            "plain",
            "two words",
            "a\"b",
            "back\\slash",
            "new\nline",
            "person",
            "-[x",
            "x-",
            "Нарышкин",
            "a=b",
            "#tag",
            "",
        ] {
            let line = format!("person {} aka x", quote(text));
            if text.is_empty() {
                continue;
            }
            let batch = parse_str(&line).unwrap();
            assert_eq!(batch.entities[0].entity.name, text, "{line}");
        }
    }
}
