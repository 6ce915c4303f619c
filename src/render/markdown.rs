//! The markdown pipeline, run once at write time: pulldown-cmark (CommonMark + tables,
//! strikethrough, task lists, footnotes), raw HTML turned into text, nesting capped, then ammonia;
//! what renders to more than `MAX_HTML_BYTES` is refused. The result is stored with
//! `RENDER_VERSION` so `peerdesk rerender` can re-cook old posts.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;

/// Bump when the output of `render` changes; `peerdesk rerender` re-renders older rows.
/// 2: stored HTML is at most `MAX_HTML_BYTES` (older rows may be larger).
pub const RENDER_VERSION: i32 = 2;

/// Most HTML one post, comment or article may render to (bytes). Prose and code stay far below
/// it even at the 40,000-character limit (40,000 `&` escape to 200,000 bytes); only markup that
/// multiplies — a table padded with thousands of empty cells, thousands of empty list items —
/// goes past it. It bounds what one post adds to a page, and with the answers per page, a page.
pub const MAX_HTML_BYTES: usize = 256 * 1024;

/// Rendering stops once the HTML before sanitising passes this: a few kilobytes of table can
/// expand to megabytes, which are never built. The sanitiser drops some markup (unsafe links,
/// attributes), so its input may be larger than the cap; its output is checked again.
const MAX_RAW_HTML_BYTES: usize = 2 * MAX_HTML_BYTES;

/// Deeper nesting is flattened: HTML tree building is quadratic in depth.
const MAX_DEPTH: usize = 64;

/// Markdown cooked for storage.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// Sanitised HTML, safe to print unescaped.
    pub html: String,
    /// Plain text for search and snippets.
    pub text: String,
}

impl Rendered {
    /// The size of `html` as stored beside it (at most `MAX_HTML_BYTES`, or what older versions
    /// stored, which still fits an `i32` column).
    pub fn html_bytes(&self) -> i32 {
        i32::try_from(self.html.len()).unwrap_or(i32::MAX)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Renders untrusted markdown to sanitised HTML and plain text, for storing or previewing what a
/// user wrote. Past `MAX_HTML_BYTES` of HTML it is refused (422) with a message that says how
/// large it rendered and what to do: nothing is stored.
pub fn render(markdown: &str) -> AppResult<Rendered> {
    render_mentioning(markdown, &HashSet::new())
}

/// `render`, with each `@handle` of `known` (lower-case handles of existing users) linked to
/// its profile; other `@words`, and any inside code or a link, stay text.
pub fn render_mentioning(markdown: &str, known: &HashSet<String>) -> AppResult<Rendered> {
    render_within(markdown, known).map_err(|size| AppError::invalid(too_large_message(size)))
}

/// The `@handle`s a text mentions: lower-case, each once, in order of appearance. A handle
/// (3–32 of `a-z 0-9 _ -`) starts after a non-word character, so `ana@example.com` is none.
pub fn mentioned_handles(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, handle) in mention_spans(text) {
        let h = handle.to_ascii_lowercase();
        if !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// Each mention in `text`: the byte offset of its `@` and the handle as written.
fn mention_spans(text: &str) -> Vec<(usize, &str)> {
    let is_handle = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let starts = c == '@' && !prev.is_some_and(|p| p.is_alphanumeric() || p == '@' || p == '_');
        prev = Some(c);
        if !starts {
            continue;
        }
        let rest = &text[i + 1..];
        let len = rest.find(|c: char| !is_handle(c)).unwrap_or(rest.len());
        // A trailing `-` or `_` is punctuation ("@ana-").
        let handle = rest[..len].trim_end_matches(['-', '_']);
        if (3..=32).contains(&handle.len()) {
            out.push((i, handle));
            for _ in 0..handle.len() {
                if let Some((_, ch)) = iter.next() {
                    prev = Some(ch);
                }
            }
        }
    }
    out
}

/// Splits a text event at the mentions of known users into text and profile links.
fn link_mentions<'a>(t: CowStr<'a>, known: &HashSet<String>) -> Vec<Event<'a>> {
    let spans: Vec<(usize, &str)> = mention_spans(&t)
        .into_iter()
        .filter(|(_, h)| known.contains(&h.to_ascii_lowercase()))
        .collect();
    if spans.is_empty() {
        return vec![Event::Text(t)];
    }
    let mut out = Vec::with_capacity(spans.len() * 2 + 1);
    let mut at = 0;
    for (start, handle) in spans {
        if start > at {
            out.push(Event::Text(CowStr::from(t[at..start].to_string())));
        }
        // Only handle characters (a-z 0-9 _ -) go into this HTML.
        let lower = handle.to_ascii_lowercase();
        out.push(Event::InlineHtml(CowStr::from(format!(
            "<a class=\"mention\" href=\"/u/{lower}\">@{handle}</a>"
        ))));
        at = start + 1 + handle.len();
    }
    if at < t.len() {
        out.push(Event::Text(CowStr::from(t[at..].to_string())));
    }
    out
}

