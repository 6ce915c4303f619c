//! "My setup": the products a customer uses (version, platform, environment notes), each public
//! or private, and the copies attached to their questions. Private entries are seen by their
//! owner and by staff, nobody else.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::User;
use crate::catalog::{self, Category};
use crate::db::schema::{categories, customer_setups, thread_setups};
use crate::db::{lock, now, DbConn, Lock};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::threads::CategoryRef;

/// A customer keeps at most this many entries.
pub const MAX_ENTRIES: i64 = 20;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_setups)]
struct SetupRow {
    id: i64,
    category_id: i64,
    version: String,
    platform: String,
    notes: String,
    private: bool,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = thread_setups)]
struct AttachedRow {
    id: i64,
    thread_id: i64,
    setup_id: Option<i64>,
    category_id: i64,
    version: String,
    platform: String,
    notes: String,
    private: bool,
}

/// A setup entry as shown (a saved one, or one attached to a question).
#[derive(Debug, Clone, Serialize)]
pub struct SetupView {
    pub id: i64,
    /// The saved entry it came from (attached copies).
    pub setup_id: Option<i64>,
    pub product: CategoryRef,
    pub version: String,
    pub platform: String,
    pub notes: String,
    /// Seen by the owner and staff only.
    pub private: bool,
    pub updated_at: Option<NaiveDateTime>,
}

/// The fields of one entry as sent. Fields left out (`None`) keep the saved entry's value when
/// editing one, and are empty (or public) for a new one.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SetupInput {
    /// The product: a category slug or id.
    #[serde(default, alias = "category")]
    pub product: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub private: Option<bool>,
}

struct Parsed {
    version: String,
    platform: String,
    notes: String,
    private: bool,
}

impl SetupInput {
    /// Every field given (forms send them all).
    pub fn full(product: &str, version: &str, platform: &str, notes: &str, private: bool) -> Self {
        SetupInput {
            product: product.to_string(),
            version: Some(version.to_string()),
            platform: Some(platform.to_string()),
            notes: Some(notes.to_string()),
            private: Some(private),
        }
    }

    fn parse(&self, base: Option<&SetupRow>) -> AppResult<Parsed> {
        let pick = |given: &Option<String>, saved: Option<&String>| -> String {
            given.clone().or_else(|| saved.cloned()).unwrap_or_default()
        };
        let p = Parsed {
            version: crate::input::line(
                &pick(&self.version, base.map(|b| &b.version)),
                "version",
                60,
            )?,
            platform: crate::input::line(
                &pick(&self.platform, base.map(|b| &b.platform)),
                "platform",
                80,
            )?,
            notes: crate::input::multiline(
                &pick(&self.notes, base.map(|b| &b.notes)),
                "environment-notes",
                1000,
            )?,
            private: self.private.or(base.map(|b| b.private)).unwrap_or(false),
        };
        if p.version.is_empty() && p.platform.is_empty() && p.notes.is_empty() {
            return Err(AppError::invalid(msg!("support-setup-empty")));
        }
        Ok(p)
    }

    fn is_blank(&self) -> bool {
        [&self.version, &self.platform, &self.notes]
            .iter()
            .all(|f| f.as_deref().is_none_or(|v| v.trim().is_empty()))
    }
}

fn category_refs(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, CategoryRef>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Category> = categories::table
        .filter(categories::id.eq_any(ids))
        .select(Category::as_select())
        .load(conn)?;
    Ok(rows.iter().map(|c| (c.id, CategoryRef::from(c))).collect())
}

/// How many saved or attached setup entries name a product (a category being deleted).
pub fn uses_of_product(conn: &mut DbConn, category_id: i64) -> AppResult<i64> {
    let saved: i64 = customer_setups::table
        .filter(customer_setups::category_id.eq(category_id))
        .count()
        .get_result(conn)?;
    let attached: i64 = thread_setups::table
        .filter(thread_setups::category_id.eq(category_id))
        .count()
        .get_result(conn)?;
    Ok(saved + attached)
}

