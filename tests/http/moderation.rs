//! Moderation (first parts): locking a thread — no new answers, comments or follow-ups, the
//! reason on the page, staff and moderators only, kept in the audit log.

use serde_json::json;

use crate::helpers::*;
use peerdesk::accounts::Role;

#[test]
fn a_locked_thread_takes_no_new_posts_and_shows_why() {
    let app = spawn_app();
    let mut asker = app.member("lisa");
    let mut peer = app.member("paul");
    let mut moderator = app.user_with_role("moe", Role::Moderator, "Moe", "Moderator");
    let path = app.ask(
        &mut asker,
        "Which cable for the dock?",
        "USB-C or Thunderbolt?",
    );
    let id = thread_id(&path);
    let question = post_ids(&asker.get(&path).body)[0];
    // Members cannot lock; a lock needs a reason.
    peer.submit(
        &path,
        &format!("/t/{id}/lock"),
        &[("action", "lock"), ("reason", "x")],
    )
    .assert_status(403);
    let r = moderator.submit(
        &path,
        &format!("/t/{id}/lock"),
        &[("action", "lock"), ("reason", "")],
    );
    r.assert_status(422);
    moderator
        .submit(
            &path,
            &format!("/t/{id}/lock"),
            &[("action", "lock"), ("reason", "Heated off-topic debate")],
        )
        .assert_status(303);
    let page = peer.get(&path).body;
    assert!(page.contains("Locked by a moderator"), "no lock notice");
    assert!(page.contains("Heated off-topic debate"));
    assert!(
        !page.contains(&format!("action=\"/t/{id}/answers\"")),
        "answer form on a locked thread"
    );
    assert!(
        !page.contains(&format!("action=\"/p/{question}/comments\"")),
        "comment form"
    );
    // Answers, comments and follow-ups are refused with the reason, through pages and API.
    let before = app.count("posts");
    let r = peer.submit(
        &path,
        &format!("/t/{id}/answers"),
        &[("body", "Thunderbolt.")],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    let token = app.token_for("paul");
    let mut api = Client::api(&app, &token);
    let r = api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/posts"),
        json!({"body": "Thunderbolt."}),
    );
    r.assert_status(409);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("Heated off-topic debate"));
    api.send_json(
        "POST",
        &format!("/api/v1/posts/{question}/comments"),
        json!({"body": "Me too."}),
    )
    .assert_status(409);
    asker
        .submit(
            &path,
            &format!("/t/{id}/followups"),
            &[("body", "Any news?")],
        )
        .assert_status(409);
    assert_eq!(
        app.count("posts"),
        before,
        "a post landed on a locked thread"
    );
    // Unlock through the API: posting works again.
    let moe = app.token_for("moe");
    let mut moe_api = Client::api(&app, &moe);
    let r = moe_api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/lock"),
        json!({"locked": false}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["locked"], false);
    api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/posts"),
        json!({"body": "Thunderbolt 4."}),
    )
    .assert_status(201);
    api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/lock"),
        json!({"locked": true, "reason": "no"}),
    )
    .assert_status(403);
    moe_api
        .send_json(
            "POST",
            "/api/v1/threads/999999/lock",
            json!({"locked": true, "reason": "gone"}),
        )
        .assert_status(404);
    // Both acts are in the audit log with the reason.
    let admin_client = app.user_with_role("ava", Role::Admin, "Ava", "Admin");
    drop(admin_client);
    let ava = app.token_for("ava");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let log = Client::api(&app, &ava)
            .get(&format!("/api/v1/admin/audit?object=thread&object_id={id}"))
            .json();
        let actions: Vec<String> = log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect();
        if actions == ["thread_unlocked", "thread_locked"] {
            assert_eq!(log["entries"][1]["reason"], "Heated off-topic debate");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "audit: {actions:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_misfiled_thread_moves_to_another_category_with_its_target() {
    let app = spawn_app();
    let mut asker = app.member("nina");
    let mut moderator = app.user_with_role("moritz", Role::Moderator, "Moritz", "Moderator");
    let mut admin = app.user_with_role("alma", Role::Admin, "Alma", "Admin");
    admin
        .submit(
            "/admin",
            "/admin/categories",
            &[
                ("name", "Router X200"),
                ("slug", "router-x200"),
                ("description", "The X200"),
                ("position", "1"),
                ("first_response", "2h"),
            ],
        )
        .assert_status(303);
    let path = app.ask(&mut asker, "X200 drops Wi-Fi at night", "Firmware 3.1.");
    let id = thread_id(&path);
    let page = moderator.get(&path).body;
    assert!(
        page.contains(&format!("action=\"/t/{id}/move\"")),
        "no move form"
    );
    assert!(!asker
        .get(&path)
        .body
        .contains(&format!("action=\"/t/{id}/move\"")));
    asker
        .submit(
            &path,
            &format!("/t/{id}/move"),
            &[("category", "router-x200")],
        )
        .assert_status(403);
    moderator
        .submit(
            &path,
            &format!("/t/{id}/move"),
            &[("category", "no-such-product")],
        )
        .assert_status(422);
    moderator
        .submit(
            &path,
            &format!("/t/{id}/move"),
            &[("category", "router-x200")],
        )
        .assert_status(303);
    let category = Client::new(&app).get("/c/router-x200").body;
    assert!(category.contains("X200 drops Wi-Fi at night"));
    assert!(!Client::new(&app)
        .get("/c/general")
        .body
        .contains("X200 drops Wi-Fi at night"));
    let thread = app
        .db
        .read_blocking(move |conn| peerdesk::threads::find_thread(conn, id))
        .expect("thread");
    assert_eq!(
        thread.respond_by,
        Some(thread.created_at + chrono::TimeDelta::hours(2)),
        "the new category's first-response target applies"
    );
    let counts = Client::new(&app).get("/api/v1/categories").json();
    let count_of = |slug: &str| {
        counts["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["slug"] == slug)
            .map(|c| c["thread_count"].as_i64().unwrap())
    };
    assert_eq!(count_of("router-x200"), Some(1));
    assert_eq!(count_of("general"), Some(0));
    // Back through the API by id; wrong shapes are 422.
    let mo = app.token_for("moritz");
    let mut api = Client::api(&app, &mo);
    let general_id = counts["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "general")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/move"),
        json!({ "category": general_id }),
    );
    r.assert_status(200);
    api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/move"),
        json!({ "category": [1] }),
    )
    .assert_status(422);
    api.send_json(
        "POST",
        "/api/v1/threads/424242/move",
        json!({ "category": "general" }),
    )
    .assert_status(404);
}

