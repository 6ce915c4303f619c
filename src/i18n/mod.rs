//! The interface's languages: Fluent message files per language (`locales/<tag>/*.ftl` under the
//! theme, over the default theme's, over the copy built into the binary), choosing a language
//! for a request, and `Msg` — a message id with arguments that code passes around instead of
//! English text, so errors and titles are worded in the reader's language where they are shown.

mod format;
mod load;

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub use format::{format_number, relative_span, zone, Separators};
pub use load::{locale_dirs, EmbeddedLocales};

/// The pseudo-locale: English with every message wrapped in these markers, so a string that
/// bypassed the messages stands out (`[i18n] pseudo_locale = true`).
pub const PSEUDO_TAG: &str = "en-XA";
pub const PSEUDO_OPEN: &str = "⟦";
pub const PSEUDO_CLOSE: &str = "⟧";

/// One argument of a message. Times and durations are formatted in the reader's language and
/// zone before the message sees them (as text).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(f64),
    /// A moment (UTC), shown like `|datetime`.
    Time(chrono::NaiveDateTime),
    /// A span of minutes, shown like `|duration`.
    Minutes(i64),
    /// Another message (by id, without arguments), worded in the same language: a name
    /// that is itself a phrase, such as "a customer".
    Message(Cow<'static, str>),
}

impl From<chrono::NaiveDateTime> for Arg {
    fn from(t: chrono::NaiveDateTime) -> Arg {
        Arg::Time(t)
    }
}

impl Arg {
    /// A span of minutes ("4 hours", "1 h 30 min").
    pub fn minutes(m: i64) -> Arg {
        Arg::Minutes(m)
    }
}

macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Num(n as f64)
            }
        }
    )*};
}
num_arg!(i32, i64, u32, u64, usize, f64);

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}

/// A message to show someone: its id in the message files and its arguments. `Msg::text` holds
/// text that is already final (a thread's title, a provider's own words).
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub id: Cow<'static, str>,
    pub args: Vec<(Cow<'static, str>, Arg)>,
    /// Set for final text: shown as is in every language.
    pub text: Option<String>,
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id: Cow::Borrowed(id),
            args: Vec::new(),
            text: None,
        }
    }
    /// Text that needs no translation (user content).
    pub fn text(text: impl Into<String>) -> Msg {
        Msg {
            id: Cow::Borrowed(""),
            args: Vec::new(),
            text: Some(text.into()),
        }
    }
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((Cow::Borrowed(name), value.into()));
        self
    }
    /// In English, for logs, the CLI and the API's default.
    pub fn english(&self) -> String {
        english().render(self)
    }
}

/// Templates get a message as `{"id", "args", "text"}` and word it with `|tr`.
impl serde::Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("id", &self.id)?;
        let args: std::collections::BTreeMap<&str, serde_json::Value> = self
            .args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Arg::Str(s) => serde_json::Value::from(s.as_str()),
                    Arg::Num(n) => serde_json::Value::from(*n),
                    Arg::Time(t) => {
                        serde_json::json!({ "time": t.format("%Y-%m-%dT%H:%M:%S").to_string() })
                    }
                    Arg::Minutes(m) => serde_json::json!({ "minutes": m }),
                    Arg::Message(id) => serde_json::json!({ "message": id }),
                };
                (k.as_ref(), v)
            })
            .collect();
        map.serialize_entry("args", &args)?;
        map.serialize_entry("text", &self.text)?;
        map.end()
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// `msg!("error-not-found")`, `msg!("thread-title-too-long", count = n, max = 200)`.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new($id)$(.arg(stringify!($name), $value))*
    };
}

/// One interface language.
pub struct Language {
    /// BCP 47 tag, e.g. `de`.
    pub tag: String,
    pub id: LanguageIdentifier,
    /// The language's name in itself (message `language-name`), for the switcher.
    pub name: String,
    bundle: FluentBundle<FluentResource>,
    pseudo: bool,
    /// The ids of its messages, sorted.
    ids: Vec<String>,
}

impl Language {
    /// The message `id` with `args`; None when this language lacks it.
    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(lang = %self.tag, id, "message: {errors:?}");
        }
        Some(if self.pseudo {
            format!("{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}")
        } else {
            text.into_owned()
        })
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message ids this language defines.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    pub fn separators(&self) -> Separators {
        Separators::for_language(&self.id)
    }

    pub fn is_pseudo(&self) -> bool {
        self.pseudo
    }
}

/// Every loaded language; the first is the fallback for a message a language lacks.
pub struct Catalog {
    languages: Vec<Arc<Language>>,
    default: usize,
    /// Tells catalogs apart in the per-thread memo of formatted messages.
    id: u64,
}

