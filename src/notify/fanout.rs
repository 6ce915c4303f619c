//! The notifier: a consumer of the event log that decides who is told about each event, writes
//! their notifications and, for those who want it at once, an email job — all in the
//! transaction that moves its cursor, so a replay notifies nobody twice. Fan-out to thousands
//! of watchers happens here, never in the request that caused it.

use std::collections::HashSet;

use chrono::TimeDelta;
use diesel::prelude::*;

use super::prefs::{self, Delivery};
use super::watch::{self, Level, TopicLevel};
use super::Kind;
use crate::db::schema::{notifications, posts, promises, users};
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::events::{self, Consumer, Event};
use crate::threads::{self as qa, Thread};

/// Where the notifier sends email: `None` when email is off.
#[derive(Debug, Clone)]
pub struct EmailPlan {
    /// How long an immediate email waits (dropped if read meanwhile).
    pub delay: TimeDelta,
    /// The domain of Message-IDs.
    pub domain: String,
}

pub struct Notifier {
    pub email: Option<EmailPlan>,
}

/// Ids per `IN (...)` list (SQLite allows 32,766 bound values).
const CHUNK: usize = 1000;
/// Mentions per post that notify (a post naming 500 people notifies the first 20).
const MAX_MENTIONS: usize = 20;
/// Characters of the post quoted in the notification and its email.
const EXCERPT_CHARS: usize = 200;

impl Consumer for Notifier {
    fn name(&self) -> String {
        "notifier".into()
    }
    fn cluster_wide(&self) -> bool {
        true
    }
    fn apply(&mut self, conn: &mut DbConn, event: &Event) -> AppResult<()> {
        let Some(kind) = event.kind() else {
            return Ok(());
        };
        let planned = if kind == events::Kind::BadgeAwarded {
            badge_plan(conn, event)?
        } else if is_moderation(kind) {
            moderation_plan(conn, kind, event)?
        } else {
            plan(conn, kind, event)?
        };
        let Some(plan) = planned else {
            return Ok(());
        };
        write(conn, event, plan, self.email.as_ref())
    }
}

/// Who is told what about one event.
struct Plan {
    /// None: about no thread (an account, feedback on an article).
    thread_id: Option<i64>,
    post_id: Option<i64>,
    actor: Option<i64>,
    /// Whether the notifications name the actor (moderators' decisions do not).
    show_actor: bool,
    muted: HashSet<i64>,
    seen: HashSet<i64>,
    /// (user, kind), in order of how closely it concerns them: each person once.
    out: Vec<(i64, Kind)>,
    payload: serde_json::Value,
}

impl Plan {
    fn new(conn: &mut DbConn, event: &Event, thread: &Thread) -> AppResult<Plan> {
        let muted = watch::thread_watchers(conn, thread.id, Level::Muted)?
            .into_iter()
            .collect();
        Ok(Plan {
            thread_id: Some(thread.id),
            post_id: event.post_id,
            actor: event.actor_id,
            show_actor: true,
            muted,
            seen: HashSet::new(),
            out: Vec::new(),
            payload: serde_json::json!({}),
        })
    }
    /// A moderator's decision (or a badge) for the one person it concerns: no watchers, no
    /// mutes, and the moderator goes unnamed.
    fn decision(thread_id: Option<i64>, post_id: Option<i64>, actor: Option<i64>) -> Plan {
        Plan {
            thread_id,
            post_id,
            actor,
            show_actor: false,
            muted: HashSet::new(),
            seen: HashSet::new(),
            out: Vec::new(),
            payload: serde_json::json!({}),
        }
    }
    fn add(&mut self, user: i64, kind: Kind) {
        // The actor is never told of their own act; a muted thread tells nothing (but staff
        // still learn of work given to them, and everyone of moderators' decisions about them).
        let heard = kind == Kind::Assigned || kind.moderation();
        if Some(user) == self.actor || (self.muted.contains(&user) && !heard) {
            return;
        }
        if self.seen.insert(user) {
            self.out.push((user, kind));
        }
    }
    fn add_all(&mut self, users: impl IntoIterator<Item = i64>, kind: Kind) {
        for u in users {
            self.add(u, kind);
        }
    }
    fn set(&mut self, key: &str, value: impl Into<serde_json::Value>) {
        if let serde_json::Value::Object(map) = &mut self.payload {
            map.insert(key.into(), value.into());
        }
    }
}

