-- +goose Up
-- One role per kind of scope, so that each policy is a plain comparison the
-- planner can estimate and index (00042's single policy OR-ed every case
-- together: PostgreSQL guessed it kept almost no rows and read inboxes by
-- sequential scan and sort). The store switches to the role its scope
-- needs (store/scope_db.go):
--
--   redress_system  the worker and the deployment's admin: every row, no filter
--   redress_org     one organisation:       org_id = app.org_id
--   redress_shops   some of its shops:      … and the row's shop in app.shop_ids
--
-- Each is a member of redress_app for its table rights; policies name the
-- role they apply to, so none leaks into another.
-- +goose StatementBegin
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['redress_system', 'redress_org', 'redress_shops'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE redress_app', r);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           AND NOT pg_has_role(current_user, r, 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', r, current_user);
            EXCEPTION WHEN unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$$;
-- +goose StatementEnd

-- redress_in_shops: is the shop one of the transaction's (app.shop_ids)?
-- PL/pgSQL on purpose: the planner cannot inline it, so it takes the
-- function's default selectivity (a third) instead of guessing that almost
-- no row passes, and keeps reading inboxes newest first by index.
-- +goose StatementBegin
CREATE FUNCTION redress_in_shops(marketplace text, shop_id text) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN marketplace || ':' || shop_id = ANY (string_to_array(current_setting('app.shop_ids', true), ','));
END
$$;
-- +goose StatementEnd

-- Tables whose rows name (marketplace, shop_id).
-- +goose StatementBegin
DO $$
DECLARE
    t    text;
    shop text;
BEGIN
    FOREACH t IN ARRAY ARRAY['cases', 'tasks', 'incidents', 'order_care_shops', 'care_orders',
        'order_touchpoints', 'touchpoint_templates', 'preemptive_tasks', 'buyer_messages', 'quick_replies']
    LOOP
        EXECUTE format('DROP POLICY redress_scope ON %I', t);
        EXECUTE format('CREATE POLICY redress_system ON %I TO redress_system USING (true) WITH CHECK (true)', t);
        EXECUTE format($p$CREATE POLICY redress_org ON %I TO redress_org
            USING (org_id = current_setting('app.org_id', true))
            WITH CHECK (org_id = current_setting('app.org_id', true)
                AND coalesce(redress_shop_owner(marketplace, shop_id), org_id) = org_id)$p$, t);
        -- Only quick replies have rows of no shop (shop_id ''): the whole
        -- organisation's.
        shop := 'redress_in_shops(marketplace, shop_id)';
        IF t = 'quick_replies' THEN
            shop := $s$(shop_id = '' OR $s$ || shop || ')';
        END IF;
        EXECUTE format($p$CREATE POLICY redress_shops ON %I TO redress_shops
            USING (org_id = current_setting('app.org_id', true) AND %s)
            WITH CHECK (org_id = current_setting('app.org_id', true) AND %s
                AND coalesce(redress_shop_owner(marketplace, shop_id), org_id) = org_id)$p$, t, shop, shop);
    END LOOP;
    -- Rows of a case: visible and writable with their case.
    FOREACH t IN ARRAY ARRAY['case_events', 'case_deadlines']
    LOOP
        EXECUTE format('DROP POLICY redress_scope ON %I', t);
        EXECUTE format('CREATE POLICY redress_system ON %I TO redress_system USING (true) WITH CHECK (true)', t);
        EXECUTE format($p$CREATE POLICY redress_org ON %I TO redress_org
            USING (org_id = current_setting('app.org_id', true))
            WITH CHECK (org_id = current_setting('app.org_id', true) AND EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id))$p$, t, t);
        EXECUTE format($p$CREATE POLICY redress_shops ON %I TO redress_shops
            USING (org_id = current_setting('app.org_id', true) AND EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id))
            WITH CHECK (org_id = current_setting('app.org_id', true) AND EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id))$p$, t, t, t);
    END LOOP;
    -- An organisation's own rows, whatever the shop.
    FOREACH t IN ARRAY ARRAY['courier_volumes', 'admin_audit']
    LOOP
        EXECUTE format('DROP POLICY redress_scope ON %I', t);
        EXECUTE format('CREATE POLICY redress_system ON %I TO redress_system USING (true) WITH CHECK (true)', t);
        EXECUTE format($p$CREATE POLICY redress_org ON %I TO redress_org, redress_shops
            USING (org_id = current_setting('app.org_id', true))$p$, t);
    END LOOP;
    -- People and tokens: a caller limited to shops sees those limited to some of them.
    FOREACH t IN ARRAY ARRAY['users', 'api_tokens']
    LOOP
        EXECUTE format('DROP POLICY redress_scope ON %I', t);
        EXECUTE format('CREATE POLICY redress_system ON %I TO redress_system USING (true) WITH CHECK (true)', t);
        EXECUTE format($p$CREATE POLICY redress_org ON %I TO redress_org USING (org_id = current_setting('app.org_id', true))$p$, t);
        EXECUTE format($p$CREATE POLICY redress_shops ON %I TO redress_shops
            USING (org_id = current_setting('app.org_id', true) AND cardinality(shops) > 0
                AND shops <@ string_to_array(current_setting('app.shop_ids', true), ','))$p$, t);
    END LOOP;