#[test]
fn a_pinned_thread_leads_its_category() {
    let app = spawn_app();
    let mut asker = app.member("pete");
    let mut moderator = app.user_with_role("molly", Role::Moderator, "Molly", "Moderator");
    let first = app.ask(
        &mut asker,
        "Read this before asking about updates",
        "Please.",
    );
    let first_id = thread_id(&first);
    let _second = app.ask(&mut asker, "Update fails at 99 percent", "Every time.");
    let order = |html: &str| {
        html.find("Read this before asking").unwrap_or(usize::MAX)
            < html.find("Update fails at 99 percent").unwrap_or(0)
    };
    assert!(
        !order(&Client::new(&app).get("/c/general").body),
        "newest first before pinning"
    );
    asker
        .submit(&first, &format!("/t/{first_id}/pin"), &[("action", "pin")])
        .assert_status(403);
    moderator
        .submit(&first, &format!("/t/{first_id}/pin"), &[("action", "pin")])
        .assert_status(303);
    let page = Client::new(&app).get("/c/general").body;
    assert!(order(&page), "the pinned thread leads its category");
    assert!(page.contains("Pinned"));
    // Once, not twice, on the page; the home page keeps its order.
    assert_eq!(page.matches("Read this before asking").count(), 1);
    let token = app.token_for("molly");
    let r = Client::api(&app, &token).send_json(
        "POST",
        &format!("/api/v1/threads/{first_id}/pin"),
        json!({"pinned": false}),
    );
    r.assert_status(200);
    assert!(!order(&Client::new(&app).get("/c/general").body));
    moderator
        .submit(&first, &format!("/t/{first_id}/pin"), &[("action", "spin")])
        .assert_status(422);
}

#[test]
fn the_sign_up_honeypot_turns_programs_away() {
    let app = spawn_app();
    let before = app.count("users");
    let mut bot = Client::new(&app);
    let page = bot.get("/signup");
    assert!(page.body.contains("name=\"website\""), "no honeypot field");
    let r = bot.submit(
        "/signup",
        "/signup",
        &[
            ("handle", "spambot"),
            ("email", "spambot@example.com"),
            ("name", ""),
            ("password", PASSWORD),
            ("website", "http://cheap-pills.example"),
        ],
    );
    r.assert_status(422);
    assert_eq!(app.count("users"), before, "a bot's account was created");
    // People leave it empty.
    app.member("person");
    assert_eq!(app.count("users"), before + 1);
}

