//! What search engines and feed readers fetch: `/robots.txt`, `/sitemap.xml` and its pages,
//! and the Atom feeds, each cached until the next write (what they list is the sitemap and
//! feeds modules').

use actix_web::{http::header, web, HttpRequest, HttpResponse};

use super::AppState;
use crate::error::{AppError, AppResult};
use crate::{feeds, msg, sitemap};

pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    let rules = state.settings.server.robots_txt.trim();
    let body = sitemap::robots_txt(
        &state.settings.base_url(),
        (!rules.is_empty()).then_some(rules),
    );
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(body)
}

pub async fn index(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let base = state.settings.base_url();
    let doc = state
        .cache
        .document(&state.db, "sitemap.xml", move |conn| {
            Ok(Some(sitemap::index_xml(&base, &sitemap::index(conn)?)))
        })
        .await?;
    xml(doc)
}

/// `/sitemap/threads-{n}.xml`, `/sitemap/kb.xml`, `/sitemap/categories.xml`.
pub async fn part(state: web::Data<AppState>, name: web::Path<String>) -> AppResult<HttpResponse> {
    let name = name.into_inner();
    let page = match name.as_str() {
        "kb.xml" | "categories.xml" => None,
        other => {
            let n = other
                .strip_prefix("threads-")
                .and_then(|rest| rest.strip_suffix(".xml"))
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| (1..=1_000_000).contains(n));
            Some(n.ok_or_else(no_such_page)?)
        }
    };
    let base = state.settings.base_url();
    let key = format!("sitemap/{name}");
    let doc = state
        .cache
        .document(&state.db, &key, move |conn| {
            let entries = match (page, name.as_str()) {
                (Some(n), _) => match sitemap::thread_page(conn, n)? {
                    Some(entries) => entries,
                    None => return Ok(None),
                },
                (None, "kb.xml") => sitemap::articles(conn)?,
                _ => sitemap::categories(conn)?,
            };
            Ok(Some(sitemap::urlset_xml(&base, &entries)))
        })
        .await?;
    xml(doc)
}

fn xml(doc: Option<std::sync::Arc<Vec<String>>>) -> AppResult<HttpResponse> {
    let doc = doc.ok_or_else(no_such_page)?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(doc.concat()))
}

fn no_such_page() -> AppError {
    AppError::not_found(msg!("error-no-such-page"))
}

/// An Atom feed: `/feeds/latest.atom`, `/feeds/solved.atom`, `/feeds/kb.atom`,
/// `/c/{slug}/feed.atom`, `/tags/{tag}/feed.atom`, `/t/{id}/feed.atom`. Titled in the reader's
/// language (feed readers usually ask for none: the site's default).
async fn feed(
    state: &AppState,
    req: &HttpRequest,
    source: feeds::Source,
) -> AppResult<HttpResponse> {
    let locale = super::locale::resolve(req, state, None);
    let (base, path) = (state.settings.base_url(), req.path().to_string());
    let key = format!("feed|{}|{path}", locale.lang.tag);
    let theme = state.theme.clone();
    let site = state.site().site_name.clone();
    let doc = state
        .cache
        .document(&state.db, &key, move |conn| {
            let feed = feeds::load(conn, &source)?;
            let title = match source {
                feeds::Source::Latest => msg!("feed-latest", site = site),
                feeds::Source::Solved => msg!("feed-solved", site = site),
                feeds::Source::Kb => msg!("feed-kb", site = site),
                feeds::Source::Category(_) => msg!("feed-category", name = &feed.name, site = site),
                feeds::Source::Tag(_) => msg!("feed-tag", name = &feed.name, site = site),
                feeds::Source::Thread(_) => msg!("feed-thread", title = &feed.name, site = site),
            };
            let title = theme.catalog.text(&locale.lang, &title);
            Ok(Some(feeds::atom_xml(
                &base,
                &path,
                &locale.lang.tag,
                &title,
                &feed,
            )))
        })
        .await?;
    let doc = doc.ok_or_else(no_such_page)?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .body(doc.concat()))
}

pub async fn latest_feed(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    feed(&state, &req, feeds::Source::Latest).await
}

pub async fn solved_feed(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    feed(&state, &req, feeds::Source::Solved).await
}

pub async fn kb_feed(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    feed(&state, &req, feeds::Source::Kb).await
}

pub async fn category_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    feed(&state, &req, feeds::Source::Category(slug.into_inner())).await
}

pub async fn tag_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    tag: web::Path<String>,
) -> AppResult<HttpResponse> {
    feed(&state, &req, feeds::Source::Tag(tag.into_inner())).await
}

pub async fn thread_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    feed(&state, &req, feeds::Source::Thread(id.into_inner())).await
}
