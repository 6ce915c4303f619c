//! The self-service dashboard: per day of the reader's calendar, how many searched and clicked,
//! how many ask-page visits a suggestion deflected, how many asked anyway, and how their
//! questions fared (answered from the knowledge base, solved, first response and by whom);
//! plus the content gaps (gaps.rs) and the chart geometry the page draws (chart.rs). Every
//! figure is defined once, here or where it already lived (first responses: `support::queue`),
//! and docs/insights.md spells each one out.

pub mod asking;
pub mod chart;
pub mod gaps;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use diesel::dsl::{count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use serde::Serialize;

pub use asking::{record_posted, AskSession};
pub use gaps::{content_gaps, group_wordings, GapGroup, GapWording};

use crate::db::schema::{search_log, threads};
use crate::db::{quarter_hour_sql, DbConn, QUARTER_HOUR_SECONDS};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::search::{Search, SIMILAR_LOOKUP};
use crate::support::queue::{response_stats, Asked};

/// The dashboard's window in days, today included: the page offers 7, 30 and 90; the API
/// takes any whole number up to 90.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period(u32);

/// `?days=` as given: `default` when missing, else a whole number from 1 to `max` (`None`
/// for anything else: the caller says what it wants).
pub fn parse_days(days: Option<&str>, default: u32, max: u32) -> Option<u32> {
    match days.map(str::trim) {
        None => Some(default),
        Some(text) => text.parse::<u32>().ok().filter(|n| (1..=max).contains(n)),
    }
}

impl Period {
    pub const CHOICES: [u32; 3] = [7, 30, 90];
    pub const DEFAULT: Period = Period(30);
    /// The longest window: 90 days of per-day figures stay one screen and one fast query.
    pub const MAX_DAYS: u32 = 90;

    /// `?days=` as given (missing: 30 days); anything but a whole number 1–90 is refused.
    pub fn parse(days: Option<&str>) -> AppResult<Period> {
        parse_days(days, Self::DEFAULT.0, Self::MAX_DAYS)
            .map(Period)
            .ok_or_else(|| AppError::invalid(msg!("insights-error-days", max = Self::MAX_DAYS)))
    }

    pub fn days(self) -> u32 {
        self.0
    }
}

/// The figures of one day, or of the whole period. Shares are whole percent, `None` when there
/// is nothing to divide by.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Searches with words, on the search page and the search API (not the ask page's
    /// lookups while a title is typed).
    pub searches: i64,
    /// Of those, searches whose results someone opened.
    pub searches_clicked: i64,
    /// `searches_clicked` of `searches`.
    pub click_rate: Option<u32>,
    /// Visits to the ask page that looked up similar questions, counted on the day of their
    /// latest lookup.
    pub ask_sessions: i64,
    /// Of those, visits that opened a suggestion.
    pub opened_suggestion: i64,
    /// Visits that opened a suggestion and posted no question: deflected.
    pub deflected: i64,
    /// Visits that posted a question (with or without opening a suggestion first).
    pub posted: i64,
    /// `deflected` of `ask_sessions`.
    pub deflection_rate: Option<u32>,
    /// Questions asked (every new thread, as the staff metrics count them).
    pub questions: i64,
    /// Of those, questions with at least one answer.
    pub answered: i64,
    /// Answered questions whose accepted answer (or, with none accepted, first answer) links
    /// a knowledge-base article.
    pub answered_from_kb: i64,
    /// `answered_from_kb` of `answered`.
    pub kb_share: Option<u32>,
    /// Questions solved (an accepted answer, as search counts "solved").
    pub solved: i64,
    /// `solved` of `questions`.
    pub solved_rate: Option<u32>,
    /// Median minutes from question to first response (`support::queue::response_stats`).
    pub median_first_response_minutes: Option<i64>,
    /// First responses by staff and by peers (anyone else but the asker).
    pub first_responses_by_staff: i64,
    pub first_responses_by_peers: i64,
    /// `first_responses_by_peers` of all first responses.
    pub peer_share: Option<u32>,
}

fn percent(part: i64, whole: i64) -> Option<u32> {
    (whole > 0).then(|| ((part as f64 * 100.0 / whole as f64).round()) as u32)
}

/// One day of the reader's calendar and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD` in the reader's time zone.
    pub date: NaiveDate,
    #[serde(flatten)]
    pub figures: Figures,
}

