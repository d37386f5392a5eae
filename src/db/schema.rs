// The diesel schema, kept in step with migrations/ by hand (no diesel_cli needed); the tests
// write and read every table through it, so a mismatch fails them.

diesel::table! {
    audit_events (id) {
        id -> Uuid,
        occurred_at -> Timestamptz,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        subject_type -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        details -> Jsonb,
    }
}

diesel::table! {
    policy_versions (id) {
        id -> Uuid,
        number -> Int4,
        published_at -> Timestamptz,
        body_kk -> Text,
        body_ru -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(audit_events, policy_versions);
