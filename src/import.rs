//! Applying a [`Batch`] to the store: all or nothing, and idempotent.
//!
//! Every declaration is checked and every name resolved before the store is touched, so
//! a bad line leaves the database as it was. Then types, entities and relations are
//! added. An entity already in the store is merged (new aliases and properties; a kind
//! `other` may be made specific); a conflicting kind or property value is an error. A
//! relation equal in every field to one already stored is not added again, counted as
//! a multiset: importing the same data twice changes nothing, and a file that holds the
//! same event twice keeps both.

use foldhash::{HashMap, HashMapExt, HashSet};

use serde::Serialize;

use crate::find::NameMatcher;
use crate::model::{ENTITY_RESERVED_KEYS, RESERVED_KEYS};
use crate::model::{Entity, EntityId, Kind, KindDecl, Relation, RelationId, RelationType, TypeId};
use crate::source::{Batch, EntityDecl, Location, NameRef, RelationDecl, SourceError};
use crate::store::{self, Lookup, RelationText, Store, check_name, name_key, nearest};

/// What an import changed.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Relation types created, by name (from declarations, or created directed by CSV).
    pub types_added: Vec<String>,
    /// Relation types that got a new CAMEO code or description.
    pub types_updated: Vec<String>,
    /// Kinds of the graph's own declared or created (CSV, JSONL) by the import, or
    /// given another style.
    pub kinds_added: Vec<String>,
    pub entities_added: usize,
    /// Entities a CSV relation named without declaring them, created with kind `other`.
    pub entities_created: Vec<String>,
    /// Existing entities that gained aliases or properties or a specific kind.
    pub entities_updated: usize,
    pub relations_added: usize,
    /// Relations equal to ones already stored, not added again.
    pub relations_present: usize,
    /// The ids of the stored relations those were equal to, in the order of the batch.
    #[serde(skip)]
    pub present_ids: Vec<RelationId>,
    /// Entities created for undeclared names that look like a stored entity's name
    /// (spelling, case, spacing, script): where the name was read, the name, and the
    /// stored name it resembles.
    pub near_names: Vec<NearName>,
    /// Whether the entities and relations kept the ids the file gave them.
    pub ids_kept: bool,
    /// Whether the file gave ids (JSONL).
    pub ids_given: bool,
    /// The ids of the relations added, in the order of the batch.
    #[serde(skip)]
    pub relation_ids: Vec<RelationId>,
}

impl ImportSummary {
    /// Whether the import changed nothing.
    pub fn is_unchanged(&self) -> bool {
        self.types_added.is_empty()
            && self.types_updated.is_empty()
            && self.kinds_added.is_empty()
            && self.entities_added == 0
            && self.entities_created.is_empty()
            && self.entities_updated == 0
            && self.relations_added == 0
    }
}

/// An undeclared name, created as a new entity, that resembles a stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearName {
    /// `file:line` where it was read.
    pub at: String,
    pub name: String,
    /// The stored entity it resembles, and the name or alias of it that does.
    pub like: String,
    pub like_name: String,
}

/// Whether identical relations already in the store are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// Import: a relation equal to a stored one is not added again.
    Skip,
    /// `add relation`: always add.
    Keep,
}

/// An entity as a relation's end: already stored, or added by this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Stored(EntityId),
    New(usize),
}

#[derive(Debug, Clone, Copy)]
enum TypeTarget {
    Stored(TypeId),
    New(usize),
}

struct PlannedRelation {
    from: Target,
    rtype: TypeTarget,
    to: Target,
    claimed_by: Option<Target>,
}

/// The resolved plan: nothing here can fail to apply.
struct Plan {
    new_types: Vec<RelationType>,
    /// Kinds to declare (new, or restyled), in the order first met.
    kinds: Vec<KindDecl>,
    described_types: Vec<(TypeId, RelationType)>,
    new_entities: Vec<Entity>,
    created: Vec<String>,
    near: Vec<NearName>,
    merges: Vec<(EntityId, Entity)>,
    relations: Vec<PlannedRelation>,
}

