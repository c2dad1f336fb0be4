//! The tour is real: every `$ kg ...` line of the console blocks of `README.md` and of
//! every `docs/*.md` file is run and must print what the file shows. Each file's
//! commands run in order, in one fresh folder per file where `graphs/` is this
//! repository's, so a command may rely on what an earlier one of the same file did (a
//! `--db` file made by an import). Lines that pipe, write files, render or abbreviate
//! (`...`) are skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// Splits a command line on spaces, keeping double-quoted words together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The markdown files whose console blocks are checked: `README.md`, then every
/// `docs/*.md` in name order.
fn documents(root: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(root.join("docs"))? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("md") {
            docs.push(path);
        }
    }
    docs.sort();
    let mut files = vec![root.join("README.md")];
    files.extend(docs);
    Ok(files)
}

/// Runs the console blocks of one file in a fresh folder; returns how many commands
/// were checked.
fn check_file(root: &Path, file: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let name = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let text = std::fs::read_to_string(file)?;
    let dir = tempfile::tempdir()?;
    std::os::unix::fs::symlink(root.join("graphs"), dir.path().join("graphs"))?;
    let mut checked = 0;
    for block in text.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        let lines: Vec<&str> = block.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let Some(command) = lines[i].strip_prefix("$ kg ") else {
                i += 1;
                continue;
            };
            let command = command.split(" #").next().unwrap_or_default();
            let mut expected = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].starts_with("$ ") {
                expected.push(lines[i]);
                i += 1;
            }
            let expected = expected.join("\n");
            if command.contains('|')
                || command.contains("-o ")
                || command.contains("--render")
                || expected.contains("...")
            {
                continue;
            }
            let out = Command::cargo_bin("kg")?
                .current_dir(dir.path())
                .env_remove("KG_DB")
                .args(words(command))
                .output()?;
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                printed.trim_end(),
                expected.trim_end(),
                "{name}: $ kg {command}"
            );
            checked += 1;
        }
    }
    Ok(checked)
}

#[test]
fn the_tour_prints_what_the_docs_show() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for file in documents(root)? {
        checked += check_file(root, &file)?;
    }
    assert!(
        checked >= 20,
        "only {checked} commands were checked in README.md and docs/*.md"
    );
    Ok(())
}
