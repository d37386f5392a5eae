//! Moderation in the database: reports, the queue of reported and held items, the moderators'
//! decisions on reviews and ticket messages, and restrictions on publishing.
//!
//! Moderation owns the moderation state of the items it acts on (`reviews.status` and its
//! `moderation_*` columns, `ticket_messages.moderation*`): the reviews and tickets areas write
//! the text, this module hides, deletes and restores it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use uuid::Uuid;

use crate::db::schema::{
    reports, restrictions, reviews, school_staff, schools, ticket_messages, tickets, users,
};
use crate::domain::Role;

/// What a deleted item's text becomes: the column may not be empty, and pages show the
/// localised "removed by a moderator: <reason>" instead.
pub const REMOVED: &str = "—";

/// Reasons a report can give (the §4 rules), each with a message `report-reason-<code>`.
pub const REASONS: [&str; 8] = [
    "personal_data",
    "false_information",
    "violence",
    "threats",
    "discrimination",
    "pornography",
    "unrelated",
    "other",
];

/// At most this many reports per person per hour.
pub const REPORTS_PER_HOUR: i64 = 10;

/// What a report or a moderator's decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Review(Uuid),
    Message(Uuid),
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Review(_) => "review",
            Target::Message(_) => "message",
        }
    }

    pub fn id(self) -> Uuid {
        match self {
            Target::Review(id) | Target::Message(id) => id,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Restrictions

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = restrictions)]
pub struct Restriction {
    pub id: Uuid,
    pub user_id: Uuid,
    /// `None`: indefinitely.
    pub until: Option<DateTime<Utc>>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// The restriction on publishing in force for this user now, if any.
pub fn restricted(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<Restriction>> {
    restrictions::table
        .filter(restrictions::user_id.eq(user_id))
        .filter(restrictions::lifted_at.is_null())
        .filter(
            restrictions::until
                .is_null()
                .or(restrictions::until.gt(Utc::now())),
        )
        .order(restrictions::created_at.desc())
        .select(Restriction::as_select())
        .first(conn)
        .optional()
}

/// Restricts the user (replacing a restriction in force); returns the new restriction's id.
pub fn restrict(
    conn: &mut PgConnection,
    user_id: Uuid,
    until: Option<DateTime<Utc>>,
    reason: &str,
    by: Uuid,
) -> QueryResult<Uuid> {
    conn.transaction(|conn| {
        lift(conn, user_id, by)?;
        diesel::insert_into(restrictions::table)
            .values((
                restrictions::user_id.eq(user_id),
                restrictions::until.eq(until),
                restrictions::reason.eq(reason),
                restrictions::imposed_by.eq(by),
            ))
            .returning(restrictions::id)
            .get_result(conn)
    })
}

/// Lifts the user's restrictions; returns how many were in force.
pub fn lift(conn: &mut PgConnection, user_id: Uuid, by: Uuid) -> QueryResult<usize> {
    let now = Utc::now();
    diesel::update(
        restrictions::table
            .filter(restrictions::user_id.eq(user_id))
            .filter(restrictions::lifted_at.is_null())
            .filter(
                restrictions::until
                    .is_null()
                    .or(restrictions::until.gt(now)),
            ),
    )
    .set((
        restrictions::lifted_at.eq(now),
        restrictions::lifted_by.eq(by),
    ))
    .execute(conn)
}

/// Restrictions in force with the user's name ("Last First"), newest first.
pub fn restrictions_in_force(
    conn: &mut PgConnection,
    limit: i64,
) -> QueryResult<Vec<(Restriction, String, String)>> {
    restrictions::table
        .inner_join(users::table.on(users::id.eq(restrictions::user_id)))
        .filter(restrictions::lifted_at.is_null())
        .filter(
            restrictions::until
                .is_null()
                .or(restrictions::until.gt(Utc::now())),
        )
        .order(restrictions::created_at.desc())
        .limit(limit)
        .select((
            Restriction::as_select(),
            users::last_name,
            users::first_name,
        ))
        .load(conn)
}

/// Whether the account exists and what role it has.
pub fn role_of(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<String>> {
    users::table
        .find(user_id)
        .select(users::role)
        .first(conn)
        .optional()
}

// ---------------------------------------------------------------------------------------------
// Reports

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
    conn: &mut PgConnection,
    user: Uuid,
    role: Role,
    target: Target,
) -> QueryResult<Option<Reportable>> {
    match target {
        Target::Review(id) => {
            let row: Option<(String, Uuid)> = reviews::table
                .find(id)
                .filter(reviews::status.eq("published"))
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
                .filter(ticket_messages::moderation.eq("visible"))
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
            Ok(participant.then(|| Reportable {
                text,
                back: format!("/tickets/{ticket}"),
            }))
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Filed {
    Filed(Uuid),
    /// The same person already has an open report on this item.
    AlreadyOpen,
}

pub fn file_report(
    conn: &mut PgConnection,
    reporter: Uuid,
    target: Target,
    reason: &str,
    note: Option<&str>,
) -> QueryResult<Filed> {
    let (review_id, message_id) = match target {
        Target::Review(id) => (Some(id), None),
        Target::Message(id) => (None, Some(id)),
    };
    let open: i64 = open_on(target)
        .filter(reports::reporter_id.eq(reporter))
        .count()
        .get_result(conn)?;
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
pub fn reports_last_hour(conn: &mut PgConnection, reporter: Uuid) -> QueryResult<i64> {
    reports::table
        .filter(reports::reporter_id.eq(reporter))
        .filter(reports::created_at.gt(Utc::now() - chrono::Duration::hours(1)))
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
    conn: &mut PgConnection,
    review_ids: &[Uuid],
    message_ids: &[Uuid],
) -> QueryResult<Vec<OpenReport>> {
    reports::table
        .filter(reports::resolved_at.is_null())
        .filter(
            reports::review_id
                .eq_any(review_ids)
                .or(reports::message_id.eq_any(message_ids)),
        )
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
fn open_on<'a>(target: Target) -> reports::BoxedQuery<'a, diesel::pg::Pg> {
    let open = reports::table
        .filter(reports::resolved_at.is_null())
        .into_boxed();
    match target {
        Target::Review(id) => open.filter(reports::review_id.eq(id)),
        Target::Message(id) => open.filter(reports::message_id.eq(id)),
    }
}

fn resolve(conn: &mut PgConnection, target: Target, by: Uuid) -> QueryResult<usize> {
    let open = reports::table.filter(reports::resolved_at.is_null());
    let set = (
        reports::resolved_at.eq(Utc::now()),
        reports::resolved_by.eq(by),
    );
    match target {
        Target::Review(id) => diesel::update(open.filter(reports::review_id.eq(id)))
            .set(set)
            .execute(conn),
        Target::Message(id) => diesel::update(open.filter(reports::message_id.eq(id)))
            .set(set)
            .execute(conn),
    }
}

// ---------------------------------------------------------------------------------------------
// The queue

/// Which list the moderator looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Items with open reports, and reviews held for looking like personal data.
    Queue,
    /// Hidden items, which can be restored.
    Hidden,
}

impl View {
    pub fn parse(code: &str) -> View {
        if code == "hidden" {
            View::Hidden
        } else {
            View::Queue
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            View::Queue => "queue",
            View::Hidden => "hidden",
        }
    }

    /// (kind, id, since) of every item in the view.
    fn items_sql(self) -> &'static str {
        match self {
            View::Queue => {
                "SELECT 'review'::text AS kind, r.id AS id,
                        COALESCE(min(p.created_at), r.updated_at) AS since
                   FROM reviews r
                   LEFT JOIN reports p ON p.review_id = r.id AND p.resolved_at IS NULL
                  WHERE r.status <> 'deleted'
                  GROUP BY r.id
                 HAVING r.status = 'held' OR count(p.id) > 0
                 UNION ALL
                 SELECT 'message'::text, m.id, min(p.created_at)
                   FROM ticket_messages m
                   JOIN reports p ON p.message_id = m.id AND p.resolved_at IS NULL
                  WHERE m.moderation <> 'deleted'
                  GROUP BY m.id"
            }
            View::Hidden => {
                "SELECT 'review'::text AS kind, id, moderated_at AS since
                   FROM reviews WHERE status = 'hidden'
                 UNION ALL
                 SELECT 'message'::text, id, moderated_at
                   FROM ticket_messages WHERE moderation = 'hidden'"
            }
        }
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Entry {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

pub fn count(conn: &mut PgConnection, view: View) -> QueryResult<i64> {
    let sql = format!("SELECT count(*) AS n FROM ({}) q", view.items_sql());
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

/// One page of the view: the queue oldest first (first reported), hidden items newest first.
pub fn page(
    conn: &mut PgConnection,
    view: View,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Target>> {
    let order = match view {
        View::Queue => "q.since, q.id",
        View::Hidden => "q.since DESC NULLS LAST, q.id",
    };
    let sql = format!(
        "SELECT q.kind, q.id FROM ({}) q ORDER BY {order} LIMIT $1 OFFSET $2",
        view.items_sql()
    );
    let rows: Vec<Entry> = diesel::sql_query(sql)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|e| {
            if e.kind == "review" {
                Target::Review(e.id)
            } else {
                Target::Message(e.id)
            }
        })
        .collect())
}

/// A review as the moderator sees it.
#[derive(Debug, Queryable)]
pub struct ReviewItem {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_last: String,
    pub author_first: String,
    pub school_name_kk: String,
    pub school_name_ru: String,
    pub school_stars: i16,
    pub instructor_stars: Option<i16>,
    pub body: String,
    pub status: String,
    pub held_reason: Option<String>,
    pub moderation_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub fn reviews(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<ReviewItem>> {
    reviews::table
        .inner_join(users::table.on(users::id.eq(reviews::author_id)))
        .inner_join(schools::table)
        .filter(reviews::id.eq_any(ids))
        .select((
            reviews::id,
            reviews::author_id,
            users::last_name,
            users::first_name,
            schools::name_kk,
            schools::name_ru,
            reviews::school_stars,
            reviews::instructor_stars,
            reviews::body,
            reviews::status,
            reviews::held_reason,
            reviews::moderation_reason,
            reviews::created_at,
        ))
        .load(conn)
}

/// A ticket message as the moderator sees it (the author may have been deleted).
#[derive(Debug, Queryable)]
pub struct MessageItem {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_last: Option<String>,
    pub author_first: Option<String>,
    pub subject: String,
    pub body: String,
    pub moderation: String,
    pub moderation_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub fn messages(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<MessageItem>> {
    ticket_messages::table
        .inner_join(tickets::table)
        .left_join(users::table.on(users::id.nullable().eq(ticket_messages::author_id)))
        .filter(ticket_messages::id.eq_any(ids))
        .select((
            ticket_messages::id,
            ticket_messages::author_id,
            users::last_name.nullable(),
            users::first_name.nullable(),
            tickets::subject,
            ticket_messages::body,
            ticket_messages::moderation,
            ticket_messages::moderation_reason,
            ticket_messages::created_at,
        ))
        .load(conn)
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Invisible to everyone but its author and the moderators; kept.
    Hide,
    /// The text is removed; a stub with the reason stays.
    Delete,
    /// A hidden item is shown again.
    Restore,
    /// A held review is published.
    Publish,
    /// The reports were unfounded: the item stays as it is.
    Keep,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Hide,
        Action::Delete,
        Action::Restore,
        Action::Publish,
        Action::Keep,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Hide => "hide",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Publish => "publish",
            Action::Keep => "keep",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The state an item in `status` goes to; `None` when the action does not apply.
    /// Reviews are published/held/hidden/deleted, messages visible/hidden/deleted.
    pub fn next(self, target: Target, status: &str, open_reports: i64) -> Option<&'static str> {
        let shown = match target {
            Target::Review(_) => "published",
            Target::Message(_) => "visible",
        };
        match (self, status) {
            (Action::Hide, "published" | "held" | "visible") => Some("hidden"),
            (Action::Delete, "published" | "held" | "visible" | "hidden") => Some("deleted"),
            (Action::Restore, "hidden") => Some(shown),
            (Action::Publish, "held") => Some("published"),
            (Action::Keep, s) if s == shown && open_reports > 0 => Some(shown),
            _ => None,
        }
    }

    /// Whether the action applies to items of this kind at all.
    pub fn applies_to(self, target: Target) -> bool {
        !(self == Action::Publish && matches!(target, Target::Message(_)))
    }
}

/// What a decision did, for the audit trail and the author's mail.
#[derive(Debug, Clone)]
pub struct Decided {
    pub from: String,
    pub to: &'static str,
    pub author_id: Option<Uuid>,
    /// The page the item is on (the school page or the ticket).
    pub place: String,
    pub reports_resolved: usize,
}

fn open_count(conn: &mut PgConnection, target: Target) -> QueryResult<i64> {
    open_on(target).count().get_result(conn)
}

/// Applies the decision and resolves the item's open reports, in one transaction; `None` when
/// it does not apply to the item as it now is (e.g. another moderator was quicker).
pub fn decide(
    conn: &mut PgConnection,
    target: Target,
    action: Action,
    moderator: Uuid,
    reason: &str,
) -> QueryResult<Option<Decided>> {
    conn.transaction(|conn| {
        let now = Utc::now();
        let (status, author_id, place) = match target {
            Target::Review(id) => {
                let (status, author, school): (String, Uuid, Uuid) = reviews::table
                    .find(id)
                    .select((reviews::status, reviews::author_id, reviews::school_id))
                    .for_update()
                    .first(conn)?;
                (status, Some(author), format!("/schools/{school}"))
            }
            Target::Message(id) => {
                let (status, author, ticket): (String, Option<Uuid>, Uuid) = ticket_messages::table
                    .find(id)
                    .select((
                        ticket_messages::moderation,
                        ticket_messages::author_id,
                        ticket_messages::ticket_id,
                    ))
                    .for_update()
                    .first(conn)?;
                (status, author, format!("/tickets/{ticket}"))
            }
        };
        let open = open_count(conn, target)?;
        let Some(next) = action.next(target, &status, open) else {
            return Ok(None);
        };
        if action != Action::Keep {
            match target {
                Target::Review(id) => {
                    let row = reviews::table.find(id);
                    diesel::update(row)
                        .set((
                            reviews::status.eq(next),
                            reviews::moderation_reason.eq(reason),
                            reviews::moderated_by.eq(moderator),
                            reviews::moderated_at.eq(now),
                        ))
                        .execute(conn)?;
                    if action == Action::Delete {
                        diesel::update(row)
                            .set(reviews::body.eq(REMOVED))
                            .execute(conn)?;
                    }
                    if next == "published" {
                        diesel::update(row)
                            .set(reviews::held_reason.eq(None::<String>))
                            .execute(conn)?;
                    }
                }
                Target::Message(id) => {
                    let row = ticket_messages::table.find(id);
                    diesel::update(row)
                        .set((
                            ticket_messages::moderation.eq(next),
                            ticket_messages::moderation_reason.eq(reason),
                            ticket_messages::moderated_by.eq(moderator),
                            ticket_messages::moderated_at.eq(now),
                        ))
                        .execute(conn)?;
                    if action == Action::Delete {
                        diesel::update(row)
                            .set(ticket_messages::body.eq(REMOVED))
                            .execute(conn)?;
                    }
                }
            }
        }
        let reports_resolved = resolve(conn, target, moderator)?;
        Ok(Some(Decided {
            from: status,
            to: next,
            author_id,
            place,
            reports_resolved,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_apply_only_to_items_in_the_right_state() {
        let review = Target::Review(Uuid::nil());
        let message = Target::Message(Uuid::nil());
        assert_eq!(Action::Hide.next(review, "published", 0), Some("hidden"));
        assert_eq!(Action::Hide.next(review, "held", 0), Some("hidden"));
        assert_eq!(Action::Hide.next(review, "deleted", 1), None);
        assert_eq!(Action::Restore.next(review, "hidden", 0), Some("published"));
        assert_eq!(Action::Restore.next(message, "hidden", 0), Some("visible"));
        assert_eq!(
            Action::Restore.next(review, "deleted", 0),
            None,
            "text is gone"
        );
        assert_eq!(Action::Publish.next(review, "held", 0), Some("published"));
        assert_eq!(Action::Publish.next(review, "hidden", 0), None);
        assert_eq!(Action::Delete.next(message, "hidden", 0), Some("deleted"));
        assert_eq!(Action::Keep.next(review, "published", 0), None);
        assert_eq!(Action::Keep.next(message, "visible", 2), Some("visible"));
        assert!(!Action::Publish.applies_to(message));
    }
}
