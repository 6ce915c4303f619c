//! Ask-page visits ("ask sessions"): a random id the ask form and its similar-question lookups
//! carry, tied to no one. The search log keeps which lookups a visit made and which suggestion
//! it opened; this file records the question a visit posted, so the dashboard can tell a visit
//! that found its answer (opened a suggestion, posted nothing) from one that asked anyway.

use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;

use crate::db::schema::ask_posts;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::msg;

/// The id of one visit to the ask page: 16 random bytes, URL-safe base64 (22 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskSession(String);

/// Longest id accepted back from a form or a lookup (ours are 22 characters).
const MAX_CHARS: usize = 64;
/// Shortest: a guessable id would let one visit's outcome be written into another's.
const MIN_CHARS: usize = 16;

impl AskSession {
    /// A new visit's id.
    pub fn new() -> AskSession {
        let mut buf = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut buf);
        AskSession(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
    }

    /// An id sent back by the ask form or its lookups; empty: none (a lookup from elsewhere).
    pub fn parse(text: &str) -> AppResult<Option<AskSession>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let n = text.chars().count();
        let shape = text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !(MIN_CHARS..=MAX_CHARS).contains(&n) || !shape {
            return Err(AppError::invalid(msg!("insights-error-ask-session")));
        }
        Ok(Some(AskSession(text.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for AskSession {
    fn default() -> Self {
        AskSession::new()
    }
}

/// Records, in the asking transaction, that the visit `session` posted `thread_id`.
pub fn record_posted(conn: &mut DbConn, session: &AskSession, thread_id: i64) -> AppResult<()> {
    diesel::insert_into(ask_posts::table)
        .values((
            ask_posts::ask_session.eq(session.as_str()),
            ask_posts::thread_id.eq(thread_id),
            ask_posts::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_only_well_formed_ones_come_back() {
        let a = AskSession::new();
        assert_ne!(a, AskSession::new());
        assert_eq!(AskSession::parse(a.as_str()).unwrap(), Some(a));
        assert_eq!(AskSession::parse("  ").unwrap(), None);
        for bad in [
            "short",
            "has spaces in it here!",
            "<script>alert(1)</script>xx",
        ] {
            assert!(AskSession::parse(bad).is_err(), "{bad}");
        }
        assert!(AskSession::parse(&"a".repeat(65)).is_err());
    }
}
