//! The support desk: staff groups, assignment and referral, promises ("I will follow up by ..."),
//! first-response targets and the bookkeeping every public reply does (first response, last
//! staff reply, promises kept). Customer setups, the public timeline, the staff queue with its
//! metrics, the customer context panel and last visits live in the submodules.

mod actions;
pub mod context;
pub mod queue;
pub mod setup;
pub mod timeline;
pub mod visits;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::{self, User};
use crate::catalog::{self, Category};
use crate::db::schema::{promises, staff_group_members, staff_groups, threads, users};
use crate::db::{lock, now, DbConn, Lock};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::hours;
use crate::msg;
use crate::threads::{self as qa, Status, Thread, TimelineKind, TimelineRow};

pub use actions::{
    answer, ask, comment, create_category, delete_category, thread_view, update_category, Asked,
    ThreadView,
};
pub use visits::Visits;

/// Only staff and admins work the support desk (moderators curate the community).
pub fn ensure_staff(user: &User) -> AppResult<()> {
    qa::ensure_active(user)?;
    if !user.role().is_staff() {
        return Err(AppError::forbidden(msg!("support-staff-only-action")));
    }
    Ok(())
}

/// What a public reply by staff does on the support desk, in the reply's transaction: the
/// thread's open promises are kept by it — a promise belongs to the team, so any staff
/// member's reply keeps it, and the timeline says who (`threads` already recorded the first
/// response and the latest staff reply).
fn keep_promises_by_reply(
    conn: &mut DbConn,
    thread_id: i64,
    author: &User,
    at: NaiveDateTime,
    post_id: i64,
) -> AppResult<()> {
    if !author.role().is_staff() {
        return Ok(());
    }
    let open: Vec<i64> = promises::table
        .filter(promises::thread_id.eq(thread_id))
        .filter(promises::kept_at.is_null())
        .select(promises::id)
        .load(conn)?;
    if open.is_empty() {
        return Ok(());
    }
    diesel::update(promises::table.filter(promises::id.eq_any(&open)))
        .set((
            promises::kept_at.eq(Some(at)),
            promises::kept_by.eq(Some(author.id)),
            promises::kept_post_id.eq(Some(post_id)),
        ))
        .execute(conn)?;
    for id in open {
        emit_promise(conn, Kind::PromiseKept, author.id, thread_id, id)?;
    }
    Ok(())
}

fn emit_promise(
    conn: &mut DbConn,
    kind: Kind,
    actor_id: i64,
    thread_id: i64,
    promise_id: i64,
) -> AppResult<()> {
    events::emit(
        conn,
        NewEvent::new(kind)
            .actor(actor_id)
            .thread(thread_id)
            .subject(promise_id),
    )
}

// ---------------------------------------------------------------------------------------------
// First-response targets

/// A first-response target as people write it: `4h`, `30m`, `2d`, `1h30m` or a bare number of
/// hours. Empty: no target.
pub fn parse_target(raw: &str) -> AppResult<Option<i32>> {
    let raw = raw.trim().to_lowercase().replace(' ', "");
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::invalid(msg!("support-target-invalid", target = &raw));
    let minutes: i64 = if let Ok(hours) = raw.parse::<i64>() {
        hours.checked_mul(60).ok_or_else(bad)?
    } else {
        let mut total = 0i64;
        let mut number = String::new();
        for c in raw.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let n: i64 = number.parse().map_err(|_| bad())?;
            number.clear();
            let unit = match c {
                'd' => 24 * 60,
                'h' => 60,
                'm' => 1,
                _ => return Err(bad()),
            };
            total = n
                .checked_mul(unit)
                .and_then(|m| total.checked_add(m))
                .ok_or_else(bad)?;
        }
        if !number.is_empty() {
            return Err(bad());
        }
        total
    };
    if !(1..=30 * 24 * 60).contains(&minutes) {
        return Err(bad());
    }
    Ok(Some(minutes as i32))
}

