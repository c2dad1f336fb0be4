//! The relations a batch declares, held as columns: a row of numbers per relation, and
//! each distinct name (an end, a type, a claimant) and each distinct source or quote
//! kept once. A CSV file of ten million relations names a million entities twenty
//! million times: its rows are read into this without a string allocated per row, and
//! the import resolves each distinct name once. A CSV reader hands its rows over
//! ([`interned_beside`]) so that the names are interned on the other core while it
//! reads on.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

use compact_str::CompactString;
use foldhash::HashMap;

use super::decl::{Location, NameRef, RelationDecl};
use crate::model::{Grade, Status, TimeSpan};

/// No value: a field not given.
const NONE: u32 = u32::MAX;

/// Flags of a row.
const UNDIRECTED: u8 = 1;
const POINTED: u8 = 2;
const CREATES_MISSING: u8 = 4;

/// Distinct texts, numbered from 0 in the order first met. The keys hold a text of up
/// to 24 bytes inline (most names): a lookup reads the table, not a string elsewhere.
#[derive(Debug, Clone, Default)]
struct Interned {
    numbers: HashMap<CompactString, u32>,
    texts: Vec<Box<str>>,
}

impl Interned {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = self.texts.len() as u32;
        self.texts.push(Box::from(text));
        self.numbers.insert(CompactString::from(text), n);
        n
    }
}

/// One relation: numbers into the list's tables.
#[derive(Debug, Clone, Copy)]
struct Row {
    file: u32,
    line: u32,
    from: u32,
    rtype: u32,
    to: u32,
    claimed_by: u32,
    source: u32,
    quote: u32,
    /// Into `properties`, or `NONE` when it has none.
    properties: u32,
    /// Into `columns`, or `NONE` when no column is known (CSV, JSONL).
    columns: u32,
    id: Option<u32>,
    when: TimeSpan,
    status: Status,
    grade: Option<Grade>,
    flags: u8,
}

/// A relation as a CSV row writes it, borrowed from the row.
#[derive(Debug, Clone)]
pub struct WrittenRelation<'a> {
    pub from: &'a str,
    pub rtype: &'a str,
    pub to: &'a str,
    pub when: TimeSpan,
    pub status: Status,
    pub grade: Option<Grade>,
    pub source: Option<&'a str>,
    pub quote: Option<&'a str>,
    pub claimed_by: Option<&'a str>,
    /// Sorted by key, keys unique.
    pub properties: Vec<(String, String)>,
    /// Unknown ends and types may be created.
    pub creates_missing: bool,
}

/// The relations of a batch, in the order their files list them.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    files: Vec<Arc<str>>,
    names: Interned,
    texts: Interned,
    rows: Vec<Row>,
    properties: Vec<Vec<(String, String)>>,
    /// The columns of a row's start, from, type, to and claimant.
    columns: Vec<[u32; 5]>,
}

impl Relations {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn reserve(&mut self, rows: usize) {
        self.rows.reserve(rows);
    }

    /// How many distinct names the relations write (numbers below this).
    pub fn name_count(&self) -> usize {
        self.names.texts.len()
    }

    /// How many distinct sources and quotes the relations write.
    pub fn text_count(&self) -> usize {
        self.texts.texts.len()
    }

    /// How many properties the relations have in all.
    pub fn property_count(&self) -> usize {
        self.properties.iter().map(Vec::len).sum()
    }

    fn file_number(&mut self, file: &Arc<str>) -> u32 {
        match self
            .files
            .iter()
            .rposition(|f| Arc::ptr_eq(f, file) || f == file)
        {
            Some(i) => i as u32,
            None => {
                self.files.push(file.clone());
                (self.files.len() - 1) as u32
            }
        }
    }

    fn text_number(&mut self, text: Option<&str>) -> u32 {
        text.map_or(NONE, |t| self.texts.number(t))
    }

    fn properties_number(&mut self, properties: Vec<(String, String)>) -> u32 {
        if properties.is_empty() {
            return NONE;
        }
        self.properties.push(properties);
        (self.properties.len() - 1) as u32
    }

