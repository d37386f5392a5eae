//! Moderation in the database: reports, the queue of reported and held items, the moderators'
//! decisions on reviews and ticket messages, and restrictions on publishing.
//!
//! The moderation state of the items it acts on (`reviews.status` and its `moderation_*`
//! columns, `ticket_messages.moderation*`) is written through the reviews and tickets areas'
//! functions (`set_moderation`, `set_message_moderation`), and the queue's items are read
//! through theirs too (`for_moderators`); the queue still finds which items to show in one
//! paged query across both tables (see the architecture test's list of reads across areas).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use uuid::Uuid;

use crate::db::schema::{reports, reviews, school_staff, ticket_messages, tickets};
use crate::domain::Role;

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

mod decisions;
mod filing;
mod queue;

pub use decisions::*;
pub use filing::*;
pub use queue::*;
