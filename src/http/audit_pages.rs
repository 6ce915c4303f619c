//! The audit log for admins: `/admin/audit` and `GET /api/v1/admin/audit`, with filters by
//! actor, action, object and dates, newest first, paginated.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::render::page_response;
use super::session::{Admin, ApiAdmin};
use super::AppState;
use crate::audit::{self, AuditEntry, Filter};
use crate::error::{AppError, AppResult};
use crate::msg;

/// The filters as the page's form and the API take them (all optional).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub object_id: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub page: String,
}

impl AuditQuery {
    fn filter(&self) -> AppResult<Filter> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let day = |s: &str, field: &str| -> AppResult<Option<chrono::NaiveDate>> {
            match text(s) {
                None => Ok(None),
                Some(d) => d.parse().map(Some).map_err(|_| {
                    AppError::invalid(msg!("audit-bad-date", field = field, value = d.as_str()))
                }),
            }
        };
        let number = |s: &str, field: &str| -> AppResult<Option<i64>> {
            match text(s) {
                None => Ok(None),
                Some(n) => n.parse().map(Some).map_err(|_| {
                    AppError::invalid(msg!("audit-bad-number", field = field, value = n.as_str()))
                }),
            }
        };
        Ok(Filter {
            actor: text(&self.actor),
            action: text(&self.action),
            object_kind: text(&self.object),
            object_id: number(&self.object_id, "object_id")?,
            from: day(&self.from, "from")?.and_then(|d| d.and_hms_opt(0, 0, 0)),
            until: day(&self.until, "until")?
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0)),
            page: number(&self.page, "page")?.unwrap_or(1).max(1),
        })
    }
}

#[derive(Serialize)]
struct AuditPage {
    entries: Vec<AuditEntry>,
    query: AuditQuery,
    actions: Vec<&'static str>,
    page: i64,
    has_more: bool,
}

/// `GET /admin/audit`
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(_, viewer): Admin,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let query = q.into_inner();
    let f = query.filter()?;
    let page = f.page;
    let (entries, has_more) = state.db.read(move |conn| audit::list(conn, &f)).await?;
    let page = AuditPage {
        entries,
        query,
        actions: audit::ACTIONS.iter().map(|k| k.as_str()).collect(),
        page,
        has_more,
    };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "audit.html",
        &page,
        msg!("title-audit"),
    )
}

/// `GET /api/v1/admin/audit?actor=&action=&object=&object_id=&from=&until=&page=`
pub async fn api(
    state: web::Data<AppState>,
    ApiAdmin(_): ApiAdmin,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let f = q.filter()?;
    let page = f.page;
    let (entries, has_more) = state.db.read(move |conn| audit::list(conn, &f)).await?;
    Ok(HttpResponse::Ok().json(json!({ "entries": entries, "page": page, "has_more": has_more })))
}
