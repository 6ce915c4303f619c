//! Reading message files: every `*.ftl` of a language folder, the built-in copy first, then each
//! folder on disk in order, later messages replacing earlier ones of the same id.

use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
use rust_embed::RustEmbed;
use unic_langid::LanguageIdentifier;

use super::{format, Language};

/// The default theme's messages, built into the binary so a bare binary speaks every language.
#[derive(RustEmbed)]
#[folder = "themes/default/locales/"]
pub struct EmbeddedLocales;

/// The `locales` folders of a theme chain, lowest priority first: the default theme's, then the
/// operator's theme (which overrides single messages or adds languages).
pub fn locale_dirs(theme_root: &Path, theme_name: &str) -> Vec<PathBuf> {
    let mut dirs = vec![theme_root.join("default").join("locales")];
    if theme_name != "default" {
        dirs.push(theme_root.join(theme_name).join("locales"));
    }
    dirs
}

fn is_tag(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 35
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.parse::<LanguageIdentifier>().is_ok()
}

/// The language tags found, built-in and on disk, sorted with English first.
fn tags(dirs: &[PathBuf]) -> Vec<String> {
    let mut tags: Vec<String> = EmbeddedLocales::iter()
        .filter_map(|path| path.split('/').next().map(str::to_string))
        .collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && is_tag(&name) {
                tags.push(name);
            }
        }
    }
    tags.retain(|t| is_tag(t) && t != super::PSEUDO_TAG);
    tags.sort_by_key(|t| (t != "en", t.clone()));
    tags.dedup();
    tags
}

/// Every language found.
pub(super) fn languages(dirs: &[PathBuf]) -> anyhow::Result<Vec<Language>> {
    let tags = tags(dirs);
    if tags.first().map(String::as_str) != Some("en") {
        anyhow::bail!("no English messages (locales/en) found");
    }
    tags.iter().map(|t| language(t, dirs, false)).collect()
}

fn parse(source: String, origin: &str) -> anyhow::Result<FluentResource> {
    FluentResource::try_new(source).map_err(|(_, errors)| {
        let first = errors
            .first()
            .map(|e| format!("{:?} at bytes {:?}", e.kind, e.pos))
            .unwrap_or_default();
        anyhow::anyhow!("{origin}: {} syntax error(s), first: {first}", errors.len())
    })
}

/// One language: built-in files, then the disk folders; `pseudo` marks the pseudo-locale.
pub(super) fn language(tag: &str, dirs: &[PathBuf], pseudo: bool) -> anyhow::Result<Language> {
    let id: LanguageIdentifier = if pseudo {
        super::PSEUDO_TAG.parse()?
    } else {
        tag.parse()?
    };
    let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
    // Unicode isolation marks around arguments would end up in attributes and copied text.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format::fluent_number));
    let mut ids = Vec::new();
    let mut add = |source: String, origin: String| -> anyhow::Result<()> {
        let resource = parse(source, &origin)?;
        ids.extend(resource_ids(&resource));
        bundle.add_resource_overriding(resource);
        Ok(())
    };
    let prefix = format!("{tag}/");
    let mut embedded: Vec<String> = EmbeddedLocales::iter()
        .filter(|p| p.starts_with(&prefix) && p.ends_with(".ftl"))
        .map(|p| p.into_owned())
        .collect();
    embedded.sort();
    for path in embedded {
        if let Some(file) = EmbeddedLocales::get(&path) {
            let source = String::from_utf8(file.data.into_owned())
                .map_err(|_| anyhow::anyhow!("built-in {path} is not UTF-8"))?;
            add(source, format!("built-in {path}"))?;
        }
    }
    for dir in dirs {
        let folder = dir.join(tag);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        for file in files {
            let source = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            add(source, file.display().to_string())?;
        }
    }
    ids.sort();
    ids.dedup();
    let mut language = Language {
        tag: if pseudo {
            super::PSEUDO_TAG.to_string()
        } else {
            tag.to_string()
        },
        id,
        name: String::new(),
        bundle,
        pseudo,
        ids,
    };
    language.name = match language.format("language-name", None) {
        Some(name) => name,
        None => language.tag.clone(),
    };
    Ok(language)
}

/// The ids of the messages (not terms) in a resource.
fn resource_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}
