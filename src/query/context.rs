//! What a running query is handed besides its text: a flag that cancels it (the
//! shell's Ctrl-C), a time limit, whether its path searches walk denied relations, and
//! the counters of the work its walks did (for `--explain`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::error::QueryError;
use crate::algo::Work;
use crate::model::{EntityId, RelationId};

/// How many checks pass between two looks at the clock.
const CLOCK_EVERY: u32 = 1024;

/// The context of one query run.
#[derive(Debug, Default)]
pub(crate) struct Context<'a> {
    cancel: Option<&'a AtomicBool>,
    /// When the run must stop, and the limit it was given.
    deadline: Option<(Instant, Duration)>,
    checks: Cell<u32>,
    /// Whether variable-length patterns and shortest paths walk denied relations.
    pub(crate) walk_denied: bool,
    work: Work,
    /// The graph functions' scores computed so far, by function and options.
    pub(crate) measured: RefCell<HashMap<String, Rc<super::eval::measures::Scores>>>,
    /// What this query has deleted, as it was: rows still hold their ids.
    pub(crate) deleted: RefCell<Deleted>,
}

/// The entities and relations a query deleted: a deleted entity's name (for the error
/// when its properties are read), a deleted relation's type and ends (openCypher still
/// answers `type(r)`, `startNode(r)` and `endNode(r)` of one).
#[derive(Debug, Default)]
pub(crate) struct Deleted {
    pub(crate) entities: HashMap<EntityId, String>,
    pub(crate) relations: HashMap<RelationId, DeletedRelation>,
}

/// A deleted relation's type and ends.
#[derive(Debug, Clone)]
pub(crate) struct DeletedRelation {
    pub(crate) rtype: String,
    pub(crate) from: EntityId,
    pub(crate) to: EntityId,
}

impl<'a> Context<'a> {
    /// A context that `cancel` (when given) stops once it is set, and `timeout` (when
    /// given) once that much time has passed.
    pub(crate) fn new(cancel: Option<&'a AtomicBool>, timeout: Option<Duration>) -> Context<'a> {
        Context {
            cancel,
            deadline: timeout.map(|t| (Instant::now() + t, t)),
            ..Context::default()
        }
    }

    /// An error once the run was cancelled or ran out of time.
    pub(crate) fn check(&self) -> Result<(), QueryError> {
        if let Some(flag) = self.cancel
            && flag.load(Ordering::Relaxed)
        {
            return Err(QueryError::new("cancelled"));
        }
        let n = self.checks.get().wrapping_add(1);
        self.checks.set(n);
        if n.is_multiple_of(CLOCK_EVERY)
            && let Some((deadline, limit)) = self.deadline
            && Instant::now() >= deadline
        {
            return Err(QueryError::new(format!(
                "stopped at the time limit of {} (--timeout) after looking at {} relations: \
                 bound its variable-length patterns (*..N) or name where it starts",
                seconds(limit),
                self.work.examined()
            )));
        }
        Ok(())
    }

    /// What stops the run, for work on other threads (a graph function's measure),
    /// which cannot count checks: the cancel flag and the deadline.
    pub(crate) fn stop_signals(&self) -> (Option<&'a AtomicBool>, Option<Instant>) {
        (self.cancel, self.deadline.map(|(deadline, _)| deadline))
    }

    /// The work counted so far.
    pub(crate) fn work(&self) -> &Work {
        &self.work
    }
}

/// A duration as a person writes it: `2 s`, `0.5 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}
