//! Moderation: flags, what hidden, deleted, held and unlisted mean everywhere, the review
//! queue and its decisions, silencing, merging, the new-account rules, posting rates, watched
//! words and the sign-up clock. Real HTTP, both databases.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::search::urlencode;
use peerdesk::accounts::Role;

fn api(app: &TestApp, handle: &str) -> Client {
    Client::api(app, &app.token_for(handle))
}

fn ask_api(c: &mut Client, title: &str, body: &str) -> Value {
    let r = c.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": body, "category": "general"}),
    );
    assert!(
        r.status == 201 || r.status == 202,
        "{} {}",
        r.status,
        r.body
    );
    r.json()
}

fn answer_api(c: &mut Client, thread: i64, body: &str) -> (u16, Value) {
    let r = c.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": body }),
    );
    (r.status, r.json())
}

fn flag(c: &mut Client, post: i64, reason: &str) -> Resp {
    c.send_json(
        "POST",
        &format!("/api/v1/posts/{post}/flags"),
        json!({ "reason": reason }),
    )
}

fn decide(c: &mut Client, target: &str, id: i64, action: &str, reason: &str) -> Resp {
    c.send_json(
        "POST",
        &format!("/api/v1/review/{target}/{id}"),
        json!({ "action": action, "reason": reason }),
    )
}

fn search_ids(c: &mut Client, q: &str) -> Vec<i64> {
    let r = c.get(&format!("/api/v1/search?q={}", urlencode(q)));
    r.assert_status(200);
    r.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_i64().expect("id"))
        .collect()
}

fn answer_count(c: &mut Client, thread: i64) -> i64 {
    let r = c.get(&format!("/api/v1/threads/{thread}"));
    r.assert_status(200);
    r.json()["answer_count"].as_i64().expect("count")
}

