//! `kg ingest`: candidate relations from articles; with `--timeml`, the date resolver
//! measured on annotated TimeML documents.

use std::path::{Path, PathBuf};

use kg::Error;
use kg::ingest::Reader;
use kg::ingest::article::{self, Article};
use kg::ingest::candidates::{self, Read};
use kg::ingest::evaluate::{self, Evaluation};
use kg::ingest::extract::Method;
use kg::ingest::lexicon::Lexicon;
use kg::ingest::timeml::{self, Counts};
use kg::store::Store;
use serde_json::{Value, json};

use super::super::args::IngestArgs;
use super::super::render::{Answer, Block, Report, Sheet};
use super::super::session::Session;
use super::super::terminal::ProgressBar;
use crate::cli::describe::plural;

/// Runs `kg ingest`.
pub fn run(session: &mut Session, args: &IngestArgs) -> Result<Answer<'static>, Error> {
    if args.timeml {
        return timeml(&args.files);
    }
    let files = files_in(&args.files, "txt")?;
    if files.is_empty() {
        return Err(Error::Usage(
            "no articles (.txt) in the folders given".to_string(),
        ));
    }
    let published = match &args.date {
        Some(text) => Some(article::parse_date(text).ok_or_else(|| {
            Error::Usage(format!(
                "--date {text:?}: expected a publication date YYYY-MM-DD"
            ))
        })?),
        None => None,
    };
    let mut lexicon = Lexicon::default_lexicon();
    let beside = session.db().map(|db| {
        let mut name = db.as_os_str().to_owned();
        name.push(".lexicon");
        PathBuf::from(name)
    });
    for path in beside.iter().filter(|p| p.exists()).chain(&args.lexicon) {
        let text = read_text(path)?;
        lexicon.add(&text).map_err(|e| match e.line {
            0 => Error::Usage(format!("{}: {}", path.display(), e.reason)),
            n => Error::Usage(format!("{}:{n}: {}", path.display(), e.reason)),
        })?;
    }
    let gold = match &args.evaluate {
        Some(path) => Some(gold_store(path)?),
        None => None,
    };
    // A database that does not exist yet has no names: ingest never creates it.
    let empty = Store::new();
    let bundled = session.db().is_none();
    let store: &Store = match session.db() {
        Some(db) if !db.exists() => &empty,
        _ => session.read()?,
    };
    let method = if args.baseline {
        Method::Baseline
    } else {
        Method::Rules
    };
    let mut reader = Reader::new(store, &lexicon);
    let mut reads = Vec::new();
    let mut bar = (files.len() > 1).then(|| ProgressBar::items("reading articles"));
    for (n, file) in files.iter().enumerate() {
        if reads
            .iter()
            .any(|r: &Read| r.name == file.display().to_string())
        {
            continue;
        }
        let bytes = std::fs::read(file).map_err(|e| {
            Error::Usage(format!("{}: {}", file.display(), kg::source::io_words(&e)))
        })?;
        let article = Article::read(&bytes).map_err(|e| match e.line {
            0 => Error::Usage(format!("{}: {}", file.display(), e.reason)),
            line => Error::Usage(format!("{}:{line}: {}", file.display(), e.reason)),
        })?;
        let date = published.or(article.published).ok_or_else(|| {
            Error::Usage(format!(
                "{}: no publication date: give --date YYYY-MM-DD or begin the article with `# published: YYYY-MM-DD`",
                file.display()
            ))
        })?;
        let source = args
            .source
            .clone()
            .or_else(|| article.source.clone())
            .or_else(|| Some(format!("\u{201c}{}\u{201d}, {date}", article.headline())));
        let candidates = reader.read(&article, date, method);
        reads.push(Read {
            name: file.display().to_string(),
            published: date,
            source,
            candidates,
            stored: Vec::new(),
        });
        if let Some(bar) = bar.as_mut() {
            bar.show(n as u64 + 1, files.len() as u64);
        }
    }
    if let Some(bar) = bar {
        bar.finish();
    }
    let actors = reader.into_actors();
    for read in &mut reads {
        read.stored = candidates::already_stored(store, &actors, &read.candidates);
    }
    if let Some(gold) = gold {
        let all = reads.iter().flat_map(|r| &r.candidates);
        let scores = evaluate::evaluate(&actors, all, &gold);
        return Ok(Answer::report(Scores { scores }));
    }
    if args.review {
        if bundled {
            return Err(Error::Usage(
                "--review imports what you accept: give --db FILE".to_string(),
            ));
        }
        // The lock is taken here, not held by the shell: in a shell script the
        // answers are the script's next lines. On a terminal a wrong answer is asked
        // again; in a script it is an error, before anything is written.
        use std::io::IsTerminal;
        let mut lines_read = 0;
        let decided = decide(
            Review {
                reads: &reads,
                actors: &actors,
                store,
                lexicon: &lexicon,
                interactive: std::io::stdin().is_terminal(),
            },
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
            &mut lines_read,
        );
        session.read_answer_lines(lines_read);
        let decided = decided?;
        if decided.accepted == 0 {
            return Ok(Answer::report(Reviewed {
                decided,
                summary: None,
            }));
        }
        let batch =
            kg::source::kg::parse(&std::sync::Arc::from("accepted candidates"), &decided.text)?;
        let summary = session.write(|store| {
            Ok(kg::import::apply(
                store,
                batch,
                kg::import::Duplicates::Skip,
            )?)
        })?;
        return Ok(Answer::report(Reviewed {
            decided,
            summary: Some(summary),
        }));
    }
    let kg_text = candidates::to_kg(&reads, &actors, store, &lexicon, bundled);
    let rows = reads
        .iter()
        .flat_map(|r| {
            let actors = &actors;
            r.candidates
                .iter()
                .zip(&r.stored)
                .map(move |(c, stored)| CandidateRow {
                    article: r.name.clone(),
                    from: actors[c.from].name.clone(),
                    from_kind: actors[c.from].kind.as_str().to_string(),
                    type_name: c.type_name.clone(),
                    to: actors[c.to].name.clone(),
                    to_kind: actors[c.to].kind.as_str().to_string(),
                    date: candidates::date_text(&c.when),
                    date_text: c.date_text.clone(),
                    status: c.status.to_string(),
                    claimed_by: c.claimed_by.map(|a| actors[a].name.clone()),
                    confidence: c.confidence,
                    source: r.source.clone(),
                    quote: c.quote.clone(),
                    evidence: c.evidence.clone(),
                    stored: stored.map(|id| id.0),
                })
        })
        .collect();
    Ok(Answer::report(Candidates { kg_text, rows }))
}

