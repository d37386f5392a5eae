-- Tickets, reviews and moderation (policy §4): requests sent through the system, reviews of
-- schools and instructors, reports, and the operator's right to hide or delete unlawful content
-- and to restrict a user's ability to publish.

CREATE TABLE tickets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The school the ticket is addressed to; NULL: to the operator.
    school_id uuid REFERENCES schools (id) ON DELETE CASCADE,
    category text NOT NULL
        CHECK (category IN ('technical', 'training', 'complaint', 'personal_data', 'other')),
    subject text NOT NULL CHECK (subject <> '' AND length(subject) <= 200),
    status text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'in_progress', 'waiting_for_user', 'resolved', 'closed')),
    assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- When it was last resolved or closed: the author may reopen it within 14 days.
    finished_at timestamptz
);
CREATE INDEX tickets_author ON tickets (author_id, updated_at DESC);
CREATE INDEX tickets_queue ON tickets (school_id, status, updated_at DESC);

CREATE TABLE ticket_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id uuid REFERENCES users (id) ON DELETE SET NULL,
    body text NOT NULL CHECK (body <> '' AND length(body) <= 5000),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Moderation: hidden (kept, shown to nobody but moderators) or deleted (text removed, a
    -- stub and the reason kept for the audit trail).
    moderation text NOT NULL DEFAULT 'visible' CHECK (moderation IN ('visible', 'hidden', 'deleted')),
    moderation_reason text,
    moderated_by uuid REFERENCES users (id) ON DELETE SET NULL,
    moderated_at timestamptz
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, created_at);

-- Images attached to a ticket message go through the photo pipeline and are sealed like photos.
ALTER TABLE photos DROP CONSTRAINT photos_kind_check;
ALTER TABLE photos ADD CONSTRAINT photos_kind_check CHECK (kind IN ('face', 'document', 'attachment'));
CREATE TABLE ticket_attachments (
    message_id uuid NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, photo_id)
);
CREATE INDEX ticket_attachments_photo ON ticket_attachments (photo_id);

CREATE TABLE reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- One review per enrolment.
    enrolment_id uuid NOT NULL UNIQUE REFERENCES enrolments (id) ON DELETE CASCADE,
    author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    school_id uuid NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    instructor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    school_stars smallint NOT NULL CHECK (school_stars BETWEEN 1 AND 5),
    instructor_stars smallint CHECK (instructor_stars BETWEEN 1 AND 5),
    body text NOT NULL CHECK (body <> '' AND length(body) <= 3000),
    -- published; held (not shown: looks like personal data, waits for a moderator);
    -- hidden (kept, invisible to others); deleted (text removed, stub and reason kept).
    status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'held', 'hidden', 'deleted')),
    held_reason text,
    moderation_reason text,
    moderated_by uuid REFERENCES users (id) ON DELETE SET NULL,
    moderated_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (instructor_id IS NULL OR instructor_stars IS NOT NULL)
);
CREATE INDEX reviews_school ON reviews (school_id, status, created_at DESC);
CREATE INDEX reviews_author ON reviews (author_id, created_at DESC);

CREATE TABLE reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reporter_id uuid REFERENCES users (id) ON DELETE SET NULL,
    review_id uuid REFERENCES reviews (id) ON DELETE CASCADE,
    message_id uuid REFERENCES ticket_messages (id) ON DELETE CASCADE,
    reason text NOT NULL CHECK (reason IN ('personal_data', 'false_information', 'violence',
        'threats', 'discrimination', 'pornography', 'unrelated', 'other')),
    note text CHECK (note IS NULL OR length(note) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by uuid REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((review_id IS NULL) <> (message_id IS NULL))
);
CREATE INDEX reports_open ON reports (created_at) WHERE resolved_at IS NULL;

-- A user restricted from publishing, until a time or (NULL) indefinitely.
CREATE TABLE restrictions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until timestamptz,
    reason text NOT NULL CHECK (reason <> ''),
    imposed_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    lifted_at timestamptz,
    lifted_by uuid REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX restrictions_user ON restrictions (user_id) WHERE lifted_at IS NULL;
