//! Graphviz DOT, written with dot-writer: a link chart of the part.
//!
//! Nodes get synthetic ids (`n12`, from the entity id), are labelled with the name
//! exactly, the title (where known) as a second, smaller line inside the same node, and
//! styled by kind. Edges are labelled with type and date; symmetric relations have no
//! arrowheads; claimed or unconfirmed relations are dashed, denied ones dotted and
//! grey; highlighted entities and relations are bold and red. A legend (a cluster of
//! its own) shows the shapes of the kinds drawn and the line styles of the statuses
//! drawn, unless asked not to. Plain labels are escaped for Graphviz's quoted strings
//! and escString (`\` as `\\`, `"` as `\"`, line breaks as `\n` and `\r`), labels with a
//! title are HTML-like labels with `&`, `<`, `>` and `"` escaped as entities, so any
//! name parses and renders as itself; output is in id order, so the same graph gives
//! the same bytes. On request, nodes are sized by a measure's scores (`--size-by`) and
//! filled by a property's values (`--colour-by`), each shown in the legend.

use std::io::{self, Write};

use dot_writer::{Attributes, DotWriter};

use std::collections::HashMap;

use crate::model::{EntityId, Kind, Status};
use crate::store::Store;
use crate::subgraph::Subgraph;

/// How a drawing is made besides its part.
#[derive(Debug, Clone, Copy)]
pub struct DotOptions<'a> {
    /// Draw the legend of kinds and line styles.
    pub legend: bool,
    /// Size the nodes by these scores (largest drawn largest).
    pub sizes: Option<&'a NodeSizes>,
    /// Fill the nodes by their value of this property (a community, say) instead of
    /// their kind's colour.
    pub colour_by: Option<&'a str>,
}

impl Default for DotOptions<'_> {
    fn default() -> Self {
        DotOptions {
            legend: true,
            sizes: None,
            colour_by: None,
        }
    }
}

/// Scores to size nodes by: the measure's name and each entity's score.
#[derive(Debug, Clone, Default)]
pub struct NodeSizes {
    pub measure: String,
    pub scores: HashMap<EntityId, f64>,
}

/// The fills of `--colour-by`'s values, in the order of the values (ColorBrewer's
/// Set3, twelve colours a reader can tell apart); more values reuse them.
const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];

/// The distinct values of `property` among the part's entities, numbers in numeric
/// order, then the rest as text, each with its fill.
fn colours(store: &Store, part: &Subgraph, property: &str) -> Vec<(String, &'static str)> {
    let mut values: Vec<String> = part
        .entities
        .iter()
        .filter_map(|&id| store.entity(id))
        .filter_map(|e| e.property(property).map(str::to_string))
        .collect();
    values.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    });
    values.dedup();
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| (v, PALETTE[i % PALETTE.len()]))
        .collect()
}

/// A label or attribute value escaped for a DOT quoted string. (dot-writer adds the
/// quotes but escapes nothing.)
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Text escaped for an HTML-like label: `&`, `<`, `>`, `"` as entities, a line break as
/// `<BR/>`.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<BR/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A line style of the drawing: DOT's `style` and `color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Line {
    style: &'static str,
    colour: Option<&'static str>,
}

/// The line style of a status, `None` for solid black.
fn line_of(status: Status) -> Option<Line> {
    match status {
        Status::Claimed | Status::Unconfirmed => Some(Line {
            style: "dashed",
            colour: None,
        }),
        Status::Denied => Some(Line {
            style: "dotted",
            colour: Some("grey50"),
        }),
        Status::Reported | Status::Confirmed => None,
    }
}

/// Sets a line style on an edge's attributes.
fn set_line(attributes: &mut dot_writer::AttributesList, line: Line) {
    attributes.set("style", line.style, false);
    if let Some(colour) = line.colour {
        attributes.set("color", colour, false);
    }
}

/// Shape and fill colour of a kind: the built-in kinds' own, a declared kind's as
/// declared, and a plain box otherwise.
fn style_of<'s>(store: &'s Store, kind: &Kind) -> (&'s str, &'s str) {
    match kind {
        Kind::Person => ("ellipse", "#cfe2f3"),
        Kind::Organization => ("box", "#fff2cc"),
        Kind::Country => ("hexagon", "#d9ead3"),
        Kind::Place => ("house", "#eeeeee"),
        Kind::Media => ("note", "#ead1dc"),
        Kind::Event => ("diamond", "#fce5cd"),
        Kind::Other => ("ellipse", "#ffffff"),
        Kind::Custom(name) => {
            let decl = store.kind_decl(name);
            (
                decl.and_then(|d| d.shape.as_deref()).unwrap_or("box"),
                decl.and_then(|d| d.colour.as_deref()).unwrap_or("#f3f3f3"),
            )
        }
    }
}

