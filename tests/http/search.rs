//! Search over HTTP: ranking, typos, phrases, exclusions, languages, filters and facets,
//! highlighting, similar questions, the search log and content gaps, hostile queries.

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

/// Asks through the API; returns the thread id.
fn ask(api: &mut Client, title: &str, body: &str, tags: &[&str]) -> i64 {
    let r = api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": body, "category": "general", "tags": tags}),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().expect("id")
}

fn answer(api: &mut Client, thread: i64, body: &str) -> i64 {
    let r = api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": body}),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().expect("id")
}

fn search(c: &mut Client, query: &str) -> serde_json::Value {
    let r = c.get(&format!("/api/v1/search?q={}", urlencode(query)));
    r.assert_status(200);
    r.json()
}

fn ids(v: &serde_json::Value) -> Vec<i64> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_i64().expect("id"))
        .collect()
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn finds_ranks_highlights_and_filters() {
    let app = spawn_app();
    app.member("finder");
    app.user_with_role("staffer", Role::Staff, "Sam Staff", "Support engineer");
    let mut api = Client::api(&app, &app.token_for("finder"));
    let mut staff = Client::api(&app, &app.token_for("staffer"));
    let reset = ask(
        &mut api,
        "Password reset email never arrives",
        "I asked for a password reset twice but no email came.",
        &["login"],
    );
    let vpn = ask(
        &mut api,
        "VPN disconnects every ten minutes",
        "The tunnel drops and reconnects.",
        &["vpn"],
    );
    let other = ask(
        &mut api,
        "Camera night vision is blurry",
        "Pictures at night are not sharp.",
        &["camera"],
    );
    let a = answer(
        &mut staff,
        reset,
        "Check the spam folder; the reset mail comes from noreply@example.com.",
    );
    staff
        .send_json("POST", &format!("/api/v1/posts/{a}/accept"), json!({}))
        .assert_status(200);
    app.wait_for_index();

    let mut anon = Client::new(&app);
    let r = search(&mut anon, "password reset");
    assert_eq!(ids(&r)[0], reset);
    assert_eq!(r["total"], 1);
    assert_eq!(
        r["total_exact"], true,
        "a handful of matches is counted exactly"
    );
    let hit = &r["hits"][0];
    assert_eq!(hit["type"], "thread");
    assert_eq!(hit["status"], "solved");
    assert_eq!(hit["staff_answered"], true);
    assert!(hit["url"].as_str().expect("url").starts_with(&app.base));
    assert!(
        hit["snippet_html"]
            .as_str()
            .expect("snippet")
            .contains("<mark>"),
        "{hit}"
    );
    // Facets count all matches.
    let r = search(&mut anon, "every OR the");
    assert!(r["facets"]["status"].as_array().is_some());

    // Filters.
    let r = anon.get("/api/v1/search?q=&status=solved");
    assert_eq!(ids(&r.json()), vec![reset]);
    let r = anon.get("/api/v1/search?q=&tag=vpn");
    assert_eq!(ids(&r.json()), vec![vpn]);
    let r = anon.get("/api/v1/search?q=&staff=true");
    assert_eq!(ids(&r.json()), vec![reset]);
    let r = anon.get("/api/v1/search?q=&status=unanswered&limit=1");
    assert_eq!(r.json()["total"], 2);
    assert_eq!(r.json()["hits"].as_array().expect("hits").len(), 1);
    let facets = anon.get("/api/v1/search?q=&category=general").json();
    let status: Vec<(String, u64)> = facets["facets"]["status"]
        .as_array()
        .expect("status facet")
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap_or("").to_string(),
                f["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        status.contains(&("open".to_string(), 2)) && status.contains(&("solved".to_string(), 1)),
        "{status:?}"
    );
    let _ = other;
}

