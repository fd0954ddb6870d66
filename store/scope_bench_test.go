package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// BenchmarkScopedReads measures what row-level security costs a read: the
// same case read and inbox page straight from the pool as the table owner
// (no transaction, no policy: the store before issue 12), as the system
// and as an organisation limited to one shop (a transaction that switches
// role and sets the scope, then the policy on every row).
func BenchmarkScopedReads(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	_, err := s.CreateOrganisation(ctx, "acme", "Acme")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateShop(ctx, store.Shop{OrgID: "acme", Marketplace: cases.MercadoLibre, ShopID: "shop-1", Enabled: true}); err != nil {
		b.Fatal(err)
	}
	var id string
	for i := range 2000 {
		c := newCase(fmt.Sprintf("r-%d", i), day0.Add(time.Duration(i)*time.Minute))
		id = c.ID
		if err := s.SyncCase(ctx, cases.SyncBatch{Case: c}); err != nil {
			b.Fatal(err)
		}
	}
	api := s.RequireScope()
	scopes := []struct {
		name string
		ctx  context.Context
	}{
		{"system", store.WithScope(ctx, store.SystemScope())},
		{"organisation", store.WithScope(ctx, store.OrgScope("acme"))},
		{"organisation+shop", store.WithScope(ctx, store.OrgScope("acme", "mercadolibre:shop-1", "ebay:other"))},
	}
	b.Run("get case/pool as owner", func(b *testing.B) {
		for range b.N {
			var got string
			if err := s.DB().GetContext(ctx, &got, `SELECT id FROM cases WHERE id = $1`, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, sc := range scopes {
		b.Run("get case/"+sc.name, func(b *testing.B) {
			for range b.N {
				if _, err := api.GetCase(sc.ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The same page in SQL, as the owner and under the policy, apart from
	// the store's Go: what the policy itself costs.
	const page = `SELECT * FROM cases WHERE status = 'open' ORDER BY opened_at DESC, id DESC LIMIT 50`
	b.Run("page sql/pool as owner", func(b *testing.B) {
		for range b.N {
			rows, err := s.DB().QueryxContext(ctx, page)
			if err != nil {
				b.Fatal(err)
			}
			rows.Close()
		}
	})
	for _, set := range []string{"*", "acme", "acme|mercadolibre:shop-1,ebay:other"} {
		b.Run("page sql/redress_app "+set, func(b *testing.B) {
			org, shops, _ := strings.Cut(set, "|")
			for range b.N {
				tx, err := s.DB().BeginTxx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.ExecContext(ctx, `SELECT set_config('role', 'redress_app', true), set_config('app.org_id', $1, true), set_config('app.shop_ids', $2, true)`, org, shops); err != nil {
					b.Fatal(err)
				}
				rows, err := tx.QueryxContext(ctx, page)
				if err != nil {
					b.Fatal(err)
				}
				rows.Close()
				_ = tx.Commit()
			}
		})
	}
	for _, sc := range scopes {
		b.Run("list 50 open/"+sc.name, func(b *testing.B) {
			for range b.N {
				p, err := api.ListCases(sc.ctx, store.CaseFilter{Status: "open", Limit: 50})
				if err != nil || len(p.Items) != 50 {
					b.Fatal(err, len(p.Items))
				}
			}
		})
	}
}
