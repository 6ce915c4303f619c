//! The reputation ledger: one row per person and cause, with fixed amounts. A post's rows are
//! derived from what the post has now (its votes, whether its answer is accepted, an article
//! made from it, deleted as spam), so undoing a cause (unvote, unaccept, delete) removes its
//! row and replaying an event changes nothing. A person's reputation is the sum of their rows,
//! with what votes earn capped per day.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    flags, helper_totals, kb_articles, posts, reputation_ledger, thread_events, users, votes,
};
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::threads::{self as qa, State};

/// What each cause is worth (docs/peers.md).
pub const ANSWER_UPVOTED: i32 = 10;
pub const QUESTION_UPVOTED: i32 = 5;
pub const DOWNVOTED: i32 = -2;
pub const ANSWER_ACCEPTED: i32 = 15;
pub const ACCEPTED_AN_ANSWER: i32 = 2;
pub const ARTICLE_FROM_ANSWER: i32 = 20;
pub const FLAG_AGREED: i32 = 2;
pub const DELETED_AS_SPAM: i32 = -100;
pub const RECOMMENDED_BY_STAFF: i32 = 10;
/// What up votes can earn a person in one day (UTC).
pub const DAILY_VOTE_CAP: i64 = 200;

/// Kinds whose sum per day is capped.
const CAPPED: [&str; 2] = ["answer_upvoted", "question_upvoted"];

struct Row {
    user_id: i64,
    kind: &'static str,
    amount: i32,
    source: String,
    post_id: Option<i64>,
    thread_id: Option<i64>,
    category_id: Option<i64>,
    at: NaiveDateTime,
}

