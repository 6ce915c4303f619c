//! The domain event log: every action writes its events in its own transaction and in order;
//! a consumer sees events that commit out of id order exactly once; a database consumer
//! replays after `kill -9` without double effects; a cluster-wide consumer runs on one of two
//! server processes at a time and moves to the other when its holder dies; pruning waits for
//! every consumer and keeps the newest event; `peerdesk events` shows cursors and leases.

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::prelude::*;
use peerdesk::accounts::Role;
use peerdesk::db::schema::{event_cursors, events as event_rows, threads};
use peerdesk::db::Db;
use peerdesk::events::{self, Kind, NewEvent, Tail};
use serde_json::json;

use crate::crash::{cli, cli_user_token, start};
use crate::helpers::*;

fn kinds_of_thread(app: &TestApp, thread: i64) -> Vec<(String, Option<i64>)> {
    app.db
        .read_blocking(move |conn| {
            Ok(event_rows::table
                .filter(event_rows::thread_id.eq(thread))
                .order(event_rows::id.asc())
                .select((event_rows::kind, event_rows::actor_id))
                .load(conn)?)
        })
        .expect("events")
}

fn user_id(app: &TestApp, handle: &str) -> i64 {
    let handle = handle.to_string();
    app.db
        .read_blocking(move |conn| Ok(peerdesk::accounts::find_by_handle(conn, &handle)?.id))
        .expect("user")
}

#[test]
fn every_action_writes_its_events_in_order_and_refused_ones_write_none() {
    let app = spawn_app();
    let _ = app.member("asker");
    let _ = app.member("peer");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam Support", "Networking");
    let mut asker_api = Client::api(&app, &app.token_for("asker"));
    let mut peer_api = Client::api(&app, &app.token_for("peer"));
    let mut staff_api = Client::api(&app, &app.token_for("sam"));

    let r = asker_api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Printer drops off the network at night", "body": "Every night.", "category": "general"}),
    );
    r.assert_status(201);
    let thread = r.json()["id"].as_i64().expect("id");
    let question = r.json()["posts"][0]["id"].as_i64().expect("question id");
    let r = peer_api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "Turn off power saving."}),
    );
    r.assert_status(201);
    let peer_answer = r.json()["id"].as_i64().expect("answer id");
    peer_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{question}/comments"),
            json!({"body": "Which model is it?"}),
        )
        .assert_status(201);
    asker_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{peer_answer}/votes"),
            json!({"value": 1}),
        )
        .assert_status(200);
    staff_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/promises"),
            json!({"due_in": "4h", "note": "I will check the firmware notes."}),
        )
        .assert_status(201);
    staff_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/assign"),
            json!({"assignee": "sam", "note": "mine"}),
        )
        .assert_status(200);
    let r = staff_api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "Firmware 2.1 fixes this."}),
    );
    r.assert_status(201);
    let staff_answer = r.json()["id"].as_i64().expect("answer id");
    asker_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{staff_answer}/accept"),
            json!({}),
        )
        .assert_status(200);
    let path = format!("/t/{thread}");
    let path = staff.get(&path).location().to_string();
    staff
        .submit(&path, &format!("/t/{thread}/close"), &[("action", "close")])
        .assert_status(303);

    // Refused actions leave no event behind: the change and its events share a transaction.
    let before = app.count("events");
    peer_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": "One more idea."}),
        )
        .assert_status(409);
    peer_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{peer_answer}/votes"),
            json!({"value": 1}),
        )
        .assert_status(403);
    assert_eq!(
        app.count("events"),
        before,
        "a refused action wrote an event"
    );

    staff
        .submit(
            &path,
            &format!("/t/{thread}/close"),
            &[("action", "reopen")],
        )
        .assert_status(303);

    let (asker, peer, sam) = (
        user_id(&app, "asker"),
        user_id(&app, "peer"),
        user_id(&app, "sam"),
    );
    let got = kinds_of_thread(&app, thread);
    let want: Vec<(String, Option<i64>)> = [
        ("question_asked", asker),
        ("answer_posted", peer),
        ("comment_posted", peer),
        ("post_voted", asker),
        ("promise_made", sam),
        ("thread_assigned", sam),
        ("answer_posted", sam),
        ("promise_kept", sam),
        ("answer_accepted", asker),
        ("thread_closed", sam),
        ("thread_reopened", sam),
    ]
    .into_iter()
    .map(|(k, a)| (k.to_string(), Some(a)))
    .collect();
    assert_eq!(got, want);
    // Every stored kind is one the catalogue knows, and ids only grow.
    let all: Vec<(i64, String)> = app
        .db
        .read_blocking(|conn| {
            Ok(event_rows::table
                .order(event_rows::id.asc())
                .select((event_rows::id, event_rows::kind))
                .load(conn)?)
        })
        .expect("all events");
    assert!(all.iter().all(|(_, k)| Kind::parse(k).is_some()), "{all:?}");
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn renaming_a_category_reindexes_its_threads() {
    let app = spawn_app();
    let mut admin = app.user_with_role("ada", Role::Admin, "Ada Admin", "");
    admin
        .submit(
            "/admin",
            "/admin/categories",
            &[
                ("name", "Smart Plugs"),
                ("slug", "plugs"),
                ("description", "Wi-Fi plugs"),
                ("position", "1"),
                ("first_response", ""),
            ],
        )
        .assert_status(303);
    let mut member = app.member("mia");
    let r = member.submit(
        "/ask",
        "/ask",
        &[
            ("title", "Plug clicks but the lamp stays off"),
            ("body", "The relay clicks."),
            ("category", "plugs"),
            ("tags", ""),
            ("action", "post"),
        ],
    );
    r.assert_status(303);
    let path = r.location().to_string();
    app.wait_for_index();
    let mut anon = Client::new(&app);
    let found = |anon: &mut Client, slug: &str| {
        anon.get(&format!("/api/v1/search?q=lamp&category={slug}"))
            .json()["total"]
            .as_i64()
            .unwrap_or(-1)
    };
    assert_eq!(found(&mut anon, "plugs"), 1);
    let id: i64 = app
        .db
        .read_blocking(|conn| {
            use peerdesk::db::schema::categories;
            Ok(categories::table
                .filter(categories::slug.eq("plugs"))
                .select(categories::id)
                .first(conn)?)
        })
        .expect("category");
    admin
        .submit(
            "/admin",
            &format!("/admin/categories/{id}"),
            &[
                ("name", "Smart Sockets"),
                ("slug", "sockets"),
                ("description", "Wi-Fi sockets"),
                ("position", "1"),
                ("first_response", ""),
            ],
        )
        .assert_status(303);
    app.wait_for_index();
    assert_eq!(
        found(&mut anon, "sockets"),
        1,
        "the thread follows the rename"
    );
    assert_eq!(found(&mut anon, "plugs"), 0);
    assert!(member.get(&path).body.contains("Smart Sockets"));
}

