//! The audit log: who did what to what, when, why, and what it was before — for every
//! moderation, staff and admin action. The `audit` consumer of the event log copies those
//! events into `audit_log`, which keeps them for good (events are pruned); nothing updates or
//! deletes its rows. The admin page and API read it with filters.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use crate::db::schema::{audit_log, posts, users};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::events::{Consumer, Event, Kind};
use crate::msg;

/// Writes audit entries from the event log.
pub struct Recorder;

impl Consumer for Recorder {
    fn name(&self) -> String {
        "audit".into()
    }
    fn cluster_wide(&self) -> bool {
        true
    }
    fn apply(&mut self, conn: &mut DbConn, event: &Event) -> AppResult<()> {
        let Some(entry) = entry_of(conn, event)? else {
            return Ok(());
        };
        // The unique event id makes a replay write nothing.
        let seen = audit_log::table
            .filter(audit_log::event_id.eq(event.id))
            .count()
            .get_result::<i64>(conn)?;
        if seen > 0 {
            return Ok(());
        }
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::event_id.eq(event.id),
                audit_log::actor_id.eq(event.actor_id),
                audit_log::action.eq(&event.kind),
                audit_log::object_kind.eq(entry.object_kind),
                audit_log::object_id.eq(entry.object_id),
                audit_log::reason.eq(&entry.reason),
                audit_log::before.eq(entry.before.to_string()),
                audit_log::after.eq(entry.after.to_string()),
                audit_log::created_at.eq(event.created_at),
            ))
            .execute(conn)?;
        Ok(())
    }
}

struct Entry {
    object_kind: &'static str,
    object_id: Option<i64>,
    reason: String,
    before: Value,
    after: Value,
}

/// The actions the log keeps, and what each says.
pub const ACTIONS: [Kind; 32] = [
    Kind::UserRoleChanged,
    Kind::UserSuspended,
    Kind::TokenCreated,
    Kind::ThreadClosed,
    Kind::ThreadReopened,
    Kind::ThreadLocked,
    Kind::ThreadUnlocked,
    Kind::ThreadMoved,
    Kind::ThreadPinned,
    Kind::ThreadUnpinned,
    Kind::ThreadAssigned,
    Kind::ThreadUnassigned,
    Kind::PostEdited,
    Kind::ArticleStatusChanged,
    Kind::ArticlePublished,
    Kind::CategoryChanged,
    Kind::SettingChanged,
    Kind::PostHidden,
    Kind::PostDeleted,
    Kind::PostRestored,
    Kind::PostApproved,
    Kind::FlagResolved,
    Kind::ThreadMerged,
    Kind::ThreadUnlisted,
    Kind::ThreadRelisted,
    Kind::UserSilenced,
    Kind::EditApproved,
    Kind::EditRejected,
    Kind::TrustLevelChanged,
    Kind::ThreadMadePrivate,
    Kind::PublishOffered,
    Kind::ThreadPublished,
];

