//! The support desk: internal notes are staff-only — never shown to others in pages, never in
//! search, never in the API for non-staff callers — and cannot be reached by id either; "my
//! setup" attached to questions with private fields kept private; referral with notes,
//! promises, the public timeline; first-response targets, the staff queue and its metrics;
//! follow-ups and "since your last visit".

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

#[test]
fn internal_notes_stay_with_staff() {
    let app = spawn_app();
    let mut customer = app.member("customer");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam Support", "Networking");
    let mut moderator = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");
    let path = app.ask(
        &mut customer,
        "Router reboots every night at two",
        "It reboots at 2 am every night.",
    );
    let thread = thread_id(&path);
    let secret = "zebraquokka";
    let r = staff.submit(
        &path,
        &format!("/t/{thread}/notes"),
        &[(
            "body",
            &format!("Customer is on the {secret} firmware branch; check the watchdog."),
        )],
    );
    r.assert_status(303);
    let note_id: i64 = r
        .location()
        .rsplit("#post-")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("note id");
    assert_eq!(app.count("posts"), 2);

    // Pages: staff see it; the customer, a moderator and visitors do not.
    let page = staff.get(&path).body;
    assert!(page.contains(secret) && page.contains("Internal notes"));
    for (who, c) in [("customer", &mut customer), ("moderator", &mut moderator)] {
        let body = c.get(&path).body;
        assert!(!body.contains(secret), "{who} sees the note");
        assert!(!body.contains("Internal notes"), "{who} sees the section");
    }
    let mut anon = Client::new(&app);
    assert!(!anon.get(&path).body.contains(secret));
    // The thread's public state did not change: still open, no answers.
    assert!(anon.get(&path).body.contains("0 answers"));

    // Search: not indexed, for anyone.
    app.wait_for_index();
    let hits = anon.get(&format!("/api/v1/search?q={secret}")).json();
    assert_eq!(hits["total"], 0, "{hits}");
    assert_eq!(staff.get(&format!("/search?q={secret}")).status, 200);
    assert!(!staff
        .get(&format!("/search?q={secret}"))
        .body
        .contains(&path));

    // API: no field at all for anonymous or member callers; staff tokens get the notes.
    let j = anon.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(j.get("internal_notes").is_none());
    assert!(!j.to_string().contains(secret));
    let mut member_api = Client::api(&app, &app.token_for("customer"));
    let j = member_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(!j.to_string().contains(secret));
    let mut staff_api = Client::api(&app, &app.token_for("sam"));
    let j = staff_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(j["internal_notes"][0]["body_html"]
        .as_str()
        .unwrap_or("")
        .contains(secret));

    // By id: history, edit, comments and votes answer as if the note did not exist.
    anon.get(&format!("/p/{note_id}/history"))
        .assert_status(404);
    customer
        .get(&format!("/p/{note_id}/history"))
        .assert_status(404);
    staff
        .get(&format!("/p/{note_id}/history"))
        .assert_status(200);
    member_api
        .send_json(
            "PATCH",
            &format!("/api/v1/posts/{note_id}"),
            json!({"body": "mine now"}),
        )
        .assert_status(404);
    member_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{note_id}/comments"),
            json!({"body": "hello"}),
        )
        .assert_status(404);
    member_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{note_id}/votes"),
            json!({"value": 1}),
        )
        .assert_status(404);
    // Only staff write them.
    let r = customer.submit(
        &path,
        &format!("/t/{thread}/notes"),
        &[("body", "let me in")],
    );
    r.assert_status(403);
    let r = moderator.submit(&path, &format!("/t/{thread}/notes"), &[("body", "me too")]);
    r.assert_status(403);
    staff
        .submit(&path, &format!("/t/{thread}/notes"), &[("body", "  ")])
        .assert_status(422);
    assert_eq!(app.count("posts"), 2);
}

/// The id of the newest saved setup entry of `client` (through the API).
fn setup_ids(app: &TestApp, handle: &str) -> Vec<i64> {
    let mut api = Client::api(app, &app.token_for(handle));
    api.get("/api/v1/me/setup").json()["setup"]
        .as_array()
        .expect("setup list")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect()
}

