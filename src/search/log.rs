//! The search log: every search (query, filters, result count, session) and which result was
//! clicked, for the self-service metrics. Entries are buffered in memory and written in batches
//! by the indexer thread, so searching never waits on (or invalidates caches with) a database
//! write. Searches that found nothing are the "content gaps" staff see.

use std::sync::Mutex;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::search_log;
use crate::db::{Db, DbConn};
use crate::error::AppResult;

/// One search as logged.
#[derive(Debug, Clone)]
pub struct SearchLogEntry {
    /// Random id carried by result links, to record the click.
    pub search_id: String,
    pub query: String,
    /// Filters as `key=value` pairs joined by `&`.
    pub filters: String,
    pub result_count: i32,
    /// Hash of the session id (anonymous visitors without a session: empty).
    pub session: String,
    /// `web`, `api` or `similar`.
    pub source: &'static str,
    pub created_at: NaiveDateTime,
}

/// Entries and clicks waiting to be written.
#[derive(Default)]
pub struct SearchLog {
    pending: Mutex<Pending>,
    /// Held for a whole flush, so a caller that flushes before reading the log (the content
    /// gaps page) waits for a flush already writing in another thread.
    flushing: Mutex<()>,
}

#[derive(Default)]
struct Pending {
    entries: Vec<SearchLogEntry>,
    clicks: Vec<(String, String)>,
    /// Entries dropped because the buffer was full (reported at the next flush).
    dropped: u64,
}

/// Bound on buffered entries: past it (tens of thousands of searches a second on one node)
/// new ones are dropped and counted in a log line, so logging never falls behind for good.
const MAX_PENDING: usize = 20_000;
/// Rows written per transaction; other writers (requests, the CLI) get the database between
/// chunks.
const CHUNK: usize = 1_000;
const PAUSE_BETWEEN_CHUNKS: std::time::Duration = std::time::Duration::from_millis(10);

impl SearchLog {
    pub fn record(&self, entry: SearchLogEntry) {
        if let Ok(mut p) = self.pending.lock() {
            if p.entries.len() < MAX_PENDING {
                p.entries.push(entry);
            } else {
                p.dropped += 1;
            }
        }
    }

    /// Records that the search `search_id` led to `target` (`thread:12`).
    pub fn click(&self, search_id: &str, target: &str) {
        if let Ok(mut p) = self.pending.lock() {
            if p.clicks.len() < MAX_PENDING {
                p.clicks.push((
                    search_id.chars().take(64).collect(),
                    target.chars().take(64).collect(),
                ));
            }
        }
    }

    /// Writes what is buffered, `CHUNK` rows per transaction: other writers (requests, the CLI)
    /// get the database between chunks even after a burst of searches.
    pub fn flush(&self, db: &Db) {
        let _flushing = self
            .flushing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (entries, clicks, dropped) = match self.pending.lock() {
            Ok(mut p) => (
                std::mem::take(&mut p.entries),
                std::mem::take(&mut p.clicks),
                std::mem::take(&mut p.dropped),
            ),
            Err(_) => return,
        };
        if dropped > 0 {
            tracing::warn!(
                "search log: {dropped} searches not logged (more than {MAX_PENDING} waiting)"
            );
        }
        if entries.is_empty() && clicks.is_empty() {
            return;
        }
        for (i, chunk) in entries.chunks(CHUNK).enumerate() {
            if i > 0 {
                std::thread::sleep(PAUSE_BETWEEN_CHUNKS);
            }
            if let Err(e) = db.write_untracked(|conn| write(conn, chunk, &[])) {
                tracing::warn!("search log: {} entries not written: {e}", chunk.len());
            }
        }
        // Clicks after their searches (a click updates its search's row).
        for chunk in clicks.chunks(CHUNK) {
            if let Err(e) = db.write_untracked(|conn| write(conn, &[], chunk)) {
                tracing::warn!("search log: {} clicks not written: {e}", chunk.len());
            }
        }
    }
}

fn write(
    conn: &mut DbConn,
    entries: &[SearchLogEntry],
    clicks: &[(String, String)],
) -> AppResult<()> {
    // One row at a time: the multi-backend has no batch insert; it is one transaction anyway.
    for e in entries {
        diesel::insert_into(search_log::table)
            .values((
                search_log::search_id.eq(&e.search_id),
                search_log::query.eq(&e.query),
                search_log::filters.eq(&e.filters),
                search_log::result_count.eq(e.result_count),
                search_log::session.eq(&e.session),
                search_log::source.eq(e.source),
                search_log::created_at.eq(e.created_at),
            ))
            .execute(conn)?;
    }
    for (search_id, target) in clicks {
        diesel::update(search_log::table.filter(search_log::search_id.eq(search_id)))
            .set(search_log::clicked.eq(Some(target)))
            .execute(conn)?;
    }
    Ok(())
}

/// A query people searched for and found nothing.
#[derive(Debug, Clone, Serialize)]
pub struct ContentGap {
    pub query: String,
    pub searches: i64,
    pub last_searched: NaiveDateTime,
}

/// Queries without results since `since`, most frequent first.
pub fn content_gaps(
    conn: &mut DbConn,
    since: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<ContentGap>> {
    let rows: Vec<(String, i64, Option<NaiveDateTime>)> = search_log::table
        .filter(search_log::result_count.eq(0))
        .filter(search_log::created_at.ge(since))
        .filter(search_log::query.ne(""))
        // Similar-question lookups run on every pause while a title is typed: half-typed
        // titles are not content gaps.
        .filter(search_log::source.ne("similar"))
        .group_by(search_log::query)
        .select((
            search_log::query,
            diesel::dsl::count_star(),
            diesel::dsl::max(search_log::created_at),
        ))
        .order(diesel::dsl::count_star().desc())
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(query, searches, last)| ContentGap {
            query,
            searches,
            last_searched: last.unwrap_or(since),
        })
        .collect())
}
