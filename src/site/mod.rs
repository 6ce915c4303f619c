//! Site settings admins change in the browser: the site's and the company's name, logo, the
//! home page's intro, contact and footer links, the default language and time zone, and
//! whether moderators see private questions. Stored as one row per setting (a missing row is
//! the default); every change is a `setting_changed` event, so the audit log keeps who changed
//! what from what.

use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::{Role, User};
use crate::db::schema::site_settings;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::{input, msg};

/// The name shown when an admin has not named the site.
pub const DEFAULT_SITE_NAME: &str = "Peerdesk";
/// Footer links, at most.
pub const MAX_FOOTER_LINKS: usize = 10;
const NAME_CHARS: usize = 80;
const URL_CHARS: usize = 500;
/// The intro is a short paragraph or two above the search box, not a page.
pub const INTRO_CHARS: usize = 1000;

/// One link in the footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// Every site setting, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteSettings {
    pub site_name: String,
    /// Who customers ask for a person ("I still need help from ..."); the site's name when empty.
    pub company_name: String,
    /// An image URL (https or a path on this site); empty: the name is the logo.
    pub logo_url: String,
    /// Markdown shown on the home page above the search box.
    pub intro: String,
    /// `intro` rendered (sanitised HTML), once per load rather than per page.
    pub intro_html: String,
    /// Where customers reach the company other than here; empty: no contact link.
    pub contact_url: String,
    pub footer_links: Vec<Link>,
    /// A language tag of the theme; empty: the configuration's default.
    pub default_language: String,
    /// An IANA time zone; empty: the configuration's.
    pub time_zone: String,
    /// Moderators may open private questions (staff and admins always may).
    pub moderators_see_private: bool,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            site_name: DEFAULT_SITE_NAME.into(),
            company_name: String::new(),
            logo_url: String::new(),
            intro: String::new(),
            intro_html: String::new(),
            contact_url: String::new(),
            footer_links: Vec::new(),
            default_language: String::new(),
            time_zone: String::new(),
            moderators_see_private: false,
        }
    }
}

impl SiteSettings {
    /// The name customers ask for help from.
    pub fn company(&self) -> &str {
        if self.company_name.is_empty() {
            &self.site_name
        } else {
            &self.company_name
        }
    }

    /// The footer links as typed and stored: one `Label | URL` per line.
    fn links_text(&self) -> String {
        let links: Vec<String> = self
            .footer_links
            .iter()
            .map(|l| format!("{} | {}", l.label, l.url))
            .collect();
        links.join("\n")
    }

    /// The settings as stored: (name, text) pairs.
    fn rows(&self) -> Vec<(&'static str, String)> {
        vec![
            ("site_name", self.site_name.clone()),
            ("company_name", self.company_name.clone()),
            ("logo_url", self.logo_url.clone()),
            ("intro", self.intro.clone()),
            ("contact_url", self.contact_url.clone()),
            ("footer_links", self.links_text()),
            ("default_language", self.default_language.clone()),
            ("time_zone", self.time_zone.clone()),
            (
                "moderators_see_private",
                self.moderators_see_private.to_string(),
            ),
        ]
    }

    fn set(&mut self, name: &str, value: String) {
        match name {
            "site_name" if !value.is_empty() => self.site_name = value,
            "company_name" => self.company_name = value,
            "logo_url" => self.logo_url = value,
            "intro" => self.intro = value,
            "contact_url" => self.contact_url = value,
            // Stored values were checked when written; a line that no longer parses is dropped.
            "footer_links" => self.footer_links = parse_links(&value).unwrap_or_default(),
            "default_language" => self.default_language = value,
            "time_zone" => self.time_zone = value,
            "moderators_see_private" => self.moderators_see_private = value == "true",
            _ => {}
        }
    }
}

/// The settings as stored, defaults for what was never set.
pub fn load(conn: &mut DbConn) -> AppResult<SiteSettings> {
    let rows: Vec<(String, String)> = site_settings::table
        .select((site_settings::name, site_settings::value))
        .load(conn)?;
    let mut s = SiteSettings::default();
    for (name, value) in rows {
        s.set(&name, value);
    }
    s.intro_html = crate::render::markdown::render(&s.intro)?.html;
    Ok(s)
}

/// Whether moderators may open private questions (read where a moderator asks, not cached:
/// a revoked permission holds at once).
pub fn moderators_see_private(conn: &mut DbConn) -> AppResult<bool> {
    let v: Option<String> = site_settings::table
        .find("moderators_see_private")
        .select(site_settings::value)
        .first(conn)
        .optional()?;
    Ok(v.as_deref() == Some("true"))
}

/// The settings form as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsForm {
    pub site_name: String,
    pub company_name: String,
    pub logo_url: String,
    pub intro: String,
    pub contact_url: String,
    /// One link per line: `Label | https://...`.
    pub footer_links: String,
    pub default_language: String,
    pub time_zone: String,
    pub moderators_see_private: bool,
}

impl SettingsForm {
    /// The form filled with the current settings.
    pub fn of(s: &SiteSettings) -> SettingsForm {
        SettingsForm {
            site_name: s.site_name.clone(),
            company_name: s.company_name.clone(),
            logo_url: s.logo_url.clone(),
            intro: s.intro.clone(),
            contact_url: s.contact_url.clone(),
            footer_links: s.links_text(),
            default_language: s.default_language.clone(),
            time_zone: s.time_zone.clone(),
            moderators_see_private: s.moderators_see_private,
        }
    }
}

