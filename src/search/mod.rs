//! Search: a tantivy index with one document per thread (and per knowledge-base article), kept
//! in step with the database as the first consumer of the event log (`crate::events`): one
//! indexer thread owns the only `IndexWriter`, applies events in order (re-indexing what they
//! name) and stores its cursor in the commit payload, so a crash replays exactly what was
//! committed. `peerdesk reindex` rebuilds into a fresh folder and
//! swaps it in while the server keeps answering from the old one. A damaged or vanished index
//! is noticed (at start, by a failing search, by the indexer), answered with 503s and rebuilt
//! in the background; `readiness` says whether this node can answer searches that reflect the
//! database.

mod conjunction;
pub mod documents;
mod embedder;
mod facets;
mod indexer;
mod log;
mod query;
mod scan;
pub mod schema;
pub mod semantic;
mod similar;
mod snippet;
mod store;
mod topk;
pub mod vectors;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use serde::Serialize;

pub use embedder::{cursor_name as embedder_cursor, embed_with_progress};
pub use log::{SearchLog, SearchLogEntry, SIMILAR_LOOKUP};
pub use query::{Facets, Hit, SearchRequest, SearchResults, MAX_QUERY_CHARS};
pub use semantic::{Semantic, SemanticStatus};
pub use similar::{duplicates, related, search_ranked, similar_request, suggest, SimilarAsked};
pub use store::{rebuild, reindex_with_progress, swap_in, SearchIndex};

use crate::db::Db;
use crate::error::{AppError, AppResult};

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

/// Indexer progress and health, for `/readyz` and tests.
#[derive(Debug, Default)]
pub struct IndexerStats {
    /// Event id up to which everything is applied and committed.
    pub cursor: AtomicI64,
    /// Highest event id applied (may be past `cursor` within the grace window).
    pub applied: AtomicI64,
    /// When the indexer last went round its loop or made progress in a rebuild (milliseconds
    /// since the Unix epoch): a stale one means the thread is stuck or gone.
    pub heartbeat: AtomicI64,
    /// The indexer has read to the end of the event log since the index in use was opened
    /// (false during the replay after a start or a swap).
    pub caught_up: AtomicBool,
}

impl IndexerStats {
    fn beat(&self) {
        self.heartbeat
            .store(chrono::Utc::now().timestamp_millis(), Ordering::Release);
    }
}

/// Why the index in use cannot answer searches: damaged files (found by a search that failed)
/// or a folder that is gone (found by the indexer). The indexer rebuilds it; the trouble ends
/// when another folder is in use.
#[derive(Debug, Clone)]
struct Trouble {
    dir: PathBuf,
    reason: String,
}

#[derive(Debug, Default)]
struct Health {
    trouble: Option<Trouble>,
    /// The rebuild under way: posts indexed and in total.
    rebuilding: Option<RebuildProgress>,
}

/// Progress of a rebuild, in posts.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RebuildProgress {
    pub done: u64,
    pub total: u64,
}

/// What a search answers while the index in use is damaged or gone (it is being rebuilt).
fn unavailable() -> AppError {
    AppError::Unavailable(crate::msg!("search-error-rebuilding"))
}

/// A folder whose files were all found intact is not checked again for this long, so a search
/// failing for another reason does not re-read the whole index on every request.
const RECHECK: Duration = Duration::from_secs(60);
/// Events written longer ago than this must be in the index for the node to be ready.
pub const READY_LAG: Duration = Duration::from_secs(5);
/// An indexer that has not gone round its loop for this long is stuck or gone.
pub const STALE_HEARTBEAT: Duration = Duration::from_secs(30);
/// Readiness waits at most this long for a database connection.
const READY_DB_TIMEOUT: Duration = Duration::from_secs(2);

