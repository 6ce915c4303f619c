//! Sign up, sign in, sign out, sessions, profile, roles.

use crate::helpers::*;
use peerdesk::accounts::Role;

#[test]
fn sign_up_sign_in_and_out() {
    let app = spawn_app();
    let mut c = app.member("alice");
    let home = c.get("/");
    assert!(home.body.contains("/u/alice"), "signed in after sign-up");
    // Sign out.
    let csrf = home.csrf();
    c.post_form("/logout", &[("csrf", &csrf)])
        .assert_status(303);
    assert!(!c.get("/").body.contains("/u/alice"));
    // Wrong password: 401 with a message, no session.
    let r = c.submit(
        "/login",
        "/login",
        &[
            ("login", "alice"),
            ("password", "wrong password!"),
            ("next", "/"),
        ],
    );
    r.assert_status(401);
    assert!(r.body.contains("wrong handle, email or password"));
    // Right password, by email; `next` is followed but only to local paths.
    let r = c.submit(
        "/login",
        "/login",
        &[
            ("login", "ALICE@example.com"),
            ("password", PASSWORD),
            ("next", "/categories"),
        ],
    );
    r.assert_status(303);
    assert_eq!(r.location(), "/categories");
    for evil in [
        "//evil.example/",
        "/\t/evil.example",
        "/\\evil.example",
        "/\n/x",
        "https://evil.example/",
    ] {
        let r = c.submit(
            "/login",
            "/login",
            &[("login", "alice"), ("password", PASSWORD), ("next", evil)],
        );
        r.assert_status(303);
        assert_eq!(r.location(), "/", "next={evil:?}");
    }
}

