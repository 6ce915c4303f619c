//! The support desk's JSON API: the staff queue and metrics, assignment, promises, internal
//! notes, customer context (staff tokens only), follow-ups (the asker) and "my setup".

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::api::BodyOnly;
use super::session::{ApiStaff, ApiUser};
use super::support_pages::{followup_body, QueueQuery};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::support::setup::{self, SetupInput};
use crate::support::{self, AssignTo};
use crate::threads::{self, MarkdownBody};

/// `GET /api/v1/staff/queue?view=&category=&sort=&page=`
pub async fn queue(
    state: web::Data<AppState>,
    ApiStaff(user): ApiStaff,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let queue = state.db.read(move |conn| q.load(conn, &user)).await?;
    Ok(HttpResponse::Ok().json(queue))
}

/// `GET /api/v1/staff/metrics`
pub async fn metrics(state: web::Data<AppState>, ApiStaff(_): ApiStaff) -> AppResult<HttpResponse> {
    let m = state.db.read(support::queue::metrics).await?;
    Ok(HttpResponse::Ok().json(m))
}

/// `GET /api/v1/staff/groups`
pub async fn groups(state: web::Data<AppState>, ApiStaff(_): ApiStaff) -> AppResult<HttpResponse> {
    let g = state.db.read(support::list_groups).await?;
    Ok(HttpResponse::Ok().json(json!({ "groups": g })))
}

#[derive(Deserialize)]
pub struct AssignBody {
    /// A staff member's handle.
    #[serde(default)]
    pub assignee: Option<String>,
    /// A staff group's slug.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/threads/{id}/assign` `{assignee?, group?, note}`; both empty unassigns.
pub async fn assign(
    state: web::Data<AppState>,
    ApiStaff(user): ApiStaff,
    id: web::Path<i64>,
    body: web::Json<AssignBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let thread_id = id.into_inner();
    let to = AssignTo {
        handle: body.assignee,
        group: body.group,
    };
    let t = state
        .db
        .write(move |conn| support::assign(conn, &user, thread_id, &to, &body.note))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": t.id,
        "assignee_id": t.assignee_id,
        "group_id": t.assigned_group_id,
    })))
}

#[derive(Deserialize)]
pub struct PromiseBody {
    /// RFC 3339 time.
    #[serde(default)]
    pub due_at: String,
    /// Or relative: `4h`, `2d`.
    #[serde(default)]
    pub due_in: String,
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/threads/{id}/promises` `{due_at | due_in, note}`; 201.
pub async fn promise(
    state: web::Data<AppState>,
    ApiStaff(user): ApiStaff,
    id: web::Path<i64>,
    body: web::Json<PromiseBody>,
) -> AppResult<HttpResponse> {
    // API clients send RFC 3339 (with its offset); a bare local time is taken as UTC.
    let due = support::parse_due(&body.due_at, None, chrono_tz::UTC, &body.due_in)?;
    let thread_id = id.into_inner();
    let note = body.note.clone();
    let p = state
        .db
        .write(move |conn| support::promise(conn, &user, thread_id, due, &note))
        .await?;
    Ok(HttpResponse::Created().json(p))
}

/// `POST /api/v1/promises/{id}/keep`
pub async fn keep(
    state: web::Data<AppState>,
    ApiStaff(user): ApiStaff,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let promise_id = id.into_inner();
    let p = state
        .db
        .write(move |conn| support::keep_promise(conn, &user, promise_id))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// `POST /api/v1/threads/{id}/notes` `{body}`: a staff-only note; 201.
pub async fn internal_note(
    state: web::Data<AppState>,
    ApiStaff(user): ApiStaff,
    id: web::Path<i64>,
    body: web::Json<BodyOnly>,
) -> AppResult<HttpResponse> {
    let md = MarkdownBody::parse(&body.body)?;
    let thread_id = id.into_inner();
    let (post, _) = state
        .db
        .write(move |conn| threads::add_internal_note(conn, &user, thread_id, md))
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "id": post.id, "thread_id": post.thread_id, "body_html": post.body_html,
    })))
}

/// `GET /api/v1/threads/{id}/context`: the asker's setup, other threads, staff contact.
pub async fn context(
    state: web::Data<AppState>,
    ApiStaff(_): ApiStaff,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let c = state
        .db
        .read(move |conn| {
            let t = threads::find_thread(conn, thread_id)?;
            support::context::customer_context(conn, &t)
        })
        .await?;
    Ok(HttpResponse::Ok().json(c))
}

/// `POST /api/v1/threads/{id}/followups` `{body}`: the asker adds to their thread; 201.
pub async fn followup(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<BodyOnly>,
) -> AppResult<HttpResponse> {
    let md = followup_body("", &body.body)?;
    let thread_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    let (post, thread) = state
        .db
        .write(move |conn| threads::add_followup(conn, &gate, &user, thread_id, md))
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "id": post.id,
        "thread_id": thread.id,
        "url": format!("{}{}#post-{}", state.base_url, thread.path(), post.id),
        "body_html": post.body_html,
    })))
}

/// `GET /api/v1/me/setup`
pub async fn my_setup(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<HttpResponse> {
    let list = state
        .db
        .read(move |conn| setup::saved_entries(conn, user.id, true))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "setup": list })))
}

/// `POST /api/v1/me/setup` `{product, version, platform, notes, private}`; 201.
pub async fn add_setup(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<SetupInput>,
) -> AppResult<HttpResponse> {
    let input = body.into_inner();
    let (id, list) = state
        .db
        .write(move |conn| {
            let id = setup::add(conn, &user, &input)?;
            Ok((id, setup::saved_entries(conn, user.id, true)?))
        })
        .await?;
    let entry = list
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("setup entry {id} vanished")))?;
    Ok(HttpResponse::Created().json(entry))
}

/// `PATCH /api/v1/me/setup/{id}` (all fields as for POST; `product` may be left out).
pub async fn update_setup(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<SetupInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (id.into_inner(), body.into_inner());
    state
        .db
        .write(move |conn| setup::update(conn, &user, id, &input))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "id": id })))
}

/// `DELETE /api/v1/me/setup/{id}`
pub async fn delete_setup(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .write(move |conn| setup::remove(conn, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