/// A fresh id per catalog.
fn next_catalog_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Formatted messages per worker thread, by catalog, language, id and arguments. A page says
/// "3 answers", "Open" or "asked ⟨name⟩ ⟨when⟩" (markup arguments are markers) many times, and
/// the same again for the next reader: formatting is done once, then looked up. No lock:
/// each thread has its own; past `MEMO_ENTRIES` it starts over.
const MEMO_ENTRIES: usize = 20_000;

/// FNV-1a: the memo's keys are short and hashed on every message; SipHash's protection
/// against chosen keys is not needed for keys made of our ids and a page's values.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type MemoMap = std::collections::HashMap<String, Arc<str>, std::hash::BuildHasherDefault<Fnv>>;

thread_local! {
    static MEMO: std::cell::RefCell<(String, MemoMap)> =
        std::cell::RefCell::new((String::new(), MemoMap::default()));
}

/// The memo key of a message: catalog, language, id and each argument.
fn memo_key(out: &mut String, catalog: u64, lang: &str, id: &str, args: Option<&FluentArgs>) {
    use std::fmt::Write;
    out.clear();
    let _ = write!(out, "{catalog}\u{1f}{lang}\u{1f}{id}");
    for (name, value) in args.into_iter().flat_map(|a| a.iter()) {
        let _ = match value {
            FluentValue::String(s) => write!(out, "\u{1f}{name}=s{s}"),
            // Our arguments set no number options but fraction digits (a number parsed from
            // text keeps its decimals).
            FluentValue::Number(n) => write!(
                out,
                "\u{1f}{name}=n{}/{}",
                n.value.to_bits(),
                n.options.minimum_fraction_digits.unwrap_or(0)
            ),
            other => write!(out, "\u{1f}{name}=?{other:?}"),
        };
    }
}

