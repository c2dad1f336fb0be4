//! The README's tour is real: every `$ kg ...` line of its console blocks is run (in
//! order, in a fresh folder where `graphs/` is this repository's) and must print what
//! the README shows. Lines that pipe, write files, render or abbreviate (`...`) are
//! skipped.

use std::path::Path;
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

#[test]
fn the_tour_prints_what_the_readme_shows() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md"))?;
    let dir = tempfile::tempdir()?;
    std::os::unix::fs::symlink(root.join("graphs"), dir.path().join("graphs"))?;
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
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
                "README: $ kg {command}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} README commands were checked");
    Ok(())
}