fn err(at: &Location, message: impl Into<String>) -> SourceError {
    SourceError::new(at.clone(), message)
}

/// Checks the batch against the store and applies it, or changes nothing and explains.
pub fn apply(
    store: &mut Store,
    batch: Batch,
    duplicates: Duplicates,
) -> Result<ImportSummary, SourceError> {
    let plan = plan(store, &batch)?;
    Ok(execute(store, batch, plan, duplicates))
}

fn plan(store: &Store, batch: &Batch) -> Result<Plan, SourceError> {
    let mut plan = Plan {
        new_types: Vec::new(),
        kinds: Vec::new(),
        described_types: Vec::new(),
        new_entities: Vec::new(),
        created: Vec::new(),
        near: Vec::new(),
        merges: Vec::new(),
        relations: Vec::new(),
    };

    // Types.
    let mut type_names: HashMap<String, (TypeTarget, Location)> = HashMap::new();
    for decl in &batch.types {
        let t = &decl.rtype;
        check_name("relation type", &t.name).map_err(|e| err(&decl.at, e.to_string()))?;
        let key = name_key(&t.name);
        if let Some((_, first)) = type_names.get(&key) {
            return Err(err(
                &decl.at,
                format!("relation type '{}' is already declared at {first}", t.name),
            ));
        }
        let target = match store.find_type(&t.name) {
            Some(id) => {
                let stored = store.relation_type(id);
                if stored.symmetric != t.symmetric {
                    let was = if stored.symmetric {
                        "symmetric"
                    } else {
                        "directed"
                    };
                    return Err(err(
                        &decl.at,
                        format!("relation type '{}' is {was} in the database", t.name),
                    ));
                }
                if (t.cameo.is_some() && t.cameo != stored.cameo)
                    || (t.description.is_some() && t.description != stored.description)
                {
                    plan.described_types.push((id, t.clone()));
                }
                TypeTarget::Stored(id)
            }
            None => {
                plan.new_types.push(t.clone());
                TypeTarget::New(plan.new_types.len() - 1)
            }
        };
        type_names.insert(key, (target, decl.at.clone()));
    }

    // Kinds.
    let mut kinds_declared: HashMap<String, Location> = HashMap::new();
    for k in &batch.kinds {
        if let Some(first) = kinds_declared.get(&k.decl.name) {
            return Err(err(
                &k.at,
                format!("kind '{}' is already declared at {first}", k.decl.name),
            ));
        }
        kinds_declared.insert(k.decl.name.clone(), k.at.clone());
        k.decl.check_style().map_err(|e| err(&k.at, e))?;
        // A declaration restyles what it names and keeps the rest.
        let mut decl = k.decl.clone();
        if let Some(stored) = store.kind_decl(&decl.name) {
            decl.shape = decl.shape.or_else(|| stored.shape.clone());
            decl.colour = decl.colour.or_else(|| stored.colour.clone());
        }
        if store.kind_decl(&decl.name) != Some(&decl) {
            plan.kinds.push(decl);
        }
    }
    let kind_known = |plan: &Plan, kind: &Kind| {
        store.knows_kind(kind)
            || batch.kinds.iter().any(|k| k.decl.name == kind.as_str())
            || plan.kinds.iter().any(|k| k.name == kind.as_str())
    };
    for decl in &batch.entities {
        let kind = &decl.entity.kind;
        if kind_known(&plan, kind) {
            continue;
        }
        if !decl.creates_kind {
            let hint = nearest(kind.as_str(), Kind::BUILT_IN.iter().map(|k| k.as_str()))
                .map(|k| format!(" (or did you mean {k}?)"))
                .unwrap_or_default();
            return Err(err(
                &decl.at,
                format!("undeclared kind '{kind}': declare it with 'kind {kind}'{hint}"),
            ));
        }
        plan.kinds.push(KindDecl {
            name: kind.as_str().to_string(),
            shape: None,
            colour: None,
        });
    }

    // Entities.
    let mut resolver = Resolver {
        store,
        written: HashMap::new(),
        written_types: HashMap::new(),
        names: HashMap::new(),
        aliases: HashMap::new(),
        declared_at: HashMap::new(),
        matcher: None,
    };
    let mut merged: HashMap<EntityId, usize> = HashMap::new();
    for decl in &batch.entities {
        plan_entity(&mut plan, &mut resolver, &mut merged, decl)?;
    }

    // Relations.
    for decl in &batch.relations {
        let relation = plan_relation(store, &mut plan, &mut resolver, &mut type_names, decl)?;
        plan.relations.push(relation);
    }
    if store.types().len() + plan.new_types.len() > u16::MAX as usize + 1 {
        return Err(err(
            &Location::command_line(),
            "the import would pass the limit of 65,536 relation types",
        ));
    }
    if store.entity_count() + plan.new_entities.len() >= u32::MAX as usize - 1
        || store.relation_count() + plan.relations.len() >= u32::MAX as usize - 1
        || store.strings().len()
            + 3 * plan.relations.len()
            + batch
                .relations
                .iter()
                .map(|r| 2 * r.properties.len())
                .sum::<usize>()
            >= u32::MAX as usize
    {
        return Err(err(
            &Location::command_line(),
            "the import would pass the database's limit of 4 billion entities, relations or strings",
        ));
    }
    Ok(plan)
}

