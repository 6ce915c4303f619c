//! Suggestions by meaning: the sentence-embedding model (when one is installed), the in-memory
//! index of thread vectors, and the embedder thread that keeps both in step with the event
//! log. Without a model everything here says "off" and search stays lexical.
//!
//! Optionally a second, multilingual model serves German (`german_model_dir`): a `Semantic` of
//! its own (role `German`, vectors of German threads only) inside the main one, with its own
//! embedder thread. The default model is English-only; German drafts are compared with the
//! German model's vectors once they are loaded.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::vectors::{Meta, Role, VectorIndex};
use super::IndexDoc;
use crate::config::SemanticSettings;
use crate::embedding::Embedder;

/// Characters of a thread's question and of its accepted answer that go into its text (the
/// model reads at most 256 tokens anyway; more only costs tokenizing).
const PART_CHARS: usize = 1200;

/// Query vectors kept, so the same draft typed again costs no inference.
const QUERY_CACHE: usize = 2000;

/// What `/readyz` and the admin page say about semantic search.
#[derive(Debug, Clone, Serialize)]
pub struct SemanticStatus {
    /// `on`, `loading` (vectors being read at start) or `off`.
    pub state: &'static str,
    /// Why it is off, in words for the log and `/readyz` (no model folder, disabled, a model
    /// that failed to load).
    pub reason: Option<String>,
    /// The same as a key for the admin page: `disabled`, `no-model` or `load-failed`.
    pub off_because: Option<&'static str>,
    /// The configured model folder.
    pub model_dir: String,
    pub model: Option<String>,
    /// Threads with a vector in memory.
    pub vectors: usize,
    /// Visible threads still without a vector of this model (the embedder works on them).
    pub pending: i64,
    /// Events the embedder has still to look at (`null` when off or unknown).
    pub lag: Option<i64>,
    /// Threads embedded by this node since start, and how fast (threads per second).
    pub embedded: u64,
    pub threads_per_second: f64,
    /// Memory the vectors take, and the model's weights.
    pub vector_bytes: usize,
    pub model_bytes: u64,
    /// The German model, when one is loaded (`german_model_dir`), and how many German threads
    /// have a vector of it. `state`, `pending`, `lag` and `embedded` above count its embedder
    /// too.
    pub german_model: Option<String>,
    pub german_vectors: usize,
}

/// How suggestions fuse the two scores (see `SemanticSettings`).
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub dense: f32,
    pub lexical: f32,
    /// `dense` for drafts in German.
    pub german_dense: f32,
    /// Cosine from which a thread counts as a possible duplicate of another.
    pub duplicate: f32,
    /// The cosine's weight beside BM25 in the main search's first results.
    pub search_dense: f32,
    /// `dense` for drafts in German compared with the German model's vectors.
    pub german_model: f32,
}

