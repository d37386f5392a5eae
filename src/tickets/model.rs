//! Tickets, their messages and attachments in the database, and the rules of their statuses.
//!
//! Names of people and schools are read by joining `users` and `schools` for display only;
//! memberships, enrolments and staff lists come through the schools area's functions.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use uuid::Uuid;

use crate::accounts::model::UserRow;
use crate::db::schema::{schools, ticket_attachments, ticket_messages, tickets, users};
use crate::domain::Role;

/// Categories, each with a message `ticket-category-<code>`.
pub const CATEGORIES: [&str; 5] = [
    "technical",
    "training",
    "complaint",
    "personal_data",
    "other",
];

/// Statuses in their order, each with a message `ticket-status-<code>`.
pub const STATUSES: [&str; 5] = [
    "new",
    "in_progress",
    "waiting_for_user",
    "resolved",
    "closed",
];

/// What staff may set (a ticket is "new" only until someone works on it).
pub const STAFF_STATUSES: [&str; 4] = ["in_progress", "waiting_for_user", "resolved", "closed"];

/// How long after a ticket was resolved or closed its author may reopen it.
pub const REOPEN_DAYS: i64 = 14;

/// Longest subject and message, as the table allows.
pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 5000;

/// Messages (tickets and replies) a person may send within `RATE_WINDOW_MINUTES`; staff
/// answering their queue get more.
pub const RATE_LIMIT: i64 = 10;
pub const STAFF_RATE_LIMIT: i64 = 60;
pub const RATE_WINDOW_MINUTES: i64 = 10;

/// Reasons a moderator may give, each with a message `ticket-removed-<code>`.
pub const MODERATION_REASONS: [&str; 8] = [
    "personal_data",
    "false_information",
    "violence",
    "threats",
    "discrimination",
    "pornography",
    "unrelated",
    "other",
];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct Ticket {
    pub id: Uuid,
    pub author_id: Uuid,
    pub school_id: Option<Uuid>,
    pub category: String,
    pub subject: String,
    pub status: String,
    pub assignee_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub fn is_finished(status: &str) -> bool {
    matches!(status, "resolved" | "closed")
}

impl Ticket {
    pub fn finished(&self) -> bool {
        is_finished(&self.status)
    }

    /// Whether the author may still reopen it (resolved or closed less than 14 days ago).
    pub fn reopenable(&self, now: DateTime<Utc>) -> bool {
        self.finished()
            && self
                .finished_at
                .is_some_and(|at| now - at <= Duration::days(REOPEN_DAYS))
    }

    /// `finished_at` once the status becomes `next`: set when the ticket finishes, kept while it
    /// stays finished (resolved → closed does not lengthen the reopening window), cleared when
    /// it opens again.
    pub fn finished_at_after(&self, next: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match (self.finished(), is_finished(next)) {
            (_, false) => None,
            (false, true) => Some(now),
            (true, true) => self.finished_at.or(Some(now)),
        }
    }
}

/// The status after a reply: staff choose (by default "waiting for the user"); the author's
/// reply puts a ticket that waited for them, or that they reopen, back in progress.
pub fn status_after_reply<'a>(
    current: &'a str,
    by_staff: bool,
    chosen: Option<&'a str>,
) -> &'a str {
    if by_staff {
        return chosen
            .filter(|s| STAFF_STATUSES.contains(s))
            .unwrap_or("waiting_for_user");
    }
    match current {
        "waiting_for_user" | "resolved" | "closed" => "in_progress",
        other => other,
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_messages)]
pub struct Message {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub author_id: Option<Uuid>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub moderation: String,
    pub moderation_reason: Option<String>,
}

/// Who is asking: the account, its role and, for school staff, their school.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub id: Uuid,
    pub role: Role,
    pub school: Option<Uuid>,
}

/// Whose queue a staff member works: a school's or the operator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    School(Uuid),
    Operator,
}

impl Side {
    pub fn of(school_id: Option<Uuid>) -> Side {
        school_id.map_or(Side::Operator, Side::School)
    }

