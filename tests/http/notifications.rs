//! Notifications end to end: who is told what (asker, authors, mentions, watchers, staff), the
//! bell and the notifications page and API, emails through a real SMTP server (aiosmtpd on
//! loopback) with one-click unsubscribe, digests, promise reminders, and account mail
//! (address verification, password reset).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;
use crate::mail_sink::{Mail, MailSink};
use peerdesk::accounts::Role;

const WAIT: Duration = Duration::from_secs(10);

/// Polls the API until `handle` has `count` unread notifications (the notifier runs a few
/// times a second); returns the list.
fn wait_unread(app: &TestApp, token: &str, count: i64) -> serde_json::Value {
    let mut api = Client::api(app, token);
    let deadline = Instant::now() + WAIT;
    loop {
        let r = api.get("/api/v1/notifications");
        r.assert_status(200);
        let v = r.json();
        if v["unread"].as_i64() == Some(count) {
            // The count and the list are read one after the other: a notice written between
            // the two is counted but not listed. Read the list again once it has settled.
            std::thread::sleep(Duration::from_millis(100));
            let again = api.get("/api/v1/notifications").json();
            if again["unread"].as_i64() == Some(count) {
                return again;
            }
        }
        assert!(
            Instant::now() < deadline,
            "expected {count} unread, have {}: {v}",
            v["unread"]
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until every event so far has passed the notifier.
fn settle(app: &TestApp) {
    let newest = app
        .db
        .read_blocking(peerdesk::events::newest_id)
        .expect("newest");
    let deadline = Instant::now() + WAIT;
    loop {
        let status = app
            .db
            .read_blocking(peerdesk::events::status)
            .expect("status");
        let done = status
            .consumers
            .iter()
            .find(|c| c.consumer == "notifier")
            // Events past the position that were applied early do not count in `lag`.
            .is_some_and(|c| c.position >= newest || c.lag == 0);
        if done {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the notifier did not catch up to {newest}: {:?}",
            status.consumers
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kinds(list: &serde_json::Value) -> Vec<String> {
    list["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
        .map(|i| i["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn notification_mail(mails: &[Mail]) -> &Mail {
    mails
        .iter()
        .find(|m| m.header("List-Unsubscribe").is_some())
        .expect("a notification email (with List-Unsubscribe)")
}

fn path_of(app: &TestApp, url: &str) -> String {
    url.strip_prefix(&app.base)
        .unwrap_or_else(|| panic!("{url} is not on {}", app.base))
        .to_string()
}

#[test]
fn an_answer_reaches_the_asker_in_the_app_and_by_email_and_unsubscribe_works() {
    let sink = MailSink::start();
    let app = spawn_app_with_mail(&sink);
    let mut asker = app.member("asker");
    let mut helper = app.member("helper");
    let path = app.ask(
        &mut asker,
        "VPN drops every ten minutes",
        "Since the update.",
    );
    let id = thread_id(&path);
    helper
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[(
                "body",
                "Turn off **power saving** on the adapter; it resets the tunnel.",
            )],
        )
        .assert_status(303);
    let token = app.token_for("asker");
    let list = wait_unread(&app, &token, 1);
    assert_eq!(kinds(&list), vec!["answer"]);
    let item = &list["groups"][0]["items"][0];
    assert_eq!(item["actor"]["handle"], "helper");
    assert!(item["text"]
        .as_str()
        .unwrap()
        .contains("VPN drops every ten minutes"));
    assert!(item["excerpt"]
        .as_str()
        .unwrap()
        .starts_with("Turn off power saving"));
    // The actor is never told of their own act.
    let helper_token = app.token_for("helper");
    assert_eq!(
        Client::api(&app, &helper_token)
            .get("/api/v1/notifications")
            .json()["unread"],
        0
    );
    // The bell on every page.
    let home = asker.get("/").body;
    assert!(home.contains("id=\"bell-count\">1</span>"), "bell: {home}");

    // The email: names the thread, quotes the post, links straight to it.
    let mails = sink.wait_for_to("asker@example.com", 2, WAIT);
    let mail = notification_mail(&mails);
    assert!(
        mail.subject().contains("VPN drops every ten minutes"),
        "{}",
        mail.subject()
    );
    assert!(mail.text.contains("Turn off power saving"), "{}", mail.text);
    assert!(mail.html.contains("Turn off power saving"));
    assert!(mail
        .header("Message-ID")
        .is_some_and(|m| m.ends_with("@peerdesk.test>")));
    assert_eq!(
        mail.header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let link = mail
        .links()
        .into_iter()
        .find(|l| l.contains("#post-"))
        .expect("a link to the post");
    let r = asker.get(&path_of(&app, &link));
    r.assert_status(200);
    assert!(r.body.contains("power saving"));
    // Opening the thread read its notification.
    assert_eq!(
        Client::api(&app, &token)
            .get("/api/v1/notifications")
            .json()["unread"],
        0
    );

    // One-click unsubscribe (RFC 8058): a POST with no cookies, as a mail client sends it.
    let header = mail.header("List-Unsubscribe").unwrap();
    let url = header.trim_matches(|c| c == '<' || c == '>');
    let mut mail_client = Client::new(&app);
    let r = mail_client.send_raw(
        "POST",
        &path_of(&app, url),
        "application/x-www-form-urlencoded",
        b"List-Unsubscribe=One-Click",
    );
    r.assert_status(200);
    let prefs = Client::api(&app, &token)
        .get("/api/v1/notifications/preferences")
        .json();
    assert_eq!(prefs["kinds"]["answer"]["delivery"], "never");
    assert_eq!(prefs["kinds"]["comment"]["delivery"], "instant");
    // A forged or cut token changes nothing and says so.
    let forged = url.replace("/unsubscribe/", "/unsubscribe/9");
    let r = mail_client.send_raw(
        "POST",
        &path_of(&app, &forged),
        "application/x-www-form-urlencoded",
        b"List-Unsubscribe=One-Click",
    );
    r.assert_status(400);
    // The next answer is in the app, not in the mailbox.
    let before = sink.messages().len();
    helper
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Or update the driver.")],
        )
        .assert_status(303);
    wait_unread(&app, &token, 1);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        sink.messages().len(),
        before,
        "an unsubscribed kind was emailed"
    );
}

#[test]
fn a_notification_read_before_its_email_goes_out_is_not_emailed() {
    let sink = MailSink::start();
    let app = spawn_app_with_mail_and(&sink, |s| s.email.delay_seconds = 2);
    let mut asker = app.member("reader");
    let mut helper = app.member("quick");
    let path = app.ask(&mut asker, "Printer prints blank pages", "Toner is new.");
    let id = thread_id(&path);
    helper
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Remove the seal.")],
        )
        .assert_status(303);
    let token = app.token_for("reader");
    wait_unread(&app, &token, 1);
    // Read in the app (the thread page) before the delay is over.
    asker.get(&path).assert_status(200);
    std::thread::sleep(Duration::from_secs(4));
    let to_reader: Vec<Mail> = sink
        .messages()
        .into_iter()
        .filter(|m| m.to().iter().any(|t| t == "reader@example.com"))
        .collect();
    assert!(
        to_reader
            .iter()
            .all(|m| m.header("List-Unsubscribe").is_none()),
        "emailed although read: {:?}",
        to_reader.iter().map(Mail::subject).collect::<Vec<_>>()
    );
    let dropped: i64 = app.count("email_jobs");
    assert!(dropped >= 1);
}

#[test]
fn watchers_mentions_and_muted_threads() {
    let app = spawn_app();
    let mut asker = app.member("olga");
    let mut watcher = app.member("walt");
    let mut muter = app.member("mona");
    let _mentioned = app.member("mentioned");
    let mut answerer = app.member("andy");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam", "Support");
    // Staff watch the category for new questions.
    staff
        .submit("/c/general", "/c/general/watch", &[("level", "first_post")])
        .assert_status(303);
    let path = app.ask(&mut asker, "Router reboots at night", "Every night at 3.");
    let id = thread_id(&path);
    let sam = app.token_for("sam");
    let list = wait_unread(&app, &sam, 1);
    assert_eq!(kinds(&list), vec!["new_question"]);

    watcher
        .submit(&path, &format!("/t/{id}/watch"), &[("level", "watching")])
        .assert_status(303);
    // Commenting watches the thread; then Mona mutes it.
    let question_post = post_ids(&asker.get(&path).body)[0];
    muter
        .submit(
            &path,
            &format!("/p/{question_post}/comments"),
            &[("body", "Same here.")],
        )
        .assert_status(303);
    let mona = app.token_for("mona");
    Client::api(&app, &mona)
        .send_json(
            "PUT",
            &format!("/api/v1/threads/{id}/watch"),
            json!({"level": "muted"}),
        )
        .assert_status(200);
    Client::api(&app, &mona)
        .send_json(
            "PUT",
            &format!("/api/v1/threads/{id}/watch"),
            json!({"level": "loud"}),
        )
        .assert_status(422);
    settle(&app);
    answerer
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[(
                "body",
                "Scheduled update. @Mentioned knows more; @ghost does not exist.",
            )],
        )
        .assert_status(303);
    settle(&app);
    let olga = app.token_for("olga");
    let kinds_of =
        |token: &str| kinds(&Client::api(&app, token).get("/api/v1/notifications").json());
    // The asker's comment notification about Mona and the answer.
    assert!(
        kinds_of(&olga).contains(&"answer".to_string()),
        "{:?}",
        kinds_of(&olga)
    );
    assert!(kinds_of(&olga).contains(&"comment".to_string()));
    assert_eq!(
        kinds_of(&app.token_for("walt")),
        vec!["watched_post", "watched_post"]
    );
    assert_eq!(kinds_of(&app.token_for("mentioned")), vec!["mention"]);
    assert!(
        kinds_of(&mona).is_empty(),
        "a muted thread told Mona: {:?}",
        kinds_of(&mona)
    );
    assert!(kinds_of(&app.token_for("andy")).is_empty());
    // The mention is a link in the rendered answer; an unknown handle stays text.
    let page = asker.get(&path).body;
    assert!(page.contains("href=\"/u/mentioned\""), "no mention link");
    assert!(page.contains("@ghost") && !page.contains("href=\"/u/ghost\""));
    // Tags and categories by API; unknown ones are 404, unknown levels 422.
    let mut walt_api = Client::api(&app, &app.token_for("walt"));
    let r = walt_api.send_json(
        "PUT",
        "/api/v1/tags/wifi/watch",
        json!({"level": "watching"}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["level"], "watching");
    walt_api
        .send_json(
            "PUT",
            "/api/v1/tags/no-such-tag/watch",
            json!({"level": "watching"}),
        )
        .assert_status(404);
    walt_api
        .send_json(
            "PUT",
            "/api/v1/categories/general/watch",
            json!({"level": "sometimes"}),
        )
        .assert_status(422);
    let prefs = walt_api.get("/api/v1/notifications/preferences").json();
    assert_eq!(prefs["watched"][0]["name"], "wifi", "{prefs}");
    // The thread page shows the reader's level.
    let walt_page = watcher.get(&path).body;
    assert!(walt_page.contains("value=\"watching\" selected"));
}

#[test]
fn the_notifications_page_groups_per_thread_and_marks_read() {
    let app = spawn_app();
    let mut asker = app.member("gina");
    let mut other = app.member("hank");
    let path = app.ask(&mut asker, "Screen flickers on battery", "Only on battery.");
    let id = thread_id(&path);
    for body in [
        "Lower the refresh rate.",
        "Update the GPU driver.",
        "Check the cable.",
    ] {
        other
            .submit(&path, &format!("/t/{id}/answers"), &[("body", body)])
            .assert_status(303);
    }
    let token = app.token_for("gina");
    let list = wait_unread(&app, &token, 3);
    assert_eq!(list["groups"].as_array().unwrap().len(), 1);
    assert_eq!(list["groups"][0]["summary"], "3 new answers");
    let page = asker.get("/notifications");
    page.assert_status(200);
    assert!(page.body.contains("3 new answers"));
    assert!(page.body.contains("Screen flickers on battery"));
    asker
        .extra
        .push(("Accept-Language".to_string(), "de".to_string()));
    let german = asker.get("/notifications");
    assert!(german.body.contains("3 neue Antworten"), "German summary");
    asker.extra.clear();
    // Mark one read (the page's form), then the thread, through the API.
    let first = list["groups"][0]["items"][0]["id"].as_i64().unwrap();
    asker
        .submit(
            "/notifications",
            "/notifications/read",
            &[("id", &first.to_string()), ("next", "/notifications")],
        )
        .assert_status(303);
    wait_unread(&app, &token, 2);
    let mut api = Client::api(&app, &token);
    let r = api.send_json(
        "POST",
        "/api/v1/notifications/read",
        json!({"thread_id": id}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["unread"], 0);
    // Wrong input: unknown or someone else's id, nothing named, a bad page.
    api.send_json(
        "POST",
        "/api/v1/notifications/read",
        json!({"ids": [999999]}),
    )
    .assert_status(404);
    let hank = app.token_for("hank");
    let mut hank_api = Client::api(&app, &hank);
    hank_api
        .send_json(
            "POST",
            "/api/v1/notifications/read",
            json!({"ids": [first]}),
        )
        .assert_status(404);
    hank_api
        .send_json("POST", "/api/v1/notifications/read", json!({}))
        .assert_status(422);
    hank_api
        .send_raw(
            "POST",
            "/api/v1/notifications/read",
            "application/json",
            b"{nope",
        )
        .assert_status(400);
    api.get("/api/v1/notifications?page=abc").assert_status(422);
    api.get("/api/v1/notifications?page=0").assert_status(422);
    Client::new(&app).get("/notifications").assert_status(303);
    Client::new(&app)
        .get("/api/v1/notifications")
        .assert_status(401);
}

#[test]
fn staff_hear_of_assignments_follow_ups_and_promises_and_any_staff_reply_keeps_a_promise() {
    let app = spawn_app();
    let mut customer = app.member("cora");
    let mut lead = app.user_with_role("lena", Role::Staff, "Lena", "Team lead");
    let mut tech = app.user_with_role("tom", Role::Staff, "Tom", "Network specialist");
    let path = app.ask(&mut customer, "Mesh node keeps dropping", "Node 2 of 3.");
    let id = thread_id(&path);
    lead.submit(
        &path,
        &format!("/t/{id}/assign"),
        &[("assignee", "tom"), ("note", "Firmware 4.2 regression?")],
    )
    .assert_status(303);
    let tom = app.token_for("tom");
    let list = wait_unread(&app, &tom, 1);
    assert_eq!(kinds(&list), vec!["assigned"]);
    assert_eq!(
        list["groups"][0]["items"][0]["excerpt"],
        "Firmware 4.2 regression?"
    );
    let cora = app.token_for("cora");
    let list = wait_unread(&app, &cora, 1);
    assert_eq!(kinds(&list), vec!["referred"]);
    // The staff note never reaches the customer.
    assert!(!list.to_string().contains("regression"), "{list}");
    assert!(list.to_string().contains("Tom"));

    lead.submit(
        &path,
        &format!("/t/{id}/promises"),
        &[("due_in", "4h"), ("note", "I'll test node 2.")],
    )
    .assert_status(303);
    wait_unread(&app, &cora, 2);
    customer
        .submit(
            &path,
            &format!("/t/{id}/followups"),
            &[("body", "Node 3 too now.")],
        )
        .assert_status(303);
    let list = wait_unread(&app, &tom, 2);
    assert!(kinds(&list).contains(&"customer_followup".to_string()));
    // Tom (not the promiser) answers: the team's promise is kept, and the timeline says by whom.
    tech.submit(
        &path,
        &format!("/t/{id}/answers"),
        &[("body", "Fixed in 4.2.1.")],
    )
    .assert_status(303);
    // Cora read the earlier ones when she opened the thread to follow up. Two unread may be
    // seen before the keeping arrives: wait for it by kind, not by count.
    // (Whether the referral was written before she opened the thread depends on the
    // notifier's timing, so the count is not checked here.)
    let deadline = Instant::now() + WAIT;
    let k = loop {
        let k = kinds(&Client::api(&app, &cora).get("/api/v1/notifications").json());
        if k.contains(&"promise_kept".to_string()) || Instant::now() > deadline {
            break k;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(k.contains(&"promise_kept".to_string()), "{k:?}");
    assert!(k.contains(&"promise_made".to_string()));
    let page = customer.get(&path).body;
    assert!(page.contains("Tom"), "timeline names who kept it");
    let kept: i64 = app.count("promises");
    assert_eq!(kept, 1);

    // Reminders: within the hour, then overdue; each once.
    lead.submit(&path, &format!("/t/{id}/promises"), &[("due_in", "1d")])
        .assert_status(303);
    settle(&app);
    let due = app
        .db
        .read_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::promises;
            Ok(promises::table
                .filter(promises::kept_at.is_null())
                .select(promises::due_at)
                .first::<chrono::NaiveDateTime>(conn)?)
        })
        .expect("open promise");
    let remind = |at: chrono::NaiveDateTime| {
        app.db
            .write_blocking(move |conn| peerdesk::notify::due::remind(conn, at, None))
            .expect("remind")
    };
    assert_eq!(remind(due - chrono::TimeDelta::minutes(30)), 1);
    assert_eq!(
        remind(due - chrono::TimeDelta::minutes(20)),
        0,
        "reminded twice"
    );
    assert_eq!(remind(due + chrono::TimeDelta::minutes(1)), 1);
    let lena = app.token_for("lena");
    let k = kinds(&Client::api(&app, &lena).get("/api/v1/notifications").json());
    assert!(
        k.contains(&"promise_due".to_string()) && k.contains(&"promise_overdue".to_string()),
        "{k:?}"
    );
}

#[test]
fn preferences_page_and_api_save_and_refuse_nonsense() {
    let app = spawn_app();
    let mut user = app.member("pia");
    let page = user.get("/account/notifications");
    page.assert_status(200);
    assert!(page.body.contains("Answers to my questions"));
    assert!(
        !page.body.contains("(staff)"),
        "staff-only kinds shown to a member"
    );
    user.submit(
        "/account/notifications",
        "/account/notifications",
        &[
            ("answer", "daily"),
            ("mention", "never"),
            ("digest_hour", "7"),
        ],
    )
    .assert_status(303);
    let token = app.token_for("pia");
    let mut api = Client::api(&app, &token);
    let prefs = api.get("/api/v1/notifications/preferences").json();
    assert_eq!(prefs["kinds"]["answer"]["delivery"], "daily");
    assert_eq!(prefs["kinds"]["mention"]["delivery"], "never");
    assert_eq!(prefs["digest_hour"], 7);
    let r = api.send_json(
        "PUT",
        "/api/v1/notifications/preferences",
        json!({"deliveries": {"answer": "weekly", "comment": "hourly"}}),
    );
    r.assert_status(422);
    // Nothing half-written: the valid half of a refused request is not saved.
    let prefs = api.get("/api/v1/notifications/preferences").json();
    assert_eq!(prefs["kinds"]["answer"]["delivery"], "daily");
    api.send_json(
        "PUT",
        "/api/v1/notifications/preferences",
        json!({"deliveries": {"nonsense": "daily"}}),
    )
    .assert_status(422);
    api.send_json(
        "PUT",
        "/api/v1/notifications/preferences",
        json!({"digest_hour": 24}),
    )
    .assert_status(422);
    let r = user.submit(
        "/account/notifications",
        "/account/notifications",
        &[("answer", "loud")],
    );
    r.assert_status(422);
    assert!(r.body.contains("unknown email delivery"));
    Client::new(&app)
        .get("/unsubscribe/1.answer.forged")
        .assert_status(400);
}

#[test]
fn digests_collect_what_was_not_emailed_at_once() {
    let sink = MailSink::start();
    let app = spawn_app_with_mail(&sink);
    let mut asker = app.member("dora");
    let mut other = app.member("dave");
    let token = app.token_for("dora");
    Client::api(&app, &token)
        .send_json(
            "PUT",
            "/api/v1/notifications/preferences",
            json!({"deliveries": {"answer": "daily"}}),
        )
        .assert_status(200);
    let path = app.ask(&mut asker, "Keyboard repeats letters", "Since Tuesday.");
    let id = thread_id(&path);
    other
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Clean under the keys.")],
        )
        .assert_status(303);
    wait_unread(&app, &token, 1);
    let user_id = thread_author(&app, id);
    let (wording, domain) = (
        peerdesk::http::wording(&app.state),
        peerdesk::http::mail_domain(&app.state),
    );
    let now = peerdesk::db::now();
    let sent = app
        .db
        .write_blocking(move |conn| {
            peerdesk::notify::digest::send_for(conn, &wording, &domain, user_id, now, true)
        })
        .expect("digest");
    assert_eq!(
        sent, 1,
        "a daily digest (and no weekly one: nothing is weekly)"
    );
    let mails = sink.wait_for_to("dora@example.com", 2, WAIT);
    let digest = mails
        .iter()
        .find(|m| m.subject().contains("daily summary"))
        .expect("the digest");
    assert!(
        digest.text.contains("Keyboard repeats letters"),
        "{}",
        digest.text
    );
    assert!(digest.header("List-Unsubscribe").is_some());
    // Nothing new: nothing sent.
    let (wording, domain) = (
        peerdesk::http::wording(&app.state),
        peerdesk::http::mail_domain(&app.state),
    );
    let later = now + chrono::TimeDelta::days(1);
    let sent = app
        .db
        .write_blocking(move |conn| {
            peerdesk::notify::digest::send_for(conn, &wording, &domain, user_id, later, true)
        })
        .expect("digest");
    assert_eq!(sent, 0);
}

fn thread_author(app: &TestApp, thread: i64) -> i64 {
    app.db
        .read_blocking(move |conn| Ok(peerdesk::threads::find_thread(conn, thread)?.author_id))
        .expect("thread")
}

#[test]
fn sign_up_verifies_the_address_by_email() {
    let sink = MailSink::start();
    let app = spawn_app_with_mail(&sink);
    let mut user = app.member("vera");
    assert!(user.get("/account").body.contains("Not verified yet"));
    let mails = sink.wait_for_to("vera@example.com", 1, WAIT);
    let link = mails[0]
        .links()
        .into_iter()
        .find(|l| l.contains("/verify-email/"))
        .expect("a verification link");
    let r = Client::new(&app).get(&path_of(&app, &link));
    r.assert_status(200);
    assert!(r.body.contains("vera@example.com is verified"));
    assert!(user.get("/account").body.contains("Verified"));
    // Twice: a clear page, not a 500.
    let r = Client::new(&app).get(&path_of(&app, &link));
    r.assert_status(400);
    assert!(r.body.contains("already used"));
    Client::new(&app)
        .get("/verify-email/forged")
        .assert_status(400);
    // A new address is unverified until its own link is followed.
    user.submit(
        "/account",
        "/account/email",
        &[("email", "vera@new.example")],
    )
    .assert_status(200);
    assert!(user.get("/account").body.contains("Not verified yet"));
    sink.wait_for_to("vera@new.example", 1, WAIT);
    user.submit("/account", "/account/email", &[("email", "not an address")])
        .assert_status(422);
}

#[test]
fn a_forgotten_password_is_reset_by_an_emailed_single_use_link() {
    let sink = MailSink::start();
    let app = spawn_app_with_mail(&sink);
    let mut elsewhere = app.member("rita");
    sink.wait_for_to("rita@example.com", 1, WAIT); // the verification email
    let mut visitor = Client::new(&app);
    let known = visitor.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", "rita@example.com")],
    );
    known.assert_status(200);
    let unknown = visitor.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", "nobody@example.com")],
    );
    unknown.assert_status(200);
    // The same answer whether or not the address has an account.
    assert_eq!(
        known.body.replace("rita@example.com", "X").len(),
        unknown.body.replace("nobody@example.com", "X").len()
    );
    visitor
        .submit("/password/forgot", "/password/forgot", &[("email", "")])
        .assert_status(422);
    let mails = sink.wait_for_to("rita@example.com", 2, WAIT);
    let link = mails
        .iter()
        .flat_map(|m| m.links())
        .find(|l| l.contains("/password/reset/"))
        .expect("a reset link");
    let path = path_of(&app, &link);
    visitor.get(&path).assert_status(200);
    let r = visitor.submit(&path, &path, &[("password", "short")]);
    r.assert_status(422);
    let r = visitor.submit(&path, &path, &[("password", "a brand new passphrase")]);
    r.assert_status(303);
    // Signed in here; the other session is over; the old password no longer works.
    assert!(visitor.get("/account").body.contains("rita"));
    elsewhere.get("/account").assert_status(303);
    let mut c = Client::new(&app);
    let r = c.submit(
        "/login",
        "/login",
        &[("login", "rita"), ("password", PASSWORD), ("next", "/")],
    );
    assert_ne!(r.status, 303, "the old password still works");
    let r = c.submit(
        "/login",
        "/login",
        &[
            ("login", "rita"),
            ("password", "a brand new passphrase"),
            ("next", "/"),
        ],
    );
    r.assert_status(303);
    // Used once: a clear page after.
    let r = Client::new(&app).get(&path);
    r.assert_status(400);
    assert!(r.body.contains("already used"));
    Client::new(&app)
        .get("/password/reset/forged-token")
        .assert_status(400);
}

#[test]
fn smtp_down_keeps_the_page_working_and_the_email_waiting() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let app = spawn_app_with(move |s| {
        s.email.smtp_host = "127.0.0.1".into();
        s.email.smtp_port = closed;
        s.email.security = "none".into();
        s.email.delay_seconds = 0;
    });
    let mut asker = app.member("sue");
    let mut other = app.member("stan");
    let path = app.ask(&mut asker, "Headset mic too quiet", "On calls.");
    let id = thread_id(&path);
    other
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Raise input gain.")],
        )
        .assert_status(303);
    let deadline = Instant::now() + WAIT;
    loop {
        let status = app
            .db
            .read_blocking(peerdesk::mail::status)
            .expect("mail status");
        let jobs = app
            .db
            .read_blocking(|conn| {
                use diesel::prelude::*;
                use peerdesk::db::schema::email_jobs;
                Ok(email_jobs::table
                    .filter(email_jobs::attempts.gt(0))
                    .select((email_jobs::status, email_jobs::last_error))
                    .load::<(String, Option<String>)>(conn)?)
            })
            .expect("jobs");
        if jobs.len() >= 2 {
            assert!(
                jobs.iter().all(|(s, e)| s == "pending" && e.is_some()),
                "{jobs:?}"
            );
            assert_eq!(status.sent, 0);
            break;
        }
        assert!(Instant::now() < deadline, "no attempt recorded: {jobs:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn user_id(app: &TestApp, handle: &str) -> i64 {
    let handle = handle.to_string();
    app.db
        .read_blocking(move |conn| peerdesk::accounts::find_by_handle(conn, &handle))
        .expect("user")
        .id
}

fn items_of(list: &serde_json::Value) -> Vec<serde_json::Value> {
    list["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn authors_and_flaggers_are_told_what_moderators_decided() {
    let sink = MailSink::start();
    let app = spawn_app_with_mail(&sink);
    let mut nina = app.member("nina");
    let mut fred = app.member("fred");
    let _gus = app.member("gus");
    let _moe = app.user_with_role("moe", Role::Moderator, "Moe", "Moderator");
    let (nina_t, fred_t, gus_t, moe_t) = (
        app.token_for("nina"),
        app.token_for("fred"),
        app.token_for("gus"),
        app.token_for("moe"),
    );
    let path = app.ask(
        &mut nina,
        "Cheap licences for the office suite",
        "Buy them at my shop.",
    );
    let question = post_ids(&nina.get(&path).body)[0];

    // A member flags the question; a moderator hides it, with a reason.
    Client::api(&app, &fred_t)
        .send_json(
            "POST",
            &format!("/api/v1/posts/{question}/flags"),
            json!({"reason": "spam"}),
        )
        .assert_status(201);
    Client::api(&app, &moe_t)
        .send_json(
            "POST",
            &format!("/api/v1/review/post/{question}"),
            json!({"action": "hide", "reason": "Advertising"}),
        )
        .assert_status(200);
    // The author is told, with the moderator's words and a link to the post; the moderator
    // goes unnamed.
    let list = wait_unread(&app, &nina_t, 1);
    assert_eq!(kinds(&list), vec!["moderated"]);
    let item = &items_of(&list)[0];
    assert_eq!(
        item["text"],
        "Your question in “Cheap licences for the office suite” was hidden by a moderator"
    );
    assert_eq!(item["excerpt"], "Advertising");
    assert!(item["actor"].is_null(), "{item}");
    assert!(item["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("#post-{question}")));
    // The flagger learns the outcome.
    let list = wait_unread(&app, &fred_t, 1);
    assert_eq!(kinds(&list), vec!["flag_outcome"]);
    let item = &items_of(&list)[0];
    assert!(
        item["text"].as_str().unwrap().starts_with(
            "A moderator agreed with your flag on a post in “Cheap licences for the office suite”"
        ),
        "{item}"
    );
    assert_eq!(item["excerpt"], "Advertising");
    // The moderator is not told of their own decision.
    settle(&app);
    assert_eq!(
        Client::api(&app, &moe_t)
            .get("/api/v1/notifications")
            .json()["unread"],
        0
    );
    // The author's email says it at once, with the reason; a flag's outcome stays under the
    // bell unless the flagger asks for email.
    let mails = sink.wait_for_to("nina@example.com", 2, WAIT);
    let mail = notification_mail(&mails);
    assert!(
        mail.subject().contains("was hidden by a moderator"),
        "{}",
        mail.subject()
    );
    assert!(mail.text.contains("The moderator wrote:"), "{}", mail.text);
    assert!(mail.text.contains("> Advertising"), "{}", mail.text);
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        sink.messages()
            .iter()
            .filter(|m| m.to().iter().any(|t| t == "fred@example.com"))
            .all(|m| m.header("List-Unsubscribe").is_none()),
        "a flag's outcome was emailed"
    );
    let prefs = Client::api(&app, &fred_t)
        .get("/api/v1/notifications/preferences")
        .json();
    assert_eq!(prefs["kinds"]["flag_outcome"]["delivery"], "never");
    assert_eq!(prefs["kinds"]["moderated"]["delivery"], "instant");

    // Two members' spam flags hide an answer at once: its author hears why, with no
    // moderator involved; a moderator dismisses the flags and the author hears it is back.
    let path = app.ask(&mut fred, "Laptop fan is loud", "Since the update.");
    let id = thread_id(&path);
    nina.submit(
        &path,
        &format!("/t/{id}/answers"),
        &[("body", "Clean the vents with compressed air.")],
    )
    .assert_status(303);
    let answer = *post_ids(&nina.get(&path).body).last().unwrap();
    for token in [&fred_t, &gus_t] {
        Client::api(&app, token)
            .send_json(
                "POST",
                &format!("/api/v1/posts/{answer}/flags"),
                json!({"reason": "spam"}),
            )
            .assert_status(201);
    }
    let list = wait_unread(&app, &nina_t, 2);
    // The newest may share its second with the one before: find it by its thread.
    let items = items_of(&list);
    let item = items
        .iter()
        .find(|i| i["text"].as_str().is_some_and(|t| t.contains("Laptop fan")))
        .expect("the notice about the answer");
    assert_eq!(item["kind"], "moderated");
    assert_eq!(
        item["text"],
        "Your answer in “Laptop fan is loud” is hidden for now: members flagged it, and a moderator will review it"
    );
    assert!(item["excerpt"].is_null(), "{item}");
    Client::api(&app, &moe_t)
        .send_json(
            "POST",
            &format!("/api/v1/review/post/{answer}"),
            json!({"action": "dismiss", "reason": "A real tip"}),
        )
        .assert_status(200);
    let list = wait_unread(&app, &nina_t, 3);
    assert!(
        items_of(&list).iter().any(|i| i["text"]
            .as_str()
            .is_some_and(|t| t.contains("was restored by a moderator"))),
        "{list}"
    );
    // Both flaggers hear their flags were declined.
    let list = wait_unread(&app, &gus_t, 1);
    let item = &items_of(&list)[0];
    assert_eq!(item["kind"], "flag_outcome");
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .ends_with("and left it as it is"),
        "{item}"
    );
    assert_eq!(item["excerpt"], "A real tip");
    // Fred: the first outcome, Nina's answer, this outcome.
    let list = wait_unread(&app, &fred_t, 3);
    assert_eq!(
        kinds(&list).iter().filter(|k| *k == "flag_outcome").count(),
        2
    );
}

#[test]
fn silenced_members_and_merged_askers_are_told() {
    let app = spawn_app();
    let mut nina = app.member("nina");
    let mut gus = app.member("gus");
    let _walt = app.member("walt");
    let mut fred = app.member("fred");
    let _moe = app.user_with_role("moe", Role::Moderator, "Moe", "Moderator");
    let (nina_t, walt_t, moe_t) = (
        app.token_for("nina"),
        app.token_for("walt"),
        app.token_for("moe"),
    );
    let nina_id = user_id(&app, "nina");

    // Silenced, then allowed to post again: told both times, with the reason.
    Client::api(&app, &moe_t)
        .send_json(
            "POST",
            &format!("/api/v1/users/{nina_id}/silence"),
            json!({"days": 3, "reason": "Please cool off"}),
        )
        .assert_status(200);
    let list = wait_unread(&app, &nina_t, 1);
    assert_eq!(kinds(&list), vec!["silenced"]);
    let item = &items_of(&list)[0];
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .starts_with("A moderator silenced you until "),
        "{item}"
    );
    assert_eq!(item["excerpt"], "Please cool off");
    assert!(list["groups"][0]["thread_id"].is_null());
    Client::api(&app, &moe_t)
        .send_json(
            "POST",
            &format!("/api/v1/users/{nina_id}/silence"),
            json!({"days": 0}),
        )
        .assert_status(200);
    let list = wait_unread(&app, &nina_t, 2);
    assert_eq!(
        items_of(&list)[0]["text"],
        "You can post again: a moderator lifted your silence"
    );
    Client::api(&app, &nina_t)
        .send_json("POST", "/api/v1/notifications/read", json!({"all": true}))
        .assert_status(200);

    // A duplicate merged into its canonical thread: the asker is told on the canonical
    // thread, and whoever watched the duplicate now watches the canonical one.
    let canonical_path = app.ask(&mut gus, "Printer shows offline", "On every laptop.");
    let duplicate_path = app.ask(&mut nina, "Printer offline after update", "Since Tuesday.");
    let (canonical, duplicate) = (thread_id(&canonical_path), thread_id(&duplicate_path));
    fred.submit(
        &duplicate_path,
        &format!("/t/{duplicate}/answers"),
        &[("body", "Restart the spooler.")],
    )
    .assert_status(303);
    wait_unread(&app, &nina_t, 1);
    Client::api(&app, &walt_t)
        .send_json(
            "PUT",
            &format!("/api/v1/threads/{duplicate}/watch"),
            json!({"level": "watching"}),
        )
        .assert_status(200);
    Client::api(&app, &nina_t)
        .send_json("POST", "/api/v1/notifications/read", json!({"all": true}))
        .assert_status(200);
    Client::api(&app, &moe_t)
        .send_json(
            "POST",
            &format!("/api/v1/threads/{duplicate}/merge"),
            json!({"into": canonical}),
        )
        .assert_status(200);
    let list = wait_unread(&app, &nina_t, 1);
    assert_eq!(list["groups"][0]["thread_id"], canonical);
    let item = &items_of(&list)[0];
    assert_eq!(item["kind"], "merged");
    assert_eq!(
        item["text"],
        "Your question “Printer offline after update” was merged into “Printer shows offline” by a moderator: its answer moved there too"
    );
    assert!(
        item["url"]
            .as_str()
            .unwrap()
            .contains(&format!("/t/{canonical}/")),
        "{item}"
    );
    // The duplicate's watcher hears of the next answer on the canonical thread.
    fred.submit(
        &canonical_path,
        &format!("/t/{canonical}/answers"),
        &[("body", "Reinstall the driver.")],
    )
    .assert_status(303);
    let list = wait_unread(&app, &walt_t, 1);
    assert_eq!(kinds(&list), vec!["watched_post"]);
    assert_eq!(list["groups"][0]["thread_id"], canonical);
}
