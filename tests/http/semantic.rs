//! Suggestions by meaning over real HTTP with the real embedding model (installed by
//! scripts/fetch-model, loaded once per test run): paraphrases found, the lexical fallback
//! without a model, vectors computed once and reused after reindex and restart, an edit
//! re-embeds, hidden threads vanish.

use std::time::{Duration, Instant};

use crate::helpers::*;
use crate::search::urlencode;
use peerdesk::accounts::Role;
use serde_json::{json, Value};

/// A small FAQ: title, answer.
const FAQ: &[(&str, &str)] = &[
    (
        "How do I put a package on hold?",
        "Run `apt-mark hold <package>`: apt then keeps the installed version and skips it \
         during upgrades. `apt-mark unhold <package>` releases it again.",
    ),
    (
        "How can I find out which package a file belongs to?",
        "Run `dpkg -S /path/to/file`; it prints the package that installed the file.",
    ),
    (
        "Why does my printer use letter paper instead of A4?",
        "Set the system-wide default paper size with `paperconfig -p a4`.",
    ),
    (
        "How do I make a kernel module load at boot?",
        "Add the module's name on a line of its own to /etc/modules.",
    ),
    (
        "What is the difference between a list and a tuple in Python?",
        "Lists are mutable and meant for items of one kind; tuples are immutable records.",
    ),
];

/// A draft that shares no word (after stemming) with the first entry's question or answer.
const PARAPHRASE: &str = "freeze a piece of software so it never changes";

fn with_model(s: &mut peerdesk::config::Settings) {
    s.search.semantic.enabled = true;
}

/// Loads the FAQ as solved threads; returns their ids and the question posts' ids.
fn load_faq(app: &TestApp) -> (Client, Vec<(i64, i64)>) {
    app.user_with_role("faqstaff", Role::Staff, "Fay Staff", "Support");
    let mut api = Client::api(app, &app.token_for("faqstaff"));
    let mut ids = Vec::new();
    for (title, answer) in FAQ {
        let r = api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": title, "body": title, "category": "general"}),
        );
        r.assert_status(201);
        let t = r.json();
        let thread = t["id"].as_i64().expect("id");
        let question = t["posts"][0]["id"].as_i64().expect("question id");
        let r = api.send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/posts"),
            json!({ "body": answer }),
        );
        r.assert_status(201);
        let post = r.json()["id"].as_i64().expect("post id");
        api.send_json("POST", &format!("/api/v1/posts/{post}/accept"), json!({}))
            .assert_status(200);
        ids.push((thread, question));
    }
    (api, ids)
}

fn readyz(app: &TestApp) -> Value {
    Client::new(app).get("/readyz").json()
}

