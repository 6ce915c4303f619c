//! `t("id", name=value, …)` calls with arguments in a language's compiled templates, and a
//! per-thread memo of rendered values.
//!
//! When a template loads for a language (see `theme::bake`), each such call with a literal id
//! and only keyword arguments becomes `__t(site, value, …)`: the site — message id and argument
//! names — is registered once, so a call at render time skips minijinja's keyword-argument map
//! (built, extracted and checked on every call) and finds its text by the site and the
//! arguments' values in a memo. A list page makes several such calls per row (counts, status,
//! "asked by … · active …"); with the memo each costs a hash of a few bytes and a lookup.
//! The text itself comes from the catalog, so a theme's messages win as anywhere else.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::Value;

use crate::i18n::{Catalog, Fnv, Language};

/// The message calls with arguments found in one language's templates.
pub(crate) struct Sites {
    /// Tells tables apart in the per-thread memo (tests load many themes in one process).
    id: u64,
    table: RwLock<Table>,
}

#[derive(Default)]
struct Table {
    sites: Vec<Arc<Site>>,
    index: HashMap<Arc<Site>, u32>,
}

/// One message call: its id and the names of its arguments, in the order the call passes them.
#[derive(PartialEq, Eq, Hash)]
struct Site {
    id: String,
    names: Vec<String>,
}

impl Sites {
    pub(crate) fn new() -> Sites {
        Sites {
            id: next_id(),
            table: RwLock::new(Table::default()),
        }
    }

    /// The number of the site `id` with argument `names`, registered on first sight.
    fn register(&self, id: &str, names: Vec<String>) -> u32 {
        let site = Arc::new(Site {
            id: id.to_string(),
            names,
        });
        let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
        if let Some(&n) = table.index.get(&site) {
            return n;
        }
        let n = table.sites.len() as u32;
        table.sites.push(site.clone());
        table.index.insert(site, n);
        n
    }

    fn site(&self, n: u32) -> Option<Arc<Site>> {
        let table = self.table.read().unwrap_or_else(|e| e.into_inner());
        table.sites.get(n as usize).cloned()
    }
}