fn excerpt(text: &str) -> String {
    crate::render::markdown::excerpt(text, EXCERPT_CHARS)
}

/// The users a text mentions (unknown handles are ignored).
fn mentioned_users(conn: &mut DbConn, text: &str) -> AppResult<Vec<i64>> {
    let mut handles = crate::render::markdown::mentioned_handles(text);
    handles.truncate(MAX_MENTIONS);
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::handle.eq_any(&handles))
        .select(users::id)
        .load(conn)?)
}

/// Everyone watching the thread, its category or one of its tags closely enough.
fn watchers(
    conn: &mut DbConn,
    thread: &Thread,
    new_question: bool,
) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let on_thread = watch::thread_watchers(conn, thread.id, Level::Watching)?;
    let tags = crate::catalog::tag_ids_of(conn, thread.id)?;
    let topic: Vec<i64> = watch::topic_watchers(conn, thread.category_id, &tags)?
        .into_iter()
        .filter(|(_, level)| new_question || *level == TopicLevel::Watching)
        .map(|(u, _)| u)
        .collect();
    Ok((on_thread, topic))
}

fn plan(conn: &mut DbConn, kind: events::Kind, event: &Event) -> AppResult<Option<Plan>> {
    use events::Kind as E;
    let Some(thread_id) = event.thread_id else {
        return Ok(None);
    };
    let relevant = matches!(
        kind,
        E::QuestionAsked
            | E::AnswerPosted
            | E::FollowupPosted
            | E::CommentPosted
            | E::AnswerAccepted
            | E::ThreadClosed
            | E::ThreadReopened
            | E::ThreadAssigned
            | E::PromiseMade
            | E::PromiseKept
            | E::ArticlePublished
            | E::PublishOffered
            | E::StaffRequested
    );
    if !relevant {
        return Ok(None);
    }
    let Ok(thread) = qa::find_thread(conn, thread_id) else {
        return Ok(None); // deleted since
    };
    let mut p = Plan::new(conn, event, &thread)?;
    let asker = thread.author_id;
    match kind {
        E::QuestionAsked => {
            if let Some(actor) = event.actor_id {
                watch::watch_on_taking_part(conn, actor, thread.id)?;
            }
            let post = post_text(conn, event.post_id)?;
            p.set("excerpt", excerpt(&post));
            let mentioned = mentioned_users(conn, &post)?;
            p.add_all(mentioned, Kind::Mention);
            let (_, topic) = watchers(conn, &thread, true)?;
            p.add_all(topic, Kind::NewQuestion);
        }
        E::AnswerPosted | E::FollowupPosted => {
            if let Some(actor) = event.actor_id {
                watch::watch_on_taking_part(conn, actor, thread.id)?;
            }
            let post = post_text(conn, event.post_id)?;
            p.set("excerpt", excerpt(&post));
            if kind == E::AnswerPosted {
                p.add(asker, Kind::Answer);
            } else {
                // The customer followed up: staff who answered it or own it.
                let mut staff = staff_answerers(conn, thread.id)?;
                staff.extend(thread.assignee_id);
                if let Some(g) = thread.assigned_group_id {
                    staff.extend(crate::support::group_members(conn, g)?);
                }
                p.add_all(staff, Kind::CustomerFollowup);
            }
            let mentioned = mentioned_users(conn, &post)?;
            p.add_all(mentioned, Kind::Mention);
            let (on_thread, topic) = watchers(conn, &thread, false)?;
            p.add_all(on_thread, Kind::WatchedPost);
            p.add_all(topic, Kind::WatchedPost);
        }
        E::CommentPosted => {
            // Comments on internal notes stay among staff: nobody is notified of them here.
            if event.field("internal").as_bool() == Some(true) {
                return Ok(None);
            }
            if let Some(actor) = event.actor_id {
                watch::watch_on_taking_part(conn, actor, thread.id)?;
            }
            let text = match event.subject_id {
                Some(c) => qa::find_comment(conn, c)
                    .map(|c| c.body_text)
                    .unwrap_or_default(),
                None => String::new(),
            };
            p.set("excerpt", excerpt(&text));
            if let Some(post_id) = event.post_id {
                if let Ok(post) = qa::find_post(conn, post_id) {
                    p.add(post.author_id, Kind::Comment);
                }
            }
            let mentioned = mentioned_users(conn, &text)?;
            p.add_all(mentioned, Kind::Mention);
            let (on_thread, _) = watchers(conn, &thread, false)?;
            p.add_all(on_thread, Kind::WatchedPost);
        }
        E::AnswerAccepted => {
            if let Some(author) = event.subject_id {
                p.add(author, Kind::Accepted);
            }
        }
        E::ThreadClosed => {
            p.set("duplicate_of", event.field("duplicate_of"));
            p.add(asker, Kind::Closed);
        }
        E::ThreadReopened => p.add(asker, Kind::Reopened),
        E::ThreadAssigned => {
            p.set("note", event.field("note"));
            let named = match event.subject_id {
                Some(id) => crate::accounts::find(conn, id).ok(),
                None => None,
            };
            if let Some(user) = &named {
                p.set("to", user.display_name());
                p.add(user.id, Kind::Assigned);
            }
            if let Some(g) = event.field("group_id").as_i64() {
                let members = crate::support::group_members(conn, g)?;
                p.add_all(members, Kind::Assigned);
            }
            // The customer learns who took their question (the note is for staff).
            if named.is_some() {
                p.add(asker, Kind::Referred);
            }
        }
        E::PromiseMade | E::PromiseKept => {
            if let Some(promise_id) = event.subject_id {
                let found: Option<(chrono::NaiveDateTime, String)> = promises::table
                    .find(promise_id)
                    .select((promises::due_at, promises::note))
                    .first(conn)
                    .optional()?;
                if let Some((due, note)) = found {
                    p.set("due_at", due.format("%Y-%m-%dT%H:%M:%S").to_string());
                    p.set("note", note);
                }
            }
            let k = if kind == E::PromiseMade {
                Kind::PromiseMade
            } else {
                Kind::PromiseKept
            };
            p.add(asker, k);
        }
        E::PublishOffered => p.add(asker, Kind::PublishOffered),
        E::StaffRequested => {
            // Whoever owns or answered it; the queue's "requested staff" list shows it to all.
            let mut staff = staff_answerers(conn, thread.id)?;
            staff.extend(thread.assignee_id);
            if let Some(g) = thread.assigned_group_id {
                staff.extend(crate::support::group_members(conn, g)?);
            }
            p.add_all(staff, Kind::StaffRequested);
        }
        E::ArticlePublished => {
            if let Some(article) = event.article_id {
                p.set("article_id", article);
            }
            p.add(asker, Kind::Promoted);
            if let Some(post) = event.post_id.and_then(|id| qa::find_post(conn, id).ok()) {
                if post.kind == qa::ANSWER {
                    p.add(post.author_id, Kind::ArticleFromAnswer);
                }
            }
        }
        _ => return Ok(None),
    }
    if thread.is_private() {
        keep_private_readers(conn, &thread, &mut p)?;
    }
    Ok(Some(p))
}

