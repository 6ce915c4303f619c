//! Private questions (asker and staff only, on every route that can show a thread), publishing
//! them with the asker's consent (under their name or as "a customer"), "I still need help",
//! categories that require or forbid privacy, and the site settings.

use crate::helpers::*;
use crate::search::urlencode;
use peerdesk::accounts::Role;
use serde_json::json;

/// A server with an asker, another member, a moderator, staff and an admin (API clients), and
/// an anonymous visitor.
struct Cast {
    app: TestApp,
    asker: Client,
    /// The asker signed in through the browser form (pages).
    asker_web: Client,
    other: Client,
    other_web: Client,
    moderator: Client,
    staff: Client,
    admin: Client,
    /// The admin signed in through the browser form (pages).
    admin_web: Client,
    visitor: Client,
}

fn cast() -> Cast {
    let app = spawn_app();
    let asker_web = app.member("asker");
    let other_web = app.member("other");
    app.user_with_role("mod", Role::Moderator, "", "");
    app.user_with_role("sam", Role::Staff, "Sam Support", "Support");
    let admin_web = app.user_with_role("ada", Role::Admin, "Ada Admin", "");
    Cast {
        asker: Client::api(&app, &app.token_for("asker")),
        asker_web,
        other: Client::api(&app, &app.token_for("other")),
        other_web,
        moderator: Client::api(&app, &app.token_for("mod")),
        staff: Client::api(&app, &app.token_for("sam")),
        admin: Client::api(&app, &app.token_for("ada")),
        admin_web,
        visitor: Client::new(&app),
        app,
    }
}

fn ask(c: &mut Client, title: &str, body: &str, private: bool) -> serde_json::Value {
    let r = c.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": body, "category": "general", "private": private}),
    );
    r.assert_status(201);
    r.json()
}

fn answer(c: &mut Client, thread: i64, body: &str) {
    c.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": body }),
    )
    .assert_status(201);
}

/// A thread's page, through the redirect from `/t/{id}` to its canonical path.
fn page(c: &mut Client, id: i64) -> Resp {
    let r = c.get(&format!("/t/{id}"));
    if r.status == 301 {
        let to = r.location().to_string();
        return c.get(&to);
    }
    r
}

