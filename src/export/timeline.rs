//! The timeline picture: an SVG chart, composed with the `svg` crate, with one row per
//! actor and one mark per dated relation at its date.
//!
//! Time runs left to right on a linear scale of days. A relation is drawn on the rows
//! of both its ends, joined by a thin line at the day it sorts at (an arrowhead at the
//! object's row for a directed type): a dot for a single day, a bar for an interval
//! (`2025-03`, `2025-06-24..2025-06-25`), and for an open end (`..2025-06-29`,
//! `2022-02-24..`) a short tail from the known end with a triangle pointing the open
//! way, since the open side's length is unknown. Claimed and
//! unconfirmed relations are dashed, denied ones dotted and grey, highlighted ones red,
//! as in the DOT export. Undated relations have no place on the axis; the footer counts
//! them. Every mark carries its relation's id (`data-relation`) and a tooltip; rows carry
//! their entity's id (`data-entity`). Text is escaped by the crate (names go only into
//! text, never into attributes); control characters become spaces. The output is
//! deterministic.

use std::collections::HashMap;
use std::io::{self, Write};

use svg::Document;
use svg::node::element::{
    Circle, Definitions, Group, Line, Marker, Polygon, Rectangle, TSpan, Text, Title,
};

use crate::model::time::{MAX_DAY, MIN_DAY, date_of, day_number, format_day};
use crate::model::{Day, EntityId, Shape, Status, TimeSpan};
use crate::store::{RelationRef, Store};
use crate::subgraph::Subgraph;

/// Width of the time axis, in pixels.
const AXIS_WIDTH: f64 = 900.0;
/// Height of one actor's row.
const ROW: f64 = 30.0;
/// Space above the first row (title and axis labels).
const TOP: f64 = 56.0;
/// Pixels per character of a row label, roughly, at the labels' size.
const CHAR: f64 = 7.0;
/// The length of the tail drawn for an open end.
const TAIL: f64 = 28.0;
const FONT: &str = "Helvetica, Arial, sans-serif";

/// How a relation's line is drawn: colour and dash pattern.
fn stroke_of(status: Status, highlighted: bool) -> (&'static str, Option<&'static str>) {
    let colour = if highlighted { "#d00000" } else { "#1f4e79" };
    match status {
        Status::Reported | Status::Confirmed => (colour, None),
        Status::Claimed | Status::Unconfirmed => (colour, Some("5 3")),
        Status::Denied => ("#999999", Some("1 3")),
    }
}

/// A name made safe for XML text: control characters (not allowed in XML 1.0, or
/// line breaks a label cannot show) become spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A coordinate rounded to a tenth of a pixel, so the file stays small.
fn px(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The days the axis shows: from the earliest known day to the latest known day of the
/// relations, a little wider; a side the window asked for (`--from`, `--to`) is exactly
/// that day.
fn axis_range(relations: &[RelationRef], window: Option<(Day, Day)>) -> (Day, Day) {
    let mut lo = Day::MAX;
    let mut hi = Day::MIN;
    for r in relations {
        let w = r.relation.when;
        let (start, end) = known_ends(&w);
        for d in [start, end].into_iter().flatten() {
            lo = lo.min(d);
            hi = hi.max(d);
        }
    }
    if lo > hi {
        return (0, 30);
    }
    let pad = ((hi - lo) / 25).max(10);
    let (mut lo, mut hi) = (lo - pad, hi + pad);
    let (from, to) = window.unwrap_or((MIN_DAY, MAX_DAY));
    if from > MIN_DAY {
        lo = from;
    }
    if to < MAX_DAY {
        hi = to;
    }
    if hi <= lo {
        hi = lo + 1;
    }
    (lo, hi)
}

/// The ends of a span that are known: `None` for an open one.
fn known_ends(w: &TimeSpan) -> (Option<Day>, Option<Day>) {
    match w.shape() {
        Shape::Undated => (None, None),
        Shape::Until(_) => (None, Some(w.latest())),
        Shape::Since(_) => (Some(w.earliest()), None),
        Shape::Point(_) | Shape::Range(_, _) => (Some(w.earliest()), Some(w.latest())),
    }
}

/// Tick marks for the axis: `(day, label)`, yearly, monthly or weekly by the range.
fn ticks(lo: Day, hi: Day) -> Vec<(Day, String)> {
    use chrono::{Datelike, NaiveDate};
    let (date, day) = (date_of, day_number);
    let (first, last) = (date(lo), date(hi));
    let span = hi - lo;
    let mut out = Vec::new();
    if span > 3 * 365 {
        for y in first.year() + 1..=last.year() {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                out.push((day(d), y.to_string()));
            }
        }
    } else if span > 70 {
        let step = if span > 500 { 3 } else { 1 };
        let (mut y, mut m) = (first.year(), first.month());
        loop {
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
            let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) else {
                break;
            };
            if d > last {
                break;
            }
            if (m - 1) % step == 0 {
                out.push((day(d), format!("{y}-{m:02}")));
            }
        }
    } else {
        let mut d = lo + (7 - (date(lo).weekday().num_days_from_monday() as Day)) % 7;
        while d <= hi {
            out.push((d, format_day(d)));
            d += 7;
        }
    }
    out
}

