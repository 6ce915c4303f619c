//! The audit log: staff, moderator and admin actions land in it with who, what, the object and
//! before/after; admins read it on `/admin/audit` and through the API with filters; nobody else
//! can; and no code path updates or deletes its rows.

use std::time::{Duration, Instant};

use crate::helpers::*;
use peerdesk::accounts::Role;

/// Waits until the `audit` consumer has applied every event so far.
fn settle(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = app
            .db
            .read_blocking(peerdesk::events::status)
            .expect("status");
        if status
            .consumers
            .iter()
            .any(|c| c.consumer == "audit" && c.lag == 0)
        {
            return;
        }
        assert!(Instant::now() < deadline, "the audit log did not catch up");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn user_id(app: &TestApp, handle: &'static str) -> i64 {
    app.db
        .write_blocking(move |conn| peerdesk::accounts::find_by_handle(conn, handle))
        .expect("user")
        .id
}

#[test]
fn staff_and_admin_actions_are_logged_and_only_admins_read_the_log() {
    let app = spawn_app();
    let mut admin = app.user_with_role("ada", Role::Admin, "Ada", "Admin");
    let mut moderator = app.user_with_role("max", Role::Moderator, "Max", "Moderator");
    let mut member = app.member("mia");
    let path = app.ask(&mut member, "Fan is loud after update", "Since 2.1.");
    let id = thread_id(&path);
    let mia = user_id(&app, "mia");
    admin
        .submit(
            "/admin",
            &format!("/admin/users/{mia}/role"),
            &[("role", "staff")],
        )
        .assert_status(303);
    moderator
        .submit(
            &path,
            &format!("/t/{id}/close"),
            &[("action", "close"), ("duplicate_of", "")],
        )
        .assert_status(303);
    // An author editing their own post is not moderation; a moderator editing it is.
    let question = post_ids(&member.get(&path).body)[0];
    let edit = format!("/p/{question}/edit");
    moderator
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Fan is loud after update 2.1"),
                ("body", "Since 2.1 (edited for clarity)."),
                ("tags", "wifi, router"),
                ("summary", "clearer title"),
            ],
        )
        .assert_status(303);
    let _token = app.token_for("ada");
    admin
        .submit(
            "/admin",
            "/admin/categories",
            &[
                ("name", "Mesh Kit"),
                ("slug", "mesh-kit"),
                ("description", ""),
                ("position", "2"),
                ("first_response", ""),
            ],
        )
        .assert_status(303);
    settle(&app);

    let page = admin.get("/admin/audit");
    page.assert_status(200);
    for words in [
        "Role changed",
        "Thread closed",
        "Someone else’s post edited",
        "API token created",
    ] {
        assert!(page.body.contains(words), "{words} missing from the log");
    }
    let ada_token = app.token_for("ada");
    let mut api = Client::api(&app, &ada_token);
    let r = api.get("/api/v1/admin/audit?action=user_role_changed");
    r.assert_status(200);
    let v = r.json();
    let entries = v["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{v}");
    assert_eq!(entries[0]["actor"], "ada");
    assert_eq!(entries[0]["object_kind"], "user");
    assert_eq!(entries[0]["object_id"], mia);
    assert_eq!(entries[0]["before"]["role"], "member");
    assert_eq!(entries[0]["after"]["role"], "staff");
    let by_max = api.get("/api/v1/admin/audit?actor=max").json();
    let actions: Vec<&str> = by_max["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["post_edited", "thread_closed"], "{by_max}");
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let none = api
        .get(&format!("/api/v1/admin/audit?from={tomorrow}"))
        .json();
    assert_eq!(none["entries"].as_array().unwrap().len(), 0);
    let all_today = api
        .get(&format!("/api/v1/admin/audit?until={today}"))
        .json();
    assert!(all_today["entries"].as_array().unwrap().len() >= 4);
    let settings = api.get("/api/v1/admin/audit?action=setting_changed").json();
    assert_eq!(
        settings["entries"][0]["object_kind"], "category",
        "{settings}"
    );
    assert_eq!(settings["entries"][0]["after"]["change"], "created");
    assert_eq!(settings["entries"][0]["after"]["name"], "mesh-kit");
    // Bad filters are 422 with a message; other roles cannot read the log.
    api.get("/api/v1/admin/audit?from=yesterday")
        .assert_status(422);
    api.get("/api/v1/admin/audit?action=dance")
        .assert_status(422);
    api.get("/api/v1/admin/audit?page=x").assert_status(422);
    moderator.get("/admin/audit").assert_status(403);
    Client::new(&app).get("/admin/audit").assert_status(303);
    let max_token = app.token_for("max");
    Client::api(&app, &max_token)
        .get("/api/v1/admin/audit")
        .assert_status(403);
    // German labels for the same page.
    admin
        .extra
        .push(("Accept-Language".to_string(), "de".to_string()));
    assert!(admin.get("/admin/audit").body.contains("Rolle geändert"));
}

#[test]
fn no_code_path_updates_or_deletes_audit_rows() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                let compact: String = text.split_whitespace().collect();
                for forbidden in ["update(audit_log", "delete(audit_log"] {
                    assert!(
                        !compact.contains(forbidden),
                        "{} changes audit rows ({forbidden})",
                        path.display()
                    );
                }
            }
        }
    }
}
