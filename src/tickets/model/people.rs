//! Who takes part in a ticket: the viewer's side, the staff of a side, mail recipients.

use super::*;

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
            crate::schools::registry::model::membership(conn, id)?.map(|m| m.school_id)
        }
        _ => None,
    };
    Ok(Viewer { id, role, school })
}

/// Schools the person applied to, trains or trained at: where they may write.
pub fn schools_of(
    conn: &mut PgConnection, user_id: Uuid,
) -> QueryResult<Vec<(Uuid, String, String)>> {
    let mut schools: Vec<(Uuid, String, String)> = Vec::new();
    for (status, _, _, _, school) in crate::schools::groups::model::enrolments_of(conn, user_id)? {
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
        Side::School(school) => Ok(crate::schools::registry::model::staff(conn, school)?
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
            Ok(rows.into_iter().map(|(id, last, first)| (id, format!("{last} {first}"))).collect())
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
