//! Similar questions: the search behind the ask page's suggestions, and the consumer of
//! `question_asked` events that counts a new question against the solved threads it resembles
//! (`threads.similar_asked`, a signal for "worth promoting"). The consumer runs once per
//! cluster (a lease), and its count lands in the transaction that moves its cursor, so a
//! replay after a crash counts nothing twice.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::schema::Lang;
use super::{Hit, Search, SearchRequest, SearchResults, THREAD};
use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{Consumer, Event, Kind};

/// Solved threads a new question's title matches this closely count as asked again.
const SIMILAR_ASKED_TOP: usize = 3;

/// The search behind similar-question suggestions: any word of the draft title, solved
/// threads and articles only.
pub fn similar_request(text: &str, limit: usize) -> SearchRequest {
    SearchRequest {
        q: text
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .replace(['"', '-'], " "),
        solved_only: true,
        any_word: true,
        limit,
        facets: false,
        ..Default::default()
    }
}

/// Candidates taken from each list (words, meaning) before fusing.
const CANDIDATES: usize = 30;

/// Suggestions for a draft title: the word search (`req`, from `similar_request`) fused with
/// the threads nearest in meaning when a model is loaded; the word search alone otherwise.
///
/// Among about equally good suggestions the asker's language comes first: the draft's when it
/// is German, else `req.prefer_lang` (the interface's).
///
/// Every candidate of either list gets both scores — its cosine with the draft (from its
/// vector) and its BM25 relative to the best word match — and ranks by their weighted sum, so
/// a thread both lists like beats one only a single list likes. Articles have no vector: they
/// count the weakest cosine among the candidates, so they must win on words.
pub fn suggest(search: &Search, req: &SearchRequest) -> AppResult<SearchResults> {
    let lang = search.text_language(&req.q);
    let req = &SearchRequest {
        prefer_lang: match lang {
            Lang::De => Some(Lang::De.code().to_string()),
            Lang::En => req.prefer_lang.clone(),
        },
        ..req.clone()
    };
    let main = search.semantic();
    if !main.is_on() {
        return Ok(SearchResults::clone(&*search.search_cached(req)?));
    }
    // A German draft is compared with the German model's vectors when there are any (the
    // main model is English-only by default), else with the main model's, weighed less.
    let (semantic, dense_weight) = match (lang, main.german_ready()) {
        (Lang::De, Some(german)) => (german, main.weights.german_model),
        (Lang::De, None) => (main, main.weights.german_dense),
        (Lang::En, _) => (main, main.weights.dense),
    };
    // The word search on one core, the draft's embedding and the nearest vectors on the
    // other: about as long each.
    let candidates_req = candidates_request(req);
    let (query_vector, lexical) = std::thread::scope(|s| {
        let lexical = s.spawn(|| search.search_keys(&candidates_req));
        let qv = semantic.query_vector(&req.q).map(|qv| {
            qv.map(|qv| {
                let near = semantic.nearest(&qv, candidates_req.limit, req.solved_only);
                (qv, near)
            })
        });
        (qv, lexical.join())
    });
    let lexical = match lexical {
        Ok(found) => found?,
        Err(_) => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "the word search panicked"
            )))
        }
    };
    match query_vector {
        Ok(Some((qv, near))) => {
            let dense = Dense {
                semantic,
                weight: dense_weight,
                query: &qv,
                near,
            };
            fuse(search, req, lang, dense, lexical)
        }
        Ok(None) => Ok(SearchResults::clone(&*search.search_cached(req)?)),
        Err(e) => {
            tracing::warn!("embedding a query failed, answering by words only: {e:#}");
            Ok(SearchResults::clone(&*search.search_cached(req)?))
        }
    }
}

/// The word search whose hits are fused: more candidates than shown, without snippets (only
/// the few shown get them, once fused).
fn candidates_request(req: &SearchRequest) -> SearchRequest {
    SearchRequest {
        limit: CANDIDATES.max(req.limit.clamp(1, 100)),
        snippets: false,
        ..req.clone()
    }
}

