//! Notification pages and their API twins: the notifications page (grouped per thread, mark
//! read), watch buttons (thread, category, tag), the email preferences page, and the
//! unsubscribe link every email carries (no sign-in; one-click POST per RFC 8058).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::render::{page_response, see_other};
use super::session::{ApiUser, CsrfForm, SignedIn, Viewer};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::notify::prefs::{self, Preferences};
use crate::notify::watch::{self, Level, Topic, TopicLevel, TopicName};
use crate::notify::{self, Inbox, Mark};

#[derive(Debug, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub unread: Option<String>,
}

impl InboxQuery {
    fn page(&self) -> AppResult<i64> {
        match self
            .page
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => Ok(1),
            Some(p) => p
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=10_000).contains(p))
                .ok_or_else(|| AppError::invalid(msg!("notify-bad-page"))),
        }
    }
    fn unread_only(&self) -> bool {
        matches!(self.unread.as_deref(), Some("1" | "true" | "yes"))
    }
}

#[derive(Serialize)]
struct NotificationsPage {
    inbox: Inbox,
    unread_only: bool,
}

/// `GET /notifications`
pub async fn notifications(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    q: web::Query<InboxQuery>,
) -> AppResult<HttpResponse> {
    let (page, unread_only) = (q.page()?, q.unread_only());
    let inbox = state
        .db
        .read(move |conn| notify::inbox(conn, user.id, page, unread_only))
        .await?;
    let page = NotificationsPage { inbox, unread_only };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "notifications.html",
        &page,
        msg!("title-notifications"),
    )
}

csrf_form!(ReadForm {
    id: String,
    thread: String,
    all: String,
    next: String,
});

fn mark_of(id: &str, thread: &str, all: bool) -> AppResult<Mark> {
    let number = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| AppError::not_found(msg!("notify-not-found")))
    };
    if all {
        Ok(Mark::All)
    } else if !id.trim().is_empty() {
        Ok(Mark::One(number(id)?))
    } else if !thread.trim().is_empty() {
        Ok(Mark::Thread(number(thread)?))
    } else {
        Err(AppError::invalid(msg!("notify-mark-what")))
    }
}

/// `POST /notifications/read` (one `id`, a `thread`'s, or `all`)
pub async fn mark_read(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    CsrfForm(form): CsrfForm<ReadForm>,
) -> AppResult<HttpResponse> {
    let which = mark_of(&form.id, &form.thread, !form.all.is_empty())?;
    state
        .db
        .write_untracked_async(move |conn| notify::mark_read(conn, user.id, which))
        .await?;
    let next = if form.next.starts_with("/notifications") {
        form.next.as_str()
    } else {
        "/notifications"
    };
    Ok(see_other(next))
}

csrf_form!(WatchForm { level: String });

/// `POST /t/{id}/watch`
pub async fn watch_thread(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let (id, level) = (id.into_inner(), Level::parse(&form.level)?);
    let thread = state
        .db
        .write_untracked_async(move |conn| {
            watch::set_thread_level(conn, &user, id, level)?;
            crate::threads::find_thread(conn, id)
        })
        .await?;
    Ok(see_other(thread.path()))
}

/// `POST /c/{slug}/watch`
pub async fn watch_category(
    state: web::Data<AppState>,
    user: SignedIn,
    slug: web::Path<String>,
    form: CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    watch_topic_page(state, user, TopicName::Category(slug.into_inner()), form).await
}

/// `POST /tags/{name}/watch`
pub async fn watch_tag(
    state: web::Data<AppState>,
    user: SignedIn,
    name: web::Path<String>,
    form: CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    watch_topic_page(state, user, TopicName::Tag(name.into_inner()), form).await
}

async fn watch_topic_page(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    name: TopicName,
    CsrfForm(form): CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let level = TopicLevel::parse(&form.level)?;
    let (_, path) = state
        .db
        .write_untracked_async(move |conn| watch::watch_topic(conn, user.id, &name, level))
        .await?;
    Ok(see_other(path))
}

#[derive(Serialize)]
struct PreferencesPage {
    prefs: Preferences,
    watched: Vec<watch::Watched>,
    deliveries: [&'static str; 4],
    email_enabled: bool,
    saved: bool,
    error: Option<Msg>,
}

async fn preferences_page(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    viewer: &Viewer,
    user: crate::accounts::User,
    saved: bool,
    error: Option<Msg>,
) -> AppResult<HttpResponse> {
    let (prefs, watched) = state
        .db
        .read(move |conn| {
            Ok((
                prefs::preferences(conn, &user)?,
                watch::watched_topics(conn, user.id)?,
            ))
        })
        .await?;
    let page = PreferencesPage {
        prefs,
        watched,
        deliveries: ["instant", "daily", "weekly", "never"],
        email_enabled: state.settings.email.enabled(),
        saved,
        error,
    };
    let failed = page.error.is_some();
    let mut resp = page_response(
        state,
        req,
        Some(viewer),
        "account-notifications.html",
        &page,
        msg!("title-notification-preferences"),
    )?;
    if failed {
        *resp.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: Option<String>,
}

/// `GET /account/notifications`
pub async fn preferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    q: web::Query<SavedQuery>,
) -> AppResult<HttpResponse> {
    preferences_page(&state, &req, &viewer, user, q.saved.is_some(), None).await
}

/// The preferences form: one field per kind (named as the kind), and the digest hour.
#[derive(Debug, Default, Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    digest_hour: String,
    #[serde(flatten)]
    kinds: std::collections::BTreeMap<String, String>,
}

