//! The web layer: shared state, the route table (on one screen), security headers, static files
//! and health checks. Handlers live in `pages`, `account_pages` and `api`.

/// A form struct with a `csrf` field (checked by `CsrfForm`) and defaulted fields.
macro_rules! csrf_form {
    ($name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Debug, Default, ::serde::Serialize, ::serde::Deserialize)]
        pub struct $name {
            #[serde(default, skip_serializing)]
            pub csrf: String,
            $(#[serde(default)] pub $field: $ty,)*
        }
        impl $crate::http::session::HasCsrf for $name {
            fn csrf(&self) -> &str { &self.csrf }
        }
    };
}

pub mod account_pages;
pub mod api;
pub mod attachment_pages;
pub mod audit_pages;
pub mod auth_pages;
pub mod errors;
pub mod insights_pages;
pub mod kb_api;
pub mod kb_pages;
pub mod live;
pub mod locale;
pub mod mail_pages;
pub mod notify_pages;
pub mod pages;
pub mod private_pages;
pub mod render;
pub mod review_pages;
pub mod search_pages;
pub mod session;
pub mod settings_pages;
pub mod site_state;
pub mod sitemap_pages;
pub mod support_api;
pub mod support_pages;
pub mod users_admin;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::Key;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::config::Settings;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::render::theme::Theme;

/// Largest accepted request body (forms and JSON). Past it: 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Everything handlers share. Built once at start, passed as `web::Data`.
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub theme: std::sync::Arc<Theme>,
    /// Encrypts and signs the session cookie.
    pub key: Key,
    pub cookie_name: String,
    pub secure_cookies: bool,
    pub base_url: String,
    pub cache: render::PageCache,
    pub search: std::sync::Arc<crate::search::Search>,
    /// Thread page views, written in batches.
    pub views: crate::threads::ViewCounter,
    /// Signed-in users' last visits to threads, written in batches.
    pub visits: crate::support::Visits,
    /// The thread running the event log's consumers (stopped when the state is dropped).
    pub consumers: std::sync::Mutex<Option<crate::events::Runner>>,
    /// The email sender and its periodic work (stopped when the state is dropped).
    pub mail: std::sync::Mutex<Option<crate::mail::Sender>>,
    /// Signs unsubscribe links (the session key's bytes).
    pub secret: std::sync::Arc<Vec<u8>>,
    /// Live pages' broadcaster (Server-Sent Events).
    pub live: Option<live::Hub>,
    /// Moderation rules and this node's posting-rate counters.
    pub policy: std::sync::Arc<crate::screen::Policy>,
    /// The admins' site settings (name, intro, links, defaults).
    pub site: site_state::SiteState,
    /// Where attachments are kept, and the upload rules.
    pub attachments: crate::attachments::Store,
    pub upload_policy: crate::attachments::Policy,
}

impl AppState {
    /// The current site settings.
    pub fn site(&self) -> std::sync::Arc<crate::site::SiteSettings> {
        self.site.get(&self.db)
    }

    pub fn new(
        settings: Settings,
        db: Db,
        theme: std::sync::Arc<Theme>,
        key: Key,
        secret: std::sync::Arc<Vec<u8>>,
        search: std::sync::Arc<crate::search::Search>,
        live: Option<live::Hub>,
    ) -> AppState {
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
            policy: std::sync::Arc::new(crate::screen::Policy::new(&settings)),
            site: site_state::SiteState::load(&db),
            attachments: crate::attachments::Store::new(std::path::Path::new(
                &settings.attachments.dir,
            )),
            upload_policy: crate::attachments::Policy::new(&settings.attachments),
            settings,
            db,
            theme,
            key,
            search,
            views: crate::threads::ViewCounter::default(),
            visits: crate::support::Visits::default(),
            consumers: std::sync::Mutex::new(None),
            mail: std::sync::Mutex::new(None),
            secret,
            live,
        }
    }
}

/// What account and notification mail needs from the state.
pub fn wording(state: &AppState) -> crate::notify::email::Wording {
    crate::notify::email::Wording::new(&state.settings, state.theme.clone(), state.secret.clone())
}

