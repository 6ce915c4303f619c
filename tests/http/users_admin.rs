//! The users admin: `/admin/users` searches handles, names and emails, filters by role,
//! suspension and join date, pages 50 at a time with a total; `/admin/users/{id}` shows one
//! person's account, threads, setup, sessions, tokens, providers and audit entries (never a
//! secret); the JSON API shows the same; only admins get in.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use peerdesk::accounts::{self, NewAccount, Role};
use peerdesk::db::schema::{api_tokens, identities, sessions, users};

use crate::helpers::*;

/// Creates an account without a password (no argon2: sixty of them stay fast).
fn add_user(app: &TestApp, handle: &str, name: &str, email: &str, role: Role) -> i64 {
    let mut account = NewAccount::parse(handle, email, None, name, "").expect("valid account");
    account.role = role;
    app.db
        .write_blocking(move |conn| accounts::create(conn, account))
        .expect("create user")
        .id
}

fn user_id(app: &TestApp, handle: &'static str) -> i64 {
    app.db
        .read_blocking(move |conn| accounts::find_by_handle(conn, handle))
        .expect("user")
        .id
}

/// Rows of the directory table on a page (each user's handle is a row header).
fn rows(html: &str) -> usize {
    html.matches("<th scope=\"row\">").count()
}

/// Waits until the `audit` consumer has applied every event so far.
fn settle_audit(app: &TestApp) {
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

/// 60 members (10 of them joined a month ago), 3 staff, a moderator and the signed-in admin.
fn populated() -> (TestApp, Client) {
    let app = spawn_app();
    let admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    for i in 0..60 {
        add_user(
            &app,
            &format!("member{i:02}"),
            &format!("Person Number{i:02}"),
            &format!("m{i:02}@members.example"),
            Role::Member,
        );
    }
    for (handle, name) in [("staffa", "Stella Staff"), ("staffb", ""), ("staffc", "")] {
        let email = format!("{handle}@corp.example");
        add_user(&app, handle, name, &email, Role::Staff);
    }
    add_user(
        &app,
        "mod_one",
        "Mona Moderator",
        "mona@corp.example",
        Role::Moderator,
    );
    add_user(
        &app,
        "quincy",
        "Quincy ADAMS",
        "q.a@Elsewhere.example",
        Role::Member,
    );
    let a_month_ago = peerdesk::db::now() - chrono::TimeDelta::days(30);
    app.db
        .write_blocking(move |conn| {
            let old: Vec<String> = (0..10).map(|i| format!("member{i:02}")).collect();
            diesel::update(users::table.filter(users::handle.eq_any(old)))
                .set(users::created_at.eq(a_month_ago))
                .execute(conn)?;
            Ok(())
        })
        .expect("backdate");
    (app, admin)
}

#[test]
fn search_filters_and_pages() {
    let (app, mut admin) = populated();
    let all = admin.get("/admin/users");
    all.assert_status(200);
    // 60 members, 3 staff, a moderator, quincy and root.
    assert!(all.body.contains("66 users"), "the total is shown");
    assert_eq!(rows(&all.body), 50, "50 a page");
    assert!(all.body.contains("page 1 of 2"));
    assert!(
        all.body.contains("<time"),
        "join dates are localized <time> elements"
    );
    // Newest first: quincy joined last, member00 early (and is on page 2).
    assert!(all.body.find("quincy") < all.body.find("member59"));
    assert!(!all.body.contains(">member00<"));
    assert!(all.body.contains("href=\"/admin/users?page=2\""));
    let second = admin.get("/admin/users?page=2");
    second.assert_status(200);
    assert_eq!(rows(&second.body), 16, "page 2 has the rest");
    assert!(second.body.contains(">member00<") && second.body.contains(">root<"));
    assert!(second.body.contains("href=\"/admin/users?page=1\""));
    // Past the end: an empty page that links back, not an error.
    let past = admin.get("/admin/users?page=9");
    past.assert_status(200);
    assert_eq!(rows(&past.body), 0);
    assert!(past.body.contains("href=\"/admin/users?page=2\""));
    for bad in ["0", "-1", "two", "100001", "1.5"] {
        let r = admin.get(&format!("/admin/users?page={bad}"));
        r.assert_status(422);
        assert!(r.body.contains("page must be a whole number"), "{bad}");
        assert!(r.body.contains("id=\"u-q\""), "the form is shown again");
    }

    // Search: handle, name (any case) or email part.
    let by_handle = admin.get("/admin/users?q=uinc");
    assert_eq!(rows(&by_handle.body), 1);
    assert!(by_handle.body.contains(">quincy<") && by_handle.body.contains("1 user"));
    let by_name = admin.get("/admin/users?q=adams");
    assert_eq!(rows(&by_name.body), 1);
    assert!(by_name.body.contains(">quincy<"));
    let by_name_upper = admin.get("/admin/users?q=STELLA");
    assert_eq!(rows(&by_name_upper.body), 1);
    assert!(by_name_upper.body.contains(">staffa<"));
    let by_email = admin.get("/admin/users?q=corp.example");
    assert_eq!(rows(&by_email.body), 4, "three staff and the moderator");
    let by_email_case = admin.get("/admin/users?q=%40ELSEWHERE");
    assert_eq!(rows(&by_email_case.body), 1);
    // LIKE wildcards are literal: `_` is only mod_one's, `%` nobody's.
    let underscore = admin.get("/admin/users?q=_");
    assert_eq!(rows(&underscore.body), 1);
    assert!(underscore.body.contains(">mod_one<"));
    let percent = admin.get("/admin/users?q=%25");
    assert_eq!(rows(&percent.body), 0);
    assert!(percent.body.contains("No users match"));
    let many = admin.get("/admin/users?q=number");
    assert!(many.body.contains("60 users"));
    assert_eq!(rows(&many.body), 50);
    assert!(
        many.body
            .contains("href=\"/admin/users?q=number&amp;page=2\""),
        "the pager keeps the search"
    );
    assert_eq!(rows(&admin.get("/admin/users?q=number&page=2").body), 10);
    admin
        .get(&format!("/admin/users?q={}", "x".repeat(101)))
        .assert_status(422);

    // Filters, alone and together.
    let staff = admin.get("/admin/users?role=staff");
    assert_eq!(rows(&staff.body), 3);
    assert!(staff.body.contains("3 users"));
    assert_eq!(rows(&admin.get("/admin/users?role=moderator").body), 1);
    assert_eq!(rows(&admin.get("/admin/users?role=admin").body), 1);
    assert!(admin
        .get("/admin/users?role=member")
        .body
        .contains("61 users"));
    let bad_role = admin.get("/admin/users?role=owner");
    bad_role.assert_status(422);
    assert!(bad_role.body.contains("owner"));
    admin.get("/admin/users?status=banned").assert_status(422);
    admin.get("/admin/users?new=month").assert_status(422);
    let new = admin.get("/admin/users?new=week");
    assert!(new.body.contains("56 users"), "ten joined a month ago");
    assert!(!new.body.contains(">member05<"));
    let new_staff = admin.get("/admin/users?new=week&role=staff&q=staffb");
    assert_eq!(rows(&new_staff.body), 1);

    // Suspended: none yet; suspend one from their page, and the filter finds them.
    assert!(admin
        .get("/admin/users?status=suspended")
        .body
        .contains("No users"));
    let quincy = user_id(&app, "quincy");
    let page = format!("/admin/users/{quincy}");
    let r = admin.submit(
        &page,
        &format!("/admin/users/{quincy}/suspend"),
        &[("days", "3"), ("reason", "Spam links in every answer")],
    );
    r.assert_status(303);
    assert_eq!(r.location(), page, "back to their page");
    settle_audit(&app);
    let theirs = admin.get(&page);
    assert!(theirs.body.contains("Suspended"));
    assert!(
        theirs.body.contains("Spam links in every answer"),
        "why, from the audit log"
    );
    let suspended = admin.get("/admin/users?status=suspended");
    assert_eq!(rows(&suspended.body), 1);
    assert!(suspended.body.contains(">quincy<") && suspended.body.contains("Suspended"));

    // The API: the same search and shape.
    let token = app.token_for("root");
    let mut api = Client::api(&app, &token);
    let r = api.get("/api/v1/admin/users?q=number&page=2");
    r.assert_status(200);
    let j = r.json();
    assert_eq!(j["total"], 60);
    assert_eq!(j["page"], 2);
    assert_eq!(j["per_page"], 50);
    assert_eq!(j["users"].as_array().expect("users").len(), 10);
    let first = &j["users"][0];
    assert_eq!(first["handle"], "member09");
    assert_eq!(first["role"], "member");
    assert_eq!(first["email"], "m09@members.example");
    assert!(first.get("password_hash").is_none());
    let j = api.get("/api/v1/admin/users?status=suspended").json();
    assert_eq!(j["total"], 1);
    assert_eq!(j["users"][0]["suspended"], true);
    let j = api.get(&format!("/api/v1/admin/users/{quincy}")).json();
    assert_eq!(j["suspension_reason"], "Spam links in every answer");
    let r = api.get("/api/v1/admin/users?page=0");
    r.assert_status(422);
    assert_eq!(r.json()["error"], "invalid");
    api.get("/api/v1/admin/users?role=owner").assert_status(422);

    // /admin keeps a link with the count instead of the list.
    let overview = admin.get("/admin");
    overview.assert_status(200);
    assert!(overview.body.contains("href=\"/admin/users\""));
    assert!(overview.body.contains("Users (66)"));
    assert!(!overview.body.contains("m07@members.example"));
}

#[test]
fn a_persons_page_shows_their_account_and_no_secret() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    let mut mia = app.member("mia");
    let thread = app.ask(
        &mut mia,
        "Printer queue stalls after the update",
        "Since 3.2 it stops after one page.",
    );
    mia.submit(
        "/account",
        "/account/setup",
        &[
            ("product", "general"),
            ("version", "3.2"),
            ("platform", "Windows 11 Pro"),
            ("notes", ""),
            ("private", "1"),
        ],
    )
    .assert_status(200);
    let id = user_id(&app, "mia");
    let page = format!("/admin/users/{id}");
    // From the list to the page.
    let list = admin.get("/admin/users?q=mia");
    assert!(list.body.contains(&format!("href=\"{page}\"")));
    // A role change from the page comes back to it (and is audited).
    let r = admin.submit(
        &page,
        &format!("/admin/users/{id}/role"),
        &[("role", "staff")],
    );
    r.assert_status(303);
    assert_eq!(r.location(), page);
    // Signed out everywhere by the role change: sign in again for a live session.
    let mut mia = Client::new(&app);
    mia.submit(
        "/login",
        "/login",
        &[("login", "mia"), ("password", PASSWORD), ("next", "/")],
    )
    .assert_status(303);
    let plain_token = app.token_for("mia");
    app.db
        .write_blocking(move |conn| {
            diesel::insert_into(identities::table)
                .values((
                    identities::user_id.eq(id),
                    identities::provider.eq("corp-sso"),
                    identities::issuer.eq("https://sso.example"),
                    identities::subject.eq("sub-48151623"),
                    identities::email.eq("mia@sso.example"),
                    identities::created_at.eq(peerdesk::db::now()),
                ))
                .execute(conn)?;
            Ok(())
        })
        .expect("identity");
    let (session_hash, token_hash) = app
        .db
        .read_blocking(move |conn| {
            let s: String = sessions::table
                .filter(sessions::user_id.eq(id))
                .select(sessions::id_hash)
                .first(conn)?;
            let t: String = api_tokens::table
                .filter(api_tokens::user_id.eq(id))
                .select(api_tokens::token_hash)
                .first(conn)?;
            Ok((s, t))
        })
        .expect("hashes");

    settle_audit(&app);

    let p = admin.get(&page);
    p.assert_status(200);
    let body = &p.body;
    assert!(body.contains("User @mia"), "titled by the handle");
    assert!(body.contains("mia@example.com"));
    assert!(body.contains("Printer queue stalls after the update"));
    assert!(body.contains(&format!("href=\"{thread}\"")));
    assert!(
        body.contains("Windows 11 Pro"),
        "their setup, private included"
    );
    assert!(body.contains("Signed in on") && !body.contains("Not signed in anywhere"));
    assert!(body.contains("corp-sso") && body.contains("sub-48151623"));
    assert!(body.contains("mia@sso.example"));
    assert!(body.contains("a password or 1 provider"));
    assert!(body.contains("Role changed"), "the audit entry about them");
    assert!(body.contains(&format!(
        "href=\"/admin/audit?object=user&amp;object_id={id}\""
    )));
    assert!(body.contains("<option value=\"staff\" selected>"));
    // The token's name, never its value or hash; never the session's hash.
    assert!(body.contains("API tokens"));
    assert!(!body.contains("No valid API token"));
    assert!(!body.contains(&plain_token), "no token");
    assert!(!body.contains(&token_hash), "no token hash");
    assert!(!body.contains(&session_hash), "no session hash");

    // The API shows the same.
    let root_token = app.token_for("root");
    let mut api = Client::api(&app, &root_token);
    let r = api.get(&format!("/api/v1/admin/users/{id}"));
    r.assert_status(200);
    let j = r.json();
    assert_eq!(j["user"]["handle"], "mia");
    assert_eq!(j["user"]["role"], "staff");
    assert_eq!(j["thread_count"], 1);
    assert_eq!(
        j["threads"][0]["title"],
        "Printer queue stalls after the update"
    );
    assert_eq!(j["identities"][0]["subject"], "sub-48151623");
    assert_eq!(j["setup"][0]["platform"], "Windows 11 Pro");
    assert!(!j["sessions"].as_array().expect("sessions").is_empty());
    assert!(j["audit"]
        .as_array()
        .expect("audit")
        .iter()
        .any(|e| e["action"] == "user_role_changed"));
    assert_eq!(j["tokens"][0]["name"], "test");
    let text = j.to_string();
    assert!(!text.contains(&plain_token) && !text.contains(&token_hash));
    assert!(!text.contains(&session_hash) && !text.contains("id_hash"));
    assert!(!text.contains("token_hash") && !text.contains("password_hash"));

    // Unknown people: 404 on the page and in the API; a non-number id is no page either.
    admin.get("/admin/users/999999").assert_status(404);
    admin.get("/admin/users/abc").assert_status(404);
    let r = api.get("/api/v1/admin/users/999999");
    r.assert_status(404);
    assert_eq!(r.json()["error"], "not_found");
}

#[test]
fn only_admins_get_in() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "", "");
    let id = user_id(&app, "root");
    admin.get("/admin/users").assert_status(200);
    for (handle, role) in [
        ("sam", Role::Staff),
        ("moe", Role::Moderator),
        ("mel", Role::Member),
    ] {
        let mut c = app.user_with_role(handle, role, "", "");
        c.get("/admin/users").assert_status(403);
        c.get(&format!("/admin/users/{id}")).assert_status(403);
        let token = app.token_for(handle);
        let mut api = Client::api(&app, &token);
        api.get("/api/v1/admin/users").assert_status(403);
        api.get(&format!("/api/v1/admin/users/{id}"))
            .assert_status(403);
    }
    let mut anon = Client::new(&app);
    let r = anon.get("/admin/users");
    r.assert_status(303);
    assert!(r.location().starts_with("/login"));
    anon.get("/api/v1/admin/users").assert_status(403);
    // An admin cannot suspend themselves, and their page offers no form for it.
    let own = admin.get(&format!("/admin/users/{id}"));
    assert!(!own.body.contains("/suspend\""));
    admin
        .submit(
            "/admin/users",
            &format!("/admin/users/{id}/suspend"),
            &[("days", "3")],
        )
        .assert_status(422);
}
