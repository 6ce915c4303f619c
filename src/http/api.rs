//! The JSON API under `/api/v1` (bearer tokens, no cookies, no CSRF). Errors are
//! `{"error": code, "message": text}` with the matching status.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::session::{gate, ApiAdmin, ApiCaller, ApiUser};
use super::AppState;
use crate::catalog;
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::support::setup::{Attach, AttachEntry};
use crate::threads::{
    self, CommentBody, ListFilter, MarkdownBody, NewQuestion, Paging, PostEdit, PostView, Sort,
    Status, Title,
};

/// A post's author; an asker who published as "a customer" is `{"anonymous": true}` only.
fn author_json(a: &threads::AuthorView) -> serde_json::Value {
    if a.anonymous {
        return json!({ "anonymous": true });
    }
    json!({ "handle": a.handle, "name": a.name, "title": a.title, "role": a.role, "is_staff": a.is_staff })
}

fn post_json(p: &PostView) -> serde_json::Value {
    json!({
        "id": p.id,
        "kind": p.kind,
        "author": author_json(&p.author),
        "body_html": p.body_html,
        "score": p.score,
        "accepted": p.accepted,
        "created_at": p.created_at,
        "edited_at": p.edited_at,
        // Others than the author and moderators only ever see visible posts.
        "state": p.state,
        "state_reason": p.state_note.as_ref().map(|m| m.english()),
        "edit_pending": p.edit_pending,
        "comments": p.comments.iter().map(|c| json!({
            "id": c.id, "author": author_json(&c.author), "body_html": c.body_html, "created_at": c.created_at,
            "state": c.state,
        })).collect::<Vec<_>>(),
    })
}

pub async fn categories(state: web::Data<AppState>, _caller: ApiCaller) -> AppResult<HttpResponse> {
    let cats = state.db.read(catalog::list_categories).await?;
    Ok(HttpResponse::Ok().json(json!({ "categories": cats })))
}

/// `null` kept apart from a missing field: `Some(None)` clears, `None` keeps.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The fields of a category to change; missing ones keep their value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub position: Option<i32>,
    /// "4h", "30m", ...; null or "": no target.
    #[serde(default, deserialize_with = "present")]
    pub first_response: Option<Option<String>>,
    /// optional, required or forbidden.
    pub private_questions: Option<String>,
    /// A schedule (`Europe/Berlin; mon-fri 09:00-17:00; holidays 2026-12-24`); null or "":
    /// around the clock.
    #[serde(default, deserialize_with = "present")]
    pub business_hours: Option<Option<String>>,
}

/// `PATCH /api/v1/categories/{slug or id}` (admins): changes the fields given, by the admin
/// page's rules (bad values are 422 and change nothing); the deadlines of questions still
/// waiting move with the target and business hours. 200 with the category.
pub async fn update_category(
    state: web::Data<AppState>,
    ApiAdmin(admin): ApiAdmin,
    key: web::Path<String>,
    body: web::Json<CategoryPatch>,
) -> AppResult<HttpResponse> {
    let (key, p) = (key.into_inner(), body.into_inner());
    let category = state
        .db
        .write(move |conn| {
            let c = catalog::resolve_category(conn, &key)?;
            let input = catalog::CategoryInput::parse(
                p.name.as_deref().unwrap_or(&c.name),
                Some(p.slug.as_deref().unwrap_or(&c.slug)),
                p.description.as_deref().unwrap_or(&c.description),
                p.position.unwrap_or(c.position),
            )?
            .private_rule(
                p.private_questions
                    .as_deref()
                    .unwrap_or(&c.private_questions),
            )?
            .business_hours(match &p.business_hours {
                Some(given) => given.as_deref().unwrap_or(""),
                None => c.business_hours.as_deref().unwrap_or(""),
            })?;
            let target = match &p.first_response {
                Some(given) => crate::support::parse_target(given.as_deref().unwrap_or(""))?,
                None => c.first_response_minutes,
            };
            crate::support::update_category(conn, &admin, c.id, input, target)
        })
        .await?;
    Ok(HttpResponse::Ok().json(category))
}

