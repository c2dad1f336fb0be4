//! Reliability under faults: processes killed while they write, damaged files,
//! concurrent writers and readers, malformed imports and hostile names in every output.
//! The fuzz-style property tests of the parsers and loader are in `tests/fuzzing.rs`.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Instant;

mod common;
use common::*;

/// A small deterministic generator (xorshift), so that a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A relations CSV of `relations` rows among `actors` actors named A0, A1, ...
fn events_csv(actors: u64, relations: u64, rng: &mut Rng) -> String {
    let types = ["met", "phoned", "visited", "praised", "accused"];
    let mut csv = String::from("from,type,to,date\n");
    for _ in 0..relations {
        let from = rng.below(actors);
        let to = (from + 1 + rng.below(actors - 1)) % actors;
        let t = types[rng.below(types.len() as u64) as usize];
        let (y, m, d) = (2015 + rng.below(10), 1 + rng.below(12), 1 + rng.below(28));
        csv.push_str(&format!("A{from},{t},A{to},{y}-{m:02}-{d:02}\n"));
    }
    csv
}

/// Every file of the database: snapshot and journal bytes (the lock file is empty).
fn state(env: &Env) -> (Vec<u8>, Option<Vec<u8>>) {
    let journal = env.path("news.kgdb.journal");
    (
        std::fs::read(env.db()).expect("the database"),
        std::fs::read(journal).ok(),
    )
}

fn relation_count(env: &Env) -> u64 {
    let out = env.kg(&["stats", "--format", "json"]);
    assert_exit(&out, 0);
    json(&out)["relations"].as_u64().expect("a relation count")
}

/// The sources of the relations a `timeline --format json` printed.
fn sources_in(out: &std::process::Output) -> BTreeSet<String> {
    json(out)
        .as_array()
        .expect("a timeline array")
        .iter()
        .filter_map(|r| r["source"].as_str().map(str::to_string))
        .collect()
}

fn temporary_files(env: &Env) -> Vec<String> {
    env.files()
        .into_iter()
        .filter(|f| f.contains(".tmp."))
        .collect()
}

/// Kills `kg` (SIGKILL) at random moments while it writes to a database of 200,000
/// relations: appending to the journal, writing a new snapshot, or compacting. After
/// every kill the database passes `kg check`; at the end every write that was
/// acknowledged (the command exited 0) is there and no temporary file is left.
#[test]
fn writes_killed_at_random_moments_lose_nothing_acknowledged() -> TestResult {
    let env = Env::new();
    let mut rng = Rng(0x5eed_cafe_f00d);
    let csv = env.write("events.csv", events_csv(20_000, 200_000, &mut rng));
    assert_exit(&env.kg(&["import", csv.to_str().unwrap_or_default()]), 0);
    assert_eq!(relation_count(&env), 200_000);

    let add = |i: u32| {
        let source = format!("crash test {i}");
        let date = format!("2030-01-{:02}", 1 + i % 28);
        let args = [
            "add", "relation", "A1", "met", "A2", "--date", &date, "--source", &source,
        ];
        env.command(&args)
    };
    // How long one whole write takes here: kills land anywhere inside it.
    let started = Instant::now();
    assert_exit(&add(0).output()?, 0);
    let whole = started.elapsed().as_micros() as u64 + 1;
    let mut acknowledged = vec![0];
    let mut killed = 0;

    for i in 1..=36u32 {
        let cmd = match i % 3 {
            0 => {
                // Past the journal limit: a new snapshot, then the journal removed.
                let mut cmd = add(i);
                cmd.env("KG_JOURNAL_LIMIT", "1");
                cmd
            }
            1 => add(i),
            _ => env.command(&["compact"]),
        };
        if killed_at_random(cmd, whole, &mut |n| rng.below(n))? {
            if i % 3 != 2 {
                acknowledged.push(i);
            }
        } else {
            killed += 1;
        }
        let check = env.kg(&["check"]);
        assert_exit(&check, 0);
    }
    assert!(killed > 5, "only {killed} writes were interrupted");

    // One more write clears what the killed ones left behind.
    assert_exit(&add(99).output()?, 0);
    acknowledged.push(99);
    assert_eq!(temporary_files(&env), Vec::<String>::new());
    let out = env.kg(&["timeline", "A1", "--format", "json"]);
    assert_exit(&out, 0);
    let sources = sources_in(&out);
    for i in acknowledged {
        assert!(
            sources.contains(&format!("crash test {i}")),
            "acknowledged write {i} was lost"
        );
    }
    assert_exit(&env.kg(&["check"]), 0);
    Ok(())
}

