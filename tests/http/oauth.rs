//! Sign-in with OAuth2 / OpenID Connect against real providers on loopback (npm
//! oauth2-mock-server, see tests/e2e/lib/oauth-provider.mjs): a generic OIDC provider and a
//! GitHub-style one, first sign-in with a chosen handle, returning sign-ins, joining by verified
//! email only, linking and unlinking, role rules, provider-only mode, and every failure.

use crate::helpers::*;
use peerdesk::config::{ProviderKind, ProviderSettings, RoleRule};

fn oidc(id: &str, client_id: &str) -> ProviderSettings {
    ProviderSettings {
        id: id.into(),
        kind: ProviderKind::Oidc,
        name: "Corp SSO".into(),
        client_id: client_id.into(),
        client_secret: "test-secret".into(),
        issuer: providers().oidc.clone(),
        ..Default::default()
    }
}

fn github() -> ProviderSettings {
    let base = &providers().github;
    ProviderSettings {
        id: "github".into(),
        kind: ProviderKind::Github,
        name: "GitHub".into(),
        client_id: "peerdesk".into(),
        client_secret: "test-secret".into(),
        issuer: base.clone(),
        auth_url: format!("{base}/authorize"),
        token_url: format!("{base}/token"),
        userinfo_url: format!("{base}/userinfo"),
        emails_url: String::new(),
        ..Default::default()
    }
}

fn app_with(providers: Vec<ProviderSettings>, rules: Vec<RoleRule>) -> TestApp {
    spawn_app_with(move |s| {
        s.auth.providers = providers;
        s.auth.role_rules = rules;
        s.auth.timeout_secs = 2;
    })
}

/// start → the provider's authorize endpoint → our callback; returns the callback's response.
fn sign_in_flow(c: &mut Client, provider: &str, hint: &str) -> Resp {
    let r = c.get(&format!(
        "/auth/{provider}/start?login_hint={hint}&next=/account"
    ));
    r.assert_status(303);
    let authorize = r.location().to_string();
    let r = c.get_url(&authorize);
    assert_eq!(r.status, 302, "provider authorize: {}", r.body);
    let callback = r.location().to_string();
    assert!(
        callback.contains(&format!("/auth/{provider}/callback?")),
        "{callback}"
    );
    c.get_url(&callback)
}

/// A first sign-in: the handle page, then the account.
fn first_sign_in(c: &mut Client, provider: &str, hint: &str, handle: &str) {
    let r = sign_in_flow(c, provider, hint);
    r.assert_status(303);
    assert_eq!(r.location(), "/auth/welcome");
    let page = c.get("/auth/welcome");
    page.assert_status(200);
    let r = c.submit("/auth/welcome", "/auth/welcome", &[("handle", handle)]);
    r.assert_status(303);
    assert_eq!(r.location(), "/account");
}

fn signed_in_handle(c: &mut Client) -> Option<String> {
    let page = c.get("/account");
    (page.status == 200)
        .then(|| extract_between(&page.body, "href=\"/u/", "\"").unwrap_or_default())
}

#[test]
fn oidc_first_sign_in_chooses_a_handle_and_returns_to_the_same_account() {
    let app = app_with(vec![oidc("corp", "peerdesk")], vec![]);
    let mut c = Client::new(&app);
    let login = c.get("/login");
    assert!(login.body.contains("href=\"/auth/corp/start?next="));
    assert!(login.body.contains("Sign in with Corp SSO"));
    let users = app.count("users");
    let r = sign_in_flow(&mut c, "corp", "alice");
    r.assert_status(303);
    assert_eq!(r.location(), "/auth/welcome");
    // Nothing is written until the handle is chosen.
    assert_eq!(app.count("users"), users);
    assert_eq!(app.count("identities"), 0);
    let page = c.get("/auth/welcome");
    assert!(
        page.body.contains("value=\"alice\""),
        "handle proposed from the username"
    );
    assert!(page.body.contains("alice@example.org"));
    // A taken or invalid handle re-shows the page.
    app.member("alice");
    let r = c.submit("/auth/welcome", "/auth/welcome", &[("handle", "alice")]);
    r.assert_status(409);
    let r = c.submit("/auth/welcome", "/auth/welcome", &[("handle", "!")]);
    r.assert_status(422);
    let r = c.submit(
        "/auth/welcome",
        "/auth/welcome",
        &[("handle", "alice-corp")],
    );
    r.assert_status(303);
    assert_eq!(signed_in_handle(&mut c).as_deref(), Some("alice-corp"));
    assert_eq!(app.count("identities"), 1);
    let account = c.get("/account").body;
    assert!(account.contains("<strong data-user>corp</strong>"));
    // The welcome step is gone once used.
    c.get("/auth/welcome").assert_status(400);

    // Later, in another browser: the same (issuer, subject) finds the same account at once.
    let mut again = Client::new(&app);
    let r = sign_in_flow(&mut again, "corp", "alice");
    r.assert_status(303);
    assert_eq!(r.location(), "/account");
    assert_eq!(signed_in_handle(&mut again).as_deref(), Some("alice-corp"));
    assert_eq!(app.count("identities"), 1);
}

