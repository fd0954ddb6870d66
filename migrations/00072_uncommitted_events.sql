-- +goose Up
-- events-not-rows version 7: the index mirror writes from inside the workflow
-- task again (a local activity), fenced. sync_fence_* is the latest workflow
-- task whose batch the store took; a batch from an earlier task is dropped.
-- When a later task recorded different events at the same sequence numbers,
-- the earlier ones were written from a task that never completed: they are
-- not in the case's history and the store deletes them before writing the
-- later ones. That is the one delete case_events allows: through
-- redress_rewind_uncommitted alone (the application's role may not delete
-- from case_events), called by store/fold_rewind.go.
ALTER TABLE cases ADD COLUMN sync_fence_length bigint NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN sync_fence_time timestamptz;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('redress.rewind_uncommitted', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION redress_rewind_uncommitted(p_case_id text, p_from bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed bigint;
BEGIN
    PERFORM set_config('redress.rewind_uncommitted', 'on', true);
    DELETE FROM case_events WHERE case_id = p_case_id AND seq >= p_from;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('redress.rewind_uncommitted', 'off', true);
    RETURN removed;
END;
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION redress_rewind_uncommitted(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION redress_rewind_uncommitted(text, bigint) TO redress_app;

-- +goose Down
DROP FUNCTION redress_rewind_uncommitted(text, bigint);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP;
END;
$$;
-- +goose StatementEnd
ALTER TABLE cases DROP COLUMN sync_fence_time;
ALTER TABLE cases DROP COLUMN sync_fence_length;
