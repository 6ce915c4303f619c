//! Accounts behind provider sign-ins. Identities are keyed by (issuer, subject), never by email:
//! a returning person is found by the identity; an existing account is joined by email only
//! when the provider says the address is verified; a new account is created only after the
//! person chose a handle, in one transaction with its identity (nothing is half created).
//! Operators' role rules raise a role at each sign-in and never lower one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::Profile;
use crate::accounts::{self, Email, Handle, NewAccount, Role, User};
use crate::config::RoleRule;
use crate::db::schema::{identities, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = identities)]
pub struct Identity {
    pub id: i64,
    pub user_id: i64,
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// A first sign-in waiting for the person to choose a handle (kept in the session cookie).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAccountChoice {
    pub profile: Profile,
    pub proposed_handle: String,
    /// Where to go afterwards.
    pub next: String,
    /// Unix seconds; the choice expires with the sign-in.
    pub started: i64,
}

/// Where a provider sign-in ends.
pub enum SignInOutcome {
    /// Signed in as (or linked to) this user.
    User(User),
    /// New here: the person chooses a handle first; nothing is written yet.
    ChooseHandle(NewAccountChoice),
}

fn find_identity(conn: &mut DbConn, issuer: &str, subject: &str) -> AppResult<Option<Identity>> {
    Ok(identities::table
        .filter(identities::issuer.eq(issuer))
        .filter(identities::subject.eq(subject))
        .select(Identity::as_select())
        .first(conn)
        .optional()?)
}

