//! What search engines are offered: robots.txt, the sitemap index and its pages (well-formed,
//! listing answered public threads, published articles and categories, never hidden, unlisted,
//! unanswered or draft content), and link-preview meta on threads and articles.

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

fn ask(c: &mut Client, title: &str, body: &str) -> i64 {
    let r = c.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": body, "category": "general"}),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().expect("id")
}

fn answer(c: &mut Client, thread: i64) -> i64 {
    let r = c.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "Hold the reset button for ten seconds."}),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().expect("id")
}

/// A server with an asker, a staff member and a moderator, each with an API client.
fn cast() -> (TestApp, Client, Client, Client) {
    let app = spawn_app();
    app.member("asker");
    app.user_with_role("mod", Role::Moderator, "", "");
    app.user_with_role("sam", Role::Staff, "Sam Support", "Support");
    let asker = Client::api(&app, &app.token_for("asker"));
    let staff = Client::api(&app, &app.token_for("sam"));
    let moderator = Client::api(&app, &app.token_for("mod"));
    (app, asker, staff, moderator)
}

fn unlist(moderator: &mut Client, thread: i64) {
    moderator
        .send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/unlist"),
            json!({"unlisted": true, "reason": "Internal"}),
        )
        .assert_status(200);
}

/// The `<loc>`s of a sitemap document (which must parse as XML in the sitemap namespace).
fn locs(xml: &str, element: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    assert_eq!(doc.root_element().tag_name().name(), element);
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn search_engines_get_robots_a_sitemap_and_previews_of_public_content_only() {
    let (app, mut asker, mut staff, mut moderator) = cast();
    let answered = ask(
        &mut asker,
        "Router & modem <reset> loses settings",
        "After a power cut the router forgets its Wi-Fi name.\n\nIt happens every time.",
    );
    let accepted = answer(&mut staff, answered);
    let unanswered = ask(
        &mut asker,
        "Printer queue never empties",
        "Jobs stay queued.",
    );
    let unlisted = ask(&mut asker, "Internal rollout question", "Only for us.");
    answer(&mut staff, unlisted);
    unlist(&mut moderator, unlisted);
    asker
        .send_json(
            "POST",
            &format!("/api/v1/posts/{accepted}/accept"),
            json!({}),
        )
        .assert_status(200);
    let promoted = |staff: &mut Client, thread: i64, status: &str| {
        let r = staff.send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/promote"),
            json!({"status": status, "title": format!("Article {status}")}),
        );
        r.assert_status(201);
        r.json()["url"].as_str().expect("url").to_string()
    };
    let published = promoted(&mut staff, answered, "published");

    let mut anon = Client::new(&app);
    let robots = anon.get("/robots.txt");
    robots.assert_status(200);
    assert!(robots.body.contains("Disallow: /staff"), "{}", robots.body);
    assert!(
        robots
            .body
            .contains(&format!("Sitemap: {}/sitemap.xml", app.base)),
        "{}",
        robots.body
    );

    let index = anon.get("/sitemap.xml");
    index.assert_status(200);
    assert!(index
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/xml")));
    let parts = locs(&index.body, "sitemapindex");
    assert_eq!(
        parts,
        vec![
            format!("{}/sitemap/threads-1.xml", app.base),
            format!("{}/sitemap/kb.xml", app.base),
            format!("{}/sitemap/categories.xml", app.base),
        ]
    );
    let threads = locs(&anon.get("/sitemap/threads-1.xml").body, "urlset");
    let page = anon.get(&format!("/t/{answered}"));
    let answered_url = format!("{}{}", app.base, page.location());
    assert_eq!(
        threads,
        vec![answered_url.clone()],
        "only the answered, listed thread"
    );
    assert!(!threads.iter().any(
        |u| u.contains(&format!("/t/{unanswered}/")) || u.contains(&format!("/t/{unlisted}/"))
    ));
    let articles = locs(&anon.get("/sitemap/kb.xml").body, "urlset");
    assert_eq!(articles, vec![published.clone()]);
    let categories = locs(&anon.get("/sitemap/categories.xml").body, "urlset");
    assert!(
        categories.contains(&format!("{}/c/general", app.base)),
        "{categories:?}"
    );
    // Every page has a last change in W3C form.
    assert!(anon
        .get("/sitemap/threads-1.xml")
        .body
        .contains("<lastmod>20"));
    // A draft never shows; pages past the end and odd names are 404s.
    let draft_thread = ask(&mut asker, "Draft source thread", "Body of it.");
    let a = answer(&mut staff, draft_thread);
    asker
        .send_json("POST", &format!("/api/v1/posts/{a}/accept"), json!({}))
        .assert_status(200);
    let draft = promoted(&mut staff, draft_thread, "draft");
    assert!(!locs(&anon.get("/sitemap/kb.xml").body, "urlset").contains(&draft));
    for bad in [
        "threads-2.xml",
        "threads-0.xml",
        "threads-x.xml",
        "users.xml",
        "threads-99999999999999999999.xml",
    ] {
        anon.get(&format!("/sitemap/{bad}")).assert_status(404);
    }

    // Link previews: title, a plain-text excerpt of the question, the site's name.
    let thread_page = anon.get(&answered_url.replace(&app.base, ""));
    thread_page.assert_status(200);
    for meta in [
        "<meta property=\"og:title\" content=\"Router &amp; modem &lt;reset&gt; loses settings\">",
        "<meta property=\"og:description\" content=\"After a power cut the router forgets its Wi-Fi name. It happens every time.\">",
        "<meta property=\"og:site_name\" content=\"Peerdesk\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert!(thread_page.body.contains(meta), "{meta} in {}", thread_page.body);
    }
    let article = anon.get(&published.replace(&app.base, ""));
    article.assert_status(200);
    assert!(article
        .body
        .contains("<meta property=\"og:title\" content=\"Article published\">"));
    let description = extract_between(
        &article.body,
        "<meta property=\"og:description\" content=\"",
        "\"",
    )
    .unwrap_or_default();
    assert!(
        description.contains("Hold the reset button"),
        "{description}"
    );
}

/// The entries of an Atom feed (which must parse, in the Atom namespace): (title, link).
fn atom(xml: &str) -> (String, Vec<(String, String)>) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(feed.tag_name().name(), "feed");
    let title = |n: roxmltree::Node| {
        n.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default()
            .to_string()
    };
    for required in ["id", "updated"] {
        assert!(
            feed.children().any(|c| c.has_tag_name(required)),
            "{required}: {xml}"
        );
    }
    let entries = feed
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| {
            let link = e
                .children()
                .find(|c| c.has_tag_name("link"))
                .and_then(|l| l.attribute("href"))
                .unwrap_or_default()
                .to_string();
            (title(e), link)
        })
        .collect();
    (title(feed), entries)
}