#[test]
fn signing_in_renews_the_session() {
    let app = spawn_app();
    app.member("bob");
    let mut c = Client::new(&app);
    let login_page = c.get("/login");
    let before = c
        .cookies
        .get("peerdesk")
        .cloned()
        .expect("session cookie before sign-in");
    let r = c.post_form(
        "/login",
        &[
            ("csrf", &login_page.csrf()),
            ("login", "bob"),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    );
    r.assert_status(303);
    let after = c
        .cookies
        .get("peerdesk")
        .cloned()
        .expect("session cookie after sign-in");
    assert_ne!(before, after);
    // The old CSRF token no longer works: the session id and token were renewed.
    let r = c.post_form("/logout", &[("csrf", &login_page.csrf())]);
    r.assert_status(403);
    let set_cookie = r
        .headers
        .get("set-cookie")
        .cloned()
        .unwrap_or_default()
        .join(" ");
    assert!(
        !set_cookie.contains("peerdesk="),
        "refused sign-out must not touch the session"
    );
}

#[test]
fn session_cookie_flags() {
    let app = spawn_app();
    let mut c = Client::new(&app);
    let r = c.get("/login");
    let cookie = r
        .header("set-cookie")
        .expect("set-cookie")
        .to_ascii_lowercase();
    assert!(cookie.contains("httponly"));
    assert!(cookie.contains("samesite=lax"));
    assert!(cookie.contains("path=/"));
}

#[test]
fn https_deployments_use_a_host_prefixed_secure_cookie() {
    let app = spawn_app_with(|s| s.server.base_url = "https://support.example.com".into());
    let mut c = Client::new(&app);
    let r = c.get("/login");
    let cookie = r.header("set-cookie").expect("set-cookie");
    assert!(cookie.starts_with("__Host-peerdesk="), "{cookie}");
    assert!(cookie.to_ascii_lowercase().contains("secure"));
}

#[test]
fn duplicate_handle_or_email_is_refused() {
    let app = spawn_app();
    app.member("carol");
    let mut c = Client::new(&app);
    let r = c.submit(
        "/signup",
        "/signup",
        &[
            ("handle", "Carol"),
            ("email", "other@example.com"),
            ("password", PASSWORD),
        ],
    );
    r.assert_status(409);
    assert!(r.body.contains("taken"));
    let r = c.submit(
        "/signup",
        "/signup",
        &[
            ("handle", "carol2"),
            ("email", "CAROL@example.com"),
            ("password", PASSWORD),
        ],
    );
    r.assert_status(409);
    let r = c.submit(
        "/signup",
        "/signup",
        &[
            ("handle", "dave"),
            ("email", "not-an-email"),
            ("password", PASSWORD),
        ],
    );
    r.assert_status(422);
    let r = c.submit(
        "/signup",
        "/signup",
        &[
            ("handle", "dave"),
            ("email", "dave@example.com"),
            ("password", "short"),
        ],
    );
    r.assert_status(422);
    assert_eq!(app.count("users"), 1);
}

#[test]
fn sign_out_everywhere_ends_other_sessions() {
    let app = spawn_app();
    let mut laptop = app.member("erin");
    let mut phone = Client::new(&app);
    phone
        .submit(
            "/login",
            "/login",
            &[("login", "erin"), ("password", PASSWORD), ("next", "/")],
        )
        .assert_status(303);
    assert!(phone.get("/account").status == 200);
    laptop
        .submit("/account", "/account/sign-out-everywhere", &[])
        .assert_status(303);
    let r = phone.get("/account");
    r.assert_status(303);
    assert!(r.location().starts_with("/login"));
}

#[test]
fn password_change_ends_other_sessions_and_tokens() {
    let app = spawn_app();
    let mut laptop = app.member("frank");
    let mut phone = Client::new(&app);
    phone
        .submit(
            "/login",
            "/login",
            &[("login", "frank"), ("password", PASSWORD), ("next", "/")],
        )
        .assert_status(303);
    let token = app.token_for("frank");
    let mut api = Client::api(&app, &token);
    api.get("/api/v1/me").assert_status(200);
    // Wrong current password: refused, nothing changes.
    laptop
        .submit(
            "/account",
            "/account/password",
            &[
                ("current", "nope nope nope"),
                ("new", "a brand new password"),
            ],
        )
        .assert_status(401);
    api.get("/api/v1/me").assert_status(200);
    let r = laptop.submit(
        "/account",
        "/account/password",
        &[("current", PASSWORD), ("new", "a brand new password")],
    );
    r.assert_status(303);
    laptop.get("/account").assert_status(200); // this browser stays signed in
    phone.get("/account").assert_status(303);
    api.get("/api/v1/me").assert_status(401);
    let mut c = Client::new(&app);
    c.submit(
        "/login",
        "/login",
        &[
            ("login", "frank"),
            ("password", "a brand new password"),
            ("next", "/"),
        ],
    )
    .assert_status(303);
}

#[test]
fn role_change_and_suspension_end_sessions() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "Root Admin", "Operator");
    let mut member = app.member("gina");
    let token = app.token_for("gina");
    let gina_id = app
        .db
        .write_blocking(|conn| peerdesk::accounts::find_by_handle(conn, "gina"))
        .expect("gina")
        .id;
    admin
        .submit(
            "/admin",
            &format!("/admin/users/{gina_id}/role"),
            &[("role", "staff")],
        )
        .assert_status(303);
    member.get("/account").assert_status(303);
    Client::api(&app, &token)
        .get("/api/v1/me")
        .assert_status(401);
    // Suspended users cannot sign in.
    admin
        .submit(
            "/admin",
            &format!("/admin/users/{gina_id}/suspend"),
            &[("days", "3")],
        )
        .assert_status(303);
    let mut c = Client::new(&app);
    let r = c.submit(
        "/login",
        "/login",
        &[("login", "gina"), ("password", PASSWORD), ("next", "/")],
    );
    r.assert_status(403);
    assert!(r.body.contains("suspended"));
    admin
        .submit(
            "/admin",
            &format!("/admin/users/{gina_id}/suspend"),
            &[("days", "0")],
        )
        .assert_status(303);
    c.submit(
        "/login",
        "/login",
        &[("login", "gina"), ("password", PASSWORD), ("next", "/")],
    )
    .assert_status(303);
}

