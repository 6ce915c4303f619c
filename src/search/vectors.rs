//! Thread vectors: the `thread_vectors` rows (one per thread, little-endian f32s, with the
//! model and a hash of the text they were made from) and the in-memory index searched for
//! nearest neighbours. The index holds each vector as int8 with one scale (a quarter of the
//! memory of f32) and as sign bits (48 bytes for 384 dimensions). Small indexes are scanned
//! exactly; large ones first by the Hamming distance of the sign bits (200,000 threads are
//! 9.6 MB: the scan stays in the CPU cache instead of streaming 77 MB from memory), and the
//! closest few hundred are then scored exactly.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::{thread_vectors, threads};
use crate::db::{now, DbConn};
use crate::error::AppResult;

/// Which set a stored vector belongs to (`thread_vectors.role`): each thread has at most one
/// vector per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Made by the model in `[search.semantic] model_dir`, for every visible thread.
    Main,
    /// Made by the German model (`german_model_dir`), for German threads only: the others get
    /// an empty vector in this role (nothing to embed, and not counted as missing).
    German,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Main => "main",
            Role::German => "de",
        }
    }
}

/// What a hit must be to be offered; kept beside each vector so the scan filters without a
/// lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Meta {
    pub solved: bool,
}

/// int8 vectors in one flat array, found by thread id.
#[derive(Default)]
pub struct VectorIndex {
    dims: usize,
    ids: Vec<i64>,
    scales: Vec<f32>,
    meta: Vec<Meta>,
    data: Vec<i8>,
    /// Sign bits of each vector, `words()` u64s apiece.
    bits: Vec<u64>,
    pos: HashMap<i64, usize>,
}

/// From this size on `nearest` scans the sign bits first.
const SKETCH_FROM: usize = 20_000;
/// Candidates the sign-bit scan passes on to exact scoring: at least this many, and 20 per
/// requested result.
const SKETCH_POOL: usize = 1_000;

/// The sign bits of an int8 vector, 64 to a word.
fn sign_bits(q: &[i8]) -> Vec<u64> {
    let mut out = vec![0u64; q.len().div_ceil(64)];
    for (i, &x) in q.iter().enumerate() {
        if x > 0 {
            out[i / 64] |= 1 << (i % 64);
        }
    }
    out
}

/// Hamming distance of `q` to every row of `bits` (rows of `q.len()` words), into `out`.
#[inline(always)]
fn hamming_all(bits: &[u64], q: &[u64], out: &mut Vec<u16>) {
    for row in bits.chunks_exact(q.len()) {
        let d: u32 = row.iter().zip(q).map(|(a, b)| (a ^ b).count_ones()).sum();
        out.push(d as u16);
    }
}

/// `hamming_all` with the POPCNT instruction (plain x86-64 builds count bits in software).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn hamming_all_popcnt(bits: &[u64], q: &[u64], out: &mut Vec<u16>) {
    hamming_all(bits, q, out)
}

fn hamming_fn() -> fn(&[u64], &[u64], &mut Vec<u16>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: only called on a CPU that has POPCNT, checked just above.
        return |b, q, o| unsafe { hamming_all_popcnt(b, q, o) };
    }
    hamming_all
}

/// A vector as int8 and the factor that turns it back (its largest component maps to 127).
pub fn quantize(v: &[f32]) -> (Vec<i8>, f32) {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    if max == 0.0 {
        return (vec![0; v.len()], 0.0);
    }
    let k = 127.0 / max;
    let q = v
        .iter()
        // In range by construction: |x| <= max, so |x * k| <= 127.
        .map(|x| (x * k).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (q, max / 127.0)
}

#[inline]
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    // Written so the compiler vectorises it (widening multiply-add).
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

/// `dot_i8` compiled for AVX2: the release build targets plain x86-64 (SSE2), where the scan
/// of 200,000 vectors takes about twice as long.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_i8_avx2(a: &[i8], b: &[i8]) -> i32 {
    dot_i8(a, b)
}

/// The best `dot_i8` this CPU runs, chosen once per scan.
fn dot_fn() -> fn(&[i8], &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: only called on a CPU that has AVX2, checked just above.
        return |a, b| unsafe { dot_i8_avx2(a, b) };
    }
    dot_i8
}

