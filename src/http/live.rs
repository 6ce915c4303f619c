//! Live pages through Server-Sent Events (`GET /live?thread=ID`): the bell's unread count and
//! "1 new answer — show" on an open thread page, without a reload. One hub per process looks
//! for new notifications and posts a few times a second (two indexed queries, however many
//! pages are open) and broadcasts them; each open page keeps only what concerns it. Pages work
//! without it: this only spares a reload.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use futures_util::stream;
use serde::Deserialize;
use tokio::sync::broadcast;

use super::session::Viewer;
use super::AppState;
use crate::db::Db;
use crate::error::AppResult;

/// How often the hub looks.
const POLL: Duration = Duration::from_millis(250);
/// A comment line this often keeps proxies from closing an idle stream.
const KEEPALIVE: Duration = Duration::from_secs(25);
/// Pulses a slow page may fall behind before it skips ahead (it then re-reads its count).
const CAPACITY: usize = 4096;
/// Open streams per process at most; past it new ones get 503 (pages still work on reload).
const MAX_LISTENERS: usize = 20_000;

/// Something a page may care about.
#[derive(Debug, Clone)]
pub enum Pulse {
    /// `user_id` has a new notification.
    Unread(i64),
    /// A new public post (answer, follow-up, comment) on a thread.
    Post {
        thread_id: i64,
        post_id: i64,
        kind: &'static str,
    },
}

/// The broadcaster of pulses and the thread that finds them.
pub struct Hub {
    tx: broadcast::Sender<Pulse>,
    stop: Arc<AtomicBool>,
}

impl Hub {
    pub fn start(db: Db) -> anyhow::Result<Hub> {
        let (tx, _) = broadcast::channel(CAPACITY);
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, flag) = (tx.clone(), stop.clone());
        let (mut last_n, mut last_e) = db.read_blocking(crate::notify::live_start)?;
        std::thread::Builder::new()
            .name("live-hub".into())
            .spawn(move || {
                // Ids seen lately: the hub re-reads a margin below its position.
                let mut seen_n: VecDeque<i64> = VecDeque::new();
                let mut seen_e: VecDeque<i64> = VecDeque::new();
                while !flag.load(Ordering::Acquire) {
                    std::thread::sleep(POLL);
                    let found = db.read_blocking(|c| crate::notify::live_since(c, last_n, last_e));
                    let (fresh, posts) = match found {
                        Ok(f) => f,
                        Err(e) => {
                            tracing::warn!("live hub: {e}");
                            continue;
                        }
                    };
                    for (id, user) in fresh {
                        if id <= last_n - 50 || seen_n.contains(&id) {
                            continue;
                        }
                        remember(&mut seen_n, id);
                        last_n = last_n.max(id);
                        let _ = sender.send(Pulse::Unread(user));
                    }
                    for (id, thread_id, post_id, kind) in posts {
                        if id <= last_e - 50 || seen_e.contains(&id) {
                            continue;
                        }
                        remember(&mut seen_e, id);
                        last_e = last_e.max(id);
                        let kind = match kind.as_str() {
                            "comment_posted" => "comment",
                            "followup_posted" => "followup",
                            _ => "answer",
                        };
                        let _ = sender.send(Pulse::Post {
                            thread_id,
                            post_id,
                            kind,
                        });
                    }
                }
            })?;
        Ok(Hub { tx, stop })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Pulse> {
        self.tx.subscribe()
    }

    /// Open live pages on this node.
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

fn remember(seen: &mut VecDeque<i64>, id: i64) {
    if seen.len() >= 200 {
        seen.pop_front();
    }
    seen.push_back(id);
}

#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    #[serde(default)]
    pub thread: Option<i64>,
}

struct Listener {
    state: web::Data<AppState>,
    rx: broadcast::Receiver<Pulse>,
    user_id: Option<i64>,
    thread: Option<i64>,
    /// The first chunk (retry delay and the current count) is still to send.
    greeting: Option<String>,
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// `GET /live?thread=ID`: `unread` events (the signed-in user's count) and `post` events
/// (`{"thread":..,"post":..,"kind":"answer"}`) for the thread.
pub async fn stream(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<LiveQuery>,
) -> AppResult<HttpResponse> {
    let Some(hub) = state.live.as_ref() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    if hub.listeners() >= MAX_LISTENERS {
        return Err(crate::error::AppError::Unavailable(crate::msg!(
            "live-too-many"
        )));
    }
    let user_id = viewer.user.as_ref().map(|u| u.id);
    let mut greeting = "retry: 5000\n\n".to_string();
    if user_id.is_some() {
        greeting.push_str(&event("unread", &viewer.unread.to_string()));
    }
    let listener = Listener {
        rx: hub.subscribe(),
        state: state.clone(),
        user_id,
        thread: q.thread,
        greeting: Some(greeting),
    };
    let body = stream::unfold(listener, |mut l| async move {
        if let Some(g) = l.greeting.take() {
            return Some((Ok::<_, actix_web::Error>(Bytes::from(g)), l));
        }
        loop {
            let pulse = tokio::time::timeout(KEEPALIVE, l.rx.recv()).await;
            let chunk = match pulse {
                Err(_) => Some(": ping\n\n".to_string()),
                Ok(Err(broadcast::error::RecvError::Closed)) => return None,
                // Fell behind: re-read the count rather than replay what was missed.
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => unread(&l).await,
                Ok(Ok(Pulse::Unread(user))) if Some(user) == l.user_id => unread(&l).await,
                Ok(Ok(Pulse::Post {
                    thread_id,
                    post_id,
                    kind,
                })) if Some(thread_id) == l.thread => Some(event(
                    "post",
                    &serde_json::json!({ "thread": thread_id, "post": post_id, "kind": kind })
                        .to_string(),
                )),
                Ok(Ok(_)) => None,
            };
            if let Some(chunk) = chunk {
                return Some((Ok(Bytes::from(chunk)), l));
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        // Reverse proxies (nginx) would otherwise buffer the stream.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}

async fn unread(l: &Listener) -> Option<String> {
    let user = l.user_id?;
    let count = l
        .state
        .db
        .read(move |conn| crate::notify::unread_count(conn, user))
        .await
        .ok()?;
    Some(event("unread", &count.to_string()))
}
