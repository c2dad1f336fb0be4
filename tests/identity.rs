//! Identity: an entity's and a relation's id stays the same for its whole life and is
//! never given to anything else, through removals, the journal, compaction and reload;
//! files of format versions 2, 3 and 4 are still read.

mod common;
use common::*;

/// The id `show --format json` gives an entity.
/// The format this kg writes.
const FORMAT: u32 = kg::storage::FORMAT_VERSION;

/// `kg compact` rewrites the database of format `old` in the current format.
fn compacts_from(env: &Env, old: u32) -> TestResult {
    let out = env.kg(&["compact"]);
    assert_exit(&out, 0);
    let said = format!("rewrote the database of format {old} in format {FORMAT}");
    assert!(stdout(&out).contains(&said), "{}", stdout(&out));
    let bytes = std::fs::read(env.db())?;
    assert_eq!(
        &bytes[8..12],
        &FORMAT.to_le_bytes(),
        "written in the current format"
    );
    Ok(())
}

fn entity_id(env: &Env, name: &str) -> u64 {
    json(&env.kg(&["--format", "json", "show", name]))["id"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

/// The id in "added relation #N: ...".
fn added_relation(out: &std::process::Output) -> u64 {
    assert_exit(out, 0);
    let text = stdout(out);
    let id = text
        .split('#')
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok());
    id.unwrap_or_else(|| panic!("no relation id in {text:?}"))
}

#[test]
fn removed_ids_are_never_given_again() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let relations = json(&env.kg(&["--format", "json", "stats"]))["relations"]
        .as_u64()
        .unwrap_or(0);
    assert!(relations > 10);
    // Remove one relation in the middle and the last one, through the journal.
    assert_exit(&env.kg(&["remove", "relation", "3"]), 0);
    let last = (relations - 1).to_string();
    assert_exit(&env.kg(&["remove", "relation", &last]), 0);
    let first = added_relation(&env.kg(&["add", "relation", "Rubio", "told", "Politico"]));
    assert_eq!(first, relations, "neither #3 nor #{last} is given again");
    // Through compaction and reload the counter holds.
    assert_exit(&env.kg(&["compact"]), 0);
    let second = added_relation(&env.kg(&["add", "relation", "Trump", "told", "Politico"]));
    assert_eq!(second, relations + 1);
    assert_error(&env.kg(&["remove", "relation", "3"]), "no relation #3");

    // Entities: the last one's id is not reused either, before or after compaction.
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    let lavrov = entity_id(&env, "Lavrov");
    assert_exit(&env.kg(&["remove", "entity", "Lavrov"]), 0);
    assert_exit(&env.kg(&["compact"]), 0);
    assert_exit(&env.kg(&["add", "entity", "Shoigu", "--kind", "person"]), 0);
    assert_eq!(entity_id(&env, "Shoigu"), lavrov + 1);
    // Ids of what stayed are unchanged, and the file checks clean.
    assert_eq!(
        added_relation(&env.kg(&["add", "relation", "Shoigu", "met", "Putin"])),
        relations + 2
    );
    assert_exit(&env.kg(&["check"]), 0);
    Ok(())
}