/// Kills `kg merge` and `kg undo` at random moments on a database of 50,000 relations.
/// After every kill the database checks clean and is whole: either as it was before
/// the write, or with the write complete (then history lists it last).
#[test]
fn merges_and_undos_killed_at_random_moments_are_all_or_nothing() -> TestResult {
    let env = Env::new();
    let mut rng = Rng(0xdead_beef_1234);
    let csv = env.write("events.csv", events_csv(5_000, 50_000, &mut rng));
    assert_exit(&env.kg(&["import", csv.to_str().unwrap_or_default()]), 0);
    let last_command = |env: &Env| {
        let out = env.kg(&["history", "--limit", "1", "--format", "json"]);
        json(&out)[0]["command"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let started = Instant::now();
    assert_exit(&env.kg(&["merge", "A0", "A1"]), 0);
    let whole = started.elapsed().as_micros() as u64 + 1;
    let mut interrupted = 0;
    for i in 0..16u64 {
        let args: Vec<String> = if i % 2 == 0 {
            let keep = 2 + i * 2;
            vec!["merge".into(), format!("A{keep}"), format!("A{}", keep + 1)]
        } else {
            vec!["undo".into()]
        };
        let before = export(&env);
        let cmd = env.command(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let finished = killed_at_random(cmd, whole, &mut |n| rng.below(n))?;
        assert_exit(&env.kg(&["check"]), 0);
        let after = export(&env);
        if after != before {
            assert!(
                last_command(&env).ends_with(&args.join(" ")),
                "write {i} ({args:?}) left a state history does not explain"
            );
        } else {
            assert!(
                !finished,
                "write {i} ({args:?}) reported success and changed nothing"
            );
            interrupted += 1;
        }
    }
    assert!(
        interrupted > 2,
        "only {interrupted} writes were interrupted before landing"
    );
    assert_eq!(temporary_files(&env), Vec::<String>::new());
    Ok(())
}

/// Kills Cypher writes (a SET over about a thousand entities) at random moments on a
/// database of 50,000 relations: after every kill the database checks clean, and the
/// query's change is there whole or not at all.
#[test]
fn query_writes_killed_at_random_moments_are_all_or_nothing() -> TestResult {
    let env = Env::new();
    let mut rng = Rng(0x5eed_cafe_0042);
    let csv = env.write("events.csv", events_csv(5_000, 50_000, &mut rng));
    assert_exit(&env.kg(&["import", csv.to_str().unwrap_or_default()]), 0);
    let flagged = |env: &Env, mark: &str| -> u64 {
        let out = env.kg(&[
            "query",
            &format!("MATCH (n) WHERE n.flag = '{mark}' RETURN count(n) AS n"),
            "--format",
            "json",
        ]);
        json(&out)[0]["n"].as_u64().unwrap_or(u64::MAX)
    };
    let set = |mark: &str| format!("MATCH (n) WHERE n.name STARTS WITH 'A1' SET n.flag = '{mark}'");
    let started = Instant::now();
    assert_exit(&env.kg(&["query", &set("first")]), 0);
    let whole = started.elapsed().as_micros() as u64 + 1;
    let all = flagged(&env, "first");
    assert!(all > 1_000, "only {all} entities flagged");
    let mut interrupted = 0;
    for i in 0..12u64 {
        let mark = format!("w{i}");
        let cmd = env.command(&["query", &set(&mark)]);
        let finished = killed_at_random(cmd, whole, &mut |n| rng.below(n))?;
        assert_exit(&env.kg(&["check"]), 0);
        match flagged(&env, &mark) {
            0 => {
                assert!(!finished, "write {i} reported success and changed nothing");
                interrupted += 1;
            }
            n => assert_eq!(n, all, "write {i} left {n} of {all} entities changed"),
        }
    }
    assert!(
        interrupted > 2,
        "only {interrupted} writes were interrupted before landing"
    );
    assert_eq!(temporary_files(&env), Vec::<String>::new());
    Ok(())
}

/// Every single-byte change and every truncation of a small database file is detected
/// by the loader, and a sample of them by the command line, with exit 2 and a message
/// naming the file; a damaged database refuses writes and stays as it was.
#[test]
fn every_byte_flip_and_truncation_of_a_database_is_detected() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let good = std::fs::read(env.db())?;
    let path = env.db();
    assert!(kg::storage::decode(&path, &good).is_ok());
    for at in 0..good.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[at] ^= mask;
            assert!(
                kg::storage::decode(&path, &bad).is_err(),
                "a change of byte {at} (^{mask:#x}) went unnoticed"
            );
        }
    }
    for len in 0..good.len() {
        assert!(
            kg::storage::decode(&path, &good[..len]).is_err(),
            "a cut to {len} bytes went unnoticed"
        );
    }

    let mut rng = Rng(7);
    for _ in 0..12 {
        let mut bad = good.clone();
        let at = rng.below(good.len() as u64) as usize;
        bad[at] ^= 1 + rng.below(255) as u8;
        std::fs::write(&path, &bad)?;
        for args in [&["stats"][..], &["check"]] {
            assert_error(&env.kg(args), "news.kgdb: ");
        }
        assert_error(
            &env.kg(&["add", "entity", "Lavrov", "--kind", "person"]),
            "news.kgdb: ",
        );
        assert_eq!(
            std::fs::read(&path)?,
            bad,
            "a damaged database was written to"
        );
    }
    std::fs::write(&path, &good)?;
    assert_exit(&env.kg(&["check"]), 0);
    Ok(())
}

