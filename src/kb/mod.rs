//! The knowledge base: sections, articles (promoted from solved threads or written fresh), their
//! revisions, "was this helpful" feedback, review dates and the list of threads worth
//! promoting. Every rule about who may change an article lives here: only staff, moderators and
//! admins curate; everyone may read published and archived articles and give feedback.

mod diff;
mod input;
mod views;

pub use diff::{diff_revisions, DiffLine, RevisionDiff};
pub use input::{ArticleInput, ReviewDate, Versions};
pub use views::*;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::User;
use crate::catalog;
use crate::db::schema::{kb_articles, kb_feedback, kb_revisions, kb_sections};
use crate::db::{lock, now, DbConn, Lock};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::i18n::Msg;
use crate::msg;
use crate::render::markdown::{self, RENDER_VERSION};
use crate::threads::{self, ANSWER};

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    /// Being written: only curators see it.
    Draft,
    /// Listed, searchable, suggested while asking.
    Published,
    /// Still reachable by URL, marked as archived; out of lists and search.
    Archived,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }
    pub fn parse(s: &str) -> AppResult<ArticleStatus> {
        match s.trim() {
            "draft" => Ok(ArticleStatus::Draft),
            "published" => Ok(ArticleStatus::Published),
            "archived" => Ok(ArticleStatus::Archived),
            other => Err(AppError::invalid(msg!(
                "kb-unknown-article-status",
                status = other
            ))),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = kb_sections)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = kb_articles)]
pub struct Article {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub body_text: String,
    pub render_version: i32,
    pub status: String,
    pub applies_to: String,
    pub source_thread_id: Option<i64>,
    pub source_post_id: Option<i64>,
    pub author_id: i64,
    pub verified_by_id: i64,
    pub verified_at: NaiveDateTime,
    pub review_by: NaiveDateTime,
    pub revision_count: i32,
    pub helpful_yes: i32,
    pub helpful_no: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Article {
    /// Canonical path: `/kb/{id}/{slug}`.
    pub fn path(&self) -> String {
        article_path(self.id, &self.title)
    }
    pub fn status(&self) -> ArticleStatus {
        ArticleStatus::parse(&self.status).unwrap_or(ArticleStatus::Draft)
    }
}

/// Action paths under `/kb/{id}/`; an article slug never takes one of these names.
const RESERVED_SLUGS: [&str; 8] = [
    "edit",
    "status",
    "reviewed",
    "revisions",
    "diff",
    "feedback",
    "restore",
    "article",
];

pub fn article_path(id: i64, title: &str) -> String {
    let slug = catalog::slugify(title);
    let slug = if slug.is_empty() || RESERVED_SLUGS.contains(&slug.as_str()) {
        "article"
    } else {
        slug.as_str()
    };
    format!("/kb/{id}/{slug}")
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = kb_revisions)]
pub struct ArticleRevision {
    pub id: i64,
    pub article_id: i64,
    pub number: i32,
    pub editor_id: i64,
    pub title: String,
    pub section_id: i64,
    pub applies_to: String,
    pub body_md: String,
    pub summary: String,
    pub created_at: NaiveDateTime,
}

/// Staff, moderators and admins curate the knowledge base.
pub fn can_curate(user: &User) -> bool {
    user.role().can_moderate()
}

/// Curators only; everyone else is refused with `refusal` ("only staff, moderators and admins
/// can …").
fn ensure_curator(user: &User, refusal: Msg) -> AppResult<()> {
    if !can_curate(user) {
        return Err(AppError::forbidden(refusal));
    }
    threads::ensure_active(user)
}

pub fn find_article(conn: &mut DbConn, id: i64) -> AppResult<Article> {
    kb_articles::table
        .find(id)
        .select(Article::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("kb-article-not-found")))
}

/// An article as `viewer` may see it: drafts exist only for curators (404 for everyone else,
/// so unpublished work is not revealed).
pub fn find_visible(conn: &mut DbConn, id: i64, viewer: Option<&User>) -> AppResult<Article> {
    let article = find_article(conn, id)?;
    if article.status() == ArticleStatus::Draft && !viewer.is_some_and(can_curate) {
        return Err(AppError::not_found(msg!("kb-article-not-found")));
    }
    Ok(article)
}