/// A private thread tells only those who may open it (a watcher of its category or someone
/// mentioned in it learns nothing): its asker, staff and admins, moderators when allowed.
fn keep_private_readers(conn: &mut DbConn, thread: &Thread, p: &mut Plan) -> AppResult<()> {
    let moderators_too = crate::site::moderators_see_private(conn)?;
    let ids: Vec<i64> = p.out.iter().map(|o| o.0).collect();
    let mut readers = HashSet::from([thread.author_id]);
    for chunk in ids.chunks(CHUNK) {
        let roles: Vec<(i64, String)> = users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::role))
            .load(conn)?;
        for (id, role) in roles {
            let role = crate::accounts::Role::parse(&role).unwrap_or(crate::accounts::Role::Member);
            if role.is_staff() || (moderators_too && role.can_moderate()) {
                readers.insert(id);
            }
        }
    }
    p.out.retain(|o| readers.contains(&o.0));
    Ok(())
}

/// Events that tell someone what moderators decided about their posts, flags or account.
fn is_moderation(kind: events::Kind) -> bool {
    use events::Kind as E;
    matches!(
        kind,
        E::PostHidden
            | E::PostDeleted
            | E::PostRestored
            | E::PostApproved
            | E::EditApproved
            | E::EditRejected
            | E::FlagResolved
            | E::UserSilenced
            | E::ThreadMerged
    )
}

