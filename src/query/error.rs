//! What went wrong with a query, and where: a line and column of its text, shown with
//! the line and a caret under the place.

use std::fmt;

/// Where a token starts: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// What went wrong with a query: where (when known) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub pos: Option<Pos>,
    pub message: String,
    /// The query's text, for showing the line with a caret.
    pub source: Option<String>,
    /// Where the text came from (a file, standard input), for `NAME:LINE:COLUMN`
    /// (`query` when not set), and how many lines of it came before the query.
    pub origin: Option<(String, usize)>,
}

impl QueryError {
    pub fn at(pos: Pos, message: impl Into<String>) -> QueryError {
        QueryError {
            pos: Some(pos),
            message: message.into(),
            source: None,
            origin: None,
        }
    }

    /// The same error, placed in `origin` (a file name) whose line `first_line` is the
    /// query's first.
    pub fn located(mut self, origin: &str, first_line: usize) -> QueryError {
        self.origin = Some((origin.to_string(), first_line.saturating_sub(1)));
        self
    }

    /// The same error, placed at `pos` unless it has a place already.
    pub fn at_if_unplaced(mut self, pos: Pos) -> QueryError {
        self.pos.get_or_insert(pos);
        self
    }

    pub fn new(message: impl Into<String>) -> QueryError {
        QueryError {
            pos: None,
            message: message.into(),
            source: None,
            origin: None,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (origin, before) = match &self.origin {
            Some((name, before)) => (name.as_str(), *before),
            None => ("query", 0),
        };
        let Some(pos) = self.pos else {
            return write!(f, "{origin}: {}", self.message);
        };
        write!(
            f,
            "{origin}:{}:{}: {}",
            pos.line + before,
            pos.column,
            self.message
        )?;
        if let Some(line) = self
            .source
            .as_deref()
            .and_then(|s| s.lines().nth(pos.line.saturating_sub(1)))
        {
            let shown = crate::model::printable(line);
            let pad: String = line
                .chars()
                .take(pos.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n  {shown}\n  {pad}^")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}
