-- Completed training and its certificate. Kept as its own record so that a later issue can send
-- it to the state system (sent_to_state_at).
CREATE SEQUENCE certificate_numbers;

CREATE TABLE completions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    enrolment_id uuid NOT NULL UNIQUE REFERENCES enrolments (id) ON DELETE CASCADE,
    number text NOT NULL UNIQUE,
    completed_at timestamptz NOT NULL DEFAULT now(),
    theory_hours integer NOT NULL CHECK (theory_hours >= 0),
    practice_minutes integer NOT NULL CHECK (practice_minutes >= 0),
    recorded_by uuid REFERENCES users (id) ON DELETE SET NULL,
    sent_to_state_at timestamptz
);