/// Two transactions commit out of id order (PostgreSQL); a tail sees each event exactly once.
#[test]
fn events_committed_out_of_order_are_seen_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = Db::connect(&database_url(dir.path()), 4).expect("db");
    db.migrate().expect("migrate");
    let emit = |conn: &mut peerdesk::db::DbConn, thread: i64| {
        events::emit(conn, NewEvent::new(Kind::ThreadReindexed).thread(thread))?;
        events::newest_id(conn)
    };
    let ids = |poll: &events::Poll| poll.fresh.iter().map(|e| e.id).collect::<Vec<_>>();
    let mut tail = Tail::at(0);
    if matches!(db.backend(), peerdesk::db::Backend::Postgres(_)) {
        let (emitted_tx, emitted) = std::sync::mpsc::channel::<i64>();
        let (go_tx, go) = std::sync::mpsc::channel::<()>();
        let late = std::thread::scope(|s| {
            let db2 = db.clone();
            let slow = s.spawn(move || {
                let mut conn = db2.conn().expect("conn");
                conn.transaction::<i64, peerdesk::error::AppError, _>(|conn| {
                    let id = emit(conn, 1)?;
                    emitted_tx.send(id).expect("send");
                    go.recv().expect("go");
                    Ok(id)
                })
                .expect("slow transaction")
            });
            let early = emitted.recv().expect("emitted");
            let later = db.write_blocking(|conn| emit(conn, 2)).expect("fast");
            assert!(later > early);
            let poll = db.read_blocking(|conn| tail.poll(conn, 100)).expect("poll");
            assert_eq!(
                ids(&poll),
                vec![later],
                "the uncommitted event is not visible yet"
            );
            tail.advance(&poll);
            assert_eq!(tail.position, 0, "young events do not move the position");
            go_tx.send(()).expect("go");
            slow.join().expect("join")
        });
        let poll = db.read_blocking(|conn| tail.poll(conn, 100)).expect("poll");
        assert_eq!(ids(&poll), vec![late], "the late commit is seen once");
        tail.advance(&poll);
    } else {
        let a = db.write_blocking(|conn| emit(conn, 1)).expect("a");
        let b = db.write_blocking(|conn| emit(conn, 2)).expect("b");
        let poll = db.read_blocking(|conn| tail.poll(conn, 100)).expect("poll");
        assert_eq!(ids(&poll), vec![a, b]);
        tail.advance(&poll);
    }
    let poll = db.read_blocking(|conn| tail.poll(conn, 100)).expect("poll");
    assert!(poll.fresh.is_empty(), "nothing is seen twice");
    // Once older than the grace window, the position moves past everything.
    db.write_blocking(|conn| {
        diesel::update(event_rows::table)
            .set(event_rows::created_at.eq(peerdesk::db::now() - TimeDelta::minutes(1)))
            .execute(conn)?;
        Ok(())
    })
    .expect("age");
    let poll = db.read_blocking(|conn| tail.poll(conn, 100)).expect("poll");
    assert!(poll.fresh.is_empty());
    tail.advance(&poll);
    assert_eq!(
        tail.position,
        db.read_blocking(events::newest_id).expect("newest")
    );
}

