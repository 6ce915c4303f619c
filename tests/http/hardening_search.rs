//! Hardening of search with the real binary: a damaged index file found at start and at run
//! time (503s, not 500s, then a rebuild without a restart), the rebuild lock as a real file
//! lock (a leftover lock file, a holder killed with -9), readiness that reports the indexer
//! (a deleted index folder, the replay after a restart, a database that is gone) and start-up
//! errors that name the path.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::crash::{cli, cli_user_token, free_port, spawn, start, try_start};
use crate::helpers::*;

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build()
}

/// GET: status and body, whatever the status.
fn get(base: &str, path: &str) -> (u16, String) {
    match agent().get(&format!("{base}{path}")).call() {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("GET {path}: {e}"),
    }
}

fn get_json(base: &str, path: &str) -> (u16, serde_json::Value) {
    let (status, body) = get(base, path);
    let v = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("GET {path} answered {status} with non-JSON ({e}): {body}"));
    (status, v)
}

/// `/readyz`, checked for its shape: JSON with the indexer's numbers whatever the status, and
/// `error` and `message` when not ready.
fn readyz(base: &str) -> (u16, serde_json::Value) {
    let (status, v) = get_json(base, "/readyz");
    match status {
        200 => assert_eq!(v["status"], "ready", "{v}"),
        503 => {
            assert_eq!(v["status"], "not_ready", "{v}");
            assert_eq!(v["error"], "unavailable", "{v}");
            assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        }
        other => panic!("/readyz answered {other}: {v}"),
    }
    for key in [
        "documents",
        "cursor",
        "applied",
        "heartbeat_seconds",
        "caught_up",
    ] {
        assert!(
            !v["search"][key].is_null(),
            "/readyz lacks search.{key}: {v}"
        );
    }
    (status, v)
}

/// Polls `/readyz` until it answers 200 (its 503s must be well formed meanwhile).
fn wait_ready(base: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, v) = readyz(base);
        if status == 200 {
            return v;
        }
        assert!(Instant::now() < deadline, "never ready: {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn newest_event(db_url: &str) -> i64 {
    let db = peerdesk::db::Db::connect(db_url, 1).expect("db");
    db.read_blocking(peerdesk::events::newest_id)
        .expect("newest")
}

fn thread_total(db_url: &str) -> usize {
    let db = peerdesk::db::Db::connect(db_url, 1).expect("db");
    db.read_blocking(peerdesk::search::documents::thread_counts)
        .expect("counts")
        .0 as usize
}

/// The index folder CURRENT names.
fn live_dir(search_dir: &Path) -> PathBuf {
    let name = std::fs::read_to_string(search_dir.join("CURRENT")).expect("CURRENT");
    search_dir.join(name.trim())
}

/// Nine hundred realistic threads, indexed (the store file gets large enough to damage its
/// middle).
fn demo_content(db_url: &str, sd: &str) {
    cli(
        db_url,
        sd,
        &[
            "demo-data",
            "--threads",
            "900",
            "--answers",
            "3",
            "--users",
            "20",
        ],
    );
}

/// Overwrites 64 KiB in the middle of the largest `.store` file (the stored documents) in
/// place — the same file a running server has mapped — with a fixed pseudo-random pattern.
/// Returns the file's name.
fn damage_store(index_dir: &Path) -> String {
    let store = std::fs::read_dir(index_dir)
        .expect("index dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".store"))
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .expect("a .store file");
    let len = store.metadata().expect("meta").len();
    const SPAN: u64 = 64 * 1024;
    assert!(
        len >= 3 * SPAN,
        "the store file is too small to damage its middle: {len} bytes"
    );
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..SPAN)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(store.path())
        .expect("open store");
    f.seek(SeekFrom::Start(len / 2 - SPAN / 2)).expect("seek");
    f.write_all(&garbage).expect("damage");
    f.sync_all().expect("sync");
    store.file_name().to_string_lossy().into_owned()
}

