//! The self-service dashboard over HTTP: `/staff/insights` (staff and admins), its JSON twin
//! `/api/v1/staff/insights`, and the content-gaps page (`/staff/content-gaps`, also for
//! moderators, who write knowledge-base articles). Figures and rules live in `crate::insights`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::render::page_response;
use super::session::{ApiStaff, Moderator, Staff};
use super::AppState;
use crate::accounts::User;
use crate::error::{AppError, AppResult};
use crate::insights::chart::{self, Chart};
use crate::insights::{Dashboard, GapGroup, Period};
use crate::msg;

/// `?days=` of the dashboard and the content-gaps page (text, so "abc" gets a 422 that says
/// what is wanted rather than a parser's complaint).
#[derive(Debug, Deserialize)]
pub struct DaysQuery {
    pub days: Option<String>,
}

/// `insights.html`: the self-service dashboard.
#[derive(Serialize)]
pub struct InsightsPage {
    /// The figures: totals, per day, the top content gaps (see `insights::Dashboard`).
    pub dashboard: Dashboard,
    /// One bar chart per figure, in page order (see `insights::chart::Chart`).
    pub charts: Vec<Chart>,
    /// The periods the switch offers, in days.
    pub choices: [u32; 3],
    /// Suggestions by meaning are on: weak matches count as content gaps (without the model
    /// only searches that found nothing do).
    pub semantic: bool,
}

/// Writes buffered searches and clicks first, so the figures include the last minute.
async fn flush_search_log(state: &web::Data<AppState>) -> AppResult<()> {
    let state = state.clone();
    web::block(move || state.search.log.flush(&state.db)).await?;
    Ok(())
}

async fn load(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    user: &User,
    period: Period,
) -> AppResult<Dashboard> {
    flush_search_log(state).await?;
    let tz = super::locale::resolve(req, state, Some(user)).tz;
    let search = state.search.clone();
    let weak = state.settings.insights.weak_score;
    state
        .db
        .read(move |conn| {
            crate::insights::dashboard(conn, &search, period, tz, crate::db::now(), weak)
        })
        .await
}

/// `GET /staff/insights?days=`
pub async fn insights(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user, viewer): Staff,
    q: web::Query<DaysQuery>,
) -> AppResult<HttpResponse> {
    let period = Period::parse(q.days.as_deref())?;
    let dashboard = load(&state, &req, &user, period).await?;
    let page = InsightsPage {
        charts: chart::charts(&dashboard),
        dashboard,
        choices: Period::CHOICES,
        semantic: state.search.semantic().is_on(),
    };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "insights.html",
        &page,
        msg!("title-insights"),
    )
}

/// `GET /api/v1/staff/insights?days=`: the dashboard's figures as JSON.
pub async fn api_insights(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiStaff(user): ApiStaff,
    q: web::Query<DaysQuery>,
) -> AppResult<HttpResponse> {
    let period = Period::parse(q.days.as_deref())?;
    let dashboard = load(&state, &req, &user, period).await?;
    Ok(HttpResponse::Ok().json(dashboard))
}

/// `content-gaps.html`: what people searched for and did not find, grouped by wording.
#[derive(Serialize)]
pub struct ContentGapsPage {
    pub days: u32,
    pub gaps: Vec<GapGroup>,
    /// See `InsightsPage::semantic`.
    pub semantic: bool,
}

/// The content-gaps page's window (longer than the dashboard's: gaps are worth a year's view).
const MAX_GAP_DAYS: u32 = 3650;
/// Groups the content-gaps page lists.
const GAP_GROUPS: usize = 200;

/// `GET /staff/content-gaps?days=`
pub async fn content_gaps(
    state: web::Data<AppState>,
    req: HttpRequest,
    Moderator(_, viewer): Moderator,
    q: web::Query<DaysQuery>,
) -> AppResult<HttpResponse> {
    let days = crate::insights::parse_days(q.days.as_deref(), 30, MAX_GAP_DAYS)
        .ok_or_else(|| AppError::invalid(msg!("search-error-days", max = MAX_GAP_DAYS)))?;
    flush_search_log(&state).await?;
    let since = crate::db::now() - chrono::TimeDelta::days(i64::from(days));
    let search = state.search.clone();
    let weak = state.settings.insights.weak_score;
    let gaps = state
        .db
        .read(move |conn| crate::insights::content_gaps(conn, &search, since, weak, GAP_GROUPS))
        .await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "content-gaps.html",
        &ContentGapsPage {
            days,
            gaps,
            semantic: state.search.semantic().is_on(),
        },
        msg!("title-content-gaps"),
    )
}
