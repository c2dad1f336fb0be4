//! `--explain` for queries: each pattern's starting point and walk (pattern predicates
//! and subqueries included), the rows each clause left and each `WITH` passed on, the
//! `RETURN` steps, and the work the walks did.

use super::ast::*;
use super::plan::{ClausePlan, PatternPlan, Plan, Slots};
use crate::algo::Work;
use crate::model::Kind;
use crate::store::Store;

/// The plan in words: a line per pattern, per `WHERE`, per `UNWIND` and per `WITH`.
pub(crate) fn plan_lines(store: &Store, plan: &Plan, walk_denied: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for (part, stages) in plan.unions.iter().enumerate() {
        let prefix = part_prefix(plan, part);
        let mut n = 0;
        let mut predicates = 0;
        let mut subqueries = 0;
        for (s, sp) in stages.iter().enumerate() {
            if sp.entry_filter.is_some() {
                lines.push(format!(
                    "{prefix}WITH {s}: then WHERE keeps the rows where it is true"
                ));
            }
            for (clause, cp) in sp.stage.clauses.iter().zip(&sp.clauses) {
                n += 1;
                let label = clause_label(clause, n);
                match (clause, cp) {
                    (Clause::Match(m), ClausePlan::Match { plan: mp, .. }) => {
                        for (p, (pattern, pp)) in m.patterns.iter().zip(&mp.patterns).enumerate() {
                            lines.push(format!(
                                "{prefix}{label} pattern {}: {}",
                                p + 1,
                                describe_pattern(store, pattern, pp, &sp.slots, walk_denied)
                            ));
                        }
                        if m.filter.is_some() {
                            lines.push(format!(
                                "{prefix}{label}: then WHERE keeps the rows where it is true"
                            ));
                        }
                        if m.optional {
                            lines.push(format!(
                                "{prefix}{label}: a row it finds nothing for goes on, its new variables null"
                            ));
                        }
                    }
                    (Clause::Unwind { var, .. }, _) => lines.push(format!(
                        "{prefix}{label}: a row per item of the list, as `{var}`"
                    )),
                    (Clause::Merge { .. }, _) => lines.push(format!(
                        "{prefix}{label}: takes all rows before it, then for each, the pattern's matches or one it makes"
                    )),
                    (update, _) if update.is_update() => lines.push(format!(
                        "{prefix}{label}: takes all rows before it, then changes the graph for each"
                    )),
                    _ => {}
                }
            }
            if s + 1 < stages.len() {
                lines.push(format!(
                    "{prefix}WITH {}: {}; {}",
                    s + 1,
                    steps(&sp.stage.projection),
                    if sp.streams() {
                        "passes each row on as it comes"
                    } else {
                        "takes all its rows before it passes them on"
                    }
                ));
            }
            for predicate in &sp.predicates {
                predicates += 1;
                lines.push(format!(
                    "{prefix}pattern predicate {predicates}: for each row, {}",
                    describe_pattern(
                        store,
                        &predicate.pattern,
                        &predicate.plan,
                        &predicate.slots,
                        walk_denied
                    )
                ));
            }
            for sub in &sp.subqueries {
                subqueries += 1;
                let imports = &sub.plan.unions[0][0].slots.names[..sub.imports.len()];
                lines.push(format!(
                    "{prefix}subquery {subqueries} ({} {{ }}): runs for each row{}",
                    if sub.count { "COUNT" } else { "EXISTS" },
                    if imports.is_empty() {
                        String::new()
                    } else {
                        format!(", given {}", imports.join(", "))
                    }
                ));
                for line in plan_lines(store, &sub.plan, walk_denied) {
                    lines.push(format!("{prefix}subquery {subqueries}: {line}"));
                }
            }
        }
    }
    lines
}

/// How many rows each clause of part `part` left, each `WITH` passed on and its
/// `RETURN` gave.
pub(crate) fn count_lines(plan: &Plan, part: usize, counts: &[Vec<usize>]) -> Vec<String> {
    let prefix = part_prefix(plan, part);
    let stages = &plan.unions[part];
    let mut lines = Vec::new();
    let mut n = 0;
    for (s, (sp, counts)) in stages.iter().zip(counts).enumerate() {
        for (clause, count) in sp.stage.clauses.iter().zip(counts) {
            n += 1;
            lines.push(format!(
                "{prefix}{} left {count} rows",
                clause_label(clause, n)
            ));
        }
        let given = counts.last().copied().unwrap_or(0);
        if s + 1 < stages.len() {
            lines.push(format!("{prefix}WITH {} passed {given} rows on", s + 1));
        } else {
            lines.push(format!(
                "{prefix}RETURN: {}; {given} rows",
                steps(&sp.stage.projection)
            ));
        }
    }
    lines
}

/// `part 2: ` before the lines of a `UNION`'s second query; nothing without `UNION`.
fn part_prefix(plan: &Plan, part: usize) -> String {
    if plan.unions.len() > 1 {
        format!("part {}: ", part + 1)
    } else {
        String::new()
    }
}

