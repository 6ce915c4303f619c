//! How threads and articles become search documents: one document per thread (its posts,
//! category and tags) and one per published article (drafts and archived articles have none,
//! so the indexer deletes theirs). The search index owns this read model; the feature modules
//! below it know nothing of search.

use std::collections::HashMap;

use diesel::prelude::*;

use super::IndexDoc;
use crate::accounts::Role;
use crate::db::schema::{categories, kb_articles, posts, tags, thread_tags, threads, users};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::kb::{Article, ArticleStatus};
use crate::threads::{Status, Thread, ANSWER, FOLLOWUP, INTERNAL, QUESTION};

/// Documents for the given threads (ids that no longer exist are simply missing).
pub fn thread_docs(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<IndexDoc>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Thread, String)> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.eq_any(ids))
        // Only what everyone may see is searchable: held, hidden, deleted, unlisted and merged
        // threads have no document (the indexer deletes theirs).
        .filter(threads::state.eq("visible"))
        .select((Thread::as_select(), categories::slug))
        .load(conn)?;
    let mut tag_map: HashMap<i64, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(i64, String)> = thread_tags::table
        .inner_join(tags::table)
        .filter(thread_tags::thread_id.eq_any(ids))
        .select((thread_tags::thread_id, tags::name))
        .load(conn)?;
    for (t, name) in tag_rows {
        tag_map.entry(t).or_default().push(name);
    }
    let post_rows: Vec<(i64, i64, String, String, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq_any(ids))
        // Internal notes are never searchable.
        .filter(posts::kind.ne(INTERNAL))
        .filter(posts::state.eq("visible"))
        .order(posts::id.asc())
        .select((
            posts::id,
            posts::thread_id,
            posts::kind,
            posts::body_text,
            users::role,
        ))
        .load(conn)?;
    let mut by_thread: HashMap<i64, Vec<(i64, String, String, String)>> = HashMap::new();
    for (id, thread_id, kind, text, role) in post_rows {
        by_thread
            .entry(thread_id)
            .or_default()
            .push((id, kind, text, role));
    }
    Ok(rows
        .into_iter()
        .map(|(t, category)| {
            let posts = by_thread.remove(&t.id).unwrap_or_default();
            let mut question = String::new();
            let mut accepted = String::new();
            let mut answers = String::new();
            let mut post_count = 0;
            for (id, kind, text, _) in &posts {
                post_count += 1;
                if kind == QUESTION && question.is_empty() {
                    question = text.clone();
                } else if kind == FOLLOWUP {
                    // The asker's own words belong with the question.
                    question.push('\n');
                    question.push_str(text);
                } else if kind == ANSWER && t.accepted_post_id == Some(*id) {
                    accepted = text.clone();
                } else {
                    if !answers.is_empty() {
                        answers.push('\n');
                    }
                    answers.push_str(text);
                }
            }
            let staff_answered = posts.iter().any(|(_, kind, _, role)| {
                kind == ANSWER && Role::parse(role).is_ok_and(Role::is_staff)
            });
            IndexDoc {
                kind: super::THREAD,
                id: t.id,
                url: t.path(),
                title: t.title.clone(),
                question,
                accepted,
                answers,
                category,
                tags: tag_map.remove(&t.id).unwrap_or_default(),
                solved: t.status == Status::Solved.as_str() || t.accepted_post_id.is_some(),
                status: t.status,
                staff_answered: staff_answered || t.has_staff_answer,
                votes: t.score as i64,
                answer_count: t.answer_count as u64,
                post_count,
                author_id: t.author_id,
                created_at: t.created_at,
                updated_at: t.last_activity_at,
            }
        })
        .collect())
}

/// Thread ids after `after` in id order, for rebuilding the index in batches.
pub fn thread_ids_after(conn: &mut DbConn, after: i64, limit: i64) -> AppResult<Vec<i64>> {
    Ok(threads::table
        .filter(threads::id.gt(after))
        .order(threads::id.asc())
        .select(threads::id)
        .limit(limit)
        .load(conn)?)
}

/// How many threads and posts there are (for progress bars).
pub fn thread_counts(conn: &mut DbConn) -> AppResult<(i64, i64)> {
    let t: i64 = threads::table.count().get_result(conn)?;
    let p: i64 = posts::table.count().get_result(conn)?;
    Ok((t, p))
}

/// Documents for the published articles among `ids`.
pub fn article_docs(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<IndexDoc>> {
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
                kind: super::ARTICLE,
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
pub fn article_count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(kb_articles::table.count().get_result(conn)?)
}

/// Threads in the given categories (a category's name or slug is part of their documents).
pub fn thread_ids_in_categories(conn: &mut DbConn, category_ids: &[i64]) -> AppResult<Vec<i64>> {
    if category_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(threads::table
        .filter(threads::category_id.eq_any(category_ids))
        .select(threads::id)
        .load(conn)?)
}