#[test]
fn a_lease_has_one_holder_until_released_or_expired() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = Db::connect(&database_url(dir.path()), 10).expect("db");
    db.migrate().expect("migrate");
    let ttl = TimeDelta::seconds(15);
    let take = |holder: &str, ttl: TimeDelta| {
        db.write_untracked(|conn| events::acquire_lease(conn, "mail", holder, ttl))
            .expect("lease")
    };
    assert!(take("a", ttl));
    assert!(!take("b", ttl), "held by a");
    assert!(take("a", ttl), "a renews");
    db.write_untracked(|conn| events::release_lease(conn, "mail", "a"))
        .expect("release");
    assert!(take("b", ttl), "released: b takes it");
    assert!(!take("a", ttl));
    // b stops renewing (its lease runs out): a takes over.
    assert!(take("b", TimeDelta::seconds(-1)));
    assert!(take("a", ttl), "expired: a takes it");
    // Eight racers on a fresh lease: exactly one wins.
    let wins: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let db = db.clone();
                s.spawn(move || {
                    db.write_untracked(|conn| {
                        events::acquire_lease(conn, "race", &format!("racer{i}"), ttl)
                    })
                    .unwrap_or(false)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| usize::from(h.join().expect("join")))
            .sum()
    });
    assert_eq!(wins, 1);
}

fn similar_asked(db: &Db, thread: i64) -> i32 {
    db.read_blocking(move |conn| {
        Ok(threads::table
            .find(thread)
            .select(threads::similar_asked)
            .first(conn)?)
    })
    .expect("similar_asked")
}

fn consumer_position(db: &Db, name: &str) -> i64 {
    let name = name.to_string();
    db.read_blocking(move |conn| {
        Ok(event_cursors::table
            .find(name)
            .select(event_cursors::position)
            .first::<i64>(conn)
            .optional()?
            .unwrap_or(0))
    })
    .expect("cursor")
}

