//! The JSON API with personal tokens: shapes, auth and errors.

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

#[test]
fn api_ask_answer_vote_accept() {
    let app = spawn_app();
    app.member("apiasker");
    app.member("apihelper");
    let mut asker = Client::api(&app, &app.token_for("apiasker"));
    let mut helper = Client::api(&app, &app.token_for("apihelper"));

    let cats = asker.get("/api/v1/categories");
    cats.assert_status(200);
    assert_eq!(cats.json()["categories"][0]["slug"], "general");

    let r = asker.send_json("POST", "/api/v1/threads", json!({
        "title": "VPN disconnects every 10 minutes", "body": "On the *latest* firmware.", "category": "general", "tags": ["vpn", "firmware"]
    }));
    r.assert_status(201);
    let t = r.json();
    let id = t["id"].as_i64().expect("id");
    assert_eq!(t["status"], "open");
    assert!(t["url"].as_str().expect("url").starts_with(&app.base));
    assert_eq!(t["tags"], json!(["firmware", "vpn"]));
    assert_eq!(
        t["posts"][0]["body_html"],
        "<p>On the <em>latest</em> firmware.</p>\n"
    );

    let r = helper.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/posts"),
        json!({"body": "Turn off the keep-alive option."}),
    );
    r.assert_status(201);
    let answer_id = r.json()["id"].as_i64().expect("answer id");

    let r = asker.send_json(
        "POST",
        &format!("/api/v1/posts/{answer_id}/votes"),
        json!({"value": 1}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["score"], 1);
    helper
        .send_json(
            "POST",
            &format!("/api/v1/posts/{answer_id}/accept"),
            json!({}),
        )
        .assert_status(403);
    let r = asker.send_json(
        "POST",
        &format!("/api/v1/posts/{answer_id}/accept"),
        json!({}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["status"], "solved");

    let r = Client::new(&app).get(&format!("/api/v1/threads/{id}"));
    r.assert_status(200);
    let t = r.json();
    assert_eq!(t["status"], "solved");
    assert_eq!(t["accepted_post_id"], answer_id);
    assert_eq!(t["posts"].as_array().expect("posts").len(), 2);
    assert_eq!(t["posts"][1]["author"]["handle"], "apihelper");
    assert!(t["kb_article_id"].is_null());
    for key in [
        "id",
        "title",
        "url",
        "status",
        "category",
        "tags",
        "accepted_post_id",
        "posts",
    ] {
        assert!(t.get(key).is_some(), "missing {key}");
    }

    let list = Client::new(&app).get("/api/v1/threads?status=solved&tag=vpn&category=general");
    list.assert_status(200);
    assert_eq!(list.json()["threads"][0]["id"], id);
    let list = Client::new(&app).get("/api/v1/threads?status=open");
    assert_eq!(list.json()["threads"].as_array().expect("arr").len(), 0);

    // Edit over the API keeps a revision.
    let r = helper.send_json(
        "PATCH",
        &format!("/api/v1/posts/{answer_id}"),
        json!({"body": "Turn off keep-alive, then reboot.", "summary": "reboot"}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["revision"], 2);
}

#[test]
fn api_errors_are_json_with_the_right_status() {
    let app = spawn_app();
    app.member("apiuser");
    let token = app.token_for("apiuser");
    let mut api = Client::api(&app, &token);
    let check = |r: &Resp, status: u16, code: &str| {
        r.assert_status(status);
        let j = r.json();
        assert_eq!(j["error"], code, "{}", r.body);
        assert!(j["message"].as_str().is_some_and(|m| !m.is_empty()));
    };
    check(
        &Client::new(&app).send_json("POST", "/api/v1/threads", json!({"title": "x"})),
        401,
        "unauthorized",
    );
    check(
        &Client::api(&app, "pd_not_a_real_token").get("/api/v1/me"),
        401,
        "unauthorized",
    );
    check(
        &api.send_raw("POST", "/api/v1/threads", "application/json", b"{not json"),
        400,
        "bad_request",
    );
    check(
        &api.send_raw("POST", "/api/v1/threads", "text/plain", b"hello"),
        400,
        "bad_request",
    );
    check(
        &api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "", "body": "b", "category": "general"}),
        ),
        422,
        "invalid",
    );
    check(
        &api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Long enough title", "body": "   ", "category": "general"}),
        ),
        422,
        "invalid",
    );
    check(
        &api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Long enough title", "body": "b", "category": "nope"}),
        ),
        422,
        "invalid",
    );
    check(
        &api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Long enough title", "body": "b", "category": 999}),
        ),
        422,
        "invalid",
    );
    check(&api.get("/api/v1/threads/999999"), 404, "not_found");
    check(&api.get("/api/v1/threads/abc"), 404, "not_found");
    check(&api.get("/api/v1/nope"), 404, "not_found");
    check(&api.get("/api/v1/threads?status=weird"), 422, "invalid");
    check(&api.get("/api/v1/threads?page=-1"), 422, "invalid");
    check(&api.get("/api/v1/threads?per_page=1000"), 422, "invalid");
    check(
        &api.send_json("POST", "/api/v1/posts/999999/votes", json!({"value": 1})),
        404,
        "not_found",
    );
    check(
        &api.send_json("POST", "/api/v1/posts/1/votes", json!({"value": "up"})),
        400,
        "bad_request",
    );
    assert_eq!(app.count("threads"), 0);
}

#[test]
fn api_staff_accept_and_staff_marking() {
    let app = spawn_app();
    app.member("customer");
    app.user_with_role("lina", Role::Staff, "Li Na", "Billing specialist");
    let mut customer = Client::api(&app, &app.token_for("customer"));
    let mut staff = Client::api(&app, &app.token_for("lina"));
    let id = customer.send_json("POST", "/api/v1/threads", json!({"title": "Refund has not arrived yet", "body": "It has been 10 days.", "category": "general"})).json()["id"].as_i64().expect("id");
    let aid = staff
        .send_json(
            "POST",
            &format!("/api/v1/threads/{id}/posts"),
            json!({"body": "Refunds take 5–10 business days; I have chased it."}),
        )
        .json()["id"]
        .as_i64()
        .expect("aid");
    staff
        .send_json("POST", &format!("/api/v1/posts/{aid}/accept"), json!({}))
        .assert_status(200);
    let t = customer.get(&format!("/api/v1/threads/{id}")).json();
    assert_eq!(t["posts"][1]["author"]["name"], "Li Na");
    assert_eq!(t["posts"][1]["author"]["title"], "Billing specialist");
    assert_eq!(t["posts"][1]["author"]["is_staff"], true);
    assert_eq!(t["has_staff_answer"], true);
}
