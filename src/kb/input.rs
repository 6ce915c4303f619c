//! Article input from forms and the API, parsed once into values that are valid by construction.

use chrono::{NaiveDate, NaiveDateTime};

use super::ArticleStatus;
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::threads::{MarkdownBody, Title};

/// How long an article stays trusted before someone must review it again, by default.
pub const REVIEW_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::days(180);

/// Everything an editor sets on an article.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    /// A statement of the problem ("Password reset mail does not arrive").
    pub title: Title,
    pub body: MarkdownBody,
    /// Section name; a new name creates the section.
    pub section: String,
    pub applies_to: Versions,
    pub review_by: ReviewDate,
    /// None keeps the current status (a new article is then a draft).
    pub status: Option<ArticleStatus>,
    /// What changed (kept with the revision).
    pub summary: String,
    /// The revision the editor started from: saving over a newer one is a conflict.
    pub base_revision: Option<i32>,
}

impl ArticleInput {
    /// Parses the editor's fields (forms and JSON share it).
    pub fn parse(
        title: &str,
        body: &str,
        section: &str,
        applies_to: &str,
        review_by: &str,
        status: Option<ArticleStatus>,
        summary: &str,
    ) -> AppResult<ArticleInput> {
        Ok(ArticleInput {
            title: Title::parse(title)?,
            body: MarkdownBody::parse(body)?,
            section: section_name(section)?,
            applies_to: Versions::parse(applies_to)?,
            review_by: ReviewDate::parse(review_by)?,
            status,
            summary: crate::input::line(summary, "edit-summary", 200)?,
            base_revision: None,
        })
    }
}

/// A section name: 2–60 characters with a letter or digit (it becomes the section's slug).
pub fn section_name(raw: &str) -> AppResult<String> {
    let name = crate::input::line(raw, "section-name", 60)?;
    let name = if name.is_empty() {
        "General".to_string()
    } else {
        name
    };
    if name.chars().count() < 2 || crate::catalog::slugify(&name).is_empty() {
        return Err(AppError::invalid(msg!("kb-section-name-too-short")));
    }
    Ok(name)
}

/// Product versions an article applies to ("2.4, 2.5, Cloud"): at most 20, each at most 40
/// characters, duplicates dropped, order kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Versions(Vec<String>);

impl Versions {
    pub fn parse(raw: &str) -> AppResult<Versions> {
        let raw = crate::input::line(raw, "versions-list", 1000)?;
        let mut out: Vec<String> = Vec::new();
        for v in raw.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if v.chars().count() > 40 {
                return Err(AppError::invalid(msg!("kb-version-too-long", version = v)));
            }
            if !out.iter().any(|o| o.eq_ignore_ascii_case(v)) {
                out.push(v.to_string());
            }
        }
        if out.len() > 20 {
            return Err(AppError::invalid(msg!("kb-too-many-versions")));
        }
        Ok(Versions(out))
    }
    pub fn list(stored: &str) -> Vec<String> {
        Versions::parse(stored).map(|v| v.0).unwrap_or_default()
    }
}

impl std::fmt::Display for Versions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// The date by which an article must be reviewed again; empty means "the default" for new
/// articles and "unchanged" for edits.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewDate(Option<NaiveDate>);

impl ReviewDate {
    pub fn parse(raw: &str) -> AppResult<ReviewDate> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(ReviewDate(None));
        }
        let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| AppError::invalid(msg!("kb-review-date-format")))?;
        let today = crate::db::now().date();
        if date < today || date > today + chrono::TimeDelta::days(3660) {
            return Err(AppError::invalid(msg!("kb-review-date-range")));
        }
        Ok(ReviewDate(Some(date)))
    }
    /// The date given, or the day `REVIEW_INTERVAL` from now (review dates are whole days).
    pub fn or_default(self) -> NaiveDateTime {
        let day = (crate::db::now() + REVIEW_INTERVAL).date();
        self.or(day.and_time(chrono::NaiveTime::MIN))
    }
    /// For an edit: the date given; else the current one while it is ahead, or a fresh one
    /// when it has passed (whoever saves has just verified the article).
    pub fn for_edit(self, current: NaiveDateTime) -> NaiveDateTime {
        match self.0 {
            Some(_) => self.or(current),
            None if current > crate::db::now() => current,
            None => self.or_default(),
        }
    }

    /// The date given, or `fallback`.
    pub fn or(self, fallback: NaiveDateTime) -> NaiveDateTime {
        self.0
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or(fallback)
    }
}
