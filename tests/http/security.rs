//! CSRF, CSP, hostile markdown, bad input: refused with a clear 4xx and nothing written.

use crate::helpers::*;

#[test]
fn forms_without_a_valid_csrf_token_are_refused_and_write_nothing() {
    let app = spawn_app();
    let mut m = app.member("victim");
    let r = m.post_form(
        "/ask",
        &[
            ("title", "Forged question title"),
            ("body", "forged"),
            ("category", "general"),
            ("action", "post"),
        ],
    );
    r.assert_status(403);
    let r = m.post_form(
        "/ask",
        &[
            ("csrf", "forged-token"),
            ("title", "Forged question title"),
            ("body", "forged"),
            ("category", "general"),
            ("action", "post"),
        ],
    );
    r.assert_status(403);
    assert!(r.body.contains("reload the page"));
    assert_eq!(app.count("threads"), 0);
    // A token from another session does not work either.
    let mut other = app.member("attacker");
    let foreign = other.get("/account").csrf();
    m.post_form("/account/sign-out-everywhere", &[("csrf", &foreign)])
        .assert_status(403);
    m.get("/account").assert_status(200);
}

#[test]
fn pages_carry_a_nonce_csp_and_nosniff() {
    let app = spawn_app();
    let mut anon = Client::new(&app);
    for _ in 0..2 {
        // Twice: the second response comes from the page cache and needs a fresh nonce too.
        let r = anon.get("/");
        let csp = r
            .header("content-security-policy")
            .expect("csp")
            .to_string();
        let nonce = extract_between(&csp, "'nonce-", "'").expect("nonce in csp");
        assert!(
            r.body.contains(&format!("nonce=\"{nonce}\"")),
            "script tag carries the header's nonce"
        );
        assert!(csp.contains("object-src 'none'"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    let a = anon
        .get("/")
        .header("content-security-policy")
        .map(str::to_string);
    let b = anon
        .get("/")
        .header("content-security-policy")
        .map(str::to_string);
    assert_ne!(a, b, "every response gets its own nonce");
    let api = anon.get("/api/v1/categories");
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn hostile_markdown_is_neutralised() {
    let app = spawn_app();
    let mut m = app.member("hostile");
    let body =
        "Use Vec<String> here.\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n\
                [click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n\
                ```rust\nlet v: Vec<String> = vec![];\n```\n\n[ok](https://example.com)";
    let path = app.ask(&mut m, "Hostile markdown should be harmless", body);
    let page = Client::new(&app).get(&path);
    page.assert_status(200);
    let html = &page.body;
    assert!(
        html.contains("Use Vec&lt;String&gt; here."),
        "raw HTML is shown as text"
    );
    assert!(!html.contains("<script>alert"), "no script tag survives");
    // Inside real tags of the post body (escaped text like `&lt;img onerror&gt;` is harmless).
    let body = extract_between(html, "<div class=\"markdown\"", "</div>")
        .and_then(|b| b.split_once('>').map(|(_, rest)| rest.to_string()))
        .expect("post body");
    let tags: Vec<&str> = body
        .split('<')
        .skip(1)
        .filter_map(|t| t.split('>').next())
        .collect();
    for bad in ["script", "onerror", "javascript:", "data:"] {
        assert!(
            !tags.iter().any(|t| t.contains(bad)),
            "{bad} survived: {body}"
        );
    }
    assert!(html.contains("class=\"language-rust\""));
    assert!(html.contains("rel=\"nofollow ugc noopener\""));
    // Deep nesting is accepted and capped, not a slow request or a crash.
    let deep = ">".repeat(20_000);
    let path = app.ask(
        &mut m,
        "Deeply nested quote blocks",
        &format!("{deep} deep"),
    );
    Client::new(&app).get(&path).assert_status(200);
}

#[test]
fn oversized_bodies_get_413_and_write_nothing() {
    let app = spawn_app();
    let mut m = app.member("bigwriter");
    let huge = "a".repeat(40_001);
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "A title of a huge question"),
            ("body", &huge),
            ("category", "general"),
            ("action", "post"),
        ],
    );
    r.assert_status(413);
    let enormous = "b".repeat(400_000);
    let csrf = m.get("/ask").csrf();
    let r = m.post_form(
        "/ask",
        &[
            ("csrf", &csrf),
            ("title", "Enormous body"),
            ("body", &enormous),
            ("category", "general"),
        ],
    );
    r.assert_status(413);
    let token = app.token_for("bigwriter");
    let mut api = Client::api(&app, &token);
    let r = api.send_json(
        "POST",
        "/api/v1/threads",
        serde_json::json!({"title": "Huge over the API", "body": enormous, "category": "general"}),
    );
    r.assert_status(413);
    assert_eq!(r.json()["error"], "too_large");
    assert_eq!(app.count("threads"), 0);
    assert_eq!(app.count("posts"), 0);
}

#[test]
fn malformed_forms_and_unknown_ids() {
    let app = spawn_app();
    let mut m = app.member("prober");
    let csrf = m.get("/account").csrf();
    // Vote value that is not a number.
    let r = m.post_form("/p/1/vote", &[("csrf", &csrf), ("value", "lots")]);
    r.assert_status(400);
    // Unknown post and thread ids.
    m.post_form("/p/424242/vote", &[("csrf", &csrf), ("value", "1")])
        .assert_status(404);
    m.post_form("/p/424242/accept", &[("csrf", &csrf)])
        .assert_status(404);
    m.post_form("/t/424242/answers", &[("csrf", &csrf), ("body", "hello")])
        .assert_status(404);
    m.post_form("/p/424242/comments", &[("csrf", &csrf), ("body", "hello")])
        .assert_status(404);
    m.get("/p/424242/edit").assert_status(404);
    m.get("/p/424242/history").assert_status(404);
    m.post_form(
        "/p/99999999999999999999999/vote",
        &[("csrf", &csrf), ("value", "1")],
    )
    .assert_status(404);
    // Not a form at all.
    let r = m.send_raw("POST", "/ask", "application/json", b"{\"title\":1}");
    r.assert_status(400);
    assert_eq!(app.count("votes"), 0);
}

#[test]
fn nul_bytes_are_refused_not_crashed_on() {
    let app = spawn_app();
    let mut m = app.member("nulltester");
    let mut anon = Client::new(&app);
    for path in ["/u/%00", "/c/%00", "/tags/%00", "/t/1/%00"] {
        let r = anon.get(path);
        assert!((400..500).contains(&r.status), "{path}: {}", r.status);
    }
    let r = anon.submit(
        "/login",
        "/login",
        &[
            ("login", "a\0b"),
            ("password", "whatever password"),
            ("next", "/"),
        ],
    );
    assert!((400..500).contains(&r.status), "{}", r.status);
    let r = m.submit(
        "/account",
        "/account/profile",
        &[("name", "ok"), ("title", ""), ("bio", "bad\0bio")],
    );
    assert!((400..500).contains(&r.status), "{}", r.status);
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "Title with a NUL\0 byte"),
            ("body", "body"),
            ("category", "general"),
            ("action", "post"),
        ],
    );
    assert!((400..500).contains(&r.status), "{}", r.status);
    assert_eq!(app.count("threads"), 0);
}

