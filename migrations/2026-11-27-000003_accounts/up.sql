-- Accounts, consents, guardians, single-use tokens, server-side sessions, sign-in history.
-- Personal identifiers are sealed by the application (XChaCha20-Poly1305, key id inside) and
-- found through keyed blind indexes (HMAC-SHA-256); no IIN, document number, birth date,
-- address, email or phone is stored in clear.

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    role text NOT NULL CHECK (role IN ('student', 'instructor', 'school_staff', 'moderator', 'admin')),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'awaiting_guardian', 'blocked')),
    last_name text NOT NULL CHECK (last_name <> ''),
    first_name text NOT NULL CHECK (first_name <> ''),
    middle_name text,
    -- The names in lower case (Unicode-aware, made by the application), for searching
    -- whatever the database's locale.
    search_name text NOT NULL DEFAULT '',
    email_sealed bytea NOT NULL,
    email_index bytea NOT NULL UNIQUE,
    phone_sealed bytea,
    phone_index bytea UNIQUE,
    iin_sealed bytea,
    iin_index bytea UNIQUE,
    birth_date_sealed bytea,
    doc_type text CHECK (doc_type IN ('id_card', 'passport')),
    doc_number_sealed bytea,
    doc_issued_on date,
    doc_issuer text,
    address_sealed bytea,
    password_hash text NOT NULL,
    lang text NOT NULL DEFAULT 'kk' CHECK (lang IN ('kk', 'ru')),
    email_verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Whether the account was ever a minor's: the guardian consent stays on record.
    minor_at_registration boolean NOT NULL DEFAULT false
);
CREATE INDEX users_names ON users (last_name, first_name);

CREATE TABLE consents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('personal_data', 'photo_id', 'guardian', 'geolocation')),
    policy_version integer NOT NULL REFERENCES policy_versions (number),
    given_at timestamptz NOT NULL DEFAULT now(),
    withdrawn_at timestamptz,
    -- How it was given: ip, user agent, who recorded it. No personal data of third parties.
    evidence jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX consents_user ON consents (user_id, kind);

CREATE TABLE guardians (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_name text NOT NULL,
    first_name text NOT NULL,
    iin_sealed bytea NOT NULL,
    phone_sealed bytea NOT NULL,
    email_sealed bytea NOT NULL,
    confirmed_at timestamptz,
    confirmed_via text CHECK (confirmed_via IN ('email_link', 'staff')),
    confirmed_by uuid REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE tokens (
    hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'guardian_consent')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX tokens_user ON tokens (user_id, purpose);

CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- SHA-256 of the cookie's session key: a copy of this table opens no session.
    key_hash bytea NOT NULL UNIQUE,
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    state jsonb NOT NULL,
    ip text,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX sessions_expiry ON sessions (idle_expires_at);

CREATE TABLE sign_ins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    at timestamptz NOT NULL DEFAULT now(),
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    ip text NOT NULL,
    user_agent text,
    success boolean NOT NULL
);
CREATE INDEX sign_ins_user ON sign_ins (user_id, at DESC);
CREATE INDEX sign_ins_ip ON sign_ins (ip, at DESC) WHERE NOT success;