/// One moderation notice: who is told, of what, and where it leads.
#[derive(Debug, PartialEq)]
struct Notice {
    user: i64,
    kind: Kind,
    thread_id: Option<i64>,
    post_id: Option<i64>,
    payload: serde_json::Value,
}

/// The reason worth quoting: a moderator's own words (system reasons such as `@flags` are
/// worded by the notification itself).
fn reason_text(reason: &str) -> Option<String> {
    crate::screen::reason_message(reason)
        .text
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// A stored moment (`2026-12-08 10:00:00`, or with a `T`) as the payloads keep them.
fn moment(s: &str) -> Option<String> {
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s.trim(), f).ok())
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

/// What a moderation event tells whom, from the event alone (`None`: nobody to tell). A
/// flag on a comment still needs the comment's post (see `moderation_plan`); a merge needs
/// the duplicate's asker.
fn moderation_notice(kind: events::Kind, event: &Event) -> Option<Notice> {
    use events::Kind as E;
    let reason = event.field("reason");
    let reason = reason.as_str().unwrap_or_default();
    let mut payload = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        payload.insert(key.to_string(), value);
    };
    if let Some(text) = reason_text(reason) {
        put("reason", text.into());
    }
    let (user, notice_kind, post_id) = match kind {
        E::PostHidden | E::PostDeleted | E::PostRestored | E::PostApproved => {
            let (author, what) = if event.field("target").as_str() == Some("comment") {
                (event.field("author").as_i64()?, "comment")
            } else {
                let what = match event.field("kind").as_str() {
                    Some("question") => "question",
                    Some("answer") => "answer",
                    Some("followup") => "followup",
                    _ => "post",
                };
                (event.subject_id?, what)
            };
            let action = match kind {
                E::PostHidden => "hidden",
                E::PostDeleted => "deleted",
                E::PostRestored => "restored",
                _ => "approved",
            };
            // Hidden by enough flags, before anyone reviewed it.
            let by = if event.actor_id.is_none() && reason == "@flags" {
                "flags"
            } else {
                "moderator"
            };
            put("action", action.into());
            put("what", what.into());
            put("by", by.into());
            (author, Kind::Moderated, event.post_id)
        }
        E::EditApproved | E::EditRejected => {
            let action = if kind == E::EditApproved {
                "approved"
            } else {
                "rejected"
            };
            put("action", action.into());
            put("what", "edit".into());
            put("by", "moderator".into());
            (
                event.field("editor").as_i64()?,
                Kind::Moderated,
                event.post_id,
            )
        }
        E::FlagResolved => {
            let outcome = match event.field("outcome").as_str() {
                Some("agreed") => "agreed",
                _ => "dismissed",
            };
            let target = match event.field("target").as_str() {
                Some("comment") => "comment",
                Some("feedback") => "feedback",
                _ => "post",
            };
            put("outcome", outcome.into());
            put("target", target.into());
            let post_id = if target == "post" {
                event.field("target_id").as_i64()
            } else {
                None
            };
            (event.field("flagger").as_i64()?, Kind::FlagOutcome, post_id)
        }
        E::UserSilenced => {
            let until = event.field("until").as_str().and_then(moment);
            put("until", until.into());
            (event.subject_id?, Kind::Silenced, None)
        }
        _ => return None,
    };
    let thread_id = if notice_kind == Kind::Silenced {
        None
    } else {
        event.thread_id
    };
    Some(Notice {
        user,
        kind: notice_kind,
        thread_id,
        post_id,
        payload: serde_json::Value::Object(payload),
    })
}

