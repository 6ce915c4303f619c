//! Thread page views: counted in memory and written in one batch at most once a second, so a
//! page served from the cache costs no database write. Views rank promotion candidates.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::schema::threads;
use crate::db::Db;

/// Pending views per thread.
pub struct ViewCounter {
    pending: Mutex<(HashMap<i64, i64>, Instant)>,
    flushing: AtomicBool,
}

/// Views are written at most this often.
const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Threads remembered between writes at most (more are dropped: views are a rough signal).
const MAX_PENDING: usize = 100_000;

impl Default for ViewCounter {
    fn default() -> Self {
        ViewCounter {
            pending: Mutex::new((HashMap::new(), Instant::now())),
            flushing: AtomicBool::new(false),
        }
    }
}

impl ViewCounter {
    /// Counts a view; true when it is time to write (the caller then runs `flush` off the
    /// request thread).
    pub fn record(&self, thread_id: i64) -> bool {
        let Ok(mut guard) = self.pending.lock() else {
            return false;
        };
        let (map, since) = &mut *guard;
        if map.len() < MAX_PENDING || map.contains_key(&thread_id) {
            *map.entry(thread_id).or_default() += 1;
        }
        since.elapsed() >= FLUSH_EVERY && !self.flushing.load(Ordering::Acquire)
    }

    /// Writes the pending views (one writer at a time; the page cache is left alone).
    pub fn flush(&self, db: &Db) {
        if self.flushing.swap(true, Ordering::AcqRel) {
            return;
        }
        let batch = match self.pending.lock() {
            Ok(mut guard) => {
                guard.1 = Instant::now();
                std::mem::take(&mut guard.0)
            }
            Err(_) => HashMap::new(),
        };
        if !batch.is_empty() {
            // In id order: concurrent writers that lock several threads cannot deadlock with us.
            let mut batch: Vec<(i64, i64)> = batch.into_iter().collect();
            batch.sort_unstable();
            let result = db.write_untracked(|conn| {
                for (id, n) in &batch {
                    diesel::update(threads::table.find(id))
                        .set(threads::view_count.eq(threads::view_count + n))
                        .execute(conn)?;
                }
                Ok(())
            });
            if let Err(e) = result {
                tracing::warn!("writing thread views failed: {e}");
            }
        }
        self.flushing.store(false, Ordering::Release);
    }
}
