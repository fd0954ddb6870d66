-- +goose Up
-- An OAuth connection's state (sealed, carried by the browser) is spent
-- once whichever API replica takes the callback: a replayed callback must
-- not present the authorization code again (RFC 6749 §4.1.2 — the platform
-- may then revoke the tokens it issued for it). Only a hash is kept; rows
-- older than the state's 15 minutes can be deleted at will.
CREATE TABLE oauth_spent_states (
    state_hash bytea       PRIMARY KEY,
    spent_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE oauth_spent_states;
