//! Hints for a query that found nothing: a name compared to a text that is no entity's
//! name, but an alias of one or a name in another case, is most likely a slip. The
//! answer stays standard Cypher; the hint is told beside it.

use super::ast::{Chain, Cmp, Expr, Query};
use super::value::{Params, Value};
use crate::model::name_key;
use crate::store::{Lookup, Store};

/// For each text the query compares `name` to that names no entity exactly but
/// resolves (as an alias, or in another case), a note naming the likely entity.
pub fn name_hints(store: &Store, query: &Query, params: &Params) -> Vec<String> {
    let mut texts = Vec::new();
    for clause in &query.matches {
        for pattern in &clause.patterns {
            chain_texts(&pattern.chain, params, &mut texts);
        }
        if let Some(filter) = &clause.filter {
            expr_texts(filter, params, &mut texts);
        }
    }
    texts.dedup();
    texts
        .into_iter()
        .filter_map(|text| hint(store, &text))
        .collect()
}

fn hint(store: &Store, text: &str) -> Option<String> {
    if store.by_name(text).is_some_and(|id| store.name(id) == text) {
        return None;
    }
    match store.lookup(text) {
        Lookup::Found(id) if name_key(store.name(id)) == name_key(text) => Some(format!(
            "'{text}' differs from the name '{}' only in case (names in Cypher compare exactly)",
            store.name(id)
        )),
        Lookup::Found(id) => Some(format!(
            "'{text}' is not a name but an alias of '{}': compare n.name = '{}', or test '{text}' IN n.aliases",
            store.name(id),
            store.name(id)
        )),
        Lookup::Ambiguous(ids) => {
            let names: Vec<&str> = ids.iter().map(|&id| store.name(id)).collect();
            Some(format!(
                "'{text}' is not a name but an alias of {}",
                names.join(", ")
            ))
        }
        Lookup::Missing => None,
    }
}

/// The texts a chain's property maps give `name`: `(n {name: 'Moscow'})`.
fn chain_texts(chain: &Chain, params: &Params, out: &mut Vec<String>) {
    for node in &chain.nodes {
        for (key, value) in &node.props {
            if key == "name" {
                out.extend(text_of(value, params));
            }
            expr_texts(value, params, out);
        }
    }
}

/// The texts compared to a `name` property in `e`: `n.name = 'X'`, `'X' = n.name`,
/// `n.name IN ['X', 'Y']`, anywhere in the expression.
fn expr_texts(e: &Expr, params: &Params, out: &mut Vec<String>) {
    let is_name = |e: &Expr| matches!(e, Expr::Property(_, key) if key == "name");
    match e {
        Expr::Compare(Cmp::Eq, a, b) => {
            if is_name(a) {
                out.extend(text_of(b, params));
            } else if is_name(b) {
                out.extend(text_of(a, params));
            }
        }
        Expr::In(a, list) if is_name(a) => {
            if let Expr::List(items) = list.as_ref() {
                out.extend(items.iter().filter_map(|i| text_of(i, params)));
            }
        }
        Expr::Not(a) => expr_texts(a, params, out),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Xor(a, b) => {
            expr_texts(a, params, out);
            expr_texts(b, params, out);
        }
        Expr::Exists(chain) => chain_texts(chain, params, out),
        _ => {}
    }
}

/// A string literal or string parameter.
fn text_of(e: &Expr, params: &Params) -> Option<String> {
    match e {
        Expr::Literal(Value::Str(s)) => Some(s.clone()),
        Expr::Param(name, _) => match params.get(name) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}
