//! What the search index needs to know about threads: one document per thread, built from the
//! thread, its posts, category and tags.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{Status, Thread, ANSWER, QUESTION};
use crate::accounts::Role;
use crate::db::schema::{categories, posts, tags, thread_tags, threads, users};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::search::IndexDoc;

/// Documents for the given threads (ids that no longer exist are simply missing).
pub fn index_docs(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<IndexDoc>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Thread, String)> = threads::table
        .inner_join(categories::table)
        .filter(threads::id.eq_any(ids))
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
        .filter(posts::kind.ne(super::INTERNAL))
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
                } else if kind == super::FOLLOWUP {
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
                kind: crate::search::THREAD,
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
pub fn counts(conn: &mut DbConn) -> AppResult<(i64, i64)> {
    let t: i64 = threads::table.count().get_result(conn)?;
    let p: i64 = posts::table.count().get_result(conn)?;
    Ok((t, p))
}

/// The signed-in asker's open threads (not solved or closed), newest activity first.
pub fn open_threads_of(
    conn: &mut DbConn,
    author_id: i64,
    limit: i64,
) -> AppResult<Vec<(i64, String, String)>> {
    Ok(threads::table
        .filter(threads::author_id.eq(author_id))
        .filter(threads::status.eq_any([Status::Open.as_str(), Status::Answered.as_str()]))
        .order(threads::last_activity_at.desc())
        .limit(limit)
        .select((threads::id, threads::title, threads::status))
        .load(conn)?)
}