/// A relation type's name in a label, and whether its relation is highlighted.
type Label = (String, bool);

/// How a timeline picture is drawn besides its part.
#[derive(Debug, Clone, Copy)]
pub struct TimelineOptions {
    /// The days of a `--from`/`--to` selection, which bound the axis.
    pub window: Option<(Day, Day)>,
    /// Draw the legend under the chart.
    pub legend: bool,
}

/// Writes the dated relations of the part as an SVG timeline; answers how many were
/// drawn (none: nothing is written).
pub fn write(
    store: &Store,
    part: &Subgraph,
    options: TimelineOptions,
    out: &mut impl Write,
) -> io::Result<usize> {
    let window = options.window;
    let mut relations: Vec<RelationRef> = part
        .relations
        .iter()
        .filter_map(|&r| store.relation(r))
        .collect();
    let undated = relations
        .iter()
        .filter(|r| r.relation.when.is_undated())
        .count();
    relations.retain(|r| !r.relation.when.is_undated());
    if relations.is_empty() {
        return Ok(0);
    }
    relations.sort_by(|a, b| {
        a.relation
            .when
            .timeline_order(&b.relation.when)
            .then(a.id.cmp(&b.id))
    });
    // Rows: the actors in the order they first appear.
    let mut rows: Vec<EntityId> = Vec::new();
    for r in &relations {
        for e in [r.from, r.to] {
            if !rows.contains(&e) {
                rows.push(e);
            }
        }
    }
    let row_of: HashMap<EntityId, usize> = rows.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let names: Vec<String> = rows
        .iter()
        .map(|&e| store.entity(e).map_or_else(String::new, |x| clean(&x.name)))
        .collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let left = (longest as f64 * CHAR).clamp(60.0, 260.0) + 24.0;
    // Room on the right for the labels of the last days.
    let right = 140.0;
    let width = left + AXIS_WIDTH + right;
    let chart_bottom = TOP + rows.len() as f64 * ROW;
    let height = chart_bottom + 96.0;
    let (lo, hi) = axis_range(&relations, window);
    let x_of = |d: Day| {
        let d = d.clamp(lo, hi);
        px(left + (d - lo) as f64 / (hi - lo).max(1) as f64 * AXIS_WIDTH)
    };
    let y_of = |i: usize| TOP + (i as f64 + 0.5) * ROW;

    let mut doc = Document::new()
        .set("width", width)
        .set("height", height)
        .set("viewBox", (0, 0, width, height))
        .set("font-family", FONT)
        .set("class", "kg-timeline")
        .add(arrowheads())
        .add(
            Rectangle::new()
                .set("width", width)
                .set("height", height)
                .set("fill", "white"),
        )
        .add(
            Text::new(format!(
                "Timeline: {} dated relation{} among {} actor{}",
                relations.len(),
                if relations.len() == 1 { "" } else { "s" },
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            ))
            .set("x", 12)
            .set("y", 20)
            .set("font-size", 14)
            .set("font-weight", "bold"),
        );
    // The axis: a tick line across every row with its date above.
    let mut axis = Group::new().set("class", "axis");
    for (d, label) in ticks(lo, hi) {
        let x = x_of(d);
        axis = axis
            .add(line(
                (x, TOP - 6.0),
                (x, chart_bottom),
                "#e3e3e3",
                1.0,
                None,
            ))
            .add(
                Text::new(label)
                    .set("x", x)
                    .set("y", TOP - 10.0)
                    .set("font-size", 10)
                    .set("text-anchor", "middle")
                    .set("fill", "#555555"),
            );
    }
    doc = doc.add(axis);
    for (i, (&entity, name)) in rows.iter().zip(&names).enumerate() {
        let y = y_of(i);
        let row = Group::new()
            .set("class", "row")
            .set("data-entity", entity.0)
            .add(line(
                (left, y),
                (left + AXIS_WIDTH, y),
                "#bbbbbb",
                0.6,
                None,
            ))
            .add(
                Text::new(name.as_str())
                    .set("x", left - 10.0)
                    .set("y", y + 4.0)
                    .set("font-size", 12)
                    .set("text-anchor", "end"),
            );
        doc = doc.add(row);
    }
    // Relations with the same marks (ends, rows, days) are moved apart a little, so
    // that each stays visible.
    let mut same: HashMap<(usize, usize, i64, i64), usize> = HashMap::new();
    // One label per row and day: the types of the relations drawn there, joined; and
    // where each row's labels end, in two lanes (above and below the row's line).
    let mut labels: Vec<(usize, f64, Vec<Label>)> = Vec::new();
    for r in &relations {
        let from_row = row_of.get(&r.from).copied().unwrap_or(0);
        let to_row = row_of.get(&r.to).copied().unwrap_or(0);
        let w = r.relation.when;
        let (start, end) = known_ends(&w);
        let anchor = x_of(w.anchor().unwrap_or(lo));
        let key = (
            from_row.min(to_row),
            from_row.max(to_row),
            start.map_or(-1, i64::from),
            end.map_or(-1, i64::from),
        );
        let k = same.entry(key).or_insert(0);
        let shift = *k as f64 * 3.5;
        *k += 1;
        let placed = Placed {
            y_from: y_of(from_row) + shift,
            y_to: y_of(to_row) + shift,
            anchor,
            start: start.map(&x_of),
            end: end.map(|d| x_of(d + 1)),
            cut: (start.is_some_and(|d| d < lo), end.is_some_and(|d| d > hi)),
            anchor_cut: match w.anchor() {
                Some(d) if d > hi => Some(1.0),
                Some(d) if d < lo => Some(-1.0),
                _ => None,
            },
            highlighted: part.highlighted_relations.contains(&r.id),
        };
        let placed = Placed {
            // A single day is drawn at its day, not at the day after.
            end: match (start, end) {
                (Some(a), Some(b)) if a == b => placed.start,
                _ => placed.end,
            },
            ..placed
        };
        doc = doc.add(mark(store, r, &placed));
        let label = (clean(store.type_name(r.relation.rtype)), placed.highlighted);
        match labels
            .iter_mut()
            .find(|(row, x, _)| *row == from_row && (*x - anchor).abs() < 1.0)
        {
            Some((_, _, names)) => match names.iter_mut().find(|(n, _)| *n == label.0) {
                Some(named) => named.1 |= label.1,
                None => names.push(label),
            },
            None => labels.push((from_row, anchor, vec![label])),
        }
    }
    let mut lanes: Vec<[f64; 2]> = vec![[f64::MIN; 2]; rows.len()];
    let mut texts = Group::new().set("class", "labels").set("font-size", 9);
    for (row, x, names) in labels {
        let chars: usize = names.iter().map(|(n, _)| n.chars().count() + 2).sum();
        let width = chars as f64 * 5.0 + 8.0;
        let lane = &mut lanes[row];
        let below = lane[0] > x && lane[1] <= x;
        lane[usize::from(below)] = x + width;
        let y = y_of(row);
        // One text, a span per type, each red when its relation is highlighted.
        let mut text = Text::new("")
            .set("x", x + 6.0)
            .set("y", if below { y + 15.0 } else { y - 8.0 });
        for (i, (name, highlighted)) in names.into_iter().enumerate() {
            let shown = if i == 0 { name } else { format!(", {name}") };
            text = text.add(
                TSpan::new(shown).set("fill", if highlighted { "#d00000" } else { "#1f4e79" }),
            );
        }
        texts = texts.add(text);
    }
    doc = doc.add(texts);
    if options.legend {
        let drawn = Drawn {
            statuses: relations.iter().map(|r| r.relation.status).collect(),
            highlighted: !part.highlighted_relations.is_empty(),
            undated,
        };
        doc = doc.add(legend(chart_bottom + 24.0, left, &drawn));
    }
    let mut text = doc.to_string();
    text.push('\n');
    out.write_all(text.as_bytes())?;
    Ok(relations.len())
}

