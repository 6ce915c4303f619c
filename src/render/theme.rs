//! Themes: minijinja templates and static files looked up in the operator's theme folder, then
//! `themes/default` on disk, then the copy of `themes/default` embedded in the binary (so a bare
//! binary runs). A theme overrides any file by giving one of the same name, and any message by
//! defining its id in `locales/<lang>/*.ftl`.
//!
//! Templates word everything through `t("id", name=value)` and format times and numbers with
//! filters that read the page's `lang` and `tz`: `|datetime`, `|date`, `|ago` (each a `<time>`
//! element with the exact time on hover), `|duration` (minutes) and `|number`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{Environment, State, Value};
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::config::{I18nSettings, ThemeSettings};
use crate::error::AppResult;
use crate::hours::{self, Schedule};
use crate::i18n::{self, Catalog, Language, Msg};
use crate::render::calls;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct EmbeddedDefault;

/// A loaded theme: the template environment and the folders static files come from.
pub struct Theme {
    /// One environment per language of the catalog (same order), whose templates have their
    /// argument-free `t("id")` calls replaced by the text when loaded, and a last one that
    /// looks every message up as it renders (a language the catalog does not know).
    envs: Vec<Environment<'static>>,
    dirs: Vec<PathBuf>,
    /// The interface's languages (the theme's messages over the default theme's).
    pub catalog: Arc<Catalog>,
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
    pub fn load(settings: &ThemeSettings, i18n: &I18nSettings) -> anyhow::Result<Theme> {
        let root = Path::new(&settings.dir);
        let catalog = Arc::new(Catalog::load(
            &i18n::locale_dirs(root, &settings.name),
            &i18n.default_language,
            i18n.pseudo_locale,
        )?);
        let mut dirs = Vec::new();
        if settings.name != "default" {
            let dir = root.join(&settings.name);
            if !dir.is_dir() {
                anyhow::bail!("theme {:?} not found in {}", settings.name, root.display());
            }
            dirs.push(dir);
        }
        dirs.push(root.join("default"));

        let template_dirs: Vec<PathBuf> = dirs.iter().map(|d| d.join("templates")).collect();
        let mut envs: Vec<Environment<'static>> = (0..catalog.languages().len())
            .map(|i| environment(&template_dirs, &catalog, Some(i)))
            .collect();
        envs.push(environment(&template_dirs, &catalog, None));
        let theme = Theme {
            envs,
            dirs,
            catalog,
        };
        // Fail at start, not on the first request, when a template does not parse.
        for env in &theme.envs {
            env.get_template("layout.html")?;
        }
        Ok(theme)
    }

