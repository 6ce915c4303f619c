//! The fast path for the common query: every word and every phrase required, matched in one
//! language's field (a document is in one language, so each language is its own conjunction).
//!
//! It walks the terms' posting blocks directly: the rarest term leads and the others follow
//! with forward-only cursors, then each candidate is scored with the same BM25 weights tantivy's
//! term and phrase queries use, so the ranking equals the generic path's (`scan::scan_generic`).
//! The generic path, a tree of boxed scorers seeking one document at a time, spent most of a
//! two-word query in those seeks.
//!
//! Phrases need positions, the dearest thing to read. Each segment is cut into `STRATA` equal
//! document ranges; in each, the first matches are verified and counted exactly (and feed the
//! facet sample). Past that, a candidate's positions are read only if its best possible score
//! — the phrase weight at the lowest frequency of the phrase's words, which bounds the phrase's
//! own frequency — could still reach the top candidates; the range's total is then estimated
//! from the part counted exactly. Word-only queries are always counted exactly: checking a word
//! candidate costs no more than scoring it.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Query, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::facets::SegmentFacetCounter;
use super::topk::{SegmentScan, TopK};

/// Document ranges a segment is cut into for sampling (see the module docs).
const STRATA: u32 = 4;

/// A query the fast path can run: required words and phrases, plus a filter (facet filters and
/// `-excluded` words) that decides membership without adding to the score.
pub struct Plan {
    pub langs: Vec<LangPlan>,
    pub filter: Option<Box<dyn Query>>,
}

/// The query in one language's matching field.
pub struct LangPlan {
    pub field: Field,
    /// Single-term words with their BM25 weight.
    pub words: Vec<(Term, Bm25Weight)>,
    pub phrases: Vec<PhrasePlan>,
}

/// A phrase: terms with their positions in the phrase (stop words leave gaps).
pub struct PhrasePlan {
    pub terms: Vec<(u32, Term)>,
    /// BM25 weight of the whole phrase (idf summed over its terms, as tantivy's phrase query).
    pub weight: Bm25Weight,
}

impl PhrasePlan {
    pub fn new(searcher: &Searcher, mut terms: Vec<(u32, Term)>) -> tantivy::Result<PhrasePlan> {
        // Only the offsets relative to each other matter (a leading stop word leaves a gap
        // before the first term, not a required word), as in tantivy's phrase query.
        let first = terms.iter().map(|(o, _)| *o).min().unwrap_or(0);
        for (o, _) in &mut terms {
            *o -= first;
        }
        let just_terms: Vec<Term> = terms.iter().map(|(_, t)| t.clone()).collect();
        let weight = Bm25Weight::for_terms(searcher, &just_terms)?;
        Ok(PhrasePlan { terms, weight })
    }
}

/// A forward-only cursor over one term's posting list, a decoded block at a time.
struct Cursor {
    block: BlockSegmentPostings,
    idx: usize,
    done: bool,
}

impl Cursor {
    fn open(reader: &SegmentReader, term: &Term) -> tantivy::Result<Option<Cursor>> {
        let inverted = reader.inverted_index(term.field())?;
        Ok(inverted
            .read_block_postings(term, IndexRecordOption::WithFreqs)?
            .map(|block| {
                let done = block.docs().is_empty();
                Cursor {
                    block,
                    idx: 0,
                    done,
                }
            }))
    }

    #[inline]
    fn term_freq(&self) -> u32 {
        self.block.freqs()[self.idx]
    }

