//! Badges that thank people for what helps customers: a catalogue in bronze, silver and gold,
//! awarded by the `reputation` consumer (and `peerdesk badges backfill`) from what the data
//! says now. Each award is one row per person, badge and cause, so checking again — a replay,
//! a backfill — never awards twice; badges earned again and again (a good answer) have one
//! row per post.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::{self, User};
use crate::db::schema::{
    badge_awards, comments, flags, kb_articles, posts, threads, user_days, users, votes,
};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Kind, NewEvent};
use crate::msg;
use crate::threads::{ANSWER, QUESTION};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

/// A badge of the catalogue. Names and descriptions are messages (`badge-name`,
/// `badge-description`, by id).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Badge {
    pub id: &'static str,
    pub tier: Tier,
    /// Earned again for each post or thread.
    pub multi: bool,
}

const fn b(id: &'static str, tier: Tier, multi: bool) -> Badge {
    Badge { id, tier, multi }
}

/// The catalogue, in the order the badge page lists it.
pub const CATALOGUE: [Badge; 25] = [
    b("first_question", Tier::Bronze, false),
    b("first_answer", Tier::Bronze, false),
    b("first_accepted", Tier::Bronze, false),
    b("accepted_10", Tier::Bronze, false),
    b("accepted_50", Tier::Silver, false),
    b("accepted_250", Tier::Gold, false),
    b("good_answer", Tier::Bronze, true),
    b("great_answer", Tier::Silver, true),
    b("famous_answer", Tier::Gold, true),
    b("good_question", Tier::Bronze, true),
    b("quick_responder", Tier::Bronze, true),
    b("welcomer", Tier::Bronze, true),
    b("knowledge_author", Tier::Silver, true),
    b("editor", Tier::Bronze, false),
    b("first_flag_agreed", Tier::Bronze, false),
    b("streak_7", Tier::Bronze, false),
    b("streak_30", Tier::Silver, false),
    b("customer_corps", Tier::Gold, false),
    b("supporter", Tier::Bronze, false),
    b("critic", Tier::Bronze, false),
    b("commentator", Tier::Bronze, false),
    b("reputation_100", Tier::Bronze, false),
    b("reputation_1000", Tier::Silver, false),
    b("reputation_10000", Tier::Gold, false),
    b("trusted", Tier::Silver, false),
];

pub fn find(id: &str) -> AppResult<Badge> {
    CATALOGUE
        .iter()
        .copied()
        .find(|b| b.id == id)
        .ok_or_else(|| AppError::not_found(msg!("peers-badge-not-found")))
}

/// Awards `badge` for `source` unless already awarded; an event tells the person.
fn award(
    conn: &mut DbConn,
    user_id: i64,
    badge: &Badge,
    source: &str,
    post_id: Option<i64>,
) -> AppResult<bool> {
    let have: i64 = badge_awards::table
        .filter(badge_awards::user_id.eq(user_id))
        .filter(badge_awards::badge.eq(badge.id))
        .filter(badge_awards::source.eq(source))
        .count()
        .get_result(conn)?;
    if have > 0 {
        return Ok(false);
    }
    let id: i64 = diesel::insert_into(badge_awards::table)
        .values((
            badge_awards::user_id.eq(user_id),
            badge_awards::badge.eq(badge.id),
            badge_awards::source.eq(source),
            badge_awards::post_id.eq(post_id),
            badge_awards::created_at.eq(now()),
        ))
        .returning(badge_awards::id)
        .get_result(conn)?;
    let mut e = NewEvent::new(Kind::BadgeAwarded)
        .subject(user_id)
        .with("badge", badge.id)
        .with("tier", format!("{:?}", badge.tier).to_lowercase())
        .with("award", id);
    if let Some(p) = post_id {
        e = e.post(p);
    }
    events::emit(conn, e)?;
    Ok(true)
}

