//! The query engine on the bundled graph: reads, and writes on a copy of it. Compiled
//! only for tests: `mod.rs` declares the module under #[cfg(test)].
use super::*;
use crate::bundled_graph;
use crate::store::Store;

fn rows(q: &str) -> Vec<Vec<String>> {
    let store = bundled_graph().unwrap();
    let table = run(&store, q, &Params::new()).unwrap_or_else(|e| panic!("{e}"));
    table
        .rows
        .iter()
        .map(|r| r.iter().map(|v| cell_text(&store, v)).collect())
        .collect()
}

#[test]
fn who_heads_what() {
    assert_eq!(
        rows("MATCH (p:person)-[:heads]->(o) RETURN p.name, o.name ORDER BY p.name"),
        [["Naryshkin", "SVR"], ["Ratcliffe", "CIA"]]
    );
}

#[test]
fn anchored_paths_and_aggregates() {
    assert_eq!(
        rows(
            "MATCH p = shortestPath((a {name: 'Naryshkin'})-[*]-(b {name: 'Putin'})) RETURN length(p)"
        ),
        [["3"]]
    );
    let counted = rows("MATCH (n) RETURN count(*) AS n");
    assert_eq!(counted, [["21"]]);
    assert_eq!(rows("MATCH (n {name: 'Nobody'}) RETURN count(n)"), [["0"]]);
}

#[test]
fn label_predicates_exists_and_uniqueness() {
    assert_eq!(
        rows("MATCH (n) WHERE n:organization AND exists(n.title) RETURN n.name ORDER BY n.name"),
        [["CIA"], ["NATO"], ["SVR"]]
    );
    // Relationships are unique within a MATCH: no walking back over the same one.
    assert_eq!(
        rows("MATCH (a {name: 'Naryshkin'})-[:heads]-(b)-[:heads]-(c) RETURN count(*)"),
        [["0"]]
    );
    // Across MATCH clauses they may repeat.
    assert_eq!(
        rows("MATCH (a {name: 'Naryshkin'})-[:heads]-(b) MATCH (b)-[:heads]-(c) RETURN c.name"),
        [["Naryshkin"]]
    );
    // Direction is as stored, also for symmetric types.
    assert_eq!(
        rows("MATCH (:person {name: 'Putin'})-[:agreed]->(x) RETURN x"),
        Vec::<Vec<String>>::new()
    );
    assert_eq!(
        rows("MATCH (:person {name: 'Putin'})-[:agreed]-(x) RETURN x"),
        [["Trump"]]
    );
}

#[test]
fn list_comprehensions_predicates_and_functions() {
    assert_eq!(
        rows(
            "MATCH p = shortestPath((a {name: 'Naryshkin'})-[*]-(b {name: 'Putin'})) RETURN [n IN nodes(p) | n.name], all(r IN relationships(p) WHERE r.date IS NULL)"
        ),
        [["['Naryshkin', 'SVR', 'Russia', 'Putin']", "true"]]
    );
    assert_eq!(
        rows(
            "RETURN [x IN [1, 2, 3] WHERE x > 1 | x * 10], any(x IN [1, null] WHERE x = 2), single(x IN [1, 2] WHERE x = 2)"
        ),
        [["[20, 30]", "", "true"]]
    );
    assert_eq!(
        rows(
            "RETURN substring('Naryshkin', 1, 3), replace('aa', 'a', 'b'), split('a,b', ','), left('abc', 2), right('abc', 2), head([3, 4]), last([3, 4]), reverse('ab')"
        ),
        [["ary", "bb", "['a', 'b']", "ab", "bc", "3", "4", "ba"]]
    );
}

fn error(q: &str) -> String {
    let store = bundled_graph().unwrap();
    run(&store, q, &Params::new()).unwrap_err().to_string()
}

