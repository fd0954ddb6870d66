package wiring

import (
	"context"
	"errors"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// DBTokens keeps marketplace shop tokens in PostgreSQL, so a rotated Mercado
// Libre refresh token survives a restart and is seen by every process, and
// holds a shop's refresh against every other process with an advisory lock
// (marketplace.ShopLocker): two workers never spend one refresh token.
type DBTokens struct{ Store *store.Store }

var _ marketplace.ShopLocker = DBTokens{}

func (s DBTokens) Get(ctx context.Context, m cases.Marketplace, shopID string) (marketplace.ShopToken, error) {
	t, err := s.Store.ShopToken(ctx, m, shopID) // sealed shop credentials first
	if errors.Is(err, store.ErrNotFound) {
		return marketplace.ShopToken{}, marketplace.ErrNoToken
	}
	if err != nil {
		return marketplace.ShopToken{}, err
	}
	tok := marketplace.ShopToken{Marketplace: t.Marketplace, ShopID: t.ShopID,
		AccessToken: t.AccessToken, RefreshToken: t.RefreshToken}
	if t.ExpiresAt != nil {
		tok.ExpiresAt = *t.ExpiresAt
	}
	return tok, nil
}

func (s DBTokens) Put(ctx context.Context, tok marketplace.ShopToken) error {
	row := store.MarketplaceToken{Marketplace: tok.Marketplace, ShopID: tok.ShopID,
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	if !tok.ExpiresAt.IsZero() {
		row.ExpiresAt = &tok.ExpiresAt
	}
	return s.Store.PutShopToken(ctx, row)
}

// WithShopLock runs fn holding the shop's refresh lock across processes.
func (s DBTokens) WithShopLock(ctx context.Context, m cases.Marketplace, shopID string, fn func(context.Context) error) error {
	return s.Store.WithLock(ctx, "marketplace-token/"+string(m)+"/"+shopID, fn)
}