#[test]
fn two_spam_flags_hide_an_answer_and_a_moderator_deletes_it_and_silences_the_author() {
    let app = spawn_app();
    app.member("asker");
    app.member("spammer");
    app.member("flagger1");
    app.member("flagger2");
    app.user_with_role("mod", Role::Moderator, "Mo", "Moderator");
    let (mut asker, mut spammer) = (api(&app, "asker"), api(&app, "spammer"));
    let (mut f1, mut f2, mut m) = (
        api(&app, "flagger1"),
        api(&app, "flagger2"),
        api(&app, "mod"),
    );
    let thread = ask_api(
        &mut asker,
        "Printer offline after update",
        "It says offline.",
    )["id"]
        .as_i64()
        .unwrap();
    let (status, a) = answer_api(&mut spammer, thread, "Buy zorblax pills cheap today");
    assert_eq!(status, 201);
    let post = a["id"].as_i64().unwrap();
    app.wait_for_index();
    let mut anon = Client::new(&app);
    assert_eq!(search_ids(&mut anon, "zorblax"), [thread]);
    assert_eq!(answer_count(&mut anon, thread), 1);

    // One flag: still visible. Twice by the same person: 409. Own post: 403.
    flag(&mut f1, post, "spam").assert_status(201);
    flag(&mut f1, post, "spam").assert_status(409);
    flag(&mut spammer, post, "spam").assert_status(403);
    assert_ne!(anon.get(&format!("/p/{post}")).status, 404);
    // The second flag hides it at once, everywhere, for everyone but its author and moderators.
    flag(&mut f2, post, "spam").assert_status(201);
    anon.get(&format!("/p/{post}")).assert_status(404);
    let path = anon.get(&format!("/t/{thread}")).location().to_string();
    let page = anon.get(&path);
    assert!(!page.body.contains("zorblax"), "hidden answer on the page");
    assert_eq!(answer_count(&mut anon, thread), 0);
    app.wait_for_index();
    assert!(
        search_ids(&mut anon, "zorblax").is_empty(),
        "hidden answer still searchable"
    );
    let own = spammer.get(&format!("/api/v1/threads/{thread}")).json();
    let mine = own["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == post)
        .expect("the author still sees it");
    assert_eq!(mine["state"], "hidden");
    assert!(mine["state_reason"].as_str().unwrap().contains("flagged"));

    // Members have no queue; the moderator's shows the post with both flags.
    f1.get("/api/v1/review").assert_status(403);
    let q = m.get("/api/v1/review").json();
    let item = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["target"] == "post" && i["target_id"] == post)
        .expect("in the queue")
        .clone();
    assert_eq!(item["flags"].as_array().unwrap().len(), 2);
    assert_eq!(q["flagged"], 1);
    decide(&mut f1, "post", post, "delete", "x").assert_status(403);
    decide(&mut m, "post", post, "explode", "").assert_status(422);

    // Delete with a reason, silence the author for a week.
    decide(&mut m, "post", post, "delete", "Advertising").assert_status(200);
    decide(&mut m, "post", post, "delete", "again").assert_status(409);
    let r = m.send_json(
        "POST",
        &format!(
            "/api/v1/users/{}/silence",
            spammer.get("/api/v1/me").json()["id"]
        ),
        json!({"days": 7, "reason": "Spam run"}),
    );
    r.assert_status(200);
    let (status, _) = answer_api(&mut spammer, thread, "Another fine offer");
    assert_eq!(status, 403, "a silenced member posts");
    // The author sees the reason; the flaggers see the outcome.
    let own = spammer.get(&format!("/api/v1/threads/{thread}")).json();
    let mine = own["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == post)
        .unwrap()
        .clone();
    assert_eq!(mine["state"], "deleted");
    assert_eq!(mine["state_reason"], "Advertising");
    let flags = f1.get("/api/v1/me/flags").json();
    assert_eq!(flags["flags"][0]["status"], "agreed");
    assert_eq!(flags["flags"][0]["outcome_reason"], "Advertising");
    assert_eq!(m.get("/api/v1/review").json()["flagged"], 0);
    // Recorded in the audit log with the reason.
    app.wait_for_index();
    app.user_with_role("root", Role::Admin, "", "");
    let mut admin = api(&app, "root");
    let wait = std::time::Instant::now();
    let entries = loop {
        let e = admin.get("/api/v1/admin/audit?action=post_deleted").json()["entries"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !e.is_empty() || wait.elapsed() > std::time::Duration::from_secs(10) {
            break e;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(entries[0]["reason"], "Advertising");

    // Restored by a moderator: back for everyone, counted and searchable again.
    decide(&mut m, "post", post, "restore", "").assert_status(200);
    assert_eq!(answer_count(&mut anon, thread), 1);
    app.wait_for_index();
    assert_eq!(search_ids(&mut anon, "zorblax"), [thread]);
}

#[test]
fn flags_refuse_what_makes_no_sense() {
    let app = spawn_app();
    app.member("asker");
    app.member("peer");
    let (mut asker, mut peer) = (api(&app, "asker"), api(&app, "peer"));
    let thread = ask_api(&mut asker, "Wifi drops every hour", "Since Tuesday.")["id"]
        .as_i64()
        .unwrap();
    let question = asker.get(&format!("/api/v1/threads/{thread}")).json()["posts"][0]["id"]
        .as_i64()
        .unwrap();
    flag(&mut peer, 999_999, "spam").assert_status(404);
    flag(&mut peer, question, "nonsense").assert_status(422);
    flag(&mut peer, question, "other").assert_status(422);
    flag(&mut peer, question, "duplicate").assert_status(422);
    let r = peer.send_json(
        "POST",
        &format!("/api/v1/posts/{question}/flags"),
        json!({"reason": "duplicate", "duplicate_of": thread}),
    );
    r.assert_status(422);
    let r = peer.send_json(
        "POST",
        &format!("/api/v1/posts/{question}/flags"),
        json!({"reason": "other", "note": "Asks for a licence key"}),
    );
    r.assert_status(201);
    // Anonymous callers cannot flag; nothing was written by the refusals.
    Client::new(&app)
        .send_json(
            "POST",
            &format!("/api/v1/posts/{question}/flags"),
            json!({"reason": "spam"}),
        )
        .assert_status(401);
    assert_eq!(app.count("flags"), 1);
    // A needs-staff flag does not hide anything however many agree.
    app.member("third");
    flag(&mut api(&app, "third"), question, "needs_staff").assert_status(201);
    Client::new(&app)
        .get(&format!("/t/{thread}"))
        .assert_status(301);
}

#[test]
fn new_accounts_links_wait_for_approval_and_then_count() {
    let app = spawn_app_with(|s| s.trust.privileges.links = 1);
    app.member("newbie");
    app.member("reader");
    app.user_with_role("mod", Role::Moderator, "", "");
    let (mut newbie, mut m) = (api(&app, "newbie"), api(&app, "mod"));
    let mut anon = Client::new(&app);
    // A question with a link from a brand-new account: accepted (202), not public.
    let q = ask_api(
        &mut newbie,
        "Where is the driver download",
        "I looked at https://example.com/drivers but found nothing",
    );
    assert_eq!(q["state"], "held");
    let thread = q["id"].as_i64().unwrap();
    anon.get(&format!("/api/v1/threads/{thread}"))
        .assert_status(404);
    assert!(anon.get("/api/v1/threads").json()["threads"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["id"] != thread));
    // Its author sees it.
    newbie
        .get(&format!("/api/v1/threads/{thread}"))
        .assert_status(200);
    // In the queue as held; approving publishes it (listed, searchable).
    let queue = m.get("/api/v1/review?reason=held").json();
    let post = queue["items"][0]["target_id"].as_i64().expect("held item");
    assert_eq!(queue["items"][0]["kind"], "held");
    decide(&mut m, "post", post, "approve", "").assert_status(200);
    anon.get(&format!("/api/v1/threads/{thread}"))
        .assert_status(200);
    app.wait_for_index();
    assert_eq!(search_ids(&mut anon, "driver download"), [thread]);
    // Without links, new accounts post at once.
    let (status, _) = answer_api(&mut newbie, thread, "Found it myself in the support area.");
    assert_eq!(status, 201);
    // More links than the maximum are held for anyone.
    app.member("old");
    let mut old = api(&app, "old");
    let many: String = (0..11)
        .map(|i| format!("https://example.com/{i} "))
        .collect();
    let (status, a) = answer_api(&mut old, thread, &many);
    assert_eq!(status, 202, "{a}");
    assert_eq!(a["state"], "held");
    assert_eq!(answer_count(&mut anon, thread), 1);
}

#[test]
fn the_same_text_twice_within_minutes_is_refused() {
    let app = spawn_app_with(|s| s.moderation.duplicate_minutes = 10);
    app.member("repeat");
    let mut c = api(&app, "repeat");
    let t1 = ask_api(&mut c, "First question here", "Same words")["id"]
        .as_i64()
        .unwrap();
    let (status, _) = answer_api(&mut c, t1, "Try turning it off and on again.");
    assert_eq!(status, 201);
    let before = app.count("posts");
    let (status, body) = answer_api(&mut c, t1, "Try turning it off and on again.");
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("10 minutes"));
    assert_eq!(app.count("posts"), before, "nothing half-written");
}

#[test]
fn posting_too_fast_is_a_429_with_retry_after_in_page_and_api() {
    use peerdesk::config::{PostingRates, Rate};
    let app = spawn_app_with(|s| {
        s.limits.per_user = PostingRates {
            questions: vec![Rate::per_minute(3), Rate::per_day(50)],
            ..PostingRates::all(Rate::per_minute(100_000))
        };
        // Brand-new accounts post at the base rate.
        s.trust.privileges.higher_rates = 2;
    });
    let mut browser = app.member("burst");
    let mut c = api(&app, "burst");
    for n in 0..3 {
        ask_api(&mut c, &format!("Burst question number {n}"), "Body");
    }
    let r = c.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "One too many", "body": "Body", "category": "general"}),
    );
    r.assert_status(429);
    let wait: i64 = r
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(r.json()["message"].as_str().unwrap().contains("wait"));
    // The page says so too (the same member, through the form).
    let r = browser.submit(
        "/ask",
        "/ask",
        &[
            ("title", "From the form"),
            ("body", "Body"),
            ("category", "general"),
        ],
    );
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Please wait"), "{}", r.body);
    // Staff have no rate.
    app.user_with_role("staffer", Role::Staff, "", "");
    let mut staff = api(&app, "staffer");
    for n in 0..5 {
        ask_api(&mut staff, &format!("Staff note number {n}"), "Body");
    }
}