/// What the dashboard shows for a period.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub days: u32,
    /// First and last day (today), in `time_zone`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    /// The whole period.
    pub totals: Figures,
    /// Every day of the period, oldest first (days without activity are there, with zeros).
    pub per_day: Vec<Day>,
    /// The most searched content gaps of the period (gaps.rs), at most `DASHBOARD_GAPS`.
    pub content_gaps: Vec<GapGroup>,
    /// The weak-match line the gaps were found with (`[insights] weak_score`).
    pub weak_score: f64,
}

/// Content gaps the dashboard lists (the content-gaps page lists more).
pub const DASHBOARD_GAPS: usize = 10;

/// Counts for one day (or the period) before the shares are worked out.
#[derive(Default)]
struct Tally {
    figures: Figures,
}

impl Tally {
    fn add(&mut self, other: &Figures) {
        let f = &mut self.figures;
        f.searches += other.searches;
        f.searches_clicked += other.searches_clicked;
        f.ask_sessions += other.ask_sessions;
        f.opened_suggestion += other.opened_suggestion;
        f.deflected += other.deflected;
        f.posted += other.posted;
        f.questions += other.questions;
        f.answered += other.answered;
        f.answered_from_kb += other.answered_from_kb;
        f.solved += other.solved;
    }

    /// The shares, and the first-response figures of the questions `asked`.
    fn finish<'a>(self, asked: impl Iterator<Item = &'a Asked>) -> Figures {
        let mut f = self.figures;
        f.click_rate = percent(f.searches_clicked, f.searches);
        f.deflection_rate = percent(f.deflected, f.ask_sessions);
        f.kb_share = percent(f.answered_from_kb, f.answered);
        f.solved_rate = percent(f.solved, f.questions);
        let responses = response_stats(asked);
        f.median_first_response_minutes = responses.median_minutes;
        f.first_responses_by_staff = responses.by_staff as i64;
        f.first_responses_by_peers = responses.by_peers as i64;
        f.peer_share = percent(
            f.first_responses_by_peers,
            f.first_responses_by_staff + f.first_responses_by_peers,
        );
        f
    }
}

/// The reader's days of a period: the first day, today, and the UTC moment the first began.
struct Calendar {
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    since: NaiveDateTime,
}

impl Calendar {
    fn new(period: Period, tz: Tz, now: NaiveDateTime) -> Calendar {
        let to = tz.from_utc_datetime(&now).date_naive();
        let from = to - TimeDelta::days(i64::from(period.days()) - 1);
        Calendar {
            tz,
            from,
            to,
            since: local_midnight(tz, from),
        }
    }

    /// Which day of the period (0: the first) a UTC moment falls on, if any.
    fn index(&self, at: NaiveDateTime) -> Option<usize> {
        let date = self.tz.from_utc_datetime(&at).date_naive();
        (self.from..=self.to)
            .contains(&date)
            .then(|| (date - self.from).num_days() as usize)
    }

    fn index_of_quarter(&self, quarter: i64) -> Option<usize> {
        DateTime::from_timestamp(quarter * QUARTER_HOUR_SECONDS, 0)
            .and_then(|at| self.index(at.naive_utc()))
    }

    fn len(&self) -> usize {
        (self.to - self.from).num_days() as usize + 1
    }
}

