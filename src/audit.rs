//! Append-only audit trail of security-relevant actions (policy §5, §10).
//!
//! The table refuses UPDATE and DELETE (a trigger in the migration), so an entry, once
//! written, stays as written. Details hold ids and reasons, never names, IINs or contacts.

use actix_web::{HttpMessage, HttpRequest};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::audit_events;
use crate::web::RequestId;

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent {
    actor_id: Option<Uuid>,
    action: String,
    subject_type: Option<String>,
    subject_id: Option<String>,
    request_id: Option<String>,
    ip: Option<String>,
    details: serde_json::Value,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub details: serde_json::Value,
}

impl NewAuditEvent {
    /// `action` is a dotted name such as `account.signed_in` or `system.migrated`.
    pub fn new(action: &str) -> NewAuditEvent {
        NewAuditEvent {
            actor_id: None,
            action: action.to_string(),
            subject_type: None,
            subject_id: None,
            request_id: None,
            ip: None,
            details: serde_json::Value::Object(Default::default()),
        }
    }

    /// An action someone took: `NewAuditEvent::by(user, "school.branch_added").on("school", id)`.
    pub fn by(actor: Uuid, action: &str) -> NewAuditEvent {
        NewAuditEvent::new(action).actor(actor)
    }

    pub fn actor(mut self, user_id: Uuid) -> Self {
        self.actor_id = Some(user_id);
        self
    }

    /// What the action was done to.
    pub fn on(mut self, kind: &str, id: impl ToString) -> Self {
        self.subject_type = Some(kind.to_string());
        self.subject_id = Some(id.to_string());
        self
    }

    /// The request id and client address of the request that caused the action.
    pub fn request(mut self, req: &HttpRequest) -> Self {
        self.request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
        self.ip = crate::web::client::address(req).map(|ip| ip.to_string());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }

    pub fn record(self, conn: &mut PgConnection) -> QueryResult<()> {
        diesel::insert_into(audit_events::table).values(&self).execute(conn).map(|_| ())
    }
}

/// The most recent events, newest first.
pub fn recent(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .select(AuditEvent::as_select())
        .order(audit_events::occurred_at.desc())
        .limit(limit)
        .load(conn)
}

/// How many events of these kinds this person caused since `since` (for limits that count
/// every write, e.g. reviews written or edited in the last hour).
pub fn count_by_actor(
    conn: &mut PgConnection, actor: Uuid, actions: &[&str], since: DateTime<Utc>,
) -> QueryResult<i64> {
    audit_events::table
        .filter(audit_events::actor_id.eq(actor))
        .filter(audit_events::action.eq_any(actions))
        .filter(audit_events::occurred_at.gt(since))
        .count()
        .get_result(conn)
}
