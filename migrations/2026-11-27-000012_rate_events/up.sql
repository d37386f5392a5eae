-- The one limiter (src/limits): each row is one counted action (a mail sent to an address, a
-- password checked for a client address, a wrong current password…). Several instances share
-- it. `key` is a keyed hash of the limit's name and its subject, so no address, email or IIN is
-- kept here; rows older than the longest window (a day) are deleted as new ones come.
CREATE TABLE rate_events (
    id bigserial PRIMARY KEY,
    key bytea NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX rate_events_key_at ON rate_events (key, at);
CREATE INDEX rate_events_at ON rate_events (at);