#[derive(Deserialize)]
pub struct ThreadsQuery {
    pub category: Option<String>,
    pub tag: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn list_threads(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    q: web::Query<ThreadsQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let per_page = q.per_page.unwrap_or(30);
    if !(1..=100).contains(&per_page) {
        return Err(AppError::invalid(msg!("api-per-page-range")));
    }
    let mut filter = ListFilter {
        sort: Sort::parse(q.sort.as_deref().unwrap_or(""))?,
        page: q.page.unwrap_or(1),
        per_page,
        ..Default::default()
    };
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        filter.status = Some(Status::parse(s)?);
    }
    let base = state.base_url.clone();
    let list = state
        .db
        .read(move |conn| {
            if let Some(c) = q.category.as_deref().filter(|s| !s.is_empty()) {
                filter.category_id = Some(catalog::resolve_category(conn, c)?.id);
            }
            if let Some(t) = q.tag.as_deref().filter(|s| !s.is_empty()) {
                filter.tag_id = Some(
                    catalog::find_tag(conn, t)
                        .map_err(|_| AppError::invalid(msg!("api-unknown-tag", tag = t)))?
                        .id,
                );
            }
            threads::list_threads(conn, &filter)
        })
        .await?;
    let items: Vec<_> = list
        .threads
        .iter()
        .map(|t| {
            let mut v = serde_json::to_value(t).unwrap_or_default();
            v["url"] = json!(format!("{base}{}", t.url));
            v
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "threads": items, "page": list.page, "per_page": list.per_page, "has_more": list.has_more,
    })))
}

#[derive(Deserialize)]
pub struct AskBody {
    pub title: String,
    pub body: String,
    pub category: serde_json::Value,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only the asker and staff see it (the category may require or forbid it).
    #[serde(default)]
    pub private: bool,
    /// Setup entries to attach; omitted: the asker's saved entries for the product.
    #[serde(default)]
    pub setup: Option<Vec<AttachBody>>,
}

/// A setup entry attached on ask: `id` names a saved entry (edits update it too).
#[derive(Deserialize)]
pub struct AttachBody {
    #[serde(default)]
    pub id: Option<i64>,
    /// Save a new entry to the asker's setup as well.
    #[serde(default)]
    pub remember: bool,
    #[serde(flatten)]
    pub entry: crate::support::setup::SetupInput,
}

pub async fn ask(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<AskBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let category_key = match &body.category {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(AppError::invalid(msg!("api-category-type"))),
    };
    let question = NewQuestion {
        title: Title::parse(&body.title)?,
        body: MarkdownBody::parse(&body.body)?,
        tags: catalog::parse_tags(&body.tags)?,
        private: body.private,
    };
    let attach = match body.setup {
        None => Attach::Auto,
        Some(list) => Attach::Entries(
            list.into_iter()
                .map(|e| AttachEntry {
                    id: e.id,
                    remember: e.remember,
                    input: e.entry,
                })
                .collect(),
        ),
    };
    let asker = user.clone();
    let gate = gate(&req, &state);
    let asked = state
        .db
        .write(move |conn| {
            crate::support::ask(conn, &gate, &asker, &category_key, question, attach)
        })
        .await?;
    let id = asked.thread.id;
    let mut json = load_thread_json(&state, id, Some(user), Paging::default()).await?;
    // Too many setup entries never fail the question: say what did not fit.
    let left_out = asked.setup_left_out;
    json["setup_left_out"] = json!(left_out);
    if left_out > 0 {
        let max = crate::support::setup::MAX_ATTACHED;
        json["notice"] = json!(format!(
            "a question carries at most {max} setup entries: {left_out} of those given were \
             not attached"
        ));
    }
    // Held for a moderator: accepted, not yet public.
    let held = asked.thread.state == threads::State::Held.as_str();
    json["state"] = json!(asked.thread.state);
    let mut resp = if held {
        HttpResponse::Accepted()
    } else {
        HttpResponse::Created()
    };
    Ok(resp
        .insert_header((
            "Location",
            format!("{}/api/v1/threads/{id}", state.base_url),
        ))
        .json(json))
}

