//! Similar questions: the search behind the ask page's suggestions, and the consumer of
//! `question_asked` events that counts a new question against the solved threads it resembles
//! (`threads.similar_asked`, a signal for "worth promoting"). The consumer runs once per
//! cluster (a lease), and its count lands in the transaction that moves its cursor, so a
//! replay after a crash counts nothing twice.

use std::sync::Arc;

use super::{Search, SearchRequest, THREAD};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::events::{Consumer, Event, Kind};

/// Solved threads a new question's title matches this closely count as asked again.
const SIMILAR_ASKED_TOP: usize = 3;

/// The search behind similar-question suggestions: any word of the draft title, solved
/// threads and articles only.
pub fn similar_request(text: &str, limit: usize) -> SearchRequest {
    SearchRequest {
        q: text
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .replace(['"', '-'], " "),
        solved_only: true,
        any_word: true,
        limit,
        facets: false,
        ..Default::default()
    }
}

/// Counts each new question for the solved threads the ask page would have suggested for its
/// title.
pub struct SimilarAsked {
    pub search: Arc<Search>,
}

impl Consumer for SimilarAsked {
    fn name(&self) -> String {
        "similar-asked".into()
    }

    fn cluster_wide(&self) -> bool {
        true
    }

    fn apply(&mut self, conn: &mut DbConn, event: &Event) -> AppResult<()> {
        if event.kind() != Some(Kind::QuestionAsked) {
            return Ok(());
        }
        let Some(new_id) = event.thread_id else {
            return Ok(());
        };
        // A thread deleted since has nothing to count.
        let Ok(thread) = crate::threads::find_thread(conn, new_id) else {
            return Ok(());
        };
        // While the index is being rebuilt this fails (503) and the batch is retried later.
        let results = self
            .search
            .search(&similar_request(&thread.title, SIMILAR_ASKED_TOP))?;
        let ids: Vec<i64> = results
            .hits
            .iter()
            .filter(|h| h.kind == THREAD && h.id != new_id)
            .map(|h| h.id)
            .collect();
        if !ids.is_empty() {
            crate::threads::count_similar_asked(conn, &ids)?;
        }
        Ok(())
    }
}