/// Every single-byte change of a journal is an error naming the journal, and the
/// database refuses writes until it is repaired; a cut inside the last record is a
/// torn write, dropped with a note.
#[test]
fn every_byte_flip_of_a_journal_is_detected() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    assert_exit(
        &env.kg(&[
            "add",
            "relation",
            "Lavrov",
            "met",
            "Rubio",
            "--date",
            "2025-02-18",
        ]),
        0,
    );
    let journal = env.path("news.kgdb.journal");
    let good = std::fs::read(&journal)?;
    let snapshot = std::fs::read(env.db())?;
    for at in 0..good.len() {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        std::fs::write(&journal, &bad)?;
        let out = env.kg(&["stats"]);
        assert_error(&out, "news.kgdb.journal: ");
        if at % 16 == 0 {
            assert_error(
                &env.kg(&["add", "entity", "X", "--kind", "person"]),
                "journal",
            );
            assert_eq!(std::fs::read(&journal)?, bad);
            assert_eq!(std::fs::read(env.db())?, snapshot);
        }
    }
    // A cut inside the last record: it was never acknowledged as far as kg can tell.
    std::fs::write(&journal, &good[..good.len() - 3])?;
    let out = env.kg(&["show", "Lavrov"]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("news.kgdb.journal"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("Rubio"), "{}", stdout(&out));
    Ok(())
}

/// A header or record that claims an enormous size, with checksums that vouch for it,
/// fails at once rather than asking for the memory.
#[test]
fn huge_claimed_sizes_fail_without_allocating() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let good = std::fs::read(env.db())?;

    // The header's length field (the table's in formats 5 and 6, the payload's in format 4)
    // promises an exabyte, with a header checksum that vouches for it.
    let promising_an_exabyte = |file: &[u8]| {
        let mut bad = file.to_vec();
        bad[16..24].copy_from_slice(&(1u64 << 60).to_le_bytes());
        let crc = crc32fast::hash(&bad[..28]);
        bad[28..32].copy_from_slice(&crc.to_le_bytes());
        bad
    };
    std::fs::write(env.db(), promising_an_exabyte(&good))?;
    assert_error(&env.kg(&["stats"]), "truncated: the table of");
    let store = kg::storage::decode(&env.db(), &good)?;
    let good = kg::fuzzing::encode_database_v4(&store);
    std::fs::write(env.db(), promising_an_exabyte(&good))?;
    assert_error(&env.kg(&["stats"]), "truncated: the header promises");

    // A checksummed payload whose first list (the entities) claims 2^60 elements.
    let payload = kg::fuzzing::database_payload(&good).expect("a payload");
    let generation_len = match payload[0] {
        0..=250 => 1,
        251 => 3,
        252 => 5,
        _ => 9,
    };
    let mut forged = payload[..generation_len].to_vec();
    forged.push(253);
    forged.extend_from_slice(&(1u64 << 60).to_le_bytes());
    forged.extend_from_slice(&payload[generation_len + 1..]);
    std::fs::write(env.db(), kg::fuzzing::seal_database(&forged))?;
    assert_error(&env.kg(&["check"]), "the payload does not decode");
    Ok(())
}

