//! JSONL sources, as [`crate::export::jsonl`] writes them: one object per line with a
//! `record` of `type`, `entity` or `relation`. Blank lines are skipped; an unknown
//! field is an error (a typo must not silently drop data). Relations may name unknown
//! entities and types, which are created (kind `other`, directed) unless the import is
//! strict.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::batch::{
    Batch, EntityDecl, KindDeclAt, Location, NameRef, ReadOptions, RelationDecl, SourceError,
    TypeDecl, sorted_properties,
};
use crate::model::{Entity, Kind, KindDecl, RelationType, Status, TimeSpan};

/// Parses a JSONL file.
pub fn parse(file: &Arc<str>, text: &str, options: ReadOptions) -> Result<Batch, SourceError> {
    let mut batch = Batch::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let at = Location {
            file: file.clone(),
            line: index + 1,
            column: 0,
        };
        let value: Value = serde_json::from_str(raw).map_err(|e| {
            SourceError::new(
                Location {
                    column: e.column(),
                    ..at.clone()
                },
                format!("not a JSON object: {}", strip_position(&e.to_string())),
            )
        })?;
        let Value::Object(object) = value else {
            return Err(SourceError::new(at, "expected a JSON object, one per line"));
        };
        let mut record = Record { object, at };
        match record.text("record")?.as_str() {
            "type" => batch.types.push(record.relation_type()?),
            "kind" => batch.kinds.push(record.kind()?),
            "ids" => batch.id_bounds = Some(record.id_bounds()?),
            "entity" => batch.entities.push(record.entity()?),
            "relation" => batch.relations.push(record.relation(options)?),
            other => {
                return Err(SourceError::new(
                    record.at,
                    format!(
                        "unknown record '{other}': expected ids, type, kind, entity or relation"
                    ),
                ));
            }
        }
    }
    Ok(batch)
}

/// serde_json's message without its " at line 1 column N" (the location says it).
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

struct Record {
    object: Map<String, Value>,
    at: Location,
}

impl Record {
    fn error(&self, message: impl Into<String>) -> SourceError {
        SourceError::new(self.at.clone(), message)
    }

