//! The test harness: `spawn_app()` starts the real server on a free loopback port with its own
//! fresh database (a temp SQLite file, or a new PostgreSQL database), and `Client` talks to it
//! like a browser (cookies, CSRF tokens from forms, no automatic redirects) or like an API client.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use peerdesk::config::Settings;

pub struct TestApp {
    pub base: String,
    pub setup_link: Option<String>,
    pub db: peerdesk::db::Db,
    pub database_url: String,
    pub search: std::sync::Arc<peerdesk::search::Search>,
    /// The app's search index folder (CLI runs in tests must use it, not the repo's).
    pub search_dir: String,
    /// The running app's state (for calling the library as the server does).
    pub state: actix_web::web::Data<peerdesk::http::AppState>,
    _dir: tempfile::TempDir,
    server: actix_web::dev::ServerHandle,
    /// The PostgreSQL database this app made, dropped after it stops (declared last: dropped
    /// after the app's state).
    database: Option<OwnedDatabase>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.search.shutdown();
        self.search.semantic().shutdown();
        let handle = self.server.clone();
        // Stop the server; don't wait for a graceful drain.
        std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
    }
}

/// A test's PostgreSQL database: a run makes about two hundred, which kept would fill gigabytes
/// of disk. Dropped a few seconds after its app, in the background: the server stops
/// asynchronously, and its threads should find their work done, not their database gone.
struct OwnedDatabase(String);

impl Drop for OwnedDatabase {
    fn drop(&mut self) {
        let url = std::mem::take(&mut self.0);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(3));
            drop_database(&url);
        });
    }
}

fn drop_database(url: &str) {
    let (Some(name), Ok(admin)) = (
        url.rsplit('/').next(),
        std::env::var("PEERDESK_TEST_POSTGRES_URL"),
    ) else {
        return;
    };
    let dropped = diesel::PgConnection::establish(&admin)
        .map_err(|e| e.to_string())
        .and_then(|mut conn| {
            conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .map_err(|e| e.to_string())
        });
    if let Err(e) = dropped {
        eprintln!("could not drop test database {name}: {e}");
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("PEERDESK_TEST_DATABASE").as_deref() {
        Ok("postgres") => {
            let admin = std::env::var("PEERDESK_TEST_POSTGRES_URL").expect(
                "PEERDESK_TEST_POSTGRES_URL must be set when PEERDESK_TEST_DATABASE=postgres",
            );
            let name = format!(
                "pd_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                rand_suffix()
            );
            let mut conn = diesel::PgConnection::establish(&admin)
                .expect("connect to the test PostgreSQL server");
            conn.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create test database");
            match admin.rfind('/') {
                Some(i) => format!("{}/{name}", &admin[..i]),
                None => panic!("bad PEERDESK_TEST_POSTGRES_URL"),
            }
        }
        _ => format!("sqlite://{}", dir.join("peerdesk.db").display()),
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

/// A server that emails through `sink` at once (no delay before notification emails).
pub fn spawn_app_with_mail(sink: &crate::mail_sink::MailSink) -> TestApp {
    spawn_app_with_mail_and(sink, |_| {})
}

pub fn spawn_app_with_mail_and(
    sink: &crate::mail_sink::MailSink,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let port = sink.port;
    spawn_app_with(move |s| {
        s.email.smtp_host = "127.0.0.1".into();
        s.email.smtp_port = port;
        s.email.security = "none".into();
        s.email.from = "Peerdesk Support <support@peerdesk.test>".into();
        s.email.delay_seconds = 0;
        s.limits.account_emails_per_ip = peerdesk::limits::Rate::per_minute(100_000);
        tweak(s);
    })
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(|_| {})
}

/// The embedding model `scripts/fetch-model` installs (scripts/test runs it first).
pub fn model_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/models/all-MiniLM-L6-v2").to_string()
}

/// The German model's folder (`scripts/fetch-model --multilingual`).
pub fn german_model_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/models/multilingual-e5-small").to_string()
}

pub fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("tempdir"), None, tweak)
}

