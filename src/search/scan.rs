//! One pass over every match of a query: the best `k` by score, the exact total, and the facet
//! counts. Scoring every match is what ranking needs anyway; a separate pass to count and to
//! read facet columns cost more than the ranking itself. So facets are read for the first
//! `FACET_SAMPLE` matches (spread over segments by size) and scaled up by the segment's exact
//! match count: beyond that the counts are estimates ("about"). Documents sit in a segment in
//! indexing order, so an estimate leans slightly towards each segment's older documents.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocSet, Score, Searcher, SegmentOrdinal, TERMINATED};

use super::facets::{FacetCounter, FacetFruit};

/// Matches whose facet values are read exactly (over all segments) before counts are scaled.
pub const FACET_SAMPLE: u64 = 3_000;

/// What one pass found.
pub struct Scanned {
    /// The best `k` matches, best first (ties: lower address first).
    pub top: Vec<(Score, DocAddress)>,
    /// Every match, counted exactly.
    pub total: u64,
    pub facets: Option<FacetFruit>,
    /// The facet counts are exact (else scaled from a sample).
    pub facets_exact: bool,
}

/// A heap entry ordered by score, then by address (lower wins ties, as TopDocs does).
#[derive(PartialEq)]
struct Entry(Score, DocAddress);

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

/// What one segment found.
struct SegmentScan {
    top: Vec<(Score, DocAddress)>,
    total: u64,
    facets: Option<FacetFruit>,
    exact: bool,
}

/// Scans the segments with the index's search executor (one thread by default: a second thread
/// per query gained little on two cores and costs throughput under load).
pub fn scan(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
    facets: bool,
) -> tantivy::Result<Scanned> {
    scan_sampling(searcher, query, k, facets, FACET_SAMPLE)
}

/// `scan` with `sample` matches read for facets (tests use small samples).
fn scan_sampling(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
    facets: bool,
    sample: u64,
) -> tantivy::Result<Scanned> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let readers = searcher.segment_readers();
    let all_docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let segments = searcher.index().search_executor().map(
        |(ord, reader)| {
            // Each segment's share of the sample, by size (small segments still read a few).
            let share = sample * u64::from(reader.max_doc()) / all_docs.max(1);
            let budget = share.max(sample.min(256));
            scan_segment(
                weight.as_ref(),
                ord as SegmentOrdinal,
                reader,
                k,
                facets,
                budget,
            )
        },
        readers.iter().enumerate(),
    )?;
    let mut top = Vec::new();
    let mut total = 0;
    let mut exact = true;
    let mut fruits = Vec::new();
    for s in segments {
        top.extend(s.top);
        total += s.total;
        exact &= s.exact;
        fruits.extend(s.facets);
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    top.truncate(k);
    Ok(Scanned {
        top,
        total,
        facets: if facets {
            Some(FacetCounter.merge_fruits(fruits)?)
        } else {
            None
        },
        facets_exact: exact,
    })
}

