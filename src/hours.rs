//! Business hours: a weekly schedule in a time zone with holidays, written on one line by an
//! admin (`Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24`), and the
//! arithmetic of first-response targets counted in business time. Pure: no database, no HTTP
//! (low in the stack so that categories, the support desk and the theme's filters share it).
//!
//! All instants in and out are naive UTC (as the database stores them); the schedule is read in
//! the zone's local time, so a DST change moves the UTC hours, never the local ones.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

use crate::error::AppError;
use crate::msg;

/// Longest schedule text accepted (about 80 holidays).
pub const MAX_TEXT: usize = 1000;

/// How many local days a deadline or the next opening is looked for: a target that the
/// schedule cannot fit in this span is refused when it is set (`ScheduleError::TargetTooLong`).
pub const MAX_DAYS: i64 = 400;

/// Longest span counted by `business_minutes` (about 10 years): beyond it the count stops, so
/// a crafted or ancient date never makes a page loop for long.
const MAX_COUNTED_DAYS: i64 = 3660;

/// Short English day names as written in the text, Monday first (also the keys of the
/// `hours-day` message that names them to people).
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Minutes in a day: a time of `24:00` ends a day's last interval.
const DAY_MINUTES: u16 = 24 * 60;

/// Why a schedule text was refused; becomes a 422 naming the problem (`AppError::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// Longer than `MAX_TEXT` characters.
    TooLong,
    /// The first part is not a time zone of the tz database (`Europe/Berlin`, `UTC`).
    UnknownZone(String),
    /// A day or day range that is not `mon`..`sun`, `mon-fri`, `sat,sun`.
    BadDay(String),
    /// A time that is not `HH:MM` between 00:00 and 24:00, or a part with no time range.
    BadTime(String),
    /// An interval that ends before (or when) it starts; overnight hours are split at midnight.
    EndBeforeStart(String),
    /// Two intervals of one day overlap.
    Overlapping(String),
    /// A holiday that is not a `YYYY-MM-DD` date.
    BadHoliday(String),
    /// No day has open hours.
    NoOpenHours,
    /// The first-response target does not fit in `MAX_DAYS` days of open hours.
    TargetTooLong,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::TooLong => write!(f, "longer than {MAX_TEXT} characters"),
            ScheduleError::UnknownZone(z) => write!(f, "unknown time zone {z:?}"),
            ScheduleError::BadDay(d) => write!(f, "bad day {d:?}"),
            ScheduleError::BadTime(t) => write!(f, "bad time {t:?}"),
            ScheduleError::EndBeforeStart(r) => write!(f, "{r:?} ends before it starts"),
            ScheduleError::Overlapping(d) => write!(f, "overlapping hours on {d}"),
            ScheduleError::BadHoliday(h) => write!(f, "bad holiday {h:?}"),
            ScheduleError::NoOpenHours => write!(f, "no open hours in the week"),
            ScheduleError::TargetTooLong => write!(f, "the target does not fit the schedule"),
        }
    }
}

impl std::error::Error for ScheduleError {}

impl From<ScheduleError> for AppError {
    fn from(e: ScheduleError) -> AppError {
        AppError::invalid(match e {
            ScheduleError::TooLong => msg!("hours-too-long", max = MAX_TEXT as i64),
            ScheduleError::UnknownZone(zone) => msg!("hours-unknown-zone", zone = zone),
            ScheduleError::BadDay(day) => msg!("hours-bad-day", day = day),
            ScheduleError::BadTime(time) => msg!("hours-bad-time", time = time),
            ScheduleError::EndBeforeStart(range) => msg!("hours-end-before-start", range = range),
            ScheduleError::Overlapping(day) => msg!("hours-overlapping", day = day),
            ScheduleError::BadHoliday(date) => msg!("hours-bad-holiday", date = date),
            ScheduleError::NoOpenHours => msg!("hours-no-open-hours"),
            ScheduleError::TargetTooLong => msg!("hours-target-too-long", days = MAX_DAYS),
        })
    }
}