/// Waits until `similar_asked` of `thread` reaches `want` (never past it), at most `secs`.
fn wait_for_count(db: &Db, thread: i64, want: i32, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let n = similar_asked(db, thread);
        assert!(
            n <= want,
            "counted {n}, more than the {want} questions asked"
        );
        if n == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "counted {n} of {want} in {secs} s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A solved thread and the tokens to ask more, on a server started from the CLI.
struct Forum {
    db_url: String,
    search_dir: String,
    asker: String,
    solved: i64,
}

fn api(
    base: &str,
    token: &str,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let r = ureq::request(method, &format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    r.into_json().expect("json")
}

fn forum(dir: &std::path::Path, base_of: impl FnOnce(&Forum) -> String) -> Forum {
    let db_url = database_url(dir);
    let search_dir = dir.join("index-a").display().to_string();
    let (asker, helper) = (
        cli_user_token(&db_url, &search_dir, "asker"),
        cli_user_token(&db_url, &search_dir, "helper"),
    );
    let mut f = Forum {
        asker,
        db_url: db_url.clone(),
        search_dir,
        solved: 0,
    };
    let base = base_of(&f);
    let t = api(
        &base,
        &f.asker,
        "POST",
        "/api/v1/threads",
        json!({"title": "Label printer reports a paper jam", "body": "No paper is stuck.", "category": "general"}),
    );
    f.solved = t["id"].as_i64().expect("id");
    let a = api(
        &base,
        &helper,
        "POST",
        &format!("/api/v1/threads/{}/posts", f.solved),
        json!({"body": "Clean the gap sensor."}),
    );
    api(
        &base,
        &f.asker,
        "POST",
        &format!("/api/v1/posts/{}/accept", a["id"].as_i64().expect("answer")),
        json!({}),
    );
    f
}

fn ask_similar(base: &str, f: &Forum, n: usize) {
    let r = api(
        base,
        &f.asker,
        "POST",
        "/api/v1/threads",
        json!({"title": format!("Printer paper jam message number {n}"), "body": "Again.", "category": "general"}),
    );
    assert!(r["id"].as_i64().is_some(), "{r}");
}

/// Waits until the solved thread is searchable (only then do similar questions find it).
fn wait_searchable(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r: serde_json::Value =
            ureq::get(&format!("{base}/api/v1/search/similar?q=paper%20jam"))
                .call()
                .expect("similar")
                .into_json()
                .expect("json");
        if r["hits"].as_array().is_some_and(|h| !h.is_empty()) {
            return;
        }
        assert!(Instant::now() < deadline, "solved thread never searchable");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_consumer_replays_after_kill_9_without_double_effects() {
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("first.log");
    let mut server = None;
    let f = forum(dir.path(), |f| {
        let s = start(&f.db_url, &f.search_dir, &log);
        let base = s.base.clone();
        server = Some(s);
        base
    });
    let mut server = server.expect("server");
    wait_searchable(&server.base);
    ask_similar(&server.base, &f, 0);
    let db = Db::connect(&f.db_url, 2).expect("db");
    wait_for_count(&db, f.solved, 1, 30);

    // A backlog: 3,000 more "question asked" events for that question, written while the
    // consumer is busy; the server dies with `kill -9` in the middle of applying them.
    let question = db.read_blocking(events::newest_id).expect("newest");
    let asked: i64 = db
        .read_blocking(move |conn| {
            Ok(event_rows::table
                .filter(event_rows::id.le(question))
                .filter(event_rows::kind.eq("question_asked"))
                .order(event_rows::id.desc())
                .select(event_rows::thread_id)
                .first::<Option<i64>>(conn)?
                .expect("thread"))
        })
        .expect("question");
    const BACKLOG: i32 = 3000;
    for _ in 0..(BACKLOG / 500) {
        db.write_blocking(|conn| {
            for _ in 0..500 {
                events::emit(conn, NewEvent::new(Kind::QuestionAsked).thread(asked))?;
            }
            Ok(())
        })
        .expect("backlog");
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while similar_asked(&db, f.solved) < 2 {
        assert!(Instant::now() < deadline, "the consumer never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().expect("kill -9");
    let _ = server.child.wait();
    let partial = similar_asked(&db, f.solved);
    assert!(partial < 1 + BACKLOG, "killed too late to test anything");

    // Restarted (its lease expires first), it finishes: every event counted exactly once.
    let server = start(&f.db_url, &f.search_dir, &dir.path().join("second.log"));
    wait_for_count(&db, f.solved, 1 + BACKLOG, 120);
    let newest = db.read_blocking(events::newest_id).expect("newest");
    let deadline = Instant::now() + Duration::from_secs(30);
    while consumer_position(&db, "similar-asked") < newest {
        assert!(Instant::now() < deadline, "cursor did not reach the end");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(similar_asked(&db, f.solved), 1 + BACKLOG);
    drop(server);
}

#[test]
fn a_cluster_wide_consumer_runs_on_one_node_and_moves_when_it_dies() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut first = None;
    let f = forum(dir.path(), |f| {
        let s = start(&f.db_url, &f.search_dir, &dir.path().join("a.log"));
        let base = s.base.clone();
        first = Some(s);
        base
    });
    let a = first.expect("node a");
    let b_dir = dir.path().join("index-b").display().to_string();
    let b = start(&f.db_url, &b_dir, &dir.path().join("b.log"));
    wait_searchable(&a.base);
    wait_searchable(&b.base);
    let db = Db::connect(&f.db_url, 2).expect("db");
    let holder = || {
        db.read_blocking(|conn| events::lease_of(conn, "similar-asked"))
            .expect("lease")
            .map(|l| l.holder)
            .unwrap_or_default()
    };
    let pid_of = |h: &str| h.split(':').nth(1).and_then(|p| p.parse::<u32>().ok());
    // Questions through both nodes: each is counted once, not once per node.
    for n in 0..10 {
        ask_similar(if n % 2 == 0 { &a.base } else { &b.base }, &f, n);
    }
    wait_for_count(&db, f.solved, 10, 30);
    let h = holder();
    let (ida, idb) = (a.child.id(), b.child.id());
    assert!(
        pid_of(&h) == Some(ida) || pid_of(&h) == Some(idb),
        "the lease belongs to one of the nodes: {h}"
    );
    // Both nodes keep their own search cursor.
    let status = cli(&f.db_url, &f.search_dir, &["events", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).expect("status json");
    let searches = status["consumers"]
        .as_array()
        .expect("consumers")
        .iter()
        .filter(|c| {
            c["consumer"]
                .as_str()
                .is_some_and(|n| n.starts_with("search@"))
        })
        .count();
    assert_eq!(searches, 2, "{status}");
    // The holder dies; the other node takes the lease over once it expires.
    let (mut dead, survivor) = if pid_of(&h) == Some(ida) {
        (a, b)
    } else {
        (b, a)
    };
    dead.child.kill().expect("kill -9");
    let _ = dead.child.wait();
    for n in 10..15 {
        ask_similar(&survivor.base, &f, n);
    }
    wait_for_count(&db, f.solved, 15, 60);
    assert_eq!(pid_of(&holder()), Some(survivor.child.id()));
}

#[test]
fn pruning_waits_for_every_consumer_and_keeps_the_newest_event() {
    let app = spawn_app();
    let mut member = app.member("pat");
    for n in 0..4 {
        app.ask(
            &mut member,
            &format!("Scanner stops after page {n}"),
            "It stops.",
        );
    }
    app.wait_for_index();
    let newest = app.db.read_blocking(events::newest_id).expect("newest");
    let first: i64 = app
        .db
        .read_blocking(|conn| {
            Ok(event_rows::table
                .select(diesel::dsl::min(event_rows::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0))
        })
        .expect("first");
    // Everything is a month old; a consumer named "laggard" is only at the first event.
    app.db
        .write_blocking(move |conn| {
            diesel::update(event_rows::table)
                .set(event_rows::created_at.eq(peerdesk::db::now() - TimeDelta::days(30)))
                .execute(conn)?;
            events::save_tail(conn, "laggard", &Tail::at(first))
        })
        .expect("age");
    // The running consumers pass every (now final) event.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.db.read_blocking(events::status).expect("status");
        let behind: Vec<_> = status
            .consumers
            .iter()
            .filter(|c| c.consumer != "laggard" && c.position < newest)
            .map(|c| (c.consumer.clone(), c.position))
            .collect();
        if behind.is_empty() {
            assert!(status
                .consumers
                .iter()
                .any(|c| c.consumer == "similar-asked"));
            assert!(status
                .consumers
                .iter()
                .any(|c| c.consumer.starts_with("search@")));
            break;
        }
        assert!(Instant::now() < deadline, "consumers behind: {behind:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let keep = events::keep(7);
    let pruned = app
        .db
        .write_blocking(move |conn| events::prune(conn, keep))
        .expect("prune");
    assert_eq!(pruned, 1, "only what the laggard passed");
    assert_eq!(
        app.db
            .read_blocking(events::pruned_through)
            .expect("through"),
        first
    );
    // Young events stay whatever the cursors say.
    assert_eq!(
        app.db
            .write_blocking(|conn| events::prune(conn, TimeDelta::days(60)))
            .expect("prune"),
        0
    );
    // The laggard retired: everything old goes but the newest event.
    assert!(app
        .db
        .write_blocking(|conn| events::forget(conn, "laggard"))
        .expect("forget"));
    app.db
        .write_blocking(move |conn| events::prune(conn, keep))
        .expect("prune");
    assert_eq!(app.count("events"), 1);
    assert_eq!(
        app.db.read_blocking(events::newest_id).expect("newest"),
        newest
    );
    // New events keep growing past it (SQLite would reuse a deleted highest id).
    let mut again = app.member("quin");
    app.ask(
        &mut again,
        "Scanner feeds two pages at once",
        "Double feed.",
    );
    assert!(app.db.read_blocking(events::newest_id).expect("newest") > newest);
}

#[test]
fn the_events_command_shows_cursors_and_refuses_unknown_consumers() {
    let app = spawn_app();
    let mut member = app.member("lee");
    app.ask(&mut member, "Webcam image is upside down", "Flipped.");
    app.wait_for_index();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .args(args)
            .env("PEERDESK_DATABASE__URL", &app.database_url)
            .env("PEERDESK_SEARCH__DIR", &app.search_dir)
            .output()
            .expect("run")
    };
    let out = run(&["events"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("similar-asked") && text.contains("search@"),
        "{text}"
    );
    assert!(text.contains("position") && text.contains("lag"), "{text}");
    let out = run(&["events", "forget", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no consumer"));
    let out = run(&["events", "forget", "bad name!"]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["events", "--help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("prune"));
}
