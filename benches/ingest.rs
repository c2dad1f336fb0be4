//! Criterion benchmarks of `kg ingest`: one article of about 2,000 words read against
//! the bundled graph's names (the target is under 50 ms), and the same against an
//! empty database (every name unknown). The article is the test articles of
//! tests/ingest, repeated to 2,000 words.
//!
//! ```text
//! cargo bench --bench ingest
//! ```

use std::hint::black_box;
use std::path::Path;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use kg::ingest::article::Article;
use kg::ingest::extract::Method;
use kg::ingest::lexicon::Lexicon;
use kg::ingest::read_article;

/// About 2,000 words of news prose: the test articles, repeated.
fn long_article() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ingest");
    let mut paragraphs = Vec::new();
    for name in ["baltic-energy.txt", "tokyo-seoul.txt", "sahel-mission.txt"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("a test article");
        paragraphs.extend(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    let mut out = String::from("# published: 2024-03-15\n");
    while out.split_whitespace().count() < 2_000 {
        for p in &paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
    }
    out.into_bytes()
}

fn ingest(c: &mut Criterion) {
    let bytes = long_article();
    let day = NaiveDate::from_ymd_opt(2024, 3, 15).expect("a date");
    let lexicon = Lexicon::default_lexicon();
    let bundled = kg::bundled_graph().expect("the bundled graph");
    let empty = kg::Store::new();
    let mut group = c.benchmark_group("ingest");
    for (label, store) in [
        ("2000 words, bundled graph", &bundled),
        ("2000 words, empty", &empty),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                let article = Article::read(black_box(&bytes)).expect("an article");
                black_box(read_article(
                    &article,
                    day,
                    None,
                    store,
                    &lexicon,
                    Method::Rules,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
