//! The clauses that change the graph: `CREATE`, `MERGE`, `SET`, `REMOVE` and
//! `[DETACH] DELETE`, applied row by row through the store's own edits, so kg's rules
//! hold as they do for `kg add` and `kg remove`: an entity has a unique name and one
//! kind (its label), a relationship one type (declared on first use, directed), its
//! `date` is a kg date, its `status`, `grade`, `source`, `quote` and `claimed_by` are
//! its evidence; other properties are text. Each row's expressions are evaluated on the
//! graph as the earlier rows left it.

use super::{Evaluator, Row};
use values::{not_a, property_text, rel_field_is_null, store_error, texts};

mod delete;
mod values;
use crate::model::{
    Entity, EntityId, Grade, Kind, Relation, RelationId, RelationType, Status, TimeSpan,
};
use crate::query::ast::{
    Clause, Direction, Expr, NodePattern, Pattern, RelPattern, RemoveItem, SetItem,
};
use crate::query::changes::Changes;
use crate::query::context::Context;
use crate::query::error::QueryError;
use crate::query::plan::{ClausePlan, StagePlan};
use crate::query::value::{Params, Path, Value};
use crate::store::Store;

/// Applies updating clause `c` of `stage` to each of `rows`, in order, and returns the
/// rows it leaves (with the variables it made bound).
pub(crate) fn apply(
    store: &mut Store,
    params: &Params,
    stage: &StagePlan,
    c: usize,
    rows: Vec<Row>,
    context: &Context,
    changes: &mut Changes,
) -> Result<Vec<Row>, QueryError> {
    let clause = &stage.stage.clauses[c];
    let Some(ClausePlan::Update { before, merge }) = stage.clauses.get(c) else {
        return Err(QueryError::new("an updating clause without its plan"));
    };
    let mut run = Run {
        store,
        params,
        stage,
        context,
        changes,
        before: *before,
    };
    let pos = clause.pos();
    if let Clause::Delete {
        detach, targets, ..
    } = clause
    {
        run.delete_all(&rows, targets, *detach)
            .map_err(|e| e.at_if_unplaced(pos))?;
        return Ok(rows);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        context.check()?;
        run.row(clause, merge.as_deref(), row, &mut out)
            .map_err(|e| e.at_if_unplaced(pos))?;
    }
    Ok(out)
}

impl Run<'_, '_> {
    /// Applies `clause` to one row, pushing the rows it leaves to `out`.
    fn row(
        &mut self,
        clause: &Clause,
        merge: Option<&(crate::query::ast::Match, crate::query::plan::MatchPlan)>,
        mut row: Row,
        out: &mut Vec<Row>,
    ) -> Result<(), QueryError> {
        let run = self;
        match clause {
            Clause::Create { patterns, .. } => {
                for pattern in patterns {
                    run.create(pattern, &mut row)?;
                }
                out.push(row);
            }
            Clause::Merge {
                pattern,
                on_create,
                on_match,
                ..
            } => {
                let Some((m, mp)) = merge else {
                    return Err(QueryError::new("MERGE without its plan"));
                };
                run.refuse_null_properties(pattern, &row)?;
                // A type or kind an earlier row made is matched from the next row on:
                // the pattern is planned again on the graph as it is now.
                let chain = &pattern.chain;
                let planned: Vec<_> = mp.patterns[0].types.iter().flatten().flatten().collect();
                let made_since = chain.rels.iter().flat_map(|r| &r.types).any(|(t, _)| {
                    run.store
                        .find_type(t)
                        .is_some_and(|id| !planned.contains(&&id))
                });
                let replanned;
                let (m, mp) = if made_since {
                    let m = crate::query::plan::merge_match(run.store, pattern);
                    let mut slots = run.stage.slots.first(run.before);
                    let mp = crate::query::plan::MatchPlan::new(run.store, &m, &mut slots)?;
                    replanned = (m, mp);
                    (&replanned.0, &replanned.1)
                } else {
                    (m, mp)
                };
                let mut found = Vec::new();
                let _all = run
                    .reader()
                    .match_clause(m, mp, None, &row, &mut |matched| {
                        found.push(matched);
                        Ok(std::ops::ControlFlow::Continue(()))
                    })?;
                if found.is_empty() {
                    run.create(pattern, &mut row)?;
                    run.set(on_create, &row)?;
                    out.push(row);
                } else {
                    for matched in found {
                        run.set(on_match, &matched)?;
                        out.push(matched);
                    }
                }
            }
            Clause::Set { items, .. } => {
                run.set(items, &row)?;
                out.push(row);
            }
            Clause::Remove { items, .. } => {
                run.remove(items, &row)?;
                out.push(row);
            }
            Clause::Delete { .. } => {
                return Err(QueryError::new("DELETE is applied to all its rows at once"));
            }
            Clause::Match(_) | Clause::Unwind { .. } => {
                return Err(QueryError::new("a reading clause taken for an update"));
            }
        }
        Ok(())
    }
}