/// A clause by its keyword and its place among the clauses of its query (from 1).
fn clause_label(clause: &Clause, n: usize) -> String {
    format!("{} {n}", clause.keyword())
}

/// The steps of a projection (`WITH` or `RETURN`).
fn steps(ret: &Return) -> String {
    let mut steps = Vec::new();
    let items = if ret.star { &[][..] } else { &ret.items[..] };
    let aggregates = items.iter().filter(|i| i.expr.has_aggregate()).count();
    if aggregates > 0 {
        steps.push(format!(
            "grouped by {} key(s) with {aggregates} aggregate(s)",
            items.len() - aggregates
        ));
    }
    if ret.distinct {
        steps.push("DISTINCT".to_string());
    }
    if !ret.order.is_empty() {
        steps.push(format!("sorted by {} key(s)", ret.order.len()));
    }
    if ret.skip.is_some() || ret.limit.is_some() {
        steps.push("SKIP/LIMIT".to_string());
    }
    if steps.is_empty() {
        steps.push("projected".to_string());
    }
    steps.join(", ")
}

/// The work the walks did, against the size of the graph.
pub(crate) fn work_line(store: &Store, work: &Work) -> String {
    format!(
        "work: {} entities expanded, {} relations examined (the graph has {} entities, {} relations)",
        work.expanded(),
        work.examined(),
        store.entity_count(),
        store.relation_count()
    )
}

/// One pattern's plan in words.
fn describe_pattern(
    store: &Store,
    pattern: &Pattern,
    pp: &PatternPlan,
    slots: &Slots,
    walk_denied: bool,
) -> String {
    let mut text = walk_of(store, pattern, pp, slots);
    text.push_str(&path_rules(pattern, pp, walk_denied));
    text
}

/// What a pattern's path searches admit: the default bound of an unbounded
/// variable-length relationship, and the statuses walked.
fn path_rules(pattern: &Pattern, pp: &PatternPlan, walk_denied: bool) -> String {
    let mut notes = Vec::new();
    let searching = pattern.search == PathSearch::All;
    if searching
        && pattern
            .chain
            .rels
            .iter()
            .any(|r| matches!(r.length, Some((_, None))))
    {
        notes.push(format!(
            "a variable-length relationship without an upper bound walks at most \
             {DEFAULT_MAX_LENGTH} relationships (write *..N for another bound)"
        ));
    }
    if pp.skips_denied.iter().any(|&s| s) {
        notes.push(if walk_denied {
            "walks every status, denied included (--include-denied)".to_string()
        } else {
            "walks every status but denied (--include-denied walks them too)".to_string()
        });
    }
    notes.iter().map(|n| format!("; {n}")).collect()
}

/// Where a pattern starts and how it walks.
fn walk_of(store: &Store, pattern: &Pattern, pp: &PatternPlan, slots: &Slots) -> String {
    let name_of = |i: usize| {
        let n = &slots.names[pp.node_slots[i]];
        if n.starts_with(' ') {
            format!("node {}", i + 1)
        } else {
            format!("`{n}`")
        }
    };
    let count_kind = |kinds: &[Kind]| {
        store
            .entities()
            .filter(|(_, e)| kinds.iter().all(|k| *k == e.kind))
            .count()
    };
    let start_of = |i: usize| {
        if pp.node_bound[i] {
            format!("{} (bound by an earlier pattern)", name_of(i))
        } else if pp.names[i].is_some() {
            let n = pp.names[i].as_ref().map_or(0, Vec::len);
            format!(
                "{} looked up by name in the name index ({n} name{})",
                name_of(i),
                if n == 1 { "" } else { "s" }
            )
        } else if !pp.labels[i].is_empty() {
            let kinds: Vec<&str> = pp.labels[i].iter().map(|k| k.as_str()).collect();
            format!(
                "{} by a scan of kind {} ({} entities)",
                name_of(i),
                kinds.join(":"),
                count_kind(&pp.labels[i])
            )
        } else {
            format!(
                "{} by a scan of every entity ({})",
                name_of(i),
                store.entity_count()
            )
        }
    };
    match pattern.search {
        PathSearch::All => {
            let n = pattern.chain.nodes.len();
            let mut text = format!("starts at {}", start_of(pp.anchor));
            if pp.anchor + 1 < n {
                text.push_str(&format!(", walks right to {}", name_of(n - 1)));
            }
            if pp.anchor > 0 {
                text.push_str(&format!(", walks left to {}", name_of(0)));
            }
            if pattern.chain.rels.iter().any(|r| r.length.is_some()) {
                text.push_str(" (variable length: every trail in range, depth first)");
            }
            text
        }
        search => {
            format!(
                "{} from {} to {}, by {}",
                if search == PathSearch::Shortest {
                    "shortestPath"
                } else {
                    "allShortestPaths"
                },
                start_of(0),
                start_of(1),
                if pp.path_engine {
                    "kg's path engine (bidirectional search over the compressed adjacency)"
                } else {
                    "a breadth-first search that checks every relationship property"
                }
            )
        }
    }
}