impl VectorIndex {
    pub fn new(dims: usize) -> VectorIndex {
        VectorIndex {
            dims,
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.pos.contains_key(&id)
    }

    /// Bytes the vectors take (for `/readyz`).
    pub fn bytes(&self) -> usize {
        self.data.len() + self.bits.len() * 8 + self.ids.len() * 16
    }

    fn words(&self) -> usize {
        self.dims.div_ceil(64)
    }

    /// Adds or replaces a thread's vector. A vector of the wrong length is ignored (another
    /// model's).
    pub fn upsert(&mut self, id: i64, v: &[f32], meta: Meta) {
        if v.len() != self.dims {
            return;
        }
        let (q, scale) = quantize(v);
        let bits = sign_bits(&q);
        let w = bits.len();
        match self.pos.get(&id) {
            Some(&i) => {
                self.data[i * self.dims..(i + 1) * self.dims].copy_from_slice(&q);
                self.bits[i * w..(i + 1) * w].copy_from_slice(&bits);
                self.scales[i] = scale;
                self.meta[i] = meta;
            }
            None => {
                self.pos.insert(id, self.ids.len());
                self.ids.push(id);
                self.scales.push(scale);
                self.meta.push(meta);
                self.data.extend_from_slice(&q);
                self.bits.extend_from_slice(&bits);
            }
        }
    }

    /// Changes what is known of a thread without a new vector (solved now, say).
    pub fn set_meta(&mut self, id: i64, meta: Meta) {
        if let Some(&i) = self.pos.get(&id) {
            self.meta[i] = meta;
        }
    }

    pub fn remove(&mut self, id: i64) {
        let Some(i) = self.pos.remove(&id) else {
            return;
        };
        let last = self.ids.len() - 1;
        if i != last {
            let moved = self.ids[last];
            self.ids.swap(i, last);
            self.scales.swap(i, last);
            self.meta.swap(i, last);
            let d = self.dims;
            let (head, tail) = self.data.split_at_mut(last * d);
            head[i * d..(i + 1) * d].copy_from_slice(&tail[..d]);
            let w = self.words();
            let (head, tail) = self.bits.split_at_mut(last * w);
            head[i * w..(i + 1) * w].copy_from_slice(&tail[..w]);
            self.pos.insert(moved, i);
        }
        self.ids.pop();
        self.scales.pop();
        self.meta.pop();
        self.data.truncate(last * self.dims);
        self.bits.truncate(last * self.words());
    }

    /// A thread's vector as stored (dequantised), if it has one: "more like this thread"
    /// needs no inference.
    pub fn vector(&self, id: i64) -> Option<Vec<f32>> {
        let &i = self.pos.get(&id)?;
        let s = self.scales[i];
        Some(
            self.data[i * self.dims..(i + 1) * self.dims]
                .iter()
                .map(|&x| f32::from(x) * s)
                .collect(),
        )
    }

    /// Cosine similarity of `query` (a unit vector) and the thread's vector, if it has one.
    pub fn score(&self, id: i64, query: &[f32]) -> Option<f32> {
        let &i = self.pos.get(&id)?;
        if query.len() != self.dims {
            return None;
        }
        let v = &self.data[i * self.dims..(i + 1) * self.dims];
        let s = self.scales[i];
        Some(
            v.iter()
                .zip(query)
                .map(|(&x, q)| f32::from(x) * s * q)
                .sum(),
        )
    }

    /// The `k` threads closest to `query` (a unit vector) among those `accept` lets through,
    /// best first, with their cosine similarity. Exact below `SKETCH_FROM` vectors; above, the
    /// `SKETCH_POOL` (or 20 × k) closest by sign bits are scored exactly.
    pub fn nearest(
        &self,
        query: &[f32],
        k: usize,
        accept: &(dyn Fn(Meta) -> bool + Sync),
    ) -> Vec<(i64, f32)> {
        if query.len() != self.dims || k == 0 || self.ids.is_empty() {
            return Vec::new();
        }
        let (q, q_scale) = quantize(query);
        let dot = dot_fn();
        let score = |i: usize| {
            dot(&q, &self.data[i * self.dims..(i + 1) * self.dims]) as f32
                * self.scales[i]
                * q_scale
        };
        let mut scored: Vec<(f32, usize)> = if self.ids.len() < SKETCH_FROM {
            (0..self.ids.len())
                .filter(|&i| accept(self.meta[i]))
                .map(|i| (score(i), i))
                .collect()
        } else {
            self.closest_by_bits(&sign_bits(&q), SKETCH_POOL.max(k * 20), accept)
                .into_iter()
                .map(|i| (score(i), i))
                .collect()
        };
        let k = k.min(scored.len());
        if k == 0 {
            return Vec::new();
        }
        scored.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0));
        scored.truncate(k);
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().map(|(s, i)| (self.ids[i], s)).collect()
    }

    /// Positions of the about `pool` accepted vectors whose sign bits are closest to `q`.
    fn closest_by_bits(
        &self,
        q: &[u64],
        pool: usize,
        accept: &(dyn Fn(Meta) -> bool + Sync),
    ) -> Vec<usize> {
        let mut dist = Vec::with_capacity(self.ids.len());
        hamming_fn()(&self.bits, q, &mut dist);
        // A histogram of the distances finds the cut without sorting 200,000 of them.
        let mut count = vec![0usize; self.dims + 1];
        for (i, &d) in dist.iter().enumerate() {
            if accept(self.meta[i]) {
                count[usize::from(d).min(self.dims)] += 1;
            }
        }
        let (mut cut, mut below) = (0, 0);
        while cut < self.dims && below + count[cut] < pool {
            below += count[cut];
            cut += 1;
        }
        // All closer than the cut, and at the cut as many as the pool still takes.
        let mut at_cut = pool.saturating_sub(below);
        let mut out = Vec::with_capacity(pool);
        for (i, &d) in dist.iter().enumerate() {
            let d = usize::from(d).min(self.dims);
            if d > cut || !accept(self.meta[i]) {
                continue;
            }
            if d == cut {
                if at_cut == 0 {
                    continue;
                }
                at_cut -= 1;
            }
            out.push(i);
        }
        out
    }
}

