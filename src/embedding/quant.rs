//! Int8 weights and the one matrix product the model needs: `Y = X · Wᵀ + b` with `W` stored
//! as int8 in blocks of 32 along the input dimension (one f32 scale per block, ggml's Q8_0
//! layout) and `X` quantized the same way on the fly, so the inner loop is integer
//! multiply-adds. 4-bit weights (ggml Q4_0, values −8..7 per block) expand into this layout
//! without loss.
//!
//! The SIMD paths are chosen at run time (`is_x86_feature_detected!`): AVX-512 VNNI where the
//! CPU has it, else AVX2+FMA, else portable Rust. Every path computes the same integer sums;
//! only the order of the final f32 additions differs.

/// Values per block (one scale each).
pub const QK: usize = 32;

/// Output rows one kernel step produces: a 512-bit register of sixteen i32/f32 lanes (two
/// 256-bit ones for AVX2).
pub const ROWS: usize = 16;
/// Bytes of one run of four inputs for the group's rows.
const QUAD: usize = 4 * ROWS;
/// Bytes of one block of a row group: 8 runs of 4 inputs × 16 rows.
const TILE: usize = QK * ROWS;

/// A weight matrix `rows × cols` (PyTorch's `[out, in]`), int8 in blocks of `QK` along a row,
/// packed for the kernels: rows in groups of sixteen, and within a group and block, for each
/// run of four inputs, the four bytes of row 0, then row 1, … — so one broadcast of four
/// activation bytes against one 64-byte load makes four multiply-adds for sixteen rows.
pub struct QMatrix {
    pub rows: usize,
    pub cols: usize,
    /// `groups × blocks × TILE` bytes.
    w: Vec<i8>,
    /// Scales, `groups × blocks × ROWS`.
    d: Vec<f32>,
    /// −128 × the block's sum of weights, `groups × blocks × ROWS` (the VNNI kernel feeds
    /// activations as unsigned bytes offset by 128 and starts from this to cancel it).
    neg_sums: Vec<i32>,
}

impl QMatrix {
    /// Packs row-major int8 values (`rows × cols`) with one scale per block.
    fn pack(q: &[i8], d: &[f32], rows: usize, cols: usize) -> QMatrix {
        let nb = cols / QK;
        let groups = rows.div_ceil(ROWS);
        let mut w = vec![0i8; groups * nb * TILE];
        let mut ds = vec![0f32; groups * nb * ROWS];
        let mut neg_sums = vec![0i32; groups * nb * ROWS];
        for r in 0..rows {
            let (g, lane) = (r / ROWS, r % ROWS);
            for b in 0..nb {
                let block = &q[r * cols + b * QK..][..QK];
                let tile = &mut w[(g * nb + b) * TILE..][..TILE];
                for (quad, four) in block.chunks_exact(4).enumerate() {
                    tile[quad * QUAD + lane * 4..][..4].copy_from_slice(four);
                }
                ds[(g * nb + b) * ROWS + lane] = d[r * nb + b];
                neg_sums[(g * nb + b) * ROWS + lane] =
                    -128 * block.iter().map(|&v| v as i32).sum::<i32>();
            }
        }
        QMatrix {
            rows,
            cols,
            w,
            d: ds,
            neg_sums,
        }
    }

    /// Quantizes f32 weights (row-major `rows × cols`): per block, scale = max|w| / 127 and
    /// round to nearest. `cols` must be a multiple of 32.
    pub fn quantize(w: &[f32], rows: usize, cols: usize) -> QMatrix {
        assert_eq!(w.len(), rows * cols, "weight size");
        assert!(
            cols.is_multiple_of(QK),
            "columns must be a multiple of {QK}"
        );
        let mut q = vec![0i8; rows * cols];
        let mut d = vec![0f32; rows * cols / QK];
        for (b, (src, dst)) in w.chunks_exact(QK).zip(q.chunks_exact_mut(QK)).enumerate() {
            d[b] = quantize_block(src, dst);
        }
        QMatrix::pack(&q, &d, rows, cols)
    }