/// The numbers `/readyz` reports, and whether this node is ready (see docs/search.md,
/// "Readiness").
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// Why this node is not ready, in words; `None` when it is.
    #[serde(skip)]
    pub not_ready: Option<String>,
    /// The database answered.
    #[serde(skip)]
    pub database_ok: bool,
    /// Documents in the index in use.
    pub documents: u64,
    /// Every event up to here is in the index (final; see `events::Tail`).
    pub cursor: i64,
    /// The highest event in the index.
    pub applied: i64,
    /// The newest event in the log (`None` when the database does not answer).
    pub newest: Option<i64>,
    /// `newest - applied`: events still to apply (about; ids may commit out of order).
    pub lag: Option<i64>,
    /// Age in seconds of the first event past `applied` (0 when there is none).
    pub oldest_pending_seconds: Option<f64>,
    /// Seconds since the indexer last went round its loop.
    pub heartbeat_seconds: f64,
    /// The indexer has read to the end of the log since the index in use was opened.
    pub caught_up: bool,
    /// The rebuild under way, if any.
    pub rebuilding: Option<RebuildProgress>,
    /// What is wrong with the index in use (damaged files, folder gone), if anything.
    pub problem: Option<String>,
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
    cache: Mutex<HashMap<(u64, String), Arc<SearchResults>>>,
    health: Mutex<Health>,
    /// The folder last found intact by `check_damage`, and when. Held during a check, so
    /// searches failing together read the index once.
    checked: Mutex<Option<(PathBuf, Instant)>>,
    /// Suggestions by meaning: set once by `start_embedder` (off until then).
    semantic: std::sync::OnceLock<Arc<Semantic>>,
}

/// A lock whose holder panicked is still usable: everything behind these locks is replaced
/// whole, never left half-written.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}

/// Entries kept in the result cache before it starts over (each at most 20 hits: a few MB).
const CACHE_ENTRIES: usize = 1000;

/// The index under `root` if it opens, is intact, is of this schema and fits the event log.
fn open_usable(root: &Path, db: &Db) -> anyhow::Result<SearchIndex> {
    let index = store::open_current(root)?;
    // An index ahead of the event log belongs to another (or a restored) database; one behind
    // what was pruned missed events for good.
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
}