#[test]
fn typos_phrases_exclusions_and_german() {
    let app = spawn_app();
    app.member("writer");
    let mut api = Client::api(&app, &app.token_for("writer"));
    let reset = ask(
        &mut api,
        "Password reset link expired",
        "The password reset link in the email says it expired.",
        &[],
    );
    let passwd = ask(
        &mut api,
        "Pasword field rejects my input",
        "The pasword field on the login page rejects everything.",
        &[],
    );
    let update = ask(
        &mut api,
        "Firmware update stuck on the router",
        "The firmware update hangs at 80 percent.",
        &[],
    );
    let beta = ask(
        &mut api,
        "Firmware beta update breaks WiFi",
        "After the beta firmware the WiFi is gone.",
        &[],
    );
    let german = ask(
        &mut api,
        "Router verbindet sich nicht mit dem Internet",
        "Seit gestern funktioniert die Verbindung nicht und ich habe keine Verbindungen mehr.",
        &[],
    );
    app.wait_for_index();
    let mut c = Client::new(&app);

    // A typo finds the answer...
    let r = search(&mut c, "pasword rset");
    assert!(ids(&r).contains(&reset), "{r}");
    // ...and the page says which word was not found as typed.
    assert_eq!(r["fuzzy_words"], json!(["rset"]), "{r}");
    let page = c.get("/search?q=pasword+rset");
    assert!(
        page.body.contains("Not found as typed: rset."),
        "{}",
        page.body
    );
    // ...but a word that exists as typed is matched exactly: the exact match comes first.
    let r = search(&mut c, "pasword");
    assert_eq!(ids(&r)[0], passwd, "{r}");

    // Phrases and exclusions.
    let r = search(&mut c, "\"firmware update\"");
    assert!(ids(&r).contains(&update));
    assert!(
        !ids(&r).contains(&beta),
        "\"firmware update\" is not in the beta thread: {r}"
    );
    let r = search(&mut c, "firmware -beta");
    assert_eq!(ids(&r), vec![update]);
    // A quote never closed is plain text: the words, not a phrase to the end.
    let mut words = ids(&search(&mut c, "firmware update"));
    let mut unbalanced = ids(&search(&mut c, "\"firmware update"));
    words.sort();
    unbalanced.sort();
    assert_eq!(unbalanced, words);
    assert!(unbalanced.contains(&beta), "{unbalanced:?}");

    // German text is stemmed with the German analyzer: "Verbindungen" finds "Verbindung".
    let r = search(&mut c, "verbindungen");
    assert_eq!(ids(&r), vec![german]);
    // Phrases keep the gap a stop word leaves.
    let r = search(&mut c, "\"reset link in the email\"");
    assert_eq!(ids(&r), vec![reset], "{r}");
    let r = search(&mut c, "\"reset link the email\"");
    assert!(ids(&r).is_empty(), "the gap has the wrong size: {r}");
    // A stop word in one language does not make the query fail in the other.
    let r = search(&mut c, "the firmware update");
    assert_eq!(r["relaxed"], false, "{r}");
    assert!(ids(&r).contains(&update));
    // English stemming: "updates" finds "update".
    let r = search(&mut c, "updates");
    assert!(ids(&r).contains(&update));
}

#[test]
fn search_page_works_without_javascript_and_logs_clicks() {
    let app = spawn_app();
    app.member("pager");
    let mut api = Client::api(&app, &app.token_for("pager"));
    let id = ask(
        &mut api,
        "Mesh node blinks red after setup",
        "The light blinks <b>red</b>.",
        &["mesh"],
    );
    app.wait_for_index();
    let mut c = Client::new(&app);
    let page = c.get("/search?q=mesh+red");
    page.assert_status(200);
    assert!(page.body.contains("Mesh node blinks red after setup"));
    assert!(page.body.contains("<mark>"));
    assert!(!page.body.contains("<b>red</b>"), "snippets are escaped");
    assert!(page.body.contains("status-open"));
    // Results and facets name the category as people read it, not by its slug.
    assert!(
        page.body
            .contains("class=\"category\" href=\"/c/general\" data-user>General</a>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("&category=general\" data-user>General</a>"),
        "{}",
        page.body
    );
    let link = extract_between(&page.body, "\"><a href=\"/search/click/", "\"")
        .map(|rest| format!("/search/click/{rest}"))
        .expect("result link");
    assert!(link.starts_with("/search/click/"));
    let r = c.get(&link);
    r.assert_status(303);
    assert!(r.location().starts_with(&format!("/t/{id}/")));
    // Nothing found: suggests asking, and the search shows up as a content gap for staff.
    let empty = c.get("/search?q=teleporter+calibration");
    empty.assert_status(200);
    assert!(empty.body.contains("ask the community"));
    let mut moderator = app.user_with_role("gapwatch", Role::Moderator, "", "");
    let gaps = moderator.get("/staff/content-gaps");
    gaps.assert_status(200);
    assert!(
        gaps.body.contains("teleporter calibration"),
        "{}",
        gaps.body
    );
    app.member("nosy")
        .get("/staff/content-gaps")
        .assert_status(403);
    // The click was logged.
    let clicked = app
        .db
        .read_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::search_log;
            Ok(search_log::table
                .filter(search_log::clicked.is_not_null())
                .count()
                .get_result::<i64>(conn)?)
        })
        .expect("count");
    assert_eq!(clicked, 1);
    // Facet links replace their filter instead of repeating it (repeated keys are a 400).
    let filtered = c.get("/search?q=mesh&status=open");
    filtered.assert_status(200);
    assert!(
        filtered
            .body
            .contains("href=\"/search?q=mesh&status=open\""),
        "{}",
        filtered.body
    );
    assert!(
        !filtered.body.contains("status=open&amp;status=")
            && !filtered.body.contains("status=open&status=")
    );
    c.get("/search?q=mesh&status=open").assert_status(200);
    // Every page has the header search box.
    assert!(c.get("/").body.contains("action=\"/search\""));
}

