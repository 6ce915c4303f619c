//! Similar questions: the search behind the ask page's suggestions, and the consumer of
//! `question_asked` events that counts a new question against the solved threads it resembles
//! (`threads.similar_asked`, a signal for "worth promoting"). The consumer runs once per
//! cluster (a lease), and its count lands in the transaction that moves its cursor, so a
//! replay after a crash counts nothing twice.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::schema::Lang;
use super::{Hit, Search, SearchRequest, SearchResults, THREAD};
use crate::db::DbConn;
use crate::error::AppResult;
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
    let semantic = search.semantic();
    let query_vector = match semantic.query_vector(&req.q) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!("embedding a query failed, answering by words only: {e:#}");
            None
        }
    };
    let Some(qv) = query_vector else {
        let cached = search.search_cached(req)?;
        return Ok(SearchResults::clone(&cached));
    };
    let limit = req.limit.clamp(1, 100);
    let candidates_req = SearchRequest {
        limit: CANDIDATES.max(limit),
        // Snippets only for the few that are shown, once fused.
        snippets: false,
        ..req.clone()
    };
    let mut results = search.search(&candidates_req)?;
    let weights = &semantic.weights;
    let dense_weight = if lang == Lang::De {
        weights.german_dense
    } else {
        weights.dense
    };
    let dense = semantic.nearest(&qv, CANDIDATES.max(limit), req.solved_only);
    let mut hits: Vec<Hit> = std::mem::take(&mut results.hits);
    let best_bm25 = hits.iter().map(|h| h.score).fold(0f32, f32::max);
    let mut lexical_part: HashMap<(String, i64), f32> = HashMap::new();
    for h in &hits {
        let part = if best_bm25 > 0.0 {
            h.score / best_bm25
        } else {
            0.0
        };
        lexical_part.insert((h.kind.clone(), h.id), part);
    }
    let known: HashSet<i64> = hits
        .iter()
        .filter(|h| h.kind == THREAD)
        .map(|h| h.id)
        .collect();
    let only_dense: Vec<(&str, i64, f32)> = dense
        .iter()
        .filter(|(id, _)| !known.contains(id))
        .map(|&(id, score)| (THREAD, id, score))
        .collect();
    hits.extend(search.hits_by_key(&only_dense, &candidates_req, &[])?);
    let thread_ids: Vec<i64> = hits
        .iter()
        .map(|h| if h.kind == THREAD { h.id } else { 0 })
        .collect();
    let cosines = semantic.scores(&qv, &thread_ids);
    let weakest = cosines.iter().flatten().copied().fold(f32::MAX, f32::min);
    let weakest = if weakest == f32::MAX { 0.0 } else { weakest };
    for (h, cos) in hits.iter_mut().zip(&cosines) {
        let words = lexical_part
            .get(&(h.kind.clone(), h.id))
            .copied()
            .unwrap_or(0.0);
        h.score = dense_weight * cos.unwrap_or(weakest) + weights.lexical * words;
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    if let Some(preferred) = req.prefer_lang.as_deref() {
        super::query::prefer_language(&mut hits, preferred);
    }
    hits.truncate(limit);
    // The shown few again, now with snippets around the draft's words.
    let shown: Vec<(&str, i64, f32)> = hits
        .iter()
        .map(|h| (h.kind.as_str(), h.id, h.score))
        .collect();
    let words = search.analyze(lang, &req.q);
    let all = SearchRequest::default();
    results.hits = search.hits_by_key(&shown, &all, &words)?;
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
