//! One pass over every match of a query: the best `k` by score, the exact total, and the facet
//! counts. Scoring every match is what ranking needs anyway; a separate pass to count and to
//! read facet columns cost more than the ranking itself. So facets are read for the first
//! `FACET_SAMPLE` matches (spread over segments by size) and scaled up by the segment's exact
//! match count: beyond that the counts are estimates ("about"). Documents sit in a segment in
//! indexing order, so an estimate leans slightly towards each segment's older documents.

use std::sync::atomic::AtomicU32;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

use super::conjunction::{self, Plan};
use super::facets::{FacetCounter, FacetFruit, SegmentFacetCounter};
use super::topk::{SegmentScan, TopK};

/// Matches whose facet values are read exactly (over all segments) before counts are scaled.
pub const FACET_SAMPLE: u64 = 3_000;

/// What one pass found.
pub struct Scanned {
    /// The best `k` matches, best first (ties: lower address first).
    pub top: Vec<(Score, DocAddress)>,
    /// Every match, counted exactly unless `total_exact` is false (then an estimate).
    pub total: u64,
    pub total_exact: bool,
    pub facets: Option<FacetFruit>,
    /// The facet counts are exact (else scaled from a sample).
    pub facets_exact: bool,
}

/// How the segments are walked: the fast path with its filter, or tantivy's scorers.
enum Path<'p> {
    Fast(&'p Plan, Option<Box<dyn Weight>>),
    Generic(Box<dyn Weight>),
}

/// Scans the segments with the index's search executor (a thread per core: see
/// `store::open_dir`). `plan` is the fast path for the query, when it has one (see
/// `conjunction`); it must match exactly what `query` matches.
pub fn scan(
    searcher: &Searcher,
    query: &dyn Query,
    plan: Option<&Plan>,
    k: usize,
    facets: bool,
) -> tantivy::Result<Scanned> {
    scan_sampling(searcher, query, plan, k, facets, FACET_SAMPLE)
}

/// `scan` with `sample` matches read for facets (tests use small samples).
fn scan_sampling(
    searcher: &Searcher,
    query: &dyn Query,
    plan: Option<&Plan>,
    k: usize,
    facets: bool,
    sample: u64,
) -> tantivy::Result<Scanned> {
    let path = match plan {
        Some(p) => Path::Fast(p, conjunction::filter_weight(p, searcher)?),
        None => Path::Generic(query.weight(EnableScoring::enabled_from_searcher(searcher))?),
    };
    let shared = AtomicU32::new(0);
    let readers = searcher.segment_readers();
    let all_docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let segments = searcher.index().search_executor().map(
        |(ord, reader)| {
            // Each segment's share of the sample, by size (small segments still read a few).
            let share = sample * u64::from(reader.max_doc()) / all_docs.max(1);
            let budget = share.max(sample.min(256));
            let ord = ord as SegmentOrdinal;
            let mut top = TopK::new(k, &shared);
            let mut counter = if facets {
                Some(FacetCounter.for_segment(ord, reader)?)
            } else {
                None
            };
            let found = match &path {
                Path::Fast(p, filter) => conjunction::scan_segment(
                    p,
                    filter.as_deref(),
                    reader,
                    &mut top,
                    counter.as_mut(),
                    budget,
                )?,
                Path::Generic(w) => {
                    scan_generic(w.as_ref(), reader, &mut top, counter.as_mut(), budget)?
                }
            };
            let fruit = counter.map(|c| {
                let mut fruit = c.harvest();
                if found.facet_scale != 1.0 {
                    fruit.scale(found.facet_scale);
                }
                fruit
            });
            Ok((top.into_addresses(ord), found, fruit))
        },
        readers.iter().enumerate(),
    )?;
    let mut top = Vec::new();
    let mut total = 0;
    let mut total_exact = true;
    let mut facets_exact = true;
    let mut fruits = Vec::new();
    for (seg_top, found, fruit) in segments {
        top.extend(seg_top);
        total += found.total;
        total_exact &= found.total_exact;
        facets_exact &= found.facets_exact;
        fruits.extend(fruit);
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    top.truncate(k);
    Ok(Scanned {
        top,
        total,
        total_exact,
        facets: if facets {
            Some(FacetCounter.merge_fruits(fruits)?)
        } else {
            None
        },
        facets_exact,
    })
}

/// Any query, one match at a time through tantivy's scorers: every match is scored and counted,
/// the first `budget` feed the facet counter.
fn scan_generic(
    weight: &dyn Weight,
    reader: &SegmentReader,
    top: &mut TopK,
    mut counter: Option<&mut SegmentFacetCounter>,
    budget: u64,
) -> tantivy::Result<SegmentScan> {
    let alive = reader.alive_bitset();
    let mut scorer = weight.scorer(reader, 1.0)?;
    let mut n = 0u64;
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            n += 1;
            if n <= budget {
                if let Some(c) = counter.as_deref_mut() {
                    c.collect(doc, 0.0);
                }
            }
            top.offer(scorer.score(), doc);
        }
        doc = scorer.advance();
    }
    Ok(SegmentScan {
        total: n,
        total_exact: true,
        facets_exact: n <= budget,
        facet_scale: if n > budget {
            n as f64 / budget as f64
        } else {
            1.0
        },
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
        let s = scan_sampling(&searcher, &q, None, 10, true, 100_000).expect("scan");
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
        let s = scan_sampling(&searcher, &q, None, 5, true, 300).expect("scan");
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
        let shared = AtomicU32::new(0);
        let mut top = TopK::new(2, &shared);
        for (score, doc) in [(1.0, 5), (3.0, 1), (2.0, 2), (3.0, 0)] {
            top.offer(score, doc);
        }
        let mut kept: Vec<u32> = top
            .into_addresses(0)
            .iter()
            .map(|(_, a)| a.doc_id)
            .collect();
        kept.sort_unstable();
        assert_eq!(kept, [0, 1]);
    }
}
