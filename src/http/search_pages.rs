//! Search over HTTP: the search page, result clicks, the JSON search and similar-question API,
//! and the staff page of searches that found nothing ("content gaps").

use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::render::page_response;
use super::render::see_other;
use super::session::{read_session, ApiCaller, Moderator, Viewer};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::search::{
    ContentGap, Facets, Hit, SearchLogEntry, SearchRequest, SearchResults, MAX_QUERY_CHARS,
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
/// The window of the content-gaps report.
const MAX_DAYS: i64 = 3650;

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

/// Runs the search on the blocking pool and logs it.
/// The search log's source for the ask page's suggestions.
const SIMILAR: &str = "similar";

async fn run_search(
    state: &AppState,
    req: &HttpRequest,
    request: SearchRequest,
    filters: String,
    source: &'static str,
) -> AppResult<(SearchResults, String)> {
    let search = state.search.clone();
    let q = request.q.clone();
    let log_it = !q.is_empty() || !filters.is_empty();
    let results = if source == SIMILAR {
        // Suggestions fuse in the nearest vectors, which change without a new index
        // generation: not cached (the query's vector is).
        web::block(move || crate::search::suggest(&search, &request)).await??
    } else {
        let cached = web::block(move || search.search_cached(&request)).await??;
        SearchResults::clone(&cached)
    };
    let search_id = new_search_id();
    if log_it {
        state.search.log.record(SearchLogEntry {
            search_id: search_id.clone(),
            query: q.chars().take(200).collect(),
            filters,
            result_count: results.total.min(i32::MAX as usize) as i32,
            session: session_hash(req, state),
            source,
            created_at: crate::db::now(),
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
    pub relaxed: bool,
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
    let (results, search_id) = run_search(&state, &req, request, filters.clone(), "web").await?;
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
    let page = SearchPage {
        has_more: page * PER_PAGE < results.total,
        total: results.total,
        total_exact: results.total_exact,
        hits: results.hits,
        facets: results.facets,
        facets_exact: results.facets_exact,
        fuzzy: results.fuzzy,
        relaxed: results.relaxed,
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
    let (mut results, search_id) = run_search(&state, &req, request, q.filters(), "api").await?;
    absolute(&state, &mut results.hits);
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "total": results.total,
        "total_exact": results.total_exact,
        "hits": results.hits,
        "facets": results.facets,
        "facets_exact": results.facets_exact,
        "fuzzy": results.fuzzy,
        "relaxed": results.relaxed,
        "search_id": search_id,
    })))
}

#[derive(Deserialize)]
pub struct SimilarQuery {
    #[serde(default)]
    pub q: String,
}

/// An open thread of the asker, shown before similar questions.
#[derive(Debug, Clone, Serialize)]
pub struct OwnThread {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
}

/// Similar solved threads and articles for a draft title, and the asker's own open threads.
pub async fn similar_for(
    state: &AppState,
    req: &HttpRequest,
    user: Option<&crate::accounts::User>,
    text: &str,
) -> AppResult<(Vec<Hit>, Vec<OwnThread>)> {
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
        return Ok((Vec::new(), own));
    }
    let mut request = crate::search::similar_request(text, 5);
    // The interface's language goes first among equally good suggestions, unless the draft is
    // German (`search::suggest` decides that, off the async workers).
    let ui = super::locale::resolve(req, state, user).lang.id.language;
    request.prefer_lang = Some(if ui.as_str() == "de" { "de" } else { "en" }.to_string());
    let (results, _) = run_search(state, req, request, String::new(), SIMILAR).await?;
    Ok((results.hits, own))
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
    let (mut hits, mut own) = similar_for(&state, &req, user.as_ref(), &q.q).await?;
    absolute(&state, &mut hits);
    for o in &mut own {
        o.url = format!("{}{}", state.base_url, o.url);
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({ "own_open_threads": own, "hits": hits })))
}

/// `content-gaps.html`: what people searched for and did not find.
#[derive(Serialize)]
pub struct ContentGapsPage {
    pub days: i64,
    pub gaps: Vec<ContentGap>,
}

#[derive(Deserialize)]
pub struct DaysQuery {
    pub days: Option<i64>,
}

pub async fn content_gaps(
    state: web::Data<AppState>,
    req: HttpRequest,
    Moderator(_, viewer): Moderator,
    q: web::Query<DaysQuery>,
) -> AppResult<HttpResponse> {
    let days = q.days.unwrap_or(30);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::invalid(msg!("search-error-days", max = MAX_DAYS)));
    }
    // Recent searches may still be in the buffer: write them first.
    let state2 = state.clone();
    web::block(move || state2.search.log.flush(&state2.db)).await?;
    let since = crate::db::now() - chrono::TimeDelta::days(days);
    let gaps = state
        .db
        .read(move |conn| crate::search::content_gaps(conn, since, 200))
        .await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "content-gaps.html",
        &ContentGapsPage { days, gaps },
        msg!("title-content-gaps"),
    )
}