/// Checks the form. `languages`: the theme's language tags.
pub fn parse(form: &SettingsForm, languages: &[String]) -> AppResult<SiteSettings> {
    let site_name = input::line(&form.site_name, "site-name", NAME_CHARS)?;
    if site_name.is_empty() {
        return Err(AppError::invalid(msg!("site-name-required")));
    }
    let language = form.default_language.trim();
    if !language.is_empty() && !languages.iter().any(|l| l == language) {
        return Err(AppError::invalid(msg!(
            "site-unknown-language",
            language = language
        )));
    }
    let zone = form.time_zone.trim();
    if !zone.is_empty() && zone.parse::<Tz>().is_err() {
        return Err(AppError::invalid(msg!(
            "site-unknown-time-zone",
            zone = zone
        )));
    }
    Ok(SiteSettings {
        site_name,
        company_name: input::line(&form.company_name, "company-name", NAME_CHARS)?,
        logo_url: url(&form.logo_url, "logo-url")?,
        intro: input::multiline(&form.intro, "intro", INTRO_CHARS)?,
        intro_html: String::new(),
        contact_url: url(&form.contact_url, "contact-url")?,
        footer_links: parse_links(&form.footer_links)?,
        default_language: language.to_string(),
        time_zone: zone.to_string(),
        moderators_see_private: form.moderators_see_private,
    })
}

/// An http(s) URL or a path on this site; empty is allowed (not set).
fn url(raw: &str, field: &'static str) -> AppResult<String> {
    let u = input::line(raw, field, URL_CHARS)?;
    let lower = u.to_ascii_lowercase();
    let on_site = u.starts_with('/') && !u.starts_with("//");
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    if u.is_empty() || on_site || (web && !u.contains(char::is_whitespace)) {
        Ok(u)
    } else {
        Err(AppError::invalid(msg!("site-bad-url", field = field)))
    }
}

/// `Label | URL` lines; blank lines are skipped.
fn parse_links(raw: &str) -> AppResult<Vec<Link>> {
    let text = input::multiline(
        raw,
        "footer-links",
        MAX_FOOTER_LINKS * (NAME_CHARS + URL_CHARS),
    )?;
    let mut links = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((label, target)) = line.rsplit_once('|') else {
            return Err(AppError::invalid(msg!("site-bad-footer-link", line = line)));
        };
        let label = input::line(label, "link-label", NAME_CHARS)?;
        let url = url(target, "footer-links")?;
        if label.is_empty() || url.is_empty() {
            return Err(AppError::invalid(msg!("site-bad-footer-link", line = line)));
        }
        links.push(Link { label, url });
    }
    if links.len() > MAX_FOOTER_LINKS {
        return Err(AppError::invalid(msg!(
            "site-too-many-links",
            max = MAX_FOOTER_LINKS
        )));
    }
    Ok(links)
}

/// Saves the settings that changed (admins), one audited event per setting.
pub fn update(conn: &mut DbConn, admin: &User, new: &SiteSettings) -> AppResult<SiteSettings> {
    if admin.role() != Role::Admin || admin.is_suspended() {
        return Err(AppError::forbidden(msg!("site-admins-only")));
    }
    let old = load(conn)?;
    let t = now();
    for ((name, before), (_, after)) in old.rows().into_iter().zip(new.rows()) {
        if before == after {
            continue;
        }
        diesel::delete(site_settings::table.find(name)).execute(conn)?;
        diesel::insert_into(site_settings::table)
            .values((
                site_settings::name.eq(name),
                site_settings::value.eq(&after),
                site_settings::updated_at.eq(t),
                site_settings::updated_by.eq(admin.id),
            ))
            .execute(conn)?;
        events::emit(
            conn,
            NewEvent::new(Kind::SettingChanged)
                .actor(admin.id)
                .with("setting", "site")
                .with("change", "updated")
                .with("name", name)
                .with("before", before)
                .with("after", after),
        )?;
    }
    load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm {
            site_name: "Acme Help".into(),
            ..Default::default()
        }
    }

    fn english(e: AppError) -> String {
        e.message().expect("a message").english()
    }

    #[test]
    fn links_urls_languages_and_zones_are_checked() {
        let langs = vec!["en".to_string(), "de".to_string()];
        let mut f = form();
        f.footer_links = "Status | https://status.example.com\n\n Privacy|/privacy ".into();
        f.default_language = "de".into();
        f.time_zone = "Europe/Berlin".into();
        let s = parse(&f, &langs).unwrap();
        assert_eq!(s.footer_links.len(), 2);
        assert_eq!(s.footer_links[1].url, "/privacy");
        assert_eq!(s.company(), "Acme Help");
        // The stored text reads back as the same settings.
        let mut back = SiteSettings::default();
        for (name, value) in s.rows() {
            back.set(name, value);
        }
        assert_eq!(back, s);

        for (field, value, expect) in [
            ("logo", "javascript:alert(1)", "must be a web address"),
            ("logo", "//evil.example/x.png", "must be a web address"),
            ("links", "no separator", "Label | https://"),
            ("links", "Label | ftp://x", "must be a web address"),
            ("lang", "fr", "fr"),
            ("zone", "Mars/Olympus", "Mars/Olympus"),
            ("name", "   ", "needs a name"),
        ] {
            let mut f = form();
            match field {
                "logo" => f.logo_url = value.into(),
                "links" => f.footer_links = value.into(),
                "lang" => f.default_language = value.into(),
                "zone" => f.time_zone = value.into(),
                _ => f.site_name = value.into(),
            }
            let e = english(parse(&f, &langs).unwrap_err());
            assert!(e.contains(expect), "{field} {value}: {e}");
        }
        let mut f = form();
        f.footer_links = (0..11).map(|i| format!("L{i} | /p{i}\n")).collect();
        assert!(english(parse(&f, &langs).unwrap_err()).contains("10"));
    }
}