/// What the analyst decided in `--review`: the .kg text of what they accepted, and
/// how many candidates went each way.
struct Decided {
    text: String,
    shown: usize,
    accepted: usize,
    edited: usize,
}

/// What a review shows: the articles read, their actors, and what the answers are
/// checked against; `interactive` when the answers are typed at a terminal.
struct Review<'r> {
    reads: &'r [Read],
    actors: &'r [kg::ingest::actors::Actor],
    store: &'r Store,
    lexicon: &'r Lexicon,
    interactive: bool,
}

/// Shows each candidate not already stored (its evidence and its .kg line) on
/// `prompt` and reads a decision per candidate from `input`; returns the .kg text of
/// the accepted and edited ones with the declarations they need.
fn decide(
    review: Review,
    input: &mut dyn std::io::BufRead,
    prompt: &mut dyn std::io::Write,
    lines_read: &mut usize,
) -> Result<Decided, Error> {
    let Review {
        reads,
        actors,
        store,
        lexicon,
        interactive,
    } = review;
    let total: usize = reads
        .iter()
        .map(|r| r.stored.iter().filter(|s| s.is_none()).count())
        .sum();
    let mut kept: Vec<Read> = Vec::new();
    let mut edits: Vec<candidates::Edit> = Vec::new();
    let mut shown = 0;
    let mut rest: Option<bool> = None;
    let mut ask =
        |question: &str, input: &mut dyn std::io::BufRead| -> Result<Option<String>, Error> {
            write!(prompt, "{question}")?;
            prompt.flush()?;
            let mut answer = String::new();
            match input.read_line(&mut answer)? {
                0 => Ok(None),
                _ => {
                    *lines_read += 1;
                    Ok(Some(answer.trim().to_string()))
                }
            }
        };
    for read in reads {
        let mut keep = Vec::new();
        for (c, stored) in read.candidates.iter().zip(&read.stored) {
            if stored.is_some() {
                continue;
            }
            shown += 1;
            let line = candidates::relation_line(actors, c, read.source.as_deref(), store, lexicon);
            let mut question = format!(
                "\n{shown}/{total} confidence {:.2}: {}\n  {line}\n[a]ccept, [r]eject, [e]dit, accept [A]ll the rest, [q]uit (reject the rest)? ",
                c.confidence, c.evidence
            );
            let decision = match rest {
                Some(true) => 'a',
                Some(false) => 'r',
                None => loop {
                    match ask(&question, input)?.as_deref() {
                        None | Some("q") => {
                            rest = Some(false);
                            break 'r';
                        }
                        Some("A") => {
                            rest = Some(true);
                            break 'a';
                        }
                        Some("a") => break 'a',
                        Some("r") => break 'r',
                        Some("e") => break 'e',
                        Some(other) if !interactive => {
                            return Err(Error::Usage(format!(
                                "--review: {other:?} is no answer (a, r, e, A or q); nothing was written"
                            )));
                        }
                        Some(_) => {
                            question = "  answer a, r, e, A or q: ".to_string();
                        }
                    }
                },
            };
            match decision {
                'a' => keep.push(c.clone()),
                'e' => {
                    // Asked again until the line reads right; an empty answer (or the
                    // end of input) keeps the candidate as it was.
                    let mut question = "  the line as it should be (empty keeps it): ".to_string();
                    loop {
                        let Some(replacement) = ask(&question, input)? else {
                            // The end of input rejects this candidate and the rest.
                            rest = Some(false);
                            break;
                        };
                        if replacement.is_empty() {
                            keep.push(c.clone());
                            break;
                        }
                        let evidence = (read.source.as_deref(), c.quote.as_str());
                        match candidates::check_edit(&replacement, evidence, actors, store, lexicon)
                        {
                            Ok(edit) => {
                                edits.push(edit);
                                break;
                            }
                            Err(why) if !interactive => {
                                return Err(Error::Usage(format!(
                                    "--review: {why}; nothing was written"
                                )));
                            }
                            Err(why) => {
                                question = format!(
                                    "  {why}\n  the line as it should be (empty keeps it): "
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        kept.push(Read {
            name: read.name.clone(),
            published: read.published,
            source: read.source.clone(),
            stored: vec![None; keep.len()],
            candidates: keep,
        });
    }
    let accepted: usize = kept.iter().map(|r| r.candidates.len()).sum();
    let text = candidates::with_edits(&kept, actors, store, lexicon, false, &edits);
    Ok(Decided {
        text,
        shown,
        accepted: accepted + edits.len(),
        edited: edits.len(),
    })
}

/// What `--review` imported.
struct Reviewed {
    decided: Decided,
    /// What the import of the accepted ones did; none when nothing was accepted.
    summary: Option<kg::import::ImportSummary>,
}

impl Reviewed {
    /// (entities, relations) added.
    fn added(&self) -> (usize, usize) {
        self.summary
            .as_ref()
            .map_or((0, 0), |s| (s.entities_added, s.relations_added))
    }
}

impl Report for Reviewed {
    fn json(&self) -> Value {
        json!({
            "shown": self.decided.shown,
            "accepted": self.decided.accepted,
            "edited": self.decided.edited,
            "entities_added": self.added().0,
            "relations_added": self.added().1,
        })
    }

    fn csv(&self) -> Sheet {
        Sheet::new(
            &[
                "shown",
                "accepted",
                "edited",
                "entities_added",
                "relations_added",
            ],
            vec![vec![
                self.decided.shown.to_string(),
                self.decided.accepted.to_string(),
                self.decided.edited.to_string(),
                self.added().0.to_string(),
                self.added().1.to_string(),
            ]],
        )
    }

    fn text(&self) -> Vec<Block> {
        let (entities, relations) = self.added();
        let line = match &self.summary {
            None => format!(
                "accepted none of {}: nothing was written",
                plural(self.decided.shown, "candidate", "candidates")
            ),
            Some(_) => format!(
                "accepted {} of {} ({} edited): added {} and {} (kg undo takes them back)",
                self.decided.accepted,
                plural(self.decided.shown, "candidate", "candidates"),
                self.decided.edited,
                plural(entities, "entity", "entities"),
                plural(relations, "relation", "relations")
            ),
        };
        vec![Block::Line(line)]
    }
}

/// The gold graph of `--evaluate`: a .kg file read into a store of its own.
fn gold_store(path: &Path) -> Result<Store, Error> {
    let text = read_text(path)?;
    let batch = kg::source::kg::parse(&std::sync::Arc::from(path.display().to_string()), &text)?;
    let mut store = Store::new();
    kg::import::apply(&mut store, batch, kg::import::Duplicates::Keep)?;
    Ok(store)
}

struct CandidateRow {
    article: String,
    from: String,
    from_kind: String,
    type_name: String,
    to: String,
    to_kind: String,
    date: String,
    date_text: Option<String>,
    status: String,
    claimed_by: Option<String>,
    confidence: f64,
    source: Option<String>,
    quote: String,
    evidence: String,
    stored: Option<u32>,
}

/// The candidates: as a .kg file for people, one record each for programs.
struct Candidates {
    kg_text: String,
    rows: Vec<CandidateRow>,
}

impl Report for Candidates {
    fn json(&self) -> Value {
        let list: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "article": r.article,
                    "from": r.from,
                    "from_kind": r.from_kind,
                    "type": r.type_name,
                    "to": r.to,
                    "to_kind": r.to_kind,
                    "date": r.date,
                    "date_expression": r.date_text,
                    "status": r.status,
                    "claimed_by": r.claimed_by,
                    "confidence": round(r.confidence),
                    "source": r.source,
                    "quote": r.quote,
                    "evidence": r.evidence,
                    "already_stored": r.stored,
                })
            })
            .collect();
        json!({ "candidates": list })
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.article.clone(),
                    r.from.clone(),
                    r.from_kind.clone(),
                    r.type_name.clone(),
                    r.to.clone(),
                    r.to_kind.clone(),
                    r.date.clone(),
                    r.date_text.clone().unwrap_or_default(),
                    r.status.clone(),
                    r.claimed_by.clone().unwrap_or_default(),
                    format!("{:.2}", r.confidence),
                    r.source.clone().unwrap_or_default(),
                    r.quote.clone(),
                    r.evidence.clone(),
                    r.stored.map(|id| format!("#{id}")).unwrap_or_default(),
                ]
            })
            .collect();
        Sheet::new(
            &[
                "article",
                "from",
                "from_kind",
                "type",
                "to",
                "to_kind",
                "date",
                "date_expression",
                "status",
                "claimed_by",
                "confidence",
                "source",
                "quote",
                "evidence",
                "already_stored",
            ],
            rows,
        )
    }

    fn text(&self) -> Vec<Block> {
        self.kg_text
            .lines()
            .map(|l| Block::Line(l.to_string()))
            .collect()
    }
}