/// Every stored document through search, twice: the API and the search page in pages of 10,
/// browsing all threads (a filter without words). Returns (path, status) pairs.
fn browse_all(base: &str, threads: usize) -> Vec<(String, u16)> {
    let mut paths: Vec<String> = (0..threads)
        .step_by(10)
        .map(|offset| format!("/api/v1/search?type=thread&limit=10&offset={offset}"))
        .collect();
    paths.extend((1..=threads.div_ceil(10)).map(|page| format!("/search?type=thread&page={page}")));
    paths
        .into_iter()
        .map(|path| {
            let (status, _) = get(base, &path);
            (path, status)
        })
        .collect()
}

/// Takes the rebuild lock from this process, as a running `peerdesk reindex` holds it: the
/// server must wait for it, so a damaged or missing index stays so until we let go.
fn hold_rebuild_lock(search_dir: &Path) -> std::fs::File {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(search_dir.join("REBUILD.lock"))
        .expect("lock file");
    f.try_lock().expect("the rebuild lock is free");
    f
}

fn ask(base: &str, token: &str, title: &str, body: &str) -> i64 {
    let r = agent()
        .post(&format!("{base}/api/v1/threads"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"title": title, "body": body, "category": "general"}))
        .expect("ask");
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.into_json().expect("json");
    v["id"].as_i64().expect("id")
}

/// Search hits for `word`: `Ok(ids)` on 200, `Err(status)` otherwise (after checking that a
/// 503 says why in JSON).
fn search_ids(base: &str, word: &str) -> Result<Vec<i64>, u16> {
    let (status, v) = get_json(base, &format!("/api/v1/search?q={word}"));
    match status {
        200 => Ok(v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["id"].as_i64())
            .collect()),
        503 => {
            assert_eq!(v["error"], "unavailable", "{v}");
            assert!(
                v["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("search index is being rebuilt")),
                "{v}"
            );
            Err(503)
        }
        other => panic!("search for {word} answered {other}: {v}"),
    }
}

/// Polls until a search for `word` finds exactly `id` (503s allowed meanwhile, 500s never).
fn wait_found(base: &str, word: &str, id: i64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if search_ids(base, word) == Ok(vec![id]) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{word} (thread {id}) never became searchable"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_damaged_store_file_is_found_at_start_and_the_index_rebuilt() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    demo_content(&db_url, &sd);
    let threads = thread_total(&db_url);
    let damaged_dir = live_dir(&search_dir);
    let file = damage_store(&damaged_dir);

    let log = dir.path().join("server.log");
    let server = start(&db_url, &sd, &log);
    wait_ready(&server.base);
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(
        logged.contains("damaged files") && logged.contains(&file),
        "the start-up check must name the damaged file: {logged}"
    );
    assert!(
        logged.contains("rebuilding it from the database"),
        "{logged}"
    );
    assert_ne!(live_dir(&search_dir), damaged_dir, "a fresh folder is live");
    let failed: Vec<_> = browse_all(&server.base, threads)
        .into_iter()
        .filter(|(_, status)| *status != 200)
        .collect();
    assert!(failed.is_empty(), "every search must work: {failed:?}");
    drop(server);

    // And the next start finds nothing wrong: no second rebuild.
    let log = dir.path().join("again.log");
    let server = start(&db_url, &sd, &log);
    wait_ready(&server.base);
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(!logged.contains("rebuilding"), "{logged}");
}

