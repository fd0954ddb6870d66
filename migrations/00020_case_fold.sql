-- +goose Up
-- fold is the case as its events fold (cases.State): the store appends a
-- case's new events to case_events and, in the same transaction, folds them
-- onto this snapshot and writes the case, task, deadline and incident rows
-- from the result. NULL for cases indexed before the fold: their rows are the
-- state as of their version, and the first fold starts from them.
ALTER TABLE cases ADD COLUMN fold jsonb;

-- +goose Down
ALTER TABLE cases DROP COLUMN fold;
