-- +goose Up
-- A caller limited to some shops sees only the people and tokens limited to
-- some of those shops: an agent team lead for one marketplace cannot revoke
-- the organisation's automation token.
CREATE FUNCTION redress_shops_within(shops text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT redress_all_shops()
        OR (cardinality(shops) > 0 AND shops <@ string_to_array(current_setting('app.shop_ids', true), ','))
$$;

ALTER POLICY redress_scope ON users USING (redress_org_visible(org_id) AND redress_shops_within(shops));
ALTER POLICY redress_scope ON api_tokens USING (redress_org_visible(org_id) AND redress_shops_within(shops));

-- Which shops Redress polls for reviews: the shop table, not POLL_SHOPS. A
-- shop registered only because the database had seen it (00040) was not
-- necessarily polled; the environment's POLL_SHOPS marks its own at start.
ALTER TABLE shops ADD COLUMN poll boolean NOT NULL DEFAULT true;
UPDATE shops SET poll = false;

-- A shop's time zone '' is the deployment's SHOP_TIME_ZONE: the shops
-- registered from a single seller's data keep the zone they had.
ALTER TABLE shops ALTER COLUMN time_zone SET DEFAULT '';
UPDATE shops SET time_zone = '' WHERE time_zone = 'UTC';

-- +goose Down
UPDATE shops SET time_zone = 'UTC' WHERE time_zone = '';
ALTER TABLE shops ALTER COLUMN time_zone SET DEFAULT 'UTC';
ALTER TABLE shops DROP COLUMN poll;
ALTER POLICY redress_scope ON api_tokens USING (redress_org_visible(org_id));
ALTER POLICY redress_scope ON users USING (redress_org_visible(org_id));
DROP FUNCTION redress_shops_within(text[]);