/// The article promoted from `thread_id`, if any.
pub fn article_for_thread(conn: &mut DbConn, thread_id: i64) -> AppResult<Option<Article>> {
    Ok(kb_articles::table
        .filter(kb_articles::source_thread_id.eq(thread_id))
        .select(Article::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_sections(conn: &mut DbConn) -> AppResult<Vec<Section>> {
    Ok(kb_sections::table
        .order((kb_sections::position.asc(), kb_sections::name.asc()))
        .select(Section::as_select())
        .load(conn)?)
}

pub fn find_section_by_slug(conn: &mut DbConn, slug: &str) -> AppResult<Section> {
    kb_sections::table
        .filter(kb_sections::slug.eq(slug))
        .select(Section::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("kb-section-not-found")))
}

pub fn find_section(conn: &mut DbConn, id: i64) -> AppResult<Section> {
    kb_sections::table
        .find(id)
        .select(Section::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("kb-section-not-found")))
}

/// The section named `name` (matched by slug), created when it does not exist yet: editors
/// file articles by typing a section name, as they tag questions.
fn ensure_section(conn: &mut DbConn, name: &str) -> AppResult<Section> {
    let slug = catalog::slugify(name);
    if let Ok(s) = find_section_by_slug(conn, &slug) {
        return Ok(s);
    }
    let position: Option<i32> = kb_sections::table
        .select(diesel::dsl::max(kb_sections::position))
        .first(conn)?;
    // In a savepoint: when another request creates the same section first, the unique slug
    // refuses this insert without aborting the caller's transaction, and we use theirs.
    let inserted = conn.transaction::<Section, diesel::result::Error, _>(|conn| {
        diesel::insert_into(kb_sections::table)
            .values((
                kb_sections::slug.eq(&slug),
                kb_sections::name.eq(name),
                kb_sections::position.eq(position.unwrap_or(0) + 1),
                kb_sections::created_at.eq(now()),
            ))
            .returning(kb_sections::all_columns)
            .get_result::<Section>(conn)
    });
    match inserted {
        Ok(section) => Ok(section),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => find_section_by_slug(conn, &slug),
        Err(e) => Err(e.into()),
    }
}

fn insert_revision(
    conn: &mut DbConn,
    article: &Article,
    editor_id: i64,
    summary: &str,
) -> AppResult<()> {
    diesel::insert_into(kb_revisions::table)
        .values((
            kb_revisions::article_id.eq(article.id),
            kb_revisions::number.eq(article.revision_count),
            kb_revisions::editor_id.eq(editor_id),
            kb_revisions::title.eq(&article.title),
            kb_revisions::section_id.eq(article.section_id),
            kb_revisions::applies_to.eq(&article.applies_to),
            kb_revisions::body_md.eq(&article.body_md),
            kb_revisions::summary.eq(summary),
            kb_revisions::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Writes what happened to an article: `kind`, and `article_published` as well when the
/// article is published now and was not before.
fn article_events(
    conn: &mut DbConn,
    kind: Kind,
    actor: &User,
    now_: &Article,
    before: Option<&Article>,
) -> AppResult<()> {
    let previous = before.map(|a| a.status.clone());
    let event = |kind| {
        let mut e = NewEvent::new(kind)
            .actor(actor.id)
            .article(now_.id)
            .with("status", now_.status.clone())
            .with("previous_status", previous.clone());
        if let Some(t) = now_.source_thread_id {
            e = e.thread(t);
        }
        if let Some(p) = now_.source_post_id {
            e = e.post(p);
        }
        e
    };
    events::emit(conn, event(kind))?;
    let published = ArticleStatus::Published.as_str();
    if now_.status == published && previous.as_deref() != Some(published) {
        events::emit(conn, event(Kind::ArticlePublished))?;
    }
    Ok(())
}

/// Creates an article (from a thread when `source` is set): the article, revision 1 and its
/// events in the caller's transaction. The author is its first verifier.
fn insert_article(
    conn: &mut DbConn,
    author: &User,
    a: &ArticleInput,
    source: Option<(i64, i64)>,
) -> AppResult<Article> {
    let section = ensure_section(conn, &a.section)?;
    let rendered = markdown::render(a.body.as_str())?;
    let t = now();
    let article: Article = diesel::insert_into(kb_articles::table)
        .values((
            kb_articles::section_id.eq(section.id),
            kb_articles::title.eq(a.title.as_str()),
            kb_articles::body_md.eq(a.body.as_str()),
            kb_articles::body_html.eq(rendered.html),
            kb_articles::body_text.eq(rendered.text),
            kb_articles::render_version.eq(RENDER_VERSION),
            kb_articles::status.eq(a.status.unwrap_or(ArticleStatus::Draft).as_str()),
            kb_articles::applies_to.eq(a.applies_to.to_string()),
            kb_articles::source_thread_id.eq(source.map(|s| s.0)),
            kb_articles::source_post_id.eq(source.map(|s| s.1)),
            kb_articles::author_id.eq(author.id),
            kb_articles::verified_by_id.eq(author.id),
            kb_articles::verified_at.eq(t),
            kb_articles::review_by.eq(a.review_by.or_default()),
            kb_articles::created_at.eq(t),
            kb_articles::updated_at.eq(t),
        ))
        .returning(kb_articles::all_columns)
        .get_result::<Article>(conn)?;
    insert_revision(conn, &article, author.id, &a.summary)?;
    article_events(conn, Kind::ArticleCreated, author, &article, None)?;
    Ok(article)
}

/// Promotes a solved thread (or the answer `post_id` of any thread) into an article, in one
/// transaction: article, revision, link to the thread and the outbox row. A thread is promoted
/// once; a second promotion is a 409 pointing at the first article.
pub fn promote(
    conn: &mut DbConn,
    user: &User,
    thread_id: i64,
    post_id: Option<i64>,
    a: &ArticleInput,
) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-promote"))?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = threads::find_thread(conn, thread_id)?;
    let source_post = source_post(conn, &thread, post_id)?;
    if let Some(existing) = article_for_thread(conn, thread.id)? {
        return Err(AppError::Conflict(msg!(
            "kb-thread-already-promoted",
            path = existing.path()
        )));
    }
    insert_article(conn, user, a, Some((thread.id, source_post.id)))
}

/// A promotion where any field may be left out: missing fields are filled as the editor
/// prefills them (the question's title, question and answer as the body, ...). The API's form.
#[derive(Debug)]
pub struct PromotionRequest {
    pub post_id: Option<i64>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub section: Option<String>,
    pub applies_to: Vec<String>,
    pub review_by: Option<String>,
    pub status: ArticleStatus,
    /// The revision's summary ("Promoted from thread 12", in the editor's language).
    pub summary: String,
}

/// Promotes a thread from a `PromotionRequest` (see `promote`).
pub fn promote_request(
    conn: &mut DbConn,
    user: &User,
    thread_id: i64,
    r: PromotionRequest,
) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-promote"))?;
    if r.status == ArticleStatus::Archived {
        return Err(AppError::invalid(msg!("kb-new-article-status")));
    }
    let draft = promotion_draft(conn, thread_id, r.post_id)?;
    let input = ArticleInput::parse(
        r.title.as_deref().unwrap_or(&draft.title),
        r.body.as_deref().unwrap_or(&draft.body),
        r.section.as_deref().unwrap_or(&draft.section),
        &r.applies_to.join(","),
        r.review_by.as_deref().unwrap_or(""),
        Some(r.status),
        &r.summary,
    )?;
    promote(conn, user, thread_id, Some(draft.post_id), &input)
}

/// The answer an article is made from: the chosen one, else the accepted one.
pub fn source_post(
    conn: &mut DbConn,
    thread: &threads::Thread,
    post_id: Option<i64>,
) -> AppResult<threads::Post> {
    let id = post_id
        .or(thread.accepted_post_id)
        .ok_or_else(|| AppError::Conflict(msg!("kb-no-accepted-answer")))?;
    let post = threads::find_post(conn, id)?;
    if post.thread_id != thread.id || post.kind != ANSWER {
        return Err(AppError::invalid(msg!("kb-post-not-an-answer")));
    }
    Ok(post)
}

/// What the editor starts from when promoting: the question as a statement, the question and
/// the answer as "Problem" and "Solution", the thread's category as the section.
#[derive(Debug, Clone)]
pub struct PromotionDraft {
    pub title: String,
    pub body: String,
    pub section: String,
    pub post_id: i64,
}

pub fn promotion_draft(
    conn: &mut DbConn,
    thread_id: i64,
    post_id: Option<i64>,
) -> AppResult<PromotionDraft> {
    use crate::db::schema::posts;
    let thread = threads::find_thread(conn, thread_id)?;
    let answer = source_post(conn, &thread, post_id)?;
    let question_md: String = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::kind.eq(threads::QUESTION))
        .order(posts::id.asc())
        .select(posts::body_md)
        .first(conn)?;
    let category = catalog::find_category(conn, thread.category_id)?;
    Ok(PromotionDraft {
        // "How do I reset X?" reads as a statement without the question mark; editors rewrite it.
        title: thread.title.trim().trim_end_matches('?').trim().to_string(),
        body: format!(
            "## Problem\n\n{question_md}\n\n## Solution\n\n{}\n",
            answer.body_md
        ),
        section: category.name,
        post_id: answer.id,
    })
}

/// Writes an article from scratch (no source thread).
pub fn create(conn: &mut DbConn, user: &User, a: &ArticleInput) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-write"))?;
    insert_article(conn, user, a, None)
}

