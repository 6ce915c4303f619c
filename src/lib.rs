//! Peerdesk: a community Q&A server for product support. This crate builds the whole app; the
//! `peerdesk` binary (CLI) and the integration tests both start it through `prepare` + `server`.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod catalog;
pub mod config;
pub mod db;
pub mod demo;
pub mod embedding;
pub mod error;
pub mod events;
pub mod feeds;
pub mod hours;
pub mod http;
pub mod i18n;
pub mod input;
pub mod insights;
pub mod kb;
pub mod limits;
pub mod mail;
pub mod memory;
pub mod moderation;
pub mod notify;
pub mod oauth;
pub mod peers;
pub mod progress;
pub mod render;
pub mod screen;
pub mod search;
pub mod site;
pub mod sitemap;
pub mod support;
pub mod threads;

#[cfg(test)]
mod stack_test;

use std::net::TcpListener;

use actix_web::cookie::Key;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use base64::Engine;

use crate::config::Settings;
use crate::db::Db;
use crate::http::AppState;
use crate::render::theme::Theme;

/// A ready-to-serve application: migrated database, loaded theme, session key.
pub struct Prepared {
    pub state: web::Data<AppState>,
    /// With an empty database: the one-time link that creates the first admin.
    pub setup_link: Option<String>,
}

/// Opens the database (creating it for SQLite), runs migrations, loads the theme and the session
/// key, and issues a setup link when there is no account yet.
pub fn prepare(settings: Settings) -> anyhow::Result<Prepared> {
    settings.auth.validate()?;
    let db = Db::connect(&settings.database.url, settings.database.pool_size)?;
    db.migrate()?;
    let theme = std::sync::Arc::new(Theme::load(&settings.theme, &settings.i18n)?);
    mail::check_settings(&settings.email)?;
    let key_bytes = if settings.server.secret_key.is_empty() {
        db.write_blocking(accounts::session_key)?
    } else {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(settings.server.secret_key.trim())
            .map_err(|e| anyhow::anyhow!("server.secret_key is not base64: {e}"))?;
        if bytes.len() < 64 {
            anyhow::bail!("server.secret_key must hold at least 64 bytes");
        }
        bytes
    };
    let key =
        Key::try_from(key_bytes.as_slice()).map_err(|e| anyhow::anyhow!("session key: {e}"))?;
    let base_url = settings.base_url();
    let setup_link = db
        .write_blocking(accounts::issue_setup_token)?
        .map(|t| format!("{base_url}/setup/{t}"));
    let search = search::Search::open_or_rebuild(std::path::Path::new(&settings.search.dir), &db)?;
    search.start_indexer(db.clone())?;
    search.start_embedder(
        &settings.search.semantic,
        db.clone(),
        search::embedder_cursor(&settings.search.dir),
    )?;
    let secret = std::sync::Arc::new(key_bytes);
    let consumers = start_consumers(&db, &search, &settings)?;
    let sender = start_mail(&db, &settings, &theme, &secret)?;
    let live = http::live::Hub::start(db.clone())?;
    let state = web::Data::new(AppState::new(
        settings,
        db,
        theme,
        key,
        secret,
        search,
        Some(live),
    ));
    if let Ok(mut slot) = state.consumers.lock() {
        *slot = Some(consumers);
    }
    if let Ok(mut slot) = state.mail.lock() {
        *slot = Some(sender);
    }
    Ok(Prepared { state, setup_link })
}