#[test]
fn watched_words_block_hold_or_flag() {
    let app = spawn_app();
    app.user_with_role("root", Role::Admin, "", "");
    app.user_with_role("mod", Role::Moderator, "", "");
    app.member("writer");
    let (mut admin, mut m, mut w) = (api(&app, "root"), api(&app, "mod"), api(&app, "writer"));
    let add = |c: &mut Client, pattern: &str, regex: bool, action: &str| {
        c.send_json(
            "POST",
            "/api/v1/admin/watched-words",
            json!({"pattern": pattern, "regex": regex, "action": action}),
        )
    };
    add(&mut m, "casino", false, "block").assert_status(403);
    add(&mut admin, "casino", false, "block").assert_status(201);
    add(&mut admin, "casino", false, "block").assert_status(409);
    add(&mut admin, "(unclosed", true, "hold").assert_status(422);
    add(&mut admin, "crypto*", false, "hold").assert_status(201);
    add(&mut admin, r"free\s+money", true, "flag").assert_status(201);
    add(&mut admin, "x", false, "explode").assert_status(422);
    let r = w.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Best CASINO in town", "body": "Come", "category": "general"}),
    );
    r.assert_status(422);
    assert!(r.json()["message"].as_str().unwrap().contains("casino"));
    let held = ask_api(&mut w, "Cryptocurrency payments", "Do you take them?");
    assert_eq!(held["state"], "held");
    let flagged = ask_api(&mut w, "Is this free   money", "A question");
    assert_eq!(flagged["state"], "visible");
    let q = m.get("/api/v1/review").json();
    assert!(q["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "flagged" && i["flags"][0]["reason"] == "watched_word"));
    // Removing a word takes effect at once on this node.
    let words = admin.get("/api/v1/admin/watched-words").json();
    let casino = words["words"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["pattern"] == "casino")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    admin
        .send_json(
            "DELETE",
            &format!("/api/v1/admin/watched-words/{casino}"),
            json!({}),
        )
        .assert_status(204);
    ask_api(&mut w, "Casino night at the office", "Allowed now");
    // The admin page lists them.
    let mut page = app.user_with_role("root2", Role::Admin, "", "");
    let html = page.get("/admin/watched-words").body;
    assert!(html.contains("crypto*"));
}

#[test]
fn a_sign_up_sent_back_too_fast_is_refused_then_accepted() {
    let app = spawn_app_with(|s| s.moderation.sign_up_min_seconds = 1);
    let mut c = Client::new(&app);
    let fields = [
        ("handle", "speedy"),
        ("email", "speedy@example.com"),
        ("name", ""),
        ("password", PASSWORD),
    ];
    let r = c.submit("/signup", "/signup", &fields);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("very fast"));
    assert_eq!(app.count("users"), 0);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let csrf = r.csrf();
    let mut again = vec![("csrf", csrf.as_str())];
    again.extend(fields);
    c.post_form("/signup", &again).assert_status(303);
    assert_eq!(app.count("users"), 1);
}

