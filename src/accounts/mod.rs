//! Accounts: users and roles, local passwords (argon2id), personal API tokens, the one-time setup
//! link that creates the first admin, and the session version that revokes sessions and tokens.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::schema::{api_tokens, settings, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::input;
use crate::msg;

pub mod directory;
pub mod email_tokens;
pub mod sessions;

/// What a user may do. Staff answer in public under their name; moderators curate; admins run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Staff,
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Member, Role::Staff, Role::Moderator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Staff => "staff",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> AppResult<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AppError::invalid(msg!("accounts-unknown-role", role = s)))
    }

    /// Answers from these roles are marked as staff answers.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }

    /// Staff, moderators and admins may accept any answer, edit any post and close threads.
    pub fn can_moderate(self) -> bool {
        !matches!(self, Role::Member)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub handle: String,
    #[serde(skip)]
    pub email: String,
    pub name: String,
    pub title: String,
    pub bio: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    #[serde(skip)]
    pub role: String,
    #[serde(skip)]
    pub session_version: i32,
    pub suspended_until: Option<NaiveDateTime>,
    pub reputation: i32,
    pub created_at: NaiveDateTime,
    /// A sign-in provider vouched for the email address (local sign-ups are unverified).
    #[serde(skip)]
    pub email_verified: bool,
    /// Interface language chosen on the account page (None: follow the browser).
    #[serde(skip)]
    pub locale: Option<String>,
    /// IANA time zone chosen on the account page (None: the browser's, else the site's).
    #[serde(skip)]
    pub time_zone: Option<String>,
    /// Silenced by a moderator until then: can read, cannot post.
    #[serde(skip)]
    pub silenced_until: Option<NaiveDateTime>,
    /// Flags of theirs a moderator agreed with, and dismissed (their standing as a flagger).
    #[serde(skip)]
    pub flags_agreed: i32,
    #[serde(skip)]
    pub flags_dismissed: i32,
    /// Trust level 0-4, earned from what they did (docs/peers.md); `trust_locked`: set by a
    /// moderator and kept as is.
    pub trust_level: i32,
    #[serde(skip)]
    pub trust_locked: bool,
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Member)
    }

    pub fn is_suspended(&self) -> bool {
        self.suspended_until.is_some_and(|until| until > now())
    }

    /// Silenced by a moderator: may read (and vote), may not post.
    pub fn is_silenced(&self) -> bool {
        self.silenced_until.is_some_and(|until| until > now())
    }

    /// The name shown on posts: the real name when given, else the handle.
    pub fn display_name(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.handle
        } else {
            &self.name
        }
    }
}

/// A handle: 3–32 characters of `a-z 0-9 _ -`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle(String);

impl Handle {
    pub fn parse(raw: &str) -> AppResult<Handle> {
        let h = raw.trim().to_ascii_lowercase();
        if !(3..=32).contains(&h.len()) {
            return Err(AppError::invalid(msg!("accounts-handle-length")));
        }
        if !h
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(AppError::invalid(msg!("accounts-handle-characters")));
        }
        if !h.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(AppError::invalid(msg!("accounts-handle-start")));
        }
        Ok(Handle(h))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, stored lower-case. Only the shape is checked; nothing is sent yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> AppResult<Email> {
        let e = raw.trim().to_lowercase();
        let valid = e.len() <= 254
            && e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !e.chars().any(|c| c.is_whitespace() || c.is_control());
        if !valid {
            return Err(AppError::invalid(msg!("accounts-email-invalid")));
        }
        Ok(Email(e))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 10 to 1024 characters (long passphrases welcome, absurd sizes refused).
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> AppResult<Password> {
        let n = raw.chars().count();
        if n < 10 {
            return Err(AppError::invalid(msg!("accounts-password-too-short")));
        }
        if n > 1024 {
            return Err(AppError::invalid(msg!("accounts-password-too-long")));
        }
        Ok(Password(raw.to_string()))
    }
}

/// Everything needed to create an account.
pub struct NewAccount {
    pub handle: Handle,
    pub email: Email,
    /// argon2id hash of the password. None: provider-only account (no password sign-in).
    pub password_hash: Option<String>,
    pub role: Role,
    pub name: String,
    pub title: String,
    /// A sign-in provider vouched for the address.
    pub email_verified: bool,
}

