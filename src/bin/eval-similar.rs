//! Measures similar-question suggestions on the self-service set (`../shared/selfservice`):
//! loads every FAQ entry into a running, empty server as a solved thread through the API, sends
//! each development query to `GET /api/v1/search/similar` and prints hit@1 and hit@3 overall,
//! per kind and per language. `scripts/eval-similar` starts the server and runs this.
//!
//!   eval-similar --base http://127.0.0.1:PORT --db sqlite://… [--corpus F] [--queries F]

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use clap::Parser;
use peerdesk::accounts::{self, NewAccount, Role};
use peerdesk::catalog::{self, CategoryInput};
use peerdesk::db::Db;
use serde_json::{json, Value};

#[derive(Parser)]
#[command(about = "Similar-question suggestions on the self-service set: hit@1 and hit@3")]
struct Args {
    /// The running server (empty database).
    #[arg(long)]
    base: String,
    /// Its database (the loading team member and the two categories are made there).
    #[arg(long)]
    db: String,
    #[arg(long, default_value = "../shared/selfservice/corpus.jsonl")]
    corpus: String,
    #[arg(long, default_value = "../shared/selfservice/dev-queries.jsonl")]
    queries: String,
    /// Print every query whose target is not in the first three.
    #[arg(long)]
    misses: bool,
    /// Where the thread → entry map is kept: when it exists the corpus is taken as already
    /// loaded (a server restarted on the same database; `scripts/eval-similar --reuse DIR`).
    #[arg(long)]
    map: Option<String>,
}

fn read_jsonl(path: &str) -> anyhow::Result<Vec<Value>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {path}: {e} (is ../shared/selfservice there?)"))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ok(serde_json::from_str(l)?))
        .collect()
}

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A thread title within the server's 10–150 characters: short FAQ headings ("Authors") get
/// their FAQ's name, long ones are cut at a word (the question body holds them whole).
fn thread_title(title: &str, category: &str) -> String {
    let n = title.chars().count();
    if n < 10 {
        return format!("{title} ({category} FAQ)");
    }
    if n <= 150 {
        return title.to_string();
    }
    let mut cut = String::new();
    for word in title.split_whitespace() {
        if cut.chars().count() + word.chars().count() + 2 > 149 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    cut.push('…');
    cut
}

struct Api {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Api {
    fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token))
            .send_json(body)
            .map_err(|e| match e {
                ureq::Error::Status(code, r) => {
                    anyhow::anyhow!(
                        "POST {path}: {code} {}",
                        r.into_string().unwrap_or_default()
                    )
                }
                e => anyhow::anyhow!("POST {path}: {e}"),
            })?;
        Ok(r.into_json()?)
    }

    fn get(&self, path: &str) -> anyhow::Result<Value> {
        let r = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token))
            .call()
            .or_else(|e| match e {
                // /readyz answers 503 with its JSON while the index catches up.
                ureq::Error::Status(503, r) => Ok(r),
                e => Err(anyhow::anyhow!("GET {path}: {e}")),
            })?;
        Ok(r.into_json()?)
    }
}

#[derive(Default)]
struct Tally {
    n: u32,
    hit1: u32,
    hit3: u32,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let corpus = read_jsonl(&args.corpus)?;
    let queries = read_jsonl(&args.queries)?;
    let db = Db::connect(&args.db, 2)?;
    let saved: Option<HashMap<i64, String>> = match &args.map {
        Some(path) if std::path::Path::new(path).exists() => {
            Some(serde_json::from_str(&std::fs::read_to_string(path)?)?)
        }
        _ => None,
    };
    let token = db.write_blocking(|conn| {
        let staff = match accounts::find_by_handle(conn, "faq-staff") {
            Ok(u) => u,
            Err(_) => {
                let mut a =
                    NewAccount::parse("faq-staff", "faq-staff@eval.test", None, "FAQ team", "")?;
                a.role = Role::Staff;
                let staff = accounts::create(conn, a)?;
                for (name, slug) in [("Debian", "debian"), ("Python", "python")] {
                    catalog::create_category(conn, CategoryInput::parse(name, Some(slug), "", 0)?)?;
                }
                staff
            }
        };
        Ok(accounts::create_token(conn, &staff, "eval")?.0)
    })?;
    let api = Api {
        agent: ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build(),
        base: args.base.trim_end_matches('/').to_string(),
        token,
    };
    let thread_of = match saved {
        Some(map) => map,
        None => {
            let map = load(&api, &corpus)?;
            if let Some(path) = &args.map {
                std::fs::write(path, serde_json::to_string(&map)?)?;
            }
            map
        }
    };

