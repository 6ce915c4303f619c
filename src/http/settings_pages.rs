//! The site settings over HTTP (admins): `/admin/settings` and `GET`/`PUT
//! /api/v1/admin/settings`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::render::{page_response, see_other};
use super::session::{Admin, ApiAdmin, CsrfForm};
use super::AppState;
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::site::{self, SettingsForm, SiteSettings};

csrf_form!(SettingsPageForm {
    site_name: String,
    company_name: String,
    logo_url: String,
    intro: String,
    contact_url: String,
    footer_links: String,
    default_language: String,
    time_zone: String,
    moderators_see_private: String
});

impl SettingsPageForm {
    fn to_form(&self) -> SettingsForm {
        SettingsForm {
            site_name: self.site_name.clone(),
            company_name: self.company_name.clone(),
            logo_url: self.logo_url.clone(),
            intro: self.intro.clone(),
            contact_url: self.contact_url.clone(),
            footer_links: self.footer_links.clone(),
            default_language: self.default_language.clone(),
            time_zone: self.time_zone.clone(),
            moderators_see_private: !self.moderators_see_private.is_empty(),
        }
    }
}

#[derive(Serialize)]
struct SettingsPage {
    form: SettingsPageForm,
    languages: Vec<Language>,
    error: Option<crate::i18n::Msg>,
    saved: bool,
}

#[derive(Serialize)]
struct Language {
    tag: String,
    name: String,
}

fn languages(state: &AppState) -> Vec<String> {
    state
        .theme
        .catalog
        .languages()
        .iter()
        .filter(|l| !l.is_pseudo())
        .map(|l| l.tag.clone())
        .collect()
}

fn page_form(s: &SiteSettings) -> SettingsPageForm {
    let f = SettingsForm::of(s);
    SettingsPageForm {
        csrf: String::new(),
        site_name: f.site_name,
        company_name: f.company_name,
        logo_url: f.logo_url,
        intro: f.intro,
        contact_url: f.contact_url,
        footer_links: f.footer_links,
        default_language: f.default_language,
        time_zone: f.time_zone,
        moderators_see_private: if f.moderators_see_private { "1" } else { "" }.into(),
    }
}

fn render(
    state: &AppState,
    req: &HttpRequest,
    viewer: &super::session::Viewer,
    form: SettingsPageForm,
    error: Option<AppError>,
    saved: bool,
) -> AppResult<HttpResponse> {
    let status = error.as_ref().map(actix_web::ResponseError::status_code);
    let page = SettingsPage {
        form,
        languages: state
            .theme
            .catalog
            .languages()
            .iter()
            .filter(|l| !l.is_pseudo())
            .map(|l| Language {
                tag: l.tag.clone(),
                name: l.name.clone(),
            })
            .collect(),
        error: error.and_then(|e| e.message()),
        saved,
    };
    let mut resp = page_response(
        state,
        req,
        Some(viewer),
        "admin-settings.html",
        &page,
        msg!("title-site-settings"),
    )?;
    if let Some(status) = status {
        *resp.status_mut() = status;
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /admin/settings`
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(_, viewer): Admin,
    q: web::Query<SavedQuery>,
) -> AppResult<HttpResponse> {
    let current = state.db.read(site::load).await?;
    render(
        &state,
        &req,
        &viewer,
        page_form(&current),
        None,
        q.saved.is_some(),
    )
}

/// `POST /admin/settings`: invalid input shows the form again with what was typed.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    Admin(admin, viewer): Admin,
    CsrfForm(form): CsrfForm<SettingsPageForm>,
) -> AppResult<HttpResponse> {
    let parsed = match site::parse(&form.to_form(), &languages(&state)) {
        Ok(p) => p,
        Err(e) => return render(&state, &req, &viewer, form, Some(e), false),
    };
    let saved = state
        .db
        .write(move |conn| site::update(conn, &admin, &parsed))
        .await?;
    state.site.set(saved);
    Ok(see_other("/admin/settings?saved=1"))
}

/// `GET /api/v1/admin/settings`
pub async fn api_get(state: web::Data<AppState>, ApiAdmin(_): ApiAdmin) -> AppResult<HttpResponse> {
    let current = state.db.read(site::load).await?;
    Ok(HttpResponse::Ok().json(current))
}

/// The API's settings: every field optional, absent ones stay as they are.
#[derive(Deserialize)]
pub struct SettingsBody {
    site_name: Option<String>,
    company_name: Option<String>,
    logo_url: Option<String>,
    intro: Option<String>,
    contact_url: Option<String>,
    /// `[{"label": ..., "url": ...}]`
    footer_links: Option<Vec<LinkBody>>,
    default_language: Option<String>,
    time_zone: Option<String>,
    moderators_see_private: Option<bool>,
}

#[derive(Deserialize)]
pub struct LinkBody {
    label: String,
    url: String,
}

/// `PUT /api/v1/admin/settings`
pub async fn api_put(
    state: web::Data<AppState>,
    ApiAdmin(admin): ApiAdmin,
    body: web::Json<SettingsBody>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let current = state.db.read(site::load).await?;
    let mut f = SettingsForm::of(&current);
    let set = |slot: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *slot = v;
        }
    };
    set(&mut f.site_name, b.site_name);
    set(&mut f.company_name, b.company_name);
    set(&mut f.logo_url, b.logo_url);
    set(&mut f.intro, b.intro);
    set(&mut f.contact_url, b.contact_url);
    set(&mut f.default_language, b.default_language);
    set(&mut f.time_zone, b.time_zone);
    if let Some(links) = b.footer_links {
        f.footer_links = links
            .iter()
            .map(|l| format!("{} | {}", l.label.replace('|', " "), l.url))
            .collect::<Vec<_>>()
            .join("\n");
    }
    if let Some(m) = b.moderators_see_private {
        f.moderators_see_private = m;
    }
    let parsed = site::parse(&f, &languages(&state))?;
    let saved = state
        .db
        .write(move |conn| site::update(conn, &admin, &parsed))
        .await?;
    state.site.set(saved.clone());
    Ok(HttpResponse::Ok().json(saved))
}
