//! The users admin: `/admin/users` (search, filters, 50 a page) and `/admin/users/{id}` (one
//! person: account, threads, setup, sessions, tokens, sign-in providers, audit entries), and the
//! same as JSON under `/api/v1/admin/users`. Admins only.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::account_pages::with_status;
use super::render::page_response;
use super::session::{Admin, ApiAdmin};
use super::AppState;
use crate::accounts::directory::{self, AccountFacts, DirectoryPage, Filter};
use crate::accounts::Role;
use crate::audit::{self, AuditEntry};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::threads::AuthoredThread;

/// Threads and audit entries shown on a person's page (the rest is a link away).
const DETAIL_LIMIT: i64 = 20;

/// The directory's filters as the page's form and the API send them (all optional).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct UsersQuery {
    /// Part of a handle, name or email.
    #[serde(default)]
    pub q: String,
    /// member, staff, moderator or admin.
    #[serde(default)]
    pub role: String,
    /// `suspended`: only users suspended now.
    #[serde(default)]
    pub status: String,
    /// `week`: only users who joined in the last 7 days.
    #[serde(default)]
    pub new: String,
    #[serde(default)]
    pub page: String,
}

impl UsersQuery {
    fn filter(&self) -> AppResult<Filter> {
        Filter::parse(&self.q, &self.role, &self.status, &self.new, &self.page)
    }
}

/// `admin-users.html`: one page of the directory.
#[derive(Serialize)]
pub struct UsersPage {
    /// The filters as sent (the form shows them, pager links keep them).
    pub query: UsersQuery,
    /// The page's users, the total and the page number (empty after a refused filter).
    pub list: Option<DirectoryPage>,
    /// The last page with users on it.
    pub last_page: i64,
    /// The query string of the filters without `page` (for the pager's links), URL-encoded.
    pub filter_qs: String,
    /// The roles to filter by.
    pub roles: Vec<&'static str>,
    /// Why the filters were refused.
    pub error: Option<Msg>,
}

/// The filters as a query string without the page, for links that keep them.
fn filter_qs(q: &UsersQuery) -> String {
    let pairs = [
        ("q", q.q.trim()),
        ("role", q.role.trim()),
        ("status", q.status.trim()),
        ("new", q.new.trim()),
    ];
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::errors::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `GET /admin/users?q=&role=&status=&new=&page=`
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(_, viewer): Admin,
    q: web::Query<UsersQuery>,
) -> AppResult<HttpResponse> {
    let query = q.into_inner();
    let (list, error) = match query.filter() {
        Ok(f) => (
            Some(state.db.read(move |c| directory::search(c, &f)).await?),
            None,
        ),
        Err(e @ AppError::Invalid(_)) => (None, Some(e)),
        Err(e) => return Err(e),
    };
    let page = UsersPage {
        last_page: list.as_ref().map_or(1, DirectoryPage::last_page),
        filter_qs: filter_qs(&query),
        query,
        list,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        error: error.as_ref().and_then(AppError::message),
    };
    let resp = page_response(
        &state,
        &req,
        Some(&viewer),
        "admin-users.html",
        &page,
        msg!("title-admin-users"),
    )?;
    // A refused filter shows the form again with its message, answered 422.
    Ok(match &error {
        Some(e) => with_status(resp, e),
        None => resp,
    })
}

/// `GET /api/v1/admin/users?q=&role=&status=&new=&page=` →
/// `{users: [...], total, page, per_page}`.
pub async fn api_list(
    state: web::Data<AppState>,
    ApiAdmin(_): ApiAdmin,
    q: web::Query<UsersQuery>,
) -> AppResult<HttpResponse> {
    let f = q.filter()?;
    let list = state.db.read(move |c| directory::search(c, &f)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Everything an admin sees about one person; the page and the API show the same.
#[derive(Debug, Serialize)]
pub struct UserDetail {
    #[serde(flatten)]
    pub account: AccountFacts,
    /// Why they are suspended, from the latest suspension's audit entry (may be empty).
    pub suspension_reason: String,
    /// Their newest threads, private, hidden and unlisted ones included.
    pub threads: Vec<AuthoredThread>,
    /// How many threads they asked in all.
    pub thread_count: i64,
    /// Their saved setup ("my setup"), private entries included.
    pub setup: Vec<crate::support::setup::SetupView>,
    /// Sign-in providers linked to the account.
    pub identities: Vec<IdentityInfo>,
    /// The newest audit entries by them or about their account.
    pub audit: Vec<AuditEntry>,
}

/// A linked sign-in provider as an admin sees it.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityInfo {
    /// The provider's id in the configuration.
    pub provider: String,
    /// The provider's id for the person (`sub`).
    pub subject: String,
    /// The address the provider gave.
    pub email: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// One person's page, assembled from the modules that own each part (one read).
fn user_detail(conn: &mut DbConn, user_id: i64) -> AppResult<UserDetail> {
    let account = directory::account_facts(conn, user_id)?;
    let (threads, thread_count) = crate::threads::authored_by(conn, user_id, DETAIL_LIMIT)?;
    let audit = audit::about_user(conn, user_id, DETAIL_LIMIT)?;
    let suspension_reason = if account.user.suspended {
        audit
            .iter()
            .find(|e| e.action == "user_suspended" && e.object_id == Some(user_id))
            .map(|e| e.reason.clone())
            .unwrap_or_default()
    } else {
        String::new()
    };
    Ok(UserDetail {
        suspension_reason,
        threads,
        thread_count,
        setup: crate::support::setup::saved_entries(conn, user_id, true)?,
        identities: crate::oauth::identities_of(conn, user_id)?
            .into_iter()
            .map(|i| IdentityInfo {
                provider: i.provider,
                subject: i.subject,
                email: i.email,
                created_at: i.created_at,
                last_used_at: i.last_used_at,
            })
            .collect(),
        audit,
        account,
    })
}

/// `admin-user.html`: one person.
#[derive(Serialize)]
pub struct UserPage {
    pub detail: UserDetail,
    /// The roles to choose from.
    pub roles: Vec<&'static str>,
    /// The viewer is this person (they cannot suspend themselves).
    pub is_self: bool,
}

/// `GET /admin/users/{id}`
pub async fn detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(admin, viewer): Admin,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let detail = state.db.read(move |c| user_detail(c, id)).await?;
    let title = msg!(
        "title-admin-user",
        handle = detail.account.user.handle.as_str()
    );
    let page = UserPage {
        is_self: admin.id == id,
        detail,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
    };
    page_response(&state, &req, Some(&viewer), "admin-user.html", &page, title)
}

/// `GET /api/v1/admin/users/{id}` → the same as the page shows.
pub async fn api_detail(
    state: web::Data<AppState>,
    ApiAdmin(_): ApiAdmin,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let detail = state.db.read(move |c| user_detail(c, id)).await?;
    Ok(HttpResponse::Ok().json(detail))
}
