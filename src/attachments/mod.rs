//! Files attached to questions, answers and comments: the upload rules (size, type, pixels, a
//! daily allowance per member), their rows and their bytes on disk by content hash, which post
//! or comment each ended up in (and letting go of those an edit no longer links to), and
//! removing uploads that were never posted. Who may fetch one
//! follows its post and is decided in `threads` (above this module).

pub mod process;
pub mod store;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::User;
use crate::config::AttachmentSettings;
use crate::db::schema::{attachments, held_edits};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::render::markdown::{attachment_refs, MAX_REFS};

pub use process::{Kind, Limits, Processed, UploadError};
pub use store::{Store, Variant};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    pub id: i64,
    pub uploader_id: i64,
    #[serde(skip)]
    pub sha256: String,
    pub filename: String,
    pub mime: String,
    pub kind: String,
    pub size_bytes: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub post_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.kind == Kind::Image.as_str()
    }

    /// Where it is served: its id and a readable name (the name is for people and downloads;
    /// the id alone decides what is served).
    pub fn url(&self) -> String {
        format!("/attachments/{}/{}", self.id, url_segment(&self.filename))
    }

    pub fn thumbnail_url(&self) -> Option<String> {
        self.is_image()
            .then(|| format!("/attachments/{}/thumb", self.id))
    }

    /// Whether a browser may show it in place: pictures only. Everything else (HTML, SVG, PDF,
    /// text) is a download, so nothing in it runs on this site's origin.
    pub fn inline(&self) -> bool {
        self.is_image()
    }
}

/// A file name as one URL path segment (percent-encoded).
fn url_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The upload rules of `[attachments]`.
#[derive(Debug, Clone)]
pub struct Policy {
    pub limits: Limits,
    pub daily_bytes: i64,
    pub daily_files: i64,
    pub orphan_hours: i64,
}

impl Policy {
    pub fn new(s: &AttachmentSettings) -> Policy {
        Policy {
            limits: Limits {
                max_bytes: s.max_file_bytes(),
                max_pixels: u64::from(s.max_megapixels) * 1_000_000,
            },
            daily_bytes: i64::from(s.daily_mb_per_user) << 20,
            daily_files: i64::from(s.daily_files_per_user),
            orphan_hours: i64::from(s.orphan_hours),
        }
    }
}

fn megabytes(bytes: u64) -> f64 {
    (bytes as f64 / f64::from(1 << 20) * 10.0).round() / 10.0
}

/// The message for a refused upload of `name` (`size` bytes).
pub fn refusal(e: &UploadError, name: &str, size: usize, policy: &Policy) -> AppError {
    let limit_mb = megabytes(policy.limits.max_bytes as u64);
    match e {
        UploadError::Empty => AppError::invalid(msg!("attachments-empty", name = name)),
        UploadError::TooLarge => AppError::TooLarge(msg!(
            "attachments-too-large",
            name = name,
            mb = megabytes(size as u64),
            limit = limit_mb
        )),
        UploadError::NotAllowed => AppError::invalid(msg!("attachments-not-allowed", name = name)),
        UploadError::Corrupt => AppError::invalid(msg!("attachments-corrupt", name = name)),
        UploadError::TooManyPixels { width, height } => AppError::invalid(msg!(
            "attachments-too-many-pixels",
            name = name,
            width = i64::from(*width),
            height = i64::from(*height),
            limit = (policy.limits.max_pixels / 1_000_000) as i64
        )),
    }
}

