//! Notification benchmarks against a running server (`scripts/bench-notify` starts it, with a
//! real SMTP server on loopback, and runs this):
//!
//! 1. fan-out: an answer on a thread with N watchers — the POST's time against the same POST on
//!    a thread with none, and how long until all N notifications are written;
//! 2. the bell: the unread-count query per page, for a user with many notifications;
//! 3. live pages: C idle Server-Sent Event streams — the server's extra memory, and how long an
//!    event takes to reach all of them;
//! 4. email: how many messages a second the sender delivers into the SMTP server.
//!
//!   notify-bench --base http://127.0.0.1:PORT --db sqlite://… --pid PID [--watchers 10000]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use clap::Parser;
use diesel::prelude::*;
use peerdesk::accounts::{self, NewAccount, Role};
use peerdesk::db::schema::{email_jobs, notifications};
use peerdesk::db::Db;

#[derive(Parser)]
#[command(about = "Notification benchmarks: fan-out, the bell's count, live streams, email")]
struct Args {
    /// The running server.
    #[arg(long)]
    base: String,
    /// Its database.
    #[arg(long)]
    db: String,
    /// Its process id (for its memory).
    #[arg(long)]
    pid: u32,
    /// Watchers of the busy thread.
    #[arg(long, default_value_t = 10_000)]
    watchers: usize,
    /// Idle live streams.
    #[arg(long, default_value_t = 2_000)]
    streams: usize,
    /// Emails to send.
    #[arg(long, default_value_t = 1_000)]
    emails: usize,
    /// POSTs per thread for the latency comparison.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Db::connect(&args.db, 4)?;
    let host = args
        .base
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("--base must be http://host:port"))?
        .to_string();

    println!("== setup: {} watchers", args.watchers);
    let t = Instant::now();
    let (asker_token, answerer_token) = db.write_blocking(|conn| {
        let make = |conn: &mut peerdesk::db::DbConn, handle: &str, role: Role| {
            let mut a = NewAccount::parse(handle, &format!("{handle}@bench.test"), None, "", "")?;
            a.role = role;
            let u = accounts::create(conn, a)?;
            Ok::<_, peerdesk::error::AppError>(accounts::create_token(conn, &u, "bench")?.0)
        };
        Ok((
            make(conn, "bench-asker", Role::Member)?,
            make(conn, "bench-staff", Role::Staff)?,
        ))
    })?;
    let mut asker = Http::new(&host, &asker_token);
    let mut answerer = Http::new(&host, &answerer_token);
    let quiet = asker.ask("A quiet thread nobody watches")?;
    let busy = asker.ask("A busy thread everybody watches")?;
    let watchers = args.watchers;
    db.write_blocking(move |conn| {
        for i in 0..watchers {
            let h = format!("watcher-{i}");
            let a = NewAccount::parse(&h, &format!("{h}@bench.test"), None, "", "")?;
            let u = accounts::create(conn, a)?;
            peerdesk::notify::watch::set_thread_level(
                conn,
                &u,
                busy,
                peerdesk::notify::watch::Level::Watching,
            )?;
        }
        Ok(())
    })?;
    println!(
        "   {watchers} users watching thread {busy} in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    settle(&db)?;

    println!("== 1. fan-out");
    let t0 = Instant::now();
    let post = answerer.answer(busy, "The first answer on the busy thread.")?;
    let post_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let written = wait_count(&db, post, watchers as i64, Duration::from_secs(60))?;
    println!(
        "   answer POST {post_ms:.1} ms; {written} notifications written {:.2} s after the POST",
        t0.elapsed().as_secs_f64()
    );
    let (mut on_quiet, mut on_busy) = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        // Alternate, so machine noise hits both alike; each fan-out finishes before the next
        // POST, so the POST's own cost is what is measured.
        let t = Instant::now();
        answerer.answer(quiet, &format!("Quiet answer {round}."))?;
        on_quiet.push(t.elapsed().as_secs_f64() * 1000.0);
        settle(&db)?;
        let t = Instant::now();
        let p = answerer.answer(busy, &format!("Busy answer {round}."))?;
        on_busy.push(t.elapsed().as_secs_f64() * 1000.0);
        wait_count(&db, p, watchers as i64, Duration::from_secs(60))?;
        settle(&db)?;
    }
    println!(
        "   answer POST, median of {}: no watchers {:.1} ms, {watchers} watchers {:.1} ms (ratio {:.2})",
        args.rounds,
        median(&mut on_quiet),
        median(&mut on_busy),
        median(&mut on_busy) / median(&mut on_quiet)
    );
    // A POST that lands while a fan-out is being written waits for the database's writer.
    let p = answerer.answer(busy, "Starts a fan-out.")?;
    std::thread::sleep(Duration::from_millis(20));
    let t = Instant::now();
    answerer.answer(quiet, "Lands during the fan-out.")?;
    println!(
        "   a POST landing during a {watchers}-row fan-out: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    wait_count(&db, p, watchers as i64, Duration::from_secs(60))?;

    println!("== 2. the bell's count");
    let watcher: i64 = db.read_blocking(|conn| {
        Ok(notifications::table
            .filter(notifications::thread_id.eq(busy))
            .select(notifications::user_id)
            .first(conn)?)
    })?;
    let total: i64 =
        db.read_blocking(|conn| Ok(notifications::table.count().get_result(conn)?))?;
    let mut times = Vec::new();
    let mut unread = 0;
    for _ in 0..2000 {
        let t = Instant::now();
        unread = db.read_blocking(|conn| peerdesk::notify::unread_count(conn, watcher))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "   unread count for a user with {unread} unread ({total} notifications in the table): p50 {:.3} ms, p99 {:.3} ms (with the pool checkout)",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );

    println!("== 3. {} idle live streams", args.streams);
    let before = rss_kb(args.pid)?;
    let ready = Arc::new(Barrier::new(args.streams + 1));
    let mut handles = Vec::with_capacity(args.streams);
    for _ in 0..args.streams {
        let (host, ready) = (host.clone(), ready.clone());
        handles.push(
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || listen(&host, quiet, &ready))?,
        );
    }
    ready.wait();
    std::thread::sleep(Duration::from_millis(500));
    let after = rss_kb(args.pid)?;
    println!(
        "   server memory: {:.1} MB before, {:.1} MB with the streams open: +{:.1} MB",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after as f64 - before as f64) / 1024.0
    );
    let t0 = Instant::now();
    answerer.answer(quiet, "An answer every open page should hear of.")?;
    let mut latest = Duration::ZERO;
    let mut reached = 0;
    for h in handles {
        if let Ok(Some(at)) = h.join() {
            reached += 1;
            latest = latest.max(at.saturating_duration_since(t0));
        }
    }
    println!(
        "   the answer reached {reached} of {} streams; the last {:.0} ms after the POST began",
        args.streams,
        latest.as_secs_f64() * 1000.0
    );

    println!("== 4. email");
    let sent_before: i64 = sent(&db)?;
    let n = args.emails;
    let domain = "bench.test".to_string();
    db.write_blocking(move |conn| {
        for i in 0..n {
            peerdesk::mail::enqueue(
                conn,
                &domain,
                peerdesk::mail::NewMail {
                    user_id: None,
                    to: &format!("reader-{i}@bench.test"),
                    kind: "bench",
                    notification_id: None,
                    content: Some(peerdesk::mail::Composed {
                        subject: format!("Benchmark message {i}"),
                        text: "A plain-text part.\n".repeat(20),
                        html: "<p>An HTML part.</p>".repeat(20),
                        headers: Vec::new(),
                    }),
                    send_after: peerdesk::db::now(),
                },
            )?;
        }
        Ok(())
    })?;
    let t0 = Instant::now();
    let deadline = t0 + Duration::from_secs(120);
    while sent(&db)? < sent_before + n as i64 {
        if Instant::now() > deadline {
            anyhow::bail!("emails not sent within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "   {n} emails delivered into the SMTP server in {secs:.2} s: {:.0} messages/s",
        n as f64 / secs
    );
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn sent(db: &Db) -> anyhow::Result<i64> {
    Ok(db.read_blocking(|conn| {
        Ok(email_jobs::table
            .filter(email_jobs::status.eq("sent"))
            .count()
            .get_result(conn)?)
    })?)
}

/// Waits until the notifier has passed every event written so far.
fn settle(db: &Db) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let status = db.read_blocking(peerdesk::events::status)?;
        let done = status
            .consumers
            .iter()
            .filter(|c| c.consumer == "notifier")
            .all(|c| c.lag == 0);
        if done {
            return Ok(());
        }
        if Instant::now() > deadline {
            anyhow::bail!("the notifier did not catch up");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until `want` notifications about `post` exist; returns how many.
fn wait_count(db: &Db, post: i64, want: i64, within: Duration) -> anyhow::Result<i64> {
    let deadline = Instant::now() + within;
    loop {
        let n: i64 = db.read_blocking(|conn| {
            Ok(notifications::table
                .filter(notifications::post_id.eq(post))
                .count()
                .get_result(conn)?)
        })?;
        if n >= want {
            return Ok(n);
        }
        if Instant::now() > deadline {
            anyhow::bail!("only {n} of {want} notifications after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The resident memory of a process, in KB.
fn rss_kb(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS for {pid}"))
}

/// One idle page: opens the stream, says it is ready, and returns when its first `post` event
/// arrives (None if the stream ends first or nothing comes within a minute).
fn listen(host: &str, thread: i64, ready: &Barrier) -> Option<Instant> {
    let stream = TcpStream::connect(host);
    let Ok(mut stream) = stream else {
        ready.wait();
        return None;
    };
    let request = format!(
        "GET /live?thread={thread} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    );
    let _ = stream.write_all(request.as_bytes());
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    let mut waiting = true;
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => {
                if waiting {
                    ready.wait();
                }
                return None;
            }
            Ok(n) => n,
        };
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        if waiting && seen.contains("retry:") {
            waiting = false;
            ready.wait();
        }
        if seen.contains("event: post") {
            return Some(Instant::now());
        }
    }
}

/// A tiny HTTP/1.1 client for the API (keep-alive, bearer token).
struct Http {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Http {
    fn new(host: &str, token: &str) -> Http {
        Http {
            agent: ureq::AgentBuilder::new().build(),
            base: format!("http://{host}"),
            token: token.to_string(),
        }
    }
    fn post(&mut self, path: &str, body: serde_json::Value) -> anyhow::Result<serde_json::Value> {
        let r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token))
            .send_json(body)
            .map_err(|e| anyhow::anyhow!("POST {path}: {e}"))?;
        Ok(r.into_json()?)
    }
    fn ask(&mut self, title: &str) -> anyhow::Result<i64> {
        let v = self.post(
            "/api/v1/threads",
            serde_json::json!({"title": title, "body": "Benchmark question body.", "category": "general", "tags": []}),
        )?;
        v["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("no thread id in {v}"))
    }
    fn answer(&mut self, thread: i64, body: &str) -> anyhow::Result<i64> {
        let v = self.post(
            &format!("/api/v1/threads/{thread}/posts"),
            serde_json::json!({ "body": body }),
        )?;
        v["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("no post id in {v}"))
    }
}
