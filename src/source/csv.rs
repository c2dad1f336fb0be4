//! CSV sources, told apart by their header row (column names in any case):
//!
//! - relations: `from,type,to` and optionally `date`, `source`, `quote`, `status`,
//!   `grade`, `claimed_by` (an `id` column is ignored); every other column becomes a
//!   property. Unknown entities are created with kind `other` and unknown types as
//!   directed types, unless the import is strict.
//! - entities: `name,kind` and optionally `aliases` (split on `|`); every other column
//!   becomes a property.
//! - relation types: `name,direction` (`directed` or `symmetric`) and optionally
//!   `cameo`, `description`.
//!
//! Fields are taken exactly as written (nothing is trimmed); an empty field is an
//! absent value. Errors name `file:line` and the column.

use std::sync::Arc;

use super::batch::{
    Batch, EntityDecl, Location, ReadOptions, SourceError, TypeDecl, sorted_properties,
};
use super::relations::{WrittenRelation, interned_beside};
use crate::fields::RELATION_COLUMNS;
use crate::model::{Entity, MAX_TEXT_BYTES, RelationType, Status, TimeSpan};

/// The column of a relations file that is neither a field nor a property: the `id` the
/// commands' CSV carries, ignored (ids are the database's own).
const IGNORED_ID: &str = "id";
/// Where each field of a relation is among [`RELATION_COLUMNS`] (a relations file's
/// known columns, read by position: a row is read without comparing column names).
const FROM: usize = 0;
const TYPE: usize = 1;
const TO: usize = 2;
const DATE: usize = 3;
const SOURCE: usize = 4;
const QUOTE: usize = 5;
const STATUS: usize = 6;
const GRADE: usize = 7;
const CLAIMED_BY: usize = 8;
/// The columns of an entities file that are not properties.
pub const ENTITY_COLUMNS: [&str; 3] = ["name", "kind", "aliases"];
/// The columns of a relation types file.
pub const TYPE_COLUMNS: [&str; 4] = ["name", "direction", "cameo", "description"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Relations,
    Entities,
    Types,
}

/// Parses a CSV file of relations, entities or relation types.
pub fn parse(file: &Arc<str>, bytes: &[u8], options: ReadOptions) -> Result<Batch, SourceError> {
    parse_reporting(file, bytes, options, &mut |_, _| {})
}