/// Refuses an upload of `size` bytes that would take `user` past the daily allowance (staff,
/// moderators and admins have none). Counted from the rows, so it holds across nodes and
/// restarts.
pub fn check_allowance(
    conn: &mut DbConn,
    policy: &Policy,
    user: &User,
    size: usize,
) -> AppResult<()> {
    if user.role().can_moderate() || user.role().is_staff() {
        return Ok(());
    }
    let since = now() - chrono::TimeDelta::hours(24);
    let recent: Vec<(i64, NaiveDateTime)> = attachments::table
        .filter(attachments::uploader_id.eq(user.id))
        .filter(attachments::created_at.gt(since))
        .select((attachments::size_bytes, attachments::created_at))
        .order(attachments::created_at.asc())
        .load(conn)?;
    let used: i64 = recent.iter().map(|r| r.0).sum();
    let files = recent.len() as i64;
    // Room again once the oldest upload of the window is a day old.
    let retry = |at: Option<&(i64, NaiveDateTime)>| {
        at.map_or(3600, |(_, t)| {
            (*t + chrono::TimeDelta::hours(24) - now())
                .num_seconds()
                .max(60)
        })
    };
    if files >= policy.daily_files {
        return Err(AppError::TooMany {
            message: msg!("attachments-daily-files", count = files),
            retry_after_secs: retry(recent.first()),
        });
    }
    if used.saturating_add(size as i64) > policy.daily_bytes {
        return Err(AppError::TooMany {
            message: msg!(
                "attachments-daily-bytes",
                limit = megabytes(policy.daily_bytes as u64),
                used = megabytes(used.max(0) as u64)
            ),
            retry_after_secs: retry(recent.first()),
        });
    }
    Ok(())
}

/// Checks and prepares the bytes of an upload (CPU work: run it off the async workers).
pub fn prepare(policy: &Policy, data: &[u8], filename: &str) -> AppResult<Processed> {
    let name = display_name(filename);
    process::process(data, filename, &policy.limits)
        .map_err(|e| refusal(&e, &name, data.len(), policy))
}

/// The name a refusal quotes: the base name, short.
fn display_name(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base.chars().filter(|c| !c.is_control()).take(80).collect();
    if name.trim().is_empty() {
        "file".into()
    } else {
        name
    }
}

/// Keeps a prepared upload's files in `store` (before its row: `save`).
pub fn store_files(store: &Store, p: &Processed) -> AppResult<()> {
    let stored = store
        .put(&p.sha256, Variant::Original, &p.bytes)
        .and_then(|()| match &p.thumbnail {
            Some(t) => store.put(&p.sha256, Variant::Thumbnail, t),
            None => Ok(()),
        });
    stored.map_err(|e| {
        tracing::error!("an attachment could not be stored: {e}");
        AppError::Unavailable(msg!("attachments-not-stored"))
    })
}

/// The row of an upload whose files are stored (not posted yet).
pub fn save(
    conn: &mut DbConn,
    uploader: &User,
    p: &Processed,
    filename: &str,
) -> AppResult<Attachment> {
    let name = process::safe_filename(filename, p.ext);
    Ok(diesel::insert_into(attachments::table)
        .values((
            attachments::uploader_id.eq(uploader.id),
            attachments::sha256.eq(&p.sha256),
            attachments::filename.eq(&name),
            attachments::mime.eq(p.mime),
            attachments::kind.eq(p.kind.as_str()),
            attachments::size_bytes.eq(p.bytes.len() as i64),
            attachments::width.eq(p.width.and_then(|w| i32::try_from(w).ok())),
            attachments::height.eq(p.height.and_then(|h| i32::try_from(h).ok())),
            attachments::created_at.eq(now()),
        ))
        .returning(attachments::all_columns)
        .get_result::<Attachment>(conn)?)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Attachment> {
    attachments::table
        .find(id)
        .select(Attachment::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("attachments-not-found")))
}

/// Where an attachment a text links to ends up.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Post(i64),
    Comment(i64),
}

/// Gives `owner` the uploads of `uploader` that `markdown` links to and that are not posted
/// yet. Links to others' files, or to files already in another post, change nothing (those
/// stay as visible as their own post).
pub fn claim(conn: &mut DbConn, uploader_id: i64, owner: Owner, markdown: &str) -> AppResult<()> {
    let ids = attachment_refs(markdown);
    if ids.is_empty() {
        return Ok(());
    }
    let q = diesel::update(attachments::table)
        .filter(attachments::id.eq_any(&ids))
        .filter(attachments::uploader_id.eq(uploader_id))
        .filter(attachments::post_id.is_null())
        .filter(attachments::comment_id.is_null());
    match owner {
        Owner::Post(id) => q.set(attachments::post_id.eq(Some(id))).execute(conn)?,
        Owner::Comment(id) => q.set(attachments::comment_id.eq(Some(id))).execute(conn)?,
    };
    Ok(())
}

