//! Values as the TCK writes them in its tables (`1`, `'a'`, `[1, 2]`, `{k: 1}`,
//! `(:L {k: 1})`, `[:T {k: 1}]`, `<(:A)-[:T]->(:B)>`), kg's query values in the same
//! form, and the comparison the TCK asks for.
//!
//! kg's model shows through: an entity's one kind is its label (none for `other`;
//! labels compare without case, as kg's kinds are case-insensitive), its name is a
//! property `name`, a relation's evidence fields are properties.

use std::collections::BTreeSet;

use kg::Store;
use kg::model::{Kind, Status};
use kg::query::Value;

/// A value in the TCK's terms.
#[derive(Debug, Clone)]
pub enum Tv {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Tv>),
    Map(Vec<(String, Tv)>),
    Node(Vec<String>, Vec<(String, Tv)>),
    Rel(String, Vec<(String, Tv)>),
    /// Nodes, and each step's relationship with whether it points forward.
    Path(Vec<Tv>, Vec<(Tv, bool)>),
}

/// Parses a cell of a TCK table; `None` for what this parser does not read (temporal
/// literals and the like).
pub fn parse(text: &str) -> Option<Tv> {
    let mut p = Parser {
        chars: text.trim().chars().collect(),
        at: 0,
    };
    let v = p.value()?;
    p.skip_space();
    (p.at == p.chars.len()).then_some(v)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self) -> String {
        self.skip_space();
        if self.peek() == Some('`') {
            self.at += 1;
            let start = self.at;
            while self.peek().is_some_and(|c| c != '`') {
                self.at += 1;
            }
            let word: String = self.chars[start..self.at].iter().collect();
            self.at += 1;
            return word;
        }
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn value(&mut self) -> Option<Tv> {
        self.skip_space();
        match self.peek()? {
            '\'' | '"' => self.string().map(Tv::Str),
            '[' if self.chars.get(self.at + 1) == Some(&':') => self.rel(),
            '[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(']') {
                            break;
                        }
                        if !self.eat(',') {
                            return None;
                        }
                    }
                }
                Some(Tv::List(items))
            }
            '{' => self.map().map(Tv::Map),
            '(' => self.node(),
            '<' => self.path(),
            _ => self.scalar(),
        }
    }

    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.at += 1;
        let mut s = String::new();
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                '\\' => {
                    let e = self.peek()?;
                    self.at += 1;
                    s.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                c if c == quote => return Some(s),
                c => s.push(c),
            }
        }
    }

    fn map(&mut self) -> Option<Vec<(String, Tv)>> {
        if !self.eat('{') {
            return None;
        }
        let mut entries = Vec::new();
        if self.eat('}') {
            return Some(entries);
        }
        loop {
            let key = self.word();
            if key.is_empty() || !self.eat(':') {
                return None;
            }
            entries.push((key, self.value()?));
            if self.eat('}') {
                return Some(entries);
            }
            if !self.eat(',') {
                return None;
            }
        }
    }

    fn node(&mut self) -> Option<Tv> {
        if !self.eat('(') {
            return None;
        }
        let mut labels = Vec::new();
        while self.eat(':') {
            labels.push(self.word().to_lowercase());
        }
        self.skip_space();
        let props = if self.peek() == Some('{') {
            self.map()?
        } else {
            Vec::new()
        };
        self.eat(')').then_some(Tv::Node(labels, props))
    }

    fn rel(&mut self) -> Option<Tv> {
        if !self.eat('[') || !self.eat(':') {
            return None;
        }
        let rtype = self.word();
        self.skip_space();
        let props = if self.peek() == Some('{') {
            self.map()?
        } else {
            Vec::new()
        };
        self.eat(']').then_some(Tv::Rel(rtype, props))
    }

    fn path(&mut self) -> Option<Tv> {
        if !self.eat('<') {
            return None;
        }
        let mut nodes = vec![self.node()?];
        let mut rels = Vec::new();
        loop {
            if self.eat('>') {
                return Some(Tv::Path(nodes, rels));
            }
            let backward = self.eat('<');
            if !self.eat('-') {
                return None;
            }
            let rel = self.rel()?;
            if !self.eat('-') {
                return None;
            }
            let forward = self.eat('>');
            if forward == backward {
                return None;
            }
            rels.push((rel, forward));
            nodes.push(self.node()?);
        }
    }

    fn scalar(&mut self) -> Option<Tv> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| !matches!(c, ',' | ']' | '}' | ')') && !c.is_whitespace())
        {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        match text.as_str() {
            "null" => Some(Tv::Null),
            "true" => Some(Tv::Bool(true)),
            "false" => Some(Tv::Bool(false)),
            "NaN" => Some(Tv::Float(f64::NAN)),
            "Inf" | "Infinity" => Some(Tv::Float(f64::INFINITY)),
            "-Inf" | "-Infinity" => Some(Tv::Float(f64::NEG_INFINITY)),
            t => t.parse::<i64>().map(Tv::Int).ok().or_else(|| {
                let float = t.contains(['.', 'e', 'E']);
                float
                    .then(|| t.parse::<f64>().ok().map(Tv::Float))
                    .flatten()
            }),
        }
    }
}

