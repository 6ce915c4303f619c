//! Moderation over HTTP: flagging (`/p/{id}/flag`, `/c/{id}/flag` and the API), the review
//! queue (`/review`, `GET /api/v1/review`), decisions on posts, comments, feedback and held
//! edits, silencing and suspending, merging and unlisting threads, a person's own flags, and
//! the watched words admin page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::render::{page_response, see_other};
use super::session::{gate, Admin, ApiAdmin, ApiUser, CsrfForm, SignedIn};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::moderation::{self, Decision, Duration, Filter};
use crate::msg;
use crate::screen::{self, WordAction};
use crate::threads::flags::{NewFlag, Reason, Target};
use crate::threads::{self};

/// The queue's filters, from the page's form or the API's query.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub page: Option<i64>,
}

impl QueueQuery {
    fn filter(&self) -> Filter {
        Filter {
            reason: Some(self.reason.trim().to_string()),
            category: Some(self.category.trim().to_string()),
            page: self.page.unwrap_or(1),
        }
    }
}

#[derive(Serialize)]
struct ReviewPage {
    queue: moderation::Queue,
    query: QueueQuery,
    reasons: Vec<&'static str>,
    categories: Vec<crate::catalog::Category>,
}

/// `GET /review`: the queue (moderators, staff, admins).
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let query = q.into_inner();
    let f = query.filter();
    let (queue, categories) = state
        .db
        .read(move |conn| {
            Ok((
                moderation::queue(conn, &user, &f)?,
                crate::catalog::list_categories(conn)?,
            ))
        })
        .await?;
    let page = ReviewPage {
        queue,
        query,
        reasons: Reason::CHOICES.iter().map(|r| r.as_str()).collect(),
        categories,
    };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "review.html",
        &page,
        msg!("title-review"),
    )
}

/// `GET /api/v1/review?reason=&category=&page=`
pub async fn api_queue(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let f = q.filter();
    let queue = state
        .db
        .read(move |conn| moderation::queue(conn, &user, &f))
        .await?;
    Ok(HttpResponse::Ok().json(queue))
}

/// A form's two-way action: true for `yes`, false for `no`, else a 422 naming it.
fn either(action: &str, yes: &str, no: &str) -> AppResult<bool> {
    match action {
        a if a == yes => Ok(true),
        a if a == no => Ok(false),
        other => Err(AppError::invalid(msg!(
            "review-unknown-action",
            action = other
        ))),
    }
}

fn target_of(kind: &str) -> AppResult<Target> {
    Target::parse(kind).map_err(|_| AppError::NotFound(msg!("error-no-such-page")))
}

csrf_form!(FlagForm {
    reason: String,
    note: String,
    duplicate_of: String,
    back: String,
});

/// The body of a flag through the API.
#[derive(Debug, Deserialize)]
pub struct FlagBody {
    pub reason: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub duplicate_of: Option<serde_json::Value>,
}

/// A flag as the form or the API sent it.
struct FlagInput {
    reason: String,
    note: String,
    duplicate_of: Option<i64>,
}

async fn raise(
    state: &AppState,
    req: &HttpRequest,
    user: crate::accounts::User,
    target: Target,
    id: i64,
    input: FlagInput,
) -> AppResult<threads::flags::Flag> {
    let reason = Reason::parse(input.reason.trim())?;
    let FlagInput {
        note, duplicate_of, ..
    } = input;
    let gate = gate(req, state);
    state
        .db
        .write(move |conn| match target {
            Target::Feedback => moderation::flag_feedback(conn, &gate, &user, id, reason, &note),
            _ => moderation::flag(
                conn,
                &gate,
                &user,
                NewFlag {
                    target,
                    target_id: id,
                    reason,
                    note,
                    duplicate_of,
                },
            ),
        })
        .await
}

/// `POST /flag/{target}/{id}` (target: post, comment, feedback) from the page's flag form.
pub async fn flag(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, _): SignedIn,
    path: web::Path<(String, i64)>,
    CsrfForm(form): CsrfForm<FlagForm>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let target = target_of(&kind)?;
    let dup = super::pages::parse_thread_ref(&form.duplicate_of)?;
    raise(
        &state,
        &req,
        user,
        target,
        id,
        FlagInput {
            reason: form.reason,
            note: form.note,
            duplicate_of: dup,
        },
    )
    .await?;
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") {
        form.back
    } else {
        "/me/flags".to_string()
    };
    Ok(see_other(back))
}