fn insert_identity(conn: &mut DbConn, user_id: i64, p: &Profile) -> AppResult<()> {
    diesel::insert_into(identities::table)
        .values((
            identities::user_id.eq(user_id),
            identities::provider.eq(&p.provider),
            identities::issuer.eq(&p.issuer),
            identities::subject.eq(&p.subject),
            identities::email.eq(&p.email),
            identities::created_at.eq(now()),
            identities::last_used_at.eq(Some(now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The highest role the operator's rules give this profile (member when none matches).
pub fn role_for(p: &Profile, rules: &[RoleRule]) -> Role {
    let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(0);
    rules
        .iter()
        .filter(|rule| rule.provider.is_empty() || rule.provider == p.provider)
        .filter(|rule| !rule.email_domain.is_empty() || !rule.group.is_empty())
        .filter(|rule| {
            rule.email_domain.is_empty()
                || (p.email_verified
                    && p.email
                        .rsplit_once('@')
                        .is_some_and(|(_, d)| d.eq_ignore_ascii_case(&rule.email_domain)))
        })
        .filter(|rule| rule.group.is_empty() || p.groups.contains(&rule.group))
        .filter_map(|rule| Role::parse(&rule.role).ok())
        .max_by_key(|r| rank(*r))
        .unwrap_or(Role::Member)
}

/// Raises `user` to the rules' role when that is higher (never lowers an admin's choice).
fn apply_rules(conn: &mut DbConn, user: User, p: &Profile, rules: &[RoleRule]) -> AppResult<User> {
    let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(0);
    let wanted = role_for(p, rules);
    if rank(wanted) <= rank(user.role()) {
        return Ok(user);
    }
    diesel::update(users::table.find(user.id))
        .set(users::role.eq(wanted.as_str()))
        .execute(conn)?;
    accounts::find(conn, user.id)
}

/// A handle proposal from the provider's username (or the email's local part), made valid.
pub fn propose_handle(p: &Profile) -> String {
    let source = if p.username.is_empty() {
        p.email.split('@').next().unwrap_or("")
    } else {
        &p.username
    };
    let mut h: String = source
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    h = h.trim_start_matches(['-', '_']).chars().take(32).collect();
    while h.len() < 3 {
        h.push('0');
    }
    h
}

/// After the provider vouched for `p`: the account to sign in as, or a new-account choice.
/// With `link_to`, the identity is linked to that signed-in account instead.
pub fn finish_sign_in(
    conn: &mut DbConn,
    p: &Profile,
    rules: &[RoleRule],
    link_to: Option<&User>,
    next: &str,
) -> AppResult<SignInOutcome> {
    if let Some(identity) = find_identity(conn, &p.issuer, &p.subject)? {
        if link_to.is_some_and(|u| u.id != identity.user_id) {
            return Err(AppError::Conflict(crate::msg!(
                "oauth-identity-linked-elsewhere",
                provider = &p.provider
            )));
        }
        diesel::update(identities::table.find(identity.id))
            .set((
                identities::last_used_at.eq(Some(now())),
                identities::email.eq(&p.email),
            ))
            .execute(conn)?;
        let user = accounts::find(conn, identity.user_id)?;
        if user.is_suspended() {
            return Err(AppError::forbidden(crate::msg!("oauth-account-suspended")));
        }
        return Ok(SignInOutcome::User(apply_rules(conn, user, p, rules)?));
    }
    if let Some(user) = link_to {
        insert_identity(conn, user.id, p)?;
        return Ok(SignInOutcome::User(accounts::find(conn, user.id)?));
    }
    let Some(email) = usable_email(p)? else {
        return Err(AppError::invalid(crate::msg!(
            "oauth-no-email",
            provider = &p.provider
        )));
    };
    let same_email: Option<User> = users::table
        .filter(users::email.eq(email.as_str()))
        .select(User::as_select())
        .first(conn)
        .optional()?;
    match same_email {
        // Joined by email only when the provider vouches for the address and the account's
        // address was itself vouched for (local sign-ups are not: anyone could have registered
        // someone else's address and wait for them to arrive).
        Some(user) if p.email_verified && user.email_verified => {
            if user.is_suspended() {
                return Err(AppError::forbidden(crate::msg!("oauth-account-suspended")));
            }
            insert_identity(conn, user.id, p)?;
            Ok(SignInOutcome::User(apply_rules(conn, user, p, rules)?))
        }
        Some(_) => Err(AppError::Conflict(crate::msg!(
            "oauth-email-taken",
            email = &p.email,
            provider = &p.provider
        ))),
        None => Ok(SignInOutcome::ChooseHandle(NewAccountChoice {
            proposed_handle: propose_handle(p),
            profile: cookie_sized(p, rules),
            next: next.to_string(),
            started: chrono::Utc::now().timestamp(),
        })),
    }
}

/// The provider's address in our normal form, None when it shared none; refused when it is not
/// an address at all.
fn usable_email(p: &Profile) -> AppResult<Option<Email>> {
    if p.email.trim().is_empty() {
        return Ok(None);
    }
    Email::parse(&p.email).map(Some).map_err(|_| {
        AppError::invalid(crate::msg!(
            "oauth-email-unusable",
            provider = &p.provider,
            email = p.email.chars().take(80).collect::<String>()
        ))
    })
}

/// The profile as kept in the session cookie until the handle is chosen: browsers drop cookies
/// over ~4 KB, so only the groups a role rule names are kept, and long names are cut.
fn cookie_sized(p: &Profile, rules: &[RoleRule]) -> Profile {
    let cut = |s: &str| s.chars().take(120).collect::<String>();
    Profile {
        name: cut(&p.name),
        username: cut(&p.username),
        groups: p
            .groups
            .iter()
            .filter(|g| rules.iter().any(|r| r.group == **g))
            .cloned()
            .collect(),
        ..p.clone()
    }
}

/// Creates the account the person chose a handle for, with its identity, in one transaction.
pub fn create_account(
    conn: &mut DbConn,
    choice: &NewAccountChoice,
    handle: &str,
    rules: &[RoleRule],
) -> AppResult<User> {
    let p = &choice.profile;
    if find_identity(conn, &p.issuer, &p.subject)?.is_some() {
        return Err(AppError::Conflict(crate::msg!("oauth-account-exists")));
    }
    let user = accounts::create(
        conn,
        NewAccount {
            handle: Handle::parse(handle)?,
            email: usable_email(p)?
                .ok_or_else(|| AppError::invalid(crate::msg!("oauth-email-missing")))?,
            password_hash: None,
            role: role_for(p, rules),
            name: crate::input::line(&p.name.chars().take(80).collect::<String>(), "name", 80)
                .unwrap_or_default(),
            title: String::new(),
            email_verified: p.email_verified,
        },
    )?;
    insert_identity(conn, user.id, p)?;
    Ok(user)
}

pub fn identities_of(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<Identity>> {
    Ok(identities::table
        .filter(identities::user_id.eq(user_id))
        .order(identities::id.asc())
        .select(Identity::as_select())
        .load(conn)?)
}

/// Unlinks one of `user`'s identities, unless it is their last way to sign in: a password
/// counts only while local accounts are on, and only identities of configured providers count.
pub fn unlink(
    conn: &mut DbConn,
    user: &User,
    identity_id: i64,
    local_accounts: bool,
    configured: &[String],
) -> AppResult<()> {
    // One unlink at a time per user: two at once must not both see a second way in.
    crate::db::lock(conn, crate::db::Lock::User(user.id))?;
    let user = accounts::find(conn, user.id)?;
    let mine = identities_of(conn, user.id)?;
    if !mine.iter().any(|i| i.id == identity_id) {
        return Err(AppError::not_found(crate::msg!("oauth-identity-not-found")));
    }
    let other_ways = mine
        .iter()
        .filter(|i| i.id != identity_id && configured.contains(&i.provider))
        .count()
        + usize::from(local_accounts && user.password_hash.is_some());
    if other_ways == 0 {
        return Err(AppError::Conflict(crate::msg!("oauth-last-sign-in-way")));
    }
    diesel::delete(identities::table.find(identity_id)).execute(conn)?;
    Ok(())
}
