//! `kg add` and `kg remove`: one entity, relation or relation type at a time, each a
//! write of its own.

use serde_json::{Value, json};

use kg::Error;
use kg::fields::relation_json;
use kg::import::{self, Duplicates};
use kg::model::{Entity, EntityId, Kind, RelationId, RelationType, Status};
use kg::source::{Batch, Location, NameRef, RelationDecl};
use kg::store::{Store, StoreError};

use crate::cli::args::{AddCommand, RelationArgs, RemoveCommand};
use crate::cli::describe::{Dated, arrow, list, plural};
use crate::cli::render::{Answer, Block, Report, Sheet, cell};
use crate::cli::session::Session;
use crate::cli::terminal;
use crate::cli::values::key_values;

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
        /// An equal relation was already stored (this is its id): nothing was added.
        present: bool,
    },
    AddedType {
        name: String,
        symmetric: bool,
    },
    RemovedEntity {
        name: String,
        relations: usize,
        /// Relations of others it claimed, which lost their claimant.
        unclaimed: Vec<RelationId>,
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
        } => add_entity(session, name, kind, aliases, properties)?,
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
    kind: &Kind,
    aliases: &[String],
    properties: &[String],
) -> Result<Edit, Error> {
    let mut entity = Entity::new(name, kind.clone());
    for alias in aliases {
        entity.add_alias(alias.clone());
    }
    entity.properties = key_values(properties)?;
    let (id, entity) = session.write(|store| {
        // A name that is another entity's alias would take it over: refuse.
        if let Some(&owner) = store.by_alias(&entity.name).first() {
            let owner = store.name(owner);
            return Err(Error::Usage(format!(
                "'{}' is an alias of {owner}: use {owner}, or drop the alias first (kg alias remove {} {})",
                cell(&entity.name),
                quoted(owner),
                quoted(&entity.name)
            )));
        }
        new_kind_note(store, kind)?;
        for alias in &entity.aliases {
            let shared: Vec<String> = store
                .by_alias(alias)
                .iter()
                .map(|&o| store.name(o).to_string())
                .collect();
            if !shared.is_empty() {
                terminal::note(&format!(
                    "note: '{}' is also an alias of {}: it now names no entity alone",
                    cell(alias),
                    list(&shared)
                ));
            }
        }
        let id = store.add_entity(entity)?;
        Ok((id, store.entity(id).map(std::borrow::Cow::into_owned)))
    })?;
    let name = entity.map(|e| e.name).unwrap_or_default();
    Ok(Edit::AddedEntity {
        id,
        name,
        kind: kind.clone(),
    })
}

/// Declares `kind` when it is a new kind of the graph's own, and says so (with the
/// built-in kind it may be a slip for).
pub fn new_kind_note(store: &mut Store, kind: &Kind) -> Result<(), Error> {
    if store.ensure_kind(kind)? {
        let slip = kg::store::nearest(kind.as_str(), Kind::BUILT_IN.iter().map(|k| k.as_str()))
            .map(|k| format!(" (did you mean {k}?)"))
            .unwrap_or_default();
        terminal::note(&format!("note: new kind '{kind}'{slip}"));
    }
    Ok(())
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
        duplicate,
    } = relation;
    // A claimant makes it a claim unless a status says otherwise.
    let status = match (status, claimed_by) {
        (Some(status), _) => *status,
        (None, Some(_)) => Status::Claimed,
        (None, None) => Status::default(),
    };
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
        status,
        grade: *grade,
        source: source.as_deref().map(Box::from),
        quote: quote.as_deref().map(Box::from),
        claimed_by: claimed_by.as_ref().map(|c| Box::new(name(c))),
        properties: key_values(properties)?,
        undirected: false,
        pointed: false,
        creates_missing: false,
        id: None,
    };
    let mut batch = Batch::default();
    batch.relations.push(decl);
    session.write(|store| {
        // Resolve with the store's own messages (did you mean ...) first.
        store.resolve(start)?;
        store.resolve(end)?;
        store.resolve_type(rtype)?;
        if let Some(c) = claimed_by {
            store.resolve(c)?;
        }
        let duplicates = if *duplicate {
            Duplicates::Keep
        } else {
            Duplicates::Skip
        };
        let summary = import::apply(store, batch, duplicates)?;
        let not_added = || Error::Usage("the relation was not added".to_string());
        let (id, present) = match (summary.relation_ids.first(), summary.present_ids.first()) {
            (Some(&id), _) => (id, false),
            (None, Some(&id)) => (id, true),
            (None, None) => return Err(not_added()),
        };
        let r = store.relation(id).ok_or_else(not_added)?;
        Ok(Edit::AddedRelation {
            id,
            line: arrow(store, &r, None, Dated::InLabel),
            json: relation_json(store, &r),
            present,
        })
    })
}

