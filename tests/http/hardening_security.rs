//! What probing the running server found, security part: internal notes reachable through the
//! edit form, sessions that outlived signing out, no brute-force limits (also across two
//! server processes), stuffable anonymous feedback, cookie-authenticated writes from other
//! sites, and a replayable OpenID Connect callback.

use std::time::Duration;

use chrono::TimeDelta;
use diesel::prelude::*;
use peerdesk::accounts::Role;
use peerdesk::db::schema::{rate_limits, sessions};
use peerdesk::limits::{self, Rate, Verdict};
use serde_json::json;

use crate::crash::{cli, start};
use crate::helpers::*;

#[test]
fn internal_notes_are_404_on_every_route_for_all_but_staff() {
    let app = spawn_app();
    let mut customer = app.member("cara");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam", "Support");
    let mut moderator = app.user_with_role("mona", Role::Moderator, "Mona", "");
    let path = app.ask(&mut customer, "Tablet will not charge", "Dead.");
    let thread = thread_id(&path);
    let r = staff.submit(
        &path,
        &format!("/t/{thread}/notes"),
        &[("body", "Secret: customer is on the okapi beta.")],
    );
    let note: i64 = r
        .location()
        .rsplit("#post-")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("note id");
    staff.get(&format!("/p/{note}/edit")).assert_status(200);
    for (who, c) in [("moderator", &mut moderator), ("customer", &mut customer)] {
        let form = c.get(&format!("/p/{note}/edit"));
        assert_eq!(form.status, 404, "{who}: {}", form.body);
        assert!(!form.body.contains("okapi"), "{who} read the note");
        // The preview action, with a valid token from another page.
        let r = c.submit(
            &path,
            &format!("/p/{note}/edit"),
            &[("body", "x"), ("action", "preview")],
        );
        assert_eq!(r.status, 404, "{who} preview");
        assert!(!r.body.contains("okapi"));
        // Exactly like an id that does not exist.
        c.get("/p/999999/edit").assert_status(404);
        let accept = c.submit(&path, &format!("/p/{note}/accept"), &[]);
        assert_eq!(accept.status, 404, "{who} accept");
    }
}