/// Where a thread stands against its category's first-response target.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseTarget {
    /// The target; pages word it with `{{ target.minutes|duration }}`, or
    /// `|business_duration` when `business_hours` is set.
    pub minutes: i32,
    /// The target in English words ("4 hours", "4 business hours"), kept for API clients;
    /// pages word `minutes`.
    pub text: String,
    /// `met`, `missed` (answered late), `waiting` (no response yet, within target) or
    /// `overdue` (no response yet, past target).
    pub state: &'static str,
    /// Minutes to the first response, or waited so far (business minutes when
    /// `business_hours` is set: the clock paused while closed).
    pub elapsed_minutes: i64,
    /// Respond by.
    pub deadline: NaiveDateTime,
    /// The category's business hours the target counts in (canonical text; pages show it with
    /// `|business_hours`); None: wall-clock time.
    pub business_hours: Option<String>,
}

/// Open and answered threads wait for staff; solved and closed ones do not.
pub fn awaits_response(status: &str) -> bool {
    WAITING.contains(&status)
}

/// Statuses that still need staff (not solved, not closed).
pub const WAITING: [&str; 2] = ["open", "answered"];

/// A thread against its first-response deadline (None: no target, or closed unanswered).
/// The target and the time taken count business time when the thread's deadline is the one its
/// category's business hours give; a deadline fixed under an earlier target or schedule (a
/// thread answered before the admin changed them) keeps reading in wall-clock time.
pub fn response_target(
    thread: &Thread,
    category: &Category,
    at: NaiveDateTime,
) -> Option<ResponseTarget> {
    let deadline = thread.respond_by?;
    let schedule = category
        .schedule()
        .filter(|_| category.respond_by(thread.created_at) == Some(deadline));
    let minutes = match (&schedule, category.first_response_minutes) {
        (Some(_), Some(m)) => i64::from(m),
        _ => (deadline - thread.created_at).num_minutes(),
    };
    let (state, until) = match thread.first_response_at {
        Some(r) if r <= deadline => ("met", r),
        Some(r) => ("missed", r),
        // Closed, or solved by the asker, before anyone replied: nobody is waiting.
        None if !awaits_response(&thread.status) => return None,
        None if at <= deadline => ("waiting", at),
        None => ("overdue", at),
    };
    Some(ResponseTarget {
        minutes: minutes as i32,
        text: english_minutes(minutes, schedule.is_some()),
        state,
        elapsed_minutes: hours::elapsed(thread.created_at, until, schedule.as_ref()),
        deadline,
        business_hours: schedule.map(|s| s.to_text()),
    })
}

/// A span of minutes in English words ("4 hours", "1 h 30 min"; "4 business hours"), for API
/// clients.
fn english_minutes(minutes: i64, business: bool) -> String {
    let english = crate::i18n::english();
    let lang = english.default_language();
    if business {
        english.business_duration(lang, minutes)
    } else {
        english.duration(lang, minutes)
    }
}

/// Sets a category's first-response target and moves the deadline of its threads still
/// waiting for a first response (admins), counted in the category's business hours (so call
/// it after changing them, too). A target the business hours cannot fit is refused (422).
pub fn set_category_target(
    conn: &mut DbConn,
    category_id: i64,
    minutes: Option<i32>,
) -> AppResult<usize> {
    use crate::db::schema::categories;
    diesel::update(categories::table.find(category_id))
        .set(categories::first_response_minutes.eq(minutes))
        .execute(conn)?;
    let category = catalog::find_category(conn, category_id)?;
    if let (Some(schedule), Some(m)) = (category.schedule(), minutes) {
        schedule.fits(now(), i64::from(m))?;
    }
    // Only threads still waiting show a deadline (`response_target`): solved and closed ones
    // keep theirs, which bounds this to the open backlog.
    let waiting: Vec<(i64, NaiveDateTime)> = threads::table
        .filter(threads::category_id.eq(category_id))
        .filter(threads::first_response_at.is_null())
        .filter(threads::status.eq_any(WAITING))
        .select((threads::id, threads::created_at))
        .load(conn)?;
    for (id, created) in &waiting {
        diesel::update(threads::table.find(id))
            .set(threads::respond_by.eq(category.respond_by(*created)))
            .execute(conn)?;
    }
    Ok(waiting.len())
}