#[test]
fn a_duplicate_merges_into_its_canonical_thread_and_its_url_redirects() {
    let app = spawn_app();
    app.member("asker1");
    app.member("asker2");
    app.member("helper");
    app.user_with_role("mod", Role::Moderator, "", "");
    let (mut a1, mut a2, mut h, mut m) = (
        api(&app, "asker1"),
        api(&app, "asker2"),
        api(&app, "helper"),
        api(&app, "mod"),
    );
    let canonical = ask_api(&mut a1, "Reset the router password", "How?")["id"]
        .as_i64()
        .unwrap();
    let dup = ask_api(&mut a2, "Forgot router admin password qwyzzle", "Help")["id"]
        .as_i64()
        .unwrap();
    answer_api(&mut h, canonical, "Hold reset for 10 seconds.");
    let (_, moved) = answer_api(&mut h, dup, "Use the pin on the back.");
    let moved = moved["id"].as_i64().unwrap();
    a2.send_json("POST", &format!("/api/v1/posts/{moved}/accept"), json!({}))
        .assert_status(200);
    // Refusals first: nothing half-done.
    let merge = |c: &mut Client, from: i64, into: Value| {
        c.send_json(
            "POST",
            &format!("/api/v1/threads/{from}/merge"),
            json!({ "into": into }),
        )
    };
    merge(&mut h, dup, json!(canonical)).assert_status(403);
    merge(&mut m, dup, json!(dup)).assert_status(422);
    merge(&mut m, dup, json!(987_654)).assert_status(422);
    merge(&mut m, 987_654, json!(canonical)).assert_status(404);
    let r = merge(&mut m, dup, json!(canonical));
    r.assert_status(200);
    assert_eq!(r.json()["answer_count"], 2);
    merge(&mut m, dup, json!(canonical)).assert_status(409);
    let third = ask_api(&mut a1, "A third thread", "Body")["id"]
        .as_i64()
        .unwrap();
    merge(&mut m, third, json!(dup)).assert_status(422);

    let mut anon = Client::new(&app);
    let r = anon.get(&format!("/t/{dup}/forgot-router-admin-password-qwyzzle"));
    r.assert_status(301);
    assert!(
        r.location().starts_with(&format!("/t/{canonical}/")),
        "{}",
        r.location()
    );
    anon.get(&format!("/api/v1/threads/{dup}"))
        .assert_status(301);
    let c = anon.get(&format!("/api/v1/threads/{canonical}")).json();
    assert_eq!(c["answer_count"], 2);
    // The canonical had no accepted answer: the duplicate's accepted answer is now its own.
    assert_eq!(c["accepted_post_id"], moved);
    // The answer's own link finds it in its new thread.
    let r = anon.get(&format!("/p/{moved}"));
    assert!(r.location().starts_with(&format!("/t/{canonical}/")));
    app.wait_for_index();
    assert!(
        search_ids(&mut anon, "qwyzzle").is_empty(),
        "the merged thread is searchable"
    );
    assert_eq!(search_ids(&mut anon, "pin on the back"), [canonical]);
}