    /// Adds a relation read from line `line` of `file`.
    pub fn push_written(&mut self, file: &Arc<str>, line: usize, written: WrittenRelation<'_>) {
        let row = Row {
            file: self.file_number(file),
            line: line as u32,
            from: self.names.number(written.from),
            rtype: self.names.number(written.rtype),
            to: self.names.number(written.to),
            claimed_by: written.claimed_by.map_or(NONE, |c| self.names.number(c)),
            source: self.text_number(written.source),
            quote: self.text_number(written.quote),
            properties: self.properties_number(written.properties),
            columns: NONE,
            id: None,
            when: written.when,
            status: written.status,
            grade: written.grade,
            flags: if written.creates_missing {
                CREATES_MISSING
            } else {
                0
            },
        };
        self.rows.push(row);
    }

    /// Adds a declared relation: as a written one, with the columns its names were
    /// written at, its arrowhead and the id its file gives it.
    pub fn push(&mut self, decl: RelationDecl) {
        let columns = [
            decl.at.column as u32,
            decl.from.column,
            decl.rtype.column,
            decl.to.column,
            decl.claimed_by.as_ref().map_or(0, |c| c.column),
        ];
        let written = WrittenRelation {
            from: &decl.from.name,
            rtype: &decl.rtype.name,
            to: &decl.to.name,
            when: decl.when,
            status: decl.status,
            grade: decl.grade,
            source: decl.source.as_deref(),
            quote: decl.quote.as_deref(),
            claimed_by: decl.claimed_by.as_ref().map(|c| c.name.as_str()),
            properties: decl.properties,
            creates_missing: decl.creates_missing,
        };
        self.push_written(&decl.at.file, decl.at.line, written);
        let columns = match columns == [0; 5] {
            true => NONE,
            false => {
                self.columns.push(columns);
                (self.columns.len() - 1) as u32
            }
        };
        if let Some(row) = self.rows.last_mut() {
            row.columns = columns;
            row.id = decl.id;
            for (set, flag) in [(decl.undirected, UNDIRECTED), (decl.pointed, POINTED)] {
                if set {
                    row.flags |= flag;
                }
            }
        }
    }

    /// Adds another list's relations after these.
    pub fn append(&mut self, other: Relations) {
        if self.rows.is_empty() && self.files.is_empty() {
            *self = other;
            return;
        }
        let files: Vec<u32> = other.files.iter().map(|f| self.file_number(f)).collect();
        let names: Vec<u32> = (other.names.texts.iter())
            .map(|n| self.names.number(n))
            .collect();
        let texts: Vec<u32> = (other.texts.texts.iter())
            .map(|t| self.texts.number(t))
            .collect();
        let moved = |n: u32, to: &[u32]| if n == NONE { NONE } else { to[n as usize] };
        let (properties, columns) = (self.properties.len() as u32, self.columns.len() as u32);
        let shifted = |n: u32, by: u32| if n == NONE { NONE } else { n + by };
        self.rows.extend(other.rows.iter().map(|r| Row {
            file: files[r.file as usize],
            from: names[r.from as usize],
            rtype: names[r.rtype as usize],
            to: names[r.to as usize],
            claimed_by: moved(r.claimed_by, &names),
            source: moved(r.source, &texts),
            quote: moved(r.quote, &texts),
            properties: shifted(r.properties, properties),
            columns: shifted(r.columns, columns),
            ..*r
        }));
        self.properties.extend(other.properties);
        self.columns.extend(other.columns);
    }

    /// The relations in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = RelationView<'_>> + '_ {
        self.rows.iter().map(|row| RelationView { list: self, row })
    }

    /// The relation at `i`, as a declaration of its own.
    pub fn get(&self, i: usize) -> Option<RelationDecl> {
        let r = RelationView {
            list: self,
            row: self.rows.get(i)?,
        };
        let name = |n: WrittenName| NameRef {
            name: n.name().to_string(),
            column: n.column,
        };
        Some(RelationDecl {
            at: r.at(),
            from: name(r.from()),
            rtype: name(r.rtype()),
            to: name(r.to()),
            when: r.when(),
            status: r.status(),
            grade: r.grade(),
            source: r.source().map(|t| Box::from(t.text)),
            quote: r.quote().map(|t| Box::from(t.text)),
            claimed_by: r.claimed_by().map(|c| Box::new(name(c))),
            properties: r.properties().to_vec(),
            undirected: r.undirected(),
            pointed: r.pointed(),
            creates_missing: r.creates_missing(),
            id: r.id(),
        })
    }
}

