//! What an import changed, and how it treats relations already stored.

use serde::Serialize;

use crate::model::RelationId;

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
    /// Relations of a symmetric type written with an arrowhead in a `.kg` source: where
    /// (`file:line:column`) and the type. The arrowhead is not kept.
    pub pointed_symmetric: Vec<(String, String)>,
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
