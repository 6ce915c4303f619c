//! Knowledge-base pages: the KB home and sections, articles (with "was this helpful"), the
//! promote / new / edit editor, status changes, reviews, revisions with diffs and restore, and
//! the staff pages (articles needing attention, threads worth promoting). Handlers parse input,
//! make one database hop into the `kb` module, and render or redirect.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::pages::see_other;
use super::render::{cached_page, page_response, PageTitle};
use super::session::{CsrfForm, Curator, HasCsrf, Viewer};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::kb::{
    self, ArticleDetail, ArticleInput, ArticleStatus, ReviewDate, RevisionDiff, SectionArticles,
};
use crate::render::markdown;
use crate::threads;

/// `kb.html`: sections with their articles.
#[derive(Serialize)]
pub struct KbHome {
    pub sections: Vec<SectionArticles>,
    pub per_section: usize,
}

impl PageTitle for KbHome {
    fn title(&self) -> String {
        "Knowledge base".into()
    }
}

pub async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    cached_page(&state, &req, &viewer, "kb.html", |conn, _| {
        Ok(KbHome {
            sections: kb::kb_home(conn)?,
            per_section: kb::HOME_PER_SECTION,
        })
    })
    .await
}

/// `kb-section.html`: one section.
#[derive(Serialize)]
pub struct SectionPage {
    pub section: SectionArticles,
}

impl PageTitle for SectionPage {
    fn title(&self) -> String {
        format!("{} — knowledge base", self.section.section.name)
    }
}

pub async fn section(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let slug = slug.into_inner();
    cached_page(&state, &req, &viewer, "kb-section.html", move |conn, _| {
        Ok(SectionPage {
            section: kb::section_articles(conn, &slug)?,
        })
    })
    .await
}

/// `article.html`.
#[derive(Serialize)]
pub struct ArticlePage {
    pub article: ArticleDetail,
    pub canonical_url: String,
    /// schema.org `Article` JSON-LD, safe inside `<script>`.
    pub json_ld: String,
    /// The viewer just gave feedback.
    pub thanks: bool,
}

impl PageTitle for ArticlePage {
    fn title(&self) -> String {
        self.article.title.clone()
    }
}

fn iso(t: chrono::NaiveDateTime) -> String {
    format!("{}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// schema.org `Article` for search engines.
fn article_json_ld(a: &ArticleDetail, canonical_url: &str) -> String {
    let mut author = serde_json::json!({"@type": "Person", "name": a.verified_by.name});
    if !a.verified_by.title.is_empty() {
        author["jobTitle"] = a.verified_by.title.clone().into();
    }
    let description: String = a.body_text.chars().take(300).collect();
    let doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": a.title,
        "description": description,
        "datePublished": iso(a.created_at),
        "dateModified": iso(a.updated_at),
        "author": author,
        "mainEntityOfPage": canonical_url,
        "url": canonical_url,
    });
    super::pages::script_safe_json(&doc)
}

#[derive(Deserialize)]
pub struct ArticleQuery {
    pub thanks: Option<String>,
}

pub async fn article(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
    q: web::Query<ArticleQuery>,
) -> AppResult<HttpResponse> {
    let (id, slug) = path.into_inner();
    let base = state.base_url.clone();
    let thanks = q.thanks.is_some();
    cached_page(&state, &req, &viewer, "article.html", move |conn, user| {
        let article = kb::article_detail(conn, id, user)?;
        if !article.url.ends_with(&format!("/{slug}")) {
            return Err(AppError::Moved(article.url));
        }
        let canonical_url = format!("{base}{}", article.url);
        Ok(ArticlePage {
            json_ld: article_json_ld(&article, &canonical_url),
            canonical_url,
            article,
            thanks,
        })
    })
    .await
}

/// `/kb/{id}` without a slug: redirect to the canonical URL.
pub async fn article_short(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let article = state
        .db
        .read(move |conn| kb::find_visible(conn, id, viewer.user.as_ref()))
        .await?;
    Err(AppError::Moved(article.path()))
}

/// The editor's fields (kept when re-shown with an error or a preview).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub applies_to: String,
    #[serde(default)]
    pub review_by: String,
    #[serde(default)]
    pub summary: String,
    /// The answer promoted (promotion only).
    #[serde(default)]
    pub post: Option<i64>,
    /// `preview`, `draft`, `publish` or `save` (keep the status).
    #[serde(default)]
    pub action: String,
}

impl HasCsrf for ArticleForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl ArticleForm {
    fn parse(&self, current: ArticleStatus) -> AppResult<ArticleInput> {
        let status = match self.action.as_str() {
            "draft" => ArticleStatus::Draft,
            "publish" => ArticleStatus::Published,
            _ => current,
        };
        ArticleInput::parse(
            &self.title,
            &self.body,
            &self.section,
            &self.applies_to,
            &self.review_by,
            status,
            &self.summary,
        )
    }
}

