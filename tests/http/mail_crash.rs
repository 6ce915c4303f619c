//! Crash safety of outgoing email with the real binary: kill -9 the server while it is sending a
//! burst of notification emails to a real SMTP server (aiosmtpd); after a restart on the same
//! database every email job is delivered, none is lost, and a message sent again (a crash between
//! the SMTP server's acceptance and the recording of it) is the same message (same Message-ID).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use peerdesk::db::schema::{email_jobs, notifications, posts};
use peerdesk::mail::Job;

use crate::crash::{free_port, Server};
use crate::helpers::{database_url, extract_between, PASSWORD};
use crate::mail_sink::{Mail, MailSink};

/// Answers in the burst (each one emails the asker at once).
const ANSWERS: usize = 60;
/// Concurrent posters in the burst.
const POSTERS: usize = 3;
/// Kill the server once this many notification emails have arrived.
const KILL_AT: usize = 10;
/// Same-Message-ID repeats tolerated: a message the SMTP server accepted just before the kill,
/// not yet recorded as sent, goes again after the restart as the same message (receivers
/// deduplicate by Message-ID). The sender has at most 8 connections in flight.
const MAX_REPEATS: usize = 8;
/// For each phase that waits on the server (start, the burst, finishing after the restart; the
/// restarted server first waits up to `LEASE_TTL`, 15 s, for the dead one's leases).
const PHASE_TIMEOUT: Duration = Duration::from_secs(90);

/// Where the server's settings come from. Email is set in a config file: `PEERDESK_EMAIL__*`
/// environment variables are not read (see `SECTIONS` in src/config.rs, which lacks "email"). The
/// variables are set too, with the same values, so the test does not depend on which one wins.
struct Setup {
    db_url: String,
    search_dir: String,
    config: PathBuf,
    smtp_port: u16,
}

const FROM: &str = "Peerdesk <support@peerdesk.test>";

impl Setup {
    fn new(dir: &Path, smtp_port: u16) -> Setup {
        let config = dir.join("peerdesk-mail.toml");
        std::fs::write(
            &config,
            format!(
                "[email]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {smtp_port}\nsecurity = \"none\"\n\
                 delay_seconds = 0\nfrom = \"{}\"\n",
                FROM.replace('"', "\\\"")
            ),
        )
        .expect("write config");
        Setup {
            db_url: database_url(dir),
            search_dir: dir.join("search-index").display().to_string(),
            config,
            smtp_port,
        }
    }