fn kinds(c: &mut Client) -> Vec<String> {
    let list = c.get("/api/v1/notifications").json();
    list["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
        .map(|i| i["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn set_moderators_see_private(admin: &mut Client, on: bool) {
    admin
        .send_json(
            "PUT",
            "/api/v1/admin/settings",
            json!({ "moderators_see_private": on }),
        )
        .assert_status(200);
}

#[test]
fn a_private_question_is_seen_by_its_asker_and_staff_only() {
    let mut c = cast();
    let before = c.visitor.get("/api/v1/categories").json();
    let t = ask(
        &mut c.asker,
        "Invoice 4711 charged twice zebracorn",
        "My card was charged twice for invoice 4711. Hey @other, did this happen to you?",
        true,
    );
    let id = t["id"].as_i64().expect("id");
    assert_eq!(t["privacy"], "private", "{t}");
    answer(&mut c.staff, id, "We refunded the second charge.");
    // The staff answer reaches the asker; the member mentioned in the question learns nothing
    // (events are applied in order, so the mention was decided before the answer).
    eventually("the asker is told of the answer", true, || {
        kinds(&mut c.asker).contains(&"answer".to_string())
    });
    assert!(kinds(&mut c.other).is_empty());

    let api = format!("/api/v1/threads/{id}");
    for (who, client, may) in [
        ("asker", &mut c.asker, true),
        ("staff", &mut c.staff, true),
        ("admin", &mut c.admin, true),
        ("moderator", &mut c.moderator, false),
        ("other member", &mut c.other, false),
        ("visitor", &mut c.visitor, false),
    ] {
        let code = if may { 200 } else { 404 };
        assert_eq!(client.get(&api).status, code, "{who}: {api}");
        assert_eq!(
            client.get(&format!("/t/{id}/feed.atom")).status,
            404,
            "{who}: feed"
        );
    }
    // Its page: the asker's, nobody else's (signed in or not).
    assert_eq!(page(&mut c.asker_web, id).status, 200);
    assert_eq!(page(&mut c.other_web, id).status, 404);
    assert_eq!(page(&mut c.visitor, id).status, 404);
    // Nobody else can post into it.
    let r = c.other.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/posts"),
        json!({"body": "Me too, same charge."}),
    );
    r.assert_status(404);

    // In no list, search, suggestion, profile, sitemap, feed or count.
    c.app.wait_for_index();
    for path in [
        "/api/v1/threads".to_string(),
        "/api/v1/threads?category=general".to_string(),
        format!("/api/v1/search?q={}", urlencode("zebracorn")),
        format!(
            "/api/v1/search/similar?q={}",
            urlencode("Invoice charged twice")
        ),
        "/u/asker".to_string(),
        "/".to_string(),
        "/sitemap/threads-0.xml".to_string(),
        "/feeds/latest.atom".to_string(),
        "/c/general".to_string(),
    ] {
        // (The asker's own open questions are offered back to them on the ask page.)
        for client in [&mut c.visitor, &mut c.other] {
            // The title's invoice number (the queries above do not echo it).
            let body = client.get(&path).body;
            assert!(!body.contains("4711"), "{path} shows the private thread");
        }
    }
    let after = c.visitor.get("/api/v1/categories").json();
    assert_eq!(before, after, "the category counts a private thread");
    // Staff find it in their queue, marked private.
    // The asker sees the private mark on their page.
    let mine = page(&mut c.asker_web, id);
    assert!(
        mine.body.contains("private-note"),
        "the asker sees the private mark"
    );

    // Moderators may open private questions only when the admin allows it, at once.
    set_moderators_see_private(&mut c.admin, true);
    c.moderator.get(&api).assert_status(200);
    set_moderators_see_private(&mut c.admin, false);
    c.moderator.get(&api).assert_status(404);
    // Staff and admins only change that setting.
    c.staff
        .send_json(
            "PUT",
            "/api/v1/admin/settings",
            json!({ "moderators_see_private": true }),
        )
        .assert_status(403);
}

#[test]
fn a_private_question_becomes_public_only_with_the_askers_consent_and_can_hide_their_name() {
    let mut c = cast();
    let t = ask(
        &mut c.asker,
        "Licence key rejected after reinstall",
        "The licence key stopped working after I reinstalled.",
        true,
    );
    let id = t["id"].as_i64().expect("id");
    answer(
        &mut c.staff,
        id,
        "Deactivate the old install in your account first.",
    );
    let publish = format!("/api/v1/threads/{id}/publish");
    let offer = format!("/api/v1/threads/{id}/publish-offer");
    // Only staff offer; only the asker decides; others do not even find it.
    c.asker
        .send_json("POST", &offer, json!({}))
        .assert_status(403);
    c.other
        .send_json("POST", &offer, json!({}))
        .assert_status(404);
    c.staff
        .send_json("POST", &offer, json!({}))
        .assert_status(200);
    eventually("the asker is asked", true, || {
        kinds(&mut c.asker).contains(&"publish_offered".to_string())
    });
    let mine = page(&mut c.asker_web, id).body;
    assert!(
        mine.contains("Publish as “a customer”"),
        "the asker sees the choice"
    );
    c.staff
        .send_json("POST", &publish, json!({"choice": "named"}))
        .assert_status(403);
    c.other
        .send_json("POST", &publish, json!({"choice": "named"}))
        .assert_status(404);
    let bad = c
        .asker
        .send_json("POST", &publish, json!({"choice": "everyone"}));
    bad.assert_status(422);
    assert!(bad.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains("everyone"));
    // Still private after the refusals.
    c.visitor
        .get(&format!("/api/v1/threads/{id}"))
        .assert_status(404);

    let r = c
        .asker
        .send_json("POST", &publish, json!({"choice": "anonymous"}));
    r.assert_status(200);
    assert_eq!(r.json()["privacy"], "anonymous");
    // Public now, the asker shown as "a customer" to everyone but themselves and staff.
    let v = c.visitor.get(&format!("/api/v1/threads/{id}")).json();
    assert_eq!(v["author"], json!({"anonymous": true}), "{v}");
    let html = page(&mut c.visitor, id).body;
    assert!(html.contains("a customer"), "{html}");
    assert!(
        !html.contains("/u/asker"),
        "the page leads back to the asker"
    );
    assert!(html.contains("Published by the asker"));
    let listed = c.visitor.get("/api/v1/threads").json();
    assert!(
        listed.to_string().contains("Licence key rejected"),
        "{listed}"
    );
    assert!(!c
        .visitor
        .get("/u/asker")
        .body
        .contains("Licence key rejected"));
    let staff_view = c.staff.get(&format!("/api/v1/threads/{id}")).json();
    assert_eq!(staff_view["author"]["handle"], "asker");
    // The consent is in the audit log.
    eventually("the consent is audited", json!("anonymous"), || {
        c.admin
            .get("/api/v1/admin/audit?action=thread_published")
            .json()["entries"][0]["after"]["privacy"]
            .clone()
    });
}

#[test]
fn the_asker_or_staff_can_make_a_public_question_private() {
    let mut c = cast();
    let t = ask(
        &mut c.asker,
        "My account number is in here quokkamail",
        "Account 99-1234.",
        false,
    );
    let id = t["id"].as_i64().expect("id");
    let url = format!("/api/v1/threads/{id}/private");
    let hits = |c: &mut Client| {
        c.get("/api/v1/search?q=quokkamail").json()["hits"]
            .as_array()
            .map_or(0, Vec::len)
    };
    c.app.wait_for_index();
    assert_eq!(hits(&mut c.visitor), 1);
    c.visitor
        .get(&format!("/api/v1/threads/{id}"))
        .assert_status(200);
    c.other
        .send_json("POST", &url, json!({}))
        .assert_status(403);
    c.moderator
        .send_json("POST", &url, json!({}))
        .assert_status(403);
    let r = c.asker.send_json("POST", &url, json!({}));
    r.assert_status(200);
    assert_eq!(r.json()["privacy"], "private");
    // Out of search as soon as the indexer has seen it.
    c.app.wait_for_index();
    assert_eq!(hits(&mut c.visitor), 0);
    c.visitor
        .get(&format!("/api/v1/threads/{id}"))
        .assert_status(404);
    c.staff
        .get(&format!("/api/v1/threads/{id}"))
        .assert_status(200);
    // Again: nothing changes; an unknown thread is a 404.
    c.staff
        .send_json("POST", &url, json!({}))
        .assert_status(200);
    c.asker
        .send_json("POST", "/api/v1/threads/999999/private", json!({}))
        .assert_status(404);
}

#[test]
fn private_threads_are_never_merged_or_pointed_at_from_public_ones() {
    let mut c = cast();
    let private = ask(
        &mut c.asker,
        "Refund for order 5521",
        "Please refund.",
        true,
    )["id"]
        .as_i64()
        .expect("id");
    let public = ask(
        &mut c.other,
        "How do refunds work here",
        "Asking in general.",
        false,
    )["id"]
        .as_i64()
        .expect("id");
    let merge = |c: &mut Client, from: i64, into: i64| {
        c.send_json(
            "POST",
            &format!("/api/v1/threads/{from}/merge"),
            json!({ "into": into }),
        )
    };
    // A moderator who may not open it cannot reach it by its number either.
    merge(&mut c.moderator, private, public).assert_status(404);
    merge(&mut c.moderator, public, private).assert_status(422);
    // Staff may open both, but a merge across privacy is refused.
    let r = merge(&mut c.staff, private, public);
    r.assert_status(409);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .contains("publish"),
        "{}",
        r.body
    );
    merge(&mut c.staff, public, private).assert_status(409);
    let r = c.staff.send_json(
        "POST",
        &format!("/api/v1/threads/{public}/close"),
        json!({"closed": true, "reason": "duplicate", "duplicate_of": private}),
    );
    r.assert_status(422);
    c.visitor
        .get(&format!("/api/v1/threads/{public}"))
        .assert_status(200);
    let v = c.visitor.get(&format!("/api/v1/threads/{public}")).json();
    assert_eq!(v["status"], "open", "nothing changed: {v}");
}

#[test]
fn categories_can_require_or_forbid_private_questions() {
    let mut c = cast();
    let set_rule = |app: &TestApp, rule: &'static str| {
        app.db
            .write_blocking(move |conn| {
                use diesel::prelude::*;
                use peerdesk::db::schema::categories;
                diesel::update(categories::table.filter(categories::slug.eq("general")))
                    .set(categories::private_questions.eq(rule))
                    .execute(conn)?;
                Ok(())
            })
            .expect("rule");
    };
    set_rule(&c.app, "required");
    let t = ask(
        &mut c.asker,
        "Refund for my annual plan",
        "Please refund.",
        false,
    );
    assert_eq!(t["privacy"], "private", "required makes it private");
    set_rule(&c.app, "forbidden");
    let threads = c.app.count("threads");
    let r = c.asker.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Another billing question", "body": "Hi", "category": "general", "private": true}),
    );
    r.assert_status(422);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .contains("General"),
        "{}",
        r.body
    );
    assert_eq!(c.app.count("threads"), threads, "nothing half-written");
}