fn scan_segment(
    weight: &dyn tantivy::query::Weight,
    ord: SegmentOrdinal,
    reader: &tantivy::SegmentReader,
    k: usize,
    facets: bool,
    budget: u64,
) -> tantivy::Result<SegmentScan> {
    let mut heap: BinaryHeap<Reverse<Entry>> = BinaryHeap::with_capacity(k + 1);
    let mut counter = if facets {
        Some(FacetCounter.for_segment(ord, reader)?)
    } else {
        None
    };
    let alive = reader.alive_bitset();
    let mut scorer = weight.scorer(reader, 1.0)?;
    let mut n = 0u64;
    let mut threshold = Score::NEG_INFINITY;
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            n += 1;
            if n <= budget {
                if let Some(c) = counter.as_mut() {
                    c.collect(doc, 0.0);
                }
            }
            let score = scorer.score();
            // Most matches lose to the k-th best so far: one float comparison decides that.
            if score > threshold || heap.len() < k {
                if heap.len() < k {
                    heap.push(Reverse(Entry(score, DocAddress::new(ord, doc))));
                } else if let Some(mut min) = heap.peek_mut() {
                    // Replacing the minimum in place sifts once (pop and push sift twice).
                    *min = Reverse(Entry(score, DocAddress::new(ord, doc)));
                }
                if heap.len() == k {
                    threshold = heap.peek().map_or(Score::NEG_INFINITY, |Reverse(e)| e.0);
                }
            }
        }
        doc = scorer.advance();
    }
    let mut exact = true;
    let facets = counter.map(|c| {
        let mut fruit = c.harvest();
        if n > budget {
            exact = false;
            fruit.scale(n as f64 / budget as f64);
        }
        fruit
    });
    Ok(SegmentScan {
        top: heap
            .into_iter()
            .map(|Reverse(Entry(score, addr))| (score, addr))
            .collect(),
        total: n,
        facets,
        exact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, FAST, STRING, TEXT};
    use tantivy::{doc, Index, Term};

    /// 3,000 documents: every one has "router", a third also "vpn"; categories a, b, c in turn.
    fn index() -> (Index, tantivy::schema::Field) {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let category = b.add_text_field("category", STRING | FAST);
        let index = Index::create_in_ram(b.build());
        let mut w = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for i in 0..3000 {
            let text = if i % 3 == 0 { "router vpn" } else { "router" };
            let cat = ["a", "b", "c"][i % 3];
            w.add_document(doc!(body => text, category => cat))
                .expect("add");
            if i % 1000 == 999 {
                w.commit().expect("commit");
            }
        }
        w.commit().expect("commit");
        (index, body)
    }

    #[test]
    fn counts_exactly_and_ranks_like_top_docs() {
        let (index, body) = index();
        let searcher = index.reader().expect("reader").searcher();
        let q = TermQuery::new(
            Term::from_field_text(body, "vpn"),
            IndexRecordOption::WithFreqs,
        );
        let s = scan_sampling(&searcher, &q, 10, true, 100_000).expect("scan");
        assert_eq!(s.total, searcher.search(&q, &Count).expect("count") as u64);
        assert_eq!(s.total, 1000);
        assert!(s.facets_exact);
        let facets = s.facets.expect("facets");
        assert_eq!(facets.values[1].get("a"), Some(&1000));
        let expected = searcher.search(&q, &TopDocs::with_limit(10)).expect("top");
        let got: Vec<_> = s.top.iter().map(|(_, a)| *a).collect();
        let want: Vec<_> = expected.iter().map(|(_, a)| *a).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn estimates_facets_from_a_sample_but_counts_every_match() {
        let (index, body) = index();
        let searcher = index.reader().expect("reader").searcher();
        let q = TermQuery::new(
            Term::from_field_text(body, "router"),
            IndexRecordOption::WithFreqs,
        );
        let s = scan_sampling(&searcher, &q, 5, true, 300).expect("scan");
        assert_eq!(s.total, 3000, "the total stays exact");
        assert!(!s.facets_exact);
        let facets = s.facets.expect("facets");
        for cat in ["a", "b", "c"] {
            let n = *facets.values[1].get(cat).expect("category counted");
            assert!((900..=1100).contains(&n), "{cat}: {n} should be about 1000");
        }
        assert_eq!(s.top.len(), 5);
    }

    #[test]
    fn heap_keeps_the_best_and_breaks_ties_by_address() {
        let mut heap: BinaryHeap<Reverse<Entry>> = BinaryHeap::new();
        for (score, doc) in [(1.0, 5), (3.0, 1), (2.0, 2), (3.0, 0)] {
            heap.push(Reverse(Entry(score, DocAddress::new(0, doc))));
            if heap.len() > 2 {
                heap.pop();
            }
        }
        let mut kept: Vec<u32> = heap.into_iter().map(|Reverse(e)| e.1.doc_id).collect();
        kept.sort_unstable();
        assert_eq!(kept, [0, 1]);
    }
}
