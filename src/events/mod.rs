//! The domain event log: every action writes what happened (`question_asked`, `answer_posted`,
//! ...) as rows in the same transaction as the change. Reactions — the search index, counters,
//! and later notifications, badges and webhooks — are consumers that read the log in id order,
//! each with its own durable cursor, so a crash replays from the cursor without double effects.
//! The catalogue of events, their payloads, emitters and consumers is in docs/architecture.md.

mod consumer;
mod lease;
mod tail;

pub use consumer::{holder_name, host_name, run_once, Consumer, Runner, LEASE_TTL};
pub use lease::{acquire_lease, confirm_lease, lease_of, release_lease, Lease};
pub use tail::{Poll, Tail, GRACE};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{event_cursors, event_leases, events};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};

/// What happened. The name is stored as text (`as_str`); new kinds are added at the end of the
/// catalogue, and consumers ignore kinds they do not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    QuestionAsked,
    AnswerPosted,
    FollowupPosted,
    InternalNotePosted,
    CommentPosted,
    PostEdited,
    PostVoted,
    AnswerAccepted,
    ThreadClosed,
    ThreadReopened,
    ThreadAssigned,
    ThreadUnassigned,
    PromiseMade,
    PromiseKept,
    ArticleCreated,
    ArticleUpdated,
    ArticleStatusChanged,
    /// An article became published (with its create, update or status event).
    ArticlePublished,
    ArticleFeedback,
    CategoryChanged,
    UserChanged,
    UserRoleChanged,
    UserSuspended,
    /// Stored text changed without a user action (`peerdesk rerender`): only the index reacts.
    ThreadReindexed,
    ArticleReindexed,
    /// A personal API token was created (the audit log keeps it).
    TokenCreated,
    ThreadLocked,
    ThreadUnlocked,
    /// A thread moved to another category (subject = the new category).
    ThreadMoved,
    ThreadPinned,
    ThreadUnpinned,
    /// An admin changed a site setting: a category created or deleted, a staff group created,
    /// a member added to or removed from one (payload `setting`, `change`, `name`).
    SettingChanged,
    /// A post or comment was held for approval (subject = the comment, payload `target`).
    PostHeld,
    /// Hidden (by a moderator, or by flags with no actor); payload `target`, `reason`, `from`.
    PostHidden,
    /// Soft-deleted by a moderator.
    PostDeleted,
    /// Visible again after being hidden or deleted.
    PostRestored,
    /// A held post or comment approved by a moderator (its "posted" event follows).
    PostApproved,
    /// Someone flagged a post, comment or feedback (subject = the flag).
    PostFlagged,
    /// A moderator agreed with or dismissed a flag (subject = the flag; payload `outcome`, `flagger`).
    FlagResolved,
    /// A duplicate thread merged into its canonical thread (subject = the canonical thread).
    ThreadMerged,
    ThreadUnlisted,
    ThreadRelisted,
    /// A member may read but not post until a time (subject = the user).
    UserSilenced,
    /// An edit waits for approval (subject = the held edit).
    EditHeld,
    EditApproved,
    EditRejected,
    /// A trust level changed (subject = the user; payload `level`, `previous`, `locked`).
    TrustLevelChanged,
    /// A badge was awarded (subject = the user; payload `badge`, `tier`, `award`; post when
    /// it is for a post).
    BadgeAwarded,
    /// Staff marked a peer's answer "Recommended by staff" (or took it back; payload `on`).
    PostRecommended,
    /// Staff offered to publish a private thread; its asker decides.
    PublishOffered,
    /// A private thread became public with its asker's consent (payload `anonymous`).
    ThreadPublished,
    /// A thread became private (its asker or staff; payload `reason`).
    ThreadMadePrivate,
    /// The asker pressed "I still need help" (payload `reason`).
    StaffRequested,
}

