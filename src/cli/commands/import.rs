//! `kg import`: read source files, then apply them to the database all or nothing.

use std::path::PathBuf;

use serde_json::Value;

use kg::Error;
use kg::import::{self, Duplicates, ImportSummary};
use kg::source::{self, Batch, ReadOptions};

use crate::cli::describe::{count, list};
use crate::cli::render::{Answer, Block, Report, Sheet, cell};
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
    duplicate: bool,
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
        let duplicates = match duplicate {
            true => Duplicates::Keep,
            false => Duplicates::Skip,
        };
        let summary = import::apply(store, batch, duplicates)?;
        terminal::timing("applied the import", start);
        Ok(summary)
    })?;
    if summary.ids_given && !summary.ids_kept {
        terminal::note(
            "note: the file's ids are not kept: they are kept only when a whole export goes into a new database (an id is never given twice), so these entities and relations have ids of this database",
        );
    }
    const SHOWN: usize = 20;
    for near in summary.near_names.iter().take(SHOWN) {
        let like = if near.like_name == near.like {
            cell(&near.like)
        } else {
            format!("{} ('{}')", cell(&near.like), cell(&near.like_name))
        };
        terminal::note(&format!(
            "warning: {}: '{}' is new (created as kind other), but looks like {like}; if they are one, kg merge '{}' '{}'",
            near.at,
            cell(&near.name),
            cell(&near.like),
            cell(&near.name)
        ));
    }
    for (at, rtype) in summary.pointed_symmetric.iter().take(SHOWN) {
        terminal::note(&format!(
            "warning: {at}: '{}' is symmetric, so the arrowhead is not kept: the relation has no direction (write -[{}]- to say so)",
            cell(rtype),
            cell(rtype)
        ));
    }
    if summary.pointed_symmetric.len() > SHOWN {
        terminal::note(&format!(
            "warning: and {} more relations of a symmetric type written with an arrowhead",
            summary.pointed_symmetric.len() - SHOWN
        ));
    }
    if summary.near_names.len() > SHOWN {
        terminal::note(&format!(
            "warning: and {} more new names that look like stored ones (--format json lists them all)",
            summary.near_names.len() - SHOWN
        ));
    }
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
            "imported {}: {}, {}, {} added",
            self.files.join(", "),
            count(
                s.entities_added + s.entities_created.len(),
                "entity",
                "entities"
            ),
            count(s.relations_added, "relation", "relations"),
            count(s.types_added.len(), "type", "types"),
        );
        if s.relations_present > 0 {
            line.push_str(&format!(
                "; {} already present",
                count(s.relations_present, "relation", "relations")
            ));
        }
        if s.entities_updated > 0 {
            line.push_str(&format!(
                "; {} updated",
                count(s.entities_updated, "entity", "entities")
            ));
        }
        let mut lines = vec![line];
        if !s.entities_created.is_empty() {
            lines.push(format!(
                "of which {} undeclared, created as kind other: {}",
                count(s.entities_created.len(), "entity", "entities"),
                list(&s.entities_created)
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
        if !s.kinds_added.is_empty() {
            lines.push(format!(
                "new or restyled kinds: {}",
                s.kinds_added.join(", ")
            ));
        }
        lines.into_iter().map(Block::Line).collect()
    }
}