/// Writes the part as a DOT digraph.
pub fn write(
    store: &Store,
    part: &Subgraph,
    options: DotOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    // dot-writer writes into memory and panics on write errors, so it gets a buffer.
    let mut bytes = Vec::new();
    {
        let mut writer = DotWriter::from(&mut bytes);
        writer.set_pretty_print(true);
        let mut graph = writer.digraph();
        graph
            .graph_attributes()
            .set("fontname", "Helvetica", true)
            .set("overlap", "false", false);
        graph
            .node_attributes()
            .set("fontname", "Helvetica", true)
            .set("style", "filled", true);
        graph
            .edge_attributes()
            .set("fontname", "Helvetica", true)
            .set("fontsize", "10", false);
        let fills = options
            .colour_by
            .map(|p| colours(store, part, p))
            .unwrap_or_default();
        // Sizes are relative to the largest score drawn.
        let largest = options.sizes.map_or(0.0, |sizes| {
            part.entities
                .iter()
                .filter_map(|id| sizes.scores.get(id))
                .fold(0.0f64, |a, &b| a.max(b))
        });
        for &id in &part.entities {
            let Some(entity) = store.entity(id) else {
                continue;
            };
            let (shape, mut fill) = style_of(store, &entity.kind);
            if let Some(property) = options.colour_by {
                let value = entity.property(property);
                fill = fills
                    .iter()
                    .find(|(v, _)| Some(v.as_str()) == value)
                    .map_or("#ffffff", |(_, f)| f);
            }
            let mut node = graph.node_named(format!("n{}", id.0));
            let mut tooltip = format!("{} ({})", entity.name, entity.kind);
            match entity.property("title") {
                // The title as a second, smaller line of the node's own label.
                Some(title) => {
                    let label = format!(
                        "<{}<BR/><FONT POINT-SIZE=\"9\">{}</FONT>>",
                        escape_html(&entity.name),
                        escape_html(title)
                    );
                    node.set("label", &label, false);
                    tooltip.push_str(": ");
                    tooltip.push_str(title);
                }
                None => {
                    node.set("label", &escape(&entity.name), true);
                }
            }
            node.set("shape", shape, false).set("fillcolor", fill, true);
            if let Some(sizes) = options.sizes {
                let score = sizes.scores.get(&id).copied();
                let t = match score {
                    Some(x) if largest > 0.0 => (x / largest).clamp(0.0, 1.0),
                    _ => 0.0,
                };
                node.set("width", &format!("{:.2}", 0.75 + 1.75 * t), false)
                    .set("height", &format!("{:.2}", 0.5 + 0.9 * t), false)
                    .set("fontsize", &format!("{:.1}", 12.0 + 14.0 * t), false);
                tooltip.push_str(&match score {
                    Some(x) => format!("\n{} {x:.6}", sizes.measure),
                    None => format!("\n{}: not measured", sizes.measure),
                });
            }
            node.set("tooltip", &escape(&tooltip), true);
            if part.highlighted_entities.contains(&id) {
                node.set("color", "red", false).set("penwidth", "3", false);
            }
        }
        for &rid in &part.relations {
            let Some(r) = store.relation(rid) else {
                continue;
            };
            let rel = r.relation;
            let mut label = store.type_name(rel.rtype).to_string();
            if !rel.when.is_undated() {
                label.push(' ');
                label.push_str(&rel.when.to_string());
            }
            let edge = graph.edge(format!("n{}", r.from.0), format!("n{}", r.to.0));
            let mut attributes = edge.attributes();
            attributes.set("label", &escape(&label), true);
            if store.relation_type(rel.rtype).symmetric {
                attributes.set("dir", "none", false);
            }
            let highlighted = part.highlighted_relations.contains(&rid);
            if let Some(line) = line_of(rel.status) {
                // A highlighted relation is red, whatever its status's colour.
                let colour = if highlighted { None } else { line.colour };
                set_line(&mut attributes, Line { colour, ..line });
            }
            if highlighted {
                attributes
                    .set("color", "red", false)
                    .set("fontcolor", "red", false)
                    .set("penwidth", "3", false);
            }
        }
        if options.legend && !part.entities.is_empty() {
            let mut notes = Vec::new();
            if let Some(sizes) = options.sizes {
                notes.push((format!("size: {}", sizes.measure), "#ffffff"));
            }
            if let Some(property) = options.colour_by {
                for (value, fill) in fills.iter().take(PALETTE.len()) {
                    notes.push((format!("{property} {value}"), *fill));
                }
                if fills.len() > PALETTE.len() {
                    notes.push((
                        format!(
                            "{} more values, colours repeat",
                            fills.len() - PALETTE.len()
                        ),
                        "#ffffff",
                    ));
                }
            }
            let kinds_filled = options.colour_by.is_none();
            legend(store, part, &notes, kinds_filled, &mut graph);
        }
    }
    out.write_all(&bytes)
}