/// Whether `viewer` may see `owner`'s private entries: the owner and staff.
pub fn sees_private(viewer: Option<&User>, owner_id: i64) -> bool {
    viewer.is_some_and(|v| v.id == owner_id || v.role().is_staff())
}

fn saved_rows(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<SetupRow>> {
    Ok(customer_setups::table
        .filter(customer_setups::user_id.eq(user_id))
        .order(customer_setups::id.asc())
        .select(SetupRow::as_select())
        .load(conn)?)
}

/// A user's saved setup as `viewer` may see it.
pub fn saved_setup(
    conn: &mut DbConn,
    owner_id: i64,
    viewer: Option<&User>,
) -> AppResult<Vec<SetupView>> {
    saved_entries(conn, owner_id, sees_private(viewer, owner_id))
}

/// A user's saved setup; private entries only with `all` (callers check who may see them).
pub fn saved_entries(conn: &mut DbConn, owner_id: i64, all: bool) -> AppResult<Vec<SetupView>> {
    let rows: Vec<SetupRow> = saved_rows(conn, owner_id)?
        .into_iter()
        .filter(|r| all || !r.private)
        .collect();
    let cats = category_refs(
        conn,
        &rows.iter().map(|r| r.category_id).collect::<Vec<_>>(),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SetupView {
                product: cats.get(&r.category_id)?.clone(),
                id: r.id,
                setup_id: None,
                version: r.version,
                platform: r.platform,
                notes: r.notes,
                private: r.private,
                updated_at: Some(r.updated_at),
            })
        })
        .collect())
}

fn own_row(conn: &mut DbConn, owner: &User, id: i64) -> AppResult<SetupRow> {
    customer_setups::table
        .find(id)
        .filter(customer_setups::user_id.eq(owner.id))
        .select(SetupRow::as_select())
        .first(conn)
        .optional()?
        // Someone else's entry does not exist for this caller.
        .ok_or_else(|| AppError::not_found(msg!("support-setup-not-found")))
}

/// Adds an entry to the owner's setup.
pub fn add(conn: &mut DbConn, owner: &User, input: &SetupInput) -> AppResult<i64> {
    crate::threads::ensure_active(owner)?;
    let p = input.parse(None)?;
    // Concurrent adds cannot pass the limit together.
    lock(conn, Lock::User(owner.id))?;
    let category = catalog::resolve_category(conn, &input.product)?;
    let count: i64 = customer_setups::table
        .filter(customer_setups::user_id.eq(owner.id))
        .count()
        .get_result(conn)?;
    if count >= MAX_ENTRIES {
        return Err(AppError::invalid(msg!(
            "support-setup-full",
            max = MAX_ENTRIES
        )));
    }
    let t = now();
    Ok(diesel::insert_into(customer_setups::table)
        .values((
            customer_setups::user_id.eq(owner.id),
            customer_setups::category_id.eq(category.id),
            customer_setups::version.eq(&p.version),
            customer_setups::platform.eq(&p.platform),
            customer_setups::notes.eq(&p.notes),
            customer_setups::private.eq(p.private),
            customer_setups::created_at.eq(t),
            customer_setups::updated_at.eq(t),
        ))
        .returning(customer_setups::id)
        .get_result(conn)?)
}

