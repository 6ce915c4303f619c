//! Attachments over HTTP: uploading (the editor's drag-and-drop, paste and file button, and the
//! API), and serving each file from its own path with headers that let nothing in it run on
//! this site: a download unless it is a picture, `nosniff`, and a sandboxing CSP.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;

use super::locale;
use super::session::{check_csrf, ApiCaller, ApiUser, SignedIn, Viewer};
use super::AppState;
use crate::accounts::User;
use crate::attachments::{self, Attachment, Variant};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;

/// What an upload says about itself in the query string (the body is the file).
#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    filename: String,
    /// Pages only: the session's CSRF token (the body is the file, so it cannot carry it).
    #[serde(default)]
    csrf: String,
}

/// The CSP of every served file: no scripts, no plugins, no forms, an opaque origin.
const FILE_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; \
                        sandbox; frame-ancestors 'none'";

/// The body size the request announces (`Content-Length`), if it does.
fn declared_length(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Reads the request body up to the limit: a `Content-Length` past it is refused before a
/// byte is read, a body that grows past it (chunked) as soon as it does.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    state: &AppState,
    name: &str,
) -> AppResult<Vec<u8>> {
    let policy = &state.upload_policy;
    // A form upload's envelope (boundaries, part headers) comes on top of the file.
    let max = policy.limits.max_bytes
        + if boundary(req).is_some() {
            MULTIPART_SLACK
        } else {
            0
        };
    let declared = declared_length(req);
    let too_large =
        |size: usize| attachments::refusal(&attachments::UploadError::TooLarge, name, size, policy);
    if let Some(n) = declared {
        if n > max as u64 {
            return Err(too_large(usize::try_from(n).unwrap_or(usize::MAX)));
        }
    }
    let mut body = Vec::with_capacity(declared.map_or(64 * 1024, |n| n as usize));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest(msg!("attachments-body-broken")))?;
        if body.len() + chunk.len() > max {
            return Err(too_large(body.len() + chunk.len()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// One upload by `user`: the daily allowance (checked before the body is read, by its
/// declared size), the body, the checks and processing (off the async workers), the row.
async fn upload(
    req: &HttpRequest,
    state: &AppState,
    user: User,
    filename: String,
    payload: web::Payload,
) -> AppResult<Attachment> {
    crate::threads::visibility::ensure_can_post(&user)?;
    let name = filename.trim().to_string();
    let declared = declared_length(req).map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let policy = state.upload_policy.clone();
    let (u, p) = (user.clone(), policy.clone());
    state
        .db
        .read(move |conn| attachments::check_allowance(conn, &p, &u, declared))
        .await?;
    let body = read_body(req, payload, state, &name).await?;
    // A form upload (`curl -F file=@shot.png`): the first part that is a file.
    let (name, body) = match boundary(req) {
        Some(b) => {
            let (part_name, bytes) = multipart_file(&body, &b)
                .ok_or_else(|| AppError::BadRequest(msg!("attachments-no-file-part")))?;
            let name = if name.is_empty() { part_name } else { name };
            if bytes.len() > policy.limits.max_bytes {
                let e = attachments::UploadError::TooLarge;
                return Err(attachments::refusal(&e, &name, bytes.len(), &policy));
            }
            (name, bytes.to_vec())
        }
        None => (name, body),
    };
    let size = body.len();
    let store = state.attachments.clone();
    let db = state.db.clone();
    // Decoding a large picture takes hundreds of megabytes for a moment: as many at once as
    // there are cores, the others wait their turn.
    let _turn = PROCESSING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("upload queue: {e}")))?;
    web::block(move || -> AppResult<Attachment> {
        let processed = attachments::prepare(&policy, &body, &name)?;
        // The files first, outside the transaction: no write waits on the disk.
        attachments::store_files(&store, &processed)?;
        db.write_blocking(|conn| {
            // Again with the real size, in the write and under the uploader's row lock: two
            // uploads at once cannot both pass.
            crate::db::lock(conn, crate::db::Lock::User(user.id))?;
            attachments::check_allowance(conn, &policy, &user, size)?;
            attachments::save(conn, &user, &processed, &name)
        })
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("upload: {e}")))?
}

/// Uploads being processed at once (see `upload`).
static PROCESSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Room for a form upload's envelope past the file limit.
const MULTIPART_SLACK: usize = 16 * 1024;

/// The boundary of a `multipart/form-data` request.
fn boundary(req: &HttpRequest) -> Option<String> {
    let ct = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, params) = ct.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        let v = v.trim().trim_matches('"');
        (k.trim().eq_ignore_ascii_case("boundary") && !v.is_empty() && v.len() <= 200)
            .then(|| v.to_string())
    })
}

/// The first part of a `multipart/form-data` body that carries a file: its file name and
/// bytes.
fn multipart_file<'a>(body: &'a [u8], boundary: &str) -> Option<(String, &'a [u8])> {
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut at = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    loop {
        // After a delimiter: "--" ends the body, else CRLF and the part's headers.
        if body.get(at..at + 2) == Some(b"--") {
            return None;
        }
        let head_start = at + 2;
        let head_end = find(body, b"\r\n\r\n", head_start)?;
        let head = String::from_utf8_lossy(&body[head_start..head_end]);
        let data_start = head_end + 4;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), data_start)?;
        let filename = head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            if !name.trim().eq_ignore_ascii_case("content-disposition") {
                return None;
            }
            value.split(';').find_map(|p| {
                let (k, v) = p.split_once('=')?;
                (k.trim().eq_ignore_ascii_case("filename"))
                    .then(|| v.trim().trim_matches('"').to_string())
            })
        });
        if let Some(name) = filename {
            return Some((name, &body[data_start..next]));
        }
        at = next + 2 + delimiter.len();
    }
}

