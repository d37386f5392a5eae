//! Consents given and withdrawn after registration (photo identification, geolocation): one
//! place that writes the row with the policy version in force and the evidence, and audits it.

use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

use super::model::ConsentKind;
use crate::audit::NewAuditEvent;
use crate::db::schema::consents;
use crate::privacy::model as policy;

/// Whether the consent is in force. With `lock`, a withdrawal running at the same time waits
/// for the caller's transaction, so data stored under the consent a moment before is still
/// deleted by that withdrawal.
pub fn in_force(
    conn: &mut PgConnection, user_id: Uuid, kind: ConsentKind, lock: bool,
) -> QueryResult<bool> {
    let query = consents::table
        .filter(consents::user_id.eq(user_id))
        .filter(consents::kind.eq(kind.code()))
        .filter(consents::withdrawn_at.is_null())
        .select(consents::id);
    let found: Option<Uuid> = if lock {
        query.for_share().first(conn).optional()?
    } else {
        query.first(conn).optional()?
    };
    Ok(found.is_some())
}

/// Records the consent under the current policy version unless it is already in force;
/// returns the new consent's id.
pub fn give(
    conn: &mut PgConnection, user_id: Uuid, kind: ConsentKind, evidence: serde_json::Value,
) -> QueryResult<Option<Uuid>> {
    conn.transaction(|conn| {
        // A double click gives one consent, not two: the second waits and then finds it.
        super::model::lock(conn, user_id)?;
        if in_force(conn, user_id, kind, true)? {
            return Ok(None);
        }
        let version = policy::current(conn)?.number;
        let id: Uuid = diesel::insert_into(consents::table)
            .values((
                consents::user_id.eq(user_id),
                consents::kind.eq(kind.code()),
                consents::policy_version.eq(version),
                consents::evidence.eq(evidence),
            ))
            .returning(consents::id)
            .get_result(conn)?;
        NewAuditEvent::by(user_id, "consent.given")
            .on("consent", id)
            .details(json!({ "kind": kind.code(), "policy_version": version }))
            .record(conn)?;
        Ok(Some(id))
    })
}

/// Marks the consent withdrawn, then runs `delete` (which removes what was kept under it and
/// describes that for the audit trail), in one transaction. The consent row is updated first:
/// a writer holding the consent `in_force(.., lock)` finishes before, so its data is deleted
/// too. Returns `delete`'s answer, or `None` when no consent was in force.
pub fn withdraw<T>(
    conn: &mut PgConnection, user_id: Uuid, kind: ConsentKind,
    delete: impl FnOnce(&mut PgConnection) -> QueryResult<(T, serde_json::Value)>,
) -> QueryResult<Option<T>> {
    conn.transaction(|conn| withdraw_in(conn, user_id, kind, delete))
}

fn withdraw_in<T>(
    conn: &mut PgConnection, user_id: Uuid, kind: ConsentKind,
    delete: impl FnOnce(&mut PgConnection) -> QueryResult<(T, serde_json::Value)>,
) -> QueryResult<Option<T>> {
    let withdrawn: Vec<Uuid> = diesel::update(
        consents::table
            .filter(consents::user_id.eq(user_id))
            .filter(consents::kind.eq(kind.code()))
            .filter(consents::withdrawn_at.is_null()),
    )
    .set(consents::withdrawn_at.eq(diesel::dsl::now))
    .returning(consents::id)
    .get_results(conn)?;
    let (answer, details) = delete(conn)?;
    for id in &withdrawn {
        let mut details = details.clone();
        details["kind"] = json!(kind.code());
        NewAuditEvent::by(user_id, "consent.withdrawn")
            .on("consent", *id)
            .details(details)
            .record(conn)?;
    }
    Ok((!withdrawn.is_empty()).then_some(answer))
}
