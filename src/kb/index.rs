//! What the search index needs to know about articles: one document per published article.
//! Drafts and archived articles are left out (the indexer deletes their documents).

use std::collections::HashMap;

use diesel::prelude::*;

use super::{Article, ArticleStatus};
use crate::db::schema::{categories, kb_articles, tags, thread_tags, threads};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::search::IndexDoc;

/// Documents for the published articles among `ids`.
pub fn index_docs(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<IndexDoc>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let articles: Vec<Article> = kb_articles::table
        .filter(kb_articles::id.eq_any(ids))
        .filter(kb_articles::status.eq(ArticleStatus::Published.as_str()))
        .select(Article::as_select())
        .load(conn)?;
    // Category and tags come from the thread an article was promoted from, so filters and
    // facets treat it like the thread it replaces.
    let thread_ids: Vec<i64> = articles.iter().filter_map(|a| a.source_thread_id).collect();
    let category_of: HashMap<i64, String> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.eq_any(&thread_ids))
        .select((threads::id, categories::slug))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    for (t, name) in thread_tags::table
        .inner_join(tags::table)
        .filter(thread_tags::thread_id.eq_any(&thread_ids))
        .select((thread_tags::thread_id, tags::name))
        .load::<(i64, String)>(conn)?
    {
        tags_of.entry(t).or_default().push(name);
    }
    Ok(articles
        .into_iter()
        .map(|a| {
            let source = a.source_thread_id.unwrap_or(0);
            IndexDoc {
                kind: crate::search::ARTICLE,
                id: a.id,
                url: a.path(),
                title: a.title.clone(),
                // The article states the problem and is the verified answer: its text stands
                // in both fields, so it matches like the thread it came from.
                question: a.body_text.clone(),
                accepted: a.body_text.clone(),
                answers: String::new(),
                category: category_of.get(&source).cloned().unwrap_or_default(),
                tags: tags_of.remove(&source).unwrap_or_default(),
                // An article is a verified answer: it filters and ranks as solved and
                // staff-answered (see docs/search.md).
                status: "solved".into(),
                solved: true,
                staff_answered: true,
                votes: i64::from(a.helpful_yes) - i64::from(a.helpful_no),
                answer_count: 0,
                post_count: 1,
                author_id: a.author_id,
                created_at: a.created_at,
                updated_at: a.updated_at,
            }
        })
        .collect())
}

/// Article ids after `after` in id order, for rebuilding the index in batches.
pub fn article_ids_after(conn: &mut DbConn, after: i64, limit: i64) -> AppResult<Vec<i64>> {
    Ok(kb_articles::table
        .filter(kb_articles::id.gt(after))
        .order(kb_articles::id.asc())
        .select(kb_articles::id)
        .limit(limit)
        .load(conn)?)
}

/// How many articles there are (for progress bars).
pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(kb_articles::table.count().get_result(conn)?)
}
