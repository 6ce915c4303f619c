//! The Q&A journey: ask, answer, comment, vote, accept, edit with history, close, staff answers.

use crate::helpers::*;
use peerdesk::accounts::Role;

#[test]
fn ask_answer_accept_makes_the_thread_solved() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let path = app.ask(
        &mut asker,
        "Backup fails with error 0x80070005",
        "It fails **every night** since Monday.",
    );
    let page = asker.get(&path);
    page.assert_status(200);
    assert!(page.body.contains("Backup fails with error 0x80070005"));
    assert!(page.body.contains("<strong>every night</strong>"));
    assert!(page.body.contains("status-open"));
    // The home page lists it with its status.
    let home = Client::new(&app).get("/");
    assert!(home.body.contains("Backup fails with error 0x80070005"));

    let mut helper = app.member("helper");
    let id = thread_id(&path);
    let r = helper.submit(
        &path,
        &format!("/t/{id}/answers"),
        &[("body", "Run the repair tool, then retry.")],
    );
    r.assert_status(303);
    let page = asker.get(&path);
    assert!(page.body.contains("Run the repair tool"));
    assert!(page.body.contains("status-answered"));
    let ids = post_ids(&page.body);
    assert_eq!(ids.len(), 2);
    let answer_id = ids[1];

    // Only the asker (or staff) may accept.
    let mut stranger = app.member("stranger");
    stranger
        .submit(&path, &format!("/p/{answer_id}/accept"), &[])
        .assert_status(403);
    asker
        .submit(&path, &format!("/p/{answer_id}/accept"), &[])
        .assert_status(303);
    let page = Client::new(&app).get(&path);
    assert!(page.body.contains("status-solved"));
    let json_ld = extract_between(
        &page.body,
        "<script type=\"application/ld+json\">",
        "</script>",
    )
    .expect("json-ld");
    let ld: serde_json::Value = serde_json::from_str(&json_ld).expect("valid JSON-LD");
    assert_eq!(
        ld["mainEntity"]["acceptedAnswer"]["text"],
        "Run the repair tool, then retry."
    );
    assert!(page.body.contains("Accepted"));
    let solved = Client::new(&app).get("/?tab=solved");
    assert!(solved.body.contains("Backup fails with error 0x80070005"));
    let unanswered = Client::new(&app).get("/?tab=unanswered");
    assert!(!unanswered
        .body
        .contains("Backup fails with error 0x80070005"));
    // A question cannot be accepted.
    asker
        .submit(&path, &format!("/p/{}/accept", ids[0]), &[])
        .assert_status(422);
    eventually("reputation of helper", 15, || app.reputation("helper"));
    // Askers earn nothing for accepting their own answer, and the helper loses the award.
    asker
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Found it myself.")],
        )
        .assert_status(303);
    let own = *post_ids(&asker.get(&path).body).iter().max().expect("ids");
    asker
        .submit(&path, &format!("/p/{own}/accept"), &[])
        .assert_status(303);
    eventually("reputation of asker", 0, || app.reputation("asker"));
    eventually("reputation of helper", 0, || app.reputation("helper"));
}

#[test]
fn votes_change_scores_and_reputation() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let path = app.ask(&mut asker, "Camera goes offline at night", "Details here.");
    let id = thread_id(&path);
    let mut helper = app.member("helper");
    helper
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Check the IR setting.")],
        )
        .assert_status(303);
    let answer_id = post_ids(&asker.get(&path).body)[1];
    // Nobody votes on their own post.
    helper
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "1")])
        .assert_status(403);
    asker
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "1")])
        .assert_status(303);
    let mut third = app.member("third");
    third
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "1")])
        .assert_status(303);
    // Voting twice the same way counts once.
    third
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "1")])
        .assert_status(303);
    let score = |app: &TestApp| {
        app.db
            .write_blocking(move |conn| peerdesk::threads::find_post(conn, answer_id))
            .expect("post")
            .score
    };
    assert_eq!(score(&app), 2);
    third
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "-1")])
        .assert_status(303);
    assert_eq!(score(&app), 0);
    third
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "0")])
        .assert_status(303);
    assert_eq!(score(&app), 1);
    third
        .submit(&path, &format!("/p/{answer_id}/vote"), &[("value", "7")])
        .assert_status(422);
    eventually("reputation of helper", 10, || app.reputation("helper"));
    // The script asks for JSON and gets the new score.
    let csrf = third.get(&path).csrf();
    let r = third.post_form_json(
        &format!("/p/{answer_id}/vote"),
        &[("csrf", &csrf), ("value", "-1")],
    );
    r.assert_status(200);
    assert_eq!(r.json()["score"], 0);
    assert_eq!(r.json()["my_vote"], -1);
}