/// Waits (at most 180 s) until the index and the vectors reflect everything written. The
/// tests run in parallel on a debug build, where the German model's embedder (12 layers,
/// unoptimised) shares the two cores with the others' (a minute was once too short on
/// PostgreSQL while another build ran).
fn wait_for_vectors(app: &TestApp) -> Value {
    app.wait_for_index();
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let r = readyz(app);
        let s = &r["semantic"];
        if s["state"] == "on" && s["lag"] == 0 && s["pending"] == 0 {
            return s.clone();
        }
        assert!(Instant::now() < deadline, "vectors did not catch up: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn similar(app: &TestApp, q: &str) -> Vec<(i64, String)> {
    let r = Client::new(app).get(&format!("/api/v1/search/similar?q={}", urlencode(q)));
    r.assert_status(200);
    r.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["id"].as_i64().expect("id"),
                h["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Rows of `thread_vectors` of the main model: thread, text hash, when written.
fn stored_vectors(app: &TestApp) -> Vec<(i64, String, String)> {
    use diesel::prelude::*;
    use peerdesk::db::schema::thread_vectors as tv;
    app.db
        .read_blocking(|conn| {
            let rows: Vec<(i64, String, chrono::NaiveDateTime)> = tv::table
                .filter(tv::role.eq("main"))
                .order(tv::thread_id)
                .select((tv::thread_id, tv::text_hash, tv::updated_at))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|(id, h, at)| (id, h, at.to_string()))
                .collect())
        })
        .expect("vectors")
}

#[test]
fn suggestions_find_paraphrases_by_meaning_and_fall_back_to_words_without_a_model() {
    let app = spawn_app_with(with_model);
    let (_, ids) = load_faq(&app);
    let status = wait_for_vectors(&app);
    assert_eq!(status["vectors"], FAQ.len());
    assert!(status["model"]
        .as_str()
        .is_some_and(|m| m.contains("MiniLM")));
    let hits = similar(&app, PARAPHRASE);
    assert_eq!(
        hits.first().map(|h| h.0),
        Some(ids[0].0),
        "the paraphrase finds the hold question first: {hits:?}"
    );
    let hits = similar(&app, "which deb installed /usr/bin/convert");
    assert_eq!(hits.first().map(|h| h.0), Some(ids[1].0), "{hits:?}");
    // The ask page shows the same suggestions.
    let mut asker = app.member("asker");
    let page = asker.submit(
        "/ask",
        "/ask",
        &[
            ("title", PARAPHRASE),
            ("body", ""),
            ("category", "general"),
            ("tags", ""),
            ("action", "similar"),
        ],
    );
    page.assert_status(200);
    assert!(page.body.contains("How do I put a package on hold?"));
    let mut admin = app.user_with_role("boss", Role::Admin, "Bo Ss", "");
    let page = admin.get("/admin");
    page.assert_status(200);
    assert!(page.body.contains("Suggestions by meaning"));
    assert!(
        page.body.contains("threads have a vector, 0 still wait"),
        "the admin page says it is on"
    );

    // The same set-up without a model: lexical only, said on /readyz, nothing fails.
    let lexical = spawn_app_with(|s| {
        s.search.semantic.enabled = true;
        s.search.semantic.model_dir = "/nonexistent/model".into();
    });
    let (_, lexical_ids) = load_faq(&lexical);
    lexical.wait_for_index();
    let r = readyz(&lexical);
    assert_eq!(r["status"], "ready", "{r}");
    assert_eq!(r["semantic"]["state"], "off");
    assert!(r["semantic"]["reason"]
        .as_str()
        .is_some_and(|m| m.contains("/nonexistent/model")));
    let hits = similar(&lexical, PARAPHRASE);
    assert!(
        hits.first().map(|h| h.0) != Some(lexical_ids[0].0),
        "words alone do not find it: {hits:?}"
    );
    let hits = similar(&lexical, "package on hold");
    assert_eq!(
        hits.first().map(|h| h.0),
        Some(lexical_ids[0].0),
        "{hits:?}"
    );
    let mut admin = lexical.user_with_role("boss", Role::Admin, "Bo Ss", "");
    let page = admin.get("/admin");
    page.assert_status(200);
    assert!(
        page.body
            .contains("Off: there is no model in /nonexistent/model"),
        "the admin page says why it is off"
    );
}

#[test]
fn peerdesk_embed_fills_in_missing_vectors_with_progress_and_says_when_there_is_no_model() {
    // The harness's server runs without the model: nothing embeds in the background.
    let app = spawn_app();
    load_faq(&app);
    assert!(stored_vectors(&app).is_empty());
    let model = model_dir();
    let env = [("PEERDESK_SEARCH__SEMANTIC__MODEL_DIR", model.as_str())];
    let (code, out, err) = crate::cli::peerdesk_with(&app, &["embed"], "", &env);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("embedded {} threads", FAQ.len())),
        "{out}"
    );
    assert!(err.contains("embedding"), "progress on stderr: {err}");
    let first = stored_vectors(&app);
    assert_eq!(first.len(), FAQ.len());
    let (code, out, _) = crate::cli::peerdesk_with(&app, &["embed"], "", &env);
    assert_eq!(code, 0);
    assert!(out.contains("embedded 0 threads"), "nothing missing: {out}");
    let (code, out, _) = crate::cli::peerdesk_with(&app, &["embed", "--all"], "", &env);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("embedded {} threads", FAQ.len())),
        "{out}"
    );
    let again = stored_vectors(&app);
    assert_eq!(
        again.iter().map(|r| &r.1).collect::<Vec<_>>(),
        first.iter().map(|r| &r.1).collect::<Vec<_>>(),
        "same texts, same hashes"
    );
    let (code, _, err) = crate::cli::peerdesk_with(
        &app,
        &["embed"],
        "",
        &[("PEERDESK_SEARCH__SEMANTIC__MODEL_DIR", "/nonexistent/model")],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("no embedding model in /nonexistent/model"),
        "{err}"
    );
}

