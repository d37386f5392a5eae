//! Photos in the database: the owner's list, who may see whose photo, the review queue and
//! the decision. The images themselves are in `store` (sealed).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::accounts;
use crate::db::schema::{photos, users};
use crate::db::text_enum::text_enum;
use crate::domain::Role;

text_enum! {
    /// Where an uploaded photo stands (`photos.status`).
    pub enum PhotoStatus {
        Pending = "pending",
        Verified = "verified",
        Rejected = "rejected",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = photos)]
pub struct Photo {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub kind: String,
    pub status: PhotoStatus,
    pub reject_reason: Option<String>,
    pub reject_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Reasons a reviewer can give, each with a message `photo-reason-<code>`.
pub const REJECT_REASONS: [&str; 6] =
    ["blurry", "face_hidden", "unreadable", "wrong_document", "mismatch", "other"];

/// Pending document photos one person may have at a time (front, back, a spare).
pub const MAX_PENDING_DOCUMENTS: i64 = 3;

/// Kinds of identification photos. A ticket's "attachment" is a photo row too (sealed the same
/// way) but is none of these: it is listed, reviewed and shown by the tickets area, which knows
/// who takes part in a ticket; here it is never listed, queued, decided or served.
pub const ID_KINDS: [&str; 2] = ["face", "document"];

pub fn of_owner(conn: &mut PgConnection, owner_id: Uuid) -> QueryResult<Vec<Photo>> {
    photos::table
        .filter(photos::owner_id.eq(owner_id))
        .filter(photos::kind.eq_any(ID_KINDS))
        .order(photos::created_at.desc())
        .select(Photo::as_select())
        .load(conn)
}

/// An identification photo (never a ticket's attachment: see `ID_KINDS`).
pub fn photo(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Photo>> {
    photos::table
        .find(id)
        .filter(photos::kind.eq_any(ID_KINDS))
        .select(Photo::as_select())
        .first(conn)
        .optional()
}

/// The school the staff member works for, if the owner applied to or trains there.
pub fn shared_school(conn: &mut PgConnection, staff_id: Uuid, owner_id: Uuid) -> QueryResult<bool> {
    crate::schools::groups::model::staff_shares_school(conn, staff_id, owner_id)
}

/// Whether `viewer` (with `role`) may see the owner's photos: the owner, the operator's
/// administrators and moderators, and the staff of a school the owner applied to or trains at.
///
/// This is about identification photos. A ticket's attachment is not one of them (`photo`
/// never returns it, so the photo routes answer "not found"): who may see it depends on the
/// ticket, not on its owner, and the tickets area serves it to the ticket's participants.
pub fn may_view(
    conn: &mut PgConnection, viewer: Uuid, role: Role, owner_id: Uuid,
) -> QueryResult<bool> {
    Ok(match role {
        _ if viewer == owner_id => true,
        Role::Admin | Role::Moderator => true,
        Role::SchoolStaff | Role::Instructor => shared_school(conn, viewer, owner_id)?,
        Role::Student => false,
    })
}

/// A pending photo in the queue with its owner (identifiers still sealed).
pub type Queued = (Photo, crate::accounts::model::UserRow);

/// Oldest pending photos first: every one for the operator's staff, or only those of people
/// who applied to or train at the reviewer's school.
pub fn queue(
    conn: &mut PgConnection, reviewer: Uuid, role: Role, limit: i64,
) -> QueryResult<Vec<Queued>> {
    let mut query = photos::table
        .inner_join(users::table)
        .filter(photos::status.eq(PhotoStatus::Pending))
        .filter(photos::kind.eq_any(ID_KINDS))
        .order(photos::created_at)
        .limit(limit)
        .select((Photo::as_select(), crate::accounts::model::UserRow::as_select()))
        .into_boxed();
    if !matches!(role, Role::Admin | Role::Moderator) {
        let theirs = crate::schools::groups::model::students_of_staff(conn, reviewer)?;
        query = query.filter(photos::owner_id.eq_any(theirs));
    }
    query.load(conn)
}

/// Records the decision on a pending photo; false when it was no longer pending.
pub fn decide(
    conn: &mut PgConnection, id: Uuid, reviewer: Uuid, verdict: Result<(), (&str, &str)>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let (status, reason, note) = match verdict {
        Ok(()) => (PhotoStatus::Verified, None, None),
        Err((reason, note)) => (
            PhotoStatus::Rejected,
            Some(reason.to_string()),
            Some(note.to_string()).filter(|n| !n.is_empty()),
        ),
    };
    let n = diesel::update(
        photos::table.filter(photos::id.eq(id)).filter(photos::status.eq(PhotoStatus::Pending)),
    )
    .set((
        photos::status.eq(status),
        photos::reject_reason.eq(reason),
        photos::reject_note.eq(note),
        photos::reviewed_by.eq(reviewer),
        photos::reviewed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Before a new upload of `kind`: rejected photos of that kind go, and a pending face photo
/// is replaced by the new one. Returns false when the person already has the most pending
/// document photos allowed.
pub fn make_room(conn: &mut PgConnection, owner_id: Uuid, kind: &str) -> QueryResult<bool> {
    // One upload of a person at a time: without the lock, two uploads finishing together
    // would each delete the other's not yet committed predecessor and both stay pending.
    accounts::model::lock(conn, owner_id)?;
    let replaced: &[PhotoStatus] = if kind == "face" {
        &[PhotoStatus::Rejected, PhotoStatus::Pending]
    } else {
        &[PhotoStatus::Rejected]
    };
    diesel::delete(
        photos::table
            .filter(photos::owner_id.eq(owner_id))
            .filter(photos::kind.eq(kind))
            .filter(photos::status.eq_any(replaced)),
    )
    .execute(conn)?;
    if kind == "face" {
        return Ok(true);
    }
    let pending: i64 = photos::table
        .filter(photos::owner_id.eq(owner_id))
        .filter(photos::kind.eq(kind))
        .filter(photos::status.eq(PhotoStatus::Pending))
        .count()
        .get_result(conn)?;
    Ok(pending < MAX_PENDING_DOCUMENTS)
}

/// The person's latest verified face photo: their profile photo.
pub fn profile_photo(conn: &mut PgConnection, owner_id: Uuid) -> QueryResult<Option<Uuid>> {
    photos::table
        .filter(photos::owner_id.eq(owner_id))
        .filter(photos::kind.eq("face"))
        .filter(photos::status.eq(PhotoStatus::Verified))
        .order(photos::reviewed_at.desc())
        .select(photos::id)
        .first(conn)
        .optional()
}