/// Bugs a review found (each was a crash or a wrong answer).
#[test]
fn review_regressions() {
    let none = Vec::<Vec<String>>::new();
    assert_eq!(
        rows("MATCH (n {name: [x IN ['Putin'] | x][0]}) RETURN n.name"),
        [["Putin"]]
    );
    assert_eq!(
        rows("RETURN 1 AS one LIMIT size([x IN [1, 2] | x])"),
        [["1"]]
    );
    let deep = format!("RETURN {}1{}", "(".repeat(3000), ")".repeat(3000));
    assert!(error(&deep).contains("nests more than"));
    assert_eq!(
        rows("MATCH (n:place) RETURN n.name, exists((n)-[:heads]->()) ORDER BY n.name"),
        [["Istanbul", "false"], ["The Hague", "false"]]
    );
    assert_eq!(
        rows("MATCH p = shortestPath((a {name: 'Putin'})-[*0..2]-(a)) RETURN a.name, length(p)"),
        [["Putin", "0"]]
    );
    assert_eq!(
        rows(
            "MATCH (a {name: 'Naryshkin'})-[r1:heads]->(b), p = shortestPath((b)-[*..3]-(c {name: 'Russia'})), (b)<-[r2:heads]-(d) RETURN d.name"
        ),
        none
    );
    assert!(error("MATCH (a)-[r]->(b)-[r]->(c) RETURN count(*)").contains("appears twice"));
    assert_eq!(
        rows("RETURN [x IN null | x] IS NULL, [1, 2] < [1, 3], toInteger('2.9'), split('abc', '')"),
        [["true", "true", "2", "['a', 'b', 'c']"]]
    );
    assert!(error("MATCH (n:person) RETURN sum(n.name)").contains("sum() of a string"));
    assert_eq!(
        rows("MATCH (n) RETURN DISTINCT 9007199254740992 + size(n.name) % 2 AS x ORDER BY x").len(),
        2
    );
    assert_eq!(
        rows(
            "MATCH p = (a)-[:heads]->(b) RETURN [n IN nodes(p) WHERE (n)-[:part_of]->() | n.name] AS l ORDER BY l"
        ),
        [["['CIA']"], ["['SVR']"]]
    );
    assert_eq!(
        rows("MATCH (a:person) RETURN a.name AS n ORDER BY size(n), n LIMIT 2"),
        [["Putin"], ["Rubio"]]
    );
    assert_eq!(
        rows("MATCH (a)-[:heads]->(b) RETURN DISTINCT b ORDER BY b.name"),
        [["CIA"], ["SVR"]]
    );
    assert_eq!(
        rows("RETURN 1<-1, 1e3, 2.5E-1"),
        [["false", "1000.0", "0.25"]]
    );
    assert!(
        error("MATCH (a:person) WHERE (a)-[:heads]->(o) MATCH (o:organization) RETURN a")
            .contains("not defined")
    );
    assert!(error("RETURN abs(-9223372036854775807 - 1)").contains("overflow"));
}

#[test]
fn case_takes_the_first_branch_that_holds() {
    assert_eq!(
        rows(
            "MATCH (p:person) WHERE p.name IN ['Putin', 'Trump', 'Rubio'] \
              RETURN p.name, CASE p.name WHEN 'Putin' THEN 'Kremlin' WHEN 'Trump' THEN 'White House' END AS seat \
              ORDER BY p.name"
        ),
        [
            ["Putin", "Kremlin"],
            ["Rubio", ""],
            ["Trump", "White House"]
        ]
    );
    assert_eq!(
        rows(
            "MATCH (a)-[r:phoned]-(b) WHERE a.name < b.name \
              RETURN CASE WHEN r.status = 'claimed' THEN 'claim' WHEN r.date < date('2025-06') THEN 'early' ELSE 'other' END AS k, \
              count(*) ORDER BY k"
        ),
        [["claim", "1"], ["early", "1"]]
    );
    // A variable named case is still a variable.
    assert_eq!(
        rows("MATCH (case:person {name: 'Putin'}) RETURN case.name"),
        [["Putin"]]
    );
}

#[test]
fn nulls_and_grouping() {
    assert_eq!(
        rows("MATCH (a)-[r:heads]->(b) RETURN r.date IS NULL AS undated, count(*) AS n"),
        [["true", "2"]]
    );
    assert_eq!(
        rows("MATCH (a)-[r:phoned]->(b) WHERE r.grade = 'B2' RETURN a"),
        Vec::<Vec<String>>::new()
    );
    assert_eq!(
        rows("MATCH (a:person) RETURN DISTINCT size(a.aliases) > 2 AS many ORDER BY many"),
        [["false"], ["true"]]
    );
}

