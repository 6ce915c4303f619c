//! Provider sign-in over HTTP: start (redirect to the provider with state, PKCE and nonce kept
//! in the session cookie), the callback (every check, then sign in, link, or ask for a handle),
//! the "choose your handle" step for first sign-ins, and linking / unlinking on the account
//! page. The flow itself lives in `crate::oauth`.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::account_pages::{account_page, safe_next, sign_in_response, with_status};
use super::render::page_response;
use super::render::see_other;
use super::session::{
    same_secret, session_cookie, CsrfForm, HasCsrf, SessionData, SignedIn, Viewer,
};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::oauth::{self, NewAccountChoice, PendingAuth, Provider, SignInOutcome};

fn timeout(state: &AppState) -> Duration {
    Duration::from_secs(state.settings.auth.timeout_secs.clamp(1, 120))
}

fn callback_url(state: &AppState, id: &str) -> String {
    format!("{}/auth/{id}/callback", state.base_url)
}

/// The configured provider `id`, its endpoints resolved (discovery is a network call: run on
/// the blocking pool, and cached after the first time).
async fn provider(state: &web::Data<AppState>, id: &str) -> AppResult<Provider> {
    let settings = state
        .settings
        .auth
        .providers
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(|| AppError::not_found(msg!("oauth-provider-not-found")))?;
    let t = timeout(state);
    web::block(move || oauth::resolve(&settings, t)).await?
}

