//! Restrictions on publishing: imposed, lifted, and in force.

use super::*;
use crate::accounts;

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
pub fn restricted(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<Restriction>> {
    restrictions::table
        .filter(restrictions::user_id.eq(user_id))
        .filter(restrictions::lifted_at.is_null())
        .filter(
            restrictions::until
                .is_null()
                .or(restrictions::until.gt(now)),
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
    now: DateTime<Utc>,
) -> QueryResult<Uuid> {
    conn.transaction(|conn| {
        // Two moderators restricting at once: the second replaces the first's restriction
        // instead of both staying in force.
        accounts::model::lock(conn, user_id)?;
        lift(conn, user_id, by, now)?;
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
pub fn lift(
    conn: &mut PgConnection,
    user_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
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
    now: DateTime<Utc>,
) -> QueryResult<Vec<(Restriction, String, String)>> {
    restrictions::table
        .inner_join(users::table.on(users::id.eq(restrictions::user_id)))
        .filter(restrictions::lifted_at.is_null())
        .filter(
            restrictions::until
                .is_null()
                .or(restrictions::until.gt(now)),
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
