//! Account pages: first-admin setup, sign up, sign in and out, the account page (profile,
//! password, sessions, API tokens) and the admin page (categories, tags; role and suspension
//! changes, sent from the users admin's page on a person).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::render::page_response;
use super::render::see_other;
use super::session::{
    client_ip, removal_cookie, session_cookie, Admin, CsrfForm, SessionData, SignedIn, Viewer,
};
use super::AppState;
use crate::accounts::{self, ApiToken, NewAccount, ProfileUpdate, Role, User};
use crate::catalog::{self, Category, CategoryInput};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;

csrf_form!(LoginForm {
    login: String,
    password: String,
    next: String
});
csrf_form!(SignupForm {
    handle: String,
    email: String,
    name: String,
    password: String,
    // The honeypot: hidden from people, filled in by form-filling programs.
    website: String
});
csrf_form!(SetupForm {
    handle: String,
    email: String,
    name: String,
    title: String,
    password: String
});
csrf_form!(ProfileForm {
    name: String,
    title: String,
    bio: String
});
csrf_form!(PasswordForm {
    current: String,
    new: String
});
csrf_form!(TokenForm { name: String });
csrf_form!(PlainForm {});
csrf_form!(LanguageForm {
    lang: String,
    next: String,
});
csrf_form!(PreferencesForm {
    locale: String,
    time_zone: String,
});
csrf_form!(CategoryForm {
    name: String,
    slug: String,
    description: String,
    position: String,
    first_response: String,
    private_questions: String,
    business_hours: String
});
csrf_form!(TagForm {
    name: String,
    description: String
});
csrf_form!(RoleForm { role: String });
csrf_form!(SuspendForm {
    days: String,
    // Optional: kept in the audit log and shown on the person's page.
    reason: String
});

