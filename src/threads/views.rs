//! Read models: threads as listed, a thread as shown (question, answers, comments) and a user's
//! activity. These are what templates and the API serialise.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{
    find_thread, sees_internal, thread_path, Comment, Status, Thread, ANSWER, FOLLOWUP, INTERNAL,
    QUESTION,
};
use crate::accounts::User;
use crate::catalog::{self, Category};
use crate::db::schema::{categories, comments, posts, thread_tags, threads, users, votes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

/// Who wrote something, as shown beside it.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    pub id: i64,
    pub handle: String,
    /// Real name when given, else the handle.
    pub name: String,
    /// Job title (staff sign with it), may be empty.
    pub title: String,
    pub role: String,
    /// Staff answers are marked and signed with name and title.
    pub is_staff: bool,
    pub reputation: i32,
}

impl From<&User> for AuthorView {
    fn from(u: &User) -> Self {
        AuthorView {
            id: u.id,
            handle: u.handle.clone(),
            name: u.display_name().to_string(),
            title: u.title.clone(),
            role: u.role.clone(),
            is_staff: u.role().is_staff(),
            reputation: u.reputation,
        }
    }
}

/// A thread in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub title: String,
    /// Canonical path (`/t/{id}/{slug}`).
    pub url: String,
    /// open, answered, solved or closed.
    pub status: String,
    pub category: CategoryRef,
    pub tags: Vec<String>,
    pub author: AuthorView,
    pub answer_count: i32,
    pub score: i32,
    pub has_staff_answer: bool,
    pub accepted_post_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub last_activity_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl From<&Category> for CategoryRef {
    fn from(c: &Category) -> Self {
        CategoryRef {
            id: c.id,
            slug: c.slug.clone(),
            name: c.name.clone(),
        }
    }
}

/// How to order a thread list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Most recent activity first.
    Activity,
    /// Newest questions first.
    Newest,
    /// Highest voted first.
    Votes,
}

impl Sort {
    pub fn parse(s: &str) -> AppResult<Sort> {
        match s {
            "" | "activity" => Ok(Sort::Activity),
            "newest" => Ok(Sort::Newest),
            "votes" => Ok(Sort::Votes),
            other => Err(AppError::invalid(format!(
                "unknown sort {other:?}: use activity, newest or votes"
            ))),
        }
    }
}

/// What a thread list shows.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub category_id: Option<i64>,
    pub tag_id: Option<i64>,
    pub status: Option<Status>,
    pub author_id: Option<i64>,
    pub sort: Sort,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl Default for ListFilter {
    fn default() -> Self {
        ListFilter {
            category_id: None,
            tag_id: None,
            status: None,
            author_id: None,
            sort: Sort::Activity,
            page: 1,
            per_page: 30,
        }
    }
}

/// One page of a thread list.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadList {
    pub threads: Vec<ThreadSummary>,
    pub page: i64,
    pub per_page: i64,
    pub has_more: bool,
}

/// Upper bound on pages so a crafted `page=` cannot make the database scan forever.
pub const MAX_PAGE: i64 = 10_000;

pub fn list_threads(conn: &mut DbConn, f: &ListFilter) -> AppResult<ThreadList> {
    if f.page < 1 || f.page > MAX_PAGE {
        return Err(AppError::invalid(format!(
            "page must be between 1 and {MAX_PAGE}"
        )));
    }
    let mut q = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .select((
            Thread::as_select(),
            User::as_select(),
            Category::as_select(),
        ))
        .into_boxed();
    if let Some(c) = f.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    if let Some(t) = f.tag_id {
        q = q.filter(
            threads::id.eq_any(
                thread_tags::table
                    .filter(thread_tags::tag_id.eq(t))
                    .select(thread_tags::thread_id),
            ),
        );
    }
    if let Some(s) = f.status {
        q = q.filter(threads::status.eq(s.as_str()));
    }
    if let Some(a) = f.author_id {
        q = q.filter(threads::author_id.eq(a));
    }
    q = match f.sort {
        Sort::Activity => q.order((threads::last_activity_at.desc(), threads::id.desc())),
        Sort::Newest => q.order(threads::id.desc()),
        Sort::Votes => q.order((threads::score.desc(), threads::id.desc())),
    };
    let rows: Vec<(Thread, User, Category)> = q
        .limit(f.per_page + 1)
        .offset((f.page - 1) * f.per_page)
        .load(conn)?;
    let has_more = rows.len() as i64 > f.per_page;
    let rows: Vec<_> = rows.into_iter().take(f.per_page as usize).collect();
    let threads = summarize(conn, rows)?;
    Ok(ThreadList {
        threads,
        page: f.page,
        per_page: f.per_page,
        has_more,
    })
}