fn insert(conn: &mut DbConn, r: Row) -> AppResult<()> {
    let exists: i64 = reputation_ledger::table
        .filter(reputation_ledger::user_id.eq(r.user_id))
        .filter(reputation_ledger::source.eq(&r.source))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    diesel::insert_into(reputation_ledger::table)
        .values((
            reputation_ledger::user_id.eq(r.user_id),
            reputation_ledger::kind.eq(r.kind),
            reputation_ledger::amount.eq(r.amount),
            reputation_ledger::source.eq(&r.source),
            reputation_ledger::post_id.eq(r.post_id),
            reputation_ledger::thread_id.eq(r.thread_id),
            reputation_ledger::category_id.eq(r.category_id),
            reputation_ledger::day.eq(r.at.date().to_string()),
            reputation_ledger::created_at.eq(r.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A ledger row as the leaderboards count it: who, category, day, kind, amount.
type Counted = (i64, Option<i64>, String, String, i32);

fn counted_rows(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<Counted>> {
    Ok(reputation_ledger::table
        .filter(reputation_ledger::post_id.eq(post_id))
        .select((
            reputation_ledger::user_id,
            reputation_ledger::category_id,
            reputation_ledger::day,
            reputation_ledger::kind,
            reputation_ledger::amount,
        ))
        .load(conn)?)
}

/// The leaderboard periods a day counts in: all time, its week (from Monday), its month.
pub fn periods(day: &str) -> Vec<String> {
    let mut out = vec!["all".to_string()];
    if let Ok(d) = day.parse::<chrono::NaiveDate>() {
        use chrono::Datelike;
        let monday = d - chrono::TimeDelta::days(i64::from(d.weekday().num_days_from_monday()));
        out.push(format!("w{monday}"));
        out.push(format!("m{}", &day[..7]));
    }
    out
}

/// Keeps the leaderboards' running totals in step: `sign` 1 adds the rows, -1 takes them off.
fn count_totals(conn: &mut DbConn, rows: &[Counted], sign: i32) -> AppResult<()> {
    let mut delta: BTreeMap<(i64, i64, String), (i32, i32)> = BTreeMap::new();
    for (user, category, day, kind, amount) in rows {
        let accepted = i32::from(kind == "answer_accepted");
        for cat in std::iter::once(0).chain(*category) {
            for period in periods(day) {
                let d = delta.entry((cat, *user, period)).or_default();
                d.0 += sign * accepted;
                d.1 += sign * amount;
            }
        }
    }
    for ((cat, user, period), (accepted, rep)) in delta {
        if accepted == 0 && rep == 0 {
            continue;
        }
        let key = helper_totals::table
            .filter(helper_totals::category_id.eq(cat))
            .filter(helper_totals::period.eq(&period))
            .filter(helper_totals::user_id.eq(user));
        let updated = diesel::update(key)
            .set((
                helper_totals::accepted.eq(helper_totals::accepted + accepted),
                helper_totals::reputation.eq(helper_totals::reputation + rep),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(helper_totals::table)
                .values((
                    helper_totals::category_id.eq(cat),
                    helper_totals::period.eq(&period),
                    helper_totals::user_id.eq(user),
                    helper_totals::accepted.eq(accepted),
                    helper_totals::reputation.eq(rep),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Derives a post's rows again from what it has now; returns the people whose rows changed.
pub fn rebuild_post(conn: &mut DbConn, post_id: i64) -> AppResult<Vec<i64>> {
    let old = counted_rows(conn, post_id)?;
    let mut people: Vec<i64> = old.iter().map(|r| r.0).collect();
    diesel::delete(reputation_ledger::table.filter(reputation_ledger::post_id.eq(post_id)))
        .execute(conn)?;
    let result = derive_post(conn, post_id, &mut people);
    // Only what changed moves the totals (unchanged rows cancel out).
    let new = counted_rows(conn, post_id)?;
    count_totals(conn, &old, -1)?;
    count_totals(conn, &new, 1)?;
    result?;
    people.sort_unstable();
    people.dedup();
    Ok(people)
}

fn derive_post(conn: &mut DbConn, post_id: i64, people: &mut Vec<i64>) -> AppResult<()> {
    for facts in facts_of(conn, &[post_id])? {
        for r in rows_of(&facts) {
            people.push(r.user_id);
            insert(conn, r)?;
        }
    }
    Ok(())
}

/// What a post's rows are derived from.
struct Facts {
    post: qa::Post,
    thread: qa::Thread,
    /// (voter, value, when)
    votes: Vec<(i64, i32, NaiveDateTime)>,
    /// When its thread's answer was last accepted (the timeline's row).
    accepted_at: Option<NaiveDateTime>,
    /// Published articles made from it: (article, created).
    articles: Vec<(i64, NaiveDateTime)>,
    /// Deleted with agreed spam flags.
    spam: bool,
}

/// The facts of some posts, in a handful of queries whatever their number.
fn facts_of(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Facts>> {
    use std::collections::HashMap;
    let rows: Vec<(qa::Post, qa::Thread)> = posts::table
        .inner_join(crate::db::schema::threads::table)
        .filter(posts::id.eq_any(ids))
        .select((qa::Post::as_select(), qa::Thread::as_select()))
        .load(conn)?;
    let mut votes_of: HashMap<i64, Vec<(i64, i32, NaiveDateTime)>> = HashMap::new();
    for (post, voter, value, at) in votes::table
        .filter(votes::post_id.eq_any(ids))
        .select((
            votes::post_id,
            votes::user_id,
            votes::value,
            votes::created_at,
        ))
        .load::<(i64, i64, i32, NaiveDateTime)>(conn)?
    {
        votes_of.entry(post).or_default().push((voter, value, at));
    }
    let thread_ids: Vec<i64> = rows.iter().map(|r| r.1.id).collect();
    let mut accepted_at: HashMap<i64, NaiveDateTime> = HashMap::new();
    for (thread, at) in thread_events::table
        .filter(thread_events::thread_id.eq_any(&thread_ids))
        .filter(thread_events::kind.eq("accepted"))
        .order(thread_events::id.asc())
        .select((thread_events::thread_id, thread_events::created_at))
        .load::<(i64, NaiveDateTime)>(conn)?
    {
        accepted_at.insert(thread, at);
    }
    let mut articles_of: HashMap<i64, Vec<(i64, NaiveDateTime)>> = HashMap::new();
    for (post, id, at) in kb_articles::table
        .filter(kb_articles::source_post_id.eq_any(ids))
        .filter(kb_articles::status.eq("published"))
        .select((
            kb_articles::source_post_id,
            kb_articles::id,
            kb_articles::created_at,
        ))
        .load::<(Option<i64>, i64, NaiveDateTime)>(conn)?
    {
        if let Some(p) = post {
            articles_of.entry(p).or_default().push((id, at));
        }
    }
    let spam: std::collections::HashSet<i64> = flags::table
        .filter(flags::target.eq("post"))
        .filter(flags::target_id.eq_any(ids))
        .filter(flags::reason.eq("spam"))
        .filter(flags::status.eq("agreed"))
        .select(flags::target_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(post, thread)| Facts {
            votes: votes_of.remove(&post.id).unwrap_or_default(),
            accepted_at: accepted_at.get(&thread.id).copied(),
            articles: articles_of.remove(&post.id).unwrap_or_default(),
            spam: spam.contains(&post.id),
            post,
            thread,
        })
        .collect())
}

/// A post's ledger rows from its facts: the one place the amounts are applied.
fn rows_of(f: &Facts) -> Vec<Row> {
    let (post, thread) = (&f.post, &f.thread);
    let row = |user_id, kind, amount, source: String, at| Row {
        user_id,
        kind,
        amount,
        source,
        post_id: Some(post.id),
        thread_id: Some(thread.id),
        category_id: Some(thread.category_id),
        at,
    };
    let mut rows = Vec::new();
    let counts = post.kind == qa::QUESTION || post.kind == qa::ANSWER;
    if counts && post.state == State::Visible.as_str() {
        for (voter, value, at) in &f.votes {
            let (kind, amount) = match (*value, post.kind.as_str()) {
                (1, qa::ANSWER) => ("answer_upvoted", ANSWER_UPVOTED),
                (1, _) => ("question_upvoted", QUESTION_UPVOTED),
                _ => ("downvoted", DOWNVOTED),
            };
            rows.push(row(
                post.author_id,
                kind,
                amount,
                format!("vote:{}:{voter}", post.id),
                *at,
            ));
        }
        // Askers accepting their own answer earn nothing (no farming).
        if thread.accepted_post_id == Some(post.id) && post.author_id != thread.author_id {
            let at = f.accepted_at.unwrap_or(thread.updated_at);
            rows.push(row(
                post.author_id,
                "answer_accepted",
                ANSWER_ACCEPTED,
                format!("accepted:{}", post.id),
                at,
            ));
            rows.push(row(
                thread.author_id,
                "accepted_an_answer",
                ACCEPTED_AN_ANSWER,
                format!("accepting:{}", post.id),
                at,
            ));
        }
        if let (Some(_), Some(at)) = (post.recommended_by, post.recommended_at) {
            rows.push(row(
                post.author_id,
                "recommended_by_staff",
                RECOMMENDED_BY_STAFF,
                format!("recommended:{}", post.id),
                at,
            ));
        }
        if post.kind == qa::ANSWER {
            for (id, at) in &f.articles {
                rows.push(row(
                    post.author_id,
                    "article_from_answer",
                    ARTICLE_FROM_ANSWER,
                    format!("article:{id}"),
                    *at,
                ));
            }
        }
    }
    if post.state == State::Deleted.as_str() && f.spam {
        rows.push(row(
            post.author_id,
            "deleted_as_spam",
            DELETED_AS_SPAM,
            format!("spam:{}", post.id),
            post.state_at.unwrap_or_else(now),
        ));
    }
    rows
}

/// A flag a moderator agreed with earns its flagger a little (`flag:{id}`); returns them.
pub fn record_flag(conn: &mut DbConn, flag_id: i64) -> AppResult<Option<i64>> {
    type FlagRow = (Option<i64>, String, Option<NaiveDateTime>, Option<i64>);
    let row: Option<FlagRow> = flags::table
        .find(flag_id)
        .select((
            flags::flagger_id,
            flags::status,
            flags::resolved_at,
            flags::thread_id,
        ))
        .first(conn)
        .optional()?;
    let Some((Some(flagger), status, at, thread_id)) = row else {
        return Ok(None);
    };
    if status != "agreed" {
        return Ok(None);
    }
    let at = at.unwrap_or_else(now);
    let fresh: i64 = reputation_ledger::table
        .filter(reputation_ledger::user_id.eq(flagger))
        .filter(reputation_ledger::source.eq(format!("flag:{flag_id}")))
        .count()
        .get_result(conn)?;
    if fresh == 0 {
        count_totals(
            conn,
            &[(
                flagger,
                None,
                at.date().to_string(),
                "flag_agreed".into(),
                FLAG_AGREED,
            )],
            1,
        )?;
    }
    insert(
        conn,
        Row {
            user_id: flagger,
            kind: "flag_agreed",
            amount: FLAG_AGREED,
            source: format!("flag:{flag_id}"),
            post_id: None,
            thread_id,
            category_id: None,
            at,
        },
    )?;
    Ok(Some(flagger))
}

/// A person's reputation from their rows: up votes count at most `DAILY_VOTE_CAP` a day.
pub fn total(conn: &mut DbConn, user_id: i64) -> AppResult<i32> {
    let rows: Vec<(String, String, i64)> = reputation_ledger::table
        .filter(reputation_ledger::user_id.eq(user_id))
        .group_by((reputation_ledger::kind, reputation_ledger::day))
        .select((
            reputation_ledger::kind,
            reputation_ledger::day,
            diesel::dsl::sum(reputation_ledger::amount),
        ))
        .load::<(String, String, Option<i64>)>(conn)?
        .into_iter()
        .map(|(k, d, n)| (k, d, n.unwrap_or(0)))
        .collect();
    let mut capped: BTreeMap<String, i64> = BTreeMap::new();
    let mut sum: i64 = 0;
    for (kind, day, n) in rows {
        if CAPPED.contains(&kind.as_str()) {
            *capped.entry(day).or_default() += n;
        } else {
            sum += n;
        }
    }
    sum += capped
        .values()
        .map(|n| (*n).min(DAILY_VOTE_CAP))
        .sum::<i64>();
    Ok(i32::try_from(sum).unwrap_or(if sum > 0 { i32::MAX } else { i32::MIN }))
}

/// Stores a person's reputation from their rows.
pub fn refresh(conn: &mut DbConn, user_id: i64) -> AppResult<i32> {
    let t = total(conn, user_id)?;
    diesel::update(users::table.find(user_id))
        .set(users::reputation.eq(t))
        .execute(conn)?;
    Ok(t)
}

/// One row of a person's reputation history.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Entry {
    pub kind: String,
    pub amount: i32,
    pub post_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The newest `limit` rows of a person's history.
pub fn history(conn: &mut DbConn, user_id: i64, limit: i64) -> AppResult<Vec<Entry>> {
    Ok(reputation_ledger::table
        .filter(reputation_ledger::user_id.eq(user_id))
        .order((
            reputation_ledger::created_at.desc(),
            reputation_ledger::id.desc(),
        ))
        .limit(limit)
        .select((
            reputation_ledger::kind,
            reputation_ledger::amount,
            reputation_ledger::post_id,
            reputation_ledger::thread_id,
            reputation_ledger::created_at,
        ))
        .load(conn)?)
}

/// What a person earned per day since `since` (days without rows left out), oldest first:
/// the profile's chart.
pub fn by_day(
    conn: &mut DbConn,
    user_id: i64,
    since: chrono::NaiveDate,
) -> AppResult<Vec<(String, i64)>> {
    Ok(reputation_ledger::table
        .filter(reputation_ledger::user_id.eq(user_id))
        .filter(reputation_ledger::day.ge(since.to_string()))
        .group_by(reputation_ledger::day)
        .order(reputation_ledger::day.asc())
        .select((
            reputation_ledger::day,
            diesel::dsl::sum(reputation_ledger::amount),
        ))
        .load::<(String, Option<i64>)>(conn)?
        .into_iter()
        .map(|(d, n)| (d, n.unwrap_or(0)))
        .collect())
}

/// Rebuilds the whole ledger from the data and every person's total
/// (`peerdesk reputation recalculate`). Returns (people, rows).
pub fn recalculate(db: &crate::db::Db, progress: &dyn Fn(u64, u64)) -> AppResult<(usize, i64)> {
    let total_posts: i64 = db.read_blocking(|c| Ok(posts::table.count().get_result(c)?))?;
    db.write_blocking(|c| {
        diesel::delete(reputation_ledger::table).execute(c)?;
        diesel::delete(helper_totals::table).execute(c)?;
        Ok(())
    })?;
    let mut after = 0i64;
    let mut done = 0u64;
    // The leaderboards' totals add up in memory and are written once at the end.
    let mut totals: BTreeMap<(i64, i64, String), (i32, i32)> = BTreeMap::new();
    loop {
        let ids: Vec<i64> = db.read_blocking(move |c| {
            Ok(posts::table
                .filter(posts::id.gt(after))
                .order(posts::id.asc())
                .select(posts::id)
                .limit(2000)
                .load(c)?)
        })?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let rows: Vec<Row> =
            db.read_blocking(|c| Ok(facts_of(c, &ids)?.iter().flat_map(rows_of).collect()))?;
        for r in &rows {
            let accepted = i32::from(r.kind == "answer_accepted");
            for cat in std::iter::once(0).chain(r.category_id) {
                for period in periods(&r.at.date().to_string()) {
                    let t = totals.entry((cat, r.user_id, period)).or_default();
                    t.0 += accepted;
                    t.1 += r.amount;
                }
            }
        }
        // The table was emptied: plain inserts, no look-ups.
        db.write_blocking(|c| {
            for r in &rows {
                diesel::insert_into(reputation_ledger::table)
                    .values((
                        reputation_ledger::user_id.eq(r.user_id),
                        reputation_ledger::kind.eq(r.kind),
                        reputation_ledger::amount.eq(r.amount),
                        reputation_ledger::source.eq(&r.source),
                        reputation_ledger::post_id.eq(r.post_id),
                        reputation_ledger::thread_id.eq(r.thread_id),
                        reputation_ledger::category_id.eq(r.category_id),
                        reputation_ledger::day.eq(r.at.date().to_string()),
                        reputation_ledger::created_at.eq(r.at),
                    ))
                    .execute(c)?;
            }
            Ok(())
        })?;
        done += ids.len() as u64;
        progress(done, total_posts.max(0) as u64);
        after = last;
    }
    let totals: Vec<_> = totals.into_iter().collect();
    for chunk in totals.chunks(2000) {
        db.write_blocking(|c| {
            for ((cat, user, period), (accepted, rep)) in chunk {
                diesel::insert_into(helper_totals::table)
                    .values((
                        helper_totals::category_id.eq(cat),
                        helper_totals::period.eq(period),
                        helper_totals::user_id.eq(user),
                        helper_totals::accepted.eq(accepted),
                        helper_totals::reputation.eq(rep),
                    ))
                    .execute(c)?;
            }
            Ok(())
        })?;
    }
    db.write_blocking(|c| {
        let agreed: Vec<i64> = flags::table
            .filter(flags::status.eq("agreed"))
            .select(flags::id)
            .load(c)?;
        for f in agreed {
            record_flag(c, f)?;
        }
        Ok(())
    })?;
    let people: Vec<i64> = db.read_blocking(|c| Ok(users::table.select(users::id).load(c)?))?;
    for chunk in people.chunks(1000) {
        db.write_blocking(|c| {
            for u in chunk {
                refresh(c, *u)?;
            }
            Ok(())
        })?;
    }
    let rows: i64 = db.read_blocking(|c| Ok(reputation_ledger::table.count().get_result(c)?))?;
    Ok((people.len(), rows))
}

/// One person on a leaderboard.
#[derive(Debug, Clone, Serialize)]
pub struct Leader {
    pub user: crate::threads::AuthorView,
    pub accepted: i32,
    pub reputation: i32,
}

/// The leaderboard of a category (`None`: the whole site) for a period (`week`, `month` or
/// `all`): peers and staff apart (so peers are seen), by accepted answers then reputation
/// earned, from the running totals.
pub fn leaders(
    conn: &mut DbConn,
    category_id: Option<i64>,
    period: &str,
    limit: i64,
) -> AppResult<(Vec<Leader>, Vec<Leader>)> {
    let key = period_key(period, now().date())?;
    let staff_roles = ["staff", "admin"];
    let mut out = Vec::new();
    for staff in [false, true] {
        let q = helper_totals::table
            .inner_join(users::table)
            .filter(helper_totals::category_id.eq(category_id.unwrap_or(0)))
            .filter(helper_totals::period.eq(&key))
            .filter(
                helper_totals::accepted
                    .gt(0)
                    .or(helper_totals::reputation.gt(0)),
            )
            .order((
                helper_totals::accepted.desc(),
                helper_totals::reputation.desc(),
                helper_totals::user_id.asc(),
            ))
            .limit(limit)
            .select((
                crate::accounts::User::as_select(),
                helper_totals::accepted,
                helper_totals::reputation,
            ))
            .into_boxed();
        let q = if staff {
            q.filter(users::role.eq_any(staff_roles))
        } else {
            q.filter(users::role.ne_all(staff_roles))
        };
        out.push(
            q.load::<(crate::accounts::User, i32, i32)>(conn)?
                .into_iter()
                .map(|(u, accepted, reputation)| Leader {
                    user: crate::threads::AuthorView::from(&u),
                    accepted,
                    reputation,
                })
                .collect(),
        );
    }
    let staff = out.pop().unwrap_or_default();
    let peers = out.pop().unwrap_or_default();
    Ok((peers, staff))
}

/// The totals' key of a period as of `today`.
fn period_key(period: &str, today: chrono::NaiveDate) -> AppResult<String> {
    let all = periods(&today.to_string());
    match period {
        "all" | "" => Ok(all[0].clone()),
        "week" => Ok(all[1].clone()),
        "month" => Ok(all[2].clone()),
        other => Err(crate::error::AppError::invalid(crate::msg!(
            "peers-unknown-period",
            period = other
        ))),
    }
}