#[test]
fn vectors_are_computed_once_reused_after_reindex_and_restart_and_an_edit_re_embeds() {
    let app = spawn_app_with(with_model);
    let (_, ids) = load_faq(&app);
    let status = wait_for_vectors(&app);
    // Once asked, once more when its answer was accepted (unless both came in one batch).
    let embedded = status["embedded"].as_u64().expect("embedded");
    assert!(
        (FAQ.len() as u64..=2 * FAQ.len() as u64).contains(&embedded),
        "{status}"
    );
    let before = stored_vectors(&app);
    assert_eq!(before.len(), FAQ.len());

    // A full reindex rebuilds the word index only.
    peerdesk::search::reindex_with_progress(&app.db, std::path::Path::new(&app.search_dir))
        .expect("reindex");
    app.wait_for_index();
    let status = wait_for_vectors(&app);
    assert_eq!(status["embedded"], embedded, "nothing embedded again");
    assert_eq!(stored_vectors(&app), before);

    // A restart reads the stored vectors.
    let app = restart(app, with_model);
    let status = wait_for_vectors(&app);
    assert_eq!(
        status["embedded"], 0,
        "the restarted server embedded nothing"
    );
    assert_eq!(status["vectors"], FAQ.len());
    assert_eq!(stored_vectors(&app), before);
    assert_eq!(
        similar(&app, PARAPHRASE).first().map(|h| h.0),
        Some(ids[0].0)
    );

    // Editing a question re-embeds that thread alone, and suggestions follow the new text.
    app.user_with_role("editor", Role::Staff, "Ed Itor", "Support");
    let mut editor = Client::api(&app, &app.token_for("editor"));
    let (thread, question) = ids[3];
    editor
        .send_json(
            "PATCH",
            &format!("/api/v1/posts/{question}"),
            json!({
                "title": "My Wi-Fi adapter needs firmware from non-free",
                "body": "The wireless card is not detected until its firmware is installed.",
            }),
        )
        .assert_status(200);
    let status = wait_for_vectors(&app);
    assert_eq!(status["embedded"], 1);
    let after = stored_vectors(&app);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            b.1 != a.1,
            a.0 == thread,
            "only the edited thread changed: {a:?}"
        );
    }
    let hits = similar(&app, "wlan stick not recognised, missing driver");
    assert_eq!(hits.first().map(|h| h.0), Some(thread), "{hits:?}");
}

#[test]
fn hidden_and_unsolved_threads_are_never_suggested() {
    let app = spawn_app_with(with_model);
    let (_, ids) = load_faq(&app);
    // An open question as close to the paraphrase as can be: not solved, not suggested.
    let mut member = Client::api(&app, &{
        app.user_with_role("opener", Role::Member, "Open Er", "");
        app.token_for("opener")
    });
    member
        .send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": "Freeze a piece of software so it never changes?", "body": "How?", "category": "general"}),
        )
        .assert_status(201);
    wait_for_vectors(&app);
    let hits = similar(&app, PARAPHRASE);
    assert_eq!(hits.first().map(|h| h.0), Some(ids[0].0), "{hits:?}");

    app.user_with_role("mod", Role::Moderator, "Mo Derator", "");
    let mut moderator = Client::api(&app, &app.token_for("mod"));
    let (thread, question) = ids[0];
    moderator
        .send_json(
            "POST",
            &format!("/api/v1/review/post/{question}"),
            json!({"action": "hide", "reason": "Outdated advice"}),
        )
        .assert_status(200);
    wait_for_vectors(&app);
    let hits = similar(&app, PARAPHRASE);
    assert!(
        hits.iter().all(|h| h.0 != thread),
        "a hidden thread is never suggested: {hits:?}"
    );
}