    /// Expands ggml Q4_0 blocks (f16 scale, then 16 bytes: byte j holds value j in its low
    /// nibble and value j+16 in its high one, each stored +8) — exactly, no rounding.
    pub fn from_q4_0(raw: &[u8], rows: usize, cols: usize) -> anyhow::Result<QMatrix> {
        anyhow::ensure!(
            cols.is_multiple_of(QK),
            "columns must be a multiple of {QK}"
        );
        let blocks = rows * cols / QK;
        anyhow::ensure!(
            raw.len() == blocks * Q4_0_BLOCK_BYTES,
            "a {rows}×{cols} Q4_0 matrix takes {} bytes, not {}",
            blocks * Q4_0_BLOCK_BYTES,
            raw.len()
        );
        let mut q = vec![0i8; rows * cols];
        let mut d = vec![0f32; blocks];
        for (b, (src, dst)) in raw
            .chunks_exact(Q4_0_BLOCK_BYTES)
            .zip(q.chunks_exact_mut(QK))
            .enumerate()
        {
            d[b] = dequantize_q4_0_block(src, |j, v| dst[j] = v as i8);
        }
        Ok(QMatrix::pack(&q, &d, rows, cols))
    }

    /// Row `r` as f32 (for tests and checks).
    pub fn row_into(&self, r: usize, out: &mut [f32]) {
        let nb = self.cols / QK;
        let (g, lane) = (r / ROWS, r % ROWS);
        for b in 0..nb {
            let tile = &self.w[(g * nb + b) * TILE..][..TILE];
            let d = self.d[(g * nb + b) * ROWS + lane];
            for k in 0..QK {
                out[b * QK + k] = tile[(k / 4) * QUAD + lane * 4 + k % 4] as f32 * d;
            }
        }
    }

    /// Bytes held in memory.
    pub fn bytes(&self) -> usize {
        self.w.len() + 4 * (self.d.len() + self.neg_sums.len())
    }

    /// Stacks matrices with the same column count (Q, K and V become one product). Row
    /// counts must be multiples of eight except for the last.
    pub fn concat(parts: Vec<QMatrix>) -> QMatrix {
        let cols = parts[0].cols;
        assert!(parts.iter().all(|p| p.cols == cols), "column counts differ");
        assert!(
            parts[..parts.len() - 1]
                .iter()
                .all(|p| p.rows.is_multiple_of(ROWS)),
            "row counts must be multiples of {ROWS}"
        );
        let rows = parts.iter().map(|p| p.rows).sum();
        let mut out = QMatrix {
            rows,
            cols,
            w: Vec::new(),
            d: Vec::new(),
            neg_sums: Vec::new(),
        };
        for p in parts {
            out.w.extend_from_slice(&p.w);
            out.d.extend_from_slice(&p.d);
            out.neg_sums.extend_from_slice(&p.neg_sums);
        }
        out
    }
}

/// Bytes of one ggml Q4_0 block: an f16 scale and 16 bytes of nibbles.
pub const Q4_0_BLOCK_BYTES: usize = 2 + QK / 2;

/// Calls `put(j, q)` with each of the block's 32 values (−8..7) and returns its scale.
#[inline]
pub fn dequantize_q4_0_block(block: &[u8], mut put: impl FnMut(usize, i32)) -> f32 {
    let d = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
    for (j, &byte) in block[2..2 + QK / 2].iter().enumerate() {
        put(j, (byte & 0x0f) as i32 - 8);
        put(j + QK / 2, (byte >> 4) as i32 - 8);
    }
    d
}

/// IEEE half to single precision (the Q4_0 scales).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let mut e = 127 - 15 + 1;
            let mut m = man;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3ff) << 13)
        }
        (31, _) => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// One block to int8 (−127..127, so negating a value never overflows); returns the scale.
