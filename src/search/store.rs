//! Index folders: `<search.dir>/CURRENT` names the live folder (`idx-<time>-<random>`); a rebuild
//! writes a new folder and swaps the pointer with an atomic rename, under a file lock. The
//! commit payload holds the event cursor and the schema version. Opening a folder checks every
//! file a search reads against its checksum.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::index::SegmentComponent;
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

/// Makes sure `search.dir` is a folder (creating it when missing), with an error that names it
/// and says what is wrong: a bare "File exists (os error 17)" leaves people guessing.
pub fn ensure_root(root: &Path) -> anyhow::Result<()> {
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => anyhow::bail!(
            "the search index folder {} (search.dir) is a file, not a folder; \
             point search.dir at a folder (it is created when missing)",
            root.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(root)
            .with_context(|| {
                format!(
                    "cannot create the search index folder {} (search.dir)",
                    root.display()
                )
            }),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot read the search index folder {} (search.dir)",
                root.display()
            )
        }),
    }
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
    // Damage in a file is otherwise only noticed by the searches that happen to read the
    // damaged part (and then on every start again): check every file once, here.
    let damaged = damaged_files(&index)?;
    if !damaged.is_empty() {
        anyhow::bail!("damaged files: {}", damaged.join(", "));
    }
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

/// The files of the index's live segments that are missing or whose contents do not match
/// their checksum (tantivy ends every segment file with a CRC32 of its contents), each with
/// what is wrong; empty when every file a search reads is intact. Reads every file once.
pub fn damaged_files(index: &Index) -> anyhow::Result<Vec<String>> {
    let directory = index.directory();
    let mut damaged = Vec::new();
    for meta in index.searchable_segment_metas()? {
        for component in SegmentComponent::iterator() {
            let path = match component {
                // Only exists while a segment is being written.
                SegmentComponent::TempStore => continue,
                SegmentComponent::Delete if !meta.has_deletes() => continue,
                c => meta.relative_path(*c),
            };
            match directory.validate_checksum(&path) {
                Ok(true) => {}
                Ok(false) => damaged.push(format!("{} (checksum mismatch)", path.display())),
                Err(e) => damaged.push(format!("{} ({e})", path.display())),
            }
        }
    }
    Ok(damaged)
}

fn new_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let suffix: u32 = rand::random();
    let dir = root.join(format!("idx-{stamp}-{suffix:08x}"));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
    Ok(dir)
}

const LOCK: &str = "REBUILD.lock";

/// Held while a rebuild builds and swaps in its folder: two rebuilds at once would delete each
/// other's folders. It is a file lock (`flock`) on `REBUILD.lock`, which the kernel releases
/// when its holder ends in any way, `kill -9` included; a process id in a file could not tell
/// a dead holder from a live process that got the same id (a restarted container is process 1
/// again). The file stays: deleting it would let a second process lock a new file of the same
/// name while the first still holds the old one. The holder's process id is written into it
/// for people; the lock does not read it.
pub struct RebuildLock {
    _file: File,
}

fn lock_file(root: &Path) -> anyhow::Result<(File, PathBuf)> {
    ensure_root(root)?;
    let path = root.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open the rebuild lock {}", path.display()))?;
    Ok((file, path))
}

fn locked(file: File) -> RebuildLock {
    use std::io::Write;
    // Informational only, so a failure to write it does not matter.
    let _ = file
        .set_len(0)
        .and_then(|()| write!(&file, "{}", std::process::id()));
    RebuildLock { _file: file }
}

/// Who holds the lock, for messages.
fn holder(path: &Path) -> String {
    let pid = std::fs::read_to_string(path).unwrap_or_default();
    match pid.trim().parse::<u32>() {
        Ok(pid) => format!("process {pid} holds {}", path.display()),
        Err(_) => format!("{} is locked", path.display()),
    }
}

/// Takes the rebuild lock if it is free; `None` while another rebuild holds it.
pub fn try_lock_rebuild(root: &Path) -> anyhow::Result<Option<RebuildLock>> {
    let (file, path) = lock_file(root)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(locked(file))),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Takes the rebuild lock, or fails saying that another rebuild is running (`peerdesk reindex`).
pub fn lock_rebuild(root: &Path) -> anyhow::Result<RebuildLock> {
    match try_lock_rebuild(root)? {
        Some(lock) => Ok(lock),
        None => anyhow::bail!(
            "another rebuild of the search index is running ({}); try again when it has finished",
            holder(&root.join(LOCK))
        ),
    }
}

/// Takes the rebuild lock, waiting for another rebuild to finish first (the server's start).
/// Says whether it had to wait: the other rebuild may have made ours unnecessary.
pub fn wait_lock_rebuild(root: &Path) -> anyhow::Result<(RebuildLock, bool)> {
    if let Some(lock) = try_lock_rebuild(root)? {
        return Ok((lock, false));
    }
    let (file, path) = lock_file(root)?;
    tracing::info!(
        "waiting for another rebuild of the search index to finish ({})",
        holder(&path)
    );
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok((locked(file), true))
}

/// Rebuilds the whole index from the database into a fresh folder (not yet live). `progress`
/// gets (posts indexed, posts in total). Returns the folder.
pub fn rebuild(db: &Db, root: &Path, progress: &dyn Fn(u64, u64)) -> anyhow::Result<PathBuf> {
    ensure_root(root)?;
    let dir = new_dir(root)?;
    // A failed rebuild leaves no half-built folder behind (retries would fill the disk).
    match build_into(db, &dir, progress) {
        Ok(()) => Ok(dir),
        Err(e) => {
            if let Err(rm) = std::fs::remove_dir_all(&dir) {
                tracing::warn!("search: cannot remove {}: {rm}", dir.display());
            }
            Err(e)
        }
    }
}

/// Builds a fresh index from the database into the empty folder `dir`.
fn build_into(db: &Db, dir: &Path, progress: &dyn Fn(u64, u64)) -> anyhow::Result<()> {
    let (schema, fields) = schema::build_schema();
    let index = Index::create_in_dir(dir, schema)?;
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
    Ok(())
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
    let written = std::fs::write(&tmp, name)
        .and_then(|()| File::open(&tmp)?.sync_all())
        .and_then(|()| std::fs::rename(&tmp, root.join(CURRENT)));
    written.with_context(|| format!("cannot update {}", root.join(CURRENT).display()))?;
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
