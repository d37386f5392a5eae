//! The session store behind actix-session: signed-in sessions as rows of `sessions` (the
//! cookie carries a random key, the table its SHA-256), anonymous state carried in the cookie.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{ABSOLUTE_HOURS, AccountReader, IDLE_MINUTES, SignedIn, keys};
use crate::clock::Clock;
use crate::db::DbPool;
use crate::db::schema::sessions;

#[derive(Clone)]
pub struct PgSessionStore {
    pool: DbPool,
    clock: Clock,
    reader: AccountReader,
}

impl PgSessionStore {
    pub fn new(pool: DbPool, clock: Clock, reader: AccountReader) -> PgSessionStore {
        PgSessionStore { pool, clock, reader }
    }
}

fn key_hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

fn minutes(ttl: &Duration) -> chrono::Duration {
    chrono::Duration::seconds(ttl.whole_seconds())
}

/// The columns that mirror parts of the state, for listing and revoking.
struct Mirror {
    user_id: Option<Uuid>,
    ip: Option<String>,
    user_agent: Option<String>,
    state: serde_json::Value,
}

fn mirror(state: &HashMap<String, String>) -> Result<Mirror, serde_json::Error> {
    // Values in actix-session's state are JSON texts. The portal only stores strings there: one
    // that does not read is left out of the columns, and logged by key (never by value).
    let text = |k: &str| {
        let value = state.get(k)?;
        match serde_json::from_str::<String>(value) {
            Ok(text) => Some(text),
            Err(e) => {
                tracing::warn!(key = k, error = ?e.classify(), "a session value is not a string");
                None
            }
        }
    };
    let user_id = text(keys::USER_ID).and_then(|v| match v.parse::<Uuid>() {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::warn!(error = %e, "the session's user id is not a UUID");
            None
        }
    });
    Ok(Mirror {
        user_id,
        ip: text(keys::IP),
        user_agent: text(keys::USER_AGENT),
        state: serde_json::to_value(state)?,
    })
}

/// Anonymous state carried in the session cookie, which actix-session encrypts and
/// authenticates with the portal's key (`CookieContentSecurity::Private`): the client can
/// neither read nor forge it. It lapses 12 hours after it was made, like a session.
mod anonymous {
    use super::*;

    const PREFIX: &str = "anon.";
    /// Well under the 4 KB a browser keeps for a cookie, after encryption and base64.
    const MAX_KEY: usize = 2_400;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Carried {
        state: HashMap<String, String>,
        /// Unix seconds after which the state is gone.
        until: i64,
    }

    /// The cookie key that carries `state`, or `None` when it is too large to carry.
    pub fn key(state: HashMap<String, String>, now: DateTime<Utc>) -> Option<String> {
        let until = (now + chrono::Duration::hours(ABSOLUTE_HOURS)).timestamp();
        let json = serde_json::to_vec(&Carried { state, until }).ok()?;
        let key = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json));
        (key.len() <= MAX_KEY).then_some(key)
    }

    /// `Some(state)` for a key made by [`key`] (`Some(None)` when it has lapsed or does not
    /// read); `None` for a stored session's key.
    #[allow(clippy::option_option)]
    pub fn state(key: &str, now: DateTime<Utc>) -> Option<Option<HashMap<String, String>>> {
        let data = key.strip_prefix(PREFIX)?;
        let carried = URL_SAFE_NO_PAD
            .decode(data)
            .ok()
            .and_then(|json| serde_json::from_slice::<Carried>(&json).ok());
        Some(carried.filter(|c| c.until > now.timestamp()).map(|c| c.state))
    }
}

/// Whether a state belongs in the table: a signed-in user's does.
fn stored(state: &HashMap<String, String>) -> bool {
    state.contains_key(keys::USER_ID)
}

