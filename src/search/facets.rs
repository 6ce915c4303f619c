//! Facet counts, read from fast-field ordinal columns: type, category, status and tags (string
//! columns) and "answered by staff" (a number column). `scan` feeds it the matches it samples.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The string facet columns, in the order of `FacetFruit::values`.
pub const STR_FACETS: [&str; 4] = ["kind", "category", "status", "tag"];

/// Counts per facet value.
#[derive(Debug, Default)]
pub struct FacetFruit {
    /// For each of `STR_FACETS`: value -> documents.
    pub values: [HashMap<String, u64>; 4],
    /// Documents not answered by staff, and answered by staff.
    pub staff: [u64; 2],
}

pub struct FacetCounter;

pub struct SegmentFacetCounter {
    /// Counts are weights: a sampled document may stand for several (see `add`).
    columns: Vec<(usize, StrColumn, Vec<f64>)>,
    staff: Option<Column<u64>>,
    staff_counts: [f64; 2],
}

impl Collector for FacetCounter {
    type Fruit = FacetFruit;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let ff = reader.fast_fields();
        let mut columns = Vec::new();
        for (i, name) in STR_FACETS.iter().enumerate() {
            if let Some(column) = ff.str(name)? {
                let n = column.num_terms();
                columns.push((i, column, vec![0.0; n]));
            }
        }
        Ok(SegmentFacetCounter {
            columns,
            staff: ff.u64("staff").ok(),
            staff_counts: [0.0; 2],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut total = FacetFruit::default();
        for fruit in fruits {
            for (i, values) in fruit.values.into_iter().enumerate() {
                for (value, n) in values {
                    *total.values[i].entry(value).or_default() += n;
                }
            }
            total.staff[0] += fruit.staff[0];
            total.staff[1] += fruit.staff[1];
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.add(doc, 1.0);
    }

    fn harvest(self) -> FacetFruit {
        let count = |n: f64| n.round() as u64;
        let mut fruit = FacetFruit {
            staff: self.staff_counts.map(count),
            ..Default::default()
        };
        let mut text = String::new();
        for (i, column, counts) in self.columns {
            for (ord, n) in counts.into_iter().enumerate() {
                if count(n) > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                    *fruit.values[i].entry(text.clone()).or_default() += count(n);
                }
            }
        }
        fruit
    }
}

impl SegmentFacetCounter {
    /// Counts `doc`'s facet values as `weight` documents (a sample standing for its part).
    pub fn add(&mut self, doc: DocId, weight: f64) {
        for (_, column, counts) in &mut self.columns {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += weight;
                }
            }
        }
        if let Some(v) = self.staff.as_ref().and_then(|c| c.first(doc)) {
            self.staff_counts[usize::from(v > 0)] += weight;
        }
    }
}

impl FacetFruit {
    /// Multiplies every count by `factor` (an estimate from a sample of the segment).
    pub fn scale(&mut self, factor: f64) {
        let scaled = |n: u64| (n as f64 * factor).round() as u64;
        for values in &mut self.values {
            for n in values.values_mut() {
                *n = scaled(*n);
            }
        }
        for n in &mut self.staff {
            *n = scaled(*n);
        }
    }
}