/// Starts another server on `first`'s database and search index, as after a restart (`first`
/// should be dropped, i.e. stopped, before).
pub fn restart(mut first: TestApp, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = std::mem::replace(&mut first._dir, tempfile::tempdir().expect("tempdir"));
    let database_url = first.database_url.clone();
    // The database lives on in the new server.
    let owned = first.database.take();
    drop(first);
    // Let the old server's background threads see the stop flag.
    std::thread::sleep(Duration::from_millis(300));
    let mut app = spawn_app_in(dir, Some(database_url), tweak);
    app.database = owned;
    app
}

fn spawn_app_in(
    dir: tempfile::TempDir,
    database: Option<String>,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let made_database = database.is_none();
    // Server logs (errors with their cause) show up in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut settings = Settings::default();
    settings.server.bind = format!("127.0.0.1:{port}");
    settings.server.base_url = format!("http://127.0.0.1:{port}");
    settings.server.workers = 2;
    settings.database.url = database.unwrap_or_else(|| database_url(dir.path()));
    settings.search.dir = dir.path().join("search-index").display().to_string();
    settings.attachments.dir = dir.path().join("attachments").display().to_string();
    settings.theme.dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes").to_string();
    // Every test client connects from 127.0.0.1, so per-address limits would count a whole
    // test's cast as one visitor; the tests of those limits set their own.
    let many = peerdesk::limits::Rate::per_minute(100_000);
    settings.limits.sign_ups_per_ip = many;
    settings.limits.sign_in_failures_per_ip = many;
    settings.limits.api_token_failures_per_ip = many;
    settings.limits.article_feedback_per_ip = many;
    settings.limits.account_emails_per_ip = many;
    // The same goes for posting rates, and tests script their sign-ups and post the same text
    // in many threads: the moderation tests turn these rules back on.
    settings.limits.per_user = peerdesk::config::PostingRates::all(many);
    settings.limits.per_ip = peerdesk::config::PostingRates::all(many);
    settings.moderation.sign_up_min_seconds = 0;
    settings.moderation.duplicate_minutes = 0;
    // Brand-new accounts vote, flag, link and comment like members of level 2; the trust tests
    // set their own.
    settings.trust.privileges = peerdesk::config::Privileges::everyday_from_level_0();
    // Badges (and their notifications) only where a test is about them.
    settings.trust.badges = false;
    // Suggestions by meaning only where a test is about them (tests/http/semantic.rs): the
    // model is real and loaded once per test run, but embedding every test's threads would
    // only cost time.
    settings.search.semantic.enabled = false;
    settings.search.semantic.model_dir = model_dir();
    // The German model only where a test is about it (tests/http/semantic.rs).
    settings.search.semantic.german_model_dir = String::new();
    tweak(&mut settings);
    let database_url = settings.database.url.clone();
    let database = (made_database && database_url.starts_with("postgres"))
        .then(|| OwnedDatabase(database_url.clone()));
    let prepared = peerdesk::prepare(settings).expect("prepare app");
    let setup_link = prepared.setup_link.clone();
    let db = prepared.state.db.clone();
    let search = prepared.state.search.clone();
    let search_dir = prepared.state.settings.search.dir.clone();
    let state = prepared.state.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = peerdesk::server(prepared.state, listener).expect("server");
            tx.send(server.handle()).expect("send handle");
            let _ = server.await;
        })
    });
    let server = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("server started");
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        setup_link,
        db,
        database_url,
        search,
        search_dir,
        state,
        _dir: dir,
        server,
        database,
    }
}

/// A response, whatever its status.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, Vec<String>>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(String::as_str)
    }
    pub fn location(&self) -> &str {
        self.header("location")
            .unwrap_or_else(|| panic!("no Location header (status {})", self.status))
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        extract_between(&self.body, "name=\"csrf\" value=\"", "\"")
            .unwrap_or_else(|| panic!("no csrf in page: {}", self.body))
    }
    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body: {}",
            &self.body[..self.body.len().min(2000)]
        );
        self
    }
}

pub fn extract_between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}

/// A browser-like client: keeps cookies, follows no redirects.
pub struct Client {
    pub base: String,
    agent: ureq::Agent,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
    /// Headers sent with every request (an `Origin`, a proxy's `X-Forwarded-For`).
    pub extra: Vec<(String, String)>,
}

