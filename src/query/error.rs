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
}

impl QueryError {
    pub fn at(pos: Pos, message: impl Into<String>) -> QueryError {
        QueryError {
            pos: Some(pos),
            message: message.into(),
            source: None,
        }
    }

    pub fn new(message: impl Into<String>) -> QueryError {
        QueryError {
            pos: None,
            message: message.into(),
            source: None,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(pos) = self.pos else {
            return write!(f, "query: {}", self.message);
        };
        write!(f, "query:{}:{}: {}", pos.line, pos.column, self.message)?;
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
