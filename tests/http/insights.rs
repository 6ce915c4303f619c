//! The self-service dashboard over real HTTP: a scripted history (searches and clicks, ask-page
//! visits that open a suggestion and leave or post anyway, questions answered by staff, peers
//! and from the knowledge base) gives known figures in the JSON API and on the page; content
//! gaps count weak matches nobody opened and group two wordings of one missing topic (with the
//! real embedding model); only staff and admins see it; a bad period is a 422.

use std::time::{Duration, Instant};

use crate::helpers::*;
use crate::search::urlencode;
use peerdesk::accounts::Role;
use serde_json::{json, Value};

fn ask_api(api: &mut Client, title: &str) -> i64 {
    let r = api.send_json(
        "POST",
        "/api/v1/threads",
        json!({"title": title, "body": format!("{title}. Details follow."), "category": "general"}),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().expect("id")
}

fn answer_api(api: &mut Client, thread: i64, body: &str) -> i64 {
    let r = api.send_json(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        json!({ "body": body }),
    );
    r.assert_status(201);
    r.json()["id"].as_i64().expect("id")
}

fn accept_api(api: &mut Client, post: i64) {
    api.send_json("POST", &format!("/api/v1/posts/{post}/accept"), json!({}))
        .assert_status(200);
}

/// Opens the ask page: its CSRF token and the visit's id.
fn visit_ask_page(c: &mut Client) -> (String, String) {
    let page = c.get("/ask");
    page.assert_status(200);
    let session = extract_between(&page.body, "name=\"ask_session\" value=\"", "\"")
        .expect("the ask form carries a visit id");
    assert!(
        page.body
            .contains(&format!("data-ask-session=\"{session}\"")),
        "the page script gets the visit id for its lookups"
    );
    (page.csrf(), session)
}

/// A similar-question lookup as the page script makes it: its search id and hits.
fn lookup(c: &mut Client, session: &str, draft: &str) -> (String, Value) {
    let r = c.get(&format!(
        "/api/v1/search/similar?q={}&ask_session={session}",
        urlencode(draft)
    ));
    r.assert_status(200);
    let j = r.json();
    let id = j["search_id"].as_str().expect("search_id").to_string();
    (id, j["hits"].clone())
}

fn open_suggestion(c: &mut Client, search_id: &str, thread: i64) {
    let r = c.get(&format!("/search/click/{search_id}/thread/{thread}"));
    r.assert_status(303);
    assert!(r.location().starts_with(&format!("/t/{thread}/")));
}

/// Posts the ask form of visit `session`; returns the new thread's id.
fn post_question(c: &mut Client, csrf: &str, session: &str, title: &str) -> i64 {
    let r = c.post_form(
        "/ask",
        &[
            ("csrf", csrf),
            ("title", title),
            ("body", "It started yesterday, nothing else changed."),
            ("category", "general"),
            ("tags", ""),
            ("action", "post"),
            ("ask_session", session),
        ],
    );
    r.assert_status(303);
    thread_id(r.location())
}

fn set_thread(app: &TestApp, id: i64, days_back: i64, first_response_after: Option<i64>) {
    app.db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::threads;
            let t: chrono::NaiveDateTime = threads::table
                .find(id)
                .select(threads::created_at)
                .first(conn)?;
            let asked = t - chrono::TimeDelta::days(days_back);
            diesel::update(threads::table.find(id))
                .set((
                    threads::created_at.eq(asked),
                    threads::first_response_at
                        .eq(first_response_after.map(|m| asked + chrono::TimeDelta::minutes(m))),
                ))
                .execute(conn)?;
            Ok(())
        })
        .expect("set the thread's times");
}

fn insights(c: &mut Client, days: u32) -> Value {
    let r = c.get(&format!("/api/v1/staff/insights?days={days}"));
    r.assert_status(200);
    r.json()
}

/// The HTML of one summary figure on the page (`fig-deflected`, …).
fn figure_html(page: &str, id: &str) -> String {
    extract_between(page, &format!("id=\"{id}\">"), "</div>").expect("figure on the page")
}

