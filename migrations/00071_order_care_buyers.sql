-- +goose Up
-- Issue 16: order care's personal data (the messages sent to the buyer, a
-- risk's evidence, an agent's note) is sealed with the buyer's data key like
-- cases' (docs/privacy.md). Touchpoints and pre-emptive tasks name their
-- buyer so that sealing, an erasure and an export find them without the
-- order's row (an escalated listing question has none).
ALTER TABLE order_touchpoints ADD COLUMN buyer_id text NOT NULL DEFAULT '';
ALTER TABLE preemptive_tasks ADD COLUMN buyer_id text NOT NULL DEFAULT '';
UPDATE order_touchpoints t SET buyer_id = o.buyer_id FROM care_orders o WHERE o.key = t.order_key;
UPDATE preemptive_tasks t SET buyer_id = o.buyer_id FROM care_orders o WHERE o.key = t.order_key;
UPDATE preemptive_tasks t SET buyer_id = m.buyer_id
FROM buyer_messages m WHERE t.buyer_id = '' AND m.id = t.evidence ->> 'message_id';
CREATE INDEX care_orders_buyer_idx ON care_orders (marketplace, buyer_id) WHERE buyer_id <> '';
CREATE INDEX order_touchpoints_buyer_idx ON order_touchpoints (marketplace, buyer_id) WHERE buyer_id <> '';
CREATE INDEX preemptive_tasks_buyer_idx ON preemptive_tasks (marketplace, buyer_id) WHERE buyer_id <> '';

-- +goose Down
DROP INDEX preemptive_tasks_buyer_idx;
DROP INDEX order_touchpoints_buyer_idx;
DROP INDEX care_orders_buyer_idx;
ALTER TABLE preemptive_tasks DROP COLUMN buyer_id;
ALTER TABLE order_touchpoints DROP COLUMN buyer_id;