/// A weekly schedule in a time zone, with holidays (whole local days closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    zone: Tz,
    /// Open intervals per weekday (Monday first) in minutes after local midnight, `[start,
    /// end)`, sorted and disjoint; `end` may be 1440 (`24:00`).
    week: [Vec<(u16, u16)>; 7],
    holidays: BTreeSet<NaiveDate>,
}

/// Consecutive weekdays with the same hours, for showing a schedule ("Mon–Fri 9:00–17:00").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRun {
    /// Monday = 0 … Sunday = 6; `first == last` for a single day.
    pub first: usize,
    pub last: usize,
    /// `[start, end)` in minutes after local midnight.
    pub intervals: Vec<(u16, u16)>,
}

impl Schedule {
    /// Reads a schedule: the time zone first, then `;`-separated parts, each either days with
    /// time ranges (`mon-fri 09:00-12:00, 13:00-17:00`, `sat,sun 10:00-14:00`) or `holidays`
    /// with dates (`holidays 2026-12-24, 2026-12-25`). Case and spaces do not matter.
    pub fn parse(text: &str) -> Result<Schedule, ScheduleError> {
        if text.chars().count() > MAX_TEXT {
            return Err(ScheduleError::TooLong);
        }
        let mut parts = text.split(';').map(str::trim).filter(|p| !p.is_empty());
        let zone_text = parts.next().unwrap_or("");
        let zone: Tz = zone_text
            .parse()
            .map_err(|_| ScheduleError::UnknownZone(zone_text.to_string()))?;
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        let mut holidays = BTreeSet::new();
        for part in parts {
            // People copy "9:00–17:00" from a page: an en dash is a hyphen here.
            let part = part.replace('–', "-");
            let part = part.as_str();
            let lower = part.to_lowercase();
            if let Some(dates) = ["holidays", "holiday"]
                .iter()
                .find_map(|word| lower.strip_prefix(word))
            {
                for date in dates
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                {
                    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                        .map_err(|_| ScheduleError::BadHoliday(date.to_string()))?;
                    holidays.insert(day);
                }
                continue;
            }
            // Days have no digits; times start with one.
            let split = part
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(part.len());
            let (head, rest) = part.split_at(split);
            let head: String = head
                .to_lowercase()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let days = parse_days(&head)?;
            // "09:00 - 17:00" is one range.
            let rest = rest.split('-').map(str::trim).collect::<Vec<_>>().join("-");
            let ranges: Vec<&str> = rest
                .split([',', ' '])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .collect();
            if ranges.is_empty() {
                return Err(ScheduleError::BadTime(part.to_string()));
            }
            for range in ranges {
                let interval = parse_range(range)?;
                for &d in &days {
                    week[d].push(interval);
                }
            }
        }
        for (d, intervals) in week.iter_mut().enumerate() {
            intervals.sort_unstable();
            if intervals.windows(2).any(|w| w[1].0 < w[0].1) {
                return Err(ScheduleError::Overlapping(DAYS[d].to_string()));
            }
            // Touching intervals (09:00-12:00, 12:00-17:00) are one: the canonical text is shorter.
            let mut merged: Vec<(u16, u16)> = Vec::with_capacity(intervals.len());
            for &(s, e) in intervals.iter() {
                match merged.last_mut() {
                    Some(last) if last.1 == s => last.1 = e,
                    _ => merged.push((s, e)),
                }
            }
            *intervals = merged;
        }
        if week.iter().all(Vec::is_empty) {
            return Err(ScheduleError::NoOpenHours);
        }
        Ok(Schedule {
            zone,
            week,
            holidays,
        })
    }