impl super::session::HasCsrf for PreferencesForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /account/notifications`
pub async fn save_preferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<PreferencesForm>,
) -> AppResult<HttpResponse> {
    let choices: Vec<(String, String)> = form.kinds.into_iter().collect();
    let id = user.id;
    let hour = form.digest_hour;
    let result = state
        .db
        .write_untracked_async(move |conn| prefs::save(conn, id, &choices, Some(&hour)))
        .await;
    match result {
        Ok(()) => Ok(see_other("/account/notifications?saved=1")),
        Err(AppError::Invalid(m)) => {
            preferences_page(&state, &req, &viewer, user, false, Some(m)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Serialize)]
struct UnsubscribePage {
    token: String,
    what: Msg,
    done: bool,
}

fn unsubscribe_label(what: prefs::Unsubscribe) -> Msg {
    match what {
        prefs::Unsubscribe::Kind(k) => k.label(),
        prefs::Unsubscribe::Digest => msg!("unsubscribe-what-digest"),
        prefs::Unsubscribe::All => msg!("unsubscribe-what-all"),
    }
}

/// `GET /unsubscribe/{token}`: asks to confirm (mail scanners follow links; only a POST
/// unsubscribes).
pub async fn unsubscribe_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let (_, what) = prefs::check_unsubscribe(&state.secret, &token)?;
    let page = UnsubscribePage {
        token,
        what: unsubscribe_label(what),
        done: false,
    };
    page_response(
        &state,
        &req,
        None,
        "unsubscribe.html",
        &page,
        msg!("title-unsubscribe"),
    )
}

/// `POST /unsubscribe/{token}`: the one-click unsubscribe (RFC 8058: the mail client posts
/// `List-Unsubscribe=One-Click`) and the confirm button. No sign-in, no CSRF token: the
/// signed token is the proof.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let (user_id, what) = prefs::check_unsubscribe(&state.secret, &token)?;
    state
        .db
        .write_untracked_async(move |conn| prefs::unsubscribe(conn, user_id, what))
        .await?;
    let page = UnsubscribePage {
        token,
        what: unsubscribe_label(what),
        done: true,
    };
    page_response(
        &state,
        &req,
        None,
        "unsubscribe.html",
        &page,
        msg!("title-unsubscribe"),
    )
}

// ---------------------------------------------------------------------------------------------
// API

/// Words the messages of an inbox for the API (the request's language and the user's zone).
fn inbox_json(
    state: &AppState,
    req: &HttpRequest,
    user: &crate::accounts::User,
    inbox: Inbox,
) -> serde_json::Value {
    let locale = super::locale::resolve(req, state, Some(user));
    let word = |m: &Msg| state.theme.catalog.text_in(&locale.lang, locale.tz, m);
    let groups: Vec<serde_json::Value> = inbox
        .groups
        .iter()
        .map(|g| {
            let items: Vec<serde_json::Value> = g
                .items
                .iter()
                .map(|i| {
                    json!({
                        "id": i.id,
                        "kind": i.kind,
                        "thread_id": i.thread_id,
                        "post_id": i.post_id,
                        "actor": i.actor,
                        "excerpt": i.excerpt,
                        "text": word(&i.text),
                        "url": format!("{}{}", state.base_url, i.url),
                        "created_at": i.created_at,
                        "read": i.read,
                    })
                })
                .collect();
            json!({
                "thread_id": g.thread_id,
                "title": g.title,
                "url": format!("{}{}", state.base_url, g.url),
                "summary": g.summary.iter().map(word).collect::<Vec<_>>().join(", "),
                "unread": g.unread,
                "newest_at": g.newest_at,
                "items": items,
            })
        })
        .collect();
    json!({
        "unread": inbox.unread,
        "page": inbox.page,
        "has_more": inbox.has_more,
        "groups": groups,
    })
}

/// `GET /api/v1/notifications?page=&unread=1`
pub async fn api_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiUser(user): ApiUser,
    q: web::Query<InboxQuery>,
) -> AppResult<HttpResponse> {
    let (page, unread_only) = (q.page()?, q.unread_only());
    let id = user.id;
    let inbox = state
        .db
        .read(move |conn| notify::inbox(conn, id, page, unread_only))
        .await?;
    Ok(HttpResponse::Ok().json(inbox_json(&state, &req, &user, inbox)))
}

#[derive(Debug, Deserialize)]
pub struct ReadBody {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub thread_id: Option<i64>,
    #[serde(default)]
    pub all: bool,
}

/// `POST /api/v1/notifications/read` `{ids: [..]}`, `{thread_id}` or `{all: true}`
pub async fn api_mark_read(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<ReadBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    if body.ids.len() > 1000 {
        return Err(AppError::invalid(msg!("notify-too-many-ids")));
    }
    let unread = state
        .db
        .write_untracked_async(move |conn| {
            if body.all {
                return notify::mark_read(conn, user.id, Mark::All);
            }
            if let Some(t) = body.thread_id {
                return notify::mark_read(conn, user.id, Mark::Thread(t));
            }
            if body.ids.is_empty() {
                return Err(AppError::invalid(msg!("notify-mark-what")));
            }
            notify::mark_read(conn, user.id, Mark::Many(body.ids))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "unread": unread })))
}

/// `GET /api/v1/notifications/preferences`
pub async fn api_preferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiUser(user): ApiUser,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let (p, watched) = state
        .db
        .read(move |conn| {
            Ok((
                prefs::preferences(conn, &u)?,
                watch::watched_topics(conn, u.id)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(preferences_json(&state, &req, &user, p, watched)))
}

fn preferences_json(
    state: &AppState,
    req: &HttpRequest,
    user: &crate::accounts::User,
    p: Preferences,
    watched: Vec<watch::Watched>,
) -> serde_json::Value {
    let locale = super::locale::resolve(req, state, Some(user));
    let kinds: serde_json::Map<String, serde_json::Value> = p
        .kinds
        .iter()
        .map(|k| {
            (
                k.kind.as_str().to_string(),
                json!({
                    "delivery": k.delivery,
                    "label": state.theme.catalog.text_in(&locale.lang, locale.tz, &k.label),
                }),
            )
        })
        .collect();
    json!({ "kinds": kinds, "digest_hour": p.digest_hour, "watched": watched })
}

#[derive(Debug, Deserialize)]
pub struct PreferencesBody {
    /// `{kind: delivery}`.
    #[serde(default)]
    pub deliveries: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub digest_hour: Option<i32>,
}

/// `PUT /api/v1/notifications/preferences` `{deliveries: {answer: "daily"}, digest_hour: 7}`
pub async fn api_save_preferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiUser(user): ApiUser,
    body: web::Json<PreferencesBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let choices: Vec<(String, String)> = body.deliveries.into_iter().collect();
    let hour = body.digest_hour.map(|h| h.to_string());
    let u = user.clone();
    let (p, watched) = state
        .db
        .write_untracked_async(move |conn| {
            prefs::save(conn, u.id, &choices, hour.as_deref())?;
            Ok((
                prefs::preferences(conn, &u)?,
                watch::watched_topics(conn, u.id)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(preferences_json(&state, &req, &user, p, watched)))
}

#[derive(Debug, Deserialize)]
pub struct LevelBody {
    pub level: String,
}

/// `PUT /api/v1/threads/{id}/watch` `{level: watching|normal|muted}`
pub async fn api_watch_thread(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<LevelBody>,
) -> AppResult<HttpResponse> {
    let (id, level) = (id.into_inner(), Level::parse(&body.level)?);
    state
        .db
        .write_untracked_async(move |conn| watch::set_thread_level(conn, &user, id, level))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "thread_id": id, "level": level })))
}

/// `PUT /api/v1/categories/{slug}/watch` `{level: watching|first_post|none}`
pub async fn api_watch_category(
    state: web::Data<AppState>,
    user: ApiUser,
    slug: web::Path<String>,
    body: web::Json<LevelBody>,
) -> AppResult<HttpResponse> {
    api_watch_topic(state, user, TopicName::Category(slug.into_inner()), body).await
}

/// `PUT /api/v1/tags/{name}/watch` `{level: watching|first_post|none}`
pub async fn api_watch_tag(
    state: web::Data<AppState>,
    user: ApiUser,
    name: web::Path<String>,
    body: web::Json<LevelBody>,
) -> AppResult<HttpResponse> {
    api_watch_topic(state, user, TopicName::Tag(name.into_inner()), body).await
}

async fn api_watch_topic(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    name: TopicName,
    body: web::Json<LevelBody>,
) -> AppResult<HttpResponse> {
    let level = TopicLevel::parse(&body.level)?;
    let (topic, _) = state
        .db
        .write_untracked_async(move |conn| watch::watch_topic(conn, user.id, &name, level))
        .await?;
    Ok(HttpResponse::Ok().json(match topic {
        Topic::Category(id) => json!({ "category_id": id, "level": level }),
        Topic::Tag(id) => json!({ "tag_id": id, "level": level }),
    }))
}
