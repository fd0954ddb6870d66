-- +goose Up
-- cases is the queryable index of case workflows. The workflow is the source
-- of truth; it writes whole rows with a rising version (see store.SyncCase).
CREATE TABLE cases (
    id                text        PRIMARY KEY,
    workflow_id       text        NOT NULL UNIQUE,
    marketplace       text        NOT NULL,
    shop_id           text        NOT NULL,
    review_id         text        NOT NULL,
    order_id          text        NOT NULL DEFAULT '',
    item_id           text        NOT NULL DEFAULT '',
    buyer_id          text        NOT NULL DEFAULT '',
    buyer_name        text        NOT NULL DEFAULT '',
    rating            smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    severity          text        NOT NULL DEFAULT '',
    text              text        NOT NULL DEFAULT '',
    language          text        NOT NULL DEFAULT '',
    issue             text        NOT NULL DEFAULT '',
    stage             text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('open', 'closed')),
    responsibility    text        NOT NULL DEFAULT '',
    remedy            text        NOT NULL DEFAULT '',
    outcome           text        NOT NULL DEFAULT '',
    assignee          text        NOT NULL DEFAULT '',
    courier           text        NOT NULL DEFAULT '',
    breached          boolean     NOT NULL DEFAULT false,
    next_deadline     text        NOT NULL DEFAULT '',
    next_deadline_at  timestamptz,
    -- Money columns hold minor units (cents, centavos, fen).
    order_amount      bigint      NOT NULL DEFAULT 0,
    shipping_fee      bigint      NOT NULL DEFAULT 0,
    currency          text        NOT NULL DEFAULT '',
    remedy_cost       bigint      NOT NULL DEFAULT 0,
    review_created_at timestamptz NOT NULL,
    opened_at         timestamptz NOT NULL,
    first_contact_at  timestamptz,
    resolved_at       timestamptz,
    closed_at         timestamptz,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL,
    UNIQUE (marketplace, shop_id, review_id)
);

-- Indexes follow store.ListCases: newest first, keyset on (opened_at, id).
CREATE INDEX cases_opened_idx          ON cases (opened_at DESC, id DESC);
CREATE INDEX cases_status_opened_idx   ON cases (status, opened_at DESC, id DESC);
CREATE INDEX cases_shop_opened_idx     ON cases (marketplace, shop_id, opened_at DESC);
CREATE INDEX cases_issue_opened_idx    ON cases (issue, opened_at DESC);
CREATE INDEX cases_stage_opened_idx    ON cases (stage, opened_at DESC);
CREATE INDEX cases_assignee_idx        ON cases (assignee, opened_at DESC) WHERE assignee <> '';
CREATE INDEX cases_breached_idx        ON cases (opened_at DESC) WHERE breached;
-- The "what is due next" view only ever looks at open cases.
CREATE INDEX cases_next_deadline_idx   ON cases (next_deadline_at, id) WHERE status = 'open';
-- Webhooks carry buyer messages by order (store.FindCaseByOrder).
CREATE INDEX cases_order_idx           ON cases (marketplace, shop_id, order_id);
-- Courier bad-review counts in the weekly report.
CREATE INDEX cases_courier_opened_idx  ON cases (courier, opened_at) WHERE courier <> '';

-- +goose Down
DROP TABLE cases;
