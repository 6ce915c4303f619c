//! Every language has every message, and every message the code and the templates ask for exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

fn catalog() -> Catalog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    Catalog::load(&locale_dirs(&root, "default"), "en", true).expect("messages load")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The literal string arguments after each `needle` in `text` (comment lines left out).
fn literal_ids(text: &str, needle: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = code.as_str();
    let mut ids = Vec::new();
    for (at, _) in text.match_indices(needle) {
        let rest = &text[at + needle.len()..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            ids.push(rest[1..1 + end].to_string());
        }
    }
    ids
}

#[test]
fn every_language_has_the_same_messages() {
    let catalog = catalog();
    let english: BTreeSet<&String> = catalog.languages()[0].ids().iter().collect();
    assert!(
        english.len() > 50,
        "English has only {} messages",
        english.len()
    );
    for lang in catalog.languages().iter().filter(|l| !l.is_pseudo()) {
        let ids: BTreeSet<&String> = lang.ids().iter().collect();
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.tag);
        assert!(
            extra.is_empty(),
            "{} has messages English lacks: {extra:?}",
            lang.tag
        );
    }
    assert!(catalog.get("de").is_some(), "German is built in");
}

#[test]
fn every_message_in_use_exists() {
    let catalog = catalog();
    let english = &catalog.languages()[0];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut templates = Vec::new();
    files(
        &root.join("themes/default/templates"),
        "html",
        &mut templates,
    );
    let mut sources = Vec::new();
    files(&root.join("src"), "rs", &mut sources);
    let mut unknown = Vec::new();
    let mut used = 0;
    for path in &templates {
        let text = std::fs::read_to_string(path).expect("template");
        for needle in ["t(", "tn("] {
            for id in literal_ids(&text, needle) {
                used += 1;
                if !english.has(&id) {
                    unknown.push(format!("{}: {id}", path.display()));
                }
            }
        }
    }
    for path in &sources {
        if path.ends_with("i18n/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("source");
        for needle in ["msg!(", "Msg::new("] {
            for id in literal_ids(&text, needle) {
                used += 1;
                if !english.has(&id) {
                    unknown.push(format!("{}: {id}", path.display()));
                }
            }
        }
    }
    assert!(used > 50, "only {used} uses found: is the scanner broken?");
    assert!(
        unknown.is_empty(),
        "messages used but defined nowhere: {unknown:#?}"
    );
}

#[test]
fn plurals_follow_each_language() {
    let catalog = catalog();
    let en = catalog.get("en").unwrap();
    let de = catalog.get("de").unwrap();
    let ago = |lang, unit: &str, count: i64| {
        catalog.text(
            lang,
            &Msg::new("time-ago").arg("unit", unit).arg("count", count),
        )
    };
    assert_eq!(ago(en, "hour", 1), "an hour ago");
    assert_eq!(ago(en, "hour", 3), "3 hours ago");
    assert_eq!(ago(de, "hour", 3), "vor 3 Stunden");
    assert_eq!(ago(de, "day", 1), "gestern");
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
        .unwrap()
        .and_hms_opt(13, 5, 0)
        .unwrap();
    let berlin = format::zone("Europe/Berlin").unwrap();
    assert_eq!(catalog.datetime(de, at, berlin), "4. Dez. 2026, 14:05");
    assert_eq!(
        catalog.datetime(en, at, chrono_tz::UTC),
        "4 Dec 2026, 13:05"
    );
    assert_eq!(catalog.duration(de, 90), "1 Std. 30 Min.");
    assert_eq!(catalog.duration(en, 240), "4 hours");
}

#[test]
fn the_pseudo_locale_wraps_every_message() {
    let catalog = catalog();
    let pseudo = catalog.get(PSEUDO_TAG).expect("pseudo-locale loaded");
    let text = catalog.text(pseudo, &Msg::new("time-just-now"));
    assert_eq!(text, format!("{PSEUDO_OPEN}just now{PSEUDO_CLOSE}"));
}

#[test]
fn accept_language_picks_the_best_available() {
    let catalog = catalog();
    let pick = |h: &str| catalog.from_accept_language(h).map(|l| l.tag.clone());
    assert_eq!(pick("de-DE,de;q=0.9,en;q=0.8").as_deref(), Some("de"));
    assert_eq!(pick("fr-FR, en;q=0.5").as_deref(), Some("en"));
    assert_eq!(pick("en;q=0.4, de;q=0.9").as_deref(), Some("de"));
    assert_eq!(pick("de;q=0, en").as_deref(), Some("en"));
    assert_eq!(pick("fr, ja").as_deref(), None);
    assert_eq!(
        pick("en-XA").as_deref(),
        Some("en"),
        "the pseudo-locale is never negotiated"
    );
    assert_eq!(pick(";;;,,,q=").as_deref(), None);
}

#[test]
fn no_message_is_defined_twice_in_one_language() {
    // Files of one folder load in name order and a later one silently replaces an earlier id:
    // two areas defining the same id is a mistake.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/locales");
    for lang in std::fs::read_dir(&root).expect("locales").flatten() {
        let mut files = Vec::new();
        files_in(&lang.path(), &mut files);
        let mut seen: std::collections::BTreeMap<String, PathBuf> = Default::default();
        for file in files {
            let source = std::fs::read_to_string(&file).expect("ftl");
            let resource = fluent_bundle::FluentResource::try_new(source).expect("parses");
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    if let Some(first) = seen.insert(m.id.name.to_string(), file.clone()) {
                        panic!(
                            "{} is defined in {} and {}",
                            m.id.name,
                            first.display(),
                            file.display()
                        );
                    }
                }
            }
        }
    }
}

fn files_in(dir: &Path, out: &mut Vec<PathBuf>) {
    files(dir, "ftl", out);
}

#[test]
#[ignore = "timing probe: cargo test --lib probe_costs -- --ignored --nocapture"]
fn probe_costs() {
    let catalog = catalog();
    let de = catalog.get("de").unwrap().clone();
    let n = 20_000;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(13, 5, 0)
        .unwrap();
    let tz = format::zone("Europe/Berlin").unwrap();
    let time = |label: &str, f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..n {
            f();
        }
        println!("{label}: {:?} per call", start.elapsed() / n);
    };
    time("plain message", &mut || {
        std::hint::black_box(catalog.message(&de, "nav-ask", None));
    });
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("count", 3.0);
    time("plural message", &mut || {
        std::hint::black_box(catalog.message(&de, "thread-answers", Some(&args)));
    });
    time("relative", &mut || {
        std::hint::black_box(catalog.relative(&de, at, chrono::Utc::now()));
    });
    time("datetime", &mut || {
        std::hint::black_box(catalog.datetime(&de, at, tz));
    });
    time("zone parse", &mut || {
        std::hint::black_box(format::zone("Europe/Berlin"));
    });
}