/// `POST /api/v1/{posts|comments|feedback}/{id}/flags` `{reason, note, duplicate_of}`: 201.
pub async fn api_flag(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiUser(user): ApiUser,
    path: web::Path<(String, i64)>,
    body: web::Json<FlagBody>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let target = match kind.as_str() {
        "posts" => Target::Post,
        "comments" => Target::Comment,
        "feedback" => Target::Feedback,
        _ => return Err(AppError::NotFound(msg!("api-no-such-endpoint"))),
    };
    let body = body.into_inner();
    let dup = match &body.duplicate_of {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => super::pages::parse_thread_ref(s)?,
        Some(_) => return Err(AppError::invalid(msg!("flags-duplicate-unknown", id = "?"))),
    };
    let flag = raise(
        &state,
        &req,
        user,
        target,
        id,
        FlagInput {
            reason: body.reason,
            note: body.note,
            duplicate_of: dup,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(flag))
}

csrf_form!(DecisionForm {
    action: String,
    reason: String,
    back: String,
});

/// A decision through the API.
#[derive(Debug, Deserialize)]
pub struct DecisionBody {
    pub action: String,
    #[serde(default)]
    pub reason: String,
}

fn back_or(back: &str, fallback: &str) -> String {
    if back.starts_with('/') && !back.starts_with("//") {
        back.to_string()
    } else {
        fallback.to_string()
    }
}

/// `POST /review/{target}/{id}`: approve, dismiss, hide, delete or restore (also from the
/// thread page); held edits take approve or reject.
pub async fn decide(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    path: web::Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    decide_any(&state, user, &kind, id, &form.action, form.reason).await?;
    Ok(see_other(back_or(&form.back, "/review")))
}

/// `POST /api/v1/review/{target}/{id}` `{action, reason}`
pub async fn api_decide(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, i64)>,
    body: web::Json<DecisionBody>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let body = body.into_inner();
    let state_now = decide_any(&state, user, &kind, id, &body.action, body.reason).await?;
    Ok(HttpResponse::Ok().json(json!({ "target": kind, "id": id, "state": state_now })))
}

async fn decide_any(
    state: &AppState,
    user: crate::accounts::User,
    kind: &str,
    id: i64,
    action: &str,
    reason: String,
) -> AppResult<String> {
    if kind == "edit" {
        let approve = either(action, "approve", "reject")?;
        state
            .db
            .write(move |conn| moderation::decide_edit(conn, &user, id, approve, &reason))
            .await?;
        return Ok(if approve { "applied" } else { "rejected" }.to_string());
    }
    let target = target_of(kind)?;
    let decision = Decision::parse(action)?;
    state
        .db
        .write(move |conn| moderation::decide(conn, &user, target, id, decision, &reason))
        .await
}

csrf_form!(RestrictForm {
    days: String,
    reason: String,
    back: String,
});

/// A silence or suspension through the API: `days` a number, `"forever"` (suspensions) or 0
/// to lift.
#[derive(Debug, Deserialize)]
pub struct RestrictBody {
    pub days: serde_json::Value,
    #[serde(default)]
    pub reason: String,
}

fn days_of(v: &serde_json::Value) -> AppResult<Duration> {
    match v {
        serde_json::Value::Number(n) => Duration::parse(&n.to_string()),
        serde_json::Value::String(s) => Duration::parse(s),
        _ => Err(AppError::invalid(msg!(
            "review-days-range",
            max = moderation::MAX_DAYS
        ))),
    }
}

async fn restrict(
    state: &AppState,
    user: crate::accounts::User,
    what: &str,
    id: i64,
    duration: Duration,
    reason: String,
) -> AppResult<crate::accounts::User> {
    let silence = match what {
        "silence" => true,
        "suspend" => false,
        _ => return Err(AppError::NotFound(msg!("error-no-such-page"))),
    };
    state
        .db
        .write(move |conn| {
            if silence {
                moderation::silence(conn, &user, id, duration, &reason)
            } else {
                moderation::suspend(conn, &user, id, duration, &reason)
            }
        })
        .await
}

/// `POST /review/users/{id}/{silence|suspend}`
pub async fn restrict_page(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    path: web::Path<(i64, String)>,
    CsrfForm(form): CsrfForm<RestrictForm>,
) -> AppResult<HttpResponse> {
    let (id, what) = path.into_inner();
    let duration = Duration::parse(&form.days)?;
    restrict(&state, user, &what, id, duration, form.reason).await?;
    Ok(see_other(back_or(&form.back, "/review")))
}

