//! Curation on the real binary: everyday edits that used to damage identity are refused
//! or corrected, and entities and relations are fixed in place (rename, alias, set)
//! with their ids and provenance kept.

mod common;
use common::*;

#[test]
fn removing_by_an_alias_is_refused_and_names_the_entity() {
    let env = imported();
    let out = env.kg(&["remove", "entity", "Moscow"]);
    assert_error(&out, "'Moscow' is an alias of Russia, not a canonical name");
    assert_exit(&env.kg(&["show", "Russia"]), 0);
}

#[test]
fn removing_an_entity_with_relations_needs_force_and_says_what_it_takes() {
    let env = imported();
    let before = std::fs::read(env.db()).unwrap_or_default();
    let out = env.kg(&["remove", "entity", "Russian state media"]);
    assert_error(
        &out,
        "Russian state media has 1 relation and claims 1 other; nothing removed: --force removes it with them",
    );
    assert_eq!(std::fs::read(env.db()).unwrap_or_default(), before);
    let out = env.kg(&["remove", "entity", "Russian state media", "--force"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("removed entity Russian state media and 1 relation; 1 relation it claimed lost its claimant: #10"),
        "{text}"
    );
    // An entity without relations goes without --force; #ID names it too.
    assert_exit(&env.kg(&["add", "entity", "Lavrov", "--kind", "person"]), 0);
    let id = json(&env.kg(&["--format", "json", "show", "Lavrov"]))["id"]
        .as_u64()
        .unwrap_or(0);
    assert_exit(&env.kg(&["remove", "entity", &format!("#{id}")]), 0);
    assert_error(&env.kg(&["show", "Lavrov"]), "no entity 'Lavrov'");
}

#[test]
fn a_new_entity_cannot_take_another_ones_alias() {
    let env = imported();
    let out = env.kg(&["add", "entity", "Vladimir Putin", "--kind", "person"]);
    assert_error(
        &out,
        "'Vladimir Putin' is an alias of Putin: use Putin, or drop the alias first (kg alias remove Putin 'Vladimir Putin')",
    );
    let out = env.kg(&["path", "Vladimir Putin", "Trump"]);
    assert_exit(&out, 0);
}

#[test]
fn the_same_relation_twice_is_added_once_unless_asked() {
    let env = imported();
    let first = env.kg(&[
        "add", "relation", "Rubio", "told", "Politico", "--date", "2025-06",
    ]);
    assert_exit(&first, 0);
    let again = env.kg(&[
        "add", "relation", "Rubio", "told", "Politico", "--date", "2025-06",
    ]);
    assert_exit(&again, 0);
    let text = stdout(&again);
    assert!(text.contains("is already there"), "{text}");
    assert!(text.contains("nothing added"), "{text}");
    let out = env.kg(&[
        "add",
        "relation",
        "Rubio",
        "told",
        "Politico",
        "--date",
        "2025-06",
        "--duplicate",
    ]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).starts_with("added relation"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_empty_date_is_an_error_and_a_claimant_makes_a_claim() {
    let env = imported();
    assert_error(
        &env.kg(&["add", "relation", "Rubio", "told", "Politico", "--date", ""]),
        "an empty date",
    );
    let out = env.kg(&[
        "--format",
        "json",
        "add",
        "relation",
        "Rubio",
        "told",
        "Politico",
        "--claimed-by",
        "Rubio",
    ]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["status"], "claimed");
}

#[test]
fn rename_keeps_the_id_relations_and_the_old_name_as_alias() {
    let env = imported();
    let before = json(&env.kg(&["--format", "json", "show", "Estonian foreign minister"]));
    let out = env.kg(&["rename", "Estonian foreign minister", "Margus Tsahkna"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains(
        "renamed Estonian foreign minister to Margus Tsahkna (the old name stays an alias)"
    ));
    let after = json(&env.kg(&["--format", "json", "show", "Margus Tsahkna"]));
    assert_eq!(after["id"], before["id"]);
    assert_eq!(
        after["relations"].as_array().map(Vec::len),
        before["relations"].as_array().map(Vec::len)
    );
    assert_eq!(after["aliases"][0], "Estonian foreign minister");
    // The old name still resolves; a taken name is refused.
    assert_exit(&env.kg(&["show", "Estonian foreign minister"]), 0);
    assert_error(
        &env.kg(&["rename", "Margus Tsahkna", "Putin"]),
        "entity 'Putin' already exists",
    );
    assert_error(
        &env.kg(&["rename", "Margus Tsahkna", "Moscow"]),
        "'Moscow' is an alias of Russia",
    );
    assert_exit(
        &env.kg(&["rename", "Margus Tsahkna", "Tsahkna", "--drop-old"]),
        0,
    );
    let last = json(&env.kg(&["--format", "json", "show", "Tsahkna"]));
    assert_eq!(
        last["aliases"],
        serde_json::json!(["Estonian foreign minister"])
    );
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn aliases_are_added_and_removed() {
    let env = imported();
    assert_exit(&env.kg(&["alias", "add", "Naryshkin", "S. Naryshkin"]), 0);
    assert_eq!(
        json(&env.kg(&["--format", "json", "show", "s. naryshkin"]))["name"],
        "Naryshkin"
    );
    assert_error(
        &env.kg(&["alias", "add", "Naryshkin", "Putin"]),
        "'Putin' is the name of Putin",
    );
    assert_exit(&env.kg(&["alias", "remove", "Russia", "Moscow"]), 0);
    assert_error(&env.kg(&["show", "Moscow"]), "no entity 'Moscow'");
    assert_error(
        &env.kg(&["alias", "remove", "Russia", "Moscow"]),
        "Russia has no alias 'Moscow'",
    );
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn set_changes_an_entity_or_a_relation_in_place() {
    let env = imported();
    let out = env.kg(&["set", "SVR", "--prop", "founded=1991", "--unset", "title"]);
    assert_exit(&out, 0);
    let svr = json(&env.kg(&["--format", "json", "show", "SVR"]));
    assert_eq!(svr["properties"]["founded"], "1991");
    assert!(svr["properties"].get("title").is_none(), "{svr}");
    assert_error(
        &env.kg(&["set", "SVR", "--unset", "nothing"]),
        "SVR has no property 'nothing'",
    );
    assert_error(
        &env.kg(&["set", "SVR", "--status", "denied"]),
        "--status set a relation's fields",
    );

    let out = env.kg(&[
        "--format", "json", "set", "#8", "--status", "reported", "--grade", "B2", "--unset",
        "quote",
    ]);
    assert_exit(&out, 0);
    let now = &json(&out)["now"];
    assert_eq!(now["id"], 8);
    assert_eq!(now["status"], "reported");
    assert_eq!(now["grade"], "B2");
    assert!(now["quote"].is_null());
    assert_eq!(now["claimed_by"], "Naryshkin");
    assert_exit(
        &env.kg(&["set", "#8", "--type", "contacted", "--date", "2025-06"]),
        0,
    );
    let out = env.kg(&[
        "--format",
        "json",
        "timeline",
        "Naryshkin",
        "--type",
        "contacted",
    ]);
    assert!(stdout(&out).contains("\"id\": 8"), "{}", stdout(&out));
    assert_error(
        &env.kg(&["set", "#999", "--status", "denied"]),
        "no relation #999",
    );
    assert_exit(&env.kg(&["compact"]), 0);
    assert_exit(&env.kg(&["check"]), 0);
}

#[test]
fn names_are_trimmed_and_near_names_in_an_import_are_flagged() {
    let env = imported();
    // A trailing space and another case name the same entity; no twin is created.
    let csv = env.write(
        "calls.csv",
        "from,type,to,date\nNaryshkin ,met,RATCLIFFE,2025-07-01\nNaryshkn,met,Ratcliffe,2025-07-02\n",
    );
    let out = env.kg(&["import", csv.to_str().unwrap_or_default()]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains(
            "calls.csv:3: 'Naryshkn' is new (created as kind other), but looks like Naryshkin"
        ),
        "{}",
        stderr(&out)
    );
    let created = json(&env.kg(&["--format", "json", "search", "naryshkin"]));
    let names: Vec<&str> = created
        .as_array()
        .map(|a| a.iter().filter_map(|h| h["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["Naryshkin", "Naryshkn"], "{created}");
    // --strict refuses the near name with the suggestion, and changes nothing.
    let before = std::fs::read(env.db()).unwrap_or_default();
    let csv = env.write("typo.csv", "from,type,to\nRatclife,met,Putin\n");
    let out = env.kg(&["import", "--strict", csv.to_str().unwrap_or_default()]);
    assert_error(
        &out,
        "typo.csv:2: undeclared entity 'Ratclife'; did you mean Ratcliffe?",
    );
    assert_eq!(std::fs::read(env.db()).unwrap_or_default(), before);
    // A name typed with spaces around it is stored trimmed.
    assert_exit(
        &env.kg(&["add", "entity", "  Lavrov ", "--kind", "person"]),
        0,
    );
    let card = json(&env.kg(&["--format", "json", "show", "lavrov"]));
    assert_eq!(card["name"], "Lavrov");
}

#[test]
fn search_finds_names_in_any_script_and_list_filters_by_kind() {
    let env = imported();
    let hits = |text: &str| {
        let out = env.kg(&["--format", "json", "search", text]);
        assert_exit(&out, 0);
        json(&out)
    };
    assert_eq!(hits("нарышкин")[0]["name"], "Naryshkin");
    assert_eq!(hits("Narishkin")[0]["name"], "Naryshkin", "transliteration");
    assert_eq!(hits("Narishkin")[0]["how"], "folded");
    assert_eq!(hits("ratclif")[0]["name"], "Ratcliffe");
    assert_eq!(hits("Ratclife")[0]["name"], "Ratcliffe");
    assert_exit(&env.kg(&["search", "xyzzy"]), 1);
    let listed = json(&env.kg(&["--format", "json", "list", "--kind", "organization"]));
    let names: Vec<&str> = listed
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["CIA", "NATO", "SVR"]);
}

#[test]
fn duplicates_lists_likely_pairs_with_reasons_ready_to_merge() {
    let env = imported();
    assert_exit(
        &env.kg(&["add", "entity", "Нарышкин С.", "--kind", "person"]),
        0,
    );
    assert_exit(
        &env.kg(&["add", "entity", "Narishkin", "--kind", "person"]),
        0,
    );
    assert_exit(
        &env.kg(&["add", "relation", "Narishkin", "heads", "SVR"]),
        0,
    );
    let out = env.kg(&["--format", "json", "duplicates"]);
    assert_exit(&out, 0);
    let pairs = json(&out);
    let first = &pairs[0];
    assert_eq!(first["a"]["name"], "Naryshkin", "{pairs}");
    assert_eq!(first["b"]["name"], "Narishkin", "{pairs}");
    let reasons = first["reasons"].to_string();
    assert!(reasons.contains("same kind (person)"), "{reasons}");
    assert!(reasons.contains("1 shared neighbour"), "{reasons}");
    assert_exit(&env.kg(&["merge", "Naryshkin", "Narishkin"]), 0);
    let out = env.kg(&["--format", "json", "duplicates"]);
    let after = json(&out);
    assert!(
        !after.to_string().contains("Narishkin\""),
        "merged pairs are gone: {after}"
    );
}

#[test]
fn kinds_are_open_declared_in_kg_created_by_csv_and_listed() {
    let env = imported();
    let kg = env.write(
        "ships.kg",
        "kind vessel shape=cds colour=\"#cfe2f3\"\ntype owns directed\nvessel \"Eagle S\" aka Eagle-S\norg \"Caravella LLC\"\n\"Caravella LLC\" -[owns]-> \"Eagle S\"\n",
    );
    let out = env.kg(&["import", kg.to_str().unwrap_or_default()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("new or restyled kinds: vessel"),
        "{}",
        stdout(&out)
    );
    // An undeclared kind in a .kg file is an error that says how to declare it.
    let bad = env.write("bad.kg", "persn Lavrov\n");
    let out = env.kg(&["import", bad.to_str().unwrap_or_default()]);
    assert_error(
        &out,
        "bad.kg:1:1: undeclared kind 'persn': declare it with 'kind persn' (or did you mean person?)",
    );
    // CSV creates the kinds it names, as it creates relation types.
    let csv = env.write(
        "units.csv",
        "name,kind\n\"1st Guards Tank Army\",military_unit\n",
    );
    assert_exit(&env.kg(&["import", csv.to_str().unwrap_or_default()]), 0);
    let stats = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(stats["kinds"]["vessel"], 1, "{stats}");
    assert_eq!(stats["kinds"]["military_unit"], 1, "{stats}");
    // DOT draws a declared kind its own way; Cypher labels follow kinds.
    let dot = stdout(&env.kg(&["export", "dot"]));
    assert!(dot.contains("shape=cds, fillcolor=\"#cfe2f3\""), "{dot}");
    let out = env.kg(&[
        "query",
        "MATCH (v:Vessel)<-[:owns]-(o) RETURN v.name, o.name",
    ]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("Eagle S"), "{}", stdout(&out));
    let out = env.kg(&["query", "MATCH (v:Vesel) RETURN v"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("hint: no entity has kind 'Vesel' (did you mean vessel?)"),
        "{}",
        stderr(&out)
    );
    // The export declares the kinds, so it imports back.
    let text = stdout(&env.kg(&["export", "kg"]));
    assert!(
        text.contains("kind vessel shape=cds colour=\"#cfe2f3\"\nkind military_unit\n"),
        "{text}"
    );
    // A new kind from the command line is declared with the entity, and undone with it.
    let before = text;
    assert_exit(&env.kg(&["add", "entity", "Kiel", "--kind", "port"]), 0);
    assert!(stdout(&env.kg(&["export", "kg"])).contains("kind port\n"));
    assert_exit(&env.kg(&["undo"]), 0);
    assert_eq!(stdout(&env.kg(&["export", "kg"])), before);
}

#[test]
fn an_empty_query_on_an_alias_or_a_case_slip_names_the_likely_entity() {
    let env = imported();
    let out = env.kg(&["query", "MATCH (n {name: 'Moscow'}) RETURN n.name"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("hint: 'Moscow' is not a name but an alias of 'Russia'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "n.name\n", "the answer stays standard Cypher");
    let out = env.kg(&[
        "query",
        "MATCH (a)-[:phoned]-(b) WHERE a.name = $who RETURN b.name",
        "--param",
        "who=naryshkin",
    ]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("'naryshkin' differs from the name 'Naryshkin' only in case"),
        "{}",
        stderr(&out)
    );
    // No hint when the query finds rows, or when the text names nothing at all.
    let out = env.kg(&["query", "MATCH (n {name: 'Nobody'}) RETURN n"]);
    assert!(!stderr(&out).contains("hint"), "{}", stderr(&out));
}

#[test]
fn a_name_always_means_one_entity() {
    let env = imported();
    // An alias cannot be another entity's canonical name, however it is given.
    assert_error(
        &env.kg(&[
            "add", "entity", "Lav4", "--kind", "person", "--alias", "Putin",
        ]),
        "'Putin' is the name of Putin: it cannot be an alias of Lav4 too",
    );
    let kg = env.write("alias.kg", "person Lav4 aka Putin\n");
    assert_error(
        &env.kg(&["import", kg.to_str().unwrap_or_default()]),
        "alias.kg:1:1: alias 'Putin' of 'Lav4' is the name of another entity, Putin",
    );
    // A shared alias is allowed, and said.
    let out = env.kg(&[
        "add", "entity", "Lavrov", "--kind", "person", "--alias", "Moscow",
    ]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("'Moscow' is also an alias of Russia"),
        "{}",
        stderr(&out)
    );
    // Names that read as ids are refused everywhere.
    assert_error(
        &env.kg(&["rename", "Putin", "#12"]),
        "'#12' reads as an id (#ID)",
    );
    assert_error(
        &env.kg(&["alias", "add", "Putin", "#1"]),
        "'#1' reads as an id (#ID)",
    );
    let csv = env.write("ids.csv", "from,type,to\n#40,met,Putin\n");
    assert_error(
        &env.kg(&["import", csv.to_str().unwrap_or_default()]),
        "ids.csv:2: '#40' reads as an id (#ID)",
    );
    // After a merge, a declaration of a merged name adds to the kept entity instead
    // of creating a twin (and a conflicting value is an error, as for any entity).
    assert_exit(&env.kg(&["merge", "Putin", "Trump"]), 0);
    let before = json(&env.kg(&["--format", "json", "stats"]));
    let kg = env.write(
        "again.kg",
        "person Trump aka \"Donald J. Trump\"\nperson \"Donald Trump\" party=Republican\n",
    );
    let out = env.kg(&["import", kg.to_str().unwrap_or_default()]);
    assert_exit(&out, 0);
    let after = json(&env.kg(&["--format", "json", "stats"]));
    assert_eq!(after["entities"], before["entities"], "{}", stdout(&out));
    let card = json(&env.kg(&["--format", "json", "show", "Donald J. Trump"]));
    assert_eq!(card["name"], "Putin");
    assert_eq!(card["properties"]["party"], "Republican");
    let out = env.kg(&["import", &seed()]);
    assert_error(
        &out,
        "entity 'Putin' has title=\"President of Russia\" in the database",
    );
}

#[test]
fn an_import_that_would_give_one_name_to_two_entities_is_refused_whole() {
    let env = imported();
    let before = std::fs::read(env.db()).unwrap_or_default();
    let cases = [
        (
            "a.kg",
            "person W title=w\nperson Z aka W title=z\nZ -[met]- Putin\n",
            "a.kg:2:1: alias 'W' of 'Z' is the name of the entity declared at",
        ),
        (
            "b.kg",
            "person Z aka W title=z\nperson W title=w\n",
            "b.kg:2:1: 'W' is declared as an alias of Z in this import",
        ),
        (
            "c.csv",
            "name,kind,aliases,title\nZ,person,W,z\nW,person,,w\n",
            "c.csv:3: 'W' is declared as an alias of Z in this import",
        ),
        (
            "d.kg",
            "kind ship\nkind ship shape=box\n",
            "d.kg:2:1: kind 'ship' is already declared at ",
        ),
    ];
    for (name, text, error) in cases {
        let file = env.write(name, text);
        assert_error(
            &env.kg(&["import", file.to_str().unwrap_or_default()]),
            error,
        );
        assert_eq!(
            std::fs::read(env.db()).unwrap_or_default(),
            before,
            "{name}"
        );
    }
}

#[test]
fn a_database_reached_through_a_link_is_written_where_it_is() -> TestResult {
    #[cfg(unix)]
    {
        let env = imported();
        std::fs::create_dir(env.path("links"))?;
        std::os::unix::fs::symlink(env.db(), env.path("links/g.kgdb"))?;
        let link = env.path("links/g.kgdb");
        let link = link.to_str().unwrap_or_default();
        assert_exit(
            &env.bare(&["--db", link, "add", "entity", "Lavrov", "--kind", "person"]),
            0,
        );
        assert_exit(&env.kg(&["show", "Lavrov"]), 0);
        assert_exit(&env.bare(&["--db", link, "compact"]), 0);
        assert!(
            std::fs::symlink_metadata(env.path("links/g.kgdb"))?
                .file_type()
                .is_symlink()
        );
        assert_exit(&env.kg(&["show", "Lavrov"]), 0);
    }
    Ok(())
}