#[test]
fn the_asker_can_ask_for_a_person_once_peers_answered() {
    let mut c = cast();
    let t = ask(
        &mut c.asker,
        "VPN drops every ten minutes",
        "Since the update my VPN drops every ten minutes.",
        false,
    );
    let id = t["id"].as_i64().expect("id");
    let url = format!("/api/v1/threads/{id}/request-staff");
    let early = c
        .asker
        .send_json("POST", &url, json!({"reason": "Nobody answered"}));
    early.assert_status(409);
    answer(&mut c.other, id, "Try turning it off and on again.");
    c.asker
        .send_json("POST", &url, json!({"reason": "   "}))
        .assert_status(422);
    c.asker
        .send_json("POST", &url, json!({"reason": "x".repeat(501)}))
        .assert_status(422);
    c.other
        .send_json("POST", &url, json!({"reason": "Me too"}))
        .assert_status(403);
    let r = c.asker.send_json(
        "POST",
        &url,
        json!({"reason": "Restarting did not help, it still drops."}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["waiting_for_staff"], true);
    c.asker
        .send_json("POST", &url, json!({"reason": "Again"}))
        .assert_status(409);
    // Its own list in the staff queue, counted in the metrics, on the timeline.
    let q = c.staff.get("/api/v1/staff/queue?view=requested").json();
    assert_eq!(q["rows"][0]["thread"]["id"], id, "{q}");
    assert_eq!(q["rows"][0]["requested"], true);
    let staff_web = c.app.user_with_role("sue", Role::Staff, "Sue", "Support");
    let mut staff_web = staff_web;
    let html = page(&mut staff_web, id).body;
    assert!(html.contains("asked for a person"), "timeline");
    assert!(html.contains("Restarting did not help"), "staff see why");
    assert!(
        !page(&mut c.visitor, id)
            .body
            .contains("Restarting did not help"),
        "the reason is between the asker and staff"
    );
    // Staff reply: the request is answered and leaves the list.
    answer(&mut c.staff, id, "We pushed a fix for the VPN client.");
    let q = c.staff.get("/api/v1/staff/queue?view=requested").json();
    assert_eq!(q["rows"].as_array().map(Vec::len), Some(0), "{q}");
    let v = c.asker.get(&format!("/api/v1/threads/{id}")).json();
    assert_eq!(v["waiting_for_staff"], false);
    // A private question is a ticket no peer can answer: a person may be asked for at once.
    let p = ask(
        &mut c.asker,
        "Cancel my subscription please",
        "Account 123.",
        true,
    );
    let p = p["id"].as_i64().expect("id");
    c.asker
        .send_json(
            "POST",
            &format!("/api/v1/threads/{p}/request-staff"),
            json!({"reason": "I need this cancelled today."}),
        )
        .assert_status(200);
    let q = c.staff.get("/api/v1/staff/queue?view=requested").json();
    assert_eq!(q["rows"][0]["thread"]["id"], p, "{q}");
    assert_eq!(q["rows"][0]["private"], true);
}

#[test]
fn site_settings_are_for_admins_checked_audited_and_shown() {
    let mut c = cast();
    let put = |client: &mut Client, body: serde_json::Value| {
        client.send_json("PUT", "/api/v1/admin/settings", body)
    };
    put(&mut c.staff, json!({"site_name": "Nope"})).assert_status(403);
    for (body, says) in [
        (json!({"time_zone": "Mars/Olympus"}), "Mars/Olympus"),
        (json!({"site_name": "  "}), "needs a name"),
        (json!({"logo_url": "javascript:alert(1)"}), "web address"),
        (json!({"default_language": "fr"}), "fr"),
        (
            json!({"footer_links": [{"label": "Status", "url": "ftp://x"}]}),
            "web address",
        ),
    ] {
        let r = put(&mut c.admin, body.clone());
        r.assert_status(422);
        assert!(
            r.json()["message"].as_str().unwrap_or("").contains(says),
            "{body}: {}",
            r.body
        );
    }
    assert_eq!(
        c.app.count("site_settings"),
        0,
        "refused settings wrote nothing"
    );
    let r = put(
        &mut c.admin,
        json!({
            "site_name": "Acme Help",
            "company_name": "Acme",
            "intro": "Welcome to **Acme** support. <script>alert(1)</script>",
            "footer_links": [{"label": "Status page", "url": "https://status.example.com"}],
            "default_language": "de",
        }),
    );
    r.assert_status(200);
    let home = c.visitor.get("/").body;
    assert!(home.contains("<title>"), "{home}");
    assert!(home.contains("Acme Help"));
    assert!(home.contains("<strong>Acme</strong>"), "intro as Markdown");
    assert!(
        !home.contains("<script>alert"),
        "hostile intro is sanitised"
    );
    assert!(home.contains("https://status.example.com"));
    assert!(
        home.contains("Wie können wir helfen?"),
        "the site's default language"
    );
    assert!(
        home.contains("id=\"home-search\""),
        "a prominent search box"
    );
    let audited = |c: &mut Client| {
        let audit = c.get("/api/v1/admin/audit?action=setting_changed").json();
        let mut names: Vec<String> = audit["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["after"]["name"].as_str().unwrap_or_default().to_string())
            .collect();
        names.sort();
        names
    };
    eventually(
        "every changed setting is audited",
        [
            "company_name",
            "default_language",
            "footer_links",
            "intro",
            "site_name",
        ]
        .map(String::from)
        .to_vec(),
        || audited(&mut c.admin),
    );
    let got = c.admin.get("/api/v1/admin/settings").json();
    assert_eq!(got["company_name"], "Acme");

    // The settings page: a bad value shows the form again (422) with what was typed.
    let fields = |zone: &'static str| {
        [
            ("site_name", "Acme Support"),
            ("company_name", "Acme"),
            ("footer_links", "Status page | https://status.example.com"),
            ("default_language", "de"),
            ("time_zone", zone),
        ]
    };
    let r = c.admin_web.submit(
        "/admin/settings",
        "/admin/settings",
        &fields("Mars/Olympus"),
    );
    r.assert_status(422);
    assert!(
        r.body.contains("Mars/Olympus") && r.body.contains("Acme Support"),
        "{}",
        r.body
    );
    assert_eq!(
        c.admin.get("/api/v1/admin/settings").json()["site_name"],
        "Acme Help"
    );
    let r = c.admin_web.submit(
        "/admin/settings",
        "/admin/settings",
        &fields("Europe/Berlin"),
    );
    r.assert_status(303);
    assert_eq!(r.location(), "/admin/settings?saved=1");
    assert!(c.visitor.get("/").body.contains("Acme Support"));
}

/// The permission table's private column (docs/moderation.md): every route that can show a
/// private thread, or a part of it, or act on it, for every role. Those who may not open it get
/// 404 everywhere — the same answer as for a thread that does not exist — and nothing changes.
#[test]
fn every_route_keeps_a_private_thread_to_its_asker_and_staff() {
    let mut c = cast();
    let shot = c
        .asker
        .send_raw(
            "POST",
            "/api/v1/attachments?filename=bill.txt",
            "text/plain",
            b"invoice 4711: 49.00 EUR twice",
        )
        .json();
    let file = shot["url"].as_str().expect("url").to_string();
    let t = ask(
        &mut c.asker,
        "Invoice 4711 charged twice again",
        &format!("Charged twice. The statement: [bill]({file})"),
        true,
    );
    let id = t["id"].as_i64().expect("id");
    answer(&mut c.staff, id, "Refunded; it shows in three days.");
    let full = c.staff.get(&format!("/api/v1/threads/{id}")).json();
    let question = full["posts"][0]["id"].as_i64().expect("question");
    let reply = full["posts"][1]["id"].as_i64().expect("answer");
    let slug_path = full["url"]
        .as_str()
        .and_then(|u| u.find("/t/").map(|i| u[i..].to_string()))
        .expect("path");
    let attachment = shot["id"].as_i64().expect("attachment id");
    let count = |app: &TestApp| {
        (
            app.count("posts"),
            app.count("comments"),
            app.count("votes"),
            app.count("flags"),
            app.count("thread_watches"),
        )
    };

    // Reads: (what, path); the asker, staff and admins may, others get 404.
    let reads = [
        ("thread page", slug_path.clone()),
        ("short link", format!("/t/{id}")),
        ("answer permalink", format!("/p/{reply}")),
        ("post history", format!("/p/{question}/history")),
        ("thread feed", format!("/t/{id}/feed.atom")),
        ("attachment", file.clone()),
        (
            "attachment API",
            format!("/api/v1/attachments/{attachment}"),
        ),
        ("thread API", format!("/api/v1/threads/{id}")),
    ];
    let (mut staff_web, mut asker_web, mut admin_web, mut other_web, mut visitor) = (
        c.app.user_with_role("sam2", Role::Staff, "Sam Two", ""),
        c.asker_web,
        c.admin_web,
        c.other_web,
        Client::new(&c.app),
    );
    let mut mod_web = c.app.user_with_role("mod2", Role::Moderator, "", "");
    for (what, path) in &reads {
        // Pages and files through browser sessions, the API with tokens.
        let api = path.starts_with("/api/");
        let ok = |s: u16| (200..400).contains(&s);
        let who: [(&str, &mut Client, bool); 6] = if api {
            [
                ("asker", &mut c.asker, true),
                ("staff", &mut c.staff, true),
                ("admin", &mut c.admin, true),
                ("moderator", &mut c.moderator, false),
                ("other member", &mut c.other, false),
                ("visitor", &mut visitor, false),
            ]
        } else {
            [
                ("asker", &mut asker_web, true),
                ("staff", &mut staff_web, true),
                ("admin", &mut admin_web, true),
                ("moderator", &mut mod_web, false),
                ("other member", &mut other_web, false),
                ("visitor", &mut visitor, false),
            ]
        };
        for (role, client, may) in who {
            let status = client.get(path).status;
            if may && *what != "thread feed" {
                assert!(ok(status), "{role} may open the {what} ({path}): {status}");
            } else if !may {
                assert_eq!(status, 404, "{role} opened the {what} ({path})");
            }
        }
    }

    // Writes by those who may not open it: 404, and nothing written.
    let before = count(&c.app);
    for (role, client) in [
        ("moderator", &mut c.moderator),
        ("other member", &mut c.other),
    ] {
        for (method, path, body) in [
            (
                "POST",
                format!("/api/v1/threads/{id}/posts"),
                json!({"body": "Me too, same here."}),
            ),
            (
                "POST",
                format!("/api/v1/posts/{question}/comments"),
                json!({"body": "Same for me."}),
            ),
            (
                "POST",
                format!("/api/v1/posts/{reply}/votes"),
                json!({"value": 1}),
            ),
            (
                "PATCH",
                format!("/api/v1/posts/{question}"),
                json!({"body": "Edited by someone else"}),
            ),
            (
                "PUT",
                format!("/api/v1/threads/{id}/watch"),
                json!({"level": "watching"}),
            ),
            (
                "POST",
                format!("/api/v1/threads/{id}/request-staff"),
                json!({"reason": "Let me in."}),
            ),
        ] {
            let status = client.send_json(method, &path, body).status;
            assert_eq!(status, 404, "{role}: {method} {path}");
        }
    }
    // Moderators' actions on the thread: for a moderator not allowed in, no such thread.
    for (path, body) in [
        (
            format!("/api/v1/threads/{id}/lock"),
            json!({"locked": true, "reason": "calm down"}),
        ),
        (
            format!("/api/v1/threads/{id}/close"),
            json!({"closed": true, "reason": "off_topic"}),
        ),
        (
            format!("/api/v1/threads/{id}/move"),
            json!({"category": "general"}),
        ),
        (format!("/api/v1/threads/{id}/pin"), json!({"pinned": true})),
        (
            format!("/api/v1/threads/{id}/unlist"),
            json!({"unlisted": true, "reason": "spam"}),
        ),
    ] {
        let r = c.moderator.send_json("POST", &path, body);
        assert_eq!(r.status, 404, "moderator: POST {path}: {}", r.body);
    }
    // Page forms too (the CSRF token from a page they can open).
    for (role, client) in [
        ("moderator", &mut mod_web),
        ("other member", &mut other_web),
    ] {
        for path in [
            format!("/t/{id}/answers"),
            format!("/p/{question}/comments"),
            format!("/p/{reply}/vote"),
            format!("/flag/post/{question}"),
            format!("/t/{id}/watch"),
            format!("/t/{id}/followups"),
        ] {
            let r = client.submit(
                "/",
                &path,
                &[
                    ("body", "Me too here."),
                    ("value", "1"),
                    ("reason", "spam"),
                    ("note", ""),
                    ("level", "watching"),
                ],
            );
            assert_eq!(r.status, 404, "{role}: POST {path}");
        }
    }
    assert_eq!(count(&c.app), before, "someone wrote into a private thread");

    // The review queue: the asker flags the answer; staff see it there, a moderator not
    // allowed into private questions neither sees it nor can decide on it (404).
    c.asker
        .send_json(
            "POST",
            &format!("/api/v1/posts/{reply}/flags"),
            json!({"reason": "spam", "note": "not an answer"}),
        )
        .assert_status(201);
    let in_queue = |client: &mut Client| {
        client.get("/api/v1/review").json()["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i["thread_id"] == id))
    };
    assert!(in_queue(&mut c.staff), "staff see the flagged answer");
    assert!(
        !in_queue(&mut c.moderator),
        "the moderator sees a private thread's post"
    );
    c.moderator
        .send_json(
            "POST",
            &format!("/api/v1/review/post/{reply}"),
            json!({"action": "hide", "reason": "walk"}),
        )
        .assert_status(404);
    set_moderators_see_private(&mut c.admin, true);
    assert!(
        in_queue(&mut c.moderator),
        "allowed in, the moderator sees it"
    );
}
