//! A recursive-descent parser for the openCypher subset. A construct outside the
//! subset is an error naming it, never a different query.

use super::ast::*;
use super::error::Pos;
use super::error::QueryError;
use super::lexer::{Tok, Token, tokens};

mod expr;

/// The words of expressions that are keywords, written in any case.
const KEYWORDS: [&str; 24] = [
    "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE",
    "END", "STARTS", "ENDS", "WITH", "CONTAINS", "DISTINCT", "ALL", "ANY", "NONE", "SINGLE",
    "EXISTS",
];

/// Clauses and constructs of openCypher that kg does not run, named in the error.
const UNSUPPORTED: [&str; 3] = ["CALL", "FOREACH", "LOAD"];

pub fn parse(text: &str) -> Result<Query, QueryError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        toks: tokens(text)?,
        at: 0,
        depth: 0,
        subqueries: 0,
    };
    let query = parser.query()?;
    Ok(query)
}

struct Parser {
    chars: Vec<char>,
    toks: Vec<Token>,
    at: usize,
    /// How deeply the expression being parsed nests (see [`MAX_DEPTH`]).
    depth: usize,
    /// How many `EXISTS { }` or `COUNT { }` subqueries the parser is inside.
    subqueries: usize,
}

/// The deepest an expression may nest (parentheses, lists, operator chains), so that
/// neither parsing nor evaluation can run out of stack.
const MAX_DEPTH: usize = 200;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].tok
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.toks[(self.at + ahead).min(self.toks.len() - 1)].tok
    }

    fn pos(&self) -> Pos {
        self.toks[self.at].pos
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.at].clone();
        if self.at < self.toks.len() - 1 {
            self.at += 1;
        }
        t
    }

    fn expected<T>(&self, what: &str) -> Result<T, QueryError> {
        Err(QueryError::at(
            self.pos(),
            format!("expected {what}, found {}", self.peek().describe()),
        ))
    }

    fn is_sym(&self, sym: &str) -> bool {
        matches!(self.peek(), Tok::Sym(s) if *s == sym)
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        if self.is_sym(sym) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, sym: &str) -> Result<(), QueryError> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            self.expected(&format!("'{sym}'"))
        }
    }

    /// Whether the next token is the keyword `word` (case-insensitive, not quoted).
    fn is_kw(&self, word: &str) -> bool {
        self.is_kw_at(0, word)
    }

    fn is_kw_at(&self, ahead: usize, word: &str) -> bool {
        matches!(self.peek_at(ahead), Tok::Ident { name, quoted: false } if name.eq_ignore_ascii_case(word))
    }

    fn eat_kw(&mut self, word: &str) -> bool {
        if self.is_kw(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, word: &str) -> Result<(), QueryError> {
        if self.eat_kw(word) {
            Ok(())
        } else {
            self.expected(word)
        }
    }

    fn unsupported_here(&self) -> Result<(), QueryError> {
        if let Tok::Ident {
            name,
            quoted: false,
        } = self.peek()
        {
            let upper = name.to_ascii_uppercase();
            if UNSUPPORTED.contains(&upper.as_str()) {
                let what = match upper.as_str() {
                    "LOAD" => "LOAD CSV".to_string(),
                    _ => upper,
                };
                let why = if what == "CALL" {
                    " in kg's openCypher subset (the graph measures are functions: \
                     MATCH (n) RETURN n.name, kg.pagerank(n) AS score)"
                } else {
                    " in kg's openCypher subset"
                };
                return Err(QueryError::at(
                    self.pos(),
                    format!("{what} is not supported{why}"),
                ));
            }
        }
        Ok(())
    }

    fn name(&mut self, what: &str) -> Result<(String, Pos), QueryError> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Ident { name, .. } => {
                self.bump();
                Ok((name, pos))
            }
            _ => self.expected(what),
        }
    }

    /// The query text from token `from` up to (not including) the current token.
    /// The tokens read since token `from`, function names and keywords in lower case
    /// (they are written in any case: `COUNT(*)` is `count(*)`).
    fn tokens_since(&self, from: usize) -> Vec<Tok> {
        let toks = &self.toks[from..self.at.max(from)];
        toks.iter()
            .enumerate()
            .map(|(i, t)| match &t.tok {
                Tok::Ident {
                    name,
                    quoted: false,
                } if KEYWORDS.contains(&name.to_ascii_uppercase().as_str())
                    || matches!(toks.get(i + 1).map(|n| &n.tok), Some(Tok::Sym("("))) =>
                {
                    Tok::Ident {
                        name: name.to_ascii_lowercase(),
                        quoted: false,
                    }
                }
                tok => tok.clone(),
            })
            .collect()
    }

    fn text_since(&self, from: usize) -> String {
        let start = self.toks[from].start;
        let end = self.toks[self.at.saturating_sub(1).max(from)].end;
        self.chars[start..end.max(start)].iter().collect()
    }

    fn query(&mut self) -> Result<Query, QueryError> {
        let query = self.unions()?;
        self.eat_sym(";");
        self.unsupported_here()?;
        if !matches!(self.peek(), Tok::End) {
            return self.expected("the end of the query");
        }
        Ok(query)
    }

    /// The query inside `EXISTS { ... }` or `COUNT { ... }`, up to its `}`: reading
    /// clauses, which need not end in `RETURN`.
    pub(super) fn subquery(&mut self) -> Result<Query, QueryError> {
        let pos = self.pos();
        self.subqueries += 1;
        let query = self.unions();
        self.subqueries -= 1;
        let query = query?;
        if query.unions.len() > 1 && query.unions.iter().any(|part| !part.returns) {
            // Without RETURN a part has no columns to join, nor rows to count once.
            return Err(QueryError::at(
                pos,
                "each part of a UNION in a subquery needs its RETURN",
            ));
        }
        self.unsupported_here()?;
        if !self.is_sym("}") {
            return self.expected("} at the end of the subquery");
        }
        Ok(query)
    }

    /// Single queries joined by `UNION` or `UNION ALL`.
    fn unions(&mut self) -> Result<Query, QueryError> {
        let mut unions = vec![self.single_query()?];
        let mut union_all = None;
        while self.eat_kw("UNION") {
            let pos = self.pos();
            let all = self.eat_kw("ALL");
            if *union_all.get_or_insert(all) != all {
                return Err(QueryError::at(
                    pos,
                    "UNION and UNION ALL cannot be mixed in one query",
                ));
            }
            unions.push(self.single_query()?);
        }
        Ok(Query {
            unions,
            union_all: union_all.unwrap_or(false),
        })
    }

    /// Clauses up to and including `RETURN`, split into stages at each `WITH`.
    fn single_query(&mut self) -> Result<SingleQuery, QueryError> {
        let mut stages = Vec::new();
        let mut clauses = Vec::new();
        loop {
            self.unsupported_here()?;
            if self.eat_kw("MATCH") {
                clauses.push(Clause::Match(self.match_clause(false)?));
            } else if self.is_kw("OPTIONAL") && self.is_kw_at(1, "MATCH") {
                self.bump();
                self.bump();
                clauses.push(Clause::Match(self.match_clause(true)?));
            } else if self.eat_kw("UNWIND") {
                let list = self.expr()?;
                self.expect_kw("AS")?;
                let pos = self.pos();
                let (var, _) = self.name("a variable after AS")?;
                clauses.push(Clause::Unwind { list, var, pos });
            } else if let Some(clause) = self.updating_clause()? {
                if self.subqueries > 0 {
                    return Err(QueryError::at(
                        clause.pos(),
                        format!(
                            "{} changes the graph, which a subquery (EXISTS {{ }}, COUNT {{ }}) may not",
                            clause.keyword()
                        ),
                    ));
                }
                clauses.push(clause);
            } else if self.eat_kw("WITH") {
                let projection = self.return_clause(true)?;
                let filter = if self.eat_kw("WHERE") {
                    Some(self.expr()?)
                } else {
                    None
                };
                stages.push(Stage {
                    clauses: std::mem::take(&mut clauses),
                    projection,
                    filter,
                });
            } else if self.eat_kw("RETURN") {
                let projection = self.return_clause(false)?;
                stages.push(Stage {
                    clauses,
                    projection,
                    filter: None,
                });
                return Ok(SingleQuery {
                    stages,
                    returns: true,
                });
            } else if (clauses.last().is_some_and(Clause::is_update)
                && (matches!(self.peek(), Tok::End | Tok::Sym(";")) || self.is_kw("UNION")))
                || (self.subqueries > 0
                    && !clauses.is_empty()
                    && (self.is_sym("}") || self.is_kw("UNION")))
            {
                // A query that changes the graph may end without RETURN, and so may a
                // subquery (its rows are its last clause's).
                stages.push(Stage {
                    clauses,
                    projection: Return::default(),
                    filter: None,
                });
                return Ok(SingleQuery {
                    stages,
                    returns: false,
                });
            } else if self.is_kw("WHERE") {
                return Err(QueryError::at(
                    self.pos(),
                    "WHERE belongs right after a MATCH's patterns or a WITH's items",
                ));
            } else {
                return self.expected(
                    "MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN or an updating clause (CREATE, MERGE, SET, REMOVE, DELETE)",
                );
            }
        }
    }

    /// `CREATE`, `MERGE`, `SET`, `REMOVE` or `[DETACH] DELETE`, if one comes next.
    fn updating_clause(&mut self) -> Result<Option<Clause>, QueryError> {
        let pos = self.pos();
        let clause = if self.eat_kw("CREATE") {
            let mut patterns = vec![self.pattern()?];
            while self.eat_sym(",") {
                patterns.push(self.pattern()?);
            }
            Clause::Create { patterns, pos }
        } else if self.eat_kw("MERGE") {
            let pattern = self.pattern()?;
            let (mut on_create, mut on_match) = (Vec::new(), Vec::new());
            while self.is_kw("ON") {
                self.bump();
                let items = if self.eat_kw("CREATE") {
                    &mut on_create
                } else if self.eat_kw("MATCH") {
                    &mut on_match
                } else {
                    return self.expected("CREATE or MATCH after ON");
                };
                self.expect_kw("SET")?;
                items.extend(self.set_items()?);
            }
            Clause::Merge {
                pattern,
                on_create,
                on_match,
                pos,
            }
        } else if self.eat_kw("SET") {
            let items = self.set_items()?;
            Clause::Set { items, pos }
        } else if self.eat_kw("REMOVE") {
            let mut items = Vec::new();
            loop {
                let at = self.pos();
                items.push(match self.postfix()? {
                    Expr::Property(target, key) => RemoveItem::Property {
                        target: *target,
                        key,
                        pos: at,
                    },
                    Expr::HasLabels(var, labels) => match *var {
                        Expr::Var(var, _) => RemoveItem::Label { var, labels },
                        _ => return Err(QueryError::at(at, "REMOVE takes n.key or n:label")),
                    },
                    _ => return Err(QueryError::at(at, "REMOVE takes n.key or n:label")),
                });
                if !self.eat_sym(",") {
                    break;
                }
            }
            Clause::Remove { items, pos }
        } else if self.is_kw("DELETE") || (self.is_kw("DETACH") && self.is_kw_at(1, "DELETE")) {
            let detach = self.eat_kw("DETACH");
            self.bump();
            let mut targets = vec![self.expr()?];
            while self.eat_sym(",") {
                targets.push(self.expr()?);
            }
            Clause::Delete {
                detach,
                targets,
                pos,
            }
        } else {
            return Ok(None);
        };
        Ok(Some(clause))
    }

    /// The items of a `SET`: `n.key = value`, `n = {map}`, `n += {map}`, `n:label`.
    fn set_items(&mut self) -> Result<Vec<SetItem>, QueryError> {
        let mut items = Vec::new();
        loop {
            let pos = self.pos();
            let item = match self.postfix()? {
                Expr::Property(target, key) => {
                    self.expect_sym("=")?;
                    SetItem::Property {
                        target: *target,
                        key,
                        value: self.expr()?,
                        pos,
                    }
                }
                Expr::HasLabels(var, labels) => match *var {
                    Expr::Var(var, _) => SetItem::Label { var, labels },
                    _ => return Err(QueryError::at(pos, "SET takes n:label on a variable")),
                },
                Expr::Var(var, _) => {
                    let replace = !self.eat_sym("+");
                    self.expect_sym("=")?;
                    SetItem::Map {
                        var,
                        value: self.expr()?,
                        replace,
                        pos,
                    }
                }
                _ => {
                    return Err(QueryError::at(
                        pos,
                        "SET takes n.key = value, n = {map}, n += {map} or n:label",
                    ));
                }
            };
            items.push(item);
            if !self.eat_sym(",") {
                return Ok(items);
            }
        }
    }

    fn match_clause(&mut self, optional: bool) -> Result<Match, QueryError> {
        let mut patterns = vec![self.pattern()?];
        while self.eat_sym(",") {
            patterns.push(self.pattern()?);
        }
        let filter = if self.eat_kw("WHERE") {
            Some(self.expr()?)
        } else {
            None
        };
        Ok(Match {
            optional,
            patterns,
            filter,
        })
    }

    fn pattern(&mut self) -> Result<Pattern, QueryError> {
        let pos = self.pos();
        let path_var = if matches!(self.peek(), Tok::Ident { .. })
            && matches!(self.peek_at(1), Tok::Sym("="))
        {
            let (name, _) = self.name("a path variable")?;
            self.bump();
            Some(name)
        } else {
            None
        };
        let search = if self.is_kw("shortestPath") {
            PathSearch::Shortest
        } else if self.is_kw("allShortestPaths") {
            PathSearch::AllShortest
        } else {
            PathSearch::All
        };
        let chain = if search == PathSearch::All {
            self.chain()?
        } else {
            self.bump();
            self.expect_sym("(")?;
            let chain = self.chain()?;
            self.expect_sym(")")?;
            let what = if search == PathSearch::Shortest {
                "shortestPath"
            } else {
                "allShortestPaths"
            };
            if chain.rels.len() != 1 {
                return Err(QueryError::at(
                    pos,
                    format!("{what} takes a pattern of one relationship, e.g. {what}((a)-[*]-(b))"),
                ));
            }
            if let Some((min, _)) = chain.rels[0].length
                && min > 1
            {
                return Err(QueryError::at(
                    pos,
                    format!("{what} needs a minimum length of 0 or 1"),
                ));
            }
            chain
        };
        Ok(Pattern {
            path_var,
            search,
            chain,
            pos,
        })
    }

    fn chain(&mut self) -> Result<Chain, QueryError> {
        let mut nodes = vec![self.node()?];
        let mut rels = Vec::new();
        while self.is_sym("-") || self.is_sym("<-") {
            rels.push(self.relationship()?);
            nodes.push(self.node()?);
        }
        Ok(Chain { nodes, rels })
    }

    fn node(&mut self) -> Result<NodePattern, QueryError> {
        self.expect_sym("(")?;
        let var = match self.peek() {
            Tok::Ident { .. } => Some(self.name("a variable")?.0),
            _ => None,
        };
        let mut labels = Vec::new();
        while self.eat_sym(":") {
            labels.push(self.name("a label (an entity kind)")?);
            if self.is_sym("|") {
                return Err(QueryError::at(
                    self.pos(),
                    "label alternatives (:a|b) are not supported on nodes; use WHERE with labels(n)",
                ));
            }
        }
        let props = if self.is_sym("{") {
            self.property_map()?
        } else {
            Vec::new()
        };
        self.expect_sym(")")?;
        Ok(NodePattern { var, labels, props })
    }

    fn relationship(&mut self) -> Result<RelPattern, QueryError> {
        let left = self.eat_sym("<-");
        if !left {
            self.expect_sym("-")?;
        }
        let mut rel = RelPattern {
            var: None,
            types: Vec::new(),
            props: Vec::new(),
            direction: Direction::Either,
            length: None,
        };
        if self.eat_sym("[") {
            if let Tok::Ident { .. } = self.peek() {
                rel.var = Some(self.name("a variable")?.0);
            }
            if self.eat_sym(":") {
                rel.types.push(self.name("a relationship type")?);
                while self.eat_sym("|") {
                    self.eat_sym(":");
                    rel.types.push(self.name("a relationship type")?);
                }
            }
            if self.eat_sym("*") {
                rel.length = Some(self.range()?);
            }
            if self.is_sym("{") {
                rel.props = self.property_map()?;
            }
            self.expect_sym("]")?;
        }
        let right = if self.eat_sym("->") {
            true
        } else {
            self.expect_sym("-")?;
            false
        };
        rel.direction = match (left, right) {
            (true, false) => Direction::Left,
            (false, true) => Direction::Right,
            // `<-[]->` is either way, as `-[]-` (openCypher reads both so).
            _ => Direction::Either,
        };
        Ok(rel)
    }

    /// After `*`: nothing, `n`, `n..`, `..m` or `n..m`.
    fn range(&mut self) -> Result<(u32, Option<u32>), QueryError> {
        let number = |p: &mut Parser| -> Result<Option<u32>, QueryError> {
            match *p.peek() {
                Tok::Int(n) => {
                    let pos = p.pos();
                    p.bump();
                    u32::try_from(n)
                        .map(Some)
                        .map_err(|_| QueryError::at(pos, "a path length out of range"))
                }
                _ => Ok(None),
            }
        };
        let low = number(self)?;
        if self.eat_sym("..") {
            let high = number(self)?;
            // An empty range (`*2..1`) is allowed and matches nothing, as openCypher says.
            Ok((low.unwrap_or(1), high))
        } else {
            match low {
                Some(n) => Ok((n, Some(n))),
                None => Ok((1, None)),
            }
        }
    }

    fn property_map(&mut self) -> Result<Vec<(String, Expr)>, QueryError> {
        self.expect_sym("{")?;
        let mut props = Vec::new();
        if !self.is_sym("}") {
            loop {
                let (key, _) = self.name("a property name")?;
                self.expect_sym(":")?;
                props.push((key, self.expr()?));
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        self.expect_sym("}")?;
        Ok(props)
    }

    /// The items of `RETURN`, or of `WITH` (`with`), whose items name the next stage's
    /// variables: each is a variable or has an alias.
    fn return_clause(&mut self, with: bool) -> Result<Return, QueryError> {
        let distinct = self.eat_kw("DISTINCT");
        let mut ret = Return {
            distinct,
            star: false,
            items: Vec::new(),
            order: Vec::new(),
            skip: None,
            limit: None,
        };
        ret.star = self.eat_sym("*");
        // Each item's tokens, so that ORDER BY the same expression sorts by its column.
        let mut written_items: Vec<(Vec<Tok>, String, bool)> = Vec::new();
        if !ret.star || self.eat_sym(",") {
            loop {
                let from = self.at;
                let pos = self.pos();
                let expr = self.expr()?;
                let written = self.text_since(from);
                let tokens = self.tokens_since(from);
                let alias = self.eat_kw("AS");
                let name = if alias {
                    self.name("a name after AS")?.0
                } else if with && !matches!(expr, Expr::Var(..)) {
                    return Err(QueryError::at(
                        pos,
                        format!("WITH {written} needs a name: WITH {written} AS name"),
                    ));
                } else {
                    written
                };
                written_items.push((tokens, name.clone(), alias));
                ret.items.push(ReturnItem { expr, name, alias });
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        if self.eat_kw("ORDER") {
            self.expect_kw("BY")?;
            loop {
                let from = self.at;
                let pos = self.pos();
                let mut expr = self.expr()?;
                let mut written = self.text_since(from);
                // `RETURN count(*) AS c ORDER BY count(*)` sorts by the column `c`, and
                // `RETURN toUpper(n.name) ORDER BY TOUPPER(n.name)` by its column.
                let tokens = self.tokens_since(from);
                if let Some((_, name, alias)) = written_items.iter().find(|(t, ..)| *t == tokens) {
                    if *alias {
                        expr = Expr::Var(name.clone(), pos);
                    }
                    written = name.clone();
                }
                let descending = if self.eat_kw("DESC") || self.eat_kw("DESCENDING") {
                    true
                } else {
                    if !self.eat_kw("ASC") {
                        self.eat_kw("ASCENDING");
                    }
                    false
                };
                ret.order.push((expr, written, descending));
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        if self.eat_kw("SKIP") {
            ret.skip = Some(self.expr()?);
        }
        if self.eat_kw("LIMIT") {
            ret.limit = Some(self.expr()?);
        }
        Ok(ret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        crate::query::with_stack(|| Ok(parse(text).unwrap_err().to_string())).unwrap()
    }

    #[test]
    fn the_subset_parses() {
        for q in [
            "MATCH (a:person {name: 'Putin'})-[r:met|phoned]->(b) RETURN a, r, b",
            "MATCH p = shortestPath((a)-[*..5]-(b)) WHERE a.name = $x RETURN length(p)",
            "MATCH (a)-[:met*1..3]-(b), (b)<--(c) WHERE NOT (a)-->(c) RETURN DISTINCT c.name AS n ORDER BY n DESC SKIP 1 LIMIT 2",
            "MATCH (n) WHERE n.name STARTS WITH 'P' AND n.title IS NOT NULL OR n.kind IN ['org'] RETURN count(*), count(DISTINCT n.kind)",
            "MATCH ()-[r]->() WHERE r.date >= date('2025-02-01') RETURN type(r), min(r.date) ORDER BY type(r)",
            "RETURN 1 + 2 * 3 AS x",
            "MATCH p = (a)-[*]-(b) WHERE all(r IN relationships(p) WHERE r.date > date('2025')) RETURN [n IN nodes(p) | n.name]",
            "RETURN [x IN [1, 2, 3] WHERE x > 1], any(x IN [1] WHERE x = 1)",
            "MATCH (a)-->(b) WITH a, count(b) AS n ORDER BY n DESC LIMIT 3 WHERE n > 1 MATCH (a)--(c) RETURN *",
            "UNWIND $names AS name OPTIONAL MATCH (n {name: name}) WHERE n:person WITH DISTINCT n RETURN n",
            "WITH 1 AS x RETURN x UNION ALL RETURN 2 AS x;",
        ] {
            parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        }
    }

    #[test]
    fn return_items_are_named_as_written() {
        let q = parse("MATCH (n) RETURN n.name, count( * ) AS c, toLower(n.name)").unwrap();
        let names: Vec<_> = q.unions[0].stages[0]
            .projection
            .items
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["n.name", "c", "toLower(n.name)"]);
    }

    #[test]
    fn errors_name_what_was_expected_or_unsupported() {
        assert!(
            error("MATCH (n) RETURN n UNION ALL RETURN 1 AS n UNION RETURN 2 AS n")
                .contains("cannot be mixed")
        );
        assert!(error("MATCH (n) WITH n").contains("expected MATCH, OPTIONAL MATCH"));
        assert!(error("CALL db.labels()").contains("CALL is not supported"));
        assert!(error("UNWIND [1] AS x WHERE x > 0 RETURN x").contains("WHERE belongs"));
        assert!(error("MATCH (n RETURN n").contains("expected ')'"));
        assert!(error("MATCH (n)").contains("expected MATCH, OPTIONAL MATCH"));
        parse("MATCH (a)<-[]->(b) RETURN a").unwrap();
        assert!(error("RETURN all(x IN [1] x > 0)").contains("expected WHERE"));
        let deep = format!("RETURN {}1{}", "(".repeat(3000), ")".repeat(3000));
        assert!(error(&deep).contains("nests more than"));
        let long = format!("RETURN 1{}", " + 1".repeat(10_000));
        assert!(error(&long).contains("nests more than"));
        let wide = (0..60)
            .map(|i| format!("n.p{i} = {i}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        parse(&format!("MATCH (n) WHERE {wide} RETURN n")).unwrap();
    }
}