/// The domain of outgoing Message-IDs.
pub fn mail_domain(state: &AppState) -> String {
    crate::mail::domain_of(&state.settings.email.from)
}

/// A path whose unsupported methods answer 405 (not 404).
fn at(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(errors::method_not_allowed))
}

/// The route table.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use account_pages as acc;
    use notify_pages as np;
    use support_api as sapi;
    use support_pages as sup;
    use web::{delete, get, patch, post, put};
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
    .service(at("/healthz").route(get().to(healthz)))
    .service(at("/readyz").route(get().to(readyz)))
    .service(at("/static/{path:.*}").route(get().to(static_file)))
    .service(at("/favicon.ico").route(get().to(favicon)))
    .service(at("/robots.txt").route(get().to(sitemap_pages::robots)))
    .service(at("/sitemap.xml").route(get().to(sitemap_pages::index)))
    .service(at("/sitemap/{name}").route(get().to(sitemap_pages::part)))
    .service(at("/feeds/latest.atom").route(get().to(sitemap_pages::latest_feed)))
    .service(at("/feeds/solved.atom").route(get().to(sitemap_pages::solved_feed)))
    .service(at("/feeds/kb.atom").route(get().to(sitemap_pages::kb_feed)))
    .service(at("/c/{slug}/feed.atom").route(get().to(sitemap_pages::category_feed)))
    .service(at("/tags/{tag}/feed.atom").route(get().to(sitemap_pages::tag_feed)))
    .service(at("/t/{id}/feed.atom").route(get().to(sitemap_pages::thread_feed)))
    .service(
        web::scope("/api/v1")
            .service(at("/categories").route(get().to(api::categories)))
            .service(at("/categories/{key}").route(patch().to(api::update_category)))
            .service(at("/attachments").route(post().to(attachment_pages::api_upload)))
            .service(at("/attachments/{id}").route(get().to(attachment_pages::api_show)))
            .service(
                at("/threads")
                    .route(get().to(api::list_threads))
                    .route(post().to(api::ask)),
            )
            .service(at("/threads/{id}").route(get().to(api::get_thread)))
            .service(at("/threads/{id}/watch").route(put().to(np::api_watch_thread)))
            .service(at("/threads/{id}/lock").route(post().to(api::lock)))
            .service(at("/threads/{id}/close").route(post().to(api::close)))
            .service(at("/threads/{id}/move").route(post().to(api::move_thread)))
            .service(at("/threads/{id}/pin").route(post().to(api::pin)))
            .service(at("/threads/{id}/merge").route(post().to(review_pages::api_merge)))
            .service(at("/threads/{id}/unlist").route(post().to(review_pages::api_unlist)))
            .service(at("/threads/{id}/private").route(post().to(private_pages::api_make_private)))
            .service(at("/threads/{id}/publish-offer").route(post().to(private_pages::api_offer)))
            .service(at("/threads/{id}/publish").route(post().to(private_pages::api_publish)))
            .service(
                at("/threads/{id}/request-staff").route(post().to(private_pages::api_need_help)),
            )
            .service(at("/review").route(get().to(review_pages::api_queue)))
            .service(at("/review/{target}/{id}").route(post().to(review_pages::api_decide)))
            .service(at("/users/{id}/trust").route(post().to(review_pages::api_set_trust)))
            .service(at("/users/{id}/{what}").route(post().to(review_pages::api_restrict)))
            .service(at("/me/flags").route(get().to(review_pages::api_my_flags)))
            .service(
                at("/admin/watched-words")
                    .route(get().to(review_pages::api_words))
                    .route(post().to(review_pages::api_add_word)),
            )
            .service(
                at("/admin/watched-words/{id}").route(delete().to(review_pages::api_remove_word)),
            )
            .service(at("/categories/{slug}/watch").route(put().to(np::api_watch_category)))
            .service(at("/tags/{name}/watch").route(put().to(np::api_watch_tag)))
            .service(at("/notifications").route(get().to(np::api_list)))
            .service(at("/admin/audit").route(get().to(audit_pages::api)))
            .service(at("/admin/users").route(get().to(users_admin::api_list)))
            .service(at("/admin/users/{id}").route(get().to(users_admin::api_detail)))
            .service(
                at("/admin/settings")
                    .route(get().to(settings_pages::api_get))
                    .route(put().to(settings_pages::api_put)),
            )
            .service(at("/notifications/read").route(post().to(np::api_mark_read)))
            .service(
                at("/notifications/preferences")
                    .route(get().to(np::api_preferences))
                    .route(put().to(np::api_save_preferences)),
            )
            .service(at("/threads/{id}/posts").route(post().to(api::answer)))
            .service(at("/posts/{id}").route(patch().to(api::edit)))
            .service(at("/posts/{id}/comments").route(post().to(api::comment)))
            .service(at("/posts/{id}/votes").route(post().to(api::vote)))
            .service(at("/posts/{id}/accept").route(post().to(api::accept)))
            .service(at("/posts/{id}/recommend").route(post().to(review_pages::api_recommend)))
            .service(at("/{kind}/{id}/flags").route(post().to(review_pages::api_flag)))
            .service(at("/threads/{id}/promote").route(post().to(kb_api::promote)))
            .service(at("/kb/sections").route(get().to(kb_api::sections)))
            .service(at("/kb/articles").route(get().to(kb_api::list)))
            .service(
                at("/kb/articles/{id}")
                    .route(get().to(kb_api::get))
                    .route(patch().to(kb_api::edit)),
            )
            .service(at("/kb/articles/{id}/feedback").route(post().to(kb_api::feedback)))
            .service(at("/kb/articles/{id}/revisions").route(get().to(kb_api::revisions)))
            .service(
                at("/kb/articles/{id}/revisions/{number}/restore")
                    .route(post().to(kb_api::restore)),
            )
            .service(at("/threads/{id}/assign").route(post().to(sapi::assign)))
            .service(at("/threads/{id}/promises").route(post().to(sapi::promise)))
            .service(at("/threads/{id}/notes").route(post().to(sapi::internal_note)))
            .service(at("/threads/{id}/context").route(get().to(sapi::context)))
            .service(at("/threads/{id}/followups").route(post().to(sapi::followup)))
            .service(at("/promises/{id}/keep").route(post().to(sapi::keep)))
            .service(at("/staff/queue").route(get().to(sapi::queue)))
            .service(at("/staff/metrics").route(get().to(sapi::metrics)))
            .service(at("/staff/insights").route(get().to(insights_pages::api_insights)))
            .service(at("/staff/groups").route(get().to(sapi::groups)))
            .service(
                at("/me/setup")
                    .route(get().to(sapi::my_setup))
                    .route(post().to(sapi::add_setup)),
            )
            .service(
                at("/me/setup/{id}")
                    .route(patch().to(sapi::update_setup))
                    .route(delete().to(sapi::delete_setup)),
            )
            .service(at("/me").route(get().to(api::me)))
            .service(at("/search").route(get().to(search_pages::api_search)))
            .service(at("/search/similar").route(get().to(search_pages::api_similar)))
            .default_service(web::to(api::not_found)),
    )
    .service(at("/").route(get().to(pages::home)))
    .service(at("/search").route(get().to(search_pages::search_page)))
    .service(at("/search/click/{search_id}/{kind}/{id}").route(get().to(search_pages::click)))
    .service(at("/staff").route(get().to(sup::staff_queue)))
    .service(at("/promises/{id}/keep").route(post().to(sup::keep_promise)))
    .service(at("/staff/content-gaps").route(get().to(insights_pages::content_gaps)))
    .service(at("/staff/insights").route(get().to(insights_pages::insights)))
    .service(at("/staff/kb").route(get().to(kb_pages::staff_kb)))
    .service(at("/staff/kb/candidates").route(get().to(kb_pages::candidates)))
    .service(at("/kb").route(get().to(kb_pages::home)))
    .service(
        at("/kb/new")
            .route(get().to(kb_pages::new_form))
            .route(post().to(kb_pages::create)),
    )
    .service(at("/kb/s/{slug}").route(get().to(kb_pages::section)))
    .service(at("/kb/{id}").route(get().to(kb_pages::article_short)))
    // Before `/kb/{id}/{slug}`: `kb::article_path` never makes these slugs.
    .service(
        at("/kb/{id}/edit")
            .route(get().to(kb_pages::edit_form))
            .route(post().to(kb_pages::edit)),
    )
    .service(at("/kb/{id}/status").route(post().to(kb_pages::set_status)))
    .service(at("/kb/{id}/reviewed").route(post().to(kb_pages::reviewed)))
    .service(at("/kb/{id}/revisions").route(get().to(kb_pages::revisions)))
    .service(at("/kb/{id}/diff").route(get().to(kb_pages::diff)))
    .service(at("/kb/{id}/feedback").route(post().to(kb_pages::feedback)))
    .service(at("/kb/{id}/revisions/{number}/restore").route(post().to(kb_pages::restore)))
    .service(at("/kb/{id}/{slug}").route(get().to(kb_pages::article)))
    .service(at("/categories").route(get().to(pages::categories)))
    .service(at("/c/{slug}").route(get().to(pages::category)))
    .service(at("/c/{slug}/watch").route(post().to(np::watch_category)))
    .service(at("/tags").route(get().to(pages::tags)))
    .service(at("/tags/{name}").route(get().to(pages::tag)))
    .service(at("/tags/{name}/watch").route(post().to(np::watch_tag)))
    .service(at("/u/{handle}").route(get().to(pages::profile)))
    .service(at("/u/{handle}/card").route(get().to(pages::user_card)))
    .service(at("/badges").route(get().to(pages::badges)))
    .service(at("/people").route(get().to(pages::people)))
    .service(at("/badges/{id}").route(get().to(pages::badge)))
    .service(at("/t/{id}").route(get().to(pages::thread_short)))
    // Before `/t/{id}/{slug}`: `threads::thread_path` never makes these two slugs.
    .service(at("/t/{id}/answers").route(post().to(pages::answer)))
    .service(at("/t/{id}/close").route(post().to(pages::close)))
    .service(at("/t/{id}/lock").route(post().to(pages::lock)))
    .service(at("/t/{id}/move").route(post().to(pages::move_thread)))
    .service(at("/t/{id}/pin").route(post().to(pages::pin)))
    .service(at("/t/{id}/merge").route(post().to(review_pages::merge)))
    .service(at("/t/{id}/unlist").route(post().to(review_pages::unlist)))
    .service(at("/t/{id}/private").route(post().to(private_pages::make_private)))
    .service(at("/t/{id}/publish-offer").route(post().to(private_pages::offer)))
    .service(at("/t/{id}/publish").route(post().to(private_pages::publish)))
    .service(at("/t/{id}/need-help").route(post().to(private_pages::need_help)))
    .service(at("/flag/{target}/{id}").route(post().to(review_pages::flag)))
    .service(at("/review").route(get().to(review_pages::page)))
    .service(at("/review/users/{id}/{what}").route(post().to(review_pages::restrict_page)))
    .service(at("/review/{target}/{id}").route(post().to(review_pages::decide)))
    .service(at("/me/flags").route(get().to(review_pages::my_flags)))
    .service(at("/u/{id}/trust").route(post().to(review_pages::set_trust)))
    .service(at("/p/{id}/recommend").route(post().to(review_pages::recommend)))
    .service(
        at("/admin/watched-words")
            .route(get().to(review_pages::words_page))
            .route(post().to(review_pages::add_word)),
    )
    .service(at("/admin/watched-words/{id}/delete").route(post().to(review_pages::remove_word)))
    .service(at("/t/{id}/notes").route(post().to(pages::internal_note)))
    .service(at("/t/{id}/assign").route(post().to(sup::assign)))
    .service(at("/t/{id}/promises").route(post().to(sup::promise)))
    .service(at("/t/{id}/followups").route(post().to(sup::followup)))
    .service(at("/t/{id}/watch").route(post().to(np::watch_thread)))
    .service(
        at("/t/{id}/promote")
            .route(get().to(kb_pages::promote_form))
            .route(post().to(kb_pages::promote)),
    )
    .service(at("/t/{id}/{slug}").route(get().to(pages::thread)))
    .service(
        at("/ask")
            .route(get().to(pages::ask_form))
            .route(post().to(pages::ask)),
    )
    .service(at("/preview").route(post().to(pages::preview)))
    .service(at("/attachments").route(post().to(attachment_pages::page_upload)))
    .service(at("/attachments/{id}/{name}").route(get().to(attachment_pages::serve)))
    .service(at("/p/{id}").route(get().to(pages::post_permalink)))
    .service(at("/p/{id}/comments").route(post().to(pages::comment)))
    .service(
        at("/p/{id}/edit")
            .route(get().to(pages::edit_form))
            .route(post().to(pages::edit)),
    )
    .service(at("/p/{id}/history").route(get().to(pages::history)))
    .service(at("/p/{id}/vote").route(post().to(pages::vote)))
    .service(at("/p/{id}/accept").route(post().to(pages::accept)))
    .service(
        at("/login")
            .route(get().to(acc::login_form))
            .route(post().to(acc::login)),
    )
    .service(at("/logout").route(post().to(acc::logout)))
    .service(
        at("/auth/welcome")
            .route(get().to(auth_pages::welcome_form))
            .route(post().to(auth_pages::create_account)),
    )
    .service(at("/auth/{provider}/start").route(get().to(auth_pages::start)))
    .service(at("/auth/{provider}/link").route(post().to(auth_pages::link)))
    .service(at("/auth/{provider}/callback").route(get().to(auth_pages::callback)))
    .service(at("/account/identities/{id}/delete").route(post().to(auth_pages::unlink)))
    .service(
        at("/signup")
            .route(get().to(acc::signup_form))
            .route(post().to(acc::signup)),
    )
    .service(
        at("/setup/{token}")
            .route(get().to(acc::setup_form))
            .route(post().to(acc::setup)),
    )
    .service(at("/account").route(get().to(acc::account)))
    .service(
        at("/account/notifications")
            .route(get().to(np::preferences))
            .route(post().to(np::save_preferences)),
    )
    .service(at("/account/email").route(post().to(mail_pages::change_email)))
    .service(at("/account/verify-email").route(post().to(mail_pages::resend_verification)))
    .service(at("/verify-email/{token}").route(get().to(mail_pages::verify)))
    .service(
        at("/password/forgot")
            .route(get().to(mail_pages::forgot_form))
            .route(post().to(mail_pages::forgot)),
    )
    .service(
        at("/password/reset/{token}")
            .route(get().to(mail_pages::reset_form))
            .route(post().to(mail_pages::reset)),
    )
    .service(at("/notifications").route(get().to(np::notifications)))
    .service(at("/notifications/read").route(post().to(np::mark_read)))
    .service(
        at("/unsubscribe/{token}")
            .route(get().to(np::unsubscribe_form))
            .route(post().to(np::unsubscribe)),
    )
    .service(at("/live").route(get().to(live::stream)))
    .service(at("/account/profile").route(post().to(acc::update_profile)))
    .service(at("/account/preferences").route(post().to(acc::update_preferences)))
    .service(at("/language").route(post().to(acc::choose_language)))
    .service(at("/account/setup").route(post().to(sup::add_setup)))
    .service(at("/account/setup/{id}").route(post().to(sup::update_setup)))
    .service(at("/account/setup/{id}/delete").route(post().to(sup::delete_setup)))
    .service(at("/account/password").route(post().to(acc::change_password)))
    .service(at("/account/sign-out-everywhere").route(post().to(acc::sign_out_everywhere)))
    .service(at("/account/tokens").route(post().to(acc::create_token)))
    .service(at("/account/tokens/{id}/delete").route(post().to(acc::delete_token)))
    .service(at("/admin").route(get().to(acc::admin)))
    .service(at("/admin/audit").route(get().to(audit_pages::page)))
    .service(
        at("/admin/settings")
            .route(get().to(settings_pages::page))
            .route(post().to(settings_pages::save)),
    )
    .service(at("/admin/categories").route(post().to(acc::create_category)))
    .service(at("/admin/categories/{id}").route(post().to(acc::update_category)))
    .service(at("/admin/categories/{id}/delete").route(post().to(acc::delete_category)))
    .service(at("/admin/tags").route(post().to(acc::save_tag)))
    .service(at("/admin/groups").route(post().to(sup::create_group)))
    .service(at("/admin/groups/{id}/members").route(post().to(sup::group_member)))
    .service(at("/admin/users").route(get().to(users_admin::page)))
    .service(at("/admin/users/{id}").route(get().to(users_admin::detail)))
    .service(at("/admin/users/{id}/role").route(post().to(acc::set_role)))
    .service(at("/admin/users/{id}/suspend").route(post().to(acc::suspend)))
    .default_service(web::to(errors::not_found));
}