fn session_cookie(c: &Client) -> (String, String) {
    c.cookies
        .iter()
        .find(|(k, _)| k.contains("peerdesk"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .expect("session cookie")
}

#[test]
fn signing_out_ends_the_session_everywhere_and_idle_sessions_expire() {
    let app = spawn_app();
    let mut alice = app.member("alice");
    alice.get("/account").assert_status(200);
    // A copy of the cookie taken before signing out.
    let mut copy = Client::new(&app);
    let (k, v) = session_cookie(&alice);
    copy.cookies.insert(k, v);
    copy.get("/account").assert_status(200);
    alice.submit("/account", "/logout", &[]).assert_status(303);
    let r = copy.get("/account");
    assert_eq!(r.status, 303, "the copied cookie still signs in");
    assert!(r.location().starts_with("/login"));
    assert_eq!(app.count("sessions"), 0);

    // Idle past `auth.session_idle_days`: the session is over.
    let mut bob = app.member("bob");
    bob.get("/account").assert_status(200);
    let month_ago = peerdesk::db::now() - TimeDelta::days(30);
    app.db
        .write_blocking(move |conn| {
            diesel::update(sessions::table)
                .set(sessions::last_seen_at.eq(month_ago))
                .execute(conn)?;
            Ok(())
        })
        .expect("age");
    assert_eq!(bob.get("/account").status, 303, "idle session still works");

    // In use, the session slides: a visit after a while moves its last use to now.
    let mut cleo = app.member("cleo");
    let hour_ago = peerdesk::db::now() - TimeDelta::hours(1);
    app.db
        .write_blocking(move |conn| {
            diesel::update(sessions::table)
                .set(sessions::last_seen_at.eq(hour_ago))
                .execute(conn)?;
            Ok(())
        })
        .expect("age");
    let page = cleo.get("/account");
    page.assert_status(200);
    assert!(
        page.headers.contains_key("set-cookie"),
        "the cookie is sent again with the visit"
    );
    let seen: chrono::NaiveDateTime = app
        .db
        .read_blocking(|conn| Ok(sessions::table.select(sessions::last_seen_at).first(conn)?))
        .expect("seen");
    assert!(seen > hour_ago + TimeDelta::minutes(30));
}

#[test]
fn failed_sign_ins_are_limited_per_account_then_per_address() {
    let app = spawn_app_with(|s| {
        s.server.client_ip_header = "X-Forwarded-For".into();
        s.limits.sign_in_failures_per_account = Rate::per_minute(5);
        s.limits.sign_in_failures_per_ip = Rate::per_minute(8);
    });
    let _ = app.member("dave");
    let attempt = |ip: &str, login: &str, password: &str| {
        let mut c = Client::new(&app);
        c.extra = vec![("X-Forwarded-For".into(), format!("10.0.0.9, {ip}"))];
        c.submit(
            "/login",
            "/login",
            &[("login", login), ("password", password), ("next", "/")],
        )
    };
    for n in 0..5 {
        attempt(&format!("10.1.0.{n}"), "dave", "wrong").assert_status(401);
    }
    // The sixth try, even with the right password, waits; the page says how long.
    let r = attempt("10.1.0.9", "dave", PASSWORD);
    r.assert_status(429);
    let wait: i64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(r.body.contains("try again in"), "{}", r.body);
    // Other accounts are not locked out by it.
    let _ = app.member("erin");
    attempt("10.1.0.10", "erin", PASSWORD).assert_status(303);
    // One address trying many accounts: limited after its own budget.
    for n in 0..8 {
        attempt("10.2.0.1", &format!("nobody{n}"), "wrong").assert_status(401);
    }
    attempt("10.2.0.1", "erin", PASSWORD).assert_status(429);
    attempt("10.2.0.2", "erin", PASSWORD).assert_status(303);
}

#[test]
fn repeated_bursts_wait_longer_each_time() {
    let app = spawn_app();
    let rate = Rate::per_minute(3);
    let hit = |app: &TestApp| {
        app.db
            .write_untracked(|c| limits::hit(c, "test", "k", rate))
            .expect("hit")
    };
    let wait = |v: Verdict| match v {
        Verdict::Limited { retry_after_secs } => retry_after_secs,
        Verdict::Allowed => 0,
    };
    let mut waits = Vec::new();
    for _ in 0..3 {
        // A burst until limited...
        let mut v = hit(&app);
        while v == Verdict::Allowed {
            v = hit(&app);
        }
        waits.push(wait(v));
        // ...then the wait passes (moved into the past rather than slept through).
        app.db
            .write_untracked(|c| {
                let past = peerdesk::db::now() - TimeDelta::seconds(1);
                diesel::update(rate_limits::table)
                    .set((
                        rate_limits::blocked_until.eq(Some(past)),
                        rate_limits::tat.eq(past),
                    ))
                    .execute(c)?;
                Ok(())
            })
            .expect("pass time");
    }
    assert!(
        waits[0] < waits[1] && waits[1] < waits[2],
        "waits should grow: {waits:?}"
    );
}

#[test]
fn sign_ups_and_wrong_api_tokens_are_limited_per_address() {
    let app = spawn_app_with(|s| {
        s.limits.sign_ups_per_ip = Rate::per_hour(2);
        s.limits.api_token_failures_per_ip = Rate::per_minute(3);
    });
    let _ = app.member("fay");
    let _ = app.member("gus");
    let mut c = Client::new(&app);
    let r = c.submit(
        "/signup",
        "/signup",
        &[
            ("handle", "hal"),
            ("email", "hal@example.com"),
            ("name", ""),
            ("password", PASSWORD),
        ],
    );
    r.assert_status(429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(app.count("users"), 2, "nothing created");

    let good = app.token_for("fay");
    let mut wrong = Client::api(&app, "pd_wrong");
    for _ in 0..3 {
        wrong.get("/api/v1/me").assert_status(401);
    }
    let r = wrong.get("/api/v1/me");
    r.assert_status(429);
    assert_eq!(r.json()["error"], "rate_limited");
    assert!(r.header("retry-after").is_some());
    // A valid token from the same address still works.
    Client::api(&app, &good)
        .get("/api/v1/me")
        .assert_status(200);
}

#[test]
fn anonymous_feedback_is_limited_per_address() {
    let app = spawn_app_with(|s| {
        s.server.client_ip_header = "X-Forwarded-For".into();
        s.limits.article_feedback_per_ip = Rate::per_hour(2);
    });
    let _ = app.member("ivy");
    let _ = app.user_with_role("sam", Role::Staff, "Sam", "");
    let mut asker = Client::api(&app, &app.token_for("ivy"));
    let mut staff = Client::api(&app, &app.token_for("sam"));
    let r = asker.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Mouse scroll jumps", "body": "Jumps.", "category": "general"}),
    );
    let thread = r.json()["id"].as_i64().expect("id");
    let r = staff.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "Clean the wheel."}),
    );
    let answer = r.json()["id"].as_i64().expect("answer");
    asker
        .send_json("POST", &format!("/api/v1/posts/{answer}/accept"), json!({}))
        .assert_status(200);
    let r = staff.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/promote"),
        json!({}),
    );
    let url = r.json()["url"].as_str().expect("url").to_string();
    let path = &url[url.find("/kb/").expect("kb")..];
    let id = r.json()["article_id"].as_i64().expect("id");
    let vote = |ip: &str| {
        let mut anon = Client::new(&app);
        anon.extra = vec![("X-Forwarded-For".into(), ip.into())];
        anon.submit(path, &format!("/kb/{id}/feedback"), &[("helpful", "no")])
    };
    vote("10.3.0.1").assert_status(303);
    vote("10.3.0.1").assert_status(303);
    vote("10.3.0.1").assert_status(429);
    vote("10.3.0.2").assert_status(303);
    assert_eq!(app.count("kb_feedback"), 2, "one vote per address and day");
}