impl NewAccount {
    /// Parses and, with a password, hashes it (argon2id: tens of milliseconds of CPU, so call
    /// this on the blocking pool and outside any transaction).
    pub fn parse(
        handle: &str,
        email: &str,
        password: Option<&str>,
        name: &str,
        title: &str,
    ) -> AppResult<NewAccount> {
        Ok(NewAccount {
            handle: Handle::parse(handle)?,
            email: Email::parse(email)?,
            password_hash: password
                .map(|p| Password::parse(p).and_then(|p| hash_password(&p)))
                .transpose()?,
            role: Role::Member,
            name: input::line(name, "name", 80)?,
            title: input::line(title, "title", 80)?,
            email_verified: false,
        })
    }
}

pub fn hash_password(password: &Password) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.0.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing a password: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to compare against when the user does not exist, so timing does not tell.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&Password("not-a-real-password".into())).unwrap_or_default())
}

pub fn create(conn: &mut DbConn, account: NewAccount) -> AppResult<User> {
    let taken_handle: i64 = users::table
        .filter(users::handle.eq(account.handle.as_str()))
        .count()
        .get_result(conn)?;
    if taken_handle > 0 {
        return Err(AppError::Conflict(msg!(
            "accounts-handle-taken",
            handle = account.handle.as_str()
        )));
    }
    let taken_email: i64 = users::table
        .filter(users::email.eq(account.email.as_str()))
        .count()
        .get_result(conn)?;
    if taken_email > 0 {
        return Err(AppError::Conflict(msg!("accounts-email-taken")));
    }
    let id: i64 = diesel::insert_into(users::table)
        .values((
            users::handle.eq(account.handle.as_str()),
            users::email.eq(account.email.as_str()),
            users::name.eq(&account.name),
            users::title.eq(&account.title),
            users::password_hash.eq(&account.password_hash),
            users::role.eq(account.role.as_str()),
            users::email_verified.eq(account.email_verified),
            users::created_at.eq(now()),
        ))
        .returning(users::id)
        .get_result(conn)?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<User> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("accounts-user-not-found")))
}

pub fn find_by_handle(conn: &mut DbConn, handle: &str) -> AppResult<User> {
    users::table
        .filter(users::handle.eq(handle.trim().to_ascii_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("accounts-user-not-found")))
}

