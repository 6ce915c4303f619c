//! One error type for every request: what the user sees (status, code, message) apart from what
//! the log sees (the cause chain). API responses are JSON `{"error","message"}`; the page
//! middleware in `http::security` re-renders the same error as a themed page for browsers.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Malformed request: unparsable JSON or form, bad query string.
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but invalid input: empty title, unknown category, ...
    #[error("{0}")]
    Invalid(String),
    /// Signing in is required (pages redirect to the sign-in page).
    #[error("{0}")]
    SignInRequired(String),
    /// Wrong credentials.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooLarge(String),
    /// A rate limit: the message says when to try again; `Retry-After` carries the seconds.
    #[error("{message}")]
    TooMany {
        message: String,
        retry_after_secs: i64,
    },
    #[error("{0}")]
    Unavailable(String),
    /// A sign-in provider answered wrongly or could not be reached.
    #[error("{0}")]
    BadGateway(String),
    /// A sign-in provider did not answer in time.
    #[error("{0}")]
    GatewayTimeout(String),
    /// The resource lives at another URL (non-canonical thread links); not an error for users.
    #[error("moved to {0}")]
    Moved(String),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// What an error response carries for the page renderer (kept in the response extensions).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    /// Machine-readable code, e.g. `not_found`.
    pub code: &'static str,
    /// Sentence for people.
    pub message: String,
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

    pub fn invalid(msg: impl Into<String>) -> Self {
        AppError::Invalid(msg.into())
    }
    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }
    pub fn forbidden(msg: impl Into<String>) -> Self {
        AppError::Forbidden(msg.into())
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
        let info = ErrorInfo {
            code: self.code(),
            message: self.to_string(),
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
            "message": info.message,
        }));
        resp.extensions_mut().insert(info);
        resp
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => AppError::NotFound("not found".into()),
            // Two requests raced to create the same thing; the loser gets a clear 409.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("that already exists (someone may have just created it)".into())
            }
            // A row points to one that is gone (deleted meanwhile), or a delete hits rows that
            // still point to it: a 409 in words; the database's own message goes to the log only.
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                tracing::warn!("foreign key violation: {}", info.message());
                AppError::Conflict(
                    "this refers to something that no longer exists, or is still in use by other records"
                        .into(),
                )
            }
            // PostgreSQL refuses NUL bytes in text (SQLite stores them): bad input, not a crash.
            Error::DatabaseError(_, info) if info.message().contains("0x00") => {
                AppError::BadRequest("text cannot contain NUL characters".into())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        tracing::warn!("database pool: {err}");
        AppError::Unavailable("the database is busy or unreachable; try again shortly".into())
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
