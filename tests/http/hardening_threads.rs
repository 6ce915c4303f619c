//! Hardening of threads: rendered HTML is bounded per post (what renders too large is refused on
//! every write, with nothing written), thread pages and the thread API are paginated (accepted
//! answer and the top-voted first, links that work without JavaScript, redirects to the page an
//! answer is on), and asking never fails because a customer has many saved setup entries.

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

/// The cap on rendered HTML per post (`peerdesk::render::markdown::MAX_HTML_BYTES`).
const CAP: usize = 256 * 1024;

/// A markdown table of `columns` columns and `rows` rows of one letter: every row is padded with
/// empty cells, so a few characters become many bytes of HTML.
fn padded_table(columns: usize, rows: usize) -> String {
    let mut md = String::new();
    md.push_str(&"|a".repeat(columns));
    md.push_str("|\n");
    md.push_str(&"|-".repeat(columns));
    md.push_str("|\n");
    md.push_str(&"x\n".repeat(rows));
    md
}

/// The example: under 40,000 characters that render to 2.4 MB of HTML.
fn huge_table() -> String {
    let md = padded_table(100, 19_000);
    assert!(md.chars().count() < 40_000);
    md
}

/// An answer whose HTML is just under the cap (checked by the caller on `body_html`).
fn near_cap_table() -> String {
    padded_table(2, 8_900)
}

#[test]
fn text_that_renders_too_large_is_refused_everywhere_and_nothing_is_written() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let mut asker_api = Client::api(&app, &app.token_for("asker"));
    let mut staff_api = Client::api(&app, &app.token_for("sam"));
    let big = huge_table();
    let said_why = |body: &str| {
        assert!(
            body.contains("renders to") && body.contains("the limit is 256 KB"),
            "the message says how large and the limit: {}",
            &body[..body.len().min(3000)]
        );
    };
    let counts = |app: &TestApp| {
        (
            app.count("threads"),
            app.count("posts"),
            app.count("post_revisions"),
            app.count("comments"),
            app.count("events"),
            app.count("kb_articles"),
        )
    };
    let path = app.ask(&mut asker, "Router drops WiFi every evening", "Since 2.1.");
    let thread = thread_id(&path);
    let before = counts(&app);

    // Asking: the form is shown again with the text and the reason; the API answers 422.
    let r = asker.submit(
        "/ask",
        "/ask",
        &[
            ("title", "A table that is far too large"),
            ("body", &big),
            ("category", "general"),
            ("tags", ""),
            ("action", "post"),
        ],
    );
    r.assert_status(422);
    said_why(&r.body);
    assert!(
        r.body.contains("A table that is far too large"),
        "form kept"
    );
    let r = asker_api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "A table that is far too large", "body": big, "category": "general"}),
    );
    r.assert_status(422);
    assert_eq!(r.json()["error"], "invalid");
    said_why(r.json()["message"].as_str().expect("message"));

    // Answering, following up, internal notes: form and API.
    let r = staff.submit(&path, &format!("/t/{thread}/answers"), &[("body", &big)]);
    r.assert_status(422);
    said_why(&r.body);
    let r = staff_api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": big }),
    );
    r.assert_status(422);
    said_why(&r.body);
    asker
        .submit(&path, &format!("/t/{thread}/followups"), &[("body", &big)])
        .assert_status(422);
    staff
        .submit(&path, &format!("/t/{thread}/notes"), &[("body", &big)])
        .assert_status(422);

    // Editing: the edit form again with the reason; the API 422; no new revision.
    let question = post_ids(&asker.get(&path).body)[0];
    let r = asker.submit(
        &format!("/p/{question}/edit"),
        &format!("/p/{question}/edit"),
        &[
            ("title", "Router drops WiFi every evening"),
            ("tags", ""),
            ("body", &big),
            ("summary", "more detail"),
            ("action", "save"),
        ],
    );
    r.assert_status(422);
    said_why(&r.body);
    asker_api
        .send_json(
            "PATCH",
            &format!("/api/v1/posts/{question}"),
            json!({ "body": big }),
        )
        .assert_status(422);

    // Previews say so too, instead of sending megabytes back.
    let r = asker.submit(&path, "/preview", &[("body", &big)]);
    r.assert_status(422);
    said_why(&r.body);
    let r = asker.submit(
        "/ask",
        "/ask",
        &[
            ("title", "A table that is far too large"),
            ("body", &big),
            ("category", "general"),
            ("action", "preview"),
        ],
    );
    r.assert_status(422);
    said_why(&r.body);

    // Knowledge base: promoting with a body, writing an article.
    let answer = staff_api
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": "Turn off band steering."}),
        )
        .json()["id"]
        .as_i64()
        .expect("answer");
    let before = (
        before.0,
        before.1 + 1,
        before.2 + 1,
        before.3,
        before.4 + 1,
        before.5,
    );
    let r = staff_api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/promote"),
        json!({"post_id": answer, "body": big, "title": "WiFi drops every evening"}),
    );
    r.assert_status(422);
    said_why(&r.body);
    let r = staff.submit(
        "/kb/new",
        "/kb/new",
        &[
            ("title", "A knowledge-base table too large"),
            ("body", &big),
            ("section", "General"),
            ("applies_to", ""),
            ("review_by", ""),
            ("summary", ""),
            ("action", "draft"),
        ],
    );
    r.assert_status(422);
    said_why(&r.body);

    assert_eq!(counts(&app), before, "nothing written");

    // A long text that stays under the cap is fine: 40,000 `&` escape to 200,000 bytes.
    let ampersands = "&".repeat(40_000);
    let r = staff_api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": ampersands }),
    );
    r.assert_status(201);
    assert!(r.json()["body_html"].as_str().expect("html").len() <= CAP);
}

