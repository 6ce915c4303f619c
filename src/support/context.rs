//! Everything the support desk adds to a thread page: the timeline, the first-response target,
//! the attached setup, promises, and — for staff — the assignment, the forms' choices and the
//! customer context panel (the asker's setup, their other threads, previous staff contact).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::setup::{self, SetupView};
use super::timeline::{self, SinceVisit, TimelineEntry};
use super::{GroupView, ResponseTarget};
use crate::accounts::User;
use crate::db::schema::{comments, posts, staff_groups, threads, users};
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::threads::{self as qa, AuthorView, Status, Thread, ThreadDetail};

/// The current assignment (staff only).
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub assignee: Option<AuthorView>,
    pub group: Option<String>,
    /// The viewer is the assignee or in the group.
    pub mine: bool,
}

/// An open promise, for the keep button and the customer's "follow-up due" line.
#[derive(Debug, Clone, Serialize)]
pub struct OpenPromise {
    pub id: i64,
    pub by: AuthorView,
    pub due_at: NaiveDateTime,
    pub note: String,
    /// `due` or `overdue` or `open`.
    pub state: &'static str,
}

/// A thread in the context panel.
#[derive(Debug, Clone, Serialize)]
pub struct OtherThread {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

/// A staff reply on another of the customer's threads.
#[derive(Debug, Clone, Serialize)]
pub struct StaffContact {
    pub staff: AuthorView,
    pub thread_title: String,
    pub url: String,
    pub at: NaiveDateTime,
}

/// The customer context panel: what staff need to know without asking.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerContext {
    pub customer: AuthorView,
    pub member_since: NaiveDateTime,
    pub email: String,
    /// Their saved setup, private entries included.
    pub setup: Vec<SetupView>,
    /// Their other threads, newest first.
    pub other_threads: Vec<OtherThread>,
    /// Staff who replied to them before, newest first.
    pub staff_contact: Vec<StaffContact>,
}

/// What the support desk adds to a thread (page and API).
#[derive(Debug, Clone, Serialize)]
pub struct ThreadSupport {
    pub timeline: Vec<TimelineEntry>,
    /// Against the category's first-response target (None: no target).
    pub target: Option<ResponseTarget>,
    /// The setup attached to the question, as the viewer may see it.
    pub setup: Vec<SetupView>,
    pub open_promises: Vec<OpenPromise>,
    /// What changed since the viewer's last visit.
    pub since_visit: Option<SinceVisit>,
    /// The viewer is the asker and may add a follow-up.
    pub can_follow_up: bool,
    /// The viewer works the desk (assign, promise, context).
    pub is_staff: bool,
    /// Staff only from here on.
    pub assignment: Option<Assignment>,
    pub context: Option<CustomerContext>,
    pub staff: Vec<AuthorView>,
    pub groups: Vec<GroupView>,
    /// Private questions: what the viewer may do about the thread's privacy.
    pub privacy: PrivacyView,
    /// "I still need help": the asker's request for a person.
    pub person: PersonView,
}

/// A thread's privacy as the viewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PrivacyView {
    pub private: bool,
    /// Published as "a customer".
    pub anonymous: bool,
    /// Staff offered to publish it and the asker has not answered.
    pub publish_offered: bool,
    /// The viewer (its asker or staff) may make it private.
    pub can_make_private: bool,
    /// The viewer (staff) may offer to publish it.
    pub can_offer: bool,
    /// The viewer is the asker of a private thread: they may publish it.
    pub can_publish: bool,
}

/// The asker's request for a person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    /// When the asker last asked for a person.
    pub requested_at: Option<NaiveDateTime>,
    /// No staff reply since the request.
    pub waiting: bool,
    /// The viewer is the asker and may ask now.
    pub can_request: bool,
    /// Who picked the request up (the thread's assignee), shown to the asker.
    pub picked_up_by: Option<AuthorView>,
}

