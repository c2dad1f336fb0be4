//! What a running query is handed besides its text: a flag that cancels it (the
//! shell's Ctrl-C) and the counters of the work its walks did (for `--explain`).

use std::sync::atomic::{AtomicBool, Ordering};

use super::error::QueryError;
use crate::algo::Work;

/// The context of one query run.
#[derive(Debug, Default)]
pub(crate) struct Context<'a> {
    cancel: Option<&'a AtomicBool>,
    work: Work,
}

impl<'a> Context<'a> {
    /// A context that `cancel` (when given) stops once it is set.
    pub(crate) fn new(cancel: Option<&'a AtomicBool>) -> Context<'a> {
        Context {
            cancel,
            work: Work::default(),
        }
    }

    /// An error once the run was cancelled.
    pub(crate) fn check(&self) -> Result<(), QueryError> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(QueryError::new("cancelled")),
            _ => Ok(()),
        }
    }

    /// The work counted so far.
    pub(crate) fn work(&self) -> &Work {
        &self.work
    }
}
