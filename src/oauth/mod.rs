//! Sign-in with OAuth2 and OpenID Connect providers: the providers the operator configured
//! (presets for GitHub, GitLab and Google, or any OpenID Connect issuer by discovery), the
//! authorization code flow with PKCE, a `state` and a nonce kept in the browser's session, the
//! token exchange over an HTTP client that follows no redirects, and the provider's answer turned
//! into a verified profile (an ID token checked against the provider's keys, or the userinfo API
//! for providers without OpenID Connect). Accounts and identities live in `identity`.

mod identity;
mod verify;

pub use identity::{
    create_account, finish_sign_in, identities_of, propose_handle, role_for, unlink, Identity,
    NewAccountChoice, SignInOutcome,
};

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

use crate::config::{ProviderKind, ProviderSettings};
use crate::error::{AppError, AppResult};
use crate::msg;

/// A configured provider, with its endpoints known (presets) or discovered (OIDC).
#[derive(Debug, Clone)]
pub struct Provider {
    pub settings: ProviderSettings,
    /// Identities are keyed by (issuer, subject).
    pub issuer: String,
    pub auth_url: String,
    pub token_url: String,
    pub userinfo_url: String,
    /// GitHub: the verified addresses (`/user/emails`) when `/user` shows none.
    pub emails_url: String,
    /// OpenID Connect: where the ID token's signing keys are.
    pub jwks_url: String,
    pub scopes: Vec<String>,
}

impl Provider {
    pub fn is_oidc(&self) -> bool {
        !self.jwks_url.is_empty()
    }
    pub fn name(&self) -> &str {
        &self.settings.name
    }
}

/// What a provider told us about the person, after every check.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    /// Empty when the provider shared none.
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    /// The provider's username (`login`, `preferred_username`, `nickname`): a handle proposal.
    pub username: String,
    /// Group names (an OIDC `groups` claim), for role rules.
    pub groups: Vec<String>,
}

/// A sign-in under way: kept in the encrypted session cookie between the redirect to the
/// provider and its answer, so it is bound to this browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingAuth {
    pub provider: String,
    /// The `state` sent to the provider; the answer must bring it back.
    pub state: String,
    pub verifier: String,
    pub nonce: String,
    /// Where to go afterwards (a local path).
    pub next: String,
    /// Link to the signed-in account instead of signing in.
    pub link: bool,
    /// Unix seconds; a sign-in left open for long is refused.
    pub started: i64,
}

/// How long a sign-in may stay open at the provider.
pub const PENDING_MAX_AGE_SECS: i64 = 15 * 60;

/// Marks a callback's `state` as used, before the provider's token endpoint is called: a replay
/// of the same callback (say, with a copy of the cookie from before it) is refused with a clear
/// 400 instead of reaching the provider again. Used states older than a sign-in can last are
/// forgotten (their pending sign-in has expired anyway).
pub fn consume_state(conn: &mut crate::db::DbConn, state: &str) -> AppResult<()> {
    use diesel::prelude::*;

    use crate::db::schema::oauth_used_states as used;
    let t = crate::db::now();
    let forget = t - chrono::TimeDelta::seconds(2 * PENDING_MAX_AGE_SECS);
    diesel::delete(used::table.filter(used::used_at.lt(forget))).execute(conn)?;
    let hash = crate::accounts::sha256(state);
    match diesel::insert_into(used::table)
        .values((used::state_hash.eq(hash), used::used_at.eq(t)))
        .execute(conn)
    {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(AppError::BadRequest(msg!("oauth-answer-used"))),
        Err(e) => Err(e.into()),
    }
}

/// Discovery documents by issuer (fetched once per process).
static DISCOVERED: OnceLock<Mutex<HashMap<String, Discovery>>> = OnceLock::new();
/// Issuers whose discovery failed lately: answered at once for a while instead of tying up a
/// blocking thread per visitor for the whole timeout while a provider is down.
static FAILED: OnceLock<Mutex<HashMap<String, std::time::Instant>>> = OnceLock::new();
const RETRY_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    #[serde(default)]
    userinfo_endpoint: String,
    jwks_uri: String,
}

/// The HTTP client for provider calls: no redirects (a token endpoint that redirects is refused,
/// so codes and secrets never travel elsewhere) and a timeout.
pub fn http_client(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(timeout)
        .user_agent("peerdesk")
        .build()
}

/// Why talking to a provider failed, for the user and the log.
fn provider_error(provider: &str, what: &str, err: &ureq::Error) -> AppError {
    tracing::warn!("sign-in with {provider}: {what} failed: {err}");
    match err {
        ureq::Error::Transport(t) if t.kind() == ureq::ErrorKind::Io => {
            AppError::GatewayTimeout(msg!("oauth-timeout", provider = provider))
        }
        ureq::Error::Transport(_) => {
            AppError::BadGateway(msg!("oauth-unreachable", provider = provider))
        }
        ureq::Error::Status(code, _) => AppError::BadGateway(msg!(
            "oauth-request-refused",
            provider = provider,
            status = code.to_string()
        )),
    }
}