impl Kind {
    pub const ALL: [Kind; 53] = [
        Kind::QuestionAsked,
        Kind::AnswerPosted,
        Kind::FollowupPosted,
        Kind::InternalNotePosted,
        Kind::CommentPosted,
        Kind::PostEdited,
        Kind::PostVoted,
        Kind::AnswerAccepted,
        Kind::ThreadClosed,
        Kind::ThreadReopened,
        Kind::ThreadAssigned,
        Kind::ThreadUnassigned,
        Kind::PromiseMade,
        Kind::PromiseKept,
        Kind::ArticleCreated,
        Kind::ArticleUpdated,
        Kind::ArticleStatusChanged,
        Kind::ArticlePublished,
        Kind::ArticleFeedback,
        Kind::CategoryChanged,
        Kind::UserChanged,
        Kind::UserRoleChanged,
        Kind::UserSuspended,
        Kind::ThreadReindexed,
        Kind::ArticleReindexed,
        Kind::TokenCreated,
        Kind::ThreadLocked,
        Kind::ThreadUnlocked,
        Kind::ThreadMoved,
        Kind::ThreadPinned,
        Kind::ThreadUnpinned,
        Kind::SettingChanged,
        Kind::PostHeld,
        Kind::PostHidden,
        Kind::PostDeleted,
        Kind::PostRestored,
        Kind::PostApproved,
        Kind::PostFlagged,
        Kind::FlagResolved,
        Kind::ThreadMerged,
        Kind::ThreadUnlisted,
        Kind::ThreadRelisted,
        Kind::UserSilenced,
        Kind::EditHeld,
        Kind::EditApproved,
        Kind::EditRejected,
        Kind::TrustLevelChanged,
        Kind::BadgeAwarded,
        Kind::PostRecommended,
        Kind::PublishOffered,
        Kind::ThreadPublished,
        Kind::ThreadMadePrivate,
        Kind::StaffRequested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::QuestionAsked => "question_asked",
            Kind::AnswerPosted => "answer_posted",
            Kind::FollowupPosted => "followup_posted",
            Kind::InternalNotePosted => "internal_note_posted",
            Kind::CommentPosted => "comment_posted",
            Kind::PostEdited => "post_edited",
            Kind::PostVoted => "post_voted",
            Kind::AnswerAccepted => "answer_accepted",
            Kind::ThreadClosed => "thread_closed",
            Kind::ThreadReopened => "thread_reopened",
            Kind::ThreadAssigned => "thread_assigned",
            Kind::ThreadUnassigned => "thread_unassigned",
            Kind::PromiseMade => "promise_made",
            Kind::PromiseKept => "promise_kept",
            Kind::ArticleCreated => "article_created",
            Kind::ArticleUpdated => "article_updated",
            Kind::ArticleStatusChanged => "article_status_changed",
            Kind::ArticlePublished => "article_published",
            Kind::ArticleFeedback => "article_feedback",
            Kind::CategoryChanged => "category_changed",
            Kind::UserChanged => "user_changed",
            Kind::UserRoleChanged => "user_role_changed",
            Kind::UserSuspended => "user_suspended",
            Kind::ThreadReindexed => "thread_reindexed",
            Kind::ArticleReindexed => "article_reindexed",
            Kind::TokenCreated => "token_created",
            Kind::ThreadLocked => "thread_locked",
            Kind::ThreadUnlocked => "thread_unlocked",
            Kind::ThreadMoved => "thread_moved",
            Kind::ThreadPinned => "thread_pinned",
            Kind::ThreadUnpinned => "thread_unpinned",
            Kind::SettingChanged => "setting_changed",
            Kind::PostHeld => "post_held",
            Kind::PostHidden => "post_hidden",
            Kind::PostDeleted => "post_deleted",
            Kind::PostRestored => "post_restored",
            Kind::PostApproved => "post_approved",
            Kind::PostFlagged => "post_flagged",
            Kind::FlagResolved => "flag_resolved",
            Kind::ThreadMerged => "thread_merged",
            Kind::ThreadUnlisted => "thread_unlisted",
            Kind::ThreadRelisted => "thread_relisted",
            Kind::UserSilenced => "user_silenced",
            Kind::EditHeld => "edit_held",
            Kind::EditApproved => "edit_approved",
            Kind::EditRejected => "edit_rejected",
            Kind::TrustLevelChanged => "trust_level_changed",
            Kind::BadgeAwarded => "badge_awarded",
            Kind::PostRecommended => "post_recommended",
            Kind::PublishOffered => "publish_offered",
            Kind::ThreadPublished => "thread_published",
            Kind::ThreadMadePrivate => "thread_made_private",
            Kind::StaffRequested => "staff_requested",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An event to write: what happened, who did it, and the ids it concerns. Build it with
/// `NewEvent::new(kind)` and the setters; extra facts go in `payload` (a JSON object).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: Kind,
    pub actor_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub article_id: Option<i64>,
    /// What else the event is about: a comment, promise, category or user id (per kind).
    pub subject_id: Option<i64>,
    pub payload: serde_json::Value,
}

impl NewEvent {
    pub fn new(kind: Kind) -> NewEvent {
        NewEvent {
            kind,
            actor_id: None,
            thread_id: None,
            post_id: None,
            article_id: None,
            subject_id: None,
            payload: serde_json::Value::Object(Default::default()),
        }
    }
    pub fn actor(mut self, id: i64) -> Self {
        self.actor_id = Some(id);
        self
    }
    pub fn thread(mut self, id: i64) -> Self {
        self.thread_id = Some(id);
        self
    }
    pub fn post(mut self, id: i64) -> Self {
        self.post_id = Some(id);
        self
    }
    pub fn article(mut self, id: i64) -> Self {
        self.article_id = Some(id);
        self
    }
    pub fn subject(mut self, id: i64) -> Self {
        self.subject_id = Some(id);
        self
    }
    /// Adds `key: value` to the payload.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        if let serde_json::Value::Object(map) = &mut self.payload {
            map.insert(key.to_string(), value.into());
        }
        self
    }
}