pub(crate) fn summarize(
    conn: &mut DbConn,
    rows: Vec<(Thread, User, Category)>,
) -> AppResult<Vec<ThreadSummary>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (thread_id, name) in catalog::tags_for_threads(conn, &ids)? {
        tags.entry(thread_id).or_default().push(name);
    }
    Ok(rows
        .into_iter()
        .map(|(t, u, c)| ThreadSummary {
            url: t.path(),
            tags: tags.remove(&t.id).unwrap_or_default(),
            author: AuthorView::from(&u),
            category: CategoryRef::from(&c),
            id: t.id,
            title: t.title,
            status: t.status,
            answer_count: t.answer_count,
            score: t.score,
            has_staff_answer: t.has_staff_answer,
            accepted_post_id: t.accepted_post_id,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        })
        .collect())
}

/// A comment as shown.
#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    pub id: i64,
    pub author: AuthorView,
    pub body_html: String,
    pub created_at: NaiveDateTime,
    /// Written since the viewer's last visit (by someone else).
    pub is_new: bool,
}

/// A question or answer as shown.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub id: i64,
    /// `question` or `answer`.
    pub kind: String,
    pub author: AuthorView,
    /// Sanitised HTML, print with `|safe`.
    pub body_html: String,
    /// Plain text (for descriptions and structured data).
    pub body_text: String,
    pub score: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub revision_count: i32,
    /// This is the accepted answer.
    pub accepted: bool,
    pub comments: Vec<CommentView>,
    /// The viewer's vote: 1, -1 or 0.
    pub my_vote: i32,
    /// The viewer may edit it.
    pub can_edit: bool,
    /// The viewer may accept it (answers only, not already accepted).
    pub can_accept: bool,
    /// The viewer may vote on it (signed in, not the author).
    pub can_vote: bool,
    /// Written since the viewer's last visit (by someone else).
    pub is_new: bool,
}

/// The columns of a post a thread page shows (not the markdown source).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = posts)]
struct ShownPost {
    id: i64,
    author_id: i64,
    kind: String,
    body_html: String,
    body_text: String,
    score: i32,
    revision_count: i32,
    created_at: NaiveDateTime,
    edited_at: Option<NaiveDateTime>,
}

/// A whole thread as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadDetail {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
    pub category: CategoryRef,
    pub tags: Vec<String>,
    pub author: AuthorView,
    pub accepted_post_id: Option<i64>,
    pub answer_count: i32,
    pub score: i32,
    pub has_staff_answer: bool,
    pub created_at: NaiveDateTime,
    pub last_activity_at: NaiveDateTime,
    /// Closed as a duplicate of this thread.
    pub duplicate_of_id: Option<i64>,
    pub question: PostView,
    /// The asker's follow-ups, oldest first (shown with the question).
    pub followups: Vec<PostView>,
    /// Accepted answer first, then by votes, then oldest first.
    pub answers: Vec<PostView>,
    /// Staff-only notes, oldest first (empty for everyone else).
    pub internal_notes: Vec<PostView>,
    /// The viewer sees and writes internal notes.
    pub sees_internal: bool,
    /// The viewer may close or reopen it.
    pub can_moderate: bool,
    /// The viewer may answer (signed in and the thread is not closed).
    pub can_answer: bool,
    /// The row itself, for feature modules that add to the page (not serialised).
    #[serde(skip)]
    pub row: Thread,
}