fn plan_entity(
    plan: &mut Plan,
    resolver: &mut Resolver,
    merged: &mut HashMap<EntityId, usize>,
    decl: &EntityDecl,
) -> Result<(), SourceError> {
    let e = &decl.entity;
    check_name("entity", &e.name).map_err(|x| err(&decl.at, x.to_string()))?;
    for alias in &e.aliases {
        check_name("alias", alias).map_err(|x| err(&decl.at, x.to_string()))?;
    }
    for name in std::iter::once(&e.name).chain(&e.aliases) {
        store::check_not_id(name).map_err(|x| err(&decl.at, x.to_string()))?;
    }
    for (k, v) in &e.properties {
        store::check_property(k, v, &ENTITY_RESERVED_KEYS)
            .map_err(|x| err(&decl.at, x.to_string()))?;
    }
    let key = name_key(&e.name);
    if let Some(first) = resolver.declared_at.get(&key) {
        return Err(err(
            &decl.at,
            format!("entity '{}' is already declared at {first}", e.name),
        ));
    }
    // Within the batch too, a name means one entity: not an alias given to another
    // declaration, and no alias the name of another declaration.
    if let Some(owner) = resolver.aliases.get(&key).and_then(|t| t.first()) {
        let owner = match *owner {
            Target::Stored(id) => resolver.store.name(id).to_string(),
            Target::New(i) => plan.new_entities[i].name.clone(),
        };
        return Err(err(
            &decl.at,
            format!(
                "'{}' is declared as an alias of {owner} in this import",
                e.name
            ),
        ));
    }
    for alias in &e.aliases {
        if let Some(at) = resolver.declared_at.get(&name_key(alias)) {
            return Err(err(
                &decl.at,
                format!(
                    "alias '{alias}' of '{}' is the name of the entity declared at {at}",
                    e.name
                ),
            ));
        }
    }
    resolver.declared_at.insert(key.clone(), decl.at.clone());
    // An alias may not be another entity's canonical name (it would name two).
    for alias in &e.aliases {
        let owner = resolver.store.by_name(alias).filter(|&id| {
            name_key(resolver.store.name(id)) != key
                && !resolver
                    .store
                    .entity(id)
                    .is_some_and(|x| x.aliases.iter().any(|a| name_key(a) == key))
        });
        if let Some(owner) = owner {
            return Err(err(
                &decl.at,
                format!(
                    "alias '{alias}' of '{}' is the name of another entity, {}",
                    e.name,
                    resolver.store.name(owner)
                ),
            ));
        }
    }
    let target = match resolver.store.lookup(&e.name) {
        // Its name, or an alias of one entity (a name merged into another): the
        // declaration adds to that entity.
        Lookup::Found(id) => {
            // Two declarations may reach one entity (its name and a merged name): the
            // second adds to what the first planned.
            let stored = match merged.get(&id) {
                Some(&i) => plan.merges[i].1.clone(),
                None => resolver
                    .store
                    .entity(id)
                    .cloned()
                    .unwrap_or_else(|| e.clone()),
            };
            let mut result = stored.clone();
            if e.kind != stored.kind {
                if stored.kind != Kind::Other {
                    return Err(err(
                        &decl.at,
                        format!(
                            "entity '{}' is of kind {} in the database, not {}",
                            stored.name, stored.kind, e.kind
                        ),
                    ));
                }
                result.kind = e.kind.clone();
            }
            for alias in &e.aliases {
                result.add_alias(alias.clone());
            }
            for (k, v) in &e.properties {
                match stored.property(k) {
                    Some(old) if old != v => {
                        return Err(err(
                            &decl.at,
                            format!(
                                "entity '{}' has {k}={old:?} in the database, not {v:?}",
                                stored.name
                            ),
                        ));
                    }
                    _ => {
                        result.set_property(k.clone(), v.clone());
                    }
                }
            }
            if result != stored {
                match merged.get(&id) {
                    Some(&i) => plan.merges[i].1 = result,
                    None => {
                        merged.insert(id, plan.merges.len());
                        plan.merges.push((id, result));
                    }
                }
            }
            Target::Stored(id)
        }
        Lookup::Ambiguous(ids) => {
            let names: Vec<&str> = ids.iter().map(|&id| resolver.store.name(id)).collect();
            return Err(err(
                &decl.at,
                format!(
                    "'{}' is an alias of {}: declare the entity by its own name",
                    e.name,
                    names.join(", ")
                ),
            ));
        }
        Lookup::Missing => {
            plan.new_entities.push(e.clone());
            let target = Target::New(plan.new_entities.len() - 1);
            resolver.names.insert(key, target);
            target
        }
    };
    for alias in &e.aliases {
        let ids = resolver.aliases.entry(name_key(alias)).or_default();
        if !ids.contains(&target) {
            ids.push(target);
        }
    }
    Ok(())
}

