-- +goose Up
-- Issue 12: alerts people actually see. A channel is where one organisation
-- (or one of its shops) wants to hear about its cases: a signed webhook, a
-- Slack, DingTalk or WeCom robot, or e-mail. Every alert sent to a channel
-- leaves one row in alert_deliveries, keyed by the alert's idempotency key,
-- so a retried activity skips the channels that already have it.
CREATE TABLE alert_channels (
    id           text        PRIMARY KEY,
    org_id       text        NOT NULL DEFAULT 'default' REFERENCES organisations (id),
    -- '' matches every marketplace / every shop of the organisation.
    marketplace  text        NOT NULL DEFAULT '' CHECK (marketplace IN ('', 'mercadolibre', 'ebay', 'amazon', 'taobao')),
    shop_id      text        NOT NULL DEFAULT '',
    name         text        NOT NULL CHECK (name <> ''),
    type         text        NOT NULL CHECK (type IN ('webhook', 'slack', 'dingtalk', 'wecom', 'email')),
    url          text        NOT NULL DEFAULT '',
    -- HMAC key of the signed webhook and of DingTalk's signed robots.
    secret       text        NOT NULL DEFAULT '',
    recipients   text[]      NOT NULL DEFAULT '{}',
    -- Empty: every kind / every severity.
    kinds        text[]      NOT NULL DEFAULT '{}',
    severities   text[]      NOT NULL DEFAULT '{}',
    enabled      boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Deleted channels stay so their delivery log still names them.
    deleted_at   timestamptz
);

CREATE INDEX alert_channels_route_idx ON alert_channels (org_id) WHERE deleted_at IS NULL AND enabled;

CREATE TABLE alert_deliveries (
    id              bigserial   PRIMARY KEY,
    org_id          text        NOT NULL DEFAULT 'default' REFERENCES organisations (id),
    channel_id      text        NOT NULL REFERENCES alert_channels (id),
    idempotency_key text        NOT NULL,
    case_id         text        NOT NULL DEFAULT '',
    marketplace     text        NOT NULL DEFAULT '',
    shop_id         text        NOT NULL DEFAULT '',
    kind            text        NOT NULL,
    severity        text        NOT NULL DEFAULT '',
    status          text        NOT NULL CHECK (status IN ('delivered', 'failed')),
    attempts        integer     NOT NULL CHECK (attempts > 0),
    response_status integer     NOT NULL DEFAULT 0,
    error           text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel_id, idempotency_key)
);

CREATE INDEX alert_deliveries_org_idx ON alert_deliveries (org_id, id DESC);
CREATE INDEX alert_deliveries_case_idx ON alert_deliveries (case_id) WHERE case_id <> '';

-- +goose Down
DROP TABLE alert_deliveries;
DROP TABLE alert_channels;
