//! Moderation benchmarks against a running server (`scripts/bench-moderation` starts it on a
//! throwaway SQLite database and runs this):
//!
//! 1. the review queue with N open flags: `GET /api/v1/review` (and the page's header count)
//!    as a moderator;
//! 2. a posting-rate check: what `Gate::count` costs per call, allowed and refused;
//! 3. hiding a post: how long until search no longer finds it.
//!
//!   moderation-bench --base http://127.0.0.1:PORT --db sqlite://… [--flags 10000]

use std::time::{Duration, Instant};

use clap::Parser;
use peerdesk::accounts::{self, NewAccount, Role, User};
use peerdesk::catalog;
use peerdesk::config::{PostingRates, Rate, Settings};
use peerdesk::db::Db;
use peerdesk::screen::{Action, Policy};
use peerdesk::threads::flags::{self, Reason, Target};
use peerdesk::threads::{self, MarkdownBody, NewQuestion, Title};

#[derive(Parser)]
#[command(about = "Moderation benchmarks: the review queue, a rate check, hide to out of search")]
struct Args {
    /// The running server.
    #[arg(long)]
    base: String,
    /// Its database.
    #[arg(long)]
    db: String,
    /// Open flags to seed (two per flagged answer).
    #[arg(long, default_value_t = 10_000)]
    flags: usize,
    /// Queue requests to time.
    #[arg(long, default_value_t = 50)]
    rounds: usize,
}

/// The moderator's password (the page is timed signed in through the form).
const PASSWORD: &str = "bench-moderator-password";

/// Signs in through the login form; returns the session cookie (`name=value`).
fn sign_in(agent: &ureq::Agent, base: &str) -> anyhow::Result<String> {
    let cookie_of = |r: &ureq::Response| -> Option<String> {
        r.all("set-cookie")
            .into_iter()
            .filter_map(|c| c.split(';').next())
            .next_back()
            .map(str::to_string)
    };
    let form = agent.get(&format!("{base}/login")).call()?;
    let cookie = cookie_of(&form).ok_or_else(|| anyhow::anyhow!("no session cookie"))?;
    let html = form.into_string()?;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .ok_or_else(|| anyhow::anyhow!("no csrf field"))?
        .to_string();
    let no_redirects = ureq::AgentBuilder::new().redirects(0).build();
    let r = no_redirects
        .post(&format!("{base}/login"))
        .set("Cookie", &cookie)
        .send_form(&[
            ("csrf", csrf.as_str()),
            ("login", "bench-mod"),
            ("password", PASSWORD),
            ("next", "/"),
        ])?;
    cookie_of(&r).ok_or_else(|| anyhow::anyhow!("sign-in set no cookie"))
}

