//! Planning an import: every declaration checked and every name resolved against the
//! store and the batch, before anything changes.

use foldhash::{HashMap, HashMapExt};

use super::summary::NearName;
use crate::find::NameMatcher;
use crate::model::{ENTITY_RESERVED_KEYS, RESERVED_KEYS};
use crate::model::{Entity, EntityId, Kind, KindDecl, RelationType, TypeId};
use crate::source::{Batch, EntityDecl, Location, RelationView, SourceError, WrittenName};
use crate::store::{self, Lookup, Store, check_name, name_key, nearest};

/// An entity as a relation's end: already stored, or added by this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Target {
    Stored(EntityId),
    /// The position among the plan's new entities (a u32, as ids are: a relation's
    /// plan is 32 bytes, ten million of them 320 MB).
    New(u32),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum TypeTarget {
    Stored(TypeId),
    New(u32),
}

pub(super) struct PlannedRelation {
    pub(super) from: Target,
    pub(super) rtype: TypeTarget,
    pub(super) to: Target,
    pub(super) claimed_by: Option<Target>,
}

/// The resolved plan: nothing here can fail to apply.
pub(super) struct Plan {
    pub(super) new_types: Vec<RelationType>,
    /// Kinds to declare (new, or restyled), in the order first met.
    pub(super) kinds: Vec<KindDecl>,
    pub(super) described_types: Vec<(TypeId, RelationType)>,
    pub(super) new_entities: Vec<Entity>,
    pub(super) created: Vec<String>,
    pub(super) near: Vec<NearName>,
    /// Where a symmetric type was written with an arrowhead, and the type.
    pub(super) pointed_symmetric: Vec<(String, String)>,
    pub(super) merges: Vec<(EntityId, Entity)>,
    pub(super) relations: Vec<PlannedRelation>,
}

fn err(at: &Location, message: impl Into<String>) -> SourceError {
    SourceError::new(at.clone(), message)
}