/// The plan finds these before any row: a query that matches nothing reports them.
#[test]
fn planning_errors_need_no_rows() {
    let nobody = "MATCH (a) WHERE a.name = 'Nobody'";
    let unknown_function = error(&format!("{nobody} RETURN foo(a)"));
    assert!(
        unknown_function.contains("function foo() is not supported"),
        "{unknown_function}"
    );
    let undefined = error(&format!("{nobody} AND (b)-->() RETURN a"));
    assert!(
        undefined.contains("`b` in a pattern predicate"),
        "{undefined}"
    );
    for (query, says) in [
        (
            "MATCH (n) RETURN type(n)",
            "type() does not take `n`: it is a node",
        ),
        ("MATCH ()-[r]->() RETURN length(r)", "it is a relationship"),
        ("MATCH p = ()-->() RETURN size(p)", "it is a path"),
        ("RETURN [x IN [1] | count(x)]", "count() aggregates"),
        ("RETURN 1 / 0 + x", "variable `x` is not defined"),
        (
            "RETURN reduce(s = 0, x IN [1] | s + x)",
            "reduce() is not supported",
        ),
    ] {
        let e = error(query);
        assert!(e.contains(says), "{query}: {e}");
    }
    // A comprehension's variable is its own: no node there.
    assert_eq!(
        rows("MATCH (n {name: 'CIA'}) RETURN [n IN ['ab'] | size(n)] AS l"),
        [["[2]"]]
    );
}

/// A kind or type no entity or relation has matches nothing; the hints name the
/// nearest that exist.
#[test]
fn unknown_kinds_and_types_match_nothing_with_a_hint() {
    let store = bundled_graph().unwrap();
    let ran = run_with(
        &store,
        "MATCH (n:persn)-[:phonned]->() RETURN n",
        &Params::new(),
        Options::default(),
    )
    .unwrap();
    assert!(ran.table.rows.is_empty());
    assert!(ran.hints[0].contains("no entity has kind 'persn' (did you mean person?)"));
    assert!(ran.hints[1].contains("no relation has type 'phonned' (did you mean phoned?)"));
    assert_eq!(
        rows("MATCH (a)-[:nosuch|heads]->(b) RETURN count(*)"),
        [["2"]]
    );
}

#[test]
fn with_pipes_projects_groups_and_filters() {
    assert_eq!(
        rows(
            "MATCH (a)-[r]->() WITH a, count(r) AS n WHERE n >= 4 RETURN a.name, n ORDER BY a.name"
        ),
        [["Naryshkin", "5"], ["Trump", "4"]]
    );
    // A streaming WITH: the carried node anchors the next MATCH.
    assert_eq!(
        rows(
            "MATCH (:person {name: 'Naryshkin'})-[:heads]->(o) WITH o MATCH (o)-[:part_of]->(c) RETURN c.name"
        ),
        [["Russia"]]
    );
    assert_eq!(
        rows(
            "MATCH (a)-[r]->() WITH a, count(*) AS n ORDER BY n DESC, a.name LIMIT 2 RETURN collect(a.name) AS top"
        ),
        [["['Naryshkin', 'Trump']"]]
    );
    assert_eq!(
        rows("MATCH (a {name: 'Putin'}) WITH * RETURN a.name"),
        [["Putin"]]
    );
    assert_eq!(rows("WITH 1 AS x WITH x + 1 AS y RETURN y * 10"), [["20"]]);
    assert_eq!(
        rows("MATCH (n) WITH DISTINCT n.kind AS kind RETURN count(*)"),
        [["6"]]
    );
    let store = bundled_graph().unwrap();
    for (query, error) in [
        (
            "MATCH (a)-->(b) WITH a RETURN b",
            "variable `b` is not defined",
        ),
        ("MATCH (a) WITH a.name RETURN 1", "needs a name"),
        (
            "MATCH (a) WITH a AS x WHERE a.name = 'P' RETURN x",
            "`a` is not defined",
        ),
        ("RETURN 1 AS a UNION RETURN 2 AS b", "the same columns"),
    ] {
        let e = run(&store, query, &Params::new()).unwrap_err().to_string();
        assert!(e.contains(error), "{query}: {e}");
    }
}

