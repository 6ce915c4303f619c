//! Turning what people type into a ranked, filtered, highlighted result page.
//!
//! Query syntax: words (all must match; if that finds nothing, any may), `"exact phrases"`,
//! `-excluded` words. Each word is looked up in every text field of both languages, analysed by
//! that language's analyzer. A word the index does not know at all is matched fuzzily
//! (Levenshtein distance 1, or 2 from 8 letters), so typos find answers while words that exist
//! are matched exactly: fuzzy matches never push exact ones down. For similar questions (any
//! word may match) such a word may also be a compound whose parts the index knows
//! ("Kernelmodul" → "kernel", "modul"): the parts are matched too (`compound_parts`).
//!
//! Ranking: BM25 with field boosts (title 3, accepted answer 2, question 1.5, other answers 1),
//! then a tweak from fast fields:
//!
//! ```text
//! score = bm25 × (1 + 0.3·article + 0.2·solved + 0.1·staff_answered)
//!              × (1 + 0.05·ln(1 + max(votes, 0)))
//!              × (1 + 0.1·0.5^(age_days / 180))
//! ```
//!
//! so knowledge-base articles and solved threads come first among near-equal matches, then
//! staff-answered threads, then votes and recency. (docs/search.md explains the choice.)

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery,
    Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use super::conjunction::{LangPlan, PhrasePlan, Plan};
use super::schema::{analyze_with_positions, Lang};
use super::SearchIndex;

/// Longest query accepted (characters); longer is refused with a clear message.
pub const MAX_QUERY_CHARS: usize = 500;
/// At most this many words and phrases are used from one query.
const MAX_CLAUSES: usize = 24;

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    /// `thread` or `article`.
    pub kind: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    pub tag: Option<String>,
    /// open, answered, solved, closed; `unanswered` is open.
    pub status: Option<String>,
    /// Only threads answered by staff.
    pub staff: bool,
    /// Only solved threads and articles (similar questions on the ask page).
    pub solved_only: bool,
    /// Any word may match (similar questions) instead of all words first.
    pub any_word: bool,
    /// Only content in this language (`en`, `de`: what the indexer detected).
    pub lang: Option<String>,
    /// Among results that match about equally well, this language first (the asker's).
    pub prefer_lang: Option<String>,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    /// Build highlighted snippets (off for candidates that are fused and cut afterwards).
    pub snippets: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            kind: None,
            category: None,
            tag: None,
            status: None,
            staff: false,
            solved_only: false,
            any_word: false,
            lang: None,
            prefer_lang: None,
            limit: 10,
            offset: 0,
            facets: true,
            snippets: true,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `thread` or `article`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// Path of the page.
    pub url: String,
    /// Escaped text with `<mark>` around matches: safe HTML.
    pub snippet_html: String,
    pub score: f32,
    /// The content's language as detected (`en`, `de`).
    pub lang: String,
    pub status: String,
    pub category: String,
    pub tags: Vec<String>,
    pub staff_answered: bool,
    pub votes: i64,
    pub answer_count: u64,
}

/// A facet value with how many matching documents have it.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over all matches (not just the page).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    #[serde(rename = "type")]
    pub kind: Vec<FacetCount>,
    pub category: Vec<FacetCount>,
    pub tag: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    /// `yes`: answered by staff.
    pub staff: Vec<FacetCount>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Matching documents (an estimate rounded to two significant digits unless `total_exact`).
    pub total: usize,
    pub total_exact: bool,
    /// The facet counts are exact (else estimates, rounded to two significant digits).
    pub facets_exact: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Some words were unknown and matched with typo tolerance.
    pub fuzzy: bool,
    /// Those words, as typed (the page says which).
    pub fuzzy_words: Vec<String>,
    /// Not every word could be matched together, so any word was allowed.
    pub relaxed: bool,
    /// Scores are fused with meaning (`similar::suggest` with a query vector): about 0..1.
    #[serde(skip)]
    pub fused: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Clause {
    Word(String),
    Phrase(String),
    Not(String),
}

/// Splits a query into words, "phrases" and -exclusions. Never fails: a quote that is never
/// closed is dropped and what follows it read as words (people type `"router wifi` meaning
/// words, and a phrase would find a fraction of it), lone operators are ignored.
fn parse(q: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            if !chars.clone().any(|c| c == '"') {
                continue;
            }
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            if !phrase.trim().is_empty() {
                out.push(Clause::Phrase(phrase));
            }
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        if !word.is_empty() {
            out.push(if negated {
                Clause::Not(word)
            } else {
                Clause::Word(word)
            });
        }
    }
    out.truncate(MAX_CLAUSES);
    out
}

fn boxed(q: impl Query + 'static) -> Box<dyn Query> {
    Box::new(q)
}

/// The matching field of each language (field weights are inside it: see `LangFields`).
fn text_fields(si: &SearchIndex) -> Vec<(Lang, Field, f32)> {
    Lang::ALL
        .iter()
        .map(|lang| (*lang, si.fields.lang(*lang).text, 1.0))
        .collect()
}

/// Terms with their positions, as an analyzer leaves them.
type Tokens = Vec<(usize, String)>;