#[test]
fn similar_questions_for_the_ask_page() {
    let app = spawn_app();
    let mut asker = app.member("similar");
    app.member("helper2");
    let mut api = Client::api(&app, &app.token_for("similar"));
    let mut helper = Client::api(&app, &app.token_for("helper2"));
    let solved = ask(
        &mut api,
        "Router drops WiFi every evening",
        "Since the update it drops at 8pm.",
        &["wifi"],
    );
    let a = answer(&mut helper, solved, "Change the WiFi channel to 6.");
    api.send_json("POST", &format!("/api/v1/posts/{a}/accept"), json!({}))
        .assert_status(200);
    let open = ask(
        &mut api,
        "Router WiFi slow upstairs",
        "Signal is weak upstairs.",
        &["wifi"],
    );
    app.wait_for_index();
    // Anonymous: solved threads only.
    let r = Client::new(&app).get("/api/v1/search/similar?q=wifi%20keeps%20dropping");
    r.assert_status(200);
    let j = r.json();
    assert_eq!(ids(&j), vec![solved], "{j}");
    assert!(j["own_open_threads"].as_array().expect("own").is_empty());
    // Signed in (session cookie): their own open threads come first.
    let j = asker
        .get("/api/v1/search/similar?q=wifi%20keeps%20dropping")
        .json();
    assert_eq!(j["own_open_threads"][0]["id"], open);
    // Without JavaScript: the "check for similar questions" step on the ask page.
    let r = asker.submit(
        "/ask",
        "/ask",
        &[
            ("title", "wifi keeps dropping"),
            ("body", ""),
            ("category", "general"),
            ("action", "similar"),
        ],
    );
    r.assert_status(200);
    assert!(r.body.contains("Router drops WiFi every evening"));
    assert!(r.body.contains("Is this about one of your open questions?"));
    assert_eq!(app.count("threads"), 2);
}

#[test]
fn edits_and_new_answers_are_searchable_quickly() {
    let app = spawn_app();
    app.member("editor");
    let mut api = Client::api(&app, &app.token_for("editor"));
    let id = ask(
        &mut api,
        "Printer offline after sleep",
        "It goes offline.",
        &[],
    );
    let qid = api.get(&format!("/api/v1/threads/{id}")).json()["posts"][0]["id"]
        .as_i64()
        .expect("qid");
    api.send_json(
        "PATCH",
        &format!("/api/v1/posts/{qid}"),
        json!({"body": "It goes offline; the spooler shows zanzibarite."}),
    )
    .assert_status(200);
    // The edit is found as soon as the indexer has applied it (it polls every 100 ms).
    let mut c = Client::new(&app);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if ids(&search(&mut c, "zanzibarite")) == vec![id] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "edit never became searchable"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        app.search.doc_count(),
        1,
        "an edited thread is replaced, not added twice"
    );
}

#[test]
fn hostile_queries_never_crash() {
    let app = spawn_app();
    app.member("hostile2");
    let mut api = Client::api(&app, &app.token_for("hostile2"));
    ask(
        &mut api,
        "Something to find for hostile queries",
        "Body text.",
        &[],
    );
    app.wait_for_index();
    let mut c = Client::new(&app);
    let long = "a".repeat(10_000);
    for q in [
        "\"unbalanced",
        "\"",
        "-",
        "- - -",
        "--",
        "\"\"",
        "*",
        "a*b?c",
        "(foo OR bar) AND",
        "[a-z]+.*$",
        "title:foo",
        "^~!@#$%",
        "\u{1F600}\u{1F600}",
        "x",
        "-something",
        "a AND OR NOT",
        "\\",
        "%",
        "'; DROP TABLE threads; --",
    ] {
        let r = c.get(&format!("/api/v1/search?q={}", urlencode(q)));
        assert_eq!(r.status, 200, "{q:?}: {}", r.body);
        let page = c.get(&format!("/search?q={}", urlencode(q)));
        assert_eq!(page.status, 200, "{q:?}");
    }
    let r = c.get(&format!("/api/v1/search?q={long}"));
    r.assert_status(422);
    assert_eq!(r.json()["error"], "invalid");
    c.get(&format!("/search?q={long}")).assert_status(422);
    // Invalid UTF-8 in the URL and bad parameters: 4xx, not 500.
    for bad in [
        "/api/v1/search?q=%FF%FE",
        "/search?q=%C3%28",
        "/api/v1/search?q=%",
    ] {
        let status = c.get(bad).status;
        assert!(status == 200 || status == 400, "{bad}: {status}");
    }
    c.get("/api/v1/search?q=a&limit=0").assert_status(422);
    c.get("/api/v1/search?q=a&limit=abc").assert_status(400);
    c.get("/api/v1/search?q=a&type=user").assert_status(422);
    c.get("/api/v1/search?q=a&status=weird").assert_status(422);
    c.get("/search?q=a&page=0").assert_status(422);
    c.get("/api/v1/search?q=%00").assert_status(422);
    c.get("/api/v1/search/similar?q=%22%22%22---")
        .assert_status(200);
}
