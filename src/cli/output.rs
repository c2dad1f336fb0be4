//! Rendering results as aligned tables, CSV and JSON, and the one-line form of a
//! relation (`Naryshkin -[phoned ..2025-06-29, claimed]-> Ratcliffe`).

use std::io::{self, Write};

use serde_json::Value;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::fields::{RELATION_COLUMNS, relation_row};
use crate::model::{EntityId, printable};
use crate::store::{RelationRef, Store};

/// A name or value made safe for one table cell: control characters and bidi
/// overrides are escaped, so a name with a newline cannot break a row.
pub fn cell(text: &str) -> String {
    printable(text).into_owned()
}

/// A progress bar on stderr, drawn only when stderr is a terminal and at most a few
/// times a second; it erases itself when done.
pub struct ProgressBar {
    label: String,
    on_terminal: bool,
    started: std::time::Instant,
    drawn: Option<std::time::Instant>,
}

impl ProgressBar {
    pub fn new(label: &str) -> ProgressBar {
        use std::io::IsTerminal;
        ProgressBar {
            label: printable(label).into_owned(),
            on_terminal: io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            drawn: None,
        }
    }

    /// Shows `done` of `all`, once the work has taken over half a second.
    pub fn show(&mut self, done: u64, all: u64) {
        let now = std::time::Instant::now();
        if !self.on_terminal
            || super::terminal::manners().quiet
            || now.duration_since(self.started).as_millis() < 500
            || self
                .drawn
                .is_some_and(|t| now.duration_since(t).as_millis() < 200)
        {
            return;
        }
        self.drawn = Some(now);
        let share = if all == 0 {
            1.0
        } else {
            done as f64 / all as f64
        };
        let filled = (share * 30.0).round() as usize;
        let _ = write!(
            io::stderr(),
            "\r{} [{}{}] {:3.0}%",
            self.label,
            "#".repeat(filled.min(30)),
            " ".repeat(30 - filled.min(30)),
            share * 100.0
        );
    }

    /// Erases the bar.
    pub fn finish(self) {
        if self.drawn.is_some() {
            let _ = write!(
                io::stderr(),
                "\r{}\r",
                " ".repeat(self.label.chars().count() + 40)
            );
        }
    }
}

/// Prints rows as columns aligned with two spaces; the last column is not padded. On a
/// terminal the header is bold and, when the rows are wider than the terminal, the
/// widest columns are cut (with `…`) until they fit.
pub fn table(
    out: &mut dyn Write,
    headers: Option<&[&str]>,
    rows: &[Vec<String>],
) -> io::Result<()> {
    let manners = super::terminal::manners();
    let mut rows: Vec<Vec<String>> = headers
        .map(|h| h.iter().map(|s| cell(s)).collect())
        .into_iter()
        .chain(rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()))
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in &rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    if let Some(limit) = manners.width {
        fit(&mut widths, limit);
        for row in &mut rows {
            for (c, &w) in row.iter_mut().zip(&widths) {
                if c.width() > w {
                    *c = cut_to_width(c, w);
                }
            }
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, c) in row.iter().enumerate() {
            line.push_str(c);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(c.width()) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        let line = line.trim_end();
        if r == 0 && headers.is_some() {
            writeln!(out, "{}", super::terminal::bold(line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// `text` cut to at most `width` columns of a terminal, ending with `…`.
fn cut_to_width(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Narrows the widest columns until the row (with two spaces between columns) fits
/// in `limit` characters, never below 8 characters a column.
fn fit(widths: &mut [usize], limit: usize) {
    const NARROWEST: usize = 8;
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    while total(widths) > limit {
        let Some((widest, &w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
            return;
        };
        if w <= NARROWEST {
            return;
        }
        let excess = total(widths) - limit;
        let second = widths
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != widest)
            .map(|(_, w)| *w)
            .max()
            .unwrap_or(0);
        // Down to the next widest column, or by the excess, whichever is less.
        let cut = excess.min(w - second.max(NARROWEST)).max(1);
        widths[widest] = w - cut;
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn wide_characters_count_twice() {
        use unicode_width::UnicodeWidthStr;
        let cut = super::cut_to_width("中华人民共和国", 6);
        assert_eq!(cut, "中华…");
        assert!(cut.width() <= 6);
    }

    #[test]
    fn wide_columns_are_narrowed_to_fit() {
        let mut w = vec![10, 60, 30];
        fit(&mut w, 80);
        assert_eq!(w.iter().sum::<usize>() + 4, 80);
        assert_eq!(w[0], 10);
        let mut narrow = vec![9, 9, 9];
        fit(&mut narrow, 10);
        assert_eq!(narrow, [8, 8, 8]);
    }
}

/// Prints a header and rows as CSV (quoted as needed).
pub fn csv(out: &mut dyn Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(headers).map_err(csv_io)?;
    for row in rows {
        writer.write_record(row).map_err(csv_io)?;
    }
    writer.flush()
}

fn csv_io(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Prints one JSON document.
pub fn json(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

/// The date as written, or the empty string for an undated relation.
pub fn date_text(r: &RelationRef) -> String {
    r.relation.when.to_string()
}

/// Whether [`arrow`] puts the date in the label (not where a column shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    InLabel,
    Apart,
}

/// The one-line form of a relation, read from `walked_from` when given (so a relation
/// walked against its direction reads `Russia <-[president_of]- Putin`).
pub fn arrow(
    store: &Store,
    r: &RelationRef,
    walked_from: Option<EntityId>,
    dated: Dated,
) -> String {
    let rel = r.relation;
    let mut label = store.type_name(rel.rtype).to_string();
    if dated == Dated::InLabel && !rel.when.is_undated() {
        label.push(' ');
        label.push_str(&rel.when.to_string());
    }
    if rel.status.is_doubtful() {
        label.push_str(", ");
        label.push_str(rel.status.as_str());
    }
    let symmetric = store.relation_type(rel.rtype).symmetric;
    let backward = walked_from == Some(r.to) && r.from != r.to;
    let (first, second) = if backward {
        (r.to, r.from)
    } else {
        (r.from, r.to)
    };
    let (a, b) = (cell(store.name(first)), cell(store.name(second)));
    match (symmetric, backward) {
        (true, _) => format!("{a} -[{label}]- {b}"),
        (false, false) => format!("{a} -[{label}]-> {b}"),
        (false, true) => format!("{a} <-[{label}]- {b}"),
    }
}

/// The provenance notes of a relation for a table: who claims it, its grade.
pub fn notes(store: &Store, r: &RelationRef) -> String {
    let mut notes = Vec::new();
    if let Some(c) = r.relation.claimed_by {
        notes.push(format!("claimed by {}", store.name(c)));
    }
    if let Some(g) = r.relation.grade {
        notes.push(format!("grade {g}"));
    }
    notes.join(", ")
}

/// Relations as CSV: each one's id, then its fields in the CSV import layout's columns
/// (so that the rows import back; the id is ignored there).
pub fn relations_csv(
    out: &mut dyn Write,
    store: &Store,
    relations: &[RelationRef],
) -> io::Result<()> {
    let headers: Vec<&str> = std::iter::once("id").chain(RELATION_COLUMNS).collect();
    let rows: Vec<Vec<String>> = relations
        .iter()
        .map(|r| {
            let mut row = vec![r.id.0.to_string()];
            row.extend(relation_row(store, r));
            row
        })
        .collect();
    csv(out, &headers, &rows)
}
