//! The one renderer: every command answers with a typed report, and this module prints
//! it as the format asked for: an aligned table (with lines between) for people, CSV,
//! or one JSON document.

use std::io::{self, Write};

use kg::model::{RelationId, printable};
use kg::store::Store;
use serde_json::Value;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::peaker::PriorityMax;
use tabled::settings::{Modify, Padding, Style, Width};

use super::args::Format;
use super::terminal;

/// A name or value made safe for one table cell: control characters and bidi
/// overrides are escaped, so a name with a newline cannot break a row.
pub fn cell(text: &str) -> String {
    printable(text).into_owned()
}

/// What a command found, in the shapes of the three formats.
pub trait Report {
    /// One JSON document with stable field names.
    fn json(&self) -> Value;
    /// A header row, then one row per result.
    fn csv(&self) -> Sheet;
    /// Text for people: lines and aligned tables.
    fn text(&self) -> Vec<Block>;
    /// The relations the answer shows, in order, with their evidence: the notes
    /// `--sources` prints under a table.
    fn evidence(&self) -> Vec<Evidence> {
        Vec::new()
    }
}

/// A relation an answer shows, with its source, quote and claimant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: RelationId,
    pub source: Option<String>,
    pub quote: Option<String>,
    pub claimed_by: Option<String>,
}

/// The evidence of the relations `ids`, each once, in the order first given.
pub fn evidence_of(store: &Store, ids: impl IntoIterator<Item = RelationId>) -> Vec<Evidence> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(*id))
        .filter_map(|id| {
            let r = store.relation(id)?.relation;
            Some(Evidence {
                id,
                source: r.source.map(|s| store.text(s).to_string()),
                quote: r.quote.map(|s| store.text(s).to_string()),
                claimed_by: r.claimed_by.map(|c| store.name(c).to_string()),
            })
        })
        .collect()
}

/// The notes under a table: each source once, numbered, then a row per relation with
/// its source's number, its quote and who claims it.
fn notes(out: &mut dyn Write, evidence: &[Evidence]) -> io::Result<()> {
    if evidence.is_empty() {
        return Ok(());
    }
    let mut sources: Vec<&str> = Vec::new();
    let mut rows = Vec::new();
    for e in evidence {
        let number = match e.source.as_deref() {
            Some(source) => {
                let n = match sources.iter().position(|s| *s == source) {
                    Some(i) => i + 1,
                    None => {
                        sources.push(source);
                        sources.len()
                    }
                };
                format!("[{n}]")
            }
            None => "no source".to_string(),
        };
        let mut said = e
            .quote
            .as_deref()
            .map(|q| format!("“{q}”"))
            .unwrap_or_else(|| "no quote".to_string());
        if let Some(claimant) = &e.claimed_by {
            said.push_str(&format!(" (claimed by {claimant})"));
        }
        rows.push(vec![format!("#{}", e.id.0), number, said]);
    }
    writeln!(out)?;
    writeln!(out, "{}", terminal::bold("Sources"))?;
    for (i, source) in sources.iter().enumerate() {
        writeln!(out, "  [{}] {}", i + 1, cell(source))?;
    }
    let width = terminal::manners().width;
    let indented: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r[0] = format!("  {}", r[0]);
            r
        })
        .collect();
    table(out, None, &indented, width)
}

/// A header row and rows, as CSV prints them.
#[derive(Debug, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    pub fn new(headers: &[&str], rows: Vec<Vec<String>>) -> Sheet {
        Sheet {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }
}

/// A part of a text report.
#[derive(Debug)]
pub enum Block {
    /// A line as it is.
    Line(String),
    /// Rows aligned in columns, under a bold header if there is one.
    Table {
        headers: Option<Vec<String>>,
        rows: Vec<Vec<String>>,
    },
}

impl Block {
    /// A table without a header.
    pub fn rows(rows: Vec<Vec<String>>) -> Block {
        Block::Table {
            headers: None,
            rows,
        }
    }

    /// A table under a header.
    pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> Block {
        Block::Table {
            headers: Some(headers.iter().map(|h| h.to_string()).collect()),
            rows,
        }
    }
}

/// What a command answers: a report, bytes written as they are (an export, a
/// completion script), or nothing; and, when it found nothing, the message that goes
/// with exit code 1.
pub struct Answer<'a> {
    pub output: Output<'a>,
    pub nothing_found: Option<String>,
}