    // Suggestions reflect what the index and the vectors hold: wait for both to catch up.
    let t = Instant::now();
    let mode = loop {
        let ready = api.get("/readyz")?;
        let search_done = ready["search"]["lag"].as_i64() == Some(0);
        let semantic = &ready["semantic"];
        let vectors_done = semantic["pending"].as_i64().unwrap_or(0) == 0
            && semantic["lag"].as_i64().unwrap_or(0) == 0
            && semantic["state"] != "loading";
        if search_done && vectors_done {
            break semantic["state"].as_str().unwrap_or("lexical").to_string();
        }
        if t.elapsed() > Duration::from_secs(600) {
            anyhow::bail!("the server did not catch up in 10 minutes: {ready}");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!(
        "indexed (suggestions: {mode}) after {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut latencies = Vec::new();
    for q in &queries {
        let text = field(q, "q");
        let url = format!("/api/v1/search/similar?q={}", urlencode(text));
        let t = Instant::now();
        let found = api.get(&url)?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        let ids: Vec<&str> = found["hits"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|h| h["type"] == "thread")
            .filter_map(|h| h["id"].as_i64())
            .filter_map(|id| thread_of.get(&id).map(String::as_str))
            .collect();
        let target = field(q, "target");
        let rank = ids.iter().position(|id| *id == target);
        for key in [
            "overall".to_string(),
            format!("kind {}", field(q, "kind")),
            format!("lang {}", field(q, "lang")),
        ] {
            let t = tallies.entry(key).or_default();
            t.n += 1;
            t.hit1 += u32::from(rank == Some(0));
            t.hit3 += u32::from(rank.is_some_and(|r| r < 3));
        }
        if args.misses && rank.is_none_or(|r| r >= 3) {
            println!(
                "miss: {text:?} → want {target}, got {:?}",
                &ids[..ids.len().min(3)]
            );
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "similar-question suggestions ({mode}), {} queries",
        queries.len()
    );
    println!("{:<16} {:>5} {:>7} {:>7}", "", "n", "hit@1", "hit@3");
    for (key, t) in &tallies {
        println!(
            "{key:<16} {:>5} {:>7.3} {:>7.3}",
            t.n,
            f64::from(t.hit1) / f64::from(t.n),
            f64::from(t.hit3) / f64::from(t.n)
        );
    }
    let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    println!(
        "latency over HTTP: p50 {:.1} ms, p95 {:.1} ms ({} threads)",
        pct(50),
        pct(95),
        corpus.len()
    );
    Ok(())
}

/// Loads every entry as a solved thread; returns thread id → entry id.
fn load(api: &Api, corpus: &[Value]) -> anyhow::Result<HashMap<i64, String>> {
    let t = Instant::now();
    let mut thread_of: HashMap<i64, String> = HashMap::new();
    for (i, entry) in corpus.iter().enumerate() {
        let (title, category) = (field(entry, "title"), field(entry, "category"));
        let thread = api.post(
            "/api/v1/threads",
            json!({
                "title": thread_title(title, category),
                "body": title,
                "category": category.to_lowercase(),
            }),
        )?;
        let thread_id = thread["id"].as_i64().unwrap_or_default();
        let post = api.post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            json!({ "body": field(entry, "body") }),
        )?;
        let post_id = post["id"].as_i64().unwrap_or_default();
        api.post(&format!("/api/v1/posts/{post_id}/accept"), json!({}))?;
        thread_of.insert(thread_id, field(entry, "id").to_string());
        if (i + 1) % 50 == 0 || i + 1 == corpus.len() {
            eprint!("\rloaded {}/{} entries", i + 1, corpus.len());
        }
    }
    eprintln!(" in {:.1} s", t.elapsed().as_secs_f64());
    Ok(thread_of)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
