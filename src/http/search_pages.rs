//! Search over HTTP: the search page, result clicks, and the JSON search and similar-question
//! API. Every search is logged (`crate::search::SearchLog`) for the self-service dashboard.

use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::render::page_response;
use super::render::see_other;
use super::session::{read_session, ApiCaller, Viewer};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::insights::AskSession;
use crate::msg;
use crate::search::{
    Facets, Hit, SearchLogEntry, SearchRequest, SearchResults, MAX_QUERY_CHARS, SIMILAR_LOOKUP,
};

/// Query string of `/search` and `/api/v1/search`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub status: Option<String>,
    /// `1`/`true`/`yes`: only threads answered by staff.
    pub staff: Option<String>,
    /// Only content in this language: `en` or `de` (as detected when indexed).
    pub lang: Option<String>,
    pub page: Option<usize>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

const PER_PAGE: usize = 10;
/// `limit` of the search API.
const MAX_LIMIT: usize = 100;
/// `offset` of the search API: deep paging costs, and nobody reads that far.
const MAX_OFFSET: usize = 10_000;
/// Pages of the search page.
const MAX_PAGE: usize = 500;

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl SearchQuery {
    /// Validates the query into a request (4xx on anything out of range).
    fn request(&self, limit: usize, offset: usize) -> AppResult<SearchRequest> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::invalid(msg!(
                "search-error-too-long",
                max = MAX_QUERY_CHARS
            )));
        }
        if self.q.chars().any(|c| c.is_control() && c != '\t') {
            return Err(AppError::invalid(msg!("search-error-control-characters")));
        }
        let kind = nonempty(&self.kind);
        if let Some(k) = &kind {
            if k != "thread" && k != "article" {
                return Err(AppError::invalid(msg!("search-error-type")));
            }
        }
        let status = nonempty(&self.status);
        if let Some(s) = &status {
            if !["open", "answered", "solved", "closed", "unanswered"].contains(&s.as_str()) {
                return Err(AppError::invalid(msg!("search-error-status")));
            }
        }
        let staff = match self.staff.as_deref().map(str::trim) {
            None | Some("") | Some("0") | Some("false") | Some("no") => false,
            Some("1") | Some("true") | Some("yes") => true,
            Some(_) => return Err(AppError::invalid(msg!("search-error-staff"))),
        };
        let lang = nonempty(&self.lang);
        if let Some(l) = &lang {
            if !crate::search::schema::Lang::ALL
                .iter()
                .any(|x| x.code() == l)
            {
                return Err(AppError::invalid(msg!("search-error-lang")));
            }
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::invalid(msg!(
                "search-error-limit",
                max = MAX_LIMIT
            )));
        }
        if offset > MAX_OFFSET {
            return Err(AppError::invalid(msg!(
                "search-error-offset",
                max = MAX_OFFSET
            )));
        }
        Ok(SearchRequest {
            q: self.q.trim().to_string(),
            kind,
            category: nonempty(&self.category),
            tag: nonempty(&self.tag),
            status,
            staff,
            lang,
            limit,
            offset,
            ..Default::default()
        })
    }

    /// Filters as `k=v&...` for the log and for links.
    fn filters(&self) -> String {
        self.filters_except("")
    }

    /// Filters without `skip`: facet links replace that filter instead of repeating it.
    fn filters_except(&self, skip: &str) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("type", &self.kind),
            ("category", &self.category),
            ("tag", &self.tag),
            ("status", &self.status),
            ("staff", &self.staff),
            ("lang", &self.lang),
        ] {
            if k == skip {
                continue;
            }
            if let Some(v) = nonempty(v) {
                parts.push(format!("{k}={}", super::errors::urlencode(&v)));
            }
        }
        parts.join("&")
    }
}

fn new_search_id() -> String {
    let mut buf = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

fn session_hash(req: &HttpRequest, state: &AppState) -> String {
    read_session(req, state)
        .map(|s| sid_hash(&s.sid))
        .unwrap_or_default()
}

/// A session id as logs and feedback keep it: hashed, never the id itself.
pub fn sid_hash(sid: &str) -> String {
    let digest = sha2::Sha256::digest(sid.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..12])
}

/// Whether suggestions for the draft `q` score on the common scale, about 0..1, that tells a
/// weak best match from a good one (the search log's `best_score`). Only suggestions by
/// meaning do (`search::suggest`; word search alone, BM25, has no scale), and drafts taken for
/// German only when they are fused with the same dense weight: `german_dense_weight` puts
/// them on another scale, and with the English-only default model their scores were measured
/// not to separate answered from unanswered drafts (docs/insights.md).
fn comparable_scores(search: &crate::search::Search, q: &str) -> bool {
    let semantic = search.semantic();
    let w = &semantic.weights;
    semantic.is_on()
        && (w.german_dense == w.dense || search.text_language(q) != crate::search::schema::Lang::De)
}

