//! The knowledge base over HTTP: promotion from a solved thread, the article page, revisions
//! with diffs and restore, statuses and search, helpfulness, review dates, duplicates pointing
//! to articles, promotion candidates, and who may do what.

use crate::helpers::*;
use crate::search::urlencode;
use peerdesk::accounts::Role;
use serde_json::json;

/// A solved thread: asked by `asker` (API), answered by staff, accepted by the asker.
/// Returns (thread id, accepted answer id).
fn solved_thread(
    asker: &mut Client,
    staff: &mut Client,
    title: &str,
    q: &str,
    a: &str,
) -> (i64, i64) {
    let r = asker.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": q, "category": "general", "tags": ["router"]}),
    );
    r.assert_status(201);
    let thread = r.json()["id"].as_i64().expect("id");
    let r = staff.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": a }),
    );
    r.assert_status(201);
    let answer = r.json()["id"].as_i64().expect("id");
    asker
        .send_json("POST", &format!("/api/v1/posts/{answer}/accept"), json!({}))
        .assert_status(200);
    (thread, answer)
}

struct Setup {
    app: TestApp,
    member: Client,
    staff: Client,
    member_api: Client,
    staff_api: Client,
}

fn setup() -> Setup {
    let app = spawn_app();
    let member = app.member("customer");
    let staff = app.user_with_role("sam", Role::Staff, "Sam Support", "Networking specialist");
    let member_api = Client::api(&app, &app.token_for("customer"));
    let staff_api = Client::api(&app, &app.token_for("sam"));
    Setup {
        app,
        member,
        staff,
        member_api,
        staff_api,
    }
}

fn promote_api(staff_api: &mut Client, thread: i64, body: serde_json::Value) -> (i64, String) {
    let r = staff_api.send_json("POST", &format!("/api/v1/threads/{thread}/promote"), body);
    r.assert_status(201);
    let j = r.json();
    (
        j["article_id"].as_i64().expect("article_id"),
        j["url"].as_str().expect("url").to_string(),
    )
}

fn path_of(url: &str) -> String {
    let i = url.find("/kb/").expect("article url");
    url[i..].to_string()
}

