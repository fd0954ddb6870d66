package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/redress-hq/redress/cases"
)

// RecordWebhookDelivery remembers a webhook delivery and reports whether it
// is the first time this delivery id was seen; redeliveries return false.
// Concurrent calls for one id return true exactly once.
func (s *Store) RecordWebhookDelivery(ctx context.Context, marketplace, deliveryID string) (first bool, err error) {
	if marketplace == "" || deliveryID == "" {
		return false, invalid("webhook delivery needs a marketplace and an id")
	}
	res, err := s.db.ExecContext(ctx, `
INSERT INTO webhook_deliveries (marketplace, delivery_id)
VALUES ($1, $2)
ON CONFLICT (marketplace, delivery_id) DO NOTHING`, marketplace, deliveryID)
	if err != nil {
		return false, wrap("record webhook delivery", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrap("record webhook delivery", err)
	}
	return n == 1, nil
}

// GetCursor returns where review polling of a shop resumes, "" when it has
// never run.
func (s *Store) GetCursor(ctx context.Context, m cases.Marketplace, shopID string) (string, error) {
	var cursor string
	err := s.db.GetContext(ctx, &cursor,
		`SELECT cursor FROM poll_cursors WHERE marketplace = $1 AND shop_id = $2`, m, shopID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", wrap("get poll cursor", err)
	}
	return cursor, nil
}

// SetCursor saves where review polling of a shop resumes.
func (s *Store) SetCursor(ctx context.Context, m cases.Marketplace, shopID, cursor string) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO poll_cursors (marketplace, shop_id, cursor, updated_at)
VALUES ($1, $2, $3, now())
ON CONFLICT (marketplace, shop_id) DO UPDATE SET
    cursor     = EXCLUDED.cursor,
    updated_at = EXCLUDED.updated_at`, m, shopID, cursor)
	if err != nil {
		return wrap("set poll cursor", err)
	}
	return nil
}
