//! The part of Gherkin the openCypher TCK's feature files use: a feature, its
//! scenarios and scenario outlines (each outline expanded once per row of its
//! examples), and each step's text with its doc string or table.

/// One step: its text without the keyword, and what follows it.
#[derive(Debug, Clone)]
pub struct Step {
    pub text: String,
    pub doc: Option<String>,
    pub table: Option<Vec<Vec<String>>>,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    /// As the file names it, `[3] Return a node`, with the example row for an outline.
    pub name: String,
    pub steps: Vec<Step>,
}

const KEYWORDS: [&str; 5] = ["Given ", "When ", "Then ", "And ", "But "];

/// The scenarios of a feature file, outlines expanded.
pub fn scenarios(text: &str) -> Vec<Scenario> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut current: Option<(String, bool, Vec<Step>)> = None;
    let mut examples: Option<Vec<Vec<String>>> = None;
    // The feature's `Background:` steps, which begin every scenario.
    let mut background: Vec<Step> = Vec::new();
    let mut in_background = false;
    let mut i = 0;
    let finish = |current: &mut Option<(String, bool, Vec<Step>)>,
                  examples: &mut Option<Vec<Vec<String>>>,
                  out: &mut Vec<Scenario>| {
        if let Some((name, outline, steps)) = current.take() {
            match (outline, examples.take()) {
                (true, Some(table)) if table.len() > 1 => {
                    for (n, row) in table[1..].iter().enumerate() {
                        let fill = |s: &str| {
                            let mut s = s.to_string();
                            for (key, value) in table[0].iter().zip(row) {
                                s = s.replace(&format!("<{key}>"), value);
                            }
                            s
                        };
                        out.push(Scenario {
                            name: format!("{name} (example {})", n + 1),
                            steps: steps
                                .iter()
                                .map(|step| Step {
                                    text: fill(&step.text),
                                    doc: step.doc.as_deref().map(fill),
                                    table: step.table.as_ref().map(|t| {
                                        t.iter()
                                            .map(|r| r.iter().map(|c| fill(c)).collect())
                                            .collect()
                                    }),
                                })
                                .collect(),
                        });
                    }
                }
                _ => out.push(Scenario { name, steps }),
            }
        }
    };
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if line.starts_with('#') || line.starts_with('@') || line.is_empty() {
            continue;
        }
        if let Some(name) = line
            .strip_prefix("Scenario Outline:")
            .or_else(|| line.strip_prefix("Scenario Template:"))
        {
            finish(&mut current, &mut examples, &mut out);
            in_background = false;
            current = Some((name.trim().to_string(), true, background.clone()));
        } else if let Some(name) = line.strip_prefix("Scenario:") {
            finish(&mut current, &mut examples, &mut out);
            in_background = false;
            current = Some((name.trim().to_string(), false, background.clone()));
        } else if line.starts_with("Background:") {
            in_background = true;
        } else if line.starts_with("Examples:") {
            let (table, next) = table_at(&lines, i);
            examples = Some(table);
            i = next;
        } else if let Some(keyword) = KEYWORDS.iter().find(|k| line.starts_with(**k)) {
            let text = line[keyword.len()..].trim().to_string();
            let mut step = Step {
                text,
                doc: None,
                table: None,
            };
            let next = lines.get(i).map(|l| l.trim()).unwrap_or_default();
            if next.starts_with("\"\"\"") {
                let indent = lines[i].len() - lines[i].trim_start().len();
                let mut doc = Vec::new();
                i += 1;
                while i < lines.len() && !lines[i].trim().starts_with("\"\"\"") {
                    let l = lines[i];
                    let cut = l.len() - l.trim_start().len();
                    doc.push(&l[cut.min(indent)..]);
                    i += 1;
                }
                i += 1;
                step.doc = Some(doc.join("\n"));
            } else if next.starts_with('|') {
                let (table, after) = table_at(&lines, i);
                step.table = Some(table);
                i = after;
            }
            if in_background {
                background.push(step);
            } else if let Some((_, _, steps)) = current.as_mut() {
                steps.push(step);
            }
        }
    }
    finish(&mut current, &mut examples, &mut out);
    out
}

/// The table whose first row is line `i`, and the line after it.
fn table_at(lines: &[&str], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut table = Vec::new();
    while i < lines.len() {
        let line = lines[i].trim();
        if line.starts_with('#') {
            i += 1;
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        table.push(cells(line));
        i += 1;
    }
    (table, i)
}

/// The cells of a table row: between `|`s (`\|` is a `|` in a cell, `\\` a `\`).
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some('\\') => cell.push('\\'),
                Some('n') => cell.push('\n'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_expand_and_doc_strings_keep_their_lines() {
        let feature = "Feature: F\n\n  Scenario Outline: [1] Add\n    Given an empty graph\n    When executing query:\n      \"\"\"\n      RETURN <a> + 1 AS x\n        // kept\n      \"\"\"\n    Then the result should be, in any order:\n      | x |\n      | <b> |\n\n    Examples:\n      | a | b |\n      | 1 | 2 |\n      | 2 | 3 |\n";
        let s = scenarios(feature);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[1].steps[1].doc.as_deref(),
            Some("RETURN 2 + 1 AS x\n  // kept")
        );
        assert_eq!(s[1].steps[2].table.as_ref().unwrap()[1], ["3"]);
        assert_eq!(cells(r"| 'a\|b' | x |"), ["'a|b'", "x"]);
    }
}