#[test]
fn optional_match_unwind_and_union() {
    assert_eq!(
        rows(
            "MATCH (p:person) OPTIONAL MATCH (p)-[:heads]->(o) RETURN p.name, o.name ORDER BY p.name"
        ),
        [
            ["Estonian foreign minister", ""],
            ["Naryshkin", "SVR"],
            ["Putin", ""],
            ["Ratcliffe", "CIA"],
            ["Rubio", ""],
            ["Trump", ""]
        ]
    );
    // WHERE belongs to the optional pattern: a row it rules out keeps its person.
    assert_eq!(
        rows(
            "MATCH (p:person) OPTIONAL MATCH (p)-[:heads]->(o) WHERE o.name = 'CIA' RETURN p.name, count(o) AS n ORDER BY n DESC, p.name LIMIT 2"
        ),
        [["Ratcliffe", "1"], ["Estonian foreign minister", "0"]]
    );
    // A null from an OPTIONAL MATCH matches nothing later.
    assert_eq!(
        rows(
            "MATCH (p {name: 'Putin'}) OPTIONAL MATCH (p)-[:heads]->(o) OPTIONAL MATCH (o)-[:part_of]->(c) RETURN p.name, o, c"
        ),
        [["Putin", "", ""]]
    );
    assert_eq!(
        rows(
            "UNWIND ['Trump', 'Nobody', 'Putin'] AS name MATCH (p {name: name}) RETURN p.name ORDER BY p.name"
        ),
        [["Putin"], ["Trump"]]
    );
    assert_eq!(
        rows("UNWIND [[1, 2], null, 3] AS x UNWIND x AS y RETURN collect(y) AS ys"),
        [["[1, 2, 3]"]]
    );
    assert_eq!(
        rows(
            "MATCH (a {name: 'Putin'}) RETURN a.name AS n UNION MATCH (b {name: 'Putin'}) RETURN b.name AS n"
        ),
        [["Putin"]]
    );
    assert_eq!(
        rows("RETURN 1 AS n UNION ALL RETURN 1 AS n UNION ALL RETURN 2 AS n").len(),
        3
    );
}

#[test]
fn errors_show_the_line_and_a_caret() {
    let store = bundled_graph().unwrap();
    let e = run(&store, "MATCH (n)\nRETURN m", &Params::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "query:2:8: variable `m` is not defined\n  RETURN m\n         ^"
    );
}

#[test]
fn params_parse_by_their_look() {
    assert_eq!(parse_param("n=3").unwrap(), ("n".into(), Value::Int(3)));
    assert_eq!(
        parse_param("who=Putin").unwrap(),
        ("who".into(), Value::Str("Putin".into()))
    );
    assert_eq!(
        parse_param("s='42'").unwrap(),
        ("s".into(), Value::Str("42".into()))
    );
    assert!(parse_param("novalue").is_err());
    assert_eq!(
        parse_param("names=[\"Putin\", 2]").unwrap().1,
        Value::List(vec![Value::Str("Putin".into()), Value::Int(2)])
    );
}

#[test]
fn maps_are_values() {
    assert_eq!(
        rows("WITH {b: 2, a: [1, null]} AS m RETURN m, m.a, m['b'], keys(m), m.c"),
        [["{a: [1, null], b: 2}", "[1, null]", "2", "['a', 'b']", ""]]
    );
    assert_eq!(
        rows(
            "MATCH (n {name: 'Ratcliffe'}) RETURN n {.name, .nothing, letters: size(n.name)} AS card"
        ),
        [["{letters: 9, name: 'Ratcliffe', nothing: null}"]]
    );
    assert_eq!(
        rows("MATCH (n {name: 'Putin'}) RETURN keys(properties(n)) AS p, properties(n).title"),
        [["['name', 'title']", "President of Russia"]]
    );
    assert_eq!(
        rows("RETURN {a: 1} = {a: 1.0} AS same, {a: null} = {a: null} AS unknown"),
        [["true", ""]]
    );
}

