-- +goose Up
-- tasks mirrors the human steps held in case workflows, for the inbox.
CREATE TABLE tasks (
    id           text        PRIMARY KEY, -- <caseID>-<kind>-<n>
    case_id      text        NOT NULL REFERENCES cases (id),
    workflow_id  text        NOT NULL,
    kind         text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('open', 'claimed', 'completed', 'cancelled')),
    role         text        NOT NULL,
    assignee     text        NOT NULL DEFAULT '',
    priority     smallint    NOT NULL DEFAULT 0,
    marketplace  text        NOT NULL,
    shop_id      text        NOT NULL,
    due_at       timestamptz,
    input        jsonb       NOT NULL DEFAULT '{}',
    -- 'null' until someone decides; the store reads it back as no result.
    result       jsonb       NOT NULL DEFAULT 'null',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    completed_at timestamptz,
    completed_by text        NOT NULL DEFAULT '',
    version      bigint      NOT NULL
);

-- The inbox: open work by due time (nulls last), keyset on (due_at, id).
CREATE INDEX tasks_status_due_idx   ON tasks (status, due_at, id);
CREATE INDEX tasks_assignee_idx     ON tasks (assignee, status);
CREATE INDEX tasks_kind_idx         ON tasks (kind, status);
CREATE INDEX tasks_case_idx         ON tasks (case_id);
CREATE INDEX tasks_shop_idx         ON tasks (marketplace, shop_id, status);

-- +goose Down
DROP TABLE tasks;
