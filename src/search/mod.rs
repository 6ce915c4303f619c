//! Search: a tantivy index with one document per thread (and per knowledge-base article), kept
//! in step with the database as the first consumer of the event log (`crate::events`): one
//! indexer thread owns the only `IndexWriter`, applies events in order (re-indexing what they
//! name) and stores its cursor in the commit payload, so a crash replays exactly what was
//! committed. `peerdesk reindex` rebuilds into a fresh folder and
//! swaps it in while the server keeps answering from the old one.

mod conjunction;
pub mod documents;
mod facets;
mod indexer;
mod log;
mod query;
mod scan;
pub mod schema;
mod similar;
mod snippet;
mod store;
mod topk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;

pub use log::{content_gaps, ContentGap, SearchLog, SearchLogEntry};
pub use query::{Facets, Hit, SearchRequest, SearchResults, MAX_QUERY_CHARS};
pub use similar::{similar_request, SimilarAsked};
pub use store::{rebuild, reindex_with_progress, swap_in, SearchIndex};

use crate::db::Db;

/// Kinds of searchable documents.
pub const THREAD: &str = "thread";
pub const ARTICLE: &str = "article";

/// Everything the index holds about one thread or article.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// `thread` or `article`.
    pub kind: &'static str,
    pub id: i64,
    /// Path of the page (`/t/{id}/{slug}`).
    pub url: String,
    pub title: String,
    /// Plain text of the question (or article body).
    pub question: String,
    /// Plain text of the accepted answer, if any.
    pub accepted: String,
    /// Plain text of the other answers.
    pub answers: String,
    /// Category slug.
    pub category: String,
    pub tags: Vec<String>,
    pub status: String,
    pub solved: bool,
    pub staff_answered: bool,
    /// Votes on the question.
    pub votes: i64,
    pub answer_count: u64,
    /// Posts the document was built from (for progress in posts per second).
    pub post_count: u64,
    pub author_id: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl IndexDoc {
    /// The unique key a document is replaced by: `thread:12`.
    pub fn key(&self) -> String {
        doc_key(self.kind, self.id)
    }
}

pub fn doc_key(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

/// Indexer progress, for `/readyz` and tests.
#[derive(Debug, Default)]
pub struct IndexerStats {
    /// Event id up to which everything is applied and committed.
    pub cursor: AtomicI64,
    /// Highest event id applied (may be past `cursor` within the grace window).
    pub applied: AtomicI64,
}

/// The search side of the app state: the current index (swapped atomically after a rebuild),
/// the search log buffer and the indexer's progress.
pub struct Search {
    root: PathBuf,
    current: RwLock<Arc<SearchIndex>>,
    pub log: SearchLog,
    pub stats: IndexerStats,
    stop: AtomicBool,
    /// Recent results by (index generation, request): popular queries are answered without
    /// searching again until the index changes.
    cache: std::sync::Mutex<HashMap<(u64, String), Arc<SearchResults>>>,
}

/// Entries kept in the result cache before it starts over (each at most 20 hits: a few MB).
const CACHE_ENTRIES: usize = 1000;

impl Search {
    /// Opens the index under `root`, rebuilding it from the database when it is missing,
    /// corrupt or from another schema version (with a log line saying which).
    pub fn open_or_rebuild(root: &Path, db: &Db) -> anyhow::Result<Arc<Search>> {
        std::fs::create_dir_all(root)?;
        let usable = store::open_current(root).and_then(|index| {
            // An index ahead of the event log belongs to another (or a restored) database;
            // one behind what was pruned missed events for good.
            let (newest, pruned) = db.read_blocking(|conn| {
                Ok((
                    crate::events::newest_id(conn)?,
                    crate::events::pruned_through(conn)?,
                ))
            })?;
            if index.cursor > newest {
                anyhow::bail!(
                    "its cursor {} is past the newest event {newest}",
                    index.cursor
                );
            }
            if index.cursor < pruned {
                anyhow::bail!(
                    "its cursor {} is behind events pruned through {pruned}",
                    index.cursor
                );
            }
            Ok(index)
        });
        let index = match usable {
            Ok(index) => index,
            Err(why) => {
                if root.join("CURRENT").exists() {
                    tracing::warn!(
                        "search index at {} is unusable ({why:#}); rebuilding it from the database",
                        root.display()
                    );
                } else {
                    tracing::info!(
                        "no search index at {} yet; building it from the database",
                        root.display()
                    );
                }
                let _lock = store::lock_rebuild(root)?;
                let progress = crate::progress::Progress::new("indexing", "posts");
                let dir = rebuild(db, root, &|done, total| progress.set(done, total))?;
                progress.finish();
                swap_in(root, &dir)?;
                store::open_current(root)?
            }
        };
        let cursor = index.cursor;
        let search = Search {
            root: root.to_path_buf(),
            current: RwLock::new(Arc::new(index)),
            log: SearchLog::default(),
            stats: IndexerStats::default(),
            stop: AtomicBool::new(false),
            cache: std::sync::Mutex::new(HashMap::new()),
        };
        search.stats.cursor.store(cursor, Ordering::Release);
        Ok(Arc::new(search))
    }

    /// The index searches run against right now.
    pub fn current(&self) -> Arc<SearchIndex> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, index: SearchIndex) {
        let mut guard = match self.current.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::new(index);
        // Generation numbers start over with a new index: forget results of the old one.
        if let Ok(mut cache) = self.cache.lock() {
            cache.clear();
        }
    }

    /// Starts the indexer thread (and the search-log flusher inside it).
    pub fn start_indexer(self: &Arc<Self>, db: Db) -> std::io::Result<std::thread::JoinHandle<()>> {
        let search = self.clone();
        std::thread::Builder::new()
            .name("search-indexer".into())
            .spawn(move || indexer::run(&search, &db))
    }

    /// Asks the indexer to stop after its current batch.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Runs a search (CPU work: call from the blocking pool).
    pub fn search(&self, req: &SearchRequest) -> anyhow::Result<SearchResults> {
        query::search(&self.current(), req)
    }

    /// `search`, answered from the result cache when the same request already ran against the
    /// same index generation (any commit or swap makes a new generation, so results are never
    /// stale). What the server uses; the benchmark measures `search`, uncached.
    pub fn search_cached(&self, req: &SearchRequest) -> anyhow::Result<Arc<SearchResults>> {
        let index = self.current();
        let generation = index.reader.searcher().generation().generation_id();
        // Generations count per reader: the folder tells indexes apart.
        let key = (generation, format!("{}|{req:?}", index.dir.display()));
        // Big pages are rare and large: not worth memory.
        if req.limit > 20 {
            return Ok(Arc::new(query::search(&index, req)?));
        }
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(hit);
        }
        let results = Arc::new(query::search(&index, req)?);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, results.clone());
        }
        Ok(results)
    }

    /// Documents in the index.
    pub fn doc_count(&self) -> u64 {
        self.current().reader.searcher().num_docs()
    }
}