#[test]
fn pattern_comprehensions_exists_subqueries_slices_and_dates() {
    assert_eq!(
        rows(
            "MATCH (n {name: 'Naryshkin'}) RETURN [(n)-[r]->(o) WHERE type(r) = 'heads' | o.name] AS heads"
        ),
        [["['SVR']"]]
    );
    assert_eq!(
        rows(
            "MATCH (n:person) WHERE EXISTS { MATCH (n)-[:heads]->(o) WHERE o.name = 'CIA' } RETURN n.name"
        ),
        [["Ratcliffe"]]
    );
    assert_eq!(
        rows(
            "RETURN [1, 2, 3, 4][1..3] AS a, [1, 2, 3][..-1] AS b, [1, 2][1..null] AS c, 2 ^ 3 AS d, 0x1F AS e"
        ),
        [["[2, 3]", "[1, 2]", "", "8.0", "31"]]
    );
    assert_eq!(
        rows(
            "RETURN date({year: 1817, week: 1}) AS a, date({year: 1984, month: 10, day: 11}) AS b"
        ),
        [["1816-12-30", "1984-10-11"]]
    );
    let store = bundled_graph().unwrap();
    for (query, error) in [
        ("RETURN date({year: 2025, mnth: 3})", "no date part 'mnth'"),
        ("RETURN date({year: 2025, day: 3})", "day needs month"),
        ("RETURN date({year: 99999})", "outside 1 to 9999"),
    ] {
        let e = run(&store, query, &Params::new()).unwrap_err().to_string();
        assert!(e.contains(error), "{query}: {e}");
    }
}

#[test]
fn pattern_comprehensions_group_and_aggregate() {
    assert_eq!(
        rows(
            "MATCH (p:person) RETURN DISTINCT p ORDER BY size([(p)--(q) | q]) DESC, p.name LIMIT 2"
        ),
        [["Naryshkin"], ["Putin"]]
    );
    assert_eq!(
        rows(
            "MATCH (p:person) RETURN sum(size([(p)-[:phoned]-(q) | q])) AS calls, count(CASE WHEN EXISTS { MATCH (p)-[:heads]->() } THEN 1 END) AS chiefs"
        ),
        [["4", "2"]]
    );
    let mut store = bundled_graph().unwrap();
    write(
        &mut store,
        "MATCH (a {name: 'Trump'})-[r:phoned]-(b) SET r = {channel: 'phone'}",
    )
    .unwrap();
    assert_eq!(
        read(
            &store,
            "MATCH (a {name: 'Trump'})-[r:phoned]-(b) RETURN properties(r)"
        ),
        [["{channel: 'phone'}"]]
    );
}

fn read(store: &Store, q: &str) -> Vec<Vec<String>> {
    let table = run(store, q, &Params::new()).unwrap_or_else(|e| panic!("{q}: {e}"));
    table
        .rows
        .iter()
        .map(|r| r.iter().map(|v| cell_text(store, v)).collect())
        .collect()
}

/// The first row a query gave, each value as a table cell.
fn first_row(store: &Store, ran: &Ran) -> Vec<String> {
    ran.table.rows[0]
        .iter()
        .map(|v| cell_text(store, v))
        .collect()
}

fn write(store: &mut Store, q: &str) -> Result<Ran, QueryError> {
    run_writing(store, q, &Params::new(), Options::default())
}

