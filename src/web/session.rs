//! Server-side sessions in PostgreSQL, behind actix-session's cookie.
//!
//! The cookie carries only a random key; the table stores its SHA-256, the state, and who and
//! where the session belongs to, so sessions work across app instances and can be listed and
//! revoked. Sessions end after 30 idle minutes and, whatever happens, 12 hours after sign-in.

use std::collections::HashMap;

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::{Key, SameSite, time::Duration};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::DbPool;
use crate::db::schema::sessions;

pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;
pub const COOKIE_NAME: &str = "session";

/// Keys in the session state.
pub mod keys {
    pub const USER_ID: &str = "user_id";
    pub const DEVICE: &str = "device";
    pub const CSRF: &str = "csrf";
    pub const IP: &str = "ip";
    pub const USER_AGENT: &str = "user_agent";
    /// Shown in the header; authorisation always reads the database.
    pub const USER_NAME: &str = "user_name";
    /// Only to choose the links in the header; every handler checks the role in the database.
    pub const ROLE: &str = "role";
    /// A one-time message for the next page (e.g. "check your email").
    pub const FLASH: &str = "flash";
    /// Which password the session was opened with (see `credential_stamp`).
    pub const STAMP: &str = "stamp";
}

/// A short digest of the password hash a session was opened with. The signed-in extractor
/// compares it with the stored hash on every request, so a session opened with a password that
/// has since been changed or reset ends — even one whose sign-in was still checking the old
/// password while the change revoked the other sessions.
pub fn credential_stamp(password_hash: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(password_hash.as_bytes())[..8])
}

pub fn middleware(
    pool: DbPool, clock: Clock, key: &[u8; 64], secure: bool,
) -> SessionMiddleware<PgSessionStore> {
    SessionMiddleware::builder(PgSessionStore { pool, clock }, Key::from(key))
        .cookie_name(COOKIE_NAME.into())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(Duration::minutes(IDLE_MINUTES))
                // The idle clock restarts with every request, not only when the state changes.
                .state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
        )
        .build()
}

#[derive(Clone)]
pub struct PgSessionStore {
    pool: DbPool,
    clock: Clock,
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

impl PgSessionStore {
    async fn insert(
        &self, state: HashMap<String, String>, ttl: &Duration,
    ) -> anyhow::Result<SessionKey> {
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
            // Now and then, clear out sessions that ended long ago.
            if rand_percent() == 0 {
                diesel::delete(
                    sessions::table
                        .filter(sessions::idle_expires_at.lt(now - chrono::Duration::days(1))),
                )
                .execute(&mut conn)?;
            }
            Ok(())
        })
        .await??;
        Ok(SessionKey::try_from(key)?)
    }
}

fn rand_percent() -> u32 {
    crate::crypto::random::below(100)
}

impl SessionStore for PgSessionStore {
    async fn load(
        &self, session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let hash = key_hash(session_key.as_ref());
        let pool = self.pool.clone();
        let now = self.clock.now();
        let state = actix_web::web::block(move || -> anyhow::Result<Option<serde_json::Value>> {
            let mut conn = pool.get()?;
            Ok(sessions::table
                .filter(sessions::key_hash.eq(hash))
                .filter(sessions::idle_expires_at.gt(now))
                .filter(sessions::absolute_expires_at.gt(now))
                .select(sessions::state)
                .first(&mut conn)
                .optional()?)
        })
        .await
        .map_err(|e| LoadError::Other(e.into()))?
        .map_err(LoadError::Other)?;
        state
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(
        &self, state: HashMap<String, String>, ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        self.insert(state, ttl).await.map_err(SaveError::Other)
    }

    async fn update(
        &self, session_key: SessionKey, mut state: HashMap<String, String>, ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
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

/// A signed-in device as listed on `/me/sessions`.
#[derive(Debug, Queryable)]
pub struct Device {
    pub id: Uuid,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The device id from the session state, as JSON text.
    device: Option<String>,
}

impl Device {
    /// Whether this is the session with device id `device` (the one making the request).
    pub fn is(&self, device: &str) -> bool {
        self.device.as_deref() == Some(json_text(device).as_str())
    }
}

/// The user's live sessions, most recently used first.
pub fn devices(
    conn: &mut PgConnection, user_id: Uuid, now: DateTime<Utc>,
) -> QueryResult<Vec<Device>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::idle_expires_at.gt(now))
        .filter(sessions::absolute_expires_at.gt(now))
        .order(sessions::last_seen_at.desc())
        .select((
            sessions::id,
            sessions::ip,
            sessions::user_agent,
            sessions::created_at,
            sessions::last_seen_at,
            diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
                "state->>'device'",
            ),
        ))
        .load(conn)
}

/// Ends one of the user's sessions (only theirs: the id alone is not enough).
pub fn revoke(conn: &mut PgConnection, user_id: Uuid, session_id: Uuid) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(sessions::id.eq(session_id)).filter(sessions::user_id.eq(user_id)),
    )
    .execute(conn)
}

/// Ends every session of the user, except the one whose device id is `keep`.
pub fn revoke_all(
    conn: &mut PgConnection, user_id: Uuid, keep: Option<&str>,
) -> QueryResult<usize> {
    let mine = sessions::table.filter(sessions::user_id.eq(user_id));
    match keep {
        Some(device) => diesel::delete(
            mine.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("coalesce(state->>'device', '') <> ")
                    .bind::<diesel::sql_types::Text, _>(json_text(device)),
            ),
        )
        .execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}

/// A string as the JSON text the session state holds (infallible, unlike `to_string`).
fn json_text(value: &str) -> String {
    serde_json::Value::from(value).to_string()
}

/// Reads a string from the session, treating an unreadable value as absent (logged by key; the
/// value itself may be personal).
pub fn get(session: &Session, key: &str) -> Option<String> {
    match session.get::<String>(key) {
        Ok(value) => value,
        Err(_) => {
            tracing::warn!(key, "a session value is not a string");
            None
        }
    }
}