#[test]
fn profile_edit_and_public_profile() {
    let app = spawn_app();
    let mut c = app.member("hana");
    c.submit(
        "/account",
        "/account/profile",
        &[
            ("name", "Hana Sato"),
            ("title", "Network admin"),
            ("bio", "I run a small office network."),
        ],
    )
    .assert_status(200);
    let thread = app.ask(
        &mut c,
        "Router drops WiFi every evening",
        "Since the update it drops at 8pm.",
    );
    let mut anon = Client::new(&app);
    let p = anon.get("/u/hana");
    p.assert_status(200);
    assert!(p.body.contains("Hana Sato"));
    assert!(p.body.contains("Router drops WiFi every evening"));
    assert!(p.body.contains(&thread));
    anon.get("/u/nobody-here").assert_status(404);
}

#[test]
fn members_cannot_reach_admin_pages() {
    let app = spawn_app();
    let mut m = app.member("ivan");
    m.get("/admin").assert_status(403);
    let r = m.submit("/account", "/admin/categories", &[("name", "Sneaky")]);
    r.assert_status(403);
    let r = m.submit("/account", "/admin/users/1/role", &[("role", "admin")]);
    r.assert_status(403);
    assert_eq!(app.count("categories"), 1);
    // Anonymous visitors are sent to sign in.
    let mut anon = Client::new(&app);
    let r = anon.get("/admin");
    r.assert_status(303);
    assert_eq!(r.location(), "/login?next=/admin");
}

#[test]
fn admins_manage_categories_and_tags() {
    let app = spawn_app();
    let mut admin = app.user_with_role("root", Role::Admin, "", "");
    admin
        .submit(
            "/admin",
            "/admin/categories",
            &[
                ("name", "Router X200"),
                ("slug", ""),
                ("description", "Home router"),
                ("position", "1"),
            ],
        )
        .assert_status(303);
    let mut anon = Client::new(&app);
    let r = anon.get("/c/router-x200");
    r.assert_status(200);
    assert!(r.body.contains("Home router"));
    // Duplicate slug: 409, nothing added.
    admin
        .submit("/admin", "/admin/categories", &[("name", "Router X200")])
        .assert_status(409);
    admin
        .submit("/admin", "/admin/categories", &[("name", "")])
        .assert_status(422);
    assert_eq!(app.count("categories"), 2);
    // Rename, then delete the empty one.
    let id = app
        .db
        .write_blocking(|conn| peerdesk::catalog::find_category_by_slug(conn, "router-x200"))
        .expect("cat")
        .id;
    admin
        .submit(
            "/admin",
            &format!("/admin/categories/{id}"),
            &[
                ("name", "Router X300"),
                ("slug", "router-x300"),
                ("description", "New"),
                ("position", "2"),
            ],
        )
        .assert_status(303);
    anon.get("/c/router-x300").assert_status(200);
    admin
        .submit("/admin", &format!("/admin/categories/{id}/delete"), &[])
        .assert_status(303);
    anon.get("/c/router-x300").assert_status(404);
    // A category with threads cannot be deleted.
    let mut m = app.member("jack");
    app.ask(&mut m, "Question in the general category", "Body text");
    let general = app
        .db
        .write_blocking(|conn| peerdesk::catalog::find_category_by_slug(conn, "general"))
        .expect("general")
        .id;
    admin
        .submit(
            "/admin",
            &format!("/admin/categories/{general}/delete"),
            &[],
        )
        .assert_status(409);
    // Tags get descriptions.
    admin
        .submit(
            "/admin",
            "/admin/tags",
            &[("name", "wifi"), ("description", "Wireless networking")],
        )
        .assert_status(303);
    assert!(anon.get("/tags/wifi").body.contains("Wireless networking"));
}