/// Results of the main search the meaning may reorder: its first `RERANK_WINDOW`.
const RERANK_WINDOW: usize = 30;

/// The search page's and `GET /api/v1/search`'s ranking, with meaning as a signal: the first
/// `RERANK_WINDOW` results (by words) are reordered by
/// `BM25 / best BM25 + search_dense_weight × cosine with the query`; everything after stays in
/// word order. The window is the same for every page, so paging never repeats or skips a
/// result. The query's vector is cached; without a model (or for an empty query) this is
/// `search_cached`. Also returns the best result's cosine with the query (how well anything
/// matched, for content gaps), when known.
pub fn search_ranked(
    search: &Search,
    req: &SearchRequest,
) -> AppResult<(Arc<SearchResults>, Option<f32>)> {
    let semantic = search.semantic();
    let weight = semantic.weights.search_dense;
    if !semantic.is_on() || weight <= 0.0 || req.q.trim().is_empty() || req.offset >= RERANK_WINDOW
    {
        return Ok((search.search_cached(req)?, None));
    }
    let qv = match semantic.query_vector(&req.q) {
        Ok(Some(v)) => v,
        Ok(None) => return Ok((search.search_cached(req)?, None)),
        Err(e) => {
            tracing::warn!("embedding a query failed, ranking by words only: {e:#}");
            return Ok((search.search_cached(req)?, None));
        }
    };
    let lang = search.text_language(&req.q);
    let weight = if lang == Lang::De {
        weight * semantic.weights.german_dense / semantic.weights.dense.max(f32::EPSILON)
    } else {
        weight
    };
    let embedded = semantic.applied.load(Ordering::Acquire);
    let key = format!("ranked {embedded} {req:?}");
    let mut best = None;
    let found = search.cached(key, || {
        let window = SearchRequest {
            offset: 0,
            limit: RERANK_WINDOW.max(req.offset + req.limit),
            ..req.clone()
        };
        let mut results = search.search(&window)?;
        let head = results.hits.len().min(RERANK_WINDOW);
        let best_bm25 = results.hits[..head]
            .iter()
            .map(|h| h.score)
            .fold(0f32, f32::max);
        let ids: Vec<i64> = results.hits[..head]
            .iter()
            .map(|h| if h.kind == THREAD { h.id } else { 0 })
            .collect();
        let cosines = semantic.scores(&qv, &ids);
        let weakest = cosines.iter().flatten().copied().fold(f32::MAX, f32::min);
        let weakest = if weakest == f32::MAX { 0.0 } else { weakest };
        for (h, cos) in results.hits[..head].iter_mut().zip(&cosines) {
            let words = if best_bm25 > 0.0 {
                h.score / best_bm25
            } else {
                0.0
            };
            h.score = words + weight * cos.unwrap_or(weakest);
        }
        results.hits[..head].sort_by(|a, b| b.score.total_cmp(&a.score));
        results.hits = results
            .hits
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .collect();
        Ok(results)
    })?;
    // German queries weigh the model differently (English-only by default): their cosines
    // say little about how well anything matched.
    let comparable = lang != Lang::De || semantic.weights.german_dense == semantic.weights.dense;
    if let Some(top) = found
        .hits
        .first()
        .filter(|h| h.kind == THREAD && comparable)
    {
        best = semantic.scores(&qv, &[top.id]).pop().flatten();
    }
    Ok((found, best))
}

