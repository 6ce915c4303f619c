//! Daily and weekly digests: at each user's hour (in their zone; weekly on Mondays), the
//! unread notifications of the kinds they get by digest, and the threads solved and articles
//! published in the categories and tags they watch. Nothing new: nothing sent.

use chrono::{Datelike, NaiveDateTime, TimeDelta, TimeZone, Timelike};
use diesel::prelude::*;
use serde::Serialize;

use super::email::Wording;
use super::prefs::{self, Delivery, Unsubscribe};
use super::Item;
use crate::accounts::User;
use crate::db::schema::{category_watches, kb_articles, notifications, threads, users};
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::msg;

/// Daily or weekly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Daily,
    Weekly,
}

impl Period {
    fn delivery(self) -> Delivery {
        match self {
            Period::Daily => Delivery::Daily,
            Period::Weekly => Delivery::Weekly,
        }
    }
    fn span(self) -> TimeDelta {
        match self {
            Period::Daily => TimeDelta::days(1),
            Period::Weekly => TimeDelta::days(7),
        }
    }
}

/// Items per digest section.
const PER_SECTION: i64 = 20;

#[derive(Debug, Serialize)]
pub struct Digest {
    pub period: Period,
    pub notifications: Vec<Item>,
    pub solved: Vec<Link>,
    pub articles: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The digest of `user` for the period ending `at` (since their last one). `None`: nothing new.
pub fn build(
    conn: &mut DbConn,
    user: &User,
    period: Period,
    since: NaiveDateTime,
    base_url: &str,
) -> AppResult<Option<Digest>> {
    let kinds: Vec<&str> = prefs::deliveries(conn, user.id)?
        .into_iter()
        .filter(|(_, d)| *d == period.delivery())
        .map(|(k, _)| k.as_str())
        .collect();
    let rows: Vec<super::Notification> = if kinds.is_empty() {
        Vec::new()
    } else {
        notifications::table
            .filter(notifications::user_id.eq(user.id))
            .filter(notifications::read_at.is_null())
            .filter(notifications::created_at.gt(since))
            .filter(notifications::kind.eq_any(&kinds))
            .order(notifications::id.desc())
            .limit(PER_SECTION)
            .select(super::Notification::as_select())
            .load(conn)?
    };
    let mut items = super::items(conn, rows)?;
    for item in &mut items {
        item.url = format!("{base_url}{}", item.url);
    }
    // Only categories: a tag watch brings its new questions and posts as notifications.
    let watched: Vec<i64> = category_watches::table
        .filter(category_watches::user_id.eq(user.id))
        .select(category_watches::category_id)
        .load(conn)?;
    let (solved, articles) = if watched.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let solved: Vec<(i64, String)> = threads::table
            .filter(threads::category_id.eq_any(&watched))
            .filter(threads::status.eq(crate::threads::Status::Solved.as_str()))
            .filter(threads::state.eq("visible"))
            .filter(threads::last_activity_at.gt(since))
            .order(threads::last_activity_at.desc())
            .limit(PER_SECTION)
            .select((threads::id, threads::title))
            .load(conn)?;
        let articles: Vec<(i64, String)> = kb_articles::table
            .inner_join(threads::table.on(kb_articles::source_thread_id.eq(threads::id.nullable())))
            .filter(threads::category_id.eq_any(&watched))
            .filter(kb_articles::status.eq("published"))
            .filter(kb_articles::updated_at.gt(since))
            .order(kb_articles::updated_at.desc())
            .limit(PER_SECTION)
            .select((kb_articles::id, kb_articles::title))
            .load(conn)?;
        (
            solved
                .into_iter()
                .map(|(id, title)| Link {
                    url: format!("{base_url}{}", crate::threads::thread_path(id, &title)),
                    title,
                })
                .collect(),
            articles
                .into_iter()
                .map(|(id, title)| Link {
                    url: format!("{base_url}{}", crate::kb::article_path(id, &title)),
                    title,
                })
                .collect(),
        )
    };
    if items.is_empty() && solved.is_empty() && articles.is_empty() {
        return Ok(None);
    }
    Ok(Some(Digest {
        period,
        notifications: items,
        solved,
        articles,
    }))
}

