//! Database access for both backends: the connection enum, the pool, embedded migrations and the
//! two ways in for request code (`read`, and `write` = one transaction). Backend differences are
//! matched on here and nowhere else.

pub mod schema;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::{AppError, AppResult};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type over both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(String),
    Postgres(String),
}

impl Backend {
    /// `postgres://` and `postgresql://` are PostgreSQL; `sqlite://path` or a plain path is SQLite.
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(url.to_string())
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            Backend::Sqlite(path.to_string())
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// Turns off libpq's GSSAPI encryption unless the URL asks for it: probing for it loads
/// Kerberos, whose thread-local destructors can abort a process at exit (seen with short CLI
/// runs: `krb5int_getspecific: Assertion ... failed`). Set `gssencmode` in the URL to use it.
fn without_gss(url: &str) -> String {
    if url.contains("gssencmode=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}gssencmode=disable")
}

/// r2d2 manager that opens the right backend and applies SQLite's per-connection pragmas.
pub struct Manager {
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.backend {
            Backend::Postgres(url) => diesel::PgConnection::establish(&without_gss(url))
                .map(DbConn::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(path)
                    .map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the writer; busy_timeout covers other processes
                // (the CLI) writing at the same time. It comes first: switching to WAL takes a
                // lock, and a pool opening connections side by side would otherwise see
                // "database is locked" at once instead of waiting its turn.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA cache_size = -16000; PRAGMA mmap_size = 268435456;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// The pool plus what request code needs around it. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    /// SQLite has one writer at a time; serialising our own writers in-process avoids
    /// SQLITE_BUSY on lock upgrades. PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// Bumped after every committed write: the page cache compares against it.
    generation: Arc<AtomicU64>,
}

impl Db {
    /// Opens (and for SQLite creates) the database. Does not run migrations.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::from_url(url);
        if let Backend::Sqlite(path) = &backend {
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
        }
        let size = match (pool_size, &backend) {
            (0, Backend::Sqlite(_)) => 8,
            (0, Backend::Postgres(_)) => 16,
            (n, _) => n,
        };
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            // A `SELECT 1` on every checkout costs a round trip per query on PostgreSQL;
            // broken connections are caught by `has_broken` instead.
            .test_on_check_out(false)
            .build(Manager {
                backend: backend.clone(),
            })
            .map_err(|e| anyhow::anyhow!("cannot open the {} database: {e}", backend.name()))?;
        let write_lock = matches!(backend, Backend::Sqlite(_)).then(|| Arc::new(Mutex::new(())));
        Ok(Db {
            pool,
            backend,
            write_lock,
            generation: Arc::new(AtomicU64::new(1)),
        })
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Runs pending migrations for this backend; returns how many ran.
    pub fn migrate(&self) -> anyhow::Result<usize> {
        let mut conn = self.pool.get()?;
        let ran = match &mut *conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConn::Pg(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        }
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(ran)
    }

    pub fn conn(&self) -> AppResult<PooledConnection<Manager>> {
        Ok(self.pool.get()?)
    }

    /// Current write generation (see `generation`).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Runs `f` on a pooled connection on the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await?
    }

    /// Runs `f` in one transaction on the blocking thread pool: all of it lands or none of it.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || db.write_blocking(f)).await?
    }