/// "Related questions" beside a thread: the solved threads and articles a draft with its title
/// would be shown, but by the thread's own stored vector (title, question and accepted
/// answer: no inference on a page view), the thread itself left out. Words alone while it
/// has no vector yet or without a model.
pub fn related(
    search: &Search,
    thread_id: i64,
    title: &str,
    limit: usize,
    prefer_lang: Option<String>,
) -> AppResult<Vec<Hit>> {
    let req = SearchRequest {
        prefer_lang,
        ..similar_request(title, limit + 1)
    };
    // A vector embedded since can change what is nearest: the embedder's progress is part of
    // the key.
    let embedded = search.semantic().applied.load(Ordering::Acquire);
    let key = format!("related {thread_id} {embedded} {req:?}");
    let found = search.cached(key, || {
        let mut results = match search.semantic().thread_vector(thread_id) {
            Some(v) => {
                let candidates_req = candidates_request(&req);
                let lexical = search.search_keys(&candidates_req)?;
                let semantic = search.semantic();
                let lang = search.text_language(title);
                let dense = Dense {
                    semantic,
                    weight: match lang {
                        Lang::De => semantic.weights.german_dense,
                        Lang::En => semantic.weights.dense,
                    },
                    query: &v,
                    near: semantic.nearest(&v, candidates_req.limit, req.solved_only),
                };
                fuse(search, &req, lang, dense, lexical)?
            }
            None => SearchResults::clone(&*search.search_cached(&req)?),
        };
        results
            .hits
            .retain(|h| !(h.kind == THREAD && h.id == thread_id));
        results.hits.truncate(limit);
        Ok(results)
    })?;
    Ok(found.hits.clone())
}

/// Threads moderators may want to merge with `thread_id`: the nearest in meaning, solved or
/// not, at least `duplicate_similarity` alike, best first. Empty without a model or before the
/// thread has a vector.
pub fn duplicates(search: &Search, thread_id: i64, limit: usize) -> AppResult<Vec<Hit>> {
    let semantic = search.semantic();
    let Some(v) = semantic.thread_vector(thread_id) else {
        return Ok(Vec::new());
    };
    let min = semantic.weights.duplicate;
    let near: Vec<(&str, i64, f32)> = semantic
        .nearest(&v, limit + 1, false)
        .into_iter()
        .filter(|&(id, cos)| id != thread_id && cos >= min)
        .map(|(id, cos)| (THREAD, id, cos))
        .take(limit)
        .collect();
    if near.is_empty() {
        return Ok(Vec::new());
    }
    search.hits_by_key(&near, &SearchRequest::default(), &[])
}

/// The meaning side of a fusion: the vectors compared (the main model's or the German
/// model's), the weight of their cosine, the query's vector and its nearest threads.
struct Dense<'a> {
    semantic: &'a super::Semantic,
    weight: f32,
    query: &'a [f32],
    near: Vec<(i64, f32)>,
}