/// Each text of a query analysed once per language: the stop-word check, the snippet terms, the
/// query and the fast path all need the same tokens, and every analysis clones an analyzer.
struct Analyses<'a> {
    index: &'a tantivy::Index,
    done: RefCell<HashMap<(Lang, String), Tokens>>,
}

impl<'a> Analyses<'a> {
    fn new(index: &'a tantivy::Index) -> Analyses<'a> {
        Analyses {
            index,
            done: RefCell::new(HashMap::new()),
        }
    }

    /// The terms of `text` with their positions (see `schema::analyze_with_positions`).
    fn tokens(&self, lang: Lang, text: &str) -> Tokens {
        self.done
            .borrow_mut()
            .entry((lang, text.to_string()))
            .or_insert_with(|| analyze_with_positions(self.index, lang, text))
            .clone()
    }

    fn terms(&self, lang: Lang, text: &str) -> Vec<String> {
        self.tokens(lang, text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }
}

/// A word or phrase in every text field of both languages (None if only stop words).
fn text_query(
    si: &SearchIndex,
    searcher: &Searcher,
    analyses: &Analyses,
    text: &str,
    fuzzy: bool,
    decompound: bool,
    fuzzy_words: &mut Vec<String>,
) -> Option<Box<dyn Query>> {
    let fields = text_fields(si);
    let mut by_lang: HashMap<Lang, Vec<(usize, String)>> = HashMap::new();
    for lang in Lang::ALL {
        by_lang.insert(lang, analyses.tokens(lang, text));
    }
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut known = false;
    for (lang, field, boost) in &fields {
        let terms: Vec<Term> = by_lang[lang]
            .iter()
            .map(|(_, t)| Term::from_field_text(*field, t))
            .collect();
        match terms.len() {
            0 => {}
            // Fields where a word never occurs are left out: fewer posting lists to union.
            1 => {
                if searcher.doc_freq(&terms[0]).unwrap_or(0) > 0 {
                    known = true;
                    let q = TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs);
                    should.push((Occur::Should, boxed(BoostQuery::new(boxed(q), *boost))));
                }
            }
            _ => {
                let positioned: Vec<(usize, Term)> = by_lang[lang]
                    .iter()
                    .map(|(pos, t)| (*pos, Term::from_field_text(*field, t)))
                    .collect();
                if positioned
                    .iter()
                    .all(|(_, t)| searcher.doc_freq(t).unwrap_or(0) > 0)
                {
                    known = true;
                    should.push((
                        Occur::Should,
                        // Positions keep the gaps stop words leave ("reset the password").
                        boxed(BoostQuery::new(
                            boxed(PhraseQuery::new_with_offset(positioned)),
                            *boost,
                        )),
                    ));
                }
            }
        }
    }
    if by_lang.values().all(Vec::is_empty) {
        return None;
    }
    if !known && fuzzy {
        // Unknown everywhere: probably a typo. Match close words instead (single words only).
        let mut fuzzy_should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (lang, field, boost) in &fields {
            let terms: Vec<&String> = by_lang[lang].iter().map(|(_, t)| t).collect();
            if terms.len() != 1 || terms[0].chars().count() < 4 {
                continue;
            }
            let distance = if terms[0].chars().count() >= 8 { 2 } else { 1 };
            let q = FuzzyTermQuery::new(Term::from_field_text(*field, terms[0]), distance, true);
            fuzzy_should.push((Occur::Should, boxed(BoostQuery::new(boxed(q), boost * 0.5))));
        }
        let typo_tolerant = !fuzzy_should.is_empty();
        if decompound {
            for (lang, field, boost) in &fields {
                if let Some(parts) = compound_parts(searcher, analyses, *lang, *field, text) {
                    for part in parts {
                        let q = TermQuery::new(
                            Term::from_field_text(*field, &part),
                            IndexRecordOption::WithFreqs,
                        );
                        fuzzy_should
                            .push((Occur::Should, boxed(BoostQuery::new(boxed(q), *boost))));
                    }
                }
            }
        }
        if typo_tolerant {
            fuzzy_words.push(text.to_string());
        }
        if !fuzzy_should.is_empty() {
            return Some(boxed(BooleanQuery::new(fuzzy_should)));
        }
    }
    if should.is_empty() {
        // Known nowhere and no typo match: nothing can match this word.
        return Some(boxed(EmptyQuery));
    }
    Some(boxed(BooleanQuery::new(should)))
}

/// Shortest part of a compound `compound_parts` splits off.
const COMPOUND_PART: usize = 4;

/// The parts of a compound word that no document holds as a whole ("Kernelmodul" → `kernel`,
/// `modul`; "Systemstart" → `system`, `start`), as `lang`'s analyzer leaves them: of the
/// splits of `text` (a single word) into two parts of at least `COMPOUND_PART` letters that
/// both occur in `field` — the first may end in a linking "s" ("Sicherheitskorrekturen") —
/// the one whose parts are most common (the geometric mean of their document frequencies, as
/// in Koehn and Knight's compound splitting). German writes as one word what a question or an
/// answer may say with its parts; the index's own vocabulary is the dictionary.
fn compound_parts(
    searcher: &Searcher,
    analyses: &Analyses,
    lang: Lang,
    field: Field,
    text: &str,
) -> Option<[String; 2]> {
    let mut pieces = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty());
    let word: Vec<char> = pieces.next()?.to_lowercase().chars().collect();
    if pieces.next().is_some() || word.len() < 2 * COMPOUND_PART {
        return None;
    }
    // A part as the analyzer leaves it, with its document frequency (None: a stop word, or
    // unknown).
    let known = |part: &str| -> Option<(String, u64)> {
        let terms = analyses.terms(lang, part);
        let [term] = terms.as_slice() else {
            return None;
        };
        let df = searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0);
        (df > 0).then(|| (term.clone(), df))
    };
    let mut best: Option<(f64, [String; 2])> = None;
    for cut in COMPOUND_PART..=word.len() - COMPOUND_PART {
        let Some((right, right_df)) = known(&word[cut..].iter().collect::<String>()) else {
            continue;
        };
        let left: String = word[..cut].iter().collect();
        let linked = left
            .strip_suffix('s')
            .filter(|l| l.chars().count() >= COMPOUND_PART);
        for l in std::iter::once(left.as_str()).chain(linked) {
            if let Some((left, left_df)) = known(l) {
                let score = ((left_df as f64) * (right_df as f64)).sqrt();
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, [left, right.clone()]));
                }
            }
        }
    }
    best.map(|b| b.1)
}