/// Saves a new version of an article: every edit is kept as a revision with its editor and
/// summary. Whoever saves it has verified it: they become "verified by", today the review date.
pub fn edit(conn: &mut DbConn, user: &User, id: i64, a: &ArticleInput) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-edit"))?;
    lock(conn, Lock::Article(id))?;
    let article = find_article(conn, id)?;
    if a.base_revision
        .is_some_and(|base| base != article.revision_count)
    {
        return Err(AppError::Conflict(msg!(
            "kb-edit-conflict",
            revision = article.revision_count
        )));
    }
    let section = ensure_section(conn, &a.section)?;
    let rendered = markdown::render(a.body.as_str())?;
    let t = now();
    let status = a.status.unwrap_or(article.status());
    let updated: Article = diesel::update(kb_articles::table.find(article.id))
        .set((
            kb_articles::section_id.eq(section.id),
            kb_articles::title.eq(a.title.as_str()),
            kb_articles::body_md.eq(a.body.as_str()),
            kb_articles::body_html.eq(rendered.html),
            kb_articles::body_text.eq(rendered.text),
            kb_articles::render_version.eq(RENDER_VERSION),
            kb_articles::status.eq(status.as_str()),
            kb_articles::applies_to.eq(a.applies_to.to_string()),
            kb_articles::verified_by_id.eq(user.id),
            kb_articles::verified_at.eq(t),
            kb_articles::review_by.eq(a.review_by.for_edit(article.review_by)),
            kb_articles::revision_count.eq(article.revision_count + 1),
            kb_articles::updated_at.eq(t),
        ))
        .returning(kb_articles::all_columns)
        .get_result::<Article>(conn)?;
    insert_revision(conn, &updated, user.id, &a.summary)?;
    article_events(conn, Kind::ArticleUpdated, user, &updated, Some(&article))?;
    Ok(updated)
}