/// Builds the support view of a thread for `viewer`. `seen_at`: the viewer's previous visit,
/// which marks what is new in `detail`; `article`: the thread's knowledge-base article (from
/// `kb::thread_kb`, already loaded for the page).
pub fn thread_support(
    conn: &mut DbConn,
    detail: &mut ThreadDetail,
    article: Option<&crate::kb::ArticleRef>,
    viewer: Option<&User>,
    seen_at: Option<NaiveDateTime>,
) -> AppResult<ThreadSupport> {
    let thread = detail.row.clone();
    let is_staff = viewer.is_some_and(|v| v.role().is_staff());
    let promises = super::promises_of(conn, thread.id)?;
    let mut timeline = timeline::timeline(conn, &thread, detail, &promises, article, viewer)?;
    let since_visit = match (seen_at, viewer) {
        (Some(at), Some(v)) => {
            let new_comments = qa::comments_since(conn, thread.id, at, v.id)?;
            timeline::since_visit(detail, &mut timeline, at, v.id, new_comments)
        }
        _ => None,
    };
    let t = now();
    let category = crate::catalog::find_category(conn, thread.category_id)?;
    let target = super::response_target(&thread, &category, t);
    let open_promises = promises
        .into_iter()
        .filter(|(p, _)| p.kept_at.is_none())
        .map(|(p, u)| OpenPromise {
            state: p.state(t),
            id: p.id,
            by: AuthorView::from(&u),
            due_at: p.due_at,
            note: p.note,
        })
        .collect();
    let closed = thread.status == Status::Closed.as_str();
    let asker = viewer.is_some_and(|v| v.id == thread.author_id);
    let private = thread.is_private();
    let privacy = PrivacyView {
        private,
        anonymous: thread.asker_anonymous(),
        publish_offered: qa::private::publish_offered(conn, &thread)?,
        can_make_private: !private && thread.merged_into_id.is_none() && (asker || is_staff),
        can_offer: private && is_staff,
        can_publish: private && asker,
    };
    let waiting = qa::private::staff_request_open(&thread);
    // Shown only while the request waits.
    let picked_up_by = match thread.assignee_id.filter(|_| waiting) {
        Some(id) => Some(AuthorView::from(&crate::accounts::find(conn, id)?)),
        None => None,
    };
    let person = PersonView {
        requested_at: thread.staff_requested_at,
        waiting,
        can_request: asker && qa::private::may_request_staff(conn, &thread)?,
        picked_up_by,
    };
    let mut out = ThreadSupport {
        setup: setup::attached(conn, thread.id, thread.author_id, viewer)?,
        timeline,
        target,
        open_promises,
        since_visit,
        can_follow_up: viewer.is_some_and(|v| v.id == thread.author_id) && !closed,
        is_staff,
        assignment: None,
        context: None,
        staff: Vec::new(),
        groups: Vec::new(),
        privacy,
        person,
    };
    if let Some(v) = viewer.filter(|_| is_staff) {
        out.assignment = assignment(conn, &thread, v)?;
        out.context = Some(customer_context(conn, &thread)?);
        out.staff = super::staff_members(conn)?;
        out.groups = super::list_groups(conn)?;
    }
    Ok(out)
}

fn assignment(conn: &mut DbConn, thread: &Thread, viewer: &User) -> AppResult<Option<Assignment>> {
    if thread.assignee_id.is_none() && thread.assigned_group_id.is_none() {
        return Ok(None);
    }
    let assignee = match thread.assignee_id {
        Some(id) => Some(AuthorView::from(&crate::accounts::find(conn, id)?)),
        None => None,
    };
    let group = match thread.assigned_group_id {
        Some(id) => staff_groups::table
            .find(id)
            .select(staff_groups::name)
            .first::<String>(conn)
            .optional()?,
        None => None,
    };
    let in_group = match thread.assigned_group_id {
        Some(g) => super::groups_of(conn, viewer.id)?.contains(&g),
        None => false,
    };
    Ok(Some(Assignment {
        mine: thread.assignee_id == Some(viewer.id) || in_group,
        assignee,
        group,
    }))
}

/// The customer context panel for a thread's asker (staff only: callers check).
pub fn customer_context(conn: &mut DbConn, thread: &Thread) -> AppResult<CustomerContext> {
    let customer = crate::accounts::find(conn, thread.author_id)?;
    let other_threads = threads::table
        .filter(threads::author_id.eq(customer.id))
        .filter(threads::id.ne(thread.id))
        .order(threads::id.desc())
        .limit(10)
        .select((
            threads::id,
            threads::title,
            threads::status,
            threads::created_at,
        ))
        .load::<(i64, String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, title, status, created_at)| OtherThread {
            url: qa::thread_path(id, &title),
            id,
            title,
            status,
            created_at,
        })
        .collect();
    // Staff answers and comments on the customer's other threads, newest first, one per thread.
    let staff_roles = ["staff", "admin"];
    let answers: Vec<(User, i64, String, i64, NaiveDateTime)> = posts::table
        .inner_join(threads::table)
        .inner_join(users::table.on(users::id.eq(posts::author_id)))
        .filter(threads::author_id.eq(customer.id))
        .filter(threads::id.ne(thread.id))
        .filter(posts::kind.eq(qa::ANSWER))
        .filter(users::role.eq_any(staff_roles))
        .order(posts::id.desc())
        .limit(20)
        .select((
            User::as_select(),
            threads::id,
            threads::title,
            posts::id,
            posts::created_at,
        ))
        .load(conn)?;
    let replies: Vec<(User, i64, String, i64, NaiveDateTime)> = comments::table
        .inner_join(posts::table.inner_join(threads::table))
        .inner_join(users::table.on(users::id.eq(comments::author_id)))
        .filter(threads::author_id.eq(customer.id))
        .filter(threads::id.ne(thread.id))
        .filter(posts::kind.ne(qa::INTERNAL))
        .filter(users::role.eq_any(staff_roles))
        .order(comments::id.desc())
        .limit(20)
        .select((
            User::as_select(),
            threads::id,
            threads::title,
            posts::id,
            comments::created_at,
        ))
        .load(conn)?;
    let mut contact: Vec<(User, i64, String, i64, NaiveDateTime)> =
        answers.into_iter().chain(replies).collect();
    contact.sort_by_key(|c| std::cmp::Reverse(c.4));
    let mut seen = std::collections::HashSet::new();
    let staff_contact = contact
        .into_iter()
        .filter(|c| seen.insert(c.1))
        .take(5)
        .map(|(u, _, title, pid, at)| StaffContact {
            staff: AuthorView::from(&u),
            // The permalink finds the page the post is on.
            url: format!("/p/{pid}"),
            thread_title: title,
            at,
        })
        .collect();
    Ok(CustomerContext {
        setup: setup::saved_entries(conn, customer.id, true)?,
        customer: AuthorView::from(&customer),
        member_since: customer.created_at,
        email: customer.email.clone(),
        other_threads,
        staff_contact,
    })
}
