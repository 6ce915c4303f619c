//! Read models: threads as listed, a thread as shown (question, a page of answers, comments) and
//! a user's activity. These are what templates and the API serialise.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::visibility::{ensure_post_visible, may_see, visible_thread, VISIBLE};
use super::{
    find_post, find_thread, sees_internal, Comment, Status, Thread, ANSWER, FOLLOWUP, INTERNAL,
    QUESTION,
};
use crate::accounts::User;
use crate::catalog::{self, Category};
use crate::db::schema::{
    categories, comments, held_edits, posts, thread_tags, threads, users, votes,
};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;

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
    /// Trust level 0-4 and when they joined (the name's card).
    pub trust_level: i32,
    pub member_since: NaiveDateTime,
    /// The asker of a question published as "a customer": shown without name or link.
    pub anonymous: bool,
}

impl AuthorView {
    /// Who asked a thread published as "a customer", as others see them.
    pub fn anonymous() -> AuthorView {
        AuthorView {
            id: 0,
            handle: String::new(),
            name: String::new(),
            title: String::new(),
            role: "member".into(),
            is_staff: false,
            reputation: 0,
            trust_level: 0,
            member_since: NaiveDateTime::default(),
            anonymous: true,
        }
    }

    /// `user` as `viewer` sees them on `thread`: the asker of a thread published as "a
    /// customer" is anonymous to everyone but themselves and staff.
    pub fn on_thread(user: &User, thread: &Thread, viewer: Option<&User>) -> AuthorView {
        if user.id == thread.author_id && hides_asker(thread, viewer) {
            AuthorView::anonymous()
        } else {
            AuthorView::from(user)
        }
    }
}