fn plan_relation(
    store: &Store,
    plan: &mut Plan,
    resolver: &mut Resolver,
    type_names: &mut HashMap<String, (TypeTarget, Location)>,
    decl: &RelationDecl,
) -> Result<PlannedRelation, SourceError> {
    let cached = resolver
        .written_types
        .get(decl.rtype.name.as_str())
        .copied();
    let type_key = match cached {
        Some(_) => String::new(),
        None => name_key(&decl.rtype.name),
    };
    let rtype = match cached.or_else(|| type_names.get(&type_key).map(|(t, _)| *t)) {
        Some(t) => t,
        None => match store.find_type(&decl.rtype.name) {
            Some(id) => TypeTarget::Stored(id),
            None if decl.creates_missing => {
                check_name("relation type", &decl.rtype.name)
                    .map_err(|e| err(&decl.rtype.at(&decl.at), e.to_string()))?;
                plan.new_types
                    .push(RelationType::directed(decl.rtype.name.clone()));
                let t = TypeTarget::New(plan.new_types.len() - 1);
                type_names.insert(type_key, (t, decl.rtype.at(&decl.at)));
                t
            }
            None => {
                let known = store
                    .types()
                    .iter()
                    .map(|t| t.name.as_str())
                    .chain(plan.new_types.iter().map(|t| t.name.as_str()));
                let hint = match nearest(&decl.rtype.name, known) {
                    Some(s) => format!("; did you mean {s}?"),
                    None => "; declare it with 'type NAME directed|symmetric'".to_string(),
                };
                return Err(err(
                    &decl.rtype.at(&decl.at),
                    format!("undeclared relation type '{}'{hint}", decl.rtype.name),
                ));
            }
        },
    };
    if cached.is_none() {
        resolver
            .written_types
            .insert(decl.rtype.name.clone(), rtype);
    }
    let symmetric = match rtype {
        TypeTarget::Stored(id) => store.relation_type(id).symmetric,
        TypeTarget::New(i) => plan.new_types[i].symmetric,
    };
    if decl.undirected && !symmetric {
        return Err(err(
            &decl.rtype.at(&decl.at),
            format!(
                "relation type '{}' is directed: write -[{}]-> with an arrowhead",
                decl.rtype.name, decl.rtype.name
            ),
        ));
    }
    for (text, what) in [(&decl.source, "source"), (&decl.quote, "quote")] {
        if let Some(text) = text {
            check_text(&decl.at, what, text)?;
        }
    }
    for (k, v) in &decl.properties {
        store::check_property(k, v, &RESERVED_KEYS).map_err(|e| err(&decl.at, e.to_string()))?;
    }
    let from = resolver.resolve(plan, &decl.at, &decl.from, decl.creates_missing)?;
    let to = resolver.resolve(plan, &decl.at, &decl.to, decl.creates_missing)?;
    let claimed_by = match &decl.claimed_by {
        Some(name) => Some(resolver.resolve(plan, &decl.at, name, decl.creates_missing)?),
        None => None,
    };
    Ok(PlannedRelation {
        from,
        rtype,
        to,
        claimed_by,
    })
}

