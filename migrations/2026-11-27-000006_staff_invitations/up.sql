-- A manager invites staff by email: a single-use link that creates the account or attaches an
-- existing one. The address is sealed and found by its blind index, like users' addresses.
CREATE TABLE staff_invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id uuid NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    email_sealed bytea NOT NULL,
    email_index bytea NOT NULL,
    position text NOT NULL CHECK (position IN ('manager', 'theory_teacher', 'instructor')),
    token_hash bytea NOT NULL UNIQUE,
    invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz
);
CREATE INDEX staff_invitations_school ON staff_invitations (school_id);
