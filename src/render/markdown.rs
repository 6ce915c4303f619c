//! The markdown pipeline, run once at write time: pulldown-cmark (CommonMark + tables,
//! strikethrough, task lists, footnotes), raw HTML turned into text, nesting capped, then ammonia.
//! The result is stored with `RENDER_VERSION` so `peerdesk rerender` can re-cook old posts.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Bump when the output of `render` changes; `peerdesk rerender` re-renders older rows.
pub const RENDER_VERSION: i32 = 1;

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

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Renders untrusted markdown to sanitised HTML and plain text.
pub fn render(markdown: &str) -> Rendered {
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
    let mut raw_html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw_html, events);
    let html = sanitizer().clean(&raw_html).to_string();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Rendered { html, text }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let r = render("Use Vec<String> here <b>bold</b>");
        assert!(r.html.contains("Vec&lt;String&gt;"), "{}", r.html);
        assert!(!r.html.contains("<b>"), "{}", r.html);
        assert!(r.text.contains("Vec<String>"));
    }

    #[test]
    fn scripts_handlers_and_bad_urls_never_survive() {
        let hostile =
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) \
                       ![i](javascript:alert(2))\n\n<img src=x onerror=alert(1)>";
        let r = render(hostile);
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
        let r = render("```rust\nfn main() {}\n```");
        assert!(
            r.html.contains("<code class=\"language-rust\">"),
            "{}",
            r.html
        );
        let r = render("```\" onclick=\"x\nboom\n```");
        assert!(!r.html.contains("onclick"), "{}", r.html);
    }

    #[test]
    fn links_get_nofollow_and_extensions_work() {
        let r = render(
            "[a](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~",
        );
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
        let r = render("Claim[^a] and another[^b].\n\n[^a]: Source one.\n[^b]: Source two.");
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
        let r = render("x[^\"><script>]\n\n[^\"><script>]: y");
        assert!(!r.html.contains("<script"), "{}", r.html);
    }

    #[test]
    fn table_alignment_uses_only_the_three_allowed_styles() {
        let r = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |");
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
        let r = render(&deep);
        assert!(r.html.matches("<blockquote>").count() <= MAX_DEPTH);
        assert!(r.text.contains("hi"));
        let nested_list = (0..3000)
            .map(|i| format!("{}- x", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n");
        let r = render(&nested_list);
        assert!(r.html.matches("<ul>").count() <= MAX_DEPTH);
    }
}