fn check_text(at: &Location, what: &str, text: &str) -> Result<(), SourceError> {
    store::check_text(what, text).map_err(|e| err(at, e.to_string()))
}

/// Resolves names against the store and the entities the batch declares.
struct Resolver<'s> {
    store: &'s Store,
    /// Names exactly as written, once resolved: most relations repeat a few names.
    written: HashMap<String, Target>,
    /// Relation types exactly as written, once resolved.
    written_types: HashMap<String, TypeTarget>,
    names: HashMap<String, Target>,
    aliases: HashMap<String, Vec<Target>>,
    declared_at: HashMap<String, Location>,
    /// The stored names, indexed to find the one a new name resembles (built when a
    /// name is first created).
    matcher: Option<NameMatcher>,
}

impl Resolver<'_> {
    /// Resolves `name`, written on `line`.
    fn resolve(
        &mut self,
        plan: &mut Plan,
        line: &Location,
        name: &NameRef,
        create: bool,
    ) -> Result<Target, SourceError> {
        if let Some(&t) = self.written.get(name.name.as_str()) {
            return Ok(t);
        }
        let target = self.resolve_anew(plan, &name.at(line), name, create)?;
        self.written.insert(name.name.clone(), target);
        Ok(target)
    }

    fn resolve_anew(
        &mut self,
        plan: &mut Plan,
        at: &Location,
        name: &NameRef,
        create: bool,
    ) -> Result<Target, SourceError> {
        let key = name_key(&name.name);
        if let Some(&t) = self.names.get(&key) {
            return Ok(t);
        }
        let mut candidates: Vec<Target> = Vec::new();
        match self.store.lookup(&name.name) {
            Lookup::Found(id) if name_key(self.store.name(id)) == key => {
                return Ok(Target::Stored(id));
            }
            Lookup::Found(id) => candidates.push(Target::Stored(id)),
            Lookup::Ambiguous(ids) => candidates.extend(ids.into_iter().map(Target::Stored)),
            Lookup::Missing => {}
        }
        for &t in self.aliases.get(&key).into_iter().flatten() {
            if !candidates.contains(&t) {
                candidates.push(t);
            }
        }
        match candidates.as_slice() {
            [t] => Ok(*t),
            [] if create => {
                check_name("entity", &name.name).map_err(|e| err(at, e.to_string()))?;
                store::check_not_id(&name.name).map_err(|e| err(at, e.to_string()))?;
                plan.new_entities
                    .push(Entity::new(name.name.clone(), Kind::Other));
                plan.created.push(name.name.clone());
                if self.store.entity_count() > 0 {
                    let store = self.store;
                    let matcher = self.matcher.get_or_insert_with(|| NameMatcher::of(store));
                    if let Some((id, known)) = matcher.likely(store, &name.name) {
                        plan.near.push(NearName {
                            at: Location {
                                column: 0,
                                ..at.clone()
                            }
                            .to_string(),
                            name: name.name.clone(),
                            like: store.name(id).to_string(),
                            like_name: known,
                        });
                    }
                }
                let t = Target::New(plan.new_entities.len() - 1);
                self.names.insert(key, t);
                Ok(t)
            }
            [] => {
                let suggestion = self.store.suggest(&name.name).or_else(|| {
                    nearest(
                        &name.name,
                        plan.new_entities.iter().map(|e| e.name.as_str()),
                    )
                });
                let hint = match suggestion {
                    Some(s) => format!("; did you mean {s}?"),
                    None => String::new(),
                };
                Err(err(at, format!("undeclared entity '{}'{hint}", name.name)))
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|t| match *t {
                        Target::Stored(id) => self.store.name(id).to_string(),
                        Target::New(i) => plan.new_entities[i].name.clone(),
                    })
                    .collect();
                Err(err(
                    at,
                    format!(
                        "'{}' is ambiguous: it names {}",
                        name.name,
                        names.join(", ")
                    ),
                ))
            }
        }
    }
}