pub fn to_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn from_bytes(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// The model and text hash stored for each of `ids` that has a vector in `role`.
pub fn stored_hashes(
    conn: &mut DbConn,
    role: Role,
    ids: &[i64],
) -> AppResult<HashMap<i64, (String, String)>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, String, String)> = thread_vectors::table
            .filter(thread_vectors::thread_id.eq_any(chunk))
            .filter(thread_vectors::role.eq(role.as_str()))
            .select((
                thread_vectors::thread_id,
                thread_vectors::model,
                thread_vectors::text_hash,
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, m, h)| (id, (m, h))));
    }
    Ok(out)
}

/// The stored vectors of `ids` made by `model` in `role`.
pub fn load_vectors(
    conn: &mut DbConn,
    role: Role,
    model: &str,
    ids: &[i64],
) -> AppResult<Vec<(i64, Vec<f32>)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, Vec<u8>)> = thread_vectors::table
            .filter(thread_vectors::thread_id.eq_any(chunk))
            .filter(thread_vectors::role.eq(role.as_str()))
            .filter(thread_vectors::model.eq(model))
            .select((thread_vectors::thread_id, thread_vectors::vector))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, b)| (id, from_bytes(&b))));
    }
    Ok(out)
}

/// A stored vector with what the scan filters on.
pub struct StoredVector {
    pub thread_id: i64,
    pub vector: Vec<f32>,
    pub meta: Meta,
}

/// One page of `model`'s vectors in thread order (for loading the index at start).
pub fn vector_page(
    conn: &mut DbConn,
    role: Role,
    model: &str,
    after: i64,
    limit: i64,
) -> AppResult<Vec<StoredVector>> {
    let rows: Vec<(i64, Vec<u8>, String, Option<i64>)> = thread_vectors::table
        .inner_join(threads::table)
        .filter(thread_vectors::role.eq(role.as_str()))
        .filter(thread_vectors::model.eq(model))
        .filter(thread_vectors::thread_id.gt(after))
        .order(thread_vectors::thread_id.asc())
        .limit(limit)
        .select((
            thread_vectors::thread_id,
            thread_vectors::vector,
            threads::status,
            threads::accepted_post_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, b, status, accepted)| StoredVector {
            thread_id: id,
            vector: from_bytes(&b),
            meta: Meta {
                solved: status == crate::threads::Status::Solved.as_str() || accepted.is_some(),
            },
        })
        .collect())
}

/// A vector to store.
pub struct NewVector<'a> {
    pub thread_id: i64,
    pub text_hash: &'a str,
    pub vector: &'a [f32],
}