#[test]
fn atom_feeds_follow_questions_solutions_categories_tags_articles_and_answers() {
    let (app, mut asker, mut staff, mut moderator) = cast();
    let tagged = {
        let r = asker.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Mesh node keeps rebooting", "body": "Every hour, on the dot.", "category": "general", "tags": ["mesh"]}),
        );
        r.assert_status(201);
        r.json()["id"].as_i64().expect("id")
    };
    let solved = ask(
        &mut asker,
        "VPN drops <b>every</b> night",
        "Since the update.",
    );
    let accepted = answer(&mut staff, solved);
    asker
        .send_json(
            "POST",
            &format!("/api/v1/posts/{accepted}/accept"),
            json!({}),
        )
        .assert_status(200);
    let unlisted = ask(&mut asker, "Internal pilot feedback", "For staff.");
    unlist(&mut moderator, unlisted);
    let r = staff.send_json(
        "POST",
        &format!("/api/v1/threads/{solved}/promote"),
        json!({"status": "draft", "title": "Draft about VPNs"}),
    );
    r.assert_status(201);

    let mut anon = Client::new(&app);
    let get = |c: &mut Client, path: &str| {
        let r = c.get(path);
        r.assert_status(200);
        assert!(r
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/atom+xml")));
        atom(&r.body)
    };
    let (title, latest) = get(&mut anon, "/feeds/latest.atom");
    assert_eq!(title, "Latest questions · Peerdesk");
    let titles: Vec<&str> = latest.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        vec!["VPN drops <b>every</b> night", "Mesh node keeps rebooting"]
    );
    assert!(latest[0]
        .1
        .starts_with(&format!("{}/t/{solved}/", app.base)));
    let (_, solved_feed) = get(&mut anon, "/feeds/solved.atom");
    assert_eq!(solved_feed.len(), 1);
    let (title, tag) = get(&mut anon, "/tags/mesh/feed.atom");
    assert_eq!(title, "Questions tagged mesh · Peerdesk");
    assert_eq!(tag.len(), 1);
    assert!(tag[0].1.contains(&format!("/t/{tagged}/")));
    let (_, category) = get(&mut anon, "/c/general/feed.atom");
    assert_eq!(category.len(), 2);
    let (_, answers) = get(&mut anon, &format!("/t/{solved}/feed.atom"));
    assert_eq!(
        answers,
        vec![(
            "VPN drops <b>every</b> night".to_string(),
            format!("{}/p/{accepted}", app.base)
        )]
    );
    // The draft article is not in the knowledge-base feed; nothing hidden from lists is anywhere.
    let (_, kb) = get(&mut anon, "/feeds/kb.atom");
    assert!(kb.is_empty(), "{kb:?}");
    for feed in [&latest, &category] {
        assert!(!feed
            .iter()
            .any(|(_, link)| link.contains(&format!("/t/{unlisted}/"))));
    }
    for missing in [
        format!("/t/{unlisted}/feed.atom"),
        "/t/999999/feed.atom".to_string(),
        "/c/no-such-product/feed.atom".to_string(),
        "/tags/no-such-tag/feed.atom".to_string(),
        "/t/abc/feed.atom".to_string(),
    ] {
        let r = anon.get(&missing);
        assert!(
            r.status == 404 || r.status == 400,
            "{missing}: {}",
            r.status
        );
    }
    // Titled in the reader's language; pages point at their feeds.
    let mut german = Client::new(&app);
    german.extra.push(("Accept-Language".into(), "de".into()));
    assert_eq!(
        get(&mut german, "/feeds/latest.atom").0,
        "Neueste Fragen · Peerdesk"
    );
    let home = anon.get("/");
    for (title, href) in [
        ("Latest questions (Atom feed)", "/feeds/latest.atom"),
        ("Solved questions (Atom feed)", "/feeds/solved.atom"),
    ] {
        let link = format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{title}\" href=\"{href}\">"
        );
        assert!(home.body.contains(&link), "{link}");
    }
    assert!(anon
        .get("/c/general")
        .body
        .contains("href=\"/c/general/feed.atom\""));
    assert!(anon
        .get("/tags/mesh")
        .body
        .contains("href=\"/tags/mesh/feed.atom\""));
    assert!(anon.get("/kb").body.contains("href=\"/feeds/kb.atom\""));
    let thread = anon.get(&latest[0].1.replace(&app.base, ""));
    assert!(thread
        .body
        .contains(&format!("href=\"/t/{solved}/feed.atom\"")));
}