/// How many rows a reader hands over at a time.
const CHUNK_ROWS: usize = 8192;

/// A span of a chunk's text.
type Span = Option<(u32, u32)>;

/// A row's fields, its texts copied into its chunk's text.
struct CopiedRow {
    line: usize,
    from: Span,
    rtype: Span,
    to: Span,
    source: Span,
    quote: Span,
    claimed_by: Span,
    when: TimeSpan,
    status: Status,
    grade: Option<Grade>,
    properties: Vec<(String, String)>,
    creates_missing: bool,
}

/// Rows handed from the thread that reads them to the one that interns them.
#[derive(Default)]
struct Chunk {
    text: String,
    rows: Vec<CopiedRow>,
}

impl Chunk {
    fn copy(&mut self, text: Option<&str>) -> Span {
        let text = text?;
        let start = self.text.len() as u32;
        self.text.push_str(text);
        Some((start, self.text.len() as u32))
    }

    fn text(&self, span: Span) -> Option<&str> {
        span.map(|(start, end)| &self.text[start as usize..end as usize])
    }
}

/// The reading side of [`interned_beside`]: rows pushed here are interned on the other
/// thread, in order.
pub struct Handoff {
    chunk: Chunk,
    full: SyncSender<Chunk>,
    spare: Receiver<Chunk>,
}

impl Handoff {
    /// Hands over a row read on line `line`.
    pub fn push(&mut self, line: usize, written: WrittenRelation<'_>) {
        let chunk = &mut self.chunk;
        let row = CopiedRow {
            line,
            from: chunk.copy(Some(written.from)),
            rtype: chunk.copy(Some(written.rtype)),
            to: chunk.copy(Some(written.to)),
            source: chunk.copy(written.source),
            quote: chunk.copy(written.quote),
            claimed_by: chunk.copy(written.claimed_by),
            when: written.when,
            status: written.status,
            grade: written.grade,
            properties: written.properties,
            creates_missing: written.creates_missing,
        };
        chunk.rows.push(row);
        if chunk.rows.len() == CHUNK_ROWS {
            self.send();
        }
    }

    fn send(&mut self) {
        let spare = self.spare.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.chunk, spare);
        // The interning side stops only when this side is dropped.
        let _ = self.full.send(full);
    }

    /// Hands over the last rows: the other thread then returns the list.
    pub fn finish(mut self) {
        if !self.chunk.rows.is_empty() {
            self.send();
        }
    }
}

/// A thread in `scope` that interns the relations of `file` (about `rows` of them) that
/// the returned [`Handoff`] is given, and returns them as a list when it is dropped or
/// finished: reading a large file and interning its names take the two cores.
pub fn interned_beside<'scope>(
    scope: &'scope Scope<'scope, '_>,
    file: Arc<str>,
    rows: usize,
) -> (Handoff, ScopedJoinHandle<'scope, Relations>) {
    let (full, chunks) = sync_channel::<Chunk>(4);
    let (spare, spares) = channel::<Chunk>();
    let thread = scope.spawn(move || {
        let mut list = Relations::default();
        list.reserve(rows);
        for mut chunk in chunks {
            // The rows' array goes back with the chunk, its room kept for the next rows.
            let mut rows = std::mem::take(&mut chunk.rows);
            for row in rows.drain(..) {
                let text = |span| chunk.text(span).unwrap_or_default();
                let written = WrittenRelation {
                    from: text(row.from),
                    rtype: text(row.rtype),
                    to: text(row.to),
                    when: row.when,
                    status: row.status,
                    grade: row.grade,
                    source: chunk.text(row.source),
                    quote: chunk.text(row.quote),
                    claimed_by: chunk.text(row.claimed_by),
                    properties: row.properties,
                    creates_missing: row.creates_missing,
                };
                list.push_written(&file, row.line, written);
            }
            chunk.text.clear();
            chunk.rows = rows;
            let _ = spare.send(chunk);
        }
        list
    });
    let handoff = Handoff {
        chunk: Chunk::default(),
        full,
        spare: spares,
    };
    (handoff, thread)
}

