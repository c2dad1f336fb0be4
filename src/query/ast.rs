//! The syntax tree of a query in the openCypher subset.

use super::error::Pos;
pub use super::value::Cmp;
use super::value::Value;

/// A query: one or more single queries joined by `UNION` (or all by `UNION ALL`).
#[derive(Debug, Clone)]
pub struct Query {
    pub unions: Vec<SingleQuery>,
    /// `UNION ALL`: keep the rows every part gives, duplicates too.
    pub union_all: bool,
}

/// A query without `UNION`: stages piped by `WITH`, the last ending in `RETURN` (or,
/// when it changes the graph, in its last updating clause).
#[derive(Debug, Clone)]
pub struct SingleQuery {
    pub stages: Vec<Stage>,
    /// Whether the query ends in `RETURN` (one that only writes need not).
    pub returns: bool,
}

impl SingleQuery {
    /// The first clause that changes the graph, if any.
    pub fn first_update(&self) -> Option<&Clause> {
        self.stages
            .iter()
            .flat_map(|s| &s.clauses)
            .find(|c| c.is_update())
    }

    /// Every `MATCH` clause, in order.
    pub fn matches(&self) -> impl Iterator<Item = &Match> {
        self.stages
            .iter()
            .flat_map(|s| &s.clauses)
            .filter_map(|c| match c {
                Clause::Match(m) => Some(m),
                _ => None,
            })
    }
}

/// Reading clauses and the projection that ends them: `WITH` (its rows go on to the
/// next stage) or, last, `RETURN`.
#[derive(Debug, Clone)]
pub struct Stage {
    pub clauses: Vec<Clause>,
    pub projection: Return,
    /// `WITH ... WHERE`: keeps the projected rows where it is true.
    pub filter: Option<Expr>,
}

/// A clause: for each row in, the rows it makes (and, for an updating clause, what it
/// changes in the graph).
#[derive(Debug, Clone)]
pub enum Clause {
    Match(Match),
    /// `UNWIND list AS var`: a row per item.
    Unwind {
        list: Expr,
        var: String,
        pos: Pos,
    },
    /// `CREATE pattern, ...`: new entities and relations (a bound node is used as it is).
    Create {
        patterns: Vec<Pattern>,
        pos: Pos,
    },
    /// `MERGE pattern [ON CREATE SET ...] [ON MATCH SET ...]`: the pattern's matches, or
    /// one made when it has none.
    Merge {
        pattern: Pattern,
        on_create: Vec<SetItem>,
        on_match: Vec<SetItem>,
        pos: Pos,
    },
    /// `SET item, ...`.
    Set {
        items: Vec<SetItem>,
        pos: Pos,
    },
    /// `REMOVE item, ...`.
    Remove {
        items: Vec<RemoveItem>,
        pos: Pos,
    },
    /// `[DETACH] DELETE expr, ...`.
    Delete {
        detach: bool,
        targets: Vec<Expr>,
        pos: Pos,
    },
}

impl Clause {
    /// Whether the clause changes the graph.
    pub fn is_update(&self) -> bool {
        !matches!(self, Clause::Match(_) | Clause::Unwind { .. })
    }

    /// Where an updating clause begins (a reading clause: the start of the query).
    pub fn pos(&self) -> Pos {
        match self {
            Clause::Create { pos, .. }
            | Clause::Merge { pos, .. }
            | Clause::Set { pos, .. }
            | Clause::Remove { pos, .. }
            | Clause::Delete { pos, .. } => *pos,
            Clause::Match(_) | Clause::Unwind { .. } => Pos::default(),
        }
    }

    /// The clause's keyword, as an error or a note names it.
    pub fn keyword(&self) -> &'static str {
        match self {
            Clause::Match(m) if m.optional => "OPTIONAL MATCH",
            Clause::Match(_) => "MATCH",
            Clause::Unwind { .. } => "UNWIND",
            Clause::Create { .. } => "CREATE",
            Clause::Merge { .. } => "MERGE",
            Clause::Set { .. } => "SET",
            Clause::Remove { .. } => "REMOVE",
            Clause::Delete { detach: true, .. } => "DETACH DELETE",
            Clause::Delete { .. } => "DELETE",
        }
    }
}

/// One item of `SET`.
#[derive(Debug, Clone)]
pub enum SetItem {
    /// `n.key = value` (null removes the property).
    Property {
        target: Expr,
        key: String,
        value: Expr,
        pos: Pos,
    },
    /// `n = {map}` (every property the map does not give goes) or `n += {map}`.
    Map {
        var: String,
        value: Expr,
        replace: bool,
        pos: Pos,
    },
    /// `n:label`: the entity's kind becomes `label` (an entity has one kind).
    Label {
        var: String,
        labels: Vec<(String, Pos)>,
    },
}