fn thread_json(state: &AppState, view: &crate::support::ThreadView) -> serde_json::Value {
    let (t, support) = (&view.thread, &view.support);
    let kb_article_id = view.kb.article.as_ref().map(|a| a.id);
    let posts: Vec<_> = std::iter::once(&t.question)
        .chain(t.answers.iter())
        .map(post_json)
        .collect();
    let mut v = json!({
        "id": t.id,
        "title": t.title,
        "url": format!("{}{}", state.base_url, t.url),
        "status": t.status,
        "category": t.category,
        "tags": t.tags,
        "author": author_json(&t.author),
        "accepted_post_id": t.accepted_post_id,
        "kb_article_id": kb_article_id,
        "duplicate_of_id": t.duplicate_of_id,
        "close_reason": t.close_reason,
        "state": t.state,
        "privacy": t.row.privacy,
        "staff_requested_at": t.row.staff_requested_at,
        "waiting_for_staff": threads::private::staff_request_open(&t.row),
        "locked": t.locked,
        "pinned": t.pinned,
        "answer_count": t.answer_count,
        "score": t.score,
        "has_staff_answer": t.has_staff_answer,
        "created_at": t.created_at,
        "last_activity_at": t.last_activity_at,
        "page": t.pages.page,
        "per_page": t.pages.per_page,
        "page_count": t.pages.page_count,
        "has_more": t.pages.has_more,
        "posts": posts,
        "followups": t.followups.iter().map(post_json).collect::<Vec<_>>(),
        "timeline": support.timeline,
        "first_response_target": support.target,
        "setup": support.setup,
        "open_promises": support.open_promises,
    });
    // Staff-only notes, assignment and customer context: only for staff callers (others get
    // no such fields at all).
    if t.sees_internal {
        v["internal_notes"] = t.internal_notes.iter().map(post_json).collect();
    }
    if support.is_staff {
        v["assignment"] = json!(support.assignment);
        v["customer_context"] = json!(support.context);
    }
    v
}

/// A thread with its support view and one page of answers, as the API shows it to `caller`.
pub(crate) async fn load_thread_json(
    state: &AppState,
    id: i64,
    caller: Option<crate::accounts::User>,
    paging: Paging,
) -> AppResult<serde_json::Value> {
    let view = state
        .db
        .read(move |conn| crate::support::thread_view(conn, id, caller.as_ref(), None, paging))
        .await?;
    Ok(thread_json(state, &view))
}

/// `?page=&per_page=` of a thread's answers.
#[derive(Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn get_thread(
    state: web::Data<AppState>,
    ApiCaller(caller): ApiCaller,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let paging = Paging::parse(q.page, q.per_page)?;
    Ok(HttpResponse::Ok().json(load_thread_json(&state, id, caller, paging).await?))
}

#[derive(Deserialize)]
pub struct BodyOnly {
    pub body: String,
}

/// 201 for a published post or comment, 202 for one held for a moderator.
fn created_or_held(state: &str) -> actix_web::HttpResponseBuilder {
    if state == threads::State::Held.as_str() {
        HttpResponse::Accepted()
    } else {
        HttpResponse::Created()
    }
}

pub async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<BodyOnly>,
) -> AppResult<HttpResponse> {
    let md = MarkdownBody::parse(&body.body)?;
    let thread_id = id.into_inner();
    let gate = gate(&req, &state);
    let (post, thread, path) = state
        .db
        .write(move |conn| {
            let (post, thread) = crate::support::answer(conn, &gate, &user, thread_id, md)?;
            let path = threads::post_path(conn, post.id, Some(&user))?;
            Ok((post, thread, path))
        })
        .await?;
    Ok(created_or_held(&post.state).json(json!({
        "id": post.id,
        "thread_id": thread.id,
        "url": format!("{}{path}", state.base_url),
        "body_html": post.body_html,
        "thread_status": thread.status,
        "state": post.state,
    })))
}

pub async fn comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<BodyOnly>,
) -> AppResult<HttpResponse> {
    let md = CommentBody::parse(&body.body)?;
    let post_id = id.into_inner();
    let gate = gate(&req, &state);
    let (c, _) = state
        .db
        .write(move |conn| crate::support::comment(conn, &gate, &user, post_id, md))
        .await?;
    Ok(created_or_held(&c.state).json(
        json!({ "id": c.id, "post_id": c.post_id, "body_html": c.body_html, "state": c.state }),
    ))
}

#[derive(Deserialize)]
pub struct VoteBody {
    pub value: i32,
}

pub async fn vote(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<VoteBody>,
) -> AppResult<HttpResponse> {
    let post_id = id.into_inner();
    let value = body.value;
    let gate = gate(&req, &state);
    let score = state
        .db
        .write(move |conn| threads::vote(conn, &gate, &user, post_id, value))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "post_id": post_id, "score": score, "my_vote": value })))
}

