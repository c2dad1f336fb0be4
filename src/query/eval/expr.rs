//! Expressions: a value of each on a row, with openCypher's three-valued logic (null
//! is neither true nor false, and propagates through comparisons and arithmetic).

use super::Evaluator;
use super::Row;
use crate::query::ast::*;
use crate::query::error::QueryError;
use crate::query::plan::kind_of_label;
use crate::query::value::{Value, float_text};

impl Evaluator<'_> {
    /// Evaluates `e` on `row`; `group` holds the values of the aggregates, by id, when
    /// a group's are computed.
    pub(crate) fn eval(
        &self,
        e: &Expr,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Value, QueryError> {
        Ok(match e {
            Expr::Literal(v) => v.clone(),
            Expr::Param(name, pos) => self.params.get(name).cloned().ok_or_else(|| {
                QueryError::at(
                    *pos,
                    format!("parameter ${name} is not given (use --param {name}=VALUE)"),
                )
            })?,
            Expr::Var(name, pos) => {
                let slot = self.slots.index.get(name).ok_or_else(|| {
                    QueryError::at(*pos, format!("variable `{name}` is not defined"))
                })?;
                row.get(*slot).cloned().unwrap_or(Value::Null)
            }
            Expr::Property(inner, key) => match self.eval(inner, row, group)? {
                Value::Null => Value::Null,
                Value::Node(id) => self.node_property(id, key).map_err(|e| placed(e, inner))?,
                Value::Rel(id) => self.rel_property(id, key).map_err(|e| placed(e, inner))?,
                Value::Map(entries) => Value::get(&entries, key),
                other => {
                    let error = QueryError::new(format!(
                        "cannot read property '{key}' of {}",
                        other.type_name()
                    ));
                    return Err(placed(error, inner));
                }
            },
            Expr::Case {
                subject,
                branches,
                otherwise,
            } => {
                let subject = match subject {
                    Some(s) => Some(self.eval(s, row, group)?),
                    None => None,
                };
                for (when, then) in branches {
                    let when = self.eval(when, row, group)?;
                    let taken = match &subject {
                        Some(s) => s.equals(&when) == Some(true),
                        None => when == Value::Bool(true),
                    };
                    if taken {
                        return self.eval(then, row, group);
                    }
                }
                match otherwise {
                    Some(e) => self.eval(e, row, group)?,
                    None => Value::Null,
                }
            }
            Expr::Map(entries) => Value::map(
                entries
                    .iter()
                    .map(|(k, e)| Ok((k.clone(), self.eval(e, row, group)?)))
                    .collect::<Result<Vec<_>, QueryError>>()?,
            ),
            Expr::MapProjection(base_expr, items) => {
                let base = self.eval(base_expr, row, group)?;
                if base.is_null() {
                    return Ok(Value::Null);
                }
                if !matches!(base, Value::Node(_) | Value::Rel(_) | Value::Map(_)) {
                    return Err(QueryError::new(format!(
                        "a map projection takes a node, a relationship or a map, not {}",
                        base.type_name()
                    )));
                }
                let properties = self
                    .properties_of(&base)
                    .map_err(|e| placed(e, base_expr))?;
                let mut entries = Vec::new();
                for item in items {
                    match item {
                        MapItem::Property(key) => {
                            let value = match &base {
                                Value::Node(id) => self.node_property(*id, key)?,
                                Value::Rel(id) => self.rel_property(*id, key)?,
                                _ => Value::get(&properties, key),
                            };
                            entries.push((key.clone(), value));
                        }
                        MapItem::AllProperties => entries.extend(properties.iter().cloned()),
                        MapItem::Entry(key, e) => {
                            entries.push((key.clone(), self.eval(e, row, group)?));
                        }
                    }
                }
                Value::map(entries)
            }
            Expr::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| self.eval(i, row, group))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Index(list, index) => {
                match (self.eval(list, row, group)?, self.eval(index, row, group)?) {
                    (Value::List(items), Value::Int(i)) => {
                        let len = items.len() as i64;
                        let at = if i < 0 { len + i } else { i };
                        if (0..len).contains(&at) {
                            items[at as usize].clone()
                        } else {
                            Value::Null
                        }
                    }
                    (Value::Null, _) | (_, Value::Null) => Value::Null,
                    (Value::Map(entries), Value::Str(key)) => Value::get(&entries, &key),
                    (Value::Node(id), Value::Str(key)) => {
                        self.node_property(id, &key).map_err(|e| placed(e, list))?
                    }
                    (Value::Rel(id), Value::Str(key)) => {
                        self.rel_property(id, &key).map_err(|e| placed(e, list))?
                    }
                    (l, i) => {
                        return Err(QueryError::new(format!(
                            "cannot index {} with {}",
                            l.type_name(),
                            i.type_name()
                        )));
                    }
                }
            }
            Expr::Slice(list, from, to) => {
                let list = self.eval(list, row, group)?;
                let bound = |e: &Option<Box<Expr>>| -> Result<Option<Option<i64>>, QueryError> {
                    match e {
                        None => Ok(Some(None)),
                        Some(e) => match self.eval(e, row, group)? {
                            Value::Null => Ok(None),
                            Value::Int(i) => Ok(Some(Some(i))),
                            other => Err(QueryError::new(format!(
                                "a list slice takes integers, not {}",
                                other.type_name()
                            ))),
                        },
                    }
                };
                let (Some(from), Some(to)) = (bound(from)?, bound(to)?) else {
                    return Ok(Value::Null);
                };
                match list {
                    Value::Null => Value::Null,
                    Value::List(items) => {
                        let len = items.len() as i64;
                        let at = |i: i64| (if i < 0 { len + i } else { i }).clamp(0, len) as usize;
                        let (a, b) = (at(from.unwrap_or(0)), at(to.unwrap_or(len)));
                        Value::List(if a < b {
                            items[a..b].to_vec()
                        } else {
                            Vec::new()
                        })
                    }
                    other => {
                        return Err(QueryError::new(format!(
                            "cannot slice {}",
                            other.type_name()
                        )));
                    }
                }
            }
            Expr::Not(a) => tri(truth_of(&self.eval(a, row, group)?)?.map(|b| !b)),
            Expr::And(a, b) => {
                let x = truth_of(&self.eval(a, row, group)?)?;
                if x == Some(false) {
                    return Ok(Value::Bool(false));
                }
                let y = truth_of(&self.eval(b, row, group)?)?;
                tri(match (x, y) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                })
            }
            Expr::Or(a, b) => {
                let x = truth_of(&self.eval(a, row, group)?)?;
                if x == Some(true) {
                    return Ok(Value::Bool(true));
                }
                let y = truth_of(&self.eval(b, row, group)?)?;
                tri(match (x, y) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                })
            }
            Expr::Xor(a, b) => {
                let x = truth_of(&self.eval(a, row, group)?)?;
                let y = truth_of(&self.eval(b, row, group)?)?;
                tri(x.zip(y).map(|(x, y)| x != y))
            }
            Expr::Compare(op, a, b) => {
                let (x, y) = (self.eval(a, row, group)?, self.eval(b, row, group)?);
                tri(match op {
                    Cmp::Eq => x.equals(&y),
                    Cmp::Ne => x.equals(&y).map(|b| !b),
                    _ => x.compare(&y, *op),
                })
            }
            Expr::In(a, b) => {
                let x = self.eval(a, row, group)?;
                match self.eval(b, row, group)? {
                    Value::Null => Value::Null,
                    Value::List(items) => {
                        let mut result = Some(false);
                        for item in &items {
                            match x.equals(item) {
                                Some(true) => return Ok(Value::Bool(true)),
                                None => result = None,
                                Some(false) => {}
                            }
                        }
                        tri(result)
                    }
                    other => {
                        return Err(QueryError::new(format!(
                            "IN needs a list on its right, not {}",
                            other.type_name()
                        )));
                    }
                }
            }
            Expr::Str(op, a, b) => match (
                date_as_text(self.eval(a, row, group)?),
                date_as_text(self.eval(b, row, group)?),
            ) {
                (Value::Str(s), Value::Str(t)) => Value::Bool(match op {
                    StringOp::StartsWith => s.starts_with(&t),
                    StringOp::EndsWith => s.ends_with(&t),
                    StringOp::Contains => s.contains(&t),
                }),
                _ => Value::Null,
            },
            Expr::IsNull(a, negated) => {
                Value::Bool(self.eval(a, row, group)?.is_null() != *negated)
            }
            Expr::Arith(op, a, b) => {
                arith(*op, self.eval(a, row, group)?, self.eval(b, row, group)?)
                    .map_err(|error| placed(error, a))?
            }
            Expr::Negate(a) => match self.eval(a, row, group)? {
                Value::Int(i) => Value::Int(
                    i.checked_neg()
                        .ok_or_else(|| QueryError::new("integer overflow"))?,
                ),
                Value::Float(f) => Value::Float(-f),
                Value::Null => Value::Null,
                other => {
                    return Err(QueryError::new(format!(
                        "cannot negate {}",
                        other.type_name()
                    )));
                }
            },
            Expr::Aggregate(id) => group
                .and_then(|computed| computed.get(*id))
                .cloned()
                .ok_or_else(|| QueryError::new("an aggregate cannot be computed here"))?,
            Expr::Call { name, pos, .. } if e.is_aggregate_call() => {
                let message = match group {
                    Some(_) => format!("{name}() cannot be computed here"),
                    None => format!(
                        "{name}() aggregates, so it may only appear in the items of RETURN or WITH"
                    ),
                };
                return Err(QueryError::at(*pos, message));
            }
            Expr::Call {
                name, args, pos, ..
            } => self.call(name, args, *pos, row, group)?,
            Expr::Exists(chain, _) => Value::Bool(self.exists(chain, row)?),
            Expr::Predicate(id) => Value::Bool(self.holds(*id, row)?),
            Expr::PlannedSubquery(id) => self.subquery(*id, row)?,
            Expr::Subquery { pos, .. } => {
                return Err(QueryError::at(
                    *pos,
                    "a subquery here is not supported (only in MATCH ... WHERE, WITH and RETURN)",
                ));
            }
            Expr::PatternList { id, filter, map } => {
                self.pattern_list(*id, filter.as_deref(), map, row, group)?
            }
            Expr::PatternComprehension { .. } => {
                return Err(QueryError::new(
                    "a pattern comprehension here is not supported (inside a pattern's property map)",
                ));
            }
            Expr::Comprehension {
                var,
                list,
                filter,
                map,
            } => {
                if self.eval(list, row, group)?.is_null() {
                    return Ok(Value::Null);
                }
                let mut out = Vec::new();
                for (inner, item) in self.each_item(var, list, row, group)? {
                    if let Some(f) = filter
                        && truth_of(&self.eval(f, &inner, group)?)? != Some(true)
                    {
                        continue;
                    }
                    out.push(match map {
                        Some(m) => self.eval(m, &inner, group)?,
                        None => item,
                    });
                }
                Value::List(out)
            }
            Expr::ListPredicate {
                quantifier,
                var,
                list,
                predicate,
            } => {
                let mut answers = Vec::new();
                for (inner, _) in self.each_item(var, list, row, group)? {
                    answers.push(truth_of(&self.eval(predicate, &inner, group)?)?);
                }
                let trues = answers.iter().filter(|a| **a == Some(true)).count();
                let nulls = answers.iter().filter(|a| a.is_none()).count();
                if matches!(self.eval(list, row, group)?, Value::Null) {
                    Value::Null
                } else {
                    tri(match quantifier {
                        Quantifier::All if trues == answers.len() => Some(true),
                        Quantifier::All if trues + nulls == answers.len() => None,
                        Quantifier::All => Some(false),
                        Quantifier::Any if trues > 0 => Some(true),
                        Quantifier::Any if nulls > 0 => None,
                        Quantifier::Any => Some(false),
                        Quantifier::None if trues > 0 => Some(false),
                        Quantifier::None if nulls > 0 => None,
                        Quantifier::None => Some(true),
                        Quantifier::Single if nulls > 0 && trues <= 1 => None,
                        Quantifier::Single => Some(trues == 1),
                    })
                }
            }
            Expr::HasLabels(a, labels) => match self.eval(a, row, group)? {
                Value::Null => Value::Null,
                Value::Node(id) => {
                    let kind = self.entity_kind(id).map_err(|e| placed(e, a))?;
                    let mut all = true;
                    for (label, pos) in labels {
                        all &= kind_of_label(self.store, label, *pos)?.as_str() == kind;
                    }
                    Value::Bool(all)
                }
                other => {
                    return Err(QueryError::new(format!(
                        "labels belong to nodes, not {}",
                        other.type_name()
                    )));
                }
            },
        })
    }

    /// The rows a list comprehension evaluates its parts on: `row` with `var` bound to
    /// each item of `list` in turn (none for a null list).
    fn each_item(
        &self,
        var: &str,
        list: &Expr,
        row: &Row,
        group: Option<&[Value]>,
    ) -> Result<Vec<(Row, Value)>, QueryError> {
        let slot = *self
            .slots
            .index
            .get(var)
            .ok_or_else(|| QueryError::new(format!("`{var}` cannot be introduced here")))?;
        let items = match self.eval(list, row, group)? {
            Value::List(items) => items,
            Value::Null => Vec::new(),
            other => {
                return Err(QueryError::new(format!(
                    "`{var} IN ...` needs a list, not {}",
                    other.type_name()
                )));
            }
        };
        Ok(items
            .into_iter()
            .map(|item| {
                let mut inner = row.clone();
                inner[slot] = item.clone();
                (inner, item)
            })
            .collect())
    }
}

