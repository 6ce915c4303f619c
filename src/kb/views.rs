//! Read models of the knowledge base: the KB home and sections, an article as shown, the staff
//! lists (review due, least helpful, drafts and archived) and the threads worth promoting.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{can_curate, find_section, find_visible, Article, ArticleStatus, Section, Versions};
use crate::accounts::User;
use crate::db::schema::{kb_articles, kb_feedback, kb_sections, threads as thread_rows, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::threads::{self, AuthorView};

/// A link to an article (thread banners, duplicates).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
    pub created_at: chrono::NaiveDateTime,
}

impl From<&Article> for ArticleRef {
    fn from(a: &Article) -> Self {
        ArticleRef {
            id: a.id,
            title: a.title.clone(),
            url: a.path(),
            status: a.status.clone(),
            created_at: a.created_at,
        }
    }
}

/// An article in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
    pub section_id: i64,
    pub applies_to: Vec<String>,
    pub review_by: NaiveDateTime,
    pub review_due: bool,
    pub helpful_yes: i32,
    pub helpful_no: i32,
    /// Share of "yes" votes in percent (None without votes).
    pub helpful_percent: Option<i32>,
    pub source_thread_id: Option<i64>,
    pub updated_at: NaiveDateTime,
}

/// The columns a list shows (not the texts).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = kb_articles)]
pub struct ListRow {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub status: String,
    pub applies_to: String,
    pub source_thread_id: Option<i64>,
    pub review_by: NaiveDateTime,
    pub helpful_yes: i32,
    pub helpful_no: i32,
    pub updated_at: NaiveDateTime,
}

impl From<&ListRow> for ArticleSummary {
    fn from(a: &ListRow) -> Self {
        ArticleSummary {
            id: a.id,
            title: a.title.clone(),
            url: super::article_path(a.id, &a.title),
            status: a.status.clone(),
            section_id: a.section_id,
            applies_to: Versions::list(&a.applies_to),
            review_by: a.review_by,
            review_due: a.review_by <= now(),
            helpful_yes: a.helpful_yes,
            helpful_no: a.helpful_no,
            helpful_percent: helpful_percent(a.helpful_yes, a.helpful_no),
            source_thread_id: a.source_thread_id,
            updated_at: a.updated_at,
        }
    }
}

fn summaries(rows: Vec<ListRow>) -> Vec<ArticleSummary> {
    rows.iter().map(ArticleSummary::from).collect()
}

fn helpful_percent(yes: i32, no: i32) -> Option<i32> {
    let total = yes + no;
    (total > 0).then(|| (yes * 100 + total / 2) / total)
}

impl From<&Article> for ArticleSummary {
    fn from(a: &Article) -> Self {
        ArticleSummary::from(&ListRow {
            id: a.id,
            section_id: a.section_id,
            title: a.title.clone(),
            status: a.status.clone(),
            applies_to: a.applies_to.clone(),
            source_thread_id: a.source_thread_id,
            review_by: a.review_by,
            helpful_yes: a.helpful_yes,
            helpful_no: a.helpful_no,
            updated_at: a.updated_at,
        })
    }
}

/// A section with its articles.
#[derive(Debug, Clone, Serialize)]
pub struct SectionArticles {
    pub section: Section,
    pub articles: Vec<ArticleSummary>,
    /// Articles in the section in all (the home shows the first few).
    pub total: usize,
}

/// Articles listed on the KB home per section.
pub const HOME_PER_SECTION: usize = 10;

fn published(conn: &mut DbConn, section_id: Option<i64>) -> AppResult<Vec<ArticleSummary>> {
    let mut q = kb_articles::table
        .filter(kb_articles::status.eq(ArticleStatus::Published.as_str()))
        .into_boxed();
    if let Some(id) = section_id {
        q = q.filter(kb_articles::section_id.eq(id));
    }
    Ok(summaries(
        q.order(kb_articles::title.asc())
            .select(ListRow::as_select())
            .load(conn)?,
    ))
}

/// The KB home: every section that has published articles, with the first few of them.
pub fn kb_home(conn: &mut DbConn) -> AppResult<Vec<SectionArticles>> {
    let sections = super::list_sections(conn)?;
    let mut by_section: HashMap<i64, Vec<ArticleSummary>> = HashMap::new();
    for a in published(conn, None)? {
        by_section.entry(a.section_id).or_default().push(a);
    }
    Ok(sections
        .into_iter()
        .filter_map(|section| {
            let mut articles = by_section.remove(&section.id)?;
            let total = articles.len();
            articles.truncate(HOME_PER_SECTION);
            Some(SectionArticles {
                section,
                articles,
                total,
            })
        })
        .collect())
}