/// `POST /api/v1/users/{id}/{silence|suspend}` `{days, reason}`
pub async fn api_restrict(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(i64, String)>,
    body: web::Json<RestrictBody>,
) -> AppResult<HttpResponse> {
    let (id, what) = path.into_inner();
    let duration = days_of(&body.days)?;
    let body = body.into_inner();
    let u = restrict(&state, user, &what, id, duration, body.reason).await?;
    Ok(HttpResponse::Ok().json(json!({
        "id": u.id, "handle": u.handle,
        "silenced_until": u.silenced_until, "suspended_until": u.suspended_until,
    })))
}

csrf_form!(MergeForm { into: String });

/// `POST /t/{id}/merge`: merge this duplicate into the canonical thread named in `into` (an
/// id or a thread URL); goes to the canonical thread.
pub async fn merge(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> AppResult<HttpResponse> {
    let into = super::pages::parse_thread_ref(&form.into)?
        .ok_or_else(|| AppError::invalid(msg!("threads-merge-unknown", id = "")))?;
    let dup = id.into_inner();
    let gate = gate(&req, &state);
    let canonical = state
        .db
        .write(move |conn| threads::merge(conn, &gate, &user, dup, into))
        .await?;
    Ok(see_other(canonical.path()))
}

/// The canonical thread through the API.
#[derive(Debug, Deserialize)]
pub struct MergeBody {
    pub into: serde_json::Value,
}

/// `POST /api/v1/threads/{id}/merge` `{into}`
pub async fn api_merge(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<MergeBody>,
) -> AppResult<HttpResponse> {
    let into = match &body.into {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => super::pages::parse_thread_ref(s)?,
        _ => None,
    }
    .ok_or_else(|| AppError::invalid(msg!("threads-merge-unknown", id = "")))?;
    let dup = id.into_inner();
    let gate = gate(&req, &state);
    let canonical = state
        .db
        .write(move |conn| threads::merge(conn, &gate, &user, dup, into))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "merged": dup, "into": canonical.id, "url": format!("{}{}", state.base_url, canonical.path()),
        "answer_count": canonical.answer_count,
    })))
}

csrf_form!(UnlistForm {
    action: String,
    reason: String,
});

/// `POST /t/{id}/unlist` (`action` unlist or relist).
pub async fn unlist(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<UnlistForm>,
) -> AppResult<HttpResponse> {
    let unlisted = either(&form.action, "unlist", "relist")?;
    let thread_id = id.into_inner();
    let thread = state
        .db
        .write(move |conn| threads::set_unlisted(conn, &user, thread_id, unlisted, &form.reason))
        .await?;
    Ok(see_other(thread.path()))
}