/// Resolves a configured provider: presets have known endpoints, OpenID Connect providers are
/// discovered from `{issuer}/.well-known/openid-configuration` (once). Settings may override
/// any endpoint.
pub fn resolve(settings: &ProviderSettings, timeout: Duration) -> AppResult<Provider> {
    let s = settings.clone();
    let or = |custom: &str, preset: &str| {
        if custom.is_empty() {
            preset.to_string()
        } else {
            custom.to_string()
        }
    };
    let scopes = |preset: &[&str]| {
        if s.scopes.is_empty() {
            preset.iter().map(|x| x.to_string()).collect()
        } else {
            s.scopes.clone()
        }
    };
    match s.kind {
        ProviderKind::Github => Ok(Provider {
            issuer: or(&s.issuer, "https://github.com"),
            auth_url: or(&s.auth_url, "https://github.com/login/oauth/authorize"),
            token_url: or(&s.token_url, "https://github.com/login/oauth/access_token"),
            userinfo_url: or(&s.userinfo_url, "https://api.github.com/user"),
            emails_url: or(&s.emails_url, "https://api.github.com/user/emails"),
            jwks_url: String::new(),
            scopes: scopes(&["read:user", "user:email"]),
            settings: s,
        }),
        ProviderKind::Gitlab | ProviderKind::Google | ProviderKind::Oidc => {
            let issuer = match s.kind {
                ProviderKind::Gitlab => or(&s.issuer, "https://gitlab.com"),
                ProviderKind::Google => or(&s.issuer, "https://accounts.google.com"),
                _ => s.issuer.clone(),
            };
            if issuer.is_empty() {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "provider {}: an OpenID Connect provider needs `issuer`",
                    s.id
                )));
            }
            let d = discover(&s.name, &issuer, timeout)?;
            Ok(Provider {
                issuer: d.issuer,
                auth_url: or(&s.auth_url, &d.authorization_endpoint),
                token_url: or(&s.token_url, &d.token_endpoint),
                userinfo_url: or(&s.userinfo_url, &d.userinfo_endpoint),
                emails_url: String::new(),
                jwks_url: d.jwks_uri,
                scopes: scopes(&["openid", "email", "profile"]),
                settings: s,
            })
        }
    }
}

fn discover(name: &str, issuer: &str, timeout: Duration) -> AppResult<Discovery> {
    let cache = DISCOVERED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(d) = cache.lock().ok().and_then(|c| c.get(issuer).cloned()) {
        return Ok(d);
    }
    let failed = FAILED.get_or_init(|| Mutex::new(HashMap::new()));
    if failed
        .lock()
        .ok()
        .and_then(|f| f.get(issuer).copied())
        .is_some_and(|at| at.elapsed() < RETRY_AFTER)
    {
        return Err(AppError::BadGateway(msg!(
            "oauth-unreachable",
            provider = name
        )));
    }
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let fetched = http_client(timeout)
        .get(&url)
        .call()
        .map_err(|e| provider_error(name, "discovery", &e))
        .and_then(|r| {
            r.into_json::<Discovery>().map_err(|e| {
                tracing::warn!("sign-in with {name}: discovery document unreadable: {e}");
                AppError::BadGateway(msg!("oauth-discovery-unreadable", provider = name))
            })
        });
    let d = match fetched {
        Ok(d) => d,
        Err(e) => {
            if let Ok(mut f) = failed.lock() {
                f.insert(issuer.to_string(), std::time::Instant::now());
            }
            return Err(e);
        }
    };
    // The document must be about the issuer we asked for (no mix-ups between providers).
    if d.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        tracing::warn!(
            "sign-in with {name}: discovery says issuer {} for {issuer}",
            d.issuer
        );
        return Err(AppError::BadGateway(msg!(
            "oauth-issuer-mismatch",
            provider = name
        )));
    }
    if let Ok(mut c) = cache.lock() {
        c.insert(issuer.to_string(), d.clone());
    }
    Ok(d)
}

/// The token response's extra field OpenID Connect adds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl oauth2::ExtraTokenFields for IdTokenField {}

