//! Categories (the products people need help with) and tags: their rules and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{categories, tags, thread_tags, threads};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::input;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    /// Threads in the category (kept in step on every ask).
    pub thread_count: i32,
    pub created_at: NaiveDateTime,
    /// "Staff usually reply within ..." (None: no target).
    pub first_response_minutes: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tags)]
pub struct Tag {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Threads carrying the tag (kept in step whenever a thread's tags change).
    pub thread_count: i32,
    pub created_at: NaiveDateTime,
}

/// Turns a name into a URL slug: lower-case ASCII words joined by `-`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(60).collect();
    slug.trim_end_matches('-').to_string()
}

/// Validated category fields.
pub struct CategoryInput {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
}

impl CategoryInput {
    pub fn parse(
        name: &str,
        slug: Option<&str>,
        description: &str,
        position: i32,
    ) -> AppResult<CategoryInput> {
        let name = input::line(name, "a category name", 80)?;
        if name.is_empty() {
            return Err(AppError::invalid("a category name has 1 to 80 characters"));
        }
        let slug = slugify(slug.filter(|s| !s.trim().is_empty()).unwrap_or(&name));
        if slug.is_empty() {
            return Err(AppError::invalid(
                "the category needs a slug with letters or digits",
            ));
        }
        let description = input::multiline(description, "a category description", 500)?;
        Ok(CategoryInput {
            name,
            slug,
            description,
            position,
        })
    }
}

pub fn list_categories(conn: &mut DbConn) -> AppResult<Vec<Category>> {
    Ok(categories::table
        .select(Category::as_select())
        .order((categories::position.asc(), categories::name.asc()))
        .load(conn)?)
}

pub fn find_category(conn: &mut DbConn, id: i64) -> AppResult<Category> {
    categories::table
        .find(id)
        .select(Category::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("category"))
}

pub fn find_category_by_slug(conn: &mut DbConn, slug: &str) -> AppResult<Category> {
    categories::table
        .filter(categories::slug.eq(slug))
        .select(Category::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("category"))
}

/// Finds a category by slug or by numeric id (the API accepts either).
pub fn resolve_category(conn: &mut DbConn, key: &str) -> AppResult<Category> {
    let key = key.trim();
    let found = match key.parse::<i64>() {
        Ok(id) => find_category(conn, id),
        Err(_) => find_category_by_slug(conn, key),
    };
    found.map_err(|_| AppError::invalid(format!("unknown category {key:?}")))
}

fn slug_taken(conn: &mut DbConn, slug: &str, except: Option<i64>) -> AppResult<bool> {
    let mut q = categories::table
        .filter(categories::slug.eq(slug))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(categories::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

pub fn create_category(conn: &mut DbConn, input: CategoryInput) -> AppResult<Category> {
    if slug_taken(conn, &input.slug, None)? {
        return Err(AppError::Conflict(format!(
            "a category with slug {:?} exists",
            input.slug
        )));
    }
    Ok(diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(&input.slug),
            categories::name.eq(&input.name),
            categories::description.eq(&input.description),
            categories::position.eq(input.position),
            categories::created_at.eq(now()),
        ))
        .returning(categories::all_columns)
        .get_result::<Category>(conn)?)
}

pub fn update_category(conn: &mut DbConn, id: i64, input: CategoryInput) -> AppResult<Category> {
    find_category(conn, id)?;
    if slug_taken(conn, &input.slug, Some(id))? {
        return Err(AppError::Conflict(format!(
            "a category with slug {:?} exists",
            input.slug
        )));
    }
    diesel::update(categories::table.find(id))
        .set((
            categories::slug.eq(&input.slug),
            categories::name.eq(&input.name),
            categories::description.eq(&input.description),
            categories::position.eq(input.position),
        ))
        .execute(conn)?;
    find_category(conn, id)
}

/// Deletes an empty category; one with threads is refused (move them first).
pub fn delete_category(conn: &mut DbConn, id: i64) -> AppResult<()> {
    find_category(conn, id)?;
    let used: i64 = threads::table
        .filter(threads::category_id.eq(id))
        .count()
        .get_result(conn)?;
    if used > 0 {
        return Err(AppError::Conflict(format!(
            "the category still has {used} threads"
        )));
    }
    // Customers' setups name it as their product (saved, or attached to questions).
    let in_setups = crate::support::setup::uses_of_product(conn, id)?;
    if in_setups > 0 {
        return Err(AppError::Conflict(format!(
            "{in_setups} customer setup entries name this product; it cannot be deleted"
        )));
    }
    let total: i64 = categories::table.count().get_result(conn)?;
    if total <= 1 {
        return Err(AppError::Conflict(
            "the last category cannot be deleted".into(),
        ));
    }
    diesel::delete(categories::table.find(id)).execute(conn)?;
    Ok(())
}

