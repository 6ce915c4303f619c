//! One function per user intent that spans the Q&A core, the knowledge base and the support
//! desk: the page handler and the API handler both call these, so a rule added here holds for
//! both. (Intents that touch one module only — vote, accept, close, edit — live in that module.)

use chrono::NaiveDateTime;

use super::context::{thread_support, ThreadSupport};
use super::setup::{self, Attach};
use crate::accounts::User;
use crate::catalog::{self, Category, CategoryInput};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::kb::{self, ThreadKb};
use crate::screen::Gate;
use crate::threads::{
    self as qa, Comment, CommentBody, MarkdownBody, NewQuestion, Paging, Post, Thread,
};

/// A question just asked.
pub struct Asked {
    pub thread: Thread,
    /// Setup entries that did not fit on the question (at most `setup::MAX_ATTACHED` go).
    pub setup_left_out: usize,
}

/// Asks a question in the category named by `category_key` (slug or id) and attaches the
/// asker's setup, in one transaction. Too many setup entries never fail the question: those
/// that fit are attached.
pub fn ask(
    conn: &mut DbConn,
    gate: &Gate,
    asker: &User,
    category_key: &str,
    question: NewQuestion,
    attach: Attach,
) -> AppResult<Asked> {
    let category = catalog::resolve_category(conn, category_key)?;
    let thread = qa::ask(conn, gate, asker, &category, question)?;
    let setup_left_out = setup::attach(conn, asker, thread.id, &category, attach)?;
    Ok(Asked {
        thread,
        setup_left_out,
    })
}

/// Answers a thread; a staff answer keeps the thread's open promises (a promise belongs to
/// the team). Returns the
/// answer and the thread as it is now.
pub fn answer(
    conn: &mut DbConn,
    gate: &Gate,
    author: &User,
    thread_id: i64,
    body: MarkdownBody,
) -> AppResult<(Post, Thread)> {
    let (post, thread) = qa::answer(conn, gate, author, thread_id, body)?;
    super::keep_promises_by_reply(conn, thread.id, author, post.created_at, post.id)?;
    Ok((post, thread))
}

/// Comments on a post; a public staff comment keeps the thread's promises like an answer.
/// Returns the comment and its thread.
pub fn comment(
    conn: &mut DbConn,
    gate: &Gate,
    author: &User,
    post_id: i64,
    body: CommentBody,
) -> AppResult<(Comment, Thread)> {
    let c = qa::comment(conn, gate, author, post_id, body)?;
    let post = qa::find_post(conn, c.post_id)?;
    if post.kind != qa::INTERNAL {
        super::keep_promises_by_reply(conn, post.thread_id, author, c.created_at, post.id)?;
    }
    Ok((c, qa::find_thread(conn, post.thread_id)?))
}

/// Everything shown about a thread, to page and API alike: the thread with its question,
/// follow-ups and one page of answers (`paging`), its knowledge-base article or duplicate, and
/// the support desk's view (timeline, target, setup, promises; for staff the assignment and
/// customer context), which every page has. `seen_at` (the viewer's last visit) marks what is
/// new.
pub struct ThreadView {
    pub thread: qa::ThreadDetail,
    pub kb: ThreadKb,
    pub support: ThreadSupport,
}

pub fn thread_view(
    conn: &mut DbConn,
    id: i64,
    viewer: Option<&User>,
    seen_at: Option<NaiveDateTime>,
    paging: Paging,
) -> AppResult<ThreadView> {
    let mut thread = qa::thread_detail(conn, id, viewer, paging)?;
    let kb = kb::thread_kb(conn, &thread, viewer)?;
    let support = thread_support(conn, &mut thread, kb.article.as_ref(), viewer, seen_at)?;
    Ok(ThreadView {
        thread,
        kb,
        support,
    })
}

/// Creates a category (admins) with its first-response target.
pub fn create_category(
    conn: &mut DbConn,
    admin: &User,
    input: CategoryInput,
    target_minutes: Option<i32>,
) -> AppResult<Category> {
    let c = catalog::create_category(conn, input)?;
    super::set_category_target(conn, c.id, target_minutes)?;
    super::setting_changed(conn, admin, "category", "created", c.id, &c.slug)?;
    catalog::find_category(conn, c.id)
}

/// Renames or re-describes a category and sets its first-response target (admins); its
/// threads are re-indexed and the deadlines of those still waiting move.
pub fn update_category(
    conn: &mut DbConn,
    admin: &User,
    id: i64,
    input: CategoryInput,
    target_minutes: Option<i32>,
) -> AppResult<Category> {
    catalog::update_category(conn, admin.id, id, input)?;
    super::set_category_target(conn, id, target_minutes)?;
    catalog::find_category(conn, id)
}

/// Deletes a category no thread and no customer setup names (admins).
pub fn delete_category(conn: &mut DbConn, admin: &User, id: i64) -> AppResult<()> {
    let category = catalog::find_category(conn, id)?;
    // Customers' setups name it as their product (saved, or attached to questions).
    let in_setups = setup::uses_of_product(conn, id)?;
    if in_setups > 0 {
        return Err(AppError::Conflict(crate::msg!(
            "support-category-in-setups",
            count = in_setups
        )));
    }
    catalog::delete_category(conn, id)?;
    super::setting_changed(conn, admin, "category", "deleted", id, &category.slug)
}
