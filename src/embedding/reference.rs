//! The reference the int8 path is checked against: candle's f32 `BertModel` over the same
//! folder, tokenizer and pooling (what `Embedder` ran before). Slow; for `embed-bench
//! --check` and the tests, never for serving.

use std::path::Path;

use anyhow::Context;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};

use super::{Embedder, Pooling};

/// An f32 model over a folder with `model.safetensors` (or `pytorch_model.bin`).
pub struct Reference {
    model: BertModel,
}

impl Reference {
    pub fn load(dir: &Path) -> anyhow::Result<Reference> {
        let config_path = dir.join("config.json");
        let text = std::fs::read_to_string(&config_path)
            .with_context(|| format!("reading {}", config_path.display()))?;
        let config: Config = serde_json::from_str(&text)?;
        let device = Device::Cpu;
        let safetensors = dir.join("model.safetensors");
        let vb = if safetensors.exists() {
            let data = std::fs::read(&safetensors)?;
            VarBuilder::from_buffered_safetensors(data, DType::F32, &device)?
        } else {
            VarBuilder::from_pth(dir.join("pytorch_model.bin"), DType::F32, &device)?
        };
        Ok(Reference {
            model: BertModel::load(vb, &config)?,
        })
    }

    /// Unit vectors for `texts` as `embedder` would tokenize and pool them (passages).
    pub fn embed(&self, embedder: &Embedder, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(texts.len());
        for text in texts {
            let enc = embedder.encode(embedder.passage_prompt(), text)?;
            let device = &self.model.device;
            let ids = Tensor::new(enc.get_ids(), device)?.unsqueeze(0)?;
            let types = Tensor::new(enc.get_type_ids(), device)?.unsqueeze(0)?;
            let mask = Tensor::new(enc.get_attention_mask(), device)?.unsqueeze(0)?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?.squeeze(0)?;
            let pooled = match embedder.pooling() {
                Pooling::Cls => hidden.get(0)?,
                Pooling::Mean => hidden.mean(0)?,
            };
            let mut v = pooled.to_dtype(DType::F32)?.to_vec1::<f32>()?;
            super::normalize(&mut v);
            out.push(v);
        }
        Ok(out)
    }
}
