//! Guards the one-way module stack: a module under src/ may use only modules on lower levels of
//! `STACK` (never its own level or above), and sibling files inside one module must not form cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The allowed order, bottom to top. A module may use only modules on strictly lower levels.
/// lib.rs, main.rs, src/bin/* and this file are the top and are not checked. A name here without a
/// module yet is fine: it reserves the place.
const STACK: &[&[&str]] = &[
    &["i18n"],
    &["error"],
    &[
        "config",
        "progress",
        "input",
        "embedding",
        "hours",
        "memory",
    ],
    &["db"],
    &["render"],
    &["events", "limits"],
    &["mail"],
    &["accounts"],
    &["oauth", "catalog", "screen", "site", "attachments"],
    &["threads"],
    &["kb"],
    &["support"],
    &["search", "moderation"],
    &["notify", "audit", "peers", "insights", "sitemap", "feeds"],
    &["http", "demo"],
];

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `src` with comments and string/char literals blanked (newlines kept, so line numbers still
/// match): a path named in a doc comment or an error message is not a use.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    // Index just past the first `end` from `k` on; with `esc`, a backslash hides the next char.
    let until = |mut k: usize, end: &str, esc: bool| {
        while k < c.len() && !end.chars().enumerate().all(|(n, e)| at(k + n) == e) {
            k += if esc && c[k] == '\\' { 2 } else { 1 };
        }
        k + end.len()
    };
    let blank = |&ch: &char| if ch == '\n' { '\n' } else { ' ' };
    let (mut out, mut i) = (String::with_capacity(src.len()), 0);
    while i < c.len() {
        let word = (i..).take_while(|&k| is_ident(at(k))).count();
        let j = (i + word..).find(|&k| at(k) != '#').unwrap(); // past any raw-string hashes
        let w: String = c[i..i + word].iter().collect();
        let end = match (at(i), at(i + 1)) {
            ('/', '/') => until(i, "\n", false),
            ('/', '*') => until(i + 2, "*/", false), // nested block comments are rare: ignored
            ('"', _) => until(i + 1, "\"", true),
            ('\'', '\\') => until(i + 1, "'", true),
            ('\'', _) if at(i + 2) == '\'' => i + 3,
            // A raw string ends at a quote followed by as many hashes as it opened with.
            _ if matches!(&*w, "r" | "br" | "cr") && at(j) == '"' => {
                until(j + 1, &format!("\"{}", "#".repeat(j - i - word)), false)
            }
            _ if matches!(&*w, "b" | "c") && at(i + 1) == '"' => until(i + 2, "\"", true),
            // Code, or a lifetime `'a` (no closing quote). Whole words are copied at once, so the
            // `r` ending `bar"` never starts a raw string.
            _ => {
                out.extend(&c[i..i + word.max(1)]);
                i += word.max(1);
                continue;
            }
        };
        let end = end.min(c.len());
        out.extend(c[i..end].iter().map(blank));
        i = end;
    }
    out
}

/// The code tokens of `src` (words, `::`, single punctuation), each with its 1-based line.
fn tokens(src: &str) -> Vec<(usize, String)> {
    let c: Vec<char> = code_only(src).chars().collect();
    let (mut out, mut line, mut i) = (Vec::new(), 1, 0);
    while i < c.len() {
        let len = match c[i] {
            ch if is_ident(ch) => c[i..].iter().take_while(|&&ch| is_ident(ch)).count(),
            ':' if c.get(i + 1) == Some(&':') => 2,
            _ => 1,
        };
        if !c[i].is_whitespace() {
            out.push((line, c[i..i + len].iter().collect()));
        }
        line += (c[i] == '\n') as usize;
        i += len;
    }
    out
}

