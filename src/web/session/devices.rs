//! A person's signed-in devices: listed on `/me/sessions`, ended one by one or all but this one.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::sessions;

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
