//! The BERT encoder, written out: embeddings, `layers × (self-attention, feed-forward)`, with
//! the linear layers as int8 products (`quant`) and everything else in f32. One sequence at a
//! time, unpadded; for a short text the products are split over the cores, for a batch the
//! texts are.

use super::quant::{self, QActs, QMatrix, QK};

/// The sizes a BERT-family `config.json` gives.
#[derive(Debug, Clone)]
pub struct BertConfig {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub vocab: usize,
    pub eps: f32,
    /// `gelu` (erf) or the tanh approximation (`gelu_new`, `gelu_pytorch_tanh`).
    pub tanh_gelu: bool,
    /// Position ids start here: 0 for BERT, `pad_token_id + 1` for RoBERTa/XLM-R.
    pub position_offset: usize,
}

impl BertConfig {
    /// Reads the fields we use from a `config.json` value.
    pub fn from_json(v: &serde_json::Value) -> anyhow::Result<BertConfig> {
        let num = |k: &str| -> anyhow::Result<usize> {
            v.get(k)
                .and_then(|x| x.as_u64())
                .map(|x| x as usize)
                .ok_or_else(|| anyhow::anyhow!("config.json has no \"{k}\""))
        };
        let model_type = v
            .get("model_type")
            .and_then(|x| x.as_str())
            .unwrap_or("bert");
        let act = v
            .get("hidden_act")
            .and_then(|x| x.as_str())
            .unwrap_or("gelu");
        let tanh_gelu = match act {
            "gelu" => false,
            "gelu_new" | "gelu_pytorch_tanh" | "gelu_fast" => true,
            other => anyhow::bail!("hidden_act \"{other}\" is not supported (gelu is)"),
        };
        if let Some(p) = v.get("position_embedding_type").and_then(|x| x.as_str()) {
            anyhow::ensure!(
                p == "absolute",
                "position_embedding_type \"{p}\" is not supported (absolute is)"
            );
        }
        let pad = v.get("pad_token_id").and_then(|x| x.as_u64()).unwrap_or(1) as usize;
        let cfg = BertConfig {
            hidden: num("hidden_size")?,
            layers: num("num_hidden_layers")?,
            heads: num("num_attention_heads")?,
            intermediate: num("intermediate_size")?,
            max_positions: num("max_position_embeddings")?,
            type_vocab: num("type_vocab_size").unwrap_or(2),
            vocab: num("vocab_size")?,
            eps: v
                .get("layer_norm_eps")
                .and_then(|x| x.as_f64())
                .unwrap_or(1e-12) as f32,
            tanh_gelu,
            position_offset: match model_type {
                "roberta" | "xlm-roberta" => pad + 1,
                _ => 0,
            },
        };
        cfg.check()?;
        Ok(cfg)
    }

    pub fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.heads > 0 && self.hidden.is_multiple_of(self.heads),
            "hidden_size {} is not a multiple of num_attention_heads {}",
            self.hidden,
            self.heads
        );
        anyhow::ensure!(
            self.hidden.is_multiple_of(QK) && self.intermediate.is_multiple_of(QK),
            "hidden_size and intermediate_size must be multiples of {QK}"
        );
        Ok(())
    }

    /// The longest input (in tokens) the position table allows.
    pub fn max_tokens(&self) -> usize {
        self.max_positions.saturating_sub(self.position_offset)
    }
}

/// The token embedding table: f32 as given, or 4-bit rows dequantized on look-up.
pub enum Table {
    /// int8 rows, each with its own scale: a quarter of the f32 table (MiniLM's 30,522 rows:
    /// 12 MB instead of 47), and a token's row only ever starts the sum that layer norm
    /// rescales, so the rounding does not show in the vectors (the tests compare with f32).
    I8 { values: Vec<i8>, scales: Vec<f32> },
    /// ggml Q4_0 blocks, row-major (kept packed: a 250k-token vocabulary stays small).
    Q40(Vec<u8>),
}

impl Table {
    /// The int8 table of `rows` f32 rows of `h` values.
    pub fn quantize_rows(table: &[f32], h: usize) -> Table {
        let mut values = Vec::with_capacity(table.len());
        let mut scales = Vec::with_capacity(table.len() / h.max(1));
        for row in table.chunks_exact(h) {
            let max = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            values.extend(
                row.iter()
                    .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
            );
            scales.push(scale);
        }
        Table::I8 { values, scales }
    }