/// Every `<prefix>::<name>` in the code of `src` as (line, name). A group
/// `<prefix>::{a::X, b::{c, d}}` gives each first-level name (a, b) on the line where it stands.
fn refs(src: &str, prefix: &[&str]) -> Vec<(usize, String)> {
    let t = tokens(src);
    let tok = |k: usize| t.get(k).map_or("", |(_, s)| s.as_str());
    let word = |k: usize| tok(k).starts_with(is_ident) && tok(k) != "self";
    let (mut found, n) = (Vec::new(), prefix.len());
    for i in 0..t.len() {
        if !(0..n).all(|s| tok(i + 2 * s) == prefix[s] && tok(i + 2 * s + 1) == "::") {
            continue;
        }
        let start = i + 2 * n;
        if word(start) {
            found.push(t[start].clone());
        } else if tok(start) == "{" {
            let mut depth = 0;
            for (k, item) in t.iter().enumerate().skip(start) {
                // A name starts an item right after the opening brace or a comma at depth 1.
                if depth == 1 && matches!(tok(k - 1), "{" | ",") && word(k) {
                    found.push(item.clone());
                }
                depth += (tok(k) == "{") as i32 - (tok(k) == "}") as i32;
                if depth == 0 {
                    break;
                }
            }
        }
    }
    found
}