#[inline]
fn quantize_block(src: &[f32], dst: &mut [i8]) -> f32 {
    let amax = src.iter().fold(0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d > 0.0 { 1.0 / d } else { 0.0 };
    for (q, &v) in dst.iter_mut().zip(src) {
        *q = (v * id).round_ties_even().clamp(-127.0, 127.0) as i8;
    }
    d
}

/// Activations `rows × cols` quantized like the weights (buffers reused between products).
/// For the VNNI kernel the bytes are stored offset by 128 (as unsigned).
#[derive(Default)]
pub struct QActs {
    rows: usize,
    cols: usize,
    qs: Vec<i8>,
    d: Vec<f32>,
    offset: bool,
}

impl QActs {
    /// Quantizes `x` (row-major `rows × cols`).
    pub fn quantize(&mut self, x: &[f32], rows: usize, cols: usize) {
        assert_eq!(x.len(), rows * cols, "activation size");
        assert!(
            cols.is_multiple_of(QK),
            "columns must be a multiple of {QK}"
        );
        self.rows = rows;
        self.cols = cols;
        self.qs.resize(rows * cols, 0);
        self.d.resize(rows * cols / QK, 0.0);
        let level = level();
        self.offset = level == Level::Vnni;
        for (b, (src, dst)) in x
            .chunks_exact(QK)
            .zip(self.qs.chunks_exact_mut(QK))
            .enumerate()
        {
            self.d[b] = match level {
                #[cfg(target_arch = "x86_64")]
                Level::Avx2 | Level::Vnni => unsafe { x86::quantize_block_avx2(src, dst) },
                _ => quantize_block(src, dst),
            };
            if self.offset {
                for q in dst.iter_mut() {
                    *q = (*q as u8 ^ 0x80) as i8;
                }
            }
        }
    }
}

/// Which kernels this CPU runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Portable,
    /// AVX2 and FMA.
    Avx2,
    /// AVX-512 (F and VNNI): the int8 dot products in one instruction, sixteen rows at once.
    Vnni,
}

