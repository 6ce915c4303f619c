//! Atom feeds of public content: the latest questions, solved threads, a category, a tag, the
//! knowledge base and one thread's answers. Listed the way the site lists them (visible,
//! listed, not merged threads; published articles; visible answers), newest first.

use std::fmt::Write;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{kb_articles, posts, threads, users};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::kb::ArticleStatus;
use crate::render::xml::escape;
use crate::threads::visibility::VISIBLE;
use crate::threads::{ListFilter, Sort, Status};

/// Entries per feed: what a reader polls for, not an archive.
pub const ENTRIES: i64 = 30;
/// Characters of an entry's summary.
const SUMMARY_CHARS: usize = 400;

/// What a feed follows.
pub enum Source {
    Latest,
    Solved,
    Category(String),
    Tag(String),
    Kb,
    Thread(i64),
}

/// A feed's entries, and the names the title needs (a category's or tag's, a thread's title).
pub struct Feed {
    pub name: String,
    /// The page the feed follows (`alternate` link).
    pub page: String,
    pub entries: Vec<Entry>,
}

pub struct Entry {
    pub path: String,
    pub title: String,
    pub author: String,
    pub published: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub summary: String,
}

/// The feed of `source`; a category, tag or thread nobody may read is not found.
pub fn load(conn: &mut DbConn, source: &Source) -> AppResult<Feed> {
    let mut filter = ListFilter {
        sort: Sort::Newest,
        per_page: ENTRIES,
        ..ListFilter::default()
    };
    let (name, page) = match source {
        Source::Latest => (String::new(), "/".to_string()),
        Source::Solved => {
            filter.status = Some(Status::Solved);
            filter.sort = Sort::Activity;
            (String::new(), "/?tab=solved".to_string())
        }
        Source::Category(slug) => {
            let c = crate::catalog::find_category_by_slug(conn, slug)?;
            filter.category_id = Some(c.id);
            (c.name, format!("/c/{}", c.slug))
        }
        Source::Tag(name) => {
            let t = crate::catalog::find_tag(conn, name)?;
            filter.tag_id = Some(t.id);
            (t.name.clone(), format!("/tags/{}", t.name))
        }
        Source::Kb => return kb(conn),
        Source::Thread(id) => return answers(conn, *id),
    };
    let list = crate::threads::list_threads(conn, &filter)?;
    let ids: Vec<i64> = list.threads.iter().map(|t| t.id).collect();
    let questions: std::collections::HashMap<i64, String> = posts::table
        .filter(posts::thread_id.eq_any(&ids))
        .filter(posts::kind.eq("question"))
        .select((posts::thread_id, posts::body_text))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let entries = list
        .threads
        .into_iter()
        .map(|t| Entry {
            summary: questions
                .get(&t.id)
                .map(|text| crate::render::markdown::excerpt(text, SUMMARY_CHARS))
                .unwrap_or_default(),
            path: t.url,
            title: t.title,
            author: t.author.name,
            published: t.created_at,
            updated: t.last_activity_at,
        })
        .collect();
    Ok(Feed {
        name,
        page,
        entries,
    })
}

fn kb(conn: &mut DbConn) -> AppResult<Feed> {
    let rows: Vec<(i64, String, String, NaiveDateTime, NaiveDateTime)> = kb_articles::table
        .filter(kb_articles::status.eq(ArticleStatus::Published.as_str()))
        .order(kb_articles::updated_at.desc())
        .limit(ENTRIES)
        .select((
            kb_articles::id,
            kb_articles::title,
            kb_articles::body_text,
            kb_articles::created_at,
            kb_articles::updated_at,
        ))
        .load(conn)?;
    Ok(Feed {
        name: String::new(),
        page: "/kb".into(),
        entries: rows
            .into_iter()
            .map(|(id, title, text, published, updated)| Entry {
                path: crate::kb::article_path(id, &title),
                title,
                author: String::new(),
                published,
                updated,
                summary: crate::render::markdown::excerpt(&text, SUMMARY_CHARS),
            })
            .collect(),
    })
}

/// A listed thread's newest visible answers.
fn answers(conn: &mut DbConn, id: i64) -> AppResult<Feed> {
    let title: Option<String> = threads::table
        .filter(threads::id.eq(id))
        .filter(threads::state.eq(VISIBLE))
        .filter(threads::unlisted_at.is_null())
        .filter(threads::merged_into_id.is_null())
        .select(threads::title)
        .first(conn)
        .optional()?;
    let Some(title) = title else {
        return Err(AppError::not_found(crate::msg!("error-no-such-page")));
    };
    let path = crate::threads::thread_path(id, &title);
    let rows: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(id))
        .filter(posts::kind.eq("answer"))
        .filter(posts::state.eq(VISIBLE))
        .order(posts::created_at.desc())
        .limit(ENTRIES)
        .select((
            posts::id,
            posts::body_text,
            posts::created_at,
            posts::edited_at,
            users::name,
        ))
        .load(conn)?;
    Ok(Feed {
        entries: rows
            .into_iter()
            .map(|(post, text, created, edited, author)| Entry {
                path: format!("/p/{post}"),
                // The reader shows "Answer by …" from the author; the entry's title is the
                // thread's, as the answer has none of its own.
                title: title.clone(),
                author,
                published: created,
                updated: edited.unwrap_or(created),
                summary: crate::render::markdown::excerpt(&text, SUMMARY_CHARS),
            })
            .collect(),
        name: title,
        page: path,
    })
}

/// The Atom document. `base`: the site's URL; `self_path`: the feed's own path; `title`: the
/// feed's title in the site's language.
pub fn atom_xml(base: &str, self_path: &str, lang: &str, title: &str, feed: &Feed) -> String {
    let mut out = String::with_capacity(1024 + feed.entries.len() * 700);
    let updated = feed
        .entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_default();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>",
        escape(lang)
    );
    out.push_str(&escape(title));
    let _ = write!(
        out,
        "</title>\n<id>{base}{self_path}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{b}{s}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{b}{p}\"/>\n<updated>{}</updated>\n",
        rfc3339(updated),
        base = escape(base),
        self_path = escape(self_path),
        b = escape(base),
        s = escape(self_path),
        p = escape(&feed.page),
    );
    for e in &feed.entries {
        let url = format!("{}{}", escape(base), escape(&e.path));
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n<published>{}</published>\n<updated>{}</updated>\n",
            escape(&e.title),
            rfc3339(e.published),
            rfc3339(e.updated),
        );
        if !e.author.is_empty() {
            let _ = writeln!(out, "<author><name>{}</name></author>", escape(&e.author));
        }
        let _ = write!(out, "<summary>{}</summary>\n</entry>\n", escape(&e.summary));
    }
    out.push_str("</feed>\n");
    out
}

fn rfc3339(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
