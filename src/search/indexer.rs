//! The indexer thread: the only owner of an `IndexWriter`, and the first consumer of the event
//! log. It polls the log (`events::Tail`, which handles ids that commit out of order),
//! re-indexes what the events name (delete by key, then add: a document is never in the index
//! twice), commits with the cursor in the payload and reloads the reader. Each node keeps its
//! own index, so its cursor is also mirrored to `event_cursors` as `search@<host>:<dir>` (for
//! `peerdesk events` and so pruning waits for it). It also notices when `peerdesk reindex`
//! swapped in a new folder, and flushes the search log.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tantivy::{IndexWriter, Term};

use super::schema::to_document;
use super::store::{self, payload_string};
use super::{doc_key, documents, Search, SearchIndex};
use crate::db::Db;
use crate::events::{self, Event, Kind, Poll, Tail};

const POLL: Duration = Duration::from_millis(100);
const BATCH: i64 = 5000;

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
    let mut tail = Tail::at(search.stats.cursor.load(Ordering::Acquire));
    let mirror = mirror_name(search);
    let mut mirrored = -1;
    while !search.stopping() {
        // A reindex swapped in a new folder (or the writer died): open it, and only then let
        // go of the old writer, so a bad folder never leaves us with no writer at all.
        if let Ok(dir) = store::current_dir(&search.root) {
            if writer.as_ref().is_none_or(|w| w.index.dir != dir) {
                match store::open_dir(&dir) {
                    Ok(index) => {
                        drop(writer.take());
                        tail = Tail::at(index.cursor);
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
            match step(w, db, &mut tail) {
                Ok(()) => {
                    search.stats.cursor.store(tail.position, Ordering::Release);
                    search
                        .stats
                        .applied
                        .store(tail.max_applied(), Ordering::Release);
                    if tail.position != mirrored {
                        let saved = db.write_untracked(|conn| {
                            events::save_tail(conn, &mirror, &Tail::at(tail.position))
                        });
                        match saved {
                            Ok(()) => mirrored = tail.position,
                            Err(e) => tracing::warn!("search: saving the cursor failed: {e}"),
                        }
                    }
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
        std::thread::sleep(POLL);
    }
    search.log.flush(db);
}

/// This node's cursor name in `event_cursors`: one per host and index folder.
fn mirror_name(search: &Search) -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    let dir = std::fs::canonicalize(&search.root).unwrap_or_else(|_| search.root.clone());
    format!("search@{host}:{}", dir.display())
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

/// One poll: apply the events past the cursor that are not applied yet, commit, reload.
fn step(w: &mut Writer, db: &Db, tail: &mut Tail) -> anyhow::Result<()> {
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