/// A name as a relation writes it: its number among the list's distinct names (its
/// text is read only when asked for: a large import resolves each name once, by
/// number).
#[derive(Debug, Clone, Copy)]
pub struct WrittenName<'a> {
    pub number: u32,
    /// 1-based, or 0 when unknown.
    pub column: u32,
    names: &'a [Box<str>],
}

impl<'a> WrittenName<'a> {
    /// The name as written.
    pub fn name(&self) -> &'a str {
        &self.names[self.number as usize]
    }

    /// Where the name stands, on its relation's `line`.
    pub fn at(&self, line: &Location) -> Location {
        Location {
            column: self.column as usize,
            ..line.clone()
        }
    }
}

/// A source or quote: its number among the list's distinct texts.
#[derive(Debug, Clone, Copy)]
pub struct WrittenText<'a> {
    pub number: u32,
    pub text: &'a str,
}

/// One relation of a [`Relations`] list.
#[derive(Clone, Copy)]
pub struct RelationView<'a> {
    list: &'a Relations,
    row: &'a Row,
}

impl<'a> RelationView<'a> {
    /// Where the relation was written.
    pub fn at(&self) -> Location {
        Location {
            file: self.list.files[self.row.file as usize].clone(),
            line: self.row.line as usize,
            column: self.column(0) as usize,
        }
    }

    /// The column of the relation's start (0) or of one of its names.
    fn column(&self, slot: usize) -> u32 {
        match self.row.columns {
            NONE => 0,
            i => self.list.columns[i as usize][slot],
        }
    }

