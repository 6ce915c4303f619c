//! The indexer thread: the only owner of an `IndexWriter`, and the first consumer of the event
//! log. It polls the log (`events::Tail`, which handles ids that commit out of order),
//! re-indexes what the events name (delete by key, then add: a document is never in the index
//! twice), commits with the cursor in the payload and reloads the reader. Each node keeps its
//! own index, so its cursor is also mirrored to `event_cursors` as `search@<host>:<dir>` (for
//! `peerdesk events` and so pruning waits for it). It also notices when `peerdesk reindex`
//! swapped in a new folder, rebuilds an index that is damaged or gone (searches answer 503
//! meanwhile), keeps a heartbeat for `/readyz`, and flushes the search log.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::{IndexWriter, Term};

use super::schema::to_document;
use super::store::{self, payload_string};
use super::{doc_key, documents, RebuildProgress, Search, SearchIndex};
use crate::db::Db;
use crate::events::{self, Event, Kind, Poll, Tail};

const POLL: Duration = Duration::from_millis(100);
const BATCH: i64 = 5000;
/// After a failed rebuild, the next attempt waits this long (a full disk does not empty itself
/// in 100 ms).
const REBUILD_RETRY: Duration = Duration::from_secs(30);
/// After the index writer could not be opened, the next attempt waits this long (each attempt
/// reads the whole index to check it).
const REOPEN_RETRY: Duration = Duration::from_secs(5);

struct Writer {
    index: Arc<SearchIndex>,
    writer: IndexWriter,
}

fn open_writer(index: Arc<SearchIndex>) -> anyhow::Result<Writer> {
    let writer = index.index.writer_with_num_threads(1, 50_000_000)?;
    Ok(Writer { index, writer })
}

/// What the loop keeps between rounds.
struct Indexer {
    writer: Option<Writer>,
    tail: Tail,
    mirror: String,
    mirrored: i64,
    /// A folder CURRENT names that failed to open: it is rebuilt, not retried every round.
    unopenable: Option<PathBuf>,
    next_rebuild: Instant,
    next_reopen: Instant,
}

/// The thread body. Errors are logged and retried; the loop ends when the app shuts down.
pub fn run(search: &Search, db: &Db) {
    let writer = match open_writer(search.current()) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::error!("search indexer cannot open the index writer: {e:#}");
            None
        }
    };
    let mut st = Indexer {
        writer,
        tail: Tail::at(search.stats.cursor.load(Ordering::Acquire)),
        mirror: mirror_name(search),
        mirrored: -1,
        unopenable: None,
        next_rebuild: Instant::now(),
        next_reopen: Instant::now(),
    };
    while !search.stopping() {
        search.stats.beat();
        // Tantivy may panic on damaged data: that costs the writer (reopened next round), never
        // the thread, which would leave the index frozen for good.
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| round(search, db, &mut st)));
        if let Err(panic) = outcome {
            tracing::error!(
                "search indexer: a round panicked ({}); reopening the index",
                super::panic_text(&*panic)
            );
            st.writer = None;
            // Whatever panicked (a rebuild, a reopen) is not tried again at once.
            st.next_rebuild = Instant::now() + REBUILD_RETRY;
            st.next_reopen = Instant::now() + REOPEN_RETRY;
        }
        search.log.flush(db);
        std::thread::sleep(POLL);
    }
    search.log.flush(db);
}

