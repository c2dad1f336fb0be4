//! Hints for a query that found nothing: a name compared to a text that is no entity's
//! name, but an alias of one or a name in another case, is most likely a slip. The
//! answer stays standard Cypher; the hint is told beside it.

use super::ast::{Chain, Cmp, Expr, Query};
use super::value::{Params, Value};
use crate::model::{Kind, name_key};
use crate::store::{Lookup, Store};

/// For each label and relationship type the query's patterns name that no entity or
/// relation has (a kind or type of the database matches nothing until it is used): a
/// note with the nearest that exists.
pub fn schema_hints(store: &Store, query: &Query) -> Vec<String> {
    let mut notes = Vec::new();
    let kinds: Vec<&str> = Kind::BUILT_IN
        .iter()
        .map(|k| k.as_str())
        .chain(store.kinds().iter().map(|k| k.name.as_str()))
        .collect();
    let types: Vec<&str> = store.types().iter().map(|t| t.name.as_str()).collect();
    let nearest = |name: &str, known: &[&str]| {
        crate::store::nearest(name, known.iter().copied())
            .map(|k| format!(" (did you mean {k}?)"))
            .unwrap_or_default()
    };
    for clause in query.unions.iter().flat_map(|single| single.matches()) {
        for chain in clause.patterns.iter().map(|p| &p.chain) {
            for (label, _) in chain.nodes.iter().flat_map(|n| &n.labels) {
                let known = label.parse::<Kind>().is_ok_and(|k| store.knows_kind(&k));
                let note = format!(
                    "no entity has kind '{label}'{}: labels are entity kinds ({})",
                    nearest(label, &kinds),
                    kinds.join(", ")
                );
                if !known && !notes.contains(&note) {
                    notes.push(note);
                }
            }
            for (rtype, _) in chain.rels.iter().flat_map(|r| &r.types) {
                let note = format!("no relation has type '{rtype}'{}", nearest(rtype, &types));
                if store.find_type(rtype).is_none() && !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    notes
}

/// For each text the query compares `name` to that names no entity exactly but
/// resolves (as an alias, or in another case), a note naming the likely entity.
pub fn name_hints(store: &Store, query: &Query, params: &Params) -> Vec<String> {
    // Each text with the variable it was compared through (`n` in `n.name`), if any.
    let mut texts = Vec::new();
    for clause in query.unions.iter().flat_map(|single| single.matches()) {
        for pattern in &clause.patterns {
            chain_texts(&pattern.chain, params, &mut texts);
        }
        if let Some(filter) = &clause.filter {
            expr_texts(filter, params, &mut texts);
        }
    }
    let stages = query.unions.iter().flat_map(|single| &single.stages);
    for filter in stages.filter_map(|stage| stage.filter.as_ref()) {
        expr_texts(filter, params, &mut texts);
    }
    texts.dedup();
    texts
        .into_iter()
        .filter_map(|(text, var)| hint(store, &text, var.as_deref().unwrap_or("n")))
        .collect()
}

fn hint(store: &Store, text: &str, var: &str) -> Option<String> {
    if store.by_name(text).is_some_and(|id| store.name(id) == text) {
        return None;
    }
    match store.lookup(text) {
        Lookup::Found(id) if name_key(store.name(id)) == name_key(text) => {
            let name = store.name(id);
            let how = if text.to_lowercase() == name.to_lowercase() {
                "only in case"
            } else if text.trim().to_lowercase() == name.to_lowercase() {
                "in the spaces around it"
            } else {
                "in Unicode form (composed or decomposed letters)"
            };
            Some(format!(
                "'{text}' differs from the name '{name}' {how} (names in Cypher compare exactly): compare {var}.name = '{name}'"
            ))
        }
        Lookup::Found(id) => Some(format!(
            "'{text}' is not a name but an alias of '{}': compare {var}.name = '{}', or test '{text}' IN {var}.aliases",
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
fn chain_texts(chain: &Chain, params: &Params, out: &mut Vec<(String, Option<String>)>) {
    for node in &chain.nodes {
        for (key, value) in &node.props {
            if key == "name" {
                out.extend(text_of(value, params).map(|t| (t, node.var.clone())));
            }
            expr_texts(value, params, out);
        }
    }
}

/// The texts compared to a `name` property in `e`: `n.name = 'X'`, `'X' = n.name`,
/// `n.name IN ['X', 'Y']`, anywhere in the expression.
fn expr_texts(e: &Expr, params: &Params, out: &mut Vec<(String, Option<String>)>) {
    // The variable of a `name` property (`n` of `n.name`), when it is one.
    let name_of = |e: &Expr| match e {
        Expr::Property(of, key) if key == "name" => Some(match of.as_ref() {
            Expr::Var(v, _) => Some(v.clone()),
            _ => None,
        }),
        _ => None,
    };
    match e {
        Expr::Compare(Cmp::Eq, a, b) => {
            if let Some(var) = name_of(a) {
                out.extend(text_of(b, params).map(|t| (t, var)));
            } else if let Some(var) = name_of(b) {
                out.extend(text_of(a, params).map(|t| (t, var)));
            }
        }
        Expr::In(a, list) if name_of(a).is_some() => {
            let var = name_of(a).flatten();
            if let Expr::List(items) = list.as_ref() {
                out.extend(
                    items
                        .iter()
                        .filter_map(|i| text_of(i, params).map(|t| (t, var.clone()))),
                );
            }
        }
        Expr::Not(a) => expr_texts(a, params, out),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Xor(a, b) => {
            expr_texts(a, params, out);
            expr_texts(b, params, out);
        }
        Expr::Exists(chain, _) => chain_texts(chain, params, out),
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