    /// Renders template `name` with `ctx`, every message looked up in the context's `lang`.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> AppResult<String> {
        self.render_with(self.envs.len() - 1, name, ctx)
    }

    fn render_with<S: Serialize>(&self, env: usize, name: &str, ctx: S) -> AppResult<String> {
        let template = self.envs[env].get_template(name)?;
        Ok(template.render(ctx)?)
    }

    /// Renders in a language and zone known up front: `t()` and the filters then need not look
    /// `lang` and `tz` up in the context on each of a page's hundreds of calls.
    pub fn render_in<S: Serialize>(
        &self,
        name: &str,
        ctx: S,
        lang: &str,
        tz: chrono_tz::Tz,
    ) -> AppResult<String> {
        let index = self.catalog.languages().iter().position(|l| l.tag == lang);
        RENDERING.with(|r| r.set(index.map(|i| (i, tz))));
        let out = self.render_with(index.unwrap_or(self.envs.len() - 1), name, ctx);
        RENDERING.with(|r| r.set(None));
        out
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

/// A template environment over `template_dirs`; with `language` (an index into the catalog)
/// its templates are loaded with that language's argument-free messages baked in.
fn environment(
    template_dirs: &[PathBuf],
    catalog: &Arc<Catalog>,
    language: Option<usize>,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let (template_dirs, baking) = (template_dirs.to_vec(), catalog.clone());
    // The message calls with arguments of this language's templates (`__t`, see `calls`).
    let sites = Arc::new(calls::Sites::new());
    let loader_sites = sites.clone();
    let bake_in = move |source: String| match language {
        Some(i) => bake_with(
            &source,
            &baking,
            &baking.languages()[i],
            Some(&loader_sites),
        ),
        None => source,
    };
    env.set_loader(move |name| {
        if !safe_relative(name) {
            return Ok(None);
        }
        for dir in &template_dirs {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(source) => return Ok(Some(bake_in(source))),
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
            .map(|f| bake_in(String::from_utf8_lossy(&f.data).into_owned())))
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
    // `|e` like the output formatter: `/` stays `/`, so built links read `href="/t/1"`.
    let escape = |v: Value| {
        if v.is_safe() {
            v
        } else {
            Value::from_safe_string(escape_html(&v.to_string()))
        }
    };
    env.add_filter("e", escape);
    env.add_filter("escape", escape);
    register_locale_functions(&mut env, catalog);
    if let Some(i) = language {
        let c = catalog.clone();
        env.add_function(
            "__t",
            move |site: u32, values: &[Value]| -> Result<Value, minijinja::Error> {
                let lang = c.languages().get(i).unwrap_or_else(|| c.default_language());
                calls::call(&c, lang, &sites, site, values, escape_html)
            },
        );
    }
    env
}

/// `source` with every argument-free `t("id")` inside a `{{ }}` or `{% %}` tag replaced by the
/// message's text in `lang` as a string literal: the same value `t()` would return (escaped on
/// output alike), but looked up once when the template loads instead of on every render. Most
/// of a page's wording has no counts or times; only the calls with arguments remain.
#[cfg(test)]
fn bake(source: &str, catalog: &Catalog, lang: &Language) -> String {
    bake_with(source, catalog, lang, None)
}

/// `bake`, and with `sites`, each `t("id", name=value, …)` call rewritten to
/// `__t(site, value, …)` (`calls::rewrite`): the same text, found without minijinja's
/// keyword-argument handling and remembered per site and argument values.
fn bake_with(
    source: &str,
    catalog: &Catalog,
    lang: &Language,
    sites: Option<&calls::Sites>,
) -> String {
    use std::sync::OnceLock;
    static CALL: OnceLock<regex::Regex> = OnceLock::new();
    static RAW: OnceLock<regex::Regex> = OnceLock::new();
    let call = CALL.get_or_init(|| {
        regex::Regex::new(r#"(^|[^\w.])t\(\s*"([\w-]+)"\s*\)"#).expect("a valid pattern")
    });
    let raw =
        RAW.get_or_init(|| regex::Regex::new(r"^\{%-?\s*raw\s*-?%\}$").expect("a valid pattern"));
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    let mut rest = source;
    while let Some(start) = rest.find('{') {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = match from.as_bytes().get(1) {
            Some(b'{') => tag_end(from, "}}"),
            Some(b'%') => tag_end(from, "%}"),
            Some(b'#') => from.find("#}").map(|i| i + 2),
            _ => {
                out.push('{');
                rest = &from[1..];
                continue;
            }
        };
        let Some(mut end) = end else {
            // An unclosed tag: minijinja reports it; leave the rest as it is.
            rest = from;
            break;
        };
        let tag = &from[..end];
        if tag.starts_with("{#") {
            out.push_str(tag);
        } else if raw.is_match(tag) {
            // `{% raw %}…{% endraw %}` is text, whatever it looks like.
            end = from
                .find("endraw")
                .and_then(|i| tag_end(&from[i..], "%}").map(|j| i + j))
                .unwrap_or(from.len());
            out.push_str(&from[..end]);
        } else {
            let baked = call.replace_all(tag, |caps: &regex::Captures| {
                let text = catalog.message(lang, &caps[2], None);
                format!("{}{}", &caps[1], string_literal(&text))
            });
            match sites {
                Some(sites) => out.push_str(&calls::rewrite(&baked, sites)),
                None => out.push_str(&baked),
            }
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// Where the tag that starts `from` ends (just after `close`), skipping string literals.
fn tag_end(from: &str, close: &str) -> Option<usize> {
    let bytes = from.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 2;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if from[i..].starts_with(close) => return Some(i + close.len()),
            None => {}
        }
        i += 1;
    }
    None
}

/// `text` as a template string literal.
fn string_literal(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
    let s = s.strip_suffix('Z').unwrap_or(s);
    // `FromStr` reads ISO 8601 without interpreting a format string (pages have many times).
    s.parse::<chrono::NaiveDateTime>()
        .or_else(|_| {
            s.parse::<chrono::NaiveDate>()
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .ok()
}

/// What a template renders in: the page's language and time zone (context values `lang`, `tz`).
struct Locale<'c> {
    catalog: &'c Catalog,
    lang: &'c Arc<Language>,
    tz: chrono_tz::Tz,
}

thread_local! {
    /// The language (index in the catalog) and zone of the page this thread is rendering.
    static RENDERING: std::cell::Cell<Option<(usize, chrono_tz::Tz)>> =
        const { std::cell::Cell::new(None) };
}

fn locale<'c>(catalog: &'c Catalog, state: &State) -> Locale<'c> {
    if let Some((i, tz)) = RENDERING.with(std::cell::Cell::get) {
        if let Some(lang) = catalog.languages().get(i) {
            return Locale { catalog, lang, tz };
        }
    }
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(|tag| catalog.get(tag)))
        .unwrap_or_else(|| catalog.default_language());
    let tz = state
        .lookup("tz")
        .and_then(|v| v.as_str().and_then(i18n::zone))
        .unwrap_or(chrono_tz::UTC);
    Locale { catalog, lang, tz }
}

/// `<time datetime="…Z" title="exact">shown</time>`.
fn time_element(at: chrono::NaiveDateTime, shown: &str, exact: Option<&str>) -> Value {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let mut html = String::with_capacity(96 + shown.len() + exact.map_or(0, str::len));
    let _ = write!(
        html,
        "<time datetime=\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z\"",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    if let Some(e) = exact {
        html.push_str(" title=\"");
        html.push_str(&escape_html(e));
        html.push('"');
    }
    html.push('>');
    html.push_str(&escape_html(shown));
    html.push_str("</time>");
    Value::from_safe_string(html)
}

fn exact_time(l: &Locale, at: chrono::NaiveDateTime) -> String {
    l.catalog.datetime_exact(l.lang, at, l.tz)
}

/// A `Msg` a page context carried (`{"id", "args", "text"}`), back from its template value.
fn msg_from_value(value: &Value) -> Option<i18n::Msg> {
    use std::borrow::Cow;
    if let Ok(text) = value.get_attr("text") {
        if let Some(text) = text.as_str() {
            return Some(i18n::Msg::text(text));
        }
    }
    let id = value.get_attr("id").ok()?.as_str()?.to_string();
    let mut msg = i18n::Msg {
        id: Cow::Owned(id),
        args: Vec::new(),
        text: None,
    };
    let args = value.get_attr("args").ok()?;
    if let Ok(keys) = args.try_iter() {
        for key in keys {
            let Some(name) = key.as_str() else { continue };
            let Ok(v) = args.get_item(&key) else { continue };
            let arg = if let Some(s) = v.as_str() {
                i18n::Arg::Str(s.to_string())
            } else if v.is_number() {
                i18n::Arg::Num(f64::try_from(v.clone()).unwrap_or(0.0))
            } else if let Some(t) = v.get_attr("time").ok().and_then(|t| parse_time(&t)) {
                i18n::Arg::Time(t)
            } else if let Some(m) = v.get_attr("minutes").ok().and_then(|m| m.as_i64()) {
                i18n::Arg::Minutes(m)
            } else if let Some(id) = v
                .get_attr("message")
                .ok()
                .and_then(|m| m.as_str().map(String::from))
            {
                i18n::Arg::Message(Cow::Owned(id))
            } else {
                i18n::Arg::Str(v.to_string())
            };
            msg.args.push((Cow::Owned(name.to_string()), arg));
        }
    }
    Some(msg)
}

/// `t(id, name=value, ...)`, `|tr` (a `Msg` from the page context), the locale filters and `languages` for the switcher.
fn register_locale_functions(env: &mut Environment<'static>, catalog: &Arc<Catalog>) {
    let c = catalog.clone();
    env.add_function(
        "t",
        move |state: &State, id: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let l = locale(&c, state);
            let mut values: Vec<(&str, Value)> = Vec::new();
            for name in kwargs.args() {
                values.push((name, kwargs.get(name)?));
            }
            kwargs.assert_all_used()?;
            // Safe (HTML) arguments, like a `|ago` time element, go in as markers and come back
            // after the message text is escaped; the memo keeps the text with its markers.
            let (marker, number) = (calls::marker, calls::number);
            let key_args = |key: &mut String| {
                use std::fmt::Write;
                for (i, (name, value)) in values.iter().enumerate() {
                    let _ = if value.is_safe() {
                        write!(key, "\u{1f}{name}=m{i}")
                    } else if value.is_number() {
                        write!(
                            key,
                            "\u{1f}{name}=n{}",
                            number(value).unwrap_or(0.0).to_bits()
                        )
                    } else {
                        write!(key, "\u{1f}{name}=s{value}")
                    };
                }
            };
            let args = || {
                let (names, values): (Vec<&str>, Vec<Value>) = values.iter().cloned().unzip();
                calls::fluent_args(names.into_iter(), &values)
            };
            let text = l.catalog.message_keyed(l.lang, id, key_args, args);
            if !values.iter().any(|(_, v)| v.is_safe()) {
                return Ok(Value::from(text));
            }
            let mut html = escape_html(&text);
            for (i, (_, value)) in values.iter().enumerate() {
                if value.is_safe() {
                    html = html.replace(&marker(i), &value.to_string());
                }
            }
            Ok(Value::from_safe_string(html))
        },
    );
    let c = catalog.clone();
    env.add_filter("tr", move |state: &State, value: Value| {
        let l = locale(&c, state);
        match msg_from_value(&value) {
            Some(msg) => l.catalog.text_in(l.lang, l.tz, &msg),
            None => value.to_string(),
        }
    });
    let c = catalog.clone();
    env.add_filter(
        "datetime",
        move |state: &State, value: Value| match parse_time(&value) {
            Some(at) => {
                let l = locale(&c, state);
                let shown = l.catalog.datetime(l.lang, at, l.tz);
                time_element(at, &shown, Some(&exact_time(&l, at)))
            }
            None => value,
        },
    );
    let c = catalog.clone();
    env.add_filter("date", move |state: &State, value: Value| {
        match parse_time(&value) {
            Some(at) => {
                let l = locale(&c, state);
                // A date alone (a review date) is a calendar day, not a moment: no zone shift.
                let tz = if value.as_str().is_some_and(|s| s.len() == 10) {
                    chrono_tz::UTC
                } else {
                    l.tz
                };
                time_element(at, &l.catalog.date(l.lang, at, tz), None)
            }
            None => value,
        }
    });
    let c = catalog.clone();
    // Remembered per language, zone, moment and span ("3 hours ago" reads the same for an
    // hour): list pages show one per row, and the same rows again for the next reader.
    let memo_id = calls::next_id();
    env.add_filter("ago", move |state: &State, value: Value| {
        match parse_time(&value) {
            Some(at) => {
                let l = locale(&c, state);
                let now = chrono::Utc::now();
                let span = i18n::relative_span(at, now);
                calls::remember_value(
                    |key| {
                        key.extend_from_slice(&memo_id.to_le_bytes());
                        calls::key_str(key, &l.lang.tag);
                        calls::key_str(key, l.tz.name());
                        key.extend_from_slice(&at.and_utc().timestamp().to_le_bytes());
                        if let Some((ahead, count, unit)) = span {
                            key.push(u8::from(ahead));
                            key.extend_from_slice(&count.to_le_bytes());
                            calls::key_str(key, unit);
                        }
                    },
                    || {
                        let shown = l.catalog.relative(l.lang, at, now);
                        time_element(at, &shown, Some(&exact_time(&l, at)))
                    },
                )
            }
            None => value,
        }
    });
    let c = catalog.clone();
    env.add_filter("duration", move |state: &State, minutes: i64| {
        let l = locale(&c, state);
        l.catalog.duration(l.lang, minutes)
    });
    let c = catalog.clone();
    env.add_filter("business_duration", move |state: &State, minutes: i64| {
        let l = locale(&c, state);
        l.catalog.business_duration(l.lang, minutes)
    });
    let c = catalog.clone();
    env.add_filter("business_hours", move |state: &State, value: Value| {
        let schedule = value.as_str().and_then(|t| Schedule::parse(t).ok());
        match schedule {
            Some(s) => {
                let l = locale(&c, state);
                Value::from(business_hours_text(l.catalog, l.lang, &s))
            }
            None => value,
        }
    });
    let c = catalog.clone();
    // A list row's asker, the name argument of `list-asked-by-active`: "a customer" for an
    // anonymous one, else the name and reputation as markup, built in one step (the same in
    // template syntax is four concatenations, an escape and a `safe` on every row).
    env.add_filter("asker", move |state: &State, author: Value| {
        if author.get_attr("anonymous").is_ok_and(|a| a.is_true()) {
            let l = locale(&c, state);
            return Value::from(l.catalog.text(l.lang, &Msg::new("qa-a-customer")));
        }
        let name = author.get_attr("name").unwrap_or_default();
        let reputation = author.get_attr("reputation").unwrap_or_default();
        let name = escape_html(name.as_str().unwrap_or_default());
        Value::from_safe_string(format!(
            "<span data-user>{name}</span> <span class=\"rep\">{reputation}</span>"
        ))
    });
    let c = catalog.clone();
    env.add_filter("number", move |state: &State, n: f64| {
        let l = locale(&c, state);
        i18n::format_number(n, l.lang.separators())
    });
}

/// A schedule as people read it: "Mon–Fri 9:00–17:00; Sat 10:00–14:00, Europe/Berlin"
/// (the `business_hours` filter; its words are the `hours-*` messages).
fn business_hours_text(catalog: &Catalog, lang: &Language, s: &Schedule) -> String {
    let day = |d: usize| catalog.text(lang, &Msg::new("hours-day").arg("day", hours::DAYS[d]));
    let runs: Vec<String> = s
        .runs()
        .iter()
        .map(|r| {
            let days = if r.first == r.last {
                day(r.first)
            } else {
                let range = Msg::new("hours-day-range")
                    .arg("first", day(r.first))
                    .arg("last", day(r.last));
                catalog.text(lang, &range)
            };
            let times: Vec<String> = (r.intervals.iter())
                .map(|&(a, b)| format!("{}–{}", hours::clock(a), hours::clock(b)))
                .collect();
            let run = Msg::new("hours-run")
                .arg("days", days)
                .arg("times", times.join(", "));
            catalog.text(lang, &run)
        })
        .collect();
    let summary = Msg::new("hours-summary")
        .arg("runs", runs.join("; "))
        .arg("zone", s.zone_name())
        .arg("holidays", s.holidays().count());
    catalog.text(lang, &summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_read_like_a_sign_on_the_door() {
        let catalog = i18n::english();
        let en = catalog.default_language();
        let s = Schedule::parse(
            "Europe/Berlin; mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00; holidays 2026-12-24",
        )
        .expect("schedule");
        assert_eq!(
            business_hours_text(catalog, en, &s),
            "Mon–Fri 9:00–12:00, 13:00–17:00; Sat 10:00–14:00, Europe/Berlin; closed on 1 holiday"
        );
        assert_eq!(catalog.business_duration(en, 240), "4 business hours");
    }

    #[test]
    fn baking_replaces_only_argument_free_calls_inside_tags() {
        let catalog = i18n::english();
        let en = catalog.default_language();
        let source = concat!(
            "<p>t(\"nav-search-label\")</p>{{ t(\"nav-search-label\") }}{% set x = t( \"nav-search-label\" ) %}",
            "{{ t(\"nav-search-label\", n=1) }}{{ x.t(\"nav-search-label\") }}{# t(\"nav-search-label\") #}",
            "{% raw %}{{ t(\"nav-search-label\") }}{% endraw %}{{ \"}}\" ~ t(\"nav-search-label\") }}",
        );
        let text = catalog.message(en, "nav-search-label", None);
        let lit = string_literal(&text);
        let baked = bake(source, catalog, en);
        assert_eq!(
            baked,
            format!(
                concat!(
                    "<p>t(\"nav-search-label\")</p>{{{{ {lit} }}}}{{% set x = {lit} %}}",
                    "{{{{ t(\"nav-search-label\", n=1) }}}}{{{{ x.t(\"nav-search-label\") }}}}{{# t(\"nav-search-label\") #}}",
                    "{{% raw %}}{{{{ t(\"nav-search-label\") }}}}{{% endraw %}}{{{{ \"}}}}\" ~ {lit} }}}}",
                ),
                lit = lit
            )
        );
    }

    #[test]
    fn a_baked_literal_renders_as_the_text_itself() {
        let text =
            "Sag \"hallo\" \\ {{ nicht }} {% auch nicht %}\nzweite Zeile\u{7}\u{2068}x\u{2069} äöü";
        let env = Environment::new();
        let rendered = env
            .render_str(&format!("{{{{ {} }}}}", string_literal(text)), ())
            .expect("renders");
        assert_eq!(rendered, text);
    }

    /// A catalog of the default theme's messages (and `en-XA`), over `extra` theme messages.
    fn catalog_with(root: &Path, theme: &str) -> Arc<Catalog> {
        let mut dirs = i18n::locale_dirs(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
            "default",
        );
        dirs.push(root.join(theme).join("locales"));
        Arc::new(Catalog::load(&dirs, "en", true).expect("messages load"))
    }

    /// Renders `template` (written to a temporary folder) in the environment of `language`
    /// (baked, or the general one with `None`), the context naming `lang` and `tz`.
    fn render_env(env: &Environment<'static>, lang: &str, ctx: minijinja::Value) -> String {
        let ctx = minijinja::context! { lang => lang, tz => "Europe/Berlin", ..ctx };
        env.get_template("probe.html")
            .expect("template loads")
            .render(ctx)
            .expect("renders")
    }

    const PROBE: &str = concat!(
        "{{ t(\"list-votes-word\", count=n) }}|{{ t(\"list-stats-label\", votes=n, answers=m) }}|",
        "{{ t(\"thread-status\", status=s) }}|",
        "{{ t(\"list-asked-by-active\", name=t(\"qa-a-customer\"), when=w|ago) }}|",
        "{{ t(\"list-asked-by-active\", name=('<b>' ~ who|e ~ '</b>')|safe, when=w|ago) }}|",
        "{{ t(\"list-answers-word\", count=m) }}",
    );

    #[test]
    fn baked_calls_with_arguments_read_as_t_does_in_every_language() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dir.path().join("probe.html"), PROBE).expect("written");
        let catalog = catalog_with(dir.path(), "none");
        let dirs = [dir.path().to_path_buf()];
        let general = environment(&dirs, &catalog, None);
        let now = chrono::Utc::now().naive_utc();
        for (i, lang) in catalog.languages().iter().enumerate() {
            let baked = environment(&dirs, &catalog, Some(i));
            let source = baked.get_template("probe.html").expect("loads");
            assert!(
                source.source().contains("__t(") && !source.source().contains("t(\"list"),
                "{}: {}",
                lang.tag,
                source.source()
            );
            for (n, m) in [(0, 1), (1, 2), (2, 0), (5, 21), (12345, 1), (-1, 3), (1, 1)] {
                for (s, who) in [("open", "Ann & <Bob>"), ("solved", "Zoë"), ("weird", "")] {
                    let w = (now - chrono::Duration::minutes(n.max(0) * 7))
                        .format("%Y-%m-%dT%H:%M:%S")
                        .to_string();
                    let ctx = minijinja::context! { n, m, s, who, w };
                    // Twice: the second comes from the memo.
                    for _ in 0..2 {
                        assert_eq!(
                            render_env(&baked, &lang.tag, ctx.clone()),
                            render_env(&general, &lang.tag, ctx.clone()),
                            "{} n={n} m={m} s={s}",
                            lang.tag
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn baked_calls_keep_each_languages_plurals() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(
            dir.path().join("probe.html"),
            "{{ t(\"list-answers-word\", count=m) }}, {{ t(\"list-stats-label\", votes=n, answers=m) }}",
        )
        .expect("written");
        let catalog = catalog_with(dir.path(), "none");
        let dirs = [dir.path().to_path_buf()];
        let env = |tag: &str| {
            let i = catalog.languages().iter().position(|l| l.tag == tag);
            environment(&dirs, &catalog, Some(i.expect("language")))
        };
        let (en, de) = (env("en"), env("de"));
        // Alternating on one thread: the memo is per language.
        for _ in 0..2 {
            let ctx = |n: i64, m: i64| minijinja::context! { n, m };
            assert_eq!(render_env(&en, "en", ctx(1, 1)), "answer, 1 vote, 1 answer");
            assert_eq!(
                render_env(&de, "de", ctx(1, 1)),
                "Antwort, 1 Stimme, 1 Antwort"
            );
            assert_eq!(
                render_env(&en, "en", ctx(0, 3)),
                "answers, 0 votes, 3 answers"
            );
            assert_eq!(
                render_env(&de, "de", ctx(12345, 3)),
                "Antworten, 12.345 Stimmen, 3 Antworten"
            );
        }
    }

    #[test]
    fn a_themes_message_wins_over_a_remembered_call() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(
            dir.path().join("probe.html"),
            "{{ t(\"list-answers-word\", count=m) }}",
        )
        .expect("written");
        let over = dir.path().join("acme/locales/en");
        std::fs::create_dir_all(&over).expect("folder");
        std::fs::write(
            over.join("over.ftl"),
            "list-answers-word = { $count ->\n    [one] reply\n   *[other] replies\n}\n",
        )
        .expect("written");
        let dirs = [dir.path().to_path_buf()];
        let plain = environment(&dirs, &catalog_with(dir.path(), "none"), Some(0));
        let acme = environment(&dirs, &catalog_with(dir.path(), "acme"), Some(0));
        for _ in 0..2 {
            let ctx = minijinja::context! { m => 2 };
            assert_eq!(render_env(&plain, "en", ctx.clone()), "answers");
            assert_eq!(render_env(&acme, "en", ctx), "replies");
        }
    }

    #[test]
    fn remembered_relative_times_follow_language_zone_and_span() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dir.path().join("probe.html"), "{{ w|ago }}").expect("written");
        let catalog = catalog_with(dir.path(), "none");
        let dirs = [dir.path().to_path_buf()];
        let env = environment(&dirs, &catalog, None);
        let now = chrono::Utc::now();
        for minutes in [0, 5, 90, 60 * 30, 60 * 24 * 400] {
            let at = now.naive_utc() - chrono::Duration::minutes(minutes);
            let w = at.format("%Y-%m-%dT%H:%M:%S").to_string();
            let at = parse_time(&Value::from(w.as_str())).expect("a time");
            for tag in ["en", "de"] {
                let lang = catalog.get(tag).expect("language");
                for zone in ["Europe/Berlin", "America/New_York"] {
                    let tz = i18n::zone(zone).expect("zone");
                    let ctx = minijinja::context! { lang => tag, tz => zone, w => &w };
                    let expected = time_element(
                        at,
                        &catalog.relative(lang, at, now),
                        Some(&catalog.datetime_exact(lang, at, tz)),
                    );
                    for _ in 0..2 {
                        let html = env
                            .get_template("probe.html")
                            .expect("loads")
                            .render(&ctx)
                            .expect("renders");
                        assert_eq!(html, expected.as_str().unwrap_or_default(), "{tag} {zone}");
                    }
                }
            }
        }
    }

    /// `|asker` gives what the template expression it replaced gave: "a customer" in the
    /// reader's language, or the escaped name and reputation.
    #[test]
    fn the_asker_filter_reads_as_the_markup_it_replaces() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(
            dir.path().join("probe.html"),
            "{{ t(\"list-asked-by-active\", name=a|asker, when=w|ago) }}",
        )
        .expect("written");
        std::fs::write(
            dir.path().join("before.html"),
            concat!(
                "{{ t(\"list-asked-by-active\", name=(t(\"qa-a-customer\") if a.anonymous else ",
                "('<span data-user>' ~ a.name|e ~ '</span> <span class=\"rep\">' ~ a.reputation ",
                "~ '</span>')|safe), when=w|ago) }}"
            ),
        )
        .expect("written");
        let catalog = catalog_with(dir.path(), "none");
        let dirs = [dir.path().to_path_buf()];
        let w = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
        let authors = [
            minijinja::context! { anonymous => true, name => "Hidden", reputation => 5 },
            minijinja::context! { anonymous => false, name => "Ann & <script>x</script>", reputation => 12 },
            minijinja::context! { anonymous => false, name => "Zoë \"q\" 'x'", reputation => -3 },
        ];
        for (i, lang) in catalog.languages().iter().enumerate() {
            let env = environment(&dirs, &catalog, Some(i));
            for a in &authors {
                let ctx = minijinja::context! { lang => &lang.tag, tz => "UTC", a, w => &w };
                let render = |name: &str| {
                    env.get_template(name)
                        .expect("loads")
                        .render(&ctx)
                        .expect("renders")
                };
                let html = render("probe.html");
                assert_eq!(html, render("before.html"), "{}", lang.tag);
                assert!(
                    !html.contains("<script>") && !html.contains("Hidden"),
                    "{html}"
                );
            }
        }
    }
}
