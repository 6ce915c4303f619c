//! Categories (the products people need help with) and tags: their rules and queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{categories, tags, thread_tags, threads};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::hours::{self, Schedule};
use crate::input;
use crate::msg;

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
    /// Whether its questions may (`optional`), must (`required`) or must not (`forbidden`) be
    /// private.
    pub private_questions: String,
    /// When the first-response clock runs, in the canonical text of `hours::Schedule`
    /// (`Europe/Berlin; mon-fri 09:00-17:00; holidays 2026-12-24`); None: around the clock.
    /// Pages show it with `{{ c.business_hours|business_hours }}`.
    pub business_hours: Option<String>,
}

/// `Category::private_questions`: private questions allowed, required, forbidden.
pub const PRIVATE_OPTIONAL: &str = "optional";
pub const PRIVATE_REQUIRED: &str = "required";
pub const PRIVATE_FORBIDDEN: &str = "forbidden";

impl Category {
    /// When a question asked at `asked` is due its first response (None: no target): the
    /// target counted in business time when the category has business hours.
    pub fn respond_by(&self, asked: NaiveDateTime) -> Option<NaiveDateTime> {
        hours::deadline(asked, self.first_response_minutes, self.schedule().as_ref())
    }

    /// Its business hours (None: around the clock). The text was checked when it was saved; a
    /// text that no longer reads (a zone dropped from the tz database) counts as none rather
    /// than failing every page of the category.
    pub fn schedule(&self) -> Option<Schedule> {
        Schedule::parse(self.business_hours.as_deref()?).ok()
    }
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

/// Turns a name into a URL slug: lower-case ASCII words joined by `-`. Latin letters with
/// accents are spelled in ASCII first ("Größe" → "groesse", "crème" → "creme"); letters with
/// no ASCII spelling (Cyrillic, CJK, ...) separate words like punctuation does.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if let Some(ascii) = transliterate(c) {
            slug.push_str(ascii);
        } else if !is_combining_accent(c) && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(60).collect();
    slug.trim_end_matches('-').to_string()
}

/// ASCII spelling of a lower-case Latin letter with a diacritic (German umlauts as `ae`, `oe`,
/// `ue`, `ß` as `ss`); None for every other character.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' | 'æ' => "ae",
        'ö' | 'œ' => "oe",
        'ü' => "ue",
        'ß' => "ss",
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// A combining accent (decomposed text writes "é" as "e" + U+0301): its letter is in the slug
/// already, so the accent is dropped rather than splitting the word.
fn is_combining_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Validated category fields.
pub struct CategoryInput {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
    /// `PRIVATE_OPTIONAL`, `PRIVATE_REQUIRED` or `PRIVATE_FORBIDDEN`.
    pub private_questions: &'static str,
    /// When the first-response clock runs (None: around the clock).
    pub business_hours: Option<Schedule>,
}

impl CategoryInput {
    /// Sets whether the category's questions may, must or must not be private (`optional`,
    /// `required`, `forbidden`; empty: optional).
    pub fn private_rule(mut self, raw: &str) -> AppResult<CategoryInput> {
        self.private_questions = match raw.trim() {
            "" | PRIVATE_OPTIONAL => PRIVATE_OPTIONAL,
            PRIVATE_REQUIRED => PRIVATE_REQUIRED,
            PRIVATE_FORBIDDEN => PRIVATE_FORBIDDEN,
            other => {
                return Err(AppError::invalid(msg!(
                    "catalog-unknown-private-rule",
                    rule = other
                )))
            }
        };
        Ok(self)
    }

    /// Sets the business hours from what an admin typed (empty: around the clock); a bad
    /// schedule is a 422 naming the problem.
    pub fn business_hours(mut self, raw: &str) -> AppResult<CategoryInput> {
        self.business_hours = Schedule::parse_optional(raw)?;
        Ok(self)
    }

    /// The canonical text stored for the business hours.
    fn hours_text(&self) -> Option<String> {
        self.business_hours.as_ref().map(Schedule::to_text)
    }

    pub fn parse(
        name: &str,
        slug: Option<&str>,
        description: &str,
        position: i32,
    ) -> AppResult<CategoryInput> {
        let name = input::line(name, "category-name", 80)?;
        if name.is_empty() {
            return Err(AppError::invalid(msg!("catalog-category-name-empty")));
        }
        let slug = slugify(slug.filter(|s| !s.trim().is_empty()).unwrap_or(&name));
        if slug.is_empty() {
            return Err(AppError::invalid(msg!("catalog-category-slug-empty")));
        }
        let description = input::multiline(description, "category-description", 500)?;
        Ok(CategoryInput {
            name,
            slug,
            description,
            position,
            private_questions: PRIVATE_OPTIONAL,
            business_hours: None,
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
        .ok_or_else(|| AppError::not_found(msg!("catalog-category-not-found")))
}

pub fn find_category_by_slug(conn: &mut DbConn, slug: &str) -> AppResult<Category> {
    categories::table
        .filter(categories::slug.eq(slug))
        .select(Category::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(msg!("catalog-category-not-found")))
}

/// Finds a category by slug or by numeric id (the API accepts either).
pub fn resolve_category(conn: &mut DbConn, key: &str) -> AppResult<Category> {
    let key = key.trim();
    let found = match key.parse::<i64>() {
        Ok(id) => find_category(conn, id),
        Err(_) => find_category_by_slug(conn, key),
    };
    found.map_err(|_| AppError::invalid(msg!("catalog-unknown-category", category = key)))
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
        return Err(AppError::Conflict(msg!(
            "catalog-category-slug-taken",
            slug = &input.slug
        )));
    }
    Ok(diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(&input.slug),
            categories::name.eq(&input.name),
            categories::description.eq(&input.description),
            categories::position.eq(input.position),
            categories::private_questions.eq(input.private_questions),
            categories::business_hours.eq(input.hours_text()),
            categories::created_at.eq(now()),
        ))
        .returning(categories::all_columns)
        .get_result::<Category>(conn)?)
}

