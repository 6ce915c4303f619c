//! The session cookie (encrypted and signed, HttpOnly, SameSite=Lax) and the extractors built on
//! it: `Viewer` (anyone), `SignedIn`, `Moderator`, `Curator`, `Admin`, `CsrfForm` for every state-changing
//! form, and `ApiCaller` / `ApiUser` for bearer tokens on the JSON API (no cookies there).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, CookieJar, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use base64::Engine;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::accounts::{self, Role, User};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;

/// What the session cookie holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionData {
    /// Session id: renewed at every sign-in.
    pub sid: String,
    /// Signed-in user, if any.
    pub uid: Option<i64>,
    /// The user's session version when signing in; a bump ends the session.
    pub ver: i32,
    /// CSRF token for forms of this session.
    pub csrf: String,
    /// When the user signed in (Unix seconds). The session itself lives on the server
    /// (`accounts::sessions`): signing out or idling past `auth.session_idle_days` ends it.
    #[serde(default)]
    pub iat: i64,
    /// A provider sign-in under way (state, PKCE verifier, nonce): bound to this browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<crate::oauth::PendingAuth>,
    /// A first provider sign-in waiting for the person to choose a handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup: Option<crate::oauth::NewAccountChoice>,
    /// When this browser was shown the sign-up form (Unix milliseconds): a form sent back
    /// faster than a person could fill it in is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_at: Option<i64>,
}

fn random_token() -> String {
    let mut buf = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

impl SessionData {
    pub fn anonymous() -> SessionData {
        SessionData {
            sid: random_token(),
            uid: None,
            ver: 0,
            csrf: random_token(),
            iat: 0,
            oauth: None,
            signup: None,
            form_at: None,
        }
    }
    pub fn signed_in(user: &User) -> SessionData {
        SessionData {
            sid: random_token(),
            uid: Some(user.id),
            ver: user.session_version,
            csrf: random_token(),
            iat: chrono::Utc::now().timestamp(),
            oauth: None,
            signup: None,
            form_at: None,
        }
    }
}

/// Reads and decrypts the session cookie; None when absent or tampered with.
pub fn read_session(req: &HttpRequest, state: &AppState) -> Option<SessionData> {
    let cookie = req.cookie(&state.cookie_name)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie.into_owned());
    let plain = jar.private(&state.key).get(&state.cookie_name)?;
    serde_json::from_str(plain.value()).ok()
}

/// The encrypted `Set-Cookie` for a session.
pub fn session_cookie(state: &AppState, data: &SessionData) -> Cookie<'static> {
    let value = serde_json::to_string(data).unwrap_or_default();
    let mut jar = CookieJar::new();
    jar.private_mut(&state.key).add(base_cookie(state, value));
    jar.get(&state.cookie_name)
        .cloned()
        .unwrap_or_else(|| base_cookie(state, String::new()))
}

/// A cookie that deletes the session.
pub fn removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = base_cookie(state, String::new());
    c.make_removal();
    c
}

/// How long a session may go unused (`auth.session_idle_days`).
pub fn session_idle(state: &AppState) -> chrono::TimeDelta {
    chrono::TimeDelta::days(i64::from(state.settings.auth.session_idle_days.max(1)))
}

fn base_cookie(state: &AppState, value: String) -> Cookie<'static> {
    // The browser keeps the cookie as long as the server keeps an idle session; it is sent
    // again (and so extended) when the server records a visit.
    Cookie::build(state.cookie_name.clone(), value)
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(
            session_idle(state).num_seconds(),
        ))
        .finish()
}

/// The moderation gate for this request (posting rates count the client's address).
pub fn gate(req: &HttpRequest, state: &AppState) -> crate::screen::Gate {
    state.policy.gate(client_ip(req, state))
}

/// The client's address for rate limits and anonymous feedback: the last address of the
/// configured proxy header (`server.client_ip_header`) when it holds one, else the TCP peer.
/// An IPv6 address counts by its /64: one customer's line usually has a whole /64, so single
/// addresses would cost nothing to change.
pub fn client_ip(req: &HttpRequest, state: &AppState) -> String {
    let header = state.settings.server.client_ip_header.trim();
    let from_proxy = (!header.is_empty())
        .then(|| {
            req.headers()
                .get(header)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').map(str::trim).find(|s| !s.is_empty()))
                .and_then(|s| s.parse::<std::net::IpAddr>().ok())
        })
        .flatten();
    match from_proxy.or_else(|| req.peer_addr().map(|a| a.ip())) {
        Some(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map(|v4| v4.to_string())
            .unwrap_or_default(),
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}

/// Whoever is looking: maybe a signed-in user, always a session (new if there was none).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: Option<User>,
    pub session: SessionData,
    /// The session is new and its cookie still has to be sent.
    pub new_session: bool,
    /// The session was just used again: send its cookie, so the browser keeps it as long as
    /// the server does.
    pub refresh_cookie: bool,
    /// Unread notifications of the signed-in user (up to `notify::UNREAD_SHOWN`), for the bell.
    pub unread: i64,
    /// Items waiting in the review queue (moderators, staff and admins; 0 for others).
    pub review: i64,
}

impl Viewer {
    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(User::role)
    }
}