/// The first `sections` sections with published articles, each with its first `per` articles
/// (the site's home page: a few small queries, whatever the size of the knowledge base).
pub fn home_sections(
    conn: &mut DbConn,
    sections: usize,
    per: usize,
) -> AppResult<Vec<SectionArticles>> {
    let mut out = Vec::new();
    for section in super::list_sections(conn)? {
        if out.len() >= sections {
            break;
        }
        let published = || {
            kb_articles::table
                .filter(kb_articles::status.eq(ArticleStatus::Published.as_str()))
                .filter(kb_articles::section_id.eq(section.id))
        };
        let total: i64 = published().count().get_result(conn)?;
        if total == 0 {
            continue;
        }
        let rows = published()
            .order(kb_articles::title.asc())
            .limit(per as i64)
            .select(ListRow::as_select())
            .load(conn)?;
        out.push(SectionArticles {
            section,
            articles: summaries(rows),
            total: total as usize,
        });
    }
    Ok(out)
}

/// One section with all its published articles.
pub fn section_articles(conn: &mut DbConn, slug: &str) -> AppResult<SectionArticles> {
    let section = super::find_section_by_slug(conn, slug)?;
    let articles = published(conn, Some(section.id))?;
    Ok(SectionArticles {
        total: articles.len(),
        section,
        articles,
    })
}

/// The thread an article came from, and the people it credits.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub thread_id: i64,
    pub title: String,
    pub url: String,
    pub asker: AuthorView,
    /// Author of the answer the article was made from.
    pub answerer: Option<AuthorView>,
    pub answer_url: Option<String>,
}

/// One "was this helpful" answer, for staff.
#[derive(Debug, Clone, Serialize)]
pub struct FeedbackView {
    /// Its id (the comment can be flagged).
    pub id: i64,
    pub helpful: bool,
    pub comment: String,
    /// Signed-in voter's handle (anonymous sessions have none).
    pub handle: Option<String>,
    pub created_at: NaiveDateTime,
}

/// An article as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleDetail {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
    pub body_html: String,
    pub body_text: String,
    pub section: Section,
    pub applies_to: Vec<String>,
    /// Who last verified it (real name and title).
    pub verified_by: AuthorView,
    pub verified_at: NaiveDateTime,
    pub review_by: NaiveDateTime,
    pub review_due: bool,
    pub revision_count: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub source: Option<SourceView>,
    /// Helpfulness and recent comments: curators only.
    pub helpful: Option<ArticleSummary>,
    pub feedback: Vec<FeedbackView>,
    /// The viewer may edit, archive, review and restore.
    pub can_curate: bool,
}

