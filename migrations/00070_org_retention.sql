-- +goose Up
-- Issue 16: each organisation keeps its buyers' personal data as long as it
-- decides (its own privacy notice, its platforms' terms); NULL takes the
-- deployment's PRIVACY_RETENTION_DAYS.
ALTER TABLE organisations ADD COLUMN retention_days integer CHECK (retention_days BETWEEN 1 AND 3650);

-- privacy_requests belonged to no organisation, so one seller's export
-- listed the requests (reasons, who asked) another seller made about a
-- buyer id they share. Each request now belongs to the organisation it was
-- made in, and row-level security admits it there only: an existing row
-- goes to the organisation of the first case it touched (else 'default').
ALTER TABLE privacy_requests ADD COLUMN org_id text NOT NULL DEFAULT 'default' REFERENCES organisations (id);
ALTER TABLE privacy_requests DISABLE TRIGGER privacy_requests_append_only;
UPDATE privacy_requests r SET org_id = c.org_id
FROM cases c WHERE c.id = r.case_ids[1];
ALTER TABLE privacy_requests ENABLE TRIGGER privacy_requests_append_only;
CREATE INDEX privacy_requests_org_buyer ON privacy_requests (org_id, marketplace, buyer_id, at);

ALTER TABLE privacy_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE privacy_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_system ON privacy_requests TO redress_system USING (true) WITH CHECK (true);
CREATE POLICY redress_org ON privacy_requests TO redress_org USING (org_id = current_setting('app.org_id', true));
-- A caller limited to shops sees a request only when it sees every case it touched.
CREATE POLICY redress_shops ON privacy_requests TO redress_shops
    USING (org_id = current_setting('app.org_id', true)
        AND NOT EXISTS (SELECT 1 FROM unnest(case_ids) AS t(id)
                        WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = t.id)));

-- +goose Down
DROP POLICY redress_shops ON privacy_requests;
DROP POLICY redress_org ON privacy_requests;
DROP POLICY redress_system ON privacy_requests;
ALTER TABLE privacy_requests NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP INDEX privacy_requests_org_buyer;
ALTER TABLE privacy_requests DROP COLUMN org_id;
ALTER TABLE organisations DROP COLUMN retention_days;