#[test]
fn github_style_provider_signs_in_through_its_user_api() {
    let app = app_with(vec![github()], vec![]);
    let mut c = Client::new(&app);
    first_sign_in(&mut c, "github", "octocat", "octocat");
    assert_eq!(signed_in_handle(&mut c).as_deref(), Some("octocat"));
    let mut again = Client::new(&app);
    let r = sign_in_flow(&mut again, "github", "octocat");
    assert_eq!(r.location(), "/account");
    assert_eq!(signed_in_handle(&mut again).as_deref(), Some("octocat"));
    // A GitHub user without a public email gets a clear page and no account.
    let users = app.count("users");
    let r = sign_in_flow(&mut Client::new(&app), "github", "noemail");
    r.assert_status(422);
    assert!(
        r.body.contains("did not share an email address"),
        "{}",
        r.body
    );
    assert_eq!(app.count("users"), users);
}

#[test]
fn existing_accounts_are_joined_by_verified_email_only() {
    let app = app_with(vec![oidc("corp", "peerdesk"), github()], vec![]);
    // An account whose address GitHub verified (its /user/emails list is not served here, so
    // the test marks it verified as GitHub's list would).
    first_sign_in(&mut Client::new(&app), "github", "bob", "bob");
    app.db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::users;
            diesel::update(users::table.filter(users::handle.eq("bob")))
                .set(users::email_verified.eq(true))
                .execute(conn)?;
            Ok(())
        })
        .expect("verify");
    // The OIDC provider vouches for the same address: signs straight into bob's account.
    let mut c = Client::new(&app);
    let r = sign_in_flow(&mut c, "corp", "bob");
    assert_eq!(r.location(), "/account");
    assert_eq!(signed_in_handle(&mut c).as_deref(), Some("bob"));
    assert_eq!(app.count("identities"), 2);
    // A local sign-up's address is not verified (anyone can type anyone's address): a verified
    // provider address does not take that account over.
    Client::new(&app)
        .submit(
            "/signup",
            "/signup",
            &[
                ("handle", "carol"),
                ("email", "carol@example.org"),
                ("name", ""),
                ("password", PASSWORD),
            ],
        )
        .assert_status(303);
    let r = sign_in_flow(&mut Client::new(&app), "corp", "carol");
    r.assert_status(409);
    assert!(r.body.contains("Sign in to it another way, then link"));
    // And a provider that does not verify the address never joins.
    let r = sign_in_flow(&mut Client::new(&app), "corp", "bob-unverified");
    assert_eq!(r.location(), "/auth/welcome", "a new account instead");
    assert_eq!(app.count("identities"), 2);
}