/// The arrowhead markers of directed relations (one per colour).
fn arrowheads() -> Definitions {
    let mut defs = Definitions::new();
    for (id, colour) in [
        ("arrow", "#1f4e79"),
        ("arrow-red", "#d00000"),
        ("arrow-grey", "#999999"),
    ] {
        defs = defs.add(
            Marker::new()
                .set("id", id)
                .set("viewBox", "0 0 10 10")
                .set("refX", 10)
                .set("refY", 5)
                .set("markerWidth", 7)
                .set("markerHeight", 7)
                .set("orient", "auto")
                .add(
                    Polygon::new()
                        .set("points", "0,0 10,5 0,10")
                        .set("fill", colour),
                ),
        );
    }
    defs
}

/// Where a relation is drawn: its rows' heights (moved a little when another relation
/// has the same marks), its days on the axis, and whether it is highlighted.
struct Placed {
    y_from: f64,
    y_to: f64,
    /// The day it sorts at, and the known ends (`None` for an open one).
    anchor: f64,
    start: Option<f64>,
    end: Option<f64>,
    /// Whether the known span runs past the left or right edge of the axis.
    cut: (bool, bool),
    /// Whether the day it sorts at lies past the left (-1) or right (1) edge.
    anchor_cut: Option<f64>,
    highlighted: bool,
}