/// Changes one of the owner's entries (the product too, when given).
pub fn update(conn: &mut DbConn, owner: &User, id: i64, input: &SetupInput) -> AppResult<()> {
    crate::threads::ensure_active(owner)?;
    let row = own_row(conn, owner, id)?;
    let p = input.parse(Some(&row))?;
    let category_id = if input.product.trim().is_empty() {
        row.category_id
    } else {
        catalog::resolve_category(conn, &input.product)?.id
    };
    diesel::update(customer_setups::table.find(row.id))
        .set((
            customer_setups::category_id.eq(category_id),
            customer_setups::version.eq(&p.version),
            customer_setups::platform.eq(&p.platform),
            customer_setups::notes.eq(&p.notes),
            customer_setups::private.eq(p.private),
            customer_setups::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes one of the owner's entries (copies attached to questions stay).
pub fn remove(conn: &mut DbConn, owner: &User, id: i64) -> AppResult<()> {
    let row = own_row(conn, owner, id)?;
    diesel::delete(customer_setups::table.find(row.id)).execute(conn)?;
    Ok(())
}

/// What to attach to a new question. A question carries at most `MAX_ATTACHED` entries; past
/// that the question is still asked, with the entries that fit (`attach` says how many did not).
#[derive(Debug, Clone)]
pub enum Attach {
    /// The asker's saved entries for the question's product, the most recently updated first
    /// (the API's default).
    Auto,
    /// These, in this order (the API's `setup`): past the limit, the first ones. `id` names the
    /// saved entry it came from (edits update the saved entry too, so nobody asks again). An
    /// entry without `id` is new and is saved when `remember` is set.
    Entries(Vec<AttachEntry>),
    /// Ticked on the ask form, with its edits: past the limit, a new entry first (it was typed
    /// for this question), then the most recently updated saved ones.
    Chosen(Vec<AttachEntry>),
}

#[derive(Debug, Clone, Default)]
pub struct AttachEntry {
    pub id: Option<i64>,
    pub input: SetupInput,
    pub remember: bool,
}

/// Most entries one question carries (a customer may save `MAX_ENTRIES`).
pub const MAX_ATTACHED: usize = 10;

/// Saved rows, the most recently updated first (newer first among equals).
fn by_recent_update(mut rows: Vec<SetupRow>) -> Vec<SetupRow> {
    rows.sort_by_key(|r| std::cmp::Reverse((r.updated_at, r.id)));
    rows
}

/// Attaches setup copies to a just-asked thread, in the ask's transaction: at most
/// `MAX_ATTACHED`, chosen as `what` says. Returns how many entries did not fit (they are neither
/// attached nor saved nor read: the question never fails for their number).
pub fn attach(
    conn: &mut DbConn,
    asker: &User,
    thread_id: i64,
    category: &Category,
    what: Attach,
) -> AppResult<usize> {
    let (entries, chosen) = match what {
        Attach::Auto => (
            by_recent_update(saved_rows(conn, asker.id)?)
                .into_iter()
                .filter(|r| r.category_id == category.id)
                .map(|r| AttachEntry {
                    id: Some(r.id),
                    input: SetupInput {
                        product: r.category_id.to_string(),
                        ..Default::default()
                    },
                    remember: false,
                })
                .collect(),
            false,
        ),
        Attach::Entries(list) => (list, false),
        Attach::Chosen(list) => (list, true),
    };
    // A saved entry named by id comes along even with no fields (they default to its own).
    let mut entries: Vec<AttachEntry> = entries
        .into_iter()
        .filter(|e| e.id.is_some() || !e.input.is_blank())
        .collect();
    if chosen && entries.len() > MAX_ATTACHED {
        let rank: HashMap<i64, usize> = by_recent_update(saved_rows(conn, asker.id)?)
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        // New entries first; then saved ones by their last update; unknown ids (someone
        // else's: refused below if they fit) last.
        entries.sort_by_key(|e| e.id.map(|id| rank.get(&id).map_or(usize::MAX, |i| i + 1)));
    }
    let left_out = entries.len().saturating_sub(MAX_ATTACHED);
    for mut e in entries.into_iter().take(MAX_ATTACHED) {
        let saved = match e.id {
            Some(id) => Some(own_row(conn, asker, id)?),
            None => None,
        };
        let p = e.input.parse(saved.as_ref())?;
        let (source, category_id) = match saved {
            Some(row) => {
                let changed = row.version != p.version
                    || row.platform != p.platform
                    || row.notes != p.notes
                    || row.private != p.private;
                if changed {
                    if e.input.product.trim().is_empty() {
                        e.input.product = row.category_id.to_string();
                    }
                    update(conn, asker, row.id, &e.input)?;
                }
                (Some(row.id), row.category_id)
            }
            None => {
                if e.input.product.trim().is_empty() {
                    e.input.product = category.id.to_string();
                }
                let cat = catalog::resolve_category(conn, &e.input.product)?;
                let saved = if e.remember {
                    Some(add(conn, asker, &e.input)?)
                } else {
                    None
                };
                (saved, cat.id)
            }
        };
        diesel::insert_into(thread_setups::table)
            .values((
                thread_setups::thread_id.eq(thread_id),
                thread_setups::setup_id.eq(source),
                thread_setups::category_id.eq(category_id),
                thread_setups::version.eq(&p.version),
                thread_setups::platform.eq(&p.platform),
                thread_setups::notes.eq(&p.notes),
                thread_setups::private.eq(p.private),
            ))
            .execute(conn)?;
    }
    Ok(left_out)
}

/// The setup attached to a thread, as `viewer` may see it (private entries: asker and staff).
pub fn attached(
    conn: &mut DbConn,
    thread_id: i64,
    asker_id: i64,
    viewer: Option<&User>,
) -> AppResult<Vec<SetupView>> {
    let all = sees_private(viewer, asker_id);
    let rows: Vec<AttachedRow> = thread_setups::table
        .filter(thread_setups::thread_id.eq(thread_id))
        .order(thread_setups::id.asc())
        .select(AttachedRow::as_select())
        .load(conn)?;
    let rows: Vec<AttachedRow> = rows.into_iter().filter(|r| all || !r.private).collect();
    let cats = category_refs(
        conn,
        &rows.iter().map(|r| r.category_id).collect::<Vec<_>>(),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            debug_assert_eq!(r.thread_id, thread_id);
            Some(SetupView {
                product: cats.get(&r.category_id)?.clone(),
                id: r.id,
                setup_id: r.setup_id,
                version: r.version,
                platform: r.platform,
                notes: r.notes,
                private: r.private,
                updated_at: None,
            })
        })
        .collect())
}

/// Reads the ask form's setup fields: `setup_shown` says the form had them; per saved entry
/// `setup_{id}_attach`, `_version`, `_platform`, `_notes`, `_private`; a new entry as
/// `setup_new_*` with `setup_new_remember`.
pub fn from_form(fields: &HashMap<String, String>) -> AppResult<Option<Attach>> {
    if !fields.contains_key("setup_shown") {
        return Ok(None);
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let on = |k: &str| fields.get(k).is_some_and(|v| !v.is_empty() && v != "0");
    let mut ids: Vec<i64> = Vec::new();
    for key in fields.keys() {
        if let Some(rest) = key.strip_prefix("setup_") {
            if let Some(id) = rest.strip_suffix("_attach") {
                let id = id
                    .parse::<i64>()
                    .map_err(|_| AppError::invalid(msg!("support-setup-unknown-entry")))?;
                ids.push(id);
            }
        }
    }
    ids.sort_unstable();
    let mut list: Vec<AttachEntry> = ids
        .into_iter()
        .filter(|id| on(&format!("setup_{id}_attach")))
        .map(|id| AttachEntry {
            id: Some(id),
            input: SetupInput::full(
                "",
                &get(&format!("setup_{id}_version")),
                &get(&format!("setup_{id}_platform")),
                &get(&format!("setup_{id}_notes")),
                on(&format!("setup_{id}_private")),
            ),
            remember: false,
        })
        .collect();
    let new = SetupInput::full(
        "",
        &get("setup_new_version"),
        &get("setup_new_platform"),
        &get("setup_new_notes"),
        on("setup_new_private"),
    );
    if !new.is_blank() {
        list.push(AttachEntry {
            id: None,
            input: new,
            remember: on("setup_new_remember"),
        });
    }
    Ok(Some(Attach::Chosen(list)))
}
