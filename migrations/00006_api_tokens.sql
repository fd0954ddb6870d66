-- +goose Up
-- api_tokens keeps only a hash of each bearer token; the token itself is shown once.
CREATE TABLE api_tokens (
    id           text        PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('agent', 'manager', 'automation', 'admin')),
    token_hash   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- +goose Down
DROP TABLE api_tokens;