#[test]
fn cookie_writes_from_another_site_are_refused() {
    let app = spawn_app();
    let mut jo = app.member("joan");
    let path = app.ask(&mut jo, "Speaker hums", "Hum.");
    let id = thread_id(&path);
    let csrf = jo.get(&path).csrf();
    let answer = |c: &mut Client, headers: Vec<(&str, &str)>| {
        c.extra = headers
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let r = c.post_form(
            &format!("/t/{id}/answers"),
            &[("csrf", &csrf), ("body", "Try another cable.")],
        );
        c.extra.clear();
        r
    };
    let before = app.count("posts");
    answer(&mut jo, vec![("Origin", "http://evil.example")]).assert_status(403);
    answer(&mut jo, vec![("Origin", "null")]).assert_status(403);
    answer(&mut jo, vec![("Referer", "http://evil.example/page")]).assert_status(403);
    assert_eq!(app.count("posts"), before, "nothing written");
    let own = app.base.clone();
    answer(&mut jo, vec![("Origin", own.as_str())]).assert_status(303);
    let referer = format!("{own}{path}");
    answer(&mut jo, vec![("Referer", referer.as_str())]).assert_status(303);
    // Bearer-token API calls carry no cookie: an Origin does not matter to them.
    let mut api = Client::api(&app, &app.token_for("joan"));
    api.extra = vec![("Origin".into(), "http://evil.example".into())];
    api.send_json(
        "POST",
        &format!("/api/v1/threads/{id}/posts"),
        json!({"body": "From a script."}),
    )
    .assert_status(201);
}

