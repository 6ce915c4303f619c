//! The knowledge-base JSON API (`/api/v1/kb/...` and promotion): the same rules as the pages,
//! bearer tokens instead of cookies, errors as `{"error","message"}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::kb_pages::worded;
use super::session::{ApiCaller, ApiCurator};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::kb::{self, ArticleDetail, ArticleFilter, ArticlePatch, ArticleStatus, Versions};
use crate::msg;

fn article_json(state: &AppState, a: &ArticleDetail) -> serde_json::Value {
    let mut v = json!({
        "id": a.id,
        "title": a.title,
        "url": format!("{}{}", state.base_url, a.url),
        "body_html": a.body_html,
        "status": a.status,
        "section": {"slug": a.section.slug, "name": a.section.name},
        "applies_to": a.applies_to,
        "source_thread_id": a.source.as_ref().map(|s| s.thread_id),
        "verified_by": {"name": a.verified_by.name, "title": a.verified_by.title},
        "verified_at": a.verified_at,
        "review_by": a.review_by,
        "revision_count": a.revision_count,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    });
    if let Some(h) = &a.helpful {
        v["helpful"] =
            json!({"yes": h.helpful_yes, "no": h.helpful_no, "percent": h.helpful_percent});
    }
    v
}

async fn detail(
    state: &AppState,
    id: i64,
    viewer: Option<crate::accounts::User>,
) -> AppResult<ArticleDetail> {
    state
        .db
        .read(move |conn| kb::article_detail(conn, id, viewer.as_ref()))
        .await
}

#[derive(Deserialize)]
pub struct PromoteBody {
    pub title: Option<String>,
    pub section: Option<String>,
    pub body: Option<String>,
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub review_by: Option<String>,
    /// The answer to promote; default the accepted one.
    pub post_id: Option<i64>,
    /// `published` (default) or `draft`.
    pub status: Option<String>,
}

/// `POST /api/v1/threads/{id}/promote`: creates the article from the question and the answer;
/// missing fields are filled as the editor would prefill them.
pub async fn promote(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCurator(user): ApiCurator,
    id: web::Path<i64>,
    body: web::Json<PromoteBody>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let thread_id = id.into_inner();
    let summary = msg!("kb-summary-promoted", thread = thread_id.to_string());
    let request = kb::PromotionRequest {
        post_id: b.post_id,
        title: b.title,
        body: b.body,
        section: b.section,
        applies_to: b.applies_to,
        review_by: b.review_by,
        status: match b.status.as_deref() {
            None => ArticleStatus::Published,
            Some(s) => ArticleStatus::parse(s)?,
        },
        summary: worded(&state, &req, Some(&user), &summary),
    };
    let article = state
        .db
        .write(move |conn| kb::promote_request(conn, &user, thread_id, request))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("{}/api/v1/kb/articles/{}", state.base_url, article.id),
        ))
        .json(json!({
            "article_id": article.id,
            "url": format!("{}{}", state.base_url, article.path()),
            "status": article.status,
        })))
}

pub async fn get(
    state: web::Data<AppState>,
    ApiCaller(caller): ApiCaller,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let a = detail(&state, id.into_inner(), caller).await?;
    Ok(HttpResponse::Ok().json(article_json(&state, &a)))
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub section: Option<String>,
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// `GET /api/v1/kb/articles?section=&status=&limit=&offset=`
pub async fn list(
    state: web::Data<AppState>,
    ApiCaller(caller): ApiCaller,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let limit = q.limit.unwrap_or(50);
    let offset = q.offset.unwrap_or(0);
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid(msg!("kb-api-limit-range")));
    }
    if !(0..=1_000_000).contains(&offset) {
        return Err(AppError::invalid(msg!("kb-api-offset-range")));
    }
    let filter = ArticleFilter {
        section: q.section.clone().filter(|s| !s.trim().is_empty()),
        status: q
            .status
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(ArticleStatus::parse)
            .transpose()?,
        limit,
        offset,
    };
    let articles = state
        .db
        .read(move |conn| kb::list_articles(conn, &filter, caller.as_ref()))
        .await?;
    let base = &state.base_url;
    let items: Vec<_> = articles
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "title": a.title,
                "url": format!("{base}{}", a.url),
                "status": a.status,
                "applies_to": a.applies_to,
                "source_thread_id": a.source_thread_id,
                "review_by": a.review_by,
                "updated_at": a.updated_at,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "articles": items })))
}

