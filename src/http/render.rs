//! Rendering pages: the context every template gets (`site`, `me`, `csrf`, `nonce`, `title`,
//! `lang`, `tz`, `languages`, `page`), the per-response CSP nonce, and the in-memory cache of
//! anonymous pages. The cache is keyed by language, time zone and path, and tagged with the
//! database write generation, so any write through this node shows on the very next request.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use rand::RngCore;
use serde::Serialize;

use super::locale::{self, Locale};
use super::session::{session_cookie, Viewer};
use super::AppState;
use crate::error::AppResult;
use crate::i18n::Msg;

/// Where a cached page takes each response's CSP nonce: random per process, like the CSRF
/// marker, so user content cannot contain it.
fn nonce_placeholder() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| {
        format!(
            "__PEERDESK_NONCE_{}__",
            new_nonce().replace(['+', '/', '='], "")
        )
    })
}

/// Where a cached anonymous page's forms take the visitor's CSRF token (article feedback): a
/// random marker per process, so no user content can contain it and collect readers' tokens.
fn csrf_placeholder() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| {
        format!(
            "__PEERDESK_CSRF_{}__",
            new_nonce().replace(['+', '/', '='], "")
        )
    })
}

/// Cached pages also expire, so changes made by other processes (the CLI) show up soon.
const CACHE_TTL: Duration = Duration::from_secs(10);
/// Bound on the cache's memory: past it the cache starts over.
const CACHE_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Query parameters that change what a cached page shows; any other makes the page uncached,
/// so made-up query strings cannot fill memory.
const CACHE_PARAMS: [&str; 4] = ["tab", "status", "sort", "page"];

/// The signed-in user as templates see them.
#[derive(Debug, Serialize)]
pub struct Me {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub role: String,
    pub is_staff: bool,
    pub can_moderate: bool,
    pub is_admin: bool,
    /// Unread notifications (the bell).
    pub unread: i64,
    /// Items waiting for review (moderators, staff, admins).
    pub review: i64,
}

/// Site-wide values for templates.
#[derive(Debug, Serialize)]
pub struct Site<'a> {
    pub name: &'a str,
    /// Who customers ask for a person ("I still need help from ...").
    pub company: &'a str,
    pub logo_url: &'a str,
    pub contact_url: &'a str,
    pub footer_links: &'a [crate::site::Link],
    pub base_url: &'a str,
    /// Local sign-up is open (`auth.local_accounts`).
    pub signup: bool,
    /// Largest attachment, in megabytes (the editor's hint).
    pub upload_mb: u32,
}

/// What every template receives. `page` is the page's own context struct (`ThreadPage`, ...).
#[derive(Serialize)]
struct Context<'a, T: Serialize> {
    site: Site<'a>,
    me: Option<Me>,
    /// CSRF token for forms (on cached anonymous pages, a placeholder each response fills in).
    csrf: &'a str,
    /// CSP nonce for `<script nonce=...>`.
    nonce: &'a str,
    /// Text for `<title>`.
    title: String,
    /// Current path (for navigation and `next=` links).
    path: &'a str,
    /// The interface language's tag (`<html lang>`, and what `t()` and the filters use).
    lang: &'a str,
    /// The reader's time zone (IANA name) for every time shown.
    tz: &'a str,
    /// The languages offered, for the switcher.
    languages: Vec<LanguageChoice<'a>>,
    page: &'a T,
}

#[derive(Serialize)]
struct LanguageChoice<'a> {
    tag: &'a str,
    name: &'a str,
}

fn new_nonce() -> String {
    let mut buf = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::STANDARD.encode(buf)
}

/// Hashes of the only inline styles markdown may produce (table column alignment), allowed
/// with `'unsafe-hashes'` so no other inline style applies.
fn style_hashes() -> &'static str {
    static HASHES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASHES.get_or_init(|| {
        use sha2::Digest;
        [
            "text-align: left",
            "text-align: center",
            "text-align: right",
        ]
        .iter()
        .map(|s| {
            let digest = sha2::Sha256::digest(s.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
    })
}

fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-hashes'{}; \
         img-src 'self' https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'",
        style_hashes()
    )
}

