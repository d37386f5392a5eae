//! The queue: reported and held items, and hidden ones, a page at a time.

use super::*;

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
        if code == "hidden" { View::Hidden } else { View::Queue }
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
    conn: &mut PgConnection, view: View, offset: i64, limit: i64,
) -> QueryResult<Vec<Target>> {
    let order = match view {
        View::Queue => "q.since, q.id",
        View::Hidden => "q.since DESC NULLS LAST, q.id",
    };
    let sql = format!(
        "SELECT q.kind, q.id FROM ({}) q ORDER BY {order} LIMIT $1 OFFSET $2",
        view.items_sql()
    );
    let rows: Vec<Entry> =
        diesel::sql_query(sql).bind::<BigInt, _>(limit).bind::<BigInt, _>(offset).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|e| if e.kind == "review" { Target::Review(e.id) } else { Target::Message(e.id) })
        .collect())
}
