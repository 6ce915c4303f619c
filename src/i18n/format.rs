//! Numbers, dates, times and durations in a language's conventions. Words (month names, "3 hours
//! ago") come from the messages; only digit grouping is table-driven, by language.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use fluent_bundle::FluentValue;
use intl_memoizer::concurrent::IntlLangMemoizer;
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

use super::{Catalog, Language, Msg};

/// How a language writes numbers: `12,345.5` in English, `12.345,5` in German.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    pub group: &'static str,
    pub decimal: &'static str,
}

impl Separators {
    pub fn for_language(id: &LanguageIdentifier) -> Separators {
        // CLDR's common choices; a language not listed writes numbers the English way.
        match id.language.as_str() {
            "de" | "es" | "it" | "nl" | "pt" | "da" | "id" | "tr" | "el" | "ro" | "hr" | "sl"
            | "sr" => Separators {
                group: ".",
                decimal: ",",
            },
            "fr" | "ru" | "pl" | "cs" | "sk" | "sv" | "nb" | "nn" | "fi" | "uk" | "hu" | "bg"
            | "lt" | "lv" | "et" => Separators {
                group: "\u{a0}",
                decimal: ",",
            },
            _ => Separators {
                group: ",",
                decimal: ".",
            },
        }
    }
}

impl Memoizable for Separators {
    type Args = ();
    type Error = ();
    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, ()> {
        Ok(Separators::for_language(&lang))
    }
}

