-- +goose Up
-- Platform quotas shared by every worker: one row per (marketplace, bucket,
-- shop) holds the bucket's theoretical arrival time (GCRA), so a reservation
-- is one atomic UPSERT whatever the number of processes.
CREATE TABLE quota_buckets (
    key text        PRIMARY KEY,
    tat timestamptz NOT NULL
);

-- +goose Down
DROP TABLE quota_buckets;