pub async fn sections(state: web::Data<AppState>, _caller: ApiCaller) -> AppResult<HttpResponse> {
    let sections = state.db.read(kb::list_sections).await?;
    Ok(HttpResponse::Ok().json(json!({ "sections": sections })))
}

/// `PATCH /api/v1/kb/articles/{id}`: fields left out keep their value; every change is a new
/// revision (status alone is not).
#[derive(Deserialize)]
pub struct EditBody {
    pub title: Option<String>,
    pub body: Option<String>,
    pub section: Option<String>,
    pub applies_to: Option<Vec<String>>,
    pub review_by: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub summary: String,
}

pub async fn edit(
    state: web::Data<AppState>,
    ApiCurator(user): ApiCurator,
    id: web::Path<i64>,
    body: web::Json<EditBody>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let id = id.into_inner();
    let patch = ArticlePatch {
        status: b.status.as_deref().map(ArticleStatus::parse).transpose()?,
        title: b.title,
        body: b.body,
        section: b.section,
        applies_to: b.applies_to,
        review_by: b.review_by,
        summary: b.summary,
    };
    let editor = user.clone();
    state
        .db
        .write(move |conn| kb::patch(conn, &editor, id, patch))
        .await?;
    let a = detail(&state, id, Some(user)).await?;
    Ok(HttpResponse::Ok().json(article_json(&state, &a)))
}

#[derive(Deserialize)]
pub struct FeedbackBody {
    pub helpful: bool,
    #[serde(default)]
    pub comment: String,
}

/// `POST /api/v1/kb/articles/{id}/feedback` `{helpful, comment?}`: one vote per token's user.
pub async fn feedback(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    user: super::session::ApiUser,
    id: web::Path<i64>,
    body: web::Json<FeedbackBody>,
) -> AppResult<HttpResponse> {
    let voter = kb::Voter::User(user.0.id);
    let b = body.into_inner();
    let id = id.into_inner();
    let ip = super::session::client_ip(&req, &state);
    let rate = state.settings.limits.article_feedback_per_ip;
    let db = state.db.clone();
    let a = web::block(move || kb::feedback(&db, id, &voter, b.helpful, &b.comment, &ip, rate))
        .await??;
    Ok(HttpResponse::Ok().json(json!({ "article_id": a.id, "recorded": true })))
}

pub async fn revisions(
    state: web::Data<AppState>,
    ApiCaller(caller): ApiCaller,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let revs = state
        .db
        .read(move |conn| {
            let a = kb::find_visible(conn, id, caller.as_ref())?;
            kb::revisions(conn, a.id)
        })
        .await?;
    let items: Vec<_> = revs
        .iter()
        .map(|(r, u)| {
            json!({
                "number": r.number,
                "title": r.title,
                "applies_to": Versions::list(&r.applies_to),
                "body_md": r.body_md,
                "summary": r.summary,
                "editor": {"handle": u.handle, "name": u.display_name()},
                "created_at": r.created_at,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "revisions": items })))
}

pub async fn restore(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCurator(user): ApiCurator,
    path: web::Path<(i64, i32)>,
) -> AppResult<HttpResponse> {
    let (id, number) = path.into_inner();
    let editor = user.clone();
    let summary = msg!("kb-summary-restored", revision = number.to_string());
    let summary = worded(&state, &req, Some(&user), &summary);
    state
        .db
        .write(move |conn| kb::restore(conn, &editor, id, number, &summary))
        .await?;
    let a = detail(&state, id, Some(user)).await?;
    Ok(HttpResponse::Ok().json(article_json(&state, &a)))
}
