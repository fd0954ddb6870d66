-- +goose Up
-- case_events is the audit trail. (case_id, seq) is the key so that a retried
-- write of the same event is a no-op, and a trigger keeps the table append-only.
CREATE TABLE case_events (
    case_id    text        NOT NULL REFERENCES cases (id),
    seq        bigint      NOT NULL CHECK (seq > 0),
    type       text        NOT NULL,
    actor      text        NOT NULL DEFAULT '',
    actor_role text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL,
    data       jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (case_id, seq)
);

-- +goose StatementBegin
CREATE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER case_events_append_only
    BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

-- +goose Down
DROP TABLE case_events;
DROP FUNCTION case_events_append_only();
