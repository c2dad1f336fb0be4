//! Curation on the real binary: everyday edits that used to damage identity are refused
//! or corrected, and entities and relations are fixed in place (rename, alias, set)
//! with their ids and provenance kept.

mod common;
use common::*;

fn imported() -> Env {
    let env = Env::new();
    assert_exit(&env.kg(&["import", &seed()]), 0);
    env
}

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
        text.contains("removed entity Russian state media and 1 relation; 1 relation it claimed lost their claimant: #19"),
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
        "--format", "json", "set", "#28", "--status", "reported", "--grade", "B2", "--unset",
        "quote",
    ]);
    assert_exit(&out, 0);
    let now = &json(&out)["now"];
    assert_eq!(now["id"], 28);
    assert_eq!(now["status"], "reported");
    assert_eq!(now["grade"], "B2");
    assert!(now["quote"].is_null());
    assert_eq!(now["claimed_by"], "Naryshkin");
    assert_exit(
        &env.kg(&["set", "#28", "--type", "contacted", "--date", "2025-06"]),
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
    assert!(stdout(&out).contains("\"id\": 28"), "{}", stdout(&out));
    assert_error(
        &env.kg(&["set", "#999", "--status", "denied"]),
        "no relation #999",
    );
    assert_exit(&env.kg(&["compact"]), 0);
    assert_exit(&env.kg(&["check"]), 0);
}