/// One relation: its marks on both rows and the line that joins them. A single day is
/// a dot; a known span a bar; an open end a thin tail from the known day with a
/// triangle pointing the open way and a tick at the known day; a span cut by the axis
/// a triangle at the edge it runs past.
fn mark(store: &Store, r: &RelationRef, at: &Placed) -> Group {
    let rel = &r.relation;
    let (colour, dash) = stroke_of(rel.status, at.highlighted);
    let type_name = store.type_name(rel.rtype);
    let symmetric = store.relation_type(rel.rtype).symmetric;
    let name = |e: EntityId| clean(store.name(e));
    let mut tip = format!(
        "{}  {} -[{}]{} {}  ({}",
        rel.when,
        name(r.from),
        clean(type_name),
        if symmetric { "-" } else { "->" },
        name(r.to),
        rel.status.as_str()
    );
    if let Some(c) = rel.claimed_by {
        tip.push_str(&format!("; claimed by {}", name(c)));
    }
    tip.push_str(&format!(")  #{}", r.id.0));
    let mut group = Group::new()
        .set("class", "relation")
        .set("data-relation", r.id.0)
        .set("data-status", rel.status.as_str())
        .add(Title::new(tip));
    // The joining line, with an arrowhead at the object's row for a directed type.
    if (at.y_from - at.y_to).abs() > 1.0 {
        let gap = if at.y_to > at.y_from { -6.0 } else { 6.0 };
        let width = if at.highlighted { 2.5 } else { 1.0 };
        let mut join = line(
            (at.anchor, at.y_from),
            (at.anchor, at.y_to + gap),
            colour,
            width,
            dash,
        )
        .set("stroke-opacity", if at.highlighted { 1.0 } else { 0.55 });
        if !symmetric {
            let marker = match (at.highlighted, rel.status) {
                (true, _) => "url(#arrow-red)",
                (false, Status::Denied) => "url(#arrow-grey)",
                _ => "url(#arrow)",
            };
            join = join.set("marker-end", marker);
        }
        group = group.add(join);
    }
    for y in [at.y_from, at.y_to] {
        match (at.start, at.end) {
            (Some(a), Some(b)) if (b - a).abs() < 0.5 && !at.cut.0 && !at.cut.1 => {
                group = group.add(
                    Circle::new()
                        .set("class", "mark")
                        .set("cx", a)
                        .set("cy", y)
                        .set("r", 4.5)
                        .set("fill", colour)
                        .set("stroke", colour),
                );
            }
            (Some(a), Some(b)) => {
                let mut bar = Rectangle::new()
                    .set("class", "mark")
                    .set("x", a)
                    .set("y", y - 4.5)
                    .set("width", px((b - a).max(3.0)))
                    .set("height", 9)
                    .set("rx", 3)
                    .set("fill", colour)
                    .set("fill-opacity", 0.3)
                    .set("stroke", colour);
                if let Some(d) = dash {
                    bar = bar.set("stroke-dasharray", d);
                }
                group = group.add(bar);
                if at.cut.0 {
                    group = group.add(open_end(a, y, -1.0, colour));
                }
                if at.cut.1 {
                    group = group.add(open_end(b, y, 1.0, colour));
                }
            }
            (known_start, known_end) => {
                // One end open: a tick at the known day and a thin tail the open way.
                // The tick stands at the day it sorts at, as the joining line does.
                let (known, direction) = match (known_start, known_end) {
                    (Some(_), None) => (at.anchor, 1.0),
                    _ => (at.anchor, -1.0),
                };
                let tail = known + TAIL * direction;
                // The known day beyond the axis: a triangle at the edge, not a tick.
                let tick = match at.anchor_cut {
                    Some(side) => Group::new().add(open_end(known, y, side, colour)),
                    None => Group::new().add(line(
                        (known, y - 6.0),
                        (known, y + 6.0),
                        colour,
                        2.0,
                        None,
                    )),
                };
                group = group
                    .add(tick)
                    .add(line((known, y), (tail, y), colour, 2.0, dash).set("class", "mark"))
                    .add(open_end(tail, y, direction, colour));
            }
        }
    }
    group
}

