//! `kg export`: a part of the graph written as DOT, JSONL, CSV, GraphML or `.kg`,
//! rendered by Graphviz on request, to standard output or atomically to a file.

use std::io::Write;

use kg::Error;
use kg::algo::Work;
use kg::export::{self, Subgraph};
use kg::source;
use kg::storage;
use kg::store::Store;

use super::path::find_paths;
use crate::cli::args::{ExportArgs, ExportFormat, RenderFormat};
use crate::cli::render::Answer;

/// Writes the export to its file (answering nothing) or answers with its bytes.
pub fn run<'s>(store: &'s Store, request: &ExportArgs) -> Result<Answer<'s>, Error> {
    if request.target != ExportFormat::Dot {
        for (given, flag) in [
            (request.size_by.is_some(), "--size-by"),
            (request.colour_by.is_some(), "--colour-by"),
        ] {
            if given {
                return Err(Error::Usage(format!("{flag} draws DOT only")));
            }
        }
    }
    let selection = request.selection.resolve(store)?;
    // Paths and neighbourhoods are searches, which do not walk denied relations unless
    // asked (as `kg path` and `kg neighbors`); the whole selection lists every status.
    let searched = request.selection.resolve_for_search(store)?;
    // The paths between the two names of a `--path` or `--highlight-path`.
    let paths = |pair: &Vec<String>| {
        let (from, to) = (pair[0].as_str(), pair[1].as_str());
        let found = find_paths(
            store,
            (from, to),
            &searched,
            &request.options,
            &Work::default(),
        )?;
        Ok::<_, Error>(found.map(|(paths, _)| paths))
    };
    let mut part = match (&request.around, &request.path) {
        (Some(name), _) => {
            let center = store.resolve(name)?;
            Subgraph::around(store, &searched, center, request.depth as usize)
        }
        (None, Some(pair)) => match paths(pair)? {
            Ok(paths) => Subgraph::of_paths(store, &paths),
            Err(nothing) => return Ok(Answer::nothing_found(nothing)),
        },
        (None, None) => Subgraph::selected(store, &selection),
    };
    // A selection that leaves out relations leaves no entity stranded unless asked.
    if !request.keep_isolated && !selection.is_everything() {
        part = part.without_isolated(store);
    }
    if let Some(pair) = &request.highlight_path {
        match paths(pair)? {
            Ok(paths) => {
                if request.around.is_some() || request.path.is_some() {
                    part.add_paths(store, &paths);
                }
                part.highlight(&paths);
            }
            Err(nothing) => return Ok(Answer::nothing_found(nothing)),
        }
    }
    let mut bytes = Vec::new();
    match request.target {
        ExportFormat::Dot => {
            let sizes = match request.size_by {
                Some(measure) => Some(sizes(store, &searched, request, measure)?),
                None => None,
            };
            if let Some(property) = &request.colour_by
                && !part
                    .entities
                    .iter()
                    .filter_map(|&id| store.entity(id))
                    .any(|e| e.property(property).is_some())
            {
                return Err(Error::Usage(format!(
                    "--colour-by {property}: no entity drawn has that property"
                )));
            }
            let options = export::dot::DotOptions {
                legend: !request.no_legend,
                sizes: sizes.as_ref(),
                colour_by: request.colour_by.as_deref(),
            };
            export::dot::write(store, &part, options, &mut bytes)?
        }
        ExportFormat::Graphml => export::graphml::write(store, &part, &mut bytes)?,
        ExportFormat::Jsonl => {
            export::jsonl::write(store, &part.with_claimants(store), &mut bytes)?
        }
        ExportFormat::Kg => source::kg::write_part(store, &part.with_claimants(store), &mut bytes)?,
        ExportFormat::Csv if request.types_layout => export::csv::types(store, &mut bytes)?,
        ExportFormat::Csv if request.entities => {
            export::csv::entities(store, &part.with_claimants(store), &mut bytes)?
        }
        ExportFormat::Csv => export::csv::relations(store, &part, &mut bytes)?,
        ExportFormat::Timeline => {
            let options = export::timeline::TimelineOptions {
                window: selection.window,
                legend: !request.no_legend,
            };
            if export::timeline::write(store, &part, options, &mut bytes)? == 0 {
                return Ok(Answer::nothing_found("no dated relations to draw"));
            }
        }
    }
    // A picture's file name that asks for another format than the one written.
    if request.render.is_none()
        && matches!(request.target, ExportFormat::Dot | ExportFormat::Timeline)
        && let Some(file) = &request.output
        && let Some(ext) = file.extension().and_then(|e| e.to_str())
    {
        let ext = ext.to_ascii_lowercase();
        let written_svg = request.target == ExportFormat::Timeline;
        if ext == "png" || ext == "pdf" || (ext == "svg" && !written_svg) {
            return Err(Error::Usage(format!(
                "{}: add --render {ext} to draw the picture (without it the file would hold {})",
                file.display(),
                if written_svg {
                    "SVG"
                } else {
                    "the text of the format"
                }
            )));
        }
    }
    match (request.render, request.target) {
        (None, _) | (Some(RenderFormat::Svg), ExportFormat::Timeline) => {}
        (Some(render), ExportFormat::Dot) => bytes = graphviz(&bytes, render)?,
        (Some(render), ExportFormat::Timeline) => bytes = svg_to(&bytes, render)?,
        (Some(_), _) => {
            return Err(Error::Usage(
                "--render draws only dot and timeline: kg export dot --render svg -o FILE"
                    .to_string(),
            ));
        }
    }
    match &request.output {
        // `-o -` is standard output, as for most tools.
        Some(file) if file.as_os_str() != "-" => {
            storage::write_file(file, &bytes)?;
            Ok(Answer::bytes(Vec::new()))
        }
        _ => Ok(Answer::bytes(bytes)),
    }
}

