//! Thread vectors: the `thread_vectors` rows (one per thread, little-endian f32s, with the
//! model and a hash of the text they were made from) and the in-memory index searched for
//! nearest neighbours. The index holds each vector as int8 with one scale (a quarter of the
//! memory of f32, and an exact scan of 200,000 threads stays within a few milliseconds).

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::{thread_vectors, threads};
use crate::db::{now, DbConn};
use crate::error::AppResult;

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
    pos: HashMap<i64, usize>,
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

fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    // Written so the compiler vectorises it (widening multiply-add).
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
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
        self.data.len() + self.ids.len() * 16
    }

    /// Adds or replaces a thread's vector. A vector of the wrong length is ignored (another
    /// model's).
    pub fn upsert(&mut self, id: i64, v: &[f32], meta: Meta) {
        if v.len() != self.dims {
            return;
        }
        let (q, scale) = quantize(v);
        match self.pos.get(&id) {
            Some(&i) => {
                self.data[i * self.dims..(i + 1) * self.dims].copy_from_slice(&q);
                self.scales[i] = scale;
                self.meta[i] = meta;
            }
            None => {
                self.pos.insert(id, self.ids.len());
                self.ids.push(id);
                self.scales.push(scale);
                self.meta.push(meta);
                self.data.extend_from_slice(&q);
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
            self.pos.insert(moved, i);
        }
        self.ids.pop();
        self.scales.pop();
        self.meta.pop();
        self.data.truncate(last * self.dims);
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
    /// best first, with their cosine similarity. An exact scan, split over the cores for
    /// large indexes.
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
        let n = self.ids.len();
        let scan = |from: usize, to: usize| -> Vec<(f32, usize)> {
            let mut top: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
            let mut floor = f32::MIN;
            for i in from..to {
                if !accept(self.meta[i]) {
                    continue;
                }
                let raw = dot_i8(&q, &self.data[i * self.dims..(i + 1) * self.dims]);
                let score = raw as f32 * self.scales[i] * q_scale;
                if top.len() < k || score > floor {
                    let at = top.partition_point(|(s, _)| *s >= score);
                    top.insert(at, (score, i));
                    top.truncate(k);
                    if top.len() == k {
                        floor = top[k - 1].0;
                    }
                }
            }
            top
        };
        // Below this a second thread costs more than it saves.
        const SPLIT_AT: usize = 20_000;
        let parts = if n >= SPLIT_AT {
            std::thread::available_parallelism()
                .map(|p| p.get())
                .unwrap_or(1)
                .clamp(1, 4)
        } else {
            1
        };
        let mut all: Vec<(f32, usize)> = if parts == 1 {
            scan(0, n)
        } else {
            let chunk = n.div_ceil(parts);
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..parts)
                    .map(|p| {
                        let scan = &scan;
                        s.spawn(move || scan(p * chunk, ((p + 1) * chunk).min(n)))
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            })
        };
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        all.truncate(k);
        all.into_iter().map(|(s, i)| (self.ids[i], s)).collect()
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

/// The model and text hash stored for each of `ids` that has a vector.
pub fn stored_hashes(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, (String, String)>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, String, String)> = thread_vectors::table
            .filter(thread_vectors::thread_id.eq_any(chunk))
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

/// The stored vectors of `ids` made by `model`.
pub fn load_vectors(
    conn: &mut DbConn,
    model: &str,
    ids: &[i64],
) -> AppResult<Vec<(i64, Vec<f32>)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, Vec<u8>)> = thread_vectors::table
            .filter(thread_vectors::thread_id.eq_any(chunk))
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
    model: &str,
    after: i64,
    limit: i64,
) -> AppResult<Vec<StoredVector>> {
    let rows: Vec<(i64, Vec<u8>, String, Option<i64>)> = thread_vectors::table
        .inner_join(threads::table)
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

/// Stores vectors (replacing each thread's previous one).
pub fn save(conn: &mut DbConn, model: &str, rows: &[NewVector]) -> AppResult<()> {
    let at = now();
    for r in rows {
        diesel::delete(thread_vectors::table.find(r.thread_id)).execute(conn)?;
        diesel::insert_into(thread_vectors::table)
            .values((
                thread_vectors::thread_id.eq(r.thread_id),
                thread_vectors::model.eq(model),
                thread_vectors::text_hash.eq(r.text_hash),
                thread_vectors::vector.eq(to_bytes(r.vector)),
                thread_vectors::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Visible threads after `after` with no vector of `model`, in id order (what the embedder
/// fills in when idle, and `peerdesk embed` computes).
pub fn missing(conn: &mut DbConn, model: &str, after: i64, limit: i64) -> AppResult<Vec<i64>> {
    let have = thread_vectors::table
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

/// How many visible threads have no vector of `model`.
pub fn missing_count(conn: &mut DbConn, model: &str) -> AppResult<i64> {
    let have = thread_vectors::table
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

    #[test]
    fn int8_keeps_the_order_of_close_scores() {
        let a = unit(&[0.3, 0.2, 0.9, 0.1]);
        let (q, s) = quantize(&a);
        let back: Vec<f32> = q.iter().map(|&x| f32::from(x) * s).collect();
        let err: f32 = a.iter().zip(&back).map(|(x, y)| (x - y).abs()).sum();
        assert!(err < 0.02, "{err}");
    }
}