#[test]
fn promote_a_solved_thread_into_an_article() {
    let Setup {
        app,
        mut member,
        mut staff,
        mut member_api,
        mut staff_api,
    } = setup();
    let (thread, answer) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "How do I reset the router password?",
        "I forgot the admin password of my **router**.",
        "Hold the reset button for *ten seconds*, then sign in with the label password.",
    );
    let thread_path = member.get(&format!("/t/{thread}")).location().to_string();
    // Staff see the button on the solved thread; members do not.
    let page = staff.get(&thread_path);
    assert!(page.body.contains(&format!("/t/{thread}/promote")));
    assert!(!member.get(&thread_path).body.contains("/promote"));

    // The editor is prefilled from the question and the accepted answer.
    let form = staff.get(&format!("/t/{thread}/promote"));
    form.assert_status(200);
    assert!(
        form.body
            .contains("value=\"How do I reset the router password\""),
        "title without '?'"
    );
    assert!(form
        .body
        .contains("I forgot the admin password of my **router**."));
    assert!(form
        .body
        .contains("Hold the reset button for *ten seconds*"));
    assert!(form
        .body
        .contains(&format!("name=\"post\" value=\"{answer}\"")));

    let before = app.count("kb_articles");
    let r = staff.submit(
        &format!("/t/{thread}/promote"),
        &format!("/t/{thread}/promote"),
        &[
            ("title", "Router admin password is lost"),
            ("body", "## Problem\n\nThe admin password is lost.\n\n## Solution\n\nHold the reset button for ten seconds."),
            ("section", "Routers"),
            ("applies_to", "2.4, 2.5, 2.4"),
            ("review_by", ""),
            ("summary", "Promoted"),
            ("post", &answer.to_string()),
            ("action", "publish"),
        ],
    );
    r.assert_status(303);
    let article_path = r.location().to_string();
    assert!(article_path.starts_with("/kb/"), "{article_path}");
    assert!(article_path.ends_with("/router-admin-password-is-lost"));
    assert_eq!(app.count("kb_articles"), before + 1);
    assert_eq!(app.count("kb_revisions"), 1);
    assert_eq!(
        app.count("kb_sections"),
        2,
        "General and the new Routers section"
    );

    // The article page: verified by (name and title), versions, credits, JSON-LD, canonical.
    let mut anon = Client::new(&app);
    let page = anon.get(&article_path);
    page.assert_status(200);
    let html = &page.body;
    assert!(
        html.contains(">Router admin password is lost</h1>"),
        "{html}"
    );
    assert!(html.contains("Sam Support"));
    assert!(html.contains("Networking specialist"));
    assert!(html.contains("2.4, 2.5</dd>"), "versions deduplicated");
    assert!(
        html.contains(&format!("href=\"{thread_path}\"")),
        "links back to the thread"
    );
    assert!(
        html.contains(&format!("#post-{answer}")),
        "credits the answer"
    );
    assert!(html.contains("\"@type\":\"Article\""));
    assert!(html.contains("\"jobTitle\":\"Networking specialist\""));
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{}{article_path}\">",
        app.base
    )));
    assert!(html.contains("Was this helpful?"));
    assert!(
        !html.contains("Mark as reviewed"),
        "no staff panel for visitors"
    );
    // Short and wrong-slug URLs redirect to the canonical one.
    let id: i64 = article_path
        .split('/')
        .nth(2)
        .and_then(|s| s.parse().ok())
        .expect("id");
    assert_eq!(anon.get(&format!("/kb/{id}")).location(), article_path);
    assert_eq!(
        anon.get(&format!("/kb/{id}/wrong-slug")).location(),
        article_path
    );

    // The thread shows a banner linking to the article; the API says so too.
    let page = member.get(&thread_path);
    assert!(page.body.contains("answered in the knowledge base"));
    assert!(page.body.contains(&format!("href=\"{article_path}\"")));
    let j = member_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert_eq!(j["kb_article_id"].as_i64(), Some(id));

    // KB home and section list it.
    let home = anon.get("/kb");
    assert!(home.body.contains("Routers"));
    assert!(home.body.contains(&article_path));
    assert!(anon.get("/kb/s/routers").body.contains(&article_path));

    // A second promotion is refused and points at the first; the form redirects there.
    let r = staff_api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/promote"),
        json!({}),
    );
    r.assert_status(409);
    assert!(r.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains(&article_path));
    assert_eq!(
        staff.get(&format!("/t/{thread}/promote")).location(),
        article_path
    );
    assert_eq!(app.count("kb_articles"), before + 1);

    // The API shape.
    let j = anon.get(&format!("/api/v1/kb/articles/{id}")).json();
    assert_eq!(j["title"], "Router admin password is lost");
    assert_eq!(j["status"], "published");
    assert_eq!(j["source_thread_id"].as_i64(), Some(thread));
    assert_eq!(j["verified_by"]["name"], "Sam Support");
    assert_eq!(j["verified_by"]["title"], "Networking specialist");
    assert_eq!(j["applies_to"], json!(["2.4", "2.5"]));
    assert!(j["body_html"]
        .as_str()
        .unwrap_or("")
        .contains("<h2>Solution</h2>"));
    assert!(j.get("helpful").is_none(), "helpfulness is for staff");
    let list = anon.get("/api/v1/kb/articles?section=routers").json();
    assert_eq!(list["articles"].as_array().map(Vec::len), Some(1));
}

#[test]
fn only_staff_moderators_and_admins_curate() {
    let Setup {
        app,
        mut member,
        mut staff,
        mut member_api,
        mut staff_api,
    } = setup();
    let (thread, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Firmware update fails at ninety percent",
        "The update stops.",
        "Use a cable instead of Wi-Fi.",
    );
    let (id, _) = promote_api(&mut staff_api, thread, json!({}));
    let mut anon = Client::new(&app);
    let csrf = member.get("/").csrf();
    let pages_get = [
        format!("/t/{thread}/promote"),
        "/kb/new".into(),
        format!("/kb/{id}/edit"),
        "/staff/kb".into(),
        "/staff/kb/candidates".into(),
    ];
    let pages_post = [
        format!("/t/{thread}/promote"),
        "/kb/new".into(),
        format!("/kb/{id}/edit"),
        format!("/kb/{id}/status"),
        format!("/kb/{id}/reviewed"),
        format!("/kb/{id}/revisions/1/restore"),
    ];
    let fields = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("title".into(), "A member tries to write this".into()),
            ("body".into(), "Not allowed".into()),
            ("action".into(), "publish".into()),
        ]
    };
    for path in &pages_get {
        member.get(path).assert_status(403);
        anon.get(path).assert_status(403);
    }
    for path in &pages_post {
        let f = fields(&csrf);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        member.post_form(path, &f).assert_status(403);
        anon.post_form(path, &f).assert_status(403);
    }
    let mut no_token = Client::new(&app);
    for c in [&mut member_api, &mut no_token] {
        c.send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/promote"),
            json!({}),
        )
        .assert_status(403);
        c.send_json(
            "PATCH",
            &format!("/api/v1/kb/articles/{id}"),
            json!({"title": "Changed by a member"}),
        )
        .assert_status(403);
        c.send_json(
            "POST",
            &format!("/api/v1/kb/articles/{id}/revisions/1/restore"),
            json!({}),
        )
        .assert_status(403);
        c.get("/api/v1/kb/articles?status=draft").assert_status(403);
    }
    // An invalid token is 401, not 403.
    Client::api(&app, "not-a-token")
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/promote"),
            json!({}),
        )
        .assert_status(401);
    assert_eq!(app.count("kb_articles"), 1);
    assert_eq!(app.count("kb_revisions"), 1);
    // Moderators and admins curate too.
    let mut moderator = app.user_with_role("modi", Role::Moderator, "Mo Derator", "");
    moderator.get("/staff/kb").assert_status(200);
    let mut admin = app.user_with_role("boss", Role::Admin, "Ad Min", "");
    admin.get(&format!("/kb/{id}/edit")).assert_status(200);
    staff.get("/staff/kb/candidates").assert_status(200);
}

