//! Search. For now the transactional outbox: every write that changes searchable content calls
//! `enqueue` inside its own transaction, so the indexer (one task owning the index writer) can
//! replay exactly what was committed.

use diesel::prelude::*;

use crate::db::schema::search_outbox;
use crate::db::{now, DbConn};
use crate::error::AppResult;

/// Kinds of searchable documents.
pub const THREAD: &str = "thread";

/// Records that `entity` `id` changed; call inside the transaction that changed it.
pub fn enqueue(conn: &mut DbConn, entity: &str, id: i64) -> AppResult<()> {
    diesel::insert_into(search_outbox::table)
        .values((
            search_outbox::entity.eq(entity),
            search_outbox::entity_id.eq(id),
            search_outbox::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