/// Renames or re-describes a category or changes its business hours (admins). Its threads are
/// re-indexed, since their search documents carry the category (the `category_changed` event,
/// which also keeps the business hours before and after for the audit log). Callers move the
/// deadlines of waiting threads (`support::set_category_target`).
pub fn update_category(
    conn: &mut DbConn,
    actor_id: i64,
    id: i64,
    input: CategoryInput,
) -> AppResult<Category> {
    let before = find_category(conn, id)?;
    if slug_taken(conn, &input.slug, Some(id))? {
        return Err(AppError::Conflict(msg!(
            "catalog-category-slug-taken",
            slug = &input.slug
        )));
    }
    diesel::update(categories::table.find(id))
        .set((
            categories::slug.eq(&input.slug),
            categories::name.eq(&input.name),
            categories::description.eq(&input.description),
            categories::position.eq(input.position),
            categories::private_questions.eq(input.private_questions),
            categories::business_hours.eq(input.hours_text()),
        ))
        .execute(conn)?;
    events::emit(
        conn,
        NewEvent::new(Kind::CategoryChanged)
            .actor(actor_id)
            .subject(id)
            .with("previous_slug", before.slug)
            .with("previous_name", before.name)
            .with("previous_business_hours", before.business_hours)
            .with("business_hours", input.hours_text()),
    )?;
    find_category(conn, id)
}

/// Deletes an empty category; one with threads is refused (move them first). Callers check
/// what above this module still names it (`support::delete_category`: customer setups).
pub fn delete_category(conn: &mut DbConn, id: i64) -> AppResult<()> {
    find_category(conn, id)?;
    let used: i64 = threads::table
        .filter(threads::category_id.eq(id))
        .count()
        .get_result(conn)?;
    if used > 0 {
        return Err(AppError::Conflict(msg!(
            "catalog-category-has-threads",
            count = used
        )));
    }
    let total: i64 = categories::table.count().get_result(conn)?;
    if total <= 1 {
        return Err(AppError::Conflict(msg!("catalog-last-category")));
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
        return Err(AppError::invalid(msg!("catalog-tag-length", tag = raw)));
    }
    if !t.chars().any(char::is_alphanumeric) {
        return Err(AppError::invalid(msg!(
            "catalog-tag-needs-letter",
            tag = raw
        )));
    }
    if !t
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '+' | '#'))
    {
        return Err(AppError::invalid(msg!("catalog-tag-characters", tag = raw)));
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
        return Err(AppError::invalid(msg!("catalog-too-many-tags")));
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
        .ok_or_else(|| AppError::not_found(msg!("catalog-tag-not-found")))
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
/// The ids of a thread's tags.
pub fn tag_ids_of(conn: &mut DbConn, thread_id: i64) -> AppResult<Vec<i64>> {
    Ok(thread_tags::table
        .filter(thread_tags::thread_id.eq(thread_id))
        .select(thread_tags::tag_id)
        .load(conn)?)
}

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
    let description = input::multiline(description, "tag-description", 500)?;
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

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugify_spells_accented_latin_letters_in_ascii() {
        assert_eq!(slugify("Überwachung der Größe"), "ueberwachung-der-groesse");
        assert_eq!(slugify("Café crème"), "cafe-creme");
        assert_eq!(slugify("ÄÖÜ äöü ß"), "aeoeue-aeoeue-ss");
        assert_eq!(
            slugify("Łódź, Señor Æsop, Œuvre, Ørsted, Ýr"),
            "lodz-senor-aesop-oeuvre-orsted-yr"
        );
        // Decomposed accents ("e" + combining acute) read like the composed letter.
        assert_eq!(slugify("Cafe\u{301} cre\u{300}me"), "cafe-creme");
        assert_eq!(slugify("İstanbul"), "istanbul");
    }

    #[test]
    fn slugify_drops_letters_without_an_ascii_spelling() {
        assert_eq!(slugify("Привет"), "");
        assert_eq!(slugify("路由器"), "");
        assert_eq!(slugify("Router Привет X200"), "router-x200");
    }

    #[test]
    fn slugify_keeps_its_ascii_rules() {
        assert_eq!(slugify("Router X200"), "router-x200");
        assert_eq!(
            slugify("  How do I reset -- the hub?! "),
            "how-do-i-reset-the-hub"
        );
        assert_eq!(slugify("C++ & Rust_2024"), "c-rust-2024");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify(""), "");
        // At most 60 characters, never ending in a separator.
        assert_eq!(slugify(&"a".repeat(80)), "a".repeat(60));
        let words = slugify(&"word ".repeat(30));
        assert_eq!(words.len(), 59, "{words}");
        assert!(!words.ends_with('-'));
    }
}
