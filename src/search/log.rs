//! The search log: every search (query, filters, result count, session) and which result was
//! clicked, for the self-service metrics. Entries are buffered in memory and written in batches
//! by the indexer thread, so searching never waits on (or invalidates caches with) a database
//! write. The self-service dashboard and its content gaps read it (the insights module).

use std::sync::Mutex;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::search_log;
use crate::db::{Db, DbConn};
use crate::error::AppResult;

/// The log's `source` for the ask page's similar-question lookups (the others: `web`, `api`).
pub const SIMILAR_LOOKUP: &str = "similar";

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
    /// How well the best result matched, about 0..1 (the fused score of a suggestion by
    /// meaning); `None` when no such measure is known (word search alone: BM25 has no scale).
    /// A weak best result nobody clicks is a content gap (see the insights module).
    pub best_score: Option<f64>,
    /// The best result's key (`thread:12`), when there was one.
    pub top_result: Option<String>,
    /// The ask-page visit a similar-question lookup came from (random, not tied to anyone):
    /// the dashboard follows a visit from its suggestions to a posted question, or none.
    pub ask_session: Option<String>,
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
        let visit_opened = match &e.ask_session {
            Some(visit) => new_visit_lookup(conn, visit)?,
            None => false,
        };
        diesel::insert_into(search_log::table)
            .values((
                search_log::search_id.eq(&e.search_id),
                search_log::query.eq(&e.query),
                search_log::filters.eq(&e.filters),
                search_log::result_count.eq(e.result_count),
                search_log::session.eq(&e.session),
                search_log::source.eq(e.source),
                search_log::created_at.eq(e.created_at),
                search_log::best_score.eq(e.best_score),
                search_log::top_result.eq(&e.top_result),
                search_log::ask_session.eq(&e.ask_session),
                search_log::visit_last.eq(e.ask_session.is_some()),
                search_log::visit_opened.eq(visit_opened),
            ))
            .execute(conn)?;
    }
    for (search_id, target) in clicks {
        diesel::update(search_log::table.filter(search_log::search_id.eq(search_id)))
            .set(search_log::clicked.eq(Some(target)))
            .execute(conn)?;
        let visit: Option<String> = search_log::table
            .filter(search_log::search_id.eq(search_id))
            .select(search_log::ask_session)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten();
        // An opened suggestion marks its whole ask-page visit as one that found something.
        if let Some(visit) = visit {
            diesel::update(search_log::table.filter(search_log::ask_session.eq(visit)))
                .set(search_log::visit_opened.eq(true))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Before a visit's new lookup is written: its earlier lookups stop being its latest (so the
/// dashboard reads one row per visit, the title as the asker left it); returns whether the
/// visit has opened a suggestion already, which the new row inherits. Lookups of one visit
/// written by two nodes within the same second may both stay "latest": counted twice, rarely.
fn new_visit_lookup(conn: &mut DbConn, visit: &str) -> AppResult<bool> {
    diesel::update(
        search_log::table
            .filter(search_log::ask_session.eq(visit))
            .filter(search_log::visit_last),
    )
    .set(search_log::visit_last.eq(false))
    .execute(conn)?;
    Ok(diesel::select(diesel::dsl::exists(
        search_log::table
            .filter(search_log::ask_session.eq(visit))
            .filter(search_log::visit_opened),
    ))
    .get_result(conn)?)
}
