//! Property tests: whatever is written reads back the same. Random graphs (hostile
//! names, every date shape, removals that leave holes in the ids) go through the
//! database file and through the `.kg` source format.

use std::sync::Arc;

use kg::Store;
use kg::export::Subgraph;
use kg::import::{self, Duplicates};
use kg::model::{Entity, EntityId, Kind, Relation, RelationType, Status, TimeSpan, TypeId};
use kg::source::kg as kg_source;
use kg::source::{Batch, ReadOptions};
use kg::storage;
use proptest::prelude::*;

const NAME_PARTS: &[&str] = &[
    "Naryshkin",
    "Нарышкин",
    "习近平",
    "🙂",
    "a \"quoted\" name",
    "back\\slash",
    "new\nline",
    "node",
    "graph",
    "->",
    ";",
    "{braces}",
    "<b>html</b>",
    "a,b",
    "#hash",
    "x=y",
    "-[",
    "]->",
    "person",
    "aka",
    "type",
    " padded ",
    "tab\there",
    "",
];

fn text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(NAME_PARTS),
        prop::sample::select(NAME_PARTS),
    )
        .prop_map(|(a, b)| format!("{a}{b}"))
}

fn date() -> impl Strategy<Value = TimeSpan> {
    let point = prop_oneof![
        (1990u32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (1990u32..2030, 1u32..=12).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
        (1990u32..2030).prop_map(|y| format!("{y:04}")),
    ];
    (point.clone(), point, 0..5u8).prop_map(|(a, b, shape)| {
        let written = match shape {
            0 => a,
            1 => format!("..{b}"),
            2 => format!("{a}.."),
            3 => String::new(),
            _ => format!("{a}..{b}"),
        };
        TimeSpan::parse(&written).unwrap_or(TimeSpan::UNDATED)
    })
}

#[derive(Debug, Clone)]
struct RelationSpec {
    from: usize,
    to: usize,
    rtype: usize,
    when: TimeSpan,
    status: Status,
    grade: Option<String>,
    source: Option<String>,
    quote: Option<String>,
    claimed_by: Option<usize>,
    properties: Vec<(String, String)>,
}

/// Name, kind, aliases, properties.
type EntitySpec = (String, Kind, Vec<String>, Vec<(String, String)>);

#[derive(Debug, Clone)]
struct GraphSpec {
    entities: Vec<EntitySpec>,
    symmetric: Vec<(String, bool)>,
    relations: Vec<RelationSpec>,
    removed_entities: Vec<usize>,
    removed_relations: Vec<usize>,
}

fn graph() -> impl Strategy<Value = GraphSpec> {
    let entity = (
        text(),
        prop::sample::select(
            Kind::BUILT_IN
                .iter()
                .cloned()
                .chain(["vessel", "military_unit"].map(|k| Kind::Custom(k.into())))
                .collect::<Vec<_>>(),
        ),
        prop::collection::vec(text(), 0..3),
        prop::collection::vec((text(), text()), 0..3),
    );
    let relation = (
        0usize..100,
        0usize..100,
        0usize..100,
        date(),
        prop::sample::select(Status::ALL.to_vec()),
        prop::option::of(("[A-F]", 1u8..=6).prop_map(|(r, c)| format!("{r}{c}"))),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(0usize..100),
        prop::collection::vec((text(), text()), 0..3),
    )
        .prop_map(
            |(from, to, rtype, when, status, grade, source, quote, claimed_by, properties)| {
                RelationSpec {
                    from,
                    to,
                    rtype,
                    when,
                    status,
                    grade,
                    source,
                    quote,
                    claimed_by,
                    properties,
                }
            },
        );
    (
        prop::collection::vec(entity, 1..12),
        prop::collection::vec((text(), any::<bool>()), 1..4),
        prop::collection::vec(relation, 0..30),
        prop::collection::vec(0usize..100, 0..3),
        prop::collection::vec(0usize..100, 0..3),
    )
        .prop_map(
            |(entities, symmetric, relations, removed_entities, removed_relations)| GraphSpec {
                entities,
                symmetric,
                relations,
                removed_entities,
                removed_relations,
            },
        )
}

/// Builds a store from a spec through the library's own API.
fn build(spec: &GraphSpec) -> Store {
    let mut store = Store::new();
    for (i, (name, symmetric)) in spec.symmetric.iter().enumerate() {
        let rtype = RelationType {
            name: format!("{name}{i}"),
            symmetric: *symmetric,
            cameo: (i % 2 == 0).then(|| format!("0{i}")),
            description: Some(format!("described \"{i}\"")),
        };
        store.add_type(rtype).expect("a new type");
    }
    // Kinds of the graph's own: one drawn its own way, one plain.
    store
        .declare_kind(kg::model::KindDecl {
            name: "vessel".into(),
            shape: Some("cds".into()),
            colour: Some("#cfe2f3".into()),
        })
        .expect("a new kind");
    store
        .ensure_kind(&Kind::Custom("military_unit".into()))
        .expect("a new kind");
    let mut ids = Vec::new();
    for (i, (name, kind, aliases, properties)) in spec.entities.iter().enumerate() {
        // Suffixes keep canonical names unique and non-blank.
        let mut entity = Entity::new(format!("{name}~{i}"), kind.clone());
        for alias in aliases
            .iter()
            .filter(|a| !a.trim().is_empty() && kg::store::check_not_id(a).is_ok())
        {
            entity.add_alias(alias.clone());
        }
        for (k, v) in properties.iter().filter(|(k, v)| {
            !k.trim().is_empty()
                && !v.is_empty()
                && !kg::model::ENTITY_RESERVED_KEYS.contains(&k.as_str())
        }) {
            entity.set_property(k.clone(), v.clone());
        }
        ids.push(store.add_entity(entity).expect("a new entity"));
    }
    let pick = |i: usize| ids[i % ids.len()];
    let mut relation_ids = Vec::new();
    for r in &spec.relations {
        let mut relation = Relation::new(TypeId((r.rtype % spec.symmetric.len()) as u16));
        relation.when = r.when;
        relation.status = r.status;
        relation.grade = r.grade.as_ref().and_then(|g| g.parse().ok());
        let text = |t: &Option<String>| t.clone().filter(|t| !t.is_empty());
        relation.source = text(&r.source).map(|s| store.intern(&s).expect("room"));
        relation.quote = text(&r.quote).map(|s| store.intern(&s).expect("room"));
        relation.claimed_by = r.claimed_by.map(pick);
        let mut properties: Vec<(String, String)> = r
            .properties
            .iter()
            .filter(|(k, v)| {
                !k.trim().is_empty()
                    && !v.is_empty()
                    && !kg::model::RESERVED_KEYS.contains(&k.as_str())
            })
            .cloned()
            .collect();
        properties.sort();
        properties.dedup_by(|a, b| a.0 == b.0);
        relation.properties = properties
            .iter()
            .map(|(k, v)| {
                (
                    store.intern(k).expect("room"),
                    store.intern(v).expect("room"),
                )
            })
            .collect();
        relation_ids.push(
            store
                .add_relation(pick(r.from), pick(r.to), relation)
                .expect("a relation"),
        );
    }
    for &i in &spec.removed_relations {
        if !relation_ids.is_empty() {
            let _ = store.remove_relation(relation_ids[i % relation_ids.len()]);
        }
    }
    for &i in &spec.removed_entities {
        if ids.len() > 1 {
            store.remove_entity(pick(i));
        }
    }
    // Additions after removals take new ids, never a removed one's (petgraph reuses
    // the removed slots, so ids and slots part here).
    let (entity_bound, relation_bound) = (store.entity_bound(), store.relation_bound());
    let mut late = Vec::new();
    for i in 0..spec.removed_entities.len().min(3) {
        let id = store
            .add_entity(Entity::new(format!("late#{i}"), Kind::Person))
            .expect("a new entity");
        assert_eq!(
            id.0 as usize,
            entity_bound + i,
            "a removed entity id came back"
        );
        late.push(id);
    }
    if let ([a, b, ..], false) = (&late[..], store.types().is_empty()) {
        let id = store
            .add_relation(*a, *b, Relation::new(TypeId(0)))
            .expect("a relation");
        assert_eq!(
            id.0 as usize, relation_bound,
            "a removed relation id came back"
        );
    }
    store
}

/// Everything observable about a store, ids included.
fn contents(store: &Store) -> (Vec<(EntityId, Entity)>, Vec<String>, Vec<RelationType>) {
    let entities = store
        .entities()
        .map(|(id, e)| (id, e.into_owned()))
        .collect();
    let relations = store
        .relations()
        .map(|r| {
            let rel = r.relation;
            format!(
                "{:?} {:?}->{:?} {} {} {:?} {:?} {:?} {:?} {:?}",
                r.id,
                r.from,
                r.to,
                store.type_name(rel.rtype),
                rel.when,
                rel.status,
                rel.grade,
                rel.source.map(|s| store.text(s)),
                rel.quote.map(|s| store.text(s)),
                rel.properties
                    .iter()
                    .map(|(k, v)| (store.text(*k), store.text(*v)))
                    .collect::<Vec<_>>(),
            ) + &format!(" {:?}", rel.claimed_by)
        })
        .collect();
    (entities, relations, store.types().to_vec())
}

fn kg_text(store: &Store) -> String {
    let mut out = Vec::new();
    kg_source::write(store, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the writer writes UTF-8")
}

fn import_text(store: &mut Store, text: &str) -> import::ImportSummary {
    let batch = kg_source::parse(&Arc::from("roundtrip.kg"), text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    import::apply(store, batch, Duplicates::Skip).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn save_and_load_keep_everything_and_every_id(spec in graph()) {
        let store = build(&spec);
        prop_assert!(store.verify().is_empty());
        let bytes = storage::encode(&store).expect("encoding in memory");
        let loaded = storage::decode(std::path::Path::new("t.kgdb"), &bytes).expect("a sound file");
        prop_assert_eq!(contents(&loaded), contents(&store));
        prop_assert_eq!(storage::encode(&loaded).expect("encoding"), bytes);
        for (id, e) in store.entities() {
            prop_assert_eq!(loaded.resolve(&e.name).ok(), Some(id));
        }
    }

    #[test]
    fn kg_source_export_import_export_is_stable(spec in graph()) {
        let store = build(&spec);
        let text = kg_text(&store);
        let mut reimported = Store::new();
        import_text(&mut reimported, &text);
        prop_assert_eq!(kg_text(&reimported), text.clone());
        prop_assert_eq!(reimported.entity_count(), store.entity_count());
        prop_assert_eq!(reimported.relation_count(), store.relation_count());
        // Importing the same source again changes nothing.
        let summary = import_text(&mut reimported, &text);
        prop_assert!(summary.is_unchanged(), "{:?}", summary);
        prop_assert_eq!(summary.relations_present, store.relation_count());
        prop_assert_eq!(kg_text(&reimported), text);
    }
}

/// The graph in each interchange format, as the export commands write it.
fn jsonl_text(store: &Store) -> String {
    let mut out = Vec::new();
    kg::export::jsonl::write(store, &Subgraph::whole(store), &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8")
}

/// Types, entities and relations CSV files.
fn csv_texts(store: &Store) -> [String; 3] {
    let whole = Subgraph::whole(store);
    let mut files = [Vec::new(), Vec::new(), Vec::new()];
    kg::export::csv::types(store, &mut files[0]).expect("writing to memory");
    kg::export::csv::entities(store, &whole, &mut files[1]).expect("writing to memory");
    kg::export::csv::relations(store, &whole, &mut files[2]).expect("writing to memory");
    files.map(|f| String::from_utf8(f).expect("UTF-8"))
}

fn import_batch(
    store: &mut Store,
    batch: Result<Batch, kg::source::SourceError>,
    text: &str,
) -> import::ImportSummary {
    let batch = batch.unwrap_or_else(|e| panic!("{e}\n{text}"));
    import::apply(store, batch, Duplicates::Skip).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn import_jsonl(store: &mut Store, text: &str) -> import::ImportSummary {
    let batch = kg::source::jsonl::parse(
        &Arc::from("roundtrip.jsonl"),
        text,
        ReadOptions { strict: true },
    );
    import_batch(store, batch, text)
}

fn import_csv(store: &mut Store, files: &[String; 3]) -> import::ImportSummary {
    let mut batch = Batch::default();
    for (name, text) in ["types.csv", "entities.csv", "relations.csv"]
        .iter()
        .zip(files)
    {
        let part = kg::source::csv::parse(
            &Arc::from(*name),
            text.as_bytes(),
            ReadOptions { strict: true },
        );
        batch.extend(part.unwrap_or_else(|e| panic!("{e}\n{text}")));
    }
    import_batch(store, Ok(batch), &files.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn jsonl_export_import_export_is_stable(spec in graph()) {
        let store = build(&spec);
        let text = jsonl_text(&store);
        let mut reimported = Store::new();
        import_jsonl(&mut reimported, &text);
        prop_assert_eq!(jsonl_text(&reimported), text.clone());
        prop_assert_eq!(kg_text(&reimported), kg_text(&store));
        prop_assert!(import_jsonl(&mut reimported, &text).is_unchanged());
    }

    #[test]
    fn csv_export_import_export_is_stable(spec in graph()) {
        let store = build(&spec);
        let files = csv_texts(&store);
        let mut reimported = Store::new();
        import_csv(&mut reimported, &files);
        // The relations' first column is their id, which an import gives anew.
        let without_ids = |files: [String; 3]| {
            let mut files = files;
            files[2] = files[2]
                .lines()
                .map(|l| l.split_once(',').map_or(l, |(_, rest)| rest))
                .collect::<Vec<_>>()
                .join("\n");
            files
        };
        prop_assert_eq!(without_ids(csv_texts(&reimported)), without_ids(files.clone()));
        // CSV names an entity's kind only: the kinds' styles, and kinds no entity has,
        // are in the other formats.
        let without_kinds = |text: String| {
            text.lines()
                .filter(|l| !l.starts_with("kind "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        prop_assert_eq!(
            without_kinds(kg_text(&reimported)),
            without_kinds(kg_text(&store))
        );
        prop_assert!(import_csv(&mut reimported, &files).is_unchanged());
    }
}

#[test]
fn the_bundled_graph_round_trips() {
    let store = kg::bundled_graph().expect("the bundled graph parses");
    let text = kg_text(&store);
    let mut again = Store::new();
    import_text(&mut again, &text);
    assert_eq!(kg_text(&again), text);
    let bytes = storage::encode(&store).expect("encoding");
    let loaded = storage::decode(std::path::Path::new("seed.kgdb"), &bytes).expect("decoding");
    assert_eq!(contents(&loaded), contents(&store));
}
