//! `kg rename`, `kg alias`, `kg set` and `kg merge`: fixing an entity or a relation in
//! place, its id, relations and provenance kept.

use serde_json::{Value, json};

use kg::Error;
use kg::fields::relation_json;
use kg::model::{Entity, EntityId, RelationId, Status, TimeSpan};
use kg::source::sorted_properties;
use kg::store::{Merged, Store, StoreError};

use crate::cli::args::{AliasCommand, SetArgs};
use crate::cli::describe::{Dated, arrow, list, plural};
use crate::cli::render::{Answer, Block, Report, Sheet, cell};
use crate::cli::session::Session;
use crate::cli::terminal;
use crate::cli::values::key_values;

/// What a curation command changed: an entity or a relation, and how it reads now.
struct Changed {
    /// `entity` or `relation`.
    what: &'static str,
    id: u32,
    /// The change in words.
    line: String,
    /// The entity or relation as it is now.
    json: Value,
}

impl Report for Changed {
    fn json(&self) -> Value {
        json!({"changed": self.what, "id": self.id, "now": self.json})
    }

    fn csv(&self) -> Sheet {
        Sheet::new(
            &["changed", "id", "what"],
            vec![vec![
                self.what.to_string(),
                self.id.to_string(),
                self.line.clone(),
            ]],
        )
    }

    fn text(&self) -> Vec<Block> {
        vec![Block::Line(self.line.clone())]
    }
}

/// An entity as JSON: id, name, kind, aliases, properties.
fn entity_json(id: EntityId, e: &Entity) -> Value {
    let properties: serde_json::Map<String, Value> = e
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    json!({"id": id.0, "name": e.name, "kind": e.kind.as_str(), "aliases": e.aliases, "properties": properties})
}

/// The entity's report after a change described by `line`.
fn entity_changed(store: &Store, id: EntityId, line: String) -> Changed {
    let json = store
        .entity(id)
        .map_or(Value::Null, |e| entity_json(id, &e));
    Changed {
        what: "entity",
        id: id.0,
        line,
        json,
    }
}

/// `kg rename OLD NEW [--drop-old]`.
pub fn rename<'a>(
    session: &mut Session,
    old: &str,
    new: &str,
    drop_old: bool,
) -> Result<Answer<'a>, Error> {
    let changed = session.write(|store| {
        let id = store.resolve_ref(old)?;
        let before = store.name(id).to_string();
        if before == kg::model::clean_name(new) {
            return Err(Error::Usage(format!(
                "{} is named so already: nothing to rename",
                cell(&before)
            )));
        }
        store.rename_entity(id, new)?;
        let kept = !drop_old && kg::model::name_key(&before) != kg::model::name_key(new);
        if kept {
            store.update_entity(id, |e| {
                e.add_alias(before.clone());
            })?;
        }
        let line = format!(
            "renamed {} to {}{}",
            cell(&before),
            cell(store.name(id)),
            if kept {
                " (the old name stays an alias)"
            } else {
                ""
            }
        );
        Ok(entity_changed(store, id, line))
    })?;
    Ok(Answer::report(changed))
}

/// `kg alias add|remove NAME ALIAS`.
pub fn alias<'a>(session: &mut Session, command: &AliasCommand) -> Result<Answer<'a>, Error> {
    let changed = match command {
        AliasCommand::Add { name, alias } => session.write(|store| {
            let id = store.resolve_ref(name)?;
            if let Some(other) = store.by_name(alias) {
                let line = if other == id {
                    format!("'{}' is the name of {} itself", cell(alias), cell(store.name(id)))
                } else {
                    format!(
                        "'{}' is the name of {}: an alias cannot take it (kg merge joins two entities)",
                        cell(alias),
                        cell(store.name(other))
                    )
                };
                return Err(Error::Usage(line));
            }
            let shared: Vec<String> = store
                .by_alias(alias)
                .iter()
                .filter(|&&o| o != id)
                .map(|&o| store.name(o).to_string())
                .collect();
            let mut added = false;
            store.update_entity(id, |e| added = e.add_alias(alias.trim().to_string()))?;
            if !added {
                return Err(Error::Usage(format!(
                    "{} already has the alias '{}'",
                    cell(store.name(id)),
                    cell(alias)
                )));
            }
            if !shared.is_empty() {
                terminal::note(&format!(
                    "note: '{}' is also an alias of {}: it now names no entity alone",
                    cell(alias),
                    list(&shared)
                ));
            }
            let line = format!(
                "{} is also '{}'",
                cell(store.name(id)),
                cell(&kg::model::clean_name(alias))
            );
            Ok(entity_changed(store, id, line))
        })?,
        AliasCommand::Remove { name, alias } => session.write(|store| {
            let id = store.resolve_ref(name)?;
            let key = kg::model::name_key(alias);
            let mut removed = false;
            store.update_entity(id, |e| {
                let before = e.aliases.len();
                e.aliases.retain(|a| kg::model::name_key(a) != key);
                removed = e.aliases.len() < before;
            })?;
            if !removed {
                let entity = store.entity(id).map(|e| e.aliases.clone()).unwrap_or_default();
                return Err(Error::Usage(format!(
                    "{} has no alias '{}' (its aliases: {})",
                    cell(store.name(id)),
                    cell(alias),
                    if entity.is_empty() { "none".to_string() } else { list(&entity) }
                )));
            }
            let line = format!("{} is no longer '{}'", cell(store.name(id)), cell(alias));
            Ok(entity_changed(store, id, line))
        })?,
    };
    Ok(Answer::report(changed))
}

