//! Notifications: what each person is told (written by `fanout`, a consumer of the event log),
//! the bell's count, the notifications page and API (grouped per thread, read / unread), how
//! closely each person follows threads, categories and tags (`watch`), and how each kind of
//! notification is emailed (`prefs`). The email itself is worded in `email` and sent by `mail`.

pub mod account_mail;
pub mod digest;
pub mod due;
pub mod email;
pub mod fanout;
pub mod prefs;
pub mod watch;

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::User;
use crate::db::schema::{notifications, threads, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;

/// What a notification is about. Stored as text (`as_str`); each kind is a line on the
/// preferences page, with its own email delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A new answer on your question.
    Answer,
    /// A comment on your question or answer.
    Comment,
    /// Someone wrote `@you`.
    Mention,
    /// Your answer was accepted.
    Accepted,
    /// Your question was referred to a named staff member.
    Referred,
    /// A staff member promised to follow up on your question.
    PromiseMade,
    /// That promise was kept.
    PromiseKept,
    /// Your question was closed.
    Closed,
    /// Your question was reopened.
    Reopened,
    /// Your question became a knowledge-base article.
    Promoted,
    /// Your answer became a knowledge-base article.
    ArticleFromAnswer,
    /// A new post on a thread, category or tag you watch.
    WatchedPost,
    /// A new question in a category or tag you watch.
    NewQuestion,
    /// Staff: a thread was assigned to you or your group.
    Assigned,
    /// Staff: the customer followed up on a thread you answered or own.
    CustomerFollowup,
    /// Staff: a promise of yours is due within the hour.
    PromiseDue,
    /// Staff: a promise of yours is overdue.
    PromiseOverdue,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::Answer,
        Kind::Comment,
        Kind::Mention,
        Kind::Accepted,
        Kind::Referred,
        Kind::PromiseMade,
        Kind::PromiseKept,
        Kind::Closed,
        Kind::Reopened,
        Kind::Promoted,
        Kind::ArticleFromAnswer,
        Kind::WatchedPost,
        Kind::NewQuestion,
        Kind::Assigned,
        Kind::CustomerFollowup,
        Kind::PromiseDue,
        Kind::PromiseOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Answer => "answer",
            Kind::Comment => "comment",
            Kind::Mention => "mention",
            Kind::Accepted => "accepted",
            Kind::Referred => "referred",
            Kind::PromiseMade => "promise_made",
            Kind::PromiseKept => "promise_kept",
            Kind::Closed => "closed",
            Kind::Reopened => "reopened",
            Kind::Promoted => "promoted",
            Kind::ArticleFromAnswer => "article_from_answer",
            Kind::WatchedPost => "watched_post",
            Kind::NewQuestion => "new_question",
            Kind::Assigned => "assigned",
            Kind::CustomerFollowup => "customer_followup",
            Kind::PromiseDue => "promise_due",
            Kind::PromiseOverdue => "promise_overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Kinds only staff receive (the preferences page shows them to staff only).
    pub fn staff_only(self) -> bool {
        matches!(
            self,
            Kind::Assigned | Kind::CustomerFollowup | Kind::PromiseDue | Kind::PromiseOverdue
        )
    }

    /// How the preferences page names this kind.
    pub fn label(self) -> Msg {
        match self {
            Kind::Answer => msg!("notify-kind-answer"),
            Kind::Comment => msg!("notify-kind-comment"),
            Kind::Mention => msg!("notify-kind-mention"),
            Kind::Accepted => msg!("notify-kind-accepted"),
            Kind::Referred => msg!("notify-kind-referred"),
            Kind::PromiseMade => msg!("notify-kind-promise-made"),
            Kind::PromiseKept => msg!("notify-kind-promise-kept"),
            Kind::Closed => msg!("notify-kind-closed"),
            Kind::Reopened => msg!("notify-kind-reopened"),
            Kind::Promoted => msg!("notify-kind-promoted"),
            Kind::ArticleFromAnswer => msg!("notify-kind-article-from-answer"),
            Kind::WatchedPost => msg!("notify-kind-watched-post"),
            Kind::NewQuestion => msg!("notify-kind-new-question"),
            Kind::Assigned => msg!("notify-kind-assigned"),
            Kind::CustomerFollowup => msg!("notify-kind-customer-followup"),
            Kind::PromiseDue => msg!("notify-kind-promise-due"),
            Kind::PromiseOverdue => msg!("notify-kind-promise-overdue"),
        }
    }

    /// The message that tells of one notification of this kind.
    fn message(self) -> Msg {
        match self {
            Kind::Answer => msg!("notify-answer"),
            Kind::Comment => msg!("notify-comment"),
            Kind::Mention => msg!("notify-mention"),
            Kind::Accepted => msg!("notify-accepted"),
            Kind::Referred => msg!("notify-referred"),
            Kind::PromiseMade => msg!("notify-promise-made"),
            Kind::PromiseKept => msg!("notify-promise-kept"),
            Kind::Closed => msg!("notify-closed"),
            Kind::Reopened => msg!("notify-reopened"),
            Kind::Promoted => msg!("notify-promoted"),
            Kind::ArticleFromAnswer => msg!("notify-article-from-answer"),
            Kind::WatchedPost => msg!("notify-watched-post"),
            Kind::NewQuestion => msg!("notify-new-question"),
            Kind::Assigned => msg!("notify-assigned"),
            Kind::CustomerFollowup => msg!("notify-customer-followup"),
            Kind::PromiseDue => msg!("notify-promise-due"),
            Kind::PromiseOverdue => msg!("notify-promise-overdue"),
        }
    }
}

