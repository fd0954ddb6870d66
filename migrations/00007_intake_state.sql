-- +goose Up
-- webhook_deliveries remembers delivery ids so a redelivered webhook is ignored.
CREATE TABLE webhook_deliveries (
    marketplace text        NOT NULL,
    delivery_id text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (marketplace, delivery_id)
);

-- Old deliveries can be pruned by age.
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);

-- poll_cursors is where review polling resumes for marketplaces without webhooks.
CREATE TABLE poll_cursors (
    marketplace text        NOT NULL,
    shop_id     text        NOT NULL,
    cursor      text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (marketplace, shop_id)
);

-- +goose Down
DROP TABLE poll_cursors;
DROP TABLE webhook_deliveries;