pub(crate) fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

pub(crate) fn truth_of(v: &Value) -> Result<Option<bool>, QueryError> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(QueryError::new(format!(
            "expected a boolean, found {}",
            other.type_name()
        ))),
    }
}

pub(crate) fn tri(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

pub(crate) fn arith(op: Arith, a: Value, b: Value) -> Result<Value, QueryError> {
    let overflow = || QueryError::new("integer overflow");
    Ok(match (op, a, b) {
        (_, Value::Null, _) | (_, _, Value::Null) => Value::Null,
        (Arith::Add, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_add(y).ok_or_else(overflow)?)
        }
        (Arith::Sub, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_sub(y).ok_or_else(overflow)?)
        }
        (Arith::Mul, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_mul(y).ok_or_else(overflow)?)
        }
        (
            Arith::Pow,
            a @ (Value::Int(_) | Value::Float(_)),
            b @ (Value::Int(_) | Value::Float(_)),
        ) => Value::Float(a.number().unwrap_or(0.0).powf(b.number().unwrap_or(0.0))),
        (Arith::Div | Arith::Mod, Value::Int(_), Value::Int(0)) => {
            return Err(QueryError::new("division by zero"));
        }
        (Arith::Div, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_div(y).ok_or_else(overflow)?)
        }
        (Arith::Mod, Value::Int(x), Value::Int(y)) => {
            Value::Int(x.checked_rem(y).ok_or_else(overflow)?)
        }
        (op, a @ (Value::Int(_) | Value::Float(_)), b @ (Value::Int(_) | Value::Float(_))) => {
            let (x, y) = (a.number().unwrap_or(0.0), b.number().unwrap_or(0.0));
            Value::Float(match op {
                Arith::Add => x + y,
                Arith::Sub => x - y,
                Arith::Mul => x * y,
                Arith::Div => x / y,
                Arith::Mod => x % y,
                Arith::Pow => x.powf(y),
            })
        }
        (Arith::Add, Value::Str(x), Value::Str(y)) => Value::Str(x + &y),
        (Arith::Add, Value::Str(x), y @ (Value::Int(_) | Value::Float(_))) => {
            Value::Str(x + &text_of_number(&y))
        }
        (Arith::Add, x @ (Value::Int(_) | Value::Float(_)), Value::Str(y)) => {
            Value::Str(text_of_number(&x) + &y)
        }
        (Arith::Add, Value::List(mut x), Value::List(y)) => {
            x.extend(y);
            Value::List(x)
        }
        (Arith::Add, Value::List(mut x), y) => {
            x.push(y);
            Value::List(x)
        }
        (Arith::Add, x, Value::List(mut y)) => {
            y.insert(0, x);
            Value::List(y)
        }
        (op, a, b) => {
            return Err(QueryError::new(format!(
                "cannot apply {} to {} and {}",
                match op {
                    Arith::Add => "+",
                    Arith::Sub => "-",
                    Arith::Mul => "*",
                    Arith::Div => "/",
                    Arith::Mod => "%",
                    Arith::Pow => "^",
                },
                a.type_name(),
                b.type_name()
            )));
        }
    })
}

fn text_of_number(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        _ => String::new(),
    }
}

/// A date as its written text (`2025-02`, `..2025-06-29`), for the string operators:
/// `r.date STARTS WITH '2025-02'` reads the date as written.
fn date_as_text(v: Value) -> Value {
    match v {
        Value::Date(d) => Value::Str(d.to_string()),
        v => v,
    }
}

/// `error` placed where `at` begins when it has no place yet.
fn placed(error: QueryError, at: &Expr) -> QueryError {
    match first_place(at) {
        Some(pos) => error.at_if_unplaced(pos),
        None => error,
    }
}

/// Where `e` begins, as far as the syntax tree keeps it: its first variable,
/// parameter or function call.
fn first_place(e: &Expr) -> Option<crate::query::error::Pos> {
    match e {
        Expr::Var(_, pos) | Expr::Param(_, pos) | Expr::Call { pos, .. } => Some(*pos),
        Expr::Subquery { pos, .. } => Some(*pos),
        e => e.children().into_iter().find_map(first_place),
    }
}