#[test]
fn edits_keep_revisions_and_only_authors_or_staff_edit() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let path = app.ask(
        &mut asker,
        "Mesh node keeps rebooting",
        "First version of the text.",
    );
    let qid = post_ids(&asker.get(&path).body)[0];
    let edit = format!("/p/{qid}/edit");
    let r = asker.submit(
        &edit,
        &edit,
        &[
            ("title", "Mesh node reboots every hour"),
            ("tags", "mesh"),
            ("body", "Second version of the text."),
            ("summary", "clearer"),
            ("action", "save"),
        ],
    );
    r.assert_status(303);
    let page = Client::new(&app).get(r.location().split('#').next().unwrap_or(""));
    page.assert_status(200);
    assert!(page.body.contains("Mesh node reboots every hour"));
    assert!(page.body.contains("Second version"));
    let history = Client::new(&app).get(&format!("/p/{qid}/history"));
    history.assert_status(200);
    assert!(history.body.contains("Revision 2"));
    assert!(history.body.contains("Revision 1"));
    assert!(history.body.contains("First version of the text."));
    assert!(history.body.contains("clearer"));
    // Another member may not edit.
    let mut other = app.member("other");
    other.get(&edit).assert_status(403);
    let csrf = other.get("/account").csrf();
    other
        .post_form(
            &edit,
            &[
                ("csrf", &csrf),
                ("title", "Hijacked title here"),
                ("body", "hijack"),
                ("action", "save"),
            ],
        )
        .assert_status(403);
    // Staff may.
    let mut staff = app.user_with_role("staffer", Role::Staff, "Sam Staff", "Support engineer");
    staff
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Mesh node reboots every hour"),
                ("tags", "mesh"),
                ("body", "Third version, tidied by staff."),
                ("action", "save"),
            ],
        )
        .assert_status(303);
    assert_eq!(app.count("post_revisions"), 3);
    // Invalid edits write nothing.
    asker
        .submit(
            &edit,
            &edit,
            &[("title", "short"), ("body", "x"), ("action", "save")],
        )
        .assert_status(422);
    assert_eq!(app.count("post_revisions"), 3);
}

#[test]
fn staff_answers_are_marked_and_signed() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let path = app.ask(
        &mut asker,
        "Invoice charged twice this month",
        "Two charges on my card.",
    );
    let mut staff = app.user_with_role("amira", Role::Staff, "Amira Haddad", "Billing specialist");
    let id = thread_id(&path);
    staff
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "I have refunded the second charge.")],
        )
        .assert_status(303);
    let page = Client::new(&app).get(&path);
    assert!(page.body.contains("Amira Haddad"));
    assert!(page.body.contains("Billing specialist"));
    // Members cannot sign like staff: their title is not shown on posts.
    asker
        .submit(
            "/account",
            "/account/profile",
            &[
                ("name", "Not Staff"),
                ("title", "Official Support"),
                ("bio", ""),
            ],
        )
        .assert_status(200);
    let page = Client::new(&app).get(&path);
    assert!(page.body.contains("Not Staff"));
    assert!(!page.body.contains("Official Support"));
    assert!(page.body.contains("by-staff"));
    assert!(Client::new(&app).get("/").body.contains("Staff answered"));
}

#[test]
fn comments_and_closing() {
    let app = spawn_app();
    let mut asker = app.member("asker");
    let path = app.ask(&mut asker, "App does not send notifications", "Android 14.");
    let qid = post_ids(&asker.get(&path).body)[0];
    let mut peer = app.member("peer");
    peer.submit(
        &path,
        &format!("/p/{qid}/comments"),
        &[("body", "Which app version?")],
    )
    .assert_status(303);
    assert!(Client::new(&app)
        .get(&path)
        .body
        .contains("Which app version?"));
    peer.submit(&path, &format!("/p/{qid}/comments"), &[("body", "")])
        .assert_status(422);
    // Members cannot close; moderators can, and closed threads take no answers.
    let id = thread_id(&path);
    peer.submit(&path, &format!("/t/{id}/close"), &[("action", "close")])
        .assert_status(403);
    let mut moderator = app.user_with_role("mod", Role::Moderator, "", "");
    moderator
        .submit(&path, &format!("/t/{id}/close"), &[("action", "close")])
        .assert_status(303);
    assert!(Client::new(&app).get(&path).body.contains("status-closed"));
    peer.submit(
        &path,
        &format!("/t/{id}/answers"),
        &[("body", "Late answer")],
    )
    .assert_status(409);
    moderator
        .submit(&path, &format!("/t/{id}/close"), &[("action", "reopen")])
        .assert_status(303);
    assert!(Client::new(&app).get(&path).body.contains("status-open"));
}

#[test]
fn anonymous_pages_show_a_write_on_the_very_next_request() {
    let app = spawn_app();
    let mut anon = Client::new(&app);
    let mut asker = app.member("asker");
    let path = app.ask(
        &mut asker,
        "Firmware update stuck at 80 percent",
        "It hangs.",
    );
    // Warm the cache, then write, then read again at once.
    assert!(!anon.get(&path).body.contains("Unplug it for ten seconds"));
    assert!(!anon.get(&path).body.contains("Unplug it for ten seconds"));
    let id = thread_id(&path);
    let mut helper = app.member("helper");
    helper
        .submit(
            &path,
            &format!("/t/{id}/answers"),
            &[("body", "Unplug it for ten seconds.")],
        )
        .assert_status(303);
    assert!(anon.get(&path).body.contains("Unplug it for ten seconds"));
    assert!(anon.get("/").body.contains("status-answered"));
}
