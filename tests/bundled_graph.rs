//! The bundled graph is faithful to its article: every relation cites a sentence and
//! where it was read (outlet, title, date, address; the page's teaser of another article
//! as that teaser); no caller is implied for a call; one type for one kind of act;
//! dates no wider or narrower than the text; events dated so timelines show them; and
//! its timeline in the documented order.

mod common;
use common::*;

const ADDRESS: &str = "https://kyivindependent.com/us-russian-spy-chiefs-agree-to-call-one-another-at-any-time-following-phone-call-moscow-says/";
const TITLE: &str = "“US, Russian spy chiefs agree to keep direct line open, Moscow says”";

fn rows(env: &Env, query: &str) -> Vec<serde_json::Value> {
    let out = env.bare(&["--format", "json", "query", query]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    json(&out).as_array().cloned().unwrap_or_default()
}

#[test]
fn every_relation_cites_a_sentence_and_its_source() {
    let env = Env::new();
    let all = rows(
        &env,
        "MATCH (a)-[r]->(b) RETURN id(r) AS id, type(r) AS type, r.source AS source, r.quote AS quote",
    );
    assert_eq!(all.len(), 28);
    for r in &all {
        let source = r["source"].as_str().unwrap_or_default();
        let quote = r["quote"].as_str().unwrap_or_default();
        assert!(quote.len() > 10, "a quote for {r}");
        assert!(
            source.starts_with("The Kyiv Independent, ")
                && source.contains(TITLE)
                && source.contains("2025-06-29")
                && source.ends_with(ADDRESS),
            "outlet, title, date and address in {r}"
        );
    }
    // The teaser's facts are sourced as the teaser, and only they.
    let teaser = rows(
        &env,
        "MATCH (a)-[r]->(b) WHERE r.source STARTS WITH 'The Kyiv Independent, teaser of' RETURN a.name AS a, type(r) AS t, b.name AS b ORDER BY a, t",
    );
    let facts: Vec<String> = teaser
        .iter()
        .map(|r| format!("{} {} {}", r["a"], r["t"], r["b"]).replace('"', ""))
        .collect();
    assert_eq!(
        facts,
        [
            "Estonian foreign minister commented_on Putin",
            "Estonian foreign minister serves Estonia",
            "NATO participated_in NATO summit in The Hague",
            "NATO summit in The Hague held_in The Hague",
            "Russia invaded Ukraine",
        ]
    );
}

#[test]
fn no_caller_is_implied_and_one_act_has_one_type() {
    let env = Env::new();
    let out = env.bare(&["export", "jsonl"]);
    let phoned = stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["record"] == "type" && v["name"] == "phoned")
        .unwrap_or_default();
    assert_eq!(phoned["symmetric"], true, "{phoned}");
    // Every agreement is `agreed`, the spy chiefs' included; there is no `pledged`.
    let agreed = rows(
        &env,
        "MATCH (a)-[r:agreed]-(b) WHERE a.name < b.name RETURN a.name AS a, b.name AS b ORDER BY a",
    );
    let pairs: Vec<(String, String)> = agreed
        .iter()
        .map(|r| (r["a"].to_string(), r["b"].to_string()))
        .collect();
    assert_eq!(pairs.len(), 3, "{pairs:?}");
    assert!(pairs.contains(&("\"Naryshkin\"".into(), "\"Ratcliffe\"".into())));
    let out = env.bare(&["query", "MATCH ()-[r:pledged]-() RETURN r"]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("no relation has type 'pledged'"));
}

#[test]
fn dates_say_what_the_text_says() {
    let env = Env::new();
    // Rubio spoke "later" than 5 June.
    let rubio = rows(
        &env,
        "MATCH (:person {name: 'Rubio'})-[r:told]->() RETURN r.earliest AS e, r.latest AS l",
    );
    assert_eq!(rubio[0]["e"], "2025-06-06");
    assert_eq!(rubio[0]["l"], "2025-06-29");
    // The invasion began "more than three years" before: not in February 2025.
    let out = env.bare(&["timeline", "--from", "2025-02-01", "--to", "2025-02-28"]);
    assert!(!stdout(&out).contains("invaded"), "{}", stdout(&out));
    // Every event is dated by where it was held, so a timeline shows it.
    let events = rows(&env, "MATCH (e:event) RETURN e.name AS e");
    let held = rows(
        &env,
        "MATCH (e:event)-[h:held_in]->() WHERE h.date IS NOT NULL RETURN DISTINCT e.name AS e",
    );
    assert_eq!(events.len(), held.len(), "{events:?} {held:?}");
}

/// The day a written date sorts at, as ISO text: an open start at its known end.
fn anchor(date: &str) -> String {
    let day = |d: &str| match d.len() {
        4 => format!("{d}-01-01"),
        7 => format!("{d}-01"),
        _ => d.to_string(),
    };
    match date.split_once("..") {
        None => day(date),
        Some(("", end)) => day(end),
        Some((start, _)) => day(start),
    }
}

#[test]
fn the_timeline_is_in_the_documented_order() {
    let env = Env::new();
    let out = env.bare(&["--format", "json", "timeline"]);
    assert_exit(&out, 0);
    let dates: Vec<String> = json(&out)
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["date"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let dated: Vec<&String> = dates.iter().take_while(|d| !d.is_empty()).collect();
    assert!(
        dates[dated.len()..].iter().all(|d| d.is_empty()),
        "undated last"
    );
    let anchors: Vec<String> = dated.iter().map(|d| anchor(d)).collect();
    let mut sorted = anchors.clone();
    sorted.sort();
    assert_eq!(anchors, sorted, "{dates:?}");
    assert_eq!(dated.first().map(|d| d.as_str()), Some("..2022-06-28"));
    assert_eq!(dated.get(1).map(|d| d.as_str()), Some("2025-02-12"));
}
