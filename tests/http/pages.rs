//! Listing pages, canonical URLs, themes, JavaScript-free forms.

use crate::helpers::*;

#[test]
fn listing_pages_render() {
    let app = spawn_app();
    let mut m = app.member("lister");
    let path = app.ask(
        &mut m,
        "Port forwarding does not work for my game",
        "UDP 3074.",
    );
    let mut anon = Client::new(&app);
    for page in [
        "/",
        "/?tab=unanswered",
        "/?tab=solved",
        "/categories",
        "/c/general",
        "/c/general?status=open",
        "/tags",
        "/tags/wifi",
        "/u/lister",
        "/?page=2",
    ] {
        let r = anon.get(page);
        assert_eq!(r.status, 200, "{page}: {}", r.body);
        assert!(r.body.contains("</html>"), "{page}");
    }
    assert!(anon.get("/tags/wifi").body.contains(&path));
    assert!(anon.get("/c/general").body.contains(&path));
    // Counts are kept in step with every ask and every tag change.
    assert!(anon.get("/categories").body.contains("1 question<"));
    let tags = anon.get("/tags");
    assert!(tags.body.contains("× 1<"), "{}", tags.body);
    let qid = post_ids(&anon.get(&path).body)[0];
    let edit = format!("/p/{qid}/edit");
    m.submit(
        &edit,
        &edit,
        &[
            ("title", "Port forwarding does not work for my game"),
            ("tags", "nat"),
            ("body", "UDP 3074."),
            ("action", "save"),
        ],
    )
    .assert_status(303);
    let tags = anon.get("/tags");
    assert!(
        tags.body
            .contains("/tags/nat\" data-user>nat</a> <span class=\"muted\">× 1<"),
        "{}",
        tags.body
    );
    assert!(tags
        .body
        .contains("/tags/wifi\" data-user>wifi</a> <span class=\"muted\">× 0<"));
    anon.get("/?tab=bogus").assert_status(422);
    anon.get("/?page=0").assert_status(422);
    anon.get("/?page=abc").assert_status(400);
    anon.get("/c/nope").assert_status(404);
    anon.get("/tags/nope").assert_status(404);
    anon.get("/no/such/page").assert_status(404);
}

#[test]
fn threads_have_one_canonical_url() {
    let app = spawn_app();
    let mut m = app.member("canon");
    let path = app.ask(
        &mut m,
        "Cannot log in after password reset",
        "Loop back to the login page.",
    );
    let id = thread_id(&path);
    let mut anon = Client::new(&app);
    let r = anon.get(&format!("/t/{id}"));
    r.assert_status(301);
    assert_eq!(r.location(), path);
    let r = anon.get(&format!("/t/{id}/wrong-slug"));
    r.assert_status(301);
    assert_eq!(r.location(), path);
    let page = anon.get(&path);
    assert!(page.body.contains(&format!(
        "<link rel=\"canonical\" href=\"{}{}\">",
        app.base, path
    )));
    assert!(page.body.contains("\"@type\":\"QAPage\""));
    anon.get("/t/999999").assert_status(404);
    anon.get("/t/abc/x").assert_status(404);
}

#[test]
fn the_ask_form_previews_without_javascript_and_keeps_input_on_errors() {
    let app = spawn_app();
    let mut m = app.member("previewer");
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "Preview title here"),
            ("body", "# Heading\n\n*emphasis*"),
            ("category", "general"),
            ("tags", ""),
            ("action", "preview"),
        ],
    );
    r.assert_status(200);
    assert!(r.body.contains("<h1>Heading</h1>"));
    assert!(r.body.contains("<em>emphasis</em>"));
    assert_eq!(app.count("threads"), 0);
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "short"),
            ("body", "kept body text"),
            ("category", "general"),
            ("action", "post"),
        ],
    );
    r.assert_status(422);
    assert!(r.body.contains("at least 10 characters"));
    assert!(r.body.contains("kept body text"));
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "A long enough title"),
            ("body", "text"),
            ("category", "no-such-product"),
            ("action", "post"),
        ],
    );
    r.assert_status(422);
    assert!(r.body.contains("unknown category"));
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "A long enough title"),
            ("body", "text"),
            ("category", "general"),
            ("tags", "a,b,c,d,e,f"),
            ("action", "post"),
        ],
    );
    r.assert_status(422);
    assert_eq!(app.count("threads"), 0);
    // Anonymous visitors are sent to sign in first.
    let r = Client::new(&app).get("/ask");
    r.assert_status(303);
    assert_eq!(r.location(), "/login?next=/ask");
}

#[test]
fn a_theme_overrides_files_by_name_and_falls_back_to_default() {
    let app = spawn_app_with(|s| s.theme.name = "dark".into());
    let mut anon = Client::new(&app);
    let home = anon.get("/");
    home.assert_status(200);
    assert!(
        home.body.contains("dark-footer"),
        "dark footer template overrides the default"
    );
    assert!(
        home.body.contains("Questions"),
        "home.html comes from the default theme"
    );
    let css = anon.get("/static/css/theme.css");
    css.assert_status(200);
    assert!(css.body.contains("always dark"));
    assert!(css
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/css"));
    let base_css = anon.get("/static/css/peerdesk.css");
    base_css.assert_status(200);
    anon.get("/static/../Cargo.toml").assert_status(404);
    anon.get("/static/css/nope.css").assert_status(404);
}

#[test]
fn unknown_theme_is_refused_at_start() {
    let mut settings = peerdesk::config::Settings::default();
    settings.theme.dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes").into();
    settings.theme.name = "no-such-theme".into();
    let dir = tempfile::tempdir().expect("tmp");
    settings.database.url = format!("sqlite://{}/x.db", dir.path().display());
    assert!(peerdesk::prepare(settings).is_err());
}

#[test]
fn head_requests_and_wrong_methods() {
    let app = spawn_app();
    let mut anon = Client::new(&app);
    let r = anon.send_raw("HEAD", "/", "text/plain", b"");
    r.assert_status(200);
    assert!(r.body.is_empty());
    anon.send_raw("GET", "/logout", "text/plain", b"")
        .assert_status(405);
    let r = anon.send_raw("PUT", "/api/v1/threads", "application/json", b"{}");
    r.assert_status(405);
    assert_eq!(r.json()["error"], "method_not_allowed");
}

#[test]
fn titles_without_latin_letters_and_odd_tags_stay_reachable() {
    let app = spawn_app();
    let mut m = app.member("polyglot");
    let r = m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "Роутер не подключается к сети"),
            ("body", "Помогите"),
            ("category", "general"),
            ("tags", "c#, c++"),
            ("action", "post"),
        ],
    );
    r.assert_status(303);
    let path = r.location().to_string();
    assert!(path.ends_with("/question"), "{path}");
    let mut anon = Client::new(&app);
    let page = anon.get(&path);
    page.assert_status(200);
    assert!(page.body.contains("Роутер не подключается к сети"));
    assert!(
        page.body.contains("href=\"/tags/c%23\""),
        "tag links are URL-encoded"
    );
    anon.get("/tags/c%23").assert_status(200);
    anon.get("/tags/c%2B%2B").assert_status(200);
    m.submit(
        "/ask",
        "/ask",
        &[
            ("title", "A question with a silly tag"),
            ("body", "x"),
            ("category", "general"),
            ("tags", ".."),
            ("action", "post"),
        ],
    )
    .assert_status(422);
}
