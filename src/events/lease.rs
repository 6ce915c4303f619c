//! Leases for consumers that must run once per cluster (email, webhooks, counters): a row per
//! consumer naming its holder until `expires_at`. Taking it is one conditional `UPDATE` (free,
//! expired, or already ours), which both backends run atomically: on PostgreSQL the row lock
//! makes a second taker re-check the condition and find the lease held. A holder that dies
//! simply stops renewing; the lease expires and another node takes over. Unlike an advisory
//! lock it needs no dedicated connection, and it shows in `peerdesk events`.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::event_leases;
use crate::db::{now, DbConn};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = event_leases)]
pub struct Lease {
    pub consumer: String,
    pub holder: String,
    pub expires_at: NaiveDateTime,
}

/// Takes or renews the lease of `consumer` for `holder` until now + `ttl`. True when held.
/// Run it in a transaction of its own: a lost insert race ends that transaction on PostgreSQL.
pub fn acquire_lease(
    conn: &mut DbConn,
    consumer: &str,
    holder: &str,
    ttl: TimeDelta,
) -> AppResult<bool> {
    let t = now();
    let taken = diesel::update(
        event_leases::table.find(consumer).filter(
            event_leases::holder
                .eq(holder)
                .or(event_leases::expires_at.lt(t)),
        ),
    )
    .set((
        event_leases::holder.eq(holder),
        event_leases::expires_at.eq(t + ttl),
    ))
    .execute(conn)?;
    if taken == 1 {
        return Ok(true);
    }
    let exists: i64 = event_leases::table
        .find(consumer)
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    // First use: whoever inserts first holds it; the other gets a unique violation.
    match diesel::insert_into(event_leases::table)
        .values((
            event_leases::consumer.eq(consumer),
            event_leases::holder.eq(holder),
            event_leases::expires_at.eq(t + ttl),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Lets go of a lease (on shutdown), so another node takes over at once.
pub fn release_lease(conn: &mut DbConn, consumer: &str, holder: &str) -> AppResult<()> {
    diesel::update(
        event_leases::table
            .find(consumer)
            .filter(event_leases::holder.eq(holder)),
    )
    .set(event_leases::expires_at.eq(now() - TimeDelta::seconds(1)))
    .execute(conn)?;
    Ok(())
}

/// True when `holder` still holds the lease; extends it too. Called in the transaction that
/// commits a consumer's effects, so effects land only while the lease is held (on PostgreSQL
/// the row stays locked until that commit).
pub fn confirm_lease(
    conn: &mut DbConn,
    consumer: &str,
    holder: &str,
    ttl: TimeDelta,
) -> AppResult<bool> {
    let t = now();
    let n = diesel::update(
        event_leases::table
            .find(consumer)
            .filter(event_leases::holder.eq(holder))
            .filter(event_leases::expires_at.ge(t)),
    )
    .set(event_leases::expires_at.eq(t + ttl))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn lease_of(conn: &mut DbConn, consumer: &str) -> AppResult<Option<Lease>> {
    Ok(event_leases::table
        .find(consumer)
        .select(Lease::as_select())
        .first(conn)
        .optional()?)
}
