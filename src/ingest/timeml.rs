//! Measuring the date resolver on TimeML documents (TimeBank, AQUAINT, TempEval-3):
//! each annotated TIMEX3 is resolved from its text against the document's creation
//! time and compared with its `value`, and the expressions kg finds in the plain text
//! on its own are matched against the annotated ones (TempEval-3's relaxed extent match:
//! any overlap), giving precision, recall and value F1 as that task scored them.

use chrono::NaiveDate;

use super::timex;

/// A TimeML document: its plain text, creation time and annotated expressions.
#[derive(Debug)]
pub struct Document {
    pub text: String,
    pub created: NaiveDate,
    pub gold: Vec<Annotated>,
}

/// An annotated TIMEX3: where it is in the plain text, its type and value.
#[derive(Debug, Clone)]
pub struct Annotated {
    pub tid: String,
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

/// Reads a TimeML document; the error says what is missing or malformed.
pub fn read(xml: &str) -> Result<Document, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| format!("not TimeML: {e}"))?;
    let root = doc.root_element();
    let created = root
        .descendants()
        .find(|n| n.has_tag_name("DCT"))
        .and_then(|dct| dct.descendants().find(|n| n.has_tag_name("TIMEX3")))
        .and_then(|t| t.attribute("value"))
        .ok_or("no document creation time (DCT with a TIMEX3 value)")?;
    let created = parse_day(created)
        .ok_or_else(|| format!("the document creation time {created:?} is not a date"))?;
    let body = root
        .descendants()
        .find(|n| n.has_tag_name("TEXT"))
        .ok_or("no TEXT element")?;
    let mut text = String::new();
    let mut gold = Vec::new();
    collect(body, &mut text, &mut gold);
    Ok(Document {
        text,
        created,
        gold,
    })
}

fn collect(node: roxmltree::Node, text: &mut String, gold: &mut Vec<Annotated>) {
    for child in node.children() {
        if child.is_text() {
            text.push_str(child.text().unwrap_or_default());
        } else if child.is_element() {
            let start = text.len();
            collect(child, text, gold);
            if child.has_tag_name("TIMEX3") && text.len() > start {
                gold.push(Annotated {
                    tid: child.attribute("tid").unwrap_or_default().to_string(),
                    start,
                    end: text.len(),
                    kind: child.attribute("type").unwrap_or_default().to_string(),
                    value: child.attribute("value").unwrap_or_default().to_string(),
                });
            }
        }
    }
}

/// A creation time as TimeML writes it ("1998-01-08", "19980108", "1998-01-08T12:00").
fn parse_day(value: &str) -> Option<NaiveDate> {
    let head: String = value.chars().take(10).collect();
    NaiveDate::parse_from_str(&head, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(value.get(..8)?, "%Y%m%d").ok())
}

/// Whether two TimeML values are the same, week numbers compared as numbers (AQUAINT
/// writes "2000-W7" where TimeBank writes "2000-W07").
pub fn same_value(a: &str, b: &str) -> bool {
    fn unpadded(v: &str) -> String {
        match v.split_once("-W") {
            Some((year, rest)) => {
                let digits = rest.trim_start_matches('0');
                let digits = if digits.is_empty() || !rest.starts_with(|c: char| c.is_ascii_digit())
                {
                    rest
                } else {
                    digits
                };
                format!("{year}-W{digits}")
            }
            None => v.to_string(),
        }
    }
    a == b || unpadded(a) == unpadded(b)
}

/// One annotated expression with the value kg resolves its text to.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub gold: Annotated,
    pub text: String,
    pub kind: Option<&'static str>,
    pub value: Option<String>,
}

/// One expression kg found in the plain text, with the annotated one it overlaps.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: &'static str,
    pub value: String,
    pub gold: Option<Annotated>,
}