/// The word search's candidates (`lexical`, found with `candidates_request(req)`) fused with
/// `dense.near`, the threads nearest the query's vector (see `suggest`). Ranks on ids and
/// scores alone, then loads only the few it shows.
fn fuse(
    search: &Search,
    req: &SearchRequest,
    lang: Lang,
    dense: Dense,
    lexical: super::query::Keyed,
) -> AppResult<SearchResults> {
    let semantic = dense.semantic;
    let limit = req.limit.clamp(1, 100);
    let (mut results, keys) = lexical;
    let lexical_weight = search.semantic().weights.lexical;
    let dense_weight = dense.weight;
    let best_bm25 = keys.iter().map(|k| k.2).fold(0f32, f32::max);
    // Each candidate with its BM25 relative to the best word match (0 for meaning-only ones).
    let mut candidates: Vec<(&str, i64, f32)> = keys
        .iter()
        .map(|&(kind, id, bm25)| {
            let words = if best_bm25 > 0.0 {
                bm25 / best_bm25
            } else {
                0.0
            };
            (kind, id, words)
        })
        .collect();
    let known: HashSet<i64> = keys.iter().filter(|k| k.0 == THREAD).map(|k| k.1).collect();
    let only_dense: Vec<i64> = dense
        .near
        .iter()
        .map(|d| d.0)
        .filter(|id| !known.contains(id))
        .collect();
    // Threads found by meaning alone count only if everyone may find them.
    let findable = search.indexed_threads(&only_dense, req.solved_only)?;
    candidates.extend(
        only_dense
            .into_iter()
            .filter(|id| findable.contains(id))
            .map(|id| (THREAD, id, 0.0)),
    );
    let thread_ids: Vec<i64> = candidates
        .iter()
        .map(|c| if c.0 == THREAD { c.1 } else { 0 })
        .collect();
    let cosines = semantic.scores(dense.query, &thread_ids);
    let weakest = cosines.iter().flatten().copied().fold(f32::MAX, f32::min);
    let weakest = if weakest == f32::MAX { 0.0 } else { weakest };
    let mut scored: Vec<(&str, i64, f32)> = candidates
        .iter()
        .zip(&cosines)
        .map(|(&(kind, id, words), cos)| {
            let score = dense_weight * cos.unwrap_or(weakest) + lexical_weight * words;
            (kind, id, score)
        })
        .collect();
    scored.sort_by(|a, b| b.2.total_cmp(&a.2));
    // The shown few, and as many again when a language is preferred (a close match in it may
    // move up), loaded with snippets around the draft's words.
    let take = if req.prefer_lang.is_some() {
        limit * 2
    } else {
        limit
    };
    scored.truncate(take);
    let words = search.analyze(lang, &req.q);
    let filters = SearchRequest {
        category: req.category.clone(),
        lang: req.lang.clone(),
        ..Default::default()
    };
    let mut hits = search.hits_by_key(&scored, &filters, &words)?;
    if let Some(preferred) = req.prefer_lang.as_deref() {
        super::query::prefer_language(&mut hits, preferred);
    }
    hits.truncate(limit);
    results.hits = hits;
    results.fused = true;
    Ok(results)
}

/// Counts each new question for the solved threads the ask page would have suggested for its
/// title.
pub struct SimilarAsked {
    pub search: Arc<Search>,
}

impl Consumer for SimilarAsked {
    fn name(&self) -> String {
        "similar-asked".into()
    }

    fn cluster_wide(&self) -> bool {
        true
    }

    /// Embeds the new questions' titles before the transaction (the model takes milliseconds
    /// per title; the write lock should not wait for it): `apply` then finds them cached.
    fn prepare(&mut self, db: &Db, events: &[Event]) {
        let semantic = self.search.semantic();
        if !semantic.is_on() {
            return;
        }
        let ids: Vec<i64> = events
            .iter()
            .filter(|e| e.kind() == Some(Kind::QuestionAsked))
            .filter_map(|e| e.thread_id)
            .collect();
        for id in ids {
            let Ok(thread) = db.read_blocking(|conn| crate::threads::find_thread(conn, id)) else {
                continue;
            };
            let req = similar_request(&thread.title, SIMILAR_ASKED_TOP);
            // The model `suggest` will ask: the German one for a German title, once loaded.
            let side = match (self.search.text_language(&req.q), semantic.german_ready()) {
                (Lang::De, Some(german)) => german,
                _ => semantic,
            };
            if let Err(e) = side.query_vector(&req.q) {
                tracing::warn!("embedding a new question's title failed: {e:#}");
            }
        }
    }

    fn apply(&mut self, conn: &mut DbConn, event: &Event) -> AppResult<()> {
        if event.kind() != Some(Kind::QuestionAsked) {
            return Ok(());
        }
        let Some(new_id) = event.thread_id else {
            return Ok(());
        };
        // A thread deleted since has nothing to count.
        let Ok(thread) = crate::threads::find_thread(conn, new_id) else {
            return Ok(());
        };
        // While the index is being rebuilt this fails (503) and the batch is retried later.
        let results = suggest(
            &self.search,
            &similar_request(&thread.title, SIMILAR_ASKED_TOP),
        )?;
        let ids: Vec<i64> = results
            .hits
            .iter()
            .filter(|h| h.kind == THREAD && h.id != new_id)
            .map(|h| h.id)
            .collect();
        if !ids.is_empty() {
            crate::threads::count_similar_asked(conn, &ids)?;
        }
        Ok(())
    }
}
