//! `kg import`: read source files, then apply them to the database all or nothing.

use std::path::PathBuf;

use serde_json::Value;

use kg::Error;
use kg::import::{self, Duplicates, ImportSummary};
use kg::source::{self, Batch, ReadOptions};

use crate::cli::describe::list;
use crate::cli::render::{Answer, Block, Report, Sheet};
use crate::cli::session::Session;
use crate::cli::terminal::{self, ProgressBar};

/// What an import added and changed.
struct Imported {
    files: Vec<String>,
    summary: ImportSummary,
}

/// Reads `files` (a bar for each on a terminal), then applies them in one write.
pub fn run<'a>(
    session: &mut Session,
    files: &[PathBuf],
    strict: bool,
) -> Result<Answer<'a>, Error> {
    let options = ReadOptions { strict };
    let start = std::time::Instant::now();
    let mut batch = Batch::default();
    for file in files {
        let mut bar = ProgressBar::bytes(&format!("reading {}", file.display()));
        batch.extend(source::read_file_reporting(
            file,
            options,
            &mut |done, all| bar.show(done, all),
        )?);
        bar.finish();
    }
    terminal::timing("read the sources", start);
    let summary = session.write(|store| {
        let start = std::time::Instant::now();
        let summary = import::apply(store, batch, Duplicates::Skip)?;
        terminal::timing("applied the import", start);
        Ok(summary)
    })?;
    Ok(Answer::report(Imported {
        files: files.iter().map(|f| f.display().to_string()).collect(),
        summary,
    }))
}

impl Report for Imported {
    fn json(&self) -> Value {
        serde_json::to_value(&self.summary).unwrap_or(Value::Null)
    }

    fn csv(&self) -> Sheet {
        let s = &self.summary;
        Sheet::new(
            &[
                "entities_added",
                "relations_added",
                "types_added",
                "relations_present",
                "entities_updated",
                "entities_created",
            ],
            vec![
                [
                    s.entities_added,
                    s.relations_added,
                    s.types_added.len(),
                    s.relations_present,
                    s.entities_updated,
                    s.entities_created.len(),
                ]
                .iter()
                .map(usize::to_string)
                .collect(),
            ],
        )
    }

    fn text(&self) -> Vec<Block> {
        let s = &self.summary;
        let mut line = format!(
            "imported {}: {} entities, {} relations, {} types added",
            self.files.join(", "),
            s.entities_added,
            s.relations_added,
            s.types_added.len(),
        );
        if s.relations_present > 0 {
            line.push_str(&format!(
                "; {} relations already present",
                s.relations_present
            ));
        }
        if s.entities_updated > 0 {
            line.push_str(&format!("; {} entities updated", s.entities_updated));
        }
        let mut lines = vec![line];
        if !s.entities_created.is_empty() {
            lines.push(format!(
                "created {} undeclared entities as kind other: {}",
                s.entities_created.len(),
                list(&s.entities_created)
            ));
        }
        if !s.names_shadowed.is_empty() {
            lines.push(format!(
                "note: these new names were aliases of other entities and now name the new ones: {}",
                list(&s.names_shadowed)
            ));
        }
        if !s.types_updated.is_empty() {
            lines.push(format!(
                "relation types redescribed: {}",
                list(&s.types_updated)
            ));
        }
        if !s.types_added.is_empty() {
            lines.push(format!("new relation types: {}", s.types_added.join(", ")));
        }
        lines.into_iter().map(Block::Line).collect()
    }
}