#[derive(Debug, Deserialize)]
pub struct UnlistBody {
    pub unlisted: bool,
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/threads/{id}/unlist` `{unlisted, reason}`
pub async fn api_unlist(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<UnlistBody>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let body = body.into_inner();
    let thread = state
        .db
        .write(move |conn| {
            threads::set_unlisted(conn, &user, thread_id, body.unlisted, &body.reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "thread_id": thread.id, "unlisted": thread.unlisted_at.is_some(), "state": thread.state,
    })))
}

#[derive(Serialize)]
struct MyFlagsPage {
    flags: Vec<moderation::MyFlag>,
}

/// `GET /me/flags`: what became of my flags.
pub async fn my_flags(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
) -> AppResult<HttpResponse> {
    let flags = state
        .db
        .read(move |conn| moderation::my_flags(conn, &user))
        .await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "my_flags.html",
        &MyFlagsPage { flags },
        msg!("title-my-flags"),
    )
}

/// `GET /api/v1/me/flags`
pub async fn api_my_flags(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<HttpResponse> {
    let flags = state
        .db
        .read(move |conn| moderation::my_flags(conn, &user))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "flags": flags })))
}

#[derive(Serialize)]
struct WordsPage {
    words: Vec<screen::WatchedWord>,
}

/// `GET /admin/watched-words`
pub async fn words_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(_, viewer): Admin,
) -> AppResult<HttpResponse> {
    let words = state.db.read(screen::list_words).await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "watched_words.html",
        &WordsPage { words },
        msg!("title-watched-words"),
    )
}

csrf_form!(WordForm {
    pattern: String,
    regex: String,
    action: String,
});

/// `POST /admin/watched-words`: add one.
pub async fn add_word(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    CsrfForm(form): CsrfForm<WordForm>,
) -> AppResult<HttpResponse> {
    let action = WordAction::parse(&form.action)?;
    let regex = !form.regex.is_empty();
    state
        .db
        .write(move |conn| screen::add_word(conn, &admin, &form.pattern, regex, action))
        .await?;
    state.policy.words_changed();
    Ok(see_other("/admin/watched-words"))
}

csrf_form!(CsrfOnlyForm {});

/// `POST /admin/watched-words/{id}/delete`
pub async fn remove_word(
    state: web::Data<AppState>,
    Admin(admin, _): Admin,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnlyForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .write(move |conn| screen::remove_word(conn, &admin, id))
        .await?;
    state.policy.words_changed();
    Ok(see_other("/admin/watched-words"))
}

/// A watched word through the API.
#[derive(Debug, Deserialize)]
pub struct WordBody {
    pub pattern: String,
    #[serde(default)]
    pub regex: bool,
    pub action: String,
}

/// `GET /api/v1/admin/watched-words`
pub async fn api_words(
    state: web::Data<AppState>,
    ApiAdmin(_): ApiAdmin,
) -> AppResult<HttpResponse> {
    let words = state.db.read(screen::list_words).await?;
    Ok(HttpResponse::Ok().json(json!({ "words": words })))
}

/// `POST /api/v1/admin/watched-words` `{pattern, regex, action}`: 201.
pub async fn api_add_word(
    state: web::Data<AppState>,
    ApiAdmin(admin): ApiAdmin,
    body: web::Json<WordBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let action = WordAction::parse(&body.action)?;
    let word = state
        .db
        .write(move |conn| screen::add_word(conn, &admin, &body.pattern, body.regex, action))
        .await?;
    state.policy.words_changed();
    Ok(HttpResponse::Created().json(word))
}

/// `DELETE /api/v1/admin/watched-words/{id}`: 204.
pub async fn api_remove_word(
    state: web::Data<AppState>,
    ApiAdmin(admin): ApiAdmin,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .db
        .write(move |conn| screen::remove_word(conn, &admin, id))
        .await?;
    state.policy.words_changed();
    Ok(HttpResponse::NoContent().finish())
}

csrf_form!(TrustForm {
    level: String,
    locked: String,
});

/// `POST /u/{id}/trust`: a moderator sets (and by default locks) a member's trust level.
pub async fn set_trust(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<TrustForm>,
) -> AppResult<HttpResponse> {
    let level: i32 = form
        .level
        .trim()
        .parse()
        .map_err(|_| AppError::invalid(msg!("peers-trust-range")))?;
    let locked = !form.locked.is_empty();
    let id = id.into_inner();
    let u = state
        .db
        .write(move |conn| crate::peers::trust::set_level(conn, &user, id, level, locked))
        .await?;
    Ok(see_other(format!("/u/{}", u.handle)))
}

/// A trust level through the API.
#[derive(Debug, Deserialize)]
pub struct TrustBody {
    pub level: i32,
    #[serde(default = "locked_by_default")]
    pub locked: bool,
}

fn locked_by_default() -> bool {
    true
}

/// `POST /api/v1/users/{id}/trust` `{level, locked}`
pub async fn api_set_trust(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<TrustBody>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let TrustBody { level, locked } = body.into_inner();
    let u = state
        .db
        .write(move |conn| crate::peers::trust::set_level(conn, &user, id, level, locked))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "id": u.id, "trust_level": u.trust_level, "trust_locked": u.trust_locked,
    })))
}

csrf_form!(RecommendForm { action: String });

/// `POST /p/{id}/recommend` (`action` recommend or unrecommend): staff only.
pub async fn recommend(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RecommendForm>,
) -> AppResult<HttpResponse> {
    let on = either(&form.action, "recommend", "unrecommend")?;
    let post_id = id.into_inner();
    let path = state
        .db
        .write(move |conn| {
            threads::set_recommended(conn, &user, post_id, on)?;
            threads::post_path(conn, post_id, Some(&user))
        })
        .await?;
    Ok(see_other(path))
}

/// "Recommended by staff" through the API.
#[derive(Debug, Deserialize)]
pub struct RecommendBody {
    pub recommended: bool,
}

/// `POST /api/v1/posts/{id}/recommend` `{recommended}`
pub async fn api_recommend(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<RecommendBody>,
) -> AppResult<HttpResponse> {
    let (post_id, on) = (id.into_inner(), body.recommended);
    let post = state
        .db
        .write(move |conn| threads::set_recommended(conn, &user, post_id, on))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "post_id": post.id, "recommended_by": post.recommended_by,
        "recommended_at": post.recommended_at,
    })))
}