#[test]
fn concurrent_votes_and_signups_stay_consistent() {
    let app = spawn_app();
    let mut asker = app.member("racer");
    let path = app.ask(&mut asker, "Racing votes on one question", "Body");
    let qid = post_ids(&asker.get(&path).body)[0];
    let voters: Vec<String> = (0..3).map(|i| format!("voter{i}")).collect();
    let tokens: Vec<String> = voters
        .iter()
        .map(|v| {
            app.member(v);
            app.token_for(v)
        })
        .collect();
    std::thread::scope(|s| {
        for token in &tokens {
            for value in [1, 0, 1, -1, 1, 1, 0, 1] {
                let app = &app;
                s.spawn(move || {
                    let r = Client::api(app, token).send_json(
                        "POST",
                        &format!("/api/v1/posts/{qid}/votes"),
                        serde_json::json!({"value": value}),
                    );
                    assert_eq!(r.status, 200, "{}", r.body);
                });
            }
        }
    });
    // Whatever order the votes landed in, the score is the sum of the stored votes.
    let (score, sum) = app
        .db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::votes;
            let post = peerdesk::threads::find_post(conn, qid)?;
            let values: Vec<i32> = votes::table
                .filter(votes::post_id.eq(qid))
                .select(votes::value)
                .load(conn)?;
            Ok((post.score, values.iter().sum::<i32>()))
        })
        .expect("score");
    assert_eq!(score, sum);
    // Six people race for one handle: one wins, the others get a clear 409.
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let app = &app;
                s.spawn(move || {
                    let mut c = Client::new(app);
                    let email = format!("twin{i}@example.com");
                    c.submit(
                        "/signup",
                        "/signup",
                        &[
                            ("handle", "twin"),
                            ("email", &email),
                            ("password", PASSWORD),
                        ],
                    )
                    .status
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("join"))
            .collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 409),
        "{statuses:?}"
    );
}
