//! Private questions and "I still need help" over HTTP: making a thread private, staff's offer
//! to publish it, the asker's answer, and the asker's request for a person (pages and API).

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::pages::CsrfOnly;
use super::render::see_other;
use super::session::{ApiUser, CsrfForm, HasCsrf, SignedIn};
use super::AppState;
use crate::accounts::User;
use crate::error::AppResult;
use crate::threads::private::{self, Consent};
use crate::threads::Thread;

/// What a privacy or request action returns over the API.
fn thread_json(t: &Thread) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "thread_id": t.id,
        "privacy": t.privacy,
        "state": t.state,
        "staff_requested_at": t.staff_requested_at,
        "waiting_for_staff": private::staff_request_open(t),
    }))
}

/// One privacy action by `user` on thread `id`.
#[derive(Clone, Copy)]
enum Action {
    MakePrivate,
    Offer,
    Answer(Consent),
}

async fn act(state: &AppState, user: User, id: i64, action: Action) -> AppResult<Thread> {
    state
        .db
        .write(move |conn| match action {
            Action::MakePrivate => private::make_private(conn, &user, id),
            Action::Offer => private::offer_publish(conn, &user, id),
            Action::Answer(c) => private::answer_publish(conn, &user, id, c),
        })
        .await
}

/// `POST /t/{id}/private`: only the asker and staff will see it.
pub async fn make_private(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> AppResult<HttpResponse> {
    let t = act(&state, user, id.into_inner(), Action::MakePrivate).await?;
    Ok(see_other(t.path()))
}

/// `POST /t/{id}/publish-offer` (staff).
pub async fn offer(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> AppResult<HttpResponse> {
    let t = act(&state, user, id.into_inner(), Action::Offer).await?;
    Ok(see_other(t.path()))
}

/// `POST /t/{id}/publish` with `action` = named, anonymous or decline (the asker).
pub async fn publish(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CsrfOnly>,
) -> AppResult<HttpResponse> {
    let consent = Consent::parse(&form.action)?;
    let t = act(&state, user, id.into_inner(), Action::Answer(consent)).await?;
    Ok(see_other(t.path()))
}

#[derive(Deserialize)]
pub struct NeedHelpForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub reason: String,
}

impl HasCsrf for NeedHelpForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /t/{id}/need-help`: "I still need help" with a sentence why (the asker).
pub async fn need_help(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<NeedHelpForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let t = state
        .db
        .write(move |conn| private::request_staff(conn, &user, id, &form.reason))
        .await?;
    Ok(see_other(format!("{}#need-help", t.path())))
}

/// `POST /api/v1/threads/{id}/private`
pub async fn api_make_private(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let t = act(&state, user, id.into_inner(), Action::MakePrivate).await?;
    Ok(thread_json(&t))
}

/// `POST /api/v1/threads/{id}/publish-offer`
pub async fn api_offer(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let t = act(&state, user, id.into_inner(), Action::Offer).await?;
    Ok(thread_json(&t))
}

#[derive(Deserialize)]
pub struct PublishBody {
    /// named, anonymous or decline
    pub choice: String,
}

/// `POST /api/v1/threads/{id}/publish` `{"choice": "named" | "anonymous" | "decline"}`
pub async fn api_publish(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<PublishBody>,
) -> AppResult<HttpResponse> {
    let consent = Consent::parse(&body.choice)?;
    let t = act(&state, user, id.into_inner(), Action::Answer(consent)).await?;
    Ok(thread_json(&t))
}

#[derive(Deserialize)]
pub struct NeedHelpBody {
    pub reason: String,
}

/// `POST /api/v1/threads/{id}/request-staff` `{"reason": "..."}`
pub async fn api_need_help(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<i64>,
    body: web::Json<NeedHelpBody>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.into_inner().reason;
    let t = state
        .db
        .write(move |conn| private::request_staff(conn, &user, id, &reason))
        .await?;
    Ok(thread_json(&t))
}