#[test]
fn linking_and_unlinking_providers() {
    let app = app_with(vec![oidc("corp", "peerdesk"), github()], vec![]);
    let mut c = app.member("linker");
    let csrf = c.get("/account").csrf();
    let r = c.post_form("/auth/corp/link", &[("csrf", &csrf)]);
    r.assert_status(303);
    let r = c.get_url(r.location());
    let r = c.get_url(r.location());
    r.assert_status(303);
    assert_eq!(r.location(), "/account");
    let r = c.post_form("/auth/github/link", &[("csrf", &csrf)]);
    let r = c.get_url(r.location());
    c.get_url(r.location()).assert_status(303);
    assert_eq!(app.count("identities"), 2);
    let account = c.get("/account").body;
    assert!(
        account.contains("<strong data-user>corp</strong>")
            && account.contains("<strong data-user>github</strong>")
    );
    // The linked provider now signs in as this account.
    let mut other = Client::new(&app);
    assert_eq!(
        sign_in_flow(&mut other, "corp", "alice").location(),
        "/account"
    );
    assert_eq!(signed_in_handle(&mut other).as_deref(), Some("linker"));
    // Linking a provider account that belongs to someone else is refused.
    let mut second = app.member("second");
    let csrf2 = second.get("/account").csrf();
    let r = second.post_form("/auth/corp/link", &[("csrf", &csrf2)]);
    let r = second.get_url(r.location());
    let r = second.get_url(r.location());
    r.assert_status(409);
    // Unlink one (the member still has a password).
    let id = extract_between(&account, "/account/identities/", "/delete").expect("identity");
    c.post_form(
        &format!("/account/identities/{id}/delete"),
        &[("csrf", &csrf)],
    )
    .assert_status(303);
    assert_eq!(app.count("identities"), 1);
    // Someone else's identity: 404. Without the form token: 403.
    c.post_form("/account/identities/999999/delete", &[("csrf", &csrf)])
        .assert_status(404);
    // A provider-only account cannot unlink its last way to sign in.
    let mut only = Client::new(&app);
    first_sign_in(&mut only, "github", "solo", "solo");
    let page = only.get("/account").body;
    let id = extract_between(&page, "/account/identities/", "/delete").expect("identity");
    let csrf = only.get("/account").csrf();
    let r = only.post_form(
        &format!("/account/identities/{id}/delete"),
        &[("csrf", &csrf)],
    );
    r.assert_status(409);
    assert!(r.body.contains("only way to sign in"));
    only.post_form(
        &format!("/account/identities/{id}/delete"),
        &[("csrf", "forged")],
    )
    .assert_status(403);
    // Linking needs a signed-in user.
    Client::new(&app)
        .post_form("/auth/corp/link", &[("csrf", "x")])
        .assert_status(401);
}

#[test]
fn role_rules_map_domains_and_groups() {
    let rules = vec![
        RoleRule {
            email_domain: "corp.example".into(),
            role: "staff".into(),
            ..Default::default()
        },
        RoleRule {
            provider: "corp".into(),
            group: "support-leads".into(),
            role: "moderator".into(),
            ..Default::default()
        },
        // Unverified addresses never match a domain rule.
        RoleRule {
            email_domain: "unverified.example".into(),
            role: "admin".into(),
            ..Default::default()
        },
    ];
    let app = app_with(vec![oidc("corp", "peerdesk")], rules);
    let role_of = |app: &TestApp, handle: &str| -> String {
        let h = handle.to_string();
        app.db
            .read_blocking(move |conn| Ok(peerdesk::accounts::find_by_handle(conn, &h)?.role))
            .expect("user")
    };
    first_sign_in(&mut Client::new(&app), "corp", "corp-dave", "dave");
    assert_eq!(role_of(&app, "dave"), "staff");
    first_sign_in(&mut Client::new(&app), "corp", "corp-lead", "lena");
    assert_eq!(
        role_of(&app, "lena"),
        "moderator",
        "the highest matching rule"
    );
    first_sign_in(&mut Client::new(&app), "corp", "plain", "plain");
    assert_eq!(role_of(&app, "plain"), "member");
    // A local member whose verified corp address signs in is raised, never lowered.
    Client::new(&app)
        .submit(
            "/signup",
            "/signup",
            &[
                ("handle", "frank"),
                ("email", "corp-frank@corp.example"),
                ("name", ""),
                ("password", PASSWORD),
            ],
        )
        .assert_status(303);
    assert_eq!(role_of(&app, "frank"), "member");
    // (Joining needs the account's address verified too: as if a provider had vouched for it.)
    app.db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use peerdesk::db::schema::users;
            diesel::update(users::table.filter(users::handle.eq("frank")))
                .set(users::email_verified.eq(true))
                .execute(conn)?;
            Ok(())
        })
        .expect("verify");
    sign_in_flow(&mut Client::new(&app), "corp", "corp-frank").assert_status(303);
    assert_eq!(role_of(&app, "frank"), "staff");
}