/// Every .rs file under src/ as (path parts below src/, text), sorted by path.
fn sources(src: &Path) -> Vec<(Vec<String>, String)> {
    let (mut dirs, mut out) = (vec![src.to_path_buf()], Vec::new());
    while let Some(dir) = dirs.pop() {
        for path in fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().iter();
                let parts = rel.map(|p| p.to_string_lossy().into_owned()).collect();
                out.push((parts, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The top-level module a file belongs to (`db/schema.rs` -> `db`); None for the unchecked top.
fn module_of(parts: &[String]) -> Option<&str> {
    let name = parts.first()?.trim_end_matches(".rs");
    let top = match parts.len() {
        1 => matches!(name, "lib" | "main" | "stack_test"),
        _ => name == "bin",
    };
    (!top).then_some(name)
}

/// Uses of a module on the same level or above, and modules missing from STACK.
fn layer_violations(files: &[(Vec<String>, String)]) -> Vec<String> {
    let level = |m: &str| STACK.iter().position(|names| names.contains(&m));
    let modules: BTreeSet<&str> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let mut out: Vec<String> = (modules.iter().filter(|m| level(m).is_none()))
        .map(|m| format!("src/{m}: module {m} is not in STACK (add it to STACK)"))
        .collect();
    for (p, text) in files {
        let Some(m) = module_of(p) else { continue };
        let Some(lm) = level(m) else { continue }; // unlisted: reported above
        for (line, used) in refs(text, &["crate"]) {
            let at = format!("src/{}:{line}: {m} uses {used}", p.join("/"));
            // `crate::msg!` is i18n's macro (macros live at the crate root).
            let used = if used == "msg" {
                "i18n".to_string()
            } else {
                used
            };
            match level(&used) {
                _ if used == m => {}
                Some(lu) if lu < lm => {}
                Some(lu) if lu == lm => out.push(format!("{at}, which is on its level ({lm})")),
                Some(lu) => out.push(format!(
                    "{at}, which is above it ({m} is level {lm}, {used} level {lu})"
                )),
                None if modules.contains(&*used) => {} // unlisted: reported above, once
                None => out.push(format!("{at}: crate-root items are the top, not a level")),
            }
        }
    }
    out.dedup(); // one line naming the same module twice
    out
}

/// Cycles among sibling files of one module directory (`src/<m>/<a>.rs` or `src/<m>/<a>/mod.rs`
/// using `super::<b>` or `crate::<m>::<b>`). `mod.rs` is the parent, so it is left out.
fn sibling_cycles(files: &[(Vec<String>, String)]) -> Vec<String> {
    let node = |p: &[String]| match p {
        [m, a] if a != "mod.rs" => Some((m.clone(), a.trim_end_matches(".rs").to_string())),
        [m, a, last] if last == "mod.rs" => Some((m.clone(), a.clone())),
        _ => None,
    };
    let nodes: BTreeSet<(String, String)> = files.iter().filter_map(|(p, _)| node(p)).collect();
    let mut edges = BTreeMap::new(); // ((m, a), (m, b)) -> where a first uses b
    for (p, text) in files {
        let Some((m, a)) = node(p) else { continue };
        let mut used = refs(text, &["super"]);
        used.extend(refs(text, &["crate", &m]));
        for (line, b) in used {
            let to = (m.clone(), b.clone());
            if b != a && nodes.contains(&to) {
                let at = format!("src/{}:{line}: {a} uses {b}", p.join("/"));
                edges.entry(((m.clone(), a.clone()), to)).or_insert(at);
            }
        }
    }
    let reaches = |from: &(String, String), to: &(String, String)| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from]);
        while let Some(n) = todo.pop() {
            let next = edges.keys().filter(|(a, _)| a == n).map(|(_, b)| b);
            todo.extend(next.filter(|&b| seen.insert(b)));
        }
        seen.contains(to)
    };
    // An edge a -> b lies on a cycle when b leads back to a.
    let cyclic = edges.iter().filter(|((a, b), _)| reaches(b, a));
    cyclic
        .map(|(_, at)| format!("{at}, which leads back to it (sibling cycle)"))
        .collect()
}

#[test]
fn module_stack_is_one_way() {
    let files = sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut violations = layer_violations(&files);
    violations.extend(sibling_cycles(&files));
    assert!(
        violations.is_empty(),
        "the module stack (STACK in src/stack_test.rs) is broken in {} places:\n{}\n",
        violations.len(),
        violations.join("\n")
    );
}

/// The references `refs` finds, as "line:name" words, to keep the self-tests short.
fn scan(src: &str, prefix: &[&str]) -> String {
    let found: Vec<String> = refs(src, prefix)
        .iter()
        .map(|(l, n)| format!("{l}:{n}"))
        .collect();
    found.join(" ")
}

#[test]
fn scanner_reads_grouped_use_over_several_lines() {
    let src = "use crate::{\n    accounts::User,\n    db::{now,\n        DbConn}, search};\n";
    assert_eq!(scan(src, &["crate"]), "2:accounts 3:db 4:search");
}

#[test]
fn scanner_reads_inline_paths() {
    let src = "fn f() {\n    crate::support::record_event(&conn, crate::db::now());\n}";
    assert_eq!(scan(src, &["crate"]), "2:support 2:db");
}

#[test]
fn scanner_skips_comments_and_strings() {
    let src = "// crate::a\n/// crate::b\n//! crate::c\n/* crate::d */\n\
               let s = \"crate::f \\\" crate::g\"; let q = '\"'; crate::real::x();";
    assert_eq!(scan(src, &["crate"]), "5:real");
}

#[test]
fn scanner_skips_raw_strings() {
    let src = "let a = r#\"crate::a \" crate::b\"#;\nlet b = br\"crate::c\"; crate::real::x();";
    assert_eq!(scan(src, &["crate"]), "2:real");
}

#[test]
fn scanner_does_not_take_lifetimes_for_chars() {
    // Were `'a` read as a char literal, the quote after it would swallow `crate::one`.
    let src = "fn f<'a>(x: &'a str) -> &'a str { crate::one::g(); 'outer: loop {} x }\n\
               let c = '\\''; crate::two::h();";
    assert_eq!(scan(src, &["crate"]), "1:one 2:two");
}

#[test]
fn scanner_reads_sibling_paths() {
    let src = "use super::{pages::x, self, render};\nsuper::super::scan::f(); crate::http::a::f();";
    assert_eq!(scan(src, &["super"]), "1:pages 1:render 2:super 2:scan");
    assert_eq!(scan(src, &["crate", "http"]), "2:a");
}