pub fn list(conn: &mut DbConn, limit: i64) -> AppResult<Vec<User>> {
    Ok(users::table
        .select(User::as_select())
        .order(users::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// Checks a handle-or-email and password. One message for every failure, so it tells nothing.
/// Sign-in limits: failed attempts per account and per client address.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    pub per_account: crate::limits::Rate,
    pub per_ip: crate::limits::Rate,
}

const FAILED_SIGN_IN_ACCOUNT: &str = "sign-in-account";
const FAILED_SIGN_IN_IP: &str = "sign-in-ip";

/// Signs in with a password, within the limits: every attempt is counted before the password
/// is checked (so parallel guesses cannot slip past the count), and a success gives its count
/// back. Past too many failures for the account (its handle and email count as one) or from the
/// address, every attempt — even with the right password — is refused with when to try again,
/// and repeated bursts wait longer each time. Blocking (argon2 is CPU-heavy): call it on the
/// blocking pool.
pub fn sign_in(
    db: &crate::db::Db,
    login: &str,
    password: &str,
    ip: &str,
    limits: SignInLimits,
) -> AppResult<User> {
    use crate::limits::{self, Verdict};
    let typed = login.trim().to_lowercase();
    // The account's id when the login names one, so handle and email share one count.
    let account = match db.read_blocking(|c| find_by_login(c, &typed))? {
        Some(id) => format!("user:{id}"),
        None => format!("login:{typed}"),
    };
    let keys = [
        (FAILED_SIGN_IN_ACCOUNT, account.as_str(), limits.per_account),
        (FAILED_SIGN_IN_IP, ip, limits.per_ip),
    ];
    for (rule, key, rate) in keys {
        if let Verdict::Limited { retry_after_secs } =
            db.write_untracked(|c| limits::hit(c, rule, key, rate))?
        {
            return Err(limits::too_many(
                msg!("accounts-too-many-sign-ins"),
                retry_after_secs,
            ));
        }
    }
    let result = db.read_blocking(|c| authenticate(c, login, password));
    if result.is_ok() {
        db.write_untracked(|c| {
            limits::reset(c, FAILED_SIGN_IN_ACCOUNT, &account)?;
            limits::refund(c, FAILED_SIGN_IN_IP, ip, limits.per_ip)
        })?;
    }
    result
}

/// The id of the account a sign-in names by handle or email (lower-cased), if any.
fn find_by_login(conn: &mut DbConn, login: &str) -> AppResult<Option<i64>> {
    Ok(users::table
        .filter(users::handle.eq(login).or(users::email.eq(login)))
        .select(users::id)
        .first(conn)
        .optional()?)
}

/// Whether one more account may be created from `ip` now (checked before the password is
/// hashed, so refused sign-ups cost no CPU).
pub fn may_sign_up(db: &crate::db::Db, ip: &str, rate: crate::limits::Rate) -> AppResult<()> {
    db.read_blocking(|c| crate::limits::check(c, SIGN_UP_IP, ip, rate))?
        .or_too_many(msg!("accounts-too-many-sign-ups"))
}

const SIGN_UP_IP: &str = "sign-up-ip";

/// The user of an API token, within the limit on failed tokens per client address: past it,
/// a wrong token is answered 429 with when to try again instead of 401. A valid token keeps
/// working, so one broken script behind a shared address does not lock out everyone else there
/// (tokens are 256 random bits: the limit is against hammering, not guessing); while an address
/// is limited its wrong tokens cost a read, never a write.
pub fn api_caller(
    db: &crate::db::Db,
    token: &str,
    ip: &str,
    rate: crate::limits::Rate,
) -> AppResult<Option<User>> {
    const RULE: &str = "api-token-ip";
    let refuse = || msg!("accounts-too-many-wrong-tokens");
    let user = db.read_blocking(|c| user_for_token(c, token))?;
    if user.is_none() {
        // Limited already: refused on a read, without taking the write lock.
        db.read_blocking(|c| crate::limits::check(c, RULE, ip, rate))?
            .or_too_many(refuse())?;
        db.write_untracked(|c| crate::limits::hit(c, RULE, ip, rate))?
            .or_too_many(refuse())?;
    }
    Ok(user)
}

/// Creates an account from the sign-up form, at most `rate` per client address.
pub fn sign_up(
    db: &crate::db::Db,
    account: NewAccount,
    ip: &str,
    rate: crate::limits::Rate,
) -> AppResult<User> {
    db.write_untracked(|c| crate::limits::hit(c, SIGN_UP_IP, ip, rate))?
        .or_too_many(msg!("accounts-too-many-sign-ups"))?;
    db.write_blocking(|c| create(c, account))
}

pub fn authenticate(conn: &mut DbConn, login: &str, password: &str) -> AppResult<User> {
    let login = login.trim().to_lowercase();
    let user = users::table
        .filter(users::handle.eq(&login).or(users::email.eq(&login)))
        .select(User::as_select())
        .first(conn)
        .optional()?;
    let wrong = || AppError::Unauthorized(msg!("accounts-wrong-credentials"));
    match user {
        Some(user) => {
            let Some(hash) = user.password_hash.as_deref() else {
                verify_password(dummy_hash(), password);
                return Err(wrong());
            };
            if !verify_password(hash, password) {
                return Err(wrong());
            }
            if user.is_suspended() {
                return Err(AppError::forbidden(msg!("accounts-suspended")));
            }
            Ok(user)
        }
        None => {
            verify_password(dummy_hash(), password);
            Err(wrong())
        }
    }
}

/// Ends every session and API token of the user (they were issued under the old version).
pub fn revoke_sessions(conn: &mut DbConn, user_id: i64) -> AppResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::session_version.eq(users::session_version + 1))
        .execute(conn)?;
    sessions::end_all(conn, user_id)
}

/// Changes a local account's address. Until the link sent to it is followed it is
/// unverified (and so never joins a provider sign-in by address).
pub fn change_email(conn: &mut DbConn, user_id: i64, raw: &str) -> AppResult<User> {
    let email = Email::parse(raw)?;
    let user = find(conn, user_id)?;
    if user.email == email.as_str() {
        return Ok(user);
    }
    let taken: i64 = users::table
        .filter(users::email.eq(email.as_str()))
        .filter(users::id.ne(user_id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::Conflict(msg!("accounts-email-taken")));
    }
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(email.as_str()),
            users::email_verified.eq(false),
        ))
        .execute(conn)?;
    find(conn, user_id)
}

