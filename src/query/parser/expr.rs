//! Expressions, loosest binding first: `OR`, `XOR`, `AND`, `NOT`, comparisons, the
//! string and list predicates, `+ -`, `* / %`, unary minus, property access, labels and
//! indexing, then atoms. Each level counts towards [`MAX_DEPTH`].

use super::{MAX_DEPTH, Parser};
use crate::query::ast::*;
use crate::query::error::{Pos, QueryError};
use crate::query::lexer::Tok;
use crate::query::value::Value;

impl Parser {
    /// An expression.
    pub(super) fn expr(&mut self) -> Result<Expr, QueryError> {
        let saved = self.depth;
        self.deeper()?;
        let e = self.or();
        self.depth = saved;
        e
    }

    /// Parses the right operand of an operator: its own nesting counts from here,
    /// and is forgotten after (the operator's level is counted by its loop).
    fn operand(
        &mut self,
        parse: impl FnOnce(&mut Parser) -> Result<Expr, QueryError>,
    ) -> Result<Expr, QueryError> {
        let saved = self.depth;
        let e = parse(self);
        self.depth = saved;
        e
    }

    /// One level deeper into an expression; an error past [`MAX_DEPTH`].
    fn deeper(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::at(
                self.pos(),
                format!("the expression nests more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.xor()?;
        while self.eat_kw("OR") {
            self.deeper()?;
            left = Expr::Or(Box::new(left), Box::new(self.operand(Self::xor)?));
        }
        Ok(left)
    }

    fn xor(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and()?;
        while self.eat_kw("XOR") {
            self.deeper()?;
            left = Expr::Xor(Box::new(left), Box::new(self.operand(Self::and)?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.not()?;
        while self.eat_kw("AND") {
            self.deeper()?;
            left = Expr::And(Box::new(left), Box::new(self.operand(Self::not)?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, QueryError> {
        if self.eat_kw("NOT") {
            self.deeper()?;
            Ok(Expr::Not(Box::new(self.not()?)))
        } else {
            self.comparison()
        }
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.predicate()?;
        // Chained comparisons (a < b < c) mean a < b AND b < c.
        let mut chained: Option<Expr> = None;
        loop {
            if self.is_sym("<-") {
                // `a<-1`: less than minus one (an arrow only begins a pattern).
                self.bump();
                self.deeper()?;
                let right = Expr::Negate(Box::new(self.operand(Self::predicate)?));
                let this = Expr::Compare(Cmp::Lt, Box::new(left), Box::new(right.clone()));
                chained = Some(match chained {
                    None => this,
                    Some(before) => Expr::And(Box::new(before), Box::new(this)),
                });
                left = right;
                continue;
            }
            let op = match self.peek() {
                Tok::Sym("=") => Cmp::Eq,
                Tok::Sym("<>") => Cmp::Ne,
                Tok::Sym("<") => Cmp::Lt,
                Tok::Sym("<=") => Cmp::Le,
                Tok::Sym(">") => Cmp::Gt,
                Tok::Sym(">=") => Cmp::Ge,
                _ => break,
            };
            self.bump();
            self.deeper()?;
            let right = self.operand(Self::predicate)?;
            let this = Expr::Compare(op, Box::new(left), Box::new(right.clone()));
            chained = Some(match chained {
                None => this,
                Some(before) => Expr::And(Box::new(before), Box::new(this)),
            });
            left = right;
        }
        Ok(chained.unwrap_or(left))
    }

    /// `IN`, `STARTS WITH`, `ENDS WITH`, `CONTAINS`, `IS [NOT] NULL` after an operand.
    fn predicate(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.additive()?;
        loop {
            if self.is_kw("IN")
                || self.is_kw("CONTAINS")
                || self.is_kw("IS")
                || (self.is_kw("STARTS") || self.is_kw("ENDS")) && self.is_kw_at(1, "WITH")
            {
                self.deeper()?;
            }
            if self.eat_kw("IN") {
                left = Expr::In(Box::new(left), Box::new(self.operand(Self::additive)?));
            } else if self.is_kw("STARTS") && self.is_kw_at(1, "WITH") {
                self.bump();
                self.bump();
                left = Expr::Str(
                    StringOp::StartsWith,
                    Box::new(left),
                    Box::new(self.operand(Self::additive)?),
                );
            } else if self.is_kw("ENDS") && self.is_kw_at(1, "WITH") {
                self.bump();
                self.bump();
                left = Expr::Str(
                    StringOp::EndsWith,
                    Box::new(left),
                    Box::new(self.operand(Self::additive)?),
                );
            } else if self.eat_kw("CONTAINS") {
                left = Expr::Str(
                    StringOp::Contains,
                    Box::new(left),
                    Box::new(self.operand(Self::additive)?),
                );
            } else if self.is_kw("IS") {
                self.bump();
                let negated = self.eat_kw("NOT");
                self.expect_kw("NULL")?;
                left = Expr::IsNull(Box::new(left), negated);
            } else {
                return Ok(left);
            }
        }
    }

    fn additive(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => Arith::Add,
                Tok::Sym("-") => Arith::Sub,
                _ => return Ok(left),
            };
            self.bump();
            self.deeper()?;
            left = Expr::Arith(
                op,
                Box::new(left),
                Box::new(self.operand(Self::multiplicative)?),
            );
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.power()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => Arith::Mul,
                Tok::Sym("/") => Arith::Div,
                Tok::Sym("%") => Arith::Mod,
                _ => return Ok(left),
            };
            self.bump();
            self.deeper()?;
            left = Expr::Arith(op, Box::new(left), Box::new(self.operand(Self::power)?));
        }
    }

    /// `a ^ b`: binds tighter than `*`, from the left, as openCypher's grammar has it.
    fn power(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.unary()?;
        while self.eat_sym("^") {
            self.deeper()?;
            left = Expr::Arith(
                Arith::Pow,
                Box::new(left),
                Box::new(self.operand(Self::unary)?),
            );
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.eat_sym("-") {
            if *self.peek() == Tok::Int(i64::MIN) {
                // -9223372036854775808: the lexer read its digits as i64::MIN.
                self.bump();
                return Ok(Expr::Literal(Value::Int(i64::MIN)));
            }
            self.deeper()?;
            return Ok(Expr::Negate(Box::new(self.unary()?)));
        }
        if self.eat_sym("+") {
            self.deeper()?;
            return self.unary();
        }
        self.postfix()
    }

    pub(super) fn postfix(&mut self) -> Result<Expr, QueryError> {
        let mut expr = self.atom()?;
        loop {
            if self.eat_sym(".") {
                self.deeper()?;
                let (key, _) = self.name("a property name")?;
                expr = Expr::Property(Box::new(expr), key);
            } else if matches!(expr, Expr::Var(..))
                && self.is_sym(":")
                && matches!(self.peek_at(1), Tok::Ident { .. })
            {
                self.deeper()?;
                let mut labels = Vec::new();
                while self.eat_sym(":") {
                    labels.push(self.name("a label (an entity kind)")?);
                }
                expr = Expr::HasLabels(Box::new(expr), labels);
            } else if matches!(expr, Expr::Var(..)) && self.is_sym("{") {
                self.deeper()?;
                expr = Expr::MapProjection(Box::new(expr), self.map_projection()?);
            } else if self.eat_sym("[") {
                self.deeper()?;
                let from = if self.is_sym("..") {
                    None
                } else {
                    Some(Box::new(self.expr()?))
                };
                if self.eat_sym("..") {
                    let to = if self.is_sym("]") {
                        None
                    } else {
                        Some(Box::new(self.expr()?))
                    };
                    self.expect_sym("]")?;
                    expr = Expr::Slice(Box::new(expr), from, to);
                    continue;
                }
                self.expect_sym("]")?;
                let Some(index) = from else {
                    return self.expected("an index");
                };
                expr = Expr::Index(Box::new(expr), index);
            } else {
                return Ok(expr);
            }
        }
    }

    /// The entries of a map projection, after its variable: `{.key, .*, key: value,
    /// var}`.
    fn map_projection(&mut self) -> Result<Vec<MapItem>, QueryError> {
        self.expect_sym("{")?;
        let mut items = Vec::new();
        if self.eat_sym("}") {
            return Ok(items);
        }
        loop {
            if self.eat_sym(".") {
                if self.eat_sym("*") {
                    items.push(MapItem::AllProperties);
                } else {
                    items.push(MapItem::Property(self.name("a property name")?.0));
                }
            } else {
                let (key, pos) = self.name("a key, .key or .*")?;
                if self.eat_sym(":") {
                    items.push(MapItem::Entry(key, self.expr()?));
                } else {
                    items.push(MapItem::Entry(key.clone(), Expr::Var(key, pos)));
                }
            }
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym("}")?;
        Ok(items)
    }

    /// A literal, a parameter, a list or comprehension, a parenthesised expression or
    /// pattern predicate, a variable, or a call.
    fn atom(&mut self) -> Result<Expr, QueryError> {
        let pos = self.pos();
        // `CASE` begins a case expression, unless it is a variable of that name.
        if self.is_kw("CASE")
            && matches!(
                self.peek_at(1),
                Tok::Ident { .. }
                    | Tok::Int(_)
                    | Tok::Float(_)
                    | Tok::Str(_)
                    | Tok::Param(_)
                    | Tok::Sym("(" | "[" | "-" | "{")
            )
            && !self.is_kw_at(1, "AS")
        {
            self.bump();
            return self.case();
        }
        let literal = match self.peek().clone() {
            Tok::Int(i) => Expr::Literal(Value::Int(i)),
            Tok::Float(f) => Expr::Literal(Value::Float(f)),
            Tok::Str(s) => Expr::Literal(Value::Str(s)),
            Tok::Param(p) => Expr::Param(p, pos),
            Tok::Sym("[") => return self.list(),
            Tok::Sym("{") => return Ok(Expr::Map(self.property_map()?)),
            Tok::Sym("(") => return self.parenthesised(),
            Tok::Ident { name, quoted } => {
                self.bump();
                return self.word(name, quoted, pos);
            }
            _ => return self.expected("an expression"),
        };
        self.bump();
        Ok(literal)
    }

    /// After `CASE`: `[subject] WHEN a THEN b ... [ELSE c] END`, simple (each `WHEN`
    /// compared with the subject) or generic (each `WHEN` a condition).
    fn case(&mut self) -> Result<Expr, QueryError> {
        let subject = if self.is_kw("WHEN") {
            None
        } else {
            Some(Box::new(self.expr()?))
        };
        let mut branches = Vec::new();
        while self.eat_kw("WHEN") {
            let when = self.expr()?;
            self.expect_kw("THEN")?;
            branches.push((when, self.expr()?));
        }
        if branches.is_empty() {
            return self.expected("WHEN");
        }
        let otherwise = if self.eat_kw("ELSE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        self.expect_kw("END")?;
        Ok(Expr::Case {
            subject,
            branches,
            otherwise,
        })
    }

    /// `[a, b, ...]` or `[x IN list WHERE filter | map]`.
    fn list(&mut self) -> Result<Expr, QueryError> {
        self.expect_sym("[")?;
        if let Some(comprehension) = self.pattern_comprehension()? {
            return Ok(comprehension);
        }
        if matches!(self.peek(), Tok::Ident { .. }) && self.is_kw_at(1, "IN") {
            let (var, _) = self.name("a variable")?;
            self.bump();
            let list = Box::new(self.expr()?);
            let filter = if self.eat_kw("WHERE") {
                Some(Box::new(self.expr()?))
            } else {
                None
            };
            let map = if self.eat_sym("|") {
                Some(Box::new(self.expr()?))
            } else {
                None
            };
            self.expect_sym("]")?;
            return Ok(Expr::Comprehension {
                var,
                list,
                filter,
                map,
            });
        }
        let items = self.comma_separated("]")?;
        self.expect_sym("]")?;
        Ok(Expr::List(items))
    }

    /// After `[`: `(a)-->(b) [WHERE filter] | map]` (or `p = (a)-->(b) ...`), if that is
    /// what follows; else nothing is taken (a list of a parenthesised expression).
    fn pattern_comprehension(&mut self) -> Result<Option<Expr>, QueryError> {
        let named =
            matches!(self.peek(), Tok::Ident { .. }) && matches!(self.peek_at(1), Tok::Sym("="));
        if !self.is_sym("(") && !named {
            return Ok(None);
        }
        let start = self.at;
        let pattern = match self.pattern() {
            Ok(p) if !p.chain.rels.is_empty() && (self.is_kw("WHERE") || self.is_sym("|")) => p,
            _ => {
                self.at = start;
                return Ok(None);
            }
        };
        let filter = if self.eat_kw("WHERE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        self.expect_sym("|")?;
        let map = Box::new(self.expr()?);
        self.expect_sym("]")?;
        Ok(Some(Expr::PatternComprehension {
            pattern: Box::new(pattern),
            filter,
            map,
        }))
    }

    /// Expressions separated by commas, up to (not over) `end`.
    fn comma_separated(&mut self, end: &str) -> Result<Vec<Expr>, QueryError> {
        let mut items = Vec::new();
        if !self.is_sym(end) {
            loop {
                items.push(self.expr()?);
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        Ok(items)
    }

    /// A pattern predicate, `(a)-[:T]->(b)`, or a parenthesised expression.
    fn parenthesised(&mut self) -> Result<Expr, QueryError> {
        let save = self.at;
        if let Ok(chain) = self.chain()
            && !chain.rels.is_empty()
        {
            return Ok(Expr::Exists(Box::new(chain), false));
        }
        self.at = save;
        self.bump();
        let inner = self.expr()?;
        self.expect_sym(")")?;
        Ok(inner)
    }

    /// `EXISTS { ... }` (`count`: `COUNT { ... }`) after its `{`: a query, or patterns
    /// and a `WHERE` without `MATCH`. One pattern with its `WHERE` is planned as the size
    /// of a pattern comprehension; anything else as a subquery run for each row.
    fn subquery_expr(&mut self, count: bool, pos: Pos) -> Result<Expr, QueryError> {
        let starts_clause = [
            "MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CREATE", "MERGE", "SET", "REMOVE",
            "DELETE", "DETACH", "CALL",
        ]
        .iter()
        .any(|kw| self.is_kw(kw));
        let query = if starts_clause {
            self.subquery()?
        } else {
            let m = self.match_clause(false)?;
            Query {
                unions: vec![SingleQuery {
                    stages: vec![Stage {
                        clauses: vec![Clause::Match(m)],
                        projection: Return::default(),
                        filter: None,
                    }],
                    returns: false,
                }],
                union_all: false,
            }
        };
        self.expect_sym("}")?;
        let one_pattern = match &query.unions[..] {
            [single] if !single.returns => match &single.stages[..] {
                [stage] => match &stage.clauses[..] {
                    [Clause::Match(m)] if !m.optional && m.patterns.len() == 1 => Some(m),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some(m) = one_pattern.filter(|m| m.patterns[0].search == PathSearch::All) else {
            return Ok(Expr::Subquery {
                count,
                query: Box::new(query),
                pos,
            });
        };
        if !count && m.filter.is_none() && m.patterns[0].path_var.is_none() {
            // A pattern predicate: its search stops at the first match.
            return Ok(Expr::Exists(Box::new(m.patterns[0].chain.clone()), true));
        }
        let matches = Expr::PatternComprehension {
            pattern: Box::new(m.patterns[0].clone()),
            filter: m.filter.clone().map(Box::new),
            map: Box::new(Expr::Literal(Value::Int(1))),
        };
        let size = Expr::Call {
            name: "size".to_string(),
            distinct: false,
            star: false,
            args: vec![matches],
            pos,
        };
        if count {
            return Ok(size);
        }
        Ok(Expr::Compare(
            Cmp::Gt,
            Box::new(size),
            Box::new(Expr::Literal(Value::Int(0))),
        ))
    }

    /// What a name just read begins: `true`, `false`, `null`, a list predicate
    /// (`all(x IN ...)`), a function call, or a variable.
    fn word(&mut self, name: String, quoted: bool, pos: Pos) -> Result<Expr, QueryError> {
        let lower = name.to_ascii_lowercase();
        if quoted {
            return Ok(Expr::Var(name, pos));
        }
        match lower.as_str() {
            "true" => return Ok(Expr::Literal(Value::Bool(true))),
            "false" => return Ok(Expr::Literal(Value::Bool(false))),
            "null" => return Ok(Expr::Literal(Value::Null)),
            "exists" | "count" if self.is_sym("{") => {
                self.bump();
                return self.subquery_expr(lower == "count", pos);
            }
            "reduce" if self.is_sym("(") => {
                return Err(QueryError::at(
                    pos,
                    "reduce() is not supported: fold the list with UNWIND and an aggregate, \
                     e.g. UNWIND list AS x WITH sum(x) AS total",
                ));
            }
            "all" | "any" | "none" | "single" if self.is_sym("(") && self.is_kw_at(2, "IN") => {
                return self.list_predicate(&lower);
            }
            _ => {}
        }
        // A function in a namespace: `kg.pagerank(n)`.
        let mut name = name;
        if self.is_sym(".")
            && matches!(self.peek_at(1), Tok::Ident { quoted: false, .. })
            && matches!(self.peek_at(2), Tok::Sym("("))
        {
            self.bump();
            let (part, _) = self.name("a function name")?;
            name = format!("{name}.{part}");
        }
        if !self.eat_sym("(") {
            return Ok(Expr::Var(name, pos));
        }
        let distinct = self.eat_kw("DISTINCT");
        let star = self.eat_sym("*");
        let args = if star {
            Vec::new()
        } else {
            self.comma_separated(")")?
        };
        self.expect_sym(")")?;
        Ok(Expr::Call {
            name,
            distinct,
            star,
            args,
            pos,
        })
    }

    /// `all(x IN list WHERE p)`, and `any`, `none`, `single`, from the `(`.
    fn list_predicate(&mut self, quantifier: &str) -> Result<Expr, QueryError> {
        self.bump();
        let (var, _) = self.name("a variable")?;
        self.bump();
        let list = Box::new(self.expr()?);
        self.expect_kw("WHERE")?;
        let predicate = Box::new(self.expr()?);
        self.expect_sym(")")?;
        let quantifier = match quantifier {
            "all" => Quantifier::All,
            "any" => Quantifier::Any,
            "none" => Quantifier::None,
            _ => Quantifier::Single,
        };
        Ok(Expr::ListPredicate {
            quantifier,
            var,
            list,
            predicate,
        })
    }
}
