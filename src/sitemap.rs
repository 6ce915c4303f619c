//! What search engines are offered: the sitemap (an index of pages of at most 50,000 URLs:
//! answered threads, published knowledge-base articles, categories, each with its last change)
//! and `robots.txt`. Only what anyone may read is listed: threads that are held, hidden,
//! deleted, unlisted or merged, unanswered threads and unpublished articles never are.

use std::fmt::Write;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{categories, kb_articles as articles, threads};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::kb::ArticleStatus;
use crate::render::xml::escape;
use crate::threads::visibility::VISIBLE;

/// URLs per sitemap page: the limit of the sitemap protocol.
pub const PER_PAGE: i64 = 50_000;

/// One URL of a sitemap page.
pub struct Entry {
    /// Path on the site (`/t/1/slug`).
    pub path: String,
    pub lastmod: NaiveDateTime,
}

/// A page of the sitemap index: its path and the newest change it lists.
pub struct Part {
    pub path: String,
    pub lastmod: Option<NaiveDateTime>,
}

/// A listed thread: visible, listed, not merged, and answered (an unanswered question is not a
/// page worth a searcher's click).
fn listed_threads() -> threads::BoxedQuery<'static, crate::db::MultiBackend> {
    threads::table
        .filter(threads::state.eq(VISIBLE))
        .filter(threads::unlisted_at.is_null())
        .filter(threads::merged_into_id.is_null())
        .filter(threads::answer_count.gt(0))
        .into_boxed()
}

/// How many thread pages there are: page `n` holds the listed threads with ids from
/// `(n - 1) * PER_PAGE + 1` to `n * PER_PAGE` (a range of the primary key, so a page costs one
/// range scan whatever its number, where an offset would walk every row before it).
fn thread_pages(conn: &mut DbConn) -> AppResult<i64> {
    let last: Option<i64> = threads::table
        .select(diesel::dsl::max(threads::id))
        .first(conn)?;
    Ok((last.unwrap_or(0) + PER_PAGE - 1) / PER_PAGE)
}

/// The newest change among the listed threads (walks the activity index from its end).
fn newest_thread_change(
    conn: &mut DbConn,
    category: Option<i64>,
) -> AppResult<Option<NaiveDateTime>> {
    let mut q = listed_threads();
    if let Some(c) = category {
        q = q.filter(threads::category_id.eq(c));
    }
    Ok(q.order(threads::last_activity_at.desc())
        .select(threads::last_activity_at)
        .first(conn)
        .optional()?)
}

/// The sitemap index: the thread pages (as many as needed), the articles and the categories.
pub fn index(conn: &mut DbConn) -> AppResult<Vec<Part>> {
    let pages = thread_pages(conn)?;
    let newest = newest_thread_change(conn, None)?;
    let mut parts: Vec<Part> = (1..=pages.max(1))
        .map(|n| Part {
            path: format!("/sitemap/threads-{n}.xml"),
            // Each page's own newest change would cost a scan per page; the newest overall
            // is never older than any page's.
            lastmod: newest,
        })
        .collect();
    let articles_newest: Option<NaiveDateTime> = articles::table
        .filter(articles::status.eq(ArticleStatus::Published.as_str()))
        .select(diesel::dsl::max(articles::updated_at))
        .first(conn)?;
    parts.push(Part {
        path: "/sitemap/kb.xml".into(),
        lastmod: articles_newest,
    });
    parts.push(Part {
        path: "/sitemap/categories.xml".into(),
        lastmod: newest,
    });
    Ok(parts)
}

