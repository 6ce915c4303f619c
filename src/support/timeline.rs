//! A thread's public timeline — asked, first response (and by whom), follow-ups, referrals,
//! promises, answers, accepted, closed, promoted to the knowledge base — built from the rows
//! each of those already has, plus "what changed since your last visit".

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::User;
use crate::db::schema::{staff_groups, thread_events, users};
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::i18n::{Arg, Msg};
use crate::msg;
use crate::threads::TimelineKind as EventKind;
use crate::threads::{AnswerPlace, AuthorView, Thread, ThreadDetail};

/// The timeline lists this many answers at most (the newest); earlier ones are one line with
/// their number, so the timeline beside every page stays small however many answers there are.
const TIMELINE_ANSWERS: usize = 20;

#[derive(Queryable, Selectable)]
#[diesel(table_name = thread_events)]
struct EventRow {
    kind: String,
    actor_id: i64,
    assignee_id: Option<i64>,
    group_id: Option<i64>,
    note: String,
    created_at: NaiveDateTime,
}

/// One line of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// asked, first_response, followup, answered, referred, unassigned, promised, followed_up,
    /// accepted, closed, reopened, promoted; `earlier_answers` counts the answers not listed.
    pub kind: &'static str,
    pub at: NaiveDateTime,
    pub actor: Option<AuthorView>,
    /// What happened, worded in the reader's language where it is shown (`{{ e.message|tr }}`).
    pub message: Msg,
    /// The same in English, for API clients.
    pub text: String,
    /// Where it happened (`#post-12` on this page, `/t/1/slug?page=2#post-40` on another, an
    /// article URL).
    pub link: Option<String>,
    /// Public detail (what a promise is about).
    pub detail: Option<String>,
    /// Staff-only context (an assignment's note); absent for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Promises: when the follow-up is due, and its state (see `Promise::state`).
    pub due_at: Option<NaiveDateTime>,
    pub state: Option<&'static str>,
    pub promise_id: Option<i64>,
    /// Happened since the viewer's last visit (and not by the viewer).
    pub is_new: bool,
}

impl TimelineEntry {
    fn new(kind: &'static str, at: NaiveDateTime, actor: Option<AuthorView>, message: Msg) -> Self {
        TimelineEntry {
            kind,
            at,
            actor,
            text: message.english(),
            message,
            link: None,
            detail: None,
            note: None,
            due_at: None,
            state: None,
            promise_id: None,
            is_new: false,
        }
    }
}

/// "Sam Support, Networking" for staff; the name for everyone else.
pub fn signature(a: &AuthorView) -> Arg {
    if a.is_staff && !a.title.is_empty() {
        Arg::from(format!("{}, {}", a.name, a.title))
    } else {
        name_of(a)
    }
}

/// A person's name in a sentence: "a customer" for an asker who published anonymously.
fn name_of(a: &AuthorView) -> Arg {
    if a.anonymous {
        Arg::Message("qa-a-customer".into())
    } else {
        Arg::from(a.name.as_str())
    }
}