/// Where attachments are served: `/attachments/<id>/<name>`.
pub const ATTACHMENT_PREFIX: &str = "/attachments/";

/// The attachment a link points at (`/attachments/<id>/<name>`), if it points at one.
pub fn attachment_id(url: &str) -> Option<i64> {
    let (id, name) = url.strip_prefix(ATTACHMENT_PREFIX)?.split_once('/')?;
    if name.is_empty() || name.contains('/') || name == "thumb" {
        return None;
    }
    id.parse::<i64>().ok().filter(|&n| n > 0)
}

/// How many attachments `attachment_refs` reads from one text.
pub const MAX_REFS: usize = 100;

/// The attachments a text links to or shows, each once, in order (at most `MAX_REFS`).
pub fn attachment_refs(markdown: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for e in Parser::new_ext(markdown, options()) {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = e {
            if let Some(id) = attachment_id(&dest_url) {
                if !ids.contains(&id) && ids.len() < MAX_REFS {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

/// A URL safe inside a double-quoted attribute: anything but unreserved and path characters
/// percent-encoded.
fn href_text(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"/._~-%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Like `render`, for text already stored (`peerdesk rerender`, demo data), which must render
/// to something: past the cap, the markdown source shown as preformatted text, cut to fit.
pub fn render_or_text(markdown: &str) -> Rendered {
    match render_within(markdown, &HashSet::new()) {
        Ok(r) => r,
        Err(_) => as_preformatted_text(markdown),
    }
}

/// Why a text was refused: its rendered size against the cap (in KB, grouped per language).
fn too_large_message(size: TooLarge) -> Msg {
    let kb = |bytes: usize| bytes.div_ceil(1024);
    let (size, n) = match size {
        TooLarge::Exactly(n) => ("exactly", n),
        TooLarge::AtLeast(n) => ("at-least", n),
    };
    msg!(
        "markdown-too-large",
        size = size,
        kb = kb(n),
        limit = kb(MAX_HTML_BYTES)
    )
}

/// How far past the cap a text rendered.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TooLarge {
    /// The sanitised HTML has this many bytes.
    Exactly(usize),
    /// Rendering stopped here (before sanitising).
    AtLeast(usize),
}

/// A `fmt::Write` that fails once `limit` bytes are written, so rendering stops early.
struct Bounded {
    html: String,
    limit: usize,
}

impl std::fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.html.len() + s.len() > self.limit {
            return Err(std::fmt::Error);
        }
        self.html.push_str(s);
        Ok(())
    }
}

/// The markdown source as escaped, preformatted text within `MAX_HTML_BYTES`.
fn as_preformatted_text(markdown: &str) -> Rendered {
    const OPEN: &str = "<pre class=\"too-large\">";
    const CLOSE: &str = "</pre>\n";
    const CUT: &str = "\n…";
    let room = MAX_HTML_BYTES - OPEN.len() - CLOSE.len() - CUT.len();
    let mut html = String::from(OPEN);
    let mut cut = false;
    for c in markdown.chars() {
        let escaped = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            _ => "",
        };
        let len = if escaped.is_empty() {
            c.len_utf8()
        } else {
            escaped.len()
        };
        if html.len() - OPEN.len() + len > room {
            cut = true;
            break;
        }
        if escaped.is_empty() {
            html.push(c);
        } else {
            html.push_str(escaped);
        }
    }
    if cut {
        html.push_str(CUT);
    }
    html.push_str(CLOSE);
    let text = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    Rendered { html, text }
}

/// Renders within the caps, or says how large the HTML got.
fn render_within(markdown: &str, known: &HashSet<String>) -> Result<Rendered, TooLarge> {
    let mut text = String::with_capacity(markdown.len());
    // One flag per open tag: was it kept (depth within the cap)?
    let mut open: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Start(tag) => {
            let keep = open.len() < MAX_DEPTH;
            open.push(keep);
            if is_block(&tag) && !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            keep.then_some(Event::Start(tag))
        }
        Event::End(end) => {
            let keep = open.pop().unwrap_or(true);
            keep.then_some(Event::End(end))
        }
        // Raw HTML is shown as written, never interpreted: `Vec<String>` reads as such.
        Event::Html(raw) | Event::InlineHtml(raw) => {
            text.push_str(&raw);
            Some(Event::Text(raw))
        }
        Event::Text(t) => {
            text.push_str(&t);
            Some(Event::Text(t))
        }
        Event::Code(c) => {
            text.push_str(&c);
            Some(Event::Code(c))
        }
        Event::SoftBreak | Event::HardBreak => {
            text.push(' ');
            Some(event)
        }
        Event::InlineMath(m) | Event::DisplayMath(m) => Some(Event::Text(m)),
        other => Some(other),
    });
    let mut footnotes = Footnotes::new(markdown);
    let events = events.map(|e| footnotes.rewrite(strip_code_class_noise(e)));
    // Mentions become links outside code and outside links (a link in a link is invalid).
    // An attached picture shows as its thumbnail, linked to the full size (unless it is
    // already inside a link).
    let mut inside = 0usize;
    let mut links = 0usize;
    let mut images = 0usize;
    let mut thumbnail_open = false;
    let events = events.flat_map(|e| match e {
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            inside += 1;
            images += 1;
            // A picture in a picture's description is text there (its alt): left alone.
            match attachment_id(&dest_url).filter(|_| images == 1) {
                Some(n) => {
                    let thumbnail = Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(format!("{ATTACHMENT_PREFIX}{n}/thumb")),
                        title,
                        id,
                    });
                    if links > 0 {
                        return vec![thumbnail];
                    }
                    thumbnail_open = true;
                    vec![
                        Event::InlineHtml(CowStr::from(format!(
                            "<a class=\"attachment-image\" href=\"{}\">",
                            href_text(&dest_url)
                        ))),
                        thumbnail,
                    ]
                }
                None => vec![Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })],
            }
        }
        Event::End(TagEnd::Image) => {
            inside = inside.saturating_sub(1);
            images = images.saturating_sub(1);
            if images == 0 && std::mem::take(&mut thumbnail_open) {
                vec![e, Event::InlineHtml(CowStr::from("</a>"))]
            } else {
                vec![e]
            }
        }
        Event::Start(Tag::Link { .. }) => {
            inside += 1;
            links += 1;
            vec![e]
        }
        Event::End(TagEnd::Link) => {
            inside = inside.saturating_sub(1);
            links = links.saturating_sub(1);
            vec![e]
        }
        Event::Start(Tag::CodeBlock(_)) => {
            inside += 1;
            vec![e]
        }
        Event::End(TagEnd::CodeBlock) => {
            inside = inside.saturating_sub(1);
            vec![e]
        }
        Event::Text(t) if inside == 0 && !known.is_empty() && t.contains('@') => {
            link_mentions(t, known)
        }
        other => vec![other],
    });
    let mut raw = Bounded {
        html: String::with_capacity(markdown.len() * 3 / 2),
        limit: MAX_RAW_HTML_BYTES,
    };
    if pulldown_cmark::html::write_html_fmt(&mut raw, events).is_err() {
        return Err(TooLarge::AtLeast(MAX_RAW_HTML_BYTES));
    }
    let html = sanitizer().clean(&raw.html).to_string();
    if html.len() > MAX_HTML_BYTES {
        return Err(TooLarge::Exactly(html.len()));
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(Rendered { html, text })
}