#[test]
fn subqueries_see_the_variables_in_scope_and_give_rows_or_counts() {
    // A whole query: WITH and its WHERE inside, the outer `n` imported.
    assert_eq!(
        rows(
            "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WITH n, count(*) AS c WHERE c >= 4 RETURN c } RETURN n.name ORDER BY n.name"
        ),
        [["Naryshkin"], ["Trump"]]
    );
    // Several patterns; COUNT of a UNION counts its rows once, UNION ALL every row.
    let counts = "MATCH (n {name: 'Trump'}) RETURN COUNT { MATCH (n)-[:phoned]-(m) RETURN m UNION MATCH (n)-[:phoned]-(m) RETURN m } AS once, COUNT { MATCH (n)-[:phoned]-(m) RETURN m UNION ALL MATCH (n)-[:phoned]-(m) RETURN m } AS twice, COUNT { (n)-->(m), (m)-->(x) } AS two_hops";
    assert_eq!(rows(counts), [["1", "2", "8"]]);
    // A variable of a later clause is not in scope inside: `b` is the subquery's own.
    assert_eq!(
        rows(
            "MATCH (a) WHERE EXISTS { MATCH (a)-->(b) WITH b RETURN b } MATCH (b) RETURN count(*)"
        ),
        [["315"]]
    );
    // A list comprehension's variable is.
    assert_eq!(
        rows(
            "MATCH (n:person) WHERE any(x IN ['SVR'] WHERE EXISTS { MATCH (n)-->(o) WHERE o.name = x RETURN o }) RETURN n.name"
        ),
        [["Naryshkin"]]
    );
    let store = bundled_graph().unwrap();
    for (query, error) in [
        (
            "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) SET m.x = 1 } RETURN n",
            "SET changes the graph, which a subquery",
        ),
        (
            "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) RETURN zz } RETURN n",
            "variable `zz` is not defined",
        ),
    ] {
        let e = run(&store, query, &Params::new()).unwrap_err().to_string();
        assert!(e.contains(error), "{query}: {e}");
    }
}

#[test]
fn order_by_an_item_written_again_and_reads_of_what_was_deleted() {
    assert_eq!(
        rows(
            "MATCH (a)-[r]->() RETURN a.name AS n, count(*) AS c ORDER BY count(*) DESC, n LIMIT 2"
        ),
        [["Naryshkin", "5"], ["Trump", "4"]]
    );
    // An aggregate inside a sort key is computed per group.
    assert_eq!(
        rows(
            "MATCH (a)-[r]->() RETURN a.name AS n, count(*) AS c ORDER BY 0 - count(*), n LIMIT 2"
        ),
        [["Naryshkin", "5"], ["Trump", "4"]]
    );
    assert_eq!(
        rows("RETURN false + [4] AS a, [1] + 2 AS b"),
        [["[false, 4]", "[1, 2]"]]
    );
    let mut store = bundled_graph().unwrap();
    let ran = write(
        &mut store,
        "MATCH (:person {name: 'Ratcliffe'})-[r:heads]->(o) DELETE r RETURN type(r), startNode(r).name, endNode(r).name, r",
    )
    .unwrap();
    assert_eq!(
        first_row(&store, &ran),
        ["heads", "Ratcliffe", "CIA", "#2 (deleted)"]
    );
    for query in [
        "MATCH (:person {name: 'Putin'})-[r:phoned]-() DELETE r RETURN r.date",
        "MATCH (n {name: 'NATO'}) DETACH DELETE n RETURN labels(n)",
        "MATCH (n {name: 'NATO'}) DETACH DELETE n RETURN n {.name}",
        "MATCH (n {name: 'NATO'}) DETACH DELETE n SET n.x = 1",
    ] {
        let mut store = bundled_graph().unwrap();
        let e = write(&mut store, query).unwrap_err().to_string();
        assert!(
            e.contains("was deleted earlier in this query"),
            "{query}: {e}"
        );
    }
}

mod writes;