/// One item of `REMOVE`.
#[derive(Debug, Clone)]
pub enum RemoveItem {
    /// `n.key`.
    Property { target: Expr, key: String, pos: Pos },
    /// `n:label`: the entity's kind, when it is `label`, becomes `other`.
    Label {
        var: String,
        labels: Vec<(String, Pos)>,
    },
}

/// One `MATCH` clause: its comma-separated patterns and its `WHERE`.
#[derive(Debug, Clone)]
pub struct Match {
    /// `OPTIONAL MATCH`: a row that matches nothing goes on with nulls.
    pub optional: bool,
    pub patterns: Vec<Pattern>,
    pub filter: Option<Expr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSearch {
    /// Every match of the pattern.
    All,
    /// `shortestPath(...)`: one shortest match per pair of ends.
    Shortest,
    /// `allShortestPaths(...)`: every shortest match per pair of ends.
    AllShortest,
}

/// A pattern: `[p =] [shortestPath(] (a)-[r]->(b)... [)]`.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub path_var: Option<String>,
    pub search: PathSearch,
    pub chain: Chain,
    pub pos: Pos,
}

/// Nodes joined by relationships: `nodes.len() == rels.len() + 1`.
#[derive(Debug, Clone)]
pub struct Chain {
    pub nodes: Vec<NodePattern>,
    pub rels: Vec<RelPattern>,
}

impl Chain {
    /// The variables its nodes and relationships name, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        let nodes = self.nodes.iter().filter_map(|n| n.var.as_deref());
        nodes.chain(self.rels.iter().filter_map(|r| r.var.as_deref()))
    }

    /// The variables that comprehensions in the chain's property maps introduce.
    pub fn local_variables(&self, out: &mut Vec<String>) {
        let maps = self
            .nodes
            .iter()
            .flat_map(|n| &n.props)
            .chain(self.rels.iter().flat_map(|r| &r.props));
        for (_, e) in maps {
            e.local_variables(out);
        }
    }
}

#[derive(Debug, Clone)]
pub struct NodePattern {
    pub var: Option<String>,
    /// Labels (entity kinds), all required.
    pub labels: Vec<(String, Pos)>,
    pub props: Vec<(String, Expr)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `-[]->`: from the left node to the right one, as stored.
    Right,
    /// `<-[]-`.
    Left,
    /// `-[]-`: either way.
    Either,
}

#[derive(Debug, Clone)]
pub struct RelPattern {
    pub var: Option<String>,
    /// Any of these types (empty: any type).
    pub types: Vec<(String, Pos)>,
    pub props: Vec<(String, Expr)>,
    pub direction: Direction,
    /// `*min..max` for a variable-length relationship (`max` None: unbounded).
    pub length: Option<(u32, Option<u32>)>,
}

/// The most relationships a variable-length pattern walks when it gives no upper
/// bound (`*`, `*2..`): trails grow exponentially with their length, and an analyst's
/// question rarely needs more. `*..N` sets another bound; `shortestPath` is not bounded.
pub const DEFAULT_MAX_LENGTH: u32 = 10;

