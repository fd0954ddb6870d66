-- +goose Up
-- Issue 12: isolation the database enforces. Every case-data row carries its
-- organisation; row-level security admits a row only when it belongs to the
-- organisation (and shop set) of the transaction's session settings, which
-- the store sets with SET LOCAL in every transaction after switching to the
-- role redress_app (superusers and table owners bypass RLS, so the store
-- never queries case data as itself). A query that forgets a WHERE cannot
-- leak: the rows are not there for it.
--
--   app.org_id   the caller's organisation; '*' = every organisation (the
--                worker's system writes, the deployment's bootstrap admin);
--                unset or '' = none.
--   app.shop_ids comma list of "marketplace:shop_id"; '' = every shop.

-- The role is cluster-wide; several databases (tests) may create it at once.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'redress_app') THEN
        CREATE ROLE redress_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
-- +goose StatementEnd

-- The migrating user must be able to SET ROLE redress_app (a superuser can).
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'redress_app', 'MEMBER') THEN
        EXECUTE format('GRANT redress_app TO %I', current_user);
    END IF;
EXCEPTION WHEN unique_violation THEN
    NULL;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO redress_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO redress_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO redress_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO redress_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO redress_app;
-- Append-only trails stay append-only for the application.
REVOKE UPDATE, DELETE ON case_events, admin_audit FROM redress_app;

-- redress_org_visible: may this transaction see rows of organisation org?
CREATE FUNCTION redress_org_visible(org text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('app.org_id', true), '') = '*'
        OR (org = current_setting('app.org_id', true) AND org <> '')
$$;

-- redress_all_shops: is this transaction limited to no particular shops?
CREATE FUNCTION redress_all_shops() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('app.shop_ids', true), '') = ''
$$;

