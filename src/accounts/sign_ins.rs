//! Sign-in attempts: the user's history (policy §5) and the throttle's memory.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::sign_ins;

/// One sign-in attempt, kept as the user's history and for throttling. It is recorded as
/// failed before the password is checked (so attempts in flight count against the limit) and
/// marked a success afterwards when the password matched; returns its id.
pub fn record_attempt(
    conn: &mut PgConnection, user_id: Option<Uuid>, ip: &str, user_agent: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(sign_ins::table)
        .values((
            sign_ins::user_id.eq(user_id),
            sign_ins::ip.eq(ip),
            sign_ins::user_agent.eq(user_agent),
            sign_ins::success.eq(false),
        ))
        .returning(sign_ins::id)
        .get_result(conn)
}

pub fn mark_success(conn: &mut PgConnection, attempt: Uuid) -> QueryResult<()> {
    diesel::update(sign_ins::table.find(attempt))
        .set(sign_ins::success.eq(true))
        .execute(conn)
        .map(|_| ())
}

pub fn failures_since(
    conn: &mut PgConnection, user_id: Uuid, since: DateTime<Utc>,
) -> QueryResult<Vec<DateTime<Utc>>> {
    sign_ins::table
        .filter(sign_ins::user_id.eq(user_id))
        .filter(sign_ins::success.eq(false))
        .filter(sign_ins::at.gt(since))
        .order(sign_ins::at.asc())
        .select(sign_ins::at)
        .load(conn)
}

#[derive(Debug, Queryable)]
pub struct SignIn {
    pub at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: Option<String>,
    pub success: bool,
}

pub fn sign_in_history(
    conn: &mut PgConnection, user_id: Uuid, limit: i64,
) -> QueryResult<Vec<SignIn>> {
    sign_ins::table
        .filter(sign_ins::user_id.eq(user_id))
        .order(sign_ins::at.desc())
        .limit(limit)
        .select((sign_ins::at, sign_ins::ip, sign_ins::user_agent, sign_ins::success))
        .load(conn)
}