#[derive(Deserialize)]
pub struct LockBody {
    pub locked: bool,
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/threads/{id}/lock` `{locked, reason}` (staff and moderators).
pub async fn lock(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<LockBody>,
) -> AppResult<HttpResponse> {
    let (thread_id, body) = (id.into_inner(), body.into_inner());
    let gate = gate(&req, &state);
    let thread = state
        .db
        .write(move |conn| {
            threads::set_locked(conn, &gate, &user, thread_id, body.locked, &body.reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": thread.id, "locked": thread.locked_at.is_some(), "lock_reason": thread.lock_reason,
    })))
}

#[derive(Deserialize)]
pub struct CloseBody {
    pub closed: bool,
    /// `off_topic`, `duplicate`, `resolved_elsewhere`, `not_reproducible` or `other`.
    #[serde(default)]
    pub reason: String,
    /// The thread this one duplicates (a number, or its URL as a string).
    #[serde(default)]
    pub duplicate_of: Option<serde_json::Value>,
}

/// `POST /api/v1/threads/{id}/close` `{closed, reason, duplicate_of}` (staff and moderators).
pub async fn close(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<CloseBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let duplicate_of = match &body.duplicate_of {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => super::pages::parse_thread_ref(s)?,
        Some(_) => return Err(AppError::invalid(msg!("threads-duplicate-ref"))),
    };
    let thread_id = id.into_inner();
    let gate = gate(&req, &state);
    let thread = state
        .db
        .write(move |conn| {
            threads::set_closed(
                conn,
                &gate,
                &user,
                thread_id,
                body.closed,
                duplicate_of,
                &body.reason,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": thread.id, "status": thread.status, "close_reason": thread.close_reason,
        "duplicate_of_id": thread.duplicate_of_id,
    })))
}

#[derive(Deserialize)]
pub struct PinBody {
    pub pinned: bool,
}

/// `POST /api/v1/threads/{id}/pin` `{pinned}` (staff and moderators).
pub async fn pin(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<PinBody>,
) -> AppResult<HttpResponse> {
    let (thread_id, pinned) = (id.into_inner(), body.pinned);
    let thread = state
        .db
        .write(move |conn| threads::set_pinned(conn, &user, thread_id, pinned))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": thread.id, "pinned": thread.pinned_at.is_some(),
    })))
}

#[derive(Deserialize)]
pub struct MoveBody {
    /// The target category's slug or id.
    pub category: serde_json::Value,
}

/// `POST /api/v1/threads/{id}/move` `{category}` (staff and moderators).
pub async fn move_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<MoveBody>,
) -> AppResult<HttpResponse> {
    let key = match &body.category {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(AppError::invalid(msg!("api-category-type"))),
    };
    let thread_id = id.into_inner();
    let gate = gate(&req, &state);
    let thread = state
        .db
        .write(move |conn| threads::move_thread(conn, &gate, &user, thread_id, &key))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": thread.id, "category_id": thread.category_id, "url": thread.path(),
    })))
}

pub async fn accept(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let post_id = id.into_inner();
    let thread = state
        .db
        .write(move |conn| threads::accept(conn, &user, post_id))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": thread.id, "accepted_post_id": thread.accepted_post_id, "status": thread.status,
    })))
}

#[derive(Deserialize)]
pub struct EditBody {
    pub body: String,
    pub title: Option<String>,
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub summary: String,
}

pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<EditBody>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let e = PostEdit {
        title: b.title.as_deref().map(Title::parse).transpose()?,
        tags: b.tags.as_deref().map(catalog::parse_tags).transpose()?,
        body: MarkdownBody::parse(&b.body)?,
        summary: b.summary,
    };
    let post_id = id.into_inner();
    let gate = gate(&req, &state);
    let edited = state
        .db
        .write(move |conn| threads::edit(conn, &gate, &user, post_id, e))
        .await?;
    let post = edited.post;
    // A held edit: accepted, the post unchanged until a moderator approves.
    let mut resp = if edited.held {
        HttpResponse::Accepted()
    } else {
        HttpResponse::Ok()
    };
    Ok(resp.json(json!({
        "id": post.id, "body_html": post.body_html, "revision": post.revision_count, "edited_at": post.edited_at,
        "state": post.state, "edit_held": edited.held,
    })))
}

pub async fn me(ApiUser(user): ApiUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(json!({
        "id": user.id, "handle": user.handle, "name": user.name, "title": user.title,
        "role": user.role, "reputation": user.reputation,
    })))
}

/// Unknown `/api/...` paths.
pub async fn not_found() -> AppResult<HttpResponse> {
    Err(AppError::NotFound(msg!("api-no-such-endpoint")))
}
