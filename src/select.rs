//! The one [`Selection`] of entities and relations that every search and listing
//! consults: relation types, entity kinds, a date window (overlap, or containment with
//! `strict`), a minimum status and a minimum Admiralty grade.

use petgraph::stable_graph::{EdgeReference, NodeIndex};
use petgraph::visit::{EdgeFiltered, FilterEdge, FilterNode, NodeFiltered};

use crate::model::{
    Day, Entity, EntityId, Grade, Kind, Relation, RelationFacts, Status, TimeSpan, TypeId,
};
use crate::store::{Graph, Store};

/// Which relations and entities a command sees. The default selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only relations of these types (all when `None`), indexed by type id.
    types: Option<Vec<bool>>,
    /// Only entities of these kinds (all when empty).
    pub kinds: Vec<Kind>,
    /// Only relations whose dates overlap this window (`earliest..=latest`).
    pub window: Option<(Day, Day)>,
    /// With a window: only relations certainly inside it.
    pub strict: bool,
    /// Only relations at least this well established.
    pub min_status: Option<Status>,
    /// Only relations graded at least this well on both scales (ungraded ones fail).
    pub min_grade: Option<Grade>,
}

impl Selection {
    /// The selection in words, for `--explain`.
    pub fn describe(&self, store: &Store) -> String {
        let mut parts = Vec::new();
        if let Some(mask) = &self.types {
            let names: Vec<&str> = mask
                .iter()
                .enumerate()
                .filter(|(_, on)| **on)
                .map(|(i, _)| store.type_name(TypeId(i as u16)))
                .collect();
            parts.push(format!("relation types {}", names.join(", ")));
        }
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
            parts.push(format!(
                "entity kinds {} (the two ends exempt)",
                kinds.join(", ")
            ));
        }
        if let Some((from, to)) = self.window {
            let rule = if self.strict {
                "certainly inside"
            } else {
                "overlapping"
            };
            let day = |d: Day| {
                if d == TimeSpan::UNDATED.earliest() || d == TimeSpan::UNDATED.latest() {
                    "…".to_string()
                } else {
                    crate::model::time::format_day(d)
                }
            };
            parts.push(format!(
                "dates {rule} {}..{} (undated relations pass)",
                day(from),
                day(to)
            ));
        }
        if let Some(status) = self.min_status {
            parts.push(match status {
                Status::Unconfirmed => "every status but denied".to_string(),
                status => format!("status at least {status}"),
            });
        }
        if let Some(grade) = self.min_grade {
            parts.push(format!("grade at least {grade}"));
        }
        if parts.is_empty() {
            "every relation and entity".to_string()
        } else {
            parts.join("; ")
        }
    }

    /// Everything.
    pub fn all() -> Selection {
        Selection::default()
    }

    /// Restricts relations to the given types.
    pub fn with_types(mut self, types: impl IntoIterator<Item = TypeId>) -> Selection {
        let mut mask = Vec::new();
        for t in types {
            let i = t.0 as usize;
            if mask.len() <= i {
                mask.resize(i + 1, false);
            }
            mask[i] = true;
        }
        self.types = Some(mask);
        self
    }

    /// The window from the first day of `from` to the last day of `to` (either open).
    pub fn with_window(mut self, from: Option<TimeSpan>, to: Option<TimeSpan>) -> Selection {
        if from.is_some() || to.is_some() {
            let start = from.map_or(TimeSpan::UNDATED.earliest(), |f| f.earliest());
            let end = to.map_or(TimeSpan::UNDATED.latest(), |t| t.latest());
            self.window = Some((start, end));
        }
        self
    }

    /// The window from `from` to `to`, only relations certainly inside it when
    /// `strict`; an error when `to` is before `from` or `strict` has no window, naming
    /// the settings with `prefix` (`--` on the command line, nothing in a query).
    pub fn with_checked_window(
        self,
        from: Option<TimeSpan>,
        to: Option<TimeSpan>,
        strict: bool,
        prefix: &str,
    ) -> Result<Selection, String> {
        if let (Some(from), Some(to)) = (from, to)
            && to.latest() < from.earliest()
        {
            return Err(format!("{prefix}to {to} is before {prefix}from {from}"));
        }
        let mut selection = self.with_window(from, to);
        if strict && selection.window.is_none() {
            return Err(format!(
                "{prefix}strict needs a window: give {prefix}from and/or {prefix}to"
            ));
        }
        selection.strict = strict;
        Ok(selection)
    }

    /// Whether a relation is selected (its ends are judged by [`Selection::allows_entity`]).
    pub fn allows_relation(&self, relation: &Relation) -> bool {
        self.allows_facts(&relation.facts())
    }

    /// Whether a relation of these facts is selected.
    pub fn allows_facts(&self, relation: &RelationFacts) -> bool {
        if let Some(mask) = &self.types
            && !mask
                .get(relation.rtype.0 as usize)
                .copied()
                .unwrap_or(false)
        {
            return false;
        }
        if let Some((start, end)) = self.window
            && let Some((earliest, latest)) = relation.days
        {
            let inside = if self.strict {
                start <= earliest && latest <= end
            } else {
                earliest <= end && start <= latest
            };
            if !inside {
                return false;
            }
        }
        if let Some(min) = self.min_status
            && relation.status < min
        {
            return false;
        }
        if let Some(min) = self.min_grade
            && !relation.grade.unwrap_or(Grade::UNGRADED).at_least(min)
        {
            return false;
        }
        true
    }

    /// Whether an entity is selected.
    pub fn allows_entity(&self, entity: &Entity) -> bool {
        self.allows_kind(&entity.kind)
    }

    /// Whether entities of `kind` are selected.
    pub fn allows_kind(&self, kind: &Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(kind)
    }

    /// Whether no relation is filtered out (entities may still be).
    pub fn keeps_every_relation(&self) -> bool {
        self.types.is_none()
            && self.window.is_none()
            && self.min_status.is_none()
            && self.min_grade.is_none()
    }

    /// Whether the selection lets everything through.
    pub fn is_everything(&self) -> bool {
        *self == Selection::default()
    }
}