/// Gives a user another role (admins, or the CLI with no actor); their sessions end at once.
pub fn set_role(
    conn: &mut DbConn,
    actor_id: Option<i64>,
    user_id: i64,
    role: Role,
) -> AppResult<User> {
    let user = find(conn, user_id)?;
    if user.role() == Role::Admin && role != Role::Admin {
        let admins: i64 = users::table
            .filter(users::role.eq("admin"))
            .count()
            .get_result(conn)?;
        if admins <= 1 {
            return Err(AppError::Conflict(msg!("accounts-last-admin")));
        }
    }
    diesel::update(users::table.find(user_id))
        .set(users::role.eq(role.as_str()))
        .execute(conn)?;
    revoke_sessions(conn, user_id)?;
    if user.role() != role {
        let mut e = NewEvent::new(Kind::UserRoleChanged)
            .subject(user_id)
            .with("role", role.as_str())
            .with("previous", user.role().as_str());
        if let Some(a) = actor_id {
            e = e.actor(a);
        }
        events::emit(conn, e)?;
    }
    find(conn, user_id)
}

/// Suspends until a time (None lifts the suspension); the user's sessions end at once.
pub fn set_suspension(
    conn: &mut DbConn,
    actor_id: i64,
    user_id: i64,
    until: Option<NaiveDateTime>,
) -> AppResult<User> {
    set_suspension_because(conn, actor_id, user_id, until, "")
}

/// The same, with the moderator's reason (kept in the audit log).
pub fn set_suspension_because(
    conn: &mut DbConn,
    actor_id: i64,
    user_id: i64,
    until: Option<NaiveDateTime>,
    reason: &str,
) -> AppResult<User> {
    find(conn, user_id)?;
    diesel::update(users::table.find(user_id))
        .set(users::suspended_until.eq(until))
        .execute(conn)?;
    revoke_sessions(conn, user_id)?;
    events::emit(
        conn,
        NewEvent::new(Kind::UserSuspended)
            .actor(actor_id)
            .subject(user_id)
            .with("until", until.map(|t| t.to_string()))
            .with("reason", reason),
    )?;
    find(conn, user_id)
}

/// Silences until a time (None lifts it): the user may read but not post.
pub fn set_silence(
    conn: &mut DbConn,
    actor_id: i64,
    user_id: i64,
    until: Option<NaiveDateTime>,
    reason: &str,
) -> AppResult<User> {
    find(conn, user_id)?;
    diesel::update(users::table.find(user_id))
        .set(users::silenced_until.eq(until))
        .execute(conn)?;
    events::emit(
        conn,
        NewEvent::new(Kind::UserSilenced)
            .actor(actor_id)
            .subject(user_id)
            .with("until", until.map(|t| t.to_string()))
            .with("reason", reason),
    )?;
    find(conn, user_id)
}

/// Checks the current password (if the account has one) and hashes the new one. CPU-heavy:
/// run it on the blocking pool, then store the result with `set_password_hash`.
pub fn new_password_hash(user: &User, current: &str, new: &str) -> AppResult<String> {
    let new = Password::parse(new)?;
    if let Some(hash) = user.password_hash.as_deref() {
        if !verify_password(hash, current) {
            return Err(AppError::Unauthorized(msg!(
                "accounts-current-password-wrong"
            )));
        }
    }
    hash_password(&new)
}

/// Stores a new password hash and ends every other session and token of the user.
pub fn set_password_hash(conn: &mut DbConn, user_id: i64, hash: &str) -> AppResult<User> {
    find(conn, user_id)?;
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    revoke_sessions(conn, user_id)?;
    find(conn, user_id)
}

/// Profile fields a user edits themselves.
pub struct ProfileUpdate {
    pub name: String,
    pub title: String,
    pub bio: String,
}

impl ProfileUpdate {
    pub fn parse(name: &str, title: &str, bio: &str) -> AppResult<ProfileUpdate> {
        Ok(ProfileUpdate {
            name: input::line(name, "name", 80)?,
            title: input::line(title, "title", 80)?,
            bio: input::multiline(bio, "bio", 2000)?,
        })
    }
}

pub fn update_profile(conn: &mut DbConn, user_id: i64, p: ProfileUpdate) -> AppResult<User> {
    diesel::update(users::table.find(user_id))
        .set((
            users::name.eq(p.name),
            users::title.eq(p.title),
            users::bio.eq(p.bio),
        ))
        .execute(conn)?;
    events::emit(
        conn,
        NewEvent::new(Kind::UserChanged)
            .actor(user_id)
            .subject(user_id),
    )?;
    find(conn, user_id)
}

// ---------------------------------------------------------------------------------------------
// API tokens

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    #[serde(skip)]
    pub session_version: i32,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

fn random_secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// A secret as stored: its SHA-256, base64 (tokens, session ids, OAuth states).
pub(crate) fn sha256(s: &str) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(s.as_bytes()))
}

