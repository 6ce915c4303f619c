//! Sentence embeddings in-process: loads a sentence-transformers model folder (BERT-family
//! weights, `tokenizer.json`, the pooling config) and turns texts into unit vectors on the CPU
//! with candle. Knows nothing of threads or the database: the search module decides what is
//! embedded and keeps the vectors.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

/// Texts longer than this many tokens are cut (the model's own limit may be lower).
pub const MAX_TOKENS: usize = 256;

/// How token vectors become one sentence vector (sentence-transformers' `1_Pooling`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    Mean,
    Cls,
}

/// A loaded model. Inference takes `&self`, so one model serves every thread.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    pooling: Pooling,
    dims: usize,
    /// The folder's name (e.g. `all-MiniLM-L6-v2`) plus its weights' size: vectors made by
    /// another model are never mixed with this one's.
    name: String,
    /// Size of the weights on disk, for the memory budget shown on `/readyz`.
    weight_bytes: u64,
}

/// The files a model folder must hold, for messages and docs.
pub const REQUIRED_FILES: &[&str] = &[
    "config.json",
    "tokenizer.json",
    "model.safetensors (or pytorch_model.bin)",
];

fn read_json(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The pooling a folder asks for: `1_Pooling/config.json` when present, else mean pooling
/// (what sentence-transformers does for a plain BERT folder).
fn pooling_of(dir: &Path) -> anyhow::Result<Pooling> {
    let path = dir.join("1_Pooling").join("config.json");
    if !path.exists() {
        return Ok(Pooling::Mean);
    }
    let cfg = read_json(&path)?;
    let on = |k: &str| cfg.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
    if on("pooling_mode_mean_tokens") {
        Ok(Pooling::Mean)
    } else if on("pooling_mode_cls_token") {
        Ok(Pooling::Cls)
    } else {
        anyhow::bail!("{}: only mean or CLS pooling is supported", path.display())
    }
}

/// The sequence limit sentence-transformers uses for this model, capped at `MAX_TOKENS`.
fn max_tokens_of(dir: &Path, config: &Config) -> usize {
    let st = read_json(&dir.join("sentence_bert_config.json")).ok();
    let declared = st
        .as_ref()
        .and_then(|v| v.get("max_seq_length"))
        .and_then(|v| v.as_u64())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_TOKENS);
    declared.min(MAX_TOKENS).min(config.max_position_embeddings)
}

impl Embedder {
    /// Loads the model in `dir`. Fails with a sentence naming what is missing or unsupported.
    pub fn load(dir: &Path) -> anyhow::Result<Embedder> {
        let config_path = dir.join("config.json");
        let config_json = read_json(&config_path)?;
        let model_type = config_json
            .get("model_type")
            .and_then(|v| v.as_str())
            .unwrap_or("bert")
            .to_string();
        if !matches!(model_type.as_str(), "bert" | "xlm-roberta" | "roberta") {
            anyhow::bail!(
                "{}: model_type \"{model_type}\" is not supported (BERT-family models are)",
                config_path.display()
            );
        }
        let config: Config = serde_json::from_value(config_json)
            .with_context(|| format!("reading {}", config_path.display()))?;
        let device = Device::Cpu;
        let safetensors = dir.join("model.safetensors");
        let (vb, weight_bytes) = if safetensors.exists() {
            let data = std::fs::read(&safetensors)
                .with_context(|| format!("reading {}", safetensors.display()))?;
            let size = data.len() as u64;
            (
                VarBuilder::from_buffered_safetensors(data, DType::F32, &device)?,
                size,
            )
        } else {
            let pth = dir.join("pytorch_model.bin");
            if !pth.exists() {
                anyhow::bail!(
                    "{} holds neither model.safetensors nor pytorch_model.bin",
                    dir.display()
                );
            }
            let size = std::fs::metadata(&pth)?.len();
            (VarBuilder::from_pth(&pth, DType::F32, &device)?, size)
        };
        let model = BertModel::load(vb, &config)
            .with_context(|| format!("loading the weights in {}", dir.display()))?;
        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", tokenizer_path.display()))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens_of(dir, &config),
                ..Default::default()
            }))
            .map_err(|e| anyhow::anyhow!("tokenizer truncation: {e}"))?;
        tokenizer.with_padding(Some(PaddingParams::default()));
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        Ok(Embedder {
            model,
            tokenizer,
            pooling: pooling_of(dir)?,
            dims: config.hidden_size,
            name: format!("{name}/{weight_bytes}"),
            weight_bytes,
        })
    }

    /// The model in `dir`, loaded once per process: servers started again in one process (the
    /// tests, a restart in place) share it instead of holding a copy each.
    pub fn shared(dir: &Path) -> anyhow::Result<Arc<Embedder>> {
        static LOADED: Mutex<Vec<(PathBuf, Arc<Embedder>)>> = Mutex::new(Vec::new());
        let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, m)) = loaded.iter().find(|(k, _)| *k == key) {
            return Ok(m.clone());
        }
        let model = Arc::new(Embedder::load(dir)?);
        loaded.push((key, model.clone()));
        Ok(model)
    }

    /// Vector length.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Names the model: stored beside each vector.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn weight_bytes(&self) -> u64 {
        self.weight_bytes
    }

    /// One unit vector per text (cosine similarity is then a dot product).
    pub fn embed(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| anyhow::anyhow!("tokenizing: {e}"))?;
        let device = &self.model.device;
        let rows = |f: &dyn Fn(&tokenizers::Encoding) -> Vec<u32>| -> anyhow::Result<Tensor> {
            let rows = encodings
                .iter()
                .map(|e| Tensor::new(f(e).as_slice(), device))
                .collect::<candle_core::Result<Vec<_>>>()?;
            Ok(Tensor::stack(&rows, 0)?)
        };
        let ids = rows(&|e| e.get_ids().to_vec())?;
        let type_ids = rows(&|e| e.get_type_ids().to_vec())?;
        let mask = rows(&|e| e.get_attention_mask().to_vec())?;
        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?;
        let pooled = match self.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
            Pooling::Mean => {
                // Padding tokens must not count: weight each token by its mask.
                let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
                let summed = hidden.broadcast_mul(&m)?.sum(1)?;
                let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?;
                summed.broadcast_div(&counts)?
            }
        };
        let norms = pooled
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12, f64::MAX)?;
        let unit = pooled.broadcast_div(&norms)?;
        Ok(unit.to_vec2::<f32>()?)
    }
}

/// Where a model folder is looked for when the config names none: `models/<name>` under the
/// working directory, the folder `scripts/fetch-model` fills.
pub fn default_dir() -> PathBuf {
    PathBuf::from("models").join(DEFAULT_MODEL)
}

/// The model the project installs and tests with (Apache-2.0).
pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2";
