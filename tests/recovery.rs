//! Recovery and refusals on the real binary: `kg recover` saves what is intact of a
//! damaged database without touching it; writes that would lose data (a journal of
//! another copy of the database, a journal without its database, a read-only file)
//! are refused with the real reason; a missing folder is named as such.

mod common;
use common::*;

/// A database with the bundled graph in its snapshot and three writes in its journal.
fn with_journal() -> Env {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    for name in ["Lavrov", "Shoigu", "Peskov"] {
        assert_exit(&env.kg(&["add", "entity", name, "--kind", "person"]), 0);
    }
    env
}

fn journal(env: &Env) -> std::path::PathBuf {
    env.path("news.kgdb.journal")
}

#[test]
fn recover_keeps_the_snapshot_and_the_records_before_the_damage() -> TestResult {
    let env = with_journal();
    let mut bytes = std::fs::read(journal(&env))?;
    let last = bytes.len() - 5;
    bytes[last] ^= 0x55; // inside the last record's payload
    std::fs::write(journal(&env), &bytes)?;
    let damaged = (std::fs::read(env.db())?, bytes.clone());

    // Every command refuses the database, and says how to save what is intact.
    let out = env.kg(&["check"]);
    assert_error(&out, "journal record 3 at byte");
    assert!(stderr(&out).contains("recover -o NEW"), "{}", stderr(&out));

    let out = env.kg(&["recover", "-o", "saved.kgdb"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("wrote saved.kgdb: 23 entities, 28 relations, from the snapshot of"),
        "{text}"
    );
    assert!(text.contains("2 records of its journal"), "{text}");
    assert!(
        text.contains("not kept: journal record 3 at byte"),
        "{text}"
    );
    // The damaged files are unchanged; the new database is sound and has the writes
    // before the damage, with their history.
    assert_eq!(std::fs::read(env.db())?, damaged.0);
    assert_eq!(std::fs::read(journal(&env))?, damaged.1);
    let saved = ["--db", "saved.kgdb"];
    assert_exit(&env.bare(&[&saved[..], &["check"]].concat()), 0);
    assert_exit(&env.bare(&[&saved[..], &["show", "Shoigu"]].concat()), 0);
    assert_exit(&env.bare(&[&saved[..], &["show", "Peskov"]].concat()), 2);
    let history = json(&env.bare(&[&saved[..], &["--format", "json", "history"]].concat()));
    assert_eq!(history.as_array().map(Vec::len), Some(3), "{history}");
    // Recovery never overwrites.
    assert_error(
        &env.kg(&["recover", "-o", "saved.kgdb"]),
        "saved.kgdb: already exists",
    );
    Ok(())
}

#[test]
fn a_journal_of_another_copy_or_without_its_database_is_not_thrown_away() -> TestResult {
    let env = with_journal();
    // A backup taken before the last compaction, restored over the database: the
    // journal beside it extends the newer snapshot, so its writes are not in the backup.
    let backup = std::fs::read(env.db())?;
    assert_exit(&env.kg(&["compact"]), 0);
    assert_exit(
        &env.kg(&["add", "entity", "Medvedev", "--kind", "person"]),
        0,
    );
    std::fs::write(env.db(), &backup)?;
    let journal_before = std::fs::read(journal(&env))?;
    let out = env.kg(&["add", "entity", "Patrushev", "--kind", "person"]);
    assert_error(&out, "the journal extends snapshot generation");
    assert_eq!(std::fs::read(journal(&env))?, journal_before);

    // A journal whose database is gone is not replaced by a new database's.
    std::fs::remove_file(env.db())?;
    let out = env.kg(&["add", "entity", "Patrushev", "--kind", "person"]);
    assert_error(&out, "a journal without its database");
    assert_eq!(std::fs::read(journal(&env))?, journal_before);
    Ok(())
}

#[test]
fn unwritable_places_are_named_for_what_they_are() -> TestResult {
    let env = with_journal();
    let out = env.bare(&[
        "--db",
        "no/such/folder/x.kgdb",
        "add",
        "entity",
        "A",
        "--kind",
        "person",
    ]);
    assert_error(
        &out,
        "no/such/folder/x.kgdb: cannot write it: the folder no/such/folder does not exist",
    );
    let out = env.kg(&["export", "dot", "-o", "missing/graph.dot"]);
    assert_error(
        &out,
        "missing/graph.dot: cannot write it: the folder missing does not exist",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let before = std::fs::read(env.db())?;
        std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o444))?;
        assert_exit(&env.kg(&["compact"]), 2);
        let out = env.kg(&["add", "entity", "Naryshkina", "--kind", "person"]);
        assert_error(&out, "news.kgdb: cannot write it: the file is read-only");
        assert_eq!(std::fs::read(env.db())?, before);
        std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o644))?;
    }
    // `-o -` is standard output.
    let out = env.kg(&["export", "kg", "-o", "-"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("person Lavrov"));
    assert!(!env.path("-").exists());
    Ok(())
}