/// A partial change from the API: fields left out keep their value. Content changes are a new
/// revision; a status alone is only a status change.
#[derive(Debug, Default)]
pub struct ArticlePatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub section: Option<String>,
    pub applies_to: Option<Vec<String>>,
    pub review_by: Option<String>,
    pub status: Option<ArticleStatus>,
    pub summary: String,
}

pub fn patch(conn: &mut DbConn, user: &User, id: i64, p: ArticlePatch) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-edit"))?;
    let content = p.title.is_some()
        || p.body.is_some()
        || p.section.is_some()
        || p.applies_to.is_some()
        || p.review_by.is_some();
    if !content {
        let status = p
            .status
            .ok_or_else(|| AppError::invalid(msg!("kb-patch-empty")))?;
        return set_status(conn, user, id, status);
    }
    // Merge under the row lock, so two partial edits cannot undo each other.
    lock(conn, Lock::Article(id))?;
    let a = find_article(conn, id)?;
    let section = find_section(conn, a.section_id)?;
    let input = ArticleInput::parse(
        p.title.as_deref().unwrap_or(&a.title),
        p.body.as_deref().unwrap_or(&a.body_md),
        p.section.as_deref().unwrap_or(&section.name),
        &p.applies_to
            .map(|v| v.join(","))
            .unwrap_or_else(|| a.applies_to.clone()),
        p.review_by.as_deref().unwrap_or(""),
        p.status,
        &p.summary,
    )?;
    edit(conn, user, id, &input)
}