/// Like [`parse`], calling `report(bytes read, bytes in all)` every 64k rows.
pub fn parse_reporting(
    file: &Arc<str>,
    bytes: &[u8],
    options: ReadOptions,
    report: &mut dyn FnMut(u64, u64),
) -> Result<Batch, SourceError> {
    let at = |line: usize| Location {
        file: file.clone(),
        line,
        column: 0,
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    // One record, read into again for every row.
    let mut record = csv::StringRecord::new();
    if !reader
        .read_record(&mut record)
        .map_err(|e| csv_error(file, e, &mut Lines::of(bytes)))?
    {
        return Err(SourceError::new(
            at(1),
            "empty file: expected a header row (from,type,to,... or name,kind,... or name,direction,...)",
        ));
    }
    // Property columns keep their names exactly; known columns match trimmed, in any case.
    let columns: Vec<String> = record.iter().map(str::to_string).collect();
    let keys: Vec<String> = columns
        .iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let (layout, known) = layout_of(&columns, &keys, at(1))?;
    let positions: Vec<Option<usize>> = known
        .iter()
        .map(|k| keys.iter().position(|c| c == k))
        .collect();
    let has_properties = keys.iter().any(|k| !known.contains(&k.as_str()));
    // Columns without a name (a header's trailing commas) may only hold empty cells.
    let unnamed: Vec<usize> = (keys.iter().enumerate())
        .filter(|(_, k)| k.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut batch = Batch::default();
    // About one row per 40 bytes: reserve once rather than grow a huge list by doubling.
    let rows = bytes.len() / 40;
    if layout == Layout::Entities {
        batch.entities.reserve(rows);
    }
    std::thread::scope(|scope| {
        // Relations are interned on the other core while this one reads them.
        let mut relations =
            (layout == Layout::Relations).then(|| interned_beside(scope, file.clone(), rows));
        let mut lines = Lines::of(bytes);
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(file, e, &mut lines))?
        {
            let line = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
            let row = Row {
                columns: &columns,
                keys: &keys,
                known: &known,
                positions: &positions,
                has_properties,
                unnamed: &unnamed,
                record: &record,
                file,
                line,
            };
            if let Some(long) = record.iter().position(|f| f.len() > MAX_TEXT_BYTES) {
                return Err(row.error(
                    &columns[long],
                    format!(
                        "field of {} bytes: the limit is {MAX_TEXT_BYTES}",
                        record[long].len()
                    ),
                ));
            }
            if line.is_multiple_of(65_536) {
                report(
                    record.position().map_or(0, |p| p.byte()),
                    bytes.len() as u64,
                );
            }
            if !unnamed.is_empty() {
                row.check_unnamed()?;
            }
            match &mut relations {
                Some((handoff, _)) => handoff.push(line, row.relation(options)?),
                None if layout == Layout::Entities => batch.entities.push(row.entity()?),
                None => batch.types.push(row.relation_type()?),
            }
        }
        if let Some((handoff, thread)) = relations {
            handoff.finish();
            batch.relations = thread
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
        Ok(batch)
    })
}

/// The layout a header names, and that layout's known columns (a column not among them
/// is a property), once no column repeats.
fn layout_of(
    columns: &[String],
    keys: &[String],
    at: Location,
) -> Result<(Layout, Vec<&'static str>), SourceError> {
    if let Some((_, dup)) = columns
        .iter()
        .enumerate()
        .find(|(i, c)| !c.trim().is_empty() && columns[..*i].contains(c))
    {
        return Err(SourceError::new(
            at.clone(),
            format!("column '{dup}' appears twice in the header"),
        ));
    }
    let has = |name: &str| keys.iter().any(|c| c == name);
    let layout = if has("from") && has("type") && has("to") {
        Layout::Relations
    } else if has("name") && has("kind") {
        Layout::Entities
    } else if has("name") && has("direction") {
        Layout::Types
    } else {
        return Err(SourceError::new(
            at.clone(),
            "expected a header with from,type,to (relations), name,kind (entities) or name,direction (relation types)",
        ));
    };
    let known: Vec<&str> = match layout {
        Layout::Relations => RELATION_COLUMNS
            .iter()
            .copied()
            .chain([IGNORED_ID])
            .collect(),
        Layout::Entities => ENTITY_COLUMNS.to_vec(),
        Layout::Types => TYPE_COLUMNS.to_vec(),
    };
    // Known columns match in any case, so each may appear once in any spelling.
    if let Some((_, dup)) = keys
        .iter()
        .enumerate()
        .find(|(i, k)| known.contains(&k.as_str()) && keys[..*i].contains(k))
    {
        return Err(SourceError::new(
            at.clone(),
            format!("column '{dup}' appears twice in the header"),
        ));
    }
    if layout == Layout::Types
        && let Some(extra) = (keys.iter()).find(|k| !k.is_empty() && !known.contains(&k.as_str()))
    {
        return Err(SourceError::new(
            at.clone(),
            format!(
                "unknown column '{extra}' in a relation types file: expected name,direction,cameo,description"
            ),
        ));
    }
    Ok((layout, known))
}

/// The line a record starts on, as an editor numbers it, from the byte the CSV reader
/// says it starts at: the reader counts lines by the `\n`s it has passed, and a record
/// after a `\r\n` (or after blank lines) starts, for it, before the line ends it skips.
struct Lines<'a> {
    bytes: &'a [u8],
    /// How many `\n`s come before `counted_to`.
    newlines: usize,
    counted_to: usize,
}

impl<'a> Lines<'a> {
    fn of(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            newlines: 0,
            counted_to: 0,
        }
    }

    /// The line of the record the reader places at `byte` (records come in order, so
    /// the bytes are counted once).
    fn line_at(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.counted_to {
            (self.newlines, self.counted_to) = (0, 0);
        }
        let newlines = self.bytes[self.counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.newlines += newlines;
        self.counted_to = start;
        self.newlines + 1
    }
}

fn csv_error(file: &Arc<str>, error: csv::Error, lines: &mut Lines) -> SourceError {
    let line = error
        .position()
        .map_or(0, |p| lines.line_at(p.byte() as usize));
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields as in the header, found {len}")
        }
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8: CSV files must be UTF-8 text".to_string(),
        _ => error.to_string(),
    };
    SourceError::new(
        Location {
            file: file.clone(),
            line,
            column: 0,
        },
        message,
    )
}

