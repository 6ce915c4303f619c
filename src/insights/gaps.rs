//! Content gaps: what people looked for and did not find. Any-word matching gives almost every
//! search some result, so "found nothing" alone misses most gaps: a search also counts when its
//! best result matched weakly (below `[insights] weak_score`) and nobody opened a result. On
//! the ask page only the title a visit ended with counts (lookups run on every pause in
//! typing), and only when the visit opened no suggestion. Wordings of one missing topic are
//! grouped by their analysed words, so staff see one row per gap, not one per spelling.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;

use crate::db::schema::search_log;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::search::schema::is_function_word;
use crate::search::{Search, SIMILAR_LOOKUP};

/// One wording people searched for without finding an answer.
#[derive(Debug, Clone, Serialize)]
pub struct GapWording {
    pub query: String,
    pub searches: i64,
    /// Of those, searches that found nothing at all (the others found only weak matches).
    pub found_nothing: i64,
    pub last_searched: NaiveDateTime,
}

/// One missing topic: its wordings, most searched first.
#[derive(Debug, Clone, Serialize)]
pub struct GapGroup {
    /// The most searched wording, which names the group.
    pub query: String,
    /// The other wordings, most searched first (at most `SHOWN_WORDINGS`).
    pub other_wordings: Vec<String>,
    /// Every wording in the group, `query` included.
    pub wordings: usize,
    /// Searches of all its wordings.
    pub searches: i64,
    /// Of those, searches that found nothing at all.
    pub found_nothing: i64,
    pub last_searched: NaiveDateTime,
}

/// Distinct wordings read from the log, most searched first: bounds the grouping work (and
/// the page's time) however long the log; rarer wordings are noise next to these.
pub const MAX_WORDINGS: i64 = 2000;
/// Other wordings listed per group.
const SHOWN_WORDINGS: usize = 10;

const FOUND_NOTHING: &str = "SUM(CASE WHEN search_log.result_count = 0 THEN 1 ELSE 0 END)";

/// Wordings searched since `since` that found nothing, or whose best result scored below
/// `weak_score`, and that nobody clicked; the `MAX_WORDINGS` most searched.
pub fn gap_wordings(
    conn: &mut DbConn,
    since: NaiveDateTime,
    weak_score: f64,
) -> AppResult<Vec<GapWording>> {
    let rows: Vec<(String, i64, i64, Option<NaiveDateTime>)> = search_log::table
        .filter(search_log::created_at.ge(since))
        .filter(search_log::query.ne(""))
        .filter(search_log::clicked.is_null())
        .filter(
            search_log::result_count
                .eq(0)
                .or(search_log::best_score.lt(weak_score)),
        )
        // A similar-question lookup counts only as the latest of its ask-page visit (the
        // title as the asker left it), and only when the visit opened no suggestion.
        .filter(
            search_log::source
                .ne(SIMILAR_LOOKUP)
                .or(search_log::visit_last.and(search_log::visit_opened.eq(false))),
        )
        .group_by(search_log::query)
        .select((
            search_log::query,
            count_star(),
            sql::<BigInt>(FOUND_NOTHING),
            max(search_log::created_at),
        ))
        .order((count_star().desc(), max(search_log::created_at).desc()))
        .limit(MAX_WORDINGS)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(query, searches, found_nothing, last)| GapWording {
            query,
            searches,
            found_nothing,
            last_searched: last.unwrap_or(since),
        })
        .collect())
}

/// Two wordings name the same topic when their analysed words overlap by half (Jaccard) or
/// one's words are all in the other's.
fn alike(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let shared = a.intersection(b).count();
    if shared == 0 {
        return false;
    }
    let union = a.len() + b.len() - shared;
    shared * 2 >= union || shared == a.len().min(b.len())
}

