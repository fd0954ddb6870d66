package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/redress-hq/redress/cases"
)

// MarketplaceToken is a shop's credential on one marketplace.
type MarketplaceToken struct {
	Marketplace  cases.Marketplace `db:"marketplace"`
	ShopID       string            `db:"shop_id"`
	AccessToken  string            `db:"access_token"`
	RefreshToken string            `db:"refresh_token"`
	ExpiresAt    *time.Time        `db:"expires_at"`
	UpdatedAt    time.Time         `db:"updated_at"`
}

// GetMarketplaceToken returns a shop's credential, ErrNotFound if it has none.
func (s *Store) GetMarketplaceToken(ctx context.Context, m cases.Marketplace, shopID string) (MarketplaceToken, error) {
	var t MarketplaceToken
	err := s.db.GetContext(ctx, &t, `
SELECT marketplace, shop_id, access_token, refresh_token, expires_at, updated_at
FROM marketplace_tokens
WHERE marketplace = $1 AND shop_id = $2`, m, shopID)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, wrap("get marketplace token", err)
}

// PutMarketplaceToken saves a shop's credential, replacing the previous one.
func (s *Store) PutMarketplaceToken(ctx context.Context, t MarketplaceToken) error {
	if !t.Marketplace.Valid() || t.ShopID == "" {
		return invalid("a marketplace token needs a known marketplace and a shop")
	}
	_, err := s.db.ExecContext(ctx, `
INSERT INTO marketplace_tokens (marketplace, shop_id, access_token, refresh_token, expires_at, updated_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (marketplace, shop_id) DO UPDATE
SET access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
    expires_at = EXCLUDED.expires_at, updated_at = now()`,
		t.Marketplace, t.ShopID, t.AccessToken, t.RefreshToken, t.ExpiresAt)
	return wrap("put marketplace token", err)
}