/// A fresh id per table of sites (and per other user of the memo's key space).
pub(crate) fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// `tag` (a template tag's source, argument-free calls already baked) with each
/// `t("id", name=value, …)` rewritten to `__t(site, value, …)`. Calls with positional
/// arguments or a computed id are left as they are (the general `t()` handles them).
pub(crate) fn rewrite(tag: &str, sites: &Sites) -> String {
    let b = tag.as_bytes();
    let mut out = String::with_capacity(tag.len());
    let (mut i, mut copied) = (0, 0);
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
        } else if c == b't'
            && b.get(i + 1) == Some(&b'(')
            && (i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.'))
        {
            if let Some((end, call)) = rewrite_call(tag, i + 2, sites) {
                out.push_str(&tag[copied..i]);
                out.push_str(&call);
                i = end;
                copied = end;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&tag[copied..]);
    out
}

/// The call whose arguments start at `from` (just after `t(`): where it ends and its
/// replacement; None when it is not `"id", name=value, …`.
fn rewrite_call(tag: &str, from: usize, sites: &Sites) -> Option<(usize, String)> {
    let rest = &tag[from..];
    let trimmed = rest.trim_start();
    let id_start = from + (rest.len() - trimmed.len()) + 1;
    let after_quote = trimmed.strip_prefix('"')?;
    let id_len = after_quote.find('"')?;
    let id = &after_quote[..id_len];
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let mut i = id_start + id_len + 1;
    i += tag[i..].len() - tag[i..].trim_start().len();
    if tag.as_bytes().get(i) != Some(&b',') {
        return None;
    }
    i += 1;
    let mut names = Vec::new();
    let mut values = Vec::new();
    loop {
        let (end, last) = argument_end(tag, i)?;
        let (name, value) = keyword(&tag[i..end])?;
        if names.iter().any(|n| n == name) {
            return None;
        }
        names.push(name.to_string());
        values.push(rewrite(value, sites));
        i = end + 1;
        if last {
            break;
        }
    }
    let site = sites.register(id, names);
    let mut call = format!("__t({site}");
    for value in values {
        call.push_str(", ");
        call.push_str(&value);
    }
    call.push(')');
    Some((i, call))
}

/// Where the argument starting at `from` ends (at a `,` or the call's `)`, outside brackets and
/// strings), and whether it is the last.
fn argument_end(tag: &str, from: usize) -> Option<(usize, bool)> {
    let b = tag.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth > 0 => depth -= 1,
                b')' if depth == 0 => return Some((i, true)),
                b',' if depth == 0 => return Some((i, false)),
                b']' | b'}' => return None,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// `name=value` → (name, value); None for a positional argument.
fn keyword(arg: &str) -> Option<(&str, &str)> {
    let arg = arg.trim();
    let name_len = arg
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(arg.len());
    let name = &arg[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let value = arg[name_len..].trim_start().strip_prefix('=')?;
    if value.starts_with('=') {
        return None;
    }
    let value = value.trim();
    (!value.is_empty()).then_some((name, value))
}

/// A remembered result: a plain value, or a message's escaped text with the places of its
/// markup arguments (which differ from call to call).
enum Memo {
    Value(Value),
    Markup(Box<[Part]>),
}

enum Part {
    Text(String),
    Arg(usize),
}

/// Past this many entries a thread's memo starts over.
const MEMO_ENTRIES: usize = 20_000;

type MemoMap = HashMap<Box<[u8]>, Memo, std::hash::BuildHasherDefault<Fnv>>;

thread_local! {
    /// Per worker thread, so no lock: a key buffer and the remembered values.
    static MEMO: RefCell<(Vec<u8>, MemoMap)> = RefCell::new((Vec::new(), MemoMap::default()));
}

/// What the memo holds for the key `key` writes, as `use_it` makes it a value; on a miss,
/// `make()`'s result, remembered. `make` runs with the memo free.
fn remember(
    key: impl FnOnce(&mut Vec<u8>),
    use_it: impl Fn(&Memo) -> Value,
    make: impl FnOnce() -> Result<Memo, minijinja::Error>,
) -> Result<Value, minijinja::Error> {
    let looked_up = MEMO.with(|memo| {
        // Busy only if a value's making renders again on this thread: then do without.
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return Err(None);
        };
        let (buf, map) = &mut *memo;
        buf.clear();
        key(buf);
        match map.get(buf.as_slice()) {
            Some(hit) => Ok(use_it(hit)),
            None => Err(Some(buf.clone())),
        }
    });
    let missed = match looked_up {
        Ok(value) => return Ok(value),
        Err(missed) => missed,
    };
    let made = make()?;
    let value = use_it(&made);
    if let Some(key) = missed {
        MEMO.with(|memo| {
            if let Ok(mut memo) = memo.try_borrow_mut() {
                let map = &mut memo.1;
                if map.len() >= MEMO_ENTRIES {
                    map.clear();
                }
                map.insert(key.into_boxed_slice(), made);
            }
        });
    }
    Ok(value)
}

/// A value remembered under the key `key` writes (the caller puts what makes it unique in the
/// key, beginning with an id from `next_id`).
pub(crate) fn remember_value(
    key: impl FnOnce(&mut Vec<u8>),
    make: impl FnOnce() -> Value,
) -> Value {
    remember(
        key,
        |memo| match memo {
            Memo::Value(v) => v.clone(),
            Memo::Markup(_) => Value::UNDEFINED,
        },
        || Ok(Memo::Value(make())),
    )
    .unwrap_or_default()
}

/// Writes `s` into a memo key unambiguously (length first).
pub(crate) fn key_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

/// A template value as a message argument's number, if it is one.
pub(crate) fn number(v: &Value) -> Option<f64> {
    v.as_i64()
        .map(|n| n as f64)
        .or_else(|| f64::try_from(v.clone()).ok())
}

/// The marker that stands for markup argument `i` in a message's text until it is escaped.
pub(crate) fn marker(i: usize) -> String {
    format!("\u{e000}{i}\u{e001}")
}

/// Fluent arguments from a call's names and values: markup (safe) values as markers, numbers
/// as numbers, anything else as its text.
pub(crate) fn fluent_args<'a>(
    names: impl Iterator<Item = &'a str>,
    values: &[Value],
) -> Option<FluentArgs<'static>> {
    if values.is_empty() {
        return None;
    }
    let mut args = FluentArgs::with_capacity(values.len());
    for (i, (name, value)) in names.zip(values).enumerate() {
        let fluent = if value.is_safe() {
            FluentValue::from(marker(i))
        } else if value.is_number() {
            FluentValue::from(number(value).unwrap_or(0.0))
        } else {
            FluentValue::from(value.to_string())
        };
        args.set(name.to_string(), fluent);
    }
    Some(args)
}