impl RelPattern {
    /// The lengths a walk of this relationship takes: one relationship, or the range
    /// of a variable-length one, [`DEFAULT_MAX_LENGTH`] at most when it is unbounded.
    pub fn walk_range(&self) -> (u32, u32) {
        match self.length {
            None => (1, 1),
            Some((min, max)) => (min, max.unwrap_or(DEFAULT_MAX_LENGTH.max(min))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    /// `^`: always a float.
    Pow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringOp {
    StartsWith,
    EndsWith,
    Contains,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Literal(Value),
    Param(String, Pos),
    Var(String, Pos),
    Property(Box<Expr>, String),
    List(Vec<Expr>),
    /// `CASE [subject] WHEN a THEN b ... [ELSE c] END`: with a subject, the first branch
    /// whose `a` equals it; without, the first whose `a` is true; else `c` (or null).
    Case {
        subject: Option<Box<Expr>>,
        branches: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    /// `{key: value, ...}`.
    Map(Vec<(String, Expr)>),
    /// `n {.name, .*, key: value, var}`: a map of a node's, relationship's or map's
    /// properties and other entries.
    MapProjection(Box<Expr>, Vec<MapItem>),
    Index(Box<Expr>, Box<Expr>),
    /// `list[from..to]`: the items from `from` up to (not including) `to`.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Xor(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    Str(StringOp, Box<Expr>, Box<Expr>),
    IsNull(Box<Expr>, bool),
    Arith(Arith, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
    /// A function call; `count(*)` has `star`.
    Call {
        name: String,
        distinct: bool,
        star: bool,
        args: Vec<Expr>,
        pos: Pos,
    },
    /// A pattern used as a predicate: true when it has a match. `true` for the pattern
    /// of `EXISTS { }`, which may name variables of its own (a bare pattern predicate
    /// may not).
    Exists(Box<Chain>, bool),
    /// `[(a)-[:t]->(b) WHERE filter | map]`: `map` for each match of the pattern.
    PatternComprehension {
        pattern: Box<Pattern>,
        filter: Option<Box<Expr>>,
        map: Box<Expr>,
    },
    /// A pattern comprehension planned once, by the id the planner gave its pattern
    /// (in place of an [`Expr::PatternComprehension`]).
    PatternList {
        id: usize,
        filter: Option<Box<Expr>>,
        map: Box<Expr>,
    },
    /// `n:label`: whether a node has all these labels (kinds).
    HasLabels(Box<Expr>, Vec<(String, Pos)>),
    /// `[x IN list WHERE filter | map]`.
    Comprehension {
        var: String,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
        map: Option<Box<Expr>>,
    },
    /// `all(x IN list WHERE p)`, and `any`, `none`, `single`.
    ListPredicate {
        quantifier: Quantifier,
        var: String,
        list: Box<Expr>,
        predicate: Box<Expr>,
    },
    /// The value of an aggregate call in its group, by the id the planner gave the
    /// call (the parser never makes one: the planner puts it in place of the call).
    Aggregate(usize),
    /// A pattern predicate planned once, by the id the planner gave it (in place of an
    /// [`Expr::Exists`]).
    Predicate(usize),
    /// `EXISTS { query }` or `COUNT { query }`: whether the query, run with the
    /// variables in scope, gives a row, or how many it gives.
    Subquery {
        count: bool,
        query: Box<Query>,
        pos: Pos,
    },
    /// A subquery planned once, by the id the planner gave it (in place of an
    /// [`Expr::Subquery`]).
    PlannedSubquery(usize),
}

/// An entry of a map projection.
#[derive(Debug, Clone)]
pub enum MapItem {
    /// `.key`: the property of that name.
    Property(String),
    /// `.*`: every property.
    AllProperties,
    /// `key: value`, or `var` (its name as the key).
    Entry(String, Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    All,
    Any,
    None,
    Single,
}

/// The aggregating functions.
pub const AGGREGATES: [&str; 6] = ["count", "min", "max", "collect", "sum", "avg"];

/// The other functions (lower case), as `eval/functions.rs` computes them.
pub const FUNCTIONS: [&str; 43] = [
    "abs",
    "after",
    "before",
    "ceil",
    "coalesce",
    "date",
    "endnode",
    "exists",
    "floor",
    "head",
    "id",
    "keys",
    "labels",
    "last",
    "left",
    "length",
    "nodes",
    "overlaps",
    "properties",
    "rand",
    "range",
    "relationships",
    "rels",
    "replace",
    "reverse",
    "right",
    "round",
    "sign",
    "size",
    "split",
    "sqrt",
    "startnode",
    "substring",
    "tail",
    "toboolean",
    "tofloat",
    "tointeger",
    "tolower",
    "tostring",
    "toupper",
    "trim",
    "type",
    "within",
];

impl Expr {
    /// The expressions directly inside this one (a pattern predicate's property maps
    /// are not among them).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Call { args, .. } => args.iter().collect(),
            Expr::List(items) => items.iter().collect(),
            Expr::Map(entries) => entries.iter().map(|(_, e)| e).collect(),
            Expr::Slice(list, from, to) => std::iter::once(&**list)
                .chain(from.as_deref())
                .chain(to.as_deref())
                .collect(),
            Expr::MapProjection(base, items) => std::iter::once(&**base)
                .chain(items.iter().filter_map(|i| match i {
                    MapItem::Entry(_, e) => Some(e),
                    _ => None,
                }))
                .collect(),
            Expr::Case {
                subject,
                branches,
                otherwise,
            } => subject
                .as_deref()
                .into_iter()
                .chain(branches.iter().flat_map(|(a, b)| [a, b]))
                .chain(otherwise.as_deref())
                .collect(),
            Expr::Property(e, _)
            | Expr::Not(e)
            | Expr::IsNull(e, _)
            | Expr::Negate(e)
            | Expr::HasLabels(e, _) => vec![e],
            Expr::Index(a, b)
            | Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Xor(a, b)
            | Expr::Compare(_, a, b)
            | Expr::In(a, b)
            | Expr::Str(_, a, b)
            | Expr::Arith(_, a, b) => vec![a, b],
            Expr::PatternComprehension { filter, map, .. }
            | Expr::PatternList { filter, map, .. } => filter
                .as_deref()
                .into_iter()
                .chain(std::iter::once(&**map))
                .collect(),
            Expr::Comprehension {
                list, filter, map, ..
            } => std::iter::once(&**list)
                .chain(filter.as_deref())
                .chain(map.as_deref())
                .collect(),
            Expr::ListPredicate {
                list, predicate, ..
            } => vec![list, predicate],
            Expr::Literal(_)
            | Expr::Param(..)
            | Expr::Var(..)
            | Expr::Exists(..)
            | Expr::Aggregate(_)
            | Expr::Predicate(_)
            | Expr::Subquery { .. }
            | Expr::PlannedSubquery(_) => Vec::new(),
        }
    }

    /// The expressions directly inside this one, to change in place.
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        match self {
            Expr::Call { args, .. } => args.iter_mut().collect(),
            Expr::List(items) => items.iter_mut().collect(),
            Expr::Map(entries) => entries.iter_mut().map(|(_, e)| e).collect(),
            Expr::Slice(list, from, to) => std::iter::once(&mut **list)
                .chain(from.as_deref_mut())
                .chain(to.as_deref_mut())
                .collect(),
            Expr::MapProjection(base, items) => std::iter::once(&mut **base)
                .chain(items.iter_mut().filter_map(|i| match i {
                    MapItem::Entry(_, e) => Some(e),
                    _ => None,
                }))
                .collect(),
            Expr::Case {
                subject,
                branches,
                otherwise,
            } => subject
                .as_deref_mut()
                .into_iter()
                .chain(branches.iter_mut().flat_map(|(a, b)| [a, b]))
                .chain(otherwise.as_deref_mut())
                .collect(),
            Expr::Property(e, _)
            | Expr::Not(e)
            | Expr::IsNull(e, _)
            | Expr::Negate(e)
            | Expr::HasLabels(e, _) => vec![e],
            Expr::Index(a, b)
            | Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Xor(a, b)
            | Expr::Compare(_, a, b)
            | Expr::In(a, b)
            | Expr::Str(_, a, b)
            | Expr::Arith(_, a, b) => vec![a, b],
            Expr::PatternComprehension { filter, map, .. }
            | Expr::PatternList { filter, map, .. } => filter
                .as_deref_mut()
                .into_iter()
                .chain(std::iter::once(&mut **map))
                .collect(),
            Expr::Comprehension {
                list, filter, map, ..
            } => std::iter::once(&mut **list)
                .chain(filter.as_deref_mut())
                .chain(map.as_deref_mut())
                .collect(),
            Expr::ListPredicate {
                list, predicate, ..
            } => vec![list, predicate],
            Expr::Literal(_)
            | Expr::Param(..)
            | Expr::Var(..)
            | Expr::Exists(..)
            | Expr::Aggregate(_)
            | Expr::Predicate(_)
            | Expr::Subquery { .. }
            | Expr::PlannedSubquery(_) => Vec::new(),
        }
    }

    /// Whether this is a call of an aggregating function.
    pub fn is_aggregate_call(&self) -> bool {
        matches!(self, Expr::Call { name, .. } if AGGREGATES.contains(&name.to_ascii_lowercase().as_str()))
    }

    /// The variables that list comprehensions and list predicates inside introduce.
    pub fn local_variables(&self, out: &mut Vec<String>) {
        match self {
            Expr::Comprehension { var, .. } | Expr::ListPredicate { var, .. } => {
                out.push(var.clone())
            }
            Expr::Exists(chain, _) => chain.local_variables(out),
            _ => {}
        }
        for child in self.children() {
            child.local_variables(out);
        }
    }

    /// Whether an aggregating function appears in the expression.
    pub fn has_aggregate(&self) -> bool {
        self.is_aggregate_call()
            || matches!(self, Expr::Aggregate(_))
            || self.children().into_iter().any(Expr::has_aggregate)
    }
}

#[derive(Debug, Clone)]
pub struct ReturnItem {
    pub expr: Expr,
    /// The column's name: the alias, or the expression as written.
    pub name: String,
    /// Whether the name is an alias (`AS name`).
    pub alias: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Return {
    pub distinct: bool,
    /// `RETURN *`: every named variable, in the order they appear.
    pub star: bool,
    pub items: Vec<ReturnItem>,
    /// Sort keys: the expression, as written, and whether descending.
    pub order: Vec<(Expr, String, bool)>,
    pub skip: Option<Expr>,
    pub limit: Option<Expr>,
}
