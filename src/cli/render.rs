//! The one renderer: every command answers with a typed report, and this module prints
//! it as the format asked for: an aligned table (with lines between) for people, CSV,
//! or one JSON document.

use std::io::{self, Write};

use kg::model::printable;
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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

    /// Prints the answer in `format`.
    pub fn print(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match &self.output {
            Output::Report(report) => render(report.as_ref(), format, out),
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
                    Block::Table { headers, rows } => table(out, headers.as_deref(), &rows)?,
                }
            }
            Ok(())
        }
    }
}

/// Prints rows as columns aligned with two spaces; the last column is not padded. On a
/// terminal the header is bold and, when the rows are wider than the terminal, the
/// widest columns are cut (with `…`) until they fit.
fn table(out: &mut dyn Write, headers: Option<&[String]>, rows: &[Vec<String>]) -> io::Result<()> {
    let manners = terminal::manners();
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
            writeln!(out, "{}", terminal::bold(line))?;
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
