-- Driving schools, their staff, training groups and enrolments (policy §3: "the driving school,
-- training group and instructors", "the dates training starts and ends").

CREATE TABLE schools (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- A legal entity's BIN is public business data, kept in clear (validated by the app).
    bin text NOT NULL UNIQUE CHECK (bin ~ '^[0-9]{12}$'),
    name_kk text NOT NULL CHECK (name_kk <> ''),
    name_ru text NOT NULL CHECK (name_ru <> ''),
    city text NOT NULL CHECK (city <> ''),
    address text NOT NULL CHECK (address <> ''),
    licence_number text NOT NULL CHECK (licence_number <> ''),
    phone text,
    email text,
    status text NOT NULL DEFAULT 'approved' CHECK (status IN ('pending', 'approved', 'rejected')),
    applicant_id uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE school_branches (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id uuid NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    city text NOT NULL,
    address text NOT NULL
);
CREATE INDEX school_branches_school ON school_branches (school_id);

-- A staff member works for one school.
CREATE TABLE school_staff (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    school_id uuid NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    position text NOT NULL CHECK (position IN ('manager', 'theory_teacher', 'instructor')),
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX school_staff_school ON school_staff (school_id, position);

CREATE TABLE training_groups (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    school_id uuid NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    category text NOT NULL CHECK (category IN ('A1', 'A', 'B1', 'B', 'BE', 'C1', 'C', 'CE', 'D1', 'D', 'DE', 'Tb', 'Tm')),
    language text NOT NULL CHECK (language IN ('kk', 'ru')),
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    theory_teacher_id uuid REFERENCES users (id) ON DELETE SET NULL,
    capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 200),
    status text NOT NULL DEFAULT 'recruiting' CHECK (status IN ('recruiting', 'in_training', 'finished')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX training_groups_school ON training_groups (school_id, status, starts_on);

CREATE TABLE enrolments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id uuid NOT NULL REFERENCES training_groups (id) ON DELETE CASCADE,
    student_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Copied from the group so that "one active group per category" is a database rule.
    category text NOT NULL,
    status text NOT NULL DEFAULT 'applied'
        CHECK (status IN ('applied', 'accepted', 'rejected', 'withdrawn', 'transferred', 'completed')),
    reason text,
    decided_by uuid REFERENCES users (id) ON DELETE SET NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz
);
CREATE UNIQUE INDEX enrolments_one_active_per_category
    ON enrolments (student_id, category) WHERE status IN ('applied', 'accepted');
CREATE INDEX enrolments_group ON enrolments (group_id, status);
