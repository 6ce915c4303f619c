//! The support desk: internal notes are staff-only — never shown to others in pages, never in
//! search, never in the API for non-staff callers — and cannot be reached by id either.

use crate::helpers::*;
use peerdesk::accounts::Role;
use serde_json::json;

#[test]
fn internal_notes_stay_with_staff() {
    let app = spawn_app();
    let mut customer = app.member("customer");
    let mut staff = app.user_with_role("sam", Role::Staff, "Sam Support", "Networking");
    let mut moderator = app.user_with_role("mona", Role::Moderator, "Mona Mod", "");
    let path = app.ask(
        &mut customer,
        "Router reboots every night at two",
        "It reboots at 2 am every night.",
    );
    let thread = thread_id(&path);
    let secret = "zebraquokka";
    let r = staff.submit(
        &path,
        &format!("/t/{thread}/notes"),
        &[(
            "body",
            &format!("Customer is on the {secret} firmware branch; check the watchdog."),
        )],
    );
    r.assert_status(303);
    let note_id: i64 = r
        .location()
        .rsplit("#post-")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("note id");
    assert_eq!(app.count("posts"), 2);

    // Pages: staff see it; the customer, a moderator and visitors do not.
    let page = staff.get(&path).body;
    assert!(page.contains(secret) && page.contains("Internal notes"));
    for (who, c) in [("customer", &mut customer), ("moderator", &mut moderator)] {
        let body = c.get(&path).body;
        assert!(!body.contains(secret), "{who} sees the note");
        assert!(!body.contains("Internal notes"), "{who} sees the section");
    }
    let mut anon = Client::new(&app);
    assert!(!anon.get(&path).body.contains(secret));
    // The thread's public state did not change: still open, no answers.
    assert!(anon.get(&path).body.contains("0 answers"));

    // Search: not indexed, for anyone.
    app.wait_for_index();
    let hits = anon.get(&format!("/api/v1/search?q={secret}")).json();
    assert_eq!(hits["total"], 0, "{hits}");
    assert_eq!(staff.get(&format!("/search?q={secret}")).status, 200);
    assert!(!staff
        .get(&format!("/search?q={secret}"))
        .body
        .contains(&path));

    // API: no field at all for anonymous or member callers; staff tokens get the notes.
    let j = anon.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(j.get("internal_notes").is_none());
    assert!(!j.to_string().contains(secret));
    let mut member_api = Client::api(&app, &app.token_for("customer"));
    let j = member_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(!j.to_string().contains(secret));
    let mut staff_api = Client::api(&app, &app.token_for("sam"));
    let j = staff_api.get(&format!("/api/v1/threads/{thread}")).json();
    assert!(j["internal_notes"][0]["body_html"]
        .as_str()
        .unwrap_or("")
        .contains(secret));

    // By id: history, edit, comments and votes answer as if the note did not exist.
    anon.get(&format!("/p/{note_id}/history"))
        .assert_status(404);
    customer
        .get(&format!("/p/{note_id}/history"))
        .assert_status(404);
    staff
        .get(&format!("/p/{note_id}/history"))
        .assert_status(200);
    member_api
        .send_json(
            "PATCH",
            &format!("/api/v1/posts/{note_id}"),
            json!({"body": "mine now"}),
        )
        .assert_status(404);
    member_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{note_id}/comments"),
            json!({"body": "hello"}),
        )
        .assert_status(404);
    member_api
        .send_json(
            "POST",
            &format!("/api/v1/posts/{note_id}/votes"),
            json!({"value": 1}),
        )
        .assert_status(404);
    // Only staff write them.
    let r = customer.submit(
        &path,
        &format!("/t/{thread}/notes"),
        &[("body", "let me in")],
    );
    r.assert_status(403);
    let r = moderator.submit(&path, &format!("/t/{thread}/notes"), &[("body", "me too")]);
    r.assert_status(403);
    staff
        .submit(&path, &format!("/t/{thread}/notes"), &[("body", "  ")])
        .assert_status(422);
    assert_eq!(app.count("posts"), 2);
}