    /// Moves to the first document at or after `target`.
    fn seek(&mut self, target: DocId) -> DocId {
        if self.done {
            return TERMINATED;
        }
        let docs = self.block.docs();
        if docs[self.idx] >= target {
            return docs[self.idx];
        }
        if docs[docs.len() - 1] < target {
            // The skip list finds the block that may hold `target`; only that one is decoded.
            self.block.seek(target);
            self.idx = 0;
            let docs = self.block.docs();
            if docs.is_empty() || docs[docs.len() - 1] < target {
                self.done = true;
                return TERMINATED;
            }
            if docs[0] >= target {
                return docs[0];
            }
        }
        let docs = self.block.docs();
        // Lists of similar density meet again within a few documents: look there first.
        for _ in 0..4 {
            self.idx += 1;
            if docs[self.idx] >= target {
                return docs[self.idx];
            }
        }
        self.idx += docs[self.idx..].partition_point(|d| *d < target);
        docs[self.idx]
    }
}

/// A term of the conjunction besides the lead (the rarest term, walked block by block).
enum Member {
    Lead,
    /// Term frequencies by document: a dense array costs one pass over the list to fill and
    /// one load per candidate, cheaper than seeking when the list is not much longer than the
    /// lead's.
    Dense(Vec<u16>),
    /// Much longer than the lead's list: seek in it, decoding only the blocks candidates fall in.
    Sparse(Box<Cursor>),
}

/// A list at most this many times longer than the lead's is made dense.
const DENSE_RATIO: u32 = 32;

/// Picks the rarest term to lead and turns the others into members.
fn members(mut cursors: Vec<Cursor>, max_doc: DocId) -> (Cursor, Vec<Member>) {
    let lead = (0..cursors.len())
        .min_by_key(|i| cursors[*i].block.doc_freq())
        .unwrap_or(0);
    let lead_freq = cursors[lead].block.doc_freq();
    let lead_cursor = cursors.swap_remove(lead);
    let mut members: Vec<Member> = cursors
        .into_iter()
        .map(|c| {
            if c.block.doc_freq() <= lead_freq.saturating_mul(DENSE_RATIO) {
                Member::Dense(dense(c.block, max_doc))
            } else {
                Member::Sparse(Box::new(c))
            }
        })
        .collect();
    // swap_remove moved the last cursor into the lead's place: put it back at the end.
    members.push(Member::Lead);
    let last = members.len() - 1;
    members.swap(lead, last);
    (lead_cursor, members)
}

/// A posting list as term frequencies by document. They saturate at 65,535 occurrences of a
/// word in one document, far past where BM25 stops telling frequencies apart.
fn dense(mut block: BlockSegmentPostings, max_doc: DocId) -> Vec<u16> {
    let mut tf = vec![0u16; max_doc as usize];
    while !block.docs().is_empty() {
        for (doc, freq) in block.docs().iter().zip(block.freqs()) {
            tf[*doc as usize] = (*freq).min(u32::from(u16::MAX)) as u16;
        }
        block.advance();
    }
    tf
}

/// A phrase in one segment: a cursor per term for frequencies (part of the conjunction) and a
/// positions reader per term for verification.
struct SegmentPhrase<'p> {
    plan: &'p PhrasePlan,
    /// Indexes into the conjunction's members, one per phrase term.
    cursors: Vec<usize>,
    positions: Vec<SegmentPostings>,
    buffer: Vec<u32>,
    matches: Vec<u32>,
}

impl SegmentPhrase<'_> {
    /// The phrase's best possible score here: its frequency is at most its rarest word's.
    fn bound(&self, tfs: &[u32], norm: u8) -> Score {
        let tf = self.cursors.iter().map(|c| tfs[*c]).min().unwrap_or(0);
        self.plan.weight.score(norm, tf)
    }

    /// How often the phrase occurs in `doc` (0: not at all).
    fn count(&mut self, doc: DocId) -> u32 {
        for (i, ((offset, _), postings)) in self
            .plan
            .terms
            .iter()
            .zip(self.positions.iter_mut())
            .enumerate()
        {
            if postings.doc() < doc {
                postings.seek(doc);
            }
            if postings.doc() != doc {
                return 0;
            }
            self.buffer.clear();
            postings.append_positions_with_offset(0, &mut self.buffer);
            // Start positions of the phrase this occurrence would belong to.
            let starts = self
                .buffer
                .iter()
                .filter(|p| **p >= *offset)
                .map(|p| p - offset);
            if i == 0 {
                self.matches.clear();
                self.matches.extend(starts);
            } else {
                let mut keep = starts.peekable();
                self.matches.retain(|m| {
                    while keep.next_if(|s| s < m).is_some() {}
                    keep.peek() == Some(m)
                });
            }
            if self.matches.is_empty() {
                return 0;
            }
        }
        self.matches.len() as u32
    }
}