/// The kernels chosen for this CPU (once; `PEERDESK_EMBED_SIMD=avx2|portable` lowers it,
/// for comparisons).
pub fn level() -> Level {
    use std::sync::OnceLock;
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        let cap = match std::env::var("PEERDESK_EMBED_SIMD").as_deref() {
            Ok("portable") => Level::Portable,
            Ok("avx2") => Level::Avx2,
            _ => Level::Vnni,
        };
        let detected = detect();
        match (cap, detected) {
            (Level::Portable, _) | (_, Level::Portable) => Level::Portable,
            (Level::Avx2, _) | (_, Level::Avx2) => Level::Avx2,
            _ => Level::Vnni,
        }
    })
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Level {
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vnni") {
            Level::Vnni
        } else {
            Level::Avx2
        }
    } else {
        Level::Portable
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Level {
    Level::Portable
}

/// Tokens that share each load of weights in the kernels.
const TOKENS: usize = 4;

/// A raw output pointer that workers write disjoint elements through.
#[derive(Clone, Copy)]
struct OutPtr(*mut f32);
// SAFETY: every caller writes disjoint elements (distinct row groups per worker).
unsafe impl Send for OutPtr {}
unsafe impl Sync for OutPtr {}

/// Row groups one kernel call covers when there are enough (a panel of 32 rows): the VNNI
/// kernel then needs one broadcast of activations per two multiply-adds.
const PANEL: usize = 2;

/// What one kernel call works on: `G` consecutive groups of sixteen rows (`w`, `d` and
/// `neg_sums` hold them one after the other) against up to `TOKENS` tokens.
struct Job<'a> {
    w: &'a [i8],
    d: &'a [f32],
    neg_sums: &'a [i32],
    nb: usize,
    /// The tokens' quantized rows and scales.
    x: [&'a [i8]; TOKENS],
    xd: [&'a [f32]; TOKENS],
}

/// Computes `G` row groups for `T` tokens; returns `[token][group·16 + lane]` (the first
/// `G·16` of each row are meaningful).
fn run<const T: usize, const G: usize>(level: Level, job: &Job) -> [[f32; ROWS * PANEL]; T] {
    match level {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `level` only says Vnni/Avx2 when the CPU has those features.
        Level::Vnni => unsafe { x86::groups_vnni::<T, G>(job) },
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => unsafe { x86::groups_avx2::<T, G>(job) },
        _ => groups_portable::<T, G>(job),
    }
}

/// `run` for a tile of `take` tokens.
fn run_tile<const G: usize>(level: Level, job: &Job, take: usize) -> [[f32; ROWS * PANEL]; TOKENS] {
    let mut out = [[0f32; ROWS * PANEL]; TOKENS];
    match take {
        4 => out = run::<4, G>(level, job),
        3 => out[..3].copy_from_slice(&run::<3, G>(level, job)),
        2 => out[..2].copy_from_slice(&run::<2, G>(level, job)),
        _ => out[..1].copy_from_slice(&run::<1, G>(level, job)),
    }
    out
}

/// `out[t·n + r] = bias[r] + Σ_k x[t,k]·w[r,k]` for the row groups in `groups`, all tokens.
fn matmul_groups(
    w: &QMatrix,
    bias: &[f32],
    a: &QActs,
    out: OutPtr,
    groups: std::ops::Range<usize>,
) {
    let level = level();
    let n = w.rows;
    let nb = w.cols / QK;
    assert_eq!(
        a.offset,
        level == Level::Vnni,
        "activations quantized for another kernel"
    );
    let mut g = groups.start;
    while g < groups.end {
        let gs = (groups.end - g).min(PANEL);
        let mut job = Job {
            w: &w.w[g * nb * TILE..(g + gs) * nb * TILE],
            d: &w.d[g * nb * ROWS..(g + gs) * nb * ROWS],
            neg_sums: &w.neg_sums[g * nb * ROWS..(g + gs) * nb * ROWS],
            nb,
            x: [&[]; TOKENS],
            xd: [&[]; TOKENS],
        };
        let lanes = (n - g * ROWS).min(ROWS * gs);
        let bias = &bias[g * ROWS..g * ROWS + lanes];
        let mut t = 0;
        while t < a.rows {
            // Even tiles (9 tokens go 3+3+3, not 4+4+1): a tile of one is the slowest.
            let tiles_left = (a.rows - t).div_ceil(TOKENS);
            let take = (a.rows - t).div_ceil(tiles_left);
            for i in 0..take {
                job.x[i] = &a.qs[(t + i) * w.cols..(t + i + 1) * w.cols];
                job.xd[i] = &a.d[(t + i) * nb..(t + i + 1) * nb];
            }
            let tile = if gs == PANEL {
                run_tile::<PANEL>(level, &job, take)
            } else {
                run_tile::<1>(level, &job, take)
            };
            for (i, row) in tile.iter().enumerate().take(take) {
                // SAFETY: t + i < a.rows and g·16 + lanes ≤ n: inside `out`, and this worker
                // alone writes these groups.
                let dst = unsafe {
                    std::slice::from_raw_parts_mut(out.0.add((t + i) * n + g * ROWS), lanes)
                };
                for ((o, v), b) in dst.iter_mut().zip(row).zip(bias) {
                    *o = v + b;
                }
            }
            t += take;
        }
        g += gs;
    }
}

/// `out = a · wᵀ + bias` (`out` is `a.rows × w.rows`, token-major). With `parallel`, the
/// row groups are split over rayon's pool when the product is big enough to pay for it.
pub fn matmul(w: &QMatrix, bias: &[f32], a: &QActs, out: &mut [f32], parallel: bool) {
    assert_eq!(a.cols, w.cols, "inner dimensions differ");
    assert_eq!(bias.len(), w.rows, "bias size");
    assert_eq!(out.len(), a.rows * w.rows, "output size");
    let ptr = OutPtr(out.as_mut_ptr());
    let groups = w.rows.div_ceil(ROWS);
    let work = a.rows * w.rows * w.cols;
    let threads = rayon::current_num_threads();
    if !parallel || threads < 2 || work < PARALLEL_MIN_WORK {
        matmul_groups(w, bias, a, ptr, 0..groups);
        return;
    }
    // A few chunks per thread, so a worker that is interrupted is covered by the others.
    let chunks = (threads * 2).min(groups);
    let per = groups.div_ceil(chunks);
    use rayon::prelude::*;
    (0..groups.div_ceil(per)).into_par_iter().for_each(|c| {
        let start = c * per;
        matmul_groups(w, bias, a, ptr, start..(start + per).min(groups));
    });
}

/// Multiply-adds below which splitting one product over threads costs more than it saves.
const PARALLEL_MIN_WORK: usize = 1 << 20;

fn groups_portable<const T: usize, const G: usize>(job: &Job) -> [[f32; ROWS * PANEL]; T] {
    let mut out = [[0f32; ROWS * PANEL]; T];
    for g in 0..G {
        for b in 0..job.nb {
            let tile = &job.w[(g * job.nb + b) * TILE..][..TILE];
            let d = &job.d[(g * job.nb + b) * ROWS..][..ROWS];
            for (t, o) in out.iter_mut().enumerate() {
                let x = &job.x[t][b * QK..(b + 1) * QK];
                let mut sums = [0i32; ROWS];
                for quad in 0..QK / 4 {
                    for (lane, s) in sums.iter_mut().enumerate() {
                        for j in 0..4 {
                            *s += tile[quad * QUAD + lane * 4 + j] as i32 * x[quad * 4 + j] as i32;
                        }
                    }
                }
                let dx = job.xd[t][b];
                for (lane, s) in sums.iter().enumerate() {
                    o[g * ROWS + lane] += *s as f32 * d[lane] * dx;
                }
            }
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
// The kernels index several register arrays with one token or group number.
#[allow(clippy::needless_range_loop)]
mod x86 {
    use super::{Job, PANEL, QK, QUAD, ROWS, TILE};
    use std::arch::x86_64::*;

    /// Four activation bytes, as one i32 to broadcast.
    #[inline(always)]
    unsafe fn four(x: &[i8], at: usize) -> i32 {
        debug_assert!(at + 4 <= x.len());
        (x.as_ptr().add(at) as *const i32).read_unaligned()
    }

    /// `G` row groups with AVX2, in halves of eight rows: |w| (unsigned) times the
    /// activation with w's sign, so `maddubs` cannot saturate (2·128·127 < 2¹⁵).
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn groups_avx2<const T: usize, const G: usize>(
        job: &Job,
    ) -> [[f32; ROWS * PANEL]; T] {
        debug_assert!(job.w.len() >= G * job.nb * TILE);
        let ones = _mm256_set1_epi16(1);
        let mut out = [[0f32; ROWS * PANEL]; T];
        for part in 0..2 * G {
            let (g, half) = (part / 2, part % 2);
            let mut acc = [_mm256_setzero_ps(); T];
            let w = job.w.as_ptr().add(g * job.nb * TILE + half * 32);
            let d = job.d.as_ptr().add(g * job.nb * ROWS + half * 8);
            for b in 0..job.nb {
                let mut sums = [_mm256_setzero_si256(); T];
                for quad in 0..QK / 4 {
                    let wv = _mm256_loadu_si256(w.add(b * TILE + quad * QUAD) as *const __m256i);
                    let aw = _mm256_sign_epi8(wv, wv);
                    for t in 0..T {
                        let xv = _mm256_set1_epi32(four(job.x[t], b * QK + quad * 4));
                        let sx = _mm256_sign_epi8(xv, wv);
                        let p = _mm256_madd_epi16(_mm256_maddubs_epi16(aw, sx), ones);
                        sums[t] = _mm256_add_epi32(sums[t], p);
                    }
                }
                let dw = _mm256_loadu_ps(d.add(b * ROWS));
                for t in 0..T {
                    let scale = _mm256_mul_ps(dw, _mm256_set1_ps(*job.xd[t].get_unchecked(b)));
                    acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums[t]), scale, acc[t]);
                }
            }
            for t in 0..T {
                _mm256_storeu_ps(out[t].as_mut_ptr().add(part * 8), acc[t]);
            }
        }
        out
    }

    /// `G` row groups with AVX-512 VNNI: activations come offset to unsigned bytes,
    /// `vpdpbusd` multiplies them by the signed weights and adds four products per lane,
    /// sixteen rows at once; each block starts from −128·Σw to cancel the offset. Every
    /// broadcast of four activation bytes feeds `G` multiply-adds.
    #[target_feature(enable = "avx2,fma,avx512f,avx512vnni")]
    pub unsafe fn groups_vnni<const T: usize, const G: usize>(
        job: &Job,
    ) -> [[f32; ROWS * PANEL]; T] {
        debug_assert!(job.w.len() >= G * job.nb * TILE);
        let nb = job.nb;
        let mut acc = [[_mm512_setzero_ps(); T]; G];
        let w = job.w.as_ptr();
        // With few independent sums, split each over even and odd runs of four inputs:
        // vpdpbusd's latency would otherwise leave it idle.
        let split = G * T < 4;
        for b in 0..nb {
            let mut sums = [[_mm512_setzero_si512(); T]; G];
            let mut odd = [[_mm512_setzero_si512(); T]; G];
            for (g, s) in sums.iter_mut().enumerate() {
                let start =
                    _mm512_loadu_si512(job.neg_sums.as_ptr().add((g * nb + b) * ROWS) as *const _);
                *s = [start; T];
            }
            for quad in 0..QK / 4 {
                let wv: [__m512i; G] = std::array::from_fn(|g| {
                    _mm512_loadu_si512(w.add((g * nb + b) * TILE + quad * QUAD) as *const _)
                });
                for t in 0..T {
                    let xv = _mm512_set1_epi32(four(job.x[t], b * QK + quad * 4));
                    for g in 0..G {
                        if split && quad % 2 == 1 {
                            odd[g][t] = _mm512_dpbusd_epi32(odd[g][t], xv, wv[g]);
                        } else {
                            sums[g][t] = _mm512_dpbusd_epi32(sums[g][t], xv, wv[g]);
                        }
                    }
                }
            }
            for g in 0..G {
                let dw = _mm512_loadu_ps(job.d.as_ptr().add((g * nb + b) * ROWS));
                for t in 0..T {
                    let total = if split {
                        _mm512_add_epi32(sums[g][t], odd[g][t])
                    } else {
                        sums[g][t]
                    };
                    let scale = _mm512_mul_ps(dw, _mm512_set1_ps(*job.xd[t].get_unchecked(b)));
                    acc[g][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(total), scale, acc[g][t]);
                }
            }
        }
        let mut out = [[0f32; ROWS * PANEL]; T];
        for g in 0..G {
            for t in 0..T {
                _mm512_storeu_ps(out[t].as_mut_ptr().add(g * ROWS), acc[g][t]);
            }
        }
        out
    }

    /// `quantize_block` with AVX2 (same rounding: to nearest, ties to even).
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn quantize_block_avx2(src: &[f32], dst: &mut [i8]) -> f32 {
        debug_assert!(src.len() == QK && dst.len() == QK);
        let p = src.as_ptr();
        let v = [
            _mm256_loadu_ps(p),
            _mm256_loadu_ps(p.add(8)),
            _mm256_loadu_ps(p.add(16)),
            _mm256_loadu_ps(p.add(24)),
        ];
        let sign = _mm256_set1_ps(-0.0);
        let mut m = _mm256_andnot_ps(sign, v[0]);
        for x in &v[1..] {
            m = _mm256_max_ps(m, _mm256_andnot_ps(sign, *x));
        }
        let m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        let m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        let m4 = _mm_max_ss(m4, _mm_shuffle_ps(m4, m4, 1));
        let amax = _mm_cvtss_f32(m4);
        let d = amax / 127.0;
        let id = _mm256_set1_ps(if d > 0.0 { 1.0 / d } else { 0.0 });
        let lim = _mm256_set1_ps(127.0);
        let nlim = _mm256_set1_ps(-127.0);
        let q: [__m256i; 4] = std::array::from_fn(|i| {
            let r = _mm256_round_ps(
                _mm256_mul_ps(v[i], id),
                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC,
            );
            _mm256_cvtps_epi32(_mm256_max_ps(nlim, _mm256_min_ps(lim, r)))
        });
        // i32 → i16 → i8 packs interleave 128-bit lanes; the permute puts them back in order.
        let a = _mm256_packs_epi32(q[0], q[1]);
        let b = _mm256_packs_epi32(q[2], q[3]);
        let c = _mm256_packs_epi16(a, b);
        let c = _mm256_permutevar8x32_epi32(c, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256(dst.as_mut_ptr() as *mut __m256i, c);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> f32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
    }

    #[test]
    fn f16_conversion() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
    }

    #[test]
    fn q4_0_expands_exactly() {
        // scale 0.5 (f16 0x3800); nibbles 0x0f / 0x10 -> (15-8, 0-8) and (0-8, 1-8).
        let mut block = vec![0x00, 0x38];
        block.extend((0..16u8).map(|j| if j % 2 == 0 { 0x0f } else { 0x10 }));
        let m = QMatrix::from_q4_0(&block, 1, 32).unwrap();
        let mut row = vec![0f32; 32];
        m.row_into(0, &mut row);
        assert_eq!(row[0], 3.5);
        assert_eq!(row[16], -4.0);
        assert_eq!(row[1], -4.0);
        assert_eq!(row[17], -3.5);
    }

    #[test]
    fn every_kernel_matches_f32() {
        let (m, k, n) = (7, 96, 40);
        let mut seed = 7;
        let w: Vec<f32> = (0..n * k).map(|_| lcg(&mut seed)).collect();
        let x: Vec<f32> = (0..m * k).map(|_| lcg(&mut seed) * 3.0).collect();
        let bias: Vec<f32> = (0..n).map(|i| i as f32 * 0.1).collect();
        let qw = QMatrix::quantize(&w, n, k);
        let mut qa = QActs::default();
        qa.quantize(&x, m, k);
        let mut out = vec![0f32; m * n];
        matmul(&qw, &bias, &qa, &mut out, false);
        // Against the same quantized values in f64: only summation order differs.
        let mut wrow = vec![0f32; k];
        let mut err = 0f64;
        for r in 0..n {
            qw.row_into(r, &mut wrow);
            for t in 0..m {
                let xrow: Vec<f64> = (0..k)
                    .map(|i| {
                        let q = qa.qs[t * k + i];
                        let q = if qa.offset { (q as u8 ^ 0x80) as i8 } else { q };
                        q as f64 * qa.d[t * k / QK + i / QK] as f64
                    })
                    .collect();
                let want: f64 = xrow
                    .iter()
                    .zip(&wrow)
                    .map(|(a, b)| a * *b as f64)
                    .sum::<f64>()
                    + bias[r] as f64;
                let got = out[t * n + r] as f64;
                assert!(
                    (got - want).abs() < 1e-4 * (1.0 + want.abs()),
                    "({t},{r}): {got} vs {want}"
                );
                let exact: f32 = (0..k).map(|i| x[t * k + i] * w[r * k + i]).sum::<f32>() + bias[r];
                err += (got - exact as f64).abs();
            }
        }
        // And close to the f32 product: mean error well under 1 % of a typical magnitude
        // (here about 10).
        let mean = err / (m * n) as f64;
        assert!(mean < 0.05, "mean error {mean}");
        // Every kernel this CPU has gives the same result, for one group and for a panel.
        for lvl in [Level::Portable, Level::Avx2, Level::Vnni] {
            if lvl != Level::Portable && detect() == Level::Portable
                || lvl == Level::Vnni && detect() != Level::Vnni
            {
                continue;
            }
            let nb = k / QK;
            let mut xq = qa.qs.clone();
            // The VNNI kernel reads offset bytes, the others signed ones.
            for v in xq.iter_mut() {
                let signed = if qa.offset {
                    (*v as u8 ^ 0x80) as i8
                } else {
                    *v
                };
                *v = if lvl == Level::Vnni {
                    (signed as u8 ^ 0x80) as i8
                } else {
                    signed
                };
            }
            for t0 in 0..m {
                let take = (m - t0).min(TOKENS);
                for (g, gs) in [(0, 1), (0, 2), (1, 1)] {
                    let mut job = Job {
                        w: &qw.w[g * nb * TILE..(g + gs) * nb * TILE],
                        d: &qw.d[g * nb * ROWS..(g + gs) * nb * ROWS],
                        neg_sums: &qw.neg_sums[g * nb * ROWS..(g + gs) * nb * ROWS],
                        nb,
                        x: [&[]; TOKENS],
                        xd: [&[]; TOKENS],
                    };
                    for i in 0..take {
                        job.x[i] = &xq[(t0 + i) * k..(t0 + i + 1) * k];
                        job.xd[i] = &qa.d[(t0 + i) * nb..(t0 + i + 1) * nb];
                    }
                    let got = if gs == 2 {
                        run_tile::<2>(lvl, &job, take)
                    } else {
                        run_tile::<1>(lvl, &job, take)
                    };
                    for (i, lanes) in got.iter().enumerate().take(take) {
                        for (lane, v) in lanes.iter().enumerate().take(gs * ROWS) {
                            let r = g * ROWS + lane;
                            if r < n {
                                let want = out[(t0 + i) * n + r] - bias[r];
                                assert!((v - want).abs() < 1e-3, "{lvl:?} ({},{r})", t0 + i);
                            }
                        }
                    }
                }
            }
        }
        // Quantizing activations with and without SIMD rounds the same way.
        let mut q = vec![0i8; QK];
        for (b, chunk) in x.chunks_exact(QK).enumerate() {
            let d = quantize_block(chunk, &mut q);
            assert_eq!(d, qa.d[b]);
            let stored: Vec<i8> = qa.qs[b * QK..(b + 1) * QK]
                .iter()
                .map(|&v| if qa.offset { (v as u8 ^ 0x80) as i8 } else { v })
                .collect();
            assert_eq!(q, stored);
        }
    }
}