/// Failed sign-ins through two server processes on one database count together.
#[test]
fn limits_hold_across_two_server_processes() {
    let dir = tempfile::tempdir().expect("tmp");
    let db_url = database_url(dir.path());
    let a_dir = dir.path().join("a").display().to_string();
    let b_dir = dir.path().join("b").display().to_string();
    cli(
        &db_url,
        &a_dir,
        &[
            "user",
            "create",
            "--handle",
            "kim",
            "--email",
            "kim@example.com",
            "--no-password",
        ],
    );
    let a = start(&db_url, &a_dir, &dir.path().join("a.log"));
    let b = start(&db_url, &b_dir, &dir.path().join("b.log"));
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(10))
        .build();
    let try_login = |base: &str| -> u16 {
        // A fresh browser each time: the sign-in form's token, then the attempt.
        let page = agent
            .get(&format!("{base}/login"))
            .call()
            .expect("login page");
        let cookie = page
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .unwrap_or("")
            .to_string();
        let body = page.into_string().unwrap_or_default();
        let csrf = extract_between(&body, "name=\"csrf\" value=\"", "\"").unwrap_or_default();
        match agent
            .post(&format!("{base}/login"))
            .set("Cookie", &cookie)
            .send_form(&[
                ("csrf", csrf.as_str()),
                ("login", "kim"),
                ("password", "wrong"),
                ("next", "/"),
            ]) {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(e) => panic!("{e}"),
        }
    };
    // Five failures (the default per account), spread over both nodes...
    for n in 0..5 {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        assert_eq!(try_login(base), 401);
    }
    // ...and both refuse the next one.
    assert_eq!(try_login(&a.base), 429);
    assert_eq!(try_login(&b.base), 429);
}

#[test]
fn a_replayed_sign_in_callback_is_refused_before_the_token_call() {
    let app = spawn_app_with(|s| {
        s.auth.providers = vec![peerdesk::config::ProviderSettings {
            id: "corp".into(),
            kind: peerdesk::config::ProviderKind::Oidc,
            name: "Corp SSO".into(),
            client_id: "peerdesk".into(),
            client_secret: "test-secret".into(),
            issuer: providers().oidc.clone(),
            ..Default::default()
        }];
        s.auth.timeout_secs = 2;
    });
    let mut c = Client::new(&app);
    let r = c.get("/auth/corp/start?login_hint=lou&next=/account");
    r.assert_status(303);
    let authorize = r.location().to_string();
    let r = c.get_url(&authorize);
    let callback = r.location().to_string();
    // The cookie as it was before the callback (the pending sign-in in it).
    let before = c.cookies.clone();
    let r = c.get_url(&callback);
    r.assert_status(303);
    // The same callback again, with the old cookie: a clear 400, not the provider again.
    let mut replay = Client::new(&app);
    replay.cookies = before;
    let r = replay.get_url(&callback);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("already used"), "{}", r.body);
}

/// Guesses sent all at once are counted before any password is checked: no more than the
/// limit get an answer, and the race to create the count's row is no error (PostgreSQL).
#[test]
fn parallel_guesses_do_not_slip_past_the_count() {
    let app = spawn_app_with(|s| {
        s.limits.sign_in_failures_per_account = Rate::per_minute(5);
    });
    let _ = app.member("lena");
    let forms: Vec<Client> = (0..16)
        .map(|_| {
            let mut c = Client::new(&app);
            c.get("/login").assert_status(200);
            c
        })
        .collect();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = forms
            .into_iter()
            .map(|mut c| {
                s.spawn(move || {
                    let csrf = c.get("/login").csrf();
                    c.post_form(
                        "/login",
                        &[
                            ("csrf", csrf.as_str()),
                            ("login", "lena"),
                            ("password", "guess"),
                            ("next", "/"),
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
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{checked} guesses were checked: {statuses:?}");
}
