-- +goose Up
-- incidents are marketplace calls that failed for good and wait for a person.
CREATE TABLE incidents (
    id          text        PRIMARY KEY, -- <caseID>-<step>
    case_id     text        NOT NULL REFERENCES cases (id),
    workflow_id text        NOT NULL,
    marketplace text        NOT NULL,
    shop_id     text        NOT NULL,
    call        text        NOT NULL,
    step        text        NOT NULL,
    error_class text        NOT NULL,
    message     text        NOT NULL DEFAULT '',
    attempts    integer     NOT NULL DEFAULT 0,
    params      jsonb       NOT NULL DEFAULT '{}',
    status      text        NOT NULL CHECK (status IN ('open', 'retrying', 'resolved', 'skipped')),
    resolution  text        NOT NULL DEFAULT '',
    resolved_by text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    version     bigint      NOT NULL,
    UNIQUE (case_id, step)
);

CREATE INDEX incidents_status_created_idx ON incidents (status, created_at DESC, id DESC);
CREATE INDEX incidents_shop_idx           ON incidents (marketplace, shop_id);
CREATE INDEX incidents_call_idx           ON incidents (call);
CREATE INDEX incidents_error_class_idx    ON incidents (error_class);

-- +goose Down
DROP TABLE incidents;
