//! Text for XML documents (sitemaps, feeds).

/// Text and attribute values; characters XML 1.0 does not allow are left out.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_markup_never_break_the_document() {
        assert_eq!(
            escape("a\u{1}b<c>&\"'\u{ffff}"),
            "ab&lt;c&gt;&amp;&quot;&apos;"
        );
    }
}