    /// `parse` for a form or API field: empty (or only spaces) means no schedule.
    pub fn parse_optional(text: &str) -> Result<Option<Schedule>, ScheduleError> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            Schedule::parse(text).map(Some)
        }
    }

    /// The canonical text (what is stored and shown in the form): the zone, runs of days with
    /// equal hours, then the holidays in date order. `parse(to_text())` gives the same schedule.
    pub fn to_text(&self) -> String {
        let mut parts = vec![self.zone.name().to_string()];
        for run in self.runs() {
            let days = if run.first == run.last {
                DAYS[run.first].to_string()
            } else {
                format!("{}-{}", DAYS[run.first], DAYS[run.last])
            };
            let ranges: Vec<String> = run
                .intervals
                .iter()
                .map(|&(s, e)| format!("{}-{}", hhmm(s), hhmm(e)))
                .collect();
            parts.push(format!("{days} {}", ranges.join(", ")));
        }
        if !self.holidays.is_empty() {
            let dates: Vec<String> = self.holidays.iter().map(|d| d.to_string()).collect();
            parts.push(format!("holidays {}", dates.join(", ")));
        }
        parts.join("; ")
    }

    /// The time zone's name (`Europe/Berlin`).
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// Runs of consecutive open weekdays with equal hours, Monday first.
    pub fn runs(&self) -> Vec<DayRun> {
        let mut runs: Vec<DayRun> = Vec::new();
        for (d, intervals) in self.week.iter().enumerate() {
            if intervals.is_empty() {
                continue;
            }
            match runs.last_mut() {
                Some(run) if run.last + 1 == d && run.intervals == *intervals => run.last = d,
                _ => runs.push(DayRun {
                    first: d,
                    last: d,
                    intervals: intervals.clone(),
                }),
            }
        }
        runs
    }

    /// The holidays, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = &NaiveDate> {
        self.holidays.iter()
    }

    /// The open spans of one local day as UTC instants, in order (none on a holiday).
    fn spans(&self, day: NaiveDate) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        if self.holidays.contains(&day) {
            return Vec::new();
        }
        let weekday = day.weekday().num_days_from_monday() as usize;
        self.week[weekday]
            .iter()
            .filter_map(|&(s, e)| {
                let start = self.utc(day, s, true)?;
                let end = self.utc(day, e, false)?;
                (end > start).then_some((start, end))
            })
            .collect()
    }

    /// The UTC instant of a local time on `day`. Twice on a fall-back night: the earlier for an
    /// opening, the later for a closing (both hours are open, as they are worked). Skipped on a
    /// spring-forward night: the first local time after the gap (the change itself).
    fn utc(&self, day: NaiveDate, minute: u16, opening: bool) -> Option<NaiveDateTime> {
        let local = day.and_hms_opt(0, 0, 0)? + TimeDelta::minutes(i64::from(minute));
        // Gaps are at most a few hours; step a minute at a time to their end.
        for step in 0..=24 * 60 {
            let t = local + TimeDelta::minutes(step);
            match self.zone.from_local_datetime(&t) {
                LocalResult::Single(x) => return Some(x.naive_utc()),
                LocalResult::Ambiguous(early, late) => {
                    return Some(if opening { early } else { late }.naive_utc())
                }
                LocalResult::None => continue,
            }
        }
        None
    }

    /// The local date of a UTC instant.
    fn local_day(&self, utc: NaiveDateTime) -> NaiveDate {
        self.zone.from_utc_datetime(&utc).date_naive()
    }

    /// The instant `minutes` business minutes after `start`: the clock runs only while open.
    /// None when the schedule has not that many open minutes in `MAX_DAYS` days (refused when
    /// the target is set, see `fits`).
    pub fn deadline(&self, start: NaiveDateTime, minutes: i64) -> Option<NaiveDateTime> {
        let mut left = TimeDelta::minutes(minutes.max(0));
        let first = self.local_day(start);
        for offset in 0..=MAX_DAYS {
            let day = first + TimeDelta::days(offset);
            for (s, e) in self.spans(day) {
                let from = s.max(start);
                if e <= from {
                    continue;
                }
                if e - from >= left {
                    return Some(from + left);
                }
                left -= e - from;
            }
        }
        None
    }

    /// Business minutes between two instants (0 when `to` is not after `from`).
    pub fn business_minutes(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to <= from {
            return 0;
        }
        let (first, last) = (self.local_day(from), self.local_day(to));
        let days = (last - first).num_days().min(MAX_COUNTED_DAYS);
        let mut open = TimeDelta::zero();
        for offset in 0..=days {
            for (s, e) in self.spans(first + TimeDelta::days(offset)) {
                let (s, e) = (s.max(from), e.min(to));
                if e > s {
                    open += e - s;
                }
            }
        }
        open.num_minutes()
    }

    /// Whether the desk is open at `at`.
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.spans(self.local_day(at))
            .iter()
            .any(|&(s, e)| s <= at && at < e)
    }

    /// `at` when open, else the next opening (None: none in `MAX_DAYS` days).
    pub fn next_open(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let first = self.local_day(at);
        (0..=MAX_DAYS)
            .flat_map(|offset| self.spans(first + TimeDelta::days(offset)))
            .find(|&(_, e)| e > at)
            .map(|(s, _)| s.max(at))
    }

    /// Refuses a first-response target this schedule cannot meet within `MAX_DAYS` days of a
    /// question asked at `at` (a 4-week target on one open minute a week).
    pub fn fits(&self, at: NaiveDateTime, minutes: i64) -> Result<(), ScheduleError> {
        match self.deadline(at, minutes) {
            Some(_) => Ok(()),
            None => Err(ScheduleError::TargetTooLong),
        }
    }
}