type Client = oauth2::Client<
    BasicErrorResponse,
    StandardTokenResponse<IdTokenField, BasicTokenType>,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn client(p: &Provider, redirect_url: &str) -> AppResult<Client> {
    let bad = |what: &str, e: oauth2::url::ParseError| {
        AppError::Internal(anyhow::anyhow!(
            "provider {}: bad {what}: {e}",
            p.settings.id
        ))
    };
    Ok(oauth2::Client::<
        BasicErrorResponse,
        StandardTokenResponse<IdTokenField, BasicTokenType>,
        BasicTokenIntrospectionResponse,
        StandardRevocableToken,
        BasicRevocationErrorResponse,
    >::new(ClientId::new(p.settings.client_id.clone()))
    .set_client_secret(ClientSecret::new(p.settings.client_secret.clone()))
    .set_auth_uri(AuthUrl::new(p.auth_url.clone()).map_err(|e| bad("auth_url", e))?)
    .set_token_uri(TokenUrl::new(p.token_url.clone()).map_err(|e| bad("token_url", e))?)
    .set_redirect_uri(RedirectUrl::new(redirect_url.to_string()).map_err(|e| bad("callback", e))?))
}

/// The provider's authorization URL for a new sign-in, and what to keep in the session.
pub fn start(
    p: &Provider,
    redirect_url: &str,
    next: &str,
    link: bool,
    login_hint: Option<&str>,
) -> AppResult<(String, PendingAuth)> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = CsrfToken::new_random().secret().clone();
    let client = client(p, redirect_url)?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge);
    for scope in &p.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    if p.is_oidc() {
        request = request.add_extra_param("nonce", nonce.clone());
    }
    if let Some(hint) = login_hint.filter(|h| !h.is_empty() && h.len() <= 200) {
        request = request.add_extra_param("login_hint", hint.to_string());
    }
    let (url, state) = request.url();
    Ok((
        url.to_string(),
        PendingAuth {
            provider: p.settings.id.clone(),
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
            nonce,
            next: next.to_string(),
            link,
            started: chrono::Utc::now().timestamp(),
        },
    ))
}

/// Exchanges the code (with the PKCE verifier) and returns the verified profile. Blocking: run
/// it off the request thread.
pub fn finish(
    p: &Provider,
    redirect_url: &str,
    pending: &PendingAuth,
    code: &str,
    timeout: Duration,
) -> AppResult<Profile> {
    let name = p.name().to_string();
    let http = http_client(timeout);
    let token = client(p, redirect_url)?
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request(&http)
        .map_err(|e| token_error(&name, e))?;
    let access = token.access_token().secret().clone();
    if p.is_oidc() {
        let id_token = token.extra_fields().id_token.clone().ok_or_else(|| {
            tracing::warn!("sign-in with {name}: the token response has no ID token");
            AppError::BadGateway(msg!("oauth-no-id-token", provider = &name))
        })?;
        let mut claims = verify::id_token(p, &id_token, &pending.nonce, &http)?;
        // Some providers put the address, username or groups only in userinfo.
        if claims.email.is_none() && !p.userinfo_url.is_empty() {
            oidc_userinfo(p, &access, &http, &mut claims);
        }
        Ok(Profile {
            provider: p.settings.id.clone(),
            issuer: p.issuer.clone(),
            subject: claims.sub,
            email: claims.email.unwrap_or_default(),
            email_verified: claims.email_verified.unwrap_or(false),
            name: claims.name.unwrap_or_default(),
            username: claims
                .preferred_username
                .or(claims.nickname)
                .unwrap_or_default(),
            groups: claims.groups,
        })
    } else {
        github_profile(p, &access, &http)
    }
}

fn token_error(
    name: &str,
    e: oauth2::RequestTokenError<
        oauth2::HttpClientError<ureq::Error>,
        oauth2::StandardErrorResponse<oauth2::basic::BasicErrorResponseType>,
    >,
) -> AppError {
    use oauth2::basic::BasicErrorResponseType;
    match e {
        oauth2::RequestTokenError::ServerResponse(r) => {
            tracing::warn!("sign-in with {name}: token endpoint said {r}");
            match r.error() {
                BasicErrorResponseType::InvalidGrant => {
                    AppError::BadRequest(msg!("oauth-code-used", provider = name))
                }
                _ => AppError::BadGateway(msg!("oauth-sign-in-refused", provider = name)),
            }
        }
        // (oauth2 names its client-error variant after reqwest; with ureq it holds ureq's error.)
        // ureq turns 4xx answers into errors: read the OAuth2 error from the body.
        oauth2::RequestTokenError::Request(oauth2::HttpClientError::Reqwest(inner)) => match *inner
        {
            ureq::Error::Status(code, resp) => {
                let body: Option<serde_json::Value> = resp.into_json().ok();
                let error = body
                    .as_ref()
                    .and_then(|b| b["error"].as_str())
                    .unwrap_or("")
                    .to_string();
                tracing::warn!("sign-in with {name}: token endpoint answered {code} {error}");
                if code < 500 && matches!(error.as_str(), "invalid_grant" | "invalid_request") {
                    AppError::BadRequest(msg!("oauth-code-used", provider = name))
                } else {
                    AppError::BadGateway(msg!("oauth-sign-in-refused", provider = name))
                }
            }
            other => provider_error(name, "the token exchange", &other),
        },
        oauth2::RequestTokenError::Request(oauth2::HttpClientError::Io(e)) => {
            tracing::warn!("sign-in with {name}: the token exchange failed: {e}");
            AppError::GatewayTimeout(msg!("oauth-timeout", provider = name))
        }
        // GitHub answers a used code with 200 and `{"error": "bad_verification_code"}`.
        oauth2::RequestTokenError::Parse(_, body) => {
            let error = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|b| b["error"].as_str().map(str::to_string))
                .unwrap_or_default();
            tracing::warn!("sign-in with {name}: unexpected token answer ({error})");
            if matches!(
                error.as_str(),
                "bad_verification_code" | "invalid_grant" | "invalid_request"
            ) {
                AppError::BadRequest(msg!("oauth-code-used", provider = name))
            } else {
                AppError::BadGateway(msg!("oauth-sign-in-incomplete", provider = name))
            }
        }
        other => {
            tracing::warn!("sign-in with {name}: token exchange failed: {other}");
            AppError::BadGateway(msg!("oauth-sign-in-incomplete", provider = name))
        }
    }
}