#[test]
fn revisions_diff_and_restore() {
    let Setup {
        app,
        mut staff,
        mut member_api,
        mut staff_api,
        ..
    } = setup();
    let (thread, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Printer shows offline after sleep",
        "It goes offline.",
        "Turn off deep sleep in the printer menu.",
    );
    let (id, _) = promote_api(
        &mut staff_api,
        thread,
        json!({"title": "Printer goes offline after sleep", "body": "line one\nline two\nline three\n", "applies_to": ["1.0"]}),
    );
    let mut moderator = Client::api(&app, {
        app.user_with_role("mona", Role::Moderator, "Mo Moderator", "Community");
        &app.token_for("mona")
    });
    let r = moderator.send_json(
        "PATCH",
        &format!("/api/v1/kb/articles/{id}"),
        json!({"body": "line one\nline 2\nline three\nline four\n", "summary": "Clearer"}),
    );
    r.assert_status(200);
    assert_eq!(
        r.json()["verified_by"]["name"],
        "Mo Moderator",
        "the editor verified it"
    );
    assert_eq!(r.json()["revision_count"], 2);
    staff_api
        .send_json(
            "PATCH",
            &format!("/api/v1/kb/articles/{id}"),
            json!({"title": "Printer is offline after sleep mode", "applies_to": ["1.0", "1.1"]}),
        )
        .assert_status(200);

    let page = staff.get(&format!("/kb/{id}/revisions"));
    page.assert_status(200);
    assert!(page.body.contains("Clearer"));
    assert!(page.body.contains("Mo Moderator"));
    assert!(page.body.contains(&format!("/kb/{id}/revisions/1/restore")));

    let diff = staff.get(&format!("/kb/{id}/diff?from=1&to=3"));
    diff.assert_status(200);
    assert!(
        diff.body.contains("2 lines added, 1 removed"),
        "{}",
        diff.body
    );
    assert!(diff
        .body
        .contains("<del>Printer goes offline after sleep</del>"));
    assert!(diff
        .body
        .contains("<ins>Printer is offline after sleep mode</ins>"));
    assert!(diff.body.contains("<ins>1.0, 1.1</ins>"));
    assert!(diff.body.contains("diff-line delete"));
    // Without parameters: the latest change. Unknown revisions: 404.
    assert!(staff
        .get(&format!("/kb/{id}/diff"))
        .body
        .contains("revision 2 to 3"));
    staff
        .get(&format!("/kb/{id}/diff?from=1&to=99"))
        .assert_status(404);
    staff
        .get(&format!("/kb/{id}/diff?from=x"))
        .assert_status(400);

    // Restore revision 1: a new revision 4 with revision 1's content.
    let r = staff.submit(
        &format!("/kb/{id}/revisions"),
        &format!("/kb/{id}/revisions/1/restore"),
        &[],
    );
    r.assert_status(303);
    let j = staff_api
        .get(&format!("/api/v1/kb/articles/{id}/revisions"))
        .json();
    let revs = j["revisions"].as_array().expect("revisions");
    assert_eq!(revs.len(), 4);
    assert_eq!(revs[3]["summary"], "Restored revision 1");
    assert_eq!(revs[3]["body_md"], revs[0]["body_md"]);
    assert_eq!(revs[3]["title"], "Printer goes offline after sleep");
    let j = staff_api.get(&format!("/api/v1/kb/articles/{id}")).json();
    assert_eq!(j["title"], "Printer goes offline after sleep");
    assert_eq!(j["applies_to"], json!(["1.0"]));
    staff_api
        .send_json(
            "POST",
            &format!("/api/v1/kb/articles/{id}/revisions/9/restore"),
            json!({}),
        )
        .assert_status(404);

    // Two editors: the second save, made from an older revision, is refused with the text kept.
    let form = staff.get(&format!("/kb/{id}/edit"));
    let base = extract_between(&form.body, "name=\"base_revision\" value=\"", "\"").expect("base");
    assert_eq!(base, "4");
    staff_api
        .send_json(
            "PATCH",
            &format!("/api/v1/kb/articles/{id}"),
            json!({"body": "someone else was faster"}),
        )
        .assert_status(200);
    let r = staff.post_form(
        &format!("/kb/{id}/edit"),
        &[
            ("csrf", &form.csrf()),
            ("title", "Printer goes offline after sleep"),
            ("body", "my late change"),
            ("section", "General"),
            ("base_revision", &base),
            ("action", "save"),
        ],
    );
    r.assert_status(409);
    assert!(
        r.body.contains("my late change"),
        "the editor keeps the text"
    );
    assert_eq!(
        staff_api.get(&format!("/api/v1/kb/articles/{id}")).json()["revision_count"],
        5
    );

    // Restoring brings the content back, not the status: an archived article stays archived.
    staff_api
        .send_json(
            "PATCH",
            &format!("/api/v1/kb/articles/{id}"),
            json!({"status": "archived"}),
        )
        .assert_status(200);
    let r = staff_api.send_json(
        "POST",
        &format!("/api/v1/kb/articles/{id}/revisions/2/restore"),
        json!({}),
    );
    r.assert_status(200);
    assert_eq!(r.json()["status"], "archived");
    assert_eq!(r.json()["revision_count"], 6);
    staff
        .get(&format!("/kb/{id}/diff?from=0&to=2"))
        .assert_status(422);
    staff
        .get(&format!("/kb/{id}/diff?to=-2147483648"))
        .assert_status(422);
}