impl PgSessionStore {
    /// A new session: an anonymous state in the cookie when it fits, otherwise a table row.
    async fn insert(
        &self, mut state: HashMap<String, String>, ttl: &Duration,
    ) -> anyhow::Result<SessionKey> {
        state.remove(keys::ACCOUNT);
        if !stored(&state) {
            if let Some(key) = anonymous::key(state.clone(), self.clock.now()) {
                return Ok(SessionKey::try_from(key)?);
            }
        }
        let m = mirror(&state)?;
        let key = crate::crypto::random::token();
        let hash = key_hash(&key);
        let idle = minutes(ttl);
        let pool = self.pool.clone();
        let now = self.clock.now();
        actix_web::web::block(move || -> anyhow::Result<()> {
            let mut conn = pool.get()?;
            diesel::insert_into(sessions::table)
                .values((
                    sessions::key_hash.eq(hash),
                    sessions::user_id.eq(m.user_id),
                    sessions::state.eq(m.state),
                    sessions::ip.eq(m.ip),
                    sessions::user_agent.eq(m.user_agent),
                    sessions::idle_expires_at.eq(now + idle),
                    sessions::absolute_expires_at.eq(now + chrono::Duration::hours(ABSOLUTE_HOURS)),
                ))
                .execute(&mut conn)?;
            Ok(())
        })
        .await??;
        Ok(SessionKey::try_from(key)?)
    }
}

/// Deletes the sessions that have ended (idle or absolute limit passed): they can no longer be
/// used, and they hold addresses and user agents.
pub fn purge_ended(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::idle_expires_at.le(now).or(sessions::absolute_expires_at.le(now))),
    )
    .execute(conn)
}

/// Purges ended sessions at start and every five minutes while the server runs. Every
/// instance does it; deleting twice is harmless.
pub fn spawn_purge(pool: DbPool, clock: Clock) {
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(std::time::Duration::from_secs(300));
        loop {
            every.tick().await;
            let now = clock.now();
            match crate::db::run(&pool, move |conn| Ok(purge_ended(conn, now)?)).await {
                Ok(0) => {}
                Ok(count) => tracing::debug!(count, "purged ended sessions"),
                Err(e) => tracing::warn!(error = %e, "purging ended sessions failed"),
            }
        }
    });
}

/// How often a session's idle clock is written: a busy tab costs one write a minute, not one
/// a request. The idle limit may end up to this much early.
const STAMP_EVERY_SECONDS: i64 = 60;

#[derive(QueryableByName)]
struct LoadedState {
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    state: serde_json::Value,
}

/// A live session's state, its idle clock restarted when it was last written over a minute ago
/// — one statement, so a signed-in request reads its session in one round trip.
fn load_and_stamp(
    conn: &mut PgConnection, hash: Vec<u8>, now: DateTime<Utc>,
) -> QueryResult<Option<serde_json::Value>> {
    use diesel::sql_types::{Bytea, Timestamptz};
    diesel::sql_query(
        "WITH found AS (SELECT id, state, last_seen_at FROM sessions \
           WHERE key_hash = $1 AND idle_expires_at > $2 AND absolute_expires_at > $2), \
         stamped AS (UPDATE sessions s SET last_seen_at = $2, idle_expires_at = $3 \
           FROM found WHERE s.id = found.id AND found.last_seen_at <= $4) \
         SELECT state FROM found",
    )
    .bind::<Bytea, _>(hash)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now + chrono::Duration::minutes(IDLE_MINUTES))
    .bind::<Timestamptz, _>(now - chrono::Duration::seconds(STAMP_EVERY_SECONDS))
    .get_result::<LoadedState>(conn)
    .optional()
    .map(|row| row.map(|r| r.state))
}

