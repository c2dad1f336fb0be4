//! `kg history` and `kg undo`: the writes made to a database, and taking them back.

use serde_json::{Value, json};

use kg::Error;
use kg::store::{Entry, Store};

use crate::cli::render::{Answer, Block, Report, Sheet, cell};
use crate::cli::session::Session;

/// A write's time as people read it, in UTC.
fn time_text(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(
        || seconds.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// One write as history lists it.
#[derive(Clone)]
struct Write {
    seq: u64,
    time: i64,
    command: String,
    did: String,
    undoes: Vec<u64>,
    /// Undone by an undo that stands.
    undone: bool,
}

impl Write {
    fn of(entry: &Entry, undone: &std::collections::HashSet<u64>) -> Write {
        Write {
            seq: entry.seq,
            time: entry.time,
            command: entry.command.clone(),
            did: entry.tally().describe(),
            undoes: entry.undoes.clone(),
            undone: undone.contains(&entry.seq),
        }
    }

    /// What it did, with what it undid and whether it was undone.
    fn summary(&self) -> String {
        let mut text = self.did.clone();
        if !self.undoes.is_empty() {
            let seqs: Vec<String> = self.undoes.iter().map(|s| format!("#{s}")).collect();
            text = format!("undid {}: {text}", seqs.join(", "));
        }
        if self.undone {
            text.push_str(" (undone)");
        }
        text
    }
}

struct Writes(Vec<Write>);

impl Report for Writes {
    fn json(&self) -> Value {
        Value::Array(
            self.0
                .iter()
                .map(|w| {
                    json!({
                        "write": w.seq,
                        "time": chrono::DateTime::from_timestamp(w.time, 0)
                            .map(|t| t.to_rfc3339()),
                        "command": w.command,
                        "did": w.did,
                        "undoes": w.undoes,
                        "undone": w.undone,
                    })
                })
                .collect(),
        )
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .0
            .iter()
            .map(|w| {
                vec![
                    w.seq.to_string(),
                    time_text(w.time),
                    w.command.clone(),
                    w.did.clone(),
                    w.undoes
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join("|"),
                    w.undone.to_string(),
                ]
            })
            .collect();
        Sheet::new(
            &["write", "time_utc", "command", "did", "undoes", "undone"],
            rows,
        )
    }

    fn text(&self) -> Vec<Block> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let rows = self
            .0
            .iter()
            .map(|w| {
                vec![
                    format!("#{}", w.seq),
                    time_text(w.time),
                    cell(&w.command),
                    w.summary(),
                ]
            })
            .collect();
        vec![Block::table(
            &["write", "time (UTC)", "command", "did"],
            rows,
        )]
    }
}

/// `kg history [--limit N]`: newest first.
pub fn history<'a>(store: &Store, limit: Option<usize>) -> Answer<'a> {
    let undone = store.undone();
    let writes: Vec<Write> = store
        .history()
        .iter()
        .rev()
        .take(limit.unwrap_or(usize::MAX))
        .map(|e| Write::of(e, &undone))
        .collect();
    let empty = writes.is_empty();
    Answer::report(Writes(writes)).found_nothing_if(empty, "no writes recorded yet")
}

/// What an undo took back.
struct Undone(Vec<Write>);

impl Report for Undone {
    fn json(&self) -> Value {
        json!({"undid": Writes(self.0.clone()).json()})
    }

    fn csv(&self) -> Sheet {
        Writes(self.0.clone()).csv()
    }

    fn text(&self) -> Vec<Block> {
        self.0
            .iter()
            .map(|w| {
                Block::Line(format!(
                    "undid write #{} ({}), which {}",
                    w.seq,
                    cell(&w.command),
                    Write {
                        undone: false,
                        ..w.clone()
                    }
                    .summary()
                ))
            })
            .collect()
    }
}

/// `kg undo [N]` or `kg undo --write K`.
pub fn undo<'a>(
    session: &mut Session,
    count: u32,
    write: Option<u64>,
) -> Result<Answer<'a>, Error> {
    // A database that is not there has nothing to undo: say that, not "no writes".
    if let Some(path) = session.db()
        && !path.exists()
    {
        return Err(kg::storage::StorageError::Missing {
            path: path.display().to_string(),
        }
        .into());
    }
    let undone = session.write(|store| {
        let seqs = match write {
            Some(seq) => {
                if store.is_undone(seq) {
                    return Err(Error::Usage(format!(
                        "write #{seq} is undone already (kg history lists what stands)"
                    )));
                }
                vec![seq]
            }
            None => store.undoable(count as usize),
        };
        if seqs.is_empty() {
            return Err(Error::Usage(
                "nothing to undo: no write in the history stands".to_string(),
            ));
        }
        if write.is_none() && seqs.len() < count as usize {
            return Err(Error::Usage(format!(
                "only {} write{} can be undone; nothing undone",
                seqs.len(),
                if seqs.len() == 1 { "" } else { "s" }
            )));
        }
        let writes: Vec<Write> = seqs
            .iter()
            .filter_map(|&s| store.history().iter().find(|e| e.seq == s))
            .map(|e| Write {
                undone: true,
                ..Write::of(e, &Default::default())
            })
            .collect();
        store.undo(&seqs)?;
        Ok(writes)
    })?;
    Ok(Answer::report(Undone(undone)))
}
