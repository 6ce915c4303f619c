//! Themes: minijinja templates and static files looked up in the operator's theme folder, then
//! `themes/default` on disk, then the copy of `themes/default` embedded in the binary (so a bare
//! binary runs). A theme overrides any file by giving one of the same name.

use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::config::ThemeSettings;
use crate::error::AppResult;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct EmbeddedDefault;

/// A loaded theme: the template environment and the folders static files come from.
pub struct Theme {
    env: Environment<'static>,
    dirs: Vec<PathBuf>,
}

/// A static file to serve.
pub struct StaticFile {
    pub bytes: std::borrow::Cow<'static, [u8]>,
    pub mime: String,
}

fn safe_relative(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

impl Theme {
    pub fn load(settings: &ThemeSettings) -> anyhow::Result<Theme> {
        let root = Path::new(&settings.dir);
        let mut dirs = Vec::new();
        if settings.name != "default" {
            let dir = root.join(&settings.name);
            if !dir.is_dir() {
                anyhow::bail!("theme {:?} not found in {}", settings.name, root.display());
            }
            dirs.push(dir);
        }
        dirs.push(root.join("default"));

        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        let template_dirs: Vec<PathBuf> = dirs.iter().map(|d| d.join("templates")).collect();
        env.set_loader(move |name| {
            if !safe_relative(name) {
                return Ok(None);
            }
            for dir in &template_dirs {
                match std::fs::read_to_string(dir.join(name)) {
                    Ok(source) => return Ok(Some(source)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => {
                        return Err(minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("cannot read template {name}: {e}"),
                        ))
                    }
                }
            }
            Ok(EmbeddedDefault::get(&format!("templates/{name}"))
                .map(|f| String::from_utf8_lossy(&f.data).into_owned()))
        });
        // Escape only what HTML needs (minijinja's default also escapes `/`, which bloats URLs).
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::Html
                && !value.is_safe()
                && value.as_str().is_some()
            {
                out.write_str(&escape_html(value.as_str().unwrap_or_default()))?;
                Ok(())
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        env.add_filter("datetime", datetime);
        env.add_filter("date", date);
        env.add_filter("ago", ago);
        env.add_filter("plural", plural);
        env.add_filter("duration", duration);
        let theme = Theme { env, dirs };
        // Fail at start, not on the first request, when a template does not parse.
        theme.env.get_template("layout.html")?;
        Ok(theme)
    }

    /// Renders template `name` with `ctx`.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> AppResult<String> {
        let template = self.env.get_template(name)?;
        Ok(template.render(ctx)?)
    }

    /// Looks a static file up through the theme chain.
    pub fn static_file(&self, name: &str) -> Option<StaticFile> {
        if !safe_relative(name) {
            return None;
        }
        let mime = mime_guess::from_path(name)
            .first_or_octet_stream()
            .to_string();
        for dir in &self.dirs {
            if let Ok(bytes) = std::fs::read(dir.join("static").join(name)) {
                return Some(StaticFile {
                    bytes: bytes.into(),
                    mime,
                });
            }
        }
        EmbeddedDefault::get(&format!("static/{name}")).map(|f| StaticFile {
            bytes: f.data,
            mime,
        })
    }
}

/// Escapes `& < > " '` for text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

fn parse_time(value: &Value) -> Option<chrono::NaiveDateTime> {
    let s = value.as_str()?;
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

/// `{{ t|datetime }}`: "2026-11-22 15:04 UTC".
fn datetime(value: Value) -> String {
    match parse_time(&value) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => value.to_string(),
    }
}

/// `{{ t|date }}`: "2026-11-22".
fn date(value: Value) -> String {
    match parse_time(&value) {
        Some(t) => t.format("%Y-%m-%d").to_string(),
        None => value.to_string(),
    }
}

/// `{{ t|ago }}`: "5 minutes ago".
fn ago(value: Value) -> String {
    let Some(t) = parse_time(&value) else {
        return value.to_string();
    };
    let secs = (chrono::Utc::now().naive_utc() - t).num_seconds().max(0);
    let (n, unit) = match secs {
        0..=59 => return "just now".into(),
        60..=3599 => (secs / 60, "minute"),
        3600..=86_399 => (secs / 3600, "hour"),
        86_400..=2_591_999 => (secs / 86_400, "day"),
        2_592_000..=31_535_999 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// `{{ minutes|duration }}`: "4 hours", "1 h 30 min".
fn duration(minutes: i64) -> String {
    super::human_minutes(minutes)
}

/// `{{ n|plural("answer") }}`: "1 answer", "3 answers".
fn plural(n: i64, word: String) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
