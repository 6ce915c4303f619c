//! Peer-help benchmarks on a large forum (`scripts/bench-peers` fills one with demo data and
//! starts the server):
//!
//! 1. rebuilding reputation (`peerdesk reputation recalculate`) and backfilling badges
//!    (`peerdesk badges backfill`) over the whole history;
//! 2. the leaderboards: the running-totals query, and `/people` and a category page served
//!    uncached;
//! 3. a vote and an accept over HTTP, and how long until the reputation consumer has applied
//!    them.
//!
//!   peers-bench --base http://127.0.0.1:PORT --db sqlite://…

use std::time::{Duration, Instant};

use clap::Parser;
use diesel::prelude::*;
use peerdesk::accounts::{self, NewAccount, Role};
use peerdesk::db::schema::{posts, threads, users};
use peerdesk::db::Db;

#[derive(Parser)]
#[command(about = "Peer-help benchmarks: recalculation, backfill, leaderboards, vote cost")]
struct Args {
    /// The running server (started with the page cache off).
    #[arg(long)]
    base: String,
    /// Its database.
    #[arg(long)]
    db: String,
    /// Requests per timed page or query.
    #[arg(long, default_value_t = 100)]
    rounds: usize,
}

fn percentile(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(f64::total_cmp);
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Db::connect(&args.db, 4)?;
    let (threads_n, posts_n): (i64, i64) = db.read_blocking(|c| {
        Ok((
            threads::table.count().get_result(c)?,
            posts::table.count().get_result(c)?,
        ))
    })?;
    println!("== a forum of {threads_n} threads, {posts_n} posts");

    println!("== 1. history");
    let t = Instant::now();
    let (people, rows) = peerdesk::peers::ledger::recalculate(&db, &|_, _| {})?;
    println!(
        "   reputation recalculated for {people} people from {rows} ledger rows in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let awarded = peerdesk::peers::badges::backfill(&db, &|_, _| {})?;
    println!(
        "   badges backfilled: {awarded} awarded in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    println!("== 2. leaderboards");
    let category: i64 = db.read_blocking(|c| {
        Ok(threads::table
            .group_by(threads::category_id)
            .order(diesel::dsl::count_star().desc())
            .select(threads::category_id)
            .first(c)?)
    })?;
    for (label, cat, period) in [
        ("site, this week", None, "week"),
        ("site, all time", None, "all"),
        ("busiest category, all time", Some(category), "all"),
    ] {
        let mut times = Vec::new();
        for _ in 0..args.rounds {
            let t = Instant::now();
            db.read_blocking(|c| peerdesk::peers::ledger::leaders(c, cat, period, 20))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "   query, {label}: p50 {:.2} ms, p95 {:.2} ms",
            percentile(&mut times, 50),
            percentile(&mut times, 95)
        );
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let slug: String = db.read_blocking(|c| {
        use peerdesk::db::schema::categories;
        Ok(categories::table
            .find(category)
            .select(categories::slug)
            .first(c)?)
    })?;
    for path in [
        "/people?period=all".to_string(),
        "/people?period=week".to_string(),
        format!("/c/{slug}"),
    ] {
        let mut times = Vec::new();
        for _ in 0..args.rounds {
            let t = Instant::now();
            agent
                .get(&format!("{}{path}", args.base))
                .call()?
                .into_string()?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "   GET {path} (uncached): p50 {:.1} ms, p95 {:.1} ms",
            percentile(&mut times, 50),
            percentile(&mut times, 95)
        );
    }

    println!("== 3. a vote and an accept");
    let token = db.write_blocking(|c| {
        let mut a = NewAccount::parse("bench-voter", "bench-voter@bench.test", None, "", "")?;
        a.role = Role::Staff;
        let u = accounts::create(c, a)?;
        Ok(accounts::create_token(c, &u, "bench")?.0)
    })?;
    let answers: Vec<(i64, i64)> = db.read_blocking(|c| {
        Ok(posts::table
            .filter(posts::kind.eq("answer"))
            .order(posts::id.desc())
            .limit(args.rounds as i64)
            .select((posts::id, posts::author_id))
            .load(c)?)
    })?;
    let mut times = Vec::new();
    let mut lag = Vec::new();
    for (post, author) in &answers {
        let before: i32 = db.read_blocking(|c| {
            Ok(users::table
                .find(*author)
                .select(users::reputation)
                .first(c)?)
        })?;
        let t = Instant::now();
        agent
            .post(&format!("{}/api/v1/posts/{post}/votes", args.base))
            .set("Authorization", &format!("Bearer {token}"))
            .send_json(serde_json::json!({"value": 1}))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now: i32 = db.read_blocking(|c| {
                Ok(users::table
                    .find(*author)
                    .select(users::reputation)
                    .first(c)?)
            })?;
            // The day's cap may hold it where it is: then the ledger row is what changed.
            if now != before || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        lag.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "   vote POST: p50 {:.1} ms, p95 {:.1} ms; reputation updated by the consumer p50 {:.0} ms after",
        percentile(&mut times, 50),
        percentile(&mut times, 95),
        percentile(&mut lag, 50)
    );
    Ok(())
}