/// Whether the import keeps the ids its file gives: it brings the whole graph into an
/// empty database, every entity and relation has an id, and the ids go up in the order
/// of the file (as `kg export jsonl` writes them).
fn keeps_ids(store: &Store, batch: &Batch, new_entities: usize) -> bool {
    fn rising(ids: impl Iterator<Item = Option<u32>>) -> bool {
        let mut last: Option<u32> = None;
        for id in ids {
            match id {
                Some(id) if last.is_none_or(|l| id > l) => last = Some(id),
                _ => return false,
            }
        }
        true
    }
    store.entity_bound() == 0
        && store.relation_bound() == 0
        && batch.entities.len() == new_entities
        && !batch.entities.is_empty()
        && rising(batch.entities.iter().map(|e| e.id))
        && rising(batch.relations.iter().map(|r| r.id))
}

/// The identity of a relation for duplicate detection: symmetric relations ignore the
/// order of their ends.
fn relation_key(
    store: &Store,
    from: EntityId,
    to: EntityId,
    relation: &Relation,
) -> (EntityId, EntityId, Relation) {
    let symmetric = store.relation_type(relation.rtype).symmetric;
    let (a, b) = if symmetric && to < from {
        (to, from)
    } else {
        (from, to)
    };
    (a, b, relation.clone())
}