/// A BM25 weight as `w · tf / (tf + c[norm])`, read back from its scores (tantivy keeps the
/// parts private), so "can this frequency reach that score" needs no division per candidate.
struct Saturation {
    w: Score,
    c: [Score; 256],
}

impl Saturation {
    fn of(weight: &Bm25Weight) -> Saturation {
        // s1 = w / (1 + c), s2 = 2w / (2 + c): solve for c, then w where c is smallest (the
        // shortest documents: the subtraction loses least there).
        let c_of = |norm: u8| {
            let (s1, s2) = (weight.score(norm, 1), weight.score(norm, 2));
            (s2 - s1) / (s1 - s2 / 2.0)
        };
        let mut c = [0.0; 256];
        for (norm, c) in c.iter_mut().enumerate() {
            // For enormous documents c is too imprecise to trust: 0 lets them through to the
            // exact check.
            let v = c_of(norm as u8);
            *c = if v.is_finite() && (0.0..1_000.0).contains(&v) {
                v
            } else {
                0.0
            };
        }
        let w = weight.score(0, 1) * (1.0 + c[0]);
        Saturation { w, c }
    }

    /// Whether a frequency of `tf` could score above `bar` (with a margin for rounding: a
    /// candidate let through is checked exactly later).
    #[inline]
    fn could_reach(&self, tf: u32, norm: u8, bar: Score) -> bool {
        tf as Score * (self.w - bar) >= bar * self.c[norm as usize] * 0.999
    }
}

/// Per document range: how many matches were counted exactly, and over how many documents.
struct Stratum {
    counted: u64,
    /// The matches whose facet values are counted (the first ones).
    sample: Vec<DocId>,
    /// Documents of the range looked at exactly (all of it unless counting stopped early).
    scanned: u32,
    len: u32,
    start: DocId,
}

impl Stratum {
    /// `STRATA` equal ranges of a segment's documents.
    fn split(max_doc: DocId) -> Vec<Stratum> {
        (0..STRATA)
            .map(|s| {
                let start = (u64::from(max_doc) * u64::from(s) / u64::from(STRATA)) as DocId;
                let end = (u64::from(max_doc) * u64::from(s + 1) / u64::from(STRATA)) as DocId;
                Stratum {
                    counted: 0,
                    sample: Vec::new(),
                    scanned: end - start,
                    len: end - start,
                    start,
                }
            })
            .collect()
    }

    fn end(&self) -> DocId {
        self.start + self.len
    }

    /// Whether counting stopped early, so `matches` is an estimate.
    fn estimated(&self) -> bool {
        self.scanned < self.len
    }

    /// The range's matches: counted, or estimated from the part counted.
    fn matches(&self) -> f64 {
        if !self.estimated() {
            return self.counted as f64;
        }
        // Counting stopped at a match, so (n - 1) / (documents - 1) is the unbiased rate.
        let rate = (self.counted.saturating_sub(1)) as f64 / f64::from(self.scanned.max(2) - 1);
        self.counted as f64 + rate * f64::from(self.len - self.scanned)
    }
}

