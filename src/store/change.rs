//! The changes a store records for the journal, as data: replaying them on the
//! snapshot they extend rebuilds the store, ids included.

use serde::{Deserialize, Serialize};

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

/// One write, as history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// 1 for the first write the database recorded, then counting up.
    pub seq: u64,
    /// When the write was made, in seconds since 1970-01-01 UTC.
    pub time: i64,
    /// The command that made it, as typed.
    pub command: String,
    /// The writes this one undid (for `kg undo`), or none.
    pub undoes: Vec<u64>,
    /// The changes that undo this write, in the order they apply.
    pub inverse: Vec<Change>,
}

/// The fields of an [`Entry`] as they are read back.
#[derive(Deserialize)]
struct EntryForm {
    seq: u64,
    time: i64,
    command: String,
    undoes: Vec<u64>,
    inverse: Vec<Change>,
}

thread_local! {
    /// How many history entries this thread is reading inside one another.
    static READING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts an entry being read for as long as it lives.
struct Reading;

impl Reading {
    fn enter() -> (Reading, u32) {
        let depth = READING.with(|d| {
            let depth = d.get();
            d.set(depth + 1);
            depth
        });
        (Reading, depth)
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        READING.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

impl<'de> Deserialize<'de> for Entry {
    /// An entry's undo never holds another entry: a file that nests them is damaged,
    /// and is refused before nesting can run the decoder out of stack.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Entry, D::Error> {
        let (_reading, depth) = Reading::enter();
        if depth > 0 {
            return Err(serde::de::Error::custom(
                "a history entry inside a history entry",
            ));
        }
        let f = EntryForm::deserialize(d)?;
        Ok(Entry {
            seq: f.seq,
            time: f.time,
            command: f.command,
            undoes: f.undoes,
            inverse: f.inverse,
        })
    }
}
