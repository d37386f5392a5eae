-- Positions attached to lessons with the user's geolocation consent: the meeting place of a
-- slot (attached by its instructor) and check-ins (by the instructor or the booked student).
-- The application rounds to 3 decimals (about 110 m) before storing; the CHECKs make sure
-- nothing more precise or out of range ever lands here. Rows are deleted when the consent is
-- withdrawn and after the retention period (AVTOMEKTEP_GEO_RETENTION_DAYS).
CREATE TABLE lesson_positions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('meeting', 'checkin')),
    lat double precision NOT NULL
        CHECK (lat BETWEEN -90 AND 90 AND lat = round(lat::numeric, 3)::double precision),
    lon double precision NOT NULL
        CHECK (lon BETWEEN -180 AND 180 AND lon = round(lon::numeric, 3)::double precision),
    at timestamptz NOT NULL DEFAULT now()
);
-- One meeting place per lesson, one check-in per person and lesson (a new one replaces it).
CREATE UNIQUE INDEX lesson_positions_meeting ON lesson_positions (lesson_id) WHERE kind = 'meeting';
CREATE UNIQUE INDEX lesson_positions_checkin ON lesson_positions (lesson_id, user_id) WHERE kind = 'checkin';
CREATE INDEX lesson_positions_user ON lesson_positions (user_id);
CREATE INDEX lesson_positions_at ON lesson_positions (at);
