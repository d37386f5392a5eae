//! A group's roster in the database: its students with their status and certificate, and the
//! roster narrowed by a name search.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{completions, enrolments, users};

/// One line of a group's roster.
#[derive(Debug, Queryable)]
pub struct RosterRow {
    pub enrolment_id: Uuid,
    pub last_name: String,
    pub first_name: String,
    pub status: String,
    pub applied_at: DateTime<Utc>,
    /// The certificate, once training is completed.
    pub certificate: Option<Uuid>,
}

pub fn roster(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Vec<RosterRow>> {
    roster_matching(conn, group_id, "")
}

/// The roster, narrowed to students whose names contain every word of `search`.
pub fn roster_matching(
    conn: &mut PgConnection, group_id: Uuid, search: &str,
) -> QueryResult<Vec<RosterRow>> {
    let mut query = enrolments::table
        .inner_join(users::table)
        .left_join(completions::table)
        .filter(enrolments::group_id.eq(group_id))
        .into_boxed();
    for word in search.split_whitespace().take(5) {
        let word = word.to_lowercase().replace(['%', '_', '\\'], "");
        query = query.filter(users::search_name.like(format!("%{word}%")));
    }
    query
        .order((enrolments::status, users::last_name, users::first_name))
        .select((
            enrolments::id,
            users::last_name,
            users::first_name,
            enrolments::status,
            enrolments::applied_at,
            completions::id.nullable(),
        ))
        .load(conn)
}
