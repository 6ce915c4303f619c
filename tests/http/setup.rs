//! First start: the setup link, migrations in step, the example config in step, health checks.

use crate::helpers::*;

#[test]
fn migrations_have_the_same_names_for_both_backends() {
    let names = |dir: &str| {
        let mut v: Vec<String> =
            std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                .expect("migrations dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

#[test]
fn example_config_matches_the_defaults() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/peerdesk.example.toml"
    ))
    .expect("example config");
    let parsed: peerdesk::config::Settings = toml_from_str(&text);
    assert_eq!(
        parsed,
        peerdesk::config::Settings::default(),
        "peerdesk.example.toml is stale"
    );
    // Every key is written out (not just left to defaults).
    let defaults = serde_json::to_value(peerdesk::config::Settings::default()).expect("json");
    for (section, keys) in defaults.as_object().expect("object") {
        assert!(
            text.contains(&format!("[{section}]")),
            "section [{section}] missing"
        );
        for (key, value) in keys.as_object().expect("keys") {
            // A table of its own (`[limits.per_user]`) or a key of the section.
            let written = if value.is_object() {
                format!("[{section}.{key}]")
            } else {
                format!("\n{key} =")
            };
            assert!(text.contains(&written), "key {section}.{key} missing");
        }
    }
}

fn toml_from_str(text: &str) -> peerdesk::config::Settings {
    use figment::providers::{Format, Toml};
    figment::Figment::from(Toml::string(text))
        .extract()
        .expect("example config parses")
}

#[test]
fn health_and_readiness() {
    let app = spawn_app();
    let mut c = Client::new(&app);
    c.get("/healthz").assert_status(200);
    let r = c.get("/readyz");
    r.assert_status(200);
    assert_eq!(r.json()["status"], "ready");
    // The suite really runs on the backend it claims to.
    let expected = match std::env::var("PEERDESK_TEST_DATABASE").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    };
    assert_eq!(r.json()["database"], expected);
    let icon = c.get("/favicon.ico");
    icon.assert_status(200);
    assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
}

#[test]
fn setup_link_creates_the_first_admin_once() {
    let app = spawn_app();
    let link = app
        .setup_link
        .clone()
        .expect("a fresh install prints a setup link");
    let path = link.trim_start_matches(&app.base).to_string();
    let mut c = Client::new(&app);
    let page = c.get(&path);
    page.assert_status(200);
    assert!(page.body.contains("Create admin account"));
    // Invalid input writes nothing and keeps the link usable.
    let r = c.submit(
        &path,
        &path,
        &[
            ("handle", "x"),
            ("email", "boss@example.com"),
            ("password", PASSWORD),
        ],
    );
    r.assert_status(422);
    assert_eq!(app.count("users"), 0);
    let r = c.submit(
        &path,
        &path,
        &[
            ("handle", "boss"),
            ("email", "boss@example.com"),
            ("name", "Ada Boss"),
            ("title", "Head of support"),
            ("password", PASSWORD),
        ],
    );
    r.assert_status(303);
    assert_eq!(r.location(), "/admin");
    c.get("/admin").assert_status(200);
    // Spent: a second visit is a 404, and so is a made-up token.
    let mut other = Client::new(&app);
    other.get(&path).assert_status(404);
    other.get("/setup/not-a-token").assert_status(404);
    assert_eq!(app.count("users"), 1);
}

#[test]
fn a_fresh_install_has_the_general_category() {
    let app = spawn_app();
    let mut c = Client::new(&app);
    let r = c.get("/categories");
    r.assert_status(200);
    assert!(r.body.contains("General"));
}
