//! User input for threads, parsed once into types that are valid by construction.

use crate::error::{AppError, AppResult};

/// Longest markdown body accepted (characters); longer gets 413.
pub const MAX_BODY_CHARS: usize = 40_000;

fn no_control(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// A question title: 10–150 characters on one line.
#[derive(Debug, Clone)]
pub struct Title(String);

impl Title {
    pub fn parse(raw: &str) -> AppResult<Title> {
        let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = t.chars().count();
        if n < 10 {
            return Err(AppError::invalid(
                "the title needs at least 10 characters: say what goes wrong",
            ));
        }
        if n > 150 {
            return Err(AppError::invalid("the title has at most 150 characters"));
        }
        if !no_control(&t) {
            return Err(AppError::invalid(
                "the title cannot contain control characters",
            ));
        }
        Ok(Title(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A markdown body of a question or answer: not blank, at most `MAX_BODY_CHARS`.
#[derive(Debug, Clone)]
pub struct MarkdownBody(String);

impl MarkdownBody {
    pub fn parse(raw: &str) -> AppResult<MarkdownBody> {
        let body = raw.replace("\r\n", "\n");
        let body = body.trim_end();
        if body.trim().is_empty() {
            return Err(AppError::invalid("the text is empty"));
        }
        let n = body.chars().count();
        if n > MAX_BODY_CHARS {
            return Err(AppError::TooLarge(
                format!("the text has {n} characters; the limit is {MAX_BODY_CHARS}").into(),
            ));
        }
        if body.contains('\0') {
            return Err(AppError::invalid("the text cannot contain NUL characters"));
        }
        Ok(MarkdownBody(body.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A comment: 2–600 characters of markdown.
#[derive(Debug, Clone)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> AppResult<CommentBody> {
        let body = raw.trim();
        let n = body.chars().count();
        if n < 2 {
            return Err(AppError::invalid("the comment is empty"));
        }
        if n > 600 {
            return Err(AppError::invalid("a comment has at most 600 characters"));
        }
        if body.contains('\0') {
            return Err(AppError::invalid(
                "the comment cannot contain NUL characters",
            ));
        }
        Ok(CommentBody(body.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
