//! The index schema: one document per thread (and, with the knowledge base, per article), text
//! fields per language with their analyzers, and the fast fields the ranking tweak reads.
//! Bump `SCHEMA_VERSION` whenever fields or analyzers change: the index is then rebuilt on start.

use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{DateTime, Index, TantivyDocument};

use super::IndexDoc;

/// Version of fields and analyzers; a mismatch with the index on disk triggers a rebuild.
pub const SCHEMA_VERSION: u32 = 4;

/// Languages with their own analyzer (stop words and stemming).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    pub fn tokenizer_name(self) -> &'static str {
        match self {
            Lang::En => "pd_en",
            Lang::De => "pd_de",
        }
    }

    fn language(self) -> Language {
        match self {
            Lang::En => Language::English,
            Lang::De => Language::German,
        }
    }
}

/// Frequent German function words (a standard stop-word list, shortened).
const DE_WORDS: &[&str] = &[
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "und",
    "ist",
    "sind",
    "nicht",
    "ich",
    "mit",
    "ein",
    "eine",
    "einen",
    "einem",
    "auf",
    "für",
    "wenn",
    "habe",
    "hat",
    "kann",
    "wie",
    "was",
    "wo",
    "warum",
    "wird",
    "werden",
    "bei",
    "von",
    "zu",
    "zum",
    "zur",
    "im",
    "dass",
    "mein",
    "meine",
    "meinem",
    "noch",
    "oder",
    "auch",
    "nur",
    "aber",
    "sich",
    "man",
    "ob",
    "gibt",
    "geht",
    "kein",
    "keine",
    "nach",
    "aus",
    "welche",
    "welcher",
    "welches",
    "diese",
    "dieser",
    "dieses",
    "es",
    "um",
    "über",
    "funktioniert",
];
/// Frequent English function words.
const EN_WORDS: &[&str] = &[
    "the", "and", "is", "are", "not", "with", "my", "on", "for", "when", "works", "have", "has",
    "can", "it", "this", "to", "of", "how", "what", "where", "why", "which", "do", "does", "i",
    "in", "a", "an", "be", "get", "from", "there", "that", "will", "after", "without", "into",
    "keeps", "won't", "doesn't", "should", "way",
];

/// Evidence for German minus evidence for English in `text`, from function words and the
/// letters only German uses (ä ö ü ß). 0: no evidence either way.
pub fn language_evidence(text: &str) -> i32 {
    let mut score = 0;
    for word in text
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .take(400)
    {
        let w = word.to_lowercase();
        if DE_WORDS.contains(&w.as_str()) {
            score += 1;
        }
        if EN_WORDS.contains(&w.as_str()) {
            score -= 1;
        }
        if w.contains(['ä', 'ö', 'ü', 'ß']) {
            score += 1;
        }
    }
    score
}

/// A frequent function word of English or German ("how", "my", "wie", "mein"): it names no
/// topic, so the content gaps leave it out when they group searches by wording.
pub fn is_function_word(word: &str) -> bool {
    let w = word.to_lowercase();
    DE_WORDS.contains(&w.as_str()) || EN_WORDS.contains(&w.as_str())
}

/// Picks English or German by counting frequent function words and German letters (cheap and
/// good enough for support text; anything else is indexed as English).
pub fn detect_language(text: &str) -> Lang {
    if language_evidence(text) > 0 {
        Lang::De
    } else {
        Lang::En
    }
}

/// Text fields of one language.
///
/// Words match one field, `text`: the title, accepted answer, question and other answers
/// together, each part repeated by its weight (`WEIGHTS`), so BM25 sees a title word three times
/// and an answer word once — field boosts folded into term frequencies, as BM25F does. One
/// posting list per word instead of one per field and word makes a query a plain intersection.
/// `title`, `question` and `accepted` are stored for display; they are indexed without
/// frequencies or positions only so that snippets know which words to highlight.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    pub lang: Lang,
    pub text: Field,
    pub title: Field,
    pub question: Field,
    pub accepted: Field,
}

/// How many times each part of a document goes into the `text` field: the title three times,
/// the accepted answer twice, the question and other answers once (a weight of 2 for the
/// question cost phrase positions and indexing time without changing the relevance set's
/// results).
pub const WEIGHTS: Weights = Weights {
    title: 3,
    accepted: 2,
    question: 1,
    answers: 1,
};

pub struct Weights {
    pub title: usize,
    pub accepted: usize,
    pub question: usize,
    pub answers: usize,
}

/// Every field of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub url: Field,
    pub lang: Field,
    pub en: LangFields,
    pub de: LangFields,
    pub category: Field,
    pub tag: Field,
    pub status: Field,
    pub staff: Field,
    pub solved: Field,
    pub article: Field,
    pub votes: Field,
    pub answer_count: Field,
    pub author: Field,
    pub created: Field,
    pub updated: Field,
}

