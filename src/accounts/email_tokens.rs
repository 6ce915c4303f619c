//! One-time links sent by email: verifying an address and resetting a password. Only a hash of
//! each token is stored; a token works once, before it expires, and a newer one of the same
//! purpose replaces the older ones.

use chrono::TimeDelta;
use diesel::prelude::*;

use super::{find, revoke_sessions, Password, User};
use crate::db::schema::{api_tokens, email_tokens, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::msg;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
        }
    }
    /// How long a link works.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            Purpose::Verify => TimeDelta::days(3),
            Purpose::Reset => TimeDelta::hours(1),
        }
    }
}

fn hash(token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(token.trim().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issues a token for `user` (for their current address). Older unused tokens of the same
/// purpose stop working.
pub fn issue(conn: &mut DbConn, user: &User, purpose: Purpose) -> AppResult<String> {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut buf);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf);
    let t = now();
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user.id))
            .filter(email_tokens::purpose.eq(purpose.as_str()))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::expires_at.eq(t))
    .execute(conn)?;
    diesel::insert_into(email_tokens::table)
        .values((
            email_tokens::user_id.eq(user.id),
            email_tokens::purpose.eq(purpose.as_str()),
            email_tokens::token_hash.eq(hash(&token)),
            email_tokens::email.eq(&user.email),
            email_tokens::expires_at.eq(t + purpose.lifetime()),
            email_tokens::created_at.eq(t),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Uses a token once: the user and the address it was sent to. Unknown, used or expired
/// tokens are a 400 that says which.
fn consume(conn: &mut DbConn, token: &str, purpose: Purpose) -> AppResult<(User, String)> {
    let row: Option<(
        i64,
        i64,
        String,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    )> = email_tokens::table
        .filter(email_tokens::token_hash.eq(hash(token)))
        .filter(email_tokens::purpose.eq(purpose.as_str()))
        .select((
            email_tokens::id,
            email_tokens::user_id,
            email_tokens::email,
            email_tokens::expires_at,
            email_tokens::used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, user_id, email, expires_at, used_at)) = row else {
        return Err(AppError::BadRequest(msg!("accounts-link-invalid")));
    };
    if used_at.is_some() {
        return Err(AppError::BadRequest(msg!("accounts-link-used")));
    }
    if expires_at <= now() {
        return Err(AppError::BadRequest(msg!("accounts-link-expired")));
    }
    diesel::update(email_tokens::table.find(id))
        .set(email_tokens::used_at.eq(Some(now())))
        .execute(conn)?;
    Ok((find(conn, user_id)?, email))
}

/// Checks a token without using it (the reset form is shown only for a working link).
pub fn check(conn: &mut DbConn, token: &str, purpose: Purpose) -> AppResult<()> {
    let row: Option<(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> = email_tokens::table
        .filter(email_tokens::token_hash.eq(hash(token)))
        .filter(email_tokens::purpose.eq(purpose.as_str()))
        .select((email_tokens::expires_at, email_tokens::used_at))
        .first(conn)
        .optional()?;
    match row {
        None => Err(AppError::BadRequest(msg!("accounts-link-invalid"))),
        Some((_, Some(_))) => Err(AppError::BadRequest(msg!("accounts-link-used"))),
        Some((expires, None)) if expires <= now() => {
            Err(AppError::BadRequest(msg!("accounts-link-expired")))
        }
        Some(_) => Ok(()),
    }
}

/// Confirms an address: the account's email counts as verified if it is still the one the
/// link was sent to.
pub fn verify(conn: &mut DbConn, token: &str) -> AppResult<User> {
    let (user, email) = consume(conn, token, Purpose::Verify)?;
    if user.email != email {
        return Err(AppError::BadRequest(msg!("accounts-link-old-address")));
    }
    diesel::update(users::table.find(user.id))
        .set(users::email_verified.eq(true))
        .execute(conn)?;
    find(conn, user.id)
}

/// Sets a new password through a reset link. Every session and API token of the user ends
/// (whoever knew the old password is out).
pub fn reset_password(conn: &mut DbConn, token: &str, new_hash: &str) -> AppResult<User> {
    let (user, email) = consume(conn, token, Purpose::Reset)?;
    if user.email != email {
        return Err(AppError::BadRequest(msg!("accounts-link-old-address")));
    }
    diesel::update(users::table.find(user.id))
        .set((
            users::password_hash.eq(Some(new_hash)),
            // The link proved the address.
            users::email_verified.eq(true),
        ))
        .execute(conn)?;
    revoke_sessions(conn, user.id)?;
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user.id))).execute(conn)?;
    find(conn, user.id)
}

/// The account a reset is asked for, by address (case-insensitive). None: no such account —
/// the caller answers the same either way.
pub fn account_for_reset(conn: &mut DbConn, email: &str) -> AppResult<Option<User>> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Ok(None);
    }
    Ok(users::table
        .filter(users::email.eq(&email))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Validates a new password (the same rules as sign-up).
pub fn new_password(raw: &str) -> AppResult<Password> {
    Password::parse(raw)
}