impl Client {
    pub fn new(app: &TestApp) -> Client {
        let agent = ureq::AgentBuilder::new()
            .redirects(0)
            .timeout(Duration::from_secs(30))
            .build();
        Client {
            base: app.base.clone(),
            agent,
            cookies: HashMap::new(),
            extra: Vec::new(),
            bearer: None,
        }
    }

    pub fn api(app: &TestApp, token: &str) -> Client {
        let mut c = Client::new(app);
        c.bearer = Some(token.to_string());
        c
    }

    fn prepare(&self, method: &str, path: &str) -> ureq::Request {
        let mut req = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.set("Cookie", &cookie);
        }
        if let Some(token) = &self.bearer {
            req = req.set("Authorization", &format!("Bearer {token}"));
        }
        for (k, v) in &self.extra {
            req = req.set(k, v);
        }
        req
    }

    fn finish(&mut self, result: Result<ureq::Response, ureq::Error>) -> Resp {
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("request failed: {e}"),
        };
        let mut headers: HashMap<String, Vec<String>> = HashMap::new();
        for name in resp.headers_names() {
            let values = resp.all(&name).into_iter().map(str::to_string).collect();
            headers.insert(name.to_ascii_lowercase(), values);
        }
        for set in headers.get("set-cookie").cloned().unwrap_or_default() {
            let first = set.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                let removal = set.to_ascii_lowercase().contains("max-age=0") || v.is_empty();
                if removal {
                    self.cookies.remove(k.trim());
                } else {
                    self.cookies.insert(k.trim().to_string(), v.to_string());
                }
            }
        }
        let status = resp.status();
        let body = resp.into_string().unwrap_or_default();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub fn get(&mut self, path: &str) -> Resp {
        let r = self.prepare("GET", path).call();
        self.finish(r)
    }

    /// GET an absolute URL (another server, e.g. a sign-in provider), with this client's cookies.
    pub fn get_url(&mut self, url: &str) -> Resp {
        let base = std::mem::take(&mut self.base);
        let r = self.prepare("GET", url).call();
        self.base = base;
        self.finish(r)
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = self.prepare("POST", path).send_form(fields);
        self.finish(r)
    }

    /// Posts a form with the CSRF token taken from `page`.
    pub fn submit(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let csrf = self.get(page).csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all)
    }

    /// Posts a form asking for JSON back (what the page script does).
    pub fn post_form_json(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = self
            .prepare("POST", path)
            .set("Accept", "application/json")
            .send_form(fields);
        self.finish(r)
    }

    pub fn send_json(&mut self, method: &str, path: &str, body: serde_json::Value) -> Resp {
        let r = self.prepare(method, path).send_json(body);
        self.finish(r)
    }

    pub fn send_raw(&mut self, method: &str, path: &str, content_type: &str, body: &[u8]) -> Resp {
        let r = self
            .prepare(method, path)
            .set("Content-Type", content_type)
            .send_bytes(body);
        self.finish(r)
    }
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Signs up a member through the real form and returns their signed-in client.
    pub fn member(&self, handle: &str) -> Client {
        let mut c = Client::new(self);
        let email = format!("{handle}@example.com");
        let r = c.submit(
            "/signup",
            "/signup",
            &[
                ("handle", handle),
                ("email", &email),
                ("name", ""),
                ("password", PASSWORD),
            ],
        );
        r.assert_status(303);
        c
    }

    /// Creates a user with a role directly and signs them in through the login form.
    pub fn user_with_role(
        &self,
        handle: &str,
        role: peerdesk::accounts::Role,
        name: &str,
        title: &str,
    ) -> Client {
        let mut account = peerdesk::accounts::NewAccount::parse(
            handle,
            &format!("{handle}@example.com"),
            Some(PASSWORD),
            name,
            title,
        )
        .expect("valid account");
        account.role = role;
        self.db
            .write_blocking(move |conn| peerdesk::accounts::create(conn, account))
            .expect("create user");
        let mut c = Client::new(self);
        c.submit(
            "/login",
            "/login",
            &[("login", handle), ("password", PASSWORD), ("next", "/")],
        )
        .assert_status(303);
        c
    }

    /// An API token for an existing user.
    pub fn token_for(&self, handle: &str) -> String {
        let handle = handle.to_string();
        self.db
            .write_blocking(move |conn| {
                let u = peerdesk::accounts::find_by_handle(conn, &handle)?;
                peerdesk::accounts::create_token(conn, &u, "test").map(|t| t.0)
            })
            .expect("token")
    }

    /// Asks a question through the form; returns the thread path.
    pub fn ask(&self, client: &mut Client, title: &str, body: &str) -> String {
        let r = client.submit(
            "/ask",
            "/ask",
            &[
                ("title", title),
                ("body", body),
                ("category", "general"),
                ("tags", "wifi, router"),
                ("action", "post"),
            ],
        );
        r.assert_status(303);
        r.location().to_string()
    }

    /// Waits (at most 10 s) until the indexer has applied every event written so far.
    pub fn wait_for_index(&self) {
        let max: i64 = self
            .db
            .read_blocking(peerdesk::events::newest_id)
            .expect("newest event");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while self
            .search
            .stats
            .applied
            .load(std::sync::atomic::Ordering::Acquire)
            < max
            && self
                .search
                .stats
                .cursor
                .load(std::sync::atomic::Ordering::Acquire)
                < max
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the indexer did not catch up within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Counts rows of a table (to prove that refused input wrote nothing).
    pub fn count(&self, table: &'static str) -> i64 {
        use diesel::sql_types::BigInt;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        self.db
            .write_blocking(move |conn| {
                Ok(diesel::RunQueryDsl::get_result::<N>(
                    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")),
                    conn,
                )?
                .n)
            })
            .expect("count")
    }
}