/// Creates a token; the plain value is returned once and only its hash is stored.
pub fn create_token(conn: &mut DbConn, user: &User, name: &str) -> AppResult<(String, ApiToken)> {
    let name = input::line(name, "token-name", 80)?;
    let name = if name.is_empty() {
        "API token".to_string()
    } else {
        name
    };
    let plain = format!("pd_{}", random_secret(32));
    let token = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user.id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(sha256(&plain)),
            api_tokens::session_version.eq(user.session_version),
            api_tokens::created_at.eq(now()),
        ))
        .returning(api_tokens::all_columns)
        .get_result::<ApiToken>(conn)?;
    events::emit(
        conn,
        NewEvent::new(Kind::TokenCreated)
            .actor(user.id)
            .subject(token.id)
            .with("name", token.name.clone()),
    )?;
    Ok((plain, token))
}

/// Tokens still valid for the user (issued under the current session version).
pub fn list_tokens(conn: &mut DbConn, user: &User) -> AppResult<Vec<ApiToken>> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user.id))
        .filter(api_tokens::session_version.eq(user.session_version))
        .select(ApiToken::as_select())
        .order(api_tokens::id.desc())
        .load(conn)?)
}

pub fn delete_token(conn: &mut DbConn, user: &User, token_id: i64) -> AppResult<()> {
    let n = diesel::delete(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::user_id.eq(user.id)),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::not_found(msg!("accounts-token-not-found")));
    }
    Ok(())
}

/// The user a bearer token belongs to, if the token is valid and the account is in good standing.
pub fn user_for_token(conn: &mut DbConn, plain: &str) -> AppResult<Option<User>> {
    let row: Option<(ApiToken, User)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(sha256(plain)))
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(token, user)| {
        (token.session_version == user.session_version && !user.is_suspended()).then_some(user)
    }))
}

// ---------------------------------------------------------------------------------------------
// Settings kept in the database: the setup link and the session key

/// The session cookie key, generated on first use and shared by every node through the database.
pub fn session_key(conn: &mut DbConn) -> AppResult<Vec<u8>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(existing) = crate::db::get_setting(conn, "session_key")? {
        if let Ok(bytes) = b64.decode(existing) {
            if bytes.len() >= 64 {
                return Ok(bytes);
            }
        }
    }
    let mut key = vec![0u8; 64];
    rand::thread_rng().fill_bytes(&mut key);
    crate::db::put_setting(conn, "session_key", &b64.encode(&key))?;
    Ok(key)
}

pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

/// With no account yet, makes a fresh one-time setup token (replacing any earlier one) and
/// returns it; the caller prints the link. With accounts, returns None.
pub fn issue_setup_token(conn: &mut DbConn) -> AppResult<Option<String>> {
    if count(conn)? > 0 {
        return Ok(None);
    }
    let token = random_secret(24);
    crate::db::put_setting(conn, "setup_token", &sha256(&token))?;
    Ok(Some(token))
}

/// True while `token` is the pending setup token.
pub fn setup_token_valid(conn: &mut DbConn, token: &str) -> AppResult<bool> {
    Ok(count(conn)? == 0
        && crate::db::get_setting(conn, "setup_token")?.is_some_and(|h| h == sha256(token)))
}

/// Creates the first admin with the setup token, which is then spent.
pub fn complete_setup(conn: &mut DbConn, token: &str, mut account: NewAccount) -> AppResult<User> {
    if !setup_token_valid(conn, token)? {
        return Err(AppError::not_found(msg!("accounts-setup-link-not-found")));
    }
    account.role = Role::Admin;
    let user = create(conn, account)?;
    diesel::delete(settings::table.find("setup_token")).execute(conn)?;
    Ok(user)
}

/// Saves the interface language and time zone a user chose; None clears one (the browser's
/// then applies). `languages` are the tags the site offers.
pub fn set_preferences(
    conn: &mut DbConn,
    user_id: i64,
    locale: Option<&str>,
    time_zone: Option<&str>,
    languages: &[&str],
) -> AppResult<()> {
    let locale = locale.map(str::trim).filter(|s| !s.is_empty());
    let time_zone = time_zone.map(str::trim).filter(|s| !s.is_empty());
    if let Some(tag) = locale {
        if !languages.contains(&tag) {
            return Err(AppError::invalid(msg!("prefs-unknown-language")));
        }
    }
    if let Some(zone) = time_zone {
        if crate::i18n::zone(zone).is_none() {
            return Err(AppError::invalid(msg!("prefs-unknown-time-zone")));
        }
    }
    diesel::update(users::table.find(user_id))
        .set((users::locale.eq(locale), users::time_zone.eq(time_zone)))
        .execute(conn)?;
    Ok(())
}