/// `n` with the language's grouping: integers grouped by thousands (from 10,000 on in German and
/// the like, as their style guides ask), at most two decimals.
pub fn format_number(n: f64, sep: Separators) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let negative = n < 0.0;
    let rounded = (n.abs() * 100.0).round() / 100.0;
    let whole = rounded.trunc() as u64;
    let fraction = ((rounded - rounded.trunc()) * 100.0).round() as u64;
    let digits = whole.to_string();
    let group = !(sep.group == "." && digits.len() <= 4);
    let mut out = String::with_capacity(digits.len() + 8);
    if negative && (whole > 0 || fraction > 0) {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if group && i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep.group);
        }
        out.push(c);
    }
    if fraction > 0 {
        out.push_str(sep.decimal);
        let f = format!("{fraction:02}");
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// The bundles' number formatter: Fluent's own writes `12345` in every language.
pub(super) fn fluent_number(value: &FluentValue, memo: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    memo.with_try_get::<Separators, _, _>((), |sep| format_number(n.value, *sep))
        .ok()
}

/// A time zone by IANA name; None for names chrono-tz does not know.
pub fn zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

fn local(at: NaiveDateTime, tz: Tz) -> DateTime<Tz> {
    tz.from_utc_datetime(&at)
}

impl Catalog {
    /// A time's wording, remembered per language, zone and minute: the same times show on
    /// every request of a popular page.
    fn time_memo(
        &self,
        kind: &str,
        lang: &Language,
        at: NaiveDateTime,
        tz: Tz,
        make: impl FnOnce() -> String,
    ) -> String {
        self.memo(
            |key| {
                use std::fmt::Write;
                key.clear();
                let minute = at.and_utc().timestamp().div_euclid(60);
                let _ = write!(
                    key,
                    "{}\u{1e}{kind}\u{1f}{}\u{1f}{}\u{1f}{minute}",
                    self.id,
                    lang.tag,
                    tz.name()
                );
            },
            make,
        )
        .to_string()
    }

    /// "4 Dec 2026" / "4. Dez. 2026" in `tz`.
    pub fn date(&self, lang: &Language, at: NaiveDateTime, tz: Tz) -> String {
        self.time_memo("date", lang, at, tz, || {
            self.text(lang, &date_msg(&local(at, tz)))
        })
    }

    /// "4 Dec 2026, 14:05" / "4. Dez. 2026, 14:05" in `tz`.
    pub fn datetime(&self, lang: &Language, at: NaiveDateTime, tz: Tz) -> String {
        self.time_memo("datetime", lang, at, tz, || {
            self.datetime_with("format-datetime", lang, at, tz)
        })
    }

    /// "4 Dec 2026, 14:05 CET": the exact time shown on hover.
    pub fn datetime_exact(&self, lang: &Language, at: NaiveDateTime, tz: Tz) -> String {
        self.time_memo("exact", lang, at, tz, || {
            self.datetime_with("format-datetime-zone", lang, at, tz)
        })
    }

    fn datetime_with(
        &self,
        id: &'static str,
        lang: &Language,
        at: NaiveDateTime,
        tz: Tz,
    ) -> String {
        let t = local(at, tz);
        let date = self.date(lang, at, tz);
        self.text(
            lang,
            &Msg::new(id)
                .arg("date", date)
                .arg("time", t.format("%H:%M").to_string())
                .arg("zone", t.format("%Z").to_string()),
        )
    }

    /// "3 hours ago" / "vor 3 Stunden"; "in 2 days" for times ahead.
    pub fn relative(&self, lang: &Language, at: NaiveDateTime, now: DateTime<Utc>) -> String {
        let Some((ahead, count, unit)) = relative_span(at, now) else {
            return self.text(lang, &Msg::new("time-just-now"));
        };
        let id = if ahead { "time-in" } else { "time-ago" };
        self.text(lang, &Msg::new(id).arg("unit", unit).arg("count", count))
    }

    /// A span of minutes as people say it: "45 minutes", "4 hours", "1 h 30 min", "2 days".
    pub fn duration(&self, lang: &Language, minutes: i64) -> String {
        let m = minutes.max(0);
        let msg = if m == 0 {
            Msg::new("duration-under-a-minute")
        } else if m < 60 {
            Msg::new("duration-minutes").arg("count", m)
        } else if m % (24 * 60) == 0 {
            Msg::new("duration-days").arg("count", m / (24 * 60))
        } else if m % 60 == 0 && m < 48 * 60 {
            Msg::new("duration-hours").arg("count", m / 60)
        } else if m < 48 * 60 {
            Msg::new("duration-hours-minutes")
                .arg("hours", m / 60)
                .arg("minutes", m % 60)
        } else {
            Msg::new("duration-days-hours")
                .arg("days", m / (24 * 60))
                .arg("hours", (m % (24 * 60)) / 60)
        };
        self.text(lang, &msg)
    }

    /// A span of business time ("4 business hours", "45 business minutes"): hours are not
    /// folded into days, since a business day is as long as the schedule says, not 24 hours.
    pub fn business_duration(&self, lang: &Language, minutes: i64) -> String {
        let m = minutes.max(0);
        let msg = if m < 60 {
            Msg::new("duration-business-minutes").arg("count", m)
        } else if m % 60 == 0 {
            Msg::new("duration-business-hours").arg("count", m / 60)
        } else {
            Msg::new("duration-business-hours-minutes")
                .arg("hours", m / 60)
                .arg("minutes", m % 60)
        };
        self.text(lang, &msg)
    }
}

/// How far `at` is from `now` the way `relative` words it: whether ahead, how many of which
/// unit; None under a minute ("just now"). Two times with the same span read the same.
pub fn relative_span(at: NaiveDateTime, now: DateTime<Utc>) -> Option<(bool, u64, &'static str)> {
    let secs = (now.naive_utc() - at).num_seconds();
    let ahead = secs < 0;
    let secs = secs.unsigned_abs();
    let (count, unit) = match secs {
        0..=59 => return None,
        60..=3_599 => (secs / 60, "minute"),
        3_600..=86_399 => (secs / 3_600, "hour"),
        86_400..=2_591_999 => (secs / 86_400, "day"),
        2_592_000..=31_535_999 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    Some((ahead, count, unit))
}

fn date_msg(t: &DateTime<Tz>) -> Msg {
    use chrono::Datelike;
    Msg::new("format-date")
        .arg("day", t.day().to_string())
        .arg("month", t.month())
        // A string: the year is not a quantity to group ("2.026").
        .arg("year", t.year().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        let en = Separators::for_language(&"en".parse().unwrap());
        let de = Separators::for_language(&"de".parse().unwrap());
        assert_eq!(format_number(1234567.0, en), "1,234,567");
        assert_eq!(format_number(1234567.0, de), "1.234.567");
        assert_eq!(format_number(1234.0, en), "1,234");
        assert_eq!(format_number(1234.0, de), "1234");
        assert_eq!(format_number(12.5, de), "12,5");
        assert_eq!(format_number(-3.25, en), "-3.25");
        assert_eq!(format_number(0.0, en), "0");
    }
}