/// Redirects to the provider with a fresh pending sign-in stored in the session cookie.
fn redirect_to_provider(
    state: &AppState,
    viewer: &Viewer,
    p: &Provider,
    next: &str,
    link: bool,
    login_hint: Option<&str>,
) -> AppResult<HttpResponse> {
    let (url, pending) = oauth::start(
        p,
        &callback_url(state, &p.settings.id),
        next,
        link,
        login_hint,
    )?;
    let mut session = viewer.session.clone();
    session.oauth = Some(pending);
    // A new sign-in replaces one waiting for a handle (the cookie carries one at a time).
    session.signup = None;
    let mut resp = see_other(url);
    resp.add_cookie(&session_cookie(state, &session))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

#[derive(Deserialize)]
pub struct StartQuery {
    pub next: Option<String>,
    /// Passed on to the provider (prefills its sign-in form).
    pub login_hint: Option<String>,
}

/// `GET /auth/{provider}/start`: "Sign in with …".
pub async fn start(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    q: web::Query<StartQuery>,
) -> AppResult<HttpResponse> {
    let p = provider(&state, &id).await?;
    // Kept in the session cookie until the provider answers: keep it short.
    let next = Some(safe_next(q.next.as_deref().unwrap_or("/")))
        .filter(|n| n.len() <= 512)
        .unwrap_or_else(|| "/".into());
    redirect_to_provider(&state, &viewer, &p, &next, false, q.login_hint.as_deref())
}

#[derive(Deserialize)]
pub struct CsrfOnlyForm {
    #[serde(default)]
    pub csrf: String,
}

impl HasCsrf for CsrfOnlyForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /auth/{provider}/link` (account page): link another provider to this account.
pub async fn link(
    state: web::Data<AppState>,
    SignedIn(_, viewer): SignedIn,
    id: web::Path<String>,
    CsrfForm(_): CsrfForm<CsrfOnlyForm>,
) -> AppResult<HttpResponse> {
    let p = provider(&state, &id).await?;
    redirect_to_provider(&state, &viewer, &p, "/account", true, None)
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A response that also clears the pending sign-in from the session cookie.
fn clearing_pending(
    state: &AppState,
    session: &SessionData,
    mut resp: HttpResponse,
) -> AppResult<HttpResponse> {
    let mut session = session.clone();
    session.oauth = None;
    resp.add_cookie(&session_cookie(state, &session))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

/// `GET /auth/{provider}/callback`: the provider's answer.
pub async fn callback(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    q: web::Query<CallbackQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let q = q.into_inner();
    match finish_callback(&state, &viewer, &id, q).await {
        // Each success sets the session it leaves behind (signed in, or waiting for a handle).
        Ok(resp) => Ok(resp),
        Err(e) => {
            // Every failure ends this sign-in: a page that says what happened, and a fresh start.
            let resp = actix_web::ResponseError::error_response(&e);
            clearing_pending(&state, &viewer.session, resp)
        }
    }
}

async fn finish_callback(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    q: CallbackQuery,
) -> AppResult<HttpResponse> {
    let pending: PendingAuth = match viewer.session.oauth.clone() {
        Some(p) if p.provider == id => p,
        _ => {
            tracing::warn!("sign-in with {id}: callback without a sign-in started in this browser");
            return Err(AppError::BadRequest(msg!("oauth-not-started-here")));
        }
    };
    let p = provider(state, id).await?;
    if chrono::Utc::now().timestamp() - pending.started > oauth::PENDING_MAX_AGE_SECS {
        tracing::warn!("sign-in with {id}: the sign-in was left open too long");
        return Err(AppError::BadRequest(msg!("oauth-too-slow")));
    }
    // The state must be the one this browser's sign-in sent (no sign-in forced on a victim).
    if !same_secret(&pending.state, q.state.as_deref().unwrap_or("")) {
        tracing::warn!("sign-in with {id}: state missing or not matching");
        return Err(AppError::BadRequest(msg!("oauth-state-mismatch")));
    }
    if let Some(error) = q.error.as_deref() {
        tracing::warn!(
            "sign-in with {id}: the provider answered {:?}: {:?}",
            error.chars().take(60).collect::<String>(),
            q.error_description
                .as_deref()
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        );
        return Err(if error == "access_denied" {
            AppError::BadRequest(msg!("oauth-cancelled", provider = p.name()))
        } else {
            AppError::BadGateway(msg!(
                "oauth-provider-error",
                provider = p.name(),
                error = error.chars().take(60).collect::<String>()
            ))
        });
    }
    let code = q
        .code
        .filter(|c| !c.is_empty() && c.len() <= 2048)
        .ok_or_else(|| AppError::BadRequest(msg!("oauth-no-code", provider = p.name())))?;
    // Linking needs the account it links to: checked before the code is spent.
    let link_to = if pending.link {
        Some(
            viewer
                .user
                .clone()
                .ok_or_else(|| AppError::BadRequest(msg!("oauth-signed-out-while-linking")))?,
        )
    } else {
        None
    };
    // Spent before the token call: a replayed callback never reaches the provider again.
    let used = pending.state.clone();
    state
        .db
        .write_untracked_async(move |conn| oauth::consume_state(conn, &used))
        .await
        .inspect_err(|_| tracing::warn!("sign-in with {id}: a callback was replayed"))?;
    let (redirect, t, prov) = (callback_url(state, id), timeout(state), p.clone());
    let pending2 = pending.clone();
    let profile =
        web::block(move || oauth::finish(&prov, &redirect, &pending2, &code, t)).await??;
    let rules = state.settings.auth.role_rules.clone();
    let next = pending.next.clone();
    let linking = link_to.is_some();
    let outcome = state
        .db
        .write(move |conn| oauth::finish_sign_in(conn, &profile, &rules, link_to.as_ref(), &next))
        .await?;
    match outcome {
        SignInOutcome::User(user) if linking => {
            tracing::info!("user {} linked {}", user.handle, p.name());
            clearing_pending(state, &viewer.session, see_other("/account"))
        }
        SignInOutcome::User(user) => {
            tracing::info!("user {} signed in with {}", user.handle, p.name());
            sign_in_response(state, &user, &pending.next).await
        }
        SignInOutcome::ChooseHandle(choice) => {
            let mut session = viewer.session.clone();
            session.oauth = None;
            session.signup = Some(choice);
            let mut resp = see_other("/auth/welcome");
            resp.add_cookie(&session_cookie(state, &session))
                .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
            Ok(resp)
        }
    }
}

/// `auth-welcome.html`: a first sign-in chooses a handle.
#[derive(Serialize)]
pub struct WelcomePage {
    pub provider: String,
    pub name: String,
    pub email: String,
    pub handle: String,
    pub error: Option<Msg>,
}

fn pending_choice(viewer: &Viewer) -> AppResult<NewAccountChoice> {
    viewer
        .session
        .signup
        .clone()
        .filter(|c| chrono::Utc::now().timestamp() - c.started <= oauth::PENDING_MAX_AGE_SECS)
        .ok_or_else(|| AppError::BadRequest(msg!("oauth-no-pending-sign-in")))
}

fn welcome(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    choice: &NewAccountChoice,
    handle: &str,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    let name = state
        .settings
        .auth
        .providers
        .iter()
        .find(|p| p.id == choice.profile.provider)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| choice.profile.provider.clone());
    let page = WelcomePage {
        provider: name,
        name: choice.profile.name.clone(),
        email: choice.profile.email.clone(),
        handle: handle.to_string(),
        error: error.and_then(AppError::message),
    };
    let resp = page_response(
        state,
        req,
        Some(viewer),
        "auth-welcome.html",
        &page,
        msg!("title-welcome"),
    )?;
    Ok(match error {
        Some(e) => with_status(resp, e),
        None => resp,
    })
}

pub async fn welcome_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    let choice = pending_choice(&viewer)?;
    welcome(
        &state,
        &req,
        &viewer,
        &choice,
        &choice.proposed_handle,
        None,
    )
}

#[derive(Deserialize)]
pub struct HandleForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub handle: String,
}

impl HasCsrf for HandleForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Creates the account (and its identity) with the chosen handle, and signs in.
pub async fn create_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<HandleForm>,
) -> AppResult<HttpResponse> {
    let choice = pending_choice(&viewer)?;
    let rules = state.settings.auth.role_rules.clone();
    let (c, handle) = (choice.clone(), form.handle.clone());
    let result = state
        .db
        .write(move |conn| oauth::create_account(conn, &c, &handle, &rules))
        .await;
    match result {
        Ok(user) => {
            tracing::info!(
                "user {} created with {}",
                user.handle,
                choice.profile.provider
            );
            sign_in_response(&state, &user, &choice.next).await
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            welcome(&state, &req, &viewer, &choice, &form.handle, Some(&e))
        }
        Err(e) => Err(e),
    }
}

/// `POST /account/identities/{id}/delete`: unlink (never the last way to sign in).
pub async fn unlink(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnlyForm>,
) -> AppResult<HttpResponse> {
    let identity_id = id.into_inner();
    let u = user.clone();
    let local = state.settings.auth.local_accounts;
    let configured: Vec<String> = state
        .settings
        .auth
        .providers
        .iter()
        .map(|p| p.id.clone())
        .collect();
    match state
        .db
        .write(move |conn| oauth::unlink(conn, &u, identity_id, local, &configured))
        .await
    {
        Ok(()) => Ok(see_other("/account")),
        Err(e @ AppError::Conflict(_)) => {
            account_page(&state, &req, &viewer, user, None, None, Some(e)).await
        }
        Err(e) => Err(e),
    }
}