#[test]
fn a_version_2_file_is_read_and_rewritten_in_the_current_format() -> TestResult {
    // tests/data/version2.kgdb: A, B, C; A -[phoned]-> B #0, B -[met]- C #1,
    // A -[met]- C #2; then #1 and C removed, and compacted, by a kg of format 2.
    let env = Env::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/version2.kgdb");
    std::fs::copy(fixture, env.db())?;
    let out = env.kg(&["timeline"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("A -[phoned]-> B    #0"),
        "{}",
        stdout(&out)
    );
    assert_exit(&env.kg(&["check"]), 0);
    assert_exit(&env.kg(&["add", "entity", "D", "--kind", "person"]), 0);
    assert_eq!(
        added_relation(&env.kg(&["add", "relation", "A", "met", "D"])),
        1
    );
    compacts_from(&env, 2)?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_eq!(entity_id(&env, "D"), 2);
    Ok(())
}

#[test]
fn a_version_3_file_is_read_with_its_ids_and_an_empty_history() -> TestResult {
    // tests/data/version3.kgdb: graphs/seed.kg imported, relation #3 removed, compacted,
    // by a kg of format 3.
    let env = Env::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/version3.kgdb");
    std::fs::copy(fixture, env.db())?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_error(&env.kg(&["remove", "relation", "3"]), "no relation #3");
    let history = json(&env.kg(&["--format", "json", "history"]));
    assert_eq!(history.as_array().map(Vec::len), Some(0), "{history}");
    let id = added_relation(&env.kg(&["add", "relation", "Rubio", "told", "Politico"]));
    assert_eq!(id, 31, "the counter of format 3 holds");
    assert_exit(&env.kg(&["undo"]), 0);
    compacts_from(&env, 3)?;
    Ok(())
}

#[test]
fn a_jsonl_export_imported_into_a_new_database_keeps_every_id() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["remove", "relation", "3"]), 0);
    assert_exit(
        &env.kg(&["remove", "entity", "Russian state media", "--force"]),
        0,
    );
    // The last relation removed: its id is past every id kept, and still never given.
    let last = added_relation(&env.kg(&["add", "relation", "Rubio", "told", "Politico"]));
    assert_exit(&env.kg(&["remove", "relation", &last.to_string()]), 0);
    let jsonl = env.path("graph.jsonl");
    assert_exit(
        &env.kg(&["export", "jsonl", "-o", jsonl.to_str().unwrap_or_default()]),
        0,
    );
    let ids = |db: &str, what: &str| {
        let out = env.bare(&["--db", db, "--format", "json", what]);
        assert_exit(&out, 0);
        let mut ids: Vec<u64> = json(&out)
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["id"].as_u64()).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    };
    let copy = "copy.kgdb";
    // A database that exists but has no entities yet: the import goes to its journal.
    assert_exit(&env.bare(&["--db", copy, "add", "type", "probe"]), 0);
    let out = env.bare(&[
        "--db",
        copy,
        "--format",
        "json",
        "import",
        jsonl.to_str().unwrap_or_default(),
    ]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["ids_kept"], true);
    assert_eq!(ids(copy, "list"), ids("news.kgdb", "list"));
    assert_eq!(ids(copy, "timeline"), ids("news.kgdb", "timeline"));
    assert!(!ids(copy, "timeline").contains(&3));
    // Through the journal's replay and compaction too.
    assert!(env.path("copy.kgdb.journal").exists());
    assert_exit(&env.bare(&["--db", copy, "check"]), 0);
    assert_exit(&env.bare(&["--db", copy, "compact"]), 0);
    assert_eq!(ids(copy, "list"), ids("news.kgdb", "list"));
    assert_exit(&env.bare(&["--db", copy, "check"]), 0);
    let next =
        added_relation(&env.bare(&["--db", copy, "add", "relation", "Rubio", "told", "Putin"]));
    assert_eq!(next, last + 1, "the copy does not give #{last} again");
    // Into a database that has entities already, the file's ids cannot all be kept:
    // the database gives its own.
    let out = env.kg(&[
        "--format",
        "json",
        "import",
        jsonl.to_str().unwrap_or_default(),
    ]);
    assert_eq!(json(&out)["ids_kept"], false);
    Ok(())
}

#[test]
fn a_version_5_file_is_read_as_it_was_written_and_compact_rewrites_it() -> TestResult {
    // tests/data/version5.kgdb: graphs/seed.kg imported, relation #3 removed, an undated
    // relation with a grade added (#28), compacted, by a kg of format 5; version5.jsonl
    // is what that kg exported from it.
    let env = Env::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    std::fs::copy(data.join("version5.kgdb"), env.db())?;
    let exported = std::fs::read_to_string(data.join("version5.jsonl"))?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_eq!(stdout(&env.kg(&["export", "jsonl"])), exported);
    compacts_from(&env, 5)?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_eq!(stdout(&env.kg(&["export", "jsonl"])), exported);
    let path = stdout(&env.kg(&["path", "Naryshkin", "Putin", "--chronological"]));
    assert!(path.contains("Naryshkin"), "{path}");
    Ok(())
}

#[test]
fn a_version_6_file_is_read_in_place_without_the_order_by_entity_and_compact_adds_it() -> TestResult
{
    // tests/data/version6.kgdb: graphs/seed.kg imported, relation #3 removed, an undated
    // relation with a grade added (#28), compacted, by a kg of format 6 (whose lists
    // kept no order by other end); version6.jsonl is what that kg exported from it.
    let env = Env::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    std::fs::copy(data.join("version6.kgdb"), env.db())?;
    let exported = std::fs::read_to_string(data.join("version6.jsonl"))?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_eq!(stdout(&env.kg(&["export", "jsonl"])), exported);
    let paths = |env: &Env| {
        ["Naryshkin", "Ratcliffe", "Russia", "CIA"]
            .map(|to| stdout(&env.kg(&["path", "Putin", to, "--chronological", "-k", "3"])))
    };
    let before = paths(&env);
    assert!(before[0].contains("Naryshkin"), "{}", before[0]);
    compacts_from(&env, 6)?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_eq!(stdout(&env.kg(&["export", "jsonl"])), exported);
    assert_eq!(paths(&env), before);
    Ok(())
}

#[test]
fn a_version_4_file_is_read_as_before_and_compact_rewrites_it_to_be_read_in_place() -> TestResult {
    let env = Env::new();
    let store = kg::bundled_graph()?;
    std::fs::write(env.db(), kg::fuzzing::encode_database_v4(&store))?;
    assert_exit(&env.kg(&["check"]), 0);
    let before = stdout(&env.kg(&["path", "Naryshkin", "Putin"]));
    compacts_from(&env, 4)?;
    assert_exit(&env.kg(&["check"]), 0);
    assert_eq!(stdout(&env.kg(&["path", "Naryshkin", "Putin"])), before);
    let again = env.kg(&["compact"]);
    assert!(
        stdout(&again).contains("nothing to compact"),
        "{}",
        stdout(&again)
    );
    Ok(())
}