/// The legend: a cluster with one node per kind drawn (in its shape and colour) and one
/// short edge per line style drawn (solid, dashed, dotted, highlighted), each labelled.
/// `notes` are further rows: a label and a fill (the size measure, the colours); the
/// kinds are drawn in their fills unless the fills say something else (`kinds_filled`).
fn legend(
    store: &Store,
    part: &Subgraph,
    notes: &[(String, &str)],
    kinds_filled: bool,
    graph: &mut dot_writer::Scope,
) {
    let mut kinds: Vec<Kind> = Vec::new();
    for entity in part.entities.iter().filter_map(|&id| store.entity(id)) {
        if !kinds.contains(&entity.kind) {
            kinds.push(entity.kind.clone());
        }
    }
    kinds.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    let mut lines: Vec<(&str, Option<Line>)> = Vec::new();
    for status in Status::ALL.iter() {
        let drawn = part
            .relations
            .iter()
            .filter_map(|&r| store.relation(r))
            .any(|r| r.relation.status == *status);
        if !drawn {
            continue;
        }
        let line = line_of(*status);
        let name = match status {
            Status::Reported | Status::Confirmed => "reported or confirmed",
            Status::Claimed | Status::Unconfirmed => "claimed or unconfirmed",
            Status::Denied => "denied",
        };
        if !lines.iter().any(|(n, _)| *n == name) {
            lines.push((name, line));
        }
    }
    let mut cluster = graph.cluster();
    cluster
        .graph_attributes()
        .set("label", "Legend", true)
        .set("fontsize", "10", false)
        .set("style", "rounded", false)
        .set("color", "grey70", false);
    cluster
        .node_attributes()
        .set("fontsize", "9", false)
        .set("height", "0.3", false);
    for (i, kind) in kinds.iter().enumerate() {
        let (shape, fill) = style_of(store, kind);
        let fill = if kinds_filled { fill } else { "#ffffff" };
        cluster
            .node_named(format!("legend_kind{i}"))
            .set("label", &escape(kind.as_str()), true)
            .set("shape", shape, false)
            .set("fillcolor", fill, true);
    }
    for (i, (label, fill)) in notes.iter().enumerate() {
        cluster
            .node_named(format!("legend_note{i}"))
            .set("label", &escape(label), true)
            .set("shape", "box", false)
            .set("style", "filled,rounded", true)
            .set("fillcolor", fill, true);
    }
    let mut styles: Vec<(&str, Option<Line>, bool)> =
        lines.into_iter().map(|(n, l)| (n, l, false)).collect();
    if !part.highlighted_relations.is_empty() {
        styles.push(("on the highlighted path", None, true));
    }
    let rows = kinds.len() + notes.len() + styles.len();
    for (i, (name, line, highlighted)) in styles.into_iter().enumerate() {
        // Each sample line is drawn across, between two points on one rank.
        let mut row = cluster.subgraph();
        row.graph_attributes().set("rank", "same", false);
        for end in ["a", "b"] {
            row.node_named(format!("legend_line{i}{end}"))
                .set("shape", "point", false)
                .set("width", "0.05", false)
                .set("label", "", true);
        }
        let edge = row.edge(format!("legend_line{i}a"), format!("legend_line{i}b"));
        let mut attributes = edge.attributes();
        attributes
            .set("label", &escape(name), true)
            .set("dir", "none", false);
        if let Some(line) = line {
            set_line(&mut attributes, line);
        }
        if highlighted {
            attributes
                .set("color", "red", false)
                .set("fontcolor", "red", false)
                .set("penwidth", "3", false);
        }
    }
    // The rows stacked top to bottom by invisible edges, so that the legend is a narrow
    // column beside the drawing rather than a wide band.
    let row_id = |r: usize| {
        if r < kinds.len() {
            format!("legend_kind{r}")
        } else if r < kinds.len() + notes.len() {
            format!("legend_note{}", r - kinds.len())
        } else {
            format!("legend_line{}a", r - kinds.len() - notes.len())
        }
    };
    for r in 1..rows {
        cluster
            .edge(row_id(r - 1), row_id(r))
            .attributes()
            .set("style", "invis", false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_like_labels_read_specially() {
        assert_eq!(
            escape_html("<b> & \"c\"\nd"),
            "&lt;b&gt; &amp; &quot;c&quot;<BR/>d"
        );
    }

    #[test]
    fn escapes_what_graphviz_reads_specially() {
        assert_eq!(escape(r#"a "b" \N"#), r#"a \"b\" \\N"#);
        assert_eq!(escape("two\nlines\r\nthree"), "two\\nlines\\r\\nthree");
        assert_eq!(escape("tail\\"), "tail\\\\");
    }
}