/// `article-edit.html`: promote, write or edit an article.
#[derive(Serialize)]
pub struct EditorPage {
    /// `promote`, `new` or `edit`.
    pub mode: &'static str,
    /// Where the form posts.
    pub action_url: String,
    pub form: ArticleForm,
    pub sections: Vec<String>,
    pub error: Option<String>,
    pub preview_html: Option<String>,
    /// Promotion: the thread and the answers one may choose from.
    pub thread: Option<PromoteSource>,
    /// Editing: the article as it is.
    pub article: Option<kb::ArticleSummary>,
}

#[derive(Serialize)]
pub struct PromoteSource {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// (post id, author name, first words, accepted)
    pub answers: Vec<(i64, String, String, bool)>,
}

async fn render_editor(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    mut page: EditorPage,
    error: Option<AppError>,
) -> AppResult<HttpResponse> {
    let status = error.as_ref().map(actix_web::ResponseError::status_code);
    page.error = error.map(|e| e.to_string());
    page.form.csrf.clear();
    if page.error.is_none() && page.form.action == "preview" {
        page.preview_html = Some(markdown::render(&page.form.body).html);
    }
    page.sections = state.db.read(kb::section_names).await?;
    let title = match page.mode {
        "promote" => "Promote to the knowledge base",
        "new" => "New article",
        _ => "Edit article",
    };
    let mut resp = page_response(state, req, Some(viewer), "article-edit.html", &page, title)?;
    if let Some(s) = status {
        *resp.status_mut() = s;
    }
    Ok(resp)
}

async fn promote_source(state: &AppState, thread_id: i64) -> AppResult<PromoteSource> {
    let detail = state
        .db
        .read(move |conn| threads::thread_detail(conn, thread_id, None))
        .await?;
    Ok(PromoteSource {
        id: detail.id,
        title: detail.title.clone(),
        url: detail.url.clone(),
        answers: detail
            .answers
            .iter()
            .map(|a| {
                let words: String = a.body_text.chars().take(120).collect();
                (a.id, a.author.name.clone(), words, a.accepted)
            })
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct PromoteQuery {
    pub post: Option<i64>,
}

/// The article editor prefilled from the question and the chosen (or accepted) answer.
pub async fn promote_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
    id: web::Path<i64>,
    q: web::Query<PromoteQuery>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let existing = state
        .db
        .read(move |conn| kb::article_for_thread(conn, thread_id))
        .await?;
    if let Some(a) = existing {
        return Ok(see_other(a.path()));
    }
    let source = promote_source(&state, thread_id).await?;
    let post = q.post;
    let draft = state
        .db
        .read(move |conn| kb::promotion_draft(conn, thread_id, post))
        .await?;
    let page = EditorPage {
        mode: "promote",
        action_url: format!("/t/{thread_id}/promote"),
        form: ArticleForm {
            title: draft.title,
            body: draft.body,
            section: draft.section,
            post: Some(draft.post_id),
            summary: format!("Promoted from thread {thread_id}"),
            ..Default::default()
        },
        sections: Vec::new(),
        error: None,
        preview_html: None,
        thread: Some(source),
        article: None,
    };
    render_editor(&state, &req, &viewer, page, None).await
}

pub async fn promote(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, viewer): Curator,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let parsed = form.parse(ArticleStatus::Published);
    let error = match parsed {
        Err(e) => Some(e),
        Ok(_) if form.action == "preview" => None,
        Ok(input) => {
            let post = form.post;
            let result = state
                .db
                .write(move |conn| kb::promote(conn, &user, thread_id, post, &input))
                .await;
            match result {
                Ok(article) => return Ok(see_other(article.path())),
                Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => Some(e),
                Err(e) => return Err(e),
            }
        }
    };
    let source = promote_source(&state, thread_id).await?;
    let page = EditorPage {
        mode: "promote",
        action_url: format!("/t/{thread_id}/promote"),
        form,
        sections: Vec::new(),
        error: None,
        preview_html: None,
        thread: Some(source),
        article: None,
    };
    render_editor(&state, &req, &viewer, page, error).await
}

pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
) -> AppResult<HttpResponse> {
    let page = EditorPage {
        mode: "new",
        action_url: "/kb/new".into(),
        form: ArticleForm::default(),
        sections: Vec::new(),
        error: None,
        preview_html: None,
        thread: None,
        article: None,
    };
    render_editor(&state, &req, &viewer, page, None).await
}

pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, viewer): Curator,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<HttpResponse> {
    let error = match form.parse(ArticleStatus::Draft) {
        Err(e) => Some(e),
        Ok(_) if form.action == "preview" => None,
        Ok(input) => {
            let result = state
                .db
                .write(move |conn| kb::create(conn, &user, &input))
                .await;
            match result {
                Ok(article) => return Ok(see_other(article.path())),
                Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => Some(e),
                Err(e) => return Err(e),
            }
        }
    };
    let page = EditorPage {
        mode: "new",
        action_url: "/kb/new".into(),
        form,
        sections: Vec::new(),
        error: None,
        preview_html: None,
        thread: None,
        article: None,
    };
    render_editor(&state, &req, &viewer, page, error).await
}

async fn load_article(state: &AppState, id: i64) -> AppResult<(kb::Article, String)> {
    state
        .db
        .read(move |conn| {
            let a = kb::find_article(conn, id)?;
            let section = kb::find_section(conn, a.section_id)?;
            Ok((a, section.name))
        })
        .await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (a, section) = load_article(&state, id.into_inner()).await?;
    let page = EditorPage {
        mode: "edit",
        action_url: format!("/kb/{}/edit", a.id),
        form: ArticleForm {
            title: a.title.clone(),
            body: a.body_md.clone(),
            section,
            applies_to: a.applies_to.clone(),
            review_by: a.review_by.format("%Y-%m-%d").to_string(),
            ..Default::default()
        },
        sections: Vec::new(),
        error: None,
        preview_html: None,
        thread: None,
        article: Some(kb::ArticleSummary::from(&a)),
    };
    render_editor(&state, &req, &viewer, page, None).await
}

pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, viewer): Curator,
    id: web::Path<i64>,
    CsrfForm(mut form): CsrfForm<ArticleForm>,
) -> AppResult<HttpResponse> {
    let (a, _) = load_article(&state, id.into_inner()).await?;
    // A past review date stays as it is when the editor leaves the field untouched.
    if form.review_by == a.review_by.format("%Y-%m-%d").to_string() {
        form.review_by.clear();
    }
    let error = match form.parse(a.status()) {
        Err(e) => Some(e),
        Ok(_) if form.action == "preview" => None,
        Ok(input) => {
            let id = a.id;
            let result = state
                .db
                .write(move |conn| kb::edit(conn, &user, id, &input))
                .await;
            match result {
                Ok(article) => return Ok(see_other(article.path())),
                Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => Some(e),
                Err(e) => return Err(e),
            }
        }
    };
    let page = EditorPage {
        mode: "edit",
        action_url: format!("/kb/{}/edit", a.id),
        form,
        sections: Vec::new(),
        error: None,
        preview_html: None,
        thread: None,
        article: Some(kb::ArticleSummary::from(&a)),
    };
    render_editor(&state, &req, &viewer, page, error).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub csrf: String,
    /// `publish`, `archive`, `draft` (status) or, for reviews, the next review date.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub review_by: String,
}

