//! The limits every stored value keeps: names, aliases, properties and texts, checked
//! before anything is stored and again when a file is loaded.

use super::error::StoreError;
use crate::model::{ENTITY_RESERVED_KEYS, Entity, Kind, MAX_NAME_BYTES, MAX_TEXT_BYTES, name_key};

/// Validates a name against the documented limits.
pub fn check_name(what: &str, name: &str) -> Result<(), StoreError> {
    if name.trim().is_empty() {
        return Err(StoreError::Invalid(format!("{what} name is empty")));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(StoreError::Invalid(format!(
            "{what} name is {} bytes long; the limit is {MAX_NAME_BYTES}",
            name.len()
        )));
    }
    Ok(())
}

/// Validates a property: a key that is a valid name and not one of the `reserved` keys
/// of its owner's own fields, and a non-empty value within the limit.
pub fn check_property(key: &str, value: &str, reserved: &[&str]) -> Result<(), StoreError> {
    check_name("property", key)?;
    if reserved.contains(&key.to_ascii_lowercase().as_str()) {
        return Err(StoreError::Invalid(format!(
            "'{key}' is a reserved key and cannot be a property (reserved: {})",
            reserved.join(", ")
        )));
    }
    if value.is_empty() {
        return Err(StoreError::Invalid(format!(
            "property '{key}' has an empty value"
        )));
    }
    check_text(key, value)
}

/// Validates a text value (a quote, a source, a property value) against the limit.
pub fn check_text(what: &str, text: &str) -> Result<(), StoreError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(StoreError::Invalid(format!(
            "{what} is {} bytes long; the limit is {MAX_TEXT_BYTES}",
            text.len()
        )));
    }
    Ok(())
}

pub(super) fn check_entity(entity: &Entity) -> Result<(), StoreError> {
    if let Kind::Custom(name) = &entity.kind {
        name.parse::<Kind>().map_err(StoreError::Invalid)?;
    }
    check_name("entity", &entity.name)?;
    let mut keys = vec![name_key(&entity.name)];
    for alias in &entity.aliases {
        check_name("alias", alias)?;
        let key = name_key(alias);
        if keys.contains(&key) {
            return Err(StoreError::Invalid(format!(
                "entity '{}': the alias '{alias}' repeats its name or another alias",
                entity.name
            )));
        }
        keys.push(key);
    }
    for (key, value) in &entity.properties {
        check_property(key, value, &ENTITY_RESERVED_KEYS)?;
    }
    if !entity.properties.windows(2).all(|p| p[0].0 < p[1].0) {
        return Err(StoreError::Invalid(format!(
            "entity '{}': properties are not sorted by key",
            entity.name
        )));
    }
    Ok(())
}

/// Refuses a name or alias that reads as an id: `#12` names entity 12 wherever a name is
/// read, so no name may be `#` and digits.
pub fn check_not_id(name: &str) -> Result<(), StoreError> {
    if let Some(digits) = name.trim().strip_prefix('#')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        return Err(StoreError::Invalid(format!(
            "'{}' reads as an id (#ID): a name or alias cannot be # and digits",
            name.trim()
        )));
    }
    Ok(())
}
