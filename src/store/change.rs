//! The changes a store records for the journal, as data: replaying them on the
//! snapshot they extend rebuilds the store, ids included.

use serde::{Deserialize, Serialize};

use super::history::Entry;

use crate::model::{
    Entity, EntityId, Grade, KindDecl, RelationId, RelationType, Status, TimeSpan, TypeId,
};

/// A change to the store, as the journal keeps it: replaying the changes of a journal
/// on the snapshot it belongs to rebuilds the store, ids included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    AddType {
        id: TypeId,
        rtype: RelationType,
    },
    DescribeType {
        id: TypeId,
        cameo: Option<String>,
        description: Option<String>,
    },
    AddEntity {
        id: EntityId,
        entity: Entity,
    },
    UpdateEntity {
        id: EntityId,
        entity: Entity,
    },
    AddRelation {
        id: RelationId,
        from: EntityId,
        to: EntityId,
        relation: RelationText,
    },
    RemoveRelation {
        id: RelationId,
    },
    RemoveEntity {
        id: EntityId,
    },
    // Variants are only ever added at the end: journals name them by position.
    RenameEntity {
        id: EntityId,
        name: String,
    },
    UpdateRelation {
        id: RelationId,
        relation: RelationText,
    },
    MoveRelation {
        id: RelationId,
        from: EntityId,
        to: EntityId,
    },
    RestoreEntity {
        id: EntityId,
        entity: Entity,
    },
    RestoreRelation {
        id: RelationId,
        from: EntityId,
        to: EntityId,
        relation: RelationText,
    },
    RemoveType {
        id: TypeId,
    },
    ReplaceType {
        id: TypeId,
        rtype: RelationType,
    },
    /// Removes the entities with ids `first..=last` (the undo of adding them).
    RemoveEntities {
        first: EntityId,
        last: EntityId,
    },
    /// Removes the relations with ids `first..=last` (the undo of adding them).
    RemoveRelations {
        first: RelationId,
        last: RelationId,
    },
    /// The history entry of the write whose changes precede it.
    Record {
        entry: Box<Entry>,
    },
    /// Declares a kind of the graph's own, or redeclares it with another style.
    DeclareKind {
        decl: KindDecl,
    },
    /// Forgets a declared kind no entity has.
    ForgetKind {
        name: String,
    },
    /// Moves the id counters up (an import that keeps a file's ids and counters).
    SkipIds {
        entities: EntityId,
        relations: RelationId,
    },
}

/// A relation with its strings written out (interned symbols belong to one store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationText {
    pub rtype: TypeId,
    pub when: TimeSpan,
    pub status: Status,
    pub grade: Option<Grade>,
    pub source: Option<String>,
    pub quote: Option<String>,
    pub claimed_by: Option<EntityId>,
    pub properties: Vec<(String, String)>,
}

/// The changes recorded so far, or the fact that there were more than the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recording {
    Changes(Vec<Change>, usize),
    TooMany,
}
