//! Crash safety of indexing with the real binary: kill -9 the server in the middle of a burst of
//! posts; after a restart every post that got a 2xx is in the index exactly once, and the index
//! matches the database. Also: a damaged index folder is rebuilt on start.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;
use crate::search::urlencode;
use serde_json::json;

pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A failing test shows what the server said.
        if std::thread::panicking() {
            if let Ok(log) = std::fs::read_to_string(&self.log) {
                eprintln!("--- server log {} ---\n{log}", self.log.display());
            }
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

pub fn cli(db_url: &str, search_dir: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .args(args)
        .env("PEERDESK_DATABASE__URL", db_url)
        .env("PEERDESK_SEARCH__DIR", search_dir)
        .env(
            "PEERDESK_THEME__DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/themes"),
        )
        .stdin(Stdio::null())
        .output()
        .expect("run peerdesk");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Settings for a server these tests script: many posts from one member and one address,
/// sign-ups at script speed (as `helpers::spawn_app` sets them).
pub fn scripted_env() -> Vec<(String, String)> {
    let mut env = vec![
        (
            "PEERDESK_MODERATION__SIGN_UP_MIN_SECONDS".to_string(),
            "0".to_string(),
        ),
        (
            "PEERDESK_MODERATION__DUPLICATE_MINUTES".to_string(),
            "0".to_string(),
        ),
    ];
    for p in [
        "VOTE_UP",
        "FLAG",
        "LINKS",
        "VOTE_DOWN",
        "COMMENT_ANYWHERE",
        "HIGHER_RATES",
    ] {
        env.push((format!("PEERDESK_TRUST__PRIVILEGES__{p}"), "0".to_string()));
    }
    for who in ["PER_USER", "PER_IP"] {
        for action in ["QUESTIONS", "ANSWERS", "COMMENTS", "VOTES", "FLAGS"] {
            env.push((
                format!("PEERDESK_LIMITS__{who}__{action}"),
                "[\"100000/minute\"]".to_string(),
            ));
        }
    }
    env
}

/// Spawns `peerdesk serve` on a free port, its stderr in `log_path`, without waiting for it.
pub fn spawn(db_url: &str, search_dir: &str, log_path: &std::path::Path) -> Server {
    let port = free_port();
    let log = std::fs::File::create(log_path).expect("log file");
    let child = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .arg("serve")
        .env("PEERDESK_DATABASE__URL", db_url)
        .env("PEERDESK_SEARCH__DIR", search_dir)
        .env("PEERDESK_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("PEERDESK_SERVER__WORKERS", "2")
        .env(
            "PEERDESK_THEME__DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/themes"),
        )
        .envs(scripted_env())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start server");
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log: log_path.to_path_buf(),
    }
}