#[test]
fn the_dashboard_counts_a_scripted_history() {
    let app = spawn_app();
    let mut sam = app.user_with_role("sam", Role::Staff, "Sam Support", "Support engineer");
    let mut ada = app.user_with_role("ada", Role::Admin, "Ada Admin", "");
    let mut mona = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");
    let mut cora = app.member("cora");
    let mut cliff = app.member("cliff");
    let mut cleo = app.member("cleo");
    app.member("pat");
    let mut sam_api = Client::api(&app, &app.token_for("sam"));
    let mut cora_api = Client::api(&app, &app.token_for("cora"));
    let mut cliff_api = Client::api(&app, &app.token_for("cliff"));
    let mut pat_api = Client::api(&app, &app.token_for("pat"));

    // Questions: Q0 answered by staff, accepted and promoted into the knowledge base; Q1
    // answered by staff with a link to that article; Q2 answered by a peer and accepted;
    // Q5 asked two days ago and not answered.
    let q0 = ask_api(&mut cora_api, "Router drops WiFi every evening");
    let a0 = answer_api(&mut sam_api, q0, "Change the WiFi channel to 6.");
    accept_api(&mut cora_api, a0);
    let r = sam_api.send_json("POST", &format!("/api/v1/threads/{q0}/promote"), json!({}));
    r.assert_status(201);
    let article_url = r.json()["url"].as_str().expect("url").to_string();
    let q1 = ask_api(&mut cora_api, "Printer goes offline after the update");
    answer_api(
        &mut sam_api,
        q1,
        &format!("Our article covers it: {article_url}"),
    );
    let q2 = ask_api(&mut cliff_api, "Mesh node blinks red after setup");
    let a2 = answer_api(&mut pat_api, q2, "Move the node closer to the router.");
    accept_api(&mut cliff_api, a2);
    let q5 = ask_api(&mut cliff_api, "Guest network password keeps changing");
    // First responses after 30, 90 and 10 minutes: the median is 30.
    set_thread(&app, q0, 0, Some(30));
    set_thread(&app, q1, 0, Some(90));
    set_thread(&app, q2, 0, Some(10));
    set_thread(&app, q5, 2, None);
    app.wait_for_index();

    // Searches: "router wifi" twice (one result opened, one search two days ago), a search
    // that finds nothing, an API search. The ask page's lookups are not searches.
    let mut visitor = Client::new(&app);
    let page = visitor.get("/search?q=router+wifi");
    let link = extract_between(&page.body, "\"><a href=\"/search/click/", "\"").expect("result");
    visitor
        .get(&format!("/search/click/{link}"))
        .assert_status(303);
    let page = visitor.get("/search?q=router+wifi");
    let old_search = extract_between(&page.body, "\"><a href=\"/search/click/", "/")
        .expect("result link with the search id");
    visitor
        .get("/search?q=teleporter+calibration")
        .assert_status(200);
    sam_api.get("/api/v1/search?q=mesh").assert_status(200);

    // Visits to the ask page. S1: a suggestion opened, nothing asked (deflected).
    let (_, s1) = visit_ask_page(&mut cora);
    let (search, hits) = lookup(&mut cora, &s1, "router drops wifi");
    assert!(
        hits.as_array()
            .is_some_and(|h| h.iter().any(|h| h["id"] == q0)),
        "{hits}"
    );
    open_suggestion(&mut cora, &search, q0);
    // S2, without JavaScript: "Check for similar questions", then a suggestion opened.
    let (csrf, s2) = visit_ask_page(&mut cliff);
    let page = cliff.post_form(
        "/ask",
        &[
            ("csrf", &csrf),
            ("title", "wifi drops every evening"),
            ("body", ""),
            ("category", "general"),
            ("action", "similar"),
            ("ask_session", &s2),
        ],
    );
    page.assert_status(200);
    assert!(
        page.body.contains(&format!("value=\"{s2}\"")),
        "the visit goes on"
    );
    // Suggestions link through the click log (the promoted article comes first here).
    let search = extract_between(&page.body, "href=\"/search/click/", "/").expect("suggestion");
    assert!(page
        .body
        .contains(&format!("href=\"/search/click/{search}/thread/{q0}\"")));
    open_suggestion(&mut cliff, &search, q0);
    // S3: a suggestion opened, then asked anyway (not deflected).
    let (csrf, s3) = visit_ask_page(&mut cleo);
    let (search, _) = lookup(&mut cleo, &s3, "wifi drops at night");
    open_suggestion(&mut cleo, &search, q0);
    post_question(
        &mut cleo,
        &csrf,
        &s3,
        "WiFi drops at night, not only evenings",
    );
    // S4: asked without opening anything.
    let (csrf, s4) = visit_ask_page(&mut cleo);
    let (_, hits) = lookup(&mut cleo, &s4, "toaster smells of burnt plastic");
    assert_eq!(hits, json!([]), "nothing to suggest");
    post_question(&mut cleo, &csrf, &s4, "Toaster smells of burnt plastic");
    // S5: looked, opened nothing, asked nothing.
    let (_, s5) = visit_ask_page(&mut cora);
    lookup(&mut cora, &s5, "mesh node red light");

    // The search from two days ago.
    app.search.log.flush(&app.db);
    app.db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::search_log;
            diesel::update(search_log::table.filter(search_log::search_id.eq(old_search)))
                .set(search_log::created_at.eq(peerdesk::db::now() - chrono::TimeDelta::days(2)))
                .execute(conn)?;
            Ok(())
        })
        .expect("age the search");

    let d = insights(&mut sam_api, 7);
    let t = &d["totals"];
    let expected = json!({
        "searches": 4, "searches_clicked": 1, "click_rate": 25,
        "ask_sessions": 5, "opened_suggestion": 3, "deflected": 2, "posted": 2,
        "deflection_rate": 40,
        "questions": 6, "answered": 3, "answered_from_kb": 1, "kb_share": 33,
        "solved": 2, "solved_rate": 33,
        "median_first_response_minutes": 30,
        "first_responses_by_staff": 2, "first_responses_by_peers": 1, "peer_share": 33,
    });
    assert_eq!(t, &expected, "{d:#}");
    assert_eq!(d["days"], 7);
    assert_eq!(d["time_zone"], "UTC");
    // Seven days, oldest first; the history two days back is on its own day.
    let days = d["per_day"].as_array().expect("per_day");
    assert_eq!(days.len(), 7);
    assert_eq!(days[6]["date"], d["to"]);
    let two_days_ago = (peerdesk::db::now() - chrono::TimeDelta::days(2))
        .date()
        .to_string();
    let old = days
        .iter()
        .find(|day| day["date"] == two_days_ago.as_str())
        .expect("the day two days ago");
    assert_eq!(
        (old["searches"].as_i64(), old["questions"].as_i64()),
        (Some(1), Some(1)),
        "{old}"
    );
    for key in [
        "searches",
        "searches_clicked",
        "ask_sessions",
        "deflected",
        "questions",
        "solved",
    ] {
        let sum: i64 = days.iter().map(|day| day[key].as_i64().unwrap_or(0)).sum();
        assert_eq!(Some(sum), t[key].as_i64(), "{key} per day adds up");
    }
    // Two days: yesterday and today, so the history two days back is left out.
    let recent = insights(&mut sam_api, 2);
    assert_eq!(recent["per_day"].as_array().map(Vec::len), Some(2));
    assert_eq!(recent["totals"]["searches"], 3);
    assert_eq!(recent["totals"]["questions"], 5);
    assert_eq!(recent["totals"]["deflected"], 2);

    // Content gaps without the model: searches that found nothing, including the title a
    // visit asked with (nothing suggested for it); not a title that found suggestions.
    let gaps: Vec<&str> = d["content_gaps"]
        .as_array()
        .expect("content_gaps")
        .iter()
        .filter_map(|g| g["query"].as_str())
        .collect();
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert!(gaps.contains(&"teleporter calibration"), "{gaps:?}");
    assert!(
        gaps.contains(&"toaster smells of burnt plastic"),
        "{gaps:?}"
    );

    // The page shows the same figures, a chart per figure and the gaps.
    let page = sam.get("/staff/insights?days=7");
    page.assert_status(200);
    let deflected = figure_html(&page.body, "fig-deflected");
    assert!(
        deflected.contains("<dd class=\"figure\">2</dd>"),
        "{deflected}"
    );
    assert!(deflected.contains("40%"), "{deflected}");
    let searches = figure_html(&page.body, "fig-searches");
    assert!(
        searches.contains(">4</dd>") && searches.contains("1 opened a result (25%)"),
        "{searches}"
    );
    let kb = figure_html(&page.body, "fig-kb-share");
    assert!(
        kb.contains(">33%</dd>") && kb.contains("1 of 3 answered questions"),
        "{kb}"
    );
    let peers = figure_html(&page.body, "fig-peer-share");
    assert!(peers.contains("1 by the community, 2 by staff"), "{peers}");
    for chart in [
        "searches",
        "ask_sessions",
        "questions",
        "kb_share",
        "first_response",
        "solved_rate",
        "responders",
    ] {
        assert!(
            page.body.contains(&format!("id=\"chart-{chart}\"")),
            "chart {chart}"
        );
    }
    assert!(page
        .body
        .contains("role=\"img\" aria-labelledby=\"chart-searches-title\""));
    assert!(page
        .body
        .contains("<title id=\"chart-searches-title\">Searches: 4 over the period."));
    assert!(
        page.body.contains("<th scope=\"row\">"),
        "numbers by day in a table"
    );
    assert!(page.body.contains(">teleporter calibration</strong>"));
    assert!(page.body.contains("aria-current=\"page\">7 days</a>"));
    // Linked for staff; German for a German reader.
    assert!(sam.get("/staff").body.contains("href=\"/staff/insights\""));
    let mut german = Client::new(&app);
    german.cookies = sam.cookies.clone();
    german.extra.push(("Accept-Language".into(), "de".into()));
    let de = german.get("/staff/insights?days=7");
    assert!(
        de.body.contains("Antwort gefunden, ohne zu fragen"),
        "{}",
        de.body
    );
    assert!(figure_html(&de.body, "fig-deflected").contains("40 %"));

    // The content-gaps page (moderators too) groups and links the gaps.
    let gaps_page = mona.get("/staff/content-gaps?days=7");
    gaps_page.assert_status(200);
    assert!(gaps_page.body.contains(">teleporter calibration</strong>"));
    assert!(gaps_page
        .body
        .contains("/kb/new?title=teleporter%20calibration"));
    mona.get("/kb/new?title=teleporter%20calibration")
        .assert_status(200);

    // Staff and admins only.
    ada.get("/staff/insights").assert_status(200);
    insights(&mut Client::api(&app, &app.token_for("ada")), 30);
    mona.get("/staff/insights").assert_status(403);
    cora.get("/staff/insights").assert_status(403);
    Client::new(&app).get("/staff/insights").assert_status(403);
    for who in ["mona", "cora"] {
        Client::api(&app, &app.token_for(who))
            .get("/api/v1/staff/insights")
            .assert_status(403);
    }
    Client::new(&app)
        .get("/api/v1/staff/insights")
        .assert_status(403);
    assert!(!cora.get("/").body.contains("href=\"/staff/insights\""));
}

