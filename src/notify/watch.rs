//! How closely each person follows a thread (watching / normal / muted) and which categories
//! and tags they watch (every post, or new questions only).

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{categories, category_watches, tag_watches, tags, thread_watches};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::msg;

/// A thread's watch level for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Every new post.
    Watching,
    /// Only what concerns me (answers to my question, replies to my posts, mentions).
    Normal,
    /// Nothing.
    Muted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Watching => "watching",
            Level::Normal => "normal",
            Level::Muted => "muted",
        }
    }
    pub fn parse(s: &str) -> AppResult<Level> {
        match s.trim() {
            "watching" => Ok(Level::Watching),
            "normal" => Ok(Level::Normal),
            "muted" => Ok(Level::Muted),
            other => Err(AppError::invalid(msg!(
                "notify-unknown-level",
                level = other
            ))),
        }
    }
}

/// `user_id`'s level on a thread (no row: normal).
pub fn thread_level(conn: &mut DbConn, user_id: i64, thread_id: i64) -> AppResult<Level> {
    let level: Option<String> = thread_watches::table
        .find((user_id, thread_id))
        .select(thread_watches::level)
        .first(conn)
        .optional()?;
    Ok(level
        .and_then(|l| Level::parse(&l).ok())
        .unwrap_or(Level::Normal))
}