#[test]
fn my_setup_travels_with_questions_and_private_fields_stay_private() {
    let app = spawn_app();
    let mut customer = app.member("carla");
    let mut peer = app.member("peter");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let mut moderator = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");

    // The account page keeps the setup: one public entry, one private (a licence key).
    customer
        .submit(
            "/account",
            "/account/setup",
            &[
                ("product", "general"),
                ("version", "4.2.1"),
                ("platform", "Windows 11"),
                ("notes", "Behind a corporate proxy"),
            ],
        )
        .assert_status(200);
    customer
        .submit(
            "/account",
            "/account/setup",
            &[
                ("product", "general"),
                ("version", "4.2.1"),
                ("notes", "Licence LIC-SECRET-778"),
                ("private", "1"),
            ],
        )
        .assert_status(200);
    let account = customer.get("/account").body;
    assert!(account.contains("Behind a corporate proxy") && account.contains("LIC-SECRET-778"));
    let ids = setup_ids(&app, "carla");
    assert_eq!(ids.len(), 2);
    let (public_id, private_id) = (ids[0], ids[1]);

    // Bad input: a clear 4xx and nothing written.
    let before = app.count("customer_setups");
    for fields in [
        vec![("product", "general")],
        vec![("product", "no-such-product"), ("version", "1")],
        vec![("product", "general"), ("version", &"9".repeat(61))],
        vec![("product", "general"), ("notes", "nul \u{0} byte")],
    ] {
        let r = customer.submit("/account", "/account/setup", &fields);
        assert_eq!(r.status, 422, "{fields:?}");
    }
    assert_eq!(app.count("customer_setups"), before);
    // Someone else's entry does not exist for them.
    peer.submit(
        "/account",
        &format!("/account/setup/{private_id}"),
        &[("version", "hijacked")],
    )
    .assert_status(404);
    peer.submit(
        "/account",
        &format!("/account/setup/{private_id}/delete"),
        &[],
    )
    .assert_status(404);
    let mut peer_api = Client::api(&app, &app.token_for("peter"));
    peer_api
        .send_json(
            "PATCH",
            &format!("/api/v1/me/setup/{private_id}"),
            json!({"version": "x"}),
        )
        .assert_status(404);
    peer_api
        .send_json(
            "DELETE",
            &format!("/api/v1/me/setup/{private_id}"),
            json!({}),
        )
        .assert_status(404);

    // The ask form offers the saved entries, ticked for the product; the asker edits the
    // version there, which updates the saved entry too.
    let form = customer.get("/ask?category=general").body;
    assert!(form.contains(&format!(
        "name=\"setup_{public_id}_attach\" value=\"1\" class=\"setup-attach\" checked"
    )));
    let pub_attach = format!("setup_{public_id}_attach");
    let pub_version = format!("setup_{public_id}_version");
    let pub_platform = format!("setup_{public_id}_platform");
    let pub_notes = format!("setup_{public_id}_notes");
    let priv_attach = format!("setup_{private_id}_attach");
    let priv_version = format!("setup_{private_id}_version");
    let priv_notes = format!("setup_{private_id}_notes");
    let priv_private = format!("setup_{private_id}_private");
    let r = customer.submit(
        "/ask",
        "/ask",
        &[
            ("title", "Sync stops after the proxy update"),
            ("body", "Since Monday the sync stops every hour."),
            ("category", "general"),
            ("tags", ""),
            ("action", "post"),
            ("setup_shown", "1"),
            (&pub_attach, "1"),
            (&pub_version, "4.3.0"),
            (&pub_platform, "Windows 11"),
            (&pub_notes, "Behind a corporate proxy"),
            (&priv_attach, "1"),
            (&priv_version, "4.3.0"),
            (&priv_notes, "Licence LIC-SECRET-778"),
            (&priv_private, "1"),
        ],
    );
    r.assert_status(303);
    let path = r.location().to_string();
    let thread = thread_id(&path);
    assert_eq!(app.count("thread_setups"), 2);
    assert!(
        customer.get("/account").body.contains("4.3.0"),
        "saved entry updated"
    );

    // Who sees what: the asker and staff see the private entry; others only the public one.
    let own = customer.get(&path).body;
    assert!(
        own.contains("4.3.0") && own.contains("Behind a corporate proxy"),
        "{own}"
    );
    assert!(own.contains("LIC-SECRET-778"));
    let staff_page = staff.get(&path).body;
    assert!(staff_page.contains("LIC-SECRET-778"));
    assert!(staff_page.contains("Customer") && staff_page.contains("carla@example.com"));
    for (who, c) in [("peer", &mut peer), ("moderator", &mut moderator)] {
        let body = c.get(&path).body;
        assert!(
            body.contains("Behind a corporate proxy"),
            "{who} sees the public setup"
        );
        assert!(
            !body.contains("LIC-SECRET-778"),
            "{who} sees the private setup"
        );
        assert!(
            !body.contains("carla@example.com"),
            "{who} sees the context panel"
        );
    }
    let mut anon = Client::new(&app);
    assert!(!anon.get(&path).body.contains("LIC-SECRET-778"));
    // The API: the same rules.
    let j = anon.get(&format!("/api/v1/threads/{thread}")).json();
    assert_eq!(j["setup"].as_array().map(Vec::len), Some(1), "{j}");
    assert!(!j.to_string().contains("LIC-SECRET-778"));
    assert!(j.get("customer_context").is_none());
    let j = peer_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(!j.to_string().contains("LIC-SECRET-778"));
    let mut staff_api = Client::api(&app, &app.token_for("sam"));
    let j = staff_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(j["setup"].to_string().contains("LIC-SECRET-778"));
    assert_eq!(j["customer_context"]["customer"]["handle"], "carla");
    let ctx = staff_api
        .get(&format!("/api/v1/threads/{thread}/context"))
        .json();
    assert!(ctx["setup"].to_string().contains("LIC-SECRET-778"), "{ctx}");
    peer_api
        .get(&format!("/api/v1/threads/{thread}/context"))
        .assert_status(403);
    // Search never sees setup text either way.
    app.wait_for_index();
    assert_eq!(
        anon.get("/api/v1/search?q=LIC-SECRET-778").json()["total"],
        0
    );

    // API ask without `setup`: the saved entries of the product come along on their own.
    let mut customer_api = Client::api(&app, &app.token_for("carla"));
    let r = customer_api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Second question about the sync", "body": "More detail here.", "category": "general"}),
    );
    r.assert_status(201);
    assert_eq!(r.json()["setup"].as_array().map(Vec::len), Some(2));
    // With an explicit empty list: nothing attached.
    let r = customer_api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Third question without setup", "body": "Nothing attached.", "category": "general", "setup": []}),
    );
    r.assert_status(201);
    assert_eq!(r.json()["setup"].as_array().map(Vec::len), Some(0));
    // Someone else's entry cannot be attached: 404 and no thread.
    let threads_before = app.count("threads");
    let r = peer_api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Borrowing a setup entry", "body": "Attach theirs.", "category": "general", "setup": [{"id": private_id, "version": "1"}]}),
    );
    r.assert_status(404);
    assert_eq!(app.count("threads"), threads_before);
    // A new entry on ask, remembered in the setup.
    let r = peer_api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Peer question with a new setup", "body": "Fresh entry.", "category": "general", "setup": [{"version": "1.0", "platform": "macOS", "remember": true}]}),
    );
    r.assert_status(201);
    assert_eq!(setup_ids(&app, "peter").len(), 1);
    // A partial edit keeps what it does not name (and a private entry stays private).
    customer_api
        .send_json(
            "PATCH",
            &format!("/api/v1/me/setup/{private_id}"),
            json!({"version": "5.0"}),
        )
        .assert_status(200);
    let mine = customer_api.get("/api/v1/me/setup").json();
    let entry = mine["setup"]
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == private_id))
        .cloned()
        .expect("entry");
    assert_eq!(entry["version"], "5.0");
    assert_eq!(entry["private"], true, "{entry}");
    assert_eq!(entry["notes"], "Licence LIC-SECRET-778");
    // A product in someone's setup cannot be deleted from under them.
    let mut admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    admin
        .submit(
            "/admin",
            "/admin/categories",
            &[("name", "Beta Router"), ("slug", "beta")],
        )
        .assert_status(303);
    customer_api
        .send_json(
            "POST",
            "/api/v1/me/setup",
            json!({"product": "beta", "version": "0.9"}),
        )
        .assert_status(201);
    let beta = Client::new(&app).get("/api/v1/categories").json()["categories"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|c| c["slug"] == "beta")
                .map(|c| c["id"].clone())
        })
        .and_then(|id| id.as_i64())
        .expect("beta id");
    admin
        .submit("/admin", &format!("/admin/categories/{beta}/delete"), &[])
        .assert_status(409);
    // Removing an entry keeps the copies attached to questions.
    customer
        .submit(
            "/account",
            &format!("/account/setup/{public_id}/delete"),
            &[],
        )
        .assert_status(200);
    assert_eq!(setup_ids(&app, "carla").first(), Some(&private_id));
    assert!(anon.get(&path).body.contains("Behind a corporate proxy"));
}