/// The `<section class="{class}">` of a page, or "" when it has none.
fn section(html: &str, class: &str) -> String {
    extract_between(html, &format!("<section class=\"{class}\""), "</section>").unwrap_or_default()
}

#[test]
fn thread_pages_show_related_questions_and_moderators_see_possible_duplicates() {
    let app = spawn_app_with(with_model);
    let (_, ids) = load_faq(&app);
    let (hold, hold_question) = ids[0];
    // A member asks what the FAQ already answers, in other words.
    let mut member = app.user_with_role("asker", Role::Member, "Ann Asker", "");
    let path = app.ask(
        &mut member,
        "How do I put a package on hold so apt skips it?",
        "I want apt to keep the installed version of one package and skip it during upgrades.",
    );
    let new_thread = thread_id(&path);
    wait_for_vectors(&app);

    let page = Client::new(&app).get(&path);
    page.assert_status(200);
    let related = section(&page.body, "related");
    assert!(
        related.contains(&format!("/t/{hold}/")),
        "the answered hold question is related: {related}"
    );
    assert!(
        !related.contains(&format!("/t/{new_thread}/")),
        "a thread is not related to itself: {related}"
    );
    // The FAQ's own page lists other solved threads, never the open one (not solved yet).
    let faq_page = Client::new(&app).get(&format!("/t/{hold}"));
    let faq_page = Client::new(&app).get(faq_page.location());
    let faq_related = section(&faq_page.body, "related");
    assert!(
        !faq_related.contains(&format!("/t/{new_thread}/")),
        "{faq_related}"
    );
    assert!(
        !faq_related.contains(&format!("/t/{hold}/")),
        "{faq_related}"
    );

    // Possible duplicates: moderators only, with a merge button into the candidate.
    assert!(
        section(&page.body, "duplicates").is_empty(),
        "not for visitors"
    );
    assert!(
        section(&member.get(&path).body, "duplicates").is_empty(),
        "not for members"
    );
    let mut moderator = app.user_with_role("mod", Role::Moderator, "Mo Derator", "");
    let mod_page = moderator.get(&path);
    let duplicates = section(&mod_page.body, "duplicates");
    assert!(
        duplicates.contains(&format!("/t/{hold}/"))
            && duplicates.contains(&format!("name=\"into\" value=\"{hold}\"")),
        "the FAQ thread is a possible duplicate, with a merge button: {duplicates}"
    );
    assert!(
        !duplicates.contains("Python"),
        "unrelated threads are not: {duplicates}"
    );
    // The button merges this thread into the candidate.
    let r = moderator.submit(
        &path,
        &format!("/t/{new_thread}/merge"),
        &[("into", &hold.to_string())],
    );
    assert!(r.status == 303, "merged: {}", r.status);
    wait_for_vectors(&app);

    // A hidden thread vanishes from every related box.
    let mut api = Client::api(&app, &app.token_for("mod"));
    api.send_json(
        "POST",
        &format!("/api/v1/review/post/{hold_question}"),
        json!({"action": "hide", "reason": "Outdated advice"}),
    )
    .assert_status(200);
    wait_for_vectors(&app);
    for (other, _) in &ids[1..] {
        let p = Client::new(&app).get(&format!("/t/{other}"));
        let p = Client::new(&app).get(p.location());
        let related = section(&p.body, "related");
        assert!(!related.contains(&format!("/t/{hold}/")), "{related}");
    }
}