// ---------------------------------------------------------------------------------------------
// Staff groups

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = staff_groups)]
pub struct StaffGroup {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
}

/// A group with its members, for the admin page and the assign form.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    #[serde(flatten)]
    pub group: StaffGroup,
    pub members: Vec<qa::AuthorView>,
}

pub fn list_groups(conn: &mut DbConn) -> AppResult<Vec<GroupView>> {
    let groups: Vec<StaffGroup> = staff_groups::table
        .order(staff_groups::name.asc())
        .select(StaffGroup::as_select())
        .load(conn)?;
    let members: Vec<(i64, User)> = staff_group_members::table
        .inner_join(users::table)
        .order(users::name.asc())
        .select((staff_group_members::group_id, User::as_select()))
        .load(conn)?;
    Ok(groups
        .into_iter()
        .map(|g| GroupView {
            members: members
                .iter()
                .filter(|(gid, _)| *gid == g.id)
                .map(|(_, u)| qa::AuthorView::from(u))
                .collect(),
            group: g,
        })
        .collect())
}

fn find_group_by_slug(conn: &mut DbConn, slug: &str) -> AppResult<StaffGroup> {
    staff_groups::table
        .filter(staff_groups::slug.eq(slug.trim()))
        .select(StaffGroup::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid(msg!("support-no-group", group = slug.trim())))
}

/// Creates a staff group (admins).
pub fn create_group(
    conn: &mut DbConn,
    admin: &User,
    name: &str,
    description: &str,
) -> AppResult<StaffGroup> {
    ensure_admin(admin)?;
    let name = crate::input::line(name, "group-name", 60)?;
    let slug = crate::catalog::slugify(&name);
    if name.is_empty() || slug.is_empty() {
        return Err(AppError::invalid(msg!("support-group-name")));
    }
    let description = crate::input::line(description, "group-description", 200)?;
    let taken: i64 = staff_groups::table
        .filter(staff_groups::slug.eq(&slug))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::Conflict(msg!(
            "support-group-exists",
            name = &name
        )));
    }
    let group: StaffGroup = diesel::insert_into(staff_groups::table)
        .values((
            staff_groups::slug.eq(&slug),
            staff_groups::name.eq(&name),
            staff_groups::description.eq(&description),
            staff_groups::created_at.eq(now()),
        ))
        .returning(staff_groups::all_columns)
        .get_result(conn)?;
    setting_changed(conn, admin, "group", "created", group.id, &group.slug)?;
    Ok(group)
}

/// Adds or removes a staff member of a group (admins). Only staff and admins can be members.
pub fn set_membership(
    conn: &mut DbConn,
    admin: &User,
    group_id: i64,
    handle: &str,
    member: bool,
) -> AppResult<()> {
    ensure_admin(admin)?;
    staff_groups::table
        .find(group_id)
        .select(staff_groups::id)
        .first::<i64>(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("support-group-not-found")))?;
    let user = accounts::find_by_handle(conn, handle.trim().trim_start_matches('@'))
        .map_err(|_| AppError::invalid(msg!("support-no-user", handle = handle.trim())))?;
    diesel::delete(staff_group_members::table.find((group_id, user.id))).execute(conn)?;
    if member {
        if !user.role().is_staff() {
            return Err(AppError::invalid(msg!(
                "support-member-not-staff",
                handle = &user.handle
            )));
        }
        diesel::insert_into(staff_group_members::table)
            .values((
                staff_group_members::group_id.eq(group_id),
                staff_group_members::user_id.eq(user.id),
            ))
            .execute(conn)?;
    }
    let change = if member {
        "member_added"
    } else {
        "member_removed"
    };
    setting_changed(conn, admin, "group", change, group_id, &user.handle)
}