fn once(conn: &mut DbConn, user_id: i64, id: &str, earned: bool) -> AppResult<()> {
    if earned {
        award(conn, user_id, &find(id)?, "", None)?;
    }
    Ok(())
}

/// The longest run of consecutive visit days.
fn longest_streak(days: &[String]) -> i64 {
    let mut dates: Vec<NaiveDate> = days.iter().filter_map(|d| d.parse().ok()).collect();
    dates.sort_unstable();
    let (mut best, mut run, mut last) = (0i64, 0i64, None::<NaiveDate>);
    for d in dates {
        run = match last {
            Some(l) if d.signed_duration_since(l).num_days() == 1 => run + 1,
            Some(l) if l == d => run,
            _ => 1,
        };
        best = best.max(run);
        last = Some(d);
    }
    best
}

/// Checks every badge for one person against the data, awarding what they earned.
pub fn check(conn: &mut DbConn, user_id: i64) -> AppResult<()> {
    let user = accounts::find(conn, user_id)?;
    let visible = "visible";
    let questions: i64 = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::kind.eq(QUESTION))
        .filter(posts::state.eq(visible))
        .count()
        .get_result(conn)?;
    once(conn, user_id, "first_question", questions > 0)?;
    let answers: Vec<(i64, i64, i32, NaiveDateTime)> = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::kind.eq(ANSWER))
        .filter(posts::state.eq(visible))
        .select((posts::id, posts::thread_id, posts::score, posts::created_at))
        .load(conn)?;
    once(conn, user_id, "first_answer", !answers.is_empty())?;
    // Accepted on others' questions, with the thread's category.
    let accepted: Vec<(i64, i64)> = posts::table
        .inner_join(threads::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user_id))
        .filter(threads::author_id.ne(user_id))
        .filter(posts::state.eq(visible))
        .select((posts::id, threads::category_id))
        .load(conn)?;
    let n = accepted.len();
    once(conn, user_id, "first_accepted", n >= 1)?;
    once(conn, user_id, "accepted_10", n >= 10)?;
    once(conn, user_id, "accepted_50", n >= 50)?;
    once(conn, user_id, "accepted_250", n >= 250)?;
    let categories: HashSet<i64> = accepted.iter().map(|a| a.1).collect();
    once(
        conn,
        user_id,
        "customer_corps",
        !user.role().is_staff() && categories.len() >= 3,
    )?;
    for (id, _, score, _) in &answers {
        for (badge, min) in [
            ("good_answer", 5),
            ("great_answer", 10),
            ("famous_answer", 25),
        ] {
            if *score >= min {
                award(
                    conn,
                    user_id,
                    &find(badge)?,
                    &format!("post:{id}"),
                    Some(*id),
                )?;
            }
        }
    }
    let good_questions: Vec<i64> = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::kind.eq(QUESTION))
        .filter(posts::state.eq(visible))
        .filter(posts::score.ge(5))
        .select(posts::id)
        .load(conn)?;
    for id in good_questions {
        award(
            conn,
            user_id,
            &find("good_question")?,
            &format!("post:{id}"),
            Some(id),
        )?;
    }
    // The first response, theirs, within the category's target.
    let quick: Vec<i64> = threads::table
        .filter(threads::first_response_by.eq(user_id))
        .filter(threads::author_id.ne(user_id))
        .filter(threads::respond_by.is_not_null())
        .filter(threads::first_response_at.le(threads::respond_by))
        .select(threads::id)
        .load(conn)?;
    for t in quick {
        award(
            conn,
            user_id,
            &find("quick_responder")?,
            &format!("thread:{t}"),
            None,
        )?;
    }
    // The first answer on a new member's first question.
    let mut thread_ids: Vec<i64> = answers.iter().map(|a| a.1).collect();
    thread_ids.sort_unstable();
    thread_ids.dedup();
    if !thread_ids.is_empty() {
        // In slices: a prolific helper answered more threads than one query may name.
        let mut asked: Vec<(i64, i64)> = Vec::new();
        for chunk in thread_ids.chunks(1000) {
            asked.extend(
                threads::table
                    .filter(threads::id.eq_any(chunk))
                    .filter(threads::author_id.ne(user_id))
                    .select((threads::id, threads::author_id))
                    .load::<(i64, i64)>(conn)?,
            );
        }
        let mut askers: Vec<i64> = asked.iter().map(|a| a.1).collect();
        askers.sort_unstable();
        askers.dedup();
        let mut first_of: HashMap<i64, i64> = HashMap::new();
        for chunk in askers.chunks(1000) {
            first_of.extend(
                threads::table
                    .filter(threads::author_id.eq_any(chunk))
                    .group_by(threads::author_id)
                    .select((threads::author_id, diesel::dsl::min(threads::id)))
                    .load::<(i64, Option<i64>)>(conn)?
                    .into_iter()
                    .filter_map(|(a, t)| t.map(|t| (a, t))),
            );
        }
        // Only first questions matter: few, whatever the number of answers.
        asked.retain(|(thread, asker)| first_of.get(asker) == Some(thread));
        for (thread, _) in asked {
            let first_answer: Option<i64> = posts::table
                .filter(posts::thread_id.eq(thread))
                .filter(posts::kind.eq(ANSWER))
                .order(posts::id.asc())
                .select(posts::author_id)
                .first(conn)
                .optional()?;
            if first_answer == Some(user_id) {
                award(
                    conn,
                    user_id,
                    &find("welcomer")?,
                    &format!("thread:{thread}"),
                    None,
                )?;
            }
        }
    }
    let article_posts: Vec<Option<i64>> = kb_articles::table
        .inner_join(posts::table.on(kb_articles::source_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user_id))
        .filter(kb_articles::status.eq("published"))
        .select(kb_articles::source_post_id)
        .load(conn)?;
    for p in article_posts.into_iter().flatten() {
        award(
            conn,
            user_id,
            &find("knowledge_author")?,
            &format!("post:{p}"),
            Some(p),
        )?;
    }
    let edited_others: i64 = crate::db::schema::post_revisions::table
        .inner_join(posts::table)
        .filter(crate::db::schema::post_revisions::editor_id.eq(user_id))
        .filter(posts::author_id.ne(user_id))
        .count()
        .get_result(conn)?;
    once(conn, user_id, "editor", edited_others > 0)?;
    let agreed: i64 = flags::table
        .filter(flags::flagger_id.eq(user_id))
        .filter(flags::status.eq("agreed"))
        .count()
        .get_result(conn)?;
    once(conn, user_id, "first_flag_agreed", agreed > 0)?;
    let days: Vec<String> = user_days::table
        .filter(user_days::user_id.eq(user_id))
        .select(user_days::day)
        .load(conn)?;
    let streak = longest_streak(&days);
    once(conn, user_id, "streak_7", streak >= 7)?;
    once(conn, user_id, "streak_30", streak >= 30)?;
    let ups: i64 = votes::table
        .filter(votes::user_id.eq(user_id))
        .filter(votes::value.eq(1))
        .count()
        .get_result(conn)?;
    once(conn, user_id, "supporter", ups > 0)?;
    let downs: i64 = votes::table
        .filter(votes::user_id.eq(user_id))
        .filter(votes::value.eq(-1))
        .count()
        .get_result(conn)?;
    once(conn, user_id, "critic", downs > 0)?;
    let comment_count: i64 = comments::table
        .filter(comments::author_id.eq(user_id))
        .filter(comments::state.eq(visible))
        .count()
        .get_result(conn)?;
    once(conn, user_id, "commentator", comment_count >= 10)?;
    let rep = user.reputation;
    once(conn, user_id, "reputation_100", rep >= 100)?;
    once(conn, user_id, "reputation_1000", rep >= 1000)?;
    once(conn, user_id, "reputation_10000", rep >= 10_000)?;
    once(conn, user_id, "trusted", user.trust_level >= 3)?;
    Ok(())
}