#[test]
fn drafts_published_and_archived_in_pages_and_search() {
    let Setup {
        app,
        mut member,
        mut staff,
        mut member_api,
        mut staff_api,
    } = setup();
    let (thread, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Doorbell chime rings twice",
        "The doorbell chime rings twice for one press.",
        "Set the chime type to mechanical in the doorbell app.",
    );
    // A thread on the same words that is only solved, for ranking.
    let (_other, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Doorbell chime rings twice sometimes",
        "The doorbell chime rings twice for one press.",
        "Set the chime type to mechanical in the doorbell app.",
    );
    let (id, url) = promote_api(
        &mut staff_api,
        thread,
        json!({"status": "draft", "title": "Doorbell chime rings twice per press"}),
    );
    let path = path_of(&url);
    app.wait_for_index();
    let mut anon = Client::new(&app);
    // A draft: only curators see it, and search does not have it.
    anon.get(&path).assert_status(404);
    member.get(&path).assert_status(404);
    member_api
        .get(&format!("/api/v1/kb/articles/{id}"))
        .assert_status(404);
    let page = staff.get(&path);
    page.assert_status(200);
    assert!(page.body.contains("<strong>Draft.</strong>"));
    assert!(!anon.get("/kb").body.contains(&path));
    let hits = anon
        .get("/api/v1/search?q=doorbell%20chime&type=article")
        .json();
    assert_eq!(hits["total"], 0);
    assert!(
        staff.get("/staff/kb").body.contains(&path),
        "drafts listed for staff"
    );
    assert!(!member
        .get(&format!("/t/{thread}"))
        .body
        .contains("knowledge base:"));

    // Published: searchable within a second, above threads of equal relevance, and suggested.
    staff
        .submit(&path, &format!("/kb/{id}/status"), &[("action", "publish")])
        .assert_status(303);
    app.wait_for_index();
    let s = anon
        .get("/api/v1/search?q=doorbell%20chime%20rings%20twice")
        .json();
    assert_eq!(s["hits"][0]["type"], "article", "{s}");
    assert_eq!(s["hits"][0]["id"].as_i64(), Some(id));
    assert!(s["hits"][0]["url"].as_str().unwrap_or("").ends_with(&path));
    let facets = &s["facets"]["type"];
    assert!(facets.to_string().contains("article"), "{facets}");
    let similar = anon
        .get(&format!(
            "/api/v1/search/similar?q={}",
            urlencode("doorbell rings twice")
        ))
        .json();
    assert_eq!(similar["hits"][0]["type"], "article", "{similar}");
    // The search page marks it and click-through works.
    let page = anon.get("/search?q=doorbell");
    assert!(page.body.contains("Knowledge base</span>"));
    let sid = extract_between(&page.body, "/search/click/", "/article/").expect("click link");
    assert_eq!(
        anon.get(&format!("/search/click/{sid}/article/{id}"))
            .location(),
        path
    );
    assert!(anon.get("/kb").body.contains(&path));
    // The article takes its tags from its thread, and follows when they change.
    let question = member_api.get(&format!("/api/v1/threads/{thread}")).json()["posts"][0]["id"]
        .as_i64()
        .expect("question id");
    member_api
        .send_json(
            "PATCH",
            &format!("/api/v1/posts/{question}"),
            json!({"body": "The doorbell chime rings twice for one press.", "tags": ["doorbell"]}),
        )
        .assert_status(200);
    app.wait_for_index();
    let s = anon
        .get("/api/v1/search?q=chime&type=article&tag=doorbell")
        .json();
    assert_eq!(s["total"], 1, "{s}");

    // Archived: still reachable and marked, but out of search, suggestions and lists.
    staff
        .submit(&path, &format!("/kb/{id}/status"), &[("action", "archive")])
        .assert_status(303);
    app.wait_for_index();
    let page = anon.get(&path);
    page.assert_status(200);
    assert!(page.body.contains("<strong>Archived.</strong>"));
    assert!(page.body.contains("noindex"));
    let s = anon
        .get("/api/v1/search?q=doorbell%20chime&type=article")
        .json();
    assert_eq!(s["total"], 0, "{s}");
    let similar = anon.get("/api/v1/search/similar?q=doorbell%20chime").json();
    assert!(!similar["hits"].to_string().contains("\"article\""));
    assert!(!anon.get("/kb").body.contains(&path));
    assert!(
        staff.get("/staff/kb").body.contains(&path),
        "archived listed for staff"
    );
    // Bad status actions are refused.
    staff
        .submit(&path, &format!("/kb/{id}/status"), &[("action", "explode")])
        .assert_status(422);
    staff_api
        .send_json(
            "PATCH",
            &format!("/api/v1/kb/articles/{id}"),
            json!({"status": "gone"}),
        )
        .assert_status(422);
}

