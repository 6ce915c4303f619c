//! Parsers for free text that several feature modules share: one line (names, titles) and
//! several lines (descriptions, bios, summaries). Both refuse control characters such as NUL,
//! which PostgreSQL cannot store and no person means to type.
//!
//! `field` names the field in the messages (`input-too-long`, `input-control-characters`,
//! which word each field with a select): a key such as `category-name`.

use crate::error::{AppError, AppResult};
use crate::msg;

/// One line of text, trimmed, at most `max` characters, no control characters.
pub fn line(raw: &str, field: &'static str, max: usize) -> AppResult<String> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(too_long(field, max));
    }
    if t.chars().any(char::is_control) {
        return Err(control_characters(field));
    }
    Ok(t.to_string())
}

/// Several lines of text, trimmed, at most `max` characters; tabs and line breaks allowed.
pub fn multiline(raw: &str, field: &'static str, max: usize) -> AppResult<String> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(too_long(field, max));
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(control_characters(field));
    }
    Ok(t.to_string())
}

fn too_long(field: &'static str, max: usize) -> AppError {
    AppError::invalid(msg!("input-too-long", field = field, max = max))
}

fn control_characters(field: &'static str) -> AppError {
    AppError::invalid(msg!("input-control-characters", field = field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(e: AppError) -> String {
        e.message().expect("a message").english()
    }

    #[test]
    fn fields_are_named_in_the_messages() {
        assert_eq!(
            english(line(&"x".repeat(81), "category-name", 80).unwrap_err()),
            "a category name has at most 80 characters"
        );
        assert_eq!(
            english(multiline("a\u{0}b", "note", 10).unwrap_err()),
            "the note cannot contain control characters"
        );
        assert_eq!(
            english(line(&"x".repeat(1001), "versions-list", 1000).unwrap_err()),
            "the versions list has at most 1,000 characters"
        );
        assert_eq!(line("  ok \n", "name", 80).unwrap(), "ok");
        assert_eq!(multiline(" a\nb ", "bio", 80).unwrap(), "a\nb");
    }
}
