-- +goose Up
-- Buyers' personal data is sealed with a data key per (organisation,
-- marketplace, buyer) (docs/privacy.md): each seller answers for its own
-- buyers, so one seller's erasure never touches another's data. wrapped_key is that key sealed by the deployment key
-- ring (REDRESS_DATA_KEYS, key wrap_kid); erasing a buyer destroys it
-- (crypto-shredding): every value sealed with it, in case rows, task rows and
-- the append-only case_events, becomes unreadable while the rows stay.
CREATE TABLE buyer_keys (
    id             text        PRIMARY KEY,  -- opaque, named by sealed values
    org_id         text        NOT NULL DEFAULT 'default', -- the case's organisation (00042)
    marketplace    text        NOT NULL,
    buyer_id       text        NOT NULL,
    wrap_kid       text,                     -- NULL once erased
    wrapped_key    bytea,                    -- NULL once erased
    created_at     timestamptz NOT NULL DEFAULT now(),
    erased_at      timestamptz,
    CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL))
);
-- One live key per buyer; erased ones stay (sealed values name them).
CREATE UNIQUE INDEX buyer_keys_live ON buyer_keys (org_id, marketplace, buyer_id) WHERE erased_at IS NULL;

-- privacy_requests is the audit of access and erasure requests and of
-- retention shredding: who asked, why, when, and which cases it touched.
-- Append-only like case_events.
CREATE TABLE privacy_requests (
    id           bigserial   PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('erasure', 'export', 'retention')),
    marketplace  text        NOT NULL,
    buyer_id     text        NOT NULL,
    reason       text        NOT NULL DEFAULT '',
    actor        text        NOT NULL,
    actor_role   text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    case_ids     text[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX privacy_requests_buyer ON privacy_requests (marketplace, buyer_id, at);

-- +goose StatementBegin
CREATE FUNCTION privacy_requests_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'privacy_requests is append-only: % refused', TG_OP;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER privacy_requests_append_only
    BEFORE UPDATE OR DELETE ON privacy_requests
    FOR EACH ROW EXECUTE FUNCTION privacy_requests_append_only();

-- Where the store's role already exists (a database migrated past 00042),
-- let it use the new tables; otherwise 00042 grants them with every table.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'redress_app') THEN
        GRANT SELECT, INSERT, UPDATE ON buyer_keys TO redress_app;
        GRANT SELECT, INSERT ON privacy_requests TO redress_app;
        GRANT USAGE, SELECT ON SEQUENCE privacy_requests_id_seq TO redress_app;
    END IF;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE privacy_requests;
DROP FUNCTION privacy_requests_append_only();
DROP TABLE buyer_keys;