    fn name(&self, number: u32, slot: usize) -> WrittenName<'a> {
        WrittenName {
            number,
            column: self.column(slot),
            names: &self.list.names.texts,
        }
    }

    pub fn from(&self) -> WrittenName<'a> {
        self.name(self.row.from, 1)
    }

    pub fn rtype(&self) -> WrittenName<'a> {
        self.name(self.row.rtype, 2)
    }

    pub fn to(&self) -> WrittenName<'a> {
        self.name(self.row.to, 3)
    }

    pub fn claimed_by(&self) -> Option<WrittenName<'a>> {
        (self.row.claimed_by != NONE).then(|| self.name(self.row.claimed_by, 4))
    }

    fn text(&self, number: u32) -> Option<WrittenText<'a>> {
        (number != NONE).then(|| WrittenText {
            number,
            text: &self.list.texts.texts[number as usize],
        })
    }

    pub fn source(&self) -> Option<WrittenText<'a>> {
        self.text(self.row.source)
    }

    pub fn quote(&self) -> Option<WrittenText<'a>> {
        self.text(self.row.quote)
    }

    pub fn when(&self) -> TimeSpan {
        self.row.when
    }

    pub fn status(&self) -> Status {
        self.row.status
    }

    pub fn grade(&self) -> Option<Grade> {
        self.row.grade
    }

    /// Sorted by key, keys unique.
    pub fn properties(&self) -> &'a [(String, String)] {
        match self.row.properties {
            NONE => &[],
            i => &self.list.properties[i as usize],
        }
    }

    /// Written without an arrowhead (`A -[met]- B`): the type must be symmetric.
    pub fn undirected(&self) -> bool {
        self.row.flags & UNDIRECTED != 0
    }

    /// Written with an arrowhead (`.kg` only).
    pub fn pointed(&self) -> bool {
        self.row.flags & POINTED != 0
    }

    /// Unknown ends and types may be created (CSV).
    pub fn creates_missing(&self) -> bool {
        self.row.flags & CREATES_MISSING != 0
    }

    /// The id the file gives it (JSONL).
    pub fn id(&self) -> Option<u32> {
        self.row.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(file: &str, line: usize, from: &str, to: &str, source: Option<&str>) -> RelationDecl {
        let name = |n: &str, column| NameRef {
            name: n.to_string(),
            column,
        };
        RelationDecl {
            at: Location {
                file: Arc::from(file),
                line,
                column: 1,
            },
            from: name(from, 1),
            rtype: name("met", 0),
            to: name(to, 0),
            when: TimeSpan::UNDATED,
            status: Status::default(),
            grade: None,
            source: source.map(Box::from),
            quote: None,
            claimed_by: Some(Box::new(name(from, 9))),
            properties: vec![("k".to_string(), line.to_string())],
            undirected: true,
            pointed: false,
            creates_missing: false,
            id: Some(line as u32),
        }
    }

    fn same(a: &RelationDecl, b: &RelationDecl) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn a_declaration_reads_back_as_written() {
        let mut list = Relations::default();
        let written = [
            decl("a.kg", 3, "A", "B", Some("S")),
            decl("a.kg", 4, "B", "A", Some("S")),
            decl("b.kg", 1, "C", "A", None),
        ];
        for d in &written {
            list.push(d.clone());
        }
        assert_eq!(list.name_count(), 4);
        assert_eq!(list.text_count(), 1);
        for (i, d) in written.iter().enumerate() {
            assert!(same(&list.get(i).unwrap(), d), "{i}");
        }
        let views: Vec<_> = list.iter().collect();
        assert_eq!(views[0].from().number, views[1].to().number);
        assert_eq!(views[0].source().unwrap().number, 0);
    }

    #[test]
    fn rows_handed_over_are_interned_in_order() {
        let file: Arc<str> = Arc::from("r.csv");
        let n = CHUNK_ROWS * 2 + 5;
        let names: Vec<String> = (0..n).map(|i| format!("N{}", i % 1000)).collect();
        let written = |i: usize| WrittenRelation {
            from: &names[i],
            rtype: "met",
            to: &names[(i + 1) % n],
            when: TimeSpan::UNDATED,
            status: Status::default(),
            grade: None,
            source: i.is_multiple_of(3).then_some("S"),
            quote: None,
            claimed_by: i.is_multiple_of(5).then_some("C"),
            properties: vec![("k".to_string(), i.to_string())],
            creates_missing: i.is_multiple_of(2),
        };
        let mut direct = Relations::default();
        for i in 0..n {
            direct.push_written(&file, i + 2, written(i));
        }
        let handed = std::thread::scope(|scope| {
            let (mut handoff, thread) = interned_beside(scope, file.clone(), n);
            for i in 0..n {
                handoff.push(i + 2, written(i));
            }
            handoff.finish();
            thread.join().unwrap()
        });
        assert_eq!(handed.len(), n);
        for i in [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, n - 1] {
            assert!(
                same(&handed.get(i).unwrap(), &direct.get(i).unwrap()),
                "{i}"
            );
        }
        assert_eq!(handed.name_count(), direct.name_count());
    }

    #[test]
    fn appending_renumbers_names_texts_and_tables() {
        let mut first = Relations::default();
        first.push(decl("a.kg", 1, "A", "B", Some("S")));
        let mut second = Relations::default();
        second.push(decl("b.kg", 2, "B", "C", Some("T")));
        second.push_written(
            &Arc::from("c.csv"),
            7,
            WrittenRelation {
                from: "C",
                rtype: "met",
                to: "A",
                when: TimeSpan::UNDATED,
                status: Status::default(),
                grade: None,
                source: Some("S"),
                quote: None,
                claimed_by: None,
                properties: Vec::new(),
                creates_missing: true,
            },
        );
        let expected: Vec<RelationDecl> = (0..1)
            .map(|i| first.get(i).unwrap())
            .chain((0..2).map(|i| second.get(i).unwrap()))
            .collect();
        first.append(second);
        assert_eq!(first.len(), 3);
        for (i, d) in expected.iter().enumerate() {
            assert!(same(&first.get(i).unwrap(), d), "{i}");
        }
        assert_eq!(first.name_count(), 4);
        assert_eq!(first.text_count(), 2);
        assert_eq!(first.property_count(), 2);
    }
}
