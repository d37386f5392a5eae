use avtomektep::audit::{self, NewAuditEvent};
use avtomektep::db::MIGRATIONS;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;

use crate::support::TestDb;

#[derive(QueryableByName, Debug, PartialEq)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Tables, columns, indexes, constraints and triggers of the public schema.
fn schema_fingerprint(conn: &mut PgConnection) -> Vec<String> {
    let sql = "
        SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
               || ' ' || coalesce(column_default, '') AS line
          FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT tgname || ' ON ' || tgrelid::regclass FROM pg_trigger WHERE NOT tgisinternal
        UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        ORDER BY 1";
    diesel::sql_query(sql).load::<Line>(conn).unwrap().into_iter().map(|l| l.line).collect()
}

#[test]
fn every_migration_is_reversed_by_its_down_sql() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let migrated = schema_fingerprint(&mut conn);
    assert!(migrated.iter().any(|l| l.starts_with("audit_events.")), "{migrated:?}");

    conn.revert_all_migrations(MIGRATIONS).unwrap();
    let empty = schema_fingerprint(&mut conn);
    assert!(
        empty.iter().all(|l| l.contains("__diesel_schema_migrations")),
        "left behind by down.sql: {empty:#?}"
    );

    conn.run_pending_migrations(MIGRATIONS).unwrap();
    assert_eq!(schema_fingerprint(&mut conn), migrated);
}

#[test]
fn audit_events_can_be_appended_but_never_changed() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let actor = uuid::Uuid::new_v4();
    NewAuditEvent::new("policy.viewed")
        .actor(actor)
        .on("policy_version", 1)
        .details(serde_json::json!({ "reason": "test" }))
        .record(&mut conn)
        .unwrap();
    let events = audit::recent(&mut conn, 10).unwrap();
    let event = events.iter().find(|e| e.action == "policy.viewed").expect("recorded");
    assert_eq!(event.actor_id, Some(actor));
    assert_eq!(event.subject_id.as_deref(), Some("1"));
    assert_eq!(event.details["reason"], "test");

    for sql in [
        "UPDATE audit_events SET action = 'x.y'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(audit::recent(&mut conn, 10).unwrap().len(), events.len());
}

#[test]
fn audit_actions_must_be_dotted_names() {
    let db = TestDb::new();
    let err = NewAuditEvent::new("Free text with a name in it").record(&mut db.conn());
    assert!(err.is_err());
}

#[actix_web::test]
async fn a_request_that_fails_half_way_leaves_nothing_written() {
    use avtomektep::error::AppError;

    let db = TestDb::new();
    let pool = avtomektep::db::pool(&db.url, 2).unwrap();
    let failed = avtomektep::db::run(&pool, |conn| {
        NewAuditEvent::new("policy.viewed").record(conn)?;
        Err::<(), _>(AppError::Forbidden)
    })
    .await;
    assert!(matches!(failed, Err(AppError::Forbidden)));
    let done = avtomektep::db::run(&pool, |conn| {
        NewAuditEvent::new("policy.viewed").record(conn)?;
        Ok(())
    })
    .await;
    assert!(done.is_ok());
    let events = audit::recent(&mut db.conn(), 10).unwrap();
    let viewed = events.iter().filter(|e| e.action == "policy.viewed");
    assert_eq!(viewed.count(), 1, "only the request that succeeded");
}

#[actix_web::test]
async fn pages_come_back_when_the_database_drops_the_portals_connections() {
    use crate::support::{TestApp, Visitor};
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    crate::accounts::register(&visitor, &crate::accounts::Form::aliya(), "ru").await;
    for _ in 0..3 {
        assert_eq!(visitor.get("/me").await.status, 200);
        assert_eq!(visitor.get("/schools").await.status, 200);
    }
    // What a PostgreSQL restart does to the pool: every connection it holds is cut.
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut app.db.conn())
    .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(visitor.get("/schools").await.status);
        statuses.push(visitor.get("/me").await.status);
    }
    assert!(statuses.iter().all(|s| *s == 200 || *s == 503), "a 503 at worst: {statuses:?}");
    assert!(statuses[statuses.len() - 6..].iter().all(|s| *s == 200), "{statuses:?}");
    // The session survived: the person is still signed in.
    assert!(visitor.get("/me").await.body.contains("aliya@mail.kz"));
}
