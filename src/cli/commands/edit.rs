//! `kg add` and `kg remove`: one entity, relation or relation type at a time, each a
//! write of its own.

use serde_json::{Value, json};

use kg::Error;
use kg::fields::relation_json;
use kg::import::{self, Duplicates};
use kg::model::{Entity, EntityId, Kind, RelationId, RelationType};
use kg::source::{Batch, Location, NameRef, RelationDecl, sorted_properties};
use kg::store::{Lookup, StoreError};

use crate::cli::args::{AddCommand, RelationArgs, RemoveCommand};
use crate::cli::describe::{Dated, arrow, list};
use crate::cli::render::{Answer, Block, Report, Sheet, cell};
use crate::cli::session::Session;
use crate::cli::terminal;

/// What an edit did.
enum Edit {
    AddedEntity {
        id: EntityId,
        name: String,
        kind: Kind,
    },
    AddedRelation {
        id: RelationId,
        /// Its one-line form.
        line: String,
        json: Value,
    },
    AddedType {
        name: String,
        symmetric: bool,
    },
    RemovedEntity {
        name: String,
        relations: usize,
    },
    RemovedRelation {
        id: RelationId,
        line: String,
    },
}

/// `kg add entity|relation|type`.
pub fn add<'a>(session: &mut Session, add: &AddCommand) -> Result<Answer<'a>, Error> {
    let edit = match add {
        AddCommand::Entity {
            name,
            kind,
            aliases,
            properties,
        } => add_entity(session, name, *kind, aliases, properties)?,
        AddCommand::Relation(relation) => add_relation(session, relation)?,
        AddCommand::Type {
            name,
            symmetric,
            cameo,
            description,
        } => {
            let rtype = RelationType {
                name: name.clone(),
                symmetric: *symmetric,
                cameo: cameo.clone(),
                description: description.clone(),
            };
            session.write(|store| Ok(store.add_type(rtype)?))?;
            Edit::AddedType {
                name: name.clone(),
                symmetric: *symmetric,
            }
        }
    };
    Ok(Answer::report(edit))
}

fn add_entity(
    session: &mut Session,
    name: &str,
    kind: Kind,
    aliases: &[String],
    properties: &[String],
) -> Result<Edit, Error> {
    let mut entity = Entity::new(name, kind);
    for alias in aliases {
        entity.add_alias(alias.clone());
    }
    entity.properties = key_values(properties)?;
    let (id, entity, shadowed) = session.write(|store| {
        let shadowed: Vec<String> = match store.lookup(&entity.name) {
            Lookup::Found(other) => vec![store.name(other).to_string()],
            Lookup::Ambiguous(others) => {
                others.iter().map(|&o| store.name(o).to_string()).collect()
            }
            Lookup::Missing => Vec::new(),
        };
        let id = store.add_entity(entity)?;
        Ok((id, store.entity(id).cloned(), shadowed))
    })?;
    let name = entity.map(|e| e.name).unwrap_or_default();
    if !shadowed.is_empty() {
        terminal::note(&format!(
            "note: '{}' was an alias of {}; it now names the new entity",
            cell(&name),
            list(&shadowed)
        ));
    }
    Ok(Edit::AddedEntity { id, name, kind })
}

fn add_relation(session: &mut Session, relation: &RelationArgs) -> Result<Edit, Error> {
    let RelationArgs {
        start,
        rtype,
        end,
        date,
        source,
        quote,
        claimed_by,
        status,
        grade,
        properties,
    } = relation;
    let name = |n: &String| NameRef {
        name: n.clone(),
        column: 0,
    };
    let decl = RelationDecl {
        at: Location::command_line(),
        from: name(start),
        rtype: name(rtype),
        to: name(end),
        when: date.unwrap_or_default(),
        status: status.unwrap_or_default(),
        grade: *grade,
        source: source.as_deref().map(Box::from),
        quote: quote.as_deref().map(Box::from),
        claimed_by: claimed_by.as_ref().map(|c| Box::new(name(c))),
        properties: key_values(properties)?,
        undirected: false,
        creates_missing: false,
    };
    let batch = Batch {
        relations: vec![decl],
        ..Batch::default()
    };
    session.write(|store| {
        // Resolve with the store's own messages (did you mean ...) first.
        store.resolve(start)?;
        store.resolve(end)?;
        store.resolve_type(rtype)?;
        if let Some(c) = claimed_by {
            store.resolve(c)?;
        }
        let summary = import::apply(store, batch, Duplicates::Keep)?;
        let not_added = || Error::Usage("the relation was not added".to_string());
        let id = summary
            .relation_ids
            .first()
            .copied()
            .ok_or_else(not_added)?;
        let r = store.relation(id).ok_or_else(not_added)?;
        Ok(Edit::AddedRelation {
            id,
            line: arrow(store, &r, None, Dated::InLabel),
            json: relation_json(store, &r),
        })
    })
}

