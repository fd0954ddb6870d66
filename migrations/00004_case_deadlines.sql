-- +goose Up
-- case_deadlines holds each SLA of a case. case_version is the version of the
-- case snapshot that last wrote the row, so a stale batch cannot roll it back.
CREATE TABLE case_deadlines (
    case_id         text        NOT NULL REFERENCES cases (id),
    kind            text        NOT NULL,
    started_at      timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    remind_at       timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'met', 'breached', 'cancelled')),
    reminded        boolean     NOT NULL DEFAULT false,
    met_at          timestamptz,
    breached_at     timestamptz,
    late_by_seconds bigint      NOT NULL DEFAULT 0,
    case_version    bigint      NOT NULL,
    PRIMARY KEY (case_id, kind)
);

-- SLA compliance in the weekly report groups by kind and status.
CREATE INDEX case_deadlines_kind_status_idx ON case_deadlines (kind, status);

-- +goose Down
DROP TABLE case_deadlines;