/// Answers of a thread, page after page, following the `rel="next"` links; returns the post ids
/// of each page (the question first on each) and the pages' sizes in bytes.
fn walk_pages(client: &mut Client, path: &str) -> (Vec<Vec<i64>>, Vec<usize>) {
    let mut pages = Vec::new();
    let mut sizes = Vec::new();
    let mut next = Some(path.to_string());
    while let Some(url) = next.take() {
        let page = client.get(&url);
        page.assert_status(200);
        sizes.push(page.body.len());
        pages.push(post_ids(&page.body));
        next = extract_between(&page.body, "<a rel=\"next\" href=\"", "\"")
            .map(|u| u.replace("&amp;", "&"));
        assert!(pages.len() < 100, "the next links never end");
    }
    (pages, sizes)
}

#[test]
fn a_thread_of_large_answers_is_paginated_and_every_page_stays_small() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    app.member("helper");
    let mut helper = Client::api(&app, &app.token_for("helper"));
    let path = app.ask(
        &mut asker,
        "Thirty-one answers near the cap",
        "Which is right?",
    );
    let thread = thread_id(&path);
    let body = near_cap_table();
    let mut answers = Vec::new();
    let mut answer_bytes = 0;
    for _ in 0..31 {
        let r = helper.send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/posts"),
            json!({ "body": body }),
        );
        r.assert_status(201);
        let html = r.json()["body_html"].as_str().expect("html").len();
        answer_bytes = answer_bytes.max(html);
        assert!(
            (CAP * 9 / 10..=CAP).contains(&html),
            "each answer renders near the cap: {html} bytes"
        );
        answers.push(r.json()["id"].as_i64().expect("id"));
    }

    let mut anon = Client::new(&app);
    let (pages, sizes) = walk_pages(&mut anon, &path);
    let api_size = anon.get(&format!("/api/v1/threads/{thread}")).body.len();
    println!(
        "31 answers of up to {answer_bytes} bytes of HTML each: {} page(s); first page {} bytes, \
         largest {} bytes, all pages {} bytes; API first page {api_size} bytes",
        pages.len(),
        sizes[0],
        sizes.iter().max().copied().unwrap_or(0),
        sizes.iter().sum::<usize>(),
    );
    // Every page is small (the answers' HTML is bounded per page), and has the question.
    for (i, size) in sizes.iter().enumerate() {
        assert!(*size < 1024 * 1024, "page {} is {size} bytes", i + 1);
    }
    let question = pages[0][0];
    assert!(pages.iter().all(|p| p.first() == Some(&question)));
    // Every answer on exactly one page, in order (equal scores: older first).
    let seen: Vec<i64> = pages.iter().flat_map(|p| p[1..].to_vec()).collect();
    assert_eq!(seen, answers);
    assert!(pages.len() > 1);
    // Page links are plain links: previous, numbers, next; page 1 is the canonical URL.
    let second = anon.get(&format!("{path}?page=2")).body;
    assert!(
        second.contains(&format!("<a rel=\"prev\" href=\"{path}\"")),
        "{second}"
    );
    assert!(second.contains(&format!(
        "<link rel=\"canonical\" href=\"{}{path}?page=2\">",
        app.base
    )));
    let first = anon.get(&path).body;
    assert!(first.contains(&format!(
        "<link rel=\"canonical\" href=\"{}{path}\">",
        app.base
    )));
    assert!(first.contains("31 answers"));
    // Past the last page: 404; nonsense: 4xx, never 500.
    let last = pages.len();
    anon.get(&format!("{path}?page={}", last + 1))
        .assert_status(404);
    for bad in ["0", "-1", "abc", "99999999999999999999"] {
        let r = anon.get(&format!("{path}?page={bad}"));
        assert!((400..500).contains(&r.status), "page={bad}: {}", r.status);
    }

    // The API: the same pages, with the paging fields, and bounded too.
    let r = anon.get(&format!("/api/v1/threads/{thread}"));
    r.assert_status(200);
    assert!(
        r.body.len() < 1024 * 1024,
        "API page is {} bytes",
        r.body.len()
    );
    let j = r.json();
    assert_eq!(j["answer_count"], 31);
    assert_eq!(j["page"], 1);
    assert_eq!(j["has_more"], true);
    assert_eq!(j["posts"][0]["kind"], "question");
    let mut via_api = Vec::new();
    let mut page = 1;
    loop {
        let j = anon
            .get(&format!("/api/v1/threads/{thread}?page={page}&per_page=5"))
            .json();
        let posts = j["posts"].as_array().expect("posts").clone();
        assert_eq!(posts[0]["kind"], "question");
        assert!(posts.len() <= 6);
        via_api.extend(posts[1..].iter().filter_map(|p| p["id"].as_i64()));
        if j["has_more"] != true {
            assert_eq!(j["page_count"], page);
            break;
        }
        page += 1;
        assert!(page < 100);
    }
    assert_eq!(via_api, answers);
    for bad in ["per_page=0", "per_page=101", "page=0", "page=x"] {
        let r = anon.get(&format!("/api/v1/threads/{thread}?{bad}"));
        assert!((400..500).contains(&r.status), "{bad}: {}", r.status);
    }
    anon.get(&format!("/api/v1/threads/{thread}?page=999"))
        .assert_status(404);
    // The timeline beside every page stays bounded too: the latest answers, the rest counted.
    let answered = j["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["kind"] == "answered")
        .count();
    assert!(answered <= 20, "{answered} answered entries");
    assert!(
        j["timeline"].to_string().contains("11 earlier answers"),
        "{}",
        j["timeline"]
    );
}