    /// Spawns `peerdesk serve` on a free port (stderr in `log_path`) and waits until it answers.
    fn start(&self, log_path: &Path) -> Server {
        let port = free_port();
        let log = std::fs::File::create(log_path).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .arg("--config")
            .arg(&self.config)
            .arg("serve")
            .env("PEERDESK_DATABASE__URL", &self.db_url)
            .env("PEERDESK_SEARCH__DIR", &self.search_dir)
            .env("PEERDESK_SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("PEERDESK_SERVER__WORKERS", "2")
            .env(
                "PEERDESK_THEME__DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/themes"),
            )
            .env("PEERDESK_EMAIL__SMTP_HOST", "127.0.0.1")
            .env("PEERDESK_EMAIL__SMTP_PORT", self.smtp_port.to_string())
            .env("PEERDESK_EMAIL__SECURITY", "none")
            .env("PEERDESK_EMAIL__DELAY_SECONDS", "0")
            .env("PEERDESK_EMAIL__FROM", FROM)
            .envs(crate::crash::scripted_env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start server");
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log: log_path.to_path_buf(),
        };
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(2))
            .build();
        let deadline = Instant::now() + PHASE_TIMEOUT;
        while agent
            .get(&format!("{}/healthz", server.base))
            .call()
            .is_err()
        {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "the server exited ({status}): {}",
                    std::fs::read_to_string(log_path).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn db(&self) -> peerdesk::db::Db {
        peerdesk::db::Db::connect(&self.db_url, 1).expect("db")
    }
}

/// A browser-like client of the real binary: cookies, CSRF tokens from forms, no redirects.
struct Browser {
    base: String,
    agent: ureq::Agent,
    cookies: HashMap<String, String>,
}

impl Browser {
    fn new(base: &str) -> Browser {
        Browser {
            base: base.to_string(),
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(Duration::from_secs(30))
                .build(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// (status, Location, body)
    fn send(
        &mut self,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> (u16, String, String) {
        let mut req = self.agent.request(method, &format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            req = req.set("Cookie", &self.cookie_header());
        }
        let result = match form {
            Some(fields) => req.send_form(fields),
            None => req.call(),
        };
        let resp = match result {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        for set in resp.all("set-cookie") {
            let first = set.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                if set.to_ascii_lowercase().contains("max-age=0") || v.is_empty() {
                    self.cookies.remove(k.trim());
                } else {
                    self.cookies.insert(k.trim().to_string(), v.to_string());
                }
            }
        }
        let status = resp.status();
        let location = resp.header("location").unwrap_or_default().to_string();
        (status, location, resp.into_string().unwrap_or_default())
    }

    fn csrf(&mut self, page: &str) -> String {
        let (status, _, body) = self.send("GET", page, None);
        assert_eq!(status, 200, "GET {page}: {body}");
        extract_between(&body, "name=\"csrf\" value=\"", "\"")
            .unwrap_or_else(|| panic!("no csrf on {page}: {body}"))
    }

    /// Posts a form with the CSRF token of `page`; expects a 303 and returns its Location.
    fn submit(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> String {
        let csrf = self.csrf(page);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let (status, location, body) = self.send("POST", path, Some(&all));
        assert_eq!(
            status,
            303,
            "POST {path}: {}",
            &body[..body.len().min(2000)]
        );
        location
    }

    fn sign_up(base: &str, handle: &str) -> Browser {
        let mut b = Browser::new(base);
        let email = format!("{handle}@example.com");
        b.submit(
            "/signup",
            "/signup",
            &[
                ("handle", handle),
                ("email", &email),
                ("name", ""),
                ("password", PASSWORD),
            ],
        );
        b
    }
}

/// Posts answers `next..ANSWERS` (shared counter) to `base` as the session in `cookie`, from
/// `POSTERS` threads; stops a thread at its first transport error (the server is gone). Returns
/// the numbers of the acknowledged answers.
#[allow(clippy::too_many_arguments)]
fn post_answers(
    base: &str,
    cookie: &str,
    csrf: &str,
    thread_id: i64,
    next: &AtomicUsize,
    until: usize,
    acked: &Mutex<Vec<usize>>,
    refused: &Mutex<Vec<String>>,
) {
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(20))
        .build();
    loop {
        let n = next.fetch_add(1, Ordering::SeqCst);
        if n >= until {
            return;
        }
        let body = format!(
            "Answer {n}: unplug the router for ten seconds, then update its firmware (try {n})."
        );
        let r = agent
            .post(&format!("{base}/t/{thread_id}/answers"))
            .set("Cookie", cookie)
            .send_form(&[("csrf", csrf), ("body", &body)]);
        match r {
            Ok(resp) if resp.status() == 303 => acked.lock().expect("lock").push(n),
            Ok(resp) => refused
                .lock()
                .expect("lock")
                .push(format!("answer {n}: {}", resp.status())),
            Err(ureq::Error::Status(code, resp)) => refused.lock().expect("lock").push(format!(
                "answer {n}: {code} {}",
                resp.into_string()
                    .unwrap_or_default()
                    .chars()
                    .take(300)
                    .collect::<String>()
            )),
            // The server is gone (killed): this poster stops.
            Err(_) => return,
        }
    }
}

/// Notification emails (they carry a one-click unsubscribe; account mail does not).
fn notification_mails(sink: &MailSink) -> usize {
    sink.messages()
        .iter()
        .filter(|m| m.header("List-Unsubscribe").is_some())
        .count()
}

/// What the database says about email.
#[derive(Debug)]
struct Snapshot {
    jobs: Vec<Job>,
    /// Ids of the thread's answers.
    answers: Vec<i64>,
    /// (notification id, post id) of the asker's `answer` notifications.
    answer_notifications: Vec<(i64, Option<i64>)>,
    /// The notifier has applied every event written so far.
    notifier_caught_up: bool,
}

impl Snapshot {
    fn read(setup: &Setup, thread_id: i64, asker_id: i64) -> Snapshot {
        let db = setup.db();
        db.read_blocking(|conn| {
            let jobs = email_jobs::table
                .order(email_jobs::id.asc())
                .select(Job::as_select())
                .load::<Job>(conn)?;
            let answers = posts::table
                .filter(posts::thread_id.eq(thread_id))
                .filter(posts::kind.eq(peerdesk::threads::ANSWER))
                .select(posts::id)
                .order(posts::id.asc())
                .load::<i64>(conn)?;
            let answer_notifications = notifications::table
                .filter(notifications::user_id.eq(asker_id))
                .filter(notifications::kind.eq("answer"))
                .select((notifications::id, notifications::post_id))
                .order(notifications::id.asc())
                .load::<(i64, Option<i64>)>(conn)?;
            let newest = peerdesk::events::newest_id(conn)?;
            let status = peerdesk::events::status(conn)?;
            let notifier_caught_up = status
                .consumers
                .iter()
                .find(|c| c.consumer == "notifier")
                .is_some_and(|c| c.position >= newest || c.lag == 0);
            Ok(Snapshot {
                jobs,
                answers,
                answer_notifications,
                notifier_caught_up,
            })
        })
        .expect("read the database")
    }

    fn count(&self, status: &str) -> usize {
        self.jobs.iter().filter(|j| j.status == status).count()
    }

    fn notification_jobs(&self) -> Vec<&Job> {
        self.jobs
            .iter()
            .filter(|j| j.kind == "notification")
            .collect()
    }

    fn summary(&self) -> String {
        format!(
            "{} jobs (sent {}, pending {}, dropped {}, failed {}; {} notification jobs), {} answers, \
             {} answer notifications, notifier caught up: {}",
            self.jobs.len(),
            self.count("sent"),
            self.count("pending"),
            self.count("dropped"),
            self.count("failed"),
            self.notification_jobs().len(),
            self.answers.len(),
            self.answer_notifications.len(),
            self.notifier_caught_up
        )
    }
}

/// Prints the first (killed) server's log if the test fails after it is gone.
struct LogOnPanic(PathBuf);

impl Drop for LogOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            if let Ok(log) = std::fs::read_to_string(&self.0) {
                eprintln!("--- server log {} ---\n{log}", self.0.display());
            }
        }
    }
}

#[test]
fn kill_dash_9_while_emailing_loses_no_email_and_sends_none_twice() {
    let sink = MailSink::start();
    let dir = tempfile::tempdir().expect("tmp");
    let setup = Setup::new(dir.path(), sink.port);
    let first_log = dir.path().join("first.log");
    let _first_log_guard = LogOnPanic(first_log.clone());
    let started = Instant::now();

    let server = setup.start(&first_log);
    let base = server.base.clone();
    let mut server = Some(server);

    // An asker and a helper sign up through the form (each sign-up emails a verification link).
    let mut asker = Browser::sign_up(&base, "asker");
    let mut helper = Browser::sign_up(&base, "helper");
    sink.wait_for(2, PHASE_TIMEOUT);
    let asker_id: i64 = setup
        .db()
        .read_blocking(|conn| Ok(peerdesk::accounts::find_by_handle(conn, "asker")?.id))
        .expect("asker");
    let path = asker.submit(
        "/ask",
        "/ask",
        &[
            ("title", "Router drops the connection every hour"),
            (
                "body",
                "Since the last firmware update the router drops every hour.",
            ),
            ("category", "general"),
            ("tags", "wifi, router"),
            ("action", "post"),
        ],
    );
    let thread_id = crate::helpers::thread_id(&path);
    // The session's CSRF token serves every answer of the burst.
    let csrf = helper.csrf(&path);
    let cookie = helper.cookie_header();

    // The burst, and kill -9 once the first notification emails are out.
    let next = AtomicUsize::new(0);
    let acked = Mutex::new(Vec::new());
    let refused = Mutex::new(Vec::new());
    let posters_done = AtomicBool::new(false);
    let burst_started = Instant::now();
    let mut kill_after = Duration::ZERO;
    std::thread::scope(|s| {
        let posters: Vec<_> = (0..POSTERS)
            .map(|_| {
                let (base, cookie, csrf, next, acked, refused) =
                    (&base, &cookie, &csrf, &next, &acked, &refused);
                s.spawn(move || {
                    post_answers(base, cookie, csrf, thread_id, next, ANSWERS, acked, refused)
                })
            })
            .collect();
        let done = &posters_done;
        s.spawn(move || {
            for p in posters {
                let _ = p.join();
            }
            done.store(true, Ordering::SeqCst);
        });
        let deadline = Instant::now() + PHASE_TIMEOUT;
        loop {
            let n = notification_mails(&sink);
            // Everything acknowledged was already emailed: the kill comes late (still checked).
            let all_out =
                posters_done.load(Ordering::SeqCst) && n >= acked.lock().expect("lock").len();
            if n >= KILL_AT || all_out {
                let mut srv = server.take().expect("server");
                srv.child.kill().expect("kill -9");
                let _ = srv.child.wait();
                kill_after = burst_started.elapsed();
                break;
            }
            assert!(
                Instant::now() < deadline,
                "only {n} notification email(s) within {PHASE_TIMEOUT:?}; refused: {:?}",
                refused.lock().expect("lock")
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    // What the dead server left (aiosmtpd may still be storing a message whose data was all sent).
    std::thread::sleep(Duration::from_millis(500));
    let at_kill_in_sink = notification_mails(&sink);
    let acked_before_kill = acked.lock().expect("lock").len();
    let refused = refused.into_inner().expect("refused");
    assert!(refused.is_empty(), "answers refused: {refused:#?}");
    let at_kill = Snapshot::read(&setup, thread_id, asker_id);
    let unnotified_at_kill = at_kill
        .answers
        .len()
        .saturating_sub(at_kill.notification_jobs().len());
    let late = at_kill.count("pending") == 0
        && unnotified_at_kill == 0
        && at_kill.answers.len() >= ANSWERS;
    println!(
        "kill -9 after {kill_after:?} of the burst: {acked_before_kill} answer(s) acknowledged, \
         {at_kill_in_sink} notification email(s) in the sink; database: {}",
        at_kill.summary()
    );
    // Messages the SMTP server accepted whose job was not yet recorded as sent: sent again.
    let in_sink_at_kill: BTreeSet<String> = sink
        .messages()
        .iter()
        .filter_map(|m| m.header("Message-ID").map(str::to_string))
        .collect();
    let unrecorded_at_kill = at_kill
        .jobs
        .iter()
        .filter(|j| j.status == "pending" && in_sink_at_kill.contains(&j.message_id))
        .count();
    println!(
        "at the kill: {} job(s) pending, {unnotified_at_kill} answer(s) not yet turned into a \
         job, {unrecorded_at_kill} message(s) accepted by the SMTP server but not recorded as sent",
        at_kill.count("pending")
    );
    if late {
        println!("NOTE: the kill came late: everything was already sent when the server died");
    }
    assert!(
        at_kill.answers.len() >= acked_before_kill,
        "an acknowledged answer is missing after the crash"
    );

    // Restart on the same database and the same email settings; post what the burst did not.
    let second = setup.start(&dir.path().join("second.log"));
    let mut helper = Browser {
        base: second.base.clone(),
        ..helper
    };
    let remaining = ANSWERS.saturating_sub(at_kill.answers.len());
    if remaining > 0 {
        let csrf = helper.csrf(&path);
        let cookie = helper.cookie_header();
        let next = AtomicUsize::new(ANSWERS - remaining);
        let acked_after = Mutex::new(Vec::new());
        let refused_after = Mutex::new(Vec::new());
        post_answers(
            &second.base,
            &cookie,
            &csrf,
            thread_id,
            &next,
            ANSWERS,
            &acked_after,
            &refused_after,
        );
        let acked_after = acked_after.into_inner().expect("acked");
        let refused_after = refused_after.into_inner().expect("refused");
        assert!(
            refused_after.is_empty(),
            "answers refused: {refused_after:#?}"
        );
        assert_eq!(acked_after.len(), remaining, "answers after the restart");
        println!("after the restart: posted the {remaining} remaining answer(s)");
    }

    // Wait until every job is final (the restarted server first waits out the dead one's leases).
    let restarted = Instant::now();
    let deadline = restarted + PHASE_TIMEOUT;
    let last = loop {
        let now = Snapshot::read(&setup, thread_id, asker_id);
        if now.notifier_caught_up && now.count("pending") == 0 {
            break now;
        }
        assert!(
            Instant::now() < deadline,
            "email jobs not finished {PHASE_TIMEOUT:?} after the restart: {}",
            now.summary()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    println!(
        "finished {:?} after the restart: {}",
        restarted.elapsed(),
        last.summary()
    );

    // Every job is delivered: sent, none pending, failed or dropped (nothing was read).
    let not_sent: Vec<String> = last
        .jobs
        .iter()
        .filter(|j| j.status != "sent")
        .map(|j| format!("job {} ({}) {}: {:?}", j.id, j.kind, j.status, j.last_error))
        .collect();
    assert!(not_sent.is_empty(), "jobs not sent: {not_sent:#?}");
    assert_eq!(
        last.jobs.iter().filter(|j| j.kind == "verify").count(),
        2,
        "one verification email per sign-up"
    );

    // No email lost: every answer has one notification of the asker, and it one job to them.
    let answers: BTreeSet<i64> = last.answers.iter().copied().collect();
    assert!(
        answers.len() >= ANSWERS,
        "{} answers, expected at least {ANSWERS}",
        answers.len()
    );
    let notified: Vec<i64> = last
        .answer_notifications
        .iter()
        .map(|(_, post)| post.expect("an answer notification names its post"))
        .collect();
    assert_eq!(
        notified.len(),
        answers.len(),
        "one answer notification per answer (none lost, none doubled by the replay)"
    );
    assert_eq!(notified.iter().copied().collect::<BTreeSet<i64>>(), answers);
    let notification_jobs = last.notification_jobs();
    assert_eq!(
        notification_jobs.len(),
        answers.len(),
        "one notification email job per answer"
    );
    let job_notifications: BTreeSet<i64> = notification_jobs
        .iter()
        .map(|j| {
            j.notification_id
                .expect("a notification job names its notification")
        })
        .collect();
    assert_eq!(
        job_notifications,
        last.answer_notifications
            .iter()
            .map(|(id, _)| *id)
            .collect(),
        "every answer notification has exactly one job"
    );
    assert!(notification_jobs
        .iter()
        .all(|j| j.to_address == "asker@example.com"));

    // The sink holds exactly the sent jobs' messages (give the last file a moment to appear).
    let sent_ids: BTreeSet<String> = last.jobs.iter().map(|j| j.message_id.clone()).collect();
    assert_eq!(
        sent_ids.len(),
        last.jobs.len(),
        "Message-IDs are unique per job"
    );
    let sink_deadline = Instant::now() + Duration::from_secs(10);
    let mails: Vec<Mail> = loop {
        let mails = sink.messages();
        let ids: BTreeSet<String> = mails
            .iter()
            .filter_map(|m| m.header("Message-ID").map(str::to_string))
            .collect();
        if ids == sent_ids || Instant::now() >= sink_deadline {
            break mails;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut by_id: BTreeMap<String, Vec<&Mail>> = BTreeMap::new();
    for m in &mails {
        let id = m
            .header("Message-ID")
            .unwrap_or_else(|| panic!("a message without Message-ID: {}", m.raw));
        by_id.entry(id.to_string()).or_default().push(m);
    }
    let delivered: BTreeSet<String> = by_id.keys().cloned().collect();
    let lost: Vec<&String> = sent_ids.difference(&delivered).collect();
    let unknown: Vec<&String> = delivered.difference(&sent_ids).collect();
    assert!(lost.is_empty(), "sent but never arrived: {lost:#?}");
    assert!(
        unknown.is_empty(),
        "arrived but no sent job has that Message-ID (a resend with a new ID?): {unknown:#?}"
    );

    // Repeats: a message delivered again after the crash is the same message.
    let mut repeats = 0;
    for (id, copies) in &by_id {
        if copies.len() > 1 {
            repeats += copies.len() - 1;
            println!(
                "delivered {} times: {id} ({:?})",
                copies.len(),
                copies[0].subject()
            );
            for c in &copies[1..] {
                assert_eq!(
                    c.to(),
                    copies[0].to(),
                    "copies of {id} go to the same address"
                );
                assert_eq!(
                    c.subject(),
                    copies[0].subject(),
                    "copies of {id} say the same"
                );
            }
        }
    }
    println!(
        "{} job(s), {} message(s) received, {} distinct Message-ID(s), {repeats} same-Message-ID \
         repeat(s){}; whole test {:?}",
        last.jobs.len(),
        mails.len(),
        by_id.len(),
        if late { " (the kill came late)" } else { "" },
        started.elapsed()
    );
    assert!(
        repeats <= MAX_REPEATS,
        "{repeats} messages were delivered again (at most {MAX_REPEATS}: one per connection in flight)"
    );
    drop(second);
}
