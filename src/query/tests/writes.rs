//! Queries that write, on copies of the bundled graph: CREATE, SET, REMOVE, DELETE and
//! MERGE by kg's rules. Compiled only for tests: its parent is declared under #[cfg(test)].
use super::*;

#[test]
fn create_makes_entities_and_relations_by_kgs_rules() {
    let mut store = bundled_graph().unwrap();
    let ran = write(
        &mut store,
        "MATCH (n {name: 'Naryshkin'}) CREATE (a:person {name: 'Alice', born: 1970})-[r:phoned {date: '2025-03', status: 'claimed', channel: 'signal'}]->(n) RETURN a.born, type(r), r.date, r.status, r.channel",
    )
    .unwrap();
    assert_eq!(
        first_row(&store, &ran),
        ["1970", "phoned", "2025-03", "claimed", "signal"]
    );
    let expected = Changes {
        entities_created: 1,
        relations_created: 1,
        properties_set: 5,
        labels_added: 1,
        ..Changes::default()
    };
    assert_eq!(ran.changes, expected);
    assert_eq!(
        read(
            &store,
            "MATCH (:person {name: 'Alice'})-[r]->(n) RETURN n.name, r.date"
        ),
        [["Naryshkin", "2025-03"]]
    );
    // A type is declared on first use, and a later MATCH of the same query finds it.
    let ran = write(
        &mut store,
        "MATCH (a {name: 'Alice'}), (b {name: 'Trump'}) CREATE (a)-[:praised]->(b) WITH a MATCH (a)-[:praised]->(x) RETURN x.name",
    )
    .unwrap();
    assert_eq!(ran.table.rows.len(), 1);
    assert!(store.find_type("praised").is_some());
    // Rows from UNWIND each make one; a query that only writes returns no columns.
    let ran = write(
        &mut store,
        "UNWIND ['X1', 'X2'] AS n CREATE (:country {name: n})",
    )
    .unwrap();
    assert!(ran.table.columns.is_empty());
    assert_eq!(ran.changes.entities_created, 2);
    assert_eq!(
        read(
            &store,
            "MATCH (c:country) WHERE c.name STARTS WITH 'X' RETURN count(c)"
        ),
        [["2"]]
    );
    for (query, error) in [
        ("CREATE (n:person)", "an entity needs a name"),
        ("CREATE (n:person:country {name: 'Z'})", "one kind"),
        (
            "CREATE (a {name: 'Q'})-[:t]-(b {name: 'R'})",
            "one direction",
        ),
        ("CREATE ({name: 'Putin'})", "Putin"),
        (
            "MATCH (a {name: 'Putin'}) CREATE (a {name: 'P'})",
            "already bound",
        ),
        ("CREATE (a {name: 'Q', tags: [1, 2]})", "not a list"),
        (
            "CREATE (a {name: 'Q'})-[:met {date: 'soon'}]->(b {name: 'R'})",
            "date 'soon'",
        ),
    ] {
        let e = write(&mut store, query).unwrap_err().to_string();
        assert!(e.contains(error), "{query}: {e}");
    }
}

#[test]
fn set_remove_and_delete_change_what_rows_hold() {
    let mut store = bundled_graph().unwrap();
    write(&mut store, "CREATE (:person {name: 'Alice', born: 1970})").unwrap();
    let ran = write(
        &mut store,
        "MATCH (a {name: 'Alice'}) SET a.born = null, a.city = 'Paris', a:organization RETURN a.city, a.kind, a.born",
    )
    .unwrap();
    assert_eq!(first_row(&store, &ran), ["Paris", "organization", ""]);
    assert_eq!(
        (
            ran.changes.properties_set,
            ran.changes.properties_removed,
            ran.changes.labels_added
        ),
        (1, 1, 1)
    );
    write(
        &mut store,
        "MATCH (a {name: 'Alice'}) SET a += {city: 'Oslo', rank: 2}",
    )
    .unwrap();
    assert_eq!(
        read(&store, "MATCH (a {name: 'Alice'}) RETURN a.city, a.rank"),
        [["Oslo", "2"]]
    );
    write(&mut store, "MATCH (a {name: 'Alice'}) SET a = {rank: 3}").unwrap();
    assert_eq!(
        read(&store, "MATCH (a {name: 'Alice'}) RETURN a.city, a.rank"),
        [["", "3"]]
    );
    write(
        &mut store,
        "MATCH (a {name: 'Alice'}) REMOVE a.rank, a:organization",
    )
    .unwrap();
    assert_eq!(
        read(&store, "MATCH (a {name: 'Alice'}) RETURN a.kind, keys(a)"),
        [["other", "['name']"]]
    );
    // A relationship's evidence is set as its fields; its type cannot change.
    write(
        &mut store,
        "MATCH (a {name: 'Trump'})-[r:phoned]->(b) SET r.grade = 'B2', r.status = 'confirmed', r.quote = 'a long call'",
    )
    .unwrap();
    assert_eq!(
        read(
            &store,
            "MATCH (a {name: 'Trump'})-[r:phoned]->(b) RETURN r.grade, r.status, r.quote"
        ),
        [["B2", "confirmed", "a long call"]]
    );
    let e = write(&mut store, "MATCH ()-[r:phoned]->() SET r.type = 'met'").unwrap_err();
    assert!(e.to_string().contains("type cannot change"), "{e}");
    // An entity with relations goes only with DETACH DELETE, and takes them with it.
    let e = write(&mut store, "MATCH (n {name: 'Naryshkin'}) DELETE n").unwrap_err();
    assert!(e.to_string().contains("DETACH DELETE"), "{e}");
    let ran = write(&mut store, "MATCH (n {name: 'Naryshkin'}) DETACH DELETE n").unwrap();
    assert_eq!(
        (ran.changes.entities_deleted, ran.changes.relations_deleted),
        (1, 5)
    );
    assert!(store.by_name("Naryshkin").is_none());
    let ran = write(
        &mut store,
        "MATCH ()-[r:agreed]->() DELETE r RETURN count(*) AS n",
    )
    .unwrap();
    assert_eq!(ran.changes.relations_deleted, 2);
}