/// `kg remove entity|relation`.
pub fn remove<'a>(session: &mut Session, remove: &RemoveCommand) -> Result<Answer<'a>, Error> {
    let edit = match remove {
        RemoveCommand::Entity { name } => {
            let (entity, relations) = session.write(|store| {
                let id = store.resolve(name)?;
                store
                    .remove_entity(id)
                    .ok_or_else(|| Error::Usage(format!("no entity '{name}'")))
            })?;
            Edit::RemovedEntity {
                name: entity.name,
                relations,
            }
        }
        RemoveCommand::Relation { id } => {
            let number: u32 = id.trim_start_matches('#').parse().map_err(|_| {
                Error::Usage(format!(
                    "bad relation id '{id}': expected a number such as 12 or #12"
                ))
            })?;
            let id = RelationId(number);
            let line = session.write(|store| {
                let r = store.relation(id).ok_or(StoreError::UnknownRelation(id))?;
                let line = arrow(store, &r, None, Dated::InLabel);
                store.remove_relation(id)?;
                Ok(line)
            })?;
            Edit::RemovedRelation { id, line }
        }
    };
    Ok(Answer::report(edit))
}

/// Properties given as `KEY=VALUE`, sorted by key.
fn key_values(pairs: &[String]) -> Result<Vec<(String, String)>, Error> {
    let pairs = pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(Error::Usage(format!(
                "bad property '{p}': expected KEY=VALUE"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    sorted_properties(pairs).map_err(Error::Usage)
}

fn direction(symmetric: bool) -> &'static str {
    if symmetric { "symmetric" } else { "directed" }
}

impl Report for Edit {
    fn json(&self) -> Value {
        match self {
            Edit::AddedEntity { id, name, kind } => {
                json!({"added": "entity", "id": id.0, "name": name, "kind": kind.as_str()})
            }
            Edit::AddedRelation { json, .. } => json.clone(),
            Edit::AddedType { name, symmetric } => {
                json!({"added": "type", "name": name, "symmetric": symmetric})
            }
            Edit::RemovedEntity { name, relations } => {
                json!({"removed": "entity", "name": name, "relations": relations})
            }
            Edit::RemovedRelation { id, .. } => json!({"removed": "relation", "id": id.0}),
        }
    }

    fn csv(&self) -> Sheet {
        match self {
            Edit::AddedEntity { id, name, kind } => Sheet::new(
                &["id", "name", "kind"],
                vec![vec![id.0.to_string(), name.clone(), kind.to_string()]],
            ),
            Edit::AddedRelation { id, .. } | Edit::RemovedRelation { id, .. } => {
                Sheet::new(&["id"], vec![vec![id.0.to_string()]])
            }
            Edit::AddedType { name, symmetric } => Sheet::new(
                &["name", "direction"],
                vec![vec![name.clone(), direction(*symmetric).to_string()]],
            ),
            Edit::RemovedEntity { name, relations } => Sheet::new(
                &["name", "relations"],
                vec![vec![name.clone(), relations.to_string()]],
            ),
        }
    }

    fn text(&self) -> Vec<Block> {
        let line = match self {
            Edit::AddedEntity { name, kind, .. } => {
                format!("added entity {} ({kind})", cell(name))
            }
            Edit::AddedRelation { id, line, .. } => format!("added relation {id}: {line}"),
            Edit::AddedType { name, symmetric } => format!(
                "added relation type {} ({})",
                cell(name),
                direction(*symmetric)
            ),
            Edit::RemovedEntity { name, relations } => format!(
                "removed entity {} and {relations} relation{}",
                cell(name),
                if *relations == 1 { "" } else { "s" }
            ),
            Edit::RemovedRelation { id, line } => format!("removed relation {id}: {line}"),
        };
        vec![Block::Line(line)]
    }
}