/// An admin changed a site setting (`setting`, e.g. "category"; `change`, e.g. "created";
/// the object's id and name): the audit log keeps it.
pub fn setting_changed(
    conn: &mut DbConn,
    actor_id: i64,
    setting: &str,
    change: &str,
    id: i64,
    name: &str,
) -> AppResult<()> {
    emit(
        conn,
        NewEvent::new(Kind::SettingChanged)
            .actor(actor_id)
            .subject(id)
            .with("setting", setting)
            .with("change", change)
            .with("name", name),
    )
}

/// Writes an event in the caller's transaction: it lands exactly when the change does.
pub fn emit(conn: &mut DbConn, e: NewEvent) -> AppResult<()> {
    diesel::insert_into(events::table)
        .values((
            events::kind.eq(e.kind.as_str()),
            events::actor_id.eq(e.actor_id),
            events::thread_id.eq(e.thread_id),
            events::post_id.eq(e.post_id),
            events::article_id.eq(e.article_id),
            events::subject_id.eq(e.subject_id),
            events::payload.eq(e.payload.to_string()),
            events::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// An event as read back by a consumer.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub article_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub payload: String,
    pub created_at: NaiveDateTime,
}

impl Event {
    /// The kind, if this build knows it.
    pub fn kind(&self) -> Option<Kind> {
        Kind::parse(&self.kind)
    }
    /// A payload value (`Null` when absent or the payload is not JSON).
    pub fn field(&self, key: &str) -> serde_json::Value {
        payload_field(&self.payload, key)
    }
}

/// A value of a JSON object stored as text (`Null` when absent or not JSON): event payloads,
/// and the payloads other tables copy from them.
pub fn payload_field(payload: &str, key: &str) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v.get(key).cloned())
        .unwrap_or(serde_json::Value::Null)
}