/// Publishes, archives or returns an article to draft (not a new revision: content unchanged).
pub fn set_status(
    conn: &mut DbConn,
    user: &User,
    id: i64,
    status: ArticleStatus,
) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-status"))?;
    lock(conn, Lock::Article(id))?;
    let article = find_article(conn, id)?;
    let updated: Article = diesel::update(kb_articles::table.find(article.id))
        .set((
            kb_articles::status.eq(status.as_str()),
            kb_articles::updated_at.eq(now()),
        ))
        .returning(kb_articles::all_columns)
        .get_result::<Article>(conn)?;
    article_events(
        conn,
        Kind::ArticleStatusChanged,
        user,
        &updated,
        Some(&article),
    )?;
    Ok(updated)
}

/// "Still correct": the reviewer becomes "verified by", and the next review date moves on.
pub fn mark_reviewed(
    conn: &mut DbConn,
    user: &User,
    id: i64,
    next: ReviewDate,
) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-review"))?;
    lock(conn, Lock::Article(id))?;
    let article = find_article(conn, id)?;
    Ok(diesel::update(kb_articles::table.find(article.id))
        .set((
            kb_articles::verified_by_id.eq(user.id),
            kb_articles::verified_at.eq(now()),
            kb_articles::review_by.eq(next.or_default()),
        ))
        .returning(kb_articles::all_columns)
        .get_result::<Article>(conn)?)
}

/// Every revision of an article, oldest first, with its editor.
pub fn revisions(conn: &mut DbConn, id: i64) -> AppResult<Vec<(ArticleRevision, User)>> {
    use crate::db::schema::users;
    Ok(kb_revisions::table
        .inner_join(users::table)
        .filter(kb_revisions::article_id.eq(id))
        .order(kb_revisions::number.asc())
        .select((ArticleRevision::as_select(), User::as_select()))
        .load(conn)?)
}

pub fn find_revision(conn: &mut DbConn, id: i64, number: i32) -> AppResult<ArticleRevision> {
    kb_revisions::table
        .filter(kb_revisions::article_id.eq(id))
        .filter(kb_revisions::number.eq(number))
        .select(ArticleRevision::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("kb-revision-not-found")))
}

/// Restores revision `number`: its title, section, versions and text become a new revision
/// (history is never rewritten) with `summary` ("Restored revision 3", in the editor's
/// language: `kb-summary-restored`).
pub fn restore(
    conn: &mut DbConn,
    user: &User,
    id: i64,
    number: i32,
    summary: &str,
) -> AppResult<Article> {
    ensure_curator(user, msg!("kb-only-curators-restore"))?;
    lock(conn, Lock::Article(id))?;
    find_article(conn, id)?;
    let rev = find_revision(conn, id, number)?;
    let section = find_section(conn, rev.section_id)?;
    let input = ArticleInput {
        title: threads::Title::parse(&rev.title)?,
        body: threads::MarkdownBody::parse(&rev.body_md)?,
        section: section.name,
        applies_to: Versions::parse(&rev.applies_to)?,
        review_by: ReviewDate::default(),
        // The content comes back; the status stays what it is now.
        status: None,
        summary: summary.to_string(),
        base_revision: None,
    };
    edit(conn, user, id, &input)
}

/// Who gives feedback: a signed-in person, or an anonymous visitor counted once per address
/// and day (the address is kept only as a hash).
pub enum Voter {
    User(i64),
    Address {
        hash: String,
        day: chrono::NaiveDate,
    },
}

impl Voter {
    /// An anonymous visitor from `ip`, today.
    pub fn anonymous(ip: &str) -> Voter {
        use base64::Engine;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("kb-feedback:{ip}").as_bytes());
        Voter::Address {
            hash: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..12]),
            day: now().date(),
        }
    }

    fn key(&self) -> String {
        match self {
            Voter::User(id) => format!("u:{id}"),
            Voter::Address { hash, day } => format!("a:{hash}:{day}"),
        }
    }
}