#[test]
fn a_search_that_reads_a_damaged_file_answers_503_and_the_index_is_rebuilt_without_a_restart() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    demo_content(&db_url, &sd);
    let threads = thread_total(&db_url);
    let log = dir.path().join("server.log");
    let server = start(&db_url, &sd, &log);
    wait_ready(&server.base);

    let damaged_dir = live_dir(&search_dir);
    let lock = hold_rebuild_lock(&search_dir);
    let file = damage_store(&damaged_dir);
    let statuses = browse_all(&server.base, threads);
    let errors: Vec<_> = statuses
        .iter()
        .filter(|(_, s)| *s >= 500 && *s != 503)
        .collect();
    assert!(
        errors.is_empty(),
        "never a 500 for a damaged index: {errors:?}"
    );
    assert!(
        statuses.iter().any(|(_, s)| *s == 503),
        "reading the damaged part must be noticed: {statuses:?}"
    );
    // Not ready, saying which file, while the rebuild waits for the lock.
    let (status, r) = readyz(&server.base);
    assert_eq!(status, 503, "{r}");
    assert!(
        r["search"]["problem"]
            .as_str()
            .is_some_and(|p| p.contains(&file)),
        "{r}"
    );
    // Every search now answers a clear 503, in JSON for the API and as a page for people.
    assert_eq!(search_ids(&server.base, "router"), Err(503));
    let (status, page) = get(&server.base, "/search?q=router");
    assert_eq!(status, 503);
    assert!(page.contains("<html") && page.contains("search index is being rebuilt"));

    drop(lock);
    wait_ready(&server.base);
    assert_ne!(
        live_dir(&search_dir),
        damaged_dir,
        "a rebuilt folder is live"
    );
    let failed: Vec<_> = browse_all(&server.base, threads)
        .into_iter()
        .filter(|(_, status)| *status != 200)
        .collect();
    assert!(failed.is_empty(), "every search works again: {failed:?}");
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(
        logged.contains("is damaged") && logged.contains(&file),
        "{logged}"
    );
}

#[test]
fn a_leftover_rebuild_lock_naming_a_live_process_does_not_block_start() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    let token = cli_user_token(&db_url, &sd, "locker");
    let id = {
        let server = start(&db_url, &sd, &dir.path().join("a.log"));
        let id = ask(&server.base, &token, "Lock file question", "wombatword");
        wait_found(&server.base, "wombatword", id);
        id
    };
    // What kill -9 in the middle of the start-up rebuild leaves: no usable index, and a lock
    // file naming the dead server's process id — which, in a container, the restarted server
    // has again (process 1). Here: a live process, this one.
    std::fs::remove_dir_all(live_dir(&search_dir)).expect("rm index");
    std::fs::remove_file(search_dir.join("CURRENT")).expect("rm CURRENT");
    std::fs::write(
        search_dir.join("REBUILD.lock"),
        std::process::id().to_string(),
    )
    .expect("leftover lock");
    let server = try_start(&db_url, &sd, &dir.path().join("b.log"))
        .unwrap_or_else(|e| panic!("a leftover lock file must not block start: {e}"));
    wait_ready(&server.base);
    assert_eq!(search_ids(&server.base, "wombatword"), Ok(vec![id]));
    // `peerdesk reindex` is not blocked by it either.
    let out = cli(&db_url, &sd, &["reindex"]);
    assert!(out.contains("posts/s"), "{out}");
}