#[test]
fn helpfulness_is_one_vote_per_person_or_session() {
    let Setup {
        app,
        mut member,
        mut staff,
        mut member_api,
        mut staff_api,
    } = setup();
    let (thread, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Thermostat loses its schedule",
        "Every night the schedule is gone.",
        "Replace the backup battery.",
    );
    let (id, url) = promote_api(&mut staff_api, thread, json!({}));
    let path = path_of(&url);
    let feedback = format!("/kb/{id}/feedback");
    // A member votes yes, then changes their mind: one vote.
    let r = member.submit(&path, &feedback, &[("helpful", "yes"), ("comment", "")]);
    r.assert_status(303);
    assert!(r.location().contains("thanks=1"));
    member
        .submit(
            &path,
            &feedback,
            &[("helpful", "no"), ("comment", "It did not mention model B")],
        )
        .assert_status(303);
    // Signed in without the form's token: refused.
    member
        .post_form(&feedback, &[("csrf", "forged"), ("helpful", "yes")])
        .assert_status(403);
    // A post without the session cookie (another site's form, a script) counts nothing.
    let mut cookieless = Client::new(&app);
    cookieless
        .post_form(&feedback, &[("helpful", "no")])
        .assert_status(403);
    assert_eq!(app.count("kb_feedback"), 1);
    // Anonymous visitors: the form's token is required (the cached article page carries each
    // visitor's own), and they count once per address and day: a second visitor from the same
    // address replaces the first one's vote.
    let mut anon = Client::new(&app);
    anon.get(&path).assert_status(200);
    anon.post_form(&feedback, &[("helpful", "yes")])
        .assert_status(403);
    anon.submit(&path, &feedback, &[("helpful", "yes")])
        .assert_status(303);
    anon.submit(&path, &feedback, &[("helpful", "yes")])
        .assert_status(303);
    let mut anon2 = Client::new(&app);
    anon2
        .submit(&path, &feedback, &[("helpful", "yes")])
        .assert_status(303);
    // Through the API, as the token's user (replaces the member's page vote).
    member_api
        .send_json(
            "POST",
            &format!("/api/v1/kb/articles/{id}/feedback"),
            json!({"helpful": false, "comment": "Still no model B"}),
        )
        .assert_status(200);
    anon.submit(&path, &feedback, &[("helpful", "maybe")])
        .assert_status(422);
    let long = "x".repeat(1001);
    anon.submit(&path, &feedback, &[("helpful", "yes"), ("comment", &long)])
        .assert_status(422);
    assert_eq!(app.count("kb_feedback"), 2);

    let j = staff_api.get(&format!("/api/v1/kb/articles/{id}")).json();
    assert_eq!(j["helpful"]["yes"], 1);
    assert_eq!(j["helpful"]["no"], 1);
    assert_eq!(j["helpful"]["percent"], 50);
    // Staff see the counts and the comments; members do not.
    let page = staff.get(&path);
    assert!(page
        .body
        .contains("<strong>1</strong> yes, <strong>1</strong> no (50%)"));
    assert!(page.body.contains("Still no model B"));
    let page = member.get(&path);
    assert!(!page.body.contains("Still no model B"));
    assert!(!page.body.contains("(50%)"));
}

