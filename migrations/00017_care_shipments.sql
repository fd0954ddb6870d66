-- +goose Up
-- Mercado Libre's shipments notifications name the shipment, not the order.
ALTER TABLE care_orders ADD COLUMN shipment_id text NOT NULL DEFAULT '';
CREATE INDEX care_orders_shipment_idx ON care_orders (marketplace, shop_id, shipment_id) WHERE shipment_id <> '';

-- +goose Down
DROP INDEX care_orders_shipment_idx;
ALTER TABLE care_orders DROP COLUMN shipment_id;