/// Groups `wordings` (most searched first) by similar wording: each joins the first group,
/// in order of creation, whose first wording it is `alike`; else it starts a group. `terms`
/// gives a wording's analysed words (stemmed, stop words out). Groups come most searched
/// first.
pub fn group_wordings(
    wordings: Vec<GapWording>,
    mut terms: impl FnMut(&str) -> Vec<String>,
) -> Vec<GapGroup> {
    let mut groups: Vec<GapGroup> = Vec::new();
    let mut keys: Vec<BTreeSet<String>> = Vec::new();
    // Groups by each word of their first wording: only groups sharing a word can be alike.
    let mut by_term: HashMap<String, Vec<usize>> = HashMap::new();
    for w in wordings {
        let mut key: BTreeSet<String> = terms(&w.query).into_iter().collect();
        if key.is_empty() {
            // Only stop words or signs: the wording itself, so equal ones still meet.
            key.insert(w.query.trim().to_lowercase());
        }
        let mut candidates: Vec<usize> = key
            .iter()
            .filter_map(|t| by_term.get(t))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        match candidates.into_iter().find(|&g| alike(&key, &keys[g])) {
            Some(g) => {
                let group = &mut groups[g];
                group.wordings += 1;
                group.searches += w.searches;
                group.found_nothing += w.found_nothing;
                group.last_searched = group.last_searched.max(w.last_searched);
                if group.other_wordings.len() < SHOWN_WORDINGS {
                    group.other_wordings.push(w.query);
                }
            }
            None => {
                for t in &key {
                    by_term.entry(t.clone()).or_default().push(groups.len());
                }
                keys.push(key);
                groups.push(GapGroup {
                    query: w.query,
                    other_wordings: Vec::new(),
                    wordings: 1,
                    searches: w.searches,
                    found_nothing: w.found_nothing,
                    last_searched: w.last_searched,
                });
            }
        }
    }
    groups.sort_by(|a, b| {
        b.searches
            .cmp(&a.searches)
            .then(b.last_searched.cmp(&a.last_searched))
    });
    groups
}

/// The words of a search that name its topic, as the index analyses them (stemmed, in the
/// search's language): function words ("how do I", "wie kann ich") left out, or every
/// question-shaped search would look alike.
fn topic_terms(search: &Search, q: &str) -> Vec<String> {
    let words: Vec<&str> = q
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty() && !is_function_word(w))
        .collect();
    search.analyze(search.text_language(q), &words.join(" "))
}

/// The content gaps since `since`, grouped, the `limit` most searched groups.
pub fn content_gaps(
    conn: &mut DbConn,
    search: &Search,
    since: NaiveDateTime,
    weak_score: f64,
    limit: usize,
) -> AppResult<Vec<GapGroup>> {
    let wordings = gap_wordings(conn, since, weak_score)?;
    let mut groups = group_wordings(wordings, |q| topic_terms(search, q));
    groups.truncate(limit);
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wording(query: &str, searches: i64) -> GapWording {
        GapWording {
            query: query.into(),
            searches,
            found_nothing: 0,
            last_searched: NaiveDateTime::default(),
        }
    }

    /// Lower-cased words minus a few stop words, and a crude plural: enough of an analyzer.
    fn words(q: &str) -> Vec<String> {
        q.split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| {
                !w.is_empty() && !["how", "do", "i", "my", "the", "a", "of"].contains(&w.as_str())
            })
            .map(|w| w.trim_end_matches('s').to_string())
            .collect()
    }

    #[test]
    fn wordings_of_one_topic_share_a_group() {
        let groups = group_wordings(
            vec![
                wording("teleporter calibration", 5),
                wording("export invoices as pdf", 3),
                wording("invoice pdf export", 2),
                wording("calibration of the teleporters?", 1),
                wording("dark mode", 1),
            ],
            words,
        );
        let summary: Vec<(&str, i64, usize)> = groups
            .iter()
            .map(|g| (g.query.as_str(), g.searches, g.wordings))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("teleporter calibration", 6, 2),
                ("export invoices as pdf", 5, 2),
                ("dark mode", 1, 1),
            ]
        );
        assert_eq!(groups[1].other_wordings, vec!["invoice pdf export"]);
    }

    #[test]
    fn a_wording_inside_a_longer_one_joins_it() {
        let groups = group_wordings(
            vec![
                wording("printer offline after windows update", 4),
                wording("printer offline", 2),
                wording("scanner offline", 1),
            ],
            words,
        );
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].searches, 6);
        assert_eq!(groups[1].query, "scanner offline");
    }

    #[test]
    fn wordings_of_stop_words_only_group_by_their_text() {
        let groups = group_wordings(vec![wording("how do I", 2), wording("How do I ", 1)], words);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].searches, 3);
    }
}