/// One round: make sure a usable index is open (rebuilding one that is damaged or gone), then
/// apply what is new in the log.
fn round(search: &Search, db: &Db, st: &mut Indexer) {
    let in_use = search.current();
    // The folder CURRENT names, if it is there at all (a deleted folder, or CURRENT deleted).
    let live = store::current_dir(&search.root)
        .ok()
        .filter(|dir| dir.join("meta.json").is_file());
    let rebuild_why = match &live {
        None => Some(format!("the index folder {} is gone", in_use.dir.display())),
        Some(dir) if *dir == in_use.dir => search.trouble_with(dir).map(|t| t.reason),
        Some(dir) if st.unopenable.as_ref() == Some(dir) => Some(format!(
            "the new index folder {} cannot be opened",
            dir.display()
        )),
        Some(_) => None,
    };
    if let Some(why) = rebuild_why {
        // Searches on an index whose folder is gone would answer from files nothing updates
        // any more: they answer 503 until the rebuild is in.
        if live.is_none() && search.trouble_with(&in_use.dir).is_none() {
            tracing::error!("search: {why}; rebuilding the index from the database");
            search.set_trouble(&in_use.dir, why);
        }
        st.writer = None;
        if Instant::now() >= st.next_rebuild {
            match rebuild_now(search, db) {
                // The next round opens the new folder.
                Ok(true) => st.unopenable = None,
                // Another process is rebuilding; its swap is picked up the same way.
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(
                        "search: rebuilding the index failed: {e:#}; trying again in {} s",
                        REBUILD_RETRY.as_secs()
                    );
                    st.next_rebuild = Instant::now() + REBUILD_RETRY;
                }
            }
        }
        return;
    }
    // A reindex swapped in a new folder (or the writer died): open it, and only then let go of
    // the old writer, so a bad folder never leaves us with no writer at all.
    if let Some(dir) = live {
        if st.writer.as_ref().is_none_or(|w| w.index.dir != dir) {
            if Instant::now() < st.next_reopen {
                return;
            }
            match store::open_dir(&dir) {
                Ok(index) => {
                    drop(st.writer.take());
                    st.tail = Tail::at(index.cursor);
                    search.stats.cursor.store(index.cursor, Ordering::Release);
                    search.stats.applied.store(index.cursor, Ordering::Release);
                    search.replace(index);
                    tracing::info!("search: using index {}", dir.display());
                    match open_writer(search.current()) {
                        Ok(w) => st.writer = Some(w),
                        Err(e) => {
                            tracing::error!(
                                "search indexer cannot open the index writer: {e:#}; \
                                 trying again in {} s",
                                REOPEN_RETRY.as_secs()
                            );
                            st.next_reopen = Instant::now() + REOPEN_RETRY;
                        }
                    }
                }
                Err(e) => {
                    tracing::error!(
                        "search: cannot open {}: {e:#}; rebuilding it",
                        dir.display()
                    );
                    if dir == in_use.dir {
                        search.set_trouble(&dir, format!("{e:#}"));
                    } else {
                        st.unopenable = Some(dir);
                    }
                    return;
                }
            }
        }
    }
    let Some(w) = st.writer.as_mut() else {
        return;
    };
    // Until the indexer has read to the end of the log once, the node is not ready: note where
    // the end is before reading.
    let newest = if search.stats.caught_up.load(Ordering::Acquire) {
        None
    } else {
        match db.read_blocking(events::newest_id) {
            Ok(n) => Some(n),
            Err(e) => {
                tracing::warn!("search indexer: {:#}", anyhow::Error::from(e));
                return;
            }
        }
    };
    match step(w, db, &mut st.tail) {
        Ok(()) => {
            let tail = &st.tail;
            search.stats.cursor.store(tail.position, Ordering::Release);
            search
                .stats
                .applied
                .store(tail.max_applied(), Ordering::Release);
            if newest.is_some_and(|n| tail.max_applied() >= n) {
                search.stats.caught_up.store(true, Ordering::Release);
            }
            if tail.position != st.mirrored {
                let saved = db.write_untracked(|conn| {
                    events::save_tail(conn, &st.mirror, &Tail::at(tail.position))
                });
                match saved {
                    Ok(()) => st.mirrored = tail.position,
                    Err(e) => tracing::warn!("search: saving the cursor failed: {e}"),
                }
            }
        }
        // The database is unreachable: try again next round, with the same writer.
        Err(StepError::Database(e)) => {
            tracing::warn!("search indexer: {:#}", anyhow::Error::from(e))
        }
        Err(StepError::Index(e)) => {
            // A failed commit kills tantivy's writer for good: reopen it next round, from the
            // last commit and its cursor (nothing committed is lost). If the folder is gone,
            // the next round rebuilds it instead.
            tracing::warn!("search indexer: {e:#}; reopening the index");
            st.writer = None;
            // Reopening checks every file: not on every round while the cause (a full disk)
            // persists.
            st.next_reopen = Instant::now() + REOPEN_RETRY;
        }
    }
}