/// The per-response values a page embeds: the CSP nonce, and the CSRF token for a viewer-less
/// page (a placeholder on cached pages, filled in per response; empty elsewhere).
#[derive(Clone, Copy)]
struct Secrets<'a> {
    nonce: &'a str,
    csrf: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn render_html<T: Serialize>(
    state: &AppState,
    req: &HttpRequest,
    viewer: Option<&Viewer>,
    locale: &Locale,
    template: &str,
    page: &T,
    title: &Msg,
    secrets: Secrets,
) -> AppResult<String> {
    let Secrets { nonce, csrf } = secrets;
    let me = viewer.and_then(|v| v.user.as_ref()).map(|u| {
        let role = u.role();
        Me {
            id: u.id,
            handle: u.handle.clone(),
            name: u.display_name().to_string(),
            role: u.role.clone(),
            is_staff: role.is_staff(),
            can_moderate: role.can_moderate(),
            is_admin: role == crate::accounts::Role::Admin,
            unread: viewer.map_or(0, |v| v.unread),
            review: viewer.map_or(0, |v| v.review),
        }
    });
    let settings = state.site();
    let ctx = Context {
        site: Site {
            name: &settings.site_name,
            company: settings.company(),
            logo_url: &settings.logo_url,
            contact_url: &settings.contact_url,
            footer_links: &settings.footer_links,
            base_url: &state.base_url,
            signup: state.settings.auth.local_accounts,
            upload_mb: state.settings.attachments.max_file_mb,
        },
        me,
        csrf: viewer.map(|v| v.session.csrf.as_str()).unwrap_or(csrf),
        nonce,
        title: state.theme.catalog.text(&locale.lang, title),
        path: req.path(),
        lang: &locale.lang.tag,
        tz: locale.tz.name(),
        languages: state
            .theme
            .catalog
            .languages()
            .iter()
            .filter(|l| !l.is_pseudo() || locale.lang.is_pseudo())
            .map(|l| LanguageChoice {
                tag: &l.tag,
                name: &l.name,
            })
            .collect(),
        page,
    };
    state
        .theme
        .render_in(template, &ctx, &locale.lang.tag, locale.tz)
}

fn html_response(html: String, nonce: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, csp(nonce)))
        // The same URL reads differently per language and zone (header or cookies).
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .body(html)
}

/// Renders a page for `viewer` (None: an anonymous page without forms). Sends the session cookie
/// when the viewer's session is new, so the page's forms can be submitted.
pub fn page_response<T: Serialize>(
    state: &AppState,
    req: &HttpRequest,
    viewer: Option<&Viewer>,
    template: &str,
    page: &T,
    title: impl Into<Msg>,
) -> AppResult<HttpResponse> {
    let nonce = new_nonce();
    let secrets = Secrets {
        nonce: &nonce,
        csrf: "",
    };
    let locale = match viewer {
        Some(v) => locale::resolve(req, state, v.user.as_ref()),
        None => locale::of_request(req, state),
    };
    let title = title.into();
    let html = render_html(state, req, viewer, &locale, template, page, &title, secrets)?;
    let mut resp = html_response(html, &nonce);
    if let Some(v) = viewer.filter(|v| v.new_session || v.refresh_cookie) {
        resp.add_cookie(&session_cookie(state, &v.session))
            .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    }
    Ok(resp)
}

struct CachedPage {
    generation: u64,
    at: Instant,
    /// The HTML split at the nonce placeholder.
    parts: Arc<Vec<String>>,
    /// A form on it needs the visitor's CSRF token.
    has_csrf: bool,
}

/// Rendered anonymous pages by path.
pub struct PageCache {
    enabled: bool,
    pages: RwLock<CacheMap>,
}

#[derive(Default)]
struct CacheMap {
    pages: HashMap<String, CachedPage>,
    bytes: usize,
}

impl PageCache {
    pub fn new(enabled: bool) -> PageCache {
        PageCache {
            enabled,
            pages: RwLock::new(CacheMap::default()),
        }
    }

    fn get(&self, key: &str, generation: u64) -> Option<(Arc<Vec<String>>, bool)> {
        let map = self.pages.read().ok()?;
        let page = map.pages.get(key)?;
        (page.generation == generation && page.at.elapsed() < CACHE_TTL)
            .then(|| (page.parts.clone(), page.has_csrf))
    }

    fn put(&self, key: String, generation: u64, html: &str) {
        let Ok(mut map) = self.pages.write() else {
            return;
        };
        if map.bytes + html.len() > CACHE_MAX_BYTES {
            map.pages.clear();
            map.bytes = 0;
        }
        let parts: Vec<String> = html
            .split(nonce_placeholder())
            .map(str::to_string)
            .collect();
        let page = CachedPage {
            generation,
            at: Instant::now(),
            parts: Arc::new(parts),
            has_csrf: html.contains(csrf_placeholder()),
        };
        map.bytes += html.len();
        if let Some(old) = map.pages.insert(key, page) {
            map.bytes -= old.parts.iter().map(String::len).sum::<usize>();
        }
    }
}

