//! Filing reports, and the reports still open.

use super::*;
use crate::reviews::model::ReviewStatus;
use crate::tickets::model::MessageModeration;

/// An item someone may report: its text and the page it is shown on.
#[derive(Debug, Clone)]
pub struct Reportable {
    pub text: String,
    pub back: String,
}

/// The item, if `user` can see it: a published review (public), or a visible message of a
/// ticket the user takes part in — its author, the staff of the school it is addressed to, or
/// the operator's moderators and administrators for a ticket to the operator.
pub fn reportable(
    conn: &mut PgConnection, user: Uuid, role: Role, target: Target,
) -> QueryResult<Option<Reportable>> {
    match target {
        Target::Review(id) => {
            let row: Option<(String, Uuid)> = reviews::table
                .find(id)
                .filter(reviews::status.eq(ReviewStatus::Published))
                .select((reviews::body, reviews::school_id))
                .first(conn)
                .optional()?;
            Ok(row.map(|(text, school)| Reportable {
                text,
                back: format!("/schools/{school}#review-{id}"),
            }))
        }
        Target::Message(id) => {
            let row: Option<(String, Uuid, Uuid, Option<Uuid>)> = ticket_messages::table
                .inner_join(tickets::table)
                .filter(ticket_messages::id.eq(id))
                .filter(ticket_messages::moderation.eq(MessageModeration::Visible))
                .select((
                    ticket_messages::body,
                    tickets::id,
                    tickets::author_id,
                    tickets::school_id,
                ))
                .first(conn)
                .optional()?;
            let Some((text, ticket, author, school)) = row else {
                return Ok(None);
            };
            let participant = author == user
                || match school {
                    None => matches!(role, Role::Admin | Role::Moderator),
                    Some(school) => {
                        let staff: i64 = school_staff::table
                            .filter(school_staff::user_id.eq(user))
                            .filter(school_staff::school_id.eq(school))
                            .count()
                            .get_result(conn)?;
                        staff > 0
                    }
                };
            Ok(participant.then(|| Reportable { text, back: format!("/tickets/{ticket}") }))
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Filed {
    Filed(Uuid),
    /// The same person already has an open report on this item.
    AlreadyOpen,
    /// Reports sent at the same moment went past the hourly limit.
    TooMany,
}

pub fn file_report(
    conn: &mut PgConnection, reporter: Uuid, target: Target, reason: &str, note: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<Filed> {
    let (review_id, message_id) = match target {
        Target::Review(id) => (Some(id), None),
        Target::Message(id) => (None, Some(id)),
    };
    // A double click or a burst: one report after the other, each seeing the ones before.
    crate::db::lock_named(conn, &format!("reports:{reporter}"))?;
    if reports_last_hour(conn, reporter, now)? >= REPORTS_PER_HOUR {
        return Ok(Filed::TooMany);
    }
    let open: i64 =
        open_on(target).filter(reports::reporter_id.eq(reporter)).count().get_result(conn)?;
    if open > 0 {
        return Ok(Filed::AlreadyOpen);
    }
    diesel::insert_into(reports::table)
        .values((
            reports::reporter_id.eq(reporter),
            reports::review_id.eq(review_id),
            reports::message_id.eq(message_id),
            reports::reason.eq(reason),
            reports::note.eq(note),
        ))
        .returning(reports::id)
        .get_result(conn)
        .map(Filed::Filed)
}

/// Reports this person filed in the last hour.
pub fn reports_last_hour(
    conn: &mut PgConnection, reporter: Uuid, now: DateTime<Utc>,
) -> QueryResult<i64> {
    reports::table
        .filter(reports::reporter_id.eq(reporter))
        .filter(reports::created_at.gt(now - chrono::Duration::hours(1)))
        .count()
        .get_result(conn)
}

/// An open report on an item of the queue.
#[derive(Debug, Queryable)]
pub struct OpenReport {
    pub review_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub reason: String,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The open reports on these items, oldest first.
pub fn open_reports(
    conn: &mut PgConnection, review_ids: &[Uuid], message_ids: &[Uuid],
) -> QueryResult<Vec<OpenReport>> {
    reports::table
        .filter(reports::resolved_at.is_null())
        .filter(reports::review_id.eq_any(review_ids).or(reports::message_id.eq_any(message_ids)))
        .order(reports::created_at)
        .select((
            reports::review_id,
            reports::message_id,
            reports::reason,
            reports::note,
            reports::created_at,
        ))
        .load(conn)
}

/// The open reports on one item.
pub(super) fn open_on<'a>(target: Target) -> reports::BoxedQuery<'a, diesel::pg::Pg> {
    let open = reports::table.filter(reports::resolved_at.is_null()).into_boxed();
    match target {
        Target::Review(id) => open.filter(reports::review_id.eq(id)),
        Target::Message(id) => open.filter(reports::message_id.eq(id)),
    }
}

pub(super) fn resolve(
    conn: &mut PgConnection, target: Target, by: Uuid, now: DateTime<Utc>,
) -> QueryResult<usize> {
    let open = reports::table.filter(reports::resolved_at.is_null());
    let set = (reports::resolved_at.eq(now), reports::resolved_by.eq(by));
    match target {
        Target::Review(id) => {
            diesel::update(open.filter(reports::review_id.eq(id))).set(set).execute(conn)
        }
        Target::Message(id) => {
            diesel::update(open.filter(reports::message_id.eq(id))).set(set).execute(conn)
        }
    }
}