/// Whether `viewer` sees the asker of `thread` as "a customer".
pub fn hides_asker(thread: &Thread, viewer: Option<&User>) -> bool {
    thread.asker_anonymous()
        && !viewer.is_some_and(|v| v.id == thread.author_id || v.role().is_staff())
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
            trust_level: u.trust_level,
            member_since: u.created_at,
            anonymous: false,
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
    /// Pinned to the top of its category.
    pub pinned: bool,
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
            other => Err(AppError::invalid(msg!(
                "threads-unknown-sort",
                sort = other
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

/// What "Recommended by staff" adds to an answer's score when answers are ordered.
pub const RECOMMENDED_WEIGHT: i32 = 5;

/// Pinned threads shown at the top of a category, at most.
const MAX_PINNED: i64 = 10;

pub fn list_threads(conn: &mut DbConn, f: &ListFilter) -> AppResult<ThreadList> {
    if f.page < 1 || f.page > MAX_PAGE {
        return Err(AppError::invalid(msg!(
            "threads-page-range",
            max = MAX_PAGE
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
        // Held, hidden, deleted, unlisted and merged threads are in no list.
        .filter(threads::state.eq(VISIBLE))
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
        // Threads published as "a customer" never lead back to their asker.
        q = q
            .filter(threads::author_id.eq(a))
            .filter(threads::privacy.ne(super::ANONYMOUS));
    }
    // In a category, pinned threads come first, on the first page, from a query of their own
    // (so the main one still walks its index in order).
    let mut pinned: Vec<(Thread, User, Category)> = Vec::new();
    if let (Some(c), None, None, None) = (f.category_id, f.tag_id, f.status, f.author_id) {
        q = q.filter(threads::pinned_at.is_null());
        if f.page == 1 {
            pinned = threads::table
                .inner_join(users::table)
                .inner_join(categories::table)
                .filter(threads::category_id.eq(c))
                .filter(threads::state.eq(VISIBLE))
                .filter(threads::pinned_at.is_not_null())
                .order(threads::pinned_at.desc())
                .limit(MAX_PINNED)
                .select((
                    Thread::as_select(),
                    User::as_select(),
                    Category::as_select(),
                ))
                .load(conn)?;
        }
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
    let rows: Vec<_> = pinned
        .into_iter()
        .chain(rows.into_iter().take(f.per_page as usize))
        .collect();
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
            // Lists are the same for everyone (and cached): "a customer" there for all.
            author: if t.asker_anonymous() {
                AuthorView::anonymous()
            } else {
                AuthorView::from(&u)
            },
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
            pinned: t.pinned_at.is_some(),
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
    /// visible, held, hidden or deleted (only its author and moderators see the others).
    pub state: String,
    /// Why it is not visible, as its author reads it.
    pub state_note: Option<Msg>,
    /// How the note starts: the state, or `flagged` (hidden by members' flags, not a person).
    pub note_state: String,
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
    /// visible, held, hidden or deleted (only its author and moderators see the others).
    pub state: String,
    /// Why it is not visible, as its author reads it.
    pub state_note: Option<Msg>,
    /// How the note starts: the state, or `flagged` (hidden by members' flags, not a person).
    pub note_state: String,
    /// An edit of it waits for a moderator (shown to its editor and moderators).
    pub edit_pending: bool,
    /// "Recommended by staff": by whom.
    pub recommended_by: Option<AuthorView>,
}

/// The reason shown with a post that is not visible.
fn state_note(state: &str, reason: &str) -> Option<Msg> {
    (state != VISIBLE).then(|| crate::screen::reason_message(reason))
}

/// `flagged` for a post hidden by members' flags (no moderator has acted yet), else its state.
fn note_state(state: &str, reason: &str) -> String {
    if state == super::State::Hidden.as_str() && reason == "@flags" {
        "flagged".to_string()
    } else {
        state.to_string()
    }
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
    state: String,
    state_reason: String,
    recommended_by: Option<i64>,
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
    /// Why it was closed (empty: no reason given).
    pub close_reason: String,
    /// Pinned to the top of its category.
    pub pinned: bool,
    /// Locked by a moderator (no new posts), and why.
    pub locked: bool,
    pub lock_reason: String,
    /// visible, held, hidden, deleted or unlisted (only the asker and moderators open the
    /// others).
    pub state: String,
    pub question: PostView,
    /// The asker's follow-ups, oldest first (shown with the question, on every page).
    pub followups: Vec<PostView>,
    /// This page of answers: the accepted answer first, then by votes, then oldest first.
    pub answers: Vec<PostView>,
    /// Which page of answers this is, and the links to the others.
    pub pages: AnswerPages,
    /// Every answer of the thread in page order, with its page: for links to answers on other
    /// pages, the timeline and what is new (not serialised).
    #[serde(skip)]
    pub all_answers: Vec<AnswerPlace>,
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

/// Answers on a thread page, unless the API asks for another number (`per_page`).
pub const ANSWERS_PER_PAGE: i64 = 30;
/// The most answers one page may ask for.
pub const MAX_ANSWERS_PER_PAGE: i64 = 100;
/// A page of answers also ends once its answers and their comments hold this much HTML (bytes),
/// so a page stays small whatever the answers: this, plus at most one more answer (its HTML is
/// at most `render::markdown::MAX_HTML_BYTES`) with its comments. A page has at least one answer.
pub const PAGE_HTML_BUDGET: i64 = 512 * 1024;

/// Which page of a thread's answers to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: ANSWERS_PER_PAGE,
        }
    }
}

impl Paging {
    /// From `?page=&per_page=` (missing: the first page, `ANSWERS_PER_PAGE`).
    pub fn parse(page: Option<i64>, per_page: Option<i64>) -> AppResult<Paging> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(ANSWERS_PER_PAGE);
        if page < 1 {
            return Err(AppError::invalid(msg!("threads-page-starts-at-one")));
        }
        if !(1..=MAX_ANSWERS_PER_PAGE).contains(&per_page) {
            return Err(AppError::invalid(msg!(
                "threads-per-page-range",
                max = MAX_ANSWERS_PER_PAGE
            )));
        }
        Ok(Paging { page, per_page })
    }
}

/// Where one answer of a thread is shown, and what "since your last visit" and the timeline
/// need to know about it without loading it.
#[derive(Debug, Clone)]
pub struct AnswerPlace {
    pub id: i64,
    pub author_id: i64,
    pub created_at: NaiveDateTime,
    /// The page it is on (1-based) at the page size asked for.
    pub page: i64,
    /// The page of the thread's HTML pages it is on (`ANSWERS_PER_PAGE`), which links name.
    pub link_page: i64,
}

/// One link of a thread's page list.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: i64,
    pub url: String,
    /// The page shown.
    pub current: bool,
    /// Pages left out before this one ("…").
    pub gap_before: bool,
}

/// The pages of a thread's answers, as the page and the API show them.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerPages {
    /// This page (1-based).
    pub page: i64,
    /// At most this many answers per page (fewer when they are large).
    pub per_page: i64,
    /// How many pages the answers fill (at least 1).
    pub page_count: i64,
    /// Pages follow this one.
    pub has_more: bool,
    /// This page's URL (page 1: the thread's canonical path, with no query).
    pub url: String,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The first and last pages and those around this one, in order; empty with one page.
    pub links: Vec<PageLink>,
}

/// The path of page `page` of the thread at `path`: page 1 is the thread's own path.
pub fn page_path(path: &str, page: i64) -> String {
    if page <= 1 {
        path.to_string()
    } else {
        format!("{path}?page={page}")
    }
}

impl AnswerPages {
    fn new(path: &str, page: i64, per_page: i64, page_count: i64) -> AnswerPages {
        let links = if page_count > 1 {
            let shown = |n: i64| n == 1 || n == page_count || (page - 2..=page + 2).contains(&n);
            let mut last = 0;
            (1..=page_count)
                .filter(|n| shown(*n))
                .map(|n| {
                    let link = PageLink {
                        number: n,
                        url: page_path(path, n),
                        current: n == page,
                        gap_before: n > last + 1,
                    };
                    last = n;
                    link
                })
                .collect()
        } else {
            Vec::new()
        };
        AnswerPages {
            page,
            per_page,
            page_count,
            has_more: page < page_count,
            url: page_path(path, page),
            prev_url: (page > 1).then(|| page_path(path, page - 1)),
            next_url: (page < page_count).then(|| page_path(path, page + 1)),
            links,
        }
    }
}

/// Every answer of a thread in page order (accepted first, then by score, then oldest first)
/// with its page: a page ends after `per_page` answers, or before the answer that would take
/// its HTML (with comments) past `PAGE_HTML_BUDGET`. Reads sizes, never the texts.
fn answer_places(
    conn: &mut DbConn,
    thread: &Thread,
    per_page: i64,
    viewer: Option<&User>,
) -> AppResult<Vec<AnswerPlace>> {
    let mut q = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::kind.eq(ANSWER))
        .select((
            posts::id,
            posts::author_id,
            posts::score,
            posts::created_at,
            posts::html_bytes,
            posts::recommended_by.is_not_null(),
        ))
        .into_boxed();
    // Everyone sees visible answers; authors also their own others, moderators all.
    match viewer {
        Some(v) if v.role().can_moderate() => {}
        Some(v) => q = q.filter(posts::state.eq(VISIBLE).or(posts::author_id.eq(v.id))),
        None => q = q.filter(posts::state.eq(VISIBLE)),
    }
    let mut rows: Vec<(i64, i64, i32, NaiveDateTime, i32, bool)> = q.load(conn)?;
    // "Recommended by staff" ranks like a strong vote.
    let rank = |r: &(i64, i64, i32, NaiveDateTime, i32, bool)| {
        r.2 + if r.5 { RECOMMENDED_WEIGHT } else { 0 }
    };
    let comment_bytes: HashMap<i64, i64> = comments::table
        .inner_join(posts::table)
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::kind.eq(ANSWER))
        .group_by(comments::post_id)
        .select((comments::post_id, diesel::dsl::sum(comments::html_bytes)))
        .load::<(i64, Option<i64>)>(conn)?
        .into_iter()
        .map(|(id, bytes)| (id, bytes.unwrap_or(0)))
        .collect();
    let accepted = thread.accepted_post_id;
    rows.sort_by(|a, b| {
        (accepted == Some(b.0))
            .cmp(&(accepted == Some(a.0)))
            .then(rank(b).cmp(&rank(a)))
            .then(a.0.cmp(&b.0))
    });
    let sizes: Vec<i64> = rows
        .iter()
        .map(|r| i64::from(r.4) + comment_bytes.get(&r.0).copied().unwrap_or(0))
        .collect();
    let pages = cut_pages(sizes.iter().copied(), per_page, PAGE_HTML_BUDGET);
    let link_pages = if per_page == ANSWERS_PER_PAGE {
        pages.clone()
    } else {
        cut_pages(sizes, ANSWERS_PER_PAGE, PAGE_HTML_BUDGET)
    };
    Ok(rows
        .into_iter()
        .zip(pages.into_iter().zip(link_pages))
        .map(
            |((id, author_id, _, created_at, _, _), (page, link_page))| AnswerPlace {
                id,
                author_id,
                created_at,
                page,
                link_page,
            },
        )
        .collect())
}

/// The page (1-based) of each of a list of items of these sizes, in order: a page ends after
/// `per_page` items, or before the item that would take it past `budget`; every page has at
/// least one item, however large.
fn cut_pages(sizes: impl IntoIterator<Item = i64>, per_page: i64, budget: i64) -> Vec<i64> {
    let (mut page, mut on_page, mut bytes) = (1, 0, 0);
    sizes
        .into_iter()
        .map(|size| {
            if on_page > 0 && (on_page == per_page || bytes + size > budget) {
                page += 1;
                on_page = 0;
                bytes = 0;
            }
            on_page += 1;
            bytes += size;
            page
        })
        .collect()
}

/// The path of a post inside its thread, on the page it is on now (default page size):
/// `/t/{id}/{slug}?page=3#post-{post}`. Internal notes are not found for those who may not see
/// them.
pub fn post_path(conn: &mut DbConn, post_id: i64, viewer: Option<&User>) -> AppResult<String> {
    let post = find_post(conn, post_id)?;
    ensure_post_visible(&post, viewer)?;
    let thread = find_thread(conn, post.thread_id)?;
    super::ensure_thread_visible(conn, &thread, viewer)?;
    let page = if post.kind == ANSWER {
        answer_places(conn, &thread, ANSWERS_PER_PAGE, viewer)?
            .iter()
            .find(|a| a.id == post.id)
            .map_or(1, |a| a.page)
    } else {
        1
    };
    Ok(format!(
        "{}#post-{post_id}",
        page_path(&thread.path(), page)
    ))
}

/// Comments since `since` by others than `viewer_id` on a thread's public posts (question,
/// follow-ups, every answer on every page): "since your last visit".
pub fn comments_since(
    conn: &mut DbConn,
    thread_id: i64,
    since: NaiveDateTime,
    viewer_id: i64,
) -> AppResult<i64> {
    Ok(comments::table
        .inner_join(posts::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::kind.ne(INTERNAL))
        .filter(posts::state.eq(VISIBLE))
        .filter(comments::state.eq(VISIBLE))
        .filter(comments::created_at.gt(since))
        .filter(comments::author_id.ne(viewer_id))
        .count()
        .get_result(conn)?)
}

impl ThreadDetail {
    /// A link from this page to a post of the thread: `#post-{id}` when it is on this page (the
    /// question and follow-ups are on every page), else the path of the thread page it is on,
    /// with the anchor (an API page of another size links to the thread's HTML pages).
    pub fn link_to(&self, post_id: i64) -> String {
        let here =
            |a: &AnswerPlace| self.pages.per_page == ANSWERS_PER_PAGE && a.page == self.pages.page;
        match self.all_answers.iter().find(|a| a.id == post_id) {
            Some(a) if !here(a) => {
                format!("{}#post-{post_id}", page_path(&self.url, a.link_page))
            }
            _ => format!("#post-{post_id}"),
        }
    }
}

/// A thread as shown to `viewer`: the question, follow-ups, internal notes (staff) and one page
/// of answers. A page past the last is not found.
pub fn thread_detail(
    conn: &mut DbConn,
    id: i64,
    viewer: Option<&User>,
    paging: Paging,
) -> AppResult<ThreadDetail> {
    let thread = visible_thread(conn, id, viewer)?;
    let all_answers = answer_places(conn, &thread, paging.per_page, viewer)?;
    let page_count = all_answers.last().map_or(1, |a| a.page);
    if paging.page > page_count {
        return Err(AppError::NotFound(msg!(
            "threads-no-such-page",
            page = paging.page,
            pages = page_count
        )));
    }
    let on_page: Vec<i64> = all_answers
        .iter()
        .filter(|a| a.page == paging.page)
        .map(|a| a.id)
        .collect();
    let category = catalog::find_category(conn, thread.category_id)?;
    let tags: Vec<String> = catalog::tags_for_threads(conn, &[thread.id])?
        .into_iter()
        .map(|t| t.1)
        .collect();
    let staff = sees_internal(viewer);
    let mut q = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::kind.ne(ANSWER).or(posts::id.eq_any(&on_page)))
        .into_boxed();
    if !staff {
        q = q.filter(posts::kind.ne(INTERNAL));
    }
    let moderates = viewer.is_some_and(|v| v.role().can_moderate());
    let rows: Vec<(ShownPost, User)> = q
        .order(posts::id.asc())
        .select((ShownPost::as_select(), User::as_select()))
        .load::<(ShownPost, User)>(conn)?
        .into_iter()
        // The question shows whenever the thread does (its state is the thread's).
        .filter(|(p, _)| p.kind == QUESTION || may_see(viewer, p.author_id, &p.state))
        .collect();
    let post_ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let mut comments_by_post: HashMap<i64, Vec<CommentView>> = HashMap::new();
    let comment_rows: Vec<(Comment, User)> = comments::table
        .inner_join(users::table)
        .filter(comments::post_id.eq_any(&post_ids))
        .order(comments::id.asc())
        .select((Comment::as_select(), User::as_select()))
        .load(conn)?;
    for (c, u) in comment_rows {
        if !moderates && !may_see(viewer, c.author_id, &c.state) {
            continue;
        }
        comments_by_post
            .entry(c.post_id)
            .or_default()
            .push(CommentView {
                id: c.id,
                author: AuthorView::on_thread(&u, &thread, viewer),
                body_html: c.body_html,
                created_at: c.created_at,
                is_new: false,
                state_note: state_note(&c.state, &c.state_reason),
                note_state: note_state(&c.state, &c.state_reason),
                state: c.state,
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
    // Held edits the viewer should know of: their own, or all for moderators.
    let pending_edits: Vec<i64> = match viewer {
        Some(v) => {
            let mut q = held_edits::table
                .filter(held_edits::post_id.eq_any(&post_ids))
                .select(held_edits::post_id)
                .into_boxed();
            if !moderates {
                q = q.filter(held_edits::editor_id.eq(v.id));
            }
            q.load(conn)?
        }
        None => Vec::new(),
    };
    // Who recommended which answers.
    let recommenders: Vec<i64> = rows.iter().filter_map(|r| r.0.recommended_by).collect();
    let recommenders: HashMap<i64, AuthorView> = if recommenders.is_empty() {
        HashMap::new()
    } else {
        users::table
            .filter(users::id.eq_any(&recommenders))
            .select(User::as_select())
            .load::<User>(conn)?
            .iter()
            .map(|u| (u.id, AuthorView::from(u)))
            .collect()
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
            author: AuthorView::on_thread(&u, &thread, viewer),
            id: p.id,
            kind: p.kind.clone(),
            body_html: p.body_html,
            body_text: p.body_text,
            score: p.score,
            created_at: p.created_at,
            edited_at: p.edited_at,
            revision_count: p.revision_count,
            accepted,
            state_note: state_note(&p.state, &p.state_reason),
            note_state: note_state(&p.state, &p.state_reason),
            state: p.state,
            edit_pending: pending_edits.contains(&p.id),
            recommended_by: p
                .recommended_by
                .and_then(|id| recommenders.get(&id).cloned()),
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
    // In the order the pages were cut in (accepted, score, age).
    answers.sort_by_key(|a| on_page.iter().position(|id| *id == a.id));
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
        close_reason: thread.close_reason.clone(),
        pinned: thread.pinned_at.is_some(),
        locked: thread.locked_at.is_some(),
        lock_reason: thread.lock_reason.clone(),
        state: thread.state.clone(),
        pages: AnswerPages::new(&thread.path(), paging.page, paging.per_page, page_count),
        all_answers,
        question,
        followups,
        answers,
        internal_notes,
        sees_internal: staff,
        can_moderate: viewer_moderates,
        can_answer: viewer.is_some()
            && !closed
            && thread.locked_at.is_none()
            && thread.state != super::State::Deleted.as_str(),
        row: thread,
    })
}

/// An answer in a user's activity list.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRef {
    pub post_id: i64,
    pub thread_title: String,
    /// Link to the answer (`/p/{id}`, which finds its page).
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
    let rows: Vec<(i64, i32, NaiveDateTime, String, Option<i64>)> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user.id))
        .filter(posts::kind.eq(ANSWER))
        .filter(posts::state.eq(VISIBLE))
        .filter(threads::state.eq(VISIBLE))
        .order(posts::id.desc())
        .limit(20)
        .select((
            posts::id,
            posts::score,
            posts::created_at,
            threads::title,
            threads::accepted_post_id,
        ))
        .load(conn)?;
    let answers = rows
        .into_iter()
        .map(|(pid, score, created_at, title, accepted)| AnswerRef {
            post_id: pid,
            url: format!("/p/{pid}"),
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
        .filter(threads::merged_into_id.is_null())
        .filter(threads::status.eq_any([
            super::Status::Open.as_str(),
            super::Status::Answered.as_str(),
        ]))
        .order(threads::last_activity_at.desc())
        .limit(limit)
        .select((threads::id, threads::title, threads::status))
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_end_by_count_or_by_size() {
        assert_eq!(cut_pages([], 30, 100), Vec::<i64>::new());
        assert_eq!(cut_pages([1, 1, 1, 1, 1], 2, 100), [1, 1, 2, 2, 3]);
        // By size: what would go past the budget starts the next page.
        assert_eq!(cut_pages([40, 40, 40, 10, 90], 30, 100), [1, 1, 2, 2, 3]);
        // Exactly the budget fits; a single item past it still gets its own page.
        assert_eq!(cut_pages([50, 50, 500, 1], 30, 100), [1, 1, 2, 3]);
    }

    #[test]
    fn page_links_show_the_ends_and_the_neighbourhood() {
        let p = AnswerPages::new("/t/1/x", 1, 30, 1);
        assert!(p.links.is_empty() && p.prev_url.is_none() && p.next_url.is_none());
        assert_eq!(p.url, "/t/1/x");
        let p = AnswerPages::new("/t/1/x", 7, 30, 20);
        let numbers: Vec<i64> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 5, 6, 7, 8, 9, 20]);
        let gaps: Vec<bool> = p.links.iter().map(|l| l.gap_before).collect();
        assert_eq!(gaps, [false, true, false, false, false, false, true]);
        assert!(p.links[3].current);
        assert_eq!(p.url, "/t/1/x?page=7");
        assert_eq!(p.prev_url.as_deref(), Some("/t/1/x?page=6"));
        assert_eq!(p.next_url.as_deref(), Some("/t/1/x?page=8"));
        assert!(p.has_more);
        let p = AnswerPages::new("/t/1/x", 2, 30, 2);
        assert_eq!(
            p.prev_url.as_deref(),
            Some("/t/1/x"),
            "page 1 is the thread's path"
        );
        assert!(!p.has_more && p.next_url.is_none());
    }

    #[test]
    fn paging_is_checked() {
        assert_eq!(Paging::parse(None, None).ok(), Some(Paging::default()));
        assert!(Paging::parse(Some(0), None).is_err());
        assert!(Paging::parse(Some(1), Some(0)).is_err());
        assert!(Paging::parse(Some(1), Some(MAX_ANSWERS_PER_PAGE + 1)).is_err());
        assert_eq!(
            Paging::parse(Some(3), Some(5)).ok(),
            Some(Paging {
                page: 3,
                per_page: 5
            })
        );
    }
}