impl Search {
    /// Opens the index under `root`, rebuilding it from the database when it is missing,
    /// damaged or from another schema version (with a log line saying which). Waits for a
    /// rebuild another process is running.
    pub fn open_or_rebuild(root: &Path, db: &Db) -> anyhow::Result<Arc<Search>> {
        store::ensure_root(root)?;
        let index = match open_usable(root, db) {
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
                let (_lock, waited) = store::wait_lock_rebuild(root)?;
                // The rebuild we waited for may have left a usable index.
                match waited.then(|| open_usable(root, db).ok()).flatten() {
                    Some(index) => index,
                    None => {
                        let progress = crate::progress::Progress::new("indexing", "posts");
                        let dir = rebuild(db, root, &|done, total| progress.set(done, total))?;
                        progress.finish();
                        swap_in(root, &dir)?;
                        store::open_current(root)?
                    }
                }
            }
        };
        let newest = db.read_blocking(crate::events::newest_id)?;
        let cursor = index.cursor;
        let search = Search {
            root: root.to_path_buf(),
            current: RwLock::new(Arc::new(index)),
            log: SearchLog::default(),
            stats: IndexerStats::default(),
            stop: AtomicBool::new(false),
            cache: Mutex::new(HashMap::new()),
            health: Mutex::new(Health::default()),
            checked: Mutex::new(None),
            semantic: std::sync::OnceLock::new(),
        };
        search.stats.cursor.store(cursor, Ordering::Release);
        search.stats.applied.store(cursor, Ordering::Release);
        search
            .stats
            .caught_up
            .store(cursor >= newest, Ordering::Release);
        search.stats.beat();
        Ok(Arc::new(search))
    }

    /// The index searches run against right now.
    pub fn current(&self) -> Arc<SearchIndex> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts a newly opened index in use: its own trouble (if any) is for later checks to find,
    /// and the indexer has yet to replay the events past its cursor.
    fn replace(&self, index: SearchIndex) {
        let dir = index.dir.clone();
        {
            let mut guard = match self.current.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            *guard = Arc::new(index);
        }
        self.stats.caught_up.store(false, Ordering::Release);
        let mut health = lock(&self.health);
        if health.trouble.as_ref().is_some_and(|t| t.dir != dir) {
            health.trouble = None;
        }
        drop(health);
        // Generation numbers start over with a new index: forget results of the old one.
        lock(&self.cache).clear();
    }

    /// What is wrong with the index in `dir`, if anything is known.
    fn trouble_with(&self, dir: &Path) -> Option<Trouble> {
        lock(&self.health).trouble.clone().filter(|t| t.dir == dir)
    }

    fn set_trouble(&self, dir: &Path, reason: String) {
        lock(&self.health).trouble = Some(Trouble {
            dir: dir.to_path_buf(),
            reason,
        });
    }

    fn set_rebuilding(&self, progress: Option<RebuildProgress>) {
        lock(&self.health).rebuilding = progress;
    }

    /// Starts the indexer thread (and the search-log flusher inside it).
    pub fn start_indexer(self: &Arc<Self>, db: Db) -> std::io::Result<std::thread::JoinHandle<()>> {
        let search = self.clone();
        std::thread::Builder::new()
            .name("search-indexer".into())
            .spawn(move || indexer::run(&search, &db))
    }

    /// Hits for documents found another way, by kind and id (see `query::hits_by_key`).
    pub fn hits_by_key(
        &self,
        found: &[(&str, i64, f32)],
        req: &SearchRequest,
        words: &[String],
    ) -> AppResult<Vec<Hit>> {
        let index = self.usable()?;
        self.guarded(&index, || query::hits_by_key(&index, found, req, words))
    }

    /// `search` as ranked keys only, no document loaded (see `query::search_keys`).
    pub fn search_keys(&self, req: &SearchRequest) -> AppResult<query::Keyed> {
        let index = self.usable()?;
        self.guarded(&index, || query::search_keys(&index, req))
    }

    /// Which of the threads `ids` everyone may find (see `query::indexed_threads`).
    pub fn indexed_threads(
        &self,
        ids: &[i64],
        solved_only: bool,
    ) -> AppResult<std::collections::HashSet<i64>> {
        let index = self.usable()?;
        self.guarded(&index, || query::indexed_threads(&index, ids, solved_only))
    }

    /// Asks the indexer (and the embedder) to stop after its current batch.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
        if let Some(s) = self.semantic.get() {
            s.shutdown();
        }
    }

    /// The semantic side: the model and the vectors, or "off".
    pub fn semantic(&self) -> &Semantic {
        self.semantic
            .get_or_init(|| Arc::new(Semantic::off()))
            .as_ref()
    }

    /// Loads the model `settings` name and, when there is one, starts the embedder thread;
    /// its cursor is created first, so no event written after the server starts is missed.
    pub fn start_embedder(
        &self,
        settings: &crate::config::SemanticSettings,
        db: Db,
        cursor: String,
    ) -> anyhow::Result<Option<std::thread::JoinHandle<()>>> {
        let semantic = Arc::new(Semantic::load(settings));
        semantic.announce();
        if self.semantic.set(semantic.clone()).is_err() {
            anyhow::bail!("the embedder is already started");
        }
        if !semantic.is_on() {
            return Ok(None);
        }
        db.write_untracked(|conn| crate::events::load_tail(conn, &cursor).map(|_| ()))?;
        // The German model's embedder follows the log with a cursor of its own; the returned
        // handle (the main embedder's) waits for it, so joining it joins both.
        let german = match semantic.german().cloned() {
            Some(g) => {
                let cursor = embedder::german_cursor(&cursor);
                db.write_untracked(|conn| crate::events::load_tail(conn, &cursor).map(|_| ()))?;
                let db = db.clone();
                Some(
                    std::thread::Builder::new()
                        .name("embedder-de".into())
                        .spawn(move || embedder::run(&g, &db, &cursor))?,
                )
            }
            None => None,
        };
        Ok(Some(
            std::thread::Builder::new()
                .name("embedder".into())
                .spawn(move || {
                    embedder::run(&semantic, &db, &cursor);
                    if let Some(g) = german {
                        if g.join().is_err() {
                            tracing::warn!("the German model's embedder panicked");
                        }
                    }
                })?,
        ))
    }

    /// The language a short text is written in: function words and German letters first;
    /// with no such evidence ("apt Paket festhalten"), the language whose documents use more
    /// of its words that the other language's documents never use.
    pub fn text_language(&self, text: &str) -> schema::Lang {
        use schema::Lang;
        let evidence = schema::language_evidence(text);
        if evidence != 0 {
            return if evidence > 0 { Lang::De } else { Lang::En };
        }
        let index = self.current();
        let searcher = index.reader.searcher();
        let f = &index.fields;
        let df = |lang: Lang, word: &str| -> u64 {
            schema::analyze(&index.index, lang, word)
                .iter()
                .map(|t| {
                    let term = tantivy::Term::from_field_text(f.lang(lang).text, t);
                    searcher.doc_freq(&term).unwrap_or(0)
                })
                .max()
                .unwrap_or(0)
        };
        let (mut de, mut en) = (0, 0);
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .take(20)
        {
            match (df(Lang::De, word) > 0, df(Lang::En, word) > 0) {
                (true, false) => de += 1,
                (false, true) => en += 1,
                _ => {}
            }
        }
        if de > en {
            Lang::De
        } else {
            Lang::En
        }
    }

    /// The words of `text` as the index analyses them in `lang` (for snippets).
    pub fn analyze(&self, lang: schema::Lang, text: &str) -> Vec<String> {
        schema::analyze(&self.current().index, lang, text)
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// The index in use, unless it is known to be damaged or gone (then a 503: it is being
    /// rebuilt).
    fn usable(&self) -> AppResult<Arc<SearchIndex>> {
        let index = self.current();
        if self.trouble_with(&index.dir).is_some() {
            return Err(unavailable());
        }
        Ok(index)
    }

    /// Runs a search (CPU work: call from the blocking pool).
    pub fn search(&self, req: &SearchRequest) -> AppResult<SearchResults> {
        let index = self.usable()?;
        self.guarded(&index, || query::search(&index, req))
    }

    /// `search`, answered from the result cache when the same request already ran against the
    /// same index generation (any commit or swap makes a new generation, so results are never
    /// stale). What the server uses; the benchmark measures `search`, uncached.
    pub fn search_cached(&self, req: &SearchRequest) -> AppResult<Arc<SearchResults>> {
        // Big pages are rare and large: not worth memory.
        if req.limit > 20 {
            let index = self.usable()?;
            return Ok(Arc::new(
                self.guarded(&index, || query::search(&index, req))?,
            ));
        }
        self.cached(format!("{req:?}"), || {
            let index = self.usable()?;
            self.guarded(&index, || query::search(&index, req))
        })
    }

    /// What `compute` returns, kept under `key` for the current index generation.
    pub(crate) fn cached(
        &self,
        key: String,
        compute: impl FnOnce() -> AppResult<SearchResults>,
    ) -> AppResult<Arc<SearchResults>> {
        let index = self.usable()?;
        let generation = index.reader.searcher().generation().generation_id();
        // Generations count per reader: the folder tells indexes apart.
        let key = (generation, format!("{}|{key}", index.dir.display()));
        drop(index);
        if let Some(hit) = lock(&self.cache).get(&key).cloned() {
            return Ok(hit);
        }
        let results = Arc::new(compute()?);
        let mut cache = lock(&self.cache);
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, results.clone());
        Ok(results)
    }

    /// Runs `f` against `index`. A failure (or a panic: tantivy may panic on some damaged data)
    /// may be the first sign of a damaged file, so the files are checked before it is reported
    /// as a bug: a damaged index answers 503 (and gets rebuilt), never a 500 on every search.
    fn guarded<T>(
        &self,
        index: &SearchIndex,
        f: impl FnOnce() -> anyhow::Result<T>,
    ) -> AppResult<T> {
        let failure = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => e,
            Err(panic) => anyhow::anyhow!("the search panicked: {}", panic_text(&*panic)),
        };
        if self.check_damage(index) {
            tracing::warn!("a search failed on the damaged index: {failure:#}");
            return Err(unavailable());
        }
        Err(AppError::Internal(failure.context("search failed")))
    }

    /// Checks every file of `index` against its checksum. When one is damaged, marks the index
    /// so (searches answer 503, `/readyz` says not ready, the indexer rebuilds it) and returns
    /// true.
    pub fn check_damage(&self, index: &SearchIndex) -> bool {
        let mut checked = lock(&self.checked);
        // Another search may have found it while this one waited.
        if self.trouble_with(&index.dir).is_some() {
            return true;
        }
        if let Some((dir, at)) = checked.as_ref() {
            if *dir == index.dir && at.elapsed() < RECHECK {
                return false;
            }
        }
        let reason = match store::damaged_files(&index.index) {
            Ok(files) if files.is_empty() => {
                *checked = Some((index.dir.clone(), Instant::now()));
                return false;
            }
            Ok(files) => format!("damaged files: {}", files.join(", ")),
            Err(e) => format!("its files cannot be checked: {e:#}"),
        };
        tracing::error!(
            "search index {} is damaged ({reason}); searches answer 503 until it is rebuilt",
            index.dir.display()
        );
        self.set_trouble(&index.dir, reason);
        true
    }

    /// Documents in the index.
    pub fn doc_count(&self) -> u64 {
        self.current().reader.searcher().num_docs()
    }

    /// Whether this node can answer searches that reflect the database: the database answers,
    /// the index in use is intact and not being rebuilt, the indexer goes round its loop, has
    /// replayed what was written before the index opened, and every event older than
    /// `READY_LAG` is in the index. Asks the database (waiting at most two seconds for it).
    pub fn readiness(&self, db: &Db) -> Readiness {
        let cursor = self.stats.cursor.load(Ordering::Acquire);
        let applied = self.stats.applied.load(Ordering::Acquire).max(cursor);
        let caught_up = self.stats.caught_up.load(Ordering::Acquire);
        let beat = self.stats.heartbeat.load(Ordering::Acquire);
        let now = chrono::Utc::now();
        let heartbeat_seconds = (now.timestamp_millis() - beat).max(0) as f64 / 1000.0;
        let index = self.current();
        let (trouble, rebuilding) = {
            let health = lock(&self.health);
            (
                health.trouble.clone().filter(|t| t.dir == index.dir),
                health.rebuilding,
            )
        };
        let log = db.read_within(READY_DB_TIMEOUT, |conn| {
            Ok((
                crate::events::newest_id(conn)?,
                crate::events::first_time_after(conn, applied)?,
            ))
        });
        let (newest, pending_since, db_error) = match log {
            Ok((newest, since)) => (Some(newest), since, None),
            Err(AppError::Internal(cause)) => (None, None, Some(format!("{cause:#}"))),
            Err(e) => (None, None, Some(e.to_string())),
        };
        let oldest_pending_seconds = newest.map(|_| {
            pending_since.map_or(0.0, |t| {
                ((now.naive_utc() - t).num_milliseconds().max(0) as f64) / 1000.0
            })
        });
        let lag = newest.map(|n| (n - applied).max(0));
        let not_ready = if let Some(e) = db_error {
            Some(format!("The database does not answer: {e}"))
        } else if let Some(t) = &trouble {
            Some(format!(
                "The search index cannot be used ({}); it is being rebuilt.",
                t.reason
            ))
        } else if let Some(p) = rebuilding {
            Some(format!(
                "The search index is being rebuilt ({} of {} posts indexed).",
                p.done, p.total
            ))
        } else if heartbeat_seconds > STALE_HEARTBEAT.as_secs_f64() {
            Some(format!(
                "The search indexer has not run for {heartbeat_seconds:.0} seconds."
            ))
        } else if !caught_up {
            Some(format!(
                "The search index is still applying the events written before it was opened ({} to go).",
                lag.unwrap_or(0)
            ))
        } else if oldest_pending_seconds.unwrap_or(0.0) > READY_LAG.as_secs_f64() {
            Some(format!(
                "The search index is {:.0} seconds behind the database ({} events to apply).",
                oldest_pending_seconds.unwrap_or(0.0),
                lag.unwrap_or(0)
            ))
        } else {
            None
        };
        Readiness {
            not_ready,
            database_ok: newest.is_some(),
            documents: index.reader.searcher().num_docs(),
            cursor,
            applied,
            newest,
            lag,
            oldest_pending_seconds,
            heartbeat_seconds,
            caught_up,
            rebuilding,
            problem: trouble.map(|t| t.reason),
        }
    }
}
