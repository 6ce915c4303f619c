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
    let bake_in = move |source: String| match language {
        Some(i) => bake(&source, &baking, &baking.languages()[i]),
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
    env
}

/// `source` with every argument-free `t("id")` inside a `{{ }}` or `{% %}` tag replaced by the
/// message's text in `lang` as a string literal: the same value `t()` would return (escaped on
/// output alike), but looked up once when the template loads instead of on every render. Most
/// of a page's wording has no counts or times; only the calls with arguments remain.
fn bake(source: &str, catalog: &Catalog, lang: &Language) -> String {
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
            out.push_str(&baked);
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
            let marker = |i: usize| format!("\u{e000}{i}\u{e001}");
            let number = |v: &Value| {
                v.as_i64()
                    .map(|n| n as f64)
                    .or_else(|| f64::try_from(v.clone()).ok())
            };
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
                if values.is_empty() {
                    return None;
                }
                let mut args = fluent_bundle::FluentArgs::with_capacity(values.len());
                for (i, (name, value)) in values.iter().enumerate() {
                    let fluent = if value.is_safe() {
                        fluent_bundle::FluentValue::from(marker(i))
                    } else if value.is_number() {
                        fluent_bundle::FluentValue::from(number(value).unwrap_or(0.0))
                    } else {
                        fluent_bundle::FluentValue::from(value.to_string())
                    };
                    args.set(name.to_string(), fluent);
                }
                Some(args)
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
    env.add_filter("ago", move |state: &State, value: Value| {
        match parse_time(&value) {
            Some(at) => {
                let l = locale(&c, state);
                let shown = l.catalog.relative(l.lang, at, chrono::Utc::now());
                time_element(at, &shown, Some(&exact_time(&l, at)))
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
}