/// A thread someone asked, as the admin's page on that person lists it: whatever its state or
/// privacy (the page is for admins only).
#[derive(Debug, Clone, Serialize)]
pub struct AuthoredThread {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// open, answered, solved or closed.
    pub status: String,
    /// visible, held, hidden, deleted, unlisted or merged.
    pub state: String,
    /// public, private or anonymous.
    pub privacy: String,
    pub answer_count: i32,
    pub created_at: NaiveDateTime,
}

/// The newest `limit` threads `author_id` asked, every state and privacy included, and how
/// many they asked in all. Only for admins (callers check): private and hidden ones are here.
pub fn authored_by(
    conn: &mut DbConn,
    author_id: i64,
    limit: i64,
) -> AppResult<(Vec<AuthoredThread>, i64)> {
    let total: i64 = threads::table
        .filter(threads::author_id.eq(author_id))
        .count()
        .get_result(conn)?;
    let rows: Vec<Thread> = threads::table
        .filter(threads::author_id.eq(author_id))
        .order(threads::id.desc())
        .limit(limit)
        .select(Thread::as_select())
        .load(conn)?;
    let threads = rows
        .into_iter()
        .map(|t| AuthoredThread {
            url: t.path(),
            id: t.id,
            title: t.title,
            status: t.status,
            state: t.state,
            privacy: t.privacy,
            answer_count: t.answer_count,
            created_at: t.created_at,
        })
        .collect();
    Ok((threads, total))
}