/// Sets `user`'s level on a thread they may open (others: 404, as for no such thread).
pub fn set_thread_level(
    conn: &mut DbConn,
    user: &crate::accounts::User,
    thread_id: i64,
    level: Level,
) -> AppResult<()> {
    let thread = crate::threads::find_thread(conn, thread_id)?;
    crate::threads::visibility::ensure_thread_visible(conn, &thread, Some(user))?;
    let user_id = user.id;
    diesel::delete(thread_watches::table.find((user_id, thread_id))).execute(conn)?;
    diesel::insert_into(thread_watches::table)
        .values((
            thread_watches::user_id.eq(user_id),
            thread_watches::thread_id.eq(thread_id),
            thread_watches::level.eq(level.as_str()),
            thread_watches::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Taking part (asking, answering, commenting) watches a thread, unless the person chose a
/// level for it already (a muted thread stays muted).
pub fn watch_on_taking_part(conn: &mut DbConn, user_id: i64, thread_id: i64) -> AppResult<()> {
    let chosen = thread_watches::table
        .find((user_id, thread_id))
        .count()
        .get_result::<i64>(conn)?;
    if chosen == 0 {
        diesel::insert_into(thread_watches::table)
            .values((
                thread_watches::user_id.eq(user_id),
                thread_watches::thread_id.eq(thread_id),
                thread_watches::level.eq(Level::Watching.as_str()),
                thread_watches::updated_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// People at `level` on a thread.
pub fn thread_watchers(conn: &mut DbConn, thread_id: i64, level: Level) -> AppResult<Vec<i64>> {
    Ok(thread_watches::table
        .filter(thread_watches::thread_id.eq(thread_id))
        .filter(thread_watches::level.eq(level.as_str()))
        .select(thread_watches::user_id)
        .load(conn)?)
}

/// A duplicate merged into its canonical thread: whoever watched the duplicate watches the
/// canonical thread, unless they chose a level there already. Returns how many now watch it.
pub fn copy_thread_watchers(conn: &mut DbConn, from: i64, to: i64) -> AppResult<usize> {
    let watching = thread_watchers(conn, from, Level::Watching)?;
    let mut copied = 0;
    // Ids per `IN (...)` list (SQLite allows 32,766 bound values).
    for chunk in watching.chunks(1000) {
        let chosen: std::collections::HashSet<i64> = thread_watches::table
            .filter(thread_watches::thread_id.eq(to))
            .filter(thread_watches::user_id.eq_any(chunk))
            .select(thread_watches::user_id)
            .load::<i64>(conn)?
            .into_iter()
            .collect();
        let t = now();
        for user in chunk.iter().filter(|u| !chosen.contains(u)) {
            diesel::insert_into(thread_watches::table)
                .values((
                    thread_watches::user_id.eq(*user),
                    thread_watches::thread_id.eq(to),
                    thread_watches::level.eq(Level::Watching.as_str()),
                    thread_watches::updated_at.eq(t),
                ))
                .execute(conn)?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// How a category or tag is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicLevel {
    /// Every post of every thread in it.
    Watching,
    /// Each new question only.
    FirstPost,
    /// Not watched (no row).
    None,
}

impl TopicLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            TopicLevel::Watching => "watching",
            TopicLevel::FirstPost => "first_post",
            TopicLevel::None => "none",
        }
    }
    pub fn parse(s: &str) -> AppResult<TopicLevel> {
        match s.trim() {
            "watching" => Ok(TopicLevel::Watching),
            "first_post" => Ok(TopicLevel::FirstPost),
            "none" | "" => Ok(TopicLevel::None),
            other => Err(AppError::invalid(msg!(
                "notify-unknown-level",
                level = other
            ))),
        }
    }
}

/// What is watched: a category or a tag, by id.
#[derive(Debug, Clone, Copy)]
pub enum Topic {
    Category(i64),
    Tag(i64),
}

/// `user_id`'s level on a category or tag.
pub fn topic_level(conn: &mut DbConn, user_id: i64, topic: Topic) -> AppResult<TopicLevel> {
    let level: Option<String> = match topic {
        Topic::Category(id) => category_watches::table
            .find((user_id, id))
            .select(category_watches::level)
            .first(conn)
            .optional()?,
        Topic::Tag(id) => tag_watches::table
            .find((user_id, id))
            .select(tag_watches::level)
            .first(conn)
            .optional()?,
    };
    Ok(level
        .and_then(|l| TopicLevel::parse(&l).ok())
        .unwrap_or(TopicLevel::None))
}

/// Watches a category or tag (or stops, with `TopicLevel::None`).
pub fn set_topic_level(
    conn: &mut DbConn,
    user_id: i64,
    topic: Topic,
    level: TopicLevel,
) -> AppResult<()> {
    match topic {
        Topic::Category(id) => {
            let exists = categories::table.find(id).count().get_result::<i64>(conn)?;
            if exists == 0 {
                return Err(AppError::not_found(msg!("catalog-category-not-found")));
            }
            diesel::delete(category_watches::table.find((user_id, id))).execute(conn)?;
            if level != TopicLevel::None {
                diesel::insert_into(category_watches::table)
                    .values((
                        category_watches::user_id.eq(user_id),
                        category_watches::category_id.eq(id),
                        category_watches::level.eq(level.as_str()),
                    ))
                    .execute(conn)?;
            }
        }
        Topic::Tag(id) => {
            let exists = tags::table.find(id).count().get_result::<i64>(conn)?;
            if exists == 0 {
                return Err(AppError::not_found(msg!("catalog-tag-not-found")));
            }
            diesel::delete(tag_watches::table.find((user_id, id))).execute(conn)?;
            if level != TopicLevel::None {
                diesel::insert_into(tag_watches::table)
                    .values((
                        tag_watches::user_id.eq(user_id),
                        tag_watches::tag_id.eq(id),
                        tag_watches::level.eq(level.as_str()),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// A category or tag as a URL names it: a category's slug, a tag's name.
#[derive(Debug, Clone)]
pub enum TopicName {
    Category(String),
    Tag(String),
}

/// "Watch" on a category or tag page (and its API twin): finds it, sets the level, and
/// returns it with its page's path.
pub fn watch_topic(
    conn: &mut DbConn,
    user_id: i64,
    name: &TopicName,
    level: TopicLevel,
) -> AppResult<(Topic, String)> {
    let (topic, path) = match name {
        TopicName::Category(slug) => {
            let c = crate::catalog::find_category_by_slug(conn, slug)?;
            (Topic::Category(c.id), format!("/c/{}", c.slug))
        }
        TopicName::Tag(name) => {
            let t = crate::catalog::find_tag(conn, name)?;
            (Topic::Tag(t.id), format!("/tags/{}", t.name))
        }
    };
    set_topic_level(conn, user_id, topic, level)?;
    Ok((topic, path))
}

/// Who watches a thread's category or any of its tags, with their level.
pub fn topic_watchers(
    conn: &mut DbConn,
    category_id: i64,
    tag_ids: &[i64],
) -> AppResult<Vec<(i64, TopicLevel)>> {
    let mut out: Vec<(i64, String)> = category_watches::table
        .filter(category_watches::category_id.eq(category_id))
        .select((category_watches::user_id, category_watches::level))
        .load(conn)?;
    if !tag_ids.is_empty() {
        out.extend(
            tag_watches::table
                .filter(tag_watches::tag_id.eq_any(tag_ids))
                .select((tag_watches::user_id, tag_watches::level))
                .load::<(i64, String)>(conn)?,
        );
    }
    // The closest watch wins: watching over first post.
    let mut levels: std::collections::HashMap<i64, TopicLevel> = Default::default();
    for (user, level) in out {
        let level = TopicLevel::parse(&level).unwrap_or(TopicLevel::None);
        let entry = levels.entry(user).or_insert(level);
        if level == TopicLevel::Watching {
            *entry = level;
        }
    }
    Ok(levels.into_iter().collect())
}

/// A watched category or tag, for the preferences page.
#[derive(Debug, Clone, Serialize)]
pub struct Watched {
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    pub url: String,
    pub level: String,
}

/// The categories and tags `user_id` watches.
pub fn watched_topics(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<Watched>> {
    let mut out: Vec<Watched> = category_watches::table
        .inner_join(categories::table)
        .filter(category_watches::user_id.eq(user_id))
        .select((
            categories::id,
            categories::name,
            categories::slug,
            category_watches::level,
        ))
        .load::<(i64, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, slug, level)| Watched {
            kind: "category",
            id,
            name,
            url: format!("/c/{slug}"),
            level,
        })
        .collect();
    out.extend(
        tag_watches::table
            .inner_join(tags::table)
            .filter(tag_watches::user_id.eq(user_id))
            .select((tags::id, tags::name, tag_watches::level))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, level)| Watched {
                kind: "tag",
                url: format!("/tags/{name}"),
                id,
                name,
                level,
            }),
    );
    Ok(out)
}