/// A kg query value in the TCK's terms.
pub fn of_kg(store: &Store, value: &Value) -> Tv {
    match value {
        Value::Null => Tv::Null,
        Value::Bool(b) => Tv::Bool(*b),
        Value::Int(i) => Tv::Int(*i),
        Value::Float(f) => Tv::Float(*f),
        Value::Str(s) => Tv::Str(s.clone()),
        Value::Date(d) => Tv::Str(d.to_string()),
        Value::List(items) => Tv::List(items.iter().map(|v| of_kg(store, v)).collect()),
        Value::Map(entries) => Tv::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), of_kg(store, v)))
                .collect(),
        ),
        Value::Node(id) => node(store, *id),
        Value::Rel(id) => rel(store, *id),
        Value::Path(path) => {
            let nodes = path.nodes.iter().map(|n| node(store, *n)).collect();
            let rels = path
                .rels
                .iter()
                .zip(&path.nodes)
                .map(|(r, from)| {
                    let forward = store.relation(*r).is_some_and(|rel| rel.from == *from);
                    (rel(store, *r), forward)
                })
                .collect();
            Tv::Path(nodes, rels)
        }
    }
}

fn node(store: &Store, id: kg::model::EntityId) -> Tv {
    let Some(e) = store.entity(id) else {
        return Tv::Null;
    };
    let labels = if e.kind == Kind::Other {
        Vec::new()
    } else {
        vec![e.kind.as_str().to_lowercase()]
    };
    // Its kind is its label; its aliases are kg's own field, not a property.
    let mut props = vec![("name".to_string(), Tv::Str(e.name.clone()))];
    for (k, v) in &e.properties {
        props.push((k.clone(), of_kg(store, &Value::of_property(v))));
    }
    Tv::Node(labels, props)
}

fn rel(store: &Store, id: kg::model::RelationId) -> Tv {
    let Some(r) = store.relation(id) else {
        return Tv::Null;
    };
    let rel = &r.relation;
    let mut props = Vec::new();
    let mut text = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            props.push((key.to_string(), Tv::Str(v)));
        }
    };
    text(
        "date",
        (!rel.when.is_undated()).then(|| rel.when.to_string()),
    );
    text(
        "status",
        (rel.status != Status::default()).then(|| rel.status.as_str().to_string()),
    );
    text("grade", rel.grade.map(|g| g.to_string()));
    text("source", rel.source.map(|s| store.text(s).to_string()));
    text("quote", rel.quote.map(|s| store.text(s).to_string()));
    text(
        "claimed_by",
        rel.claimed_by.map(|c| store.name(c).to_string()),
    );
    for (k, v) in rel.properties.iter() {
        let value = of_kg(store, &Value::of_property(store.text(*v)));
        props.push((store.text(*k).to_string(), value));
    }
    Tv::Rel(store.type_name(rel.rtype).to_string(), props)
}