/// A child process killed (with -9) and reaped when the test ends, also when it fails.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_rebuild_lock_is_held_by_a_live_rebuild_and_released_by_kill_9() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    let token = cli_user_token(&db_url, &sd, "holder");
    let id = {
        let server = start(&db_url, &sd, &dir.path().join("a.log"));
        let id = ask(&server.base, &token, "Held lock question", "numbatword");
        wait_found(&server.base, "numbatword", id);
        id
    };
    // Another process holds the lock the way a rebuild does (flock on REBUILD.lock).
    let lock_path = search_dir.join("REBUILD.lock");
    let mut holder = Reaped(
        Command::new("bash")
            .arg("-c")
            .arg("exec 9<>\"$1\" && flock 9 && echo locked && exec sleep 600")
            .arg("bash")
            .arg(&lock_path)
            .stdout(Stdio::piped())
            .spawn()
            .expect("bash with flock"),
    );
    {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(holder.0.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("holder says locked");
        assert_eq!(line.trim(), "locked");
    }
    // `peerdesk reindex` refuses while it is held, saying so.
    let out = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .arg("reindex")
        .env("PEERDESK_DATABASE__URL", &db_url)
        .env("PEERDESK_SEARCH__DIR", &sd)
        .stdin(Stdio::null())
        .output()
        .expect("reindex");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "reindex must wait its turn: {stderr}"
    );
    assert!(
        stderr.contains("another rebuild of the search index is running"),
        "{stderr}"
    );
    // A server whose index must be rebuilt waits for the lock at start...
    std::fs::remove_dir_all(live_dir(&search_dir)).expect("rm index");
    let log = dir.path().join("b.log");
    let mut server = spawn(&db_url, &sd, &log);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("waiting for another rebuild")
    {
        assert!(
            server.child.try_wait().expect("wait").is_none(),
            "the server must wait, not exit: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        assert!(Instant::now() < deadline, "the server never waited");
        std::thread::sleep(Duration::from_millis(50));
    }
    // ...and the kernel lets go of the lock when its holder is killed with -9.
    holder.0.kill().expect("kill -9");
    holder.0.wait().expect("reap");
    let deadline = Instant::now() + Duration::from_secs(60);
    while agent()
        .get(&format!("{}/healthz", server.base))
        .call()
        .is_err()
    {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    wait_ready(&server.base);
    assert_eq!(search_ids(&server.base, "numbatword"), Ok(vec![id]));
    let out = cli(&db_url, &sd, &["reindex"]);
    assert!(out.contains("posts/s"), "{out}");
    let _ = server.child.kill();
}

#[test]
fn a_deleted_index_folder_makes_the_node_unready_and_is_rebuilt_without_a_restart() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    let token = cli_user_token(&db_url, &sd, "deleter");
    let server = start(&db_url, &sd, &dir.path().join("server.log"));
    let first = ask(
        &server.base,
        &token,
        "Before the deletion",
        "firstkoalaword",
    );
    wait_found(&server.base, "firstkoalaword", first);
    wait_ready(&server.base);

    // The index folder disappears (while a rebuild lock is held, so the state lasts).
    let lock = hold_rebuild_lock(&search_dir);
    std::fs::remove_dir_all(live_dir(&search_dir)).expect("rm index");
    // Writes keep working...
    let second = ask(
        &server.base,
        &token,
        "After the deletion",
        "secondkoalaword",
    );
    // ...but the node says it is not ready, and why, instead of a frozen 200.
    let deadline = Instant::now() + Duration::from_secs(30);
    let r = loop {
        let (status, r) = readyz(&server.base);
        if status == 503 {
            break r;
        }
        assert!(
            Instant::now() < deadline,
            "still ready without an index: {r}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        r["search"]["problem"]
            .as_str()
            .is_some_and(|p| p.contains("is gone")),
        "{r}"
    );
    assert_eq!(search_ids(&server.base, "firstkoalaword"), Err(503));
    // The indexer rebuilds as soon as it may, and everything is found again.
    drop(lock);
    wait_found(&server.base, "secondkoalaword", second);
    wait_found(&server.base, "firstkoalaword", first);
    let r = wait_ready(&server.base);
    assert!(
        r["search"]["applied"].as_i64() >= Some(newest_event(&db_url)),
        "{r}"
    );

    // The whole search folder, lock file and all: the same.
    std::fs::remove_dir_all(&search_dir).expect("rm search dir");
    let third = ask(
        &server.base,
        &token,
        "After removing everything",
        "thirdkoalaword",
    );
    wait_found(&server.base, "thirdkoalaword", third);
    wait_found(&server.base, "firstkoalaword", first);
    wait_ready(&server.base);
}

#[test]
fn readyz_is_not_ready_until_the_replay_after_a_restart_has_caught_up() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    let token = cli_user_token(&db_url, &sd, "replayer");
    let id = {
        let server = start(&db_url, &sd, &dir.path().join("a.log"));
        let id = ask(&server.base, &token, "Replayed question", "emuword");
        wait_found(&server.base, "emuword", id);
        id
    };
    // While the server was down (an hour), other writers left a backlog: 100,000 re-index
    // events, as `peerdesk rerender` writes them.
    let db = peerdesk::db::Db::connect(&db_url, 1).expect("db");
    let an_hour_ago = (chrono::Utc::now() - chrono::TimeDelta::hours(1))
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    db.write_blocking(|conn| {
        use diesel::RunQueryDsl;
        let row = format!("('thread_reindexed', {id}, '{{}}', '{an_hour_ago}')");
        let values = vec![row.as_str(); 1000].join(", ");
        for _ in 0..100 {
            diesel::sql_query(format!(
                "INSERT INTO events (kind, thread_id, payload, created_at) VALUES {values}"
            ))
            .execute(conn)?;
        }
        Ok(())
    })
    .expect("backlog");
    let newest = newest_event(&db_url);

    let server = start(&db_url, &sd, &dir.path().join("b.log"));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, r) = readyz(&server.base);
        let applied = r["search"]["applied"].as_i64().expect("applied");
        if status == 200 {
            assert!(
                applied >= newest,
                "ready while the replay is behind ({applied} of {newest}): {r}"
            );
            break;
        }
        assert!(!r["search"]["newest"].is_null(), "{r}");
        assert!(!r["search"]["lag"].is_null(), "{r}");
        assert!(Instant::now() < deadline, "the replay never caught up: {r}");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(search_ids(&server.base, "emuword"), Ok(vec![id]));
}

