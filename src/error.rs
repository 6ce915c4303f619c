//! One error type for every request: what the user sees (status, code, message) apart from what
//! the log sees (the cause chain). API responses are JSON `{"error","message"}`; the page
//! middleware in `http::security` re-renders the same error as a themed page for browsers.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Malformed request: unparsable JSON or form, bad query string.
    #[error("{0}")]
    BadRequest(Msg),
    /// Well-formed but invalid input: empty title, unknown category, ...
    #[error("{0}")]
    Invalid(Msg),
    /// Signing in is required (pages redirect to the sign-in page).
    #[error("{0}")]
    SignInRequired(Msg),
    /// Wrong credentials.
    #[error("{0}")]
    Unauthorized(Msg),
    #[error("{0}")]
    Forbidden(Msg),
    #[error("{0}")]
    NotFound(Msg),
    #[error("{0}")]
    MethodNotAllowed(Msg),
    #[error("{0}")]
    Conflict(Msg),
    #[error("{0}")]
    TooLarge(Msg),
    /// A rate limit: the message says when to try again; `Retry-After` carries the seconds.
    #[error("{message}")]
    TooMany { message: Msg, retry_after_secs: i64 },
    #[error("{0}")]
    Unavailable(Msg),
    /// A sign-in provider answered wrongly or could not be reached.
    #[error("{0}")]
    BadGateway(Msg),
    /// A sign-in provider did not answer in time.
    #[error("{0}")]
    GatewayTimeout(Msg),
    /// The resource lives at another URL (non-canonical thread links); not an error for users.
    #[error("moved to {0}")]
    Moved(String),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// What an error response carries for the page renderer and the API's translation (kept in the
/// response extensions).
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Machine-readable code, e.g. `not_found`.
    pub code: &'static str,
    /// Sentence for people, worded in the reader's language where it is shown.
    pub message: Msg,
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::SignInRequired(_) => "sign_in_required",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge(_) => "too_large",
            AppError::TooMany { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::BadGateway(_) => "bad_gateway",
            AppError::GatewayTimeout(_) => "gateway_timeout",
            AppError::Moved(_) => "moved",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn invalid(msg: impl Into<Msg>) -> Self {
        AppError::Invalid(msg.into())
    }
    pub fn not_found(msg: impl Into<Msg>) -> Self {
        AppError::NotFound(msg.into())
    }
    pub fn forbidden(msg: impl Into<Msg>) -> Self {
        AppError::Forbidden(msg.into())
    }

    /// What the user is told (None for a move, which is not an error).
    pub fn message(&self) -> Option<Msg> {
        Some(match self {
            AppError::BadRequest(m)
            | AppError::Invalid(m)
            | AppError::SignInRequired(m)
            | AppError::Unauthorized(m)
            | AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::MethodNotAllowed(m)
            | AppError::Conflict(m)
            | AppError::TooLarge(m)
            | AppError::TooMany { message: m, .. }
            | AppError::Unavailable(m)
            | AppError::BadGateway(m)
            | AppError::GatewayTimeout(m) => m.clone(),
            AppError::Internal(_) => crate::msg!("error-internal"),
            AppError::Moved(_) => return None,
        })
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::SignInRequired(_) | AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            AppError::GatewayTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            AppError::Moved(_) => StatusCode::MOVED_PERMANENTLY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Moved(to) = self {
            return HttpResponse::MovedPermanently()
                .insert_header(("Location", to.as_str()))
                .finish();
        }
        if let AppError::Internal(cause) = self {
            tracing::error!("internal error: {cause:?}");
        }
        let message = self
            .message()
            .unwrap_or_else(|| crate::msg!("error-internal"));
        let info = ErrorInfo {
            code: self.code(),
            message,
        };
        let mut builder = HttpResponse::build(self.status_code());
        if let AppError::TooMany {
            retry_after_secs, ..
        } = self
        {
            builder.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        let mut resp = builder.json(serde_json::json!({
            "error": info.code,
            "message": info.message.english(),
        }));
        resp.extensions_mut().insert(info);
        resp
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => AppError::NotFound(crate::msg!("error-not-found")),
            // Two requests raced to create the same thing; the loser gets a clear 409.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict(crate::msg!("error-already-exists"))
            }
            // A row points to one that is gone (deleted meanwhile), or a delete hits rows that
            // still point to it: a 409 in words; the database's own message goes to the log only.
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                tracing::warn!("foreign key violation: {}", info.message());
                AppError::Conflict(crate::msg!("error-still-in-use"))
            }
            // PostgreSQL refuses NUL bytes in text (SQLite stores them): bad input, not a crash.
            Error::DatabaseError(_, info) if info.message().contains("0x00") => {
                AppError::BadRequest(crate::msg!("error-nul-character"))
            }
            // Two transactions waited on each other (PostgreSQL picked this one to fail):
            // nothing was written, and the same request again succeeds.
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                tracing::warn!("transaction conflict: {}", info.message());
                AppError::Unavailable(crate::msg!("error-database-busy"))
            }
            Error::DatabaseError(_, info) if info.message().contains("deadlock detected") => {
                tracing::warn!("transaction conflict: {}", info.message());
                AppError::Unavailable(crate::msg!("error-database-busy"))
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        tracing::warn!("database pool: {err}");
        AppError::Unavailable(crate::msg!("error-database-busy"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {err}"))
    }
}

impl From<minijinja::Error> for AppError {
    fn from(err: minijinja::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("template: {err:#}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;