    fn row_into(&self, id: usize, out: &mut [f32]) {
        let h = out.len();
        match self {
            Table::I8 { values, scales } => {
                let scale = scales[id];
                for (o, &q) in out.iter_mut().zip(&values[id * h..(id + 1) * h]) {
                    *o = f32::from(q) * scale;
                }
            }
            Table::Q40(raw) => {
                let per_row = h / QK * quant::Q4_0_BLOCK_BYTES;
                let row = &raw[id * per_row..(id + 1) * per_row];
                for (block, o) in row
                    .chunks_exact(quant::Q4_0_BLOCK_BYTES)
                    .zip(out.chunks_exact_mut(QK))
                {
                    let mut q = [0i32; QK];
                    let d = quant::dequantize_q4_0_block(block, |j, v| q[j] = v);
                    for (x, v) in o.iter_mut().zip(q) {
                        *x = v as f32 * d;
                    }
                }
            }
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Table::I8 { values, scales } => values.len() + scales.len() * 4,
            Table::Q40(raw) => raw.len(),
        }
    }
}

/// A linear layer: int8 weights `[out, in]` and an f32 bias.
pub struct Linear {
    pub w: QMatrix,
    pub b: Vec<f32>,
}

/// One encoder layer.
pub struct Layer {
    /// Query, key and value stacked (`3·hidden × hidden`): one product instead of three.
    pub qkv: Linear,
    pub attn_out: Linear,
    pub attn_norm: (Vec<f32>, Vec<f32>),
    pub ff_in: Linear,
    pub ff_out: Linear,
    pub out_norm: (Vec<f32>, Vec<f32>),
}

/// The weights of a BERT encoder.
pub struct Bert {
    pub cfg: BertConfig,
    pub word: Table,
    /// `max_positions × hidden`.
    pub position: Vec<f32>,
    /// `type_vocab × hidden`.
    pub token_type: Vec<f32>,
    pub emb_norm: (Vec<f32>, Vec<f32>),
    pub layers: Vec<Layer>,
}

/// Attention over this many tokens or more is split over threads (head by head).
const PARALLEL_ATTENTION_TOKENS: usize = 48;

impl Bert {
    /// Bytes the weights take in memory.
    pub fn bytes(&self) -> usize {
        let lin = |l: &Linear| l.w.bytes() + 4 * l.b.len();
        self.word.bytes()
            + 4 * (self.position.len() + self.token_type.len())
            + self
                .layers
                .iter()
                .map(|l| {
                    lin(&l.qkv)
                        + lin(&l.attn_out)
                        + lin(&l.ff_in)
                        + lin(&l.ff_out)
                        + 16 * self.cfg.hidden
                })
                .sum::<usize>()
    }

    /// The last hidden states (`ids.len() × hidden`, token-major) of one unpadded sequence.
    /// `parallel` splits the work of this one sequence over rayon's threads.
    pub fn forward(&self, ids: &[u32], type_ids: &[u32], parallel: bool) -> Vec<f32> {
        let c = &self.cfg;
        let (h, m) = (c.hidden, ids.len());
        assert!(m > 0 && m <= c.max_tokens(), "sequence length {m}");
        let mut x = vec![0f32; m * h];
        for (t, row) in x.chunks_exact_mut(h).enumerate() {
            let id = (ids[t] as usize).min(c.vocab - 1);
            self.word.row_into(id, row);
            let p = &self.position[(t + c.position_offset) * h..][..h];
            let ty = (type_ids.get(t).copied().unwrap_or(0) as usize).min(c.type_vocab - 1);
            let tt = &self.token_type[ty * h..][..h];
            for ((v, a), b) in row.iter_mut().zip(p).zip(tt) {
                *v += a + b;
            }
        }
        kernels::layer_norm(&mut x, None, &self.emb_norm.0, &self.emb_norm.1, c.eps);

        let mut qa = QActs::default();
        let mut qkv = vec![0f32; m * 3 * h];
        let mut ctx = vec![0f32; m * h];
        let mut tmp = vec![0f32; m * h];
        let mut mid = vec![0f32; m * c.intermediate];
        for layer in &self.layers {
            qa.quantize(&x, m, h);
            quant::matmul(&layer.qkv.w, &layer.qkv.b, &qa, &mut qkv, parallel);
            self.attention(
                &qkv,
                &mut ctx,
                m,
                parallel && m >= PARALLEL_ATTENTION_TOKENS,
            );
            qa.quantize(&ctx, m, h);
            quant::matmul(
                &layer.attn_out.w,
                &layer.attn_out.b,
                &qa,
                &mut tmp,
                parallel,
            );
            let (g, b) = &layer.attn_norm;
            kernels::layer_norm(&mut x, Some(&tmp), g, b, c.eps);
            qa.quantize(&x, m, h);
            quant::matmul(&layer.ff_in.w, &layer.ff_in.b, &qa, &mut mid, parallel);
            kernels::gelu(&mut mid, c.tanh_gelu);
            qa.quantize(&mid, m, c.intermediate);
            quant::matmul(&layer.ff_out.w, &layer.ff_out.b, &qa, &mut tmp, parallel);
            let (g, b) = &layer.out_norm;
            kernels::layer_norm(&mut x, Some(&tmp), g, b, c.eps);
        }
        x
    }