impl SessionStore for PgSessionStore {
    async fn load(
        &self, session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let now = self.clock.now();
        if let Some(state) = anonymous::state(session_key.as_ref(), now) {
            return Ok(state);
        }
        let hash = key_hash(session_key.as_ref());
        let (pool, AccountReader(read)) = (self.pool.clone(), self.reader);
        actix_web::web::block(move || -> anyhow::Result<_> {
            // After a PostgreSQL restart every pooled connection fails its next statement
            // once (then diesel sees it broken and the pool replaces it): a read and a stamp
            // are safe to repeat, so the session survives on the next connection.
            let mut attempt = 0;
            let (mut conn, loaded) = loop {
                let mut conn = pool.get()?;
                match load_and_stamp(&mut conn, hash.clone(), now) {
                    Ok(loaded) => break (conn, loaded),
                    Err(_) if attempt < pool.max_size() => attempt += 1,
                    Err(e) => return Err(e.into()),
                }
            };
            let Some(state) = loaded else { return Ok(None) };
            let mut state: HashMap<String, String> = serde_json::from_value(state)?;
            let user = state.get(keys::USER_ID).and_then(|v| serde_json::from_str::<Uuid>(v).ok());
            if let Some(id) = user {
                if let Some(account) = read(&mut conn, id)? {
                    let account = serde_json::to_string(&SignedIn::from(id, account))?;
                    state.insert(keys::ACCOUNT.into(), account);
                }
            }
            Ok(Some(state))
        })
        .await
        .map_err(|e| LoadError::Other(e.into()))?
        .map_err(LoadError::Other)
    }

    async fn save(
        &self, state: HashMap<String, String>, ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        self.insert(state, ttl).await.map_err(SaveError::Other)
    }

    async fn update(
        &self, session_key: SessionKey, mut state: HashMap<String, String>, ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        if anonymous::state(session_key.as_ref(), self.clock.now()).is_some() {
            // Carried in the cookie: the new state makes a new key (or, signed in, a row).
            return self.insert(state, ttl).await.map_err(UpdateError::Other);
        }
        state.remove(keys::ACCOUNT);
        let m = mirror(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let hash = key_hash(session_key.as_ref());
        let idle = minutes(ttl);
        let pool = self.pool.clone();
        let now = self.clock.now();
        let updated = actix_web::web::block(move || -> anyhow::Result<usize> {
            let mut conn = pool.get()?;
            Ok(diesel::update(
                sessions::table
                    .filter(sessions::key_hash.eq(hash))
                    .filter(sessions::absolute_expires_at.gt(now)),
            )
            .set((
                sessions::user_id.eq(m.user_id),
                sessions::state.eq(m.state),
                sessions::ip.eq(m.ip),
                sessions::user_agent.eq(m.user_agent),
                sessions::last_seen_at.eq(now),
                sessions::idle_expires_at.eq(now + idle),
            ))
            .execute(&mut conn)?)
        })
        .await
        .map_err(|e| UpdateError::Other(e.into()))?
        .map_err(UpdateError::Other)?;
        if updated == 1 {
            return Ok(session_key);
        }
        // Revoked or expired meanwhile: start afresh, signed out, rather than bring it back.
        state.remove(keys::USER_ID);
        self.insert(state, ttl).await.map_err(UpdateError::Other)
    }

    async fn update_ttl(&self, session_key: &SessionKey, ttl: &Duration) -> anyhow::Result<()> {
        if anonymous::state(session_key.as_ref(), self.clock.now()).is_some() {
            return Ok(());
        }
        let hash = key_hash(session_key.as_ref());
        let idle = minutes(ttl);
        let pool = self.pool.clone();
        let now = self.clock.now();
        actix_web::web::block(move || -> anyhow::Result<()> {
            let mut conn = pool.get()?;
            diesel::update(sessions::table.filter(sessions::key_hash.eq(hash)))
                .set((sessions::last_seen_at.eq(now), sessions::idle_expires_at.eq(now + idle)))
                .execute(&mut conn)?;
            Ok(())
        })
        .await?
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        if anonymous::state(session_key.as_ref(), self.clock.now()).is_some() {
            return Ok(());
        }
        let hash = key_hash(session_key.as_ref());
        let pool = self.pool.clone();
        actix_web::web::block(move || -> anyhow::Result<()> {
            let mut conn = pool.get()?;
            diesel::delete(sessions::table.filter(sessions::key_hash.eq(hash)))
                .execute(&mut conn)?;
            Ok(())
        })
        .await?
    }
}
