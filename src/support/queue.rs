//! The staff queue (`/staff`): unanswered threads, threads past their first-response target,
//! threads assigned to me or my groups, follow-ups waiting on staff and my promises — sortable
//! and filterable by category — and the metrics shown above it.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use super::{groups_of, response_target, ResponseTarget, WAITING};
use crate::accounts::User;
use crate::catalog::Category;
use crate::db::schema::{categories, promises, staff_groups, threads, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::hours::Schedule;
use crate::msg;
use crate::threads::{AuthorView, Status, Thread, ThreadSummary};

/// Which list the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// No answer yet.
    Unanswered,
    /// No first response and past the category's target.
    Overdue,
    /// Assigned to me or to one of my groups (not solved or closed).
    Mine,
    /// The asker followed up after the last staff reply.
    Followups,
    /// My promises not kept yet, due first.
    Promises,
    /// The asker pressed "I still need help" and no staff reply followed yet.
    Requested,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Requested,
        View::Unanswered,
        View::Overdue,
        View::Mine,
        View::Followups,
        View::Promises,
    ];

    pub fn parse(s: &str) -> AppResult<View> {
        match s {
            "" | "unanswered" => Ok(View::Unanswered),
            "overdue" => Ok(View::Overdue),
            "mine" => Ok(View::Mine),
            "followups" => Ok(View::Followups),
            "promises" => Ok(View::Promises),
            "requested" => Ok(View::Requested),
            other => Err(AppError::invalid(msg!(
                "support-unknown-queue",
                queue = other
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Unanswered => "unanswered",
            View::Overdue => "overdue",
            View::Mine => "mine",
            View::Followups => "followups",
            View::Promises => "promises",
            View::Requested => "requested",
        }
    }
}

/// Queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueSort {
    /// Waiting longest first (the default: first come, first served).
    Oldest,
    Newest,
    /// Most recent activity first.
    Activity,
}

impl QueueSort {
    pub fn parse(s: &str) -> AppResult<QueueSort> {
        match s {
            "" | "oldest" => Ok(QueueSort::Oldest),
            "newest" => Ok(QueueSort::Newest),
            "activity" => Ok(QueueSort::Activity),
            other => Err(AppError::invalid(msg!(
                "support-unknown-sort",
                sort = other
            ))),
        }
    }
}

#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub view: View,
    pub category_id: Option<i64>,
    pub sort: QueueSort,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

/// A promise in the queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueuePromise {
    pub id: i64,
    pub due_at: NaiveDateTime,
    pub note: String,
    pub state: &'static str,
}

/// One line of the queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueRow {
    pub thread: ThreadSummary,
    pub target: Option<ResponseTarget>,
    pub assignee: Option<AuthorView>,
    pub group: Option<String>,
    /// The asker's latest follow-up.
    pub followup_at: Option<NaiveDateTime>,
    /// My promise on this thread (the promises view).
    pub promise: Option<QueuePromise>,
    /// The asker asked for a person and no staff reply followed yet.
    pub requested: bool,
    /// Only the asker and staff see it.
    pub private: bool,
}

/// A tab of the queue with its size (pages name it with `t("queue-view", view=...)`).
#[derive(Debug, Clone, Serialize)]
pub struct ViewCount {
    pub view: View,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    pub view: View,
    pub sort: QueueSort,
    pub category_id: Option<i64>,
    pub rows: Vec<QueueRow>,
    pub counts: Vec<ViewCount>,
    pub page: i64,
    pub has_more: bool,
}

type Boxed<'a> = threads::BoxedQuery<'a, crate::db::MultiBackend>;

