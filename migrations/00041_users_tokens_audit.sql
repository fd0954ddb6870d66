-- +goose Up
-- Issue 12: people, not only tokens. A user belongs to one organisation, has
-- a role and optionally a set of shops ("marketplace:shop_id"; empty = every
-- shop of the organisation). The deployment's bootstrap admin
-- (REDRESS_BOOTSTRAP_TOKEN) is not a row here: it stands above organisations.
CREATE TABLE users (
    id            text        PRIMARY KEY,
    org_id        text        NOT NULL REFERENCES organisations (id),
    email         text        NOT NULL UNIQUE CHECK (email <> ''),
    name          text        NOT NULL DEFAULT '',
    role          text        NOT NULL CHECK (role IN ('agent', 'manager', 'admin')),
    shops         text[]      NOT NULL DEFAULT '{}',
    password_hash text        NOT NULL DEFAULT '', -- bcrypt; '' = no password set
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

CREATE INDEX users_org_idx ON users (org_id, email);

-- A token belongs to a user (and carries that user's scope, read at every
-- authentication so a change to the user applies at once) or to an
-- automation (its own organisation and shop set). Tokens from before this
-- migration belong to 'default' with every shop.
ALTER TABLE api_tokens
    ADD COLUMN org_id  text   NOT NULL DEFAULT 'default' REFERENCES organisations (id),
    ADD COLUMN user_id text   REFERENCES users (id),
    ADD COLUMN shops   text[] NOT NULL DEFAULT '{}';
ALTER TABLE api_tokens ALTER COLUMN org_id DROP DEFAULT;

CREATE INDEX api_tokens_org_idx ON api_tokens (org_id, created_at DESC);

-- The admin audit trail: who created or revoked users and tokens, changed
-- settings, templates and shops. Append-only (00042 grants the application
-- role INSERT and SELECT only).
CREATE TABLE admin_audit (
    id       bigserial   PRIMARY KEY,
    org_id   text        NOT NULL REFERENCES organisations (id),
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text        NOT NULL,
    action   text        NOT NULL,
    target   text        NOT NULL DEFAULT '',
    detail   jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX admin_audit_org_idx ON admin_audit (org_id, id DESC);

-- The id of the key that sealed a shop's credentials (key rotation).
ALTER TABLE shops ADD COLUMN credentials_key text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE shops DROP COLUMN credentials_key;
DROP TABLE admin_audit;
ALTER TABLE api_tokens DROP COLUMN shops, DROP COLUMN user_id, DROP COLUMN org_id;
DROP TABLE users;