/// `mon`, `mon-fri`, `sat,sun`, `mon-wed,fri` (lower case) as weekday indexes.
fn parse_days(text: &str) -> Result<Vec<usize>, ScheduleError> {
    let bad = || ScheduleError::BadDay(text.to_string());
    let day = |name: &str| DAYS.iter().position(|d| *d == name.trim());
    let mut out = Vec::new();
    for piece in text.split(',').filter(|p| !p.trim().is_empty()) {
        match piece.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a).ok_or_else(bad)?, day(b).ok_or_else(bad)?);
                if b < a {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(day(piece).ok_or_else(bad)?),
        }
    }
    if out.is_empty() {
        return Err(bad());
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// `09:00-17:00` as minutes after midnight.
fn parse_range(text: &str) -> Result<(u16, u16), ScheduleError> {
    let text = text.trim();
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| ScheduleError::BadTime(text.to_string()))?;
    let (start, end) = (parse_time(a)?, parse_time(b)?);
    if end <= start {
        return Err(ScheduleError::EndBeforeStart(text.to_string()));
    }
    Ok((start, end))
}

/// `9:00`, `09:00` or `24:00` as minutes after midnight.
fn parse_time(text: &str) -> Result<u16, ScheduleError> {
    let text = text.trim();
    let bad = || ScheduleError::BadTime(text.to_string());
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, n: usize| {
        (s.len() <= n && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    // Minutes always have two digits (`9:5` is more likely a typo than 9:05).
    let (h, m) = (digits(h, 2).ok_or_else(bad)?, digits(m, 2).ok_or_else(bad)?);
    if text.len() - text.find(':').unwrap_or(0) != 3 || m > 59 || h * 60 + m > DAY_MINUTES {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Minutes after midnight as `HH:MM` (the canonical text).
fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight as `H:MM` (schedules shown to people: "9:00–17:00").
pub fn clock(minutes: u16) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// A first-response deadline: `minutes` after `asked`, counted in business time when there is
/// a schedule. The one place every deadline is computed (asking, moving, re-targeting, demo
/// data). Should a schedule have no room (refused on saving, so only for data written another
/// way), the wall clock counts rather than no deadline at all.
pub fn deadline(
    asked: NaiveDateTime,
    minutes: Option<i32>,
    schedule: Option<&Schedule>,
) -> Option<NaiveDateTime> {
    let m = i64::from(minutes?);
    schedule
        .and_then(|s| s.deadline(asked, m))
        .or_else(|| Some(asked + TimeDelta::minutes(m)))
}

/// Time from `from` to `to` in minutes: business minutes with a schedule, else wall-clock.
pub fn elapsed(from: NaiveDateTime, to: NaiveDateTime, schedule: Option<&Schedule>) -> i64 {
    match schedule {
        Some(s) => s.business_minutes(from, to),
        None => (to - from).num_minutes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BERLIN: &str = "Europe/Berlin; mon-fri 09:00-17:00";

    /// A Berlin wall-clock time as naive UTC.
    fn berlin(text: &str) -> NaiveDateTime {
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        chrono_tz::Europe::Berlin
            .from_local_datetime(&local)
            .earliest()
            .unwrap()
            .naive_utc()
    }

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn schedule(text: &str) -> Schedule {
        Schedule::parse(text).unwrap()
    }

    #[test]
    fn across_a_weekend() {
        let s = schedule(BERLIN);
        // Friday 2026-12-04 16:30 + 4 business hours: 30 minutes on Friday, 3.5 h on Monday.
        let asked = berlin("2026-12-04 16:30");
        assert_eq!(s.deadline(asked, 240), Some(berlin("2026-12-07 12:30")));
        assert_eq!(s.business_minutes(asked, berlin("2026-12-07 12:30")), 240);
        // Nothing counts over the weekend.
        assert_eq!(
            s.business_minutes(berlin("2026-12-04 17:00"), berlin("2026-12-07 09:00")),
            0
        );
        assert_eq!(
            s.business_minutes(asked, berlin("2026-12-05 12:00")),
            30,
            "Saturday"
        );
    }

    #[test]
    fn starting_inside_and_outside_hours() {
        let s = schedule(BERLIN);
        // Inside: the clock runs at once.
        assert_eq!(
            s.deadline(berlin("2026-12-02 10:15"), 60),
            Some(berlin("2026-12-02 11:15"))
        );
        // Before opening: from 9:00.
        assert_eq!(
            s.deadline(berlin("2026-12-02 06:00"), 60),
            Some(berlin("2026-12-02 10:00"))
        );
        // After closing: from the next morning.
        assert_eq!(
            s.deadline(berlin("2026-12-02 20:00"), 60),
            Some(berlin("2026-12-03 10:00"))
        );
        // Exactly at closing time the clock has run out: due then, not next morning.
        assert_eq!(
            s.deadline(berlin("2026-12-02 16:00"), 60),
            Some(berlin("2026-12-02 17:00"))
        );
        // Whole business days: 16 hours from Monday 9:00 end on Tuesday at 17:00.
        assert_eq!(
            s.deadline(berlin("2026-11-30 09:00"), 16 * 60),
            Some(berlin("2026-12-01 17:00"))
        );
        assert!(s.is_open(berlin("2026-12-02 09:00")));
        assert!(!s.is_open(berlin("2026-12-02 17:00")));
        assert!(!s.is_open(berlin("2026-12-05 12:00")));
        assert_eq!(
            s.next_open(berlin("2026-12-05 12:00")),
            Some(berlin("2026-12-07 09:00"))
        );
        assert_eq!(
            s.next_open(berlin("2026-12-07 11:00")),
            Some(berlin("2026-12-07 11:00"))
        );
    }

    #[test]
    fn across_a_holiday() {
        let s = schedule("Europe/Berlin; mon-fri 09:00-17:00; holidays 2026-12-24, 2026-12-25");
        // Wednesday 23rd 15:00 + 4 h: 2 h on Wednesday, Thursday and Friday closed, then the
        // weekend: Monday 28th 11:00.
        let asked = berlin("2026-12-23 15:00");
        assert_eq!(s.deadline(asked, 240), Some(berlin("2026-12-28 11:00")));
        assert_eq!(s.business_minutes(asked, berlin("2026-12-28 11:00")), 240);
        assert!(!s.is_open(berlin("2026-12-24 10:00")));
    }

    #[test]
    fn across_spring_forward() {
        // Berlin leaves CET (UTC+1) for CEST (UTC+2) on Sunday 2026-03-29 at 02:00.
        let s = schedule("Europe/Berlin; mon-fri 09:00-17:00");
        // Friday 27th 16:00 CET (15:00 UTC) + 2 h: 1 h on Friday, 1 h on Monday 30th from 9:00
        // CEST (07:00 UTC).
        assert_eq!(
            s.deadline(berlin("2026-03-27 16:00"), 120),
            Some(utc("2026-03-30 08:00"))
        );
        // The local hours stay put: Monday opens at 07:00 UTC, the Friday before at 08:00 UTC.
        assert_eq!(
            s.next_open(utc("2026-03-30 00:00")),
            Some(utc("2026-03-30 07:00"))
        );
        assert_eq!(
            s.next_open(utc("2026-03-27 00:00")),
            Some(utc("2026-03-27 08:00"))
        );
        // Open around the clock on Sunday: that day has 23 hours.
        let sunday = schedule("Europe/Berlin; sun 00:00-24:00");
        assert_eq!(
            sunday.business_minutes(utc("2026-03-28 00:00"), utc("2026-03-30 00:00")),
            23 * 60
        );
        // Hours inside the gap (02:00-03:00 does not exist): 01:30-02:30 is half an hour.
        let night = schedule("Europe/Berlin; sun 01:30-02:30");
        assert_eq!(
            night.business_minutes(utc("2026-03-28 00:00"), utc("2026-03-30 00:00")),
            30
        );
        // Opening in the gap opens at the change (03:00 CEST = 01:00 UTC).
        let gap = schedule("Europe/Berlin; sun 02:30-04:00");
        assert_eq!(
            gap.next_open(utc("2026-03-28 12:00")),
            Some(utc("2026-03-29 01:00"))
        );
    }

    #[test]
    fn across_fall_back() {
        // Berlin goes back from CEST to CET on Sunday 2026-10-25 at 03:00 (02:00-03:00 twice).
        let s = schedule("Europe/Berlin; mon-fri 09:00-17:00");
        // Friday 23rd 16:00 CEST (14:00 UTC) + 2 h: Monday 26th 10:00 CET (09:00 UTC).
        assert_eq!(
            s.deadline(berlin("2026-10-23 16:00"), 120),
            Some(utc("2026-10-26 09:00"))
        );
        let sunday = schedule("Europe/Berlin; sun 00:00-24:00");
        assert_eq!(
            sunday.business_minutes(utc("2026-10-24 00:00"), utc("2026-10-27 00:00")),
            25 * 60
        );
        // The doubled hour counts twice: 01:30-03:30 local is 3 hours that night.
        let night = schedule("Europe/Berlin; sun 01:30-03:30");
        assert_eq!(
            night.business_minutes(utc("2026-10-24 00:00"), utc("2026-10-27 00:00")),
            180
        );
        assert_eq!(
            night.deadline(utc("2026-10-24 00:00"), 180),
            Some(utc("2026-10-25 02:30"))
        );
    }

    #[test]
    fn the_canonical_text_round_trips() {
        let s = schedule(
            "Europe/Berlin ;MON-FRI 9:00-12:00 ,12:00-17:00; sat 10:00-14:00;\
             holidays 2026-12-25 2026-12-24; ",
        );
        let text = s.to_text();
        assert_eq!(
            text,
            "Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24, 2026-12-25"
        );
        assert_eq!(Schedule::parse(&text).unwrap(), s);
        let split =
            schedule("UTC; mon,wed 08:00-12:00, 13:00-24:00; tue 08:00-12:00; sun 10:00-11:00");
        assert_eq!(
            split.to_text(),
            "UTC; mon 08:00-12:00, 13:00-24:00; tue 08:00-12:00; wed 08:00-12:00, 13:00-24:00; sun 10:00-11:00"
        );
        assert_eq!(Schedule::parse(&split.to_text()).unwrap(), split);
        assert_eq!(Schedule::parse_optional("  ").unwrap(), None);
        // Spaces inside the days are fine.
        assert_eq!(
            schedule("UTC; sat, sun 10:00 - 14:00; mon - tue 9:00–9:30").to_text(),
            "UTC; mon-tue 09:00-09:30; sat-sun 10:00-14:00"
        );
    }

    #[test]
    fn bad_schedules_name_the_problem() {
        use ScheduleError::*;
        let cases = [
            (
                "Mars/Olympus; mon 09:00-17:00",
                UnknownZone("Mars/Olympus".into()),
            ),
            ("", UnknownZone("".into())),
            ("UTC; mo-fr 09:00-17:00", BadDay("mo-fr".into())),
            ("UTC; fri-mon 09:00-17:00", BadDay("fri-mon".into())),
            ("UTC; mon 9-17", BadTime("9".into())),
            ("UTC; mon 09:00-25:00", BadTime("25:00".into())),
            ("UTC; mon 09:60-10:00", BadTime("09:60".into())),
            ("UTC; mon 9:5-10:00", BadTime("9:5".into())),
            ("UTC; mon", BadTime("mon".into())),
            ("UTC; mon 22:00-06:00", EndBeforeStart("22:00-06:00".into())),
            ("UTC; mon 09:00-09:00", EndBeforeStart("09:00-09:00".into())),
            (
                "UTC; mon-fri 09:00-13:00; wed 12:00-18:00",
                Overlapping("wed".into()),
            ),
            (
                "UTC; mon 09:00-17:00; holidays 2026-02-30",
                BadHoliday("2026-02-30".into()),
            ),
            (
                "UTC; mon 09:00-17:00; holidays tomorrow",
                BadHoliday("tomorrow".into()),
            ),
            ("UTC", NoOpenHours),
            ("UTC; holidays 2026-12-24", NoOpenHours),
        ];
        for (text, want) in cases {
            assert_eq!(Schedule::parse(text), Err(want), "{text}");
        }
        let long = format!(
            "UTC; mon 09:00-17:00; holidays {}",
            "2026-01-01 ".repeat(100)
        );
        assert_eq!(Schedule::parse(&long), Err(TooLong));
        // Messages are translated and never a 500.
        let e: AppError = BadDay("mo".into()).into();
        assert!(matches!(e, AppError::Invalid(_)));
    }

    #[test]
    fn deadlines_are_found_in_bounded_steps() {
        // One open minute a week: a 4-hour target would take 240 weeks.
        let s = schedule("UTC; mon 09:00-09:01");
        let t = utc("2026-12-01 00:00");
        assert_eq!(s.deadline(t, 240), None);
        assert_eq!(s.fits(t, 240), Err(ScheduleError::TargetTooLong));
        assert_eq!(s.deadline(t, 1), Some(utc("2026-12-07 09:01")));
        // The shared helper falls back to the wall clock rather than no deadline.
        assert_eq!(
            deadline(t, Some(240), Some(&s)),
            Some(utc("2026-12-01 04:00"))
        );
        assert_eq!(deadline(t, None, Some(&s)), None);
        assert_eq!(deadline(t, Some(60), None), Some(utc("2026-12-01 01:00")));
        // Counting decades does not take long.
        assert!(s.business_minutes(utc("1990-01-01 00:00"), utc("2060-01-01 00:00")) > 0);
    }

    #[test]
    fn elapsed_counts_business_time_only_with_a_schedule() {
        let s = schedule(BERLIN);
        let (a, b) = (berlin("2026-12-04 16:30"), berlin("2026-12-07 09:30"));
        assert_eq!(elapsed(a, b, Some(&s)), 60);
        assert_eq!(elapsed(a, b, None), (b - a).num_minutes());
    }
}