/// The event log's database consumers (the search indexer runs on its own thread). Their
/// cursors are created before the server takes a request, so no event is missed.
fn start_consumers(
    db: &Db,
    search: &std::sync::Arc<search::Search>,
    settings: &Settings,
) -> anyhow::Result<events::Runner> {
    let consumers: Vec<Box<dyn events::Consumer>> = vec![
        Box::new(search::SimilarAsked {
            search: search.clone(),
        }),
        Box::new(notify::fanout::Notifier {
            email: email_plan(settings),
        }),
        Box::new(audit::Recorder),
        Box::new(peers::Reputation {
            trust: settings.trust.clone(),
        }),
    ];
    let store = attachments::Store::new(std::path::Path::new(&settings.attachments.dir));
    if let Err(e) = store.create() {
        anyhow::bail!(
            "the attachments folder {} cannot be created: {e}",
            settings.attachments.dir
        );
    }
    let upload_policy = attachments::Policy::new(&settings.attachments);
    let orphan_hour = std::sync::atomic::AtomicI64::new(i64::MIN);
    db.write_untracked(|conn| {
        for c in &consumers {
            events::load_tail(conn, &c.name())?;
        }
        Ok(())
    })?;
    Ok(events::Runner::start(
        db.clone(),
        consumers,
        events::holder_name(),
        events::keep(settings.events.keep_days),
        Box::new(move |db: &Db| {
            if let Err(e) = db.write_untracked(limits::prune) {
                tracing::warn!("pruning old rate limits failed: {e}");
            }
            // What a burst of requests freed goes back to the system, not kept per arena.
            memory::release_freed();
            // Uploads never posted: looked for once an hour.
            let hour = db::now().and_utc().timestamp().div_euclid(3600);
            if orphan_hour.swap(hour, std::sync::atomic::Ordering::AcqRel) != hour {
                let removed = db.write_untracked(|conn| {
                    attachments::remove_orphans(conn, &store, &upload_policy)
                });
                match removed {
                    Ok(0) => {}
                    Ok(n) => tracing::info!("removed {n} attachments that were never posted"),
                    Err(e) => tracing::warn!("removing unposted attachments failed: {e}"),
                }
            }
        }),
    )?)
}

/// How the notifier emails (None: email is off).
fn email_plan(settings: &Settings) -> Option<notify::fanout::EmailPlan> {
    settings.email.enabled().then(|| notify::fanout::EmailPlan {
        delay: chrono::TimeDelta::seconds(
            i64::try_from(settings.email.delay_seconds).unwrap_or(i64::MAX / 1000),
        ),
        domain: mail::domain_of(&settings.email.from),
    })
}

/// The email sender (one per cluster) and its periodic work: digests and promise reminders.
fn start_mail(
    db: &Db,
    settings: &Settings,
    theme: &std::sync::Arc<Theme>,
    secret: &std::sync::Arc<Vec<u8>>,
) -> anyhow::Result<mail::Sender> {
    let wording = notify::email::Wording::new(settings, theme.clone(), secret.clone());
    let plan = email_plan(settings);
    let compose_wording = wording.clone();
    let compose: mail::Compose =
        Box::new(move |conn, job| notify::email::compose(conn, &compose_wording, job));
    // Digests go out by the hour: their candidates are looked for once an hour, not every tick.
    let digest_hour = std::sync::atomic::AtomicI64::new(i64::MIN);
    let tick: mail::Tick = Box::new(move |db: &Db| {
        let at = db::now();
        if let Err(e) = db.write_untracked(|conn| notify::due::remind(conn, at, plan.as_ref())) {
            tracing::warn!("promise reminders failed: {e}");
        }
        let hour = at.and_utc().timestamp().div_euclid(3600);
        let new_hour = digest_hour.swap(hour, std::sync::atomic::Ordering::AcqRel) != hour;
        if let (Some(plan), true) = (&plan, new_hour) {
            let sent = db
                .write_untracked(|conn| notify::digest::send_due(conn, &wording, &plan.domain, at));
            if let Err(e) = sent {
                tracing::warn!("digests failed: {e}");
            }
        }
    });
    mail::Sender::start(
        db.clone(),
        settings.email.clone(),
        events::holder_name(),
        compose,
        tick,
    )
}

/// Builds the HTTP server on a bound listener (tests bind port 0).
pub fn server(
    state: web::Data<AppState>,
    listener: TcpListener,
) -> anyhow::Result<actix_web::dev::Server> {
    let workers = match state.settings.server.workers {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
        n => n,
    };
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(from_fn(http::origin_check))
            .wrap(from_fn(http::errors::error_pages))
            .wrap(from_fn(http::security_headers))
            .configure(http::routes)
    })
    .workers(workers)
    // Open live streams (SSE) never finish by themselves: do not wait long for them on stop.
    .shutdown_timeout(5)
    .listen(listener)?
    .run();
    Ok(server)
}
