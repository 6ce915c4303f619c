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
        let Some(plan) = plan(conn, kind, event)? else {
            return Ok(());
        };
        write(conn, event, plan, self.email.as_ref())
    }
}

/// Who is told what about one event.
struct Plan {
    thread_id: i64,
    post_id: Option<i64>,
    actor: Option<i64>,
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
            thread_id: thread.id,
            post_id: event.post_id,
            actor: event.actor_id,
            muted,
            seen: HashSet::new(),
            out: Vec::new(),
            payload: serde_json::json!({}),
        })
    }
    fn add(&mut self, user: i64, kind: Kind) {
        // The actor is never told of their own act; a muted thread tells nothing (but staff
        // still learn of work given to them).
        if Some(user) == self.actor || (self.muted.contains(&user) && kind != Kind::Assigned) {
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
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", cut.trim_end())
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
                notifications::thread_id.eq(Some(plan.thread_id)),
                notifications::post_id.eq(plan.post_id),
                notifications::actor_id.eq(plan.actor),
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

    #[test]
    fn excerpts_are_cut_on_characters_with_an_ellipsis() {
        assert_eq!(excerpt("short\n\ntext"), "short text");
        let long = "ä".repeat(500);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
