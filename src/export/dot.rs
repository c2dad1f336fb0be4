//! Graphviz DOT, written with dot-writer: a link chart of the part.
//!
//! Nodes get synthetic ids (`n12`, from the entity id), are labelled with the name
//! exactly (the title, where known, as an outside label `xlabel` and in the tooltip)
//! and styled by kind. Edges are labelled with type and date; symmetric relations have
//! no arrowheads; claimed or unconfirmed relations are dashed, denied ones dotted and
//! grey; highlighted entities and relations are bold and red. Labels are escaped for
//! Graphviz's quoted strings and escString (`\` as `\\`, `"` as `\"`, line breaks as
//! `\n` and `\r`), so any name parses and renders as itself; output is in id order, so the same
//! graph gives the same bytes.

use std::io::{self, Write};

use dot_writer::{Attributes, DotWriter};

use crate::model::{Kind, Status};
use crate::store::Store;
use crate::subgraph::Subgraph;

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
pub fn write(store: &Store, part: &Subgraph, out: &mut impl Write) -> io::Result<()> {
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
        for &id in &part.entities {
            let Some(entity) = store.entity(id) else {
                continue;
            };
            let (shape, fill) = style_of(store, &entity.kind);
            let mut node = graph.node_named(format!("n{}", id.0));
            node.set("label", &escape(&entity.name), true)
                .set("shape", shape, false)
                .set("fillcolor", fill, true);
            let mut tooltip = format!("{} ({})", entity.name, entity.kind);
            if let Some(title) = entity.property("title") {
                node.set("xlabel", &escape(title), true);
                tooltip.push_str(": ");
                tooltip.push_str(title);
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
            match rel.status {
                Status::Claimed | Status::Unconfirmed => {
                    attributes.set("style", "dashed", false);
                }
                Status::Denied => {
                    attributes
                        .set("style", "dotted", false)
                        .set("color", "grey50", false);
                }
                Status::Reported | Status::Confirmed => {}
            }
            if part.highlighted_relations.contains(&rid) {
                attributes
                    .set("color", "red", false)
                    .set("fontcolor", "red", false)
                    .set("penwidth", "3", false);
            }
        }
    }
    out.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_graphviz_reads_specially() {
        assert_eq!(escape(r#"a "b" \N"#), r#"a \"b\" \\N"#);
        assert_eq!(escape("two\nlines\r\nthree"), "two\\nlines\\r\\nthree");
        assert_eq!(escape("tail\\"), "tail\\\\");
    }
}