END
$$;
-- +goose StatementEnd

DROP POLICY redress_scope ON shops;
CREATE POLICY redress_system ON shops TO redress_system USING (true) WITH CHECK (true);
CREATE POLICY redress_org ON shops TO redress_org USING (org_id = current_setting('app.org_id', true));
CREATE POLICY redress_shops ON shops TO redress_shops
    USING (org_id = current_setting('app.org_id', true) AND redress_in_shops(marketplace, shop_id));
DROP POLICY redress_scope ON organisations;
CREATE POLICY redress_system ON organisations TO redress_system USING (true) WITH CHECK (true);
CREATE POLICY redress_org ON organisations TO redress_org, redress_shops USING (id = current_setting('app.org_id', true));

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    p text;
BEGIN
    FOREACH t IN ARRAY ARRAY['cases', 'tasks', 'incidents', 'order_care_shops', 'care_orders',
        'order_touchpoints', 'touchpoint_templates', 'preemptive_tasks', 'buyer_messages', 'quick_replies',
        'case_events', 'case_deadlines', 'courier_volumes', 'admin_audit', 'users', 'api_tokens', 'shops', 'organisations']
    LOOP
        FOREACH p IN ARRAY ARRAY['redress_system', 'redress_org', 'redress_shops'] LOOP
            EXECUTE format('DROP POLICY IF EXISTS %I ON %I', p, t);
        END LOOP;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['cases', 'tasks', 'incidents', 'order_care_shops', 'care_orders',
        'order_touchpoints', 'touchpoint_templates', 'preemptive_tasks', 'buyer_messages', 'quick_replies']
    LOOP
        EXECUTE format($p$CREATE POLICY redress_scope ON %I
            USING (redress_org_visible(org_id) AND redress_shop_visible(marketplace, shop_id))
            WITH CHECK (redress_row_allowed(org_id, marketplace, shop_id))$p$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['case_events', 'case_deadlines'] LOOP
        EXECUTE format($p$CREATE POLICY redress_scope ON %I
            USING (redress_org_visible(org_id)
                AND (redress_all_shops() OR EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id)))
            WITH CHECK (redress_org_visible(org_id) AND EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id))$p$, t, t, t);
    END LOOP;
END
$$;
-- +goose StatementEnd
CREATE POLICY redress_scope ON courier_volumes USING (redress_org_visible(org_id));
CREATE POLICY redress_scope ON admin_audit USING (redress_org_visible(org_id));
CREATE POLICY redress_scope ON users USING (redress_org_visible(org_id) AND redress_shops_within(shops));
CREATE POLICY redress_scope ON api_tokens USING (redress_org_visible(org_id) AND redress_shops_within(shops));
CREATE POLICY redress_scope ON shops USING (redress_org_visible(org_id) AND redress_shop_visible(marketplace, shop_id));
CREATE POLICY redress_scope ON organisations USING (redress_org_visible(id));
DROP FUNCTION redress_in_shops(text, text);
DROP OWNED BY redress_system, redress_org, redress_shops;
