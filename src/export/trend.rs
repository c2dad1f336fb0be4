//! A measure over time as an SVG line chart: one line per actor across the windows of
//! `kg rank --every`, its name at the line's end, the windows along the bottom. Text is
//! escaped by the svg crate.

use std::io::{self, Write};

use svg::Document;
use svg::node::element::{Circle, Line, Polyline, Text, Title};

/// Colours for the lines, in turn.
const COLOURS: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

/// Writes the chart: `windows` label the x axis; each series is a name and its score in
/// each window (`None` where it is not in the graph).
pub fn write(
    title: &str,
    windows: &[String],
    series: &[(String, Vec<Option<f64>>)],
    out: &mut impl Write,
) -> io::Result<()> {
    let (left, top, width, height) = (60.0, 40.0, 720.0, 360.0);
    let right_margin = 200.0;
    let most = series
        .iter()
        .flat_map(|(_, s)| s.iter().flatten())
        .fold(0.0f64, |a, &b| a.max(b));
    let most = if most > 0.0 { most } else { 1.0 };
    let step = if windows.len() > 1 {
        width / (windows.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| top + height - v / most * height;
    let mut doc = Document::new()
        .set(
            "viewBox",
            (0, 0, left + width + right_margin, top + height + 60.0),
        )
        .set("font-family", "Helvetica, Arial, sans-serif")
        .set("font-size", 11)
        .add(
            Text::new(title)
                .set("x", left)
                .set("y", 20)
                .set("font-size", 14),
        );
    // Axes, the score scale and the windows.
    doc = doc
        .add(
            Line::new()
                .set("x1", left)
                .set("y1", top + height)
                .set("x2", left + width)
                .set("y2", top + height)
                .set("stroke", "#444"),
        )
        .add(
            Line::new()
                .set("x1", left)
                .set("y1", top)
                .set("x2", left)
                .set("y2", top + height)
                .set("stroke", "#444"),
        );
    for k in 0..=4 {
        let v = most * f64::from(k) / 4.0;
        doc = doc.add(
            Text::new(format!("{v:.3}"))
                .set("x", left - 6.0)
                .set("y", y(v) + 4.0)
                .set("text-anchor", "end"),
        );
    }
    let every = (windows.len() / 12).max(1);
    for (i, w) in windows.iter().enumerate() {
        if i % every == 0 {
            doc = doc.add(
                Text::new(w.as_str())
                    .set("x", x(i))
                    .set("y", top + height + 18.0)
                    .set("text-anchor", "middle"),
            );
        }
    }
    for (n, (name, scores)) in series.iter().enumerate() {
        let colour = COLOURS[n % COLOURS.len()];
        let points: Vec<String> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{:.2},{:.2}", x(i), y(s.unwrap_or(0.0))))
            .collect();
        doc = doc.add(
            Polyline::new()
                .set("points", points.join(" "))
                .set("fill", "none")
                .set("stroke", colour)
                .set("stroke-width", 2)
                .add(Title::new(name.as_str())),
        );
        for (i, s) in scores.iter().enumerate() {
            if let Some(v) = s {
                doc = doc.add(
                    Circle::new()
                        .set("cx", x(i))
                        .set("cy", y(*v))
                        .set("r", 2.5)
                        .set("fill", colour)
                        .add(Title::new(format!("{name}, {}: {v:.6}", windows[i]))),
                );
            }
        }
        let last = scores.last().copied().flatten().unwrap_or(0.0);
        doc = doc.add(
            Text::new(name.as_str())
                .set("x", x(windows.len().saturating_sub(1)) + 8.0)
                .set("y", y(last) + 4.0)
                .set("fill", colour),
        );
    }
    svg::write(out, &doc)
}