/// Runs `plan` over one segment.
pub fn scan_segment(
    plan: &Plan,
    filter: Option<&dyn Weight>,
    reader: &SegmentReader,
    top: &mut TopK,
    mut facets: Option<&mut SegmentFacetCounter>,
    budget: u64,
) -> tantivy::Result<SegmentScan> {
    let max_doc = reader.max_doc();
    // Matches counted exactly per range: word queries feed them all to the facet sample; phrase
    // queries verify a third as many exactly (the positions are the dear part; the estimate
    // sums 4 ranges of every segment, so its error stays within a few per cent).
    let facet_sample = (budget / u64::from(STRATA)).max(64);
    let phrase_sample = (budget / u64::from(STRATA) / 3).max(16);
    let mut total = 0f64;
    let mut total_exact = true;
    let mut facets_exact = true;
    let alive = reader.alive_bitset();
    for lang in &plan.langs {
        let norms = match reader.fieldnorms_readers().get_field(lang.field)? {
            Some(n) => n,
            None => FieldNormReader::constant(max_doc, 1),
        };
        let mut cursors = Vec::new();
        let mut missing = false;
        let mut open = |term: &Term, cursors: &mut Vec<Cursor>| -> tantivy::Result<usize> {
            match Cursor::open(reader, term)? {
                Some(c) => cursors.push(c),
                None => missing = true,
            }
            Ok(cursors.len().saturating_sub(1))
        };
        for (term, _) in &lang.words {
            open(term, &mut cursors)?;
        }
        let mut phrase_cursors = Vec::new();
        for p in &lang.phrases {
            let mut ids = Vec::new();
            for (_, term) in &p.terms {
                ids.push(open(term, &mut cursors)?);
            }
            phrase_cursors.push(ids);
        }
        // A term this segment lacks: nothing in this language can match here.
        if missing || cursors.is_empty() {
            continue;
        }
        let mut phrases = Vec::with_capacity(lang.phrases.len());
        for (p, ids) in lang.phrases.iter().zip(phrase_cursors) {
            let mut positions = Vec::with_capacity(p.terms.len());
            for (_, term) in &p.terms {
                let inverted = reader.inverted_index(term.field())?;
                match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                    Some(postings) => positions.push(postings),
                    None => missing = true,
                }
            }
            phrases.push(SegmentPhrase {
                plan: p,
                cursors: ids,
                positions,
                buffer: Vec::new(),
                matches: Vec::new(),
            });
        }
        if missing {
            continue;
        }
        let mut strata = Stratum::split(max_doc);
        // Each language walks the segment from its start: a filter of its own.
        let mut filter = match filter {
            Some(w) => Some(w.scorer(reader, 1.0)?),
            None => None,
        };
        let prunable = !phrases.is_empty();
        let per_stratum = if prunable {
            phrase_sample
        } else {
            facet_sample
        };
        // A lone phrase (the usual phrase query): once counting has stopped, the lead's
        // frequency bounds the phrase's, so most candidates are dropped before the other terms
        // are even looked up.
        let lone_phrase = match (lang.words.is_empty(), phrases.as_slice()) {
            (true, [p]) => Some(Saturation::of(&p.plan.weight)),
            _ => None,
        };
        let (lead, mut members) = members(cursors, max_doc);
        let mut tfs = vec![0u32; members.len()];
        let mut s = 0;
        let mut block = lead.block;
        while !block.docs().is_empty() {
            let (docs, freqs) = (block.docs(), block.freqs());
            'candidates: for (&doc, &lead_tf) in docs.iter().zip(freqs) {
                while doc >= strata[s].end() {
                    s += 1;
                }
                if let Some(sat) = &lone_phrase {
                    if strata[s].counted >= per_stratum {
                        // The lowest frequency among the terms at hand (0 if a dense one is
                        // missing): one well-predicted branch drops most candidates.
                        let mut tf = lead_tf;
                        for m in &members {
                            if let Member::Dense(dense) = m {
                                tf = tf.min(u32::from(dense[doc as usize]));
                            }
                        }
                        if !sat.could_reach(tf, norms.fieldnorm_id(doc), top.bar()) {
                            continue;
                        }
                    }
                }
                for (i, m) in members.iter_mut().enumerate() {
                    tfs[i] = match m {
                        Member::Lead => lead_tf,
                        Member::Dense(tf) => match tf[doc as usize] {
                            0 => continue 'candidates,
                            n => u32::from(n),
                        },
                        Member::Sparse(c) => {
                            if c.seek(doc) != doc {
                                continue 'candidates;
                            }
                            c.term_freq()
                        }
                    };
                }
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let norm = norms.fieldnorm_id(doc);
                let mut score: Score = 0.0;
                for (i, (_, w)) in lang.words.iter().enumerate() {
                    score += w.score(norm, tfs[i]);
                }
                let stratum = &mut strata[s];
                let counting = !prunable || stratum.counted < per_stratum;
                if !counting {
                    // Summed in the order the score is, so rounding cannot put it below.
                    let mut bound = score;
                    for p in &phrases {
                        bound += p.bound(&tfs, norm);
                    }
                    if !top.could_enter(bound) {
                        continue;
                    }
                }
                if let Some(f) = filter.as_mut() {
                    if f.doc() < doc {
                        f.seek(doc);
                    }
                    if f.doc() != doc {
                        continue;
                    }
                }
                for p in &mut phrases {
                    let tf = p.count(doc);
                    if tf == 0 {
                        continue 'candidates;
                    }
                    score += p.plan.weight.score(norm, tf);
                }
                if counting {
                    stratum.counted += 1;
                    if prunable && stratum.counted == per_stratum {
                        // Counting stops here for this range; the rest is estimated.
                        stratum.scanned = doc - stratum.start + 1;
                    }
                    if stratum.counted <= per_stratum && facets.is_some() {
                        stratum.sample.push(doc);
                    }
                }
                top.offer(score, doc);
            }
            block.advance();
        }
        for s in &strata {
            let matches = s.matches();
            total_exact &= !s.estimated();
            total += matches;
            // Each range's sample stands for that range's matches: ranges (and languages)
            // differ in density, so one factor for the segment would skew the counts.
            if let Some(c) = facets.as_deref_mut() {
                let weight = matches / (s.sample.len().max(1) as f64);
                facets_exact &= s.sample.len() as f64 == matches;
                for doc in &s.sample {
                    c.add(*doc, weight);
                }
            }
        }
    }
    Ok(SegmentScan {
        total: total.round() as u64,
        total_exact,
        facets_exact,
        facet_scale: 1.0,
    })
}