/// German questions beside the English FAQ, for the German model.
const FAQ_DE: &[(&str, &str)] = &[
    (
        "Wie setze ich ein Paket auf »hold« (zurückhalten)?",
        "Mit `apt-mark hold <Paket>` behält apt die installierte Version und lässt sie bei \
         Aktualisierungen aus. `apt-mark unhold <Paket>` gibt sie wieder frei.",
    ),
    (
        "Wie melde ich einen Fehler in Debian?",
        "Das Programm reportbug schickt einen Fehlerbericht an die Fehlerdatenbank des Pakets.",
    ),
    (
        "Wie kann ich das Debian-Projekt finanziell unterstützen?",
        "Spenden nimmt Software in the Public Interest entgegen, auch per Überweisung.",
    ),
];

#[test]
fn german_drafts_are_compared_with_the_german_models_vectors_of_german_threads() {
    let app = spawn_app_with(|s| {
        s.search.semantic.enabled = true;
        s.search.semantic.german_model_dir = german_model_dir();
    });
    load_faq(&app);
    let mut api = Client::api(&app, &app.token_for("faqstaff"));
    let mut german = Vec::new();
    for (title, answer) in FAQ_DE {
        let r = api.send_json(
            "POST",
            "/api/v1/threads",
            json!({"title": title, "body": title, "category": "general"}),
        );
        r.assert_status(201);
        let thread = r.json()["id"].as_i64().expect("id");
        let r = api.send_json(
            "POST",
            &format!("/api/v1/threads/{thread}/posts"),
            json!({ "body": answer }),
        );
        r.assert_status(201);
        let post = r.json()["id"].as_i64().expect("post id");
        api.send_json("POST", &format!("/api/v1/posts/{post}/accept"), json!({}))
            .assert_status(200);
        german.push(thread);
    }
    let status = wait_for_vectors(&app);
    assert_eq!(status["vectors"], FAQ.len() + FAQ_DE.len(), "{status}");
    assert!(
        status["german_model"]
            .as_str()
            .is_some_and(|m| m.contains("e5")),
        "{status}"
    );
    assert_eq!(
        status["german_vectors"],
        FAQ_DE.len(),
        "German threads only: {status}"
    );
    // A draft in German finds the German thread by meaning.
    let hits = similar(&app, "Geld spenden, damit es Debian weiter gibt");
    assert_eq!(hits.first().map(|h| h.0), Some(german[2]), "{hits:?}");
    let hits = similar(
        &app,
        "Ich will nicht, dass apt ein bestimmtes Programm aktualisiert",
    );
    assert_eq!(hits.first().map(|h| h.0), Some(german[0]), "{hits:?}");
    // English drafts are unchanged: the main model's vectors.
    let hits = similar(&app, PARAPHRASE);
    assert_eq!(
        hits.first().map(|h| h.1.as_str()),
        Some(FAQ[0].0),
        "{hits:?}"
    );
    // The German model's rows: a vector for each German thread, an empty one for the others
    // (nothing to embed, nothing missing); a restart reads them instead of embedding again.
    let rows: Vec<(i64, usize)> = app
        .db
        .read_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::thread_vectors as tv;
            let rows: Vec<(i64, Vec<u8>)> = tv::table
                .filter(tv::role.eq("de"))
                .select((tv::thread_id, tv::vector))
                .load(conn)?;
            Ok(rows.into_iter().map(|(id, v)| (id, v.len())).collect())
        })
        .expect("rows");
    assert_eq!(rows.len(), FAQ.len() + FAQ_DE.len());
    for (id, bytes) in &rows {
        assert_eq!(
            *bytes > 0,
            german.contains(id),
            "thread {id}: {bytes} bytes"
        );
    }
    let embedded = status["embedded"].as_u64().unwrap_or(0);
    let again = restart(app, |s| {
        s.search.semantic.enabled = true;
        s.search.semantic.german_model_dir = german_model_dir();
    });
    let status = wait_for_vectors(&again);
    assert_eq!(status["german_vectors"], FAQ_DE.len(), "{status}");
    assert_eq!(
        status["embedded"], 0,
        "nothing embedded again (before: {embedded})"
    );
    let hits = similar(&again, "Geld spenden, damit es Debian weiter gibt");
    assert_eq!(hits.first().map(|h| h.0), Some(german[2]), "{hits:?}");
}
