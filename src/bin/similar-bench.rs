//! Benchmark of similar-question suggestions at scale (`scripts/bench-similar` runs it).
//!
//!   similar-bench fill  --db URL [--model DIR] [--sample-every 200]
//!                       [--german-model DIR [--german-every 7]]
//!   similar-bench query --db URL --url http://127.0.0.1:PORT [--rounds 300] [--token T]
//!                       [--german]
//!
//! `fill` gives every visible thread of a generated corpus a vector of the configured model.
//! The demo corpus has 200,000 threads; embedding them all takes hours on two cores and their
//! text is random words anyway, so every `sample-every`-th thread is embedded with the real
//! model and the others get the normalised sum of two of those vectors. Each row carries the
//! thread's real text hash and the model's name, exactly as the embedder writes it, so the
//! server takes them as up to date. The time of a scan does not depend on the values.
//! With `--german-model`, every `german-every`-th thread also gets a vector of the German
//! model (role `de`, made the same way; the demo corpus is English, so this stands in for a
//! site with that share of German threads) and the others the empty row the server stores for
//! a thread that is not German.
//!
//! `query` sends new drafts (real titles of the corpus, each made unique; with `--german`,
//! German support questions, each made unique) one at a time to
//! `GET /api/v1/search/similar` and prints p50/p95/p99 including the draft's embedding; with
//! `--token` (staff) it then asks, answers and accepts new threads and prints how long each
//! takes to be suggested after it is solved.

use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use diesel::prelude::*;
use peerdesk::db::schema::threads;
use peerdesk::db::Db;
use peerdesk::search::{documents, semantic, vectors};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(about = "Similar-question suggestions at scale: fill vectors, then measure over HTTP")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Give every visible thread without one a vector (a sample embedded for real).
    Fill {
        /// Database with the corpus (`peerdesk demo-data`).
        #[arg(long)]
        db: String,
        /// The model folder (as `[search.semantic] model_dir`).
        #[arg(long, default_value_os_t = peerdesk::embedding::default_dir())]
        model: std::path::PathBuf,
        /// Embed every n-th thread with the model; the others are made from those.
        #[arg(long, default_value_t = 200)]
        sample_every: usize,
        /// The German model's folder (as `[search.semantic] german_model_dir`): also fill
        /// its vectors.
        #[arg(long)]
        german_model: Option<std::path::PathBuf>,
        /// With `--german-model`: every n-th thread stands for a German one.
        #[arg(long, default_value_t = 7)]
        german_every: i64,
    },
    /// Time each step of a suggestion in-process (where the time goes), no server.
    Profile {
        #[arg(long)]
        db: String,
        /// Search index folder (`search.dir`).
        #[arg(long)]
        index: std::path::PathBuf,
        #[arg(long, default_value_os_t = peerdesk::embedding::default_dir())]
        model: std::path::PathBuf,
        #[arg(long, default_value_t = 100)]
        rounds: usize,
    },
    /// Measure `/api/v1/search/similar` of a running server, one connection.
    Query {
        /// Database with the corpus (drafts are made from its titles).
        #[arg(long)]
        db: String,
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 300)]
        rounds: usize,
        /// A staff API token: also measure how soon a solved thread is suggested.
        #[arg(long)]
        token: Option<String>,
        /// Send German drafts (the German model's path) instead of the corpus's titles.
        #[arg(long)]
        german: bool,
    },
}

fn main() -> anyhow::Result<()> {
    match Args::parse().command {
        Command::Fill {
            db,
            model,
            sample_every,
            german_model,
            german_every,
        } => {
            let db = Db::connect(&db, 2)?;
            fill(&db, &model, vectors::Role::Main, sample_every.max(1), 1)?;
            match german_model {
                Some(dir) => fill(
                    &db,
                    &dir,
                    vectors::Role::German,
                    sample_every.max(1),
                    german_every.max(1),
                ),
                None => Ok(()),
            }
        }
        Command::Query {
            db,
            url,
            rounds,
            token,
            german,
        } => {
            let db = Db::connect(&db, 2)?;
            let drafts = if german {
                german_drafts(rounds.max(1))
            } else {
                drafts(&db, rounds.max(1))?
            };
            let kind = if german { "German" } else { "new" };
            query(&url, kind, drafts, token.as_deref())
        }
        Command::Profile {
            db,
            index,
            model,
            rounds,
        } => profile(&Db::connect(&db, 2)?, &index, &model, rounds),
    }
}