    pub fn school_id(self) -> Option<Uuid> {
        match self {
            Side::School(id) => Some(id),
            Side::Operator => None,
        }
    }
}

impl Viewer {
    /// The operator's staff: administrators and moderators.
    pub fn operator(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Moderator)
    }

    /// The queue this person works, if any.
    pub fn side(&self) -> Option<Side> {
        match (self.role, self.school) {
            (Role::Admin | Role::Moderator, _) => Some(Side::Operator),
            (Role::SchoolStaff | Role::Instructor, Some(school)) => Some(Side::School(school)),
            _ => None,
        }
    }

    /// Whether this person answers tickets addressed to `school_id` (None: the operator).
    pub fn serves(&self, school_id: Option<Uuid>) -> bool {
        self.side() == Some(Side::of(school_id))
    }

    /// The author and the staff of the side it is addressed to; nobody else.
    pub fn may_see(&self, ticket: &Ticket) -> bool {
        ticket.author_id == self.id || self.serves(ticket.school_id)
    }
}

pub fn viewer(conn: &mut PgConnection, id: Uuid, role: Role) -> QueryResult<Viewer> {
    let school = match role {
        Role::SchoolStaff | Role::Instructor => {
            crate::schools::model::membership(conn, id)?.map(|m| m.school_id)
        }
        _ => None,
    };
    Ok(Viewer { id, role, school })
}

/// Schools the person applied to, trains or trained at: where they may write.
pub fn schools_of(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<(Uuid, String, String)>> {
    let mut schools: Vec<(Uuid, String, String)> = Vec::new();
    for (status, _, _, _, school) in crate::schools::model::enrolments_of(conn, user_id)? {
        let counts = matches!(status.as_str(), "applied" | "accepted" | "completed");
        if counts && !schools.iter().any(|(id, _, _)| *id == school.id) {
            schools.push((school.id, school.name_kk, school.name_ru));
        }
    }
    Ok(schools)
}

/// Staff of a side: (user id, "Last First").
pub fn staff_of(conn: &mut PgConnection, side: Side) -> QueryResult<Vec<(Uuid, String)>> {
    match side {
        Side::School(school) => Ok(crate::schools::model::staff(conn, school)?
            .into_iter()
            .map(|(id, last, first, _)| (id, format!("{last} {first}")))
            .collect()),
        Side::Operator => {
            let rows: Vec<(Uuid, String, String)> = users::table
                .filter(users::role.eq_any([Role::Admin.code(), Role::Moderator.code()]))
                .filter(users::status.ne("blocked"))
                .order((users::last_name, users::first_name))
                .select((users::id, users::last_name, users::first_name))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|(id, last, first)| (id, format!("{last} {first}")))
                .collect())
        }
    }
}

/// Accounts to mail (at most `limit`, blocked ones left out).
pub fn recipients(conn: &mut PgConnection, ids: &[Uuid], limit: i64) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::id.eq_any(ids))
        .filter(users::status.ne("blocked"))
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)
}

