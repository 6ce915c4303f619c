//! The embedder thread: a consumer of the event log on each node. For every thread an event
//! names it builds the text (title, question, accepted answer), and when the stored vector was
//! made from other text or by another model it embeds it — outside any transaction, a batch at
//! a time — stores it and puts it in this node's index. A vector another node already stored
//! for the same text is read, not recomputed, so restarts, reindexing and extra nodes never
//! embed again. When the log is quiet it fills in threads that have no vector yet (after an
//! upgrade or a model change), a batch per round.
//!
//! The German model (when there is one) has an embedder thread of its own, the same loop over
//! its own vectors (role `de`) and cursor: it embeds German threads only and stores an empty
//! vector for the others, so they are neither embedded nor counted as missing.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::schema::{detect_language, Lang};
use super::semantic::{text_hash, thread_text, Semantic};
use super::vectors::{self, Meta, NewVector, Role};
use super::{documents, IndexDoc};
use crate::db::Db;
use crate::embedding::Embedder;
use crate::error::AppResult;
use crate::events::{self, Kind};

const POLL: Duration = Duration::from_millis(100);
const EVENT_BATCH: i64 = 2000;
/// The pending count is a query over every thread: not every round.
const COUNT_EVERY: Duration = Duration::from_secs(5);
/// Vectors read per query when loading the index at start.
const LOAD_PAGE: i64 = 2000;

/// Events after which a thread's text, visibility or solved state may differ.
fn touches_text(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::QuestionAsked
            | Kind::PostEdited
            | Kind::AnswerAccepted
            | Kind::FollowupPosted
            | Kind::ThreadClosed
            | Kind::ThreadReopened
            | Kind::ThreadReindexed
            | Kind::ThreadMerged
            | Kind::ThreadRelisted
            | Kind::ThreadPublished
            | Kind::PostHidden
            | Kind::PostDeleted
            | Kind::PostRestored
            | Kind::PostApproved
            | Kind::EditApproved
    )
}

/// Brings `ids` up to date: embeds what changed (in batches of `batch`), reads what another
/// node or an earlier run already stored. Returns how many were embedded.
pub fn refresh(
    semantic: &Semantic,
    model: &Embedder,
    db: &Db,
    ids: &[i64],
    force: bool,
) -> AppResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let ids = ids.to_vec();
    let role = semantic.role;
    let (docs, stored) = db.read_blocking(move |conn| {
        let docs = documents::thread_docs(conn, &ids)?;
        let have: Vec<i64> = docs.iter().map(|d| d.id).collect();
        Ok((docs, vectors::stored_hashes(conn, role, &have)?))
    })?;
    let name = model.name().to_string();
    let mut to_embed: Vec<(&IndexDoc, String, String)> = Vec::new();
    let mut to_read: Vec<i64> = Vec::new();
    // Threads the German model has nothing to do with: stored with an empty vector.
    let mut not_german: Vec<(i64, String)> = Vec::new();
    let metas: HashMap<i64, Meta> = docs
        .iter()
        .map(|d| (d.id, Meta { solved: d.solved }))
        .collect();
    for doc in &docs {
        let text = thread_text(doc);
        let hash = text_hash(&text);
        let meta = metas[&doc.id];
        // The indexer's own decision of the thread's language.
        if role == Role::German
            && detect_language(&format!("{} {}", doc.title, doc.question)) != Lang::De
        {
            if let Ok(mut index) = semantic.index.write() {
                index.remove(doc.id);
            }
            if !matches!(stored.get(&doc.id), Some((m, h)) if *m == name && *h == hash) {
                not_german.push((doc.id, hash));
            }
            continue;
        }
        match stored.get(&doc.id) {
            Some((m, h)) if !force && *m == name && *h == hash => {
                let in_memory = semantic
                    .index
                    .read()
                    .map(|i| i.contains(doc.id))
                    .unwrap_or(false);
                if in_memory {
                    if let Ok(mut index) = semantic.index.write() {
                        index.set_meta(doc.id, meta);
                    }
                } else {
                    to_read.push(doc.id);
                }
            }
            _ => to_embed.push((doc, text, hash)),
        }
    }
    if !not_german.is_empty() {
        let rows: Vec<NewVector> = not_german
            .iter()
            .map(|(id, hash)| NewVector {
                thread_id: *id,
                text_hash: hash,
                vector: &[],
            })
            .collect();
        db.write_blocking(|conn| vectors::save(conn, role, &name, &rows))?;
    }
    if !to_read.is_empty() {
        let model_name = name.clone();
        let found =
            db.read_blocking(move |conn| vectors::load_vectors(conn, role, &model_name, &to_read))?;
        if let Ok(mut index) = semantic.index.write() {
            for (id, v) in found {
                index.upsert(id, &v, metas.get(&id).copied().unwrap_or_default());
            }
        }
    }
    let mut embedded = 0;
    for chunk in to_embed.chunks(semantic.batch) {
        let texts: Vec<&str> = chunk.iter().map(|(_, t, _)| t.as_str()).collect();
        let t = Instant::now();
        let vecs = model
            .embed_passages(&texts)
            .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("embedding: {e:#}")))?;
        semantic
            .embed_micros
            .fetch_add(t.elapsed().as_micros() as u64, Ordering::Relaxed);
        semantic
            .embedded
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        let rows: Vec<NewVector> = chunk
            .iter()
            .zip(&vecs)
            .map(|((d, _, hash), v)| NewVector {
                thread_id: d.id,
                text_hash: hash,
                vector: v,
            })
            .collect();
        db.write_blocking(|conn| vectors::save(conn, role, &name, &rows))?;
        if let Ok(mut index) = semantic.index.write() {
            for ((d, _, _), v) in chunk.iter().zip(&vecs) {
                index.upsert(d.id, v, metas.get(&d.id).copied().unwrap_or_default());
            }
        }
        embedded += chunk.len();
    }
    Ok(embedded)
}