fn entry_of(conn: &mut DbConn, e: &Event) -> AppResult<Option<Entry>> {
    let Some(kind) = e.kind().filter(|k| ACTIONS.contains(k)) else {
        return Ok(None);
    };
    let text = |key: &str| e.field(key).as_str().unwrap_or_default().to_string();
    let entry = |object_kind, object_id, before, after| Entry {
        object_kind,
        object_id,
        reason: String::new(),
        before,
        after,
    };
    Ok(Some(match kind {
        Kind::UserRoleChanged => entry(
            "user",
            e.subject_id,
            json!({ "role": e.field("previous") }),
            json!({ "role": e.field("role") }),
        ),
        Kind::UserSuspended => Entry {
            reason: text("reason"),
            ..entry(
                "user",
                e.subject_id,
                json!({}),
                json!({ "suspended_until": e.field("until") }),
            )
        },
        // Levels earned automatically are not anyone's action; those set by hand are.
        Kind::TrustLevelChanged if e.actor_id.is_none() => return Ok(None),
        Kind::TrustLevelChanged => entry(
            "user",
            e.subject_id,
            json!({ "trust_level": e.field("previous") }),
            json!({ "trust_level": e.field("level"), "locked": e.field("locked") }),
        ),
        Kind::UserSilenced => Entry {
            reason: text("reason"),
            ..entry(
                "user",
                e.subject_id,
                json!({}),
                json!({ "silenced_until": e.field("until") }),
            )
        },
        Kind::PostHidden | Kind::PostDeleted | Kind::PostRestored | Kind::PostApproved => {
            let comment = e.field("target").as_str() == Some("comment");
            let to = match kind {
                Kind::PostHidden => "hidden",
                Kind::PostDeleted => "deleted",
                _ => "visible",
            };
            Entry {
                reason: text("reason"),
                ..entry(
                    if comment { "comment" } else { "post" },
                    if comment { e.subject_id } else { e.post_id },
                    json!({ "state": e.field("from") }),
                    json!({ "state": to }),
                )
            }
        }
        Kind::FlagResolved => Entry {
            reason: text("reason"),
            ..entry(
                "flag",
                e.subject_id,
                json!({ "target": e.field("target"), "target_id": e.field("target_id") }),
                json!({ "outcome": e.field("outcome") }),
            )
        },
        Kind::ThreadMerged => entry(
            "thread",
            e.thread_id,
            json!({ "title": e.field("title") }),
            json!({ "merged_into": e.subject_id, "answers_moved": e.field("answers") }),
        ),
        Kind::ThreadUnlisted | Kind::ThreadRelisted => Entry {
            reason: text("reason"),
            ..entry(
                "thread",
                e.thread_id,
                json!({}),
                json!({ "unlisted": kind == Kind::ThreadUnlisted }),
            )
        },
        Kind::EditApproved | Kind::EditRejected => Entry {
            reason: text("reason"),
            ..entry(
                "post",
                e.post_id,
                json!({ "editor_id": e.field("editor") }),
                json!({ "edit": if kind == Kind::EditApproved { "applied" } else { "rejected" } }),
            )
        },
        Kind::TokenCreated => entry(
            "token",
            e.subject_id,
            json!({}),
            json!({ "name": e.field("name") }),
        ),
        Kind::ThreadClosed | Kind::ThreadReopened => Entry {
            reason: text("reason"),
            ..entry(
                "thread",
                e.thread_id,
                json!({}),
                json!({
                    "status": if kind == Kind::ThreadClosed { "closed" } else { "open" },
                    "duplicate_of": e.field("duplicate_of"),
                }),
            )
        },
        Kind::ThreadLocked | Kind::ThreadUnlocked => Entry {
            reason: text("reason"),
            ..entry(
                "thread",
                e.thread_id,
                json!({ "lock_reason": e.field("previous_reason") }),
                json!({ "locked": kind == Kind::ThreadLocked }),
            )
        },
        Kind::ThreadPinned | Kind::ThreadUnpinned => entry(
            "thread",
            e.thread_id,
            json!({}),
            json!({ "pinned": kind == Kind::ThreadPinned }),
        ),
        Kind::ThreadMoved => entry(
            "thread",
            e.thread_id,
            json!({ "category_id": e.field("from") }),
            json!({ "category_id": e.subject_id }),
        ),
        Kind::ThreadAssigned | Kind::ThreadUnassigned => Entry {
            reason: text("note"),
            ..entry(
                "thread",
                e.thread_id,
                json!({}),
                json!({ "assignee_id": e.subject_id, "group_id": e.field("group_id") }),
            )
        },
        // Authors editing their own posts are not moderation.
        Kind::PostEdited => {
            if e.field("by_author").as_bool() != Some(false) {
                return Ok(None);
            }
            let author: Option<i64> = match e.post_id {
                Some(p) => posts::table
                    .find(p)
                    .select(posts::author_id)
                    .first(conn)
                    .optional()?,
                None => None,
            };
            entry(
                "post",
                e.post_id,
                json!({ "author_id": author }),
                json!({ "revision": e.subject_id }),
            )
        }
        Kind::ArticleStatusChanged | Kind::ArticlePublished => entry(
            "article",
            e.article_id,
            json!({ "status": e.field("previous_status") }),
            json!({ "status": e.field("status") }),
        ),
        Kind::CategoryChanged => entry(
            "category",
            e.subject_id,
            json!({
                "slug": e.field("previous_slug"),
                "name": e.field("previous_name"),
                "business_hours": e.field("previous_business_hours"),
            }),
            json!({ "business_hours": e.field("business_hours") }),
        ),
        Kind::SettingChanged if e.field("setting").as_str() == Some("site") => entry(
            "setting",
            None,
            json!({ "name": e.field("name"), "value": e.field("before") }),
            json!({ "name": e.field("name"), "value": e.field("after") }),
        ),
        Kind::ThreadMadePrivate | Kind::PublishOffered | Kind::ThreadPublished => {
            let privacy = match kind {
                Kind::ThreadMadePrivate => json!("private"),
                Kind::PublishOffered => json!("offered"),
                _ if e.field("anonymous").as_bool() == Some(true) => json!("anonymous"),
                _ => json!("public"),
            };
            entry(
                "thread",
                e.thread_id,
                json!({}),
                json!({ "privacy": privacy }),
            )
        }
        Kind::SettingChanged => {
            let object_kind = match e.field("setting").as_str() {
                Some("category") => "category",
                Some("group") => "group",
                _ => "setting",
            };
            entry(
                object_kind,
                e.subject_id,
                json!({}),
                json!({ "change": e.field("change"), "name": e.field("name") }),
            )
        }
        _ => return Ok(None),
    }))
}