/// A tiny deterministic generator (the bench must not depend on `rand`'s version).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// Fills `role`'s vectors of `dir`'s model; with `every` above 1 only every `every`-th thread
/// gets one (a German thread), the others the empty row of a thread in another language.
fn fill(
    db: &Db,
    dir: &std::path::Path,
    role: vectors::Role,
    sample_every: usize,
    every: i64,
) -> anyhow::Result<()> {
    let model = peerdesk::embedding::Embedder::load(dir)?;
    let name = model.name().to_string();
    let n = name.clone();
    let total = db.read_blocking(move |conn| vectors::missing_count(conn, role, &n))?;
    println!(
        "{total} threads without a {} vector of {name}; every {every}th gets one, every \
         {sample_every}th of those embedded",
        role.as_str()
    );
    let progress = peerdesk::progress::Progress::new("vectors", "threads");
    let mut samples: Vec<Vec<f32>> = Vec::new();
    let mut rng = Lcg(42);
    let (mut after, mut done, mut embedded) = (0i64, 0u64, 0usize);
    let started = Instant::now();
    let mut embed_time = Duration::ZERO;
    loop {
        let n = name.clone();
        let ids = db.read_blocking(move |conn| vectors::missing(conn, role, &n, after, 1000))?;
        let Some(&last) = ids.last() else {
            break;
        };
        let docs = db.read_blocking(move |conn| documents::thread_docs(conn, &ids))?;
        let texts: Vec<(i64, String)> = docs
            .iter()
            .map(|d| (d.id, semantic::thread_text(d)))
            .collect();
        let mut rows: Vec<(i64, String, Vec<f32>)> = Vec::with_capacity(texts.len());
        for (i, (id, text)) in texts.iter().enumerate() {
            let hash = semantic::text_hash(text);
            let v = if id % every != 0 {
                Vec::new()
            } else if samples.is_empty() || (done as usize + i).is_multiple_of(sample_every) {
                let t = Instant::now();
                let v = model
                    .embed(&[text.as_str()])?
                    .pop()
                    .ok_or_else(|| anyhow::anyhow!("no vector"))?;
                embed_time += t.elapsed();
                embedded += 1;
                samples.push(v.clone());
                v
            } else {
                let a = &samples[rng.next(samples.len())];
                let b = &samples[rng.next(samples.len())];
                let sum: Vec<f32> = a.iter().zip(b).map(|(x, y)| x + y).collect();
                let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                sum.into_iter().map(|x| x / norm).collect()
            };
            rows.push((*id, hash, v));
        }
        let n = name.clone();
        db.write_untracked(move |conn| {
            let new: Vec<vectors::NewVector> = rows
                .iter()
                .map(|(id, hash, v)| vectors::NewVector {
                    thread_id: *id,
                    text_hash: hash,
                    vector: v,
                })
                .collect();
            vectors::save(conn, role, &n, &new)
        })?;
        done += texts.len() as u64;
        after = last;
        progress.set(done, (total.max(0) as u64).max(done));
    }
    progress.finish();
    println!(
        "{done} vectors stored in {:.1?}; {embedded} embedded by the model ({:.1} threads/s)",
        started.elapsed(),
        embedded as f64 / embed_time.as_secs_f64().max(1e-9)
    );
    Ok(())
}

/// Drafts made from the corpus's titles: cut to eight words and numbered, so none repeats.
fn drafts(db: &Db, n: usize) -> anyhow::Result<Vec<String>> {
    let titles: Vec<String> = db.read_blocking(move |conn| {
        Ok(threads::table
            .select(threads::title)
            .order(threads::id)
            .limit((n * 7) as i64)
            .load(conn)?)
    })?;
    anyhow::ensure!(!titles.is_empty(), "the corpus has no threads");
    Ok((0..n)
        .map(|i| {
            let words: Vec<&str> = titles[(i * 7) % titles.len()].split_whitespace().collect();
            let keep = words.len().clamp(1, 8);
            format!("{} {}", words[..keep].join(" "), i)
        })
        .collect())
}