fn filter_terms(si: &SearchIndex, req: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
    let f = &si.fields;
    // Filters decide membership only: a score of 0 keeps the ranking the words' alone.
    let filter = |t: Term| -> Box<dyn Query> {
        boxed(ConstScoreQuery::new(
            boxed(TermQuery::new(t, IndexRecordOption::Basic)),
            0.0,
        ))
    };
    let term = |field: Field, v: &str| filter(Term::from_field_text(field, v));
    let mut out = Vec::new();
    if let Some(k) = req.kind.as_deref() {
        out.push((Occur::Must, term(f.kind, k)));
    }
    if let Some(c) = req.category.as_deref() {
        out.push((Occur::Must, term(f.category, c)));
    }
    if let Some(t) = req.tag.as_deref() {
        out.push((Occur::Must, term(f.tag, &t.to_lowercase())));
    }
    if let Some(s) = req.status.as_deref() {
        let s = if s == "unanswered" { "open" } else { s };
        out.push((Occur::Must, term(f.status, s)));
    }
    if req.staff {
        out.push((Occur::Must, filter(Term::from_field_u64(f.staff, 1))));
    }
    if let Some(lang) = req.lang.as_deref() {
        out.push((Occur::Must, term(f.lang, lang)));
    }
    if req.solved_only {
        let either = BooleanQuery::new(vec![
            (Occur::Should, term(f.status, "solved")),
            (Occur::Should, term(f.kind, super::ARTICLE)),
        ]);
        out.push((Occur::Must, boxed(either)));
    }
    out
}

struct Built {
    query: Box<dyn Query>,
    /// The same query for the fast path, when it has one (see `conjunction`).
    plan: Option<Plan>,
    /// The query's terms as the analyzers left them (both languages): the words snippets mark.
    stems: Vec<String>,
    /// The words matched with typo tolerance.
    fuzzy: Vec<String>,
    /// Plain words in the query (relaxing to any-word only helps with two or more).
    words: usize,
}

fn build(
    si: &SearchIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    any_word: bool,
) -> Option<Built> {
    let clauses = parse(&req.q);
    let analyses = Analyses::new(&si.index);
    let mut stems: Vec<String> = Vec::new();
    let mut highlight_words = |text: &str| {
        for lang in Lang::ALL {
            for t in analyses.terms(lang, text) {
                if !stems.contains(&t) {
                    stems.push(t);
                }
            }
        }
    };
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut fuzzy_words = Vec::new();
    let mut positives = 0;
    let mut words = 0;
    // What the fast path needs: the required words and phrases, and the exclusions.
    let mut required: Vec<&str> = Vec::new();
    let mut excluded: Vec<Box<dyn Query>> = Vec::new();
    for c in &clauses {
        match c {
            // A stop word in either language is left out (it would otherwise be required and
            // unknown in the other language's fields).
            Clause::Word(w) | Clause::Not(w)
                if Lang::ALL.iter().any(|l| analyses.tokens(*l, w).is_empty()) => {}
            Clause::Word(w) => {
                highlight_words(w);
                if let Some(q) =
                    text_query(si, searcher, &analyses, w, true, any_word, &mut fuzzy_words)
                {
                    parts.push((if any_word { Occur::Should } else { Occur::Must }, q));
                    positives += 1;
                    words += 1;
                    required.push(w);
                }
            }
            Clause::Phrase(p) => {
                highlight_words(p);
                if let Some(q) =
                    text_query(si, searcher, &analyses, p, false, false, &mut fuzzy_words)
                {
                    parts.push((Occur::Must, q));
                    positives += 1;
                    required.push(p);
                }
            }
            Clause::Not(w) => {
                if let Some(q) =
                    text_query(si, searcher, &analyses, w, false, false, &mut fuzzy_words)
                {
                    excluded.push(q.box_clone());
                    parts.push((Occur::MustNot, q));
                }
            }
        }
    }
    let filters = filter_terms(si, req);
    if positives == 0 {
        // Only filters (browsing by facet) still lists documents; nothing at all finds nothing.
        if filters.is_empty() {
            return None;
        }
        parts.push((Occur::Must, boxed(AllQuery)));
    }
    if any_word && positives > 0 {
        // Any word may match, but at least one must: wrap the optional words together.
        let (optional, rest): (Vec<_>, Vec<_>) =
            parts.into_iter().partition(|(o, _)| *o == Occur::Should);
        parts = rest;
        if !optional.is_empty() {
            parts.push((Occur::Must, boxed(BooleanQuery::new(optional))));
        }
    }
    let plan = if any_word || !fuzzy_words.is_empty() || required.is_empty() {
        None
    } else {
        let mut filter: Vec<(Occur, Box<dyn Query>)> =
            filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
        if !excluded.is_empty() && filter.is_empty() {
            filter.push((Occur::Must, boxed(AllQuery)));
        }
        filter.extend(excluded.into_iter().map(|q| (Occur::MustNot, q)));
        plan(si, searcher, &analyses, &required, filter)
    };
    parts.extend(filters);
    Some(Built {
        query: boxed(BooleanQuery::new(parts)),
        plan,
        stems,
        fuzzy: fuzzy_words,
        words,
    })
}