/// A notification as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub event_id: i64,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub payload: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

impl Notification {
    pub fn kind(&self) -> Option<Kind> {
        Kind::parse(&self.kind)
    }
    /// A value from the payload (`excerpt`, `note`, `duplicate_of`, ...).
    pub fn field(&self, key: &str) -> serde_json::Value {
        crate::events::payload_field(&self.payload, key)
    }
}

/// The bell shows at most this many ("99+" past it): counting stops there.
pub const UNREAD_SHOWN: i64 = 100;

/// Unread notifications of `user_id`, up to `UNREAD_SHOWN`: a walk over the partial index of
/// unread rows that stops early, whatever the user's history.
pub fn unread_count(conn: &mut DbConn, user_id: i64) -> AppResult<i64> {
    let ids: Vec<i64> = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .select(notifications::id)
        .limit(UNREAD_SHOWN)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// One notification as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub kind: Kind,
    /// The thread's title (empty without a thread).
    pub title: String,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub actor: Option<Actor>,
    /// The start of the post it is about (plain text), if any.
    pub excerpt: Option<String>,
    /// What happened, worded per reader (`|tr` in templates; the API words it).
    pub text: Msg,
    /// Where it leads: the post, else the thread.
    pub url: String,
    pub created_at: NaiveDateTime,
    pub read: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub handle: String,
    pub name: String,
}

/// Notifications on one thread, newest first: "3 new answers on *VPN drops…*".
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub thread_id: Option<i64>,
    pub title: String,
    pub url: String,
    /// What the group holds, worded per reader ("2 new answers, 1 comment").
    pub summary: Vec<Msg>,
    pub unread: i64,
    pub newest_at: NaiveDateTime,
    pub items: Vec<Item>,
}

/// A page of a user's notifications, grouped per thread.
#[derive(Debug, Clone, Serialize)]
pub struct Inbox {
    pub groups: Vec<Group>,
    pub unread: i64,
    pub page: i64,
    pub has_more: bool,
}

/// Thread groups per page.
pub const GROUPS_PER_PAGE: i64 = 20;
/// Notifications shown per group (the rest are counted in the summary).
const ITEMS_PER_GROUP: i64 = 10;