/// Threads assigned to me or my groups that still need staff: looked up by the assignment
/// indexes first (an OR across the two columns would scan every waiting thread).
fn assigned_to(conn: &mut DbConn, me: i64, my_groups: &[i64]) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> = threads::table
        .filter(threads::assignee_id.eq(me))
        .filter(threads::status.eq_any(WAITING))
        .select(threads::id)
        .load(conn)?;
    if !my_groups.is_empty() {
        ids.extend(
            threads::table
                .filter(threads::assigned_group_id.eq_any(my_groups))
                .filter(threads::status.eq_any(WAITING))
                .select(threads::id)
                .load::<i64>(conn)?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The threads of one view (before category filter, order and paging).
fn base<'a>(view: View, me: i64, mine: &'a [i64], t: NaiveDateTime) -> Boxed<'a> {
    // Held, hidden and deleted questions wait in the review queue, not here; merged threads
    // live on in their canonical thread. Private and unlisted ones still need an answer.
    let q = threads::table
        .filter(threads::state.eq_any(["visible", "private", "unlisted"]))
        .into_boxed();
    let not_closed = threads::status.ne(Status::Closed.as_str());
    match view {
        View::Unanswered => q.filter(threads::status.eq(Status::Open.as_str())),
        View::Overdue => q
            .filter(threads::status.eq_any(WAITING))
            .filter(threads::first_response_at.is_null())
            .filter(threads::respond_by.lt(t)),
        View::Mine => q.filter(threads::id.eq_any(mine)),
        // Asked for a person after the last staff reply (see `threads::private`).
        View::Requested => q.filter(not_closed).filter(
            threads::staff_requested_at.is_not_null().and(
                threads::staff_reply_at
                    .is_null()
                    .or(threads::staff_reply_at.lt(threads::staff_requested_at)),
            ),
        ),
        View::Followups => q.filter(not_closed).filter(
            threads::followup_at.is_not_null().and(
                threads::staff_reply_at
                    .is_null()
                    .or(threads::followup_at.gt(threads::staff_reply_at)),
            ),
        ),
        View::Promises => q.filter(
            threads::id.eq_any(
                promises::table
                    .filter(promises::staff_id.eq(me))
                    .filter(promises::kept_at.is_null())
                    .select(promises::thread_id),
            ),
        ),
    }
}

/// Largest page number (keeps crafted `page=` cheap).
const MAX_PAGE: i64 = 1000;

/// The queue for staff member `me`.
pub fn queue(conn: &mut DbConn, me: &User, f: &QueueFilter) -> AppResult<Queue> {
    super::ensure_staff(me)?;
    if f.page < 1 || f.page > MAX_PAGE {
        return Err(AppError::invalid(msg!(
            "threads-page-range",
            max = MAX_PAGE
        )));
    }
    let t = now();
    let my_groups = groups_of(conn, me.id)?;
    let mine = assigned_to(conn, me.id, &my_groups)?;
    let mut counts = Vec::new();
    for v in View::ALL {
        let mut q = base(v, me.id, &mine, t);
        if let Some(c) = f.category_id {
            q = q.filter(threads::category_id.eq(c));
        }
        counts.push(ViewCount {
            view: v,
            count: q.count().get_result(conn)?,
        });
    }
    let mut q = base(f.view, me.id, &mine, t);
    if let Some(c) = f.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    q = match (f.view, f.sort) {
        (View::Overdue, QueueSort::Oldest) => {
            q.order((threads::respond_by.asc(), threads::id.asc()))
        }
        (View::Followups, QueueSort::Oldest) => {
            q.order((threads::followup_at.asc(), threads::id.asc()))
        }
        (View::Requested, QueueSort::Oldest) => {
            q.order((threads::staff_requested_at.asc(), threads::id.asc()))
        }
        (_, QueueSort::Oldest) => q.order(threads::id.asc()),
        (_, QueueSort::Newest) => q.order(threads::id.desc()),
        (_, QueueSort::Activity) => q.order((threads::last_activity_at.desc(), threads::id.desc())),
    };
    let (ids, has_more) = if f.view == View::Promises && f.sort == QueueSort::Oldest {
        // Due first, across pages: one person's open promises are few, so order them here.
        let all: Vec<i64> = q.select(threads::id).load(conn)?;
        let mut due: HashMap<i64, NaiveDateTime> = HashMap::new();
        for (thread_id, due_at) in promises::table
            .filter(promises::staff_id.eq(me.id))
            .filter(promises::kept_at.is_null())
            .select((promises::thread_id, promises::due_at))
            .load::<(i64, NaiveDateTime)>(conn)?
        {
            let e = due.entry(thread_id).or_insert(due_at);
            *e = (*e).min(due_at);
        }
        let mut all = all;
        all.sort_by_key(|id| (due.get(id).copied(), *id));
        let start = ((f.page - 1) * f.per_page) as usize;
        let page: Vec<i64> = all
            .iter()
            .skip(start)
            .take(f.per_page as usize)
            .copied()
            .collect();
        (page, all.len() > start + f.per_page as usize)
    } else {
        let ids: Vec<i64> = q
            .select(threads::id)
            .limit(f.per_page + 1)
            .offset((f.page - 1) * f.per_page)
            .load(conn)?;
        let has_more = ids.len() as i64 > f.per_page;
        (
            ids.into_iter().take(f.per_page as usize).collect(),
            has_more,
        )
    };
    let rows = rows_for(conn, me, &ids, t)?;
    Ok(Queue {
        view: f.view,
        sort: f.sort,
        category_id: f.category_id,
        rows,
        counts,
        page: f.page,
        has_more,
    })
}