/// Footnotes with ids that survive sanitising and do not collide between posts on one page:
/// `fn-<hash of the text>-<number>`, numbered in order of first appearance.
struct Footnotes {
    prefix: String,
    numbers: Vec<String>,
}

impl Footnotes {
    fn new(markdown: &str) -> Footnotes {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(markdown.as_bytes());
        let prefix = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
        Footnotes {
            prefix,
            numbers: Vec::new(),
        }
    }

    fn number(&mut self, label: &str) -> usize {
        match self.numbers.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.numbers.push(label.to_string());
                self.numbers.len()
            }
        }
    }

    fn rewrite<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            // Only numbers and our prefix go into this HTML: nothing from the user.
            Event::FootnoteReference(label) => {
                let n = self.number(&label);
                Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#fn-{}-{n}\">{n}</a></sup>",
                    self.prefix
                )))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.number(&label);
                Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"fn-{}-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>",
                    self.prefix
                )))
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</div>\n")),
            other => other,
        }
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Item | Tag::TableRow
    )
}

/// Fenced code languages become `language-xxx` classes; keep only sane language names.
fn strip_code_class_noise(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(lang))) => {
            let clean: String = lang
                .split_whitespace()
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '-' | '_'))
                .take(32)
                .collect();
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(
                CowStr::from(clean),
            )))
        }
        Event::End(TagEnd::CodeBlock) => Event::End(TagEnd::CodeBlock),
        other => other,
    }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.link_rel(Some("nofollow ugc noopener"))
            .add_tags(["input"])
            .add_tag_attributes("code", ["class"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("div", ["id", "class"])
            .add_tag_attributes("sup", ["class"])
            .add_tag_attributes("a", ["class"])
            .set_tag_attribute_value("img", "loading", "lazy")
            .rm_tags(
                ["svg", "math", "style"]
                    .iter()
                    .copied()
                    .collect::<HashSet<_>>(),
            )
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("code", "class") => {
                    let kept: Vec<&str> = value
                        .split_whitespace()
                        .filter(|c| c.starts_with("language-") && c.len() > "language-".len())
                        .collect();
                    (!kept.is_empty()).then(|| kept.join(" ").into())
                }
                ("input", "type") => (value == "checkbox").then(|| value.into()),
                ("div", "id") => value.starts_with("fn-").then(|| value.into()),
                ("div", "class") => (value == "footnote-definition").then(|| value.into()),
                ("a", "class") => (value == "attachment-image").then(|| value.into()),
                ("sup", "class") => {
                    matches!(value, "footnote-reference" | "footnote-definition-label")
                        .then(|| value.into())
                }
                // Only table alignment survives from inline styles.
                ("th" | "td", "style") => matches!(
                    value,
                    "text-align: left" | "text-align: center" | "text-align: right"
                )
                .then(|| value.into()),
                _ => Some(value.into()),
            });
        b
    })
}