/// The timeline of a thread as `viewer` may see it, oldest first.
pub fn timeline(
    conn: &mut DbConn,
    thread: &Thread,
    detail: &ThreadDetail,
    promises: &[(super::Promise, User)],
    article: Option<&crate::kb::ArticleRef>,
    viewer: Option<&User>,
) -> AppResult<Vec<TimelineEntry>> {
    let staff = viewer.is_some_and(|v| v.role().is_staff());
    let mut out = Vec::new();
    let asker = detail.author.clone();
    out.push(TimelineEntry::new(
        "asked",
        thread.created_at,
        Some(asker.clone()),
        msg!("support-tl-asked", name = name_of(&asker)),
    ));

    // People named by events and the first response, loaded once.
    let events: Vec<EventRow> = thread_events::table
        .filter(thread_events::thread_id.eq(thread.id))
        .order(thread_events::id.asc())
        .select(EventRow::as_select())
        .load(conn)?;
    // The published article made from the thread, and who promoted it (its author): the
    // "promoted" entry is theirs like any other, so it is no news to them.
    let promoted = article.filter(|a| a.status == crate::kb::ArticleStatus::Published.as_str());
    let promoter: Option<i64> = match promoted {
        Some(a) => crate::db::schema::kb_articles::table
            .find(a.id)
            .select(crate::db::schema::kb_articles::author_id)
            .first::<i64>(conn)
            .optional()?,
        None => None,
    };
    // The answers listed: the newest (on any page).
    let mut listed: Vec<&AnswerPlace> = detail.all_answers.iter().collect();
    listed.sort_by_key(|a| std::cmp::Reverse((a.created_at, a.id)));
    let earlier = listed.split_off(listed.len().min(TIMELINE_ANSWERS));
    let mut ids: Vec<i64> = events
        .iter()
        .flat_map(|e| [Some(e.actor_id), e.assignee_id])
        .flatten()
        .chain(thread.first_response_by)
        .chain(promises.iter().filter_map(|(p, _)| p.kept_by))
        .chain(promoter)
        .chain(listed.iter().map(|a| a.author_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    // Most of them wrote posts on the page already; load only the others.
    let mut people: HashMap<i64, AuthorView> = std::iter::once(&detail.question)
        .chain(&detail.answers)
        .chain(&detail.followups)
        .map(|p| (p.author.id, p.author.clone()))
        .filter(|(id, _)| ids.binary_search(id).is_ok())
        .collect();
    // An asker who published as "a customer" stays one here too.
    if crate::threads::hides_asker(thread, viewer) {
        people.insert(thread.author_id, AuthorView::anonymous());
    }
    ids.retain(|id| !people.contains_key(id));
    if !ids.is_empty() {
        for u in users::table
            .filter(users::id.eq_any(&ids))
            .select(User::as_select())
            .load::<User>(conn)?
        {
            people.insert(u.id, AuthorView::from(&u));
        }
    }
    let group_ids: Vec<i64> = events.iter().filter_map(|e| e.group_id).collect();
    let groups: HashMap<i64, String> = if group_ids.is_empty() {
        HashMap::new()
    } else {
        staff_groups::table
            .filter(staff_groups::id.eq_any(&group_ids))
            .select((staff_groups::id, staff_groups::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect()
    };

    if let (Some(at), Some(by)) = (thread.first_response_at, thread.first_response_by) {
        if let Some(who) = people.get(&by) {
            let after = Arg::minutes((at - thread.created_at).num_minutes());
            let by = if who.is_staff { "staff" } else { "community" };
            out.push(TimelineEntry::new(
                "first_response",
                at,
                Some(who.clone()),
                msg!(
                    "support-tl-first-response",
                    after = after,
                    person = signature(who),
                    by = by
                ),
            ));
        }
    }
    for f in &detail.followups {
        let mut e = TimelineEntry::new(
            "followup",
            f.created_at,
            Some(f.author.clone()),
            msg!("support-tl-followup", name = name_of(&f.author)),
        );
        e.link = Some(detail.link_to(f.id));
        out.push(e);
    }
    for a in listed {
        let Some(author) = people.get(&a.author_id) else {
            continue;
        };
        let mut e = TimelineEntry::new(
            "answered",
            a.created_at,
            Some(author.clone()),
            msg!("support-tl-answered", person = signature(author)),
        );
        e.link = Some(detail.link_to(a.id));
        out.push(e);
    }
    // Placed just before the answers listed (the newest of those left out).
    if let Some(newest) = earlier.first() {
        out.push(TimelineEntry::new(
            "earlier_answers",
            newest.created_at,
            None,
            msg!("support-tl-earlier-answers", count = earlier.len()),
        ));
    }
    for EventRow {
        kind,
        actor_id,
        assignee_id: assignee,
        group_id,
        note,
        created_at: at,
    } in events
    {
        let Some(actor) = people.get(&actor_id).cloned() else {
            continue;
        };
        let group_name = group_id.and_then(|g| groups.get(&g).cloned());
        let (kind, message) = match kind.as_str() {
            "accepted" => (
                EventKind::Accepted.as_str(),
                msg!("support-tl-accepted", name = name_of(&actor)),
            ),
            "closed" => (
                EventKind::Closed.as_str(),
                msg!("support-tl-closed", person = signature(&actor)),
            ),
            "recommended" => (
                "recommended",
                msg!("support-tl-recommended", person = signature(&actor)),
            ),
            "reopened" => (
                EventKind::Reopened.as_str(),
                msg!("support-tl-reopened", person = signature(&actor)),
            ),
            "assigned" => {
                let person = assignee.and_then(|id| people.get(&id));
                let message = match (person, &group_name) {
                    (Some(p), Some(g)) if p.id == actor.id => msg!(
                        "support-tl-looking-into-group",
                        person = signature(p),
                        group = g
                    ),
                    (Some(p), None) if p.id == actor.id => {
                        msg!("support-tl-looking-into", person = signature(p))
                    }
                    (Some(p), Some(g)) => msg!(
                        "support-tl-referred-person-group",
                        person = signature(p),
                        group = g,
                        by = name_of(&actor)
                    ),
                    (Some(p), None) => msg!(
                        "support-tl-referred-person",
                        person = signature(p),
                        by = name_of(&actor)
                    ),
                    (None, Some(g)) => {
                        msg!("support-tl-referred-group", group = g, by = name_of(&actor))
                    }
                    (None, None) => continue,
                };
                ("referred", message)
            }
            "staff_requested" => (
                "staff_requested",
                msg!("support-tl-staff-requested", name = name_of(&actor)),
            ),
            "publish_offered" => (
                "publish_offered",
                msg!("support-tl-publish-offered", person = signature(&actor)),
            ),
            "publish_declined" => ("publish_declined", msg!("support-tl-publish-declined")),
            "published" => ("published", msg!("support-tl-published")),
            "made_private" => (
                "made_private",
                msg!("support-tl-made-private", person = signature(&actor)),
            ),
            // Taking an assignment back is internal bookkeeping.
            "unassigned" if staff => (
                "unassigned",
                msg!("support-tl-unassigned", name = name_of(&actor)),
            ),
            _ => continue,
        };
        let mut e = TimelineEntry::new(kind, at, Some(actor), message);
        if kind == "accepted" {
            e.link = detail.accepted_post_id.map(|id| detail.link_to(id));
        }
        let asker = viewer.is_some_and(|v| v.id == thread.author_id);
        if kind == "staff_requested" {
            // Why the asker wants a person is between them and staff.
            if staff || asker {
                e.detail = Some(note);
            }
        } else if staff && !note.is_empty() {
            e.note = Some(note);
        }
        out.push(e);
    }
    let t = now();
    for (p, u) in promises {
        let who = AuthorView::from(u);
        let mut e = TimelineEntry::new(
            "promised",
            p.created_at,
            Some(who.clone()),
            msg!("support-tl-promised", person = signature(&who)),
        );
        e.detail = (!p.note.is_empty()).then(|| p.note.clone());
        e.due_at = Some(p.due_at);
        e.state = Some(p.state(t));
        e.promise_id = Some(p.id);
        out.push(e);
        if let Some(kept) = p.kept_at {
            let timing = if kept <= p.due_at { "on-time" } else { "late" };
            let keeper = p
                .kept_by
                .and_then(|id| people.get(&id).cloned())
                .unwrap_or_else(|| who.clone());
            let message = if keeper.id == who.id {
                msg!(
                    "support-tl-followed-up",
                    name = name_of(&who),
                    timing = timing
                )
            } else {
                msg!(
                    "support-tl-followed-up-for",
                    keeper = &keeper.name,
                    name = name_of(&who),
                    timing = timing
                )
            };
            let mut k = TimelineEntry::new("followed_up", kept, Some(keeper), message);
            k.link = p.kept_post_id.map(|id| detail.link_to(id));
            k.state = Some(p.state(t));
            k.promise_id = Some(p.id);
            out.push(k);
        }
    }
    if let Some(a) = promoted {
        let mut e = TimelineEntry::new(
            "promoted",
            a.created_at,
            promoter.and_then(|id| people.get(&id).cloned()),
            msg!("support-tl-promoted", title = &a.title),
        );
        e.link = Some(a.url.clone());
        out.push(e);
    }
    // Stable: same-time entries keep the order above (asked before its first response).
    out.sort_by_key(|e| e.at);
    Ok(out)
}

/// What changed since the viewer last saw the thread.
#[derive(Debug, Clone, Serialize)]
pub struct SinceVisit {
    pub seen_at: NaiveDateTime,
    pub new_answers: usize,
    pub new_followups: usize,
    pub new_comments: usize,
    /// Other news, in words ("Answer accepted by ...", "Referred to ..."): `{{ c|tr }}`.
    pub changes: Vec<Msg>,
    /// Anchor of the first new post, to jump to.
    pub first_new: Option<String>,
}

impl SinceVisit {
    pub fn is_empty(&self) -> bool {
        self.new_answers + self.new_followups + self.new_comments == 0 && self.changes.is_empty()
    }
}

/// Marks what is new since `seen_at` on this page (posts, comments, timeline entries by others)
/// and sums it up for the whole thread, every page of answers included (`new_comments`: the
/// thread's comments since then by others); None when nothing changed.
pub fn since_visit(
    detail: &mut ThreadDetail,
    timeline: &mut [TimelineEntry],
    seen_at: NaiveDateTime,
    viewer_id: i64,
    new_comments: i64,
) -> Option<SinceVisit> {
    let fresh = |at: NaiveDateTime, author: i64| at > seen_at && author != viewer_id;
    let mut s = SinceVisit {
        seen_at,
        new_answers: 0,
        new_followups: 0,
        new_comments: 0,
        changes: Vec::new(),
        first_new: None,
    };
    let mut first: Option<(NaiveDateTime, i64)> = None;
    let mut note = |at: NaiveDateTime, id: i64| {
        if first.is_none_or(|(first_at, _)| at < first_at) {
            first = Some((at, id));
        }
    };
    for p in detail.followups.iter_mut() {
        if fresh(p.created_at, p.author.id) {
            p.is_new = true;
            s.new_followups += 1;
            note(p.created_at, p.id);
        }
    }
    // Answers on every page count; those on this one are marked.
    for a in &detail.all_answers {
        if fresh(a.created_at, a.author_id) {
            s.new_answers += 1;
            note(a.created_at, a.id);
        }
    }
    for p in detail.answers.iter_mut() {
        p.is_new = fresh(p.created_at, p.author.id);
    }
    for p in std::iter::once(&mut detail.question)
        .chain(detail.followups.iter_mut())
        .chain(detail.answers.iter_mut())
    {
        for c in p.comments.iter_mut() {
            c.is_new = fresh(c.created_at, c.author.id);
        }
    }
    s.new_comments = usize::try_from(new_comments).unwrap_or(0);
    for e in timeline.iter_mut() {
        let by_viewer = e.actor.as_ref().is_some_and(|a| a.id == viewer_id);
        if e.at > seen_at && !by_viewer {
            e.is_new = true;
            if !matches!(
                e.kind,
                "answered" | "earlier_answers" | "followup" | "first_response"
            ) {
                s.changes.push(e.message.clone());
            }
        }
    }
    s.first_new = first.map(|(_, id)| detail.link_to(id));
    (!s.is_empty()).then_some(s)
}