/// The user's notifications, newest thread first, grouped per thread (`page` from 1). With
/// `unread_only`, only threads with something unread.
pub fn inbox(conn: &mut DbConn, user_id: i64, page: i64, unread_only: bool) -> AppResult<Inbox> {
    let page = page.clamp(1, 10_000);
    // Each thread's newest notification orders the groups.
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .group_by(notifications::thread_id)
        .select((
            notifications::thread_id,
            diesel::dsl::max(notifications::id),
        ))
        .order(diesel::dsl::max(notifications::id).desc())
        .limit(GROUPS_PER_PAGE + 1)
        .offset((page - 1) * GROUPS_PER_PAGE)
        .into_boxed();
    if unread_only {
        q = q.filter(notifications::read_at.is_null());
    }
    let mut heads: Vec<(Option<i64>, Option<i64>)> = q.load(conn)?;
    let has_more = heads.len() as i64 > GROUPS_PER_PAGE;
    heads.truncate(GROUPS_PER_PAGE as usize);
    // The page's notifications in one query (not one per thread), grouped here.
    let thread_ids: Vec<i64> = heads.iter().filter_map(|(t, _)| *t).collect();
    let without_thread = heads.iter().any(|(t, _)| t.is_none());
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .into_boxed();
    q = if without_thread {
        q.filter(
            notifications::thread_id
                .eq_any(thread_ids.clone())
                .or(notifications::thread_id.is_null()),
        )
    } else {
        q.filter(notifications::thread_id.eq_any(thread_ids.clone()))
    };
    if unread_only {
        q = q.filter(notifications::read_at.is_null());
    }
    let rows: Vec<Notification> = if heads.is_empty() {
        Vec::new()
    } else {
        q.order(notifications::id.desc())
            .select(Notification::as_select())
            .load(conn)?
    };
    let mut by_thread: HashMap<Option<i64>, Vec<Notification>> = HashMap::new();
    for n in rows {
        by_thread.entry(n.thread_id).or_default().push(n);
    }
    let titles = titles_of(conn, &thread_ids)?;
    let mut shown = Vec::new();
    let mut groups = Vec::with_capacity(heads.len());
    for (thread_id, _) in heads {
        let rows = by_thread.remove(&thread_id).unwrap_or_default();
        let title = thread_id
            .and_then(|t| titles.get(&t).cloned())
            .unwrap_or_default();
        let url = match thread_id {
            Some(t) if !title.is_empty() => crate::threads::thread_path(t, &title),
            _ => "/notifications".to_string(),
        };
        let group = Group {
            thread_id,
            title,
            url,
            summary: summary(&rows),
            unread: rows.iter().filter(|n| n.read_at.is_none()).count() as i64,
            newest_at: rows.first().map(|n| n.created_at).unwrap_or_else(now),
            items: Vec::new(),
        };
        shown.extend(rows.into_iter().take(ITEMS_PER_GROUP as usize));
        groups.push(group);
    }
    // Every shown item worded at once (one actor query for the page).
    for item in items(conn, shown)? {
        if let Some(g) = groups.iter_mut().find(|g| g.thread_id == item.thread_id) {
            g.items.push(item);
        }
    }
    Ok(Inbox {
        groups,
        unread: unread_count(conn, user_id)?,
        page,
        has_more,
    })
}