/// Only local paths are followed after signing in (no open redirects).
pub(crate) fn safe_next(next: &str) -> String {
    // A bare local path: browsers drop tabs and newlines and read `\` as `/`, so `/\t/evil`
    // would become `//evil`; refuse anything but printable ASCII without backslashes.
    let printable = next
        .bytes()
        .all(|b| (0x21..0x7f).contains(&b) && b != b'\\');
    if printable && next.starts_with('/') && !next.starts_with("//") && next.len() <= 2000 {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Parses a new account and hashes its password on the blocking pool (argon2 is CPU-heavy).
async fn parse_account(
    handle: &str,
    email: &str,
    password: Option<&str>,
    name: &str,
    title: &str,
) -> AppResult<NewAccount> {
    let (h, e, p, n, t) = (
        handle.to_string(),
        email.to_string(),
        password.map(str::to_string),
        name.to_string(),
        title.to_string(),
    );
    web::block(move || NewAccount::parse(&h, &e, p.as_deref(), &n, &t)).await?
}

/// A new local account gets the link that verifies its address (when email is on). Its
/// failure never fails the sign-up: the account page offers to send the link again.
pub async fn after_sign_up(state: &web::Data<AppState>, user: &accounts::User) {
    if !state.settings.email.enabled() {
        return;
    }
    let (w, d, user) = (
        super::wording(state),
        super::mail_domain(state),
        user.clone(),
    );
    let sent = state
        .db
        .write_untracked_async(move |conn| {
            crate::notify::account_mail::send_verification(conn, &w, &d, &user)
        })
        .await;
    if let Err(e) = sent {
        tracing::warn!("verification email not queued: {e}");
    }
}

/// Signs `user` in: a fresh session (id and CSRF token) kept on the server, then a redirect.
pub(crate) async fn sign_in_response(
    state: &AppState,
    user: &User,
    to: &str,
) -> AppResult<HttpResponse> {
    let data = SessionData::signed_in(user);
    let (uid, sid, idle) = (
        user.id,
        data.sid.clone(),
        super::session::session_idle(state),
    );
    let trust = state.settings.trust.clone();
    state
        .db
        .write_untracked_async(move |conn| {
            accounts::sessions::start(conn, uid, &sid, idle)?;
            crate::peers::trust::visit(conn, &trust, uid)
        })
        .await?;
    let mut resp = see_other(to);
    resp.add_cookie(&session_cookie(state, &data))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

/// A re-shown form with the error's status (and, for a rate limit, its `Retry-After`).
pub(crate) fn with_status(mut resp: HttpResponse, err: &AppError) -> HttpResponse {
    *resp.status_mut() = actix_web::ResponseError::status_code(err);
    if let AppError::TooMany {
        retry_after_secs, ..
    } = err
    {
        if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut()
                .insert(actix_web::http::header::RETRY_AFTER, v);
        }
    }
    resp
}

/// `login.html` and `signup.html`.
#[derive(Serialize, Default)]
pub struct AuthPage<F: Serialize> {
    pub form: F,
    pub error: Option<Msg>,
    /// Local accounts (password sign-in and sign-up) are on.
    pub signup_open: bool,
    /// Email is on: "Forgot your password?" is offered.
    pub email_enabled: bool,
    /// Sign-in providers, one button each.
    pub providers: Vec<ProviderButton>,
}

/// A provider as a sign-in (or link) button.
#[derive(Serialize, Clone)]
pub struct ProviderButton {
    pub id: String,
    pub name: String,
}

pub(crate) fn provider_buttons(state: &AppState) -> Vec<ProviderButton> {
    state
        .settings
        .auth
        .providers
        .iter()
        .map(|p| ProviderButton {
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .collect()
}

fn auth_page<F: Serialize>(state: &AppState, form: F, error: Option<Msg>) -> AuthPage<F> {
    AuthPage {
        form,
        error,
        signup_open: state.settings.auth.local_accounts,
        email_enabled: state.settings.email.enabled(),
        providers: provider_buttons(state),
    }
}

/// Password sign-in and sign-up are refused when the operator switched local accounts off.
fn ensure_local_accounts(state: &AppState) -> AppResult<()> {
    if state.settings.auth.local_accounts {
        Ok(())
    } else {
        Err(AppError::forbidden(msg!("auth-local-accounts-off")))
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

pub async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    q: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let form = LoginForm {
        next: safe_next(q.next.as_deref().unwrap_or("/")),
        ..Default::default()
    };
    let page = auth_page(&state, form, None);
    page_response(
        &state,
        &req,
        Some(&viewer),
        "login.html",
        &page,
        msg!("title-sign-in"),
    )
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    CsrfForm(mut form): CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    ensure_local_accounts(&state)?;
    let (login, password) = (form.login.clone(), form.password.clone());
    let ip = client_ip(&req, &state);
    let limits = accounts::SignInLimits {
        per_account: state.settings.limits.sign_in_failures_per_account,
        per_ip: state.settings.limits.sign_in_failures_per_ip,
    };
    let db = state.db.clone();
    let result = web::block(move || accounts::sign_in(&db, &login, &password, &ip, limits)).await?;
    match result {
        Ok(user) => sign_in_response(&state, &user, &safe_next(&form.next)).await,
        Err(
            e @ (AppError::Unauthorized(_) | AppError::Forbidden(_) | AppError::TooMany { .. }),
        ) => {
            form.password.clear();
            let page = auth_page(&state, form, e.message());
            Ok(with_status(
                page_response(
                    &state,
                    &req,
                    Some(&viewer),
                    "login.html",
                    &page,
                    msg!("title-sign-in"),
                )?,
                &e,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> AppResult<HttpResponse> {
    // The session ends on the server: a copy of the cookie is signed out too.
    let sid = viewer.session.sid.clone();
    state
        .db
        .write_untracked_async(move |conn| accounts::sessions::end(conn, &sid))
        .await?;
    let mut resp = see_other("/");
    resp.add_cookie(&removal_cookie(&state))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

pub async fn signup_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    ensure_local_accounts(&state)?;
    let page = auth_page(&state, SignupForm::default(), None);
    let resp = page_response(
        &state,
        &req,
        Some(&viewer),
        "signup.html",
        &page,
        msg!("title-signup"),
    )?;
    form_shown(&state, &viewer, resp, true)
}

fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Remembers in the session when the sign-up form was shown (`restart`: now, else only when
/// it was not shown before), so the next submit can be timed.
fn form_shown(
    state: &AppState,
    viewer: &Viewer,
    mut resp: HttpResponse,
    restart: bool,
) -> AppResult<HttpResponse> {
    if state.settings.moderation.sign_up_min_seconds == 0
        || (!restart && viewer.session.form_at.is_some())
    {
        return Ok(resp);
    }
    let mut session = viewer.session.clone();
    session.form_at = Some(now_millis());
    // Replaces any session cookie the page set for a new visitor (same session, one more field).
    resp.headers_mut()
        .remove(actix_web::http::header::SET_COOKIE);
    resp.add_cookie(&session_cookie(state, &session))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

/// A sign-up sent back faster than `moderation.sign_up_min_seconds` after the form was shown
/// (or with no form shown at all) is a program's.
fn too_fast(state: &AppState, viewer: &Viewer) -> bool {
    let min = i64::from(state.settings.moderation.sign_up_min_seconds) * 1000;
    min > 0
        && viewer
            .session
            .form_at
            .is_none_or(|at| now_millis() - at < min)
}

pub async fn signup(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    CsrfForm(mut form): CsrfForm<SignupForm>,
) -> AppResult<HttpResponse> {
    ensure_local_accounts(&state)?;
    let ip = client_ip(&req, &state);
    let rate = state.settings.limits.sign_ups_per_ip;
    // The limit is checked before the password is hashed: refused sign-ups cost no CPU.
    let allowed = {
        let (db, ip) = (state.db.clone(), ip.clone());
        web::block(move || accounts::may_sign_up(&db, &ip, rate)).await?
    };
    let result = match allowed {
        Err(e) => Err(e),
        Ok(()) if !form.website.is_empty() => {
            Err(AppError::invalid(msg!("accounts-signup-honeypot")))
        }
        Ok(()) if too_fast(&state, &viewer) => {
            Err(AppError::invalid(msg!("accounts-signup-too-fast")))
        }
        Ok(()) => {
            let form = &form;
            match parse_account(
                &form.handle,
                &form.email,
                Some(&form.password),
                &form.name,
                "",
            )
            .await
            {
                Ok(account) => {
                    let db = state.db.clone();
                    web::block(move || accounts::sign_up(&db, account, &ip, rate)).await?
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(user) => {
            after_sign_up(&state, &user).await;
            sign_in_response(&state, &user, "/").await
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::TooMany { .. })) => {
            form.password.clear();
            let page = auth_page(&state, form, e.message());
            let resp = with_status(
                page_response(
                    &state,
                    &req,
                    Some(&viewer),
                    "signup.html",
                    &page,
                    msg!("title-signup"),
                )?,
                &e,
            );
            // The clock keeps running from the first showing; a form never shown starts now.
            form_shown(&state, &viewer, resp, false)
        }
        Err(e) => Err(e),
    }
}

/// `setup.html`: creating the first admin from the one-time link.
#[derive(Serialize)]
pub struct SetupPage {
    pub token: String,
    pub form: SetupForm,
    pub error: Option<Msg>,
}

pub async fn setup_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let t = token.clone();
    if !state
        .db
        .read(move |conn| accounts::setup_token_valid(conn, &t))
        .await?
    {
        return Err(AppError::not_found(msg!("setup-link-not-found")));
    }
    let page = SetupPage {
        token,
        form: SetupForm::default(),
        error: None,
    };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "setup.html",
        &page,
        msg!("title-setup"),
    )
}

pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    token: web::Path<String>,
    CsrfForm(mut form): CsrfForm<SetupForm>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let t = token.clone();
    let result = match parse_account(
        &form.handle,
        &form.email,
        Some(&form.password),
        &form.name,
        &form.title,
    )
    .await
    {
        Ok(account) => {
            state
                .db
                .write(move |conn| accounts::complete_setup(conn, &t, account))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => sign_in_response(&state, &user, "/admin").await,
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            form.password.clear();
            let page = SetupPage {
                token,
                form,
                error: e.message(),
            };
            Ok(with_status(
                page_response(
                    &state,
                    &req,
                    Some(&viewer),
                    "setup.html",
                    &page,
                    msg!("title-setup"),
                )?,
                &e,
            ))
        }
        Err(e) => Err(e),
    }
}

/// `account.html`: the signed-in user's own settings.
#[derive(Serialize)]
pub struct AccountPage {
    pub user: User,
    /// The saved interface language ("" = follow the browser).
    pub locale: String,
    /// The saved time zone ("" = the browser's).
    pub time_zone: String,
    /// Every time zone to choose from (IANA names).
    pub time_zones: Vec<&'static str>,
    pub email: String,
    /// The address is verified (a provider vouched for it, or its link was followed).
    pub email_verified: bool,
    /// Email is on: the address can be verified.
    pub email_enabled: bool,
    pub has_password: bool,
    pub tokens: Vec<ApiToken>,
    /// Linked provider sign-ins.
    pub identities: Vec<crate::oauth::Identity>,
    /// Configured providers (to link).
    pub providers: Vec<ProviderButton>,
    /// "My setup": the products used, private entries included.
    pub setup: Vec<crate::support::setup::SetupView>,
    /// Products to pick from for a new setup entry.
    pub categories: Vec<Category>,
    /// A token just created: shown once.
    pub new_token: Option<String>,
    /// What just happened, e.g. "Password changed".
    pub notice: Option<Msg>,
    pub error: Option<Msg>,
    /// Their trust level and what the next one needs.
    pub trust: crate::peers::trust::Progress,
}

/// The zones people pick from: the IANA areas' names and UTC, without the legacy aliases
/// ("US/Eastern", "Cuba", "Etc/GMT+5") that only make the list longer.
fn time_zone_choices() -> Vec<&'static str> {
    const AREAS: [&str; 10] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Arctic/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|name| AREAS.iter().any(|a| name.starts_with(a)))
        .collect();
    zones.push("UTC");
    zones.sort_unstable();
    zones
}

pub(crate) async fn account_page(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    user: User,
    new_token: Option<String>,
    notice: Option<Msg>,
    error: Option<AppError>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let trust_settings = state.settings.trust.clone();
    let (tokens, identities, setup, categories, trust) = state
        .db
        .read(move |conn| {
            Ok((
                accounts::list_tokens(conn, &u)?,
                crate::oauth::identities_of(conn, u.id)?,
                crate::support::setup::saved_entries(conn, u.id, true)?,
                catalog::list_categories(conn)?,
                crate::peers::trust::progress(conn, &trust_settings, &u)?,
            ))
        })
        .await?;
    let linkable = provider_buttons(state);
    let page = AccountPage {
        locale: user.locale.clone().unwrap_or_default(),
        time_zone: user.time_zone.clone().unwrap_or_default(),
        time_zones: time_zone_choices(),
        email: user.email.clone(),
        email_verified: user.email_verified,
        email_enabled: state.settings.email.enabled(),
        has_password: user.password_hash.is_some(),
        user,
        tokens,
        identities,
        setup,
        categories,
        providers: linkable,
        new_token,
        notice,
        error: error.as_ref().and_then(AppError::message),
        trust,
    };
    let resp = page_response(
        state,
        req,
        Some(viewer),
        "account.html",
        &page,
        msg!("title-account"),
    )?;
    Ok(match &error {
        Some(e) => with_status(resp, e),
        None => resp,
    })
}

pub async fn account(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
) -> AppResult<HttpResponse> {
    account_page(&state, &req, &viewer, user, None, None, None).await
}

pub async fn update_profile(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> AppResult<HttpResponse> {
    let update = match ProfileUpdate::parse(&form.name, &form.title, &form.bio) {
        Ok(u) => u,
        Err(e) => return account_page(&state, &req, &viewer, user, None, None, Some(e)).await,
    };
    let id = user.id;
    let user = state
        .db
        .write(move |conn| accounts::update_profile(conn, id, update))
        .await?;
    account_page(
        &state,
        &req,
        &viewer,
        user,
        None,
        Some(msg!("account-profile-saved")),
        None,
    )
    .await
}

/// The language switcher: remembered in a cookie, and on the account of a signed-in user (so
/// it follows them to other browsers).
pub async fn choose_language(
    state: web::Data<AppState>,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> AppResult<HttpResponse> {
    let Some(lang) = state.theme.catalog.get(form.lang.trim()).cloned() else {
        return Err(AppError::invalid(msg!("prefs-unknown-language")));
    };
    if let Some(user) = &viewer.user {
        let (id, zone) = (user.id, user.time_zone.clone());
        let tag = lang.tag.clone();
        state
            .db
            .write(move |conn| {
                accounts::set_preferences(conn, id, Some(&tag), zone.as_deref(), &[tag.as_str()])
            })
            .await?;
    }
    let mut resp = see_other(safe_next(&form.next));
    resp.add_cookie(&super::locale::lang_cookie(&state, &lang.tag))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

/// The account page's language and time zone.
pub async fn update_preferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<PreferencesForm>,
) -> AppResult<HttpResponse> {
    let tags: Vec<String> = state
        .theme
        .catalog
        .languages()
        .iter()
        .map(|l| l.tag.clone())
        .collect();
    let id = user.id;
    let result = state
        .db
        .write(move |conn| {
            let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
            accounts::set_preferences(conn, id, Some(&form.locale), Some(&form.time_zone), &tags)?;
            accounts::find(conn, id)
        })
        .await;
    match result {
        Ok(user) => {
            let mut resp = see_other("/account");
            // "Follow the browser" also forgets the switcher's choice in this browser.
            let cookie = match &user.locale {
                Some(tag) => super::locale::lang_cookie(&state, tag),
                None => {
                    let mut c = super::locale::lang_cookie(&state, "");
                    c.make_removal();
                    c
                }
            };
            resp.add_cookie(&cookie)
                .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
            Ok(resp)
        }
        Err(e @ AppError::Invalid(_)) => {
            account_page(&state, &req, &viewer, user, None, None, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let u = user.clone();
    let hashed =
        web::block(move || accounts::new_password_hash(&u, &form.current, &form.new)).await?;
    let result = match hashed {
        Ok(hash) => {
            state
                .db
                .write(move |conn| accounts::set_password_hash(conn, id, &hash))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        // Every other session and token is now void; this browser gets a fresh session.
        Ok(user) => sign_in_response(&state, &user, "/account").await,
        Err(e @ (AppError::Unauthorized(_) | AppError::Invalid(_))) => {
            account_page(&state, &req, &viewer, user, None, None, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    state
        .db
        .write(move |conn| accounts::revoke_sessions(conn, id))
        .await?;
    let mut resp = see_other("/login");
    resp.add_cookie(&removal_cookie(&state))
        .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    Ok(resp)
}

pub async fn create_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let (plain, _) = state
        .db
        .write(move |conn| accounts::create_token(conn, &u, &form.name))
        .await?;
    account_page(
        &state,
        &req,
        &viewer,
        user,
        Some(plain),
        Some(msg!("account-token-created")),
        None,
    )
    .await
}

pub async fn delete_token(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> AppResult<HttpResponse> {
    let token_id = id.into_inner();
    state
        .db
        .write(move |conn| accounts::delete_token(conn, &user, token_id))
        .await?;
    Ok(see_other("/account"))
}

/// `admin.html`: categories, tags and users.
#[derive(Serialize)]
pub struct AdminPage {
    pub categories: Vec<Category>,
    /// Support teams threads can be referred to.
    pub groups: Vec<crate::support::GroupView>,
    pub tags: Vec<catalog::Tag>,
    /// How many accounts there are (the users admin is its own page, `/admin/users`).
    pub user_count: i64,
    pub error: Option<Msg>,
    /// Outgoing email: counts by state and the latest failures with their reason.
    pub mail: crate::mail::Status,
    pub email_enabled: bool,
    /// Suggestions by meaning: on (with how many vectors) or off and why.
    pub semantic: crate::search::SemanticStatus,
}

pub async fn admin(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(_, viewer): Admin,
) -> AppResult<HttpResponse> {
    let email_enabled = state.settings.email.enabled();
    let semantic = state.search.semantic().status(None);
    let page = state
        .db
        .read(move |conn| {
            Ok(AdminPage {
                semantic,
                mail: crate::mail::status(conn)?,
                email_enabled,
                categories: catalog::list_categories(conn)?,
                groups: crate::support::list_groups(conn)?,
                tags: catalog::list_tags(conn, 100)?,
                user_count: accounts::count(conn)?,
                error: None,
            })
        })
        .await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "admin.html",
        &page,
        msg!("title-admin"),
    )
}

fn parse_position(raw: &str) -> AppResult<i32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse()
        .map_err(|_| AppError::invalid(msg!("admin-position-not-a-number")))
}

pub async fn create_category(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    let input = CategoryInput::parse(
        &form.name,
        Some(&form.slug),
        &form.description,
        parse_position(&form.position)?,
    )?
    .private_rule(&form.private_questions)?
    .business_hours(&form.business_hours)?;
    let target = crate::support::parse_target(&form.first_response)?;
    state
        .db
        .write(move |conn| crate::support::create_category(conn, &admin, input, target))
        .await?;
    Ok(see_other("/admin#categories"))
}

pub async fn update_category(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    let input = CategoryInput::parse(
        &form.name,
        Some(&form.slug),
        &form.description,
        parse_position(&form.position)?,
    )?
    .private_rule(&form.private_questions)?
    .business_hours(&form.business_hours)?;
    let target = crate::support::parse_target(&form.first_response)?;
    let id = id.into_inner();
    state
        .db
        .write(move |conn| crate::support::update_category(conn, &admin, id, input, target))
        .await?;
    Ok(see_other("/admin#categories"))
}

pub async fn delete_category(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .write(move |conn| crate::support::delete_category(conn, &admin, id))
        .await?;
    Ok(see_other("/admin#categories"))
}

pub async fn save_tag(
    state: web::Data<AppState>,
    Admin(..): Admin,
    CsrfForm(form): CsrfForm<TagForm>,
) -> AppResult<HttpResponse> {
    state
        .db
        .write(move |conn| catalog::update_tag_description(conn, &form.name, &form.description))
        .await?;
    Ok(see_other("/admin#tags"))
}

pub async fn set_role(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> AppResult<HttpResponse> {
    let role = Role::parse(&form.role)?;
    let id = id.into_inner();
    state
        .db
        .write(move |conn| accounts::set_role(conn, Some(admin.id), id, role))
        .await?;
    Ok(see_other(format!("/admin/users/{id}")))
}

pub async fn suspend(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<SuspendForm>,
) -> AppResult<HttpResponse> {
    let days: i64 = form
        .days
        .trim()
        .parse()
        .map_err(|_| AppError::invalid(msg!("admin-suspend-days-not-a-number")))?;
    if !(0..=3650).contains(&days) {
        return Err(AppError::invalid(msg!(
            "admin-suspend-days-range",
            max = 3650
        )));
    }
    let id = id.into_inner();
    if id == admin.id && days > 0 {
        return Err(AppError::invalid(msg!("admin-suspend-self")));
    }
    let until = (days > 0).then(|| crate::db::now() + chrono::TimeDelta::days(days));
    let reason = crate::input::line(&form.reason, "moderation-reason", 500)?;
    state
        .db
        .write(move |conn| accounts::set_suspension_because(conn, admin.id, id, until, &reason))
        .await?;
    Ok(see_other(format!("/admin/users/{id}")))
}
