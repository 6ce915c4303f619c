//! The self-service dashboard on a large history: fills an empty database with demo threads
//! (`peerdesk demo-data`) and a search log of `--searches` rows spread over 90 days (searches
//! with and without clicks, ask-page visits typing titles, opening suggestions and posting),
//! then times the dashboard for 7, 30 and 90 days and the content-gaps page's grouping.
//!
//!   insights-bench --db sqlite:///tmp/insights.db [--searches 200000] [--threads 20000]
//!   insights-bench --db postgres://…/empty_db

use std::time::Instant;

use clap::Parser;
use diesel::prelude::*;
use peerdesk::db::schema::{ask_posts, search_log, threads};
use peerdesk::db::Db;
use peerdesk::insights::Period;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Parser)]
#[command(about = "Times the self-service dashboard on a large search log")]
struct Args {
    /// An empty database (it is migrated and filled).
    #[arg(long)]
    db: String,
    /// Search-log rows to write, spread over the last 90 days.
    #[arg(long, default_value_t = 200_000)]
    searches: usize,
    /// Demo threads (questions) to generate first.
    #[arg(long, default_value_t = 20_000)]
    threads: usize,
    /// Timed runs of each measurement.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
}

/// Words searches are made of (a few thousand distinct wordings, some far more frequent).
const WORDS: [&str; 40] = [
    "router",
    "wifi",
    "drops",
    "firmware",
    "update",
    "password",
    "reset",
    "login",
    "vpn",
    "dns",
    "backup",
    "restore",
    "invoice",
    "refund",
    "android",
    "ios",
    "camera",
    "offline",
    "slow",
    "mesh",
    "node",
    "blinks",
    "red",
    "setup",
    "port",
    "forwarding",
    "notifications",
    "app",
    "crash",
    "sync",
    "billing",
    "plan",
    "cancel",
    "error",
    "code",
    "teleporter",
    "calibration",
    "printer",
    "guest",
    "network",
];