/// One updating clause at work.
struct Run<'r, 'c> {
    store: &'r mut Store,
    params: &'r Params,
    stage: &'r StagePlan,
    context: &'r Context<'c>,
    changes: &'r mut Changes,
    /// Slots below this were bound before the clause.
    before: usize,
}

impl Run<'_, '_> {
    /// An evaluator over the graph as it is now.
    fn reader(&self) -> Evaluator<'_> {
        Evaluator {
            store: self.store,
            params: self.params,
            slots: &self.stage.slots,
            predicates: &self.stage.predicates,
            subqueries: &self.stage.subqueries,
            context: self.context,
        }
    }

    fn slot(&self, var: &str) -> Option<usize> {
        self.stage.slots.index.get(var).copied()
    }

    /// The values of a property map on `row`.
    fn values(
        &self,
        props: &[(String, Expr)],
        row: &Row,
    ) -> Result<Vec<(String, Value)>, QueryError> {
        let reader = self.reader();
        props
            .iter()
            .map(|(key, e)| Ok((key.clone(), reader.eval(e, row, None)?)))
            .collect()
    }

    /// Refuses a `MERGE` whose pattern gives a property null: no match could be
    /// told from a new one.
    fn refuse_null_properties(&self, pattern: &Pattern, row: &Row) -> Result<(), QueryError> {
        let chain = &pattern.chain;
        let maps = chain.nodes.iter().map(|n| &n.props[..]);
        for props in maps.chain(chain.rels.iter().map(|r| &r.props[..])) {
            for (key, value) in self.values(props, row)? {
                if value.is_null() {
                    return Err(QueryError::at(
                        pattern.pos,
                        format!(
                            "MERGE cannot match on {key}: null (give it a value, or leave it out and SET it)"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Makes what `pattern` names that is not bound yet, binding it in `row`.
    fn create(&mut self, pattern: &Pattern, row: &mut Row) -> Result<(), QueryError> {
        let chain = &pattern.chain;
        let mut ids = Vec::new();
        for node in &chain.nodes {
            let slot = node.var.as_deref().and_then(|v| self.slot(v));
            let id = match slot.map(|s| &row[s]) {
                Some(Value::Node(id)) => *id,
                Some(Value::Null) | None if slot.is_none_or(|s| s >= self.before) => {
                    self.create_entity(node, row)?
                }
                Some(other) => {
                    return Err(QueryError::at(
                        pattern.pos,
                        format!(
                            "cannot make a relationship from `{}`: it is {}, not a node",
                            node.var.as_deref().unwrap_or("?"),
                            other.type_name()
                        ),
                    ));
                }
                None => {
                    return Err(QueryError::at(pattern.pos, "a node without its variable"));
                }
            };
            if let Some(s) = slot {
                row[s] = Value::Node(id);
            }
            ids.push(id);
        }
        let mut rels = Vec::new();
        for (j, rel) in chain.rels.iter().enumerate() {
            let (from, to) = match rel.direction {
                Direction::Left => (ids[j + 1], ids[j]),
                _ => (ids[j], ids[j + 1]),
            };
            let id = self.create_relation(rel, from, to, row, pattern)?;
            if let Some(s) = rel.var.as_deref().and_then(|v| self.slot(v)) {
                row[s] = Value::Rel(id);
            }
            rels.push(id);
        }
        if let Some(s) = pattern.path_var.as_deref().and_then(|v| self.slot(v)) {
            row[s] = Value::Path(Box::new(Path { nodes: ids, rels }));
        }
        Ok(())
    }

    fn create_entity(&mut self, node: &NodePattern, row: &Row) -> Result<EntityId, QueryError> {
        let values = self.values(&node.props, row)?;
        let name = values.iter().find(|(k, _)| k == "name").map(|(_, v)| v);
        let Some(Value::Str(name)) = name else {
            return Err(QueryError::new(format!(
                "an entity needs a name: ({}{} {{name: '...'}}){}",
                node.var.as_deref().unwrap_or(""),
                node.labels
                    .first()
                    .map(|(l, _)| format!(":{l}"))
                    .unwrap_or_default(),
                match name {
                    Some(other) => format!(", not {}", other.type_name()),
                    None => String::new(),
                }
            )));
        };
        let mut kind = match node.labels.first() {
            Some((label, pos)) => label.parse::<Kind>().map_err(|e| QueryError::at(*pos, e))?,
            None => Kind::Other,
        };
        let mut entity = Entity::new(name.clone(), Kind::Other);
        let mut set = 1;
        for (key, value) in values.iter().filter(|(k, _)| k != "name") {
            match (key.as_str(), value) {
                (_, Value::Null) => {}
                ("kind", Value::Str(k)) if node.labels.is_empty() => {
                    kind = k.parse::<Kind>().map_err(QueryError::new)?;
                }
                ("aliases", value) => {
                    for alias in texts(value, "aliases")? {
                        entity.add_alias(alias);
                    }
                    set += 1;
                }
                (key, value) => {
                    entity.set_property(key.to_string(), property_text(key, value)?);
                    set += 1;
                }
            }
        }
        self.declare_kind(&kind)?;
        entity.kind = kind;
        let id = self.store.add_entity(entity).map_err(store_error)?;
        self.changes.entities_created += 1;
        self.changes.properties_set += set;
        self.changes.labels_added += usize::from(!node.labels.is_empty());
        Ok(id)
    }

    fn create_relation(
        &mut self,
        rel: &RelPattern,
        from: EntityId,
        to: EntityId,
        row: &Row,
        pattern: &Pattern,
    ) -> Result<RelationId, QueryError> {
        let Some((type_name, _)) = rel.types.first() else {
            return Err(QueryError::at(pattern.pos, "a relationship needs a type"));
        };
        let values = self.values(&rel.props, row)?;
        let rtype = match self.store.find_type(type_name) {
            Some(t) => t,
            None => {
                let t = self
                    .store
                    .add_type(RelationType::directed(type_name.clone()))
                    .map_err(store_error)?;
                self.changes
                    .declared
                    .push(format!("type {type_name} (directed)"));
                t
            }
        };
        let mut relation = Relation::new(rtype);
        let mut status_given = false;
        let mut set = 0;
        for (key, value) in &values {
            if value.is_null() {
                continue;
            }
            status_given |= key == "status";
            self.set_relation_field(&mut relation, key, value)?;
            set += 1;
        }
        if relation.claimed_by.is_some() && !status_given {
            relation.status = Status::Claimed;
        }
        let id = self
            .store
            .add_relation(from, to, relation)
            .map_err(store_error)?;
        self.changes.relations_created += 1;
        self.changes.properties_set += set;
        Ok(id)
    }

    /// Sets `key` of `relation` to `value` (null clears it).
    fn set_relation_field(
        &mut self,
        relation: &mut Relation,
        key: &str,
        value: &Value,
    ) -> Result<(), QueryError> {
        let null = value.is_null();
        match key {
            "type" => {
                return Err(QueryError::new(
                    "a relationship's type cannot change: delete it and create another",
                ));
            }
            "date" => {
                relation.when = match value {
                    Value::Null => TimeSpan::default(),
                    Value::Date(span) => *span,
                    Value::Str(text) => TimeSpan::parse(text)
                        .map_err(|e| QueryError::new(format!("date '{text}': {e}")))?,
                    other => return Err(not_a("date", "a date or its text", other)),
                }
            }
            "status" => {
                relation.status = match value {
                    Value::Null => Status::default(),
                    Value::Str(text) => text.parse::<Status>().map_err(QueryError::new)?,
                    other => return Err(not_a("status", "text", other)),
                }
            }
            "grade" => {
                relation.grade = match value {
                    Value::Null => None,
                    Value::Str(text) => Some(text.parse::<Grade>().map_err(QueryError::new)?),
                    other => return Err(not_a("grade", "text such as B2", other)),
                }
            }
            "source" | "quote" => {
                let text = match value {
                    Value::Null => None,
                    Value::Str(text) => Some(self.store.intern(text).map_err(store_error)?),
                    other => return Err(not_a(key, "text", other)),
                };
                if key == "source" {
                    relation.source = text;
                } else {
                    relation.quote = text;
                }
            }
            "claimed_by" => {
                relation.claimed_by = match value {
                    Value::Null => None,
                    Value::Node(id) => Some(*id),
                    Value::Str(name) => Some(self.store.resolve(name).map_err(store_error)?),
                    other => return Err(not_a("claimed_by", "an entity or its name", other)),
                }
            }
            _ => {
                let mut properties: Vec<_> = relation.properties.to_vec();
                let found = properties
                    .iter()
                    .position(|(k, _)| self.store.text(*k) == key);
                if null {
                    if let Some(i) = found {
                        properties.remove(i);
                    }
                } else {
                    let text = property_text(key, value)?;
                    let v = self.store.intern(&text).map_err(store_error)?;
                    match found {
                        Some(i) => properties[i].1 = v,
                        None => {
                            let k = self.store.intern(key).map_err(store_error)?;
                            properties.push((k, v));
                        }
                    }
                }
                let store = &*self.store;
                properties.sort_by(|a, b| store.text(a.0).cmp(store.text(b.0)));
                relation.properties = properties.into_boxed_slice();
            }
        }
        Ok(())
    }

    /// Applies `SET` items to the entities and relations `row` holds.
    fn set(&mut self, items: &[SetItem], row: &Row) -> Result<(), QueryError> {
        for item in items {
            match item {
                SetItem::Property {
                    target,
                    key,
                    value,
                    pos,
                } => {
                    let reader = self.reader();
                    let (target, value) = (
                        reader.eval(target, row, None)?,
                        reader.eval(value, row, None)?,
                    );
                    self.set_property(&target, key, &value)
                        .map_err(|e| e.at_if_unplaced(*pos))?;
                }
                SetItem::Map {
                    var,
                    value,
                    replace,
                    pos,
                } => {
                    let values = match self.reader().eval(value, row, None)? {
                        map @ (Value::Map(_) | Value::Node(_) | Value::Rel(_)) => self
                            .reader()
                            .properties_of(&map)
                            .map_err(|e| e.at_if_unplaced(*pos))?,
                        Value::Null if *replace => Vec::new(),
                        other => {
                            return Err(QueryError::at(
                                *pos,
                                format!(
                                    "SET {var} {}= takes a map, a node or a relationship, not {}",
                                    if *replace { "" } else { "+" },
                                    other.type_name()
                                ),
                            ));
                        }
                    };
                    let target = self.slot(var).map_or(Value::Null, |s| row[s].clone());
                    if *replace {
                        self.clear_properties(&target, &values)?;
                    }
                    for (key, value) in &values {
                        self.set_property(&target, key, value)
                            .map_err(|e| e.at_if_unplaced(*pos))?;
                    }
                }
                SetItem::Label { var, labels } => {
                    let target = self.slot(var).map_or(Value::Null, |s| row[s].clone());
                    if let Value::Rel(_) = target {
                        return Err(QueryError::at(
                            labels[0].1,
                            "a relationship's type cannot change: delete it and create another",
                        ));
                    }
                    let Value::Node(id) = target else {
                        continue;
                    };
                    if labels.len() > 1 {
                        return Err(QueryError::at(
                            labels[1].1,
                            "an entity has one kind: give one label",
                        ));
                    }
                    let (label, pos) = &labels[0];
                    let kind = label.parse::<Kind>().map_err(|e| QueryError::at(*pos, e))?;
                    self.set_kind(id, kind)?;
                }
            }
        }
        Ok(())
    }

    /// Sets property `key` of the entity or relation `target` (null removes it).
    fn set_property(&mut self, target: &Value, key: &str, value: &Value) -> Result<(), QueryError> {
        match target {
            Value::Null => Ok(()),
            Value::Node(id) => self.set_entity_property(*id, key, value),
            Value::Rel(id) => {
                let Some(r) = self.store.relation(*id) else {
                    return Err(self.reader().deleted_error(target));
                };
                let mut relation = r.relation.into_owned();
                let had = !rel_field_is_null(self.store, &relation, key);
                self.set_relation_field(&mut relation, key, value)?;
                // Who claims it makes a reported relation claimed, as CREATE does.
                if key == "claimed_by" && !value.is_null() && relation.status == Status::Reported {
                    relation.status = Status::Claimed;
                }
                self.store
                    .update_relation(*id, relation)
                    .map_err(store_error)?;
                self.count(had, value);
                Ok(())
            }
            other => Err(QueryError::new(format!(
                "SET .{key} on {}: only entities and relations have properties",
                other.type_name()
            ))),
        }
    }

    fn set_entity_property(
        &mut self,
        id: EntityId,
        key: &str,
        value: &Value,
    ) -> Result<(), QueryError> {
        let Some(entity) = self.store.entity(id).map(std::borrow::Cow::into_owned) else {
            return Err(self.reader().deleted_error(&Value::Node(id)));
        };
        match (key, value) {
            ("id", _) => Err(QueryError::new("an entity's id cannot change")),
            ("name", Value::Str(name)) => {
                if *name != entity.name {
                    // As kg rename: the old name stays an alias, so it still finds it.
                    self.store.rename_entity(id, name).map_err(store_error)?;
                    let old = entity.name.clone();
                    self.store
                        .update_entity(id, |e| {
                            e.add_alias(old);
                        })
                        .map_err(store_error)?;
                }
                self.changes.properties_set += 1;
                Ok(())
            }
            ("name", other) => Err(QueryError::new(format!(
                "an entity's name is text: SET n.name = '...' (not {})",
                other.type_name()
            ))),
            ("kind", Value::Str(kind)) => {
                let kind = kind.parse::<Kind>().map_err(QueryError::new)?;
                self.set_kind(id, kind)
            }
            ("kind", other) => Err(not_a("kind", "text", other)),
            ("aliases", value) => {
                let aliases = if value.is_null() {
                    Vec::new()
                } else {
                    texts(value, "aliases")?
                };
                let had = !entity.aliases.is_empty();
                self.store
                    .update_entity(id, |e| {
                        e.aliases.clear();
                        for alias in aliases {
                            e.add_alias(alias);
                        }
                    })
                    .map_err(store_error)?;
                self.count(had, value);
                Ok(())
            }
            (key, value) => {
                let text = if value.is_null() {
                    None
                } else {
                    Some(property_text(key, value)?)
                };
                let had = entity.property(key).is_some();
                self.store
                    .update_entity(id, |e| match text {
                        Some(text) => {
                            e.set_property(key.to_string(), text);
                        }
                        None => e.properties.retain(|(k, _)| k != key),
                    })
                    .map_err(store_error)?;
                self.count(had, value);
                Ok(())
            }
        }
    }

    /// Counts a property set (a value given) or removed (null for one that was there).
    fn count(&mut self, had: bool, value: &Value) {
        if !value.is_null() {
            self.changes.properties_set += 1;
        } else if had {
            self.changes.properties_removed += 1;
        }
    }

    /// `SET n = {map}`: removes the properties the map does not name.
    fn clear_properties(
        &mut self,
        target: &Value,
        keep: &[(String, Value)],
    ) -> Result<(), QueryError> {
        // Every property `properties()` shows (a relation's evidence too), but an
        // entity's name, which it cannot be without.
        let keys: Vec<String> = match target {
            Value::Node(_) | Value::Rel(_) => self
                .reader()
                .properties_of(target)?
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| !(matches!(target, Value::Node(_)) && k == "name"))
                .collect(),
            _ => Vec::new(),
        };
        for key in keys
            .iter()
            .filter(|k| !keep.iter().any(|(kept, _)| kept == *k))
        {
            self.set_property(target, key, &Value::Null)?;
        }
        Ok(())
    }

    /// Declares `kind` if the store does not know it yet, and says so.
    fn declare_kind(&mut self, kind: &Kind) -> Result<(), QueryError> {
        if self.store.ensure_kind(kind).map_err(store_error)? {
            self.changes
                .declared
                .push(format!("kind {}", kind.as_str()));
        }
        Ok(())
    }

    fn set_kind(&mut self, id: EntityId, kind: Kind) -> Result<(), QueryError> {
        let Some(entity) = self.store.entity(id) else {
            return Err(self.reader().deleted_error(&Value::Node(id)));
        };
        if entity.kind == kind {
            return Ok(());
        }
        self.declare_kind(&kind)?;
        self.store
            .update_entity(id, |e| e.kind = kind)
            .map_err(store_error)?;
        self.changes.labels_added += 1;
        Ok(())
    }

    fn remove(&mut self, items: &[RemoveItem], row: &Row) -> Result<(), QueryError> {
        for item in items {
            match item {
                RemoveItem::Property { target, key, pos } => {
                    let target = self.reader().eval(target, row, None)?;
                    self.set_property(&target, key, &Value::Null)
                        .map_err(|e| e.at_if_unplaced(*pos))?;
                }
                RemoveItem::Label { var, labels } => {
                    let target = self.slot(var).map_or(Value::Null, |s| row[s].clone());
                    if let Value::Rel(_) = target {
                        return Err(QueryError::at(
                            labels[0].1,
                            "a relationship's type cannot be removed: delete the relationship",
                        ));
                    }
                    let Value::Node(id) = target else {
                        continue;
                    };
                    for (label, pos) in labels {
                        let kind = label.parse::<Kind>().map_err(|e| QueryError::at(*pos, e))?;
                        if self.store.entity(id).is_some_and(|e| e.kind == kind) {
                            self.store
                                .update_entity(id, |e| e.kind = Kind::Other)
                                .map_err(store_error)?;
                            self.changes.labels_removed += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
