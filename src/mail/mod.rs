//! Outgoing email: jobs written in the transaction of what caused them (`enqueue`), and the
//! sender, one per cluster (it holds a lease), which delivers due jobs over SMTP (lettre),
//! retries failures with growing pauses, records each outcome and gives up after
//! `email.give_up_hours` with the reason kept for admins. Every job has a stable `Message-ID`:
//! a job sent again after a crash between sending and recording is the same message.
//! What a notification's email says is decided when it is sent, by the `Compose` the layer
//! above provides (it may drop the email: the notification was read meanwhile).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport};
use serde::Serialize;

use crate::config::EmailSettings;
use crate::db::schema::email_jobs;
use crate::db::{now, Db, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{acquire_lease, release_lease};
use crate::msg;

/// The sender's lease name (one sender per cluster).
const LEASE: &str = "mail-sender";
/// How often the sender looks for due jobs when idle.
const POLL: Duration = Duration::from_millis(200);
/// Jobs taken per round.
const BATCH: i64 = 100;
/// How often `tick` (digests, promise reminders) runs.
const TICK_EVERY: Duration = Duration::from_secs(30);

/// An email to write (`enqueue`).
pub struct NewMail<'a> {
    pub user_id: Option<i64>,
    pub to: &'a str,
    /// `notification`, `digest`, `verify`, `reset`.
    pub kind: &'a str,
    pub notification_id: Option<i64>,
    /// Empty for a notification's email: `Compose` words it when it is sent.
    pub content: Option<Composed>,
    pub send_after: NaiveDateTime,
}

/// A worded email.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Extra headers (`List-Unsubscribe`, ...).
    pub headers: Vec<(String, String)>,
}

/// A job as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = email_jobs)]
pub struct Job {
    pub id: i64,
    pub user_id: Option<i64>,
    pub to_address: String,
    pub kind: String,
    pub notification_id: Option<i64>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Extra headers, a JSON array of `[name, value]`.
    pub headers: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub send_after: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// A stable, unique `Message-ID` for a new job.
fn new_message_id(domain: &str) -> String {
    use rand::RngCore;
    let mut buf = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut buf);
    let hex: String = buf.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@{domain}>")
}

/// The domain part of the sender's address (for Message-IDs).
pub fn domain_of(from: &str) -> String {
    from.rsplit('@')
        .next()
        .map(|d| d.trim_end_matches('>').trim().to_string())
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        })
        .unwrap_or_else(|| "peerdesk.invalid".into())
}

/// Writes an email job in the caller's transaction. Returns its id.
pub fn enqueue(conn: &mut DbConn, domain: &str, mail: NewMail) -> AppResult<i64> {
    let c = mail.content.unwrap_or_default();
    let id = diesel::insert_into(email_jobs::table)
        .values((
            email_jobs::user_id.eq(mail.user_id),
            email_jobs::to_address.eq(mail.to),
            email_jobs::kind.eq(mail.kind),
            email_jobs::notification_id.eq(mail.notification_id),
            email_jobs::subject.eq(&c.subject),
            email_jobs::body_text.eq(&c.text),
            email_jobs::body_html.eq(&c.html),
            email_jobs::headers
                .eq(serde_json::to_string(&c.headers).unwrap_or_else(|_| "[]".into())),
            email_jobs::message_id.eq(new_message_id(domain)),
            email_jobs::status.eq("pending"),
            email_jobs::send_after.eq(mail.send_after),
            email_jobs::created_at.eq(now()),
        ))
        .returning(email_jobs::id)
        .get_result(conn)?;
    Ok(id)
}

/// Words a job when it is sent. `Ok(None)` drops it (nothing worth sending any more).
pub type Compose = Box<dyn Fn(&mut DbConn, &Job) -> AppResult<Option<Composed>> + Send + Sync>;
/// Periodic work done by the sender's holder (digests, promise reminders).
pub type Tick = Box<dyn Fn(&Db) + Send>;

/// Counts of jobs by status, and the latest failures, for admins.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub pending: i64,
    pub sent: i64,
    pub dropped: i64,
    pub failed: i64,
    pub recent_failures: Vec<Failure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub to: String,
    pub kind: String,
    pub attempts: i32,
    pub error: String,
    pub at: Option<NaiveDateTime>,
}