impl Catalog {
    /// Loads every language folder found in `dirs` (lowest priority first; later folders
    /// override single messages) plus the embedded defaults. `default` is the site's language;
    /// `pseudo` adds `en-XA`.
    pub fn load(
        dirs: &[std::path::PathBuf],
        default: &str,
        pseudo: bool,
    ) -> anyhow::Result<Catalog> {
        let mut languages = load::languages(dirs)?;
        if pseudo {
            let english = load::language("en", dirs, true)?;
            languages.push(english);
        }
        let languages: Vec<Arc<Language>> = languages.into_iter().map(Arc::new).collect();
        let Some(default) = languages.iter().position(|l| l.tag == default) else {
            anyhow::bail!(
                "i18n.default_language {default:?} has no messages (languages: {})",
                languages
                    .iter()
                    .map(|l| l.tag.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        Ok(Catalog {
            languages,
            default,
            id: next_catalog_id(),
        })
    }

    pub fn languages(&self) -> &[Arc<Language>] {
        &self.languages
    }

    /// The site's default language.
    pub fn default_language(&self) -> &Arc<Language> {
        &self.languages[self.default]
    }

    /// The language with exactly this tag (case-insensitive).
    pub fn get(&self, tag: &str) -> Option<&Arc<Language>> {
        self.languages
            .iter()
            .find(|l| l.tag.eq_ignore_ascii_case(tag))
    }

    /// The best language for an `Accept-Language` header; None when nothing matches.
    pub fn from_accept_language(&self, header: &str) -> Option<&Arc<Language>> {
        let requested = accepted_languages(header);
        let available: Vec<&LanguageIdentifier> = self
            .languages
            .iter()
            .filter(|l| !l.pseudo)
            .map(|l| &l.id)
            .collect();
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let first = chosen.first()?;
        self.languages
            .iter()
            .find(|l| !l.pseudo && &l.id == **first)
    }

    /// `msg` in `lang` (times in UTC), falling back to the default language, then to English,
    /// then to the id.
    pub fn text(&self, lang: &Language, msg: &Msg) -> String {
        self.text_in(lang, chrono_tz::UTC, msg)
    }

    /// `msg` in `lang`, its times shown in `tz`.
    pub fn text_in(&self, lang: &Language, tz: chrono_tz::Tz, msg: &Msg) -> String {
        if let Some(text) = &msg.text {
            return text.clone();
        }
        let args = self.fluent_args(lang, tz, &msg.args);
        self.message(lang, &msg.id, args.as_ref())
    }

    /// Fluent arguments from a message's, times and durations worded for `lang` and `tz`.
    fn fluent_args(
        &self,
        lang: &Language,
        tz: chrono_tz::Tz,
        args: &[(Cow<'static, str>, Arg)],
    ) -> Option<FluentArgs<'static>> {
        if args.is_empty() {
            return None;
        }
        let mut out = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Time(t) => FluentValue::from(self.datetime(lang, *t, tz)),
                Arg::Minutes(m) => FluentValue::from(self.duration(lang, *m)),
                Arg::Message(id) => FluentValue::from(self.message(lang, id, None)),
            };
            out.set(name.clone(), value);
        }
        Some(out)
    }

    /// The message `id` with ready Fluent arguments (templates build these directly).
    pub fn message(&self, lang: &Language, id: &str, args: Option<&FluentArgs>) -> String {
        self.memo(
            |key| memo_key(key, self.id, &lang.tag, id, args),
            || self.format(lang, id, args),
        )
        .to_string()
    }

    /// The message `id` for a caller that can name its arguments in the memo key
    /// (`key_args` writes them) more cheaply than it can build them: `args` runs only when the
    /// text is not remembered yet. Templates call this for every `t()`.
    pub fn message_keyed<'a>(
        &self,
        lang: &Language,
        id: &str,
        key_args: impl FnOnce(&mut String),
        args: impl FnOnce() -> Option<FluentArgs<'a>>,
    ) -> Arc<str> {
        self.memo(
            |key| {
                use std::fmt::Write;
                key.clear();
                // `\u{1d}` keeps these keys apart from `memo_key`'s.
                let _ = write!(key, "{}\u{1d}{}\u{1f}{id}", self.id, lang.tag);
                key_args(key);
            },
            || self.format(lang, id, args().as_ref()),
        )
    }

    /// `make()`, or what it gave before for the same key (written by `key` into a buffer) on
    /// this thread. The memo is not held while `make` runs, so `make` may use it too.
    pub(crate) fn memo(
        &self,
        key: impl FnOnce(&mut String),
        make: impl FnOnce() -> String,
    ) -> Arc<str> {
        enum Look {
            Hit(Arc<str>),
            Miss(String),
            Busy,
        }
        let look = MEMO.with(|memo| match memo.try_borrow_mut() {
            Ok(mut memo) => {
                let (buf, map) = &mut *memo;
                key(buf);
                match map.get(buf.as_str()) {
                    Some(text) => Look::Hit(text.clone()),
                    None => Look::Miss(buf.clone()),
                }
            }
            Err(_) => Look::Busy,
        });
        match look {
            Look::Hit(text) => text,
            Look::Busy => make().into(),
            Look::Miss(key) => {
                let text: Arc<str> = make().into();
                MEMO.with(|memo| {
                    if let Ok(mut memo) = memo.try_borrow_mut() {
                        let map = &mut memo.1;
                        if map.len() >= MEMO_ENTRIES {
                            map.clear();
                        }
                        map.insert(key, text.clone());
                    }
                });
                text
            }
        }
    }

    /// The message `id` with `args`, not remembered (with the fallbacks of `text`).
    pub(crate) fn format(&self, lang: &Language, id: &str, args: Option<&FluentArgs>) -> String {
        if let Some(text) = lang.format(id, args) {
            return text;
        }
        let fallbacks = [self.default_language(), &self.languages[0]];
        for fallback in fallbacks {
            if let Some(text) = fallback.format(id, args) {
                tracing::warn!(lang = %lang.tag, id, "message missing; shown in {}", fallback.tag);
                return text;
            }
        }
        tracing::warn!(lang = %lang.tag, id, "message missing in every language");
        id.to_string()
    }

    fn render(&self, msg: &Msg) -> String {
        self.text(&self.languages[0], msg)
    }
}

/// The languages of an `Accept-Language` header, most wanted first; `q=0` and `*` left out.
pub fn accepted_languages(header: &str) -> Vec<LanguageIdentifier> {
    let mut weighted: Vec<(f32, LanguageIdentifier)> = header
        .split(',')
        .take(20)
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if tag == "*" || q.is_nan() || q <= 0.0 {
                return None;
            }
            Some((q, tag.parse().ok()?))
        })
        .collect();
    // Stable: equal weights keep the header's order.
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
    weighted.into_iter().map(|(_, id)| id).collect()
}

/// The built-in English messages (what the binary carries): errors' `Display`, the CLI, logs.
pub fn english() -> &'static Catalog {
    static ENGLISH: OnceLock<Catalog> = OnceLock::new();
    ENGLISH.get_or_init(|| {
        let english = load::language("en", &[], false).unwrap_or_else(|e| {
            // The embedded English files are part of the build; the key-parity test parses them.
            panic!("the built-in English messages do not load: {e:#}")
        });
        Catalog {
            languages: vec![Arc::new(english)],
            default: 0,
            id: next_catalog_id(),
        }
    })
}

#[cfg(test)]
mod tests;
