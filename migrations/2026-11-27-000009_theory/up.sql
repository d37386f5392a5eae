-- Theory classes of a group and who attended them: the student's theory hours come from here
-- (policy §3: "the dates training starts and ends", progress against the programme).
CREATE TABLE theory_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id uuid NOT NULL REFERENCES training_groups (id) ON DELETE CASCADE,
    teacher_id uuid REFERENCES users (id) ON DELETE SET NULL,
    held_on date NOT NULL,
    minutes integer NOT NULL CHECK (minutes BETWEEN 15 AND 480),
    topic text NOT NULL CHECK (topic <> '' AND length(topic) <= 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX theory_sessions_group ON theory_sessions (group_id, held_on);

-- Only the students present are written.
CREATE TABLE theory_attendance (
    session_id uuid NOT NULL REFERENCES theory_sessions (id) ON DELETE CASCADE,
    student_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, student_id)
);
CREATE INDEX theory_attendance_student ON theory_attendance (student_id);