/// What a group holds: posts counted by kind ("3 new answers, 1 comment"); everything else is
/// an update.
fn summary(rows: &[Notification]) -> Vec<Msg> {
    let mut counts: Vec<(&'static str, i64)> = Vec::new();
    for n in rows {
        let key = match n.kind() {
            Some(
                k @ (Kind::Answer
                | Kind::Comment
                | Kind::Mention
                | Kind::WatchedPost
                | Kind::NewQuestion
                | Kind::CustomerFollowup),
            ) => k.as_str(),
            _ => "other",
        };
        match counts.iter_mut().find(|(c, _)| *c == key) {
            Some((_, count)) => *count += 1,
            None => counts.push((key, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(k, n)| msg!("notify-summary", kind = k, count = n))
        .collect()
}

/// Thread titles by id, in one query.
fn titles_of(conn: &mut DbConn, thread_ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    if thread_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(threads::table
        .filter(threads::id.eq_any(thread_ids))
        .select((threads::id, threads::title))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// Notifications worded: the actor's name, the excerpt and a link each.
pub fn items(conn: &mut DbConn, rows: Vec<Notification>) -> AppResult<Vec<Item>> {
    let thread_ids: Vec<i64> = rows.iter().filter_map(|n| n.thread_id).collect();
    let titles = titles_of(conn, &thread_ids)?;
    let actor_ids: Vec<i64> = rows.iter().filter_map(|n| n.actor_id).collect();
    let actors: HashMap<i64, Actor> = users::table
        .filter(users::id.eq_any(&actor_ids))
        .select(User::as_select())
        .load::<User>(conn)?
        .into_iter()
        .map(|u| {
            (
                u.id,
                Actor {
                    name: u.display_name().to_string(),
                    handle: u.handle,
                },
            )
        })
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            let kind = n.kind()?;
            // A notification about a thread that is gone is not shown.
            let (title, thread_url) = match n.thread_id {
                Some(t) => {
                    let title = titles.get(&t)?.clone();
                    let url = crate::threads::thread_path(t, &title);
                    (title, url)
                }
                None => (String::new(), "/notifications".to_string()),
            };
            let actor = n.actor_id.and_then(|id| actors.get(&id).cloned());
            let who = actor.as_ref().map(|a| a.name.clone()).unwrap_or_default();
            let text = describe(kind, &n, &who, &title);
            let url = match n.post_id {
                Some(p) => format!("{thread_url}#post-{p}"),
                None => thread_url.to_string(),
            };
            // An assignment's note is for staff; a promise's note is what the customer was told.
            let quoted = match kind {
                Kind::Assigned | Kind::PromiseMade | Kind::PromiseDue | Kind::PromiseOverdue => {
                    "note"
                }
                _ => "excerpt",
            };
            let excerpt = n
                .field(quoted)
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            Some(Item {
                id: n.id,
                kind,
                title,
                thread_id: n.thread_id,
                post_id: n.post_id,
                actor,
                excerpt,
                text,
                url,
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
        })
        .collect())
}

/// "Ana answered your question *VPN drops*", one message per kind.
pub fn describe(kind: Kind, n: &Notification, who: &str, title: &str) -> Msg {
    let mut m = kind.message().arg("who", who).arg("title", title);
    match kind {
        Kind::Assigned | Kind::Referred => {
            let to = n.field("to").as_str().unwrap_or_default().to_string();
            m = m.arg("to", to);
        }
        Kind::PromiseMade | Kind::PromiseDue | Kind::PromiseOverdue => {
            if let Some(due) = n
                .field("due_at")
                .as_str()
                .and_then(|s| s.parse::<NaiveDateTime>().ok())
            {
                m = m.arg("due", due);
            }
        }
        Kind::Closed => {
            let duplicate = n.field("duplicate_of").as_i64().is_some();
            m = m.arg("duplicate", if duplicate { "yes" } else { "no" });
        }
        _ => {}
    }
    m
}

/// Which notifications to mark read.
pub enum Mark {
    One(i64),
    /// Several by id: all of them the user's, or nothing changes (404).
    Many(Vec<i64>),
    Thread(i64),
    All,
}

/// Marks notifications of `user_id` read. One unknown or someone else's notification is a 404.
/// Returns the unread count after.
pub fn mark_read(conn: &mut DbConn, user_id: i64, which: Mark) -> AppResult<i64> {
    let mine = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null());
    let t = now();
    match which {
        Mark::One(id) => {
            let exists = notifications::table
                .filter(notifications::id.eq(id))
                .filter(notifications::user_id.eq(user_id))
                .count()
                .get_result::<i64>(conn)?;
            if exists == 0 {
                return Err(AppError::not_found(msg!("notify-not-found")));
            }
            diesel::update(mine.filter(notifications::id.eq(id)))
                .set(notifications::read_at.eq(Some(t)))
                .execute(conn)?;
        }
        Mark::Many(mut ids) => {
            ids.sort_unstable();
            ids.dedup();
            let theirs: i64 = notifications::table
                .filter(notifications::id.eq_any(&ids))
                .filter(notifications::user_id.eq(user_id))
                .count()
                .get_result(conn)?;
            if theirs != ids.len() as i64 {
                return Err(AppError::not_found(msg!("notify-not-found")));
            }
            diesel::update(mine.filter(notifications::id.eq_any(&ids)))
                .set(notifications::read_at.eq(Some(t)))
                .execute(conn)?;
        }
        Mark::Thread(thread_id) => {
            diesel::update(mine.filter(notifications::thread_id.eq(thread_id)))
                .set(notifications::read_at.eq(Some(t)))
                .execute(conn)?;
        }
        Mark::All => {
            diesel::update(mine)
                .set(notifications::read_at.eq(Some(t)))
                .execute(conn)?;
        }
    }
    unread_count(conn, user_id)
}

/// Opening a thread reads what it notified about: the bell follows what the user has seen.
pub fn seen_thread(conn: &mut DbConn, user_id: i64, thread_id: i64) -> AppResult<usize> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::thread_id.eq(thread_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now())))
    .execute(conn)?)
}

