//! The openCypher subset against Kùzu: `tests/differential/kuzu_vs_kg.py` loads the
//! same random graphs into Kùzu (its Python package, installed by `.ci/run`) and into
//! kg databases, runs a corpus of queries on both, translating only Kùzu's dialect
//! differences, and checks that they find the same rows.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

mod common;
use common::*;

#[test]
fn kuzu_and_kg_find_the_same_rows() -> TestResult {
    if !have("python3", &["-c", "import kuzu"]) {
        return Ok(());
    }
    let env = Env::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/kuzu_vs_kg.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(cargo_bin("kg"))
        .arg(env.dir.path())
        .arg("4")
        .output()?;
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{report}");
    assert!(report.contains(", 0 differ"), "{report}");
    Ok(())
}