/// Page `n` (from 1) of the listed threads, oldest first (at most `PER_PAGE`, fewer where
/// threads of its id range are not listed); None past the last page.
pub fn thread_page(conn: &mut DbConn, n: i64) -> AppResult<Option<Vec<Entry>>> {
    if n < 1 || (n > 1 && n > thread_pages(conn)?) {
        return Ok(None);
    }
    let rows: Vec<(i64, String, NaiveDateTime)> = listed_threads()
        .filter(threads::id.between((n - 1) * PER_PAGE + 1, n * PER_PAGE))
        .order(threads::id.asc())
        .select((threads::id, threads::title, threads::last_activity_at))
        .load(conn)?;
    Ok(Some(
        rows.into_iter()
            .map(|(id, title, lastmod)| Entry {
                path: crate::threads::thread_path(id, &title),
                lastmod,
            })
            .collect(),
    ))
}

/// Every published article.
pub fn articles(conn: &mut DbConn) -> AppResult<Vec<Entry>> {
    let rows: Vec<(i64, String, NaiveDateTime)> = articles::table
        .filter(articles::status.eq(ArticleStatus::Published.as_str()))
        .order(articles::id.asc())
        .select((articles::id, articles::title, articles::updated_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, lastmod)| Entry {
            path: crate::kb::article_path(id, &title),
            lastmod,
        })
        .collect())
}

/// Every category, changed when its newest listed thread was (one index walk per category).
pub fn categories(conn: &mut DbConn) -> AppResult<Vec<Entry>> {
    let rows: Vec<(i64, String, NaiveDateTime)> = categories::table
        .order(categories::position.asc())
        .select((categories::id, categories::slug, categories::created_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, slug, created)| {
            Ok(Entry {
                path: format!("/c/{slug}"),
                lastmod: newest_thread_change(conn, Some(id))?.unwrap_or(created),
            })
        })
        .collect()
}

/// A `<urlset>` of `entries` under `base` (the site's URL, no trailing slash).
pub fn urlset_xml(base: &str, entries: &[Entry]) -> String {
    let mut out = String::with_capacity(128 + entries.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        out.push_str("<url><loc>");
        out.push_str(&escape(base));
        out.push_str(&escape(&e.path));
        let _ = writeln!(out, "</loc><lastmod>{}</lastmod></url>", w3c(e.lastmod));
    }
    out.push_str("</urlset>\n");
    out
}

/// The `<sitemapindex>` of `parts` under `base`.
pub fn index_xml(base: &str, parts: &[Part]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in parts {
        out.push_str("<sitemap><loc>");
        out.push_str(&escape(base));
        out.push_str(&escape(&p.path));
        out.push_str("</loc>");
        if let Some(at) = p.lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", w3c(at));
        }
        out.push_str("</sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// `robots.txt`: the operator's rules (or, by default, the pages only members use kept out),
/// then where the sitemap is.
pub fn robots_txt(base: &str, rules: Option<&str>) -> String {
    let mut out = match rules {
        Some(rules) => format!("{}\n", rules.trim_end()),
        None => concat!(
            "User-agent: *\n",
            "Disallow: /admin\n",
            "Disallow: /staff\n",
            "Disallow: /review\n",
            "Disallow: /account\n",
            "Disallow: /notifications\n",
            "Disallow: /search\n",
            "Disallow: /ask\n",
            "Disallow: /login\n",
            "Disallow: /signup\n",
        )
        .to_string(),
    };
    let _ = writeln!(out, "\nSitemap: {base}/sitemap.xml");
    out
}

/// A time as the sitemap protocol writes it (W3C datetime, UTC).
fn w3c(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_escaped_and_times_in_utc() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("a date");
        let xml = urlset_xml(
            "https://help.example.com",
            &[Entry {
                path: "/t/1/a&b<c>".into(),
                lastmod: at,
            }],
        );
        assert!(xml.contains(
            "<loc>https://help.example.com/t/1/a&amp;b&lt;c&gt;</loc><lastmod>2026-12-04T09:30:00Z</lastmod>"
        ));
        let robots = robots_txt(
            "https://help.example.com",
            Some("User-agent: *\nDisallow:\n\n"),
        );
        assert_eq!(
            robots,
            "User-agent: *\nDisallow:\n\nSitemap: https://help.example.com/sitemap.xml\n"
        );
    }
}