/// The fast path's form of a query of required words and phrases (None if a weight cannot be
/// computed: the generic path then runs). Mirrors `text_query`: in each language a text of one
/// term is a word, of more a phrase with its stop-word gaps; a text that is only stop words in a
/// language rules that language out.
fn plan(
    si: &SearchIndex,
    searcher: &Searcher,
    analyses: &Analyses,
    required: &[&str],
    filter: Vec<(Occur, Box<dyn Query>)>,
) -> Option<Plan> {
    let mut langs = Vec::new();
    'langs: for lang in Lang::ALL {
        let field = si.fields.lang(lang).text;
        let mut lp = LangPlan {
            field,
            words: Vec::new(),
            phrases: Vec::new(),
        };
        for text in required {
            let tokens = analyses.tokens(lang, text);
            match tokens.len() {
                0 => continue 'langs,
                1 => {
                    let term = Term::from_field_text(field, &tokens[0].1);
                    let weight =
                        Bm25Weight::for_terms(searcher, std::slice::from_ref(&term)).ok()?;
                    lp.words.push((term, weight));
                }
                _ => {
                    let terms = tokens
                        .iter()
                        .map(|(pos, t)| (*pos as u32, Term::from_field_text(field, t)))
                        .collect();
                    lp.phrases.push(PhrasePlan::new(searcher, terms).ok()?);
                }
            }
        }
        langs.push(lp);
    }
    // One word alone is a single posting list: tantivy's own term scorer walks it faster.
    if langs
        .iter()
        .all(|l| l.words.len() + l.phrases.iter().map(|p| p.terms.len()).sum::<usize>() < 2)
    {
        return None;
    }
    Some(Plan {
        langs,
        filter: (!filter.is_empty()).then(|| boxed(BooleanQuery::new(filter))),
    })
}

/// Fast-field columns the ranking tweak reads, for one segment.
struct TweakColumns {
    article: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    solved: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    staff: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    votes: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>>,
    updated: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<DateTime>>>,
}

impl TweakColumns {
    fn new(segment: &SegmentReader) -> TweakColumns {
        let ff = segment.fast_fields();
        let u = |name: &str| ff.u64(name).ok().map(|c| c.first_or_default_col(0));
        TweakColumns {
            article: u("article"),
            solved: u("solved"),
            staff: u("staff"),
            votes: ff.i64("votes").ok().map(|c| c.first_or_default_col(0)),
            updated: ff
                .date("updated")
                .ok()
                .map(|c| c.first_or_default_col(DateTime::from_timestamp_secs(0))),
        }
    }

    /// The ranking tweak (see the module docs for the formula).
    fn factor(&self, doc: DocId, now_secs: i64) -> Score {
        let flag = |c: &Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>| {
            c.as_ref().map_or(0.0, |c| c.get_val(doc) as f32)
        };
        let kind_boost =
            1.0 + 0.3 * flag(&self.article) + 0.2 * flag(&self.solved) + 0.1 * flag(&self.staff);
        let v = self.votes.as_ref().map_or(0, |c| c.get_val(doc)).max(0) as f32;
        let vote_boost = 1.0 + 0.05 * (1.0 + v).ln();
        let age_days = self.updated.as_ref().map_or(0.0, |c| {
            (now_secs - c.get_val(doc).into_timestamp_secs()).max(0) as f32 / 86_400.0
        });
        let recency_boost = 1.0 + 0.1 * 0.5f32.powf(age_days / 180.0);
        kind_boost * vote_boost * recency_boost
    }
}