impl HasCsrf for StatusForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn set_status(
    state: web::Data<AppState>,
    Curator(user, _): Curator,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> AppResult<HttpResponse> {
    let status = match form.action.as_str() {
        "publish" => ArticleStatus::Published,
        "archive" => ArticleStatus::Archived,
        "draft" => ArticleStatus::Draft,
        _ => return Err(AppError::invalid("action is publish, archive or draft")),
    };
    let id = id.into_inner();
    let article = state
        .db
        .write(move |conn| kb::set_status(conn, &user, id, status))
        .await?;
    Ok(see_other(article.path()))
}

pub async fn reviewed(
    state: web::Data<AppState>,
    Curator(user, _): Curator,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> AppResult<HttpResponse> {
    let next = ReviewDate::parse(&form.review_by)?;
    let id = id.into_inner();
    let article = state
        .db
        .write(move |conn| kb::mark_reviewed(conn, &user, id, next))
        .await?;
    Ok(see_other(article.path()))
}

/// One revision in `article-revisions.html`.
#[derive(Serialize)]
pub struct RevisionRow {
    pub number: i32,
    pub editor: threads::AuthorView,
    pub title: String,
    pub summary: String,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Serialize)]
pub struct RevisionsPage {
    pub article: kb::ArticleSummary,
    /// Newest first.
    pub revisions: Vec<RevisionRow>,
    pub can_curate: bool,
}

pub async fn revisions(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let user = viewer.user.clone();
    let page = state
        .db
        .read(move |conn| {
            let a = kb::find_visible(conn, id, user.as_ref())?;
            let mut revisions: Vec<RevisionRow> = kb::revisions(conn, a.id)?
                .into_iter()
                .map(|(r, u)| RevisionRow {
                    number: r.number,
                    editor: threads::AuthorView::from(&u),
                    title: r.title,
                    summary: r.summary,
                    created_at: r.created_at,
                })
                .collect();
            revisions.reverse();
            Ok(RevisionsPage {
                article: kb::ArticleSummary::from(&a),
                revisions,
                can_curate: user.as_ref().is_some_and(kb::can_curate),
            })
        })
        .await?;
    let title = format!("History: {}", page.article.title);
    page_response(
        &state,
        &req,
        Some(&viewer),
        "article-revisions.html",
        &page,
        &title,
    )
}

#[derive(Deserialize)]
pub struct DiffQuery {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

#[derive(Serialize)]
pub struct DiffPage {
    pub article: kb::ArticleSummary,
    pub diff: RevisionDiff,
    pub can_curate: bool,
}

pub async fn diff(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    id: web::Path<i64>,
    q: web::Query<DiffQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let user = viewer.user.clone();
    let (from, to) = (q.from, q.to);
    let page = state
        .db
        .read(move |conn| {
            let a = kb::find_visible(conn, id, user.as_ref())?;
            // Default: what the latest edit changed.
            let to = to.unwrap_or(a.revision_count);
            let from = from.unwrap_or((to - 1).max(1));
            let old = kb::find_revision(conn, a.id, from)?;
            let new = kb::find_revision(conn, a.id, to)?;
            Ok(DiffPage {
                article: kb::ArticleSummary::from(&a),
                diff: kb::diff_revisions(&old, &new),
                can_curate: user.as_ref().is_some_and(kb::can_curate),
            })
        })
        .await?;
    let title = format!("Changes: {}", page.article.title);
    page_response(
        &state,
        &req,
        Some(&viewer),
        "article-diff.html",
        &page,
        &title,
    )
}

pub async fn restore(
    state: web::Data<AppState>,
    Curator(user, _): Curator,
    path: web::Path<(i64, i32)>,
    CsrfForm(_): CsrfForm<StatusForm>,
) -> AppResult<HttpResponse> {
    let (id, number) = path.into_inner();
    let article = state
        .db
        .write(move |conn| kb::restore(conn, &user, id, number))
        .await?;
    Ok(see_other(article.path()))
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    pub csrf: String,
    /// `yes` or `no`.
    #[serde(default)]
    pub helpful: String,
    #[serde(default)]
    pub comment: String,
}

pub fn parse_helpful(raw: &str) -> AppResult<bool> {
    match raw.trim() {
        "yes" | "true" | "1" => Ok(true),
        "no" | "false" | "0" => Ok(false),
        _ => Err(AppError::invalid("helpful is yes or no")),
    }
}

/// "Was this helpful?": signed-in people vote as themselves (the form's CSRF token must
/// match); anonymous visitors vote once per session, which this response starts if needed.
/// Cached anonymous pages carry no token, and a forged anonymous vote could be cast directly
/// anyway, so anonymous votes need none.
pub async fn feedback(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<i64>,
    form: web::Form<FeedbackForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let voter = match &viewer.user {
        Some(u) => {
            if form.csrf != viewer.session.csrf {
                return Err(AppError::forbidden(
                    "this form has expired or came from another site: reload the page and try again",
                ));
            }
            kb::Voter::User(u.id)
        }
        None => kb::Voter::Session(super::search_pages::sid_hash(&viewer.session.sid)),
    };
    let helpful = parse_helpful(&form.helpful)?;
    let id = id.into_inner();
    let comment = form.comment;
    let article = state
        .db
        .write(move |conn| kb::give_feedback(conn, id, &voter, helpful, &comment))
        .await?;
    let mut resp = see_other(format!("{}?thanks=1#feedback", article.path()));
    if viewer.new_session {
        resp.add_cookie(&super::session::session_cookie(&state, &viewer.session))
            .map_err(|e| anyhow::anyhow!("cookie: {e}"))?;
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct SoonQuery {
    pub soon: Option<i64>,
}

pub async fn staff_kb(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
    q: web::Query<SoonQuery>,
) -> AppResult<HttpResponse> {
    let soon = q.soon.unwrap_or(14);
    if !(0..=365).contains(&soon) {
        return Err(AppError::invalid("soon is between 0 and 365 days"));
    }
    let lists = state
        .db
        .read(move |conn| kb::curation_lists(conn, soon))
        .await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "staff-kb.html",
        &lists,
        "Knowledge base upkeep",
    )
}

#[derive(Serialize)]
pub struct CandidatesPage {
    pub candidates: Vec<(kb::Candidate, String)>,
    pub formula: &'static str,
}

pub async fn candidates(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
) -> AppResult<HttpResponse> {
    // Views are counted in memory: write them first so the ranking is current.
    let s = state.clone();
    web::block(move || s.views.flush(&s.db)).await?;
    let candidates = state.db.read(|conn| kb::candidates(conn, 50)).await?;
    let page = CandidatesPage {
        candidates,
        formula: kb::CANDIDATE_PRIORITY,
    };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "kb-candidates.html",
        &page,
        "Worth promoting",
    )
}