/// The `scheme://host[:port]` of a URL (an `Origin` header is already one).
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let scheme_len = url.len() - rest.len();
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (host_len > 0).then(|| &url[..scheme_len + host_len])
}

/// Middleware: a cookie-authenticated write (any method but GET, HEAD and OPTIONS, with the
/// session cookie) whose `Origin` — or, without one, `Referer` — names another site is refused
/// with 403, a second layer behind the CSRF token. Bearer-token API calls carry no cookie and
/// are not affected; a request with neither header is left to the CSRF token.
pub async fn origin_check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    use actix_web::http::Method;
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let (false, Some(state)) = (safe, state) {
        if req.cookie(&state.cookie_name).is_some() {
            let header = |name| {
                req.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let claimed = header(header::ORIGIN).or_else(|| header(header::REFERER));
            if let Some(claimed) = claimed {
                let info = req.connection_info().clone();
                let own = format!("{}://{}", info.scheme(), info.host());
                let ok = origin_of(&claimed).is_some_and(|o| {
                    o.eq_ignore_ascii_case(&own)
                        || origin_of(&state.base_url).is_some_and(|b| o.eq_ignore_ascii_case(b))
                });
                if !ok {
                    let err = AppError::forbidden(msg!("http-cross-site-form"));
                    return Ok(req.error_response(err).map_into_right_body());
                }
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Middleware: headers every response carries. Pages set their own nonce-based CSP; anything
/// else gets a locked-down one.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut req = req;
    // HEAD is GET without a body (actix-http leaves the body out for HEAD requests).
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
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

/// Readiness for load balancers and orchestrators: always JSON (it is an API, also when the
/// database is down), 200 when this node can answer searches that reflect the database, else
/// 503 with `error`, `message` and the same numbers (see docs/api.md).
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let checked = state.clone();
    let report = web::block(move || checked.search.readiness(&checked.db)).await;
    let database = state.db.backend().name();
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            tracing::error!("readiness check failed: {e}");
            return HttpResponse::ServiceUnavailable().json(serde_json::json!({
                "status": "not_ready",
                "error": "unavailable",
                "message": "The readiness check could not run.",
                "database": database,
            }));
        }
    };
    let semantic = state.search.semantic().status(report.newest);
    match &report.not_ready {
        None => HttpResponse::Ok().json(serde_json::json!({
            "status": "ready",
            "database": database,
            "database_ok": report.database_ok,
            "search": report,
            "semantic": semantic,
        })),
        Some(message) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "not_ready",
            "error": "unavailable",
            "message": message,
            "database": database,
            "database_ok": report.database_ok,
            "search": report,
            "semantic": semantic,
        })),
    }
}

/// Browsers ask for `/favicon.ico` on their own; serve the theme's icon.
async fn favicon(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    static_file(state, web::Path::from("favicon.svg".to_string())).await
}

async fn static_file(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    // Theme files are read from disk: do it on the blocking pool, not the request thread.
    let theme_state = state.clone();
    let file = web::block(move || theme_state.theme.static_file(&path))
        .await?
        .ok_or_else(|| AppError::not_found(msg!("http-file-not-found")))?;
    Ok(HttpResponse::Ok()
        .content_type(file.mime)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.bytes.into_owned()))
}