/// Runs the search on the blocking pool and logs it (with the ask-page visit it came from,
/// for similar-question lookups).
async fn run_search(
    state: &AppState,
    req: &HttpRequest,
    request: SearchRequest,
    filters: String,
    source: &'static str,
    ask_session: Option<&AskSession>,
) -> AppResult<(SearchResults, String)> {
    let search = state.search.clone();
    let q = request.q.clone();
    let first_page = request.offset == 0;
    let log_it = !q.is_empty() || !filters.is_empty();
    let (results, fused, meaning) = if source == SIMILAR_LOOKUP {
        // Suggestions fuse in the nearest vectors, which change without a new index
        // generation: not cached (the query's vector is).
        web::block(move || {
            let results = crate::search::suggest(&search, &request)?;
            // A failed embedding answers by words: BM25 has no scale to call weak.
            let fused = results.fused && comparable_scores(&search, &request.q);
            Ok::<_, AppError>((results, fused, None))
        })
        .await??
    } else {
        // The main search: words, with meaning reordering the first results; `meaning` is the
        // best result's cosine with the query (when a model is loaded).
        let (cached, meaning) =
            web::block(move || crate::search::search_ranked(&search, &request)).await??;
        (SearchResults::clone(&cached), false, meaning)
    };
    let search_id = new_search_id();
    if log_it {
        let best = if fused {
            results
                .hits
                .iter()
                .max_by(|a, b| a.score.total_cmp(&b.score))
        } else {
            results.hits.first().filter(|_| first_page)
        };
        state.search.log.record(SearchLogEntry {
            search_id: search_id.clone(),
            query: q.chars().take(200).collect(),
            filters,
            result_count: results.total.min(i32::MAX as usize) as i32,
            session: session_hash(req, state),
            source,
            created_at: crate::db::now(),
            // Nothing suggested by meaning is as weak as a match gets.
            best_score: if fused {
                Some(best.map_or(0.0, |h| f64::from(h.score)))
            } else {
                meaning.filter(|_| first_page).map(f64::from)
            },
            top_result: best.map(|h| crate::search::doc_key(&h.kind, h.id)),
            ask_session: ask_session.map(|s| s.as_str().to_string()),
        });
    }
    Ok((results, search_id))
}

/// `search.html`: results with facets.
#[derive(Serialize)]
pub struct SearchPage {
    pub query: SearchQuery,
    pub total: usize,
    /// `total` is an estimate (phrase queries with many matches count a sample).
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Facet counts are exact (else estimates from a sample).
    pub facets_exact: bool,
    pub fuzzy: bool,
    /// The words matched with typo tolerance, as typed.
    pub fuzzy_words: Vec<String>,
    pub relaxed: bool,
    /// Category names by slug: results and facets carry slugs, people read names.
    pub category_names: std::collections::HashMap<String, String>,
    pub page: usize,
    pub has_more: bool,
    /// Id of this search, carried by result links to record clicks.
    pub search_id: String,
    /// `q=...&type=...` without the page, for page links.
    pub base_query: String,
    /// Per filter (`type`, `category`, `tag`, `status`, `staff`): the query without that filter,
    /// for facet links that replace it.
    pub facet_base: std::collections::HashMap<&'static str, String>,
}

pub async fn search_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    q: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = q.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(AppError::invalid(msg!("search-error-page", max = MAX_PAGE)));
    }
    let request = q.request(PER_PAGE, (page - 1) * PER_PAGE)?;
    let filters = q.filters();
    let (results, search_id) =
        run_search(&state, &req, request, filters.clone(), "web", None).await?;
    let mut base_query = format!("q={}", super::errors::urlencode(&q.q));
    if !filters.is_empty() {
        base_query.push('&');
        base_query.push_str(&filters);
    }
    let q_part = format!("q={}", super::errors::urlencode(&q.q));
    let facet_base = ["type", "category", "tag", "status", "staff", "lang"]
        .into_iter()
        .map(|k| {
            let rest = q.filters_except(k);
            (
                k,
                if rest.is_empty() {
                    q_part.clone()
                } else {
                    format!("{q_part}&{rest}")
                },
            )
        })
        .collect();
    let title = if q.q.is_empty() {
        msg!("title-search")
    } else {
        msg!("title-search-for", query = &q.q)
    };
    let category_names = state
        .db
        .read(|conn| {
            Ok(crate::catalog::list_categories(conn)?
                .into_iter()
                .map(|c| (c.slug, c.name))
                .collect())
        })
        .await?;
    let page = SearchPage {
        has_more: page * PER_PAGE < results.total,
        total: results.total,
        total_exact: results.total_exact,
        hits: results.hits,
        facets: results.facets,
        facets_exact: results.facets_exact,
        fuzzy: results.fuzzy,
        fuzzy_words: results.fuzzy_words,
        relaxed: results.relaxed,
        category_names,
        page,
        search_id,
        base_query,
        facet_base,
        query: q,
    };
    page_response(&state, &req, Some(&viewer), "search.html", &page, title)
}

