//! Turns actix's extractor errors (bad JSON, bad forms, bad paths, bodies over the limit) into
//! `AppError`s with messages people can act on, and renders errors as themed pages for browsers.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use super::render::page_response;
use super::AppState;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Msg;
use crate::msg;

pub fn form_error(e: &UrlencodedError) -> AppError {
    match e {
        UrlencodedError::Overflow { .. }
        | UrlencodedError::Payload(actix_web::error::PayloadError::Overflow) => {
            AppError::TooLarge(msg!("request-form-too-large"))
        }
        UrlencodedError::ContentType => AppError::BadRequest(msg!("request-form-content-type")),
        other => AppError::BadRequest(msg!("request-form-unreadable", detail = other.to_string())),
    }
}

pub fn json_error(e: JsonPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    let err = match &e {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            AppError::TooLarge(msg!("request-body-too-large"))
        }
        JsonPayloadError::ContentType => AppError::BadRequest(msg!("request-json-content-type")),
        JsonPayloadError::Deserialize(d) => {
            AppError::BadRequest(msg!("request-json-invalid", detail = d.to_string()))
        }
        other => AppError::BadRequest(msg!("request-json-unreadable", detail = other.to_string())),
    };
    err.into()
}

pub fn form_config_error(e: UrlencodedError, _: &actix_web::HttpRequest) -> actix_web::Error {
    form_error(&e).into()
}

pub fn query_error(e: QueryPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::BadRequest(msg!("request-query-invalid", detail = e.to_string())).into()
}

pub fn path_error(_: PathError, _: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::NotFound(msg!("error-no-such-page")).into()
}

/// Known paths with an unsupported method.
pub async fn method_not_allowed() -> Result<HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed(msg!(
        "request-method-not-allowed"
    )))
}

/// Fallback for unknown routes.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound(msg!("error-no-such-page")))
}

/// Middleware: for pages (not `/api/`), errors become themed pages, and "sign in required"
/// becomes a redirect to the sign-in page that comes back here afterwards.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    // The editor's upload endpoint is called by the page script, which shows the message.
    let is_api = req.path().starts_with("/api/") || req.path() == "/attachments";
    let res = next.call(req).await?;
    let info = res.response().extensions().get::<ErrorInfo>().cloned();
    let Some(info) = info else {
        return Ok(res.map_into_boxed_body().map_into_left_body());
    };
    if is_api {
        return Ok(api_error_in_language(res, &info).map_into_right_body());
    }
    let status = res.status();
    let (req, old) = res.into_parts();
    // Cookies the handler set (e.g. a sign-in cleared from the session) survive the themed page.
    let cookies: Vec<header::HeaderValue> =
        old.headers().get_all(header::SET_COOKIE).cloned().collect();
    // A rate limit's wait stays machine-readable on the themed page too.
    let retry_after = old.headers().get(header::RETRY_AFTER).cloned();
    if info.code == "sign_in_required" && req.method() == actix_web::http::Method::GET {
        let next_url = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{}", req.path(), q),
        };
        let location = format!("/login?next={}", urlencode(&next_url));
        let resp = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(ServiceResponse::new(req, resp).map_into_right_body());
    }
    let mut resp = match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let locale = super::locale::of_request(&req, state);
            let message = state.theme.catalog.text(&locale.lang, &info.message);
            let page = ErrorPage {
                code: info.code,
                message: &message,
            };
            page_response(state, &req, None, "error.html", &page, Msg::text(&message))
                .map(|mut r| {
                    *r.status_mut() = status;
                    r
                })
                .unwrap_or_else(|_| HttpResponse::build(status).body(message))
        }
        None => HttpResponse::build(status).body(info.message.english()),
    };
    for cookie in cookies {
        resp.headers_mut().append(header::SET_COOKIE, cookie);
    }
    if let Some(v) = retry_after {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(ServiceResponse::new(req, resp).map_into_right_body())
}

/// What the error page shows.
#[derive(serde::Serialize)]
struct ErrorPage<'a> {
    code: &'static str,
    message: &'a str,
}

/// An API error's `message` in the request's language (`Accept-Language`); `error` stays the
/// stable English code.
fn api_error_in_language<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
    info: &ErrorInfo,
) -> ServiceResponse<BoxBody> {
    let (req, old) = res.into_parts();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return ServiceResponse::new(req, old.map_into_boxed_body());
    };
    let locale = super::locale::of_request(&req, state);
    let message = state.theme.catalog.text(&locale.lang, &info.message);
    let mut resp = HttpResponse::build(old.status()).json(serde_json::json!({
        "error": info.code,
        "message": message,
    }));
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            resp.headers_mut().append(name.clone(), value.clone());
        }
    }
    resp.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Accept-Language"),
    );
    resp.extensions_mut().insert(info.clone());
    ServiceResponse::new(req, resp)
}

/// Percent-encodes a string for a query parameter.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
