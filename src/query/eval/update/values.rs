//! Values as kg keeps them: property text, lists of texts, which fields a relation has,
//! and the errors of values of the wrong type.

use crate::model::Relation;
use crate::query::error::QueryError;
use crate::query::value::{Value, float_text};
use crate::store::Store;

/// Whether `key` of `relation` holds nothing.
pub(super) fn rel_field_is_null(store: &Store, relation: &Relation, key: &str) -> bool {
    match key {
        "date" => relation.when.is_undated(),
        "grade" => relation.grade.is_none(),
        "source" => relation.source.is_none(),
        "quote" => relation.quote.is_none(),
        "claimed_by" => relation.claimed_by.is_none(),
        "status" => false,
        _ => !relation
            .properties
            .iter()
            .any(|(k, _)| store.text(*k) == key),
    }
}

/// A property's value as kg keeps it: text (numbers, booleans and dates as written).
pub(super) fn property_text(key: &str, value: &Value) -> Result<String, QueryError> {
    Ok(match value {
        Value::Str(text) => text.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        Value::Bool(b) => b.to_string(),
        Value::Date(span) => span.to_string(),
        other => {
            return Err(QueryError::new(format!(
                "property '{key}' holds text, a number, a boolean or a date, not {}",
                other.type_name()
            )));
        }
    })
}

/// The texts of a list (or one text).
pub(super) fn texts(value: &Value, what: &str) -> Result<Vec<String>, QueryError> {
    match value {
        Value::Str(text) => Ok(vec![text.clone()]),
        Value::List(items) => items
            .iter()
            .map(|item| match item {
                Value::Str(text) => Ok(text.clone()),
                other => Err(not_a(what, "a list of texts", other)),
            })
            .collect(),
        other => Err(not_a(what, "a list of texts", other)),
    }
}

pub(super) fn not_a(key: &str, wanted: &str, got: &Value) -> QueryError {
    QueryError::new(format!("{key} takes {wanted}, not {}", got.type_name()))
}

pub(super) fn store_error(e: crate::store::StoreError) -> QueryError {
    QueryError::new(e.to_string())
}
