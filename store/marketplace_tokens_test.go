package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func TestMarketplaceTokensRotate(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	if _, err := s.GetMarketplaceToken(ctx, cases.MercadoLibre, "1001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing token: %v", err)
	}
	exp := time.Now().Add(6 * time.Hour).UTC().Truncate(time.Microsecond)
	for _, refresh := range []string{"TG-1", "TG-2"} { // a refresh rotates the token
		if err := s.PutMarketplaceToken(ctx, store.MarketplaceToken{Marketplace: cases.MercadoLibre, ShopID: "1001",
			AccessToken: "APP-" + refresh, RefreshToken: refresh, ExpiresAt: &exp}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetMarketplaceToken(ctx, cases.MercadoLibre, "1001")
	if err != nil || got.RefreshToken != "TG-2" || got.AccessToken != "APP-TG-2" || !got.ExpiresAt.Equal(exp) {
		t.Fatalf("token after rotation: %+v, %v", got, err)
	}
	if err := s.PutMarketplaceToken(ctx, store.MarketplaceToken{Marketplace: "etsy", ShopID: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("unknown marketplace: %v", err)
	}
}
