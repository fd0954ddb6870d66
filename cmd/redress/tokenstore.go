package main

import (
	"context"
	"errors"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// dbTokenStore keeps marketplace shop tokens in PostgreSQL, so a rotated
// Mercado Libre refresh token survives a worker restart and is seen by every
// process. Refreshes are serialized per shop within a process by the
// connectors; several workers refreshing one shop at the same instant can
// still race (the platform then answers invalid_grant and the case opens an
// auth incident).
type dbTokenStore struct{ db *store.Store }

func (s dbTokenStore) Get(ctx context.Context, m cases.Marketplace, shopID string) (marketplace.ShopToken, error) {
	t, err := s.db.GetMarketplaceToken(ctx, m, shopID)
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

func (s dbTokenStore) Put(ctx context.Context, tok marketplace.ShopToken) error {
	row := store.MarketplaceToken{Marketplace: tok.Marketplace, ShopID: tok.ShopID,
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	if !tok.ExpiresAt.IsZero() {
		row.ExpiresAt = &tok.ExpiresAt
	}
	return s.db.PutMarketplaceToken(ctx, row)
}