#[test]
fn review_of_subqueries_aliases_and_deletes() {
    let store = bundled_graph().unwrap();
    // An alias is seen by its ORDER BY, not by the items or clauses before it.
    for query in [
        "RETURN 1 AS a, a + 1 AS b",
        "MATCH (n:person) WHERE k = 'Putin' WITH n.name AS k RETURN k",
        "UNWIND [x] AS y RETURN y, 1 AS x",
        "MATCH (n) RETURN n ORDER BY nothing",
    ] {
        let e = run(&store, query, &Params::new()).unwrap_err().to_string();
        assert!(e.contains("is not defined"), "{query}: {e}");
    }
    let e = run(
        &store,
        "MATCH (n) RETURN COUNT { MATCH (n)-->(m) UNION MATCH (n)<--(m) } AS c",
        &Params::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("needs its RETURN"), "{e}");
    // EXISTS { } is a value a function takes; names and keywords in any case.
    assert_eq!(
        rows(
            "MATCH (n) RETURN count(EXISTS { (n)-->() }) AS c, sum(CASE WHEN EXISTS { (n)-->() } THEN 1 ELSE 0 END) AS s"
        ),
        [["21", "15"]]
    );
    assert_eq!(
        rows("MATCH (a)-->() RETURN a.name, count(*) AS c ORDER BY COUNT(*) DESC LIMIT 1"),
        [["Naryshkin", "5"]]
    );
    // Subqueries and pattern comprehensions in the values a write sets.
    let mut store = bundled_graph().unwrap();
    write(
        &mut store,
        "MATCH (n {name: 'SVR'}) SET n.ties = COUNT { (n)--() }, n += {heads: size([(n)<-[:heads]-(p) | p])}",
    )
    .unwrap();
    assert_eq!(
        read(&store, "MATCH (n {name: 'SVR'}) RETURN n.ties, n.heads"),
        [["2", "1"]]
    );
    // A path through what the query deleted shows it deleted; a label test errs.
    let ran = write(
        &mut store,
        "MATCH p = (:person {name: 'Ratcliffe'})-[r:heads]->() DELETE r RETURN p",
    )
    .unwrap();
    assert_eq!(
        cell_text(&store, &ran.table.rows[0][0]),
        "Ratcliffe -[#2 (deleted)]- CIA"
    );
    let e = write(
        &mut store,
        "MATCH (n {name: 'NATO'}) DETACH DELETE n RETURN n:organization",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("was deleted earlier"), "{e}");
}

#[test]
fn nested_patterns_see_only_the_variables_in_scope() {
    // A name of a later clause or of an alias is the nested pattern's own.
    assert_eq!(
        rows(
            "MATCH (n:person) WHERE EXISTS { (m)-[:heads]->() } MATCH (m:country) RETURN count(*)"
        ),
        [["30"]]
    );
    assert_eq!(
        rows(
            "MATCH (n:person {name: 'Rubio'}) RETURN COUNT { (n)-[r]-() } AS r, size([(n)-[r]-() | r]) AS s"
        ),
        [["2", "2"]]
    );
    // Property maps see only what is defined; ORDER BY sees quoted aliases and items
    // written again in another case.
    let store = bundled_graph().unwrap();
    let e = run(
        &store,
        "MATCH (n {name: nm}) RETURN n.name AS nm",
        &Params::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("variable `nm` is not defined"), "{e}");
    assert_eq!(
        rows("MATCH (n:person) RETURN n.name AS `my name` ORDER BY `my name` LIMIT 1"),
        [["Estonian foreign minister"]]
    );
    assert_eq!(
        rows(
            "MATCH (n:person)-[r]-() RETURN toUpper(n.name), count(*) ORDER BY TOUPPER(n.name) LIMIT 1"
        ),
        [["ESTONIAN FOREIGN MINISTER", "2"]]
    );
}

#[test]
fn explain_shows_subqueries_and_a_limit_that_stops_the_walk() {
    let store = bundled_graph().unwrap();
    let explained = |q: &str| {
        let options = Options {
            explain: true,
            ..Options::default()
        };
        run_with(&store, q, &Params::new(), options)
            .unwrap()
            .explain
    };
    let lines = explained(
        "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WITH n, count(*) AS c WHERE c >= 4 RETURN c } RETURN n.name",
    );
    assert!(
        lines.contains(&"subquery 1 (EXISTS { }): runs for each row, given n".to_string()),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("subquery 1: MATCH 1 pattern 1: starts at `n`"))
    );
    // LIMIT 2 without sorting: the scan stops at the first entity with two relations.
    let lines = explained("MATCH (a)-[r]->(b) RETURN a.name LIMIT 2");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("work: 1 entities expanded")),
        "{lines:?}"
    );
}
