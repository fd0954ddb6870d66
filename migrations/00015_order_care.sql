-- +goose Up
-- Order care (issue 15): the part of the playbook before the review.

-- Which shops have order care, and their quiet hours and language.
CREATE TABLE order_care_shops (
    marketplace  text        NOT NULL,
    shop_id      text        NOT NULL,
    enabled      boolean     NOT NULL DEFAULT false,
    time_zone    text        NOT NULL DEFAULT '',
    language     text        NOT NULL DEFAULT '',
    quiet_start  smallint    NOT NULL DEFAULT 21,
    quiet_end    smallint    NOT NULL DEFAULT 8,
    updated_at   timestamptz NOT NULL,
    updated_by   text        NOT NULL DEFAULT '',
    PRIMARY KEY (marketplace, shop_id)
);

-- orders mirrors OrderCareWorkflow state (the workflow is the source of truth;
-- a rising version never lets an older state overwrite a newer one).
CREATE TABLE care_orders (
    key             text        PRIMARY KEY, -- marketplace:shop:order
    marketplace     text        NOT NULL,
    shop_id         text        NOT NULL,
    order_id        text        NOT NULL,
    workflow_id     text        NOT NULL,
    buyer_id        text        NOT NULL DEFAULT '',
    status          text        NOT NULL DEFAULT '',
    tracking_number text        NOT NULL DEFAULT '',
    carrier         text        NOT NULL DEFAULT '',
    expected_at     timestamptz,
    shipped_at      timestamptz,
    delivered_at    timestamptz,
    done            boolean     NOT NULL DEFAULT false,
    state           jsonb       NOT NULL DEFAULT '{}',
    started_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL,
    UNIQUE (marketplace, shop_id, order_id)
);
CREATE INDEX care_orders_shop_idx ON care_orders (marketplace, shop_id, started_at);

-- One row per touchpoint and order: the activity's idempotency record.
CREATE TABLE order_touchpoints (
    order_key    text        NOT NULL,
    touchpoint   text        NOT NULL,
    marketplace  text        NOT NULL,
    shop_id      text        NOT NULL,
    outcome      text        NOT NULL,
    channel      text        NOT NULL DEFAULT '',
    reason       text        NOT NULL DEFAULT '',
    text         text        NOT NULL DEFAULT '',
    platform_ref text        NOT NULL DEFAULT '',
    at           timestamptz NOT NULL,
    PRIMARY KEY (order_key, touchpoint)
);
CREATE INDEX order_touchpoints_shop_idx ON order_touchpoints (marketplace, shop_id, at);

-- Per shop and language touchpoint texts (else the built-in ones).
CREATE TABLE touchpoint_templates (
    marketplace text        NOT NULL,
    shop_id     text        NOT NULL,
    touchpoint  text        NOT NULL,
    language    text        NOT NULL,
    text        text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (marketplace, shop_id, touchpoint, language)
);

-- Pre-emptive tasks: a risk signal on an order, with its evidence, for an agent.
CREATE TABLE preemptive_tasks (
    id           text        PRIMARY KEY, -- pt-<order key>-<signal>
    order_key    text        NOT NULL,
    marketplace  text        NOT NULL,
    shop_id      text        NOT NULL,
    order_id     text        NOT NULL,
    workflow_id  text        NOT NULL DEFAULT '',
    signal       text        NOT NULL,
    summary      text        NOT NULL DEFAULT '',
    evidence     jsonb       NOT NULL DEFAULT '{}',
    status       text        NOT NULL CHECK (status IN ('open', 'done')),
    raised_at    timestamptz NOT NULL,
    done_at      timestamptz,
    done_by      text        NOT NULL DEFAULT '',
    note         text        NOT NULL DEFAULT '',
    UNIQUE (order_key, signal)
);
CREATE INDEX preemptive_tasks_open_idx ON preemptive_tasks (status, raised_at);
CREATE INDEX preemptive_tasks_order_idx ON preemptive_tasks (marketplace, shop_id, order_id);

-- The message centre: every buyer message and listing question of every shop.
CREATE TABLE buyer_messages (
    id           text        PRIMARY KEY, -- bm-<hash of marketplace, shop, external id>
    marketplace  text        NOT NULL,
    shop_id      text        NOT NULL,
    external_id  text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('question', 'message')),
    order_id     text        NOT NULL DEFAULT '',
    item_id      text        NOT NULL DEFAULT '',
    buyer_id     text        NOT NULL DEFAULT '',
    text         text        NOT NULL,
    language     text        NOT NULL DEFAULT '',
    complaint    boolean     NOT NULL DEFAULT false,
    cues         jsonb       NOT NULL DEFAULT '[]',
    group_key    text        NOT NULL DEFAULT '',
    received_at  timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    status       text        NOT NULL CHECK (status IN ('open', 'answered', 'escalated')),
    case_id      text        NOT NULL DEFAULT '',
    answer_text  text        NOT NULL DEFAULT '',
    answer_ref   text        NOT NULL DEFAULT '',
    answer_via   text        NOT NULL DEFAULT '',
    answered_at  timestamptz,
    answered_by  text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    UNIQUE (marketplace, shop_id, external_id)
);
CREATE INDEX buyer_messages_open_idx ON buyer_messages (status, due_at, id);
CREATE INDEX buyer_messages_group_idx ON buyer_messages (marketplace, shop_id, group_key) WHERE status = 'open';
CREATE INDEX buyer_messages_order_idx ON buyer_messages (marketplace, shop_id, order_id);

-- Quick replies per shop (shop_id '' = every shop of the marketplace) and language.
CREATE TABLE quick_replies (
    id          text        PRIMARY KEY,
    marketplace text        NOT NULL,
    shop_id     text        NOT NULL DEFAULT '',
    language    text        NOT NULL,
    name        text        NOT NULL,
    text        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL DEFAULT ''
);
CREATE INDEX quick_replies_scope_idx ON quick_replies (marketplace, shop_id, language);

-- +goose Down
DROP TABLE quick_replies;
DROP TABLE buyer_messages;
DROP TABLE preemptive_tasks;
DROP TABLE touchpoint_templates;
DROP TABLE order_touchpoints;
DROP TABLE care_orders;
DROP TABLE order_care_shops;