/// Records an admin's change to a site setting in the event log (the audit log keeps it).
pub(crate) fn setting_changed(
    conn: &mut DbConn,
    admin: &User,
    setting: &str,
    change: &str,
    id: i64,
    name: &str,
) -> AppResult<()> {
    events::setting_changed(conn, admin.id, setting, change, id, name)
}

fn ensure_admin(user: &User) -> AppResult<()> {
    if user.role() != accounts::Role::Admin {
        return Err(AppError::forbidden(msg!("support-admins-only-groups")));
    }
    Ok(())
}

/// Staff and admins, by name: who a thread can be assigned to.
pub fn staff_members(conn: &mut DbConn) -> AppResult<Vec<qa::AuthorView>> {
    let rows: Vec<User> = users::table
        .filter(users::role.eq_any(["staff", "admin"]))
        .order((users::name.asc(), users::handle.asc()))
        .limit(500)
        .select(User::as_select())
        .load(conn)?;
    Ok(rows.iter().map(qa::AuthorView::from).collect())
}

/// The groups a user belongs to.
/// The members of a staff group (who an assignment to the group concerns).
pub fn group_members(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<i64>> {
    Ok(staff_group_members::table
        .filter(staff_group_members::group_id.eq(group_id))
        .select(staff_group_members::user_id)
        .load(conn)?)
}

pub fn groups_of(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<i64>> {
    Ok(staff_group_members::table
        .filter(staff_group_members::user_id.eq(user_id))
        .select(staff_group_members::group_id)
        .load(conn)?)
}

// ---------------------------------------------------------------------------------------------
// Assignment and referral

/// Who a thread goes to.
#[derive(Debug, Clone, Default)]
pub struct AssignTo {
    /// A staff member's handle.
    pub handle: Option<String>,
    /// A staff group's slug.
    pub group: Option<String>,
}

/// An assignment note is for the staff who pick the thread up: at most this long.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Assigns (or refers) a thread to a staff member and/or a group, with a note for them; both
/// empty takes the assignment back. The customer sees "Referred to <name>, <title>" on the
/// timeline; the note stays with staff.
pub fn assign(
    conn: &mut DbConn,
    by: &User,
    thread_id: i64,
    to: &AssignTo,
    note: &str,
) -> AppResult<Thread> {
    ensure_staff(by)?;
    let note = crate::input::multiline(note, "note", MAX_NOTE_CHARS)?;
    lock(conn, Lock::Thread(thread_id))?;
    let thread = qa::find_thread(conn, thread_id)?;
    if thread.status == Status::Closed.as_str() {
        return Err(AppError::Conflict(msg!("support-assign-closed")));
    }
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(|s| s.trim().trim_start_matches('@').to_string())
            .filter(|s| !s.is_empty())
    };
    let assignee = match clean(&to.handle) {
        Some(handle) => {
            let user = accounts::find_by_handle(conn, &handle)
                .map_err(|_| AppError::invalid(msg!("support-no-user", handle = &handle)))?;
            if !user.role().is_staff() || user.is_suspended() {
                return Err(AppError::invalid(msg!(
                    "support-assign-not-staff",
                    handle = &handle
                )));
            }
            Some(user.id)
        }
        None => None,
    };
    let group = match clean(&to.group) {
        Some(slug) => Some(find_group_by_slug(conn, &slug)?.id),
        None => None,
    };
    if assignee.is_none() && group.is_none() {
        if thread.assignee_id.is_none() && thread.assigned_group_id.is_none() {
            return Err(AppError::invalid(msg!("support-assign-nobody")));
        }
        qa::record_timeline(
            conn,
            TimelineRow {
                note: &note,
                ..TimelineRow::now(thread.id, TimelineKind::Unassigned, by.id)
            },
        )?;
        events::emit(
            conn,
            NewEvent::new(Kind::ThreadUnassigned)
                .actor(by.id)
                .thread(thread.id),
        )?;
    } else {
        qa::record_timeline(
            conn,
            TimelineRow {
                assignee_id: assignee,
                group_id: group,
                note: &note,
                ..TimelineRow::now(thread.id, TimelineKind::Assigned, by.id)
            },
        )?;
        let mut e = NewEvent::new(Kind::ThreadAssigned)
            .actor(by.id)
            .thread(thread.id)
            .with("group_id", group)
            .with("note", note.clone());
        if let Some(a) = assignee {
            e = e.subject(a);
        }
        events::emit(conn, e)?;
    }
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::assignee_id.eq(assignee),
            threads::assigned_group_id.eq(group),
            threads::updated_at.eq(now()),
        ))
        .execute(conn)?;
    qa::find_thread(conn, thread.id)
}