/// How many BM25 candidates are re-ranked with the tweak. The tweak changes a score by at most
/// ~1.9×, so anything outside the BM25 top-100 (or the page asked for) rarely belongs on page one.
const RERANK_CANDIDATES: usize = 100;

/// One pass over the matches: the page (BM25 top candidates re-ranked with the tweak), the
/// total and the facet counts.
fn ranked_page(
    searcher: &Searcher,
    built: &Built,
    offset: usize,
    limit: usize,
    facets: bool,
) -> anyhow::Result<(Vec<(Score, DocAddress)>, super::scan::Scanned)> {
    let k = (offset + limit).max(RERANK_CANDIDATES);
    let mut scanned = super::scan::scan(
        searcher,
        built.query.as_ref(),
        built.plan.as_ref(),
        k,
        facets,
    )?;
    let now_secs = chrono::Utc::now().timestamp();
    let mut columns: HashMap<u32, TweakColumns> = HashMap::new();
    let mut ranked: Vec<(Score, DocAddress)> = std::mem::take(&mut scanned.top)
        .into_iter()
        .map(|(score, addr)| {
            let cols = columns
                .entry(addr.segment_ord)
                .or_insert_with(|| TweakColumns::new(searcher.segment_reader(addr.segment_ord)));
            (score * cols.factor(addr.doc_id, now_secs), addr)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let page = ranked.into_iter().skip(offset).take(limit).collect();
    Ok((page, scanned))
}

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 220;

/// An estimate rounded to two significant digits (34,567 -> 35,000).
fn about(n: u64) -> u64 {
    let mut unit = 1;
    while n / unit >= 100 {
        unit *= 10;
    }
    (n + unit / 2) / unit * unit
}

fn facet_list(
    values: &HashMap<String, u64>,
    k: usize,
    round: impl Fn(u64) -> u64,
) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = values
        .iter()
        .map(|(v, n)| FacetCount {
            value: v.clone(),
            count: round(*n),
        })
        .filter(|f| f.count > 0)
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    out.truncate(k);
    out
}

fn stored_str(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn escape(s: &str) -> String {
    crate::render::theme::escape_html(s)
}

/// Top hits, total matches and facet counts of one run.
type Found = (Vec<(Score, DocAddress)>, super::scan::Scanned);

/// Runs `built` for the page (`fetch` hits from `req.offset`): one pass gives the page, the
/// total and the facets; when all the words together match nothing, a second pass with any
/// word. Returns the query that ran, what it found and whether it was relaxed.
fn run_relaxing(
    si: &SearchIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    built: Built,
    fetch: usize,
    facets: bool,
) -> anyhow::Result<(Built, Found, bool)> {
    let found = ranked_page(searcher, &built, req.offset, fetch, facets)?;
    if found.1.total == 0 && !req.any_word && built.words >= 2 {
        if let Some(any) = build(si, searcher, req, true) {
            let found = ranked_page(searcher, &any, req.offset, fetch, facets)?;
            return Ok((any, found, true));
        }
    }
    Ok((built, found, false))
}

/// Runs a search against `si`.
pub fn search(si: &SearchIndex, req: &SearchRequest) -> anyhow::Result<SearchResults> {
    let searcher = si.reader.searcher();
    let Some(built) = build(si, &searcher, req, req.any_word) else {
        return Ok(SearchResults {
            facets_exact: true,
            total_exact: true,
            ..Default::default()
        });
    };
    let limit = req.limit.clamp(1, 100);
    // Preferring a language looks a little further down, so a close match in that language
    // just past the page can move up.
    let fetch = if req.prefer_lang.is_some() {
        limit * 2
    } else {
        limit
    };
    let (built, (hits, counted), relaxed) =
        run_relaxing(si, &searcher, req, built, fetch, req.facets)?;
    let terms = super::snippet::Terms::new(&built.stems);
    let mut maker = HitMaker::new(si, &terms);
    maker.snippets = req.snippets;
    let mut out = Vec::with_capacity(hits.len());
    for (score, addr) in hits {
        let doc: TantivyDocument = searcher.doc(addr)?;
        out.push(maker.hit(&doc, score));
    }
    if let Some(preferred) = req.prefer_lang.as_deref() {
        prefer_language(&mut out, preferred);
    }
    out.truncate(limit);
    let round = |n: u64| if counted.facets_exact { n } else { about(n) };
    let facets = counted
        .facets
        .map(|c| {
            let staff: Vec<FacetCount> = [("no", c.staff[0]), ("yes", c.staff[1])]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| FacetCount {
                    value: v.into(),
                    count: round(n),
                })
                .collect();
            Facets {
                kind: facet_list(&c.values[0], 5, round),
                category: facet_list(&c.values[1], 30, round),
                status: facet_list(&c.values[2], 5, round),
                tag: facet_list(&c.values[3], 20, round),
                staff,
            }
        })
        .unwrap_or_default();
    Ok(SearchResults {
        total: if counted.total_exact {
            counted.total as usize
        } else {
            about(counted.total) as usize
        },
        total_exact: counted.total_exact,
        facets_exact: counted.facets_exact,
        hits: out,
        facets,
        fuzzy: !built.fuzzy.is_empty(),
        fuzzy_words: built.fuzzy.clone(),
        relaxed,
        fused: false,
    })
}

/// Turns stored documents into hits, with snippets around the query's words.
struct HitMaker<'a> {
    si: &'a SearchIndex,
    terms: &'a super::snippet::Terms<'a>,
    analyzers: HashMap<Lang, Option<TextAnalyzer>>,
    snippets: bool,
}

