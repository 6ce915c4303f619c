//! Wording emails: a notification's email when it is sent (nothing if it was read meanwhile),
//! digests, and account mail. Every email is rendered from the theme's `email/*.txt` and
//! `email/*.html` templates in the recipient's language and time zone; notification mail
//! carries a one-click unsubscribe (RFC 8058) and a link to the preferences.

use std::sync::Arc;

use serde::Serialize;

use super::prefs::{self, Unsubscribe};
use super::Item;
use crate::accounts::User;
use crate::config::I18nSettings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::{Language, Msg};
use crate::mail::{Composed, Job};
use crate::render::theme::Theme;

/// What wording an email needs besides the database.
#[derive(Clone)]
pub struct Wording {
    pub theme: Arc<Theme>,
    pub base_url: String,
    /// Signs unsubscribe links.
    pub secret: Arc<Vec<u8>>,
    pub i18n: I18nSettings,
    pub site_name: String,
}

impl Wording {
    /// The wording of this site's mail: its theme, base URL, secret and language settings.
    pub fn new(
        settings: &crate::config::Settings,
        theme: Arc<Theme>,
        secret: Arc<Vec<u8>>,
    ) -> Wording {
        Wording {
            theme,
            base_url: settings.base_url(),
            secret,
            i18n: settings.i18n.clone(),
            site_name: "Peerdesk".into(),
        }
    }

    /// The recipient's language and zone (their account's, else the site's).
    pub fn locale_of(&self, user: &User) -> (Arc<Language>, chrono_tz::Tz) {
        let catalog = &self.theme.catalog;
        let lang = user
            .locale
            .as_deref()
            .and_then(|l| catalog.get(l))
            .unwrap_or_else(|| catalog.default_language())
            .clone();
        let tz = user
            .time_zone
            .as_deref()
            .and_then(crate::i18n::zone)
            .or_else(|| crate::i18n::zone(&self.i18n.time_zone))
            .unwrap_or(chrono_tz::UTC);
        (lang, tz)
    }

    fn text(&self, lang: &Language, tz: chrono_tz::Tz, m: &Msg) -> String {
        self.theme.catalog.text_in(lang, tz, m)
    }

    /// Renders `email/{name}.txt` and `.html` with `ctx` for `user`.
    pub fn render<S: Serialize>(
        &self,
        user: &User,
        name: &str,
        subject: &Msg,
        ctx: &S,
        unsubscribe: Option<Unsubscribe>,
    ) -> AppResult<Composed> {
        let (lang, tz) = self.locale_of(user);
        let links = unsubscribe.map(|what| {
            let token = prefs::unsubscribe_token(&self.secret, user.id, what);
            format!("{}/unsubscribe/{token}", self.base_url)
        });
        let page = EmailContext {
            site: &self.site_name,
            base_url: &self.base_url,
            lang: &lang.tag,
            tz: tz.name(),
            user_name: user.display_name(),
            unsubscribe_url: links.as_deref(),
            preferences_url: format!("{}/account/notifications", self.base_url),
            page: ctx,
        };
        let text = self
            .theme
            .render_in(&format!("email/{name}.txt"), &page, &lang.tag, tz)?;
        let html = self
            .theme
            .render_in(&format!("email/{name}.html"), &page, &lang.tag, tz)?;
        let mut headers = Vec::new();
        if let Some(url) = links {
            headers.push(("List-Unsubscribe".to_string(), format!("<{url}>")));
            headers.push((
                "List-Unsubscribe-Post".to_string(),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
        Ok(Composed {
            subject: self.text(&lang, tz, subject),
            text,
            html,
            headers,
        })
    }
}

#[derive(Serialize)]
struct EmailContext<'a, T: Serialize> {
    site: &'a str,
    base_url: &'a str,
    lang: &'a str,
    tz: &'a str,
    user_name: &'a str,
    unsubscribe_url: Option<&'a str>,
    preferences_url: String,
    page: &'a T,
}

#[derive(Serialize)]
struct NotificationEmail {
    item: Item,
    title: String,
    /// Absolute link to the post.
    url: String,
}

/// Words the email of a notification job. `None`: drop it (read meanwhile, gone, or the
/// user unsubscribed since it was queued).
pub fn compose(conn: &mut DbConn, wording: &Wording, job: &Job) -> AppResult<Option<Composed>> {
    let Some(id) = job.notification_id else {
        return Ok(None);
    };
    let Some(n) = super::find(conn, id)? else {
        return Ok(None);
    };
    if n.read_at.is_some() {
        return Ok(None);
    }
    let Some(kind) = n.kind() else {
        return Ok(None);
    };
    let Ok(user) = crate::accounts::find(conn, n.user_id) else {
        return Ok(None);
    };
    if user.is_suspended() {
        return Ok(None);
    }
    let still = prefs::delivery_of(conn, &[user.id], kind)?;
    if still.get(&user.id) != Some(&prefs::Delivery::Instant) {
        return Ok(None);
    }
    let Some(item) = super::item(conn, n)? else {
        return Ok(None);
    };
    let title = item.title.clone();
    let url = format!("{}{}", wording.base_url, item.url);
    let subject = item.text.clone();
    let page = NotificationEmail { item, title, url };
    wording
        .render(
            &user,
            "notification",
            &subject,
            &page,
            Some(Unsubscribe::Kind(kind)),
        )
        .map(Some)
}