#[test]
fn review_dates_and_least_helpful_articles() {
    let Setup {
        app,
        mut staff,
        mut member_api,
        mut staff_api,
        ..
    } = setup();
    let (thread, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Camera app crashes on start",
        "It crashes.",
        "Clear the app cache.",
    );
    let (id, url) = promote_api(&mut staff_api, thread, json!({"review_by": "2030-01-01"}));
    let path = path_of(&url);
    staff_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/promote"),
            json!({}),
        )
        .assert_status(409);
    let page = staff.get("/staff/kb");
    assert!(!extract_between(&page.body, "h-due", "h-worst")
        .unwrap_or_default()
        .contains(&path));
    // Its review date passes.
    app.db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::kb_articles;
            diesel::update(kb_articles::table.find(id))
                .set(kb_articles::review_by.eq(peerdesk::db::now() - chrono::TimeDelta::days(1)))
                .execute(conn)?;
            Ok(())
        })
        .expect("update");
    let page = staff.get("/staff/kb");
    let due = extract_between(&page.body, "h-due", "h-worst").unwrap_or_default();
    assert!(due.contains(&path), "due for review: {due}");
    assert!(staff.get(&path).body.contains("(due)"));
    // A moderator reviews it: verified by them, next review in the future.
    let mut moderator = app.user_with_role("rita", Role::Moderator, "Rita Reviewer", "Docs");
    moderator
        .submit(&path, &format!("/kb/{id}/reviewed"), &[("review_by", "")])
        .assert_status(303);
    let j = staff_api.get(&format!("/api/v1/kb/articles/{id}")).json();
    assert_eq!(j["verified_by"]["name"], "Rita Reviewer");
    let due = extract_between(&staff.get("/staff/kb").body, "h-due", "h-worst").unwrap_or_default();
    assert!(!due.contains(&path));
    moderator
        .submit(
            &path,
            &format!("/kb/{id}/reviewed"),
            &[("review_by", "2001-01-01")],
        )
        .assert_status(422);
    moderator
        .submit(
            &path,
            &format!("/kb/{id}/reviewed"),
            &[("review_by", "next week")],
        )
        .assert_status(422);

    // Three "no" votes put it among the least helpful (three people: anonymous visitors
    // count once per address, and every test client shares 127.0.0.1).
    for n in 0..3 {
        let mut reader = app.member(&format!("reader{n}"));
        reader
            .submit(&path, &format!("/kb/{id}/feedback"), &[("helpful", "no")])
            .assert_status(303);
    }
    let worst =
        extract_between(&staff.get("/staff/kb").body, "h-worst", "h-drafts").unwrap_or_default();
    assert!(worst.contains(&path), "{worst}");
    assert!(worst.contains("0% of 3"));
}