/// Four writers adding at once lose nothing, and readers running meanwhile always
/// see a whole state (the old or the new), never an error or a mix.
#[test]
fn concurrent_writers_lose_nothing_and_readers_see_whole_states() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    let before = relation_count(&env);
    let (writers, each) = (4u64, 6u64);
    let done = std::sync::atomic::AtomicBool::new(false);
    let mut seen = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let env = &env;
                scope.spawn(move || {
                    for i in 0..each {
                        let source = format!("writer {w} write {i}");
                        let mut cmd = env.command(&[
                            "add",
                            "relation",
                            "Rubio",
                            "met",
                            "Naryshkin",
                            "--source",
                            &source,
                        ]);
                        if w == 0 {
                            // This writer compacts every time: readers race snapshots too.
                            cmd.env("KG_JOURNAL_LIMIT", "1");
                        }
                        let out = cmd.output().expect("kg runs");
                        assert_exit(&out, 0);
                    }
                })
            })
            .collect();
        let reader = scope.spawn(|| {
            let mut counts = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                counts.push(relation_count(&env));
                assert_exit(&env.kg(&["check"]), 0);
            }
            counts
        });
        let finished: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        seen = reader.join().expect("the reader");
        for result in finished {
            result.expect("a writer");
        }
    });
    let after = before + writers * each;
    assert_eq!(relation_count(&env), after);
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "a reader went back in time: {seen:?}"
    );
    assert!(
        seen.iter().all(|&c| (before..=after).contains(&c)),
        "{seen:?}"
    );
    let out = env.kg(&["timeline", "Rubio", "--format", "json"]);
    let sources = sources_in(&out);
    for w in 0..writers {
        for i in 0..each {
            assert!(sources.contains(&format!("writer {w} write {i}")));
        }
    }
    assert_eq!(temporary_files(&env), Vec::<String>::new());
    Ok(())
}

