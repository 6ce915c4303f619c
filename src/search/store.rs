//! Index folders: `<search.dir>/CURRENT` names the live folder (`idx-<time>-<random>`); a rebuild
//! writes a new folder and swaps the pointer with an atomic rename. The commit payload holds the
//! outbox cursor and the schema version.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

use super::schema::{self, Fields, SCHEMA_VERSION};
use crate::db::Db;

const CURRENT: &str = "CURRENT";

/// What each commit records next to the documents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    /// Every outbox row up to this id is in the index.
    pub cursor: i64,
    pub schema: u32,
}

/// An open index with its reader.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub dir: PathBuf,
    /// Outbox cursor of the last commit when opened.
    pub cursor: i64,
}

pub fn read_payload(index: &Index) -> anyhow::Result<Payload> {
    let metas = index.load_metas()?;
    let raw = metas
        .payload
        .ok_or_else(|| anyhow::anyhow!("no commit payload"))?;
    Ok(serde_json::from_str(&raw)?)
}

pub fn payload_string(cursor: i64) -> String {
    serde_json::json!({ "cursor": cursor, "schema": SCHEMA_VERSION }).to_string()
}

/// The folder CURRENT points at.
pub fn current_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let name = std::fs::read_to_string(root.join(CURRENT))?;
    let name = name.trim();
    if name.is_empty() || name.contains('/') || name.contains("..") {
        anyhow::bail!("CURRENT holds an invalid folder name");
    }
    Ok(root.join(name))
}

/// Opens the live index and checks it is complete and of this schema version.
pub fn open_current(root: &Path) -> anyhow::Result<SearchIndex> {
    let dir = current_dir(root)?;
    open_dir(&dir)
}

pub fn open_dir(dir: &Path) -> anyhow::Result<SearchIndex> {
    let mut index = Index::open_in_dir(dir)?;
    // Segments are scanned by a pool with a thread per core, shared by all searches: one query
    // alone uses every core (two cores halved its latency), and under load the pool keeps as
    // many cores busy as there are.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores >= 2 {
        index.set_multithread_executor(cores.min(16))?;
    }
    let payload = read_payload(&index)?;
    if payload.schema != SCHEMA_VERSION {
        anyhow::bail!(
            "schema version {} on disk, {} expected",
            payload.schema,
            SCHEMA_VERSION
        );
    }
    let (expected, fields) = schema::build_schema();
    if index.schema() != expected {
        anyhow::bail!("the fields on disk differ from this version's schema");
    }
    schema::register_tokenizers(&index);
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    // Touch every segment now, so a damaged file fails here and not in a request.
    let searcher: tantivy::Searcher = IndexReader::searcher(&reader);
    for segment in searcher.segment_readers() {
        segment.fast_fields().u64("solved")?;
    }
    Ok(SearchIndex {
        index,
        reader,
        fields,
        dir: dir.to_path_buf(),
        cursor: payload.cursor,
    })
}

fn new_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let suffix: u32 = rand::random();
    let dir = root.join(format!("idx-{stamp}-{suffix:08x}"));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Held while a rebuild builds and swaps in its folder: two rebuilds at once would delete each
/// other's folders. A lock left by a process that died is taken over.
pub struct RebuildLock(PathBuf);

impl Drop for RebuildLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub fn lock_rebuild(root: &Path) -> anyhow::Result<RebuildLock> {
    std::fs::create_dir_all(root)?;
    let path = root.join("REBUILD.lock");
    for _ in 0..2 {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                write!(f, "{}", std::process::id())?;
                return Ok(RebuildLock(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let alive = holder
                    .trim()
                    .parse::<u32>()
                    .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
                if alive {
                    anyhow::bail!(
                        "another rebuild of the search index is running (process {})",
                        holder.trim()
                    );
                }
                std::fs::remove_file(&path)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    anyhow::bail!("cannot take the rebuild lock {}", path.display())
}

/// Rebuilds the whole index from the database into a fresh folder (not yet live). `progress`
/// gets (posts indexed, posts in total). Returns the folder.
pub fn rebuild(db: &Db, root: &Path, progress: &dyn Fn(u64, u64)) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(root)?;
    let dir = new_dir(root)?;
    let (schema, fields) = schema::build_schema();
    let index = Index::create_in_dir(&dir, schema)?;
    schema::register_tokenizers(&index);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(4);
    let mut writer: tantivy::IndexWriter =
        index.writer_with_num_threads(threads, 64_000_000 * threads)?;
    // Take the cursor before reading: changes after it are replayed by the indexer.
    let cursor = db.read_blocking(crate::events::final_position)?;
    let (_, thread_posts) = db.read_blocking(super::documents::thread_counts)?;
    let total_posts = thread_posts + db.read_blocking(super::documents::article_count)?;
    let mut after = 0;
    let mut posts = 0u64;
    loop {
        let docs = db.read_blocking(|conn| {
            let ids = super::documents::thread_ids_after(conn, after, 1000)?;
            super::documents::thread_docs(conn, &ids)
        })?;
        let Some(last) = docs.iter().map(|d| d.id).max() else {
            break;
        };
        after = last;
        for d in &docs {
            writer.add_document(schema::to_document(&fields, d))?;
            posts += d.post_count;
        }
        progress(posts, total_posts.max(0) as u64);
    }
    // Articles: ids in batches (drafts and archived ones yield no document).
    let mut after = 0;
    loop {
        let (ids, docs) = db.read_blocking(|conn| {
            let ids = super::documents::article_ids_after(conn, after, 1000)?;
            let docs = super::documents::article_docs(conn, &ids)?;
            Ok((ids, docs))
        })?;
        let Some(last) = ids.last() else {
            break;
        };
        after = *last;
        for d in &docs {
            writer.add_document(schema::to_document(&fields, d))?;
        }
        posts += ids.len() as u64;
        progress(posts, total_posts.max(0) as u64);
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload_string(cursor));
    prepared.commit()?;
    writer.wait_merging_threads()?;
    Ok(dir)
}

/// `peerdesk reindex`: rebuilds with a progress bar, swaps the new index in and prints the rate.
pub fn reindex_with_progress(db: &Db, root: &Path) -> anyhow::Result<()> {
    let bar = crate::progress::Progress::new("indexing", "posts");
    let started = std::time::Instant::now();
    let posts = std::cell::Cell::new(0u64);
    let _lock = lock_rebuild(root)?;
    let dir = rebuild(db, root, &|done, total| {
        bar.set(done, total);
        posts.set(done);
    })?;
    bar.finish();
    swap_in(root, &dir)?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "indexed {} posts in {:.1} s ({:.0} posts/s) into {}",
        posts.get(),
        secs,
        posts.get() as f64 / secs.max(0.001),
        dir.display()
    );
    Ok(())
}

/// Makes `dir` the live index (atomic rename of CURRENT) and removes older folders.
pub fn swap_in(root: &Path, dir: &Path) -> anyhow::Result<()> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow::anyhow!("bad index folder"))?;
    let tmp = root.join("CURRENT.tmp");
    std::fs::write(&tmp, name)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, root.join(CURRENT))?;
    remove_old(root, name);
    Ok(())
}

/// Deletes index folders other than `keep` (a running server that still reads an old one keeps
/// its open files until it switches).
pub fn remove_old(root: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("idx-") && name != keep {
            if let Err(e) = std::fs::remove_dir_all(entry.path()) {
                tracing::warn!("could not remove old index folder {name}: {e}");
            }
        }
    }
}