#[test]
fn answers_are_ordered_across_pages_and_links_find_the_page_of_an_answer() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let mut helper = app.member("helper");
    let mut voter = app.member("voter");
    let mut watcher = app.member("watcher");
    let path = app.ask(&mut asker, "Many small answers to one question", "Go.");
    let thread = thread_id(&path);
    // Someone saw the thread before the answers came.
    watcher.get(&path).assert_status(200);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut answers = Vec::new();
    for i in 0..32 {
        let r = helper.submit(
            &path,
            &format!("/t/{thread}/answers"),
            &[("body", &format!("Answer number {i}."))],
        );
        r.assert_status(303);
        let id: i64 = r
            .location()
            .rsplit("#post-")
            .next()
            .and_then(|s| s.parse().ok())
            .expect("post id");
        // The redirect goes to the page the new answer is on (30 per page: 31 and 32 on page 2).
        if i < 30 {
            assert_eq!(r.location(), format!("{path}#post-{id}"));
        } else {
            assert_eq!(r.location(), format!("{path}?page=2#post-{id}"));
        }
        answers.push(id);
    }
    let second = helper.get(&format!("{path}?page=2"));
    assert_eq!(post_ids(&second.body)[1..], answers[30..]);
    // A comment on an answer of page 2 comes back to page 2.
    let r = helper.submit(
        &path,
        &format!("/p/{}/comments", answers[31]),
        &[("body", "A small correction.")],
    );
    assert_eq!(r.location(), format!("{path}?page=2#post-{}", answers[31]));
    // A permalink finds the answer's page wherever votes move it.
    let r = Client::new(&app).get(&format!("/p/{}", answers[31]));
    r.assert_status(303);
    assert_eq!(r.location(), format!("{path}?page=2#post-{}", answers[31]));
    // Votes move an answer up: it is on page 1 now, and its links say so.
    let r = voter.submit(
        &path,
        &format!("/p/{}/vote", answers[31]),
        &[("value", "1")],
    );
    assert_eq!(r.location(), format!("{path}#post-{}", answers[31]));
    let first = post_ids(&Client::new(&app).get(&path).body);
    assert_eq!(first[1], answers[31], "top-voted first");
    // The accepted answer comes before it, even with a lower score.
    let r = asker.submit(&path, &format!("/p/{}/accept", answers[30]), &[]);
    assert_eq!(r.location(), format!("{path}#post-{}", answers[30]));
    let first = post_ids(&Client::new(&app).get(&path).body);
    assert_eq!(first[1..4], [answers[30], answers[31], answers[0]]);
    let j = Client::new(&app)
        .get(&format!("/api/v1/threads/{thread}?per_page=3"))
        .json();
    let ids: Vec<i64> = j["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .skip(1)
        .filter_map(|p| p["id"].as_i64())
        .collect();
    assert_eq!(ids, [answers[30], answers[31], answers[0]]);
    assert_eq!(j["per_page"], 3);
    assert_eq!(j["page_count"], 11);
    // Links name the thread's own pages (30 answers each), whatever the API's page size.
    assert!(
        j["timeline"]
            .to_string()
            .contains(&format!("{path}?page=2#post-{}", answers[29])),
        "{}",
        j["timeline"]
    );

    // Since the last visit counts every new answer, not only those on the page.
    let back = watcher.get(&path).body;
    assert!(back.contains("32 new answers"), "{back}");
    assert!(back.contains("1 new comment"), "{back}");
    // The timeline links an answer on another page with its page.
    let last = answers[29];
    assert!(
        back.contains(&format!("href=\"{path}?page=2#post-{last}\"")),
        "timeline link to page 2"
    );
}