/// The filter's weight for `searcher` (membership only, never scored).
pub fn filter_weight(plan: &Plan, searcher: &Searcher) -> tantivy::Result<Option<Box<dyn Weight>>> {
    plan.filter
        .as_ref()
        .map(|q| q.weight(EnableScoring::disabled_from_searcher(searcher)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturation_never_turns_away_a_frequency_that_reaches_the_bar() {
        for (doc_freq, avg) in [(10u64, 3.0f32), (5_000, 40.0), (90_000, 400.0)] {
            let weight = Bm25Weight::for_one_term(doc_freq, 100_000, avg);
            let sat = Saturation::of(&weight);
            for norm in 0..=255u8 {
                for tf in [1u32, 2, 3, 5, 9, 40, 1_000] {
                    let score = weight.score(norm, tf);
                    for bar in [score * 0.5, score * 0.99, score, score * 1.01, score * 2.0] {
                        if score >= bar {
                            assert!(
                                sat.could_reach(tf, norm, bar),
                                "norm {norm} tf {tf}: {score} reaches {bar}"
                            );
                        }
                    }
                    // And it does turn away what clearly cannot.
                    if sat.c[norm as usize] > 0.0 {
                        assert!(
                            !sat.could_reach(tf, norm, score * 1.05),
                            "norm {norm} tf {tf}"
                        );
                    }
                }
            }
        }
    }
}