/// Starts the server and waits until it answers; `Err(its log)` when it exits instead.
pub fn try_start(
    db_url: &str,
    search_dir: &str,
    log_path: &std::path::Path,
) -> Result<Server, String> {
    let mut server = spawn(db_url, search_dir, log_path);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(2))
        .build();
    let deadline = Instant::now() + Duration::from_secs(60);
    while agent
        .get(&format!("{}/healthz", server.base))
        .call()
        .is_err()
    {
        if let Ok(Some(status)) = server.child.try_wait() {
            let logged = std::fs::read_to_string(log_path).unwrap_or_default();
            return Err(format!("the server exited ({status}): {logged}"));
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(server)
}

pub fn start(db_url: &str, search_dir: &str, log_path: &std::path::Path) -> Server {
    try_start(db_url, search_dir, log_path).unwrap_or_else(|e| panic!("{e}"))
}

/// Creates a user without a password through the CLI and returns an API token for them.
pub fn cli_user_token(db_url: &str, search_dir: &str, handle: &str) -> String {
    cli(
        db_url,
        search_dir,
        &[
            "user",
            "create",
            "--handle",
            handle,
            "--email",
            &format!("{handle}@example.com"),
            "--no-password",
        ],
    );
    cli(db_url, search_dir, &["token", "create", "--user", handle])
        .trim()
        .to_string()
}

/// `/readyz`'s numbers, also while it answers 503 (during the replay after a restart).
fn readyz(base: &str) -> serde_json::Value {
    match ureq::get(&format!("{base}/readyz")).call() {
        Ok(r) | Err(ureq::Error::Status(503, r)) => r.into_json().expect("json"),
        Err(e) => panic!("readyz: {e}"),
    }
}

fn outbox_max(db_url: &str) -> i64 {
    let db = peerdesk::db::Db::connect(db_url, 1).expect("db");
    db.read_blocking(peerdesk::events::newest_id).expect("max")
}

fn thread_count(db_url: &str) -> u64 {
    let db = peerdesk::db::Db::connect(db_url, 1).expect("db");
    db.read_blocking(peerdesk::search::documents::thread_counts)
        .expect("counts")
        .0 as u64
}

fn wait_caught_up(base: &str, db_url: &str) {
    let max = outbox_max(db_url);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = readyz(base);
        let applied = r["search"]["applied"]
            .as_i64()
            .unwrap_or(0)
            .max(r["search"]["cursor"].as_i64().unwrap_or(0));
        if applied >= max {
            return;
        }
        assert!(Instant::now() < deadline, "indexer did not catch up: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn kill_dash_9_mid_burst_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index").display().to_string();
    let token = cli_user_token(&db_url, &search_dir, "burster");

    let server = start(&db_url, &search_dir, &dir.path().join("first.log"));
    let base = server.base.clone();
    let mut server = Some(server);
    let acknowledged = std::sync::Mutex::new(Vec::<(i64, String)>::new());
    std::thread::scope(|s| {
        for worker in 0..4 {
            let (base, token, acknowledged) = (&base, &token, &acknowledged);
            s.spawn(move || {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(5)).build();
                for n in 0..400 {
                    let word = format!("burstword{worker}x{n}");
                    let r = agent
                        .post(&format!("{base}/api/v1/threads"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(json!({"title": format!("Burst question {worker} {n}"), "body": format!("Unique {word}"), "category": "general"}));
                    match r {
                        Ok(resp) if resp.status() == 201 => {
                            let v: serde_json::Value = resp.into_json().expect("json");
                            acknowledged.lock().expect("lock").push((v["id"].as_i64().expect("id"), word));
                        }
                        // The server is gone: stop this worker.
                        _ => break,
                    }
                }
            });
        }
        // Let the burst run, then kill -9 while requests are in flight.
        std::thread::sleep(Duration::from_millis(700));
        if let Some(mut srv) = server.take() {
            srv.child.kill().expect("kill -9");
            let _ = srv.child.wait();
        }
    });
    let acknowledged = acknowledged.into_inner().expect("acks");
    assert!(
        acknowledged.len() > 10,
        "the burst should have landed some posts before the kill"
    );

    let server = start(&db_url, &search_dir, &dir.path().join("second.log"));
    wait_caught_up(&server.base, &db_url);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build();
    for (id, word) in &acknowledged {
        let v: serde_json::Value = agent
            .get(&format!(
                "{}/api/v1/search?q={}",
                server.base,
                urlencode(word)
            ))
            .call()
            .expect("search")
            .into_json()
            .expect("json");
        let found: Vec<i64> = v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["id"].as_i64())
            .collect();
        assert_eq!(
            found,
            vec![*id],
            "post {id} ({word}) must be indexed exactly once"
        );
    }
    // The index holds exactly one document per thread in the database.
    assert_eq!(
        readyz(&server.base)["search"]["documents"].as_u64(),
        Some(thread_count(&db_url))
    );
}

#[test]
fn a_damaged_or_missing_index_is_rebuilt_on_start() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    let token = cli_user_token(&db_url, &sd, "rebuilder");
    {
        let server = start(&db_url, &sd, &dir.path().join("a.log"));
        let r = ureq::post(&format!("{}/api/v1/threads", server.base))
            .set("Authorization", &format!("Bearer {token}"))
            .send_json(json!({"title": "Thread that must survive", "body": "quokkaword", "category": "general"}))
            .expect("ask");
        assert_eq!(r.status(), 201);
        wait_caught_up(&server.base, &db_url);
    }
    // Damage the live index: truncate every file in it.
    let live = std::fs::read_to_string(search_dir.join("CURRENT")).expect("CURRENT");
    for entry in std::fs::read_dir(search_dir.join(live.trim()))
        .expect("dir")
        .flatten()
    {
        std::fs::write(entry.path(), b"garbage").expect("damage");
    }
    let log = dir.path().join("b.log");
    let server = start(&db_url, &sd, &log);
    let v: serde_json::Value = ureq::get(&format!("{}/api/v1/search?q=quokkaword", server.base))
        .call()
        .expect("search")
        .into_json()
        .expect("json");
    assert_eq!(v["total"], 1, "{v}");
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(
        logged.contains("rebuilding it from the database"),
        "{logged}"
    );
    drop(server);
    // Missing entirely: the same.
    std::fs::remove_dir_all(&search_dir).expect("rm");
    let server = start(&db_url, &sd, &dir.path().join("c.log"));
    let v: serde_json::Value = ureq::get(&format!("{}/api/v1/search?q=quokkaword", server.base))
        .call()
        .expect("search")
        .into_json()
        .expect("json");
    assert_eq!(v["total"], 1);
    // And `peerdesk reindex` swaps in a fresh index while the server runs.
    let out = cli(&db_url, &sd, &["reindex"]);
    assert!(out.contains("posts/s"), "{out}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v: serde_json::Value =
            ureq::get(&format!("{}/api/v1/search?q=quokkaword", server.base))
                .call()
                .expect("search")
                .into_json()
                .expect("json");
        assert_eq!(
            v["total"], 1,
            "search keeps answering during and after the swap"
        );
        let live = std::fs::read_to_string(search_dir.join("CURRENT")).expect("CURRENT");
        let dirs = std::fs::read_dir(&search_dir)
            .expect("dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("idx-"))
            .count();
        if dirs == 1 && search_dir.join(live.trim()).exists() {
            break;
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(50));
    }
}
