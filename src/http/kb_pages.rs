//! Knowledge-base pages: the KB home and sections, articles (with "was this helpful"), the
//! promote / new / edit editor, status changes, reviews, revisions with diffs and restore, and
//! the staff pages (articles needing attention, threads worth promoting). Handlers parse input,
//! make one database hop into the `kb` module, and render or redirect.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::render::see_other;
use super::render::{cached_page, page_response, PageTitle};
use super::session::{CsrfForm, Curator, HasCsrf, Viewer};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::kb::{
    self, ArticleDetail, ArticleInput, ArticleStatus, ReviewDate, RevisionDiff, SectionArticles,
};
use crate::msg;
use crate::render::markdown;
use crate::threads;

/// `kb.html`: sections with their articles.
#[derive(Serialize)]
pub struct KbHome {
    pub sections: Vec<SectionArticles>,
    pub per_section: usize,
}

impl PageTitle for KbHome {
    fn title(&self) -> Msg {
        msg!("title-kb")
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
    fn title(&self) -> Msg {
        msg!("title-kb-section", section = &self.section.section.name)
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
    /// The article in a line or two of plain text (description and link-preview meta).
    pub description: String,
    /// schema.org `Article` JSON-LD, safe inside `<script>`.
    pub json_ld: String,
    /// The viewer just gave feedback.
    pub thanks: bool,
}

impl PageTitle for ArticlePage {
    fn title(&self) -> Msg {
        Msg::text(&self.article.title)
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
            description: crate::render::markdown::excerpt(
                &article.body_text,
                super::pages::DESCRIPTION_CHARS,
            ),
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
    /// The revision the editor started from (editing only).
    #[serde(default)]
    pub base_revision: Option<i32>,
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
    fn parse(&self) -> AppResult<ArticleInput> {
        let status = match self.action.as_str() {
            "draft" => Some(ArticleStatus::Draft),
            "publish" => Some(ArticleStatus::Published),
            _ => None,
        };
        let mut input = ArticleInput::parse(
            &self.title,
            &self.body,
            &self.section,
            &self.applies_to,
            &self.review_by,
            status,
            &self.summary,
        )?;
        input.base_revision = self.base_revision;
        Ok(input)
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
    pub error: Option<Msg>,
    pub preview_html: Option<String>,
    /// Promotion: the thread and the answers one may choose from.
    pub thread: Option<PromoteSource>,
    /// Editing: the article as it is.
    pub article: Option<kb::ArticleSummary>,
    /// Loaded into `thread` / `article` when the page is shown.
    #[serde(skip)]
    thread_id: Option<i64>,
    #[serde(skip)]
    article_id: Option<i64>,
}

impl EditorPage {
    fn new(mode: &'static str, action_url: String, form: ArticleForm) -> EditorPage {
        EditorPage {
            mode,
            action_url,
            form,
            sections: Vec::new(),
            error: None,
            preview_html: None,
            thread: None,
            article: None,
            thread_id: None,
            article_id: None,
        }
    }
    fn promoting(thread_id: i64, form: ArticleForm) -> EditorPage {
        let mut page = EditorPage::new("promote", format!("/t/{thread_id}/promote"), form);
        page.thread_id = Some(thread_id);
        page
    }
    fn editing(article_id: i64, form: ArticleForm) -> EditorPage {
        let mut page = EditorPage::new("edit", format!("/kb/{article_id}/edit"), form);
        page.article_id = Some(article_id);
        page
    }
}

#[derive(Serialize)]
pub struct PromoteSource {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// (post id, author name, first words, accepted)
    pub answers: Vec<(i64, String, String, bool)>,
}

/// Shows the editor (with `error` and its status, or a preview), loading what it lists.
async fn render_editor(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    mut page: EditorPage,
    mut error: Option<AppError>,
) -> AppResult<HttpResponse> {
    if error.is_none() && page.form.action == "preview" {
        // A preview of what would be refused on save says why instead.
        match markdown::render(&page.form.body) {
            Ok(r) => page.preview_html = Some(r.html),
            Err(e) => error = Some(e),
        }
    }
    let status = error.as_ref().map(actix_web::ResponseError::status_code);
    page.error = error.and_then(|e| e.message());
    page.form.csrf.clear();
    let (thread_id, article_id) = (page.thread_id, page.article_id);
    let (sections, thread, article) = state
        .db
        .read(move |conn| {
            let thread = match thread_id {
                Some(id) => Some(promote_source(conn, id)?),
                None => None,
            };
            let article = match article_id {
                Some(id) => Some(kb::ArticleSummary::from(&kb::find_article(conn, id)?)),
                None => None,
            };
            Ok((kb::section_names(conn)?, thread, article))
        })
        .await?;
    page.sections = sections;
    page.thread = thread;
    page.article = article;
    let title = match page.mode {
        "promote" => msg!("kb-title-promote"),
        "new" => msg!("kb-title-new-article"),
        _ => msg!("kb-title-edit-article"),
    };
    let mut resp = page_response(state, req, Some(viewer), "article-edit.html", &page, title)?;
    if let Some(s) = status {
        *resp.status_mut() = s;
    }
    Ok(resp)
}

/// Saves the editor's form with `save` (one transaction) and goes to the article, or shows the
/// editor again: with a preview, or with what stopped the save (the input kept, and a 4xx).
async fn save_or_reshow<F>(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    page: EditorPage,
    save: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut crate::db::DbConn, &ArticleInput) -> AppResult<kb::Article> + Send + 'static,
{
    let error = match page.form.parse() {
        Err(e) => Some(e),
        Ok(_) if page.form.action == "preview" => None,
        Ok(input) => match state.db.write(move |conn| save(conn, &input)).await {
            Ok(article) => return Ok(see_other(article.path())),
            Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_) | AppError::Conflict(_))) => {
                Some(e)
            }
            Err(e) => return Err(e),
        },
    };
    render_editor(state, req, viewer, page, error).await
}

fn promote_source(conn: &mut crate::db::DbConn, thread_id: i64) -> AppResult<PromoteSource> {
    // The top answers are the candidates (the accepted one first).
    let paging = threads::Paging {
        page: 1,
        per_page: threads::MAX_ANSWERS_PER_PAGE,
    };
    let detail = threads::thread_detail(conn, thread_id, None, paging)?;
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

/// `msg` worded in the language this request is answered in, for words that are stored (a
/// revision's summary) rather than shown once.
pub(super) fn worded(
    state: &AppState,
    req: &HttpRequest,
    user: Option<&crate::accounts::User>,
    msg: &Msg,
) -> String {
    let locale = super::locale::resolve(req, state, user);
    state.theme.catalog.text(&locale.lang, msg)
}

#[derive(Deserialize)]
pub struct PromoteQuery {
    pub post: Option<i64>,
}

/// The article editor prefilled from the question and the chosen (or accepted) answer; a
/// thread already promoted sends the editor to its article.
pub async fn promote_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
    id: web::Path<i64>,
    q: web::Query<PromoteQuery>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let post = q.post;
    let (existing, draft) = state
        .db
        .read(move |conn| {
            let existing = kb::article_for_thread(conn, thread_id)?;
            let draft = match existing {
                Some(_) => None,
                None => Some(kb::promotion_draft(conn, thread_id, post)?),
            };
            Ok((existing, draft))
        })
        .await?;
    let (None, Some(draft)) = (existing.as_ref(), draft) else {
        return Ok(see_other(existing.map(|a| a.path()).unwrap_or_default()));
    };
    let summary = msg!("kb-summary-promoted", thread = thread_id.to_string());
    let form = ArticleForm {
        title: draft.title,
        body: draft.body,
        section: draft.section,
        post: Some(draft.post_id),
        summary: worded(&state, &req, viewer.user.as_ref(), &summary),
        ..Default::default()
    };
    render_editor(
        &state,
        &req,
        &viewer,
        EditorPage::promoting(thread_id, form),
        None,
    )
    .await
}

pub async fn promote(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, viewer): Curator,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let post = form.post;
    let page = EditorPage::promoting(thread_id, form);
    save_or_reshow(&state, &req, &viewer, page, move |conn, input| {
        kb::promote(conn, &user, thread_id, post, input)
    })
    .await
}