/// Candidates scored against a gold file.
struct Scores {
    scores: Evaluation,
}

impl Report for Scores {
    fn json(&self) -> Value {
        let s = &self.scores;
        json!({
            "gold": s.gold,
            "proposed": s.proposed,
            "matched": s.matched,
            "precision": round(s.precision()),
            "recall": round(s.recall()),
            "f1": round(s.f1()),
            "dates_right": s.dates_right,
            "date_accuracy": round(s.date_accuracy()),
            "missed": s.missed,
            "extra": s.extra,
            "wrong_dates": s.wrong_dates,
        })
    }

    fn csv(&self) -> Sheet {
        let s = &self.scores;
        Sheet::new(
            &[
                "gold",
                "proposed",
                "matched",
                "precision",
                "recall",
                "f1",
                "date_accuracy",
            ],
            vec![vec![
                s.gold.to_string(),
                s.proposed.to_string(),
                s.matched.to_string(),
                format!("{:.4}", s.precision()),
                format!("{:.4}", s.recall()),
                format!("{:.4}", s.f1()),
                format!("{:.4}", s.date_accuracy()),
            ]],
        )
    }

    fn text(&self) -> Vec<Block> {
        let s = &self.scores;
        let pct = |x: f64| format!("{:.1}%", 100.0 * x);
        let mut blocks = vec![
            Block::Line(format!(
                "{} gold triples, {} proposed, {} matched: precision {}, recall {}, F1 {}",
                s.gold,
                s.proposed,
                s.matched,
                pct(s.precision()),
                pct(s.recall()),
                pct(s.f1())
            )),
            Block::Line(format!(
                "dates right on {} of {} matched triples ({})",
                s.dates_right,
                s.matched,
                pct(s.date_accuracy())
            )),
        ];
        if !s.missed.is_empty() {
            blocks.push(Block::Line("missed:".to_string()));
            blocks.extend(s.missed.iter().map(|m| Block::Line(format!("  {m}"))));
        }
        if !s.extra.is_empty() {
            blocks.push(Block::Line("not in the gold:".to_string()));
            blocks.extend(s.extra.iter().map(|m| Block::Line(format!("  {m}"))));
        }
        if !s.wrong_dates.is_empty() {
            blocks.push(Block::Line("dates wrong:".to_string()));
            blocks.extend(s.wrong_dates.iter().map(|m| Block::Line(format!("  {m}"))));
        }
        blocks
    }
}