/// Whether two values are the same as the TCK compares them (lists in any order when
/// `lists_unordered`).
pub fn same(a: &Tv, b: &Tv, lists_unordered: bool) -> bool {
    let props = |x: &[(String, Tv)], y: &[(String, Tv)]| {
        x.len() == y.len()
            && x.iter()
                .all(|(k, v)| y.iter().any(|(l, w)| k == l && same(v, w, lists_unordered)))
    };
    match (a, b) {
        (Tv::Null, Tv::Null) => true,
        (Tv::Bool(x), Tv::Bool(y)) => x == y,
        (Tv::Int(x), Tv::Int(y)) => x == y,
        (Tv::Float(x), Tv::Float(y)) => {
            (x.is_nan() && y.is_nan())
                || x == y
                || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0)
        }
        (Tv::Str(x), Tv::Str(y)) => x == y,
        (Tv::List(x), Tv::List(y)) if lists_unordered => same_bag(x, y, lists_unordered),
        (Tv::List(x), Tv::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w, lists_unordered))
        }
        (Tv::Map(x), Tv::Map(y)) => props(x, y),
        (Tv::Node(l, x), Tv::Node(m, y)) => {
            l.iter().collect::<BTreeSet<_>>() == m.iter().collect::<BTreeSet<_>>() && props(x, y)
        }
        (Tv::Rel(t, x), Tv::Rel(u, y)) => t == u && props(x, y),
        (Tv::Path(n, r), Tv::Path(m, s)) => {
            n.len() == m.len()
                && r.len() == s.len()
                && n.iter().zip(m).all(|(v, w)| same(v, w, lists_unordered))
                && r.iter()
                    .zip(s)
                    .all(|((v, f), (w, g))| f == g && same(v, w, lists_unordered))
        }
        _ => false,
    }
}

/// Whether two lists hold the same values, in any order.
pub fn same_bag(x: &[Tv], y: &[Tv], lists_unordered: bool) -> bool {
    if x.len() != y.len() {
        return false;
    }
    let mut used = vec![false; y.len()];
    x.iter().all(|v| {
        let found = (0..y.len()).find(|&j| !used[j] && same(v, &y[j], lists_unordered));
        found.map(|j| used[j] = true).is_some()
    })
}

/// Whether a value names more than one label on a node (kg's entities have one kind).
pub fn has_several_labels(v: &Tv) -> bool {
    match v {
        Tv::Node(labels, props) => {
            labels.len() > 1 || props.iter().any(|(_, v)| has_several_labels(v))
        }
        Tv::List(items) => items.iter().any(has_several_labels),
        Tv::Map(entries) | Tv::Rel(_, entries) => {
            entries.iter().any(|(_, v)| has_several_labels(v))
        }
        Tv::Path(nodes, rels) => {
            nodes.iter().any(has_several_labels) || rels.iter().any(|(r, _)| has_several_labels(r))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tcks_notation_parses() {
        for text in [
            "null",
            "-12",
            "1.5e3",
            "'it\\'s'",
            "[1, 'a', [null]]",
            "{name: 'A', `a b`: 2}",
            "(:A:B {num: 1})",
            "()",
            "[:T {w: 0.5}]",
            "<(:A)-[:T]->({n: 1})<-[:U]-()>",
        ] {
            assert!(parse(text).is_some(), "{text}");
        }
        assert!(parse("2015-07-21").is_none());
        let a = parse("[1, 2]").unwrap();
        let b = parse("[2, 1]").unwrap();
        assert!(!same(&a, &b, false));
        assert!(same(&a, &b, true));
    }
}