/// Tells the person concerned what a moderator (or members' flags) decided: an author of
/// their post, comment or edit, a flagger of their flag, a member of their silence, an asker
/// of their question merged into another (whose watchers then watch the canonical thread).
fn moderation_plan(
    conn: &mut DbConn,
    kind: events::Kind,
    event: &Event,
) -> AppResult<Option<Plan>> {
    if kind == events::Kind::ThreadMerged {
        return merged_plan(conn, event);
    }
    let Some(mut notice) = moderation_notice(kind, event) else {
        return Ok(None);
    };
    // A flag on a comment leads to the post it is on.
    if notice.kind == Kind::FlagOutcome && event.field("target").as_str() == Some("comment") {
        if let Some(comment) = event.field("target_id").as_i64() {
            notice.post_id = qa::find_comment(conn, comment).ok().map(|c| c.post_id);
        }
    }
    if let Some(t) = notice.thread_id {
        if qa::find_thread(conn, t).is_err() {
            return Ok(None); // deleted since
        }
    }
    let exists = users::table
        .find(notice.user)
        .count()
        .get_result::<i64>(conn)?;
    if exists == 0 {
        return Ok(None);
    }
    let mut p = Plan::decision(notice.thread_id, notice.post_id, event.actor_id);
    p.payload = notice.payload;
    p.add(notice.user, notice.kind);
    Ok(Some(p))
}

/// A duplicate merged into its canonical thread (subject): the duplicate's asker is told, on
/// the canonical thread; the duplicate's watchers watch the canonical thread from now on.
fn merged_plan(conn: &mut DbConn, event: &Event) -> AppResult<Option<Plan>> {
    let (Some(duplicate), Some(canonical)) = (event.thread_id, event.subject_id) else {
        return Ok(None);
    };
    let (Ok(dup), Ok(canonical)) = (
        qa::find_thread(conn, duplicate),
        qa::find_thread(conn, canonical),
    ) else {
        return Ok(None); // deleted since
    };
    watch::copy_thread_watchers(conn, dup.id, canonical.id)?;
    let mut p = Plan::decision(Some(canonical.id), None, event.actor_id);
    let title = event.field("title");
    p.set("duplicate", title.as_str().unwrap_or(&dup.title));
    p.set("duplicate_id", dup.id);
    p.set("answers", event.field("answers").as_i64().unwrap_or(0));
    p.add(dup.author_id, Kind::Merged);
    Ok(Some(p))
}

/// Who a badge award tells, from the event alone: its holder (subject), on no thread, with
/// the badge id (its name is a message, `badge-name`), tier and award row. `None`: no holder,
/// or an id that is not a badge's.
fn badge_notice(event: &Event) -> Option<Notice> {
    let user = event.subject_id?;
    let badge = event.field("badge");
    let badge = badge.as_str().filter(|b| {
        !b.is_empty()
            && b.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    })?;
    let tier = match event.field("tier").as_str() {
        Some("gold") => "gold",
        Some("silver") => "silver",
        _ => "bronze",
    };
    Some(Notice {
        user,
        kind: Kind::Badge,
        thread_id: None,
        post_id: event.post_id,
        payload: serde_json::json!({
            "badge": badge,
            "tier": tier,
            "award": event.field("award"),
        }),
    })
}

/// A badge awarded: its holder is told (no actor, no thread, no mutes; it leads to the
/// badge's page).
fn badge_plan(conn: &mut DbConn, event: &Event) -> AppResult<Option<Plan>> {
    let Some(notice) = badge_notice(event) else {
        return Ok(None);
    };
    let exists = users::table
        .find(notice.user)
        .count()
        .get_result::<i64>(conn)?;
    if exists == 0 {
        return Ok(None);
    }
    let mut p = Plan::decision(None, notice.post_id, None);
    p.payload = notice.payload;
    p.add(notice.user, notice.kind);
    Ok(Some(p))
}