/// The newest event id (0 when there is none).
pub fn newest_id(conn: &mut DbConn) -> AppResult<i64> {
    let max: Option<i64> = events::table
        .select(diesel::dsl::max(events::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// The highest id below which every event is older than the grace window: a position that
/// is final (a fresh search index starts from it).
pub fn final_position(conn: &mut DbConn) -> AppResult<i64> {
    let young: Option<i64> = events::table
        .filter(events::created_at.ge(now() - GRACE))
        .select(diesel::dsl::min(events::id))
        .first(conn)?;
    Ok(match young {
        Some(first_young) => first_young - 1,
        None => newest_id(conn)?,
    })
}

/// Events up to this id were pruned: a consumer whose cursor is below it missed some (a search
/// index that old is rebuilt).
pub fn pruned_through(conn: &mut DbConn) -> AppResult<i64> {
    Ok(crate::db::get_setting(conn, "events.pruned_through")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// When the first event after `id` was written (`None`: there is none): how far behind a
/// consumer at `id` is, in time.
pub fn first_time_after(conn: &mut DbConn, id: i64) -> AppResult<Option<NaiveDateTime>> {
    Ok(events::table
        .filter(events::id.gt(id))
        .order(events::id.asc())
        .select(events::created_at)
        .first(conn)
        .optional()?)
}

// ---------------------------------------------------------------------------------------------
// Durable cursors

/// A consumer's stored cursor: everything up to `position` is applied, and so are the ids in
/// `applied` (past `position`, inside the grace window).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = event_cursors)]
pub struct Cursor {
    pub consumer: String,
    pub position: i64,
    pub applied: String,
    pub updated_at: NaiveDateTime,
}

/// The stored tail of `consumer`; a consumer seen for the first time starts at the newest
/// event (it reacts to what happens from now on, not to history).
pub fn load_tail(conn: &mut DbConn, consumer: &str) -> AppResult<Tail> {
    match load_tail_readonly(conn, consumer)? {
        Some(tail) => Ok(tail),
        None => {
            let start = newest_id(conn)?;
            save_tail(conn, consumer, &Tail::at(start))?;
            Ok(Tail::at(start))
        }
    }
}

/// The stored tail of `consumer`, if it has one (without creating it).
pub fn load_tail_readonly(conn: &mut DbConn, consumer: &str) -> AppResult<Option<Tail>> {
    let row: Option<Cursor> = event_cursors::table
        .find(consumer)
        .select(Cursor::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|c| Tail::from_parts(c.position, &c.applied)))
}

/// Stores `tail` as the cursor of `consumer` (in the caller's transaction, with the effects).
pub fn save_tail(conn: &mut DbConn, consumer: &str, tail: &Tail) -> AppResult<()> {
    let values = || {
        (
            event_cursors::position.eq(tail.position),
            event_cursors::applied.eq(tail.applied_text()),
            event_cursors::updated_at.eq(now()),
        )
    };
    let updated = diesel::update(event_cursors::table.find(consumer))
        .set(values())
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(event_cursors::table)
            .values((event_cursors::consumer.eq(consumer), values()))
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets a consumer that no longer runs (a retired node's search index), so its cursor no
/// longer holds back pruning. Returns whether there was one.
pub fn forget(conn: &mut DbConn, consumer: &str) -> AppResult<bool> {
    let n = diesel::delete(event_cursors::table.find(consumer)).execute(conn)?;
    diesel::delete(event_leases::table.find(consumer)).execute(conn)?;
    Ok(n > 0)
}

// ---------------------------------------------------------------------------------------------
// Pruning

/// How long events are kept at least (`events.keep_days` in the config).
pub fn keep(days: u32) -> TimeDelta {
    TimeDelta::days(i64::from(days.max(1)))
}

/// Deletes events older than `keep` that every consumer has passed, never the newest one
/// (SQLite would reuse its id, and ids must keep growing past every cursor). Returns how
/// many went.
pub fn prune(conn: &mut DbConn, keep: TimeDelta) -> AppResult<usize> {
    let newest = newest_id(conn)?;
    if newest == 0 {
        return Ok(0);
    }
    let slowest: Option<i64> = event_cursors::table
        .select(diesel::dsl::min(event_cursors::position))
        .first(conn)?;
    // Nothing past the slowest consumer goes, and nothing young.
    let through = slowest.unwrap_or(newest).min(newest - 1);
    let cutoff = now() - keep;
    let doomed = events::table
        .filter(events::id.le(through))
        .filter(events::created_at.lt(cutoff));
    let last: Option<i64> = doomed.select(diesel::dsl::max(events::id)).first(conn)?;
    let Some(last) = last else { return Ok(0) };
    let n = diesel::delete(
        events::table
            .filter(events::id.le(last))
            .filter(events::created_at.lt(cutoff)),
    )
    .execute(conn)?;
    if last > pruned_through(conn)? {
        crate::db::put_setting(conn, "events.pruned_through", &last.to_string())?;
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// Status (`peerdesk events`)

/// One consumer as `peerdesk events` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ConsumerStatus {
    pub consumer: String,
    pub position: i64,
    /// Events past the position (not counting those applied early).
    pub lag: i64,
    pub updated_at: NaiveDateTime,
    pub lease: Option<Lease>,
}

/// The log as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub newest_id: i64,
    pub oldest_id: i64,
    pub count: i64,
    pub pruned_through: i64,
    pub consumers: Vec<ConsumerStatus>,
}

pub fn status(conn: &mut DbConn) -> AppResult<Status> {
    let newest = newest_id(conn)?;
    let oldest: Option<i64> = events::table
        .select(diesel::dsl::min(events::id))
        .first(conn)?;
    let count: i64 = events::table.count().get_result(conn)?;
    let cursors: Vec<Cursor> = event_cursors::table
        .order(event_cursors::consumer.asc())
        .select(Cursor::as_select())
        .load(conn)?;
    let mut consumers = Vec::with_capacity(cursors.len());
    for c in cursors {
        let tail = Tail::from_parts(c.position, &c.applied);
        let lag: i64 = events::table
            .filter(events::id.gt(c.position))
            .count()
            .get_result(conn)?;
        consumers.push(ConsumerStatus {
            lag: (lag - tail.applied_count() as i64).max(0),
            lease: lease_of(conn, &c.consumer)?,
            consumer: c.consumer,
            position: c.position,
            updated_at: c.updated_at,
        });
    }
    Ok(Status {
        newest_id: newest,
        oldest_id: oldest.unwrap_or(0),
        count,
        pruned_through: pruned_through(conn)?,
        consumers,
    })
}

/// A consumer name: letters, digits and `-_.@:` (it is shown in the CLI and stored as a key).
pub fn check_name(name: &str) -> AppResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@:".contains(c));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(crate::msg!(
            "events-consumer-name-invalid",
            name = name
        )))
    }
}