/// `kg set NAME|#ID ...`: an entity's kind and properties, or a relation's fields.
pub fn set<'a>(session: &mut Session, args: &SetArgs) -> Result<Answer<'a>, Error> {
    let relation = args
        .target
        .strip_prefix('#')
        .and_then(|n| n.parse::<u32>().ok())
        .map(RelationId);
    let changed = match relation {
        Some(id) => session.write(|store| set_relation(store, id, args))?,
        None => session.write(|store| set_entity(store, args))?,
    };
    Ok(Answer::report(changed))
}

/// The relation flags of `kg set`, named when given for an entity.
fn relation_flags(args: &SetArgs) -> Vec<&'static str> {
    let given = [
        ("--type", args.rtype.is_some()),
        ("--date", args.date.is_some()),
        ("--source", args.source.is_some()),
        ("--quote", args.quote.is_some()),
        ("--claimed-by", args.claimed_by.is_some()),
        ("--status", args.status.is_some()),
        ("--grade", args.grade.is_some()),
    ];
    given.iter().filter(|g| g.1).map(|g| g.0).collect()
}

fn set_entity(store: &mut Store, args: &SetArgs) -> Result<Changed, Error> {
    let flags = relation_flags(args);
    if !flags.is_empty() {
        return Err(Error::Usage(format!(
            "{} set a relation's fields: name the relation as #ID",
            flags.join(", ")
        )));
    }
    let id = store.resolve_ref(&args.target)?;
    let set = key_values(&args.properties)?;
    let Some(entity) = store.entity(id) else {
        return Err(StoreError::Invalid(format!("no entity #{}", id.0)).into());
    };
    let mut changes = Vec::new();
    let mut properties = entity.properties.clone();
    if let Some((key, _)) = set.iter().find(|(k, _)| args.unset.contains(k)) {
        return Err(Error::Usage(format!(
            "--unset {key} and --prop {key}=... both given: set it or unset it"
        )));
    }
    for key in &args.unset {
        let before = properties.len();
        properties.retain(|(k, _)| k != key);
        if properties.len() == before {
            return Err(Error::Usage(format!(
                "{} has no property '{}'",
                cell(&entity.name),
                cell(key)
            )));
        }
        changes.push(format!("-{key}"));
    }
    for (key, value) in set {
        properties.retain(|(k, _)| *k != key);
        changes.push(format!("{key}={value}"));
        properties.push((key, value));
    }
    let properties = sorted_properties(properties).map_err(Error::Usage)?;
    if let Some(kind) = &args.kind {
        changes.push(format!("kind {} -> {kind}", entity.kind));
    }
    if changes.is_empty() {
        return Err(Error::Usage(
            "nothing to set: give --kind, --prop KEY=VALUE or --unset KEY".to_string(),
        ));
    }
    if let Some(kind) = &args.kind {
        super::edit::new_kind_note(store, kind)?;
    }
    store.update_entity(id, |e| {
        if let Some(kind) = &args.kind {
            e.kind = kind.clone();
        }
        e.properties = properties;
    })?;
    let line = format!("set {}: {}", cell(store.name(id)), changes.join(", "));
    Ok(entity_changed(store, id, line))
}