impl Fields {
    pub fn lang(&self, lang: Lang) -> &LangFields {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }
}

fn text(lang: Lang, record: IndexRecordOption, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(lang.tokenizer_name())
        .set_index_option(record);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// Builds the schema and returns it with its fields.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let mut lang_fields = |lang: Lang| {
        let code = lang.code();
        let shown = || text(lang, IndexRecordOption::Basic, true);
        LangFields {
            lang,
            text: b.add_text_field(
                &format!("text_{code}"),
                text(lang, IndexRecordOption::WithFreqsAndPositions, false),
            ),
            title: b.add_text_field(&format!("title_{code}"), shown()),
            question: b.add_text_field(&format!("question_{code}"), shown()),
            accepted: b.add_text_field(&format!("accepted_{code}"), shown()),
        }
    };
    let en = lang_fields(Lang::En);
    let de = lang_fields(Lang::De);
    let num = || NumericOptions::default().set_fast().set_indexed();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        url: b.add_text_field("url", STORED),
        lang: b.add_text_field("lang", STRING | STORED),
        en,
        de,
        category: b.add_text_field("category", STRING | STORED | FAST),
        tag: b.add_text_field("tag", STRING | STORED | FAST),
        status: b.add_text_field("status", STRING | STORED | FAST),
        staff: b.add_u64_field("staff", num() | STORED),
        solved: b.add_u64_field("solved", num()),
        article: b.add_u64_field("article", num()),
        votes: b.add_i64_field("votes", num() | STORED),
        answer_count: b.add_u64_field("answer_count", STORED),
        author: b.add_i64_field("author", num()),
        created: b.add_date_field("created", DateOptions::default().set_fast().set_stored()),
        updated: b.add_date_field("updated", DateOptions::default().set_fast()),
    };
    (b.build(), fields)
}

fn analyzer(lang: Lang) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match StopWordFilter::new(lang.language()) {
        Some(stop) => builder
            .filter(stop)
            .filter(Stemmer::new(lang.language()))
            .build(),
        None => builder.filter(Stemmer::new(lang.language())).build(),
    }
}

/// Registers the analyzers the schema names; needed on every opened index.
pub fn register_tokenizers(index: &Index) {
    for lang in Lang::ALL {
        index
            .tokenizers()
            .register(lang.tokenizer_name(), analyzer(lang));
    }
}

/// Runs a language's analyzer over `text`: the terms the index holds for it.
pub fn analyze(index: &Index, lang: Lang, text: &str) -> Vec<String> {
    analyze_with_positions(index, lang, text)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// Like `analyze`, with each term's position: stop words leave gaps that phrases must keep.
pub fn analyze_with_positions(index: &Index, lang: Lang, text: &str) -> Vec<(usize, String)> {
    let Some(mut analyzer) = index.tokenizers().get(lang.tokenizer_name()) else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

fn date(t: chrono::NaiveDateTime) -> DateTime {
    DateTime::from_timestamp_secs(t.and_utc().timestamp())
}

/// The tantivy document for an `IndexDoc`.
pub fn to_document(f: &Fields, d: &IndexDoc) -> TantivyDocument {
    let lang = detect_language(&format!("{} {}", d.title, d.question));
    let lf = f.lang(lang);
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, d.key());
    doc.add_text(f.kind, d.kind);
    doc.add_i64(f.id, d.id);
    doc.add_text(f.url, &d.url);
    doc.add_text(f.lang, lang.code());
    doc.add_text(lf.title, &d.title);
    doc.add_text(lf.question, &d.question);
    if !d.accepted.is_empty() {
        doc.add_text(lf.accepted, &d.accepted);
    }
    let parts = [
        (&d.title, WEIGHTS.title),
        (&d.accepted, WEIGHTS.accepted),
        (&d.question, WEIGHTS.question),
        (&d.answers, WEIGHTS.answers),
    ];
    for (part, times) in parts {
        if !part.is_empty() {
            for _ in 0..times {
                doc.add_text(lf.text, part);
            }
        }
    }
    // Articles written from scratch have no category.
    if !d.category.is_empty() {
        doc.add_text(f.category, &d.category);
    }
    for t in &d.tags {
        doc.add_text(f.tag, t);
    }
    doc.add_text(f.status, &d.status);
    doc.add_u64(f.staff, u64::from(d.staff_answered));
    doc.add_u64(f.solved, u64::from(d.solved));
    doc.add_u64(f.article, u64::from(d.kind == super::ARTICLE));
    doc.add_i64(f.votes, d.votes);
    doc.add_u64(f.answer_count, d.answer_count);
    doc.add_i64(f.author, d.author_id);
    doc.add_date(f.created, date(d.created_at));
    doc.add_date(f.updated, date(d.updated_at));
    doc
}
