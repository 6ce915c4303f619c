//! Search latency benchmark: runs a fixed query set through the same search code the server uses
//! (`peerdesk::search::Search::search`, facets and snippets included) against an existing
//! database and index, then the same corpus and queries through SQLite FTS5 with bm25 ranking,
//! and prints p50/p99 per query class and the ratio (ours / FTS5).
//!
//!   search-bench --db sqlite://data/peerdesk.db --index search-index [--rounds 20] [--fts FILE]
//!
//! `scripts/bench-search` generates the corpus and runs this.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use peerdesk::db::Db;
use peerdesk::search::{Search, SearchRequest};

#[derive(Parser)]
#[command(about = "Search latency benchmark: Peerdesk (tantivy) against SQLite FTS5")]
struct Args {
    /// Database with the corpus (`peerdesk demo-data`).
    #[arg(long)]
    db: String,
    /// Search index folder (`search.dir`).
    #[arg(long)]
    index: PathBuf,
    /// Times each query runs.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Leave facet counts out (the ask page's similar questions do; the search page does not).
    #[arg(long)]
    no_facets: bool,
    /// SQLite file for the FTS5 copy of the corpus (built if missing).
    #[arg(long, default_value = "fts5-bench.db")]
    fts: PathBuf,
    /// Measure ours only (no FTS5 copy, no comparison): for profiling.
    #[arg(long)]
    only_ours: bool,
    /// Run only this query class ("1 term", "2 terms", "3 terms", "phrase", "typo").
    #[arg(long)]
    class: Option<String>,
    /// Run these queries (a class of their own, "custom") instead of the fixed set.
    #[arg(long = "query")]
    queries: Vec<String>,
    /// Also print each query's median time and match count (ours).
    #[arg(long)]
    per_query: bool,
}

const CLASSES: &[(&str, &[&str])] = &[
    (
        "1 term",
        &[
            "router",
            "password",
            "invoice",
            "camera",
            "firmware",
            "vpn",
            "certificate",
            "printer",
            "subscription",
            "gateway",
        ],
    ),
    (
        "2 terms",
        &[
            "router firmware",
            "password reset",
            "backup restore",
            "camera motion",
            "invoice refund",
            "vpn timeout",
            "dns server",
            "battery power",
            "guest network",
            "mesh node",
        ],
    ),
    (
        "3 terms",
        &[
            "router firmware update",
            "password reset email",
            "backup restore folder",
            "camera motion alert",
            "invoice refund payment",
            "vpn server timeout",
            "dns server address",
            "printer driver windows",
            "mesh node signal",
            "guest network password",
        ],
    ),
    (
        "phrase",
        &[
            "\"firmware update\"",
            "\"password again\"",
            "\"connection timed out\"",
            "\"error 0x80070005\"",
            "\"mesh node\"",
            "\"charged twice\"",
            "\"setup screen\"",
            "\"restore from backup\"",
            "\"the latest\"",
            "\"factory reset\"",
        ],
    ),
    (
        "typo",
        &[
            "pasword",
            "firmwre updte",
            "conection drops",
            "notifcation",
            "subscripton renewal",
            "certficate error",
            "backpu restore",
            "routr reset",
            "invoce",
            "camrea motion",
        ],
    ),
];

#[derive(QueryableByName)]
struct Term {
    #[diesel(sql_type = Text)]
    term: String,
}

/// Typo tolerance on FTS5, which has none built in: the FTS5 vocabulary is read into memory
/// once (outside the timing, as a server would), and each query word the vocabulary lacks is
/// replaced by the vocabulary terms within the edit distance ours allows (1, or 2 from 8
/// letters), ORed together; the words are compared as stems, as the vocabulary holds them.
struct FtsTypos {
    /// Sorted.
    vocabulary: Vec<String>,
}

