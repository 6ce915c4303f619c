//! The best `k` matches of a segment, shared by both ways of walking one: the generic scan
//! (`scan`) and the fast path for required words and phrases (`conjunction`).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};

use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};

/// A heap entry ordered by score, then by address (lower wins ties, as TopDocs does).
#[derive(PartialEq)]
struct Entry(Score, DocId);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .total_cmp(&other.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

/// The best `k` matches of one segment. Segments share the highest k-th best score any of them
/// has seen (`shared`, f32 bits: scores are never negative, so the bits order like the floats):
/// a match below it cannot reach the overall top `k` either. A match equal to it still may (the
/// lower address wins a tie), so only the segment's own k-th best is a strict bar.
pub struct TopK<'a> {
    heap: BinaryHeap<Reverse<Entry>>,
    k: usize,
    /// This segment's k-th best score (-inf until it has `k`).
    kth: Score,
    /// `shared` as last read (it only grows, so a stale value only lets more through).
    floor: Score,
    shared: &'a AtomicU32,
}

impl<'a> TopK<'a> {
    pub fn new(k: usize, shared: &'a AtomicU32) -> TopK<'a> {
        TopK {
            heap: BinaryHeap::with_capacity(k + 1),
            k,
            kth: Score::NEG_INFINITY,
            floor: f32::from_bits(shared.load(AtomicOrdering::Relaxed)),
            shared,
        }
    }

    /// Whether a match scoring `score` could still be among the best `k`.
    #[inline]
    pub fn could_enter(&self, score: Score) -> bool {
        score > self.kth && score >= self.floor
    }

    /// A score a match must reach to have a chance (for bounds: reaching it is not enough to
    /// enter, falling short of it rules a match out).
    #[inline]
    pub fn bar(&mut self) -> Score {
        self.floor = f32::from_bits(self.shared.load(AtomicOrdering::Relaxed));
        self.kth.max(self.floor)
    }

    #[inline]
    pub fn offer(&mut self, score: Score, doc: DocId) {
        // Most matches lose to the k-th best so far: two float comparisons decide that.
        if !self.could_enter(score) {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Reverse(Entry(score, doc)));
        } else if let Some(mut min) = self.heap.peek_mut() {
            // Replacing the minimum in place sifts once (pop and push sift twice).
            *min = Reverse(Entry(score, doc));
        }
        if self.heap.len() == self.k {
            self.kth = self.heap.peek().map_or(0.0, |Reverse(e)| e.0);
            let before = self
                .shared
                .fetch_max(self.kth.max(0.0).to_bits(), AtomicOrdering::Relaxed);
            self.floor = f32::from_bits(before).max(self.kth);
        }
    }

    pub fn into_addresses(self, ord: SegmentOrdinal) -> Vec<(Score, DocAddress)> {
        self.heap
            .into_iter()
            .map(|Reverse(Entry(score, doc))| (score, DocAddress::new(ord, doc)))
            .collect()
    }
}

/// What one segment found besides its top matches.
pub struct SegmentScan {
    pub total: u64,
    pub total_exact: bool,
    /// Every match's facet values were counted.
    pub facets_exact: bool,
    /// What the facet counts must be multiplied by to stand for every match.
    pub facet_scale: f64,
}
