//! The indexer thread: the only owner of an `IndexWriter`. It polls the outbox, re-indexes the
//! threads that changed (delete by key, then add: a document is never in the index twice),
//! commits with the cursor in the payload and reloads the reader. It also notices when
//! `peerdesk reindex` swapped in a new folder, flushes the search log, and prunes old outbox rows.
//!
//! The cursor only moves past rows older than `GRACE`: on PostgreSQL a transaction can commit an
//! outbox row with a lower id after a higher one is visible, so rows inside the window are
//! re-read (and skipped if already applied) until they are old enough to be certain.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use tantivy::{IndexWriter, Term};

use super::schema::to_document;
use super::store::{self, payload_string};
use super::{doc_key, Search, SearchIndex};
use crate::db::schema::search_outbox;
use crate::db::{now, Db, DbConn};
use crate::error::AppResult;

const GRACE: chrono::TimeDelta = chrono::TimeDelta::seconds(10);
const POLL: Duration = Duration::from_millis(100);
const BATCH: i64 = 5000;
/// Outbox rows are pruned by age, never by one node's cursor (other nodes may lag).
const OUTBOX_KEEP: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// The highest outbox id below which every row is older than the grace window.
pub fn safe_watermark(conn: &mut DbConn) -> AppResult<i64> {
    let cutoff = now() - GRACE;
    let young: Option<i64> = search_outbox::table
        .filter(search_outbox::created_at.ge(cutoff))
        .select(diesel::dsl::min(search_outbox::id))
        .first(conn)?;
    let max: Option<i64> = search_outbox::table
        .select(diesel::dsl::max(search_outbox::id))
        .first(conn)?;
    Ok(match young {
        Some(first_young) => first_young - 1,
        None => max.unwrap_or(0),
    })
}

struct Writer {
    index: std::sync::Arc<SearchIndex>,
    writer: IndexWriter,
}

fn open_writer(index: std::sync::Arc<SearchIndex>) -> anyhow::Result<Writer> {
    let writer = index.index.writer_with_num_threads(1, 50_000_000)?;
    Ok(Writer { index, writer })
}

/// The thread body. Errors are logged and retried; the loop ends when the app shuts down.
pub fn run(search: &Search, db: &Db) {
    let mut writer = match open_writer(search.current()) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::error!("search indexer cannot open the index writer: {e:#}");
            None
        }
    };
    let mut cursor = search.stats.cursor.load(Ordering::Acquire);
    let mut applied: HashSet<i64> = HashSet::new();
    let mut last_prune = Instant::now() - Duration::from_secs(3600);
    while !search.stopping() {
        // A reindex swapped in a new folder (or the writer died): open it, and only then let
        // go of the old writer, so a bad folder never leaves us with no writer at all.
        if let Ok(dir) = store::current_dir(&search.root) {
            if writer.as_ref().is_none_or(|w| w.index.dir != dir) {
                match store::open_dir(&dir) {
                    Ok(index) => {
                        drop(writer.take());
                        cursor = index.cursor;
                        applied.clear();
                        search.replace(index);
                        tracing::info!("search: using index {}", dir.display());
                        match open_writer(search.current()) {
                            Ok(w) => writer = Some(w),
                            Err(e) => tracing::error!(
                                "search indexer cannot open the index writer: {e:#}"
                            ),
                        }
                    }
                    Err(e) => tracing::error!("search: cannot open {}: {e:#}", dir.display()),
                }
            }
        }
        if let Some(w) = writer.as_mut() {
            match step(w, db, &mut cursor, &mut applied) {
                Ok(()) => {
                    search.stats.cursor.store(cursor, Ordering::Release);
                    let max_applied = applied.iter().copied().max().unwrap_or(cursor).max(cursor);
                    search.stats.applied.store(max_applied, Ordering::Release);
                }
                Err(e) => {
                    // A failed commit kills tantivy's writer for good: reopen it next round,
                    // from the last commit and its cursor (nothing committed is lost).
                    tracing::warn!("search indexer: {e:#}; reopening the index");
                    writer = None;
                }
            }
        }
        search.log.flush(db);
        if last_prune.elapsed() > Duration::from_secs(600) {
            last_prune = Instant::now();
            if let Err(e) = db.write_blocking(prune_outbox) {
                tracing::warn!("search: pruning the outbox failed: {e}");
            }
        }
        std::thread::sleep(POLL);
    }
    search.log.flush(db);
}