/// `kg ingest --timeml FILE...`: every TimeML file (folders are searched for `.tml`
/// files) read, its expressions resolved and found, and the whole scored.
fn timeml(paths: &[PathBuf]) -> Result<Answer<'static>, Error> {
    let files = files_in(paths, "tml")?;
    if files.is_empty() {
        return Err(Error::Usage(
            "no TimeML files (.tml) in the paths given".to_string(),
        ));
    }
    let mut documents = Vec::new();
    let mut totals = Counts::default();
    for file in files {
        let text = read_text(&file)?;
        let doc =
            timeml::read(&text).map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?;
        let evaluation = timeml::evaluate(&doc);
        totals.add(evaluation.counts);
        documents.push((file, evaluation));
    }
    Ok(Answer::report(Scored { documents, totals }))
}

/// The files named by `paths`, folders searched (not recursively) for files ending in
/// `.extension`, in name order.
fn files_in(paths: &[PathBuf], extension: &str) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
            let mut inside: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == extension))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// A text file's contents; binary files and other encodings than UTF-8 are refused.
fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Usage(format!("{}: {}", path.display(), kg::source::io_words(&e))))?;
    if bytes.contains(&0) {
        return Err(Error::Usage(format!(
            "{}: a binary file, not text",
            path.display()
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not UTF-8 text (byte {} is not valid UTF-8); convert it first, e.g. iconv -f latin1 -t utf-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

struct Scored {
    documents: Vec<(PathBuf, timeml::Evaluation)>,
    totals: Counts,
}

fn scores(c: &Counts) -> Value {
    let (p, r, f) = c.prf(c.matched);
    let (sp, sr, sf) = c.prf(c.matched_strict);
    let (vp, vr, vf) = c.prf(c.value_right);
    json!({
        "annotated": c.gold,
        "resolved_right": c.resolved_right,
        "resolution_accuracy": round(c.resolution_accuracy()),
        "found": c.found,
        "relaxed": {"precision": round(p), "recall": round(r), "f1": round(f)},
        "strict": {"precision": round(sp), "recall": round(sr), "f1": round(sf)},
        "value": {"precision": round(vp), "recall": round(vr), "f1": round(vf)},
        "type_accuracy": round(if c.matched == 0 { 0.0 } else { c.type_right as f64 / c.matched as f64 }),
    })
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Report for Scored {
    fn json(&self) -> Value {
        let documents: Vec<Value> = self
            .documents
            .iter()
            .map(|(file, e)| {
                json!({
                    "file": file.display().to_string(),
                    "created": e.created.to_string(),
                    "expressions": e.resolved.iter().map(|r| json!({
                        "tid": r.gold.tid,
                        "text": r.text,
                        "start": r.gold.start,
                        "end": r.gold.end,
                        "type": r.gold.kind,
                        "gold": r.gold.value,
                        "kg": r.value,
                        "kg_type": r.kind,
                        "right": r.value.as_deref().is_some_and(|v| timeml::same_value(v, &r.gold.value)),
                    })).collect::<Vec<_>>(),
                    "found": e.found.iter().map(|f| json!({
                        "text": f.text,
                        "start": f.start,
                        "end": f.end,
                        "type": f.kind,
                        "value": f.value,
                        "gold_tid": f.gold.as_ref().map(|g| g.tid.clone()),
                        "gold": f.gold.as_ref().map(|g| g.value.clone()),
                    })).collect::<Vec<_>>(),
                    "scores": scores(&e.counts),
                })
            })
            .collect();
        json!({ "documents": documents, "scores": scores(&self.totals) })
    }

    fn csv(&self) -> Sheet {
        let rows = self
            .documents
            .iter()
            .flat_map(|(file, e)| {
                e.resolved.iter().map(move |r| {
                    vec![
                        file.display().to_string(),
                        r.gold.tid.clone(),
                        r.text.clone(),
                        r.gold.kind.clone(),
                        r.gold.value.clone(),
                        r.value.clone().unwrap_or_default(),
                        r.value
                            .as_deref()
                            .is_some_and(|v| timeml::same_value(v, &r.gold.value))
                            .to_string(),
                    ]
                })
            })
            .collect();
        Sheet::new(
            &["file", "tid", "text", "type", "gold", "kg", "right"],
            rows,
        )
    }

    fn text(&self) -> Vec<Block> {
        let c = &self.totals;
        let pct = |x: f64| format!("{:.1}%", 100.0 * x);
        let prf = |hits: usize| {
            let (p, r, f) = c.prf(hits);
            vec![pct(p), pct(r), pct(f)]
        };
        let mut rows = vec![
            [vec!["extent, any overlap".to_string()], prf(c.matched)].concat(),
            [vec!["extent, exact".to_string()], prf(c.matched_strict)].concat(),
            [vec!["value".to_string()], prf(c.value_right)].concat(),
        ];
        rows.iter_mut().for_each(|r| r.truncate(4));
        vec![
            Block::Line(format!(
                "{} documents, {} annotated expressions; kg resolves {} of them from their text ({})",
                self.documents.len(),
                c.gold,
                c.resolved_right,
                pct(c.resolution_accuracy())
            )),
            Block::Line(format!("found on its own: {} expressions", c.found)),
            Block::table(&["", "precision", "recall", "F1"], rows),
        ]
    }
}
