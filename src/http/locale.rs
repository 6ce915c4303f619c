//! The language and time zone a request is answered in. Language: the user's setting > the
//! language switcher's cookie > `Accept-Language` > the site default. Time zone: the user's
//! setting > the browser's (a cookie the page script sets on the first visit) > the site's.

use std::sync::Arc;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;
use chrono_tz::Tz;

use super::AppState;
use crate::accounts::User;
use crate::i18n::{self, Language};

/// The language switcher's choice.
pub const LANG_COOKIE: &str = "peerdesk_lang";
/// The browser's time zone, set by `peerdesk.js` (readable by scripts: it is no secret).
pub const TZ_COOKIE: &str = "peerdesk_tz";

/// Where a request's words and times come from.
#[derive(Clone)]
pub struct Locale {
    pub lang: Arc<Language>,
    pub tz: Tz,
}

impl Locale {
    /// The part of a cached page's key that changes its text.
    pub fn cache_key(&self) -> String {
        format!("{}|{}", self.lang.tag, self.tz.name())
    }
}

/// The language and zone for this request and (maybe) signed-in user.
pub fn resolve(req: &HttpRequest, state: &AppState, user: Option<&User>) -> Locale {
    let catalog = &state.theme.catalog;
    // The admins' site settings come before the configuration's defaults.
    let site = state.site();
    let cookie = |name: &str| req.cookie(name).map(|c| c.value().to_string());
    let lang = user
        .and_then(|u| u.locale.as_deref())
        .and_then(|tag| catalog.get(tag))
        .or_else(|| cookie(LANG_COOKIE).and_then(|tag| catalog.get(&tag)))
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|h| catalog.from_accept_language(h))
        })
        .or_else(|| catalog.get(&site.default_language))
        .unwrap_or_else(|| catalog.default_language())
        .clone();
    let tz = user
        .and_then(|u| u.time_zone.as_deref())
        .and_then(i18n::zone)
        .or_else(|| cookie(TZ_COOKIE).and_then(|z| i18n::zone(&browser_zone(&z))))
        .or_else(|| i18n::zone(&site.time_zone))
        .or_else(|| i18n::zone(&state.settings.i18n.time_zone))
        .unwrap_or(chrono_tz::UTC);
    Locale { lang, tz }
}

/// The script stores the zone URL-encoded (`Europe%2FBerlin`); IANA names need only `/` and `+`
/// decoded.
fn browser_zone(cookie: &str) -> String {
    cookie
        .replace("%2F", "/")
        .replace("%2f", "/")
        .replace("%2B", "+")
        .replace("%2b", "+")
}

/// The request's locale without looking up a user (error pages, API errors): the viewer
/// already loaded for this request when there is one.
pub fn of_request(req: &HttpRequest, state: &AppState) -> Locale {
    use actix_web::HttpMessage;
    let user = req
        .extensions()
        .get::<super::session::Viewer>()
        .and_then(|v| v.user.clone());
    resolve(req, state, user.as_ref())
}

/// The switcher's cookie: a year, readable only by the server.
pub fn lang_cookie(state: &AppState, tag: &str) -> Cookie<'static> {
    Cookie::build(LANG_COOKIE, tag.to_string())
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish()
}
