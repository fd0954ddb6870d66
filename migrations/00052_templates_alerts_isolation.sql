-- +goose Up
-- Issue 12: the seller's templates and alert channels are isolated the way
-- case data is (00042): row-level security admits only the rows of the
-- transaction's organisation (app.org_id) and, for rows of one shop, of
-- its shops (app.shop_ids); the worker's system scope ('*') sees all, so
-- alert delivery still finds every organisation's channels.
ALTER TABLE message_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON message_templates
    USING (redress_org_visible(org_id)) WITH CHECK (redress_org_visible(org_id));

-- A version is visible with its template.
ALTER TABLE message_template_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_template_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON message_template_versions
    USING (EXISTS (SELECT 1 FROM message_templates t WHERE t.id = template_id))
    WITH CHECK (EXISTS (SELECT 1 FROM message_templates t WHERE t.id = template_id));

ALTER TABLE alert_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_channels FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON alert_channels
    USING (redress_org_visible(org_id) AND redress_shop_visible(marketplace, shop_id))
    WITH CHECK (redress_row_allowed(org_id, marketplace, shop_id));

ALTER TABLE alert_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON alert_deliveries
    USING (redress_org_visible(org_id) AND redress_shop_visible(marketplace, shop_id))
    WITH CHECK (redress_row_allowed(org_id, marketplace, shop_id));

-- +goose Down
DROP POLICY redress_scope ON alert_deliveries;
ALTER TABLE alert_deliveries NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON alert_channels;
ALTER TABLE alert_channels NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON message_template_versions;
ALTER TABLE message_template_versions NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON message_templates;
ALTER TABLE message_templates NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
