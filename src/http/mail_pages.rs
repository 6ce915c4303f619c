//! Pages behind account mail: verifying an address (the link, sending it again, changing the
//! address) and resetting a forgotten password (the request form, the link, the new password).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::account_pages::sign_in_response;
use super::render::{page_response, see_other};
use super::session::{client_ip, CsrfForm, SignedIn, Viewer};
use super::AppState;
use super::{mail_domain as domain, wording};
use crate::accounts::{self, email_tokens, email_tokens::Purpose};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::notify::account_mail;

fn ensure_email(state: &AppState) -> AppResult<()> {
    if state.settings.email.enabled() {
        Ok(())
    } else {
        Err(AppError::not_found(msg!("accounts-email-off")))
    }
}

/// Counts one account email for the client's address (5 an hour by default).
async fn within_limit(state: &web::Data<AppState>, req: &HttpRequest) -> AppResult<()> {
    let ip = client_ip(req, state);
    let rate = state.settings.limits.account_emails_per_ip;
    state
        .db
        .write_untracked_async(move |conn| crate::limits::hit(conn, "account-email-ip", &ip, rate))
        .await?
        .or_too_many(msg!("accounts-too-many-emails"))
}

/// A page that says one thing (and links on).
#[derive(Serialize)]
struct NoticePage {
    heading: Msg,
    text: Msg,
    link: Option<(String, Msg)>,
}

fn notice(
    state: &AppState,
    req: &HttpRequest,
    viewer: Option<&Viewer>,
    heading: Msg,
    text: Msg,
    link: Option<(String, Msg)>,
) -> AppResult<HttpResponse> {
    let page = NoticePage {
        heading: heading.clone(),
        text,
        link,
    };
    page_response(state, req, viewer, "notice.html", &page, heading)
}

/// `GET /verify-email/{token}`
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let user = state
        .db
        .write(move |conn| email_tokens::verify(conn, &token))
        .await?;
    notice(
        &state,
        &req,
        Some(&viewer),
        msg!("title-email-verified"),
        msg!("accounts-email-verified", email = &user.email),
        Some(("/".into(), msg!("accounts-continue"))),
    )
}

/// `POST /account/verify-email`: sends the link again.
pub async fn resend_verification(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(_): CsrfForm<super::account_pages::PlainForm>,
) -> AppResult<HttpResponse> {
    ensure_email(&state)?;
    within_limit(&state, &req).await?;
    let (w, d) = (wording(&state), domain(&state));
    let address = user.email.clone();
    state
        .db
        .write_untracked_async(move |conn| account_mail::send_verification(conn, &w, &d, &user))
        .await?;
    notice(
        &state,
        &req,
        Some(&viewer),
        msg!("title-check-your-email"),
        msg!("accounts-verification-sent", email = &address),
        Some(("/account".into(), msg!("accounts-back-to-account"))),
    )
}

csrf_form!(EmailForm { email: String });

/// `POST /account/email`: a new address, unverified until its link is followed.
pub async fn change_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> AppResult<HttpResponse> {
    let (w, d, email_on) = (
        wording(&state),
        domain(&state),
        state.settings.email.enabled(),
    );
    let id = user.id;
    let user = state
        .db
        .write(move |conn| {
            let user = accounts::change_email(conn, id, &form.email)?;
            if email_on {
                account_mail::send_verification(conn, &w, &d, &user)?;
            }
            Ok(user)
        })
        .await?;
    if !email_on || user.email_verified {
        return Ok(see_other("/account"));
    }
    notice(
        &state,
        &req,
        Some(&viewer),
        msg!("title-check-your-email"),
        msg!("accounts-verification-sent", email = &user.email),
        Some(("/account".into(), msg!("accounts-back-to-account"))),
    )
}

#[derive(Serialize, Default)]
struct ForgotPage {
    email: String,
    error: Option<Msg>,
}

/// `GET /password/forgot`
pub async fn forgot_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    ensure_email(&state)?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "password-forgot.html",
        &ForgotPage::default(),
        msg!("title-forgot-password"),
    )
}

/// `POST /password/forgot`: the same answer whether or not the address has an account.
pub async fn forgot(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> AppResult<HttpResponse> {
    ensure_email(&state)?;
    if let Err(e) = accounts::Email::parse(&form.email) {
        let page = ForgotPage {
            email: form.email,
            error: e.message(),
        };
        let mut resp = page_response(
            &state,
            &req,
            Some(&viewer),
            "password-forgot.html",
            &page,
            msg!("title-forgot-password"),
        )?;
        *resp.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(resp);
    }
    within_limit(&state, &req).await?;
    let (w, d) = (wording(&state), domain(&state));
    let email = form.email.clone();
    state
        .db
        .write_untracked_async(move |conn| account_mail::request_reset(conn, &w, &d, &email))
        .await?;
    notice(
        &state,
        &req,
        Some(&viewer),
        msg!("title-check-your-email"),
        msg!("accounts-reset-sent", email = form.email.trim()),
        Some(("/login".into(), msg!("accounts-back-to-sign-in"))),
    )
}

#[derive(Serialize)]
struct ResetPage {
    token: String,
    error: Option<Msg>,
}

/// `GET /password/reset/{token}`: the new-password form, for a working link only.
pub async fn reset_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let t = token.clone();
    state
        .db
        .read(move |conn| email_tokens::check(conn, &t, Purpose::Reset))
        .await?;
    let page = ResetPage { token, error: None };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "password-reset.html",
        &page,
        msg!("title-reset-password"),
    )
}

csrf_form!(NewPasswordForm { password: String });

/// `POST /password/reset/{token}`: sets the password, ends every other session and token,
/// and signs the user in here.
pub async fn reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    token: web::Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let password = match email_tokens::new_password(&form.password) {
        Ok(p) => p,
        Err(e) => {
            let page = ResetPage {
                token,
                error: e.message(),
            };
            let mut resp = page_response(
                &state,
                &req,
                Some(&viewer),
                "password-reset.html",
                &page,
                msg!("title-reset-password"),
            )?;
            *resp.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(resp);
        }
    };
    // Argon2 is slow on purpose: off the async threads.
    let hash = web::block(move || accounts::hash_password(&password)).await??;
    let user = state
        .db
        .write(move |conn| email_tokens::reset_password(conn, &token, &hash))
        .await?;
    sign_in_response(&state, &user, "/account").await
}
