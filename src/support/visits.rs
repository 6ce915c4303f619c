//! When a signed-in user last saw a thread ("what changed since your last visit"). Visits are
//! kept in memory and written in one batch at most once a second, like page views: a thread
//! page costs no write of its own, and never clears the page cache.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::thread_visits;
use crate::db::{Db, DbConn};
use crate::error::AppResult;

/// When each (user, thread) pair was last seen.
type Seen = HashMap<(i64, i64), NaiveDateTime>;

/// Visits not yet written, by (user, thread), and when they were last written.
pub struct Visits {
    pending: Mutex<(Seen, Instant)>,
    flushing: AtomicBool,
}

const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Past this many unwritten visits, new ones wait for the next write (a rough signal).
const MAX_PENDING: usize = 100_000;

impl Default for Visits {
    fn default() -> Self {
        Visits {
            pending: Mutex::new((HashMap::new(), Instant::now())),
            flushing: AtomicBool::new(false),
        }
    }
}

impl Visits {
    /// When `user_id` last saw `thread_id`, before this visit (pending visits count).
    pub fn last_seen(
        &self,
        conn: &mut DbConn,
        user_id: i64,
        thread_id: i64,
    ) -> AppResult<Option<NaiveDateTime>> {
        if let Ok(guard) = self.pending.lock() {
            if let Some(at) = guard.0.get(&(user_id, thread_id)) {
                return Ok(Some(*at));
            }
        }
        Ok(thread_visits::table
            .find((user_id, thread_id))
            .select(thread_visits::seen_at)
            .first(conn)
            .optional()?)
    }

    /// Remembers a visit; true when it is time to write (the caller runs `flush` off the
    /// request thread).
    pub fn record(&self, user_id: i64, thread_id: i64, at: NaiveDateTime) -> bool {
        let Ok(mut guard) = self.pending.lock() else {
            return false;
        };
        let (map, since) = &mut *guard;
        if map.len() < MAX_PENDING || map.contains_key(&(user_id, thread_id)) {
            map.insert((user_id, thread_id), at);
        }
        since.elapsed() >= FLUSH_EVERY && !self.flushing.load(Ordering::Acquire)
    }

    /// Writes pending visits (one writer at a time; the page cache is left alone). A visit
    /// stays readable from memory until its row is written.
    pub fn flush(&self, db: &Db) {
        if self.flushing.swap(true, Ordering::AcqRel) {
            return;
        }
        let batch: Vec<((i64, i64), NaiveDateTime)> = match self.pending.lock() {
            Ok(mut guard) => {
                guard.1 = Instant::now();
                guard.0.iter().map(|(k, v)| (*k, *v)).collect()
            }
            Err(_) => Vec::new(),
        };
        if !batch.is_empty() {
            let result = db.write_untracked(|conn| {
                for ((user_id, thread_id), at) in &batch {
                    // No upsert on the multi-backend: update, else insert.
                    let n = diesel::update(thread_visits::table.find((user_id, thread_id)))
                        .set(thread_visits::seen_at.eq(at))
                        .execute(conn)?;
                    if n == 0 {
                        diesel::insert_into(thread_visits::table)
                            .values((
                                thread_visits::user_id.eq(user_id),
                                thread_visits::thread_id.eq(thread_id),
                                thread_visits::seen_at.eq(at),
                            ))
                            .execute(conn)?;
                    }
                }
                Ok(())
            });
            match result {
                Ok(()) => {
                    if let Ok(mut guard) = self.pending.lock() {
                        // Keep visits that came in meanwhile (newer times).
                        for (key, at) in &batch {
                            if guard.0.get(key) == Some(at) {
                                guard.0.remove(key);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!("writing thread visits failed: {e}"),
            }
        }
        self.flushing.store(false, Ordering::Release);
    }
}
