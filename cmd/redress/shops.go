package main

import (
	"context"

	"github.com/redress-hq/redress/config"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/store"
)

// shopsToPoll is the poll schedules' source: the shop table's enabled shops
// marked for polling, of every organisation.
func shopsToPoll(st *store.Store) intake.ShopSource {
	return func(ctx context.Context) ([]intake.Shop, error) {
		shops, err := st.ShopsToPoll(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]intake.Shop, len(shops))
		for i, s := range shops {
			out[i] = intake.Shop{Marketplace: s.Marketplace, ShopID: s.ShopID, OrgID: s.OrgID}
		}
		return out, nil
	}
}

func toShopRefs(shops []config.Shop) []store.ShopRef {
	out := make([]store.ShopRef, len(shops))
	for i, s := range shops {
		out[i] = store.ShopRef{Marketplace: s.Marketplace, ShopID: s.ShopID}
	}
	return out
}
