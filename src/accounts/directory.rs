//! The users directory for admins: search by handle, name or email, filters (role, suspended,
//! new this week), newest first, 50 a page with a total — one COUNT and one page query, the
//! same on SQLite and PostgreSQL — and the account facts an admin's detail page shows.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use super::{sessions, Role, User};
use crate::db::schema::{sessions as sessions_table, users};
use crate::db::{now, DbConn, MultiBackend};
use crate::error::{AppError, AppResult};
use crate::msg;

/// Users on one page of the directory.
pub const PER_PAGE: i64 = 50;
/// The largest page number accepted (a crafted `page=` stays cheap).
pub const MAX_PAGE: i64 = 100_000;
/// The longest search text, in characters.
pub const MAX_QUERY: usize = 100;
/// "New" means joined within this many days.
pub const NEW_DAYS: i64 = 7;

#[diesel::declare_sql_function]
extern "SQL" {
    /// Lower-case (ASCII only on SQLite; handles and emails are stored lower-case already).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What to list: every field optional; parsed once from the query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Part of a handle, name or email, lower-cased (case-insensitive substring).
    pub q: Option<String>,
    pub role: Option<Role>,
    /// Only users suspended now.
    pub suspended: bool,
    /// Only users who joined at or after this time.
    pub joined_since: Option<NaiveDateTime>,
    /// 1-based.
    pub page: i64,
}

impl Filter {
    /// Parses the raw query values (empty = not set). `status` is `suspended` or empty, `new` is
    /// `week` or empty; anything else is refused with a message, never ignored.
    pub fn parse(q: &str, role: &str, status: &str, new: &str, page: &str) -> AppResult<Filter> {
        let q = q.trim();
        if q.chars().count() > MAX_QUERY {
            return Err(AppError::invalid(msg!(
                "users-admin-query-too-long",
                max = MAX_QUERY
            )));
        }
        if q.chars().any(char::is_control) {
            return Err(AppError::invalid(msg!("users-admin-query-control")));
        }
        let role = match role.trim() {
            "" => None,
            r => Some(Role::parse(r)?),
        };
        let suspended = match status.trim() {
            "" => false,
            "suspended" => true,
            other => {
                return Err(AppError::invalid(msg!(
                    "users-admin-unknown-status",
                    status = other
                )))
            }
        };
        let joined_since = match new.trim() {
            "" => None,
            "week" => Some(now() - TimeDelta::days(NEW_DAYS)),
            other => {
                return Err(AppError::invalid(msg!(
                    "users-admin-unknown-new",
                    new = other
                )))
            }
        };
        let page = match page.trim() {
            "" => 1,
            p => p
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| AppError::invalid(msg!("users-admin-bad-page", max = MAX_PAGE)))?,
        };
        Ok(Filter {
            q: (!q.is_empty()).then(|| q.to_lowercase()),
            role,
            suspended,
            joined_since,
            page,
        })
    }
}

/// A user as a directory row (never a password hash or session data).
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryUser {
    pub id: i64,
    pub handle: String,
    /// The real name as given (may be empty).
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    /// member, staff, moderator or admin.
    pub role: Role,
    pub created_at: NaiveDateTime,
    /// Set while (or after) a suspension; `suspended` says whether it holds now.
    pub suspended_until: Option<NaiveDateTime>,
    pub suspended: bool,
    /// Silenced until then (may read, may not post); `silenced` says whether it holds now.
    pub silenced_until: Option<NaiveDateTime>,
    pub silenced: bool,
    pub trust_level: i32,
    pub reputation: i32,
    /// The latest use of one of their live sessions (None: none known).
    pub last_seen_at: Option<NaiveDateTime>,
}

impl DirectoryUser {
    fn of(u: &User, last_seen_at: Option<NaiveDateTime>) -> DirectoryUser {
        DirectoryUser {
            id: u.id,
            handle: u.handle.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            email_verified: u.email_verified,
            role: u.role(),
            created_at: u.created_at,
            suspended_until: u.suspended_until,
            suspended: u.is_suspended(),
            silenced_until: u.silenced_until,
            silenced: u.is_silenced(),
            trust_level: u.trust_level,
            reputation: u.reputation,
            last_seen_at,
        }
    }
}

/// One page of the directory and how many users match in all.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryPage {
    pub users: Vec<DirectoryUser>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl DirectoryPage {
    /// The last page with users on it (1 when nobody matches).
    pub fn last_page(&self) -> i64 {
        ((self.total + PER_PAGE - 1) / PER_PAGE).max(1)
    }
}

/// `%`, `_` and the escape character itself match literally in a LIKE pattern.
fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