/// The semantic side of search; shared by handlers, the embedder thread and the CLI.
pub struct Semantic {
    model: Option<Arc<Embedder>>,
    reason: Option<String>,
    off_because: Option<&'static str>,
    model_dir: String,
    pub(super) index: RwLock<VectorIndex>,
    pub(super) loaded: AtomicBool,
    pub(super) pending: AtomicI64,
    /// The newest event the embedder has applied.
    pub(super) applied: AtomicI64,
    pub(super) embedded: AtomicU64,
    /// Microseconds spent embedding (for threads per second).
    pub(super) embed_micros: AtomicU64,
    pub(super) stop: AtomicBool,
    pub batch: usize,
    pub weights: Weights,
    cache: Mutex<HashMap<String, Arc<Vec<f32>>>>,
    /// Which vectors this side keeps (`thread_vectors.role`).
    pub role: Role,
    /// The German model's side, when `german_model_dir` holds a model.
    german: Option<Arc<Semantic>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The text a thread is embedded from: its title, the question and the accepted answer.
pub fn thread_text(doc: &IndexDoc) -> String {
    let part = |s: &str| s.chars().take(PART_CHARS).collect::<String>();
    let mut text = doc.title.clone();
    for p in [&doc.question, &doc.accepted] {
        if !p.trim().is_empty() {
            text.push('\n');
            text.push_str(&part(p));
        }
    }
    text
}

/// The hash stored with a vector: the same text is never embedded twice.
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl Semantic {
    /// Loads the model named by `settings` (relative folders are under the working
    /// directory). Never fails: without a usable model the result is "off", with the reason
    /// logged once.
    pub fn load(settings: &SemanticSettings) -> Semantic {
        let mut main = Semantic::load_side(settings, &settings.model_dir, Role::Main);
        main.german = Semantic::load_german(settings, &main).map(Arc::new);
        main
    }

    /// The German side: only beside a main model, only when its folder holds a model (it is
    /// optional: a missing one is not worth a warning), and not the main model again.
    fn load_german(settings: &SemanticSettings, main: &Semantic) -> Option<Semantic> {
        let main_model = main.model.as_ref()?;
        let dir = settings.german_model_dir.trim();
        if dir.is_empty() || !Path::new(dir).join("config.json").exists() {
            return None;
        }
        let german = Semantic::load_side(settings, dir, Role::German);
        match (&german.model, &german.reason) {
            (Some(m), _) if m.name() == main_model.name() => None,
            (Some(_), _) => Some(german),
            (None, why) => {
                tracing::warn!(
                    "the German model is not used: {}",
                    why.as_deref().unwrap_or("it did not load")
                );
                None
            }
        }
    }

    fn load_side(settings: &SemanticSettings, model_dir: &str, role: Role) -> Semantic {
        let dir = Path::new(model_dir);
        let (model, reason, off_because) = if !settings.enabled {
            (
                None,
                Some("semantic search is disabled in the configuration".to_string()),
                Some("disabled"),
            )
        } else if !dir.join("config.json").exists() {
            (
                None,
                Some(format!(
                    "no embedding model in {} (scripts/fetch-model installs one)",
                    dir.display()
                )),
                Some("no-model"),
            )
        } else {
            match Embedder::shared(dir) {
                Ok(m) => (Some(m), None, None),
                Err(e) => (
                    None,
                    Some(format!(
                        "the model in {} did not load: {e:#}",
                        dir.display()
                    )),
                    Some("load-failed"),
                ),
            }
        };
        let dims = model.as_ref().map(|m| m.dims()).unwrap_or(0);
        Semantic {
            model,
            reason,
            off_because,
            model_dir: model_dir.to_string(),
            index: RwLock::new(VectorIndex::new(dims)),
            loaded: AtomicBool::new(false),
            pending: AtomicI64::new(0),
            applied: AtomicI64::new(0),
            embedded: AtomicU64::new(0),
            embed_micros: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            batch: settings.batch.clamp(1, 256),
            weights: Weights {
                dense: settings.dense_weight,
                lexical: settings.lexical_weight,
                german_dense: settings.german_dense_weight,
                duplicate: settings.duplicate_similarity,
                search_dense: settings.search_dense_weight,
                german_model: settings.german_model_weight,
            },
            cache: Mutex::new(HashMap::new()),
            role,
            german: None,
        }
    }

    /// Says in the log whether suggestions use meaning, and if not why (at start).
    pub fn announce(&self) {
        match (&self.model, &self.reason) {
            (Some(m), _) => tracing::info!(
                "semantic suggestions on: model {} ({} dimensions)",
                m.name(),
                m.dims()
            ),
            (None, Some(why)) => {
                tracing::warn!("semantic suggestions off, search is lexical only: {why}")
            }
            (None, None) => {}
        }
        if let Some(g) = self.german.as_ref().and_then(|g| g.model.as_ref()) {
            tracing::info!("German drafts compared by the German model {}", g.name());
        }
    }

    /// Off, without loading anything or saying so (before `Search::start_embedder`).
    pub fn off() -> Semantic {
        let mut s = Semantic::load(&SemanticSettings {
            enabled: false,
            ..Default::default()
        });
        s.reason = Some("not started".into());
        s
    }

    pub fn model(&self) -> Option<&Arc<Embedder>> {
        self.model.as_ref()
    }

    pub fn is_on(&self) -> bool {
        self.model.is_some()
    }

    /// The German model's side, whether or not its vectors are loaded yet (for the embedder).
    pub fn german(&self) -> Option<&Arc<Semantic>> {
        self.german.as_ref()
    }

    /// The German model's side once its vectors are in memory: before that, German drafts use
    /// the main model (with `german_dense_weight`).
    pub fn german_ready(&self) -> Option<&Semantic> {
        self.german
            .as_deref()
            .filter(|g| g.loaded.load(Ordering::Acquire))
    }

    /// The vector of a draft title (cached).
    pub fn query_vector(&self, text: &str) -> anyhow::Result<Option<Arc<Vec<f32>>>> {
        let Some(model) = &self.model else {
            return Ok(None);
        };
        if let Some(v) = lock(&self.cache).get(text) {
            return Ok(Some(v.clone()));
        }
        let v = model
            .embed_queries(&[text])?
            .into_iter()
            .next()
            .map(Arc::new)
            .ok_or_else(|| anyhow::anyhow!("the model returned no vector"))?;
        let mut cache = lock(&self.cache);
        if cache.len() >= QUERY_CACHE {
            cache.clear();
        }
        cache.insert(text.to_string(), v.clone());
        Ok(Some(v))
    }

    /// A thread's own vector, when the embedder has made one.
    pub fn thread_vector(&self, id: i64) -> Option<Vec<f32>> {
        let index = match self.index.read() {
            Ok(i) => i,
            Err(poisoned) => poisoned.into_inner(),
        };
        index.vector(id)
    }

    /// The `k` nearest threads to `query`, best first (solved ones only when asked).
    pub fn nearest(&self, query: &[f32], k: usize, solved_only: bool) -> Vec<(i64, f32)> {
        let index = match self.index.read() {
            Ok(i) => i,
            Err(poisoned) => poisoned.into_inner(),
        };
        index.nearest(query, k, &|m: Meta| !solved_only || m.solved)
    }

    /// The status, with the embedder's lag behind `newest` (the newest event, when known).
    /// Cosine similarity of `query` and each of `ids` that has a vector.
    pub fn scores(&self, query: &[f32], ids: &[i64]) -> Vec<Option<f32>> {
        let index = match self.index.read() {
            Ok(i) => i,
            Err(poisoned) => poisoned.into_inner(),
        };
        ids.iter().map(|&id| index.score(id, query)).collect()
    }

    pub fn status(&self, newest: Option<i64>) -> SemanticStatus {
        let mut status = self.side_status(newest);
        if let Some(g) = &self.german {
            let gs = g.side_status(newest);
            if status.state == "on" && gs.state != "on" {
                status.state = gs.state;
            }
            status.pending += gs.pending;
            status.embedded += gs.embedded;
            status.lag = match (status.lag, gs.lag) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            status.vector_bytes += gs.vector_bytes;
            status.model_bytes += gs.model_bytes;
            status.german_model = gs.model;
            status.german_vectors = gs.vectors;
        }
        status
    }

    fn side_status(&self, newest: Option<i64>) -> SemanticStatus {
        let (vectors, vector_bytes) = match self.index.read() {
            Ok(i) => (i.len(), i.bytes()),
            Err(p) => {
                let i = p.into_inner();
                (i.len(), i.bytes())
            }
        };
        let embedded = self.embedded.load(Ordering::Relaxed);
        let micros = self.embed_micros.load(Ordering::Relaxed);
        SemanticStatus {
            state: match (&self.model, self.loaded.load(Ordering::Acquire)) {
                (None, _) => "off",
                (Some(_), false) => "loading",
                (Some(_), true) => "on",
            },
            reason: self.reason.clone(),
            off_because: self.off_because,
            model_dir: self.model_dir.clone(),
            model: self.model.as_ref().map(|m| m.name().to_string()),
            vectors,
            pending: if self.model.is_some() {
                self.pending.load(Ordering::Relaxed)
            } else {
                0
            },
            lag: newest
                .filter(|_| self.model.is_some())
                .map(|n| (n - self.applied.load(Ordering::Acquire)).max(0)),
            embedded,
            threads_per_second: if micros > 0 {
                (embedded as f64 / (micros as f64 / 1e6) * 10.0).round() / 10.0
            } else {
                0.0
            },
            vector_bytes,
            model_bytes: self.model.as_ref().map(|m| m.weight_bytes()).unwrap_or(0),
            german_model: None,
            german_vectors: 0,
        }
    }

    /// Asks the embedder threads to stop.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
        if let Some(g) = &self.german {
            g.shutdown();
        }
    }
}