#[test]
fn unlisting_takes_a_thread_off_lists_and_out_of_reach() {
    let app = spawn_app();
    app.member("asker");
    app.user_with_role("mod", Role::Moderator, "", "");
    let (mut asker, mut m) = (api(&app, "asker"), api(&app, "mod"));
    let t = ask_api(&mut asker, "Unlist me please zylophone", "Body")["id"]
        .as_i64()
        .unwrap();
    let unlist = |c: &mut Client, v: bool| {
        c.send_json(
            "POST",
            &format!("/api/v1/threads/{t}/unlist"),
            json!({"unlisted": v, "reason": "Internal test"}),
        )
    };
    unlist(&mut asker, true).assert_status(403);
    unlist(&mut m, true).assert_status(200);
    let mut anon = Client::new(&app);
    anon.get(&format!("/api/v1/threads/{t}")).assert_status(404);
    asker
        .get(&format!("/api/v1/threads/{t}"))
        .assert_status(200);
    app.wait_for_index();
    assert!(search_ids(&mut anon, "zylophone").is_empty());
    unlist(&mut m, false).assert_status(200);
    anon.get(&format!("/api/v1/threads/{t}")).assert_status(200);
}

#[test]
fn hidden_posts_can_be_reworked_and_edits_with_links_wait() {
    let app = spawn_app_with(|s| s.trust.privileges.links = 1);
    app.member("author");
    app.user_with_role("mod", Role::Moderator, "", "");
    let (mut author, mut m) = (api(&app, "author"), api(&app, "mod"));
    let t = ask_api(&mut author, "Display flickers at night", "Only after 10pm.")["id"]
        .as_i64()
        .unwrap();
    let question = author.get(&format!("/api/v1/threads/{t}")).json()["posts"][0]["id"]
        .as_i64()
        .unwrap();
    // An edit adding a link from a new account waits; the post stays as it was.
    let r = author.send_json(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        json!({"body": "See https://example.com/video for the flicker."}),
    );
    r.assert_status(202);
    assert_eq!(r.json()["edit_held"], true);
    let mut anon = Client::new(&app);
    let html = anon.get(&format!("/api/v1/threads/{t}")).json()["posts"][0]["body_html"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains("Only after 10pm"));
    let q = m.get("/api/v1/review").json();
    let edit = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "held_edit")
        .expect("held edit")["target_id"]
        .as_i64()
        .unwrap();
    decide(&mut m, "edit", edit, "approve", "").assert_status(200);
    let html = anon.get(&format!("/api/v1/threads/{t}")).json()["posts"][0]["body_html"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains("example.com/video"));
    decide(&mut m, "edit", edit, "approve", "").assert_status(404);

    // Hidden by a moderator: the author edits it, which resubmits it for review.
    decide(
        &mut m,
        "post",
        question,
        "hide",
        "Please add the model number",
    )
    .assert_status(200);
    anon.get(&format!("/api/v1/threads/{t}")).assert_status(404);
    let r = author.send_json(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        json!({"body": "Model X200: the display flickers after 10pm."}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["state"], "held");
    decide(&mut m, "post", question, "approve", "").assert_status(200);
    anon.get(&format!("/api/v1/threads/{t}")).assert_status(200);
}

