//! The web layer: shared state, the route table (on one screen), security headers, static files
//! and health checks. Handlers live in `pages`, `account_pages` and `api`.

pub mod account_pages;
pub mod api;
pub mod errors;
pub mod pages;
pub mod render;
pub mod session;

use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::config::Settings;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::render::theme::Theme;

/// Largest accepted request body (forms and JSON). Past it: 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Everything handlers share. Built once at start, passed as `web::Data`.
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub theme: Theme,
    /// Encrypts and signs the session cookie.
    pub key: Key,
    pub cookie_name: String,
    pub secure_cookies: bool,
    pub base_url: String,
    pub cache: render::PageCache,
}

impl AppState {
    pub fn new(settings: Settings, db: Db, theme: Theme, key: Key) -> AppState {
        let secure = settings.is_https();
        AppState {
            // `__Host-` cookies must be Secure, so the prefix is only used over https.
            cookie_name: if secure {
                "__Host-peerdesk".into()
            } else {
                "peerdesk".into()
            },
            secure_cookies: secure,
            base_url: settings.base_url(),
            cache: render::PageCache::new(settings.server.page_cache),
            settings,
            db,
            theme,
            key,
        }
    }
}

/// The route table.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use account_pages as acc;
    cfg.app_data(
        web::FormConfig::default()
            .limit(MAX_BODY_BYTES)
            .error_handler(errors::form_config_error),
    )
    .app_data(
        web::JsonConfig::default()
            .limit(MAX_BODY_BYTES)
            .error_handler(errors::json_error),
    )
    .app_data(web::QueryConfig::default().error_handler(errors::query_error))
    .app_data(web::PathConfig::default().error_handler(errors::path_error))
    .route("/healthz", web::get().to(healthz))
    .route("/readyz", web::get().to(readyz))
    .route("/static/{path:.*}", web::get().to(static_file))
    .route("/favicon.ico", web::get().to(favicon))
    .service(
        web::scope("/api/v1")
            .route("/categories", web::get().to(api::categories))
            .route("/threads", web::get().to(api::list_threads))
            .route("/threads", web::post().to(api::ask))
            .route("/threads/{id}", web::get().to(api::get_thread))
            .route("/threads/{id}/posts", web::post().to(api::answer))
            .route("/posts/{id}", web::patch().to(api::edit))
            .route("/posts/{id}/comments", web::post().to(api::comment))
            .route("/posts/{id}/votes", web::post().to(api::vote))
            .route("/posts/{id}/accept", web::post().to(api::accept))
            .route("/me", web::get().to(api::me))
            .default_service(web::to(api::not_found)),
    )
    .route("/", web::get().to(pages::home))
    .route("/categories", web::get().to(pages::categories))
    .route("/c/{slug}", web::get().to(pages::category))
    .route("/tags", web::get().to(pages::tags))
    .route("/tags/{name}", web::get().to(pages::tag))
    .route("/u/{handle}", web::get().to(pages::profile))
    .route("/t/{id}", web::get().to(pages::thread_short))
    .route("/t/{id}/{slug}", web::get().to(pages::thread))
    .route("/t/{id}/answers", web::post().to(pages::answer))
    .route("/t/{id}/close", web::post().to(pages::close))
    .route("/ask", web::get().to(pages::ask_form))
    .route("/ask", web::post().to(pages::ask))
    .route("/preview", web::post().to(pages::preview))
    .route("/p/{id}/comments", web::post().to(pages::comment))
    .route("/p/{id}/edit", web::get().to(pages::edit_form))
    .route("/p/{id}/edit", web::post().to(pages::edit))
    .route("/p/{id}/history", web::get().to(pages::history))
    .route("/p/{id}/vote", web::post().to(pages::vote))
    .route("/p/{id}/accept", web::post().to(pages::accept))
    .route("/login", web::get().to(acc::login_form))
    .route("/login", web::post().to(acc::login))
    .route("/logout", web::post().to(acc::logout))
    .route("/signup", web::get().to(acc::signup_form))
    .route("/signup", web::post().to(acc::signup))
    .route("/setup/{token}", web::get().to(acc::setup_form))
    .route("/setup/{token}", web::post().to(acc::setup))
    .route("/account", web::get().to(acc::account))
    .route("/account/profile", web::post().to(acc::update_profile))
    .route("/account/password", web::post().to(acc::change_password))
    .route(
        "/account/sign-out-everywhere",
        web::post().to(acc::sign_out_everywhere),
    )
    .route("/account/tokens", web::post().to(acc::create_token))
    .route(
        "/account/tokens/{id}/delete",
        web::post().to(acc::delete_token),
    )
    .route("/admin", web::get().to(acc::admin))
    .route("/admin/categories", web::post().to(acc::create_category))
    .route(
        "/admin/categories/{id}",
        web::post().to(acc::update_category),
    )
    .route(
        "/admin/categories/{id}/delete",
        web::post().to(acc::delete_category),
    )
    .route("/admin/tags", web::post().to(acc::save_tag))
    .route("/admin/users/{id}/role", web::post().to(acc::set_role))
    .route("/admin/users/{id}/suspend", web::post().to(acc::suspend))
    .default_service(web::to(errors::not_found));
}

/// Middleware: headers every response carries. Pages set their own nonce-based CSP; anything
/// else gets a locked-down one.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    Ok(res)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let db = state.db.clone();
    web::block(move || db.ping()).await??;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "status": "ready", "database": state.db.backend().name() })))
}

/// Browsers ask for `/favicon.ico` on their own; serve the theme's icon.
async fn favicon(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    static_file(state, web::Path::from("favicon.svg".to_string())).await
}

async fn static_file(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let file = state
        .theme
        .static_file(&path)
        .ok_or_else(|| AppError::not_found("file"))?;
    Ok(HttpResponse::Ok()
        .content_type(file.mime)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.bytes.into_owned()))
}