/// A straight line from `a` to `b`, of a colour and width, dashed as `dash` says.
fn line(a: (f64, f64), b: (f64, f64), colour: &str, width: f64, dash: Option<&str>) -> Line {
    let drawn = Line::new()
        .set("x1", a.0)
        .set("y1", a.1)
        .set("x2", b.0)
        .set("y2", b.1)
        .set("stroke", colour)
        .set("stroke-width", width);
    match dash {
        Some(d) => drawn.set("stroke-dasharray", d),
        None => drawn,
    }
}

/// A small triangle at `x` pointing left (`direction` -1) or right (1).
fn open_end(x: f64, y: f64, direction: f64, colour: &str) -> Polygon {
    let tip = x + 7.0 * direction;
    Polygon::new()
        .set(
            "points",
            format!("{x},{} {tip},{y} {x},{}", y - 5.0, y + 5.0),
        )
        .set("fill", colour)
}

/// The legend under the chart: the marks and the line styles, and the undated count.
/// What a drawing holds, for its legend: the statuses of its relations, whether a path
/// is highlighted, how many undated relations were left out.
struct Drawn {
    statuses: Vec<Status>,
    highlighted: bool,
    undated: usize,
}

fn legend(top: f64, left: f64, drawn: &Drawn) -> Group {
    let undated = drawn.undated;
    let mut g = Group::new().set("class", "legend").set("font-size", 10);
    let mut x = left;
    let y = top;
    g = g
        .add(
            Circle::new()
                .set("cx", x + 5.0)
                .set("cy", y)
                .set("r", 4.5)
                .set("fill", "#1f4e79"),
        )
        .add(Text::new("one day").set("x", x + 14.0).set("y", y + 4.0));
    x += 80.0;
    g = g
        .add(
            Rectangle::new()
                .set("x", x)
                .set("y", y - 4.5)
                .set("width", 36)
                .set("height", 9)
                .set("rx", 3)
                .set("fill", "#1f4e79")
                .set("fill-opacity", 0.3)
                .set("stroke", "#1f4e79"),
        )
        .add(
            Text::new("some time in")
                .set("x", x + 42.0)
                .set("y", y + 4.0),
        );
    x += 120.0;
    let known = x + 36.0;
    g = g
        .add(line(
            (known, y - 6.0),
            (known, y + 6.0),
            "#1f4e79",
            2.0,
            None,
        ))
        .add(line((known, y), (known - TAIL, y), "#1f4e79", 2.0, None))
        .add(open_end(known - TAIL, y, -1.0, "#1f4e79"))
        .add(
            Text::new("some time up to (or since) the tick")
                .set("x", known + 8.0)
                .set("y", y + 4.0),
        );
    x += 230.0;
    // The line styles drawn (a style is shown when a relation of one of its statuses is).
    let styles = [
        (
            "reported or confirmed",
            Status::Reported,
            [Status::Reported, Status::Confirmed],
            false,
        ),
        (
            "claimed or unconfirmed",
            Status::Claimed,
            [Status::Claimed, Status::Unconfirmed],
            false,
        ),
        ("denied", Status::Denied, [Status::Denied; 2], false),
        (
            "on the highlighted path",
            Status::Reported,
            [Status::Reported; 2],
            true,
        ),
    ];
    for (label, status, of, highlight) in styles {
        let shown = if highlight {
            drawn.highlighted
        } else {
            drawn.statuses.iter().any(|s| of.contains(s))
        };
        if !shown {
            continue;
        }
        let (colour, dash) = stroke_of(status, highlight);
        g = g
            .add(line((x, y), (x + 30.0, y), colour, 1.5, dash))
            .add(Text::new(label).set("x", x + 36.0).set("y", y + 4.0));
        x += 46.0 + label.len() as f64 * 5.5;
    }
    let note = match undated {
        0 => "Time runs left to right; a line joins a relation's two actors at its date (arrow: to the object).".to_string(),
        n => format!(
            "Time runs left to right; a line joins a relation's two actors at its date (arrow: to the object). {n} undated relation{} (such as roles) not drawn.",
            if n == 1 { "" } else { "s" }
        ),
    };
    g.add(
        Text::new(note)
            .set("x", left)
            .set("y", y + 26.0)
            .set("fill", "#555555"),
    )
}
