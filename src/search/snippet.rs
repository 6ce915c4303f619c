//! Snippets: the stretch of a stored text where the query's words are, escaped, with `<mark>`
//! around each of them.
//!
//! A word is marked when the document language's analyzer turns it into one of the query's
//! terms, as in the index. Running the analyzer (its stemmer) over whole answers cost more than
//! ranking a one-word query, so words are split cheaply first and only those that begin like a
//! query term are analysed.

use tantivy::tokenizer::TextAnalyzer;

use crate::render::theme::escape_html;

/// Bytes of a text looked at for a snippet.
const SEARCHED_BYTES: usize = 20_000;
/// Marked words tried as the start of the snippet's window.
const MAX_WINDOWS: usize = 40;
/// Characters shown before the first marked word of the snippet.
const LEAD_IN_CHARS: usize = 40;

/// A word of the text: its byte range.
struct Word {
    start: usize,
    end: usize,
}

/// The query's terms, and the folded first letters they are recognised by.
pub struct Terms<'a> {
    terms: &'a [String],
    prefixes: Vec<String>,
}

impl<'a> Terms<'a> {
    pub fn new(terms: &'a [String]) -> Terms<'a> {
        let prefixes = terms
            .iter()
            .map(|t| fold(t).chars().take(2).collect())
            .collect();
        Terms { terms, prefixes }
    }
}

/// Lower case without German umlauts and ß, which the German stemmer removes too.
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The words of `text` (runs of letters and digits, as the index's tokenizer splits them).
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word { start: s, end: i });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
        });
    }
    out
}

/// Whether `analyzer` turns `word` into one of the terms (the index's own test).
fn is_term(analyzer: &mut TextAnalyzer, word: &str, terms: &Terms) -> bool {
    let folded = fold(word);
    if !terms
        .prefixes
        .iter()
        .any(|p| folded.starts_with(p.as_str()))
    {
        return false;
    }
    let mut stream = analyzer.token_stream(word);
    let mut hit = false;
    while let Some(token) = stream.next() {
        hit |= terms.terms.contains(&token.text);
    }
    hit
}

/// A snippet of at most about `max_chars` characters, or None if no word of the query occurs.
pub fn html(
    text: &str,
    terms: &Terms,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
) -> Option<String> {
    let mut end = SEARCHED_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text_head = &text[..end];
    let all = words(text_head);
    let marked: Vec<&Word> = all
        .iter()
        .filter(|w| is_term(analyzer, &text_head[w.start..w.end], terms))
        .collect();
    if marked.is_empty() {
        return None;
    }
    // The window holding the most different marked words (then the most marks), starting a
    // little before its first mark.
    let span = |from: usize| -> (usize, usize) {
        let start = back_chars(text_head, marked[from].start, LEAD_IN_CHARS);
        let first = all.partition_point(|w| w.start < start);
        let start = all.get(first).map_or(start, |w| w.start);
        (start, forward_chars(text_head, start, max_chars))
    };
    let mut best = (0usize, 0usize, 0usize);
    // Windows starting at the first marks are enough to choose from (a text full of marks
    // would otherwise cost marks × marks).
    for from in 0..marked.len().min(MAX_WINDOWS) {
        let (_, stop) = span(from);
        let inside: Vec<&str> = marked[from..]
            .iter()
            .take_while(|w| w.end <= stop)
            .map(|w| &text_head[w.start..w.end])
            .collect();
        let mut distinct: Vec<String> = inside.iter().map(|w| fold(w)).collect();
        distinct.sort();
        distinct.dedup();
        if (distinct.len(), inside.len()) > (best.1, best.2) {
            best = (from, distinct.len(), inside.len());
        }
    }
    let (start, mut stop) = span(best.0);
    if stop < text.len() {
        // Cut after the last whole word that fits.
        let fitting = all.partition_point(|w| w.end <= stop);
        if fitting > 0 {
            stop = all[fitting - 1].end.max(start);
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for w in marked.iter().filter(|w| w.start >= start && w.end <= stop) {
        out.push_str(&escape_html(&text_head[at..w.start]));
        out.push_str("<mark>");
        out.push_str(&escape_html(&text_head[w.start..w.end]));
        out.push_str("</mark>");
        at = w.end;
    }
    out.push_str(&escape_html(&text_head[at..stop]));
    if stop < text.len() {
        out.push('…');
    }
    Some(out)
}

/// The byte index `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte index `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::{register_tokenizers, Lang};

    fn analyzer(lang: Lang) -> TextAnalyzer {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        register_tokenizers(&index);
        index
            .tokenizers()
            .get(lang.tokenizer_name())
            .expect("registered")
    }

    #[test]
    fn marks_every_form_of_the_query_words_and_escapes_the_rest() {
        let mut en = analyzer(Lang::En);
        let terms = vec!["router".to_string(), "restart".to_string()];
        let t = Terms::new(&terms);
        let html = html(
            "After the update <b>Routers</b> restarted twice & the router restarts.",
            &t,
            &mut en,
            220,
        )
        .expect("snippet");
        assert_eq!(
            html,
            "After the update &lt;b&gt;<mark>Routers</mark>&lt;/b&gt; <mark>restarted</mark> twice &amp; the <mark>router</mark> <mark>restarts</mark>."
        );
        assert_eq!(super::html("Nothing here", &t, &mut en, 220), None);
        // "route" begins like "router" but is another term.
        assert_eq!(super::html("route planning", &t, &mut en, 220), None);
    }

    #[test]
    fn german_words_with_umlauts_are_found_and_long_texts_are_cut_near_the_match() {
        let mut de = analyzer(Lang::De);
        let terms = vec!["kennwort".to_string()];
        let t = Terms::new(&terms);
        let text = format!(
            "{} Die Kennwörter sind weg. {}",
            "Vorher ".repeat(80),
            "Nachher ".repeat(80)
        );
        let html = html(&text, &t, &mut de, 120).expect("snippet");
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>Kennwörter</mark>"), "{html}");
        assert!(html.chars().count() < 160, "{html}");
    }

    #[test]
    fn the_window_with_most_different_words_wins() {
        let mut en = analyzer(Lang::En);
        let terms = vec!["printer".to_string(), "driver".to_string()];
        let t = Terms::new(&terms);
        let text = format!("printer {} the printer driver is old", "filler ".repeat(60));
        let html = html(&text, &t, &mut en, 60).expect("snippet");
        assert!(
            html.contains("<mark>printer</mark> <mark>driver</mark>"),
            "{html}"
        );
    }
}