#[test]
fn a_search_dir_that_is_a_file_fails_start_saying_which_path_and_what_is_wrong() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let not_a_folder = dir.path().join("search-index");
    std::fs::write(&not_a_folder, "not a folder").expect("file");
    let sd = not_a_folder.display().to_string();
    for args in [&["serve"][..], &["reindex"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .args(args)
            .env("PEERDESK_DATABASE__URL", &db_url)
            .env("PEERDESK_SEARCH__DIR", &sd)
            .env(
                "PEERDESK_SERVER__BIND",
                format!("127.0.0.1:{}", free_port()),
            )
            .env(
                "PEERDESK_THEME__DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/themes"),
            )
            .stdin(Stdio::null())
            .output()
            .expect("run peerdesk");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&sd) && stderr.contains("is a file, not a folder"),
            "{args:?} must name the path and the problem: {stderr}"
        );
    }
}

#[test]
fn readyz_answers_json_503_when_the_database_is_gone() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let search_dir = dir.path().join("search-index");
    let sd = search_dir.display().to_string();
    let server = start(&db_url, &sd, &dir.path().join("server.log"));
    wait_ready(&server.base);
    take_database_down(&db_url);
    let deadline = Instant::now() + Duration::from_secs(60);
    let r = loop {
        let (status, r) = readyz(&server.base);
        if status == 503 {
            break r;
        }
        assert!(Instant::now() < deadline, "ready without a database: {r}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(r["database_ok"], false, "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("The database does not answer")),
        "{r}"
    );
    assert!(r["search"]["newest"].is_null(), "{r}");
}

/// Makes the server's database unusable for real. PostgreSQL: the database is dropped (its
/// connections end). SQLite: its files are overwritten in place, as a failed disk or a botched
/// restore would leave them; every connection then reads "file is not a database".
fn take_database_down(db_url: &str) {
    if let Some(path) = db_url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&file) else {
                continue;
            };
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            f.write_all(&vec![0u8; len as usize]).expect("overwrite");
            f.sync_all().expect("sync");
        }
        return;
    }
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let name = db_url.rsplit('/').next().expect("database name");
    let admin = std::env::var("PEERDESK_TEST_POSTGRES_URL").expect("admin url");
    let mut conn = diesel::PgConnection::establish(&admin).expect("admin connection");
    conn.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .expect("drop database");
}
