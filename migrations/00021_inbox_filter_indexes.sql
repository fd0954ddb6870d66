-- +goose NO TRANSACTION
-- The console's inbox asks for claimed and open tasks apart, filtered by
-- role (a manager's approvals), marketplace, shop or kind, soonest due
-- first. With only the inbox's (due_at, id) index, a filter that matches few
-- live tasks walked every open or claimed one: over 1,000,000 cases a
-- manager's approvals (no manager task among 200,000 live ones) took ~190 ms
-- per status, a marketplace or kind with no claimed task ~140-180 ms, and a
-- shop with 10,000 claimed tasks read and sorted them all (~80 ms)
-- (docs/benchmarks.md, P7). These read one status of the filter's live tasks
-- in due order and stop after a page. Partial, so they hold live tasks only;
-- built concurrently so a large table keeps taking writes.

-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_inbox_role_idx
    ON tasks (role, status, due_at ASC NULLS LAST, id)
    WHERE status IN ('open', 'claimed');
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_inbox_marketplace_idx
    ON tasks (marketplace, status, due_at ASC NULLS LAST, id)
    WHERE status IN ('open', 'claimed');
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_inbox_kind_idx
    ON tasks (kind, status, due_at ASC NULLS LAST, id)
    WHERE status IN ('open', 'claimed');
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_inbox_shop_idx
    ON tasks (marketplace, shop_id, status, due_at ASC NULLS LAST, id)
    WHERE status IN ('open', 'claimed');

-- PostgreSQL takes columns to be independent: it expected a marketplace to
-- have its share of claimed tasks and walked the role's index (every claimed
-- agent task, none of them of that marketplace) instead of the marketplace's.
-- Statistics on the columns together show it which combinations are empty or
-- rare, so it picks the index that leads with the rare one.
CREATE STATISTICS IF NOT EXISTS tasks_filter_stats (mcv) ON status, role, marketplace, kind FROM tasks;
ANALYZE tasks;

-- +goose Down
DROP STATISTICS IF EXISTS tasks_filter_stats;
DROP INDEX CONCURRENTLY IF EXISTS tasks_inbox_shop_idx;
DROP INDEX CONCURRENTLY IF EXISTS tasks_inbox_kind_idx;
DROP INDEX CONCURRENTLY IF EXISTS tasks_inbox_marketplace_idx;
DROP INDEX CONCURRENTLY IF EXISTS tasks_inbox_role_idx;