/// How many of each tier a person holds (the name's card, the profile).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub gold: i64,
    pub silver: i64,
    pub bronze: i64,
}

/// A badge a person holds, with how many times.
#[derive(Debug, Clone, Serialize)]
pub struct Held {
    pub badge: Badge,
    pub times: i64,
    pub first_at: NaiveDateTime,
}

pub fn held_by(conn: &mut DbConn, user_id: i64) -> AppResult<(Vec<Held>, Counts)> {
    let rows: Vec<(String, i64, Option<NaiveDateTime>)> = badge_awards::table
        .filter(badge_awards::user_id.eq(user_id))
        .group_by(badge_awards::badge)
        .select((
            badge_awards::badge,
            diesel::dsl::count_star(),
            diesel::dsl::min(badge_awards::created_at),
        ))
        .load(conn)?;
    let mut counts = Counts::default();
    let mut held = Vec::new();
    for (id, times, first) in rows {
        let Ok(badge) = find(&id) else { continue };
        match badge.tier {
            Tier::Gold => counts.gold += times,
            Tier::Silver => counts.silver += times,
            Tier::Bronze => counts.bronze += times,
        }
        held.push(Held {
            badge,
            times,
            first_at: first.unwrap_or_default(),
        });
    }
    held.sort_by_key(|h| CATALOGUE.iter().position(|b| b.id == h.badge.id));
    Ok((held, counts))
}