pub(super) fn plan(store: &Store, batch: &Batch) -> Result<Plan, SourceError> {
    let mut plan = Plan {
        new_types: Vec::new(),
        kinds: Vec::new(),
        described_types: Vec::new(),
        new_entities: Vec::new(),
        created: Vec::new(),
        near: Vec::new(),
        pointed_symmetric: Vec::new(),
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
                TypeTarget::New(plan.new_types.len() as u32 - 1)
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
        written: vec![None; batch.relations.name_count()],
        written_types: vec![None; batch.relations.name_count()],
        checked_texts: vec![false; batch.relations.text_count()],
        names: HashMap::with_capacity(batch.entities.len()),
        aliases: HashMap::new(),
        declared_at: HashMap::with_capacity(batch.entities.len()),
        matcher: None,
    };
    let mut merged: HashMap<EntityId, usize> = HashMap::new();
    plan.new_entities.reserve(batch.entities.len());
    for decl in &batch.entities {
        plan_entity(&mut plan, &mut resolver, &mut merged, decl)?;
    }

    // Relations.
    plan.relations.reserve_exact(batch.relations.len());
    for decl in batch.relations.iter() {
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
        || store.string_count() + 3 * plan.relations.len() + 2 * batch.relations.property_count()
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
            Target::New(i) => plan.new_entities[i as usize].name.clone(),
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
                    .map(std::borrow::Cow::into_owned)
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
            let target = Target::New(plan.new_entities.len() as u32 - 1);
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
    decl: RelationView,
) -> Result<PlannedRelation, SourceError> {
    let written_type = decl.rtype();
    let cached = resolver.written_types[written_type.number as usize];
    let type_key = match cached {
        Some(_) => String::new(),
        None => name_key(written_type.name()),
    };
    let rtype = match cached.or_else(|| type_names.get(&type_key).map(|(t, _)| *t)) {
        Some(t) => t,
        None => match store.find_type(written_type.name()) {
            Some(id) => TypeTarget::Stored(id),
            None if decl.creates_missing() => {
                let at = written_type.at(&decl.at());
                check_name("relation type", written_type.name())
                    .map_err(|e| err(&at, e.to_string()))?;
                plan.new_types
                    .push(RelationType::directed(written_type.name().to_string()));
                let t = TypeTarget::New(plan.new_types.len() as u32 - 1);
                type_names.insert(type_key, (t, at));
                t
            }
            None => {
                let known = store
                    .types()
                    .iter()
                    .map(|t| t.name.as_str())
                    .chain(plan.new_types.iter().map(|t| t.name.as_str()));
                let at = decl.at();
                let hint = match nearest(written_type.name(), known) {
                    Some(s) => format!("; did you mean {s}?"),
                    None if at.file.to_ascii_lowercase().ends_with(".kg") => {
                        "; declare it with 'type NAME directed|symmetric'".to_string()
                    }
                    // CSV and JSONL have no declarations of their own.
                    None => format!(
                        "; add it first (kg add type {}), or import a relation types file (name,direction)",
                        written_type.name()
                    ),
                };
                return Err(err(
                    &written_type.at(&decl.at()),
                    format!("undeclared relation type '{}'{hint}", written_type.name()),
                ));
            }
        },
    };
    resolver.written_types[written_type.number as usize] = Some(rtype);
    let symmetric = match rtype {
        TypeTarget::Stored(id) => store.relation_type(id).symmetric,
        TypeTarget::New(i) => plan.new_types[i as usize].symmetric,
    };
    if decl.pointed() && symmetric {
        plan.pointed_symmetric
            .push((decl.at().to_string(), written_type.name().to_string()));
    }
    if decl.undirected() && !symmetric {
        return Err(err(
            &written_type.at(&decl.at()),
            format!(
                "relation type '{}' is directed: write -[{}]-> with an arrowhead",
                written_type.name(),
                written_type.name()
            ),
        ));
    }
    for (text, what) in [(decl.source(), "source"), (decl.quote(), "quote")] {
        if let Some(text) = text
            && !resolver.checked_texts[text.number as usize]
        {
            check_text(&decl.at(), what, text.text)?;
            resolver.checked_texts[text.number as usize] = true;
        }
    }
    for (k, v) in decl.properties() {
        store::check_property(k, v, &RESERVED_KEYS).map_err(|e| err(&decl.at(), e.to_string()))?;
    }
    let create = decl.creates_missing();
    let from = resolver.resolve(plan, &decl, decl.from(), create)?;
    let to = resolver.resolve(plan, &decl, decl.to(), create)?;
    let claimed_by = match decl.claimed_by() {
        Some(name) => Some(resolver.resolve(plan, &decl, name, create)?),
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
    /// The batch's written names, by number, once resolved: most relations repeat a
    /// few names.
    written: Vec<Option<Target>>,
    /// The batch's written relation types, by number, once resolved.
    written_types: Vec<Option<TypeTarget>>,
    /// The batch's sources and quotes, by number, once checked.
    checked_texts: Vec<bool>,
    names: HashMap<String, Target>,
    aliases: HashMap<String, Vec<Target>>,
    declared_at: HashMap<String, Location>,
    /// The stored names, indexed to find the one a new name resembles (built when a
    /// name is first created).
    matcher: Option<NameMatcher>,
}

impl Resolver<'_> {
    /// Resolves `name`, written in `relation`.
    fn resolve(
        &mut self,
        plan: &mut Plan,
        relation: &RelationView,
        name: WrittenName,
        create: bool,
    ) -> Result<Target, SourceError> {
        if let Some(t) = self.written[name.number as usize] {
            return Ok(t);
        }
        let target = self.resolve_anew(plan, &name.at(&relation.at()), name.name(), create)?;
        self.written[name.number as usize] = Some(target);
        Ok(target)
    }

    fn resolve_anew(
        &mut self,
        plan: &mut Plan,
        at: &Location,
        name: &str,
        create: bool,
    ) -> Result<Target, SourceError> {
        let key = name_key(name);
        if let Some(&t) = self.names.get(&key) {
            return Ok(t);
        }
        let mut candidates: Vec<Target> = Vec::new();
        match self.store.lookup(name) {
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
                check_name("entity", name).map_err(|e| err(at, e.to_string()))?;
                store::check_not_id(name).map_err(|e| err(at, e.to_string()))?;
                plan.new_entities
                    .push(Entity::new(name.to_string(), Kind::Other));
                plan.created.push(name.to_string());
                if self.store.entity_count() > 0 {
                    let store = self.store;
                    let matcher = self.matcher.get_or_insert_with(|| NameMatcher::of(store));
                    if let Some((id, known)) = matcher.likely(store, name) {
                        plan.near.push(NearName {
                            at: Location {
                                column: 0,
                                ..at.clone()
                            }
                            .to_string(),
                            name: name.to_string(),
                            like: store.name(id).to_string(),
                            like_name: known,
                        });
                    }
                }
                let t = Target::New(plan.new_entities.len() as u32 - 1);
                self.names.insert(key, t);
                Ok(t)
            }
            [] => {
                let suggestion = self
                    .store
                    .suggest(name)
                    .or_else(|| nearest(name, plan.new_entities.iter().map(|e| e.name.as_str())));
                let hint = match suggestion {
                    Some(s) => format!("; did you mean {s}?"),
                    None => String::new(),
                };
                Err(err(at, format!("undeclared entity '{}'{hint}", name)))
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|t| match *t {
                        Target::Stored(id) => self.store.name(id).to_string(),
                        Target::New(i) => plan.new_entities[i as usize].name.clone(),
                    })
                    .collect();
                Err(err(
                    at,
                    format!("'{}' is ambiguous: it names {}", name, names.join(", ")),
                ))
            }
        }
    }
}
