-- +goose Up
-- Issue 12: an alert channel's URL (Slack, DingTalk and WeCom keep their
-- keys in it) and secret are sealed at rest with the deployment's key ring,
-- as shops' credentials are: sealed holds them (AES-256-GCM, bound to the
-- channel's id), sealed_key the key id; url then keeps scheme://host/… only
-- and secret is empty. Rows written without a key ring keep them in clear.
ALTER TABLE alert_channels ADD COLUMN sealed bytea, ADD COLUMN sealed_key text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE alert_channels DROP COLUMN sealed, DROP COLUMN sealed_key;