#[test]
fn referral_promises_and_the_public_timeline() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    let mut customer = app.member("carla");
    let mut sam = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let mut nora = app.user_with_role("nora", Role::Staff, "Nora Net", "Networking specialist");
    let mut moderator = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");
    app.member("peter");

    // Admin: a Networking group with Nora in it; only staff can join.
    admin
        .submit(
            "/admin",
            "/admin/groups",
            &[("name", "Networking"), ("description", "Routers, VPN")],
        )
        .assert_status(303);
    admin
        .submit("/admin", "/admin/groups", &[("name", "Networking")])
        .assert_status(409);
    let groups = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/groups")
        .json();
    let group_id = groups["groups"][0]["id"].as_i64().expect("group id");
    admin
        .submit(
            "/admin",
            &format!("/admin/groups/{group_id}/members"),
            &[("handle", "nora"), ("action", "add")],
        )
        .assert_status(303);
    admin
        .submit(
            "/admin",
            &format!("/admin/groups/{group_id}/members"),
            &[("handle", "peter")],
        )
        .assert_status(422);
    sam.submit("/", "/admin/groups", &[("name", "Sneaky")])
        .assert_status(403);

    let path = app.ask(
        &mut customer,
        "VPN drops every ten minutes",
        "The tunnel drops every ten minutes.",
    );
    let thread = thread_id(&path);

    // Wrong roles and bad input: 4xx and nothing written.
    let events = app.count("thread_events");
    for (who, c) in [("customer", &mut customer), ("moderator", &mut moderator)] {
        let r = c.submit(
            &path,
            &format!("/t/{thread}/assign"),
            &[("assignee", "nora")],
        );
        assert_eq!(r.status, 403, "{who} assigned");
        let r = c.submit(&path, &format!("/t/{thread}/promises"), &[("due_in", "4h")]);
        assert_eq!(r.status, 403, "{who} promised");
    }
    Client::api(&app, &app.token_for("carla"))
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/assign"),
            json!({"assignee": "nora"}),
        )
        .assert_status(403);
    sam.submit(
        &path,
        &format!("/t/{thread}/assign"),
        &[("assignee", "peter")],
    )
    .assert_status(422);
    sam.submit(
        &path,
        &format!("/t/{thread}/assign"),
        &[("group", "no-such-team")],
    )
    .assert_status(422);
    sam.submit(&path, &format!("/t/{thread}/assign"), &[])
        .assert_status(422);
    sam.submit("/", "/t/999999/assign", &[("assignee", "nora")])
        .assert_status(404);
    assert_eq!(app.count("thread_events"), events);

    // Sam refers the thread to Nora and the Networking team, with a note for her.
    sam.submit(
        &path,
        &format!("/t/{thread}/assign"),
        &[
            ("assignee", "nora"),
            ("group", "networking"),
            ("note", "Customer is on VLAN 42; check the MTU"),
        ],
    )
    .assert_status(303);
    let public = customer.get(&path).body;
    assert!(
        public.contains(
            "Referred to Nora Net, Networking specialist (Networking team) by Sam Support"
        ),
        "{public}"
    );
    assert!(!public.contains("VLAN 42"), "the customer sees the note");
    let mut anon = Client::new(&app);
    assert!(!anon.get(&path).body.contains("VLAN 42"));
    let j = Client::api(&app, &app.token_for("peter"))
        .get(&format!("/api/v1/threads/{thread}"))
        .json();
    assert!(j.get("assignment").is_none() && !j.to_string().contains("VLAN 42"));
    assert!(j["timeline"].to_string().contains("Referred to Nora Net"));
    // Nora sees the whole context on one screen: note, assignment, customer.
    let nora_page = nora.get(&path).body;
    assert!(nora_page.contains("VLAN 42") && nora_page.contains("Assigned to"));
    let mine = Client::api(&app, &app.token_for("nora"))
        .get("/api/v1/staff/queue?view=mine")
        .json();
    assert_eq!(mine["rows"][0]["thread"]["id"], thread, "{mine}");
    assert!(nora
        .get("/staff?view=mine")
        .body
        .contains("VPN drops every ten minutes"));
    let sams = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/queue?view=mine")
        .json();
    assert_eq!(sams["rows"].as_array().map(Vec::len), Some(0));

    // Promises: in the past or too far ahead are refused; a good one shows on the timeline.
    nora.submit(
        &path,
        &format!("/t/{thread}/promises"),
        &[("due", "2020-01-01T10:00")],
    )
    .assert_status(422);
    nora.submit(
        &path,
        &format!("/t/{thread}/promises"),
        &[("due_in", "100d")],
    )
    .assert_status(422);
    nora.submit(
        &path,
        &format!("/t/{thread}/promises"),
        &[("due", "tomorrow-ish")],
    )
    .assert_status(422);
    assert_eq!(app.count("promises"), 0);
    nora.submit(
        &path,
        &format!("/t/{thread}/promises"),
        &[
            ("due_in", "4h"),
            ("note", "Check the tunnel logs with the ISP"),
        ],
    )
    .assert_status(303);
    let public = customer.get(&path).body;
    assert!(public.contains("Nora Net, Networking specialist will follow up"));
    assert!(public.contains("Check the tunnel logs with the ISP"));
    let q = Client::api(&app, &app.token_for("nora"))
        .get("/api/v1/staff/queue?view=promises")
        .json();
    assert_eq!(q["rows"][0]["promise"]["state"], "due", "{q}");
    // Nora answers: her promise is kept by the post, on time.
    nora.submit(
        &path,
        &format!("/t/{thread}/answers"),
        &[(
            "body",
            "The ISP resets idle tunnels; set keepalive to 60 s.",
        )],
    )
    .assert_status(303);
    let public = customer.get(&path).body;
    assert!(
        public.contains("followed up as promised (on time)"),
        "{public}"
    );
    assert!(public.contains("Answered by Nora Net, Networking specialist"));
    assert!(public.contains("First response after"));
    // A second promise kept with one click.
    let mut nora_api = Client::api(&app, &app.token_for("nora"));
    let p = nora_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/promises"),
            json!({"due_in": "1d", "note": "Confirm it holds"}),
        )
        .json();
    let promise_id = p["id"].as_i64().expect("promise id");
    Client::api(&app, &app.token_for("carla"))
        .send_json(
            "POST",
            &format!("/api/v1/promises/{promise_id}/keep"),
            json!({}),
        )
        .assert_status(403);
    sam.submit(&path, &format!("/promises/{promise_id}/keep"), &[])
        .assert_status(303);
    let q = nora_api.get("/api/v1/staff/queue?view=promises").json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(0), "{q}");
    let m = nora_api.get("/api/v1/staff/metrics").json();
    // Kept before they were due: on time.
    assert_eq!(m["promises_30_days"]["kept_on_time"], 2, "{m}");
    assert_eq!(m["promises_30_days"]["on_time_share"], 100);

    // The customer accepts; staff close; the timeline tells the whole story in order.
    let answer_id = *post_ids(&customer.get(&path).body).last().expect("answer");
    customer
        .submit(&path, &format!("/p/{answer_id}/accept"), &[])
        .assert_status(303);
    sam.submit(&path, &format!("/t/{thread}/close"), &[("action", "close")])
        .assert_status(303);
    let j = Client::new(&app)
        .get(&format!("/api/v1/threads/{thread}"))
        .json();
    let kinds: Vec<&str> = j["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for k in [
        "asked",
        "referred",
        "promised",
        "first_response",
        "answered",
        "followed_up",
        "accepted",
        "closed",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert_eq!(kinds[0], "asked");
    assert_eq!(kinds.last(), Some(&"closed"));
    // Closed threads take no assignment.
    sam.submit(
        &path,
        &format!("/t/{thread}/assign"),
        &[("assignee", "sam")],
    )
    .assert_status(409);
}