fn post_text(conn: &mut DbConn, post_id: Option<i64>) -> AppResult<String> {
    Ok(match post_id {
        Some(id) => posts::table
            .find(id)
            .select(posts::body_text)
            .first(conn)
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// Staff who answered a thread publicly.
fn staff_answerers(conn: &mut DbConn, thread_id: i64) -> AppResult<Vec<i64>> {
    let authors: Vec<i64> = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .filter(posts::kind.eq(qa::ANSWER))
        .select(posts::author_id)
        .distinct()
        .load(conn)?;
    let staff: Vec<(i64, String)> = users::table
        .filter(users::id.eq_any(&authors))
        .select((users::id, users::role))
        .load(conn)?;
    Ok(staff
        .into_iter()
        .filter(|(_, role)| {
            crate::accounts::Role::parse(role).is_ok_and(crate::accounts::Role::is_staff)
        })
        .map(|(id, _)| id)
        .collect())
}

/// Writes the plan's notifications (in chunks) and the immediate emails.
fn write(conn: &mut DbConn, event: &Event, plan: Plan, email: Option<&EmailPlan>) -> AppResult<()> {
    if plan.out.is_empty() {
        return Ok(());
    }
    let t = now();
    let payload = plan.payload.to_string();
    // One row at a time: the backends share no batch insert here, and a prepared insert in
    // one transaction writes thousands of rows a second.
    for (user, kind) in &plan.out {
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(*user),
                notifications::kind.eq(kind.as_str()),
                notifications::event_id.eq(event.id),
                notifications::thread_id.eq(plan.thread_id),
                notifications::post_id.eq(plan.post_id),
                notifications::actor_id.eq(plan.actor.filter(|_| plan.show_actor)),
                notifications::payload.eq(&payload),
                notifications::created_at.eq(t),
            ))
            .execute(conn)?;
    }
    if let Some(email) = email {
        queue_emails(conn, event.id, &plan.out, email)?;
    }
    Ok(())
}

/// One notification not caused by an event (a reminder): `key` stands in for the event id.
pub struct One {
    pub user_id: i64,
    pub kind: Kind,
    pub key: i64,
    pub thread_id: i64,
    pub post_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub payload: serde_json::Value,
}

/// Writes `one` unless it was written before (same user, key and kind). Returns whether it
/// was written now.
pub fn notify_one(conn: &mut DbConn, one: One, email: Option<&EmailPlan>) -> AppResult<bool> {
    let exists = notifications::table
        .filter(notifications::user_id.eq(one.user_id))
        .filter(notifications::event_id.eq(one.key))
        .filter(notifications::kind.eq(one.kind.as_str()))
        .count()
        .get_result::<i64>(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(notifications::table)
        .values((
            notifications::user_id.eq(one.user_id),
            notifications::kind.eq(one.kind.as_str()),
            notifications::event_id.eq(one.key),
            notifications::thread_id.eq(Some(one.thread_id)),
            notifications::post_id.eq(one.post_id),
            notifications::actor_id.eq(one.actor_id),
            notifications::payload.eq(one.payload.to_string()),
            notifications::created_at.eq(now()),
        ))
        .execute(conn)?;
    if let Some(email) = email {
        queue_emails(conn, one.key, &[(one.user_id, one.kind)], email)?;
    }
    Ok(true)
}

/// Email jobs for the notifications of one event whose recipients want them at once.
fn queue_emails(
    conn: &mut DbConn,
    event_id: i64,
    out: &[(i64, Kind)],
    email: &EmailPlan,
) -> AppResult<()> {
    let send_after = now() + email.delay;
    let mut kinds: Vec<Kind> = out.iter().map(|(_, k)| *k).collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    for kind in kinds {
        let users_of_kind: Vec<i64> = out
            .iter()
            .filter(|(_, k)| *k == kind)
            .map(|(u, _)| *u)
            .collect();
        for chunk in users_of_kind.chunks(CHUNK) {
            let delivery = prefs::delivery_of(conn, chunk, kind)?;
            let instant: Vec<i64> = chunk
                .iter()
                .copied()
                .filter(|u| delivery.get(u) == Some(&Delivery::Instant))
                .collect();
            if instant.is_empty() {
                continue;
            }
            let rows: Vec<(i64, i64, String)> = notifications::table
                .inner_join(users::table.on(users::id.eq(notifications::user_id)))
                .filter(notifications::event_id.eq(event_id))
                .filter(notifications::kind.eq(kind.as_str()))
                .filter(notifications::user_id.eq_any(&instant))
                .filter(users::email.ne(""))
                .select((notifications::id, users::id, users::email))
                .load(conn)?;
            for (notification_id, user_id, address) in rows {
                crate::mail::enqueue(
                    conn,
                    &email.domain,
                    crate::mail::NewMail {
                        user_id: Some(user_id),
                        to: &address,
                        kind: "notification",
                        notification_id: Some(notification_id),
                        content: None,
                        send_after,
                    },
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(
        kind: events::Kind,
        actor: Option<i64>,
        subject: Option<i64>,
        payload: serde_json::Value,
    ) -> Event {
        Event {
            id: 1,
            kind: kind.as_str().into(),
            actor_id: actor,
            thread_id: Some(10),
            post_id: Some(20),
            article_id: None,
            subject_id: subject,
            payload: payload.to_string(),
            created_at: now(),
        }
    }

    fn notice(e: &Event) -> Option<Notice> {
        moderation_notice(e.kind().expect("a known kind"), e)
    }

    #[test]
    fn a_post_s_author_hears_what_a_moderator_did_with_the_reason() {
        use events::Kind as E;
        let e = event(
            E::PostHidden,
            Some(7),
            Some(3),
            serde_json::json!({"target": "post", "kind": "answer", "reason": " Ads ", "from": "visible"}),
        );
        assert!(is_moderation(E::PostHidden));
        let n = notice(&e).expect("the author is told");
        assert_eq!((n.user, n.kind), (3, Kind::Moderated));
        assert_eq!((n.thread_id, n.post_id), (Some(10), Some(20)));
        assert_eq!(
            n.payload,
            serde_json::json!({"action": "hidden", "what": "answer", "by": "moderator", "reason": "Ads"})
        );
        for (kind, action) in [
            (E::PostDeleted, "deleted"),
            (E::PostRestored, "restored"),
            (E::PostApproved, "approved"),
        ] {
            let e = event(
                kind,
                Some(7),
                Some(3),
                serde_json::json!({"target": "post", "kind": "question", "reason": ""}),
            );
            let n = notice(&e).expect("the author is told");
            assert_eq!(n.payload["action"], action);
            assert_eq!(n.payload["what"], "question");
            // No reason given: nothing to quote.
            assert!(n.payload.get("reason").is_none());
        }
    }

    #[test]
    fn hidden_by_flags_tells_the_comment_s_author_without_a_system_code() {
        let e = event(
            events::Kind::PostHidden,
            None,
            Some(55),
            serde_json::json!({"target": "comment", "author": 4, "reason": "@flags", "from": "visible"}),
        );
        let n = notice(&e).expect("the author is told");
        assert_eq!((n.user, n.kind, n.post_id), (4, Kind::Moderated, Some(20)));
        assert_eq!(n.payload["by"], "flags");
        assert_eq!(n.payload["what"], "comment");
        assert!(n.payload.get("reason").is_none(), "{}", n.payload);
    }

    #[test]
    fn editors_flaggers_and_silenced_members_are_told() {
        use events::Kind as E;
        let e = event(
            E::EditRejected,
            Some(7),
            Some(99),
            serde_json::json!({"editor": 5, "reason": "Changes the meaning"}),
        );
        let n = notice(&e).expect("the editor is told");
        assert_eq!((n.user, n.kind), (5, Kind::Moderated));
        assert_eq!(n.payload["action"], "rejected");
        assert_eq!(n.payload["what"], "edit");
        assert_eq!(n.payload["reason"], "Changes the meaning");

        let flag = |outcome: &str, flagger: serde_json::Value, target: &str| {
            let e = event(
                E::FlagResolved,
                Some(7),
                Some(300),
                serde_json::json!({"outcome": outcome, "flagger": flagger, "target": target, "target_id": 21, "reason": "Thanks"}),
            );
            notice(&e)
        };
        let n = flag("agreed", 6.into(), "post").expect("the flagger is told");
        assert_eq!(
            (n.user, n.kind, n.post_id),
            (6, Kind::FlagOutcome, Some(21))
        );
        assert_eq!(n.payload["outcome"], "agreed");
        assert_eq!(n.payload["reason"], "Thanks");
        let n = flag("dismissed", 6.into(), "comment").expect("the flagger is told");
        assert_eq!(
            (n.payload["outcome"].as_str(), n.post_id),
            (Some("dismissed"), None)
        );
        // An automatic flag (a watched word) has no flagger to tell.
        assert!(flag("agreed", serde_json::Value::Null, "post").is_none());

        let e = event(
            E::UserSilenced,
            Some(7),
            Some(8),
            serde_json::json!({"until": "2030-01-02 10:00:00", "reason": "Cool off"}),
        );
        let n = notice(&e).expect("the member is told");
        assert_eq!((n.user, n.kind, n.thread_id), (8, Kind::Silenced, None));
        assert_eq!(n.payload["until"], "2030-01-02T10:00:00");
        let e = event(
            E::UserSilenced,
            Some(7),
            Some(8),
            serde_json::json!({"until": null, "reason": ""}),
        );
        assert_eq!(
            notice(&e).expect("lifted").payload["until"],
            serde_json::Value::Null
        );

        // Suspended people cannot sign in; the rest is not a moderation notice.
        assert!(!is_moderation(E::UserSuspended));
        assert!(notice(&event(
            E::AnswerPosted,
            Some(1),
            None,
            serde_json::json!({})
        ))
        .is_none());
    }

    #[test]
    fn moderators_are_not_told_of_their_own_decisions() {
        let e = event(
            events::Kind::PostDeleted,
            Some(3),
            Some(3),
            serde_json::json!({"target": "post", "kind": "answer", "reason": "dup"}),
        );
        let n = notice(&e).expect("a notice");
        let mut p = Plan::decision(n.thread_id, n.post_id, e.actor_id);
        p.add(n.user, n.kind);
        assert!(p.out.is_empty());
        // Others are told even on a thread they muted, and the moderator goes unnamed.
        let mut p = Plan::decision(n.thread_id, n.post_id, Some(9));
        p.muted.insert(3);
        p.add(3, Kind::Moderated);
        assert_eq!(p.out, vec![(3, Kind::Moderated)]);
        assert!(!p.show_actor);
    }

    #[test]
    fn a_badge_s_holder_is_told_on_no_thread() {
        use events::Kind as E;
        let e = event(
            E::BadgeAwarded,
            None,
            Some(4),
            serde_json::json!({"badge": "good_answer", "tier": "bronze", "award": 12}),
        );
        assert!(!is_moderation(E::BadgeAwarded));
        let n = badge_notice(&e).expect("the holder is told");
        assert_eq!((n.user, n.kind), (4, Kind::Badge));
        // The post it is for is kept; the link leads to the badge's page, not a thread.
        assert_eq!((n.thread_id, n.post_id), (None, Some(20)));
        assert_eq!(
            n.payload,
            serde_json::json!({"badge": "good_answer", "tier": "bronze", "award": 12})
        );
        let mut p = Plan::decision(n.thread_id, n.post_id, e.actor_id);
        p.add(n.user, n.kind);
        assert_eq!(p.out, vec![(4, Kind::Badge)]);
        // A badge for no post; an unknown tier is bronze.
        let mut e = event(
            E::BadgeAwarded,
            None,
            Some(4),
            serde_json::json!({"badge": "streak_30", "tier": "platinum", "award": 13}),
        );
        e.post_id = None;
        e.thread_id = None;
        let n = badge_notice(&e).expect("the holder is told");
        assert_eq!((n.thread_id, n.post_id), (None, None));
        assert_eq!(n.payload["tier"], "bronze");
        // No holder, or no badge id fit for a link: nobody is told.
        let bad = |subject: Option<i64>, badge: serde_json::Value| {
            badge_notice(&event(
                E::BadgeAwarded,
                None,
                subject,
                serde_json::json!({"badge": badge, "tier": "gold", "award": 1}),
            ))
        };
        assert!(bad(None, "editor".into()).is_none());
        assert!(bad(Some(4), serde_json::Value::Null).is_none());
        assert!(bad(Some(4), "".into()).is_none());
        assert!(bad(Some(4), "../x".into()).is_none());
    }

    #[test]
    fn excerpts_are_cut_on_characters_with_an_ellipsis() {
        assert_eq!(excerpt("short\n\ntext"), "short text");
        let long = "ä".repeat(500);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