pub fn article_detail(
    conn: &mut DbConn,
    id: i64,
    viewer: Option<&User>,
) -> AppResult<ArticleDetail> {
    let a = find_visible(conn, id, viewer)?;
    let curator = viewer.is_some_and(can_curate);
    let section = find_section(conn, a.section_id)?;
    let verified_by = crate::accounts::find(conn, a.verified_by_id)?;
    // A source thread the reader may not open (a private question) is not mentioned: the
    // article never leads back to the customer.
    let source_thread = match a.source_thread_id {
        Some(tid) => {
            let t = threads::find_thread(conn, tid)?;
            threads::ensure_thread_visible(conn, &t, viewer)
                .is_ok()
                .then_some(t)
        }
        None => None,
    };
    let source = match source_thread {
        Some(t) => {
            let asker = crate::accounts::find(conn, t.author_id)?;
            let answer = match a.source_post_id {
                Some(pid) => {
                    let p = threads::find_post(conn, pid)?;
                    // On the page of the thread it is on now.
                    let url = threads::post_path(conn, pid, viewer)
                        .unwrap_or_else(|_| format!("{}#post-{pid}", t.path()));
                    Some((crate::accounts::find(conn, p.author_id)?, url))
                }
                None => None,
            };
            Some(SourceView {
                thread_id: t.id,
                url: t.path(),
                answer_url: answer.as_ref().map(|(_, url)| url.clone()),
                asker: AuthorView::on_thread(&asker, &t, viewer),
                title: t.title,
                answerer: answer.as_ref().map(|(u, _)| AuthorView::from(u)),
            })
        }
        None => None,
    };
    let feedback = if curator {
        kb_feedback::table
            .left_join(users::table)
            .filter(kb_feedback::article_id.eq(a.id))
            .order(kb_feedback::created_at.desc())
            .limit(20)
            .select((
                kb_feedback::id,
                kb_feedback::helpful,
                kb_feedback::comment,
                users::handle.nullable(),
                kb_feedback::created_at,
            ))
            .load::<(i64, bool, String, Option<String>, NaiveDateTime)>(conn)?
            .into_iter()
            .map(|(id, helpful, comment, handle, created_at)| FeedbackView {
                id,
                helpful,
                comment,
                handle,
                created_at,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ArticleDetail {
        url: a.path(),
        helpful: curator.then(|| ArticleSummary::from(&a)),
        applies_to: Versions::list(&a.applies_to),
        verified_by: AuthorView::from(&verified_by),
        review_due: a.review_by <= now(),
        id: a.id,
        title: a.title,
        status: a.status,
        body_html: a.body_html,
        body_text: a.body_text,
        section,
        verified_at: a.verified_at,
        review_by: a.review_by,
        revision_count: a.revision_count,
        created_at: a.created_at,
        updated_at: a.updated_at,
        source,
        feedback,
        can_curate: curator,
    })
}

/// What the API lists.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub section: Option<String>,
    /// Drafts and archived articles are listed for curators only.
    pub status: Option<ArticleStatus>,
    pub limit: i64,
    pub offset: i64,
}

pub fn list_articles(
    conn: &mut DbConn,
    f: &ArticleFilter,
    viewer: Option<&User>,
) -> AppResult<Vec<ArticleSummary>> {
    let status = f.status.unwrap_or(ArticleStatus::Published);
    if status != ArticleStatus::Published && !viewer.is_some_and(can_curate) {
        return Err(AppError::forbidden(crate::msg!("kb-only-curators-list")));
    }
    let mut q = kb_articles::table
        .filter(kb_articles::status.eq(status.as_str()))
        .into_boxed();
    if let Some(slug) = &f.section {
        let section = super::find_section_by_slug(conn, slug)?;
        q = q.filter(kb_articles::section_id.eq(section.id));
    }
    Ok(summaries(
        q.order(kb_articles::id.asc())
            .limit(f.limit)
            .offset(f.offset)
            .select(ListRow::as_select())
            .load(conn)?,
    ))
}

/// The staff KB page: what needs attention.
#[derive(Debug, Clone, Serialize)]
pub struct CurationLists {
    /// Published articles past (or within `soon_days` of) their review date, oldest first.
    pub review_due: Vec<ArticleSummary>,
    /// Published articles with the lowest share of "helpful" votes (at least `MIN_VOTES`).
    pub least_helpful: Vec<ArticleSummary>,
    pub drafts: Vec<ArticleSummary>,
    pub archived: Vec<ArticleSummary>,
    pub soon_days: i64,
}

/// Votes an article needs before its helpfulness ranks it among the worst.
pub const MIN_VOTES: i32 = 3;

/// Share of "yes" in percent, for ordering in SQL (integer arithmetic on both databases).
const HELPFUL_SHARE: &str =
    "kb_articles.helpful_yes * 100 / (kb_articles.helpful_yes + kb_articles.helpful_no)";

pub fn curation_lists(conn: &mut DbConn, soon_days: i64) -> AppResult<CurationLists> {
    use diesel::dsl::sql;
    use diesel::sql_types::Integer;
    let due_by = now() + chrono::TimeDelta::days(soon_days);
    let by_status = |conn: &mut DbConn, status: ArticleStatus| -> AppResult<Vec<ArticleSummary>> {
        Ok(summaries(
            kb_articles::table
                .filter(kb_articles::status.eq(status.as_str()))
                .order(kb_articles::updated_at.desc())
                .limit(500)
                .select(ListRow::as_select())
                .load(conn)?,
        ))
    };
    let published = ArticleStatus::Published.as_str();
    let review_due = summaries(
        kb_articles::table
            .filter(kb_articles::status.eq(published))
            .filter(kb_articles::review_by.le(due_by))
            .order(kb_articles::review_by.asc())
            .limit(200)
            .select(ListRow::as_select())
            .load(conn)?,
    );
    let least_helpful = summaries(
        kb_articles::table
            .filter(kb_articles::status.eq(published))
            .filter((kb_articles::helpful_yes + kb_articles::helpful_no).ge(MIN_VOTES))
            .order((
                sql::<Integer>(HELPFUL_SHARE).asc(),
                kb_articles::helpful_no.desc(),
                kb_articles::id.asc(),
            ))
            .limit(20)
            .select(ListRow::as_select())
            .load(conn)?,
    );
    Ok(CurationLists {
        review_due,
        least_helpful,
        drafts: by_status(conn, ArticleStatus::Draft)?,
        archived: by_status(conn, ArticleStatus::Archived)?,
        soon_days,
    })
}

/// A solved thread worth promoting.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
    pub score: i32,
    pub answer_count: i32,
    pub view_count: i64,
    pub similar_asked: i32,
    pub last_activity_at: NaiveDateTime,
    pub priority: i64,
}