/// Moves a thread's question `hours` into the past, with its 1-hour response deadline.
fn asked_hours_ago(app: &TestApp, id: i64, hours: i64) {
    app.db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::threads;
            let back = peerdesk::db::now() - chrono::TimeDelta::hours(hours);
            diesel::update(threads::table.find(id))
                .set((
                    threads::created_at.eq(back),
                    threads::respond_by.eq(Some(back + chrono::TimeDelta::hours(1))),
                ))
                .execute(conn)?;
            Ok(())
        })
        .expect("age the thread");
}

#[test]
fn first_response_targets_queue_and_metrics() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    let mut customer = app.member("carla");
    let mut peer = app.member("peter");
    let mut sam = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let mut moderator = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");

    // Staff-only pages and endpoints: 403 for everyone else.
    for (who, c) in [("member", &mut customer), ("moderator", &mut moderator)] {
        assert_eq!(c.get("/staff").status, 403, "{who}");
    }
    assert_eq!(Client::new(&app).get("/staff").status, 403);
    for p in [
        "/api/v1/staff/queue",
        "/api/v1/staff/metrics",
        "/api/v1/staff/groups",
    ] {
        Client::api(&app, &app.token_for("carla"))
            .get(p)
            .assert_status(403);
        Client::new(&app).get(p).assert_status(403);
    }
    sam.get("/staff?view=nonsense").assert_status(422);
    sam.get("/staff?page=0").assert_status(422);
    sam.get("/staff?category=nope").assert_status(422);

    // The admin sets a one-hour target for General; bad targets are refused.
    let general = Client::new(&app).get("/api/v1/categories").json()["categories"][0]["id"]
        .as_i64()
        .expect("category id");
    for bad in ["soon", "0", "40d"] {
        admin
            .submit(
                "/admin",
                &format!("/admin/categories/{general}"),
                &[
                    ("name", "General"),
                    ("slug", "general"),
                    ("first_response", bad),
                ],
            )
            .assert_status(422);
    }
    admin
        .submit(
            "/admin",
            &format!("/admin/categories/{general}"),
            &[
                ("name", "General"),
                ("slug", "general"),
                ("first_response", "1h"),
            ],
        )
        .assert_status(303);
    assert!(Client::new(&app)
        .get("/c/general")
        .body
        .contains("Staff usually reply within 1 hour"));
    assert!(customer
        .get("/ask")
        .body
        .contains("Staff usually reply within 1 hour"));

    let late = app.ask(
        &mut customer,
        "Printer queue never empties",
        "Jobs stay in the queue forever.",
    );
    let quick = app.ask(
        &mut customer,
        "Scanner shows a blank page",
        "Every scan comes out blank.",
    );
    let (late_id, quick_id) = (thread_id(&late), thread_id(&quick));
    assert!(customer
        .get(&late)
        .body
        .contains("Staff usually reply within 1 hour: waiting"));
    let q = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/queue?view=unanswered")
        .json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(2), "{q}");
    assert_eq!(q["rows"][0]["thread"]["id"], late_id, "oldest first");
    assert_eq!(q["rows"][0]["target"]["state"], "waiting");

    // Two hours pass for the first question (its deadline moves into the past).
    asked_hours_ago(&app, late_id, 2);
    let q = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/queue?view=overdue")
        .json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(1), "{q}");
    assert_eq!(q["rows"][0]["thread"]["id"], late_id);
    assert!(sam
        .get("/staff?view=overdue")
        .body
        .contains("Printer queue never empties"));
    assert!(customer
        .get(&late)
        .body
        .contains("Past the 1 hour first-response target"));

    // A peer answers the quick one, staff the late one.
    peer.submit(
        &quick,
        &format!("/t/{quick_id}/answers"),
        &[("body", "Clean the scanner glass and recalibrate.")],
    )
    .assert_status(303);
    sam.submit(
        &late,
        &format!("/t/{late_id}/answers"),
        &[("body", "Restart the spooler service, then clear the queue.")],
    )
    .assert_status(303);
    assert!(Client::new(&app)
        .get(&quick)
        .body
        .contains("First response within the 1 hour target"));
    assert!(Client::new(&app)
        .get(&late)
        .body
        .contains("past the 1 hour target"));
    let q = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/queue?view=overdue")
        .json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(0));
    // Comments by the asker are not a response; a comment by someone else would be.
    let m = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/metrics")
        .json();
    let all = &m["all_30_days"];
    assert_eq!(all["responded"], 2, "{m}");
    assert_eq!(all["by_peers"], 1);
    assert_eq!(all["by_staff"], 1);
    assert_eq!(all["peer_share"], 50);
    assert_eq!(all["with_target"], 2);
    assert_eq!(all["within_target"], 1);
    assert!(
        all["median_minutes"]
            .as_i64()
            .is_some_and(|m| (55..=65).contains(&m)),
        "{m}"
    );
    let cat = &m["categories"][0];
    assert_eq!(cat["target_minutes"], 60);
    assert_eq!(cat["last_7_days"]["responded"], 2);
    let page = sam.get("/staff").body;
    assert!(page.contains("How the desk is doing") && page.contains("50%"));
    // Solved by the asker before anyone replied: nobody is waiting, not past target.
    let own = app.ask(
        &mut customer,
        "Modem lights blink orange",
        "All lights blink orange.",
    );
    let own_id = thread_id(&own);
    asked_hours_ago(&app, own_id, 3);
    customer
        .submit(
            &own,
            &format!("/t/{own_id}/answers"),
            &[("body", "Found it: the cable was loose.")],
        )
        .assert_status(303);
    let mine = *post_ids(&customer.get(&own).body)
        .last()
        .expect("own answer");
    customer
        .submit(&own, &format!("/p/{mine}/accept"), &[])
        .assert_status(303);
    let q = Client::api(&app, &app.token_for("sam"))
        .get("/api/v1/staff/queue?view=overdue")
        .json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(0), "{q}");
    assert!(!customer.get(&own).body.contains("first-response target"));
    // Filter by category and sort: the queue takes both.
    sam.get("/staff?view=unanswered&category=general&sort=newest")
        .assert_status(200);
}