/// Thread id from a thread path `/t/{id}/{slug}`.
pub fn thread_id(path: &str) -> i64 {
    path.trim_start_matches("/t/")
        .split(['/', '#'])
        .next()
        .and_then(|s| s.parse().ok())
        .expect("thread path")
}

/// Post ids on a thread page, in page order.
pub fn post_ids(html: &str) -> Vec<i64> {
    html.match_indices("id=\"post-")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.split('"').next()?.parse().ok()
        })
        .collect()
}

/// The OAuth2 / OpenID Connect test providers (`tests/e2e/lib/oauth-provider.mjs`, npm
/// oauth2-mock-server), started once per test process and stopped when it exits.
pub struct ProviderUrls {
    pub oidc: String,
    pub github: String,
    pub slow: String,
}

pub fn providers() -> &'static ProviderUrls {
    static URLS: std::sync::OnceLock<ProviderUrls> = std::sync::OnceLock::new();
    URLS.get_or_init(|| {
        use std::io::BufRead;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e");
        assert!(
            std::path::Path::new(dir)
                .join("node_modules/oauth2-mock-server")
                .exists(),
            "the OAuth test provider needs `npm ci` in tests/e2e (scripts/test does it)"
        );
        let mut child = std::process::Command::new("node")
            .arg("lib/oauth-provider.mjs")
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start node lib/oauth-provider.mjs");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("provider urls");
        let v: serde_json::Value = serde_json::from_str(&line).expect("provider urls json");
        // Keep the child (and its stdin) for the life of the test process: when the process
        // exits, stdin closes and the provider stops.
        std::mem::forget(child);
        ProviderUrls {
            oidc: v["oidc"].as_str().expect("oidc").to_string(),
            github: v["github"].as_str().expect("github").to_string(),
            slow: v["slow"].as_str().expect("slow").to_string(),
        }
    })
}

/// Waits (at most 10 s) until `f` gives `expected`: what a consumer of the event log does
/// happens a moment after the request (reputation, trust levels, badges).
pub fn eventually<T: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: T,
    mut f: impl FnMut() -> T,
) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let got = f();
        if got == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: expected {expected:?}, still {got:?} after 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl TestApp {
    /// A user's stored reputation.
    pub fn reputation(&self, handle: &str) -> i32 {
        let handle = handle.to_string();
        self.db
            .read_blocking(move |conn| peerdesk::accounts::find_by_handle(conn, &handle))
            .expect("user")
            .reputation
    }
}
