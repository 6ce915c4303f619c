//! User input for threads, parsed once into types that are valid by construction.

use crate::error::{AppError, AppResult};
use crate::msg;

/// Longest markdown body accepted (characters); longer gets 413.
pub const MAX_BODY_CHARS: usize = 40_000;

fn no_control(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

const MIN_TITLE_CHARS: usize = 10;
const MAX_TITLE_CHARS: usize = 150;

/// A question title: 10–150 characters on one line.
#[derive(Debug, Clone)]
pub struct Title(String);

impl Title {
    pub fn parse(raw: &str) -> AppResult<Title> {
        let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = t.chars().count();
        if n < MIN_TITLE_CHARS {
            return Err(AppError::invalid(msg!(
                "threads-title-too-short",
                min = MIN_TITLE_CHARS
            )));
        }
        if n > MAX_TITLE_CHARS {
            return Err(AppError::invalid(msg!(
                "threads-title-too-long",
                max = MAX_TITLE_CHARS
            )));
        }
        if !no_control(&t) {
            return Err(AppError::invalid(msg!("threads-title-control-characters")));
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
            return Err(AppError::invalid(msg!("threads-text-empty")));
        }
        let n = body.chars().count();
        if n > MAX_BODY_CHARS {
            return Err(AppError::TooLarge(msg!(
                "threads-text-too-long",
                count = n,
                max = MAX_BODY_CHARS
            )));
        }
        if body.contains('\0') {
            return Err(AppError::invalid(msg!("threads-text-nul")));
        }
        Ok(MarkdownBody(body.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const MAX_COMMENT_CHARS: usize = 600;

/// A comment: 2–600 characters of markdown.
#[derive(Debug, Clone)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> AppResult<CommentBody> {
        let body = raw.trim();
        let n = body.chars().count();
        if n < 2 {
            return Err(AppError::invalid(msg!("threads-comment-empty")));
        }
        if n > MAX_COMMENT_CHARS {
            return Err(AppError::invalid(msg!(
                "threads-comment-too-long",
                max = MAX_COMMENT_CHARS
            )));
        }
        if body.contains('\0') {
            return Err(AppError::invalid(msg!("threads-comment-nul")));
        }
        Ok(CommentBody(body.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