/// "Was this helpful?" within the limit per client address (`limits.article_feedback_per_ip`),
/// in a transaction of its own that leaves cached pages alone (no page shows the counts to
/// anonymous visitors). Blocking: call it on the blocking pool.
pub fn feedback(
    db: &crate::db::Db,
    article_id: i64,
    voter: &Voter,
    helpful: bool,
    comment: &str,
    ip: &str,
    rate: crate::limits::Rate,
) -> AppResult<Article> {
    db.write_untracked(|c| crate::limits::hit(c, "kb-feedback-ip", ip, rate))?
        .or_too_many(msg!("kb-too-much-feedback"))?;
    db.write_untracked(|conn| give_feedback(conn, article_id, voter, helpful, comment))
}

/// "Was this helpful?": one vote per person or session; voting again replaces the earlier vote
/// (and its comment). Counts on the article are kept in step.
pub fn give_feedback(
    conn: &mut DbConn,
    article_id: i64,
    voter: &Voter,
    helpful: bool,
    comment: &str,
) -> AppResult<Article> {
    let comment = crate::input::multiline(comment, "comment", 1000)?;
    lock(conn, Lock::Article(article_id))?;
    let article = find_article(conn, article_id)?;
    if article.status() == ArticleStatus::Draft {
        return Err(AppError::not_found(msg!("kb-article-not-found")));
    }
    let key = voter.key();
    let previous: Option<bool> = kb_feedback::table
        .filter(kb_feedback::article_id.eq(article.id))
        .filter(kb_feedback::voter.eq(&key))
        .select(kb_feedback::helpful)
        .first(conn)
        .optional()?;
    diesel::delete(
        kb_feedback::table
            .filter(kb_feedback::article_id.eq(article.id))
            .filter(kb_feedback::voter.eq(&key)),
    )
    .execute(conn)?;
    diesel::insert_into(kb_feedback::table)
        .values((
            kb_feedback::article_id.eq(article.id),
            kb_feedback::voter.eq(&key),
            kb_feedback::user_id.eq(match voter {
                Voter::User(id) => Some(*id),
                Voter::Address { .. } => None,
            }),
            kb_feedback::helpful.eq(helpful),
            kb_feedback::comment.eq(&comment),
            kb_feedback::created_at.eq(now()),
        ))
        .execute(conn)?;
    let count = |h: bool| i32::from(helpful == h) - i32::from(previous == Some(h));
    let updated = diesel::update(kb_articles::table.find(article.id))
        .set((
            kb_articles::helpful_yes.eq(kb_articles::helpful_yes + count(true)),
            kb_articles::helpful_no.eq(kb_articles::helpful_no + count(false)),
        ))
        .returning(kb_articles::all_columns)
        .get_result::<Article>(conn)?;
    // Helpfulness is the article's "votes" in the ranking.
    if previous != Some(helpful) {
        let mut e = NewEvent::new(Kind::ArticleFeedback)
            .article(article.id)
            .with("helpful", helpful);
        if let Voter::User(id) = voter {
            e = e.actor(*id);
        }
        events::emit(conn, e)?;
    }
    Ok(updated)
}

/// Articles made from `thread_ids` (the indexer re-indexes them with their thread: category and
/// tags come from it).
pub fn articles_for_threads(conn: &mut DbConn, thread_ids: &[i64]) -> AppResult<Vec<i64>> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(kb_articles::table
        .filter(kb_articles::source_thread_id.eq_any(thread_ids))
        .select(kb_articles::id)
        .load(conn)?)
}

/// Re-renders up to `limit` articles stored by an older markdown renderer (`peerdesk rerender`)
/// and queues them for the index. Returns how many.
pub fn rerender_stale(conn: &mut DbConn, limit: i64) -> AppResult<usize> {
    let stale: Vec<(i64, String)> = kb_articles::table
        .filter(kb_articles::render_version.lt(RENDER_VERSION))
        .select((kb_articles::id, kb_articles::body_md))
        .limit(limit)
        .load(conn)?;
    for (id, md) in &stale {
        let r = markdown::render_or_text(md);
        diesel::update(kb_articles::table.find(id))
            .set((
                kb_articles::body_html.eq(r.html),
                kb_articles::body_text.eq(r.text),
                kb_articles::render_version.eq(RENDER_VERSION),
            ))
            .execute(conn)?;
        events::emit(conn, NewEvent::new(Kind::ArticleReindexed).article(*id))?;
    }
    Ok(stale.len())
}