impl FtsTypos {
    fn load(fts: &mut diesel::SqliteConnection) -> anyhow::Result<FtsTypos> {
        fts.batch_execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.docs_vocab USING fts5vocab(main, docs, 'row');",
        )?;
        let mut vocabulary: Vec<String> = diesel::sql_query("SELECT term FROM temp.docs_vocab")
            .load::<Term>(fts)?
            .into_iter()
            .map(|t| t.term)
            .collect();
        vocabulary.sort();
        Ok(FtsTypos { vocabulary })
    }

    /// The FTS5 MATCH expression for `q`, with unknown words expanded.
    fn expression(&self, q: &str, stem: &dyn Fn(&str) -> String) -> String {
        q.split_whitespace()
            .map(|word| {
                let word = stem(word);
                if self.vocabulary.binary_search(&word).is_ok() {
                    return format!("\"{word}\"");
                }
                let max = if word.chars().count() >= 8 { 2 } else { 1 };
                let close: Vec<String> = self
                    .vocabulary
                    .iter()
                    .filter(|t| within(t, &word, max))
                    .map(|t| format!("\"{t}\""))
                    .collect();
                if close.is_empty() {
                    format!("\"{word}\"")
                } else {
                    format!("({})", close.join(" OR "))
                }
            })
            .collect::<Vec<_>>()
            // FTS5 has no implicit AND next to a parenthesised group.
            .join(" AND ")
    }
}