/// Queue rows for thread ids, in the ids' order.
fn rows_for(
    conn: &mut DbConn,
    me: &User,
    ids: &[i64],
    t: NaiveDateTime,
) -> AppResult<Vec<QueueRow>> {
    let loaded: Vec<(Thread, User, Category)> = threads::table
        .inner_join(users::table)
        .inner_join(categories::table)
        .filter(threads::id.eq_any(ids))
        .select((
            Thread::as_select(),
            User::as_select(),
            Category::as_select(),
        ))
        .load(conn)?;
    let raw: HashMap<i64, Thread> = loaded.iter().map(|r| (r.0.id, r.0.clone())).collect();
    let categories: HashMap<i64, Category> = loaded.iter().map(|r| (r.2.id, r.2.clone())).collect();
    let summaries: HashMap<i64, ThreadSummary> = crate::threads::summarize(conn, loaded)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let assignee_ids: Vec<i64> = raw.values().filter_map(|t| t.assignee_id).collect();
    let assignees: HashMap<i64, AuthorView> = users::table
        .filter(users::id.eq_any(&assignee_ids))
        .select(User::as_select())
        .load::<User>(conn)?
        .iter()
        .map(|u| (u.id, AuthorView::from(u)))
        .collect();
    let group_ids: Vec<i64> = raw.values().filter_map(|t| t.assigned_group_id).collect();
    let groups: HashMap<i64, String> = staff_groups::table
        .filter(staff_groups::id.eq_any(&group_ids))
        .select((staff_groups::id, staff_groups::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut my_promises: HashMap<i64, QueuePromise> = HashMap::new();
    for p in promises::table
        .filter(promises::thread_id.eq_any(ids))
        .filter(promises::staff_id.eq(me.id))
        .filter(promises::kept_at.is_null())
        .order(promises::due_at.desc())
        .select(super::Promise::as_select())
        .load::<super::Promise>(conn)?
    {
        // Ordered latest due first: the earliest due wins.
        my_promises.insert(
            p.thread_id,
            QueuePromise {
                state: p.state(t),
                id: p.id,
                due_at: p.due_at,
                note: p.note,
            },
        );
    }
    let mut summaries = summaries;
    Ok(ids
        .iter()
        .filter_map(|id| {
            let th = raw.get(id)?;
            Some(QueueRow {
                thread: summaries.remove(id)?,
                target: categories
                    .get(&th.category_id)
                    .and_then(|c| response_target(th, c, t)),
                assignee: th.assignee_id.and_then(|a| assignees.get(&a).cloned()),
                group: th.assigned_group_id.and_then(|g| groups.get(&g).cloned()),
                followup_at: th.followup_at,
                promise: my_promises.remove(id),
                requested: crate::threads::private::staff_request_open(th),
                private: th.is_private(),
            })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Metrics

/// First responses in one category over a window.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ResponseStats {
    /// Median minutes from question to first response (None: no responses); business minutes
    /// for questions in categories with business hours. Pages word it with `|duration`.
    pub median_minutes: Option<i64>,
    /// Questions asked in the window that got a first response.
    pub responded: usize,
    /// Questions asked in the window still without one.
    pub waiting: usize,
    /// First responses from staff and from peers.
    pub by_staff: usize,
    pub by_peers: usize,
    /// Share of first responses from peers, in percent.
    pub peer_share: Option<u32>,
    /// Responses within the target (threads with a target only).
    pub within_target: usize,
    pub with_target: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryStats {
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// The first-response target (pages: `|duration`, or `|business_duration` with
    /// `business_hours`).
    pub target_minutes: Option<i32>,
    /// The category's business hours (canonical text): its times count business minutes.
    pub business_hours: Option<String>,
    pub last_7_days: ResponseStats,
    pub last_30_days: ResponseStats,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct PromiseStats {
    /// Promises due in the window (and already due), by outcome.
    pub kept_on_time: usize,
    pub kept_late: usize,
    pub missed: usize,
    /// kept_on_time / all due, in percent.
    pub on_time_share: Option<u32>,
    /// Not due yet.
    pub upcoming: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub categories: Vec<CategoryStats>,
    pub all_7_days: ResponseStats,
    pub all_30_days: ResponseStats,
    pub promises_30_days: PromiseStats,
    /// Askers who pressed "I still need help" in 30 days, and requests still waiting.
    pub requests_30_days: i64,
    pub requests_waiting: i64,
}

fn percent(part: usize, whole: usize) -> Option<u32> {
    (whole > 0).then(|| ((part as f64 * 100.0 / whole as f64).round()) as u32)
}

/// A question as the first-response figures read it (also the self-service dashboard's, per
/// day: one definition of "first response" for both).
pub struct Asked {
    pub category_id: i64,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub first_response_at: Option<NaiveDateTime>,
    pub first_response_staff: bool,
    pub respond_by: Option<NaiveDateTime>,
}

type AskedRow = (
    i64,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    bool,
    Option<NaiveDateTime>,
);

/// First responses to `rows`: median time, by staff and by peers, within target. Wall-clock
/// time: what the asker waited (the self-service dashboard's figure).
pub fn response_stats<'a>(rows: impl Iterator<Item = &'a Asked>) -> ResponseStats {
    response_stats_in(rows, &HashMap::new())
}

/// `response_stats` with time counted in business minutes for questions in categories with
/// business hours (`hours`, by category id; others count wall-clock time): the staff
/// metrics, which measure the desk against its targets.
pub fn response_stats_in<'a>(
    rows: impl Iterator<Item = &'a Asked>,
    hours: &HashMap<i64, Schedule>,
) -> ResponseStats {
    let mut s = ResponseStats::default();
    let mut minutes = Vec::new();
    for r in rows {
        match r.first_response_at {
            Some(at) => {
                let schedule = hours.get(&r.category_id);
                minutes.push(crate::hours::elapsed(r.created_at, at, schedule));
                if r.first_response_staff {
                    s.by_staff += 1;
                } else {
                    s.by_peers += 1;
                }
                if let Some(by) = r.respond_by {
                    s.with_target += 1;
                    if at <= by {
                        s.within_target += 1;
                    }
                }
            }
            None if super::awaits_response(&r.status) => s.waiting += 1,
            None => {}
        }
    }
    s.responded = minutes.len();
    if !minutes.is_empty() {
        minutes.sort_unstable();
        let n = minutes.len();
        let median = if n % 2 == 1 {
            minutes[n / 2]
        } else {
            (minutes[n / 2 - 1] + minutes[n / 2]) / 2
        };
        s.median_minutes = Some(median);
    }
    s.peer_share = percent(s.by_peers, s.responded);
    s
}

/// Median time to first response per category (last 7 and 30 days, by asking time), first
/// responses by peers vs staff, and promises kept on time (due in the last 30 days).
pub fn metrics(conn: &mut DbConn) -> AppResult<Metrics> {
    let t = now();
    let since_30 = t - TimeDelta::days(30);
    let since_7 = t - TimeDelta::days(7);
    let asked: Vec<Asked> = threads::table
        .filter(threads::created_at.ge(since_30))
        .select((
            threads::category_id,
            threads::status,
            threads::created_at,
            threads::first_response_at,
            threads::first_response_staff,
            threads::respond_by,
        ))
        .load::<AskedRow>(conn)?
        .into_iter()
        .map(
            |(category_id, status, created_at, first_response_at, staff, respond_by)| Asked {
                category_id,
                status,
                created_at,
                first_response_at,
                first_response_staff: staff,
                respond_by,
            },
        )
        .collect();
    let all = crate::catalog::list_categories(conn)?;
    let hours: HashMap<i64, Schedule> = all
        .iter()
        .filter_map(|c| Some((c.id, c.schedule()?)))
        .collect();
    let categories = all
        .into_iter()
        .map(|c| {
            let in_cat = || asked.iter().filter(move |a| a.category_id == c.id);
            CategoryStats {
                last_7_days: response_stats_in(
                    in_cat().filter(|a| a.created_at >= since_7),
                    &hours,
                ),
                last_30_days: response_stats_in(in_cat(), &hours),
                target_minutes: c.first_response_minutes,
                business_hours: c.business_hours,
                id: c.id,
                name: c.name,
                slug: c.slug,
            }
        })
        .collect();
    let due: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = promises::table
        .filter(promises::due_at.ge(since_30))
        .select((promises::due_at, promises::kept_at))
        .load(conn)?;
    let mut p = PromiseStats::default();
    for (due_at, kept_at) in due {
        match kept_at {
            Some(k) if k <= due_at => p.kept_on_time += 1,
            Some(_) => p.kept_late += 1,
            None if due_at < t => p.missed += 1,
            None => p.upcoming += 1,
        }
    }
    p.on_time_share = percent(p.kept_on_time, p.kept_on_time + p.kept_late + p.missed);
    let requests_30_days = threads::table
        .filter(threads::staff_requested_at.ge(since_30))
        .count()
        .get_result(conn)?;
    let requests_waiting = base(View::Requested, 0, &[], t).count().get_result(conn)?;
    Ok(Metrics {
        categories,
        all_7_days: response_stats_in(asked.iter().filter(|a| a.created_at >= since_7), &hours),
        all_30_days: response_stats_in(asked.iter(), &hours),
        promises_30_days: p,
        requests_30_days,
        requests_waiting,
    })
}