/// How kg did on one document or many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Annotated expressions.
    pub gold: usize,
    /// Of those, how many kg resolves from their text to the annotated value.
    pub resolved_right: usize,
    /// Expressions kg found in the text.
    pub found: usize,
    /// Found expressions overlapping an annotated one (each annotated one counted once).
    pub matched: usize,
    /// Found expressions with exactly an annotated one's extent.
    pub matched_strict: usize,
    /// Matched expressions whose value is the annotated one.
    pub value_right: usize,
    /// Matched expressions whose type is the annotated one.
    pub type_right: usize,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.resolved_right += other.resolved_right;
        self.found += other.found;
        self.matched += other.matched;
        self.matched_strict += other.matched_strict;
        self.value_right += other.value_right;
        self.type_right += other.type_right;
    }

    /// Precision, recall and F1 of `hits` among `found` and `gold`.
    pub fn prf(&self, hits: usize) -> (f64, f64, f64) {
        let p = ratio(hits, self.found);
        let r = ratio(hits, self.gold);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }

    /// The share of annotated expressions resolved right from their text.
    pub fn resolution_accuracy(&self) -> f64 {
        ratio(self.resolved_right, self.gold)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// A document scored.
#[derive(Debug)]
pub struct Evaluation {
    pub created: NaiveDate,
    pub resolved: Vec<Resolved>,
    pub found: Vec<Found>,
    pub counts: Counts,
}

/// Resolves every annotated expression and finds kg's own in `doc`, and scores both.
pub fn evaluate(doc: &Document) -> Evaluation {
    let mut counts = Counts {
        gold: doc.gold.len(),
        ..Counts::default()
    };
    let resolved: Vec<Resolved> = doc
        .gold
        .iter()
        .map(|g| {
            let text = doc.text[g.start..g.end].to_string();
            let value = timex::resolve(&doc.text, g.start, g.end, doc.created);
            let (kind, value) = match value {
                Some(v) => (Some(v.timex_type().name()), Some(v.timeml())),
                None => (None, None),
            };
            if value.as_deref().is_some_and(|v| same_value(v, &g.value)) {
                counts.resolved_right += 1;
            }
            Resolved {
                gold: g.clone(),
                text,
                kind,
                value,
            }
        })
        .collect();
    let mut taken = vec![false; doc.gold.len()];
    let found: Vec<Found> = timex::find(&doc.text, doc.created)
        .into_iter()
        .map(|t| {
            let overlapping = doc
                .gold
                .iter()
                .position(|g| g.start < t.end && t.start < g.end);
            let gold = overlapping.map(|i| doc.gold[i].clone());
            let value = t.value.timeml();
            let kind = t.value.timex_type().name();
            if let Some(i) = overlapping
                && !taken[i]
            {
                taken[i] = true;
                let g = &doc.gold[i];
                counts.matched += 1;
                counts.matched_strict += usize::from(g.start == t.start && g.end == t.end);
                counts.value_right += usize::from(same_value(&g.value, &value));
                counts.type_right += usize::from(g.kind == kind);
            }
            Found {
                start: t.start,
                end: t.end,
                text: doc.text[t.start..t.end].to_string(),
                kind,
                value,
                gold,
            }
        })
        .collect();
    counts.found = found.len();
    Evaluation {
        created: doc.created,
        resolved,
        found,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
Stocks <EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-W01">last week</TIMEX3>. Prices rose on <TIMEX3 tid="t2" type="DATE" value="1998-01-06">Tuesday</TIMEX3> and in <TIMEX3 tid="t3" type="DATE" value="1997-12">December</TIMEX3>.
</TEXT>
</TimeML>"#;

    #[test]
    fn annotated_expressions_are_resolved_and_found() {
        let doc = read(DOC).unwrap();
        assert_eq!(doc.created, NaiveDate::from_ymd_opt(1998, 1, 8).unwrap());
        assert_eq!(doc.gold.len(), 3);
        assert_eq!(&doc.text[doc.gold[0].start..doc.gold[0].end], "last week");
        let e = evaluate(&doc);
        assert_eq!(
            e.counts,
            Counts {
                gold: 3,
                resolved_right: 3,
                found: 3,
                matched: 3,
                matched_strict: 3,
                value_right: 3,
                type_right: 3,
            }
        );
    }

    #[test]
    fn a_document_without_a_creation_time_is_refused() {
        assert!(
            read("<TimeML><TEXT>x</TEXT></TimeML>")
                .unwrap_err()
                .contains("creation time")
        );
        assert!(read("not xml").unwrap_err().starts_with("not TimeML"));
    }
}