pub fn thread_detail(conn: &mut DbConn, id: i64, viewer: Option<&User>) -> AppResult<ThreadDetail> {
    let thread = find_thread(conn, id)?;
    let category = catalog::find_category(conn, thread.category_id)?;
    let tags: Vec<String> = catalog::tags_for_threads(conn, &[thread.id])?
        .into_iter()
        .map(|t| t.1)
        .collect();
    let staff = sees_internal(viewer);
    let mut q = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread.id))
        .into_boxed();
    if !staff {
        q = q.filter(posts::kind.ne(INTERNAL));
    }
    let rows: Vec<(ShownPost, User)> = q
        .order(posts::id.asc())
        .select((ShownPost::as_select(), User::as_select()))
        .load(conn)?;
    let post_ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let mut comments_by_post: HashMap<i64, Vec<CommentView>> = HashMap::new();
    let comment_rows: Vec<(Comment, User)> = comments::table
        .inner_join(users::table)
        .filter(comments::post_id.eq_any(&post_ids))
        .order(comments::id.asc())
        .select((Comment::as_select(), User::as_select()))
        .load(conn)?;
    for (c, u) in comment_rows {
        comments_by_post
            .entry(c.post_id)
            .or_default()
            .push(CommentView {
                id: c.id,
                author: AuthorView::from(&u),
                body_html: c.body_html,
                created_at: c.created_at,
                is_new: false,
            });
    }
    let my_votes: HashMap<i64, i32> = match viewer {
        Some(v) => votes::table
            .filter(votes::user_id.eq(v.id))
            .filter(votes::post_id.eq_any(&post_ids))
            .select((votes::post_id, votes::value))
            .load::<(i64, i32)>(conn)?
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    let closed = thread.status == Status::Closed.as_str();
    let viewer_moderates = viewer.is_some_and(|v| v.role().can_moderate());
    let viewer_may_accept =
        viewer.is_some_and(|v| v.id == thread.author_id || v.role().can_moderate());
    let mut question = None;
    let mut answers = Vec::new();
    let mut internal_notes = Vec::new();
    let mut followups = Vec::new();
    let mut thread_author = None;
    for (p, u) in rows {
        let accepted = thread.accepted_post_id == Some(p.id);
        let view = PostView {
            can_edit: viewer.is_some_and(|v| super::can_edit(v, p.author_id)),
            can_accept: p.kind == ANSWER && !accepted && viewer_may_accept,
            can_vote: (p.kind == QUESTION || p.kind == ANSWER)
                && viewer.is_some_and(|v| v.id != p.author_id),
            is_new: false,
            my_vote: my_votes.get(&p.id).copied().unwrap_or(0),
            comments: comments_by_post.remove(&p.id).unwrap_or_default(),
            author: AuthorView::from(&u),
            id: p.id,
            kind: p.kind.clone(),
            body_html: p.body_html,
            body_text: p.body_text,
            score: p.score,
            created_at: p.created_at,
            edited_at: p.edited_at,
            revision_count: p.revision_count,
            accepted,
        };
        if p.kind == QUESTION && question.is_none() {
            thread_author = Some(view.author.clone());
            question = Some(view);
        } else if p.kind == INTERNAL {
            internal_notes.push(view);
        } else if p.kind == FOLLOWUP {
            followups.push(view);
        } else {
            answers.push(view);
        }
    }
    let question = question
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("thread {id} has no question post")))?;
    answers.sort_by(|a, b| {
        b.accepted
            .cmp(&a.accepted)
            .then(b.score.cmp(&a.score))
            .then(a.id.cmp(&b.id))
    });
    Ok(ThreadDetail {
        url: thread.path(),
        category: CategoryRef::from(&category),
        tags,
        author: thread_author.unwrap_or_else(|| question.author.clone()),
        id: thread.id,
        title: thread.title.clone(),
        status: thread.status.clone(),
        accepted_post_id: thread.accepted_post_id,
        answer_count: thread.answer_count,
        score: thread.score,
        has_staff_answer: thread.has_staff_answer,
        created_at: thread.created_at,
        last_activity_at: thread.last_activity_at,
        duplicate_of_id: thread.duplicate_of_id,
        question,
        followups,
        answers,
        internal_notes,
        sees_internal: staff,
        can_moderate: viewer_moderates,
        can_answer: viewer.is_some() && !closed,
        row: thread,
    })
}

/// An answer in a user's activity list.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRef {
    pub post_id: i64,
    pub thread_title: String,
    /// Link to the answer inside its thread.
    pub url: String,
    pub score: i32,
    pub accepted: bool,
    pub created_at: NaiveDateTime,
}

/// A user's public profile with their questions and answers.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub user: AuthorView,
    pub bio: String,
    pub member_since: NaiveDateTime,
    pub questions: Vec<ThreadSummary>,
    pub answers: Vec<AnswerRef>,
}

pub fn profile(conn: &mut DbConn, user: &User) -> AppResult<Profile> {
    let questions = list_threads(
        conn,
        &ListFilter {
            author_id: Some(user.id),
            sort: Sort::Newest,
            per_page: 20,
            ..Default::default()
        },
    )?
    .threads;
    let rows: Vec<(i64, i32, NaiveDateTime, i64, String, Option<i64>)> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user.id))
        .filter(posts::kind.eq(ANSWER))
        .order(posts::id.desc())
        .limit(20)
        .select((
            posts::id,
            posts::score,
            posts::created_at,
            threads::id,
            threads::title,
            threads::accepted_post_id,
        ))
        .load(conn)?;
    let answers = rows
        .into_iter()
        .map(|(pid, score, created_at, tid, title, accepted)| AnswerRef {
            post_id: pid,
            url: format!("{}#post-{pid}", thread_path(tid, &title)),
            thread_title: title,
            score,
            accepted: accepted == Some(pid),
            created_at,
        })
        .collect();
    Ok(Profile {
        user: AuthorView::from(user),
        bio: user.bio.clone(),
        member_since: user.created_at,
        questions,
        answers,
    })
}

/// The signed-in asker's open threads (not solved or closed), newest activity first.
pub fn open_threads_of(
    conn: &mut DbConn,
    author_id: i64,
    limit: i64,
) -> AppResult<Vec<(i64, String, String)>> {
    Ok(threads::table
        .filter(threads::author_id.eq(author_id))
        .filter(threads::status.eq_any([
            super::Status::Open.as_str(),
            super::Status::Answered.as_str(),
        ]))
        .order(threads::last_activity_at.desc())
        .limit(limit)
        .select((threads::id, threads::title, threads::status))
        .load(conn)?)
}