/// Every badge with how many people hold it.
pub fn catalogue(conn: &mut DbConn) -> AppResult<Vec<(Badge, i64)>> {
    let counts: HashMap<String, i64> = badge_awards::table
        .group_by(badge_awards::badge)
        .select((
            badge_awards::badge,
            diesel::dsl::count(badge_awards::user_id).aggregate_distinct(),
        ))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(CATALOGUE
        .iter()
        .map(|b| (*b, counts.get(b.id).copied().unwrap_or(0)))
        .collect())
}

/// Who holds a badge, newest first.
pub fn holders(
    conn: &mut DbConn,
    id: &str,
    limit: i64,
) -> AppResult<(Badge, Vec<(User, NaiveDateTime)>)> {
    let badge = find(id)?;
    let rows: Vec<(User, NaiveDateTime)> = badge_awards::table
        .inner_join(users::table)
        .filter(badge_awards::badge.eq(badge.id))
        .order(badge_awards::created_at.desc())
        .limit(limit)
        .select((User::as_select(), badge_awards::created_at))
        .load(conn)?;
    Ok((badge, rows))
}

/// Checks every person's badges (`peerdesk badges backfill`); returns the awards made.
pub fn backfill(db: &crate::db::Db, progress: &dyn Fn(u64, u64)) -> AppResult<i64> {
    let before: i64 = db.read_blocking(|c| Ok(badge_awards::table.count().get_result(c)?))?;
    let people: Vec<i64> = db.read_blocking(|c| Ok(users::table.select(users::id).load(c)?))?;
    let total = people.len() as u64;
    for (n, chunk) in people.chunks(200).enumerate() {
        db.write_blocking(|c| {
            for u in chunk {
                check(c, *u)?;
            }
            Ok(())
        })?;
        progress(((n + 1) * 200).min(people.len()) as u64, total);
    }
    let after: i64 = db.read_blocking(|c| Ok(badge_awards::table.count().get_result(c)?))?;
    Ok(after - before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaks_count_consecutive_days() {
        let d = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(longest_streak(&d(&[])), 0);
        assert_eq!(
            longest_streak(&d(&[
                "2026-01-01",
                "2026-01-02",
                "2026-01-04",
                "2026-01-05",
                "2026-01-06"
            ])),
            3
        );
        assert_eq!(CATALOGUE.len(), 25);
        let ids: HashSet<&str> = CATALOGUE.iter().map(|b| b.id).collect();
        assert_eq!(ids.len(), CATALOGUE.len(), "badge ids are unique");
    }
}
