//! The interface's language and time zone: chosen from the account, the switcher's cookie,
//! `Accept-Language` and the site default, in that order; cached pages per language; API
//! messages in the request's language; times in the reader's zone.

use crate::helpers::*;

fn lang_of(html: &str) -> String {
    extract_between(html, "<html lang=\"", "\"").unwrap_or_default()
}

fn with_language(c: &mut Client, header: &str) {
    c.extra.retain(|(k, _)| k != "Accept-Language");
    c.extra
        .push(("Accept-Language".to_string(), header.to_string()));
}

#[test]
fn accept_language_chooses_the_interface_and_cached_pages_keep_apart() {
    let app = spawn_app();
    let mut english = Client::new(&app);
    let mut german = Client::new(&app);
    with_language(&mut german, "de-DE,de;q=0.9,en;q=0.5");
    // Alternate, so the second of each is served from the page cache.
    for _ in 0..2 {
        let de = german.get("/");
        de.assert_status(200);
        assert_eq!(lang_of(&de.body), "de");
        assert!(de.body.contains("Frage stellen"), "{}", de.body);
        assert!(!de.body.contains("Ask a question"));
        let vary = de.header("vary").unwrap_or_default().to_ascii_lowercase();
        assert!(
            vary.contains("accept-language") && vary.contains("cookie"),
            "{vary}"
        );

        let en = english.get("/");
        assert_eq!(lang_of(&en.body), "en");
        assert!(en.body.contains("Ask a question"));
        assert!(!en.body.contains("Frage stellen"));
    }
    // A language we do not have falls back to the site default.
    let mut french = Client::new(&app);
    with_language(&mut french, "fr-FR, fr;q=0.9");
    assert_eq!(lang_of(&french.get("/kb").body), "en");
}

#[test]
fn the_site_default_applies_when_the_browser_asks_for_nothing_we_have() {
    let app = spawn_app_with(|s| s.i18n.default_language = "de".into());
    let mut c = Client::new(&app);
    with_language(&mut c, "ja");
    assert_eq!(lang_of(&c.get("/").body), "de");
    with_language(&mut c, "en-GB");
    assert_eq!(lang_of(&c.get("/").body), "en");
}

