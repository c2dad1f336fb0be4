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
        json!({
            "compacted": self.compacted,
            "records": self.records,
            "changes": self.changes,
            "upgraded_from": self.upgraded_from,
        })
    }

    fn csv(&self) -> Sheet {
        Sheet::new(
            &["compacted", "records", "changes", "upgraded_from"],
            vec![vec![
                self.compacted.to_string(),
                self.records.to_string(),
                self.changes.to_string(),
                self.upgraded_from.map_or(String::new(), |v| v.to_string()),
            ]],
        )
    }

    fn text(&self) -> Vec<Block> {
        let mut lines = Vec::new();
        if let Some(old) = self.upgraded_from {
            lines.push(Block::Line(format!(
                "rewrote the database of format {old} in format {}",
                storage::FORMAT_VERSION
            )));
        }
        let message = match (self.compacted, self.records) {
            (false, _) if self.upgraded_from.is_some() => return lines,
            (false, _) => "nothing to compact: there is no journal".to_string(),
            (true, 0) => "removed a journal with no changes to keep".to_string(),
            (true, n) => format!(
                "folded {} ({}) into a new snapshot",
                count(n, "journal record", "journal records"),
                count(self.changes, "change", "changes")
            ),
        };
        lines.push(Block::Line(message));
        lines
    }
}

/// `kg recover --db FILE -o NEW`.
pub fn recover(session: &Session, output: &std::path::Path) -> Result<Answer<'static>, Error> {
    let Some(path) = session.db() else {
        return Err(Error::Usage(
            "recover needs the damaged database: give --db FILE or set KG_DB".to_string(),
        ));
    };
    let recovery = database(path).recover(output)?;
    Ok(Answer::report(Recovered {
        from: path.display().to_string(),
        to: output.display().to_string(),
        recovery,
    }))
}

/// What `kg recover` kept and lost.
struct Recovered {
    from: String,
    to: String,
    recovery: storage::Recovery,
}

impl Recovered {
    fn lines(&self) -> Vec<String> {
        let r = &self.recovery;
        let mut lines = vec![format!(
            "wrote {}: {}, {}, from the snapshot of {} and {} of its journal ({})",
            self.to,
            count(r.entities, "entity", "entities"),
            count(r.relations, "relation", "relations"),
            self.from,
            count(r.records, "record", "records"),
            count(r.changes, "change", "changes"),
        )];
        match &r.damage {
            Some(damage) if damage.starts_with("journal record") => lines.push(format!(
                "not kept: {damage}; that record and the {} of journal after its start",
                count(r.lost_bytes as usize, "byte", "bytes")
            )),
            Some(damage) => lines.push(format!(
                "not kept: the whole journal ({}): {damage}",
                count(r.lost_bytes as usize, "byte", "bytes")
            )),
            None if r.stale => lines.push(
                "not kept: nothing; the journal belonged to an older snapshot, whose changes the snapshot holds".to_string(),
            ),
            None => lines.push("not kept: nothing; the journal was intact".to_string()),
        }
        if r.torn_bytes > 0 {
            lines.push(format!(
                "also dropped: a last record cut short by a crash ({}), never acknowledged",
                count(r.torn_bytes as usize, "byte", "bytes")
            ));
        }
        lines.push(format!("{} is unchanged", self.from));
        lines
    }
}

impl Report for Recovered {
    fn json(&self) -> Value {
        let r = &self.recovery;
        json!({
            "from": self.from, "to": self.to, "entities": r.entities, "relations": r.relations,
            "records": r.records, "changes": r.changes, "damage": r.damage,
            "lost_bytes": r.lost_bytes, "torn_bytes": r.torn_bytes, "stale_journal": r.stale,
        })
    }

    fn csv(&self) -> Sheet {
        Sheet::new(
            &["recover"],
            self.lines().into_iter().map(|l| vec![l]).collect(),
        )
    }

    fn text(&self) -> Vec<Block> {
        self.lines().into_iter().map(Block::Line).collect()
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
    args::manual::man_page(&mut bytes)?;
    Ok(Answer::bytes(bytes))
}