    /// `write_untracked` on the blocking thread pool.
    pub async fn write_untracked_async<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || db.write_untracked(f)).await?
    }

    /// The synchronous form of `read`, for the CLI and background threads.
    pub fn read_blocking<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T>,
    {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// `read_blocking` that waits at most `timeout` for a connection: a health check must
    /// answer quickly, also when the database cannot be reached.
    pub fn read_within<T, F>(&self, timeout: Duration, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T>,
    {
        let mut conn = self.pool.get_timeout(timeout)?;
        f(&mut conn)
    }

    /// The synchronous form of `write`, for the CLI and background jobs.
    pub fn write_blocking<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T>,
    {
        self.transact(f, true)
    }

    /// A transaction that changes nothing any page shows (logs): it leaves the write generation
    /// alone, so cached pages stay cached.
    pub fn write_untracked<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T>,
    {
        self.transact(f, false)
    }

    fn transact<T, F>(&self, f: F, bump_generation: bool) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T>,
    {
        // Take the write lock before a connection, so waiting writers do not hold the pool.
        let _guard = self
            .write_lock
            .as_ref()
            .map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let mut conn = self.conn()?;
        let conn: &mut DbConn = &mut conn;
        let result = match conn {
            DbConn::Sqlite(_) => immediate_transaction(conn, f),
            DbConn::Pg(_) => conn.transaction::<T, AppError, _>(f),
        };
        if result.is_ok() && bump_generation {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        result
    }

    /// Readiness: the database answers a query.
    pub fn ping(&self) -> AppResult<()> {
        let mut conn = self.conn()?;
        conn.batch_execute("SELECT 1").map_err(|e| {
            AppError::Unavailable(crate::msg!("db-unreachable", reason = e.to_string()))
        })
    }
}

/// A SQLite write transaction that takes the write lock at `BEGIN` (`BEGIN IMMEDIATE`), waiting
/// for it under `busy_timeout`. A deferred `BEGIN` reads first and upgrades later; when another
/// process (a second node, the CLI) wrote in between, the upgrade fails at once with "database
/// is locked" instead of waiting. Nested transactions inside `f` still work: they use the same
/// connection's transaction manager (savepoints).
fn immediate_transaction<T, F>(conn: &mut DbConn, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConn) -> AppResult<T>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    match f(conn) {
        Ok(value) => {
            if let DbConn::Sqlite(c) = conn {
                AnsiTransactionManager::commit_transaction(c)?;
            }
            Ok(value)
        }
        Err(e) => {
            if let DbConn::Sqlite(c) = conn {
                if let Err(rollback) = AnsiTransactionManager::rollback_transaction(c) {
                    tracing::warn!("rolling back failed: {rollback}");
                }
            }
            Err(e)
        }
    }
}

/// Rows that read-modify-write sequences lock first.
#[derive(Debug, Clone, Copy)]
pub enum Lock {
    Thread(i64),
    Post(i64),
    Article(i64),
    User(i64),
}

/// Locks a row until the end of the transaction, so concurrent votes, edits and accepts on it
/// run one after the other. PostgreSQL needs a row lock (`FOR NO KEY UPDATE`); SQLite transactions are already
/// serialised (one writer, plus our write mutex).
pub fn lock(conn: &mut DbConn, what: Lock) -> AppResult<()> {
    use diesel::sql_types::BigInt;
    let (table, id) = match what {
        Lock::Thread(id) => ("threads", id),
        Lock::Post(id) => ("posts", id),
        Lock::Article(id) => ("kb_articles", id),
        Lock::User(id) => ("users", id),
    };
    if let DbConn::Pg(pg) = conn {
        // NO KEY UPDATE: serialises our read-modify-write sequences on the row (it conflicts
        // with itself and with UPDATE) without blocking the key-share locks that inserts
        // referencing the row take — with FOR UPDATE, a consumer inserting a notification or
        // watch for a thread and a merge locking that thread could deadlock.
        diesel::sql_query(format!(
            "SELECT id FROM {table} WHERE id = $1 FOR NO KEY UPDATE"
        ))
        .bind::<BigInt, _>(id)
        .execute(pg)?;
    }
    Ok(())
}

/// SQL for the quarter hour (counted from the Unix epoch, UTC) a timestamp `column` falls in.
/// Per-day figures group by it in the database and fold quarter hours into the reader's days
/// afterwards: every time zone's offset is a whole number of quarter hours, so a day in any
/// zone is exact, summer time included.
pub fn quarter_hour_sql(conn: &DbConn, column: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => format!("(CAST(strftime('%s', {column}) AS BIGINT) / 900)"),
        // `date_part` is a double; `EXTRACT` a numeric, several times slower to divide.
        DbConn::Pg(_) => format!("CAST(FLOOR(date_part('epoch', {column}) / 900) AS BIGINT)"),
    }
}

/// Seconds in one `quarter_hour_sql` step.
pub const QUARTER_HOUR_SECONDS: i64 = 900;

/// A value from the `settings` table (key-value pairs the app keeps for itself).
pub fn get_setting(conn: &mut DbConn, key: &str) -> AppResult<Option<String>> {
    use schema::settings;
    Ok(settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()?)
}

/// Sets a `settings` value, inside the caller's transaction.
pub fn put_setting(conn: &mut DbConn, key: &str, value: &str) -> AppResult<()> {
    use schema::settings;
    // No upsert on the multi-backend: delete then insert.
    diesel::delete(settings::table.find(key)).execute(conn)?;
    diesel::insert_into(settings::table)
        .values((settings::key.eq(key), settings::value.eq(value)))
        .execute(conn)?;
    Ok(())
}

/// Current UTC time, truncated to microseconds so both backends store and return the same value.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}
