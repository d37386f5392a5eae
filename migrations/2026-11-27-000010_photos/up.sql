-- Identification photos (policy §3, §4, §8): the person's face and their identity document,
-- processed only for identification and never published. The images themselves are sealed by
-- the application (a data key per object, wrapped by the master key) and kept in PostgreSQL so
-- that every instance shares them and deleting an owner deletes them in the same transaction.
CREATE TABLE photos (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('face', 'document')),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    reject_reason text,
    reject_note text,
    reviewed_by uuid REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'rejected' OR reject_reason IS NOT NULL)
);
CREATE INDEX photos_owner ON photos (owner_id, kind, created_at DESC);
CREATE INDEX photos_pending ON photos (created_at) WHERE status = 'pending';

CREATE TABLE photo_objects (
    photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    variant text NOT NULL CHECK (variant IN ('full', 'thumb')),
    -- The object's own data key, sealed by the master key ring (the key id is inside), so a
    -- master key rotation re-wraps 32 bytes per object instead of re-encrypting the image.
    wrapped_key bytea NOT NULL,
    nonce bytea NOT NULL,
    ciphertext bytea NOT NULL,
    PRIMARY KEY (photo_id, variant)
);
