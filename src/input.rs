//! Parsers for free text that several feature modules share: one line (names, titles) and
//! several lines (descriptions, bios, summaries). Both refuse control characters such as NUL,
//! which PostgreSQL cannot store and no person means to type.

use crate::error::{AppError, AppResult};

/// One line of text, trimmed, at most `max` characters, no control characters.
pub fn line(raw: &str, what: &str, max: usize) -> AppResult<String> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(AppError::invalid(format!(
            "{what} has at most {max} characters"
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "{what} cannot contain control characters"
        )));
    }
    Ok(t.to_string())
}

/// Several lines of text, trimmed, at most `max` characters; tabs and line breaks allowed.
pub fn multiline(raw: &str, what: &str, max: usize) -> AppResult<String> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(AppError::invalid(format!(
            "{what} has at most {max} characters"
        )));
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::invalid(format!(
            "{what} cannot contain control characters"
        )));
    }
    Ok(t.to_string())
}