/// How candidates are ranked (also in docs/kb.md): later similar questions weigh most, then
/// votes, then views.
pub const CANDIDATE_PRIORITY: &str =
    "5 * threads.similar_asked + 2 * threads.score + threads.view_count / 50";

/// Solved threads that are not in the knowledge base yet, most worth promoting first.
pub fn candidates(conn: &mut DbConn, limit: i64) -> AppResult<Vec<(Candidate, String)>> {
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    let promoted = kb_articles::table
        .filter(kb_articles::source_thread_id.is_not_null())
        .select(kb_articles::source_thread_id.assume_not_null());
    let rows: Vec<Candidate> = thread_rows::table
        .filter(thread_rows::accepted_post_id.is_not_null())
        .filter(thread_rows::duplicate_of_id.is_null())
        .filter(thread_rows::id.ne_all(promoted))
        .order((
            sql::<BigInt>(CANDIDATE_PRIORITY).desc(),
            thread_rows::id.desc(),
        ))
        .limit(limit)
        .select((
            thread_rows::id,
            thread_rows::title,
            thread_rows::score,
            thread_rows::answer_count,
            thread_rows::view_count,
            thread_rows::similar_asked,
            thread_rows::last_activity_at,
            sql::<BigInt>(CANDIDATE_PRIORITY),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let url = threads::thread_path(c.id, &c.title);
            (c, url)
        })
        .collect())
}

/// Sections for the editor's suggestions.
pub fn section_names(conn: &mut DbConn) -> AppResult<Vec<String>> {
    Ok(kb_sections::table
        .order(kb_sections::position.asc())
        .select(kb_sections::name)
        .load(conn)?)
}

/// The thread a closed thread duplicates, with that thread's article if it has one.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateRef {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub article: Option<ArticleRef>,
}

/// What a thread page shows about the knowledge base.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ThreadKb {
    /// The article promoted from this thread (drafts: curators only).
    pub article: Option<ArticleRef>,
    pub duplicate_of: Option<DuplicateRef>,
    /// The viewer may promote this thread (curator, not promoted yet, has an answer).
    pub can_promote: bool,
}

fn shown_article(a: Option<Article>, curator: bool) -> Option<ArticleRef> {
    a.filter(|a| curator || a.status() != ArticleStatus::Draft)
        .map(|a| ArticleRef::from(&a))
}

pub fn thread_kb(
    conn: &mut DbConn,
    thread: &threads::ThreadDetail,
    viewer: Option<&User>,
) -> AppResult<ThreadKb> {
    let curator = viewer.is_some_and(can_curate);
    let own = super::article_for_thread(conn, thread.id)?;
    let promoted = own.is_some();
    let duplicate_of = match thread.duplicate_of_id {
        Some(id) => {
            let t = threads::find_thread(conn, id)?;
            let article = super::article_for_thread(conn, t.id)?
                .filter(|a| a.status() == ArticleStatus::Published);
            Some(DuplicateRef {
                id: t.id,
                url: t.path(),
                title: t.title,
                article: article.map(|a| ArticleRef::from(&a)),
            })
        }
        None => None,
    };
    Ok(ThreadKb {
        article: shown_article(own, curator),
        duplicate_of,
        can_promote: curator && !promoted && thread.answer_count > 0,
    })
}