pub fn ticket(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Ticket>> {
    tickets::table
        .find(id)
        .select(Ticket::as_select())
        .first(conn)
        .optional()
}

/// The ticket, locked until the end of the transaction (two replies at once change the
/// status one after the other).
pub fn ticket_for_update(conn: &mut PgConnection, id: Uuid) -> QueryResult<Ticket> {
    tickets::table
        .find(id)
        .select(Ticket::as_select())
        .for_update()
        .first(conn)
}

pub struct NewTicket {
    pub author_id: Uuid,
    pub school_id: Option<Uuid>,
    pub category: String,
    pub subject: String,
    pub body: String,
}

/// Inserts the ticket and its first message; returns (ticket id, message id).
pub fn insert_ticket(conn: &mut PgConnection, new: &NewTicket) -> QueryResult<(Uuid, Uuid)> {
    let id: Uuid = diesel::insert_into(tickets::table)
        .values((
            tickets::author_id.eq(new.author_id),
            tickets::school_id.eq(new.school_id),
            tickets::category.eq(&new.category),
            tickets::subject.eq(&new.subject),
        ))
        .returning(tickets::id)
        .get_result(conn)?;
    let message = insert_message(conn, id, new.author_id, &new.body)?;
    Ok((id, message))
}

pub fn insert_message(
    conn: &mut PgConnection,
    ticket_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(ticket_messages::table)
        .values((
            ticket_messages::ticket_id.eq(ticket_id),
            ticket_messages::author_id.eq(author_id),
            ticket_messages::body.eq(body),
        ))
        .returning(ticket_messages::id)
        .get_result(conn)
}

pub fn attach(conn: &mut PgConnection, message_id: Uuid, photo_id: Uuid) -> QueryResult<()> {
    diesel::insert_into(ticket_attachments::table)
        .values((
            ticket_attachments::message_id.eq(message_id),
            ticket_attachments::photo_id.eq(photo_id),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Sets the status (and `finished_at` with it) and touches `updated_at`.
pub fn set_status(
    conn: &mut PgConnection,
    ticket: &Ticket,
    next: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(tickets::table.find(ticket.id))
        .set((
            tickets::status.eq(next),
            tickets::finished_at.eq(ticket.finished_at_after(next, now)),
            tickets::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_assignee(
    conn: &mut PgConnection,
    ticket_id: Uuid,
    assignee: Option<Uuid>,
) -> QueryResult<()> {
    diesel::update(tickets::table.find(ticket_id))
        .set((
            tickets::assignee_id.eq(assignee),
            tickets::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Holds the person's rate-limit lock until the end of the transaction, so that messages
/// sent at the same moment are counted one after the other.
pub fn lock_author(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<Text, _>(format!("ticket-messages:{user_id}"))
        .execute(conn)
        .map(|_| ())
}

/// Messages the person sent within the rate window.
pub fn recent_messages(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<i64> {
    let since = Utc::now() - Duration::minutes(RATE_WINDOW_MINUTES);
    ticket_messages::table
        .filter(ticket_messages::author_id.eq(user_id))
        .filter(ticket_messages::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// A message with its author's name and role (None once the account is gone).
pub type MessageRow = (Message, Option<(String, String, String)>);

/// The thread, oldest first.
pub fn messages(conn: &mut PgConnection, ticket_id: Uuid) -> QueryResult<Vec<MessageRow>> {
    ticket_messages::table
        .left_join(users::table.on(users::id.nullable().eq(ticket_messages::author_id)))
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .order((ticket_messages::created_at, ticket_messages::id))
        .select((
            Message::as_select(),
            (users::last_name, users::first_name, users::role).nullable(),
        ))
        .load(conn)
}

/// (message id, photo id) of the thread's attachments.
pub fn attachments(conn: &mut PgConnection, ticket_id: Uuid) -> QueryResult<Vec<(Uuid, Uuid)>> {
    ticket_attachments::table
        .inner_join(ticket_messages::table)
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .order(ticket_attachments::photo_id)
        .select((ticket_attachments::message_id, ticket_attachments::photo_id))
        .load(conn)
}

/// The moderation state and author of the message that carries this photo in this ticket.
pub fn attachment_message(
    conn: &mut PgConnection,
    ticket_id: Uuid,
    photo_id: Uuid,
) -> QueryResult<Option<(String, Option<Uuid>)>> {
    ticket_attachments::table
        .inner_join(ticket_messages::table)
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .filter(ticket_attachments::photo_id.eq(photo_id))
        .select((ticket_messages::moderation, ticket_messages::author_id))
        .first(conn)
        .optional()
}

/// Display name of one account.
pub fn name_of(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<String>> {
    let row: Option<(String, String)> = users::table
        .find(id)
        .select((users::last_name, users::first_name))
        .first(conn)
        .optional()?;
    Ok(row.map(|(last, first)| format!("{last} {first}")))
}

/// Which tickets a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// The author's own tickets (`Some(author)`), or a side's queue.
    pub author: Option<Uuid>,
    pub side: Option<Side>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub assignee: Option<Assignee>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    Nobody,
    Person(Uuid),
}

type Boxed<'a> = tickets::BoxedQuery<'a, diesel::pg::Pg>;

fn filtered(filter: &ListFilter) -> Boxed<'static> {
    let mut query = tickets::table.into_boxed();
    if let Some(author) = filter.author {
        query = query.filter(tickets::author_id.eq(author));
    }
    match filter.side {
        Some(Side::School(school)) => query = query.filter(tickets::school_id.eq(school)),
        Some(Side::Operator) => query = query.filter(tickets::school_id.is_null()),
        None => {}
    }
    if filter.author.is_none() && filter.side.is_none() {
        // Never the whole table.
        query = query.filter(tickets::id.is_null());
    }
    if let Some(status) = &filter.status {
        query = query.filter(tickets::status.eq(status.clone()));
    }
    if let Some(category) = &filter.category {
        query = query.filter(tickets::category.eq(category.clone()));
    }
    match filter.assignee {
        Some(Assignee::Nobody) => query = query.filter(tickets::assignee_id.is_null()),
        Some(Assignee::Person(id)) => query = query.filter(tickets::assignee_id.eq(id)),
        None => {}
    }
    query
}

pub fn count(conn: &mut PgConnection, filter: &ListFilter) -> QueryResult<i64> {
    filtered(filter).count().get_result(conn)
}

/// A ticket in a list, with its school's names (none: to the operator) and author's name.
pub type ListRow = (Ticket, Option<(String, String)>, (String, String));

/// Recently changed first.
pub fn page(
    conn: &mut PgConnection,
    filter: &ListFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ListRow>> {
    let ids: Vec<Uuid> = filtered(filter)
        .order((tickets::updated_at.desc(), tickets::id))
        .offset(offset)
        .limit(limit)
        .select(tickets::id)
        .load(conn)?;
    let mut rows: Vec<ListRow> = tickets::table
        .left_join(schools::table.on(tickets::school_id.eq(schools::id.nullable())))
        .inner_join(users::table.on(users::id.eq(tickets::author_id)))
        .filter(tickets::id.eq_any(&ids))
        .select((
            Ticket::as_select(),
            (schools::name_kk, schools::name_ru).nullable(),
            (users::last_name, users::first_name),
        ))
        .load(conn)?;
    rows.sort_by_key(|(t, _, _)| ids.iter().position(|id| *id == t.id));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(status: &str, finished_days_ago: Option<i64>) -> Ticket {
        let now = Utc::now();
        Ticket {
            id: Uuid::nil(),
            author_id: Uuid::nil(),
            school_id: None,
            category: "other".into(),
            subject: "s".into(),
            status: status.into(),
            assignee_id: None,
            created_at: now,
            updated_at: now,
            finished_at: finished_days_ago.map(|d| now - Duration::days(d)),
        }
    }

    #[test]
    fn staff_replies_wait_for_the_user_unless_staff_choose_and_authors_reopen() {
        assert_eq!(status_after_reply("new", true, None), "waiting_for_user");
        assert_eq!(
            status_after_reply("new", true, Some("resolved")),
            "resolved"
        );
        assert_eq!(
            status_after_reply("new", true, Some("new")),
            "waiting_for_user"
        );
        assert_eq!(
            status_after_reply("waiting_for_user", false, None),
            "in_progress"
        );
        assert_eq!(status_after_reply("new", false, None), "new");
        assert_eq!(status_after_reply("closed", false, None), "in_progress");
    }

    #[test]
    fn a_finished_ticket_reopens_within_fourteen_days_only() {
        let now = Utc::now();
        assert!(ticket("resolved", Some(13)).reopenable(now));
        assert!(!ticket("closed", Some(15)).reopenable(now));
        assert!(!ticket("in_progress", None).reopenable(now));
        let resolved = ticket("resolved", Some(3));
        assert_eq!(
            resolved.finished_at_after("closed", now),
            resolved.finished_at,
            "closing a resolved ticket keeps its window"
        );
        assert_eq!(resolved.finished_at_after("in_progress", now), None);
        assert_eq!(
            ticket("new", None).finished_at_after("closed", now),
            Some(now)
        );
    }
}