#[test]
fn duplicates_point_to_the_article_and_candidates_rank_threads() {
    let Setup {
        app,
        mut member,
        mut staff,
        mut member_api,
        mut staff_api,
    } = setup();
    let (popular, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Smart plug will not pair with the hub",
        "Pairing fails every time.",
        "Move the plug within two metres of the hub while pairing.",
    );
    let (quiet, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Remote control battery drains fast",
        "Batteries last a week.",
        "Update the remote firmware.",
    );
    app.wait_for_index();
    // Later questions with a similar title count for the popular thread.
    let dup = {
        let r = member_api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Smart plug does not pair with my hub", "body": "Same problem.", "category": "general"}),
        );
        r.assert_status(201);
        r.json()["id"].as_i64().expect("id")
    };
    let popular_path = member.get(&format!("/t/{popular}")).location().to_string();
    for _ in 0..3 {
        Client::new(&app).get(&popular_path).assert_status(200);
    }
    // The count is written in the background: wait for it.
    let similar = |app: &TestApp| -> i32 {
        app.db
            .read_blocking(move |conn| {
                use diesel::prelude::*;
                use peerdesk::db::schema::threads;
                Ok(threads::table
                    .find(popular)
                    .select(threads::similar_asked)
                    .first::<i32>(conn)?)
            })
            .expect("similar_asked")
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while similar(&app) < 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "similar question not counted"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Closing a question as a duplicate counts too, and points to the canonical thread.
    let dup_path = member.get(&format!("/t/{dup}")).location().to_string();
    staff
        .submit(
            &dup_path,
            &format!("/t/{dup}/close"),
            &[
                ("action", "close"),
                ("duplicate_of", &format!("{}{popular_path}", app.base)),
            ],
        )
        .assert_status(303);
    assert_eq!(similar(&app), 2);
    let page = member.get(&dup_path);
    assert!(page.body.contains("Closed as a duplicate of"));
    assert!(page.body.contains(&format!("href=\"{popular_path}\"")));
    assert_eq!(
        member_api.get(&format!("/api/v1/threads/{dup}")).json()["duplicate_of_id"].as_i64(),
        Some(popular)
    );

    let page = staff.get("/staff/kb/candidates");
    page.assert_status(200);
    let rows = extract_between(&page.body, "<tbody>", "</tbody>").expect("rows");
    let first = rows
        .find(&format!("/t/{popular}/promote"))
        .expect("popular listed");
    let second = rows
        .find(&format!("/t/{quiet}/promote"))
        .expect("quiet listed");
    assert!(first < second, "more asked-again ranks first");
    assert!(rows.contains("<td>3</td>"), "three views counted: {rows}");
    assert!(
        !rows.contains(&format!("/t/{dup}/promote")),
        "unsolved and duplicates are not candidates"
    );

    // Once promoted, the duplicate points to the article and the candidate is gone.
    let (_, url) = promote_api(&mut staff_api, popular, json!({}));
    let article_path = path_of(&url);
    let page = member.get(&dup_path);
    assert!(page.body.contains("The answer is in the knowledge base"));
    assert!(page.body.contains(&format!("href=\"{article_path}\"")));
    let rows = staff.get("/staff/kb/candidates").body;
    assert!(!rows.contains(&format!("/t/{popular}/promote")));

    // Bad duplicate targets are refused; nothing changes.
    let quiet_path = member.get(&format!("/t/{quiet}")).location().to_string();
    for target in [quiet.to_string(), "999999".to_string()] {
        staff
            .submit(
                &quiet_path,
                &format!("/t/{quiet}/close"),
                &[("action", "close"), ("duplicate_of", &target)],
            )
            .assert_status(422);
    }
    // No cycles: the canonical thread cannot become a duplicate of its own duplicate.
    staff
        .submit(
            &popular_path,
            &format!("/t/{popular}/close"),
            &[("action", "close"), ("duplicate_of", &dup.to_string())],
        )
        .assert_status(422);
    staff
        .submit(
            &dup_path,
            &format!("/t/{dup}/close"),
            &[("action", "close"), ("duplicate_of", "/t/abc")],
        )
        .assert_status(422);
}