impl<'a> HitMaker<'a> {
    fn new(si: &'a SearchIndex, terms: &'a super::snippet::Terms<'a>) -> HitMaker<'a> {
        HitMaker {
            si,
            terms,
            analyzers: HashMap::new(),
            snippets: true,
        }
    }

    /// The hit without building a snippet (`snippet_html` as given).
    fn plain_hit(
        &self,
        doc: &TantivyDocument,
        lang: Lang,
        title: Field,
        snippet_html: String,
        score: f32,
    ) -> Hit {
        let f = &self.si.fields;
        Hit {
            lang: lang.code().to_string(),
            kind: stored_str(doc, f.kind),
            id: doc
                .get_first(f.id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            title: stored_str(doc, title),
            url: stored_str(doc, f.url),
            snippet_html,
            score,
            status: stored_str(doc, f.status),
            category: stored_str(doc, f.category),
            tags: doc
                .get_all(f.tag)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            staff_answered: doc.get_first(f.staff).and_then(|v| v.as_u64()).unwrap_or(0) == 1,
            votes: doc.get_first(f.votes).and_then(|v| v.as_i64()).unwrap_or(0),
            answer_count: doc
                .get_first(f.answer_count)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
        }
    }

    fn hit(&mut self, doc: &TantivyDocument, score: f32) -> Hit {
        let si = self.si;
        let f = &si.fields;
        let lang = if stored_str(doc, f.lang) == "de" {
            Lang::De
        } else {
            Lang::En
        };
        let lf = *f.lang(lang);
        if !self.snippets {
            return self.plain_hit(doc, lang, lf.title, String::new(), score);
        }
        let analyzer = self
            .analyzers
            .entry(lang)
            .or_insert_with(|| si.index.tokenizers().get(lang.tokenizer_name()));
        // From the accepted answer if the query's words are there, else from the question.
        let mut snippet_html = String::new();
        if let Some(analyzer) = analyzer.as_mut() {
            for field in [lf.accepted, lf.question] {
                let text = stored_str(doc, field);
                if let Some(html) = super::snippet::html(&text, self.terms, analyzer, SNIPPET_CHARS)
                {
                    snippet_html = html;
                    break;
                }
            }
        }
        if snippet_html.is_empty() {
            let question = stored_str(doc, lf.question);
            let mut cut: String = question.chars().take(SNIPPET_CHARS).collect();
            if cut.len() < question.len() {
                cut.push('…');
            }
            snippet_html = escape(&cut);
        }
        self.plain_hit(doc, lang, lf.title, snippet_html, score)
    }
}

/// Hits for documents found another way (nearest vectors; the fused few), by kind and id, in
/// the given order, with the given scores: only those the index holds (what everyone may see)
/// and `req`'s filters let through (solved only, category, language). Snippets (when
/// `req.snippets`) mark `words` (the query's, analysed).
pub fn hits_by_key(
    si: &SearchIndex,
    found: &[(&str, i64, f32)],
    req: &SearchRequest,
    words: &[String],
) -> anyhow::Result<Vec<Hit>> {
    let searcher = si.reader.searcher();
    let f = &si.fields;
    let terms = super::snippet::Terms::new(words);
    let mut maker = HitMaker::new(si, &terms);
    maker.snippets = req.snippets;
    let mut out = Vec::with_capacity(found.len());
    for &(kind, id, score) in found {
        let key = Term::from_field_text(f.key, &super::doc_key(kind, id));
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(key, IndexRecordOption::Basic)),
        )];
        if req.solved_only && kind == super::THREAD {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.solved, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let Some((_, addr)) = searcher
            .search(&BooleanQuery::new(must), &TopDocs::with_limit(1))?
            .into_iter()
            .next()
        else {
            continue;
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        let hit = maker.hit(&doc, score);
        if req.category.as_ref().is_some_and(|c| *c != hit.category)
            || req.lang.as_ref().is_some_and(|l| *l != hit.lang)
        {
            continue;
        }
        out.push(hit);
    }
    Ok(out)
}

/// A document's kind and id, read from fast fields (no stored fields, no decompression).
fn key_of(searcher: &Searcher, addr: DocAddress) -> Option<(&'static str, i64)> {
    let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
    let id = ff.i64("id").ok()?.first(addr.doc_id)?;
    let article = ff
        .u64("article")
        .ok()
        .and_then(|c| c.first(addr.doc_id))
        .unwrap_or(0);
    Some((
        if article == 1 {
            super::ARTICLE
        } else {
            super::THREAD
        },
        id,
    ))
}

/// A search's totals (no hits) and its ranked (kind, id, score).
pub type Keyed = (SearchResults, Vec<(&'static str, i64, f32)>);

/// `search` without loading a single document: the ranked (kind, id, score) of the page, plus
/// the totals. Fusion ranks on these and loads only the few it shows.
pub fn search_keys(si: &SearchIndex, req: &SearchRequest) -> anyhow::Result<Keyed> {
    let searcher = si.reader.searcher();
    let Some(built) = build(si, &searcher, req, req.any_word) else {
        return Ok((
            SearchResults {
                facets_exact: true,
                total_exact: true,
                ..Default::default()
            },
            Vec::new(),
        ));
    };
    let limit = req.limit.clamp(1, 100);
    let (built, (hits, counted), relaxed) = run_relaxing(si, &searcher, req, built, limit, false)?;
    let keys = hits
        .into_iter()
        .filter_map(|(score, addr)| key_of(&searcher, addr).map(|(k, id)| (k, id, score)))
        .collect();
    Ok((
        SearchResults {
            total: if counted.total_exact {
                counted.total as usize
            } else {
                about(counted.total) as usize
            },
            total_exact: counted.total_exact,
            facets_exact: true,
            fuzzy: !built.fuzzy.is_empty(),
            fuzzy_words: built.fuzzy.clone(),
            relaxed,
            ..Default::default()
        },
        keys,
    ))
}

/// Which of the threads `ids` the index holds (so everyone may see them), solved ones only
/// when `solved_only`: one query, no document loaded.
pub fn indexed_threads(
    si: &SearchIndex,
    ids: &[i64],
    solved_only: bool,
) -> anyhow::Result<std::collections::HashSet<i64>> {
    let searcher = si.reader.searcher();
    let f = &si.fields;
    let any_of: Vec<(Occur, Box<dyn Query>)> = ids
        .iter()
        .map(|&id| {
            let key = Term::from_field_text(f.key, &super::doc_key(super::THREAD, id));
            (
                Occur::Should,
                Box::new(TermQuery::new(key, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    if any_of.is_empty() {
        return Ok(Default::default());
    }
    let mut must: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(any_of)))];
    if solved_only {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.solved, 1),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let found = searcher.search(
        &BooleanQuery::new(must),
        &tantivy::collector::DocSetCollector,
    )?;
    Ok(found
        .into_iter()
        .filter_map(|addr| key_of(&searcher, addr).map(|(_, id)| id))
        .collect())
}

/// How much closer a hit in the preferred language counts: results within this factor of each
/// other are "about equally good", and the asker's language goes first among them.
const PREFERRED_LANGUAGE_BOOST: f32 = 1.15;

/// Re-ranks hits so that, among close scores, those in `lang` come first; a clearly better
/// match in another language keeps its place.
pub(super) fn prefer_language(hits: &mut [Hit], lang: &str) {
    let key = |h: &Hit| {
        if h.lang == lang {
            h.score * PREFERRED_LANGUAGE_BOOST
        } else {
            h.score
        }
    };
    hits.sort_by(|a, b| key(b).total_cmp(&key(a)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::{build_schema, register_tokenizers, to_document};
    use crate::search::IndexDoc;

    #[test]
    fn the_preferred_language_goes_first_only_among_close_matches() {
        let hit = |id: i64, score: f32, lang: &str| Hit {
            kind: crate::search::THREAD.into(),
            id,
            title: String::new(),
            url: String::new(),
            snippet_html: String::new(),
            score,
            lang: lang.into(),
            status: String::new(),
            category: String::new(),
            tags: Vec::new(),
            staff_answered: false,
            votes: 0,
            answer_count: 0,
        };
        let mut hits = vec![hit(1, 10.0, "en"), hit(2, 9.5, "de"), hit(3, 5.0, "de")];
        prefer_language(&mut hits, "de");
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [2, 1, 3]);
        let mut hits = vec![hit(1, 10.0, "en"), hit(2, 8.0, "de")];
        prefer_language(&mut hits, "de");
        assert_eq!(hits[0].id, 1, "a clearly better match keeps its place");
    }

    /// 4,000 documents in several segments, a few deleted: English with a German share, words
    /// drawn so that common pairs, phrases and rare phrases all occur.
    fn corpus() -> SearchIndex {
        let (schema, fields) = build_schema();
        let index = tantivy::Index::create_in_ram(schema);
        register_tokenizers(&index);
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 30_000_000)
            .expect("writer");
        let en = [
            "router",
            "firmware",
            "update",
            "reset",
            "password",
            "the",
            "printer",
            "network",
            "guest",
            "timed",
            "out",
            "connection",
            "mesh",
            "node",
            "factory",
            "screen",
        ];
        let de = [
            "der",
            "router",
            "firmware",
            "ist",
            "nicht",
            "erreichbar",
            "und",
            "kennwort",
            "das",
        ];
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for id in 0..4000i64 {
            let german = id % 7 == 0;
            let words: &[&str] = if german { &de } else { &en };
            let mut text = |len: usize| -> String {
                (0..len)
                    .map(|_| words[next(words.len()).min(next(words.len()))])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (title, question, answers) = (text(5), text(12 + id as usize % 30), text(40));
            let doc = IndexDoc {
                kind: crate::search::THREAD,
                id,
                url: format!("/t/{id}"),
                title,
                question,
                accepted: if id % 3 == 0 { text(20) } else { String::new() },
                answers,
                category: ["network", "printing"][id as usize % 2].into(),
                tags: vec![],
                status: ["open", "solved"][id as usize % 2].into(),
                solved: id % 2 == 1,
                staff_answered: id % 5 == 0,
                votes: id % 11,
                answer_count: 2,
                post_count: 3,
                author_id: 1,
                created_at: chrono::NaiveDateTime::default(),
                updated_at: chrono::NaiveDateTime::default(),
            };
            writer
                .add_document(to_document(&fields, &doc))
                .expect("add");
            if id % 900 == 899 {
                writer.commit().expect("commit");
            }
        }
        for id in (0..4000).step_by(13) {
            writer.delete_term(Term::from_field_text(fields.key, &format!("thread:{id}")));
        }
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        SearchIndex {
            index,
            reader,
            fields,
            dir: std::path::PathBuf::new(),
            cursor: 0,
        }
    }

    #[test]
    fn the_fast_path_finds_what_the_generic_path_finds() {
        let si = corpus();
        let searcher = si.reader.searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        let queries = [
            ("router firmware", None),
            ("router firmware update", None),
            ("password reset -printer", None),
            ("guest network", Some("printing")),
            ("\"timed out\"", None),
            ("\"router firmware\"", None),
            ("\"router firmware\" update -screen", None),
            ("\"connection timed out\" router", None),
            ("\"factory reset\" mesh", Some("network")),
            ("\"the router\"", None),
            ("router kennwort", None),
            // Both languages, each walking the segment with the filter from its start.
            ("router firmware", Some("network")),
            ("\"router firmware\"", Some("printing")),
            // A leading stop word is a gap before the phrase, not a word it needs.
            ("\"the router firmware\"", None),
            ("\"router ist\"", None),
        ];
        for (q, category) in queries {
            let req = SearchRequest {
                q: q.into(),
                category: category.map(str::to_string),
                ..Default::default()
            };
            let built = build(&si, &searcher, &req, false).expect("built");
            let plan = built.plan.as_ref().unwrap_or_else(|| panic!("{q}: a plan"));
            let fast =
                super::super::scan::scan(&searcher, built.query.as_ref(), Some(plan), 20, true)
                    .expect("fast");
            let slow = super::super::scan::scan(&searcher, built.query.as_ref(), None, 20, true)
                .expect("generic");
            let ids = |s: &super::super::scan::Scanned| -> Vec<DocAddress> {
                s.top.iter().map(|(_, a)| *a).collect()
            };
            assert_eq!(ids(&fast), ids(&slow), "{q}: same top 20");
            for ((a, _), (b, _)) in fast.top.iter().zip(&slow.top) {
                assert!(
                    (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                    "{q}: score {a} vs {b}"
                );
            }
            if fast.facets_exact && slow.facets_exact {
                let (f, s) = (
                    fast.facets.as_ref().expect("facets"),
                    slow.facets.as_ref().expect("facets"),
                );
                assert_eq!(f.values, s.values, "{q}: facet counts");
                assert_eq!(f.staff, s.staff, "{q}: staff facet");
            }
            if fast.total_exact {
                assert_eq!(fast.total, slow.total, "{q}: exact total");
            } else {
                let (f, s) = (fast.total as f64, slow.total as f64);
                assert!((f - s).abs() <= 0.15 * s, "{q}: estimate {f} vs {s}");
            }
        }
        // Words only are always counted exactly.
        let req = SearchRequest {
            q: "router firmware".into(),
            ..Default::default()
        };
        let built = build(&si, &searcher, &req, false).expect("built");
        let fast = super::super::scan::scan(
            &searcher,
            built.query.as_ref(),
            built.plan.as_ref(),
            10,
            true,
        )
        .expect("fast");
        assert!(fast.total_exact);
    }

    #[test]
    fn typos_and_single_words_take_the_generic_path() {
        let si = corpus();
        let searcher = si.reader.searcher();
        for q in [
            "router",
            "routr firmware",
            "\"router\"",
            "router zzzunknownword",
        ] {
            let req = SearchRequest {
                q: q.into(),
                ..Default::default()
            };
            let built = build(&si, &searcher, &req, false).expect("built");
            assert!(built.plan.is_none(), "{q}");
        }
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        assert_eq!(
            parse(r#"router "firmware update" -beta"#),
            vec![
                Clause::Word("router".into()),
                Clause::Phrase("firmware update".into()),
                Clause::Not("beta".into())
            ]
        );
        assert_eq!(
            parse(r#""unbalanced quote"#),
            vec![
                Clause::Word("unbalanced".into()),
                Clause::Word("quote".into())
            ]
        );
        assert_eq!(
            parse(r#""closed" then "open"#),
            vec![
                Clause::Phrase("closed".into()),
                Clause::Word("then".into()),
                Clause::Word("open".into())
            ]
        );
        assert_eq!(parse(r#"- -- "" ""#), vec![Clause::Not("-".into())]);
        assert_eq!(parse(&"a ".repeat(100)).len(), MAX_CLAUSES);
    }
}
