//! Database access: the r2d2 pool, embedded migrations, and running queries off the async threads.

pub mod embedded;
mod job;
pub use job::JobDatabase;
pub mod schema;
pub mod text_enum;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::PgConnection;
use diesel::connection::{Connection, InstrumentationEvent};
use diesel::r2d2::{
    ConnectionManager, CustomizeConnection, Pool, PooledConnection, R2D2Connection,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::Config;
use crate::error::AppError;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Holds a lock named `key` until the end of the transaction (a PostgreSQL advisory lock), so
/// that requests which count rows and then add one — rate limits, throttles — take turns even
/// across app instances. Must run in a transaction.
pub fn lock_named(conn: &mut PgConnection, key: &str) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<diesel::sql_types::Text, _>(key)
        .execute(conn)
        .map(|_| ())
}

/// The database name the embedded cluster serves the portal from.
pub const EMBEDDED_DATABASE: &str = "avtomektep";

/// How many SQL statements the pool's connections have sent. Tests and benchmarks read it to
/// prove that a page costs a fixed number of queries however much data there is (no N+1).
#[derive(Debug, Clone, Default)]
pub struct QueryCounter(Arc<AtomicU64>);

impl QueryCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for QueryCounter {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        let count = self.0.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                count.fetch_add(1, Ordering::Relaxed);
            }
        });
        Ok(())
    }
}

/// Builds the pool once. A short checkout timeout turns an overloaded or lost database into a
/// quick 503 page instead of a request hanging for half a minute.
/// Runs an insert in a savepoint and answers `None` when a unique index refuses it: the
/// caller's transaction goes on (a plain refusal would abort it) and can tell the user why.
pub fn unless_taken<T>(
    conn: &mut PgConnection, insert: impl FnOnce(&mut PgConnection) -> diesel::QueryResult<T>,
) -> diesel::QueryResult<Option<T>> {
    use diesel::result::{DatabaseErrorKind::UniqueViolation, Error::DatabaseError};
    match conn.transaction(insert) {
        Ok(value) => Ok(Some(value)),
        Err(DatabaseError(UniqueViolation, _)) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn pool(url: &str, size: u32) -> Result<DbPool, diesel::r2d2::PoolError> {
    counted_pool(url, size, QueryCounter::default())
}

/// A pool whose statements are counted by `queries`.
pub fn counted_pool(
    url: &str, size: u32, queries: QueryCounter,
) -> Result<DbPool, diesel::r2d2::PoolError> {
    Pool::builder()
        .max_size(size)
        .connection_customizer(Box::new(queries))
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        // No `SELECT 1` before every checkout (a page checks out two or three times): a
        // connection the server dropped fails its next statement, diesel then marks it broken
        // (libpq reports the connection bad) and the pool replaces it, so after a PostgreSQL
        // restart each stale connection costs one request a 503, not every request a round trip.
        .test_on_check_out(false)
        .build(ConnectionManager::new(url))
}

/// Applies pending migrations; returns the versions it applied.
pub fn migrate(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// The database the process talks to: a configured server, or the embedded cluster it owns.
pub struct Database {
    pub url: String,
    embedded: Option<embedded::EmbeddedPostgres>,
}

impl Database {
    pub fn open(config: &Config) -> anyhow::Result<Database> {
        match &config.database_url {
            Some(url) => Ok(Database { url: url.clone(), embedded: None }),
            None => {
                let server = embedded::EmbeddedPostgres::start(
                    &config.data_dir.join("postgres"),
                    embedded::Durability::Durable,
                )?;
                server.ensure_database(EMBEDDED_DATABASE)?;
                Ok(Database { url: server.url(EMBEDDED_DATABASE), embedded: Some(server) })
            }
        }
    }

    pub fn is_embedded(&self) -> bool {
        self.embedded.is_some()
    }

    /// Stops the embedded cluster (if any) cleanly; call after the pool is gone.
    pub fn close(mut self) {
        if let Some(mut server) = self.embedded.take() {
            server.stop();
        }
    }
}

/// Runs `f` with a pooled connection on the blocking thread pool (diesel is synchronous, and
/// both the checkout and the query may wait), in a transaction: a handler's writes — the
/// change and its audit event — land together or not at all, and an error changes nothing.
/// A `transaction` inside `f` becomes a savepoint; a statement whose database error `f`
/// catches and answers (a unique index, an exclusion constraint) must run in one, or the
/// error aborts the whole transaction.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    read(pool, |conn| conn.transaction(f)).await
}

/// Runs `f`, which only reads, with a pooled connection on the blocking thread pool, without a
/// transaction: at READ COMMITTED each statement sees its own snapshot inside a transaction
/// too, so BEGIN and COMMIT would add two round trips and buy a read nothing. Anything that
/// writes goes through [`run`], which is this with a transaction around `f`.
pub async fn read<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(AppError::from)?;
        match f(&mut conn) {
            // The server dropped the connection (a restart): "try again", not a fault; the
            // connection is now marked broken and the pool replaces it.
            Err(AppError::Internal(e)) if R2D2Connection::is_broken(&mut *conn) => {
                Err(AppError::Unavailable(e))
            }
            other => other,
        }
    })
    .await?
}