#[test]
fn merge_matches_or_makes_and_reads_refuse_writes() {
    let mut store = bundled_graph().unwrap();
    let q = "MERGE (c:country {name: 'Chile'}) ON CREATE SET c.new = true ON MATCH SET c.seen = true RETURN c.new, c.seen";
    let first = write(&mut store, q).unwrap();
    assert_eq!(first.changes.entities_created, 1);
    assert_eq!(first_row(&store, &first), ["true", ""]);
    let second = write(&mut store, q).unwrap();
    assert_eq!(second.changes.entities_created, 0);
    assert_eq!(first_row(&store, &second), ["true", "true"]);
    // Trump phoned Putin: merging that finds it; the other way round makes one.
    let merge = |from: &str, to: &str| {
        format!(
            "MATCH (a {{name: '{from}'}}), (b {{name: '{to}'}}) MERGE (a)-[r:phoned]->(b) RETURN count(r)"
        )
    };
    let found = write(&mut store, &merge("Trump", "Putin")).unwrap();
    assert_eq!(found.changes.relations_created, 0);
    // phoned is symmetric: the other way round is the same relation.
    let same = write(&mut store, &merge("Putin", "Trump")).unwrap();
    assert_eq!(same.changes.relations_created, 0);
    let made = write(
        &mut store,
        "MATCH (a {name: 'Putin'}), (b {name: 'Trump'}) MERGE (a)-[r:president_of]->(b) RETURN count(r)",
    )
    .unwrap();
    assert_eq!(made.changes.relations_created, 1);
    let e = run(&store, "CREATE (n {name: 'X'})", &Params::new()).unwrap_err();
    assert!(e.to_string().contains("CREATE changes the graph"), "{e}");
    assert_eq!(
        updating_clause("MATCH (n) DETACH DELETE n"),
        Some("DETACH DELETE")
    );
    assert_eq!(updating_clause("MATCH (n) RETURN n"), None);
}

#[test]
fn merge_sees_earlier_rows_and_kgs_identity() {
    let mut store = bundled_graph().unwrap();
    // A new type: the first row makes the relation, the others find it.
    let ran = write(
        &mut store,
        "UNWIND [1, 2, 3] AS i MATCH (a {name: 'Putin'}), (b {name: 'Trump'}) MERGE (a)-[:brandnew]->(b)",
    )
    .unwrap();
    assert_eq!(ran.changes.relations_created, 1);
    // A symmetric type is found either way round (Trump agreed Putin is stored).
    let ran = write(
        &mut store,
        "MATCH (a {name: 'Trump'}), (b {name: 'Putin'}) MERGE (b)-[:agreed]->(a)",
    )
    .unwrap();
    assert_eq!(ran.changes.relations_created, 0);
    let e = write(
        &mut store,
        "MATCH (a {name: 'Putin'}), (b {name: 'Trump'}) MERGE (a)-[:phoned {date: null}]-(b)",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("MERGE cannot match on date: null"),
        "{e}"
    );
    // A rename keeps the old name as an alias, as kg rename does; booleans read back.
    write(
        &mut store,
        "MATCH (n {name: 'Rubio'}) SET n.name = 'Marco Rubio', n.flag = true",
    )
    .unwrap();
    assert_eq!(
        read(
            &store,
            "MATCH (n {name: 'Marco Rubio'}) RETURN 'Rubio' IN n.aliases, n.flag = true"
        ),
        [["true", "true"]]
    );
    // DELETE of an entity and all its relations needs no DETACH, in any order.
    let ran = write(
        &mut store,
        "MATCH (a {name: 'Politico'})-[r]-() DELETE a, r",
    )
    .unwrap();
    assert_eq!(
        (ran.changes.entities_deleted, ran.changes.relations_deleted),
        (1, 1)
    );
}