    /// Takes an optional string field (`null` is absent).
    fn optional(&mut self, field: &str) -> Result<Option<String>, SourceError> {
        match self.object.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => {
                Err(self.error(format!("field '{field}': expected a string, found {other}")))
            }
        }
    }

    fn text(&mut self, field: &str) -> Result<String, SourceError> {
        self.optional(field)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.error(format!("field '{field}' is missing")))
    }

    /// The record's `id`, if it gives one: a whole number below 4,294,967,295.
    fn id(&mut self) -> Result<Option<u32>, SourceError> {
        match self.object.remove("id") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|&n| n < u32::MAX - 1)
                .map(Some)
                .ok_or_else(|| self.error(format!("field 'id': {n} is not an id"))),
            Some(other) => Err(self.error(format!(
                "field 'id': expected a whole number, found {other}"
            ))),
        }
    }

    fn flag(&mut self, field: &str) -> Result<bool, SourceError> {
        match self.object.remove(field) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(self.error(format!(
                "field '{field}': expected true or false, found {other}"
            ))),
        }
    }

    fn strings(&mut self, field: &str) -> Result<Vec<String>, SourceError> {
        match self.object.remove(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => {
                        Err(self.error(format!("field '{field}': expected strings, found {other}")))
                    }
                })
                .collect(),
            Some(other) => Err(self.error(format!(
                "field '{field}': expected an array of strings, found {other}"
            ))),
        }
    }

    /// Properties: an object of strings (numbers and booleans are taken as written).
    fn properties(&mut self) -> Result<Vec<(String, String)>, SourceError> {
        let pairs = match self.object.remove("properties") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k, s)),
                    Value::Number(n) => Ok((k, n.to_string())),
                    Value::Bool(b) => Ok((k, b.to_string())),
                    other => {
                        Err(self.error(format!("property '{k}': expected a string, found {other}")))
                    }
                })
                .collect::<Result<_, _>>()?,
            Some(other) => Err(self.error(format!(
                "field 'properties': expected an object, found {other}"
            )))?,
        };
        sorted_properties(pairs).map_err(|e| self.error(e))
    }

    /// Refuses fields nobody read.
    fn finish(&self) -> Result<(), SourceError> {
        match self.object.keys().next() {
            Some(field) => Err(self.error(format!("unknown field '{field}'"))),
            None => Ok(()),
        }
    }

    fn relation_type(&mut self) -> Result<TypeDecl, SourceError> {
        let rtype = RelationType {
            name: self.text("name")?,
            symmetric: self.flag("symmetric")?,
            cameo: self.optional("cameo")?,
            description: self.optional("description")?,
        };
        self.finish()?;
        Ok(TypeDecl {
            at: self.at.clone(),
            rtype,
        })
    }

    /// The `ids` record: the id counters of the database the file came from.
    fn id_bounds(&mut self) -> Result<(u32, u32), SourceError> {
        let mut bound = |field: &str| match self.object.remove(field) {
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("field '{field}': {n} is not an id counter")),
            _ => Err(format!("field '{field}' is missing")),
        };
        let bounds = (bound("entities"), bound("relations"));
        let (Ok(entities), Ok(relations)) = bounds else {
            let (a, b) = bounds;
            return Err(self.error(a.err().or(b.err()).unwrap_or_default()));
        };
        self.finish()?;
        Ok((entities, relations))
    }

    fn kind(&mut self) -> Result<KindDeclAt, SourceError> {
        let name = self.text("name")?;
        match name.parse::<Kind>() {
            Ok(Kind::Custom(name)) => {
                let decl = KindDecl {
                    name: name.to_string(),
                    shape: self.optional("shape")?,
                    colour: self.optional("colour")?,
                };
                self.finish()?;
                Ok(KindDeclAt {
                    at: self.at.clone(),
                    decl,
                })
            }
            Ok(_) => Err(self.error(format!(
                "'{name}' is a built-in kind: only kinds of the graph's own are declared"
            ))),
            Err(e) => Err(self.error(e)),
        }
    }

    fn entity(&mut self) -> Result<EntityDecl, SourceError> {
        let name = self.text("name")?;
        let kind = self
            .text("kind")?
            .parse()
            .map_err(|e: String| self.error(e))?;
        let mut entity = Entity::new(name, kind);
        for alias in self.strings("aliases")? {
            if !entity.add_alias(alias.clone()) {
                return Err(
                    self.error(format!("alias '{alias}' repeats the name or another alias"))
                );
            }
        }
        entity.properties = self.properties()?;
        let id = self.id()?;
        self.finish()?;
        Ok(EntityDecl {
            at: self.at.clone(),
            creates_kind: true,
            id,
            entity,
        })
    }

    fn relation(&mut self, options: ReadOptions) -> Result<RelationDecl, SourceError> {
        let name = |record: &mut Record, field: &str| -> Result<NameRef, SourceError> {
            Ok(NameRef {
                name: record.text(field)?,
                column: 0,
            })
        };
        let from = name(self, "from")?;
        let rtype = name(self, "type")?;
        let to = name(self, "to")?;
        let when = match self.optional("date")? {
            Some(d) => TimeSpan::parse(&d).map_err(|e| self.error(format!("field 'date': {e}")))?,
            None => TimeSpan::UNDATED,
        };
        let status: Status = match self.optional("status")? {
            Some(s) => s.parse().map_err(|e: String| self.error(e))?,
            None => Status::default(),
        };
        let grade = match self.optional("grade")? {
            Some(g) => Some(g.parse().map_err(|e: String| self.error(e))?),
            None => None,
        };
        let source = self.optional("source")?.map(String::into_boxed_str);
        let quote = self.optional("quote")?.map(String::into_boxed_str);
        let claimed_by = self
            .optional("claimed_by")?
            .map(|c| Box::new(NameRef { name: c, column: 0 }));
        let properties = self.properties()?;
        let id = self.id()?;
        self.finish()?;
        Ok(RelationDecl {
            at: self.at.clone(),
            from,
            rtype,
            to,
            when,
            status,
            grade,
            source,
            quote,
            claimed_by,
            properties,
            undirected: false,
            pointed: false,
            creates_missing: !options.strict,
            id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Batch, SourceError> {
        parse(&Arc::from("t.jsonl"), text, ReadOptions { strict: false })
    }

    #[test]
    fn reads_each_record() {
        let batch = parse_str(concat!(
            r#"{"record":"type","name":"met","symmetric":true,"cameo":"044"}"#,
            "\n\n",
            r#"{"record":"entity","name":"A","kind":"person","aliases":["a1"],"properties":{"n":3}}"#,
            "\n",
            r#"{"record":"relation","from":"A","type":"met","to":"B","date":"2025-02","status":"claimed","grade":"B2","claimed_by":"A","properties":{"k":"v"}}"#,
        ))
        .unwrap();
        assert!(batch.types[0].rtype.symmetric);
        assert_eq!(batch.entities[0].entity.property("n"), Some("3"));
        let r = batch.relations.get(0).unwrap();
        assert_eq!(
            (r.when.to_string(), r.status, r.grade.map(|g| g.to_string())),
            ("2025-02".into(), Status::Claimed, Some("B2".into()))
        );
        assert_eq!(r.claimed_by.as_ref().map(|c| c.name.as_str()), Some("A"));
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "{\"record\":\"entity\"",
                "t.jsonl:1:18: not a JSON object: EOF while parsing an object",
            ),
            ("[1]", "t.jsonl:1: expected a JSON object, one per line"),
            (
                "\n{\"record\":\"thing\"}",
                "t.jsonl:2: unknown record 'thing': expected ids, type, kind, entity or relation",
            ),
            (
                "{\"record\":\"entity\",\"name\":\"A\",\"kind\":\"person\",\"colour\":\"red\"}",
                "t.jsonl:1: unknown field 'colour'",
            ),
            (
                "{\"record\":\"relation\",\"from\":\"A\",\"type\":\"met\",\"to\":\"B\",\"date\":\"2025-13-45\"}",
                "t.jsonl:1: field 'date': bad date '2025-13-45': month must be 01 to 12",
            ),
            (
                "{\"record\":\"relation\",\"from\":\"A\",\"to\":\"B\"}",
                "t.jsonl:1: field 'type' is missing",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_str(text).unwrap_err().to_string(), expected, "{text}");
        }
    }
}