fn set_relation(store: &mut Store, id: RelationId, args: &SetArgs) -> Result<Changed, Error> {
    if args.kind.is_some() {
        return Err(Error::Usage(
            "--kind sets an entity's kind; #ID names a relation".to_string(),
        ));
    }
    if relation_flags(args).is_empty() && args.properties.is_empty() && args.unset.is_empty() {
        return Err(Error::Usage(
            "nothing to set: give --type, --date, --status, --grade, --source, --quote, --claimed-by, --prop KEY=VALUE or --unset FIELD".to_string(),
        ));
    }
    let r = store.relation(id).ok_or(StoreError::UnknownRelation(id))?;
    let mut text = store.relation_text(&r.relation);
    if let Some(t) = &args.rtype {
        text.rtype = store.resolve_type(t)?;
    }
    if let Some(date) = args.date {
        text.when = date;
    }
    if let Some(source) = &args.source {
        text.source = Some(source.clone()).filter(|s| !s.is_empty());
    }
    if let Some(quote) = &args.quote {
        text.quote = Some(quote.clone()).filter(|s| !s.is_empty());
    }
    if let Some(c) = &args.claimed_by {
        text.claimed_by = Some(store.resolve_ref(c)?);
        if args.status.is_none() {
            text.status = Status::Claimed;
        }
    }
    if let Some(status) = args.status {
        text.status = status;
    }
    if args.grade.is_some() {
        text.grade = args.grade;
    }
    let given = [
        ("date", args.date.is_some()),
        ("grade", args.grade.is_some()),
        ("source", args.source.is_some()),
        ("quote", args.quote.is_some()),
        ("claimed_by", args.claimed_by.is_some()),
    ];
    for key in &args.unset {
        if given.iter().any(|(field, set)| *set && field == key) {
            return Err(Error::Usage(format!(
                "--unset {key} and --{} both given: set it or unset it",
                key.replace('_', "-")
            )));
        }
    }
    for key in &args.unset {
        match key.as_str() {
            "date" => text.when = TimeSpan::UNDATED,
            "grade" => text.grade = None,
            "source" => text.source = None,
            "quote" => text.quote = None,
            "claimed_by" => text.claimed_by = None,
            key => {
                let before = text.properties.len();
                text.properties.retain(|(k, _)| k != key);
                if text.properties.len() == before {
                    return Err(Error::Usage(format!(
                        "relation {id} has no property '{}' (fields that can be unset: date, grade, source, quote, claimed_by)",
                        cell(key)
                    )));
                }
            }
        }
    }
    let mut properties = text.properties.clone();
    for (key, value) in key_values(&args.properties)? {
        properties.retain(|(k, _)| *k != key);
        properties.push((key, value));
    }
    text.properties = sorted_properties(properties).map_err(Error::Usage)?;
    let relation = store.relation_of_text(text)?;
    store.update_relation(id, relation)?;
    let r = store.relation(id).ok_or(StoreError::UnknownRelation(id))?;
    Ok(Changed {
        what: "relation",
        id: id.0,
        line: format!(
            "updated relation {id}: {}",
            arrow(store, &r, None, Dated::InLabel)
        ),
        json: relation_json(store, &r),
    })
}

/// What a merge did (or would do), for the report.
struct MergeReport {
    dry_run: bool,
    keep: String,
    keep_id: u32,
    merged: Merged,
    /// The kept entity as it is after the merge.
    now: Value,
}

impl MergeReport {
    fn lines(&self) -> Vec<String> {
        let m = &self.merged;
        // The first ten, then how many more (the JSON lists them all).
        let ids = |ids: &[kg::model::RelationId]| {
            list(&ids.iter().map(|i| i.to_string()).collect::<Vec<_>>())
        };
        let others: Vec<String> = m
            .others
            .iter()
            .map(|(id, name)| format!("{} (#{})", cell(name), id.0))
            .collect();
        let verb = if self.dry_run {
            "would merge"
        } else {
            "merged"
        };
        let mut lines = vec![format!(
            "{verb} {} into {} (#{})",
            list(&others),
            cell(&self.keep),
            self.keep_id
        )];
        if !m.moved.is_empty() {
            lines.push(format!(
                "  moved {}: {}",
                plural(m.moved.len(), "relation", "relations"),
                ids(&m.moved)
            ));
        }
        for id in &m.loops {
            lines.push(format!(
                "  relation {id} now joins {} to itself",
                cell(&self.keep)
            ));
        }
        for (gone, kept) in &m.collapsed {
            lines.push(format!(
                "  collapsed relation {gone} into {kept}, identical once merged"
            ));
        }
        if !m.claims.is_empty() {
            lines.push(format!(
                "  re-pointed {}: {}",
                plural(m.claims.len(), "claim", "claims"),
                ids(&m.claims)
            ));
        }
        if !m.aliases.is_empty() {
            let aliases: Vec<String> = m.aliases.iter().map(|a| cell(a)).collect();
            lines.push(format!("  new aliases: {}", aliases.join(", ")));
        }
        for (k, v) in &m.properties {
            lines.push(format!("  new property: {}={}", cell(k), cell(v)));
        }
        for c in &m.conflicts {
            lines.push(format!(
                "  conflict on {}: kept '{}', not '{}' (of {})",
                cell(&c.key),
                cell(&c.kept),
                cell(&c.dropped),
                cell(&c.from)
            ));
        }
        if self.dry_run {
            lines.push("dry run: nothing changed".to_string());
        }
        lines
    }
}