    /// Scaled dot-product self-attention of every head; `qkv` is `m × 3·hidden`, the context
    /// goes to `ctx` (`m × hidden`).
    fn attention(&self, qkv: &[f32], ctx: &mut [f32], m: usize, parallel: bool) {
        let h = self.cfg.hidden;
        let heads = self.cfg.heads;
        let hd = h / heads;
        if !parallel || heads < 2 {
            kernels::attention_heads(qkv, m, h, hd, 0, heads, ctx);
            return;
        }
        // Two halves of the heads, each into its own buffer, then interleaved into `ctx`.
        let split = heads / 2;
        let (mut a, mut b) = (
            vec![0f32; m * split * hd],
            vec![0f32; m * (heads - split) * hd],
        );
        rayon::join(
            || kernels::attention_heads(qkv, m, h, hd, 0, split, &mut a),
            || kernels::attention_heads(qkv, m, h, hd, split, heads, &mut b),
        );
        let (wa, wb) = (split * hd, (heads - split) * hd);
        for (t, row) in ctx.chunks_exact_mut(h).enumerate() {
            row[..wa].copy_from_slice(&a[t * wa..(t + 1) * wa]);
            row[wa..].copy_from_slice(&b[t * wb..(t + 1) * wb]);
        }
    }
}

/// The f32 parts, written so the compiler vectorises them; on x86 they are compiled a second
/// time with AVX2+FMA enabled and that copy runs when the CPU has it.
pub mod kernels {
    use super::quant::{level, Level};