fn profile(
    db: &Db,
    index: &std::path::Path,
    model: &std::path::Path,
    rounds: usize,
) -> anyhow::Result<()> {
    use peerdesk::search::{similar_request, Search};
    let search = Search::open_or_rebuild(index, db)?;
    let settings = peerdesk::config::SemanticSettings {
        model_dir: model.display().to_string(),
        ..Default::default()
    };
    search.start_embedder(&settings, db.clone(), "similar-bench-profile".into())?;
    let semantic = search.semantic();
    let started = Instant::now();
    while semantic.status(None).state != "on" {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "vectors not loaded"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "{} vectors loaded in {:.1?}",
        semantic.status(None).vectors,
        started.elapsed()
    );
    let steps = [
        "language",
        "words (top 30)",
        "embedding",
        "nearest (scan)",
        "whole suggest",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    for draft in drafts(db, rounds)? {
        let req = similar_request(&draft, 5);
        let t = Instant::now();
        let _ = search.text_language(&req.q);
        times[0].push(ms(t));
        let t = Instant::now();
        search.search_keys(&peerdesk::search::SearchRequest {
            limit: 30,
            ..req.clone()
        })?;
        times[1].push(ms(t));
        let t = Instant::now();
        let qv = semantic
            .query_vector(&format!("{} x", req.q))?
            .ok_or_else(|| anyhow::anyhow!("off"))?;
        times[2].push(ms(t));
        let t = Instant::now();
        semantic.nearest(&qv, 30, true);
        times[3].push(ms(t));
        let t = Instant::now();
        peerdesk::search::suggest(&search, &req)?;
        times[4].push(ms(t));
    }
    for (name, mut t) in steps.iter().zip(times) {
        t.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{name:>16}: p50 {:6.2} ms  p99 {:6.2} ms",
            percentile(&t, 0.5),
            percentile(&t, 0.99)
        );
    }
    semantic.shutdown();
    Ok(())
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

/// German support questions, numbered so none repeats (the corpus has no German titles).
fn german_drafts(n: usize) -> Vec<String> {
    const QUESTIONS: &[&str] = &[
        "Wie halte ich ein Paket auf seiner aktuellen Version",
        "Der Drucker druckt nach dem Update nicht mehr",
        "Warum bricht die WLAN-Verbindung ständig ab",
        "Wie setze ich mein Passwort zurück",
        "Das Programm startet nicht und zeigt eine Fehlermeldung",
        "Wo finde ich die Rechnung für mein Abonnement",
        "Die Synchronisation mit dem Server dauert sehr lange",
        "Wie kann ich meine Daten auf ein neues Gerät übertragen",
        "Nach dem Neustart sind meine Einstellungen weg",
        "Warum ist der Akku so schnell leer",
        "Wie ändere ich die Sprache der Oberfläche",
        "Kann ich mehrere Konten gleichzeitig verwenden",
    ];
    (0..n)
        .map(|i| format!("{} {}", QUESTIONS[i % QUESTIONS.len()], i))
        .collect()
}

fn query(url: &str, kind: &str, drafts: Vec<String>, token: Option<&str>) -> anyhow::Result<()> {
    let rounds = drafts.len();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let similar = |q: &str| -> anyhow::Result<Value> {
        Ok(agent
            .get(&format!("{url}/api/v1/search/similar"))
            .query("q", q)
            .call()?
            .into_json()?)
    };
    // Warm up: the first requests load caches and pages of the index.
    for d in drafts.iter().take(10) {
        similar(&format!("{d} warm-up"))?;
    }
    let mut times = Vec::with_capacity(rounds);
    for draft in &drafts {
        let t = Instant::now();
        let body = similar(draft)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(body["hits"].is_array(), "unexpected answer: {body}");
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "GET /api/v1/search/similar, {kind} drafts, one connection: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms ({rounds} drafts)",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99)
    );
    if let Some(token) = token {
        freshness(&agent, url, token, &similar)?;
    }
    Ok(())
}

/// Asks, answers and accepts new threads and measures how soon each is suggested.
fn freshness(
    agent: &ureq::Agent,
    url: &str,
    token: &str,
    similar: &dyn Fn(&str) -> anyhow::Result<Value>,
) -> anyhow::Result<()> {
    let auth = format!("Bearer {token}");
    let post = |path: &str, body: Value| -> anyhow::Result<Value> {
        Ok(agent
            .post(&format!("{url}{path}"))
            .set("Authorization", &auth)
            .send_json(body)?
            .into_json()?)
    };
    let categories: Value = agent
        .get(&format!("{url}/api/v1/categories"))
        .call()?
        .into_json()?;
    let category = categories["categories"][0]["slug"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no category"))?
        .to_string();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let topics = [
        "Thermostat shows a blinking snowflake after the winter update",
        "Label printer feeds three blank labels before every print",
        "Smart doorbell chime rings twice for one press",
        "Espresso machine descaling light stays on after descaling",
        "Garage door opener forgets the remote after a power cut",
    ];
    let mut waits = Vec::new();
    for (i, topic) in topics.iter().enumerate() {
        let title = format!("{topic} ({stamp}-{i})");
        let thread = post(
            "/api/v1/threads",
            json!({"title": title, "body": format!("{topic}. What can I do?"), "category": category}),
        )?;
        let id = thread["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("{thread}"))?;
        let answer = post(
            &format!("/api/v1/threads/{id}/posts"),
            json!({"body": "Hold the reset button for ten seconds, then pair it again."}),
        )?;
        let pid = answer["id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("{answer}"))?;
        post(&format!("/api/v1/posts/{pid}/accept"), json!({}))?;
        let solved = Instant::now();
        loop {
            let hits = similar(topic)?;
            let found = hits["hits"]
                .as_array()
                .is_some_and(|h| h.iter().any(|h| h["id"].as_i64() == Some(id)));
            if found {
                waits.push(solved.elapsed().as_secs_f64());
                break;
            }
            anyhow::ensure!(
                solved.elapsed() < Duration::from_secs(60),
                "thread {id} not suggested within 60 s of being solved"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    waits.sort_by(|a, b| a.total_cmp(b));
    println!(
        "solved thread suggested after: median {:.2} s, worst {:.2} s ({} threads)",
        percentile(&waits, 0.5),
        percentile(&waits, 1.0),
        waits.len()
    );
    Ok(())
}