type Boxed = users::BoxedQuery<'static, MultiBackend>;

/// The users matching `f` (before order and paging): built twice, for the count and the page.
fn matching(f: &Filter, at: NaiveDateTime) -> Boxed {
    let mut q = users::table.into_boxed();
    if let Some(text) = &f.q {
        let p = like_pattern(text);
        // Handles and emails are stored lower-case; names are not. LIKE with an explicit
        // ESCAPE works alike on both backends (SQLite has no default escape character).
        q = q.filter(
            users::handle
                .like(p.clone())
                .escape('\\')
                .or(users::email.like(p.clone()).escape('\\'))
                .or(lower(users::name).like(p).escape('\\')),
        );
    }
    if let Some(role) = f.role {
        q = q.filter(users::role.eq(role.as_str()));
    }
    if f.suspended {
        q = q.filter(users::suspended_until.gt(at));
    }
    if let Some(since) = f.joined_since {
        q = q.filter(users::created_at.ge(since));
    }
    q
}

/// One page of users matching `f`, newest first, with the total: one COUNT, one page query
/// and one lookup of the page's last-seen times.
pub fn search(conn: &mut DbConn, f: &Filter) -> AppResult<DirectoryPage> {
    let at = now();
    let page = f.page.clamp(1, MAX_PAGE);
    let total: i64 = matching(f, at).count().get_result(conn)?;
    // Ids grow with time, so id order is join order (and uses the primary key).
    let rows: Vec<User> = matching(f, at)
        .order(users::id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .select(User::as_select())
        .load(conn)?;
    let seen = last_seen(conn, &rows.iter().map(|u| u.id).collect::<Vec<_>>())?;
    Ok(DirectoryPage {
        users: rows
            .iter()
            .map(|u| DirectoryUser::of(u, seen.get(&u.id).copied()))
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The latest session use of each of `ids` that has a live session.
fn last_seen(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, NaiveDateTime>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, Option<NaiveDateTime>)> = sessions_table::table
        .filter(sessions_table::user_id.eq_any(ids))
        .group_by(sessions_table::user_id)
        .select((
            sessions_table::user_id,
            diesel::dsl::max(sessions_table::last_seen_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect())
}

/// The account facts of one user for the admin detail page: the row, their live sessions
/// (times only) and their valid API tokens (names and times only). 404 for an unknown id.
#[derive(Debug, Clone, Serialize)]
pub struct AccountFacts {
    pub user: DirectoryUser,
    /// The real name, else the handle.
    pub display_name: String,
    /// Job title shown on staff answers.
    pub title: String,
    /// Signs in with a password (else only with providers).
    pub has_password: bool,
    pub sessions: Vec<sessions::SessionInfo>,
    pub tokens: Vec<TokenInfo>,
}

/// An API token as an admin sees it: never its secret or hash.
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

pub fn account_facts(conn: &mut DbConn, user_id: i64) -> AppResult<AccountFacts> {
    let user = super::find(conn, user_id)?;
    let sessions = sessions::of_user(conn, user.id)?;
    let last = sessions.iter().map(|s| s.last_seen_at).max();
    let tokens = super::list_tokens(conn, &user)?
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        })
        .collect();
    Ok(AccountFacts {
        display_name: user.display_name().to_string(),
        title: user.title.clone(),
        has_password: user.password_hash.is_some(),
        user: DirectoryUser::of(&user, last),
        sessions,
        tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_match_literally() {
        assert_eq!(like_pattern("a%b_c\\d"), "%a\\%b\\_c\\\\d%");
    }

    #[test]
    fn filters_parse_or_refuse_with_a_message() {
        let f = Filter::parse(" Ada ", "staff", "suspended", "week", "2").expect("valid");
        assert_eq!(f.q.as_deref(), Some("ada"));
        assert_eq!(f.role, Some(Role::Staff));
        assert!(f.suspended && f.joined_since.is_some());
        assert_eq!(f.page, 2);
        assert_eq!(
            Filter::parse("", "", "", "", "").expect("empty").page,
            1,
            "no page is the first"
        );
        for (role, status, new, page) in [
            ("owner", "", "", ""),
            ("", "banned", "", ""),
            ("", "", "month", ""),
            ("", "", "", "0"),
            ("", "", "", "-3"),
            ("", "", "", "two"),
            ("", "", "", "100001"),
        ] {
            assert!(
                matches!(
                    Filter::parse("", role, status, new, page),
                    Err(AppError::Invalid(_))
                ),
                "{role} {status} {new} {page}"
            );
        }
        assert!(Filter::parse(&"x".repeat(101), "", "", "", "").is_err());
    }
}
