//! Tickets, their messages and attachments in the database, and the rules of their statuses.
//!
//! Names of people and schools are read by joining `users` and `schools` for display only;
//! memberships, enrolments and staff lists come through the schools area's functions.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::accounts::model::UserRow;
use crate::db::schema::{schools, ticket_attachments, ticket_messages, tickets, users};
use crate::db::text_enum::text_enum;
use crate::domain::Role;

text_enum! {
    /// Whether a ticket message is shown (`ticket_messages.moderation`).
    pub enum MessageModeration {
        Visible = "visible",
        Hidden = "hidden",
        Deleted = "deleted",
    }
}

text_enum! {
    /// Where a ticket stands (`tickets.status`), in this order, each with a message
    /// `ticket-status-<code>`.
    pub enum TicketStatus {
        New = "new",
        InProgress = "in_progress",
        WaitingForUser = "waiting_for_user",
        Resolved = "resolved",
        Closed = "closed",
    }
}

impl TicketStatus {
    /// What staff may set (a ticket is "new" only until someone works on it).
    pub const STAFF: [TicketStatus; 4] = [
        TicketStatus::InProgress,
        TicketStatus::WaitingForUser,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];

    /// Someone is expected to act: staff on a new ticket, the author on one waiting for them.
    pub fn pending(self) -> bool {
        matches!(self, TicketStatus::New | TicketStatus::WaitingForUser)
    }

    /// Resolved or closed.
    pub fn finished(self) -> bool {
        matches!(self, TicketStatus::Resolved | TicketStatus::Closed)
    }
}

mod listing;
mod people;

pub use listing::*;
pub use people::*;

/// Categories, each with a message `ticket-category-<code>`.
pub const CATEGORIES: [&str; 5] = ["technical", "training", "complaint", "personal_data", "other"];

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

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct Ticket {
    pub id: Uuid,
    pub author_id: Uuid,
    pub school_id: Option<Uuid>,
    pub category: String,
    pub subject: String,
    pub status: TicketStatus,
    pub assignee_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Ticket {
    pub fn finished(&self) -> bool {
        self.status.finished()
    }

    /// Whether the author may still reopen it (resolved or closed less than 14 days ago).
    pub fn reopenable(&self, now: DateTime<Utc>) -> bool {
        self.finished()
            && self.finished_at.is_some_and(|at| now - at <= Duration::days(REOPEN_DAYS))
    }

    /// `finished_at` once the status becomes `next`: set when the ticket finishes, kept while it
    /// stays finished (resolved → closed does not lengthen the reopening window), cleared when
    /// it opens again.
    pub fn finished_at_after(
        &self, next: TicketStatus, now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        match (self.finished(), next.finished()) {
            (_, false) => None,
            (false, true) => Some(now),
            (true, true) => self.finished_at.or(Some(now)),
        }
    }
}

/// The status after a reply: staff choose (by default "waiting for the user"); the author's
/// reply puts a ticket that waited for them, or that they reopen, back in progress.
pub fn status_after_reply(
    current: TicketStatus, by_staff: bool, chosen: Option<TicketStatus>,
) -> TicketStatus {
    if by_staff {
        return chosen
            .filter(|s| TicketStatus::STAFF.contains(s))
            .unwrap_or(TicketStatus::WaitingForUser);
    }
    match current {
        TicketStatus::WaitingForUser | TicketStatus::Resolved | TicketStatus::Closed => {
            TicketStatus::InProgress
        }
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
    pub moderation: MessageModeration,
    pub moderation_reason: Option<String>,
}

pub fn ticket(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Ticket>> {
    tickets::table.find(id).select(Ticket::as_select()).first(conn).optional()
}

/// The ticket, locked until the end of the transaction (two replies at once change the
/// status one after the other).
pub fn ticket_for_update(conn: &mut PgConnection, id: Uuid) -> QueryResult<Ticket> {
    tickets::table.find(id).select(Ticket::as_select()).for_update().first(conn)
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
    conn: &mut PgConnection, ticket_id: Uuid, author_id: Uuid, body: &str,
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
    conn: &mut PgConnection, ticket: &Ticket, next: TicketStatus, now: DateTime<Utc>,
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
    conn: &mut PgConnection, ticket_id: Uuid, assignee: Option<Uuid>, now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(tickets::table.find(ticket_id))
        .set((tickets::assignee_id.eq(assignee), tickets::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Messages the person sent within the rate window.
pub fn recent_messages(
    conn: &mut PgConnection, user_id: Uuid, now: DateTime<Utc>,
) -> QueryResult<i64> {
    let since = now - Duration::minutes(RATE_WINDOW_MINUTES);
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

/// A message for the moderators' queue: the message, its author's (last, first) name while the
/// account exists, and the ticket's subject.
pub type ForModerators = (Message, Option<(String, String)>, String);

/// These messages, for the moderators' queue.
pub fn for_moderators(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<ForModerators>> {
    ticket_messages::table
        .inner_join(tickets::table)
        .left_join(users::table.on(users::id.nullable().eq(ticket_messages::author_id)))
        .filter(ticket_messages::id.eq_any(ids))
        .select((
            Message::as_select(),
            (users::last_name, users::first_name).nullable(),
            tickets::subject,
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
    conn: &mut PgConnection, ticket_id: Uuid, photo_id: Uuid,
) -> QueryResult<Option<(MessageModeration, Option<Uuid>)>> {
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

/// A message's moderation state, locked until the end of the transaction: (state, author,
/// ticket). For the moderators' decisions.
pub fn lock_message_for_moderation(
    conn: &mut PgConnection, id: Uuid,
) -> QueryResult<(MessageModeration, Option<Uuid>, Uuid)> {
    ticket_messages::table
        .find(id)
        .select((
            ticket_messages::moderation,
            ticket_messages::author_id,
            ticket_messages::ticket_id,
        ))
        .for_update()
        .first(conn)
}

/// A moderator's decision on a message: its new state and why; a deleted message loses its
/// text.
pub fn set_message_moderation(
    conn: &mut PgConnection, id: Uuid, state: MessageModeration, reason: &str, moderator: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let deleted = state == MessageModeration::Deleted;
    diesel::update(ticket_messages::table.find(id))
        .set((
            ticket_messages::moderation.eq(state),
            ticket_messages::moderation_reason.eq(reason),
            ticket_messages::moderated_by.eq(moderator),
            ticket_messages::moderated_at.eq(now),
            deleted.then_some(ticket_messages::body.eq(crate::domain::REMOVED_TEXT)),
        ))
        .execute(conn)
        .map(|_| ())
}