// ---------------------------------------------------------------------------------------------
// Promises

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = promises)]
pub struct Promise {
    pub id: i64,
    pub thread_id: i64,
    pub staff_id: i64,
    pub due_at: NaiveDateTime,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub kept_at: Option<NaiveDateTime>,
    pub kept_by: Option<i64>,
    pub kept_post_id: Option<i64>,
}

impl Promise {
    /// `kept` (on time), `late` (kept after the due time), `overdue`, `due` (within a day) or
    /// `open`.
    pub fn state(&self, at: NaiveDateTime) -> &'static str {
        match self.kept_at {
            Some(k) if k <= self.due_at => "kept",
            Some(_) => "late",
            None if at > self.due_at => "overdue",
            None if self.due_at - at <= TimeDelta::hours(24) => "due",
            None => "open",
        }
    }
}

/// Promises are due within this many days at most.
pub const MAX_PROMISE_DAYS: i64 = 90;

/// "I will follow up by <due>": visible to the customer, in the promiser's queue until kept.
pub fn promise(
    conn: &mut DbConn,
    by: &User,
    thread_id: i64,
    due_at: NaiveDateTime,
    note: &str,
) -> AppResult<Promise> {
    ensure_staff(by)?;
    let note = crate::input::line(note, "promise", 300)?;
    let t = now();
    if due_at <= t {
        return Err(AppError::invalid(msg!("support-promise-past")));
    }
    if due_at > t + TimeDelta::days(MAX_PROMISE_DAYS) {
        return Err(AppError::invalid(msg!(
            "support-promise-too-far",
            days = MAX_PROMISE_DAYS
        )));
    }
    lock(conn, Lock::Thread(thread_id))?;
    let thread = qa::find_thread(conn, thread_id)?;
    if thread.status == Status::Closed.as_str() {
        return Err(AppError::Conflict(msg!("threads-closed")));
    }
    let p: Promise = diesel::insert_into(promises::table)
        .values((
            promises::thread_id.eq(thread.id),
            promises::staff_id.eq(by.id),
            promises::due_at.eq(due_at),
            promises::note.eq(&note),
            promises::created_at.eq(t),
        ))
        .returning(promises::all_columns)
        .get_result(conn)?;
    emit_promise(conn, Kind::PromiseMade, by.id, thread.id, p.id)?;
    Ok(p)
}

pub fn find_promise(conn: &mut DbConn, id: i64) -> AppResult<Promise> {
    promises::table
        .find(id)
        .select(Promise::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("support-promise-not-found")))
}