/// The permission table of docs/moderation.md, walked over HTTP for the actions built so far:
/// each role either succeeds or gets 403.
#[test]
fn who_may_do_what() {
    let app = spawn_app();
    let mut asker = app.member("owen");
    let path = app.ask(&mut asker, "Permissions walk thread", "Body.");
    let id = thread_id(&path);
    let question = post_ids(&asker.get(&path).body)[0];
    let asker_id = Client::api(&app, &app.token_for("owen"))
        .get("/api/v1/me")
        .json()["id"]
        .as_i64()
        .expect("id");
    // A duplicate per role to merge (merging is done once per thread).
    let dups: Vec<i64> = (0..4)
        .map(|n| thread_id(&app.ask(&mut asker, &format!("Duplicate number {n}"), "Same.")))
        .collect();
    let clients = [
        ("member", app.member("mem-ber")),
        (
            "moderator",
            app.user_with_role("mod-er", Role::Moderator, "Mod", "Moderator"),
        ),
        (
            "staff",
            app.user_with_role("sta-ff", Role::Staff, "Staff", "Support"),
        ),
        (
            "admin",
            app.user_with_role("adm-in", Role::Admin, "Admin", "Admin"),
        ),
    ];
    /// What, where, the form's fields, and the roles allowed.
    type Action<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, &'a [&'a str]);
    let actions: Vec<Action> = vec![
        (
            "close",
            format!("/t/{id}/close"),
            vec![("action", "close"), ("duplicate_of", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "reopen",
            format!("/t/{id}/close"),
            vec![("action", "reopen"), ("duplicate_of", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "lock",
            format!("/t/{id}/lock"),
            vec![("action", "lock"), ("reason", "walk")],
            &["moderator", "staff", "admin"],
        ),
        (
            "unlock",
            format!("/t/{id}/lock"),
            vec![("action", "unlock"), ("reason", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "pin",
            format!("/t/{id}/pin"),
            vec![("action", "pin")],
            &["moderator", "staff", "admin"],
        ),
        (
            "unpin",
            format!("/t/{id}/pin"),
            vec![("action", "unpin")],
            &["moderator", "staff", "admin"],
        ),
        (
            "move",
            format!("/t/{id}/move"),
            vec![("category", "general")],
            &["moderator", "staff", "admin"],
        ),
        (
            "assign",
            format!("/t/{id}/assign"),
            vec![("assignee", "sta-ff"), ("note", "")],
            &["staff", "admin"],
        ),
        (
            "unlist",
            format!("/t/{id}/unlist"),
            vec![("action", "unlist"), ("reason", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "relist",
            format!("/t/{id}/unlist"),
            vec![("action", "relist"), ("reason", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "flag",
            format!("/flag/post/{question}"),
            vec![
                ("reason", "needs_staff"),
                ("note", ""),
                ("duplicate_of", ""),
            ],
            &["member", "moderator", "staff", "admin"],
        ),
        (
            "hide",
            format!("/review/post/{question}"),
            vec![("action", "hide"), ("reason", "walk")],
            &["moderator", "staff", "admin"],
        ),
        (
            "restore",
            format!("/review/post/{question}"),
            vec![("action", "restore"), ("reason", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "silence",
            format!("/review/users/{asker_id}/silence"),
            vec![("days", "1"), ("reason", "walk")],
            &["moderator", "staff", "admin"],
        ),
        (
            "lift silence",
            format!("/review/users/{asker_id}/silence"),
            vec![("days", "0"), ("reason", "")],
            &["moderator", "staff", "admin"],
        ),
        (
            "suspend",
            format!("/review/users/{asker_id}/suspend"),
            vec![("days", "1"), ("reason", "walk")],
            &["moderator", "staff", "admin"],
        ),
        (
            "lift suspension",
            format!("/review/users/{asker_id}/suspend"),
            vec![("days", "0"), ("reason", "")],
            &["moderator", "staff", "admin"],
        ),
    ];
    for (n, (name, mut client)) in clients.into_iter().enumerate() {
        for (what, action, fields, allowed) in &actions {
            let r = client.submit(&path, action, fields);
            let expected = if allowed.contains(&name) { 303 } else { 403 };
            assert_eq!(r.status, expected, "{name} {what}: {}", r.body);
        }
        let moderates = name != "member";
        let r = client.submit(
            &path,
            &format!("/t/{}/merge", dups[n]),
            &[("into", &id.to_string())],
        );
        assert_eq!(r.status, if moderates { 303 } else { 403 }, "{name} merge");
        let review = client.get("/review");
        assert_eq!(
            review.status,
            if moderates { 200 } else { 403 },
            "{name} review"
        );
        let audit = client.get("/admin/audit");
        let expected = if name == "admin" { 200 } else { 403 };
        assert_eq!(audit.status, expected, "{name} reads the audit log");
        let admin = client.get("/admin");
        assert_eq!(admin.status, expected, "{name} opens the admin page");
        let words = client.get("/admin/watched-words");
        assert_eq!(words.status, expected, "{name} opens the watched words");
    }
}