fn percentile(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(f64::total_cmp);
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Db::connect(&args.db, 4)?;
    // The seeding team member is never screened or rate-limited.
    let policy = std::sync::Arc::new(Policy::new(&Settings::default()));
    let gate = policy.gate("127.0.0.1");

    println!("== setup: {} open flags", args.flags);
    let t = Instant::now();
    let flagged_posts = args.flags.div_ceil(2);
    let (mod_token, staff, flaggers) = db.write_blocking(|conn| {
        let make = |conn: &mut peerdesk::db::DbConn, handle: &str, role: Role| {
            let mut a = NewAccount::parse(handle, &format!("{handle}@bench.test"), None, "", "")?;
            a.role = role;
            accounts::create(conn, a)
        };
        let mut a = NewAccount::parse("bench-mod", "bench-mod@bench.test", Some(PASSWORD), "", "")?;
        a.role = Role::Moderator;
        let m = accounts::create(conn, a)?;
        let token = accounts::create_token(conn, &m, "bench")?.0;
        let staff = make(conn, "bench-staff", Role::Staff)?;
        let f1 = make(conn, "bench-flagger-a", Role::Member)?;
        let f2 = make(conn, "bench-flagger-b", Role::Member)?;
        Ok((token, staff, vec![f1, f2]))
    })?;
    let category = db.read_blocking(|conn| catalog::resolve_category(conn, "general"))?;
    // Answers in batches of threads, each flagged by both members.
    let per_thread = 10;
    let mut done = 0;
    while done < flagged_posts {
        let batch = (flagged_posts - done).min(500);
        let (staff, flaggers, category, gate) = (&staff, &flaggers, &category, &gate);
        db.write_blocking(move |conn| {
            let mut thread: Option<i64> = None;
            for i in 0..batch {
                let n = done + i;
                if n % per_thread == 0 || thread.is_none() {
                    let q = NewQuestion {
                        title: Title::parse(&format!("Benchmark question number {n}"))?,
                        body: MarkdownBody::parse("A question for the review queue benchmark.")?,
                        tags: Vec::new(),
                        private: false,
                    };
                    thread = Some(threads::ask(conn, gate, staff, category, q)?.id);
                }
                let t = thread.unwrap_or_default();
                let (post, th) = threads::answer(
                    conn,
                    gate,
                    staff,
                    t,
                    MarkdownBody::parse(&format!("Answer number {n}, flagged twice."))?,
                )?;
                for (k, f) in flaggers.iter().enumerate() {
                    let reason = if k == 0 { Reason::Spam } else { Reason::Rude };
                    flags::insert(
                        conn,
                        Some(f),
                        Target::Post,
                        post.id,
                        Some(&th),
                        reason,
                        "",
                        None,
                        1,
                    )?;
                }
            }
            Ok(())
        })?;
        done += batch;
        eprint!("\r   {done}/{flagged_posts} flagged answers");
    }
    eprintln!();
    println!(
        "   {} flags on {flagged_posts} answers in {:.1} s",
        flagged_posts * 2,
        t.elapsed().as_secs_f64()
    );

    println!("== 1. the review queue");
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let get = |path: &str| -> anyhow::Result<serde_json::Value> {
        Ok(agent
            .get(&format!("{}{path}", args.base))
            .set("Authorization", &format!("Bearer {mod_token}"))
            .call()?
            .into_json()?)
    };
    let first = get("/api/v1/review")?;
    println!(
        "   header: {} flagged, {} held; page 1 has {} items",
        first["flagged"],
        first["held"],
        first["items"].as_array().map_or(0, Vec::len)
    );
    for (label, path) in [
        ("GET /api/v1/review (page 1)", "/api/v1/review"),
        ("GET /api/v1/review?page=20", "/api/v1/review?page=20"),
        (
            "GET /api/v1/review?reason=rude",
            "/api/v1/review?reason=rude",
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..args.rounds {
            let t = Instant::now();
            get(path)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "   {label}: p50 {:.1} ms, p95 {:.1} ms over {} requests",
            percentile(&mut times, 50),
            percentile(&mut times, 95),
            args.rounds
        );
    }
    let cookie = sign_in(&agent, &args.base)?;
    let mut times = Vec::new();
    for _ in 0..args.rounds {
        let t = Instant::now();
        let html = agent
            .get(&format!("{}/review", args.base))
            .set("Cookie", &cookie)
            .call()?
            .into_string()?;
        anyhow::ensure!(html.contains("review-item"), "the page shows no items");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "   GET /review (the page, signed in, 30 items): p50 {:.1} ms, p95 {:.1} ms over {} requests",
        percentile(&mut times, 50),
        percentile(&mut times, 95),
        args.rounds
    );
    let mut times = Vec::new();
    for _ in 0..args.rounds {
        let t = Instant::now();
        db.read_blocking(peerdesk::moderation::waiting)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "   the moderators' header count (every page they open): p50 {:.2} ms, p95 {:.2} ms",
        percentile(&mut times, 50),
        percentile(&mut times, 95)
    );

    println!("== 2. a posting-rate check");
    let member: User = flaggers[0].clone();
    let n: u32 = 1_000_000;
    for (label, rates) in [
        ("allowed", PostingRates::all(Rate::per_minute(u32::MAX / 2))),
        ("refused", PostingRates::all(Rate::per_minute(1))),
    ] {
        let mut settings = Settings::default();
        settings.limits.per_user = rates.clone();
        settings.limits.per_ip = rates;
        let policy = std::sync::Arc::new(Policy::new(&settings));
        let gate = policy.gate("203.0.113.9");
        let t = Instant::now();
        let mut refused = 0u32;
        for _ in 0..n {
            if gate.count(&member, Action::Vote).is_err() {
                refused += 1;
            }
        }
        let per = t.elapsed().as_secs_f64() * 1e9 / f64::from(n);
        println!(
            "   {label}: {per:.0} ns per check (two windows per member and per address; {refused} of {n} refused)"
        );
    }

    println!("== 3. hide → out of search");
    let mut lags = Vec::new();
    for round in 0..10 {
        let word = format!("quuxhide{round}zed");
        let (post, thread) = db.write_blocking(|conn| {
            let q = NewQuestion {
                title: Title::parse(&format!("Searchable {word} question"))?,
                body: MarkdownBody::parse(&format!("Mentions {word} once."))?,
                tags: Vec::new(),
                private: false,
            };
            let t = threads::ask(conn, &gate, &staff, &category, q)?;
            let (p, _) = threads::answer(
                conn,
                &gate,
                &staff,
                t.id,
                MarkdownBody::parse(&format!("The answer also says {word}."))?,
            )?;
            Ok((p.id, t.id))
        })?;
        let found = |w: &str| -> anyhow::Result<bool> {
            let v = agent
                .get(&format!("{}/api/v1/search?q={w}", args.base))
                .call()?
                .into_json::<serde_json::Value>()?;
            Ok(v["hits"]
                .as_array()
                .is_some_and(|h| h.iter().any(|x| x["id"] == thread)))
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !found(&word)? {
            anyhow::ensure!(Instant::now() < deadline, "never indexed");
            std::thread::sleep(Duration::from_millis(10));
        }
        // Hide the question: the whole thread leaves search.
        let question: i64 = {
            let v: serde_json::Value = get(&format!("/api/v1/threads/{thread}"))?;
            v["posts"][0]["id"].as_i64().unwrap_or(post)
        };
        let t0 = Instant::now();
        agent
            .post(&format!("{}/api/v1/review/post/{question}", args.base))
            .set("Authorization", &format!("Bearer {mod_token}"))
            .send_json(serde_json::json!({"action": "hide", "reason": "bench"}))?;
        while found(&word)? {
            anyhow::ensure!(
                t0.elapsed() < Duration::from_secs(10),
                "still found after 10 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        lags.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let max = lags.iter().copied().fold(0.0, f64::max);
    println!(
        "   hidden → gone from search: median {:.0} ms, max {max:.0} ms over {} posts (target 1000 ms)",
        percentile(&mut lags, 50),
        lags.len()
    );
    Ok(())
}