type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

fn state_of(req: &HttpRequest) -> AppResult<web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))
}

async fn load_viewer(req: HttpRequest) -> AppResult<Viewer> {
    let state = state_of(&req)?;
    let fresh = || Viewer {
        user: None,
        session: SessionData::anonymous(),
        new_session: true,
        refresh_cookie: false,
        unread: 0,
        review: 0,
    };
    let Some(session) = read_session(&req, &state) else {
        return Ok(fresh());
    };
    let Some(uid) = session.uid else {
        return Ok(Viewer {
            user: None,
            session,
            new_session: false,
            refresh_cookie: false,
            unread: 0,
            review: 0,
        });
    };
    let (sid, idle) = (session.sid.clone(), session_idle(&state));
    let found = state
        .db
        .read(move |conn| {
            let found = accounts::sessions::resume(conn, &sid, uid, idle)?;
            let unread = match &found {
                Some(_) => crate::notify::unread_count(conn, uid)?,
                None => 0,
            };
            let review = match &found {
                Some((u, _)) if u.role().can_moderate() => crate::moderation::waiting(conn)?,
                _ => 0,
            };
            Ok(found.map(|f| (f, (unread, review))))
        })
        .await?;
    match found {
        Some(((user, last_seen), (unread, review)))
            if user.session_version == session.ver && !user.is_suspended() =>
        {
            // Sliding expiry: the visit is recorded now and then, not on every request.
            let touch = crate::db::now() - last_seen > accounts::sessions::TOUCH_EVERY;
            if touch {
                let sid = session.sid.clone();
                let (uid, trust) = (user.id, state.settings.trust.clone());
                state
                    .db
                    .clone()
                    .write_untracked_async(move |conn| {
                        accounts::sessions::touch(conn, &sid)?;
                        crate::peers::trust::visit(conn, &trust, uid)
                    })
                    .await?;
            }
            Ok(Viewer {
                user: Some(user),
                session,
                new_session: false,
                refresh_cookie: touch,
                unread,
                review,
            })
        }
        // Signed out, idle too long, or revoked (password, role or suspension changed, or
        // "sign out everywhere").
        _ => Ok(fresh()),
    }
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some(v) = req.extensions().get::<Viewer>() {
            let v = v.clone();
            return Box::pin(async move { Ok(v) });
        }
        let req = req.clone();
        Box::pin(async move {
            let viewer = load_viewer(req.clone()).await?;
            req.extensions_mut().insert(viewer.clone());
            Ok(viewer)
        })
    }
}

/// A signed-in user (pages redirect others to the sign-in page).
pub struct SignedIn(pub User, pub Viewer);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = Viewer::from_request(req, payload);
        Box::pin(async move {
            let viewer = fut.await?;
            match viewer.user.clone() {
                Some(user) => Ok(SignedIn(user, viewer)),
                None => Err(AppError::SignInRequired(msg!("session-sign-in-required"))),
            }
        })
    }
}

/// A signed-in user whose role passes `allowed`; others get 403 with `message`. Anonymous
/// visitors are asked to sign in, unless `anonymous_forbidden` (signing in would not help).
fn signed_in_with_role(
    req: &HttpRequest,
    payload: &mut Payload,
    allowed: fn(Role) -> bool,
    message: Msg,
    anonymous_forbidden: bool,
) -> LocalBoxFuture<Result<(User, Viewer), AppError>> {
    let fut = Viewer::from_request(req, payload);
    Box::pin(async move {
        let viewer = fut.await?;
        match viewer.user.clone() {
            Some(user) if allowed(user.role()) => Ok((user, viewer)),
            None if !anonymous_forbidden => {
                Err(AppError::SignInRequired(msg!("session-sign-in-required")))
            }
            _ => Err(AppError::forbidden(message)),
        }
    })
}

/// Staff, moderators and admins.
pub struct Moderator(pub User, pub Viewer);

impl FromRequest for Moderator {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = signed_in_with_role(
            req,
            payload,
            Role::can_moderate,
            msg!("session-moderators-only"),
            false,
        );
        Box::pin(async move { fut.await.map(|(u, v)| Moderator(u, v)) })
    }
}

/// Staff, moderators and admins curating the knowledge base. Everyone else, signed in or not,
/// gets 403: these pages are not for them, and signing in as a member would not help.
pub struct Curator(pub User, pub Viewer);