pub fn status(conn: &mut DbConn) -> AppResult<Status> {
    let count = |conn: &mut DbConn, s: &str| -> AppResult<i64> {
        Ok(email_jobs::table
            .filter(email_jobs::status.eq(s))
            .count()
            .get_result(conn)?)
    };
    let recent_failures = email_jobs::table
        .filter(email_jobs::status.eq("failed"))
        .order(email_jobs::id.desc())
        .limit(20)
        .select(Job::as_select())
        .load::<Job>(conn)?
        .into_iter()
        .map(|j| Failure {
            to: j.to_address,
            kind: j.kind,
            attempts: j.attempts,
            error: j.last_error.unwrap_or_default(),
            at: j.finished_at,
        })
        .collect();
    Ok(Status {
        pending: count(conn, "pending")?,
        sent: count(conn, "sent")?,
        dropped: count(conn, "dropped")?,
        failed: count(conn, "failed")?,
        recent_failures,
    })
}

/// The SMTP transport of the settings.
pub fn transport(settings: &EmailSettings) -> AppResult<SmtpTransport> {
    let host = settings.smtp_host.trim();
    let bad = |e: lettre::transport::smtp::Error| {
        AppError::Internal(anyhow::anyhow!("email.smtp_host {host:?}: {e}"))
    };
    let builder = match settings.security.trim() {
        "tls" => SmtpTransport::relay(host).map_err(bad)?,
        "starttls" => SmtpTransport::starttls_relay(host).map_err(bad)?,
        "none" => SmtpTransport::builder_dangerous(host),
        other => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "email.security must be starttls, tls or none, not {other:?}"
            )))
        }
    };
    let mut builder = builder
        .port(settings.smtp_port)
        .timeout(Some(Duration::from_secs(15)));
    if !settings.username.is_empty() {
        builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
            settings.username.clone(),
            settings.password.clone(),
        ));
    }
    Ok(builder.build())
}