#[test]
fn follow_ups_and_what_changed_since_the_last_visit() {
    let app = spawn_app();
    let mut customer = app.member("carla");
    let mut peer = app.member("peter");
    let mut sam = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let path = app.ask(
        &mut customer,
        "Backup job fails at midnight",
        "The nightly backup fails with code 7.",
    );
    let thread = thread_id(&path);

    // Starting to ask again: the open thread is offered first, with a one-click follow-up.
    let ask = customer.get("/ask").body;
    assert!(ask.contains("Is this about one of your open questions?"));
    assert!(ask.contains(&format!("formaction=\"/t/{thread}/followups\"")));
    let r = customer.submit(
        "/ask",
        &format!("/t/{thread}/followups"),
        &[
            ("title", "It failed again tonight"),
            ("body", "Same code 7, log attached below."),
            ("category", "general"),
            ("action", "post"),
        ],
    );
    r.assert_status(303);
    assert!(r.location().starts_with(&path));
    assert_eq!(app.count("threads"), 1, "no new thread");
    let page = Client::new(&app).get(&path).body;
    assert!(page.contains("It failed again tonight") && page.contains("Follow-up from the asker"));
    assert!(page.contains("Follow-up from carla"));
    // Only the asker follows up; empty ones are refused.
    peer.submit(
        &path,
        &format!("/t/{thread}/followups"),
        &[("body", "me too")],
    )
    .assert_status(403);
    customer
        .submit(&path, &format!("/t/{thread}/followups"), &[("body", "  ")])
        .assert_status(422);
    Client::api(&app, &app.token_for("peter"))
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/followups"),
            json!({"body": "me too"}),
        )
        .assert_status(403);
    // Follow-ups are searchable with the question; they take no votes.
    app.wait_for_index();
    let hits = Client::new(&app).get("/api/v1/search?q=tonight").json();
    assert_eq!(hits["total"], 1, "{hits}");

    // Staff see it waiting; a staff reply takes it off the list.
    let mut sam_api = Client::api(&app, &app.token_for("sam"));
    let q = sam_api.get("/api/v1/staff/queue?view=followups").json();
    assert_eq!(q["rows"][0]["thread"]["id"], thread, "{q}");

    // The customer saw the thread (just now); staff answer; back again, the news is marked.
    customer.get(&path).assert_status(200);
    std::thread::sleep(std::time::Duration::from_millis(20));
    sam.submit(
        &path,
        &format!("/t/{thread}/answers"),
        &[("body", "Code 7 means the target disk is full.")],
    )
    .assert_status(303);
    let q = sam_api.get("/api/v1/staff/queue?view=followups").json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(0));
    let back = customer.get(&path).body;
    assert!(back.contains("Since your last visit"), "{back}");
    assert!(back.contains("1 new answer"));
    assert!(back.contains("New since your last visit"));
    // Seen now: nothing new on the next visit.
    let again = customer.get(&path).body;
    assert!(!again.contains("Since your last visit"));
    // Closed threads take no follow-ups.
    sam.submit(&path, &format!("/t/{thread}/close"), &[("action", "close")])
        .assert_status(303);
    customer
        .submit(
            &path,
            &format!("/t/{thread}/followups"),
            &[("body", "Still broken")],
        )
        .assert_status(409);
}
