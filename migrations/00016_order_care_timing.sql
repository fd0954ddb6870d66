-- +goose Up
-- Per-shop timing of order care: "tracking stalled for N days" and the rest.
-- 0 takes the built-in default (ordercare.Default*).
ALTER TABLE order_care_shops
    ADD COLUMN stall_after_seconds          bigint NOT NULL DEFAULT 0,
    ADD COLUMN late_grace_seconds           bigint NOT NULL DEFAULT 0,
    ADD COLUMN poll_every_seconds           bigint NOT NULL DEFAULT 0,
    ADD COLUMN watch_after_delivery_seconds bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE order_care_shops
    DROP COLUMN stall_after_seconds,
    DROP COLUMN late_grace_seconds,
    DROP COLUMN poll_every_seconds,
    DROP COLUMN watch_after_delivery_seconds;