/// Checks the `[email]` settings at start: a wrong sender address or security mode fails
/// the start, not the first email.
pub fn check_settings(settings: &EmailSettings) -> anyhow::Result<()> {
    if !settings.enabled() {
        return Ok(());
    }
    settings
        .from
        .parse::<Mailbox>()
        .map_err(|e| anyhow::anyhow!("email.from {:?}: {e}", settings.from))?;
    transport(settings).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Builds the MIME message of a job.
fn message(settings: &EmailSettings, job: &Job, c: &Composed) -> Result<Message, String> {
    let from: Mailbox = settings.from.parse().map_err(|e| format!("from: {e}"))?;
    let to: Mailbox = job
        .to_address
        .parse()
        .map_err(|e| format!("to {:?}: {e}", job.to_address))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(c.subject.clone())
        .message_id(Some(job.message_id.clone()));
    for (name, value) in &c.headers {
        let name = HeaderName::new_from_ascii(name.clone()).map_err(|e| format!("{e}"))?;
        builder = builder.raw_header(HeaderValue::new(name, value.clone()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            c.text.clone(),
            c.html.clone(),
        ))
        .map_err(|e| format!("{e}"))
}

/// The pause before attempt `attempts + 1`: 30 s, doubling, at most an hour.
fn backoff(attempts: i32) -> TimeDelta {
    let secs = 30i64.saturating_mul(1i64 << attempts.clamp(0, 7));
    TimeDelta::seconds(secs.min(3600))
}

/// Connections sending at once: SMTP is a conversation of small round trips, so one connection
/// spends most of its time waiting; a few in parallel keep the server busy.
const SENDERS: usize = 8;
/// A batch stops taking jobs after this long, so the lease (15 s) is renewed well before it
/// could expire mid-batch and another node take over the same jobs.
const BATCH_BUDGET: Duration = Duration::from_secs(5);

/// Sends what is due (one batch, on `SENDERS` connections). Returns how many jobs were
/// finished (sent, dropped or given up). A connection failure ends the batch: the SMTP server
/// is down, the rest waits for the next round instead of each timing out in turn.
pub fn send_due(
    db: &Db,
    settings: &EmailSettings,
    transport: &SmtpTransport,
    compose: &Compose,
) -> AppResult<usize> {
    use std::sync::atomic::AtomicUsize;
    use std::sync::Mutex;
    let t = now();
    let jobs: Vec<Job> = db.read_blocking(|conn| {
        Ok(email_jobs::table
            .filter(email_jobs::status.eq("pending"))
            .filter(email_jobs::send_after.le(t))
            .order(email_jobs::id.asc())
            .limit(BATCH)
            .select(Job::as_select())
            .load(conn)?)
    })?;
    if jobs.is_empty() {
        return Ok(0);
    }
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failure: Mutex<Option<AppError>> = Mutex::new(None);
    let work = || {
        while !stop.load(Ordering::Acquire) && started.elapsed() < BATCH_BUDGET {
            let i = next.fetch_add(1, Ordering::AcqRel);
            let Some(job) = jobs.get(i) else { break };
            match send_one(db, settings, transport, compose, job) {
                Ok((done, down)) => {
                    finished.fetch_add(done, Ordering::AcqRel);
                    if down {
                        stop.store(true, Ordering::Release);
                    }
                }
                Err(e) => {
                    stop.store(true, Ordering::Release);
                    if let Ok(mut f) = failure.lock() {
                        f.get_or_insert(e);
                    }
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..SENDERS.min(jobs.len()) {
            scope.spawn(work);
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(finished.into_inner())
}

/// Words, sends and records one job. Returns (jobs finished, the SMTP server seems down).
fn send_one(
    db: &Db,
    settings: &EmailSettings,
    transport: &SmtpTransport,
    compose: &Compose,
    job: &Job,
) -> AppResult<(usize, bool)> {
    let composed = if job.notification_id.is_some() && job.subject.is_empty() {
        db.read_blocking(|conn| compose(conn, job))?
    } else {
        Some(Composed {
            subject: job.subject.clone(),
            text: job.body_text.clone(),
            html: job.body_html.clone(),
            headers: serde_json::from_str(&job.headers).unwrap_or_default(),
        })
    };
    let mut down = false;
    let outcome = match composed {
        None => Outcome::Dropped,
        Some(c) => match message(settings, job, &c) {
            // A message that cannot be built never will be: give up at once.
            Err(e) => Outcome::GiveUp(e),
            Ok(m) => match transport.send(&m) {
                Ok(_) => Outcome::Sent,
                Err(e) if e.is_permanent() => Outcome::GiveUp(e.to_string()),
                Err(e) => {
                    // No answer at all (refused, timed out) rather than a 4xx reply.
                    down = !e.is_transient();
                    Outcome::Retry(e.to_string())
                }
            },
        },
    };
    let give_up_at = job.created_at + TimeDelta::hours(i64::from(settings.give_up_hours));
    let done = db.write_untracked(|conn| record(conn, job, outcome, give_up_at))?;
    Ok((done, down))
}

enum Outcome {
    Sent,
    Dropped,
    Retry(String),
    GiveUp(String),
}

fn record(
    conn: &mut DbConn,
    job: &Job,
    outcome: Outcome,
    give_up_at: NaiveDateTime,
) -> AppResult<usize> {
    let t = now();
    let attempts = job.attempts + 1;
    let row = email_jobs::table
        .find(job.id)
        .filter(email_jobs::status.eq("pending"));
    let (status, error, next) = match outcome {
        Outcome::Sent => ("sent", None, None),
        Outcome::Dropped => ("dropped", None, None),
        Outcome::GiveUp(e) => ("failed", Some(e), None),
        Outcome::Retry(e) if t + backoff(attempts) > give_up_at => ("failed", Some(e), None),
        Outcome::Retry(e) => ("pending", Some(e), Some(t + backoff(attempts))),
    };
    if status == "failed" {
        tracing::warn!(
            job = job.id,
            to = %job.to_address,
            "email given up after {attempts} attempts: {}",
            error.as_deref().unwrap_or_default()
        );
    }
    diesel::update(row)
        .set((
            email_jobs::status.eq(status),
            email_jobs::attempts.eq(attempts),
            email_jobs::last_error.eq(error),
            email_jobs::send_after.eq(next.unwrap_or(job.send_after)),
            email_jobs::finished_at.eq(next.is_none().then_some(t)),
        ))
        .execute(conn)?;
    Ok(usize::from(next.is_none()))
}

/// The sender's background thread (also runs `tick`, even when email is off).
pub struct Sender {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Sender {
    pub fn start(
        db: Db,
        settings: EmailSettings,
        holder: String,
        compose: Compose,
        tick: Tick,
    ) -> anyhow::Result<Sender> {
        let transport = if settings.enabled() {
            Some(transport(&settings).map_err(|e| anyhow::anyhow!("{e}"))?)
        } else {
            None
        };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name("mail-sender".into())
            .spawn(move || {
                let mut last_tick: Option<Instant> = None;
                let mut held = false;
                // The lease is renewed when a third of it is left, not on every poll (a write).
                let mut renewed: Option<Instant> = None;
                let ttl = crate::events::LEASE_TTL;
                let renew_after = ttl.to_std().unwrap_or(Duration::from_secs(15)) / 3;
                while !flag.load(Ordering::Acquire) {
                    if !held || renewed.is_none_or(|r| r.elapsed() > renew_after) {
                        match db.write_untracked(|conn| acquire_lease(conn, LEASE, &holder, ttl)) {
                            Ok(h) => {
                                held = h;
                                renewed = h.then(Instant::now);
                            }
                            Err(e) => {
                                held = false;
                                tracing::warn!("mail sender lease: {e}");
                            }
                        }
                    }
                    if !held {
                        std::thread::sleep(POLL * 5);
                        continue;
                    }
                    if last_tick.is_none_or(|t| t.elapsed() > TICK_EVERY) {
                        last_tick = Some(Instant::now());
                        tick(&db);
                    }
                    let mut busy = false;
                    if let Some(transport) = &transport {
                        match send_due(&db, &settings, transport, &compose) {
                            Ok(n) => busy = n > 0,
                            Err(e) => tracing::warn!("mail sender: {e}"),
                        }
                    }
                    if !busy {
                        std::thread::sleep(POLL);
                    }
                }
                if held {
                    let _ = db.write_untracked(|conn| release_lease(conn, LEASE, &holder));
                }
            })?;
        Ok(Sender {
            stop,
            handle: Some(handle),
        })
    }

    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends one message at once, outside the queue (`peerdesk email test`): checks the `[email]`
/// settings against the real server. Returns the SMTP server's error as text.
pub fn send_test(settings: &EmailSettings, to: &str) -> Result<(), String> {
    if !settings.enabled() {
        return Err("email.smtp_host is not set: email is off".into());
    }
    let transport = transport(settings).map_err(|e| e.to_string())?;
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| format!("email.from: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("--to {to:?}: {e}"))?;
    let domain = domain_of(&settings.from);
    let m = Message::builder()
        .from(from)
        .to(to)
        .subject("Peerdesk test email")
        .message_id(Some(new_message_id(&domain)))
        .body(
            "This is a test email from `peerdesk email test`: the [email] settings work.\n"
                .to_string(),
        )
        .map_err(|e| e.to_string())?;
    transport.send(&m).map(|_| ()).map_err(|e| e.to_string())
}

/// A job by id (tests, the CLI).
pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Job> {
    email_jobs::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("mail-job-not-found")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_and_stop_at_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(60));
        assert_eq!(backoff(2), TimeDelta::seconds(120));
        assert!(backoff(3) > backoff(2));
        assert_eq!(backoff(20), TimeDelta::seconds(3600));
    }

    #[test]
    fn message_ids_take_the_senders_domain() {
        assert_eq!(domain_of("Acme <support@acme.example>"), "acme.example");
        assert_eq!(domain_of("nobody"), "nobody");
        assert_eq!(domain_of("x@<bad>"), "peerdesk.invalid");
        let id = new_message_id("acme.example");
        assert!(id.starts_with('<') && id.ends_with("@acme.example>"));
        assert_ne!(id, new_message_id("acme.example"));
    }
}
