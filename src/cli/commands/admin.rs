//! The database's upkeep and kg's own files: `kg check`, `kg compact`,
//! `kg completions`, `kg man`.

use serde_json::{Value, json};

use kg::storage::{self, Replayed};
use kg::{Error, bundled_graph};

use crate::cli::args::{self, Cli};
use crate::cli::describe::count;
use crate::cli::render::{Answer, Block, Report, Sheet};
use crate::cli::session::{Session, database};

/// What a full check found sound.
struct Checked {
    database: String,
    entities: usize,
    relations: usize,
    journal: Replayed,
}

/// `kg check`: reads the database (or the bundled graph) and checks every invariant;
/// any damage is an error naming it.
pub fn check(session: &Session) -> Result<Answer<'static>, Error> {
    let (what, store, journal) = match session.db() {
        Some(path) => {
            let opened = database(path).open()?;
            (path.display().to_string(), opened.store, opened.journal)
        }
        None => (
            "bundled graph".to_string(),
            bundled_graph()?,
            Replayed::default(),
        ),
    };
    if let Some(first) = store.verify().first() {
        return Err(Error::Usage(format!("{what}: damaged: {first}")));
    }
    let checked = Checked {
        database: what,
        entities: store.entity_count(),
        relations: store.relation_count(),
        journal,
    };
    Ok(Answer::report(checked))
}

impl Report for Checked {
    fn json(&self) -> Value {
        json!({
            "ok": true,
            "database": self.database,
            "entities": self.entities,
            "relations": self.relations,
            "format_version": storage::FORMAT_VERSION,
            "journal_records": self.journal.records,
            "journal_torn_bytes": self.journal.torn_bytes,
        })
    }

    fn csv(&self) -> Sheet {
        Sheet::new(
            &["ok", "database", "entities", "relations", "journal_records"],
            vec![vec![
                "true".into(),
                self.database.clone(),
                self.entities.to_string(),
                self.relations.to_string(),
                self.journal.records.to_string(),
            ]],
        )
    }

    fn text(&self) -> Vec<Block> {
        let journal = match self.journal.records {
            0 => String::new(),
            n => format!(" ({} in the journal)", count(n, "write", "writes")),
        };
        vec![Block::Line(format!(
            "ok: {}: {}, {}{journal}, every check passed",
            self.database,
            count(self.entities, "entity", "entities"),
            count(self.relations, "relation", "relations")
        ))]
    }
}

/// `kg compact`: folds the journal into a new snapshot.
pub fn compact(session: &Session) -> Result<Answer<'static>, Error> {
    let Some(path) = session.db() else {
        return Err(Error::Usage(
            "compact needs a database: give --db FILE or set KG_DB".to_string(),
        ));
    };
    Ok(Answer::report(database(path).compact()?))
}

impl Report for storage::Compaction {
    fn json(&self) -> Value {
        json!({"compacted": self.compacted, "records": self.records, "changes": self.changes})
    }

    fn csv(&self) -> Sheet {
        Sheet::new(
            &["compacted", "records", "changes"],
            vec![vec![
                self.compacted.to_string(),
                self.records.to_string(),
                self.changes.to_string(),
            ]],
        )
    }

    fn text(&self) -> Vec<Block> {
        let message = match (self.compacted, self.records) {
            (false, _) => "nothing to compact: there is no journal".to_string(),
            (true, 0) => "removed a journal with no changes to keep".to_string(),
            (true, n) => format!(
                "folded {n} journal records ({} changes) into a new snapshot",
                self.changes
            ),
        };
        vec![Block::Line(message)]
    }
}

/// `kg completions SHELL`: the completion script.
pub fn completions(shell: clap_complete::Shell) -> Answer<'static> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "kg", &mut bytes);
    Answer::bytes(bytes)
}

/// `kg man`: the manual page.
pub fn man() -> Result<Answer<'static>, Error> {
    let mut bytes = Vec::new();
    args::man_page(&mut bytes)?;
    Ok(Answer::bytes(bytes))
}
