//! What opening a ticket and replying share: the per-person rate limit and the optional image,
//! which goes through the photos area's pipeline and is stored sealed like every photo.

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use diesel::prelude::QueryResult;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, RATE_LIMIT, STAFF_RATE_LIMIT};
use crate::audit::NewAuditEvent;
use crate::crypto::KeyRing;
use crate::error::AppError;
use crate::media::pipeline::Processed;
use crate::media::upload::{self, Upload, UploadError};
use crate::photos::store::{self, NewPhoto};
use crate::state::AppState;

fn limit(staff: bool) -> i64 {
    if staff { STAFF_RATE_LIMIT } else { RATE_LIMIT }
}

/// A first look, before an image is processed: whether the person already sent too much.
pub fn over_limit(
    conn: &mut PgConnection, user: Uuid, staff: bool, now: DateTime<Utc>,
) -> QueryResult<bool> {
    Ok(model::recent_messages(conn, user, now)? >= limit(staff))
}

/// `over_limit` as a request's own database work.
pub async fn flooded(
    state: &AppState, user: Uuid, staff: bool, now: DateTime<Utc>,
) -> Result<bool, AppError> {
    crate::db::run(&state.pool, move |conn| Ok(over_limit(conn, user, staff, now)?)).await
}

/// Inside the transaction that stores the message: messages sent at the same moment wait for
/// each other, so the limit holds under a flood of parallel requests.
pub fn may_send(
    conn: &mut PgConnection, user: Uuid, staff: bool, now: DateTime<Utc>,
) -> QueryResult<bool> {
    crate::db::lock_named(conn, &format!("ticket-messages:{user}"))?;
    Ok(!over_limit(conn, user, staff, now)?)
}

/// Decodes, cleans and re-encodes the image off the async threads (no metadata survives).
pub async fn process(image: Option<Upload>) -> Result<Option<Processed>, UploadError> {
    match image {
        None => Ok(None),
        Some(image) => upload::process(image).await.map(Some),
    }
}

/// Stores the image, if one came with the message, and writes it down in the audit trail.
pub fn attach_any(
    conn: &mut PgConnection, keys: &KeyRing, owner: Uuid, ticket_id: Uuid, message_id: Uuid,
    image: Option<&Processed>,
) -> QueryResult<()> {
    let Some(image) = image else {
        return Ok(());
    };
    let photo = attach(conn, keys, owner, message_id, image)?;
    NewAuditEvent::by(owner, "ticket.attachment_added")
        .on("photo", photo)
        .details(json!({ "ticket": ticket_id, "message": message_id }))
        .record(conn)
}

/// Stores the image (sealed) and attaches it to the message; returns the photo's id.
fn attach(
    conn: &mut PgConnection, keys: &KeyRing, owner: Uuid, message_id: Uuid, image: &Processed,
) -> QueryResult<Uuid> {
    let photo = store::insert(
        conn,
        keys,
        &NewPhoto {
            owner_id: owner,
            kind: "attachment",
            width: image.width as i32,
            height: image.height as i32,
            full: &image.full,
            thumb: &image.thumb,
        },
    )?;
    model::attach(conn, message_id, photo)?;
    Ok(photo)
}