/// An entry as the admin page and API show it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<i64>,
    pub reason: String,
    pub before: Value,
    pub after: Value,
    pub created_at: NaiveDateTime,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The actor's handle.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_kind: Option<String>,
    pub object_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub page: i64,
}

pub const PER_PAGE: i64 = 50;

type Row = (
    i64,
    Option<String>,
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    NaiveDateTime,
);

/// The columns of an entry as listed (the actor by handle): a macro, as the select's type
/// is long to spell.
macro_rules! row_columns {
    () => {
        (
            audit_log::id,
            users::handle.nullable(),
            audit_log::action,
            audit_log::object_kind,
            audit_log::object_id,
            audit_log::reason,
            audit_log::before,
            audit_log::after,
            audit_log::created_at,
        )
    };
}

/// A page of entries, newest first, and whether there are more.
pub fn list(conn: &mut DbConn, f: &Filter) -> AppResult<(Vec<AuditEntry>, bool)> {
    let mut q = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
        .into_boxed();
    if let Some(handle) = &f.actor {
        q = q.filter(users::handle.eq(handle.trim().trim_start_matches('@').to_lowercase()));
    }
    if let Some(action) = &f.action {
        if !ACTIONS.iter().any(|k| k.as_str() == action) {
            return Err(AppError::invalid(msg!(
                "audit-unknown-action",
                action = action.as_str()
            )));
        }
        q = q.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(kind) = &f.object_kind {
        q = q.filter(audit_log::object_kind.eq(kind.clone()));
    }
    if let Some(id) = f.object_id {
        q = q.filter(audit_log::object_id.eq(id));
    }
    if let Some(from) = f.from {
        q = q.filter(audit_log::created_at.ge(from));
    }
    if let Some(until) = f.until {
        q = q.filter(audit_log::created_at.lt(until));
    }
    let page = f.page.clamp(1, 100_000);
    let mut rows: Vec<Row> = q
        .order(audit_log::id.desc())
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE)
        .select(row_columns!())
        .load(conn)?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    Ok((rows.into_iter().map(entry_of_row).collect(), more))
}

fn entry_of_row(row: Row) -> AuditEntry {
    let (id, actor, action, object_kind, object_id, reason, before, after, created_at) = row;
    let parse = |s: &str| serde_json::from_str(s).unwrap_or(Value::Null);
    AuditEntry {
        id,
        actor,
        action,
        object_kind,
        object_id,
        reason,
        before: parse(&before),
        after: parse(&after),
        created_at,
    }
}

/// The newest `limit` entries by a user or about them (their account: role, suspension,
/// silence, trust), newest first, for the admin's page on that user. Two indexed lookups
/// (by actor, by object) merged here: an OR across the two columns would scan the log.
pub fn about_user(conn: &mut DbConn, user_id: i64, limit: i64) -> AppResult<Vec<AuditEntry>> {
    let base = || {
        audit_log::table.left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
    };
    let mut rows: Vec<Row> = base()
        .filter(audit_log::actor_id.eq(user_id))
        .order(audit_log::id.desc())
        .limit(limit)
        .select(row_columns!())
        .load(conn)?;
    rows.extend(
        base()
            .filter(audit_log::object_kind.eq("user"))
            .filter(audit_log::object_id.eq(user_id))
            .order(audit_log::id.desc())
            .limit(limit)
            .select(row_columns!())
            .load::<Row>(conn)?,
    );
    rows.sort_unstable_by_key(|r| std::cmp::Reverse(r.0));
    rows.dedup_by_key(|r| r.0);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows.into_iter().map(entry_of_row).collect())
}