/// Malformed imports of every format end with exit 2, `file:line` and what was
/// expected, and leave the database byte for byte as it was.
#[test]
fn malformed_imports_name_the_line_and_change_nothing() -> TestResult {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    let big = "x".repeat(5 << 20);
    let cases: Vec<(&str, Vec<u8>, &[&str], &str)> = vec![
        ("empty.kg", b"".to_vec(), &[], "empty.kg:1: empty file"),
        (
            "blank.jsonl",
            b"\n\n".to_vec(),
            &[],
            "blank.jsonl:1: empty file",
        ),
        (
            "empty.csv",
            b"".to_vec(),
            &[],
            "empty.csv:1: empty file: expected a header",
        ),
        (
            "date.csv",
            b"from,type,to,date\nPutin,met,Trump,2025-13-45\n".to_vec(),
            &[],
            "date.csv:2: column 'date': bad date '2025-13-45': month must be 01 to 12",
        ),
        (
            "date.kg",
            b"Putin -[met]- Trump @ 2025-02-30\n".to_vec(),
            &[],
            "date.kg:1:23: bad date '2025-02-30'",
        ),
        (
            "columns.csv",
            b"from,type\nPutin,met\n".to_vec(),
            &[],
            "columns.csv:1: expected a header with from,type,to",
        ),
        (
            "ragged.csv",
            b"from,type,to,date\nPutin,met,Trump\n".to_vec(),
            &[],
            "ragged.csv:2: expected 4 fields as in the header, found 3",
        ),
        (
            "utf8.csv",
            b"from,type,to\nPutin\xff,met,Trump\n".to_vec(),
            &[],
            "utf8.csv:2: invalid UTF-8",
        ),
        (
            "utf8.kg",
            b"person Lavrov\nperson \"Sergei\xc0 Lavrov\"\n".to_vec(),
            &[],
            "utf8.kg:2:",
        ),
        (
            "big.csv",
            format!("from,type,to,quote\nPutin,met,Trump,{big}\n").into_bytes(),
            &[],
            "big.csv:2: column 'quote': field of 5242880 bytes: the limit is 65536",
        ),
        (
            "type.kg",
            b"Putin -[zapped]-> Trump\n".to_vec(),
            &[],
            "type.kg:1:9: undeclared relation type 'zapped'",
        ),
        (
            "entity.kg",
            b"Putin -[met]- Nobody @ 2025-01-01\n".to_vec(),
            &[],
            "entity.kg:1:15: undeclared entity 'Nobody'",
        ),
        (
            "twice.kg",
            b"person Shoigu\nperson Shoigu\n".to_vec(),
            &[],
            "twice.kg:2:1: entity 'Shoigu' is already declared at ",
        ),
        (
            "twice-type.kg",
            b"type hailed directed\ntype hailed symmetric\n".to_vec(),
            &[],
            "twice-type.kg:2:1: relation type 'hailed' is already declared",
        ),
        (
            "strict.csv",
            b"from,type,to\nPutin,met,Nobody\n".to_vec(),
            &["--strict"],
            "strict.csv:2: undeclared entity 'Nobody'",
        ),
        (
            "record.jsonl",
            b"{\"record\":\"entity\",\"name\":\"Shoigu\",\"kind\":\"person\"\n".to_vec(),
            &[],
            "record.jsonl:1:",
        ),
        (
            "field.jsonl",
            b"{\"record\":\"entity\",\"name\":\"Shoigu\",\"kind\":\"person\",\"rank\":1}\n"
                .to_vec(),
            &[],
            "field.jsonl:1: unknown field 'rank'",
        ),
        (
            "name.csv",
            format!("name,kind\n{},person\n", "N".repeat(2000)).into_bytes(),
            &[],
            "name.csv:2:",
        ),
    ];
    let before = state(&env);
    for (name, contents, flags, expected) in cases {
        let file = env.write(name, &contents);
        let mut args = vec!["import"];
        args.extend_from_slice(flags);
        args.push(file.to_str().unwrap_or_default());
        let out = env.kg(&args);
        assert_error(&out, expected);
        assert_eq!(state(&env), before, "{name} changed the database");
    }
    Ok(())
}

/// Names with commas, quotes, newlines, tabs, DOT and JSON syntax and bidirectional
/// controls cannot break the table, CSV, JSON or DOT output or inject into it.
#[test]
fn hostile_names_cannot_break_any_output() -> TestResult {
    let env = Env::new();
    let hostile = [
        "Comma, Inc.",
        "Say \"hi\"",
        "Two\nLines",
        "Tab\there",
        "\"]; evil -> x; [label=\"",
        "}{\"a\":1}",
        "right\u{202e}left",
        "back\\slash",
    ];
    let mut source = String::from("type met symmetric\n");
    for name in hostile {
        source.push_str(&format!("person {}\n", kg::source::kg::quote(name)));
    }
    for pair in hostile.windows(2) {
        source.push_str(&format!(
            "{} -[met]- {} @ 2025-01-01 source={}\n",
            kg::source::kg::quote(pair[0]),
            kg::source::kg::quote(pair[1]),
            kg::source::kg::quote(pair[1]),
        ));
    }
    let file = env.write("hostile.kg", source);
    assert_exit(&env.kg(&["import", file.to_str().unwrap_or_default()]), 0);
    let (first, last) = (hostile[0], hostile[hostile.len() - 1]);

    // JSON: parses, and gives every name back exactly.
    let out = env.kg(&["path", first, last, "--format", "json"]);
    assert_exit(&out, 0);
    let names: Vec<String> = json(&out)["nodes"]
        .as_array()
        .expect("the path's nodes")
        .iter()
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect();
    let expected: Vec<String> = hostile.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, expected, "{}", stdout(&out));

    // CSV: one record per relation, each name in its field exactly.
    let out = env.kg(&["timeline", "--format", "csv"]);
    assert_exit(&out, 0);
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let headers = reader.headers()?.clone();
    let from = headers
        .iter()
        .position(|h| h == "from")
        .expect("a from column");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), hostile.len() - 1);
    for (row, pair) in rows.iter().zip(hostile.windows(2)) {
        assert!(pair.contains(&&row[from]), "{:?}", &row[from]);
    }

    // Table: one line per relation, with no raw control character.
    let out = env.kg(&["timeline"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), hostile.len() - 1, "{text}");
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{text:?}"
    );

    // DOT: Graphviz parses it (when installed) into exactly these nodes.
    let out = env.kg(&["export", "dot", "--no-legend"]);
    assert_exit(&out, 0);
    if let Ok(json_out) = std::process::Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(&out.stdout)?;
            child.wait_with_output()
        })
    {
        assert!(json_out.status.success(), "{}", stdout(&out));
        let graph: serde_json::Value = serde_json::from_slice(&json_out.stdout)?;
        let nodes = graph["objects"].as_array().map_or(0, Vec::len);
        let edges = graph["edges"].as_array().map_or(0, Vec::len);
        assert_eq!((nodes, edges), (hostile.len(), hostile.len() - 1));
    }
    Ok(())
}