/// `?title=` of the new-article form: the content-gaps page links here with the wording people
/// searched for.
#[derive(Deserialize)]
pub struct NewArticleQuery {
    #[serde(default)]
    pub title: String,
}

pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
    q: web::Query<NewArticleQuery>,
) -> AppResult<HttpResponse> {
    let form = ArticleForm {
        title: q.into_inner().title.chars().take(200).collect(),
        ..Default::default()
    };
    let page = EditorPage::new("new", "/kb/new".into(), form);
    render_editor(&state, &req, &viewer, page, None).await
}

pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, viewer): Curator,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<HttpResponse> {
    let page = EditorPage::new("new", "/kb/new".into(), form);
    save_or_reshow(&state, &req, &viewer, page, move |conn, input| {
        kb::create(conn, &user, input)
    })
    .await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(_, viewer): Curator,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (a, section) = state
        .db
        .read(move |conn| {
            let a = kb::find_article(conn, id)?;
            let section = kb::find_section(conn, a.section_id)?;
            Ok((a, section.name))
        })
        .await?;
    let form = ArticleForm {
        title: a.title.clone(),
        body: a.body_md.clone(),
        section,
        applies_to: a.applies_to.clone(),
        // A date already past is left empty: saving then sets the next one (see `kb::edit`).
        review_by: if a.review_by > crate::db::now() {
            a.review_by.format("%Y-%m-%d").to_string()
        } else {
            String::new()
        },
        base_revision: Some(a.revision_count),
        ..Default::default()
    };
    render_editor(&state, &req, &viewer, EditorPage::editing(a.id, form), None).await
}

pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, viewer): Curator,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let page = EditorPage::editing(id, form);
    save_or_reshow(&state, &req, &viewer, page, move |conn, input| {
        kb::edit(conn, &user, id, input)
    })
    .await
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
        _ => return Err(AppError::invalid(msg!("kb-status-action-invalid"))),
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
    let title = msg!("title-article-history", title = &page.article.title);
    page_response(
        &state,
        &req,
        Some(&viewer),
        "article-revisions.html",
        &page,
        title,
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
    if from.is_some_and(|n| n < 1) || to.is_some_and(|n| n < 1) {
        return Err(AppError::invalid(msg!("kb-revision-number-invalid")));
    }
    let page = state
        .db
        .read(move |conn| {
            let a = kb::find_visible(conn, id, user.as_ref())?;
            // Default: what the latest edit changed.
            let to = to.unwrap_or(a.revision_count);
            let from = from.unwrap_or(to.saturating_sub(1).max(1));
            let old = kb::find_revision(conn, a.id, from)?;
            let new = kb::find_revision(conn, a.id, to)?;
            Ok(DiffPage {
                article: kb::ArticleSummary::from(&a),
                diff: kb::diff_revisions(&old, &new),
                can_curate: user.as_ref().is_some_and(kb::can_curate),
            })
        })
        .await?;
    let title = msg!("title-article-changes", title = &page.article.title);
    page_response(
        &state,
        &req,
        Some(&viewer),
        "article-diff.html",
        &page,
        title,
    )
}

pub async fn restore(
    state: web::Data<AppState>,
    req: HttpRequest,
    Curator(user, _): Curator,
    path: web::Path<(i64, i32)>,
    CsrfForm(_): CsrfForm<StatusForm>,
) -> AppResult<HttpResponse> {
    let (id, number) = path.into_inner();
    let summary = msg!("kb-summary-restored", revision = number.to_string());
    let summary = worded(&state, &req, Some(&user), &summary);
    let article = state
        .db
        .write(move |conn| kb::restore(conn, &user, id, number, &summary))
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
        _ => Err(AppError::invalid(msg!("kb-helpful-invalid"))),
    }
}

/// "Was this helpful?": the form's CSRF token is required of everyone (cached article pages
/// carry each visitor's own). Signed-in people vote as themselves; anonymous visitors once per
/// address, article and day; everyone within the limit per address. An anonymous vote must
/// come with the session cookie the article page set: cross-site posts do not carry it
/// (SameSite=Lax), so another site cannot vote for its visitors.
pub async fn feedback(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    id: web::Path<i64>,
    form: web::Form<FeedbackForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    if viewer.user.is_none() && viewer.new_session {
        return Err(AppError::forbidden(msg!("kb-feedback-no-cookie")));
    }
    super::session::check_csrf(&viewer.session, &form.csrf)?;
    let ip = super::session::client_ip(&req, &state);
    let voter = match &viewer.user {
        Some(u) => kb::Voter::User(u.id),
        None => kb::Voter::anonymous(&ip),
    };
    let helpful = parse_helpful(&form.helpful)?;
    let id = id.into_inner();
    let comment = form.comment;
    let rate = state.settings.limits.article_feedback_per_ip;
    let db = state.db.clone();
    let article =
        web::block(move || kb::feedback(&db, id, &voter, helpful, &comment, &ip, rate)).await??;
    Ok(see_other(format!("{}?thanks=1#feedback", article.path())))
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
        return Err(AppError::invalid(msg!("kb-soon-range")));
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
        msg!("title-kb-upkeep"),
    )
}

#[derive(Serialize)]
pub struct CandidatesPage {
    pub candidates: Vec<(kb::Candidate, String)>,
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
    let page = CandidatesPage { candidates };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "kb-candidates.html",
        &page,
        msg!("title-kb-candidates"),
    )
}