-- redress_shop_visible: may this transaction see rows of shop (marketplace, shop_id)?
-- A row of no particular shop (shop_id '') belongs to the whole organisation.
CREATE FUNCTION redress_shop_visible(marketplace text, shop_id text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT redress_all_shops() OR shop_id = ''
        OR (marketplace || ':' || shop_id) = ANY (string_to_array(current_setting('app.shop_ids', true), ','))
$$;

-- redress_shop_owner: the organisation a registered shop belongs to, seen
-- past row-level security (the function runs as its owner, and shops does
-- not FORCE its policy), so a row naming another organisation's shop is
-- refused rather than filed under the caller's organisation.
CREATE FUNCTION redress_shop_owner(m text, s text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT org_id FROM shops WHERE marketplace = m AND shop_id = s
$$;

-- redress_row_allowed: may this transaction write a row of organisation org
-- for shop (marketplace, shop_id)? The system ('*') may write anything (a
-- case filed under 'default' before its shop was registered stays
-- writable); a caller only rows of its own organisation and shops, and never
-- a row naming a shop registered to another organisation.
CREATE FUNCTION redress_row_allowed(org text, marketplace text, shop_id text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('app.org_id', true), '') = '*'
        OR (redress_org_visible(org) AND redress_shop_visible(marketplace, shop_id)
            AND coalesce(redress_shop_owner(marketplace, shop_id), org) = org)
$$;

-- redress_session_org: the caller's organisation when it names exactly one.
CREATE FUNCTION redress_session_org() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT nullif(nullif(coalesce(current_setting('app.org_id', true), ''), '*'), '')
$$;

-- Rows name their shop; the organisation follows from it. The store's
-- INSERTs need not name org_id: the shop's owner, else the caller's
-- organisation, else 'default' (a shop nobody registered yet).
-- +goose StatementBegin
CREATE FUNCTION redress_fill_org_from_shop() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.org_id IS NULL THEN
        NEW.org_id := coalesce(redress_shop_owner(NEW.marketplace, NEW.shop_id), redress_session_org(), 'default');
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Rows of a case take the case's organisation. The case is read under the
-- caller's policy: another organisation's case is not found, and the row is
-- then refused by the policy's check.
-- +goose StatementBegin
CREATE FUNCTION redress_fill_org_from_case() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.org_id IS NULL THEN
        NEW.org_id := coalesce((SELECT org_id FROM cases WHERE id = NEW.case_id), redress_session_org(), 'default');
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Organisation-wide rows (no marketplace) take the caller's organisation.
-- +goose StatementBegin
CREATE FUNCTION redress_fill_org_from_session() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.org_id IS NULL THEN
        NEW.org_id := coalesce(redress_session_org(), 'default');
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Tables whose rows name (marketplace, shop_id).
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['cases', 'tasks', 'incidents', 'order_care_shops', 'care_orders',
        'order_touchpoints', 'touchpoint_templates', 'preemptive_tasks', 'buyer_messages', 'quick_replies']
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN org_id text NOT NULL DEFAULT %L REFERENCES organisations (id)', t, 'default');
        EXECUTE format('ALTER TABLE %I ALTER COLUMN org_id DROP DEFAULT', t);
        EXECUTE format('CREATE INDEX %I ON %I (org_id)', t || '_org_idx', t);
        EXECUTE format('CREATE TRIGGER redress_fill_org BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION redress_fill_org_from_shop()', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY redress_scope ON %I
            USING (redress_org_visible(org_id) AND redress_shop_visible(marketplace, shop_id))
            WITH CHECK (redress_row_allowed(org_id, marketplace, shop_id))$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- Tables whose rows hang off a case: visible with their case.
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['case_events', 'case_deadlines']
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN org_id text NOT NULL DEFAULT %L REFERENCES organisations (id)', t, 'default');
        EXECUTE format('ALTER TABLE %I ALTER COLUMN org_id DROP DEFAULT', t);
        EXECUTE format('CREATE TRIGGER redress_fill_org BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION redress_fill_org_from_case()', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY redress_scope ON %I
            USING (redress_org_visible(org_id)
                AND (redress_all_shops() OR EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id)))
            WITH CHECK (redress_org_visible(org_id) AND EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id))$p$, t, t, t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- Courier volumes are an organisation's own figures (they name a shop id but
-- no marketplace).
ALTER TABLE courier_volumes ADD COLUMN org_id text NOT NULL DEFAULT 'default' REFERENCES organisations (id);
ALTER TABLE courier_volumes ALTER COLUMN org_id DROP DEFAULT;
CREATE TRIGGER redress_fill_org BEFORE INSERT ON courier_volumes FOR EACH ROW EXECUTE FUNCTION redress_fill_org_from_session();
ALTER TABLE courier_volumes ENABLE ROW LEVEL SECURITY;
ALTER TABLE courier_volumes FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON courier_volumes USING (redress_org_visible(org_id));

-- Organisation data outside cases: shops (their credentials!), users,
-- tokens and the admin trail. shops ENABLEs but does not FORCE its policy,
-- so redress_shop_owner (owned by the table owner) sees every shop.
ALTER TABLE shops ENABLE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON shops
    USING (redress_org_visible(org_id) AND redress_shop_visible(marketplace, shop_id));
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON organisations USING (redress_org_visible(id));
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON users USING (redress_org_visible(org_id));
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON api_tokens USING (redress_org_visible(org_id));
ALTER TABLE admin_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY redress_scope ON admin_audit USING (redress_org_visible(org_id));

-- +goose Down
DROP POLICY redress_scope ON api_tokens;
ALTER TABLE api_tokens NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON admin_audit;
ALTER TABLE admin_audit NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON users;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON organisations;
ALTER TABLE organisations NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY redress_scope ON shops;
ALTER TABLE shops DISABLE ROW LEVEL SECURITY;
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['cases', 'tasks', 'incidents', 'order_care_shops', 'care_orders',
        'order_touchpoints', 'touchpoint_templates', 'preemptive_tasks', 'buyer_messages', 'quick_replies',
        'case_events', 'case_deadlines', 'courier_volumes']
    LOOP
        EXECUTE format('DROP POLICY redress_scope ON %I', t);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP TRIGGER redress_fill_org ON %I', t);
        EXECUTE format('ALTER TABLE %I DROP COLUMN org_id', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION redress_fill_org_from_session();
DROP FUNCTION redress_fill_org_from_case();
DROP FUNCTION redress_fill_org_from_shop();
DROP FUNCTION redress_session_org();
DROP FUNCTION redress_row_allowed(text, text, text);
DROP FUNCTION redress_shop_owner(text, text);
DROP FUNCTION redress_shop_visible(text, text);
DROP FUNCTION redress_all_shops();
DROP FUNCTION redress_org_visible(text);
-- The role is shared by every database of the cluster: only its rights here go.
DROP OWNED BY redress_app;
