-- +goose NO TRANSACTION
-- The inbox (open and claimed tasks, soonest due first) and one agent's
-- inbox read a page of a partial index and stop, instead of sorting every
-- open task: over 1,000,000 cases the plain inbox was a parallel sequential
-- scan of ~140 ms (docs/benchmarks.md, P4). Built concurrently so a large
-- table keeps taking writes while the index is made.

-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_inbox_due_idx
    ON tasks (due_at ASC NULLS LAST, id)
    WHERE status IN ('open', 'claimed');
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_inbox_assignee_idx
    ON tasks (assignee, due_at ASC NULLS LAST, id)
    WHERE status IN ('open', 'claimed');

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS tasks_inbox_assignee_idx;
DROP INDEX CONCURRENTLY IF EXISTS tasks_inbox_due_idx;