impl FromRequest for Curator {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = signed_in_with_role(
            req,
            payload,
            Role::can_moderate,
            msg!("session-curators-only"),
            true,
        );
        Box::pin(async move { fut.await.map(|(u, v)| Curator(u, v)) })
    }
}

/// The support team (staff and admins): the queue, assignment, promises, customer context.
/// Everyone else, signed in or not, gets 403.
pub struct Staff(pub User, pub Viewer);

impl FromRequest for Staff {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = signed_in_with_role(
            req,
            payload,
            Role::is_staff,
            msg!("session-staff-only"),
            true,
        );
        Box::pin(async move { fut.await.map(|(u, v)| Staff(u, v)) })
    }
}

/// An API caller with a staff or admin token; 403 otherwise (401 for an invalid token).
pub struct ApiStaff(pub User);

impl FromRequest for ApiStaff {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let fut = api_user_with_role(req, Role::is_staff, msg!("session-staff-only"));
        Box::pin(async move { fut.await.map(ApiStaff) })
    }
}

/// An API caller with an admin token; 403 otherwise (401 for an invalid token).
pub struct ApiAdmin(pub User);

impl FromRequest for ApiAdmin {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let fut = api_user_with_role(req, |r| r == Role::Admin, msg!("session-admins-only"));
        Box::pin(async move { fut.await.map(ApiAdmin) })
    }
}

/// An API caller with a staff, moderator or admin token; 403 without a token or for members
/// (401 for a token that is invalid).
pub struct ApiCurator(pub User);

impl FromRequest for ApiCurator {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let fut = api_user_with_role(req, Role::can_moderate, msg!("session-curators-only"));
        Box::pin(async move { fut.await.map(ApiCurator) })
    }
}

/// The API caller when their role passes `allowed`; 403 without a token or for other roles
/// (401 for a token that is invalid).
fn api_user_with_role(
    req: &HttpRequest,
    allowed: fn(Role) -> bool,
    message: Msg,
) -> LocalBoxFuture<Result<User, AppError>> {
    let req = req.clone();
    Box::pin(async move {
        match api_user(req).await? {
            Some(user) if allowed(user.role()) => Ok(user),
            _ => Err(AppError::forbidden(message)),
        }
    })
}

/// Admins only.
pub struct Admin(pub User, pub Viewer);

impl FromRequest for Admin {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = signed_in_with_role(
            req,
            payload,
            |r| r == Role::Admin,
            msg!("session-admins-only"),
            false,
        );
        Box::pin(async move { fut.await.map(|(u, v)| Admin(u, v)) })
    }
}

/// Forms carry the session's CSRF token in a `csrf` field.
pub trait HasCsrf {
    fn csrf(&self) -> &str;
}

fn csrf_error() -> AppError {
    AppError::Forbidden(msg!("session-form-expired"))
}

/// Checks a form's CSRF token against the session's (in constant time).
pub fn check_csrf(session: &SessionData, got: &str) -> AppResult<()> {
    if same_secret(&session.csrf, got) {
        Ok(())
    } else {
        Err(csrf_error())
    }
}

/// Compares two secrets (tokens, OAuth `state`) in constant time.
pub fn same_secret(expected: &str, got: &str) -> bool {
    let (expected, got) = (expected.as_bytes(), got.as_bytes());
    expected.len() == got.len()
        && expected
            .iter()
            .zip(got)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A urlencoded form whose CSRF token matched the session's.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + HasCsrf + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let form = web::Form::<T>::from_request(&req, payload);
        Box::pin(async move {
            let form = form.await?.into_inner();
            let state = state_of(&req).map_err(actix_web::Error::from)?;
            let session = read_session(&req, &state);
            match session {
                Some(s) => check_csrf(&s, form.csrf())?,
                None => return Err(csrf_error().into()),
            }
            Ok(CsrfForm(form))
        })
    }
}

/// An API caller: the token's user, or anonymous without an `Authorization` header.
pub struct ApiCaller(pub Option<User>);

async fn api_user(req: HttpRequest) -> AppResult<Option<User>> {
    let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| AppError::Unauthorized(msg!("session-bearer-missing")))?
        .to_string();
    let state = state_of(&req)?;
    let ip = client_ip(&req, &state);
    let rate = state.settings.limits.api_token_failures_per_ip;
    let db = state.db.clone();
    let user = web::block(move || accounts::api_caller(&db, &token, &ip, rate)).await??;
    user.map(Some)
        .ok_or_else(|| AppError::Unauthorized(msg!("session-token-invalid")))
}

impl FromRequest for ApiCaller {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(ApiCaller(api_user(req).await?)) })
    }
}

/// An API caller with a valid token.
pub struct ApiUser(pub User);

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            api_user(req)
                .await?
                .map(ApiUser)
                .ok_or_else(|| AppError::Unauthorized(msg!("session-bearer-required")))
        })
    }
}
