//! Lists of tickets: filters, counts and pages.

use super::*;

/// Which tickets a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// The author's own tickets (`Some(author)`), or a side's queue.
    pub author: Option<Uuid>,
    pub side: Option<Side>,
    pub status: Option<TicketStatus>,
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
    if let Some(status) = filter.status {
        query = query.filter(tickets::status.eq(status));
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
    conn: &mut PgConnection, filter: &ListFilter, offset: i64, limit: i64,
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

    fn ticket(status: TicketStatus, finished_days_ago: Option<i64>) -> Ticket {
        let now = at();
        Ticket {
            id: Uuid::nil(),
            author_id: Uuid::nil(),
            school_id: None,
            category: "other".into(),
            subject: "s".into(),
            status,
            assignee_id: None,
            created_at: now,
            updated_at: now,
            finished_at: finished_days_ago.map(|d| now - Duration::days(d)),
        }
    }

    #[test]
    fn staff_replies_wait_for_the_user_unless_staff_choose_and_authors_reopen() {
        use TicketStatus::*;
        assert_eq!(status_after_reply(New, true, None), WaitingForUser);
        assert_eq!(status_after_reply(New, true, Some(Resolved)), Resolved);
        assert_eq!(status_after_reply(New, true, Some(New)), WaitingForUser);
        assert_eq!(status_after_reply(WaitingForUser, false, None), InProgress);
        assert_eq!(status_after_reply(New, false, None), New);
        assert_eq!(status_after_reply(Closed, false, None), InProgress);
    }

    /// A fixed moment: these checks are about spans of days, not the calendar.
    fn at() -> DateTime<Utc> {
        "2026-06-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_finished_ticket_reopens_within_fourteen_days_only() {
        use TicketStatus::*;
        let now = at();
        assert!(ticket(Resolved, Some(13)).reopenable(now));
        assert!(!ticket(Closed, Some(15)).reopenable(now));
        assert!(!ticket(InProgress, None).reopenable(now));
        let resolved = ticket(Resolved, Some(3));
        assert_eq!(
            resolved.finished_at_after(Closed, now),
            resolved.finished_at,
            "closing a resolved ticket keeps its window"
        );
        assert_eq!(resolved.finished_at_after(InProgress, now), None);
        assert_eq!(ticket(New, None).finished_at_after(Closed, now), Some(now));
    }
}