/// Saved setup entries of `handle` for the product "general", through the API; their ids.
fn save_setup(app: &TestApp, handle: &str, n: usize) -> Vec<i64> {
    let mut api = Client::api(app, &app.token_for(handle));
    (0..n)
        .map(|i| {
            let r = api.send_json(
                "POST",
                "/api/v1/me/setup",
                json!({"product": "general", "version": format!("1.{i}"), "platform": format!("Box {i}")}),
            );
            r.assert_status(201);
            r.json()["id"].as_i64().expect("id")
        })
        .collect()
}

fn attached_versions(j: &serde_json::Value) -> Vec<String> {
    j["setup"]
        .as_array()
        .expect("setup")
        .iter()
        .filter_map(|e| e["version"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn asking_with_twenty_saved_setup_entries_attaches_ten_and_never_fails() {
    let app = spawn_app();
    let mut customer = app.member("carla");
    let ids = save_setup(&app, "carla", 20);
    let mut api = Client::api(&app, &app.token_for("carla"));
    // The oldest two were updated last: they are the most relevant now.
    std::thread::sleep(std::time::Duration::from_millis(20));
    for id in &ids[..2] {
        api.send_json(
            "PATCH",
            &format!("/api/v1/me/setup/{id}"),
            json!({"notes": "updated today"}),
        )
        .assert_status(200);
    }

    // The API without `setup`: the ten most recently updated entries of the product.
    let r = api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Sync stops after the update", "body": "Every hour.", "category": "general"}),
    );
    r.assert_status(201);
    let j = r.json();
    let versions = attached_versions(&j);
    assert_eq!(versions.len(), 10, "{j}");
    for v in ["1.0", "1.1", "1.19", "1.18"] {
        assert!(versions.contains(&v.to_string()), "{v} in {versions:?}");
    }
    assert!(!versions.contains(&"1.2".to_string()), "{versions:?}");
    assert_eq!(j["setup_left_out"], 10);

    // The API with twelve listed: the first ten, and the response says so.
    let listed: Vec<serde_json::Value> = ids[5..17].iter().map(|id| json!({ "id": id })).collect();
    let r = api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": "Second question about the sync", "body": "Still.", "category": "general", "setup": listed}),
    );
    r.assert_status(201);
    let j = r.json();
    let expected: Vec<String> = (5..15).map(|i| format!("1.{i}")).collect();
    assert_eq!(attached_versions(&j), expected);
    assert_eq!(j["setup_left_out"], 2);
    assert!(
        j["notice"].as_str().unwrap_or_default().contains("10"),
        "{j}"
    );

    // The ask form ticks the ten most relevant and says why not all.
    let form = customer.get("/ask?category=general").body;
    let ticked = form.matches("class=\"setup-attach\" checked").count();
    assert_eq!(ticked, 10, "ten ticked");
    assert!(
        form.contains("up to 10"),
        "the form says how many go with a question"
    );
    // Submitted with everything ticked, the question is asked with ten.
    let mut fields: Vec<(String, String)> = vec![
        ("title".into(), "Third question about the sync".into()),
        ("body".into(), "Again.".into()),
        ("category".into(), "general".into()),
        ("tags".into(), "".into()),
        ("action".into(), "post".into()),
        ("setup_shown".into(), "1".into()),
    ];
    for (i, id) in ids.iter().enumerate() {
        fields.push((format!("setup_{id}_attach"), "1".into()));
        fields.push((format!("setup_{id}_version"), format!("1.{i}")));
        fields.push((format!("setup_{id}_platform"), format!("Box {i}")));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let threads_before = app.count("threads");
    let r = customer.submit("/ask", "/ask", &refs);
    r.assert_status(303);
    assert_eq!(app.count("threads"), threads_before + 1);
    let id = thread_id(r.location());
    let j = api.get(&format!("/api/v1/threads/{id}")).json();
    assert_eq!(attached_versions(&j).len(), 10, "{j}");
    // Nothing lost from the saved setup.
    assert_eq!(
        api.get("/api/v1/me/setup").json()["setup"]
            .as_array()
            .map(Vec::len),
        Some(20)
    );
}

#[test]
fn rerender_brings_old_oversized_posts_under_the_cap() {
    use diesel::prelude::*;
    use peerdesk::db::schema::posts;
    let app = spawn_app();
    let mut asker = app.member("asker");
    let mut helper = app.member("helper");
    let path = app.ask(&mut asker, "A thread from before the cap", "Old.");
    let thread = thread_id(&path);
    helper
        .submit(
            &path,
            &format!("/t/{thread}/answers"),
            &[("body", "Small.")],
        )
        .assert_status(303);
    let answer = post_ids(&asker.get(&path).body)[1];
    // Stored by an older version: megabytes of HTML.
    let big = huge_table();
    let html = format!("<table>{}</table>", "<tr><td></td></tr>".repeat(150_000));
    app.db
        .write_blocking(move |conn| {
            diesel::update(posts::table.find(answer))
                .set((
                    posts::body_md.eq(big),
                    posts::body_html.eq(html),
                    posts::render_version.eq(0),
                ))
                .execute(conn)?;
            Ok(())
        })
        .expect("legacy post");
    let n = peerdesk::threads::rerender_all(&app.db).expect("rerender");
    assert!(n >= 1);
    let post = app
        .db
        .read_blocking(move |conn| peerdesk::threads::find_post(conn, answer))
        .expect("post");
    assert!(
        post.body_html.len() <= CAP,
        "{} bytes after rerender",
        post.body_html.len()
    );
    let page = Client::new(&app).get(&path);
    page.assert_status(200);
    assert!(page.body.len() < 1024 * 1024);
}
