-- +goose Up
-- Issue 12: one deployment serves many sellers. An organisation (a seller)
-- owns shops; every case-data row carries the organisation it belongs to
-- (00043). A database from before this migration had exactly one seller:
-- everything it holds lands in the organisation 'default'.
CREATE TABLE organisations (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name        text        NOT NULL CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);

INSERT INTO organisations (id, name) VALUES ('default', 'Default organisation');

-- A shop is one seller account on one marketplace. The platform's shop id
-- is unique per marketplace: webhooks and polls resolve the organisation
-- from it. Policy columns left NULL take the deployment's defaults
-- (config.Config); a case copies the values in force when it opens.
CREATE TABLE shops (
    org_id             text        NOT NULL REFERENCES organisations (id),
    marketplace        text        NOT NULL CHECK (marketplace IN ('mercadolibre', 'ebay', 'amazon', 'taobao')),
    shop_id            text        NOT NULL CHECK (shop_id <> ''),
    display_name       text        NOT NULL DEFAULT '',
    site               text        NOT NULL DEFAULT '',
    currency           text        NOT NULL DEFAULT '',
    time_zone          text        NOT NULL DEFAULT 'UTC',
    -- {"start_hour": 8, "end_hour": 21, "holidays": ["2026-12-25"]}
    business_hours     jsonb       NOT NULL DEFAULT '{}',
    enabled            boolean     NOT NULL DEFAULT true,
    -- AES-256-GCM sealed JSON (nonce || ciphertext) under REDRESS_SECRET_KEY.
    credentials        bytea,
    approval_limit     bigint      CHECK (approval_limit >= 0), -- minor units of currency
    auto_first_contact boolean,
    no_reply_wait_s    bigint      CHECK (no_reply_wait_s >= 0),
    follow_up_delay_s  bigint      CHECK (follow_up_delay_s >= 0),
    review_check_delay_s bigint    CHECK (review_check_delay_s >= 0),
    -- {"first_contact": "24h", ...}: deadline kind -> duration, over the platform's SLA.
    sla_overrides      jsonb       NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (marketplace, shop_id),
    -- Lets case-data tables reference (org_id, marketplace, shop_id) so a row
    -- naming one organisation's shop under another organisation cannot exist.
    UNIQUE (org_id, marketplace, shop_id)
);

CREATE INDEX shops_org_idx ON shops (org_id, marketplace, shop_id);

-- The single seller's shops so far: every shop the database has seen. Shops
-- known only from the environment (POLL_SHOPS, MARKETPLACE_SHOP_TOKENS) are
-- added to 'default' at start-up (store.EnsureShops).
INSERT INTO shops (org_id, marketplace, shop_id)
SELECT 'default', marketplace, shop_id FROM (
    SELECT marketplace, shop_id FROM cases
    UNION SELECT marketplace, shop_id FROM marketplace_tokens
    UNION SELECT marketplace, shop_id FROM poll_cursors
    UNION SELECT marketplace, shop_id FROM order_care_shops
    UNION SELECT marketplace, shop_id FROM care_orders
) known
WHERE marketplace IN ('mercadolibre', 'ebay', 'amazon', 'taobao') AND shop_id <> ''
ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE shops;
DROP TABLE organisations;