/// One notification (for the email that tells of it).
pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Option<Notification>> {
    Ok(notifications::table
        .find(id)
        .select(Notification::as_select())
        .first(conn)
        .optional()?)
}

/// One notification worded as the notifications page shows it (None: its thread is gone).
pub fn item(conn: &mut DbConn, n: Notification) -> AppResult<Option<Item>> {
    Ok(items(conn, vec![n])?.into_iter().next())
}

/// A new notification for live pages: (notification id, user id).
pub type LiveNotification = (i64, i64);
/// A new public post for live pages: (event id, thread id, post id, event kind).
pub type LivePost = (i64, i64, i64, String);

/// What happened since the last look, for live pages: new notifications (id, user) and new
/// public posts (event id, thread, post, kind). Reads past `after_*` minus a margin, since
/// ids of concurrent transactions can commit out of order; callers skip what they saw.
pub fn live_since(
    conn: &mut DbConn,
    after_notification: i64,
    after_event: i64,
) -> AppResult<(Vec<LiveNotification>, Vec<LivePost>)> {
    use crate::db::schema::events;
    const MARGIN: i64 = 50;
    let fresh: Vec<(i64, i64)> = notifications::table
        .filter(notifications::id.gt(after_notification - MARGIN))
        .order(notifications::id.asc())
        .select((notifications::id, notifications::user_id))
        .limit(20_000)
        .load(conn)?;
    let kinds = [
        crate::events::Kind::AnswerPosted.as_str(),
        crate::events::Kind::FollowupPosted.as_str(),
        crate::events::Kind::CommentPosted.as_str(),
    ];
    type Row = (i64, Option<i64>, Option<i64>, String, String);
    let posts: Vec<Row> = events::table
        .filter(events::id.gt(after_event - MARGIN))
        .filter(events::kind.eq_any(kinds))
        .order(events::id.asc())
        .select((
            events::id,
            events::thread_id,
            events::post_id,
            events::kind,
            events::payload,
        ))
        .limit(1000)
        .load(conn)?;
    let posts = posts
        .into_iter()
        // Comments on internal notes are for staff only: not announced to a thread's readers.
        .filter(|(_, _, _, _, payload)| !payload.contains("\"internal\":true"))
        .filter_map(|(id, thread, post, kind, _)| Some((id, thread?, post?, kind)))
        .collect();
    Ok((fresh, posts))
}

/// The newest notification and event ids (where live pages start).
pub fn live_start(conn: &mut DbConn) -> AppResult<(i64, i64)> {
    use crate::db::schema::events;
    let n: Option<i64> = notifications::table
        .select(diesel::dsl::max(notifications::id))
        .first(conn)?;
    let e: Option<i64> = events::table
        .select(diesel::dsl::max(events::id))
        .first(conn)?;
    Ok((n.unwrap_or(0), e.unwrap_or(0)))
}