    /// `public!(name = generic via avx2_copy, avx512_copy (args) -> ret)`: `name` runs
    /// `generic` compiled with AVX-512 when the CPU has it (the VNNI level implies AVX-512F),
    /// with AVX2+FMA when it has those, else as compiled for the baseline.
    macro_rules! public {
        ($name:ident = $generic:ident via $avx2:ident, $avx512:ident
            ($($arg:ident: $ty:ty),*) $(-> $ret:ty)?) => {
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            unsafe fn $avx2($($arg: $ty),*) $(-> $ret)? {
                $generic($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma,avx512f")]
            unsafe fn $avx512($($arg: $ty),*) $(-> $ret)? {
                $generic($($arg),*)
            }
            pub fn $name($($arg: $ty),*) $(-> $ret)? {
                #[cfg(target_arch = "x86_64")]
                match level() {
                    // SAFETY: the CPU has these features (checked by `level`).
                    Level::Vnni => return unsafe { $avx512($($arg),*) },
                    Level::Avx2 => return unsafe { $avx2($($arg),*) },
                    Level::Portable => {}
                }
                $generic($($arg),*)
            }
        };
    }
    public!(layer_norm = layer_norm_generic via layer_norm_avx2, layer_norm_avx512
        (x: &mut [f32], add: Option<&[f32]>, g: &[f32], b: &[f32], eps: f32));
    public!(gelu = gelu_generic via gelu_avx2, gelu_avx512 (x: &mut [f32], tanh: bool));
    public!(attention_heads = attention_heads_generic via attention_heads_avx2, attention_heads_avx512
        (qkv: &[f32], m: usize, h: usize, hd: usize, first: usize, end: usize, out: &mut [f32]));

    /// Sum with eight independent lanes (vectorisable, unlike a running sum).
    #[inline(always)]
    fn sum(x: &[f32]) -> f32 {
        let mut acc = [0f32; 8];
        let chunks = x.chunks_exact(8);
        let rest = chunks.remainder();
        for c in chunks {
            for i in 0..8 {
                acc[i] += c[i];
            }
        }
        acc.iter().sum::<f32>() + rest.iter().sum::<f32>()
    }

    /// `x = LayerNorm(x + add)` row by row (rows of `g.len()`).
    #[inline(always)]
    fn layer_norm_generic(x: &mut [f32], add: Option<&[f32]>, g: &[f32], b: &[f32], eps: f32) {
        let h = g.len();
        for (t, row) in x.chunks_exact_mut(h).enumerate() {
            if let Some(add) = add {
                for (v, a) in row.iter_mut().zip(&add[t * h..(t + 1) * h]) {
                    *v += a;
                }
            }
            let mean = sum(row) / h as f32;
            for v in row.iter_mut() {
                *v -= mean;
            }
            let mut sq = [0f32; 8];
            for c in row.chunks_exact(8) {
                for i in 0..8 {
                    sq[i] += c[i] * c[i];
                }
            }
            let rest: f32 = row.chunks_exact(8).remainder().iter().map(|v| v * v).sum();
            let var = (sq.iter().sum::<f32>() + rest) / h as f32;
            let inv = 1.0 / (var + eps).sqrt();
            for ((v, gg), bb) in row.iter_mut().zip(g).zip(b) {
                *v = *v * inv * gg + bb;
            }
        }
    }

    /// e^x for x ≤ 88 without a library call (so loops over it vectorise): 2^n · p(r) with
    /// r = x − n·ln 2, |r| ≤ ln2/2, p a degree-6 Taylor polynomial (relative error < 2e-7).
    #[inline(always)]
    pub fn exp(x: f32) -> f32 {
        const LOG2E: f32 = std::f32::consts::LOG2_E;
        const LN2_HI: f32 = 0.693_145_75;
        const LN2_LO: f32 = 1.428_606_8e-6;
        // Rounds to nearest (the default mode) without a call: 1.5·2²³ pushes the fraction out.
        const MAGIC: f32 = 12_582_912.0;
        // max/min rather than clamp: a NaN becomes −87 instead of reaching the conversion.
        #[allow(clippy::manual_clamp)]
        let x = x.max(-87.0).min(88.0);
        let n = (x * LOG2E + MAGIC) - MAGIC;
        let r = x - n * LN2_HI - n * LN2_LO;
        let p = 1.0
            + r * (1.0
                + r * (0.5
                    + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
        // SAFETY: n is an integer in [-126, 127] (x is in [-87, 88]), so it fits an i32; the
        // unchecked conversion vectorises where `as` (saturating) does not.
        let n_int: i32 = unsafe { n.to_int_unchecked() };
        let scale = f32::from_bits(((n_int + 127) as u32) << 23);
        p * scale
    }

    /// erf(x), Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
    #[inline(always)]
    pub fn erf(x: f32) -> f32 {
        let a = x.abs();
        let t = 1.0 / (1.0 + 0.327_591_1 * a);
        let poly = t
            * (0.254_829_6
                + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
        let y = 1.0 - poly * exp(-a * a);
        if x < 0.0 {
            -y
        } else {
            y
        }
    }

    #[inline(always)]
    fn gelu_generic(x: &mut [f32], tanh: bool) {
        if tanh {
            for v in x.iter_mut() {
                // tanh(u) = 1 − 2/(e^{2u} + 1)
                let u = 0.797_884_6 * (*v + 0.044_715 * *v * *v * *v);
                let th = 1.0 - 2.0 / (exp(2.0 * u) + 1.0);
                *v = 0.5 * *v * (1.0 + th);
            }
        } else {
            for v in x.iter_mut() {
                *v = 0.5 * *v * (1.0 + erf(*v * std::f32::consts::FRAC_1_SQRT_2));
            }
        }
    }

    /// Attention of heads `first..end`: `softmax(q·kᵀ/√d)·v` for all `m` tokens, written to
    /// `out` (`m × (end − first)·hd`, token-major; with all heads that is the context layout).
    #[inline(always)]
    fn attention_heads_generic(
        qkv: &[f32],
        m: usize,
        h: usize,
        hd: usize,
        first: usize,
        end: usize,
        out: &mut [f32],
    ) {
        match hd {
            32 => attention_fixed::<32>(qkv, m, h, first, end, out),
            64 => attention_fixed::<64>(qkv, m, h, first, end, out),
            _ => attention_any(qkv, m, h, hd, first, end, out),
        }
    }

    /// Keys are stored transposed and padded to a multiple of 16 tokens, so a query's scores
    /// are `HD` whole-vector multiply-adds; a query and its context row stay in registers.
    #[inline(always)]
    fn attention_fixed<const HD: usize>(
        qkv: &[f32],
        m: usize,
        h: usize,
        first: usize,
        end: usize,
        out: &mut [f32],
    ) {
        let stride = 3 * h;
        let width = (end - first) * HD;
        let scale = 1.0 / (HD as f32).sqrt();
        let mp = m.div_ceil(16) * 16;
        let mut kt = vec![0f32; HD * mp];
        let mut scores = vec![0f32; mp];
        for head in first..end {
            for s in 0..m {
                let k = &qkv[s * stride + h + head * HD..][..HD];
                for (e, &v) in k.iter().enumerate() {
                    kt[e * mp + s] = v;
                }
            }
            for t in 0..m {
                let mut q = [0f32; HD];
                q.copy_from_slice(&qkv[t * stride + head * HD..][..HD]);
                scores.fill(0.0);
                for (e, &qv) in q.iter().enumerate() {
                    let qv = qv * scale;
                    for (sc, &kv) in scores.iter_mut().zip(&kt[e * mp..(e + 1) * mp]) {
                        *sc += qv * kv;
                    }
                }
                let scores = &mut scores[..m];
                let max = scores.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
                for sc in scores.iter_mut() {
                    *sc = exp(*sc - max);
                }
                let inv = 1.0 / sum(scores);
                let mut o = [0f32; HD];
                for (s, &p) in scores.iter().enumerate() {
                    let v = &qkv[s * stride + 2 * h + head * HD..][..HD];
                    for (ov, &vv) in o.iter_mut().zip(v) {
                        *ov += p * vv;
                    }
                }
                for (dst, ov) in out[t * width + (head - first) * HD..][..HD]
                    .iter_mut()
                    .zip(o)
                {
                    *dst = ov * inv;
                }
            }
        }
    }

    /// `attention_fixed` for any head size (plain loops).
    fn attention_any(
        qkv: &[f32],
        m: usize,
        h: usize,
        hd: usize,
        first: usize,
        end: usize,
        out: &mut [f32],
    ) {
        let stride = 3 * h;
        let width = (end - first) * hd;
        let scale = 1.0 / (hd as f32).sqrt();
        let mut scores = vec![0f32; m];
        for head in first..end {
            for t in 0..m {
                let q = &qkv[t * stride + head * hd..][..hd];
                for (s, sc) in scores.iter_mut().enumerate() {
                    *sc = dot(q, &qkv[s * stride + h + head * hd..][..hd]) * scale;
                }
                let max = scores.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
                for sc in scores.iter_mut() {
                    *sc = exp(*sc - max);
                }
                let inv = 1.0 / sum(&scores);
                let o = &mut out[t * width + (head - first) * hd..][..hd];
                o.fill(0.0);
                for (s, &p) in scores.iter().enumerate() {
                    let v = &qkv[s * stride + 2 * h + head * hd..][..hd];
                    for (ov, &vv) in o.iter_mut().zip(v) {
                        *ov += p * inv * vv;
                    }
                }
            }
        }
    }

    /// Dot product with eight independent lanes.
    #[inline(always)]
    fn dot(a: &[f32], b: &[f32]) -> f32 {
        let mut acc = [0f32; 8];
        let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
        let rest: f32 = ca
            .remainder()
            .iter()
            .zip(cb.remainder())
            .map(|(x, y)| x * y)
            .sum();
        for (x, y) in ca.zip(cb) {
            for i in 0..8 {
                acc[i] += x[i] * y[i];
            }
        }
        acc.iter().sum::<f32>() + rest
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn exp_and_erf_are_accurate() {
            for i in -2000..=2000 {
                let x = i as f32 * 0.02;
                let e = super::exp(x);
                let want = (x as f64).exp();
                assert!(
                    ((e as f64 - want) / want).abs() < 1e-6,
                    "exp({x}) = {e}, want {want}"
                );
            }
            // erf against a few known values.
            for (x, want) in [
                (0.0f32, 0.0f64),
                (0.5, 0.520_499_877_8),
                (1.0, 0.842_700_792_9),
                (-1.5, -0.966_105_146_5),
                (3.0, 0.999_977_909_5),
            ] {
                let got = super::erf(x) as f64;
                assert!((got - want).abs() < 5e-7, "erf({x}) = {got}, want {want}");
            }
        }
    }
}
