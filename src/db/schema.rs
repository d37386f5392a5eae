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

diesel::table! {
    users (id) {
        id -> Uuid,
        role -> Text,
        status -> Text,
        last_name -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        search_name -> Text,
        email_sealed -> Bytea,
        email_index -> Bytea,
        phone_sealed -> Nullable<Bytea>,
        phone_index -> Nullable<Bytea>,
        iin_sealed -> Nullable<Bytea>,
        iin_index -> Nullable<Bytea>,
        birth_date_sealed -> Nullable<Bytea>,
        doc_type -> Nullable<Text>,
        doc_number_sealed -> Nullable<Bytea>,
        doc_issued_on -> Nullable<Date>,
        doc_issuer -> Nullable<Text>,
        address_sealed -> Nullable<Bytea>,
        password_hash -> Text,
        lang -> Text,
        email_verified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        minor_at_registration -> Bool,
    }
}

diesel::table! {
    consents (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        policy_version -> Int4,
        given_at -> Timestamptz,
        withdrawn_at -> Nullable<Timestamptz>,
        evidence -> Jsonb,
    }
}

diesel::table! {
    guardians (user_id) {
        user_id -> Uuid,
        last_name -> Text,
        first_name -> Text,
        iin_sealed -> Bytea,
        phone_sealed -> Bytea,
        email_sealed -> Bytea,
        confirmed_at -> Nullable<Timestamptz>,
        confirmed_via -> Nullable<Text>,
        confirmed_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    tokens (hash) {
        hash -> Bytea,
        user_id -> Uuid,
        purpose -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        key_hash -> Bytea,
        user_id -> Nullable<Uuid>,
        state -> Jsonb,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        idle_expires_at -> Timestamptz,
        absolute_expires_at -> Timestamptz,
    }
}

diesel::table! {
    sign_ins (id) {
        id -> Uuid,
        at -> Timestamptz,
        user_id -> Nullable<Uuid>,
        ip -> Text,
        user_agent -> Nullable<Text>,
        success -> Bool,
    }
}

diesel::joinable!(consents -> users (user_id));
diesel::joinable!(guardians -> users (user_id));
diesel::joinable!(tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(sign_ins -> users (user_id));

diesel::table! {
    rate_events (id) {
        id -> Int8,
        key -> Bytea,
        at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    audit_events,
    policy_versions,
    users,
    consents,
    guardians,
    tokens,
    sessions,
    sign_ins,
    schools,
    school_branches,
    school_staff,
    training_groups,
    enrolments,
    lessons,
    lesson_positions,
    staff_invitations,
    completions,
    theory_sessions,
    theory_attendance,
    photos,
    photo_objects,
    tickets,
    ticket_messages,
    ticket_attachments,
    reviews,
    reports,
    restrictions,
);

diesel::table! {
    schools (id) {
        id -> Uuid,
        bin -> Text,
        name_kk -> Text,
        name_ru -> Text,
        city -> Text,
        address -> Text,
        licence_number -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        status -> Text,
        applicant_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    school_branches (id) {
        id -> Uuid,
        school_id -> Uuid,
        city -> Text,
        address -> Text,
    }
}

diesel::table! {
    school_staff (user_id) {
        user_id -> Uuid,
        school_id -> Uuid,
        position -> Text,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    training_groups (id) {
        id -> Uuid,
        school_id -> Uuid,
        category -> Text,
        language -> Text,
        starts_on -> Date,
        ends_on -> Date,
        theory_teacher_id -> Nullable<Uuid>,
        capacity -> Int4,
        status -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Uuid,
        group_id -> Uuid,
        student_id -> Uuid,
        category -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        applied_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(school_branches -> schools (school_id));
diesel::joinable!(school_staff -> schools (school_id));
diesel::joinable!(training_groups -> schools (school_id));
diesel::joinable!(enrolments -> training_groups (group_id));
diesel::joinable!(school_staff -> users (user_id));
diesel::joinable!(enrolments -> users (student_id));

diesel::table! {
    lessons (id) {
        id -> Uuid,
        school_id -> Uuid,
        instructor_id -> Uuid,
        student_id -> Nullable<Uuid>,
        vehicle -> Text,
        during -> Tstzrange,
        meeting_place -> Text,
        status -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(lessons -> schools (school_id));

diesel::table! {
    staff_invitations (id) {
        id -> Uuid,
        school_id -> Uuid,
        email_sealed -> Bytea,
        email_index -> Bytea,
        position -> Text,
        token_hash -> Bytea,
        invited_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(staff_invitations -> schools (school_id));

diesel::table! {
    completions (id) {
        id -> Uuid,
        enrolment_id -> Uuid,
        number -> Text,
        completed_at -> Timestamptz,
        theory_hours -> Int4,
        practice_minutes -> Int4,
        recorded_by -> Nullable<Uuid>,
        sent_to_state_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(completions -> enrolments (enrolment_id));

diesel::table! {
    lesson_positions (id) {
        id -> Uuid,
        lesson_id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        lat -> Float8,
        lon -> Float8,
        at -> Timestamptz,
    }
}

diesel::joinable!(lesson_positions -> lessons (lesson_id));
diesel::joinable!(lesson_positions -> users (user_id));

diesel::table! {
    theory_sessions (id) {
        id -> Uuid,
        group_id -> Uuid,
        teacher_id -> Nullable<Uuid>,
        held_on -> Date,
        minutes -> Int4,
        topic -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(theory_sessions -> training_groups (group_id));

diesel::table! {
    theory_attendance (session_id, student_id) {
        session_id -> Uuid,
        student_id -> Uuid,
    }
}

diesel::joinable!(theory_attendance -> theory_sessions (session_id));

diesel::table! {
    photos (id) {
        id -> Uuid,
        owner_id -> Uuid,
        kind -> Text,
        status -> Text,
        width -> Int4,
        height -> Int4,
        reject_reason -> Nullable<Text>,
        reject_note -> Nullable<Text>,
        reviewed_by -> Nullable<Uuid>,
        reviewed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    photo_objects (photo_id, variant) {
        photo_id -> Uuid,
        variant -> Text,
        wrapped_key -> Bytea,
        nonce -> Bytea,
        ciphertext -> Bytea,
    }
}

diesel::joinable!(photo_objects -> photos (photo_id));
diesel::joinable!(photos -> users (owner_id));

diesel::table! {
    tickets (id) {
        id -> Uuid,
        author_id -> Uuid,
        school_id -> Nullable<Uuid>,
        category -> Text,
        subject -> Text,
        status -> Text,
        assignee_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    ticket_messages (id) {
        id -> Uuid,
        ticket_id -> Uuid,
        author_id -> Nullable<Uuid>,
        body -> Text,
        created_at -> Timestamptz,
        moderation -> Text,
        moderation_reason -> Nullable<Text>,
        moderated_by -> Nullable<Uuid>,
        moderated_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(ticket_messages -> tickets (ticket_id));

diesel::table! {
    ticket_attachments (message_id, photo_id) {
        message_id -> Uuid,
        photo_id -> Uuid,
    }
}

diesel::joinable!(ticket_attachments -> ticket_messages (message_id));
diesel::joinable!(ticket_attachments -> photos (photo_id));

diesel::table! {
    reviews (id) {
        id -> Uuid,
        enrolment_id -> Uuid,
        author_id -> Uuid,
        school_id -> Uuid,
        instructor_id -> Nullable<Uuid>,
        school_stars -> Int2,
        instructor_stars -> Nullable<Int2>,
        body -> Text,
        status -> Text,
        held_reason -> Nullable<Text>,
        moderation_reason -> Nullable<Text>,
        moderated_by -> Nullable<Uuid>,
        moderated_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(reviews -> schools (school_id));
diesel::joinable!(reviews -> enrolments (enrolment_id));

diesel::table! {
    reports (id) {
        id -> Uuid,
        reporter_id -> Nullable<Uuid>,
        review_id -> Nullable<Uuid>,
        message_id -> Nullable<Uuid>,
        reason -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
        resolved_at -> Nullable<Timestamptz>,
        resolved_by -> Nullable<Uuid>,
    }
}

diesel::joinable!(reports -> reviews (review_id));
diesel::joinable!(reports -> ticket_messages (message_id));

diesel::table! {
    restrictions (id) {
        id -> Uuid,
        user_id -> Uuid,
        until -> Nullable<Timestamptz>,
        reason -> Text,
        imposed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        lifted_at -> Nullable<Timestamptz>,
        lifted_by -> Nullable<Uuid>,
    }
}