impl PageCache {
    /// A document that is the same for everyone (a sitemap page), from the cache while no
    /// write happened since and it is younger than the page TTL, else made by `make` on the
    /// blocking pool and kept. Cached whether or not pages are (it has no personal part).
    pub async fn document(
        &self,
        db: &crate::db::Db,
        key: &str,
        make: impl FnOnce(&mut crate::db::DbConn) -> AppResult<Option<String>> + Send + 'static,
    ) -> AppResult<Option<Arc<Vec<String>>>> {
        let key = format!("doc|{key}");
        let generation = db.generation();
        if let Some((parts, _)) = self.get(&key, generation) {
            return Ok(Some(parts));
        }
        let Some(text) = db.read(make).await? else {
            return Ok(None);
        };
        self.put(key, generation, &text);
        Ok(Some(Arc::new(vec![text])))
    }
}

/// The cache key for a request: language and zone, path, and the known parameters in a fixed
/// order; None when the query has anything else (such pages are rendered but not cached).
fn cache_key(req: &HttpRequest, locale: &Locale) -> Option<String> {
    let mut key = locale.cache_key();
    key.push('|');
    key.push_str(req.path());
    let mut params: Vec<(&str, &str)> = Vec::new();
    for pair in req.query_string().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if !CACHE_PARAMS.contains(&k) || v.len() > 32 {
            return None;
        }
        params.push((k, v));
    }
    params.sort_unstable();
    for (i, (k, v)) in params.iter().enumerate() {
        key.push(if i == 0 { '?' } else { '&' });
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    Some(key)
}

fn serve_parts(parts: &[String], csrf: Option<&str>) -> HttpResponse {
    let nonce = new_nonce();
    let mut html = parts.join(nonce.as_str());
    if let Some(token) = csrf {
        html = html.replace(csrf_placeholder(), token);
    }
    html_response(html, &nonce)
}

/// Serves a page that looks the same to every anonymous visitor from the cache, or loads it
/// with `load` (on the blocking pool), renders and caches it. Signed-in viewers always get a
/// fresh, personal page.
pub async fn cached_page<T, F>(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    template: &'static str,
    load: F,
) -> AppResult<HttpResponse>
where
    T: Serialize + Send + 'static + PageTitle,
    F: FnOnce(&mut crate::db::DbConn, Option<&crate::accounts::User>) -> AppResult<T>
        + Send
        + 'static,
{
    let anonymous = viewer.user.is_none();
    if !anonymous || !state.cache.enabled {
        let user = viewer.user.clone();
        let page = state.db.read(move |conn| load(conn, user.as_ref())).await?;
        return page_response(state, req, Some(viewer), template, &page, page.title());
    }
    let locale = locale::resolve(req, state, None);
    let key = cache_key(req, &locale);
    // Read the generation before the data: a write that lands meanwhile makes this entry stale.
    let generation = state.db.generation();
    let token = viewer.session.csrf.as_str();
    if let Some((parts, has_csrf)) = key.as_deref().and_then(|k| state.cache.get(k, generation)) {
        return with_session(
            state,
            viewer,
            serve_parts(&parts, has_csrf.then_some(token)),
        );
    }
    let page = state.db.read(move |conn| load(conn, None)).await?;
    let html = render_html(
        state,
        req,
        None,
        &locale,
        template,
        &page,
        &page.title(),
        Secrets {
            nonce: nonce_placeholder(),
            csrf: csrf_placeholder(),
        },
    )?;
    if let Some(key) = key {
        state.cache.put(key, generation, &html);
    }
    let has_csrf = html.contains(csrf_placeholder());
    let parts: Vec<String> = html
        .split(nonce_placeholder())
        .map(str::to_string)
        .collect();
    with_session(
        state,
        viewer,
        serve_parts(&parts, has_csrf.then_some(token)),
    )
}

/// A new visitor's session cookie goes with the cached page, so its forms (the language
/// switcher, article feedback) carry a token the next request can check.
fn with_session(
    state: &AppState,
    viewer: &Viewer,
    mut resp: HttpResponse,
) -> AppResult<HttpResponse> {
    if viewer.new_session {
        resp.add_cookie(&session_cookie(state, &viewer.session))
            .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    }
    Ok(resp)
}

/// Page contexts say what goes in `<title>`.
pub trait PageTitle {
    fn title(&self) -> Msg;
}

/// A 303 redirect: where a form post sends the browser next.
pub fn see_other(location: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.into()))
        .finish()
}