/// Marks a promise kept (any staff member may: a colleague can take over). Keeping a kept
/// promise changes nothing.
pub fn keep_promise(conn: &mut DbConn, by: &User, promise_id: i64) -> AppResult<Promise> {
    ensure_staff(by)?;
    let p = find_promise(conn, promise_id)?;
    lock(conn, Lock::Thread(p.thread_id))?;
    let kept = diesel::update(
        promises::table
            .find(p.id)
            .filter(promises::kept_at.is_null()),
    )
    .set((
        promises::kept_at.eq(Some(now())),
        promises::kept_by.eq(Some(by.id)),
    ))
    .execute(conn)?;
    if kept > 0 {
        emit_promise(conn, Kind::PromiseKept, by.id, p.thread_id, p.id)?;
    }
    find_promise(conn, p.id)
}

/// Promises on a thread, oldest first.
pub fn promises_of(conn: &mut DbConn, thread_id: i64) -> AppResult<Vec<(Promise, User)>> {
    Ok(promises::table
        .inner_join(users::table)
        .filter(promises::thread_id.eq(thread_id))
        .order(promises::id.asc())
        .select((Promise::as_select(), User::as_select()))
        .load(conn)?)
}

/// Parses a promised time: RFC 3339 (`2026-11-24T15:00:00Z`), or a `datetime-local` value
/// (`2026-11-24T15:00`) with the browser's offset in minutes (`Date.getTimezoneOffset`, 0 when
/// unknown: UTC), or a relative `in` like `4h` / `2d`.
pub fn parse_due(
    due: &str,
    tz_offset_minutes: Option<i64>,
    zone: chrono_tz::Tz,
    due_in: &str,
) -> AppResult<NaiveDateTime> {
    let due = due.trim();
    if !due.is_empty() {
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(due) {
            return Ok(t.naive_utc());
        }
        let local = chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%dT%H:%M")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| AppError::invalid(msg!("support-due-format", due = due)))?;
        // Without the browser's offset, the time is on the clock of the user's zone.
        let offset = match tz_offset_minutes {
            Some(m) => m,
            None => {
                use chrono::{Offset, TimeZone};
                let utc_offset = zone
                    .offset_from_local_datetime(&local)
                    .earliest()
                    .map(|o| o.fix().local_minus_utc())
                    .unwrap_or(0);
                -i64::from(utc_offset / 60)
            }
        };
        if offset.abs() > 16 * 60 {
            return Err(AppError::invalid(msg!("support-offset-range")));
        }
        // Far-off years would overflow; they are refused as "within 90 days" anyway.
        return local
            .checked_add_signed(TimeDelta::minutes(offset))
            .ok_or_else(|| AppError::invalid(msg!("support-due-range", due = due)));
    }
    match parse_target(due_in)? {
        Some(minutes) => Ok(now() + TimeDelta::minutes(minutes as i64)),
        None => Err(AppError::invalid(msg!("support-due-missing"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_read_back() {
        assert_eq!(parse_target("4h").unwrap(), Some(240));
        assert_eq!(parse_target(" 1h 30m ").unwrap(), Some(90));
        assert_eq!(parse_target("2d").unwrap(), Some(2880));
        assert_eq!(parse_target("3").unwrap(), Some(180));
        assert_eq!(parse_target("").unwrap(), None);
        for bad in ["0", "4x", "h", "99999999999999999999", "31d", "-2h", "4h5"] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
        assert_eq!(english_minutes(240, false), "4 hours");
        assert_eq!(english_minutes(60, false), "1 hour");
        assert_eq!(english_minutes(90, false), "1 h 30 min");
        assert_eq!(english_minutes(2880, false), "2 days");
        assert_eq!(english_minutes(45, false), "45 minutes");
        assert_eq!(english_minutes(3000, false), "2 days 2 h");
        assert_eq!(english_minutes(240, true), "4 business hours");
        assert_eq!(english_minutes(2880, true), "48 business hours");
        assert_eq!(english_minutes(90, true), "1 h 30 min of business time");
        assert_eq!(english_minutes(45, true), "45 business minutes");
    }
}