/// Reads every stored vector of this model into the index (at start).
fn load_index(semantic: &Semantic, model: &Embedder, db: &Db) -> AppResult<()> {
    let name = model.name().to_string();
    let role = semantic.role;
    let mut after = 0;
    loop {
        let n = name.clone();
        let page =
            db.read_blocking(move |conn| vectors::vector_page(conn, role, &n, after, LOAD_PAGE))?;
        let Some(last) = page.last().map(|r| r.thread_id) else {
            break;
        };
        if let Ok(mut index) = semantic.index.write() {
            for r in &page {
                index.upsert(r.thread_id, &r.vector, r.meta);
            }
        }
        after = last;
        if semantic.stop.load(Ordering::Acquire) {
            break;
        }
    }
    Ok(())
}

/// The cursor of this node's embedder in `event_cursors`.
pub fn cursor_name(search_dir: &str) -> String {
    format!("vectors@{}:{search_dir}", events::host_name())
}

/// The German model's embedder's cursor beside `cursor` (the main one's).
pub fn german_cursor(cursor: &str) -> String {
    format!("de-{cursor}")
}

/// The thread body: loads the index, then follows the log until the app shuts down. Errors are
/// logged and retried.
pub fn run(semantic: &Semantic, db: &Db, cursor: &str) {
    let Some(model) = semantic.model().cloned() else {
        return;
    };
    while let Err(e) = load_index(semantic, &model, db) {
        tracing::warn!("loading thread vectors failed, retrying: {e}");
        std::thread::sleep(Duration::from_secs(1));
        if semantic.stop.load(Ordering::Acquire) {
            return;
        }
    }
    semantic.loaded.store(true, Ordering::Release);
    // The model's f32 weights and the pages of stored vectors read while loading.
    crate::memory::release_freed();
    let mut backfill_after = 0i64;
    let mut last_count: Option<Instant> = None;
    while !semantic.stop.load(Ordering::Acquire) {
        match round(
            semantic,
            &model,
            db,
            cursor,
            &mut backfill_after,
            &mut last_count,
        ) {
            Ok(true) => {}
            Ok(false) => std::thread::sleep(POLL),
            Err(e) => {
                tracing::warn!("the embedder failed, retrying: {e}");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}

/// One round: new events first, else a batch of threads without a vector. True when it did
/// something (the next round follows at once).
fn round(
    semantic: &Semantic,
    model: &Embedder,
    db: &Db,
    cursor: &str,
    backfill_after: &mut i64,
    last_count: &mut Option<Instant>,
) -> AppResult<bool> {
    let name = cursor.to_string();
    let (tail, poll) = db.read_blocking(move |conn| {
        let tail = events::load_tail_readonly(conn, &name)?.unwrap_or_else(|| events::Tail::at(0));
        let poll = tail.poll(conn, EVENT_BATCH)?;
        Ok((tail, poll))
    })?;
    let caught_up_to = tail.position.max(tail.max_applied());
    if !poll.is_idle(&tail) {
        let mut ids: Vec<i64> = poll
            .fresh
            .iter()
            .filter(|e| e.kind().is_some_and(touches_text))
            .filter_map(|e| e.thread_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        refresh(semantic, model, db, &ids, false)?;
        let name = cursor.to_string();
        let applied = db.write_blocking(move |conn| {
            let mut tail = tail;
            tail.advance(&poll);
            events::save_tail(conn, &name, &tail)?;
            Ok(tail.position.max(tail.max_applied()))
        })?;
        semantic.applied.store(applied, Ordering::Release);
        return Ok(true);
    }
    semantic.applied.store(caught_up_to, Ordering::Release);
    // Backfill. Whether anything is missing is a query over every thread: asked every
    // COUNT_EVERY, not every round, and batches follow only while something is.
    let role = semantic.role;
    let recount = |last_count: &mut Option<Instant>| -> AppResult<i64> {
        let model_name = model.name().to_string();
        let n = db.read_blocking(move |conn| vectors::missing_count(conn, role, &model_name))?;
        semantic.pending.store(n, Ordering::Relaxed);
        *last_count = Some(Instant::now());
        Ok(n)
    };
    let due = last_count.is_none_or(|t| t.elapsed() >= COUNT_EVERY);
    if semantic.pending.load(Ordering::Relaxed) == 0 && (!due || recount(last_count)? == 0) {
        return Ok(false);
    }
    let model_name = model.name().to_string();
    let after = *backfill_after;
    let limit = semantic.batch as i64;
    let missing =
        db.read_blocking(move |conn| vectors::missing(conn, role, &model_name, after, limit))?;
    let Some(&last) = missing.last() else {
        // Round the table once more from the start: what is still missing came in behind.
        *backfill_after = 0;
        recount(last_count)?;
        return Ok(false);
    };
    *backfill_after = last;
    refresh(semantic, model, db, &missing, false)?;
    if due {
        recount(last_count)?;
    }
    Ok(true)
}

/// `peerdesk embed`: computes the vectors of visible threads that have none of this model
/// (`all`: of every visible thread, replacing what is stored), with a progress bar; then the
/// same for the German model when there is one. Returns how many threads each embedded (the
/// German model's count is `None` without one).
pub fn embed_with_progress(
    db: &Db,
    settings: &crate::config::SemanticSettings,
    all: bool,
) -> anyhow::Result<(usize, Option<usize>)> {
    let semantic = Semantic::load(&crate::config::SemanticSettings {
        enabled: true,
        ..settings.clone()
    });
    if semantic.model().is_none() {
        anyhow::bail!(
            "no model to embed with: {}",
            semantic.status(None).reason.unwrap_or_default()
        );
    }
    let main = embed_side(&semantic, db, all)?;
    let german = match semantic.german() {
        Some(g) => Some(embed_side(g, db, all)?),
        None => None,
    };
    Ok((main, german))
}

/// `embed_with_progress` for one side (main or German).
fn embed_side(semantic: &Semantic, db: &Db, all: bool) -> anyhow::Result<usize> {
    let Some(model) = semantic.model().cloned() else {
        return Ok(0);
    };
    let name = model.name().to_string();
    let role = semantic.role;
    let total = if all {
        db.read_blocking(|conn| super::documents::thread_counts(conn).map(|c| c.0))?
    } else {
        let n = name.clone();
        db.read_blocking(move |conn| vectors::missing_count(conn, role, &n))?
    };
    let label = match role {
        Role::Main => "embedding",
        Role::German => "embedding (German model)",
    };
    let progress = crate::progress::Progress::new(label, "threads");
    progress.set(0, total.max(0) as u64);
    let (mut after, mut done, mut embedded) = (0i64, 0u64, 0usize);
    loop {
        let n = name.clone();
        let ids = db.read_blocking(move |conn| {
            if all {
                vectors::visible_after(conn, after, 256)
            } else {
                vectors::missing(conn, role, &n, after, 256)
            }
        })?;
        let Some(&last) = ids.last() else {
            break;
        };
        embedded += refresh(semantic, &model, db, &ids, all)?;
        done += ids.len() as u64;
        after = last;
        progress.set(done, (total.max(0) as u64).max(done));
    }
    progress.finish();
    Ok(embedded)
}