/// Stores vectors in `role` (replacing each thread's previous one there).
pub fn save(conn: &mut DbConn, role: Role, model: &str, rows: &[NewVector]) -> AppResult<()> {
    let at = now();
    for r in rows {
        diesel::delete(thread_vectors::table.find((r.thread_id, role.as_str()))).execute(conn)?;
        diesel::insert_into(thread_vectors::table)
            .values((
                thread_vectors::thread_id.eq(r.thread_id),
                thread_vectors::role.eq(role.as_str()),
                thread_vectors::model.eq(model),
                thread_vectors::text_hash.eq(r.text_hash),
                thread_vectors::vector.eq(to_bytes(r.vector)),
                thread_vectors::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Visible threads after `after` with no vector of `model` in `role`, in id order (what the
/// embedder fills in when idle, and `peerdesk embed` computes).
pub fn missing(
    conn: &mut DbConn,
    role: Role,
    model: &str,
    after: i64,
    limit: i64,
) -> AppResult<Vec<i64>> {
    let have = thread_vectors::table
        .filter(thread_vectors::role.eq(role.as_str()))
        .filter(thread_vectors::model.eq(model))
        .select(thread_vectors::thread_id);
    Ok(threads::table
        .filter(threads::id.gt(after))
        .filter(threads::state.eq("visible"))
        .filter(threads::id.ne_all(have))
        .order(threads::id.asc())
        .limit(limit)
        .select(threads::id)
        .load(conn)?)
}

/// How many visible threads have no vector of `model` in `role`.
pub fn missing_count(conn: &mut DbConn, role: Role, model: &str) -> AppResult<i64> {
    let have = thread_vectors::table
        .filter(thread_vectors::role.eq(role.as_str()))
        .filter(thread_vectors::model.eq(model))
        .select(thread_vectors::thread_id);
    Ok(threads::table
        .filter(threads::state.eq("visible"))
        .filter(threads::id.ne_all(have))
        .count()
        .get_result(conn)?)
}

/// Every visible thread after `after`, in id order (`peerdesk embed --all`).
pub fn visible_after(conn: &mut DbConn, after: i64, limit: i64) -> AppResult<Vec<i64>> {
    Ok(threads::table
        .filter(threads::id.gt(after))
        .filter(threads::state.eq("visible"))
        .order(threads::id.asc())
        .limit(limit)
        .select(threads::id)
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn nearest_ranks_by_cosine_filters_and_forgets_removed_vectors() {
        let mut index = VectorIndex::new(3);
        let solved = Meta { solved: true };
        index.upsert(1, &unit(&[1.0, 0.0, 0.0]), solved);
        index.upsert(2, &unit(&[0.9, 0.1, 0.0]), solved);
        index.upsert(3, &unit(&[0.0, 1.0, 0.0]), Meta::default());
        index.upsert(4, &unit(&[0.7, 0.7, 0.0]), solved);
        let q = unit(&[1.0, 0.05, 0.0]);
        let all = index.nearest(&q, 10, &|_| true);
        assert_eq!(all.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 2, 4, 3]);
        assert!(
            (all[0].1 - 0.9988).abs() < 0.01,
            "cosine kept: {}",
            all[0].1
        );
        let only_solved = index.nearest(&q, 10, &|m| m.solved);
        assert_eq!(only_solved.len(), 3);
        index.remove(1);
        index.upsert(2, &unit(&[0.0, 0.0, 1.0]), solved);
        let after = index.nearest(&q, 2, &|_| true);
        assert_eq!(after.iter().map(|h| h.0).collect::<Vec<_>>(), [4, 3]);
        assert_eq!(index.len(), 3);
        assert!(!index.contains(1));
    }

    /// A deterministic cloud of unit vectors in clusters, like sentence embeddings.
    fn cloud(n: usize, dims: usize) -> Vec<Vec<f32>> {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        };
        let centres: Vec<Vec<f32>> = (0..50)
            .map(|_| (0..dims).map(|_| next()).collect())
            .collect();
        (0..n)
            .map(|i| {
                let c = &centres[i % centres.len()];
                unit(&c.iter().map(|x| x + 0.8 * next()).collect::<Vec<_>>())
            })
            .collect()
    }

    #[test]
    fn the_sign_bit_scan_finds_what_the_exact_scan_finds() {
        let dims = 384;
        let vectors = cloud(SKETCH_FROM + 5_000, dims);
        let mut index = VectorIndex::new(dims);
        for (i, v) in vectors.iter().enumerate() {
            index.upsert(i as i64, v, Meta { solved: i % 3 != 0 });
        }
        index.remove(17);
        let (mut found, mut wanted) = (0, 0);
        for q in vectors.iter().step_by(997).take(20) {
            let fast = index.nearest(q, 10, &|m| m.solved);
            // The exact answer: every accepted vector scored.
            let (qq, qs) = quantize(q);
            let mut exact: Vec<(f32, i64)> = (0..index.ids.len())
                .filter(|&i| index.meta[i].solved)
                .map(|i| {
                    let row = &index.data[i * dims..(i + 1) * dims];
                    (dot_i8(&qq, row) as f32 * index.scales[i] * qs, index.ids[i])
                })
                .collect();
            exact.sort_by(|a, b| b.0.total_cmp(&a.0));
            let exact: Vec<i64> = exact.iter().take(10).map(|e| e.1).collect();
            assert!(fast.iter().all(|h| h.0 != 17 && (h.0 % 3) != 0));
            assert!(fast.windows(2).all(|w| w[0].1 >= w[1].1), "best first");
            found += fast.iter().filter(|h| exact.contains(&h.0)).count();
            wanted += exact.len();
        }
        assert!(
            found as f64 >= 0.95 * wanted as f64,
            "recall@10 of the sign-bit scan: {found}/{wanted}"
        );
    }

    #[test]
    fn int8_keeps_the_order_of_close_scores() {
        let a = unit(&[0.3, 0.2, 0.9, 0.1]);
        let (q, s) = quantize(&a);
        let back: Vec<f32> = q.iter().map(|&x| f32::from(x) * s).collect();
        let err: f32 = a.iter().zip(&back).map(|(x, y)| (x - y).abs()).sum();
        assert!(err < 0.02, "{err}");
    }
}