/// Rebuilds the index from the database into a new folder and swaps it in, under the rebuild
/// lock. `Ok(false)`: another process holds the lock (a `peerdesk reindex`).
fn rebuild_now(search: &Search, db: &Db) -> anyhow::Result<bool> {
    let Some(_lock) = store::try_lock_rebuild(&search.root)? else {
        return Ok(false);
    };
    tracing::warn!("search: rebuilding the index from the database");
    search.set_rebuilding(Some(RebuildProgress { done: 0, total: 0 }));
    let built = store::rebuild(db, &search.root, &|done, total| {
        // A long rebuild is progress, not a stuck indexer.
        search.stats.beat();
        search.set_rebuilding(Some(RebuildProgress { done, total }));
    })
    .and_then(|dir| store::swap_in(&search.root, &dir).map(|()| dir));
    search.set_rebuilding(None);
    let dir = built?;
    tracing::info!("search: rebuilt the index into {}", dir.display());
    Ok(true)
}

/// This node's cursor name in `event_cursors`: one per host and index folder.
fn mirror_name(search: &Search) -> String {
    let dir = std::fs::canonicalize(&search.root).unwrap_or_else(|_| search.root.clone());
    format!("search@{}:{}", events::host_name(), dir.display())
}

/// What an event changes in the index: threads, articles, and whole categories (a renamed
/// category re-indexes its threads and their articles).
#[derive(Debug, Default)]
struct Changes {
    threads: Vec<i64>,
    articles: Vec<i64>,
    categories: Vec<i64>,
}

impl Changes {
    fn of(events: &[Event]) -> Changes {
        let mut c = Changes::default();
        for e in events {
            match e.kind() {
                // Staff-only notes and assignments change nothing searchable.
                Some(Kind::InternalNotePosted | Kind::ThreadAssigned | Kind::ThreadUnassigned) => {
                    continue
                }
                Some(Kind::CategoryChanged) => c.categories.extend(e.subject_id),
                _ => {}
            }
            c.threads.extend(e.thread_id);
            c.articles.extend(e.article_id);
        }
        for ids in [&mut c.threads, &mut c.articles, &mut c.categories] {
            ids.sort_unstable();
            ids.dedup();
        }
        c
    }
}

/// Why a step failed: reading the database (the writer is untouched, so it is simply retried)
/// or writing the index (tantivy's writer is then unusable and must be reopened).
enum StepError {
    Database(crate::error::AppError),
    Index(anyhow::Error),
}

impl From<crate::error::AppError> for StepError {
    fn from(e: crate::error::AppError) -> Self {
        StepError::Database(e)
    }
}

impl From<tantivy::TantivyError> for StepError {
    fn from(e: tantivy::TantivyError) -> Self {
        StepError::Index(e.into())
    }
}

/// One poll: apply the events past the cursor that are not applied yet, commit, reload.
fn step(w: &mut Writer, db: &Db, tail: &mut Tail) -> Result<(), StepError> {
    let poll: Poll = db.read_blocking(|conn| tail.poll(conn, BATCH))?;
    if poll.is_idle(tail) {
        return Ok(());
    }
    let changes = Changes::of(&poll.fresh);
    let docs = db.read_blocking(|conn| {
        let mut thread_ids = changes.threads.clone();
        thread_ids.extend(documents::thread_ids_in_categories(
            conn,
            &changes.categories,
        )?);
        thread_ids.sort_unstable();
        thread_ids.dedup();
        // An article takes its category and tags from its thread: re-index it with the thread.
        let mut article_ids = changes.articles.clone();
        article_ids.extend(crate::kb::articles_for_threads(conn, &thread_ids)?);
        article_ids.sort_unstable();
        article_ids.dedup();
        let mut docs = documents::thread_docs(conn, &thread_ids)?;
        // Drafts and archived articles have no document: deleting the key removes them.
        docs.extend(documents::article_docs(conn, &article_ids)?);
        Ok((thread_ids, article_ids, docs))
    })?;
    let (thread_ids, article_ids, docs) = docs;
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
    prepared.set_payload(&payload_string(poll.position));
    prepared.commit()?;
    w.index.reader.reload()?;
    tail.advance(&poll);
    Ok(())
}