#[test]
fn local_accounts_can_be_switched_off() {
    let app = spawn_app_with(|s| {
        s.auth.providers = vec![oidc("corp", "peerdesk")];
        s.auth.local_accounts = false;
    });
    let mut c = Client::new(&app);
    let login = c.get("/login");
    login.assert_status(200);
    assert!(login.body.contains("Sign in with Corp SSO"));
    assert!(
        !login.body.contains("name=\"password\""),
        "no password form"
    );
    c.get("/signup").assert_status(403);
    // Provider sign-in still works; with a valid form token, password sign-in is still refused.
    sign_in_flow(&mut c, "corp", "alice").assert_status(303);
    let csrf = c.get("/auth/welcome").csrf();
    let r = c.post_form(
        "/login",
        &[("csrf", &csrf), ("login", "x"), ("password", "y")],
    );
    r.assert_status(403);
    assert!(r.body.contains("local accounts are switched off"));
    c.submit("/auth/welcome", "/auth/welcome", &[("handle", "alice")])
        .assert_status(303);
    assert_eq!(signed_in_handle(&mut c).as_deref(), Some("alice"));
}

#[test]
fn every_failure_gives_a_clear_page_and_creates_nothing() {
    let slow = ProviderSettings {
        id: "slow".into(),
        token_url: format!("{}/token", providers().slow),
        ..oidc("slow", "peerdesk")
    };
    let down = ProviderSettings {
        id: "down".into(),
        issuer: "http://127.0.0.1:9".into(),
        ..oidc("down", "peerdesk")
    };
    let app = app_with(
        vec![
            oidc("corp", "peerdesk"),
            oidc("aud", "wrong-audience"),
            oidc("expired", "expired"),
            oidc("forged", "bad-signature"),
            slow,
            down,
        ],
        vec![],
    );
    let users = app.count("users");
    let nothing_written = |app: &TestApp| {
        assert_eq!(app.count("users"), users);
        assert_eq!(app.count("identities"), 0);
    };
    let expect = |r: &Resp, status: u16, words: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        assert!(r.body.contains(words), "expected {words:?} in {}", r.body);
        assert!(r.body.contains("<html"), "a themed page");
    };

    // Cancelled at the provider.
    let mut c = Client::new(&app);
    let r = c.get("/auth/corp/start");
    r.assert_status(303);
    let authorize = r.location().to_string();
    let state = authorize
        .split("state=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("state");
    let r = c.get(&format!(
        "/auth/corp/callback?error=access_denied&state={state}"
    ));
    expect(&r, 400, "You cancelled signing in with Corp SSO");
    // The sign-in is over: the same callback again has nothing to finish.
    let r = c.get(&format!("/auth/corp/callback?code=abc&state={state}"));
    expect(&r, 400, "not started in this browser");

    // No sign-in started in this browser; state missing; state not matching.
    expect(
        &Client::new(&app).get("/auth/corp/callback?code=abc&state=xyz"),
        400,
        "not started in this browser",
    );
    let mut c = Client::new(&app);
    c.get("/auth/corp/start");
    expect(
        &c.get("/auth/corp/callback?code=abc"),
        400,
        "does not belong to the sign-in",
    );
    let mut c = Client::new(&app);
    c.get("/auth/corp/start");
    expect(
        &c.get("/auth/corp/callback?code=abc&state=forged"),
        400,
        "does not belong to the sign-in",
    );

    // A code used twice: the provider refuses the second exchange.
    let mut c = Client::new(&app);
    let r = c.get("/auth/corp/start?login_hint=replay");
    let r = c.get_url(r.location());
    let first_callback = r.location().to_string();
    c.get_url(&first_callback).assert_status(303);
    let code = first_callback
        .split("code=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("code");
    let r = c.get("/auth/corp/start?login_hint=replay");
    let new_state = r
        .location()
        .split("state=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("state")
        .to_string();
    let r = c.get(&format!(
        "/auth/corp/callback?code={code}&state={new_state}"
    ));
    expect(&r, 400, "already used or has expired");

    // ID tokens that fail verification.
    for (provider, why) in [
        ("aud", "issued for another application"),
        ("expired", "expired"),
        ("forged", "bad signature"),
    ] {
        let r = sign_in_flow(&mut Client::new(&app), provider, "mallory");
        expect(&r, 502, why);
    }
    // A provider that does not answer in time, and one that is down.
    let r = sign_in_flow(&mut Client::new(&app), "slow", "sam");
    expect(&r, 504, "did not answer in time");
    let r = Client::new(&app).get("/auth/down/start");
    expect(&r, 502, "cannot be reached");
    // No email shared.
    let r = sign_in_flow(&mut Client::new(&app), "corp", "noemail");
    expect(&r, 422, "did not share an email address");
    // Unknown provider.
    Client::new(&app).get("/auth/nope/start").assert_status(404);
    nothing_written(&app);
}