/// A tag name: 1–32 characters of `a-z 0-9 - . + #`, lower-case.
pub fn parse_tag_name(raw: &str) -> AppResult<String> {
    let t = raw
        .trim()
        .trim_start_matches('#')
        .to_lowercase()
        .replace([' ', '_'], "-");
    if t.is_empty() || t.chars().count() > 32 {
        return Err(AppError::invalid(format!(
            "tag {raw:?}: a tag has 1 to 32 characters"
        )));
    }
    if !t.chars().any(char::is_alphanumeric) {
        return Err(AppError::invalid(format!(
            "tag {raw:?}: a tag needs a letter or a digit"
        )));
    }
    if !t
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '+' | '#'))
    {
        return Err(AppError::invalid(format!(
            "tag {raw:?}: use letters, digits, - . + #"
        )));
    }
    Ok(t)
}

/// Parses up to 5 distinct tags from a list (commas or spaces in forms).
pub fn parse_tags<S: AsRef<str>>(raw: &[S]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        for piece in r
            .as_ref()
            .split([',', ' '])
            .filter(|p| !p.trim().is_empty())
        {
            let t = parse_tag_name(piece)?;
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    if out.len() > 5 {
        return Err(AppError::invalid("a question has at most 5 tags"));
    }
    Ok(out)
}

/// Finds or creates tags by name (members create tags by using them).
pub fn ensure_tags(conn: &mut DbConn, names: &[String]) -> AppResult<Vec<Tag>> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let existing = tags::table
            .filter(tags::name.eq(name))
            .select(Tag::as_select())
            .first(conn)
            .optional()?;
        let tag = match existing {
            Some(t) => t,
            None => diesel::insert_into(tags::table)
                .values((tags::name.eq(name), tags::created_at.eq(now())))
                .returning(tags::all_columns)
                .get_result::<Tag>(conn)?,
        };
        out.push(tag);
    }
    Ok(out)
}

pub fn find_tag(conn: &mut DbConn, name: &str) -> AppResult<Tag> {
    tags::table
        .filter(tags::name.eq(name.trim().to_lowercase()))
        .select(Tag::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("tag"))
}

/// The most used tags first.
pub fn list_tags(conn: &mut DbConn, limit: i64) -> AppResult<Vec<Tag>> {
    Ok(tags::table
        .select(Tag::as_select())
        .order((tags::thread_count.desc(), tags::name.asc()))
        .limit(limit)
        .load(conn)?)
}

/// Adds `delta` to the thread counts of tags.
pub fn count_tag_use(conn: &mut DbConn, tag_ids: &[i64], delta: i32) -> AppResult<()> {
    if !tag_ids.is_empty() {
        diesel::update(tags::table.filter(tags::id.eq_any(tag_ids)))
            .set(tags::thread_count.eq(tags::thread_count + delta))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds `delta` to a category's thread count.
pub fn count_category_use(conn: &mut DbConn, category_id: i64, delta: i32) -> AppResult<()> {
    diesel::update(categories::table.find(category_id))
        .set(categories::thread_count.eq(categories::thread_count + delta))
        .execute(conn)?;
    Ok(())
}

pub fn update_tag_description(conn: &mut DbConn, name: &str, description: &str) -> AppResult<Tag> {
    let name = parse_tag_name(name)?;
    let description = input::multiline(description, "a tag description", 500)?;
    let tag = ensure_tags(conn, std::slice::from_ref(&name))?.remove(0);
    diesel::update(tags::table.find(tag.id))
        .set(tags::description.eq(description))
        .execute(conn)?;
    find_tag(conn, &name)
}

/// Tag names per thread, for listings.
pub fn tags_for_threads(conn: &mut DbConn, thread_ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(thread_tags::table
        .inner_join(tags::table)
        .filter(thread_tags::thread_id.eq_any(thread_ids))
        .select((thread_tags::thread_id, tags::name))
        .order((thread_tags::thread_id.asc(), tags::name.asc()))
        .load(conn)?)
}