/// A click on a result: logged, then on to the page.
pub async fn click(
    state: web::Data<AppState>,
    path: web::Path<(String, String, i64)>,
) -> AppResult<HttpResponse> {
    let (search_id, kind, id) = path.into_inner();
    let url = match kind.as_str() {
        crate::search::THREAD => state
            .db
            .read(move |conn| crate::threads::find_thread(conn, id))
            .await?
            .path(),
        crate::search::ARTICLE => state
            .db
            .read(move |conn| crate::kb::find_visible(conn, id, None))
            .await?
            .path(),
        _ => return Err(AppError::not_found(msg!("search-error-result-not-found"))),
    };
    state
        .search
        .log
        .click(&search_id, &crate::search::doc_key(&kind, id));
    Ok(see_other(url))
}

fn absolute(state: &AppState, hits: &mut [Hit]) {
    for h in hits {
        h.url = format!("{}{}", state.base_url, h.url);
    }
}

pub async fn api_search(
    state: web::Data<AppState>,
    req: HttpRequest,
    _caller: ApiCaller,
    q: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let request = q.request(q.limit.unwrap_or(PER_PAGE), q.offset.unwrap_or(0))?;
    let (mut results, search_id) =
        run_search(&state, &req, request, q.filters(), "api", None).await?;
    absolute(&state, &mut results.hits);
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "total": results.total,
        "total_exact": results.total_exact,
        "hits": results.hits,
        "facets": results.facets,
        "facets_exact": results.facets_exact,
        "fuzzy": results.fuzzy,
        "fuzzy_words": results.fuzzy_words,
        "relaxed": results.relaxed,
        "search_id": search_id,
    })))
}

#[derive(Deserialize)]
pub struct SimilarQuery {
    #[serde(default)]
    pub q: String,
    /// The ask-page visit the lookup comes from (the page's `data-ask-session`), if any.
    #[serde(default)]
    pub ask_session: String,
}

/// What the ask page shows beside a draft title.
#[derive(Debug, Default)]
pub struct Similar {
    /// Similar solved threads and articles.
    pub hits: Vec<Hit>,
    /// The asker's own open threads.
    pub own: Vec<OwnThread>,
    /// The logged lookup (`None` when the title was too short to look up): suggestion links
    /// go through `/search/click/{search_id}/…`, so an opened suggestion is recorded.
    pub search_id: Option<String>,
}

/// An open thread of the asker, shown before similar questions.
#[derive(Debug, Clone, Serialize)]
pub struct OwnThread {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
}

/// Similar solved threads and articles for a draft title, and the asker's own open threads;
/// the lookup is logged against the ask-page visit `ask_session`.
pub async fn similar_for(
    state: &AppState,
    req: &HttpRequest,
    user: Option<&crate::accounts::User>,
    text: &str,
    ask_session: Option<&AskSession>,
) -> AppResult<Similar> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(msg!(
            "search-error-too-long",
            max = MAX_QUERY_CHARS
        )));
    }
    let own = match user {
        Some(u) => {
            let id = u.id;
            state
                .db
                .read(move |conn| crate::threads::open_threads_of(conn, id, 5))
                .await?
                .into_iter()
                .map(|(id, title, status)| OwnThread {
                    url: crate::threads::thread_path(id, &title),
                    id,
                    title,
                    status,
                })
                .collect()
        }
        None => Vec::new(),
    };
    let text = text.trim();
    if text.chars().count() < 3 {
        return Ok(Similar {
            own,
            ..Default::default()
        });
    }
    let mut request = crate::search::similar_request(text, 5);
    // The interface's language goes first among equally good suggestions, unless the draft is
    // German (`search::suggest` decides that, off the async workers).
    let ui = super::locale::resolve(req, state, user).lang.id.language;
    request.prefer_lang = Some(if ui.as_str() == "de" { "de" } else { "en" }.to_string());
    let (results, search_id) = run_search(
        state,
        req,
        request,
        String::new(),
        SIMILAR_LOOKUP,
        ask_session,
    )
    .await?;
    Ok(Similar {
        hits: results.hits,
        own,
        search_id: Some(search_id),
    })
}

/// `GET /api/v1/search/similar?q=`: for the ask page (the session cookie or a token tells who
/// is asking, to list their own open threads first).
pub async fn api_similar(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    caller: ApiCaller,
    q: web::Query<SimilarQuery>,
) -> AppResult<HttpResponse> {
    let user = caller.0.or(viewer.user);
    let ask_session = AskSession::parse(&q.ask_session)?;
    let Similar {
        mut hits,
        mut own,
        search_id,
    } = similar_for(&state, &req, user.as_ref(), &q.q, ask_session.as_ref()).await?;
    absolute(&state, &mut hits);
    for o in &mut own {
        o.url = format!("{}{}", state.base_url, o.url);
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "own_open_threads": own,
        "hits": hits,
        "search_id": search_id,
    })))
}