impl Report for MergeReport {
    fn json(&self) -> Value {
        let m = &self.merged;
        json!({
            "dry_run": self.dry_run,
            "kept": {"id": self.keep_id, "name": self.keep},
            "merged": m.others.iter().map(|(id, name)| json!({"id": id.0, "name": name})).collect::<Vec<_>>(),
            "moved": m.moved.iter().map(|r| r.0).collect::<Vec<_>>(),
            "collapsed": m.collapsed.iter().map(|(gone, kept)| json!({"removed": gone.0, "into": kept.0})).collect::<Vec<_>>(),
            "claims": m.claims.iter().map(|r| r.0).collect::<Vec<_>>(),
            "aliases": m.aliases,
            "properties": m.properties.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
            "self_loops": m.loops.iter().map(|r| r.0).collect::<Vec<_>>(),
            "conflicts": m.conflicts.iter().map(|c| json!({"key": c.key, "kept": c.kept, "dropped": c.dropped, "of": c.from})).collect::<Vec<_>>(),
            "now": self.now,
        })
    }

    /// One row per thing done: what, the relation or name, and the detail.
    fn csv(&self) -> Sheet {
        let m = &self.merged;
        let row = |what: &str, item: String, detail: String| vec![what.to_string(), item, detail];
        let mut rows: Vec<Vec<String>> = m
            .others
            .iter()
            .map(|(id, name)| row("merged", format!("#{}", id.0), name.clone()))
            .collect();
        rows.extend(
            m.moved
                .iter()
                .map(|r| row("moved", r.to_string(), String::new())),
        );
        rows.extend(
            m.loops
                .iter()
                .map(|r| row("self_loop", r.to_string(), String::new())),
        );
        rows.extend(
            m.collapsed
                .iter()
                .map(|(gone, kept)| row("collapsed", gone.to_string(), kept.to_string())),
        );
        rows.extend(
            m.claims
                .iter()
                .map(|r| row("claim", r.to_string(), String::new())),
        );
        rows.extend(
            m.aliases
                .iter()
                .map(|a| row("alias", a.clone(), String::new())),
        );
        rows.extend(
            m.properties
                .iter()
                .map(|(k, v)| row("property", k.clone(), v.clone())),
        );
        rows.extend(m.conflicts.iter().map(|c| {
            row(
                "conflict",
                c.key.clone(),
                format!("kept {}; dropped {} of {}", c.kept, c.dropped, c.from),
            )
        }));
        if self.dry_run {
            rows.push(row("dry_run", String::new(), "nothing changed".to_string()));
        }
        Sheet::new(&["did", "what", "detail"], rows)
    }

    fn text(&self) -> Vec<Block> {
        self.lines().into_iter().map(Block::Line).collect()
    }
}

/// `kg merge KEEP OTHER... [--dry-run] [--prefer-others]`.
pub fn merge<'a>(
    session: &mut Session,
    keep: &str,
    others: &[String],
    dry_run: bool,
    prefer_others: bool,
) -> Result<Answer<'a>, Error> {
    let run = |store: &mut Store| -> Result<MergeReport, Error> {
        let keep_id = store.resolve_ref(keep)?;
        let other_ids = others
            .iter()
            .map(|o| store.resolve_ref(o))
            .collect::<Result<Vec<EntityId>, StoreError>>()?;
        for (o, &id) in others.iter().zip(&other_ids) {
            if id == keep_id {
                return Err(Error::Usage(format!(
                    "'{}' is {} itself (its name or an alias): nothing to merge",
                    cell(o),
                    cell(store.name(keep_id))
                )));
            }
        }
        let keep_name = store.name(keep_id).to_string();
        let merged = store.merge(keep_id, &other_ids, prefer_others)?;
        let now = store
            .entity(keep_id)
            .map_or(Value::Null, |e| entity_json(keep_id, &e));
        Ok(MergeReport {
            dry_run,
            keep: keep_name,
            keep_id: keep_id.0,
            merged,
            now,
        })
    };
    let report = if dry_run {
        let mut store = session.read()?.clone();
        run(&mut store)?
    } else {
        session.write(run)?
    };
    Ok(Answer::report(report))
}
