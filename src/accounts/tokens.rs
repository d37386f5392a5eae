//! Single-use tokens sent by email (verification, password reset, guardian consent).
//! Only their SHA-256 is stored: a copy of the table opens nothing.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::schema::tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    GuardianConsent,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::GuardianConsent => "guardian_consent",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(24),
            Purpose::ResetPassword => Duration::hours(1),
            Purpose::GuardianConsent => Duration::days(7),
        }
    }
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Issues a new token; earlier unused tokens of the same purpose stop working.
pub fn issue(
    conn: &mut PgConnection, user_id: Uuid, purpose: Purpose, now: DateTime<Utc>,
) -> QueryResult<String> {
    let token = crate::crypto::random::token();
    conn.transaction(|conn| {
        // Two requests at once ("send again" clicked twice) leave one live token, not two.
        super::model::lock(conn, user_id)?;
        diesel::update(
            tokens::table
                .filter(tokens::user_id.eq(user_id))
                .filter(tokens::purpose.eq(purpose.code()))
                .filter(tokens::used_at.is_null()),
        )
        .set(tokens::used_at.eq(now))
        .execute(conn)?;
        diesel::insert_into(tokens::table)
            .values((
                tokens::hash.eq(hash(&token)),
                tokens::user_id.eq(user_id),
                tokens::purpose.eq(purpose.code()),
                tokens::expires_at.eq(now + purpose.lifetime()),
            ))
            .execute(conn)
    })?;
    Ok(token)
}

/// The user a valid token belongs to, without using it up (to show a confirmation page).
pub fn peek(
    conn: &mut PgConnection, token: &str, purpose: Purpose, now: DateTime<Utc>,
) -> QueryResult<Option<Uuid>> {
    tokens::table
        .filter(tokens::hash.eq(hash(token)))
        .filter(tokens::purpose.eq(purpose.code()))
        .filter(tokens::used_at.is_null())
        .filter(tokens::expires_at.gt(now))
        .select(tokens::user_id)
        .first(conn)
        .optional()
}

/// Uses a token up; `None` when it is unknown, used or expired. One statement, so two
/// clicks at once cannot both succeed.
pub fn consume(
    conn: &mut PgConnection, token: &str, purpose: Purpose, now: DateTime<Utc>,
) -> QueryResult<Option<Uuid>> {
    diesel::update(
        tokens::table
            .filter(tokens::hash.eq(hash(token)))
            .filter(tokens::purpose.eq(purpose.code()))
            .filter(tokens::used_at.is_null())
            .filter(tokens::expires_at.gt(now)),
    )
    .set(tokens::used_at.eq(now))
    .returning(tokens::user_id)
    .get_result(conn)
    .optional()
}

/// What the page a mailed link opens needs about the token's holder (`read`, in the same
/// transaction), if the token is still good (not used, not expired); the token is not used up.
pub async fn holder<T: Send + 'static>(
    state: &crate::state::AppState, token: &str, purpose: Purpose,
    read: impl FnOnce(&mut PgConnection, Uuid) -> QueryResult<T> + Send + 'static,
) -> Result<Option<T>, crate::error::AppError> {
    let (now, token) = (state.clock.now(), token.to_string());
    crate::db::run(&state.pool, move |conn| {
        Ok(match peek(conn, &token, purpose, now)? {
            Some(id) => Some(read(conn, id)?),
            None => None,
        })
    })
    .await
}

/// Uses a mailed link's token up and, in the same transaction, does what the link is for with
/// the holder's id and the time; `None` when the token is used, expired or unknown.
pub async fn redeem<T: Send + 'static>(
    state: &crate::state::AppState, token: String, purpose: Purpose,
    act: impl FnOnce(&mut PgConnection, Uuid, DateTime<Utc>) -> Result<T, crate::error::AppError>
    + Send
    + 'static,
) -> Result<Option<T>, crate::error::AppError> {
    let now = state.clock.now();
    crate::db::run(&state.pool, move |conn| match consume(conn, &token, purpose, now)? {
        Some(id) => act(conn, id, now).map(Some),
        None => Ok(None),
    })
    .await
}