/// What an upload returns: the attachment and the Markdown that shows it in a post, its
/// size worded in the reader's language.
fn uploaded_json(req: &HttpRequest, state: &AppState, a: &Attachment) -> HttpResponse {
    let locale = locale::of_request(req, state);
    let (n, unit) = attachments::size_parts(a.size_bytes);
    let size = state
        .theme
        .catalog
        .text(&locale.lang, &Msg::new(unit).arg("n", n));
    let markdown = if a.is_image() {
        let alt = a
            .filename
            .rsplit_once('.')
            .map_or(a.filename.as_str(), |(s, _)| s)
            .replace(['[', ']'], "");
        format!("![{alt}]({})", a.url())
    } else {
        format!(
            "[{}]({}) ({size})",
            a.filename.replace(['[', ']'], ""),
            a.url()
        )
    };
    let mut body = attachment_json(a);
    body["size"] = json!(size);
    body["markdown"] = json!(markdown);
    HttpResponse::Created()
        .insert_header((header::LOCATION, a.url()))
        .json(body)
}

/// An attachment as the API shows it.
fn attachment_json(a: &Attachment) -> serde_json::Value {
    json!({
        "id": a.id,
        "url": a.url(),
        "thumbnail_url": a.thumbnail_url(),
        "filename": a.filename,
        "mime": a.mime,
        "kind": a.kind,
        "size_bytes": a.size_bytes,
        "width": a.width,
        "height": a.height,
    })
}

/// `POST /attachments?filename=…&csrf=…` from the editor (the body is the file).
pub async fn page_upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, viewer): SignedIn,
    q: web::Query<UploadQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(&q.csrf);
    check_csrf(&viewer.session, token)?;
    let a = upload(&req, &state, user, q.filename, payload).await?;
    Ok(uploaded_json(&req, &state, &a))
}

/// `POST /api/v1/attachments?filename=…` (the body is the file).
pub async fn api_upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    q: web::Query<UploadQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let a = upload(&req, &state, user, q.into_inner().filename, payload).await?;
    Ok(uploaded_json(&req, &state, &a))
}

/// The viewer of a file request: an API token's user when the request carries one, else the
/// session's.
async fn who(req: &HttpRequest, viewer: Viewer) -> AppResult<Option<User>> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        let mut payload = actix_web::dev::Payload::None;
        let ApiCaller(user) =
            <ApiCaller as actix_web::FromRequest>::from_request(req, &mut payload).await?;
        return Ok(user);
    }
    Ok(viewer.user)
}

/// `GET /api/v1/attachments/{id}`: what an attachment is, for those who may fetch it.
pub async fn api_show(
    state: web::Data<AppState>,
    ApiCaller(user): ApiCaller,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let a = state
        .db
        .read(move |conn| crate::threads::visibility::visible_attachment(conn, id, user.as_ref()))
        .await?;
    let mut body = attachment_json(&a);
    body["post_id"] = json!(a.post_id);
    body["comment_id"] = json!(a.comment_id);
    body["created_at"] = json!(a.created_at);
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /attachments/{id}/{name}`: the file; `…/thumb`: its thumbnail.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    let (id, name) = path.into_inner();
    let user = who(&req, viewer).await?;
    let a = state
        .db
        .read(move |conn| crate::threads::visibility::visible_attachment(conn, id, user.as_ref()))
        .await?;
    let variant = if name == "thumb" {
        if !a.is_image() {
            return Err(AppError::not_found(msg!("attachments-not-found")));
        }
        Variant::Thumbnail
    } else {
        Variant::Original
    };
    let etag = format!(
        "\"{}{}\"",
        &a.sha256,
        if variant == Variant::Thumbnail {
            "t"
        } else {
            ""
        }
    );
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag.clone()))
        // Private: whether it may be seen depends on who asks, and can change (a post hidden).
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .insert_header((header::CONTENT_SECURITY_POLICY, FILE_CSP))
        .insert_header(("Cross-Origin-Resource-Policy", "same-origin"));
    if let Some(v) = disposition(&a, variant) {
        res.insert_header((header::CONTENT_DISPOSITION, v));
    }
    if not_modified {
        return Ok(res.finish());
    }
    let store = state.attachments.clone();
    let sha = a.sha256.clone();
    let bytes = web::block(move || store.read(&sha, variant))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("attachment read: {e}")))?
        .map_err(|e| {
            tracing::error!("attachment {} has no file: {e}", a.id);
            AppError::not_found(msg!("attachments-not-found"))
        })?;
    let mime = match variant {
        Variant::Thumbnail => "image/jpeg",
        // Text types as plain text: nothing a browser would render as a page or a picture.
        Variant::Original if a.inline() => a.mime.as_str(),
        Variant::Original if a.mime.starts_with("text/") || a.mime.contains("svg") => {
            "text/plain; charset=utf-8"
        }
        Variant::Original => a.mime.as_str(),
    };
    Ok(res.content_type(mime).body(bytes))
}

/// `inline` for pictures, `attachment` (a download) for everything else, with the file's name.
fn disposition(a: &Attachment, variant: Variant) -> Option<HeaderValue> {
    let kind = if a.inline() || variant == Variant::Thumbnail {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = a
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String = a
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .ok()
}