/// The name a render format has for Graphviz and librsvg.
fn format_name(format: RenderFormat) -> &'static str {
    match format {
        RenderFormat::Svg => "svg",
        RenderFormat::Png => "png",
        RenderFormat::Pdf => "pdf",
    }
}

/// Renders DOT with Graphviz's `dot`.
fn graphviz(dot: &[u8], format: RenderFormat) -> Result<Vec<u8>, Error> {
    let install = "--render needs Graphviz's dot, which is not installed: install Graphviz (apt-get install graphviz, brew install graphviz, or https://graphviz.org/download/), or leave out --render to get the DOT text";
    let mut command = std::process::Command::new("dot");
    command.arg(format!("-T{}", format_name(format)));
    run_renderer(command, dot, "Graphviz's dot", install)
}

/// Renders SVG into PNG or PDF with librsvg's `rsvg-convert`.
fn svg_to(svg: &[u8], format: RenderFormat) -> Result<Vec<u8>, Error> {
    let install = "--render png or pdf of a timeline needs librsvg's rsvg-convert, which is not installed: install it (apt-get install librsvg2-bin, brew install librsvg), or leave out --render to get the SVG";
    let mut command = std::process::Command::new("rsvg-convert");
    command.args(["--format", format_name(format)]);
    run_renderer(command, svg, "rsvg-convert", install)
}

/// Runs a renderer on `input` through its standard input and output; `install` is
/// the message when it is not installed.
fn run_renderer(
    mut command: std::process::Command,
    input: &[u8],
    name: &str,
    install: &str,
) -> Result<Vec<u8>, Error> {
    let spawned = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(install.to_string()));
        }
        Err(e) => return Err(Error::Usage(format!("cannot run {name}: {e}"))),
    };
    // Feed it from another thread, so that a large drawing cannot fill both pipes.
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.as_mut().map(|s| s.write_all(&input)));
    let result = child.wait_with_output()?;
    let _ = feeder.join();
    if !result.status.success() {
        let message = String::from_utf8_lossy(&result.stderr);
        return Err(Error::Usage(format!(
            "{name} failed: {}",
            message.lines().next().unwrap_or("no message")
        )));
    }
    Ok(result.stdout)
}

/// The scores `--size-by` sizes the nodes by: the measure over the whole selected graph
/// (not only the part drawn), as `kg rank` measures it.
fn sizes(
    store: &Store,
    selection: &kg::select::Selection,
    request: &ExportArgs,
    measure: crate::cli::args::Measure,
) -> Result<export::dot::NodeSizes, Error> {
    use kg::algo::measure::{self, Graph, Settings};
    let directed = request.options.directed || measure.is_directional();
    let graph = Graph::new(store, selection, directed, request.keep_isolated);
    let scores = measure::score(&graph, measure, &Settings::default(), measure::NEVER)
        .map_err(|e| Error::Usage(format!("--size-by: {e}")))?;
    Ok(export::dot::NodeSizes {
        measure: measure.name().to_string(),
        scores: graph.entities.iter().copied().zip(scores).collect(),
    })
}
