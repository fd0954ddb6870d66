-- +goose Up
-- Where order care's shop poll resumes (the newest order time it saw).
ALTER TABLE order_care_shops ADD COLUMN orders_cursor timestamptz;

-- +goose Down
ALTER TABLE order_care_shops DROP COLUMN orders_cursor;