/// A damaged order by other end (its checksums rewritten to vouch for it, as only a
/// fault past the checksums could leave it) loses no chronological path: the search
/// that halves lists falls back to reading them whole, and `kg check` reports it.
#[test]
fn a_damaged_order_by_other_end_loses_no_path() -> TestResult {
    let env = Env::new();
    // Entities with hundreds of relations each, so that the lists are halved.
    let csv = env.write("events.csv", events_csv(40, 4_000, &mut Rng(0x0bd3)));
    assert_exit(&env.kg(&["import", csv.to_str().unwrap_or_default()]), 0);
    let pairs: Vec<String> = (1..16).map(|i| format!("A0,A{i}")).collect();
    let pairs = env.write("pairs.csv", format!("from,to\n{}\n", pairs.join("\n")));
    let paths = |env: &Env| {
        let pairs = pairs.to_str().unwrap_or_default();
        stdout(&env.kg(&["path", "--pairs", pairs, "--chronological"]))
    };
    // What the search examined: more once halving finds nothing and lists are read.
    let work = |env: &Env| {
        let out = env.kg(&["path", "A0", "A7", "--chronological", "--explain"]);
        stderr(&out)
            .lines()
            .filter(|l| l.contains("work:"))
            .collect::<String>()
    };
    let (before, work_before) = (paths(&env), work(&env));
    assert!(before.lines().count() > 15, "{before}");
    let mut bytes = std::fs::read(env.db())?;
    let word = |b: &[u8], at: usize, n: usize| {
        b[at..at + n]
            .iter()
            .rev()
            .fold(0u64, |v, &x| v << 8 | u64::from(x)) as usize
    };
    let table_end = 32 + word(&bytes, 16, 8);
    let mut found = false;
    for at in (32..table_end).step_by(32) {
        let (number, offset, len) = (
            word(&bytes, at, 4),
            word(&bytes, at + 8, 8),
            word(&bytes, at + 16, 8),
        );
        if number == 18 {
            // Every position points past the lists: halving finds nothing.
            bytes[offset..offset + len].fill(0xff);
            found = len > 0;
        }
        let crc = crc32fast::hash(&bytes[offset..offset + len]);
        bytes[at + 24..at + 28].copy_from_slice(&crc.to_le_bytes());
    }
    assert!(found, "a format-7 file holds the order by other end");
    let crc = crc32fast::hash(&bytes[32..table_end]);
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
    let crc = crc32fast::hash(&bytes[..28]);
    bytes[28..32].copy_from_slice(&crc.to_le_bytes());
    std::fs::write(env.db(), &bytes)?;
    assert_eq!(paths(&env), before);
    assert_ne!(
        work(&env),
        work_before,
        "the lists were halved before the damage"
    );
    assert_error(&env.kg(&["check"]), "order by entity");
    Ok(())
}