/// Whether the edit distance between `a` and `b` is at most `max` (a swap of neighbours counts
/// as one edit, as in ours).
fn within(a: &str, b: &str, max: usize) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 0..a.len() {
        let mut cur = vec![i + 1; b.len() + 1];
        for j in 0..b.len() {
            cur[j + 1] = (prev[j] + usize::from(a[i] != b[j]))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                cur[j + 1] = cur[j + 1].min(before[j - 1] + 1);
            }
        }
        if cur.iter().min().is_some_and(|m| *m > max) {
            return false;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= max
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn build_fts(db: &Db, path: &std::path::Path) -> anyhow::Result<()> {
    if path.exists() {
        return Ok(());
    }
    eprintln!(
        "building the FTS5 copy of the corpus in {} ...",
        path.display()
    );
    let started = Instant::now();
    let mut fts = diesel::SqliteConnection::establish(&path.display().to_string())?;
    fts.batch_execute(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE docs USING fts5(title, question, accepted, answers, tokenize = 'porter unicode61');",
    )?;
    fts.batch_execute("BEGIN")?;
    let mut after = 0;
    let mut n = 0;
    loop {
        let docs = db.read_blocking(|conn| {
            let ids = peerdesk::search::documents::thread_ids_after(conn, after, 2000)?;
            peerdesk::search::documents::thread_docs(conn, &ids)
        })?;
        let Some(last) = docs.iter().map(|d| d.id).max() else {
            break;
        };
        after = last;
        for d in &docs {
            diesel::sql_query("INSERT INTO docs (rowid, title, question, accepted, answers) VALUES (?, ?, ?, ?, ?)")
                .bind::<BigInt, _>(d.id)
                .bind::<Text, _>(&d.title)
                .bind::<Text, _>(&d.question)
                .bind::<Text, _>(&d.accepted)
                .bind::<Text, _>(&d.answers)
                .execute(&mut fts)?;
            n += 1;
        }
    }
    fts.batch_execute("COMMIT")?;
    eprintln!(
        "FTS5: {n} documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Db::connect(&args.db, 2)?;
    let search = Search::open_or_rebuild(&args.index, &db)?;
    println!("index: {} documents", search.doc_count());
    let mut fts = if args.only_ours {
        None
    } else {
        build_fts(&db, &args.fts)?;
        Some(diesel::SqliteConnection::establish(
            &args.fts.display().to_string(),
        )?)
    };
    let typos = match fts.as_mut() {
        Some(fts) => Some(FtsTypos::load(fts)?),
        None => None,
    };
    let index = search.current();
    let stem = |word: &str| -> String {
        peerdesk::search::schema::analyze(&index.index, peerdesk::search::schema::Lang::En, word)
            .into_iter()
            .next()
            .unwrap_or_else(|| word.to_lowercase())
    };

    println!();
    println!(
        "{:<8} {:>10} {:>10} {:>11} {:>11} {:>10} {:>10}",
        "class", "ours p50", "ours p99", "FTS5 p50", "FTS5 p99", "p50 ratio", "p99 ratio"
    );
    let custom: Vec<&str> = args.queries.iter().map(String::as_str).collect();
    let custom_class = [("custom", custom.as_slice())];
    let classes: &[(&str, &[&str])] = if custom.is_empty() {
        CLASSES
    } else {
        &custom_class
    };
    for (class, queries) in classes {
        if args.class.as_deref().is_some_and(|c| c != *class) {
            continue;
        }
        // Warm up both (first touches of index files and pages).
        for q in *queries {
            search.search(&SearchRequest {
                q: q.to_string(),
                ..Default::default()
            })?;
        }
        let mut ours = Vec::new();
        let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
        let mut totals = vec![0usize; queries.len()];
        let mut theirs = Vec::new();
        let mut hits_ours = 0;
        let mut hits_fts = 0;
        // Each engine runs its rounds on its own, not interleaved with the other's queries:
        // a 40-90 ms FTS5 query between two of ours evicts our index pages from the CPU caches,
        // which a server running only our searches would not see.
        for _ in 0..args.rounds {
            for (i, q) in queries.iter().enumerate() {
                let req = SearchRequest {
                    q: q.to_string(),
                    facets: !args.no_facets,
                    ..Default::default()
                };
                let t = Instant::now();
                let r = search.search(&req)?;
                ours.push(t.elapsed());
                per_query[i].push(t.elapsed());
                totals[i] = r.total;
                hits_ours += r.hits.len();
            }
        }
        if let Some(fts) = fts.as_mut() {
            for _ in 0..args.rounds {
                for q in *queries {
                    let t = Instant::now();
                    let expression = match (&typos, *class == "typo") {
                        (Some(typos), true) => typos.expression(q, &stem),
                        _ => q.to_string(),
                    };
                    let rows: Vec<Row> = diesel::sql_query(
                        "SELECT rowid AS id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.5, 2.0, 1.0) LIMIT 10",
                    )
                    .bind::<Text, _>(&expression)
                    .load(fts)
                    .unwrap_or_default();
                    theirs.push(t.elapsed());
                    hits_fts += rows.iter().filter(|r| r.id > 0).count();
                }
            }
        } else {
            theirs = vec![std::time::Duration::ZERO];
        }
        ours.sort();
        theirs.sort();
        if args.per_query {
            for (i, q) in queries.iter().enumerate() {
                per_query[i].sort();
                println!(
                    "    {:<28} p50 {:>6.2}ms  {:>7} matches",
                    q,
                    ms(percentile(&per_query[i], 0.5)),
                    totals[i]
                );
            }
        }
        let (o50, o99, f50, f99) = (
            percentile(&ours, 0.5),
            percentile(&ours, 0.99),
            percentile(&theirs, 0.5),
            percentile(&theirs, 0.99),
        );
        println!(
            "{:<8} {:>8.2}ms {:>8.2}ms {:>9.2}ms {:>9.2}ms {:>10.2} {:>10.2}   (hits: ours {}, FTS5 {})",
            class,
            ms(o50),
            ms(o99),
            ms(f50),
            ms(f99),
            ms(o50) / ms(f50).max(1e-6),
            ms(o99) / ms(f99).max(1e-6),
            hits_ours / args.rounds,
            hits_fts / args.rounds,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(within("pasword", "password", 1));
        assert!(within("camrea", "camera", 1));
        assert!(!within("camrea", "cinema", 1));
        assert!(within("subscripton", "subscript", 2));
        assert!(!within("router", "reset", 2));
    }
}