/// The entities a selection lets a search enter: those of the selected kinds, and the
/// exempt ones (the ends a user named) whatever their kind.
#[derive(Debug, Clone, Copy)]
pub struct EntityFilter<'a> {
    graph: &'a Graph,
    selection: &'a Selection,
    exempt: [Option<NodeIndex<u32>>; 2],
}

impl FilterNode<NodeIndex<u32>> for EntityFilter<'_> {
    fn include_node(&self, n: NodeIndex<u32>) -> bool {
        self.selection.kinds.is_empty()
            || self.exempt.contains(&Some(n))
            || self
                .graph
                .node_weight(n)
                .is_some_and(|e| self.selection.allows_entity(e))
    }
}

/// The relations a selection lets a search follow.
#[derive(Debug, Clone, Copy)]
pub struct RelationFilter<'a> {
    selection: &'a Selection,
}

impl<'g> FilterEdge<EdgeReference<'g, Relation, u32>> for RelationFilter<'_> {
    fn include_edge(&self, edge: EdgeReference<'g, Relation, u32>) -> bool {
        self.selection.allows_relation(edge.weight())
    }
}

/// The store's graph with the entities a selection excludes filtered out.
pub type EntityView<'a> = NodeFiltered<&'a Graph, EntityFilter<'a>>;

/// The store's graph as a selection sees it: a petgraph view that petgraph's own
/// algorithms accept, with the same predicates the walkers apply. Built from an [`EntityView`] (petgraph's
/// filters nest by reference):
///
/// ```
/// # let store = kg::bundled_graph()?;
/// # let selection = kg::select::Selection::all();
/// let entities = selection.entity_view(&store, &[]);
/// let view = selection.view(&entities);
/// let start = store.node_index(store.resolve("Naryshkin")?).ok_or("a live entity")?;
/// let reachable = petgraph::algo::dijkstra(&view, start, None, |_| 1);
/// assert!(reachable.len() > 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type SelectedGraph<'v, 'a> = EdgeFiltered<&'v EntityView<'a>, RelationFilter<'a>>;

impl Selection {
    /// The graph of `store` without the entities this selection excludes; `exempt`
    /// entities (at most two: a path's ends, a neighbourhood's centre) stay whatever
    /// their kind.
    pub fn entity_view<'a>(&'a self, store: &'a Store, exempt: &[EntityId]) -> EntityView<'a> {
        NodeFiltered(
            store.graph(),
            EntityFilter {
                graph: store.graph(),
                selection: self,
                exempt: [
                    exempt.first().and_then(|&e| store.node_index(e)),
                    exempt.get(1).and_then(|&e| store.node_index(e)),
                ],
            },
        )
    }

    /// `entities` further restricted to the relations this selection keeps.
    pub fn view<'v, 'a>(&'a self, entities: &'v EntityView<'a>) -> SelectedGraph<'v, 'a> {
        EdgeFiltered(entities, RelationFilter { selection: self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(text: &str) -> Relation {
        let mut r = Relation::new(TypeId(0));
        r.when = TimeSpan::parse(text).unwrap();
        r
    }

    #[test]
    fn windows_overlap_or_contain() {
        let p = |s| Some(TimeSpan::parse(s).unwrap());
        let february = Selection::all().with_window(p("2025-02-01"), p("2025-02"));
        assert!(february.allows_relation(&dated("2025-02-12")));
        assert!(february.allows_relation(&dated("..2025-06-29")));
        assert!(february.allows_relation(&dated("")));
        assert!(!february.allows_relation(&dated("2025-03")));
        let strict = Selection {
            strict: true,
            ..february
        };
        assert!(strict.allows_relation(&dated("2025-02-28")));
        assert!(!strict.allows_relation(&dated("..2025-06-29")));
        assert!(strict.allows_relation(&dated("")));
    }

    #[test]
    fn types_status_and_grade() {
        let sel = Selection {
            min_status: Some(Status::Reported),
            ..Selection::all().with_types([TypeId(1)])
        };
        let mut r = Relation::new(TypeId(1));
        assert!(sel.allows_relation(&r));
        r.status = Status::Claimed;
        assert!(!sel.allows_relation(&r));
        assert!(!sel.allows_relation(&Relation::new(TypeId(0))));
        let graded = Selection {
            min_grade: Some("B2".parse().unwrap()),
            ..Selection::all()
        };
        let mut r = Relation::new(TypeId(0));
        assert!(!graded.allows_relation(&r));
        r.grade = Some("A2".parse().unwrap());
        assert!(graded.allows_relation(&r));
    }
}
