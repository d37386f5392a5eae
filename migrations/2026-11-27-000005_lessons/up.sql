-- Practical driving lessons. Double booking of an instructor, a student or a vehicle is
-- impossible: PostgreSQL refuses overlapping time ranges (exclusion constraints), whatever
-- the application does and however many instances run.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE lessons (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id uuid NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    instructor_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    student_id uuid REFERENCES users (id) ON DELETE SET NULL,
    vehicle text NOT NULL CHECK (vehicle <> ''),
    during tstzrange NOT NULL CHECK (NOT isempty(during)),
    meeting_place text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'booked', 'held', 'missed', 'cancelled')),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'open' OR status = 'cancelled' OR student_id IS NOT NULL),
    CONSTRAINT lessons_instructor_free EXCLUDE USING gist (instructor_id WITH =, during WITH &&)
        WHERE (status <> 'cancelled'),
    CONSTRAINT lessons_student_free EXCLUDE USING gist (student_id WITH =, during WITH &&)
        WHERE (student_id IS NOT NULL AND status <> 'cancelled'),
    CONSTRAINT lessons_vehicle_free EXCLUDE USING gist (school_id WITH =, vehicle WITH =, during WITH &&)
        WHERE (status <> 'cancelled')
);
CREATE INDEX lessons_school_time ON lessons (school_id, lower(during));
CREATE INDEX lessons_student ON lessons (student_id, lower(during)) WHERE student_id IS NOT NULL;
