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
    /// A moderator hid, deleted, restored or approved your post or comment, or approved or
    /// declined your edit; or members' flags hid your post pending review.
    Moderated,
    /// A moderator agreed with or dismissed your flag.
    FlagOutcome,
    /// A moderator silenced you (you may read but not post), or lifted it.
    Silenced,
    /// Your question was merged into another thread.
    Merged,
    /// You earned a badge (on no thread; it leads to the badge's page).
    Badge,
    /// Staff offered to publish your private question: you decide.
    PublishOffered,
    /// Staff: a customer asked for a person on a thread you answered or own.
    StaffRequested,
}

impl Kind {
    /// New kinds go at the end: stored preferences and notifications name kinds by `as_str`,
    /// and the preferences page lists them in this order.
    pub const ALL: [Kind; 24] = [
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
        Kind::Moderated,
        Kind::FlagOutcome,
        Kind::Silenced,
        Kind::Merged,
        Kind::Badge,
        Kind::PublishOffered,
        Kind::StaffRequested,
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
            Kind::Moderated => "moderated",
            Kind::FlagOutcome => "flag_outcome",
            Kind::Silenced => "silenced",
            Kind::Merged => "merged",
            Kind::Badge => "badge",
            Kind::PublishOffered => "publish_offered",
            Kind::StaffRequested => "staff_requested",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Kinds only staff receive (the preferences page shows them to staff only).
    pub fn staff_only(self) -> bool {
        matches!(
            self,
            Kind::Assigned
                | Kind::CustomerFollowup
                | Kind::PromiseDue
                | Kind::PromiseOverdue
                | Kind::StaffRequested
        )
    }

    /// What moderators decided about the person's own posts, flags or account: told even on
    /// a muted thread, and without naming the moderator ("a moderator").
    pub fn moderation(self) -> bool {
        matches!(
            self,
            Kind::Moderated | Kind::FlagOutcome | Kind::Silenced | Kind::Merged
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
            Kind::Moderated => msg!("notify-kind-moderated"),
            Kind::FlagOutcome => msg!("notify-kind-flag-outcome"),
            Kind::Silenced => msg!("notify-kind-silenced"),
            Kind::Merged => msg!("notify-kind-merged"),
            Kind::Badge => msg!("notify-kind-badge"),
            Kind::PublishOffered => msg!("notify-kind-publish-offered"),
            Kind::StaffRequested => msg!("notify-kind-staff-requested"),
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
            Kind::Moderated => msg!("notify-moderated"),
            Kind::FlagOutcome => msg!("notify-flag-outcome"),
            Kind::Silenced => msg!("notify-silenced"),
            Kind::Merged => msg!("notify-merged"),
            Kind::Badge => msg!("notify-badge"),
            Kind::PublishOffered => msg!("notify-publish-offered"),
            Kind::StaffRequested => msg!("notify-staff-requested"),
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
                | Kind::CustomerFollowup
                | Kind::Badge),
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
            let url = item_url(kind, &n, &thread_url);
            // An assignment's note is for staff; a promise's note is what the customer was told;
            // a moderator's decision quotes the reason they gave (their own words).
            let quoted = match kind {
                Kind::Assigned | Kind::PromiseMade | Kind::PromiseDue | Kind::PromiseOverdue => {
                    "note"
                }
                Kind::Moderated | Kind::FlagOutcome | Kind::Silenced => "reason",
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

/// Where a notification leads: a badge to its page, else the post, else the thread.
fn item_url(kind: Kind, n: &Notification, thread_url: &str) -> String {
    if kind == Kind::Badge {
        return badge_path(n);
    }
    match n.post_id {
        Some(p) => format!("{thread_url}#post-{p}"),
        None => thread_url.to_string(),
    }
}

/// `/badges/{id}` of a badge notification (ids are `[a-z0-9_]`; anything else leads to the
/// list of badges).
fn badge_path(n: &Notification) -> String {
    let badge = text_field(n, "badge", "");
    let plain = !badge.is_empty()
        && badge
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain {
        format!("/badges/{badge}")
    } else {
        "/badges".to_string()
    }
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
        Kind::Moderated => {
            m = m
                .arg("action", text_field(n, "action", "hidden"))
                .arg("what", text_field(n, "what", "post"))
                .arg("by", text_field(n, "by", "moderator"));
        }
        Kind::FlagOutcome => {
            m = m
                .arg("outcome", text_field(n, "outcome", "dismissed"))
                .arg("target", text_field(n, "target", "post"));
        }
        Kind::Silenced => {
            match n
                .field("until")
                .as_str()
                .and_then(|s| s.parse::<NaiveDateTime>().ok())
            {
                Some(until) => m = m.arg("lifted", "no").arg("until", until),
                None => m = m.arg("lifted", "yes"),
            }
        }
        Kind::Merged => {
            m = m
                .arg("duplicate", text_field(n, "duplicate", ""))
                .arg("answers", n.field("answers").as_i64().unwrap_or(0));
        }
        Kind::Badge => {
            // `badge` selects the badge's name (`badge-name`, in peers.ftl).
            m = m
                .arg("badge", text_field(n, "badge", ""))
                .arg("tier", text_field(n, "tier", "bronze"));
        }
        _ => {}
    }
    m
}

/// A text field of the payload, or `default` when absent.
fn text_field(n: &Notification, key: &str, default: &str) -> String {
    n.field(key)
        .as_str()
        .map_or_else(|| default.to_string(), str::to_string)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Catalog;

    fn notification(kind: Kind, payload: serde_json::Value) -> Notification {
        Notification {
            id: 1,
            user_id: 2,
            kind: kind.as_str().into(),
            event_id: 3,
            thread_id: Some(4),
            post_id: Some(5),
            actor_id: None,
            payload: payload.to_string(),
            created_at: now(),
            read_at: None,
        }
    }

    fn catalog() -> Catalog {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        Catalog::load(&crate::i18n::locale_dirs(&root, "default"), "en", false)
            .expect("messages load")
    }

    /// The notification worded in English and German.
    fn worded(catalog: &Catalog, kind: Kind, payload: serde_json::Value) -> (String, String) {
        let n = notification(kind, payload);
        let m = describe(kind, &n, "Moe", "VPN drops");
        let en = catalog.text(catalog.get("en").unwrap(), &m);
        let de = catalog.text(catalog.get("de").unwrap(), &m);
        for text in [&en, &de] {
            // A missing argument or a Fluent error shows as braces or the id.
            assert!(
                !text.contains('{') && !text.starts_with("notify-"),
                "{text}"
            );
        }
        (en, de)
    }

    #[test]
    fn kinds_round_trip_and_new_kinds_come_last() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        // Stored values stay stable: the first kinds keep their places.
        assert_eq!(Kind::ALL[0], Kind::Answer);
        assert_eq!(Kind::ALL[16], Kind::PromiseOverdue);
        assert_eq!(
            Kind::ALL[17..21],
            [
                Kind::Moderated,
                Kind::FlagOutcome,
                Kind::Silenced,
                Kind::Merged
            ]
        );
        for k in Kind::ALL {
            assert_eq!(
                k.moderation(),
                Kind::ALL[17..21].contains(&k),
                "{}",
                k.as_str()
            );
            assert!(!(k.moderation() && k.staff_only()));
        }
        assert_eq!(
            Kind::ALL[21..],
            [Kind::Badge, Kind::PublishOffered, Kind::StaffRequested]
        );
        assert!(Kind::StaffRequested.staff_only() && !Kind::PublishOffered.staff_only());
        assert_eq!(Kind::Badge.as_str(), "badge");
        assert!(!Kind::Badge.staff_only() && !Kind::Badge.moderation());
    }

    #[test]
    fn moderators_decisions_are_emailed_flag_outcomes_stay_under_the_bell() {
        use prefs::Delivery;
        assert_eq!(Kind::Moderated.default_delivery(), Delivery::Instant);
        assert_eq!(Kind::Silenced.default_delivery(), Delivery::Instant);
        assert_eq!(Kind::Merged.default_delivery(), Delivery::Instant);
        assert_eq!(Kind::FlagOutcome.default_delivery(), Delivery::Never);
    }

    #[test]
    fn moderation_notifications_are_worded_in_english_and_german() {
        let c = catalog();
        let moderated = |action: &str, what: &str, by: &str| {
            worded(
                &c,
                Kind::Moderated,
                serde_json::json!({"action": action, "what": what, "by": by, "reason": "Spam"}),
            )
        };
        let (en, de) = moderated("hidden", "answer", "moderator");
        assert_eq!(en, "Your answer in “VPN drops” was hidden by a moderator");
        assert_eq!(
            de,
            "Deine Antwort in „VPN drops“ wurde vom Moderationsteam verborgen"
        );
        let (en, de) = moderated("hidden", "comment", "flags");
        assert!(en.starts_with("Your comment in “VPN drops” is hidden for now: members flagged it"));
        assert!(de.starts_with("Dein Kommentar in „VPN drops“ ist nach Meldungen"));
        let (en, _) = moderated("deleted", "question", "moderator");
        assert_eq!(
            en,
            "Your question in “VPN drops” was deleted by a moderator"
        );
        let (en, _) = moderated("restored", "followup", "moderator");
        assert!(en.starts_with("Your follow-up in “VPN drops” was restored"));
        let (en, _) = moderated("approved", "answer", "moderator");
        assert!(en.ends_with("it’s public now"));
        let (en, de) = moderated("approved", "edit", "moderator");
        assert!(
            en.starts_with("Your edit in “VPN drops” was approved"),
            "{en}"
        );
        assert!(
            de.starts_with("Deine Änderung in „VPN drops“ wurde"),
            "{de}"
        );
        let (en, _) = moderated("rejected", "edit", "moderator");
        assert_eq!(en, "Your edit in “VPN drops” was declined by a moderator");
        // The moderator is never named.
        assert!(!en.contains("Moe"));

        let (en, de) = worded(
            &c,
            Kind::FlagOutcome,
            serde_json::json!({"outcome": "agreed", "target": "comment"}),
        );
        assert!(en.starts_with("A moderator agreed with your flag on a comment in “VPN drops”"));
        assert!(de.contains("einem Kommentar in „VPN drops“"));
        let (en, _) = worded(
            &c,
            Kind::FlagOutcome,
            serde_json::json!({"outcome": "dismissed", "target": "post"}),
        );
        assert!(
            en.ends_with("a post in “VPN drops” and left it as it is"),
            "{en}"
        );

        let (en, de) = worded(
            &c,
            Kind::Silenced,
            serde_json::json!({"until": "2030-01-02T10:00:00", "reason": "Cool off"}),
        );
        assert!(
            en.starts_with("A moderator silenced you until ") && en.contains("2030"),
            "{en}"
        );
        assert!(de.contains("Schreibsperre"), "{de}");
        let (en, _) = worded(&c, Kind::Silenced, serde_json::json!({"until": null}));
        assert!(en.starts_with("You can post again"), "{en}");

        let (en, de) = worded(
            &c,
            Kind::Merged,
            serde_json::json!({"duplicate": "VPN keeps dropping", "answers": 2}),
        );
        assert_eq!(
            en,
            "Your question “VPN keeps dropping” was merged into “VPN drops” by a moderator: its 2 answers moved there too"
        );
        assert!(de.contains("ihre 2 Antworten"), "{de}");
    }

    #[test]
    fn badges_are_shown_under_the_bell_and_not_emailed_unless_chosen() {
        assert_eq!(Kind::Badge.default_delivery(), prefs::Delivery::Never);
        let c = catalog();
        for lang in ["en", "de"] {
            let label = c.text(c.get(lang).unwrap(), &Kind::Badge.label());
            assert!(
                !label.is_empty() && !label.starts_with("notify-"),
                "{label}"
            );
        }
        let n = |badge: &str| notification(Kind::Badge, serde_json::json!({"badge": badge}));
        // It leads to the badge's page, not to the post it was for.
        assert_eq!(
            item_url(Kind::Badge, &n("good_answer"), "/t/4-vpn-drops"),
            "/badges/good_answer"
        );
        assert_eq!(
            item_url(Kind::Badge, &n("../admin"), "/notifications"),
            "/badges"
        );
        assert_eq!(
            item_url(Kind::Answer, &n("x"), "/t/4-vpn-drops"),
            "/t/4-vpn-drops#post-5"
        );
        // Badges are counted on their own in a group ("2 new badges").
        let rows = [n("first_answer"), n("editor")];
        let summary = summary(&rows);
        assert_eq!(summary.len(), 1);
        let (en, de) = (
            c.text(c.get("en").unwrap(), &summary[0]),
            c.text(c.get("de").unwrap(), &summary[0]),
        );
        assert_eq!(en, "2 new badges");
        assert_eq!(de, "2 neue Abzeichen");
    }

    #[test]
    fn badge_notifications_name_the_badge_in_english_and_german() {
        let c = catalog();
        let award = |badge: &str, tier: &str| {
            worded(
                &c,
                Kind::Badge,
                serde_json::json!({"badge": badge, "tier": tier, "award": 9}),
            )
        };
        // The badge is named by `badge-name` (peers.ftl), in the reader's language.
        let name = |lang: &str, badge: &str| {
            c.text(
                c.get(lang).unwrap(),
                &msg!("badge-name", badge = badge.to_string()),
            )
        };
        let (en, de) = award("great_answer", "silver");
        assert_eq!(
            en,
            format!(
                "You earned the silver badge “{}” — congratulations!",
                name("en", "great_answer")
            )
        );
        assert_eq!(
            de,
            format!(
                "Du hast das Abzeichen „{}“ bekommen (Silber) – herzlichen Glückwunsch!",
                name("de", "great_answer")
            )
        );
        assert!(!en.contains("great_answer") && !de.contains("great_answer"));
        // Each badge by its own name; the tier in each language.
        let (en, de) = award("first_answer", "bronze");
        assert!(en.contains(&format!("bronze badge “{}”", name("en", "first_answer"))));
        assert!(de.contains(&format!(
            "„{}“ bekommen (Bronze)",
            name("de", "first_answer")
        )));
        assert_ne!(name("en", "first_answer"), name("en", "great_answer"));
        let (en, de) = award("famous_answer", "gold");
        assert!(en.starts_with("You earned the gold badge “"), "{en}");
        assert!(de.contains("(Gold)"), "{de}");
        // No actor: nobody is named.
        assert!(!en.contains("Moe") && !de.contains("Moe"));
    }
}