/// What a command prints on standard output.
pub enum Output<'a> {
    Report(Box<dyn Report + 'a>),
    Bytes(Vec<u8>),
    Nothing,
}

impl<'a> Answer<'a> {
    /// A report.
    pub fn report(report: impl Report + 'a) -> Answer<'a> {
        Answer {
            output: Output::Report(Box::new(report)),
            nothing_found: None,
        }
    }

    /// Bytes written as they are.
    pub fn bytes(bytes: Vec<u8>) -> Answer<'a> {
        Answer {
            output: Output::Bytes(bytes),
            nothing_found: None,
        }
    }

    /// Nothing printed, and exit code 1 with `message`.
    pub fn nothing_found(message: impl Into<String>) -> Answer<'a> {
        Answer {
            output: Output::Nothing,
            nothing_found: Some(message.into()),
        }
    }

    /// Exit code 1 with `message` when `empty`, after printing what there is.
    pub fn found_nothing_if(mut self, empty: bool, message: impl Into<String>) -> Answer<'a> {
        if empty {
            self.nothing_found = Some(message.into());
        }
        self
    }

    /// Prints the answer in `format`; with `sources`, a table is followed by the notes of
    /// its relations' sources and quotes.
    pub fn print(&self, format: Format, sources: bool, out: &mut dyn Write) -> io::Result<()> {
        match &self.output {
            Output::Report(report) => {
                render(report.as_ref(), format, out)?;
                if sources && format == Format::Table {
                    notes(out, &report.evidence())?;
                }
                Ok(())
            }
            Output::Bytes(bytes) => out.write_all(bytes),
            Output::Nothing => Ok(()),
        }
    }
}

/// Prints `report` as `format`.
pub fn render(report: &dyn Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => json(out, &report.json()),
        Format::Csv => {
            let sheet = report.csv();
            csv(out, &sheet.headers, &sheet.rows)
        }
        Format::Table => {
            for block in report.text() {
                match block {
                    Block::Line(line) => writeln!(out, "{line}")?,
                    Block::Table { headers, rows } => {
                        let width = terminal::manners().width;
                        table(out, headers.as_deref(), &rows, width)?
                    }
                }
            }
            Ok(())
        }
    }
}

/// Prints rows as columns aligned (by display width) with two spaces between; the last
/// column is not padded. The header is bold and, on a terminal, rows wider than it are
/// cut (with `…`), the widest columns first.
fn table(
    out: &mut dyn Write,
    headers: Option<&[String]>,
    rows: &[Vec<String>],
    width: Option<usize>,
) -> io::Result<()> {
    let mut builder = Builder::default();
    for row in headers.into_iter().chain(rows.iter().map(Vec::as_slice)) {
        builder.push_record(row.iter().map(|c| cell(c)));
    }
    if builder.count_records() == 0 {
        return Ok(());
    }
    let mut table = builder.build();
    table
        .with(Style::empty())
        .with(Padding::new(0, 2, 0, 0))
        .with(Modify::new(Columns::last()).with(Padding::zero()));
    if let Some(width) = width {
        table.with(
            Width::truncate(width)
                .suffix("…")
                .priority(PriorityMax::default()),
        );
    }
    for (i, line) in table.to_string().lines().enumerate() {
        let line = line.trim_end();
        if i == 0 && headers.is_some() {
            writeln!(out, "{}", terminal::bold(line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Prints a header and rows as CSV (quoted as needed).
fn csv(out: &mut dyn Write, headers: &[String], rows: &[Vec<String>]) -> io::Result<()> {
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
fn json(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::table;

    fn printed(rows: &[&[&str]], width: Option<usize>) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let mut out = Vec::new();
        table(&mut out, None, &rows, width).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_align_by_display_width_two_spaces_apart() {
        let text = printed(&[&["中华", "x"], &["Putin", "President of Russia"]], None);
        assert_eq!(text, "中华   x\nPutin  President of Russia\n");
    }

    #[test]
    fn wide_rows_are_cut_to_the_width_widest_column_first() {
        let long = "Director of the Foreign Intelligence Service (SVR)";
        let text = printed(&[&["Naryshkin", long], &["Putin", "President"]], Some(30));
        for line in text.lines() {
            assert!(line.chars().count() <= 30, "{line:?}");
        }
        assert!(text.starts_with("Naryshkin  Director"), "{text}");
        assert!(text.lines().next().unwrap().ends_with('…'), "{text}");
        assert!(text.contains("Putin      President\n"), "{text}");
    }
}
