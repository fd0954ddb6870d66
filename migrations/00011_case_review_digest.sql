-- +goose Up
-- review_digest fingerprints the review as its case last saw it (rating,
-- text, removal, 追评, a visible reply), so intake tells a redelivery from a
-- changed review without asking the workflow.
ALTER TABLE cases ADD COLUMN review_digest text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cases DROP COLUMN review_digest;