/// Lets go of the files `post_id` holds that its new text (`markdown`) no longer links to,
/// whoever uploaded them: from then on they are unposted uploads — their uploader (and
/// moderators) may still open them, and an edit that links them again takes them back — and
/// `remove_orphans` deletes them once `orphan_hours` have passed since the upload. This is how
/// an author takes a screenshot back: edit its link out.
pub fn release_unlinked(conn: &mut DbConn, post_id: i64, markdown: &str) -> AppResult<usize> {
    let linked = attachment_refs(markdown);
    // A text at the reading limit may link to more than were read: let go of none.
    if linked.len() >= MAX_REFS {
        return Ok(0);
    }
    Ok(diesel::update(
        attachments::table
            .filter(attachments::post_id.eq(post_id))
            .filter(attachments::id.ne_all(&linked)),
    )
    .set(attachments::post_id.eq(None::<i64>))
    .execute(conn)?)
}

/// How many attachments a post and its comments have (for the post's attachment count, and
/// tests).
pub fn of_post(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<Attachment>> {
    Ok(attachments::table
        .filter(attachments::post_id.eq(post_id))
        .select(Attachment::as_select())
        .order(attachments::id.asc())
        .load(conn)?)
}

/// Removes uploads never posted within `policy.orphan_hours`, and their files once no row
/// needs them. Returns how many rows went.
pub fn remove_orphans(conn: &mut DbConn, store: &Store, policy: &Policy) -> AppResult<usize> {
    let before = now() - chrono::TimeDelta::hours(policy.orphan_hours);
    let orphans: Vec<(i64, String)> = attachments::table
        .filter(attachments::post_id.is_null())
        .filter(attachments::comment_id.is_null())
        .filter(attachments::created_at.lt(before))
        .select((attachments::id, attachments::sha256))
        .limit(1000)
        .load(conn)?;
    if orphans.is_empty() {
        return Ok(0);
    }
    // Uploads a held edit (one waiting for a moderator) links to wait for the decision.
    let waiting: Vec<String> = held_edits::table.select(held_edits::body_md).load(conn)?;
    let waiting: std::collections::HashSet<i64> =
        waiting.iter().flat_map(|b| attachment_refs(b)).collect();
    let orphans: Vec<(i64, String)> = orphans
        .into_iter()
        .filter(|o| !waiting.contains(&o.0))
        .collect();
    let ids: Vec<i64> = orphans.iter().map(|o| o.0).collect();
    // The same conditions again: one posted meanwhile stays.
    diesel::delete(
        attachments::table
            .filter(attachments::id.eq_any(&ids))
            .filter(attachments::post_id.is_null())
            .filter(attachments::comment_id.is_null()),
    )
    .execute(conn)?;
    let mut hashes: Vec<String> = orphans.into_iter().map(|o| o.1).collect();
    hashes.sort();
    hashes.dedup();
    let still: Vec<String> = attachments::table
        .filter(attachments::sha256.eq_any(&hashes))
        .select(attachments::sha256)
        .distinct()
        .load(conn)?;
    for sha in hashes.iter().filter(|h| !still.contains(h)) {
        if let Err(e) = store.remove(sha) {
            tracing::warn!("an unposted attachment's file could not be removed: {e}");
        }
    }
    Ok(ids.len())
}

/// The size as people read it, for the editor's link text: (number, unit message id).
pub fn size_parts(bytes: i64) -> (f64, &'static str) {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        (b, "attachments-size-bytes")
    } else if b < f64::from(1 << 20) {
        ((b / 1024.0).round(), "attachments-size-kb")
    } else {
        (
            (b / f64::from(1 << 20) * 10.0).round() / 10.0,
            "attachments-size-mb",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_names_are_one_segment() {
        assert_eq!(url_segment("Bild 1.png"), "Bild%201.png");
        assert_eq!(url_segment("a/b?.txt"), "a%2Fb%3F.txt");
        assert_eq!(url_segment("März.pdf"), "M%C3%A4rz.pdf");
    }

    #[test]
    fn sizes() {
        assert_eq!(size_parts(900), (900.0, "attachments-size-bytes"));
        assert_eq!(size_parts(250 * 1024), (250.0, "attachments-size-kb"));
        assert_eq!(
            size_parts(5 * 1024 * 1024 + 400_000),
            (5.4, "attachments-size-mb")
        );
    }
}