/// The newest outbox id (0 when empty).
pub fn newest_outbox_id(conn: &mut DbConn) -> AppResult<i64> {
    let max: Option<i64> = search_outbox::table
        .select(diesel::dsl::max(search_outbox::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// Deletes outbox rows older than `OUTBOX_KEEP`, but never the newest row: SQLite reuses ids
/// of an empty table, and ids must keep growing past every node's cursor.
fn prune_outbox(conn: &mut DbConn) -> AppResult<usize> {
    let cutoff = now() - OUTBOX_KEEP;
    let max: Option<i64> = search_outbox::table
        .select(diesel::dsl::max(search_outbox::id))
        .first(conn)?;
    let Some(max) = max else { return Ok(0) };
    Ok(diesel::delete(
        search_outbox::table
            .filter(search_outbox::created_at.lt(cutoff))
            .filter(search_outbox::id.lt(max)),
    )
    .execute(conn)?)
}

/// Late rows inside the grace window that are re-checked per poll, at most.
const WINDOW: i64 = 50_000;

/// One poll: apply outbox rows past the cursor that are not applied yet, commit, reload.
fn step(
    w: &mut Writer,
    db: &Db,
    cursor: &mut i64,
    applied: &mut HashSet<i64>,
) -> anyhow::Result<()> {
    type Row = (i64, String, i64, chrono::NaiveDateTime);
    let after = *cursor;
    let max_applied = applied.iter().copied().max().unwrap_or(after).max(after);
    let select =
        |conn: &mut DbConn, from: i64, to: Option<i64>, limit: i64| -> AppResult<Vec<Row>> {
            let mut q = search_outbox::table
                .filter(search_outbox::id.gt(from))
                .into_boxed();
            if let Some(to) = to {
                q = q.filter(search_outbox::id.le(to));
            }
            Ok(q.order(search_outbox::id.asc())
                .limit(limit)
                .select((
                    search_outbox::id,
                    search_outbox::entity,
                    search_outbox::entity_id,
                    search_outbox::created_at,
                ))
                .load(conn)?)
        };
    // Rows inside the grace window (some may have committed late), then rows never seen.
    let (window, newer): (Vec<Row>, Vec<Row>) = db.read_blocking(|conn| {
        let window = if max_applied > after {
            select(conn, after, Some(max_applied), WINDOW)?
        } else {
            Vec::new()
        };
        Ok((window, select(conn, max_applied, None, BATCH)?))
    })?;
    // A full window may hide rows after it: then the cursor stops at the window's end.
    let window_full = window.len() as i64 == WINDOW;
    let rows: Vec<Row> = if window_full {
        window
    } else {
        window.into_iter().chain(newer).collect()
    };
    let fresh: Vec<&Row> = rows.iter().filter(|r| !applied.contains(&r.0)).collect();
    // The new cursor: the end of the leading run of rows old enough to be final.
    let cutoff = now() - GRACE;
    let mut new_cursor = *cursor;
    for (id, _, _, created) in &rows {
        if *created < cutoff {
            new_cursor = *id;
        } else {
            break;
        }
    }
    if fresh.is_empty() && new_cursor == *cursor {
        return Ok(());
    }
    let ids_of = |entity: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = fresh
            .iter()
            .filter(|r| r.1 == entity)
            .map(|r| r.2)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let thread_ids = ids_of(super::THREAD);
    let mut article_ids = ids_of(super::ARTICLE);
    // An article takes its category and tags from its thread: re-index it with the thread.
    article_ids
        .extend(db.read_blocking(|conn| crate::kb::articles_for_threads(conn, &thread_ids))?);
    article_ids.sort_unstable();
    article_ids.dedup();
    let docs = db.read_blocking(|conn| {
        let mut docs = crate::threads::index_docs(conn, &thread_ids)?;
        // Drafts and archived articles have no document: deleting the key removes them.
        docs.extend(crate::kb::index_docs(conn, &article_ids)?);
        Ok(docs)
    })?;
    let fields = &w.index.fields;
    for (kind, ids) in [(super::THREAD, &thread_ids), (super::ARTICLE, &article_ids)] {
        for id in ids {
            w.writer
                .delete_term(Term::from_field_text(fields.key, &doc_key(kind, *id)));
        }
    }
    for d in &docs {
        w.writer.add_document(to_document(fields, d))?;
    }
    let mut prepared = w.writer.prepare_commit()?;
    prepared.set_payload(&payload_string(new_cursor));
    prepared.commit()?;
    w.index.reader.reload()?;
    applied.extend(fresh.iter().map(|r| r.0));
    applied.retain(|id| *id > new_cursor);
    *cursor = new_cursor;
    Ok(())
}