#[test]
fn the_switcher_sticks_and_an_account_setting_wins_over_everything() {
    let app = spawn_app();
    let mut visitor = Client::new(&app);
    with_language(&mut visitor, "de");
    let page = "/categories";
    assert_eq!(lang_of(&visitor.get(page).body), "de");
    // Switch to English on a German page: it sticks on the next pages despite the header.
    let r = visitor.submit(page, "/language", &[("lang", "en"), ("next", page)]);
    r.assert_status(303);
    assert_eq!(r.location(), page);
    assert_eq!(lang_of(&visitor.get("/").body), "en");
    assert_eq!(lang_of(&visitor.get("/tags").body), "en");
    // Refused: a language we do not have, with a message; nothing changes.
    let bad = visitor.submit(page, "/language", &[("lang", "xx-evil"), ("next", page)]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(lang_of(&visitor.get("/").body), "en");
    // An outside `next` goes home instead.
    let r = visitor.submit(
        page,
        "/language",
        &[("lang", "de"), ("next", "//evil.example")],
    );
    assert_eq!(r.location(), "/");

    // A signed-in user's saved language beats the header and the switcher's cookie.
    let mut member = app.member("greta");
    with_language(&mut member, "en");
    let r = member.submit(
        "/account",
        "/account/preferences",
        &[("locale", "de"), ("time_zone", "Europe/Berlin")],
    );
    r.assert_status(303);
    member
        .cookies
        .insert("peerdesk_lang".to_string(), "en".to_string());
    let account = member.get("/account");
    assert_eq!(lang_of(&account.body), "de");
    // "Follow my browser" again.
    member
        .submit(
            "/account",
            "/account/preferences",
            &[("locale", ""), ("time_zone", "")],
        )
        .assert_status(303);
    assert_eq!(lang_of(&member.get("/account").body), "en");
    // Bad values are refused with a message in the page's language and change nothing.
    for (field, value) in [("locale", "klingon"), ("time_zone", "Mars/Olympus_Mons")] {
        let mut fields = vec![("locale", ""), ("time_zone", "")];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        let r = member.submit("/account", "/account/preferences", &fields);
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert!(
            r.body.contains("not offered") || r.body.contains("unknown"),
            "{field}: {}",
            r.body
        );
    }
}

#[test]
fn times_show_in_the_readers_zone_and_language() {
    let app = spawn_app();
    let mut asker = app.member("zoe");
    let path = app.ask(
        &mut asker,
        "Router loses its settings",
        "After every restart.",
    );
    // The browser told its zone (as the page script stores it).
    let mut visitor = Client::new(&app);
    visitor
        .cookies
        .insert("peerdesk_tz".to_string(), "America%2FNew_York".to_string());
    let html = visitor.get(&path).body;
    assert!(
        html.contains("<time datetime=\""),
        "times are <time> elements"
    );
    assert!(
        html.contains(" EST\"") || html.contains(" EDT\""),
        "exact times on hover are New York's: {html}"
    );
    assert!(html.contains("just now"), "relative times in English");
    // A user's saved zone and language.
    asker
        .submit(
            "/account",
            "/account/preferences",
            &[("locale", "de"), ("time_zone", "Europe/Berlin")],
        )
        .assert_status(303);
    let html = asker.get(&path).body;
    assert!(
        html.contains(" CET\"") || html.contains(" CEST\""),
        "{html}"
    );
    assert!(html.contains("gerade eben"), "relative times in German");
    // A zone name nobody knows in the cookie: the site's zone (UTC) instead.
    let mut odd = Client::new(&app);
    odd.cookies
        .insert("peerdesk_tz".to_string(), "Nowhere%2FLand".to_string());
    let html = odd.get(&path).body;
    assert!(html.contains(" UTC\""), "{html}");
}

#[test]
fn api_messages_follow_the_request_language_and_codes_stay_english() {
    let app = spawn_app();
    let mut api = Client::new(&app);
    let en = api.get("/api/v1/threads/999999");
    assert_eq!(en.status, 404);
    let en_json = en.json();
    assert_eq!(en_json["error"], "not_found");
    with_language(&mut api, "de");
    let de = api.get("/api/v1/threads/999999");
    assert_eq!(de.status, 404);
    let de_json = de.json();
    assert_eq!(de_json["error"], "not_found", "the code stays stable");
    assert_ne!(de_json["message"], en_json["message"], "{de_json}");
    assert!(
        de.header("vary")
            .unwrap_or_default()
            .contains("Accept-Language"),
        "{:?}",
        de.headers
    );
}

#[test]
fn error_pages_speak_the_readers_language() {
    let app = spawn_app();
    let mut c = Client::new(&app);
    with_language(&mut c, "de");
    let r = c.get("/t/999999/nope");
    assert_eq!(r.status, 404);
    assert_eq!(lang_of(&r.body), "de");
}

#[test]
fn the_pseudo_locale_is_offered_only_when_enabled() {
    let off = spawn_app();
    let mut c = Client::new(&off);
    c.cookies
        .insert("peerdesk_lang".to_string(), "en-XA".to_string());
    let html = c.get("/").body;
    assert_eq!(lang_of(&html), "en");
    assert!(!html.contains('⟦'));

    let on = spawn_app_with(|s| s.i18n.pseudo_locale = true);
    let mut c = Client::new(&on);
    c.cookies
        .insert("peerdesk_lang".to_string(), "en-XA".to_string());
    let html = c.get("/").body;
    assert_eq!(lang_of(&html), "en-XA");
    assert!(html.contains("⟦Ask a question⟧"), "{html}");
}

#[test]
fn threads_carry_their_language_and_search_filters_by_it() {
    let app = spawn_app();
    let mut asker = app.member("dora");
    let german = app.ask(
        &mut asker,
        "Der Drucker druckt nicht mehr",
        "Ich habe den Drucker neu gestartet, aber er funktioniert nicht und die Lampe blinkt.",
    );
    let english = app.ask(
        &mut asker,
        "The printer does not print anymore",
        "I restarted the printer but it is not working and the light is blinking.",
    );
    let html = asker.get(&german).body;
    assert!(html.contains("lang=\"de\">Der Drucker"), "{html}");
    assert!(html.contains("class=\"markdown\" data-user lang=\"de\""));
    let html = asker.get(&english).body;
    assert!(html.contains("lang=\"en\">The printer"));
    app.wait_for_index();

    let mut api = Client::new(&app);
    let ids = |r: &Resp| -> Vec<i64> {
        r.json()["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["id"].as_i64())
            .collect()
    };
    let all = api.get("/api/v1/search?q=printer%20Drucker");
    all.assert_status(200);
    let de = api.get("/api/v1/search?q=printer%20Drucker&lang=de");
    de.assert_status(200);
    assert_eq!(ids(&de), [thread_id(&german)], "{}", de.body);
    assert_eq!(de.json()["hits"][0]["lang"], "de");
    let en = api.get("/api/v1/search?q=printer%20Drucker&lang=en");
    assert_eq!(ids(&en), [thread_id(&english)], "{}", en.body);
    assert!(ids(&all).len() >= 2, "{}", all.body);
    let bad = api.get("/api/v1/search?q=printer&lang=fr");
    assert_eq!(bad.status, 422, "{}", bad.body);
    // The search page offers the filter and marks each result's language.
    let page = api.get("/search?q=Drucker&lang=de");
    page.assert_status(200);
    assert!(page.body.contains("<h3 lang=\"de\">"), "{}", page.body);
    assert!(page.body.contains("name=\"lang\" value=\"de\""));
}

#[test]
fn a_theme_overrides_messages_and_adds_a_language() {
    let root = tempfile::tempdir().expect("tempdir");
    let repo_default = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default");
    std::os::unix::fs::symlink(repo_default, root.path().join("default")).expect("link default");
    let acme = root.path().join("acme/locales");
    std::fs::create_dir_all(acme.join("en")).expect("mkdir");
    std::fs::create_dir_all(acme.join("fr")).expect("mkdir");
    std::fs::write(
        acme.join("en/overrides.ftl"),
        "nav-ask = Ask Acme support\n",
    )
    .expect("write");
    std::fs::write(
        acme.join("fr/core.ftl"),
        "language-name = Français\nnav-ask = Poser une question\n",
    )
    .expect("write");
    let dir = root.path().display().to_string();
    let app = spawn_app_with(move |s| {
        s.theme.dir = dir;
        s.theme.name = "acme".into();
    });
    let mut en = Client::new(&app);
    let html = en.get("/").body;
    assert!(html.contains("Ask Acme support"), "the override");
    assert!(
        html.contains("Categories"),
        "everything else from the default theme"
    );
    assert!(
        html.contains(">Français</option>"),
        "the switcher offers the new language"
    );
    let mut fr = Client::new(&app);
    with_language(&mut fr, "fr-FR,fr;q=0.9");
    let html = fr.get("/").body;
    assert_eq!(lang_of(&html), "fr");
    assert!(html.contains("Poser une question"));
    assert!(
        html.contains("Categories"),
        "messages French lacks fall back to the default language"
    );
}