/// `kg remove entity|relation`.
pub fn remove<'a>(session: &mut Session, remove: &RemoveCommand) -> Result<Answer<'a>, Error> {
    let edit = match remove {
        RemoveCommand::Entity { name, force } => {
            let (entity, relations, unclaimed) = session.write(|store| {
                let id = removable(store, name)?;
                let touching: Vec<RelationId> = store.relations_of(id).map(|r| r.id).collect();
                let unclaimed: Vec<RelationId> = store
                    .claimed_by(id)
                    .into_iter()
                    .filter(|r| !touching.contains(r))
                    .collect();
                if !(*force || touching.is_empty() && unclaimed.is_empty()) {
                    return Err(Error::Usage(format!(
                        "{} has {}; nothing removed: --force removes it with them",
                        cell(store.name(id)),
                        ties(touching.len(), unclaimed.len())
                    )));
                }
                let (entity, relations) = store
                    .remove_entity(id)
                    .ok_or_else(|| Error::Usage(format!("no entity '{name}'")))?;
                Ok((entity, relations, unclaimed))
            })?;
            Edit::RemovedEntity {
                name: entity.name,
                relations,
                unclaimed,
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

/// The entity `remove entity` names: by its canonical name or `#ID`, never by an
/// alias (several entities may share one, and it may not be the one meant).
fn removable(store: &Store, name: &str) -> Result<EntityId, Error> {
    if let Some(id) = store.by_name(name) {
        return Ok(id);
    }
    if let Some(&owner) = store.by_alias(name).first() {
        let owners: Vec<String> = store
            .by_alias(name)
            .iter()
            .map(|&o| store.name(o).to_string())
            .collect();
        let owner = store.name(owner);
        return Err(Error::Usage(format!(
            "'{}' is an alias of {}, not a canonical name: to remove the entity, name it (kg remove entity {}); to drop the alias, kg alias remove {} {}",
            cell(name),
            list(&owners),
            quoted(owner),
            quoted(owner),
            quoted(name)
        )));
    }
    Ok(store.resolve_ref(name)?)
}

/// "3 relations and claims 2 others", as a refusal counts them.
fn ties(relations: usize, claims: usize) -> String {
    match (relations, claims) {
        (r, 0) => plural(r, "relation", "relations"),
        (0, c) => format!("no relations but claims {}", plural(c, "other", "others")),
        (r, c) => format!(
            "{} and claims {}",
            plural(r, "relation", "relations"),
            plural(c, "other", "others")
        ),
    }
}

/// A name as a shell command line needs it: quoted when it holds anything but
/// letters, digits and `._-`.
fn quoted(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "._-".contains(c))
    {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
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
            Edit::AddedRelation { json, present, .. } => {
                let mut json = json.clone();
                if let Value::Object(map) = &mut json {
                    map.insert("already_present".to_string(), Value::Bool(*present));
                }
                json
            }
            Edit::AddedType { name, symmetric } => {
                json!({"added": "type", "name": name, "symmetric": symmetric})
            }
            Edit::RemovedEntity {
                name,
                relations,
                unclaimed,
            } => {
                let unclaimed: Vec<u32> = unclaimed.iter().map(|r| r.0).collect();
                json!({"removed": "entity", "name": name, "relations": relations, "unclaimed": unclaimed})
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
            Edit::RemovedEntity {
                name,
                relations,
                unclaimed,
            } => Sheet::new(
                &["name", "relations", "unclaimed"],
                vec![vec![
                    name.clone(),
                    relations.to_string(),
                    unclaimed.len().to_string(),
                ]],
            ),
        }
    }

    fn text(&self) -> Vec<Block> {
        let line = match self {
            Edit::AddedEntity { name, kind, .. } => {
                format!("added entity {} ({kind})", cell(name))
            }
            Edit::AddedRelation {
                id,
                line,
                present: false,
                ..
            } => format!("added relation {id}: {line}"),
            Edit::AddedRelation { id, line, .. } => format!(
                "relation {id} is already there: {line} (nothing added; --duplicate adds another)"
            ),
            Edit::AddedType { name, symmetric } => format!(
                "added relation type {} ({})",
                cell(name),
                direction(*symmetric)
            ),
            Edit::RemovedEntity {
                name,
                relations,
                unclaimed,
            } => {
                let mut line = format!(
                    "removed entity {} and {relations} relation{}",
                    cell(name),
                    if *relations == 1 { "" } else { "s" }
                );
                if !unclaimed.is_empty() {
                    let ids: Vec<String> = unclaimed.iter().map(|r| r.to_string()).collect();
                    line.push_str(&format!(
                        "; {} it claimed lost {} claimant: {}",
                        if unclaimed.len() == 1 {
                            "1 relation"
                        } else {
                            "relations"
                        },
                        if unclaimed.len() == 1 { "its" } else { "their" },
                        ids.join(", ")
                    ));
                }
                line
            }
            Edit::RemovedRelation { id, line } => format!("removed relation {id}: {line}"),
        };
        vec![Block::Line(line)]
    }
}
