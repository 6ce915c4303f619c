//! The operator interface: the `peerdesk` binary's commands and exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::*;

fn peerdesk(app: &TestApp, args: &[&str], stdin: &str) -> (i32, String, String) {
    peerdesk_with(app, args, stdin, &[])
}

/// Runs the binary on `app`'s database and index with more environment (`PEERDESK_…`).
pub fn peerdesk_with(
    app: &TestApp,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .args(args)
        .envs(env.iter().copied())
        .env("PEERDESK_DATABASE__URL", &app.database_url)
        .env("PEERDESK_SEARCH__DIR", &app.search_dir)
        .env(
            "PEERDESK_THEME__DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/themes"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run peerdesk");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn user_token_and_category_commands() {
    let app = spawn_app();
    let (code, out, err) = peerdesk(
        &app,
        &[
            "user",
            "create",
            "--handle",
            "opsadmin",
            "--email",
            "ops@example.com",
            "--role",
            "admin",
            "--name",
            "Olga Ops",
            "--title",
            "Operator",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("opsadmin"));
    let mut c = Client::new(&app);
    c.submit(
        "/login",
        "/login",
        &[("login", "opsadmin"), ("password", PASSWORD), ("next", "/")],
    )
    .assert_status(303);
    c.get("/admin").assert_status(200);

    let (code, out, _) = peerdesk(&app, &["token", "create", "--user", "opsadmin"], "");
    assert_eq!(code, 0);
    let token = out.trim();
    assert!(
        token.starts_with("pd_") && !token.contains(char::is_whitespace),
        "only the token on stdout: {out:?}"
    );
    let me = Client::api(&app, token).get("/api/v1/me");
    me.assert_status(200);
    assert_eq!(me.json()["handle"], "opsadmin");

    let (code, _, err) = peerdesk(
        &app,
        &[
            "category",
            "create",
            "--name",
            "Smart Camera",
            "--description",
            "Cameras",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    Client::new(&app).get("/c/smart-camera").assert_status(200);

    let (code, out, _) = peerdesk(
        &app,
        &[
            "user",
            "create",
            "--handle",
            "provideronly",
            "--email",
            "p@example.com",
            "--no-password",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.contains("member"));
    let (code, out, _) = peerdesk(
        &app,
        &[
            "user",
            "role",
            "--handle",
            "provideronly",
            "--role",
            "staff",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.contains("staff"));
}

#[test]
fn errors_and_usage_have_distinct_exit_codes() {
    let app = spawn_app();
    // Usage error: 2.
    let (code, _, err) = peerdesk(&app, &["user", "create", "--handle"], "");
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = peerdesk(&app, &["no-such-command"], "");
    assert_eq!(code, 2);
    let (code, _, err) = peerdesk(
        &app,
        &["user", "role", "--handle", "x", "--role", "bogus"],
        "",
    );
    assert_eq!(code, 2, "{err}");
    // Anything else: 1 with a one-line message.
    let (code, _, err) = peerdesk(&app, &["token", "create", "--user", "ghost"], "");
    assert_eq!(code, 1);
    assert!(err.contains("user not found"), "{err}");
    let (code, _, err) = peerdesk(
        &app,
        &[
            "user",
            "create",
            "--handle",
            "nopass",
            "--email",
            "n@example.com",
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("no password"), "{err}");
    let (code, _, err) = peerdesk(
        &app,
        &["--config", "/nonexistent/peerdesk.toml", "migrate"],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("does not exist"), "{err}");
    // --help works for every command.
    for args in [
        vec!["--help"],
        vec!["user", "create", "--help"],
        vec!["demo-data", "--help"],
        vec!["token", "create", "--help"],
    ] {
        let (code, out, _) = peerdesk(&app, &args, "");
        assert_eq!(code, 0);
        assert!(out.contains("Usage"));
    }
}

#[test]
fn demo_data_fills_the_database_with_progress() {
    let app = spawn_app();
    let (code, out, err) = peerdesk(
        &app,
        &[
            "demo-data",
            "--threads",
            "200",
            "--users",
            "20",
            "--answers",
            "2",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created 200 threads"));
    // One in a hundred (the most voted solved threads) becomes a knowledge-base article.
    assert!(
        out.contains("promoted 2 solved threads into knowledge-base articles"),
        "{out}"
    );
    assert_eq!(app.count("kb_articles"), 2);
    assert!(out.contains("a thread with 20 answers: /t/"));
    assert_eq!(app.count("threads"), 200);
    let path = out
        .lines()
        .find_map(|l| l.strip_prefix("a thread with 20 answers: "))
        .expect("path")
        .trim()
        .to_string();
    let page = Client::new(&app).get(&path);
    page.assert_status(200);
    assert_eq!(post_ids(&page.body).len(), 21);
    let kb = Client::new(&app).get("/kb").body;
    let article_links = kb
        .split("href=\"/kb/")
        .skip(1)
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .count();
    assert_eq!(article_links, 2, "{kb}");
    // The demo content is indexed (the running server switches to the rebuilt index).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.search.doc_count() != 202 {
        assert!(
            std::time::Instant::now() < deadline,
            "demo data was not indexed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn email_test_and_status_commands() {
    let sink = crate::mail_sink::MailSink::start();
    let app = spawn_app();
    let run = |args: &[&str], port: Option<u16>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peerdesk"));
        cmd.args(args)
            .env("PEERDESK_DATABASE__URL", &app.database_url)
            .env("PEERDESK_SEARCH__DIR", &app.search_dir);
        if let Some(port) = port {
            cmd.env("PEERDESK_EMAIL__SMTP_HOST", "127.0.0.1")
                .env("PEERDESK_EMAIL__SMTP_PORT", port.to_string())
                .env("PEERDESK_EMAIL__SECURITY", "none")
                .env("PEERDESK_EMAIL__FROM", "Peerdesk <support@peerdesk.test>");
        }
        let out = cmd.output().expect("run peerdesk");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(
        &["email", "test", "--to", "admin@example.com"],
        Some(sink.port),
    );
    assert_eq!(code, 0, "{out}{err}");
    let mails = sink.wait_for_to("admin@example.com", 1, std::time::Duration::from_secs(10));
    assert_eq!(mails[0].subject(), "Peerdesk test email");
    // Without SMTP settings, or to a bad address: a clear error, exit 1.
    let (code, _, err) = run(&["email", "test", "--to", "admin@example.com"], None);
    assert_eq!(code, 1);
    assert!(err.contains("email is off"), "{err}");
    let (code, _, err) = run(
        &["email", "test", "--to", "not an address"],
        Some(sink.port),
    );
    assert_eq!(code, 1);
    assert!(err.contains("--to"), "{err}");
    let (code, out, _) = run(&["email", "status"], None);
    assert_eq!(code, 0);
    assert!(out.contains("waiting 0"), "{out}");
}