/// Fills missing claims from the OpenID Connect userinfo endpoint (only when it speaks about
/// the same subject as the ID token). Failures leave the claims as they were.
fn oidc_userinfo(p: &Provider, access: &str, http: &ureq::Agent, claims: &mut verify::Claims) {
    let info: Option<verify::Claims> = http
        .get(&p.userinfo_url)
        .set("Authorization", &format!("Bearer {access}"))
        .call()
        .map_err(|e| tracing::warn!("sign-in with {}: userinfo failed: {e}", p.name()))
        .ok()
        .and_then(|r| r.into_json().ok());
    let Some(info) = info.filter(|i| i.sub == claims.sub) else {
        return;
    };
    if claims.email.is_none() {
        claims.email = info.email;
        claims.email_verified = info.email_verified;
    }
    claims.name = claims.name.take().or(info.name);
    claims.preferred_username = claims.preferred_username.take().or(info.preferred_username);
    if claims.groups.is_empty() {
        claims.groups = info.groups;
    }
}

/// GitHub's `/user`, and `/user/emails` for a verified address when `/user` shows none.
fn github_profile(p: &Provider, access: &str, http: &ureq::Agent) -> AppResult<Profile> {
    let name = p.name();
    #[derive(Deserialize)]
    struct User {
        id: serde_json::Value,
        #[serde(default)]
        login: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        email: Option<String>,
    }
    #[derive(Deserialize)]
    struct Email {
        email: String,
        #[serde(default)]
        primary: bool,
        #[serde(default)]
        verified: bool,
    }
    let bearer = format!("Bearer {access}");
    let user: User = http
        .get(&p.userinfo_url)
        .set("Authorization", &bearer)
        .set("Accept", "application/json")
        .call()
        .map_err(|e| provider_error(name, "the user API", &e))?
        .into_json()
        .map_err(|e| {
            tracing::warn!("sign-in with {name}: user API answer unreadable: {e}");
            AppError::BadGateway(msg!("oauth-profile-unreadable", provider = name))
        })?;
    let subject = match &user.id {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) if !s.is_empty() => s.clone(),
        _ => {
            tracing::warn!("sign-in with {name}: the user API sent no id");
            return Err(AppError::BadGateway(msg!(
                "oauth-profile-without-id",
                provider = name
            )));
        }
    };
    // Whether an address is verified comes from `/user/emails` (the profile's public address
    // says nothing about it on every GitHub installation). Without that list, unverified.
    let listed: Vec<Email> = match http
        .get(&p.emails_url)
        .set("Authorization", &bearer)
        .set("Accept", "application/json")
        .call()
    {
        Ok(r) => r.into_json().unwrap_or_else(|e| {
            tracing::warn!("sign-in with {name}: unreadable email list: {e}");
            Vec::new()
        }),
        Err(e) => {
            tracing::warn!("sign-in with {name}: the email list failed: {e}");
            Vec::new()
        }
    };
    let public = user.email.clone().filter(|e| !e.is_empty());
    let (email, verified) = match &public {
        Some(e) => (
            Some(e.clone()),
            listed
                .iter()
                .any(|l| l.verified && l.email.eq_ignore_ascii_case(e)),
        ),
        None => match listed
            .iter()
            .filter(|l| l.verified)
            .max_by_key(|l| l.primary)
        {
            Some(l) => (Some(l.email.clone()), true),
            None => (None, false),
        },
    };
    Ok(Profile {
        provider: p.settings.id.clone(),
        issuer: p.issuer.clone(),
        subject,
        email: email.unwrap_or_default(),
        email_verified: verified,
        name: user.name.unwrap_or_default(),
        username: user.login,
        groups: Vec::new(),
    })
}
