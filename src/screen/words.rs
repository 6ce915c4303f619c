//! Watched words and patterns: what an admin wants blocked, held for approval or flagged.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use regex::{Regex, RegexBuilder};
use serde::Serialize;

use crate::accounts::User;
use crate::db::schema::watched_words;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::msg;

/// What a watched word does to a post that contains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordAction {
    /// Refused with a message naming the word.
    Block,
    /// Published only once a moderator approves.
    Hold,
    /// Published, and flagged for moderators.
    Flag,
}

impl WordAction {
    pub fn as_str(self) -> &'static str {
        match self {
            WordAction::Block => "block",
            WordAction::Hold => "hold",
            WordAction::Flag => "flag",
        }
    }
    pub fn parse(s: &str) -> AppResult<WordAction> {
        match s {
            "block" => Ok(WordAction::Block),
            "hold" => Ok(WordAction::Hold),
            "flag" => Ok(WordAction::Flag),
            other => Err(AppError::invalid(msg!(
                "screen-unknown-word-action",
                action = other
            ))),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = watched_words)]
pub struct WatchedWord {
    pub id: i64,
    pub pattern: String,
    pub is_regex: bool,
    pub action: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The longest pattern an admin may enter, and the most patterns a site keeps.
const MAX_PATTERN: usize = 200;
const MAX_WORDS: i64 = 2_000;
/// Compiled patterns may not grow past this (a pathological pattern is refused, not run).
const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// A plain word matches as a whole word, case-insensitively, `*` standing for any letters; a
/// regular expression matches as written (case-insensitively).
fn compile(pattern: &str, is_regex: bool) -> Result<Regex, regex::Error> {
    let source = if is_regex {
        pattern.to_string()
    } else {
        let parts: Vec<String> = pattern.split('*').map(regex::escape).collect();
        // Word boundaries only where the word starts or ends with a letter or digit ("$$$"
        // has none to match).
        let edge = |c: Option<char>| {
            if c.is_some_and(char::is_alphanumeric) {
                r"\b"
            } else {
                ""
            }
        };
        format!(
            "{}{}{}",
            edge(pattern.chars().next()),
            parts.join(r"\w*"),
            edge(pattern.chars().last())
        )
    };
    RegexBuilder::new(&source)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

pub fn list_words(conn: &mut DbConn) -> AppResult<Vec<WatchedWord>> {
    Ok(watched_words::table
        .order(watched_words::pattern.asc())
        .select(WatchedWord::as_select())
        .load(conn)?)
}

/// Adds a watched word (admins). An invalid pattern or a duplicate is a 422.
pub fn add_word(
    conn: &mut DbConn,
    admin: &User,
    pattern: &str,
    is_regex: bool,
    action: WordAction,
) -> AppResult<WatchedWord> {
    ensure_admin(admin)?;
    let pattern = crate::input::line(pattern, "watched-word", MAX_PATTERN)?;
    if pattern.trim_matches('*').is_empty() {
        return Err(AppError::invalid(msg!("screen-word-empty")));
    }
    if let Err(e) = compile(&pattern, is_regex) {
        return Err(AppError::invalid(msg!(
            "screen-word-bad-pattern",
            error = e.to_string()
        )));
    }
    let exists: i64 = watched_words::table
        .filter(watched_words::pattern.eq(&pattern))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(AppError::Conflict(msg!(
            "screen-word-exists",
            word = pattern.as_str()
        )));
    }
    let total: i64 = watched_words::table.count().get_result(conn)?;
    if total >= MAX_WORDS {
        return Err(AppError::invalid(msg!(
            "screen-too-many-words",
            max = MAX_WORDS
        )));
    }
    let w: WatchedWord = diesel::insert_into(watched_words::table)
        .values((
            watched_words::pattern.eq(&pattern),
            watched_words::is_regex.eq(is_regex),
            watched_words::action.eq(action.as_str()),
            watched_words::created_by.eq(Some(admin.id)),
            watched_words::created_at.eq(now()),
        ))
        .returning(watched_words::all_columns)
        .get_result(conn)?;
    events::setting_changed(
        conn,
        admin.id,
        "watched_word",
        action.as_str(),
        w.id,
        &pattern,
    )?;
    Ok(w)
}

/// Removes a watched word (admins); an unknown id is a 404.
pub fn remove_word(conn: &mut DbConn, admin: &User, id: i64) -> AppResult<()> {
    ensure_admin(admin)?;
    let w: WatchedWord = watched_words::table
        .find(id)
        .select(WatchedWord::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("screen-word-not-found")))?;
    diesel::delete(watched_words::table.find(id)).execute(conn)?;
    events::setting_changed(conn, admin.id, "watched_word", "removed", w.id, &w.pattern)?;
    Ok(())
}

fn ensure_admin(user: &User) -> AppResult<()> {
    if user.role() != crate::accounts::Role::Admin {
        return Err(AppError::forbidden(msg!("screen-words-admins-only")));
    }
    Ok(())
}

/// A watched word found in a text.
#[derive(Debug, Clone)]
pub struct Found {
    pub pattern: String,
    pub action: WordAction,
}

/// Each node keeps the compiled list for a few seconds: another node's change is seen within
/// `FRESH`, this node's at once (`clear`).
const FRESH: Duration = Duration::from_secs(5);

/// The patterns as this node matches them.
type Compiled = Vec<(Regex, Found)>;

#[derive(Default)]
pub(super) struct Cache {
    compiled: RwLock<Option<(Instant, Compiled)>>,
}

impl Cache {
    pub(super) fn clear(&self) {
        *self.compiled.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub(super) fn matches(&self, conn: &mut DbConn, text: &str) -> AppResult<Vec<Found>> {
        {
            let guard = self.compiled.read().unwrap_or_else(|p| p.into_inner());
            if let Some((at, list)) = guard.as_ref() {
                if at.elapsed() < FRESH {
                    return Ok(find(list, text));
                }
            }
        }
        let list: Compiled = list_words(conn)?
            .into_iter()
            .filter_map(|w| {
                let action = WordAction::parse(&w.action).ok()?;
                // Checked when added; a pattern that no longer compiles is skipped.
                let re = compile(&w.pattern, w.is_regex).ok()?;
                Some((
                    re,
                    Found {
                        pattern: w.pattern,
                        action,
                    },
                ))
            })
            .collect();
        let found = find(&list, text);
        *self.compiled.write().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), list));
        Ok(found)
    }
}

fn find(list: &[(Regex, Found)], text: &str) -> Vec<Found> {
    list.iter()
        .filter(|(re, _)| re.is_match(text))
        .map(|(_, f)| f.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_match_whole_words_with_wildcards() {
        let re = compile("casino", false).expect("compiles");
        assert!(re.is_match("Best CASINO bonus"));
        assert!(!re.is_match("casinos are fine"), "whole words only");
        let re = compile("casino*", false).expect("compiles");
        assert!(re.is_match("casinos are not"));
        let re = compile("a.b", false).expect("compiles");
        assert!(!re.is_match("axb"), "plain words are not patterns");
        assert!(compile("(unclosed", true).is_err());
        assert!(compile(r"buy\s+now", true)
            .expect("compiles")
            .is_match("BUY   now"));
    }
}