#[test]
fn a_thread_is_closed_with_a_reason_everyone_reads() {
    let app = spawn_app();
    app.member("asker");
    app.user_with_role("mod", Role::Moderator, "", "");
    let (mut asker, mut m) = (api(&app, "asker"), api(&app, "mod"));
    let t = ask_api(&mut asker, "Old firmware question", "Body")["id"]
        .as_i64()
        .unwrap();
    let close = |c: &mut Client, body: Value| {
        c.send_json("POST", &format!("/api/v1/threads/{t}/close"), body)
    };
    close(&mut asker, json!({"closed": true, "reason": "off_topic"})).assert_status(403);
    close(&mut m, json!({"closed": true, "reason": "because"})).assert_status(422);
    let r = close(
        &mut m,
        json!({"closed": true, "reason": "resolved_elsewhere"}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["close_reason"], "resolved_elsewhere");
    let mut anon = Client::new(&app);
    let path = anon.get(&format!("/t/{t}")).location().to_string();
    assert!(anon.get(&path).body.contains("resolved elsewhere"));
    let r = close(&mut m, json!({"closed": false}));
    assert_eq!(r.json()["close_reason"], "");
    assert_eq!(r.json()["status"], "open");
}

#[test]
fn the_queue_pages_oldest_first_and_filters() {
    let app = spawn_app();
    app.user_with_role("staffer", Role::Staff, "", "");
    app.user_with_role("mod", Role::Moderator, "", "");
    app.member("flagger");
    let (mut staff, mut m, mut f) = (api(&app, "staffer"), api(&app, "mod"), api(&app, "flagger"));
    let t = ask_api(&mut staff, "Many answers to flag", "Body")["id"]
        .as_i64()
        .unwrap();
    let mut answers = Vec::new();
    for n in 0..35 {
        let (status, a) = answer_api(&mut staff, t, &format!("Answer {n}"));
        assert_eq!(status, 201);
        answers.push(a["id"].as_i64().unwrap());
    }
    for a in &answers {
        flag(&mut f, *a, "off_topic").assert_status(201);
    }
    let p1 = m.get("/api/v1/review").json();
    assert_eq!(p1["items"].as_array().unwrap().len(), 30);
    assert_eq!(p1["has_more"], true);
    assert_eq!(p1["items"][0]["target_id"], answers[0], "oldest first");
    assert_eq!(p1["flagged"], 35);
    let p2 = m.get("/api/v1/review?page=2").json();
    assert_eq!(p2["items"].as_array().unwrap().len(), 5);
    assert_eq!(p2["has_more"], false);
    assert_eq!(p2["items"][4]["target_id"], answers[34]);
    let spam = m.get("/api/v1/review?reason=spam").json();
    assert!(spam["items"].as_array().unwrap().is_empty());
    let general = m
        .get("/api/v1/review?category=general&reason=off_topic")
        .json();
    assert_eq!(general["items"].as_array().unwrap().len(), 30);
    m.get("/api/v1/review?category=nowhere").assert_status(422);
    m.get("/api/v1/review?reason=bogus").assert_status(422);
    // The page shows the count in the moderator's header.
    let mut browser = app.user_with_role("mod2", Role::Moderator, "", "");
    let html = browser.get("/review").body;
    assert!(html.contains("35 items wait for review"), "no header count");
}

#[test]
fn article_feedback_can_be_flagged_and_its_comment_removed() {
    let app = spawn_app();
    app.user_with_role("staffer", Role::Staff, "Sam", "Support");
    app.member("reader");
    app.member("other");
    let mut staff = api(&app, "staffer");
    let t = ask_api(&mut staff, "How to reset the hub", "Steps?")["id"]
        .as_i64()
        .unwrap();
    let (_, a) = answer_api(&mut staff, t, "Hold the button for ten seconds.");
    let answer = a["id"].as_i64().unwrap();
    let r = staff.send_json(
        "POST",
        &format!("/api/v1/threads/{t}/promote"),
        json!({"post_id": answer, "status": "published"}),
    );
    r.assert_status(201);
    let article = r.json()["article_id"].as_i64().unwrap();
    api(&app, "reader")
        .send_json(
            "POST",
            &format!("/api/v1/kb/articles/{article}/feedback"),
            json!({"helpful": false, "comment": "Visit my shop at cheap-stuff"}),
        )
        .assert_status(200);
    let feedback: i64 = app
        .db
        .read_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::kb_feedback;
            Ok(kb_feedback::table.select(kb_feedback::id).first(conn)?)
        })
        .unwrap();
    let mut other = api(&app, "other");
    let flag_it = |c: &mut Client, id: i64| {
        c.send_json(
            "POST",
            &format!("/api/v1/feedback/{id}/flags"),
            json!({"reason": "spam"}),
        )
    };
    flag_it(&mut other, 999_999).assert_status(404);
    flag_it(&mut other, feedback).assert_status(201);
    flag_it(&mut other, feedback).assert_status(409);
    flag_it(&mut api(&app, "reader"), feedback).assert_status(403);
    let q = staff.get("/api/v1/review").json();
    let item = &q["items"][0];
    assert_eq!(item["target"], "feedback");
    assert_eq!(item["body_html"], "Visit my shop at cheap-stuff");
    decide(&mut staff, "feedback", feedback, "delete", "Advertising").assert_status(200);
    let comment: String = app
        .db
        .read_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::kb_feedback;
            Ok(kb_feedback::table
                .select(kb_feedback::comment)
                .first(conn)?)
        })
        .unwrap();
    assert_eq!(comment, "", "the comment is removed, the vote stays");
    assert_eq!(
        api(&app, "other").get("/api/v1/me/flags").json()["flags"][0]["status"],
        "agreed"
    );
}