struct Row<'a> {
    columns: &'a [String],
    /// The column names in lower case, to find the known columns by.
    keys: &'a [String],
    known: &'a [&'a str],
    /// Where each known column is in the record, if present.
    positions: &'a [Option<usize>],
    /// Whether any column is a property.
    has_properties: bool,
    /// The columns without a name.
    unnamed: &'a [usize],
    record: &'a csv::StringRecord,
    file: &'a Arc<str>,
    line: usize,
}

impl<'a> Row<'a> {
    /// Where the row is.
    fn at(&self) -> Location {
        Location {
            file: self.file.clone(),
            line: self.line,
            column: 0,
        }
    }

    /// A known column's value; empty means absent.
    fn get(&self, column: &str) -> Option<&'a str> {
        let i = self.known.iter().position(|c| *c == column)?;
        self.field(i)
    }

    /// The value of the `i`th known column (for relations, in the order of
    /// [`RELATION_COLUMNS`]); empty means absent.
    fn field(&self, i: usize) -> Option<&'a str> {
        let at = self.positions[i]?;
        self.record.get(at).filter(|v| !v.is_empty())
    }

    fn required_field(&self, i: usize) -> Result<&'a str, SourceError> {
        self.field(i)
            .ok_or_else(|| self.error(self.known[i], "is empty"))
    }

    fn error(&self, column: &str, message: impl Into<String>) -> SourceError {
        SourceError::new(self.at(), format!("column '{column}': {}", message.into()))
    }

    fn required(&self, column: &str) -> Result<&'a str, SourceError> {
        self.get(column)
            .ok_or_else(|| self.error(column, "is empty"))
    }

    /// The columns that are not known, as sorted properties (empty cells skipped).
    fn properties(&self) -> Result<Vec<(String, String)>, SourceError> {
        if !self.has_properties {
            return Ok(Vec::new());
        }
        let pairs = self
            .columns
            .iter()
            .zip(self.keys)
            .zip(self.record.iter())
            .filter(|((c, k), v)| {
                !self.known.contains(&k.as_str()) && !c.trim().is_empty() && !v.is_empty()
            })
            .map(|((c, _), v)| (c.clone(), v.to_string()))
            .collect();
        sorted_properties(pairs).map_err(|e| SourceError::new(self.at(), e))
    }

    /// An error if a column without a name holds a value here (it would be dropped).
    fn check_unnamed(&self) -> Result<(), SourceError> {
        let filled =
            (self.unnamed.iter()).find(|&&i| self.record.get(i).is_some_and(|v| !v.is_empty()));
        match filled {
            None => Ok(()),
            Some(&i) => Err(SourceError::new(
                self.at(),
                format!(
                    "column {} has no name in the header, yet holds '{}' here: name the column or empty it",
                    i + 1,
                    &self.record[i]
                ),
            )),
        }
    }

    fn relation(&self, options: ReadOptions) -> Result<WrittenRelation<'a>, SourceError> {
        let when = match self.field(DATE) {
            Some(d) => TimeSpan::parse(d).map_err(|e| self.error("date", e.to_string()))?,
            None => TimeSpan::UNDATED,
        };
        let status: Status = match self.field(STATUS) {
            Some(s) => s.parse().map_err(|e| self.error("status", e))?,
            None => Status::default(),
        };
        let grade = match self.field(GRADE) {
            Some(g) => Some(g.parse().map_err(|e| self.error("grade", e))?),
            None => None,
        };
        Ok(WrittenRelation {
            from: self.required_field(FROM)?,
            rtype: self.required_field(TYPE)?,
            to: self.required_field(TO)?,
            when,
            status,
            grade,
            source: self.field(SOURCE),
            quote: self.field(QUOTE),
            claimed_by: self.field(CLAIMED_BY),
            properties: self.properties()?,
            creates_missing: !options.strict,
        })
    }

    fn entity(&self) -> Result<EntityDecl, SourceError> {
        let kind = self
            .required("kind")?
            .parse()
            .map_err(|e| self.error("kind", e))?;
        let mut entity = Entity::new(self.required("name")?.to_string(), kind);
        for alias in self.get("aliases").unwrap_or("").split('|') {
            if !alias.is_empty() {
                entity.add_alias(alias.to_string());
            }
        }
        entity.properties = self.properties()?;
        Ok(EntityDecl {
            at: self.at(),
            creates_kind: true,
            id: None,
            entity,
        })
    }

    fn relation_type(&self) -> Result<TypeDecl, SourceError> {
        let symmetric = match self.required("direction")?.to_ascii_lowercase().as_str() {
            "directed" => false,
            "symmetric" => true,
            other => {
                return Err(self.error(
                    "direction",
                    format!("'{other}': expected directed or symmetric"),
                ));
            }
        };
        Ok(TypeDecl {
            at: self.at(),
            rtype: RelationType {
                name: self.required("name")?.to_string(),
                symmetric,
                cameo: self.get("cameo").map(str::to_string),
                description: self.get("description").map(str::to_string),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Batch, SourceError> {
        parse(
            &Arc::from("t.csv"),
            text.as_bytes(),
            ReadOptions { strict: false },
        )
    }

    #[test]
    fn relations_with_extra_columns_become_properties() {
        let batch =
            parse_str("From,Type,To,date,Weight,id\nA,met,B,2025-02,3,17\nB,met,C,,,\n").unwrap();
        assert_eq!(batch.relations.len(), 2);
        assert_eq!(batch.relations.get(0).unwrap().when.to_string(), "2025-02");
        assert_eq!(
            batch.relations.get(0).unwrap().properties,
            [("Weight".to_string(), "3".to_string())]
        );
        assert!(batch.relations.get(1).unwrap().when.is_undated());
        assert!(batch.relations.get(1).unwrap().properties.is_empty());
    }

    #[test]
    fn a_column_without_a_name_may_only_be_empty() {
        let batch = parse_str("from,type,to,date,\nA,met,B,2025-02,\n").unwrap();
        assert!(batch.relations.get(0).unwrap().properties.is_empty());
        let e = parse_str("from,type,to, ,date\nA,met,B,,2025\nA,met,B,x,2025\n").unwrap_err();
        assert_eq!(e.at.line, 3);
        assert!(e.message.contains("column 4 has no name"), "{}", e.message);
        let e = parse_str("name,kind,\nA,person,x\n").unwrap_err();
        assert!(e.message.contains("column 3 has no name"), "{}", e.message);
        // Several of them, and in a relation types file.
        let batch = parse_str("from,type,to,,\nA,met,B,,\n").unwrap();
        assert_eq!(batch.relations.len(), 1);
        assert_eq!(
            parse_str("name,direction,\nmet,symmetric,\n")
                .unwrap()
                .types
                .len(),
            1
        );
        let e = parse_str("name,direction,,cameo\nmet,symmetric,x,044\n").unwrap_err();
        assert!(e.message.contains("column 3 has no name"), "{}", e.message);
    }

    #[test]
    fn relation_fields_are_where_the_columns_list_them() {
        let fields = [
            (FROM, "from"),
            (TYPE, "type"),
            (TO, "to"),
            (DATE, "date"),
            (SOURCE, "source"),
            (QUOTE, "quote"),
            (STATUS, "status"),
            (GRADE, "grade"),
            (CLAIMED_BY, "claimed_by"),
        ];
        for (i, name) in fields {
            assert_eq!(RELATION_COLUMNS[i], name);
        }
    }

    #[test]
    fn fields_are_taken_exactly() {
        let batch = parse_str("from,type,to\n A ,met,\"B, the \"\"second\"\"\"\n").unwrap();
        assert_eq!(batch.relations.get(0).unwrap().from.name, " A ");
        assert_eq!(batch.relations.get(0).unwrap().to.name, "B, the \"second\"");
    }

    #[test]
    fn entities_split_aliases() {
        let batch = parse_str(
            "name,kind,aliases,title\nNaryshkin,person,Нарышкин|Sergey Naryshkin,Director\n",
        )
        .unwrap();
        let e = &batch.entities[0].entity;
        assert_eq!(e.aliases, ["Нарышкин", "Sergey Naryshkin"]);
        assert_eq!(e.property("title"), Some("Director"));
    }

    #[test]
    fn relation_types() {
        let batch = parse_str(
            "name,direction,cameo,description\nmet,symmetric,044,\nphoned,directed,041,By phone\n",
        )
        .unwrap();
        assert!(batch.types[0].rtype.symmetric);
        assert_eq!(batch.types[0].rtype.description, None);
        assert_eq!(
            batch.types[1].rtype.description.as_deref(),
            Some("By phone")
        );
        let err = parse_str("name,direction\nmet,sideways\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "t.csv:2: column 'direction': 'sideways': expected directed or symmetric"
        );
    }

    #[test]
    fn bad_rows_name_the_line() {
        let cases = [
            (
                "from,type,to,date\nA,met,B,2025-01-01\nA,met,B,2025-13-45\n",
                "t.csv:3: column 'date': bad date '2025-13-45': month must be 01 to 12",
            ),
            (
                "from,type,to\nA,met\n",
                "t.csv:2: expected 3 fields as in the header, found 2",
            ),
            (
                "from,type\nA,met\n",
                "t.csv:1: expected a header with from,type,to (relations), name,kind (entities) or name,direction (relation types)",
            ),
            (
                "",
                "t.csv:1: empty file: expected a header row (from,type,to,... or name,kind,... or name,direction,...)",
            ),
            ("from,type,to\n,met,B\n", "t.csv:2: column 'from': is empty"),
            (
                "name,kind\nX,3rd planet\n",
                "t.csv:2: column 'kind': bad kind '3rd planet': a kind is a word of letters, digits, _ and - (at most 40), e.g. person, organization (org), country, place, media, event, other, vessel",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_str(text).unwrap_err().to_string(),
                expected,
                "{text:?}"
            );
        }
        // Windows line ends and blank lines count as an editor counts them.
        for text in [
            "from,type,to,date\r\nA,met,B,2025\r\nA,met,B,2025-99\r\n",
            "from,type,to,date\n\nA,met,B,2025\n\n\r\nA,met,B,2025-99\n",
        ] {
            let line = if text.contains("\n\n") { 6 } else { 3 };
            assert_eq!(
                parse_str(text).unwrap_err().to_string(),
                format!("t.csv:{line}: column 'date': bad date '2025-99': month must be 01 to 12"),
                "{text:?}"
            );
        }
        assert_eq!(
            parse_str("from,type,to\r\nA,met,B\r\nA,met\r\n")
                .unwrap_err()
                .to_string(),
            "t.csv:3: expected 3 fields as in the header, found 2"
        );
        let bad_utf8 = parse(
            &Arc::from("t.csv"),
            b"from,type,to\nA,met,\xff\n",
            ReadOptions { strict: false },
        );
        assert_eq!(
            bad_utf8.unwrap_err().to_string(),
            "t.csv:2: invalid UTF-8: CSV files must be UTF-8 text"
        );
    }
}