/// `__t(site, value, …)`: the message of `site` in `lang` with these argument values. A message
/// with markup arguments is escaped with `escape` (the theme's, which owns the output rules).
pub(crate) fn call(
    catalog: &Catalog,
    lang: &Language,
    sites: &Sites,
    site: u32,
    values: &[Value],
    escape: fn(&str) -> String,
) -> Result<Value, minijinja::Error> {
    remember(
        |key| {
            key.extend_from_slice(&sites.id.to_le_bytes());
            key.extend_from_slice(&site.to_le_bytes());
            for value in values {
                if value.is_safe() {
                    key.push(b'm');
                } else if value.is_number() {
                    key.push(b'n');
                    let n = number(value).unwrap_or(0.0);
                    key.extend_from_slice(&n.to_bits().to_le_bytes());
                } else {
                    key.push(b's');
                    match value.as_str() {
                        Some(s) => key_str(key, s),
                        None => key_str(key, &value.to_string()),
                    }
                }
            }
        },
        |memo| match memo {
            Memo::Value(v) => v.clone(),
            Memo::Markup(parts) => place(parts, values),
        },
        || {
            let site = sites.site(site).ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    "unknown message call",
                )
            })?;
            if site.names.len() != values.len() {
                return Err(minijinja::Error::from(
                    minijinja::ErrorKind::InvalidOperation,
                ));
            }
            let args = fluent_args(site.names.iter().map(String::as_str), values);
            let text = catalog.format(lang, &site.id, args.as_ref());
            Ok(if values.iter().any(Value::is_safe) {
                Memo::Markup(split_markers(&escape(&text)))
            } else {
                Memo::Value(Value::from(text))
            })
        },
    )
}

/// Escaped message text cut at its markers.
fn split_markers(html: &str) -> Box<[Part]> {
    let mut parts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('\u{e000}') {
        let after = &rest[start + '\u{e000}'.len_utf8()..];
        let Some(end) = after.find('\u{e001}') else {
            break;
        };
        let Ok(i) = after[..end].parse::<usize>() else {
            parts.push(Part::Text(
                rest[..start + '\u{e000}'.len_utf8()].to_string(),
            ));
            rest = after;
            continue;
        };
        if start > 0 {
            parts.push(Part::Text(rest[..start].to_string()));
        }
        parts.push(Part::Arg(i));
        rest = &after[end + '\u{e001}'.len_utf8()..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    parts.into_boxed_slice()
}

/// The message's markup with the call's markup arguments in their places.
fn place(parts: &[Part], values: &[Value]) -> Value {
    let len = parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.len(),
            Part::Arg(i) => values.get(*i).and_then(Value::as_str).map_or(0, str::len),
        })
        .sum();
    let mut html = String::with_capacity(len);
    for part in parts {
        match part {
            Part::Text(t) => html.push_str(t),
            Part::Arg(i) => match values.get(*i) {
                Some(v) if v.is_safe() => match v.as_str() {
                    Some(s) => html.push_str(s),
                    None => html.push_str(&v.to_string()),
                },
                // Not markup (cannot happen for one site's memo): the marker as escaped text.
                _ => html.push_str(&marker(*i)),
            },
        }
    }
    Value::from_safe_string(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_with_keyword_arguments_get_a_site() {
        let sites = Sites::new();
        let tag = concat!(
            r#"{{ t("list-votes-word", count=th.score) }} {{ t("list-stats-label", votes=a.b(1, 2), answers=[1,2]|length) }}"#,
            r#"{{ t("x", when=t("y", n=1)) }} {{ "t(\"z\", n=1)" }} {{ x.t("a", n=1) }} {{ t("b", 1) }} {{ t(id, n=1) }}"#,
            r#"{{ t("c", n=a==b) }} {{ t( "list-votes-word" , count = th.score ) }}"#,
        );
        assert_eq!(
            rewrite(tag, &sites),
            concat!(
                r#"{{ __t(0, th.score) }} {{ __t(1, a.b(1, 2), [1,2]|length) }}"#,
                r#"{{ __t(3, __t(2, 1)) }} {{ "t(\"z\", n=1)" }} {{ x.t("a", n=1) }} {{ t("b", 1) }} {{ t(id, n=1) }}"#,
                r#"{{ __t(4, a==b) }} {{ __t(0, th.score) }}"#,
            )
        );
    }

    #[test]
    fn markers_split_into_parts() {
        let parts = split_markers("a \u{e000}1\u{e001} b \u{e000}0\u{e001}");
        let values = [
            Value::from_safe_string("<i>0</i>".into()),
            Value::from_safe_string("<b>1</b>".into()),
        ];
        assert_eq!(
            place(&parts, &values).as_str(),
            Some("a <b>1</b> b <i>0</i>")
        );
    }
}