#[test]
fn bad_input_is_refused_and_writes_nothing() {
    let Setup {
        app,
        mut staff,
        mut member_api,
        mut staff_api,
        ..
    } = setup();
    let (thread, _) = solved_thread(
        &mut member_api,
        &mut staff_api,
        "Speaker drops Bluetooth connection",
        "It drops.",
        "Forget the device and pair again.",
    );
    let unsolved = {
        let r = member_api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Speaker volume resets itself", "body": "Why?", "category": "general"}),
        );
        r.json()["id"].as_i64().expect("id")
    };
    let other_answer = {
        let r = staff_api.send_json(
            "POST",
            &format!("/api/v1/threads/{unsolved}/posts"),
            json!({"body": "Check the app volume limit."}),
        );
        r.json()["id"].as_i64().expect("id")
    };
    let sections = app.count("kb_sections");
    let promote = format!("/api/v1/threads/{thread}/promote");
    let cases = [
        (json!({"title": ""}), 422),
        (json!({"title": "short"}), 422),
        (json!({"body": "   "}), 422),
        (json!({"body": "x".repeat(40_001)}), 413),
        (
            json!({"section": "New section", "review_by": "31/12/2030"}),
            422,
        ),
        (json!({"section": "!!"}), 422),
        (json!({"applies_to": ["x".repeat(41)]}), 422),
        (json!({"status": "archived"}), 422),
        (json!({"post_id": other_answer}), 422),
        (json!({"post_id": 987654}), 404),
        (json!({"title": "NUL \u{0} in the title"}), 422),
        (json!({"title": 42}), 400),
    ];
    for (body, status) in cases {
        let r = staff_api.send_json("POST", &promote, body.clone());
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    staff_api
        .send_raw("POST", &promote, "application/json", b"{not json")
        .assert_status(400);
    // No accepted answer and no answer chosen: 409. Unknown thread: 404.
    staff_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{unsolved}/promote"),
            json!({"section": "Brand new"}),
        )
        .assert_status(409);
    staff_api
        .send_json("POST", "/api/v1/threads/424242/promote", json!({}))
        .assert_status(404);
    staff
        .get(&format!("/t/{unsolved}/promote"))
        .assert_status(409);
    staff.get("/t/424242/promote").assert_status(404);
    assert_eq!(app.count("kb_articles"), 0);
    assert_eq!(app.count("kb_revisions"), 0);
    assert_eq!(app.count("kb_sections"), sections, "no section left behind");

    // The form re-shows the editor with the message and a 4xx.
    let r = staff.submit(
        &format!("/t/{thread}/promote"),
        &format!("/t/{thread}/promote"),
        &[("title", "tiny"), ("body", "text"), ("action", "publish")],
    );
    r.assert_status(422);
    assert!(r.body.contains("at least 10 characters"));
    assert!(r.body.contains("value=\"tiny\""), "input kept");
    // Preview renders without saving.
    let r = staff.submit(
        &format!("/t/{thread}/promote"),
        &format!("/t/{thread}/promote"),
        &[
            ("title", "Speaker loses Bluetooth"),
            ("body", "**bold** <script>alert(1)</script>"),
            ("action", "preview"),
        ],
    );
    r.assert_status(200);
    assert!(r.body.contains("<strong>bold</strong>"));
    assert!(!r.body.contains("<script>alert(1)"));
    assert_eq!(app.count("kb_articles"), 0);

    // Hostile markdown is sanitised on the article page.
    let (id, url) = promote_api(
        &mut staff_api,
        thread,
        json!({"body": "<img src=x onerror=alert(1)> [x](javascript:alert(2)) </script><script>alert(3)</script>"}),
    );
    let html = Client::new(&app).get(&path_of(&url)).body;
    assert!(
        !html.contains("<img src=x onerror"),
        "raw HTML shows as text"
    );
    assert!(html.contains("&lt;img src=x onerror"));
    assert!(!html.contains("href=\"javascript:"));
    assert!(!html.contains("<script>alert(3)"));
    // Wrong ids and shapes.
    let mut anon = Client::new(&app);
    anon.get("/kb/999999").assert_status(404);
    anon.get("/kb/abc").assert_status(404);
    anon.get("/api/v1/kb/articles/999999").assert_status(404);
    anon.get("/api/v1/kb/articles/abc").assert_status(404);
    anon.get("/kb/s/no-such-section").assert_status(404);
    anon.get("/api/v1/kb/articles?limit=0").assert_status(422);
    anon.get("/api/v1/kb/articles?status=weird")
        .assert_status(422);
    staff_api
        .send_json(
            "PATCH",
            "/api/v1/kb/articles/999999",
            json!({"title": "Does not exist at all"}),
        )
        .assert_status(404);
    staff_api
        .send_json("PATCH", &format!("/api/v1/kb/articles/{id}"), json!({}))
        .assert_status(422);
    staff_api
        .send_json(
            "PATCH",
            &format!("/api/v1/kb/articles/{id}"),
            json!({"body": ""}),
        )
        .assert_status(422);
    anon.submit(&path_of(&url), "/kb/999999/feedback", &[("helpful", "yes")])
        .assert_status(404);
    assert_eq!(app.count("kb_revisions"), 1);
}