#[test]
fn a_bad_period_or_visit_id_is_refused_with_a_message() {
    let app = spawn_app();
    let mut sam = app.user_with_role("sam", Role::Staff, "Sam Support", "");
    let mut api = Client::api(&app, &app.token_for("sam"));
    for bad in ["0", "abc", "100000", "91", "-7", "7.5", ""] {
        let r = api.get(&format!("/api/v1/staff/insights?days={bad}"));
        r.assert_status(422);
        assert_eq!(
            r.json()["message"],
            "The period must be a whole number of days from 1 to 90.",
            "{bad}"
        );
        let page = sam.get(&format!("/staff/insights?days={bad}"));
        page.assert_status(422);
        assert!(page.body.contains("whole number of days"));
    }
    sam.get("/staff/content-gaps?days=abc").assert_status(422);
    sam.get("/staff/content-gaps?days=0").assert_status(422);
    // Every choice of the switch works, and so does no choice (30 days).
    for days in ["7", "30", "90"] {
        api.get(&format!("/api/v1/staff/insights?days={days}"))
            .assert_status(200);
    }
    assert_eq!(
        api.get("/api/v1/staff/insights").json()["per_day"]
            .as_array()
            .map(Vec::len),
        Some(30)
    );
    // A lookup with a malformed visit id.
    let r = Client::new(&app).get("/api/v1/search/similar?q=router&ask_session=%3Cscript%3E");
    r.assert_status(422);
    assert!(r.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains("ask-page visit"));
    // A form with a malformed one still asks (the visit just goes uncounted).
    let mut member = app.member("mia");
    let csrf = member.get("/ask").csrf();
    post_question(&mut member, &csrf, "bad id!", "Router forgets its settings");
    assert_eq!(app.count("ask_posts"), 0);
}