/// Whether `user`'s `period` digest is due at `at`: their hour has come in their zone (weekly:
/// on a Monday) and the last one went out long enough ago.
fn due(
    user_hour: i32,
    last: Option<NaiveDateTime>,
    period: Period,
    at: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> bool {
    let local = tz.from_utc_datetime(&at);
    if local.hour() as i32 != user_hour {
        return false;
    }
    if period == Period::Weekly && local.weekday() != chrono::Weekday::Mon {
        return false;
    }
    // Most of a period must have passed (the hour comes round again a little early or late).
    last.is_none_or(|last| at - last > period.span() - TimeDelta::hours(2))
}

/// Queues the digests due at `at`. Returns how many were queued.
pub fn send_due(
    conn: &mut DbConn,
    wording: &Wording,
    domain: &str,
    at: NaiveDateTime,
) -> AppResult<usize> {
    // Whoever has unread notifications of the last week, or watches a category.
    let week_ago = at - TimeDelta::days(8);
    let mut candidates: Vec<i64> = notifications::table
        .filter(notifications::read_at.is_null())
        .filter(notifications::created_at.gt(week_ago))
        .select(notifications::user_id)
        .distinct()
        .load(conn)?;
    candidates.extend(
        category_watches::table
            .select(category_watches::user_id)
            .distinct()
            .load::<i64>(conn)?,
    );
    candidates.sort_unstable();
    candidates.dedup();
    let mut sent = 0;
    for id in candidates {
        sent += send_for(conn, wording, domain, id, at, false)?;
    }
    Ok(sent)
}

/// Queues `user_id`'s digests if due at `at` (with `force`, whatever the hour). Returns how
/// many were queued (0–2).
pub fn send_for(
    conn: &mut DbConn,
    wording: &Wording,
    domain: &str,
    user_id: i64,
    at: NaiveDateTime,
    force: bool,
) -> AppResult<usize> {
    let Ok(user) = crate::accounts::find(conn, user_id) else {
        return Ok(0);
    };
    if user.email.is_empty() || user.is_suspended() {
        return Ok(0);
    }
    let (hour, daily_at, weekly_at): (i32, Option<NaiveDateTime>, Option<NaiveDateTime>) =
        users::table
            .find(user.id)
            .select((
                users::digest_hour,
                users::daily_digest_at,
                users::weekly_digest_at,
            ))
            .first(conn)?;
    let (_, tz) = wording.locale_of(&user);
    let mut sent = 0;
    for (period, last) in [(Period::Daily, daily_at), (Period::Weekly, weekly_at)] {
        if !force && !due(hour, last, period, at, tz) {
            continue;
        }
        let since = last
            .unwrap_or(at - period.span())
            .max(at - period.span() * 2);
        let digest = build(conn, &user, period, since, &wording.base_url)?;
        let column_set = match period {
            Period::Daily => diesel::update(users::table.find(user.id))
                .set(users::daily_digest_at.eq(Some(at)))
                .execute(conn),
            Period::Weekly => diesel::update(users::table.find(user.id))
                .set(users::weekly_digest_at.eq(Some(at)))
                .execute(conn),
        };
        column_set?;
        let Some(digest) = digest else {
            continue;
        };
        let subject = match period {
            Period::Daily => msg!("email-digest-daily-subject", site = &wording.site_name),
            Period::Weekly => msg!("email-digest-weekly-subject", site = &wording.site_name),
        };
        let content = wording.render(
            &user,
            "digest",
            &subject,
            &digest,
            Some(Unsubscribe::Digest),
        )?;
        crate::mail::enqueue(
            conn,
            domain,
            crate::mail::NewMail {
                user_id: Some(user.id),
                to: &user.email,
                kind: "digest",
                notification_id: None,
                content: Some(content),
                send_after: now(),
            },
        )?;
        sent += 1;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn digests_go_at_the_users_hour_in_their_zone() {
        let berlin = chrono_tz::Europe::Berlin;
        // 07:00 UTC is 08:00 in Berlin in winter.
        assert!(due(
            8,
            None,
            Period::Daily,
            t("2026-12-04T07:00:00"),
            berlin
        ));
        assert!(!due(
            8,
            None,
            Period::Daily,
            t("2026-12-04T08:00:00"),
            berlin
        ));
        // Not twice a day.
        let last = Some(t("2026-12-04T07:00:00"));
        assert!(!due(
            8,
            last,
            Period::Daily,
            t("2026-12-04T07:30:00"),
            berlin
        ));
        assert!(due(
            8,
            last,
            Period::Daily,
            t("2026-12-05T07:00:00"),
            berlin
        ));
        // Weekly on Mondays only (2026-12-07 is a Monday).
        assert!(!due(
            8,
            None,
            Period::Weekly,
            t("2026-12-04T07:00:00"),
            berlin
        ));
        assert!(due(
            8,
            None,
            Period::Weekly,
            t("2026-12-07T07:00:00"),
            berlin
        ));
    }
}
