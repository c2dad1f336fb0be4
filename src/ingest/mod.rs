//! From article to graph: reading plain text for candidate relations between actors,
//! with their quotes and dates resolved against the publication date, for an analyst
//! to review before anything enters the database. Nothing here writes to a database.
//!
//! The pipeline, one module a step: `article` reads and checks the file; `tokens` cuts
//! it into tokens and sentences; `actors` finds who is named; `timex` finds and
//! resolves time expressions; `lexicon` says which words propose which relation type;
//! `extract` proposes a sentence's candidates; `candidates` writes them for review and
//! marks those the database already holds; `evaluate` scores them against a gold file.
//! `timeml` measures the date resolver on annotated TimeML documents.

pub mod actors;
pub mod article;
pub mod candidates;
pub mod evaluate;
pub mod extract;
pub mod lexicon;
pub mod timeml;
pub mod timex;
pub mod tokens;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::store::Store;

use actors::{Actor, Cast};
use article::Article;
use extract::{Candidate, Discourse, Method, Sentence};
use lexicon::{Lexicon, Trigger};

/// What reading one article proposes: its actors and candidate relations.
#[derive(Debug, Clone)]
pub struct Ingestion {
    pub published: NaiveDate,
    pub source: Option<String>,
    pub actors: Vec<Actor>,
    pub candidates: Vec<Candidate>,
}

/// Reads `article` (published on `published`) against the names of `store` and the
/// triggers of `lexicon`, and proposes candidates by `method`.
pub fn read_article(
    article: &Article,
    published: NaiveDate,
    source: Option<String>,
    store: &Store,
    lexicon: &Lexicon,
    method: Method,
) -> Ingestion {
    let mut reader = Reader::new(store, lexicon);
    let candidates = reader.read(article, published, method);
    Ingestion {
        published,
        source,
        actors: reader.into_actors(),
        candidates,
    }
}

/// Reads articles one after another with one cast of actors, so that a name met in
/// one article is the same actor in the next (a batch's candidates file declares each
/// entity once).
pub struct Reader<'a> {
    store: &'a Store,
    lexicon: &'a Lexicon,
    cast: Cast<'a>,
    triggers: HashMap<&'a str, Vec<&'a Trigger>>,
}

impl<'a> Reader<'a> {
    pub fn new(store: &'a Store, lexicon: &'a Lexicon) -> Reader<'a> {
        Reader {
            store,
            lexicon,
            cast: Cast::new(store, lexicon),
            triggers: lexicon.by_first_stem(),
        }
    }

    /// The actors found so far; candidates name them by index.
    pub fn actors(&self) -> &[Actor] {
        &self.cast.actors
    }

    pub fn into_actors(self) -> Vec<Actor> {
        self.cast.actors
    }

    /// The candidates of one article, published on `published`, proposed by `method`.
    pub fn read(
        &mut self,
        article: &Article,
        published: NaiveDate,
        method: Method,
    ) -> Vec<Candidate> {
        let text = article.text.as_str();
        let store = self.store;
        let lexicon = self.lexicon;
        let symmetric = |name: &str| lexicon.is_symmetric(store, name);
        self.cast.start_article(text);
        let mut discourse = Discourse::default();
        let mut candidates = Vec::new();
        for &(p_start, p_end) in &article.paragraphs {
            let all: Vec<tokens::Token> = tokens::tokens(&text[p_start..p_end])
                .into_iter()
                .map(|mut t| {
                    t.start += p_start;
                    t.end += p_start;
                    t
                })
                .collect();
            for range in tokens::sentences(&all) {
                let sentence_tokens = &all[range];
                let (mentions, roles) = self.cast.read(text, sentence_tokens);
                let timexes = timex::in_tokens(sentence_tokens, published);
                let s = Sentence {
                    text,
                    tokens: sentence_tokens,
                    mentions: &mentions,
                    roles: &roles,
                    timexes: &timexes,
                    start: sentence_tokens[0].start,
                    end: sentence_tokens[sentence_tokens.len() - 1].end,
                    anchor: published,
                };
                candidates.extend(extract::candidates(
                    &s,
                    &self.cast.actors,
                    &self.triggers,
                    &symmetric,
                    &mut discourse,
                    method,
                ));
            }
        }
        candidates::merged(candidates, &symmetric)
    }
}