/// Waits (at most 60 s) until the index and the vectors reflect everything written.
fn wait_for_vectors(app: &TestApp) {
    app.wait_for_index();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = Client::new(app).get("/readyz").json();
        let s = &r["semantic"];
        if s["state"] == "on" && s["lag"] == 0 && s["pending"] == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "vectors did not catch up: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Best scores the log kept for a draft.
fn best_scores(app: &TestApp, draft: &'static str) -> Vec<Option<f64>> {
    app.db
        .read_blocking(move |conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::search_log;
            Ok(search_log::table
                .filter(search_log::query.eq(draft))
                .select(search_log::best_score)
                .load(conn)?)
        })
        .expect("scores")
}

#[test]
fn weak_matches_nobody_opened_are_gaps_grouped_by_wording() {
    let app = spawn_app_with(|s| s.search.semantic.enabled = true);
    app.user_with_role("fay", Role::Staff, "Fay Staff", "Support");
    let mut staff = Client::api(&app, &app.token_for("fay"));
    let mut mona = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");
    for (title, answer) in [
        (
            "How do I put a package on hold?",
            "Run `apt-mark hold <package>`: apt keeps the installed version.",
        ),
        (
            "How can I find out which package a file belongs to?",
            "Run `dpkg -S /path/to/file`.",
        ),
        (
            "How do I make a kernel module load at boot?",
            "Add the module's name to /etc/modules.",
        ),
    ] {
        let id = ask_api(&mut staff, title);
        let post = answer_api(&mut staff, id, answer);
        accept_api(&mut staff, post);
    }
    wait_for_vectors(&app);
    let mut vera = app.member("vera");
    // A visit typing a title about a missing topic: only the title it ended with counts.
    let (_, v1) = visit_ask_page(&mut vera);
    for draft in ["tele", "teleporter calib", "teleporter calibration drifts"] {
        lookup(&mut vera, &v1, draft);
    }
    // Another visit, another wording of the same topic.
    let (_, v2) = visit_ask_page(&mut vera);
    lookup(&mut vera, &v2, "my teleporter calibration keeps drifting");
    // A well-answered title nobody clicked is no gap; a weak one somebody opened is none either.
    let (_, v3) = visit_ask_page(&mut vera);
    lookup(&mut vera, &v3, "How do I put a package on hold?");
    let (_, v4) = visit_ask_page(&mut vera);
    let (search, hits) = lookup(&mut vera, &v4, "stop apt from upgrading one program");
    let first = hits[0]["id"].as_i64().expect("a suggestion");
    open_suggestion(&mut vera, &search, first);
    // The search page finds nothing for this one.
    Client::new(&app)
        .get("/search?q=zzqx+frobnicate")
        .assert_status(200);

    let d = insights(&mut staff, 7);
    let weak = d["weak_score"].as_f64().expect("weak_score");
    // The log keeps how well the best suggestion matched.
    let strong = best_scores(&app, "How do I put a package on hold?");
    assert!(strong[0].is_some_and(|s| s >= weak), "{strong:?}");
    let missing = best_scores(&app, "teleporter calibration drifts");
    assert!(missing[0].is_some_and(|s| s < weak), "{missing:?}");
    assert_eq!(
        best_scores(&app, "zzqx frobnicate"),
        vec![None],
        "word search has no scale"
    );

    let gaps = d["content_gaps"].as_array().expect("content_gaps").clone();
    let wordings = |g: &Value| -> Vec<String> {
        let mut all = vec![g["query"].as_str().unwrap_or_default().to_string()];
        for w in g["other_wordings"].as_array().into_iter().flatten() {
            all.push(w.as_str().unwrap_or_default().to_string());
        }
        all
    };
    let teleporter = gaps
        .iter()
        .find(|g| wordings(g).iter().any(|w| w.contains("teleporter")))
        .unwrap_or_else(|| panic!("the missing topic is a gap: {gaps:#?}"));
    let mut both = wordings(teleporter);
    both.sort();
    assert_eq!(
        both,
        vec![
            "my teleporter calibration keeps drifting",
            "teleporter calibration drifts"
        ],
        "two wordings, one group; half-typed titles left out"
    );
    assert_eq!(teleporter["searches"], 2);
    assert_eq!(teleporter["wordings"], 2);
    let nothing = gaps
        .iter()
        .find(|g| g["query"] == "zzqx frobnicate")
        .unwrap_or_else(|| panic!("a search that found nothing is a gap: {gaps:#?}"));
    assert_eq!(nothing["found_nothing"], 1);
    assert_eq!(gaps.len(), 2, "no other gaps: {gaps:#?}");
    // The visits: one of four opened a suggestion and asked nothing.
    let t = &d["totals"];
    assert_eq!(
        (
            t["ask_sessions"].as_i64(),
            t["opened_suggestion"].as_i64(),
            t["deflected"].as_i64()
        ),
        (Some(4), Some(1), Some(1)),
        "{t}"
    );
    // The page lists the group with its other wording.
    let page = mona.get("/staff/content-gaps?days=7");
    page.assert_status(200);
    assert!(
        page.body.contains("Also searched as: <span data-user>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Suggestions by meaning are off"));
}
