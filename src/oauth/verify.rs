//! OpenID Connect ID tokens: the signature checked against the provider's published keys
//! (JWKS, fetched once and again when a new key id appears), then issuer, audience (our client
//! id), expiry and the nonce this browser's sign-in sent. Only asymmetric algorithms are
//! accepted: `none` and shared-secret (HS*) tokens are refused.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::Provider;
use crate::error::{AppError, AppResult};

/// The claims Peerdesk reads.
#[derive(Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    /// A boolean, or "true"/"false" from some providers.
    #[serde(default, deserialize_with = "loose_bool")]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub nickname: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    /// The party the token was issued to (required to be us when there are several audiences).
    #[serde(default)]
    pub azp: Option<String>,
    #[serde(default)]
    pub aud: serde_json::Value,
}

fn loose_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Some(b),
        serde_json::Value::String(s) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    })
}

/// Key sets by JWKS URL.
static KEYS: OnceLock<Mutex<HashMap<String, JwkSet>>> = OnceLock::new();

fn fetch_keys(p: &Provider, http: &ureq::Agent) -> AppResult<JwkSet> {
    let set: JwkSet = http
        .get(&p.jwks_url)
        .call()
        .map_err(|e| super::provider_error(p.name(), "fetching its signing keys", &e))?
        .into_json()
        .map_err(|e| {
            tracing::warn!("sign-in with {}: unreadable JWKS: {e}", p.name());
            AppError::BadGateway(crate::msg!("oauth-keys-unreadable", provider = p.name()))
        })?;
    if let Ok(mut cache) = KEYS.get_or_init(|| Mutex::new(HashMap::new())).lock() {
        cache.insert(p.jwks_url.clone(), set.clone());
    }
    Ok(set)
}

/// An ID token refused; `why` is a key of the message `oauth-token-refused`'s select.
fn refused(p: &Provider, why: &'static str) -> AppError {
    tracing::warn!("sign-in with {}: ID token refused: {why}", p.name());
    AppError::BadGateway(crate::msg!(
        "oauth-token-refused",
        provider = p.name(),
        reason = why
    ))
}

pub fn id_token(p: &Provider, token: &str, nonce: &str, http: &ureq::Agent) -> AppResult<Claims> {
    let header = decode_header(token).map_err(|_| refused(p, "malformed"))?;
    let allowed = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
    ];
    if !allowed.contains(&header.alg) {
        return Err(refused(p, "algorithm"));
    }
    let cached = KEYS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .ok()
        .and_then(|c| c.get(&p.jwks_url).cloned());
    let find = |set: &JwkSet| match &header.kid {
        Some(kid) => set.find(kid).cloned(),
        None if set.keys.len() == 1 => set.keys.first().cloned(),
        None => None,
    };
    // A key id we have not seen: the provider may have rotated its keys; fetch them again.
    let jwk = match cached.as_ref().and_then(find) {
        Some(jwk) => jwk,
        None => find(&fetch_keys(p, http)?).ok_or_else(|| refused(p, "unknown-key"))?,
    };
    let key = DecodingKey::from_jwk(&jwk).map_err(|_| refused(p, "unusable-key"))?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[p.issuer.as_str()]);
    validation.set_audience(&[p.settings.client_id.as_str()]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 60;
    validation.validate_nbf = true;
    let data = decode::<Claims>(token, &key, &validation).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind;
        refused(
            p,
            match e.kind() {
                ErrorKind::InvalidSignature => "signature",
                ErrorKind::ExpiredSignature => "expired",
                ErrorKind::InvalidAudience => "audience",
                ErrorKind::InvalidIssuer => "issuer",
                ErrorKind::ImmatureSignature => "not-yet-valid",
                ErrorKind::MissingRequiredClaim(_) => "missing-claims",
                _ => "invalid",
            },
        )
    })?;
    if data.claims.nonce.as_deref() != Some(nonce) {
        return Err(refused(p, "nonce"));
    }
    let several_audiences = data.claims.aud.as_array().is_some_and(|a| a.len() > 1);
    if several_audiences && data.claims.azp.as_deref() != Some(p.settings.client_id.as_str()) {
        return Err(refused(p, "party"));
    }
    if data.claims.sub.is_empty() {
        return Err(refused(p, "subject"));
    }
    Ok(data.claims)
}