fn wording(rng: &mut StdRng) -> String {
    // Zipf-like: low word indexes far more often, so some wordings repeat a lot.
    let n = rng.gen_range(1..=4);
    (0..n)
        .map(|_| {
            let r: f64 = rng.gen();
            WORDS[((r * r * r) * WORDS.len() as f64) as usize % WORDS.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(f64::total_cmp);
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn fill_log(db: &Db, rows: usize) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(7);
    let now = peerdesk::db::now();
    let thread_ids: Vec<i64> =
        db.read_blocking(|conn| Ok(threads::table.select(threads::id).limit(1000).load(conn)?))?;
    let t = Instant::now();
    let mut written = 0;
    let mut n = 0u64;
    while written < rows {
        let chunk = (rows - written).min(5000);
        db.write_blocking(|conn| {
            let mut i = 0;
            while i < chunk {
                let at = now - chrono::TimeDelta::seconds(rng.gen_range(0..90 * 86_400));
                n += 1;
                if rng.gen_bool(0.25) {
                    // An ask-page visit: a few lookups while typing, maybe a suggestion opened,
                    // maybe a question posted.
                    let session = format!("bench-visit-{n:012}");
                    let title = wording(&mut rng);
                    let lookups = rng.gen_range(1..=4).min(chunk - i);
                    let opened = rng.gen_bool(0.4);
                    for k in 0..lookups {
                        let draft: String = title.chars().take(4 + k * 6).collect();
                        let last = k + 1 == lookups;
                        diesel::insert_into(search_log::table)
                            .values((
                                search_log::search_id.eq(format!("b{n}-{k}")),
                                search_log::query.eq(draft),
                                search_log::filters.eq(""),
                                search_log::result_count.eq(rng.gen_range(0..40)),
                                search_log::clicked.eq((last && opened).then_some("thread:1")),
                                search_log::session.eq(""),
                                search_log::source.eq("similar"),
                                search_log::created_at
                                    .eq(at + chrono::TimeDelta::seconds(k as i64)),
                                search_log::best_score.eq(Some(rng.gen_range(0.1..0.95))),
                                search_log::top_result.eq(Some("thread:1")),
                                search_log::ask_session.eq(Some(&session)),
                                search_log::visit_last.eq(last),
                                search_log::visit_opened.eq(opened),
                            ))
                            .execute(conn)?;
                    }
                    if !thread_ids.is_empty() && rng.gen_bool(0.3) {
                        diesel::insert_into(ask_posts::table)
                            .values((
                                ask_posts::ask_session.eq(&session),
                                ask_posts::thread_id
                                    .eq(thread_ids[rng.gen_range(0..thread_ids.len())]),
                                ask_posts::created_at.eq(at),
                            ))
                            .execute(conn)?;
                    }
                    i += lookups;
                } else {
                    let results = if rng.gen_bool(0.05) {
                        0
                    } else {
                        rng.gen_range(1..500)
                    };
                    diesel::insert_into(search_log::table)
                        .values((
                            search_log::search_id.eq(format!("b{n}")),
                            search_log::query.eq(wording(&mut rng)),
                            search_log::filters.eq(""),
                            search_log::result_count.eq(results),
                            search_log::clicked
                                .eq((results > 0 && rng.gen_bool(0.35)).then_some("thread:1")),
                            search_log::session.eq(""),
                            search_log::source.eq(if rng.gen_bool(0.9) { "web" } else { "api" }),
                            search_log::created_at.eq(at),
                        ))
                        .execute(conn)?;
                    i += 1;
                }
            }
            Ok(())
        })?;
        written += chunk;
    }
    println!(
        "search log: {written} rows in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Db::connect(&args.db, 4)?;
    db.migrate()?;
    // The search index the grouping analyses wordings with (the demo threads), rebuilt here.
    let dir = std::env::temp_dir().join(format!("insights-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let empty =
        db.read_blocking(|conn| Ok(search_log::table.count().get_result::<i64>(conn)? == 0))?;
    if empty {
        let demo = peerdesk::demo::DemoArgs {
            threads: args.threads,
            answers: 2,
            users: 200,
            seed: 42,
            no_index: true,
        };
        peerdesk::demo::generate(&db, &demo, &dir)?;
        fill_log(&db, args.searches)?;
    } else {
        println!("the database has a search log already: timing it as it is");
    }
    let search = peerdesk::search::Search::open_or_rebuild(&dir.join("index"), &db)?;
    let (rows, questions): (i64, i64) = db.read_blocking(|conn| {
        let since = peerdesk::db::now() - chrono::TimeDelta::days(90);
        Ok((
            search_log::table.count().get_result(conn)?,
            threads::table
                .filter(threads::created_at.ge(since))
                .count()
                .get_result(conn)?,
        ))
    })?;
    println!(
        "{} database: {rows} search-log rows, {questions} questions in the last 90 days",
        db.backend().name()
    );
    let tz = chrono_tz::Europe::Berlin;
    for days in ["7", "30", "90"] {
        let period = Period::parse(Some(days))?;
        let mut times = Vec::new();
        let mut totals = None;
        for _ in 0..args.rounds {
            let t = Instant::now();
            let d = db.read_blocking(|conn| {
                peerdesk::insights::dashboard(conn, &search, period, tz, peerdesk::db::now(), 0.45)
            })?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            totals = Some(d.totals);
        }
        let totals = totals.expect("at least one round");
        println!(
            "dashboard, {days:>2} days: p50 {:7.1} ms, max {:7.1} ms ({} searches, {} visits, {} deflected, {} questions)",
            percentile(&mut times, 50),
            percentile(&mut times, 100),
            totals.searches,
            totals.ask_sessions,
            totals.deflected,
            totals.questions
        );
    }
    let mut times = Vec::new();
    let mut groups = 0;
    for _ in 0..args.rounds {
        let t = Instant::now();
        let since = peerdesk::db::now() - chrono::TimeDelta::days(365);
        groups = db
            .read_blocking(|conn| {
                peerdesk::insights::content_gaps(conn, &search, since, 0.45, 200)
            })?
            .len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "content gaps, a year: p50 {:7.1} ms, max {:7.1} ms ({groups} groups shown)",
        percentile(&mut times, 50),
        percentile(&mut times, 100)
    );
    search.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