/// The UTC moment a day begins in `tz` (where clocks skip midnight, the first moment after).
fn local_midnight(tz: Tz, day: NaiveDate) -> NaiveDateTime {
    (0..=4)
        .filter_map(|hour| {
            day.and_hms_opt(hour, 0, 0)
                .and_then(|local| tz.from_local_datetime(&local).earliest())
        })
        .next()
        .map(|at| at.naive_utc())
        .unwrap_or_else(|| day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The dashboard for the `period` ending today in `tz`; content gaps by `weak_score`.
pub fn dashboard(
    conn: &mut DbConn,
    search: &Search,
    period: Period,
    tz: Tz,
    now: NaiveDateTime,
    weak_score: f64,
) -> AppResult<Dashboard> {
    let cal = Calendar::new(period, tz, now);
    let mut days: Vec<Tally> = (0..cal.len()).map(|_| Tally::default()).collect();
    for (quarter, counts) in searches_by_quarter(conn, cal.since)? {
        if let Some(i) = cal.index_of_quarter(quarter) {
            days[i].add(&counts);
        }
    }
    for (quarter, counts) in ask_sessions_by_quarter(conn, cal.since)? {
        if let Some(i) = cal.index_of_quarter(quarter) {
            days[i].add(&counts);
        }
    }
    // Every question of the period, and which of them each day asked.
    let mut asked: Vec<Asked> = Vec::new();
    let mut asked_on: Vec<Vec<usize>> = vec![Vec::new(); cal.len()];
    for (question, counts) in questions(conn, cal.since)? {
        if let Some(i) = cal.index(question.created_at) {
            days[i].add(&counts);
            asked_on[i].push(asked.len());
            asked.push(question);
        }
    }
    let mut all = Tally::default();
    let mut per_day = Vec::with_capacity(days.len());
    for (i, (day, on)) in days.into_iter().zip(&asked_on).enumerate() {
        all.add(&day.figures);
        per_day.push(Day {
            date: cal.from + TimeDelta::days(i as i64),
            figures: day.finish(on.iter().map(|&k| &asked[k])),
        });
    }
    Ok(Dashboard {
        days: period.days(),
        from: cal.from,
        to: cal.to,
        time_zone: tz.name().to_string(),
        totals: all.finish(asked.iter()),
        per_day,
        content_gaps: content_gaps(conn, search, cal.since, weak_score, DASHBOARD_GAPS)?,
        weak_score,
    })
}

/// Searches and searches with a click since `since`, per quarter hour: one grouped query, so
/// a long log costs the database a scan and this side a few thousand rows at most.
fn searches_by_quarter(conn: &mut DbConn, since: NaiveDateTime) -> AppResult<Vec<(i64, Figures)>> {
    let quarter = quarter_hour_sql(conn, "search_log.created_at");
    let rows: Vec<(i64, i64, i64)> = search_log::table
        .filter(search_log::created_at.ge(since))
        .filter(search_log::source.ne(SIMILAR_LOOKUP))
        .filter(search_log::query.ne(""))
        .group_by(sql::<BigInt>(&quarter))
        .select((
            sql::<BigInt>(&quarter),
            count_star(),
            count(search_log::clicked),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(q, searches, clicked)| {
            (
                q,
                Figures {
                    searches,
                    searches_clicked: clicked,
                    ..Default::default()
                },
            )
        })
        .collect())
}

/// SQL: the visit of this (latest) lookup posted a question.
const POSTED: &str = "SUM(CASE WHEN EXISTS (SELECT 1 FROM ask_posts \
     WHERE ask_posts.ask_session = search_log.ask_session) THEN 1 ELSE 0 END)";
/// SQL: the visit opened a suggestion and posted nothing.
const DEFLECTED: &str = "SUM(CASE WHEN search_log.visit_opened AND NOT EXISTS (SELECT 1 \
     FROM ask_posts WHERE ask_posts.ask_session = search_log.ask_session) THEN 1 ELSE 0 END)";
const OPENED: &str = "SUM(CASE WHEN search_log.visit_opened THEN 1 ELSE 0 END)";

/// Ask-page visits that looked up suggestions, per quarter hour of their latest lookup: how
/// many, how many opened a suggestion, posted, and were deflected. The search log marks each
/// visit's latest lookup (`visit_last`), so this reads one row per visit.
fn ask_sessions_by_quarter(
    conn: &mut DbConn,
    since: NaiveDateTime,
) -> AppResult<Vec<(i64, Figures)>> {
    let quarter = quarter_hour_sql(conn, "search_log.created_at");
    let rows: Vec<(i64, i64, i64, i64, i64)> = search_log::table
        // Only the ask page's lookups are ever a visit's latest: no filter on the source, so
        // the visits' index answers alone.
        .filter(search_log::visit_last)
        .filter(search_log::created_at.ge(since))
        .group_by(sql::<BigInt>(&quarter))
        .select((
            sql::<BigInt>(&quarter),
            count_star(),
            sql::<BigInt>(OPENED),
            sql::<BigInt>(POSTED),
            sql::<BigInt>(DEFLECTED),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(q, visits, opened, posted, deflected)| {
            (
                q,
                Figures {
                    ask_sessions: visits,
                    opened_suggestion: opened,
                    posted,
                    deflected,
                    ..Default::default()
                },
            )
        })
        .collect())
}

/// A question's answer that counts for "answered from the knowledge base": the accepted answer,
/// or with none accepted the first visible answer, when it links an article (`/kb/…`).
const LINKS_KB: &str = "EXISTS (SELECT 1 FROM posts kb_answer \
     WHERE kb_answer.thread_id = threads.id AND kb_answer.kind = 'answer' \
     AND kb_answer.state = 'visible' AND kb_answer.body_md LIKE '%/kb/%' \
     AND kb_answer.id = COALESCE(threads.accepted_post_id, \
         (SELECT MIN(first_answer.id) FROM posts first_answer \
          WHERE first_answer.thread_id = threads.id AND first_answer.kind = 'answer' \
          AND first_answer.state = 'visible')))";

type QuestionRow = (
    NaiveDateTime,
    i64,
    String,
    Option<i64>,
    i32,
    Option<NaiveDateTime>,
    bool,
    Option<NaiveDateTime>,
    bool,
);

/// Questions asked since `since`, one row each: a median needs every value, and a period's
/// questions are far fewer than its searches.
fn questions(conn: &mut DbConn, since: NaiveDateTime) -> AppResult<Vec<(Asked, Figures)>> {
    let rows: Vec<QuestionRow> = threads::table
        .filter(threads::created_at.ge(since))
        .select((
            threads::created_at,
            threads::category_id,
            threads::status,
            threads::accepted_post_id,
            threads::answer_count,
            threads::first_response_at,
            threads::first_response_staff,
            threads::respond_by,
            sql::<Bool>(LINKS_KB),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(created_at, category_id, status, accepted, answers, first_at, staff, by, kb)| {
                let answered = answers > 0;
                let solved =
                    status == crate::threads::Status::Solved.as_str() || accepted.is_some();
                let figures = Figures {
                    questions: 1,
                    answered: i64::from(answered),
                    answered_from_kb: i64::from(answered && kb),
                    solved: i64::from(solved),
                    ..Default::default()
                };
                let asked = Asked {
                    category_id,
                    status,
                    created_at,
                    first_response_at: first_at,
                    first_response_staff: staff,
                    respond_by: by,
                };
                (asked, figures)
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_whole_number_of_days_up_to_ninety() {
        assert_eq!(Period::parse(None).unwrap().days(), 30);
        assert_eq!(Period::parse(Some("7")).unwrap().days(), 7);
        assert_eq!(Period::parse(Some(" 90 ")).unwrap().days(), 90);
        for bad in ["0", "91", "100000", "abc", "-7", "7.5", ""] {
            assert!(Period::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_follow_the_readers_calendar() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // 23:30 UTC on 4 December is already 5 December in Berlin.
        let now = NaiveDate::from_ymd_opt(2026, 12, 4)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap();
        let cal = Calendar::new(Period(7), tz, now);
        assert_eq!(cal.to, NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        assert_eq!(cal.from, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        assert_eq!(cal.len(), 7);
        // Berlin's 29 November began at 23:00 UTC the day before.
        assert_eq!(
            cal.since,
            NaiveDate::from_ymd_opt(2026, 11, 28)
                .unwrap()
                .and_hms_opt(23, 0, 0)
                .unwrap()
        );
        assert_eq!(cal.index(cal.since), Some(0));
        assert_eq!(cal.index(cal.since - TimeDelta::seconds(1)), None);
        assert_eq!(cal.index(now), Some(6));
        // The quarter hour starting at 23:00 UTC on 28 November is Berlin's first of the 29th.
        let quarter = cal.since.and_utc().timestamp() / QUARTER_HOUR_SECONDS;
        assert_eq!(cal.index_of_quarter(quarter), Some(0));
        assert_eq!(cal.index_of_quarter(quarter - 1), None);
        // Half-hour zones land on the right day too.
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        let cal = Calendar::new(Period(1), kolkata, now);
        assert_eq!(cal.since.and_utc().timestamp() % QUARTER_HOUR_SECONDS, 0);
        assert_eq!(
            cal.index_of_quarter(cal.since.and_utc().timestamp() / 900),
            Some(0)
        );
    }

    #[test]
    fn shares_are_worked_out_from_the_counts() {
        let mut t = Tally::default();
        t.add(&Figures {
            searches: 3,
            searches_clicked: 1,
            ask_sessions: 4,
            deflected: 1,
            questions: 0,
            ..Default::default()
        });
        let f = t.finish(std::iter::empty());
        assert_eq!(f.click_rate, Some(33));
        assert_eq!(f.deflection_rate, Some(25));
        assert_eq!(f.solved_rate, None, "nothing to divide by");
        assert_eq!(f.median_first_response_minutes, None);
    }
}