fn execute(store: &mut Store, batch: Batch, plan: Plan, duplicates: Duplicates) -> ImportSummary {
    let mut summary = ImportSummary::default();
    store.reserve(plan.new_entities.len(), plan.relations.len());
    // The plan was checked: these additions cannot fail, and an error here would be a bug.
    let mut type_ids = Vec::with_capacity(plan.new_types.len());
    for t in plan.new_types {
        summary.types_added.push(t.name.clone());
        type_ids.push(store.add_type(t).unwrap_or(TypeId(0)));
    }
    for (id, t) in plan.described_types {
        summary.types_updated.push(t.name.clone());
        store.describe_type(id, t.cameo, t.description);
    }
    for k in plan.kinds {
        summary.kinds_added.push(k.name.clone());
        let _ = store.declare_kind(k);
    }
    let created: HashSet<String> = plan.created.iter().cloned().collect();
    let keep_ids = keeps_ids(store, &batch, plan.new_entities.len());
    summary.ids_kept = keep_ids;
    summary.ids_given = batch.entities.iter().any(|e| e.id.is_some());
    let batch_bounds = batch.id_bounds;
    let mut entity_ids = Vec::with_capacity(plan.new_entities.len());
    for (i, e) in plan.new_entities.into_iter().enumerate() {
        if !created.contains(&e.name) {
            summary.entities_added += 1;
        }
        if keep_ids {
            store.skip_ids_to(batch.entities[i].id.map(EntityId), None);
        }
        entity_ids.push(store.add_entity(e).unwrap_or(EntityId(u32::MAX)));
    }
    summary.entities_created = plan.created;
    summary.near_names = plan.near;
    for (id, merged) in plan.merges {
        if store.update_entity(id, |e| *e = merged).is_ok() {
            summary.entities_updated += 1;
        }
    }
    let entity = |t: Target| match t {
        Target::Stored(id) => id,
        Target::New(i) => entity_ids[i],
    };
    // Only a relation between two entities the store had before can be there already;
    // when there is none (a first import), relations go straight into the store.
    let dedupe = duplicates == Duplicates::Skip
        && plan
            .relations
            .iter()
            .any(|p| matches!((p.from, p.to), (Target::Stored(_), Target::Stored(_))));
    let mut relations = Vec::new();
    for (planned, decl) in plan.relations.into_iter().zip(batch.relations) {
        let rtype = match planned.rtype {
            TypeTarget::Stored(id) => id,
            TypeTarget::New(i) => type_ids[i],
        };
        // An empty source or quote is no source or quote.
        let text = |t: Option<Box<str>>| t.filter(|t| !t.is_empty()).map(String::from);
        let written = RelationText {
            rtype,
            when: decl.when,
            status: decl.status,
            grade: decl.grade,
            source: text(decl.source),
            quote: text(decl.quote),
            claimed_by: planned.claimed_by.map(entity),
            properties: decl.properties,
        };
        // The plan checked the limits, so interning cannot fail here.
        let Ok(relation) = store.relation_of_text(written) else {
            continue;
        };
        let (from, to) = (entity(planned.from), entity(planned.to));
        if keep_ids {
            store.skip_ids_to(None, decl.id.map(RelationId));
        }
        if dedupe {
            let both_stored = matches!(
                (planned.from, planned.to),
                (Target::Stored(_), Target::Stored(_))
            );
            relations.push((from, to, relation, both_stored));
        } else if let Ok(id) = store.add_relation(from, to, relation) {
            summary.relations_added += 1;
            summary.relation_ids.push(id);
        }
    }
    if keep_ids && let Some((entities, relations)) = batch_bounds {
        // Ids removed in the database the file came from are not given here either.
        store.skip_counters_to(EntityId(entities), RelationId(relations));
    }
    let mut present = match dedupe {
        true => stored_copies(store, &relations),
        false => HashMap::new(),
    };
    for (from, to, relation, both_stored) in relations {
        if both_stored
            && let Some(ids) = present.get_mut(&relation_key(store, from, to, &relation))
            && let Some(id) = ids.pop()
        {
            summary.relations_present += 1;
            summary.present_ids.push(id);
            continue;
        }
        if let Ok(id) = store.add_relation(from, to, relation) {
            summary.relations_added += 1;
            summary.relation_ids.push(id);
        }
    }
    summary
}

/// The stored relations equal to each of the batch's relations (the highest id last,
/// so the lowest is matched first). Only the relations of the entities the batch
/// touches are looked at.
fn stored_copies(
    store: &Store,
    relations: &[(EntityId, EntityId, Relation, bool)],
) -> HashMap<(EntityId, EntityId, Relation), Vec<RelationId>> {
    let candidates = || relations.iter().filter(|r| r.3);
    let wanted: HashSet<(EntityId, EntityId, Relation)> = candidates()
        .map(|(f, t, r, _)| relation_key(store, *f, *t, r))
        .collect();
    if wanted.is_empty() {
        return HashMap::new();
    }
    let ends: HashSet<EntityId> = candidates().flat_map(|(f, t, _, _)| [*f, *t]).collect();
    let mut copies: HashMap<_, Vec<RelationId>> = HashMap::new();
    for &end in &ends {
        for r in store.relations_of(end).filter(|r| r.from == end) {
            let key = relation_key(store, r.from, r.to, r.relation);
            if wanted.contains(&key) {
                copies.entry(key).or_default().push(r.id);
            }
        }
    }
    for ids in copies.values_mut() {
        ids.sort_unstable_by(|a, b| b.cmp(a));
    }
    copies
}