/// `text` on one line (whitespace runs become one space), cut to `max_chars` characters with
/// an ellipsis: notification lines, link previews.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attached_pictures_show_as_linked_thumbnails() {
        let r = render(
            "![screen](/attachments/12/shot.png) and [log.txt](/attachments/13/log.txt) \
             and [![x](/attachments/14/in-link.png)](https://example.com) \
             and ![outside](https://example.com/a.png) ![evil](/attachments/15/a\"b.png)",
        )
        .expect("renders");
        assert!(
            r.html.contains(
                "<a class=\"attachment-image\" href=\"/attachments/12/shot.png\" rel=\"nofollow ugc noopener\"><img src=\"/attachments/12/thumb\" alt=\"screen\" loading=\"lazy\"></a>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"/attachments/13/log.txt\""),
            "{}",
            r.html
        );
        // Inside a link: no link in a link, the thumbnail only.
        assert!(
            r.html.contains("src=\"/attachments/14/thumb\""),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("attachment-image").count(), 2, "{}", r.html);
        assert!(
            r.html.contains("href=\"/attachments/15/a%22b.png\""),
            "{}",
            r.html
        );
        // A picture inside a picture: one thumbnail link, closed where it ends.
        let r = render("![![x](/attachments/2/b.png)](/attachments/1/a.png) hi\n\nnext paragraph")
            .expect("renders");
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
        assert!(r.html.contains("<p>next paragraph</p>"), "{}", r.html);
        assert_eq!(
            attachment_refs("![a](/attachments/12/x.png) [b](/attachments/13/y) [c](/attachments/12/x.png) `/attachments/99/z` [d](/attachments/0/q) [e](/attachments/7/thumb)"),
            vec![12, 13]
        );
    }

    #[test]
    fn raw_html_is_text() {
        let r = render("Use Vec<String> here <b>bold</b>").expect("renders");
        assert!(r.html.contains("Vec&lt;String&gt;"), "{}", r.html);
        assert!(!r.html.contains("<b>"), "{}", r.html);
        assert!(r.text.contains("Vec<String>"));
    }

    #[test]
    fn scripts_handlers_and_bad_urls_never_survive() {
        let hostile =
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) \
                       ![i](javascript:alert(2))\n\n<img src=x onerror=alert(1)>";
        let r = render(hostile).expect("renders");
        // Look inside real tags only: escaped text like `&lt;img onerror=...&gt;` is harmless.
        let tags: Vec<&str> = r
            .html
            .split('<')
            .skip(1)
            .filter_map(|t| t.split('>').next())
            .collect();
        for bad in ["script", "javascript:", "data:", "onerror", "src=\"x\""] {
            assert!(
                !tags.iter().any(|t| t.contains(bad)),
                "{bad} survived in {}",
                r.html
            );
        }
    }

    #[test]
    fn fenced_code_keeps_language_class() {
        let r = render("```rust\nfn main() {}\n```").expect("renders");
        assert!(
            r.html.contains("<code class=\"language-rust\">"),
            "{}",
            r.html
        );
        let r = render("```\" onclick=\"x\nboom\n```").expect("renders");
        assert!(!r.html.contains("onclick"), "{}", r.html);
    }

    #[test]
    fn links_get_nofollow_and_extensions_work() {
        let r = render(
            "[a](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~",
        )
        .expect("renders");
        assert!(
            r.html.contains("rel=\"nofollow ugc noopener\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<del>old</del>"));
    }

    #[test]
    fn footnotes_link_to_their_definitions() {
        let r = render("Claim[^a] and another[^b].\n\n[^a]: Source one.\n[^b]: Source two.")
            .expect("renders");
        let ids: Vec<&str> = r
            .html
            .match_indices("id=\"fn-")
            .map(|(i, _)| &r.html[i + 4..i + 4 + 14])
            .collect();
        assert_eq!(ids.len(), 2, "{}", r.html);
        for id in ids {
            let id = id.split('"').next().unwrap_or_default();
            assert!(
                r.html.contains(&format!("href=\"#{id}\"")),
                "{id} in {}",
                r.html
            );
        }
        // A hostile label cannot inject markup: labels never reach the HTML.
        let r = render("x[^\"><script>]\n\n[^\"><script>]: y").expect("renders");
        assert!(!r.html.contains("<script"), "{}", r.html);
    }

    #[test]
    fn table_alignment_uses_only_the_three_allowed_styles() {
        let r = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |").expect("renders");
        for s in [
            "text-align: left",
            "text-align: center",
            "text-align: right",
        ] {
            assert!(
                r.html.contains(&format!("style=\"{s}\"")),
                "{s} in {}",
                r.html
            );
        }
    }

    #[test]
    fn deep_nesting_is_capped() {
        let deep = ">".repeat(5000) + " hi";
        let r = render(&deep).expect("renders");
        assert!(r.html.matches("<blockquote>").count() <= MAX_DEPTH);
        assert!(r.text.contains("hi"));
        let nested_list = (0..3000)
            .map(|i| format!("{}- x", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n");
        let r = render(&nested_list).expect("renders");
        assert!(r.html.matches("<ul>").count() <= MAX_DEPTH);
    }

    #[test]
    fn output_past_the_cap_is_refused_and_says_how_large() {
        // 100 columns, 19,000 one-letter rows: under 40,000 characters, megabytes of cells.
        let table = format!(
            "{}|\n{}|\n{}",
            "|a".repeat(100),
            "|-".repeat(100),
            "x\n".repeat(19_000)
        );
        let Err(AppError::Invalid(message)) = render(&table) else {
            panic!("a table of megabytes is refused");
        };
        let message = message.english();
        assert!(message.contains("more than 512 KB"), "{message}");
        assert!(message.contains("the limit is 256 KB"), "{message}");
        // Just past the cap after sanitising: the exact size.
        let rows = format!(
            "{}|\n{}|\n{}",
            "|a".repeat(2),
            "|-".repeat(2),
            "x\n".repeat(9_100)
        );
        let Err(AppError::Invalid(message)) = render(&rows) else {
            panic!("past the cap is refused");
        };
        let message = message.english();
        assert!(message.contains("renders to 258 KB"), "{message}");
        // Escaped text at the length limit fits.
        let r = render(&"&".repeat(40_000)).expect("fits");
        assert!(r.html.len() <= MAX_HTML_BYTES);
    }

    #[test]
    fn stored_text_past_the_cap_becomes_preformatted_text_within_it() {
        let table = format!(
            "{}|\n{}|\n{}",
            "|a".repeat(100),
            "|-".repeat(100),
            "x\n".repeat(19_000)
        );
        let r = render_or_text(&table);
        assert!(
            r.html.starts_with("<pre class=\"too-large\">|a|a"),
            "{}",
            &r.html[..100]
        );
        assert!(r.html.len() <= MAX_HTML_BYTES);
        // Even text that escapes to more than the cap (legacy rows may be longer than today's
        // limit) is cut to fit, at a character boundary.
        let r = render_or_text(&"<é".repeat(60_000));
        assert!(r.html.len() <= MAX_HTML_BYTES, "{}", r.html.len());
        assert!(r.html.ends_with("…</pre>\n"));
        assert!(!r.html.contains("<é"));
        // Anything within the cap renders as usual.
        assert_eq!(render_or_text("*hi*").html, "<p><em>hi</em></p>\n");
    }
}

#[cfg(test)]
mod mention_tests {
    use super::*;

    #[test]
    fn mentions_are_handles_after_an_at_sign() {
        assert_eq!(
            mentioned_handles("thanks @Ana and @bob_1, see @ana again"),
            vec!["ana", "bob_1"]
        );
        // Email addresses, too-short handles and a lone @ are not mentions.
        assert!(mentioned_handles("mail me at ana@example.com").is_empty());
        assert!(mentioned_handles("@ab @ and @@xyz").is_empty());
        assert_eq!(mentioned_handles("(@carla-)"), vec!["carla"]);
    }

    #[test]
    fn known_mentions_link_to_profiles_and_the_rest_stay_text() {
        let known: HashSet<String> = ["ana".to_string()].into();
        let r = render_mentioning(
            "Hi @Ana and @nobody. `@ana` in code, [@ana](https://example.com) in a link.",
            &known,
        )
        .unwrap();
        assert_eq!(r.html.matches("href=\"/u/ana\"").count(), 1, "{}", r.html);
        assert!(r.html.contains(">@Ana</a>"), "{}", r.html);
        assert!(r.html.contains("@nobody"));
        assert!(r.html.contains("<code>@ana</code>"));
        assert!(
            r.text.contains("@Ana"),
            "the text keeps the mention: {}",
            r.text
        );
        // Hostile markup next to a mention stays text.
        let r = render_mentioning("@ana<script>alert(1)</script>", &known).unwrap();
        assert!(!r.html.contains("<script"), "{}", r.html);
    }
}
