//! The store's invariants, checked at every load and by `kg check`.

use super::Store;
use super::checks::{check_entity, check_property};
use crate::model::{RESERVED_KEYS, TimeSpan};

impl Store {
    /// Every broken invariant, described (empty when the store is sound): the structure
    /// checked at every load, and strings stored twice (which a load checks too, on the
    /// other core).
    pub fn verify(&self) -> Vec<String> {
        if self.frozen.is_some() {
            return self.verify_in_place();
        }
        let mut problems = self.verify_structure();
        let duplicates = self.strings.duplicates();
        if duplicates > 0 {
            problems.push(format!("{duplicates} interned strings are stored twice"));
        }
        problems
    }

    /// Every broken invariant of a store that reads a file in place: every record must
    /// read (the graph is built from them, as a change would), the graph must be sound,
    /// and the file's indexes and counts must be those of the graph.
    fn verify_in_place(&self) -> Vec<String> {
        let mut thawed = self.clone();
        if let Err(e) = thawed.thaw() {
            return vec![e.to_string()];
        }
        let mut problems = thawed.verify();
        if (self.entity_count(), self.relation_count())
            != (thawed.entity_count(), thawed.relation_count())
        {
            problems.push(format!(
                "the file counts {} entities and {} relations; it holds {} and {}",
                self.entity_count(),
                self.relation_count(),
                thawed.entity_count(),
                thawed.relation_count()
            ));
        }
        // Every entity is found by its name and aliases.
        let (mut names, mut aliases) = (0, 0);
        for (id, e) in thawed.entities() {
            if self.by_name(&e.name) != Some(id) {
                problems.push(format!("the name index does not find entity {}", id.0));
            }
            for alias in &e.aliases {
                if !self.by_alias(alias).contains(&id) {
                    problems.push(format!(
                        "the alias index does not find entity {} by '{alias}'",
                        id.0
                    ));
                }
            }
        }
        // The file's index holds the names and aliases of the file's records (an entity
        // changed or removed since is indexed apart).
        if let Some(frozen) = &self.frozen {
            for file in (0..frozen.entity_bound())
                .filter_map(|id| frozen.entity(crate::model::EntityId(id)))
            {
                names += 1;
                aliases += file.aliases.len();
            }
        }
        if let Some(frozen) = &self.frozen
            && frozen.index_sizes() != (names, aliases)
        {
            problems.push("the name or alias index holds names no entity has".to_string());
        }
        let rebuilt =
            super::build_adjacency(&thawed.graph, &thawed.entity_ids, &thawed.relation_ids);
        let adjacency = self.adjacency();
        let same = (0..thawed.entity_ids.bound())
            .map(crate::model::EntityId)
            .all(|e| rebuilt.of(e).eq(adjacency.of(e)));
        if !same {
            problems.push("the adjacency does not match the relations".to_string());
        }
        if adjacency.orders_by_other() && !adjacency.by_other_is_sound() {
            problems.push("the adjacency's order by entity does not order its lists".to_string());
        }
        problems
    }

    /// The invariants that keep every command safe, checked at every load: each
    /// reference points at something that exists, each stored value is well formed.
    pub(super) fn verify_structure(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (id, entity) in self.entities() {
            if let Err(e) = check_entity(&entity) {
                problems.push(format!("entity {}: {e}", id.0));
            }
            if !self.knows_kind(&entity.kind) {
                problems.push(format!(
                    "entity {}: kind '{}' is not declared",
                    id.0, entity.kind
                ));
            }
        }
        for r in self.relations() {
            let rel = r.relation;
            let mut bad = |what: String| problems.push(format!("relation {}: {what}", r.id));
            if self.entity(r.from).is_none() || self.entity(r.to).is_none() {
                bad("joins an entity that does not exist".to_string());
            }
            if rel.rtype.0 as usize >= self.types.len() {
                bad(format!("unknown type id {}", rel.rtype.0));
            }
            let syms = rel
                .source
                .iter()
                .chain(&rel.quote)
                .chain(rel.properties.iter().flat_map(|(k, v)| [k, v]));
            if syms.into_iter().any(|&s| !self.strings.contains(s)) {
                bad("refers to a missing string".to_string());
            }
            if [rel.source, rel.quote]
                .into_iter()
                .flatten()
                .any(|s| self.strings.get(s).is_empty())
            {
                bad("has an empty source or quote".to_string());
            }
            if let Some(c) = rel.claimed_by
                && self.entity(c).is_none()
            {
                bad(format!("claimed by missing entity {}", c.0));
            }
            let w = rel.when;
            if TimeSpan::from_parts(w.earliest(), w.latest(), w.shape()).is_none() {
                bad("malformed date".to_string());
            }
            if rel.grade.is_some_and(|g| !g.is_valid()) {
                bad("malformed grade".to_string());
            }
            if let Some(problem) = rel.properties.iter().find_map(|(k, v)| {
                check_property(self.strings.get(*k), self.strings.get(*v), &RESERVED_KEYS).err()
            }) {
                bad(problem.to_string());
            }
            if !rel
                .properties
                .windows(2)
                .all(|p| self.strings.get(p[0].0) < self.strings.get(p[1].0))
            {
                bad("properties are not sorted by key".to_string());
            }
        }
        problems
    }
}
